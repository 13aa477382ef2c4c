"""Decode a text: every acronym and every known jargon term, with its span and its ranked senses.

Steps (one pass each over the text):

1. **terms** — the longest run of words whose loose phrase key (see :mod:`.normalize`) is a full form,
   a variant or a term of the glossary (``information préoccupante``, ``aide contrainte``, ``services
   AMO``); matched on folded, singularised words, so accents, case and plurals do not matter;
2. **acronyms** — tokens shaped like a sigle: two capitals or more (``CPAS``, ``OASeS``), dotted
   (``C.P.A.S.``), with digits or hyphens (``N-VA``, ``1-54``), a plural ``s`` (``AMOs``), or a known
   acronym written as a word (``Mado``, ``Neet``, four letters or more, or exactly as the glossary writes
   it: ``Ase``, ``Crip``); a hyphenated chain of known
   acronyms (``AAJ-CPAS``) is split;
3. **definitions in the text** — :func:`graph.glossary.extract.extract_pairs`; a definition given in
   the text is listed first (``defined_in_text``), ahead of the glossary's senses;
4. **context** — the user's country and sector, else the countries and sectors of the unambiguous
   acronyms of the text itself, rank the senses (:mod:`.context`);
5. **unknown** — sigle-shaped tokens the glossary does not know and the text does not define, with
   every place they occur. Not sigles: headings in capitals (a line mostly in capitals, a word alone on its
   line, ``HOOFDSTUK 1``, ``CHAPITRE II``), surnames in capitals after a first name, words in a run of
   capitals that holds a function word (``HORS DE TOUT MANDAT``: emphasis), words of nine letters or more
   with vowels (``KINDERARMODE``), and a month next to a day or a year (``1 MEI 2024``, ``MAI 2021``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .context import Context, rank_entry, tie_break
from .extract import extract_pairs
from .index import GlossaryIndex
from .lookup import MAX_ACTORS
from .model import KIND_ORDER
from .normalize import STOPWORDS, acronym_key, acronym_keys, fold, is_acronym_like

__all__ = ["decode", "term_table", "written_forms", "MAX_SENSES"]

MAX_SENSES = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CANDIDATE = re.compile(r"(?<![\w.])(?:[A-Za-zÀ-ÿ]\.){2,}(?![\w])|[^\W_](?:[\w&]|['’](?=[A-Z])|-(?=\w))*",
                        re.UNICODE)
_ROMAN = re.compile(r"^(?=[MDCLXVI])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})(?:er|e|ème)?$")
_URL_OR_EMAIL = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_ELISION = re.compile(r"^(?:[LlDdJjNnSsCcMmTt]|[Qq]u)['’]")
_SENTENCE_END = re.compile(r"[.!?:…]\s*$|^\s*$|[\n•]\s*$")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss") else word


def term_table(index: GlossaryIndex) -> tuple[dict[tuple[str, ...], list[int]], dict[str, list[int]]]:
    """Phrase (tuple of loose words) → entries, and first word → phrase lengths (longest first)."""

    def build(idx: GlossaryIndex):
        phrases: dict[tuple[str, ...], list[int]] = {}
        for key, entries in idx.phrases.items():
            words = tuple(key.split())
            if len(words) == 1 and (len(words[0]) < 4 or words[0] in idx.acronyms):
                continue  # one short word or a sigle: left to the acronym pass
            phrases[words] = list(entries)
        lengths: dict[str, set[int]] = defaultdict(set)
        for words in phrases:
            lengths[words[0]].add(len(words))
        return phrases, {w: sorted(ls, reverse=True) for w, ls in lengths.items()}

    return index.cached("decode_terms", build)


def written_forms(index: GlossaryIndex) -> frozenset[str]:
    """Acronyms and one-word variants exactly as the glossary writes them (``Ase``, ``Crip``, ``AMO``)."""
    return index.cached("decode_written", lambda idx: frozenset(
        t for e in idx.entries for t in [*e.acronyms, *e.variants] if t and " " not in t))


_VOWELS = "AEIOUYÉÈÊËÀÂÎÏÔÛÜ"


def _line_at(text: str, start: int) -> tuple[int, str]:
    """Where the line holding ``start`` begins, and the line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return line_start, text[line_start: line_end if line_end != -1 else len(text)]


