"""Who serves this commune: every actor whose service area covers it, and how.

Definition
----------
A territory *T* is **resolved** from what the user types: its id (``be-nis-62096``), its official code
(``62096``), or its name, case- and accent-insensitive, in French or Dutch (``seraing``, ``Sint-Gillis``);
an unknown name raises :class:`UnknownTerritory` with the nearest names (rapidfuzz ``WRatio``).

An actor **serves** *T* when one of its served territories (``pm:servesTerritory``) is *T* or contains it:
an ancestor of *T* along ``pm:partOf`` (commune › arrondissement › province › region › country) or
``pm:withinArea`` (the youth-aid division a commune lies in) — :func:`graph.ids.territory_ancestors`.
``via`` names the territory through which the actor covers *T* and its level (``commune``, ``division``,
``province``…); services are listed nearest first (the commune's own, then its division's…), then by
service type and name. Collectives (platforms, networks, projects, programmes) are left out: they serve
nobody directly.

Example
-------
>>> from graph.store import open_store                      # doctest: +SKIP
>>> [s["acronym"] for s in serving(open_store(), "Seraing")["services"]][:3]  # doctest: +SKIP
[['CPAS'], ['SAJ'], ['SPJ']]
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from graph.ids import territory_ancestors
from graph.query.entities import cached, fold, label_of, table_rows
from graph.vocab.namespaces import PMID
from graph.vocab.schema import COLLECTIVE_KINDS

__all__ = ["serving", "resolve_territory", "UnknownTerritory", "LEVEL_NAMES"]

LEVEL_NAMES = {"municipality": "commune", "district": "division ou arrondissement", "province": "province",
               "region": "région ou communauté", "country": "pays"}
"""How the French pages name each territory level."""


class UnknownTerritory(LookupError):
    """No territory has this id, code or name; ``suggestions`` lists the nearest names."""

    def __init__(self, text: str, suggestions: list[dict]):
        super().__init__(f"unknown territory {text[:60]!r}")
        self.text = text
        self.suggestions = suggestions


def _level_label(territory_id: str, level: str | None) -> str:
    """``division`` for a youth-aid division (``be-div-…``, data/README.md), else the level's French name."""
    if territory_id.startswith("be-div-"):
        return "division"
    return LEVEL_NAMES.get(level or "", level or "territoire")


def _territories(store) -> dict[str, dict]:
    return cached(store, ("serving", "territories"), lambda: {t["id"]: t for t in table_rows(store, "territories")})


def _names(store) -> dict[str, list[str]]:
    """Folded name or code → territory ids (a name may be shared: the commune and its arrondissement)."""

    def compute() -> dict[str, list[str]]:
        names: dict[str, list[str]] = {}
        for t in _territories(store).values():
            for name in (t["label"], t["label_nl"], t["code"], t["id"]):
                if name:
                    names.setdefault(fold(name).replace("-", " "), []).append(t["id"])
        return names

    return cached(store, ("serving", "names"), compute)


_LEVEL_ORDER = {"municipality": 0, "district": 1, "province": 2, "region": 3, "country": 4}


def resolve_territory(store, text: str) -> dict:
    """The territory row that ``text`` names (id, official code or name; communes first when a name is shared)."""
    territories = _territories(store)
    key = fold(text.strip()).replace("-", " ")
    if text.strip() in territories:
        return territories[text.strip()]
    found = _names(store).get(key)
    if found:
        return min((territories[i] for i in found), key=lambda t: (_LEVEL_ORDER.get(t["level"], 9), t["id"]))
    names = _names(store)
    nearest = process.extract(key, list(names), scorer=fuzz.WRatio, limit=5, score_cutoff=60) if key else []
    suggestions = []
    for name, _score, _ in nearest:
        for some_id in names[name]:
            t = territories[some_id]
            if all(s["id"] != some_id for s in suggestions):
                suggestions.append({"id": some_id, "label": t["label"], "level": t["level"], "code": t["code"]})
    raise UnknownTerritory(text, suggestions[:5])


def _parents(store):
    territories = _territories(store)

    def parents_of(some_id: str) -> list[str]:
        row = territories.get(some_id)
        return [p for p in ([row["parent"]] + list(row["within"])) if p] if row else []

    return parents_of


def _served_by(store) -> dict[str, list[dict]]:
    """Territory id → the non-collective actors that name it as served territory."""

    def compute() -> dict[str, list[dict]]:
        index: dict[str, list[dict]] = {}
        for actor in table_rows(store, "actors"):
            if actor["kind"] in COLLECTIVE_KINDS:
                continue
            for territory in actor["territory"]:
                index.setdefault(territory, []).append(actor)
        return index

    return cached(store, ("serving", "served_by"), compute)


def serving(store, commune: str, lang: str = "fr") -> dict:
    """``{"territory": {"iri", "id", "label", "code", "level"}, "services": [{"iri", "id", "label",
    "service_type", "acronym", "sector", "homepage", "contact_page", "via"}]}`` for the territory ``commune``
    names (see the module docstring); :class:`UnknownTerritory` if it names none."""
    row = resolve_territory(store, commune)
    territories = _territories(store)
    chain = territory_ancestors(row["id"], _parents(store))
    served_by = _served_by(store)
    types = {t["id"]: t for t in table_rows(store, "service_types")}
    services, seen = [], set()
    for distance, area in enumerate(chain):
        level = territories.get(area, {}).get("level")
        for actor in served_by.get(area, ()):
            if actor["id"] in seen:
                continue
            seen.add(actor["id"])
            own_types = [types[t] for t in actor["service_type"] if t in types]
            services.append({
                "iri": str(PMID[f"actors/{actor['id']}"]), "id": actor["id"], "label": actor["label"],
                "service_type": [{"id": t["id"], "label": label_of(store, PMID[f"service_types/{t['id']}"], lang),
                                  "acronym": t["acronym"]} for t in own_types],
                "acronym": actor["acronym"] or sorted({a for t in own_types for a in t["acronym"]}),
                "sector": [{"id": s, "label": label_of(store, PMID[f"sectors/{s}"], lang)} for s in actor["sector"]],
                "homepage": actor["homepage"], "contact_page": actor["contact_page"],
                "via": {"id": area, "label": territories.get(area, {}).get("label", area), "level": level,
                        "level_label": _level_label(area, level), "distance": distance},
            })
    services.sort(key=lambda s: (s["via"]["distance"], [t["id"] for t in s["service_type"]] or ["~"],
                                 fold(s["label"])))
    return {"territory": {"iri": str(PMID[f"territories/{row['id']}"]), "id": row["id"], "label": row["label"],
                          "code": row["code"], "level": row["level"]},
            "services": services}
