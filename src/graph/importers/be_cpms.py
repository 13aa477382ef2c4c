"""Importer ``be-cpms``: centres psycho-médico-sociaux (CPMS) of the Fédération Wallonie-Bruxelles.

Input, in ``data/raw/be-cpms/`` (harvested by hand from public pages, each with its ``#`` header notes):

* ``sources.tsv``: one web page per row (``id, title, citation, publisher, issued, url``), read on ``SEEN_ON``;
* ``cpms.tsv``: one centre (or an ASBL grouping centres) per row: name, network code, the commune where it sits
  (as written; several separated by ``|``), postcode/address when the page gives them, parent actor, homepage or
  contact page, sources and locator, and a short note;
* ``networks.tsv``: the CPMS networks or federations not already modelled elsewhere.

Output: ``actors.be-cpms`` and ``sources.be-cpms``. The commune is matched to the ``municipality`` rows of
``data/territories*.csv`` accent- and case-insensitively (French or Dutch label, then a unique prefix such as
"Molenbeek" → "Molenbeek-Saint-Jean"); when a postcode is given it is kept in the description. An unmatched commune
stops the import: no row is written with a guessed territory.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

from .common import read_raw_table, slug

NAME = "be-cpms"
DESCRIPTION = ("Centres PMS (CPMS) de la Fédération Wallonie-Bruxelles relevés sur des pages publiques "
               "(réseau, commune, page d'accueil) et la fédération des centres PMS libres")

SEEN_ON = "2026-12-07"
VERIFIED = "2026-12-07"
REVIEW_DUE = "2027-12-07"
SERVICE_TYPE = "st-be-cpms"
SECTORS = "enseignement|sante"

NETWORK_TEXT = {
    "wbe": "Réseau : Wallonie-Bruxelles Enseignement (WBE), pouvoir organisateur du centre.",
    "officiel-communal": ("Réseau : enseignement officiel subventionné (centre communal ; "
                          "pouvoir organisateur : la commune)."),
    "officiel-provincial": ("Réseau : enseignement officiel subventionné (centre provincial ; "
                            "pouvoir organisateur : la province)."),
    "libre": "Réseau : enseignement libre subventionné (caractère confessionnel ou non non précisé par la source).",
    "inconnu": "Réseau : non précisé par la source.",
}


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def _municipalities(data_dir: Path) -> dict[str, list[str]]:
    """Folded French/Dutch label -> ids of the municipality territories (all ``territories*.csv`` parts)."""
    index: dict[str, list[str]] = {}
    for path in sorted(data_dir.glob("territories*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("level") != "municipality" or not row.get("id", "").startswith("be-"):
                    continue
                for label in {row.get("label", ""), row.get("label_nl", "")}:
                    if label:
                        ids = index.setdefault(_fold(label), [])
                        if row["id"] not in ids:
                            ids.append(row["id"])
    return index


def match_commune(name: str, index: dict[str, list[str]]) -> str:
    """The territory id of commune ``name``: exact folded label, else the only label it is a prefix of."""
    key = _fold(name)
    exact = index.get(key, [])
    if len(exact) == 1:
        return exact[0]
    if not exact:
        prefixed = {tid for label, ids in index.items() if label.startswith(key + " ") for tid in ids}
        if len(prefixed) == 1:
            return prefixed.pop()
    raise ValueError(f"be-cpms: commune {name!r} matches {len(exact) or 'no'} territory; fix cpms.tsv")


def _source_rows(raw: Path) -> list[dict]:
    rows = []
    for rec in read_raw_table(raw / "sources.tsv"):
        rows.append({"id": rec["id"], "kind": "web", "title": rec["title"], "citation": rec["citation"],
                     "publisher": rec["publisher"], "issued": rec.get("issued", ""), "url": rec["url"],
                     "seen_on": SEEN_ON})
    return rows


def _cpms_rows(raw: Path, index: dict[str, list[str]]) -> list[dict]:
    rows = []
    for rec in read_raw_table(raw / "cpms.tsv"):
        network = rec["network"]
        if network not in NETWORK_TEXT:
            raise ValueError(f"be-cpms: unknown network code {network!r} for {rec['key']}")
        territories = [match_commune(name, index) for name in rec["commune"].split("|") if name.strip()]
        parts = [rec["note"].rstrip(".") + ".", NETWORK_TEXT[network]]
        if rec.get("address"):
            postcode = rec.get("postcode", "")
            where = rec["address"] if (not postcode or postcode in rec["address"]) else f"{rec['address']}, {postcode}"
            parts.append(f"Adresse donnée par la source : {where}.")
        rows.append({
            "id": "cpms-" + slug(rec["key"]),
            "label": rec["label"],
            "acronym": rec.get("acronym", ""),
            "kind": rec["kind"],
            "service_type": SERVICE_TYPE,
            "sector": SECTORS,
            "country": "be",
            "territory": "|".join(territories),
            "parent": rec.get("parent", ""),
            "description": " ".join(parts),
            "homepage": rec.get("homepage", ""),
            "contact_page": rec.get("contact_page", ""),
            "verified": VERIFIED,
            "review_due": REVIEW_DUE,
            "source": rec["source"],
            "locator": rec["locator"],
        })
    return rows


def _network_rows(raw: Path) -> list[dict]:
    rows = []
    for rec in read_raw_table(raw / "networks.tsv"):
        rows.append({
            "id": rec["id"], "label": rec["label"], "acronym": rec.get("acronym", ""), "kind": rec["kind"],
            "sector": "enseignement", "country": "be", "territory": rec["territory"],
            "description": rec["description"], "homepage": rec.get("homepage", ""),
            "verified": VERIFIED, "review_due": REVIEW_DUE, "source": rec["source"], "locator": rec["locator"],
        })
    return rows


def rows(raw_dir: Path) -> dict[str, list[dict]]:
    raw = Path(raw_dir) / NAME
    data_dir = Path(raw_dir).parent
    index = _municipalities(data_dir)
    actors = _cpms_rows(raw, index) + _network_rows(raw)
    return {"actors.be-cpms": actors, "sources.be-cpms": _source_rows(raw)}
