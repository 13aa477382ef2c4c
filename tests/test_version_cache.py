"""PerVersionCache: one value per store version, computed once even when asked by several threads at once."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from graph.version_cache import PerVersionCache


def _store(version: str):
    return SimpleNamespace(kind="embedded", root="/s", version=version)


def test_concurrent_requests_compute_once():
    cache: PerVersionCache[int] = PerVersionCache(2)
    calls = []

    def slow(store):
        calls.append(store.version)
        time.sleep(0.2)
        return len(calls)

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(_store("v1"), slow))) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["v1"] and results == [1] * 5


def test_versions_are_kept_apart_and_bounded():
    cache: PerVersionCache[str] = PerVersionCache(2)
    assert cache.peek(_store("a")) is None
    for v in ("a", "b", "c"):
        assert cache.get(_store(v), lambda s: s.version * 2) == v * 2
    assert cache.peek(_store("a")) is None and cache.peek(_store("c")) == "cc"


def test_a_failed_computation_is_not_cached():
    cache: PerVersionCache[str] = PerVersionCache(2)

    def boom(store):
        raise RuntimeError("no")

    try:
        cache.get(_store("x"), boom)
    except RuntimeError:
        pass
    assert cache.get(_store("x"), lambda s: "ok") == "ok"
