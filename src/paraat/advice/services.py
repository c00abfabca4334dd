"""Writes for the advice process. Keyword-only, typed, one transaction each.

The process (``workflow.py``) says which status may follow which and who may move it;
statuses, revisions, votes, decisions and responses are appended, never edited.  Bad input
raises Django's ``ValidationError`` naming the field; a move that the process or the
actor's role does not allow raises ``PermissionDenied`` or ``ValidationError``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from paraat.accounts.models import AccessGrant, Confidentiality, User
from paraat.accounts.selectors import can_view, visible_levels
from paraat.advice import notifications, selectors, workflow
from paraat.advice.models import (
    AdoptionStatus,
    AdviceRequest,
    AdviceRevision,
    AdviceStatus,
    AdviceStatusChange,
    Assignment,
    CabinetResponse,
    Comment,
    Decision,
    DecisionMode,
    DecisionRound,
    Dispatch,
    FollowUp,
    FollowUpKind,
    InformationItem,
    InputRequest,
    InputResponse,
    OmtAccessLog,
    OmtBriefing,
    OmtDocument,
    Publication,
    RapidStatement,
    RecipientKind,
    Recommendation,
    RecommendationStatus,
    Reflection,
    Requester,
    RequestKind,
    Section,
    Severity,
    SignOff,
    Vote,
)
from paraat.assessments.models import Assessment
from paraat.evidence import services as evidence_services
from paraat.evidence.models import Direction, EvidenceItem, InterestsStatus
from paraat.exercises.models import ExerciseRun
from paraat.measures.models import Package
from paraat.taxonomies.models import PopulationGroup
from paraat_core import voting

SECTION_KEYS: tuple[str, ...] = tuple(Section.values)
TEXT_MAX = 200_000
"""Longest section text accepted (characters)."""


def _now() -> dt.datetime:
    return timezone.now()


def _required(errors: dict[str, str], name: str, value: str, message: str) -> None:
    if not (value or "").strip():
        errors[name] = message


def _choice(errors: dict[str, str], name: str, value: str, allowed: Iterable[str]) -> None:
    if value not in set(allowed):
        errors[name] = _("Onbekende waarde: %(v)s") % {"v": value}


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _current(request: AdviceRequest) -> str:
    return workflow.status_of(request, fresh=True)


def _locked(request: AdviceRequest) -> AdviceRequest:
    """Re-read the request with a row lock so concurrent writers of one request queue up."""
    return AdviceRequest.objects.select_for_update().get(pk=request.pk)


# --- request -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestData:
    title: str
    question: str
    requester: str
    kind: str
    received_at: dt.datetime | None = None
    deadline: dt.datetime | None = None
    """Empty: urgent requests get ``PARAAT_ADVICE_URGENT_HOURS`` (48) after receipt,
    long-term ones ``PARAAT_ADVICE_LONG_TERM_DAYS`` (28 days)."""
    requester_name: str = ""
    options: Sequence[Package] = ()
    assessment: Assessment | None = None
    omt_reference: str = ""
    omt_url: str = ""
    confidentiality: str = Confidentiality.INTERNAL
    key: str = ""
    is_synthetic: bool = False
    exercise_run: ExerciseRun | None = None
    """Set: a request of an exercise (exercise mode); it stays out of every real list,
    register, public page and the knowledge library (docs/adr/0020-exercise-sandbox.md)."""


EXERCISE_LABEL = "OEFENING"
"""Every exercise request's title starts with this label, so it shows wherever it is named."""


def _exercise_title(title: str) -> str:
    title = title.strip()
    if title.upper().startswith(EXERCISE_LABEL):
        return title
    return f"{EXERCISE_LABEL}: {title}"


def default_deadline(*, kind: str, received_at: dt.datetime) -> dt.datetime:
    if kind == RequestKind.URGENT:
        return received_at + dt.timedelta(hours=settings.PARAAT_ADVICE_URGENT_HOURS)
    return received_at + dt.timedelta(days=settings.PARAAT_ADVICE_LONG_TERM_DAYS)


YEARS = (1900, 2200)
"""Moments outside these years are refused (date arithmetic would overflow)."""
CLOCK_SKEW = dt.timedelta(minutes=5)


def _naive(errors: dict[str, str], name: str, value: dt.datetime | None) -> bool:
    """Record an error for a moment without timezone or outside ``YEARS`` (comparing or
    adding to it would fail); True when ``value`` is unusable."""
    if value is None:
        return False
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        errors[name] = _("Geef een moment met tijdzone.")
        return True
    if not YEARS[0] <= value.year <= YEARS[1]:
        errors[name] = _("Geef een moment tussen %(a)s en %(b)s.") % {"a": YEARS[0], "b": YEARS[1]}
        return True
    return False


def _validate_request(data: RequestData) -> None:
    errors: dict[str, str] = {}
    _required(errors, "title", data.title, _("Geef een titel."))
    _required(errors, "question", data.question, _("Geef de adviesvraag."))
    _choice(errors, "requester", data.requester, Requester.values)
    _choice(errors, "kind", data.kind, RequestKind.values)
    _choice(errors, "confidentiality", data.confidentiality, Confidentiality.values)
    naive = _naive(errors, "received_at", data.received_at)
    naive = _naive(errors, "deadline", data.deadline) or naive
    if not naive and data.received_at and data.received_at > _now() + CLOCK_SKEW:
        errors["received_at"] = _("Het moment van ontvangst ligt niet in de toekomst.")
    if not naive and data.received_at and data.deadline and data.deadline <= data.received_at:
        errors["deadline"] = _("De deadline ligt na het moment van ontvangst.")
    _raise(errors)


RESERVED_KEYS = frozenset({"nieuw", "register", "input"})
"""Fixed paths under ``/adviesproces/`` (and ``tijdlijn`` under ``/adviezen/``)."""


def _unique_key(wanted: str, title: str) -> str:
    base = slugify(wanted or title)[:90].strip("-") or "advies"
    if base in RESERVED_KEYS | {"tijdlijn"}:
        base = f"advies-{base}"
    key, counter = base, 2
    while AdviceRequest.objects.filter(key=key).exists():
        key = f"{base}-{counter}"
        counter += 1
    return key


