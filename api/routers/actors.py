"""Actors: faceted search and the full detail an actor page needs (``graph.query.entities``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from api.deps import get_store
from api.http.conventions import (
    COMMON_ERRORS,
    CSV_OK,
    MAX_LIMIT,
    NOT_MODIFIED,
    OneLineErrorsRoute,
    respond,
    respond_table,
    wants_csv,
)
from graph.query.actor_search import ActorFilter, search_actors
from graph.query.entities import actor_detail

__all__ = ["router", "flatten", "SUMMARY_COLUMNS"]

router = APIRouter(prefix="/api/v1", tags=["actors"], route_class=OneLineErrorsRoute,
                   responses={**COMMON_ERRORS, **NOT_MODIFIED})

SUMMARY_COLUMNS = ("id", "label", "acronym", "kind", "sector", "service_type", "country", "territory", "mandate",
                   "free_adherence", "anonymity", "age_min", "age_max", "verified", "review_due", "review_overdue",
                   "iri")
"""Columns of the CSV form of a search (references as ids, several values joined with ``|``)."""

Lang = Literal["fr", "nl", "en", "de"]


def _many(values: list[str]) -> tuple[str, ...]:
    """Repeated parameters and comma-separated values alike: ``?sector=a&sector=b`` or ``?sector=a,b``."""
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(dict.fromkeys(out))


def flatten(item: dict) -> dict:
    """A summary with its references replaced by their ids (for CSV)."""
    flat = {}
    for key, value in item.items():
        if isinstance(value, dict):
            flat[key] = value.get("id")
        elif isinstance(value, list):
            flat[key] = [v.get("id") if isinstance(v, dict) else v for v in value]
        else:
            flat[key] = value
    return flat


@router.get("/actors", summary="Search actors, with facets", responses=CSV_OK)
def actors(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Text in the name or acronym.")] = None,
    sector: Annotated[list[str], Query(description="Sector id(s), e.g. aide-jeunesse.")] = [],  # noqa: B006
    service_type: Annotated[list[str], Query(description="Service type id(s), e.g. st-be-amo.")] = [],  # noqa: B006
    country: Annotated[list[str], Query(description="Country id(s), e.g. be, fr.")] = [],  # noqa: B006
    territory: Annotated[list[str], Query(description="Territory id(s); territories inside count too.")] = [],  # noqa: B006
    covering: Annotated[bool, Query(description="Also actors serving a territory enclosing `territory`.")] = False,
    kind: Annotated[list[str], Query(description="organisation, service, authority, platform, network, "
                                                 "project, programme.")] = [],  # noqa: B006
    mandate: Annotated[list[str], Query(description="none, administrative, judicial, legal_mission "
                                                    "(through the actor's service types).")] = [],  # noqa: B006
    free_adherence: Annotated[bool | None, Query(description="Families come freely (service type).")] = None,
    age: Annotated[float | None, Query(ge=-1, le=130, description="An age the actor serves (years); "
                                                                 "actors whose ages are unknown are kept.")] = None,
    facets: Annotated[bool, Query(description="Include facet counts.")] = True,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    lang: Lang = "fr",
    store=Depends(get_store),
) -> Response:
    """Actors matching every given filter (values of one filter are alternatives), ordered by id.

    Returns ``total``, ``limit``, ``offset``, ``items`` (summaries) and ``facets`` (counts per sector,
    service type, country, province, kind, mandate kind and age band over the whole filtered set).
    ``?format=csv`` (or ``Accept: text/csv``) returns the page as CSV, the total in ``X-Total-Count``.
    """
    flt = ActorFilter(q=q, sector=_many(sector), service_type=_many(service_type), country=_many(country),
                      territory=_many(territory), covering=covering, kind=_many(kind), mandate=_many(mandate),
                      free_adherence=free_adherence, age=age)
    flt.pattern()  # validate before the ETag short-cut

    def payload() -> dict:
        result = search_actors(store, flt, limit=limit, offset=offset, facets=facets, lang=lang)
        return result

    def csv_payload() -> dict:
        result = search_actors(store, flt, limit=limit, offset=offset, facets=False, lang=lang)
        return {**result, "items": [flatten(i) for i in result["items"]]}

    if wants_csv(request):
        return respond_table(request, store, csv_payload, SUMMARY_COLUMNS, filename="actors.csv")
    return respond(request, store, payload)


@router.get("/actors/{actor_id}", summary="One actor, with everything its page shows")
def actor(request: Request, actor_id: str, lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """What the actor does, for whom (ages), under which mandate, whether families come freely, its
    territories, parent and children, posts, memberships, agreements (with status and review date),
    referrals, sources, and when it was last verified / is due for review. 404 if there is no such actor."""
    actor_detail(store, actor_id, lang)  # 400/404 before any ETag
    return respond(request, store, lambda: actor_detail(store, actor_id, lang))
