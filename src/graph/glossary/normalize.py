"""Text normalisation shared by the glossary index, lookup, decode and extraction.

Definitions
-----------
* **fold(s)** — Unicode NFKD decomposition, combining marks removed, case-folded: ``Éducation`` →
  ``education``, ``CPAS`` → ``cpas``.
* **acronym key** — the folded string with every non-alphanumeric character removed, so that
  ``A.M.O.``, ``amo``, ``A-M-O`` and ``AMO`` share the key ``amo``. A plural ``s`` written in lower
  case after an upper-case acronym (``AMOs``) is an *inflection*, see :func:`acronym_keys`.
* **phrase key** — the folded words joined by single spaces, every run of punctuation (apostrophes,
  hyphens, dots) a word boundary: ``service d'action en milieu ouvert`` → ``service d action en milieu
  ouvert``. The *loose* phrase key also drops a final plural ``s``/``x`` of each word longer than three
  letters (French plurals: ``services AMO`` ≈ ``service AMO``).
* **stopwords** — French (and a few English/Dutch) articles, prepositions and conjunctions that a
  sigle may skip: d', de, du, des, à, au, aux, la, le, l', les, et, en, pour, sur… (Larousse's list of
  mots-outils; the issue names d'/de/du/des/à/la/le/l'/et).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "fold", "acronym_key", "acronym_keys", "phrase_key", "loose_key", "words", "STOPWORDS",
    "LEADING_ARTICLES", "is_acronym_like", "dehyphenate", "strip_leading_article",
]

STOPWORDS = frozenset("""
d de du des a au aux la le l les et en pour par sur dans un une ou avec sans chez vers entre
of the and for to in on at by with a an van der den het de en voor von und fur zu im
""".split())
"""Words a sigle may skip (folded). French first; English, Dutch and German function words too."""

LEADING_ARTICLES = frozenset("l la le les un une des du de d the a an het".split())
"""Articles removed from the start of an expansion (``l'Aide sociale à l'enfance`` → ``Aide…``)."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_LINEBREAK_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\r?\n[ \t]*(?=\w)")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent- and case-insensitive form of ``text`` (NFKD, combining marks dropped, casefold)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def acronym_key(text: str) -> str:
    """``A.M.O.`` / ``a-m-o`` / ``AMO`` → ``amo``: folded, non-alphanumerics removed."""
    return _NON_ALNUM.sub("", fold(text))


def acronym_keys(text: str) -> list[str]:
    """The keys under which ``text`` may be found, most literal first.

    ``AMOs`` → ``["amos", "amo"]`` (plural s); ``SAJ`` → ``["saj"]``. A final ``s`` is offered as an
    inflection when the text is longer than two letters (``AS`` stays ``as``).
    """
    key = acronym_key(text)
    keys = [key] if key else []
    stripped = text.rstrip(".")
    if len(key) > 2 and key.endswith("s") and (stripped.endswith("s") or stripped.islower()):
        keys.append(key[:-1])
    return keys


def words(text: str) -> list[str]:
    """Folded words of ``text`` (punctuation is a boundary)."""
    return _WORD.findall(fold(text))


def phrase_key(text: str) -> str:
    """Folded words joined by single spaces."""
    return " ".join(words(text))


def _singular(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def loose_key(text: str) -> str:
    """Phrase key with French plural endings dropped (``services d'AMO`` ≈ ``service d amo``)."""
    return " ".join(_singular(w) for w in words(text))


def dehyphenate(text: str) -> str:
    """Join words cut at a line end (``De-\\nvelopment`` → ``Development``) and collapse whitespace."""
    return re.sub(r"\s+", " ", _LINEBREAK_HYPHEN.sub("", text)).strip()


def strip_leading_article(text: str) -> str:
    """``l'Aide sociale à l'enfance`` → ``Aide sociale à l'enfance``; ``la East Sussex…`` → ``East Sussex…``."""
    match = re.match(r"^\s*(?:(?:l|d)['’]\s*|(?:la|le|les|un|une|des|du|the|het)\s+)", text, re.IGNORECASE)
    return text[match.end():] if match else text


_ACRONYM_SHAPE = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Z0-9][A-Za-z0-9&./'’-]{0,14}$")


def is_acronym_like(token: str) -> bool:
    """At least two capitals, starts with a capital or digit, no spaces: ``CPAS``, ``OASeS``, ``N-VA``, ``C.P.A.S.``."""
    token = token.strip()
    return bool(_ACRONYM_SHAPE.match(token)) and any(ch.isalpha() for ch in token)
