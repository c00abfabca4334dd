"""Background tasks of the measures app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paraat.jobs.models import Job


@task()
def oxcgrt_import_task(job_id: str) -> str:
    from paraat.measures.imports import oxcgrt_import_run

    job = oxcgrt_import_run(job=Job.objects.get(pk=job_id))
    return job.status
