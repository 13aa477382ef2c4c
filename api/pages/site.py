"""The French pages: search, term, decoder, actor, counterparts, referral paths, research; sign-in; static files.

Each page calls the library (``graph.glossary.*``, :mod:`graph.query.entities`, :mod:`graph.publish.maps`) and renders a
Jinja2 template (autoescaped). Every input is bounded; a bad one gets a French 4xx page, never a traceback.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from api.deps import get_store
from api.http.auth import (
    SESSION_COOKIE,
    check_csrf,
    check_origin,
    current_user,
    login_allowed,
    record_login_failure,
    session_cookie,
    verify_token,
)
from api.pages.render import (
    FormError,
    anonymous_page,
    error_page,
    first_route,
    form_data,
    render,
    static_file,
)
from graph.config import store_dir
from graph.glossary.autocomplete import complete
from graph.glossary.decode import decode
from graph.glossary.harvest import propose_unknown
from graph.glossary.index import get_index
from graph.glossary.lookup import lookup, sense_dict
from graph.glossary.review_queue import ReviewQueue
from graph.ids import short_id
from graph.network import project
from graph.network.counterparts import counterparts as library_counterparts
from graph.network.referral_paths import referral_paths as library_paths
from graph.network.resolve import NotFound, resolve
from graph.ops.contacts import list_contacts
from graph.publish.exports import csv_text
from graph.publish.maps import projection
from graph.publish.research import ACTOR_KIND_LABELS, TABLE_NAMES, research_report
from graph.query.entities import EntityError, actor_detail, find_actors, form_choices, labels_by_id
from graph.query.serving import UnknownTerritory, resolve_territory, serving

__all__ = ["router", "MAX_QUERY", "MAX_DECODE"]

router = APIRouter(include_in_schema=False)

MAX_QUERY = 200
MAX_DECODE = 20000
ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
AUTOCOMPLETE_ROUTES = ("/api/v1/glossary/autocomplete", "/api/v1/glossary/complete", "/api/v1/glossary/suggest")


def _index(store):
    return get_index(store)


def _labeller(store):
    labels = labels_by_id(store)

    def labels_fr(some_id: str | None) -> str:
        found = labels.get(some_id or "", {})
        return found.get("fr") or found.get("") or next(iter(found.values()), some_id or "")

    return labels_fr


def _autocomplete_url(request: Request) -> str:
    return first_route(request, *AUTOCOMPLETE_ROUTES) or "/chercher/suggestions"


# ----------------------------------------------------------------- static

@router.get("/static/{path:path}")
def static(path: str):
    if "\x00" in path:  # pathlib refuses NUL bytes with a ValueError (was a 500)
        raise HTTPException(status_code=404, detail="fichier introuvable")
    return static_file(path)


@router.get("/favicon.ico")
def favicon():
    return static_file("favicon.svg")


# ----------------------------------------------------------------- search

@router.get("/")
def home(request: Request, store=Depends(get_store)):
    return render(request, "home.html", title="Chercher un sigle ou un terme",
                  autocomplete_url=_autocomplete_url(request), context=_search_context(request, store, None, None),
                  labels_fr=_labeller(store), **_context_options(store))


@router.get("/chercher/suggestions")
def suggestions(q: str = Query("", max_length=MAX_QUERY), limit: int = Query(8, ge=1, le=20), store=Depends(get_store)):
    """Fallback completion (JSON) while the glossary API is not mounted."""

    items = complete(_index(store), q, limit=limit) if q.strip() else []
    for item in items:
        item["id"] = (item.get("iri") or "").rsplit("/", 1)[-1]
    return JSONResponse(items)


CONTEXT_COOKIE = "pm_contexte"
"""The searcher's country and sector (``pays|secteur``), kept for the next searches (a year, this site only)."""


def _search_context(request: Request, store, pays: str | None, secteur: str | None) -> dict:
    """Country and sector of the search: the form's when given (``""`` clears them), else the cookie's; only
    known ids are kept."""
    if pays is None and secteur is None:
        saved = (request.cookies.get(CONTEXT_COOKIE) or "|")[:130].split("|")
        pays, secteur = (saved + ["", ""])[:2]
    options = form_choices(store)
    countries = {t["id"] for t in options["territories"] if t["level"] in ("level-country", "level-region")}
    return {"country": pays if pays in countries else "", "sector": secteur if secteur in
            {x["id"] for x in options["sectors"]} else ""}


