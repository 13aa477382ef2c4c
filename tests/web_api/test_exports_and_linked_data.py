"""Downloads read back by their consumers (rdflib, pandas' csv, networkx, igraph, jsonschema) and IRIs that
dereference by content negotiation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import igraph
import jsonschema
import networkx as nx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from graph.config import PROJECT_ROOT

HSDS = PROJECT_ROOT.parent / "shared" / "hsds" / "schema" / "compiled"
SAJ = URIRef("https://w3id.org/passe-muraille/id/actors/saj-liege")


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt"),
                                        ("rdfxml", "xml")])
def test_rdf_export_parses_back(api, fmt, parser, bundled_store):
    response = api.get("/api/v1/exports/rdf", params={"format": fmt})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    graph = Graph().parse(data=response.content, format=parser)
    assert len(graph) == len(bundled_store)
    assert (SAJ, SKOS.prefLabel, None) in graph


def test_every_table_exports_as_csv_with_its_columns(api):
    index = api.get("/api/v1/exports").json()
    for table, url in index["tables"].items():
        response = api.get(url)
        assert response.status_code == 200, table
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert rows, table
        header = response.text.splitlines()[0].split(",")
        assert header[0] == "id"
        data_header = (PROJECT_ROOT / "data" / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header == data_header.split(","), table
    assert api.get("/api/v1/exports/tables/secrets.csv").status_code == 404


def test_network_exports_read_back_by_networkx_and_igraph(api, tmp_path: Path):
    for fmt in ("graphml", "gexf"):
        response = api.get("/api/v1/exports/network", params={"format": fmt})
        if response.status_code == 503:
            pytest.skip(response.json()["detail"])
        assert response.status_code == 200
        path = tmp_path / f"actors.{fmt}"
        path.write_bytes(response.content)
        graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert graph.number_of_nodes() > 10 and graph.number_of_edges() > 0
        if fmt == "graphml":
            ig = igraph.Graph.Read_GraphML(str(path))
            assert ig.vcount() == graph.number_of_nodes() and ig.ecount() == graph.number_of_edges()
    assert api.get("/api/v1/exports/network", params={"format": "pajek"}).status_code == 400


def _validator(name: str) -> jsonschema.Validator:
    schema = json.loads((HSDS / f"{name}.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_hsds_organizations_and_services_validate(api):
    organizations = api.get("/api/v1/exports/hsds/organizations").json()
    services = api.get("/api/v1/exports/hsds/services").json()
    assert len(organizations) > 100 and len(services) > 100
    org_validator, service_validator = _validator("organization"), _validator("service")
    for org in organizations:
        errors = list(org_validator.iter_errors(org))
        assert not errors, (org["name"], errors[0].message)
    for service in services:
        errors = list(service_validator.iter_errors(service))
        assert not errors, (service["name"], errors[0].message)
    ids = {o["id"] for o in organizations}
    assert len(ids) == len(organizations) and len({s["id"] for s in services}) == len(services)
    assert all(s["organization_id"] in ids for s in services if "organization_id" in s)
    text = json.dumps(organizations + services)
    assert '"email"' not in text and '"phones"' not in text and '"contacts"' not in text
    cpas = next(s for s in services if s["name"].startswith("CPAS de Charleroi"))
    assert "mission légale" in cpas["eligibility_description"]


def test_hsds_rejects_what_the_schema_forbids():
    """Sanity of the validator: a service without status or with a bad id does not pass."""
    validator = _validator("service")
    assert list(validator.iter_errors({"id": "not-a-uuid", "name": "x", "status": "active"}))
    assert list(validator.iter_errors({"id": "a729c458-d143-577f-9dbb-840e9d2d75af", "name": "x"}))


def test_iri_dereferences_by_content_negotiation(api):
    turtle = api.get("/id/actors/saj-liege", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and "Accept" in turtle.headers["vary"]
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (SAJ, SKOS.prefLabel, None) in graph
    jsonld = api.get("/id/actors/saj-liege", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    ntriples = api.get("/id/actors/saj-liege", params={"format": "ntriples"})
    assert len(Graph().parse(data=ntriples.text, format="nt")) == len(graph)
    browser = api.get("/id/actors/saj-liege", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                      follow_redirects=False)
    assert browser.status_code in (200, 303)
    if browser.status_code == 303:
        assert browser.headers["location"] == "/acteurs/saj-liege"
    page = api.get("/id/service_types/st-be-amo", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 200 and "service d&#x27;action en milieu ouvert" in page.text
    assert '<a href="/id/sectors/aide-jeunesse">' in page.text


def test_linked_data_errors(api):
    assert api.get("/id/actors/no-such-actor", headers={"Accept": "text/turtle"}).status_code == 404
    assert api.get("/id/passwords/root").status_code == 404
    assert api.get("/id/actors/..%2F..%2Fetc").status_code in (400, 404)
    assert api.get("/id/actors/saj-liege", headers={"Accept": "image/png"}).status_code == 406
    etag = api.get("/id/actors/saj-liege").headers["etag"]
    assert api.get("/id/actors/saj-liege", headers={"If-None-Match": etag}).status_code == 304
