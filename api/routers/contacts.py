"""Person-level contacts of an actor, for authenticated partners only (:mod:`graph.ops.contacts`).

``GET /api/v1/actors/{id}/contacts`` needs a reader (or above), ``POST`` and ``DELETE`` an editor; anonymous
requests get 401. Every answer of these routes — errors included — carries ``Cache-Control: no-store`` and
``Vary: Authorization, Cookie`` so that no shared cache keeps (or serves to someone else) private data.
A browser session also needs its CSRF token (``X-CSRF-Token``) and a same-site origin to write.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api.deps import get_store
from api.http.auth import User, check_csrf, require_editor, require_role
from api.http.conventions import error_responses, one_line
from graph.config import store_dir
from graph.ops import contacts

__all__ = ["router", "PRIVATE_HEADERS"]

PRIVATE_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache", "Vary": "Authorization, Cookie"}
MAX_BODY = 16 * 1024


class _PrivateRoute(APIRoute):
    """Adds :data:`PRIVATE_HEADERS` to every response, and turns contact errors into one-line 4xx."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def wrapped(request: Request) -> Response:
            try:
                response = await handler(request)
            except contacts.ContactError as err:
                response = JSONResponse({"detail": one_line(str(err))}, status_code=err.status)
            except HTTPException as err:
                response = JSONResponse({"detail": one_line(str(err.detail))}, status_code=err.status_code,
                                        headers=err.headers)
            response.headers.update(PRIVATE_HEADERS)
            return response

        return wrapped


router = APIRouter(prefix="/api/v1", tags=["contacts"], route_class=_PrivateRoute,
                   responses=error_responses(400, 401, 403, 404, 413, 422, 429, 503))
require_reader = require_role("reader")


def _actor_id(actor_id: str) -> str:
    return contacts._check_id("actor", actor_id)


async def _json_body(request: Request) -> dict:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise contacts.ContactError(f"body larger than {MAX_BODY} bytes")
    if "application/json" not in request.headers.get("content-type", ""):
        raise contacts.ContactError("send the contact as application/json")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise contacts.ContactError("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise contacts.ContactError("the body must be a JSON object")
    return body


@router.get("/actors/{actor_id}/contacts", summary="Contacts of an actor's people (authenticated readers)")
def actor_contacts(actor_id: str, user: User = Depends(require_reader)) -> JSONResponse:
    """The people to contact at this actor (name, role, e-mail, phone, post, dates). Never cached."""
    items = contacts.list_contacts(_actor_id(actor_id), store_dir())
    return JSONResponse({"actor": actor_id, "total": len(items), "items": items})


@router.post("/actors/{actor_id}/contacts", summary="Add a contact (editors)", status_code=201,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                 "type": "object", "properties": {k: {"type": "string"} for k in
                                                  ("name", "role", "email", "phone", "post", "note")}}}}}})
async def add_actor_contact(actor_id: str, request: Request, user: User = Depends(require_editor),
                            store=Depends(get_store)) -> JSONResponse:
    check_csrf(request, request.headers.get("x-csrf-token"))
    actor_id = _actor_id(actor_id)
    body = await _json_body(request)
    record = await run_in_threadpool(contacts.add_contact, store, actor_id, body, user.name, store_dir())
    return JSONResponse(record, status_code=201)


@router.delete("/actors/{actor_id}/contacts/{contact_id}", summary="Delete a contact (editors)", status_code=204)
async def delete_actor_contact(actor_id: str, contact_id: str, request: Request,
                               user: User = Depends(require_editor)) -> Response:
    check_csrf(request, request.headers.get("x-csrf-token"))
    actor_id = _actor_id(actor_id)
    contacts._check_id("contact", contact_id)
    await run_in_threadpool(contacts.delete_contact, contact_id, user.name, actor_id, store_dir())
    return Response(status_code=204)
