"""Fuzz every operation of the app's OpenAPI document over HTTP with Schemathesis (``passe-muraille bench fuzz``).

The app runs with uvicorn on 127.0.0.1 over a *private copy* of the data and store (the editing routes are fuzzed
with an admin token, and an edit that passes validation is published: it must never touch ``data/`` or the
served store). Each operation of ``/openapi.json`` gets ``examples`` generated requests that fit the schema and
``examples // 2`` that do not, deterministically (Hypothesis ``derandomize``: the same requests on every run).
Every response is checked:

* no 5xx (``not_a_server_error``);
* the status code, content type, headers and body are those the schema declares for it
  (``status_code_conformance``, ``content_type_conformance``, ``response_headers_conformance``,
  ``response_schema_conformance``);
* a request that does not fit the schema is refused with a 4xx (``negative_data_rejection``);
* the answer comes within ``max_seconds`` (:data:`MAX_RESPONSE_SECONDS`).

Failures are collected, not raised: a run reports every operation with its requests and failures (each with
the check, a one-line reason and a curl command that reproduces it). Schemathesis is a test dependency
(``pip install -e .[test]``); it is imported only when a run starts.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MAX_RESPONSE_SECONDS", "FuzzFailure", "fuzz_url", "fuzz_store", "WRITE_METHODS"]

MAX_RESPONSE_SECONDS = 10.0
"""Bound on every answer during a fuzz run (the deadline of the SPARQL endpoint, 10 s by default, included)."""
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SERVER_ENV = {
    "PASSE_MURAILLE_RATE_LIMIT": "off",  # a fuzzer sends hundreds of requests a second from one address
    "PASSE_MURAILLE_SPARQL_TIMEOUT": "3",
    "PASSE_MURAILLE_SPARQL_ROW_LIMIT": "500",
    "PASSE_MURAILLE_WARMUP": "full",
}


@dataclass(frozen=True)
class FuzzFailure:
    """One check that failed on one request."""

    operation: str
    check: str
    status: int | None
    message: str
    curl: str

    def as_dict(self) -> dict:
        return {"operation": self.operation, "check": self.check, "status": self.status, "message": self.message,
                "curl": self.curl}

    def __str__(self) -> str:
        return f"{self.operation}: {self.check} (HTTP {self.status}): {self.message}\n    {self.curl}"


@dataclass
class _OperationRun:
    label: str
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[FuzzFailure] = field(default_factory=list)
    slowest: float = 0.0


def _checks(negative: bool) -> list:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
              response_schema_conformance]
    return checks + [negative_data_rejection] if negative else checks


def _one_line(text: str, limit: int = 400) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _failures_of(label: str, err: BaseException, case, status: int | None) -> list[FuzzFailure]:
    from schemathesis.core.failures import Failure

    try:
        curl = case.as_curl_command()
    except Exception:  # noqa: BLE001 - a reproduction hint only
        curl = f"{case.method} {case.formatted_path}"
    found = []
    group = getattr(err, "exceptions", None)
    for item in (group if group else [err]):
        if isinstance(item, Failure):
            found.append(FuzzFailure(label, type(item).__name__, status, _one_line(f"{item.title}: {item.message}"),
                                     curl))
        else:
            found.append(FuzzFailure(label, type(item).__name__, status, _one_line(str(item)), curl))
    return found


def _run_operation(operation, base: str, headers: dict, examples: int, negative: bool, max_seconds: float,
                   seed_label: str) -> _OperationRun:
    import requests
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    run = _OperationRun(operation.label)
    mode = GenerationMode.NEGATIVE if negative else GenerationMode.POSITIVE
    checks = _checks(negative)
    session = requests.Session()

    @settings(max_examples=examples, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=operation.as_strategy(generation_mode=mode))
    def exercise(case) -> None:
        status = None
        try:
            response = case.call(base_url=base, session=session, headers=headers, timeout=max_seconds + 20)
            status = response.status_code
            run.requests += 1
            run.statuses[status] = run.statuses.get(status, 0) + 1
            run.slowest = max(run.slowest, response.elapsed)
            if response.elapsed > max_seconds:
                run.failures.append(FuzzFailure(run.label, "max_response_time", status,
                                                f"{response.elapsed:.2f} s > {max_seconds:g} s",
                                                case.as_curl_command()))
            case.validate_response(response, checks=checks, headers=headers)
        except (Exception, BaseExceptionGroup) as err:  # noqa: BLE001 - every failure is recorded, the run goes on
            run.failures.extend(_failures_of(run.label, err, case, status))

    del seed_label  # derandomize: the examples derive from the test itself, the same on every run
    try:
        exercise()
    except Unsatisfiable:  # nothing of this operation can be made to not fit its schema (no parameters)
        pass
    except (Exception, BaseExceptionGroup) as err:  # noqa: BLE001 - e.g. a strategy that cannot be built from the schema
        run.failures.append(FuzzFailure(run.label, "generation", None, _one_line(f"{type(err).__name__}: {err}"),
                                        ""))
    finally:
        session.close()
    return run


def fuzz_url(base: str, examples: int = 25, token: str | None = None, max_seconds: float = MAX_RESPONSE_SECONDS,
             negative: bool = True, writes: bool = True, only: Callable[[str], bool] | None = None,
             log: Callable[[str], None] | None = None) -> dict:
    """Fuzz the app at ``base`` (e.g. ``http://127.0.0.1:8000``) from its ``/openapi.json``.

    ``examples`` requests fitting the schema per operation (and ``examples // 2`` that do not, if
    ``negative``), each sent with ``Authorization: Bearer token`` when given; ``writes=False`` leaves out the
    operations that change data (POST, PUT, PATCH, DELETE but the read-only ``POST /sparql`` and glossary
    routes); ``only`` keeps the operations whose label (``GET /api/v1/actors``) it accepts.
    Returns ``{"operations", "requests", "failures", "seconds", "per_operation"}``.
    """
    import schemathesis

    started = time.perf_counter()
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json", timeout=60)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    runs: list[_OperationRun] = []
    skipped: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = operation.label
        read_only_post = operation.path in ("/sparql",) or operation.path.startswith("/api/v1/glossary/")
        if (only and not only(label)) or (not writes and operation.method.upper() in WRITE_METHODS
                                           and not read_only_post):
            skipped.append(label)
            continue
        for negative_run in ((False, True) if negative else (False,)):
            count = examples if not negative_run else max(1, examples // 2)
            run = _run_operation(operation, base, headers, count, negative_run, max_seconds, label)
            runs.append(run)
            if log:
                log(f"{label} ({'negative' if negative_run else 'positive'}): {run.requests} requests, "
                    f"{len(run.failures)} failures, slowest {run.slowest:.2f} s")
    per_operation: dict[str, dict] = {}
    for run in runs:
        row = per_operation.setdefault(run.label, {"requests": 0, "failures": 0, "statuses": {}, "slowest_s": 0.0})
        row["requests"] += run.requests
        row["failures"] += len(run.failures)
        row["slowest_s"] = round(max(row["slowest_s"], run.slowest), 3)
        for status, n in run.statuses.items():
            row["statuses"][str(status)] = row["statuses"].get(str(status), 0) + n
    failures = _dedup([f for run in runs for f in run.failures])
    return {"base": base, "operations": len(per_operation), "skipped": skipped,
            "requests": sum(r.requests for r in runs), "failures": [f.as_dict() for f in failures],
            "examples": examples, "max_response_seconds": max_seconds,
            "seconds": round(time.perf_counter() - started, 1), "per_operation": per_operation}


def _dedup(failures: list[FuzzFailure]) -> list[FuzzFailure]:
    """One failure per (operation, check, status, reason): the same bug found twenty times is reported once."""
    seen: dict[tuple, FuzzFailure] = {}
    for failure in failures:
        seen.setdefault((failure.operation, failure.check, failure.status, failure.message[:120]), failure)
    return list(seen.values())


class private_workspace:  # noqa: N801 - used as a context manager
    """A temporary copy of the tables and a store the fuzzed app may change freely; removed on exit.

    Without ``store``, the tables (``data`` or the bundled ``data/``) are copied and built into a new store; with
    ``store``, that store is copied and served, with a copy of ``data`` (the tables it was built from) for the
    editing routes when given."""

    def __init__(self, store: Path | str | None = None, data: Path | str | None = None):
        self.source_store = Path(store) if store else None
        self.source_data = Path(data) if data else None

    def __enter__(self) -> tuple[Path, Path | None]:
        from graph.config import PROJECT_ROOT

        self.root = Path(tempfile.mkdtemp(prefix="pm-fuzz-"))
        data = self.source_data or (PROJECT_ROOT / "data" if self.source_store is None else None)
        copy = None
        if data is not None:
            copy = self.root / "data"
            shutil.copytree(data, copy, ignore=shutil.ignore_patterns("README.md", "raw"))
        store = self.root / "store"
        if self.source_store is None:
            from graph.build.pipeline import build

            build(copy, store)
        else:
            shutil.copytree(self.source_store, store, symlinks=True)
        return store, copy

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def fuzz_store(store: Path | str | None = None, data: Path | str | None = None, examples: int = 100,
               max_seconds: float = MAX_RESPONSE_SECONDS, negative: bool = True,
               log: Callable[[str], None] | None = None) -> dict:
    """Start the app on a private copy of ``store`` (default: the bundled data, built) and fuzz it (:func:`fuzz_url`).

    The editing operations are fuzzed with an admin token when the tables the store was built from are known
    (the bundled data, or ``data``); with a ``store`` alone they are left out (an edit rebuilds the store from
    the tables)."""
    from graph.bench.api import serve_in_subprocess

    token = "fuzz-admin-" + secrets.token_hex(16)
    with private_workspace(store, data) as (store_copy, data_copy):
        # the embedded copy, never a remote endpoint configured in the environment (empty means none)
        env = {**SERVER_ENV, "PASSE_MURAILLE_ADMIN_TOKEN": token, "PASSE_MURAILLE_ENDPOINT": ""}
        if data_copy is not None:
            env["PASSE_MURAILLE_DATA"] = str(data_copy)
        server = serve_in_subprocess(store_copy, env=env)
        with server as base:
            if log:
                log(f"app on {base} over {store_copy} (started in {server.startup_seconds:.1f} s, warm in "
                    f"{server.warm_up_seconds or 0:.1f} s)")
            result = fuzz_url(base, examples=examples, token=token, max_seconds=max_seconds, negative=negative,
                              writes=data_copy is not None, log=log)
    result["store"] = str(store) if store else "bundled data"
    return result
