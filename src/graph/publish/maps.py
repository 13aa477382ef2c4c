"""Network maps of the actor graph, drawn by vis-network (served by the app, no CDN).

The maps draw **the analysed actor graph** — ``graph.network.projection.project(store).actors``, the directed
graph the research page, the API (``/api/v1/brokers``, ``/api/v1/gaps``) and the GraphML/GEXF exports
analyse: actors and posts as nodes; ties of membership of a same collective, parent organisation, agreement
between actor parties, referral, post held in an actor. This module defines no graph of its own: it only
lays that graph out, colours (sector), sizes (betweenness of the broker analysis), filters and labels it.
Node metrics (betweenness, Burt's constraint, effective size, Gould–Fernandez role, broker rank) are those of
:func:`graph.network.ranking.broker_table`, the same numbers as on ``/recherche``.

A tie of the directed graph stands for one direction; the map draws one line per linked pair (``lines``),
and says both counts.

Functions: :func:`overview`, :func:`ego` and :func:`aggregated` give a :class:`MapData` (nodes, edges, legend,
counts); :func:`vis_payload` gives the JSON the page hands to vis-network (built through
:class:`pyvis.network.Network`), :func:`standalone_html` one self-contained HTML file (vis-network inlined).

Safety: labels and titles are plain text; the JSON is embedded with ``<``, ``>`` and ``&`` escaped.

Example::

    >>> from graph.store import open_store
    >>> from graph.publish import maps
    >>> data = maps.overview(open_store(), sector="aide-jeunesse")   # doctest: +SKIP
    >>> html = maps.standalone_html(data, "Aide à la jeunesse")       # doctest: +SKIP
"""

from __future__ import annotations

import colorsys
import hashlib
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from graph.ids import short_id
from graph.network.brokerage import ROLES
from graph.network.projection import project
from graph.network.ranking import broker_table
from graph.vocab.labels_fr import decimal_fr

__all__ = [
    "MapData", "MapGraph", "LINK_TYPES", "LINK_ALIASES", "SECTOR_COLOURS", "AGGREGATE_ABOVE", "ROLE_LABELS",
    "projection", "overview", "ego", "aggregated", "vis_payload", "to_pyvis", "standalone_html", "json_for_script",
    "sector_colour", "plural",
]

AGGREGATE_ABOVE = 2000
"""An overview with more nodes than this is drawn as sector × territory groups."""

LINK_TYPES = {
    "co_membership": {"label": "membres d'un même collectif", "color": "#5c6f82", "dashes": False},
    "parent_child": {"label": "organisation parente", "color": "#8c6d1f", "dashes": [2, 4]},
    "agreement": {"label": "accord ou protocole", "color": "#2b7a3d", "dashes": [8, 4]},
    "referral": {"label": "orientation", "color": "#a1306b", "dashes": False},
    "post_in": {"label": "poste dans un service", "color": "#7b7b7b", "dashes": [1, 3]},
}
"""The kinds of tie of the analysed graph (:data:`graph.network.projection.EDGE_KINDS`), French label, style."""

LINK_ALIASES = {"membership": "co_membership", "parent": "parent_child"}
"""Former link-type names still accepted in map URLs."""

ROLE_LABELS = {"coordinator": "coordinateur", "itinerant": "itinérant", "representative": "représentant",
               "gatekeeper": "gardien", "liaison": "agent de liaison"}
"""Gould–Fernandez roles in French (as on the research page)."""

SECTOR_COLOURS = {
    "aide-jeunesse": "#1f6fb2", "aide-sociale": "#c0392b", "enseignement": "#8e44ad", "petite-enfance": "#b35900",
    "sante": "#16a085", "sante-mentale": "#27ae60", "jeunesse": "#d35400", "police-securite": "#34495e",
    "justice": "#7f4f24", "logement": "#b7950b", "insertion": "#5d6d7e", "handicap": "#a93226",
    "pouvoirs-publics": "#2e4053", "recherche": "#117a65",
}

