"""The build pipeline on the bundled data and on a suite of broken inputs.

Every broken input must make the build fail with a problem naming the file, row and column, and
must leave the previously built store exactly as it was.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from graph.build.pipeline import BuildFailed, build, check
from graph.build.tables import read_tables
from graph.store import EmbeddedStore


def rewrite(path: Path, edit) -> None:
    """Read a CSV as a list of dict rows, let ``edit(header, rows)`` change it, write it back."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames), list(reader)
    header = edit(header, rows) or header
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(path: Path, index: int, column: str, value: str) -> None:
    def edit(header, rows):
        rows[index][column] = value

    rewrite(path, edit)


@pytest.fixture()
def prebuilt(tmp_path, data_copy) -> tuple[Path, Path, tuple]:
    """A store built from a valid copy of the data, plus that copy (to corrupt) and its snapshot."""
    store_dir = tmp_path / "store"
    build(data_copy, store_dir)
    store = EmbeddedStore(store_dir)
    before = (store.version, sorted(store.dump_ntriples().splitlines()))
    return store_dir, data_copy, before


def assert_unchanged(store_dir: Path, before) -> None:
    store = EmbeddedStore(store_dir)
    assert store.version == before[0]
    assert sorted(store.dump_ntriples().splitlines()) == before[1]


def fail_with(data: Path, store_dir: Path) -> BuildFailed:
    with pytest.raises(BuildFailed) as caught:
        build(data, store_dir)
    return caught.value


def find(problems, file: str, row: int | None, column: str | None, fragment: str):
    for problem in problems:
        if problem.file == file and problem.row == row and problem.column == column and fragment in problem.message:
            return problem
    raise AssertionError(f"no problem {file} row {row} column {column} '{fragment}' in:\n"
                         + "\n".join(map(str, problems)))


# ---------------------------------------------------------------- the bundled data

def test_bundled_data_builds_with_every_row_sourced(bundled_store):
    from graph.query.stats import graph_stats

    stats = graph_stats(bundled_store)
    assert stats["triples"] > 1000
    assert stats["sourced_share"] == 1.0
    assert stats["rows"] == stats["sourced_rows"] > 0
    for label in ("jargon sense", "service type", "actor", "territory", "agreement", "referral link", "membership",
                  "post", "function", "sector", "source"):
        assert stats["by_class"].get(label, 0) > 0, label


def test_building_twice_gives_the_same_graph(tmp_path):
    from tests.conftest import DATA_DIR

    first = build(DATA_DIR, tmp_path / "a")
    second = build(DATA_DIR, tmp_path / "b")
    assert first.version == second.version
    dump_a = sorted(EmbeddedStore(tmp_path / "a").dump_ntriples().splitlines())
    dump_b = sorted(EmbeddedStore(tmp_path / "b").dump_ntriples().splitlines())
    assert dump_a == dump_b
    again = build(DATA_DIR, tmp_path / "a")
    assert again.version == first.version and not again.changed


def test_every_row_carries_its_table_and_row(bundled_store):
    rows = bundled_store.select("""
        SELECT ?s ?table ?row WHERE { ?s pm:fromTable ?table ; pm:fromRow ?row ; prov:wasDerivedFrom ?src }
        LIMIT 5""")
    assert rows and all(row["table"].endswith(".csv") and row["row"] >= 2 for row in rows)


def test_check_does_not_touch_any_store(tmp_path, data_copy):
    report = check(data_copy)
    assert report.version and report.triples > 0
    assert not (tmp_path / "store").exists()


# ---------------------------------------------------------------- broken inputs

def test_missing_column(prebuilt):
    store_dir, data, before = prebuilt
    rewrite(data / "actors.csv", lambda header, rows: [c for c in header if c != "kind"])
    error = fail_with(data, store_dir)
    find(error.problems, "actors.csv", 1, "kind", "required column is missing")
    assert_unchanged(store_dir, before)


def test_unknown_enum_value(prebuilt):
    store_dir, data, before = prebuilt
    set_cell(data / "service_types.csv", 0, "mandate_kind", "sometimes")
    error = fail_with(data, store_dir)
    problem = find(error.problems, "service_types.csv", 2, "mandate_kind", "'sometimes' is not an allowed value")
    assert "administrative" in problem.message
    assert_unchanged(store_dir, before)


def test_bad_date(prebuilt):
    store_dir, data, before = prebuilt
    set_cell(data / "agreements.csv", 1, "review_due", "2027-02-30")
    error = fail_with(data, store_dir)
    find(error.problems, "agreements.csv", 3, "review_due", "not a calendar date")
    assert_unchanged(store_dir, before)


def test_duplicate_id(prebuilt):
    store_dir, data, before = prebuilt

    def duplicate(header, rows):
        rows[1]["id"] = rows[0]["id"]

    rewrite(data / "sectors.csv", duplicate)
    error = fail_with(data, store_dir)
    find(error.problems, "sectors.csv", 3, "id", "duplicate id")
    assert_unchanged(store_dir, before)


def test_dangling_reference(prebuilt):
    store_dir, data, before = prebuilt
    set_cell(data / "posts.csv", 0, "function", "no-such-function")
    error = fail_with(data, store_dir)
    find(error.problems, "posts.csv", 2, "function", "'no-such-function' is not an id of functions.csv")
    assert_unchanged(store_dir, before)


