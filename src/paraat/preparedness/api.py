"""API of paraat.preparedness under ``/api/v1/preparedness/``.

``ROUTES`` are registered on the v1 router (prefix, viewset, basename); ``URLS`` are extra paths.
The rules are those of the pages (``permissions.py``): reading the mode, meetings (within the
confidentiality rules: an invisible meeting is a 404), the playbook and its actions needs the
view permission (403 otherwise); every write needs the manage permission. Bad input is a 400
naming the field. Documents, the yearly report and the evaluation export are background jobs:
202 with the job (follow it in ``/api/v1/jobs/``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from paraat.accounts.models import Confidentiality, User
from paraat.api.exceptions import call_service
from paraat.api.parsers import SafeJSONParser
from paraat.measures.models import ScenarioLevel
from paraat.network import selectors as network_selectors
from paraat.preparedness import permissions as perms
from paraat.preparedness import selectors, services, tasks
from paraat.preparedness.models import (
    AttendanceRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Mode,
    PlaybookAction,
    PlaybookActionStatus,
    PlaybookSection,
    Presence,
)

PARSERS = [SafeJSONParser, FormParser, MultiPartParser]
INT_MAX = 2**31 - 1


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).isoformat()
    return moment.isoformat()


def _require(request: Request, perm: str) -> User:
    user = request.user
    if not selectors.may(user=user, perm=perm):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
    assert isinstance(user, User)
    return user


def _parse(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class MomentField(serializers.DateTimeField):
    """DRF's DateTimeField, but a moment that cannot be moved into the time zone (e.g.
    ``0001-01-01`` or ``9999-12-31T23:59-14:00``) is a 400 naming the field, not an
    ``OverflowError`` (a 500)."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        try:
            return super().to_internal_value(value)  # type: ignore[no-any-return]
        except (OverflowError, ValueError):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|-HH:MM|Z]")
            raise  # unreachable: fail() raises


def _moment(value: dt.datetime) -> None:
    if not services.YEARS[0] <= value.year <= services.YEARS[1]:
        raise serializers.ValidationError(_("Geef een moment tussen 1990 en 2200."))


def _day(value: dt.date) -> None:
    if not services.YEARS[0] <= value.year <= services.YEARS[1]:
        raise serializers.ValidationError(_("Geef een datum tussen 1990 en 2200."))


_DETAIL = inline_serializer("PreparednessErrorDetail", {"detail": serializers.CharField()})
_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Foute invoer, per veld"),
    403: OpenApiResponse(_DETAIL, description="Uw rol staat dit niet toe"),
    404: OpenApiResponse(_DETAIL, description="Onbekend of niet zichtbaar"),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: _ERRORS[code] for code in codes}


_JOB = inline_serializer(
    "PreparednessJob", {"job": serializers.CharField(), "status": serializers.CharField()}
)


def _job_response(job: Any) -> Response:
    return Response(
        {"job": str(job.pk), "status": reverse("job-detail", args=[job.pk])},
        status=status.HTTP_202_ACCEPTED,
    )


# --- mode --------------------------------------------------------------------------------------


class ModeChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    mode = serializers.ChoiceField(choices=Mode.choices)
    scenario_level = serializers.ChoiceField(
        choices=[("", ""), *ScenarioLevel.choices], required=False, default=""
    )
    reason = serializers.CharField(max_length=4000)
    at = MomentField(required=False, allow_null=True, default=None, validators=[_moment])


def _change(row: Any) -> dict[str, Any]:
    return {
        "mode": row.mode,
        "scenario_level": row.scenario_level,
        "reason": row.reason,
        "at": _iso(row.at),
        "actor": str(row.actor) if row.actor else None,
        "is_synthetic": row.is_synthetic,
    }


