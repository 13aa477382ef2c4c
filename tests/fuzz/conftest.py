"""A live app on 127.0.0.1 over a private copy of the tables and store, with a test admin token.

The fuzzer sends requests to the editing routes with that token: an edit that passes validation is published into
the copy, never into ``data/`` or the bundled store the other tests read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.bench.fuzz import SERVER_ENV, private_workspace
from tests.web_api.conftest import LiveServer, start_server, stop_server

ADMIN_TOKEN = "fuzz-test-admin-token-0123456789abcdef"


@dataclass
class FuzzServer:
    server: LiveServer
    data: Path
    store: Path

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def fuzz_server():
    with private_workspace() as (store, data):
        server = start_server(store, {**SERVER_ENV, "PASSE_MURAILLE_DATA": str(data),
                                      "PASSE_MURAILLE_ADMIN_TOKEN": ADMIN_TOKEN})
        try:
            yield FuzzServer(server, data, store)
        finally:
            stop_server(server)
