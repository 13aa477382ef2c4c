"""Counts that say what the graph holds and how well it is sourced, read from the store by SPARQL.

* ``by_class`` — number of data entities per class (class label in English → count);
* ``sourced_share`` — fraction of data rows (every table but the sources) whose entity carries at
  least one ``prov:wasDerivedFrom``; 1.0 means every row names its source;
* ``by_source`` — number of entities citing each source;
* ``coverage`` — actors, service types and jargon senses per country (a region or commune counts for its
  country, through ``pm:partOf``) and per sector;
* ``against_official`` — for each official count of ``data/official_counts.csv`` (a service type in a
  territory, with its source), the actors of that type in the data whose served territory (or country) lies
  in that territory (``pm:partOf`` or ``pm:withinArea``, any depth), and their share of the official number.
"""

from __future__ import annotations

from typing import Any

from graph.ids import territory_ancestors

__all__ = ["graph_stats"]

_BY_CLASS = """
SELECT ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s pm:fromTable ?table ; a ?class .
  ?class rdfs:label ?label . FILTER(LANG(?label) = "en")
  FILTER(STRSTARTS(STR(?class), STR(pm:)))
} GROUP BY ?label ORDER BY ?label
"""

_SOURCED = """
SELECT (COUNT(DISTINCT ?s) AS ?rows) (COUNT(DISTINCT ?sourced) AS ?with_source) WHERE {
  ?s pm:fromTable ?table . FILTER NOT EXISTS { ?s a pm:Source }
  OPTIONAL { ?s prov:wasDerivedFrom ?src . BIND(?s AS ?sourced) }
}
"""

_BY_SOURCE = """
SELECT ?source ?title ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s prov:wasDerivedFrom ?source .
  ?source dct:title ?title ; pm:sourceKind/skos:notation ?kind .
} GROUP BY ?source ?title ?kind ORDER BY DESC(?n) ?source
"""

_COVERAGE_COUNTRY = """
SELECT DISTINCT ?s ?class ?place WHERE {
  VALUES ?class { pm:Actor pm:ServiceType pm:JargonSense }
  ?s a ?class ; pm:country ?place .
}
"""

_COVERAGE_SECTOR = """
SELECT ?key ?label ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { pm:Actor pm:ServiceType pm:JargonSense }
  ?s a ?class ; pm:sector ?key . ?key skos:prefLabel ?label . FILTER(LANG(?label) = "fr")
} GROUP BY ?key ?label ?class ORDER BY ?label
"""

_TERRITORIES = """
SELECT ?t ?label ?parent ?level WHERE {
  ?t a pm:Territory ; rdfs:label ?label . OPTIONAL { ?t pm:partOf ?parent } OPTIONAL { ?t pm:level ?level }
}
"""

_OFFICIAL = """
SELECT ?oc ?territory ?territory_label ?type ?type_label ?count ?as_of
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?oc a pm:OfficialCount ; pm:countTerritory ?territory ; pm:countServiceType ?type ; pm:officialCount ?count ;
      prov:wasDerivedFrom ?src .
  OPTIONAL { ?oc pm:countDate ?as_of }
  ?territory rdfs:label ?territory_label .
  ?type skos:prefLabel ?type_label . FILTER(LANG(?type_label) = "fr")
  OPTIONAL {
    ?a a pm:Actor ; pm:serviceType ?type .
    { ?a pm:servesTerritory/(pm:partOf|pm:withinArea)* ?territory }
    UNION
    { FILTER NOT EXISTS { ?a pm:servesTerritory ?any } ?a pm:country/(pm:partOf|pm:withinArea)* ?territory }
  }
} GROUP BY ?oc ?territory ?territory_label ?type ?type_label ?count ?as_of ORDER BY ?territory_label ?type_label
"""

_CLASS_KEYS = {"Actor": "actors", "ServiceType": "service_types", "JargonSense": "senses"}


def graph_stats(store) -> dict[str, Any]:
    """Statistics of the store (embedded or remote) as a JSON-ready dict."""
    triples = len(store)
    by_class = {row["label"]: row["n"] for row in store.select(_BY_CLASS)}
    sourced = store.select(_SOURCED)[0]
    rows, with_source = sourced["rows"] or 0, sourced["with_source"] or 0
    by_source = [{"source": row["source"], "title": row["title"], "kind": row["kind"], "entities": row["n"]}
                 for row in store.select(_BY_SOURCE)]
    coverage: dict[str, dict[str, dict[str, int]]] = {"country": {}, "sector": {}}
    for label, cls, n in _country_counts(store):
        cell = coverage["country"].setdefault(label, {"actors": 0, "service_types": 0, "senses": 0})
        cell[_CLASS_KEYS[cls]] += n
    for row in store.select(_COVERAGE_SECTOR):
        cell = coverage["sector"].setdefault(row["label"], {"actors": 0, "service_types": 0, "senses": 0})
        cell[_CLASS_KEYS[row["class"].rsplit("#", 1)[-1]]] = row["n"]
    coverage["country"] = dict(sorted(coverage["country"].items()))
    return {
        "version": store.version,
        "triples": triples,
        "by_class": by_class,
        "rows": rows,
        "sourced_rows": with_source,
        "sourced_share": (with_source / rows) if rows else 0.0,
        "by_source": by_source,
        "coverage": coverage,
        "against_official": against_official(store),
    }


def _country_counts(store) -> list[tuple[str, str, int]]:
    """(country label, class, entities) — an entity whose ``pm:country`` is a region counts for the country above
    it (``pm:partOf``), once per country however many of its regions it names."""
    territories = {r["t"]: r for r in store.select(_TERRITORIES)}

    def country_of(iri: str) -> str | None:
        chain = territory_ancestors(iri, lambda t: [territories.get(t, {}).get("parent")])
        return next((t for t in chain if str(territories.get(t, {}).get("level") or "").endswith("level-country")),
                    None)

    seen: dict[tuple[str, str], set] = {}
    for s, cls, place in store.select_values(_COVERAGE_COUNTRY):
        country = country_of(place)
        if country:
            seen.setdefault((territories[country]["label"], cls.rsplit("#", 1)[-1]), set()).add(s)
    return [(label, cls, len(entities)) for (label, cls), entities in seen.items()]


def against_official(store) -> list[dict[str, Any]]:
    """Each official count with the number of actors of that type in the data for its territory (see above)."""
    out = []
    for row in store.select(_OFFICIAL):
        official, found = int(row["count"]), int(row["n"] or 0)
        out.append({"territory": {"iri": row["territory"], "label": row["territory_label"]},
                    "service_type": {"iri": row["type"], "label": row["type_label"]},
                    "official": official, "as_of": row.get("as_of"), "in_data": found,
                    "share": round(found / official, 3) if official else None,
                    "sources": sorted((row.get("sources") or "").split())})
    return out
