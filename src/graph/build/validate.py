"""SHACL validation of the built graph, every violation traced back to its CSV file and row.

Three engines give the same answers (tested): ``"columnar"`` (default; the constraints compiled by
:mod:`graph.build.shacl` evaluated with numpy over the triples as integer columns, no store needed),
``"sparql"`` (each constraint one Oxigraph query over all focus nodes) and ``"pyshacl"`` (the reference
implementation, used automatically if the shapes use a construct the set-based engines do not implement).
pySHACL is only ever given rdflib Graph objects, never strings (a string would be read as a path or URL).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from rdflib import Literal, URIRef
from rdflib.namespace import SH

from graph.build.columns import Columns
from graph.build.shacl import Unsupported, compile_shapes, run_constraints, run_constraints_columnar
from graph.build.tables import Problem
from graph.build.triples import lines_to_graph
from graph.vocab.namespaces import PM
from graph.vocab.ontology import shapes_graph
from graph.vocab.schema import TABLES

__all__ = ["Violation", "shacl_violations", "store_violations", "columnar_violations", "ENGINES"]

ENGINES = ("columnar", "sparql", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the shape's message, the focus node and where in the tables it came from."""

    message: str
    focus: str
    path: str | None
    value: str | None
    file: str | None
    row: int | None
    column: str | None

    def as_problem(self) -> Problem:
        message = f"{self.message} (focus node <{self.focus}>"
        if self.value is not None:
            message += f", value {self.value}"
        message += ")"
        return Problem(self.file or "(graph)", self.row, self.column, message)


@lru_cache(maxsize=1)
def _column_by_predicate() -> dict[tuple[str, str], str]:
    """(table name, property IRI) → column name."""
    index: dict[tuple[str, str], str] = {}
    for table in TABLES:
        for column in table.columns:
            for predicate in (column.predicate, *column.extra_predicates):
                if predicate is not None:
                    index.setdefault((table.name, str(predicate)), column.name)
    return index


@lru_cache(maxsize=1)
def _compiled():
    try:
        return compile_shapes(shapes_graph())
    except Unsupported:
        return None


def _locate(store: ox.Store, focus_nodes: set[str]) -> dict[str, tuple[str, int]]:
    if not focus_nodes:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted(focus_nodes) if not iri.startswith("_:"))
    query = (f"SELECT ?s ?t ?r WHERE {{ VALUES ?s {{ {values} }} ?s <{PM.fromTable}> ?t ; <{PM.fromRow}> ?r }}")
    return {s["s"].value: (s["t"].value, int(s["r"].value)) for s in store.query(query)}


def _violation(message: str, focus: str, path: str | None, value: str | None,
               where: dict[str, tuple[str, int]]) -> Violation:
    file, row = where.get(focus, (None, None))
    table_name = file.split(".", 1)[0] if file else None
    column = _column_by_predicate().get((table_name, path)) if file and path else None
    return Violation(message, focus, path, value, file, row, column)


def store_violations(store: ox.Store) -> list[Violation] | None:
    """Validate an Oxigraph store holding data plus ontology with the SPARQL engine (None if unsupported)."""
    constraints = _compiled()
    if constraints is None:
        return None
    found = run_constraints(store, constraints)
    where = _locate(store, {focus for _c, focus, _v in found})
    return _sorted([_violation(c.message, focus, c.path, value, where) for c, focus, value in found])


def columnar_violations(graph: Columns) -> list[Violation] | None:
    """Validate a :class:`Columns` graph (data plus ontology) with the columnar engine (None if unsupported)."""
    constraints = _compiled()
    if constraints is None:
        return None
    found = run_constraints_columnar(graph, constraints)
    focus_nodes = {focus for _c, focus, _v in found}
    where = graph.locate([graph.code(f"<{f}>") for f in focus_nodes]) if focus_nodes else {}
    return _sorted([_violation(c.message, focus, c.path, value, where) for c, focus, value in found])


def _with_sparql(lines: list[str]) -> list[Violation] | None:
    store = ox.Store()
    store.bulk_load(("\n".join(lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.DefaultGraph())
    return store_violations(store)


def _sorted(violations: list[Violation]) -> list[Violation]:
    unique = {(v.file or "", v.row or 0, v.column or "", v.message, v.focus, v.value or ""): v for v in violations}
    return [unique[key] for key in sorted(unique)]


def _pyshacl_message(results, result) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    for wanted in ("en", "fr", None):
        for message in messages:
            if isinstance(message, Literal) and message.language == wanted:
                return str(message)
    return str(messages[0]) if messages else "SHACL constraint violated"


def _with_pyshacl(lines: list[str]) -> list[Violation]:
    data = lines_to_graph(lines)
    conforms, results, _text = pyshacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", abort_on_first=False, allow_warnings=False,
        advanced=False, meta_shacl=False, iterate_rules=False,
    )
    if conforms:
        return []
    found = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        found.append((_pyshacl_message(results, result), str(focus),
                      str(path) if isinstance(path, URIRef) else None, value.n3() if value is not None else None))
    where = {}
    for _m, focus, _p, _v in found:
        table = data.value(URIRef(focus), PM.fromTable)
        row = data.value(URIRef(focus), PM.fromRow)
        if table is not None and row is not None:
            where[focus] = (str(table), int(row))
    return [_violation(m, focus, path, value, where) for m, focus, path, value in found]


def shacl_violations(lines: list[str], engine: str = "columnar") -> list[Violation]:
    """Validate N-Triples ``lines`` (data plus ontology, for the class hierarchy) against ``ontology/shapes.ttl``."""
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r} (choose from {', '.join(ENGINES)})")
    violations = None
    if engine == "columnar":
        violations = columnar_violations(Columns.from_lines(lines))
    elif engine == "sparql":
        violations = _with_sparql(lines)
    if violations is None:
        violations = _with_pyshacl(lines)
    return _sorted(violations)
