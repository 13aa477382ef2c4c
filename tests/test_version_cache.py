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


def test_frozen_values_are_out_of_the_collector_and_dropped_versions_are_collected():
    """With freeze_long_lived (the server's setting) a computed value leaves the cyclic collector's sight; once
    its version is dropped, even a value caught in a reference cycle is collected."""
    import gc
    import weakref

    from graph.version_cache import freeze_long_lived

    class Node:
        pass

    def cyclic(store):
        node = Node()
        node.me = node  # a reference cycle: only the cyclic collector can free it
        return node

    cache: PerVersionCache[Node] = PerVersionCache(1)
    freeze_long_lived(True)
    try:
        first = weakref.ref(cache.get(_store("v1"), cyclic))
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert first() is not None  # still cached
        cache.get(_store("v2"), cyclic)  # v1 dropped
        gc.collect()
        assert first() is None, "the dropped version's cycle was kept frozen"
    finally:
        freeze_long_lived(False)
    assert gc.get_freeze_count() == 0
