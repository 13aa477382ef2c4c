"""FastAPI application factory: the same library functions as the CLI, served over HTTP.

JSON routers live in ``api/routers/`` (one per resource), HTML pages in ``api/pages/``; both are included
explicitly, in the order of ``ROUTERS``. The web layer adds no logic of its own: it calls ``graph.*`` functions.
Every error of the API answers ``{"detail": "one line"}``, of a page a French page (never a traceback;
:mod:`api.http.errors`); every response carries the security
headers of :mod:`api.http.security`; request bodies are capped by :mod:`api.http.limits`. The interactive Swagger/
ReDoc pages are off (they load their assets from a CDN); the OpenAPI document is at ``/openapi.json``.
"""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI, HTTPException

from api.deps import StoreHolder
from api.http.conventions import one_line
from api.http.errors import install as install_error_handlers
from api.http.limits import BodySizeLimitMiddleware
from api.http.rate_limit import RateLimitMiddleware
from api.http.security import install as install_security_headers
from api.pages import directory as directory_pages
from api.pages import guides, maps, protocols, site
from api.routers import (
    actors,
    contacts,
    core,
    directory,
    editing,
    exports,
    glossary,
    linked_data,
    network,
    reference,
    sparql,
)
from api.warm_up import WarmUp, level_from_env, memory_from_env
from graph.config import endpoint_url, store_dir
from graph.ops.backup import complete_pending_restore
from graph.store import StoreError
from graph.version_cache import freeze_long_lived

ROUTERS = (core, glossary, actors, directory, reference, network, exports, sparql, linked_data, editing, contacts,
           guides, maps, directory_pages, protocols, site)
"""Router modules, in inclusion order; the site's pages last (they own ``/``)."""

log = logging.getLogger("passe_muraille.api")


def _install_error_handlers(app: FastAPI) -> None:
    """JSON errors for the API, French HTML error pages for people (:mod:`api.http.errors`)."""
    install_error_handlers(app)


def create_app() -> FastAPI:
    """Build the application (uvicorn factory)."""
    app = FastAPI(title="Passe-muraille", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Knowledge graph of the actors, sectors and jargon of child, youth and social aid.")
    _finish_interrupted_restore()
    app.state.store = StoreHolder()
    _install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    freeze_long_lived()
    _start_warm_up(app)
    app.add_middleware(BodySizeLimitMiddleware)
    app.add_middleware(RateLimitMiddleware)  # outermost of the two: a flood is refused before bodies are read
    install_security_headers(app)
    return app


def _start_warm_up(app: FastAPI) -> None:
    """Warm each store version the server opens in the background (:mod:`api.warm_up`), starting with the one
    served at start-up; ``PASSE_MURAILLE_WARMUP`` (full, light, off) says how much."""
    memory_from_env()  # a bad value stops the start, as a bad level does
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

    if endpoint_url():
        return
    try:
        if complete_pending_restore(store_dir()):
            log.warning("completed a restore that had been interrupted in %s", store_dir())
    except (OSError, StoreError) as err:
        log.error("could not complete an interrupted restore: %s", err)
