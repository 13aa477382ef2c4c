"""Per-client rate limit for every route (pure ASGI middleware over the ``limits`` library).

A *client* is the socket's peer address (``scope["client"]``), never a header: ``X-Forwarded-For``,
``Forwarded`` or ``X-Real-IP`` cannot be forged to get a fresh budget (uvicorn runs with
``--no-proxy-headers``; behind a reverse proxy, see ``docs/SECURITY.md``). Each request costs 1 against
every limit of ``PASSE_MURAILLE_RATE_LIMIT`` (default ``120/second;5000/minute``, the ``limits`` notation,
sliding-window counters kept in memory); a client over one of them gets ``429`` with ``Retry-After`` (whole
seconds until the window lets it in again) and a one-line JSON reason, before any route runs. ``off``
disables the limit. The SPARQL endpoint keeps its own, stricter concurrency caps on top of this one.
"""

from __future__ import annotations

import math
import os
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

__all__ = ["RateLimitMiddleware", "DEFAULT_RATE_LIMIT", "configured_limits"]

DEFAULT_RATE_LIMIT = "120/second;5000/minute"
ENV = "PASSE_MURAILLE_RATE_LIMIT"
EXEMPT_PATHS = ("/health", "/api/v1/health")
"""Health checks answer whatever the client did: a monitor must see the service even if it polls hard."""


def configured_limits(value: str | None = None) -> list[RateLimitItem]:
    """The limits of ``value`` (default: the environment, else :data:`DEFAULT_RATE_LIMIT`); ``off`` → none.

    A value that does not parse is an error at start-up, not a silently disabled limit.
    """
    value = (value if value is not None else os.environ.get(ENV, DEFAULT_RATE_LIMIT)).strip()
    if value.lower() in ("off", "none", "0"):
        return []
    try:
        return parse_many(value)
    except ValueError as err:
        raise ValueError(f"{ENV}={value!r} is not a rate limit such as {DEFAULT_RATE_LIMIT!r}: {err}") from None


class RateLimitMiddleware:
    """Answers 429 + ``Retry-After`` to a peer address over any of its limits."""

    def __init__(self, app, limits: list[RateLimitItem] | None = None):
        self.app = app
        self.limits = configured_limits() if limits is None else limits
        self.limiter = SlidingWindowCounterRateLimiter(MemoryStorage())

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.limits or scope.get("path") in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        for item in self.limits:
            if not self.limiter.hit(item, client):
                await self._refuse(scope, send, item, client)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, scope, send, item: RateLimitItem, client: str) -> None:
        reset = self.limiter.get_window_stats(item, client).reset_time
        retry = max(1, math.ceil(reset - time.time()))
        from api.http.errors import error_body

        data, media = error_body(scope, 429, f"too many requests from this address (limit {item}); retry in {retry} s")
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", media), (b"content-length", str(len(data)).encode()),
                                (b"retry-after", str(retry).encode()), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": data})