def _context_options(store) -> dict:
    options = form_choices(store)
    return {"context_countries": [t for t in options["territories"] if t["level"] in ("level-country",
                                                                                       "level-region")],
            "context_sectors": options["sectors"]}


@router.get("/chercher")
def search(request: Request, q: str = Query("", max_length=MAX_QUERY), pays: str | None = Query(None, max_length=60),
           secteur: str | None = Query(None, max_length=60), store=Depends(get_store)):
    q = q.strip()
    if not q:
        return RedirectResponse("/", status_code=303)
    context = _search_context(request, store, pays, secteur)
    result = lookup(_index(store), q, context["country"] or None, context["sector"] or None)
    shown = {a["id"] for a in result["actors"]}
    named = [a for a in (find_actors(store, q, limit=10) if len(q) >= 3 else []) if a["id"] not in shown]
    page = render(request, "results.html", title=f"Résultats pour {q}", q=q, result=result, named=named,
                  context=context, labels_fr=_labeller(store), autocomplete_url=_autocomplete_url(request),
                  **_context_options(store))
    if pays is not None or secteur is not None:
        page.set_cookie(CONTEXT_COOKIE, f"{context['country']}|{context['sector']}", max_age=365 * 24 * 3600,
                        httponly=True, samesite="lax")
    return page


MAX_PROPOSAL_TEXT = 2000


@router.post("/proposer")
async def propose(request: Request, store=Depends(get_store)):
    """« Proposer ce sigle »: an unknown acronym goes to the editors' review queue, with where it was seen."""
    check_origin(request)
    try:
        form = await form_data(request, max_bytes=16 * 1024)
    except FormError as err:
        return error_page(request, err.status_code, "Proposition refusée", err.message)
    check_csrf(request, form.get("csrf"))
    acronym = form.get("sigle", "").strip()[:30]
    text = form.get("texte", "").strip()[:MAX_PROPOSAL_TEXT] or None
    context = _search_context(request, store, form.get("pays", "")[:60], form.get("secteur", "")[:60])
    try:
        outcome = await run_in_threadpool(propose_unknown, _index(store), ReviewQueue.for_store(store_dir()),
                                          acronym, text, None, context["country"] or None,
                                          context["sector"] or None)
    except ValueError:
        return error_page(request, 400, "Proposition refusée", "Un sigle doit contenir au moins une lettre ou un "
                                                                "chiffre.")
    messages = {"queued": "Merci : le sigle est proposé aux éditeurs, qui chercheront son sens et sa source.",
                "already_queued": "Ce sigle est déjà dans la file de relecture des éditeurs.",
                "known": "Ce sigle est déjà connu : cherchez-le à nouveau."}
    return render(request, "proposed.html", title="Sigle proposé", q=acronym,
                  message=messages.get(outcome["status"], messages["queued"]), status=outcome["status"])


@router.get("/termes/{sense_id}")
async def term(request: Request, sense_id: str, store=Depends(get_store)):
    return await anonymous_page(request, store, lambda: _term_page(request, sense_id, store))


def _term_page(request: Request, sense_id: str, store):
    index = _index(store)
    n = index.by_id.get(sense_id) if ID.match(sense_id) else None
    if n is None or index.entries[n].kind not in ("sense", "service_type", "sector"):
        return error_page(request, 404, "Terme introuvable", f"Aucun terme n'a l'identifiant « {sense_id[:120]} ».")
    entry = index.entries[n]
    senses = []
    seen = set()
    for query in filter(None, [entry.acronym, entry.label]):
        for sense in lookup(index, query)["senses"]:
            if sense["kind"] in ("sense", "service_type", "sector") and sense["id"] not in seen \
                    and sense["match"] in ("exact", "inflected", "reverse"):
                seen.add(sense["id"])
                senses.append(sense)
    if entry.id not in seen:
        senses.insert(0, sense_dict(index, entry, 1.0, "this term", "exact"))
    labels_fr = _labeller(store)
    groups: OrderedDict[str, list] = OrderedDict()
    for sense in senses:
        sectors = ", ".join(labels_fr(s) for s in sense["sector"]) or "secteur non précisé"
        countries = ", ".join(labels_fr(c) for c in sense["country"]) or "pays non précisé"
        groups.setdefault(f"{sectors} — {countries}", []).append(sense)
    related = [index.entries[index.by_iri[iri]] for iri in entry.related if iri in index.by_iri]
    services, more = _services(store, entry)
    title = entry.display
    return render(request, "term.html", title=title, entry=entry, senses=senses, groups=list(groups.items()),
                  related=related, services=services, services_more=more, labels_fr=labels_fr)


