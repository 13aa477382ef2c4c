#!/usr/bin/env bash
# Extra set-up after pip install (called by scripts/setup.sh): for `test`, the Debian Chromium that the
# browser tests drive through Playwright (never `playwright install`: no browser download). Idempotent, quiet.
# Usage: scripts/setup-extra.sh [run|test]
set -euo pipefail
profile="${1:-run}"
[ "$profile" = "test" ] || exit 0
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
