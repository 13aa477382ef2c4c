"""A synthetic dataset in the bundled table format, for benchmarks and scale tests.

The generator imitates the shape of the field, not its facts: three countries with provinces and
communes; service types per sector with the real mix of mandate kinds; actors mostly services, some
organisations (parents), authorities and collectives (platforms, networks, projects); referrals that
mostly stay within a sector and a province (homophily) with a minority crossing sectors; agreements
between sectors; platform memberships by province (40 % of actors sit on one or two collectives);
a glossary with colliding acronyms.
It is deterministic for a given ``seed``. Every row cites the synthetic source ``synth``.
"""

from __future__ import annotations

import csv
import random
import string
from pathlib import Path

from graph.vocab.schema import TABLES

__all__ = ["write_synthetic", "SECTOR_WEIGHTS"]

SECTOR_WEIGHTS = {
    "aide-jeunesse": 18, "aide-sociale": 16, "enseignement": 20, "petite-enfance": 8, "sante": 7,
    "sante-mentale": 6, "jeunesse": 9, "police-securite": 4, "justice": 3, "logement": 3, "insertion": 3,
    "handicap": 2, "pouvoirs-publics": 1,
}
"""Relative share of actors per sector (a plausible mix; synthetic, not measured)."""

MANDATES = ("none", "none", "none", "administrative", "judicial", "legal_mission", "legal_mission")
COUNTRIES = (("be", "Belgique", "NIS"), ("fr", "France", "INSEE"), ("ch", "Suisse", "BFS"))
CROSS_SECTOR_SHARE = 0.25
SAME_PROVINCE_SHARE = 0.8
MEMBER_SHARE = 0.4
"""Share of actors sitting on a platform, network or project (1 or 2 of them): platforms of ~10–15
members, as in the seeds (chantier 5 of the Assises: ~30 participants; local child-poverty platforms)."""
DATE = "2026-11-22"
REVIEW = "2027-11-22"


def _acronym(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_uppercase[:12]) for _ in range(rng.randint(2, 4)))


def _write(directory: Path, name: str, rows: list[dict]) -> int:
    table = next(t for t in TABLES if t.name == name)
    header = [c.name for c in table.columns]
    with (directory / table.file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in header})
    return len(rows)


