"""Edit one row of a data table, all-or-nothing, with a history of every change.

:func:`apply_edit` changes (or adds) one row of ``data/<table>[.<part>].csv``:

1. under an exclusive lock (one edit at a time), find the row and compare its ETag with ``if_match``
   (:class:`EditConflict` if someone changed it since it was read: nothing is overwritten silently);
2. write the new file into a **temporary copy** of the tables and run :func:`graph.build.pipeline.check` on it —
   every cell rule, reference and SHACL shape (:class:`EditInvalid` with the file, row and column of
   each problem: nothing published);
3. append the change to the history (``<store root>/history.jsonl``, fsynced) as *pending*;
4. replace the real file (write a temporary file beside it, fsync, ``os.replace``, fsync the directory:
   a reader or a crash sees the old file or the new one, never a mix) — only the record's own lines
   change, every other line is kept byte for byte;
5. rebuild the store (:func:`graph.build.pipeline.build`, itself swapped in atomically) and append *done*.

A process killed after step 4 left a *pending* change whose file is already written: :func:`recover`
(called before every edit, and by the web app on its first edit) rebuilds the store and completes it, so
an acknowledged edit is never lost. History records say who, when, what (old and new values of each
changed column) and why.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from graph.build.pipeline import BuildFailed, build, check
from graph.build.tables import ID_PATTERN, Problem, table_files
from graph.config import data_dir, store_dir
from graph.ops.backup import complete_pending_restore
from graph.store import fsync_dir
from graph.store.locks import LockBusy, edit_lock
from graph.vocab.schema import TABLES_BY_NAME, Table

__all__ = ["EditError", "EditConflict", "EditInvalid", "EditNotFound", "EditBusy", "Row", "get_row", "row_etag",
           "apply_edit", "history", "recover", "HISTORY_FILE", "MAX_REASON"]

HISTORY_FILE = "history.jsonl"
MAX_REASON = 500
LOCK_TIMEOUT = 30.0


class EditError(Exception):
    """An edit was refused; nothing was changed."""

    status = 400

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class EditNotFound(EditError):
    status = 404


class EditConflict(EditError):
    """The row changed since it was read (ETag mismatch)."""

    status = 412


class EditInvalid(EditError):
    """The edited tables do not validate."""

    status = 422


class EditBusy(EditError):
    """Another edit or build holds the lock for too long."""

    status = 503


@dataclass
class Row:
    """One record of a table: its values, its file, and the lines it spans there."""

    table: str
    values: dict[str, str]
    file: Path
    first_line: int
    """0-based index of its first line in the file."""
    end_line: int

    @property
    def etag(self) -> str:
        return row_etag(self.values)


def row_etag(values: dict[str, str]) -> str:
    """A strong ETag of a row's values (quoted, as HTTP sends it)."""
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f'"{digest[:20]}"'


def _table(name: str) -> Table:
    table = TABLES_BY_NAME.get(name)
    if table is None:
        raise EditNotFound(f"unknown table {name!r} (tables: {', '.join(sorted(TABLES_BY_NAME))})")
    return table


def _records(path: Path) -> tuple[list[str], list[str], list[tuple[list[str], int, int]]]:
    """(lines with their ends, header, [(cells, first line, end line)]) of a CSV file."""
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    reader = csv.reader(iter(lines))
    header: list[str] = []
    records = []
    start = 0
    for cells in reader:
        end = reader.line_num
        if not header:
            header = [c.strip() for c in cells]
        elif cells and any(c.strip() for c in cells):
            records.append((cells, start, end))
        start = end
    return lines, header, records


def get_row(table: str, row_id: str, data: Path | str | None = None) -> Row:
    """The row ``row_id`` of ``table`` (:class:`EditNotFound` if there is none)."""
    spec = _table(table)
    directory = Path(data) if data else data_dir()
    for path in table_files(spec, directory):
        if not path.exists():
            continue
        _lines, header, records = _records(path)
        for cells, first, end in records:
            values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
            if values.get("id") == row_id:
                ordered = {c.name: values.get(c.name, "") for c in spec.columns}
                return Row(table, ordered, path, first, end)
    raise EditNotFound(f"no row {row_id!r} in {table}")


