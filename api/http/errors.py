"""The app's exception handlers: JSON for the API, French HTML pages for people.

Which form an error takes is decided by :func:`wants_html`, from the route and the ``Accept`` header:

* the JSON API (``/api/…``), the SPARQL endpoint (``/sparql``), the health check (``/health``) and the OpenAPI
  document always answer ``{"detail": "one line"}`` — the stable shape their clients parse;
* any other path (the site's pages, and paths that match no route) answers a French page in the site layout
  (``error.html`` through :func:`api.pages.render.error_page`: what happened, what to try) when the client accepts
  ``text/html`` — a browser — and the JSON body otherwise (curl, scripts, ``fetch`` of a JSON route of a page).

Handled: 404 (unknown path), 405, every ``HTTPException``, request validation errors (422), store failures (503)
and anything unexpected (500, logged, no traceback shown). The same choice is offered to the ASGI middlewares that
answer before any route (rate limit 429, body size 413) as :func:`error_body`.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.http.conventions import one_line, validation_message
from graph.store import StoreError

__all__ = ["install", "wants_html", "error_response", "error_body", "PAGE_TEXT", "JSON_PREFIXES"]

log = logging.getLogger("passe_muraille.api")

JSON_PREFIXES = ("/api/", "/sparql", "/health", "/openapi.json")
"""Paths whose errors are always JSON."""

PAGE_TEXT: dict[int, tuple[str, str]] = {
    400: ("Demande incorrecte", "Une valeur de la demande n'est pas acceptée. Vérifiez le formulaire ou l'adresse."),
    401: ("Connexion requise", "Connectez-vous pour accéder à cette page."),
    403: ("Accès refusé", "Votre rôle ne permet pas cette action, ou la demande vient d'un autre site."),
    404: ("Page introuvable", "Cette adresse ne correspond à aucune page. Vérifiez-la, ou cherchez un sigle, un "
                              "terme ou un service depuis l'accueil."),
    405: ("Méthode non permise", "Cette page ne s'utilise pas ainsi : ouvrez-la depuis un lien ou un formulaire "
                                 "du site."),
    413: ("Demande trop volumineuse", "Le texte ou le fichier envoyé est trop long : envoyez-en une partie."),
    422: ("Demande incomplète ou invalide", "Un champ manque ou sa valeur ne convient pas : corrigez-le et "
                                            "réessayez."),
    429: ("Trop de demandes", "Vous avez envoyé beaucoup de demandes en peu de temps. Attendez quelques secondes "
                              "puis réessayez."),
    500: ("Erreur interne", "Un problème imprévu est survenu ; il a été consigné. Réessayez dans un moment ou "
                            "revenez à l'accueil."),
    503: ("Service momentanément indisponible", "Les données ne sont pas disponibles pour l'instant (mise à jour "
                                                "en cours ?). Réessayez dans un moment."),
}


def _accepts_html(accept: str) -> bool:
    for item in accept.split(","):
        parts = [p.strip() for p in item.split(";")]
        if parts[0].lower() in ("text/html", "application/xhtml+xml"):
            return not any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in parts[1:])
    return False


def wants_html(path: str, accept: str) -> bool:
    """True if an error on ``path`` for a client sending ``accept`` should be a French HTML page."""
    if path.startswith(JSON_PREFIXES):
        return False
    return _accepts_html(accept)


def _page(request: Request, status: int, detail: str | None, headers: dict | None = None) -> Response:
    from api.pages.render import error_page  # the pages layer sits above this module

    heading, advice = PAGE_TEXT.get(status, ("Erreur", "La demande n'a pas abouti."))
    message = advice if status >= 500 or not detail or not _is_french(detail) else f"{detail}. {advice}"
    try:
        response = error_page(request, status, heading, message)
    except Exception:  # noqa: BLE001 - an error page must never fail: plain HTML then
        log.exception("error page failed")
        from fastapi.responses import HTMLResponse

        response = HTMLResponse(f"<!doctype html><html lang='fr'><meta charset='utf-8'><title>{heading}</title>"
                                f"<h1>{heading}</h1><p>{advice}</p><p><a href='/'>Retour à l'accueil</a></p>",
                                status_code=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _is_french(detail: str) -> bool:
    """Details raised by the pages are in French; those of the library are in English (not shown to people)."""
    return any(ch in detail for ch in "éèàçêôûî«") or detail.split(" ", 1)[0].lower() in (
        "fichier", "page", "table", "aucun", "aucune", "jeton", "requête", "ligne")


def error_response(request: Request, status: int, detail: str, headers: dict | None = None) -> Response:
    """The error ``status`` with ``detail`` as JSON or as a French page (:func:`wants_html`)."""
    if wants_html(request.url.path, request.headers.get("accept", "")):
        return _page(request, status, detail, headers)
    return JSONResponse({"detail": one_line(detail)}, status_code=status, headers=headers)


def error_body(scope: dict, status: int, detail: str) -> tuple[bytes, bytes]:
    """(body, content type) of an error answered by an ASGI middleware before any route (429, 413)."""
    import json

    accept = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept"), "")
    if wants_html(scope.get("path", ""), accept):
        heading, advice = PAGE_TEXT.get(status, ("Erreur", "La demande n'a pas abouti."))
        page = (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{heading} — Passe-muraille"
                f"</title><link rel=\"stylesheet\" href=\"/static/css/site.css\"></head><body><main><h1>{heading}</h1>"
                f"<p>{advice}</p><p><a href=\"/\">Retour à l'accueil</a></p></main></body></html>")
        return page.encode(), b"text/html; charset=utf-8"
    return json.dumps({"detail": detail}).encode(), b"application/json"


def install(app: FastAPI) -> None:
    """Install the exception handlers on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError) -> Response:
        return error_response(request, 422, validation_message(err))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        detail = err.detail if isinstance(err.detail, str) else "request refused"
        if err.status_code == 404 and detail == "Not Found":
            detail = "no such path"
        return error_response(request, err.status_code, detail, getattr(err, "headers", None))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, err: StoreError) -> Response:
        return error_response(request, 503, f"store unavailable: {err}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> Response:
        log.exception("unexpected error", exc_info=err)
        return error_response(request, 500, "internal error; it has been logged")
