"""Projection of the store onto networkx graphs, cached per store version.

Definition
----------
The **actor graph** is a directed graph whose nodes are the actors (organisations, services,
authorities) and the posts of the store, identified by their IRI, and whose edges are typed ties:

=================  ==========================================================  ==========
kind               source in the store                                         direction
=================  ==========================================================  ==========
``referral``       ``pm:Referral`` between two actors (``pm:referralFrom/To``)  from → to (both if
                                                                                ``pm:bidirectional``)
``agreement``      ``pm:Agreement`` with two or more actor parties (``pm:party``)  both ways
``co_membership``  two members of the same platform, network, project            both ways
                   or programme (``org:member`` / ``pm:collective``)
``parent_child``   ``org:subOrganizationOf``                                    both ways
``post_in``        a post and the actor holding it (``org:postIn``)              both ways
=================  ==========================================================  ==========

Each tie counts 1: the edge attribute ``weight`` is the number of ties between the two nodes in
that direction, ``kinds`` the sorted tuple of their kinds and ``ties`` the list of ``(kind, via)``
pairs (``via`` = IRI of the referral, agreement or collective). Self-loops are dropped.
Collectives (platforms, networks, projects, programmes) become nodes only when they take part in a
tie themselves (member of another collective, party to an agreement, end of a referral, parent or
child of an actor); their own member lists become ``co_membership`` edges.

Node attributes: ``iri``, ``id`` (slug), ``label``, ``node_kind`` (actor kind or ``post``),
``sector`` (primary sector: the first of the sorted sector IRIs, the partition used by
Gould–Fernandez and the gap analysis), ``sectors`` (all), ``service_types``, ``mandate_kinds``
(notations of the service types' ``pm:mandateKind``), ``country``, ``territories``, ``age_min``,
``age_max`` (the actor's own, else its service types' widest range), and for posts ``function``,
``cross_sector`` and ``actor``. A post inherits sector, country and (when it has none) territory
from its actor.

The **service-type graph** is a directed graph of ``pm:ServiceType`` nodes whose edges are the
type-level referrals plus the actor-level referrals lifted to the actors' types; each edge keeps
the list of referrals it stands for (condition kinds, condition, need).

The **bipartite actor–platform graph** is an undirected graph of members (``bipartite=0``) and
collectives (``bipartite=1``: every node that has members), one edge per membership with its ``role``.
A collective sitting on another one (a network on a platform) stays on side 1 and its edge is marked
``nested=True``: only then is the graph not strictly bipartite.

Reading
-------
The store is read by SPARQL only, with about twenty queries that each touch one property (a single triple
pattern, or a ``GROUP BY`` on a property's few distinct values with ``GROUP_CONCAT`` of the subjects) and
are joined in Python: on Oxigraph a join costs an index lookup per solution and every IRI returned costs a
dictionary lookup, so one-pattern queries returning each IRI as few times as possible are the fast path
(issue #8). Row orders are those of the type scans
(``?x a pm:Actor``…), the order the former one-query-per-table projection saw, so node, edge and tie orders
are unchanged; ``tests/network/test_projection_equivalence.py`` checks the graphs against that former
reader. Properties the SHACL shapes allow once (label, kind, country, ages, referral ends, a post's actor
and function) are read as single-valued: on data violating them the choice among the values may differ.

Parameters
----------
store : EmbeddedStore or RemoteStore
    Anything with ``query_json(query)`` (SPARQL 1.1 Query Results JSON) and ``version``.

Returns
-------
Projection
    The three graphs plus the reference tables (sectors, territories, functions, service types,
    agreements, referrals, memberships) the analytics need.

Example
-------
>>> from graph.network.projection import projection_from_rows
>>> p = projection_from_rows("demo", actors=[
...     {"a": "x", "label": "X", "kind": "service", "country": "be"},
...     {"a": "y", "label": "Y", "kind": "service", "country": "be"}],
...     referrals=[{"r": "r1", "from": "x", "to": "y", "both": False}])
>>> sorted(p.actors.edges(data="kinds"))
[('x', 'y', ('referral',))]

References
----------
W3C ORG ontology (org:member, org:postIn, org:subOrganizationOf): https://www.w3.org/TR/vocab-org/
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ..ids import short_id, territory_ancestors, territory_distances
from ..store import EmbeddedStore, to_python
from ..version_cache import PerVersionCache, SingleFlight
from ..vocab.namespaces import PM, PMID

__all__ = ["Projection", "project", "projection_from_rows", "clear_cache", "EDGE_KINDS", "COLLECTIVE_KINDS",
           "short_id"]

EDGE_KINDS = ("referral", "agreement", "co_membership", "parent_child", "post_in")
COLLECTIVE_KINDS = ("platform", "network", "project", "programme")
MANDATE_PREFIX = str(PM) + "mandate-"
_PMID = str(PMID)


# ------------------------------------------------------------------ queries (SPARQL only, never CSV)

# The big tables, one property per query (see "Reading" above). Type scans give the row order.
# ``GROUP_CONCAT(STR(?x); separator=" ")`` is safe for IRIs: an IRI never contains a space.
_IRIS = '(GROUP_CONCAT(STR(?x); separator=" ") AS ?xs)'
F_ACTORS = "SELECT ?x WHERE { ?x a pm:Actor }"
F_KINDS = f"SELECT ?v {_IRIS} WHERE {{ ?x pm:actorKind ?v }} GROUP BY ?v"
F_NOTATIONS = "SELECT ?x ?v WHERE { ?x skos:notation ?v }"  # joined in Python: a few dozen concepts
F_LABELS = "SELECT ?x ?v WHERE { ?x rdfs:label ?v }"
F_COUNTRIES = f"SELECT ?v {_IRIS} WHERE {{ ?x pm:country ?v }} GROUP BY ?v"
F_AGE_MIN = "SELECT ?x ?v WHERE { ?x pm:ageMin ?v }"
F_AGE_MAX = "SELECT ?x ?v WHERE { ?x pm:ageMax ?v }"
F_SECTORS = f"SELECT ?v {_IRIS} WHERE {{ ?x pm:sector ?v }} GROUP BY ?v"
F_TYPES = f"SELECT ?v {_IRIS} WHERE {{ ?x pm:serviceType ?v }} GROUP BY ?v"
F_TERRITORIES = f"SELECT ?v {_IRIS} WHERE {{ ?x pm:servesTerritory ?v }} GROUP BY ?v"
F_PARENTS = "SELECT ?x ?v WHERE { ?x org:subOrganizationOf ?v }"
F_POSTS = "SELECT ?x WHERE { ?x a pm:Post }"
F_POST_IN = "SELECT ?x ?v WHERE { ?x org:postIn ?v }"
F_POST_ROLE = "SELECT ?x ?v WHERE { ?x org:role ?v }"
F_REFERRALS = "SELECT ?x WHERE { ?x a pm:Referral }"
F_REFERRAL_FROM = "SELECT ?x ?v WHERE { ?x pm:referralFrom ?v }"
F_REFERRAL_TO = "SELECT ?x ?v WHERE { ?x pm:referralTo ?v }"
F_BIDIRECTIONAL = f"SELECT {_IRIS} WHERE {{ ?x pm:bidirectional ?b FILTER(?b = true) }}"
F_CONDITION = "SELECT ?x ?v WHERE { ?x pm:condition ?v }"
F_NEED = "SELECT ?x ?v WHERE { ?x pm:need ?v }"
F_CONDITION_KINDS = f"SELECT ?v {_IRIS} WHERE {{ ?x pm:conditionKind ?v }} GROUP BY ?v"
F_MEMBERSHIPS = "SELECT ?x WHERE { ?x a pm:Membership }"
F_MEMBER = "SELECT ?x ?v WHERE { ?x org:member ?v }"
F_COLLECTIVE = "SELECT ?x ?v WHERE { ?x pm:collective ?v }"
F_ROLE_LABEL = f"SELECT ?v {_IRIS} WHERE {{ ?x pm:roleLabel ?v }} GROUP BY ?v"

# The small reference tables, read as rows of Python values (as ``store.select`` gives them).
Q_SERVICE_TYPES = """
SELECT ?st ?label ?acronym ?mandate ?free ?amin ?amax WHERE {
  ?st a pm:ServiceType .
  OPTIONAL { ?st skos:prefLabel ?label FILTER(LANG(?label) = "fr") }
  OPTIONAL { ?st pm:acronym ?acronym }
  OPTIONAL { ?st pm:mandateKind/skos:notation ?mandate }
  OPTIONAL { ?st pm:freeAdherence ?free }
  OPTIONAL { ?st pm:ageMin ?amin } OPTIONAL { ?st pm:ageMax ?amax }
}"""
Q_TYPE_SECTORS = "SELECT ?a ?v WHERE { ?a a pm:ServiceType ; pm:sector ?v }"
Q_TYPE_COUNTRIES = "SELECT ?a ?v WHERE { ?a a pm:ServiceType ; pm:country ?v }"
Q_AGREEMENTS = """
SELECT ?g ?label ?kind ?status ?date ?review WHERE {
  ?g a pm:Agreement .
  OPTIONAL { ?g rdfs:label ?label } OPTIONAL { ?g pm:agreementKind/skos:notation ?kind }
  OPTIONAL { ?g pm:status/skos:notation ?status } OPTIONAL { ?g dct:issued ?date }
  OPTIONAL { ?g pm:reviewDue ?review }
}"""
Q_AGREEMENT_PARTIES = "SELECT ?a ?v WHERE { ?a a pm:Agreement ; pm:party ?v }"
Q_SECTORS = """
SELECT ?s ?label WHERE { ?s a pm:Sector . OPTIONAL { ?s skos:prefLabel ?label FILTER(LANG(?label) = "fr") } }"""
Q_TERRITORIES = """
SELECT ?t ?label ?level ?parent (GROUP_CONCAT(STR(?area); separator=" ") AS ?within) WHERE {
  ?t a pm:Territory . OPTIONAL { ?t rdfs:label ?label } OPTIONAL { ?t pm:level/skos:notation ?level }
  OPTIONAL { ?t pm:partOf ?parent } OPTIONAL { ?t pm:withinArea ?area }
} GROUP BY ?t ?label ?level ?parent"""
Q_FUNCTIONS = """
SELECT ?f ?label ?cross WHERE {
  ?f a pm:Function . OPTIONAL { ?f skos:prefLabel ?label FILTER(LANG(?label) = "fr") }
  OPTIONAL { ?f pm:crossSector ?cross }
}"""
Q_FUNCTION_SECTORS = "SELECT ?a ?v WHERE { ?a a pm:Function ; pm:sector ?v }"

# name → (query, shape): "list" one IRI per row, "pairs" (IRI, value) rows, "groups" {value: [IRIs]},
# "iris" the IRIs of a single GROUP_CONCAT, "rows" dicts of Python values. In the order the assembly needs
# them (reference tables, actors and posts, then referrals, agreements, parents, memberships): the queries
# are started in this order, and the graph is built from the first ones while the last ones run.
_FETCHES: dict[str, tuple[str, str]] = {
    "sector_rows": (Q_SECTORS, "rows"), "territory_rows": (Q_TERRITORIES, "rows"),
    "function_rows": (Q_FUNCTIONS, "rows"), "function_sectors": (Q_FUNCTION_SECTORS, "rows"),
    "service_type_rows": (Q_SERVICE_TYPES, "rows"), "type_sectors": (Q_TYPE_SECTORS, "rows"),
    "type_countries": (Q_TYPE_COUNTRIES, "rows"), "notations": (F_NOTATIONS, "pairs"),
    "actors": (F_ACTORS, "list"), "kinds": (F_KINDS, "groups"), "labels": (F_LABELS, "pairs"),
    "countries": (F_COUNTRIES, "groups"), "age_min": (F_AGE_MIN, "pairs"), "age_max": (F_AGE_MAX, "pairs"),
    "sectors": (F_SECTORS, "groups"), "types": (F_TYPES, "groups"), "territories": (F_TERRITORIES, "groups"),
    "posts": (F_POSTS, "list"), "post_in": (F_POST_IN, "pairs"), "post_role": (F_POST_ROLE, "pairs"),
    "referrals": (F_REFERRALS, "list"), "referral_from": (F_REFERRAL_FROM, "pairs"),
    "referral_to": (F_REFERRAL_TO, "pairs"), "bidirectional": (F_BIDIRECTIONAL, "iris"),
    "condition": (F_CONDITION, "pairs"), "need": (F_NEED, "pairs"), "condition_kinds": (F_CONDITION_KINDS, "groups"),
    "agreement_rows": (Q_AGREEMENTS, "rows"), "agreement_parties": (Q_AGREEMENT_PARTIES, "rows"),
    "parents": (F_PARENTS, "pairs"),
    "memberships": (F_MEMBERSHIPS, "list"), "member": (F_MEMBER, "pairs"), "collective": (F_COLLECTIVE, "pairs"),
    "role_label": (F_ROLE_LABEL, "groups"),
}
# queries whose values are literals (read as JSON: no N-Triples unescaping here)
_LITERAL_VALUES = frozenset({"age_min", "age_max", "condition", "need", "notations", "role_label"})

def _shape(result: dict, shape: str):
    bindings = result.get("results", {}).get("bindings", [])
    if shape == "rows":
        variables = result.get("head", {}).get("vars", [])
        return [{var: to_python(b.get(var)) for var in variables} for b in bindings]
    if shape == "list":
        return [b["x"]["value"] for b in bindings]
    if shape == "pairs":
        return [(b["x"]["value"], b["v"]["value"]) for b in bindings]
    if shape == "groups":  # literals equal as strings but not as terms ("x"@fr, "x"@en) share their entry
        groups: dict[str, list[str]] = {}
        for b in bindings:
            if "v" in b and "xs" in b:
                groups.setdefault(b["v"]["value"], []).extend(b["xs"]["value"].split(" "))
        return groups
    # "iris": one solution, unbound or empty when nothing matched
    return [x for b in bindings if "xs" in b for x in b["xs"]["value"].split(" ") if x]


_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")


class _NotIris(ValueError):
    """A TSV field that is not a plain IRI (or a literal of IRIs): read that query as JSON instead."""


def _iri(field: str) -> str:
    if field[:1] == "<" and field[-1:] == ">":
        return field[1:-1]
    raise _NotIris(field)


def _iri_list(field: str) -> list[str]:
    # a GROUP_CONCAT of IRIs: a plain literal that needs no escape (an IRI has no quote nor backslash)
    if field[:1] == '"' and field[-1:] == '"' and "\\" not in field:
        return field[1:-1].split(" ")
    raise _NotIris(field)


def _plain(field: str) -> str:
    # a string literal without escapes ("Acteur 12", "actor"@en); anything else (a datatype, escapes) → JSON
    if field[:1] == '"' and "\\" not in field:
        end = field.rfind('"')
        if end > 0 and (end == len(field) - 1 or (field[end + 1] == "@" and _LANGUAGE.fullmatch(field, end + 2))):
            return field[1:end]
    raise _NotIris(field)


def _shape_tsv(store: EmbeddedStore, query: str, shape: str):
    """The embedded fast path for queries whose values are IRIs: Oxigraph's TSV (terms in N-Triples syntax),
    split in Python, instead of JSON objects per binding. ``None`` when a value is not an IRI."""
    text = store._run(query, None).serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
    lines = text.split("\n")[1:]
    if lines and lines[-1] == "":
        lines.pop()
    n = len(lines)
    try:
        if shape == "list":  # one subject per line: an IRI, or a blank node (no brackets: counted out)
            if text.count("<") != n or text.count(">") != n:
                return None
            return [line[1:-1] for line in lines]
        if shape == "pairs":
            # "<subject>\t<object>": a subject is never a literal and no IRI holds "<", ">" or a tab, so with
            # two brackets of each kind per line and every line cut in two at ">\t<", all are IRI pairs
            rows = [line[1:-1].split(">\t<") for line in lines]
            if text.count("<") != 2 * n or text.count(">") != 2 * n or sum(map(len, rows)) != 2 * n:
                return None
            return rows
        if shape == "labels":
            return [(_iri(x), _plain(v)) for x, v in (line.split("\t") for line in lines)]
        if shape == "groups":
            groups: dict[str, list[str]] = {}
            for v, xs in (line.split("\t") for line in lines):
                groups.setdefault(_iri(v), []).extend(_iri_list(xs))
            return groups
        return [x for line in lines if line for x in _iri_list(line) if x]  # "iris"
    except (_NotIris, ValueError):
        return None


FETCH_THREADS = 2
"""Queries of the projection run side by side: Oxigraph evaluates and serialises without holding Python's lock
(at 50,000 actors on two idle cores: 3.5 s one after the other, 2.0 s on two threads)."""


def _run_fetch(store, name: str, embedded: bool):
    query, shape = _FETCHES[name]
    if embedded and shape != "rows" and name not in _LITERAL_VALUES:
        rows = _shape_tsv(store, query, "labels" if name == "labels" else shape)
        if rows is not None:
            return _in_fixed_order(rows, shape)
    return _in_fixed_order(_shape(store.query_json(query), shape), shape)


def _in_fixed_order(result, shape: str):
    """Query results sorted, not in the store's order: graphs built from them then have the same node and edge
    order whatever store answered (on disk, in memory, an endpoint), hence the same floating-point sums and
    the same communities (found when the in-memory copy gave other broker scores than the disk store)."""
    if shape == "groups":
        return {key: sorted(result[key]) for key in sorted(result)}
    if shape == "rows":
        return sorted(result, key=lambda row: [str(value) for value in row.values()])  # by the variables in order
    return sorted(result)


class _Pending:
    """The results of the projection's queries by name, each waited for when first read."""

    def __init__(self, futures: dict):
        self._futures = futures

    def __getitem__(self, name: str):
        return self._futures[name].result()


