#!/usr/bin/env bash
# Start a production-like paraat stack on this machine: a PostgreSQL database, gunicorn with
# several worker processes on 127.0.0.1:PORT (static files by WhiteNoise from the collected,
# hashed and compressed files; JSON logs) and several `paraat db_worker` task processes.
# It uses the same gunicorn configuration (deploy/gunicorn.conf.py) and the same kind of
# environment file as the systemd units and the container (docs/deployment.md).
#
#   scripts/prod-stack.sh [start] [--demo]  create or reuse the database, run the release steps
#                                           (paraat setup + collectstatic; --demo also loads the
#                                           demo data once), start web and workers, wait for
#                                           /readyz, print the address
#   scripts/prod-stack.sh stop [--purge]    stop what start started; --purge also drops the
#                                           database and removes the stack folder
#   scripts/prod-stack.sh status            which processes run
#   scripts/prod-stack.sh paraat ARGS...    run a paraat command in the stack's environment,
#                                           e.g. `scripts/prod-stack.sh paraat createsuperuser`
#
# Environment (default):
#   PARAAT_STACK_DB            database name (paraat_stack); letters, digits and _ only
#   PARAAT_STACK_PG            PostgreSQL server (postgres://postgres@localhost:5432)
#   PARAAT_STACK_PORT          port on 127.0.0.1 (8001)
#   PARAAT_STACK_WEB_WORKERS   gunicorn worker processes (3)
#   PARAAT_STACK_WEB_THREADS   threads per gunicorn worker (1 = sync workers; more: gthread)
#   PARAAT_STACK_TASK_WORKERS  db_worker processes (2)
#   PARAAT_STACK_CACHE         shared cache (PARAAT_CACHE_URL): "auto" (default) = Redis on
#                              127.0.0.1:6379 when it answers, else none (a memory cache per
#                              process); "none"; or a redis:// address
#   PARAAT_STACK_DIR           stack folder: environment file, data, pid files, logs (var/stack)
#   PARAAT_STACK_DEMO          1 = load the demo data, like --demo (0)
#   PARAAT_STACK_READY_TIMEOUT seconds to wait for /readyz (120)
#   PARAAT_STACK_NO_INSTALL    1 = use .venv as it is, do not (re)install (0)
#   PARAAT_SECURE_COOKIES      1 (production default; browsers accept secure cookies from
#                              http://localhost), 0 for other clients over plain HTTP
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

