"""Actor search: actors filtered by text, sector, service type, country, territory, kind, mandate kind, free
adherence and age, one page in a stable order (by id) with the total and facet counts over the whole filtered set.

* The filters but age select ``?actor`` in SPARQL (:meth:`ActorFilter.pattern`): a territory keeps the actors
  serving it or a territory inside it (``pm:partOf``, any depth); with ``covering`` also those serving a
  territory that encloses it.
* Age and the facets are read from :func:`actor_facts`, one table per store version of what every actor is:
  its sectors, service types, countries, kind, the provinces enclosing its served territories, the mandate
  kinds of its service types and its age range. Ages missing from both the actor and its service types are
  unknown, not restrictive: an age filter keeps such actors (their summaries say ``ages_known: False``).
  An actor's age range is its own ``ageMin``/``ageMax``, else the lowest minimum and the highest maximum of its
  service types.

Counting facets in SPARQL meant evaluating the filter once per facet: on a 50,000-actor store the first
``/api/v1/actors?age=0`` took 15–17 s. The actor table costs about 2 s once per version (the warm-up computes
it); each filter then costs one SPARQL selection and counting in memory.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef

from graph.ids import territory_ancestors
from graph.query.entities import EntityError, actor_summaries, cached, check_id, iri_id, label_of, values_block
from graph.vocab.namespaces import PM, PMID
from graph.vocab.schema import ACTOR_KINDS, MANDATE_KINDS

__all__ = ["ActorFilter", "ActorFacts", "AGE_BANDS", "FACET_NAMES", "actor_facts", "search_actors",
           "matching_actors"]

AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("0-2", 0, 2.99), ("3-5", 3, 5.99), ("6-11", 6, 11.99), ("12-17", 12, 17.99), ("18-25", 18, 25.99),
    ("26+", 26, 200),
)
"""Age bands of the age facet (years, inclusive); an actor counts in every band its range overlaps."""

FACET_NAMES = ("sector", "service_type", "country", "territory", "kind", "mandate")
"""The facets counted besides age (territory: the provinces enclosing the territories an actor serves)."""


@dataclass(frozen=True)
class ActorFilter:
    """What to look for; every field optional, several values of one field are alternatives."""

    q: str | None = None
    sector: tuple[str, ...] = ()
    service_type: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    territory: tuple[str, ...] = ()
    covering: bool = False
    """With ``territory``: also actors serving a territory that encloses it (a province-wide service…)."""
    kind: tuple[str, ...] = ()
    mandate: tuple[str, ...] = ()
    free_adherence: bool | None = None
    age: float | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def pattern(self) -> str:
        """The SPARQL group pattern selecting ``?actor`` by every filter but age (constant fragments plus escaped
        VALUES); raises :class:`EntityError` on a malformed value, age included."""
        parts = ["?actor a pm:Actor ."]

        def ids(table: str, values: tuple[str, ...], what: str) -> list[URIRef]:
            return [PMID[f"{table}/{check_id(v, what)}"] for v in values]

        def enum(prefix: str, values: tuple[str, ...], allowed: tuple[str, ...], what: str) -> list[URIRef]:
            for v in values:
                if v not in allowed:
                    raise EntityError(f"unknown {what} {v[:40]!r}: one of {', '.join(allowed)}")
            return [PM[f"{prefix}-{v}"] for v in values]

        if self.sector:
            parts += [values_block("f_sector", ids("sectors", self.sector, "sector")),
                      "?actor pm:sector ?f_sector ."]
        if self.service_type:
            parts += [values_block("f_st", ids("service_types", self.service_type, "service type")),
                      "?actor pm:serviceType ?f_st ."]
        if self.country:
            parts += [values_block("f_country", ids("territories", self.country, "country")),
                      "?actor pm:country ?f_country ."]
        if self.territory:
            parts.append(values_block("f_territory", ids("territories", self.territory, "territory")))
            if self.covering:
                parts.append("?actor pm:servesTerritory ?f_t . "
                             "{ ?f_t pm:partOf* ?f_territory } UNION { ?f_territory pm:partOf* ?f_t }")
            else:
                parts.append("?actor pm:servesTerritory/pm:partOf* ?f_territory .")
        if self.kind:
            parts += [values_block("f_kind", enum("kind", self.kind, ACTOR_KINDS, "kind")),
                      "?actor pm:actorKind ?f_kind ."]
        if self.mandate:
            parts += [values_block("f_mandate", enum("mandate", self.mandate, MANDATE_KINDS, "mandate kind")),
                      "?actor pm:serviceType/pm:mandateKind ?f_mandate ."]
        if self.free_adherence is not None:
            parts += [values_block("f_free", [Literal(bool(self.free_adherence))]),
                      "?actor pm:serviceType/pm:freeAdherence ?f_free ."]
        if self.q:
            text = " ".join(self.q.split()).lower()
            if len(text) > 200:
                raise EntityError("search text longer than 200 characters")
            parts += [values_block("f_q", [Literal(text)]),
                      "?actor skos:prefLabel|pm:acronym|skos:altLabel ?f_text . "
                      "FILTER(CONTAINS(LCASE(STR(?f_text)), ?f_q))"]
        if self.age is not None and not -1 <= float(self.age) <= 130:
            raise EntityError("age must be between -1 and 130")
        return "\n  ".join(parts)


# ------------------------------------------------------------------ what every actor is, once per version

@dataclass
class ActorFacts:
    """Per actor IRI: the facet values it counts under (``facets[name][actor]``: a set of IRIs) and its age range
    (``ages[actor]``: (low, high), each ``None`` when unknown)."""

    facets: dict[str, dict[str, set[str]]]
    ages: dict[str, tuple[float | None, float | None]]

    def serves_age(self, actor: str, age: float) -> bool:
        low, high = self.ages.get(actor, (None, None))
        return (low is None or low <= age) and (high is None or high >= age)


_ACTOR_PREFIX = str(PMID["actors/"])
_TYPE_PREFIX = str(PMID["service_types/"])
_PREDICATES = {str(PM[name]): name for name in
               ("sector", "serviceType", "country", "actorKind", "servesTerritory", "ageMin", "ageMax",
                "mandateKind")}
_PAIRS = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { pm:sector pm:serviceType pm:country pm:actorKind pm:servesTerritory pm:ageMin pm:ageMax pm:mandateKind }
  ?s ?p ?o .
}
"""
_TREE = "SELECT ?t ?parent WHERE { ?t pm:partOf ?parent }"
_LEVELS = "SELECT ?t ?level WHERE { ?t a pm:Territory ; pm:level ?level }"
_PROVINCE = str(PM["level-province"])