TOP_BROKERS_LABELLED = 12
"""Brokers whose name a crowded map always shows (by broker rank among the nodes drawn)."""

LABEL_ALL_BELOW = 40
"""A map with at most this many nodes shows every name."""


def plural(count: int, one: str, many: str) -> str:
    """« 1 nœud », « 2 nœuds », « 1 504 liens » (French thin grouping with a no-break space)."""
    return f"{count:,}".replace(",", "\u202f") + " " + (one if count in (0, 1) else many)


def sector_colour(sector: str | None) -> str:
    """The colour of a sector: a fixed one for the known sectors, a stable hashed hue otherwise."""
    if not sector:
        return "#9e9e9e"
    if sector in SECTOR_COLOURS:
        return SECTOR_COLOURS[sector]
    hue = int(hashlib.sha256(sector.encode()).hexdigest()[:4], 16) / 0xFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.38, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


# ----------------------------------------------------------------- the drawing view of the analysed graph

@dataclass
class MapGraph:
    """What the maps need of one store version, all derived from the analytics' projection (no graph of its own).

    ``network`` is :func:`graph.network.projection.project`'s projection; ``graph`` its actor graph relabelled
    to short ids and made undirected for drawing (one line per linked pair, ``kinds`` the union of the two
    directions' tie kinds); ``metrics`` the broker table rows by short id.
    """

    network: object
    graph: nx.Graph
    metrics: dict[str, dict]
    iri: dict[str, str]
    """Short id of a sector or territory → its IRI."""

    @property
    def ties(self) -> int:
        """Ties of the analysed (directed) graph: the number ``/recherche`` states."""
        return self.network.actors.number_of_edges()

    def label(self, some_iri: str | None) -> str:
        return self.network.label(some_iri) if some_iri else ""


def projection(store) -> MapGraph:
    """The drawing view of ``store``'s analysed actor graph (cached on the projection, per store version)."""
    p = project(store)
    return p.cached("map_graph", lambda: _map_graph(p))


def _map_graph(p) -> MapGraph:
    G = p.actors
    ids = {v: (G.nodes[v].get("id") or short_id(v)) for v in G}
    graph = nx.Graph()
    for v, data in G.nodes(data=True):
        graph.add_node(ids[v], iri=v, label=data.get("label") or ids[v], kind=data.get("node_kind") or "",
                       sector=short_id(data.get("sector")) or "",
                       sectors=[short_id(s) for s in data.get("sectors", ())],
                       territories=list(data.get("territories", ())), country=data.get("country"))
    for u, v, data in G.edges(data=True):
        a, b = ids[u], ids[v]
        if graph.has_edge(a, b):
            edge = graph.edges[a, b]
            edge["kinds"] = tuple(sorted(set(edge["kinds"]) | set(data.get("kinds", ()))))
            edge["directions"] += 1
        else:
            graph.add_edge(a, b, kinds=tuple(data.get("kinds", ())), directions=1,
                           referral=(ids[u], ids[v]) if "referral" in data.get("kinds", ()) else None)
    metrics = {}
    for row in broker_table(p):
        gf = {k: row["gould_fernandez"].get(k, 0) for k in ROLES}
        role = max(ROLES, key=lambda k: gf[k]) if any(gf.values()) else ""
        metrics[ids[row["iri"]]] = {
            "betweenness": row["betweenness"], "constraint": row["constraint"],
            "effective_size": row["effective_size"], "articulation": row["articulation_point"],
            "role": ROLE_LABELS.get(role, ""), "rank": row["rank"], "score": row["score"],
            "reasons": [r["text"] for r in row.get("reasons", [])][:3]}
    iri = {short_id(x): x for table in (p.sectors, p.territories) for x in table}
    return MapGraph(p, graph, metrics, iri)


def _read_projection(store) -> MapGraph:
    """Uncached :func:`projection` (tests)."""
    return _map_graph(project(store))


# ----------------------------------------------------------------- map data

