"""FastAPI application factory: the same library functions as the CLI, served over HTTP.

The full API, pages, SPARQL endpoint and maps are built by the web issue; this factory already
opens the configured store (reopened when a new build is swapped in) and serves a placeholder home page,
a health check and the statistics.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse

from graph.stats import graph_stats
from graph.store import StoreError, open_store


class StoreHolder:
    """Holds the open store and reopens it when a newer build has been swapped in."""

    def __init__(self):
        self._lock = threading.Lock()
        self._store = None

    def get(self):
        with self._lock:
            if self._store is None or self._store.is_stale():
                try:
                    self._store = open_store()
                except StoreError as err:
                    raise HTTPException(status_code=503, detail=str(err)) from None
            return self._store


HOME = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Passe-muraille</title></head>
<body><main><h1>Passe-muraille</h1>
<p>Le graphe des acteurs, des secteurs et du jargon de l'aide à l'enfance, à la jeunesse et de l'aide sociale.</p>
<p>Version du graphe : <code>{version}</code> — {triples} triplets.</p>
<p>Les pages de recherche, de décodage et les cartes arrivent ; l'API est décrite sur <a href="/docs">/docs</a>.</p>
</main></body></html>
"""


def create_app() -> FastAPI:
    """Build the application (uvicorn factory)."""
    app = FastAPI(title="Passe-muraille", version="0.1.0",
                  description="Knowledge graph of the actors, sectors and jargon of child, youth and social aid.")
    holder = StoreHolder()
    app.state.store = holder

    @app.get("/health")
    def health() -> dict:
        store = holder.get()
        return {"status": "ok", "version": store.version}

    @app.get("/api/v1/stats")
    def stats() -> dict:
        return graph_stats(holder.get())

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        store = holder.get()
        return HOME.format(version=store.version, triples=len(store))

    return app
