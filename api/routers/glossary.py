"""The jargon decoder over HTTP: lookup, autocomplete, decode a text, extract the abbreviations it defines.

Thin wrappers over :mod:`graph.glossary` (503 with the reason when that package is absent). Texts are
bounded (``MAX_TEXT`` characters): a longer body is refused with 413, before any work.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import get_store
from api.http.conventions import COMMON_ERRORS, NOT_MODIFIED, OneLineErrorsRoute, respond
from graph import glossary

__all__ = ["router", "MAX_TEXT"]

router = APIRouter(prefix="/api/v1/glossary", tags=["glossary"], route_class=OneLineErrorsRoute,
                   responses={**COMMON_ERRORS, **NOT_MODIFIED})

MAX_TEXT = 50_000
"""Largest text accepted by decode and extract (characters)."""

Place = Annotated[str | None, Query(max_length=60, description="Country or region id (be, be-fwb, fr, ch…).")]
Sector = Annotated[str | None, Query(max_length=60, description="Sector id (aide-jeunesse, aide-sociale…).")]


def _index(store):
    return glossary.get_index(store)


async def _ready_index(store):
    """The index, built in a worker thread when missing: a cold start must not stall the event loop (at
    national scale building it takes seconds, during which health checks and pages must still answer)."""
    index = glossary.cached_index(store)
    return index if index is not None else await run_in_threadpool(_index, store)


class TextIn(BaseModel):
    """A text to decode or to extract abbreviations from."""

    text: str = Field(max_length=MAX_TEXT, description="Plain text (minutes, an e-mail, a report).")
    country: str | None = Field(default=None, max_length=60)
    sector: str | None = Field(default=None, max_length=60)


def _too_long(request: Request) -> Response | None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > 4 * MAX_TEXT + 1000:
        return Response('{"detail": "text too long"}', status_code=413, media_type="application/json")
    return None


@router.get("/lookup", summary="Every sense of an acronym or term, best first")
async def lookup(request: Request, q: Annotated[str, Query(min_length=1, max_length=200)], country: Place = None,
           sector: Sector = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
           store=Depends(get_store)) -> Response:
    """Senses by sector and country (definition, full form, sources), with "did you mean" when none."""
    index = await _ready_index(store)
    return respond(request, store, lambda: glossary.lookup(index, q, country, sector, limit=limit), memo=True)


@router.get("/autocomplete", summary="Completions of a prefix (search-as-you-type)")
async def autocomplete(request: Request, q: Annotated[str, Query(min_length=1, max_length=100)], country: Place = None,
                 sector: Sector = None, limit: Annotated[int, Query(ge=1, le=50)] = 10,
                 store=Depends(get_store)) -> Response:
    """Up to ``limit`` completions: text, acronym, label, kind, IRI, score."""
    index = await _ready_index(store)
    return respond(request, store, lambda: {"query": q, "items": glossary.complete(index, q, country,
                                                                                      sector, limit=limit)},
                   memo=True)


@router.post("/decode", summary="Explain every acronym and term of a text")
def decode(request: Request, body: TextIn, store=Depends(get_store)) -> Response:
    """Each acronym and jargon term found in the text with its senses in context; unknown acronyms flagged."""
    too_long = _too_long(request)
    if too_long:
        return too_long
    return respond(request, store, lambda: glossary.decode(_index(store), body.text, body.country, body.sector),
                   body.text, body.country, body.sector)


@router.post("/extract", summary="Abbreviations a text defines (short form, long form)")
def extract(request: Request, body: TextIn, store=Depends(get_store)) -> Response:
    """Pairs such as « service d'action en milieu ouvert (AMO) » found in the text."""
    too_long = _too_long(request)
    if too_long:
        return too_long
    return respond(request, store, lambda: {"pairs": [p.as_dict() for p in glossary.extract_pairs(body.text)]},
                   body.text)
