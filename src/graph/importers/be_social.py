"""Belgian health / early-childhood / social-aid directory (``data/raw/be-social/``) → ``actors.be-social``,
``sources.be-social`` and the homepages of the CPAS in ``actors.cpas``.

Raw inputs (tab-separated, ``#`` lines are notes on the source):

* ``sources.tsv`` — the public pages read: ``id title publisher url issued note``; every row becomes a ``web``
  source seen on :data:`SEEN_ON` (read as a stored copy through the project's search index).
* ``actors.tsv`` — SOS Enfants teams and related organisations: ``id label acronym kind service_type sector
  territory parent start homepage contact_page description source locator`` (country ``be``). Rows with a
  homepage or contact page carry ``verified``/``review_due``.
* ``cpas_urls.tsv`` — websites of CPAS: ``cpas nis homepage contact_page source locator``. The CPAS rows are
  those of ``data/actors.cpas.csv`` (the reviewed table, one CPAS per commune): they are re-emitted unchanged
  except, for a CPAS listed here, ``homepage``/``contact_page``, ``verified``/``review_due`` and the source id
  and locator appended (once) — re-running gives the same bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .common import ImportFailed, read_raw_table, web_source_rows

NAME = "be-social"
DESCRIPTION = ("SOS Enfants teams and related organisations (actors.be-social, sources.be-social) and CPAS "
               "homepages (actors.cpas) from data/raw/be-social/")

SEEN_ON = "2026-12-07"
VERIFIED = "2026-12-07"
REVIEW_DUE = "2027-12-07"
CITATION = "copie stockée consultée via l'index de recherche du projet"


def _sources(raw: Path) -> list[dict]:
    return web_source_rows(raw / "sources.tsv", SEEN_ON, CITATION)


def _actors(raw: Path) -> list[dict]:
    rows = []
    for r in read_raw_table(raw / "actors.tsv"):
        row = {"id": r["id"], "label": r["label"], "acronym": r.get("acronym", ""), "kind": r["kind"],
               "service_type": r.get("service_type", ""), "sector": r["sector"], "country": "be",
               "territory": r.get("territory", ""), "parent": r.get("parent", ""), "start": r.get("start", ""),
               "homepage": r.get("homepage", ""), "contact_page": r.get("contact_page", ""),
               "description": r.get("description", ""), "source": r["source"], "locator": r.get("locator", "")}
        if row["homepage"] or row["contact_page"]:
            row["verified"], row["review_due"] = VERIFIED, REVIEW_DUE
        rows.append(row)
    return rows


def _append(cell: str, value: str, sep: str) -> str:
    """``cell`` with ``value`` appended after ``sep``, unless ``value`` is already one of its items."""
    value = value.strip()
    if not cell:
        return value
    if sep.strip() == "|":
        if value in [p.strip() for p in cell.split("|")]:
            return cell
    elif cell == value or cell.endswith(sep + value) or (sep + value + sep) in cell or cell.startswith(value + sep):
        return cell
    return f"{cell}{sep}{value}"


def _cpas(raw: Path) -> list[dict]:
    table = raw.parent.parent / "actors.cpas.csv"
    if not table.exists():
        raise ImportFailed(f"{table} not found: the CPAS rows are regenerated from the reviewed table")
    with table.open(encoding="utf-8", newline="") as handle:
        rows = [dict(r) for r in csv.DictReader(handle)]
    urls = {r["cpas"]: r for r in read_raw_table(raw / "cpas_urls.tsv")}
    known = {r["id"] for r in rows}
    unknown = sorted(set(urls) - known)
    if unknown:
        raise ImportFailed(f"cpas_urls.tsv names CPAS absent from actors.cpas.csv: {unknown}")
    for row in rows:
        found = urls.get(row["id"])
        if not found:
            continue
        territory = row.get("territory", "")
        if found.get("nis") and territory and territory != f"be-nis-{found['nis']}":
            raise ImportFailed(f"cpas_urls.tsv: {row['id']} has NIS {found['nis']}, the table says {territory}")
        row["homepage"] = found.get("homepage", "")
        row["contact_page"] = found.get("contact_page", "")
        row["verified"], row["review_due"] = VERIFIED, REVIEW_DUE
        for source in found["source"].split("|"):
            row["source"] = _append(row["source"], source.strip(), "|")
        if found.get("locator"):
            row["locator"] = _append(row.get("locator", ""), found["locator"], " ; ")
    return rows


def rows(raw_dir: Path) -> dict[str, list[dict]]:
    raw = Path(raw_dir) / "be-social"
    return {"sources.be-social": _sources(raw), "actors.be-social": _actors(raw), "actors.cpas": _cpas(raw)}
