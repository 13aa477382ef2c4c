#!/usr/bin/env bash
# The whole test suite: install what it needs (venv, Python packages, Debian packages), lint, run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/setup-extra.sh test   # Debian chromium for the browser tests (no-op when present)
.venv/bin/ruff check src api tests
PASSE_MURAILLE_REQUIRE_BROWSER=1 .venv/bin/python -m pytest "$@"
