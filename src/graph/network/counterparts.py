"""Counterparts: who, in another sector, covers my territory — and how do I already reach them?

Definition
----------
Given an asker (an actor, a post, or a function) and a target sector (optionally a territory), the
candidates are the actors and posts of the target sector (collectives excluded). Territory matching
uses the hierarchy ``pm:partOf`` and the areas a territory lies within (``pm:withinArea``: a commune in
its youth-aid division), see :func:`graph.ids.territory_ancestors`; the asker's territory is the one
given, else the asker's served territories (else its country). A candidate:

* ``covers`` the territory when one of its served territories is that territory or encloses it;
* ``within`` when it serves only a part of it (one of its territories lies inside);
* ``overlaps`` when neither, but their territories share a commune (a province and a youth-aid
  division that cut across each other);
* candidates that do none of these are left out; a candidate with no served territory is taken to serve
  its country.

Candidates are ranked by, in order: (1) a post with the **same function** as the asker, then a post
whose function bridges sectors (``pm:crossSector``), then other posts, then organisations;
(2) an **existing tie** with the asker; (3) the most **local** coverage: fewest steps between the
candidate's territory and the asker's (a CPAS of a commune of the division before a federal body that
"covers" the whole country); (4) the **length of the shortest known path** from the asker in the actor
graph (undirected view; unknown = last); (5) ``covers``, then ``within``, then ``overlaps``. Each comes
with its reasons and its shortest known path.

Parameters
----------
projection : Projection
asker : str — IRI, slug or label of an actor, post or function
sector : str — IRI, slug or label of the target sector
territory : str, optional
limit : int, default 10

Returns
-------
dict — ``{"asker", "sector", "territories", "counterparts": [{"rank", "iri", "label", "kind", "function",
"sectors", "territories", "coverage", "existing_tie", "path_length", "path", "reasons"}]}``

Example
-------
>>> from graph.network.projection import projection_from_rows
>>> p = projection_from_rows("demo", territories=[{"t": "be", "level": "country"}],
...     sectors=[{"s": "s1"}, {"s": "s2"}],
...     actors=[{"a": "x", "kind": "service", "country": "be"}, {"a": "y", "kind": "service", "country": "be"}],
...     actor_sectors=[{"a": "x", "v": "s1"}, {"a": "y", "v": "s2"}])
>>> counterparts(p, "x", "s2")["counterparts"][0]["iri"]
'y'

References
----------
Seed 001 §7.3: « Existe-t-il une liste des différents agents de liaison dans les différentes divisions ? »
"""

from __future__ import annotations

import networkx as nx

from .projection import COLLECTIVE_KINDS
from .resolve import resolve

__all__ = ["counterparts", "COVERAGE_WORDS"]

COVERAGE_ORDER = {"covers": 0, "unknown": 0, "within": 1, "overlaps": 2}
COVERAGE_WORDS = {"covers": "couvre le territoire", "within": "couvre une partie du territoire",
                  "overlaps": "son territoire recoupe celui-ci", "unknown": "territoire non précisé"}


def _served(p, info) -> tuple:
    return tuple(info.get("territories") or ()) or ((info["country"],) if info.get("country") else ())


def counterparts(p, asker: str, sector: str, territory: str | None = None, limit: int = 10) -> dict:
    """Ranked counterparts of ``asker`` in ``sector`` (see the module docstring)."""
    who = resolve(asker, p.actor_info, p.functions, what="actor, post or function")
    target = resolve(sector, p.sectors, what="sector")
    is_function = who in p.functions and who not in p.actor_info
    asker_info = p.actor_info.get(who, {})
    function = who if is_function else asker_info.get("function")
    if territory:
        places = (resolve(territory, p.territories, what="territory"),)
    else:
        places = _served(p, asker_info)
    ancestors = {t: p.territory_distances(t) for t in places}
    G = p.actors
    lengths, paths = {}, {}
    if who in G:
        U = G.to_undirected(as_view=True)
        paths = nx.single_source_shortest_path(U, who)
        lengths = {k: len(v) - 1 for k, v in paths.items()}
    rows = []
    for iri, info in p.actor_info.items():
        if iri == who or info["node_kind"] in COLLECTIVE_KINDS or target not in info["sectors"]:
            continue
        coverage, distance = None, None
        if places:
            for c in _served(p, info):
                for t, up in ancestors.items():
                    if c in up:  # the candidate's territory encloses the asker's
                        if coverage != "covers" or up[c] < distance:
                            coverage, distance = "covers", up[c]
                    elif coverage != "covers":
                        down = p.territory_distances(c)
                        if t in down and (coverage is None or down[t] - 0.5 < distance):
                            # inside the asker's area: more local than a body covering it from as far above
                            coverage, distance = "within", down[t] - 0.5
            if coverage is None:
                shared = [t for t in places for c in _served(p, info) if p.territories_overlap(t, c)]
                if not shared:
                    continue
                coverage, distance = "overlaps", 2

        else:
            coverage, distance = "unknown", 0
        is_post = info["node_kind"] == "post"
        if is_post and function and info.get("function") == function:
            fclass, freason = 0, "même fonction"
        elif is_post and info.get("cross_sector"):
            fclass, freason = 1, "fonction de liaison entre secteurs"
        elif is_post:
            fclass, freason = 2, "poste"
        else:
            fclass, freason = 3, None
        tie = None
        if who in G and iri in G:
            kinds = set(G[who][iri]["kinds"]) if G.has_edge(who, iri) else set()
            kinds |= set(G[iri][who]["kinds"]) if G.has_edge(iri, who) else set()
            tie = sorted(kinds) or None
        length = lengths.get(iri)
        reasons = []
        if freason:
            label = p.functions.get(info.get("function"), {}).get("label", "")
            reasons.append(f"{freason} ({label})" if label else freason)
        if tie:
            reasons.append("lien existant : " + ", ".join(tie))
        elif length is not None:
            reasons.append(f"joignable en {length} étapes par des liens connus")
        else:
            reasons.append("aucun chemin connu dans les données")
        where = ", ".join(p.label(c) for c in _served(p, info)[:3])
        reasons.append(COVERAGE_WORDS.get(coverage, "couvre le territoire") + (f" ({where})" if where else ""))
        rows.append({
            "key": (fclass, 0 if tie else 1, distance or 0, length if length is not None else 10 ** 9,
                    COVERAGE_ORDER[coverage], info["label"], iri),
            "iri": iri, "label": info["label"], "kind": info["node_kind"], "function": info.get("function") or None,
            "sectors": list(info["sectors"]), "territories": list(_served(p, info)), "coverage": coverage,
            "existing_tie": tie, "path_length": length,
            "path": [{"iri": x, "label": p.label(x)} for x in paths.get(iri, [])] or None,
            "reasons": reasons})
    rows.sort(key=lambda r: r["key"])
    out = []
    for rank, row in enumerate(rows[:limit], 1):
        row.pop("key")
        out.append({"rank": rank, **row})
    return {"asker": {"iri": who, "label": p.label(who), "kind": "function" if is_function else
                      asker_info.get("node_kind")},
            "sector": {"iri": target, "label": p.label(target)},
            "territories": [{"iri": t, "label": p.label(t)} for t in places],
            "candidates": len(rows), "counterparts": out}
