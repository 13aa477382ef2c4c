"""Every organisation and acronym of the five seeds is in the graph.

The lists below were written by reading the seeds in ../shared/seeds/ (not derived from data/): a
fragment of each organisation's name as the seed writes it, and each acronym the seed uses. An acronym
counts as present when a jargon sense, a service type or an actor carries it (its expansion may be
"unknown": the graph must say so rather than miss it).
"""

from __future__ import annotations

import unicodedata

import pytest

ORGANISATIONS = {
    "000": [],  # the Swiss workshop names no organisation ("Lucerne : centre pour jeunes adultes" is unnamed)
    "001": ["Passages", "Service général de la prévention", "Cultures Jeunes", "Plan J", "Point Jaune",
            "Globul", "Kirikou", "Gentianes", "Equip'AJ", "Le Lien", "Ancrages", "petits spirou", "AMOS",
            "Parrain et moi", "Boussole", "Quartier Libre", "CPAS de Charleroi", "Maison de l'Adolescent",
            "Cité de l'Enfance", "AGAJ", "FLAJ", "Conseil communautaire", "Assises de la prévention"],
    "002": ["SPP Intégration sociale", "KPMG", "CPAS de Braine-le-Comte", "CPAS de Bruxelles", "CPAS de Courtrai",
            "CPAS de Dilbeek", "CPAS de Gand", "CPAS de Gembloux", "CPAS de Vielsalm", "Les enfants d'abord"],
    "003": ["VRAC", "Interreg", "Team Leerrecht", "SAAMO", "NETSTERK", "ESCV", "Afeji", "MAP", "SOL", "KdG"],
    "004": ["Ille-et-Vilaine", "ASKORIA"],
}

ACRONYMS = {
    "000": ["AS", "ZS", "PME", "PCi"],
    "001": ["CPAS", "AMO", "SAJ", "SPJ", "AAJ", "MADO", "ISPPC", "FWB", "CPMS", "SRG", "SASE", "SAPA", "WBE",
            "SEGEC", "CEPEONS", "AGAJ", "FLAJ", "RTA", "RIS", "ILA", "AMOS", "CLI", "TIBI", "NEET", "PV"],
    "002": ["CPAS", "SPP IS", "ONE", "TMS", "PMS", "APEP", "GAS", "KPMG", "SAJ", "AMO"],
    "003": ["VRAC", "MAP", "SOL", "CMPP", "PIT", "ESCV", "SAAMO", "SESSAD", "PACE", "SCDA", "NETSTERK", "ASCW",
            "ACS", "IAG", "SEVE", "KdG"],
    "004": ["ASE", "ARS", "MNA", "CPOM", "PANJO"],
}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@pytest.fixture(scope="module")
def actor_names(bundled_store) -> list[str]:
    rows = bundled_store.select("SELECT ?label WHERE { ?a a pm:Actor . { ?a skos:prefLabel ?label } "
                                "UNION { ?a pm:acronym ?label } }")
    return [fold(row["label"]) for row in rows]


@pytest.fixture(scope="module")
def acronyms(bundled_store) -> set[str]:
    rows = bundled_store.select("SELECT ?acronym WHERE { VALUES ?c { pm:JargonSense pm:ServiceType pm:Actor } "
                                "?s a ?c ; pm:acronym ?acronym }")
    return {fold(row["acronym"]) for row in rows}


@pytest.mark.parametrize("seed, name", [(seed, name) for seed, names in ORGANISATIONS.items() for name in names])
def test_organisation_of_the_seed_is_an_actor(actor_names, seed, name):
    assert any(fold(name) in label for label in actor_names), f"seed {seed}: no actor named like {name!r}"


@pytest.mark.parametrize("seed, acronym", [(seed, a) for seed, names in ACRONYMS.items() for a in names])
def test_acronym_of_the_seed_is_in_the_graph(acronyms, seed, acronym):
    assert fold(acronym) in acronyms, f"seed {seed}: acronym {acronym} is in no sense, service type or actor"


def test_undefined_swiss_acronyms_are_marked_unknown_not_invented(bundled_store):
    rows = bundled_store.select("""
        SELECT ?acronym ?status WHERE { ?s a pm:JargonSense ; pm:acronym ?acronym ; pm:expansionStatus ?status
                                        FILTER(?acronym IN ("ZS", "PME")) }""")
    statuses = {(row["acronym"], row["status"].rsplit("#", 1)[-1]) for row in rows}
    assert ("ZS", "expansion-unknown") in statuses
    assert ("PME", "expansion-unknown") in statuses
