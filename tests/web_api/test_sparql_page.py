"""/sparql for a browser: the page in the site layout (editor, examples, limits) and results as a table; SPARQL
clients keep the protocol answers (see test_sparql_clients.py)."""

from __future__ import annotations

from api.pages.site import SPARQL_EXAMPLES

from .conftest import SPARQL_LIMITS

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_page_without_a_query(api):
    page = api.get("/sparql", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'class="site-header"' in html and "<textarea" in html
    for example in SPARQL_EXAMPLES:
        assert example["title"].replace("'", "&#39;") in html
    timeout = SPARQL_LIMITS["PASSE_MURAILLE_SPARQL_TIMEOUT"]
    per_client = SPARQL_LIMITS["PASSE_MURAILLE_SPARQL_PER_CLIENT"]
    assert f"{timeout} secondes" in html and f"{per_client} requêtes à la fois" in html
    assert "Au plus 200 lignes" in html
    # a client without text/html still gets the protocol's 400
    assert api.get("/sparql").status_code == 400


def test_results_as_a_table_with_downloads(api):
    query = "SELECT ?s ?label WHERE { ?s a pm:Sector ; skos:prefLabel ?label } LIMIT 3"
    page = api.get("/sparql", params={"query": query}, headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count("<tr>") == 4 and "3 lignes" in page.text
    assert "format=csv" in page.text and "format=json" in page.text
    csv = api.get("/sparql", params={"query": query, "format": "csv"}, headers={"Accept": BROWSER})
    assert csv.headers["content-type"].startswith("text/csv")
    ask = api.get("/sparql", params={"query": "ASK { ?s a pm:Sector }"}, headers={"Accept": BROWSER})
    assert "vrai" in ask.text


def test_errors_are_said_in_french_on_the_page(api):
    bad = api.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }"},
                  headers={"Accept": BROWSER})
    assert bad.status_code == 400 and "SERVICE est refusé" in bad.text and 'role="alert"' in bad.text
    broken = api.get("/sparql", params={"query": "SELECT WHERE {"}, headers={"Accept": BROWSER})
    assert broken.status_code == 400 and "La requête est invalide" in broken.text
