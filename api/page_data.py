"""The read queries behind the French pages (actor, term, counterparts, referral paths, research tables).

Each function asks the store through its ``select`` with bindings (never string concatenation) and returns
plain dicts for the templates. Where a library module of the network or entities work exposes the same
answer, it is used first (``graph.network.*``); these queries are the fallback.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import networkx as nx
from rdflib import URIRef

from graph.glossary.normalize import fold
from graph.network import project
from graph.network.counterparts import counterparts as library_counterparts
from graph.network.referral_paths import referral_paths as library_paths
from graph.publish.maps import projection
from graph.version_cache import PerVersionCache
from graph.vocab.namespaces import PMID

__all__ = ["entity_iri", "short_id", "labels", "actor_detail", "choices", "counterparts", "referral_paths",
           "research_tables", "search_actors", "MAX_ID"]

MAX_ID = 120
_PMID = str(PMID)


def short_id(iri: str | None) -> str | None:
    """The id of an entity IRI (``…/id/actors/amo-passages`` → ``amo-passages``)."""
    if not iri:
        return None
    if iri.startswith(_PMID):
        return iri.rsplit("/", 1)[-1]
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri


def entity_iri(table: str, row_id: str) -> URIRef:
    return PMID[f"{table}/{row_id}"]


LABELS_QUERY = """
SELECT ?s ?label (LANG(?label) AS ?lang) WHERE {
  ?s skos:prefLabel|rdfs:label|dct:title ?label .
}
"""


def labels(store) -> dict[str, dict[str, str]]:
    """Every labelled entity id → {language → label} (cached per store version)."""
    key = (str(getattr(store, "build_dir", id(store))), store.version)
    cached = _LABEL_CACHE.get(key)
    if cached is not None:
        return cached
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.select(LABELS_QUERY):
        out[short_id(row["s"])].setdefault(row.get("lang") or "", row["label"])
    _LABEL_CACHE.clear()
    _LABEL_CACHE[key] = dict(out)
    return _LABEL_CACHE[key]


_LABEL_CACHE: dict = {}


def _fr(store, some_id: str | None) -> str:
    if not some_id:
        return ""
    found = labels(store).get(some_id, {})
    return found.get("fr") or found.get("") or next(iter(found.values()), some_id)


ACTOR_QUERY = """
SELECT ?p ?o (LANG(?o) AS ?lang) WHERE { ?a ?p ?o . }
"""
ST_QUERY = """
SELECT ?p ?o (LANG(?o) AS ?lang) WHERE { ?st ?p ?o . }
"""
LINK_BRANCHES = (
    '?via a pm:Membership ; org:member ?a ; pm:collective ?other . BIND("member_of" AS ?kind)',
    '?via a pm:Membership ; pm:collective ?a ; org:member ?m . OPTIONAL { ?m org:postIn ?post_actor } '
    'BIND(COALESCE(?post_actor, ?m) AS ?other) BIND("has_member" AS ?kind)',
    '?post org:postIn ?a . ?via a pm:Membership ; org:member ?post ; pm:collective ?other . '
    'BIND("member_of" AS ?kind)',
    '?a org:subOrganizationOf ?other . BIND("parent" AS ?kind)',
    '?other org:subOrganizationOf ?a . BIND("child" AS ?kind)',
)
"""The ways an actor is linked to another (one query each: a bound ``?a`` is then where the engine starts —
joined to a UNION of them, it would be joined only after every branch was evaluated for every actor)."""
_MEMBERSHIP_DETAILS = """
  OPTIONAL { ?via pm:roleLabel ?role } OPTIONAL { ?via pm:startDate ?start } OPTIONAL { ?via pm:endDate ?end }
  OPTIONAL { ?via pm:verifiedOn ?verified } OPTIONAL { ?via pm:reviewDue ?due }"""
LINKS_QUERIES = tuple(
    "SELECT ?kind ?other ?via ?role ?start ?end ?verified ?due WHERE {\n  " + branch
    + (_MEMBERSHIP_DETAILS if "?via" in branch else "") + "\n}" for branch in LINK_BRANCHES)
"""Membership links carry their role, dates and review; parent/child links have no ``?via`` to describe
(an unbound ``?via`` in those OPTIONALs would match every membership of the graph)."""
AGREEMENTS_QUERY = """
SELECT DISTINCT ?ag ?label ?status ?date ?revised ?verified ?due ?description WHERE {
  ?ag a pm:Agreement ; pm:party ?party ; rdfs:label ?label ; pm:status ?status .
  OPTIONAL { ?ag dct:issued ?date } OPTIONAL { ?ag pm:lastRevised ?revised }
  OPTIONAL { ?ag pm:verifiedOn ?verified } OPTIONAL { ?ag pm:reviewDue ?due }
  OPTIONAL { ?ag dct:description ?description }
}
"""
REFERRALS_QUERY = """
SELECT ?ref ?from ?to ?both ?condition ?need ?kinds WHERE {
  { ?ref pm:referralFrom ?party } UNION { ?ref pm:referralTo ?party }
  ?ref a pm:Referral ; pm:referralFrom ?from ; pm:referralTo ?to ; pm:bidirectional ?both .
  OPTIONAL { ?ref pm:condition ?condition } OPTIONAL { ?ref pm:need ?need }
  OPTIONAL { ?ref pm:conditionKind ?kinds }
}
"""
POSTS_QUERY = """
SELECT ?post ?label ?function ?verified ?due WHERE {
  ?post org:postIn ?a ; rdfs:label ?label . OPTIONAL { ?post org:role ?function }
  OPTIONAL { ?post pm:verifiedOn ?verified } OPTIONAL { ?post pm:reviewDue ?due }
}
"""
SOURCES_QUERY = """
SELECT ?src ?title ?url ?locator WHERE {
  ?x prov:wasDerivedFrom ?src . ?src dct:title ?title .
  OPTIONAL { ?src foaf:page ?url } OPTIONAL { ?x pm:sourceLocator ?locator }
}
"""
SENSES_QUERY = "SELECT ?g WHERE { ?g pm:relatedActor ?a }"

_P = {
    "label": "http://www.w3.org/2004/02/skos/core#prefLabel", "acronym": "https://w3id.org/passe-muraille/ns#acronym",
    "kind": "https://w3id.org/passe-muraille/ns#actorKind", "st": "https://w3id.org/passe-muraille/ns#serviceType",
    "sector": "https://w3id.org/passe-muraille/ns#sector", "country": "https://w3id.org/passe-muraille/ns#country",
    "territory": "https://w3id.org/passe-muraille/ns#servesTerritory",
    "age_min": "https://w3id.org/passe-muraille/ns#ageMin", "age_max": "https://w3id.org/passe-muraille/ns#ageMax",
    "description": "http://purl.org/dc/terms/description", "homepage": "http://xmlns.com/foaf/0.1/homepage",
    "contact": "https://w3id.org/passe-muraille/ns#contactPage", "start": "https://w3id.org/passe-muraille/ns#startDate",
    "end": "https://w3id.org/passe-muraille/ns#endDate", "verified": "https://w3id.org/passe-muraille/ns#verifiedOn",
    "due": "https://w3id.org/passe-muraille/ns#reviewDue",
    "mandate": "https://w3id.org/passe-muraille/ns#mandateKind",
    "free": "https://w3id.org/passe-muraille/ns#freeAdherence", "anon": "https://w3id.org/passe-muraille/ns#anonymity",
    "legal": "https://w3id.org/passe-muraille/ns#legalBasis", "definition": "http://www.w3.org/2004/02/skos/core#definition",
    "is_not": "https://w3id.org/passe-muraille/ns#isNot", "type": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
}


def _props(rows: list[dict]) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for row in rows:
        out[row["p"]].append((row.get("lang") or "", row["o"]))
    return out


def _one(props, key, lang: str | None = None):
    values = props.get(_P[key], [])
    if lang is not None:
        for value_lang, value in values:
            if value_lang == lang:
                return value
        return None
    return values[0][1] if values else None


def _all(props, key) -> list:
    return [v for _, v in props.get(_P[key], [])]


def _due_state(due) -> str:
    if not due:
        return ""
    text = str(due)
    try:
        parts = [int(p) for p in text.split("-")]
        when = date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)
    except (ValueError, IndexError):
        return ""
    return "overdue" if when < date.today() else "ok"


_DETAIL_CACHE: dict[tuple[str, str], dict | None] = {}
_DETAIL_CACHE_SIZE = 4096


def actor_detail(store, actor_id: str) -> dict | None:
    """Everything the actor page shows about ``actor_id``, or None if there is no such actor.

    Cached per store version (a build never changes after it is swapped in); the cache is bounded.
    """
    key = (store.version, actor_id)
    if key in _DETAIL_CACHE:
        return _DETAIL_CACHE[key]
    detail = _actor_detail(store, actor_id)
    if len(_DETAIL_CACHE) >= _DETAIL_CACHE_SIZE or any(k[0] != store.version for k in list(_DETAIL_CACHE)[:1]):
        _DETAIL_CACHE.clear()
    _DETAIL_CACHE[key] = detail
    return detail


def _actor_detail(store, actor_id: str) -> dict | None:
    a = entity_iri("actors", actor_id)
    props = _props(store.select(ACTOR_QUERY, {"a": a}))
    if not props or "https://w3id.org/passe-muraille/ns#Actor" not in _all(props, "type"):
        return None
    sts = _all(props, "st")
    service_types = []
    for st in sts:
        sp = _props(store.select(ST_QUERY, {"st": URIRef(st)}))
        service_types.append({
            "id": short_id(st), "label": _one(sp, "label", "fr") or short_id(st),
            "labels": {lang: v for lang, v in sp.get(_P["label"], []) if lang in ("nl", "en", "de")},
            "acronyms": _all(sp, "acronym"),
            "mandate": (short_id(_one(sp, "mandate")) or "").removeprefix("mandate-"),
            "free": _one(sp, "free"), "anon": _one(sp, "anon"), "age_min": _one(sp, "age_min"),
            "age_max": _one(sp, "age_max"), "legal": _one(sp, "legal"), "definition": _one(sp, "definition"),
            "is_not": _one(sp, "is_not"),
        })
    sectors = [short_id(s) for s in _all(props, "sector")]
    parties = [a, *(URIRef(st) for st in sts)]
    links = []
    for row in (row for query in LINKS_QUERIES for row in store.select(query, {"a": a})):
        other = short_id(row["other"])
        links.append({"kind": row["kind"], "id": other, "label": _fr(store, other), "role": row.get("role"),
                      "start": row.get("start"), "end": row.get("end"), "verified": row.get("verified"),
                      "due": row.get("due"), "due_state": _due_state(row.get("due"))})
    links.sort(key=lambda link: (link["kind"], link["label"].casefold()))
    agreements, seen = [], set()
    for party in [*parties, *(PMID[f"sectors/{s}"] for s in sectors)]:
        for r in store.select(AGREEMENTS_QUERY, {"party": party}):
            if r["ag"] in seen:
                continue
            seen.add(r["ag"])
            agreements.append({"id": short_id(r["ag"]), "label": r["label"],
                               "status": short_id(r["status"]).removeprefix("status-"), "date": r.get("date"),
                               "revised": r.get("revised"), "verified": r.get("verified"), "due": r.get("due"),
                               "due_state": _due_state(r.get("due")), "description": r.get("description"),
                               "via": "" if party == a else _fr(store, short_id(str(party)))})
    by_ref: dict[str, dict] = {}
    for party in parties:
        for r in store.select(REFERRALS_QUERY, {"party": party}):
            known = by_ref.setdefault(r["ref"], {**r, "kinds": ""})
            if r.get("kinds") and r["kinds"] not in known["kinds"]:
                known["kinds"] = f"{known['kinds']} {r['kinds']}".strip()
    referrals = []
    for r in by_ref.values():
        referrals.append({"id": short_id(r["ref"]), "from": short_id(r["from"]), "to": short_id(r["to"]),
                          "from_label": _fr(store, short_id(r["from"])), "to_label": _fr(store, short_id(r["to"])),
                          "both": r.get("both"), "condition": r.get("condition"), "need": r.get("need"),
                          "kinds": [short_id(k).removeprefix("condition-") for k in (r.get("kinds") or "").split()]})
    posts = [{"id": short_id(r["post"]), "label": r["label"], "function": _fr(store, short_id(r.get("function"))),
              "verified": r.get("verified"), "due": r.get("due"), "due_state": _due_state(r.get("due"))}
             for r in store.select(POSTS_QUERY, {"a": a})]
    sources = [{"id": short_id(r["src"]), "title": r["title"], "url": r.get("url"), "locator": r.get("locator")}
               for r in store.select(SOURCES_QUERY, {"x": a})]
    senses = [short_id(r["g"]) for r in store.select(SENSES_QUERY, {"a": a})]
    territories = [short_id(t) for t in _all(props, "territory")]
    country = short_id(_one(props, "country"))
    return {
        "id": actor_id, "iri": str(a), "label": _one(props, "label", "fr") or _one(props, "label") or actor_id,
        "acronyms": _all(props, "acronym"), "kind": (short_id(_one(props, "kind")) or "").removeprefix("kind-"),
        "sectors": [{"id": s, "label": _fr(store, s)} for s in sectors],
        "country": {"id": country, "label": _fr(store, country)} if country else None,
        "territories": [{"id": t, "label": _fr(store, t)} for t in territories],
        "age_min": _one(props, "age_min"), "age_max": _one(props, "age_max"),
        "description": _one(props, "description"), "homepage": _one(props, "homepage"),
        "contact": _one(props, "contact"), "start": _one(props, "start"), "end": _one(props, "end"),
        "verified": _one(props, "verified"), "due": _one(props, "due"), "due_state": _due_state(_one(props, "due")),
        "service_types": service_types, "links": links, "agreements": agreements, "referrals": referrals,
        "posts": posts, "sources": sources, "senses": senses,
    }


CHOICES_QUERY = """
SELECT ?s ?cls ?label ?level WHERE {
  VALUES ?cls { pm:Sector pm:ServiceType pm:Territory }
  ?s a ?cls ; skos:prefLabel ?label . FILTER(LANG(?label) = "fr" || LANG(?label) = "")
  OPTIONAL { ?s pm:level ?level }
}
"""


def choices(store) -> dict[str, list[dict]]:
    """Options for the forms' selects: sectors, service types, territories down to districts."""
    out: dict[str, list[dict]] = {"sectors": [], "service_types": [], "territories": []}
    seen = set()
    for row in store.select(CHOICES_QUERY):
        sid = short_id(row["s"])
        cls = short_id(row["cls"])
        if (sid, cls) in seen:
            continue
        seen.add((sid, cls))
        if cls == "Sector":
            out["sectors"].append({"id": sid, "label": row["label"]})
        elif cls == "ServiceType":
            out["service_types"].append({"id": sid, "label": row["label"], "acronyms": _acronyms(store, sid)})
        elif short_id(row.get("level")) in ("level-country", "level-region", "level-province", "level-district"):
            out["territories"].append({"id": sid, "label": row["label"], "level": short_id(row["level"])})
    for values in out.values():
        values.sort(key=lambda item: item["label"].casefold())
    return out