def test_reference_to_the_wrong_table(prebuilt):
    store_dir, data, before = prebuilt
    set_cell(data / "posts.csv", 0, "function", "aide-jeunesse")
    error = fail_with(data, store_dir)
    find(error.problems, "posts.csv", 2, "function", "is an id of sectors.csv")
    assert_unchanged(store_dir, before)


def test_wrong_encoding(prebuilt):
    store_dir, data, before = prebuilt
    path = data / "sectors.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("aide sociale", "aide soci\u00e9ale", 1)
    path.write_bytes("".join(lines[:2]).encode("utf-8") + lines[2].encode("latin-1") +
                     "".join(lines[3:]).encode("utf-8"))
    error = fail_with(data, store_dir)
    problem = find(error.problems, "sectors.csv", 3, "label_fr", "not UTF-8")
    assert "0xe9" in problem.message
    assert_unchanged(store_dir, before)


def test_empty_file(prebuilt):
    store_dir, data, before = prebuilt
    (data / "referrals.csv").write_text("", encoding="utf-8")
    error = fail_with(data, store_dir)
    find(error.problems, "referrals.csv", 1, None, "file is empty")
    assert_unchanged(store_dir, before)


def test_missing_file(prebuilt):
    store_dir, data, before = prebuilt
    (data / "memberships.csv").unlink()
    error = fail_with(data, store_dir)
    find(error.problems, "memberships.csv", None, None, "file is missing")
    assert_unchanged(store_dir, before)


def test_unquoted_comma_names_the_row(prebuilt):
    store_dir, data, before = prebuilt
    path = data / "functions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = fail_with(data, store_dir)
    find(error.problems, "functions.csv", 2, None, "cells where the header has")
    assert_unchanged(store_dir, before)


def test_personal_contact_refused(prebuilt):
    store_dir, data, before = prebuilt
    set_cell(data / "actors.csv", 0, "description", "Contact : jean.dupont@example.org")
    error = fail_with(data, store_dir)
    find(error.problems, "actors.csv", 2, "description", "e-mail address")
    assert_unchanged(store_dir, before)


def test_invented_expansion_refused(prebuilt):
    store_dir, data, before = prebuilt
    for path in sorted(data.glob("glossary*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            if any(row["expansion"] == "unknown" for row in csv.DictReader(handle)):
                break
    else:
        raise AssertionError("the bundled glossary has no unknown expansion")

    def invent(header, rows):
        next(row for row in rows if row["expansion"] == "unknown")["term_fr"] = "zone sociale"

    rewrite(path, invent)
    error = fail_with(data, store_dir)
    assert any(p.file == path.name and p.column == "term_fr" and "nothing is invented" in p.message
               for p in error.problems)
    assert_unchanged(store_dir, before)


def test_shacl_violation_names_shape_focus_file_and_row(prebuilt):
    """A membership whose collective is a service (not a platform, network, project or programme)."""
    store_dir, data, before = prebuilt
    tables = read_tables(data)
    actors = tables.frames["actors"]
    service_id = actors.loc[actors["kind"] == "service", "id"].iloc[0]
    set_cell(data / "memberships.csv", 0, "collective", service_id)
    error = fail_with(data, store_dir)
    assert error.stage == "validate"
    problem = find(error.problems, "memberships.csv", 2, "collective", "must be a platform, network, project")
    assert "memberships/" in problem.message  # the focus node
    assert_unchanged(store_dir, before)


def test_shacl_age_order(prebuilt):
    store_dir, data, before = prebuilt
    set_cell(data / "service_types.csv", 0, "age_min", "30")
    set_cell(data / "service_types.csv", 0, "age_max", "12")
    error = fail_with(data, store_dir)
    find(error.problems, "service_types.csv", 2, "age_min", "not above age_max")
    assert_unchanged(store_dir, before)


def test_failure_while_writing_the_store_keeps_the_old_one(prebuilt, monkeypatch):
    import pyoxigraph

    store_dir, data, before = prebuilt
    set_cell(data / "sectors.csv", 0, "label_en", "changed so that the version differs")

    def broken_flush(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pyoxigraph.Store, "flush", broken_flush)
    error = fail_with(data, store_dir)
    assert error.stage == "store" and "disk full" in error.problems[0].message
    assert_unchanged(store_dir, before)
    assert not list((store_dir / "builds").glob(".tmp-*"))


def test_valid_change_is_swapped_in(prebuilt):
    store_dir, data, before = prebuilt
    set_cell(data / "sectors.csv", 0, "label_en", "youth aid (edited)")
    report = build(data, store_dir)
    assert report.changed and report.version != before[0]
    store = EmbeddedStore(store_dir)
    labels = [r["l"] for r in store.select('SELECT ?l WHERE { ?s skos:prefLabel ?l FILTER(LANG(?l) = "en") }')]
    assert "youth aid (edited)" in labels


def test_padding_check_agrees_with_str_strip():
    """The one-pass check for cells to strip finds exactly the cells that ``str.strip`` would change."""
    import random
    import sys

    from graph.build.tables import _any_padded

    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    rng = random.Random(3)
    alphabet = ["a", "é", "-", "|", "\n", *spaces]
    for _ in range(3000):
        values = ["".join(rng.choice(alphabet) if rng.random() < 0.3 else "x" for _ in range(rng.randint(0, 4)))
                  for _ in range(rng.randint(0, 4))]
        assert _any_padded(values) == any(v != v.strip() for v in values), values
