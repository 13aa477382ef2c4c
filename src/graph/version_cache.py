"""A small bounded cache of values computed once per store version.

A build never changes after it is swapped in, so anything derived from a store (the glossary index, the
network projection…) can be kept for as long as that version is served. Keys combine where the store
lives and its version; the oldest entries are dropped beyond ``size``. Computation is single-flight: when
several threads ask for the same missing value, one computes it and the others wait for that result
instead of computing it again (at national scale a projection costs seconds and a gigabyte).

A long-running server calls :func:`freeze_long_lived`: each value, once computed, is then moved out of the
cyclic garbage collector's sight (:func:`gc.freeze`), so that a full collection no longer rescans millions of
objects that live as long as their version (a 75–140 ms pause under load on the bundled store, seconds at
national scale). When a version is dropped the objects are handed back (:func:`gc.unfreeze`), so that its
reference cycles, if any, are still collected.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from cachetools import LRUCache

__all__ = ["PerVersionCache", "SingleFlight", "store_key", "freeze_long_lived", "freeze_if_long_lived"]

T = TypeVar("T")
_FREEZE = False


def freeze_long_lived(enabled: bool = True) -> None:
    """Freeze what exists after each computed value (the server's choice, not a library default: it also
    freezes the caller's other objects)."""
    global _FREEZE
    _FREEZE = enabled
    if enabled:
        gc.freeze()
    else:
        gc.unfreeze()


def freeze_if_long_lived() -> None:
    """Freeze what exists now if the process chose :func:`freeze_long_lived`: for values kept for as long as
    their version but cached elsewhere than in a :class:`PerVersionCache` (on a projection, after a warm-up)."""
    if _FREEZE:
        gc.freeze()


def store_key(store) -> tuple[str, str, str]:
    """(kind, location, version) of an embedded or remote store."""
    where = getattr(store, "root", None) or getattr(store, "url", None) or id(store)
    return getattr(store, "kind", "?"), str(where), str(getattr(store, "version", None))


class SingleFlight:
    """One computation per key at a time: :meth:`hold` a key, check whether its value exists, compute it if not;
    a second caller of the same key waits meanwhile, then finds the value."""

    def __init__(self):
        self._lock = threading.Lock()
        self._flights: dict = {}

    @contextmanager
    def hold(self, key) -> Iterator[None]:
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            try:
                yield
            finally:
                with self._lock:
                    if self._flights.get(key) is flight:
                        del self._flights[key]


class PerVersionCache(Generic[T]):
    """``get(store, compute)`` returns ``compute(store)``, computed once per store version."""

    def __init__(self, size: int = 4):
        self.size = size
        self._items: OrderedDict[tuple, T] = OrderedDict()
        self._lock = threading.Lock()
        self._flights = SingleFlight()

    def peek(self, store) -> T | None:
        """The cached value for ``store``'s version, or None (never computes, never waits)."""
        with self._lock:
            return self._items.get(store_key(store))

    def get(self, store, compute: Callable[[object], T]) -> T:
        key = store_key(store)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        with self._flights.hold(key):  # one computation per key; readers of other versions are not blocked
            with self._lock:
                if key in self._items:
                    return self._items[key]
            value = compute(store)
            with self._lock:
                self._items[key] = value
                dropped = 0
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                    dropped += 1
            if _FREEZE:
                if dropped:  # one full collection per version change, for the cycles of the one dropped
                    gc.unfreeze()
                    gc.collect()
                gc.freeze()
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
        if _FREEZE:
            gc.unfreeze()


class KeyedVersionCache:
    """``get(store, key, compute)``: ``compute()`` memoised per store version and ``key``, the ``size`` most
    recently used keys of the current versions kept (one :class:`PerVersionCache` of LRU tables), each key
    computed once at a time (:class:`SingleFlight`)."""

    def __init__(self, size: int = 256, versions: int = 2):
        self._tables: PerVersionCache[LRUCache] = PerVersionCache(versions)
        self._size = size
        self._lock = threading.Lock()
        self._flights = SingleFlight()

    def get(self, store, key: tuple, compute: Callable[[], T]) -> T:
        table = self._tables.get(store, lambda _store: LRUCache(maxsize=self._size))
        with self._lock:
            if key in table:
                return table[key]
        with self._flights.hold((store_key(store), key)):
            with self._lock:
                if key in table:
                    return table[key]
            value = compute()
            with self._lock:
                table[key] = value
        return value

    def clear(self) -> None:
        self._tables.clear()
