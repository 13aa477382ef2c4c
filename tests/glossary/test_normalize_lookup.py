"""Lookup: exact, normalised, inflected, reverse, fuzzy, suggestions, ranking by context."""

from __future__ import annotations

import pytest

from graph.glossary.autocomplete import complete
from graph.glossary.lookup import lookup
from graph.glossary.normalize import acronym_key, acronym_keys, fold, loose_key

CONTRACT_KEYS = {"label", "acronym", "definition", "sector", "country", "score", "reason", "iri", "sources"}


def test_fold_and_keys():
    assert fold("Éducation Spéciale") == "education speciale"
    assert acronym_key("A.M.O.") == acronym_key("amo") == acronym_key("A-M-O") == "amo"
    assert acronym_keys("AMOs") == ["amos", "amo"]
    assert acronym_keys("AS") == ["as"]
    assert loose_key("services d'action en milieu ouvert") == loose_key("service d’action en milieu ouvert")


@pytest.mark.parametrize("query", ["AMO", "amo", "A.M.O.", "AMOs", "a.m.o", "Amo"])
def test_acronym_variants_find_amo(small_index, query):
    result = lookup(small_index, query)
    assert result["senses"], query
    best = result["senses"][0]
    assert best["label"] == "service d'action en milieu ouvert"
    assert CONTRACT_KEYS <= set(best)
    assert best["sources"][0]["id"] == "seed-001"


def test_sense_hides_its_service_type_duplicate(small_index):
    kinds = [s["kind"] for s in lookup(small_index, "AMO")["senses"]]
    assert kinds == ["sense"]


def test_every_sense_is_returned_and_ranked_by_country(small_index):
    swiss = lookup(small_index, "AS", country="ch")["senses"]
    french = lookup(small_index, "AS", country="fr")["senses"]
    assert {s["label"] for s in swiss} == {"aide sociale", "assistant de service social", "assistant social"}
    assert swiss[0]["label"] == "aide sociale" and "your territory" in swiss[0]["reason"]
    assert french[0]["label"] == "assistant de service social"
    assert swiss[0]["score"] > swiss[1]["score"]


def test_region_hierarchy_ranks_be_fwb_for_a_belgian_user(small_index):
    in_region = lookup(small_index, "AMO", country="be-fwb")["senses"][0]
    in_country = lookup(small_index, "AMO", country="be")["senses"][0]
    abroad = lookup(small_index, "AMO", country="fr")["senses"][0]
    assert in_region["score"] > in_country["score"] > abroad["score"]
    assert "part of be" in in_country["reason"]
    cpas = lookup(small_index, "CPAS", country="be-fwb")["senses"][0]
    assert "contains be-fwb" in cpas["reason"]


def test_sector_ranks_the_sector_sense_first(small_index):
    police = lookup(small_index, "prévention", sector="police-securite")["senses"]
    aaj = lookup(small_index, "prevention", sector="aide-jeunesse")["senses"]
    assert police[0]["sector"] == ["police-securite"]
    assert aaj[0]["sector"] == ["aide-jeunesse"]
    assert len(police) == 2


def test_unknown_expansion_is_never_invented(small_index):
    sense = lookup(small_index, "ZS")["senses"][0]
    assert sense["label"] is None
    assert sense["expansion"] == "unknown"
    assert "expansion unknown" in sense["reason"]


def test_reverse_lookup_full_form_to_acronym(small_index):
    exact = lookup(small_index, "service de l'aide à la jeunesse")["senses"][0]
    assert exact["acronym"] == "SAJ"
    paraphrase = lookup(small_index, "aide en milieu ouvert")["senses"][0]
    assert paraphrase["acronym"] == "AMO" and paraphrase["match"] == "reverse"


def test_fuzzy_matches_are_near_not_hits(small_index):
    typo = lookup(small_index, "CPASS")
    assert typo["status"] == "unknown" and typo["senses"] == [] and typo["actors"] == []
    assert typo["near"][0]["acronym"] == "CPAS" and typo["near"][0]["match"] == "fuzzy"
    assert typo["near"][0]["reason"].startswith("proche de CPAS")
    term = lookup(small_index, "prevantion")
    assert term["senses"] == [] and term["near"][0]["label"] == "prévention"
    # a paraphrase of a full form stays a (reverse) hit
    assert lookup(small_index, "information preocupante")["senses"][0]["match"] == "reverse"


