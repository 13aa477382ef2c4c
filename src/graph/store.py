"""The triple store: an embedded Oxigraph database on disk, or a remote SPARQL 1.1 endpoint.

Embedded layout (``store_dir()``)::

    builds/<version>/oxigraph/   one Oxigraph (RocksDB) database per build, never modified after the swap
    builds/<version>/meta.json   version (content hash of the set of triples), counts, build time
    current -> builds/<version>  symbolic link, replaced atomically (rename) once a build is valid

A build writes a new directory beside the old one and only then swaps ``current``: a failed or killed
build leaves the previous store untouched. Readers open the current build read-only.

Both backends answer the same calls (:meth:`query_json`, :meth:`select`, :meth:`construct`), so the
CLI, the API and the notebooks never know which one they talk to.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.config import endpoint_url, store_dir
from graph.sparql.tsv import values_from_tsv
from graph.vocab.namespaces import SPARQL_PREFIXES

__all__ = [
    "StoreError", "fsync_dir", "EmbeddedStore", "RemoteStore", "open_store", "NewBuild", "write_build", "build_lock",
    "current_version", "to_python", "graph_version",
]

KEEP_BUILDS = 3
JSON_RESULTS = "application/sparql-results+json"


class StoreError(Exception):
    """The store cannot be opened, written or queried."""


# ------------------------------------------------------------------ values

_NUMERIC = {str(XSD.integer): int, str(XSD.int): int, str(XSD.long): int, str(XSD.decimal): Decimal,
            str(XSD.double): float, str(XSD.float): float}


def to_python(binding: dict | None) -> Any:
    """Convert one SPARQL JSON result binding to a Python value (IRIs and strings as ``str``)."""
    if binding is None:
        return None
    value = binding["value"]
    if binding["type"] != "literal" and binding["type"] != "typed-literal":
        return value
    datatype = binding.get("datatype")
    if datatype in _NUMERIC:
        try:
            return _NUMERIC[datatype](value)
        except (ValueError, ArithmeticError):
            return value
    if datatype == str(XSD.boolean):
        return value in ("true", "1")
    return value


_BOOLEAN = str(XSD.boolean)


def _ox_to_python(term) -> Any:
    """An Oxigraph term as the Python value :func:`to_python` gives for its SPARQL JSON form."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        value = term.value
        convert = _NUMERIC.get(datatype)
        if convert is not None:
            try:
                return convert(value)
            except (ValueError, ArithmeticError):
                return value
        if datatype == _BOOLEAN:
            return value in ("true", "1")
        return value
    return term.value


def _values(result: dict) -> list[tuple[str | None, ...]]:
    variables = result.get("head", {}).get("vars", [])
    return [tuple(binding[var]["value"] if var in binding else None for var in variables)
            for binding in result.get("results", {}).get("bindings", [])]


def _rows(result: dict) -> list[dict[str, Any]]:
    variables = result.get("head", {}).get("vars", [])
    return [{var: to_python(binding.get(var)) for var in variables}
            for binding in result.get("results", {}).get("bindings", [])]


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _rdflib_term(value: Any):
    if isinstance(value, URIRef | Literal):
        return value
    return Literal(value)


def term_n3(value: Any) -> str:
    """Serialise a binding value as a SPARQL term, refusing IRIs that could break out of ``<…>``."""
    term = _rdflib_term(value)
    if isinstance(term, URIRef) and _IRI_FORBIDDEN.search(str(term)):
        raise StoreError(f"invalid IRI in a query binding: {str(term)[:80]!r}")
    return term.n3()


