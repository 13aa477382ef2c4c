"""Open Referral HSDS 3.0 (Human Services Data Specification) for the organisations and services.

Mapping (one way, from the graph's actors):

* **organizations** — actors of kind ``organisation`` or ``authority``, and every actor that is the parent
  of another: ``name`` (label), ``alternate_name`` (acronyms), ``description`` (the actor's, else its
  service type's definition, else its label), ``website`` (homepage), ``uri`` (entity IRI),
  ``parent_organization_id``, and ``organization_identifiers`` holding the Passe-muraille id;
* **services** — actors of kind ``service``, plus one service for each organisation or authority that has a
  service type (the CPAS of a commune is both): ``organization_id`` (the parent organisation, or the
  organisation itself), ``status`` (``inactive`` once a project's end date has passed, else ``active``),
  ``minimum_age``/``maximum_age``, ``eligibility_description`` and ``application_process`` from the mandate
  kind and free adherence, ``service_areas`` from the territories served, ``attributes`` linking the
  service type and sectors as taxonomy terms (taxonomy ``passe-muraille``), ``assured_date`` (last verified).

HSDS ids are UUIDs: UUID 5 of the entity IRI (stable across builds). No e-mail address, phone number or
person is exported: the public data holds none (``contacts`` and ``phones`` stay absent).
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from graph.query.entities import cached, is_overdue, label_of, table_rows
from graph.vocab.namespaces import PMID

__all__ = ["hsds_id", "organizations", "services", "hsds_json", "MANDATE_TEXT"]

MANDATE_TEXT = {
    "none": "Sans mandat : la personne ou la famille s'adresse au service d'elle-même.",
    "administrative": "Sur mandat administratif (en FWB : décision du conseiller de l'aide à la jeunesse, "
                      "aide consentie).",
    "judicial": "Sur mandat judiciaire (décision du tribunal de la jeunesse ou du juge des enfants).",
    "legal_mission": "En vertu d'une mission légale du service, sans mandat individuel.",
}
"""Eligibility text per mandate kind (French, as the public the data is about)."""

ORGANISATION_KINDS = ("organisation", "authority")


def hsds_id(iri: str, part: str = "") -> str:
    """A stable UUID (version 5) for ``iri`` (plus an optional ``part`` for derived objects)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, str(iri) + (f"#{part}" if part else "")))


def _iri(table: str, row_id: str) -> str:
    return str(PMID[f"{table}/{row_id}"])


def _full_date(value: str | None) -> str | None:
    return value if value and len(value) == 10 else None


def _organisation_ids(actors: list[dict]) -> set[str]:
    ids = {a["id"] for a in actors if a["kind"] in ORGANISATION_KINDS}
    ids.update(a["parent"] for a in actors if a["parent"])
    return ids


def organizations(store) -> list[dict]:
    """HSDS ``organization`` objects (validate against ``schema/compiled/organization.json``)."""
    return cached(store, ("hsds", "organizations"), lambda: _organizations(store))


def _description(store, actor: dict, types: dict[str, dict]) -> str:
    if actor["description"]:
        return actor["description"]
    for type_id in actor["service_type"]:
        if type_id in types and types[type_id]["definition"]:
            return types[type_id]["definition"]
    return actor["label"]


def _organizations(store) -> list[dict]:
    actors = table_rows(store, "actors")
    types = {t["id"]: t for t in table_rows(store, "service_types")}
    wanted = _organisation_ids(actors)
    out = []
    for actor in actors:
        if actor["id"] not in wanted:
            continue
        iri = _iri("actors", actor["id"])
        org = {"id": hsds_id(iri), "name": actor["label"], "description": _description(store, actor, types),
               "uri": iri,
               "organization_identifiers": [{"id": hsds_id(iri, "identifier"), "organization_id": hsds_id(iri),
                                             "identifier_scheme": "passe-muraille",
                                             "identifier_type": "Passe-muraille id", "identifier": actor["id"]}]}
        if actor["acronym"]:
            org["alternate_name"] = ", ".join(actor["acronym"])
        if actor["homepage"]:
            org["website"] = actor["homepage"]
        if actor["parent"]:
            org["parent_organization_id"] = hsds_id(_iri("actors", actor["parent"]))
        out.append(org)
    return out


