"""The real app served by uvicorn on 127.0.0.1 (free port, subprocess) over the bundled store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graph.bench.api import wait_for_warm_up
from graph.config import PROJECT_ROOT

SPARQL_LIMITS = {
    "PASSE_MURAILLE_SPARQL_TIMEOUT": "2",
    "PASSE_MURAILLE_SPARQL_WORKERS": "3",
    "PASSE_MURAILLE_SPARQL_PER_CLIENT": "2",
    "PASSE_MURAILLE_SPARQL_ROW_LIMIT": "200",
    "PASSE_MURAILLE_SPARQL_MAX_BYTES": "32768",
    "PASSE_MURAILLE_RATE_LIMIT": "off",
}
"""Limits of the test server: a short deadline and small caps so that the attack tests are quick; no per-address
rate limit, since these tests send hundreds of requests from 127.0.0.1 (tests/security/test_rate_limit.py tests
the limit on a server of its own)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    store: Path

    def client(self, local_address: str | None = None, **kwargs) -> httpx.Client:
        transport = httpx.HTTPTransport(local_address=local_address) if local_address else None
        return httpx.Client(base_url=self.url, transport=transport, timeout=30, **kwargs)

    def wait_sparql_ready(self, timeout: float = 30) -> None:
        """Wait until the SPARQL workers answer (after a test killed some)."""
        end = time.monotonic() + timeout
        with self.client() as client:
            while time.monotonic() < end:
                codes = [client.get("/sparql", params={"query": f"ASK {{ ?s ?p {i} }}"}).status_code
                         for i in range(3)]
                if codes == [200, 200, 200]:
                    return
                time.sleep(0.3)
        raise TimeoutError("SPARQL workers did not come back")


def start_server(store: Path, extra_env: dict | None = None) -> LiveServer:
    port = free_port()
    env = {**os.environ, "PASSE_MURAILLE_STORE": str(store), **SPARQL_LIMITS, **(extra_env or {})}
    env.pop("PASSE_MURAILLE_ENDPOINT", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--no-proxy-headers", "--log-level", "warning"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                wait_warm_up(url, deadline - time.monotonic())
                return LiveServer(url, process, store)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise TimeoutError("server did not start")


def wait_warm_up(url: str, timeout: float = 60) -> dict:
    """Wait until the server's warm-up (``/health``'s ``warm_up``) has finished, so that tests measuring latency
    or counting threads do not run beside it; return its status."""
    return wait_for_warm_up(url, timeout)[0]


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def live_server(bundled_store_dir):
    """The app over the bundled store, shared by the web API tests."""
    server = start_server(bundled_store_dir)
    yield server
    stop_server(server)


@pytest.fixture()
def api(live_server):
    with live_server.client() as client:
        yield client