def _acronyms(store, some_id: str) -> list[str]:
    return []


SEARCH_ACTORS = """
SELECT ?a ?label WHERE { ?a a pm:Actor ; skos:prefLabel ?label . }
"""


def search_actors(store, text: str, limit: int = 20) -> list[dict]:
    """Actors whose name or acronym contains ``text`` (case- and accent-insensitive)."""

    wanted = fold(text)
    found = []
    for row in store.select(SEARCH_ACTORS):
        if wanted in fold(row["label"]):
            found.append({"id": short_id(row["a"]), "label": row["label"]})
    found.sort(key=lambda a: (not fold(a["label"]).startswith(wanted), len(a["label"]), a["label"]))
    return found[:limit]


def _path_step(nodes, step) -> dict:
    if isinstance(step, dict):
        iri = step.get("iri") or step.get("id") or ""
        return {"id": short_id(iri), "label": step.get("label") or short_id(iri)}
    label = nodes[step].get("label", short_id(step)) if step in nodes else short_id(step)
    return {"id": short_id(step), "label": label}


def counterparts(store, actor_id: str, sector: str, territory: str | None = None, limit: int = 25) -> list[dict]:
    """Actors of ``sector`` serving the actor's territory (or ``territory``), nearest territory first.

    Uses ``graph.network.counterparts.counterparts`` (ranked by function, existing tie, path, coverage)
    when that module exists; a nearest-territory ranking otherwise.
    """
    if True:
        proj = project(store)
        try:
            found = library_counterparts(proj, actor_id, sector, territory, limit)
        except (KeyError, ValueError, LookupError) as err:
            raise KeyError(actor_id) from err
        nodes = proj.actors.nodes
        return [{"id": short_id(c["iri"]), "label": c["label"], "kind": c.get("kind"),
                 "link": f"/acteurs/{short_id(c['iri'])}" if c.get("kind") != "post"
                 else (f"/acteurs/{short_id(nodes[c['iri']].get('actor'))}" if c["iri"] in nodes
                       and nodes[c["iri"]].get("actor") else ""),
                 "reason": " ; ".join(c.get("reasons") or []),
                 "path": [_path_step(nodes, n) for n in (c.get("path") or [])]}
                for c in found.get("counterparts", [])]

    proj = projection(store)
    if actor_id not in proj.graph:
        raise KeyError(actor_id)
    me = proj.graph.nodes[actor_id]
    places = [territory] if territory else (me["territories"] or ([me["country"]] if me["country"] else []))
    mine = {t: depth for place in places for depth, t in enumerate(proj.territory_chain(place))}
    simple = nx.Graph(proj.graph)
    results = []
    for node, data in proj.graph.nodes(data=True):
        if node == actor_id or not any(sector in proj.sector_chain(s) for s in data["sectors"]):
            continue
        theirs = data["territories"] or ([data["country"]] if data["country"] else [])
        best = None
        for place in theirs:
            chain = proj.territory_chain(place)
            for t in chain:
                if t in mine:
                    score = mine[t] + chain.index(t)
                    if best is None or score < best[0]:
                        best = (score, t, chain.index(t) == 0)
                    break
        if best is None:
            continue
        try:
            path = nx.shortest_path(simple, actor_id, node)
        except nx.NetworkXNoPath:
            path = []
        reason = (f"dessert {proj.label(best[1])}" if best[2] else
                  f"dessert un territoire de {proj.label(best[1])}")
        results.append({"id": node, "label": data["label"], "score": best[0], "reason": reason,
                        "link": f"/acteurs/{node}",
                        "path": [{"id": p, "label": proj.graph.nodes[p]["label"]} for p in path]})
    results.sort(key=lambda r: (r["score"], len(r["path"]) or 99, r["label"].casefold()))
    return results[:limit]


