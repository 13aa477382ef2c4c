"""The public SPARQL 1.1 Protocol endpoint at ``/sparql``: read-only, time-limited, row-capped.

* GET ``?query=…``, POST ``application/x-www-form-urlencoded`` (``query=…``) or ``application/sparql-query``;
* SELECT/ASK as SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE as Turtle, JSON-LD, N-Triples or RDF/XML,
  chosen by ``Accept`` or by ``?format=`` (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``jsonld``,
  ``ntriples``, ``rdfxml``);
* refused with 400 and a one-line reason: updates, SERVICE, FROM/FROM NAMED, ``default-graph-uri`` and
  ``named-graph-uri``; 413 beyond the request size limit; 429 (per client) or 503 (overall) with
  ``Retry-After`` beyond the concurrency caps; 503 when a query is stopped at the deadline;
* every query runs in a worker process killed at the deadline (:mod:`graph.sparql.worker`); results cut at
  the row limit carry ``X-SPARQL-Truncated: true`` and ``X-SPARQL-Row-Limit``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from contextlib import asynccontextmanager
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from api.http.conventions import body_content, error_responses
from graph.config import endpoint_url, store_dir
from graph.sparql.worker import GRAPH_FORMATS, RESULT_FORMATS, Busy, Limits, WorkerPool, outbound_keyword
from graph.store import current_version

__all__ = ["router", "negotiate", "get_pool"]

_POOL_LOCK = threading.Lock()


@asynccontextmanager
async def _lifespan(app):
    yield
    pool = getattr(app.state, "sparql_pool", None)
    if pool is not None:
        pool.close()


_RESPONSES = {
    200: {"description": "SELECT/ASK results or CONSTRUCT/DESCRIBE graph in the negotiated format; the query form "
                         "(HTML) when a browser sends no query.",
          "content": body_content(*dict.fromkeys([*RESULT_FORMATS.values(), *GRAPH_FORMATS.values(), "text/html"]))},
    304: {"description": "Not modified (If-None-Match matched the ETag)."},
    **error_responses(400, 413, 414, 415, 429, 503,
                      e400="Missing or refused query (update, SERVICE, FROM, syntax error) or unknown format.",
                      e503="Deadline reached, endpoint busy (Retry-After), or the server reads a remote store."),
}

router = APIRouter(tags=["sparql"], lifespan=_lifespan, responses=_RESPONSES, default_response_class=Response)

_FORMAT_NAMES = {
    "json": ("json", "jsonld"), "srj": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"), "srx": ("xml", "rdfxml"),
    "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"),
    "jsonld": ("json", "jsonld"), "json-ld": ("json", "jsonld"),
    "ntriples": (None, "ntriples"), "nt": (None, "ntriples"),
    "rdfxml": ("xml", "rdfxml"), "rdf": ("xml", "rdfxml"),
}
_RESULT_TYPES = {**{v: k for k, v in RESULT_FORMATS.items()}, "application/json": "json",
                 "application/xml": "xml", "text/xml": "xml", "text/plain": "tsv"}
_GRAPH_TYPES = {**{v: k for k, v in GRAPH_FORMATS.items()}, "application/x-turtle": "turtle",
                "application/json": "jsonld", "text/plain": "ntriples", "application/xml": "rdfxml",
                "text/xml": "rdfxml"}


def _accepted(accept: str) -> list[tuple[float, int, str]]:
    ranges = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        q = 1.0
        for param in parts[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranges.append((q, -position, parts[0].lower()))
    return sorted(ranges, reverse=True)


def _pick(ranges: list[tuple[float, int, str]], types: dict[str, str], default: str) -> str | None:
    for q, _, media in ranges:
        if q <= 0:
            continue
        if media in types:
            return types[media]
        if media in ("*/*", "application/*", "text/*"):
            if media == "*/*" or any(t.startswith(media[:-1]) and v == default for t, v in types.items()):
                return default
    return None


def negotiate(fmt: str | None, accept: str | None) -> tuple[str | None, str | None]:
    """(result format, graph format) for ``?format=`` or the Accept header; None where nothing fits."""
    if fmt:
        key = fmt.strip().lower()
        if key in _FORMAT_NAMES:
            return _FORMAT_NAMES[key]
        return _RESULT_TYPES.get(key), _GRAPH_TYPES.get(key)
    if not accept:
        return "json", "turtle"
    ranges = _accepted(accept)
    return _pick(ranges, _RESULT_TYPES, "json"), _pick(ranges, _GRAPH_TYPES, "turtle")


def get_pool(request: Request) -> WorkerPool:
    """The app's worker pool, created on first use."""
    app = request.app
    with _POOL_LOCK:
        pool = getattr(app.state, "sparql_pool", None)
        if pool is None:
            pool = WorkerPool(store_dir(), Limits.from_env())
            app.state.sparql_pool = pool
    return pool


