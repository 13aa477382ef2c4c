"""Écrit les quatre carnets (.ipynb) à partir des cellules ci-dessous, sans sorties.

    .venv/bin/python notebooks/fabriquer.py

Les carnets sont la référence pour les chercheurs ; ce script sert seulement à les garder lisibles
dans l'historique (une cellule = une chaîne ci-dessous). Les tests (tests/notebooks/) les exécutent.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

OUVERTURE = '''\
%matplotlib inline
import json, os, tempfile
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from graph.store import open_store

# Le magasin : PASSE_MURAILLE_STORE (répertoire d'un `passe-muraille build`), sinon var/store/ ;
# PASSE_MURAILLE_ENDPOINT pour lire un point SPARQL distant à la place.
store = open_store()
print("magasin", type(store).__name__, "version", store.version)
pd.set_option("display.max_colwidth", 80)
RESUME = {}
'''

FERMETURE = '''\
# Résumé lisible par les tests (et par vous) : ce que ce carnet a trouvé sur ces données.
print(json.dumps(RESUME, ensure_ascii=False, indent=1, default=str))
'''


def cells_brokers():
    return [
        new_markdown_cell("""# Qui sont les passe-murailles ?

Les séminaires des Assises (amorce 001) appellent « passe-murailles » et « traducteurs de la complexité » les
personnes et services qui relient des secteurs qui ne se parlent pas. Ce carnet les cherche dans le graphe des
acteurs (organisations, services, autorités, postes) reliés par orientation, accord, participation commune à une
plateforme ou un projet, et rattachement à une organisation parente :

* **intermédiarité** (Brandes 2001) : part des plus courts chemins qui passent par l'acteur ;
* **contrainte** et **taille effective** de Burt (1992) : un réseau ouvert, dont les contacts ne se connaissent pas ;
* **rôles de courtage de Gould et Fernandez** (1989) relativement aux secteurs, avec leurs scores z (attentes de
  R `sna::brokerage`) ;
* **points d'articulation** : ceux dont le départ couperait le réseau (Hopcroft et Tarjan 1973) ;
* une **carte** colorée par secteur, la taille suivant l'intermédiarité.

Les définitions et formules sont dans les docstrings de `graph.network.*` et dans le guide du chercheur
(`/guides/chercheur`). Tout est lu dans le magasin par la bibliothèque, jamais dans les CSV."""),
        new_code_cell(OUVERTURE),
        new_code_cell('''\
from graph.network import project
from graph.network.ranking import broker_rows
from graph.network.cutpoints import cut_structure

p = project(store)                  # le graphe des acteurs de cette version du magasin (networkx.DiGraph)
G = p.actors
sector_label = {iri: s["label"] for iri, s in p.sectors.items()}
print(G.number_of_nodes(), "nœuds,", G.number_of_edges(), "arcs")
connectes = [n for n in G if G.degree(n) > 0]
print(len(connectes), "nœuds ont au moins un lien")
RESUME["noeuds"] = G.number_of_nodes()
RESUME["arcs"] = G.number_of_edges()
RESUME["noeuds_relies"] = len(connectes)'''),
        new_markdown_cell("""## Le réseau des amorces

