"""REST API (v1) of the advice process under ``/api/v1/advice/``.

Serializers parse; ``advice.services`` write; ``advice.selectors`` and ``advice.dossier`` read.
The rules are those of the pages:

* a request the caller may not see (role, confidentiality, grant) is a 404, as is an unknown
  one; drafts, dossier, votes and comments need ``view_drafts`` (403 otherwise); every write
  needs the action of ``advice.workflow.ACTIONS`` (the service checks it; 403);
* bad input is a 400 naming the field, never a 500; a text save that collides with somebody
  else's is a 409 with the conflicting sections;
* answering a request for input (``/advice/input/<token>/``) needs no account, only the secret
  token of its link; an unknown, used or revoked token is a neutral 404;
* ``/advice/published/`` is public and shows only what the public page shows: the sent text,
  recommendations and the cabinet's response, reflections, the outcome and the minority
  position. Never ballots, drafts, the dossier or OMT information, and nothing before the
  embargo is lifted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from paraat.accounts.models import Confidentiality, User
from paraat.accounts.selectors import user_get
from paraat.advice import dossier as advice_dossier
from paraat.advice import selectors, services, workflow
from paraat.advice.models import (
    AdoptionStatus,
    AdviceRequest,
    AdviceRevision,
    AdviceStatus,
    Assignment,
    DecisionMode,
    DecisionRound,
    FollowUpKind,
    InputRequest,
    RecipientKind,
    Requester,
    RequestKind,
    Section,
    Severity,
    VoteChoice,
)
from paraat.api.exceptions import call_service
from paraat.api.parsers import SafeJSONParser
from paraat.assessments import selectors as assessment_selectors
from paraat.evidence.models import Direction, InterestsStatus
from paraat.measures import selectors as measure_selectors

KEY_REGEX = "[-a-zA-Z0-9_]+"
TEXT_MAX = services.TEXT_MAX
INT_MAX = 2**31 - 1
LIST_MAX = 50


# --- parsing -------------------------------------------------------------------------------------


PARSERS = [SafeJSONParser, FormParser, MultiPartParser]


def _moment(value: dt.datetime) -> None:
    """Moments far outside the process's range would overflow date arithmetic (a 500)."""
    low, high = services.YEARS
    if not low <= value.year <= high:
        raise serializers.ValidationError(
            _("Geef een moment tussen %(a)s en %(b)s.") % {"a": low, "b": high}
        )


def _text(*, max_length: int = TEXT_MAX, required: bool = True, **kwargs: Any) -> Any:
    if not required:
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
    return serializers.CharField(
        max_length=max_length, required=required, trim_whitespace=False, **kwargs
    )


def _when(*, required: bool = False) -> Any:
    if required:
        return serializers.DateTimeField(validators=[_moment])
    return serializers.DateTimeField(
        required=False, allow_null=True, default=None, validators=[_moment]
    )


def _number(*, required: bool = False, min_value: int = 1) -> Any:
    if required:
        return serializers.IntegerField(min_value=min_value, max_value=INT_MAX)
    return serializers.IntegerField(
        min_value=min_value, max_value=INT_MAX, required=False, allow_null=True, default=None
    )


def _blank(choices: Any) -> list[Any]:
    return [("", ""), *choices]


# --- errors --------------------------------------------------------------------------------------


def _parse(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- rendering -----------------------------------------------------------------------------------


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).isoformat()
    return moment.isoformat()


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _hours(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _summary(request: AdviceRequest) -> dict[str, Any]:
    current = workflow.status_of(request)
    countdown = selectors.deadline_countdown(request=request, status=current)
    return {
        "key": request.key,
        "title": request.title,
        "requester": request.requester,
        "kind": request.kind,
        "status": current,
        "status_label": str(AdviceStatus(current).label),
        "received_at": _iso(request.received_at),
        "deadline": _iso(request.deadline),
        "hours_left": _hours(countdown.hours_left) if countdown else None,
        "overdue": bool(countdown and countdown.overdue),
        "deadline_warning": bool(countdown and countdown.warning),
        "confidentiality": request.confidentiality,
        "is_synthetic": request.is_synthetic,
    }


def _timeline(request: AdviceRequest) -> dict[str, Any]:
    line = selectors.timeline(request=request)
    return {
        "phases": [
            {
                "phase": stay.phase,
                "label": str(AdviceStatus(stay.phase).label)
                if stay.phase in AdviceStatus.values
                else stay.phase,
                "start": _iso(stay.start),
                "end": _iso(stay.end),
                "hours": _hours(stay.hours),
            }
            for stay in line.phases
        ],
        "hours": {phase: _hours(hours) for phase, hours in line.hours.items()},
        "total_hours": _hours(line.total_hours),
        "hours_left": _hours(line.countdown.hours_left) if line.countdown else None,
        "overdue": bool(line.countdown and line.countdown.overdue),
        "met_deadline": line.met_deadline,
    }


def _detail(request: AdviceRequest, user: User) -> dict[str, Any]:
    current = workflow.status_of(request)
    options = selectors.options_visible(request=request, user=user)
    assessment = request.assessment
    if assessment is not None and not assessment_selectors.assessment_visible(
        user=user, assessment=assessment
    ):
        assessment = None
    return {
        **_summary(request),
        "question": request.question,
        "requester_name": request.requester_name,
        "options": [{"key": p.key, "name": p.name} for p in options],
        "assessment": assessment.key if assessment else None,
        "omt_reference": request.omt_reference,
        "omt_url": request.omt_url,
        "status_history": [
            {
                "status": change.status,
                "previous": change.previous,
                "note": change.note,
                "actor": _person(change.actor),
                "at": _iso(change.at),
            }
            for change in selectors.status_history(request=request)
        ],
        "moves": workflow.moves(user=user, current=current),
        "may": {name: selectors.may(user=user, action=name) for name in workflow.ACTIONS},
        "timeline": _timeline(request),
        "inputs": selectors.input_overview(request=request),
        "information": [
            {
                "title": item.title,
                "url": item.url,
                "evidence": item.evidence.ref if item.evidence else None,
                "received_at": _iso(item.received_at),
            }
            for item in selectors.information_items(request=request, user=user)
        ],
    }


def _input_row(row: InputRequest) -> dict[str, Any]:
    response = getattr(row, "response", None)
    return {
        "id": row.pk,
        "recipient_kind": row.recipient_kind,
        "recipient_name": row.recipient_name,
        "recipient_email": row.recipient_email,
        "recipient": row.recipient.get_username() if row.recipient else None,
        "organisation": row.organisation,
        "question": row.question,
        "deadline": _iso(row.deadline),
        "sent_at": _iso(row.sent_at),
        "reminders": row.reminders,
        "revoked_at": _iso(row.revoked_at),
        "state": selectors.input_state(input_request=row),
        "response": None
        if response is None
        else {
            "signal": response.signal,
            "groups": [group.key for group in response.groups.all()],
            "direction": response.direction,
            "severity": response.severity,
            "source": response.source,
            "interests_status": response.interests_status,
            "declared_interests": response.declared_interests,
            "submitted_at": _iso(response.submitted_at),
            "evidence": {"id": response.evidence.pk, "ref": response.evidence.ref}
            if response.evidence
            else None,
        },
    }


def _revision_row(revision: AdviceRevision, *, sections: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {
        "number": revision.number,
        "base_number": revision.base_number,
        "note": revision.note,
        "merged": revision.merged,
        "author": _person(revision.author),
        "created_at": _iso(revision.created_at),
    }
    if sections:
        row["sections"] = {key: str(revision.sections.get(key, "")) for key in Section.values}
    return row


def _comment_row(comment: Any) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "section": comment.section,
        "kind": comment.kind,
        "body": comment.body,
        "revision": comment.revision.number,
        "author": _person(comment.author),
        "created_at": _iso(comment.created_at),
    }


def _assignment_row(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "section": assignment.section,
        "assignee": assignment.assignee.get_username(),
        "assignee_name": _person(assignment.assignee),
        "task": assignment.task,
        "due": _iso(assignment.due),
        "done_at": _iso(assignment.done_at),
        "created_by": _person(assignment.created_by),
        "created_at": _iso(assignment.created_at),
    }


def _decision_row(decision: Any) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "tally": decision.tally,
        "minority_position": decision.minority_position,
        "closed_by": _person(decision.closed_by),
        "closed_at": _iso(decision.closed_at),
    }