def write_synthetic(out: Path | str, actors: int = 1000, seed: int = 7) -> dict[str, int]:
    """Write every table of a synthetic dataset with ``actors`` actors into ``out``; return row counts."""
    rng = random.Random(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    src = {"source": "synth", "locator": "generated"}
    tables: dict[str, list[dict]] = {t.name: [] for t in TABLES}
    tables["sources"].append({"id": "synth", "kind": "report", "title": f"Synthetic dataset (seed {seed})",
                              "citation": "passe-muraille synth"})
    for sector in SECTOR_WEIGHTS:
        tables["sectors"].append({"id": sector, "label_fr": sector.replace("-", " "),
                                  "definition": f"Secteur synthétique {sector}.", **src})
    # territories: countries › provinces › communes
    provinces: list[tuple[str, str]] = []
    communes_by_province: dict[str, list[str]] = {}
    n_provinces = max(3, actors // 2000)
    n_communes = max(6, actors // 25)
    for code, label, _system in COUNTRIES:
        tables["territories"].append({"id": code, "label": label, "level": "country", "code": code.upper(),
                                      "code_system": "ISO3166", **src})
    for index in range(n_provinces):
        country = COUNTRIES[index % 3][0]
        pid = f"{country}-prov-{index}"
        provinces.append((pid, country))
        communes_by_province[pid] = []
        tables["territories"].append({"id": pid, "label": f"Province {index}", "level": "province",
                                      "parent": country, **src})
    for index in range(n_communes):
        pid, country = provinces[index % n_provinces]
        cid = f"{country}-com-{index}"
        communes_by_province[pid].append(cid)
        tables["territories"].append({"id": cid, "label": f"Commune {index}", "level": "municipality",
                                      "parent": pid, "code": f"{10000 + index}", "code_system": "other", **src})
    functions = ("agent-de-liaison", "coordinateur-plateforme", "charge-de-prevention", "referent",
                 "facilitateur", "directeur")
    for function in functions:
        tables["functions"].append({"id": function, "label_fr": function.replace("-", " "),
                                    "sector": rng.choice(list(SECTOR_WEIGHTS)),
                                    "cross_sector": "yes" if function != "directeur" else "no",
                                    "definition": f"Fonction synthétique {function}.", **src})
    # service types: a few per sector and country
    service_types: dict[str, list[tuple[str, str]]] = {}
    for code, _label, _system in COUNTRIES:
        for sector in SECTOR_WEIGHTS:
            for index in range(3):
                sid = f"st-{code}-{sector}-{index}"
                mandate = rng.choice(MANDATES)
                low = rng.choice((0, 0, 3, 6, 12))
                service_types.setdefault(sector, []).append((sid, code))
                tables["service_types"].append({
                    "id": sid, "acronym": _acronym(rng), "label_fr": f"service {sector} {index} ({code})",
                    "sector": sector, "country": code, "mandate_kind": mandate,
                    "free_adherence": "yes" if mandate == "none" else "no", "anonymity": rng.choice(("yes", "no")),
                    "age_min": str(low), "age_max": str(low + rng.choice((3, 6, 12, 18))),
                    "definition": f"Type de service synthétique {sid}.", **src})
    # actors
    sectors, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
    actor_rows = []
    by_sector_province: dict[tuple[str, str], list[str]] = {}
    collectives_by_province: dict[str, list[str]] = {}
    organisations: list[tuple[str, str]] = []
    for index in range(actors):
        sector = rng.choices(sectors, weights)[0]
        pid, country = provinces[rng.randrange(n_provinces)]
        commune = rng.choice(communes_by_province[pid] or [pid])
        roll = rng.random()
        kind = ("service" if roll < 0.8 else "organisation" if roll < 0.92 else "authority" if roll < 0.95
                else rng.choice(("platform", "network", "project")))
        aid = f"a{index}"
        row = {"id": aid, "label": f"Acteur {index}", "kind": kind, "sector": sector, "country": country,
               "territory": commune if kind == "service" else pid, **src}
        if kind in ("service", "authority"):
            candidates = [s for s, c in service_types[sector] if c == country]
            row["service_type"] = rng.choice(candidates)
            if organisations and rng.random() < 0.3:
                row["parent"] = rng.choice(organisations)[0]
        if kind == "organisation":
            organisations.append((aid, pid))
        if kind in ("platform", "network", "project"):
            row.update(verified=DATE, review_due=REVIEW)
            collectives_by_province.setdefault(pid, []).append(aid)
        actor_rows.append((row, sector, pid))
        by_sector_province.setdefault((sector, pid), []).append(aid)
    tables["actors"] = [row for row, _s, _p in actor_rows]
    # posts
    for index in range(actors // 10):
        row, _sector, pid = actor_rows[rng.randrange(actors)]
        tables["posts"].append({"id": f"p{index}", "label": f"Poste {index}", "function": rng.choice(functions),
                                "actor": row["id"], "territory": pid, "verified": DATE, "review_due": REVIEW, **src})
    # referrals between actors: homophily by sector and province
    all_ids = [row["id"] for row, _s, _p in actor_rows]
    for index in range(actors):
        row, sector, pid = actor_rows[index]
        target_sector = rng.choices(sectors, weights)[0] if rng.random() < CROSS_SECTOR_SHARE else sector
        target_pid = pid if rng.random() < SAME_PROVINCE_SHARE else provinces[rng.randrange(n_provinces)][0]
        pool = by_sector_province.get((target_sector, target_pid)) or all_ids
        target = rng.choice(pool)
        if target == row["id"]:
            continue
        tables["referrals"].append({"id": f"r{index}", "from": row["id"], "to": target,
                                    "both_ways": rng.choice(("yes", "no")),
                                    "condition_kind": rng.choice(("need", "consent", "mandate|consent", "age")),
                                    **src})
    for types in service_types.values():
        for sid, _country in types:
            other = rng.choice(service_types[rng.choice(sectors)])[0]
            if other != sid:
                tables["referrals"].append({"id": f"rs-{sid}", "from": sid, "to": other, "both_ways": "no",
                                            "condition_kind": "need", **src})
    # agreements between actors of different sectors
    for index in range(max(2, actors // 40)):
        first, second = rng.sample(all_ids, 2)
        tables["agreements"].append({
            "id": f"ag{index}", "label": f"Protocole {index}",
            "kind": rng.choice(("protocol", "convention", "charter")),
            "parties": f"{first}|{second}", "date": str(rng.randint(2005, 2025)),
            "status": rng.choice(("current", "current", "revised", "obsolete", "never_applied")),
            "verified": DATE, "review_due": f"{rng.randint(2024, 2028)}-06-30", **src})
    # memberships of collectives in the same province
    count = 0
    for row, _sector, pid in actor_rows:
        pool = collectives_by_province.get(pid)
        if not pool or row["kind"] in ("platform", "network", "project") or rng.random() >= MEMBER_SHARE:
            continue
        for collective in rng.sample(pool, min(len(pool), rng.choice((1, 1, 1, 2)))):
            tables["memberships"].append({"id": f"m{count}", "member": row["id"], "collective": collective,
                                          "role": "membre", "verified": DATE, "review_due": REVIEW, **src})
            count += 1
    # glossary with colliding acronyms
    for index in range(max(10, actors // 2)):
        sector = rng.choices(sectors, weights)[0]
        country = COUNTRIES[rng.randrange(3)][0]
        tables["glossary"].append({"id": f"g{index}", "acronym": _acronym(rng), "term_fr": f"terme synthétique {index}",
                                   "expansion": "known", "definition": f"Définition synthétique {index}.",
                                   "sector": sector, "country": country, **src})
    return {name: _write(out, name, rows) for name, rows in tables.items()}
