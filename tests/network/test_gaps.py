"""Gap analytics: mixing and E-I, communities vs sectors, cross-sector Adamic–Adar, coverage, stale protocols."""

from __future__ import annotations

import random
from datetime import date
from itertools import combinations

import igraph as ig
import networkx as nx
import pytest

from graph.network.communities import adjusted_rand, communities_vs_sectors, nmi
from graph.network.coverage import coverage_gaps
from graph.network.gaps import gap_report, parse_due, stale_protocols
from graph.network.mixing import sector_mixing
from graph.network.projection import projection_from_rows
from graph.network.suggestions import cross_sector_adamic_adar


def test_ei_index_and_expectation_by_hand():
    G = nx.DiGraph([(0, 1), (1, 0), (1, 2), (2, 3), (3, 4)])
    nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b", 3: "b", 4: "c"}, "sector")
    mix = sector_mixing(G)
    # undirected pairs: {0,1} internal, {1,2} external, {2,3} internal, {3,4} external
    assert mix["ei_index"]["overall"] == 0.0
    assert mix["ei_index"]["by_group"]["b"] == {"external": 2, "internal": 1, "ei_index": pytest.approx(1 / 3)}
    assert mix["observed"]["a"]["a"] == 2 and mix["observed"]["a"]["b"] == 1
    assert mix["expected"]["a"]["b"] == pytest.approx(5 * 2 * 2 / 20)
    within, between = 1 + 1, 10 - 2
    assert mix["ei_index"]["expected"] == pytest.approx((between - within) / 10)


@pytest.mark.parametrize("seed", range(5))
def test_partition_agreement_equals_igraph(seed):
    rng = random.Random(seed)
    a = [rng.randint(0, 3) for _ in range(60)]
    b = [rng.randint(0, 4) if rng.random() < 0.5 else x for x in a]
    assert adjusted_rand(a, b) == pytest.approx(ig.compare_communities(a, b, method="adjusted_rand"))
    assert nmi(a, b) == pytest.approx(ig.compare_communities(a, b, method="nmi"))
    assert adjusted_rand(a, a) == pytest.approx(1.0)


def test_communities_find_planted_sectors():
    G = nx.DiGraph()
    for block in range(3):
        members = [f"{block}-{i}" for i in range(8)]
        for u, v in combinations(members, 2):
            G.add_edge(u, v)
        for m in members:
            G.nodes[m]["sector"] = f"s{block}"
    G.add_edge("0-0", "1-0")
    G.add_edge("1-1", "2-0")
    result = communities_vs_sectors(G)
    assert result["communities"] == 3
    assert result["adjusted_rand"] == pytest.approx(1.0)
    assert result["nmi"] == pytest.approx(1.0)
    big = communities_vs_sectors(G, networkx_max_nodes=5)  # the igraph engine beyond the limit
    assert big["engine"] == "igraph.community_multilevel" and big["adjusted_rand"] == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(4))
def test_adamic_adar_equals_networkx_on_cross_sector_pairs(seed):
    rng = random.Random(seed)
    G = nx.gnp_random_graph(60, 0.08, seed=seed, directed=True)
    nx.set_node_attributes(G, {v: f"s{rng.randint(0, 3)}" for v in G}, "sector")
    U = G.to_undirected()
    sector = nx.get_node_attributes(G, "sector")
    candidates = [(u, v) for u, v in combinations(U, 2) if sector[u] != sector[v] and not U.has_edge(u, v)
                  and set(U[u]) & set(U[v])]
    reference = sorted(((s, u, v) for u, v, s in nx.adamic_adar_index(U, candidates)), key=lambda x: -x[0])
    ours = cross_sector_adamic_adar(G, top=15, max_nnz=50)  # tiny blocks: exercise the chunking
    assert len(ours) == min(15, len(reference))
    ref_scores = {frozenset((u, v)): s for s, u, v in reference}
    for row in ours:
        assert row["score"] == pytest.approx(ref_scores[frozenset((row["source"], row["target"]))])
        assert set(row["common"]) == set(U[row["source"]]) & set(U[row["target"]])
    assert [r["score"] for r in ours] == pytest.approx([s for s, _u, _v in reference[: len(ours)]])


def _toy_projection():
    return projection_from_rows(
        "toy",
        territories=[{"t": "be", "level": "country"}, {"t": "prov", "level": "province", "parent": "be"},
                     {"t": "c1", "level": "municipality", "parent": "prov"},
                     {"t": "c2", "level": "municipality", "parent": "prov"}],
        sectors=[{"s": "s1"}, {"s": "s2"}, {"s": "s3"}],
        service_types=[{"st": "creche", "amin": 0, "amax": 3}, {"st": "ecole", "amin": 3, "amax": 12},
                       {"st": "rare"}],
        type_countries=[{"a": "creche", "v": "be"}, {"a": "ecole", "v": "be"}, {"a": "rare", "v": "be"}],
        actors=[{"a": "x", "kind": "service", "country": "be"}, {"a": "y", "kind": "service", "country": "be"},
                {"a": "z", "kind": "service", "country": "be"}],
        actor_types=[{"a": "x", "v": "creche"}, {"a": "y", "v": "ecole"}],
        actor_territories=[{"a": "x", "v": "c1"}, {"a": "y", "v": "prov"}],
        actor_sectors=[{"a": "x", "v": "s1"}, {"a": "y", "v": "s2"}, {"a": "z", "v": "s3"}],
        agreements=[{"g": "p1", "label": "P1", "status": "current", "review": "2020-06"},
                    {"g": "p2", "label": "P2", "status": "obsolete", "review": "2030"}],
        agreement_parties=[{"a": "p1", "v": "x"}, {"a": "p1", "v": "y"}, {"a": "p2", "v": "s1"},
                           {"a": "p2", "v": "s3"}])


def test_coverage_gaps_by_type_and_age():
    cov = coverage_gaps(_toy_projection())
    assert cov["territories"] == 2
    by_type = {row["service_type"]: [t["territory"] for t in row["uncovered"]] for row in cov["by_service_type"]}
    assert by_type == {"creche": ["c2"]}  # the école covers the whole province
    assert [u["service_type"] for u in cov["unmapped_service_types"]] == ["rare"]
    bands = {row["band"]: [t["territory"] for t in row["uncovered"]] for row in cov["by_age_band"]}
    assert bands["0-3"] == ["c2"]  # the 0–3 gap
    assert bands["3-6"] == [] and bands["12-18"] == [] and bands["18-25"] == ["c1", "c2"]  # age_max 12 is inclusive


def test_protocol_pairs_stale_and_isolated():
    p = _toy_projection()
    assert parse_due("2020") == date(2020, 12, 31) and parse_due("2020-02") == date(2020, 2, 29)
    stale = stale_protocols(p, today=date(2026, 1, 1))
    assert [s["iri"] for s in stale] == ["p1"] and stale[0]["days_overdue"] > 0
    report = gap_report(p, today=date(2026, 1, 1))
    no_protocol = [tuple(x["sectors"]) for x in report["no_current_protocol_pairs"]]
    assert ("s1", "s2") not in no_protocol  # p1 binds them and is current
    assert ("s1", "s3") in no_protocol  # only an obsolete protocol
    assert report["no_current_protocol_pairs"][no_protocol.index(("s1", "s3"))]["other_agreements"][0]["status"] \
        == "obsolete"
    assert [x["iri"] for x in report["isolated_actors"]] == ["z"]
    assert ["s1", "s3"] in [x["sectors"] for x in report["no_tie_pairs"]]
    assert ["s1", "s2"] not in [x["sectors"] for x in report["no_tie_pairs"]]
