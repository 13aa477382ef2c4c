"""The maps size and mark brokers with the analytics' own engines, and these agree with networkx."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.publish import maps


@pytest.fixture(scope="module")
def projection(bundled_store):
    return maps._read_projection(bundled_store)


def test_map_betweenness_is_networkx_betweenness(projection):
    simple = nx.Graph(projection.graph)
    reference = nx.betweenness_centrality(simple, normalized=True)
    assert simple.number_of_edges() > 100
    assert max(abs(reference[n] - projection.betweenness[n]) for n in simple) < 1e-9
    assert sum(1 for v in projection.betweenness.values() if v > 0) > 20


def test_map_articulation_points_are_networkx_ones(projection):
    simple = nx.Graph(projection.graph)
    assert projection.articulation == set(nx.articulation_points(simple))
    assert projection.articulation


def test_overview_marks_the_articulation_points_as_brokers(bundled_store):
    data = maps.overview(bundled_store, overlay={"brokers"})
    proj = maps.projection(bundled_store)
    marked = {n["id"] for n in data.nodes if n["broker"]}
    assert proj.articulation & {n["id"] for n in data.nodes} <= marked