def services(store, today: date | None = None) -> list[dict]:
    """HSDS ``service`` objects (validate against ``schema/compiled/service.json``)."""
    key = ("hsds", "services", (today or date.today()).isoformat())
    return cached(store, key, lambda: _services(store, today))


def _taxonomy_attribute(store, service_id: str, table: str, row_id: str) -> dict:
    iri = _iri(table, row_id)
    label = label_of(store, iri)
    return {
        "id": hsds_id(iri, f"attribute-{service_id}"), "link_id": service_id, "link_type": "service",
        "link_entity": "service", "taxonomy_term_id": hsds_id(iri),
        "taxonomy_term": {"id": hsds_id(iri), "code": row_id, "name": label,
                          "description": f"{'Type de service' if table == 'service_types' else 'Secteur'} : {label}",
                          "taxonomy": "passe-muraille", "term_uri": iri, "language": "fr"},
    }


def _services(store, today: date | None) -> list[dict]:
    actors = table_rows(store, "actors")
    types = {t["id"]: t for t in table_rows(store, "service_types")}
    orgs = _organisation_ids(actors)
    out = []
    for actor in actors:
        if actor["kind"] != "service" and not (actor["kind"] in ORGANISATION_KINDS and actor["service_type"]):
            continue
        iri = _iri("actors", actor["id"])
        own = [types[t] for t in actor["service_type"] if t in types]
        as_part = actor["kind"] != "service"
        service_id = hsds_id(iri, "service") if as_part else hsds_id(iri)
        service = {"id": service_id, "name": actor["label"], "status": "active",
                   "description": _description(store, actor, types), "url": actor["homepage"] or iri}
        if as_part:
            service["organization_id"] = hsds_id(iri)
        elif actor["parent"] and actor["parent"] in orgs:
            service["organization_id"] = hsds_id(_iri("actors", actor["parent"]))
        if actor["end"] and is_overdue(actor["end"], today):
            service["status"] = "inactive"
        if actor["acronym"]:
            service["alternate_name"] = ", ".join(actor["acronym"])
        ages_min = [actor["age_min"]] if actor["age_min"] is not None else [t["age_min"] for t in own
                                                                             if t["age_min"] is not None]
        ages_max = [actor["age_max"]] if actor["age_max"] is not None else [t["age_max"] for t in own
                                                                             if t["age_max"] is not None]
        if ages_min:
            service["minimum_age"] = min(ages_min)
        if ages_max:
            service["maximum_age"] = max(ages_max)
        mandates = sorted({t["mandate_kind"] for t in own if t["mandate_kind"]})
        if mandates:
            service["eligibility_description"] = " ".join(MANDATE_TEXT[m] for m in mandates)
        free = [t["free_adherence"] for t in own if t["free_adherence"] is not None]
        if free:
            service["application_process"] = ("Accès libre : à la demande de la personne ou de la famille."
                                              if all(free) else
                                              "Pas d'accès libre : intervention sur décision d'une autorité.")
        if _full_date(actor["verified"]):
            service["assured_date"] = actor["verified"]
        service["service_areas"] = [
            {"id": hsds_id(_iri("territories", t), f"area-{service_id}"), "service_id": service_id,
             "name": label_of(store, _iri("territories", t)), "uri": _iri("territories", t)}
            for t in actor["territory"]]
        service["attributes"] = [_taxonomy_attribute(store, service_id, "service_types", t)
                                 for t in actor["service_type"]]
        service["attributes"] += [_taxonomy_attribute(store, service_id, "sectors", s) for s in actor["sector"]]
        out.append(service)
    return out


def hsds_json(store, which: str) -> bytes:
    """``organizations`` or ``services`` as a JSON array (UTF-8 bytes), written once per store version and day:
    the services of 50,000 actors make 71 MB, 1–2 s of ``json.dumps``, not to be paid again for every download."""
    produce = {"organizations": organizations, "services": services}[which]
    return cached(store, ("hsds-json", which, date.today().isoformat()),
                  lambda: json.dumps(produce(store), ensure_ascii=False).encode("utf-8"))
