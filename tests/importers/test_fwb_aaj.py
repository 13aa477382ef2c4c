"""fwb-aaj importer: valid, stable rows; existing actor ids skipped; commune → division map complete and idempotent."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from graph.importers import fwb_aaj
from graph.importers.common import run_importer

DATA = Path(__file__).resolve().parents[2] / "data"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def test_import_is_valid_and_second_run_changes_nothing(tmp_path):
    data = _copy(tmp_path)
    run_importer(fwb_aaj, data)
    again = run_importer(fwb_aaj, data)
    assert not any(change.any for change in again)


def test_existing_actor_ids_are_never_emitted_again():
    produced = fwb_aaj.rows(DATA / "raw")
    with (DATA / "actors.csv").open(encoding="utf-8", newline="") as handle:
        kept = {r["id"] for r in csv.DictReader(handle)}
    ids = [r["id"] for r in produced["actors.fwb-aaj"]]
    assert len(ids) == len(set(ids))
    assert not kept & set(ids)


def test_one_saj_and_one_spj_per_division():
    produced = {r["id"] for r in fwb_aaj.rows(DATA / "raw")["actors.fwb-aaj"]}
    with (DATA / "actors.csv").open(encoding="utf-8", newline="") as handle:
        kept = {r["id"] for r in csv.DictReader(handle)}
    divisions = ["arlon", "bruxelles", "charleroi", "dinant", "huy", "liege", "marche", "mons", "namur",
                 "neufchateau", "nivelles", "tournai", "verviers"]
    for d in divisions:
        assert f"saj-{d}" in produced | kept
        assert f"spj-{d}" in produced


def test_every_commune_of_wallonia_and_brussels_has_a_division(tmp_path):
    data = _copy(tmp_path)
    fwb_aaj.apply_divisions(data)
    assert fwb_aaj.apply_divisions(data) == []
    with (data / "territories.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    regional = {"be-nis-21000"} | {r["id"] for r in rows if r["level"] == "district" and r["parent"] in
                                   {"be-nis-20002", "be-nis-50000", "be-nis-60000", "be-nis-80000", "be-nis-90000"}}
    communes = [r for r in rows if r["level"] == "municipality" and r["parent"] in regional]
    assert len(communes) == 280
    assert all(r["within"].startswith("be-div-") or r["within"] == "be-dg" for r in communes)
