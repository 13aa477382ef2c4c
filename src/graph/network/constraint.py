"""Burt's constraint and effective size: how redundant, how closed an actor's contacts are.

Definition
----------
With :math:`a_{ij}` the weight of the tie ``i → j``, the mutual weight is
:math:`w_{ij} = a_{ij} + a_{ji}` and the proportional tie strength
:math:`p_{ij} = w_{ij} / \\sum_{k} w_{ik}`. For a node ``i`` with neighbours :math:`N(i)` (in or out):

.. math::

   C_i = \\sum_{j \\in N(i)} \\Big(p_{ij} + \\sum_{q \\in N(i)} p_{iq}\\, p_{qj}\\Big)^2

   E_i = \\sum_{j \\in N(i)} \\Big(1 - \\sum_{q \\in N(i)} p_{iq}\\, m_{jq}\\Big),
   \\qquad m_{jq} = \\frac{w_{jq}}{\\max_k w_{jk}}

Low constraint and a large effective size mark a broker spanning structural holes; a closed
triangle has constraint 1.125 at each corner. Both equal networkx's ``constraint`` and
``effective_size`` (directed, weighted) and igraph's ``constraint``, except that networkx leaves a node
with incoming ties only undefined (it tests ``len(G[v]) == 0``, successors only); here only an
isolated node is undefined (NaN), as in igraph and in Burt's definition.

Engine: scipy sparse matrices; the two-step sums are computed only on existing ties
(:func:`graph.network._engine.masked_product`), so the cost is that of counting triangles.

Parameters
----------
G : networkx graph (directed or not)
weight : str or None, default ``"weight"``

Returns
-------
dict
    node → value (NaN for isolated nodes).

Example
-------
>>> import networkx as nx
>>> round(constraint(nx.complete_graph(3))[0], 3)
1.125
>>> effective_size(nx.star_graph(3))[0]
3.0

References
----------
R. S. Burt (1992), Structural Holes: The Social Structure of Competition, Harvard University Press.
S. P. Borgatti (1997), Structural holes: unpacking Burt's redundancy measures, Connections 20(1):35–38.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._engine import adjacency, masked_product

__all__ = ["constraint", "effective_size", "burt"]


def _mutual(G, weight):
    A = adjacency(G, weight)
    M = sp.csr_matrix(A + A.T) if G.is_directed() else A
    M.setdiag(0)
    M.eliminate_zeros()
    return M


def burt(G, weight: str | None = "weight") -> tuple[dict, dict]:
    """``(constraint, effective_size)`` of every node, computed together."""
    nodes = list(G)
    if not nodes:
        return {}, {}
    M = _mutual(G, weight)
    strength = np.asarray(M.sum(axis=1)).ravel()
    isolated = strength == 0
    inv = np.divide(1.0, strength, out=np.zeros_like(strength), where=~isolated)
    P = sp.csr_matrix(sp.diags(inv) @ M)
    B = M.copy()
    B.data = np.ones_like(B.data)
    # constraint: sum over neighbours j of (p_ij + (P @ P)_ij)^2
    PP = masked_product(P, P, B)
    S = sp.csr_matrix(P + PP)
    cons = np.asarray(S.multiply(S).sum(axis=1)).ravel()
    # effective size: deg_i - sum_q p_iq * sum_{j in N(i)} m_jq
    rowmax = np.asarray(M.max(axis=1).todense()).ravel()
    invmax = np.divide(1.0, rowmax, out=np.zeros_like(rowmax), where=rowmax > 0)
    Mx = sp.csr_matrix(sp.diags(invmax) @ M)
    R = masked_product(B, Mx, B)
    redundancy = np.asarray(P.multiply(R).sum(axis=1)).ravel()
    degree = np.diff(B.indptr).astype(float)
    eff = degree - redundancy
    cons[isolated] = np.nan
    eff[isolated] = np.nan
    return dict(zip(nodes, cons.tolist(), strict=True)), dict(zip(nodes, eff.tolist(), strict=True))


def constraint(G, weight: str | None = "weight") -> dict:
    """Burt's constraint of every node (see the module docstring)."""
    return burt(G, weight)[0]


def effective_size(G, weight: str | None = "weight") -> dict:
    """Burt's effective size of every node (see the module docstring)."""
    return burt(G, weight)[1]
