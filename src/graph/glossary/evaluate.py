"""Precision, recall and F1 of an abbreviation extractor on a labelled set (the seeds' gold pairs).

Unit of evaluation: a distinct (document, short form, expansion) pair. A predicted pair is a true
positive when its short form equals a gold short form of the same document (acronym key, plural
``s`` dropped) and its expansion equals the gold expansion or one of its listed alternatives after
normalisation (accents and case folded, line-end hyphens joined, punctuation as spaces, leading
article dropped). Predictions that hit an already-matched gold pair through an alternative are
neither counted right nor wrong; every other prediction is a false positive.

    precision = TP / (TP + FP)      recall = TP / |gold|      F1 = 2PR / (P + R)

The reference is Schwartz & Hearst (2003) as implemented by the PyPI package ``abbreviations``
(``abbreviations.schwartz_hearst.extract_abbreviation_definition_pairs``), run on the raw lines it
expects and, to be fair to it, on paragraphs with line breaks joined.

Lookup and decode on the held-out set (``tests/glossary/eval``, built from public pages not used for
curation, see its README), scored against the glossary index given (the bundled data of the day):

* a sense **matches** an expected row when its id is in the row's ids, or one of its labels or variants
  has the :func:`norm_expansion` of one of the row's expansions;
* **top-k** (:func:`score_lookup`) = rows whose first *k* hits (``senses``, ranked with the row's
  country and sector) hold a matching sense, over all rows; near (fuzzy) matches never count;
* **decode recall** (:func:`score_decode`) = expected acronyms whose annotation's first sense matches,
  over all expected acronyms (``recall_any``: any of its senses matches);
* a row is **contaminated** when its URL is the page of a source of the index: it is counted apart, and
  every figure is also given on the clean rows only (``clean``).
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .extract import extract_pairs
from .normalize import acronym_key, dehyphenate, loose_key, phrase_key, strip_leading_article

__all__ = ["load_gold", "score_extractor", "ours", "reference_lines", "reference_paragraphs", "norm_long",
           "norm_short", "GOLD_FILE", "EVAL_DIR", "load_lookup_set", "load_decode_set", "norm_expansion",
           "score_lookup", "score_decode", "held_out"]

GOLD_FILE = Path(__file__).resolve().parents[3] / "tests" / "data" / "extract_gold" / "seeds.json"
EVAL_DIR = Path(__file__).resolve().parents[3] / "tests" / "glossary" / "eval"
"""The held-out set: ``lookup.tsv`` and ``decode.json`` (see its README)."""

Extractor = Callable[[str], Iterable[tuple[str, str]]]


def norm_long(text: str) -> str:
    return phrase_key(strip_leading_article(dehyphenate(text)))


def norm_short(text: str) -> str:
    key = acronym_key(text)
    return key[:-1] if len(key) > 2 and text.endswith("s") and text[:-1].isupper() else key


def load_gold(path: Path | str | None = None) -> dict:
    """The gold file (see ``tests/data/extract_gold/seeds.json``)."""
    return json.loads(Path(path or GOLD_FILE).read_text(encoding="utf-8"))


def ours(text: str) -> list[tuple[str, str]]:
    """This project's extractor, as (short, long) pairs."""
    return [(p.short, p.long) for p in extract_pairs(text)]


def _schwartz_hearst(text: str) -> list[tuple[str, str]]:
    from abbreviations import schwartz_hearst

    logging.getLogger("abbreviations.schwartz_hearst").setLevel(logging.WARNING)
    schwartz_hearst.log.setLevel(logging.WARNING)
    pairs = schwartz_hearst.extract_abbreviation_definition_pairs(doc_text=text, first_definition=True)
    return [(str(short), str(long)) for short, long in pairs.items()]


def reference_lines(text: str) -> list[tuple[str, str]]:
    """Schwartz & Hearst (package ``abbreviations``) on the text as it is, one line at a time."""
    return _schwartz_hearst(text)


def reference_paragraphs(text: str) -> list[tuple[str, str]]:
    """The same on paragraphs (line breaks inside a paragraph joined, line-end hyphens removed)."""
    paragraphs = re.split(r"\n[ \t]*\n", text)
    return _schwartz_hearst("\n".join(dehyphenate(p) for p in paragraphs))


def score_extractor(extractor: Extractor, gold: dict | None = None, seeds_dir: Path | str | None = None) -> dict:
    """P/R/F1 (and the lists of hits, misses and false positives) of ``extractor`` on the gold set."""
    gold = gold or load_gold()
    seeds = Path(seeds_dir) if seeds_dir else GOLD_FILE.parents[4] / "shared" / "seeds"
    if not seeds.exists():
        seeds = GOLD_FILE.parents[3].parent / "shared" / "seeds"
    by_file: dict[str, list[dict]] = {}
    for item in gold["pairs"]:
        by_file.setdefault(item["file"], []).append(item)
    files = sorted({*by_file, *(t["file"] for t in gold.get("not_definitions", []))})
    tp, fp, matched = 0, [], set()
    for name in files:
        text = (seeds / name).read_text(encoding="utf-8")
        predicted = {(norm_short(s), norm_long(lf)): (s, lf) for s, lf in extractor(text)}
        for (short, long), shown in predicted.items():
            hit = None
            for n, item in enumerate(by_file.get(name, [])):
                accepted = {norm_long(item["long"]), *(norm_long(a) for a in item["alternatives"])}
                if norm_short(item["short"]) == short and long in accepted:
                    hit = (name, n)
                    break
            if hit is None:
                fp.append({"file": name, "short": shown[0], "long": shown[1]})
            elif hit not in matched:
                matched.add(hit)
                tp += 1
    total = len(gold["pairs"])
    missed = [{"file": name, "short": item["short"], "long": item["long"]}
              for name, items in by_file.items() for n, item in enumerate(items) if (name, n) not in matched]
    precision = tp / (tp + len(fp)) if tp + len(fp) else 0.0
    recall = tp / total if total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp": tp,
            "fp": len(fp), "gold": total, "false_positives": fp, "missed": missed}


