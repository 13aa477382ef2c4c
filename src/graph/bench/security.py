"""Loopback load benchmark under attack: ``clients`` concurrent clients for ``seconds`` over lookups, actor
pages and small SPARQL queries, while one client keeps a pathological SPARQL query running.

The app runs in a subprocess on 127.0.0.1 (:class:`graph.bench.api.serve_in_subprocess`); clients speak
HTTP/1.1 keep-alive with :func:`graph.bench.api._get` and each comes from its own loopback address
(127.0.0.2…) so that the per-client SPARQL cap and rate limit apply as they would to distinct users.
Answers 429/503 with ``Retry-After`` are the designed back-pressure and are counted as *refused*;
*errors* are every other status ≥ 400 and every failed connection. Bounded: the loop stops at the deadline.
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from graph.bench.api import _get, percentile, serve_in_subprocess
from graph.config import store_dir

__all__ = ["run_load_benchmark", "PATHOLOGICAL", "MIX"]

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MIX = (("lookup", 0.6), ("page", 0.25), ("sparql", 0.15))
"""Share of each kind of request in the load."""
_TERMS = ["AMO", "CPAS", "SAJ", "ILA", "PMS", "MADO", "ASE", "CRIP", "prévention", "cpms", "SPJ", "ONE"]


def _paths(base: str, rng: random.Random) -> dict[str, list[str]]:
    items = httpx.get(f"{base}/api/v1/actors", params={"limit": 200}, timeout=30).json().get("items", [])
    ids = [item["id"] for item in items] or ["amo-passages"]
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    sparql = [f"/sparql?query={quote(f'SELECT ?s ?l WHERE {{ ?s {label} ?l }} LIMIT {n}')}" for n in range(5, 25)]
    return {"lookup": [f"/api/v1/glossary/lookup?q={quote(t)}" for t in _TERMS],
            "page": [f"/acteurs/{i}" for i in ids], "sparql": sparql}


async def _client(number: int, host: str, port: int, paths: dict, deadline: float, stats: dict,
                  rng: random.Random) -> None:
    local = (f"127.0.0.{2 + number % 200}", 0)
    kinds, weights = zip(*MIX, strict=True)
    reader, writer = await asyncio.open_connection(host, port, local_addr=local)
    try:
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                status = await _get(reader, writer, host, rng.choice(paths[kind]))
            except (OSError, asyncio.IncompleteReadError, ValueError):
                status = 0
                writer.close()
                reader, writer = await asyncio.open_connection(host, port, local_addr=local)
            elapsed = time.perf_counter() - started
            entry = stats[kind]
            if status and status < 400:
                entry["latencies"].append(elapsed)
            elif kind == "sparql" and status in (429, 503):
                entry["refused"] += 1
            else:
                entry["errors"] += 1
    finally:
        writer.close()


async def _pathological(host: str, port: int, deadline: float, outcome: dict) -> None:
    path = f"/sparql?query={quote(PATHOLOGICAL)}"
    reader, writer = await asyncio.open_connection(host, port, local_addr=("127.0.0.250", 0))
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status = await _get(reader, writer, host, path)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                status = 0
                writer.close()
                reader, writer = await asyncio.open_connection(host, port, local_addr=("127.0.0.250", 0))
            outcome.setdefault("statuses", []).append(status)
            outcome.setdefault("seconds", []).append(round(time.perf_counter() - started, 2))
    finally:
        writer.close()


async def _run(base: str, clients: int, seconds: float, paths: dict, seed: int) -> dict:
    host, port = base.removeprefix("http://").split(":")
    stats = {kind: {"latencies": [], "errors": 0, "refused": 0} for kind, _ in MIX}
    slow: dict = {}
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    tasks = [_client(i, host, int(port), paths, deadline, stats, random.Random(seed + i)) for i in range(clients)]
    await asyncio.gather(_pathological(host, int(port), deadline, slow), *tasks)
    return {"elapsed": time.perf_counter() - started, "stats": stats, "pathological": slow}


def run_load_benchmark(store: Path | str | None = None, clients: int = 100, seconds: float = 60.0,
                       seed: int = 7, env: dict | None = None) -> dict:
    """Run the load; return figures per kind (and ``lines``, a printable summary)."""
    store = Path(store) if store else store_dir()
    with serve_in_subprocess(store, env=env) as base:
        paths = _paths(base, random.Random(seed))
        for kind_paths in paths.values():  # warm-up: caches are built once per store version
            for path in kind_paths[:20]:
                httpx.get(base + path, timeout=30)
        result = asyncio.run(_run(base, clients, seconds, paths, seed))
    elapsed = result["elapsed"]
    report: dict = {"clients": clients, "seconds": round(elapsed, 1), "kinds": {}}
    for kind, entry in result["stats"].items():
        lat = entry["latencies"]
        report["kinds"][kind] = {
            "ok": len(lat), "errors": entry["errors"], "refused": entry["refused"],
            "throughput_rps": round(len(lat) / elapsed, 1),
            "p50_ms": round(percentile(lat, 50) * 1000, 1), "p99_ms": round(percentile(lat, 99) * 1000, 1)}
    slow = result["pathological"]
    report["pathological"] = {"query": PATHOLOGICAL, "answers": len(slow.get("statuses", [])),
                              "statuses": sorted(set(slow.get("statuses", []))),
                              "max_seconds": max(slow.get("seconds", [0]))}
    report["errors"] = sum(k["errors"] for k in report["kinds"].values())
    report["throughput_rps"] = round(sum(k["ok"] for k in report["kinds"].values()) / elapsed, 1)
    lines = [f"{clients} clients for {report['seconds']} s on loopback, one pathological SPARQL query running "
             f"(answered {report['pathological']['statuses']}, longest {report['pathological']['max_seconds']} s)"]
    for kind, k in report["kinds"].items():
        lines.append(f"  {kind:7} {k['ok']:7} ok  {k['throughput_rps']:7} req/s  p50 {k['p50_ms']:7} ms  "
                     f"p99 {k['p99_ms']:7} ms  errors {k['errors']}  refused (429/503) {k['refused']}")
    lines.append(f"  total   {report['throughput_rps']} req/s, {report['errors']} errors")
    report["lines"] = lines
    return report
