"""Background tasks of the societal picture (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paraat.jobs.models import Job


@task()
def indicators_refresh_task(job_id: str) -> str:
    from paraat.indicators.refresh import indicators_refresh_job

    return indicators_refresh_job(job=Job.objects.get(pk=job_id)).status
