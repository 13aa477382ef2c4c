"""The triple store: an embedded Oxigraph database on disk, or a remote SPARQL 1.1 endpoint.

Both backends implement :class:`Store` (:meth:`query_json`, :meth:`select`, :meth:`select_values`,
:meth:`construct`…), so the CLI, the API and the notebooks never know which one they talk to.
Modules: :mod:`.terms` (values and query text), :mod:`.embedded`, :mod:`.remote`, :mod:`.writer` (new
builds and the atomic swap), :mod:`.loader` (bulk loading beside the build), :mod:`.locks`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from rdflib import Graph

from graph.config import endpoint_url
from graph.store.embedded import EmbeddedStore
from graph.store.errors import StoreError
from graph.store.locks import build_lock
from graph.store.remote import RemoteStore
from graph.store.terms import term_n3, to_python, with_bindings, with_prefixes
from graph.store.writer import NewBuild, current_version, fsync_dir, point_current, write_build

__all__ = [
    "Store", "StoreError", "fsync_dir", "EmbeddedStore", "RemoteStore", "open_store", "NewBuild", "write_build",
    "build_lock", "current_version", "to_python", "term_n3", "with_bindings", "with_prefixes", "point_current",
]


@runtime_checkable
class Store(Protocol):
    """What every store answers: the embedded one and a remote SPARQL endpoint alike."""

    kind: str
    version: str

    def is_stale(self) -> bool: ...
    def query_json(self, query: str, bindings: dict | None = None) -> dict: ...
    def select(self, query: str, bindings: dict | None = None) -> list[dict[str, Any]]: ...
    def select_values(self, query: str, bindings: dict | None = None) -> list[tuple[str | None, ...]]: ...
    def construct(self, query: str, bindings: dict | None = None) -> Graph: ...
    def dump_ntriples(self) -> bytes: ...
    def __len__(self) -> int: ...


def open_store(root: Path | str | None = None, endpoint: str | None = None) -> Store:
    """The configured store: ``endpoint`` (or ``PASSE_MURAILLE_ENDPOINT``) if set, else the embedded one."""
    endpoint = endpoint or (None if root else endpoint_url())
    if endpoint:
        return RemoteStore(endpoint)
    return EmbeddedStore(root)
