"""Background jobs of standby, with visible progress (the jobs app).

* **playbook** — the whole playbook as PDF or Word (:func:`playbook_start`);
* **yearly report** — the yearly report of a year as PDF or Word (:func:`report_start`);
* **evaluation export** — a ZIP of CSV and JSON files for the five-yearly evaluation
  (:func:`export_start`).

Each ``*_start`` checks the input, records a job and enqueues the task after the transaction
commits. The task writes the file under ``MEDIA_ROOT/preparedness`` with a random name; the
job's result names it. :func:`job_file_for` decides who may download it: the playbook for
whoever may read the playbook, the report and the export for whoever may make them (they hold
budget and attendance) — and only the creator when the creator could see confidential
meetings that the downloader cannot.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from paraat.accounts.models import User
from paraat.accounts.selectors import AnyUser, visible_levels
from paraat.jobs.files import JobFile, job_file_find, job_file_store
from paraat.jobs.models import Job, JobStatus
from paraat.jobs.selectors import job_get
from paraat.jobs.services import JobInputError, ProgressCallback, job_create, job_run
from paraat.preparedness import documents, reports
from paraat.preparedness import permissions as perms

PLAYBOOK_KIND = "preparedness_playbook"
REPORT_KIND = "preparedness_yearly_report"
EXPORT_KIND = "preparedness_evaluation_export"
FOLDER = "preparedness"
FORMATS = documents.FORMATS
EXPORT_FORMATS = {"zip": "application/zip"}
EARLIEST_YEAR = 2022
"""The MIT was set up in September 2022 (seed 001): nothing to report before."""


def _year_ok(year: int) -> None:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not EARLIEST_YEAR <= year <= this_year:
        raise ValidationError(
            {
                "year": _("Kies een jaar van %(a)s tot en met %(b)s.")
                % {"a": EARLIEST_YEAR, "b": this_year}
            }
        )


def _fmt_ok(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValidationError({"fmt": _("Kies PDF of Word.")})


@transaction.atomic
def playbook_start(*, user: User, fmt: str) -> Job:
    _fmt_ok(fmt)
    job = job_create(
        kind=PLAYBOOK_KIND,
        title=_("Draaiboek als %(fmt)s") % {"fmt": fmt.upper()},
        params={"fmt": fmt, "levels": list(visible_levels(user=user))},
        created_by=user,
    )
    transaction.on_commit(lambda: preparedness_playbook_task.enqueue(job_id=str(job.pk)))
    return job


@transaction.atomic
def report_start(*, user: User, year: int, fmt: str) -> Job:
    _year_ok(year)
    _fmt_ok(fmt)
    job = job_create(
        kind=REPORT_KIND,
        title=_("Jaarverslag waakstand %(year)s (%(fmt)s)") % {"year": year, "fmt": fmt.upper()},
        params={"year": year, "fmt": fmt, "levels": list(visible_levels(user=user))},
        created_by=user,
    )
    transaction.on_commit(lambda: preparedness_report_task.enqueue(job_id=str(job.pk)))
    return job


@transaction.atomic
def export_start(*, user: User, start: dt.date, end: dt.date) -> Job:
    errors = {}
    if start is None:
        errors["start"] = _("Geef de begindatum.")
    if end is None:
        errors["end"] = _("Geef de einddatum.")
    if start and end:
        if end < start:
            errors["end"] = _("De einddatum ligt na de begindatum.")
        elif start.year < EARLIEST_YEAR or end.year > 2200:
            errors["start"] = _("Kies een periode vanaf %(a)s.") % {"a": EARLIEST_YEAR}
    if errors:
        raise ValidationError(errors)
    job = job_create(
        kind=EXPORT_KIND,
        title=_("Export voor de evaluatie, %(start)s t/m %(end)s")
        % {"start": start.isoformat(), "end": end.isoformat()},
        params={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "levels": list(visible_levels(user=user)),
        },
        created_by=user,
    )
    transaction.on_commit(lambda: preparedness_export_task.enqueue(job_id=str(job.pk)))
    return job


def _creator(job: Job, perm: str) -> User:
    creator = job.created_by
    if creator is None or not creator.is_active or not creator.has_perm(perm):
        raise JobInputError(_("De maker van deze taak mag dit niet (meer) maken."))
    return creator


def _result(job: Job, *, fmt: str, name: str, content: bytes, message: str) -> dict[str, Any]:
    stored = job_file_store(folder=FOLDER, fmt=fmt, content=content)
    return {
        "file": stored,
        "name": name,
        "format": fmt,
        "size": len(content),
        "levels": job.params.get("levels", []),
        "url": reverse("preparedness:job-download", kwargs={"job_id": job.pk}),
        "message": message,
    }


def playbook_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    _creator(job, perms.VIEW_PLAYBOOK)
    fmt = str(job.params.get("fmt", ""))
    if fmt not in FORMATS:
        raise JobInputError(_("Onbekend formaat."))
    with translation.override("nl"):
        progress(0, 2, _("%(fmt)s opmaken") % {"fmt": fmt.upper()})
        name, content = documents.playbook_document(fmt=fmt)
        progress(1, 2, _("bestand opslaan"))
        result = _result(
            job,
            fmt=fmt,
            name=name,
            content=content,
            message=_("Draaiboek klaar: %(n)s") % {"n": name},
        )
        progress(2, 2, _("klaar"))
    return result


def report_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    creator = _creator(job, perms.REPORT)
    fmt = str(job.params.get("fmt", ""))
    year = int(job.params.get("year", 0))
    if fmt not in FORMATS:
        raise JobInputError(_("Onbekend formaat."))
    with translation.override("nl"):
        progress(0, 3, _("gegevens van %(year)s verzamelen") % {"year": year})
        data = reports.yearly_report_data(year=year, user=creator)
        progress(1, 3, _("%(fmt)s opmaken") % {"fmt": fmt.upper()})
        name, content = documents.yearly_report_document(data=data, fmt=fmt)
        progress(2, 3, _("bestand opslaan"))
        result = _result(
            job,
            fmt=fmt,
            name=name,
            content=content,
            message=_("Jaarverslag klaar: %(n)s") % {"n": name},
        )
        result["year"] = year
        progress(3, 3, _("klaar"))
    return result


def export_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    creator = _creator(job, perms.REPORT)
    start = dt.date.fromisoformat(str(job.params["start"]))
    end = dt.date.fromisoformat(str(job.params["end"]))
    with translation.override("nl"):
        content = reports.evaluation_export(start=start, end=end, user=creator, progress=progress)
        name = f"evaluatie-waakstand-{start.isoformat()}-{end.isoformat()}.zip"
        return _result(
            job,
            fmt="zip",
            name=name,
            content=content,
            message=_("Export klaar: %(n)s") % {"n": name},
        )


def _run(job: Job, build: Any) -> Job:
    return job_run(job=job, work=lambda progress: build(job=job, progress=progress))


@task()
def preparedness_playbook_task(job_id: str) -> str:
    return _run(job_get(job_id=job_id), playbook_build).status


@task()
def preparedness_report_task(job_id: str) -> str:
    return _run(job_get(job_id=job_id), report_build).status


@task()
def preparedness_export_task(job_id: str) -> str:
    return _run(job_get(job_id=job_id), export_build).status


KINDS = {
    PLAYBOOK_KIND: (perms.VIEW_PLAYBOOK, FORMATS),
    REPORT_KIND: (perms.REPORT, FORMATS),
    EXPORT_KIND: (perms.REPORT, EXPORT_FORMATS),
}


def job_file_for(job: Job, user: AnyUser) -> JobFile | None:
    """``(path, name, content type)`` of a finished job's file, or None when there is none or
    ``user`` may not have it (see the module text)."""
    if job.kind not in KINDS or job.status != JobStatus.SUCCEEDED:
        return None
    if not user.is_authenticated or not user.is_active:
        return None
    perm, formats = KINDS[job.kind]
    if not user.has_perm(perm):
        return None
    result = job.result or {}
    levels = set(result.get("levels") or ["public", "internal", "confidential"])
    if not levels <= set(visible_levels(user=user)) and job.created_by_id != user.pk:
        return None
    return job_file_find(result, folder=FOLDER, formats=formats)
