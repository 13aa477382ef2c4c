"""Person-level contacts: returned to authenticated readers only, never cached, absent from every public output."""

from __future__ import annotations

import pytest

from graph.ops import contacts
from graph.store import EmbeddedStore
from tests.security.conftest import ACTOR, CANARY, private_needles_in

PUBLIC_GETS = [
    "/", f"/acteurs/{ACTOR}", "/chercher?q=Zo%C3%A9", "/chercher?q=AMO", "/chercher/suggestions?q=Zo",
    "/recherche", "/homologues", "/orientation", "/cartes", f"/cartes/acteurs/{ACTOR}", "/cartes/export.html",
    f"/cartes/acteurs/{ACTOR}/export.html", "/cartes/donnees.json", "/api/v1/actors?limit=1000",
    "/api/v1/actors?q=Zo%C3%A9", f"/api/v1/actors/{ACTOR}", "/api/v1/actors?format=csv&limit=1000",
    "/api/v1/glossary/lookup?q=Zo%C3%A9", "/api/v1/stats", "/api/v1/brokers", "/api/v1/gaps",
    "/api/v1/functions", "/api/v1/agreements", f"/id/actors/{ACTOR}",
    "/api/v1/exports/rdf?format=turtle", "/api/v1/exports/rdf?format=jsonld", "/api/v1/exports/rdf?format=ntriples",
    "/api/v1/exports/network?format=gexf", "/api/v1/exports/network?format=graphml",
    "/api/v1/exports/hsds/organizations", "/api/v1/exports/hsds/services",
    *(f"/api/v1/exports/tables/{t}.csv" for t in ("actors", "posts", "functions", "memberships", "glossary")),
]


def test_contact_store_is_private_and_apart(workspace):
    path = contacts.contacts_path(workspace.store)
    assert path.parent.name == "private" and path.stat().st_mode & 0o077 == 0
    assert path.parent.stat().st_mode & 0o077 == 0
    assert not any(private_needles_in(p.read_text(encoding="utf-8")) for p in workspace.data.rglob("*.csv"))
    assert not private_needles_in((workspace.store / "current").resolve().joinpath("meta.json").read_text())
    assert not private_needles_in(EmbeddedStore(workspace.store).dump_ntriples().decode("utf-8"))


PARTNER_PAGES = {f"/acteurs/{ACTOR}"}
"""Pages that show the contacts to a signed-in partner (and only to one)."""


@pytest.mark.parametrize("path", PUBLIC_GETS)
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_contacts_never_appear_on_public_routes(workspace, path, who):
    with workspace.client(workspace.reader if who == "reader" else None) as client:
        response = client.get(path)
    assert response.status_code in (200, 400, 404), (path, response.status_code, response.text[:200])
    if who == "reader" and path in PARTNER_PAGES:
        assert private_needles_in(response.text), f"{path} should show the contacts to a partner"
        assert response.headers["cache-control"] == "private, no-store"
    else:
        assert not private_needles_in(response.text), f"{path} leaks private contact data"


def test_actor_page_shows_contacts_to_signed_in_partner_only(workspace):
    with workspace.client() as anonymous:
        public = anonymous.get(f"/acteurs/{ACTOR}")
    assert public.status_code == 200 and "Personnes de contact" not in public.text
    assert "no-store" not in public.headers.get("cache-control", "")
    with workspace.client(workspace.reader) as partner:
        page = partner.get(f"/acteurs/{ACTOR}")
    assert page.status_code == 200 and "Personnes de contact" in page.text
    assert CANARY["name"] in page.text and CANARY["phone"] in page.text and CANARY["email"] in page.text
    assert page.headers["cache-control"] == "private, no-store"


@pytest.mark.parametrize("query", [
    'SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), "canari")) }',
    'SELECT ?s ?o WHERE { ?s <http://www.w3.org/2006/vcard/ns#hasEmail> ?o }',
    'SELECT ?s ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "@")) }',
    'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }',
])
def test_sparql_endpoint_never_sees_contacts(workspace, query):
    with workspace.client(workspace.reader) as client:
        response = client.get("/sparql", params={"query": query},
                              headers={"Accept": "application/sparql-results+json, application/n-triples"})
    assert response.status_code == 200, response.text[:200]
    assert not private_needles_in(response.text)


def test_anonymous_gets_401_and_no_data(anon):
    response = anon.get(f"/api/v1/actors/{ACTOR}/contacts")
    assert response.status_code == 401
    assert response.json() == {"detail": "authentification requise"}
    assert response.headers["cache-control"] == "no-store"
    assert not private_needles_in(response.text)


