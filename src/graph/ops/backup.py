"""Backup and restore of an embedded store: the current build, the history, the tokens and the private contacts.

An archive is a ``.tar.gz`` holding ``manifest.json`` (format, format version, store version, creation time,
and the size and SHA-256 of every other member) and::

    build/…                      the current build directory (meta.json + the Oxigraph database; immutable)
    history.jsonl                the edit history
    auth/tokens.json, auth/secret  hashed API tokens and the session key
    private/contacts.sqlite      person-level contacts (a consistent copy through SQLite's backup API)
    data/*.csv                   the tables the build came from (restored only when asked)

:func:`restore` reads the whole archive into a staging directory beside the store and checks everything
(manifest format and version, member names, sizes, checksums, that the database opens and holds the
triples its ``meta.json`` announces) **before** touching the store; a corrupt, truncated or foreign archive
raises :class:`BackupError` and changes nothing. Then, under the build and edit locks, a journal
(``restore-pending.json``, written to a temporary file, fsynced and renamed: the commit point) records every
move still to do; each file is moved in with ``os.replace``, the ``current`` link is swapped last
(atomically) and the journal is deleted. A restore killed before the journal exists changed nothing; one
killed after it is rolled forward by :func:`complete_pending_restore` (run by the next restore, edit, and
app start-up), so the store ends with the old state or the restored one, never a mix. Archives are written
to a temporary file and renamed: a full disk leaves no half archive.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from graph.config import store_dir
from graph.ops.contacts import FILE_NAME as CONTACTS_FILE
from graph.ops.contacts import PRIVATE_DIR
from graph.store import StoreError, build_lock, fsync_dir, point_current
from graph.store.locks import edit_lock

__all__ = ["BackupError", "backup", "restore", "read_manifest", "complete_pending_restore", "FORMAT", "FORMAT_VERSION",
           "JOURNAL"]

FORMAT = "passe-muraille-backup"
FORMAT_VERSION = 1
MAX_MEMBERS = 100_000
MAX_TOTAL = 20 * 1024 ** 3
_AUX = ("history.jsonl", "auth/tokens.json", "auth/secret", f"{PRIVATE_DIR}/{CONTACTS_FILE}")
JOURNAL = "restore-pending.json"
"""The journal of a restore under way, in the store directory (present only between commit and completion)."""


class BackupError(Exception):
    """A backup could not be written, or an archive is unusable; nothing was changed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _disk(err: OSError, what: str) -> BackupError:
    if err.errno == errno.ENOSPC:
        return BackupError(f"disk full while writing {what}: nothing was changed")
    return BackupError(f"cannot write {what}: {err}; nothing was changed")


def _collect(root: Path, data: Path | None, scratch: Path) -> dict[str, Path]:
    """Archive name → file on disk, for everything a backup holds."""
    current = root / "current"
    if not current.exists():
        raise BackupError(f"no store at {root}: nothing to back up")
    build = current.resolve()
    files = {f"build/{p.relative_to(build).as_posix()}": p for p in sorted(build.rglob("*")) if p.is_file()
             and not p.name.startswith("LOCK")}
    for name in _AUX[:3]:
        if (root / name).is_file():
            files[name] = root / name
    contacts = root / PRIVATE_DIR / CONTACTS_FILE
    if contacts.is_file():
        copy = scratch / CONTACTS_FILE
        source = sqlite3.connect(contacts)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        files[_AUX[3]] = copy
    if data is not None:
        for path in sorted(Path(data).glob("*.csv")):
            files[f"data/{path.name}"] = path
    return files


def backup(out: Path | str, root: Path | str | None = None, data: Path | str | None = None) -> dict:
    """Back up the store at ``root`` (and the tables of ``data``, if given) to ``out``; return the manifest."""
    root = Path(root) if root else store_dir()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as scratch:
            files = _collect(root, Path(data) if data else None, Path(scratch))
            meta = json.loads((root / "current" / "meta.json").read_text(encoding="utf-8"))
            manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "store_version": meta.get("version"),
                        "created": datetime.now(UTC).isoformat(timespec="seconds"),
                        "files": {name: {"size": path.stat().st_size, "sha256": _sha256(path)}
                                  for name, path in files.items()}}
            payload = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
            with tarfile.open(tmp, "w:gz") as tar:
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode, info.mtime = len(payload), 0o600, int(datetime.now(UTC).timestamp())
                tar.addfile(info, io.BytesIO(payload))
                for name, path in files.items():
                    tar.add(path, arcname=name, recursive=False)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, out)
            fsync_dir(out.parent)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _disk(err, str(out)) from err
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return manifest


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and "\x00" not in name \
        and all(p not in ("", ".", "..") for p in parts)


