"""The held-out evaluation set (tests/glossary/eval) and its scores: well-formed, scored, contamination seen."""

from __future__ import annotations

from graph.glossary.evaluate import (
    EVAL_DIR,
    load_decode_set,
    load_lookup_set,
    norm_expansion,
    ours,
    score_decode,
    score_extractor,
    score_lookup,
)
from graph.glossary.index import GlossaryIndex, get_index
from graph.glossary.model import Source

from .conftest import ENTRIES, TERRITORIES, sense


def test_the_set_is_well_formed():
    rows = load_lookup_set()
    assert len(rows) >= 50 and (EVAL_DIR / "README.md").exists()
    for row in rows:
        assert row["acronym"] and row["expansions"] and row["url"].startswith("http")
        assert row["country"] in {"be", "be-fwb", "fr", "ch"}
    texts = load_decode_set()
    assert len(texts) >= 5
    for item in texts:
        assert item["url"].startswith("http") and item["expected"]
        for expected in item["expected"]:
            assert expected["acronym"] in item["text"]


def test_norm_expansion():
    assert norm_expansion("l'Institut Thérapeutique, Éducatif et Pédagogique") == \
        norm_expansion("instituts thérapeutiques, éducatifs et pédagogiques")


def test_scores_on_a_small_index(small_index):
    rows = [{"acronym": "AMO", "country": "be-fwb", "sector": None,
             "expansions": ["services d'action en milieu ouvert"], "ids": [], "url": "https://example.org/a"},
            {"acronym": "AS", "country": "ch", "sector": None, "expansions": ["assistant social"], "ids": [],
             "url": "https://example.org/b"},
            {"acronym": "CPASS", "country": "be", "sector": None, "expansions": ["centre public d'action sociale"],
             "ids": [], "url": "https://example.org/c"}]
    result = score_lookup(small_index, rows)
    # AMO first; AS: the Belgian sense is a hit but not first for a Swiss user; CPASS: near only, never counted
    assert (result["top1"], result["top3"], result["coverage"]) == (round(1 / 3, 4), round(2 / 3, 4), round(2 / 3, 4))
    texts = [{"id": "t", "country": "be-fwb", "url": "https://example.org/t", "text": "Le SAJ et la Mado.",
              "expected": [{"acronym": "SAJ", "expansion": "service de l'aide à la jeunesse"},
                           {"acronym": "Mado", "expansion": "autre chose", "ids": ["g-be-mado"]},
                           {"acronym": "QQZ", "expansion": "inconnu"}]}]
    decoded = score_decode(small_index, texts)
    assert decoded["recall"] == round(2 / 3, 4) and decoded["contaminated"] == 0


def test_a_row_whose_page_became_a_source_is_counted_apart():
    page = Source("https://w3id.org/passe-muraille/id/sources/x", "x", "X", "https://example.org/a/", None)
    index = GlossaryIndex([*ENTRIES, sense("g-x", ["XQW"], "x quelque chose", ["be"], [], sources=[page])],
                          TERRITORIES, version="contaminated")
    rows = [{"acronym": "XQW", "country": "be", "sector": None, "expansions": ["x quelque chose"], "ids": [],
             "url": "https://example.org/a"}]
    result = score_lookup(index, rows)
    assert result["contaminated"] == 1 and result["clean"]["rows"] == 0


def test_figures_on_the_bundled_glossary(bundled_store):
    index = get_index(bundled_store)
    lookup_figures, decode_figures = score_lookup(index), score_decode(index)
    assert 0.3 <= lookup_figures["top1"] <= lookup_figures["top3"] <= lookup_figures["coverage"] <= 1
    assert 0.5 <= decode_figures["recall"] <= decode_figures["recall_any"] <= 1
    assert score_extractor(ours)["f1"] >= 0.94
