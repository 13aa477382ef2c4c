"""A remote SPARQL 1.1 endpoint (Oxigraph server, Apache Jena Fuseki…) that answers like the embedded store."""

from __future__ import annotations

from typing import Any

import httpx
from rdflib import Graph

from graph.store.errors import StoreError
from graph.store.terms import result_rows, result_values, with_bindings, with_prefixes

JSON_RESULTS = "application/sparql-results+json"


class RemoteStore:
    """A SPARQL 1.1 Protocol query endpoint (Oxigraph server, Fuseki, …) answering the same calls."""

    kind = "remote"

    def __init__(self, url: str, timeout: float = 30.0):
        self.url = url
        self._client = httpx.Client(timeout=timeout)
        self.version = self._fetch_version()
        self.meta = {"version": self.version, "endpoint": url}

    def _fetch_version(self) -> str:
        # a cheap fingerprint of the remote dataset: its size; remote stores carry no build metadata
        try:
            count = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
        except (StoreError, KeyError, IndexError):
            count = "unknown"
        return f"remote-{count}"

    def is_stale(self) -> bool:
        return False

    def _post(self, query: str, accept: str) -> httpx.Response:
        try:
            response = self._client.post(self.url, data={"query": with_prefixes(query)}, headers={"Accept": accept})
        except httpx.HTTPError as err:
            raise StoreError(f"SPARQL endpoint {self.url} unreachable: {err}") from err
        if response.status_code >= 400:
            raise StoreError(f"SPARQL endpoint answered {response.status_code}: {response.text[:300]}")
        return response

    def query_json(self, query: str, bindings: dict | None = None) -> dict:
        return self._post(with_bindings(query, bindings), JSON_RESULTS).json()

    def select(self, query: str, bindings: dict | None = None) -> list[dict[str, Any]]:
        return result_rows(self.query_json(query, bindings))

    def select_values(self, query: str, bindings: dict | None = None) -> list[tuple[str | None, ...]]:
        """As :meth:`EmbeddedStore.select_values`: the ``value`` of each binding, ``None`` if unbound."""
        return result_values(self.query_json(query, bindings))

    def construct(self, query: str, bindings: dict | None = None) -> Graph:
        response = self._post(with_bindings(query, bindings), "application/n-triples")
        graph = Graph()
        graph.parse(data=response.text, format="nt")
        return graph

    def dump_ntriples(self) -> bytes:
        response = self._post("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples")
        return response.content

    def __len__(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
