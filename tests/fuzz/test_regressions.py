"""Regression tests for what the fuzzer found (each named in the test's docstring)."""

from __future__ import annotations

import time

import httpx
import pytest

from graph.publish import exports


@pytest.fixture(scope="module")
def web(fuzz_server):
    with httpx.Client(base_url=fuzz_server.url, timeout=60) as client:
        yield client


@pytest.mark.parametrize("query", ["today=2024-01-01&today=0.1", "limit=1&limit=500", "sector=a&sector=b"])
def test_a_scalar_parameter_given_twice_is_refused(web, query):
    """``/api/v1/gaps?today=…&today=…`` was answered 200 with the last value (schemathesis: negative data
    accepted): a parameter that takes one value and is repeated is now a 422."""
    response = web.get(f"/api/v1/gaps?{query}")
    assert response.status_code == 422
    assert "given several times" in response.json()["detail"]


def test_list_parameters_may_still_repeat(web):
    response = web.get("/api/v1/actors?sector=aide-jeunesse&sector=aide-sociale&limit=1")
    assert response.status_code == 200


@pytest.mark.parametrize("today", ["0.1", "-2.2250738585e-313", "1700000000", "2024-02-30", "2024-1-1"])
def test_gaps_today_must_be_a_calendar_date(web, today):
    """``today=0.1`` was read as a Unix timestamp (1970-01-01) and accepted."""
    response = web.get("/api/v1/gaps", params={"today": today})
    assert response.status_code == 422
    assert response.json()["detail"]


def test_gaps_today_accepts_a_date(web):
    assert web.get("/api/v1/gaps", params={"today": "2024-02-29", "limit": 2}).status_code == 200


@pytest.mark.parametrize("fmt", ["turtle", "rdfxml"])
def test_rdf_export_within_the_bound(bundled_store_dir, fmt):
    """The first Turtle export of the bundled data took 6–12 s (rdflib's serialiser); now Oxigraph's."""
    from graph.store import EmbeddedStore

    store = EmbeddedStore(bundled_store_dir)  # a fresh instance: nothing cached yet
    started = time.perf_counter()
    exports.rdf_export(store, fmt)
    assert time.perf_counter() - started < 5