@dataclass
class MapData:
    """What a map shows: vis-network node and edge records, a legend, the counts it states, what was left out."""

    title: str
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    legend: dict = field(default_factory=dict)
    aggregated: bool = False
    center: str | None = None
    notes: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    """``graph_nodes``/``graph_ties`` (the analysed graph, as on ``/recherche``), ``nodes`` (in the map),
    ``isolated`` (among them: hidden unless asked), ``shown`` (drawn by default), ``lines`` (linked pairs drawn),
    ``kept`` (nodes a filter keeps) and ``context`` (their neighbours, drawn too)."""

    def as_dict(self) -> dict:
        return {"title": self.title, "nodes": self.nodes, "edges": self.edges, "legend": self.legend,
                "aggregated": self.aggregated, "center": self.center, "notes": self.notes, "counts": self.counts}


def _kinds(data: dict, link_types: set[str] | None) -> tuple[str, ...]:
    kinds = data["kinds"]
    return kinds if link_types is None else tuple(k for k in kinds if k in link_types)


def _view(mg: MapGraph, link_types: set[str] | None) -> nx.Graph:
    """The drawing graph restricted to the chosen link types (every node kept)."""
    if link_types is None:
        return mg.graph
    view = nx.Graph()
    view.add_nodes_from(mg.graph.nodes(data=True))
    view.add_edges_from((x, y, d) for x, y, d in mg.graph.edges(data=True) if _kinds(d, link_types))
    return view