SERVICES_QUERY = "SELECT ?a ?label WHERE { ?a pm:serviceType ?st ; a pm:Actor ; skos:prefLabel ?label . }"


def _services(store, entry, limit: int = 30) -> tuple[list[dict], int]:

    found = []
    if entry.actor:
        actor_id = short_id(entry.actor)
        found.append({"id": actor_id, "label": _labeller(store)(actor_id)})
    st = entry.service_type or (entry.iri if entry.kind == "service_type" else None)
    if st:
        rows = store.select(SERVICES_QUERY, {"st": URIRef(st)})
        found += sorted(({"id": short_id(r["a"]), "label": r["label"]} for r in rows),
                        key=lambda a: a["label"].casefold())
    return found[:limit], max(0, len(found) - limit)


# ----------------------------------------------------------------- decoder

def _decode_form(request: Request, store, **extra):
    options = form_choices(store)
    countries = [t for t in options["territories"] if t["level"] in ("level-country", "level-region")]
    return render(request, "decoder.html", title="Décoder un texte", max_chars=MAX_DECODE, countries=countries,
                  sectors=options["sectors"], labels_fr=_labeller(store), **extra)


@router.get("/decoder")
def decoder_form(request: Request, store=Depends(get_store)):
    return _decode_form(request, store)


@router.post("/decoder")
async def decoder(request: Request, store=Depends(get_store)):
    check_origin(request)
    try:
        form = await form_data(request, max_bytes=MAX_DECODE * 8)
    except FormError as err:
        return await run_in_threadpool(_decode_form, request, store, status_code=err.status_code, error=err.message)
    return await run_in_threadpool(_decode_page, request, store, form.get("texte", ""), form.get("pays", "")[:60],
                                   form.get("secteur", "")[:60])


def _decode_page(request: Request, store, texte: str, pays: str, secteur: str):
    text = texte.replace("\r\n", "\n")
    if len(text) > MAX_DECODE:
        return _decode_form(request, store, text=text[:MAX_DECODE], status_code=413,
                            error=f"Le texte dépasse {MAX_DECODE} caractères : découpez-le.")
    if not text.strip():
        return _decode_form(request, store, status_code=400, error="Collez un texte à décoder.")
    country = pays if ID.match(pays or "") else None
    sector = secteur if ID.match(secteur or "") else None
    result = decode(_index(store), text, country=country, sector=sector)
    return _decode_form(request, store, text=text, result=result, parts=_parts(text, result), country=pays,
                        sector=secteur)


def _parts(text: str, result: dict) -> list[dict]:
    """The text cut into plain runs, explained spans (numbered like the explanations) and unknown sigles."""
    spans = [(a["start"], a["end"], "hit", n) for n, a in enumerate(result["annotations"], start=1)]
    for unknown in result.get("unknown", []):
        for start, end in unknown["occurrences"]:
            spans.append((start, end, "unknown", 0))
    spans.sort(key=lambda s: (s[0], -s[1]))
    parts, pos = [], 0
    for start, end, kind, n in spans:
        if start < pos:
            continue
        if start > pos:
            parts.append({"kind": "plain", "text": text[pos:start]})
        parts.append({"kind": kind, "text": text[start:end], "n": n})
        pos = end
    if pos < len(text):
        parts.append({"kind": "plain", "text": text[pos:]})
    return parts


# ----------------------------------------------------------------- actor

@router.get("/acteurs/{actor_id}")
async def actor(request: Request, actor_id: str, store=Depends(get_store)):
    return await anonymous_page(request, store, lambda: _actor_page(request, actor_id, store))


def _actor_page(request: Request, actor_id: str, store):
    try:
        detail = actor_detail(store, actor_id)
    except EntityError:
        return error_page(request, 404, "Acteur introuvable", f"Aucun acteur n'a l'identifiant « {actor_id[:120]} ».")
    user = current_user(request)
    people = None
    if user is not None and user.can("reader"):  # person-level contacts: partners only, page not cacheable
        people = list_contacts(actor_id, store_dir())
    return render(request, "actor.html", title=detail["label"], a=detail, people=people,
                  sectors=form_choices(store)["sectors"])


# ----------------------------------------------------------------- counterparts and referrals

