"""The sector × sector tie matrix against expectation, and Krackhardt & Stern's E-I index.

Definition
----------
With ``G`` the directed actor graph, each node in one group (its primary sector) :math:`g(v)`,
:math:`n_a` nodes in group ``a``, ``N`` nodes and ``m`` arcs, the observed count
:math:`O_{ab} = |\\{(u, v) : g(u) = a, g(v) = b\\}|` is set against its expectation under random
mixing of the same number of arcs:

.. math::

   E_{ab} = m \\cdot \\frac{n_a (n_b - [a = b])}{N (N - 1)}

and the ratio :math:`O_{ab} / E_{ab}` (> 1: the two sectors meet more than chance would have them).

The **E-I index** (Krackhardt & Stern 1988) counts each connected pair once on the undirected view:
with ``E`` the ties between groups and ``I`` the ties within,

.. math::  EI = \\frac{E - I}{E + I} \\in [-1, 1]

(-1: every tie stays inside its sector; +1: every tie crosses). It is given for the whole graph, per
sector (ties of that sector's members), and as the value expected under random mixing,
:math:`EI_{exp} = (P_E - P_I) / (P_E + P_I)` with :math:`P_E, P_I` the numbers of possible pairs
between and within groups.

Parameters
----------
G : networkx.DiGraph
group : str, default ``"sector"``

Returns
-------
dict
    ``groups`` (sorted), ``observed``, ``expected``, ``ratio`` (nested dicts a → b → value),
    ``ei_index`` {``overall``, ``expected``, ``by_group``}.

Example
-------
>>> import networkx as nx
>>> G = nx.DiGraph([(0, 1), (1, 2)])
>>> nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b"}, "sector")
>>> sector_mixing(G)["ei_index"]["overall"]
0.0

References
----------
D. Krackhardt & R. N. Stern (1988), Informal networks and organizational crises: an experimental
simulation, Social Psychology Quarterly 51(2):123–140.
M. E. J. Newman (2003), Mixing patterns in networks, Physical Review E 67:026126.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp

from ._engine import adjacency

__all__ = ["sector_mixing", "ei_index"]


def ei_index(external: float, internal: float) -> float | None:
    """``(E - I) / (E + I)``, None when there is no tie."""
    total = external + internal
    return None if total == 0 else (external - internal) / total


def sector_mixing(G, group: str = "sector") -> dict:
    """Observed and expected tie counts between groups, their ratio and the E-I index."""
    nodes = list(G)
    g = {v: (G.nodes[v].get(group) or "") for v in nodes}
    sizes = Counter(g.values())
    groups = sorted(sizes)
    code = {name: i for i, name in enumerate(groups)}
    cl = np.array([code[g[v]] for v in nodes], dtype=np.int64)
    N, k = len(nodes), len(groups)
    A = adjacency(G, None)
    A.data = np.ones_like(A.data)
    m = int(A.nnz)
    rows = np.repeat(np.arange(N), np.diff(A.indptr))
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (cl[rows], cl[A.indices]), 1)
    observed = {a: {b: int(counts[code[a], code[b]]) for b in groups} for a in groups}
    expected, ratio = {}, {}
    for a in groups:
        expected[a], ratio[a] = {}, {}
        for b in groups:
            pairs = sizes[a] * (sizes[b] - (1 if a == b else 0))
            e = m * pairs / (N * (N - 1)) if N > 1 else 0.0
            expected[a][b] = e
            ratio[a][b] = observed[a][b] / e if e > 0 else None
    U = sp.triu(sp.csr_matrix(A + A.T), k=1).tocoo()
    same = cl[U.row] == cl[U.col]
    internal_by = np.bincount(cl[U.row][same], minlength=k)
    external_by = np.bincount(cl[U.row][~same], minlength=k) + np.bincount(cl[U.col][~same], minlength=k)
    ext, internal = int((~same).sum()), int(same.sum())
    by_group = {a: {"external": int(external_by[code[a]]), "internal": int(internal_by[code[a]]),
                    "ei_index": ei_index(int(external_by[code[a]]), int(internal_by[code[a]]))} for a in groups}
    within = sum(s * (s - 1) / 2 for s in sizes.values())
    between = N * (N - 1) / 2 - within
    return {"groups": groups, "sizes": dict(sizes), "observed": observed, "expected": expected, "ratio": ratio,
            "ei_index": {"overall": ei_index(ext, internal), "external": ext, "internal": internal,
                         "expected": ei_index(between, within), "by_group": by_group}}