def test_unknown_input_gets_suggestions_not_senses(small_index):
    typo = lookup(small_index, "AMX")
    assert typo["senses"] == [] and "AMO" in typo["suggestions"]
    nothing = lookup(small_index, "QWERTYUIOP")
    assert nothing["senses"] == []


def test_digits_and_hyphens(small_index):
    assert lookup(small_index, "e2c")["senses"][0]["label"] == "école de la deuxième chance"
    assert lookup(small_index, "SOS Enfants")["senses"][0]["id"] == "g-be-sos-enfants"


def test_autocomplete_prefix(small_index):
    assert complete(small_index, "am")[0]["acronym"] == "AMO"
    labels = [c["label"] for c in complete(small_index, "serv")]
    assert "service d'action en milieu ouvert" in labels and "service de l'aide à la jeunesse" in labels
    assert complete(small_index, "zzz") == []


def test_unknown_acronym_whose_neighbour_has_no_acronym_does_not_crash(small_index):
    # regression: "CATTP" is near the key "ctp" of a sense with no acronym (its variant "CTP");
    # sorting the suggestions compared None with a string
    result = lookup(small_index, "CATTP")
    assert result["status"] == "unknown" and result["senses"] == []
    assert "CTP" in result["suggestions"]


def test_one_letter_away_is_not_one_sense_found(small_index):
    result = lookup(small_index, "MADA")
    assert result["status"] == "unknown" and result["senses"] == []
    assert [n["acronym"] for n in result["near"]] == ["MADO"]
    assert "proche de MADO" in result["near"][0]["reason"]


def test_exact_acronym_ranks_first_and_actors_are_apart(small_index):
    result = lookup(small_index, "CPAS", country="be-wal")
    assert result["status"] == "found"
    assert [s["kind"] for s in result["senses"]] == ["sense"]
    assert [a["id"] for a in result["actors"]] == ["cpas-namur"]
    assert result["near"] == [] and result["mentions"] == []
    # a normalised form is still an exact acronym and says so
    dotted = lookup(small_index, "c.p.a.s.")["senses"][0]
    assert dotted["reason"].startswith("exact acronym (normalised")


@pytest.mark.parametrize("country, expected", [("be", "g-be-as"), ("be-fwb", "g-be-as"), ("ch", "g-ch-as"),
                                               ("ch-lu", "g-ch-as"), ("fr", "g-fr-as"), ("fr-dep-35", "g-fr-as")])
def test_context_ranks_the_local_sense_of_as_first(small_index, country, expected):
    assert lookup(small_index, "AS", country=country)["senses"][0]["id"] == expected


def test_without_context_a_foreign_sense_does_not_win_by_alphabet(small_index):
    senses = lookup(small_index, "AS")["senses"]
    assert len({s["score"] for s in senses}) == 1  # no context: equal scores, as before
    assert senses[0]["id"] == "g-be-as"  # "aide sociale" (ch) sorts first alphabetically, but is foreign


def test_sector_context_on_an_ambiguous_acronym(small_index):
    senses = lookup(small_index, "prévention", country="be-fwb", sector="police-securite")["senses"]
    assert senses[0]["id"] == "g-be-prevention-police"


def test_historical_sense_after_the_current_one_with_its_successor(small_index):
    senses = lookup(small_index, "XAB")["senses"]
    assert [s["id"] for s in senses] == ["g-test-xab-new", "g-test-xab-old"]
    old = senses[1]
    assert old["current"] is False and old["valid_to"] == "2018-12-31"
    assert old["replaced_by"] == [{"id": "g-test-xcd", "iri": old["replaced_by"][0]["iri"], "label": "service XCD",
                                   "acronym": "XCD", "current": True}]
    assert "replaced by XCD" in old["reason"]
    assert senses[0]["current"] is True and senses[0]["replaced_by"] == []


def test_unknown_query_says_so_with_suggestions_and_mentions(small_index):
    result = lookup(small_index, "AMOX")
    assert result["status"] == "unknown"
    assert [n["id"] for n in result["near"]] == ["g-be-amo"]  # its service type is not listed twice
    nothing = lookup(small_index, "QWERTYUIOP")
    assert nothing["status"] == "unknown" and nothing["near"] == [] and nothing["mentions"] == []
    # "technoprévention" is known, "zone de police" is not a term but appears in a definition
    police = lookup(small_index, "zone de police")
    assert police["status"] == "unknown"
    assert [m["id"] for m in police["mentions"]] == ["g-be-ctp"]
    assert "zone de police" in police["mentions"][0]["snippet"]
    assert {"id", "label", "snippet"} <= set(police["mentions"][0])
