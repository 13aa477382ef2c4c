"""Faults: SIGKILL in the middle of a build or an edit, and right after an acknowledged edit; a full disk.

Each crash runs in a subprocess that stops at a chosen point (a patched function writes a marker file and
sleeps) and is killed there with SIGKILL. A fresh process then finds the old state or the new one — the
store opens, its version is that of the tables it was built from (after :func:`graph.ops.editing.recover`) —
never a mix, and an acknowledged edit is always there.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph.build.pipeline import BuildFailed, build, check
from graph.config import PROJECT_ROOT
from graph.ops import editing
from graph.store import EmbeddedStore
from tests.security.crash import kill_when_marked

ACTOR = "amo-passages"

CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    data, store, stop_at, marker = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    from graph.build import pipeline as build_module
    from graph.ops import editing
    from graph import store as store_module
    from graph.store import writer as store_writer
    def halt(name, real):
        def wrapper(*args, **kwargs):
            if name == stop_at:
                marker.write_text(name)
                time.sleep(600)
            return real(*args, **kwargs)
        return wrapper

    store_module.NewBuild.commit = halt("commit", store_module.NewBuild.commit)
    store_writer.fsync_dir = halt("fsync", store_writer.fsync_dir)
    editing._rebuild = halt("rebuild", editing._rebuild)
    editing._replace_file = halt("replace", editing._replace_file)
    if sys.argv[5] == "build":
        build_module.build(data, store)
    else:
        row = editing.get_row("actors", "amo-passages", data)
        editing.apply_edit("actors", "amo-passages", {"description": sys.argv[6]}, "crash", "crash test",
                           row.etag, data=data, store=store)
        print("ACK", flush=True)
        marker.write_text("ack")
        time.sleep(600)
""")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("faults")
    data = base / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("README.md"))
    store = base / "store"
    build(data, store)
    return data, store


@pytest.fixture()
def workspace(built, tmp_path):
    data, store = tmp_path / "data", tmp_path / "store"
    shutil.copytree(built[0], data)
    shutil.copytree(built[1], store, symlinks=True)
    return data, store


def _run_and_kill(data: Path, store: Path, stop_at: str, mode: str, value: str = "") -> str:
    """Run the child until it reaches ``stop_at`` (or acknowledges), SIGKILL it; return what it printed."""
    marker = store.parent / "reached"
    child = kill_when_marked(CHILD, [str(data), str(store), stop_at, str(marker), mode, value], marker)
    return child.stdout.read()


def _consistent(data: Path, store: Path) -> str:
    """After a restart: recover, then the store must open and match the tables exactly; return its version."""
    editing.recover(data, store)
    opened = EmbeddedStore(store)
    assert len(opened) == opened.meta["triples"]
    assert opened.version == check(data).version, "store and tables disagree (a mix of old and new)"
    return opened.version


def _touch_description(data: Path, text: str) -> None:
    path = data / "actors.csv"
    content = path.read_text(encoding="utf-8")
    row = editing.get_row("actors", ACTOR, data)
    lines = content.splitlines(keepends=True)
    import csv
    import io

    buffer = io.StringIO()
    header = next(csv.reader([lines[0]]))
    csv.writer(buffer, lineterminator="\n").writerow([{**row.values, "description": text}.get(h, "") for h in header])
    lines[row.first_line:row.end_line] = [buffer.getvalue()]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("stop_at", ["commit", "fsync"])
def test_build_killed_midway_leaves_old_or_new(workspace, stop_at):
    data, store = workspace
    old = EmbeddedStore(store).version
    _touch_description(data, "nouvelle description avant un arrêt brutal")
    new = check(data).version
    _run_and_kill(data, store, stop_at, "build")
    version = EmbeddedStore(store).version
    assert version in (old, new)
    assert len(EmbeddedStore(store)) == EmbeddedStore(store).meta["triples"]
    assert build(data, store).version == new  # the lock died with the process: the next build goes through
    assert EmbeddedStore(store).version == new


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5])
def test_build_killed_at_random_times_leaves_old_or_new(workspace, delay):
    data, store = workspace
    old = EmbeddedStore(store).version
    _touch_description(data, f"tuée après {delay} s")
    new = check(data).version
    child = subprocess.Popen([sys.executable, "-c", "import sys; from graph.build.pipeline import build; "
                              "build(sys.argv[1], sys.argv[2])", str(data), str(store)], cwd=PROJECT_ROOT)
    time.sleep(delay)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    opened = EmbeddedStore(store)
    assert opened.version in (old, new) and len(opened) == opened.meta["triples"]


@pytest.mark.parametrize("stop_at", ["replace", "rebuild", "commit"])
def test_edit_killed_midway_is_all_or_nothing(workspace, stop_at):
    data, store = workspace
    before = editing.get_row("actors", ACTOR, data).values["description"]
    _run_and_kill(data, store, stop_at, "edit", "écrit pendant un arrêt brutal")
    _consistent(data, store)
    after = editing.get_row("actors", ACTOR, data).values["description"]
    assert after in (before, "écrit pendant un arrêt brutal")
    done = [h for h in editing.history(store) if h["id"] == ACTOR]
    assert bool(done) == (after != before)  # in the history if and only if it is in the data
    assert not list(data.glob(".*.tmp")) or stop_at == "replace"


def test_acknowledged_edit_survives_sigkill(workspace):
    data, store = workspace
    printed = _run_and_kill(data, store, "never", "edit", "acquittée puis tuée")
    assert printed.strip() == "ACK"
    version = _consistent(data, store)
    assert editing.get_row("actors", ACTOR, data).values["description"] == "acquittée puis tuée"
    rows = EmbeddedStore(store).select(
        'SELECT ?d WHERE { <https://w3id.org/passe-muraille/id/actors/amo-passages> ?p ?d '
        'FILTER(CONTAINS(STR(?d), "acquittée puis tuée")) }')
    assert rows, "the acknowledged edit is not in the store"
    assert editing.history(store)[0]["version"] == version


def test_full_disk_during_build_is_reported(workspace, monkeypatch):
    data, store = workspace
    old = EmbeddedStore(store).version
    _touch_description(data, "ne tiendra pas sur le disque")
    import pyoxigraph

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyoxigraph.Store, "bulk_load", full, raising=False)
    with pytest.raises(BuildFailed) as err:
        build(data, store)
    assert "disk full" in str(err.value) and "previous store is unchanged" in str(err.value)
    assert EmbeddedStore(store).version == old
    assert not list((store / "builds").glob(".tmp-*"))


def test_full_disk_during_edit_is_reported(workspace, monkeypatch):
    data, store = workspace
    row = editing.get_row("actors", ACTOR, data)
    tables = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    version = EmbeddedStore(store).version
    real = os.fsync

    def full(fd):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(editing.os, "fsync", full)
    with pytest.raises(editing.EditError, match="disk full"):
        editing.apply_edit("actors", ACTOR, {"description": "x"}, "t", "disque plein", row.etag, data=data,
                           store=store)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in data.glob("*.csv")} == tables
    assert not list(data.glob(".*.tmp"))
    assert _consistent(data, store) == version and editing.history(store) == []
