"""Entities as the API, the CLI and notebooks see them: table rows, labels, actor summaries and details.

Every entity is read back from the store in the shape of its table (``data/README.md``): one dict per
row with the table's column names, references as ids, multi-valued cells as sorted lists, enums as their
value, booleans as ``True``/``False``, numbers as numbers (:func:`table_rows`). On top of that:

* :func:`actor_summaries` — short descriptions of actors, as a search lists them
  (:mod:`graph.query.actor_search` selects them);
* :func:`actor_detail` — everything an actor page shows: what, for whom, ages, mandate, free access,
  territories, parent and children, posts, memberships, agreements, referrals, sources, freshness.

User values enter queries only as RDF terms escaped by rdflib, in a ``VALUES`` block placed inside the
group they constrain (:func:`values_block`); the query text itself is built from constant fragments.
Ages missing from both the actor and its service type are unknown: a summary says ``ages_known: False``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef

from graph.ids import short_id, territory_ancestors
from graph.store import term_n3
from graph.version_cache import KeyedVersionCache
from graph.vocab.namespaces import PMID
from graph.vocab.schema import BOOL, ENUM, NUMBER, REF, TABLES_BY_NAME, Column, Table

__all__ = [
    "EntityError", "ID_PATTERN", "check_id", "entity_iri", "iri_id", "values_block", "cached", "table_rows",
    "rows_by_ids", "rows_linking", "labels", "label_of", "ref", "is_overdue", "actor_summaries", "actor_detail",
]

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,199}")
"""An entity id (``data/README.md``): a slug of at most 200 characters."""

class EntityError(ValueError):
    """A request for an entity that is malformed (400) or absent (404); the message is one line."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def check_id(value: str, what: str = "id") -> str:
    """``value`` if it is a well-formed id, else :class:`EntityError` (400)."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        shown = value[:40] if isinstance(value, str) else type(value).__name__
        raise EntityError(f"invalid {what} {shown!r}: ids are slugs of a-z, 0-9, '.', '_', '-'")
    return value


def entity_iri(table: str, row_id: str) -> URIRef:
    """The IRI of row ``row_id`` of ``table`` (both checked)."""
    if table not in TABLES_BY_NAME:
        raise EntityError(f"unknown table {table[:40]!r}", 404)
    return PMID[f"{table}/{check_id(row_id)}"]


def iri_id(iri: str) -> str:
    """The id of an entity IRI (its last path segment), or the local name of a vocabulary IRI."""
    return re.split(r"[/#]", str(iri))[-1]


def values_block(var: str, terms: Iterable[Any]) -> str:
    """``VALUES ?var { … }`` with each term escaped by rdflib (IRIs checked, literals quoted)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
        raise EntityError(f"invalid variable name {var!r}")
    items = " ".join(term_n3(t if isinstance(t, URIRef | Literal) else Literal(t)) for t in terms)
    return f"VALUES ?{var} {{ {items} }}"


# ------------------------------------------------------------------ cache per store version

_CACHE = KeyedVersionCache(size=256)


