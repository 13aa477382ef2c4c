"""The ``passe-muraille`` command line: one subcommand per capability, ``--json`` on every one.

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
from rich.table import Table as RichTable

from . import build as build_module
from .store import StoreError, open_store

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


def _progress(as_json: bool, stages: tuple[str, ...]):
    """A rich progress bar over the build stages on a terminal; nothing otherwise."""
    if as_json or not sys.stderr.isatty():
        return None, None
    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=err_console, transient=True)
    task = progress.add_task("building", total=len(stages))

    def advance(stage: str) -> None:
        progress.update(task, advance=1, description=f"{stage} done")

    return progress, advance


def _report_failure(err: build_module.BuildFailed, as_json: bool) -> None:
    if as_json:
        emit_json({"ok": False, "stage": err.stage, "error": f"{len(err.problems)} problem(s) in the {err.stage} stage",
                   "problems": [p.as_dict() for p in err.problems]})
    else:
        err_console.print(f"[bold red]{len(err.problems)} problem(s) in the {err.stage} stage; "
                          "nothing was changed.[/]")
        for problem in err.problems:
            err_console.print(f"  {problem}", highlight=False, markup=False)
    raise typer.Exit(1)


@app.command()
def build(data: DataOption = None, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Build the tables into the embedded store (swapped in only if everything is valid)."""
    progress, advance = _progress(as_json, build_module.STAGES)
    try:
        if progress:
            with progress:
                report = build_module.build(data, store, progress=advance)
        else:
            report = build_module.build(data, store)
    except build_module.BuildFailed as err:
        _report_failure(err, as_json)
    if as_json:
        emit_json(report.as_dict())
        return
    console.print(f"[green]Built[/] {report.triples} triples from {sum(report.rows.values())} rows "
                  f"into {report.store} (version {report.version}{'' if report.changed else ', unchanged'}).")
    console.print("  " + ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items()))


@app.command()
def validate(data: DataOption = None, as_json: JsonOption = False) -> None:
    """Check the tables and the SHACL shapes without changing any store."""
    try:
        report = build_module.check(data)
    except build_module.BuildFailed as err:
        _report_failure(err, as_json)
    if as_json:
        emit_json(report.as_dict())
        return
    console.print(f"[green]Valid:[/] {sum(report.rows.values())} rows, {report.triples} triples, 0 violations.")


def _open(store: Path | None, endpoint: str | None, as_json: bool):
    try:
        return open_store(store, endpoint)
    except StoreError as err:
        fail(str(err), as_json)


@app.command()
def stats(store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
    """Counts per class, share of rows with a source, counts per source, coverage by country and sector."""
    from .stats import graph_stats

    result = graph_stats(_open(store, endpoint, as_json))
    if as_json:
        emit_json(result)
        return
    console.print(f"Store version {result['version']}: {result['triples']} triples; "
                  f"{result['sourced_rows']}/{result['rows']} rows sourced ({result['sourced_share']:.1%}).")
    table = RichTable("class", "count", title="Entities per class")
    for label, count in result["by_class"].items():
        table.add_row(label, str(count))
    console.print(table)
    table = RichTable("source", "kind", "entities", title="Entities per source")
    for row in result["by_source"][:30]:
        table.add_row(row["title"], row["kind"], str(row["entities"]))
    console.print(table)
    for axis in ("country", "sector"):
        table = RichTable(axis, "actors", "service types", "senses", title=f"Coverage by {axis}")
        for label, cell in result["coverage"][axis].items():
            table.add_row(label, str(cell["actors"]), str(cell["service_types"]), str(cell["senses"]))
        console.print(table)


@app.command()
def sparql(query: Annotated[str, typer.Argument(help="A SPARQL SELECT or ASK query ('-' reads stdin).")],
           store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
    """Run a read-only SPARQL query; --json prints SPARQL 1.1 Query Results JSON (JSON-LD for CONSTRUCT)."""
    from .sparql_guard import QueryRefused, check_read_only, query_form

    text = sys.stdin.read() if query == "-" else query
    try:
        form = query_form(check_read_only(text))
    except QueryRefused as err:
        fail(str(err), as_json, code=2)
    backend = _open(store, endpoint, as_json)
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):  # a graph: N-Triples, or JSON-LD with --json
            graph = backend.construct(text)
            sys.stdout.write(graph.serialize(format="json-ld" if as_json else "nt"))
            return
        result = backend.query_json(text)
    except StoreError as err:
        fail(str(err), as_json)
    if as_json:
        emit_json(result)
        return
    if "boolean" in result:
        console.print(str(result["boolean"]).lower())
        return
    variables = result["head"]["vars"]
    table = RichTable(*variables)
    for binding in result["results"]["bindings"]:
        table.add_row(*(binding.get(v, {}).get("value", "") for v in variables))
    console.print(table)


@app.command()
def serve(host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000,
          store: StoreOption = None) -> None:
    """Serve the web app (API, pages, SPARQL endpoint) with uvicorn."""
    import os

    import uvicorn

    if store:
        os.environ["PASSE_MURAILLE_STORE"] = str(store)
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, proxy_headers=False,
                forwarded_allow_ips="", log_level="info")


