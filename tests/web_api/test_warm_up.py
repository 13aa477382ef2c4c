"""The server warms each store version it opens in the background (api.warm_up), reports it on /health, and
warms a new build once it is swapped in; the level is configurable and a bad value is refused at start-up."""

from __future__ import annotations

import shutil
import threading
import time

import httpx
import pytest

from api.warm_up import STEPS, WarmUp
from graph.build.pipeline import build
from graph.network.projection import projection_from_rows
from tests.web_api.conftest import start_server, stop_server, wait_warm_up


def test_the_live_server_warmed_every_step_of_its_version(live_server):
    status = wait_warm_up(live_server.url)
    health = httpx.get(f"{live_server.url}/health").json()
    assert status["state"] == "done", status
    assert status["version"] == health["version"]
    assert list(status["done"]) == [name for name, _step in STEPS]
    assert status["failed"] == [] and status["running"] is None
    assert status["seconds"] >= sum(status["done"].values()) * 0.99


def test_a_new_build_is_warmed_once_swapped_in(tmp_path, data_copy):
    store = tmp_path / "store"
    build(data_copy, store)
    server = start_server(store)
    try:
        first = wait_warm_up(server.url)
        assert first["state"] == "done"
        sectors = data_copy / "sectors.csv"
        text = sectors.read_text(encoding="utf-8")
        assert ",youth aid and child protection," in text
        sectors.write_text(text.replace(",youth aid and child protection,", ",youth aid and child welfare,", 1),
                           encoding="utf-8")
        build(data_copy, store)
        version = httpx.get(f"{server.url}/health").json()["version"]  # this request opens the new build
        assert version != first["version"]
        second = wait_warm_up(server.url)
        assert second["state"] == "done" and second["version"] == version
        assert list(second["done"]) == [name for name, _step in STEPS]
    finally:
        stop_server(server)


def test_warm_up_off_and_light(tmp_path, bundled_store_dir):
    store = tmp_path / "store"
    shutil.copytree(bundled_store_dir, store, symlinks=True)
    for level, steps in (("off", []), ("light", ["memory", "glossary", "pages"])):
        server = start_server(store, {"PASSE_MURAILLE_WARMUP": level})
        try:
            status = wait_warm_up(server.url)
            assert status["state"] == ("off" if level == "off" else "done")
            assert list(status.get("done", {})) == steps
            assert httpx.get(f"{server.url}/health").json()["in_memory"] is (level == "light")
        finally:
            stop_server(server)


def test_the_memory_copy_answers_as_the_disk_store_does(tmp_path, bundled_store_dir):
    store = tmp_path / "store"
    shutil.copytree(bundled_store_dir, store, symlinks=True)
    answers = {}
    for memory in ("on", "off"):
        server = start_server(store, {"PASSE_MURAILLE_WARMUP": "light", "PASSE_MURAILLE_STORE_MEMORY": memory})
        try:
            wait_warm_up(server.url)
            assert httpx.get(f"{server.url}/health").json()["in_memory"] is (memory == "on")
            answers[memory] = [httpx.get(f"{server.url}{path}", timeout=60).json() for path in
                               ("/api/v1/stats", "/api/v1/actors?age=15&limit=500",
                                "/api/v1/exports/hsds/organizations", "/api/v1/glossary/lookup?q=AMO",
                                "/api/v1/brokers?limit=50")]
        finally:
            stop_server(server)
    assert answers["on"] == answers["off"]
    stats, aged, organisations, _lookup, _brokers = answers["on"]
    assert stats["by_class"]["actor"] > aged["total"] > 100 and len(organisations) > 100


def test_a_bad_memory_setting_stops_the_start_with_a_clear_error(monkeypatch):
    from api.app import create_app

    monkeypatch.setenv("PASSE_MURAILLE_STORE_MEMORY", "maybe")
    with pytest.raises(ValueError, match="PASSE_MURAILLE_STORE_MEMORY must be on or off"):
        create_app()


def test_a_bad_warm_up_level_stops_the_start_with_a_clear_error(monkeypatch):
    from api.app import create_app

    monkeypatch.setenv("PASSE_MURAILLE_WARMUP", "sometimes")
    with pytest.raises(ValueError, match="PASSE_MURAILLE_WARMUP must be one of full, light, off"):
        create_app()


class _Store:
    def __init__(self, version):
        self.version = version


def test_an_older_version_stops_warming_when_a_newer_one_is_opened():
    started, release = threading.Event(), threading.Event()
    ran: list[tuple[str, str]] = []

    def slow(store):
        ran.append(("slow", store.version))
        started.set()
        release.wait(10)

    def quick(store):
        ran.append(("quick", store.version))

    warm = WarmUp("full")
    warm.steps = (("slow", slow), ("quick", quick))
    old, new = _Store("old"), _Store("new")
    warm.schedule(old)
    assert started.wait(10)
    release.clear()
    started.clear()
    warm.schedule(new)
    assert started.wait(10)
    release.set()
    deadline = time.monotonic() + 10
    while warm.status()["state"] != "done" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert warm.status()["version"] == "new" and list(warm.status()["done"]) == ["slow", "quick"]
    time.sleep(0.1)
    assert ("quick", "old") not in ran and ("quick", "new") in ran


def test_a_failing_step_is_reported_and_the_next_ones_still_run(caplog):
    def broken(store):
        raise RuntimeError("store unavailable:\n disk read error in /srv/secret/path")

    warm = WarmUp("full")
    warm.steps = (("broken", broken), ("fine", lambda store: None))
    warm.schedule(_Store("v"))
    deadline = time.monotonic() + 10
    while warm.status()["state"] != "done" and time.monotonic() < deadline:
        time.sleep(0.01)
    status = warm.status()
    assert status["failed"] == ["broken"] and list(status["done"]) == ["fine"]
    assert "/srv/secret/path" not in str(status)  # /health is public: the error is only logged
    assert "warm-up step broken failed: store unavailable: disk read error in /srv/secret/path" in caplog.text


def test_projection_values_are_computed_once_while_several_threads_ask():
    p = projection_from_rows("v", actors=[{"a": "x", "label": "X", "kind": "service", "country": "be"}])
    calls, gate = [], threading.Event()

    def compute():
        calls.append(1)
        gate.wait(5)
        return {"answer": 42}

    results = []
    threads = [threading.Thread(target=lambda: results.append(p.cached("k", compute))) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1 and results == [{"answer": 42}] * 4
    assert p.cached("k", lambda: {"answer": 0}) == {"answer": 42}
