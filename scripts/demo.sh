#!/usr/bin/env bash
# Set up and start the demo site on an embedded SQLite database with the demo data loaded.
# Open http://localhost:8000 (demo accounts are printed at the start; they are fictional).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
export PARAAT_DATA_DIR=${PARAAT_DATA_DIR:-$PWD/var/demo}
# The demo serves plain HTTP on localhost; production keeps secure cookies (the default).
export PARAAT_SECURE_COOKIES=${PARAAT_SECURE_COOKIES:-0}
# The fictional demo accounts log in without a second step; the header says 2FA is off.
export PARAAT_REQUIRE_2FA=${PARAAT_REQUIRE_2FA:-0}
exec .venv/bin/paraat demo --serve "${PARAAT_DEMO_ADDR:-localhost:8000}"
