"""Harvest a corpus of public documents for new acronyms, and propose unknown acronyms, to the review queue.

Corpus folder format (one document = two files with the same *doc-id*, the file stem, matching
``[A-Za-z0-9][A-Za-z0-9._-]*``)::

    corpus/<doc-id>.txt     the text (UTF-8; ``.md``, ``.pdf``, ``.docx`` are read too, see :mod:`.readers`)
    corpus/<doc-id>.json    the sidecar: {"url": "https://…", "title": "…", "date": "2024-05-01",
                            "seen": "2026-12-07", "publisher": "…", "country": "be-fwb", "sector": "…"};
                            ``url`` and ``title`` are required, ``date`` is the publication date (or,
                            failing it, the date seen); ``country`` and ``sector``, if given, prefill the
                            suggested glossary row

A document without a readable sidecar giving ``url`` and ``title`` is skipped (every statement needs a
source). Other files are ignored.

Definitions (:func:`harvest`):

* a **candidate** is a distinct (short form, long form) pair that :func:`.extract.extract_pairs` finds
  in one document;
* it is **already known** when the glossary has an entry with that acronym key and that expansion (loose key of
  a label or variant, as in :mod:`.ingest`); a **new expansion** when the acronym key is in the index
  with other expansions only; a **new acronym** when the acronym key (or its singular) is not in the index;
* new expansions and new acronyms are **queued** (kind ``sense``) with the document id, the offsets, a
  snippet, and a locator (line and paragraph, both 1-based; paragraphs are separated by blank lines);
  the queue ignores a candidate already queued from the same document at the same offset, so that a
  second run queues nothing (it is counted as ``already_queued``).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .extract import extract_pairs
from .index import GlossaryIndex
from .lookup import match_entries
from .normalize import acronym_key, acronym_keys, dehyphenate, fold, loose_key
from .readers import SUPPORTED, ReadError, read_document
from .review_queue import ReviewQueue

__all__ = ["CorpusDocument", "HarvestReport", "read_corpus", "harvest", "propose_unknown", "classify", "locate"]

DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    return dehyphenate(text[max(0, start - width):min(len(text), end + width)])


def _known_expansion(index: GlossaryIndex, short: str, long: str) -> str | None:
    """The IRI of an entry with the acronym key of ``short`` and a label or variant of ``long``'s loose key."""
    want = loose_key(long)
    for key in acronym_keys(short):
        for n in index.acronyms.get(key, []):
            entry = index.entries[n]
            if any(loose_key(t) == want for t in [*entry.labels.values(), *entry.variants]):
                return entry.iri
    return None


@dataclass(frozen=True)
class CorpusDocument:
    """One document of a corpus folder: its id, text and sidecar metadata."""

    id: str
    path: str
    text: str
    url: str
    title: str
    date: str | None = None
    meta: dict = field(default_factory=dict)

    def source(self) -> dict:
        return {"id": self.id, "url": self.url, "title": self.title, "date": self.date}


@dataclass
class HarvestReport:
    """Counts of one harvest run, and what was queued or skipped."""

    documents: int = 0
    candidates: int = 0
    already_known: int = 0
    new_expansion: int = 0
    new_acronym: int = 0
    queued: int = 0
    already_queued: int = 0
    skipped: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)

    def counts(self) -> dict:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}

    def as_dict(self) -> dict:
        return asdict(self)


def read_corpus(folder: Path | str) -> tuple[list[CorpusDocument], list[dict]]:
    """The documents of ``folder`` in doc-id order, and the skipped files with the reason."""
    folder = Path(folder)
    documents, skipped = [], []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUPPORTED or not path.is_file():
            continue
        doc_id = path.stem
        if not DOC_ID.match(doc_id):
            skipped.append({"file": path.name, "reason": "the file name is not a valid doc-id"})
            continue
        sidecar = path.with_suffix(".json")
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            skipped.append({"file": path.name, "reason": f"no readable sidecar {sidecar.name}: {err}"})
            continue
        if not isinstance(meta, dict) or not meta.get("url") or not meta.get("title"):
            skipped.append({"file": path.name, "reason": f"the sidecar {sidecar.name} lacks url or title"})
            continue
        try:
            text = read_document(path).text
        except ReadError as err:
            skipped.append({"file": path.name, "reason": str(err)})
            continue
        documents.append(CorpusDocument(doc_id, str(path), text, str(meta["url"]), str(meta["title"]),
                                         meta.get("date") or meta.get("seen"), meta))
    return documents, skipped


