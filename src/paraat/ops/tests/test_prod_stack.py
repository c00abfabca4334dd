"""The production-like stack of ``scripts/prod-stack.sh``, as real processes on this machine.

One scratch PostgreSQL database (named after this process) and one temporary folder; gunicorn
with three worker processes on a free port, serving the collected, hashed and compressed static
files through WhiteNoise; two ``paraat db_worker`` processes. The tests speak HTTP to it and read
its database and logs; the module's teardown stops it with ``stop --purge`` and checks that no
process, database or file is left.

Skipped, with the reason, without PostgreSQL (``PARAAT_REQUIRE_POSTGRES=1`` fails instead),
without gunicorn, psql or curl, and in the test script's PostgreSQL pass (it makes its own
database, so one run per suite is enough).
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django_tasks import task

REPO = Path(__file__).resolve().parents[4]
SCRIPT = REPO / "scripts" / "prod-stack.sh"
PG = os.environ.get("PARAAT_STACK_PG", "postgres://postgres@localhost:5432").rstrip("/")
WEB_WORKERS = 3
TASK_WORKERS = 2
USERNAME = "stack-probe"
PASSWORD = "stack-probe-wachtwoord-123"  # a throw-away account in a scratch database


@task()
def stack_probe(token: str) -> dict[str, Any]:
    """Queued by the stack's test; run by one of its db_worker processes: which one?"""
    return {"token": token, "pid": os.getpid()}


