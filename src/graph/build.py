"""The build pipeline: tables → triples → SHACL → store, timed stage by stage.

``build`` swaps the new store in only when every stage succeeded; ``check`` runs the same stages but
the store, and changes nothing. On any problem both raise :class:`BuildFailed` listing every problem
with its file, row and column.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import data_dir, store_dir
from .ontology import ontology_graph
from .schema import TABLES
from .store import NewBuild, StoreError, build_lock, current_version, graph_version
from .tables import Problem, TablesInvalid, read_tables
from .triples import tables_to_lines
from .validate import shacl_violations, store_violations

__all__ = ["BuildFailed", "BuildReport", "build", "check", "STAGES"]

STAGES = ("read", "triples", "validate", "store")


class BuildFailed(Exception):
    """The data is invalid (or the store cannot be written); nothing was changed."""

    def __init__(self, stage: str, problems: list[Problem]):
        self.stage = stage
        self.problems = problems
        super().__init__(f"{stage}: {len(problems)} problem(s)\n" + "\n".join(str(p) for p in problems))


@dataclass
class BuildReport:
    """What a build or check did: per-stage seconds, counts, the resulting version."""

    data: str
    store: str | None
    version: str | None = None
    triples: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    changed: bool = False

    def as_dict(self) -> dict:
        return {
            "ok": True, "data": self.data, "store": self.store, "version": self.version, "triples": self.triples,
            "rows": self.rows, "seconds": {k: round(v, 4) for k, v in self.seconds.items()}, "changed": self.changed,
        }


Progress = Callable[[str], None]


def _stages(data: Path, report: BuildReport, progress: Progress | None, validate: bool = True,
            engine: str = "sparql") -> list[str]:
    def step(name: str) -> None:
        if progress:
            progress(name)

    started = time.perf_counter()
    try:
        tables = read_tables(data)
    except TablesInvalid as err:
        raise BuildFailed("read", err.problems) from None
    report.rows = {t.name: tables.rows(t.name) for t in TABLES}
    report.seconds["read"] = time.perf_counter() - started
    step("read")

    started = time.perf_counter()
    lines = tables_to_lines(tables, ontology_graph())
    report.triples = len(lines)
    report.seconds["triples"] = time.perf_counter() - started
    step("triples")

    if validate:
        started = time.perf_counter()
        violations = shacl_violations(lines, engine=engine)
        report.seconds["validate"] = time.perf_counter() - started
        if violations:
            raise BuildFailed("validate", [v.as_problem() for v in violations])
        step("validate")
    return lines


def check(data: Path | str | None = None, progress: Progress | None = None, engine: str = "sparql") -> BuildReport:
    """Read, map and validate the tables without touching any store."""
    data = Path(data) if data else data_dir()
    report = BuildReport(data=str(data), store=None)
    lines = _stages(data, report, progress, engine=engine)
    report.version = graph_version(lines)
    return report


def build(data: Path | str | None = None, store: Path | str | None = None, progress: Progress | None = None,
          validate: bool = True, engine: str = "sparql") -> BuildReport:
    """Build the tables of ``data`` into the embedded store at ``store``; swap it in only if all is valid.

    The N-Triples are bulk-loaded into a new database beside the current one; SHACL runs on that
    database (``engine="sparql"``) or on an rdflib copy (``"pyshacl"``); only a valid build is swapped in.
    """
    data = Path(data) if data else data_dir()
    root = Path(store) if store else store_dir()
    report = BuildReport(data=str(data), store=str(root))
    lines = _stages(data, report, progress, validate=False)
    report.version = graph_version(lines)
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    meta = {"triples": report.triples, "rows": report.rows, "data": str(data)}

    def check_shapes(violations) -> None:
        if violations:
            raise BuildFailed("validate", [v.as_problem() for v in violations])
        if progress:
            progress("validate")

    try:
        with build_lock(root):
            report.changed = current_version(root) != report.version
            if not report.changed:  # same graph as the current build: check it, write nothing
                started = time.perf_counter()
                check_shapes(shacl_violations(lines, engine=engine) if validate else [])
                report.seconds["validate"] = time.perf_counter() - started
                return report
            new = NewBuild(root, report.version)
            try:
                started = time.perf_counter()
                loaded = new.load(payload)
                report.seconds["store"] = time.perf_counter() - started
                if progress:
                    progress("store")
                if validate:
                    started = time.perf_counter()
                    found = store_violations(loaded) if engine == "sparql" else None
                    check_shapes(found if found is not None else shacl_violations(lines, engine="pyshacl"))
                    report.seconds["validate"] = time.perf_counter() - started
                started = time.perf_counter()
                new.commit(meta)
                report.seconds["store"] += time.perf_counter() - started
            except BaseException:
                new.abort()
                raise
    except StoreError as err:
        raise BuildFailed("store", [Problem(str(root), None, None, str(err))]) from None
    return report
