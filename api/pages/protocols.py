"""The protocols' pages: ``/protocoles`` (every agreement, with its status and freshness) and
``/protocoles/<id>`` (parties, dates, status, review due, revisions, legal basis, sources, the public text)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from api.deps import get_store
from api.pages.render import anonymous_page, error_page, render
from graph.query.entities import EntityError, agreement_detail, agreement_view, table_rows

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _list_page(request: Request, store):
    agreements = sorted((agreement_view(store, row, "fr") for row in table_rows(store, "agreements")),
                        key=lambda a: (a["status"] != "current", str(a["date"] or ""), a["label"]))
    return render(request, "protocols.html", title="Protocoles et accords", agreements=agreements)


@router.get("/protocoles")
async def protocols(request: Request, store=Depends(get_store)):
    return await anonymous_page(request, store, lambda: _list_page(request, store))


def _page(request: Request, store, agreement_id: str):
    try:
        detail = agreement_detail(store, agreement_id)
    except EntityError:
        return error_page(request, 404, "Protocole introuvable",
                          f"Aucun protocole ni accord n'a l'identifiant « {agreement_id[:120]} ».")
    return render(request, "protocol.html", title=detail["label"], g=detail)


@router.get("/protocoles/{agreement_id}")
async def protocol(request: Request, agreement_id: str, store=Depends(get_store)):
    return await anonymous_page(request, store, lambda: _page(request, store, agreement_id))
