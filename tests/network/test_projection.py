"""The projection reads the store (never the CSV) and holds as the bundled data grows."""

from __future__ import annotations

import pytest

from graph.network.projection import COLLECTIVE_KINDS, EDGE_KINDS, clear_cache, project
from graph.vocab.namespaces import PM


def _count(store, query: str) -> int:
    return int(store.select(query)[0]["n"])


def test_bundled_projection_is_consistent_with_the_store(bundled_store):
    clear_cache()
    p = project(bundled_store)
    assert project(bundled_store) is p  # cached per store version
    G = p.actors
    actors = _count(bundled_store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pm:Actor }")
    posts = _count(bundled_store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pm:Post }")
    assert len(p.actor_info) == actors + posts
    assert G.number_of_nodes() > 0 and G.is_directed()
    for v, data in G.nodes(data=True):
        assert data["iri"] == v and v in p.actor_info
        assert data["node_kind"] == "post" or data["node_kind"] in (
            "organisation", "service", "authority", *COLLECTIVE_KINDS)
        if data["sector"]:
            assert data["sector"] in data["sectors"]
    for u, v, data in G.edges(data=True):
        assert u != v
        assert set(data["kinds"]) <= set(EDGE_KINDS)
        assert data["weight"] == len(data["ties"]) >= 1
    # every non-collective actor and every post is a node, tied or not
    for iri, info in p.actor_info.items():
        if info["node_kind"] not in COLLECTIVE_KINDS:
            assert iri in G


def test_actor_referrals_become_directed_edges(bundled_store):
    p = project(bundled_store)
    rows = bundled_store.select("""
        SELECT ?r ?f ?t ?b WHERE { ?r a pm:Referral ; pm:referralFrom ?f ; pm:referralTo ?t ; pm:bidirectional ?b .
          ?f a ?cf . ?t a ?ct . FILTER(?cf IN (pm:Actor, pm:Post) && ?ct IN (pm:Actor, pm:Post)) }""")
    for row in rows:
        if row["f"] in p.actors and row["t"] in p.actors and row["f"] != row["t"]:
            assert ("referral", row["r"]) in p.actors[row["f"]][row["t"]]["ties"]
            if row["b"]:
                assert ("referral", row["r"]) in p.actors[row["t"]][row["f"]]["ties"]


def test_memberships_posts_and_parents(bundled_store):
    p = project(bundled_store)
    G = p.actors
    for m in bundled_store.select("SELECT ?m ?x ?c WHERE { ?m a pm:Membership ; org:member ?x ; pm:collective ?c }"):
        assert p.bipartite.has_edge(m["x"], m["c"])
        assert p.bipartite.nodes[m["c"]]["bipartite"] == 1
        assert p.bipartite[m["x"]][m["c"]]["nested"] == (p.bipartite.nodes[m["x"]]["bipartite"] == 1)
    members: dict = {}
    for m in p.memberships:
        members.setdefault(m["collective"], set()).add(m["member"])
    for collective, group in members.items():
        group = sorted(x for x in group if x in G)
        for u, v in zip(group, group[1:], strict=False):
            assert ("co_membership", collective) in G[u][v]["ties"]
    for row in bundled_store.select("SELECT ?p ?a WHERE { ?p a pm:Post ; org:postIn ?a }"):
        assert "post_in" in G[row["p"]][row["a"]]["kinds"] and "post_in" in G[row["a"]][row["p"]]["kinds"]
    for row in bundled_store.select("SELECT ?a ?b WHERE { ?a a pm:Actor ; org:subOrganizationOf ?b }"):
        if row["a"] in G and row["b"] in G:
            assert "parent_child" in G[row["a"]][row["b"]]["kinds"]


def test_service_type_graph_and_attributes(bundled_store):
    p = project(bundled_store)
    T = p.service_types
    types = _count(bundled_store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a pm:ServiceType }")
    assert T.number_of_nodes() == types
    for info in p.service_type_info.values():
        assert info["mandate_kind"] in (None, "none", "administrative", "judicial", "legal_mission")
    rows = bundled_store.select("""SELECT ?r ?f ?t WHERE { ?r a pm:Referral ; pm:referralFrom ?f ; pm:referralTo ?t .
                                   ?f a pm:ServiceType . ?t a pm:ServiceType }""")
    for row in rows:
        if row["f"] != row["t"]:
            assert row["r"] in [e["referral"] for e in T[row["f"]][row["t"]]["referrals"]]
    assert str(PM) not in "".join(T.nodes)  # nodes are entity IRIs, not vocabulary terms


def test_synthetic_store_projection(synth_store):
    p = project(synth_store)
    G = p.actors
    assert G.number_of_nodes() >= 300 * 0.9
    kinds = {k for _u, _v, d in G.edges(data=True) for k in d["kinds"]}
    assert {"referral", "agreement", "co_membership", "post_in"} <= kinds
    assert p.bipartite.number_of_edges() > 0
    assert p.service_types.number_of_edges() > 0


def test_broker_rows_on_a_built_synthetic_store(synth_store):
    from graph.network.ranking import broker_rows
    from tests.network.test_brokerage import brute_force

    p = project(synth_store)
    rows = broker_rows(p)
    assert len(rows) == p.actors.number_of_nodes()
    groups = {v: p.actors.nodes[v]["sector"] for v in p.actors}
    expected = brute_force(p.actors, groups)
    for row in rows:
        for role, count in expected[row["iri"]].items():
            assert row["gould_fernandez"][role] == count


def test_a_failing_query_fails_the_projection_and_stops_the_rest(synth_store, monkeypatch):
    """The queries run side by side while the graph is assembled: one failing (here the membership scan)
    makes the projection raise that error, nothing is cached, and no fetch thread is left running."""
    import threading

    import graph.network.projection as projection

    real = projection._run_fetch

    def failing(store, name, embedded):
        if name == "memberships":
            raise OSError("store unavailable: disk read error")
        return real(store, name, embedded)

    clear_cache()
    monkeypatch.setattr(projection, "_run_fetch", failing)
    with pytest.raises(OSError, match="disk read error"):
        project(synth_store)
    assert not [t for t in threading.enumerate() if t.name.startswith("projection-fetch")]
    monkeypatch.setattr(projection, "_run_fetch", real)
    assert project(synth_store).actors.number_of_nodes() > 0  # the failure was not cached