@contextmanager
def _fetching(store) -> Iterator[_Pending | dict[str, Any]]:
    """Start every query of the projection, :data:`FETCH_THREADS` at a time in the order of :data:`_FETCHES`,
    and give their results as they come; on leaving, the queries not started yet are dropped."""
    embedded = isinstance(store, EmbeddedStore)
    if FETCH_THREADS <= 1:
        yield {name: _run_fetch(store, name, embedded) for name in _FETCHES}
        return
    pool = ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="projection-fetch")
    try:
        yield _Pending({name: pool.submit(_run_fetch, store, name, embedded) for name in _FETCHES})
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _multi(rows) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        out[row["a"]].append(row["v"])
    return {key: sorted(set(values)) for key, values in out.items()}


def _inverted(groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """``{value: [subjects]}`` → ``{subject: sorted distinct values}``."""
    out: dict[str, list[str]] = defaultdict(list)
    for value, subjects in groups.items():
        for subject in subjects:
            out[subject].append(value)
    for key, values in out.items():
        if len(values) > 1:
            out[key] = sorted(set(values))
    return out


def _through(groups: dict[str, list[str]], pairs) -> dict[str, list[str]]:
    """``{concept: [subjects]}`` and ``(concept, notation)`` pairs → ``{notation: [subjects]}`` (the path
    ``?x prop/skos:notation ?v``)."""
    out: dict[str, list[str]] = {}
    for concept, notation in pairs:
        if concept in groups:
            out.setdefault(notation, []).extend(groups[concept])
    return out


def _single(pairs) -> dict[str, str]:
    """``(subject, value)`` pairs → one value per subject (the smallest when the data has several)."""
    out: dict[str, str] = {}
    for subject, value in pairs:
        if subject not in out or value < out[subject]:
            out[subject] = value
    return out


def _single_group(groups: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in sorted(groups, reverse=True):  # the smallest value wins, as in _single
        for subject in groups[value]:
            out[subject] = value
    return out


def _num(value) -> float | None:
    return None if value is None else float(value)


# ------------------------------------------------------------------ the projection

@dataclass
class Projection:
    """The graphs of one store version and the reference tables the analytics read."""

    version: str
    actors: nx.DiGraph
    service_types: nx.DiGraph
    bipartite: nx.Graph
    sectors: dict[str, dict] = field(default_factory=dict)
    territories: dict[str, dict] = field(default_factory=dict)
    functions: dict[str, dict] = field(default_factory=dict)
    service_type_info: dict[str, dict] = field(default_factory=dict)
    actor_info: dict[str, dict] = field(default_factory=dict)
    agreements: list[dict] = field(default_factory=list)
    referrals: list[dict] = field(default_factory=list)
    memberships: list[dict] = field(default_factory=list)
    cache: dict[Any, Any] = field(default_factory=dict)
    """Results of analyses on this version (filled by the metric modules, through :meth:`cached`)."""
    _flights: SingleFlight = field(default_factory=SingleFlight, repr=False, compare=False)

    def cached(self, key, compute: Callable[[], Any]):
        """``cache[key]``, computed by ``compute()`` the first time. Single-flight: a caller asking while another
        computes the same key waits for that result (the server's warm-up and a first visitor may ask for the
        broker analysis at once: at national scale it costs seconds)."""
        if key in self.cache:
            return self.cache[key]
        with self._flights.hold(key):
            if key not in self.cache:
                self.cache[key] = compute()
        return self.cache[key]

    def label(self, iri: str) -> str:
        for table in (self.actor_info, self.sectors, self.territories, self.functions, self.service_type_info):
            if iri in table and table[iri].get("label"):
                return table[iri]["label"]
        return short_id(iri)

    def territory_parents(self, iri: str) -> list[str]:
        """The territories directly containing ``iri``: its administrative parent and the areas it lies within."""
        info = self.territories.get(iri, {})
        return [p for p in (info.get("parent"), *info.get("within", ())) if p]

    def territory_members(self, iri: str) -> frozenset[str]:
        """The territories lying in ``iri`` at the bottom of the hierarchy (its communes), ``{iri}`` for a leaf."""
        children = self.cached("territory_children", self._territory_children)
        members, frontier, seen = set(), [iri], {iri}
        while frontier:
            current = frontier.pop()
            below = children.get(current, ())
            if not below:
                members.add(current)
            for child in below:
                if child not in seen:
                    seen.add(child)
                    frontier.append(child)
        return frozenset(members)

    def _territory_children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for iri in self.territories:
            for parent in self.territory_parents(iri):
                children.setdefault(parent, []).append(iri)
        return children

    def territories_overlap(self, a: str, b: str) -> bool:
        """True if territories ``a`` and ``b`` share a commune (or one lies in the other)."""
        return bool(self.territory_members(a) & self.territory_members(b))

    def territory_distances(self, iri: str) -> dict[str, int]:
        """``iri`` and every territory containing it → steps up to it (:func:`graph.ids.territory_distances`)."""
        return territory_distances(iri, self.territory_parents) if iri else {}

    def territory_ancestors(self, iri: str) -> list[str]:
        """``iri`` and every territory containing it, nearest first (:func:`graph.ids.territory_ancestors`)."""
        return territory_ancestors(iri, self.territory_parents) if iri else []

    def concerns(self, iri: str, sector: str | None = None, country: str | None = None,
                 territory: str | None = None) -> bool:
        """True if actor ``iri`` is in ``sector``, in ``country`` and serves ``territory`` (or a territory
        inside it); an unset filter always matches. The one filter the CLI, the gaps and the API share."""
        info = self.actor_info.get(iri, {})
        if sector and sector not in info.get("sectors", ()):
            return False
        if country and info.get("country") != country:
            return False
        if territory:
            served = info.get("territories", ()) or ((info.get("country"),) if info.get("country") else ())
            return any(territory in self.territory_ancestors(t) for t in served)
        return True


def projection_from_rows(version: str, *, actors=(), actor_sectors=(), actor_types=(), actor_territories=(),
                         parents=(), posts=(), post_territories=(), service_types=(), type_sectors=(),
                         type_countries=(), referrals=(), referral_conditions=(), agreements=(),
                         agreement_parties=(), memberships=(), sectors=(), territories=(), functions=(),
                         function_sectors=()) -> Projection:
    """Build a :class:`Projection` from query rows (dicts, as ``store.select`` returns them, or hand-made
    ones in tests): ``actors`` rows ``a, label, kind, country, amin, amax``; ``posts`` rows
    ``p, label, function, actor``; ``referrals`` rows ``r, from, to, both, condition, need``; ``memberships``
    rows ``m, member, collective, role``; multi-valued properties as ``a, v`` rows."""
    return _assemble(
        version,
        actors=[(r["a"], r.get("label"), r["kind"], r.get("country"), _num(r.get("amin")), _num(r.get("amax")))
                for r in actors],
        a_sectors=_multi(actor_sectors), a_types=_multi(actor_types), a_terr=_multi(actor_territories),
        parents=[(r["a"], r["v"]) for r in parents],
        posts=[(r["p"], r.get("label"), r.get("function"), r["actor"]) for r in posts],
        p_terr=_multi(post_territories), service_types=service_types, t_sectors=_multi(type_sectors),
        t_countries=_multi(type_countries),
        referrals=[(r["r"], r["from"], r["to"], bool(r.get("both")), r.get("condition") or "", r.get("need") or "")
                   for r in referrals],
        r_conditions=_multi(referral_conditions), agreements=agreements, g_parties=_multi(agreement_parties),
        memberships=[(r["m"], r["member"], r["collective"], r.get("role") or "") for r in memberships],
        sectors=sectors, territories=territories, functions=functions, f_sectors=_multi(function_sectors))


def _now(value):
    """A deferred input's value (see :func:`_assemble`)."""
    return value() if callable(value) else value


def _assemble(version: str, *, actors, a_sectors, a_types, a_terr, parents, posts, p_terr, service_types,
              t_sectors, t_countries, referrals, r_conditions, agreements, g_parties, memberships, sectors,
              territories, functions, f_sectors) -> Projection:
    """The graphs from normalised tables: ``actors`` tuples ``(iri, label, kind, country, age_min, age_max)``
    (first occurrence wins), ``posts`` ``(iri, label, function, actor)``, ``referrals``
    ``(iri, from, to, both_ways, condition, need)``, ``memberships`` ``(iri, member, collective, role)``,
    ``parents`` ``(child, parent)``, multi-valued properties as ``{iri: sorted values}``; the small tables
    (service types, agreements, sectors, territories, functions) as rows of Python values."""
    sid = short_id
    sector_info = {r["s"]: {"iri": r["s"], "id": sid(r["s"]), "label": r.get("label") or sid(r["s"])}
                   for r in sectors}
    territory_info = {r["t"]: {"iri": r["t"], "id": sid(r["t"]), "label": r.get("label") or sid(r["t"]),
                               "level": r.get("level"), "parent": r.get("parent"),
                               "within": tuple(sorted((r.get("within") or "").split()))} for r in territories}
    function_info = {r["f"]: {"iri": r["f"], "id": sid(r["f"]), "label": r.get("label") or sid(r["f"]),
                              "cross_sector": bool(r.get("cross")), "sectors": f_sectors.get(r["f"], [])}
                     for r in functions}
    type_info: dict[str, dict] = {}
    for r in service_types:
        st = r["st"]
        info = type_info.setdefault(st, {
            "iri": st, "id": sid(st), "label": r.get("label") or sid(st), "acronyms": [],
            "mandate_kind": r.get("mandate"), "free_adherence": r.get("free"),
            "age_min": _num(r.get("amin")), "age_max": _num(r.get("amax")),
            "sectors": t_sectors.get(st, []), "countries": t_countries.get(st, [])})
        if r.get("acronym") and r["acronym"] not in info["acronyms"]:
            info["acronyms"].append(r["acronym"])

    # ---- actors and posts
    by_types: dict[tuple, tuple] = {}  # service types → (mandate kinds, widest age range)

    def type_facts(types: tuple) -> tuple:
        known = [type_info[t] for t in types if t in type_info]
        mins = [i["age_min"] for i in known if i["age_min"] is not None]
        maxs = [i["age_max"] for i in known if i["age_max"] is not None]
        facts = (tuple(sorted({i["mandate_kind"] for i in known if i["mandate_kind"]})),
                 min(mins) if mins else None, max(maxs) if maxs else None)
        by_types[types] = facts
        return facts

    no_values: list = []
    actor_info: dict[str, dict] = {}
    for a, label, kind, country, own_min, own_max in actors:
        if a in actor_info:
            continue
        types = tuple(a_types.get(a, no_values))
        mandates, type_min, type_max = by_types.get(types) or type_facts(types)
        secs = a_sectors.get(a, no_values)
        slug = sid(a)
        actor_info[a] = {
            "iri": a, "id": slug, "label": label or slug, "node_kind": kind,
            "sector": secs[0] if secs else "", "sectors": tuple(secs), "service_types": types,
            "mandate_kinds": mandates, "country": country or "", "territories": tuple(a_terr.get(a, no_values)),
            "age_min": own_min if own_min is not None else type_min,
            "age_max": own_max if own_max is not None else type_max,
        }
    empty: dict = {}
    for p, label, function, holder in posts:
        base = actor_info.get(holder, empty)
        slug = sid(p)
        actor_info[p] = {
            "iri": p, "id": slug, "label": label or slug, "node_kind": "post",
            "sector": base.get("sector", ""), "sectors": base.get("sectors", ()),
            "service_types": base.get("service_types", ()), "mandate_kinds": base.get("mandate_kinds", ()),
            "country": base.get("country", ""),
            "territories": tuple(p_terr.get(p, no_values)) or base.get("territories", ()),
            "age_min": base.get("age_min"), "age_max": base.get("age_max"),
            "function": function or "", "cross_sector": bool(function_info.get(function, empty).get("cross_sector")),
            "actor": holder,
        }

    # ---- the actor graph, filled in networkx's own structures (what add_node / add_edges_from would build):
    # every actor and post is a node, in order; ties are appended to their edge's ``ties`` in the order they
    # are met (referrals, agreements, parents, posts, co-memberships), which is also the adjacency order
    graph = nx.DiGraph()
    nodes, succ, pred = graph._node, graph._succ, graph._pred
    for a, info in actor_info.items():
        nodes[a] = dict(info)
        succ[a] = {}
        pred[a] = {}
    one_kind = {kind: (kind,) for kind in EDGE_KINDS}
    shared: list[dict] = []  # edges holding more than one tie: weight and kinds computed at the end

    def add_tie(u: str, v: str, tie: tuple) -> None:
        data = succ[u].get(v)
        if data is None:
            data = {"weight": 1.0, "kinds": one_kind.get(tie[0]) or (tie[0],), "ties": [tie]}
            succ[u][v] = data
            pred[v][u] = data
        else:
            data["ties"].append(tie)
            if len(data["ties"]) == 2:
                shared.append(data)

    def add_both(u: str, v: str, tie: tuple) -> None:
        if u != v and u in actor_info and v in actor_info:
            add_tie(u, v, tie)
            add_tie(v, u, tie)

    referrals, r_conditions = _now(referrals), _now(r_conditions)
    referral_rows = [{"iri": iri, "from": source, "to": target, "both_ways": both,
                      "condition_kinds": r_conditions.get(iri, []), "condition": condition, "need": need}
                     for iri, source, target, both, condition, need in referrals]
    referral_kind = one_kind["referral"]
    for iri, source, target, both, _condition, _need in referrals:
        if source == target or source not in actor_info or target not in actor_info:
            continue
        tie = ("referral", iri)
        for u, v in ((source, target), (target, source)) if both else ((source, target),):
            nbrs = succ[u]
            data = nbrs.get(v)
            if data is None:
                data = {"weight": 1.0, "kinds": referral_kind, "ties": [tie]}
                nbrs[v] = data
                pred[v][u] = data
            else:
                data["ties"].append(tie)
                if len(data["ties"]) == 2:
                    shared.append(data)
    agreement_rows = []
    agreements, g_parties = _now(agreements), _now(g_parties)
    for r in agreements:
        parties = g_parties.get(r["g"], [])
        agreement_rows.append({"iri": r["g"], "label": r.get("label") or sid(r["g"]), "kind": r.get("kind"),
                               "status": r.get("status"), "date": r.get("date"), "review_due": r.get("review"),
                               "parties": parties})
        actor_parties = [p for p in parties if p in actor_info]
        for i, u in enumerate(actor_parties):
            for v in actor_parties[i + 1:]:
                add_both(u, v, ("agreement", r["g"]))
    for child, parent in _now(parents):
        add_both(child, parent, ("parent_child", child))
    for p, _label, _function, holder in posts:
        add_both(p, holder, ("post_in", p))
    memberships = _now(memberships)
    membership_rows = [{"iri": m, "member": member, "collective": collective, "role": role}
                       for m, member, collective, role in memberships]
    members_of: dict[str, dict[str, None]] = {}  # collective → its distinct members, in order
    for _m, member, collective, _role in memberships:
        members_of.setdefault(collective, {})[member] = None
    # collectives are nodes only when they take part in a tie themselves (members are tied by co-membership)
    members = {member for _m, member, _c, _r in memberships}
    for a, info in actor_info.items():
        if info["node_kind"] in COLLECTIVE_KINDS and a not in members and not succ[a] and not pred[a]:
            del nodes[a], succ[a], pred[a]
    tie_kind = one_kind["co_membership"]
    for collective, group in members_of.items():
        ordered = sorted(m for m in group if m in actor_info)
        tie = ("co_membership", collective)
        for u, v in combinations(ordered, 2):  # distinct members: never a self-loop
            for x, y in ((u, v), (v, u)):
                nbrs = succ[x]
                data = nbrs.get(y)
                if data is None:
                    data = {"weight": 1.0, "kinds": tie_kind, "ties": [tie]}
                    nbrs[y] = data
                    pred[y][x] = data
                else:
                    data["ties"].append(tie)
                    if len(data["ties"]) == 2:
                        shared.append(data)
    for data in shared:
        t = data["ties"]
        data["weight"] = float(len(t))
        data["kinds"] = tuple(sorted({k for k, _via in t}))

    # ---- the bipartite actor–platform graph
    bipartite = nx.Graph()
    b_nodes, b_adj = bipartite._node, bipartite._adj
    gathering = members_of.keys()
    for m, member, collective, role in memberships:
        if member in actor_info and collective in actor_info:
            for x in (member, collective):
                if x not in b_nodes:
                    b_nodes[x] = {"bipartite": 1 if x in gathering else 0, **_scalar(actor_info[x])}
                    b_adj[x] = {}
            data = b_adj[member].get(collective)
            if data is None:
                data = {}
            data.update(role=role, membership=m, nested=member in gathering)
            b_adj[member][collective] = data
            b_adj[collective][member] = data

    # ---- the service-type graph
    types = nx.DiGraph()
    t_nodes, t_succ, t_pred = types._node, types._succ, types._pred
    for st, info in type_info.items():
        t_nodes[st] = _scalar(info)
        t_succ[st] = {}
        t_pred[st] = {}

    for row in referral_rows:
        source, target = row["from"], row["to"]
        source_info, target_info = actor_info.get(source), actor_info.get(target)
        lifted = source_info is not None or target_info is not None
        sources = source_info["service_types"] if source_info is not None else (source,)
        targets = target_info["service_types"] if target_info is not None else (target,)
        if not sources or not targets:
            continue
        entry = None
        pairs = [(u, v) for u in sources for v in targets]
        if row["both_ways"]:
            pairs = [edge for u, v in pairs for edge in ((u, v), (v, u))]
        for u, v in pairs:
            if u == v or u not in type_info or v not in type_info:
                continue
            if entry is None:
                entry = {"referral": row["iri"], "condition_kinds": row["condition_kinds"],
                         "condition": row["condition"], "need": row["need"], "lifted_from_actors": lifted,
                         "from": source, "to": target}
            data = t_succ[u].get(v)
            if data is None:
                data = {"referrals": []}
                t_succ[u][v] = data
                t_pred[v][u] = data
            data["referrals"].append(dict(entry))

    return Projection(version=version, actors=graph, service_types=types, bipartite=bipartite,
                      sectors=sector_info, territories=territory_info, functions=function_info,
                      service_type_info=type_info, actor_info=actor_info, agreements=agreement_rows,
                      referrals=referral_rows, memberships=membership_rows)


def _scalar(info: dict) -> dict:
    """Node attributes as GraphML-friendly scalars (tuples and lists joined with ``|``)."""
    out = {}
    for key, value in info.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            try:
                value = "|".join(value)  # strings, as a rule
            except TypeError:
                value = "|".join(map(str, value))
        out[key] = value
    return out


def read_projection(store) -> Projection:
    """Query the store and build the projection (no cache)."""
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small containers: the cyclic collector would rescan them all
    try:
        return _read_projection(store)
    finally:
        if enabled:
            gc.enable()


def _read_projection(store) -> Projection:
    with _fetching(store) as f:
        return _assemble_fetched(str(store.version), f)


def _assemble_fetched(version: str, f) -> Projection:
    """:func:`_assemble` from the query results ``f`` (a mapping, possibly still being filled): what the
    actors and posts need is read at once, the ties' tables are passed deferred, read when the assembly
    reaches them."""
    kinds = _single_group(_through(f["kinds"], f["notations"]))
    labels, countries = _single(f["labels"]), _single_group(f["countries"])
    age_min = {s: float(v) for s, v in _single(f["age_min"]).items()}
    age_max = {s: float(v) for s, v in _single(f["age_max"]).items()}
    actors = [(a, labels.get(a), kinds[a], countries.get(a), age_min.get(a), age_max.get(a))
              for a in f["actors"] if a in kinds]
    post_in, post_role = _single(f["post_in"]), _single(f["post_role"])
    posts = [(p, labels.get(p), post_role.get(p), post_in[p]) for p in f["posts"] if p in post_in]
    multi_types, multi_territories = _inverted(f["types"]), _inverted(f["territories"])

    def referrals():
        sources, targets = _single(f["referral_from"]), _single(f["referral_to"])
        both = set(f["bidirectional"])
        condition, need = _single(f["condition"]), _single(f["need"])
        return [(r, sources[r], targets[r], r in both, condition.get(r, ""), need.get(r, ""))
                for r in f["referrals"] if r in sources and r in targets]

    def parents():
        # a child with several parents: the parents in the order of the scan, children in actor order
        position = {a: i for i, a in enumerate(f["actors"])}
        return sorted((pair for pair in f["parents"] if pair[0] in position), key=lambda pair: position[pair[0]])

    def memberships():
        members, collectives = _single(f["member"]), _single(f["collective"])
        roles = _single_group(f["role_label"])
        return [(m, members[m], collectives[m], roles.get(m, ""))
                for m in f["memberships"] if m in members and m in collectives]

    return _assemble(
        version, actors=actors, a_sectors=_inverted(f["sectors"]), a_types=multi_types,
        a_terr=multi_territories, parents=parents, posts=posts, p_terr=multi_territories,
        service_types=f["service_type_rows"], t_sectors=_multi(f["type_sectors"]),
        t_countries=_multi(f["type_countries"]), referrals=referrals,
        r_conditions=lambda: _inverted(_through(f["condition_kinds"], f["notations"])),
        agreements=lambda: f["agreement_rows"], g_parties=lambda: _multi(f["agreement_parties"]),
        memberships=memberships, sectors=f["sector_rows"], territories=f["territory_rows"],
        functions=f["function_rows"], f_sectors=_multi(f["function_sectors"]))


CACHE_SIZE = 4
_CACHE: PerVersionCache[Projection] = PerVersionCache(CACHE_SIZE)


def project(store) -> Projection:
    """The projection of ``store``, cached per store version (rebuilt when the store changes).

    An embedded store opened before a new build was swapped in keeps its version; open a new one
    (``open_store()``) to see the new build.
    """
    return _CACHE.get(store, read_projection)


def clear_cache() -> None:
    """Forget every cached projection."""
    _CACHE.clear()
