"""Editing for editors: screens under ``/editer`` and a JSON API under ``/api/v1/edit``.

Every write requires the ``editor`` role (:mod:`api.http.auth`); a browser form also needs its CSRF token and
a same-site origin. Edits go through :func:`graph.ops.editing.apply_edit`: validated on a copy, published
atomically, recorded in the history; a stale ETag (``If-Match`` / the form's hidden ``etag``) is a 412
instead of a silent overwrite. The review queue of ingested candidates comes from
:class:`graph.glossary.review_queue.ReviewQueue`: accept (then complete the pre-filled row), or reject.
"""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.http.auth import ROLES, User, check_csrf, create_token, current_user, list_tokens, require_editor, revoke_token
from api.http.conventions import error_responses
from api.pages.render import FormError, error_page, form_data, render
from graph.build.tables import table_files
from graph.config import data_dir, store_dir
from graph.glossary.review_queue import ReviewQueue
from graph.ops import editing
from graph.vocab.schema import TABLES, TABLES_BY_NAME

__all__ = ["router"]

router = APIRouter()
_API_ERRORS = error_responses(400, 401, 403, 404, 413, 422, 429, 503,
                              e422="The request does not fit the schema, or the edit does not pass validation "
                                   "(``problems`` lists file, row, column).")
_EDIT_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "properties": {"changes": {"type": "object", "additionalProperties": {"type": "string"}},
                                     "reason": {"type": "string"}}}}}}}
"""The JSON body of the edit routes (read by :func:`_json_body`, not by FastAPI)."""
ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
MAX_FORM = 256 * 1024


def _queue():
    return ReviewQueue.for_store(store_dir())


def _screen_user(request: Request, role: str = "editor") -> User | None:
    """The signed-in user if allowed; None means: answer with the sign-in page (401) or a 403 page."""
    user = current_user(request)
    if user is None or not user.can(role):
        return None
    return user


def _denied(request: Request):
    user = current_user(request)
    if user is None:
        return render(request, "login.html", status_code=401, title="Se connecter", next=request.url.path,
                      error="Connectez-vous avec un jeton d'éditeur pour modifier les données.")
    return error_page(request, 403, "Accès refusé", "Votre rôle ne permet pas cette action.")


async def _form(request: Request) -> dict[str, str]:
    form = await form_data(request, max_bytes=MAX_FORM)
    check_csrf(request, form.get("csrf"))
    return form


def _table(name: str):
    table = TABLES_BY_NAME.get(name)
    if table is None:
        raise HTTPException(status_code=404, detail=f"table inconnue : {name[:40]}")
    return table


def _row_label(values: dict) -> str:
    for key in ("label", "label_fr", "term_fr", "acronym", "title"):
        if values.get(key):
            return values[key]
    return ""


# ----------------------------------------------------------------- screens

@router.get("/editer", include_in_schema=False)
def dashboard(request: Request):
    user = _screen_user(request)
    if user is None:
        return _denied(request)
    queue = _queue()
    counts = queue.counts() if queue else {}
    return render(request, "editing/index.html", title="Éditer", tables=TABLES, recent=editing.history(limit=10),
                  queue_count=counts.get("pending", 0))


@router.get("/editer/historique", include_in_schema=False)
def history_page(request: Request):
    if _screen_user(request) is None:
        return _denied(request)
    return render(request, "editing/history.html", title="Historique", recent=editing.history(limit=500))


@router.get("/editer/file", include_in_schema=False)
def queue_page(request: Request, message: str = Query("", max_length=200)):
    if _screen_user(request) is None:
        return _denied(request)
    queue = _queue()
    candidates = [c.as_dict() for c in queue.list(status="pending", limit=200)] if queue else []
    return render(request, "editing/queue.html", title="File de relecture", available=queue is not None,
                  counts=queue.counts() if queue else {}, candidates=candidates, message=message)


