"""Gould–Fernandez counts against a brute-force enumeration written from sna's definition."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.network.brokerage import KEYS, ROLES, expectations, gould_fernandez


def brute_force(G, group):
    """sna's brokerage_R, literally: every two-path i -> j -> k, i != k, no edge i -> k."""
    counts = {v: dict.fromkeys(ROLES, 0) for v in G}
    for i in G:
        for j in G.successors(i):
            if j == i:
                continue
            for k in G.successors(j):
                if k in (i, j) or G.has_edge(i, k):
                    continue
                if group[i] == group[j]:
                    role = "coordinator" if group[j] == group[k] else "representative"
                elif group[j] == group[k]:
                    role = "gatekeeper"
                elif group[i] == group[k]:
                    role = "itinerant"
                else:
                    role = "liaison"
                counts[j][role] += 1
    return counts


@pytest.mark.parametrize("seed", range(25))
def test_raw_counts_equal_brute_force(seed):
    rng = random.Random(seed)
    n = rng.randint(3, 45)
    G = nx.gnp_random_graph(n, rng.uniform(0.05, 0.4), seed=seed, directed=True)
    edges = list(G.edges())
    for u, v in rng.sample(edges, len(edges) // 2):
        G.add_edge(v, u)  # plenty of reciprocal edges
    groups = {v: f"g{rng.randint(0, rng.randint(0, 4))}" for v in G}
    nx.set_node_attributes(G, groups, "sector")
    result = gould_fernandez(G)
    expected = brute_force(G, groups)
    for v in G:
        for role in ROLES:
            assert result.raw[v][role] == expected[v][role], (seed, v, role)
        assert result.raw[v]["total"] == sum(expected[v].values())


def test_roles_on_a_hand_made_chain():
    G = nx.DiGraph([("a1", "a2"), ("a2", "a3"), ("a2", "b1"), ("b1", "b2"), ("c1", "b1"), ("b2", "a4"),
                    ("a4", "c2")])
    nx.set_node_attributes(G, {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "b1": "B", "b2": "B", "c1": "C",
                               "c2": "C"}, "sector")
    raw = gould_fernandez(G).raw
    assert raw["a2"] == {"coordinator": 1, "itinerant": 0, "representative": 1, "gatekeeper": 0, "liaison": 0,
                         "total": 2}
    assert raw["b1"]["gatekeeper"] == 2  # a2 -> b1 -> b2 and c1 -> b1 -> b2
    assert raw["b2"]["itinerant"] == 0 and raw["b2"]["representative"] == 1  # b1 -> b2 -> a4
    assert raw["a4"]["liaison"] == 1  # b2 -> a4 -> c2


def test_expectations_add_up_and_z_scores():
    sizes = {"A": 5, "B": 3, "C": 2}
    moments = expectations(10, 20, sizes)
    for e, sd in moments.values():
        assert sum(e[:5]) == pytest.approx(e[5])  # the five roles share the total
        assert all(x >= 0 for x in sd)
    d = 20 / 90
    assert moments["A"][0][0] == pytest.approx(d * d * (1 - d) * 4 * 3)
    assert moments["A"][0][4] == pytest.approx(d * d * (1 - d) * (5 ** 2 - (9 + 4)))
    G = nx.gnp_random_graph(30, 0.2, seed=4, directed=True)
    nx.set_node_attributes(G, {v: v % 3 for v in G}, "sector")
    result = gould_fernandez(G)
    for v in G:
        for key in KEYS:
            if result.sd[v][key] > 0:
                assert result.z[v][key] == pytest.approx(
                    (result.raw[v][key] - result.expected[v][key]) / result.sd[v][key])