@dataclass
class Stack:
    port: int
    database: str
    folder: Path
    env: dict[str, str]
    probe: dict[str, Any] = field(default_factory=dict)

    @property
    def run(self) -> Path:
        return self.folder / "run"

    def pid(self, name: str) -> int:
        return int((self.run / f"{name}.pid").read_text().strip())

    def worker_pids(self) -> set[int]:
        return {self.pid(f"worker-{i}") for i in range(1, TASK_WORKERS + 1)}

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: str = ""
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            raw = connection.getresponse()
            return Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, {k.replace("_", "-"): v for k, v in headers.items()})

    def paraat(self, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT), "paraat", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(_pg_url(f"{PG}/{self.database}"), connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return ", ".join(v for k, v in self.headers if k.lower() == name.lower())

    def cookies(self) -> dict[str, str]:
        """Set-Cookie lines by cookie name (the whole line, attributes included)."""
        return {
            v.split("=", 1)[0]: v for k, v in self.headers if k.lower() == "set-cookie" and "=" in v
        }


def _pg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _postgres_problem() -> str | None:
    try:
        import psycopg

        psycopg.connect(_pg_url(f"{PG}/postgres"), connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG} ({exc.__class__.__name__})"
    return None


def _skip_reason() -> str | None:
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis")):
        return (
            "the stack makes its own PostgreSQL database: it runs once per suite, in the "
            "SQLite pass"
        )
    if not (REPO / ".venv" / "bin" / "gunicorn").exists():
        return "gunicorn is not installed in .venv (pip install -e . installs it)"
    for tool in ("psql", "curl", "setsid"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    problem = _postgres_problem()
    if problem:
        if os.environ.get("PARAAT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here (PARAAT_REQUIRE_POSTGRES=1): {problem}")
        return problem
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (already exited, not yet reaped by its parent) is not running.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(_pg_url(f"{PG}/postgres"), connect_timeout=5) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchall()
        )


# What the test queues through `paraat shell` in the stack's environment: a user to log in
# with, and a task for the workers. It prints one JSON line.
_SETUP = """
import json
from django.contrib.auth import get_user_model
from paraat.ops.tests.test_prod_stack import stack_probe
get_user_model().objects.create_user(username={user!r}, password={password!r})
result = stack_probe.enqueue("probe-token")
print(json.dumps({{"task_id": str(result.id), "shell_pid": __import__("os").getpid()}}))
"""


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    scratch = Path(tempfile.mkdtemp(prefix="paraat-stack-test-"))
    database = f"paraat_stack_test_{os.getpid()}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PARAAT_") and key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    if "PARAAT_SHARED_DATA_DIR" in os.environ:
        env["PARAAT_SHARED_DATA_DIR"] = os.environ["PARAAT_SHARED_DATA_DIR"]
    port = _free_port()
    env.update(
        PARAAT_STACK_DB=database,
        PARAAT_STACK_PG=PG,
        PARAAT_STACK_PORT=str(port),
        PARAAT_STACK_WEB_WORKERS=str(WEB_WORKERS),
        PARAAT_STACK_TASK_WORKERS=str(TASK_WORKERS),
        PARAAT_STACK_DIR=str(scratch / "stack"),
        PARAAT_STACK_NO_INSTALL="1",
        PARAAT_STACK_READY_TIMEOUT="150",
    )
    stack = Stack(port=port, database=database, folder=scratch / "stack", env=env)
    started_pids: list[int] = []
    try:
        started = subprocess.run(
            ["bash", str(SCRIPT), "start"],
            env=env,
            capture_output=True,
            text=True,
            timeout=400,
            check=False,
        )
        if stack.run.exists():
            started_pids = [int(p.read_text()) for p in stack.run.glob("*.pid")]
            for pid in list(started_pids):
                started_pids.extend(_children(pid))
        assert started.returncode == 0, f"start failed:\n{started.stdout}\n{started.stderr}"
        assert f"ready: http://localhost:{port}/" in started.stdout
        setup = stack.paraat(
            "shell", "-c", _SETUP.format(user=USERNAME, password=PASSWORD), timeout=120
        )
        assert setup.returncode == 0, setup.stderr
        stack.probe = json.loads(setup.stdout.strip().splitlines()[-1])
        yield stack
    finally:
        stopped = subprocess.run(
            ["bash", str(SCRIPT), "stop", "--purge"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        folder_left = stack.folder.exists()
        shutil.rmtree(scratch, ignore_errors=True)
        # Nothing left behind: no process, no database, no files (checked unless the start
        # itself failed, whose error must not be hidden by these).
        problems = []
        if stopped.returncode != 0:
            problems.append(f"stop failed: {stopped.stdout}{stopped.stderr}")
        if left := [pid for pid in started_pids if _alive(pid)]:
            problems.append(f"processes still running: {left}")
        if _database_exists(database):
            problems.append(f"database {database} still exists")
        if folder_left:
            problems.append(f"{stack.folder} still exists")
        if problems and sys.exc_info()[0] is None:
            raise AssertionError("; ".join(problems))


def test_liveness_and_readiness(stack: Stack) -> None:
    health = stack.get("/healthz")
    assert health.status == 200
    assert json.loads(health.body) == {"status": "ok"}
    ready = stack.get("/readyz")
    assert ready.status == 200, ready.body
    body = json.loads(ready.body)
    assert body["status"] == "ready"
    checks = dict(body["checks"])
    # the stack uses Redis when it runs on 127.0.0.1:6379, else a cache per process
    assert checks.pop("cache") in {"ok: shared", "ok: per process"}
    assert set(checks.values()) == {"ok"}


def test_public_pages_are_served(stack: Stack) -> None:
    for path in ("/", "/adviezen/", "/.well-known/security.txt"):
        response = stack.get(path)
        assert response.status == 200, path
    # Debug pages are off: an unknown address is the site's own 404 page, not Django's.
    missing = stack.get("/bestaat-niet/")
    assert missing.status == 404
    assert b"technical_404" not in missing.body and b"URLconf" not in missing.body


def test_hashed_static_files_are_compressed_and_cached_for_ever(stack: Stack) -> None:
    page = stack.get("/accounts/inloggen/").body.decode()
    hashed = re.findall(r"/static/[\w/.-]+\.[0-9a-f]{12}\.css", page)
    assert hashed, "no hashed stylesheet on the login page (manifest storage?)"
    path = hashed[0]

    plain = stack.get(path)
    assert plain.status == 200
    assert plain.header("Content-Type").startswith("text/css")
    assert "max-age=315360000" in plain.header("Cache-Control")
    assert "immutable" in plain.header("Cache-Control")
    assert "Accept-Encoding" in plain.header("Vary")
    assert plain.header("Content-Encoding") == ""

    zipped = stack.get(path, Accept_Encoding="gzip")
    assert zipped.header("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped.body) == plain.body
    assert len(zipped.body) < len(plain.body)
    best = stack.get(path, Accept_Encoding="gzip, br")
    assert best.header("Content-Encoding") in {"br", "gzip"}
    assert len(best.body) <= len(zipped.body)

    # The same file under its unhashed name may change: cached briefly only.
    unhashed = re.sub(r"\.[0-9a-f]{12}\.css$", ".css", path)
    short = stack.get(unhashed)
    assert short.status == 200
    assert "immutable" not in short.header("Cache-Control")


def test_login_page_sends_the_security_headers(stack: Stack) -> None:
    response = stack.get("/accounts/inloggen/")
    assert response.status == 200
    csp = response.header("Content-Security-Policy")
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.header("X-Frame-Options") == "DENY"
    assert response.header("Referrer-Policy") == "same-origin"
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert response.header("Cross-Origin-Opener-Policy") == "same-origin"
    assert "no-store" in response.header("Cache-Control")
    csrf = response.cookies()["csrftoken"]
    assert "Secure" in csrf and "SameSite=Lax" in csrf
    # Plain HTTP gets no HSTS; behind the TLS proxy (X-Forwarded-Proto from a trusted
    # address) it does.
    assert response.header("Strict-Transport-Security") == ""
    proxied = stack.get("/accounts/inloggen/", X_Forwarded_Proto="https")
    assert proxied.header("Strict-Transport-Security").startswith("max-age=")


def test_login_sets_a_secure_httponly_session_cookie(stack: Stack) -> None:
    form = stack.get("/accounts/inloggen/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    assert token
    csrf_cookie = form.cookies()["csrftoken"].split(";", 1)[0]
    origin = f"http://127.0.0.1:{stack.port}"
    body = f"csrfmiddlewaretoken={token.group(1).decode()}&username={USERNAME}&password={PASSWORD}"
    response = stack.request(
        "POST",
        "/accounts/inloggen/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf_cookie,
            "Origin": origin,
            "Referer": f"{origin}/accounts/inloggen/",
        },
        body=body,
    )
    assert response.status == 302, response.body[:500]
    session = response.cookies()["sessionid"]
    assert "HttpOnly" in session
    assert "Secure" in session
    assert "SameSite=Lax" in session


def test_gunicorn_runs_three_worker_processes(stack: Stack) -> None:
    master = stack.pid("web")
    workers = _children(master)
    assert len(workers) == WEB_WORKERS
    for pid in workers:
        assert "gunicorn" in Path(f"/proc/{pid}/cmdline").read_text()


def test_a_queued_task_runs_in_a_separate_db_worker(stack: Stack) -> None:
    from django_tasks_db.models import DBTaskResult

    table = DBTaskResult._meta.db_table
    task_id = stack.probe["task_id"]
    deadline = time.monotonic() + 60
    row: tuple[Any, ...] | None = None
    while time.monotonic() < deadline:
        rows = stack.sql(
            f"SELECT status, return_value, worker_ids FROM {table} WHERE id = %s",
            task_id,
        )
        assert rows, "the task is not in the queue"
        row = rows[0]
        if row[0] in {"SUCCESSFUL", "FAILED"}:
            break
        time.sleep(0.3)
    assert row is not None and row[0] == "SUCCESSFUL", row
    result, worker_ids = row[1], row[2]
    assert result["token"] == "probe-token"
    # Run by one of the stack's db_worker processes: not the shell that queued it, not gunicorn.
    assert result["pid"] in stack.worker_pids()
    assert result["pid"] != stack.probe["shell_pid"]
    assert result["pid"] not in {stack.pid("web"), *_children(stack.pid("web"))}
    assert len(worker_ids) == 1 and worker_ids[0].endswith(stack.database)


def test_logs_are_one_json_object_per_line(stack: Stack) -> None:
    stack.get("/healthz", X_Request_ID="stack-test-request-1")
    deadline = time.monotonic() + 10
    access: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not access:
        lines = (stack.folder / "log" / "web.log").read_text().splitlines()
        entries = [json.loads(line) for line in lines if line.startswith("{")]
        access = [
            e
            for e in entries
            if e["logger"] == "gunicorn.access" and e["http"]["path"] == "/healthz"
        ]
        time.sleep(0.2)
    assert access, "no JSON access line for /healthz"
    line = access[-1]
    assert {"time", "level", "logger", "message", "process", "http"} <= set(line)
    assert line["http"]["status"] == 200 and line["http"]["method"] == "GET"
    assert any(e["logger"] == "gunicorn.error" for e in entries)

    worker_log = (stack.folder / "log" / "worker-1.log").read_text().splitlines()
    worker_entries = [json.loads(line) for line in worker_log if line.startswith("{")]
    assert any(e["message"].startswith("Starting worker") for e in worker_entries)

    from django.conf import settings

    if "paraat.ops.middleware.RequestIdMiddleware" in settings.MIDDLEWARE:
        response = stack.get("/healthz", X_Request_ID="stack-test-request-2")
        assert response.header("X-Request-ID") == "stack-test-request-2"


def test_the_container_health_check_passes_against_the_stack(stack: Stack) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARAAT_")}
    env.update(PARAAT_BIND=f"127.0.0.1:{stack.port}", PARAAT_ALLOWED_HOSTS="localhost")
    done = subprocess.run(
        [sys.executable, str(REPO / "deploy" / "healthcheck.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    env["PARAAT_ALLOWED_HOSTS"] = "elders.example"  # a name the site refuses: unhealthy
    refused = subprocess.run(
        [sys.executable, str(REPO / "deploy" / "healthcheck.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    # (The site should answer 400 to a host it does not serve; it answers 500 while the error
    # page's context processor needs request.user, which does not exist yet at that point.)
    assert refused.returncode == 1
    assert "unhealthy: /healthz answered" in refused.stderr


# --- the deploy files (no processes: docker may not run here, systemd is not PID 1) -----------

DEPLOY = REPO / "deploy"
DOCKER_INSTRUCTIONS = {
    "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
    "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER",
}  # fmt: skip


def _dockerfile(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction: comments dropped, continuations joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending = f"{pending} {line}" if pending else line
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        word, _, rest = pending.partition(" ")
        instructions.append((word, rest.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def test_dockerfile_is_well_formed_and_does_what_the_docs_say() -> None:
    steps = _dockerfile(DEPLOY / "Dockerfile")
    words = [word for word, _ in steps]
    assert set(words) <= DOCKER_INSTRUCTIONS, set(words) - DOCKER_INSTRUCTIONS
    assert all(word.isupper() for word in words)
    assert steps[0] == ("FROM", "python:3.11-slim")
    runs = " ".join(args for word, args in steps if word == "RUN")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in runs
    assert "pip install ." in runs
    assert "paraat collectstatic --noinput" in runs
    # JSON-form instructions are valid JSON.
    cmd = json.loads(dict(steps)["CMD"])
    assert cmd[0] == "gunicorn" and "paraat.wsgi:application" in cmd
    health = dict(steps)["HEALTHCHECK"]
    assert "/etc/paraat/healthcheck.py" in health
    json.loads(health.split("CMD", 1)[1])
    assert "/healthz" in (DEPLOY / "healthcheck.py").read_text()
    assert dict(steps)["EXPOSE"] == "8000"
    # A non-root user from before the server starts to the end.
    users = [i for i, (word, _) in enumerate(steps) if word == "USER"]
    assert users and steps[users[-1]][1] not in {"root", "0", "0:0"}
    assert users[-1] < words.index("CMD")
    # Everything it copies exists, and the build context's ignore file lets it through.
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text()
    for word, args in steps:
        if word != "COPY":
            continue
        *sources, _target = args.split()
        for source in sources:
            assert (REPO / source).exists(), source
            assert f"!{source}" in ignore or f"!{source}/**" in ignore, source


def test_compose_file_has_web_worker_postgres_and_redis() -> None:
    import yaml

    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "web", "worker", "release"} <= set(services)
    assert services["db"]["image"] == "postgres:15"
    build = services["release"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    for name in ("web", "worker", "release"):
        env = services[name]["environment"]
        assert {"DATABASE_URL", "PARAAT_SECRET_KEY", "PARAAT_ALLOWED_HOSTS"} <= set(env)
        assert env["PARAAT_LOG_FORMAT"] == "json"
    assert services["worker"]["command"][:2] == ["paraat", "db_worker"]
    assert services["worker"]["healthcheck"] == {"disable": True}
    assert services["web"]["depends_on"]["release"]["condition"] == (
        "service_completed_successfully"
    )
    assert services["release"]["command"] == ["paraat", "setup"]
    # the shared cache: every process points at the compose Redis, which web and workers await
    assert services["cache"]["image"].startswith("redis:")
    for name in ("web", "worker", "release"):
        assert services[name]["environment"]["PARAAT_CACHE_URL"].endswith("redis://cache:6379/0}")
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["cache"]["condition"] == "service_healthy"


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, f"{path.name}: {line}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


HARDENING = {
    "User": ["paraat"],
    "ProtectSystem": ["strict"],
    "ReadWritePaths": ["/var/lib/paraat"],
    "NoNewPrivileges": ["yes"],
    "PrivateTmp": ["yes"],
    "EnvironmentFile": ["/etc/paraat/paraat.env"],
}


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_systemd_units_are_hardened_and_name_real_commands() -> None:
    """(With the production task backend: db_worker checks that it is a database one.)"""
    from django.core.management import CommandError, get_commands, load_command_class

    commands = get_commands()
    folder = DEPLOY / "systemd"
    services = sorted(folder.glob("*.service"))
    assert {p.name for p in services} >= {
        "paraat-web.service",
        "paraat-worker@.service",
        "paraat-retention.service",
        "paraat-advice.service",
    }
    for path in services:
        service = _unit(path)["Service"]
        for key, value in HARDENING.items():
            assert service.get(key) == value, f"{path.name}: {key}"
        for line in service["ExecStart"]:
            program, *args = line.split()
            if not program.endswith("/paraat"):
                continue
            # The command exists and accepts these arguments (subcommand, options).
            assert args[0] in commands, f"{path.name}: paraat {args[0]}"
            command = load_command_class(commands[args[0]], args[0])
            try:
                command.create_parser("paraat", args[0]).parse_args(args[1:])
            except (CommandError, SystemExit) as exc:
                pytest.fail(f"{path.name}: paraat {' '.join(args)}: {exc}")
    web = _unit(folder / "paraat-web.service")["Service"]
    assert "deploy/gunicorn.conf.py" in web["ExecStart"][0]
    advice = _unit(folder / "paraat-advice.service")["Service"]["ExecStart"]
    assert [line.split()[1:] for line in advice] == [["advice", "release"], ["advice", "remind"]]
    retention = _unit(folder / "paraat-retention.service")["Service"]["ExecStart"]
    assert ["network", "retention"] in [line.split()[1:] for line in retention]
    for timer in folder.glob("*.timer"):
        target = _unit(timer)["Timer"]["Unit"][0]
        assert (folder / target).exists(), f"{timer.name} starts {target}"


def test_systemd_units_pass_systemd_analyze(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    venv = REPO / ".venv"
    for path in (DEPLOY / "systemd").iterdir():
        text = path.read_text().replace("/opt/paraat/venv", str(venv))
        (tmp_path / path.name).write_text(text)
    units = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *[f"./{u}" for u in units]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # Units that name missing users or a missing systemd are not this test's business.
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "Failed to" not in line and "not running" not in line
    ]
    assert problems == [], problems


def test_procfile_defines_release_web_and_worker() -> None:
    entries = dict(
        line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line.strip()
    )
    assert set(entries) == {"release", "web", "worker"}
    assert "paraat setup" in entries["release"] and "collectstatic --noinput" in entries["release"]
    assert "gunicorn -c deploy/gunicorn.conf.py" in entries["web"]
    assert "paraat db_worker" in entries["worker"]


def test_the_environment_file_example_names_the_required_settings() -> None:
    """It reads in a shell as it does in systemd (quoted values), with the required names."""
    done = subprocess.run(
        ["bash", "-c", 'set -a; . "$1"; env', "bash", str(DEPLOY / "paraat.env.example")],
        env={"PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    for name in (
        "DATABASE_URL",
        "PARAAT_SECRET_KEY",
        "PARAAT_ALLOWED_HOSTS",
        "PARAAT_CSRF_TRUSTED_ORIGINS",
        "PARAAT_SITE_URL",
        "PARAAT_DATA_DIR",
        "PARAAT_BEHIND_PROXY",
        "PARAAT_HSTS_SECONDS",
        "PARAAT_EMAIL_DELIVERY_BACKEND",
        "PARAAT_EMAIL_HOST",
        "PARAAT_FROM_EMAIL",
        "PARAAT_SECURITY_CONTACT",
        "PARAAT_LOG_FORMAT",
    ):
        assert values.get(name), name
    assert values["PARAAT_FROM_EMAIL"] == "paraat <noreply@paraat.example.nl>"
    assert values["PARAAT_LOG_FORMAT"] == "json"
    assert "PARAAT_DEBUG" not in values  # its default (off) is the production value
