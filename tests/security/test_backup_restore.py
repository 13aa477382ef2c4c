"""``backup`` and ``restore``: a round trip restores everything; a bad archive changes nothing."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from api.http import auth
from graph.build.pipeline import build
from graph.config import PROJECT_ROOT
from graph.ops import backup as backup_module
from graph.ops import contacts, editing
from graph.ops.backup import BackupError, backup, read_manifest, restore
from graph.store import EmbeddedStore

CLI = "from graph.cli.app import app; from graph.cli.ops import register; register(app); app()"


def state(root: Path) -> dict:
    """What a backup must bring back."""
    def digest(name: str) -> str:
        path = root / name
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""

    return {"version": EmbeddedStore(root).version, "triples": len(EmbeddedStore(root)),
            "contacts": contacts.list_contacts(root=root), "tokens": digest("auth/tokens.json"),
            "history": digest("history.jsonl")}


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """A store with an edit, a token and a contact, and its backup (never modified by the tests)."""
    base = tmp_path_factory.mktemp("backup")
    data = base / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("README.md"))
    store = base / "store"
    build(data, store)
    row = editing.get_row("actors", "amo-passages", data)
    editing.apply_edit("actors", "amo-passages", {"description": "avant sauvegarde"}, "t", "test", row.etag,
                       data=data, store=store)
    auth.create_token("sauvegarde", "editor", root=store)
    contacts.add_contact(EmbeddedStore(store), "amo-passages", {"name": "N", "email": "n@example.org"}, "t",
                         root=store)
    archive = base / "backup.tar.gz"
    manifest = backup(archive, store, data)
    return {"data": data, "store": store, "archive": archive, "manifest": manifest, "state": state(store)}


@pytest.fixture()
def live(archived, tmp_path):
    """A copy of the archived store, free to change."""
    store = tmp_path / "store"
    shutil.copytree(archived["store"], store, symlinks=True)
    data = tmp_path / "data"
    shutil.copytree(archived["data"], data)
    return store, data


def _change(store: Path, data: Path) -> None:
    row = editing.get_row("actors", "amo-passages", data)
    editing.apply_edit("actors", "amo-passages", {"description": "après sauvegarde"}, "t", "test", row.etag,
                       data=data, store=store)
    auth.create_token("plus tard", "reader", root=store)
    contacts.add_contact(EmbeddedStore(store), "amo-passages", {"name": "Later", "phone": "02 555 55 55"}, "t",
                         root=store)


def test_manifest_lists_every_part(archived):
    names = set(archived["manifest"]["files"])
    assert {"history.jsonl", "auth/tokens.json", "private/contacts.sqlite",
            "build/meta.json", "data/actors.csv"} <= names
    assert any(n.startswith("build/oxigraph/") for n in names)
    assert read_manifest(archived["archive"])["store_version"] == archived["state"]["version"]
    assert archived["archive"].stat().st_mode & 0o077 == 0


def test_round_trip_brings_everything_back(archived, live):
    store, data = live
    _change(store, data)
    assert state(store) != archived["state"]
    restore(archived["archive"], store, data)
    assert state(store) == archived["state"]
    assert editing.get_row("actors", "amo-passages", data).values["description"] == "avant sauvegarde"
    assert auth.verify_token("pm_nothing.x", root=store) is None


def _rewrite(archive: Path, out: Path, edit) -> None:
    """Copy ``archive`` to ``out`` passing every (name, bytes) through ``edit`` (None drops the member)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            content = src.extractfile(member).read()
            result = edit(member.name, content)
            if result is None:
                continue
            name, content = result
            info = tarfile.TarInfo(name)
            info.size = len(content)
            dst.addfile(info, io.BytesIO(content))


def _bump_version(name, content):
    if name == "manifest.json":
        manifest = json.loads(content)
        manifest["format_version"] = 99
        return name, json.dumps(manifest).encode()
    return name, content


def _traversal(name, content):
    if name == "manifest.json":
        manifest = json.loads(content)
        manifest["files"]["../../evil.txt"] = {"size": 4, "sha256": hashlib.sha256(b"evil").hexdigest()}
        return name, json.dumps(manifest).encode()
    if name == "history.jsonl":
        return "../../evil.txt", b"evil"
    return name, content