DB=${PARAAT_STACK_DB:-paraat_stack}
PG=${PARAAT_STACK_PG:-postgres://postgres@localhost:5432}
PG=${PG%/}
PORT=${PARAAT_STACK_PORT:-8001}
WEB_WORKERS=${PARAAT_STACK_WEB_WORKERS:-3}
TASK_WORKERS=${PARAAT_STACK_TASK_WORKERS:-2}
WEB_THREADS=${PARAAT_STACK_WEB_THREADS:-1}
CACHE=${PARAAT_STACK_CACHE:-auto}
DIR=${PARAAT_STACK_DIR:-$REPO/var/stack}
case "$DIR" in /*) ;; *) DIR=$REPO/$DIR ;; esac
DIR=${DIR%/}
DEMO=${PARAAT_STACK_DEMO:-0}
READY_TIMEOUT=${PARAAT_STACK_READY_TIMEOUT:-120}
RUN=$DIR/run
LOG=$DIR/log
ENV_FILE=$DIR/paraat.env
MARKER=$DIR/.paraat-stack

die() { echo "prod-stack: $*" >&2; exit 1; }
say() { echo "prod-stack: $*"; }

[[ $DB =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "PARAAT_STACK_DB=$DB: use letters, digits and _"
[[ $PORT =~ ^[0-9]+$ ]] || die "PARAAT_STACK_PORT=$PORT is not a port number"
[[ $WEB_WORKERS =~ ^[1-9][0-9]*$ ]] || die "PARAAT_STACK_WEB_WORKERS must be 1 or more"
[[ $TASK_WORKERS =~ ^[0-9]+$ ]] || die "PARAAT_STACK_TASK_WORKERS must be 0 or more"
[[ $WEB_THREADS =~ ^[1-9][0-9]*$ ]] || die "PARAAT_STACK_WEB_THREADS must be 1 or more"

# The shared cache: Redis when there is one (rate limits across workers, public page parts).
cache_url() {
  case "$CACHE" in
    none | "") echo "" ;;
    auto)
      if (exec 3<> /dev/tcp/127.0.0.1/6379) 2> /dev/null; then
        echo "redis://127.0.0.1:6379/0"
      else
        echo ""
      fi
      ;;
    redis://* | rediss://* | unix://*) echo "$CACHE" ;;
    *) die "PARAAT_STACK_CACHE=$CACHE: use auto, none or a redis:// address" ;;
  esac
}

psql_admin() { psql "$PG/postgres" -v ON_ERROR_STOP=1 -qtA "$@"; }

# The environment of every stack process: the systemd units read the same kind of file
# (EnvironmentFile=/etc/paraat/paraat.env).
load_env() {
  [ -f "$ENV_FILE" ] || die "no stack in $DIR (run: scripts/prod-stack.sh start)"
  # Nothing from the caller's environment leaks in (a test run sets its own settings module).
  unset DJANGO_SETTINGS_MODULE DATABASE_URL
  while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^PARAAT_' | grep -v '^PARAAT_STACK_' || true)
  set -a
  # shellcheck disable=SC1090
  source "$ENV_FILE"
  set +a
}

write_env() {
  local secret cache
  cache=$(cache_url)  # here, not inside the heredoc: a bad PARAAT_STACK_CACHE stops the start
  if [ ! -s "$DIR/secret_key" ]; then
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$DIR/secret_key")
  fi
  secret=$(cat "$DIR/secret_key")
  (umask 077 && cat > "$ENV_FILE" <<EOF
# Written by scripts/prod-stack.sh; the production equivalent is /etc/paraat/paraat.env.
DJANGO_SETTINGS_MODULE=paraat.conf.settings
DATABASE_URL=$PG/$DB
PARAAT_DATA_DIR=$DIR/data
PARAAT_SECRET_KEY=$secret
PARAAT_DEBUG=0
PARAAT_ALLOWED_HOSTS=127.0.0.1,localhost
PARAAT_CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$PORT,http://localhost:$PORT
PARAAT_SITE_URL=http://localhost:$PORT
PARAAT_SECURE_COOKIES=${PARAAT_SECURE_COOKIES:-1}
PARAAT_SSL_REDIRECT=0
PARAAT_BEHIND_PROXY=1
PARAAT_HSTS_SECONDS=${PARAAT_HSTS_SECONDS:-3600}
PARAAT_DB_CONN_MAX_AGE=60
PARAAT_LOG_FORMAT=json
PARAAT_LOG_LEVEL=INFO
PARAAT_EMAIL_DELIVERY_BACKEND=django.core.mail.backends.console.EmailBackend
PARAAT_BIND=127.0.0.1:$PORT
PARAAT_WEB_WORKERS=$WEB_WORKERS
PARAAT_WEB_THREADS=$WEB_THREADS
PARAAT_CACHE_URL=$cache
PARAAT_CACHE_KEY_PREFIX=paraat-$DB
PARAAT_WEB_TIMEOUT=60
PARAAT_WEB_GRACEFUL_TIMEOUT=20
PARAAT_FORWARDED_ALLOW_IPS=127.0.0.1,::1
EOF
  )
  # Passed on from the caller when set: where the demo data is, and (for trying the demo
  # accounts without an authenticator app) PARAAT_REQUIRE_2FA=0.
  local name
  for name in PARAAT_SHARED_DATA_DIR PARAAT_REQUIRE_2FA; do
    if [ -n "${!name:-}" ]; then echo "$name=${!name}" >> "$ENV_FILE"; fi
  done
}

# Is PID alive and one of ours (the command line names what we started)?
ours() {
  local pid=$1 what=$2
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  [[ "$(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null)" == *"$what"* ]]
}

pid_files() { compgen -G "$RUN/*.pid" || true; }

what_of() {
  case "$(basename "$1")" in web.pid) echo gunicorn ;; *) echo db_worker ;; esac
}

stop_all() {
  local file pid what waited
  for file in $(pid_files); do
    pid=$(cat "$file" 2>/dev/null || true)
    what=$(what_of "$file")
    if ours "$pid" "$what"; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  # gunicorn lets open requests finish (PARAAT_WEB_GRACEFUL_TIMEOUT), a worker its task.
  for file in $(pid_files); do
    pid=$(cat "$file" 2>/dev/null || true)
    what=$(what_of "$file")
    waited=0
    while ours "$pid" "$what" && [ $waited -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
    if ours "$pid" "$what"; then
      say "$(basename "$file" .pid) ($pid) did not stop in 30 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}

cmd_stop() {
  local purge=0
  [ "${1:-}" = "--purge" ] && purge=1
  if [ -d "$RUN" ]; then
    stop_all
    say "stopped"
  else
    say "nothing running in $DIR"
  fi
  if [ $purge = 1 ]; then
    local db=$DB
    [ -s "$DIR/database" ] && db=$(cat "$DIR/database")
    [[ $db =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "$DIR/database: not a database name"
    if psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" 2>/dev/null; then
      say "database $db dropped"
    else
      say "could not drop database $db (is PostgreSQL at $PG reachable?)"
    fi
    # The stack's keys in the shared cache (its generation counter and rate-limit counts).
    if [ -f "$ENV_FILE" ] && grep -q '^PARAAT_CACHE_URL=.' "$ENV_FILE"; then
      (load_env && .venv/bin/python - <<'PY'
import os
import redis
client = redis.Redis.from_url(os.environ["PARAAT_CACHE_URL"], socket_timeout=2)
keys = list(client.scan_iter(match=os.environ["PARAAT_CACHE_KEY_PREFIX"] + ":*", count=500))
if keys:
    client.delete(*keys)
print(f"prod-stack: {len(keys)} cache key(s) removed")
PY
      ) || say "could not clear the stack's cache keys"
    fi
    if [ -f "$MARKER" ]; then
      rm -rf "$DIR"
      say "removed $DIR"
    elif [ -e "$DIR" ]; then
      say "left $DIR in place: it is not a stack folder (no $MARKER)"
    fi
  fi
}

cmd_status() {
  local file pid what state=1
  for file in $(pid_files); do
    pid=$(cat "$file" 2>/dev/null || true)
    what=$(what_of "$file")
    if ours "$pid" "$what"; then
      echo "$(basename "$file" .pid): running (pid $pid)"
      state=0
    else
      echo "$(basename "$file" .pid): not running"
    fi
  done
  [ -n "$(pid_files)" ] || echo "no stack processes in $DIR"
  return $state
}

wait_ready() {
  local url=http://127.0.0.1:$PORT/readyz deadline=$((SECONDS + READY_TIMEOUT)) code=none
  while [ $SECONDS -lt $deadline ]; do
    if ! ours "$(cat "$RUN/web.pid")" gunicorn; then
      tail -n 30 "$LOG/web.log" >&2 || true
      echo "prod-stack: gunicorn stopped (see above)" >&2
      return 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.5
  done
  tail -n 5 "$LOG/web.log" >&2 || true
  echo "prod-stack: /readyz did not answer 200 within $READY_TIMEOUT s (last: $code):" >&2
  curl -s --max-time 5 "$url" >&2 || true
  echo >&2
  return 1
}

cmd_start() {
  [ "${1:-}" = "--demo" ] && DEMO=1
  if [ "${PARAAT_STACK_NO_INSTALL:-0}" != 1 ]; then
    source scripts/_venv.sh
  fi
  [ -x .venv/bin/gunicorn ] || die "gunicorn is not installed in .venv (pip install -e .)"
  command -v psql > /dev/null || die "psql (PostgreSQL client) is needed"
  command -v curl > /dev/null || die "curl is needed"
  psql_admin -c "SELECT 1" > /dev/null || die "PostgreSQL at $PG is not reachable"

  if [ -d "$RUN" ] && cmd_status > /dev/null 2>&1; then
    die "a stack is already running from $DIR (scripts/prod-stack.sh stop)"
  fi
  if [ -e "$DIR" ] && [ ! -f "$MARKER" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
    die "$DIR exists and is not a stack folder"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2> /dev/null; then
    die "port $PORT on 127.0.0.1 is in use (set PARAAT_STACK_PORT)"
  fi
  mkdir -p "$DIR" "$RUN" "$LOG" "$DIR/data"
  touch "$MARKER"
  echo "$DB" > "$DIR/database"
  write_env
  load_env

  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ]; then
    say "reusing database $DB"
  else
    psql_admin -c "CREATE DATABASE \"$DB\"" > /dev/null
    say "created database $DB"
  fi

  # The release steps (Procfile `release`): migrate + roles, and the static files. They do not
  # depend on each other, so they run side by side.
  say "release: paraat setup and collectstatic ..."
  .venv/bin/paraat collectstatic --noinput -v 0 > "$LOG/collectstatic.log" 2>&1 &
  local collect=$!
  if ! .venv/bin/paraat setup -v 0 > "$LOG/setup.log" 2>&1; then
    wait $collect || true
    cat "$LOG/setup.log" >&2
    die "paraat setup failed"
  fi
  if ! wait $collect; then
    cat "$LOG/collectstatic.log" >&2
    die "collectstatic failed"
  fi
  if [ "$DEMO" = 1 ]; then
    say "loading the demo data (once) ..."
    .venv/bin/paraat shell -c '
from django.conf import settings
from paraat.measures.selectors import jurisdiction_netherlands
from paraat.web.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_load
if jurisdiction_netherlands() is None:
    demo_load(data_dir=settings.PARAAT_SHARED_DATA_DIR)
    print("demo data loaded")
else:
    print("demo data already present")
print("Fictional demo accounts (password %r): %s" % (DEMO_PASSWORD, ", ".join(p[0] for p in DEMO_PEOPLE)))
'
  fi

  # Web: gunicorn master + PARAAT_WEB_WORKERS workers. Each process in its own session, so a
  # Ctrl+C in this terminal does not reach them; `stop` ends them by their pid.
  setsid .venv/bin/gunicorn -c deploy/gunicorn.conf.py paraat.wsgi:application \
    > "$LOG/web.log" 2>&1 < /dev/null &
  echo $! > "$RUN/web.pid"
  local i host worker_id
  host=$(hostname -s 2> /dev/null || echo stack)
  for ((i = 1; i <= TASK_WORKERS; i++)); do
    # Unique in the pool (at most 64 characters): machine, database, number.
    worker_id="${host:0:24}-$i-$DB"
    setsid .venv/bin/paraat db_worker --no-reload --interval 0.5 --worker-id "${worker_id:0:64}" \
      > "$LOG/worker-$i.log" 2>&1 < /dev/null &
    echo $! > "$RUN/worker-$i.pid"
  done

  if ! wait_ready; then
    stop_all
    die "the site did not become ready (logs in $LOG)"
  fi
  say "web: gunicorn pid $(cat "$RUN/web.pid") with $WEB_WORKERS workers; $TASK_WORKERS task worker(s)"
  say "logs: $LOG; environment: $ENV_FILE"
  say "ready: http://localhost:$PORT/"
}

action=${1:-start}
[ $# -gt 0 ] && shift
case "$action" in
  start) cmd_start "$@" ;;
  --demo) cmd_start --demo ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status ;;
  paraat) load_env; exec .venv/bin/paraat "$@" ;;
  *) die "unknown action $action (start, stop, status, paraat)" ;;
esac
