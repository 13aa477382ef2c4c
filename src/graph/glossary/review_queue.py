"""The review queue: candidates found in documents, waiting for an editor's decision.

Nothing a document suggests enters the published graph by itself: :mod:`.ingest` only *queues*
candidates here, in an SQLite file beside the store (``<store root>/review/queue.sqlite``). An
editor lists them (:func:`ReviewQueue.list`), then accepts or rejects each (:meth:`ReviewQueue.accept`,
:meth:`ReviewQueue.reject`); an accepted candidate carries the table row it suggests
(:meth:`ReviewQueue.table_rows`), which the editor adds to ``data/`` and publishes with
``passe-muraille build`` — the only way into the graph.

Each candidate has a ``kind`` (``sense``, ``actor`` or ``co_mention``), a ``key`` (what makes two
candidates the same), a JSON ``payload``, and its provenance: the document, the offsets, a snippet.
Queuing the same candidate from the same place twice does nothing.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["ReviewQueue", "Candidate", "queue_path", "STATUSES", "KINDS"]

STATUSES = ("pending", "accepted", "rejected")
KINDS = ("sense", "actor", "co_mention")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS candidates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  payload TEXT NOT NULL,
  document TEXT NOT NULL,
  start INTEGER,
  "end" INTEGER,
  snippet TEXT,
  status TEXT NOT NULL DEFAULT 'pending',
  created TEXT NOT NULL,
  decided TEXT,
  editor TEXT,
  note TEXT,
  UNIQUE (kind, key, document, start)
);
CREATE INDEX IF NOT EXISTS candidates_status ON candidates (status, kind);
"""


def queue_path(store_root: Path | str) -> Path:
    """Where the queue of a store lives."""
    return Path(store_root) / "review" / "queue.sqlite"


@dataclass(frozen=True)
class Candidate:
    id: int
    kind: str
    key: str
    payload: dict
    document: str
    start: int | None
    end: int | None
    snippet: str | None
    status: str
    created: str
    decided: str | None
    editor: str | None
    note: str | None

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "key": self.key, "payload": self.payload,
                "document": self.document, "start": self.start, "end": self.end, "snippet": self.snippet,
                "status": self.status, "created": self.created, "decided": self.decided, "editor": self.editor,
                "note": self.note}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReviewQueue:
    """The queue file of one store (created on first use)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(_SCHEMA)

    @classmethod
    def for_store(cls, store_root: Path | str) -> ReviewQueue:
        return cls(queue_path(store_root))

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    @staticmethod
    def _row(row: sqlite3.Row) -> Candidate:
        data = dict(row)
        data["payload"] = json.loads(data["payload"])
        return Candidate(**data)

    def add(self, kind: str, key: str, payload: dict, document: str, start: int | None = None,
            end: int | None = None, snippet: str | None = None) -> int | None:
        """Queue one candidate; return its id, or None if the same one from the same place is queued already."""
        if kind not in KINDS:
            raise ValueError(f"unknown candidate kind {kind!r}")
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                'INSERT OR IGNORE INTO candidates (kind, key, payload, document, start, "end", snippet, created) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, key, json.dumps(payload, ensure_ascii=False), document, start, end, snippet, _now()))
            return cursor.lastrowid if cursor.rowcount else None

    def get(self, candidate_id: int) -> Candidate | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT * FROM candidates WHERE id = ?", (candidate_id,)).fetchone()
        return self._row(row) if row else None

    def list(self, status: str | None = "pending", kind: str | None = None, document: str | None = None,
             limit: int = 100, offset: int = 0) -> list[Candidate]:
        """Candidates, oldest first, filtered by status, kind and document."""
        clauses, params = [], []
        for column, value in (("status", status), ("kind", kind), ("document", document)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT * FROM candidates {where} ORDER BY id LIMIT ? OFFSET ?",
                              (*params, limit, offset)).fetchall()
        return [self._row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT status, COUNT(*) FROM candidates GROUP BY status").fetchall()
        return {status: 0 for status in STATUSES} | {r[0]: r[1] for r in rows}

    def _decide(self, candidate_id: int, status: str, editor: str | None, note: str | None) -> Candidate:
        with closing(self._connect()) as db, db:
            cursor = db.execute("UPDATE candidates SET status = ?, decided = ?, editor = ?, note = ? "
                                "WHERE id = ? AND status = 'pending'", (status, _now(), editor, note, candidate_id))
            if not cursor.rowcount:
                row = db.execute("SELECT status FROM candidates WHERE id = ?", (candidate_id,)).fetchone()
                if row is None:
                    raise KeyError(f"no candidate {candidate_id}")
                raise ValueError(f"candidate {candidate_id} is already {row[0]}")
        return self.get(candidate_id)

    def accept(self, candidate_id: int, editor: str | None = None, note: str | None = None) -> Candidate:
        """Mark a pending candidate accepted (the editor then adds its table row to ``data/``)."""
        return self._decide(candidate_id, "accepted", editor, note)

    def reject(self, candidate_id: int, editor: str | None = None, note: str | None = None) -> Candidate:
        """Mark a pending candidate rejected; it is kept, so that it is not suggested again unnoticed."""
        return self._decide(candidate_id, "rejected", editor, note)

    def table_rows(self, kind: str = "sense") -> list[dict]:
        """The table rows suggested by accepted candidates of ``kind`` (``sense`` → glossary.csv, ``actor`` →
        actors.csv), for the editor to complete (sector, country, source) and add to ``data/``."""
        return [c.payload.get("row", {}) | {"_candidate": c.id, "_document": c.document}
                for c in self.list(status="accepted", kind=kind, limit=100_000)]
