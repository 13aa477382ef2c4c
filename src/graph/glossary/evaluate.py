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
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .extract import extract_pairs
from .normalize import acronym_key, dehyphenate, phrase_key, strip_leading_article

__all__ = ["load_gold", "score_extractor", "ours", "reference_lines", "reference_paragraphs", "norm_long",
           "norm_short", "GOLD_FILE"]

GOLD_FILE = Path(__file__).resolve().parents[3] / "tests" / "data" / "extract_gold" / "seeds.json"

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
