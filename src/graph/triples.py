"""Turn checked table rows into RDF triples (as N-Triples lines), each row carrying its provenance.

Every row becomes one entity ``PMID[f"{table}/{id}"]`` typed with its table's class, with one
triple per filled cell (see :mod:`graph.schema` for the property of each column), plus:

* ``prov:wasDerivedFrom`` its source(s) and ``pm:sourceLocator`` (from the ``source``/``locator`` columns);
* ``pm:fromTable`` and ``pm:fromRow``: the CSV file and spreadsheet row it came from.

Lines are written directly in N-Triples (W3C RDF 1.1 N-Triples §2.3–2.5 escaping): no blank nodes, no
timestamps, so the same tables always give the same lines. Building rdflib terms for a million triples
took 19 s here; formatting strings takes a fraction of that, and Oxigraph parses them in Rust.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph
from rdflib.namespace import RDF, SKOS, XSD

from .namespaces import PM, PMID
from .schema import ACTOR_CLASS_BY_KIND, BOOL, DATE, ENUM, ID, NUMBER, REF, TABLES, URL, Column, Table
from .tables import TableSet, parse_date, split_multi

__all__ = ["entity_iri", "table_lines", "tables_to_lines", "graph_lines", "lines_to_graph"]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_TYPE = f"<{RDF.type}>"
_IN_SCHEME = f"<{SKOS.inScheme}>"
_PREF_LABEL = f"<{SKOS.prefLabel}>"
_FROM_TABLE = f"<{PM.fromTable}>"
_FROM_ROW = f"<{PM.fromRow}>"
_NOTATION = f"<{SKOS.notation}>"
_INTEGER = f"<{XSD.integer}>"
_BOOLEAN = f"<{XSD.boolean}>"
_DECIMAL = f"<{XSD.decimal}>"
_ANY_URI = f"<{XSD.anyURI}>"
_DATE_TYPES = {3: f"<{XSD.date}>", 2: f"<{XSD.gYearMonth}>", 1: f"<{XSD.gYear}>"}


def entity_iri(table: str, row_id: str) -> str:
    """The IRI of the row ``row_id`` of ``table``."""
    return f"{PMID}{table}/{row_id}"


def _literal(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    text = '"' + value.translate(_ESCAPES) + '"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^{datatype}"
    return text


def _object(column: Column, value: str, id_table: dict[str, str]) -> str:
    if column.kind == REF:
        return f"<{entity_iri(id_table[value], value)}>"
    if column.kind == ENUM:
        return f"<{PM}{column.enum_prefix}-{value}>" if column.enum_prefix else _literal(value)
    if column.kind == BOOL:
        return _literal("true" if value == "yes" else "false", datatype=_BOOLEAN)
    if column.kind == DATE:
        precision = sum(part is not None for part in parse_date(value))
        return _literal(value, datatype=_DATE_TYPES[precision])
    if column.kind == NUMBER:
        return _literal(value, datatype=_DECIMAL)
    if column.kind == URL:
        return _literal(value, datatype=_ANY_URI)
    return _literal(value, lang=column.lang)


def _row_classes(table: Table, row: dict[str, str]) -> list[str]:
    classes = [table.rdf_class, *table.extra_classes]
    if table.name == "actors":
        classes.append(ACTOR_CLASS_BY_KIND[row["kind"]])
    return [f"<{cls}>" for cls in classes]


def table_lines(table: Table, tables: TableSet) -> Iterator[str]:
    """Yield the N-Triples lines of every row of ``table``."""
    frame = tables.frames[table.name]
    names = [c.name for c in table.columns]
    cells = [(c, f"<{c.predicate}>", [f"<{p}>" for p in c.extra_predicates]) for c in table.columns
             if c.kind != ID and c.predicate is not None]
    scheme = f"<{table.scheme}>" if table.scheme is not None else None
    id_table = tables.id_table
    for record in frame[[*names, "__file", "__row"]].itertuples(index=False, name=None):
        row = dict(zip(names, record, strict=False))
        subject = f"<{entity_iri(table.name, row['id'])}>"
        for cls in _row_classes(table, row):
            yield f"{subject} {_TYPE} {cls} ."
        if scheme:
            yield f"{subject} {_IN_SCHEME} {scheme} ."
        yield f"{subject} {_FROM_TABLE} {_literal(record[-2])} ."
        yield f"{subject} {_FROM_ROW} {_literal(str(int(record[-1])), datatype=_INTEGER)} ."
        for column, predicate, extras in cells:
            value = row[column.name]
            if not value:
                continue
            for item in (split_multi(value) if column.multi else [value]):
                term = _object(column, item, id_table)
                yield f"{subject} {predicate} {term} ."
                for extra in extras:
                    yield f"{subject} {extra} {term} ."
        if table.name == "sources":
            yield f"{subject} {_NOTATION} {_literal(row['id'])} ."
        elif table.name == "glossary" and not row["term_fr"]:
            # an unknown expansion is labelled by its acronym alone, never by an invented full form
            acronyms = split_multi(row["acronym"])
            if acronyms:
                yield f"{subject} {_PREF_LABEL} {_literal(acronyms[0])} ."


def graph_lines(graph: Graph) -> list[str]:
    """An rdflib graph (without blank nodes) as N-Triples lines."""
    data = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return [line for line in data.splitlines() if line.strip()]


def tables_to_lines(tables: TableSet, ontology: Graph | None = None) -> list[str]:
    """Every triple of ``tables`` (and of ``ontology`` if given) as de-duplicated, sorted N-Triples lines."""
    lines = set(graph_lines(ontology)) if ontology is not None else set()
    for table in TABLES:
        lines.update(table_lines(table, tables))
    return sorted(lines)


def lines_to_graph(lines: list[str]) -> Graph:
    """Parse N-Triples lines into an rdflib graph (for rdflib-based tools such as pySHACL)."""
    graph = Graph()
    graph.parse(data="\n".join(lines) + "\n", format="nt")
    return graph