def _round_row(round_: DecisionRound, user: User) -> dict[str, Any]:
    decision = getattr(round_, "decision", None)
    counts = selectors.may(user=user, action="close_vote")
    votes = list(selectors.round_votes(round_=round_))
    show_votes = counts or decision is not None
    return {
        "id": round_.pk,
        "mode": round_.mode,
        "open": decision is None,
        "revision": round_.revision.number,
        "quorum": round_.quorum,
        "eligible": round_.eligible,
        "closes_at": _iso(round_.closes_at),
        "opened_at": _iso(round_.opened_at),
        "opened_by": _person(round_.opened_by),
        "statements": [
            {"order": s.order, "text": s.text} for s in selectors.round_statements(round_=round_)
        ],
        "has_voted": selectors.has_voted(round_=round_, user=user),
        "votes_cast": len({vote.voter_id for vote in votes}),
        "tally": services.round_tally(round_=round_) if counts and decision is None else None,
        "votes": [
            {
                "voter": _person(vote.voter),
                "choice": vote.choice,
                "reason": vote.reason,
                "counted": vote.counted,
                "statement": vote.statement.order if vote.statement else None,
                "cast_at": _iso(vote.cast_at),
            }
            for vote in votes
        ]
        if show_votes
        else None,
        "decision": _decision_row(decision) if decision is not None else None,
    }


def _cabinet_response_row(response: Any, statuses: list[Any]) -> dict[str, Any]:
    return {
        "id": response.pk,
        "date": _iso(response.date),
        "title": response.title,
        "url": response.url,
        "summary": response.summary,
        "statuses": [
            {
                "recommendation": row.recommendation.number,
                "status": row.status,
                "status_label": str(AdoptionStatus(row.status).label),
                "justification": row.justification,
            }
            for row in statuses
        ],
    }


def _follow_up_row(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "reference": item.reference,
        "url": item.url,
        "date": _iso(item.date),
        "note": item.note,
    }


def _reflection_row(reflection: Any) -> dict[str, Any]:
    return {
        "id": reflection.pk,
        "institution": reflection.institution,
        "body": reflection.body,
        "submitted_at": _iso(reflection.submitted_at),
    }


def _dossier_data(dossier: advice_dossier.Dossier) -> dict[str, Any]:
    return {
        "request": dossier.request.key,
        "built_at": _iso(dossier.built_at),
        "question": dossier.request.question,
        "options": dossier.options,
        "fiches": dossier.fiches,
        "evidence": dossier.evidence,
        "indicators": dossier.indicators,
        "signals": dossier.signals,
        "groups": dossier.groups,
        "assessment": dossier.assessment,
        "contributions": dossier.contributions,
        "information": dossier.information,
        "omt": None
        if dossier.omt is None
        else [
            {"title": doc.title, "body": doc.body, "received_at": _iso(doc.received_at)}
            for doc in dossier.omt
        ],
    }


# --- input serializers ---------------------------------------------------------------------------


class RequestCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = _text(max_length=300)
    question = _text()
    requester = serializers.ChoiceField(choices=Requester.choices)
    requester_name = _text(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    received_at = _when()
    deadline = _when()
    options = serializers.ListField(
        child=serializers.SlugField(max_length=100),
        required=False,
        default=list,
        max_length=LIST_MAX,
        help_text="Sleutels van pakketten (opties)",
    )
    assessment = serializers.SlugField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Afweging"
    )
    omt_reference = _text(max_length=300, required=False)
    omt_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    key = serializers.SlugField(max_length=90, required=False, allow_blank=True, default="")
    is_synthetic = serializers.BooleanField(default=False)


class TransitionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    to = serializers.ChoiceField(choices=AdviceStatus.choices)
    note = _text(max_length=5000, required=False)


class InputRequestCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    recipient_kind = serializers.ChoiceField(choices=RecipientKind.choices)
    recipient_name = _text(max_length=200)
    recipient_email = serializers.EmailField(max_length=254)
    organisation = _text(max_length=300, required=False)
    question = _text()
    deadline = _when(required=True)
    recipient = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text="Gebruikersnaam van de ontvanger (optioneel)",
    )


class InputResponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    signal = _text()
    groups = serializers.ListField(
        child=serializers.SlugField(max_length=100),
        required=False,
        default=list,
        max_length=LIST_MAX,
        help_text="Sleutels van geraakte groepen",
    )
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.UNKNOWN)
    severity = serializers.ChoiceField(choices=Severity.choices)
    source = _text(required=False)
    interests_status = serializers.ChoiceField(choices=InterestsStatus.choices)
    declared_interests = _text(required=False)


class RevisionCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sections = serializers.DictField(
        child=serializers.CharField(max_length=TEXT_MAX, allow_blank=True, trim_whitespace=False),
        help_text="Tekst per sectie: " + ", ".join(Section.values),
    )
    base_number = _number(min_value=0)
    note = _text(max_length=300, required=False)

    def validate_sections(self, value: dict[str, str]) -> dict[str, str]:
        if len(value) > len(Section.values) or any(key not in Section.values for key in value):
            raise serializers.ValidationError(
                _("Onbekende sectie; kies uit: %(keys)s") % {"keys": ", ".join(Section.values)}
            )
        return value


class SkeletonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = _text(max_length=300, required=False)


class CommentCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    section = serializers.ChoiceField(choices=_blank(Section.choices), required=False, default="")
    body = _text(required=False)
    thread = _number()
    resolve = serializers.BooleanField(default=False)


class AssignmentCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    assignee = serializers.CharField(max_length=150, help_text="Gebruikersnaam")
    task = _text(max_length=300)
    section = serializers.ChoiceField(choices=_blank(Section.choices), required=False, default="")
    due = _when()


class RoundOpenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    mode = serializers.ChoiceField(choices=DecisionMode.choices, default=DecisionMode.REGULAR)
    closes_at = _when()
    quorum = serializers.FloatField(
        min_value=0.0, max_value=1.0, required=False, allow_null=True, default=None
    )
    statements = serializers.ListField(
        child=_text(max_length=5000), required=False, default=list, max_length=LIST_MAX
    )


class AnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    reason = _text(required=False)
    statement = serializers.IntegerField(
        min_value=1,
        max_value=10_000,
        required=False,
        allow_null=True,
        default=None,
        help_text="Volgnummer van het oordeel (alleen in een snelle ronde)",
    )


class VoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answers = AnswerSerializer(many=True, allow_empty=False, max_length=LIST_MAX)


class RoundCloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    minority_position = _text(required=False)


class DispatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    recipient = _text(max_length=200, required=False)
    embargo_until = _when()
    embargo_note = _text(max_length=300, required=False)


class PublishSerializer(serializers.Serializer):  # type: ignore[type-arg]
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")


class ReflectionCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    body = _text()
    institution = _text(max_length=200, required=False)


class RecommendationStatusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    recommendation = serializers.IntegerField(min_value=1, max_value=10_000)
    status = serializers.ChoiceField(choices=AdoptionStatus.choices)
    justification = _text(required=False)


class CabinetResponseCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateField()
    title = _text(max_length=300)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    summary = _text(required=False)
    statuses = RecommendationStatusSerializer(many=True, required=False, max_length=200)

    def validate_statuses(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        numbers = [row["recommendation"] for row in value]
        if len(numbers) != len(set(numbers)):
            raise serializers.ValidationError(_("Elke aanbeveling één keer."))
        return value


class FollowUpCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=FollowUpKind.choices)
    title = _text(max_length=300)
    date = serializers.DateField()
    reference = _text(max_length=100, required=False)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    note = _text(required=False)


# --- response schemas (documentation only) -------------------------------------------------------


def _many(serializer: Any) -> Any:
    """The list form of a (documentation) serializer: one component for both."""
    return type(serializer)(many=True)


