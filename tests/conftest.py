"""Shared fixtures: the bundled data built once into a temporary embedded store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.config import PROJECT_ROOT
from graph.store import EmbeddedStore

DATA_DIR = PROJECT_ROOT / "data"


@pytest.fixture(scope="session")
def bundled_store_dir(tmp_path_factory) -> Path:
    """A store built from the bundled ``data/`` (built once per test session)."""
    root = tmp_path_factory.mktemp("bundled-store")
    build(DATA_DIR, root)
    return root


@pytest.fixture(scope="session")
def bundled_store(bundled_store_dir) -> EmbeddedStore:
    """The bundled store, opened read-only."""
    return EmbeddedStore(bundled_store_dir)


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    """A private copy of the bundled tables, safe to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    return target
