"""Counts that say what the graph holds and how well it is sourced, read from the store by SPARQL.

* ``by_class`` — number of data entities (IRIs minted for table rows, under the ``id/`` namespace) per class
  (class label in English → count);
* ``sourced_share`` — fraction of data rows (every table but the sources) whose entity carries at
  least one ``prov:wasDerivedFrom``; 1.0 means every row names its source;
* ``by_source`` — number of entities citing each source;
* ``coverage`` — actors, service types and jargon senses per country (a region or commune counts for its
  country, through ``pm:partOf``) and per sector;
* ``against_official`` — for each official count of ``data/official_counts.csv`` (a service type in a
  territory, with its source), the actors of that type in the data whose served territory (or country) lies
  in that territory (``pm:partOf`` or ``pm:withinArea``, any depth), and their share of the official number.

Each query scans one or two predicates and the joins are made here: a row's table, hence its class among
actors, service types and senses, is read from its IRI (``id/<table>/<row id>``, the one minting rule of
:func:`graph.build.triples.entity_iri`), and the territory tree is walked in memory. On a 50,000-actor store
the same figures took 14 s with the joins in SPARQL (Oxigraph joins property paths row by row) and take
about 2 s this way; they are computed once per store version.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from typing import Any

from graph.ids import territory_ancestors
from graph.version_cache import KeyedVersionCache
from graph.vocab.namespaces import PM, PMID

__all__ = ["graph_stats", "against_official"]

_DATA = str(PMID)
_PM_PREFIX = str(PM)

_ALL_TYPED = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"

_NOT_DATA_TYPED = f"""
SELECT ?class (COUNT(?s) AS ?n) WHERE {{ ?s a ?class . FILTER(!STRSTARTS(STR(?s), "{_DATA}")) }} GROUP BY ?class
"""

_CLASS_LABELS = """
SELECT ?class ?label WHERE { ?class rdfs:label ?label . FILTER(LANG(?label) = "en") }
"""

_ROWS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s pm:fromTable ?table }"
_SOURCE_ROWS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a pm:Source ; pm:fromTable ?table }"

_DERIVED = f"""
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s prov:wasDerivedFrom ?src . FILTER(STRSTARTS(STR(?s), "{_DATA}")) }}
"""

_SOURCES_DERIVED = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a pm:Source ; prov:wasDerivedFrom ?src }"

_CITATIONS = "SELECT ?source (COUNT(?s) AS ?n) WHERE { ?s prov:wasDerivedFrom ?source } GROUP BY ?source"

_SOURCES = """
SELECT ?source ?title ?kind WHERE { ?source a pm:Source ; dct:title ?title ; pm:sourceKind/skos:notation ?kind }
"""

_COUNTRY_PAIRS = "SELECT ?s ?place WHERE { ?s pm:country ?place }"
_SECTOR_PAIRS = "SELECT ?s ?sector WHERE { ?s pm:sector ?sector }"
_SECTOR_LABELS = """
SELECT ?sector ?label WHERE { ?sector a pm:Sector ; skos:prefLabel ?label . FILTER(LANG(?label) = "fr") }
"""

_TERRITORIES = """
SELECT ?t ?label ?parent ?level WHERE {
  ?t a pm:Territory ; rdfs:label ?label . OPTIONAL { ?t pm:partOf ?parent } OPTIONAL { ?t pm:level ?level }
}
"""
_WITHIN = "SELECT ?t ?area WHERE { ?t pm:withinArea ?area }"

_OFFICIAL = """
SELECT ?oc ?territory ?territory_label ?type ?type_label ?count ?as_of
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  ?oc a pm:OfficialCount ; pm:countTerritory ?territory ; pm:countServiceType ?type ; pm:officialCount ?count ;
      prov:wasDerivedFrom ?src .
  OPTIONAL { ?oc pm:countDate ?as_of }
  ?territory rdfs:label ?territory_label .
  ?type skos:prefLabel ?type_label . FILTER(LANG(?type_label) = "fr")
} GROUP BY ?oc ?territory ?territory_label ?type ?type_label ?count ?as_of ORDER BY ?territory_label ?type_label
"""

_ACTORS_OF_COUNTED_TYPES = """
SELECT ?a ?type ?served ?country WHERE {
  { SELECT DISTINCT ?type WHERE { ?oc a pm:OfficialCount ; pm:countServiceType ?type } }
  ?a pm:serviceType ?type ; a pm:Actor .
  OPTIONAL { ?a pm:servesTerritory ?served }
  OPTIONAL { ?a pm:country ?country }
}
"""

_CLASS_OF_TABLE = {"actors": "Actor", "service_types": "ServiceType", "glossary": "JargonSense"}
_CLASS_KEYS = {"Actor": "actors", "ServiceType": "service_types", "JargonSense": "senses"}
_CACHE = KeyedVersionCache(size=8)


def graph_stats(store) -> dict[str, Any]:
    """Statistics of the store (embedded or remote) as a JSON-ready dict; computed once per store version."""
    return copy.deepcopy(_CACHE.get(store, ("stats",), lambda: _graph_stats(store)))


def _graph_stats(store) -> dict[str, Any]:
    rows = _count(store, _ROWS) - _count(store, _SOURCE_ROWS)
    with_source = _count(store, _DERIVED) - _count(store, _SOURCES_DERIVED)
    tree = _Territories(store)
    return {
        "version": store.version,
        "triples": len(store),
        "by_class": _by_class(store),
        "rows": rows,
        "sourced_rows": with_source,
        "sourced_share": (with_source / rows) if rows else 0.0,
        "by_source": _by_source(store),
        "coverage": {"country": _country_coverage(store, tree), "sector": _sector_coverage(store)},
        "against_official": _against_official(store, tree),
    }


def against_official(store) -> list[dict[str, Any]]:
    """Each official count with the number of actors of that type in the data for its territory (see above)."""
    return graph_stats(store)["against_official"]


def _count(store, query: str) -> int:
    found = store.select(query)
    return int(found[0]["n"] or 0) if found else 0


def _by_class(store) -> dict[str, int]:
    labels = {row["class"]: row["label"] for row in store.select(_CLASS_LABELS)}
    counts: Counter = Counter()
    for row in store.select(_ALL_TYPED):
        counts[row["class"]] += int(row["n"])
    for row in store.select(_NOT_DATA_TYPED):
        counts[row["class"]] -= int(row["n"])
    named = {labels[c]: n for c, n in counts.items() if n > 0 and c in labels and c.startswith(_PM_PREFIX)}
    return dict(sorted(named.items()))


def _by_source(store) -> list[dict[str, Any]]:
    sources = {row["source"]: row for row in store.select(_SOURCES)}
    cited = [(row["source"], int(row["n"])) for row in store.select(_CITATIONS) if row["source"] in sources]
    cited.sort(key=lambda item: (-item[1], item[0]))
    return [{"source": iri, "title": sources[iri]["title"], "kind": sources[iri]["kind"], "entities": n}
            for iri, n in cited]


def _class_of(iri: str) -> str | None:
    """The class among actors, service types and senses of a data entity, from its table (its IRI)."""
    if not iri.startswith(_DATA):
        return None
    return _CLASS_OF_TABLE.get(iri[len(_DATA):].split("/", 1)[0])


def _empty_cell() -> dict[str, int]:
    return {"actors": 0, "service_types": 0, "senses": 0}


def _country_coverage(store, tree: _Territories) -> dict[str, dict[str, int]]:
    """An entity whose ``pm:country`` is a region counts for the country above it, once per country however many
    of its regions it names."""
    seen: set[tuple[str, str, str]] = set()
    for s, place in store.select_values(_COUNTRY_PAIRS):
        cls = _class_of(s)
        country = tree.country_of(place) if cls else None
        if country:
            seen.add((tree.label(country), cls, s))
    cells: dict[str, dict[str, int]] = defaultdict(_empty_cell)
    for label, cls, _ in seen:
        cells[label][_CLASS_KEYS[cls]] += 1
    return dict(sorted(cells.items()))


def _sector_coverage(store) -> dict[str, dict[str, int]]:
    labels = {row["sector"]: row["label"] for row in store.select(_SECTOR_LABELS)}
    cells: dict[str, dict[str, int]] = {}
    for s, sector in store.select_values(_SECTOR_PAIRS):
        cls = _class_of(s)
        if cls and sector in labels:
            cells.setdefault(labels[sector], _empty_cell())[_CLASS_KEYS[cls]] += 1
    return dict(sorted(cells.items()))


class _Territories:
    """The territory tree in memory: labels, levels, ``pm:partOf`` parents and ``pm:withinArea`` areas."""

    def __init__(self, store):
        self.rows = {row["t"]: row for row in store.select(_TERRITORIES)}
        self.within: dict[str, list[str]] = defaultdict(list)
        for t, area in store.select_values(_WITHIN):
            self.within[t].append(area)
        self._above: dict[str, frozenset[str]] = {}

    def label(self, iri: str) -> str:
        return self.rows[iri]["label"]

    def country_of(self, iri: str) -> str | None:
        chain = territory_ancestors(iri, lambda t: [self.rows.get(t, {}).get("parent")])
        return next((t for t in chain
                     if str(self.rows.get(t, {}).get("level") or "").endswith("level-country")), None)

    def enclosing(self, iri: str) -> frozenset[str]:
        """``iri`` and every territory it lies in, through ``pm:partOf`` and ``pm:withinArea``, any depth."""
        if iri not in self._above:
            self._above[iri] = frozenset(territory_ancestors(
                iri, lambda t: [self.rows.get(t, {}).get("parent"), *self.within.get(t, ())]))
        return self._above[iri]


def _against_official(store, tree: _Territories) -> list[dict[str, Any]]:
    served: dict[str, set[str]] = defaultdict(set)
    countries: dict[str, set[str]] = defaultdict(set)
    of_type: dict[str, set[str]] = defaultdict(set)
    for a, service_type, territory, country in store.select_values(_ACTORS_OF_COUNTED_TYPES):
        of_type[service_type].add(a)
        if territory:
            served[a].add(territory)
        if country:
            countries[a].add(country)

    def lies_in(actor: str, territory: str) -> bool:
        places = served.get(actor) or countries.get(actor, ())
        return any(territory in tree.enclosing(p) for p in places)

    out = []
    for row in store.select(_OFFICIAL):
        official = int(row["count"])
        found = sum(1 for a in of_type.get(row["type"], ()) if lies_in(a, row["territory"]))
        out.append({"territory": {"iri": row["territory"], "label": row["territory_label"]},
                    "service_type": {"iri": row["type"], "label": row["type_label"]},
                    "official": official, "as_of": row.get("as_of"), "in_data": found,
                    "share": round(found / official, 3) if official else None,
                    "sources": sorted((row.get("sources") or "").split())})
    return out
