"""Gaps: where sectors never meet, where protocols are missing or stale, where the chain of care breaks.

Definition
----------
One report assembling, on the actor graph of one store version:

``sector_matrix``
    observed vs expected ties between sectors and the E-I index (:mod:`.mixing`).
``no_tie_pairs``
    pairs of sectors (both with actors in the graph) with no tie in either direction.
``no_current_protocol_pairs``
    pairs of sectors that no agreement of status ``current`` binds. An agreement binds the sectors of
    its parties: a sector party is itself, a service type or an actor brings its ``pm:sector``\\s.
    Agreements that bind the pair but are not current are named with their status.
``structural_holes``
    sector pairs with no direct tie that are nevertheless both reached by some actors — the hole
    (Burt 1992) and the brokers who already span it (their neighbours include both sectors), ranked
    by the smaller of their two neighbour counts.
``coverage_gaps``
    territory × service type × age band (:mod:`.coverage`).
``stale_protocols``
    agreements whose ``pm:reviewDue`` is before ``today`` (a partial date counts to the end of its
    year or month), with the days overdue; ``non_current_protocols`` lists every agreement whose status
    is not ``current`` (obsolete, never applied, draft…).
``isolated_actors``
    actors and posts of the graph with no tie at all.
``suggested_links``
    cross-sector Adamic–Adar suggestions with their reasons (:mod:`.suggestions`).
``communities``
    Louvain communities against sectors (:mod:`.communities`).

Parameters
----------
projection : Projection
today : datetime.date, default today
limit : int, default 20 — items listed per section (counts are complete)
sector, country, territory : str or None — keep only the items that concern them

Returns
-------
dict (JSON-ready) with the keys above plus ``version`` and ``timings`` (seconds per section).

Example
-------
>>> from graph.network.projection import projection_from_rows
>>> p = projection_from_rows("demo", actors=[{"a": "x", "kind": "service"}, {"a": "y", "kind": "service"}],
...     actor_sectors=[{"a": "x", "v": "s1"}, {"a": "y", "v": "s2"}])
>>> gap_report(p)["no_tie_pairs"][0]["sectors"]
['s1', 's2']

References
----------
R. S. Burt (1992), Structural Holes, Harvard University Press.
D. Krackhardt & R. N. Stern (1988), Social Psychology Quarterly 51(2):123–140.
"""

from __future__ import annotations

import calendar
import time
from datetime import date
from itertools import combinations

import numpy as np
import scipy.sparse as sp

from ._engine import adjacency
from .communities import communities_vs_sectors
from .coverage import coverage_gaps
from .mixing import sector_mixing
from .suggestions import cross_sector_adamic_adar

__all__ = ["gap_report", "stale_protocols", "protocol_pairs", "parse_due"]


def parse_due(value) -> date | None:
    """A ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date, a partial one counted to the end of its period."""
    if not value:
        return None
    parts = str(value)[:10].split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, int(parts[2]))
    except (ValueError, IndexError):
        return None


def _party_sectors(p, party: str) -> set:
    if party in p.sectors:
        return {party}
    if party in p.service_type_info:
        return set(p.service_type_info[party]["sectors"])
    if party in p.actor_info:
        return set(p.actor_info[party]["sectors"])
    return set()


def protocol_pairs(p) -> dict:
    """Sector pair (sorted tuple) → agreements binding it, each ``{iri, label, status}``."""
    pairs: dict = {}
    for g in p.agreements:
        per_party = [_party_sectors(p, party) for party in g["parties"]]
        bound = set()
        for i, a_set in enumerate(per_party):
            for b_set in per_party[i + 1:]:
                for a in a_set:
                    for b in b_set:
                        if a != b:
                            bound.add(tuple(sorted((a, b))))
        for pair in bound:
            pairs.setdefault(pair, []).append({"iri": g["iri"], "label": g["label"], "status": g["status"]})
    return pairs


def stale_protocols(p, today: date | None = None) -> list[dict]:
    """Agreements past their review date, most overdue first."""
    today = today or date.today()
    out = []
    for g in p.agreements:
        due = parse_due(g["review_due"])
        if due is not None and due < today:
            out.append({"iri": g["iri"], "label": g["label"], "status": g["status"], "kind": g["kind"],
                        "review_due": str(g["review_due"]), "days_overdue": (today - due).days,
                        "parties": g["parties"]})
    out.sort(key=lambda r: (-r["days_overdue"], r["iri"]))
    return out


