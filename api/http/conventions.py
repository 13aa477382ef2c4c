"""HTTP conventions shared by the API routers: one-line errors, ETags, JSON or CSV, pagination.

* every 4xx body is ``{"detail": "one line"}`` — request validation errors included
  (:class:`OneLineErrorsRoute`), store failures become 503;
* ETags derive from the store version (immutable per build) and the request, ``If-None-Match`` → 304;
* tables answer CSV on ``?format=csv`` or ``Accept: text/csv``; cells that a spreadsheet would read as a
  formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with ``'``.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from api.http.response_cache import ResponseCache
from graph.publish.exports import FORMULA_PREFIXES, ExportUnavailable, csv_text, neutralise
from graph.query.entities import EntityError
from graph.store import StoreError

__all__ = [
    "OneLineErrorsRoute", "one_line", "validation_message", "etag_for", "wants_csv", "csv_text", "neutralise",
    "respond", "respond_table", "MAX_LIMIT", "FORMULA_PREFIXES", "ErrorDetail", "error_responses",
    "COMMON_ERRORS", "CSV_OK", "NOT_MODIFIED", "body_content",
]

MAX_LIMIT = 1000
"""Largest page size the list routes accept."""

class ErrorDetail(BaseModel):
    """The body of every error of the JSON API: one line saying what is wrong (and, for some, what to do)."""

    detail: str = Field(description="What went wrong, in one line.")


_ERROR_TEXT = {
    400: "Bad request: a value the route does not accept (unknown format, enum value, ambiguous name…).",
    401: "Authentication required (a Bearer token).",
    403: "The token's role does not allow this, or a cross-site write.",
    404: "No such entity, table or name.",
    405: "Method not allowed.",
    406: "No acceptable representation for the Accept header.",
    409: "Conflict with the current state.",
    412: "Precondition failed: the row changed since its ETag was read.",
    413: "Request body too large.",
    414: "Query string too long.",
    415: "Unsupported request media type.",
    422: "The request does not fit the schema (parameter missing, too long, wrong type).",
    428: "Precondition required (If-Match).",
    429: "Too many requests from this address (see Retry-After).",
    503: "The store (or an optional package) is unavailable, or a query was stopped at its deadline.",
}


def body_content(*media_types: str, schema: dict | None = None) -> dict:
    """An OpenAPI ``content`` map declaring ``media_types``: ``schema``, else any JSON value for a JSON media type
    and a string for the others."""
    return {media: {"schema": schema or ({} if "json" in media else {"type": "string"})} for media in media_types}


def error_responses(*codes: int, **descriptions: str) -> dict[int | str, dict]:
    """FastAPI ``responses=`` declaring the one-line JSON error body for each of ``codes``."""
    return {code: {"model": ErrorDetail, "description": descriptions.get(f"e{code}", _ERROR_TEXT.get(code, "Error"))}
            for code in codes}


COMMON_ERRORS = error_responses(400, 404, 413, 422, 429, 503)
"""What any JSON API route can answer besides its success: a refused value, an unknown entity, a body over the
limit (:mod:`api.http.limits`), a request that does not fit the schema, the per-address rate limit
(:mod:`api.http.rate_limit`), the store unavailable. Declared on every JSON router."""
NOT_MODIFIED = {304: {"description": "Not modified (If-None-Match matched the ETag); no body."}}
CSV_OK = {200: {"description": "JSON, or CSV with ?format=csv or Accept: text/csv.",
                "content": body_content("text/csv")}}
"""The success of a table route: JSON by default (its schema comes from the route), CSV when asked."""


def one_line(text: str, limit: int = 300) -> str:
    """Collapse ``text`` to one line of at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def validation_message(err: RequestValidationError) -> str:
    """A request-validation error as one line: the first three fields at fault and why."""
    parts = []
    for item in err.errors()[:3]:
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where or 'request'}: {item.get('msg', 'invalid value')}")
    return one_line("invalid request: " + "; ".join(parts))


