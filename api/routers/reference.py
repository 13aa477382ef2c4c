"""Reference tables: service types, sectors, territories, functions, agreements (protocols).

Lists answer the rows in the shape of their table (``data/README.md``: references as ids, several values
as lists) plus ``iri`` and ``label``; ``?format=csv`` gives the same columns as CSV. Details add the
labelled references and what points at the entity (actors, posts, agreements, referrals, senses).
"""

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
)
from graph.query.actor_search import ActorFilter, search_actors
from graph.query.entities import (
    EntityError,
    agreement_detail,
    agreement_view,
    check_id,
    entity_iri,
    is_overdue,
    label_of,
    ref,
    rows_by_ids,
    rows_linking,
    service_type_view,
    table_rows,
)
from graph.vocab.namespaces import PMID
from graph.vocab.schema import AGREEMENT_KINDS, AGREEMENT_STATUSES, MANDATE_KINDS, TABLES_BY_NAME, TERRITORY_LEVELS

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["reference"], route_class=OneLineErrorsRoute,
                   responses={**COMMON_ERRORS, **NOT_MODIFIED})

Lang = Literal["fr", "nl", "en", "de"]
Limit = Annotated[int, Query(ge=0, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Text = Annotated[str | None, Query(max_length=200, description="Text in the label, acronym or code.")]


def _columns(table: str, *extra: str) -> list[str]:
    return ["id", *(c.name for c in TABLES_BY_NAME[table].columns if c.name != "id"), *extra, "iri"]


def _with_iri(store, table: str, row: dict, lang: str) -> dict:
    iri = str(PMID[f"{table}/{row['id']}"])
    return {**row, "label": label_of(store, iri, lang), "iri": iri}


def _matches_text(row: dict, q: str | None, keys: tuple[str, ...]) -> bool:
    if not q:
        return True
    needle = q.casefold()
    for key in keys:
        value = row.get(key)
        values = value if isinstance(value, list) else [value]
        if any(v and needle in str(v).casefold() for v in values):
            return True
    return False


def _page(items: list[dict], limit: int, offset: int) -> dict:
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset:offset + limit]}


def _get(store, table: str, row_id: str, what: str) -> dict:
    check_id(row_id, f"{what} id")
    found = rows_by_ids(store, table, [row_id])
    if not found:
        raise EntityError(f"no {what} with id {row_id!r}", 404)
    return found[0]


