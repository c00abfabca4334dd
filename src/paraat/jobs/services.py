"""Writes for background jobs. A job records progress that pages and the API show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from paraat.accounts.models import User
from paraat.jobs.models import Job, JobStatus

ProgressCallback = Callable[[int, int, str], None]


@transaction.atomic
def job_create(*, kind: str, title: str, params: dict[str, Any], created_by: User | None) -> Job:
    return Job.objects.create(kind=kind, title=title, params=params, created_by=created_by)


@transaction.atomic
def job_start(*, job: Job) -> Job:
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    return job


@transaction.atomic
def job_progress(*, job: Job, current: int, total: int, message: str = "") -> None:
    """Record progress outside any surrounding transaction's visibility concerns (one UPDATE)."""
    Job.objects.filter(pk=job.pk).update(
        progress_current=current, progress_total=total, message=message[:500]
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
    return job


@transaction.atomic
def job_fail(*, job: Job, error: str) -> Job:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=error, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def progress_reporter(job: Job) -> ProgressCallback:
    def report(current: int, total: int, message: str) -> None:
        job_progress(job=job, current=current, total=total, message=message)

    return report


class JobInputError(Exception):
    """Bad input found while running a job: shown to the user as is (it names file, row, field)."""


def job_run(*, job: Job, work: Callable[[ProgressCallback], dict[str, Any]]) -> Job:
    """Run ``work`` for ``job``: mark it running, pass a progress callback, record the outcome.

    ``work`` does its writes in its own transaction; when it raises, nothing it wrote is kept and
    the job records the error. Input errors are shown verbatim; anything else is logged and shown
    as a generic failure so no internals leak into pages.
    """
    import logging

    job_start(job=job)
    try:
        result = work(progress_reporter(job))
    except JobInputError as exc:
        return job_fail(job=job, error=str(exc))
    except Exception:
        logging.getLogger(__name__).exception("Job %s (%s) failed", job.pk, job.kind)
        return job_fail(job=job, error="Onverwachte fout; de beheerder is op de hoogte (zie log).")
    return job_succeed(job=job, result=result, message=str(result.get("message", "")))


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
    from pathlib import Path

    from django.conf import settings

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
    """Run ``work(path, progress)`` on the job's stored upload; the file is always removed."""
    from pathlib import Path

    path = Path(job.params["path"])
    try:
        return job_run(job=job, work=lambda progress: work(path, progress))
    finally:
        path.unlink(missing_ok=True)