# ------------------------------------------------------------------ held-out lookup and decode

def norm_expansion(text: str) -> str:
    """An expansion compared loosely: line-end hyphens joined, leading article dropped, :func:`loose_key`."""
    return loose_key(strip_leading_article(dehyphenate(text)))


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def load_lookup_set(path: Path | str | None = None) -> list[dict]:
    """Rows of ``lookup.tsv``: acronym, country, sector, expansions (list), ids (list), url."""
    rows = []
    with Path(path or EVAL_DIR / "lookup.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            rows.append({"acronym": row["acronym"], "country": row["country"] or None, "sector": row["sector"] or None,
                         "expansions": _split(row["expected_expansion"]), "ids": _split(row["expected_ids"]),
                         "url": row["url"]})
    return rows


def load_decode_set(path: Path | str | None = None) -> list[dict]:
    """Texts of ``decode.json``, each with ``expected`` acronyms (``acronym``, ``expansion``, optional ``ids``)."""
    return json.loads(Path(path or EVAL_DIR / "decode.json").read_text(encoding="utf-8"))["texts"]


def _matcher(index):
    def matches(sense: dict, expected: dict) -> bool:
        n = index.by_iri.get(sense.get("iri") or "")
        if (sense.get("id") or (index.entries[n].id if n is not None else None)) in expected.get("ids", ()):
            return True
        texts = [sense.get("label") or ""]
        if n is not None:
            entry = index.entries[n]
            texts = [*entry.labels.values(), *entry.variants] if entry.expansion != "unknown" else []
        wanted = {norm_expansion(e) for e in expected.get("expansions") or [expected.get("expansion", "")]} - {""}
        return any(norm_expansion(t) in wanted for t in texts if t)

    return matches


def _source_urls(index) -> set[str]:
    return {s.url.rstrip("/") for e in index.entries for s in e.sources if s.url}


def _ratio(hit: int, total: int) -> float:
    return round(hit / total, 4) if total else 0.0


def score_lookup(index, rows: list[dict] | None = None) -> dict:
    """top-1, top-3 and coverage (any hit matches) of lookup on the held-out rows, all and clean."""
    from .lookup import lookup

    rows = load_lookup_set() if rows is None else rows
    matches, sources = _matcher(index), _source_urls(index)
    details = []
    for row in rows:
        senses = lookup(index, row["acronym"], row["country"], row["sector"])["senses"]
        rank = next((i + 1 for i, s in enumerate(senses) if matches(s, row)), None)
        details.append({"acronym": row["acronym"], "country": row["country"], "rank": rank,
                        "first": senses[0]["label"] if senses else None,
                        "contaminated": row["url"].rstrip("/") in sources})

    def figures(items):
        return {"rows": len(items), "top1": _ratio(sum(d["rank"] == 1 for d in items), len(items)),
                "top3": _ratio(sum(bool(d["rank"]) and d["rank"] <= 3 for d in items), len(items)),
                "coverage": _ratio(sum(bool(d["rank"]) for d in items), len(items))}

    clean = [d for d in details if not d["contaminated"]]
    return {**figures(details), "contaminated": len(details) - len(clean), "clean": figures(clean),
            "misses": [d for d in details if d["rank"] != 1]}


def score_decode(index, texts: list[dict] | None = None) -> dict:
    """Decode recall (first sense matches) and recall_any (some sense matches) on the held-out texts."""
    from .decode import decode

    texts = load_decode_set() if texts is None else texts
    matches, sources = _matcher(index), _source_urls(index)
    details = []
    for item in texts:
        result = decode(index, item["text"], item.get("country"), item.get("sector"))
        by_key: dict[str, dict] = {}
        for annotation in result["annotations"]:
            by_key.setdefault(acronym_key(annotation["text"]), annotation)
        for expected in item["expected"]:
            annotation = by_key.get(acronym_key(expected["acronym"]))
            senses = annotation["senses"] if annotation else []
            details.append({"text": item["id"], "acronym": expected["acronym"],
                            "first": bool(senses) and matches(senses[0], expected),
                            "any": any(matches(s, expected) for s in senses),
                            "contaminated": item["url"].rstrip("/") in sources})

    def figures(items):
        return {"expected": len(items), "recall": _ratio(sum(d["first"] for d in items), len(items)),
                "recall_any": _ratio(sum(d["any"] for d in items), len(items))}

    clean = [d for d in details if not d["contaminated"]]
    return {**figures(details), "contaminated": len(details) - len(clean), "clean": figures(clean),
            "misses": [d for d in details if not d["first"]]}


def held_out(index) -> dict:
    """Both held-out scores and the extraction F1 on the seeds' gold pairs, in one dict."""
    return {"lookup": score_lookup(index), "decode": score_decode(index),
            "extraction_f1": score_extractor(ours)["f1"], "senses": sum(e.kind == "sense" for e in index.entries)}
