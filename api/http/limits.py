"""Request-size limit for the whole app (pure ASGI middleware).

uvicorn and FastAPI set no limit on request bodies: a body larger than ``max_bytes`` (declared by
``Content-Length`` or counted while streaming) is answered ``413`` with a one-line JSON reason before any
route sees it. Configure with ``PASSE_MURAILLE_MAX_BODY`` (bytes, default 2 MiB).
"""

from __future__ import annotations

import os

__all__ = ["BodySizeLimitMiddleware", "max_body_bytes"]

DEFAULT_MAX_BODY = 2 * 1024 * 1024


def max_body_bytes() -> int:
    """The configured limit in bytes."""
    try:
        return max(1024, int(os.environ.get("PASSE_MURAILLE_MAX_BODY", DEFAULT_MAX_BODY)))
    except ValueError:
        return DEFAULT_MAX_BODY


class BodySizeLimitMiddleware:
    """Refuses request bodies over the limit with 413."""

    def __init__(self, app, max_bytes: int | None = None):
        self.app = app
        self.max_bytes = max_bytes or max_body_bytes()

    async def _refuse(self, scope, send) -> None:
        from api.http.errors import error_body

        body, media = error_body(scope, 413, f"request body larger than {self.max_bytes} bytes")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await self._refuse(scope, send)
                    return
        received = 0
        refused = False

        async def counted_receive():
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # answer 413 now; the app sees a client that went away, and its answer is dropped
                    refused = True
                    await self._refuse(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not refused:
                await send(message)

        await self.app(scope, counted_receive, guarded_send)
