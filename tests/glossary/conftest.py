"""A small hand-made glossary index for unit tests (independent of the bundled data as it grows)."""

from __future__ import annotations

import pytest

from graph.glossary.index import GlossaryIndex
from graph.glossary.model import Entry, Source

SEED = Source("https://w3id.org/passe-muraille/id/sources/seed-001", "seed-001", "PV Assises", None, "§7.3")
BASE = "https://w3id.org/passe-muraille/id/"


def sense(id_, acronyms, label, countries, sectors, **extra) -> Entry:
    labels = {"fr": label} if label else {}
    return Entry(iri=f"{BASE}glossary/{id_}", id=id_, kind=extra.pop("kind", "sense"), labels=labels,
                 acronyms=acronyms, countries=countries, sectors=sectors, sources=extra.pop("sources", [SEED]),
                 **extra)


ENTRIES = [
    sense("g-be-amo", ["AMO"], "service d'action en milieu ouvert", ["be-fwb"], ["aide-jeunesse"],
          variants=["services AMO"], definition="Service de prévention sans mandat.",
          service_type=f"{BASE}service_types/st-be-amo"),
    Entry(iri=f"{BASE}service_types/st-be-amo", id="st-be-amo", kind="service_type",
          labels={"fr": "service d'action en milieu ouvert"}, acronyms=["AMO"], countries=["be-fwb"],
          sectors=["aide-jeunesse"], sources=[SEED]),
    sense("g-be-saj", ["SAJ"], "service de l'aide à la jeunesse", ["be-fwb"], ["aide-jeunesse"]),
    sense("g-be-spj", ["SPJ"], "service de protection de la jeunesse", ["be-fwb"], ["aide-jeunesse"]),
    sense("g-be-cpas", ["CPAS"], "centre public d'action sociale", ["be"], ["aide-sociale"]),
    sense("g-be-mado", ["MADO"], "maison de l'adolescent", ["be-fwb"], ["sante-mentale"]),
    sense("g-be-neet", ["NEET"], "ni à l'emploi, ni en enseignement, ni en formation", ["be"], ["insertion"]),
    sense("g-ch-as", ["AS"], "aide sociale", ["ch"], ["aide-sociale"]),
    sense("g-be-as", ["AS"], "assistant social", ["be"], ["aide-sociale", "aide-jeunesse"]),
    sense("g-be-ctp", [], "conseiller en technoprévention", ["be"], ["police-securite"], variants=["CTP"],
          definition="Conseiller de la zone de police qui conseille les habitants, y compris les AMO du quartier."),
    sense("g-fr-as", ["AS"], "assistant de service social", ["fr"], ["aide-sociale"]),
    sense("g-ch-zs", ["ZS"], None, ["ch"], ["aide-sociale"], expansion="unknown"),
    sense("g-fr-e2c", ["E2C"], "école de la deuxième chance", ["fr"], ["insertion"]),
    sense("g-fr-ase", ["ASE"], "aide sociale à l'enfance", ["fr"], ["aide-jeunesse"], variants=["Ase"]),
    sense("g-be-sos-enfants", ["SOS-Enfants"], "équipe SOS Enfants", ["be-fwb"], ["aide-jeunesse"]),
    sense("g-fr-ip", [], "information préoccupante", ["fr"], ["aide-jeunesse"]),
    sense("g-be-aide-contrainte", [], "aide contrainte", ["be-fwb"], ["aide-jeunesse"]),
    sense("g-be-prevention-aaj", [], "prévention", ["be-fwb"], ["aide-jeunesse"]),
    sense("g-be-prevention-police", [], "prévention", ["be"], ["police-securite"]),
    sense("aaj", ["AAJ"], "aide à la jeunesse", [], ["aide-jeunesse"], kind="sector"),
    # time: an acronym reused (XAB), its old sense replaced by XCD
    sense("g-test-xab-old", ["XAB"], "ancien service XAB", ["be-fwb"], ["aide-jeunesse"], valid_from="1991-03-04",
          valid_to="2018-12-31", replaced_by=[f"{BASE}glossary/g-test-xcd"]),
    sense("g-test-xab-new", ["XAB"], "nouveau dispositif XAB", ["be-fwb"], ["aide-jeunesse"], valid_from="2019-01-01"),
    sense("g-test-xcd", ["XCD"], "service XCD", ["be-fwb"], ["aide-jeunesse"], valid_from="2019-01-01"),
    Entry(iri=f"{BASE}actors/cpas-namur", id="cpas-namur", kind="actor", labels={"fr": "CPAS de Namur"},
          acronyms=["CPAS"], countries=["be-wal"], sectors=["aide-sociale"], sources=[SEED]),
]
TERRITORIES = {"be-fwb": "be", "be-wal": "be", "be-nis-52011": "be-wal", "fr-dep-35": "fr", "ch-lu": "ch"}


@pytest.fixture(scope="session")
def small_index() -> GlossaryIndex:
    return GlossaryIndex(ENTRIES, TERRITORIES, {"sante-mentale": "sante"}, version="test")
