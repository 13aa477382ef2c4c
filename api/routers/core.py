"""Health check and statistics."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import get_store
from graph.stats import graph_stats

router = APIRouter()


@router.get("/health", tags=["meta"])
def health(store=Depends(get_store)) -> dict:
    """Liveness and the version of the graph being served."""
    return {"status": "ok", "version": store.version}


@router.get("/api/v1/stats", tags=["stats"])
def stats(store=Depends(get_store)) -> dict:
    """Counts per class, share of sourced rows, per source, coverage per country and sector."""
    return graph_stats(store)
