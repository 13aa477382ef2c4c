"""Glossary lists: harvested acronym lists and glossaries (``data/raw/glossary/<part>/*.tsv``) → ``glossary.<part>``.

Each TSV file transcribes one public document (a published glossary, a list of acronyms, an annex of a
decree). Its ``#`` header lines give the defaults of its rows::

    # source: gfr-onpe-glossaire        (id(s) of a sources part, required)
    # sector: aide-jeunesse             (default sector(s), ``|``-separated)
    # country: fr                       (default country/region id(s))

Columns (header row, tab-separated, all optional but ``locator``): ``acronym term_fr term_nl term_en
term_de variants definition sector country service_type see_also note valid_from valid_to replaced_by
locator id source``. A row with no full form is an acronym whose expansion the document does not give
(``expansion=unknown``, never invented).

Ids are **pinned**: a sense already published in a ``glossary.<part>.csv`` keeps its id on every later run,
whatever files are added, removed or reordered (an id is never renamed). A new sense gets
``g-<country>-<slug of acronym or term>``, suffixed by the sector, then a number, when taken. A row that
repeats a sense already curated by hand (same acronym or term, same country, same full form) is left out —
the curated row wins; repeats inside the harvest merge their sources. A ``term_fr`` that merely copies the
Dutch, English or German form is not a French form and is dropped.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

from .common import ImportFailed, read_raw_table, slug

NAME = "glossary-lists"
DESCRIPTION = "Harvested glossaries and acronym lists (data/raw/glossary/<part>/*.tsv) → glossary.<part>.csv"

COLUMNS = ("acronym", "term_fr", "term_nl", "term_en", "term_de", "variants", "definition", "sector", "country",
           "service_type", "see_also", "note", "valid_from", "valid_to", "replaced_by", "locator", "id", "source")
TERMS = ("term_fr", "term_nl", "term_en", "term_de")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").casefold()
    return re.sub(r"[^0-9a-z]+", " ", "".join(c for c in text if not unicodedata.combining(c))).strip()


def _headers(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*#\s*(source|sector|country)\s*:\s*(.+?)\s*$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def _sense_key(row: dict) -> tuple:
    acronym = (row.get("acronym") or "").split("|")[0].strip().upper()
    term = next((row[t] for t in TERMS if row.get(t)), "")
    country = (row.get("country") or "").split("|")[0].strip()
    return (acronym or _fold(term), country, _fold(term))


def _curated(data_dir: Path, produced_parts: set[str]) -> tuple[set[str], set[tuple], dict[tuple, str]]:
    """Ids of every table (ids are unique across tables), sense keys of hand-curated glossary parts, and the
    ids this importer published before (sense key → id) — which it keeps."""
    ids, keys, pinned = set(), set(), {}
    for path in sorted(data_dir.glob("*.csv")):
        part = path.name[:-4]
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if part in produced_parts:
                    pinned.setdefault(_sense_key(row), row["id"])
                    continue
                if row.get("id"):
                    ids.add(row["id"])
                if part.split(".")[0] == "glossary":
                    keys.add(_sense_key(row))
    return ids, keys, pinned


def _new_id(row: dict, taken: set[str]) -> str:
    country = row["country"].split("|")[0].strip().split("-")[0]
    name = (row.get("acronym") or "").split("|")[0] or next(row[t] for t in TERMS if row.get(t))
    base = f"g-{country}-{slug(name)[:48]}".rstrip("-")
    candidates = [base, f"{base}-{slug(row['sector'].split('|')[0])}"]
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{candidates[-1]}-{number}" in taken:
        number += 1
    return f"{candidates[-1]}-{number}"


def rows(raw_dir: Path) -> dict[str, list[dict]]:
    """Every ``glossary.<part>`` the harvested files give, ids stable for the same input."""
    base = Path(raw_dir) / "glossary"
    part_dirs = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    produced_parts = {f"glossary.{p.name}" for p in part_dirs}
    taken, curated_keys, pinned = _curated(Path(raw_dir).parent, produced_parts)
    out: dict[str, list[dict]] = {}
    seen: dict[tuple, dict] = {}
    fresh: list[dict] = []
    for part_dir in part_dirs:
        part_rows = out.setdefault(f"glossary.{part_dir.name}", [])
        for path in sorted(part_dir.glob("*.tsv")):
            defaults = _headers(path)
            if "source" not in defaults:
                raise ImportFailed(f"{path}: no '# source: <id>' header line")
            for number, raw in enumerate(read_raw_table(path), start=2):
                unknown = set(raw) - set(COLUMNS)
                if unknown:
                    raise ImportFailed(f"{path}: unknown column(s) {sorted(unknown)} (allowed: {', '.join(COLUMNS)})")
                row = {k: v for k, v in raw.items() if v}
                for key in ("source", "sector", "country"):
                    row.setdefault(key, defaults.get(key, ""))
                if not row.get("acronym") and not any(row.get(t) for t in TERMS):
                    raise ImportFailed(f"{path}, line {number}: neither acronym nor term")
                if not row["sector"] or not row["country"]:
                    raise ImportFailed(f"{path}, line {number}: no sector or country (column or header)")
                key = _sense_key(row)
                if key in curated_keys:
                    continue
                if key in seen:
                    first = seen[key]
                    first["source"] = "|".join(dict.fromkeys(first["source"].split("|") + row["source"].split("|")))
                    for column in ("term_nl", "term_en", "term_de", "definition"):
                        if not first.get(column) and row.get(column):
                            first[column] = row[column]
                    continue
                foreign = (row.get("term_nl"), row.get("term_en"), row.get("term_de"))
                if row.get("term_fr") and row["term_fr"] in foreign:
                    del row["term_fr"]  # a copy of the Dutch, English or German form is not a French form
                row["expansion"] = "known" if any(row.get(t) for t in TERMS) else "unknown"
                if row.get("id") and row["id"] in taken:
                    raise ImportFailed(f"{path}, line {number}: id {row['id']} is already used")
                if not row.get("id") and key in pinned and pinned[key] not in taken:
                    row["id"] = pinned[key]
                if row.get("id"):
                    taken.add(row["id"])
                else:
                    fresh.append(row)
                seen[key] = row
                part_rows.append(row)
    taken |= set(pinned.values())  # a published id that lost its sense is not given to another one
    for row in fresh:
        row["id"] = _new_id(row, taken)
        taken.add(row["id"])
    return out