@router.post("/editer/file/{candidate_id}/{decision}", include_in_schema=False)
async def queue_decide(request: Request, candidate_id: int, decision: str):
    user = _screen_user(request)
    if user is None:
        return _denied(request)
    try:
        form = await _form(request)
    except FormError as err:
        return error_page(request, err.status_code, "Formulaire refusé", err.message)
    queue = _queue()
    if queue is None or decision not in ("accepter", "rejeter"):
        return error_page(request, 404, "Introuvable", "Cette décision n'existe pas.")
    candidate = queue.get(candidate_id)
    if candidate is None:
        return error_page(request, 404, "Candidat introuvable", f"Aucun candidat n° {candidate_id}.")
    try:
        if decision == "rejeter":
            queue.reject(candidate_id, editor=user.name, note=form.get("note", "")[:300] or None)
            return RedirectResponse(f"/editer/file?message=Candidat+{candidate_id}+rejeté", status_code=303)
        queue.accept(candidate_id, editor=user.name)
    except (ValueError, KeyError) as err:
        return error_page(request, 409, "Décision impossible", str(err))
    table = "actors" if candidate.kind == "actor" else "glossary"
    return RedirectResponse(f"/editer/{table}/nouveau?candidat={candidate_id}", status_code=303)


@router.get("/editer/jetons", include_in_schema=False)
def tokens_page(request: Request):
    if _screen_user(request, "admin") is None:
        return _denied(request)
    return render(request, "editing/tokens.html", title="Jetons", tokens=list_tokens(), roles=ROLES)


@router.post("/editer/jetons", include_in_schema=False)
async def tokens_create(request: Request):
    if _screen_user(request, "admin") is None:
        return _denied(request)
    try:
        form = await _form(request)
        token = create_token(form.get("nom", ""), form.get("role", ""))
    except FormError as err:
        return error_page(request, err.status_code, "Formulaire refusé", err.message)
    except ValueError as err:
        return render(request, "editing/tokens.html", status_code=400, title="Jetons", tokens=list_tokens(),
                      roles=ROLES, error=str(err))
    return render(request, "editing/tokens.html", title="Jetons", tokens=list_tokens(), roles=ROLES,
                  new_token=token, new_name=form.get("nom", ""), headers={"Cache-Control": "no-store"})


@router.post("/editer/jetons/{token_id}/revoquer", include_in_schema=False)
async def tokens_revoke(request: Request, token_id: str):
    if _screen_user(request, "admin") is None:
        return _denied(request)
    try:
        await _form(request)
    except FormError as err:
        return error_page(request, err.status_code, "Formulaire refusé", err.message)
    revoke_token(token_id[:40])
    return RedirectResponse("/editer/jetons", status_code=303)


@router.get("/editer/{table_name}", include_in_schema=False)
def table_page(request: Request, table_name: str, q: str = Query("", max_length=120)):
    if _screen_user(request) is None:
        return _denied(request)
    table = _table(table_name)

    rows = []
    for path in table_files(table, data_dir()):
        if path.exists():
            _lines, header, records = editing._records(path)
            for cells, _first, _end in records:
                values = dict(zip(header, (c.strip() for c in cells), strict=False))
                rows.append({"id": values.get("id", ""), "label": _row_label(values)})
    wanted = q.strip().casefold()
    if wanted:
        rows = [r for r in rows if wanted in r["id"].casefold() or wanted in r["label"].casefold()]
    return render(request, "editing/table.html", title=f"Table {table.name}", table=table, rows=rows[:500],
                  total=len(rows), q=q)


def _candidate_values(table, candidate) -> dict:
    payload = dict(candidate.payload or {})
    names = {c.name for c in table.columns}
    values = {k: str(v) for k, v in payload.items() if k in names and isinstance(v, str | int | float)}
    if table.name == "glossary":
        values.setdefault("acronym", str(payload.get("short") or payload.get("acronym") or ""))
        values.setdefault("term_fr", str(payload.get("long") or payload.get("term") or payload.get("label") or ""))
        values.setdefault("expansion", "known" if values.get("term_fr") else "unknown")
    return values


