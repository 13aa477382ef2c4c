"""be-social importer: SOS Enfants teams and sources, CPAS homepages regenerated from the reviewed table."""

from __future__ import annotations

import csv
from pathlib import Path

from graph.importers import be_social

DATA = Path(__file__).resolve().parents[2] / "data"


def test_rows_are_stable_and_keep_every_cpas():
    first = be_social.rows(DATA / "raw")
    second = be_social.rows(DATA / "raw")
    assert first == second
    with (DATA / "actors.cpas.csv").open(encoding="utf-8", newline="") as handle:
        table = {r["id"] for r in csv.DictReader(handle)}
    assert {r["id"] for r in first["actors.cpas"]} == table


def test_filled_rows_are_sourced_and_dated():
    produced = be_social.rows(DATA / "raw")
    sources = {r["id"] for r in produced["sources.be-social"]}
    for part in ("actors.be-social", "actors.cpas"):
        for row in produced[part]:
            if row.get("homepage") or row.get("contact_page"):
                assert row["verified"] == be_social.VERIFIED and row["review_due"] == be_social.REVIEW_DUE
                assert any(s in sources for s in row["source"].split("|")), row["id"]
    assert all(r["kind"] == "web" and r["url"] and r["seen_on"] for r in produced["sources.be-social"])
