from __future__ import annotations

from django.db.models import QuerySet

from paraat.accounts.models import User
from paraat.jobs.models import Job


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
