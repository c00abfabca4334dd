"""Container health check: is the web process answering ``/healthz``? Exit 0 if so, 1 if not.

Asks gunicorn on this machine (PARAAT_BIND's port, default 8000) under the first host name of
PARAAT_ALLOWED_HOSTS (any other name would be refused with a 400) and as if through the TLS
proxy (``X-Forwarded-Proto: https`` from 127.0.0.1, which gunicorn trusts), so that
``PARAAT_SSL_REDIRECT=1`` does not answer with a redirect. Standard library only.
"""

from __future__ import annotations

import http.client
import os
import sys


def _port() -> int:
    bind = os.environ.get("PARAAT_BIND", "").split(",")[0].strip()
    if not bind and os.environ.get("PORT"):
        return int(os.environ["PORT"])
    tail = bind.rsplit(":", 1)[-1] if ":" in bind else ""
    return int(tail) if tail.isdigit() else 8000


def _host() -> str:
    for name in os.environ.get("PARAAT_ALLOWED_HOSTS", "localhost").split(","):
        name = name.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def main() -> int:
    connection = http.client.HTTPConnection("127.0.0.1", _port(), timeout=4)
    try:
        connection.request(
            "GET", "/healthz", headers={"Host": _host(), "X-Forwarded-Proto": "https"}
        )
        status = connection.getresponse().status
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"unhealthy: /healthz answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
