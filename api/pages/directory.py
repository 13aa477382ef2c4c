"""The directory pages: « Qui dessert ma commune ? » (:mod:`graph.query.serving`).

``/communes`` asks for a commune (name in any case and with or without accents, or NIS code) and lists every
service whose area covers it, grouped by how it covers it (the commune itself, its division, its province…);
``/communes/<territory id>`` is the same page for one commune, linked from every territory page.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse

from api.deps import get_store
from api.pages.render import anonymous_page, error_page, render
from graph.query.entities import ID_PATTERN
from graph.query.serving import UnknownTerritory, serving

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _groups(services: list[dict]) -> list[dict]:
    groups: list[dict] = []
    for service in services:
        via = service["via"]
        if not groups or groups[-1]["id"] != via["id"]:
            groups.append({"id": via["id"], "label": via["label"], "level_label": via["level_label"], "services": []})
        groups[-1]["services"].append(service)
    return groups


def _page(request: Request, store, text: str, status_code: int = 200):
    try:
        result = serving(store, text)
    except UnknownTerritory as err:
        return render(request, "communes.html", status_code=404, title="Commune inconnue", q=text,
                      unknown=True, suggestions=err.suggestions)
    place = result["territory"]
    return render(request, "communes.html", status_code=status_code, title=f"Qui dessert {place['label']} ?",
                  q=place["label"], place=place, groups=_groups(result["services"]), count=len(result["services"]))


@router.get("/communes")
async def communes(request: Request, q: str = Query("", max_length=120), store=Depends(get_store)):
    text = q.strip()
    if not text:
        return render(request, "communes.html", title="Qui dessert ma commune ?", q="")
    return await anonymous_page(request, store, lambda: _page(request, store, text))


@router.get("/communes/{territory_id}")
async def commune(request: Request, territory_id: str, store=Depends(get_store)):
    if not ID_PATTERN.fullmatch(territory_id):
        return error_page(request, 404, "Commune introuvable", "Cet identifiant de territoire n'existe pas.")
    if territory_id.isdigit():
        return RedirectResponse(f"/communes?q={territory_id}", status_code=303)
    return await anonymous_page(request, store, lambda: _page(request, store, territory_id))
