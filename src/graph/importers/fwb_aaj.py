"""Youth aid of the Fédération Wallonie-Bruxelles (``data/raw/fwb-aaj/``) → ``actors.fwb-aaj``,
``sources.fwb-aaj`` and ``territories.fwb-aaj``; plus :func:`apply_divisions`, which writes the youth-aid
division of every commune into the ``within`` column of ``data/territories.csv``.

Raw inputs (tab-separated, ``#`` lines are notes on the source):

* ``sources.tsv`` — the public pages read: ``id title publisher url issued note``; each becomes a ``web``
  source seen on :data:`SEEN_ON` (a stored copy read through the project's search index).
* ``actors.tsv`` — SAJ, SPJ, IPPJ, MADO, AMO and the German-speaking Community's youth-aid actors:
  ``id label acronym kind service_type sector territory parent age_min age_max homepage contact_page
  description source locator zone_as_read`` (``zone_as_read`` is the area as the source words it; it is
  not a column of the table). Rows whose id already exists in another actors part (the rows of
  ``data/actors.csv`` kept by hand) are skipped, so that no id is ever emitted twice.
* ``service_types.tsv`` — service types read in the sources (columns of ``service_types.csv``).
* ``territories.tsv`` — the territory of the German-speaking Community (``be-dg``), whose nine communes
  are outside the FWB youth-aid divisions.
* ``communes_divisions.tsv`` — ``nis commune division basis source``: the division (or ``be-dg``) of each
  commune of Wallonia and Brussels, as read in the sources named on the row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .common import ImportFailed, read_raw_table, web_source_rows

NAME = "fwb-aaj"
DESCRIPTION = ("FWB youth aid: SAJ/SPJ per division, IPPJ, MADO, AMO, German-speaking Community youth aid "
               "(actors/sources/territories/service_types.fwb-aaj) and the commune → division map "
               "(territories.csv within)")

SEEN_ON = "2026-12-07"
VERIFIED = "2026-12-07"
REVIEW_DUE = "2027-12-07"
CITATION = "copie stockée consultée via l'index de recherche du projet"
OWN_PART = "actors.fwb-aaj.csv"


def _sources(raw: Path) -> list[dict]:
    return web_source_rows(raw / "sources.tsv", SEEN_ON, CITATION)


def _existing_actor_ids(data_dir: Path) -> set[str]:
    """Ids of actors kept in other actors parts (never emitted again by this importer)."""
    ids: set[str] = set()
    for part in sorted(data_dir.glob("actors*.csv")):
        if part.name == OWN_PART:
            continue
        with part.open(encoding="utf-8", newline="") as handle:
            ids.update(r["id"] for r in csv.DictReader(handle))
    return ids


def _actors(raw: Path) -> list[dict]:
    taken = _existing_actor_ids(raw.parent.parent)
    rows = []
    for r in read_raw_table(raw / "actors.tsv"):
        if r["id"] in taken:
            continue
        row = {"id": r["id"], "label": r["label"], "acronym": r.get("acronym", ""), "kind": r["kind"],
               "service_type": r.get("service_type", ""), "sector": r["sector"], "country": "be",
               "territory": r.get("territory", ""), "parent": r.get("parent", ""),
               "age_min": r.get("age_min", ""), "age_max": r.get("age_max", ""),
               "homepage": r.get("homepage", ""), "contact_page": r.get("contact_page", ""),
               "description": r.get("description", ""), "source": r["source"], "locator": r.get("locator", "")}
        if row["homepage"] or row["contact_page"] or row["kind"] in ("platform", "network"):
            row["verified"], row["review_due"] = VERIFIED, REVIEW_DUE
        rows.append(row)
    return rows


def _territories(raw: Path) -> list[dict]:
    return [{"id": r["id"], "label": r["label"], "label_nl": r.get("label_nl", ""), "level": r["level"],
             "parent": r.get("parent", ""), "source": r["source"], "locator": r.get("locator", "")}
            for r in read_raw_table(raw / "territories.tsv")]


SERVICE_TYPE_COLUMNS = ("id", "acronym", "label_fr", "label_nl", "label_en", "label_de", "sector", "country",
                        "mandate_kind", "free_adherence", "anonymity", "age_min", "age_max", "legal_basis",
                        "definition", "is_not", "source", "locator")


def _service_types(raw: Path) -> list[dict]:
    return [{c: r.get(c, "") for c in SERVICE_TYPE_COLUMNS} for r in read_raw_table(raw / "service_types.tsv")]


def rows(raw_dir: Path) -> dict[str, list[dict]]:
    raw = Path(raw_dir) / "fwb-aaj"
    if not raw.is_dir():
        raise ImportFailed(f"{raw} not found")
    return {"sources.fwb-aaj": _sources(raw), "actors.fwb-aaj": _actors(raw),
            "territories.fwb-aaj": _territories(raw), "service_types.fwb-aaj": _service_types(raw)}


def division_map(raw_dir: Path) -> dict[str, str]:
    """``be-nis-<code>`` → division (or ``be-dg``) from ``communes_divisions.tsv``."""
    mapping = {}
    for r in read_raw_table(Path(raw_dir) / "fwb-aaj" / "communes_divisions.tsv"):
        mapping[f"be-nis-{r['nis']}"] = r["division"]
    return mapping


def apply_divisions(data_dir: Path, raw_dir: Path | None = None) -> list[str]:
    """Rewrite only the ``within`` cells of ``data_dir/territories.csv`` from the raw commune → division map.

    Every commune named in the map must exist in the table; other rows and columns are left byte-identical
    in content (the file is re-written with the same header and row order). Returns the ids whose ``within``
    changed; a second run returns an empty list.
    """
    data_dir = Path(data_dir)
    raw_dir = Path(raw_dir) if raw_dir else data_dir / "raw"
    mapping = division_map(raw_dir)
    path = data_dir / "territories.csv"
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    table = list(reader)
    missing = sorted(set(mapping) - {r["id"] for r in table})
    if missing:
        raise ImportFailed(f"communes_divisions.tsv names territories absent from territories.csv: {missing}")
    changed = []
    for row in table:
        want = mapping.get(row["id"])
        if want is not None and row.get("within", "") != want:
            row["within"] = want
            changed.append(row["id"])
    if changed:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        path.write_text(out.getvalue(), encoding="utf-8")
    return changed
