"""The network maps: overview (filters, overlays, aggregated when large), ego maps, offline downloads.

The data comes from :mod:`graph.publish.maps` (pyvis builds the node and edge records); the page embeds it as JSON
(``<``, ``>``, ``&`` escaped) and ``/static/js/map.js`` draws it with the vis-network the app serves itself.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import get_store
from api.pages.render import anonymous_page, error_page, render
from graph.publish import maps
from graph.query.entities import form_choices

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
OVERLAYS = ("brokers", "gaps")


class BadFilter(ValueError):
    """A filter value that names nothing in the graph."""


def _filters(store, secteur: str, territoire: str, liens: list[str], calques: list[str]):
    options = form_choices(store)
    if secteur and secteur not in {s["id"] for s in options["sectors"]}:
        raise BadFilter(f"Secteur inconnu : « {secteur[:60]} ».")
    if territoire and territoire not in {t["id"] for t in options["territories"]}:
        raise BadFilter(f"Territoire inconnu : « {territoire[:60]} ».")
    liens = [maps.LINK_ALIASES.get(k, k) for k in liens]
    unknown = [k for k in liens if k not in maps.LINK_TYPES]
    if unknown:
        raise BadFilter(f"Type de lien inconnu : « {unknown[0][:40]} ».")
    bad = [c for c in calques if c not in OVERLAYS]
    if bad:
        raise BadFilter(f"Calque inconnu : « {bad[0][:40]} ».")
    links = set(liens) if liens and len(set(liens)) < len(maps.LINK_TYPES) else None
    return options, links, set(calques)


def _page(request: Request, data: maps.MapData, options: dict, export_url: str, **context) -> HTMLResponse:
    payload = maps.vis_payload(data)
    return render(request, "maps.html", title=data.title, data=data, payload_json=maps.json_for_script(payload),
                  sectors=options["sectors"], territories=options["territories"], link_types=maps.LINK_TYPES,
                  export_url=export_url, counts=data.counts, plural=maps.plural,
                  show_isolated=request.query_params.get("isoles") == "1", **context)


def _query_string(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


@router.get("/cartes")
async def overview(request: Request, secteur: str = Query("", max_length=60),
                   territoire: str = Query("", max_length=60), liens: list[str] = Query([], max_length=8),
                   calques: list[str] = Query([], max_length=4), agrege: str = Query("", max_length=3),
                   store=Depends(get_store)):
    return await anonymous_page(request, store, lambda: _overview_page(request, secteur, territoire, liens, calques,
                                                                       agrege, store))


def _overview_page(request: Request, secteur: str, territoire: str, liens: list[str], calques: list[str],
                   agrege: str, store):
    try:
        options, links, overlay = _filters(store, secteur, territoire, liens, calques)
    except BadFilter as err:
        return error_page(request, 400, "Filtre invalide", str(err))
    if agrege:
        data = maps.aggregated(store, sector=secteur or None, territory=territoire or None, link_types=links)
    else:
        data = maps.overview(store, sector=secteur or None, territory=territoire or None, link_types=links,
                             overlay=overlay)
    return _page(request, data, options, f"/cartes/export.html{_query_string(request)}", sector=secteur,
                 territory=territoire, chosen_links=sorted(links or []), overlay=overlay, center=None, depth=None)


@router.get("/cartes/acteurs/{actor_id}")
async def ego(request: Request, actor_id: str, profondeur: int = Query(1, ge=1, le=3),
              liens: list[str] = Query([], max_length=8), calques: list[str] = Query([], max_length=4),
              store=Depends(get_store)):
    return await anonymous_page(request, store, lambda: _ego_page(request, actor_id, profondeur, liens, calques,
                                                                  store))


def _ego_page(request: Request, actor_id: str, profondeur: int, liens: list[str], calques: list[str], store):
    try:
        options, links, overlay = _filters(store, "", "", liens, calques)
    except BadFilter as err:
        return error_page(request, 400, "Filtre invalide", str(err))
    if not ID.match(actor_id):
        return error_page(request, 404, "Acteur introuvable", "Identifiant d'acteur invalide.")
    try:
        data = maps.ego(store, actor_id, depth=profondeur, link_types=links, overlay=overlay)
    except KeyError:
        return error_page(request, 404, "Acteur introuvable", f"Aucun acteur n'a l'identifiant « {actor_id} ».")
    return _page(request, data, options, f"/cartes/acteurs/{actor_id}/export.html{_query_string(request)}",
                 sector="", territory="", chosen_links=sorted(links or []), overlay=overlay, center=actor_id,
                 depth=profondeur)


def _download(data: maps.MapData, name: str) -> HTMLResponse:
    return HTMLResponse(maps.standalone_html(data), headers={
        "Content-Disposition": f'attachment; filename="{name}.html"',
        "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                   "img-src data:; sandbox allow-scripts"})


@router.get("/cartes/export.html")
def overview_file(request: Request, secteur: str = Query("", max_length=60), territoire: str = Query("", max_length=60),
                  liens: list[str] = Query([], max_length=8), calques: list[str] = Query([], max_length=4),
                  store=Depends(get_store)):
    try:
        _options, links, overlay = _filters(store, secteur, territoire, liens, calques)
    except BadFilter as err:
        return error_page(request, 400, "Filtre invalide", str(err))
    data = maps.overview(store, sector=secteur or None, territory=territoire or None, link_types=links, overlay=overlay)
    return _download(data, "carte-passe-muraille")


@router.get("/cartes/acteurs/{actor_id}/export.html")
def ego_file(request: Request, actor_id: str, profondeur: int = Query(1, ge=1, le=3),
             liens: list[str] = Query([], max_length=8), calques: list[str] = Query([], max_length=4),
             store=Depends(get_store)):
    try:
        _options, links, overlay = _filters(store, "", "", liens, calques)
        data = maps.ego(store, actor_id, depth=profondeur, link_types=links, overlay=overlay) \
            if ID.match(actor_id) else None
    except BadFilter as err:
        return error_page(request, 400, "Filtre invalide", str(err))
    except KeyError:
        data = None
    if data is None:
        return error_page(request, 404, "Acteur introuvable", "Aucun acteur n'a cet identifiant.")
    return _download(data, f"carte-{actor_id}")


@router.get("/cartes/donnees.json")
def overview_json(secteur: str = Query("", max_length=60), territoire: str = Query("", max_length=60),
                  liens: list[str] = Query([], max_length=8), calques: list[str] = Query([], max_length=4),
                  agrege: str = Query("", max_length=3), store=Depends(get_store)):
    """The map data (vis-network nodes, edges, options, legend) as JSON, for scripts and notebooks."""
    try:
        _options, links, overlay = _filters(store, secteur, territoire, liens, calques)
    except BadFilter as err:
        return JSONResponse({"detail": str(err)}, status_code=400)
    data = maps.aggregated(store, sector=secteur or None, territory=territoire or None, link_types=links) if agrege \
        else maps.overview(store, sector=secteur or None, territory=territoire or None, link_types=links,
                           overlay=overlay)
    return JSONResponse(maps.vis_payload(data))
