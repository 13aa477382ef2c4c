"""Network maps of the actors, built with pyvis and drawn by vis-network, usable offline.

One function turns the store into a :class:`MapData` (nodes, edges, legend) — :func:`overview`,
:func:`ego` or :func:`aggregated` — and two render it: :func:`vis_payload` gives the JSON the web page
hands to vis-network (built through :class:`pyvis.network.Network`, whose options and node/edge records
it keeps), :func:`standalone_html` gives one self-contained HTML file for a notebook or an e-mail
(vis-network inlined from the pyvis package, no CDN, no external URL).

The actor graph ("projection") has one node per ``pm:Actor`` and one undirected tie per:

* ``membership`` — an actor (or a post of an actor) is a member of a collective (``org:member``/``pm:collective``);
* ``parent`` — ``org:subOrganizationOf``;
* ``agreement`` — two actors are parties to the same agreement (``pm:party``);
* ``referral`` — a referral link between two actors (``pm:referralFrom``/``pm:referralTo``).

Node size is brokerage: betweenness centrality (Brandes 2001, normalised) on that graph. The "brokers"
overlay marks the top of that ranking and the articulation points; the "gaps" overlay marks actors with
no tie at all and actors with no tie outside their own sector.

Safety: labels and titles are plain text (vis-network 9 shows string titles as text); the JSON is
embedded with ``<``, ``>`` and ``&`` escaped so that no label can close a ``<script>`` element. pyvis's
own HTML template is never used (it loads CDNs, inserts the heading unescaped and switches titles to
raw HTML when one contains "href").

Layouts are computed here (networkx spring layout, seeded) and frozen (physics off), so a map draws the
same way every time and a large one costs the browser nothing; beyond ``AGGREGATE_ABOVE`` actors the
overview is aggregated into sector × territory groups.

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

from graph.network.betweenness import betweenness
from graph.network.cutpoints import cut_structure
from graph.network.projection import project
from graph.version_cache import PerVersionCache
from graph.vocab.namespaces import PMID

__all__ = [
    "MapData", "Projection", "LINK_TYPES", "SECTOR_COLOURS", "AGGREGATE_ABOVE", "projection", "overview",
    "ego", "aggregated", "vis_payload", "to_pyvis", "standalone_html", "json_for_script", "sector_colour",
]

AGGREGATE_ABOVE = 2000
"""An overview with more actors than this is drawn as sector × territory groups."""

LINK_TYPES = {
    "membership": {"label": "participation à un collectif", "color": "#5c6f82", "dashes": False},
    "parent": {"label": "organisation parente", "color": "#8c6d1f", "dashes": [2, 4]},
    "agreement": {"label": "accord ou protocole", "color": "#2b7a3d", "dashes": [8, 4]},
    "referral": {"label": "lien d'orientation", "color": "#a1306b", "dashes": False},
}
"""The kinds of tie, with their French label and line style."""

SECTOR_COLOURS = {
    "aide-jeunesse": "#1f6fb2", "aide-sociale": "#c0392b", "enseignement": "#8e44ad", "petite-enfance": "#e67e22",
    "sante": "#16a085", "sante-mentale": "#27ae60", "jeunesse": "#d35400", "police-securite": "#34495e",
    "justice": "#7f4f24", "logement": "#b7950b", "insertion": "#5d6d7e", "handicap": "#a93226",
    "pouvoirs-publics": "#2e4053", "recherche": "#117a65",
}

_PMID = str(PMID)
_PREFIX_ID = len(_PMID)
_CACHE: PerVersionCache = PerVersionCache(4)


def sector_colour(sector: str | None) -> str:
    """The colour of a sector: a fixed one for the known sectors, a stable hashed hue otherwise."""
    if not sector:
        return "#9e9e9e"
    if sector in SECTOR_COLOURS:
        return SECTOR_COLOURS[sector]
    hue = int(hashlib.sha256(sector.encode()).hexdigest()[:4], 16) / 0xFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.42, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _id(iri: str | None) -> str | None:
    if iri is None:
        return None
    if iri.startswith(_PMID):
        return iri.rsplit("/", 1)[-1]
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri


# ----------------------------------------------------------------- the projection

SECTOR_QUERY = "SELECT ?s ?broader WHERE { ?s a pm:Sector . OPTIONAL { ?s skos:broader ?broader } }"


@dataclass
class Projection:
    """The actor graph of one store version, with what the maps need to filter and label it."""

    graph: nx.MultiGraph
    labels: dict[str, str]
    """Sector and territory ids → French label."""
    territory_parent: dict[str, str]
    territory_level: dict[str, str]
    sector_broader: dict[str, str]
    betweenness: dict[str, float]
    articulation: set[str]

    def territory_chain(self, territory: str) -> list[str]:
        chain, seen = [territory], {territory}
        while (parent := self.territory_parent.get(chain[-1])) and parent not in seen:
            chain.append(parent)
            seen.add(parent)
        return chain

    def sector_chain(self, sector: str) -> list[str]:
        chain, seen = [sector], {sector}
        while (parent := self.sector_broader.get(chain[-1])) and parent not in seen:
            chain.append(parent)
            seen.add(parent)
        return chain

    def label(self, some_id: str | None) -> str:
        return self.labels.get(some_id or "", some_id or "")


def projection(store) -> Projection:
    """The actor graph of ``store`` (cached per store version)."""
    return _CACHE.get(store, _read_projection)


def _read_projection(store) -> Projection:
    """The map graph, derived from the analytics' projection (:func:`graph.network.projection.project`, one
    read of the store per version for both): actors and collectives as nodes (posts stand for their actor),
    one edge per membership, parent organisation, agreement between two actor parties, and actor referral."""

    p = project(store)
    graph, simple = nx.MultiGraph(), nx.Graph()
    ids: dict[str, str] = {}

    def sid(iri: str) -> str:
        found = ids.get(iri)
        if found is None:
            found = ids[iri] = _id(iri)
        return found

    holder = {}
    for iri, info in p.actor_info.items():
        if info["node_kind"] == "post":
            holder[iri] = info["actor"]
            continue
        node = ids[iri] = info["id"]
        graph.add_node(node, label=info["label"], kind=info["node_kind"],
                       sectors=[sid(x) for x in info["sectors"]], territories=[sid(x) for x in info["territories"]],
                       country=sid(info["country"]) if info["country"] else None)
        simple.add_node(node)

    def add(kind: str, x: str, y: str, via: str) -> None:
        x, y, via = sid(x), sid(y), sid(via)
        if x in graph and y in graph and x != y:
            graph.add_edge(x, y, key=f"{kind}:{via}", type=kind, via=via)
            simple.add_edge(x, y)

    for m in p.memberships:
        add("membership", holder.get(m["member"], m["member"]), m["collective"], m["iri"])
    for u, v, ties in p.actors.edges(data="ties"):
        for kind, via in ties:
            if kind == "parent_child" and via == u:  # the tie is stored both ways; via names the child
                add("parent", u, v, via)
    for agreement in p.agreements:
        parties = sorted(x for x in agreement["parties"] if _id(x) in graph)
        for i, x in enumerate(parties):
            for y in parties[i + 1:]:
                add("agreement", x, y, agreement["iri"])
    for referral in p.referrals:
        add("referral", referral["from"], referral["to"], referral["iri"])
    labels = {_id(iri): info["label"] for table in (p.sectors, p.territories) for iri, info in table.items()}
    parent = {_id(iri): _id(info["parent"]) for iri, info in p.territories.items() if info.get("parent")}
    level = {_id(iri): info["level"] for iri, info in p.territories.items() if info.get("level")}
    broader = {_id(r["s"]): _id(r["broader"]) for r in store.select(SECTOR_QUERY) if r.get("broader")}
    return Projection(graph, labels, parent, level, broader, _betweenness(simple), _articulation_points(simple))


AGGREGATE_MAX_EDGES = 1500
"""Ties between groups drawn on the aggregated map at most (the strongest; the map says how many exist)."""

MAP_SAMPLES = 64
"""Sources sampled for the maps' betweenness beyond the exact size (node sizes only; the broker analysis of
:mod:`graph.network.ranking` uses 1,000): at 50,000 actors the estimate takes about a second."""


def _betweenness(graph: nx.Graph) -> dict[str, float]:
    """Normalised betweenness of the map graph, by the analytics' own engine
    (:func:`graph.network.betweenness.betweenness`: igraph's Brandes, exact up to 10,000 nodes, estimated
    from :data:`MAP_SAMPLES` sampled sources beyond — Brandes & Pich 2007)."""

    if graph.number_of_edges() == 0:
        return dict.fromkeys(graph, 0.0)
    return betweenness(graph, samples=MAP_SAMPLES).values


def _articulation_points(graph: nx.Graph) -> set[str]:
    """Actors whose departure cuts the map graph (:func:`graph.network.cutpoints.cut_structure`)."""

    return set(cut_structure(graph).articulation_points)


# ----------------------------------------------------------------- map data

@dataclass
class MapData:
    """What a map shows: vis-network node and edge records, a legend, and what was left out."""

    title: str
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    legend: dict = field(default_factory=dict)
    aggregated: bool = False
    center: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"title": self.title, "nodes": self.nodes, "edges": self.edges, "legend": self.legend,
                "aggregated": self.aggregated, "center": self.center, "notes": self.notes}


def _keep_actor(proj: Projection, data: dict, sector: str | None, territory: str | None) -> bool:
    if sector and not any(sector in proj.sector_chain(s) for s in data["sectors"]):
        return False
    if territory:
        places = data["territories"] or ([data["country"]] if data["country"] else [])
        if not any(territory in proj.territory_chain(t) for t in places):
            return False
    return True


def _tie_kept(data: dict, link_types: set[str] | None) -> bool:
    return link_types is None or data["type"] in link_types


def _title(proj: Projection, node: str, data: dict, overlay_note: str = "") -> str:
    sectors = ", ".join(proj.label(s) for s in data["sectors"]) or "secteur non précisé"
    places = ", ".join(proj.label(t) for t in data["territories"]) or proj.label(data["country"]) or "—"
    lines = [data["label"], f"Secteur : {sectors}", f"Territoire : {places}",
             f"Intermédiarité : {proj.betweenness.get(node, 0.0):.3f}"]
    if overlay_note:
        lines.append(overlay_note)
    return "\n".join(lines)


def _layout(graph: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic positions (pixels): spring layout of the connected part, isolated nodes on a grid below."""
    if graph.number_of_nodes() == 0:
        return {}
    tied = [n for n in graph if graph.degree(n) > 0]
    alone = sorted((n for n in graph if graph.degree(n) == 0), key=lambda n: graph.nodes[n].get("order", n))
    positions: dict[str, tuple[float, float]] = {}
    scale = 120 * math.sqrt(max(len(tied), 1))
    if tied:
        sub = graph.subgraph(tied)
        spring = nx.spring_layout(sub, seed=seed, k=1.6 / math.sqrt(len(tied)), iterations=80)
        for n, (x, y) in spring.items():
            positions[n] = (float(x) * scale, float(y) * scale)
    columns = max(8, int(math.sqrt(len(alone) * 3)) if alone else 8)
    top = (max((y for _, y in positions.values()), default=0.0) + 140) if positions else 0.0
    left = -columns * 60 / 2
    for i, n in enumerate(alone):
        positions[n] = (left + (i % columns) * 60.0, top + (i // columns) * 60.0)
    return positions


def _actor_map(proj: Projection, nodes: list[str], title: str, link_types: set[str] | None, overlay: set[str],
               center: str | None = None, depth: dict[str, int] | None = None) -> MapData:
    keep = set(nodes)
    simple = nx.Graph()
    for n in nodes:
        simple.add_node(n, order=proj.graph.nodes[n]["label"].casefold())
    edges = []
    seen_edges = set()
    for x, y, data in proj.graph.edges(data=True):
        if x in keep and y in keep and _tie_kept(data, link_types):
            simple.add_edge(x, y)
            key = (min(x, y), max(x, y), data["type"])
            if key in seen_edges:
                continue
            seen_edges.add(key)
            style = LINK_TYPES[data["type"]]
            edges.append({"from": x, "to": y, "type": data["type"], "title": style["label"],
                          "color": style["color"], "dashes": style["dashes"], "width": 1.5})
    positions = _layout(simple)
    top = sorted((v for v in proj.betweenness.values() if v > 0), reverse=True)
    threshold = top[max(0, min(len(top) - 1, len(top) // 10))] if top else math.inf
    biggest = max((proj.betweenness.get(n, 0.0) for n in nodes), default=0.0) or 1.0
    out = []
    sector_counts: Counter = Counter()
    for n in nodes:
        data = proj.graph.nodes[n]
        sector = data["sectors"][0] if data["sectors"] else None
        sector_counts[sector] += 1
        between = proj.betweenness.get(n, 0.0)
        size = 10 + 30 * math.sqrt(between / biggest) if between else 10
        record = {"id": n, "label": data["label"], "sector": sector or "", "sectors": data["sectors"],
                  "territories": data["territories"], "kind": data.get("kind") or "",
                  "color": sector_colour(sector), "size": round(size, 1), "url": f"/acteurs/{n}",
                  "broker": False, "gap": False, "betweenness": round(between, 4), "shape": "dot"}
        notes = []
        if "brokers" in overlay and (n in proj.articulation or between >= threshold > 0):
            record.update(broker=True, shape="diamond", borderWidth=4)
            notes.append("Passe-muraille : point de passage entre secteurs"
                         + (" (point d'articulation)" if n in proj.articulation else ""))
        if "gaps" in overlay:
            neighbours = set(proj.graph.neighbors(n))
            other = {s for m in neighbours for s in proj.graph.nodes[m]["sectors"]} - set(data["sectors"])
            if not neighbours or not other:
                record.update(gap=True, shape="triangle" if not record["broker"] else record["shape"],
                              borderWidth=3, shapeProperties={"borderDashes": [4, 3]})
                notes.append("Lacune : aucun lien" if not neighbours else "Lacune : aucun lien hors de son secteur")
        if depth is not None:
            record["level"] = depth.get(n, 0)
        if n == center:
            record.update(borderWidth=5, size=max(size, 24))
        x, y = positions.get(n, (0.0, 0.0))
        record.update(x=round(x, 1), y=round(y, 1), title=_title(proj, n, data, " · ".join(notes)))
        out.append(record)
    out.sort(key=lambda r: (r["label"].casefold(), r["id"]))
    legend = {
        "sectors": [{"id": s or "", "label": proj.label(s) if s else "secteur non précisé", "color": sector_colour(s),
                     "count": c} for s, c in sorted(sector_counts.items(), key=lambda i: (-i[1], i[0] or ""))],
        "links": [{"id": k, **v, "count": sum(1 for e in edges if e["type"] == k)} for k, v in LINK_TYPES.items()],
        "overlays": sorted(overlay),
    }
    return MapData(title=title, nodes=out, edges=edges, legend=legend, center=center)


def overview(store, sector: str | None = None, territory: str | None = None, link_types: set[str] | None = None,
             overlay: set[str] | None = None, aggregate_above: int = AGGREGATE_ABOVE) -> MapData:
    """Every actor (filtered by sector, territory and link types), sized by brokerage, coloured by sector.

    With more than ``aggregate_above`` actors the map is :func:`aggregated` instead.
    """
    proj = projection(store)
    nodes = [n for n, data in proj.graph.nodes(data=True) if _keep_actor(proj, data, sector, territory)]
    if len(nodes) > aggregate_above:
        return aggregated(store, sector=sector, territory=territory, link_types=link_types)
    title = "Vue d'ensemble des acteurs"
    return _actor_map(proj, nodes, title, link_types, overlay or set())


def ego(store, actor: str, depth: int = 1, link_types: set[str] | None = None,
        overlay: set[str] | None = None, max_nodes: int = AGGREGATE_ABOVE) -> MapData:
    """The actors within ``depth`` (1–3) ties of ``actor``; raises KeyError if the actor is unknown."""
    proj = projection(store)
    if actor not in proj.graph:
        raise KeyError(actor)
    depth = max(1, min(3, int(depth)))
    view = nx.Graph()
    view.add_nodes_from(proj.graph.nodes)
    view.add_edges_from((x, y) for x, y, d in proj.graph.edges(data=True) if _tie_kept(d, link_types))
    distance = nx.single_source_shortest_path_length(view, actor, cutoff=depth)
    nodes = sorted(distance, key=lambda n: (distance[n], n))[:max_nodes]
    data = _actor_map(proj, nodes, f"Autour de {proj.graph.nodes[actor]['label']}", link_types, overlay or set(),
                      center=actor, depth=distance)
    if len(distance) > max_nodes:
        data.notes.append(f"{len(distance) - max_nodes} acteurs plus éloignés ne sont pas dessinés.")
    return data


def _group_place(proj: Projection, data: dict, level: str) -> str:
    places = data["territories"] or ([data["country"]] if data["country"] else [])
    for place in places:
        for t in proj.territory_chain(place):
            if proj.territory_level.get(t) == level:
                return t
    return data["country"] or "?"


def aggregated(store, sector: str | None = None, territory: str | None = None, link_types: set[str] | None = None,
               level: str = "province") -> MapData:
    """Sector × territory groups (territory at ``level``, else the country), sized by their number of actors.

    The layout is computed here and frozen: the browser draws it without simulating physics.
    """
    proj = projection(store)
    groups: dict[str, tuple[str, str]] = {}
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, data in proj.graph.nodes(data=True):
        if not _keep_actor(proj, data, sector, territory):
            continue
        key = (data["sectors"][0] if data["sectors"] else "", _group_place(proj, data, level))
        groups[n] = key
        members[key].append(n)
    ties: Counter = Counter()
    for x, y, data in proj.graph.edges(data=True):
        if x in groups and y in groups and groups[x] != groups[y] and _tie_kept(data, link_types):
            ties[tuple(sorted((groups[x], groups[y])))] += 1
    all_ties = len(ties)
    drawn = sorted(ties.items(), key=lambda item: (-item[1], item[0]))[:AGGREGATE_MAX_EDGES]
    simple = nx.Graph()
    ids = {key: f"g:{key[0] or 'none'}:{key[1]}" for key in members}
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
        label = f"{proj.label(sector_id) if sector_id else 'secteur non précisé'} · {proj.label(place)}"
        between = max(proj.betweenness.get(a, 0.0) for a in actors)
        nodes.append({"id": ids[key], "label": f"{label} ({len(actors)})", "sector": sector_id,
                      "territory": place, "count": len(actors), "color": sector_colour(sector_id or None),
                      "size": round(10 + 40 * math.sqrt(len(actors) / biggest), 1), "shape": "dot",
                      "url": f"/cartes?secteur={sector_id}&territoire={place}" if sector_id else "",
                      "title": f"{label}\n{len(actors)} acteurs\nIntermédiarité maximale : {between:.3f}",
                      "x": round(x, 1), "y": round(y, 1), "broker": False, "gap": False})
    edges = [{"from": ids[a], "to": ids[b], "title": f"{count} liens", "width": round(1 + math.log2(1 + count), 2),
              "color": "#5c6f82", "type": "aggregate", "dashes": False} for (a, b), count in drawn]
    sector_counts = Counter()
    for (sector_id, _), actors in members.items():
        sector_counts[sector_id] += len(actors)
    legend = {"sectors": [{"id": s, "label": proj.label(s) if s else "secteur non précisé",
                           "color": sector_colour(s or None), "count": c}
                          for s, c in sorted(sector_counts.items(), key=lambda i: (-i[1], i[0]))],
              "links": [{"id": "aggregate", "label": "liens entre groupes (épaisseur = nombre)", "color": "#5c6f82",
                         "dashes": False, "count": sum(ties.values())}],
              "overlays": []}
    total = sum(len(m) for m in members.values())
    return MapData(title="Vue agrégée : secteurs × territoires", nodes=nodes, edges=edges, legend=legend,
                   aggregated=True, notes=[f"{total} acteurs regroupés en {len(members)} groupes."]
                   + ([f"{all_ties} paires de groupes liées : les {len(drawn)} plus fortes sont dessinées."]
                      if all_ties > len(drawn) else []))


# ----------------------------------------------------------------- rendering

_BASE_OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "keyboard": {"enabled": False}, "navigationButtons": False,
                    "tooltipDelay": 150, "multiselect": False},
    "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
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
            "aggregated": data.aggregated, "center": data.center, "notes": data.notes}


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
<body><h1>{title}</h1><div id="map" role="img" aria-label="{title}"></div>
<script type="application/json" id="map-data">{payload}</script>
<script>{js}</script>
<script>(function(){{var d=JSON.parse(document.getElementById('map-data').textContent);
var data={{nodes:new vis.DataSet(d.nodes),edges:new vis.DataSet(d.edges)}};
var n=new vis.Network(document.getElementById('map'),data,d.options);
n.fit();}})();</script></body></html>
"""


def standalone_html(data: MapData, title: str | None = None) -> str:
    """One self-contained HTML file (vis-network inlined, no external URL) for notebooks and downloads."""
    import html

    vendor = _vendor_dir()
    js = (vendor / "vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = (vendor / "vis-network.css").read_text(encoding="utf-8").replace("</style", "<\\/style")
    payload = vis_payload(data)
    for node in payload["nodes"]:
        if node.get("url", "").startswith("/"):
            node.pop("url")  # relative app links mean nothing in a file
    return _STANDALONE.format(title=html.escape(title or data.title), css=css, js=js,
                              payload=json_for_script(payload))