def _encode(header: list[str], values: dict[str, str], newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline, quoting=csv.QUOTE_MINIMAL).writerow(
        [values.get(name, "") for name in header])
    return buffer.getvalue()


def _replace_file(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if err.errno == 28:
            raise EditError(f"disk full while writing {path.name}: nothing was changed") from err
        raise EditError(f"cannot write {path.name}: {err}; nothing was changed") from err
    fsync_dir(path.parent)


@contextlib.contextmanager
def _edit_lock(root: Path) -> Iterator[None]:
    """The store's edit lock (:func:`graph.store.locks.edit_lock`), busy reported as :class:`EditBusy`."""
    try:
        lock = edit_lock(root, LOCK_TIMEOUT)
        lock.__enter__()
    except LockBusy as err:
        raise EditBusy(str(err)) from None
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _append_history(root: Path, record: dict) -> None:
    root.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    try:
        fd = os.open(root / HISTORY_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as err:
        if err.errno == 28:
            raise EditError("disk full while writing the history: nothing was changed") from err
        raise EditError(f"cannot write the history: {err}; nothing was changed") from err


def _read_history(root: Path) -> list[dict]:
    try:
        text = (root / HISTORY_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    records = []
    for line in text.splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue  # a line torn by a crash while appending: its edit never reached the data
    return records


def _clean_changes(spec: Table, changes: dict) -> dict[str, str]:
    names = {c.name for c in spec.columns}
    clean = {}
    for key, value in changes.items():
        if key not in names:
            raise EditError(f"unknown column {key!r} in {spec.name} (columns: {', '.join(sorted(names))})")
        if value is None:
            value = ""
        if not isinstance(value, str | int | float):
            raise EditError(f"column {key!r}: expected text")
        value = str(value).replace("\r\n", "\n").strip()
        if len(value) > 5000:
            raise EditError(f"column {key!r}: longer than 5000 characters")
        clean[key] = value
    return clean


def apply_edit(table: str, row_id: str, changes: dict, user: str, reason: str, if_match: str | None = None,
               create: bool = False, data: Path | str | None = None, store: Path | str | None = None) -> dict:
    """Change (or, with ``create``, add) the row ``row_id`` of ``table``; return the history record.

    Raises :class:`EditNotFound`, :class:`EditConflict` (``if_match`` is not the row's ETag),
    :class:`EditInvalid` (with every problem), :class:`EditBusy` or :class:`EditError`; then nothing changed.
    """
    spec = _table(table)
    directory = Path(data) if data else data_dir()
    root = Path(store) if store else store_dir()
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise EditError("say why: every change is recorded with its reason")
    if len(reason) > MAX_REASON:
        raise EditError(f"the reason is longer than {MAX_REASON} characters")
    if not ID_PATTERN.match(row_id or ""):
        raise EditError(f"{row_id!r} is not a valid id")
    clean = _clean_changes(spec, changes)
    if clean.get("id", row_id) != row_id:
        raise EditError("an id is never renamed once published: add a new row instead")
    complete_pending_restore(root)  # a restore cut short by a crash is finished before any edit
    with _edit_lock(root):
        recover(directory, root, _locked=True)
        if create:
            for other in TABLES_BY_NAME:
                with contextlib.suppress(EditNotFound):
                    get_row(other, row_id, directory)
                    raise EditConflict(f"id {row_id!r} is already used in {other}")
            path = directory / spec.file
            lines, header, _records_ = _records(path)
            old_values = dict.fromkeys((c.name for c in spec.columns), "")
            new_values = {**old_values, **clean, "id": row_id}
            newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
            if lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += newline
            new_lines = [*lines, _encode(header, new_values, newline)]
        else:
            row = get_row(table, row_id, directory)
            if if_match is not None and if_match.strip() not in (row.etag, "*"):
                raise EditConflict(f"{table}/{row_id} was changed by someone else since you read it (ETag "
                                   f"{row.etag}, yours {if_match.strip()}): reload it and apply your change again")
            path = row.file
            lines, header, _records_ = _records(path)
            old_values = row.values
            new_values = {**old_values, **clean}
            newline = "\r\n" if lines[row.first_line].endswith("\r\n") else "\n"
            new_lines = [*lines[:row.first_line], _encode(header, new_values, newline), *lines[row.end_line:]]
        diff = {k: {"old": old_values.get(k, ""), "new": v} for k, v in new_values.items()
                if v != old_values.get(k, "")}
        if not diff:
            raise EditError("nothing to change: the values are the same")
        content = "".join(new_lines)
        _validate_copy(directory, path.name, content, root)
        record = {"edit": uuid.uuid4().hex, "at": datetime.now(UTC).isoformat(timespec="seconds"), "user": user,
                  "reason": reason, "table": table, "id": row_id, "file": path.name,
                  "action": "create" if create else "update", "changes": diff, "etag": row_etag(new_values),
                  "status": "pending"}
        _append_history(root, record)
        _replace_file(path, content)
        try:
            version = _rebuild(directory, root, record)
        except EditError:
            _replace_file(path, "".join(lines))
            _append_history(root, {"edit": record["edit"], "status": "abandoned",
                                   "at": datetime.now(UTC).isoformat(timespec="seconds")})
            raise
        record = {**record, "status": "done", "version": version}
        _append_history(root, {"edit": record["edit"], "status": "done", "version": version,
                               "at": datetime.now(UTC).isoformat(timespec="seconds")})
        return record


def _validate_copy(directory: Path, file_name: str, content: str, root: Path) -> None:

    scratch = root / ".edit-tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(directory, copy, ignore=shutil.ignore_patterns("README.md", ".*"))
        (copy / file_name).write_text(content, encoding="utf-8", newline="")
        try:
            check(copy)
        except BuildFailed as err:
            problems = [Problem(p.file.replace(str(copy), "data"), p.row, p.column, p.message) for p in err.problems]
            raise EditInvalid(f"the change does not validate ({len(problems)} problem(s)); nothing was published",
                              problems) from None


def _rebuild(directory: Path, root: Path, record: dict) -> str | None:

    try:
        return build(directory, root).version
    except BuildFailed as err:
        # the store could not be written (disk full…): the caller puts the file back
        raise EditError(f"the store could not be rebuilt ({err.problems[0].message if err.problems else err}); "
                        "nothing was changed") from None


def recover(data: Path | str | None = None, store: Path | str | None = None, _locked: bool = False) -> list[str]:
    """Complete the edits a crash left *pending* (file written, store not rebuilt); return their ids."""
    directory = Path(data) if data else data_dir()
    root = Path(store) if store else store_dir()
    records = _read_history(root)
    finished = {r["edit"] for r in records if r.get("status") in ("done", "abandoned")}
    pending = [r for r in records if r.get("status") == "pending" and r["edit"] not in finished]
    if not pending:
        return []
    completed = []
    with contextlib.ExitStack() as stack:
        if not _locked:
            stack.enter_context(_edit_lock(root))
        for record in pending:
            try:
                row = get_row(record["table"], record["id"], directory)
                applied = row.etag == record.get("etag")
            except EditError:
                applied = False
            if applied:
                version = _rebuild(directory, root, record)
                _append_history(root, {"edit": record["edit"], "status": "done", "version": version, "recovered": True,
                                       "at": datetime.now(UTC).isoformat(timespec="seconds")})
                completed.append(record["edit"])
            else:
                _append_history(root, {"edit": record["edit"], "status": "abandoned",
                                       "at": datetime.now(UTC).isoformat(timespec="seconds")})
    return completed


def history(store: Path | str | None = None, table: str | None = None, row_id: str | None = None,
            limit: int = 100) -> list[dict]:
    """The completed changes, newest first (optionally of one table or one row)."""
    root = Path(store) if store else store_dir()
    records = _read_history(root)
    done = {r["edit"]: r for r in records if r.get("status") == "done"}
    changes = [{**r, "status": "done", "version": done[r["edit"]].get("version")} for r in records
               if r.get("status") == "pending" and r["edit"] in done]
    if table:
        changes = [c for c in changes if c["table"] == table]
    if row_id:
        changes = [c for c in changes if c["id"] == row_id]
    return list(reversed(changes))[:limit]
