"""The fast reader of the projection (issue #8) gives exactly the graphs of the former one-query-per-table
reader (``reference_projection.py``): same nodes, edges and attribute dicts, in the same order, on the bundled
store, on synthetic stores and through a remote SPARQL endpoint."""

from __future__ import annotations

import pytest

from graph.bench.synth import write_synthetic
from graph.build.pipeline import build
from graph.network.projection import projection_from_rows, read_projection
from graph.store import EmbeddedStore, RemoteStore
from tests.network.reference_projection import reference_projection
from tests.store.test_remote_store import oxigraph_server  # noqa: F401  (fixture)

TABLES = ("sectors", "territories", "functions", "service_type_info", "actor_info", "agreements", "referrals",
          "memberships")


def assert_same_graph(old, new, name: str) -> None:
    assert type(old) is type(new), name
    assert set(old.nodes) == set(new.nodes), f"{name}: node sets differ"
    assert set(old.edges) == set(new.edges), f"{name}: edge sets differ"
    for node, data in old.nodes(data=True):
        assert new.nodes[node] == data, f"{name}: attributes of node {node}"
    for u, v, data in old.edges(data=True):
        assert new.edges[u, v] == data, f"{name}: attributes of edge {u} → {v}"
    # the same order too: sampled estimators (betweenness) and seeded community detection follow it
    assert list(old.nodes) == list(new.nodes), f"{name}: node order"
    assert [list(nbrs) for nbrs in old.adj.values()] == [list(nbrs) for nbrs in new.adj.values()], \
        f"{name}: adjacency order"
    if old.is_directed():
        assert [list(nbrs) for nbrs in old.pred.values()] == [list(nbrs) for nbrs in new.pred.values()], \
            f"{name}: predecessor order"
    assert old.graph == new.graph, name


def assert_same_projection(old, new) -> None:
    assert old.version == new.version
    assert_same_graph(old.actors, new.actors, "actors")
    assert_same_graph(old.service_types, new.service_types, "service_types")
    assert_same_graph(old.bipartite, new.bipartite, "bipartite")
    for table in TABLES:
        a, b = getattr(old, table), getattr(new, table)
        assert a == b, table
        assert list(a) == list(b), f"{table}: order"


@pytest.fixture(scope="module")
def synth_1k(tmp_path_factory) -> EmbeddedStore:
    root = tmp_path_factory.mktemp("synth-1k")
    write_synthetic(root / "tables", actors=1000, seed=7)
    build(root / "tables", root / "store", validate=False)
    return EmbeddedStore(root / "store")


def test_bundled_store_projection_equals_the_reference(bundled_store):
    assert_same_projection(reference_projection(bundled_store), read_projection(bundled_store))


def test_synthetic_1k_projection_equals_the_reference(synth_1k):
    new = read_projection(synth_1k)
    assert new.actors.number_of_edges() > 1000 and new.bipartite.number_of_edges() > 100
    assert_same_projection(reference_projection(synth_1k), new)


def test_validated_synthetic_projection_equals_the_reference(synth_store):
    assert_same_projection(reference_projection(synth_store), read_projection(synth_store))


def test_remote_projection_equals_the_embedded_reference(oxigraph_server, bundled_store):  # noqa: F811
    remote = RemoteStore(oxigraph_server)
    old, new = reference_projection(bundled_store), read_projection(remote)
    new.version = old.version  # a remote store's version is its triple count
    assert_same_projection(old, new)


def test_rows_api_equals_the_reference_on_hand_made_rows():
    from tests.network import reference_projection as ref

    rows = dict(
        actors=[{"a": "x", "label": "X", "kind": "service", "country": "be", "amin": 12},
                {"a": "y", "kind": "service"}, {"a": "x", "label": "again", "kind": "service"},
                {"a": "c", "label": "C", "kind": "platform"}, {"a": "d", "label": "D", "kind": "network"}],
        actor_types=[{"a": "x", "v": "t1"}, {"a": "y", "v": "t2"}, {"a": "y", "v": "t1"}],
        actor_sectors=[{"a": "x", "v": "s2"}, {"a": "x", "v": "s1"}, {"a": "x", "v": "s1"}],
        service_types=[{"st": "t1", "mandate": "judicial", "amin": 3, "amax": 18, "acronym": "T"},
                       {"st": "t1", "acronym": "U"}, {"st": "t2", "amax": 25}],
        posts=[{"p": "p1", "label": "P", "actor": "x", "function": "f"}],
        functions=[{"f": "f", "cross": True}],
        referrals=[{"r": "r1", "from": "x", "to": "y", "both": True}, {"r": "r2", "from": "t1", "to": "t2"},
                   {"r": "r3", "from": "x", "to": "x"}],
        referral_conditions=[{"a": "r1", "v": "consent"}],
        agreements=[{"g": "g1", "kind": "convention"}], agreement_parties=[{"a": "g1", "v": v} for v in "xyz"],
        parents=[{"a": "y", "v": "x"}],
        memberships=[{"m": "m1", "member": "x", "collective": "c"}, {"m": "m2", "member": "y", "collective": "c"},
                     {"m": "m3", "member": "c", "collective": "d", "role": "membre"},
                     {"m": "m4", "member": "x", "collective": "c", "role": "again"}])
    assert_same_projection(ref.projection_from_rows("v", **rows), projection_from_rows("v", **rows))
