"""The build pipeline: tables → triples → SHACL ∥ store, timed stage by stage.

``build`` swaps the new store in only when every stage succeeded; ``check`` runs the same stages but
the store, and changes nothing. On any problem both raise :class:`BuildFailed` listing every problem
with its file, row and column.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.build.columns import Columns
from graph.build.tables import Problem, TableSet, TablesInvalid, read_tables
from graph.build.triples import Triples, tables_to_triples
from graph.build.validate import ENGINES, columnar_violations, shacl_violations, store_violations
from graph.config import data_dir, store_dir
from graph.store import NewBuild, StoreError, build_lock, current_version
from graph.store.loader import Loaders, loader_count
from graph.vocab.ontology import ontology_graph
from graph.vocab.schema import TABLES

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


@dataclass
class _Built:
    """What the stages before the store produce: the triples, as arrays and as integer columns."""

    triples: Triples
    graph: Columns

    def lines(self) -> list[str]:
        return sorted(set(self.triples.lines().tolist()))


def _violations(built: _Built, engine: str) -> list:
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "columnar":
        found = columnar_violations(built.graph)
        if found is not None:
            return found
        engine = "pyshacl"  # the shapes use a construct the set-based engines do not implement
    return shacl_violations(built.lines(), engine=engine)


def _read(data: Path, report: BuildReport, progress: Progress | None) -> TableSet:
    started = time.perf_counter()
    try:
        tables = read_tables(data)
    except TablesInvalid as err:
        raise BuildFailed("read", err.problems) from None
    report.rows = {t.name: tables.rows(t.name) for t in TABLES}
    report.seconds["read"] = time.perf_counter() - started
    if progress:
        progress("read")
    return tables


def _map(tables: TableSet, report: BuildReport, progress: Progress | None,
         on_chunk: Callable[[Triples], None] | None = None) -> _Built:
    started = time.perf_counter()
    triples = tables_to_triples(tables, ontology_graph(), on_chunk=on_chunk)
    graph = Columns(triples.subjects, triples.predicates, triples.objects)
    report.triples = len(graph)
    report.version = graph.version()
    report.seconds["triples"] = time.perf_counter() - started
    if progress:
        progress("triples")
    return _Built(triples, graph)


def _stages(data: Path, report: BuildReport, progress: Progress | None, validate: bool = True,
            engine: str = "columnar") -> _Built:
    built = _map(_read(data, report, progress), report, progress)
    if validate:
        started = time.perf_counter()
        violations = _violations(built, engine)
        report.seconds["validate"] = time.perf_counter() - started
        if violations:
            raise BuildFailed("validate", [v.as_problem() for v in violations])
        if progress:
            progress("validate")
    return built


def check(data: Path | str | None = None, progress: Progress | None = None, engine: str = "columnar") -> BuildReport:
    """Read, map and validate the tables without touching any store."""
    data = Path(data) if data else data_dir()
    report = BuildReport(data=str(data), store=None)
    _stages(data, report, progress, engine=engine)
    return report


def build(data: Path | str | None = None, store: Path | str | None = None, progress: Progress | None = None,
          validate: bool = True, engine: str = "columnar") -> BuildReport:
    """Build the tables of ``data`` into the embedded store at ``store``; swap it in only if all is valid.

    Once the tables are read and checked, a background thread bulk-loads a new database beside the current
    one, reading the N-Triples (through a pipe) as they are written, table by table; meanwhile the same
    triples are hashed (the version) and validated against the SHACL shapes (``engine="columnar"``: in
    memory, on integer columns; ``"sparql"``: on the new database once loaded; ``"pyshacl"``: on an rdflib
    copy). Only a valid build is swapped in; if the version is the current one, the load is cancelled and
    nothing is written.
    ``seconds["store"]`` is the wall time not already counted in the other stages, so that the stage
    figures add up to the build's wall time.
    """
    data = Path(data) if data else data_dir()
    root = Path(store) if store else store_dir()
    report = BuildReport(data=str(data), store=str(root))
    tables = _read(data, report, progress)

    def check_shapes(violations) -> None:
        if violations:
            raise BuildFailed("validate", [v.as_problem() for v in violations])
        if progress:
            progress("validate")

    try:
        with build_lock(root):
            started = time.perf_counter()
            new = NewBuild(root)
            loader = Loaders(new, loader_count())
            try:
                built = _map(tables, report, progress, on_chunk=lambda chunk: loader.push(chunk.ntriples()))
                report.changed = current_version(root) != report.version
                if not report.changed:  # same graph as the current build: check it, write nothing
                    loader.stop()
                    new.abort()
                    validating = time.perf_counter()
                    check_shapes(_violations(built, engine) if validate else [])
                    report.seconds["validate"] = time.perf_counter() - validating
                    return report
                loader.finish()
                if validate and engine != "sparql":
                    validating = time.perf_counter()
                    found = _violations(built, engine)
                    report.seconds["validate"] = time.perf_counter() - validating
                    check_shapes(found)
                loaded = loader.result()
                if progress:
                    progress("store")
                if validate and engine == "sparql":
                    validating = time.perf_counter()
                    found = store_violations(loaded)
                    check_shapes(found if found is not None else shacl_violations(built.lines(), engine="pyshacl"))
                    report.seconds["validate"] = time.perf_counter() - validating
                new.commit({"triples": report.triples, "rows": report.rows, "data": str(data)}, report.version)
                counted = report.seconds["triples"] + report.seconds.get("validate", 0.0)
                report.seconds["store"] = max(0.0, time.perf_counter() - started - counted)
            except BaseException:
                loader.stop()
                new.abort()
                raise
    except StoreError as err:
        raise BuildFailed("store", [Problem(str(root), None, None, str(err))]) from None
    return report