@app.command("import")
def import_command(
    name: Annotated[str | None, typer.Argument(help="Importer to run (see --list); 'all' runs every one.")] = None,
    data: DataOption = None,
    raw: Annotated[Path | None, typer.Option("--raw", help="Harvested inputs (default: DATA/raw).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report the changes, write nothing.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List the importers.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Turn harvested public lists into table parts; prints what changed since the last run."""
    from .config import data_dir as default_data_dir
    from .importers.common import ImportFailed, run_importer
    from .importers.registry import IMPORTERS

    if list_ or not name:
        listing = [{"name": n, "description": m.DESCRIPTION} for n, m in sorted(IMPORTERS.items())]
        if as_json:
            emit_json(listing)
        else:
            for item in listing:
                console.print(f"[bold]{item['name']}[/]  {item['description']}", highlight=False)
        return
    if name != "all" and name not in IMPORTERS:
        fail(f"unknown importer '{name}' (known: {', '.join(sorted(IMPORTERS)) or 'none'})", as_json, code=2)
    chosen = sorted(IMPORTERS) if name == "all" else [name]
    directory = Path(data) if data else default_data_dir()
    report = []
    for each in chosen:
        try:
            changes = run_importer(IMPORTERS[each], directory, raw, dry_run=dry_run)
        except ImportFailed as err:
            if not as_json:
                for problem in err.problems:
                    err_console.print(f"  {problem}", highlight=False, markup=False)
            fail(f"{each}: {err}", as_json, problems=[p.as_dict() for p in err.problems])
        report.append({"importer": each, "dry_run": dry_run, "parts": [c.as_dict() for c in changes]})
        if not as_json:
            for c in changes:
                console.print(f"[bold]{each}[/] {c.file}: +{len(c.added)} -{len(c.removed)} ~{len(c.changed)} "
                              f"={c.unchanged}" + (" (dry run)" if dry_run else ""), highlight=False)
                for label, ids in (("added", c.added), ("removed", c.removed), ("changed", c.changed)):
                    if ids:
                        console.print(f"  {label}: {', '.join(ids[:12])}{' …' if len(ids) > 12 else ''}",
                                      highlight=False)
    if as_json:
        emit_json(report)


@app.command("tables-doc")
def tables_doc(as_json: JsonOption = False) -> None:
    """Print the column reference of the data tables (Markdown), generated from the schema."""
    from .tables_doc import column_reference

    text = column_reference()
    if as_json:
        emit_json({"markdown": text})
    else:
        sys.stdout.write(text)


bench_app = typer.Typer(help="Benchmarks (figures, not tests). Without a subcommand: every benchmark.",
                        invoke_without_command=True)
app.add_typer(bench_app, name="bench")


@bench_app.callback()
def bench_all(ctx: typer.Context,
              size: Annotated[str, typer.Option(help="small (a minute), large (1M triples, 50k actors), tiny.")]
              = "small",
              as_json: JsonOption = False) -> None:
    """Run every benchmark: build stages, glossary, network analytics, HTTP API; figures with ratios."""
    if ctx.invoked_subcommand:
        return
    from .bench_all import SIZES, run_all

    if size not in SIZES:
        fail(f"unknown size {size!r} (choose {', '.join(SIZES)})", as_json, code=2)
    result = run_all(size, log=None if as_json else err_console.print)
    if as_json:
        emit_json(result)
        return
    table = RichTable("figure", "value", "unit", "reference", "reference value", "ratio",
                      title=f"passe-muraille bench --size {size} (ratio: higher is better)")
    for row in result["figures"]:
        table.add_row(row["name"], f"{row['value']:g}", row["unit"], row["reference"] or "",
                      "" if row["reference_value"] is None else f"{row['reference_value']:g}",
                      "" if row["ratio"] is None else f"{row['ratio']:g}")
    console.print(table)
    console.print(f"peak RSS {result['peak_rss_mb']} MB")


@bench_app.command("build")
def bench_build(triples: Annotated[int, typer.Option(help="Size of the synthetic dataset in triples.")] = 1_000_000,
                as_json: JsonOption = False) -> None:
    """Time each build stage on the bundled data and on a synthetic dataset, against rdflib's parse."""
    from .bench_build import run_build_benchmark

    result = run_build_benchmark(target_triples=triples, log=None if as_json else err_console.print)
    if as_json:
        emit_json(result)
        return
    table = RichTable("dataset", "triples", *build_module.STAGES, "total", "rdflib parse", "ratio",
                      title="Build time per stage (seconds)")
    for row in result["datasets"]:
        stages = [f"{row['seconds'].get(s, float('nan')):.2f}" for s in build_module.STAGES]
        table.add_row(row["name"], str(row["triples"]), *stages, f"{row['total']:.2f}",
                      f"{row['rdflib_parse']:.2f}", f"{row['ratio']:.2f}")
    console.print(table)
    console.print("ratio = rdflib in-memory Turtle parse time / our total build time (higher is better)")


@bench_app.command("api")
def bench_api(store: StoreOption = None,
              clients: Annotated[int, typer.Option(help="Concurrent clients.")] = 50,
              requests: Annotated[int, typer.Option(help="Lookups (actor pages: half, maps: a quarter).")] = 2000,
              as_json: JsonOption = False) -> None:
    """Throughput and p50/p99 latency of lookup, actor page and map page on loopback (real uvicorn app)."""
    from .bench_api import run_api_benchmark
    from .config import store_dir

    result = run_api_benchmark(store or store_dir(), clients=clients, requests=requests)
    if as_json:
        emit_json(result)
        return
    table = RichTable("target", "requests", "errors", "req/s", "p50 ms", "p99 ms",
                      title=f"API on 127.0.0.1, {result['clients']} concurrent clients")
    for name, row in result["targets"].items():
        table.add_row(name, str(row["requests"]), str(row["errors"]), str(row["throughput_rps"]),
                      str(row["p50_ms"]), str(row["p99_ms"]))
    console.print(table)


@app.command()
def synth(actors: Annotated[int, typer.Option(help="Number of actors.")] = 1000,
          out: Annotated[Path, typer.Option(help="Output tables directory.")] = Path("var/synth"),
          seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
          as_json: JsonOption = False) -> None:
    """Write a synthetic dataset in the same table format (for benchmarks and scale tests)."""
    from .synth import write_synthetic

    counts = write_synthetic(out, actors=actors, seed=seed)
    if as_json:
        emit_json({"out": str(out), "rows": counts})
    else:
        parts = ", ".join(f"{k} {v}" for k, v in counts.items())
        console.print(f"Wrote {sum(counts.values())} rows to {out}: {parts}")


# Commands of other capabilities live in their own modules, each exposing ``register(app)``.
PLUGIN_MODULES = ("cli_glossary", "cli_network", "cli_web", "cli_ops")


def _register_plugins() -> None:
    import importlib

    for name in PLUGIN_MODULES:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__package__}.{name}":
                raise
            continue
        module.register(app)


_register_plugins()


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
