"""Exports of the graph: the whole graph or one entity as RDF, each table as CSV, the actor network.

* :func:`rdf_export` — every triple of the store as Turtle, JSON-LD, N-Triples or RDF/XML;
* :func:`describe` — one entity (its own triples plus the labels and types of what it points at), the
  body of a dereferenced entity IRI;
* :func:`table_csv` — one table in the format of ``data/`` (same columns; references as ids, several
  values joined with ``|``), read back from the store, with formula-like cells neutralised;
* :func:`network_export` — the analysed actor graph as GEXF or GraphML, through
  :mod:`graph.network.export` (:class:`ExportUnavailable` when that package is not installed).

A CSV cell that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is prefixed with ``'`` (OWASP "CSV injection"); numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Graph

from graph.network import project
from graph.network.export import export_graph
from graph.query.entities import EntityError, cached, entity_iri, iri_id, table_rows, values_block
from graph.store import term_n3
from graph.vocab.namespaces import PREFIXES
from graph.vocab.schema import TABLES_BY_NAME

__all__ = [
    "RDF_FORMATS", "NETWORK_FORMATS", "ExportUnavailable", "FORMULA_PREFIXES", "neutralise", "csv_text",
    "rdf_export", "serialize_graph", "describe", "table_csv", "dataset_files", "network_export",
]

RDF_FORMATS = {
    "turtle": ("turtle", "text/turtle", "ttl"),
    "jsonld": ("json-ld", "application/ld+json", "jsonld"),
    "ntriples": ("nt", "application/n-triples", "nt"),
    "rdfxml": ("xml", "application/rdf+xml", "rdf"),
}
"""Format name → (rdflib serializer, media type, file extension)."""

NETWORK_FORMATS = {"gexf": ("application/gexf+xml", "gexf"), "graphml": ("application/graphml+xml", "graphml")}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ExportUnavailable(RuntimeError):
    """The export needs a package that is not installed (the message says which)."""


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def neutralise(value: Any, guard_formulas: bool = True) -> str:
    """A CSV cell: lists joined with ``|``, booleans yes/no, formula-like text prefixed with ``'`` (unless
    ``guard_formulas`` is false: a file meant to be built again, not opened in a spreadsheet)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = "|".join(_plain(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return "'" + text if guard_formulas and text.startswith(FORMULA_PREFIXES) else text


def csv_text(columns: Sequence[str], rows: Iterable[dict], guard_formulas: bool = True) -> str:
    """CSV (RFC 4180, header row) of ``rows`` restricted to ``columns``, cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(col), guard_formulas) for col in columns])
    return out.getvalue()


def _check_format(fmt: str) -> tuple[str, str, str]:
    try:
        return RDF_FORMATS[fmt]
    except KeyError:
        raise EntityError(f"unknown RDF format {fmt[:40]!r}: one of {', '.join(RDF_FORMATS)}") from None


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """``graph`` in ``fmt`` (a key of :data:`RDF_FORMATS`), the project's prefixes bound."""
    serializer = _check_format(fmt)[0]
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    if serializer == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
    return graph.serialize(format=serializer, encoding="utf-8")


def _ox_format(name: str):
    import pyoxigraph as ox

    return getattr(ox.RdfFormat, name)


_OXIGRAPH_FORMATS = {"turtle": lambda: _ox_format("TURTLE"), "rdfxml": lambda: _ox_format("RDF_XML")}
"""Formats written by Oxigraph's serialisers (JSON-LD stays with rdflib: compacted with the project's context)."""


def rdf_export(store, fmt: str = "turtle") -> bytes:
    """Every triple of the store (data and ontology) in ``fmt``; cached per store version."""
    _check_format(fmt)

    def compute() -> bytes:
        prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        if fmt in _OXIGRAPH_FORMATS and hasattr(store, "dump_rdf"):  # the embedded store writes it itself
            return store.dump_rdf(_OXIGRAPH_FORMATS[fmt](), prefixes)
        data = store.dump_ntriples()
        if fmt == "ntriples":
            return data
        if fmt in _OXIGRAPH_FORMATS:  # Rust serialisers: 0.5 s instead of 6 s for Turtle of the bundled data
            import pyoxigraph as ox

            return ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=_OXIGRAPH_FORMATS[fmt](),
                                prefixes=prefixes)
        graph = Graph()
        graph.parse(data=data.decode("utf-8"), format="nt")
        return serialize_graph(graph, fmt)

    return cached(store, ("rdf_export", fmt), compute)


_DESCRIBE = """
CONSTRUCT { ?s ?p ?o . ?o a ?type . ?o skos:prefLabel ?label . ?o rdfs:label ?rlabel . }
WHERE {
  VALUES_BLOCK
  ?s ?p ?o .
  OPTIONAL { ?o a ?type . FILTER(isIRI(?o)) }
  OPTIONAL { ?o skos:prefLabel ?label }
  OPTIONAL { ?o rdfs:label ?rlabel }
}
"""


def describe(store, table: str, row_id: str) -> Graph:
    """The description of entity ``table``/``row_id``; :class:`EntityError` 404 if it has no triples."""
    iri = entity_iri(table, row_id)

    def compute() -> Graph:
        query = _DESCRIBE.replace("VALUES_BLOCK", values_block("s", [iri]))
        return store.construct(query)

    graph = cached(store, ("describe", str(iri)), compute)
    if (iri, None, None) not in graph:
        raise EntityError(f"no entity {table}/{row_id}", 404)
    return graph


def table_csv(store, table: str) -> str:
    """Table ``table`` as CSV in the columns of ``data/`` (ordered by id)."""
    if table not in TABLES_BY_NAME:
        raise EntityError(f"unknown table {table[:40]!r}: one of {', '.join(TABLES_BY_NAME)}", 404)
    columns = [c.name for c in TABLES_BY_NAME[table].columns]
    return cached(store, ("table_csv", table), lambda: csv_text(columns, table_rows(store, table)))


_PLACES = "SELECT ?s ?file ?row WHERE {{ ?s a {cls} ; pm:fromTable ?file ; pm:fromRow ?row }}"


def dataset_files(store) -> dict[str, str]:
    """Every table as ``data/`` held it when the store was built: file name → CSV text, each row back in its file
    (``pm:fromTable``: a table's main file or one of its parts) at its row (``pm:fromRow``), formula-like cells
    written as they are. Building these files gives the store's version again (every triple, provenance
    included); :func:`table_csv` merges a table's parts instead, for people."""
    files: dict[str, str] = {}
    for table in TABLES_BY_NAME.values():
        places = {iri_id(s): (name, int(row)) for s, name, row in
                  store.select_values(_PLACES.format(cls=term_n3(table.rdf_class)))}
        by_file: dict[str, list[tuple[int, dict]]] = {table.file: []}
        for row in table_rows(store, table.name):
            name, position = places[row["id"]]
            by_file.setdefault(name, []).append((position, row))
        columns = [c.name for c in table.columns]
        for name, rows in by_file.items():
            files[name] = csv_text(columns, [row for _, row in sorted(rows, key=lambda item: item[0])],
                                   guard_formulas=False)
    return files


def network_export(store, fmt: str = "graphml") -> bytes:
    """The analysed actor graph as GEXF or GraphML (see :mod:`graph.network.export`)."""
    if fmt not in NETWORK_FORMATS:
        raise EntityError(f"unknown network format {fmt[:40]!r}: one of {', '.join(NETWORK_FORMATS)}")

    def compute() -> bytes:
        graph = project(store).actors
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"actors.{fmt}"
            export_graph(graph, out, fmt)
            return out.read_bytes()

    return cached(store, ("network_export", fmt), compute)
