from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from paraat.accounts.models import User
from paraat.jobs.liveness import current_worker, worker_alive
from paraat.jobs.models import Job, JobStatus


def job_get_for_user(*, job_id: str, user: User) -> Job | None:
    """A user sees their own jobs; users allowed to view all jobs see every job."""
    qs = Job.objects.filter(pk=job_id)
    if not user.has_perm("jobs.view_job"):
        qs = qs.filter(created_by=user)
    return qs.first()


def job_list_for_user(*, user: User) -> QuerySet[Job]:
    qs = Job.objects.all()
    if not user.has_perm("jobs.view_job"):
        qs = qs.filter(created_by=user)
    return qs


def job_get(*, job_id: str) -> Job:
    """The job ``job_id`` (for the task that runs it); raises ``Job.DoesNotExist``."""
    return Job.objects.get(pk=job_id)


def _of_kind(kind: str, params: Mapping[str, Any] | None) -> QuerySet[Job]:
    return Job.objects.filter(
        kind=kind, **{f"params__{name}": value for name, value in (params or {}).items()}
    )


def job_latest(*, kind: str, params: Mapping[str, Any] | None = None) -> Job | None:
    """The most recent job of ``kind`` whose parameters include ``params``."""
    return _of_kind(kind, params).order_by("-created_at").first()


def job_active_exists(*, kind: str, params: Mapping[str, Any] | None = None) -> bool:
    """Whether a job of ``kind`` with ``params`` is queued or running."""
    return _of_kind(kind, params).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists()


def jobs_summary() -> dict[str, Any]:
    """Jobs per status, and the running jobs whose worker died (not recovered yet)."""
    from django.db.models import Count

    counts = {
        row["status"]: row["n"]
        for row in Job.objects.values("status").annotate(n=Count("pk")).order_by()
    }
    abandoned = [
        str(job.pk)
        for job in Job.objects.filter(status=JobStatus.RUNNING)
        if job_abandoned(job=job)
    ]
    return {"counts": counts, "abandoned": abandoned}


#: The jobs this process is running now (``jobs.services.job_run`` keeps it).
RUNNING_HERE: set[str] = set()


def job_abandoned(*, job: Job, now: datetime | None = None) -> bool:
    """Whether running ``job`` lost its worker.

    On the worker's own machine (same PID namespace) the answer is certain: the process exists
    or not (``jobs.liveness``); in the worker process itself, the job must be one it is running
    (a run whose end could not be recorded, e.g. the database was gone, is abandoned). Elsewhere
    the job is abandoned when its worker has not written a heartbeat for
    ``PARAAT_JOB_LEASE_SECONDS``.
    """
    if job.status != JobStatus.RUNNING:
        return False
    if job.worker == str(current_worker()):
        return str(job.pk) not in RUNNING_HERE
    alive = worker_alive(job.worker)
    if alive is not None:
        return not alive
    now = now or timezone.now()
    last = job.last_heartbeat_at or job.started_at or job.created_at
    return last < now - timedelta(seconds=settings.PARAAT_JOB_LEASE_SECONDS)
