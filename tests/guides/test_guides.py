"""The guides and the ontology documentation: served, safe, up to date, and true to the app and the CLI.

* every guide, the index and ``/ontologie`` answer 200 in French; unknown names 404;
* Markdown is rendered with raw HTML escaped and unsafe link schemes refused;
* every page path a guide mentions exists in the app (requested for real: never 404, never 5xx), and every
  ``passe-muraille <command>`` it mentions is a registered command;
* together the guides cover every HTML page of the app and every command of ``passe-muraille --help``;
* the SPARQL recipes of the researcher's guide run on the bundled store and return rows;
* ``docs/ontology/`` is what :mod:`graph.vocab.ontology_doc` generates from ``ontology/`` now.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient

from api.app import create_app
from api.pages.guides import GUIDES_DIR, guide_names, render_markdown
from graph.cli.app import app as cli_app
from graph.vocab import ontology_doc

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ("nouveau-venu", "agent-de-liaison", "chercheur", "contributeur", "exploitant")
PENDING_COMMANDS: set[str] = set()
"""Commands a guide may describe before they are registered (say so in the guide); none today."""

PLACEHOLDERS = {"<id>": "amo-passages", "<name>": "chercheur", "<table>": "actors"}
NOT_PAGES = ("/api/", "/static/", "/ontologie/", "/guides/")
NOT_PAGES_EXACT = {"/favicon.ico", "/robots.txt", "/health", "/openapi.json", "/chercher/suggestions",
                   "/cartes/donnees.json"}


@pytest.fixture(scope="module")
def client(bundled_store_dir):
    mp = pytest.MonkeyPatch()
    mp.setenv("PASSE_MURAILLE_STORE", str(bundled_store_dir))
    mp.delenv("PASSE_MURAILLE_ENDPOINT", raising=False)
    with TestClient(create_app()) as test_client:
        yield test_client
    mp.undo()


def _texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(GUIDES_DIR.glob("*.md"))}


def _mentioned_paths(text: str) -> set[str]:
    """Site paths in code spans and link targets (``/acteurs/amo-passages``, ``/chercher?q=ILA``)."""
    found = set(re.findall(r"`(/[^`\s]*)`", text)) | set(re.findall(r"\]\((/[^)\s]*)\)", text))
    paths = set()
    for path in found:
        for placeholder, value in PLACEHOLDERS.items():
            path = path.replace(placeholder, value)
        paths.add(path)
    return paths


def _commands() -> set[str]:
    return set(typer.main.get_command(cli_app).commands)


def _routes(app) -> list:
    out = []

    def walk(routes):
        for route in routes:
            if hasattr(route, "path"):
                out.append(route)
            else:
                walk(route.original_router.routes)

    walk(app.routes)
    return out


def test_every_guide_exists():
    assert set(GUIDES) <= set(guide_names())
    assert (GUIDES_DIR / "index.md").is_file()


@pytest.mark.parametrize("name", GUIDES)
def test_guide_page(client, name):
    response = client.get(f"/guides/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in response.text and "<h1>" in response.text
    assert "In English" in response.text


def test_index_and_ontology_pages(client):
    index = client.get("/guides")
    assert index.status_code == 200
    for name in GUIDES:
        assert f'href="/guides/{name}"' in index.text
    page = client.get("/ontologie")
    assert page.status_code == 200
    assert "pm:Actor" in page.text and "pm:mandateKindScheme" in page.text and "/ontologie/modele.svg" in page.text
    svg = client.get("/ontologie/modele.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "<script" not in svg.text and "http://www.w3.org/2000/svg" in svg.text
    assert "href=\"http" not in svg.text           # no external resource
    assert client.get("/ontologie/modele.dot").text.startswith("digraph")
    assert "owl:Ontology" in client.get("/ontologie/passe-muraille.ttl").text


@pytest.mark.parametrize("bad", ["nope", "index", "..%2F..%2Fpyproject", "Chercheur", "a" * 80])
def test_unknown_guide_404(client, bad):
    assert client.get(f"/guides/{bad}").status_code == 404
    assert client.get("/ontologie/shapes.ttl").status_code == 404


def test_markdown_is_rendered_safely():
    html = render_markdown("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_every_mentioned_page_exists(client):
    checked = 0
    for name, text in _texts().items():
        for path in sorted(_mentioned_paths(text)):
            response = client.get(path, follow_redirects=False)
            assert response.status_code != 404 and response.status_code < 500, (name, path, response.status_code)
            checked += 1
    assert checked > 30


def test_every_mentioned_command_exists():
    commands = _commands()
    for name, text in _texts().items():
        for command in set(re.findall(r"passe-muraille ([a-z][a-z-]*)", text)):
            assert command in commands or command in PENDING_COMMANDS, (name, command)


def test_guides_cover_every_command():
    text = "\n".join(_texts().values())
    mentioned = set(re.findall(r"passe-muraille ([a-z][a-z-]*)", text))
    assert _commands() - mentioned == set()


def test_guides_cover_every_page(client):
    mentioned = set()
    for text in _texts().values():
        mentioned |= {path.split("?")[0] for path in _mentioned_paths(text)}
    missing = []
    for route in _routes(client.app):
        path = route.path
        if "GET" not in (getattr(route, "methods", None) or set()):
            continue
        if path.startswith(NOT_PAGES) or path in NOT_PAGES_EXACT:
            continue
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        if not any(pattern.match(m) for m in mentioned):
            missing.append(path)
    assert missing == []


def test_sparql_recipes_run(bundled_store):
    text = (GUIDES_DIR / "chercheur.md").read_text(encoding="utf-8")
    recipes = re.findall(r"```sparql\n(.*?)```", text, flags=re.S)
    assert len(recipes) >= 5
    for recipe in recipes:
        assert bundled_store.select(recipe), recipe


def test_ontology_docs_are_up_to_date(tmp_path):
    written = ontology_doc.write(tmp_path)
    for path in written:
        committed = ROOT / "docs" / "ontology" / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"docs/ontology/{path.name} is stale: run python -m graph.vocab.ontology_doc docs/ontology")


def test_ontology_reference_lists_every_class_and_scheme():
    from rdflib import OWL, RDF, SKOS

    graph = ontology_doc.load()
    text = ontology_doc.markdown(graph)
    for kind in (OWL.Class, SKOS.ConceptScheme, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if str(term).startswith("https://w3id.org/passe-muraille/ns#"):
                assert f"`pm:{str(term).split('#')[1]}`" in text, term
    edges = ontology_doc._edges(graph)
    assert ("Membership", "Collective", "pm:collective", "prop") in edges
    assert ("Platform", "Collective", "", "sub") in edges
