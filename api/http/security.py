"""Security headers on every response (pure ASGI middleware; wire with :func:`install`).

* ``Content-Security-Policy``: scripts, styles, fonts and connections from the app itself only — no inline
  script, no ``eval`` (no ``unsafe-eval``, no ``unsafe-inline`` for scripts), images from the app or ``data:``
  (vis-network's CSS icons), no plugin, no ``<base>``, forms posted to the app only, ``frame-ancestors 'none'``.
  A route that sets its own policy keeps it (the offline map download is sandboxed with its own).
  The interactive API docs (``/docs``, ``/redoc``) are left without a policy: FastAPI's pages load their
  assets from a CDN and run an inline script.
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``, ``X-Frame-Options: DENY`` (older
  browsers), ``Cross-Origin-Opener-Policy: same-origin``, ``Permissions-Policy`` denying sensors.
"""

from __future__ import annotations

__all__ = ["CSP", "SecurityHeadersMiddleware", "install", "DOCS_PATHS"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/redoc")
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response that does not already carry them."""

    def __init__(self, app, csp: str = CSP):
        self.app = app
        self.csp = csp.encode("latin-1")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope.get("path", "").startswith(DOCS_PATHS)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in _HEADERS:
                    if name not in present:
                        headers.append((name, value))
                if not docs and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", self.csp))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app) -> None:
    """Add :class:`SecurityHeadersMiddleware` to a FastAPI/Starlette ``app`` (call once, in the app factory)."""
    app.add_middleware(SecurityHeadersMiddleware)
