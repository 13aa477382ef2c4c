"""What every command group of the CLI shares: the Typer apps, consoles, options, JSON output, failure exits.

Exit codes: 0 success, 1 invalid data or failed operation (nothing changed), 2 bad usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from graph.build import pipeline as build_module
from graph.store import StoreError, open_store

app = typer.Typer(help="Passe-muraille: the knowledge graph of child, youth and social aid.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
# off a terminal (pipes, CI logs) rich would wrap tables at 80 columns: give them room
console = Console(stderr=False, width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 140)

DataOption = Annotated[Path | None, typer.Option("--data", help="Tables directory (default: data/).")]
StoreOption = Annotated[Path | None, typer.Option("--store", help="Store directory (default: var/store or "
                                                                  "$PASSE_MURAILLE_STORE).")]
EndpointOption = Annotated[str | None, typer.Option("--endpoint", help="Read from this SPARQL 1.1 endpoint "
                                                                        "(default: $PASSE_MURAILLE_ENDPOINT).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def emit_json(value) -> None:
    """Print ``value`` as JSON on standard output."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(message: str, as_json: bool, code: int = 1, **extra) -> None:
    """Report an error (as JSON on stdout with --json, else in red on stderr) and exit."""
    if as_json:
        emit_json({"ok": False, "error": message, **extra})
    else:
        err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def progress_bar(as_json: bool, stages: tuple[str, ...]):
    """A rich progress bar over the build stages on a terminal; nothing otherwise."""
    if as_json or not sys.stderr.isatty():
        return None, None
    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=err_console, transient=True)
    task = progress.add_task("building", total=len(stages))

    def advance(stage: str) -> None:
        progress.update(task, advance=1, description=f"{stage} done")

    return progress, advance


def report_failure(err: build_module.BuildFailed, as_json: bool) -> None:
    if as_json:
        emit_json({"ok": False, "stage": err.stage, "error": f"{len(err.problems)} problem(s) in the {err.stage} stage",
                   "problems": [p.as_dict() for p in err.problems]})
    else:
        err_console.print(f"[bold red]{len(err.problems)} problem(s) in the {err.stage} stage; "
                          "nothing was changed.[/]")
        for problem in err.problems:
            err_console.print(f"  {problem}", highlight=False, markup=False)
    raise typer.Exit(1)



bench_app = typer.Typer(help="Benchmarks (figures, not tests). Without a subcommand: every benchmark.",
                        invoke_without_command=True)
app.add_typer(bench_app, name="bench")

def open_or_fail(store: Path | None, endpoint: str | None, as_json: bool):
    try:
        return open_store(store, endpoint)
    except StoreError as err:
        fail(str(err), as_json)
