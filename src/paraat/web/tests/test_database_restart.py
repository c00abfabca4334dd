"""The database restarts while the site serves requests (issue 8; PostgreSQL only).

A real gunicorn process serves paraat with its database connection running through a small
TCP proxy in this test (127.0.0.1:<random> → the PostgreSQL server of the test database). The
test cuts the proxy (every open connection closed, new ones refused: what clients see while
PostgreSQL restarts) and restores it. During the cut pages answer 503 with a plain page in Dutch
and English and ``Retry-After``, the API a JSON 503, never a 500 or a traceback; after the
restore the next request succeeds, also on a connection gunicorn kept (``CONN_MAX_AGE``, checked
by ``CONN_HEALTH_CHECKS``). Loopback only; every wait has a deadline.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from paraat.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

INTERNALS = ("Traceback", "OperationalError", "InterfaceError", "psycopg", "5432", "postgres")


class Proxy:
    """Forward 127.0.0.1:<port> to ``upstream``; ``cut()`` and ``restore()`` the line."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.listener: socket.socket | None = None
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Close the listener (new connections are refused) and every open connection."""
        listener, self.listener = self.listener, None
        if listener is not None:
            with contextlib.suppress(OSError):  # wakes the thread blocked in accept()
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.pairs.append((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Site:
    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookie = cookie

    def get(self, path: str, *, logged_in: bool = False) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "localhost"}
        if logged_in:
            headers["Cookie"] = f"sessionid={self.cookie}"
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, Proxy]]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): SQLite has no server to restart")
    settings_dict = connection.settings_dict
    proxy = Proxy((settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)))
    user = UserFactory(username="storing")
    client = Client()
    client.force_login(user)  # a session row in the (committed) test database
    cookie = client.cookies["sessionid"].value
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "paraat.conf.settings",
        "DATABASE_URL": (
            f"postgres://{settings_dict['USER'] or 'postgres'}{password}@127.0.0.1:{proxy.port}/"
            f"{settings_dict['NAME']}"
        ),
        "PARAAT_DB_CONN_MAX_AGE": "600",  # keep connections: the health check must catch them
        "PARAAT_SECURE_COOKIES": "0",
        "PARAAT_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "PARAAT_LOG_LEVEL": "WARNING",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "paraat.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "1",
            "--timeout", "60",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    web = Site(port, cookie)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not start"
            with contextlib.suppress(OSError):
                if web.get("/healthz")[0] == 200:
                    break
            time.sleep(0.2)
        yield web, proxy
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        proxy.cut()
        log.close()
    # Let the test database's teardown (flush) not wait for gunicorn's closed connections.


def _assert_clean_503(status: int, headers: dict[str, str], body: str) -> None:
    assert status == 503, body[:500]
    assert headers.get("retry-after") == "30"
    for internal in INTERNALS:
        assert internal not in body, internal


def test_pages_answer_503_while_the_database_is_down_and_recover_after(
    site: tuple[Site, Proxy],
) -> None:
    web, proxy = site
    pages = [("/adviezen/", False), ("/taken/", True), ("/api/v1/measures/", False)]

    # Up: the database answers through the proxy (a session read, a list, the API).
    for path, logged_in in pages:
        status, _headers, body = web.get(path, logged_in=logged_in)
        assert status == 200, (path, body[:300])

    # Down: a 503 page (Dutch and English, no internals) or a JSON 503 for the API.
    proxy.cut()
    for path, logged_in in pages * 2:
        status, headers, body = web.get(path, logged_in=logged_in)
        _assert_clean_503(status, headers, body)
        if path.startswith("/api/"):
            assert headers["content-type"].startswith("application/json")
            assert json.loads(body)["code"] == "database_unavailable"
        else:
            assert "Tijdelijk niet beschikbaar" in body and "Temporarily unavailable" in body
    # Liveness does not depend on the database; readiness says it is not ready.
    assert web.get("/healthz")[0] == 200
    assert web.get("/readyz")[0] == 503

    # Back: the very next requests succeed, without restarting gunicorn.
    proxy.restore()
    for path, logged_in in pages:
        status, _headers, body = web.get(path, logged_in=logged_in)
        assert status == 200, (path, body[:300])

    # A restart between two requests: the kept connection is dead, the health check notices
    # before the request uses it, and the request succeeds on a new one.
    proxy.cut()
    proxy.restore()
    for path, logged_in in pages:
        status, _headers, body = web.get(path, logged_in=logged_in)
        assert status == 200, (path, body[:300])


# --- the same answers in process, on any database ------------------------------------------


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every query of this thread's connection fails as with a server that went away."""
    from django.db import OperationalError

    def gone(*args: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly (port 5432)")

    monkeypatch.setattr(connection, "cursor", gone)
    monkeypatch.setattr(connection, "chunked_cursor", gone)
    yield
    monkeypatch.undo()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "logged_in"),
    [
        ("/adviezen/", False),  # the view finds out: the middleware answers
        ("/taken/", True),  # the session middleware finds out: handler500 answers
        ("/api/v1/measures/", False),
    ],
)
def test_database_errors_become_a_clean_503_in_process(
    path: str, logged_in: bool, request: pytest.FixtureRequest
) -> None:
    client = Client(raise_request_exception=False)
    if logged_in:
        client.force_login(UserFactory(username="storing-in-proces"))
    request.getfixturevalue("database_down")
    response = client.get(path)
    body = response.content.decode()
    _assert_clean_503(
        response.status_code, {k.lower(): v for k, v in response.headers.items()}, body
    )
    if path.startswith("/api/"):
        assert response.json()["code"] == "database_unavailable"
    else:
        assert "Tijdelijk niet beschikbaar" in body and "Temporarily unavailable" in body
