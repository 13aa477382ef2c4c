"""The projection as it was read before issue #8 (commit 2be613d), frozen as the reference the fast reader
of :mod:`graph.network.projection` must reproduce exactly: one SPARQL SELECT per table or multi-valued property,
rows as dicts, graphs built through the networkx API. Used by ``test_projection_equivalence.py`` only."""

from __future__ import annotations

import gc
from collections import defaultdict

import networkx as nx

from graph.ids import short_id
from graph.network.projection import COLLECTIVE_KINDS, Projection

Q_ACTORS = """
SELECT ?a ?label ?kind ?country ?amin ?amax WHERE {
  ?a a pm:Actor ; pm:actorKind/skos:notation ?kind .
  OPTIONAL { ?a rdfs:label ?label }
  OPTIONAL { ?a pm:country ?country }
  OPTIONAL { ?a pm:ageMin ?amin } OPTIONAL { ?a pm:ageMax ?amax }
}"""
Q_ACTOR_SECTORS = "SELECT ?a ?v WHERE { ?a a pm:Actor ; pm:sector ?v }"
Q_ACTOR_TYPES = "SELECT ?a ?v WHERE { ?a a pm:Actor ; pm:serviceType ?v }"
Q_ACTOR_TERRITORIES = "SELECT ?a ?v WHERE { ?a a pm:Actor ; pm:servesTerritory ?v }"
Q_PARENTS = "SELECT ?a ?v WHERE { ?a a pm:Actor ; org:subOrganizationOf ?v }"
Q_POSTS = """
SELECT ?p ?label ?function ?actor WHERE {
  ?p a pm:Post ; org:postIn ?actor . OPTIONAL { ?p rdfs:label ?label } OPTIONAL { ?p org:role ?function }
}"""
Q_POST_TERRITORIES = "SELECT ?a ?v WHERE { ?a a pm:Post ; pm:servesTerritory ?v }"
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
Q_REFERRALS = """
SELECT ?r ?from ?to ?both ?condition ?need WHERE {
  ?r a pm:Referral ; pm:referralFrom ?from ; pm:referralTo ?to .
  OPTIONAL { ?r pm:bidirectional ?both }
  OPTIONAL { ?r pm:condition ?condition } OPTIONAL { ?r pm:need ?need }
}"""
Q_REFERRAL_CONDITIONS = "SELECT ?a ?v WHERE { ?a a pm:Referral ; pm:conditionKind/skos:notation ?v }"
Q_AGREEMENTS = """
SELECT ?g ?label ?kind ?status ?date ?review WHERE {
  ?g a pm:Agreement .
  OPTIONAL { ?g rdfs:label ?label } OPTIONAL { ?g pm:agreementKind/skos:notation ?kind }
  OPTIONAL { ?g pm:status/skos:notation ?status } OPTIONAL { ?g dct:issued ?date }
  OPTIONAL { ?g pm:reviewDue ?review }
}"""
Q_AGREEMENT_PARTIES = "SELECT ?a ?v WHERE { ?a a pm:Agreement ; pm:party ?v }"
Q_MEMBERSHIPS = """
SELECT ?m ?member ?collective ?role WHERE {
  ?m a pm:Membership ; org:member ?member ; pm:collective ?collective . OPTIONAL { ?m pm:roleLabel ?role }
}"""
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


