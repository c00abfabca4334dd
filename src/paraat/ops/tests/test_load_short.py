"""The load scenario of ``paraat bench load``, short: 10 simulated people for 30 seconds.

The same path as the benchmark (``paraat.ops.bench_load.run``): the production-like stack of
``scripts/prod-stack.sh`` with a scratch PostgreSQL database, ``paraat loadtest setup``, locust
headless, ``paraat loadtest verify``, ``stop --purge``.  Without the demo data (it takes a
minute to load; the societal picture is then empty, which the public readers still read).

Asserts no errors and no lost or duplicated update, and that nothing is left behind; not the
response times (timing is for the benchmark only: the test machine is shared).

Skipped, with the reason, without PostgreSQL, gunicorn, locust or the stack's tools, and in the
test script's PostgreSQL pass (the stack makes its own database: one run per suite is enough).
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import pytest

from paraat.ops import bench_load


def _skip_reason() -> str | None:
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis")):
        return "the stack makes its own PostgreSQL database: it runs once, in the SQLite pass"
    return bench_load.problem()


def _processes_naming(text: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text in cmdline.read_bytes().decode(errors="replace"):
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def _database_exists(name: str) -> bool:
    import psycopg

    url = os.environ.get("PARAAT_STACK_PG", bench_load.Options.postgres).rstrip("/")
    with psycopg.connect(
        url.replace("postgres://", "postgresql://", 1) + "/postgres", connect_timeout=5
    ) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchall()
        )


def test_short_load_run_loses_and_duplicates_nothing() -> None:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    lines: list[str] = []
    figures = bench_load.run(
        bench_load.Options(users=10, seconds=30, spawn_rate=5, demo=False), log=lines.append
    )
    result, details = figures["result"], figures["details"]
    log = "\n".join(lines)
    assert result["requests"] > 0, log
    assert result["errors"] == 0, f"{details['error_samples']}\n{log}"
    assert result["lost_updates"] == 0, log
    assert result["duplicated_updates"] == 0, log
    assert details["unacknowledged"] == 0, log
    assert (details["revisions_saved"] or 0) + (details["votes"] or 0) > 0, log
    # Nothing left behind: processes, database, folder, port.
    stack = details["stack"]
    assert not _database_exists(stack["database"])
    assert not Path(stack["folder"]).exists()
    assert _processes_naming(stack["database"]) == []
    port = int(stack["host"].rsplit(":", 1)[1])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the web server still listens"
    assert Path(stack["folder"]).parent == Path(tempfile.gettempdir())
