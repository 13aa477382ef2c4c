"""Benchmark of the jargon decoder (figures, not tests): extraction quality and lookup speed.

* **extraction** — precision, recall and F1 on the seeds' gold pairs (``tests/data/extract_gold``) of
  this project's extractor and of the reference Schwartz & Hearst (2003) implementation (PyPI
  ``abbreviations``), on raw lines and on joined paragraphs;
* **speed** — per-call wall time (``time.perf_counter_ns``) of :func:`~graph.glossary.lookup.lookup`
  and :func:`~graph.glossary.autocomplete.complete`, p50 and p99 over thousands of calls, on the
  bundled glossary and on a synthetic glossary of ``synthetic`` senses built in memory;
* **decode** — seconds to decode a 150,000-character document (the seeds, concatenated);
* **held out** — top-1 and top-3 of lookup and decode recall on the held-out set ``tests/glossary/eval``
  (public pages not used for curation; definitions in :mod:`graph.glossary.evaluate`), on the bundled
  glossary of the day, beside the extraction F1 on the seeds' pairs.

``python -m graph.bench_glossary [--store DIR]`` prints the quality figures (extraction and held out) only.
"""

from __future__ import annotations

import random
import statistics
import string
import tempfile
import time
from pathlib import Path

from graph.glossary.autocomplete import complete
from graph.glossary.decode import decode
from graph.glossary.evaluate import held_out, ours, reference_lines, reference_paragraphs, score_extractor
from graph.glossary.index import GlossaryIndex, get_index
from graph.glossary.lookup import lookup
from graph.glossary.model import Entry, Source

__all__ = ["run_glossary_benchmark", "extraction_figures", "speed_figures", "decode_figures", "synthetic_index",
           "held_out_figures", "quality_lines"]

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
DECODE_CHARS = 150_000


def extraction_figures() -> list[dict]:
    rows = []
    for name, extractor in (("passe-muraille", ours), ("Schwartz-Hearst (abbreviations), lines", reference_lines),
                            ("Schwartz-Hearst (abbreviations), paragraphs", reference_paragraphs)):
        result = score_extractor(extractor)
        rows.append({"name": name, **{k: result[k] for k in ("precision", "recall", "f1", "tp", "fp", "gold")},
                     "false_positives": result["false_positives"], "missed": result["missed"]})
    return rows


def _percentiles(samples_ns: list[int]) -> tuple[float, float]:
    ordered = sorted(samples_ns)
    p50 = ordered[len(ordered) // 2] / 1e6
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1e6
    return p50, p99


def speed_figures(index: GlossaryIndex, name: str, calls: int = 5000, seed: int = 7,
                  index_seconds: float = 0.0) -> dict:
    """Lookup and autocomplete latency on ``index`` (queries drawn from its own keys, with variations)."""
    rng = random.Random(seed)
    acronyms = [e.acronym for e in index.entries if e.acronym] or ["X"]
    labels = [e.label for e in index.entries if e.label] or ["x"]
    queries = []
    for _ in range(calls):
        pick = rng.random()
        if pick < 0.6:
            acronym = rng.choice(acronyms)
            queries.append(rng.choice([acronym, acronym.lower(), ".".join(acronym) + ".", acronym + "s"]))
        else:
            queries.append(rng.choice(labels))
    contexts = [(None, None), ("be-fwb", "aide-jeunesse"), ("fr", None)]
    lookup_ns = []
    for query in queries:
        country, sector = rng.choice(contexts)
        start = time.perf_counter_ns()
        lookup(index, query, country, sector)
        lookup_ns.append(time.perf_counter_ns() - start)
    complete_ns = []
    for _ in range(calls):
        source = rng.choice(acronyms) if rng.random() < 0.5 else rng.choice(labels)
        prefix = source[:rng.randint(1, min(6, len(source)))]
        start = time.perf_counter_ns()
        complete(index, prefix, "be-fwb")
        complete_ns.append(time.perf_counter_ns() - start)
    l50, l99 = _percentiles(lookup_ns)
    c50, c99 = _percentiles(complete_ns)
    return {"name": name, "entries": len(index), "index_seconds": round(index_seconds, 3), "calls": calls,
            "lookup_p50_ms": round(l50, 4), "lookup_p99_ms": round(l99, 4),
            "autocomplete_p50_ms": round(c50, 4), "autocomplete_p99_ms": round(c99, 4)}


_SYLLABLES = ["ser", "vice", "ac", "tion", "mi", "lieu", "ou", "vert", "cen", "tre", "pu", "blic", "ai", "de",
              "jeu", "nes", "se", "pro", "tec", "so", "cial", "fa", "mil", "le", "é", "du", "ca", "ti", "on"]
_GLUE = ["de", "du", "des", "à", "la", "le", "et", "en", "pour"]


def synthetic_index(senses: int = 100_000, seed: int = 11) -> GlossaryIndex:
    """A glossary of ``senses`` random senses (acronyms of 2–6 letters, French-looking full forms) in memory."""
    rng = random.Random(seed)
    territories = {"be-fwb": "be", "be-wal": "be", "fr-dep-35": "fr-reg-53", "fr-reg-53": "fr", "ch-lu": "ch"}
    countries = ["be", "be-fwb", "be-wal", "fr", "fr-dep-35", "ch", "ch-lu", "nl", "gb"]
    sectors = ["aide-jeunesse", "aide-sociale", "enseignement", "sante", "sante-mentale", "justice", "jeunesse"]
    source = Source("https://w3id.org/passe-muraille/id/sources/synthetic", "synthetic", "synthetic", None, None)
    entries = []
    for n in range(senses):
        words = []
        for _ in range(rng.randint(2, 5)):
            words.append("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))))
            if rng.random() < 0.4:
                words.append(rng.choice(_GLUE))
        if words[-1] in _GLUE:
            words.pop()
        label = " ".join(words)
        acronym = "".join(w[0] for w in words if w not in _GLUE).upper()
        if len(acronym) < 2 or rng.random() < 0.3:
            acronym = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 6)))
        entries.append(Entry(iri=f"https://w3id.org/passe-muraille/id/glossary/syn-{n}", id=f"syn-{n}", kind="sense",
                             labels={"fr": label}, acronyms=[acronym], definition=f"Définition {n}.",
                             sectors=[rng.choice(sectors)], countries=[rng.choice(countries)], sources=[source]))
    return GlossaryIndex(entries, territories, {"sante-mentale": "sante"}, version=f"synthetic-{senses}")


