"""Directory commands: ``serving`` (who serves this commune). Registered through :func:`register`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table as RichTable

from graph.cli.common import EndpointOption, JsonOption, StoreOption, console, emit_json, fail, open_or_fail
from graph.query.serving import UnknownTerritory, serving

__all__ = ["register"]


def serving_command(commune: Annotated[str, typer.Argument(help="Commune name (any case, with or without accents), "
                                                                 "NIS code or territory id.")],
                    store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
    """Who serves this commune: every service whose area covers it, nearest first, with how (``via``)."""
    backend = open_or_fail(store, endpoint, as_json)
    try:
        result = serving(backend, commune)
    except UnknownTerritory as err:
        hint = ", ".join(f"{s['label']} ({s['code'] or s['id']})" for s in err.suggestions)
        fail(f"unknown commune {commune[:60]!r}" + (f"; did you mean: {hint}?" if hint else ""), as_json, code=2,
             suggestions=err.suggestions)
    if as_json:
        emit_json(result)
        return
    place = result["territory"]
    table = RichTable("service", "type", "sector", "via", "web", title=f"Who serves {place['label']} "
                                                                       f"({place['code'] or place['id']})")
    for s in result["services"]:
        table.add_row(s["label"], ", ".join(a for t in s["service_type"] for a in (t["acronym"] or [t["label"]])),
                      ", ".join(x["label"] for x in s["sector"]), f"{s['via']['level_label']} {s['via']['label']}",
                      s["contact_page"] or s["homepage"] or "")
    console.print(table)
    console.print(f"{len(result['services'])} service(s).")


def register(app: typer.Typer) -> None:
    """Add the directory commands to ``app``."""
    app.command("serving")(serving_command)
