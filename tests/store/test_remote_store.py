"""The same reading code against a remote SPARQL 1.1 endpoint: the `oxigraph` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from graph.query.stats import graph_stats
from graph.store import RemoteStore, open_store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory, bundled_store):
    binary = shutil.which("oxigraph") or str(Path(__import__("sys").executable).parent / "oxigraph")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/query?query=ASK%7B%7D", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        response = httpx.post(f"{base}/store?default", content=bundled_store.dump_ntriples(),
                              headers={"Content-Type": "application/n-triples"}, timeout=60)
        assert response.status_code in (200, 201, 204), response.text
        yield f"{base}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_remote_stats_equal_embedded(oxigraph_server, bundled_store):
    remote = open_store(endpoint=oxigraph_server)
    assert isinstance(remote, RemoteStore)
    embedded_stats, remote_stats = graph_stats(bundled_store), graph_stats(remote)
    for key in ("triples", "by_class", "rows", "sourced_rows", "sourced_share", "by_source", "coverage"):
        assert remote_stats[key] == embedded_stats[key], key


def test_remote_bindings_are_serialised_safely(oxigraph_server, bundled_store):
    from rdflib import Literal

    remote = open_store(endpoint=oxigraph_server)
    query = "SELECT ?s WHERE { ?s pm:acronym ?a } ORDER BY ?s"
    for value in (Literal("AMO"), Literal('x" } ; DROP ALL ; #')):
        assert remote.select(query, {"a": value}) == bundled_store.select(query, {"a": value})


def test_remote_from_environment(oxigraph_server, monkeypatch):
    monkeypatch.setenv("PASSE_MURAILLE_ENDPOINT", oxigraph_server)
    assert isinstance(open_store(), RemoteStore)


def test_analytics_and_api_on_the_remote_store_equal_the_embedded_one(oxigraph_server, bundled_store_dir):
    """brokers (CLI) and the API give the same answers whether they read the embedded or the remote store."""
    import json

    from graph.bench.api import serve_in_subprocess
    from tests.cli.test_cli import run

    embedded = run("brokers", "--store", str(bundled_store_dir), "--json")
    remote = run("brokers", "--endpoint", oxigraph_server, "--json")
    assert embedded.returncode == 0 and remote.returncode == 0, remote.stderr[-1000:]
    key = lambda rows: sorted((r["iri"], r["gould_fernandez"]["total"], r["articulation_point"]) for r in rows)  # noqa: E731
    assert key(json.loads(remote.stdout)) == key(json.loads(embedded.stdout))

    paths = ["/api/v1/actors?limit=50", "/api/v1/glossary/lookup?q=AMO", "/api/v1/service-types?limit=20"]
    answers = {}
    for name, env in (("embedded", {"PASSE_MURAILLE_ENDPOINT": ""}),
                      ("remote", {"PASSE_MURAILLE_ENDPOINT": oxigraph_server})):
        with serve_in_subprocess(bundled_store_dir, env=env) as base:
            answers[name] = [httpx.get(base + path, timeout=30) for path in paths]
    for path, embedded_answer, remote_answer in zip(paths, answers["embedded"], answers["remote"], strict=True):
        assert embedded_answer.status_code == remote_answer.status_code == 200, path
        assert embedded_answer.json() == remote_answer.json(), path


def test_remote_glossary_index_equals_the_embedded_one(oxigraph_server, bundled_store):
    """The glossary index reads through ``select_values`` (TSV on the embedded store, JSON from an endpoint)."""
    from graph.glossary.index import build_index

    remote, embedded = build_index(open_store(endpoint=oxigraph_server)), build_index(bundled_store)
    assert len(embedded) > 500
    assert remote.entries == embedded.entries
    assert (remote.territory_parent, remote.sector_broader) == (embedded.territory_parent, embedded.sector_broader)
