"""Import of reference files as a background job with visible progress."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from paraat.accounts.models import User
from paraat.evidence import formats
from paraat.evidence.services import evidence_import
from paraat.jobs.models import Job
from paraat.jobs.services import JobInputError, ProgressCallback, job_create, job_run


def _upload_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def evidence_import_start(
    *, upload: UploadedFile, file_format: str | None, confidentiality: str, user: User
) -> Job:
    """Store the upload, create a job and enqueue the import task."""
    from paraat.evidence.tasks import evidence_import_task

    name = Path(upload.name or "upload").name[:150]
    stored = _upload_dir() / f"{uuid.uuid4().hex}.upload"
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job = job_create(
        kind="evidence_import",
        title=f"Import kennisbibliotheek: {name}",
        params={
            "path": str(stored),
            "name": name,
            "format": file_format or "",
            "confidentiality": confidentiality,
            "user": user.pk,
        },
        created_by=user,
    )
    transaction.on_commit(lambda: evidence_import_task.enqueue(job_id=str(job.pk)))
    return job


def _work(job: Job, path: Path) -> Any:
    def work(progress: ProgressCallback) -> dict[str, Any]:
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

    return work


def evidence_import_run(*, job: Job) -> Job:
    """Run the import of a stored upload for ``job``; the stored file is removed afterwards."""
    path = Path(job.params["path"])
    try:
        return job_run(job=job, work=_work(job, path))
    finally:
        path.unlink(missing_ok=True)
