"""Per-client rate limit on every route: over the limit → 429 + Retry-After with a one-line reason; forged
proxy headers do not give a fresh budget; another client address is not affected; health stays answered."""

from __future__ import annotations

import time

import httpx
import pytest

from api.http.rate_limit import DEFAULT_RATE_LIMIT, configured_limits
from tests.web_api.conftest import start_server, stop_server

LIMIT = 8


@pytest.fixture(scope="module")
def limited(bundled_store_dir):
    server = start_server(bundled_store_dir, {"PASSE_MURAILLE_RATE_LIMIT": f"{LIMIT}/minute"})
    yield server
    stop_server(server)


@pytest.fixture(autouse=True)
def one_window():
    """Start each burst early in a clock minute, so that it stays within one window of the limiter.

    The limiter (``limits``' sliding-window counter) counts per clock minute and weighs the previous minute
    by the time left; a burst that crosses a minute boundary may get one request more through. Each test uses
    its own client address, so its previous minute is empty and the count within one minute is exact.
    """
    into_minute = time.time() % 60
    if into_minute > 40:
        time.sleep(60.5 - into_minute)


def _get(url: str, path: str, local: str = "127.0.0.1", headers: dict | None = None) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=local)
    with httpx.Client(base_url=url, transport=transport, timeout=30) as client:
        return client.get(path, headers=headers or {})


def test_over_the_limit_is_refused_with_retry_after(limited):
    statuses = [_get(limited.url, "/api/v1/glossary/lookup?q=AMO", "127.0.0.11").status_code for _ in range(LIMIT)]
    assert statuses == [200] * LIMIT
    refused = _get(limited.url, "/api/v1/glossary/lookup?q=AMO", "127.0.0.11")
    assert refused.status_code == 429
    assert "too many requests from this address" in refused.json()["detail"]
    assert "\n" not in refused.json()["detail"]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-content-type-options"] == "nosniff"  # security headers on refusals too
    # pages are limited as well, not only the API
    assert _get(limited.url, "/acteurs/amo-passages", "127.0.0.11").status_code == 429


def test_forged_forwarding_headers_do_not_reset_the_budget(limited):
    for _ in range(LIMIT):
        _get(limited.url, "/", "127.0.0.12")
    for i in range(5):
        forged = {"X-Forwarded-For": f"10.9.{i}.1", "X-Real-IP": f"10.8.{i}.1", "Forwarded": f"for=10.7.{i}.1"}
        assert _get(limited.url, "/", "127.0.0.12", forged).status_code == 429


def test_other_clients_and_health_are_not_affected(limited):
    for _ in range(LIMIT + 2):
        _get(limited.url, "/api/v1/stats", "127.0.0.13")
    assert _get(limited.url, "/api/v1/stats", "127.0.0.13").status_code == 429
    assert _get(limited.url, "/health", "127.0.0.13").status_code == 200
    assert _get(limited.url, "/api/v1/stats", "127.0.0.14").status_code == 200


def test_limit_configuration_is_checked():
    assert [str(item) for item in configured_limits(DEFAULT_RATE_LIMIT)] == ["120 per 1 second", "5000 per 1 minute"]
    assert configured_limits("off") == []
    with pytest.raises(ValueError, match="PASSE_MURAILLE_RATE_LIMIT"):
        configured_limits("lots please")
