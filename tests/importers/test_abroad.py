"""The vlg, ch and fr importers: entry points outside French-speaking Belgium, from data/raw/{vlg,ch,fr}."""

from pathlib import Path

import pytest

from graph.build.tables import EMAIL_PATTERN, PHONE_PATTERN
from graph.importers import ch, fr, vlg

DATA = Path(__file__).resolve().parents[2] / "data"
CASES = [
    (vlg, "vlg", "vlg", 25),
    (ch, "ch", "ch", 40),
    (fr, "fr", "fr-directory", 18),
]


@pytest.mark.parametrize("module, part, source_part, minimum", CASES)
def test_rows_are_sourced_dated_and_private(module, part, source_part, minimum):
    produced = module.rows(DATA / "raw")
    actors = produced[f"actors.{part}"]
    sources = produced[f"sources.{source_part}"]
    assert len(actors) >= minimum
    own_sources = {row["id"] for row in sources}
    assert all(row["kind"] == "web" and row["url"] and row["seen_on"] == "2026-12-07" for row in sources)
    for row in actors:
        assert row["source"] and row["locator"], row["id"]
        assert row["verified"] == "2026-12-07" and row["review_due"] == "2027-06-07", row["id"]
        assert any(s in own_sources for s in row["source"].split("|")), row["id"]
    for rows in produced.values():
        for row in rows:
            for value in row.values():
                assert not EMAIL_PATTERN.search(value or "") and not PHONE_PATTERN.search(value or ""), row["id"]


@pytest.mark.parametrize("module, part, source_part, minimum", CASES)
def test_output_matches_the_committed_parts(module, part, source_part, minimum):
    """Re-running the importer on the committed harvest changes nothing (same ids as the table parts)."""
    import csv

    for key, rows in module.rows(DATA / "raw").items():
        with open(DATA / f"{key}.csv", encoding="utf-8") as handle:
            committed = {row["id"] for row in csv.DictReader(handle)}
        assert committed == {row["id"] for row in rows}, key


def test_ids_are_unique_across_the_three_parts_and_the_rest_of_the_data():
    import csv

    ours = {}
    for module, _part, _source_part, _ in CASES:
        for key, rows in module.rows(DATA / "raw").items():
            for row in rows:
                assert row["id"] not in ours, row["id"]
                ours[row["id"]] = key
    mine = {f"{key}.csv" for key in set(ours.values())}
    for path in sorted(DATA.glob("*.csv")):
        if path.name in mine:
            continue
        with open(path, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert row.get("id") not in ours, (row.get("id"), path.name)