_MODE = inline_serializer(
    "PreparednessMode",
    {
        "mode": serializers.CharField(),
        "scenario_level": serializers.CharField(),
        "since": serializers.DateTimeField(allow_null=True),
        "reason": serializers.CharField(),
        "cadence": serializers.DictField(allow_null=True),
        "history": serializers.ListField(child=serializers.DictField()),
    },
)
_CHANGE = inline_serializer(
    "PreparednessModeChange",
    {
        "mode": serializers.CharField(),
        "scenario_level": serializers.CharField(),
        "reason": serializers.CharField(),
        "at": serializers.DateTimeField(),
        "actor": serializers.CharField(allow_null=True),
        "is_synthetic": serializers.BooleanField(),
    },
)


class ModeView(APIView):
    """The current mode and scenario level with the cadence and the history (GET); a change
    (POST, CPO/secretariat), appended to the history."""

    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS

    @extend_schema(responses={200: _MODE, **_errors(403)}, operation_id="preparedness_mode_get")
    def get(self, request: Request) -> Response:
        _require(request, perms.VIEW_MODE)
        state = selectors.current_mode()
        cadence = selectors.cadence_now()
        return Response(
            {
                "mode": state.mode,
                "scenario_level": state.scenario_level,
                "since": _iso(state.since),
                "reason": state.reason,
                "cadence": None
                if cadence is None
                else {
                    "key": cadence.key,
                    "interval": cadence.interval.label(),
                    "last_held": _iso(cadence.last_held),
                    "next_due": _iso(cadence.next_due),
                    "overdue": cadence.overdue,
                    "days_overdue": cadence.days_overdue,
                },
                "history": [_change(row) for row in selectors.mode_history()],
            }
        )

    @extend_schema(
        request=ModeChangeSerializer,
        responses={201: _CHANGE, **_errors(400, 403)},
        operation_id="preparedness_mode_set",
    )
    def post(self, request: Request) -> Response:
        user = _require(request, perms.SET_MODE)
        data = _parse(ModeChangeSerializer, request.data)
        row = call_service(
            services.mode_set,
            mode=data["mode"],
            scenario_level=data["scenario_level"],
            reason=data["reason"],
            at=data["at"],
            actor=user,
        )
        return Response(_change(row), status=status.HTTP_201_CREATED)


# --- meetings ----------------------------------------------------------------------------------


class MeetingInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    starts_at = MomentField(validators=[_moment])
    ends_at = MomentField(required=False, allow_null=True, default=None, validators=[_moment])
    location = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, required=False, default=Confidentiality.INTERNAL
    )
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=2000), required=False, default=list, max_length=100
    )


class MeetingOutSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    location = serializers.CharField()
    confidentiality = serializers.CharField()
    is_synthetic = serializers.BooleanField()
    attendance = serializers.DictField(child=serializers.IntegerField())
    agenda = serializers.ListField(child=serializers.DictField(), required=False)
    documents = serializers.ListField(child=serializers.DictField(), required=False)
    minutes = serializers.DictField(allow_null=True, required=False)
    people = serializers.ListField(child=serializers.DictField(), required=False)


def _meeting(meeting: Meeting, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": meeting.pk,
        "title": meeting.title,
        "kind": meeting.kind,
        "status": meeting.status,
        "starts_at": _iso(meeting.starts_at),
        "ends_at": _iso(meeting.ends_at),
        "location": meeting.location,
        "confidentiality": meeting.confidentiality,
        "is_synthetic": meeting.is_synthetic,
        "attendance": selectors.attendance_counts(meeting=meeting),
    }
    if detail:
        minutes = selectors.minutes_latest(meeting=meeting)
        approval = selectors.minutes_approval(meeting=meeting)
        out["agenda"] = [
            {"order": a.order, "title": a.title, "description": a.description}
            for a in selectors.agenda(meeting=meeting)
        ]
        out["documents"] = [
            {
                "id": d.pk,
                "title": d.title,
                "format": d.file_format,
                "size": d.size,
                "sha256": d.sha256,
                "url": reverse("preparedness:document", kwargs={"pk": meeting.pk, "doc": d.pk}),
            }
            for d in selectors.documents(meeting=meeting)
        ]
        out["minutes"] = (
            None
            if minutes is None
            else {
                "version": minutes.number,
                "text": minutes.text,
                "created_at": _iso(minutes.created_at),
                "approved_on": _iso(approval.approved_on) if approval else None,
            }
        )
        out["people"] = [
            {
                "id": a.pk,
                "person": a.person_id,
                "name": a.person.name,
                "role": a.role,
                "presence": a.presence,
            }
            for a in selectors.attendance(meeting=meeting)
        ]
    return out


class AttendanceInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    person = serializers.IntegerField(min_value=1, max_value=INT_MAX)
    presence = serializers.ChoiceField(choices=Presence.choices)
    role = serializers.ChoiceField(choices=AttendanceRole.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MinutesInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField(max_length=services.TEXT_MAX)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    base_number = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=INT_MAX
    )


class ApproveInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    approved_on = serializers.DateField(validators=[_day])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StatusInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=MeetingStatus.choices)


class DocumentInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    file = serializers.FileField()


class PlanInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    until = serializers.DateField(required=False, allow_null=True, default=None, validators=[_day])
    location = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MeetingViewSet(viewsets.ViewSet):
    """Meetings: agenda, documents, minutes, attendance. Reading needs the meeting view
    permission and the confidentiality level; writing the manage permission."""

    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS
    lookup_value_regex = "[0-9]+"

    def _get(self, request: Request, pk: Any) -> Meeting:
        _require(request, perms.VIEW_MEETINGS)
        meeting = selectors.meeting_get(user=request.user, pk=int(pk))
        if meeting is None:
            raise NotFound
        return meeting

    @extend_schema(responses={200: MeetingOutSerializer(many=True), **_errors(403)})
    def list(self, request: Request) -> Response:
        _require(request, perms.VIEW_MEETINGS)
        year = request.query_params.get("year", "")
        rows = selectors.meeting_list(
            user=request.user,
            year=int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None,
        )
        return Response([_meeting(m) for m in rows])

    @extend_schema(responses={200: MeetingOutSerializer, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(_meeting(self._get(request, pk), detail=True))

    @extend_schema(
        request=MeetingInSerializer, responses={201: MeetingOutSerializer, **_errors(400, 403)}
    )
    def create(self, request: Request) -> Response:
        user = _require(request, perms.MANAGE_MEETINGS)
        data = _parse(MeetingInSerializer, request.data)
        meeting = call_service(
            services.meeting_create, data=services.MeetingData(**data), actor=user
        )
        return Response(_meeting(meeting, detail=True), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlanInSerializer,
        responses={201: MeetingOutSerializer(many=True), **_errors(400, 403)},
    )
    @action(detail=False, methods=["post"])
    def plan(self, request: Request) -> Response:
        """Plan meetings from the cadence rule up to ``until``."""
        user = _require(request, perms.MANAGE_MEETINGS)
        data = _parse(PlanInSerializer, request.data)
        rows = call_service(
            services.meetings_plan, actor=user, until=data["until"], location=data["location"]
        )
        return Response([_meeting(m) for m in rows], status=status.HTTP_201_CREATED)

    @extend_schema(
        request=StatusInSerializer, responses={200: MeetingOutSerializer, **_errors(400, 403, 404)}
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(request, pk)
        user = _require(request, perms.MANAGE_MEETINGS)
        data = _parse(StatusInSerializer, request.data)
        call_service(
            services.meeting_status_set, meeting=meeting, status=data["status"], actor=user
        )
        return Response(_meeting(meeting, detail=True))

    @extend_schema(
        request=AttendanceInSerializer,
        responses={200: MeetingOutSerializer, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(request, pk)
        user = _require(request, perms.MANAGE_MEETINGS)
        data = _parse(AttendanceInSerializer, request.data)
        person = network_selectors.person_get(user=user, pk=data["person"])
        if person is None:
            return Response(
                {"person": [_("Onbekende persoon.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        call_service(
            services.attendance_record,
            meeting=meeting,
            person=person,
            presence=data["presence"],
            role=data["role"],
            note=data["note"],
            actor=user,
        )
        return Response(_meeting(meeting, detail=True))

    @extend_schema(
        request=MinutesInSerializer, responses={201: MeetingOutSerializer, **_errors(400, 403, 404)}
    )
    @action(detail=True, methods=["post"])
    def minutes(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(request, pk)
        user = _require(request, perms.MANAGE_MEETINGS)
        data = _parse(MinutesInSerializer, request.data)
        call_service(services.minutes_save, meeting=meeting, actor=user, **data)
        return Response(_meeting(meeting, detail=True), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ApproveInSerializer, responses={201: MeetingOutSerializer, **_errors(400, 403, 404)}
    )
    @action(detail=True, methods=["post"], url_path="minutes/approve")
    def minutes_approve(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(request, pk)
        user = _require(request, perms.MANAGE_MEETINGS)
        data = _parse(ApproveInSerializer, request.data)
        latest = selectors.minutes_latest(meeting=meeting)
        if latest is None:
            return Response(
                {"minutes": [_("Er is nog geen verslag.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        call_service(services.minutes_approve, minutes=latest, actor=user, **data)
        return Response(_meeting(meeting, detail=True), status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": DocumentInSerializer},
        responses={201: MeetingOutSerializer, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(request, pk)
        user = _require(request, perms.MANAGE_MEETINGS)
        data = _parse(DocumentInSerializer, request.data)
        upload = data["file"]
        content = upload.read(services.document_max_bytes() + 1)
        call_service(
            services.meeting_document_add,
            meeting=meeting,
            title=data["title"],
            content=content,
            file_name=upload.name or "",
            actor=user,
        )
        return Response(_meeting(meeting, detail=True), status=status.HTTP_201_CREATED)


# --- playbook ----------------------------------------------------------------------------------


class SectionOutSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    element = serializers.CharField()
    title = serializers.CharField()
    owner = serializers.DictField(allow_null=True)
    review_due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    version = serializers.IntegerField()
    text = serializers.CharField()
    help = serializers.CharField()
    is_synthetic = serializers.BooleanField()


def _section(section: PlaybookSection) -> dict[str, Any]:
    latest = selectors.section_latest(section=section)
    return {
        "id": section.pk,
        "element": section.element,
        "title": section.title,
        "owner": None
        if section.owner is None
        else {"id": section.owner_id, "name": section.owner.name},
        "review_due_on": _iso(section.review_due_on),
        "overdue": selectors.is_overdue(section),
        "version": latest.number if latest else 0,
        "text": latest.text if latest else "",
        "help": str(selectors.ELEMENT_HELP.get(section.element, "")),
        "is_synthetic": section.is_synthetic,
    }


class VersionInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField(
        max_length=services.TEXT_MAX, allow_blank=True, trim_whitespace=False
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    base_number = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=INT_MAX
    )
    review_due_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[_day]
    )


_VERSION_FIELDS = {
    "number": serializers.IntegerField(),
    "text": serializers.CharField(),
    "note": serializers.CharField(),
    "author": serializers.CharField(allow_null=True),
    "created_at": serializers.DateTimeField(),
    "diff": serializers.ListField(child=serializers.ListField(child=serializers.CharField())),
}
_VERSION = inline_serializer("PreparednessSectionVersion", _VERSION_FIELDS)
_VERSIONS = inline_serializer("PreparednessSectionVersionList", _VERSION_FIELDS, many=True)


def _version(version: Any, previous: Any) -> dict[str, Any]:
    return {
        "number": version.number,
        "text": version.text,
        "note": version.note,
        "author": str(version.author) if version.author else None,
        "created_at": _iso(version.created_at),
        "diff": [list(op) for op in selectors.section_diff(old=previous, new=version)],
    }


class PlaybookSectionViewSet(viewsets.ViewSet):
    """The playbook's sections with their latest text, owner and review date; their versions
    with a word diff to the previous one; a new version (manage permission)."""

    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS
    lookup_value_regex = "[0-9]+"

    def _get(self, request: Request, pk: Any) -> PlaybookSection:
        _require(request, perms.VIEW_PLAYBOOK)
        section = selectors.section_get(pk=int(pk))
        if section is None:
            raise NotFound
        return section

    @extend_schema(responses={200: SectionOutSerializer(many=True), **_errors(403)})
    def list(self, request: Request) -> Response:
        _require(request, perms.VIEW_PLAYBOOK)
        return Response([_section(s) for s in selectors.section_list()])

    @extend_schema(responses={200: SectionOutSerializer, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(_section(self._get(request, pk)))

    @extend_schema(methods=["GET"], responses={200: _VERSIONS, **_errors(403, 404)})
    @extend_schema(
        methods=["POST"],
        request=VersionInSerializer,
        responses={201: _VERSION, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def versions(self, request: Request, pk: Any = None) -> Response:
        section = self._get(request, pk)
        if request.method == "POST":
            user = _require(request, perms.EDIT_PLAYBOOK)
            data = _parse(VersionInSerializer, request.data)
            version = call_service(
                services.playbook_section_save, section=section, actor=user, **data
            )
            previous = selectors.section_version_get(section=section, number=version.number - 1)
            return Response(_version(version, previous), status=status.HTTP_201_CREATED)
        versions = list(selectors.section_versions(section=section))
        return Response(
            [
                _version(v, versions[i + 1] if i + 1 < len(versions) else None)
                for i, v in enumerate(versions)
            ]
        )


class ActionInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20_000
    )
    source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    section = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=INT_MAX
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None, validators=[_day])


class ActionStatusInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=PlaybookActionStatus.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ActionOutSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    source = serializers.CharField()
    section = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    is_synthetic = serializers.BooleanField()


def _action(a: PlaybookAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "description": a.description,
        "source": a.source,
        "section": a.section_id,
        "status": a.status,
        "due_on": _iso(a.due_on),
        "created_at": _iso(a.created_at),
        "is_synthetic": a.is_synthetic,
    }


class PlaybookActionViewSet(viewsets.ViewSet):
    """Actions on the playbook (lessons of exercises, evaluation findings) with their status."""

    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS
    lookup_value_regex = "[0-9]+"

    @extend_schema(responses={200: ActionOutSerializer(many=True), **_errors(403)})
    def list(self, request: Request) -> Response:
        _require(request, perms.VIEW_ACTIONS)
        wanted = request.query_params.get("status", "")
        return Response(
            [
                _action(a)
                for a in selectors.action_list(
                    status=wanted if wanted in PlaybookActionStatus.values else ""
                )
            ]
        )

    @extend_schema(responses={200: ActionOutSerializer, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        _require(request, perms.VIEW_ACTIONS)
        found = selectors.action_get(pk=int(pk or 0))
        if found is None:
            raise NotFound
        return Response(_action(found))

    @extend_schema(
        request=ActionInSerializer, responses={201: ActionOutSerializer, **_errors(400, 403)}
    )
    def create(self, request: Request) -> Response:
        user = _require(request, perms.MANAGE_ACTIONS)
        data = _parse(ActionInSerializer, request.data)
        section = None
        if data["section"] is not None:
            section = selectors.section_get(pk=data["section"])
            if section is None:
                return Response(
                    {"section": [_("Onbekende sectie.")]}, status=status.HTTP_400_BAD_REQUEST
                )
        created = call_service(
            services.playbook_action_create,
            title=data["title"],
            description=data["description"],
            source=data["source"],
            section=section,
            due_on=data["due_on"],
            actor=user,
        )
        return Response(_action(created), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionStatusInSerializer,
        responses={200: ActionOutSerializer, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: Any = None) -> Response:
        user = _require(request, perms.MANAGE_ACTIONS)
        found = selectors.action_get(pk=int(pk or 0))
        if found is None:
            raise NotFound
        data = _parse(ActionStatusInSerializer, request.data)
        call_service(services.playbook_action_status_set, action=found, actor=user, **data)
        return Response(_action(found))


# --- budget ------------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


_BUDGET = inline_serializer(
    "PreparednessBudget",
    {
        "streams": serializers.ListField(child=serializers.DictField()),
        "overview": serializers.ListField(child=serializers.DictField()),
        "realisations": serializers.ListField(child=serializers.DictField()),
    },
)


class StreamInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=200)
    funder = serializers.CharField(max_length=200)
    recipient = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    purpose = serializers.CharField(max_length=4000)
    starts_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[_day]
    )
    ends_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[_day]
    )
    source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LineInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    stream = serializers.IntegerField(min_value=1, max_value=INT_MAX)
    year = serializers.IntegerField(min_value=1990, max_value=2200)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class RealisationInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    stream = serializers.IntegerField(min_value=1, max_value=INT_MAX)
    date = serializers.DateField(validators=[_day])
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    description = serializers.CharField(max_length=300)


_CREATED = inline_serializer("PreparednessCreated", {"id": serializers.IntegerField()})


def _stream_or_400(pk: int) -> Any:
    stream = selectors.funding_stream_get(pk=pk)
    if stream is None:
        raise serializers.ValidationError({"stream": [_("Onbekende financieringsstroom.")]})
    return stream


class BudgetView(APIView):
    """Budget against realisation per funding stream and year (CPO/secretariat)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: _BUDGET, **_errors(403)}, operation_id="preparedness_budget_get")
    def get(self, request: Request) -> Response:
        _require(request, perms.VIEW_BUDGET)
        return Response(
            {
                "streams": [
                    {
                        "id": s.pk,
                        "name": s.name,
                        "funder": s.funder,
                        "recipient": s.recipient,
                        "purpose": s.purpose,
                        "starts_on": _iso(s.starts_on),
                        "ends_on": _iso(s.ends_on),
                        "source": s.source,
                        "is_synthetic": s.is_synthetic,
                    }
                    for s in selectors.funding_streams()
                ],
                "overview": [
                    {
                        "stream": r.stream.pk,
                        "year": r.year,
                        "budgeted": _money(r.budgeted),
                        "realised": _money(r.realised),
                        "remaining": _money(r.remaining),
                        "synthetic": r.synthetic,
                    }
                    for r in selectors.budget_overview()
                ],
                "realisations": [
                    {
                        "id": r.pk,
                        "stream": r.stream_id,
                        "date": _iso(r.date),
                        "amount": _money(r.amount),
                        "description": r.description,
                        "is_synthetic": r.is_synthetic,
                    }
                    for r in selectors.realisations()
                ],
            }
        )


class BudgetWriteView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS
    serializer: type[serializers.Serializer] = StreamInSerializer  # type: ignore[type-arg]
    # The service that stores the row; ``of_stream``: the body names its funding stream.
    service: Callable[..., Any] = staticmethod(services.funding_stream_create)
    of_stream = False

    def post(self, request: Request) -> Response:
        user = _require(request, perms.MANAGE_BUDGET)
        data = _parse(self.serializer, request.data)
        if self.of_stream:
            data["stream"] = _stream_or_400(data["stream"])
        row = call_service(type(self).service, actor=user, **data)
        return Response({"id": row.pk}, status=status.HTTP_201_CREATED)


class StreamCreateView(BudgetWriteView):
    serializer = StreamInSerializer

    @extend_schema(
        request=StreamInSerializer,
        responses={201: _CREATED, **_errors(400, 403)},
        operation_id="preparedness_budget_stream_create",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class LineCreateView(BudgetWriteView):
    serializer = LineInSerializer
    service = staticmethod(services.budget_line_create)
    of_stream = True

    @extend_schema(
        request=LineInSerializer,
        responses={201: _CREATED, **_errors(400, 403)},
        operation_id="preparedness_budget_line_create",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class RealisationCreateView(BudgetWriteView):
    serializer = RealisationInSerializer
    service = staticmethod(services.realisation_create)
    of_stream = True

    @extend_schema(
        request=RealisationInSerializer,
        responses={201: _CREATED, **_errors(400, 403)},
        operation_id="preparedness_budget_realisation_create",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


# --- jobs --------------------------------------------------------------------------------------


class FormatInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    format = serializers.ChoiceField(choices=[("pdf", "pdf"), ("docx", "docx")], default="pdf")


class ReportInSerializer(FormatInSerializer):
    year = serializers.IntegerField(min_value=tasks.EARLIEST_YEAR, max_value=2200)


class ExportInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.DateField(validators=[_day])
    end = serializers.DateField(validators=[_day])


class PlaybookJobView(APIView):
    """The whole playbook as PDF or DOCX (a background job)."""

    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS

    @extend_schema(
        request=FormatInSerializer,
        responses={202: _JOB, **_errors(400, 403)},
        operation_id="preparedness_playbook_export",
    )
    def post(self, request: Request) -> Response:
        user = _require(request, perms.VIEW_PLAYBOOK)
        data = _parse(FormatInSerializer, request.data)
        return _job_response(call_service(tasks.playbook_start, user=user, fmt=data["format"]))


class ReportJobView(APIView):
    """The yearly report of a year as PDF or DOCX (a background job)."""

    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS

    @extend_schema(
        request=ReportInSerializer,
        responses={202: _JOB, **_errors(400, 403)},
        operation_id="preparedness_yearly_report",
    )
    def post(self, request: Request) -> Response:
        user = _require(request, perms.REPORT)
        data = _parse(ReportInSerializer, request.data)
        return _job_response(
            call_service(tasks.report_start, user=user, year=data["year"], fmt=data["format"])
        )


class ExportJobView(APIView):
    """The ZIP of CSV and JSON files for the five-yearly evaluation (a background job)."""

    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS

    @extend_schema(
        request=ExportInSerializer,
        responses={202: _JOB, **_errors(400, 403)},
        operation_id="preparedness_evaluation_export",
    )
    def post(self, request: Request) -> Response:
        user = _require(request, perms.REPORT)
        data = _parse(ExportInSerializer, request.data)
        return _job_response(
            call_service(tasks.export_start, user=user, start=data["start"], end=data["end"])
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("preparedness/meetings", MeetingViewSet, "preparedness-meeting"),
    ("preparedness/playbook", PlaybookSectionViewSet, "preparedness-playbook"),
    ("preparedness/actions", PlaybookActionViewSet, "preparedness-action"),
]
URLS: list[URLPattern] = [
    path("preparedness/mode/", ModeView.as_view(), name="preparedness-mode"),
    path("preparedness/budget/", BudgetView.as_view(), name="preparedness-budget"),
    path(
        "preparedness/budget/streams/",
        StreamCreateView.as_view(),
        name="preparedness-budget-streams",
    ),
    path("preparedness/budget/lines/", LineCreateView.as_view(), name="preparedness-budget-lines"),
    path(
        "preparedness/budget/realisations/",
        RealisationCreateView.as_view(),
        name="preparedness-budget-realisations",
    ),
    path(
        "preparedness/playbook-export/",
        PlaybookJobView.as_view(),
        name="preparedness-playbook-export",
    ),
    path("preparedness/yearly-report/", ReportJobView.as_view(), name="preparedness-yearly-report"),
    path(
        "preparedness/evaluation-export/",
        ExportJobView.as_view(),
        name="preparedness-evaluation-export",
    ),
]