@pytest.mark.parametrize(("damage", "message"), [
    ("flip", "corrupt"), ("truncate", "archive"), ("empty", "unreadable archive"), ("text", "unreadable archive"),
    ("tamper", "checksum mismatch"), ("drop", "truncated archive"), ("version", "format version 99"),
    ("traversal", "refused archive member"), ("foreign", "manifest.json must come first"),
])
def test_bad_archive_changes_nothing(archived, live, tmp_path, damage, message):
    store, data = live
    _change(store, data)
    before = state(store)
    tables = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    links = os.readlink(store / "current")
    raw = archived["archive"].read_bytes()
    bad = tmp_path / "bad.tar.gz"
    if damage == "flip":
        bad.write_bytes(raw[:len(raw) // 2] + bytes([raw[len(raw) // 2] ^ 0xFF]) + raw[len(raw) // 2 + 1:])
    elif damage == "truncate":
        bad.write_bytes(raw[: int(len(raw) * 0.7)])
    elif damage == "empty":
        bad.write_bytes(b"")
    elif damage == "text":
        bad.write_text("this is not a backup", encoding="utf-8")
    elif damage == "tamper":
        _rewrite(archived["archive"], bad, lambda n, c: (n, c[:-3] + b'X}\n') if n == "history.jsonl"
                 else (n, c))
    elif damage == "drop":
        _rewrite(archived["archive"], bad, lambda n, c: None if n == "auth/tokens.json" else (n, c))
    elif damage == "version":
        _rewrite(archived["archive"], bad, _bump_version)
    elif damage == "traversal":
        _rewrite(archived["archive"], bad, _traversal)
    elif damage == "foreign":
        with tarfile.open(bad, "w:gz") as tar:
            tar.add(data / "actors.csv", arcname="actors.csv")
    with pytest.raises(BackupError) as err:
        restore(bad, store, data)
    assert message in str(err.value)
    assert state(store) == before and os.readlink(store / "current") == links
    assert {p.name: p.read_bytes() for p in data.glob("*.csv")} == tables
    assert not (tmp_path / "evil.txt").exists() and not (store.parent / "evil.txt").exists()
    assert not list((store / "builds").glob(".restore-*"))


def test_full_disk_during_backup_is_reported(archived, tmp_path, monkeypatch):
    real = tarfile.TarFile.add

    def full(self, *args, **kwargs):
        if "oxigraph" in str(kwargs.get("arcname", "")):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "add", full)
    out = tmp_path / "b.tar.gz"
    with pytest.raises(BackupError, match="disk full"):
        backup(out, archived["store"])
    assert not out.exists() and not list(tmp_path.glob(".b.tar.gz*")) and not list(tmp_path.glob(".backup-*"))


def test_full_disk_during_restore_changes_nothing(archived, live, monkeypatch):
    store, data = live
    before = state(store)
    real = os.replace

    def full(src, dst, *args, **kwargs):
        if str(dst).endswith("history.jsonl"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(backup_module.os, "replace", full)
    _change(store, data)
    before = state(store)
    with pytest.raises(BackupError, match="disk full"):
        restore(archived["archive"], store)
    assert state(store)["version"] == before["version"]  # the current link is swapped last


def test_cli_backup_and_restore(archived, live, tmp_path):
    store, data = live
    env = {**os.environ, "PASSE_MURAILLE_STORE": str(store)}
    out = tmp_path / "cli.tar.gz"
    done = subprocess.run([sys.executable, "-c", CLI, "backup", "--out", str(out), "--json"], env=env,
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True and out.exists()
    _change(store, data)
    (tmp_path / "bad.tar.gz").write_bytes(out.read_bytes()[:1000])
    bad = subprocess.run([sys.executable, "-c", CLI, "restore", str(tmp_path / "bad.tar.gz"), "--json"], env=env,
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert bad.returncode == 1 and "the store is unchanged" in json.loads(bad.stdout)["error"]
    good = subprocess.run([sys.executable, "-c", CLI, "restore", str(out)], env=env, capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=120)
    assert good.returncode == 0 and "Restored store version" in good.stdout, good.stderr
    assert state(store) == archived["state"]
