"""The one benchmark command: its JSON contract (figures with references and ratios, peak RSS)."""

from __future__ import annotations

import json

from graph.bench.run_all import figure
from tests.cli.test_cli import run


def test_ratio_is_higher_when_we_are_better():
    assert figure("t", 2.0, "s", "ref", 10.0)["ratio"] == 5.0
    assert figure("q", 0.9, "F1", "ref", 0.6, higher_is_better=True)["ratio"] == 1.5
    assert figure("n", 3.0, "s")["ratio"] is None


def test_unknown_size_is_a_usage_error():
    result = run("bench", "--size", "huge", "--json")
    assert result.returncode == 2 and "unknown size" in json.loads(result.stdout)["error"]


def test_bench_json_contract():
    result = run("bench", "--size", "tiny", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    body = json.loads(result.stdout)
    assert body["size"] == "tiny" and body["peak_rss_mb"] > 0
    names = [f["name"] for f in body["figures"]]
    for fragment in ("build bundled", "rdflib", "extraction F1", "lookup p50", "autocomplete p99", "decode",
                     "network 300 actors: betweenness", "API lookup p99", "API start-up"):
        assert any(fragment in name or fragment in (f["reference"] or "") for name, f in
                   zip(names, body["figures"], strict=True)), fragment
    for item in body["figures"]:
        assert set(item) == {"name", "value", "unit", "reference", "reference_value", "ratio"}
        if item["reference_value"] is not None and item["value"]:
            assert item["ratio"] is not None and item["ratio"] > 0
    assert all(f["value"] == 0 for f in body["figures"] if f["name"].endswith("errors"))
