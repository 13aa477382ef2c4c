"""CLI commands of the network analytics: ``brokers``, ``gaps``, ``counterparts``, ``path``, ``export``
and ``bench network``. Registered by :mod:`graph.cli.app` through :func:`register`.

Every command reads the graph from the store (embedded, ``--store``, or remote, ``--endpoint``) and
prints rich tables, or JSON with ``--json`` (stable keys; see issue 5's contract).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from graph.cli.common import EndpointOption, JsonOption, StoreOption, bench_app, console, emit_json, err_console, fail
from graph.store import StoreError, open_store

__all__ = ["register"]

SectorOption = Annotated[str | None, typer.Option("--sector", help="Keep only this sector (slug, IRI or label).")]
CountryOption = Annotated[str | None, typer.Option("--country", help="Keep only this country (slug or IRI).")]
TerritoryOption = Annotated[str | None, typer.Option("--territory", help="Keep only actors within this territory.")]


def _projection(store: Path | None, endpoint: str | None, as_json: bool):
    from graph.network.projection import project

    try:
        return project(open_store(store, endpoint))
    except StoreError as err:
        fail(str(err), as_json)


def _resolve(p, value: str | None, table: dict, what: str, as_json: bool) -> str | None:
    from graph.network.resolve import NotFound, resolve

    if not value:
        return None
    try:
        return resolve(value, table, what=what)
    except NotFound as err:
        fail(str(err), as_json, code=2)


def _fmt(value, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def brokers(store: StoreOption = None, endpoint: EndpointOption = None, sector: SectorOption = None,
            country: CountryOption = None, territory: TerritoryOption = None,
            top: Annotated[int, typer.Option(help="Rows shown in the table (--json lists every actor).")] = 20,
            exact_max_nodes: Annotated[int, typer.Option(help="Exact betweenness up to this many nodes, "
                                                             "sampled beyond.")] = 10_000,
            samples: Annotated[int, typer.Option(help="Sampled sources for betweenness beyond the limit.")] = 1000,
            as_json: JsonOption = False) -> None:
    """Who are the passe-murailles? Betweenness, Burt's constraint, cut points, Gould–Fernandez roles.

    Metrics are computed on the whole actor graph; --sector/--country/--territory only filter the rows.
    """
    from graph.network.ranking import broker_analysis, broker_rows

    p = _projection(store, endpoint, as_json)
    sector = _resolve(p, sector, p.sectors, "sector", as_json)
    country = _resolve(p, country, p.territories, "country", as_json)
    territory = _resolve(p, territory, p.territories, "territory", as_json)
    rows = [r for r in broker_rows(p, exact_max_nodes, samples) if p.concerns(r["iri"], sector, country, territory)]
    if as_json:
        emit_json(rows)
        return
    bet = broker_analysis(p, exact_max_nodes, samples)["betweenness"]
    table = RichTable("#", "actor", "sector", "betweenness", "constraint", "eff. size", "cut", "GF coord/itin/"
                      "repr/gate/liais", "why", title=f"Brokers (« passe-murailles ») — store {p.version}")
    for row in rows[:top]:
        gf = row["gould_fernandez"]
        table.add_row(str(row["rank"]), row["label"], p.label(row["sector"]) if row["sector"] else "",
                      _fmt(row["betweenness"]), _fmt(row["constraint"], 2), _fmt(row["effective_size"], 3),
                      str(row["cut_off"]) if row["articulation_point"] else "",
                      "/".join(str(gf[k]) for k in ("coordinator", "itinerant", "representative", "gatekeeper",
                                                     "liaison")),
                      "; ".join(r["text"] for r in row["reasons"]))
    console.print(table)
    console.print(f"{len(rows)} actors; betweenness {bet.describe()}. cut = actors cut off if it left.")


def gaps(store: StoreOption = None, endpoint: EndpointOption = None, sector: SectorOption = None,
         country: CountryOption = None, territory: TerritoryOption = None,
         limit: Annotated[int, typer.Option(help="Items listed per section.")] = 20,
         today: Annotated[str | None, typer.Option(help="Reference date for stale protocols (YYYY-MM-DD).")] = None,
         as_json: JsonOption = False) -> None:
    """Where sectors never meet: tie matrix and E-I index, missing ties and protocols, structural holes,
    coverage gaps (territory × service type × age), stale protocols, isolated actors, suggested links,
    communities vs sectors."""
    from graph.network.gaps import gap_report

    p = _projection(store, endpoint, as_json)
    sector = _resolve(p, sector, p.sectors, "sector", as_json)
    country = _resolve(p, country, p.territories, "country", as_json)
    territory = _resolve(p, territory, p.territories, "territory", as_json)
    try:
        ref = date.fromisoformat(today) if today else None
    except ValueError:
        fail(f"--today must be YYYY-MM-DD, not {today!r}", as_json, code=2)
    report = gap_report(p, today=ref, limit=limit, sector=sector, country=country, territory=territory)
    if as_json:
        emit_json(report)
        return
    ei = report["ei_index"]
    console.print(f"[bold]E-I index[/] {_fmt(ei['overall'], 2)} (expected under random mixing "
                  f"{_fmt(ei['expected'], 2)}; -1 = every tie stays inside its sector)")
    matrix = report["sector_matrix"]
    groups = [g for g in matrix["groups"] if g]
    table = RichTable("sector", *[p.label(g)[:10] for g in groups], title="Ties between sectors: observed / expected")
    for a in groups:
        table.add_row(p.label(a), *[f"{matrix['observed'][a][b]}/{matrix['expected'][a][b]:.1f}" for b in groups])
    console.print(table)
    for key, title in (("no_tie_pairs", "Sector pairs with no tie"),
                       ("no_current_protocol_pairs", "Sector pairs with no current protocol")):
        items = report[key]
        console.print(f"[bold]{title}[/] ({len(items)}): " + "; ".join(" – ".join(i["labels"]) for i in items[:limit]))
    table = RichTable("sectors", "spanned by", title="Structural holes (no direct tie, spanned by brokers)")
    for hole in report["structural_holes"]:
        table.add_row(" – ".join(hole["labels"]), ", ".join(x["label"] for x in hole["spanned_by"]))
    console.print(table)
    cov = report["coverage_gaps"]
    table = RichTable("age band", f"{cov['level']} without service", title=f"Coverage by age ({cov['territories']} "
                      f"territories; {cov['actors_without_age_range']} actors with no known age range not counted)")
    for band in cov["by_age_band"]:
        table.add_row(band["band"], str(band["uncovered_count"]))
    console.print(table)
    table = RichTable("service type", "actors", "territories without it", title="Coverage by service type")
    for row in cov["by_service_type"][:limit]:
        table.add_row(row["label"], str(row["actors"]), str(row["uncovered_count"]))
    console.print(table)
    table = RichTable("protocol", "status", "review due", "days overdue", title=f"Protocols past their review date "
                      f"({report['stale_protocols_count']})")
    for row in report["stale_protocols"]:
        table.add_row(row["label"], row["status"] or "", row["review_due"], str(row["days_overdue"]))
    console.print(table)
    console.print(f"[bold]Isolated actors[/]: {report['isolated_actors_count']}")
    table = RichTable("suggested link", "sectors", "score", "reason", title="Suggested cross-sector links")
    for link in report["suggested_links"]:
        table.add_row(f"{link['source']['label']} ↔ {link['target']['label']}",
                      " / ".join(p.label(s) for s in link["sectors"]), f"{link['score']:.2f}", link["reason"])
    console.print(table)
    com = report["communities"]
    console.print(f"[bold]Communities[/] ({com['engine']}): {com['communities']}; vs sectors: adjusted Rand "
                  f"{_fmt(com['adjusted_rand'], 2)}, NMI {_fmt(com['nmi'], 2)}")


def counterparts(asker: Annotated[str, typer.Argument(help="Actor, post or function (slug, IRI or label).")],
                 sector: Annotated[str, typer.Option("--sector", help="Target sector.")],
                 territory: TerritoryOption = None, store: StoreOption = None, endpoint: EndpointOption = None,
                 limit: Annotated[int, typer.Option(help="Counterparts listed.")] = 10,
                 as_json: JsonOption = False) -> None:
    """My counterpart in another sector, for my territory: ranked, with reasons and the shortest known path."""
    from graph.network.counterparts import counterparts as find
    from graph.network.resolve import NotFound

    p = _projection(store, endpoint, as_json)
    try:
        result = find(p, asker, sector, territory, limit)
    except NotFound as err:
        fail(str(err), as_json, code=2)
    if as_json:
        emit_json(result)
        return
    table = RichTable("#", "counterpart", "kind", "coverage", "path", "reasons",
                      title=f"Counterparts of {result['asker']['label']} in {result['sector']['label']}")
    for row in result["counterparts"]:
        path = " → ".join(x["label"] for x in row["path"]) if row["path"] else "–"
        table.add_row(str(row["rank"]), row["label"], row["kind"], row["coverage"], path, "; ".join(row["reasons"]))
    console.print(table)
    console.print(f"{result['candidates']} candidate(s) in this sector cover the territory.")


def path(source: Annotated[str, typer.Argument(help="From service type (slug, IRI, label or acronym).")],
         target: Annotated[str, typer.Argument(help="To service type.")],
         need: Annotated[str | None, typer.Option(help="The need (prefers referrals that state it).")] = None,
         k: Annotated[int, typer.Option(help="Alternative paths.")] = 3,
         store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
    """Referral paths between service types, respecting mandate rules, explained step by step."""
    from graph.network.referral_paths import referral_paths
    from graph.network.resolve import NotFound

    p = _projection(store, endpoint, as_json)
    try:
        result = referral_paths(p, source, target, need, k)
    except NotFound as err:
        fail(str(err), as_json, code=2)
    if as_json:
        emit_json(result)
        return
    if not result["paths"]:
        console.print(result["note"])
    for index, found in enumerate(result["paths"], 1):
        table = RichTable("step", "to", "mandate", "condition", "why",
                          title=f"Path {index}: {found['mandated_steps']} step(s) under mandate")
        for number, step in enumerate(found["steps"], 1):
            table.add_row(str(number), step["to_label"], step["mandate_kind"] or "?",
                          ", ".join(step["condition_kinds"]) + (f" — {step['condition']}" if step["condition"] else ""),
                          step["why"])
        console.print(table)


def export(fmt: Annotated[str, typer.Option("--format", help="graphml or gexf.")],
           out: Annotated[Path, typer.Option("--out", help="Output file.")],
           store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
    """Write the directed actor graph that `brokers` analyses (node id = IRI, attribute sector)."""
    from graph.network.export import FORMATS, export_graph

    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}", as_json, code=2)
    p = _projection(store, endpoint, as_json)
    result = export_graph(p.actors, out, fmt)
    if as_json:
        emit_json({"ok": True, **result, "version": p.version})
    else:
        console.print(f"Wrote {result['nodes']} nodes and {result['edges']} edges to {out} ({fmt}).")


def bench_network(sizes: Annotated[str, typer.Option(help="Comma-separated actor counts.")] = "1000,10000,50000",
                  reference_limit: Annotated[float, typer.Option(help="Seconds beyond which plain networkx is "
                                                                      "extrapolated, not run.")] = 600.0,
                  as_json: JsonOption = False) -> None:
    """Time each broker and gap metric on synthetic graphs, against plain networkx."""
    from graph.bench.network import run_network_benchmark

    try:
        counts = [int(x) for x in sizes.split(",") if x.strip()]
    except ValueError:
        fail("--sizes must be integers separated by commas", as_json, code=2)
    result = run_network_benchmark(counts, reference_limit=reference_limit,
                                   log=None if as_json else err_console.print)
    if as_json:
        emit_json(result)
        return
    table = RichTable("actors", "nodes", "edges", "metric", "ours (s)", "networkx (s)", "ratio", "note",
                      title="Network analytics benchmark")
    for run in result["runs"]:
        for fig in run["figures"]:
            table.add_row(str(run["actors"]), str(run["nodes"]), str(run["edges"]), fig["name"], f"{fig['value']:.3f}",
                          _fmt(fig["reference_value"], 4), _fmt(fig["ratio"], 3), fig.get("note") or "")
    console.print(table)
    console.print("ratio = networkx time / our time (higher is better); 'extrapolated' = networkx not run, "
                  "estimated from a timed sample.")


def register(app: typer.Typer) -> None:
    """Add the network commands to the ``passe-muraille`` app."""
    app.command("brokers")(brokers)
    app.command("gaps")(gaps)
    app.command("counterparts")(counterparts)
    app.command("path")(path)
    app.command("export")(export)
    # the ``bench`` group of *this* app (``python -m graph.cli.app`` runs a second copy of graph.cli.app)
    group = next((g.typer_instance for g in app.registered_groups if g.name == "bench"), bench_app)
    group.command("network")(bench_network)
