#!/usr/bin/env bash
# Create the virtual environment and install the project (idempotent; reinstalls when pyproject.toml changes).
# Usage: scripts/setup.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-run}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras=""
[ "$profile" = "test" ] && extras="[test]"
stamp=".venv/.installed-${profile}-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
  if [ -x scripts/setup-extra.sh ]; then scripts/setup-extra.sh "$profile"; fi
  rm -f .venv/.installed-"${profile}"-*
  touch "$stamp"
fi
