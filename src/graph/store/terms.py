"""Values and query text: SPARQL JSON bindings to Python values, RDF terms in N3, bindings and prefixes."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.store.errors import StoreError
from graph.vocab.namespaces import SPARQL_PREFIXES

_NUMERIC = {str(XSD.integer): int, str(XSD.int): int, str(XSD.long): int, str(XSD.decimal): Decimal,
            str(XSD.double): float, str(XSD.float): float}


def to_python(binding: dict | None) -> Any:
    """Convert one SPARQL JSON result binding to a Python value (IRIs and strings as ``str``)."""
    if binding is None:
        return None
    value = binding["value"]
    if binding["type"] != "literal" and binding["type"] != "typed-literal":
        return value
    datatype = binding.get("datatype")
    if datatype in _NUMERIC:
        try:
            return _NUMERIC[datatype](value)
        except (ValueError, ArithmeticError):
            return value
    if datatype == str(XSD.boolean):
        return value in ("true", "1")
    return value


_BOOLEAN = str(XSD.boolean)


def ox_to_python(term) -> Any:
    """An Oxigraph term as the Python value :func:`to_python` gives for its SPARQL JSON form."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        value = term.value
        convert = _NUMERIC.get(datatype)
        if convert is not None:
            try:
                return convert(value)
            except (ValueError, ArithmeticError):
                return value
        if datatype == _BOOLEAN:
            return value in ("true", "1")
        return value
    return term.value


def result_values(result: dict) -> list[tuple[str | None, ...]]:
    variables = result.get("head", {}).get("vars", [])
    return [tuple(binding[var]["value"] if var in binding else None for var in variables)
            for binding in result.get("results", {}).get("bindings", [])]


def result_rows(result: dict) -> list[dict[str, Any]]:
    variables = result.get("head", {}).get("vars", [])
    return [{var: to_python(binding.get(var)) for var in variables}
            for binding in result.get("results", {}).get("bindings", [])]


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _rdflib_term(value: Any):
    if isinstance(value, URIRef | Literal):
        return value
    return Literal(value)


def term_n3(value: Any) -> str:
    """Serialise a binding value as a SPARQL term, refusing IRIs that could break out of ``<…>``."""
    term = _rdflib_term(value)
    if isinstance(term, URIRef) and _IRI_FORBIDDEN.search(str(term)):
        raise StoreError(f"invalid IRI in a query binding: {str(term)[:80]!r}")
    return term.n3()


_WHERE_GROUP = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_bindings(query: str, bindings: dict | None) -> str:
    """Join the bindings to the query as a ``VALUES`` block (SPARQL 1.1 §10.2.1), terms escaped by rdflib.

    The block opens the query's ``WHERE`` group, where engines start from it: a trailing ``VALUES`` clause
    (§10.2.2) has the same solutions when the bound variables occur in the group's required patterns — as in
    every query of this project — but Oxigraph joins it last, after evaluating the group for every entity
    (seconds per query at a million triples instead of milliseconds). Without a ``WHERE`` keyword the block is
    appended as a trailing clause. User input never enters the query text except as such an escaped term.
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise StoreError(f"invalid variable name {name!r}")
    terms = " ".join(term_n3(bindings[name]) for name in names)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"
    found = _WHERE_GROUP.search(query)
    if found is None:
        return f"{query}\n{block}"
    return f"{query[:found.end()]} {block}\n{query[found.end():]}"


def with_prefixes(query: str) -> str:
    """Prepend the project's prefixes unless the query declares its own."""
    return query if "PREFIX" in query[:400].upper() else SPARQL_PREFIXES + query
