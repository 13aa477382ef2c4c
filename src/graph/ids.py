"""Identifiers: entity IRIs and their short ids, and the walk up the territory hierarchy.

* An entity's IRI is ``https://w3id.org/passe-muraille/id/<table>/<id>`` (``data/README.md``); its
  **short id** is ``<id>``. A vocabulary IRI (``…/ns#mandate-none``) shortens to its local name.
* A territory's **ancestors** are the territories that contain it: its administrative parent
  (``pm:partOf``) and the areas it lies within outside that tree (``pm:withinArea``: a youth-aid division),
  and theirs, breadth first — so the nearest come first and the distance of each is its rank in the walk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from rdflib import URIRef

from graph.vocab.namespaces import PMID

__all__ = ["entity_iri", "short_id", "territory_ancestors", "territory_distances", "TERRITORY_UP_PATH"]

_PMID = str(PMID)

TERRITORY_UP_PATH = "(pm:partOf|pm:withinArea)*"
"""The SPARQL property path from a territory to itself and every territory containing it."""


def entity_iri(table: str, row_id: str) -> URIRef:
    """The IRI of row ``row_id`` of ``table`` (unchecked: see :func:`graph.query.entities.entity_iri`)."""
    return PMID[f"{table}/{row_id}"]


def short_id(iri: str | None) -> str | None:
    """The id of an entity IRI (``…/id/actors/amo-passages`` → ``amo-passages``), the local name of any other
    IRI (after its last ``#`` or ``/``); ``None`` for nothing."""
    if not iri:
        return None
    iri = str(iri)
    if iri.startswith(_PMID):
        return iri.rsplit("/", 1)[-1]
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def territory_distances(start: str, parents_of: Callable[[str], Iterable[str]]) -> dict[str, int]:
    """``start`` and every territory containing it → the number of steps up to it (0 for ``start``), nearest
    first (breadth first over ``parents_of``, which gives a territory's administrative parent and the areas
    it lies within); cycles are cut."""
    distances, frontier = {start: 0}, [start]
    while frontier:
        following = []
        for territory in frontier:
            for parent in parents_of(territory) or ():
                if parent and parent not in distances:
                    distances[parent] = distances[territory] + 1
                    following.append(parent)
        frontier = following
    return distances


def territory_ancestors(start: str, parents_of: Callable[[str], Iterable[str]]) -> list[str]:
    """``start`` then every territory containing it, nearest first (:func:`territory_distances`)."""
    return list(territory_distances(start, parents_of))
