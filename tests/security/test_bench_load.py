"""The load benchmark runs, stays bounded and counts back-pressure apart from errors (a tiny run)."""

from __future__ import annotations

import time

from graph.bench.security import run_load_benchmark
from tests.web_api.conftest import SPARQL_LIMITS


def test_small_load_run(bundled_store_dir):
    started = time.monotonic()
    report = run_load_benchmark(bundled_store_dir, clients=4, seconds=3, env=SPARQL_LIMITS)
    assert time.monotonic() - started < 90
    assert set(report["kinds"]) == {"lookup", "page", "sparql"}
    assert report["kinds"]["lookup"]["ok"] > 0 and report["errors"] == 0
    assert report["pathological"]["answers"] >= 1 and set(report["pathological"]["statuses"]) <= {503, 429}
    assert len(report["lines"]) == 5
