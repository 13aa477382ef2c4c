"""Round trips of the exports: tables → build → the tables exported as data/ held them → build gives the same
version (and each table merged into one CSV gives the same content); Turtle, RDF/XML and JSON-LD parse back to
the same triples; GraphML and GEXF read by networkx give the projection's actor graph."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.build.pipeline import build
from graph.network.projection import project
from graph.publish.exports import dataset_files, network_export, rdf_export, table_csv
from graph.store import EmbeddedStore
from graph.vocab.schema import TABLES

PROVENANCE = ("<https://w3id.org/passe-muraille/ns#fromTable>", "<https://w3id.org/passe-muraille/ns#fromRow>")
"""The file and spreadsheet row each entity came from: the export writes one file per table (parts merged),
ordered by id, so these two change in a round trip — and with them the version, which hashes every triple."""


def _content(store) -> set[str]:
    return {line for line in store.dump_ntriples().decode("utf-8").splitlines()
            if line.split(" ", 2)[1] not in PROVENANCE}


def test_csv_exports_rebuild_the_same_graph(bundled_store, tmp_path):
    """Every table exported as CSV and built again gives the same triples but for their file and row; a sense
    labelled by one of several acronyms kept that label (it took the first in alphabetical order)."""
    data = tmp_path / "data"
    data.mkdir()
    for table in TABLES:
        (data / table.file).write_text(table_csv(bundled_store, table.name), encoding="utf-8")
    build(data, tmp_path / "store")
    rebuilt = EmbeddedStore(tmp_path / "store")
    assert _content(rebuilt) == _content(bundled_store)
    again = tmp_path / "again"
    again.mkdir()
    for table in TABLES:
        (again / table.file).write_text(table_csv(rebuilt, table.name), encoding="utf-8")
    build(again, tmp_path / "store-again")
    assert EmbeddedStore(tmp_path / "store-again").version == rebuilt.version, "a second round trip is exact"


def _write(files: dict[str, str], directory) -> None:
    directory.mkdir()
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")


def test_the_dataset_export_builds_the_same_version(bundled_store, tmp_path):
    files = dataset_files(bundled_store)
    assert len([f for f in files if "." in f.removesuffix(".csv")]) > 10, "the parts are written apart"
    _write(files, tmp_path / "data")
    build(tmp_path / "data", tmp_path / "store")
    assert EmbeddedStore(tmp_path / "store").version == bundled_store.version


def test_the_dataset_export_keeps_formula_like_cells_and_edits(data_copy, tmp_path):
    """A definition starting with « - » (a formula to a spreadsheet) comes back as it was, and an edited table
    gives its own version, the same again after a round trip."""
    glossary = data_copy / "glossary.csv"
    lines = glossary.read_text(encoding="utf-8").splitlines(keepends=True)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO("".join(lines))))
    rows[0]["definition"] = "- " + rows[0]["definition"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    glossary.write_text(out.getvalue(), encoding="utf-8")
    build(data_copy, tmp_path / "store")
    edited = EmbeddedStore(tmp_path / "store")
    files = dataset_files(edited)
    exported = {r["id"]: r for r in csv.DictReader(io.StringIO(files["glossary.csv"]))}
    assert exported[rows[0]["id"]]["definition"] == rows[0]["definition"]
    _write(files, tmp_path / "again")
    build(tmp_path / "again", tmp_path / "store-again")
    assert EmbeddedStore(tmp_path / "store-again").version == edited.version


@pytest.fixture(scope="module")
def store_triples(bundled_store) -> Graph:
    return Graph().parse(data=rdf_export(bundled_store, "ntriples").decode("utf-8"), format="nt")


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_rdf_exports_parse_back_to_the_same_triples(bundled_store, store_triples, fmt, parser):
    graph = Graph().parse(data=rdf_export(bundled_store, fmt).decode("utf-8"), format=parser)
    assert len(graph) == len(store_triples) == len(bundled_store)
    assert isomorphic(graph, store_triples)


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_exports_read_back_to_the_projection(bundled_store, tmp_path, fmt, reader):
    path = tmp_path / f"actors.{fmt}"
    path.write_bytes(network_export(bundled_store, fmt))
    graph = reader(path)
    actors = project(bundled_store).actors
    assert set(map(str, graph.nodes)) == set(map(str, actors.nodes))
    assert {(str(u), str(v)) for u, v in graph.edges} == {(str(u), str(v)) for u, v in actors.edges}
    assert graph.is_directed() == actors.is_directed()
