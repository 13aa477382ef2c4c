"""« Who are the passe-murailles here? » — one explained ranking of brokers.

Definition
----------
Every actor or post with at least one tie gets five percentile ranks :math:`r \\in (0, 1]` among the
connected nodes (ties share their average rank):

* ``betweenness`` — how many shortest paths go through it (:mod:`.betweenness`);
* ``cross_sector_brokerage`` — Gould–Fernandez two-paths it brokers between different sectors:
  itinerant + representative + gatekeeper + liaison (:mod:`.brokerage`);
* ``openness`` — the inverse rank of Burt's constraint (low constraint = contacts that do not know each
  other, :mod:`.constraint`);
* ``effective_size`` — non-redundant contacts;
* ``sectors_reached`` — number of distinct sectors among its neighbours, its own included.

.. math::  \\mathrm{score}(v) = \\tfrac{1}{5}\\,(r_{bet} + r_{gf} + r_{open} + r_{eff} + r_{sect})

Each row says why, in words (French, the users' language), from the values themselves: a high
betweenness, cross-sector roles, an open network, an articulation point (and how many actors its
departure would cut off), a post whose function is to bridge sectors (``pm:crossSector``).

Parameters
----------
projection : Projection
betweenness options : ``exact_max_nodes``, ``samples`` (see :mod:`.betweenness`)

Returns
-------
list of dict
    One row per node of the actor graph (isolated nodes last, score 0), sorted by score:
    ``iri, label, sector, sectors, kind, betweenness, betweenness_stderr, constraint, effective_size,
    articulation_point, cut_off, gould_fernandez{…}, gould_fernandez_z{…}, sectors_reached, score,
    rank, reasons``.

Example
-------
>>> from graph.network.projection import projection_from_rows
>>> p = projection_from_rows("demo", actors=[
...     {"a": n, "label": n, "kind": "service", "country": "be"} for n in "abc"],
...     actor_sectors=[{"a": "a", "v": "s1"}, {"a": "b", "v": "s2"}, {"a": "c", "v": "s3"}],
...     referrals=[{"r": "r1", "from": "a", "to": "b"}, {"r": "r2", "from": "b", "to": "c"}])
>>> broker_rows(p)[0]["label"]
'b'

References
----------
R. S. Burt (2005), Brokerage and Closure, Oxford University Press.
R. V. Gould & R. M. Fernandez (1989), Sociological Methodology 19:89–126.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.stats import rankdata

from graph.vocab.labels_fr import decimal_fr

from ._engine import nan_to_none
from .betweenness import EXACT_MAX_NODES, betweenness
from .brokerage import KEYS, gould_fernandez
from .constraint import burt
from .cutpoints import cut_structure

__all__ = ["broker_analysis", "broker_rows", "broker_table"]


def broker_analysis(projection, exact_max_nodes: int = EXACT_MAX_NODES, samples: int = 1000,
                    timings: dict | None = None) -> dict:
    """Every broker metric on the projection's actor graph, cached on the projection."""
    return projection.cached(("brokers", exact_max_nodes, samples),
                             lambda: _broker_analysis(projection, exact_max_nodes, samples, timings))


def _broker_analysis(projection, exact_max_nodes: int, samples: int, timings: dict | None) -> dict:
    G = projection.actors
    times = timings if timings is not None else {}

    def timed(name, fn):
        started = time.perf_counter()
        value = fn()
        times[name] = time.perf_counter() - started
        return value

    bet = timed("betweenness", lambda: betweenness(G, exact_max_nodes=exact_max_nodes, samples=samples))
    cons, eff = timed("constraint_effective_size", lambda: burt(G))
    cuts = timed("articulation_points_bridges", lambda: cut_structure(G))
    gf = timed("gould_fernandez", lambda: gould_fernandez(G, "sector"))
    return {"betweenness": bet, "constraint": cons, "effective_size": eff, "cuts": cuts, "gould_fernandez": gf,
            "timings": times}


