"""Dependencies shared by the routers: the open store (reopened when a new build is swapped in)."""

from __future__ import annotations

import threading

from fastapi import HTTPException, Request

from graph.store import StoreError, open_store

__all__ = ["StoreHolder", "get_store"]


class StoreHolder:
    """Holds the open store and reopens it when a newer build has been swapped in; ``on_open(store)`` is called
    (outside the lock) each time a store version is opened."""

    def __init__(self, on_open=None):
        self._lock = threading.Lock()
        self._store = None
        self.on_open = on_open

    def get(self):
        opened = None
        with self._lock:
            if self._store is None or self._store.is_stale():
                try:
                    self._store = opened = open_store()
                except StoreError as err:
                    raise HTTPException(status_code=503, detail=str(err)) from None
            store = self._store
        if opened is not None and self.on_open is not None:
            self.on_open(opened)
        return store


async def get_store(request: Request):
    """FastAPI dependency: the current store (embedded or remote)."""
    return request.app.state.store.get()
