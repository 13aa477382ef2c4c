"""The researchers' tables: every metric of the network analysis, as named tables for the page, CSV and notebooks.

One graph, said once: every table is computed on the analysed actor graph of
:func:`graph.network.projection.project` — the graph the broker and gap analyses use, the GraphML/GEXF exports
write and the maps draw (actors and posts as nodes; memberships, parent organisations, agreements between
actor parties and actor referrals as ties). :func:`research_report` gives its node and tie counts with the
tables, so the page can say them.

Each table is ``{"name", "title", "explain", "reference", "columns": [[key, French header]], "rows": [...],
"count"}``; rows hold plain values (labels, numbers, ``oui``/``non``), so the same rows serve the HTML table
and its CSV download. Filters (sector, country, territory, actor kind) keep the actors they concern
(:meth:`graph.network.projection.Projection.concerns`) and the sector-level tables the pairs involving the
sector.

References
----------
U. Brandes (2001), J. Math. Sociol. 25(2):163–177 (betweenness). R. S. Burt (1992), Structural Holes
(constraint, effective size). R. V. Gould & R. M. Fernandez (1989), Sociol. Methodol. 19:89–126 (brokerage
roles). D. Krackhardt & R. N. Stern (1988), Soc. Psychol. Q. 51(2):123–140 (E-I index). V. D. Blondel et al.
(2008), J. Stat. Mech. P10008 (Louvain). L. A. Adamic & E. Adar (2003), Soc. Netw. 25(3):211–230.
"""

from __future__ import annotations

from datetime import date

from graph.ids import entity_iri, short_id
from graph.network.gaps import gap_report
from graph.network.projection import project
from graph.network.ranking import broker_table
from graph.query.stats import against_official
from graph.vocab.labels_fr import KIND_LABELS, STATUS_LABELS

__all__ = ["research_report", "TABLE_NAMES", "ACTOR_KIND_LABELS"]

ACTOR_KIND_LABELS = KIND_LABELS
ROLE_LABELS = {"coordinator": "coordinateur", "itinerant": "itinérant", "representative": "représentant",
               "gatekeeper": "gardien", "liaison": "agent de liaison"}
TABLE_NAMES = ("brokers", "ei_index", "sector_matrix", "communities", "suggested_links", "structural_holes",
               "no_current_protocol_pairs", "protocols_to_review", "coverage_gaps", "official_counts",
               "isolated_actors")


def _yes(value) -> str:
    return "oui" if value else "non"


def _num(value, digits: int = 3):
    return None if value is None else round(float(value), digits)


def _table(name, title, explain, reference, columns, rows, count=None) -> dict:
    return {"name": name, "title": title, "explain": explain, "reference": reference,
            "columns": [list(c) for c in columns], "rows": rows, "count": len(rows) if count is None else count}


def _brokers(p, keep, top: int) -> dict:
    rows = []
    for row in broker_table(p):
        if not row["degree"] or not keep(row["iri"]):
            continue
        z = row.get("gould_fernandez_z") or {}
        best = max(ROLE_LABELS, key=lambda r: (z.get(r) or float("-inf")), default=None)
        rows.append({
            "acteur": row["label"], "id": row["iri"].rsplit("/", 1)[-1],
            "nature": ACTOR_KIND_LABELS.get(row["kind"], row["kind"]),
            "secteurs": ", ".join(p.label(s) for s in row["sectors"]),
            "intermediarite": _num(row["betweenness"], 5), "contrainte": _num(row["constraint"]),
            "taille_effective": _num(row["effective_size"], 2), "liens": row["degree"],
            "secteurs_atteints": row["sectors_reached"], "articulation": _yes(row["articulation_point"]),
            "coupes_si_depart": row["cut_off"] or 0,
            "role_principal": ROLE_LABELS.get(best, "") if best and (z.get(best) or 0) > 0 else "",
            **{f"z_{role}": _num(z.get(role), 2) for role in ROLE_LABELS},
            "score": _num(row["score"]),
        })
    return _table(
        "brokers", "Passe-murailles (courtiers)",
        "Un score qui résume cinq mesures : intermédiarité (part des plus courts chemins qui passent par l'acteur), "
        "contrainte de Burt (faible = des contacts qui ne se connaissent pas), taille effective (contacts non "
        "redondants), rôles de courtage entre secteurs de Gould et Fernandez (z : écart à ce qu'un réseau au hasard "
        "donnerait) et nombre de secteurs atteints ; « articulation » : son départ coupe le réseau.",
        "Brandes 2001 ; Burt 1992 ; Gould & Fernandez 1989",
        [("acteur", "Acteur"), ("nature", "Nature"), ("secteurs", "Secteurs"), ("score", "Score"),
         ("intermediarite", "Intermédiarité"), ("contrainte", "Contrainte"), ("taille_effective", "Taille effective"),
         ("liens", "Liens"), ("secteurs_atteints", "Secteurs atteints"), ("articulation", "Articulation"),
         ("coupes_si_depart", "Coupés si départ"), ("role_principal", "Rôle principal"),
         *((f"z_{r}", f"z {label}") for r, label in ROLE_LABELS.items())],
        rows[:top], count=len(rows))