def _error(status: int, detail: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None if it is larger than ``limit`` bytes (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


async def _answer(request: Request, params: dict[str, list[str]], query: str | None) -> Response:
    limits = Limits.from_env()
    if "update" in params:
        return _error(400, "updates are not allowed: this endpoint is read-only")
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in params:
            return _error(400, f"{name} is not allowed: queries run on this graph only")
    if query is None:
        if _wants_page(request, params):
            return _page(request, limits)
        return _error(400, "missing query: pass ?query=… (GET) or a query in the body (POST)")
    if _wants_page(request, params):
        return await _page_with_results(request, limits, query)
    keyword = outbound_keyword(query)
    if keyword == "SERVICE":
        return _error(400, "SERVICE is not allowed: queries may not call other endpoints")
    if keyword == "FROM":
        return _error(400, "FROM and FROM NAMED are not allowed: queries run on this graph only")
    if endpoint_url():
        return _error(503, "this server reads a remote store: send SPARQL queries to that endpoint")
    fmt = (params.get("format") or params.get("output") or [None])[0]
    result_format, graph_format = negotiate(fmt, request.headers.get("accept"))
    if fmt and result_format is None and graph_format is None:
        return _error(400, f"unknown format {fmt[:40]!r}: use json, xml, csv, tsv, turtle, jsonld, ntriples "
                           "or rdfxml")
    version = current_version(store_dir()) or "none"
    etag = '"sparql-' + hashlib.sha256(json.dumps([version, query, result_format, graph_format]).encode()
                                       ).hexdigest()[:24] + '"'
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": etag})
    pool = get_pool(request)
    client = request.client.host if request.client else "unknown"
    try:
        outcome = await anyio.to_thread.run_sync(pool.run, client, query, result_format, graph_format)
    except Busy as err:
        return _error(err.status, str(err), err.retry_after)
    if outcome.status != 200:
        return _error(outcome.status, outcome.message or "query failed")
    headers = {
        "X-SPARQL-Rows": str(outcome.rows),
        "X-SPARQL-Truncated": "true" if outcome.truncated else "false",
        "X-SPARQL-Row-Limit": str(limits.row_limit),
        "X-SPARQL-Seconds": f"{outcome.seconds:.3f}",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "X-SPARQL-Rows, X-SPARQL-Truncated, X-SPARQL-Row-Limit",
        "ETag": etag,
        "Cache-Control": "public, max-age=60",
        "Vary": "Accept",
    }
    return Response(outcome.body, media_type=outcome.content_type, headers=headers)


# ----------------------------------------------------------------- the page (a browser asking for HTML)

HTML_ROWS = 500
"""Rows the page shows at most (the CSV and JSON downloads give them all, up to the endpoint's row cap)."""

_MESSAGES_FR = {
    "SERVICE": "SERVICE est refusé : une requête ne peut pas appeler un autre point d'accès.",
    "FROM": "FROM et FROM NAMED sont refusés : les requêtes portent sur ce graphe seulement.",
}


def _wants_page(request: Request, params: dict[str, list[str]]) -> bool:
    """A browser: no ``format``/``output`` parameter and ``text/html`` preferred over every other type."""
    if request.method != "GET" or params.get("format") or params.get("output"):
        return False
    ranges = _accepted(request.headers.get("accept", ""))
    return bool(ranges) and ranges[0][2] in ("text/html", "application/xhtml+xml") and ranges[0][0] > 0


def _page(request: Request, limits: Limits, query: str = "", **context) -> Response:
    from api.pages.render import render
    from api.pages.site import SPARQL_EXAMPLES

    status = context.pop("status_code", 200)
    return render(request, "sparql.html", status_code=status, title="Interroger le graphe en SPARQL",
                  examples=SPARQL_EXAMPLES, limits=limits, query=query, html_rows=HTML_ROWS,
                  default_query=SPARQL_EXAMPLES[0]["query"] if SPARQL_EXAMPLES else "", **context)


def _cell(term: dict | None) -> dict:
    if not term:
        return {"text": "", "href": None}
    value = term.get("value", "")
    if term.get("type") == "uri":
        local = value.split("/id/", 1)[1] if "/id/" in value else None
        return {"text": value, "href": f"/id/{local}" if local else (value if value.startswith("https://") else None)}
    return {"text": value, "href": None}


async def _page_with_results(request: Request, limits: Limits, query: str) -> Response:
    """Run ``query`` as the protocol would (same worker pool, limits and refusals) and show the results."""
    from urllib.parse import urlencode

    keyword = outbound_keyword(query)
    if keyword in _MESSAGES_FR:
        return _page(request, limits, query, error=_MESSAGES_FR[keyword], status_code=400)
    if endpoint_url():
        return _page(request, limits, query, status_code=503,
                     error="Ce serveur lit un autre point d'accès SPARQL : envoyez-lui vos requêtes.")
    client = request.client.host if request.client else "unknown"
    try:
        outcome = await anyio.to_thread.run_sync(get_pool(request).run, client, query, "json", "turtle")
    except Busy as err:
        return _page(request, limits, query, status_code=err.status,
                     error=f"Trop de requêtes en cours (au plus {limits.per_client} à la fois par poste) : "
                           f"réessayez dans {err.retry_after or 1} s.")
    downloads = {name: "/sparql?" + urlencode({"query": query, "format": name}) for name in ("csv", "json")}
    if outcome.status != 200:
        message = outcome.message or ""
        if outcome.status == 503:
            message = f"La requête a dépassé le délai de {limits.timeout:g} s et a été arrêtée."
        elif "read-only" in message or "update" in message.lower():
            message = "Les mises à jour sont refusées : ce point d'accès est en lecture seule."
        else:
            message = f"La requête est invalide : {message[:400]}"
        return _page(request, limits, query, error=message, status_code=outcome.status)
    context: dict = {"rows_total": outcome.rows, "truncated": outcome.truncated, "seconds": outcome.seconds,
                     "downloads": downloads}
    if "json" in (outcome.content_type or ""):
        answer = json.loads(outcome.body)
        if "boolean" in answer:
            context["boolean"] = bool(answer["boolean"])
        else:
            columns = answer.get("head", {}).get("vars", [])
            rows = [[_cell(b.get(c)) for c in columns] for b in answer.get("results", {}).get("bindings", [])]
            context.update(columns=columns, rows=rows[:HTML_ROWS], rows_total=len(rows))
    else:
        text = outcome.body.decode("utf-8", "replace") if isinstance(outcome.body, bytes) else str(outcome.body)
        context.update(graph_text=text[:200_000], downloads={})
    return _page(request, limits, query, **context)


_DOC = ("SPARQL 1.1 Protocol query endpoint (read-only). Results by Accept or ?format=. Limits: deadline, "
        "row cap (X-SPARQL-Truncated), concurrency per client (429) and overall (503), request size (413).")


@router.get("/sparql", summary="SPARQL query (GET)", description=_DOC,
            openapi_extra={"parameters": [
                {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "The SPARQL query (without it, browsers get a query form)."},
                {"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "json, xml, csv, tsv, turtle, jsonld, ntriples or rdfxml (else by Accept)."}]})
async def sparql_get(request: Request) -> Response:
    limits = Limits.from_env()
    if len(request.url.query.encode()) > limits.max_request_bytes:
        return _error(414, f"query string larger than {limits.max_request_bytes} bytes")
    params = parse_qs(request.url.query, keep_blank_values=True)
    query = params.get("query", [None])[0]
    return await _answer(request, params, query)


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)", description=_DOC,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/sparql-query": {"schema": {"type": "string"}},
                 "application/x-www-form-urlencoded": {"schema": {
                     "type": "object", "properties": {"query": {"type": "string"}, "format": {"type": "string"}},
                     "required": ["query"]}}}}})
async def sparql_post(request: Request) -> Response:
    limits = Limits.from_env()
    body = await _read_body(request, limits.max_request_bytes)
    if body is None:
        return _error(413, f"request larger than {limits.max_request_bytes} bytes")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = parse_qs(request.url.query, keep_blank_values=True)
    if media == "application/sparql-update":
        return _error(400, "updates are not allowed: this endpoint is read-only")
    if media == "application/x-www-form-urlencoded":
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            return _error(400, "the form is not UTF-8")
        params = {**params, **form}
        query = params.get("query", [None])[0]
    elif media == "application/sparql-query":
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "the query is not UTF-8")
    else:
        return _error(415, "send application/x-www-form-urlencoded or application/sparql-query")
    return await _answer(request, params, query)
