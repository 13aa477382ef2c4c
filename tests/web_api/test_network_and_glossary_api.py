"""Brokers, gaps, counterparts, referral paths and the glossary over HTTP (thin wrappers)."""

from __future__ import annotations


def test_brokers_and_gaps(api):
    brokers = api.get("/api/v1/brokers", params={"limit": 5}).json()
    assert brokers["total"] > 5 and len(brokers["items"]) == 5 and brokers["items"][0]["iri"]
    social = api.get("/api/v1/brokers", params={"sector": "aide-sociale", "limit": 1000}).json()
    assert 0 < social["total"] <= brokers["total"]
    gaps = api.get("/api/v1/gaps", params={"limit": 3})
    assert gaps.status_code == 200 and isinstance(gaps.json(), dict)


def test_counterparts_and_paths(api):
    found = api.get("/api/v1/counterparts", params={"asker": "saj-liege", "sector": "enseignement"})
    assert found.status_code == 200 and found.json()["asker"]["label"]
    path = api.get("/api/v1/paths", params={"source": "AMO", "target": "SPJ"})
    assert path.status_code == 200 and path.json()["from"]["iri"].endswith("st-be-amo")
    for url, params in (("/api/v1/paths", {"source": "nothing-at-all", "target": "SPJ"}),
                        ("/api/v1/counterparts", {"asker": "zzz-none", "sector": "enseignement"}),
                        ("/api/v1/brokers", {"sector": "no-such-sector"})):
        response = api.get(url, params=params)
        assert response.status_code in (400, 404) and isinstance(response.json()["detail"], str)
    assert api.get("/api/v1/paths", params={"source": "AMO"}).status_code == 422


def test_glossary_routes(api):
    lookup = api.get("/api/v1/glossary/lookup", params={"q": "AMO"}).json()
    assert any(s["acronym"] == "AMO" for s in lookup["senses"])
    complete = api.get("/api/v1/glossary/autocomplete", params={"q": "sa"}).json()
    assert complete["items"]
    decoded = api.post("/api/v1/glossary/decode", json={"text": "Le SAJ a orienté la famille vers une AMO."})
    assert decoded.status_code == 200 and {a["text"] for a in decoded.json()["annotations"]} >= {"SAJ", "AMO"}
    pairs = api.post("/api/v1/glossary/extract", json={"text": "un service d'action en milieu ouvert (AMO)"})
    assert pairs.json()["pairs"][0]["short"] == "AMO"
    assert api.post("/api/v1/glossary/decode", json={"text": "x" * 60_000}).status_code in (413, 422)
    assert api.post("/api/v1/glossary/decode", content=b"{not json", headers={"Content-Type": "application/json"}
                    ).status_code == 422


def test_memoised_answers_stay_within_their_byte_budget():
    from api.http.response_cache import ResponseCache

    memo = ResponseCache(1000)
    for i in range(50):
        memo.put(f'"v-{i}"', b"x" * 100, "application/json")
    assert memo.size <= 1000 and len(memo) == 10
    assert '"v-49"' in memo and '"v-0"' not in memo
    memo.put('"too-big"', b"x" * 200, "application/json")  # over an eighth of the budget: not kept
    assert '"too-big"' not in memo
