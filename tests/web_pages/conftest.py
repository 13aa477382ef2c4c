"""Real-browser fixtures: the app served by uvicorn on 127.0.0.1, driven by Playwright through Debian's Chromium.

Chromium is Debian's ``/usr/bin/chromium`` (installed by ``scripts/setup-extra.sh test``), launched headless with
``executable_path``; ``playwright install`` is never run. Every page gets a route handler that aborts and records
any request leaving 127.0.0.1, and listeners that record console errors, page errors and dialogs; each test
fails if any was recorded. Screenshots go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from graph.build.pipeline import build
from graph.config import PROJECT_ROOT

CHROMIUM = os.environ.get("PASSE_MURAILLE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
ADMIN_TOKEN = "browser-test-admin-token-0123456789abcdef"
HOSTILE = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>'



def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One uvicorn process serving the app on a free loopback port."""

    def __init__(self, store: Path, data: Path | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PASSE_MURAILLE_STORE": str(store), "PASSE_MURAILLE_ADMIN_TOKEN": ADMIN_TOKEN}
        env.pop("PASSE_MURAILLE_ENDPOINT", None)
        if data is not None:
            env["PASSE_MURAILLE_DATA"] = str(data)
        self.log = store.parent / f"uvicorn-{self.port}.log"
        self._log = open(self.log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "tests.web_pages.secure_app:create_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"],
            cwd=PROJECT_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"uvicorn did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def server(bundled_store_dir):
    """The app over the store built from the bundled data."""
    srv = Server(bundled_store_dir)
    yield srv
    srv.stop()


def _append_rows(path: Path, rows: list[dict]) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with open(path, "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory):
    """The app over a store built from a copy of the tables holding hostile labels (and editable by the tests)."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("README.md"))
    with open(data / "actors.csv", encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    _append_rows(data / "actors.csv", [{
        "id": "hostile-actor", "label": HOSTILE, "acronym": "XSSX", "kind": "service", "sector": first["sector"],
        "country": first["country"], "parent": first["id"], "source": first["source"].split("|")[0],
        "description": '</script><script>window.__xss=3</script> <a href="javascript:window.__xss=4">href</a>',
        "homepage": "https://example.org/\"><script>window.__xss=5</script>",
    }])
    with open(data / "glossary.csv", encoding="utf-8", newline="") as handle:
        sense = next(csv.DictReader(handle))
    _append_rows(data / "glossary.csv", [{
        "id": "g-be-xssx", "acronym": "XSSX", "term_fr": HOSTILE, "expansion": "known",
        "definition": '<b onmouseover="window.__xss=6">href</b>', "sector": sense["sector"],
        "country": sense["country"], "actor": "hostile-actor", "source": sense["source"].split("|")[0],
    }])
    store = root / "store"
    build(data, store)
    srv = Server(store, data)
    srv.hostile_parent = first["id"]
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    import os

    # scripts/test.sh (and so CI) requires the browser: a missing one fails the run instead of skipping
    required = os.environ.get("PASSE_MURAILLE_REQUIRE_BROWSER") == "1"
    if required:
        import playwright.sync_api as playwright_sync
    else:
        playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"{CHROMIUM} is missing but the browser tests are required: run scripts/setup-extra.sh test")
        pytest.skip(f"{CHROMIUM} is missing: run scripts/setup-extra.sh test")
    with playwright_sync.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


class Watch:
    """What a page did that it should not: external requests, console errors, page errors, dialogs."""

    def __init__(self):
        self.external: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def check(self) -> None:
        assert not self.external, f"requests left 127.0.0.1: {self.external}"
        assert not self.errors, f"page errors: {self.errors}"
        assert not self.console, f"console errors: {self.console}"
        assert not self.dialogs, f"dialogs opened (script ran?): {self.dialogs}"


@pytest.fixture()
def watched_page(browser):
    """A fresh page (phone-sized viewport optional via ``page.set_viewport_size``) and its :class:`Watch`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    page = context.new_page()
    watch = Watch()

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()
        else:
            watch.external.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda msg: watch.console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: watch.errors.append(str(err)))

    def on_dialog(dialog):
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page, watch
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under ``test-artifacts/``."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
