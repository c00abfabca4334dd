"""Background jobs of the activation path, with visible progress (the jobs app).

* **signal** — :func:`signal_start` checks that the CPO may draft the signal now, records a job
  and enqueues :func:`activation_signal_task` after the commit. The task creates the next
  signal version (its reasons: the criteria as they stand), renders it as PDF and Word and
  stores both — in one transaction, so a failure keeps nothing (no row, no files).
* **decree** — :func:`decree_start` checks the chosen members; the task creates the next
  decree version from the playbook's template and stores its PDF and Word file, likewise.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from paraat.accounts.models import User
from paraat.activation import documents, selectors, services
from paraat.activation.models import ActivationCase, ActivationSignal, EstablishmentDecree
from paraat.activation.selectors import DECREE_KIND, SIGNAL_KIND
from paraat.jobs.models import Job
from paraat.jobs.selectors import job_get
from paraat.jobs.services import JobInputError, ProgressCallback, job_create, job_run
from paraat.network.models import Candidate, Organisation

logger = logging.getLogger(__name__)


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(" ".join(str(m) for m in ms) for ms in exc.message_dict.values())
    return " ".join(str(m) for m in exc.messages)


def _case(job: Job) -> tuple[User, ActivationCase]:
    params = job.params or {}
    actor = job.created_by
    case = None
    if actor is not None:
        case = selectors.case_get(user=actor, pk=int(params.get("case") or 0))
    if actor is None or case is None:
        raise JobInputError(_("Het activeringsdossier bestaat niet of u mag het niet zien."))
    return actor, case


def _render_both(
    render: Callable[..., tuple[str, bytes]], obj: Any, job: Job, progress: ProgressCallback
) -> dict[str, tuple[str, bytes]]:
    files: dict[str, tuple[str, bytes]] = {}
    for step, fmt in enumerate(("pdf", "docx"), start=1):
        progress(step, 4, _("%(fmt)s opmaken") % {"fmt": fmt.upper()})
        try:
            name, content = render(obj, fmt=fmt)
        except Exception:
            logger.exception("Activation document %s of job %s could not be rendered", fmt, job.pk)
            raise JobInputError(
                _("Het %(fmt)s-document kon niet worden gemaakt; er is niets bewaard.")
                % {"fmt": fmt.upper()}
            ) from None
        stem, suffix = name.rsplit(".", 1)
        files[fmt] = (f"{stem}-{str(job.pk)[:8]}.{suffix}", content)
    return files


def _guarded(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return work()
    except ValidationError as exc:
        raise JobInputError(_messages(exc)) from None
    except PermissionDenied as exc:
        raise JobInputError(str(exc) or _("Uw rol staat deze handeling niet toe.")) from None


# --- signal ---------------------------------------------------------------------------------------


@transaction.atomic
def signal_start(*, case: ActivationCase, actor: User, recipient: str = "") -> Job:
    services.signal_check(case=case, actor=actor)
    if selectors.signal_job_running(case=case):
        raise ValidationError({"case": _("Het signaal wordt al opgesteld.")})
    job = job_create(
        kind=SIGNAL_KIND,
        title=_("Signaal aan de secretaris-generaal: %(t)s") % {"t": case.title[:150]},
        params={"case": case.pk, "recipient": recipient.strip()[:200]},
        created_by=actor,
    )
    transaction.on_commit(lambda: activation_signal_task.enqueue(job_id=str(job.pk)))
    return job


def _signal_render(signal: ActivationSignal, *, fmt: str) -> tuple[str, bytes]:
    return documents.signal_document(signal=signal, fmt=fmt)


def signal_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    actor, case = _case(job)

    def work() -> dict[str, Any]:
        with transaction.atomic():
            progress(0, 4, _("redenen verzamelen"))
            signal = services.signal_create(
                case=case, actor=actor, recipient=str((job.params or {}).get("recipient", ""))
            )
            files = _render_both(_signal_render, signal, job, progress)
            progress(3, 4, _("bewaren"))
            services.documents_attach(obj=signal, documents=files, actor=actor)
        progress(4, 4, _("klaar"))
        return {
            "case": case.pk,
            "version": signal.number,
            "files": [signal.pdf.name, signal.docx.name],
            "url": reverse("activation:detail", kwargs={"pk": case.pk}),
            "message": _("Het signaal (versie %(n)s) is opgesteld als PDF en Word.")
            % {"n": signal.number},
        }

    return _guarded(work)


def signal_job(*, job: Job) -> Job:
    return job_run(job=job, work=lambda progress: signal_build(job=job, progress=progress))


@task()
def activation_signal_task(job_id: str) -> str:
    return signal_job(job=job_get(job_id=job_id)).status


# --- decree ---------------------------------------------------------------------------------------


@transaction.atomic
def decree_start(
    *,
    case: ActivationCase,
    actor: User,
    members: list[services.MemberChoice],
    decree_date: dt.date,
    term: str,
    ends_on: dt.date | None = None,
) -> Job:
    services.decree_check(
        case=case,
        members=members,
        decree_date=decree_date,
        term=term,
        actor=actor,
        ends_on=ends_on,
    )
    if selectors.decree_job_running(case=case):
        raise ValidationError({"case": _("Het instellingsbesluit wordt al opgesteld.")})
    job = job_create(
        kind=DECREE_KIND,
        title=_("Instellingsbesluit: %(t)s") % {"t": case.title[:150]},
        params={
            "case": case.pk,
            "members": [
                {
                    "candidate": m.candidate.pk,
                    "role": m.role,
                    "institution": m.institution.pk if m.institution else None,
                }
                for m in members
            ],
            "decree_date": decree_date.isoformat(),
            "term": term.strip()[:200],
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
        created_by=actor,
    )
    transaction.on_commit(lambda: activation_decree_task.enqueue(job_id=str(job.pk)))
    return job


def _members(raw: Any) -> list[services.MemberChoice]:
    members = []
    for entry in raw or []:
        candidate = Candidate.objects.select_related("person").filter(pk=entry["candidate"]).first()
        if candidate is None:
            raise JobInputError(_("Een gekozen kandidaat bestaat niet meer."))
        institution = None
        if entry.get("institution"):
            institution = Organisation.objects.filter(pk=entry["institution"]).first()
        members.append(
            services.MemberChoice(candidate=candidate, role=entry["role"], institution=institution)
        )
    return members


def _decree_render(decree: EstablishmentDecree, *, fmt: str) -> tuple[str, bytes]:
    return documents.decree_document(decree=decree, fmt=fmt)


def decree_build(*, job: Job, progress: ProgressCallback) -> dict[str, Any]:
    actor, case = _case(job)
    params = job.params or {}
    members = _members(params.get("members"))
    try:
        decree_date = dt.date.fromisoformat(str(params.get("decree_date")))
        ends_on = dt.date.fromisoformat(params["ends_on"]) if params.get("ends_on") else None
    except ValueError:
        raise JobInputError(_("Ongeldige datum van het besluit.")) from None

    def work() -> dict[str, Any]:
        with transaction.atomic():
            progress(0, 4, _("besluit opstellen"))
            decree = services.decree_create(
                case=case,
                members=members,
                decree_date=decree_date,
                term=str(params.get("term", "")),
                actor=actor,
                ends_on=ends_on,
            )
            files = _render_both(_decree_render, decree, job, progress)
            progress(3, 4, _("bewaren"))
            services.documents_attach(obj=decree, documents=files, actor=actor)
        progress(4, 4, _("klaar"))
        return {
            "case": case.pk,
            "version": decree.number,
            "files": [decree.pdf.name, decree.docx.name],
            "url": reverse("activation:detail", kwargs={"pk": case.pk}),
            "message": _("Het instellingsbesluit (versie %(n)s) is opgesteld als PDF en Word.")
            % {"n": decree.number},
        }

    return _guarded(work)


def decree_job(*, job: Job) -> Job:
    return job_run(job=job, work=lambda progress: decree_build(job=job, progress=progress))


@task()
def activation_decree_task(job_id: str) -> str:
    return decree_job(job=job_get(job_id=job_id)).status