Les acteurs cités par les cinq documents d'amorce (`seed-000` à `seed-004`) — une requête SPARQL sur la
provenance (`prov:wasDerivedFrom`) que porte chaque ligne."""),
        new_code_cell('''\
amorces = store.select("""
SELECT DISTINCT ?actor WHERE {
  ?actor a pm:Actor ; prov:wasDerivedFrom ?source .
  FILTER(STRSTARTS(STR(?source), "https://w3id.org/passe-muraille/id/sources/seed-"))
}""")
acteurs_amorces = {row["actor"] for row in amorces}
print(len(acteurs_amorces), "acteurs cités par les amorces")
RESUME["acteurs_amorces"] = len(acteurs_amorces)'''),
        new_markdown_cell("## Le classement expliqué"),
        new_code_cell('''\
rows = broker_rows(p)
df = pd.DataFrame([{
    "acteur": r["label"],
    "secteur": sector_label.get(r["sector"], r["sector"]),
    "amorce": r["iri"] in acteurs_amorces,
    "intermédiarité": r["betweenness"],
    "contrainte": r["constraint"],
    "taille effective": r["effective_size"],
    "secteurs atteints": r["sectors_reached"],
    "articulation": r["articulation_point"],
    "coupe": r["cut_off"],
    "score": r["score"],
    "pourquoi": " ; ".join(reason["text"] for reason in r["reasons"]),
} for r in rows])
top = df[df["amorce"]].head(15)
RESUME["premier_passe_muraille"] = top.iloc[0]["acteur"]
top'''),
        new_code_cell('''\
fig, ax = plt.subplots(figsize=(8, 5))
t = top.iloc[::-1]
ax.barh(t["acteur"].str.slice(0, 45), t["score"], color="#2e86ab")
ax.set_xlabel("score de courtage (moyenne de cinq rangs centiles)")
ax.set_title("Les 15 premiers passe-murailles du réseau des amorces")
plt.tight_layout(); plt.show()'''),
        new_code_cell('''\
relies = df[df["taille effective"].notna() & (df["taille effective"] > 0)]
fig, ax = plt.subplots(figsize=(7, 5))
for secteur, groupe in relies.groupby("secteur"):
    ax.scatter(groupe["contrainte"], groupe["taille effective"], label=secteur, s=18, alpha=0.7)
ax.set_xlabel("contrainte de Burt (bas = réseau ouvert)"); ax.set_ylabel("taille effective")
ax.set_title("Trous structuraux : contrainte et taille effective")
ax.legend(fontsize=7, loc="upper right")
plt.tight_layout(); plt.show()'''),
        new_markdown_cell("""## Rôles de Gould et Fernandez par secteur

Pour chaque courtier `j` d'un chemin `i → j → k` sans lien `i → k` : coordinateur (tous du même secteur),
itinérant (`i` et `k` du même secteur, `j` d'un autre), représentant, gardien, agent de liaison (trois secteurs).
Les scores z comparent le compte observé à son attente sous un graphe de Bernoulli de même densité."""),
        new_code_cell('''\
roles = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
noms = {"coordinator": "coordinateur", "itinerant": "itinérant", "representative": "représentant",
        "gatekeeper": "gardien", "liaison": "agent de liaison"}
gf = pd.DataFrame([{"secteur": sector_label.get(r["sector"], r["sector"]),
                    **{noms[k]: r["gould_fernandez"][k] for k in roles},
                    **{"z " + noms[k]: r["gould_fernandez_z"][k] for k in roles}}
                   for r in rows if r["gould_fernandez"]["total"] > 0])
par_secteur = gf.groupby("secteur").agg(
    courtiers=("coordinateur", "size"), **{noms[k]: (noms[k], "sum") for k in roles},
    **{"z moyen " + noms[k]: ("z " + noms[k], "mean") for k in roles}).sort_values("courtiers", ascending=False)
RESUME["secteurs_avec_courtiers"] = len(par_secteur)
par_secteur.round(2)'''),
        new_code_cell('''\
z = par_secteur[["z moyen " + noms[k] for k in roles]].fillna(0)
fig, ax = plt.subplots(figsize=(8, 5))
im = ax.imshow(z.values, cmap="RdBu_r", vmin=-abs(z.values).max(), vmax=abs(z.values).max(), aspect="auto")
ax.set_xticks(range(len(roles)), [noms[k] for k in roles], rotation=30, ha="right")
ax.set_yticks(range(len(z)), z.index)
fig.colorbar(im, label="score z moyen")
ax.set_title("Rôles de courtage par secteur (z moyen des courtiers)")
plt.tight_layout(); plt.show()'''),
        new_markdown_cell("""## Points d'articulation et ponts

Qui, s'il partait (rotation du personnel, fin d'un projet), couperait des acteurs du reste du réseau ?"""),
        new_code_cell('''\
cuts = cut_structure(G)
art = (df[df["articulation"]].sort_values("coupe", ascending=False)
       [["acteur", "secteur", "coupe", "intermédiarité"]].head(15))
print(len(cuts.articulation_points), "points d'articulation,", len(cuts.bridges), "ponts")
RESUME["points_articulation"] = len(cuts.articulation_points)
RESUME["ponts"] = len(cuts.bridges)
art'''),
        new_markdown_cell("""## La carte

