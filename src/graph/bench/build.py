"""Build benchmark: seconds per stage (read, triples, validate, store) for the bundled data and a
synthetic dataset of about ``target_triples`` triples, next to rdflib's plain in-memory Turtle parse of
the same triples. ``ratio`` = rdflib parse time / our total build time (wall clock; higher is better);
``cpu_ratio`` the same with CPU seconds (every thread), less sensitive to other load on a shared machine.
The build's stages overlap (the store loads in background threads), so ``total`` is measured, not summed;
it is the median of :data:`BUILD_RUNS` builds (``totals`` lists them).

This prints figures; it asserts nothing (speed is not checked by timed tests).
"""

from __future__ import annotations

import math
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph.bench.synth import write_synthetic
from graph.build.pipeline import build
from graph.config import data_dir
from graph.store import EmbeddedStore

__all__ = ["run_build_benchmark", "measure_build", "actors_for"]


def _triples_of(work: Path, actors: int) -> int:
    from graph.build.tables import read_tables
    from graph.build.triples import tables_to_triples
    from graph.vocab.ontology import ontology_graph

    sample = work / f"calibration-{actors}"
    write_synthetic(sample, actors=actors)
    return len(set(tables_to_triples(read_tables(sample), ontology_graph()).lines().tolist()))


def actors_for(target_triples: int, work: Path, sample: int = 1000) -> int:
    """How many synthetic actors give about ``target_triples`` distinct triples (at least that many).

    The triples of a synthetic dataset grow as ``fixed + actors × slope`` (the ontology and vocabularies are
    fixed; the rest scales with the actors): both are measured on ``sample`` and ``2 × sample`` actors.
    """
    small, large = _triples_of(work, sample), _triples_of(work, 2 * sample)
    slope = (large - small) / sample
    fixed = small - slope * sample
    return max(100, math.ceil((target_triples - fixed) / slope))


def _cpu_seconds() -> float:
    """CPU time of this process so far, every thread included (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rdflib_parse_seconds(store_dir: Path) -> tuple[float, float]:
    """Serialise the built store as Turtle (by Oxigraph, untimed), then time rdflib's in-memory parse
    (wall and CPU seconds)."""
    turtle = EmbeddedStore(store_dir)._store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    started, cpu = time.perf_counter(), _cpu_seconds()
    graph = Graph()
    graph.parse(data=turtle.decode("utf-8"), format="turtle")
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    del graph
    return seconds, cpu


BUILD_RUNS = 3
"""Our build is timed this many times into fresh stores and the run of median wall time reported (the machine's
speed drifts by ±15 % and more); rdflib's much longer parse is timed once."""


def measure_build(name: str, data: Path, work: Path, runs: int = BUILD_RUNS) -> dict:
    """Build ``data`` into fresh stores under ``work`` (``runs`` times) and time the rdflib reference once."""
    timed = []
    for run in range(runs):
        store = work / f"store-{name}-{run}"
        started, cpu = time.perf_counter(), _cpu_seconds()
        report = build(data, store)
        total = time.perf_counter() - started  # wall time: validation and store loading overlap
        timed.append((total, _cpu_seconds() - cpu, report, store))
    timed.sort(key=lambda item: item[0])
    total, cpu, report, store = timed[len(timed) // 2]
    reference, reference_cpu = _rdflib_parse_seconds(store)
    return {"name": name, "triples": report.triples, "rows": sum(report.rows.values()),
            "seconds": {k: round(v, 3) for k, v in report.seconds.items()}, "total": round(total, 3),
            "totals": [round(item[0], 3) for item in timed],
            "rdflib_parse": round(reference, 3), "ratio": round(reference / total, 3) if total else None,
            "cpu": round(cpu, 3), "rdflib_parse_cpu": round(reference_cpu, 3),
            "cpu_ratio": round(reference_cpu / cpu, 3) if cpu else None}


def run_build_benchmark(target_triples: int = 1_000_000, log: Callable[[str], None] | None = None) -> dict:
    """Benchmark the bundled data and a synthetic dataset of about ``target_triples`` triples."""
    say = log or (lambda _message: None)
    results = []
    with tempfile.TemporaryDirectory(prefix="pm-bench-") as tmp:
        work = Path(tmp)
        say("bundled data…")
        results.append(measure_build("bundled", data_dir(), work))
        actors = actors_for(target_triples, work)
        say(f"synthetic data ({actors} actors)…")
        synth = work / "synth"
        write_synthetic(synth, actors=actors)
        results.append(measure_build(f"synthetic-{actors}-actors", synth, work))
    return {"datasets": results, "reference": "rdflib Graph().parse(format='turtle') of the same triples"}