_SUMMARY_FIELDS = {
    "key": serializers.CharField(),
    "title": serializers.CharField(),
    "requester": serializers.ChoiceField(choices=Requester.choices),
    "kind": serializers.ChoiceField(choices=RequestKind.choices),
    "status": serializers.ChoiceField(choices=AdviceStatus.choices),
    "status_label": serializers.CharField(),
    "received_at": serializers.DateTimeField(),
    "deadline": serializers.DateTimeField(),
    "hours_left": serializers.FloatField(allow_null=True, help_text="Leeg na verzending"),
    "overdue": serializers.BooleanField(),
    "deadline_warning": serializers.BooleanField(),
    "confidentiality": serializers.ChoiceField(choices=Confidentiality.choices),
    "is_synthetic": serializers.BooleanField(),
}
_SUMMARY_LIST = inline_serializer("AdviceRequestSummary", _SUMMARY_FIELDS, many=True)
_TIMELINE_FIELDS = {
    "phases": serializers.ListField(child=serializers.DictField()),
    "hours": serializers.DictField(child=serializers.FloatField(), help_text="Uren per fase"),
    "total_hours": serializers.FloatField(),
    "hours_left": serializers.FloatField(allow_null=True),
    "overdue": serializers.BooleanField(),
    "met_deadline": serializers.BooleanField(allow_null=True),
}
_TIMELINE = inline_serializer("AdviceTimeline", _TIMELINE_FIELDS)
_DETAIL = inline_serializer(
    "AdviceRequest",
    {
        **_SUMMARY_FIELDS,
        "question": serializers.CharField(),
        "requester_name": serializers.CharField(),
        "options": serializers.ListField(child=serializers.DictField()),
        "assessment": serializers.CharField(allow_null=True),
        "omt_reference": serializers.CharField(),
        "omt_url": serializers.CharField(),
        "status_history": serializers.ListField(child=serializers.DictField()),
        "moves": serializers.ListField(child=serializers.CharField()),
        "may": serializers.DictField(child=serializers.BooleanField()),
        "timeline": _TIMELINE,
        "inputs": serializers.DictField(child=serializers.IntegerField()),
        "information": serializers.ListField(child=serializers.DictField()),
    },
)
_INPUT_FIELDS = {
    "id": serializers.IntegerField(),
    "recipient_kind": serializers.ChoiceField(choices=RecipientKind.choices),
    "recipient_name": serializers.CharField(),
    "recipient_email": serializers.EmailField(),
    "recipient": serializers.CharField(allow_null=True),
    "organisation": serializers.CharField(),
    "question": serializers.CharField(),
    "deadline": serializers.DateTimeField(),
    "sent_at": serializers.DateTimeField(),
    "reminders": serializers.IntegerField(),
    "revoked_at": serializers.DateTimeField(allow_null=True),
    "state": serializers.CharField(help_text="Een van: open, late, answered, revoked"),
    "response": serializers.DictField(allow_null=True),
}
_INPUT = inline_serializer("AdviceInputRequest", _INPUT_FIELDS)
_INPUT_LIST = _many(_INPUT)
_INPUT_CREATED = inline_serializer(
    "AdviceInputRequestCreated",
    {
        **_INPUT_FIELDS,
        "token": serializers.CharField(
            help_text="Het geheime token van de link; alleen in dit antwoord, één keer."
        ),
        "respond_url": serializers.CharField(),
    },
)
_INPUT_FORM = inline_serializer(
    "AdviceInputForm",
    {
        "title": serializers.CharField(allow_null=True),
        "recipient_name": serializers.CharField(),
        "recipient_kind": serializers.ChoiceField(choices=RecipientKind.choices),
        "organisation": serializers.CharField(),
        "question": serializers.CharField(),
        "deadline": serializers.DateTimeField(),
    },
)
_INPUT_RECEIVED = inline_serializer(
    "AdviceInputReceived",
    {"detail": serializers.CharField(), "submitted_at": serializers.DateTimeField()},
)
_REVISION_FIELDS = {
    "number": serializers.IntegerField(),
    "base_number": serializers.IntegerField(allow_null=True),
    "note": serializers.CharField(),
    "merged": serializers.BooleanField(),
    "author": serializers.CharField(),
    "created_at": serializers.DateTimeField(),
}
_REVISION_LIST = inline_serializer("AdviceRevisionSummary", _REVISION_FIELDS, many=True)
_REVISION = inline_serializer(
    "AdviceRevision",
    {**_REVISION_FIELDS, "sections": serializers.DictField(child=serializers.CharField())},
)
_CONFLICT = inline_serializer(
    "AdviceRevisionConflict",
    {
        "detail": serializers.CharField(),
        "latest": serializers.IntegerField(),
        "conflicts": serializers.DictField(
            child=serializers.DictField(child=serializers.CharField()),
            help_text="Per sectie: base, theirs, mine",
        ),
    },
)
_DIFF = inline_serializer(
    "AdviceRevisionDiff",
    {
        "from": serializers.IntegerField(allow_null=True),
        "to": serializers.IntegerField(),
        "sections": serializers.ListField(child=serializers.DictField()),
    },
)
_COMMENT_FIELDS = {
    "id": serializers.IntegerField(),
    "section": serializers.ChoiceField(choices=Section.choices),
    "kind": serializers.CharField(),
    "body": serializers.CharField(),
    "revision": serializers.IntegerField(),
    "author": serializers.CharField(),
    "created_at": serializers.DateTimeField(),
}
_COMMENT = inline_serializer("AdviceComment", _COMMENT_FIELDS)
_THREADS = inline_serializer(
    "AdviceCommentThread",
    {
        **_COMMENT_FIELDS,
        "resolved": serializers.BooleanField(),
        "replies": serializers.ListField(child=serializers.DictField()),
    },
    many=True,
)
_ASSIGNMENT_FIELDS = {
    "id": serializers.IntegerField(),
    "section": serializers.CharField(),
    "assignee": serializers.CharField(),
    "assignee_name": serializers.CharField(),
    "task": serializers.CharField(),
    "due": serializers.DateTimeField(allow_null=True),
    "done_at": serializers.DateTimeField(allow_null=True),
    "created_by": serializers.CharField(),
    "created_at": serializers.DateTimeField(),
}
_ASSIGNMENT = inline_serializer("AdviceAssignment", _ASSIGNMENT_FIELDS)
_ASSIGNMENT_LIST = _many(_ASSIGNMENT)
_DECISION = inline_serializer(
    "AdviceDecision",
    {
        "outcome": serializers.CharField(),
        "tally": serializers.DictField(),
        "minority_position": serializers.CharField(),
        "closed_by": serializers.CharField(),
        "closed_at": serializers.DateTimeField(),
    },
)
_ROUND_FIELDS = {
    "id": serializers.IntegerField(),
    "mode": serializers.ChoiceField(choices=DecisionMode.choices),
    "open": serializers.BooleanField(),
    "revision": serializers.IntegerField(),
    "quorum": serializers.FloatField(),
    "eligible": serializers.IntegerField(),
    "closes_at": serializers.DateTimeField(),
    "opened_at": serializers.DateTimeField(),
    "opened_by": serializers.CharField(),
    "statements": serializers.ListField(child=serializers.DictField()),
    "has_voted": serializers.BooleanField(),
    "votes_cast": serializers.IntegerField(),
    "tally": serializers.DictField(
        allow_null=True, help_text="Alleen voor wie de stemming sluit, zolang zij loopt"
    ),
    "votes": serializers.ListField(
        child=serializers.DictField(),
        allow_null=True,
        help_text="Na het sluiten; zolang de stemming loopt alleen voor wie haar sluit",
    ),
    "decision": serializers.DictField(allow_null=True),
}
_ROUND = inline_serializer("AdviceDecisionRound", _ROUND_FIELDS)
_ROUND_LIST = _many(_ROUND)
_VOTES = inline_serializer(
    "AdviceVotesCast",
    {"votes": serializers.IntegerField(), "counted": serializers.BooleanField()},
)
_SIGN_OFF = inline_serializer(
    "AdviceSignOff",
    {
        "revision": serializers.IntegerField(),
        "chair": serializers.CharField(),
        "at": serializers.DateTimeField(),
    },
)
_JOB = inline_serializer(
    "AdviceDispatchJob", {"job": serializers.CharField(), "status": serializers.CharField()}
)
_PUBLICATION = inline_serializer(
    "AdvicePublication",
    {
        "published_at": serializers.DateTimeField(),
        "url": serializers.CharField(),
        "evidence": serializers.CharField(allow_null=True),
        "public_url": serializers.CharField(),
    },
)
_REFLECTION_FIELDS = {
    "id": serializers.IntegerField(),
    "institution": serializers.CharField(),
    "body": serializers.CharField(),
    "submitted_at": serializers.DateTimeField(),
}
_REFLECTION = inline_serializer("AdviceReflection", _REFLECTION_FIELDS)
_REFLECTION_LIST = _many(_REFLECTION)
_STATUS_FIELDS = {
    "recommendation": serializers.IntegerField(),
    "status": serializers.ChoiceField(choices=AdoptionStatus.choices),
    "status_label": serializers.CharField(),
    "justification": serializers.CharField(),
}
_RESPONSE_FIELDS = {
    "id": serializers.IntegerField(),
    "date": serializers.DateField(),
    "title": serializers.CharField(),
    "url": serializers.CharField(),
    "summary": serializers.CharField(),
    "statuses": inline_serializer("AdviceRecommendationStatus", _STATUS_FIELDS, many=True),
}
_RESPONSE = inline_serializer("AdviceCabinetResponse", _RESPONSE_FIELDS)
_RESPONSE_LIST = _many(_RESPONSE)
_FOLLOW_UP_FIELDS = {
    "id": serializers.IntegerField(),
    "kind": serializers.ChoiceField(choices=FollowUpKind.choices),
    "title": serializers.CharField(),
    "reference": serializers.CharField(),
    "url": serializers.CharField(),
    "date": serializers.DateField(),
    "note": serializers.CharField(),
}
_FOLLOW_UP = inline_serializer("AdviceFollowUp", _FOLLOW_UP_FIELDS)
_FOLLOW_UP_LIST = _many(_FOLLOW_UP)
_RECOMMENDATIONS = inline_serializer(
    "AdviceRecommendation",
    {
        "number": serializers.IntegerField(),
        "text": serializers.CharField(),
        "statuses": serializers.ListField(child=serializers.DictField()),
    },
    many=True,
)
_PUBLIC_FIELDS = {
    "key": serializers.CharField(),
    "title": serializers.CharField(),
    "requester": serializers.ChoiceField(choices=Requester.choices),
    "kind": serializers.ChoiceField(choices=RequestKind.choices),
    "status": serializers.ChoiceField(choices=AdviceStatus.choices),
    "received_at": serializers.DateTimeField(),
    "deadline": serializers.DateTimeField(),
    "sent_at": serializers.DateTimeField(),
    "published_at": serializers.DateTimeField(),
    "url": serializers.CharField(),
    "is_synthetic": serializers.BooleanField(),
}
_PUBLIC_LIST = inline_serializer("PublishedAdviceSummary", _PUBLIC_FIELDS, many=True)
_PUBLIC = inline_serializer(
    "PublishedAdvice",
    {
        **_PUBLIC_FIELDS,
        "question": serializers.CharField(),
        "sections": serializers.ListField(child=serializers.DictField()),
        "recommendations": serializers.ListField(child=serializers.DictField()),
        "reflections": serializers.ListField(child=serializers.DictField()),
        "decision": serializers.DictField(
            allow_null=True, help_text="Uitkomst en minderheidsstandpunt; nooit de stemmen"
        ),
        "cabinet_responses": serializers.ListField(child=serializers.DictField()),
        "follow_ups": serializers.ListField(child=serializers.DictField()),
    },
)
_DETAIL_ERROR = inline_serializer("AdviceErrorDetail", {"detail": serializers.CharField()})
_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Foute invoer, per veld"),
    403: OpenApiResponse(_DETAIL_ERROR, description="Uw rol staat dit niet toe"),
    404: OpenApiResponse(_DETAIL_ERROR, description="Onbekend of niet zichtbaar"),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: _ERRORS[code] for code in codes}


_NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH)
_PK = OpenApiParameter("pk", int, OpenApiParameter.PATH)


# --- staff API -----------------------------------------------------------------------------------


class ReadOrAuthenticated(permissions.BasePermission):
    """Reads are open: the selectors decide what a reader sees (invisible is 404). Writes need
    a logged-in user; the role check of the action follows in the view and the service."""

    anonymous_read = True  # the OpenAPI document marks reads as open (``api.schema``)

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)


class AdviceRequestViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Advice requests (adviesaanvragen) and their process, as the caller may see them."""

    queryset = AdviceRequest.objects.none()  # rows come from the selectors
    permission_classes = [ReadOrAuthenticated]
    parser_classes = PARSERS
    lookup_field = "key"
    lookup_value_regex = KEY_REGEX
    serializer_class = RequestCreateSerializer
    pagination_class = None  # lists are short (per request) and returned whole

    # -- helpers --

    @property
    def user(self) -> Any:
        return self.request.user

    def _request(self, key: str | None) -> AdviceRequest:
        found = selectors.advice_get(user=self.user, key=key or "")
        if found is None:
            raise NotFound(_("Adviesaanvraag niet gevonden."))
        return found

    def _require(self, action_name: str) -> None:
        if not selectors.may(user=self.user, action=action_name):
            raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))

    def _drafts(self, key: str | None) -> AdviceRequest:
        """The request, for readers of drafts, dossier, votes and comments only."""
        request = self._request(key)
        self._require("view_drafts")
        return request

    # -- the request --

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AdviceStatus.values),
            OpenApiParameter("q", str, description="Zoek in de titel"),
        ],
        responses={200: _SUMMARY_LIST, **_errors(403)},
    )
    def list(self, request: Request) -> Response:
        """The requests the caller may see, newest first, with their deadline countdown.
        The register is for roles that follow advice requests (as the page); the public reads
        published advice at ``advice/published/``."""
        if not self.user.has_perm("advice.view_advicerequest"):
            raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
        wanted = request.query_params.get("status", "")
        rows = selectors.advice_list(
            user=self.user,
            status=wanted if wanted in AdviceStatus.values else "",
            query=request.query_params.get("q", "").replace("\x00", "")[:200],
        )
        return Response([_summary(row) for row in rows])

    @extend_schema(request=RequestCreateSerializer, responses={201: _DETAIL, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        """Register a request (status ``received``; urgent: deadline 48 hours after receipt)."""
        self._require("create")
        data = _parse(RequestCreateSerializer, request.data)
        packages = []
        for key in data["options"]:
            package = measure_selectors.package_get(user=self.user, key=key)
            if package is None:
                raise ValidationError({"options": [_("Onbekend pakket: %(k)s") % {"k": key}]})
            packages.append(package)
        assessment = None
        if data["assessment"]:
            try:
                assessment = assessment_selectors.assessment_get(
                    user=self.user, key=data["assessment"]
                )
            except (Http404, DjangoPermissionDenied):
                raise ValidationError(
                    {"assessment": [_("Onbekende afweging: %(k)s") % {"k": data["assessment"]}]}
                ) from None
        created = call_service(
            services.advice_request_create,
            data=services.RequestData(
                title=data["title"],
                question=data["question"],
                requester=data["requester"],
                requester_name=data["requester_name"],
                kind=data["kind"],
                received_at=data["received_at"],
                deadline=data["deadline"],
                options=packages,
                assessment=assessment,
                omt_reference=data["omt_reference"],
                omt_url=data["omt_url"],
                confidentiality=data["confidentiality"],
                key=data["key"],
                is_synthetic=data["is_synthetic"],
            ),
            actor=self.user,
        )
        return Response(_detail(created, self.user), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: _DETAIL, **_errors(404)})
    def retrieve(self, request: Request, key: str | None = None) -> Response:
        """The request: particulars, status and its history, the moves the caller may make,
        hours per phase and the input overview."""
        return Response(_detail(self._request(key), self.user))

    @extend_schema(request=TransitionSerializer, responses={200: _DETAIL, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, key: str | None = None) -> Response:
        """Move the request to another status (see ``moves`` in the request)."""
        advice = self._request(key)
        data = _parse(TransitionSerializer, request.data)
        call_service(
            services.advice_transition,
            request=advice,
            to=data["to"],
            actor=self.user,
            note=data["note"],
        )
        return Response(_detail(self._request(key), self.user))

    @extend_schema(responses={200: _TIMELINE, **_errors(404)})
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, key: str | None = None) -> Response:
        """Where the hours went: hours per phase until dispatch, and whether the deadline was
        met."""
        return Response(_timeline(self._request(key)))

    # -- requests for input --

    @extend_schema(methods=["GET"], responses={200: _INPUT_LIST, **_errors(403, 404)})
    @extend_schema(
        methods=["POST"],
        request=InputRequestCreateSerializer,
        responses={201: _INPUT_CREATED, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def inputs(self, request: Request, key: str | None = None) -> Response:
        """Requests for input (uitvraag). Creating one mails the recipient a secure link; the
        response carries its ``token`` once (for API clients), never again."""
        advice = self._request(key)
        self._require("manage")
        if request.method == "GET":
            return Response([_input_row(row) for row in selectors.input_requests(request=advice)])
        data = _parse(InputRequestCreateSerializer, request.data)
        recipient = None
        if data["recipient"]:
            recipient = user_get(username=data["recipient"])
            if recipient is None:
                raise ValidationError({"recipient": [_("Onbekende gebruiker.")]})
        row, token = call_service(
            services.input_request_create,
            request=advice,
            data=services.InputRequestData(
                recipient_kind=data["recipient_kind"],
                recipient_name=data["recipient_name"],
                recipient_email=data["recipient_email"],
                question=data["question"],
                deadline=data["deadline"],
                organisation=data["organisation"],
                recipient=recipient,
            ),
            actor=self.user,
        )
        return Response(
            {
                **_input_row(row),
                "token": token,
                "respond_url": reverse("advice-input-respond", kwargs={"token": token}),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, parameters=[_PK], responses={200: _INPUT, **_errors(403, 404)})
    @action(detail=True, methods=["post"], url_path=r"inputs/(?P<pk>[0-9]{1,9})/revoke")
    def input_revoke(
        self, request: Request, key: str | None = None, pk: str | None = None
    ) -> Response:
        """Revoke a request for input: its link stops working."""
        advice = self._request(key)
        self._require("manage")
        row = selectors.input_request_get(request=advice, pk=int(pk or 0))
        if row is None:
            raise NotFound(_("Uitvraag niet gevonden."))
        call_service(services.input_request_revoke, input_request=row, actor=self.user)
        fresh = selectors.input_request_get(request=advice, pk=row.pk)
        assert fresh is not None
        return Response(_input_row(fresh))

    # -- dossier and text --

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **_errors(403, 404)})
    @action(detail=True, methods=["get"])
    def dossier(self, request: Request, key: str | None = None) -> Response:
        """The dossier as the caller may see it; ``omt`` is null without a grant for this
        request (each read of it is logged)."""
        advice = self._drafts(key)
        built = advice_dossier.dossier_build(request=advice, user=self.user)
        if built.omt is not None:
            services.omt_read_log(briefing=selectors.omt_briefing(request=advice), user=self.user)
        return Response(_dossier_data(built))

    @extend_schema(methods=["GET"], responses={200: _REVISION_LIST, **_errors(403, 404)})
    @extend_schema(
        methods=["POST"],
        request=RevisionCreateSerializer,
        responses={
            200: OpenApiResponse(_REVISION, description="Niets veranderd: de nieuwste versie"),
            201: _REVISION,
            409: OpenApiResponse(_CONFLICT, description="Gelijktijdige wijziging"),
            **_errors(400, 403, 404),
        },
    )
    @action(detail=True, methods=["get", "post"])
    def revisions(self, request: Request, key: str | None = None) -> Response:
        """Versions of the advice text. Saving names ``base_number``, the version the editor
        started from: changes to other sections since are merged; a different change to the
        same section is a 409 with the conflicting texts, and nothing is saved."""
        advice = self._drafts(key)
        if request.method == "GET":
            return Response([_revision_row(r) for r in selectors.revisions(request=advice)])
        data = _parse(RevisionCreateSerializer, request.data)
        return self._save(advice, data["sections"], data["base_number"], data["note"])

    def _save(
        self, advice: AdviceRequest, sections: dict[str, Any], base: int | None, note: str
    ) -> Response:
        before = selectors.revision_latest(request=advice)
        try:
            revision = call_service(
                services.advice_revision_save,
                request=advice,
                sections=sections,
                base_number=base,
                actor=self.user,
                note=note,
            )
        except ValidationError as exc:
            conflict = exc.__cause__
            if isinstance(conflict, services.RevisionConflict):
                return Response(
                    {
                        "detail": " ".join(conflict.message_dict.get("sections", [])),
                        "latest": conflict.latest.number,
                        "conflicts": conflict.conflicts,
                    },
                    status=status.HTTP_409_CONFLICT,
                )
            raise
        created = before is None or revision.pk != before.pk
        return Response(
            _revision_row(revision, sections=True),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(parameters=[_NUMBER], responses={200: _REVISION, **_errors(403, 404)})
    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>[0-9]{1,9})")
    def revision(
        self, request: Request, key: str | None = None, number: str | None = None
    ) -> Response:
        """One version with its sections."""
        advice = self._drafts(key)
        found = selectors.revision_get(request=advice, number=int(number or 0))
        if found is None:
            raise NotFound(_("Versie niet gevonden."))
        return Response(_revision_row(found, sections=True))

    @extend_schema(
        request=SkeletonSerializer,
        responses={
            201: _REVISION,
            409: OpenApiResponse(_CONFLICT, description="Gelijktijdige wijziging"),
            **_errors(400, 403, 404),
        },
    )
    @action(detail=True, methods=["post"], url_path="revisions/skeleton")
    def skeleton(self, request: Request, key: str | None = None) -> Response:
        """Save a new version with the skeleton built from the dossier: its facts with
        references under the section headings (no prose). Earlier versions stay."""
        advice = self._drafts(key)
        self._require("edit_text")
        data = _parse(SkeletonSerializer, request.data)
        latest = selectors.revision_latest(request=advice)
        return self._save(
            advice,
            advice_dossier.skeleton_for(request=advice, user=self.user),
            latest.number if latest else None,
            data["note"] or _("Opzet uit het dossier"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, description="Oude versie (standaard: de vorige)"),
            OpenApiParameter("to", int, description="Nieuwe versie (standaard: de nieuwste)"),
        ],
        responses={200: _DIFF, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get"], url_path="revisions/diff")
    def diff(self, request: Request, key: str | None = None) -> Response:
        """A readable word diff per section between two versions."""
        advice = self._drafts(key)
        numbers: dict[str, int | None] = {}
        for name in ("from", "to"):
            raw = request.query_params.get(name, "")
            if raw and not (raw.isdigit() and len(raw) <= 9):
                raise ValidationError({name: [_("Geef een versienummer.")]})
            numbers[name] = int(raw) if raw else None
        if numbers["to"] is None:
            new = selectors.revision_latest(request=advice)
        else:
            new = selectors.revision_get(request=advice, number=numbers["to"])
        if new is None:
            raise NotFound(_("Versie niet gevonden."))
        old_number = numbers["from"] if numbers["from"] is not None else new.number - 1
        old = selectors.revision_get(request=advice, number=old_number) if old_number else None
        if numbers["from"] and old is None:
            raise NotFound(_("Versie niet gevonden."))
        rows = selectors.revision_diff(old=old, new=new)
        return Response(
            {
                "from": old.number if old else None,
                "to": new.number,
                "sections": [
                    {
                        "key": row["key"],
                        "label": str(row["label"]),
                        "changed": row["changed"],
                        "ops": [{"op": op, "text": text} for op, text in row["ops"]],
                    }
                    for row in rows
                ],
            }
        )

    # -- comments and assignments --

    @extend_schema(methods=["GET"], responses={200: _THREADS, **_errors(403, 404)})
    @extend_schema(
        methods=["POST"],
        request=CommentCreateSerializer,
        responses={201: _COMMENT, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, key: str | None = None) -> Response:
        """Comment threads per section. Reply with ``thread``; close a thread with
        ``resolve: true`` (a closing comment; nothing is edited)."""
        advice = self._drafts(key)
        if request.method == "GET":
            return Response(
                [
                    {
                        **_comment_row(entry["comment"]),
                        "resolved": entry["resolved"],
                        "replies": [_comment_row(reply) for reply in entry["replies"]],
                    }
                    for entry in selectors.comment_threads(request=advice)
                ]
            )
        data = _parse(CommentCreateSerializer, request.data)
        thread = None
        if data["thread"] is not None:
            thread = selectors.comment_thread_get(request=advice, pk=data["thread"])
            if thread is None:
                raise ValidationError({"thread": [_("Onbekende draad.")]})
        comment = call_service(
            services.comment_add,
            request=advice,
            actor=self.user,
            section=data["section"] or (thread.section if thread else ""),
            body=data["body"],
            thread=thread,
            resolve=data["resolve"],
        )
        return Response(_comment_row(comment), status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: _ASSIGNMENT_LIST, **_errors(403, 404)})
    @extend_schema(
        methods=["POST"],
        request=AssignmentCreateSerializer,
        responses={201: _ASSIGNMENT, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def assignments(self, request: Request, key: str | None = None) -> Response:
        """Tasks on the advice text (e.g. a section to write), with who and by when."""
        advice = self._drafts(key)
        if request.method == "GET":
            return Response([_assignment_row(a) for a in selectors.assignments(request=advice)])
        data = _parse(AssignmentCreateSerializer, request.data)
        assignee = user_get(username=data["assignee"])
        if assignee is None:
            raise ValidationError({"assignee": [_("Onbekende gebruiker.")]})
        assignment = call_service(
            services.assignment_create,
            request=advice,
            actor=self.user,
            assignee=assignee,
            task=data["task"],
            section=data["section"],
            due=data["due"],
        )
        return Response(_assignment_row(assignment), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, parameters=[_PK], responses={200: _ASSIGNMENT, **_errors(403, 404)}
    )
    @action(detail=True, methods=["post"], url_path=r"assignments/(?P<pk>[0-9]{1,9})/done")
    def assignment_done(
        self, request: Request, key: str | None = None, pk: str | None = None
    ) -> Response:
        """Mark a task done (its assignee, or the secretariat)."""
        advice = self._drafts(key)
        assignment = selectors.assignment_get(request=advice, pk=int(pk or 0))
        if assignment is None:
            raise NotFound(_("Taak niet gevonden."))
        done = call_service(services.assignment_done, assignment=assignment, actor=self.user)
        return Response(_assignment_row(done))

    # -- decision --

    @extend_schema(methods=["GET"], responses={200: _ROUND_LIST, **_errors(403, 404)})
    @extend_schema(
        methods=["POST"],
        request=RoundOpenSerializer,
        responses={201: _ROUND, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def rounds(self, request: Request, key: str | None = None) -> Response:
        """Decision rounds on the latest version. Opening one (the secretariat) moves the
        request to ``decision``; a rapid round needs the pre-filled ``statements``."""
        advice = self._drafts(key)
        if request.method == "GET":
            return Response(
                [_round_row(r, self.user) for r in selectors.decision_rounds(request=advice)]
            )
        data = _parse(RoundOpenSerializer, request.data)
        round_ = call_service(
            services.decision_round_open,
            request=advice,
            actor=self.user,
            mode=data["mode"],
            closes_at=data["closes_at"],
            statements=data["statements"],
            quorum=data["quorum"],
        )
        return Response(_round_row(round_, self.user), status=status.HTTP_201_CREATED)

    def _latest_round(self, advice: AdviceRequest) -> DecisionRound:
        round_ = selectors.round_open(request=advice) or selectors.round_latest(request=advice)
        if round_ is None:
            raise NotFound(_("Er is nog geen stemming."))
        return round_

    def _open_round(self, advice: AdviceRequest) -> DecisionRound:
        round_ = selectors.round_open(request=advice)
        if round_ is None:
            raise ValidationError({"round": [_("Er loopt geen stemming.")]})
        return round_

    @extend_schema(responses={200: _ROUND, **_errors(403, 404)})
    @action(detail=True, methods=["get"], url_path="rounds/current")
    def round_current(self, request: Request, key: str | None = None) -> Response:
        """The open round, or else the last one. The count as it stands only for those who
        close the vote; the ballots once it is closed."""
        advice = self._drafts(key)
        return Response(_round_row(self._latest_round(advice), self.user))

    @extend_schema(request=VoteSerializer, responses={201: _VOTES, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="rounds/current/vote")
    def vote(self, request: Request, key: str | None = None) -> Response:
        """Vote (chair and members) or give a position (expert members; shown, never
        counted). One answer, or one per ``statement`` (its order number) in a rapid round.
        A vote is final."""
        advice = self._drafts(key)
        round_ = self._open_round(advice)
        data = _parse(VoteSerializer, request.data)
        statements = {s.order: s for s in selectors.round_statements(round_=round_)}
        answers = []
        for index, answer in enumerate(data["answers"]):
            statement = None
            if answer["statement"] is not None:
                statement = statements.get(answer["statement"])
                if statement is None:
                    raise ValidationError({f"answers.{index}.statement": [_("Onbekend oordeel.")]})
            answers.append(
                services.Answer(
                    choice=answer["choice"], reason=answer["reason"], statement=statement
                )
            )
        votes = call_service(services.vote_cast, round_=round_, voter=self.user, answers=answers)
        return Response(
            {"votes": len(votes), "counted": bool(votes and votes[0].counted)},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=RoundCloseSerializer, responses={201: _DECISION, **_errors(400, 403, 404)}
    )
    @action(detail=True, methods=["post"], url_path="rounds/current/close")
    def round_close(self, request: Request, key: str | None = None) -> Response:
        """Close the vote: the outcome as counted (consensus, majority — which needs the
        minority position —, rejected, no quorum)."""
        advice = self._drafts(key)
        self._require("close_vote")
        round_ = self._open_round(advice)
        data = _parse(RoundCloseSerializer, request.data)
        decision = call_service(
            services.decision_round_close,
            round_=round_,
            actor=self.user,
            minority_position=data["minority_position"],
        )
        return Response(_decision_row(decision), status=status.HTTP_201_CREATED)

    # -- sign-off, dispatch, publication --

    @extend_schema(request=None, responses={201: _SIGN_OFF, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, key: str | None = None) -> Response:
        """The chair signs the adopted version (after the chairs' alignment)."""
        advice = self._request(key)
        signed = call_service(services.advice_sign_off, request=advice, actor=self.user)
        return Response(
            {
                "revision": signed.revision.number,
                "chair": _person(signed.chair),
                "at": _iso(signed.at),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DispatchSerializer, responses={202: _JOB, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="dispatch")
    def send(self, request: Request, key: str | None = None) -> Response:
        """Send the signed advice to the Secretary-General (PDF and DOCX with metadata) as a
        background job (202): follow ``status`` (the job in ``/api/v1/jobs/``). The advice is
        then under embargo until it is published."""
        from paraat.advice import tasks

        advice = self._request(key)
        self._require("sign_off")
        data = _parse(DispatchSerializer, request.data)
        job = call_service(
            tasks.dispatch_start,
            request=advice,
            actor=self.user,
            recipient=data["recipient"],
            embargo_until=data["embargo_until"],
            embargo_note=data["embargo_note"],
        )
        return Response(
            {"job": str(job.pk), "status": reverse("job-detail", args=[job.pk])},
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        request=PublishSerializer, responses={201: _PUBLICATION, **_errors(400, 403, 404)}
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, key: str | None = None) -> Response:
        """Lift the embargo: the advice becomes public (``/api/v1/advice/published/``)."""
        advice = self._request(key)
        data = _parse(PublishSerializer, request.data)
        publication = call_service(
            services.advice_publish, request=advice, actor=self.user, url=data["url"]
        )
        return Response(
            {
                "published_at": _iso(publication.published_at),
                "url": publication.url,
                "evidence": publication.evidence.ref if publication.evidence else None,
                "public_url": reverse("advice-published-detail", kwargs={"key": advice.key}),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(methods=["GET"], responses={200: _REFLECTION_LIST, **_errors(403, 404)})
    @extend_schema(
        methods=["POST"],
        request=ReflectionCreateSerializer,
        responses={201: _REFLECTION, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def reflections(self, request: Request, key: str | None = None) -> Response:
        """Expert members' reflections, published beside the advice."""
        advice = self._request(key)
        if request.method == "GET":
            self._require("view_drafts")
            return Response([_reflection_row(r) for r in selectors.reflections(request=advice)])
        data = _parse(ReflectionCreateSerializer, request.data)
        reflection = call_service(
            services.reflection_add,
            request=advice,
            actor=self.user,
            body=data["body"],
            institution=data["institution"],
        )
        return Response(_reflection_row(reflection), status=status.HTTP_201_CREATED)

    # -- cabinet response and follow-up --

    @extend_schema(methods=["GET"], responses={200: _RESPONSE_LIST, **_errors(404)})
    @extend_schema(
        methods=["POST"],
        request=CabinetResponseCreateSerializer,
        responses={201: _RESPONSE, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], url_path="cabinet-responses")
    def cabinet_responses(self, request: Request, key: str | None = None) -> Response:
        """The cabinet's responses with a status per recommendation (not named: no
        response); not adopted and partly adopted need the justification."""
        advice = self._request(key)
        if request.method == "GET":
            return Response(
                [
                    _cabinet_response_row(entry["response"], entry["statuses"])
                    for entry in selectors.cabinet_responses(request=advice)
                ]
            )
        data = _parse(CabinetResponseCreateSerializer, request.data)
        response = call_service(
            services.cabinet_response_record,
            request=advice,
            actor=self.user,
            data=services.CabinetResponseData(
                date=data["date"],
                title=data["title"],
                url=data["url"],
                summary=data["summary"],
                statuses={
                    row["recommendation"]: (row["status"], row["justification"])
                    for row in data.get("statuses") or []
                },
            ),
        )
        return Response(
            _cabinet_response_row(response, selectors.recommendation_statuses(response=response)),
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(methods=["GET"], responses={200: _FOLLOW_UP_LIST, **_errors(404)})
    @extend_schema(
        methods=["POST"],
        request=FollowUpCreateSerializer,
        responses={201: _FOLLOW_UP, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], url_path="follow-ups")
    def follow_ups(self, request: Request, key: str | None = None) -> Response:
        """Follow-up of the advice (parliamentary questions, motions, debates)."""
        advice = self._request(key)
        if request.method == "GET":
            return Response([_follow_up_row(f) for f in selectors.follow_ups(request=advice)])
        data = _parse(FollowUpCreateSerializer, request.data)
        item = call_service(
            services.follow_up_add,
            request=advice,
            actor=self.user,
            kind=data["kind"],
            title=data["title"],
            date=data["date"],
            reference=data["reference"],
            url=data["url"],
            note=data["note"],
        )
        return Response(_follow_up_row(item), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: _RECOMMENDATIONS, **_errors(404)})
    @action(detail=True, methods=["get"])
    def recommendations(self, request: Request, key: str | None = None) -> Response:
        """The numbered recommendations of the sent advice with the cabinet's statuses."""
        advice = self._request(key)
        return Response(
            [
                {
                    "number": entry["recommendation"].number,
                    "text": entry["recommendation"].text,
                    "statuses": [
                        {
                            "response": row.response.title,
                            "date": _iso(row.response.date),
                            "status": row.status,
                            "justification": row.justification,
                        }
                        for row in entry["statuses"]
                    ],
                }
                for entry in selectors.recommendation_history(request=advice)
            ]
        )


# --- answering a request for input (no account) --------------------------------------------------


def _input_by_token(token: str) -> InputRequest:
    row = services.input_request_by_token(token)
    if row is None:
        raise NotFound(_("Deze link is niet (meer) geldig."))
    return row


class AdviceInputRespondView(APIView):
    """Answer a request for input with the secret token from its link (no account needed).
    An unknown, revoked or already used token, or a closed request, is a 404."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []  # the token is the credential (no CSRF, no session)
    parser_classes = PARSERS

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """The token is in the address: keep the answer out of caches, referrers, indexes."""
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    @extend_schema(responses={200: _INPUT_FORM, **_errors(404)})
    def get(self, request: Request, token: str) -> Response:
        """The question to answer, its deadline and for whom."""
        row = _input_by_token(token)
        return Response(
            {
                "title": None if selectors.confidential(row.request) else row.request.title,
                "recipient_name": row.recipient_name,
                "recipient_kind": row.recipient_kind,
                "organisation": row.organisation,
                "question": row.question,
                "deadline": _iso(row.deadline),
            }
        )

    @extend_schema(
        request=InputResponseSerializer, responses={201: _INPUT_RECEIVED, **_errors(400, 404)}
    )
    def post(self, request: Request, token: str) -> Response:
        """The structured answer. It lands in the knowledge library as an evidence item with
        its provenance and declared interests; the link then stops working."""
        row = _input_by_token(token)
        data = _parse(InputResponseSerializer, request.data)
        keys = list(dict.fromkeys(data["groups"]))
        groups = selectors.population_groups(keys=keys)
        missing = sorted(set(keys) - {group.key for group in groups})
        if missing:
            raise ValidationError(
                {"groups": [_("Onbekende groep: %(k)s") % {"k": ", ".join(missing)}]}
            )
        response = call_service(
            services.input_response_submit,
            input_request=row,
            data=services.ResponseData(
                signal=data["signal"],
                severity=data["severity"],
                interests_status=data["interests_status"],
                groups=groups,
                direction=data["direction"],
                source=data["source"],
                declared_interests=data["declared_interests"],
            ),
        )
        return Response(
            {
                "detail": _("Dank u wel. Uw reactie is ontvangen."),
                "submitted_at": _iso(response.submitted_at),
            },
            status=status.HTTP_201_CREATED,
        )


# --- public --------------------------------------------------------------------------------------


def _public_summary(advice: AdviceRequest) -> dict[str, Any]:
    dispatch = getattr(advice, "dispatch", None)
    publication = advice.publication
    return {
        "key": advice.key,
        "title": advice.title,
        "requester": advice.requester,
        "kind": advice.kind,
        "status": workflow.status_of(advice),
        "received_at": _iso(advice.received_at),
        "deadline": _iso(advice.deadline),
        "sent_at": _iso(dispatch.sent_at) if dispatch else None,
        "published_at": _iso(publication.published_at),
        "url": publication.url,
        "is_synthetic": advice.is_synthetic,
    }


class PublishedAdviceViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Published advice (after the embargo), open to everyone: the text as sent, the
    recommendations with the cabinet's response, the expert members' reflections, and the
    outcome of the decision with the minority position. Never ballots, drafts, the dossier or
    OMT information."""

    queryset = AdviceRequest.objects.none()
    permission_classes = [permissions.AllowAny]
    lookup_field = "key"
    lookup_value_regex = KEY_REGEX
    serializer_class = None
    pagination_class = None

    @extend_schema(responses=_PUBLIC_LIST)
    def list(self, request: Request) -> Response:
        return Response([_public_summary(advice) for advice in selectors.public_list()])

    @extend_schema(responses={200: _PUBLIC, **_errors(404)})
    def retrieve(self, request: Request, key: str | None = None) -> Response:
        advice = selectors.public_get(key=key or "")
        if advice is None:
            raise NotFound(_("Gepubliceerd advies niet gevonden."))
        view = selectors.public_view(request=advice)
        latest: dict[int, Any] = {}
        for entry in view["responses"]:
            for row in entry["statuses"]:
                latest[row.recommendation.number] = row
        decision = view["decision"]
        return Response(
            {
                **_public_summary(advice),
                "question": advice.question,
                "sections": [
                    {"key": s["key"], "label": str(s["label"]), "text": s["text"]}
                    for s in view["sections"]
                ],
                "recommendations": [
                    {
                        "number": rec.number,
                        "text": rec.text,
                        "status": latest[rec.number].status if rec.number in latest else None,
                        "justification": latest[rec.number].justification
                        if rec.number in latest
                        else "",
                    }
                    for rec in view["recommendations"]
                ],
                "reflections": [
                    {
                        "institution": r.institution,
                        "body": r.body,
                        "submitted_at": _iso(r.submitted_at),
                    }
                    for r in view["reflections"]
                ],
                "decision": None
                if decision is None
                else {
                    "outcome": decision.outcome,
                    "minority_position": decision.minority_position,
                    "closed_at": _iso(decision.closed_at),
                },
                "cabinet_responses": [
                    {
                        "date": _iso(entry["response"].date),
                        "title": entry["response"].title,
                        "url": entry["response"].url,
                        "summary": entry["response"].summary,
                        "statuses": [
                            {
                                "recommendation": row.recommendation.number,
                                "status": row.status,
                                "justification": row.justification,
                            }
                            for row in entry["statuses"]
                        ],
                    }
                    for entry in view["responses"]
                ],
                "follow_ups": [
                    {
                        "kind": item.kind,
                        "title": item.title,
                        "reference": item.reference,
                        "url": item.url,
                        "date": _iso(item.date),
                    }
                    for item in view["follow_ups"]
                ],
            }
        )