_WHERE_GROUP = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_bindings(query: str, bindings: dict | None) -> str:
    """Join the bindings to the query as a ``VALUES`` block (SPARQL 1.1 §10.2.1), terms escaped by rdflib.

    The block opens the query's ``WHERE`` group, where engines start from it: a trailing ``VALUES`` clause
    (§10.2.2) has the same solutions when the bound variables occur in the group's required patterns — as in
    every query of this project — but Oxigraph joins it last, after evaluating the group for every entity
    (seconds per query at a million triples instead of milliseconds). Without a ``WHERE`` keyword the block is
    appended as a trailing clause. User input never enters the query text except as such an escaped term.
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise StoreError(f"invalid variable name {name!r}")
    terms = " ".join(term_n3(bindings[name]) for name in names)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"
    found = _WHERE_GROUP.search(query)
    if found is None:
        return f"{query}\n{block}"
    return f"{query[:found.end()]} {block}\n{query[found.end():]}"


def with_prefixes(query: str) -> str:
    """Prepend the project's prefixes unless the query declares its own."""
    return query if "PREFIX" in query[:400].upper() else SPARQL_PREFIXES + query


# ------------------------------------------------------------------ embedded

class EmbeddedStore:
    """The current build of the embedded Oxigraph store, opened read-only."""

    kind = "embedded"

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root else store_dir()
        current = self.root / "current"
        if not current.exists():
            raise StoreError(f"no store at {self.root}: run 'passe-muraille build' first")
        self.build_dir = current.resolve()
        self.meta = json.loads((self.build_dir / "meta.json").read_text(encoding="utf-8"))
        self.version: str = self.meta["version"]
        try:
            self._store = ox.Store.read_only(str(self.build_dir / "oxigraph"))
        except OSError as err:
            raise StoreError(f"cannot open the store at {self.build_dir}: {err}") from err

    def is_stale(self) -> bool:
        """True if another build has been swapped in since this one was opened."""
        try:
            return (self.root / "current").resolve() != self.build_dir
        except OSError:
            return True

    def _run(self, query: str, bindings: dict | None):
        try:
            return self._store.query(with_prefixes(with_bindings(query, bindings)))
        except SyntaxError as err:
            raise StoreError(f"SPARQL syntax error: {err}") from err

    def query_json(self, query: str, bindings: dict | None = None) -> dict:
        """Run a SELECT or ASK query; return SPARQL 1.1 Query Results JSON as a dict."""
        result = self._run(query, bindings)
        if isinstance(result, ox.QueryBoolean):
            return {"head": {}, "boolean": bool(result)}
        if isinstance(result, ox.QueryTriples):
            raise StoreError("a CONSTRUCT or DESCRIBE query returns triples: use construct()")
        return json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))

    def select(self, query: str, bindings: dict | None = None) -> list[dict[str, Any]]:
        """Run a SELECT query; return one dict of Python values per solution (converted straight from
        Oxigraph's terms, with the same rules as :func:`to_python`; no JSON round trip)."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("not a SELECT query")
        names = [variable.value for variable in result.variables]
        return [{name: _ox_to_python(solution[name]) for name in names} for solution in result]

    def select_values(self, query: str, bindings: dict | None = None) -> list[tuple[str | None, ...]]:
        """Run a SELECT query; return one tuple per solution, in the order of its variables, of each term's
        string value (an IRI, a literal's lexical form, a blank node's label; ``None`` if unbound): the
        ``value`` fields of the SPARQL JSON results, read from Oxigraph's TSV without a Python object per term
        (:mod:`graph.sparql.tsv`). The fast path for reads of hundreds of thousands of solutions."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("not a SELECT query")
        return values_from_tsv(result.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8"))[1]

    def construct(self, query: str, bindings: dict | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query; return an rdflib graph."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("not a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        graph.parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        return graph

    def dump_ntriples(self) -> bytes:
        """Every triple of the store as N-Triples (unsorted)."""
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())

    def __len__(self) -> int:
        return len(self._store)

    def rdflib_graph(self) -> Graph:
        """The store as an rdflib Graph (oxrdflib), for rdflib-based tools; read-only by convention."""
        from oxrdflib import OxigraphStore

        return Graph(store=OxigraphStore(store=self._store))


# ------------------------------------------------------------------ remote

class RemoteStore:
    """A SPARQL 1.1 Protocol query endpoint (Oxigraph server, Fuseki, …) answering the same calls."""

    kind = "remote"

    def __init__(self, url: str, timeout: float = 30.0):
        self.url = url
        self._client = httpx.Client(timeout=timeout)
        self.version = self._fetch_version()
        self.meta = {"version": self.version, "endpoint": url}

    def _fetch_version(self) -> str:
        # a cheap fingerprint of the remote dataset: its size; remote stores carry no build metadata
        try:
            count = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
        except (StoreError, KeyError, IndexError):
            count = "unknown"
        return f"remote-{count}"

    def is_stale(self) -> bool:
        return False

    def _post(self, query: str, accept: str) -> httpx.Response:
        try:
            response = self._client.post(self.url, data={"query": with_prefixes(query)}, headers={"Accept": accept})
        except httpx.HTTPError as err:
            raise StoreError(f"SPARQL endpoint {self.url} unreachable: {err}") from err
        if response.status_code >= 400:
            raise StoreError(f"SPARQL endpoint answered {response.status_code}: {response.text[:300]}")
        return response

    def query_json(self, query: str, bindings: dict | None = None) -> dict:
        return self._post(with_bindings(query, bindings), JSON_RESULTS).json()

    def select(self, query: str, bindings: dict | None = None) -> list[dict[str, Any]]:
        return _rows(self.query_json(query, bindings))

    def select_values(self, query: str, bindings: dict | None = None) -> list[tuple[str | None, ...]]:
        """As :meth:`EmbeddedStore.select_values`: the ``value`` of each binding, ``None`` if unbound."""
        return _values(self.query_json(query, bindings))

    def construct(self, query: str, bindings: dict | None = None) -> Graph:
        response = self._post(with_bindings(query, bindings), "application/n-triples")
        graph = Graph()
        graph.parse(data=response.text, format="nt")
        return graph

    def dump_ntriples(self) -> bytes:
        response = self._post("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples")
        return response.content

    def __len__(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])


