"""Look up an acronym or a term: exact, normalised, reverse (full form → acronym) and fuzzy.

Order of attempts for a query *q* (first that finds something wins, see :func:`match_entries`):

1. **exact** — the acronym key of *q* (``A.M.O.`` → ``amo``, a *normalised* match when *q* is not
   written as the acronym) or its loose phrase key (full forms, variants, in any language) is in the index;
2. **inflected** — the plural ``s`` dropped (``AMOs`` → ``AMO``);
3. **reverse** — *q* has several words: entries whose full form shares its content words, scored by
   rapidfuzz's ``token_set_ratio`` ≥ 80 (``aide en milieu ouvert`` → AMO);
4. **fuzzy** — Levenshtein distance ≤ 1 on acronym keys of four letters or more, ≤ 2 on longer
   keys; a typo on a two- or three-letter acronym is too ambiguous and only yields suggestions.

Definitions of the result (:func:`lookup`):

* a **hit** is a match of attempts 1–3; hits are ``senses`` (jargon senses, service types, sectors) and
  ``actors`` (organisations), two separate lists;
* a **near match** is a match of attempt 4 only: it is never a hit, it goes to ``near`` with the reason
  « proche de X », and only when there is no hit;
* ``status`` is ``"found"`` when there is a hit, else ``"unknown"``; an unknown query also gets
  ``suggestions`` ("did you mean") and ``mentions``: the entries whose definition or note contains the
  query as a word (``id``, ``label``, ``snippet``);
* order of hits: current senses before historical ones (see :meth:`Entry.is_current`), then the match
  tier (exact acronym, exact full form or term, inflected, reverse: an exact acronym always first), then
  the context score (:func:`graph.glossary.context.rank_entry`), then :func:`~.context.tie_break`.

A historical sense lists what replaced it (``replaced_by``: id, label, acronym of each successor) and
says so in its reason; a successor lists what it replaced (``replaces``). A sense whose expansion is
unknown is returned with ``label = None`` and ``expansion = "unknown"``: never with a made-up form.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .context import Context, rank_entry, tie_break
from .index import GlossaryIndex
from .model import KIND_ORDER, Entry
from .normalize import STOPWORDS, acronym_key, acronym_keys, fold, loose_key

__all__ = ["lookup", "lookup_many", "sense_dict", "match_entries", "suggest", "mentions", "successors", "predecessors",
           "MAX_ACTORS", "MAX_NEAR", "MAX_MENTIONS", "TIERS"]

MAX_ACTORS = 5
"""At most this many actors are listed for one query; the others are counted in ``actors_omitted``."""
MAX_NEAR = 10
"""At most this many near matches."""
MAX_MENTIONS = 10
"""At most this many mentions of an unknown query."""
TIERS = {"exact acronym": 0, "exact": 1, "inflected": 2, "reverse": 3, "fuzzy": 4}
"""Rank of a match kind among hits (lower first); ``exact acronym`` is an exact or normalised acronym key."""


def sense_dict(index: GlossaryIndex, entry: Entry, score: float, reason: str, match: str) -> dict:
    """The JSON form of one ranked sense (the keys of the CLI contract first)."""
    service_type = None
    if entry.service_type and entry.service_type in index.by_iri:
        st = index.entries[index.by_iri[entry.service_type]]
        service_type = {"iri": st.iri, "id": st.id, "label": st.label, "acronym": st.acronym}
    actor = None
    if entry.actor and entry.actor in index.by_iri:
        act = index.entries[index.by_iri[entry.actor]]
        actor = {"iri": act.iri, "id": act.id, "label": act.label}
    return {
        "label": entry.label,
        "acronym": entry.acronym,
        "definition": entry.definition,
        "sector": list(entry.sectors),
        "country": list(entry.countries),
        "score": score,
        "reason": reason,
        "iri": entry.iri,
        "sources": [s.as_dict() for s in entry.sources],
        "id": entry.id,
        "kind": entry.kind,
        "expansion": entry.expansion,
        "match": match,
        "acronyms": list(entry.acronyms),
        "labels": dict(entry.labels),
        "service_type": service_type,
        "actor": actor,
        "note": entry.note,
        "current": entry.is_current(),
        "valid_from": entry.valid_from,
        "valid_to": entry.valid_to,
        "replaced_by": successors(index, entry),
        "replaces": predecessors(index, entry),
    }


def successors(index: GlossaryIndex, entry: Entry) -> list[dict]:
    """What replaced ``entry``: ``{"id", "iri", "label", "acronym", "current"}`` of each successor in the index."""
    found = []
    for iri in entry.replaced_by:
        n = index.by_iri.get(iri)
        if n is None:
            found.append({"id": iri.rsplit("/", 1)[-1], "iri": iri, "label": None, "acronym": None, "current": None})
            continue
        succ = index.entries[n]
        found.append({"id": succ.id, "iri": succ.iri, "label": succ.label, "acronym": succ.acronym,
                      "current": succ.is_current()})
    return found


def predecessors(index: GlossaryIndex, entry: Entry) -> list[dict]:
    """The senses ``entry`` replaced (their ``replaced_by`` names it): ``{"id", "iri", "label", "acronym",
    "valid_to"}`` of each."""

    def build(idx: GlossaryIndex) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for n, other in enumerate(idx.entries):
            for iri in other.replaced_by:
                found.setdefault(iri, []).append(n)
        return found

    return [{"id": old.id, "iri": old.iri, "label": old.label, "acronym": old.acronym, "valid_to": old.valid_to}
            for old in (index.entries[n] for n in index.cached("predecessors", build).get(entry.iri, ()))]


def _exact(index: GlossaryIndex, query: str) -> tuple[dict[int, tuple[float, str, str]], str]:
    found: dict[int, tuple[float, str, str]] = {}
    keys = acronym_keys(query)
    if keys and keys[0] in index.acronyms:
        written = query.strip()
        for n in index.acronyms[keys[0]]:
            entry = index.entries[n]
            how = "exact acronym" if written in entry.acronyms or not entry.acronyms else \
                f"exact acronym (normalised: {written} = {entry.acronym})"
            found[n] = (1.0, how, "exact")
    phrase = loose_key(query)
    if phrase in index.phrases:
        for n in index.phrases[phrase]:
            if n not in found:
                entry = index.entries[n]
                how = "full form" if entry.acronyms else "exact term"
                found[n] = (0.98, how, "reverse" if entry.acronyms else "exact")
    if found:
        return found, "exact"
    for key in keys[1:]:
        for n in index.acronyms.get(key, []):
            found[n] = (0.95, f"plural or variant of {index.entries[n].acronym}", "inflected")
    return found, "inflected" if found else ""


def _reverse(index: GlossaryIndex, query: str) -> dict[int, tuple[float, str, str]]:
    """Entries whose full form shares the content words of a multi-word ``query``."""
    words = [w for w in loose_key(query).split() if w not in STOPWORDS]
    if not words:
        return {}
    candidates: dict[int, int] = {}
    for word in words:
        for n in index.word_index.get(word, ()):
            candidates[n] = candidates.get(n, 0) + 1
    need = max(1, (len(words) + 1) // 2)
    found: dict[int, tuple[float, str, str]] = {}
    q = loose_key(query)
    for n, shared in candidates.items():
        if shared < need:
            continue
        entry = index.entries[n]
        best = 0.0
        for text in [*entry.labels.values(), *entry.variants]:
            best = max(best, fuzz.token_set_ratio(q, loose_key(text)), fuzz.ratio(q, loose_key(text)))
        if best >= 80:
            found[n] = (0.6 + 0.35 * (best - 80) / 20, f"full form resembles the query ({best:.0f}%)", "reverse")
    return found


def _fuzzy(index: GlossaryIndex, query: str) -> dict[int, tuple[float, str, str]]:
    key = acronym_key(query)
    found: dict[int, tuple[float, str, str]] = {}
    if len(key) >= 4:
        limit = 1 if len(key) <= 6 else 2
        for choice, dist, _ in process.extract(key, index.fuzzy_acronyms, scorer=Levenshtein.distance,
                                               score_cutoff=limit, limit=10):
            for n in index.acronyms[choice]:
                found[n] = (0.8 - 0.1 * dist, f"typo-tolerant match of {index.entries[n].acronym} "
                                              f"(edit distance {dist})", "fuzzy")
    phrase = loose_key(query)
    if len(phrase) >= 6:
        for choice, ratio, _ in process.extract(phrase, index.fuzzy_phrases, scorer=fuzz.ratio, score_cutoff=88,
                                                limit=10):
            for n in index.phrases[choice]:
                if n not in found:
                    found[n] = (0.5 + 0.3 * (ratio - 88) / 12, f"typo-tolerant match of the term ({ratio:.0f}%)",
                                "fuzzy")
    return found


SUGGEST_PREFILTER_ABOVE = 5000
SUGGEST_CANDIDATES = 200


def suggest(index: GlossaryIndex, query: str, limit: int = 5) -> list[str]:
    """"Did you mean": the nearest acronyms and terms to ``query`` (display forms, best first)."""
    key, phrase = acronym_key(query), loose_key(query)
    scored: dict[str, float] = {}
    if key:
        for choice, dist, _ in process.extract(key, index.fuzzy_acronyms, scorer=Levenshtein.distance,
                                               score_cutoff=max(1, len(key) // 2), limit=limit * 2):
            entry = index.entries[index.acronyms[choice][0]]
            # the key may come from an acronym-shaped label or variant of an entry without acronyms (CATTP)
            text = next((a for a in [*entry.acronyms, *entry.variants, *entry.labels.values()]
                         if acronym_key(a) == choice), None) or entry.acronym or choice
            scored[text] = max(scored.get(text, 0), 100 - 20 * dist)
    if len(phrase) >= 3:
        choices = index.fuzzy_phrases
        if len(choices) > SUGGEST_PREFILTER_ABOVE:
            # WRatio costs ~1 µs a phrase: on a national glossary (75,000 phrases) a prefilter by partial_ratio
            # keeps the candidates that share a stretch of the query, and WRatio ranks only those.
            choices = [c for c, _r, _i in process.extract(phrase, choices, scorer=fuzz.partial_ratio,
                                                           score_cutoff=70, limit=SUGGEST_CANDIDATES)]
        for choice, ratio, _ in process.extract(phrase, choices, scorer=fuzz.WRatio, score_cutoff=70,
                                                limit=limit * 2):
            entry = index.entries[index.phrases[choice][0]]
            text = next((t for t in [*entry.labels.values(), *entry.variants] if loose_key(t) == choice),
                        entry.label or choice)
            scored[text] = max(scored.get(text, 0), ratio - 5)
    return [text for text, _ in sorted(scored.items(), key=lambda item: (-item[1], str(item[0])))][:limit]


def match_entries(index: GlossaryIndex, query: str, fuzzy: bool = True) -> dict[int, tuple[float, str, str]]:
    """Entry number → (match quality, how, match kind) for ``query``, by the first attempt that finds any
    (attempt 4, fuzzy, only with ``fuzzy``)."""
    found, _ = _exact(index, query)
    if not found and len(fold(query).split()) > 1:
        found = _reverse(index, query)
    if not found and fuzzy:
        found = _fuzzy(index, query)
    return found


def _tier(how: str, kind: str) -> int:
    return TIERS["exact acronym"] if how.startswith("exact acronym") else TIERS.get(kind, 9)


def _rank(index: GlossaryIndex, found: dict[int, tuple[float, str, str]], context: Context) -> tuple[list, int]:
    """Ranked ``(score, entry, reason, kind)`` of the found entries, and the number of actors left out."""
    ranked = []
    covered = {index.entries[n].service_type for n in found if index.entries[n].kind == "sense"}
    for n, (quality, how, kind) in found.items():
        entry = index.entries[n]
        if entry.kind == "service_type" and entry.iri in covered:
            continue  # the jargon sense that names this service type already explains it
        score, reason = rank_entry(index, entry, quality, how, context)
        current = entry.is_current()
        if not current:
            after = ", ".join(filter(None, (s["acronym"] or s["label"] or s["id"]
                                            for s in successors(index, entry))))
            reason += f"; historical sense (until {entry.valid_to})" + (f", replaced by {after}" if after else "")
        order = (not current, _tier(how, kind), -score, tie_break(index, entry, context),
                 KIND_ORDER.get(entry.kind, 9), entry.label or "", entry.id)
        ranked.append((order, score, entry, reason, kind))
    ranked.sort(key=lambda r: r[0])
    ranked = [r[1:] for r in ranked]
    actors = [r for r in ranked if r[1].kind == "actor"]
    omitted = 0
    if len(actors) > MAX_ACTORS:
        keep = {id(r) for r in actors[:MAX_ACTORS]}
        omitted = len(actors) - MAX_ACTORS
        ranked = [r for r in ranked if r[1].kind != "actor" or id(r) in keep]
    return ranked, omitted


def _mention_texts(index: GlossaryIndex) -> list[tuple[int, str, str]]:
    def build(idx: GlossaryIndex):
        texts = []
        for n, entry in enumerate(idx.entries):
            for text in (entry.definition, entry.note):
                if text:
                    texts.append((n, text, fold(text)))
        return texts

    return index.cached("mention_texts", build)


def mentions(index: GlossaryIndex, query: str, limit: int = MAX_MENTIONS, width: int = 50) -> list[dict]:
    """Entries whose definition or note contains ``query`` as a whole word (accents and case folded):
    ``{"id", "label", "acronym", "kind", "snippet"}``, in index order, at most ``limit``."""
    needle = fold(query.strip())
    if len(acronym_key(needle)) < 2:
        return []
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
    found, seen = [], set()
    for n, text, folded in _mention_texts(index):
        if n in seen or needle not in folded:
            continue
        match = pattern.search(folded)
        if not match:
            continue
        seen.add(n)
        entry = index.entries[n]
        # folding keeps lengths for French text; where it does not, the snippet is cut from the folded text
        source = text if len(text) == len(folded) else folded
        a, b = max(0, match.start() - width), min(len(source), match.end() + width)
        snippet = ("…" if a else "") + source[a:b].replace("\n", " ") + ("…" if b < len(source) else "")
        found.append({"id": entry.id, "iri": entry.iri, "label": entry.label, "acronym": entry.acronym,
                      "kind": entry.kind, "snippet": snippet})
        if len(found) >= limit:
            break
    return found


def _near(index: GlossaryIndex, query: str, context: Context) -> list[dict]:
    near = []
    found = _fuzzy(index, query)
    covered = {index.entries[n].service_type for n in found if index.entries[n].kind == "sense"}
    for n, (quality, _how, _kind) in found.items():
        entry = index.entries[n]
        if entry.kind == "service_type" and entry.iri in covered:
            continue  # as among hits: the sense that names this service type stands for it
        score, reason = rank_entry(index, entry, quality, f"proche de {entry.acronym or entry.label or entry.id}",
                                   context)
        near.append((-score, tie_break(index, entry, context), KIND_ORDER.get(entry.kind, 9), entry.id, entry, score,
                     reason))
    near.sort(key=lambda r: r[:4])
    return [sense_dict(index, entry, score, reason, "fuzzy") for *_, entry, score, reason in near[:MAX_NEAR]]


def lookup(index: GlossaryIndex, query: str, country: str | None = None, sector: str | None = None,
           context: Context | None = None, limit: int = 50) -> dict:
    """Hits and, when there is none, near matches, suggestions and mentions of ``query``.

    Returns ``{"query", "status", "senses", "actors", "actors_omitted", "near", "suggestions", "mentions"}``
    (see the module docstring); ``senses`` holds at most ``limit`` entries, ``actors`` at most
    :data:`MAX_ACTORS`.
    """
    context = (context or Context(country, sector)).normalized()
    found = match_entries(index, query, fuzzy=False)
    ranked, omitted = _rank(index, found, context)
    senses = [sense_dict(index, entry, score, reason, kind) for score, entry, reason, kind in ranked
              if entry.kind != "actor"][:limit]
    actors = [sense_dict(index, entry, score, reason, kind) for score, entry, reason, kind in ranked
              if entry.kind == "actor"]
    hit = bool(senses or actors)
    return {
        "query": query,
        "status": "found" if hit else "unknown",
        "senses": senses,
        "actors": actors,
        "actors_omitted": omitted,
        "near": [] if hit else _near(index, query, context),
        "suggestions": [] if hit else suggest(index, query),
        "mentions": [] if hit else mentions(index, query),
    }


def lookup_many(index: GlossaryIndex, queries: list[str], country: str | None = None,
                sector: str | None = None) -> list[dict]:
    """:func:`lookup` for each query, in order."""
    return [lookup(index, q, country, sector) for q in queries]
