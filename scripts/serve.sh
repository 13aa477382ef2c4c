#!/usr/bin/env bash
# The main job: install, build the bundled dataset into the embedded store, serve the web app on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
.venv/bin/passe-muraille build
exec .venv/bin/passe-muraille serve --host 127.0.0.1 --port "${PORT:-8000}"
