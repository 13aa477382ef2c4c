"""Refuse, before evaluation, any SPARQL request that is not a plain read-only query of our graph.

A query is parsed with rdflib's SPARQL 1.1 query grammar (an update does not parse as a query) and
its parse tree is walked: ``SERVICE`` (outbound HTTP from the engine) and ``FROM``/``FROM NAMED``
(loading other documents) are refused. The query text is never modified.
"""

from __future__ import annotations

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

__all__ = ["QueryRefused", "check_read_only", "query_form"]

MAX_QUERY_LENGTH = 20_000


class QueryRefused(ValueError):
    """The request is not an allowed read-only query; the message says why in one line."""


def _walk(node):
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, ParseResults | list | tuple):
        for item in node:
            yield from _walk(item)


def check_read_only(query: str) -> CompValue:
    """Return the parsed query if it is allowed, else raise :class:`QueryRefused`."""
    if not query or not query.strip():
        raise QueryRefused("empty query")
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryRefused(f"query longer than {MAX_QUERY_LENGTH} characters")
    try:
        parsed = parseQuery(query)
    except ParseException as err:
        head = query.lstrip().split(None, 1)[0].upper() if query.strip() else ""
        if any(word in query.upper() for word in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE")) and \
                head not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            raise QueryRefused("updates are not allowed: this endpoint is read-only") from None
        raise QueryRefused(f"SPARQL syntax error at line {err.lineno}, column {err.col}") from None
    except RecursionError:
        raise QueryRefused("query nested too deeply") from None
    body = parsed[1]
    for node in _walk(body):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE is not allowed: queries may not call other endpoints")
        if node.name == "DatasetClause":
            raise QueryRefused("FROM and FROM NAMED are not allowed: queries run on this graph only")
    return body


def query_form(parsed: CompValue) -> str:
    """'SELECT', 'ASK', 'CONSTRUCT' or 'DESCRIBE'."""
    return parsed.name.replace("Query", "").upper()