def actor_facts(store) -> ActorFacts:
    """What every actor is (see the module docstring); one scan of eight predicates, cached per store version."""
    return cached(store, ("actor_facts",), lambda: _actor_facts(store))


def _number(text: str) -> float | None:
    try:
        return float(Decimal(text))
    except ArithmeticError:
        return None


def _actor_facts(store) -> ActorFacts:
    own: dict[str, dict[str, list[str]]] = {}
    types: dict[str, dict[str, list[str]]] = {}
    for s, p, o in store.select_values(_PAIRS):
        name = _PREDICATES.get(p)
        if name is None or s is None or o is None:
            continue
        if s.startswith(_ACTOR_PREFIX):
            own.setdefault(s, {}).setdefault(name, []).append(o)
        elif s.startswith(_TYPE_PREFIX):
            types.setdefault(s, {}).setdefault(name, []).append(o)
    for (actor,) in store.select_values("SELECT ?actor WHERE { ?actor a pm:Actor }"):
        own.setdefault(actor, {})
    parents: dict[str, list[str]] = {}
    for t, parent in store.select_values(_TREE):
        parents.setdefault(t, []).append(parent)
    provinces = {t for t, level in store.select_values(_LEVELS) if level == _PROVINCE}
    enclosing_provinces: dict[str, set[str]] = {}

    def provinces_of(territory: str) -> set[str]:
        if territory not in enclosing_provinces:
            enclosing = territory_ancestors(territory, lambda t: parents.get(t, ()))
            enclosing_provinces[territory] = provinces.intersection(enclosing)
        return enclosing_provinces[territory]

    facets: dict[str, dict[str, set[str]]] = {name: {} for name in FACET_NAMES}
    ages: dict[str, tuple[float | None, float | None]] = {}
    for actor, values in own.items():
        its_types = [types.get(t, {}) for t in values.get("serviceType", ())]
        facets["sector"][actor] = set(values.get("sector", ()))
        facets["service_type"][actor] = set(values.get("serviceType", ()))
        facets["country"][actor] = set(values.get("country", ()))
        facets["kind"][actor] = set(values.get("actorKind", ()))
        facets["territory"][actor] = set().union(*(provinces_of(t) for t in values.get("servesTerritory", ())))
        facets["mandate"][actor] = {m for t in its_types for m in t.get("mandateKind", ())}
        lows = [_number(v) for v in values.get("ageMin", ())] or [
            _number(v) for t in its_types for v in t.get("ageMin", ())]
        highs = [_number(v) for v in values.get("ageMax", ())] or [
            _number(v) for t in its_types for v in t.get("ageMax", ())]
        lows, highs = [v for v in lows if v is not None], [v for v in highs if v is not None]
        ages[actor] = (min(lows) if lows else None, max(highs) if highs else None)
    return ActorFacts(facets, ages)


