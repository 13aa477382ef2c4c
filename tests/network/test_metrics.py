"""Broker metrics against igraph, networkx and hand-checked values."""

from __future__ import annotations

import math
import random

import igraph as ig
import networkx as nx
import pytest

from graph.network._engine import to_igraph
from graph.network.betweenness import betweenness
from graph.network.constraint import burt, constraint, effective_size
from graph.network.cutpoints import cut_structure


def random_digraph(seed: int, n: int = 50, p: float = 0.08) -> nx.DiGraph:
    rng = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    for u, v in list(G.edges())[: len(G.edges()) // 3]:
        G.add_edge(v, u)  # reciprocal ties
    for u, v in G.edges():
        G[u][v]["weight"] = float(rng.choice((1, 1, 2, 3)))
    return G


@pytest.mark.parametrize("seed", range(6))
def test_betweenness_equals_igraph_and_networkx(seed):
    G = random_digraph(seed)
    ours = betweenness(G)
    assert ours.exact
    n = G.number_of_nodes()
    raw = to_igraph(G).betweenness(directed=True)
    ref = nx.betweenness_centrality(G)
    for i, v in enumerate(G):
        assert ours.values[v] == pytest.approx(raw[i] / ((n - 1) * (n - 2)), abs=1e-12)
        assert ours.values[v] == pytest.approx(ref[v], abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_sampled_betweenness_is_networkx_subset_estimator(seed):
    G = random_digraph(seed, n=80)
    ours = betweenness(G, exact_max_nodes=10, samples=40, batches=4, seed=seed)
    assert not ours.exact and ours.samples == 40
    chosen = random.Random(seed).sample(range(80), 40)
    nodes = list(G)
    sub = nx.betweenness_centrality_subset(G, [nodes[i] for i in chosen], nodes, normalized=False)
    n = 80
    for v in G:
        assert ours.values[v] == pytest.approx(sub[v] * n / 40 / ((n - 1) * (n - 2)), abs=1e-12)
        assert ours.stderr[v] >= 0
    exact = betweenness(G).values
    worst = max(abs(ours.values[v] - exact[v]) / max(ours.stderr[v], 1e-9) for v in G if ours.stderr[v] > 0)
    assert worst < 10  # the stated error is of the right order


@pytest.mark.parametrize("seed", range(6))
def test_constraint_equals_igraph_and_networkx(seed):
    G = random_digraph(seed)
    cons, eff = burt(G)
    ig_cons = to_igraph(G).constraint(weights="weight")
    for i, v in enumerate(G):
        if G.degree(v) == 0:
            assert math.isnan(cons[v]) and math.isnan(eff[v])
            continue
        assert cons[v] == pytest.approx(ig_cons[i], abs=1e-10)
    # networkx's per-node definitions (it leaves nodes without successors undefined)
    egos = [v for v in G if G.out_degree(v) > 0]
    nx_cons = nx.constraint(G, nodes=egos, weight="weight")
    nx_eff = nx.effective_size(G, nodes=egos, weight="weight")
    for v in egos:
        assert cons[v] == pytest.approx(nx_cons[v], abs=1e-10)
        assert eff[v] == pytest.approx(nx_eff[v], abs=1e-10)


def test_constraint_undirected_unweighted_matches_networkx():
    G = nx.gnp_random_graph(40, 0.15, seed=3)
    cons, eff = burt(G, weight=None)
    ref_c, ref_e = nx.constraint(G), nx.effective_size(G)
    for v in G:
        if G.degree(v):
            assert cons[v] == pytest.approx(ref_c[v], abs=1e-10)
            assert eff[v] == pytest.approx(ref_e[v], abs=1e-10)


def test_hand_checked_triangle_and_star():
    triangle = nx.complete_graph(3)
    assert constraint(triangle) == pytest.approx({0: 1.125, 1: 1.125, 2: 1.125})
    assert effective_size(nx.star_graph(4))[0] == pytest.approx(4.0)
    assert constraint(nx.star_graph(4))[0] == pytest.approx(0.25)


def test_florentine_families():
    G = nx.florentine_families_graph()
    bet = betweenness(G).values
    # 15 families, 91 pairs of others; the Medici lie on 47.5 of their shortest paths (Padgett's data)
    assert bet["Medici"] == pytest.approx(47.5 / 91)
    assert bet == pytest.approx(nx.betweenness_centrality(G))
    assert max(bet, key=bet.get) == "Medici"
    cons = constraint(G, weight=None)
    ref = nx.constraint(G)
    for v in G:
        assert cons[v] == pytest.approx(ref[v], abs=1e-12)
    assert min(cons, key=cons.get) == "Medici"
    cuts = cut_structure(G)
    assert set(cuts.articulation_points) == set(nx.articulation_points(G))
    # by hand: without the Medici, Acciaiuoli and Salviati–Pazzi are cut off; Albizzi holds Ginori,
    # Guadagni holds Lamberteschi, Salviati holds Pazzi
    assert cuts.articulation_points == {"Medici": 3, "Albizzi": 1, "Guadagni": 1, "Salviati": 1}
    assert {frozenset(b[:2]) for b in cuts.bridges} == {frozenset(b) for b in nx.bridges(G)}


@pytest.mark.parametrize("seed", range(15))
def test_cut_points_equal_networkx(seed):
    rng = random.Random(seed)
    G = nx.gnp_random_graph(rng.randint(5, 60), rng.random() * 0.1, seed=seed, directed=bool(seed % 2))
    U = G.to_undirected()
    cuts = cut_structure(G)
    assert set(cuts.articulation_points) == set(nx.articulation_points(U))
    assert {frozenset(b[:2]) for b in cuts.bridges} == {frozenset(b) for b in nx.bridges(U)}
    for v, cut_off in cuts.articulation_points.items():
        H = U.copy()
        comp = len(nx.node_connected_component(U, v))
        H.remove_node(v)
        pieces = [len(c) for c in nx.connected_components(H) if c & set(nx.node_connected_component(U, v))]
        assert cut_off == comp - 1 - max(pieces)


def test_igraph_view_is_the_same_graph():
    G = random_digraph(1)
    graph = to_igraph(G)
    assert isinstance(graph, ig.Graph)
    assert graph.vcount() == G.number_of_nodes() and graph.ecount() == G.number_of_edges()


def test_broker_reasons_write_numbers_the_french_way(bundled_store):
    import re

    from graph.network.projection import project
    from graph.network.ranking import broker_table
    from graph.vocab.labels_fr import decimal_fr

    texts = [r["text"] for row in broker_table(project(bundled_store)) for r in row.get("reasons", [])]
    numbered = [t for t in texts if re.search(r"\d", t)]
    assert numbered, "no reason with a number to check"
    assert not [t for t in numbered if re.search(r"\d\.\d", t)]
    assert any(re.search(r"\d,\d", t) for t in numbered)
    assert decimal_fr(0.00047) == "0,00047" and decimal_fr(0.1234, 2) == "0,12"
    assert decimal_fr(0.0123456, 3, significant=True) == "0,0123" and decimal_fr(None) == "—"
