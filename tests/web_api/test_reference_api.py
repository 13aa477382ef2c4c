"""Reference tables over HTTP: service types, sectors, territories, functions, agreements."""

from __future__ import annotations

import csv
import io


def test_service_types_list_and_detail(api):
    body = api.get("/api/v1/service-types", params={"country": "be-fwb", "limit": 500}).json()
    ids = {i["id"] for i in body["items"]}
    assert {"st-be-amo", "st-be-saj", "st-be-spj"} <= ids
    amo = api.get("/api/v1/service-types/st-be-amo").json()
    assert amo["mandate_kind"] == "none" and amo["free_adherence"] is True
    assert amo["actors"]["total"] >= 1 and any(r["from"] == "st-be-amo" for r in amo["referrals"])
    judicial = api.get("/api/v1/service-types", params={"mandate": "judicial", "limit": 500}).json()
    assert all(i["mandate_kind"] == "judicial" for i in judicial["items"]) and judicial["total"] >= 1


def test_sectors_and_territory_hierarchy(api):
    sectors = api.get("/api/v1/sectors").json()
    assert any(s["id"] == "aide-jeunesse" for s in sectors["items"])
    charleroi = api.get("/api/v1/territories/be-nis-52011").json()
    assert [a["id"] for a in charleroi["ancestors"]][:1] == ["be-nis-52000"]
    assert charleroi["ancestors"][-1]["level"] == "country"
    hainaut = api.get("/api/v1/territories/be-nis-52000").json()
    assert any(c["id"] == "be-nis-52011" for c in hainaut["children"]) or hainaut["children"]
    provinces = api.get("/api/v1/territories", params={"level": "province", "format": "csv", "limit": 1000})
    rows = list(csv.DictReader(io.StringIO(provinces.text)))
    assert rows and all(r["level"] == "province" for r in rows)


def test_functions_and_posts(api):
    function = api.get("/api/v1/functions/agent-de-liaison").json()
    assert function["posts"] and function["posts"][0]["actor"]["id"]
    assert all("@" not in p["label"] for p in function["posts"])


def test_agreements_status_and_review(api):
    body = api.get("/api/v1/agreements", params={"limit": 1000}).json()
    assert body["total"] >= 2
    for item in body["items"]:
        assert item["status"] and item["review_due"] and isinstance(item["stale"], bool)
    stale = api.get("/api/v1/protocols", params={"stale": "true", "limit": 1000}).json()
    assert all(i["stale"] for i in stale["items"])
    one = api.get(f"/api/v1/agreements/{body['items'][0]['id']}").json()
    assert one["parties"] and "review_overdue" in one and "sources" in one


def test_reference_errors(api):
    for url, status in {"/api/v1/service-types/none-such": 404, "/api/v1/territories?level=planet": 400,
                        "/api/v1/agreements?status=eternal": 400, "/api/v1/sectors/BAD ID": 400}.items():
        response = api.get(url)
        assert response.status_code == status, url
        assert isinstance(response.json()["detail"], str)
