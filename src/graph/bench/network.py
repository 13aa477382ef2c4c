"""Network analytics benchmark: seconds per broker and gap metric at several synthetic sizes, against
plain networkx computing the same definition in the same run.

For each size: ``write_synthetic`` → ``build`` (SHACL validation skipped: the build benchmark measures
it) → :func:`graph.network.projection.project` → every metric of ``brokers`` and ``gaps``. The reference
is networkx's own function where one exists (``betweenness_centrality``, ``constraint`` /
``effective_size``, ``articulation_points`` + ``bridges``, ``attribute_mixing_matrix``,
``adamic_adar_index``, ``louvain_communities``) and, for Gould–Fernandez, a pure-Python enumeration of
two-paths over networkx adjacency (networkx has no brokerage function). When the reference would take
longer than ``reference_limit`` seconds, it is timed on a sample (sources, egos or brokers) and
extrapolated linearly to the whole graph; the figure says so (``note``). ``ratio`` = reference time /
our time (higher is better).

This prints figures; it asserts nothing (speed is not checked by timed tests).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from graph.bench.synth import write_synthetic
from graph.build.pipeline import build
from graph.network.betweenness import EXACT_MAX_NODES
from graph.network.projection import clear_cache, project
from graph.network.ranking import broker_analysis
from graph.store import EmbeddedStore

__all__ = ["run_network_benchmark", "measure_size", "time_projection"]

PROJECTION_RUNS = 3


def _clock(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def time_projection(store: Path | str, runs: int = PROJECTION_RUNS) -> tuple[list[float], object]:
    """Seconds of ``runs`` projections of the embedded store at ``store``, each from a fresh store handle and
    an empty cache (the machine is shared: report the median); returns the times and the last projection."""
    times, p = [], None
    for _ in range(runs):
        clear_cache()
        backend = EmbeddedStore(store)
        seconds, p = _clock(lambda backend=backend: project(backend))
        times.append(seconds)
    return times, p


def _gf_python(G, brokers) -> None:
    group = nx.get_node_attributes(G, "sector")
    for j in brokers:
        for i in G.predecessors(j):
            for k in G.successors(j):
                if k == i or G.has_edge(i, k):
                    continue
                _ = (group[i] == group[j], group[j] == group[k], group[i] == group[k])


def _reference(name: str, G, limit: float, rng: random.Random) -> tuple[float | None, str | None]:
    """Time networkx's computation of ``name`` on ``G``, extrapolating from a sample when too slow."""
    n = G.number_of_nodes()
    nodes = list(G)
    U = None

    def sample_rate(run_sample, sample_size, total):
        seconds, _ = _clock(lambda: run_sample(sample_size))
        return seconds * total / sample_size

    if name == "betweenness":
        k = None if n <= EXACT_MAX_NODES else 1000
        total_sources = k or n
        probe = min(total_sources, 20)
        estimate = sample_rate(lambda s: nx.betweenness_centrality(G, k=s, seed=1), probe, total_sources)
        if estimate > limit:
            what = f"{k}-source estimator" if k else "exact"
            return estimate, f"networkx {what} extrapolated from {probe} sources"
        seconds, _ = _clock(lambda: nx.betweenness_centrality(G, k=k, seed=1))
        return seconds, (f"networkx k={k} (same estimator)" if k else None)
    if name == "constraint_effective_size":
        def run(subset):
            nx.constraint(G, nodes=subset, weight="weight")
            nx.effective_size(G, nodes=subset, weight="weight")
        probe = rng.sample(nodes, min(n, 200))
        estimate = _clock(lambda: run(probe))[0] * n / len(probe)
        if estimate > limit:
            return estimate, f"extrapolated from {len(probe)} egos"
        return _clock(lambda: run(nodes))[0], None
    if name == "articulation_points_bridges":
        def run():
            H = G.to_undirected()
            list(nx.articulation_points(H))
            list(nx.bridges(H))
        return _clock(run)[0], None
    if name == "gould_fernandez":
        probe = rng.sample(nodes, min(n, 500))
        estimate = _clock(lambda: _gf_python(G, probe))[0] * n / len(probe)
        if estimate > limit:
            return estimate, f"pure Python on networkx, extrapolated from {len(probe)} brokers"
        return _clock(lambda: _gf_python(G, nodes))[0], "pure Python two-path enumeration on networkx"
    if name == "sector_matrix":
        return _clock(lambda: nx.attribute_mixing_matrix(G, "sector"))[0], "networkx attribute_mixing_matrix"
    if name == "suggested_links":
        U = G.to_undirected()
        sector = nx.get_node_attributes(G, "sector")

        def run(sources):
            pairs = set()
            for u in sources:
                for w in U[u]:
                    for v in U[w]:
                        if v != u and sector[u] != sector[v] and not U.has_edge(u, v):
                            pairs.add((u, v))
            for _ in nx.adamic_adar_index(U, pairs):
                pass
        probe = rng.sample(nodes, min(n, 300))
        estimate = _clock(lambda: run(probe))[0] * n / len(probe)
        if estimate > limit:
            return estimate, f"extrapolated from {len(probe)} source nodes"
        return _clock(lambda: run(nodes))[0], None
    if name == "communities":
        H = nx.Graph(G.to_undirected())
        H.remove_nodes_from([v for v in list(H) if H.degree(v) == 0])
        return _clock(lambda: nx.community.louvain_communities(H, weight="weight", seed=0))[0], \
            "networkx louvain_communities"
    return None, None


