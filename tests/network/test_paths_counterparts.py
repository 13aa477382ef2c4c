"""Referral paths under mandate rules, and counterparts."""

from __future__ import annotations

import pytest

from graph.network.counterparts import counterparts
from graph.network.projection import project, projection_from_rows
from graph.network.referral_paths import MANDATE_COST, referral_paths
from graph.network.resolve import NotFound


def _youth_aid():
    return projection_from_rows(
        "demo",
        service_types=[{"st": "amo", "mandate": "none", "label": "AMO"},
                       {"st": "cpas", "mandate": "legal_mission"},
                       {"st": "saj", "mandate": "administrative"},
                       {"st": "tribunal", "mandate": "judicial"},
                       {"st": "spj", "mandate": "judicial"},
                       {"st": "srg", "mandate": "administrative"}],
        actors=[{"a": "saj-x", "kind": "authority"}, {"a": "tj-x", "kind": "authority"}],
        actor_types=[{"a": "saj-x", "v": "saj"}, {"a": "tj-x", "v": "tribunal"}],
        referrals=[{"r": "amo-srg", "from": "amo", "to": "srg"},
                   {"r": "amo-saj", "from": "amo", "to": "saj", "need": "difficultés éducatives"},
                   {"r": "saj-srg", "from": "saj", "to": "srg"},
                   {"r": "amo-spj", "from": "amo", "to": "spj"},
                   {"r": "saj-tj", "from": "saj", "to": "tribunal"},
                   {"r": "tj-spj", "from": "tribunal", "to": "spj"},
                   {"r": "amo-cpas", "from": "amo", "to": "cpas"},
                   {"r": "cpas-saj", "from": "cpas", "to": "saj"},
                   {"r": "amo-tj", "from": "amo", "to": "tribunal"}],
        referral_conditions=[{"a": "saj-tj", "v": "mandate"}, {"a": "amo-tj", "v": "mandate"},
                             {"a": "amo-saj", "v": "consent"}])


def test_mandated_services_only_through_their_authority():
    p = _youth_aid()
    result = referral_paths(p, "amo", "srg")
    best = result["paths"][0]
    assert [s["to"] for s in best["steps"]] == ["saj", "srg"]  # never AMO -> SRG directly
    excluded = {(e["from"], e["to"]) for e in result["excluded"]}
    assert ("amo", "srg") in excluded and ("amo", "spj") in excluded and ("amo", "tribunal") in excluded
    spj = referral_paths(p, "amo", "spj")["paths"][0]
    assert [s["to"] for s in spj["steps"]] == ["saj", "tribunal", "spj"]
    assert all(step["why"] for step in spj["steps"])


def test_free_access_first_and_need():
    p = _youth_aid()
    paths = referral_paths(p, "amo", "saj", need="des difficultés éducatives", k=3)["paths"]
    assert paths[0]["steps"][0]["need_matched"] is True
    assert paths[0]["cost"] == pytest.approx(MANDATE_COST - 0.1)
    free = referral_paths(p, "amo", "cpas")["paths"][0]
    assert free["mandated_steps"] == 0 and free["cost"] == 1.0
    with pytest.raises(NotFound):
        referral_paths(p, "amo", "nothing")


def test_bundled_referral_path_from_amo(bundled_store):
    p = project(bundled_store)
    amo = [st for st, info in p.service_type_info.items() if "AMO" in info["acronyms"]]
    saj = [st for st, info in p.service_type_info.items() if "SAJ" in info["acronyms"]]
    if not (amo and saj):
        pytest.skip("the bundled data has no AMO or SAJ service type")
    result = referral_paths(p, amo[0], saj[0])
    assert result["paths"], result["note"]
    first = result["paths"][0]["steps"][0]
    assert first["from"] == amo[0] and first["why"]


def test_counterparts_ranking():
    p = projection_from_rows(
        "demo",
        territories=[{"t": "be", "level": "country"}, {"t": "lg", "level": "province", "parent": "be"},
                     {"t": "c1", "level": "municipality", "parent": "lg"},
                     {"t": "nm", "level": "province", "parent": "be"}],
        sectors=[{"s": "aaj"}, {"s": "ens"}],
        functions=[{"f": "liaison", "cross": True}, {"f": "dir"}],
        actors=[{"a": "saj", "kind": "authority", "country": "be"}, {"a": "pms", "kind": "service", "country": "be"},
                {"a": "school", "kind": "service", "country": "be"}, {"a": "far", "kind": "service", "country": "be"},
                {"a": "fed", "kind": "organisation", "country": "be"}],
        actor_sectors=[{"a": "saj", "v": "aaj"}, {"a": "pms", "v": "ens"}, {"a": "school", "v": "ens"},
                       {"a": "far", "v": "ens"}, {"a": "fed", "v": "ens"}],
        actor_territories=[{"a": "saj", "v": "lg"}, {"a": "pms", "v": "lg"}, {"a": "school", "v": "c1"},
                           {"a": "far", "v": "nm"}],
        posts=[{"p": "post-saj", "actor": "saj", "function": "liaison"},
               {"p": "post-pms", "actor": "pms", "function": "liaison"}],
        agreements=[{"g": "g1", "status": "current"}],
        agreement_parties=[{"a": "g1", "v": "saj"}, {"a": "g1", "v": "fed"}])
    result = counterparts(p, "post-saj", "ens")
    ranked = [row["iri"] for row in result["counterparts"]]
    assert ranked[0] == "post-pms"  # same function first
    assert "far" not in ranked  # serves another province
    # locality before known paths: the school of a commune of the province before a federation that covers the
    # whole country, although the federation is already reached through the SAJ (issue #14: national bodies
    # crowded out the local counterparts)
    assert ranked.index("school") < ranked.index("fed")
    fed = result["counterparts"][ranked.index("fed")]
    assert fed["coverage"] == "covers" and fed["path"][0]["iri"] == "post-saj"
    school = result["counterparts"][ranked.index("school")]
    assert school["coverage"] == "within" and school["reasons"]
    by_function = counterparts(p, "liaison", "ens", territory="lg")
    assert by_function["asker"]["kind"] == "function"
    assert by_function["counterparts"][0]["iri"] == "post-pms"


def test_bundled_counterparts(bundled_store):
    p = project(bundled_store)
    asker = next((iri for iri, info in p.actor_info.items() if info["node_kind"] == "post"), None)
    if asker is None:
        pytest.skip("no post in the bundled data")
    target = next(s for s in p.sectors if s not in p.actor_info[asker]["sectors"])
    result = counterparts(p, asker, target, limit=50)
    for row in result["counterparts"]:
        assert target in row["sectors"] and row["reasons"]
        assert row["coverage"] in ("covers", "within", "overlaps", "unknown")
