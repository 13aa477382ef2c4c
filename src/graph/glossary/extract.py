"""Find the abbreviations a text defines itself, with their expansions (French-aware).

The classic method is Schwartz & Hearst (2003), *A simple algorithm for identifying abbreviation
definitions in biomedical text*, PSB 8:451-462: for ``long form (SHORT)``, walk the short form's
characters right to left and find each in the words before the parenthesis, the first character at
the start of a word. This module keeps that idea and adapts it to French administrative prose:

* **patterns** — ``long (SHORT)``, ``SHORT (long)``, ``SHORT : long``, ``SHORT = long``, ``SHORT – long``,
  ``long – SHORT``, ``SHORT, c'est-à-dire long``, ``SHORT, qui est l'acronyme de long``, ``SHORT signifie
  long``, and glossary lines (``SHORT<tab>long``); a quoted name before the parenthesis
  (``« It Takes a Village to Raise a Child » (VRAC)``) is taken whole;
* **alignment** — the letters of the short form must be found, in order, in the words of the long
  form, where *every content word contributes at least its first letter* and may contribute further
  letters from inside itself (``MADO`` = **Ma**ison de l'a**do**lescent); French articles and
  prepositions (d', de, du, des, à, la, le, l', et…) may be skipped or may contribute
  (``SESSAD`` = Service d'Éducation Spéciale et de Soins **À** Domicile); accents are folded; hyphenated
  compounds are separate words (Centre-**M**édico-**P**sycho-**P**édagogique → CMPP); a word cut at a
  line end (``De-⏎velopment``) is joined; a plural ``s`` of the short form is dropped (``AMOs``). Among
  the possible long forms the one with most word-initial letters wins, then the shortest — the
  "every content word" rule is what rejects most false candidates; failing any alignment, ``long (SHORT)``
  also accepts content words whose initials are the short form's letters in another order, first letter
  kept (``Association des Centres Sociaux de Wattrelos (ASCW)``);
* **rejections** — citations ``(MSSS, 2016)``, legal references ``(art. 3, §2)``, ``(M.B. …)``, party
  labels after a person's name (``Paul Simon (PS)``), country codes ``(BE)``, and places or
  organisations in parentheses that do not align.

Returns :class:`Pair` objects whose ``long`` is the expansion as written (line breaks and
line-end hyphens normalised, leading article removed) and ``start``/``end`` its offsets in the text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from .normalize import STOPWORDS, dehyphenate, fold, is_acronym_like

__all__ = ["Pair", "extract_pairs", "align_score", "PARTY_LABELS", "COUNTRY_CODES"]

PARTY_LABELS = frozenset({
    "PS", "MR", "CDH", "CD&V", "N-VA", "NVA", "PTB", "PVDA", "ECOLO", "DEFI", "LR", "RN", "LFI", "PCF", "UDI",
    "EELV", "UDC", "PLR", "PSS", "VB", "VLD", "SPA", "LREM", "MODEM", "PSD", "CSP", "PDC",
})
"""Belgian, French and Swiss party labels: in ``Nom Prénom (PS)`` the parenthesis is no definition."""

COUNTRY_CODES = frozenset({"BE", "FR", "UK", "GB", "NL", "CH", "LU", "DE", "US", "IT", "ES", "EU"})

_TOKEN = re.compile(r"[^\W_]+(?:-[ \t]*\r?\n[ \t]*[^\W_]+)*|&", re.UNICODE)
_CITATION = re.compile(r"(?:,|\bet al\.?|&)\s*(?:\d{4}[a-z]?|s\.\s?d\.)\s*$|^\s*\d{4}[a-z]?\s*$|^[^()]*,\s*p\.\s*\d+")
_LEGAL = re.compile(r"\b(?:art|al|ann|chap|liv|tit|sect|cf|cfr|voir|p)\.|§|\b(?:articles?|lois?|décrets?|codes?|"
                    r"arrêtés?|ordonnances?|circulaires?|M\.\s?B\.|JORF|Moniteur)\b|\bL\.\s?\d", re.IGNORECASE)
_POLITICAL = re.compile(r"\b(?:député|ministre|échevin|bourgmestre|sénat|président|conseill|candidat|élu|maire|"
                        r"parti|groupe)\w*", re.IGNORECASE)
_LEFT_BOUNDARY = re.compile(r"[.;:!?()\[\]•|«»\"“”]|\n[ \t]*\n|\s[–—-]\s")
_RIGHT_BOUNDARY = re.compile(r"[.;!?()\[\]•|«»\"“”]|\n[ \t]*\n|\n[ \t]*[-•*]")
_SHORT_TOKEN = r"[A-Z0-9ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ][A-Za-z0-9ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜàâäçéèêëîïôöùûü&./'’-]{0,13}"
_RIGHT_MARKERS = re.compile(
    rf"(?P<short>{_SHORT_TOKEN})\s*(?:"
    r"(?P<colon>[ \t]*[:=][ \t]*)|(?P<tab>\t+)|(?P<dash>[ \t]+[–—-][ \t]+)|"
    r"(?P<verbal>,?\s+(?:c['’]est-à-dire|c\.-à-d\.|soit|qui signifie|signifie|veut dire|qui veut dire|"
    r"(?:qui )?est l['’]acronyme de|acronyme de|pour)\s+))")
_LEFT_DASH = re.compile(rf"[ \t]+[–—-][ \t]+(?P<short>{_SHORT_TOKEN})(?=[ \t]*(?:$|[\n.,;:)]))", re.MULTILINE)
_NEG = -(10**6)


@dataclass(frozen=True)
class Pair:
    """One abbreviation defined in a text: ``short``, ``long`` (as written), offsets, and the pattern used."""

    short: str
    long: str
    start: int
    end: int
    short_start: int
    short_end: int
    pattern: str
    initials: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("initials")
        return data


# ------------------------------------------------------------------ tokens and alignment

def _tokens(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """(folded letters, start, end) of each word of ``text``; line-end hyphenation joined."""
    found = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        letters = re.sub(r"[\W_]+", "", fold(raw)) if raw != "&" else "&"
        found.append((letters, match.start() + offset, match.end() + offset))
    return found


def _short_letters(short: str) -> str:
    return re.sub(r"[\W_]+", "", fold(short))


@lru_cache(maxsize=4096)
def _align(words: tuple[str, ...], short: str) -> int:
    """Most word-initial letters in an alignment of ``short`` to ``words``, or a negative number if none.

    Every non-stopword must contribute its first letter (and may contribute later letters of itself);
    stopwords may contribute or be skipped; the alignment must use every letter and end on the last word.
    """
    n, m = len(words), len(short)
    stops = [w in STOPWORDS or w == "&" for w in words]
    memo: dict[tuple[int, int], int] = {}

    def best(ti: int, si: int) -> int:
        if si == m:
            return 0 if ti == n else _NEG
        if ti == n:
            return _NEG
        key = (ti, si)
        if key in memo:
            return memo[key]
        result = _NEG
        if stops[ti]:
            result = best(ti + 1, si)
        word = words[ti]
        if word and word[0] == short[si]:
            j, pos = si + 1, 1
            rest = best(ti + 1, j)
            if rest > _NEG:
                result = max(result, rest + 1)
            while j < m:
                idx = word.find(short[j], pos)
                if idx < 0:
                    break
                j, pos = j + 1, idx + 1
                rest = best(ti + 1, j)
                if rest > _NEG:
                    result = max(result, rest + 1)
        memo[key] = result
        return result

    return best(0, 0)


def align_score(long: str, short: str) -> int:
    """Public form of the alignment: word-initial letters of ``short`` found in ``long`` (< 0: no alignment)."""
    letters = _short_letters(short)
    words = tuple(t for t, _, _ in _tokens(long))
    return _align(words, letters) if letters and words else _NEG


def _short_variants(short: str) -> list[tuple[str, str]]:
    """(display form, letters) of ``short``: ``AMOs`` → ``[("AMO", "amo"), ("AMOs", "amos")]``."""
    clean = short.strip().strip(".,;:'’")
    variants = []
    if len(clean) > 2 and clean.endswith("s") and sum(c.isupper() for c in clean[:-1]) >= 2:
        variants.append((clean[:-1], _short_letters(clean[:-1])))
    variants.append((clean, _short_letters(clean)))
    return variants


def _is_short(candidate: str) -> bool:
    text = candidate.strip()
    letters = _short_letters(text)
    return (2 <= len(letters) <= 10 and len(text.split()) <= 2 and is_acronym_like(text.replace(" ", ""))
            and not text.isdigit())


# ------------------------------------------------------------------ long form selection

def _best_left(tokens: list[tuple[str, int, int]], short: str, max_words: int) -> tuple[int, int] | None:
    """Index of the first token of the best long form ending at the last token, and its initials."""
    best: tuple[int, int, int] | None = None  # (initials, -length, start)
    n = len(tokens)
    content_seen = 0
    for start in range(n - 1, -1, -1):
        word = tokens[start][0]
        if word not in STOPWORDS:
            content_seen += 1
            if content_seen > max_words:
                break
        if not word or word in STOPWORDS or word[0] != short[0]:
            continue
        score = _align(tuple(t for t, _, _ in tokens[start:]), short)
        if score > 0:
            candidate = (score, -(n - start), start)
            if best is None or candidate > best:
                best = candidate
    return (best[2], best[0]) if best else None


def _permuted_left(tokens: list[tuple[str, int, int]], short: str) -> tuple[int, int] | None:
    """The shortest long form ending at the last token whose content words' initials are the letters of
    ``short`` in another order, with the same first letter (``Association des Centres Sociaux de Wattrelos
    (ASCW)``); one content word per letter, none left over."""
    if len(short) < 3:
        return None
    wanted = sorted(short)
    initials: list[str] = []
    for start in range(len(tokens) - 1, -1, -1):
        word = tokens[start][0]
        if not word or word in STOPWORDS:
            continue
        initials.append(word[0])
        if len(initials) > len(short):
            return None
        if len(initials) == len(short):
            if word[0] == short[0] and sorted(initials) == wanted:
                return start, len(short)
            return None
    return None


def _best_right(tokens: list[tuple[str, int, int]], short: str, max_words: int) -> tuple[int, int] | None:
    """Index one past the last token of the best long form starting at the first token, and its initials."""
    best: tuple[int, int, int] | None = None
    if not tokens or tokens[0][0] in STOPWORDS or not tokens[0][0] or tokens[0][0][0] != short[0]:
        return None
    content = 0
    for end in range(1, len(tokens) + 1):
        word = tokens[end - 1][0]
        if word not in STOPWORDS:
            content += 1
            if content > max_words:
                break
        else:
            continue
        score = _align(tuple(t for t, _, _ in tokens[:end]), short)
        if score > 0:
            candidate = (score, -end, end)
            if best is None or candidate > best:
                best = candidate
    return (best[2], best[0]) if best else None


def _strip_articles(tokens: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    i = 0
    while i < len(tokens) - 1 and tokens[i][0] in {"l", "la", "le", "les", "un", "une", "the", "het", "des", "du"}:
        i += 1
    return tokens[i:]


def _long_text(text: str, start: int, end: int) -> str:
    return dehyphenate(text[start:end]).strip(" ,;:-–—'’\"«»")


def _rejected(short: str, long: str, before: str) -> bool:
    key = re.sub(r"[\s.]", "", short).upper()
    if key in PARTY_LABELS:
        words = long.split()
        if all(w[:1].isupper() for w in words) or _POLITICAL.search(before[-80:]):
            return True
    if key in COUNTRY_CODES and len(long.split()) < 2:
        return True
    long_key = fold(long)
    return fold(short) in long_key.split() or len(long_key.replace(" ", "")) <= len(_short_letters(short))


# ------------------------------------------------------------------ the patterns

def _paren_pairs(text: str) -> list[Pair]:
    pairs = []
    for match in re.finditer(r"\(([^()\n]{1,200}(?:\n[^()\n]{1,200}){0,2})\)", text):
        inner = match.group(1)
        inner_start = match.start(1)
        if _CITATION.search(inner) or _LEGAL.search(inner):
            continue
        before_all = text[:match.start()]
        if _is_short(inner):
            pairs.extend(_long_before(text, before_all, inner.strip(), inner_start + (len(inner) - len(inner.lstrip())),
                                      "long (SHORT)"))
            continue
        # SHORT (long): the word just before the parenthesis is the short form
        head = re.search(rf"({_SHORT_TOKEN})\s*$", before_all)
        if head:
            short, short_start = head.group(1), head.start(1)
            elision = re.match(r"[LlDd]['’]", short)
            if elision:
                short, short_start = short[elision.end():], short_start + elision.end()
            if _is_short(short):
                pairs.extend(_long_after(text, inner, inner_start, short, short_start, "SHORT (long)", whole=True))
    return pairs


def _long_before(text: str, before: str, short: str, short_start: int, pattern: str) -> list[Pair]:
    """Pairs whose long form precedes ``short`` (``long (SHORT)``, ``long – SHORT``)."""
    stripped = before.rstrip()
    found = []
    for display, letters in _short_variants(short):
        if not letters:
            continue
        quote = re.search(r"[«\"“]\s*([^«»\"“”\n]{2,200}(?:\n[^«»\"“”\n]{1,200}){0,2}?)\s*[»\"”]$", stripped)
        if quote:
            q_tokens = _tokens(quote.group(1), quote.start(1))
            result = _best_left(q_tokens, letters, 99)
            if result is not None:
                start, end = q_tokens[0][1], q_tokens[-1][2]
                long = _long_text(text, start, end)
                if not _rejected(display, long, before):
                    found.append(Pair(display, long, start, end, short_start, short_start + len(short), pattern,
                                      result[1]))
                    break
        bounds = list(_LEFT_BOUNDARY.finditer(before))
        window_start = bounds[-1].end() if bounds else 0
        tokens = _tokens(before[window_start:], window_start)
        if not tokens:
            continue
        max_words = min(len(letters) + 5, len(letters) * 2)
        result = _best_left(tokens, letters, max_words)
        if result is None and pattern == "long (SHORT)":
            result = _permuted_left(tokens, letters)
        if result is None:
            continue
        first, initials = result
        start, end = tokens[first][1], tokens[-1][2]
        long = _long_text(text, start, end)
        if _rejected(display, long, before[:start]):
            continue
        found.append(Pair(display, long, start, end, short_start, short_start + len(short), pattern, initials))
        break
    return found


def _long_after(text: str, segment: str, segment_start: int, short: str, short_start: int, pattern: str,
                whole: bool = False) -> list[Pair]:
    """Pairs whose long form follows ``short`` in ``segment`` (``SHORT (long)``, ``SHORT : long``…)."""
    tokens = _strip_articles(_tokens(segment, segment_start))
    for display, letters in _short_variants(short):
        if not letters or not tokens:
            continue
        max_words = min(len(letters) + 5, len(letters) * 2)
        if whole:
            content = sum(1 for t, _, _ in tokens if t not in STOPWORDS)
            score = _align(tuple(t for t, _, _ in tokens), letters) if content <= max_words else _NEG
            result = (len(tokens), score) if score > 0 else None
            if result is None and content >= 3 and tokens[0][0] not in STOPWORDS:
                # a head noun may precede the letters: "AMOs (services d'action en milieu ouvert)"
                tail = _strip_articles([t for t in tokens[1:]]) if len(tokens) > 1 else []
                while tail and tail[0][0] in STOPWORDS:
                    tail = tail[1:]
                score = _align(tuple(t for t, _, _ in tail), letters) if tail else _NEG
                result = (len(tokens), score) if score > 0 else None
            if result is None:
                # a description may follow the expansion after a comma: "(centre médico-psycho-pédagogique, Lille)"
                cut = re.search(r"[,–—]", segment)
                if cut:
                    sub = [t for t in tokens if t[2] <= segment_start + cut.start()]
                    score = _align(tuple(t for t, _, _ in sub), letters) if sub else _NEG
                    result = (len(sub), score) if score > 0 else None
        else:
            result = _best_right(tokens, letters, max_words)
        if result is None:
            continue
        last, initials = result
        start, end = tokens[0][1], tokens[last - 1][2]
        long = _long_text(text, start, end)
        if _rejected(display, long, text[:short_start]):
            continue
        return [Pair(display, long, start, end, short_start, short_start + len(short), pattern, initials)]
    return []


def _marker_pairs(text: str) -> list[Pair]:
    pairs = []
    for match in _RIGHT_MARKERS.finditer(text):
        short, short_start = match.group("short"), match.start("short")
        elision = re.match(r"[LlDd]['’]", short)
        if elision:
            short, short_start = short[elision.end():], short_start + elision.end()
        if not _is_short(short):
            continue
        before = text[max(0, short_start - 3):short_start]
        elided = bool(re.search(r"(?:^|\W)[LlDd]['’]$", before))
        if short_start > 0 and not elided and (before[-1].isalnum() or before[-1] in "-'’"):
            continue
        kind = "SHORT : long" if match.group("colon") else "SHORT<tab>long" if match.group("tab") else \
            "SHORT – long" if match.group("dash") else "SHORT, c'est-à-dire long"
        if match.group("tab") or (match.group("colon") and ":" in match.group("colon")):
            line_start = text.rfind("\n", 0, match.start()) + 1
            if kind == "SHORT<tab>long" and text[line_start:match.start()].strip(" -•*\t"):
                continue
        rest_start = match.end()
        bound = _RIGHT_BOUNDARY.search(text, rest_start)
        rest_end = bound.start() if bound else len(text)
        line_end = text.find("\n\n", rest_start)
        if line_end != -1:
            rest_end = min(rest_end, line_end)
        pairs.extend(_long_after(text, text[rest_start:rest_end], rest_start, short, short_start, kind))
    for match in _LEFT_DASH.finditer(text):
        short = match.group("short")
        if not _is_short(short):
            continue
        pairs.extend(_long_before(text, text[:match.start()], short, match.start("short"), "long – SHORT"))
    return pairs


def extract_pairs(text: str, unique: bool = True) -> list[Pair]:
    """Every abbreviation ``text`` defines, in text order; with ``unique``, the first of each (short, long)."""
    found = _paren_pairs(text) + _marker_pairs(text)
    found.sort(key=lambda p: (p.short_start, -p.initials))
    result, seen, spans = [], set(), set()
    for pair in found:
        key = (pair.short.upper(), fold(pair.long))
        if (pair.short_start, pair.start) in spans:
            continue
        spans.add((pair.short_start, pair.start))
        if unique and key in seen:
            continue
        seen.add(key)
        result.append(pair)
    return result