La disposition est celle des cartes du site (`graph.publish.maps.overview`, disposition figée et reproductible) ;
couleurs par secteur, taille selon l'intermédiarité, acteurs isolés omis. La même carte interactive
(vis-network intégré, sans CDN) est écrite dans un fichier HTML autonome par `graph.publish.maps.standalone_html`."""),
        new_code_cell('''\
from graph.publish import maps
carte = maps.overview(store)
ids_relies = {e["from"] for e in carte.edges} | {e["to"] for e in carte.edges}
pos = {n["id"]: (n["x"], -n["y"]) for n in carte.nodes if "x" in n and n["id"] in ids_relies}
fig, ax = plt.subplots(figsize=(9, 9))
for e in carte.edges:
    if e["from"] in pos and e["to"] in pos:
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        ax.plot([x1, x2], [y1, y2], color="#bbbbbb", lw=0.5, zorder=1)
noeuds = [n for n in carte.nodes if n["id"] in pos]
ax.scatter([pos[n["id"]][0] for n in noeuds], [pos[n["id"]][1] for n in noeuds],
           s=[n["size"] * 4 for n in noeuds], c=[n["color"] for n in noeuds], zorder=2, edgecolors="white", lw=0.5)
for n in sorted(noeuds, key=lambda n: -n.get("betweenness", 0))[:12]:
    ax.annotate(n["label"][:30], pos[n["id"]], fontsize=7, zorder=3)
ax.set_axis_off(); ax.set_title("Le réseau des acteurs, coloré par secteur")
plt.tight_layout(); plt.show()
sortie = Path(tempfile.mkdtemp()) / "carte.html"
sortie.write_text(maps.standalone_html(carte, "Passe-muraille — carte des acteurs"), encoding="utf-8")
print("carte interactive :", sortie, sortie.stat().st_size, "octets")
RESUME["carte_noeuds_dessines"] = len(noeuds)'''),
        new_code_cell(FERMETURE),
    ]


def cells_gaps():
    return [
        new_markdown_cell("""# Où sont les trous ?

Les amorces nomment des manques : un trou dans la chaîne « de la naissance à l'école enfantine » (000), l'école
sous-représentée sur une plateforme (001), des protocoles inconnus ou périmés (« obsolescence programmée »).
Ce carnet lit le rapport de `graph.network.gaps.gap_report` et le montre :

* la **matrice secteur × secteur** des liens observés contre leur attente (mélange aléatoire) et l'indice E-I
  (Krackhardt et Stern 1988) ;
* les **paires de secteurs sans lien** et sans **protocole en vigueur**, les **trous structuraux** (Burt 1992) ;
* les **manques de couverture** par territoire, type de service et tranche d'âge ;
* les **protocoles périmés** ou non appliqués ;
* les **liens suggérés** entre secteurs (Adamic et Adar 2003)."""),
        new_code_cell(OUVERTURE),
        new_code_cell('''\
import numpy as np
from graph.network import project
from graph.network.gaps import gap_report
from graph.network.coverage import coverage_gaps

p = project(store)
AUJOURD_HUI = date.today()          # la date à laquelle on juge qu'un protocole est à revoir
rapport = gap_report(p, today=AUJOURD_HUI, limit=50)
nom = {iri: s["label"] for iri, s in p.sectors.items()}
print("version", rapport["version"], "— indice E-I global", round(rapport["ei_index"]["overall"], 3),
      "(attendu au hasard", round(rapport["ei_index"]["expected"], 3), ")")
RESUME["ei_global"] = round(rapport["ei_index"]["overall"], 3)
RESUME["ei_attendu"] = round(rapport["ei_index"]["expected"], 3)'''),
        new_markdown_cell("""## La matrice secteur × secteur