def _is_sequence(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_sequence(arg) for arg in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _is_sequence(typing.get_args(annotation)[0])
    return False


class OneLineErrorsRoute(APIRoute):
    """A route whose validation, entity and store errors answer ``{"detail": "one line"}``.

    A query parameter that takes one value and is given several times (``?limit=1&limit=500``) is refused with
    422 instead of silently using the last one (found by the fuzzer: ``/api/v1/gaps?today=…&today=…``)."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()
        scalars = {field.alias for field in self.dependant.query_params
                   if not _is_sequence(field.field_info.annotation)}

        async def wrapped(request: Request) -> Response:
            repeated = [name for name in scalars if len(request.query_params.getlist(name)) > 1]
            if repeated:
                return JSONResponse({"detail": one_line(f"invalid request: {', '.join(sorted(repeated))}: "
                                                        "given several times, expects one value")}, status_code=422)
            try:
                return await handler(request)
            except RequestValidationError as err:
                return JSONResponse({"detail": validation_message(err)}, status_code=422)
            except EntityError as err:
                return JSONResponse({"detail": one_line(str(err))}, status_code=err.status)
            except ExportUnavailable as err:
                return JSONResponse({"detail": one_line(str(err))}, status_code=503)
            except StoreError as err:
                return JSONResponse({"detail": one_line(f"store unavailable: {err}")}, status_code=503)

        return wrapped


def etag_for(store, *parts: Any) -> str:
    """A strong ETag for a response computed from the store version and the request ``parts``."""
    digest = hashlib.sha256(json.dumps([store.version, *parts], default=str, sort_keys=True).encode())
    return f'"{store.version}-{digest.hexdigest()[:16]}"'


def _matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def wants_csv(request: Request) -> bool:
    """True if the client asked for CSV (``?format=csv`` or an Accept header preferring text/csv)."""
    fmt = request.query_params.get("format")
    if fmt:
        if fmt not in ("json", "csv"):
            raise HTTPException(status_code=400, detail=f"unknown format {one_line(fmt, 40)!r}: use json or csv")
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept.split("text/csv")[0]


def _cache_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": "public, max-age=60", "Vary": "Accept"}


MEMO_BYTES = 64 * 2 ** 20
"""Bodies of costly answers kept in memory, in bytes at most (least recently used dropped beyond)."""
MEMO = ResponseCache(MEMO_BYTES)


def respond(request: Request, store, payload_fn: Callable[[], Any], *parts: Any, memo: bool = False) -> Response:
    """JSON of ``payload_fn()`` with an ETag; 304 when the client already has it (payload not computed).

    With ``memo``, the body is also kept by ETag — the ETag names the store version and the whole request,
    and a build never changes — so a costly analysis (brokers, gaps at 50,000 actors) is computed once per
    version and request, not once per visitor.
    """
    etag = etag_for(store, request.url.path, sorted(request.query_params.multi_items()), "json", *parts)
    if _matches(request, etag):
        return Response(status_code=304, headers=_cache_headers(etag))
    hit = MEMO.get(etag) if memo else None
    if hit is not None:
        body = hit[0]
    else:
        body = json.dumps(payload_fn(), ensure_ascii=False, default=str).encode("utf-8")
        if memo:
            MEMO.put(etag, body, "application/json")
    return Response(body, media_type="application/json", headers=_cache_headers(etag))


def respond_table(request: Request, store, payload_fn: Callable[[], dict], columns: Sequence[str] | None = None,
                  filename: str = "table.csv", items_key: str = "items") -> Response:
    """Like :func:`respond`, or CSV of ``payload[items_key]`` when asked (columns default to the first row's)."""
    as_csv = wants_csv(request)
    if not as_csv:
        return respond(request, store, payload_fn)
    etag = etag_for(store, request.url.path, sorted(request.query_params.multi_items()), "csv")
    headers = {**_cache_headers(etag), "Content-Disposition": f'attachment; filename="{filename}"'}
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    payload = payload_fn()
    items = payload[items_key]
    cols = list(columns) if columns else (list(items[0]) if items else ["id"])
    if "total" in payload:
        headers["X-Total-Count"] = str(payload["total"])
    return Response(csv_text(cols, items).encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)
