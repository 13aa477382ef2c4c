"""Every operation of ``/openapi.json`` fuzzed with Schemathesis over HTTP (:mod:`graph.bench.fuzz`).

A bounded, deterministic run (Hypothesis ``derandomize``): :data:`EXAMPLES` requests fitting the schema per
operation and half as many that do not, with the admin token; no 5xx, every response as the schema declares it,
bad input refused with a 4xx, every answer within the bound. ``passe-muraille bench fuzz`` runs the long version.
"""

from __future__ import annotations

import httpx

from api.app import create_app
from graph.bench.fuzz import MAX_RESPONSE_SECONDS, fuzz_url
from tests.fuzz.conftest import ADMIN_TOKEN

EXAMPLES = 12


def test_every_operation_fuzzed_without_failure(fuzz_server):
    result = fuzz_url(fuzz_server.url, examples=EXAMPLES, token=ADMIN_TOKEN, max_seconds=MAX_RESPONSE_SECONDS)
    declared = {f"{method.upper()} {path}" for path, item in create_app().openapi()["paths"].items()
                for method in item}
    assert set(result["per_operation"]) == declared, "every operation of the schema is fuzzed"
    assert result["requests"] >= EXAMPLES * len(declared) // 2
    assert not result["failures"], "\n".join(
        f"{f['operation']}: {f['check']} (HTTP {f['status']}): {f['message']}\n    {f['curl']}"
        for f in result["failures"])


def test_runs_are_deterministic(fuzz_server):
    def run() -> dict:
        return fuzz_url(fuzz_server.url, examples=5, token=ADMIN_TOKEN, negative=False,
                        only=lambda label: label.startswith("GET /api/v1/glossary/"))["per_operation"]

    first, second = run(), run()
    assert {k: (v["requests"], v["statuses"]) for k, v in first.items()} == \
        {k: (v["requests"], v["statuses"]) for k, v in second.items()}


def test_stats_answers_within_the_bound(fuzz_server):
    """Regression: ``/api/v1/stats`` took 17 s on the bundled data (coverage query with a free ``partOf*`` path)."""
    response = httpx.get(f"{fuzz_server.url}/api/v1/stats", timeout=60)
    assert response.status_code == 200
    assert response.elapsed.total_seconds() < 5
    assert response.json()["coverage"]["country"]
