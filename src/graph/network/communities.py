"""Communities (Louvain) compared with sectors: do actors cluster by sector or by place?

Definition
----------
Communities are found by Louvain modularity maximisation on the undirected, weighted view of the
actor graph (isolated nodes excluded), then compared with the partition by primary sector:

* **adjusted Rand index** (Hubert & Arabie 1985): agreement of the two partitions on pairs of nodes,
  corrected for chance (1 identical, ≈ 0 independent);
* **normalised mutual information** (arithmetic-mean normalisation, as scikit-learn's default):
  :math:`NMI = 2 I(X;Y) / (H(X) + H(Y))`.

A low agreement means the network is organised by something else than sectors (territories,
platforms) — where cross-sector work already happens.

Engine: networkx's ``louvain_communities`` up to ``networkx_max_nodes`` nodes; beyond, igraph's C
implementation of the same algorithm (``community_multilevel``), both seeded. The indices are computed
from the contingency table (numpy); the tests check them against igraph's ``compare_communities``.

Parameters
----------
G : networkx graph
seed : int, default 0
group : str, default ``"sector"``

Returns
-------
dict
    ``engine``, ``communities`` (count), ``modularity``, ``adjusted_rand``, ``nmi``, ``largest`` (the
    biggest communities with their sector mix).

Example
-------
>>> import networkx as nx
>>> adjusted_rand([0, 0, 1, 1], [1, 1, 0, 0])
1.0

References
----------
V. D. Blondel, J.-L. Guillaume, R. Lambiotte & E. Lefebvre (2008), Fast unfolding of communities in
large networks, J. Stat. Mech. P10008.
L. Hubert & P. Arabie (1985), Comparing partitions, Journal of Classification 2:193–218.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np

from ._engine import node_index, to_igraph

__all__ = ["communities_vs_sectors", "adjusted_rand", "nmi"]

NETWORKX_MAX_NODES = 5_000


def _contingency(a, b) -> np.ndarray:
    ia = {x: i for i, x in enumerate(sorted(set(a), key=str))}
    ib = {x: i for i, x in enumerate(sorted(set(b), key=str))}
    table = np.zeros((len(ia), len(ib)))
    for x, y in zip(a, b, strict=True):
        table[ia[x], ib[y]] += 1
    return table


def adjusted_rand(a, b) -> float:
    """Adjusted Rand index of two labelings of the same items."""
    table = _contingency(a, b)
    n = table.sum()
    if n < 2:
        return 1.0

    def pairs(x):
        return (x * (x - 1) / 2).sum()

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def nmi(a, b) -> float:
    """Normalised mutual information (arithmetic normalisation) of two labelings."""
    table = _contingency(a, b)
    n = table.sum()
    if n == 0:
        return 1.0
    p = table / n
    pa, pb = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(pa, pb)[nz])).sum())
    ha = float(-(pa[pa > 0] * np.log(pa[pa > 0])).sum())
    hb = float(-(pb[pb > 0] * np.log(pb[pb > 0])).sum())
    if ha + hb == 0:
        return 1.0
    return 2 * mi / (ha + hb)


def communities_vs_sectors(G, seed: int = 0, group: str = "sector", networkx_max_nodes: int = NETWORKX_MAX_NODES,
                           largest: int = 5) -> dict:
    """Louvain communities of ``G`` and their agreement with the sector partition."""
    U = nx.Graph()
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        w = float(data.get("weight", 1.0))
        if U.has_edge(u, v):
            U[u][v]["weight"] += w
        else:
            U.add_edge(u, v, weight=w)
    if U.number_of_nodes() == 0:
        return {"engine": None, "communities": 0, "modularity": None, "adjusted_rand": None, "nmi": None,
                "nodes": 0, "largest": []}
    if U.number_of_nodes() <= networkx_max_nodes:
        engine = "networkx.louvain_communities"
        parts = [set(c) for c in nx.community.louvain_communities(U, weight="weight", seed=seed)]
    else:
        import igraph as ig

        engine = "igraph.community_multilevel"
        ig.set_random_number_generator(__import__("random").Random(seed))
        graph = to_igraph(U)
        nodes = list(U)
        clustering = graph.community_multilevel(weights="weight")
        parts = [set(nodes[i] for i in members) for members in clustering]
    modularity = nx.community.modularity(U, parts, weight="weight")
    membership = {}
    for index, part in enumerate(sorted(parts, key=lambda s: (-len(s), sorted(map(str, s))[0]))):
        for v in part:
            membership[v] = index
    order = list(node_index(U))
    sectors = [G.nodes[v].get(group) or "" for v in order]
    comms = [membership[v] for v in order]
    top = []
    for index, part in enumerate(sorted(parts, key=lambda s: (-len(s), sorted(map(str, s))[0]))[:largest]):
        mix = Counter(G.nodes[v].get(group) or "" for v in part)
        ranked = sorted(mix.items(), key=lambda item: (-item[1], item[0]))[:5]  # ties by sector, not set order
        top.append({"community": index, "size": len(part),
                    "sectors": [{"sector": s, "count": c} for s, c in ranked]})
    return {"engine": engine, "communities": len(parts), "nodes": len(order), "modularity": modularity,
            "adjusted_rand": adjusted_rand(sectors, comms), "nmi": nmi(sectors, comms), "largest": top}
