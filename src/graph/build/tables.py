"""Read the CSV tables of ``data/`` with pandas and check every cell against :mod:`graph.vocab.schema`.

Problems are reported in the editor's terms: file, row (as a spreadsheet shows it: the header is
row 1, the first record row 2) and column. Nothing is written anywhere by this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from graph.vocab.schema import BOOL, DATE, ENUM, ID, NUMBER, REF, TABLES, TABLES_BY_NAME, TEXT, URL, Table

__all__ = ["Problem", "TableSet", "TablesInvalid", "read_tables", "parse_date", "split_multi", "table_files"]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_PATTERN = re.compile(r"(?:\+\d{2}|\b0)[1-9](?:[ ./-]?\d{2}){3,4}\b")
CONTROL_PATTERN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_DOUBT = re.compile("|".join(p.pattern for p in (CONTROL_PATTERN, EMAIL_PATTERN, PHONE_PATTERN)))
"""Anything :func:`_check_cell` could object to in a text cell (a superset: a match means "check it")."""
MAX_CELL = 5000
MAX_PROBLEMS = 200
MULTI_SEPARATOR = "|"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the tables, located as precisely as it can be."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}


class TablesInvalid(Exception):
    """Raised when the tables have problems; carries every problem found (up to a cap)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class TableSet:
    """The checked tables: one DataFrame of strings per table, and where every id lives.

    A table may be split into parts: ``glossary.csv`` plus ``glossary.<part>.csv`` files with the same
    columns. Each frame has two extra columns, ``__file`` and ``__row``, locating every record.
    """

    directory: Path
    frames: dict[str, pd.DataFrame]
    id_table: dict[str, str] = field(default_factory=dict)
    """Global index: row id → table name."""

    def rows(self, table: str) -> int:
        return len(self.frames[table])


def split_multi(value: str) -> list[str]:
    """Split a multi-valued cell on ``|``, trimming blanks and dropping empty parts."""
    return [part.strip() for part in value.split(MULTI_SEPARATOR) if part.strip()]


def parse_date(value: str) -> tuple[int, int | None, int | None]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with a readable reason."""
    match = DATE_PATTERN.match(value)
    if not match:
        raise ValueError(f"'{value}' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{value}' has no month {month}")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"'{value}' is not a calendar date") from None
    return year, month, day


def _decode(path: Path, raw: bytes) -> tuple[str | None, Problem | None]:
    """Decode UTF-8 (BOM tolerated); on failure name the row and column holding the bad bytes."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        text = raw.decode("utf-8", errors="replace")
        line_no = raw[: err.start].count(b"\n") + 1
        column = None
        lines = text.splitlines()
        header = next(csv.reader([lines[0]])) if lines else []
        if line_no - 1 < len(lines):
            cells = next(csv.reader([lines[line_no - 1]]), [])
            for index, cell in enumerate(cells):
                if "\ufffd" in cell and index < len(header):
                    column = header[index]
                    break
        return None, Problem(path.name, line_no, column,
                             f"not UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8")


def table_files(table: Table, directory: Path) -> list[Path]:
    """The files of ``table``: ``{name}.csv`` then its parts ``{name}.<part>.csv``, sorted."""
    main = directory / table.file
    parts = sorted(p for p in directory.glob(f"{table.name}.*.csv") if p.name.count(".") == 2)
    return [main, *parts]