def locate(text: str, offset: int) -> dict:
    """Line and paragraph (1-based) of ``offset`` in ``text``; paragraphs are separated by blank lines."""
    before = text[:offset]
    return {"line": before.count("\n") + 1, "paragraph": len(re.findall(r"\n[ \t]*\n", before)) + 1}


def classify(index: GlossaryIndex, short: str, long: str) -> tuple[str, str | None]:
    """``("known", iri)``, ``("new_expansion", None)`` or ``("new_acronym", None)`` for a pair."""
    known = _known_expansion(index, short, long)
    if known:
        return "known", known
    if any(key in index.acronyms for key in acronym_keys(short)):
        return "new_expansion", None
    return "new_acronym", None


def harvest(index: GlossaryIndex, corpus: Path | str | list[CorpusDocument], queue: ReviewQueue | None,
            dry_run: bool = False) -> HarvestReport:
    """Extract the pairs of every corpus document, compare them with ``index``, queue the new ones.

    With ``dry_run`` (or no ``queue``) nothing is written and ``queued`` counts what would be queued.
    """
    report = HarvestReport()
    if isinstance(corpus, list):
        documents = corpus
    else:
        documents, report.skipped = read_corpus(corpus)
    for doc in documents:
        report.documents += 1
        for pair in extract_pairs(doc.text):
            report.candidates += 1
            status, iri = classify(index, pair.short, pair.long)
            if status == "known":
                report.already_known += 1
                continue
            setattr(report, status, getattr(report, status) + 1)
            start, end = min(pair.start, pair.short_start), max(pair.end, pair.short_end)
            where = locate(doc.text, pair.short_start)
            locator = f"{doc.id} line {where['line']}, paragraph {where['paragraph']}"
            row = {"acronym": pair.short, "term_fr": pair.long, "expansion": "known",
                   "sector": str(doc.meta.get("sector") or ""), "country": str(doc.meta.get("country") or ""),
                   "source": "", "locator": locator}
            payload = {"short": pair.short, "long": pair.long, "pattern": pair.pattern, "status": status,
                       "found_by": "harvest", "source": doc.source(), "locator": where, "row": row}
            item = {"document": doc.id, "short": pair.short, "long": pair.long, "status": status, **where}
            if dry_run or queue is None:
                report.queued += 1
                item["id"] = None
            else:
                candidate = queue.add("sense", f"{pair.short}={loose_key(pair.long)}", payload, doc.id, start, end,
                                      _snippet(doc.text, start, end))
                if candidate is None:
                    report.already_queued += 1
                    continue
                report.queued += 1
                item["id"] = candidate
            report.items.append(item)
    return report


def propose_unknown(index: GlossaryIndex, queue: ReviewQueue, acronym: str, text: str | None = None,
                    document: str | None = None, country: str | None = None, sector: str | None = None) -> dict:
    """Propose ``acronym``, which lookup did not find, to the editors' review queue (kind ``sense``).

    If ``text`` is given (where the user saw it), the candidate carries the first place it occurs (offsets,
    snippet, line and paragraph) and, when the text defines it (:func:`.extract.extract_pairs`), its
    expansion. Returns ``{"status": "queued" | "already_queued" | "known", "id", "long"}``; a known
    acronym (a hit of :func:`.lookup.match_entries`) is not queued. Proposing the same acronym from the same
    place twice queues it once.
    """
    short = acronym.strip()
    if not acronym_key(short):
        raise ValueError("an acronym needs at least one letter or digit")
    if match_entries(index, short, fuzzy=False):
        return {"status": "known", "id": None, "long": None}
    start = end = 0
    snippet = locator = long = None
    if text:
        match = re.search(rf"(?<!\w){re.escape(short)}(?!\w)", text) or \
            re.search(rf"(?<!\w){re.escape(fold(short))}(?!\w)", fold(text))
        if match:
            start, end = match.span()
            snippet = _snippet(text, start, end)
            locator = locate(text, start)
        key = acronym_key(short)
        long = next((p.long for p in extract_pairs(text) if key in acronym_keys(p.short)
                     or acronym_key(p.short) == key), None)
    row = {"acronym": short, "term_fr": long or "", "expansion": "known" if long else "unknown",
           "sector": sector or "", "country": country or "", "source": "", "locator": ""}
    payload = {"short": short, "long": long, "status": "unknown_in_lookup", "found_by": "lookup",
               "locator": locator, "row": row}
    candidate = queue.add("sense", f"{short}={loose_key(long) if long else ''}", payload, document or "lookup",
                          start, end, snippet)
    return {"status": "queued" if candidate is not None else "already_queued", "id": candidate, "long": long}
