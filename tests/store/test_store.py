"""The embedded store: read-only access, atomic swap, build lock, safe bindings, table parts."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from graph.build.pipeline import BuildFailed, build
from graph.store import EmbeddedStore, StoreError, build_lock, with_bindings
from tests.build.test_build import find, set_cell


def test_hostile_bindings_stay_terms(bundled_store):
    query = "SELECT ?s WHERE { ?s pm:acronym ?a }"
    assert bundled_store.select(query, {"a": Literal('AMO" } ?s ?p ?o { "')}) == []
    assert bundled_store.select(query, {"a": Literal("AMO")})
    with pytest.raises(StoreError, match="invalid IRI"):
        with_bindings(query, {"s": URIRef("http://x> } DROP ALL #")})
    with pytest.raises(StoreError, match="invalid variable"):
        with_bindings(query, {"a) } #": Literal("x")})


def test_reader_notices_a_new_build(tmp_path, data_copy):
    store_dir = tmp_path / "store"
    build(data_copy, store_dir)
    reader = EmbeddedStore(store_dir)
    assert not reader.is_stale()
    set_cell(data_copy / "sectors.csv", 0, "label_en", "another label")
    build(data_copy, store_dir)
    assert reader.is_stale()
    assert EmbeddedStore(store_dir).version != reader.version
    # the old build stays readable by whoever still holds it
    assert reader.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"] > 0


def test_two_builds_at_once_are_refused(tmp_path, data_copy):
    store_dir = tmp_path / "store"
    with build_lock(store_dir):
        with pytest.raises(BuildFailed) as caught:
            build(data_copy, store_dir)
    assert "another build" in caught.value.problems[0].message
    assert not (store_dir / "current").exists()


def test_old_builds_are_pruned(tmp_path, data_copy):
    store_dir = tmp_path / "store"
    for index in range(5):
        set_cell(data_copy / "sectors.csv", 0, "label_en", f"label {index}")
        build(data_copy, store_dir)
    builds = [p for p in (store_dir / "builds").iterdir() if not p.name.startswith(".")]
    assert len(builds) == 3
    assert (store_dir / "current").resolve() in builds


def test_a_table_part_is_read_with_its_table_and_errors_name_the_part(tmp_path, data_copy):
    part = data_copy / "sectors.extra.csv"
    header = (data_copy / "sectors.csv").read_text(encoding="utf-8").splitlines()[0]
    part.write_text(header + "\nextra-sector,,secteur ajouté,,,,,Un secteur de test.,seed-001,test\n",
                    encoding="utf-8")
    report = build(data_copy, tmp_path / "store")
    store = EmbeddedStore(tmp_path / "store")
    rows = store.select("SELECT ?t ?r WHERE { ?s skos:prefLabel 'secteur ajouté'@fr ; pm:fromTable ?t ; "
                        "pm:fromRow ?r }")
    assert rows == [{"t": "sectors.extra.csv", "r": 2}]
    assert report.rows["sectors"] >= 2
    part.write_text(header + "\nextra-sector,,secteur ajouté,,,,no-such-sector,Déf.,seed-001,test\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as caught:
        build(data_copy, tmp_path / "store")
    find(caught.value.problems, "sectors.extra.csv", 2, "broader", "'no-such-sector' is not an id of sectors.csv")