def cached(store, key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` memoised per store version (a build never changes once published): the one per-version
    cache of :mod:`graph.version_cache`."""
    return _CACHE.get(store, key, compute)


# ------------------------------------------------------------------ rows in table shape

def _columns_by_predicate(table: Table) -> dict[str, list[Column]]:
    index: dict[str, list[Column]] = {}
    for column in table.columns:
        if column.predicate is not None:
            index.setdefault(str(column.predicate), []).append(column)
    return index


def _number(text: str) -> int | float | str:
    try:
        value = Decimal(text)
    except ArithmeticError:
        return text
    return int(value) if value == value.to_integral_value() else float(value)


def _cell(column: Column, value: str) -> Any:
    if column.kind == REF:
        return iri_id(value)
    if column.kind == ENUM and column.enum_prefix:
        return value.rsplit("#", 1)[-1].removeprefix(f"{column.enum_prefix}-")
    if column.kind == BOOL:
        return value in ("true", "1")
    if column.kind == NUMBER:
        return _number(value)
    return value


_SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


def _expects_iri(column: Column) -> bool:
    return column.kind == REF or (column.kind == ENUM and bool(column.enum_prefix))


def _column_lookup(table: Table) -> dict[str, dict[tuple[bool, str | None], Column]]:
    """Predicate → (object is an IRI, language or None) → the first column of ``table`` it fills."""
    lookup: dict[str, dict[tuple[bool, str | None], Column]] = {}
    for predicate, columns in _columns_by_predicate(table).items():
        for column in columns:
            lookup.setdefault(predicate, {}).setdefault((_expects_iri(column), column.lang or None), column)
    return lookup


Triple = tuple[str, str, str, bool, str | None]
"""(subject, predicate, object value, whether the object is an IRI, its language or None)."""


def _pivot(table: Table, subjects: Iterable[str], triples: Iterable[Triple]) -> dict[str, dict]:
    """Rows of ``table`` for the ``subjects`` (the table's IRIs), filled from ``triples`` about them."""
    lookup = _column_lookup(table)
    prefix = f"{PMID}{table.name}/"
    rows: dict[str, dict] = {s: {"id": s[len(prefix):]} for s in subjects if s.startswith(prefix)}
    labelled: dict[str, str] = {}
    for subject, predicate, value, is_iri, lang in triples:
        row = rows.get(subject)
        if row is None:
            continue
        if predicate == _SKOS_PREF_LABEL and not lang:
            labelled[subject] = value
        column = lookup.get(predicate, {}).get((is_iri, lang or None))
        if column is None:
            continue
        cell = _cell(column, value)
        if column.multi:
            row.setdefault(column.name, []).append(cell)
        else:
            row.setdefault(column.name, cell)
    for subject, row in rows.items():
        rows[subject] = {column.name: sorted(set(row.get(column.name, [])), key=str) if column.multi
                         else row.get(column.name) for column in table.columns}
        acronyms = rows[subject].get("acronym")
        if isinstance(acronyms, list) and labelled.get(subject) in acronyms[1:]:
            # a sense labelled by an acronym was labelled by the first of its cell: keep it first, so that the
            # row read back builds the same label (found by the tables → CSV export → build round trip)
            acronyms.insert(0, acronyms.pop(acronyms.index(labelled[subject])))
    return rows


def _table(name: str) -> Table:
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        raise EntityError(f"unknown table {name[:40]!r}", 404) from None


def _fetch(store, table: Table, where: str) -> list[dict]:
    """The rows of ``table`` whose subjects ``where`` selects (a VALUES block): one query, as SPARQL JSON."""
    query = f"SELECT ?s ?p ?o WHERE {{ {where} ?s a {term_n3(table.rdf_class)} ; ?p ?o . }}"
    bindings = store.query_json(query)["results"]["bindings"]
    triples = ((b["s"]["value"], b["p"]["value"], b["o"]["value"], b["o"]["type"] == "uri", b["o"].get("xml:lang"))
               for b in bindings)
    rows = _pivot(table, {b["s"]["value"] for b in bindings}, triples)
    return [rows[k] for k in sorted(rows)]


_IRI_OBJECTS = "SELECT ?s ?o WHERE {{ ?s {predicate} ?o . FILTER(isIRI(?o)) }}"
_LITERALS = "SELECT ?s ?o WHERE {{ ?s {predicate} ?o . FILTER(isLiteral(?o) && LANG(?o) = '') }}"
_TAGGED_LITERALS = "SELECT ?s ?o (LANG(?o) AS ?lang) WHERE {{ ?s {predicate} ?o . FILTER(LANG(?o) != '') }}"
_WHOLE_SCAN_FROM = 10_000
"""Rows from which a table is read predicate by predicate (below, one joined query is faster)."""


def _fetch_whole(store, table: Table) -> list[dict]:
    """Every row of ``table``. A large table is read as its subjects, then by predicate and kind of object (IRIs,
    plain literals, language-tagged literals), as plain values (:meth:`select_values`): one query joining every
    triple to the class decoded each predicate again and went through SPARQL JSON, 9 s for the 50,000 actors of
    a national-scale store (7 s in memory) against 4.3 s from disk this way."""
    subjects = [s for (s,) in store.select_values(f"SELECT ?s WHERE {{ ?s a {term_n3(table.rdf_class)} }}")]
    if len(subjects) < _WHOLE_SCAN_FROM:
        return _fetch(store, table, "")
    lookup = _column_lookup(table)
    lookup.setdefault(_SKOS_PREF_LABEL, {})  # an untagged label orders the acronyms (see _pivot)

    def triples() -> Iterator[Triple]:
        for predicate, kinds in lookup.items():
            term = term_n3(URIRef(predicate))
            if any(is_iri for is_iri, _ in kinds):
                for s, o in store.select_values(_IRI_OBJECTS.format(predicate=term)):
                    yield s, predicate, o, True, None
            if predicate == _SKOS_PREF_LABEL or (False, None) in kinds:
                for s, o in store.select_values(_LITERALS.format(predicate=term)):
                    yield s, predicate, o, False, None
            if any(not is_iri and lang for is_iri, lang in kinds):
                for s, o, lang in store.select_values(_TAGGED_LITERALS.format(predicate=term)):
                    yield s, predicate, o, False, lang

    rows = _pivot(table, subjects, triples())
    return [rows[k] for k in sorted(rows)]


def table_rows(store, name: str) -> list[dict]:
    """Every row of table ``name`` (ordered by id), read back from the store; cached per version."""
    table = _table(name)
    return cached(store, ("rows", name), lambda: _fetch_whole(store, table))


def rows_by_ids(store, name: str, ids: Iterable[str]) -> list[dict]:
    """The rows of ``name`` with these ids (absent ids are skipped), ordered by id."""
    table = _table(name)
    iris = [PMID[f"{name}/{check_id(i)}"] for i in dict.fromkeys(ids)]
    if not iris:
        return []
    return _fetch(store, table, values_block("s", iris))


def rows_linking(store, name: str, column: str, targets: Iterable[URIRef]) -> list[dict]:
    """The rows of table ``name`` whose reference ``column`` points at one of ``targets``."""
    table = _table(name)
    predicate = table.column(column).predicate
    targets = list(dict.fromkeys(targets))
    if not targets:
        return []
    where = f"{values_block('target', targets)} ?s {term_n3(predicate)} ?target ."
    return _fetch(store, table, where)


# ------------------------------------------------------------------ labels

_LABELS = """
SELECT ?s ?l ?k WHERE {
  { ?s skos:prefLabel ?l . BIND(0 AS ?k) } UNION { ?s rdfs:label ?l . BIND(1 AS ?k) }
}
"""


def labels(store) -> dict[str, dict[str, str]]:
    """IRI → {language (``""`` for none): label}, skos:prefLabel before rdfs:label; cached per version."""

    def compute() -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        bindings = store.query_json(_LABELS)["results"]["bindings"]
        bindings.sort(key=lambda b: (b["k"]["value"], b["l"]["value"]))
        for b in bindings:
            out.setdefault(b["s"]["value"], {}).setdefault(b["l"].get("xml:lang", ""), b["l"]["value"])
        return out

    return cached(store, ("labels",), compute)


def label_of(store, iri: str, lang: str = "fr") -> str:
    """The label of ``iri`` in ``lang`` (else without language, French, English, any), or its id."""
    found = labels(store).get(str(iri), {})
    for key in (lang, "", "fr", "en"):
        if key in found:
            return found[key]
    return next(iter(found.values()), iri_id(iri))


def ref(store, table: str, row_id: str | None, lang: str = "fr") -> dict | None:
    """``{"id", "iri", "label"}`` for a reference cell (``None`` stays ``None``)."""
    if not row_id:
        return None
    iri = str(PMID[f"{table}/{row_id}"])
    out = {"id": row_id, "iri": iri, "label": label_of(store, iri, lang)}
    names = {k: v for k, v in labels(store).get(iri, {}).items() if k and k != lang}
    if names:
        out["labels"] = names
    return out


def _ref_any(store, tables: tuple[str, ...], row_id: str) -> dict:
    """A reference whose table is one of ``tables`` (first table whose IRI has a label)."""
    known = labels(store)
    for table in tables:
        if str(PMID[f"{table}/{row_id}"]) in known:
            return {**ref(store, table, row_id), "table": table}
    return {"id": row_id, "iri": None, "label": row_id, "table": None}


def is_overdue(review_due: str | None, today: date | None = None) -> bool | None:
    """True once the period named by ``review_due`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) has passed."""
    if not review_due:
        return None
    now = (today or date.today()).isoformat()
    return now[: len(review_due)] > review_due


# ------------------------------------------------------------------ actor search

# ------------------------------------------------------------------ actor summaries and detail

def _tristate(values: list[bool | None]) -> bool | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return all(known)


def _summary(store, row: dict, types: dict[str, dict], lang: str) -> dict:
    own_types = [types[t] for t in row["service_type"] if t in types]
    age_min = row["age_min"] if row["age_min"] is not None else min(
        (t["age_min"] for t in own_types if t["age_min"] is not None), default=None)
    age_max = row["age_max"] if row["age_max"] is not None else max(
        (t["age_max"] for t in own_types if t["age_max"] is not None), default=None)
    return {
        "id": row["id"],
        "iri": str(PMID[f"actors/{row['id']}"]),
        "label": row["label"],
        "acronym": row["acronym"],
        "kind": row["kind"],
        "sector": [ref(store, "sectors", s, lang) for s in row["sector"]],
        "service_type": [ref(store, "service_types", t, lang) for t in row["service_type"]],
        "country": ref(store, "territories", row["country"], lang),
        "territory": [ref(store, "territories", t, lang) for t in row["territory"]],
        "mandate": sorted({t["mandate_kind"] for t in own_types if t["mandate_kind"]}),
        "free_adherence": _tristate([t["free_adherence"] for t in own_types]),
        "anonymity": _tristate([t["anonymity"] for t in own_types]),
        "age_min": age_min,
        "age_max": age_max,
        "ages_known": age_min is not None or age_max is not None,
        "verified": row["verified"],
        "review_due": row["review_due"],
        "review_overdue": is_overdue(row["review_due"]),
    }


def _types_by_id(store) -> dict[str, dict]:
    return {t["id"]: t for t in table_rows(store, "service_types")}


def actor_summaries(store, ids: list[str], lang: str = "fr") -> list[dict]:
    """Short descriptions of the actors ``ids`` (in that order), labels resolved."""
    found = {r["id"]: r for r in rows_by_ids(store, "actors", ids)}
    types = _types_by_id(store)
    return [_summary(store, found[i], types, lang) for i in ids if i in found]


def _sources(store, row: dict, lang: str) -> list[dict]:
    out = []
    for src in rows_by_ids(store, "sources", row.get("source", [])):
        out.append({"id": src["id"], "iri": str(PMID[f"sources/{src['id']}"]), "kind": src["kind"],
                    "title": src["title"], "url": src["url"], "seen_on": src["seen_on"],
                    "citation": src["citation"], "locator": row.get("locator")})
    return out


def actor_detail(store, actor_id: str, lang: str = "fr") -> dict:
    """Everything known about one actor, references labelled; :class:`EntityError` 404 if absent."""
    check_id(actor_id, "actor id")
    return cached(store, ("actor", actor_id, lang), lambda: _actor_detail(store, actor_id, lang))


def _actor_detail(store, actor_id: str, lang: str) -> dict:
    found = rows_by_ids(store, "actors", [actor_id])
    if not found:
        raise EntityError(f"no actor with id {actor_id!r}", 404)
    row = found[0]
    iri = PMID[f"actors/{actor_id}"]
    types = _types_by_id(store)
    detail = _summary(store, row, types, lang)
    detail.update({
        "description": row["description"],
        "homepage": row["homepage"],
        "contact_page": row["contact_page"],
        "start": row["start"],
        "end": row["end"],
        "service_types": [_service_type_view(store, types[t], lang) for t in row["service_type"] if t in types],
        "parent": actor_summaries(store, [row["parent"]], lang)[0] if row["parent"] else None,
        "children": actor_summaries(store, [r["id"] for r in rows_linking(store, "actors", "parent", [iri])], lang),
    })
    posts = rows_linking(store, "posts", "actor", [iri])
    detail["posts"] = [{
        "id": p["id"], "iri": str(PMID[f"posts/{p['id']}"]), "label": p["label"],
        "function": ref(store, "functions", p["function"], lang),
        "territory": [ref(store, "territories", t, lang) for t in p["territory"]],
        "verified": p["verified"], "review_due": p["review_due"], "review_overdue": is_overdue(p["review_due"]),
    } for p in posts]
    members = [iri, *(PMID[f"posts/{p['id']}"] for p in posts)]
    detail["memberships"] = [_membership_view(store, m, "collective", lang)
                             for m in rows_linking(store, "memberships", "member", members)]
    detail["members"] = [_membership_view(store, m, "member", lang)
                         for m in rows_linking(store, "memberships", "collective", [iri])]
    parties = {iri: "actor"}
    parties.update({PMID[f"service_types/{t}"]: "service_type" for t in row["service_type"]})
    parties.update({PMID[f"sectors/{s}"]: "sector" for s in row["sector"]})
    mine = _countries_of(store, [row["country"]])
    detail["agreements"] = [_agreement_view(store, a, lang, via=parties)
                            for a in rows_linking(store, "agreements", "parties", parties)
                            if iri in _party_iris(a) or _agreement_in(store, a, mine)]
    ends = [k for k, v in parties.items() if v != "sector"]
    referrals = {r["id"]: (r, "out") for r in rows_linking(store, "referrals", "from", ends)}
    for r in rows_linking(store, "referrals", "to", ends):
        referrals.setdefault(r["id"], (r, "in"))
    detail["referrals"] = [_referral_view(store, r, direction, lang) for r, direction in referrals.values()]
    detail["sources"] = _sources(store, row, lang)
    detail["senses"] = sorted(({"id": g["id"], "iri": str(PMID[f"glossary/{g['id']}"]),
                                "acronym": g["acronym"], "label": label_of(store, PMID[f"glossary/{g['id']}"], lang)}
                               for g in rows_linking(store, "glossary", "actor", [iri])),
                              key=lambda g: g["id"])
    return detail


def _root_country(store) -> dict[str, str]:
    """Territory id → the country it lies in (its outermost ancestor along ``pm:partOf``)."""

    def compute() -> dict[str, str]:
        parent = {t["id"]: t["parent"] for t in table_rows(store, "territories")}
        return {some_id: territory_ancestors(some_id, lambda t: [parent.get(t)])[-1] for some_id in parent}

    return cached(store, ("root_country",), compute)


def _countries_of(store, territories: Iterable[str]) -> set[str]:
    roots = _root_country(store)
    return {roots.get(t, t) for t in territories if t}


def _party_iris(a: dict) -> set:
    return {PMID[f"actors/{p}"] for p in a["parties"]}


def _agreement_countries(store) -> dict[str, set[str]]:
    """Agreement id → the countries of its actor and service-type parties (empty: between sectors only)."""

    def compute() -> dict[str, set[str]]:
        actors = {r["id"]: [r["country"]] for r in table_rows(store, "actors")}
        types = {r["id"]: r["country"] for r in table_rows(store, "service_types")}
        return {a["id"]: _countries_of(store, [c for p in a["parties"] for c in actors.get(p, types.get(p, []))])
                for a in table_rows(store, "agreements")}

    return cached(store, ("agreement_countries",), compute)


def _agreement_in(store, a: dict, countries: set[str]) -> bool:
    """Whether agreement ``a`` holds in one of ``countries``: the countries of its actor and service-type parties;
    an agreement between sectors only holds everywhere. A French agreement never shows on a Belgian page."""
    places = _agreement_countries(store).get(a["id"], set())
    return not places or bool(places & countries)


def _service_type_view(store, t: dict, lang: str) -> dict:
    return {
        "id": t["id"], "iri": str(PMID[f"service_types/{t['id']}"]),
        "label": label_of(store, PMID[f"service_types/{t['id']}"], lang), "acronym": t["acronym"],
        "labels": {k: v for k, v in labels(store).get(str(PMID[f"service_types/{t['id']}"]), {}).items()
                   if k and k != lang},
        "mandate_kind": t["mandate_kind"], "free_adherence": t["free_adherence"], "anonymity": t["anonymity"],
        "age_min": t["age_min"], "age_max": t["age_max"], "legal_basis": t["legal_basis"],
        "definition": t["definition"], "is_not": t["is_not"],
        "sector": [ref(store, "sectors", s, lang) for s in t["sector"]],
        "country": [ref(store, "territories", c, lang) for c in t["country"]],
    }


def _membership_view(store, m: dict, side: str, lang: str) -> dict:
    other = m[side]
    return {
        "id": m["id"], side: _ref_any(store, ("actors", "posts"), other), "role": m["role"],
        "start": m["start"], "end": m["end"], "verified": m["verified"], "review_due": m["review_due"],
        "review_overdue": is_overdue(m["review_due"]),
    }


STALE_STATUSES = ("superseded", "obsolete", "never_applied", "unknown")


def _agreement_view(store, a: dict, lang: str, via: dict | None = None) -> dict:
    view = {
        "id": a["id"], "iri": str(PMID[f"agreements/{a['id']}"]), "label": a["label"], "kind": a["kind"],
        "status": a["status"], "date": a["date"], "last_revised": a["last_revised"],
        "revises": a["revises"], "description": a["description"], "url": a["url"],
        "parties": [_ref_any(store, ("actors", "service_types", "sectors"), p) for p in a["parties"]],
        "verified": a["verified"], "review_due": a["review_due"], "review_overdue": is_overdue(a["review_due"]),
    }
    view["stale"] = a["status"] in STALE_STATUSES or bool(view["review_overdue"])
    if via is not None:
        view["via"] = sorted({via[k] for k in via if iri_id(k) in a["parties"]})
    return view


def _referral_view(store, r: dict, direction: str, lang: str) -> dict:
    other = r["to"] if direction == "out" else r["from"]
    return {
        "id": r["id"], "direction": direction, "both_ways": r["both_ways"],
        "from": _ref_any(store, ("service_types", "actors"), r["from"]),
        "to": _ref_any(store, ("service_types", "actors"), r["to"]),
        "other": _ref_any(store, ("service_types", "actors"), other),
        "condition_kind": r["condition_kind"], "condition": r["condition"], "need": r["need"],
    }


def agreement_detail(store, agreement_id: str, lang: str = "fr") -> dict:
    """One agreement with labelled parties, the agreement it revises and those revising it, its legal basis and
    sources; :class:`EntityError` 404 if absent."""
    check_id(agreement_id, "agreement id")
    found = rows_by_ids(store, "agreements", [agreement_id])
    if not found:
        raise EntityError(f"no agreement with id {agreement_id!r}", 404)
    row = found[0]
    revised_by = rows_linking(store, "agreements", "revises", [PMID[f"agreements/{agreement_id}"]])
    return {**_agreement_view(store, row, lang), "locator": row["locator"], "legal_basis": row["legal_basis"],
            "revises": ref(store, "agreements", row["revises"], lang),
            "revised_by": [ref(store, "agreements", r["id"], lang) for r in revised_by],
            "sources": _sources(store, row, lang)}


agreement_view = _agreement_view
service_type_view = _service_type_view
__all__ += ["agreement_detail", "agreement_view", "service_type_view", "STALE_STATUSES", "form_choices", "find_actors",
            "labels_by_id"]


# ------------------------------------------------------------------ forms and names

CHOICES_QUERY = """
SELECT ?s ?cls ?label ?level WHERE {
  VALUES ?cls { pm:Sector pm:ServiceType pm:Territory }
  ?s a ?cls ; skos:prefLabel ?label . FILTER(LANG(?label) = "fr" || LANG(?label) = "")
  OPTIONAL { ?s pm:level ?level }
}
"""


def form_choices(store) -> dict[str, list[dict]]:
    """Options for the forms' selects: sectors, service types, territories down to districts (cached per version)."""
    return cached(store, ("form_choices",), lambda: _form_choices(store))


