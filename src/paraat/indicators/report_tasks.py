"""The 'maatschappelijk beeld' report as a background job, and who may download its file.

:func:`report_start` records a job and enqueues :func:`indicators_report_task` after the
transaction commits. The task builds the report (:mod:`paraat.indicators.report`) with visible
progress and stores the file under ``MEDIA_ROOT/reports`` with a random name; the job's result
names the file (relative to ``MEDIA_ROOT``), the download name, the format and the download
URL (the job page links to it). :func:`report_file_for` decides who may have the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from paraat.accounts.models import Confidentiality, User
from paraat.accounts.selectors import AnyUser, can_view, visible_levels
from paraat.indicators.models import Indicator
from paraat.jobs.files import JobFile, job_file_find, job_file_store
from paraat.jobs.models import Job, JobStatus
from paraat.jobs.services import ProgressCallback, job_create, job_run

JOB_KIND = "indicators_report"
REPORT_FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
REPORT_DIR = "reports"


@transaction.atomic
def report_start(
    *,
    user: User | None,
    as_of: dt.datetime,
    fmt: str,
    public: bool,
    language: str = "nl",
) -> Job:
    """Create the report job and enqueue it once the transaction commits."""
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"onbekend formaat: {fmt!r}")
    if timezone.is_naive(as_of):
        as_of = timezone.make_aware(as_of)
    day = timezone.localdate(as_of)
    with translation.override(language or "nl"):
        title = _("Rapport maatschappelijk beeld, peildatum %(date)s (%(fmt)s)") % {
            "date": day.isoformat(),
            "fmt": fmt.upper() + (", " + _("openbaar") if public else ""),
        }
    job = job_create(
        kind=JOB_KIND,
        title=title,
        params={
            "as_of": as_of.isoformat(),
            "fmt": fmt,
            "public": bool(public),
            "language": language or "nl",
        },
        created_by=user,
    )
    transaction.on_commit(lambda: indicators_report_task.enqueue(job_id=str(job.pk)))
    return job


def report_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    """Build the job's report, write the file, return the job's result."""
    from paraat.indicators.report import report_data, report_docx, report_filename, report_pdf

    params = job.params
    fmt = str(params["fmt"])
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"onbekend formaat: {fmt!r}")
    as_of = dt.datetime.fromisoformat(str(params["as_of"]))
    public = bool(params.get("public"))
    language = str(params.get("language") or "nl")
    creator = job.created_by
    levels = (
        [str(Confidentiality.PUBLIC)]
        if public or creator is None
        else [str(level) for level in visible_levels(user=creator)]
    )
    total = 4
    with translation.override(language):
        progress(0, total, _("cijfers, signalen en indices verzamelen"))
        report = report_data(user=creator, as_of=as_of, public=public, language=language)
        progress(2, total, _("%(fmt)s opmaken") % {"fmt": fmt.upper()})
        content = report_pdf(report) if fmt == "pdf" else report_docx(report)
        progress(3, total, _("bestand opslaan"))
        stored = job_file_store(folder=REPORT_DIR, fmt=fmt, content=content)
        progress(total, total, _("klaar"))
        name = report_filename(report, fmt)
        message = _("Rapport klaar: %(name)s") % {"name": name}
    # Indicators in the report above the recorded levels: seen through an access grant.
    keys = [line.key for section in report.sections for line in section.indicators]
    granted = sorted(
        Indicator.objects.filter(key__in=keys)
        .exclude(confidentiality__in=levels)
        .values_list("key", flat=True)
    )
    return {
        "file": stored,
        "name": name,
        "format": fmt,
        "size": len(content),
        "public": report.public,
        "peildatum": report.peildatum.isoformat(),
        "indicators": report.indicator_count,
        "signals": len(report.signals),
        "composites": len(report.composites),
        "restricted": report.has_restricted,
        "levels": levels,
        "granted": granted,
        "url": reverse("indicator_reports:download", kwargs={"job_id": job.pk}),
        "message": message,
    }


def indicators_report_job(*, job: Job) -> Job:
    return job_run(job=job, work=lambda progress: report_build(job=job, progress=progress))


@task()
def indicators_report_task(job_id: str) -> str:
    return indicators_report_job(job=Job.objects.get(pk=job_id)).status


def report_file_for(job: Job, user: AnyUser | User) -> JobFile | None:
    """``(path, download name, content type)`` of a finished report job's file, or None when
    there is none or ``user`` may not have it.

    The report records the confidentiality levels it was made with (its creator's, or only
    "public" for the public version). Whoever downloads must see at least those levels now —
    the creator too, so a creator who lost a role loses the report. Another user with those
    rights may download it as well (the public version: any logged-in user), except when the
    creator also had records shared one by one (access grants): such a report stays with its
    creator."""
    if job.kind != JOB_KIND or job.status != JobStatus.SUCCEEDED or not user.is_authenticated:
        return None
    assert isinstance(user, User)
    if not user.is_active:
        return None
    result = job.result or {}
    levels = set(result.get("levels") or Confidentiality.values)  # unknown: the strictest
    if not levels <= set(visible_levels(user=user)):
        return None
    granted = list(result.get("granted") or [])
    if granted:
        # Records shared one by one: only their creator, and only while the grants last.
        if job.created_by_id != user.pk:
            return None
        visible = Indicator.objects.filter(key__in=granted)
        if any(not can_view(user=user, obj=indicator) for indicator in visible):
            return None
    if job.created_by_id != user.pk and not result.get("public"):
        creator = job.created_by
        if creator is None or _has_grants(creator):
            return None
    return job_file_find(result, folder=REPORT_DIR, formats=REPORT_FORMATS)


def _has_grants(user: User) -> bool:
    """Whether ``user`` holds access grants (records beyond their role's levels)."""
    from django.db.models import Q

    from paraat.accounts.models import AccessGrant

    return (
        AccessGrant.objects.filter(revoked_at__isnull=True)
        .filter(Q(grantee_user=user) | Q(grantee_group__in=user.groups.all()))
        .exists()
    )