@pytest.mark.parametrize("token", ["pm_deadbeef0000.forged", "not-a-token", "x" * 300, "pm_.", "pm_a.b.c"])
def test_forged_tokens_get_401(workspace, token):
    with workspace.server.client() as client:
        response = client.get(f"/api/v1/actors/{ACTOR}/contacts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and not private_needles_in(response.text)


def test_reader_sees_contacts_uncached(workspace):
    with workspace.client(workspace.reader) as client:
        response = client.get(f"/api/v1/actors/{ACTOR}/contacts")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["items"][0]["email"] == CANARY["email"]
    assert body["items"][0]["phone"] == CANARY["phone"] and body["items"][0]["name"] == CANARY["name"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["vary"] == "Authorization, Cookie"
    assert "etag" not in response.headers


def test_reader_cannot_write(workspace, unchanged):
    with workspace.client(workspace.reader) as client:
        added = client.post(f"/api/v1/actors/{ACTOR}/contacts", json={"name": "X", "email": "x@example.org"})
        deleted = client.delete(f"/api/v1/actors/{ACTOR}/contacts/{workspace.contact_id}")
    assert added.status_code == deleted.status_code == 403
    assert added.json()["detail"] == "rôle « editor » requis"
    assert added.headers["cache-control"] == "no-store"


def test_editor_adds_and_deletes_a_contact(workspace):
    with workspace.client(workspace.editor) as client:
        added = client.post(f"/api/v1/actors/{ACTOR}/contacts",
                            json={"name": "Temporaire", "email": "Temp.Contact@Example.org", "phone": "04 123 45 67"})
        assert added.status_code == 201, added.text
        record = added.json()
        assert record["email"] == "temp.contact@example.org" and record["created_by"] == "éditeur"
        assert added.headers["cache-control"] == "no-store"
        listed = client.get(f"/api/v1/actors/{ACTOR}/contacts").json()
        assert {c["id"] for c in listed["items"]} == {workspace.contact_id, record["id"]}
        gone = client.delete(f"/api/v1/actors/{ACTOR}/contacts/{record['id']}")
        assert gone.status_code == 204
        again = client.delete(f"/api/v1/actors/{ACTOR}/contacts/{record['id']}")
        assert again.status_code == 404
    assert [c["id"] for c in contacts.list_contacts(ACTOR, workspace.store)] == [workspace.contact_id]
    history = (workspace.store / "history.jsonl")
    assert not history.exists() or "temp.contact" not in history.read_text(encoding="utf-8")


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"name": "A", "email": "not-an-address"}, 400, "not an e-mail address"),
    ({"name": "A", "email": "a@b"}, 400, "not an e-mail address"),
    ({"name": "A", "phone": "call me"}, 400, "not a phone number"),
    ({"name": "A", "phone": "+32 +470"}, 400, "not a phone number"),
    ({"name": "A"}, 400, "needs an e-mail address or a phone number"),
    ({"email": "a@example.org"}, 400, "needs a name"),
    ({"name": "A" * 500, "email": "a@example.org"}, 400, "name: at most 120"),
    ({"name": "A\x00B", "email": "a@example.org"}, 400, "no control characters"),
    ({"name": "A", "email": "a@example.org", "post": "no-such-post"}, 400, "no post"),
    ({"name": "A", "email": "a@example.org", "verified": "yesterday"}, 400, "expected a date"),
    ({"name": "A", "email": "a@example.org", "is_admin": True}, 400, "unknown field"),
    ({"name": ["A"], "email": "a@example.org"}, 400, "expected text"),
    ([1, 2], 400, "must be a JSON object"),
])
def test_bad_contacts_are_refused(workspace, unchanged, body, status, message):
    with workspace.client(workspace.editor) as client:
        response = client.post(f"/api/v1/actors/{ACTOR}/contacts", json=body)
    assert response.status_code == status and message in response.json()["detail"], response.text


@pytest.mark.parametrize(("actor", "status"), [("no-such-actor", 404), ("..%2F..%2Fetc", 404), ("A" * 300, 400),
                                               ("%00", 400), ("éé", 400)])
def test_contacts_of_hostile_actor_ids(workspace, unchanged, actor, status):
    with workspace.client(workspace.editor) as client:
        response = client.post(f"/api/v1/actors/{actor}/contacts", json={"name": "A", "email": "a@example.org"})
        listed = client.get(f"/api/v1/actors/{actor}/contacts")
    assert response.status_code in (status, 404), response.text
    assert listed.status_code in (200, 400, 404) and "detail" in response.json()
    if listed.status_code == 200:
        assert listed.json()["items"] == []


def test_malformed_json_and_wrong_type(workspace, unchanged):
    with workspace.client(workspace.editor) as client:
        bad = client.post(f"/api/v1/actors/{ACTOR}/contacts", content=b"{not json",
                          headers={"Content-Type": "application/json"})
        form = client.post(f"/api/v1/actors/{ACTOR}/contacts", data={"name": "A", "email": "a@example.org"})
    assert bad.status_code == 400 and bad.json()["detail"] == "the body is not valid JSON"
    assert form.status_code == 400 and "application/json" in form.json()["detail"]


def test_cross_site_write_with_session_is_refused(workspace, unchanged):
    with workspace.client(workspace.editor) as client:
        response = client.post(f"/api/v1/actors/{ACTOR}/contacts", json={"name": "A", "email": "a@example.org"},
                               headers={"Origin": "https://evil.example"})
    assert response.status_code == 403 and "autre site" in response.json()["detail"]


def test_a_partner_page_is_never_served_from_cache_to_anyone_else(workspace):
    with workspace.client(workspace.reader) as partner:
        first = partner.get(f"/acteurs/{ACTOR}?vue=partenaire")
    assert first.status_code == 200 and private_needles_in(first.text)
    with workspace.client() as anonymous:
        again = anonymous.get(f"/acteurs/{ACTOR}?vue=partenaire")
        cached = anonymous.get(f"/acteurs/{ACTOR}?vue=partenaire")
    assert again.status_code == cached.status_code == 200
    assert not private_needles_in(again.text) and not private_needles_in(cached.text)
    assert again.text == cached.text
    with workspace.client(workspace.reader) as partner:
        assert private_needles_in(partner.get(f"/acteurs/{ACTOR}?vue=partenaire").text)
