"""Actors over HTTP: search with facets, territories inside territories, pagination, CSV, ETags, errors."""

from __future__ import annotations

import csv
import io

from api.http.conventions import csv_text, neutralise


def test_search_returns_a_page_total_and_facets(api):
    body = api.get("/api/v1/actors", params={"limit": 5}).json()
    assert body["total"] > 5 and len(body["items"]) == 5
    assert [i["id"] for i in body["items"]] == sorted(i["id"] for i in body["items"])
    assert set(body["facets"]) >= {"sector", "service_type", "country", "territory", "kind", "mandate", "age"}
    assert sum(f["count"] for f in body["facets"]["country"]) >= body["total"]


def test_pages_are_stable_and_cover_the_total(api):
    first = api.get("/api/v1/actors", params={"limit": 7, "offset": 0, "facets": "false"}).json()
    second = api.get("/api/v1/actors", params={"limit": 7, "offset": 7, "facets": "false"}).json()
    again = api.get("/api/v1/actors", params={"limit": 14, "offset": 0, "facets": "false"}).json()
    assert [i["id"] for i in first["items"] + second["items"]] == [i["id"] for i in again["items"]]


def test_territory_includes_the_territories_inside_it(api):
    province = api.get("/api/v1/actors", params={"territory": "be-nis-52000", "limit": 500}).json()
    commune = api.get("/api/v1/actors", params={"territory": "be-nis-52011", "limit": 500}).json()
    assert commune["total"] >= 1
    assert {i["id"] for i in commune["items"]} < {i["id"] for i in province["items"]}
    assert "cpas-charleroi" in {i["id"] for i in commune["items"]}


def test_filters_combine(api):
    body = api.get("/api/v1/actors", params={"sector": "aide-sociale", "service_type": "st-be-cpas",
                                             "country": "be", "mandate": "legal_mission", "limit": 3}).json()
    assert body["total"] >= 200
    for item in body["items"]:
        assert "st-be-cpas" in [t["id"] for t in item["service_type"]]
        assert "legal_mission" in item["mandate"]
    none = api.get("/api/v1/actors", params={"service_type": "st-be-cpas", "mandate": "judicial"}).json()
    assert none["total"] == 0


def test_text_search_and_age(api):
    body = api.get("/api/v1/actors", params={"q": "charleroi", "limit": 50}).json()
    assert any(i["id"] == "cpas-charleroi" for i in body["items"])
    aged = api.get("/api/v1/actors", params={"q": "charleroi", "age": 15, "limit": 50}).json()
    assert aged["total"] <= body["total"]
    assert all(i["ages_known"] is False or (i["age_min"] or 0) <= 15 <= (i["age_max"] or 200)
               for i in aged["items"])


def test_detail_has_what_an_actor_page_needs(api):
    detail = api.get("/api/v1/actors/saj-liege").json()
    for key in ("label", "description", "service_types", "mandate", "free_adherence", "territory", "parent",
                "children", "posts", "memberships", "agreements", "referrals", "sources", "verified",
                "review_due", "age_min", "age_max"):
        assert key in detail
    assert detail["mandate"] == ["administrative"]
    assert detail["posts"] and detail["posts"][0]["function"]["id"] == "agent-de-liaison"
    assert any(r["direction"] in ("in", "out") for r in detail["referrals"])
    assert all(s["title"] for s in detail["sources"])
    assert all("@" not in str(v) for v in detail.values())  # no person contact data in public data


def test_detail_of_a_collective_lists_its_members(api):
    detail = api.get("/api/v1/actors/assises-chantier-5").json()
    assert len(detail["members"]) >= 5
    assert {m["member"]["table"] for m in detail["members"]} <= {"actors", "posts"}


def test_csv_with_total_header(api):
    response = api.get("/api/v1/actors", params={"format": "csv", "limit": 10})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 10 and int(response.headers["x-total-count"]) > 10
    assert rows[0]["iri"].startswith("https://w3id.org/passe-muraille/id/actors/")
    by_accept = api.get("/api/v1/actors", params={"limit": 10}, headers={"Accept": "text/csv"})
    assert by_accept.text == response.text


def test_formula_cells_are_neutralised():
    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [neutralise(v) for v in ("+1", "-cmd", "@SUM(A1)", "\tx", "ok")] == ["'+1", "'-cmd", "'@SUM(A1)",
                                                                                 "'\tx", "ok"]
    assert neutralise(-1) == "-1" and neutralise(True) == "yes" and neutralise(["=a", "b"]) == "'=a|b"
    text = csv_text(["id", "label"], [{"id": "a", "label": "=1+1"}])
    assert list(csv.reader(io.StringIO(text)))[1] == ["a", "'=1+1"]


def test_etag_and_not_modified(api):
    first = api.get("/api/v1/actors/cpas-charleroi")
    etag = first.headers["etag"]
    again = api.get("/api/v1/actors/cpas-charleroi", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = api.get("/api/v1/actors/cpas-charleroi", params={"lang": "en"}, headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_errors_are_one_line_4xx(api):
    cases = {
        "/api/v1/actors/no-such-actor": 404,
        "/api/v1/actors/Not%20An%20Id": 400,
        "/api/v1/actors?limit=-1": 422,
        "/api/v1/actors?limit=100000": 422,
        "/api/v1/actors?kind=spaceship": 400,
        "/api/v1/actors?mandate=x": 400,
        "/api/v1/actors?territory=..%2F..%2Fetc": 400,
        "/api/v1/actors?sector=%3E%20%7D%20DROP%20ALL": 400,
        "/api/v1/actors?age=abc": 422,
        "/api/v1/actors?format=xlsx": 400,
        "/api/v1/actors?q=" + "x" * 300: 422,
        "/api/v1/actors?lang=klingon": 422,
    }
    for url, status in cases.items():
        response = api.get(url)
        assert response.status_code == status, url
        detail = response.json()["detail"]
        assert isinstance(detail, str) and "\n" not in detail and "Traceback" not in detail, url


def test_hostile_text_is_a_value_not_syntax(api):
    for q in ('" } ?s ?p ?o { "', "') } #", "\\u0022 } DROP ALL"):
        response = api.get("/api/v1/actors", params={"q": q})
        assert response.status_code == 200 and response.json()["total"] == 0


def test_openapi_documents_the_routes(api):
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/actors", "/api/v1/actors/{actor_id}", "/api/v1/service-types", "/api/v1/territories",
                 "/api/v1/agreements", "/sparql"):
        assert path in paths
    assert paths["/api/v1/actors"]["get"]["summary"]
