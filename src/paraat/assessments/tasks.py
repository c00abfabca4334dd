"""Background jobs of the assessment framework, with visible progress (the jobs app).

* **analyse** — :func:`analyse_start` records a job and enqueues :func:`assessment_analyse_task`
  after the transaction commits; the task calls ``services.assessment_analyse`` with a progress
  callback, which stores a new ``AssessmentVersion``. The job's result names the version and
  links to its results page.
* **report** — :func:`report_start` records a job for one version, one format and one reader
  (the job's creator); the task renders the report from the result *as that reader may see it*
  (``selectors.version_result``) and stores the file under ``MEDIA_ROOT/assessment-reports``
  with a random name. :func:`report_file_for` decides who may download it: only its creator,
  only while they may still see the assessment, and only while nothing that was visible to
  them when the report was made has become hidden from them: no effectiveness (``masked``) and
  none of the evidence items, fiche cells, measures and packages the version names
  (``sources``, recorded as keyed digests so the job page never shows which ones).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_tasks import task

from paraat.accounts.models import User
from paraat.accounts.selectors import AnyUser
from paraat.assessments.models import Assessment, AssessmentVersion
from paraat.jobs.files import JobFile, job_file_find, job_file_store
from paraat.jobs.models import Job, JobStatus
from paraat.jobs.services import JobInputError, ProgressCallback, job_create, job_run

ANALYSE_KIND = "assessment_analyse"
REPORT_KIND = "assessment_report"
#: Formats of a downloadable report.
REPORT_FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
REPORT_DIR = "assessment-reports"


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in exc.message_dict.items()
        )
    return " ".join(str(m) for m in exc.messages)


def _assessment_for(job: Job) -> Assessment:
    """The job's assessment, if its creator may still see it (else an input error)."""
    from paraat.assessments import selectors

    creator = job.created_by
    key = str(job.params.get("key", ""))
    try:
        if creator is None:
            raise Http404
        return selectors.assessment_get(user=creator, key=key)
    except (Http404, PermissionDenied):
        raise JobInputError(
            _("Afweging %(key)s bestaat niet of u mag haar niet zien.") % {"key": key}
        ) from None


def reader_document(document: dict[str, Any]) -> dict[str, Any]:
    """The stored assessment file without what a report must never take from it: the medical
    effectiveness (the report reads it from the masked result), the evidence list and the
    judgements (the result holds what the reader may see of them)."""
    clean = {k: v for k, v in (document or {}).items() if k not in ("evidence", "judgements")}
    clean["options"] = [
        {k: v for k, v in option.items() if k != "effectiveness"}
        for option in (document or {}).get("options") or []
        if isinstance(option, dict)
    ]
    return clean


# --- analyse ---------------------------------------------------------------------------------


@transaction.atomic
def analyse_start(
    *,
    user: User,
    assessment: Assessment,
    samples: int | None = None,
    seed: int | None = None,
    note: str = "",
) -> Job:
    """Create the analysis job and enqueue it once the transaction commits."""
    job = job_create(
        kind=ANALYSE_KIND,
        title=_("Analyse van de afweging %(title)s") % {"title": assessment.title},
        params={"key": assessment.key, "samples": samples, "seed": seed, "note": note[:500]},
        created_by=user,
    )
    transaction.on_commit(lambda: assessment_analyse_task.enqueue(job_id=str(job.pk)))
    return job


def analyse_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    """Run the analysis for the job's creator; the job's result names the new version."""
    from paraat.assessments import services
    from paraat.assessments.permissions import ANALYSE_PERM

    assessment = _assessment_for(job)
    creator = job.created_by
    if creator is None or not creator.has_perm(ANALYSE_PERM):
        raise JobInputError(_("U mag deze afweging niet analyseren."))
    params = job.params

    def step(fraction: float, message: str) -> None:
        progress(round(100 * max(0.0, min(1.0, float(fraction)))), 100, message)

    progress(0, 100, _("analyse voorbereiden"))
    try:
        version = services.assessment_analyse(
            actor=creator,
            assessment=assessment,
            samples=params.get("samples"),
            seed=params.get("seed"),
            note=str(params.get("note") or ""),
            progress=step,
        )
    except ValidationError as exc:
        raise JobInputError(_messages(exc)) from None
    except ValueError as exc:  # the engine's AssessmentError (a ValueError) names JSON paths
        raise JobInputError(str(exc)) from None
    url = reverse("assessments:results", kwargs={"key": assessment.key})
    return {
        "version": version.number,
        "samples": version.samples,
        "seed": version.seed,
        "url": f"{url}?versie={version.number}",
        "message": _("Versie %(n)s van de afweging is opgeslagen.") % {"n": version.number},
    }