def read_manifest(archive: Path | str) -> dict:
    """The manifest of ``archive`` (:class:`BackupError` if it is not a readable backup of a known version)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.next()
            if member is None or member.name != "manifest.json" or not member.isfile() or member.size > 50 << 20:
                raise BackupError("not a Passe-muraille backup: manifest.json must come first")
            manifest = json.loads(tar.extractfile(member).read())
    except (OSError, tarfile.TarError, EOFError, ValueError, zlib.error) as err:
        raise BackupError(f"unreadable archive {archive}: {err}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a Passe-muraille backup (unknown format)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {manifest.get('format_version')!r} is not supported "
                          f"(this program reads version {FORMAT_VERSION})")
    files = manifest.get("files")
    if not isinstance(files, dict) or not any(n.startswith("build/") for n in files):
        raise BackupError("the manifest lists no build")
    return manifest


def _extract_verified(archive: Path, manifest: dict, staging: Path) -> None:
    files = manifest["files"]
    seen: set[str] = set()
    total = 0
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for count, member in enumerate(tar):
                if member.name == "manifest.json" and count == 0:
                    continue
                if count > MAX_MEMBERS or not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"refused archive member {member.name[:80]!r} (not a plain file with a "
                                      "relative name)")
                expected = files.get(member.name)
                if expected is None or member.name in seen:
                    raise BackupError(f"archive member {member.name[:80]!r} is not in the manifest")
                total += member.size
                if member.size != expected.get("size") or total > MAX_TOTAL:
                    raise BackupError(f"{member.name}: size {member.size} differs from the manifest")
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = tar.extractfile(member)
                with open(target, "wb") as handle:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        handle.write(chunk)
                    handle.flush()
                    os.fsync(handle.fileno())
                if digest.hexdigest() != expected.get("sha256"):
                    raise BackupError(f"{member.name}: checksum mismatch (corrupt archive)")
                seen.add(member.name)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise BackupError(f"corrupt or truncated archive: {err}") from None
    missing = set(files) - seen
    if missing:
        raise BackupError(f"truncated archive: {len(missing)} file(s) missing, e.g. {sorted(missing)[0]}")


def _check_build(build: Path, manifest: dict) -> dict:
    try:
        meta = json.loads((build / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise BackupError(f"the archived build has no readable meta.json: {err}") from None
    if meta.get("version") != manifest.get("store_version"):
        raise BackupError("the archived build's version differs from the manifest")
    try:
        store = ox.Store.read_only(str(build / "oxigraph"))
        size = len(store)
        del store
    except OSError as err:
        raise BackupError(f"the archived database does not open: {err}") from None
    if meta.get("triples") is not None and size < int(meta["triples"]):
        raise BackupError(f"the archived database holds {size} triples, its meta.json says {meta['triples']}")
    return meta


def restore(archive: Path | str, root: Path | str | None = None, data: Path | str | None = None) -> dict:
    """Verify ``archive`` completely, then make it the store at ``root`` (and restore the tables into ``data``,
    if given). Return the manifest. :class:`BackupError` (nothing changed) if anything is wrong."""
    archive = Path(archive)
    root = Path(root) if root else store_dir()
    manifest = read_manifest(archive)
    root.mkdir(parents=True, exist_ok=True)
    builds = root / "builds"
    builds.mkdir(exist_ok=True)
    try:
        staging = Path(tempfile.mkdtemp(dir=builds, prefix=".restore-"))
    except OSError as err:
        raise _disk(err, str(builds)) from err
    try:
        try:
            _extract_verified(archive, manifest, staging)
        except OSError as err:
            raise _disk(err, f"the staging copy in {staging}") from err
        _check_build(staging / "build", manifest)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        final = builds / f"{stamp}-{manifest['store_version']}-restored"
        try:
            with build_lock(root), edit_lock(root):
                _complete(root)  # an earlier restore cut short is finished first
                _write_journal(root, staging, final, data, manifest)
                _complete(root)
        except StoreError as err:
            raise BackupError(str(err)) from None
        except OSError as err:
            raise _disk(err, str(root)) from err
    finally:
        if not (root / JOURNAL).exists():  # once committed, the staging copy belongs to the journal
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _write_journal(root: Path, staging: Path, final: Path, data: Path | str | None, manifest: dict) -> None:
    """Record every move of the restore, durably: from here on the restore will be completed."""
    journal = {"staging": os.path.relpath(staging, root), "final": os.path.relpath(final, root),
               "aux": [name for name in _AUX if (staging / name).exists()],
               "data": str(Path(data).resolve()) if data is not None else None,
               "data_files": [name for name in manifest["files"] if name.startswith("data/")],
               "store_version": manifest["store_version"]}
    temporary = root / f".{JOURNAL}.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(journal, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, root / JOURNAL)
    fsync_dir(root)


def complete_pending_restore(root: Path | str | None = None) -> bool:
    """Finish a restore that a crash interrupted after its commit point; True if there was one.

    Every step is idempotent (a move whose source is gone was done), so a crash during completion is
    completed in turn by the next call.
    """
    root = Path(root) if root else store_dir()
    if not (root / JOURNAL).exists():
        return False
    with build_lock(root), edit_lock(root):
        return _complete(root)


def _complete(root: Path) -> bool:
    path = root / JOURNAL
    if not path.exists():
        return False
    journal = json.loads(path.read_text(encoding="utf-8"))
    staging, final = root / journal["staging"], root / journal["final"]
    if (staging / "build").exists():
        os.replace(staging / "build", final)
        fsync_dir(final.parent)
    if not final.is_dir():
        raise StoreError(f"restore journal {path} names a build that is missing: {final}")
    for name in _AUX:
        source, target = staging / name, root / name
        if name in journal["aux"]:
            if source.exists():
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.chmod(source, 0o600)
                os.replace(source, target)
                fsync_dir(target.parent)
        elif target.exists() and name != "auth/secret":
            target.unlink()  # the backup had none: the restored state has none
    if journal["data"] is not None:
        data = Path(journal["data"])
        for name in journal["data_files"]:
            if (staging / name).exists():
                os.replace(staging / name, data / name[5:])
        fsync_dir(data)
    point_current(root, final)
    path.unlink()
    fsync_dir(root)
    shutil.rmtree(staging, ignore_errors=True)
    return True