@transaction.atomic
def advice_request_create(*, data: RequestData, actor: User | None) -> AdviceRequest:
    """Register a request: status ``received``, deadline set, an empty OMT briefing."""
    _validate_request(data)
    if actor is not None and data.confidentiality not in visible_levels(user=actor):
        raise ValidationError(
            {"confidentiality": _("U kunt geen aanvraag vastleggen die u zelf niet mag zien.")}
        )
    received = data.received_at or _now()
    exercise = data.exercise_run
    request = AdviceRequest.objects.create(
        key=_unique_key(data.key or (_exercise_title(data.title) if exercise else ""), data.title),
        title=_exercise_title(data.title) if exercise else data.title.strip(),
        question=data.question.strip(),
        requester=data.requester,
        requester_name=data.requester_name.strip(),
        kind=data.kind,
        received_at=received,
        deadline=data.deadline or default_deadline(kind=data.kind, received_at=received),
        assessment=data.assessment,
        omt_reference=data.omt_reference.strip(),
        omt_url=data.omt_url.strip(),
        confidentiality=data.confidentiality,
        is_synthetic=data.is_synthetic,
        exercise_run=exercise,
        created_by=actor,
    )
    request.options.set(list(data.options))
    OmtBriefing.objects.create(request=request, confidentiality=Confidentiality.CONFIDENTIAL)
    AdviceStatusChange.objects.create(
        request=request, status=AdviceStatus.RECEIVED, actor=actor, at=received
    )
    return request


@transaction.atomic
def advice_request_update(
    *, request: AdviceRequest, data: RequestData, actor: User
) -> AdviceRequest:
    """Edit the request's particulars while it is not yet sent (the history keeps statuses)."""
    workflow.require(actor, "manage")
    request = _locked(request)
    if _current(request) in workflow.AFTER_DISPATCH:
        raise ValidationError({"title": _("Een verzonden advies verandert niet meer.")})
    _validate_request(data)
    # The exercise mode of a request never changes, nor its label.
    request.title = _exercise_title(data.title) if request.exercise_run_id else data.title.strip()
    request.question = data.question.strip()
    request.requester = data.requester
    request.requester_name = data.requester_name.strip()
    request.kind = data.kind
    if data.received_at:
        request.received_at = data.received_at
    request.deadline = data.deadline or request.deadline
    if request.deadline <= request.received_at:
        raise ValidationError({"deadline": _("De deadline ligt na het moment van ontvangst.")})
    request.assessment = data.assessment
    request.omt_reference = data.omt_reference.strip()
    request.omt_url = data.omt_url.strip()
    request.confidentiality = data.confidentiality
    request.is_synthetic = data.is_synthetic
    request.save()
    request.options.set(list(data.options))
    return request


@transaction.atomic
def advice_transition(
    *, request: AdviceRequest, to: str, actor: User, note: str = "", at: dt.datetime | None = None
) -> AdviceStatusChange:
    """Move the request to ``to`` if the process allows it from here and the actor may."""
    request = _locked(request)
    current = _current(request)
    workflow.check_move(actor=actor, current=current, to=to)
    if to in workflow.ACTION_ONLY:
        raise ValidationError({"to": workflow.action_hint(to)})
    if to == AdviceStatus.ALIGNMENT and not _adopted(request):
        raise ValidationError(
            {"to": _("Eerst een besluit met consensus of meerderheid over het eindconcept.")}
        )
    if to == AdviceStatus.DECISION and not request.revisions.exists():
        raise ValidationError({"to": _("Er is nog geen adviestekst om over te besluiten.")})
    return _append_status(request=request, status=to, actor=actor, note=note, at=at)


def _append_status(
    *,
    request: AdviceRequest,
    status: str,
    actor: User | None,
    note: str = "",
    at: dt.datetime | None = None,
) -> AdviceStatusChange:
    previous = _current(request)
    moment = at or _now()
    last = request.status_changes.order_by("-at", "-pk").first()
    if last is not None and moment < last.at:
        raise ValidationError({"at": _("Een statuswijziging kan niet vóór de vorige liggen.")})
    return AdviceStatusChange.objects.create(
        request=request, status=status, previous=previous, actor=actor, note=note, at=moment
    )


def _adopted(request: AdviceRequest) -> bool:
    return selectors.adopted_revision(request=request) is not None


@transaction.atomic
def information_item_add(
    *,
    request: AdviceRequest,
    actor: User,
    title: str,
    url: str = "",
    evidence: EvidenceItem | None = None,
    received_at: dt.datetime | None = None,
) -> InformationItem:
    """Add to the information package that both the MIT and the OMT received."""
    workflow.require(actor, "manage")
    errors: dict[str, str] = {}
    _required(errors, "title", title, _("Geef een titel."))
    _raise(errors)
    return InformationItem.objects.create(
        request=request,
        title=title.strip(),
        url=url.strip(),
        evidence=evidence,
        received_at=received_at or _now(),
        added_by=actor,
    )


# --- OMT information ---------------------------------------------------------------------------


@transaction.atomic
def omt_document_add(*, request: AdviceRequest, actor: User, title: str, body: str) -> OmtDocument:
    workflow.require(actor, "grant_omt")
    errors: dict[str, str] = {}
    _required(errors, "title", title, _("Geef een titel."))
    _raise(errors)
    return OmtDocument.objects.create(
        briefing=request.omt_briefing,
        title=title.strip(),
        body=body,
        received_at=_now(),
        added_by=actor,
    )