def analyse_job(*, job: Job) -> Job:
    return job_run(job=job, work=lambda progress: analyse_build(job=job, progress=progress))


@task()
def assessment_analyse_task(job_id: str) -> str:
    return analyse_job(job=Job.objects.get(pk=job_id)).status


# --- report ----------------------------------------------------------------------------------


def _masked_options(result: dict[str, Any]) -> list[str]:
    return sorted(str(row.get("option")) for row in result.get("matrix") or [] if row.get("masked"))


SOURCES_SALT = "paraat.assessments.tasks.report_sources"


def _keys(values: Any) -> set[str]:
    """The non-empty strings in a list from a stored file (anything else is ignored)."""
    if not isinstance(values, list):
        return set()
    return {str(value) for value in values if isinstance(value, str | int) and str(value)}


def _fiche_cell_id(measure: str, number: Any, domain: str, group: str) -> str:
    return f"{measure}/v{number}/{domain}/{group}"


def report_sources(*, version: AssessmentVersion, user: AnyUser) -> dict[str, list[str]]:
    """The sources ``version`` names that ``user`` may see now, per kind (sorted keys).

    Read from the version's stored file and result: the evidence items (the file's evidence list,
    the judgements' references and the result's evidence, which the report shows), the fiche
    cells of the judgements (``measure/v<version>/<domain>/<group>``, group empty for the whole
    population), the options' measures (and those of their fiche cells) and packages. A source
    that no longer exists counts as not visible.
    """
    from paraat.accounts.selectors import filter_visible
    from paraat.evidence.models import EvidenceItem, Fiche, FicheCell
    from paraat.measures.models import Measure, Package

    document = version.document if isinstance(version.document, dict) else {}
    result = version.result if isinstance(version.result, dict) else {}
    options = [o for o in document.get("options") or [] if isinstance(o, dict)]
    judgements = [j for j in document.get("judgements") or [] if isinstance(j, dict)]
    cells = [c for j in judgements for c in j.get("fiche_cells") or [] if isinstance(c, dict)]

    refs = _keys([e.get("ref") for e in document.get("evidence") or [] if isinstance(e, dict)])
    refs |= _keys([e.get("ref") for e in result.get("evidence") or [] if isinstance(e, dict)])
    for judgement in judgements:
        refs |= _keys(judgement.get("evidence"))
    packages = _keys([o.get("package") for o in options])
    measures = set().union(*(_keys(o.get("measures")) for o in options))
    measures |= _keys([c.get("measure") for c in cells])
    wanted_cells = {
        _fiche_cell_id(
            str(c.get("measure") or ""),
            c.get("version"),
            str(c.get("domain") or ""),
            str(c.get("group") or ""),
        )
        for c in cells
    }

    seen_cells: set[str] = set()
    if wanted_cells:
        rows = (
            filter_visible(
                user=user,
                queryset=FicheCell.objects.filter(version__fiche__measure__key__in=measures),
            )
            .filter(version__fiche__in=filter_visible(user=user, queryset=Fiche.objects.all()))
            .select_related("version__fiche__measure", "domain", "group")
        )
        seen_cells = {
            _fiche_cell_id(
                row.version.fiche.measure.key,
                row.version.number,
                row.domain.key,
                row.group.key if row.group is not None else "",
            )
            for row in rows
        } & wanted_cells

    def visible(model: Any, field: str, keys: set[str]) -> list[str]:
        if not keys:
            return []
        queryset = filter_visible(
            user=user, queryset=model.objects.filter(**{f"{field}__in": keys})
        )
        return sorted({str(key) for key in queryset.values_list(field, flat=True)})

    return {
        "evidence": visible(EvidenceItem, "ref", refs),
        "fiche_cells": sorted(seen_cells),
        "measures": visible(Measure, "key", measures),
        "packages": visible(Package, "key", packages),
    }


def _source_digests(sources: dict[str, list[str]]) -> set[str]:
    """Keyed digests of the sources: comparable, but they do not say which sources they are
    (the job's result is shown on the job page, also after its creator lost access)."""
    return {
        salted_hmac(SOURCES_SALT, f"{kind}:{key}", algorithm="sha256").hexdigest()[:32]
        for kind, keys in sources.items()
        for key in keys
    }


