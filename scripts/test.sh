#!/usr/bin/env bash
# Run the whole test suite: on SQLite, and on PostgreSQL when a server is reachable
# (DATABASE_URL, default postgres://postgres@localhost:5432/test). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
pg_url=${PARAAT_TEST_POSTGRES_URL:-${DATABASE_URL:-postgres://postgres@localhost:5432/test}}
unset DATABASE_URL

echo "== test suite on SQLite =="
if [ $# -eq 0 ]; then
  # The pure core in its own (single-threaded) process, then the Django apps.
  .venv/bin/python -m pytest tests
  .venv/bin/python -m pytest src/paraat
else
  .venv/bin/python -m pytest "$@"
fi

if .venv/bin/python - "$pg_url" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}")
    sys.exit(1)
PY
then
  echo "== test suite on PostgreSQL ($pg_url) =="
  # The core never touches a database; the Django apps run again on PostgreSQL.
  DATABASE_URL="$pg_url" .venv/bin/python -m pytest "${@:-src/paraat}"
elif [ "${PARAAT_REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required here (PARAAT_REQUIRE_POSTGRES=1) but not reachable." >&2
  exit 1
else
  echo "SKIPPED: the PostgreSQL run (no server reachable; set DATABASE_URL to run it)."
fi
