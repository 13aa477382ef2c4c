"""Person-level contacts, private by construction: a SQLite file beside the store, never in the graph.

The public graph (``data/`` → triples → Oxigraph) models functions and organisations only. The names, e-mail
addresses and phone numbers of the people who hold a post live in ``<store root>/private/contacts.sqlite``
(directory 0700, file 0600): no build, export, map or SPARQL query ever reads it, and the web app hands it
only to authenticated users (:mod:`api.routers.contacts`).

A contact is attached to an actor (``actor``) and optionally to one of its posts (``post``); both ids must
exist in the current store. Every write is one SQLite transaction (all-or-nothing, durable once
acknowledged: ``synchronous=FULL``); a small audit table records who added or deleted which contact id, when —
never the personal data itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from graph.config import store_dir
from graph.store import StoreError

__all__ = ["ContactError", "ContactNotFound", "contacts_path", "add_contact", "list_contacts", "get_contact",
           "delete_contact", "validate_email", "validate_phone", "FIELDS", "PRIVATE_DIR"]

PRIVATE_DIR = "private"
FILE_NAME = "contacts.sqlite"
FIELDS = ("id", "actor", "post", "name", "role", "email", "phone", "note", "verified", "review_due",
          "created_by", "created_at")
"""Columns of a contact, in the order the API returns them."""

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9 ./()-]{6,30}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
_ENTITY = "https://w3id.org/passe-muraille/id/{table}/{id}"
_LIMITS = {"name": 120, "role": 120, "note": 500}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (
  id TEXT PRIMARY KEY, actor TEXT NOT NULL, post TEXT, name TEXT NOT NULL, role TEXT, email TEXT, phone TEXT,
  note TEXT, verified TEXT, review_due TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS contacts_actor ON contacts(actor);
CREATE TABLE IF NOT EXISTS audit (at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, contact TEXT NOT NULL);
"""


class ContactError(ValueError):
    """A contact was refused (bad value, unknown actor or post); nothing was written."""

    status = 400


class ContactNotFound(ContactError):
    status = 404


def contacts_path(root: Path | str | None = None) -> Path:
    """Where the contacts live: ``<store root>/private/contacts.sqlite``."""
    return (Path(root) if root else store_dir()) / PRIVATE_DIR / FILE_NAME


@contextlib.contextmanager
def _connect(root=None, create: bool = False) -> Iterator[sqlite3.Connection | None]:
    path = contacts_path(root)
    if not path.exists():
        if not create:
            yield None
            return
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    try:
        connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreError(f"contacts unreadable: {err}") from err
    try:
        connection.execute("PRAGMA synchronous=FULL")
        connection.executescript(_SCHEMA)
        connection.row_factory = sqlite3.Row
        yield connection
    except sqlite3.OperationalError as err:
        if "disk" in str(err).lower() or "full" in str(err).lower():
            raise ContactError(f"disk full while writing the contacts: nothing was changed ({err})") from err
        raise StoreError(f"contacts unavailable: {err}") from err
    finally:
        connection.close()


def validate_email(value: str) -> str:
    """``value`` as a normalised e-mail address (:class:`ContactError` if it is not one)."""
    value = value.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ContactError(f"not an e-mail address: {value[:60]!r}")
    return value.lower()


def validate_phone(value: str) -> str:
    """``value`` as a phone number (digits, spaces, ``+ . / ( ) -``; 6 to 20 digits)."""
    value = " ".join(value.split())
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.match(value) or not 6 <= digits <= 20 or "+" in value[1:]:
        raise ContactError(f"not a phone number: {value[:40]!r}")
    return value


def _exists(store, table: str, entity_id: str) -> bool:
    from rdflib import URIRef

    result = store.query_json("ASK { ?s ?p ?o }", {"s": URIRef(_ENTITY.format(table=table, id=entity_id))})
    return bool(result.get("boolean"))


def _post_actor(store, post_id: str) -> str | None:
    from rdflib import URIRef

    rows = store.select("SELECT ?a WHERE { ?p <http://www.w3.org/ns/org#postIn> ?a }",
                        {"p": URIRef(_ENTITY.format(table="posts", id=post_id))})
    return rows[0]["a"].rsplit("/", 1)[-1] if rows else None


