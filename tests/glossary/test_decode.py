"""Decode: acronyms with variants, terms, in-text definitions first, unknowns with places, context."""

from __future__ import annotations

from graph.glossary.decode import decode

TEXT = ("Le jeune, suivi par les AMOs puis par la Mado, a vu les C.P.A.S. de la région. Les Neet sont "
        "nombreux. L'E2C et l'équipe SOS-Enfants aussi. Après une information préoccupante, l'aide contrainte "
        "commence. Le protocole AAJ-CPAS est ancien. Le QQR et le QQR encore. Le ZS manque.\n"
        "Anne-Sophie FONTAINE préside.\nTOUR DE TABLE ET ANNONCE DES INVITES\n")


def by_text(result):
    return {a["text"]: a for a in result["annotations"]}


def test_acronym_variants_and_terms(small_index):
    found = by_text(decode(small_index, TEXT))
    assert found["AMOs"]["senses"][0]["label"] == "service d'action en milieu ouvert"
    assert found["Mado"]["senses"][0]["label"] == "maison de l'adolescent"
    assert found["C.P.A.S"]["senses"][0]["label"] == "centre public d'action sociale"
    assert found["Neet"]["kind"] == "acronym"
    assert found["E2C"]["senses"][0]["label"] == "école de la deuxième chance"
    assert found["information préoccupante"]["kind"] == "term"
    assert found["aide contrainte"]["kind"] == "term"
    assert {"AAJ", "CPAS"} <= set(found)
    assert found["ZS"]["senses"][0]["label"] is None


def test_unknown_acronyms_with_every_place(small_index):
    result = decode(small_index, TEXT)
    unknown = {u["text"]: u["occurrences"] for u in result["unknown"]}
    assert list(unknown) == ["QQR"], unknown  # not the surname in capitals, not the heading
    assert len(unknown["QQR"]) == 2
    start, end = unknown["QQR"][0]
    assert TEXT[start:end] == "QQR"


def test_words_in_capitals_are_not_unknown_sigles(small_index):
    """Emphasis, headings, long words and months written in capitals are left out; real unknown sigles stay, in
    a heading too, pronounceable or not."""
    text = ("SOMMAIRE\n"
            "HOOFDSTUK 1. - Algemene bepalingen\n"
            "9. ANNEXES\n"
            "Nous travaillons HORS DE TOUT MANDAT et gardons LE SECRET LE PLUS ABSOLU.\n"
            "La charte « KINDERARMODE » a été signée le 1 MEI 2024, puis revue en MAI 2025.\n"
            "L'OLINPE et le GLAJ en parlent avec le QQZ.\n"
            "Voir le QQW DE LIÈGE.\n")
    unknown = [u["text"] for u in decode(small_index, text)["unknown"]]
    assert unknown == ["OLINPE", "GLAJ", "QQZ", "QQW"], unknown


def test_definition_in_text_wins(small_index):
    text = "L'AMO (Aide Médicale Organisée) rembourse. Le XYZ (Xavier Yves Zorro) aussi. Puis l'AMO encore."
    result = decode(small_index, text)
    amo = [a for a in result["annotations"] if a["text"] == "AMO"]
    assert amo and all(a["defined_in_text"] for a in amo)
    assert amo[0]["senses"][0]["label"] == "Aide Médicale Organisée"
    assert amo[0]["senses"][1]["label"] == "service d'action en milieu ouvert"
    xyz = [a for a in result["annotations"] if a["text"] == "XYZ"][0]
    assert xyz["defined_in_text"] and xyz["senses"][0]["label"] == "Xavier Yves Zorro"
    assert not result["unknown"]


def test_context_from_user_and_from_text(small_index):
    swiss = decode(small_index, "L'AS décide.", country="ch")
    assert swiss["annotations"][0]["senses"][0]["label"] == "aide sociale"
    french = decode(small_index, "L'AS décide.", country="fr")
    assert french["annotations"][0]["senses"][0]["label"] == "assistant de service social"
    # no user context: the unambiguous Swiss... here French acronyms of the text decide
    text = "L'E2C accueille. L'information préoccupante arrive. L'AS décide."
    inferred = decode(small_index, text)
    assert inferred["context"]["text_countries"] == ["fr"]
    assert by_text(inferred)["AS"]["senses"][0]["label"] == "assistant de service social"


def test_spans_match_the_text(small_index):
    for annotation in decode(small_index, TEXT)["annotations"]:
        assert TEXT[annotation["start"]:annotation["end"]] == annotation["text"]


def test_a_short_acronym_written_as_the_glossary_writes_it(small_index):
    result = by_text(decode(small_index, "Le jeune est confié à l'Ase du département. Ase est aussi un prénom."))
    assert result["Ase"]["senses"][0]["label"] == "aide sociale à l'enfance"
    assert len([a for a in decode(small_index, "Ase est un prénom.")["annotations"]]) == 0  # sentence start


def test_historical_senses_come_after_current_ones(small_index):
    senses = by_text(decode(small_index, "Le XAB a changé."))["XAB"]["senses"]
    assert [s["current"] for s in senses] == [True, False]
    assert "historical sense (until 2018-12-31)" in senses[1]["reason"]
