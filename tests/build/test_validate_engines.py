"""The set-based SHACL engines (columnar, SPARQL) report exactly what pySHACL (the reference) reports."""

from __future__ import annotations

import pytest

from graph.build.shacl import compile_shapes
from graph.build.tables import read_tables
from graph.build.triples import tables_to_lines
from graph.build.validate import shacl_violations
from graph.vocab.ontology import ontology_graph, shapes_graph
from tests.build.test_build import rewrite, set_cell


def _lines(data):
    return tables_to_lines(read_tables(data), ontology_graph())


def _key(violations):
    return sorted((v.file or "", v.row or 0, v.column or "", v.focus, v.path or "", v.message) for v in violations)


def test_every_shape_compiles():
    constraints = compile_shapes(shapes_graph())
    assert len(constraints) > 60
    assert {c.component for c in constraints} >= {"MinCount", "MaxCount", "Class", "Datatype", "HasValue",
                                                  "UniqueLang", "LessThanOrEquals", "Disjoint", "Or"}


def test_engines_agree_on_the_bundled_data(data_copy):
    lines = _lines(data_copy)
    assert shacl_violations(lines, "columnar") == shacl_violations(lines, "sparql") == \
        shacl_violations(lines, "pyshacl") == []


def test_engines_agree_on_broken_data(data_copy):
    tables = read_tables(data_copy)
    actors = tables.frames["actors"]
    service = actors.loc[actors["kind"] == "service", "id"].iloc[0]
    platform_index = int(actors.index[(actors["kind"] == "platform") & (actors["__file"] == "actors.csv")][0])
    set_cell(data_copy / "memberships.csv", 0, "collective", service)                    # sh:class via sh:or
    set_cell(data_copy / "service_types.csv", 0, "age_min", "40")                         # lessThanOrEquals
    set_cell(data_copy / "service_types.csv", 0, "age_max", "3")
    set_cell(data_copy / "actors.csv", platform_index, "verified", "")                   # minCount on a subclass
    referrals = tables.frames["referrals"]
    set_cell(data_copy / "referrals.csv", 0, "to", referrals["from"].iloc[0])            # disjoint

    def one_party(header, rows):
        rows[0]["parties"] = rows[0]["parties"].split("|")[0]                            # minCount 2

    rewrite(data_copy / "agreements.csv", one_party)
    lines = _lines(data_copy)
    sparql, reference = shacl_violations(lines, "sparql"), shacl_violations(lines, "pyshacl")
    columnar = shacl_violations(lines, "columnar")
    assert len(reference) >= 5
    assert _key(sparql) == _key(reference) == _key(columnar)
    assert columnar == sparql  # values included, in Oxigraph's N-Triples form
    assert {"memberships.csv", "service_types.csv", "actors.csv", "referrals.csv", "agreements.csv"} <= \
        {v.file for v in sparql}


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        shacl_violations([], "fast")


def test_engines_agree_on_broken_triples(data_copy):
    """Triples the tables could never produce, to reach every constraint component."""
    from graph.vocab.namespaces import PM

    lines = _lines(data_copy)

    def first(fragment, start=""):
        return next(line for line in lines if line.startswith(start) and fragment in line)

    sector = first("", "<https://w3id.org/passe-muraille/id/sectors/").split(" ", 1)[0]
    source = first("", "<https://w3id.org/passe-muraille/id/sources/").split(" ", 1)[0]
    service_type = first(f"<{PM.ageMin}>").split(" ", 1)[0]
    dropped = {first(f"{sector} <http://www.w3.org/2004/02/skos/core#inScheme>"),           # hasValue
               first(f"<{PM.fromTable}>"),                                                    # minCount
               first(f"<{PM.seenOn}>")}                                     # node-level or, if it has a page
    extra = [
        f'{sector} <http://www.w3.org/2004/02/skos/core#prefLabel> "un autre libellé"@fr .',  # uniqueLang
        f'{source} <http://purl.org/dc/terms/title> "a second title" .',                       # maxCount
        f'{sector} <http://www.w3.org/2004/02/skos/core#broader> "not a sector" .',           # class
        f'{service_type} <{PM.ageMin}> "young" .',                                            # datatype, <=
        f'{source} <http://xmlns.com/foaf/0.1/page> "https://example.org/x"'                  # node-level or
        '^^<http://www.w3.org/2001/XMLSchema#anyURI> .',
        f'{sector} <{PM.verifiedOn}> "soon" .',                                                # or of datatypes
    ]
    broken = sorted(set(lines) - dropped | set(extra))
    columnar, sparql = shacl_violations(broken, "columnar"), shacl_violations(broken, "sparql")
    reference = shacl_violations(broken, "pyshacl")
    assert len(reference) >= 8
    assert _key(columnar) == _key(sparql) == _key(reference)
    assert columnar == sparql
