"""Export of the analysed actor graph to GraphML and GEXF (Gephi, igraph, R, pandas).

Definition
----------
The file holds exactly the directed actor graph that ``passe-muraille brokers`` analyses
(:mod:`.projection`): same nodes, identified by their IRI, same directed edges. Node attributes are
scalars: ``label``, ``sector`` (primary sector IRI, the partition of the broker analysis), ``sectors``,
``service_types``, ``mandate_kinds``, ``territories`` (``|``-joined IRIs), ``kind``, ``country``,
``function`` and ``actor`` (posts). Edge attributes: ``weight`` (number of ties) and ``kinds``
(``|``-joined tie kinds).

Parameters
----------
G : networkx.DiGraph — the projection's actor graph
path : str or Path
fmt : ``"graphml"`` or ``"gexf"``

Returns
-------
dict — ``{"format", "out", "nodes", "edges"}``

Example
-------
>>> import networkx as nx, tempfile, os
>>> G = nx.DiGraph([("a", "b")]); nx.set_node_attributes(G, "s", "sector")
>>> out = os.path.join(tempfile.mkdtemp(), "g.graphml")
>>> export_graph(G, out, "graphml")["edges"]
1

References
----------
GraphML: http://graphml.graphdrawing.org/ · GEXF 1.2: https://gexf.net/
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

__all__ = ["export_graph", "scalar_graph", "FORMATS"]

FORMATS = ("graphml", "gexf")
NODE_KEYS = ("label", "sector", "sectors", "service_types", "mandate_kinds", "territories", "country", "function",
             "actor")


def scalar_graph(G) -> nx.DiGraph:
    """A copy of ``G`` with only scalar attributes (what GraphML and GEXF can hold)."""
    H = nx.DiGraph()
    for v, data in G.nodes(data=True):
        attrs = {"kind": str(data.get("node_kind", ""))}
        for key in NODE_KEYS:
            value = data.get(key)
            if value is None:
                value = ""
            if isinstance(value, list | tuple):
                value = "|".join(str(x) for x in value)
            attrs[key] = str(value)
        attrs["label"] = attrs["label"] or str(v)
        H.add_node(str(v), **attrs)
    for u, v, data in G.edges(data=True):
        H.add_edge(str(u), str(v), weight=float(data.get("weight", 1.0)), kinds="|".join(data.get("kinds", ())))
    return H


def export_graph(G, path, fmt: str = "graphml") -> dict:
    """Write ``G`` to ``path`` as GraphML or GEXF (see the module docstring)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    H = scalar_graph(G)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(H, path)
    else:
        nx.write_gexf(H, path)
    return {"format": fmt, "out": str(path), "nodes": H.number_of_nodes(), "edges": H.number_of_edges()}
