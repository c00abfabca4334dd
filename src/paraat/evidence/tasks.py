"""Background tasks of the knowledge library (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paraat.jobs.models import Job


@task()
def evidence_import_task(job_id: str) -> str:
    from paraat.evidence.imports import evidence_import_run

    job = evidence_import_run(job=Job.objects.get(pk=job_id))
    return job.status