def measure_size(actors: int, work: Path, reference_limit: float = 600.0, log=None) -> dict:
    """Every metric at one synthetic size, with its networkx reference."""
    say = log or (lambda _m: None)
    tables, store = work / f"tables-{actors}", work / f"store-{actors}"
    say(f"{actors} actors: writing and building the synthetic dataset…")
    write_synthetic(tables, actors=actors, seed=7)
    build(tables, store, validate=False)
    times, p = time_projection(store)
    seconds = statistics.median(times)
    G = p.actors
    figures = [{"name": "projection", "value": seconds, "unit": "s", "reference": None, "reference_value": None,
                "ratio": None, "note": f"median of {len(times)} ({min(times):.2f}–{max(times):.2f} s); "
                                       "goal < 3 s at 50,000 actors"}]
    say(f"  projection {seconds:.2f}s (median of {len(times)}): {G.number_of_nodes()} nodes, "
        f"{G.number_of_edges()} edges; brokers…")
    timings: dict = {}
    broker_analysis(p, timings=timings)
    from graph.network.gaps import gap_report

    say("  gaps…")
    report = gap_report(p)
    timings.update(report["timings"])
    rng = random.Random(3)
    for name, ours in timings.items():
        say(f"  {name}: {ours:.3f}s; networkx reference…")
        ref, note = _reference(name, G, reference_limit, rng)
        figures.append({"name": name, "value": ours, "unit": "s", "reference": "networkx" if ref else None,
                        "reference_value": ref, "ratio": (ref / ours if ref and ours > 0 else None), "note": note})
    analysis = sum(timings.values())
    figures.append({"name": "broker + gap analysis (total)", "value": analysis, "unit": "s", "reference": None,
                    "reference_value": None, "ratio": None, "note": "goal < 60 s at 50,000 actors"})
    return {"actors": actors, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "figures": figures,
            "betweenness": broker_analysis(p)["betweenness"].describe()}


def run_network_benchmark(sizes=(1000, 10_000, 50_000), reference_limit: float = 600.0,
                          log: Callable[[str], None] | None = None) -> dict:
    """Benchmark every size; returns ``{"runs": [...], "reference_limit"}``."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="pm-bench-net-") as tmp:
        for actors in sizes:
            runs.append(measure_size(actors, Path(tmp), reference_limit, log))
    import os

    return {"runs": runs, "reference_limit": reference_limit, "cpus": os.cpu_count()}


def main(argv: list[str] | None = None) -> None:
    """``python -m graph.bench.network STORE…``: the projection time of built stores (median of 3)."""
    import sys

    for store in (argv if argv is not None else sys.argv[1:]):
        times, p = time_projection(store)
        print(f"{store}: projection {statistics.median(times):.2f} s (median of {len(times)}: "
              f"{', '.join(f'{t:.2f}' for t in times)}); {p.actors.number_of_nodes()} nodes, "
              f"{p.actors.number_of_edges()} edges")


if __name__ == "__main__":
    main()