def _is_heading(text: str, start: int) -> bool:
    _, line = _line_at(text, start)
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _word_shaped(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    vowels = sum(c in _VOWELS for c in letters)
    return len(letters) >= 2 and vowels >= 1 and vowels / len(letters) >= 0.3


_CAPS_RUN = re.compile(r"[A-ZÀ-Ý'’]+(?:[ \t]+[A-ZÀ-Ý'’]+)*")
_ALONE = re.compile(r"^[\s\d.)(°§•*–-]*([A-ZÀ-Ý][\w'’-]*)[\s.:!?]*$")
_NUMBERED = re.compile(r"^\s+(?:[IVXLC]+|\d+)\b")
_DATE_AROUND = (re.compile(r"\b\d{1,2}(?:er)?\s+$"), re.compile(r"^\s+\d{4}\b"))


_MONTHS = frozenset("""janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre januari
februari maart april mei juni juli augustus oktober december january february march may june july august october
januar februar marz juni oktober dezember""".split())


def _ordinary_capitals(text: str, start: int, token: str) -> bool:
    """A word written in capitals that is no sigle (see the module docstring, step 5)."""
    line_start, line = _line_at(text, start)
    after = text[start + len(token): start + len(token) + 12]
    before = text[max(0, start - 6):start]
    if fold(token) in _MONTHS and (_DATE_AROUND[0].search(before) or _DATE_AROUND[1].match(after)):
        return True
    for run in _CAPS_RUN.finditer(line):
        if run.start() <= start - line_start < run.end():
            words = run.group().split()
            if len(words) >= 3 and any(fold(w) in STOPWORDS for w in words) and any(
                    c in _VOWELS for c in token):
                return True
    if not _word_shaped(token):
        return False
    letters = sum(c.isalpha() for c in token)
    if letters >= 9:
        return True
    if letters >= 5 and _ALONE.match(line):
        return True
    return letters >= 5 and not text[line_start:start].strip(" \t0123456789.") and bool(_NUMBERED.match(after))


def _looks_like_surname(text: str, start: int, token: str) -> bool:
    if len(token) < 5:
        return False
    vowels = sum(c in _VOWELS for c in token)
    if vowels < 2 or vowels / len(token) < 0.3:
        return False
    before = text[max(0, start - 40):start]
    previous = re.search(r"([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\)?\s+(?:[A-Z]{2,}\s+)?$", before)
    following = re.match(r"\s+([A-ZÀ-Ý][a-zà-ÿ]+)", text[start + len(token):start + len(token) + 30])
    return bool(previous or following)


def _sentence_initial(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 3):start])) or start == 0


def _acronym_entries(index: GlossaryIndex, token: str) -> tuple[list[int], str]:
    for key in acronym_keys(token):
        if key in index.acronyms:
            return index.acronyms[key], key
    return [], ""