@transaction.atomic
def omt_access_grant(
    *,
    request: AdviceRequest,
    actor: User,
    grantee: User,
    reason: str,
    valid_until: dt.datetime | None = None,
) -> AccessGrant:
    """Grant one person access to this request's OMT information (one occasion, logged)."""
    workflow.require(actor, "grant_omt")
    errors: dict[str, str] = {}
    _required(errors, "reason", reason, _("Geef de reden van de toegang."))
    if not workflow.allowed(grantee, "view_drafts"):
        errors["grantee"] = _(
            "Alleen wie de concepten mag lezen, krijgt toegang tot OMT-informatie."
        )
    if not _naive(errors, "valid_until", valid_until) and valid_until and valid_until <= _now():
        errors["valid_until"] = _("De einddatum ligt in de toekomst.")
    _raise(errors)
    from django.contrib.contenttypes.models import ContentType

    briefing = request.omt_briefing
    return AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(OmtBriefing),
        object_id=str(briefing.pk),
        grantee_user=grantee,
        granted_by=actor,
        reason=reason.strip(),
        valid_until=valid_until,
    )


@transaction.atomic
def omt_read_log(*, briefing: OmtBriefing, user: User) -> None:
    OmtAccessLog.objects.create(briefing=briefing, user=user)


# --- requests for input ------------------------------------------------------------------------


INPUT_GRACE = dt.timedelta(hours=72)
"""A link still works this long after its deadline (a late signal is better than none)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class InputRequestData:
    recipient_kind: str
    recipient_name: str
    recipient_email: str
    question: str
    deadline: dt.datetime
    organisation: str = ""
    recipient: User | None = None


@transaction.atomic
def input_request_create(
    *, request: AdviceRequest, data: InputRequestData, actor: User
) -> tuple[InputRequest, str]:
    """Ask one recipient; returns the row and the secret token of its link (mailed after
    commit, never stored: only its hash is)."""
    workflow.require(actor, "manage")
    if _current(request) in workflow.INPUT_CLOSED:
        raise ValidationError({"question": _("Na het besluit wordt geen input meer uitgevraagd.")})
    errors: dict[str, str] = {}
    _choice(errors, "recipient_kind", data.recipient_kind, RecipientKind.values)
    _required(errors, "recipient_name", data.recipient_name, _("Geef de naam van de ontvanger."))
    _required(errors, "recipient_email", data.recipient_email, _("Geef een e-mailadres."))
    _required(errors, "question", data.question, _("Geef de vraag."))
    if not _naive(errors, "deadline", data.deadline) and data.deadline <= _now():
        errors["deadline"] = _("De deadline ligt in de toekomst.")
    _raise(errors)
    from django.core.validators import validate_email

    try:
        validate_email(data.recipient_email)
    except ValidationError as exc:
        raise ValidationError({"recipient_email": exc.messages}) from exc
    token = secrets.token_urlsafe(32)
    row = InputRequest.objects.create(
        request=request,
        recipient_kind=data.recipient_kind,
        recipient=data.recipient,
        recipient_name=data.recipient_name.strip(),
        recipient_email=data.recipient_email.strip(),
        organisation=data.organisation.strip(),
        question=data.question.strip(),
        deadline=data.deadline,
        token_hash=token_hash(token),
        sent_at=_now(),
        created_by=actor,
    )
    if _current(request) == AdviceStatus.RECEIVED:
        _append_status(request=request, status=AdviceStatus.INPUT_REQUESTED, actor=actor)
    notifications.input_request_sent(input_request=row, token=token)
    return row, token


def input_request_by_token(token: str) -> InputRequest | None:
    """The open request behind a link, or None (unknown, revoked, answered or closed)."""
    if not token or len(token) > 200:
        return None
    row = (
        InputRequest.objects.select_related("request")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or hasattr(row, "response"):
        return None
    if _now() > row.deadline + INPUT_GRACE:
        return None
    if _current(row.request) in workflow.INPUT_CLOSED:
        return None
    return row


@transaction.atomic
def input_request_revoke(*, input_request: InputRequest, actor: User) -> InputRequest:
    workflow.require(actor, "manage")
    if input_request.revoked_at is None:
        input_request.revoked_at = _now()
        input_request.save(update_fields=["revoked_at"])
    return input_request


@dataclass(frozen=True)
class ResponseData:
    signal: str
    severity: str
    interests_status: str
    groups: Sequence[PopulationGroup] = ()
    direction: str = Direction.UNKNOWN
    source: str = ""
    declared_interests: str = ""


def _synthetic_suffix(request: AdviceRequest) -> str:
    """Library items made from a synthetic (demo) request say so in their title."""
    if request.is_synthetic and "synthetisch" not in request.title.lower():
        return str(_(" (synthetisch)"))
    return ""


_EVIDENCE_TYPE = {
    RecipientKind.PRACTICE_CIRCLE: ("practice_signal", "practice"),
    RecipientKind.MEMBER: ("expert_note", "practice"),
    RecipientKind.EXPERT_MEMBER: ("expert_note", "scientific"),
    RecipientKind.POOL_EXPERT: ("expert_note", "scientific"),
}


@transaction.atomic
def input_response_submit(
    *, input_request: InputRequest, data: ResponseData, user: User | None = None
) -> InputResponse:
    """Store the answer and add it to the knowledge library as an evidence item with its
    provenance (who, on whose behalf, declared interests), linked to the request's measures
    and the groups named; internal until the secretariat decides otherwise."""
    row = InputRequest.objects.select_for_update().get(pk=input_request.pk)
    if (
        hasattr(row, "response")
        or row.revoked_at is not None
        or _current(row.request) in workflow.INPUT_CLOSED
    ):
        raise ValidationError({"signal": _("Op deze uitvraag is al gereageerd of ze is gesloten.")})
    errors: dict[str, str] = {}
    _required(errors, "signal", data.signal, _("Beschrijf het signaal."))
    _choice(errors, "severity", data.severity, Severity.values)
    _choice(errors, "interests_status", data.interests_status, InterestsStatus.values)
    _choice(errors, "direction", data.direction, Direction.values)
    if data.interests_status == InterestsStatus.DECLARED and not data.declared_interests.strip():
        errors["declared_interests"] = _("Beschrijf de verklaarde belangen.")
    if len(data.signal) > TEXT_MAX:
        errors["signal"] = _("Het signaal is te lang.")
    _raise(errors)
    request = row.request
    if request.exercise_run_id is not None:
        return _exercise_response(row=row, data=data)
    item_type, knowledge_class = _EVIDENCE_TYPE[RecipientKind(row.recipient_kind)]
    severity = Severity(data.severity).label
    summary = data.signal.strip()
    item = evidence_services.evidence_create(
        data=evidence_services.EvidenceData(
            item_type=item_type,
            knowledge_class=knowledge_class,
            title=_("%(kind)s van %(who)s bij ‘%(title)s’")
            % {
                "kind": _("Praktijksignaal")
                if item_type == "practice_signal"
                else _("Kennisnotitie"),
                "who": row.organisation or row.recipient_name,
                "title": selectors.request_name(request),
            }
            + _synthetic_suffix(request),
            authors=(row.recipient_name,),
            organisation=row.organisation,
            published_on=timezone.localdate(),
            summary=summary,
            full_text="\n\n".join(
                part
                for part in (
                    _("Vraag: %(q)s") % {"q": row.question},
                    _("Ernst: %(s)s") % {"s": severity},
                    _("Bron: %(s)s") % {"s": data.source.strip()} if data.source.strip() else "",
                )
                if part
            ),
            on_behalf_of=row.organisation,
            interests_status=data.interests_status,
            declared_interests=data.declared_interests.strip(),
            # At least as confidential as the request it answers.
            confidentiality=Confidentiality.CONFIDENTIAL
            if request.confidentiality == Confidentiality.CONFIDENTIAL
            else Confidentiality.INTERNAL,
            is_synthetic=request.is_synthetic,
        ),
        submitted_by=user or row.recipient,
        submitted_by_name=row.recipient_name,
    )
    for group in data.groups:
        evidence_services.evidence_link_create(
            item=item,
            data=evidence_services.LinkData(group=group, direction=data.direction),
            user=user,
        )
    for package in request.options.all():
        evidence_services.evidence_link_create(
            item=item,
            data=evidence_services.LinkData(package=package, direction=data.direction),
            user=user,
        )
    response = InputResponse.objects.create(
        input_request=row,
        signal=summary,
        direction=data.direction,
        severity=data.severity,
        source=data.source.strip(),
        interests_status=data.interests_status,
        declared_interests=data.declared_interests.strip(),
        evidence=item,
    )
    response.groups.set(list(data.groups))
    if _current(request) == AdviceStatus.INPUT_REQUESTED:
        _append_status(
            request=request,
            status=AdviceStatus.CONTRIBUTIONS,
            actor=None,
            note=_("Eerste bijdrage ontvangen."),
        )
    notifications.input_response_received(response=response)
    return response


def _exercise_response(*, row: InputRequest, data: ResponseData) -> InputResponse:
    """An answer in an exercise stays with the exercise: no item in the knowledge library."""
    response = InputResponse.objects.create(
        input_request=row,
        signal=data.signal.strip(),
        direction=data.direction,
        severity=data.severity,
        source=data.source.strip(),
        interests_status=data.interests_status,
        declared_interests=data.declared_interests.strip(),
        evidence=None,
    )
    response.groups.set(list(data.groups))
    if _current(row.request) == AdviceStatus.INPUT_REQUESTED:
        _append_status(
            request=row.request,
            status=AdviceStatus.CONTRIBUTIONS,
            actor=None,
            note=_("Eerste bijdrage ontvangen."),
        )
    notifications.input_response_received(response=response)
    return response


def input_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind recipients who have not answered: once when less than
    ``PARAAT_ADVICE_REMIND_HOURS`` are left, at most once per that period. Returns the count."""
    moment = now or _now()
    window = dt.timedelta(hours=settings.PARAAT_ADVICE_REMIND_HOURS)
    due = InputRequest.objects.filter(
        revoked_at__isnull=True,
        response__isnull=True,
        deadline__gt=moment,
        deadline__lte=moment + window,
    ).select_related("request")
    sent = 0
    for row in due:
        if row.last_reminded_at and moment - row.last_reminded_at < window:
            continue
        if _current(row.request) in workflow.INPUT_CLOSED:
            continue
        with transaction.atomic():
            token = secrets.token_urlsafe(32)
            InputRequest.objects.filter(pk=row.pk).update(
                token_hash=token_hash(token),
                last_reminded_at=moment,
                reminders=row.reminders + 1,
            )
            notifications.input_reminder(input_request=row, token=token)
        sent += 1
    return sent