def _multi(rows: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        out[row["a"]].append(row["v"])
    return {key: sorted(set(values)) for key, values in out.items()}


def _num(value) -> float | None:
    return None if value is None else float(value)


def projection_from_rows(version: str, *, actors=(), actor_sectors=(), actor_types=(), actor_territories=(),
                         parents=(), posts=(), post_territories=(), service_types=(), type_sectors=(),
                         type_countries=(), referrals=(), referral_conditions=(), agreements=(),
                         agreement_parties=(), memberships=(), sectors=(), territories=(), functions=(),
                         function_sectors=()) -> Projection:
    """Build a :class:`Projection` from query rows (the store's, or hand-made ones in tests)."""
    a_sectors, a_types, a_terr = _multi(actor_sectors), _multi(actor_types), _multi(actor_territories)
    t_sectors, t_countries = _multi(type_sectors), _multi(type_countries)
    r_conditions, g_parties = _multi(referral_conditions), _multi(agreement_parties)
    p_terr, f_sectors = _multi(post_territories), _multi(function_sectors)

    sector_info = {r["s"]: {"iri": r["s"], "id": short_id(r["s"]), "label": r.get("label") or short_id(r["s"])}
                   for r in sectors}
    territory_info = {r["t"]: {"iri": r["t"], "id": short_id(r["t"]), "label": r.get("label") or short_id(r["t"]),
                               "level": r.get("level"), "parent": r.get("parent"),
                               "within": tuple(sorted((r.get("within") or "").split()))} for r in territories}
    function_info = {r["f"]: {"iri": r["f"], "id": short_id(r["f"]), "label": r.get("label") or short_id(r["f"]),
                              "cross_sector": bool(r.get("cross")), "sectors": f_sectors.get(r["f"], [])}
                     for r in functions}
    type_info: dict[str, dict] = {}
    for r in service_types:
        st = r["st"]
        info = type_info.setdefault(st, {
            "iri": st, "id": short_id(st), "label": r.get("label") or short_id(st), "acronyms": [],
            "mandate_kind": r.get("mandate"), "free_adherence": r.get("free"),
            "age_min": _num(r.get("amin")), "age_max": _num(r.get("amax")),
            "sectors": t_sectors.get(st, []), "countries": t_countries.get(st, [])})
        if r.get("acronym") and r["acronym"] not in info["acronyms"]:
            info["acronyms"].append(r["acronym"])

    graph = nx.DiGraph()
    actor_info: dict[str, dict] = {}
    for r in actors:
        a = r["a"]
        if a in actor_info:
            continue
        types = a_types.get(a, [])
        own_min, own_max = _num(r.get("amin")), _num(r.get("amax"))
        mins = [type_info[t]["age_min"] for t in types if t in type_info and type_info[t]["age_min"] is not None]
        maxs = [type_info[t]["age_max"] for t in types if t in type_info and type_info[t]["age_max"] is not None]
        secs = a_sectors.get(a, [])
        actor_info[a] = {
            "iri": a, "id": short_id(a), "label": r.get("label") or short_id(a), "node_kind": r["kind"],
            "sector": secs[0] if secs else "", "sectors": tuple(secs), "service_types": tuple(types),
            "mandate_kinds": tuple(sorted({type_info[t]["mandate_kind"] for t in types
                                           if t in type_info and type_info[t]["mandate_kind"]})),
            "country": r.get("country") or "", "territories": tuple(a_terr.get(a, [])),
            "age_min": own_min if own_min is not None else (min(mins) if mins else None),
            "age_max": own_max if own_max is not None else (max(maxs) if maxs else None),
        }
    for r in posts:
        p, holder = r["p"], r["actor"]
        base = actor_info.get(holder, {})
        function = r.get("function")
        fun = function_info.get(function, {})
        actor_info[p] = {
            "iri": p, "id": short_id(p), "label": r.get("label") or short_id(p), "node_kind": "post",
            "sector": base.get("sector", ""), "sectors": base.get("sectors", ()),
            "service_types": base.get("service_types", ()), "mandate_kinds": base.get("mandate_kinds", ()),
            "country": base.get("country", ""),
            "territories": tuple(p_terr.get(p, [])) or base.get("territories", ()),
            "age_min": base.get("age_min"), "age_max": base.get("age_max"),
            "function": function or "", "cross_sector": bool(fun.get("cross_sector")), "actor": holder,
        }

    ties: dict[tuple[str, str], list] = defaultdict(list)

    def add_tie(u: str, v: str, kind: str, via: str, both: bool) -> None:
        if u == v or u not in actor_info or v not in actor_info:
            return
        ties[(u, v)].append((kind, via))
        if both:
            ties[(v, u)].append((kind, via))

    referral_rows = []
    for r in referrals:
        row = {"iri": r["r"], "from": r["from"], "to": r["to"], "both_ways": bool(r.get("both")),
               "condition_kinds": r_conditions.get(r["r"], []), "condition": r.get("condition") or "",
               "need": r.get("need") or ""}
        referral_rows.append(row)
        add_tie(row["from"], row["to"], "referral", row["iri"], row["both_ways"])
    agreement_rows = []
    for r in agreements:
        parties = g_parties.get(r["g"], [])
        agreement_rows.append({"iri": r["g"], "label": r.get("label") or short_id(r["g"]), "kind": r.get("kind"),
                               "status": r.get("status"), "date": r.get("date"), "review_due": r.get("review"),
                               "parties": parties})
        actor_parties = [p for p in parties if p in actor_info]
        for i, u in enumerate(actor_parties):
            for v in actor_parties[i + 1:]:
                add_tie(u, v, "agreement", r["g"], True)
    for r in parents:
        add_tie(r["a"], r["v"], "parent_child", r["a"], True)
    for r in posts:
        add_tie(r["p"], r["actor"], "post_in", r["p"], True)
    membership_rows = [{"iri": r["m"], "member": r["member"], "collective": r["collective"],
                        "role": r.get("role") or ""} for r in memberships]
    members_of: dict[str, list[str]] = defaultdict(list)
    for m in membership_rows:
        if m["member"] not in members_of[m["collective"]]:
            members_of[m["collective"]].append(m["member"])
    # collectives join the graph as nodes only when they take part in a tie themselves
    collectives = {a for a, info in actor_info.items() if info["node_kind"] in COLLECTIVE_KINDS}
    active = set()
    for u, v in ties:
        active.update((u, v))
    active |= {m["member"] for m in membership_rows}
    for collective, members in members_of.items():
        ordered = sorted(members)
        for i, u in enumerate(ordered):
            for v in ordered[i + 1:]:
                add_tie(u, v, "co_membership", collective, True)
    for a in actor_info:
        if a not in collectives or a in active:
            graph.add_node(a)
    graph.add_edges_from((u, v, {"weight": float(len(t)), "kinds": tuple(sorted({k for k, _via in t})), "ties": t})
                         for (u, v), t in ties.items())
    for node in graph.nodes:
        graph.nodes[node].update(actor_info[node])

    bipartite = nx.Graph()
    gathering = set(members_of)
    for m in membership_rows:
        if m["member"] in actor_info and m["collective"] in actor_info:
            for x in (m["member"], m["collective"]):
                bipartite.add_node(x, bipartite=1 if x in gathering else 0, **_scalar(actor_info[x]))
            bipartite.add_edge(m["member"], m["collective"], role=m["role"], membership=m["iri"],
                               nested=m["member"] in gathering)

    types = nx.DiGraph()
    for st, info in type_info.items():
        types.add_node(st, **_scalar(info))

    def add_type_edge(u: str, v: str, referral: dict, lifted: bool) -> None:
        if u == v or u not in type_info or v not in type_info:
            return
        entry = {"referral": referral["iri"], "condition_kinds": referral["condition_kinds"],
                 "condition": referral["condition"], "need": referral["need"], "lifted_from_actors": lifted,
                 "from": referral["from"], "to": referral["to"]}
        if types.has_edge(u, v):
            types[u][v]["referrals"].append(entry)
        else:
            types.add_edge(u, v, referrals=[entry])

    for row in referral_rows:
        lifted = row["from"] in actor_info or row["to"] in actor_info
        sources = actor_info[row["from"]]["service_types"] if row["from"] in actor_info else (row["from"],)
        targets = actor_info[row["to"]]["service_types"] if row["to"] in actor_info else (row["to"],)
        for u in sources:
            for v in targets:
                add_type_edge(u, v, row, lifted)
                if row["both_ways"]:
                    add_type_edge(v, u, row, lifted)

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
            value = "|".join(str(v) for v in value)
        out[key] = value
    return out



def reference_projection(store) -> Projection:
    """The projection of ``store`` computed the old way (no cache)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_projection(store)
    finally:
        if enabled:
            gc.enable()


def _read_projection(store) -> Projection:
    def sel(query: str) -> list[dict]:
        """The rows sorted by their values in the order of the variables: the projection reads its queries in a
        fixed order, not the store's (graph.network.projection._in_fixed_order)."""
        return sorted(store.select(query), key=lambda row: [str(value) for value in row.values()])

    return projection_from_rows(
        str(store.version),
        actors=sel(Q_ACTORS), actor_sectors=sel(Q_ACTOR_SECTORS), actor_types=sel(Q_ACTOR_TYPES),
        actor_territories=sel(Q_ACTOR_TERRITORIES), parents=sel(Q_PARENTS), posts=sel(Q_POSTS),
        post_territories=sel(Q_POST_TERRITORIES), service_types=sel(Q_SERVICE_TYPES),
        type_sectors=sel(Q_TYPE_SECTORS), type_countries=sel(Q_TYPE_COUNTRIES), referrals=sel(Q_REFERRALS),
        referral_conditions=sel(Q_REFERRAL_CONDITIONS), agreements=sel(Q_AGREEMENTS),
        agreement_parties=sel(Q_AGREEMENT_PARTIES), memberships=sel(Q_MEMBERSHIPS), sectors=sel(Q_SECTORS),
        territories=sel(Q_TERRITORIES), functions=sel(Q_FUNCTIONS), function_sectors=sel(Q_FUNCTION_SECTORS))