def _text_context(index: GlossaryIndex, entry_sets: list[list[int]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    countries: Counter = Counter()
    sectors: Counter = Counter()
    for entries in entry_sets:
        senses = [index.entries[n] for n in entries if index.entries[n].kind != "actor"]
        roots = {index.territory_ancestors(c)[-1] for e in senses for c in e.countries}
        if len(roots) == 1:
            countries[next(iter(roots))] += 1
        own = {s for e in senses for s in e.sectors}
        if len(own) == 1:
            sectors[next(iter(own))] += 1
    top_country = tuple(c for c, _ in countries.most_common(1))
    top_sectors = tuple(s for s, _ in sectors.most_common(2))
    return top_country, top_sectors


def decode(index: GlossaryIndex, text: str, country: str | None = None, sector: str | None = None,
           max_senses: int = MAX_SENSES) -> dict:
    """Annotations and unknown acronyms of ``text`` (see the module docstring and the CLI contract)."""
    phrases, lengths = term_table(index)
    written = written_forms(index)
    # --- terms: greedy longest match over folded, singularised words
    spans = [(m.start(), m.end(), _singular(fold(m.group()))) for m in _WORD.finditer(text)]
    words = [w for _, _, w in spans]
    found: list[tuple[int, int, str, list[int]]] = []
    i = 0
    while i < len(words):
        matched = False
        for length in lengths.get(words[i], ()):
            key = tuple(words[i:i + length])
            if len(key) == length and key in phrases:
                found.append((spans[i][0], spans[i + length - 1][1], "term", phrases[key]))
                i += length
                matched = True
                break
        if not matched:
            i += 1
    # --- definitions the text gives itself
    defined = {}
    for pair in extract_pairs(text):
        defined.setdefault(acronym_key(pair.short), pair)
    # --- acronyms
    unknown: dict[str, list[list[int]]] = defaultdict(list)
    unknown_text: dict[str, str] = {}
    not_sigles: set[str] = set()
    skip = [m.span() for m in _URL_OR_EMAIL.finditer(text)]
    lowered = {m.group().casefold() for m in _WORD.finditer(text) if not m.group().isupper()}
    for match in _CANDIDATE.finditer(text):
        token, token_start = match.group(), match.start()
        if skip and any(a <= token_start < b for a, b in skip):
            continue
        elision = _ELISION.match(token)
        if elision:
            token, token_start = token[elision.end():], token_start + elision.end()
        parts = [(token, token_start)]
        entries, key = _acronym_entries(index, token)
        if not entries and "-" in token:
            parts, offset = [], token_start
            for piece in token.split("-"):
                parts.append((piece, offset))
                offset += len(piece) + 1
        for piece, start in parts:
            if not piece:
                continue
            dotted = piece.count(".") >= 2
            shaped = dotted or is_acronym_like(piece) or bool(re.fullmatch(r"[A-Z]{2,}s", piece))
            entries, key = _acronym_entries(index, piece)
            if not shaped:
                # a known acronym written as a word: four letters or more (Mado, Neet), or exactly as the
                # glossary writes it (Ase, Crip)
                titled = piece[:1].isupper() and piece[1:].islower() and (len(piece) >= 4 or piece in written)
                if not (entries and titled and not _sentence_initial(text, start)):
                    continue
            end = start + len(piece.rstrip("."))
            pair = defined.get(key or acronym_key(piece)) or defined.get(acronym_keys(piece)[-1])
            if entries or pair:
                found.append((start, end, "acronym", entries))
                continue
            letters = re.sub(r"[\W_]", "", piece)
            norm = acronym_keys(piece)[-1]
            if (len(letters) < 2 or letters.isdigit() or _ROMAN.match(piece) or _is_heading(text, start)
                    or sum(c.isupper() for c in letters) < 2 or fold(piece) in STOPWORDS):
                continue
            if (_looks_like_surname(text, start, piece) or (len(letters) >= 5 and piece.casefold() in lowered)
                    or _ordinary_capitals(text, start, piece)):
                not_sigles.add(norm)  # a surname or an ordinary word written in capitals
                continue
            unknown[norm].append([start, end])
            unknown_text.setdefault(norm, piece.rstrip("s") if piece.endswith("s") and piece[:-1].isupper()
                                    else piece)
    # --- keep the longest of overlapping spans
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept, last_end = [], -1
    for item in found:
        if item[0] >= last_end:
            kept.append(item)
            last_end = item[1]
    user = Context(country, sector).normalized()
    text_countries, text_sectors = _text_context(index, [e for _, _, k, e in kept if k == "acronym" and e])
    context = Context(user.country, user.sector, () if user.country else text_countries,
                      () if user.sector else text_sectors)
    cache: dict[tuple, list[dict]] = {}
    annotations = []
    for start, end, kind, entries in kept:
        surface = text[start:end]
        key_entries = tuple(entries)
        if key_entries not in cache:
            cache[key_entries] = _ranked(index, entries, context, max_senses)
        senses = list(cache[key_entries])
        pair = defined.get(acronym_key(surface)) if kind == "acronym" else None
        if pair is None and kind == "acronym":
            pair = defined.get(acronym_keys(surface)[-1])
        if pair is not None:
            senses.insert(0, {"label": pair.long, "sector": [], "country": [], "score": 1.0, "iri": None,
                              "acronym": pair.short, "kind": "text", "expansion": "known",
                              "reason": f"defined in this text at {pair.start}–{pair.end}"})
        annotations.append({"text": surface, "start": start, "end": end, "kind": kind,
                            "defined_in_text": pair is not None, "senses": senses})
    return {
        "annotations": annotations,
        "unknown": [{"text": unknown_text[k], "occurrences": occ} for k, occ in
                    sorted(unknown.items(), key=lambda item: item[1][0][0]) if k not in not_sigles],
        "context": {"country": context.country, "sector": context.sector,
                    "text_countries": list(context.text_countries), "text_sectors": list(context.text_sectors)},
    }


def _ranked(index: GlossaryIndex, entries: list[int], context: Context, max_senses: int) -> list[dict]:
    ranked = []
    covered = {index.entries[n].service_type for n in entries if index.entries[n].kind == "sense"}
    for n in entries:
        entry = index.entries[n]
        if entry.kind == "service_type" and entry.iri in covered:
            continue
        score, reason = rank_entry(index, entry, 1.0, "known", context)
        if not entry.is_current():
            reason += f"; historical sense (until {entry.valid_to})"
        ranked.append((score, entry, reason))
    # current senses first, then by score; equal scores: the user's (or the home) country first
    ranked.sort(key=lambda r: (not r[1].is_current(), -r[0], tie_break(index, r[1], context),
                               KIND_ORDER.get(r[1].kind, 9), r[1].id))
    actors = 0
    senses = []
    for score, entry, reason in ranked:
        if entry.kind == "actor":
            actors += 1
            if actors > MAX_ACTORS:
                continue
        senses.append({"label": entry.label, "sector": list(entry.sectors), "country": list(entry.countries),
                       "score": score, "iri": entry.iri, "acronym": entry.acronym, "kind": entry.kind,
                       "expansion": entry.expansion, "reason": reason, "current": entry.is_current()})
        if len(senses) >= max_senses:
            break
    return senses


