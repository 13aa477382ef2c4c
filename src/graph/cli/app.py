"""The ``passe-muraille`` command line: the core commands (build, validate, stats, sparql, serve, import,
tables-doc, bench, synth) and the command groups, registered by explicit imports.

Exit codes: 0 success, 1 invalid data or failed operation (nothing changed), 2 bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from graph.build import pipeline as build_module
from graph.cli import directory as directory_commands
from graph.cli import glossary as glossary_commands
from graph.cli import network as network_commands
from graph.cli import ops as ops_commands
from graph.cli.common import (
    DataOption,
    EndpointOption,
    JsonOption,
    StoreOption,
    app,
    bench_app,
    console,
    emit_json,
    err_console,
    fail,
    open_or_fail,
    progress_bar,
    report_failure,
)
from graph.store import StoreError


@app.command()
def build(data: DataOption = None, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Build the tables into the embedded store (swapped in only if everything is valid)."""
    progress, advance = progress_bar(as_json, build_module.STAGES)
    try:
        if progress:
            with progress:
                report = build_module.build(data, store, progress=advance)
        else:
            report = build_module.build(data, store)
    except build_module.BuildFailed as err:
        report_failure(err, as_json)
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
        report_failure(err, as_json)
    if as_json:
        emit_json(report.as_dict())
        return
    console.print(f"[green]Valid:[/] {sum(report.rows.values())} rows, {report.triples} triples, 0 violations.")



@app.command()
def stats(store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
    """Counts per class, share of rows with a source, counts per source, coverage by country and sector, and the
    directory against the official counts."""
    from graph.query.stats import graph_stats

    result = graph_stats(open_or_fail(store, endpoint, as_json))
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
    table = RichTable("territory", "service type", "official", "in data", "share", "sources",
                      title="Directory coverage against official counts (data/official_counts.csv)")
    for row in result["against_official"]:
        share = f"{row['share']:.0%}" if row["share"] is not None else "–"
        table.add_row(row["territory"]["label"], row["service_type"]["label"], str(row["official"]),
                      str(row["in_data"]), share, " ".join(s.rsplit("/", 1)[-1] for s in row["sources"]))
    console.print(table)


@app.command()
def sparql(query: Annotated[str, typer.Argument(help="A SPARQL SELECT or ASK query ('-' reads stdin).")],
           store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
    """Run a read-only SPARQL query; --json prints SPARQL 1.1 Query Results JSON (JSON-LD for CONSTRUCT)."""
    from graph.sparql.guard import QueryRefused, check_read_only, query_form

    text = sys.stdin.read() if query == "-" else query
    try:
        form = query_form(check_read_only(text))
    except QueryRefused as err:
        fail(str(err), as_json, code=2)
    backend = open_or_fail(store, endpoint, as_json)
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
    from graph.config import data_dir as default_data_dir
    from graph.importers.common import ImportFailed, run_importer
    from graph.importers.registry import IMPORTERS

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
    from graph.vocab.tables_doc import column_reference

    text = column_reference()
    if as_json:
        emit_json({"markdown": text})
    else:
        sys.stdout.write(text)


@app.command("export-tables")
def export_tables(out: Annotated[Path, typer.Option("--out", help="Directory to write the tables into (created; "
                                                                  "must be empty or new).")],
                  store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
    """Write the store's data back as the CSV files data/ held (parts included, rows in place): building them
    gives the same version."""
    from graph.publish.exports import dataset_files

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        fail(f"{out} exists and is not an empty directory: nothing written", as_json, code=2)
    opened = open_or_fail(store, endpoint, as_json)
    files = dataset_files(opened)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        (out / name).write_text(text, encoding="utf-8")
    if as_json:
        emit_json({"ok": True, "out": str(out), "files": sorted(files), "version": opened.version})
    else:
        console.print(f"Wrote {len(files)} files of version {opened.version} to {out}.")




@bench_app.callback()
def bench_all(ctx: typer.Context,
              size: Annotated[str, typer.Option(help="small (a minute), large (1M triples, 50k actors), tiny.")]
              = "small",
              as_json: JsonOption = False) -> None:
    """Run every benchmark: build stages, glossary, network analytics, HTTP API; figures with ratios."""
    if ctx.invoked_subcommand:
        return
    from graph.bench.run_all import SIZES, run_all

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
    from graph.bench.build import run_build_benchmark

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
    from graph.bench.api import run_api_benchmark
    from graph.config import store_dir

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


@bench_app.command("fuzz")
def bench_fuzz(store: StoreOption = None,
               data: Annotated[Path | None, typer.Option(help="Tables the --store was built from (to fuzz the "
                                                             "editing routes too).")] = None,
               examples: Annotated[int, typer.Option(help="Requests fitting the schema per operation (half as "
                                                          "many that do not).")] = 100,
               max_seconds: Annotated[float, typer.Option(help="Response-time bound (seconds).")] = 10.0,
               as_json: JsonOption = False) -> None:
    """Fuzz every operation of /openapi.json with Schemathesis on a private copy of the store (bundled data by
    default): no 5xx, responses as the schema declares them, refusals of bad input, the response-time bound."""
    from graph.bench.fuzz import fuzz_store

    result = fuzz_store(store, data, examples=examples, max_seconds=max_seconds,
                        log=None if as_json else err_console.print)
    if as_json:
        emit_json(result)
    else:
        table = RichTable("operation", "requests", "failures", "statuses", "slowest s",
                          title=f"Fuzzed {result['operations']} operations of {result['store']}")
        for label, row in result["per_operation"].items():
            table.add_row(label, str(row["requests"]), str(row["failures"]),
                          " ".join(f"{k}×{v}" for k, v in sorted(row["statuses"].items())), f"{row['slowest_s']:g}")
        console.print(table)
        for failure in result["failures"]:
            console.print(f"[red]FAIL[/red] {failure['operation']}: {failure['check']} (HTTP {failure['status']}): "
                          f"{failure['message']}\n    {failure['curl']}", markup=True, highlight=False)
        console.print(f"{result['operations']} operations, {result['requests']} requests, "
                      f"{len(result['failures'])} failures in {result['seconds']} s")
    if result["failures"]:
        raise typer.Exit(1)


@app.command()
def synth(actors: Annotated[int, typer.Option(help="Number of actors.")] = 1000,
          out: Annotated[Path, typer.Option(help="Output tables directory.")] = Path("var/synth"),
          seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
          as_json: JsonOption = False) -> None:
    """Write a synthetic dataset in the same table format (for benchmarks and scale tests)."""
    from graph.bench.synth import write_synthetic

    counts = write_synthetic(out, actors=actors, seed=seed)
    if as_json:
        emit_json({"out": str(out), "rows": counts})
    else:
        parts = ", ".join(f"{k} {v}" for k, v in counts.items())
        console.print(f"Wrote {sum(counts.values())} rows to {out}: {parts}")


# Commands of other capabilities live in their own modules, each exposing ``register(app)``.
for command_group in (glossary_commands, network_commands, directory_commands, ops_commands):
    command_group.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
