"""Articulation points and bridges: who, if they left, would cut the network.

Definition
----------
On the undirected view of the actor graph (a tie in either direction connects), an **articulation
point** is a node whose removal increases the number of connected components, and a **bridge** an
edge whose removal does. For each articulation point ``v`` this module also says how many actors its
departure would cut off: with ``c`` the size of ``v``'s component and :math:`s_1 \\ge s_2 \\ge …` the
sizes of the pieces left when ``v`` is removed,

.. math::  \\mathrm{cut\\_off}(v) = c - 1 - s_1

the number of actors no longer reachable from the largest remaining piece (the seeds' turnover worry:
« toujours devoir se représenter »). For a bridge, ``cut_off`` is the size of the smaller side.

Algorithm: one iterative depth-first search with low-links (Hopcroft & Tarjan 1973), subtree sizes
accumulated on the way back, O(n + m). Equal to networkx's ``articulation_points`` and ``bridges``
(checked by the tests).

Parameters
----------
G : networkx graph (directed graphs are read as undirected)

Returns
-------
CutResult
    ``articulation_points``: node → cut_off; ``bridges``: list of ``(u, v, cut_off)``.

Example
-------
>>> import networkx as nx
>>> r = cut_structure(nx.path_graph(4))
>>> sorted(r.articulation_points.items())
[(1, 1), (2, 1)]
>>> sorted(r.bridges)
[(0, 1, 1), (1, 2, 2), (2, 3, 1)]

References
----------
J. Hopcroft & R. Tarjan (1973), Algorithm 447: efficient algorithms for graph manipulation,
Communications of the ACM 16(6):372–378.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["cut_structure", "CutResult"]


@dataclass
class CutResult:
    articulation_points: dict = field(default_factory=dict)
    bridges: list = field(default_factory=list)


def _undirected_adjacency(G) -> dict:
    adj: dict = {v: set() for v in G}
    for u, v in G.edges():
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    return adj


def cut_structure(G) -> CutResult:
    """Articulation points and bridges of ``G`` with the number of actors each would cut off."""
    adj = _undirected_adjacency(G)
    disc: dict = {}
    low: dict = {}
    size: dict = {}
    result = CutResult()
    counter = 0
    for root in G:
        if root in disc:
            continue
        # first pass: the component, to know its size
        comp_nodes = [root]
        seen = {root}
        for node in comp_nodes:
            for nb in adj[node]:
                if nb not in seen:
                    seen.add(nb)
                    comp_nodes.append(nb)
        comp = len(comp_nodes)
        disc[root] = low[root] = counter
        counter += 1
        size[root] = 1
        pieces: dict = {root: []}
        stack = [(root, None, iter(adj[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            advanced = False
            for nb in neighbours:
                if nb == parent:
                    continue
                if nb in disc:
                    low[node] = min(low[node], disc[nb])
                else:
                    disc[nb] = low[nb] = counter
                    counter += 1
                    size[nb] = 1
                    pieces[nb] = []
                    stack.append((nb, node, iter(adj[nb])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                size[parent] += size[node]
                low[parent] = min(low[parent], low[node])
                if low[node] >= disc[parent]:
                    pieces[parent].append(size[node])
                if low[node] > disc[parent]:
                    result.bridges.append((parent, node, min(size[node], comp - size[node])))
        for node in comp_nodes:
            separated = pieces[node]
            if node == root:
                if len(separated) >= 2:
                    result.articulation_points[node] = comp - 1 - max(separated)
            elif separated:
                rest = comp - 1 - sum(separated)
                result.articulation_points[node] = comp - 1 - max([*separated, rest])
    return result
