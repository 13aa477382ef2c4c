"""``select_values``: the TSV fast path gives exactly the ``value`` fields of the SPARQL JSON results, on awkward
terms (escapes, tabs, newlines, characters beyond the BMP, language tags, datatypes, blank nodes, unbound)."""

from __future__ import annotations

import pytest

from graph.sparql.tsv import term_value, values_from_tsv
from graph.store import EmbeddedStore, NewBuild

AWKWARD = r'''
<http://x/a> <http://x/p> "plain" .
<http://x/a> <http://x/p> "say \"hi\"\nnext\tline \\ back"@fr .
<http://x/a> <http://x/p> "\u00e9t\u00e9 \U0001F600 ok"@fr-BE .
<http://x/a> <http://x/p> "12"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<http://x/a> <http://x/p> "2.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<http://x/a> <http://x/p> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://x/a> <http://x/p> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<http://x/a> <http://x/p> "2024-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .
<http://x/a> <http://x/p> "odd"^^<http://x/datatype> .
<http://x/a> <http://x/p> "" .
<http://x/a> <http://x/p> <http://x/iri?with=query#and-fragment> .
<http://x/b> <http://x/p> _:blank .
<http://x/c> <http://x/q> "only q" .
'''


@pytest.fixture(scope="module")
def awkward_store(tmp_path_factory) -> EmbeddedStore:
    root = tmp_path_factory.mktemp("awkward")
    new = NewBuild(root)
    new.load(AWKWARD.encode("utf-8"))
    new.commit({"triples": 13}, "awkward")
    return EmbeddedStore(root)


def _json_values(store, query):
    result = store.query_json(query)
    variables = result["head"]["vars"]
    return [tuple(b[v]["value"] if v in b else None for v in variables) for b in result["results"]["bindings"]]


@pytest.mark.parametrize("query", [
    "SELECT ?s ?o WHERE { ?s <http://x/p> ?o }",
    "SELECT ?s ?o ?q WHERE { ?s ?p ?o OPTIONAL { ?s <http://x/q> ?q } }",
    "SELECT ?s ?o (LANG(?o) AS ?lang) (DATATYPE(?o) AS ?dt) WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s <http://x/nothing> ?o }",
])
def test_select_values_equals_the_json_values(awkward_store, query):
    fast = awkward_store.select_values(query)
    assert fast == _json_values(awkward_store, query)


def test_the_awkward_literals_come_back_unescaped(awkward_store):
    values = {row[0] for row in awkward_store.select_values("SELECT ?o WHERE { <http://x/a> ?p ?o }")}
    assert 'say "hi"\nnext\tline \\ back' in values
    assert "été \U0001F600 ok" in values
    assert {"12", "2.5", "7", "true", "", "http://x/iri?with=query#and-fragment"} <= values


def test_a_malformed_tsv_is_refused():
    with pytest.raises(ValueError, match="fields"):
        values_from_tsv("?a\t?b\n<http://x/a>\n")
    with pytest.raises(ValueError, match="escape"):
        term_value('"bad \\q escape"')
    with pytest.raises(ValueError, match="unterminated"):
        term_value("<http://x/a")
