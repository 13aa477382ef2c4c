"""Fixtures of the network tests: a small synthetic store (built once per session)."""

from __future__ import annotations

import pytest

from graph.bench.synth import write_synthetic
from graph.build.pipeline import build
from graph.store import EmbeddedStore


@pytest.fixture(scope="session")
def synth_store_dir(tmp_path_factory):
    """A store built (with SHACL validation) from 300 synthetic actors."""
    root = tmp_path_factory.mktemp("synth-network")
    write_synthetic(root / "tables", actors=300, seed=11)
    build(root / "tables", root / "store")
    return root / "store"


@pytest.fixture(scope="session")
def synth_store(synth_store_dir):
    return EmbeddedStore(synth_store_dir)
