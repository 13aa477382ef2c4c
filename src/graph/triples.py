"""Turn checked table rows into RDF triples, each row carrying its provenance.

Every row becomes one entity ``PMID[f"{table}/{id}"]`` typed with its table's class, with one
triple per filled cell (see :mod:`graph.schema` for the property of each column), plus:

* ``prov:wasDerivedFrom`` its source(s) and ``pm:sourceLocator`` (from the ``source``/``locator`` columns);
* ``pm:fromTable`` and ``pm:fromRow``: the CSV file and spreadsheet row it came from.

The output is deterministic: the same tables give the same triples (no blank nodes, no timestamps).
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from .namespaces import PM, PMID, PREFIXES
from .schema import ACTOR_CLASS_BY_KIND, BOOL, DATE, ENUM, ID, NUMBER, REF, TABLES, URL, Column, Table
from .tables import TableSet, parse_date, split_multi

__all__ = ["entity_iri", "table_triples", "tables_to_graph"]


def entity_iri(table: str, row_id: str) -> URIRef:
    """The IRI of the row ``row_id`` of ``table``."""
    return PMID[f"{table}/{row_id}"]


def _date_literal(value: str) -> Literal:
    year, month, day = parse_date(value)
    if day is not None:
        return Literal(value, datatype=XSD.date)
    if month is not None:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


def _term(column: Column, value: str, id_table: dict[str, str]):
    if column.kind == REF:
        return entity_iri(id_table[value], value)
    if column.kind == ENUM:
        return PM[f"{column.enum_prefix}-{value}"] if column.enum_prefix else Literal(value)
    if column.kind == BOOL:
        return Literal(value == "yes")
    if column.kind == DATE:
        return _date_literal(value)
    if column.kind == NUMBER:
        return Literal(value, datatype=XSD.decimal)
    if column.kind == URL:
        return Literal(value, datatype=XSD.anyURI)
    return Literal(value, lang=column.lang)


def _row_classes(table: Table, row: dict[str, str]) -> list[URIRef]:
    classes = [table.rdf_class, *table.extra_classes]
    if table.name == "actors":
        classes.append(ACTOR_CLASS_BY_KIND[row["kind"]])
    return classes


def table_triples(table: Table, tables: TableSet) -> Iterator[tuple]:
    """Yield the triples of every row of ``table``."""
    frame = tables.frames[table.name]
    names = [c.name for c in table.columns]
    for record in frame[[*names, "__file", "__row"]].itertuples(index=False, name=None):
        row = dict(zip(names, record, strict=False))
        subject = entity_iri(table.name, row["id"])
        for cls in _row_classes(table, row):
            yield subject, RDF.type, cls
        if table.scheme is not None:
            yield subject, SKOS.inScheme, table.scheme
        yield subject, PM.fromTable, Literal(record[-2])
        yield subject, PM.fromRow, Literal(int(record[-1]))
        for column in table.columns:
            value = row[column.name]
            if not value or column.kind == ID or column.predicate is None:
                continue
            items = split_multi(value) if column.multi else [value]
            for item in items:
                term = _term(column, item, tables.id_table)
                yield subject, column.predicate, term
                for extra in column.extra_predicates:
                    yield subject, extra, term
        if table.name == "sources":
            yield subject, SKOS.notation, Literal(row["id"])
        elif table.name == "glossary" and not row["term_fr"]:
            # an unknown expansion is labelled by its acronym alone, never by an invented full form
            for acronym in split_multi(row["acronym"]):
                yield subject, SKOS.prefLabel, Literal(acronym)
                break


def tables_to_graph(tables: TableSet, ontology: Graph | None = None, progress=None) -> Graph:
    """Build the data graph of ``tables`` (plus ``ontology`` triples if given)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    if ontology is not None:
        for triple in ontology:
            graph.add(triple)
    for table in TABLES:
        add = graph.add
        for triple in table_triples(table, tables):
            add(triple)
        if progress:
            progress(table.name)
    return graph