Rapport observé / attendu des arcs entre secteurs (secteur principal de chaque acteur) ; au-dessus de 1, deux
secteurs se rencontrent plus que le hasard ne le voudrait ; 0, jamais."""),
        new_code_cell('''\
m = rapport["sector_matrix"]
groupes = m["groups"]
ratio = pd.DataFrame([[m["ratio"][a].get(b) for b in groupes] for a in groupes],
                     index=[nom.get(g, g) for g in groupes], columns=[nom.get(g, g) for g in groupes]).astype(float)
fig, ax = plt.subplots(figsize=(9, 8))
im = ax.imshow(np.log1p(ratio.fillna(0).values), cmap="viridis")
ax.set_xticks(range(len(groupes)), ratio.columns, rotation=60, ha="right", fontsize=8)
ax.set_yticks(range(len(groupes)), ratio.index, fontsize=8)
for i in range(len(groupes)):
    for j in range(len(groupes)):
        if ratio.iat[i, j] == 0:
            ax.text(j, i, "0", ha="center", va="center", color="white", fontsize=7)
fig.colorbar(im, label="log(1 + observé / attendu)")
ax.set_title("Liens entre secteurs, observés contre attendus")
plt.tight_layout(); plt.show()
RESUME["secteurs_matrice"] = len(groupes)'''),
        new_code_cell('''\
ei = pd.DataFrame([{"secteur": nom.get(g, g), **v} for g, v in rapport["ei_index"]["by_group"].items()])
ei = ei.sort_values("ei_index")
fig, ax = plt.subplots(figsize=(7, 4))
ax.barh(ei["secteur"], ei["ei_index"], color=["#c0392b" if v < 0 else "#27ae60" for v in ei["ei_index"]])
ax.axvline(0, color="black", lw=0.5); ax.set_xlabel("indice E-I (−1 : entre soi ; +1 : tourné vers les autres)")
plt.tight_layout(); plt.show()
ei'''),
        new_markdown_cell("## Paires de secteurs sans lien, sans protocole en vigueur ; trous structuraux"),
        new_code_cell('''\
sans_lien = pd.DataFrame([{"secteur A": r["labels"][0], "secteur B": r["labels"][1]} for r in rapport["no_tie_pairs"]])
RESUME["paires_sans_lien"] = len(sans_lien)
sans_lien'''),
        new_code_cell('''\
sans_protocole = pd.DataFrame([{
    "secteur A": r["labels"][0], "secteur B": r["labels"][1],
    "accords non en vigueur": " ; ".join(f'{a["label"]} ({a["status"]})' for a in r["other_agreements"]),
} for r in rapport["no_current_protocol_pairs"]])
RESUME["paires_sans_protocole_en_vigueur"] = len(sans_protocole)
sans_protocole.head(20)'''),
        new_code_cell('''\
trous = pd.DataFrame([{
    "secteur A": r["labels"][0], "secteur B": r["labels"][1], "enjambé par": r["spanned_by_count"],
    "courtiers": ", ".join(b["label"] for b in r["spanned_by"][:3]),
} for r in rapport["structural_holes"]])
RESUME["trous_structuraux"] = len(trous)
trous'''),
        new_markdown_cell("""## Couverture : territoires × types de service × âges

Au niveau des communes : pour chaque type de service qui existe dans le pays, les communes qu'aucun acteur de ce
type ne couvre ; pour chaque tranche d'âge (0–3, 3–6, 6–12, 12–18, 18–25 ans), les communes où aucun acteur
couvrant n'accueille cet âge. Un type sans aucun acteur dans les données est listé à part : c'est un manque de
données, pas un manque de service."""),
        new_code_cell('''\
cg = rapport["coverage_gaps"]
par_type = pd.DataFrame([{"type de service": r["label"], "acteurs": r["actors"], "communes non couvertes": r["uncovered_count"]}
                         for r in cg["by_service_type"]]).sort_values("communes non couvertes", ascending=False)
print(cg["territories"], "communes examinées")
par_type.head(15)'''),
        new_code_cell('''\
ages = pd.DataFrame([{"tranche": r["band"], "communes sans offre": r["uncovered_count"]} for r in cg["by_age_band"]])
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.bar(ages["tranche"].astype(str), ages["communes sans offre"], color="#8e44ad")
ax.set_ylabel("communes sans acteur pour cet âge"); ax.set_title("Manques par âge (le « trou 0–3 ans »)")
plt.tight_layout(); plt.show()
RESUME["manques_par_age"] = dict(zip(ages["tranche"].astype(str), ages["communes sans offre"].astype(int)))
ages'''),
        new_code_cell('''\
provinces = coverage_gaps(p, level="province", limit=50)
pd.DataFrame([{"type de service": r["label"], "provinces non couvertes": r["uncovered_count"],
               "exemples": ", ".join(t["label"] for t in r["uncovered"][:5])}
              for r in provinces["by_service_type"]]).head(10)'''),
        new_markdown_cell("## Protocoles périmés, jamais appliqués, en projet"),
        new_code_cell('''\
from graph.query import entities
revue = {a["id"]: a for a in entities.table_rows(store, "agreements")}
def _id(iri): return iri.rsplit("/", 1)[-1]
protocoles = pd.DataFrame([{
    "accord": a["label"], "statut": a["status"], "genre": a["kind"],
    "date": revue.get(_id(a["iri"]), {}).get("date"), "à revoir le": revue.get(_id(a["iri"]), {}).get("review_due"),
} for a in rapport["non_current_protocols"]])
print(rapport["stale_protocols_count"], "accord(s) dont la date de révision est passée au", AUJOURD_HUI)
RESUME["protocoles_perimes"] = rapport["stale_protocols_count"]
RESUME["protocoles_non_en_vigueur"] = len(protocoles)
protocoles'''),
        new_markdown_cell("## Acteurs isolés et liens suggérés entre secteurs"),
        new_code_cell('''\
print(rapport["isolated_actors_count"], "acteurs sans aucun lien (dont les CPAS de chaque commune, "
      "connus par la loi mais sans lien documenté)")
RESUME["acteurs_isoles"] = rapport["isolated_actors_count"]
sugg = pd.DataFrame([{
    "acteur": s["source"]["label"], "pourrait rencontrer": s["target"]["label"],
    "secteurs": " / ".join(nom.get(x, x) for x in s["sectors"]), "score": round(s["score"], 3),
    "par": ", ".join(c["label"] for c in s["common"][:3]),
} for s in rapport["suggested_links"]])
RESUME["liens_suggeres"] = len(sugg)
sugg.head(15)'''),
        new_code_cell('''\
com = rapport["communities"]
print(f'{com["communities"]} communautés (Louvain) sur {com["nodes"]} nœuds reliés ; modularité {com["modularity"]:.2f} ; '
      f'accord avec les secteurs : ARI {com["adjusted_rand"]:.2f}, NMI {com["nmi"]:.2f}')
RESUME["communautes"] = com["communities"]'''),
        new_code_cell(FERMETURE),
    ]


def cells_countries():
    return [
        new_markdown_cell("""# Comparer les pays

