"""The research page's summary tables: brokers, sector pairs and gaps, isolated actors, stale agreements.

Computed on the map graph (:func:`graph.publish.maps.projection`) once per store version, ``top`` and day.
Betweenness is Brandes' (2001) normalised betweenness of that graph; articulation points are the nodes whose
removal disconnects it (Hopcroft & Tarjan 1973).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import networkx as nx

from graph.ids import short_id
from graph.publish.maps import projection
from graph.version_cache import PerVersionCache

__all__ = ["research_tables"]


def due_state(due) -> str:
    if not due:
        return ""
    text = str(due)
    try:
        parts = [int(p) for p in text.split("-")]
        when = date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)
    except (ValueError, IndexError):
        return ""
    return "overdue" if when < date.today() else "ok"



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
        state = due_state(row.get("due"))
        status = (short_id(row.get("status")) or "").removeprefix("status-")
        if state == "overdue" or status in ("unknown", "obsolete", "never_applied"):
            stale.append({"id": short_id(row["x"]), "label": row.get("label") or short_id(row["x"]),
                          "kind": short_id(row["cls"]), "due": row.get("due"), "status": status,
                          "overdue": state == "overdue"})
    stale.sort(key=lambda s: (not s["overdue"], str(s["due"])))
    return {"brokers": broker_rows, "pairs": pairs, "gaps": gaps, "isolated_count": len(isolated),
            "isolated": [{"id": n, "label": label} for label, n in isolated[:top]], "stale": stale[:50],
            "actors": proj.graph.number_of_nodes(), "ties": simple.number_of_edges()}
