"""Where things live: the project's data, ontology and store, overridable by environment variables.

* ``PASSE_MURAILLE_DATA`` — the tables directory (default ``<project>/data``);
* ``PASSE_MURAILLE_STORE`` — the embedded store directory (default ``<project>/var/store``);
* ``PASSE_MURAILLE_ENDPOINT`` — a SPARQL 1.1 query endpoint URL; when set, reading commands and the
  web app read from it instead of the embedded store.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
ONTOLOGY_FILES = ("passe-muraille.ttl",)
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


def data_dir() -> Path:
    """The tables directory."""
    return Path(os.environ.get("PASSE_MURAILLE_DATA") or PROJECT_ROOT / "data")


def store_dir() -> Path:
    """The embedded store directory."""
    return Path(os.environ.get("PASSE_MURAILLE_STORE") or PROJECT_ROOT / "var" / "store")


def endpoint_url() -> str | None:
    """The remote SPARQL endpoint to read from, if configured."""
    return os.environ.get("PASSE_MURAILLE_ENDPOINT") or None
