"""Shared machinery of the importers: raw inputs, slugs, writing table parts with a diff, atomic validation.

An importer returns ``{"<table>.<part>": [row, ...]}``; :func:`run_importer` writes every part with the
schema's header order, rows sorted by id, into a copy of the data directory, validates that copy with the
real build checks (tables + SHACL) and only then replaces the files in ``data/``: an invalid import leaves
the previous data intact. Re-running on the same input rewrites identical bytes (no change reported).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from graph.build import pipeline as build_module  # the build pipeline, read only
from graph.vocab.schema import TABLES_BY_NAME

RAW_DIRNAME = "raw"


class ImportFailed(Exception):
    """An importer's output is not valid; nothing was written. ``problems`` name file, row and column."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class PartChange:
    """What an import changed in one table part, by row id."""

    file: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def as_dict(self) -> dict:
        return {"file": self.file, "added": self.added, "removed": self.removed, "changed": self.changed,
                "unchanged": self.unchanged}


def slug(text: str) -> str:
    """ASCII slug of ``text``: lower case, accents dropped, runs of other characters turned into ``-``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def read_raw_table(path: Path, delimiter: str = "\t") -> list[dict[str, str]]:
    """Rows of a harvested TSV (default) or CSV file; lines starting with ``#`` are comments (source notes)."""
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def _part_path(data_dir: Path, part: str) -> Path:
    table_name, _, part_name = part.partition(".")
    if table_name not in TABLES_BY_NAME or not part_name or "." in part_name:
        raise ImportFailed(f"'{part}' is not '<table>.<part>' for a known table")
    return data_dir / f"{part}.csv"


def render_part(part: str, rows: list[dict]) -> str:
    """The CSV text of ``rows`` with the schema's header, sorted by id; unknown keys are an error."""
    table = TABLES_BY_NAME[part.partition(".")[0]]
    header = [c.name for c in table.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in sorted(rows, key=lambda r: r["id"]):
        unknown = set(row) - set(header)
        if unknown:
            raise ImportFailed(f"{part}: row {row.get('id')} has unknown column(s) {sorted(unknown)}")
        writer.writerow([str(row.get(name, "") or "") for name in header])
    return out.getvalue()


def _ids_and_lines(text: str) -> dict[str, str]:
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    return {row[0]: "\x1f".join(row) for row in reader if row}


def diff_part(file: str, old_text: str, new_text: str) -> PartChange:
    """Rows added, removed and changed between two versions of a part, by id."""
    old, new = _ids_and_lines(old_text), _ids_and_lines(new_text)
    change = PartChange(file)
    change.added = sorted(set(new) - set(old))
    change.removed = sorted(set(old) - set(new))
    both = set(old) & set(new)
    change.changed = sorted(i for i in both if old[i] != new[i])
    change.unchanged = len(both) - len(change.changed)
    return change


def run_importer(importer, data_dir: Path, raw_dir: Path | None = None, dry_run: bool = False) -> list[PartChange]:
    """Run ``importer`` on ``raw_dir`` (default ``data_dir/raw``), validate, then write its parts.

    The parts are first written into a temporary copy of ``data_dir`` which is checked with the build's own
    table and SHACL checks; on any problem :class:`ImportFailed` is raised and ``data_dir`` is untouched.
    """

    data_dir = Path(data_dir)
    raw_dir = Path(raw_dir) if raw_dir else data_dir / RAW_DIRNAME
    produced = importer.rows(raw_dir)
    rendered = {part: render_part(part, rows) for part, rows in produced.items()}
    changes = []
    for part, text in rendered.items():
        path = _part_path(data_dir, part)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        changes.append(diff_part(path.name, old, text))
    with tempfile.TemporaryDirectory(prefix="pm-import-") as tmp:
        staging = Path(tmp) / "data"
        shutil.copytree(data_dir, staging, ignore=shutil.ignore_patterns(RAW_DIRNAME))
        for part, text in rendered.items():
            _part_path(staging, part).write_text(text, encoding="utf-8")
        try:
            build_module.check(staging)
        except build_module.BuildFailed as err:
            raise ImportFailed(f"the import would make the data invalid ({len(err.problems)} problem(s) in "
                               f"the {err.stage} stage); nothing was written", err.problems) from err
    if not dry_run:
        for part, text in rendered.items():
            path = _part_path(data_dir, part)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                tmp_path = path.with_suffix(".csv.tmp")
                tmp_path.write_text(text, encoding="utf-8")
                tmp_path.replace(path)
    return changes


SEARCH_INDEX_CITATION = "copie stockée consultée via l'index de recherche du projet"
"""How the harvested pages were read: through the project's search index (stored copies)."""


def web_source_rows(path: Path, seen_on: str, citation: str = SEARCH_INDEX_CITATION) -> list[dict]:
    """``sources`` rows (``kind=web``) of a harvested ``sources.tsv``: id, title, publisher, issued, url and an
    optional note appended to the citation; every page seen on ``seen_on``."""
    out = []
    for row in read_raw_table(path):
        note = row.get("note", "")
        out.append({"id": row["id"], "kind": "web", "title": row["title"],
                    "citation": citation + (f" ; {note}" if note else ""), "publisher": row.get("publisher", ""),
                    "issued": row.get("issued", ""), "url": row["url"], "seen_on": seen_on})
    return out

