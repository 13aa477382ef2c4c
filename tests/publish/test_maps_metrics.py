"""The maps draw the analysed actor graph (network's projection) and show the broker analysis' own numbers."""

from __future__ import annotations

import pytest

from graph.network.projection import project
from graph.network.ranking import broker_table
from graph.publish import maps


@pytest.fixture(scope="module")
def drawing(bundled_store):
    return maps._read_projection(bundled_store)


def test_the_map_graph_is_the_analysed_graph(bundled_store, drawing):
    G = project(bundled_store).actors
    assert drawing.graph.number_of_nodes() == G.number_of_nodes()
    assert drawing.ties == G.number_of_edges()
    pairs = {frozenset((G.nodes[u]["id"], G.nodes[v]["id"])) for u, v in G.edges}
    assert {frozenset(e) for e in drawing.graph.edges} == pairs
    assert not hasattr(maps, "Projection")


def test_overview_counts_say_what_is_hidden(bundled_store):
    data = maps.overview(bundled_store)
    c = data.counts
    G = project(bundled_store).actors
    assert (c["graph_nodes"], c["graph_ties"]) == (G.number_of_nodes(), G.number_of_edges())
    assert c["nodes"] == c["graph_nodes"] and c["shown"] + c["isolated"] == c["nodes"]
    assert c["isolated"] == sum(1 for v in G if G.degree(v) == 0)
    assert c["lines"] == len(data.edges) == len({frozenset((u, v)) for u, v in G.edges})


def test_node_metrics_are_the_broker_table(bundled_store):
    rows = {r["iri"].rsplit("/", 1)[-1]: r for r in broker_table(project(bundled_store))}
    data = maps.overview(bundled_store)
    for node in data.nodes[:50]:
        row = rows[node["id"]]
        assert node["rank"] == row["rank"]
        assert node["betweenness"] == float(f"{row['betweenness']:.4g}")
        assert node["articulation"] == row["articulation_point"]


def test_overview_marks_the_articulation_points_as_brokers(bundled_store):
    data = maps.overview(bundled_store, overlay={"brokers"})
    marked = {n["id"] for n in data.nodes if n["broker"]}
    assert {n["id"] for n in data.nodes if n["articulation"]} <= marked
    assert marked


def test_filters_keep_the_neighbours_of_what_they_keep(bundled_store):
    data = maps.overview(bundled_store, sector="aide-jeunesse", territory="be-nis-60000")
    assert data.counts["kept"] > 1 and data.counts["context"] > 0 and data.counts["lines"] > 0
    assert any(n["context"] for n in data.nodes)


def test_link_type_filter_and_former_names(bundled_store):
    only = maps.overview(bundled_store, link_types={"agreement"})
    assert only.edges and all(e["kinds"] == ["agreement"] for e in only.edges)
    assert maps.LINK_ALIASES["membership"] in maps.LINK_TYPES


def test_ego_and_plurals(bundled_store):
    center = max(maps.projection(bundled_store).graph.degree, key=lambda item: item[1])[0]
    data = maps.ego(bundled_store, center, depth=1)
    assert data.center == center and all(n.get("level", 0) <= 1 for n in data.nodes)
    assert maps.plural(1, "nœud", "nœuds") == "1 nœud"
    assert maps.plural(2, "nœud", "nœuds") == "2 nœuds"
    assert maps.plural(1504, "lien", "liens") == "1\u202f504 liens"


def test_ego_map_of_a_collective_that_is_not_a_node(bundled_store):
    """A platform with no tie of its own is not a node of the analysed graph: its map starts from its members."""
    p = project(bundled_store)
    members: dict[str, list[str]] = {}
    for m in p.memberships:
        members.setdefault(m["collective"], []).append(m["member"])
    outside = [iri for iri in p.actor_info if iri not in p.actors]
    assert outside, "the bundled data has collectives outside the analysed graph"
    for iri in outside:
        data = maps.ego(bundled_store, p.actor_info[iri]["id"], depth=1)
        assert data.center is None and "n'est pas un nœud du graphe analysé" in data.notes[-1]
        if members.get(iri):
            assert data.nodes
    with pytest.raises(KeyError):
        maps.ego(bundled_store, "aucun-acteur-de-ce-nom")
