"""Writes for background jobs. A job records progress that pages and the API show."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from paraat.accounts.models import User
from paraat.jobs.liveness import current_worker
from paraat.jobs.models import Job, JobStatus
from paraat.jobs.selectors import RUNNING_HERE, job_abandoned
from paraat.web.public_cache import public_cache_renew

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]


@transaction.atomic
def job_create(*, kind: str, title: str, params: dict[str, Any], created_by: User | None) -> Job:
    return Job.objects.create(kind=kind, title=title, params=params, created_by=created_by)


@transaction.atomic
def job_start(*, job: Job) -> Job | None:
    """Mark a queued job running in this process; None when it is not queued any more.

    Only a queued job starts (compare-and-set), so a task delivered twice — the original run
    finished after all, or another worker took the job — never runs the work twice.
    """
    now = timezone.now()
    started = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        finished_at=None,
        last_heartbeat_at=now,
        attempts=F("attempts") + 1,
        worker=str(current_worker()),
        error="",
    )
    job.refresh_from_db()
    return job if started else None


@transaction.atomic
def job_progress(*, job: Job, current: int, total: int, message: str = "") -> None:
    """Record progress (one UPDATE) and that the job's worker is alive."""
    Job.objects.filter(pk=job.pk).update(
        progress_current=current,
        progress_total=total,
        message=message[:500],
        last_heartbeat_at=timezone.now(),
    )


@transaction.atomic
def job_succeed(*, job: Job, result: dict[str, Any], message: str = "") -> Job:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED,
        result=result,
        message=message[:500],
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    # what the task changed may be on a public page: render those parts anew once it is stored
    transaction.on_commit(public_cache_renew)
    return job


@transaction.atomic
def job_fail(*, job: Job, error: str) -> Job:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=error, finished_at=timezone.now()
    )
    job.refresh_from_db()
    # a task may have stored part of its work before it failed (e.g. a refresh per table)
    transaction.on_commit(public_cache_renew)
    return job


def progress_reporter(job: Job) -> ProgressCallback:
    def report(current: int, total: int, message: str) -> None:
        job_progress(job=job, current=current, total=total, message=message)

    return report