def research_report(store, sector: str | None = None, country: str | None = None, territory: str | None = None,
                    kind: str | None = None, top: int = 25, today: date | None = None) -> dict:
    """Every research table for the filters (ids of a sector, a country, a territory; an actor kind)."""
    p = project(store)
    G = p.actors
    sector_iri = str(entity_iri("sectors", sector)) if sector else None
    country_iri = str(entity_iri("territories", country)) if country else None
    territory_iri = str(entity_iri("territories", territory)) if territory else None

    def keep(iri: str) -> bool:
        if kind and p.actor_info.get(iri, {}).get("node_kind") != kind:
            return False
        return p.concerns(iri, sector_iri, country_iri, territory_iri)

    gaps = gap_report(p, today=today or date.today(), limit=top, sector=sector_iri, country=country_iri,
                      territory=territory_iri)
    label = p.label
    ei = gaps["ei_index"]
    ei_rows = [{"secteur": label(s), "liens_internes": v["internal"], "liens_externes": v["external"],
                "indice_ei": _num(v["ei_index"])}
               for s, v in sorted(ei["by_group"].items(), key=lambda i: label(i[0])) if s
               and (not sector_iri or s == sector_iri)]
    matrix = gaps["sector_matrix"]
    groups = [g for g in matrix["groups"] if g]
    matrix_rows = [{"secteur_a": label(a), "secteur_b": label(b), "observes": matrix["observed"][a][b],
                    "attendus": _num(matrix["expected"][a][b], 2), "rapport": _num(matrix["ratio"][a][b], 2)}
                   for a in groups for b in groups if a != b
                   and (not sector_iri or sector_iri in (a, b))]
    communities = gaps["communities"]
    community_rows = [{"communaute": c["community"] + 1, "taille": c["size"],
                       "secteurs": ", ".join(f"{label(s['sector'])} ({s['count']})" for s in c["sectors"][:4])}
                      for c in communities.get("largest", [])]
    suggestion_rows = [{"acteur_a": s["source"]["label"], "acteur_b": s["target"]["label"],
                        "secteurs": " / ".join(label(x) for x in s["sectors"] if x), "score": _num(s["score"]),
                        "pourquoi": s["reason"]} for s in gaps["suggested_links"]]
    hole_rows = [{"secteur_a": h["labels"][0], "secteur_b": h["labels"][1], "franchi_par": h["spanned_by_count"],
                  "exemples": ", ".join(x["label"] for x in h["spanned_by"][:3])} for h in gaps["structural_holes"]]
    protocol_pair_rows = [{"secteur_a": x["labels"][0], "secteur_b": x["labels"][1],
                           "autres_accords": ", ".join(f"{a['label']} ({STATUS_LABELS.get(a['status'], a['status'])})"
                                                       for a in x["other_agreements"][:3])}
                          for x in gaps["no_current_protocol_pairs"]]
    review_rows = [{"accord": g["label"], "statut": STATUS_LABELS.get(g["status"], g["status"]),
                    "a_revoir_le": g.get("review_due") or "",
                    "jours_de_retard": g.get("days_overdue") or ""}
                   for g in [*gaps["stale_protocols"], *gaps["non_current_protocols"]]]
    coverage = gaps["coverage_gaps"]
    coverage_rows = [{"type_de_service": c["label"], "acteurs": c["actors"], "communes_non_couvertes":
                      c["uncovered_count"], "exemples": ", ".join(u["label"] for u in c["uncovered"][:5])}
                     for c in coverage.get("by_service_type", [])]
    official_rows = [{"territoire": o["territory"]["label"], "type_de_service": o["service_type"]["label"],
                      "nombre_officiel": o["official"], "dans_les_donnees": o["in_data"],
                      "part": o["share"], "date": o["as_of"] or "",
                      "sources": " ".join(short_id(s) for s in o["sources"])}
                     for o in against_official(store)]
    isolated_rows = [{"acteur": a["label"], "id": a["iri"].rsplit("/", 1)[-1],
                      "nature": ACTOR_KIND_LABELS.get(a["kind"], a["kind"] or ""), "secteur": label(a["sector"])
                      if a.get("sector") else ""} for a in gaps["isolated_actors"]]
    nodes = [v for v in G if keep(v)]
    return {
        "version": p.version,
        "filters": {"sector": sector, "country": country, "territory": territory, "kind": kind},
        "graph": {"nodes": G.number_of_nodes(), "ties": G.number_of_edges(),
                  "isolated": sum(1 for v in G if G.degree(v) == 0),
                  "kept": len(nodes), "kept_isolated": gaps["isolated_actors_count"]},
        "ei_overall": {"value": _num(ei["overall"]), "expected": _num(ei["expected"]),
                       "internal": ei["internal"], "external": ei["external"]},
        "communities_summary": {k: communities.get(k) for k in ("communities", "modularity", "adjusted_rand", "nmi")},
        "tables": {t["name"]: t for t in (
            _brokers(p, keep, top),
            _table("ei_index", "Ouverture des secteurs (indice E-I)",
                   "Pour chaque secteur, (liens externes − liens internes) / total : −1 = replié sur lui-même, "
                   "+1 = tourné vers les autres secteurs.", "Krackhardt & Stern 1988",
                   [("secteur", "Secteur"), ("liens_internes", "Liens internes"), ("liens_externes", "Liens externes"),
                    ("indice_ei", "Indice E-I")], ei_rows),
            _table("sector_matrix", "Liens entre secteurs : observés et attendus",
                   "Nombre de liens d'un secteur vers un autre, comparé à ce qu'une répartition au hasard des mêmes "
                   "liens donnerait (rapport < 1 : moins de liens qu'attendu).", "Krackhardt & Stern 1988",
                   [("secteur_a", "De"), ("secteur_b", "Vers"), ("observes", "Observés"), ("attendus", "Attendus"),
                    ("rapport", "Rapport")], matrix_rows),
            _table("communities", "Communautés et secteurs",
                   "Groupes d'acteurs plus liés entre eux qu'avec les autres (Louvain), comparés aux secteurs : un "
                   "indice de Rand ajusté proche de 0 veut dire que les communautés traversent les secteurs.",
                   "Blondel et al. 2008", [("communaute", "Communauté"), ("taille", "Taille"),
                                           ("secteurs", "Secteurs principaux")], community_rows),
            _table("suggested_links", "Liens suggérés entre secteurs",
                   "Paires d'acteurs de secteurs différents sans lien direct mais avec des partenaires communs, "
                   "rangées par l'indice d'Adamic–Adar (un partenaire commun peu connecté compte davantage).",
                   "Adamic & Adar 2003", [("acteur_a", "Acteur"), ("acteur_b", "Acteur"), ("secteurs", "Secteurs"),
                                          ("score", "Score"), ("pourquoi", "Pourquoi")], suggestion_rows),
            _table("structural_holes", "Trous structuraux",
                   "Paires de secteurs sans lien direct que certains acteurs relient pourtant par leurs contacts.",
                   "Burt 1992", [("secteur_a", "Secteur"), ("secteur_b", "Secteur"),
                                 ("franchi_par", "Acteurs qui les relient"), ("exemples", "Exemples")], hole_rows),
            _table("no_current_protocol_pairs", "Paires de secteurs sans protocole en vigueur",
                   "Aucun accord de statut « en vigueur » ne lie ces deux secteurs (un accord lie les secteurs de "
                   "ses parties).", "données : accords", [("secteur_a", "Secteur"), ("secteur_b", "Secteur"),
                                                           ("autres_accords", "Accords non en vigueur")],
                   protocol_pair_rows),
            _table("protocols_to_review", "Protocoles à revoir",
                   "Accords dont la date de révision est passée, ou dont le statut n'est pas « en vigueur » "
                   "(obsolète, jamais appliqué, remplacé…).", "données : accords",
                   [("accord", "Accord"), ("statut", "Statut"), ("a_revoir_le", "À revoir le"),
                    ("jours_de_retard", "Jours de retard")], review_rows),
            _table("coverage_gaps", "Communes sans service d'un type",
                   "Pour chaque type de service, les communes qu'aucun acteur de ce type ne dessert (directement "
                   "ou par un territoire englobant).", "données : territoires desservis",
                   [("type_de_service", "Type de service"), ("acteurs", "Acteurs"),
                    ("communes_non_couvertes", "Communes non couvertes"), ("exemples", "Exemples")], coverage_rows),
            _table("official_counts", "Couverture de l'annuaire face aux nombres officiels",
                   "Pour chaque type de service dont une source publique donne le nombre, combien l'annuaire en "
                   "contient sur ce territoire.", "data/official_counts.csv",
                   [("territoire", "Territoire"), ("type_de_service", "Type de service"),
                    ("nombre_officiel", "Nombre officiel"), ("dans_les_donnees", "Dans les données"), ("part", "Part"),
                    ("date", "Date"), ("sources", "Sources")], official_rows),
            _table("isolated_actors", "Acteurs isolés",
                   "Acteurs sans aucun lien dans les données : ils sont masqués par défaut sur les cartes.",
                   "données", [("acteur", "Acteur"), ("nature", "Nature"), ("secteur", "Secteur")], isolated_rows,
                   count=gaps["isolated_actors_count"]),
        )},
    }