def _path_step(nodes, step) -> dict:
    if isinstance(step, dict):
        iri = step.get("iri") or step.get("id") or ""
        return {"id": short_id(iri), "label": step.get("label") or short_id(iri)}
    label = nodes[step].get("label", short_id(step)) if step in nodes else short_id(step)
    return {"id": short_id(step), "label": label}


def _counterparts(store, actor_id: str, sector: str, territory: str | None = None, limit: int = 25) -> list[dict]:
    """The counterparts of ``actor_id`` in ``sector`` (:func:`graph.network.counterparts.counterparts`), shaped
    for the page: label, link to the actor page, reasons in words, the shortest known path."""
    proj = project(store)
    try:
        found = library_counterparts(proj, actor_id, sector, territory, limit)
    except (KeyError, ValueError, LookupError) as err:
        raise KeyError(actor_id) from err
    nodes = proj.actors.nodes
    return [{"id": short_id(c["iri"]), "label": c["label"], "kind": c.get("kind"),
             "link": f"/acteurs/{short_id(c['iri'])}" if c.get("kind") != "post"
             else (f"/acteurs/{short_id(nodes[c['iri']].get('actor'))}" if c["iri"] in nodes
                   and nodes[c["iri"]].get("actor") else ""),
             "reason": " ; ".join(c.get("reasons") or []),
             "path": [_path_step(nodes, n) for n in (c.get("path") or [])]}
            for c in found.get("counterparts", [])]


def _referral_paths(store, source: str, target: str, allow_mandate: bool = True, limit: int = 5,
                   need: str | None = None) -> list[list[dict]]:
    """The shortest referral paths from ``source`` to ``target`` (:func:`graph.network.referral_paths.referral_paths`,
    which applies the mandate rules and explains each step); without ``allow_mandate`` no step may need one."""
    try:
        found = library_paths(project(store), source, target, need=need or None, k=limit)
    except (KeyError, ValueError, LookupError):
        return []
    paths = []
    for path in found.get("paths", []):
        steps = [{"from_label": s.get("from_label"), "to_label": s.get("to_label"),
                  "kinds": s.get("condition_kinds") or [], "condition": s.get("condition"), "why": s.get("why"),
                  "mandate": s.get("mandate_kind")} for s in path.get("steps", [])]
        if allow_mandate or not any(s["mandate"] in ("administrative", "judicial") or "mandate" in s["kinds"]
                                    for s in steps):
            paths.append(steps)
    return paths



ACTOR_OPTIONS_MAX = 2000
"""Beyond this many actors the counterparts form lists none (a page must stay light at national scale): the
name typed is then matched on the server (:func:`graph.query.entities.find_actors`)."""


def _actor_options(store) -> list[dict]:
    graph = projection(store).graph
    if graph.number_of_nodes() > ACTOR_OPTIONS_MAX:
        return []
    return sorted(({"id": n, "label": d["label"]} for n, d in graph.nodes(data=True)),
                  key=lambda a: a["label"].casefold())


@router.get("/homologues")
def counterparts(request: Request, acteur: str = Query("", max_length=120), secteur: str = Query("", max_length=60),
                 territoire: str = Query("", max_length=120), store=Depends(get_store)):
    """Counterparts of a service (its id or its name, as the autocomplete shows it) in a sector, on its territory
    or on a commune, division or province given by name or code; or, without a service, who in that sector
    covers the commune."""
    options = form_choices(store)
    context = {"title": "Trouver son homologue", "actor": acteur, "sector": secteur, "territory": territoire,
               "sectors": options["sectors"], "territories": options["territories"], "results": None,
               "actor_options": _actor_options(store), "suggestions": []}
    if not (acteur.strip() or territoire.strip()):
        return render(request, "counterparts.html", **context)
    if secteur not in {s["id"] for s in options["sectors"]}:
        return render(request, "counterparts.html", status_code=400, error="Choisissez un secteur de la liste.",
                      **context)
    place = None
    if territoire.strip():
        try:
            place = resolve_territory(store, territoire)
        except UnknownTerritory as err:
            return render(request, "counterparts.html", status_code=400,
                          error=f"Territoire inconnu : « {territoire[:120]} ».",
                          **{**context, "suggestions": err.suggestions})
    if not acteur.strip():
        found = serving(store, place["id"])
        results = [{"id": s["id"], "label": s["label"], "link": f"/acteurs/{s['id']}",
                    "reason": f"couvre {place['label']} par {s['via']['level_label']} {s['via']['label']}",
                    "path": []}
                   for s in found["services"] if any(x["id"] == secteur for x in s["sector"])]
        context.update(results=results, actor_label=None, place_label=place["label"])
        return render(request, "counterparts.html", **context)
    proj = project(store)
    try:  # an id, label or acronym of an actor, a post or a function, as the maps and the API name them
        exact = resolve(acteur.strip(), proj.actor_info, proj.functions, what="actor")
        matches = [{"id": short_id(exact), "label": proj.label(exact)}]
    except NotFound:
        matches = find_actors(store, acteur, limit=5)
    if not matches:
        return render(request, "counterparts.html", status_code=404,
                      error=f"Aucun acteur ne correspond à « {acteur[:120]} ».", **context)
    actor_id = matches[0]["id"]
    try:
        results = _counterparts(store, actor_id, secteur, place["id"] if place else None)
    except KeyError:
        return render(request, "counterparts.html", status_code=404,
                      error=f"Aucun acteur ne correspond à « {acteur[:120]} ».", **context)
    context.update(results=results, actor_label=matches[0]["label"], actor_id=actor_id,
                   place_label=place["label"] if place else None, others=matches[1:])
    return render(request, "counterparts.html", **context)


