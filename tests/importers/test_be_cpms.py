"""The be-cpms importer: commune matching and the rows it produces from data/raw/be-cpms."""

from pathlib import Path

import pytest

from graph.importers import be_cpms

DATA = Path(__file__).resolve().parents[2] / "data"


def test_match_commune_accents_case_and_prefix():
    index = {"liege": ["be-nis-62063"], "molenbeek saint jean": ["be-nis-21012"],
             "sint jans molenbeek": ["be-nis-21012"]}
    assert be_cpms.match_commune("LIÈGE", index) == "be-nis-62063"
    assert be_cpms.match_commune("Molenbeek", index) == "be-nis-21012"
    with pytest.raises(ValueError):
        be_cpms.match_commune("Atlantis", index)


def test_rows_are_sourced_dated_and_located():
    produced = be_cpms.rows(DATA / "raw")
    actors = produced["actors.be-cpms"]
    source_ids = {row["id"] for row in produced["sources.be-cpms"]}
    assert len(actors) >= 10
    for row in actors:
        assert row["source"] and row["locator"] and row["verified"] == "2026-12-07"
        assert row["territory"]
        if row["kind"] != "network":
            assert row["service_type"] == "st-be-cpms"
    assert all(row["seen_on"] == "2026-12-07" and row["url"] for row in produced["sources.be-cpms"])
    assert "cpms-web-1030-schaerbeek" in source_ids