def _form_choices(store) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"sectors": [], "service_types": [], "territories": []}
    seen = set()
    for row in store.select(CHOICES_QUERY):
        sid = short_id(row["s"])
        cls = short_id(row["cls"])
        if (sid, cls) in seen:
            continue
        seen.add((sid, cls))
        if cls == "Sector":
            out["sectors"].append({"id": sid, "label": row["label"]})
        elif cls == "ServiceType":
            out["service_types"].append({"id": sid, "label": row["label"], "acronyms": []})
        elif short_id(row.get("level")) in ("level-country", "level-region", "level-province", "level-district"):
            out["territories"].append({"id": sid, "label": row["label"], "level": short_id(row["level"])})
    for values in out.values():
        values.sort(key=lambda item: item["label"].casefold())
    return out


FIND_ACTORS_QUERY = """
SELECT ?a ?label (GROUP_CONCAT(?acronym; separator=" ") AS ?acronyms) WHERE {
  ?a a pm:Actor ; skos:prefLabel ?label . OPTIONAL { ?a pm:acronym ?acronym }
} GROUP BY ?a ?label
"""


def find_actors(store, text: str, limit: int = 20) -> list[dict]:
    """Actors whose name, acronym or id holds every word of ``text`` (case- and accent-insensitive, words may be
    prefixes: « SAJ Liège », « cpas seraing », « aide jeunesse liege »), best first: the exact name or id, then
    names that start with the text, then the shortest names."""
    words = fold(text).replace("-", " ").split()
    if not words:
        return []
    wanted = " ".join(words)

    def compute() -> list[tuple[str, str, str]]:
        rows = []
        for row in store.select(FIND_ACTORS_QUERY):
            some_id = short_id(row["a"])
            haystack = " ".join((fold(row["label"]), fold(row.get("acronyms") or ""), some_id)).replace("-", " ")
            rows.append((some_id, row["label"], haystack))
        return rows

    found = []
    for some_id, label, haystack in cached(store, ("find_actors",), compute):
        tokens = haystack.replace("'", " ").replace("’", " ").split()
        if all(any(t.startswith(w) for t in tokens) for w in words):
            folded = fold(label)
            exact = wanted in (folded, some_id.replace("-", " ")) or f" {wanted} " in f" {haystack} "
            found.append((not exact, not folded.startswith(wanted), len(label), label, some_id))
    found.sort()
    return [{"id": some_id, "label": label} for *_, label, some_id in found[:limit]]


def fold(text: str) -> str:
    """``text`` lower-cased without accents, for case- and accent-insensitive matching of names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def labels_by_id(store) -> dict[str, dict[str, str]]:
    """Short id → {language: label} of every labelled entity (:func:`labels` keyed by :func:`graph.ids.short_id`)."""

    def compute() -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for iri, names in labels(store).items():
            out.setdefault(short_id(iri), names)
        return out

    return cached(store, ("labels_by_id",), compute)