def _read_table(table: Table, directory: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    frames, problems = [], []
    for path in table_files(table, directory):
        frame, found = _read_frame(table, path)
        problems += found
        if frame is not None:
            frame = frame.assign(__file=path.name, __row=range(2, len(frame) + 2))
            frames.append(frame)
    if problems:
        return None, problems
    return pd.concat(frames, ignore_index=True), []


def _read_frame(table: Table, path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    if not path.exists():
        return None, [Problem(path.name, None, None, "file is missing")]
    raw = path.read_bytes()
    text, problem = _decode(path, raw)
    if problem:
        return None, [problem]
    if not text.strip():
        return None, [Problem(path.name, 1, None, "file is empty: it needs at least the header row")]
    try:
        # header=None: the header row fixes the number of cells, so a longer record is an error
        # (with a header, pandas would silently turn an extra first cell into an index)
        raw_frame = pd.read_csv(io.StringIO(text), dtype=str, header=None, keep_default_na=False,
                                na_filter=False, skip_blank_lines=True, engine="c")
    except pd.errors.ParserError as err:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if match:
            expected, row, saw = (int(g) for g in match.groups())
            return None, [Problem(path.name, row, None, f"malformed CSV: {saw} cells where the header has "
                                                        f"{expected} (a comma in an unquoted cell?)")]
        return None, [Problem(path.name, None, None, f"malformed CSV: {err}")]
    header = [str(c).strip() for c in raw_frame.iloc[0]]
    frame = raw_frame.iloc[1:].reset_index(drop=True)
    frame.columns = header
    expected = [c.name for c in table.columns]
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        return None, [Problem(path.name, 1, name, "column appears twice in the header") for name in duplicates]
    problems = [Problem(path.name, 1, name, "required column is missing") for name in expected if name not in header]
    problems += [Problem(path.name, 1, name, f"unknown column (allowed: {', '.join(expected)})")
                 for name in header if name not in expected]
    if problems:
        return None, problems
    return frame[expected], []


def _check_cell(table: Table, column, value: str, file: str, row: int) -> list[Problem]:
    if not value:
        return [Problem(file, row, column.name, "required value is empty")] if column.required else []
    if len(value) > MAX_CELL:
        return [Problem(file, row, column.name, f"value is longer than {MAX_CELL} characters")]
    if CONTROL_PATTERN.search(value):
        return [Problem(file, row, column.name, "value contains a control character")]
    values = split_multi(value) if column.multi else [value.strip()]
    if not column.multi and column.kind != TEXT and MULTI_SEPARATOR in value:
        return [Problem(file, row, column.name, "only one value allowed here (no '|')")]
    problems = []
    for item in values:
        if column.kind == ID and not ID_PATTERN.match(item):
            problems.append(Problem(file, row, column.name,
                                    f"'{item}' is not a valid id (lowercase letters, digits, '.', '_', '-')"))
        elif column.kind == ENUM and item not in column.values:
            problems.append(Problem(file, row, column.name,
                                    f"'{item}' is not an allowed value (allowed: {', '.join(column.values)})"))
        elif column.kind == BOOL and item not in ("yes", "no"):
            problems.append(Problem(file, row, column.name, f"'{item}' is not yes or no"))
        elif column.kind == DATE:
            try:
                parse_date(item)
            except ValueError as err:
                problems.append(Problem(file, row, column.name, str(err)))
        elif column.kind == NUMBER:
            try:
                number = float(item)
            except ValueError:
                problems.append(Problem(file, row, column.name, f"'{item}' is not a number"))
            else:
                if column.name.startswith("age") and not -1 <= number <= 120:
                    problems.append(Problem(file, row, column.name, f"age {item} is outside -1..120"))
        elif column.kind == URL:
            parts = urlsplit(item)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in item:
                problems.append(Problem(file, row, column.name, f"'{item}' is not an http(s) URL"))
        elif column.kind == REF and not ID_PATTERN.match(item):
            problems.append(Problem(file, row, column.name, f"'{item}' is not a valid id"))
        if column.kind in (TEXT, URL):
            if EMAIL_PATTERN.search(item) and column.kind == TEXT:
                problems.append(Problem(file, row, column.name,
                                        "contains an e-mail address: the public data holds no personal contact"))
            elif PHONE_PATTERN.search(item) and column.kind == TEXT:
                problems.append(Problem(file, row, column.name,
                                        "contains a phone number: the public data holds no personal contact"))
    return problems


def _distinct(values: pd.Series) -> list[str]:
    return pd.unique(values.to_numpy(dtype=object)).tolist()


def _clean_table(table: Table, frame: pd.DataFrame, id_table: dict[str, str],
                 distinct: dict[tuple[str, str], list[str]]) -> bool:
    """True if no cell of ``frame`` has a problem and its ids are new; then record its ids in ``id_table``.

    A cell's check depends only on its column and value, so each distinct value of a column is checked once
    (enums, references, dates repeat); any doubt sends the table to the row-by-row check, which words the
    problems with their file, row and column.
    """
    doubt = _TEXT_DOUBT.search
    for column in table.columns:
        values = distinct[(table.name, column.name)] = _distinct(frame[column.name])
        if column.kind == TEXT:
            if (max(map(len, values), default=0) > MAX_CELL or any(map(doubt, values))
                    or (column.required and not all(v.strip() for v in values))):
                return False
        elif column.kind in (ID, REF) and not column.multi:
            stripped = list(map(str.strip, values))
            present = [v for v in stripped if v] if not column.required else stripped
            if not all(map(ID_PATTERN.match, present)):
                return False
        elif any(_check_cell(table, column, value.strip(), "", 0) for value in values):
            return False
    ids = [value.strip() for value in frame["id"].tolist()]
    if len(set(ids)) != len(ids) or any(row_id in id_table for row_id in ids):
        return False
    id_table.update(dict.fromkeys(ids, table.name))
    return True


def _check_rows(table: Table, frame: pd.DataFrame, id_table: dict[str, str],
                distinct: dict[tuple[str, str], list[str]] | None = None) -> list[Problem]:
    if _clean_table(table, frame, id_table, {} if distinct is None else distinct):
        return []
    problems: list[Problem] = []
    names = [c.name for c in table.columns]
    for record in frame[[*names, "__file", "__row"]].itertuples(index=False, name=None):
        file, row = record[-2], record[-1]
        for column, value in zip(table.columns, record[:-2], strict=True):
            problems += _check_cell(table, column, value.strip(), file, row)
        row_id = record[0].strip()
        if row_id:
            if row_id in id_table:
                other = id_table[row_id]
                problems.append(Problem(file, row, "id", f"duplicate id '{row_id}' (already used in {other} table)"))
            else:
                id_table[row_id] = table.name
        if len(problems) > MAX_PROBLEMS:
            break
    return problems


_PADDED = re.compile(r"^[^\S\n]|[^\S\n]$", re.MULTILINE)


def _any_padded(values: list[str]) -> bool:
    """True if a value starts or ends with white space (what ``str.strip`` removes), in one regex pass over
    the values joined by newlines; values holding a newline are checked one by one."""
    joined = "\n".join(values)
    if joined.count("\n") != max(0, len(values) - 1):
        return any(value != value.strip() for value in values)
    return _PADDED.search(joined) is not None


def _references_resolve(column, values: list[str], id_table: dict[str, str]) -> bool:
    """True if every id in ``values`` (cells of a ``ref`` column) is an id of one of the column's tables."""
    targets: set[str] = set()
    for value in values:
        if column.multi and MULTI_SEPARATOR in value:
            targets.update(split_multi(value))
        elif value.strip():
            targets.add(value.strip())
    return all(id_table.get(target) in column.refs for target in targets)


def _check_references(tables: dict[str, pd.DataFrame], id_table: dict[str, str],
                      distinct: dict[tuple[str, str], list[str]] | None = None) -> list[Problem]:
    distinct = {} if distinct is None else distinct
    problems: list[Problem] = []
    for table in TABLES:
        frame = tables[table.name]
        for column in table.columns:
            if column.kind != REF:
                continue
            values = distinct.get((table.name, column.name))
            if _references_resolve(column, _distinct(frame[column.name]) if values is None else values, id_table):
                continue
            for value, file, row in zip(frame[column.name], frame["__file"], frame["__row"], strict=True):
                targets = split_multi(value) if column.multi else ([value.strip()] if value.strip() else [])
                for target in targets:
                    found = id_table.get(target)
                    if found is None:
                        allowed = " or ".join(f"{t}.csv" for t in column.refs)
                        problems.append(Problem(file, row, column.name, f"'{target}' is not an id of {allowed}"))
                    elif found not in column.refs:
                        allowed = " or ".join(f"{t}.csv" for t in column.refs)
                        problems.append(Problem(file, row, column.name,
                                                f"'{target}' is an id of {found}.csv, expected {allowed}"))
    return problems


def _check_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rules across the cells of one row that a single cell cannot state."""
    problems: list[Problem] = []
    sources = tables["sources"]
    for url, seen, file, row in zip(sources["url"], sources["seen_on"], sources["__file"], sources["__row"],
                                    strict=True):
        if url.strip() and not seen.strip():
            problems.append(Problem(file, row, "seen_on", "a source with a url needs the date it was seen"))
    glossary = tables["glossary"]
    any_term = (glossary["term_fr"].str.strip() + glossary["term_nl"].str.strip() + glossary["term_en"].str.strip()
                + glossary["term_de"].str.strip())
    for status, full, acronym, definition, file, row in zip(
            glossary["expansion"], any_term, glossary["acronym"], glossary["definition"],
            glossary["__file"], glossary["__row"], strict=True):
        if status == "known" and not full:
            problems.append(Problem(file, row, "term_fr", "a defined sense needs its full form (in at least one of "
                                                          "term_fr, term_nl, term_en, term_de)"))
        if status == "unknown" and not acronym.strip():
            problems.append(Problem(file, row, "acronym", "an unknown expansion needs its acronym"))
        if status == "unknown" and (full or definition.strip()):
            problems.append(Problem(file, row, "term_fr",
                                    "an unknown expansion has no full form or definition: nothing is invented"))
        if not full and not acronym.strip():
            problems.append(Problem(file, row, "term_fr", "a sense needs a full form or an acronym"))
    return problems


def read_tables(directory: Path | str) -> TableSet:
    """Read and check every table of ``directory``; raise :class:`TablesInvalid` listing all problems."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TablesInvalid([Problem(str(directory), None, None, "data directory does not exist")])
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table in TABLES:
        frame, found = _read_table(table, directory)
        problems += found
        if frame is not None:
            frames[table.name] = frame
    if problems:
        raise TablesInvalid(problems)
    id_table: dict[str, str] = {}
    distinct: dict[tuple[str, str], list[str]] = {}
    for table in TABLES:
        problems += _check_rows(table, frames[table.name], id_table, distinct)
    if problems:
        raise TablesInvalid(problems)
    problems += _check_references(frames, id_table, distinct)
    problems += _check_rules(frames)
    if problems:
        raise TablesInvalid(problems[:MAX_PROBLEMS])
    for name, frame in frames.items():
        for column in TABLES_BY_NAME[name].columns:
            values = distinct.get((name, column.name))
            if _any_padded(_distinct(frame[column.name]) if values is None else values):
                frame[column.name] = [value.strip() for value in frame[column.name].tolist()]
    return TableSet(directory, frames, id_table)