@router.get("/orientation")
def referrals(request: Request, depart: str = Query("", max_length=120), arrivee: str = Query("", max_length=120),
              sans_mandat: str = Query("", max_length=5), besoin: str = Query("", max_length=200),
              store=Depends(get_store)):
    options = form_choices(store)
    context = {"title": "Chemins d'orientation", "service_types": options["service_types"], "source": depart,
               "target": arrivee, "no_mandate": bool(sans_mandat), "paths": None, "need": besoin}
    if depart or arrivee:
        known = {s["id"] for s in options["service_types"]}
        if depart not in known or arrivee not in known:
            return render(request, "referrals.html", status_code=400, **context)
        context["paths"] = _referral_paths(store, depart, arrivee, allow_mandate=not sans_mandat,
                                                    need=besoin.strip() or None)
    return render(request, "referrals.html", **context)


# ----------------------------------------------------------------- research

SPARQL_EXAMPLES = [
    {"title": "Les sens d'un sigle, par secteur et pays",
     "query": "PREFIX pm: <https://w3id.org/passe-muraille/ns#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
              "SELECT ?sens ?forme ?secteur ?pays WHERE {\n  ?sens a pm:JargonSense ; pm:acronym \"AMO\" ;\n"
              "        pm:sector ?secteur ; pm:country ?pays .\n  OPTIONAL { ?sens skos:prefLabel ?forme }\n}"},
    {"title": "Nombre d'acteurs par secteur",
     "query": "PREFIX pm: <https://w3id.org/passe-muraille/ns#>\nSELECT ?secteur (COUNT(?a) AS ?acteurs) WHERE {\n"
              "  ?a a pm:Actor ; pm:sector ?secteur .\n} GROUP BY ?secteur ORDER BY DESC(?acteurs)"},
    {"title": "Les accords à revoir, avec leurs parties",
     "query": "PREFIX pm: <https://w3id.org/passe-muraille/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
              "SELECT ?accord ?titre ?statut ?revoir WHERE {\n  ?accord a pm:Agreement ; rdfs:label ?titre ;\n"
              "          pm:status ?statut ; pm:reviewDue ?revoir .\n} ORDER BY ?revoir"},
    {"title": "Qui siège à quelle plateforme",
     "query": "PREFIX pm: <https://w3id.org/passe-muraille/ns#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
              "SELECT ?membre ?collectif ?role WHERE {\n"
              "  ?m a pm:Membership ; org:member ?membre ; pm:collective ?collectif .\n"
              "  OPTIONAL { ?m pm:roleLabel ?role }\n}"},
]


RESEARCH_FILTERS = {"secteur": "sector", "pays": "country", "territoire": "territory", "nature": "kind"}


def _research_filters(store, secteur: str, pays: str, territoire: str, nature: str) -> tuple[dict, str | None]:
    """The research filters as ids (sector, country, territory, actor kind) and a French error, if any."""
    options = form_choices(store)
    filters = {"sector": None, "country": None, "territory": None, "kind": None}
    if secteur:
        if secteur not in {s["id"] for s in options["sectors"]}:
            return filters, "Secteur inconnu."
        filters["sector"] = secteur
    if pays:
        if pays not in {t["id"] for t in options["territories"] if t["level"] == "level-country"}:
            return filters, "Pays inconnu."
        filters["country"] = pays
    if territoire.strip():
        try:
            filters["territory"] = resolve_territory(store, territoire)["id"]
        except UnknownTerritory:
            return filters, f"Territoire inconnu : « {territoire[:120]} »."
    if nature:
        if nature not in ACTOR_KIND_LABELS:
            return filters, "Nature d'acteur inconnue."
        filters["kind"] = nature
    return filters, None