def gap_report(p, today: date | None = None, limit: int = 20, sector: str | None = None,
               country: str | None = None, territory: str | None = None, suggestions: int = 20,
               seed: int = 0) -> dict:
    """Every gap of the projection (see the module docstring)."""
    G = p.actors
    timings: dict = {}

    def timed(name, fn):
        started = time.perf_counter()
        value = fn()
        timings[name] = time.perf_counter() - started
        return value

    def label(iri):
        return {"iri": iri, "label": p.label(iri)}

    # what does not depend on the filters is computed once per projection (cached on it)
    mixing = timed("sector_matrix", lambda: p.cached("gaps:sector_mixing", lambda: sector_mixing(G)))
    present = [s for s in mixing["groups"] if s]
    pairs = [tuple(sorted(x)) for x in combinations(present, 2)]
    if sector:
        pairs = [x for x in pairs if sector in x]
    obs = mixing["observed"]
    no_tie = [{"sectors": list(x), "labels": [p.label(x[0]), p.label(x[1])]}
              for x in pairs if obs[x[0]][x[1]] + obs[x[1]][x[0]] == 0]

    bound = protocol_pairs(p)
    no_protocol = []
    for x in pairs:
        agreements = bound.get(x, [])
        if not any(a["status"] == "current" for a in agreements):
            no_protocol.append({"sectors": list(x), "labels": [p.label(x[0]), p.label(x[1])],
                                "other_agreements": agreements})

    def holes():
        nodes = list(G)
        index = {s: i for i, s in enumerate(mixing["groups"])}
        A = adjacency(G, None)
        B = sp.csr_matrix(A + A.T)
        B.data = np.ones_like(B.data)
        cl = np.array([index[G.nodes[v].get("sector") or ""] for v in nodes], dtype=np.int64)
        onehot = sp.csr_matrix((np.ones(len(nodes)), (np.arange(len(nodes)), cl)), shape=(len(nodes), len(index)))
        reach = np.asarray((B @ onehot).todense(), dtype=np.int64)  # neighbours per sector
        out = []
        for entry in no_tie:
            a, b = entry["sectors"]
            both = np.minimum(reach[:, index[a]], reach[:, index[b]])
            spanning = np.nonzero(both > 0)[0]
            if len(spanning) == 0:
                continue
            best = spanning[np.lexsort((np.array([str(nodes[i]) for i in spanning]), -both[spanning]))][:5]
            out.append({"sectors": [a, b], "labels": entry["labels"], "spanned_by_count": int(len(spanning)),
                        "spanned_by": [{**label(nodes[i]), "sector": G.nodes[nodes[i]].get("sector"),
                                        "contacts": [int(reach[i, index[a]]), int(reach[i, index[b]])]}
                                       for i in best]})
        return out

    structural_holes = timed("structural_holes", holes)
    within = territory
    coverage = timed("coverage_gaps", lambda: coverage_gaps(p, limit=limit, within=within or country))
    stale = timed("stale_protocols", lambda: stale_protocols(p, today))
    non_current = [{"iri": g["iri"], "label": g["label"], "status": g["status"], "kind": g["kind"],
                    "parties": g["parties"]} for g in p.agreements if g["status"] != "current"]
    isolated = [v for v in G if G.degree(v) == 0 and p.concerns(v, sector, country, territory)]
    isolated.sort()
    top = suggestions if not (sector or country or territory) else suggestions * 50
    suggested = timed("suggested_links", lambda: p.cached(("gaps:suggested_links", top),
                                                          lambda: cross_sector_adamic_adar(G, top=top)))
    suggested = [s for s in suggested if p.concerns(s["source"], sector, country, territory)
                 or p.concerns(s["target"], sector, country, territory)][:suggestions]
    links = []
    for s in suggested:
        common = s["common"]
        names = ", ".join(p.label(c) for c in common[:3])
        links.append({"source": label(s["source"]), "target": label(s["target"]),
                      "sectors": [G.nodes[s["source"]].get("sector"), G.nodes[s["target"]].get("sector")],
                      "score": s["score"], "common": [label(c) for c in common],
                      "reason": f"{len(common)} partenaire(s) en commun ({names}) mais aucun lien direct "
                                f"entre ces deux secteurs"})
    communities = timed("communities", lambda: p.cached(("gaps:communities", seed),
                                                        lambda: communities_vs_sectors(G, seed=seed)))
    return {
        "version": p.version,
        "filters": {"sector": sector, "country": country, "territory": territory},
        "sector_matrix": {k: mixing[k] for k in ("groups", "sizes", "observed", "expected", "ratio")},
        "ei_index": mixing["ei_index"],
        "no_tie_pairs": no_tie,
        "no_current_protocol_pairs": no_protocol,
        "structural_holes": structural_holes[:limit],
        "coverage_gaps": coverage,
        "stale_protocols": stale[:limit],
        "stale_protocols_count": len(stale),
        "non_current_protocols": non_current[:limit],
        "isolated_actors": [{**label(v), "sector": G.nodes[v].get("sector"), "kind": G.nodes[v].get("node_kind")}
                            for v in isolated[:limit]],
        "isolated_actors_count": len(isolated),
        "suggested_links": links,
        "communities": communities,
        "timings": timings,
    }
