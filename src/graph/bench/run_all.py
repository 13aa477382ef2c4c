"""Every benchmark of the project in one run: build stages, glossary, network analytics, HTTP API, and (large)
the web app over 50,000 synthetic actors (:mod:`graph.bench.scale`).

Each measurement becomes one figure ``{"name", "value", "unit", "reference", "reference_value", "ratio"}``
where ``ratio`` = reference / ours for times (higher is better), ours / reference for quality scores
(F1), and ``None`` where no reference applies. References are measured in the same run: rdflib's in-memory
Turtle parse, a SPARQL ``CONTAINS`` label search on Oxigraph, plain networkx, the reference Schwartz–Hearst
implementation. ``peak_rss_mb`` is the peak resident memory of this process and of its children (the
API server).
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["SIZES", "run_all", "figure"]

SIZES = {
    "tiny": {"triples": 20_000, "network": (300,), "glossary": 1000, "api_requests": 100, "reference_limit": 5.0},
    "small": {"triples": 100_000, "network": (1000,), "glossary": 10_000, "api_requests": 600,
              "reference_limit": 30.0},
    "large": {"triples": 1_000_000, "network": (1000, 10_000, 50_000), "glossary": 100_000, "api_requests": 3000,
              "reference_limit": 60.0, "scale_actors": 50_000},
}


def figure(name: str, value: float, unit: str, reference: str | None = None, reference_value: float | None = None,
           higher_is_better: bool = False) -> dict:
    """One figure; the ratio is computed so that higher is better."""
    ratio = None
    if reference_value is not None and value:
        ratio = (value / reference_value) if higher_is_better else (reference_value / value)
    return {"name": name, "value": round(value, 6), "unit": unit, "reference": reference,
            "reference_value": None if reference_value is None else round(reference_value, 6),
            "ratio": None if ratio is None else round(ratio, 3)}


def _contains_search_ms(store, terms: list[str], repeats: int = 3) -> float:
    """Median time of a SPARQL CONTAINS label search on the store (the naive way to search-as-you-type)."""
    query = ("SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
             "FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR(?q)))) }")
    runs = []
    for term in terms:
        for _ in range(repeats):
            started = time.perf_counter()
            store.select(query, {"q": term})
            runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def run_all(size: str = "small", log: Callable[[str], None] | None = None) -> dict:
    """Run every benchmark at ``size`` ("small" or "large")."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r} (small or large)")
    plan = SIZES[size]
    say = log or (lambda _m: None)
    figures: list[dict] = []
    from graph.bench.api import run_api_benchmark
    from graph.bench.build import run_build_benchmark
    from graph.bench.glossary import decode_figures, extraction_figures, speed_figures, synthetic_index
    from graph.bench.network import run_network_benchmark
    from graph.build.pipeline import build
    from graph.config import data_dir
    from graph.glossary import get_index
    from graph.store import EmbeddedStore

    say("build stages…")
    for dataset in run_build_benchmark(plan["triples"], log=say)["datasets"]:
        for stage, seconds in dataset["seconds"].items():
            figures.append(figure(f"build {dataset['name']} ({dataset['triples']} triples): {stage}", seconds, "s"))
        figures.append(figure(f"build {dataset['name']} ({dataset['triples']} triples): total", dataset["total"], "s",
                              "rdflib in-memory Turtle parse", dataset["rdflib_parse"]))

    with tempfile.TemporaryDirectory(prefix="pm-bench-all-") as tmp:
        store_dir = Path(tmp) / "bundled"
        build(data_dir(), store_dir)
        store = EmbeddedStore(store_dir)

        say("glossary…")
        rows = extraction_figures()
        reference_f1 = max(r["f1"] for r in rows[1:])
        figures.append(figure("abbreviation extraction F1 on the seeds' gold pairs", rows[0]["f1"], "F1",
                              "Schwartz-Hearst (abbreviations), best variant", reference_f1, higher_is_better=True))
        started = time.perf_counter()
        index = get_index(store)
        speed = speed_figures(index, "bundled", index_seconds=time.perf_counter() - started)
        contains_ms = _contains_search_ms(store, ["amo", "cpas", "aide", "jeunesse"])
        figures.append(figure("lookup p50, bundled glossary", speed["lookup_p50_ms"], "ms",
                              "SPARQL CONTAINS label search on Oxigraph (median)", contains_ms))
        figures.append(figure("autocomplete p99, bundled glossary", speed["autocomplete_p99_ms"], "ms",
                              "SPARQL CONTAINS label search on Oxigraph (median)", contains_ms))
        synthetic = synthetic_index(plan["glossary"])
        speed = speed_figures(synthetic, "synthetic")
        figures.append(figure(f"lookup p50, synthetic glossary of {plan['glossary']} senses",
                              speed["lookup_p50_ms"], "ms"))
        figures.append(figure(f"autocomplete p99, synthetic glossary of {plan['glossary']} senses",
                              speed["autocomplete_p99_ms"], "ms"))
        decoding = decode_figures(index)
        figures.append(figure(f"decode of {decoding['chars']} characters", decoding["seconds"], "s"))

        say("network analytics…")
        for run in run_network_benchmark(plan["network"], plan["reference_limit"], log=say)["runs"]:
            for item in run["figures"]:
                figures.append(figure(f"network {run['actors']} actors: {item['name']}", item["value"], item["unit"],
                                      item.get("reference"), item.get("reference_value")))

        say("HTTP API…")
        api = run_api_benchmark(store_dir, clients=50, requests=plan["api_requests"])
        figures.append(figure("API start-up (existing store, until /health answers)", api["startup_seconds"], "s"))
        for name, row in api["targets"].items():
            figures.append(figure(f"API {name} p50, 50 clients", row["p50_ms"], "ms"))
            figures.append(figure(f"API {name} p99, 50 clients", row["p99_ms"], "ms"))
            figures.append(figure(f"API {name} throughput, 50 clients", row["throughput_rps"], "req/s"))
            figures.append(figure(f"API {name} errors", row["errors"], "count"))
    if plan.get("scale_actors"):
        from graph.bench.scale import run_scale_benchmark

        say("web app at scale…")
        scale = run_scale_benchmark(plan["scale_actors"], log=say)
        prefix = f"app over {scale['actors']} synthetic actors"
        figures.append(figure(f"{prefix}: start-up (until /health answers)", scale["startup_seconds"], "s"))
        figures.append(figure(f"{prefix}: background warm-up done (since start)", scale["warm_up_seconds"], "s"))
        for step, seconds in scale["warm_up_steps"].items():
            figures.append(figure(f"{prefix}: warm-up step {step}", seconds, "s"))
        figures.append(figure(f"{prefix}: slowest /health during the warm-up",
                              scale["health_worst_during_warm_up_seconds"], "s"))
        for row in scale["targets"]:
            figures.append(figure(f"{prefix}: {row['name']}, first request after the warm-up", row["cold_s"], "s"))
            figures.append(figure(f"{prefix}: {row['name']}, again (warm)", row["warm_s"], "s"))
        load = scale["lookup_load"]
        figures.append(figure(f"{prefix}: API lookup p99, 50 clients", load["p99_ms"], "ms"))
        figures.append(figure(f"{prefix}: API lookup errors, 50 clients", load["errors"], "count"))
        figures.append(figure(f"{prefix}: server peak RSS (with SPARQL workers)", scale["server_peak_rss_mb"], "MB"))
    return {"size": size, "figures": figures, "peak_rss_mb": _peak_rss_mb(), "python": sys.version.split()[0]}
