"""The importer machinery: an invalid import changes nothing and names file, row and column; a re-run on the
same input changes nothing; glossary ids stay pinned when harvested files are added or reordered."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import types

import pytest

from graph.importers import glossary_lists
from graph.importers.common import ImportFailed, run_importer
from tests.conftest import DATA_DIR


@pytest.fixture()
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("raw", "corpus"))
    (target / "raw").mkdir()
    return target


def _importer(rows):
    return types.SimpleNamespace(NAME="t", DESCRIPTION="test", rows=lambda raw: rows)


def test_an_invalid_import_changes_nothing_and_says_where(data):
    before = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    bad = _importer({"sources.t": [{"id": "web-t", "kind": "bogus", "title": "T"}]})
    with pytest.raises(ImportFailed) as caught:
        run_importer(bad, data)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("sources.t.csv", 2, "kind")
    assert {p.name: p.read_bytes() for p in data.glob("*.csv")} == before


def test_a_rerun_changes_nothing(data):
    good = _importer({"sources.t": [{"id": "web-t", "kind": "web", "title": "T", "url": "https://example.org/",
                                     "seen_on": "2026-12-07"}]})
    first = run_importer(good, data)
    assert first[0].added == ["web-t"]
    again = run_importer(good, data)
    assert not again[0].any and again[0].unchanged == 1


def _write_tsv(path, rows, source="seed-001"):
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# source: {source}", "# sector: aide-jeunesse", "# country: be-fwb", "acronym\tterm_fr\tlocator"]
    lines += [f"{a}\t{t}\tp" for a, t in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ids(data, part):
    with (data / f"glossary.{part}.csv").open(encoding="utf-8") as handle:
        return {row["acronym"]: row["id"] for row in csv.DictReader(handle)}


def test_glossary_ids_stay_pinned_when_files_are_added(data):
    raw = data / "raw" / "glossary" / "zz"
    _write_tsv(raw / "b.tsv", [("QZA", "première forme"), ("QZB", "deuxième forme")])
    run_importer(glossary_lists, data)
    before = _ids(data, "zz")
    # a new document sorting first, naming the same acronym with another sense, must not take the old ids
    _write_tsv(raw / "a.tsv", [("QZA", "un autre sens du même sigle")])
    run_importer(glossary_lists, data)
    with (data / "glossary.zz.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kept = {r["id"] for r in rows if r["term_fr"] in ("première forme", "deuxième forme")}
    assert kept == set(before.values())
    assert len({r["id"] for r in rows}) == 3


def test_import_command_lists_and_refuses_unknown(tmp_path):
    cmd = [sys.executable, "-m", "graph.cli.app", "import"]
    listing = subprocess.run([*cmd, "--list", "--json"], capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0 and "glossary-lists" in listing.stdout
    unknown = subprocess.run([*cmd, "nope"], capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 2 and "unknown importer" in unknown.stderr
