"""The SPARQL endpoint driven by real clients: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper

SECTORS = """PREFIX pm: <https://w3id.org/passe-muraille/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?label WHERE { ?s a pm:Sector ; skos:prefLabel ?label . FILTER(LANG(?label) = "fr") } ORDER BY ?s"""

CONSTRUCT = """PREFIX pm: <https://w3id.org/passe-muraille/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?s skos:prefLabel ?label } WHERE { ?s a pm:Sector ; skos:prefLabel ?label }"""

AMO = URIRef("https://w3id.org/passe-muraille/id/service_types/st-be-amo")


def _wrapper(live_server, query: str, fmt, method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client


def test_sparqlwrapper_select_in_every_format(live_server):
    rows = _wrapper(live_server, SECTORS, JSON).query().convert()["results"]["bindings"]
    assert len(rows) >= 5 and all(r["label"]["xml:lang"] == "fr" for r in rows)
    posted = _wrapper(live_server, SECTORS, JSON, POST).query().convert()["results"]["bindings"]
    assert posted == rows
    document = _wrapper(live_server, SECTORS, XML).query().convert()
    assert len(document.getElementsByTagName("result")) == len(rows)
    table = list(csv.reader(io.StringIO(_wrapper(live_server, SECTORS, CSV).query().convert().decode())))
    assert table[0] == ["s", "label"] and len(table) == len(rows) + 1
    tsv = _wrapper(live_server, SECTORS, TSV).query().convert().decode().splitlines()
    assert tsv[0] == "?s\t?label" and tsv[1].startswith("<https://w3id.org/passe-muraille/id/sectors/")


def test_sparqlwrapper_ask_and_construct(live_server):
    ask = _wrapper(live_server, "ASK { ?s a <https://w3id.org/passe-muraille/ns#Actor> }", JSON)
    assert ask.query().convert()["boolean"] is True
    turtle = _wrapper(live_server, CONSTRUCT, TURTLE).query().convert()
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(graph) >= 10 and all(p == SKOS.prefLabel for p in graph.predicates())
    jsonld = _wrapper(live_server, CONSTRUCT, JSONLD).query().convert()
    assert isinstance(jsonld, Graph) and len(jsonld) == len(graph)


def test_rdflib_sparqlstore_select_construct_and_triples(live_server):
    store = SPARQLStore(f"{live_server.url}/sparql")
    graph = Graph(store=store)
    rows = list(graph.query(SECTORS))
    assert len(rows) >= 5 and str(rows[0][0]).startswith("https://w3id.org/passe-muraille/id/sectors/")
    built = graph.query(CONSTRUCT).graph
    assert len(built) >= 10
    labels = {str(o) for o in graph.objects(AMO, SKOS.prefLabel)}
    assert "service d'action en milieu ouvert" in labels
    store_post = SPARQLStore(f"{live_server.url}/sparql", method="POST", returnFormat="json")
    assert len(list(Graph(store=store_post).query(SECTORS))) == len(rows)


def test_default_prefixes_are_known(api):
    response = api.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a pm:Actor } LIMIT 1"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 1


def test_truncation_is_announced(api):
    query = "SELECT ?t WHERE { ?t a pm:Territory }"
    response = api.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["x-sparql-truncated"] == "true" and response.headers["x-sparql-row-limit"] == "200"
    assert len(response.json()["results"]["bindings"]) == 200
    small = api.get("/sparql", params={"query": query + " LIMIT 5"})
    assert small.headers["x-sparql-truncated"] == "false" and small.headers["x-sparql-rows"] == "5"
    graph = api.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                    headers={"Accept": "application/n-triples"})
    assert graph.headers["x-sparql-truncated"] == "true" and len(graph.text.splitlines()) == 200


def test_format_negotiation(api):
    query = "SELECT ?s WHERE { ?s a pm:Sector } LIMIT 2"
    expected = {"application/sparql-results+json": "application/sparql-results+json",
                "application/sparql-results+xml": "application/sparql-results+xml",
                "text/csv": "text/csv", "text/tab-separated-values": "text/tab-separated-values",
                "application/xml;q=0.9,*/*;q=0.8": "application/sparql-results+xml",
                # a browser (text/html preferred, no ?format=) gets the page with the results as a table
                "text/html,application/xml;q=0.9,*/*;q=0.8": "text/html"}
    for accept, media in expected.items():
        response = api.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(media), accept
    refused = api.get("/sparql", params={"query": query}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    jsonld = api.get("/sparql", params={"query": f"DESCRIBE <{AMO}>", "format": "jsonld"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert Graph().parse(data=jsonld.text, format="json-ld").value(AMO, SKOS.prefLabel) is not None


def test_etag_on_results(api):
    first = api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    again = api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
