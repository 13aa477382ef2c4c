"""Load the vocabulary and the SHACL shapes of ``ontology/`` as rdflib graphs."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from graph.config import ONTOLOGY_DIR, ONTOLOGY_FILES, SHAPES_FILE

__all__ = ["ontology_graph", "shapes_graph"]


@lru_cache(maxsize=1)
def _ontology_ntriples() -> tuple:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ONTOLOGY_DIR / name, format="turtle")
    return tuple(graph)


def ontology_graph() -> Graph:
    """A fresh graph holding the vocabulary and its fixed concept schemes."""
    graph = Graph()
    for triple in _ontology_ntriples():
        graph.add(triple)
    return graph


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes (read-only: do not modify the returned graph)."""
    graph = Graph()
    graph.parse(SHAPES_FILE, format="turtle")
    return graph
