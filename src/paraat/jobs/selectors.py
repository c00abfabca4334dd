from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from paraat.accounts.models import User
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
