"""Import of reference files as a background job with visible progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from paraat.accounts.models import User
from paraat.evidence import formats
from paraat.evidence.services import evidence_import
from paraat.jobs.models import Job
from paraat.jobs.services import (
    JobInputError,
    ProgressCallback,
    job_run_upload,
    job_start_for_upload,
)


def evidence_import_start(
    *, upload: UploadedFile, file_format: str | None, confidentiality: str, user: User
) -> Job:
    """Store the upload, create a job and enqueue the import task."""
    from paraat.evidence.tasks import evidence_import_task

    return job_start_for_upload(
        upload=upload,
        kind="evidence_import",
        title="Import kennisbibliotheek: {name}",
        params={"format": file_format or "", "confidentiality": confidentiality, "user": user.pk},
        created_by=user,
        task=evidence_import_task,
    )


def evidence_import_run(*, job: Job) -> Job:
    """Run the import of a stored upload for ``job``; the stored file is removed afterwards."""

    def work(path: Path, progress: ProgressCallback) -> dict[str, Any]:
        user = User.objects.filter(pk=job.params.get("user")).first()
        try:
            batch = evidence_import(
                data=path.read_bytes(),
                file_name=job.params.get("name", path.name),
                file_format=job.params.get("format") or None,
                user=user,
                confidentiality=job.params.get("confidentiality", "internal"),
                progress=progress,
            )
        except formats.FormatError as exc:
            raise JobInputError(str(exc)) from exc
        except ValidationError as exc:
            raise JobInputError(" ".join(exc.messages)) from exc
        counts = batch.report["counts"]
        return {
            "message": (
                f"{counts['added']} toegevoegd, {counts['merged']} samengevoegd, "
                f"{counts['possible_duplicates']} mogelijk dubbel, {counts['rejected']} afgewezen"
            ),
            "url": reverse("evidence:import_report", args=[batch.pk]),
            **counts,
        }

    return job_run_upload(job=job, work=work)
