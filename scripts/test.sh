#!/usr/bin/env bash
# The whole test suite: install what it needs (venv, Python packages, Debian packages), lint, run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
.venv/bin/ruff check src api tests
.venv/bin/python -m pytest "$@"