@transaction.atomic
def report_start(
    *,
    user: User,
    version: AssessmentVersion,
    fmt: str,
    language: str = "nl",
) -> Job:
    """Create the report job for ``version`` in ``fmt``; enqueue it once the transaction commits."""
    if fmt not in REPORT_FORMATS:
        raise ValidationError({"fmt": _("Onbekend formaat: %(fmt)s") % {"fmt": fmt}})
    assessment = version.assessment
    with translation.override(language or "nl"):
        title = _("Rapport afweging %(title)s, versie %(n)s (%(fmt)s)") % {
            "title": assessment.title,
            "n": version.number,
            "fmt": fmt.upper(),
        }
    job = job_create(
        kind=REPORT_KIND,
        title=title,
        params={
            "key": assessment.key,
            "version": version.number,
            "fmt": fmt,
            "language": language or "nl",
        },
        created_by=user,
    )
    transaction.on_commit(lambda: assessment_report_task.enqueue(job_id=str(job.pk)))
    return job


def report_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    """Render the job's report for its creator, store the file, return the job's result."""
    from paraat.assessments import reports, selectors

    params = job.params
    fmt = str(params.get("fmt", ""))
    if fmt not in REPORT_FORMATS:
        raise JobInputError(_("Onbekend formaat: %(fmt)s") % {"fmt": fmt})
    language = str(params.get("language") or "nl")
    assessment = _assessment_for(job)
    creator = job.created_by
    assert creator is not None  # _assessment_for refuses jobs without a creator
    try:
        version = selectors.assessment_version_get(
            assessment=assessment, number=int(params.get("version") or 0)
        )
    except (Http404, ValueError):
        raise JobInputError(
            _("Versie %(n)s bestaat niet.") % {"n": params.get("version")}
        ) from None
    total = 4
    with translation.override(language):
        progress(0, total, _("resultaat ophalen"))
        result = selectors.version_result(version=version, user=creator)
        sources = report_sources(version=version, user=creator)
        progress(1, total, _("%(fmt)s opmaken") % {"fmt": fmt.upper()})
        try:
            content = reports.render(
                reader_document(version.document),
                result,
                fmt=fmt,
                language=language,
                version=version.number,
                methodology_url=settings.PARAAT_SITE_URL + reverse("assessments:methodology"),
            )
        except reports.ReportError as exc:
            raise JobInputError(str(exc)) from None
        progress(3, total, _("bestand opslaan"))
        stored = job_file_store(folder=REPORT_DIR, fmt=fmt, content=content)
        name = reports.report_filename(result, fmt, version.number)
        progress(total, total, _("klaar"))
        message = _("Rapport klaar: %(name)s") % {"name": name}
    return {
        "file": stored,
        "name": name,
        "format": fmt,
        "size": len(content),
        "version": version.number,
        "masked": _masked_options(result),
        "sources": sorted(_source_digests(sources)),
        "url": reverse(
            "assessments:report_download", kwargs={"key": assessment.key, "job_id": job.pk}
        ),
        "message": message,
    }


def report_job(*, job: Job) -> Job:
    return job_run(job=job, work=lambda progress: report_build(job=job, progress=progress))


@task()
def assessment_report_task(job_id: str) -> str:
    return report_job(job=Job.objects.get(pk=job_id)).status


def report_file_for(job: Job, user: AnyUser, *, key: str | None = None) -> JobFile | None:
    """``(path, download name, content type)`` of a finished report job's file, or None when
    there is none or ``user`` may not have it.

    The report holds what its creator could see when it was made, so only the creator may
    download it, only while they may still see the assessment and its version, and only while
    every effectiveness and every source (evidence item, fiche cell, measure, package; see
    :func:`report_sources`) that was visible to them then is still visible: a creator who lost
    access to one of them loses the report too. A report without the record of its sources
    (made before it was kept) is refused."""
    from paraat.assessments import selectors

    if job.kind != REPORT_KIND or job.status != JobStatus.SUCCEEDED:
        return None
    if not user.is_authenticated or not user.is_active or job.created_by_id != user.pk:
        return None
    params = job.params or {}
    if key is not None and params.get("key") != key:
        return None
    try:
        assessment = selectors.assessment_get(user=user, key=str(params.get("key", "")))
        version = selectors.assessment_version_get(
            assessment=assessment, number=int(params.get("version") or 0)
        )
    except (Http404, PermissionDenied, ValueError):
        return None
    result = job.result or {}
    hidden_now = set(_masked_options(selectors.version_result(version=version, user=user)))
    if not hidden_now <= set(result.get("masked") or []):
        return None
    recorded = result.get("sources")
    if not isinstance(recorded, list):
        return None
    if not set(map(str, recorded)) <= _source_digests(report_sources(version=version, user=user)):
        return None
    return job_file_find(result, folder=REPORT_DIR, formats=REPORT_FORMATS)
