"""``paraat bench load``: 200 simulated people for 10 minutes against the production-like stack.

Issue 8 ("Load and faults"). One run:

1. ``scripts/prod-stack.sh start --demo`` in a scratch folder with a scratch PostgreSQL database
   (``paraat_load_<pid>``) on a free port, with ``PARAAT_SECURE_COOKIES=0`` (the load clients
   speak plain http to 127.0.0.1) — gunicorn with its workers and the ``db_worker``
   processes, the demo data so the societal picture has something to draw;
2. ``paraat loadtest setup --users N`` in the stack's environment: the fictional accounts, a
   draft, open decision rounds, a published advice (``paraat.ops.load.scenario``);
3. locust, headless, as a subprocess (``paraat/ops/load/locustfile.py``): public readers,
   the secretariat editing the draft, members voting, importers importing;
4. ``paraat loadtest verify``: every acknowledged write stored exactly once
   (``paraat.ops.load.check``);
5. ``scripts/prod-stack.sh stop --purge`` and the scratch folder removed — always, also after
   a failure (nothing is left behind: no process, database or file).

Targets: no errors, no lost or duplicated updates, public pages p95 ≤ 200 ms, authenticated
pages and API calls p95 ≤ 500 ms (the login itself is reported apart: it hashes the password
on purpose).
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "prod-stack.sh"
LOCUSTFILE = Path(__file__).resolve().parent / "load" / "locustfile.py"
PUBLIC_TARGET_MS = 200
AUTHENTICATED_TARGET_MS = 500


@dataclass(frozen=True)
class Options:
    users: int = 200
    seconds: int = 600
    spawn_rate: float = 20
    demo: bool = True
    # gunicorn's production default (deploy/gunicorn.conf.py): 2 x cores + 1, at most 9
    web_workers: int = field(default_factory=lambda: min(2 * (os.cpu_count() or 1) + 1, 9))
    web_threads: int = 1
    task_workers: int = 2
    postgres: str = "postgres://postgres@localhost:5432"


class LoadError(Exception):
    pass


def problem() -> str | None:
    """Why the scenario cannot run here (None: it can)."""
    if not SCRIPT.exists():
        return f"{SCRIPT} is missing (run from a source checkout)"
    venv = REPO / ".venv" / "bin"
    if not (venv / "gunicorn").exists():
        return "gunicorn is not installed in .venv (pip install -e .)"
    # Looked up, not imported: importing locust monkey-patches this process for gevent.
    if importlib.util.find_spec("locust") is None:
        return 'locust is not installed (pip install -e ".[dev]" or pip install locust)'
    for tool in ("psql", "curl", "setsid", "bash"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    try:
        import psycopg

        url = os.environ.get("PARAAT_STACK_PG", Options.postgres).rstrip("/")
        psycopg.connect(
            url.replace("postgres://", "postgresql://", 1) + "/postgres", connect_timeout=3
        ).close()
    except Exception as exc:
        return f"PostgreSQL is not reachable ({exc.__class__.__name__})"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stack_env(folder: Path, options: Options) -> dict[str, str]:
    """The caller's environment without its paraat settings, plus the stack's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PARAAT_") and key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    if "PARAAT_SHARED_DATA_DIR" in os.environ:
        env["PARAAT_SHARED_DATA_DIR"] = os.environ["PARAAT_SHARED_DATA_DIR"]
    env.update(
        PARAAT_STACK_DB=f"paraat_load_{os.getpid()}",
        PARAAT_STACK_PG=os.environ.get("PARAAT_STACK_PG", options.postgres),
        PARAAT_STACK_PORT=str(_free_port()),
        PARAAT_STACK_WEB_WORKERS=str(options.web_workers),
        PARAAT_STACK_WEB_THREADS=str(options.web_threads),
        PARAAT_STACK_TASK_WORKERS=str(options.task_workers),
        PARAAT_STACK_DIR=str(folder / "stack"),
        PARAAT_STACK_NO_INSTALL="1",
        PARAAT_STACK_READY_TIMEOUT="180",
        PARAAT_SECURE_COOKIES="0",
    )
    return env