@router.get("/editer/{table_name}/nouveau", include_in_schema=False)
def new_row_form(request: Request, table_name: str, candidat: int | None = Query(None)):
    if _screen_user(request) is None:
        return _denied(request)
    table = _table(table_name)
    candidate, values = None, {}
    queue = _queue() if candidat is not None else None
    if queue is not None:
        candidate = queue.get(candidat)
        if candidate is not None:
            values = _candidate_values(table, candidate)
    return render(request, "editing/form.html", title=f"Nouvelle ligne de {table.name}", table=table, create=True,
                  values=values, row_id=None, etag=None, action=f"/editer/{table.name}/nouveau", candidate=candidate)


@router.get("/editer/{table_name}/{row_id}", include_in_schema=False)
def row_form(request: Request, table_name: str, row_id: str, publie: str = Query("", max_length=40)):
    if _screen_user(request) is None:
        return _denied(request)
    table = _table(table_name)
    try:
        row = editing.get_row(table.name, row_id) if ID.match(row_id) else None
    except editing.EditNotFound:
        row = None
    if row is None:
        return error_page(request, 404, "Ligne introuvable", f"Aucune ligne « {row_id[:120]} » dans {table.name}.")
    return render(request, "editing/form.html", title=f"Modifier {table.name}/{row_id}", table=table, create=False,
                  values=row.values, row_id=row_id, etag=row.etag, action=f"/editer/{table.name}/{row_id}",
                  saved=publie, history=editing.history(table=table.name, row_id=row_id, limit=20),
                  headers={"ETag": row.etag})


async def _save(request: Request, table_name: str, row_id: str | None):
    user = _screen_user(request)
    if user is None:
        return _denied(request)
    table = _table(table_name)
    try:
        form = await _form(request)
    except FormError as err:
        return error_page(request, err.status_code, "Formulaire refusé", err.message)
    create = row_id is None
    target = (form.get("id", "").strip() if create else row_id) or ""
    changes = {c.name: form.get(c.name, "") for c in table.columns if c.name in form and c.name != "id"}
    reason = form.get("raison", "")
    try:
        record = await run_in_threadpool(editing.apply_edit, table.name, target, changes, user.name, reason,
                                         None if create else form.get("etag") or None, create)
    except editing.EditError as err:
        values = {**({} if create else _current_values(table.name, target)), **changes, "id": target}
        return render(request, "editing/form.html", status_code=err.status, title=f"Modifier {table.name}",
                      table=table, create=create, values=values, row_id=None if create else target,
                      etag=_current_etag(table.name, target) if err.status == 412 else form.get("etag"),
                      action=f"/editer/{table.name}/{'nouveau' if create else target}", reason=reason,
                      error=_french(err), problems=[p.as_dict() for p in err.problems])
    if form.get("candidat", "").isdigit():
        queue = _queue()
        if queue is not None:
            candidate = queue.get(int(form["candidat"]))
            if candidate is not None and candidate.status == "pending":
                queue.accept(candidate.id, editor=user.name, note=f"ajouté comme {table.name}/{target}")
    return RedirectResponse(f"/editer/{table.name}/{target}?publie={record.get('version') or 'ok'}", status_code=303)


def _current_values(table: str, row_id: str) -> dict:
    try:
        return editing.get_row(table, row_id).values
    except editing.EditError:
        return {}


def _current_etag(table: str, row_id: str) -> str | None:
    try:
        return editing.get_row(table, row_id).etag
    except editing.EditError:
        return None


def _french(err: editing.EditError) -> str:
    if isinstance(err, editing.EditConflict):
        return ("Quelqu'un a modifié cette ligne depuis que vous l'avez ouverte : vos valeurs sont conservées "
                "ci-dessous, la version actuelle est celle de la page rechargée. " + err.message)
    if isinstance(err, editing.EditInvalid):
        return "La modification ne passe pas la validation : rien n'a été publié."
    return f"Modification refusée : {err.message}"