# ------------------------------------------------------------------ search

def matching_actors(store, flt: ActorFilter) -> list[str]:
    """The IRIs of the actors matching ``flt``, sorted (the order of ``ORDER BY ?actor``: IRIs compare as strings
    of code points), computed once per store version and filter: the pages of a search are slices of it, and its
    length is the total."""
    pattern = flt.pattern()

    def selected() -> list[str]:
        rows = store.select_values(f"SELECT DISTINCT ?actor WHERE {{\n  {pattern}\n}}")
        return sorted({row[0] for row in rows if row[0] is not None})

    found = cached(store, ("matching", pattern), selected)
    if flt.age is None:
        return found
    age = float(flt.age)

    def aged() -> list[str]:
        facts = actor_facts(store)
        return [a for a in found if facts.serves_age(a, age)]

    return cached(store, ("matching", pattern, age), aged)


def _facet_counts(store, matching: list[str], lang: str) -> dict[str, list[dict]]:
    """Counts per facet value over the ``matching`` actors, most frequent first (then by IRI)."""
    facts = actor_facts(store)
    out: dict[str, list[dict]] = {}
    for name in FACET_NAMES:
        by_actor = facts.facets[name]
        counts = Counter(value for actor in matching for value in by_actor.get(actor, ()))
        out[name] = [{"id": re.sub(r"^(kind|mandate)-", "", iri_id(value)), "label": label_of(store, value, lang),
                      "count": n} for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    bands = Counter()
    unknown = 0
    for actor in matching:
        low, high = facts.ages.get(actor, (None, None))
        if low is None and high is None:
            unknown += 1
            continue
        low = -1.0 if low is None else low
        high = 200.0 if high is None else high
        bands.update(name for name, band_low, band_high in AGE_BANDS if low <= band_high and high >= band_low)
    out["age"] = [{"id": name, "label": name, "count": bands[name]} for name, _, _ in AGE_BANDS]
    out["age"].append({"id": "unknown", "label": "unknown", "count": unknown})
    return out


def search_actors(store, flt: ActorFilter, limit: int = 50, offset: int = 0, facets: bool = True,
                  lang: str = "fr") -> dict[str, Any]:
    """One page of the actors matching ``flt`` (ordered by id), the total, and facet counts."""
    limit, offset = max(0, int(limit)), max(0, int(offset))
    flt.pattern()  # a malformed filter is refused before anything is cached

    def compute() -> dict:
        matching = matching_actors(store, flt)
        result = {"total": len(matching), "limit": limit, "offset": offset,
                  "items": actor_summaries(store, [iri_id(a) for a in matching[offset:offset + limit]], lang)}
        if facets:
            result["facets"] = cached(store, ("facets", flt, lang), lambda: _facet_counts(store, matching, lang))
        return result

    return cached(store, ("search", flt, limit, offset, facets, lang), compute)
