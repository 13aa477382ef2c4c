"""FastAPI application factory: the same library functions as the CLI, served over HTTP.

Routers live in ``api/routers/`` (one per resource) and are included in the order of ``ROUTERS``
when their module exists. The web layer adds no logic of its own: it calls ``graph.*`` functions.
"""

from __future__ import annotations

import importlib

from fastapi import FastAPI

from api.deps import StoreHolder

ROUTERS = ("core", "glossary", "actors", "reference", "network", "exports", "sparql", "linked_data",
           "editing", "maps", "pages")
"""Router modules under ``api.routers``; ``pages`` last (it may own ``/``)."""


def create_app() -> FastAPI:
    """Build the application (uvicorn factory)."""
    app = FastAPI(title="Passe-muraille", version="0.1.0",
                  description="Knowledge graph of the actors, sectors and jargon of child, youth and social aid.")
    app.state.store = StoreHolder()
    for name in ROUTERS:
        try:
            module = importlib.import_module(f"api.routers.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"api.routers.{name}":
                raise
            continue
        app.include_router(module.router)
    if not any(getattr(route, "path", None) == "/" for route in app.routes):
        _placeholder_home(app)
    return app


def _placeholder_home(app: FastAPI) -> None:
    from fastapi.responses import HTMLResponse

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        store = app.state.store.get()
        return ("<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Passe-muraille</title></head>"
                "<body><main><h1>Passe-muraille</h1><p>Le graphe des acteurs, des secteurs et du jargon de "
                f"l'aide à l'enfance, à la jeunesse et de l'aide sociale. Version {store.version}.</p>"
                "<p>API : <a href='/docs'>/docs</a></p></main></body></html>")
