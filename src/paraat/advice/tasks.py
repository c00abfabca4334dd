"""Background jobs of the advice process, with visible progress (the jobs app).

* **dispatch** — :func:`dispatch_start` checks that the chair may send the signed advice now,
  records a job and enqueues :func:`advice_dispatch_task` after the transaction commits. The
  task renders the signed version as PDF and Word (``advice.documents``) and calls
  ``services.advice_dispatch`` with both files; the request moves to *sent* and *embargo*.
  When anything fails the job is marked failed with a readable message and nothing is kept:
  the documents are rendered in memory, and the service writes in one transaction and removes
  the files it stored when it fails.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_tasks import task

from paraat.accounts.models import User
from paraat.advice import documents, selectors, services, workflow
from paraat.advice.models import AdviceRequest, AdviceStatus
from paraat.advice.selectors import DISPATCH_KIND, dispatch_job_latest
from paraat.jobs.models import Job
from paraat.jobs.selectors import job_get
from paraat.jobs.services import JobInputError, ProgressCallback, job_create, job_run

__all__ = [
    "DISPATCH_KIND",
    "advice_dispatch_task",
    "dispatch_build",
    "dispatch_job",
    "dispatch_job_latest",
    "dispatch_start",
]

logger = logging.getLogger(__name__)


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            " ".join(str(m) for m in messages) for messages in exc.message_dict.values()
        )
    return " ".join(str(m) for m in exc.messages)


@transaction.atomic
def dispatch_start(
    *,
    request: AdviceRequest,
    actor: User,
    recipient: str = "",
    embargo_until: dt.datetime | None = None,
    embargo_note: str = "",
) -> Job:
    """Check that ``actor`` may send the signed advice now; create the job and enqueue it
    once the transaction commits. Raises ``PermissionDenied`` or ``ValidationError``."""
    workflow.require(actor, "sign_off")
    if selectors.dispatch_of(request=request) is not None:
        raise ValidationError({"request": _("Dit advies is al verzonden.")})
    if (
        workflow.status_of(request) != AdviceStatus.ALIGNMENT
        or selectors.signed_adopted(request=request) is None
    ):
        raise ValidationError({"request": _("Eerst ondertekent de voorzitter het advies.")})
    if embargo_until is not None and timezone.is_naive(embargo_until):
        raise ValidationError({"embargo_until": _("Geef een moment met tijdzone.")})
    if embargo_until is not None and embargo_until <= timezone.now():
        raise ValidationError(
            {"embargo_until": _("Het embargo loopt tot een moment in de toekomst.")}
        )
    if selectors.dispatch_job_running(request=request):
        raise ValidationError({"request": _("De verzending is al gestart.")})
    job = job_create(
        kind=DISPATCH_KIND,
        title=_("Verzending van het advies ‘%(title)s’") % {"title": request.title[:150]},
        params={
            "key": request.key,
            "recipient": recipient.strip()[:200],
            "embargo_until": embargo_until.isoformat() if embargo_until else None,
            "embargo_note": embargo_note.strip()[:300],
        },
        created_by=actor,
    )
    transaction.on_commit(lambda: advice_dispatch_task.enqueue(job_id=str(job.pk)))
    return job


def _render(
    request: AdviceRequest, fmt: str, *, embargo_until: Any, embargo_note: str
) -> tuple[str, bytes]:
    sign_off = selectors.signed_adopted(request=request)
    if sign_off is None:
        raise JobInputError(_("Het advies is nog niet ondertekend; er is niets verzonden."))
    try:
        return documents.revision_document(
            request=request,
            revision=sign_off.revision,
            fmt=fmt,
            embargo_until=embargo_until,
            embargo_note=embargo_note,
        )
    except Exception:
        logger.exception("Advice document %s of %s could not be rendered", fmt, request.key)
        raise JobInputError(
            _("Het %(fmt)s-document kon niet worden gemaakt; er is niets verzonden.")
            % {"fmt": fmt.upper()}
        ) from None


def dispatch_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    """Render both documents of the signed version and send them (``advice_dispatch``)."""
    params = job.params or {}
    actor = job.created_by
    key = str(params.get("key", ""))
    request = selectors.advice_get(user=actor, key=key) if actor is not None else None
    if actor is None or request is None:
        raise JobInputError(
            _("Adviesaanvraag %(key)s bestaat niet of u mag haar niet zien.") % {"key": key}
        )
    embargo_until = parse_datetime(str(params.get("embargo_until") or "")) or None
    embargo_note = str(params.get("embargo_note") or "")
    note_on_document = embargo_note or (
        ""
        if embargo_until
        else _("Tot het ministerie het advies aan de Tweede Kamer heeft gestuurd.")
    )
    total = 3
    files: dict[str, tuple[str, bytes]] = {}
    for step, fmt in enumerate(("pdf", "docx")):
        progress(step, total, _("%(fmt)s opmaken") % {"fmt": fmt.upper()})
        name, content = _render(
            request, fmt, embargo_until=embargo_until, embargo_note=note_on_document
        )
        stem, suffix = name.rsplit(".", 1)
        files[fmt] = (f"{stem}-{str(job.pk)[:8]}.{suffix}", content)
    progress(2, total, _("verzenden"))
    # The service removes the files it stored when it fails; nothing else is stored here.
    try:
        dispatch = services.advice_dispatch(
            request=request,
            actor=actor,
            recipient=str(params.get("recipient") or ""),
            embargo_until=embargo_until,
            embargo_note=embargo_note,
            documents=files,
        )
    except ValidationError as exc:  # refused before anything was stored
        raise JobInputError(_messages(exc)) from None
    except PermissionDenied as exc:
        raise JobInputError(str(exc) or _("Uw rol staat deze handeling niet toe.")) from None
    progress(total, total, _("klaar"))
    return {
        "version": dispatch.revision.number,
        "recipient": dispatch.recipient,
        "files": [dispatch.pdf.name, dispatch.docx.name],
        "url": reverse("advice:dispatch", kwargs={"key": request.key}),
        "message": _("Het advies is verzonden aan %(who)s en staat onder embargo.")
        % {"who": dispatch.recipient},
    }


def dispatch_job(*, job: Job) -> Job:
    return job_run(job=job, work=lambda progress: dispatch_build(job=job, progress=progress))


@task()
def advice_dispatch_task(job_id: str) -> str:
    return dispatch_job(job=job_get(job_id=job_id)).status
