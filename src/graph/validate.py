"""SHACL validation of the built graph (pySHACL), every violation traced back to its CSV file and row.

pySHACL is only ever given rdflib Graph objects, never strings (a string would be read as a path or URL).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from .namespaces import PM
from .ontology import shapes_graph
from .schema import TABLES
from .tables import Problem

__all__ = ["Violation", "shacl_violations"]


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


def _column_by_predicate() -> dict[tuple[str, URIRef], str]:
    """(table name, property) → column name."""
    index = {}
    for table in TABLES:
        for column in table.columns:
            if column.predicate is not None:
                index.setdefault((table.name, column.predicate), column.name)
            for extra in column.extra_predicates:
                index.setdefault((table.name, extra), column.name)
    return index


def _message(results: Graph, result) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    for wanted in ("en", "fr", None):
        for message in messages:
            if isinstance(message, Literal) and message.language == wanted:
                return str(message)
    return str(messages[0]) if messages else "SHACL constraint violated"


def shacl_violations(data: Graph) -> list[Violation]:
    """Validate ``data`` (which includes the ontology, for class hierarchy) against ``ontology/shapes.ttl``."""
    conforms, results, _text = pyshacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", abort_on_first=False, allow_warnings=False,
        advanced=False, meta_shacl=False, iterate_rules=False,
    )
    if conforms:
        return []
    columns = _column_by_predicate()
    violations = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        table = data.value(focus, PM.fromTable)
        row = data.value(focus, PM.fromRow)
        file = str(table) if table is not None else None
        table_name = file.split(".", 1)[0] if file else None
        column = columns.get((table_name, path)) if file and isinstance(path, URIRef) else None
        violations.append(Violation(
            message=_message(results, result),
            focus=str(focus),
            path=str(path) if path is not None else None,
            value=value.n3() if value is not None else None,
            file=file,
            row=int(row) if row is not None else None,
            column=column,
        ))
    return sorted(violations, key=lambda v: (v.file or "", v.row or 0, v.column or "", v.message))
