"""The directory over HTTP: who serves a commune (:mod:`graph.query.serving`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from api.deps import get_store
from api.http.conventions import COMMON_ERRORS, NOT_MODIFIED, ErrorDetail, OneLineErrorsRoute, respond
from graph.query.serving import UnknownTerritory, serving

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["directory"], route_class=OneLineErrorsRoute,
                   responses={**COMMON_ERRORS, **NOT_MODIFIED})


@router.get("/serving", summary="Who serves this commune (name, NIS code or territory id)",
            responses={404: {"description": "Unknown commune, with the nearest names", "model": ErrorDetail,
                             "content": {"application/json": {"example": {
                                 "detail": "unknown territory 'Seraingg'",
                                 "suggestions": [{"id": "be-nis-62096", "label": "Seraing", "level": "municipality",
                                                  "code": "62096"}]}}}}})
def serving_route(request: Request, commune: Annotated[str, Query(min_length=1, max_length=120)],
                  store=Depends(get_store)) -> Response:
    """``{"territory": {"iri", "id", "label", "code", "level"}, "services": [{"iri", "id", "label", "service_type",
    "acronym", "sector", "homepage", "contact_page", "via"}]}``: every service whose area covers the commune,
    nearest first; ``via`` is the territory through which it covers it (the commune, its division, its
    province…)."""
    try:
        serving(store, commune)
    except UnknownTerritory as err:
        return JSONResponse({"detail": str(err), "suggestions": err.suggestions}, status_code=404)
    return respond(request, store, lambda: serving(store, commune), memo=True)