REFERRAL_EDGES = """
SELECT ?ref ?from ?to ?both ?condition (GROUP_CONCAT(STR(?ck); separator=" ") AS ?kinds) WHERE {
  ?ref a pm:Referral ; pm:referralFrom ?from ; pm:referralTo ?to ; pm:bidirectional ?both .
  OPTIONAL { ?ref pm:condition ?condition } OPTIONAL { ?ref pm:conditionKind ?ck }
} GROUP BY ?ref ?from ?to ?both ?condition
"""


def referral_paths(store, source: str, target: str, allow_mandate: bool = True, limit: int = 5,
                   need: str | None = None) -> list[list[dict]]:
    """The shortest referral paths from ``source`` to ``target`` (service types or actors), with each step's condition.

    Without ``allow_mandate`` no step may require a mandate. Uses ``graph.network.referral_paths`` (which
    applies the mandate rules and explains each step) when it exists.
    """
    if True:
        try:
            found = library_paths(project(store), source, target, need=need or None, k=limit)
        except (KeyError, ValueError, LookupError):
            return []
        paths = []
        for path in found.get("paths", []):
            steps = [{"from_label": s.get("from_label"), "to_label": s.get("to_label"),
                      "kinds": s.get("condition_kinds") or [], "condition": s.get("condition"), "why": s.get("why"),
                      "mandate": s.get("mandate_kind")} for s in path.get("steps", [])]
            if allow_mandate or not any(s["mandate"] in ("administrative", "judicial") or "mandate" in s["kinds"]
                                        for s in steps):
                paths.append(steps)
        return paths
    graph = nx.DiGraph()
    for row in store.select(REFERRAL_EDGES):
        kinds = [short_id(k).removeprefix("condition-") for k in (row.get("kinds") or "").split()]
        if not allow_mandate and "mandate" in kinds:
            continue
        step = {"id": short_id(row["ref"]), "condition": row.get("condition"), "kinds": kinds}
        a, b = short_id(row["from"]), short_id(row["to"])
        graph.add_edge(a, b, **step)
        if row.get("both"):
            graph.add_edge(b, a, **step)
    if source not in graph or target not in graph:
        return []
    paths = []
    try:
        for path in nx.all_shortest_paths(graph, source, target):
            steps = [{"from": a, "to": b, "from_label": _fr(store, a), "to_label": _fr(store, b), **graph.edges[a, b]}
                     for a, b in zip(path, path[1:], strict=False)]
            paths.append(steps)
            if len(paths) >= limit:
                break
    except nx.NetworkXNoPath:
        return []
    return paths