def _check_id(kind: str, value: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ContactError(f"invalid {kind} id {str(value)[:60]!r}")
    return value


def _check_date(name: str, value) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ContactError(f"{name}: expected a date YYYY-MM-DD, got {str(value)[:30]!r}") from None


def _clean(fields: dict) -> dict:
    unknown = set(fields) - {"post", "name", "role", "email", "phone", "note", "verified", "review_due"}
    if unknown:
        raise ContactError(f"unknown field(s): {', '.join(sorted(map(str, unknown)))[:100]}")
    clean: dict = {}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise ContactError(f"{key}: expected text")
        clean[key] = value.strip() if isinstance(value, str) else None
    for key, limit in _LIMITS.items():
        value = clean.get(key)
        if value and (len(value) > limit or any(ord(c) < 32 for c in value)):
            raise ContactError(f"{key}: at most {limit} characters, no control characters")
    if not clean.get("name"):
        raise ContactError("a contact needs a name")
    if not clean.get("email") and not clean.get("phone"):
        raise ContactError("a contact needs an e-mail address or a phone number")
    if clean.get("email"):
        clean["email"] = validate_email(clean["email"])
    if clean.get("phone"):
        clean["phone"] = validate_phone(clean["phone"])
    clean["verified"] = _check_date("verified", clean.get("verified"))
    clean["review_due"] = _check_date("review_due", clean.get("review_due"))
    return clean


def add_contact(store, actor: str, fields: dict, user: str, root: Path | str | None = None) -> dict:
    """Add a contact to ``actor`` (and optionally its post ``fields['post']``); return it.

    ``store`` is the open public store, used only to check that the actor (and post) exist.
    """
    _check_id("actor", actor)
    clean = _clean(dict(fields))
    if not _exists(store, "actors", actor):
        raise ContactNotFound(f"no actor {actor!r}")
    if clean.get("post"):
        _check_id("post", clean["post"])
        if _post_actor(store, clean["post"]) != actor:
            raise ContactError(f"no post {clean['post']!r} in actor {actor!r}")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    record = {name: clean.get(name) for name in FIELDS}
    record.update(id=f"c-{uuid.uuid4().hex[:12]}", actor=actor, created_by=str(user)[:80], created_at=now)
    with _connect(root, create=True) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(f"INSERT INTO contacts ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})",
                       [record[name] for name in FIELDS])
            db.execute("INSERT INTO audit VALUES (?, ?, 'add', ?)", (now, record["created_by"], record["id"]))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return record


def list_contacts(actor: str | None = None, root: Path | str | None = None) -> list[dict]:
    """The contacts of ``actor`` (every contact if None), by name."""
    with _connect(root) as db:
        if db is None:
            return []
        if actor is None:
            rows = db.execute("SELECT * FROM contacts ORDER BY name, id").fetchall()
        else:
            rows = db.execute("SELECT * FROM contacts WHERE actor = ? ORDER BY name, id", (actor,)).fetchall()
    return [{name: row[name] for name in FIELDS} for row in rows]


def get_contact(contact_id: str, root: Path | str | None = None) -> dict:
    """One contact (:class:`ContactNotFound` if there is none)."""
    with _connect(root) as db:
        row = db.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone() if db else None
    if row is None:
        raise ContactNotFound(f"no contact {str(contact_id)[:60]!r}")
    return {name: row[name] for name in FIELDS}


def delete_contact(contact_id: str, user: str, actor: str | None = None, root: Path | str | None = None) -> None:
    """Delete a contact (of ``actor`` if given); :class:`ContactNotFound` if there is none."""
    with _connect(root) as db:
        if db is None:
            raise ContactNotFound(f"no contact {str(contact_id)[:60]!r}")
        db.execute("BEGIN IMMEDIATE")
        try:
            query, args = "DELETE FROM contacts WHERE id = ?", [contact_id]
            if actor is not None:
                query, args = query + " AND actor = ?", [contact_id, actor]
            if db.execute(query, args).rowcount != 1:
                raise ContactNotFound(f"no contact {str(contact_id)[:60]!r}")
            db.execute("INSERT INTO audit VALUES (?, ?, 'delete', ?)",
                       (datetime.now(UTC).isoformat(timespec="seconds"), str(user)[:80], contact_id))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