def decode_figures(index: GlossaryIndex, chars: int = DECODE_CHARS, repeats: int = 3) -> dict:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.exists() else []
    text = "\n\n".join(texts) or "Le SAJ et l'AMO. " * 10_000
    while len(text) < chars:
        text += "\n\n" + text
    text = text[:chars]
    start = time.perf_counter()
    result = decode(index, text)
    cold = time.perf_counter() - start
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        decode(index, text)
        runs.append(time.perf_counter() - start)
    return {"chars": len(text), "seconds": round(statistics.median(runs), 4), "cold_seconds": round(cold, 4),
            "annotations": len(result["annotations"]), "unknown": len(result["unknown"])}


def held_out_figures(index: GlossaryIndex) -> dict:
    """Lookup top-1/top-3/coverage and decode recall on the held-out set, with the extraction F1 (see
    :func:`graph.glossary.evaluate.held_out`); the lists of misses are kept for reading."""
    return held_out(index)


def quality_lines(extraction: list[dict], held: dict) -> list[str]:
    """The quality figures as lines of text (extraction P/R/F1, then the held-out lookup and decode)."""
    lines = [f"extraction on the seeds' gold pairs — {row['name']}: P {row['precision']:.4f} R {row['recall']:.4f} "
             f"F1 {row['f1']:.4f} ({row['tp']}/{row['gold']}, {row['fp']} FP)" for row in extraction]
    look, dec = held["lookup"], held["decode"]
    lines.append(f"held-out lookup ({look['rows']} rows, glossary of {held['senses']} senses): "
                 f"top-1 {look['top1']:.4f} top-3 {look['top3']:.4f} coverage {look['coverage']:.4f}; "
                 f"contaminated rows {look['contaminated']} "
                 f"(clean: top-1 {look['clean']['top1']:.4f} top-3 {look['clean']['top3']:.4f})")
    lines.append(f"held-out decode ({dec['expected']} acronyms): recall {dec['recall']:.4f} "
                 f"recall@any {dec['recall_any']:.4f}; contaminated {dec['contaminated']} "
                 f"(clean recall {dec['clean']['recall']:.4f})")
    return lines


def run_glossary_benchmark(store: Path | str | None = None, synthetic: int = 100_000, log=None) -> dict:
    """Every figure of the glossary benchmark as a dict (printed by ``passe-muraille bench glossary``)."""
    say = log or (lambda *_: None)
    from graph.store import EmbeddedStore

    say("extraction: ours vs Schwartz–Hearst on the seeds' gold pairs…")
    extraction = extraction_figures()
    with tempfile.TemporaryDirectory() as tmp:
        if store is None:
            from graph.build.pipeline import build

            say("building the bundled data into a temporary store…")
            build(None, tmp)
            store = tmp
        backend = EmbeddedStore(store)
        started = time.perf_counter()
        index = get_index(backend)
        bundled_seconds = time.perf_counter() - started
        say("lookup and autocomplete on the bundled glossary…")
        speed = [speed_figures(index, "bundled", index_seconds=bundled_seconds)]
        say("decode of a 150,000-character document…")
        decoding = decode_figures(index)
        say("held-out lookup and decode…")
        held = held_out_figures(index)
    if synthetic:
        say(f"synthetic glossary of {synthetic:,} senses…")
        started = time.perf_counter()
        big = synthetic_index(synthetic)
        speed.append(speed_figures(big, f"synthetic {synthetic:,} senses",
                                   index_seconds=time.perf_counter() - started))
    return {"extraction": extraction, "speed": speed, "decode": decoding, "held_out": held}


def main(argv: list[str] | None = None) -> int:
    """Print the quality figures (extraction, held-out lookup and decode) of the bundled or given store."""
    import argparse

    from graph.store import EmbeddedStore

    parser = argparse.ArgumentParser(prog="python -m graph.bench.glossary", description=main.__doc__)
    parser.add_argument("--store", help="a built store directory (default: the bundled data, built in a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.store
        if root is None:
            from graph.build.pipeline import build

            build(None, tmp)
            root = tmp
        index = get_index(EmbeddedStore(root))
        for line in quality_lines(extraction_figures(), held_out_figures(index)):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
