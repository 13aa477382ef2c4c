"""Referral paths between service types for a need, respecting mandate rules, explained step by step.

Definition
----------
On the service-type graph (:mod:`.projection`: type-level referrals plus actor-level referrals lifted
to the actors' types), a step ``u → v`` (one referral link) is **allowed** when:

1. ``v`` is free-access — ``pm:mandate-none`` (no mandate, free adherence) or ``pm:mandate-legal_mission``
   (a service the law opens to everyone, e.g. a CPAS) — and the referral does not itself require a
   mandate; or
2. ``v`` acts on an administrative or judicial mandate and the step comes **through a mandating
   authority**: ``u`` itself acts under a mandate (``administrative`` or ``judicial``; a judicial
   service only from a type under mandate), or ``v`` *is* the authority (some actor of type ``v`` is a
   ``pm:Authority``: families may turn to the SAJ with their consent);
3. a referral whose ``pm:conditionKind`` includes ``mandate`` is allowed only from a mandated ``u``.

Among allowed paths, **free-access services come first**: a step into a free-access type costs 1, a
step into a mandated type costs ``MANDATE_COST`` (10); a step whose stated need matches the asked need
(shared word of four letters or more, accents ignored) costs 0.1 less. Up to ``k`` cheapest simple
paths are returned (Yen's algorithm, networkx ``shortest_simple_paths``). Steps ruled out by the rules
are reported with the rule that excludes them.

Parameters
----------
projection : Projection
source, target : str — IRI, slug, label or acronym of a service type
need : str, optional
k : int, default 3

Returns
-------
dict — ``{"from", "to", "need", "paths": [{"cost", "mandated_steps", "steps": [{"from", "to", "mandate_kind",
"condition_kinds", "condition", "need", "need_matched", "referral", "why"}]}], "excluded": [...]}``

Example
-------
>>> from graph.network.projection import projection_from_rows
>>> p = projection_from_rows("demo",
...     service_types=[{"st": "amo", "mandate": "none"}, {"st": "saj", "mandate": "administrative"},
...                    {"st": "srg", "mandate": "administrative"}],
...     referrals=[{"r": "r1", "from": "amo", "to": "srg"}, {"r": "r2", "from": "amo", "to": "saj"},
...                {"r": "r3", "from": "saj", "to": "srg"}],
...     actors=[{"a": "saj-x", "kind": "authority"}], actor_types=[{"a": "saj-x", "v": "saj"}])
>>> [s["to"] for s in referral_paths(p, "amo", "srg")["paths"][0]["steps"]]
['saj', 'srg']

References
----------
Décret du 18 janvier 2018 portant le code de la prévention, de l'aide à la jeunesse et de la protection
de la jeunesse, livre Ier (art. 3–5: prévention sans mandat, libre adhésion) — seed 001, annexe.
J. Y. Yen (1971), Finding the k shortest loopless paths in a network, Management Science 17(11):712–716.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import islice

import networkx as nx

from .resolve import resolve

__all__ = ["referral_paths", "MANDATE_COST", "step_rule"]

MANDATE_COST = 10.0
FREE = ("none", "legal_mission", None)
MANDATED = ("administrative", "judicial")


def _words(text: str) -> set:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return {w for w in re.findall(r"[a-z]+", text) if len(w) >= 4}


def _authorities(p) -> set:
    out = set()
    for info in p.actor_info.values():
        if info["node_kind"] == "authority":
            out.update(info["service_types"])
    return out


def step_rule(p, u: str, v: str, referral: dict, authorities: set) -> tuple[bool, str]:
    """Whether one referral step is allowed under the mandate rules, and why (in French)."""
    mu = p.service_type_info[u].get("mandate_kind")
    mv = p.service_type_info[v].get("mandate_kind")
    lu, lv = p.label(u), p.label(v)
    needs_mandate = "mandate" in referral["condition_kinds"]
    if needs_mandate and mu not in MANDATED:
        return False, f"l'orientation exige un mandat, que {lu} ne peut pas donner"
    if mv in FREE:
        if needs_mandate:
            return True, f"sur mandat de {lu}"
        if mv == "legal_mission":
            return True, f"{lv} est ouvert à tous en vertu de sa mission légale"
        return True, f"{lv} est en accès libre, sans mandat"
    if v in authorities and mv == "administrative":
        return True, f"{lv} est l'autorité mandante : la famille peut s'y adresser (avec son accord)"
    if mv == "administrative" and mu in MANDATED:
        return True, f"{lv} intervient sur mandat : l'orientation passe par {lu}, sous mandat"
    if mv == "judicial" and (mu in MANDATED or v in authorities):
        return True, f"{lv} intervient sur décision judiciaire : l'orientation passe par {lu}"
    kind = "judiciaire" if mv == "judicial" else "administratif"
    return False, f"{lv} n'intervient que sur mandat {kind} : pas d'accès direct depuis {lu}"


def referral_paths(p, source: str, target: str, need: str | None = None, k: int = 3) -> dict:
    """The ``k`` best allowed referral paths from ``source`` to ``target`` (see the module docstring)."""
    types = p.service_type_info
    s = resolve(source, types, what="service type")
    t = resolve(target, types, what="service type")
    authorities = _authorities(p)
    wanted = _words(need or "")
    H = nx.DiGraph()
    H.add_nodes_from(types)
    excluded = []
    for u, v, data in p.service_types.edges(data=True):
        best = None
        for referral in data["referrals"]:
            ok, why = step_rule(p, u, v, referral, authorities)
            if not ok:
                excluded.append({"from": u, "to": v, "referral": referral["referral"], "why": why})
                continue
            matched = bool(wanted and wanted & _words(referral["need"]))
            mv = types[v].get("mandate_kind")
            cost = (1.0 if mv in FREE else MANDATE_COST) - (0.1 if matched else 0.0)
            if best is None or cost < best[0]:
                best = (cost, referral, why, matched)
        if best:
            H.add_edge(u, v, cost=best[0], referral=best[1], why=best[2], matched=best[3])
    paths = []
    if s == t:
        paths = [[s]]
    elif nx.has_path(H, s, t):
        paths = list(islice(nx.shortest_simple_paths(H, s, t, weight="cost"), k))
    out = []
    for path in paths:
        steps = []
        for u, v in zip(path, path[1:], strict=False):
            e = H[u][v]
            r = e["referral"]
            steps.append({"from": u, "from_label": p.label(u), "to": v, "to_label": p.label(v),
                          "mandate_kind": types[v].get("mandate_kind"),
                          "free_adherence": types[v].get("free_adherence"),
                          "condition_kinds": r["condition_kinds"], "condition": r["condition"], "need": r["need"],
                          "need_matched": e["matched"], "referral": r["referral"],
                          "lifted_from_actors": r["lifted_from_actors"], "why": e["why"]})
        out.append({"cost": round(sum(H[u][v]["cost"] for u, v in zip(path, path[1:], strict=False)), 6),
                    "mandated_steps": sum(1 for st in steps if st["mandate_kind"] in MANDATED), "steps": steps})
    note = None
    if not out:
        note = ("aucun chemin d'orientation autorisé entre ces types de service dans les données"
                + (" (des liens existent mais les règles de mandat les excluent)"
                   if nx.has_path(p.service_types, s, t) else ""))
    return {"from": {"iri": s, "label": p.label(s), "mandate_kind": types[s].get("mandate_kind")},
            "to": {"iri": t, "label": p.label(t), "mandate_kind": types[t].get("mandate_kind")},
            "need": need, "paths": out, "excluded": excluded, "note": note}
