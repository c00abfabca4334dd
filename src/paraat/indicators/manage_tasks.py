"""Background tasks of the management pages of the societal picture (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paraat.jobs.models import Job


@task()
def indicator_import_task(job_id: str) -> str:
    from paraat.indicators.imports import indicator_import_run

    return indicator_import_run(job=Job.objects.get(pk=job_id)).status


@task()
def composite_recompute_task(job_id: str) -> str:
    from paraat.indicators.imports import composite_recompute_run

    return composite_recompute_run(job=Job.objects.get(pk=job_id)).status