Le même paysage — prévention, aide consentie, protection contrainte, aide sociale, école, petite enfance — en
Belgique (Fédération Wallonie-Bruxelles), en France et en Suisse, côte à côte : types de service par secteur et
par mandat, libre adhésion, jargon, sigles qui changent de sens d'un pays à l'autre, et la structure du réseau
des acteurs de chaque pays.

Attention : la Belgique francophone est couverte d'abord ; la France (Ille-et-Vilaine, Nord) et la Suisse
(amorce 000) sont des **échantillons** (voir `data/README.md`). Les comptes comparent les données, pas les pays."""),
        new_code_cell(OUVERTURE),
        new_code_cell('''\
from graph.query import entities
from graph.query import stats
from graph.network import project
from graph.network.mixing import sector_mixing

PAYS = {"be": "Belgique", "fr": "France", "ch": "Suisse"}
territoires = {t["id"]: t for t in entities.table_rows(store, "territories")}
secteurs = {s["id"]: s["label_fr"] for s in entities.table_rows(store, "sectors")}

def pays_de(tid):
    """Le pays d'un territoire (en remontant la hiérarchie)."""
    seen = set()
    while tid and tid not in seen:
        seen.add(tid)
        t = territoires.get(tid)
        if t is None or t["level"] == "country":
            return tid
        tid = t["parent"]
    return tid

types = pd.DataFrame([{**t, "pays": sorted({pays_de(c) for c in t["country"]})} for t in entities.table_rows(store, "service_types")])
types = types.explode("pays").explode("sector")
types = types[types["pays"].isin(PAYS)]
types["pays"] = types["pays"].map(PAYS); types["secteur"] = types["sector"].map(secteurs)
print(len(types), "couples (type de service, secteur) dans les trois pays")'''),
        new_markdown_cell("## Ce que le graphe contient par pays (`graph.query.stats`)"),
        new_code_cell('''\
st = stats.graph_stats(store)
couverture = st["coverage"]
print(st["triples"], "triplets ;", f'{st["sourced_share"]:.0%} des lignes citent leur source')'''),
        new_code_cell('''\
# acteurs, types de service et sens de jargon par pays (une région ou une commune compte pour son pays)
resume_pays = pd.DataFrame(couverture["country"]).T
resume_pays.columns = [{"actors": "acteurs", "service_types": "types de service", "senses": "sens de jargon"}.get(c, c)
                       for c in resume_pays.columns]
RESUME["couverture_par_pays"] = resume_pays.to_dict("index")
resume_pays'''),
        new_markdown_cell("## Types de service par secteur, côte à côte"),
        new_code_cell('''\
tableau = pd.crosstab(types["secteur"], types["pays"]).reindex(columns=list(PAYS.values()), fill_value=0)
fig, axes = plt.subplots(1, 3, figsize=(13, 5), sharey=True)
for ax, pays in zip(axes, PAYS.values()):
    ax.barh(tableau.index, tableau[pays], color="#2e86ab")
    ax.set_title(pays); ax.set_xlabel("types de service")
