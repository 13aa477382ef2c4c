"""Health check and statistics."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from api.deps import get_store
from api.http.conventions import error_responses
from graph.query.stats import graph_stats

router = APIRouter()


@router.get("/health", tags=["meta"], responses=error_responses(503))
def health(request: Request, store=Depends(get_store)) -> dict:
    """Liveness, the version of the graph being served, whether it is read from an in-memory copy, and the progress
    of the warm-up (:mod:`api.warm_up`)."""
    warm_up = getattr(request.app.state, "warm_up", None)
    return {"status": "ok", "version": store.version, "in_memory": bool(getattr(store, "in_memory", False)),
            "warm_up": warm_up.status() if warm_up else {"state": "off"}}


@router.get("/api/v1/stats", tags=["stats"], responses=error_responses(429, 503))
def stats(store=Depends(get_store)) -> dict:
    """Counts per class, share of sourced rows, per source, coverage per country and sector."""
    return graph_stats(store)
