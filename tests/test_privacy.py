"""The bundled public data holds no person's name, e-mail address or phone number."""

from __future__ import annotations

import re
import unicodedata

from graph.build.tables import EMAIL_PATTERN, PHONE_PATTERN
from tests.conftest import DATA_DIR

# People named in seed 001 (participants, excused, co-chairs, minute-taker), written by reading it.
SEED_PEOPLE = [
    "Anne-Sophie Fontaine", "Calogero Canta", "Lillo Canta", "Angélique Sallendre", "Aurélié Reyes",
    "Aurélie Reyes", "Florence Trifaux", "Geneviève Perreaux", "Jerôme Petit", "Margot Timmermans",
    "Marie Jadot", "Marylène Rensi", "Michaël Dupanloup", "Nathalie Dufasnes", "Pascal Rigot",
    "Sébastien Mercier", "Jonathan Prévost", "Sirjacq Cyriel", "Sonia La Delfa", "Raphaël Vizzini",
    "Béatrice Deloie", "Kathleen Payen", "Ludivine Brokken", "Sofian Azaoum", "Julien Vandecassye",
    "Isabelle Walhain", "Muguette Poncelet", "Sophie Berlière", "Céline Van Aubel", "Séverine Stavelot",
    "Ghislain Plunus", "Bernadette Groesmans", "Fatima Zaitouni", "Fatima Aynaci", "Guy Declercq",
    "Elke Sleurs", "Peter Raeymaeckers",
]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _data_text() -> dict[str, str]:
    """Every table, harvested list and corpus document of ``data/`` (raw inputs included)."""
    return {str(path.relative_to(DATA_DIR)): path.read_text(encoding="utf-8")
            for path in sorted(DATA_DIR.rglob("*")) if path.suffix in (".csv", ".tsv", ".txt", ".json", ".md")}


def test_no_email_address_or_phone_number_in_data():
    for name, text in _data_text().items():
        assert not EMAIL_PATTERN.search(text), f"e-mail address in {name}"
        assert not PHONE_PATTERN.search(text), f"phone number in {name}"


def test_no_person_named_in_the_seeds_appears_in_data():
    for name, text in _data_text().items():
        folded = _fold(text)
        for person in SEED_PEOPLE:
            first, last = _fold(person).split(" ", 1)
            # "first last" or "last first", whatever the case and accents
            pattern = rf"\b({re.escape(first)}\W+{re.escape(last)}|{re.escape(last)}\W+{re.escape(first)})\b"
            assert not re.search(pattern, folded), f"{person} appears in {name}"