plt.suptitle("Types de service par secteur"); plt.tight_layout(); plt.show()
RESUME["types_par_pays"] = types.drop_duplicates(["id", "pays"]).groupby("pays").size().astype(int).to_dict()
tableau'''),
        new_markdown_cell("""## Sous quel titre intervient-on ? Mandats et libre adhésion

`none` : sans mandat (libre adhésion, comme une AMO) ; `administrative` : aide consentie (SAJ, ASE
administrative) ; `judicial` : aide contrainte (SPJ, juge des enfants) ; `legal_mission` : autre mission légale."""),
        new_code_cell('''\
uniq = types.drop_duplicates(["id", "pays"])
mandats = pd.crosstab(uniq["mandate_kind"], uniq["pays"]).reindex(columns=list(PAYS.values()), fill_value=0)
mandats.T.plot.bar(stacked=True, figsize=(6, 4), title="Types de service par titre d'intervention", rot=0)
plt.ylabel("types de service"); plt.tight_layout(); plt.show()
libre = uniq.groupby("pays")["free_adherence"].apply(lambda s: f"{(s == True).sum()} oui / {(s == False).sum()} non / {s.isna().sum()} ?")  # noqa: E712
RESUME["mandats"] = {p: {k: int(v) for k, v in mandats[p].items() if v} for p in mandats.columns}
pd.concat([mandats.T, libre.rename("libre adhésion")], axis=1)'''),
        new_code_cell('''\
# Prévention, aide, protection : l'équivalent de chaque type dans les trois pays, rangé par titre d'intervention
paysage = (uniq[uniq["sector"].isin(["aide-jeunesse", "aide-sociale", "petite-enfance", "enseignement"])]
           .assign(sigle=lambda d: d["acronym"].apply(lambda a: "/".join(a) if a else ""))
           .assign(type=lambda d: d["sigle"].where(d["sigle"] != "", d["label_fr"]))
           .groupby(["secteur", "mandate_kind", "pays"])["type"].apply(lambda s: ", ".join(sorted(s)))
           .unstack("pays").reindex(columns=list(PAYS.values())).fillna("—"))
paysage'''),
        new_markdown_cell("""## Le jargon : combien de sens, et quels sigles changent de sens d'un pays à l'autre

Un sens est toujours *dans un secteur et un pays* : « AS », « MNA », « PMS »… ne désignent pas la même chose
partout."""),
        new_code_cell('''\
gl = pd.DataFrame(entities.table_rows(store, "glossary"))
gl["pays"] = gl["country"].apply(lambda cs: sorted({pays_de(c) for c in cs}))
glx = gl.explode("pays").explode("acronym")
sens_par_pays = glx.drop_duplicates(["id", "pays"]).groupby("pays").size().rename("sens")
print(sens_par_pays.to_string())
RESUME["sens_par_pays"] = {PAYS.get(k, k): int(v) for k, v in sens_par_pays.items() if k in PAYS}
sig = glx[glx["acronym"].notna() & glx["pays"].isin(PAYS)]
collisions = (sig.groupby("acronym").filter(lambda g: g["pays"].nunique() > 1)
              .assign(pays=lambda d: d["pays"].map(PAYS))
              .groupby(["acronym", "pays"])["term_fr"].apply(lambda s: " | ".join(sorted({x or "(inconnu)" for x in s})))
              .unstack("pays").fillna("—"))
RESUME["sigles_a_sens_differents_selon_le_pays"] = len(collisions)
collisions'''),
        new_markdown_cell("""## Le réseau des acteurs de chaque pays

Sous-graphe des acteurs de chaque pays : nombre d'acteurs reliés, densité, et indice E-I (les liens restent-ils
dans leur secteur ?)."""),
        new_code_cell('''\
import networkx as nx

p = project(store)
lignes = []
for cc, pays in PAYS.items():
    iri = f"https://w3id.org/passe-muraille/id/territories/{cc}"
    noeuds = [n for n, d in p.actors.nodes(data=True) if d.get("country") == iri]
    H = p.actors.subgraph(noeuds)
    relies = [n for n in H if H.degree(n) > 0]
    mix = sector_mixing(H.subgraph(relies)) if relies else {"ei_index": {"overall": None}}
    lignes.append({"pays": pays, "acteurs": len(noeuds), "acteurs reliés": len(relies), "arcs": H.number_of_edges(),
                   "densité": round(nx.density(H.subgraph(relies)), 4) if len(relies) > 1 else None,
                   "indice E-I": mix["ei_index"]["overall"]})