def _layout(graph: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic positions (pixels). Each connected part gets its own spring layout, scaled to its size so
    that neighbours keep room for their names; the parts are packed in rows, biggest first; isolated nodes
    in rows below (hidden by default on the page)."""
    if graph.number_of_nodes() == 0:
        return {}
    tied = [n for n in graph if graph.degree(n) > 0]
    alone = sorted((n for n in graph if graph.degree(n) == 0), key=lambda n: graph.nodes[n].get("order", n))
    parts = sorted((sorted(c) for c in nx.connected_components(graph.subgraph(tied))), key=lambda c: (-len(c), c))
    placed: list[tuple[dict[str, tuple[float, float]], float, float]] = []
    for part in parts:
        if len(part) == 2:
            local = {part[0]: (-45.0, 0.0), part[1]: (45.0, 0.0)}
        else:
            radius = 75 * math.sqrt(len(part))
            spring = nx.spring_layout(graph.subgraph(part), seed=seed, k=1.2 / math.sqrt(len(part)), iterations=100)
            local = {n: (float(x) * radius, float(y) * radius) for n, (x, y) in spring.items()}
        xs, ys = [x for x, _ in local.values()], [y for _, y in local.values()]
        left, top = min(xs), min(ys)
        local = {n: (x - left, y - top) for n, (x, y) in local.items()}
        placed.append((local, max(xs) - left, max(ys) - top))
    gap = 110.0
    area = sum((w + gap) * (h + gap) for _, w, h in placed)
    row_width = max([w for _, w, _ in placed[:1]] + [math.sqrt(area) * 1.3]) if placed else 0.0
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for local, w, h in placed:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for n, (px, py) in local.items():
            positions[n] = (x + px, y + py)
        x += w + gap
        row_height = max(row_height, h)
    bottom = (y + row_height + 140) if placed else 0.0
    columns = max(8, int(math.sqrt(len(alone) * 3)) if alone else 8)
    left = max(0.0, row_width / 2 - columns * 30)
    for i, n in enumerate(alone):
        positions[n] = (left + (i % columns) * 60.0, bottom + (i // columns) * 60.0)
    return positions


def _spread_labels(ranked: list[str], positions: dict, label, limit: int) -> set[str]:
    """The best ranked nodes whose names (about 7 px a letter, 26 px high) do not overlap, ``limit`` at most."""
    boxes: list[tuple[float, float, float]] = []
    chosen: set[str] = set()
    for n in ranked:
        if len(chosen) >= limit:
            break
        x, y = positions.get(n, (0.0, 0.0))
        width = 7.0 * len(label(n))
        if all(abs(x - bx) * 2 > width + bw or abs(y - by) > 40 for bx, by, bw in boxes):
            boxes.append((x, y, width))
            chosen.add(n)
    return chosen


def _fmt(value, digits: int = 3) -> str:
    return decimal_fr(value, digits)


def _actor_map(mg: MapGraph, nodes: list[str], title: str, link_types: set[str] | None, overlay: set[str],
               center: str | None = None, depth: dict[str, int] | None = None,
               context: set[str] | None = None) -> MapData:
    keep = set(nodes)
    context = context or set()
    simple = nx.Graph()
    for n in nodes:
        simple.add_node(n, order=mg.graph.nodes[n]["label"].casefold())
    edges = []
    for x, y, data in mg.graph.edges(keep, data=True):
        kinds = _kinds(data, link_types)
        if not kinds or x not in keep or y not in keep or simple.has_edge(x, y):
            continue
        simple.add_edge(x, y)
        kind = kinds[0]
        style = LINK_TYPES.get(kind, LINK_TYPES["co_membership"])
        record = {"id": f"{x}|{y}", "from": x, "to": y, "type": kind, "kinds": list(kinds),
                  "title": ", ".join(LINK_TYPES[k]["label"] for k in kinds if k in LINK_TYPES),
                  "color": style["color"], "dashes": style["dashes"], "width": 1.5}
        if kind == "referral" and data.get("referral") and data["directions"] == 1:
            record.update({"from": data["referral"][0], "to": data["referral"][1], "arrows": "to"})
        edges.append(record)
    positions = _layout(simple)
    drawn = [n for n in nodes if simple.degree(n) > 0 or n == center]
    by_rank = sorted(drawn, key=lambda n: mg.metrics.get(n, {}).get("rank", 10**9))
    top = _spread_labels(by_rank, positions, lambda n: mg.graph.nodes[n]["label"], TOP_BROKERS_LABELLED)
    biggest = max((mg.metrics.get(n, {}).get("betweenness") or 0.0 for n in nodes), default=0.0) or 1.0
    decile = sorted((mg.metrics[n]["betweenness"] for n in drawn if mg.metrics.get(n, {}).get("betweenness")),
                    reverse=True)
    threshold = decile[max(0, len(decile) // 10 - 1)] if decile else math.inf
    out = []
    sector_counts: Counter = Counter()
    for n in nodes:
        data = mg.graph.nodes[n]
        m = mg.metrics.get(n, {})
        sector = data["sector"] or None
        isolated = simple.degree(n) == 0 and n != center
        if not isolated:
            sector_counts[sector] += 1
        between = m.get("betweenness") or 0.0
        size = 10 + 30 * math.sqrt(between / biggest) if between else 9
        sectors = [mg.label(mg.iri.get(s)) or s for s in data["sectors"]]
        places = [mg.label(t) for t in data["territories"]] or ([mg.label(data["country"])] if data["country"] else [])
        record = {"id": n, "label": data["label"], "sector": sector or "", "sector_label": ", ".join(sectors),
                  "territory_label": ", ".join(places[:3]) + (" …" if len(places) > 3 else ""),
                  "kind": data["kind"], "color": sector_colour(sector), "size": round(size, 1),
                  "url": f"/acteurs/{n}" if data["kind"] != "post" else "",
                  "shape": "square" if data["kind"] == "post" else "dot",
                  "broker": False, "gap": False, "isolated": isolated, "context": n in context,
                  "top": n in top, "degree": simple.degree(n),
                  "betweenness": float(f"{between:.4g}"), "constraint": None if m.get("constraint") is None
                  else round(m["constraint"], 3), "effective_size": None if m.get("effective_size") is None
                  else round(m["effective_size"], 2), "role": m.get("role", ""), "rank": m.get("rank"),
                  "articulation": bool(m.get("articulation")), "reasons": m.get("reasons", [])}
        notes = []
        if "brokers" in overlay and (record["articulation"] or between >= threshold > 0):
            record.update(broker=True, shape="diamond", borderWidth=4)
            notes.append("passe-muraille repéré" + (" (point d'articulation)" if record["articulation"] else ""))
        if "gaps" in overlay:
            neighbours = set(mg.graph.neighbors(n))
            other = {mg.graph.nodes[x]["sector"] for x in neighbours} - {data["sector"]}
            if not neighbours or not other:
                record.update(gap=True, shape="triangle" if not record["broker"] else record["shape"],
                              borderWidth=3, shapeProperties={"borderDashes": [4, 3]})
                notes.append("lacune : aucun lien" if not neighbours else "lacune : aucun lien hors de son secteur")
        if context and n in context:
            record["opacity"] = 0.45
        if depth is not None:
            record["level"] = depth.get(n, 0)
        if n == center:
            record.update(borderWidth=5, size=max(size, 24))
        x, y = positions.get(n, (0.0, 0.0))
        tip = [data["label"], f"Secteur : {record['sector_label'] or 'non précisé'}",
               f"Intermédiarité : {_fmt(between)}"]
        record.update(x=round(x, 1), y=round(y, 1), title="\n".join(tip + [note.capitalize() for note in notes]),
                      notes=notes)
        out.append(record)
    out.sort(key=lambda r: (r["label"].casefold(), r["id"]))
    link_counts = Counter(k for e in edges for k in e["kinds"])
    legend = {
        "sectors": [{"id": s or "", "label": mg.label(mg.iri.get(s)) if s else "secteur non précisé",
                     "color": sector_colour(s), "count": c}
                    for s, c in sorted(sector_counts.items(), key=lambda i: (-i[1], i[0] or ""))],
        "links": [{"id": k, **v, "count": link_counts.get(k, 0)} for k, v in LINK_TYPES.items()
                  if link_types is None or k in link_types],
        "overlays": sorted(overlay),
    }
    isolated = sum(1 for r in out if r["isolated"])
    counts = {"graph_nodes": mg.graph.number_of_nodes(), "graph_ties": mg.ties, "nodes": len(out),
              "isolated": isolated, "shown": len(out) - isolated, "lines": len(edges),
              "kept": len(out) - len(context), "context": len(context)}
    return MapData(title=title, nodes=out, edges=edges, legend=legend, center=center, counts=counts)


def _ids(mg: MapGraph, value: str | None) -> str | None:
    return mg.iri.get(value, value) if value else None


def overview(store, sector: str | None = None, territory: str | None = None, link_types: set[str] | None = None,
             overlay: set[str] | None = None, aggregate_above: int = AGGREGATE_ABOVE) -> MapData:
    """Every node of the analysed graph — or, with a sector or territory, the actors the shared filter
    (:meth:`graph.network.projection.Projection.concerns`) keeps plus their neighbours, drawn faded — sized by
    betweenness, coloured by sector. With more than ``aggregate_above`` nodes the map is :func:`aggregated`.
    """
    mg = projection(store)
    view = _view(mg, link_types)
    p = mg.network
    if sector or territory:
        s_iri, t_iri = _ids(mg, sector), _ids(mg, territory)
        kept = {n for n, d in mg.graph.nodes(data=True) if p.concerns(d["iri"], sector=s_iri, territory=t_iri)}
        context = {m for n in kept for m in view.neighbors(n)} - kept
    else:
        kept, context = set(mg.graph), set()
    nodes = sorted(kept | context)
    if len(nodes) > aggregate_above:
        return aggregated(store, sector=sector, territory=territory, link_types=link_types)
    data = _actor_map(mg, nodes, "Carte des acteurs", link_types, overlay or set(), context=context)
    if sector or territory:
        what = " et ".join(x for x in (mg.label(_ids(mg, sector)) if sector else "",
                                      mg.label(_ids(mg, territory)) if territory else "") if x)
        data.title = f"Carte des acteurs : {what}"
    return data


def ego(store, actor: str, depth: int = 1, link_types: set[str] | None = None,
        overlay: set[str] | None = None, max_nodes: int = AGGREGATE_ABOVE) -> MapData:
    """The nodes within ``depth`` (1–3) ties of ``actor``; raises KeyError if the actor is unknown."""
    mg = projection(store)
    depth = max(1, min(3, int(depth)))
    view = _view(mg, link_types)
    if actor in mg.graph:
        distance = nx.single_source_shortest_path_length(view, actor, cutoff=depth)
        label, center, notes = mg.graph.nodes[actor]["label"], actor, []
    else:
        # a collective (platform, network, project, programme) that takes part in no tie of its own is not a node
        # of the analysed graph: its members are, tied to one another; its map starts from them
        collective = _collective(mg, actor)
        members = [m for m in collective["members"] if m in view]
        distance = {m: 1 for m in members}
        for m in members:
            for n, d in nx.single_source_shortest_path_length(view, m, cutoff=depth - 1).items():
                distance[n] = min(distance.get(n, d + 1), d + 1)
        label, center = collective["label"], None
        notes = ["Ce collectif n'est pas un nœud du graphe analysé (un collectif n'y figure que s'il a lui-même un "
                 "lien) : " + (f"la carte part de ses {plural(len(members), 'membre', 'membres')}, liés entre eux."
                               if members else "aucun membre ne lui est connu dans les données.")]
    nodes = sorted(distance, key=lambda n: (distance[n], n))[:max_nodes]
    data = _actor_map(mg, nodes, f"Autour de {label}", link_types, overlay or set(), center=center, depth=distance)
    data.notes.extend(notes)
    if len(distance) > max_nodes:
        data.notes.append(plural(len(distance) - max_nodes, "nœud plus éloigné n’est pas dessiné.",
                                 "nœuds plus éloignés ne sont pas dessinés."))
    return data


def _collective(mg: MapGraph, actor: str) -> dict:
    """Label and members (short ids) of a collective that is not a node; KeyError if ``actor`` is no actor."""
    p = mg.network
    found = next((iri for iri, info in p.actor_info.items() if info.get("id") == actor), None)
    if found is None:
        raise KeyError(actor)
    members = sorted({short_id(m["member"]) for m in p.memberships if m["collective"] == found})
    return {"label": p.actor_info[found].get("label") or actor, "members": members}


def _group_place(mg: MapGraph, data: dict, level: str) -> str:
    p = mg.network
    places = data["territories"] or ([data["country"]] if data["country"] else [])
    for place in places:
        for t in p.territory_ancestors(place):
            if short_id(p.territories.get(t, {}).get("level")) in (level, f"level-{level}"):
                return t
    return data["country"] or "?"


def aggregated(store, sector: str | None = None, territory: str | None = None, link_types: set[str] | None = None,
               level: str = "province") -> MapData:
    """Sector × territory groups (territory at ``level``, else the country), sized by their number of nodes."""
    mg = projection(store)
    p = mg.network
    s_iri, t_iri = _ids(mg, sector), _ids(mg, territory)
    groups: dict[str, tuple[str, str]] = {}
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, data in mg.graph.nodes(data=True):
        if not p.concerns(data["iri"], sector=s_iri, territory=t_iri):
            continue
        key = (data["sector"], _group_place(mg, data, level))
        groups[n] = key
        members[key].append(n)
    ties: Counter = Counter()
    for x, y, data in mg.graph.edges(data=True):
        if x in groups and y in groups and groups[x] != groups[y] and _kinds(data, link_types):
            ties[tuple(sorted((groups[x], groups[y])))] += 1
    all_ties = len(ties)
    drawn = sorted(ties.items(), key=lambda item: (-item[1], item[0]))[:AGGREGATE_MAX_EDGES]
    simple = nx.Graph()
    ids = {key: f"g:{key[0] or 'none'}:{short_id(key[1])}" for key in members}
    for key in members:
        simple.add_node(ids[key], order=ids[key])
    for (a, b), count in drawn:
        simple.add_edge(ids[a], ids[b], weight=count)
    positions = _layout(simple, seed=11)
    biggest = max((len(m) for m in members.values()), default=1)
    nodes = []
    for key, actors in sorted(members.items(), key=lambda i: (-len(i[1]), i[0])):
        sector_id, place = key
        x, y = positions.get(ids[key], (0.0, 0.0))
        label = f"{mg.label(mg.iri.get(sector_id)) if sector_id else 'secteur non précisé'} · {mg.label(place)}"
        between = max((mg.metrics.get(a, {}).get("betweenness") or 0.0) for a in actors)
        nodes.append({"id": ids[key], "label": f"{label} ({len(actors)})", "sector": sector_id,
                      "territory": short_id(place), "count": len(actors), "color": sector_colour(sector_id or None),
                      "size": round(10 + 40 * math.sqrt(len(actors) / biggest), 1), "shape": "dot",
                      "url": f"/cartes?secteur={sector_id}&territoire={short_id(place)}" if sector_id else "",
                      "title": f"{label}\n{plural(len(actors), 'nœud', 'nœuds')}\n"
                               f"Intermédiarité maximale : {_fmt(between)}",
                      "x": round(x, 1), "y": round(y, 1), "broker": False, "gap": False, "isolated": False,
                      "top": True, "degree": simple.degree(ids[key])})
    edges = [{"id": f"{ids[a]}|{ids[b]}", "from": ids[a], "to": ids[b], "title": plural(count, "lien", "liens"),
              "width": round(1 + math.log2(1 + count), 2), "color": "#5c6f82", "type": "aggregate",
              "kinds": ["aggregate"], "dashes": False} for (a, b), count in drawn]
    sector_counts: Counter = Counter()
    for (sector_id, _), actors in members.items():
        sector_counts[sector_id] += len(actors)
    legend = {"sectors": [{"id": s, "label": mg.label(mg.iri.get(s)) if s else "secteur non précisé",
                           "color": sector_colour(s or None), "count": c}
                          for s, c in sorted(sector_counts.items(), key=lambda i: (-i[1], i[0]))],
              "links": [{"id": "aggregate", "label": "liens entre groupes (épaisseur : nombre)", "color": "#5c6f82",
                         "dashes": False, "count": sum(ties.values())}],
              "overlays": []}
    total = sum(len(m) for m in members.values())
    counts = {"graph_nodes": mg.graph.number_of_nodes(), "graph_ties": mg.ties, "nodes": len(nodes), "isolated": 0,
              "shown": len(nodes), "lines": len(edges), "kept": total, "context": 0}
    return MapData(title="Vue agrégée : secteurs × territoires", nodes=nodes, edges=edges, legend=legend,
                   aggregated=True, counts=counts,
                   notes=[f"{plural(total, 'nœud regroupé', 'nœuds regroupés')} en "
                          f"{plural(len(members), 'groupe', 'groupes')}."]
                   + ([f"{all_ties} paires de groupes liées : les {len(drawn)} plus fortes sont dessinées."]
                      if all_ties > len(drawn) else []))


AGGREGATE_MAX_EDGES = 1500
"""Ties between groups drawn on the aggregated map at most (the strongest; the map says how many exist)."""


# ----------------------------------------------------------------- rendering

_BASE_OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "keyboard": {"enabled": False}, "navigationButtons": False,
                    "tooltipDelay": 150, "multiselect": False},
    "nodes": {"scaling": {"label": {"drawThreshold": 1}},
              "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
              "borderWidth": 1, "color": {"border": "#222222"}},
    "edges": {"smooth": False, "color": {"inherit": False}},
    "layout": {"improvedLayout": False},
}


def to_pyvis(data: MapData):
    """A :class:`pyvis.network.Network` holding the map's nodes, edges and options (never rendered by pyvis)."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote", heading="")
    for node in data.nodes:
        extra = {k: v for k, v in node.items() if k not in ("id", "label", "shape", "color")}
        net.add_node(node["id"], label=node["label"], shape=node.get("shape", "dot"), color=node["color"], **extra)
    for edge in data.edges:
        extra = {k: v for k, v in edge.items() if k not in ("from", "to")}
        extra.setdefault("arrows", "to" if edge.get("type") == "referral" else "")
        net.add_edge(edge["from"], edge["to"], **extra)
    net.set_options(json.dumps(_BASE_OPTIONS))
    return net


def vis_payload(data: MapData) -> dict:
    """The JSON the map page hands to vis-network: nodes, edges and options (through pyvis), plus the legend."""
    nodes, edges, _heading, _height, _width, options = to_pyvis(data).get_network_data()
    options = json.loads(options) if isinstance(options, str) else options
    return {"title": data.title, "nodes": nodes, "edges": edges, "options": options, "legend": data.legend,
            "aggregated": data.aggregated, "center": data.center, "notes": data.notes, "counts": data.counts}


def json_for_script(value) -> str:
    """JSON safe to place inside ``<script type="application/json">``: ``<``, ``>``, ``&`` and U+2028/9 escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _vendor_dir() -> Path:
    """pyvis's bundled vis-network (the same files the web app serves from ``api/static/vendor``)."""
    import pyvis

    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


_STANDALONE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{css}
html,body{{margin:0;height:100%;font-family:system-ui,sans-serif}}#map{{height:92vh;border-top:1px solid #ccc}}
h1{{font-size:1.2rem;margin:.5rem 1rem}}</style></head>
<body><h1>{title}</h1><p id="map-note" style="margin:0 1rem .5rem">{note}</p>
<div id="map" role="img" aria-label="{title}"></div>
<script type="application/json" id="map-data">{payload}</script>
<script>{js}</script>
<script>(function(){{var d=JSON.parse(document.getElementById('map-data').textContent);
var data={{nodes:new vis.DataSet(d.nodes),edges:new vis.DataSet(d.edges)}};
var n=new vis.Network(document.getElementById('map'),data,d.options);
window.passeMurailleMap={{network:n,nodes:data.nodes}};n.fit();
var drawn=data.nodes.get({{filter:function(x){{return !x.hidden;}}}}).length;
document.getElementById('map').setAttribute('data-drawn',drawn);
}})();</script></body></html>
"""


def standalone_html(data: MapData, title: str | None = None) -> str:
    """One self-contained HTML file (vis-network inlined, no external URL) for notebooks and downloads."""
    import html

    vendor = _vendor_dir()
    js = (vendor / "vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = (vendor / "vis-network.css").read_text(encoding="utf-8").replace("</style", "<\\/style")
    payload = vis_payload(data)
    hidden = 0
    for node in payload["nodes"]:
        if node.get("url", "").startswith("/"):
            node.pop("url")  # relative app links mean nothing in a file
        if node.get("isolated"):  # as on the map page: actors without any tie are left out of the drawing
            node["hidden"] = True
            hidden += 1
    shown = len(payload["nodes"]) - hidden
    counts = data.counts or {}
    note = ""
    if counts.get("graph_nodes") is not None:  # the same sentence as the map page (templates/maps.html)
        note = (f"Le graphe analysé compte {plural(counts['graph_nodes'], 'nœud', 'nœuds')} (acteurs et postes) et "
                f"{plural(counts.get('graph_ties', 0), 'lien', 'liens')}. ")
    note += (f"Sur la carte : {plural(shown, 'nœud', 'nœuds')} et {plural(len(payload['edges']), 'trait', 'traits')}"
             " (un trait par paire de nœuds liés)"
             + (f" ; {plural(hidden, 'acteur isolé masqué', 'acteurs isolés masqués')} (aucun lien connu)."
                if hidden else "."))
    return _STANDALONE.format(title=html.escape(title or data.title), css=css, js=js, note=html.escape(note),
                              payload=json_for_script(payload))