def _percentiles(values: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return values
    return rankdata(values, method="average") / len(values)


def broker_table(projection) -> list[dict]:
    """:func:`broker_rows` with the default settings, computed once per projection (what the API and the
    server's warm-up share)."""
    return projection.cached("broker_rows", lambda: broker_rows(projection))


def broker_rows(projection, exact_max_nodes: int = EXACT_MAX_NODES, samples: int = 1000) -> list[dict]:
    """The ranked, explained broker table (see the module docstring)."""
    analysis = broker_analysis(projection, exact_max_nodes, samples)
    G = projection.actors
    bet, cons, eff = analysis["betweenness"], analysis["constraint"], analysis["effective_size"]
    aps, gf = analysis["cuts"].articulation_points, analysis["gould_fernandez"]
    nodes = list(G)
    reached = {}
    for v in nodes:
        sectors = {G.nodes[v].get("sector")}
        for u in set(G.successors(v)) | set(G.predecessors(v)):
            sectors.add(G.nodes[u].get("sector"))
        sectors.discard("")
        sectors.discard(None)
        reached[v] = len(sectors)
    connected = [v for v in nodes if G.degree(v) > 0]
    scores = {v: 0.0 for v in nodes}
    if connected:
        cols = {
            "bet": np.array([bet.values[v] for v in connected]),
            "gf": np.array([gf.raw[v]["total"] - gf.raw[v]["coordinator"] for v in connected], dtype=float),
            "open": -np.nan_to_num(np.array([cons[v] for v in connected]), nan=np.inf),
            "eff": np.nan_to_num(np.array([eff[v] for v in connected]), nan=0.0),
            "sect": np.array([reached[v] for v in connected], dtype=float),
        }
        total = sum(_percentiles(col) for col in cols.values()) / len(cols)
        scores.update(dict(zip(connected, total.tolist(), strict=True)))
    n_conn = max(1, len(connected))
    bet_rank = dict(zip(connected, _percentiles(cols["bet"]).tolist(), strict=True)) if connected else {}
    rows = []
    for v in nodes:
        data = G.nodes[v]
        raw, z = gf.raw[v], gf.z[v]
        row = {
            "iri": v, "label": data.get("label", v), "sector": data.get("sector", ""),
            "sectors": list(data.get("sectors", ())), "kind": data.get("node_kind", ""),
            "country": data.get("country", ""),
            "betweenness": bet.values[v],
            "betweenness_stderr": None if bet.exact else bet.stderr[v],
            "constraint": nan_to_none(cons[v]), "effective_size": nan_to_none(eff[v]),
            "articulation_point": v in aps, "cut_off": aps.get(v, 0),
            "gould_fernandez": dict(raw), "gould_fernandez_z": {k: nan_to_none(z[k]) for k in KEYS},
            "sectors_reached": reached[v], "degree": G.degree(v), "score": round(scores[v], 6),
        }
        row["reasons"] = _reasons(projection, row, bet_rank.get(v, 0.0), n_conn)
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], -r["betweenness"], r["iri"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def _reasons(projection, row: dict, bet_pct: float, n_conn: int) -> list[dict]:
    reasons = []
    data = projection.actors.nodes[row["iri"]]
    if row["degree"] == 0:
        return [{"code": "isolated", "text": "aucun lien connu dans les données (acteur isolé)"}]
    if row["betweenness"] > 0 and bet_pct >= 0.9:
        shown = decimal_fr(row["betweenness"], 3, significant=True)
        reasons.append({"code": "betweenness", "value": row["betweenness"],
                        "text": f"sur de nombreux plus courts chemins (intermédiarité {shown}, "
                                f"top {max(1, round((1 - bet_pct) * 100))} %)"})
    raw = row["gould_fernandez"]
    cross = {k: raw[k] for k in ("liaison", "gatekeeper", "representative", "itinerant") if raw[k]}
    if cross:
        names = {"liaison": "agent de liaison", "gatekeeper": "gardien", "representative": "représentant",
                 "itinerant": "itinérant"}
        parts = ", ".join(f"{names[k]} {v}" for k, v in sorted(cross.items(), key=lambda kv: -kv[1]))
        reasons.append({"code": "cross_sector_brokerage", "value": sum(cross.values()),
                        "text": f"relie des secteurs qui ne se parlent pas directement ({parts})"})
    if row["sectors_reached"] >= 3:
        reasons.append({"code": "sectors_reached", "value": row["sectors_reached"],
                        "text": f"en lien avec {row['sectors_reached']} secteurs"})
    if row["constraint"] is not None and row["constraint"] < 0.5 and row["degree"] >= 3:
        reasons.append({"code": "open_network", "value": row["constraint"],
                        "text": f"réseau ouvert : ses contacts ne se connaissent pas entre eux "
                                f"(contrainte {decimal_fr(row['constraint'], 2)})"})
    if row["articulation_point"]:
        reasons.append({"code": "articulation_point", "value": row["cut_off"],
                        "text": f"point d'articulation : son départ couperait {row['cut_off']} acteur(s) du reste "
                                f"du réseau"})
    if data.get("node_kind") == "post" and data.get("cross_sector"):
        label = projection.functions.get(data.get("function"), {}).get("label", "")
        reasons.append({"code": "cross_sector_function", "value": True,
                        "text": f"fonction dont la mission est de relier les secteurs ({label})"})
    return reasons