reseaux = pd.DataFrame(lignes).set_index("pays")
RESUME["reseaux"] = reseaux.reset_index().to_dict("records")
reseaux'''),
        new_code_cell('''\
fig, axes = plt.subplots(1, 3, figsize=(14, 5))
couleurs = {}
for ax, (cc, pays) in zip(axes, PAYS.items()):
    iri = f"https://w3id.org/passe-muraille/id/territories/{cc}"
    H = p.actors.subgraph([n for n, d in p.actors.nodes(data=True) if d.get("country") == iri]).to_undirected()
    H = H.subgraph([n for n in H if H.degree(n) > 0])
    from graph.publish.maps import sector_colour
    col = [sector_colour(str(H.nodes[n].get("sector", "")).rsplit("/", 1)[-1]) for n in H]
    nx.draw_networkx(H, pos=nx.spring_layout(H, seed=1), ax=ax, node_size=25, node_color=col, with_labels=False,
                     width=0.3, edge_color="#aaaaaa")
    ax.set_title(f"{pays} : {H.number_of_nodes()} acteurs reliés"); ax.set_axis_off()
plt.tight_layout(); plt.show()'''),
        new_code_cell(FERMETURE),
    ]


def cells_export():
    return [
        new_markdown_cell("""# Interroger et exporter

Emporter les données vers ses propres outils :

1. **SPARQL depuis Python**, dans le processus (`store.select`, `store.query_json`) et contre le point
   d'accès de l'application (`/sparql`, SPARQL 1.1 Protocol) avec **SPARQLWrapper** ;
2. des **DataFrames pandas** (résultats SPARQL, tables au format de `data/`) ;
3. **GEXF** pour Gephi, **GraphML** pour igraph et R ;
4. **Open Referral HSDS 3.0** en JSON ;
5. le graphe entier en Turtle.

Tout est écrit dans un répertoire temporaire."""),
        new_code_cell(OUVERTURE),
        new_code_cell('''\
SORTIE = Path(tempfile.mkdtemp(prefix="passe-muraille-"))
REQUETE = """
PREFIX pm: <https://w3id.org/passe-muraille/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?sigle (COUNT(DISTINCT ?sens) AS ?sens_distincts) WHERE {
  ?sens a pm:JargonSense ; pm:acronym ?sigle .
} GROUP BY ?sigle HAVING (COUNT(DISTINCT ?sens) > 1) ORDER BY DESC(?sens_distincts) ?sigle
"""
print("sortie :", SORTIE)'''),
        new_markdown_cell("## 1. SPARQL dans le processus"),
        new_code_cell('''\
local = pd.DataFrame(store.select(REQUETE))
print(len(local), "sigles ont plusieurs sens")
RESUME["sigles_ambigus"] = len(local)
local.head(10)'''),
        new_markdown_cell("""## 2. SPARQL contre le point d'accès, avec SPARQLWrapper

On lance l'application (uvicorn) sur un port libre de 127.0.0.1 au-dessus du même magasin, comme le fait
`passe-muraille serve` ; en production, remplacez `base` par l'adresse du site. Le point d'accès est en
lecture seule, avec un délai et un plafond de lignes (voir le guide de l'exploitant)."""),
        new_code_cell('''\
from SPARQLWrapper import JSON, SPARQLWrapper
from graph.bench.api import serve_in_subprocess
from graph.config import store_dir

with serve_in_subprocess(store_dir()) as base:
    endpoint = SPARQLWrapper(f"{base}/sparql")
    endpoint.setQuery(REQUETE)
    endpoint.setReturnFormat(JSON)
    reponse = endpoint.query().convert()
    distant = pd.DataFrame([{k: v["value"] for k, v in b.items()} for b in reponse["results"]["bindings"]])
    endpoint.setQuery("PREFIX pm: <https://w3id.org/passe-muraille/ns#> ASK { ?a a pm:Actor }")
    existe = endpoint.query().convert()["boolean"]
distant["sens_distincts"] = distant["sens_distincts"].astype(int)
print(base, "→", len(distant), "lignes ; mêmes résultats que dans le processus :",
      distant["sigle"].tolist() == local["sigle"].tolist())