def open_store(root: Path | str | None = None, endpoint: str | None = None) -> EmbeddedStore | RemoteStore:
    """The configured store: ``endpoint`` (or ``PASSE_MURAILLE_ENDPOINT``) if set, else the embedded one."""
    endpoint = endpoint or (None if root else endpoint_url())
    if endpoint:
        return RemoteStore(endpoint)
    return EmbeddedStore(root)


# ------------------------------------------------------------------ writing a build

def graph_version(lines: Iterable[str]) -> str:
    """Content hash of a set of N-Triples lines (order and duplicates do not matter): equal graphs have equal
    versions. The build computes the same hash on its columns (:meth:`graph.build.shacl.Columns.version`)."""
    from graph.build.shacl import Columns

    return Columns.from_lines(list(lines)).version()


def current_version(root: Path | str | None = None) -> str | None:
    """The version of the current embedded build, or None if there is none."""
    root = Path(root) if root else store_dir()
    meta = root / "current" / "meta.json"
    try:
        return json.loads(meta.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Exclusive lock so that two builds never write the same store at once."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another build is writing {root}; try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fsync_dir(path: Path) -> None:
    """Flush a directory's entries (renames, new files) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def point_current(root: Path, build: Path) -> None:
    """Make ``build`` the current build of the store at ``root``: a new symbolic link renamed over ``current``
    (atomic: readers see the old build or the new one), then the directory fsynced."""
    link = root / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(build, root), link)
    os.replace(link, root / "current")
    fsync_dir(root)


class NewBuild:
    """A build being written beside the current one: :meth:`load`, check it, then :meth:`commit` or :meth:`abort`.

    Must be used under :func:`build_lock`. Nothing is visible to readers before :meth:`commit`, which
    renames the directory into ``builds/`` and swaps the ``current`` link atomically.
    """

    def __init__(self, root: Path | str, version: str | None = None):
        self.root = Path(root)
        self.version = version
        """May be set later (a build may start loading before its version is known), at the latest by commit."""
        self.builds = self.root / "builds"
        self.stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.tmp = self.builds / f".tmp-{self.stamp}-{os.getpid()}"
        self.store: ox.Store | None = None
        self._opening = threading.Lock()

    @property
    def path(self) -> Path:
        """Where the build lives once committed: ``builds/<stamp>-<version>``."""
        return self.builds / f"{self.stamp}-{self.version}" if self.version else self.tmp

    def _fail(self, err: OSError, abort: bool = True) -> StoreError:
        if abort:
            self.abort()
        if err.errno == 28 or "No space left" in str(err):
            return StoreError(f"disk full while writing {self.path}: the previous store is unchanged")
        return StoreError(f"cannot write the store at {self.path}: {err}; the previous store is unchanged")

    def open(self) -> ox.Store:
        """The new build's database (created on first call, open read-write); safe to call from any thread."""
        with self._opening:
            if self.store is None:
                try:
                    self.tmp.mkdir(parents=True)
                    self.store = ox.Store(str(self.tmp / "oxigraph"))
                except OSError as err:
                    raise self._fail(err) from err
            return self.store

    def load(self, ntriples=None, lenient: bool = False, path: str | None = None) -> ox.Store:
        """Bulk-load N-Triples (bytes, a binary file object, or the file or pipe at ``path``, read to its end)
        into the new build's database and return it (open read-write).

        Several threads may load parts of the build at once, as Oxigraph's own ``oxigraph load`` does with
        several files: each bulk load sorts its part and adds it to the database as new files; a triple given
        in two parts is stored once.

        ``lenient``: Oxigraph skips re-validating IRIs — for the build's own output only, where every IRI is a
        fixed namespace plus an id that :mod:`graph.build.tables` checked against ``ID_PATTERN`` (or comes from the
        ontology, parsed by rdflib).
        """
        store = self.open()
        try:
            store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES, path=path, to_graph=ox.DefaultGraph(),
                            lenient=lenient)
        except OSError as err:  # the caller aborts, once every part has stopped
            raise self._fail(err, abort=False) from err
        return store

    def commit(self, meta: dict, version: str | None = None) -> Path:
        """Make the loaded build the current one (atomic rename of the ``current`` link)."""
        if version is not None:
            self.version = version
        if not self.version:
            raise StoreError("a build cannot be committed without its version")
        try:
            if self.store is not None:
                self.store.flush()
            self.store = None
            meta = {**meta, "version": self.version, "built_at": datetime.now(UTC).isoformat(timespec="seconds")}
            (self.tmp / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
            os.replace(self.tmp, self.path)
            fsync_dir(self.builds)
            point_current(self.root, self.path)
        except OSError as err:
            raise self._fail(err) from err
        _prune(self.builds, keep=self.path)
        return self.path

    def abort(self) -> None:
        """Drop the unfinished build; the current one is untouched."""
        self.store = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_build(root: Path | str, ntriples: bytes, version: str, meta: dict) -> Path:
    """Load ``ntriples`` into a new build and make it current (under :func:`build_lock`).

    If the current build already has this version, nothing is written and its directory is returned.
    """
    root = Path(root)
    if current_version(root) == version:
        return (root / "current").resolve()
    new = NewBuild(root, version)
    try:
        new.load(ntriples)
    except BaseException:
        new.abort()
        raise
    return new.commit(meta)


def _prune(builds: Path, keep: Path) -> None:
    """Remove old builds (keeping the newest few, readers may still hold them) and stale temp dirs."""
    finished = sorted((p for p in builds.iterdir() if not p.name.startswith(".")), reverse=True)
    for old in finished[KEEP_BUILDS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in builds.glob(".tmp-*"):
        if time.time() - tmp.stat().st_mtime > 3600:
            shutil.rmtree(tmp, ignore_errors=True)