@router.get("/recherche")
async def research(request: Request, secteur: str = Query("", max_length=60), pays: str = Query("", max_length=60),
                   territoire: str = Query("", max_length=120), nature: str = Query("", max_length=30),
                   store=Depends(get_store)):
    return await anonymous_page(request, store,
                                lambda: _research_page(request, store, secteur, pays, territoire, nature))


def _research_page(request: Request, store, secteur: str, pays: str, territoire: str, nature: str):
    filters, error = _research_filters(store, secteur, pays, territoire, nature)
    options = form_choices(store)
    context = {"title": "Espace recherche", "examples": SPARQL_EXAMPLES, "sparql_url": "/sparql",
               "sectors": options["sectors"], "countries": [t for t in options["territories"]
                                                            if t["level"] == "level-country"],
               "kinds": ACTOR_KIND_LABELS, "form": {"secteur": secteur, "pays": pays, "territoire": territoire,
                                                    "nature": nature},
               "query": urlencode({k: v for k, v in (("secteur", secteur), ("pays", pays),
                                                     ("territoire", territoire), ("nature", nature)) if v})}
    if error:
        return render(request, "research.html", status_code=400, error=error, report=None, **context)
    return render(request, "research.html", report=research_report(store, **filters), **context)


@router.get("/recherche/{table}.csv")
def research_csv(request: Request, table: str, secteur: str = Query("", max_length=60),
                 pays: str = Query("", max_length=60), territoire: str = Query("", max_length=120),
                 nature: str = Query("", max_length=30), store=Depends(get_store)):
    """One research table as CSV (the rows the page shows, with the same filters; the brokers in full)."""
    if table not in TABLE_NAMES:
        return error_page(request, 404, "Tableau introuvable", f"Aucun tableau ne s'appelle « {table[:60]} ».")
    filters, error = _research_filters(store, secteur, pays, territoire, nature)
    if error:
        return error_page(request, 400, "Filtre invalide", error)
    found = research_report(store, top=100_000, **filters)["tables"][table]
    text = csv_text([c[0] for c in found["columns"]], found["rows"])
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="passe-muraille-{table}.csv"'})


# ----------------------------------------------------------------- sign in / out

def _safe_next(value: str) -> str:
    parts = urlsplit(value or "/")
    if parts.scheme or parts.netloc or not (value or "/").startswith("/") or value.startswith("//"):
        return "/"
    return value or "/"


@router.get("/connexion")
def login_form(request: Request, suite: str = Query("/", max_length=300)):
    return render(request, "login.html", title="Se connecter", next=_safe_next(suite))


@router.post("/connexion")
async def login(request: Request):
    check_origin(request)
    try:
        form = await form_data(request, max_bytes=4096)
    except FormError as err:
        return error_page(request, err.status_code, "Formulaire refusé", err.message)
    jeton, suite = form.get("jeton", "")[:300], form.get("suite", "/")[:300]
    if not login_allowed(request):
        return render(request, "login.html", status_code=429, title="Se connecter", next=_safe_next(suite),
                      error="Trop d'essais : réessayez dans quelques minutes.", headers={"Retry-After": "300"})
    user = verify_token(jeton.strip())
    if user is None:
        record_login_failure(request)
        return render(request, "login.html", status_code=401, title="Se connecter", next=_safe_next(suite),
                      error="Jeton inconnu ou révoqué.")
    response = RedirectResponse(_safe_next(suite), status_code=303)
    response.set_cookie(SESSION_COOKIE, session_cookie(user), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=8 * 3600, path="/")
    return response


@router.post("/deconnexion")
async def logout(request: Request):
    try:
        form = await form_data(request, max_bytes=4096)
    except FormError as err:
        return error_page(request, err.status_code, "Formulaire refusé", err.message)
    if current_user(request) is not None:
        check_csrf(request, form.get("csrf", ""))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/robots.txt")
def robots():
    return Response("User-agent: *\nDisallow: /editer\nDisallow: /connexion\n", media_type="text/plain")
