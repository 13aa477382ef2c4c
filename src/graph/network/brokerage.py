"""Gould–Fernandez brokerage roles relative to a partition (here: sectors).

Definition
----------
Node ``j`` brokers the two-path ``i → j → k`` when ``i ≠ k``, ``i ≠ j ≠ k`` and there is no edge
``i → k``. With ``g(·)`` the group (sector) of a node, the two-path is counted in one role of ``j``:

==================  ==================  =====================================
role                sna column          groups
==================  ==================  =====================================
coordinator         ``w_I``             g(i) = g(j) = g(k)
itinerant           ``w_O``             g(i) = g(k) ≠ g(j)
representative      ``b_IO``            g(i) = g(j) ≠ g(k)
gatekeeper          ``b_OI``            g(i) ≠ g(j) = g(k)
liaison             ``b_O``             g(i), g(j), g(k) all different
==================  ==================  =====================================

The raw counts are those of R ``sna::brokerage`` (C routine ``brokerage_R``). Expected values and
standard deviations are sna's, under a Bernoulli graph of density :math:`d = m / (N(N-1))`
(``m`` arcs, ``N`` nodes, :math:`n_g` nodes in group ``g``). For a broker of group ``g``:

.. math::

   E[w_I] = d^2(1-d)(n_g-1)(n_g-2) \\qquad
   E[w_O] = d^2(1-d)\\sum_{h \\ne g} n_h(n_h-1) \\qquad
   E[b_{IO}] = E[b_{OI}] = d^2(1-d)(N-n_g)(n_g-1)

   E[b_O] = d^2(1-d)\\Big(\\big(\\sum_{h \\ne g} n_h\\big)^2 - \\sum_{h \\ne g} n_h^2\\Big) \\qquad
   E[t] = d^2(1-d)(N-1)(N-2)

with sna's variances (see :func:`expectations`); ``z = (raw - E) / sd``.

Engine: scipy sparse matrices. The two-paths through ``j`` are counted per role from in- and
out-degrees by group; the closed ones (``i → k`` present) are removed using products of the adjacency
matrix restricted to existing edges (:func:`graph.network._engine.masked_product`). The tests check
the counts against a brute-force enumeration written from sna's C code.

Parameters
----------
G : networkx.DiGraph
group : str or callable, default ``"sector"``
    Node attribute (or function of the node) giving its group.

Returns
-------
BrokerageResult
    ``raw``, ``expected``, ``sd``, ``z``: node → dict of the six keys ``coordinator``, ``itinerant``,
    ``representative``, ``gatekeeper``, ``liaison``, ``total``; ``density``, ``group_sizes``.

Example
-------
>>> import networkx as nx
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(G, {"a": "x", "b": "y", "c": "y"}, "sector")
>>> gould_fernandez(G).raw["b"]["gatekeeper"]
1

References
----------
R. V. Gould & R. M. Fernandez (1989), Structures of mediation: a formal approach to brokerage in
transaction networks, Sociological Methodology 19:89–126.
C. T. Butts, sna: Tools for Social Network Analysis, R package, function ``brokerage``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from math import comb, sqrt

import numpy as np
import scipy.sparse as sp

from ._engine import adjacency, masked_product

__all__ = ["gould_fernandez", "BrokerageResult", "ROLES", "KEYS", "expectations"]

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
KEYS = (*ROLES, "total")


@dataclass
class BrokerageResult:
    raw: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)
    sd: dict = field(default_factory=dict)
    z: dict = field(default_factory=dict)
    density: float = 0.0
    group_sizes: dict = field(default_factory=dict)


def _group_of(G, group):
    if callable(group):
        return {v: group(v) for v in G}
    return {v: G.nodes[v].get(group) for v in G}


def raw_counts(G, group="sector") -> tuple[list, np.ndarray]:
    """The nodes and an ``n × 6`` array of raw counts (columns in :data:`KEYS` order)."""
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return nodes, np.zeros((0, 6))
    groups = _group_of(G, group)
    labels = {g: i for i, g in enumerate(sorted({str(x) for x in groups.values()}))}
    cl = np.array([labels[str(groups[v])] for v in nodes], dtype=np.int64)
    A = adjacency(G, None)
    A.data = np.ones_like(A.data)
    A = sp.csr_matrix(A)
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    cols = A.indices
    same_edge = cl[rows] == cl[cols]
    S = sp.csr_matrix((same_edge.astype(float), (rows, cols)), shape=(n, n))
    S.eliminate_zeros()
    D = sp.csr_matrix(A - S)
    onehot = sp.csr_matrix((np.ones(n), (np.arange(n), cl)), shape=(n, len(labels)))
    out_deg = np.asarray(A.sum(axis=1)).ravel()
    in_deg = np.asarray(A.sum(axis=0)).ravel()
    out_same = np.asarray(S.sum(axis=1)).ravel()
    in_same = np.asarray(S.sum(axis=0)).ravel()
    recip = sp.csr_matrix(A.multiply(A.T))
    r_all = np.asarray(recip.sum(axis=1)).ravel()
    r_same = np.asarray(recip.multiply(S).sum(axis=1)).ravel()
    in_by = sp.csr_matrix(A.T @ onehot)
    out_by = sp.csr_matrix(A @ onehot)
    matched = np.asarray(in_by.multiply(out_by).sum(axis=1)).ravel()
    # every two-path i -> j -> k with i != k, by role of j
    coord = in_same * out_same - r_same
    rep = in_same * (out_deg - out_same)
    gate = (in_deg - in_same) * out_same
    itin = (matched - in_same * out_same) - (r_all - r_same)
    total = in_deg * out_deg - r_all
    liaison = total - coord - rep - gate - itin
    # minus the closed ones (i -> k present), counted on the edges i -> j
    KA = masked_product(A, A.T, A)
    KJ = masked_product(A, S.T, A)
    KI = masked_product(S, A.T, A)

    def colsum(matrix):
        return np.asarray(matrix.sum(axis=0)).ravel()

    c_coord = colsum(KJ.multiply(S))
    c_rep = colsum((KA - KJ).multiply(S))
    c_gate = colsum(KJ.multiply(D))
    c_itin = colsum(KI.multiply(D))
    c_liaison = colsum((KA - KJ - KI).multiply(D))
    counts = np.vstack([coord - c_coord, itin - c_itin, rep - c_rep, gate - c_gate, liaison - c_liaison]).T
    counts = np.rint(counts)
    return nodes, np.hstack([counts, counts.sum(axis=1, keepdims=True)])


def expectations(N: int, m: int, sizes: dict) -> dict:
    """sna's expected values and standard deviations of the six counts, per group: group → (E, sd)."""
    N = float(N)
    d = m / (N * (N - 1)) if N > 1 else 0.0
    base = d * d * (1 - d)
    k3 = d ** 3 * (1 - d) ** 3
    out = {}
    n_all = {g: float(s) for g, s in sizes.items()}
    for g, ng in n_all.items():
        others = [x for h, x in n_all.items() if h != g]
        e = [0.0] * 6
        v = [0.0] * 6
        e[0] = base * (ng - 1) * (ng - 2)
        v[0] = e[0] * (1 - base) + 2 * (ng - 1) * (ng - 2) * (ng - 3) * k3
        e[1] = base * sum(x * (x - 1) for x in others)
        v[1] = e[1] * (1 - base) + 2 * sum(x * (x - 1) * (x - 2) for x in others) * k3
        e[2] = base * (N - ng) * (ng - 1)
        v[2] = e[2] * (1 - base) + 2 * ((ng - 1) * _choose(N - ng, 2) + (N - ng) * _choose(ng - 1, 2)) * k3
        e[3], v[3] = e[2], v[2]
        e[4] = base * (sum(others) ** 2 - sum(x * x for x in others))
        v[4] = e[4] * (1 - base) + 4 * sum(x * _choose(N - x - ng, 2) * k3 for x in others)
        e[5] = base * (N - 1) * (N - 2)
        v[5] = e[5] * (1 - base) + 2 * (N - 1) * (N - 2) * (N - 3) * k3
        out[g] = (e, [sqrt(max(x, 0.0)) for x in v])
    return out


def _choose(x: float, k: int) -> float:
    if x < k:
        return 0.0
    if float(x).is_integer():
        return float(comb(int(x), k))
    return x * (x - 1) / 2.0


def gould_fernandez(G, group="sector") -> BrokerageResult:
    """Raw Gould–Fernandez counts, sna's expectations and z-scores for every node of ``G``."""
    nodes, counts = raw_counts(G, group)
    groups = _group_of(G, group)
    sizes = Counter(str(groups[v]) for v in nodes)
    m = sum(1 for u, v in G.edges() if u != v)
    moments = expectations(len(nodes), m, sizes)
    N = len(nodes)
    result = BrokerageResult(density=(m / (N * (N - 1)) if N > 1 else 0.0), group_sizes=dict(sizes))
    for i, v in enumerate(nodes):
        e, sd = moments[str(groups[v])]
        result.raw[v] = {k: int(counts[i, c]) for c, k in enumerate(KEYS)}
        result.expected[v] = dict(zip(KEYS, e, strict=True))
        result.sd[v] = dict(zip(KEYS, sd, strict=True))
        result.z[v] = {k: ((counts[i, c] - e[c]) / sd[c] if sd[c] > 0 else float("nan"))
                       for c, k in enumerate(KEYS)}
    return result
