"""Recovery of jobs whose worker died (issue 8), in process: liveness, lease, attempts,
the django-tasks result rows, and the job's stored upload."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from paraat.evidence.tasks import evidence_import_task as job_task
from paraat.jobs.liveness import WorkerIdentity, current_worker, worker_alive
from paraat.jobs.models import Job, JobStatus
from paraat.jobs.selectors import job_abandoned, jobs_summary
from paraat.jobs.services import (
    WORKER_LOST,
    job_create,
    job_run,
    job_run_upload,
    jobs_recover,
)

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(settings: Any) -> None:
    """The database task backend (as in production), set through pytest-django's ``settings``
    only: mixed with override decorators, a changed setting could outlive the test."""
    settings.TASKS = DB_TASKS
    settings.PARAAT_JOB_MAX_ATTEMPTS = 3
    settings.PARAAT_JOB_LEASE_SECONDS = 300


def _dead_worker() -> str:
    """The identity of a process of this machine that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    here = current_worker()
    from paraat.jobs import liveness

    started = ""
    for _attempt in range(200):
        started = liveness._start_time(child.pid)
        if started:
            break
    child.wait()
    return str(WorkerIdentity(here.host, here.boot, here.pidns, child.pid, started or "1"))


def _running(*, worker: str, beat: dt.datetime | None = None, attempts: int = 1) -> Job:
    job = job_create(kind="test", title="Test", params={}, created_by=None)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=attempts,
        worker=worker,
        started_at=timezone.now(),
        last_heartbeat_at=beat or timezone.now(),
    )
    job.refresh_from_db()
    return job


def test_liveness_of_this_process_an_ended_one_and_another_machine() -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc: liveness falls back to the lease")
    assert worker_alive(str(current_worker())) is True
    assert worker_alive(_dead_worker()) is False
    elsewhere = WorkerIdentity("another-host", "boot", "pid:[1]", os.getpid(), "123")
    assert worker_alive(str(elsewhere)) is None
    assert worker_alive("") is None and worker_alive("garbage") is None


def test_abandoned_by_dead_process_or_by_expired_lease(settings: Any) -> None:
    settings.PARAAT_JOB_LEASE_SECONDS = 300
    elsewhere = str(WorkerIdentity("another-host", "b", "pid:[1]", 1, "1"))
    old = timezone.now() - dt.timedelta(seconds=301)
    assert job_abandoned(job=_running(worker=elsewhere, beat=old))
    assert not job_abandoned(job=_running(worker=elsewhere))  # fresh heartbeat
    if Path("/proc/self/stat").exists():
        assert job_abandoned(job=_running(worker=_dead_worker()))  # at once, no lease
        # A living process of this machine (the one that started the tests): not abandoned,
        # however old its heartbeat (SQLite's long import transaction keeps it from being
        # written).
        from paraat.jobs import liveness

        here, parent = current_worker(), os.getppid()
        living = WorkerIdentity(
            here.host, here.boot, here.pidns, parent, liveness._start_time(parent)
        )
        assert not job_abandoned(job=_running(worker=str(living), beat=old))
        # This process, but not running that job (its end could not be recorded): abandoned.
        assert job_abandoned(job=_running(worker=str(here)))

        seen: list[bool] = []

        def work(progress: Any) -> dict[str, Any]:
            seen.append(job_abandoned(job=Job.objects.get(pk=mine.pk)))
            return {}

        mine = job_create(kind="test", title="Test", params={}, created_by=None)
        job_run(job=mine, work=work)
        assert seen == [False]


def test_recover_marks_the_task_failed_and_queues_the_job_again(
    db_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    job = job_create(kind="test", title="Test", params={}, created_by=None)
    job_task.enqueue(job_id=str(job.pk))
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["w1"], started_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        worker=str(WorkerIdentity("gone", "b", "pid:[1]", 1, "1")),
        last_heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = jobs_recover()
    assert report.as_dict() == {"requeued": [str(job.pk)], "failed": []}
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "poging 1 van 3" in job.message
    old, new = DBTaskResult.objects.order_by("enqueued_at")
    assert (old.status, old.exception_class_path) == ("FAILED", WORKER_LOST)
    assert "w1" in old.traceback
    assert new.status == "READY" and new.args_kwargs["kwargs"] == {"job_id": str(job.pk)}
    assert new.task_path == old.task_path
    # A second recovery finds nothing to do.
    assert jobs_recover().as_dict() == {"requeued": [], "failed": []}


def test_after_the_last_attempt_the_job_fails_visibly_and_its_upload_goes(
    db_tasks: None, settings: Any, tmp_path: Path
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    stored = tmp_path / "imports" / "abc.upload"
    stored.write_bytes(b"data")
    job = job_create(kind="test", title="Test", params={"path": str(stored)}, created_by=None)
    job_task.enqueue(job_id=str(job.pk))
    DBTaskResult.objects.update(status="RUNNING")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=3,
        worker=str(WorkerIdentity("gone", "b", "pid:[1]", 1, "1")),
        last_heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert jobs_summary()["abandoned"] == [str(job.pk)]
    assert jobs_recover().as_dict() == {"requeued": [], "failed": [str(job.pk)]}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert "3 keer" in job.error and "niets van opgeslagen" in job.error
    assert not stored.exists()
    assert DBTaskResult.objects.get().status == "FAILED"
    assert DBTaskResult.objects.count() == 1  # not queued again


def test_a_job_is_never_run_twice() -> None:
    job = job_create(kind="test", title="Test", params={}, created_by=None)
    calls: list[int] = []

    def work(progress: Any) -> dict[str, Any]:
        calls.append(1)
        progress(3, 4, "bijna")
        return {"message": "klaar"}

    job = job_run(job=job, work=work)
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1
    assert (job.progress_current, job.progress_total, job.message) == (3, 4, "klaar")
    assert job.last_heartbeat_at and job.worker == str(current_worker())
    again = job_run(job=job, work=work)  # the task delivered a second time
    assert again.status == JobStatus.SUCCEEDED and again.attempts == 1 and calls == [1]


def test_an_interrupted_run_keeps_the_upload_and_the_job_running(tmp_path: Path) -> None:
    stored = tmp_path / "x.upload"
    stored.write_bytes(b"data")
    job = job_create(kind="test", title="Test", params={"path": str(stored)}, created_by=None)

    def work(path: Path, progress: Any) -> dict[str, Any]:
        raise SystemExit(1)  # the worker's second Ctrl+C ends the task this way

    with pytest.raises(SystemExit):
        job_run_upload(job=job, work=work)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and stored.exists()


def test_jobs_command_prints_json() -> None:
    out = io.StringIO()
    call_command("jobs", "status", stdout=out)
    assert json.loads(out.getvalue()) == {"counts": {}, "abandoned": []}
    out = io.StringIO()
    call_command("jobs", "recover", stdout=out)
    assert json.loads(out.getvalue()) == {"requeued": [], "failed": []}


def test_the_workers_recovery_pass_queues_a_lost_job(
    db_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    from paraat.jobs.recovery import recovery_pass

    job = job_create(kind="test", title="Test", params={}, created_by=None)
    job_task.enqueue(job_id=str(job.pk))
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        worker=str(WorkerIdentity("gone", "b", "pid:[1]", 1, "1")),
        last_heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        recovery_pass()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