RESUME["sparqlwrapper_lignes"] = len(distant)
RESUME["sparqlwrapper_identique"] = distant["sigle"].tolist() == local["sigle"].tolist()
RESUME["ask"] = existe
distant.head(5)'''),
        new_markdown_cell("## 3. DataFrames : une requête plus riche, et les tables au format de `data/`"),
        new_code_cell('''\
types = pd.DataFrame(store.select("""
SELECT ?type ?libelle ?secteur ?mandat WHERE {
  ?type a pm:ServiceType ; skos:prefLabel ?libelle ; pm:sector/skos:prefLabel ?secteur ; pm:mandateKind ?m .
  BIND(STRAFTER(STR(?m), "#") AS ?mandat0) BIND(REPLACE(STR(?m), "^.*[/#]", "") AS ?mandat)
  FILTER(LANG(?libelle) = "fr") FILTER(LANG(?secteur) = "fr")
}"""))
print(len(types), "lignes")
pd.crosstab(types["secteur"], types["mandat"])'''),
        new_code_cell('''\
import io
from graph.publish import exports
acteurs = pd.read_csv(io.StringIO(exports.table_csv(store, "actors")))
print(acteurs.shape)
RESUME["acteurs_csv"] = len(acteurs)
acteurs.groupby("kind").size()'''),
        new_markdown_cell("## 4. Le réseau pour Gephi (GEXF) et igraph / R (GraphML)"),
        new_code_cell('''\
import networkx as nx

for fmt in ("gexf", "graphml"):
    contenu = exports.network_export(store, fmt)
    chemin = SORTIE / f"acteurs.{fmt}"
    chemin.write_bytes(contenu if isinstance(contenu, bytes) else contenu.encode("utf-8"))
    G = nx.read_gexf(chemin) if fmt == "gexf" else nx.read_graphml(chemin)
    print(f"{chemin.name}: {G.number_of_nodes()} nœuds, {G.number_of_edges()} arcs, "
          f"attributs {sorted(next(iter(G.nodes(data=True)))[1])[:6]}…")
    RESUME[f"{fmt}_noeuds"] = G.number_of_nodes()
    RESUME[f"{fmt}_arcs"] = G.number_of_edges()'''),
        new_markdown_cell("""Dans R : `igraph::read_graph("acteurs.graphml", format = "graphml")` ; dans Python :
`igraph.Graph.Read_GraphML(...)` ; dans Gephi : *Fichier › Ouvrir* le `.gexf`."""),
        new_code_cell('''\
import igraph as ig

g = ig.Graph.Read_GraphML(str(SORTIE / "acteurs.graphml"))
deg = pd.Series(g.degree(), index=g.vs["label"]).sort_values(ascending=False)
print("igraph :", g.vcount(), "sommets,", g.ecount(), "arcs")
deg.head(8)'''),
        new_markdown_cell("## 5. Open Referral HSDS 3.0"),
        new_code_cell('''\
from graph.publish import hsds
organisations = hsds.organizations(store)
services = hsds.services(store)
(SORTIE / "hsds_organizations.json").write_text(json.dumps(organisations, ensure_ascii=False, indent=1), encoding="utf-8")
(SORTIE / "hsds_services.json").write_text(json.dumps(services, ensure_ascii=False, indent=1), encoding="utf-8")
print(len(organisations), "organisations,", len(services), "services")
RESUME["hsds_organisations"] = len(organisations)
RESUME["hsds_services"] = len(services)
pd.json_normalize(services)[["name", "status", "minimum_age", "maximum_age", "eligibility_description"]].head(8)'''),
        new_markdown_cell("## 6. Le graphe entier en Turtle"),
        new_code_cell('''\
ttl = exports.rdf_export(store, "turtle")
(SORTIE / "passe-muraille.ttl").write_bytes(ttl if isinstance(ttl, bytes) else ttl.encode("utf-8"))
fichiers = sorted((f.name, f.stat().st_size) for f in SORTIE.iterdir())
RESUME["fichiers"] = [nom for nom, _ in fichiers]
pd.DataFrame(fichiers, columns=["fichier", "octets"])'''),
        new_code_cell(FERMETURE),
    ]


NOTEBOOKS = {
    "01_qui_sont_les_passe_murailles.ipynb": cells_brokers,
    "02_ou_sont_les_trous.ipynb": cells_gaps,
    "03_comparer_les_pays.ipynb": cells_countries,
    "04_interroger_et_exporter.ipynb": cells_export,
}


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells())
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        nbformat.validate(nb)
        nbformat.write(nb, HERE / name)
        print("écrit", name)


if __name__ == "__main__":
    main()
