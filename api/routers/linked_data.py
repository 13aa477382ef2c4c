"""Entity IRIs dereference: ``https://w3id.org/passe-muraille/id/<table>/<id>`` is served at ``/id/<table>/<id>``.

Content negotiation (or ``?format=``): Turtle, JSON-LD, N-Triples, RDF/XML; browsers (``text/html``) are sent
to the actor page (``/acteurs/<id>``) or term page (``/termes/<id>``) when the pages router serves one, else
get a plain page listing the entity's statements, every value escaped.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from rdflib import Literal, URIRef

from api.deps import get_store
from api.http.conventions import (
    COMMON_ERRORS,
    NOT_MODIFIED,
    OneLineErrorsRoute,
    body_content,
    error_responses,
    etag_for,
    one_line,
)
from graph.publish.exports import RDF_FORMATS, describe, serialize_graph
from graph.query.entities import EntityError, check_id, label_of
from graph.vocab.namespaces import PMID, PREFIXES
from graph.vocab.schema import TABLES_BY_NAME

__all__ = ["router", "PAGE_ROUTES"]

router = APIRouter(tags=["linked data"], route_class=OneLineErrorsRoute)

PAGE_ROUTES = {"actors": ("/acteurs/{actor_id}", "/acteurs/"), "glossary": ("/termes/{sense_id}", "/termes/")}
"""Table → (route path of its HTML page in the pages router, URL prefix)."""

_TYPES = {media: name for name, (_, media, _) in RDF_FORMATS.items()}
_TYPES.update({"application/x-turtle": "turtle", "application/json": "jsonld", "text/n3": "turtle",
               "text/html": "html", "application/xhtml+xml": "html"})


def _choose(request: Request) -> str | None:
    fmt = request.query_params.get("format")
    if fmt:
        return fmt if fmt in RDF_FORMATS or fmt == "html" else None
    accept = request.headers.get("accept", "")
    if not accept.strip():
        return "turtle"
    ranges = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        q = next((float(p[2:]) for p in parts[1:] if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()),
                 1.0)
        ranges.append((q, -position, parts[0].lower()))
    for q, _, media in sorted(ranges, reverse=True):
        if q <= 0:
            continue
        if media in _TYPES:
            return _TYPES[media]
        if media in ("*/*", "text/*", "application/*"):
            return "turtle"
    return None


def _term_html(term, request: Request, store) -> str:
    if isinstance(term, URIRef):
        text = str(term)
        if text.startswith(str(PMID)):
            return f'<a href="/id/{escape(text[len(str(PMID)):])}">{escape(label_of(store, text))}</a>'
        for prefix, namespace in PREFIXES.items():
            if text.startswith(str(namespace)):
                return f"<code>{escape(prefix)}:{escape(text[len(str(namespace)):])}</code>"
        return f"<code>{escape(text)}</code>"
    if isinstance(term, Literal) and term.language:
        return f'<span lang="{escape(term.language)}">{escape(str(term))}</span>'
    return escape(str(term))


def _page(request: Request, store, table: str, row_id: str, graph) -> str:
    iri = PMID[f"{table}/{row_id}"]
    title = label_of(store, iri)
    rows = "".join(
        f"<tr><th scope='row'>{_term_html(p, request, store)}</th><td>{_term_html(o, request, store)}</td></tr>"
        for p, o in sorted(graph.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))))
    alternates = " · ".join(f'<a href="?format={name}">{name}</a>' for name in RDF_FORMATS)
    if table == "territories":  # every commune (and any territory) links to who serves it
        alternates += f' · <a href="/communes/{escape(row_id)}">Qui dessert ce territoire ?</a>'
    elif table == "actors":
        alternates += f' · <a href="/acteurs/{escape(row_id)}">Fiche de l\'acteur</a>'
    return ("<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(title)} — Passe-muraille</title></head><body><main>"
            f"<h1>{escape(title)}</h1><p><code>{escape(str(iri))}</code></p>"
            f"<table><tbody>{rows}</tbody></table><p>Autres formats : {alternates}</p></main></body></html>")


def _paths(routes, prefix: str = ""):
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI keeps included routers unflattened
            context = getattr(route, "include_context", None)
            yield from _paths(route.original_router.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif getattr(route, "path", None):
            yield prefix + route.path


def _has_route(request: Request, path: str) -> bool:
    return path in set(_paths(request.app.routes))


@router.get("/id/{table}/{row_id}", summary="Dereference an entity IRI (HTML, Turtle, JSON-LD, …)",
            response_class=Response,
            responses={200: {"description": "The entity's statements in the negotiated format.",
                             "content": body_content(*(m for _, m, _ in RDF_FORMATS.values()), "text/html")},
                       303: {"description": "Browsers are sent to the entity's page."},
                       **COMMON_ERRORS, **NOT_MODIFIED, **error_responses(406)})
def entity(request: Request, table: str, row_id: str, store=Depends(get_store)) -> Response:
    """The entity's statements by content negotiation (``Accept`` or ``?format=turtle|jsonld|ntriples|rdfxml|html``)."""
    if table not in TABLES_BY_NAME:
        raise EntityError(f"unknown table {one_line(table, 40)!r}", 404)
    check_id(row_id)
    fmt = _choose(request)
    if fmt is None:
        media = ", ".join(media for _, media, _ in RDF_FORMATS.values())
        return Response(f'{{"detail": "no acceptable format: use text/html, {media}"}}', status_code=406,
                        media_type="application/json")
    graph = describe(store, table, row_id)  # 404 if unknown
    headers = {"Vary": "Accept", "Link": f'<{PMID[f"{table}/{row_id}"]}>; rel="canonical"'}
    if fmt == "html":
        route = PAGE_ROUTES.get(table)
        if route and _has_route(request, route[0]):
            return RedirectResponse(route[1] + row_id, status_code=303, headers=headers)
        return HTMLResponse(_page(request, store, table, row_id, graph), headers=headers)
    etag = etag_for(store, "id", table, row_id, fmt)
    headers.update({"ETag": etag, "Cache-Control": "public, max-age=300"})
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    _, media, _ = RDF_FORMATS[fmt]
    return Response(serialize_graph(graph, fmt), media_type=media, headers=headers)