def _stack(env: dict[str, str], *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """``scripts/prod-stack.sh ARGS``, read whole before it runs (``bash -c TEXT SCRIPT``, so
    ``$0`` is still its path): bash reads a script file as it goes, and an edit of the file
    during a start of several minutes would otherwise break the running start."""
    return subprocess.run(  # noqa: S603 - our own script
        [shutil.which("bash") or "/bin/bash", "-c", SCRIPT.read_text(), str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _last_json(completed: subprocess.CompletedProcess[str], what: str) -> dict[str, Any]:
    if completed.returncode != 0:
        raise LoadError(f"{what} failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-3000:]}")
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def _locust(
    *, env: dict[str, str], folder: Path, options: Options, host: str, log: Callable[[str], None]
) -> dict[str, Any]:
    """Run locust headless; returns the results file the locustfile wrote at the end."""
    results = folder / "results.json"
    locust_env = {
        **env,
        "PARAAT_LOADTEST_MANIFEST": str(folder / "manifest.json"),
        "PARAAT_LOADTEST_RESULTS": str(results),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(options.users),
        "-r",
        str(options.spawn_rate),
        "-t",
        f"{options.seconds}s",
        "--host",
        host,
        "--stop-timeout",
        "90",
        "--csv",
        str(folder / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    output = folder / "locust.log"
    with output.open("w") as handle:
        process = subprocess.Popen(  # noqa: S603 - our interpreter, our locustfile
            command,
            env=locust_env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            process.wait(timeout=options.seconds + 300)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
            raise LoadError("locust did not finish in time") from None
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    text = output.read_text(errors="replace")
    if not results.exists():
        raise LoadError(f"locust wrote no results (exit {process.returncode}):\n{text[-3000:]}")
    figures = dict(json.loads(results.read_text()))
    figures["locust_exit"] = process.returncode
    figures["locust_cpu_warning"] = "CPU usage" in text
    lines = [line for line in text.splitlines() if line.strip()]
    first = next((i for i, line in enumerate(lines) if line.lstrip().startswith("Type")), None)
    for line in lines[first:][:120] if first is not None else []:
        log(f"  {line}")  # locust's own tables: requests per name, percentiles, errors
    return figures


def run(options: Options, *, log: Callable[[str], None] = print) -> dict[str, Any]:
    """The whole scenario; the figures as one dict (the benchmark's JSON line)."""
    reason = problem()
    if reason:
        raise LoadError(reason)
    folder = Path(tempfile.mkdtemp(prefix="paraat-load-"))
    env = _stack_env(folder, options)
    cache = ""
    host = f"http://127.0.0.1:{env['PARAAT_STACK_PORT']}"
    try:
        log(
            f"load: stack on {host} (database {env['PARAAT_STACK_DB']}, "
            f"{options.web_workers} web workers x {options.web_threads} thread(s), "
            f"{options.task_workers} task workers"
            f"{', demo data' if options.demo else ''}) …"
        )
        started = _stack(env, "start", *(["--demo"] if options.demo else []), timeout=1200)
        if started.returncode != 0:
            raise LoadError(f"the stack did not start:\n{started.stdout}\n{started.stderr}")
        cache = _env_value(folder / "stack" / "paraat.env", "PARAAT_CACHE_URL")
        log(f"load: shared cache: {cache or 'none (a memory cache per process)'}")
        setup = _last_json(
            _stack(
                env,
                "paraat",
                "loadtest",
                "setup",
                "--users",
                str(options.users),
                "--manifest",
                str(folder / "manifest.json"),
                timeout=600,
            ),
            "paraat loadtest setup",
        )
        log(f"load: setup {json.dumps(setup)}")
        log(
            f"load: locust, {options.users} users (spawn rate {options.spawn_rate}/s) for "
            f"{options.seconds} s …"
        )
        figures = _locust(env=env, folder=folder, options=options, host=host, log=log)
        log("load: verifying what was stored …")
        checked = _last_json(
            _stack(
                env,
                "paraat",
                "loadtest",
                "verify",
                "--manifest",
                str(folder / "manifest.json"),
                "--results",
                str(folder / "results.json"),
                timeout=600,
            ),
            "paraat loadtest verify",
        )
        log(f"load: verify {json.dumps(checked)}")
    finally:
        stopped = _stack(env, "stop", "--purge", timeout=300)
        if stopped.returncode != 0:
            log(f"load: stopping the stack failed:\n{stopped.stdout}\n{stopped.stderr}")
        shutil.rmtree(folder, ignore_errors=True)
    result = _figures(options, setup, figures, checked)
    result["details"]["stack"] = {
        "database": env["PARAAT_STACK_DB"],
        "host": host,
        "folder": str(folder),
        "web_workers": options.web_workers,
        "web_threads": options.web_threads,
        "task_workers": options.task_workers,
        "cache": cache,
    }
    return result


def _env_value(path: Path, name: str) -> str:
    """``NAME=value`` from the stack's environment file ('' when it is not there)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    prefix = f"{name}="
    return next((line[len(prefix) :] for line in lines if line.startswith(prefix)), "")


def _figures(
    options: Options, setup: dict[str, Any], figures: dict[str, Any], checked: dict[str, Any]
) -> dict[str, Any]:
    latency = figures.get("latency", {})

    def p95(group: str) -> float | None:
        value = latency.get(group, {}).get("p95_ms")
        return None if value is None else float(value)

    result: dict[str, Any] = {
        "users": options.users,
        "minutes": round(options.seconds / 60, 2),
        "requests": int(figures["requests"]),
        "errors": int(figures["errors"]),
        "public_p95_ms": p95("public"),
        "authenticated_p95_ms": p95("auth"),
        "lost_updates": int(checked["lost_updates"]),
        "duplicated_updates": int(checked["duplicated_updates"]),
        "conflicts": int(checked["conflicts"]),
    }
    details = {
        "login_p95_ms": p95("login"),
        "requests_per_s": round(figures["requests"] / max(1.0, figures.get("duration_s", 1)), 1),
        "error_samples": figures.get("error_samples", [])[:5],
        "revisions_saved": checked.get("revisions_acknowledged"),
        "votes": checked.get("votes_accepted"),
        "second_votes_refused": checked.get("second_votes_refused"),
        "imports": checked.get("imports_accepted"),
        "import_rows": checked.get("import_rows"),
        "unacknowledged": checked.get("unacknowledged"),
        "locust_cpu_warning": figures.get("locust_cpu_warning"),
        "plan": {k: setup.get(k) for k in ("readers", "secretariat", "members", "importers")},
        "cpus": os.cpu_count(),
        "machine": platform.platform(terse=True),
        "targets_met": {
            "errors": figures["errors"] == 0,
            "lost_duplicated": checked["lost_updates"] == 0 and checked["duplicated_updates"] == 0,
            "public_p95": (p95("public") or 0) <= PUBLIC_TARGET_MS,
            "authenticated_p95": (p95("auth") or 0) <= AUTHENTICATED_TARGET_MS,
        },
        "latency_by_name": figures.get("latency_by_name", {}),
    }
    return {"details": details, "result": result}
