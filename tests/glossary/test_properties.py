"""Property-based tests (Hypothesis): lookup, autocomplete, decode and extract never raise, and keep simple invariants.

Bounded for speed: at most :data:`EXAMPLES` examples per property, no deadline.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.glossary.autocomplete import complete
from graph.glossary.decode import decode
from graph.glossary.extract import extract_pairs
from graph.glossary.index import get_index
from graph.glossary.lookup import lookup

from .conftest import ENTRIES

EXAMPLES = 200
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = ["AMO", "AMOs", "A.M.O.", "CPAS", "c.p.a.s", "SAJ", "SPJ", "AS", "ZS", "Mado", "Neet", "E2C", "SOS-Enfants",
          "AAJ-CPAS", "CATTP", "CTP", "XAB", "QQR", "l'", "d'", "L'AMO", "(", ")", "(ASE)", "« ", " »", ":", " – ",
          "=", ",", ".", "\n", "\n\n", "\t", " ", "Service", "de", "l'aide", "à", "la", "jeunesse", "Aide", "sociale",
          "enfance", "prévention", "information préoccupante", "Centre", "public", "d'action", "(art. 3, § 2)",
          "(MSSS, 2016)", "Paul Simon (PS)", "https://x.be/AMO", "é", "É", "œ", "ß", "ﬁ", "1-54", "IV", "2026"]
glossary_text = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)
any_text = st.one_of(st.text(max_size=300), glossary_text)
short_text = st.one_of(st.text(max_size=40), st.lists(st.sampled_from(TOKENS), max_size=4).map(" ".join))
COUNTRIES = st.sampled_from([None, "be", "be-fwb", "ch", "fr", "nowhere", ""])
SECTORS = st.sampled_from([None, "aide-jeunesse", "aide-sociale", "police-securite", "unknown-sector"])


@SETTINGS
@given(query=short_text, country=COUNTRIES, sector=SECTORS)
def test_lookup_never_raises_and_separates_hits_from_near(small_index, query, country, sector):
    result = lookup(small_index, query, country, sector)
    hit = bool(result["senses"] or result["actors"])
    assert result["status"] == ("found" if hit else "unknown")
    if hit:
        assert result["near"] == [] and result["suggestions"] == [] and result["mentions"] == []
    assert all(s["match"] != "fuzzy" for s in result["senses"] + result["actors"])
    assert all(s["kind"] != "actor" for s in result["senses"])


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.function_scoped_fixture])
@given(query=short_text)
def test_lookup_never_raises_on_the_bundled_glossary(bundled_store, query):
    result = lookup(get_index(bundled_store), query)
    assert result["status"] in ("found", "unknown")


WITH_ACRONYM = [e for e in ENTRIES if e.acronyms and e.kind != "service_type"]


@SETTINGS
@given(entry=st.sampled_from(WITH_ACRONYM), form=st.sampled_from(["as is", "lower", "dotted", "spaced"]))
def test_lookup_of_an_entrys_own_acronym_finds_it(small_index, entry, form):
    acronym = entry.acronyms[0]
    query = {"as is": acronym, "lower": acronym.lower(), "dotted": ".".join(acronym) + ".",
             "spaced": f"  {acronym} "}[form]
    result = lookup(small_index, query)
    found = [s["id"] for s in result["senses"] + result["actors"]]
    assert entry.id in found
    assert result["senses"][0]["match"] == "exact" or result["actors"][0]["match"] == "exact"


@SETTINGS
@given(prefix=short_text, country=COUNTRIES)
def test_autocomplete_never_raises(small_index, prefix, country):
    completions = complete(small_index, prefix, country, limit=10)
    assert len(completions) <= 10
    assert all(c["text"] for c in completions)


@SETTINGS
@given(text=any_text, country=COUNTRIES)
def test_decode_never_raises_and_spans_lie_inside_the_text(small_index, text, country):
    result = decode(small_index, text, country)
    for annotation in result["annotations"]:
        assert 0 <= annotation["start"] < annotation["end"] <= len(text)
        assert text[annotation["start"]:annotation["end"]] == annotation["text"]
    for unknown in result["unknown"]:
        for start, end in unknown["occurrences"]:
            assert 0 <= start < end <= len(text)


@SETTINGS
@given(text=any_text)
def test_extract_never_raises_and_offsets_lie_inside_the_text(text):
    for pair in extract_pairs(text):
        assert 0 <= pair.start <= pair.end <= len(text)
        assert 0 <= pair.short_start < pair.short_end <= len(text)
        assert pair.short and pair.long


@pytest.mark.parametrize("text", ["(", ")", "()", "(A)", "A (B)", "«»", "l'", "AMO (", "( AMO", "\n\n(\n)"])
def test_edge_cases_of_the_parsers(small_index, text):
    extract_pairs(text)
    decode(small_index, text)
    lookup(small_index, text)
    complete(small_index, text)
