"""Harvest logs: the tab-separated notes written while reading public pages, turned into table parts.

A harvest log is a folder ``data/raw/<part>/`` with ``sources.tsv`` (one row per page read; a ``#`` header line
``Harvested on YYYY-MM-DD`` dates them), ``actors.tsv`` and optionally ``service_types.tsv`` and
``territories.tsv``, in the columns of ``data/README.md``. Every web source gets ``kind=web`` and ``seen_on`` =
the harvest date; every actor gets ``verified`` = that date and ``review_due`` six months later; an actor's
``address`` (never a phone number or an e-mail address: a cell holding one stops the import) is appended to its
description. The importers of Flanders, Suisse romande and France read theirs with :func:`harvest_log_rows`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .common import ImportFailed, read_raw_table, web_source_rows

__all__ = ["harvest_log_rows"]

CITATION = "Copie stockée consultée via l'index de recherche du projet (extrait de la page)"
REVIEW_MONTHS = 6

ACTOR_COLUMNS = ("id", "label", "acronym", "kind", "service_type", "sector", "country", "territory", "parent",
                 "age_min", "age_max", "description", "homepage", "contact_page", "start", "end", "source", "locator")
SERVICE_TYPE_COLUMNS = ("id", "acronym", "label_fr", "label_nl", "label_en", "label_de", "sector", "country",
                        "mandate_kind", "free_adherence", "anonymity", "age_min", "age_max", "legal_basis",
                        "definition", "is_not", "source", "locator")
TERRITORY_COLUMNS = ("id", "label", "label_nl", "level", "parent", "within", "code", "code_system", "source", "locator")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?:\+\d{2}|\b0)[1-9](?:[ ./-]?\d{2}){3,4}\b")


def _seen_on(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.search(r"Harvested on (\d{4}-\d{2}-\d{2})", line)
        if match:
            return match.group(1)
    raise ImportFailed(f"{path}: no 'Harvested on YYYY-MM-DD' header line")


def _plus_months(day: str, months: int) -> str:
    d = date.fromisoformat(day)
    month = d.month - 1 + months
    return date(d.year + month // 12, month % 12 + 1, min(d.day, 28)).isoformat()


def _clean(table: str, rows: list[dict]) -> list[dict]:
    ids = set()
    for row in rows:
        if not row.get("id"):
            raise ImportFailed(f"{table}: a row has no id")
        if row["id"] in ids:
            raise ImportFailed(f"{table}: id {row['id']} twice")
        ids.add(row["id"])
        for key, value in row.items():
            if _EMAIL.search(value or "") or _PHONE.search(value or ""):
                raise ImportFailed(f"{table}: row {row['id']} column {key} holds an e-mail address or a phone number")
    return rows


def _sources(raw: Path, seen: str) -> list[dict]:
    _clean("sources", read_raw_table(raw / "sources.tsv"))
    return web_source_rows(raw / "sources.tsv", seen, CITATION)


def _actors(raw: Path, seen: str) -> list[dict]:
    out = []
    for row in _clean("actors", read_raw_table(raw / "actors.tsv")):
        actor = {c: row.get(c, "") for c in ACTOR_COLUMNS}
        address = row.get("address", "")
        if address:
            actor["description"] = f"{actor['description']} Adresse : {address}.".strip()
        actor["verified"] = seen
        actor["review_due"] = _plus_months(seen, REVIEW_MONTHS)
        out.append(actor)
    return out


def _plain(raw: Path, name: str, columns: tuple) -> list[dict]:
    path = raw / name
    if not path.exists():
        return []
    return [{c: row.get(c, "") for c in columns} for row in _clean(name, read_raw_table(path))]


def harvest_log_rows(raw_dir: Path, part: str, source_part: str) -> dict[str, list[dict]]:
    """The table parts of the harvest log ``raw_dir/part`` (see the module docstring)."""
    raw = Path(raw_dir) / part
    if not (raw / "sources.tsv").exists():
        raise ImportFailed(f"no harvest in {raw}")
    seen = _seen_on(raw / "sources.tsv")
    parts = {f"sources.{source_part}": _sources(raw, seen), f"actors.{part}": _actors(raw, seen)}
    service_types = _plain(raw, "service_types.tsv", SERVICE_TYPE_COLUMNS)
    if service_types:
        parts[f"service_types.{part}"] = service_types
    territories = _plain(raw, "territories.tsv", TERRITORY_COLUMNS)
    if territories:
        parts[f"territories.{part}"] = territories
    return parts
