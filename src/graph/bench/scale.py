"""The web app over a national-size store: start-up, first (cold) and repeated (warm) answer of each kind of
page and analysis, lookup latency under 50 concurrent clients, and the server's resident memory.

A synthetic dataset of ``actors`` actors (:func:`graph.bench.synth.write_synthetic`) is built into a temporary
store; the real app is started on 127.0.0.1 over it (:class:`graph.bench.api.serve_in_subprocess`). *Cold*
is the first request once the server's background warm-up (:mod:`api.warm_up`: glossary index, actor list,
maps, projection, broker table) is done, *warm* the same request again; the warm-up's own duration and the
slowest ``/health`` answer during it are reported too. Each client has its own loopback address (as distinct
users).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from graph.bench.api import _load, serve_in_subprocess

__all__ = ["run_scale_benchmark", "TARGETS"]

TARGETS = (
    ("lookup", "/api/v1/glossary/lookup?q=AMO"),
    ("actor page", "/acteurs/{actor}"),
    ("actor JSON", "/api/v1/actors/{actor}"),
    ("ego map page", "/cartes/acteurs/{actor}"),
    ("overview map page (aggregated)", "/cartes"),
    ("brokers API", "/api/v1/brokers?limit=20"),
    ("gaps API", "/api/v1/gaps"),
    ("research page", "/recherche"),
    ("counterparts page", "/homologues"),
)
"""(name, path) of what is timed; ``{actor}`` is an actor of the synthetic data."""


def _server_rss_mb(pid: int) -> float:
    """Resident memory of the server and its SPARQL workers, in MiB."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs) / 2 ** 20
    except psutil.Error:
        return float("nan")


def run_scale_benchmark(actors: int = 50_000, clients: int = 50, requests: int = 2000,
                        store: Path | str | None = None, log=None) -> dict:
    """Build (unless ``store`` is given) and serve a synthetic store of ``actors``; return the figures."""
    say = log or (lambda _m: None)
    with tempfile.TemporaryDirectory(prefix="pm-bench-scale-") as tmp:
        triples = None
        if store is None:
            from graph.bench.synth import write_synthetic
            from graph.build.pipeline import build

            say(f"scale: synthetic {actors} actors…")
            data = Path(tmp) / "data"
            write_synthetic(data, actors=actors)
            store = Path(tmp) / "store"
            triples = build(data, store).triples
        server = serve_in_subprocess(store, env={"PASSE_MURAILLE_RATE_LIMIT": "off"})
        rows, peak = [], 0.0
        with server as base:
            client = httpx.Client(base_url=base, timeout=600)
            actor = client.get("/api/v1/actors", params={"limit": 1}).json()["items"][0]["id"]
            for name, template in TARGETS:
                path = template.format(actor=actor)
                timings = []
                for _ in ("cold", "warm"):
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append(time.perf_counter() - started)
                    peak = max(peak, _server_rss_mb(server.process.pid))
                rows.append({"name": name, "path": path, "status": response.status_code,
                             "bytes": len(response.content), "cold_s": round(timings[0], 3),
                             "warm_s": round(timings[1], 3)})
                say(f"scale: {name} cold {timings[0]:.2f} s, warm {timings[1]:.3f} s")
            lookups = asyncio.run(_load(base, ["/api/v1/glossary/lookup?q=AMO"] * requests, clients))
            peak = max(peak, _server_rss_mb(server.process.pid))
            client.close()
    return {"actors": actors, "triples": triples, "startup_seconds": round(server.startup_seconds, 3),
            "warm_up_seconds": round(server.warm_up_seconds, 3), "warm_up_steps": server.warm_up.get("done", {}),
            "health_worst_during_warm_up_seconds": round(server.health_worst_seconds, 3), "targets": rows,
            "lookup_load": lookups, "server_peak_rss_mb": round(peak, 1)}
