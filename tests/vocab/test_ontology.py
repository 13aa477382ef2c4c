"""The vocabulary is documented in two languages, and the shapes cover everything the data uses."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from graph.vocab.namespaces import PM
from graph.vocab.ontology import ontology_graph, shapes_graph
from graph.vocab.schema import TABLES


def _terms(graph: Graph, kind) -> set:
    return {s for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(PM))}


def test_every_class_and_property_has_french_and_english_label_and_comment():
    graph = ontology_graph()
    terms = _terms(graph, OWL.Class) | _terms(graph, OWL.ObjectProperty) | _terms(graph, OWL.DatatypeProperty)
    assert len(terms) > 40
    missing = []
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            languages = {value.language for value in graph.objects(term, prop)}
            if not {"fr", "en"} <= languages:
                missing.append(f"{term} {prop}")
    assert not missing, missing


def test_every_property_the_tables_fill_is_declared():
    graph = ontology_graph()
    declared = {s for s in graph.subjects(RDF.type, None)}
    own = {c.predicate for t in TABLES for c in t.columns
           if c.predicate is not None and str(c.predicate).startswith(str(PM))}
    assert own and own <= declared, own - declared


def test_every_class_the_data_uses_has_a_shape(bundled_store):
    shapes = shapes_graph()
    targeted = set(shapes.objects(None, SH.targetClass))
    used = {row["c"] for row in bundled_store.select(
        "SELECT DISTINCT ?c WHERE { ?s pm:fromTable ?t ; a ?c FILTER(STRSTARTS(STR(?c), STR(pm:))) }")}
    graph = ontology_graph()
    uncovered = []
    for cls in used:
        ancestors = set(graph.transitive_objects(PM[cls.split("#")[-1]], RDFS.subClassOf))
        if not ancestors & targeted:
            uncovered.append(cls)
    assert not uncovered, uncovered


def test_concept_schemes_exist_for_sectors_service_types_mandates_functions_territory_levels():
    graph = ontology_graph()
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    for name in ("sectorScheme", "serviceTypeScheme", "mandateKindScheme", "functionScheme",
                 "territoryLevelScheme"):
        assert PM[name] in schemes
