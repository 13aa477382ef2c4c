"""Historical senses read from a store: glossary rows with valid_from, valid_to, replaced_by → index → lookup."""

from __future__ import annotations

import csv
import shutil

import pytest

from graph.build.pipeline import build
from graph.config import PROJECT_ROOT
from graph.glossary.index import build_index
from graph.glossary.lookup import lookup
from graph.store import EmbeddedStore

COLUMNS = ["id", "acronym", "term_fr", "expansion", "definition", "sector", "country", "valid_from", "valid_to",
           "replaced_by", "source", "locator"]
# Test-only rows (fictional acronyms, so that no test fact is mistaken for a fact of the field).
ROWS = [
    ["g-test-qpe", "QPE", "quartier de prévention éducative", "known", "Ancien dispositif (test).", "aide-jeunesse",
     "be-fwb", "1999-01-01", "2018-12-31", "g-test-qsp", "seed-001", "test"],
    ["g-test-qsp", "QSP", "quartier de soutien à la prévention", "known", "Dispositif actuel (test).",
     "aide-jeunesse", "be-fwb", "2019-01-01", "", "", "seed-001", "test"],
    ["g-test-qpe-now", "QPE", "quota de places d'écoute", "known", "Sens actuel du même sigle (test).",
     "aide-jeunesse", "be-fwb", "2020-01-01", "", "", "seed-001", "test"],
]


@pytest.fixture(scope="module")
def time_index(tmp_path_factory):
    data = tmp_path_factory.mktemp("time-data") / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("README.md"))
    path = data / "glossary.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in ROWS:
            values = dict(zip(COLUMNS, row, strict=True))
            writer.writerow([values.get(column, "") for column in header])
    root = tmp_path_factory.mktemp("time-store")
    build(data, root)
    return build_index(EmbeddedStore(root))


def test_the_index_reads_the_time_columns(time_index):
    old = time_index.entries[time_index.by_id["g-test-qpe"]]
    assert (old.valid_from, old.valid_to) == ("1999-01-01", "2018-12-31")
    assert [iri.rsplit("/", 1)[-1] for iri in old.replaced_by] == ["g-test-qsp"]
    assert not old.is_current() and old.is_current("2018-12-30")
    new = time_index.entries[time_index.by_id["g-test-qsp"]]
    assert new.valid_to is None and new.replaced_by == [] and new.is_current()


def test_lookup_shows_the_current_sense_first_and_what_the_old_one_became(time_index):
    senses = lookup(time_index, "QPE", country="be-fwb")["senses"]
    assert [s["id"] for s in senses] == ["g-test-qpe-now", "g-test-qpe"]
    old = senses[1]
    assert old["current"] is False and old["valid_to"] == "2018-12-31"
    assert [(r["acronym"], r["label"]) for r in old["replaced_by"]] == [("QSP", "quartier de soutien à la prévention")]
    assert "replaced by QSP" in old["reason"]


def test_the_successor_says_what_it_replaced(time_index):
    (successor,) = lookup(time_index, "QSP")["senses"]
    assert [(p["acronym"], p["valid_to"]) for p in successor["replaces"]] == [("QPE", "2018-12-31")]