# --- the advice text ---------------------------------------------------------------------------


class RevisionConflict(ValidationError):
    """A save based on an older version changed sections that somebody else changed too."""

    def __init__(
        self,
        *,
        latest: AdviceRevision,
        conflicts: dict[str, dict[str, str]],
        merged: dict[str, str],
    ) -> None:
        self.latest = latest
        self.conflicts = conflicts
        self.merged = merged
        """The text per section as a second save should start from: the other person's
        newer text where only they changed it, the user's own text where only the user did
        (conflicting sections hold the user's text)."""
        names = ", ".join(str(Section(key).label) for key in conflicts)
        super().__init__(
            {
                "sections": _(
                    "Iemand anders heeft intussen versie %(n)s opgeslagen met andere tekst in: "
                    "%(names)s. Er is niets overschreven; neem de wijzigingen over en sla "
                    "opnieuw op."
                )
                % {"n": latest.number, "names": names}
            }
        )


def _clean_sections(sections: Mapping[str, object]) -> dict[str, str]:
    errors: dict[str, str] = {}
    unknown = [key for key in sections if key not in SECTION_KEYS]
    if unknown:
        errors["sections"] = _("Onbekende sectie: %(v)s") % {"v": ", ".join(map(str, unknown))}
    cleaned: dict[str, str] = {}
    for key in SECTION_KEYS:
        value = sections.get(key, "")
        if not isinstance(value, str):
            errors[f"sections.{key}"] = _("Tekst verwacht.")
            continue
        if len(value) > TEXT_MAX:
            errors[f"sections.{key}"] = _("Te lang (meer dan %(n)s tekens).") % {"n": TEXT_MAX}
        cleaned[key] = value.replace("\r\n", "\n")
    _raise(errors)
    return cleaned


