"""Files that background jobs make (reports): store them, find them again, serve them.

A job writes its file under ``MEDIA_ROOT/<folder>`` with a random name
(:func:`job_file_store`) and records in its result the file (relative to ``MEDIA_ROOT``), the
download name and the format. :func:`job_file_find` reads that record back into a path that
must lie in the folder. :func:`job_file_download` serves it as a private attachment. Who may
have a job's file is the app's own decision: each app passes its access check.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404

from paraat.jobs.models import Job

#: ``(path, download name, content type)`` of a job's file.
JobFile = tuple[Path, str, str]


def job_file_directory(folder: str) -> Path:
    """Where the files of one kind of job are stored: ``MEDIA_ROOT/<folder>``."""
    return Path(settings.MEDIA_ROOT) / folder


def job_file_store(*, folder: str, fmt: str, content: bytes) -> str:
    """Write ``content`` under ``MEDIA_ROOT/<folder>`` with a random name ending in ``.fmt``;
    return its path relative to ``MEDIA_ROOT`` (for the job's result)."""
    directory = job_file_directory(folder)
    directory.mkdir(parents=True, exist_ok=True)
    stored = directory / f"{uuid.uuid4().hex}.{fmt}"
    stored.write_bytes(content)
    return f"{folder}/{stored.name}"


def job_file_find(
    result: Mapping[str, Any], *, folder: str, formats: Mapping[str, str]
) -> JobFile | None:
    """The file a job's ``result`` names (``file``, ``name``, ``format``), or None when the
    format is not one of ``formats``, the file is missing or lies outside ``folder``."""
    fmt = str(result.get("format", ""))
    relative = str(result.get("file", ""))
    if fmt not in formats or not relative:
        return None
    root = job_file_directory(folder).resolve()
    path = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    name = Path(str(result.get("name") or path.name)).name
    return path, name, formats[fmt]


def job_file_download(job_id: Any, file_for: Callable[[Job], JobFile | None]) -> FileResponse:
    """The file of job ``job_id`` as a private attachment; 404 when there is no such job or
    ``file_for`` (the app's access check and lookup) gives nothing."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404
    found = file_for(job)
    if found is None:
        raise Http404
    path, name, content_type = found
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
