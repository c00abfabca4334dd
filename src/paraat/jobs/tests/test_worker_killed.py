"""A task worker killed in the middle of an import (issue 8).

A real ``paraat db_worker`` process imports a reference file; the test kills it with SIGKILL
while the import's transaction holds part of the file, checks that nothing of the file is in
the database, runs ``paraat jobs recover``, starts a new worker and checks that the job
completes with every record stored exactly once. On SQLite the worker runs on a file copy of
the test database; on PostgreSQL (``DATABASE_URL``) on the test database itself. Loopback and
local processes only; bounded in time (every wait has a deadline).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from paraat.accounts.tests.factories import UserFactory
from paraat.evidence.imports import evidence_import_start
from paraat.evidence.models import EvidenceItem, ImportBatch
from paraat.jobs.models import Job, JobStatus
from paraat.jobs.services import WORKER_LOST

pytestmark = pytest.mark.django_db(transaction=True)

RECORDS = 200
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The real worker command, with the import slowed down: every progress report (each 25 records,
# from inside the import's transaction) is written to a marker file and followed by a pause.
# Test code only; paraat itself has no slow-down switch.
SLOW_WORKER = r"""
import os, sys, time
from pathlib import Path

marker = Path(sys.argv[1])
sys.argv = [
    "paraat", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay",
    "--worker-id", "slow-worker",
]
import django

django.setup()
from paraat.jobs import services

report = services._Heartbeat.report

def slow_report(self, current, total, message):
    report(self, current, total, message)
    with marker.open("a") as handle:
        handle.write(f"{current} {total}\n")
    time.sleep(0.25)

services._Heartbeat.report = slow_report
from django.core.management import call_command

call_command(*sys.argv[1:])
"""


def _ris(count: int) -> bytes:
    records = [
        f"TY  - JOUR\nTI  - Storingstest record {number:04d} over schoolsluiting\n"
        f"AU  - Tester, Tamara\nPY  - 2021\nER  - \n"
        for number in range(1, count + 1)
    ]
    return "\n".join(records).encode()


class Database:
    """The database the worker processes use, and plain SQL reads of it."""

    def __init__(self, tmp_path: Path) -> None:
        self.sqlite_file: Path | None = None
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            self.sqlite_file = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.sqlite_file}"
        elif connection.vendor == "postgresql":
            password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
            self.url = (
                f"postgres://{settings['USER'] or 'postgres'}{password}@"
                f"{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"
            )
        else:
            pytest.skip(f"not written for {connection.vendor}")

    def hand_over(self) -> None:
        """SQLite: copy the (in-memory) test database to the file the workers open."""
        if self.sqlite_file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite_file)
            connection.connection.backup(target)
            target.close()

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.sqlite_file is not None:
            with sqlite3.connect(self.sqlite_file, timeout=20) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:  # autocommit: sees what the workers committed
            cursor.execute(sql, params)
            return cursor.fetchall()

    def one(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]


def _env(db: Database) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": db.url, "DJANGO_SETTINGS_MODULE": "paraat.conf.settings"}
    env.update(PARAAT_LOG_LEVEL="WARNING", PARAAT_JOB_HEARTBEAT_SECONDS="0.5")
    env.pop("PARAAT_TASK_BACKEND", None)
    return env


def _paraat(db: Database, *args: str, timeout: float = 60) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "paraat.cli", *args],
        env=_env(db),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def worker_processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:  # never leave a worker behind, whatever happened
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_killed_worker_keeps_nothing_and_the_job_is_retried_once(
    tmp_path: Path, worker_processes: list[subprocess.Popen[str]]
) -> None:
    deadline = time.monotonic() + 120  # typically 20–50 s; generous for a loaded machine
    db = Database(tmp_path)
    items = EvidenceItem._meta.db_table
    batches = ImportBatch._meta.db_table
    jobs = Job._meta.db_table
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult._meta.db_table

    user = UserFactory(username="importeur")
    with override_settings(TASKS=DB_TASKS):
        job = evidence_import_start(
            upload=SimpleUploadedFile("storingstest.ris", _ris(RECORDS)),
            file_format=None,
            confidentiality="internal",
            user=user,
        )
    stored = Path(job.params["path"])
    assert stored.is_file()
    db.hand_over()
    job_id = str(job.pk).replace("-", "") if db.sqlite_file else str(job.pk)

    # 1. A worker starts the import; kill it once 100 records sit in the open transaction.
    marker = tmp_path / "progress.txt"
    slow = subprocess.Popen(
        [sys.executable, "-c", SLOW_WORKER, str(marker)],
        env=_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker_processes.append(slow)
    reached = 0
    while reached < 100:
        assert time.monotonic() < deadline, "the import did not get going"
        assert slow.poll() is None, f"worker stopped early: {slow.stderr.read()[-3000:]}"  # type: ignore[union-attr]
        if marker.exists():
            lines = marker.read_text().split()
            reached = max((int(x) for x in lines[::2]), default=0)
        time.sleep(0.05)
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)

    # 2. Nothing of the file was kept; the job still says running, the task result too.
    assert db.one(f"SELECT COUNT(*) FROM {items} WHERE title LIKE %s", "Storingstest%") == 0
    assert db.one(f"SELECT COUNT(*) FROM {batches}") == 0
    status, attempts = db.rows(f"SELECT status, attempts FROM {jobs} WHERE id = %s", job_id)[0]
    assert (status, attempts) == (JobStatus.RUNNING, 1)
    assert db.one(f"SELECT status FROM {results}") == "RUNNING"
    assert stored.is_file(), "the upload is kept for the retry"

    # 3. Recovery: the dead worker's task is marked failed, the job queued again.
    report = json.loads(_paraat(db, "jobs", "recover").strip().splitlines()[-1])
    assert report == {"requeued": [str(job.pk)], "failed": []}
    assert db.one(f"SELECT status FROM {jobs} WHERE id = %s", job_id) == JobStatus.QUEUED
    by_status = dict(
        db.rows(f"SELECT status, exception_class_path FROM {results} ORDER BY enqueued_at")
    )
    assert by_status == {"FAILED": WORKER_LOST, "READY": ""}

    # 4. A new worker runs it: every record once, one import batch, the upload removed.
    _paraat(
        db, "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
        timeout=max(5.0, deadline - time.monotonic()),
    )  # fmt: skip
    status, attempts, error = db.rows(
        f"SELECT status, attempts, error FROM {jobs} WHERE id = %s", job_id
    )[0]
    assert (status, attempts, error) == (JobStatus.SUCCEEDED, 2, "")
    assert db.one(f"SELECT COUNT(*) FROM {items} WHERE title LIKE %s", "Storingstest%") == RECORDS
    assert (
        db.one(f"SELECT COUNT(DISTINCT title) FROM {items} WHERE title LIKE %s", "Storingstest%")
        == RECORDS
    )
    assert db.one(f"SELECT COUNT(*) FROM {batches}") == 1
    assert sorted(s for (s,) in db.rows(f"SELECT status FROM {results}")) == [
        "FAILED",
        "SUCCESSFUL",
    ]
    assert not stored.exists()
    assert time.monotonic() < deadline