def _enum(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is not None and value not in allowed:
        raise EntityError(f"unknown {what} {value[:40]!r}: one of {', '.join(allowed)}")
    return value


# ------------------------------------------------------------------ service types

@router.get("/service-types", summary="Service types (AMO, SAJ, CPAS, …)",
            responses=CSV_OK)
def service_types(request: Request, q: Text = None, sector: str | None = None, country: str | None = None,
                  mandate: str | None = None, limit: Limit = 100, offset: Offset = 0, lang: Lang = "fr",
                  store=Depends(get_store)) -> Response:
    """Service types with sector, country, mandate kind, free adherence, anonymity, ages and legal basis."""
    _enum(mandate, MANDATE_KINDS, "mandate kind")

    def payload() -> dict:
        rows = [r for r in table_rows(store, "service_types")
                if (not sector or sector in r["sector"]) and (not country or country in r["country"])
                and (not mandate or r["mandate_kind"] == mandate)
                and _matches_text(r, q, ("id", "acronym", "label_fr", "label_nl", "label_en", "label_de"))]
        return _page([_with_iri(store, "service_types", r, lang) for r in rows], limit, offset)

    return respond_table(request, store, payload, _columns("service_types", "label"), "service_types.csv")


@router.get("/service-types/{type_id}", summary="One service type, its actors, referrals, agreements, senses")
def service_type(request: Request, type_id: str, lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """A service type with its actors (first 100), referrals, agreements and jargon senses."""
    row = _get(store, "service_types", type_id, "service type")

    def payload() -> dict:
        iri = entity_iri("service_types", type_id)
        actors = search_actors(store, ActorFilter(service_type=(type_id,)), limit=100, facets=False, lang=lang)
        referrals = [{"id": r["id"], "from": r["from"], "to": r["to"], "both_ways": r["both_ways"],
                      "condition_kind": r["condition_kind"], "condition": r["condition"], "need": r["need"]}
                     for r in {x["id"]: x for x in rows_linking(store, "referrals", "from", [iri])
                               + rows_linking(store, "referrals", "to", [iri])}.values()]
        return {**service_type_view(store, row, lang), "row": row,
                "actors": {"total": actors["total"], "items": actors["items"]},
                "referrals": referrals,
                "agreements": [agreement_view(store, a, lang) for a in rows_linking(store, "agreements", "parties",
                                                                                    [iri])],
                "senses": [{"id": g["id"], "acronym": g["acronym"], "term_fr": g["term_fr"],
                            "definition": g["definition"], "iri": str(PMID[f"glossary/{g['id']}"])}
                           for g in rows_linking(store, "glossary", "service_type", [iri])]}

    return respond(request, store, payload)


# ------------------------------------------------------------------ sectors

@router.get("/sectors", summary="Sectors (aide à la jeunesse, aide sociale, enseignement, …)",
            responses=CSV_OK)
def sectors(request: Request, q: Text = None, limit: Limit = 100, offset: Offset = 0, lang: Lang = "fr",
            store=Depends(get_store)) -> Response:
    """The sector scheme, with acronyms, labels in four languages and the broader sector."""

    def payload() -> dict:
        rows = [r for r in table_rows(store, "sectors")
                if _matches_text(r, q, ("id", "acronym", "label_fr", "label_nl", "label_en", "label_de"))]
        return _page([_with_iri(store, "sectors", r, lang) for r in rows], limit, offset)

    return respond_table(request, store, payload, _columns("sectors", "label"), "sectors.csv")


@router.get("/sectors/{sector_id}", summary="One sector, narrower sectors, service types, functions")
def sector(request: Request, sector_id: str, lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """A sector with its broader and narrower sectors, service types, functions and number of actors."""
    row = _get(store, "sectors", sector_id, "sector")

    def payload() -> dict:
        actors = search_actors(store, ActorFilter(sector=(sector_id,)), limit=0, facets=False)
        return {**_with_iri(store, "sectors", row, lang),
                "broader": ref(store, "sectors", row["broader"], lang),
                "narrower": [ref(store, "sectors", r["id"], lang) for r in table_rows(store, "sectors")
                             if r["broader"] == sector_id],
                "service_types": [ref(store, "service_types", r["id"], lang)
                                  for r in table_rows(store, "service_types") if sector_id in r["sector"]],
                "functions": [ref(store, "functions", r["id"], lang)
                              for r in table_rows(store, "functions") if sector_id in r["sector"]],
                "actors_total": actors["total"]}

    return respond(request, store, payload)


# ------------------------------------------------------------------ territories

@router.get("/territories", summary="Territories and their hierarchy",
            responses=CSV_OK)
def territories(request: Request, q: Text = None, level: str | None = None, parent: str | None = None,
                limit: Limit = 100, offset: Offset = 0, lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """Territories (country › region › province › district › municipality) with official codes;
    ``parent`` keeps the territories directly inside one."""
    _enum(level, TERRITORY_LEVELS, "level")

    def payload() -> dict:
        rows = [r for r in table_rows(store, "territories")
                if (not level or r["level"] == level) and (not parent or r["parent"] == parent)
                and _matches_text(r, q, ("id", "label", "label_nl", "code"))]
        return _page([_with_iri(store, "territories", r, lang) for r in rows], limit, offset)

    return respond_table(request, store, payload, _columns("territories"), "territories.csv")


@router.get("/territories/{territory_id}", summary="One territory, its ancestors and children")
def territory(request: Request, territory_id: str, lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """A territory with its chain of enclosing territories, the territories directly inside it and the
    number of actors serving it or a territory inside it."""
    row = _get(store, "territories", territory_id, "territory")

    def payload() -> dict:
        by_id = {r["id"]: r for r in table_rows(store, "territories")}
        ancestors, seen, current = [], {territory_id}, row["parent"]
        while current and current in by_id and current not in seen:
            seen.add(current)
            ancestors.append(ref(store, "territories", current, lang) | {"level": by_id[current]["level"]})
            current = by_id[current]["parent"]
        children = [ref(store, "territories", r["id"], lang) | {"level": r["level"]}
                    for r in by_id.values() if r["parent"] == territory_id]
        actors = search_actors(store, ActorFilter(territory=(territory_id,)), limit=0, facets=False)
        return {**_with_iri(store, "territories", row, lang), "ancestors": ancestors, "children": children,
                "actors_total": actors["total"]}

    return respond(request, store, payload)


# ------------------------------------------------------------------ functions

@router.get("/functions", summary="Functions held by posts (agent de liaison, facilitateur, …)",
            responses=CSV_OK)
def functions(request: Request, q: Text = None, sector: str | None = None, cross_sector: bool | None = None,
              limit: Limit = 100, offset: Offset = 0, lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """Functions, with their sectors and whether bridging sectors is their mission."""

    def payload() -> dict:
        rows = [r for r in table_rows(store, "functions")
                if (not sector or sector in r["sector"])
                and (cross_sector is None or bool(r["cross_sector"]) == cross_sector)
                and _matches_text(r, q, ("id", "label_fr", "label_nl", "label_en", "label_de"))]
        return _page([_with_iri(store, "functions", r, lang) for r in rows], limit, offset)

    return respond_table(request, store, payload, _columns("functions", "label"), "functions.csv")


@router.get("/functions/{function_id}", summary="One function and the posts that hold it")
def function(request: Request, function_id: str, lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """A function with every post holding it (actor, territory, last verified, review due)."""
    row = _get(store, "functions", function_id, "function")

    def payload() -> dict:
        posts = rows_linking(store, "posts", "function", [entity_iri("functions", function_id)])
        return {**_with_iri(store, "functions", row, lang),
                "sector": [ref(store, "sectors", s, lang) for s in row["sector"]],
                "posts": [{"id": p["id"], "label": p["label"], "iri": str(PMID[f"posts/{p['id']}"]),
                           "actor": ref(store, "actors", p["actor"], lang),
                           "territory": [ref(store, "territories", t, lang) for t in p["territory"]],
                           "verified": p["verified"], "review_due": p["review_due"],
                           "review_overdue": is_overdue(p["review_due"])} for p in posts]}

    return respond(request, store, payload)


# ------------------------------------------------------------------ agreements

@router.get("/agreements", summary="Protocols, charters, conventions, partnerships, with status and review date",
            responses=CSV_OK)
@router.get("/protocols", summary="Same as /agreements", include_in_schema=False,
            responses=CSV_OK)
def agreements(request: Request, q: Text = None, status: str | None = None, kind: str | None = None,
               party: str | None = None, stale: bool | None = None, limit: Limit = 100, offset: Offset = 0,
               lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """Agreements with their parties, status, dates, ``review_overdue`` and ``stale`` (status superseded,
    obsolete, never applied or unknown, or review overdue). ``party`` is an actor, service type or sector id."""
    _enum(status, AGREEMENT_STATUSES, "status")
    _enum(kind, AGREEMENT_KINDS, "kind")

    def payload() -> dict:
        items = []
        for r in table_rows(store, "agreements"):
            if (status and r["status"] != status) or (kind and r["kind"] != kind) or \
                    (party and party not in r["parties"]) or not _matches_text(r, q, ("id", "label", "description")):
                continue
            overdue = is_overdue(r["review_due"])
            is_stale = r["status"] in ("superseded", "obsolete", "never_applied", "unknown") or bool(overdue)
            if stale is not None and is_stale != stale:
                continue
            items.append({**_with_iri(store, "agreements", r, lang), "review_overdue": overdue, "stale": is_stale})
        return _page(items, limit, offset)

    return respond_table(request, store, payload, _columns("agreements", "review_overdue", "stale"),
                         "agreements.csv")


@router.get("/agreements/{agreement_id}", summary="One agreement, its parties, revisions and freshness")
def agreement(request: Request, agreement_id: str, lang: Lang = "fr", store=Depends(get_store)) -> Response:
    """An agreement with labelled parties, the agreement it revises and those revising it, and sources."""
    _get(store, "agreements", agreement_id, "agreement")

    def payload() -> dict:
        return agreement_detail(store, agreement_id, lang)

    return respond(request, store, payload)