class _Heartbeat:
    """The progress callback of a running job, and a thread that keeps its lease.

    Outside a transaction a progress report is written at once. Inside the work's own
    transaction it is not: that write would stay invisible until the commit and would lock the
    job's row. The thread (its own database connection, so its own transaction) writes the last
    report and the heartbeat every ``PARAAT_JOB_HEARTBEAT_SECONDS``. On PostgreSQL progress is
    thus visible while an import stores its rows; SQLite allows one writer, so there the
    heartbeat waits until the import commits (recovery on the same machine does not need it:
    it sees whether the worker process exists, see ``jobs.liveness``).
    """

    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self.attempt = job.attempts
        self.latest: tuple[int, int, str] | None = None
        self.dirty = False
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=self._beat, name=f"job-heartbeat-{job.pk}", daemon=True
        )

    def report(self, current: int, total: int, message: str) -> None:
        with self.lock:
            self.latest = (current, total, message[:500])
            self.dirty = True
        if not transaction.get_connection().in_atomic_block:
            self._write()

    def _write(self) -> None:
        """The heartbeat, and the last progress report when it was not written yet."""
        fields: dict[str, Any] = {"last_heartbeat_at": timezone.now()}
        with self.lock:
            snapshot = self.latest if self.dirty else None
        if snapshot is not None:
            fields.update(
                progress_current=snapshot[0], progress_total=snapshot[1], message=snapshot[2]
            )
        Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, attempts=self.attempt).update(
            **fields
        )
        if snapshot is not None:
            with self.lock:
                self.dirty = self.latest != snapshot

    def _beat(self) -> None:
        interval = max(0.05, float(settings.PARAAT_JOB_HEARTBEAT_SECONDS))
        try:
            while not self.stopped.wait(interval):
                try:
                    self._write()
                except DatabaseError:  # e.g. SQLite's write lock held by the import: next time
                    logger.debug("job %s: heartbeat not written", self.job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def start(self) -> None:
        if settings.PARAAT_JOB_HEARTBEAT_SECONDS > 0:
            self.thread.start()

    def stop(self) -> tuple[int, int, str] | None:
        """Stop the thread; the last progress report (for the job's final state)."""
        self.stopped.set()
        with self.lock:
            return self.latest


class JobInputError(Exception):
    """Bad input found while running a job: shown to the user as is (it names file, row, field)."""


def job_run(*, job: Job, work: Callable[[ProgressCallback], dict[str, Any]]) -> Job:
    """Run ``work`` for ``job``: mark it running, pass a progress callback, record the outcome.

    ``work`` does its writes in its own transaction; when it raises, nothing it wrote is kept and
    the job records the error. Input errors are shown verbatim; anything else is logged and shown
    as a generic failure so no internals leak into pages. A job that is not queued (it already
    ran, or another worker runs it) is left alone.

    When the process dies during ``work`` (killed, out of memory, the machine stopped), the
    database rolls the work's transaction back and the job stays *running* with a heartbeat
    that stops: :func:`jobs_recover` queues it again or fails it.
    """
    RUNNING_HERE.add(str(job.pk))  # before the job says running: this process's recovery
    try:
        started = job_start(job=job)
    except BaseException:
        RUNNING_HERE.discard(str(job.pk))
        raise
    if started is None:
        RUNNING_HERE.discard(str(job.pk))
        logger.warning("Job %s (%s) is not queued; not started again", job.pk, job.kind)
        job.refresh_from_db()
        return job
    job = started
    heartbeat = _Heartbeat(job)
    heartbeat.start()
    try:
        try:
            result = work(heartbeat.report)
        except JobInputError as exc:
            _final_progress(job, heartbeat.stop())
            return job_fail(job=job, error=str(exc))
        except Exception:
            _final_progress(job, heartbeat.stop())
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            return job_fail(
                job=job, error="Onverwachte fout; de beheerder is op de hoogte (zie log)."
            )
        _final_progress(job, heartbeat.stop())
        return job_succeed(job=job, result=result, message=str(result.get("message", "")))
    finally:
        # Also when the outcome could not be recorded (the database went away): the job then
        # stays running without a run here, and this process's recovery queues it again.
        heartbeat.stop()
        RUNNING_HERE.discard(str(job.pk))


def _final_progress(job: Job, latest: tuple[int, int, str] | None) -> None:
    if latest is not None:
        current, total, message = latest
        job_progress(job=job, current=current, total=total, message=message)


def job_start_for_upload(
    *,
    upload: Any,
    kind: str,
    title: str,
    params: dict[str, Any],
    created_by: User,
    task: Any,
) -> Job:
    """Store an uploaded file, create a job that names it, enqueue ``task`` after commit.

    The stored path and the user's file name go into ``params`` as ``path`` and ``name``;
    ``title`` may use ``{name}``. ``job_run_upload`` runs the work and removes the file.
    """
    import uuid

    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    name = Path(upload.name or "upload").name[:150]
    stored = directory / f"{uuid.uuid4().hex}.upload"
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job = job_create(
        kind=kind,
        title=title.format(name=name),
        params={**params, "path": str(stored), "name": name},
        created_by=created_by,
    )
    transaction.on_commit(lambda: task.enqueue(job_id=str(job.pk)))
    return job


def job_run_upload(*, job: Job, work: Callable[[Any, ProgressCallback], dict[str, Any]]) -> Job:
    """Run ``work(path, progress)`` on the job's stored upload; the file is removed when the job
    has finished (succeeded or failed). A run that is interrupted (the worker is stopped or
    killed) keeps it: the job is retried by :func:`jobs_recover`, which removes the file of a
    job it gives up."""
    path = Path(job.params["path"])
    job = job_run(job=job, work=lambda progress: work(path, progress))
    if job.is_finished:
        path.unlink(missing_ok=True)
    return job


# --- recovery of jobs whose worker died -----------------------------------------------------

#: Recorded as the failure of a task whose worker died (django-tasks' result row).
WORKER_LOST = "paraat.jobs.services.WorkerLost"


class WorkerLost(Exception):
    """The worker process that ran a task stopped before the task finished."""


@dataclass
class RecoveryReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"requeued": self.requeued, "failed": self.failed}


