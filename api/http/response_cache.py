"""Answers kept in memory, bounded in bytes: the rendered anonymous pages and the memoised JSON answers.

A build never changes once swapped in, so an answer that depends only on the store version and the request
can be computed once and served again. :class:`ResponseCache` is a thread-safe least-recently-used map of
``key → (body, media type)`` whose total body size stays under ``max_bytes`` (``cachetools.LRUCache`` sized by
body length): varying the query string cannot make it grow without bound. An answer larger than an eighth of
the budget is not kept.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

from cachetools import LRUCache

__all__ = ["ResponseCache"]


class ResponseCache:
    """``get(key)`` → ``(body, media_type)`` or None; ``put(key, body, media_type)``."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=lambda value: len(value[0]))
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bytes, str] | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: Hashable, body: bytes, media_type: str) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            self._items[key] = (body, media_type)

    @property
    def size(self) -> int:
        """Bytes of the bodies kept."""
        with self._lock:
            return int(self._items.currsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items
