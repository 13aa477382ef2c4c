"""A live app on 127.0.0.1 over a private copy of the tables and store, with tokens and canary contacts.

The server (uvicorn subprocess, ``--no-proxy-headers``) reads ``PASSE_MURAILLE_DATA`` and
``PASSE_MURAILLE_STORE`` from a temporary directory: edits, contacts and tokens never touch ``data/`` or
``var/``. :class:`Workspace` snapshots what is stored (tables, current build, history, contacts, tokens) so
that every attack test can assert that nothing changed.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.http import auth
from graph.build.pipeline import build
from graph.config import PROJECT_ROOT
from graph.ops import contacts
from graph.store import EmbeddedStore
from tests.web_api.conftest import LiveServer, start_server, stop_server

ADMIN_TOKEN = "security-test-admin-token-0123456789abcdef"
ACTOR = "amo-passages"
CANARY = {"name": "Zoé Canari-Privé", "role": "référente canari", "email": "zoe.canari-prive@example.org",
          "phone": "+32 470 98 76 54", "note": "canari-note-privee"}
"""Private values that must never appear anywhere public (matched case-insensitively)."""
CANARY_NEEDLES = ("canari", "470 98 76 54", "470987654", "98 76 54")


def private_needles_in(text: str) -> list[str]:
    """The canary values found in ``text``."""
    low = text.lower()
    return [n for n in CANARY_NEEDLES if n in low]


@dataclass
class Workspace:
    data: Path
    store: Path
    server: LiveServer
    reader: str
    editor: str
    contact_id: str

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.server.client(headers=headers, **kwargs)

    def snapshot(self) -> dict[str, str]:
        """A digest of everything stored: tables, current build version, history, contacts, tokens."""
        digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(self.data.glob("*.csv"))}
        digests["version"] = EmbeddedStore(self.store).version
        for name in ("history.jsonl", "auth/tokens.json"):
            path = self.store / name
            digests[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
        digests["contacts"] = repr(contacts.list_contacts(root=self.store))
        return digests


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Workspace:
    root = tmp_path_factory.mktemp("security")
    data = root / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("README.md"))
    store = root / "store"
    build(data, store)
    reader = auth.create_token("lectrice partenaire", "reader", root=store)
    editor = auth.create_token("éditeur", "editor", root=store)
    record = contacts.add_contact(EmbeddedStore(store), ACTOR, CANARY, "fixture", root=store)
    server = start_server(store, {"PASSE_MURAILLE_DATA": str(data), "PASSE_MURAILLE_ADMIN_TOKEN": ADMIN_TOKEN})
    yield Workspace(data, store, server, reader, editor, record["id"])
    stop_server(server)


@pytest.fixture()
def anon(workspace):
    with workspace.client() as client:
        yield client


@pytest.fixture()
def unchanged(workspace):
    """Asserts, after the test, that nothing stored changed."""
    before = workspace.snapshot()
    yield
    assert workspace.snapshot() == before, "stored data changed"