@router.post("/editer/{table_name}/nouveau", include_in_schema=False)
async def new_row_save(request: Request, table_name: str):
    return await _save(request, table_name, None)


@router.post("/editer/{table_name}/{row_id}", include_in_schema=False)
async def row_save(request: Request, table_name: str, row_id: str):
    if not ID.match(row_id):
        return error_page(request, 404, "Ligne introuvable", "Identifiant invalide.")
    return await _save(request, table_name, row_id)


# ----------------------------------------------------------------- JSON API

def _error(err: editing.EditError) -> JSONResponse:
    return JSONResponse({"detail": err.message, "problems": [p.as_dict() for p in err.problems]},
                        status_code=err.status)


@router.get("/api/v1/edit/history", tags=["editing"], responses=_API_ERRORS)
def api_history(table: str | None = Query(None, max_length=40), id: str | None = Query(None, max_length=120),
                limit: int = Query(100, ge=1, le=1000), user: User = Depends(require_editor)):
    """The published changes, newest first: who, when, what (old → new per column), why."""
    return {"changes": editing.history(table=table, row_id=id, limit=limit)}


@router.get("/api/v1/edit/{table_name}/{row_id}", tags=["editing"], responses=_API_ERRORS)
def api_get_row(table_name: str, row_id: str, user: User = Depends(require_editor)):
    """One row of a data table as it is in the CSV, with its ETag (send it back as ``If-Match``)."""
    table = _table(table_name)
    try:
        row = editing.get_row(table.name, row_id) if ID.match(row_id) else None
    except editing.EditError as err:
        return _error(err)
    if row is None:
        return JSONResponse({"detail": "invalid id"}, status_code=404)
    return JSONResponse({"table": table.name, "id": row_id, "values": row.values, "file": row.file.name},
                        headers={"ETag": row.etag, "Cache-Control": "private, no-store"})


def _body_changes(body) -> tuple[dict, str]:
    if not isinstance(body, dict) or not isinstance(body.get("changes", {}), dict):
        raise editing.EditError('expected {"changes": {column: value}, "reason": "…"}')
    return body.get("changes", {}), str(body.get("reason", ""))


async def _json_body(request: Request) -> dict:
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_FORM:
            raise editing.EditError("request body too large (at most 256 KiB)")

    try:
        return json.loads(raw or b"{}")
    except ValueError:
        raise editing.EditError("the body is not valid JSON") from None


@router.patch("/api/v1/edit/{table_name}/{row_id}", tags=["editing"], openapi_extra=_EDIT_BODY,
              responses={**_API_ERRORS, **error_responses(412, 428)})
async def api_update_row(request: Request, table_name: str, row_id: str, user: User = Depends(require_editor),
                         if_match: str | None = Header(None, max_length=100)):
    """Change some cells of one row (``If-Match`` required); validated, published, recorded; 412 if stale."""
    table = _table(table_name)
    if not if_match:
        return JSONResponse({"detail": "If-Match header required (the row's ETag): GET the row first"},
                            status_code=428)
    try:
        changes, reason = _body_changes(await _json_body(request))
        record = await run_in_threadpool(editing.apply_edit, table.name, row_id, changes, user.name, reason,
                                         if_match, False)
    except editing.EditError as err:
        return _error(err)
    return JSONResponse(record, headers={"ETag": record["etag"]})


@router.post("/api/v1/edit/{table_name}", tags=["editing"], status_code=201, openapi_extra=_EDIT_BODY,
             responses=_API_ERRORS)
async def api_create_row(request: Request, table_name: str, user: User = Depends(require_editor)):
    """Add one row (``changes`` must hold its ``id``); validated, published, recorded."""
    table = _table(table_name)
    try:
        changes, reason = _body_changes(await _json_body(request))
        row_id = str(changes.get("id", ""))
        record = await run_in_threadpool(editing.apply_edit, table.name, row_id, changes, user.name, reason, None,
                                         True)
    except editing.EditError as err:
        return _error(err)
    return JSONResponse(record, status_code=201, headers={"ETag": record["etag"]})

