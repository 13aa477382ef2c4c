"""The machine-readable contract of the network commands, driven through the real console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph.network.brokerage import KEYS

CLI = [sys.executable, "-m", "graph.cli.app"]
CONTRACT = {"iri", "label", "sector", "betweenness", "constraint", "effective_size", "articulation_point",
            "gould_fernandez", "gould_fernandez_z"}


def run(*args, code: int = 0):
    done = subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert done.returncode == code, done.stderr + done.stdout
    return done


def run_json(*args, code: int = 0):
    return json.loads(run(*args, "--json", code=code).stdout)


@pytest.fixture(scope="module")
def brokers_json(bundled_store_dir):
    return run_json("brokers", "--store", bundled_store_dir)


def test_brokers_contract(brokers_json):
    assert isinstance(brokers_json, list) and brokers_json
    iris = [row["iri"] for row in brokers_json]
    assert len(iris) == len(set(iris))
    for row in brokers_json:
        assert CONTRACT <= set(row)
        assert isinstance(row["articulation_point"], bool)
        assert set(row["gould_fernandez"]) == set(KEYS) == set(row["gould_fernandez_z"])
        assert all(isinstance(v, int) for v in row["gould_fernandez"].values())
        assert row["gould_fernandez"]["total"] == sum(row["gould_fernandez"][k] for k in KEYS[:-1])
        assert 0.0 <= row["betweenness"] <= 1.0
        assert row["constraint"] is None or row["constraint"] > 0
    assert [row["rank"] for row in brokers_json] == list(range(1, len(brokers_json) + 1))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_is_exactly_the_brokers_graph(bundled_store_dir, brokers_json, tmp_path, fmt):
    out = tmp_path / f"actors.{fmt}"
    result = run_json("export", "--format", fmt, "--store", bundled_store_dir, "--out", out)
    assert result["ok"] and Path(result["out"]).exists()
    G = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert G.is_directed()
    assert set(G.nodes) == {row["iri"] for row in brokers_json}
    by_iri = {row["iri"]: row for row in brokers_json}
    for node, data in G.nodes(data=True):
        assert data["sector"] == by_iri[node]["sector"]
    degree = {row["iri"]: row["degree"] for row in brokers_json}
    assert dict(G.degree()) == degree


def test_brokers_filters_and_table(bundled_store_dir, brokers_json):
    sector = next(row["sector"] for row in brokers_json if row["sector"])
    rows = run_json("brokers", "--store", bundled_store_dir, "--sector", sector.rsplit("/", 1)[-1])
    assert rows and all(sector in row["sectors"] for row in rows)
    bad = run_json("brokers", "--store", bundled_store_dir, "--sector", "no-such-sector", code=2)
    assert bad["ok"] is False and "sector" in bad["error"]
    table = run("brokers", "--store", bundled_store_dir, "--top", "3")
    assert "Brokers" in table.stdout


def test_gaps_contract(bundled_store_dir):
    report = run_json("gaps", "--store", bundled_store_dir, "--today", "2030-01-01")
    for key in ("sector_matrix", "ei_index", "no_tie_pairs", "no_current_protocol_pairs", "structural_holes",
                "coverage_gaps", "stale_protocols", "isolated_actors", "suggested_links", "communities"):
        assert key in report
    assert -1 <= (report["ei_index"]["overall"] or 0) <= 1
    for link in report["suggested_links"]:
        assert link["reason"] and link["sectors"][0] != link["sectors"][1]
    for band in report["coverage_gaps"]["by_age_band"]:
        assert band["uncovered_count"] >= len(band["uncovered"])
    assert "E-I index" in run("gaps", "--store", bundled_store_dir).stdout


def test_counterparts_and_path_commands(bundled_store_dir, brokers_json):
    asker = brokers_json[0]["iri"]
    sector = next(s for s in (row["sector"] for row in brokers_json) if s and s != brokers_json[0]["sector"])
    result = run_json("counterparts", asker, "--sector", sector, "--store", bundled_store_dir)
    assert result["asker"]["iri"] == asker
    assert all(sector in row["sectors"] for row in result["counterparts"])
    run_json("counterparts", asker, "--sector", "nope", "--store", bundled_store_dir, code=2)
    types = run_json("sparql", "SELECT ?s WHERE { ?s a pm:ServiceType } ORDER BY ?s LIMIT 2",
                     "--store", bundled_store_dir)["results"]["bindings"]
    src, dst = (b["s"]["value"] for b in types)
    found = run_json("path", src, dst, "--store", bundled_store_dir)
    assert found["from"]["iri"] == src and "paths" in found and "excluded" in found
    run_json("path", "nothing", dst, "--store", bundled_store_dir, code=2)


def test_bench_network_runs_small(tmp_path):
    result = run_json("bench", "network", "--sizes", "150", "--reference-limit", "5")
    run_ = result["runs"][0]
    names = {f["name"] for f in run_["figures"]}
    assert {"projection", "betweenness", "constraint_effective_size", "gould_fernandez", "communities"} <= names
    for fig in run_["figures"]:
        assert fig["value"] >= 0 and set(fig) >= {"name", "value", "unit", "reference", "reference_value", "ratio"}
