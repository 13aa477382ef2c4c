"""FastAPI application factory: the same library functions as the CLI, served over HTTP.

Routers live in ``api/routers/`` (one per resource) and are included in the order of ``ROUTERS``
when their module exists. The web layer adds no logic of its own: it calls ``graph.*`` functions.
Every error answers ``{"detail": "one line"}`` (never a traceback); every response carries the security
headers of :mod:`api.security`; request bodies are capped by :mod:`api.limits`. The interactive Swagger/
ReDoc pages are off (they load their assets from a CDN); the OpenAPI document is at ``/openapi.json``.
"""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import StoreHolder
from api.limits import BodySizeLimitMiddleware
from api.rate_limit import RateLimitMiddleware
from api.routers._http import one_line, validation_message
from graph.store import StoreError
from graph.version_cache import freeze_long_lived

ROUTERS = ("core", "glossary", "actors", "reference", "network", "exports", "sparql", "linked_data",
           "editing", "contacts", "guides", "maps", "pages")
"""Router modules under ``api.routers``; ``pages`` last (it may own ``/``)."""

log = logging.getLogger("passe_muraille.api")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, err: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_message(err)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, err: StarletteHTTPException) -> JSONResponse:
        detail = err.detail if isinstance(err.detail, str) else "request refused"
        return JSONResponse({"detail": one_line(detail)}, status_code=err.status_code,
                            headers=getattr(err, "headers", None))

    @app.exception_handler(StoreError)
    async def store_error(_request: Request, err: StoreError) -> JSONResponse:
        return JSONResponse({"detail": one_line(f"store unavailable: {err}")}, status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, err: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=err)
        return JSONResponse({"detail": "internal error; it has been logged"}, status_code=500)


def create_app() -> FastAPI:
    """Build the application (uvicorn factory)."""
    app = FastAPI(title="Passe-muraille", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Knowledge graph of the actors, sectors and jargon of child, youth and social aid.")
    _finish_interrupted_restore()
    app.state.store = StoreHolder()
    _install_error_handlers(app)
    for name in ROUTERS:
        try:
            module = importlib.import_module(f"api.routers.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"api.routers.{name}":
                raise
            continue
        app.include_router(module.router)
    if not _serves_home(app):
        _placeholder_home(app)
    freeze_long_lived()
    _start_warm_up(app)
    app.add_middleware(BodySizeLimitMiddleware)
    app.add_middleware(RateLimitMiddleware)  # outermost of the two: a flood is refused before bodies are read
    try:
        from api.security import install as install_security_headers
    except ModuleNotFoundError:  # pragma: no cover - the module ships with the app
        pass
    else:
        install_security_headers(app)
    return app


def _start_warm_up(app: FastAPI) -> None:
    """Warm each store version the server opens in the background (:mod:`api.warm_up`), starting with the one
    served at start-up; ``PASSE_MURAILLE_WARMUP`` (full, light, off) says how much."""
    import threading

    from fastapi import HTTPException

    from api.warm_up import WarmUp, level_from_env

    warm_up = WarmUp(level_from_env())
    app.state.warm_up = warm_up
    app.state.store.on_open = warm_up.schedule
    if not warm_up.steps:
        return

    def open_store() -> None:
        try:
            app.state.store.get()  # opening it schedules its warm-up
        except HTTPException as err:  # no build yet: the first build's version is warmed when it is opened
            log.warning("warm-up waiting for a store: %s", one_line(str(err.detail)))

    threading.Thread(target=open_store, name="passe-muraille-open-store", daemon=True).start()


def _finish_interrupted_restore() -> None:
    """Roll forward a restore that a crash cut short after its commit point (embedded store only)."""
    from graph.backup import complete_pending_restore
    from graph.config import endpoint_url, store_dir

    if endpoint_url():
        return
    try:
        if complete_pending_restore(store_dir()):
            log.warning("completed a restore that had been interrupted in %s", store_dir())
    except (OSError, StoreError) as err:
        log.error("could not complete an interrupted restore: %s", err)


def _serves_home(app: FastAPI) -> bool:
    """True if a router answers GET / (the paths of included routers, flattened)."""
    client_paths = {getattr(route, "path", None) for route in app.router.routes}
    if "/" in client_paths:
        return True
    from fastapi.routing import APIRoute

    return any(isinstance(route, APIRoute) and route.path == "/" for route in app.router.routes)


def _placeholder_home(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        store = app.state.store.get()
        return ("<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Passe-muraille</title></head>"
                "<body><main><h1>Passe-muraille</h1><p>Le graphe des acteurs, des secteurs et du jargon de "
                f"l'aide à l'enfance, à la jeunesse et de l'aide sociale. Version {store.version}.</p>"
                "<p>API : <a href='/openapi.json'>/openapi.json</a></p></main></body></html>")

