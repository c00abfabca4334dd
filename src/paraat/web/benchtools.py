"""What the ``paraat bench`` benchmarks share: a child process per database, and a scratch
PostgreSQL database that is dropped afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any


def run_child(module: str, database_url: str, arguments: Sequence[object]) -> dict[str, Any]:
    """Run ``python -m module ARGS`` with ``DATABASE_URL``; its last output line is the JSON."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env.setdefault("PARAAT_DATA_DIR", tempfile.gettempdir())
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", module, *(str(a) for a in arguments)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{completed.stderr[-3000:]}")
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def postgres_scratch(
    url: str, *, prefix: str = "paraat_bench"
) -> tuple[str, Callable[[], None]] | None:
    """Create a scratch database next to ``url``'s; None when PostgreSQL is not reachable."""
    try:
        import psycopg
    except ImportError:
        return None
    import dj_database_url

    config = dj_database_url.parse(url)
    name = f"{prefix}_{os.getpid()}"
    admin = (
        f"host={config['HOST'] or 'localhost'} port={config['PORT'] or 5432} "
        f"user={config['USER'] or 'postgres'} dbname=postgres"
    )
    if config.get("PASSWORD"):
        admin += f" password={config['PASSWORD']}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return None

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    user = config["USER"] or "postgres"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    host = config["HOST"] or "localhost"
    port = config["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}", drop
