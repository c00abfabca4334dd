"""gunicorn settings for paraat: ``gunicorn -c deploy/gunicorn.conf.py paraat.wsgi:application``.

Every value comes from an environment variable with a default (docs/deployment.md lists them):

PARAAT_BIND                  address(es) to listen on, comma-separated (127.0.0.1:8000, or
                             0.0.0.0:$PORT when a platform sets PORT)
PARAAT_WEB_WORKERS           worker processes (WEB_CONCURRENCY, else 2 x cores + 1, at most 9)
PARAAT_WEB_THREADS           threads per worker (1; more than 1 selects the gthread worker)
PARAAT_WEB_TIMEOUT           seconds a silent worker may take before it is restarted (60)
PARAAT_WEB_GRACEFUL_TIMEOUT  seconds to finish open requests on stop or reload (30)
PARAAT_WEB_KEEPALIVE         seconds to keep an idle connection from the proxy open (5)
PARAAT_WEB_MAX_REQUESTS      restart a worker after this many requests, 0 = never (1000)
PARAAT_WEB_MAX_REQUESTS_JITTER  random extra requests, so workers do not restart together (100)
PARAAT_FORWARDED_ALLOW_IPS   proxies whose X-Forwarded-Proto is trusted (127.0.0.1,::1)
PARAAT_WEB_PROXY_PROTOCOL    off | v1 | v2 | auto: PROXY protocol from those proxies (off)
PARAAT_WEB_ACCESS_LOG        "-" = standard output (default), a file path, or "off"
PARAAT_WEB_CONTROL_SOCKET    path of gunicorn's control socket (none: disabled)
PARAAT_LOG_LEVEL, PARAAT_LOG_FORMAT  as for the application (INFO, plain | json)
"""

from __future__ import annotations

import os

from paraat.conf.logging import build_gunicorn_logging


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not an integer") from None


def _default_workers() -> int:
    if os.environ.get("WEB_CONCURRENCY", "").strip():
        return _int("WEB_CONCURRENCY", 2)
    return min(2 * (os.cpu_count() or 1) + 1, 9)


wsgi_app = "paraat.wsgi:application"
proc_name = "paraat-web"

# --- Where and how many ------------------------------------------------------------------------
# A platform that runs the Procfile says the port in PORT; then listen on every address.
_default_bind = f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000"
bind = [a.strip() for a in os.environ.get("PARAAT_BIND", _default_bind).split(",") if a.strip()]
workers = _int("PARAAT_WEB_WORKERS", _default_workers())
threads = _int("PARAAT_WEB_THREADS", 1)
timeout = _int("PARAAT_WEB_TIMEOUT", 60)
graceful_timeout = _int("PARAAT_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = _int("PARAAT_WEB_KEEPALIVE", 5)
max_requests = _int("PARAAT_WEB_MAX_REQUESTS", 1000)
max_requests_jitter = _int("PARAAT_WEB_MAX_REQUESTS_JITTER", 100)
# Each worker imports the application itself: a HUP reloads new code without a restart.
preload_app = False
# The workers' heartbeat files (created and unlinked at once by gunicorn) on a RAM disk when there
# is one: on a disk-backed /tmp a busy disk can stall the heartbeat (gunicorn's own advice).
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK) else None

# --- Behind a reverse proxy --------------------------------------------------------------------
# Only these addresses may say a request came in over HTTPS (X-Forwarded-Proto); paraat's own
# PARAAT_BEHIND_PROXY makes Django read the same header.
forwarded_allow_ips = os.environ.get("PARAAT_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# With the PROXY protocol the client's own address becomes REMOTE_ADDR (login throttling and
# the audit trail see the client, not the proxy).
proxy_protocol = os.environ.get("PARAAT_WEB_PROXY_PROTOCOL", "off").strip() or "off"
proxy_allow_ips = forwarded_allow_ips

# --- Logs --------------------------------------------------------------------------------------
_access = os.environ.get("PARAAT_WEB_ACCESS_LOG", "-").strip()
accesslog = None if _access.lower() in {"", "off", "none", "0"} else _access
errorlog = "-"
loglevel = os.environ.get("PARAAT_LOG_LEVEL", "INFO").strip().lower() or "info"
logconfig_dict = build_gunicorn_logging(
    os.environ.get("PARAAT_LOG_LEVEL", "INFO"), os.environ.get("PARAAT_LOG_FORMAT", "plain")
)
if accesslog is None:  # keep gunicorn from logging access lines through the dict config
    logconfig_dict["loggers"]["gunicorn.access"] = {"level": "CRITICAL", "propagate": False}

# --- gunicorn's control socket (gunicornc): off unless a path is given -------------------------
_control = os.environ.get("PARAAT_WEB_CONTROL_SOCKET", "").strip()
if _control:
    control_socket = _control
else:
    control_socket_disable = True
