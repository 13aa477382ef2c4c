"""Downloads: the graph as RDF, each table as CSV, the actor network as GEXF/GraphML, HSDS 3.0 JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from api.deps import get_store
from api.http.conventions import (
    COMMON_ERRORS,
    NOT_MODIFIED,
    OneLineErrorsRoute,
    body_content,
    etag_for,
    one_line,
)
from graph.publish.exports import NETWORK_FORMATS, RDF_FORMATS, network_export, rdf_export, table_csv
from graph.publish.hsds import hsds_json
from graph.query.entities import EntityError
from graph.vocab.schema import TABLES_BY_NAME

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/exports", tags=["exports"], route_class=OneLineErrorsRoute,
                   responses={**COMMON_ERRORS, **NOT_MODIFIED})

_RDF_BY_TYPE = {media: name for name, (_, media, _) in RDF_FORMATS.items()}


def _download(request: Request, store, key: tuple, media: str, filename: str, produce) -> Response:
    etag = etag_for(store, "export", *key)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300",
               "Content-Disposition": f'attachment; filename="{filename}"'}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(produce(), media_type=media, headers=headers)


@router.get("", summary="What can be downloaded")
def index(store=Depends(get_store)) -> dict:
    """Every export with its URL."""
    return {
        "version": store.version,
        "rdf": {name: f"/api/v1/exports/rdf?format={name}" for name in RDF_FORMATS},
        "tables": {name: f"/api/v1/exports/tables/{name}.csv" for name in TABLES_BY_NAME},
        "network": {name: f"/api/v1/exports/network?format={name}" for name in NETWORK_FORMATS},
        "hsds": {"organizations": "/api/v1/exports/hsds/organizations",
                 "services": "/api/v1/exports/hsds/services"},
    }


@router.get("/rdf", summary="The whole graph as Turtle, JSON-LD, N-Triples or RDF/XML",
            response_class=Response,
            responses={200: {"description": "The graph in the format asked for.",
                             "content": body_content(*(media for _, media, _ in RDF_FORMATS.values()))}})
def rdf(request: Request, format: str | None = None, store=Depends(get_store)) -> Response:  # noqa: A002
    """The whole graph (data and ontology). ``?format=turtle|jsonld|ntriples|rdfxml`` or by Accept
    (default Turtle)."""
    fmt = format or next((_RDF_BY_TYPE[m.split(";")[0].strip()] for m in request.headers.get("accept", "").split(",")
                          if m.split(";")[0].strip() in _RDF_BY_TYPE), "turtle")
    if fmt not in RDF_FORMATS:
        raise EntityError(f"unknown format {one_line(fmt, 40)!r}: one of {', '.join(RDF_FORMATS)}")
    _, media, ext = RDF_FORMATS[fmt]
    return _download(request, store, ("rdf", fmt), media, f"passe-muraille-{store.version}.{ext}",
                     lambda: rdf_export(store, fmt))


@router.get("/tables/{table}.csv", summary="One table as CSV, in the columns of data/",
            response_class=Response,
            responses={200: {"description": "The table as CSV.", "content": body_content("text/csv")}})
def table(request: Request, table: str, store=Depends(get_store)) -> Response:
    """The table read back from the graph, same columns as ``data/<table>.csv`` (formula cells neutralised)."""
    if table not in TABLES_BY_NAME:
        raise EntityError(f"unknown table {one_line(table, 40)!r}: one of {', '.join(TABLES_BY_NAME)}", 404)
    return _download(request, store, ("table", table), "text/csv; charset=utf-8", f"{table}.csv",
                     lambda: table_csv(store, table).encode("utf-8"))


@router.get("/network", summary="The actor network as GEXF or GraphML (Gephi, igraph, R)",
            response_class=Response,
            responses={200: {"description": "The actor graph.",
                             "content": body_content(*(media for media, _ in NETWORK_FORMATS.values()))}})
def network(request: Request, format: str = "graphml", store=Depends(get_store)) -> Response:  # noqa: A002
    """The directed actor graph the broker analysis uses; 503 if the network package is not installed."""
    if format not in NETWORK_FORMATS:
        raise EntityError(f"unknown format {one_line(format, 40)!r}: one of {', '.join(NETWORK_FORMATS)}")
    media, ext = NETWORK_FORMATS[format]
    network_export(store, format)  # 503 before the ETag short-cut if unavailable
    return _download(request, store, ("network", format), media, f"passe-muraille-actors.{ext}",
                     lambda: network_export(store, format))


def _json(request: Request, store, key: str) -> Response:
    return _download(request, store, ("hsds", key), "application/json", f"hsds-{key}.json",
                     lambda: hsds_json(store, key))


@router.get("/hsds/organizations", summary="Organisations as Open Referral HSDS 3.0 JSON")
def hsds_organizations(request: Request, store=Depends(get_store)) -> Response:
    """A JSON array of HSDS 3.0 ``organization`` objects (no contact data: the public data holds none)."""
    return _json(request, store, "organizations")


@router.get("/hsds/services", summary="Services as Open Referral HSDS 3.0 JSON")
def hsds_services(request: Request, store=Depends(get_store)) -> Response:
    """A JSON array of HSDS 3.0 ``service`` objects with ages, eligibility, service areas and taxonomy terms."""
    return _json(request, store, "services")
