"""Writing builds: a new database beside the current one, swapped in atomically (``current`` symlink).

Embedded layout (``store_dir()``)::

    builds/<version>/oxigraph/   one Oxigraph (RocksDB) database per build, never modified after the swap
    builds/<version>/meta.json   version (content hash of the set of triples), counts, build time
    current -> builds/<version>  symbolic link, replaced atomically (rename) once a build is valid

A build writes a new directory beside the old one and only then swaps ``current``: a failed or killed
build leaves the previous store untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from graph.config import store_dir
from graph.store.errors import StoreError

KEEP_BUILDS = 3


def current_version(root: Path | str | None = None) -> str | None:
    """The version of the current embedded build, or None if there is none."""
    root = Path(root) if root else store_dir()
    meta = root / "current" / "meta.json"
    try:
        return json.loads(meta.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


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