def _merge(
    base: dict[str, str], theirs: dict[str, str], mine: dict[str, str]
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Three-way merge per section: a section changed on one side only takes that change."""
    merged: dict[str, str] = {}
    conflicts: dict[str, dict[str, str]] = {}
    for key in SECTION_KEYS:
        b, t, m = base.get(key, ""), theirs.get(key, ""), mine.get(key, "")
        if m in (b, t):
            merged[key] = t
        elif t == b:
            merged[key] = m
        else:
            conflicts[key] = {"base": b, "theirs": t, "mine": m}
    return merged, conflicts


@transaction.atomic
def advice_revision_save(
    *,
    request: AdviceRequest,
    sections: Mapping[str, object],
    base_number: int | None,
    actor: User,
    note: str = "",
) -> AdviceRevision:
    """Save the text as a new version. ``base_number`` is the version the editor started
    from: if somebody saved since, changes to other sections are merged and changes to the
    same section with different text raise ``RevisionConflict`` (nothing is saved)."""
    workflow.require(actor, "edit_text")
    request = _locked(request)
    if _current(request) in workflow.TEXT_FROZEN:
        raise ValidationError({"sections": _("De tekst ligt vast: het advies is besloten.")})
    mine = _clean_sections(sections)
    latest = request.revisions.order_by("-number").first()
    if latest is None:
        if base_number not in (None, 0):
            raise ValidationError({"base_number": _("Er is nog geen versie.")})
        merged, is_merged = mine, False
    else:
        theirs = _clean_sections(latest.sections)
        if base_number == latest.number:
            merged, is_merged = mine, False
        else:
            base_row = request.revisions.filter(number=base_number).first()
            if base_row is None:
                raise ValidationError({"base_number": _("Onbekende versie.")})
            merged, conflicts = _merge(_clean_sections(base_row.sections), theirs, mine)
            if conflicts:
                proposal = {**merged, **{key: c["mine"] for key, c in conflicts.items()}}
                raise RevisionConflict(latest=latest, conflicts=conflicts, merged=proposal)
            is_merged = True
        if merged == theirs:
            return latest
    if _current(request) in workflow.BEFORE_DRAFT:
        _append_status(request=request, status=AdviceStatus.DRAFT, actor=actor)
    revision = AdviceRevision.objects.create(
        request=request,
        number=(latest.number + 1) if latest else 1,
        base_number=base_number or None,
        sections=merged,
        note=note.strip()[:300],
        merged=is_merged,
        author=actor,
    )
    return revision


@transaction.atomic
def comment_add(
    *,
    request: AdviceRequest,
    actor: User,
    section: str,
    body: str,
    thread: Comment | None = None,
    resolve: bool = False,
) -> Comment:
    workflow.require(actor, "comment")
    errors: dict[str, str] = {}
    _choice(errors, "section", section, SECTION_KEYS)
    if not resolve:
        _required(errors, "body", body, _("Schrijf een opmerking."))
    if thread is not None and (thread.request_id != request.pk or thread.thread_id is not None):
        errors["thread"] = _("Onbekende draad.")
    if resolve and thread is None:
        errors["thread"] = _("Alleen een draad kan worden afgehandeld.")
    _raise(errors)
    revision = request.revisions.order_by("-number").first()
    if revision is None:
        raise ValidationError({"section": _("Er is nog geen adviestekst.")})
    return Comment.objects.create(
        request=request,
        revision=revision,
        section=thread.section if thread else section,
        thread=thread,
        kind=Comment.Kind.RESOLVE if resolve else Comment.Kind.COMMENT,
        body=body.strip() or (_("Afgehandeld.") if resolve else ""),
        author=actor,
    )


@transaction.atomic
def assignment_create(
    *,
    request: AdviceRequest,
    actor: User,
    assignee: User,
    task: str,
    section: str = "",
    due: dt.datetime | None = None,
) -> Assignment:
    workflow.require(actor, "manage")
    errors: dict[str, str] = {}
    _required(errors, "task", task, _("Beschrijf de taak."))
    if not workflow.allowed(assignee, "view_drafts"):
        errors["assignee"] = _("Wijs taken toe aan iemand die de concepten mag lezen.")
    _naive(errors, "due", due)
    if section:
        _choice(errors, "section", section, SECTION_KEYS)
    _raise(errors)
    assignment = Assignment.objects.create(
        request=request,
        assignee=assignee,
        task=task.strip(),
        section=section,
        due=due,
        created_by=actor,
    )
    notifications.assignment_created(assignment=assignment)
    return assignment


@transaction.atomic
def assignment_done(*, assignment: Assignment, actor: User) -> Assignment:
    if actor.pk != assignment.assignee_id:
        workflow.require(actor, "manage")
    if assignment.done_at is None:
        assignment.done_at = _now()
        assignment.save(update_fields=["done_at"])
    return assignment


# --- decision ----------------------------------------------------------------------------------


@transaction.atomic
def decision_round_open(
    *,
    request: AdviceRequest,
    actor: User,
    mode: str = DecisionMode.REGULAR,
    closes_at: dt.datetime | None = None,
    statements: Sequence[str] = (),
    quorum: float | None = None,
) -> DecisionRound:
    """Open a vote on the latest version; the request moves to ``decision``. Rapid mode
    needs the secretariat's pre-filled judgements (``statements``)."""
    workflow.require(actor, "manage")
    request = _locked(request)
    errors: dict[str, str] = {}
    _choice(errors, "mode", mode, DecisionMode.values)
    texts = [s.strip() for s in statements if s and s.strip()]
    if mode == DecisionMode.RAPID and not texts:
        errors["statements"] = _("Een snelle ronde heeft vooraf ingevulde oordelen nodig.")
    if not _naive(errors, "closes_at", closes_at) and closes_at and closes_at <= _now():
        errors["closes_at"] = _("Het sluitmoment ligt in de toekomst.")
    value = settings.PARAAT_ADVICE_QUORUM if quorum is None else quorum
    try:
        voting.quorum_needed(eligible=1, quorum=value)
    except voting.VotingError:
        errors["quorum"] = _("Het quorum is een deel tussen 0 en 1.")
    _raise(errors)
    revision = request.revisions.order_by("-number").first()
    if revision is None:
        raise ValidationError({"mode": _("Er is nog geen adviestekst om over te besluiten.")})
    if request.decision_rounds.filter(decision__isnull=True).exists():
        raise ValidationError({"mode": _("Er loopt al een besluitronde.")})
    current = _current(request)
    if current != AdviceStatus.DECISION:
        try:
            workflow.check_move(actor=actor, current=current, to=AdviceStatus.DECISION)
        except ValidationError as exc:
            raise ValidationError({"mode": exc.message_dict.get("to", exc.messages)}) from exc
        _append_status(request=request, status=AdviceStatus.DECISION, actor=actor)
    default_close = request.deadline if request.deadline > _now() else None
    voter_ids = sorted(workflow.voters().values_list("pk", flat=True))
    round_ = DecisionRound.objects.create(
        request=request,
        revision=revision,
        mode=mode,
        quorum=float(value),
        eligible=len(voter_ids),
        voter_ids=voter_ids,
        closes_at=closes_at or default_close or _now() + dt.timedelta(hours=24),
        opened_by=actor,
    )
    for order, text in enumerate(texts, start=1):
        RapidStatement.objects.create(round=round_, order=order, text=text)
    notifications.vote_opened(round_=round_)
    return round_


@dataclass(frozen=True)
class Answer:
    choice: str
    reason: str = ""
    statement: RapidStatement | None = None


@transaction.atomic
def vote_cast(*, round_: DecisionRound, voter: User, answers: Sequence[Answer]) -> list[Vote]:
    """Cast a ballot (people with voting rights) or submit a position (expert members).
    A ballot is immutable: a second one for the same question is refused."""
    round_ = DecisionRound.objects.select_for_update().get(pk=round_.pk)
    # Only those with voting rights when the round opened are counted (and they must
    # still hold them); expert members give a position that is shown, never counted.
    counted = voter.pk in set(round_.voter_ids) and workflow.can_vote(voter)
    if not counted and not workflow.may_take_position(voter):
        raise PermissionDenied(_("U stemt niet mee en geeft geen standpunt in deze ronde."))
    if hasattr(round_, "decision"):
        raise ValidationError({"choice": _("De stemming is gesloten.")})
    rapid = round_.mode == DecisionMode.RAPID
    statements = {s.pk: s for s in round_.statements.all()}
    errors: dict[str, str] = {}
    if not answers:
        errors["choice"] = _("Kies een antwoord.")
    seen: set[int | None] = set()
    for index, answer in enumerate(answers):
        prefix = f"answers.{index}."
        allowed = voting.RAPID_CHOICES if rapid else voting.CHOICES
        if answer.choice not in allowed:
            errors[prefix + "choice"] = _("Kies een van de antwoorden.")
        if rapid and (answer.statement is None or answer.statement.pk not in statements):
            errors[prefix + "statement"] = _("Onbekend oordeel.")
        if not rapid and answer.statement is not None:
            errors[prefix + "statement"] = _("Deze stemming kent geen losse oordelen.")
        key = answer.statement.pk if answer.statement else None
        if key in seen:
            errors[prefix + "statement"] = _("Dubbel antwoord.")
        seen.add(key)
        if answer.choice == voting.DISAGREE and not answer.reason.strip():
            errors[prefix + "reason"] = _("Licht toe waarom u het oneens bent.")
        if len(answer.reason) > TEXT_MAX:
            errors[prefix + "reason"] = _("De toelichting is te lang.")
    if not rapid and len(answers) != 1:
        errors["choice"] = _("Eén antwoord per stemming.")
    _raise(errors)
    votes: list[Vote] = []
    for answer in answers:
        try:
            with transaction.atomic():
                votes.append(
                    Vote.objects.create(
                        round=round_,
                        statement=answer.statement,
                        voter=voter,
                        choice=answer.choice,
                        reason=answer.reason.strip(),
                        counted=counted,
                    )
                )
        except IntegrityError as exc:
            raise ValidationError(
                {"choice": _("U heeft hier al gestemd; een stem verandert niet meer.")}
            ) from exc
    return votes


def _ballots(round_: DecisionRound, statement: RapidStatement | None) -> list[voting.Ballot]:
    rows = round_.votes.filter(statement=statement)
    return [voting.Ballot(choice=v.choice, counted=v.counted) for v in rows]


def round_tally(*, round_: DecisionRound) -> dict[str, Any]:
    """The count as it stands (per statement in a rapid round)."""
    rapid = round_.mode == DecisionMode.RAPID
    if not rapid:
        return voting.tally(
            _ballots(round_, None), eligible=round_.eligible, quorum=round_.quorum
        ).as_dict()
    per = {
        str(s.order): voting.tally(
            _ballots(round_, s), eligible=round_.eligible, quorum=round_.quorum, rapid=True
        ).as_dict()
        for s in round_.statements.all()
    }
    outcomes = [entry["outcome"] for entry in per.values()]
    return {"outcome": _combined(outcomes), "statements": per}


def _combined(outcomes: Sequence[object]) -> str:
    """A rapid round is adopted when every judgement is; the weakest outcome counts."""
    order = [voting.NO_QUORUM, voting.NO_VOTES, voting.REJECTED, voting.MAJORITY, voting.CONSENSUS]
    return min((str(o) for o in outcomes), key=order.index) if outcomes else voting.NO_QUORUM


@transaction.atomic
def decision_round_close(
    *, round_: DecisionRound, actor: User, minority_position: str = ""
) -> Decision:
    """Close the vote and record the outcome as counted. A majority needs the minority
    position written down (it goes into the advice's minority section)."""
    workflow.require(actor, "close_vote")
    round_ = DecisionRound.objects.select_for_update().get(pk=round_.pk)
    if hasattr(round_, "decision"):
        raise ValidationError({"round": _("Deze stemming is al gesloten.")})
    counted = round_tally(round_=round_)
    outcome = counted["outcome"]
    if outcome == voting.MAJORITY and not minority_position.strip():
        raise ValidationError(
            {"minority_position": _("Leg het minderheidsstandpunt vast bij een meerderheid.")}
        )
    decision = Decision.objects.create(
        round=round_,
        outcome=outcome,
        tally=counted,
        minority_position=minority_position.strip(),
        closed_by=actor,
    )
    request = round_.request
    if outcome not in (voting.CONSENSUS, voting.MAJORITY) and (
        _current(request) == AdviceStatus.DECISION
    ):
        _append_status(
            request=request,
            status=AdviceStatus.FINAL_DRAFT,
            actor=actor,
            note=_("Niet aangenomen (%(o)s): terug naar het eindconcept.") % {"o": outcome},
        )
    return decision


def vote_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind voters who have not voted in a round closing within the reminder window."""
    moment = now or _now()
    window = dt.timedelta(hours=settings.PARAAT_ADVICE_REMIND_HOURS)
    sent = 0
    rounds = DecisionRound.objects.filter(
        decision__isnull=True, closes_at__gt=moment, closes_at__lte=moment + window
    )
    for round_ in rounds:
        if round_.last_reminded_at and moment - round_.last_reminded_at < window:
            continue
        DecisionRound.objects.filter(pk=round_.pk).update(last_reminded_at=moment)
        voted = set(round_.votes.values_list("voter_id", flat=True))
        missing = [
            u
            for u in workflow.voters().filter(pk__in=round_.voter_ids)
            if u.pk not in voted and u.email
        ]
        if missing:
            notifications.vote_reminder(round_=round_, users=missing)
            sent += len(missing)
    return sent


# --- sign-off, dispatch, publication --------------------------------------------------------


@transaction.atomic
def advice_sign_off(*, request: AdviceRequest, actor: User) -> SignOff:
    """The chair signs the adopted version after the chairs' alignment."""
    workflow.require(actor, "sign_off")
    request = _locked(request)
    if _current(request) != AdviceStatus.ALIGNMENT:
        raise ValidationError(
            {"request": _("Ondertekenen kan na de afstemming van de voorzitters.")}
        )
    last = request.decision_rounds.order_by("-opened_at", "-pk").first()
    if last is None or not _adopted(request):
        raise ValidationError({"request": _("Er is geen aangenomen versie.")})
    return SignOff.objects.create(request=request, revision=last.revision, chair=actor)


@transaction.atomic
def advice_dispatch(
    *,
    request: AdviceRequest,
    actor: User,
    recipient: str = "",
    embargo_until: dt.datetime | None = None,
    embargo_note: str = "",
    documents: Mapping[str, tuple[str, bytes]] | None = None,
) -> Dispatch:
    """Send the signed version to the Secretary-General with PDF and DOCX and metadata;
    the advice is under embargo until released (``advice_publish``)."""
    workflow.require(actor, "sign_off")
    request = _locked(request)
    sign_off = selectors.signed_adopted(request=request)
    if sign_off is None or _current(request) != AdviceStatus.ALIGNMENT:
        raise ValidationError({"request": _("Eerst ondertekent de voorzitter het advies.")})
    if hasattr(request, "dispatch"):
        raise ValidationError({"request": _("Dit advies is al verzonden.")})
    if embargo_until is not None and timezone.is_naive(embargo_until):
        raise ValidationError({"embargo_until": _("Geef een moment met tijdzone.")})
    from django.core.files.base import ContentFile

    moment = _now()
    dispatch = Dispatch(
        request=request,
        revision=sign_off.revision,
        recipient=recipient.strip() or _("Secretaris-generaal van SZW"),
        metadata={
            "key": request.key,
            "title": request.title,
            "kind": request.kind,
            "requester": request.requester,
            "received_at": request.received_at.isoformat(),
            "deadline": request.deadline.isoformat(),
            "version": sign_off.revision.number,
            "signed_by": sign_off.chair.get_full_name() or sign_off.chair.get_username(),
            "signed_at": sign_off.at.isoformat(),
            "sent_at": moment.isoformat(),
        },
        embargo_until=embargo_until,
        embargo_note=embargo_note.strip()
        or _("Tot het ministerie het advies aan de Tweede Kamer heeft gestuurd."),
        sent_by=actor,
        sent_at=moment,
    )
    unknown = set(documents or {}) - {"pdf", "docx"}
    if unknown:
        raise ValidationError({"documents": _("Alleen PDF en Word (pdf, docx).")})
    stored: list[Any] = []
    try:
        for kind, (name, content) in (documents or {}).items():
            file_field = getattr(dispatch, kind)
            file_field.save(name, ContentFile(content), save=False)
            stored.append(file_field)
        dispatch.save()
        _append_status(request=request, status=AdviceStatus.SENT, actor=actor)
        _append_status(request=request, status=AdviceStatus.EMBARGO, actor=actor)
        for number, text in enumerate(_recommendations(sign_off.revision), start=1):
            Recommendation.objects.get_or_create(
                request=request, number=number, defaults={"text": text}
            )
        notifications.advice_dispatched(dispatch=dispatch)
    except Exception:
        # The rows roll back with the transaction; the files would stay behind.
        for file_field in stored:
            file_field.storage.delete(file_field.name)
        raise
    return dispatch


def _recommendations(revision: AdviceRevision) -> list[str]:
    """The numbered or bulleted lines of the advice section are its recommendations."""
    import re

    text = str((revision.sections or {}).get(Section.ADVICE, ""))
    lines = []
    for line in text.splitlines():
        match = re.match(r"^\s*(?:\d+[.)]|[-*•])\s+(.+)$", line)
        if match:
            lines.append(match.group(1).strip())
    return lines


@transaction.atomic
def advice_publish(
    *, request: AdviceRequest, actor: User | None, url: str = "", at: dt.datetime | None = None
) -> Publication:
    """Lift the embargo: the advice, its recommendations and the expert members'
    reflections become public, and the advice enters the knowledge library."""
    if actor is not None:
        workflow.require(actor, "manage")
    request = _locked(request)
    if request.exercise_run_id is not None:
        raise ValidationError(
            {"request": _("Een advies uit een oefening wordt niet gepubliceerd (OEFENING).")}
        )
    if _current(request) != AdviceStatus.EMBARGO:
        raise ValidationError({"request": _("Alleen een verzonden advies onder embargo.")})
    dispatch = request.dispatch
    moment = at or _now()
    item = evidence_services.evidence_create(
        data=evidence_services.EvidenceData(
            item_type="report",
            knowledge_class="scientific",
            title=request.title + _synthetic_suffix(request),
            organisation=_("Maatschappelijk Impact Team"),
            published_on=timezone.localdate(moment),
            url=url.strip(),
            summary=str(dispatch.revision.sections.get(Section.SUMMARY, ""))[:20_000],
            full_text="\n\n".join(
                str(dispatch.revision.sections.get(key, "")) for key in SECTION_KEYS
            ),
            confidentiality=Confidentiality.PUBLIC,
            interests_status=InterestsStatus.NONE,
            is_synthetic=request.is_synthetic,
        ),
        submitted_by=actor,
        submitted_by_name=_("Maatschappelijk Impact Team"),
    )
    publication = Publication.objects.create(
        request=request, published_at=moment, url=url.strip(), evidence=item, published_by=actor
    )
    _append_status(request=request, status=AdviceStatus.PUBLISHED, actor=actor, at=moment)
    return publication


def embargoes_release(*, now: dt.datetime | None = None) -> list[Publication]:
    """Publish advice whose embargo date has passed (run by the scheduled task)."""
    moment = now or _now()
    released = []
    due = Dispatch.objects.filter(embargo_until__lte=moment, request__exercise_run__isnull=True)
    for dispatch in due.select_related("request"):
        if _current(dispatch.request) == AdviceStatus.EMBARGO:
            released.append(advice_publish(request=dispatch.request, actor=None))
    return released


@transaction.atomic
def reflection_add(
    *, request: AdviceRequest, actor: User, body: str, institution: str = ""
) -> Reflection:
    if not workflow.may_take_position(actor):
        raise PermissionDenied(_("Alleen expertleden schrijven een reflectie."))
    errors: dict[str, str] = {}
    _required(errors, "body", body, _("Schrijf de reflectie."))
    _raise(errors)
    if _current(request) not in workflow.AFTER_DISPATCH - {AdviceStatus.WITHDRAWN}:
        raise ValidationError({"body": _("Een reflectie hoort bij een verzonden advies.")})
    return Reflection.objects.create(
        request=request,
        author=actor,
        institution=(institution or actor.organisation).strip(),
        body=body.strip(),
    )


# --- cabinet response and follow-up ------------------------------------------------------------


@dataclass(frozen=True)
class CabinetResponseData:
    date: dt.date
    title: str
    url: str = ""
    summary: str = ""
    statuses: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    """Recommendation number → (status, justification)."""


@transaction.atomic
def cabinet_response_record(
    *, request: AdviceRequest, actor: User, data: CabinetResponseData
) -> CabinetResponse:
    """Record the cabinet's response with a status per recommendation; recommendations not
    named get ``no_response``. Later responses are added, never replace earlier ones."""
    workflow.require(actor, "cabinet_response")
    request = _locked(request)
    status = _current(request)
    if status not in (
        AdviceStatus.PUBLISHED,
        AdviceStatus.CABINET_RESPONSE,
        AdviceStatus.FOLLOW_UP,
    ):
        raise ValidationError({"date": _("Een kabinetsreactie volgt op een gepubliceerd advies.")})
    errors: dict[str, str] = {}
    _required(errors, "title", data.title, _("Geef de titel van het document."))
    recommendations = {r.number: r for r in request.recommendations.all()}
    for number, (value, justification) in data.statuses.items():
        if number not in recommendations:
            errors[f"statuses.{number}"] = _("Onbekende aanbeveling %(n)s.") % {"n": number}
        elif value not in AdoptionStatus.values:
            errors[f"statuses.{number}"] = _("Onbekende status: %(v)s") % {"v": value}
        elif (
            value in (AdoptionStatus.NOT_ADOPTED, AdoptionStatus.PARTLY)
            and not (justification or "").strip()
        ):
            errors[f"statuses.{number}"] = _("Geef de motivering van het kabinet.")
    _raise(errors)
    response = CabinetResponse.objects.create(
        request=request,
        date=data.date,
        title=data.title.strip(),
        url=data.url.strip(),
        summary=data.summary.strip(),
        recorded_by=actor,
    )
    for number, recommendation in recommendations.items():
        value, justification = data.statuses.get(number, (AdoptionStatus.NO_RESPONSE, ""))
        RecommendationStatus.objects.create(
            response=response,
            recommendation=recommendation,
            status=value,
            justification=(justification or "").strip(),
        )
    if status == AdviceStatus.PUBLISHED:
        _append_status(request=request, status=AdviceStatus.CABINET_RESPONSE, actor=actor)
    notifications.cabinet_response_recorded(response=response)
    return response


@transaction.atomic
def follow_up_add(
    *,
    request: AdviceRequest,
    actor: User,
    kind: str,
    title: str,
    date: dt.date,
    reference: str = "",
    url: str = "",
    note: str = "",
) -> FollowUp:
    workflow.require(actor, "cabinet_response")
    errors: dict[str, str] = {}
    _choice(errors, "kind", kind, FollowUpKind.values)
    _required(errors, "title", title, _("Geef een titel."))
    _raise(errors)
    request = _locked(request)
    if _current(request) not in (
        AdviceStatus.PUBLISHED,
        AdviceStatus.CABINET_RESPONSE,
        AdviceStatus.FOLLOW_UP,
    ):
        raise ValidationError({"kind": _("Opvolging hoort bij een gepubliceerd advies.")})
    item = FollowUp.objects.create(
        request=request,
        kind=kind,
        title=title.strip(),
        date=date,
        reference=reference.strip(),
        url=url.strip(),
        note=note.strip(),
        recorded_by=actor,
    )
    if _current(request) == AdviceStatus.CABINET_RESPONSE:
        _append_status(request=request, status=AdviceStatus.FOLLOW_UP, actor=actor)
    notifications.follow_up_recorded(follow_up=item)
    return item


def can_read_omt(*, user: User, request: AdviceRequest) -> bool:
    return bool(user.is_authenticated) and can_view(user=user, obj=request.omt_briefing)
