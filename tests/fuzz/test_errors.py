"""Errors for people and for programs (:mod:`api.http.errors`): French HTML pages in the site layout for browsers on
the site's pages and on unknown paths, ``{"detail": "…"}`` for the API, the SPARQL endpoint and the health check."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from api.http.errors import error_body, wants_html

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def web(fuzz_server):
    with httpx.Client(base_url=fuzz_server.url, timeout=30) as client:
        yield client


def _is_french_page(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    body = response.text
    assert '<html lang="fr"' in body or "<html lang='fr'" in body
    assert "Retour à l'accueil" in body
    assert "/static/css/site.css" in body  # the site layout
    assert "Traceback" not in body and '"detail"' not in body


def test_unknown_path_from_a_browser_is_a_french_page(web):
    _is_french_page(web.get("/nulle-part/ici", headers=BROWSER), 404)


def test_unknown_path_from_a_program_is_json(web):
    response = web.get("/nulle-part/ici", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json() == {"detail": "no such path"}


def test_method_not_allowed_on_a_page_is_a_french_page(web):
    _is_french_page(web.delete("/decoder", headers=BROWSER), 405)


def test_validation_error_on_a_page_is_a_french_page(web):
    _is_french_page(web.get("/homologues", params={"acteur": "x" * 500}, headers=BROWSER), 422)


def test_missing_static_file_is_a_french_page(web):
    _is_french_page(web.get("/static/nope.css", headers=BROWSER), 404)


@pytest.mark.parametrize("path", ["/api/v1/actors/zzz-unknown", "/api/v1/nothing-here", "/api/v1/actors?limit=-1"])
def test_api_errors_stay_json_even_for_browsers(web, path):
    response = web.get(path, headers=BROWSER)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/json")
    assert set(response.json()) >= {"detail"} and isinstance(response.json()["detail"], str)


def test_sparql_and_health_errors_stay_json(web):
    response = web.post("/sparql", content=b"x", headers={**BROWSER, "Content-Type": "text/plain"})
    assert response.status_code == 415 and response.json()["detail"]
    response = web.delete("/health", headers=BROWSER)
    assert response.status_code == 405 and response.json()["detail"]


def test_choice_by_route_and_accept():
    assert wants_html("/acteurs/x", "text/html")
    assert not wants_html("/acteurs/x", "application/json")
    assert not wants_html("/acteurs/x", "text/html;q=0, application/json")
    assert not wants_html("/api/v1/actors", "text/html")
    assert not wants_html("/sparql", "text/html")
    assert not wants_html("/health", "text/html")


def test_middleware_refusals_follow_the_same_choice():
    """429 (rate limit) and 413 (body size) are answered before any route: a page for a browser, JSON otherwise."""
    page, media = error_body({"path": "/decoder", "headers": [(b"accept", b"text/html")]}, 429, "too many")
    assert media.startswith(b"text/html") and b"Trop de demandes" in page
    body, media = error_body({"path": "/api/v1/actors", "headers": [(b"accept", b"text/html")]}, 429, "too many")
    assert media == b"application/json" and body == b'{"detail": "too many"}'


def test_unexpected_error_is_a_page_for_people_and_json_for_the_api(monkeypatch, tmp_path):
    """500: logged, never a traceback; French page on a page route, one line of JSON on the API."""
    from api.app import create_app

    app = create_app()

    @app.get("/boom-page", include_in_schema=False)
    def boom_page():
        raise RuntimeError("secret traceback detail")

    @app.get("/api/v1/boom", include_in_schema=False)
    def boom_api():
        raise RuntimeError("secret traceback detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom-page", headers=BROWSER)
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "Erreur interne" in page.text and "secret" not in page.text
        api = client.get("/api/v1/boom", headers=BROWSER)
        assert api.status_code == 500 and api.json() == {"detail": "internal error; it has been logged"}


def test_openapi_declares_the_error_bodies(fuzz_server):
    """Every JSON API operation declares its 4xx with the one-line body; page routes stay out of the schema."""
    schema = httpx.get(f"{fuzz_server.url}/openapi.json", timeout=30).json()
    for path, item in schema["paths"].items():
        assert not path.startswith(("/acteurs", "/termes", "/decoder", "/communes", "/cartes", "/editer")), path
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert "503" in codes, (method, path, codes)
            for code, response in operation["responses"].items():
                if code.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorDetail"), (method, path, code)
