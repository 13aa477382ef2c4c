"""Operations commands: ``backup``, ``restore`` and ``bench load``. Registered through :func:`register`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph.cli.common import JsonOption, StoreOption, bench_app, console, emit_json, fail

__all__ = ["register"]

DataCopyOption = Annotated[Path | None, typer.Option(
    "--data", help="Also back up (or restore into) this tables directory.")]


def backup_command(out: Annotated[Path, typer.Option("--out", help="Archive to write (.tar.gz).")],
                   store: StoreOption = None, data: DataCopyOption = None, as_json: JsonOption = False) -> None:
    """Back up the current build, the history, the tokens and the private contacts into one archive."""
    from graph.ops.backup import BackupError, backup

    try:
        manifest = backup(out, store, data)
    except BackupError as err:
        fail(str(err), as_json)
    summary = {"ok": True, "out": str(out), "store_version": manifest["store_version"],
               "files": len(manifest["files"]), "bytes": Path(out).stat().st_size}
    if as_json:
        emit_json(summary)
    else:
        console.print(f"Wrote {out}: store version {summary['store_version']}, {summary['files']} files, "
                      f"{summary['bytes']} bytes")


def restore_command(archive: Annotated[Path, typer.Argument(help="Archive written by 'backup'.")],
                    store: StoreOption = None, data: DataCopyOption = None, as_json: JsonOption = False) -> None:
    """Verify an archive (checksums, format version, database) and only then swap it in; else change nothing."""
    from graph.ops.backup import BackupError, restore

    try:
        manifest = restore(archive, store, data)
    except BackupError as err:
        fail(f"{err}; the store is unchanged", as_json)
    if as_json:
        emit_json({"ok": True, "store_version": manifest["store_version"], "created": manifest["created"]})
    else:
        console.print(f"Restored store version {manifest['store_version']} (backup of {manifest['created']})")


def bench_load(store: StoreOption = None,
               clients: Annotated[int, typer.Option(help="Concurrent clients.")] = 100,
               seconds: Annotated[float, typer.Option(help="Duration of the load (bounded).")] = 60.0,
               as_json: JsonOption = False) -> None:
    """Loopback load: lookups, pages and SPARQL while one pathological SPARQL query runs."""
    try:
        from graph.bench.security import run_load_benchmark
    except ImportError:
        fail("the load benchmark is not available", as_json)
    result = run_load_benchmark(store, clients=clients, seconds=min(seconds, 600.0))
    if as_json:
        emit_json(result)
    else:
        for line in result.get("lines", []):
            console.print(line, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``backup``, ``restore`` and ``bench load`` to the ``passe-muraille`` app."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
    group = next((g.typer_instance for g in app.registered_groups if g.name == "bench"), bench_app)
    group.command("load")(bench_load)
