"""HTTP benchmark of the real app on loopback: throughput and p50/p99 latency with concurrent clients.

The app is started with uvicorn in a subprocess on 127.0.0.1 (a free port) over a given store; ``clients``
asyncio connections (HTTP/1.1 keep-alive) send a bounded number of requests per target (lookup, actor
page, map page), one target after the other. Only loopback traffic; the loop stops by itself.

The load generator speaks HTTP/1.1 over asyncio streams itself (:func:`_get`): it shares the machine's two
cores with the server, and an httpx client spent more CPU per request than the server did, which
measured the client rather than the app.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

__all__ = ["run_api_benchmark", "serve_in_subprocess", "wait_for_warm_up", "percentile"]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_warm_up(base: str, timeout: float = 60) -> tuple[dict, float]:
    """Poll ``/health`` until the server's warm-up is no longer running or ``timeout`` seconds have passed;
    return its last status and the slowest ``/health`` answer meanwhile (seconds)."""
    deadline, worst = time.monotonic() + max(timeout, 1), 0.0
    while True:
        asked = time.perf_counter()
        status = httpx.get(f"{base}/health", timeout=60).json().get("warm_up", {})
        worst = max(worst, time.perf_counter() - asked)
        if status.get("state") != "running" or time.monotonic() > deadline:
            return status, worst
        time.sleep(0.1)


class serve_in_subprocess:  # noqa: N801 - used as a context manager
    """Start ``passe-muraille serve`` on 127.0.0.1 over ``store`` and stop it on exit. Entering waits until
    ``/health`` answers (``startup_seconds``) and then, unless ``wait_warm_up`` is false, until the server's
    background warm-up is done (``warm_up_seconds`` since the start, ``health_worst_seconds``: the slowest
    ``/health`` meanwhile), so that latency is measured on a server at rest."""

    def __init__(self, store: Path | str, env: dict | None = None, wait_warm_up: bool = True):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PASSE_MURAILLE_STORE": str(store), **(env or {})}
        self.wait_warm_up = wait_warm_up
        self.warm_up_seconds: float | None = None
        self.health_worst_seconds: float | None = None
        self.warm_up: dict = {}

    def _await_warm_up(self, started: float, timeout: float) -> None:
        self.warm_up, self.health_worst_seconds = wait_for_warm_up(self.base, timeout)
        if self.warm_up.get("state") == "running":
            raise RuntimeError("the server's warm-up did not finish within its deadline")
        self.warm_up_seconds = time.perf_counter() - started

    def __enter__(self) -> str:
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--no-proxy-headers", "--log-level", "warning"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code == 200:
                    self.startup_seconds = time.perf_counter() - started
                    if self.wait_warm_up:
                        self._await_warm_up(started, 900)
                    return self.base
            except httpx.HTTPError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("the app did not start within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    """One GET on a keep-alive connection; returns the status (body read and discarded)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _load(base: str, paths: list[str], clients: int) -> dict:
    # the load generator runs in the benchmark's process, which may hold the graphs of earlier benchmarks:
    # they are set aside from its cyclic GC for the run, so that its pauses are not counted as server latency
    gc.collect()
    gc.freeze()
    try:
        return await _run_load(base, paths, clients)
    finally:
        gc.unfreeze()


async def _run_load(base: str, paths: list[str], clients: int) -> dict:
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)

    async def worker(number: int) -> None:
        nonlocal errors
        local = (f"127.0.0.{2 + number % 200}", 0)  # one loopback address per client, as distinct users
        reader, writer = await asyncio.open_connection(host, int(port), local_addr=local)
        try:
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                started = time.perf_counter()
                try:
                    if await _get(reader, writer, host, path) >= 400:
                        errors += 1
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port), local_addr=local)
                latencies.append(time.perf_counter() - started)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    return {"requests": len(paths), "errors": errors, "seconds": round(elapsed, 3),
            "throughput_rps": round(len(paths) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 50) * 1000, 2), "p99_ms": round(percentile(latencies, 99) * 1000, 2),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 2)}


def _targets(base: str, requests: int, rng: random.Random) -> dict[str, list[str]]:
    actors = httpx.get(f"{base}/api/v1/actors", params={"limit": 200}, timeout=30).json()
    items = actors.get("items") or actors.get("results") or []
    ids = [item["id"] for item in items if "id" in item] or ["cpas-charleroi"]
    terms = ["AMO", "CPAS", "SAJ", "ILA", "PMS", "MADO", "ASE", "CRIP", "prévention", "amo", "A.M.O.", "cpms"]
    return {
        "lookup": [f"/api/v1/glossary/lookup?q={rng.choice(terms)}" for _ in range(requests)],
        "actor_page": [f"/acteurs/{rng.choice(ids)}" for _ in range(max(1, requests // 2))],
        "map_page": [f"/cartes/acteurs/{rng.choice(ids)}" for _ in range(max(1, requests // 4))],
    }


def run_api_benchmark(store: Path | str, clients: int = 50, requests: int = 2000, seed: int = 7) -> dict:
    """Start the app over ``store`` and measure each target with ``clients`` concurrent clients."""
    rng = random.Random(seed)
    server = serve_in_subprocess(store)
    with server as base:
        targets = _targets(base, requests, rng)
        targets = {name: [quote(p, safe="/?=&.") for p in paths] for name, paths in targets.items()}
        for paths in targets.values():  # warm-up: caches built once per store version, as in production
            httpx.get(f"{base}{paths[0]}", timeout=60)
        results = {name: asyncio.run(_load(base, paths, clients)) for name, paths in targets.items()}
    return {"clients": clients, "startup_seconds": round(server.startup_seconds, 3), "targets": results}