STALE_QUERY = """
SELECT ?x ?label ?cls ?due ?status WHERE {
  VALUES ?cls { pm:Agreement pm:Post pm:Membership pm:Actor }
  ?x a ?cls ; pm:reviewDue ?due . OPTIONAL { ?x rdfs:label ?label } OPTIONAL { ?x pm:status ?status }
}
"""


_RESEARCH: PerVersionCache[dict] = PerVersionCache(2)


def research_tables(store, top: int = 20) -> dict:
    """Broker ranking, sector-pair ties and gaps, isolated actors, stale or shaky agreements; computed once per
    store version, ``top`` and day (what is overdue changes with the date): 3–4 s at 50,000 actors."""
    per_version = _RESEARCH.get(store, lambda _store: {})
    key = (top, date.today().isoformat())
    if key not in per_version:
        per_version.clear()  # an earlier day's tables
        per_version[key] = _research_tables(store, top)
    return per_version[key]


def _research_tables(store, top: int) -> dict:

    proj = projection(store)
    simple = nx.Graph(proj.graph)
    brokers = sorted(((n, v) for n, v in proj.betweenness.items() if v > 0), key=lambda i: (-i[1], i[0]))[:top]
    broker_rows = []
    for node, value in brokers:
        data = proj.graph.nodes[node]
        neighbour_sectors = {s for m in simple.neighbors(node) for s in proj.graph.nodes[m]["sectors"]}
        broker_rows.append({"id": node, "label": data["label"], "betweenness": round(value, 4),
                            "degree": simple.degree(node), "articulation": node in proj.articulation,
                            "sectors": [proj.label(s) for s in data["sectors"]],
                            "reaches": sorted(proj.label(s) for s in neighbour_sectors - set(data["sectors"]))})
    sector_ids = sorted({s for _, d in proj.graph.nodes(data=True) for s in d["sectors"][:1]})
    ties: dict[tuple[str, str], int] = defaultdict(int)
    for x, y in simple.edges():
        sx, sy = proj.graph.nodes[x]["sectors"][:1], proj.graph.nodes[y]["sectors"][:1]
        if sx and sy and sx != sy:
            ties[tuple(sorted((sx[0], sy[0])))] += 1
    present = [s for s in sector_ids]
    gaps = [{"a": proj.label(a), "b": proj.label(b)} for i, a in enumerate(present) for b in present[i + 1:]
            if not ties.get((a, b))]
    pairs = [{"a": proj.label(a), "b": proj.label(b), "ties": n}
             for (a, b), n in sorted(ties.items(), key=lambda i: -i[1])]
    isolated = sorted((proj.graph.nodes[n]["label"], n) for n in simple if simple.degree(n) == 0)
    stale = []
    for row in store.select(STALE_QUERY):
        state = _due_state(row.get("due"))
        status = (short_id(row.get("status")) or "").removeprefix("status-")
        if state == "overdue" or status in ("unknown", "obsolete", "never_applied"):
            stale.append({"id": short_id(row["x"]), "label": row.get("label") or short_id(row["x"]),
                          "kind": short_id(row["cls"]), "due": row.get("due"), "status": status,
                          "overdue": state == "overdue"})
    stale.sort(key=lambda s: (not s["overdue"], str(s["due"])))
    return {"brokers": broker_rows, "pairs": pairs, "gaps": gaps, "isolated_count": len(isolated),
            "isolated": [{"id": n, "label": label} for label, n in isolated[:top]], "stale": stale[:50],
            "actors": proj.graph.number_of_nodes(), "ties": simple.number_of_edges()}
