"""What the HTML routers share: the Jinja2 environment (autoescape on), rendering, static files, labels.

Templates live in ``api/templates/``, assets in ``api/static/`` (served by :func:`static_file`, never from a
CDN). Every page extends ``base.html``; scripts are external files only (no inline script, no inline event
handler), so the Content-Security-Policy of :mod:`api.http.security` can forbid both.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from api.http.auth import SESSION_COOKIE, csrf_token, current_user
from api.http.response_cache import ResponseCache
from graph.version_cache import store_key
from graph.vocab.labels_fr import CONDITION_LABELS, KIND_LABELS, LANG_LABELS, MANDATE_LABELS, STATUS_LABELS

__all__ = ["TEMPLATES_DIR", "STATIC_DIR", "env", "render", "static_file", "route_exists", "first_route",
           "MANDATE_LABELS", "KIND_LABELS", "STATUS_LABELS", "CONDITION_LABELS", "yes_no", "age_range", "safe_url",
           "error_page", "form_data", "FormError", "anonymous_page"]

API_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = API_DIR / "templates"
STATIC_DIR = API_DIR / "static"



def yes_no(value) -> str:
    """``oui`` / ``non`` / ``non précisé`` for a boolean that may be unknown."""
    if value is None or value == "":
        return "non précisé"
    return "oui" if value in (True, "true", "yes", 1) else "non"


def age_range(age_min, age_max) -> str:
    """``de 0 à 18 ans``, ``dès 12 ans``, ``jusqu'à 22 ans`` or ``non précisé``."""
    def fmt(value) -> str:
        number = float(value)
        if number < 0:
            return "la grossesse"
        return f"{int(number)} ans" if number == int(number) else f"{number:g} ans"

    if age_min not in (None, "") and age_max not in (None, ""):
        return f"de {fmt(age_min)} à {fmt(age_max)}"
    if age_min not in (None, ""):
        return f"dès {fmt(age_min)}"
    if age_max not in (None, ""):
        return f"jusqu'à {fmt(age_max)}"
    return "non précisé"


def safe_url(value) -> str:
    """``value`` if it is an http(s) URL, else ``#`` (no ``javascript:`` link can come from the data)."""
    text = str(value or "")
    return text if text.startswith(("https://", "http://")) else "#"


env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(default=True),
                  trim_blocks=True, lstrip_blocks=True)
VIA_LABELS = {"actor": "cet acteur", "service_type": "son type de service", "sector": "son secteur"}
env.globals.update(VIA_LABELS=VIA_LABELS, MANDATE_LABELS=MANDATE_LABELS, KIND_LABELS=KIND_LABELS,
                   STATUS_LABELS=STATUS_LABELS, CONDITION_LABELS=CONDITION_LABELS, LANG_LABELS=LANG_LABELS,
                   yes_no=yes_no, age_range=age_range)
env.filters["safe_url"] = safe_url


def render(request: Request, template: str, status_code: int = 200, headers: dict | None = None,
           **context) -> HTMLResponse:
    """Render ``template`` with ``context`` (plus the request, the user and the CSRF token) as a French page."""

    user = current_user(request)
    context.setdefault("title", "Passe-muraille")
    page = env.get_template(template).render(request=request, user=user, csrf=csrf_token(request),
                                            path=request.url.path, **context)
    response = HTMLResponse(page, status_code=status_code, headers=headers)
    if user is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response


PAGE_CACHE_BYTES = 64 * 2 ** 20
"""Rendered anonymous pages kept per store version and URL, in bytes at most (least recently used dropped)."""
PAGES = ResponseCache(PAGE_CACHE_BYTES)


def _is_anonymous(request: Request) -> bool:
    """No credentials at all: no ``Authorization`` header, no session cookie (same answer for everyone)."""
    return "authorization" not in request.headers and SESSION_COOKIE not in request.cookies


async def anonymous_page(request: Request, store, build: Callable[[], Response]) -> Response:
    """``build()`` (run in a worker thread), cached for anonymous visitors per store version, path and query.

    A page built for an anonymous visitor depends only on the build being served and on the URL, and a build
    never changes once swapped in: successful answers are kept (:data:`PAGE_CACHE_BYTES` in all) and served
    from memory, so that a busy page does not take CPU from lookups. Signed-in users (whose pages may show
    private data and are ``no-store``) always get a freshly built page, which is never cached.
    """
    if not _is_anonymous(request):
        return await run_in_threadpool(build)
    key = (store_key(store), request.url.path, request.url.query)
    hit = PAGES.get(key)
    if hit is not None:
        return Response(hit[0], media_type=hit[1])
    response = await run_in_threadpool(build)
    if response.status_code == 200 and "set-cookie" not in response.headers \
            and "no-store" not in response.headers.get("cache-control", ""):
        PAGES.put(key, bytes(response.body), response.media_type or "text/html")
    return response


_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
          ".png": "image/png", ".ico": "image/x-icon", ".md": "text/plain; charset=utf-8"}


def static_file(path: str) -> FileResponse:
    """A file under ``api/static/`` (404 for anything outside it or hidden)."""
    if len(path) > 200 or any(part.startswith(".") for part in path.split("/")):
        raise HTTPException(status_code=404, detail="fichier introuvable")
    target = (STATIC_DIR / path).resolve()
    if STATIC_DIR.resolve() not in target.parents or not target.is_file():
        raise HTTPException(status_code=404, detail="fichier introuvable")
    media = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


def route_exists(request: Request, path: str) -> bool:
    """True if the application serves ``path`` (a route template such as ``/api/v1/glossary/autocomplete``)."""
    return any(getattr(route, "path", None) == path for route in request.app.routes)


def first_route(request: Request, *paths: str) -> str | None:
    """The first of ``paths`` that the application serves, or None."""
    for path in paths:
        if route_exists(request, path):
            return path
    return None


def error_page(request: Request, status_code: int, heading: str, message: str) -> HTMLResponse:
    """A French error page with ``status_code``."""
    return render(request, "error.html", status_code=status_code, title=heading, heading=heading, message=message)


class FormError(Exception):
    """A form body that is too large, not url-encoded or malformed."""

    def __init__(self, status_code: int, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.message = message


async def form_data(request: Request, max_bytes: int = 128 * 1024) -> dict[str, str]:
    """The url-encoded form of ``request`` (first value per field), read up to ``max_bytes``.

    Parsed here with the standard library (no multipart parser is needed: the pages post
    ``application/x-www-form-urlencoded`` only). Raises :class:`FormError` (413, 415 or 400).
    """

    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise FormError(415, "formulaire attendu (application/x-www-form-urlencoded)")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FormError(413, f"formulaire trop volumineux (au plus {max_bytes // 1024} Kio)")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise FormError(413, f"formulaire trop volumineux (au plus {max_bytes // 1024} Kio)")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=300)
    except (UnicodeDecodeError, ValueError):
        raise FormError(400, "formulaire illisible (UTF-8 attendu)") from None
    return {key: values[0] for key, values in fields.items()}
