"""Network analytics over HTTP: brokers, gaps, counterparts, referral paths (``graph.network``).

Thin wrappers: each route resolves its arguments and calls the analytics package's function. Errors by
type: an unknown name is 404, an ambiguous or missing one 400 (:mod:`graph.network.resolve`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from api.deps import get_store
from api.http.conventions import COMMON_ERRORS, MAX_LIMIT, NOT_MODIFIED, OneLineErrorsRoute, respond
from graph.network import counterparts as counterparts_module
from graph.network.gaps import gap_report
from graph.network.projection import project
from graph.network.ranking import broker_table
from graph.network.referral_paths import referral_paths
from graph.network.resolve import Ambiguous, NotFound, NothingGiven, resolve
from graph.query.entities import EntityError

__all__ = ["router", "jsonable", "broker_table_json"]

router = APIRouter(prefix="/api/v1", tags=["network"], route_class=OneLineErrorsRoute,
                   responses={**COMMON_ERRORS, **NOT_MODIFIED})

Name = Annotated[str, Query(min_length=1, max_length=200)]
OptionalName = Annotated[str | None, Query(max_length=200)]


def jsonable(value: Any) -> Any:
    """``value`` with tuple keys joined by ``|``, sets and tuples as sorted lists, numpy scalars as numbers."""
    if isinstance(value, dict):
        return {("|".join(map(str, k)) if isinstance(k, tuple) else str(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _call(fn, *args, **kwargs):
    try:
        return jsonable(fn(*args, **kwargs))
    except (Ambiguous, NothingGiven) as err:
        raise EntityError(str(err), 400) from None
    except NotFound as err:
        raise EntityError(str(err), 404) from None
    except ValueError as err:
        raise EntityError(str(err)) from None


def _projection(store):
    return project(store)


def _resolve(p, value: str | None, table: dict, what: str) -> str | None:
    return value and _call(resolve, value, table, what=what)


def broker_table_json(p) -> list[dict]:
    """The JSON-ready broker table of projection ``p`` (:func:`jsonable`: 2 s over 50,000 rows), computed once per
    projection (store version); the server's warm-up computes it too."""
    return p.cached("api:broker_rows", lambda: _call(broker_table, p))


@router.get("/brokers", summary="Brokers (« passe-murailles »): betweenness, constraint, brokerage roles")
def brokers(request: Request, sector: OptionalName = None, country: OptionalName = None,
            territory: OptionalName = None, limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 50,
            offset: Annotated[int, Query(ge=0)] = 0, store=Depends(get_store)) -> Response:
    """The ranked broker table of the actor graph, optionally restricted to actors of a sector, country or
    territory (with the territories inside it)."""

    def payload() -> dict:
        p = _projection(store)
        s = _resolve(p, sector, p.sectors, "sector")
        c = _resolve(p, country, p.territories, "country")
        t = _resolve(p, territory, p.territories, "territory")
        rows = broker_table_json(p)
        keep = [row for row in rows if p.concerns(row.get("iri"), s, c, t)]
        return {"total": len(keep), "limit": limit, "offset": offset, "items": keep[offset:offset + limit]}

    return respond(request, store, payload, memo=True)


@router.get("/gaps", summary="Gaps: missing ties between sectors, stale protocols, uncovered territories")
def gaps(request: Request, sector: OptionalName = None, country: OptionalName = None,
         territory: OptionalName = None,
         today: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$",
                                            description="Date staleness is judged at (YYYY-MM-DD).")] = None,
         limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20, store=Depends(get_store)) -> Response:
    """The gap report (``graph.network.gaps.gap_report``); ``today`` sets the date staleness is judged at."""

    try:
        when = date.fromisoformat(today) if today else None
    except ValueError:
        raise EntityError(f"today: {today!r} is not a calendar date", 422) from None

    def payload() -> dict:
        p = _projection(store)
        return _call(gap_report, p, today=when or date.today(), limit=limit, sector=sector,
                     country=country, territory=territory)

    return respond(request, store, payload, date.today().isoformat() if today is None else None, memo=True)


@router.get("/counterparts", summary="Counterparts of an actor, post or function in another sector")
def counterparts(request: Request, asker: Name, sector: Name, territory: OptionalName = None,
                 limit: Annotated[int, Query(ge=1, le=100)] = 10, store=Depends(get_store)) -> Response:
    """Actors or posts of ``sector`` whose area covers ``territory`` (or the asker's), ranked, each with the
    reason and the shortest known path."""

    def payload() -> dict:
        return _call(counterparts_module.counterparts, _projection(store), asker, sector, territory, limit)

    return respond(request, store, payload)


@router.get("/paths", summary="Referral paths between service types, respecting mandate rules")
def paths(request: Request, source: Name, target: Name, need: OptionalName = None,
          k: Annotated[int, Query(ge=1, le=10)] = 3, store=Depends(get_store)) -> Response:
    """Up to ``k`` referral paths from service type ``source`` to ``target`` (slug, label or acronym)."""

    def payload() -> dict:
        return _call(referral_paths, _projection(store), source, target, need=need, k=k)

    return respond(request, store, payload)
