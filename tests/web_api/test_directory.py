"""Who serves a commune, over HTTP: the JSON API and the French pages."""

from __future__ import annotations


def test_api_serving(api):
    ok = api.get("/api/v1/serving", params={"commune": "Liège"})
    assert ok.status_code == 200
    assert ok.json()["territory"]["label"] == "Liège"
    unknown = api.get("/api/v1/serving", params={"commune": "Liègge"})
    assert unknown.status_code == 404
    assert unknown.json()["suggestions"][0]["label"] == "Liège"
    assert api.get("/api/v1/serving").status_code == 422


def test_commune_pages(api):
    page = api.get("/communes", params={"q": "seraing"})
    assert page.status_code == 200 and "Qui dessert Seraing" in page.text and "CPAS de Seraing" in page.text
    assert "Par division" in page.text
    missing = api.get("/communes", params={"q": "Seraingg"})
    assert missing.status_code == 404 and "Commune inconnue" in missing.text
    assert "/communes/be-nis-62096" in missing.text
    assert api.get("/communes/be-nis-62096").status_code == 200
    assert "/communes/be-nis-62096" in api.get("/id/territories/be-nis-62096", headers={"Accept": "text/html"}).text
    assert 'href="/communes"' in api.get("/").text
