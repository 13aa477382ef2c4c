"""The app as the browser tests run it: the real factory, with the security headers of :mod:`api.http.security`
added if the factory does not add them yet (so that the tests see the Content-Security-Policy)."""

from __future__ import annotations

from api.app import create_app as _create_app
from api.http.security import SecurityHeadersMiddleware, install


def create_app():
    app = _create_app()
    if not any(m.cls is SecurityHeadersMiddleware for m in app.user_middleware):
        install(app)
    return app
