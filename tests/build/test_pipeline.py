"""The overlapped build: the store loads in a background thread while the triples are hashed and validated.

Whatever stops a build (a SHACL violation, the same version as the current build, a failing load), no
unfinished database is left behind and the current build is untouched.
"""

from __future__ import annotations

import time

import pytest

from graph.build.pipeline import BuildFailed, build, check
from graph.store import EmbeddedStore
from graph.store.loader import Loaders
from tests.build.test_build import rewrite, set_cell


def _entries(store_dir):
    return sorted(p.name for p in (store_dir / "builds").iterdir())


def test_a_violation_cancels_the_load_and_leaves_nothing(tmp_path, data_copy):
    store_dir = tmp_path / "store"
    build(data_copy, store_dir)
    before = _entries(store_dir)
    set_cell(data_copy / "service_types.csv", 0, "age_min", "30")
    set_cell(data_copy / "service_types.csv", 0, "age_max", "12")
    with pytest.raises(BuildFailed) as caught:
        build(data_copy, store_dir)
    assert caught.value.stage == "validate"
    assert _entries(store_dir) == before  # no new build, no .tmp-* directory


def test_the_same_version_writes_nothing(tmp_path, data_copy):
    store_dir = tmp_path / "store"
    first = build(data_copy, store_dir)
    before = _entries(store_dir)
    again = build(data_copy, store_dir)
    assert not again.changed and again.version == first.version
    assert _entries(store_dir) == before


def test_a_failing_load_is_reported_and_leaves_nothing(tmp_path, data_copy, monkeypatch):
    import pyoxigraph

    store_dir = tmp_path / "store"
    build(data_copy, store_dir)
    before, version = _entries(store_dir), EmbeddedStore(store_dir).version
    set_cell(data_copy / "sectors.csv", 0, "label_en", "another label")

    def broken(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pyoxigraph.Store, "bulk_load", broken)
    with pytest.raises(BuildFailed) as caught:
        build(data_copy, store_dir)
    assert caught.value.stage == "store" and "disk full" in caught.value.problems[0].message
    assert _entries(store_dir) == before and EmbeddedStore(store_dir).version == version


def test_version_is_a_hash_of_the_set_of_triples(data_copy):
    """Cell order inside a multi-valued cell and repeated values do not change the graph, nor its version."""
    base = check(data_copy).version

    def reorder(header, rows):
        row = next(r for r in rows if "|" in r["sector"])
        parts = row["sector"].split("|")
        row["sector"] = "|".join([*reversed(parts), parts[0]])

    rewrite(data_copy / "actors.csv", reorder)
    assert check(data_copy).version == base
    set_cell(data_copy / "sectors.csv", 0, "label_en", "changed")
    assert check(data_copy).version != base


def test_engines_build_the_same_store(tmp_path, data_copy):
    columnar = build(data_copy, tmp_path / "a")
    sparql = build(data_copy, tmp_path / "b", engine="sparql")
    assert columnar.version == sparql.version
    assert len(EmbeddedStore(tmp_path / "a")) == len(EmbeddedStore(tmp_path / "b")) == columnar.triples


def test_stage_seconds_add_up_to_the_wall_time(tmp_path, data_copy):
    started = time.perf_counter()
    report = build(data_copy, tmp_path / "store")
    wall = time.perf_counter() - started
    assert set(report.seconds) == {"read", "triples", "validate", "store"}
    assert sum(report.seconds.values()) <= wall


def test_columnwise_triples_equal_the_row_by_row_writer(data_copy):
    """The vectorised writer gives exactly the lines of the reference writer, escapes included."""
    from graph.build.tables import read_tables
    from graph.build.triples import graph_lines, table_lines, tables_to_lines, tables_to_triples
    from graph.vocab.ontology import ontology_graph
    from graph.vocab.schema import TABLES

    set_cell(data_copy / "actors.csv", 0, "description", 'Un "guillemet", un \\ et\nune ligne\r de plus')
    set_cell(data_copy / "sectors.csv", 0, "acronym", "AAJ | AJ |  | AAJ")
    tables = read_tables(data_copy)
    reference = set(graph_lines(ontology_graph()))
    for table in TABLES:
        reference.update(table_lines(table, tables))
    chunks = []
    triples = tables_to_triples(tables, ontology_graph(), on_chunk=chunks.append)
    assert sorted(set(triples.lines().tolist())) == sorted(reference) == tables_to_lines(tables, ontology_graph())
    assert sum(len(chunk) for chunk in chunks) == len(triples)
    assert any('\\"guillemet\\", un \\\\ et\\nune ligne\\r de plus' in line for line in reference)


def test_loaders_side_by_side_store_exactly_the_triples_of_one_loader(tmp_path, data_copy, monkeypatch):
    """The N-Triples dealt out to several bulk loads (in pieces cut at line ends) give the same store as one."""

    monkeypatch.setattr(Loaders, "PIECE", 64 << 10)  # many pieces, spread over every loader
    stores = {}
    for loaders in ("1", "3"):
        monkeypatch.setenv("PASSE_MURAILLE_BUILD_LOADERS", loaders)
        report = build(data_copy, tmp_path / loaders)
        stores[loaders] = EmbeddedStore(tmp_path / loaders)
        assert len(stores[loaders]) == report.triples
    one, three = (set(stores[n].dump_ntriples().splitlines()) for n in ("1", "3"))
    assert one == three and len(one) == len(stores["1"])


def test_a_bad_loader_count_is_refused(monkeypatch):
    from graph.store.loader import loader_count

    monkeypatch.setenv("PASSE_MURAILLE_BUILD_LOADERS", "many")
    with pytest.raises(ValueError, match="PASSE_MURAILLE_BUILD_LOADERS"):
        loader_count()
    monkeypatch.setenv("PASSE_MURAILLE_BUILD_LOADERS", "2")
    assert loader_count() == 2