def jobs_recover(*, now: datetime | None = None) -> RecoveryReport:
    """Queue again every running job whose worker died, or fail it after too many attempts.

    Each abandoned job: the django-tasks result its dead worker left *running* is marked failed
    (``WorkerLost``); the database has already rolled back the work's open transaction, so
    nothing of it was kept. A job that was started fewer than ``PARAAT_JOB_MAX_ATTEMPTS`` times
    is queued again with a new task; otherwise it fails with a message that says what happened,
    and its stored upload is removed. Safe to run from several processes at once.
    """
    report = RecoveryReport()
    now = now or timezone.now()
    for candidate in list(Job.objects.filter(status=JobStatus.RUNNING)):
        # Checked before any lock is taken: on SQLite a write transaction would wait for a
        # running import to commit. Checked again under the lock.
        if not job_abandoned(job=candidate, now=now):
            continue
        job_id = candidate.pk
        outcome = _job_recover_one(job_id=job_id, now=now)
        if outcome == "requeued":
            report.requeued.append(str(job_id))
        elif outcome == "failed":
            report.failed.append(str(job_id))
    return report


def _task_results(job: Job) -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(args_kwargs__kwargs__job_id=str(job.pk))


@transaction.atomic
def _job_recover_one(*, job_id: Any, now: datetime) -> str:
    from django_tasks.base import TaskResultStatus

    rows = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)  # another recovery has it: skip
    job = rows.first()
    if job is None or not job_abandoned(job=job, now=now):
        return ""
    logger.warning(
        "Job %s (%s): its worker stopped during attempt %s; recovering",
        job.pk,
        job.kind,
        job.attempts,
    )
    results = list(_task_results(job).order_by("-enqueued_at")) if _database_tasks() else []
    for result in results:
        if result.status == TaskResultStatus.RUNNING:
            result.status = TaskResultStatus.FAILED
            result.finished_at = now
            result.exception_class_path = WORKER_LOST
            result.traceback = (
                f"{WORKER_LOST}: the worker ({', '.join(result.worker_ids)}) stopped while it "
                f"ran this task; paraat recovered job {job.pk} (attempt {job.attempts})."
            )
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
    maximum = settings.PARAAT_JOB_MAX_ATTEMPTS
    task = None
    if results and job.attempts < maximum:
        try:
            task = results[0].task
        except Exception:  # the task no longer exists in this version of paraat
            logger.exception("Job %s: its task %s cannot be loaded", job.pk, results[0].task_path)
    if task is None:
        _job_give_up(job=job, maximum=maximum, retried=bool(results))
        return "failed"
    kwargs = dict(results[0].args_kwargs.get("kwargs", {}))
    args = list(results[0].args_kwargs.get("args", []))
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED,
        message=(
            f"De verwerker stopte tijdens poging {job.attempts} van {maximum}; er is niets "
            "van opgeslagen. De taak staat opnieuw in de wachtrij."
        )[:500],
        progress_current=0,
        worker="",
    )
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    return "requeued"


def _job_give_up(*, job: Job, maximum: int, retried: bool) -> None:
    if retried:
        error = (
            f"De verwerker stopte {job.attempts} keer tijdens deze taak (bijvoorbeeld door een "
            "herstart of een tekort aan geheugen); na "
            f"{maximum} pogingen is de taak gestopt. Er is niets van opgeslagen. Start de taak "
            "opnieuw; gebeurt dit weer, neem dan contact op met de beheerder."
        )
    else:
        error = (
            "De verwerker stopte tijdens deze taak en de taak kan niet opnieuw worden gestart. "
            "Er is niets van opgeslagen. Start de taak opnieuw."
        )
    job_fail(job=job, error=error)
    stored = job.params.get("path") if isinstance(job.params, dict) else None
    if stored:
        path = Path(str(stored)).resolve()
        if path.is_relative_to((Path(settings.MEDIA_ROOT) / "imports").resolve()):
            path.unlink(missing_ok=True)
    logger.error("Job %s (%s) failed: its worker stopped %s times", job.pk, job.kind, job.attempts)


def _database_tasks() -> bool:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)
