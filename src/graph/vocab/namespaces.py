"""RDF namespaces, declared once (rdflib style): no IRI is spelled out in logic."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

PM = Namespace("https://w3id.org/passe-muraille/ns#")
"""The project's own vocabulary (ontology/passe-muraille.ttl)."""

PMID = Namespace("https://w3id.org/passe-muraille/id/")
"""Base of the data's entity IRIs: ``PMID[f"{table}/{row_id}"]``."""

SCHEMA = Namespace("https://schema.org/")

PREFIXES = {
    "pm": PM,
    "pmid": PMID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "org": ORG,
    "prov": PROV,
    "dct": DCTERMS,
    "schema": SCHEMA,
    "foaf": FOAF,
    "sh": SH,
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
"""Prefix declarations prepended to the library's own SPARQL queries."""

__all__ = ["PM", "PMID", "SCHEMA", "PREFIXES", "SPARQL_PREFIXES",
           "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "XSD"]
