"""API of paraat.activation under ``/api/v1/activation/``.

``ROUTES`` are registered on the v1 router (prefix, viewset, basename); ``URLS`` are extra paths.
The rules are those of the pages: every call needs a login and a permission of the app
(``permissions.py``); a case the caller may not see is a 404; a write the role does not allow
is a 403; bad input is a 400 naming the field, never a 500. Documents are made in a
background job (202 with the job's address).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import URLPattern, reverse
from django.utils import timezone
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
from rest_framework.request import Request
from rest_framework.response import Response

from paraat.accounts.models import Confidentiality, User
from paraat.activation import selectors, services
from paraat.activation.models import (
    ActivationCase,
    CaseStatus,
    Criterion,
    Decision,
    Judgement,
    SecondmentAgreement,
)
from paraat.api.exceptions import call_service
from paraat.api.parsers import SafeJSONParser
from paraat.measures.models import ScenarioLevel
from paraat.network.models import Candidate, Organisation, OrganisationKind

_ERROR = inline_serializer("ActivationErrorDetail", {"detail": serializers.CharField()})
_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Foute invoer, per veld"),
    403: OpenApiResponse(_ERROR, description="Uw rol staat dit niet toe"),
    404: OpenApiResponse(_ERROR, description="Onbekend of niet zichtbaar"),
}
_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
_ITEM = OpenApiParameter("item", int, OpenApiParameter.PATH)


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: _ERRORS[code] for code in codes}


def _parse(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _who(user: User | None) -> str:
    return "" if user is None else (user.get_full_name() or user.get_username())


def _in_years(value: dt.date) -> None:
    if not services.YEARS[0] <= value.year <= services.YEARS[1]:
        raise serializers.ValidationError(_("Geef een datum tussen 2000 en 2100."))


class MomentField(serializers.DateTimeField):
    """DRF's DateTimeField, but a moment that cannot be moved into the time zone (e.g.
    ``0001-01-01``) is a 400 naming the field, not an ``OverflowError`` (a 500)."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        try:
            return super().to_internal_value(value)  # type: ignore[no-any-return]
        except (OverflowError, ValueError):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|-HH:MM|Z]")
            raise  # unreachable: fail() raises


def _date(*, required: bool = True) -> Any:
    if required:
        return serializers.DateField(validators=[_in_years])
    return serializers.DateField(
        required=False, allow_null=True, default=None, validators=[_in_years]
    )


def _text(max_length: int, *, required: bool = False) -> Any:
    if required:
        return serializers.CharField(max_length=max_length)
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default=""
    )


# --- serializers ----------------------------------------------------------------------------------


class SecondmentAgreementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ministry = serializers.IntegerField(
        min_value=1, help_text="id van een organisatie (ministerie)"
    )
    people = serializers.IntegerField(min_value=1, max_value=500)
    fte = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal("500")
    )
    lead_time_days = serializers.IntegerField(
        min_value=0, max_value=365, required=False, allow_null=True, default=None
    )
    available_from = _date(required=False)
    contact = _text(200)
    valid_until = _date(required=False)
    notes = _text(20_000)
    is_synthetic = serializers.BooleanField(required=False, default=False)


class ActivationCaseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = _text(300, required=True)
    description = _text(20_000)
    scenario_level = serializers.ChoiceField(
        choices=[("", ""), *ScenarioLevel.choices], required=False, default=""
    )
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, required=False, default=Confidentiality.INTERNAL
    )
    is_synthetic = serializers.BooleanField(required=False, default=False)


class CriterionJudgementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    criterion = serializers.ChoiceField(choices=Criterion.choices)
    judgement = serializers.ChoiceField(choices=Judgement.choices)
    evidence_text = _text(20_000)
    evidence = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=list,
        max_length=20,
        help_text="Citeersleutels (ref) van items in de kennisbibliotheek",
    )


class ActivationSignalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    recipient = _text(200)


class ActivationSignalSentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sent_on = _date()


class ActivationDecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    decision = serializers.ChoiceField(choices=Decision.choices)
    decided_at = MomentField()
    decided_by = _text(200)
    note = _text(20_000)

    def validate_decided_at(self, value: dt.datetime) -> dt.datetime:
        _in_years(value.date())
        return value


class DecreeMemberSerializer(serializers.Serializer):  # type: ignore[type-arg]
    candidate = serializers.IntegerField(min_value=1)
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in services.DECREE_ROLES])
    institution = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None
    )


class EstablishmentDecreeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    decree_date = _date()
    term = _text(200, required=True)
    ends_on = _date(required=False)
    members = DecreeMemberSerializer(many=True)


class DecreeAdoptSerializer(serializers.Serializer):  # type: ignore[type-arg]
    adopted_on = _date()


class SecondmentAssignmentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    agreement = serializers.IntegerField(min_value=1)
    name = _text(200, required=True)
    fte = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal("1.0")
    )
    starts_on = _date()


class ActivationChecklistAddSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = _text(300, required=True)


class ActivationChecklistDoneSerializer(serializers.Serializer):  # type: ignore[type-arg]
    done_at = MomentField(required=False, allow_null=True, default=None)
    note = _text(500)

    def validate_done_at(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None:
            _in_years(value.date())
        return value


class ActivationCloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = _text(2000, required=True)


# --- rendering ------------------------------------------------------------------------------------


def _agreement(row: SecondmentAgreement) -> dict[str, Any]:
    return {
        "id": row.pk,
        "ministry": {"id": row.ministry_id, "name": row.ministry.name},
        "people": row.people,
        "fte": str(row.fte),
        "lead_time_days": row.lead_time_days,
        "available_from": _iso(row.available_from),
        "contact": row.contact,
        "valid_until": _iso(row.valid_until),
        "expired": selectors.agreement_expired(agreement=row),
        "notes": row.notes,
        "is_synthetic": row.is_synthetic,
    }


def _summary(case: ActivationCase) -> dict[str, Any]:
    current = selectors.status_of(case)
    return {
        "id": case.pk,
        "title": case.title,
        "status": current,
        "status_label": str(CaseStatus(current).label),
        "scenario_level": case.scenario_level,
        "confidentiality": case.confidentiality,
        "is_synthetic": case.is_synthetic,
        "created_at": _iso(case.created_at),
    }


def _detail(case: ActivationCase, user: Any) -> dict[str, Any]:
    decision = selectors.decision_of(case=case)
    figures = selectors.operational(case=case)
    hours = {row.key: row.hours for row in figures.items} if figures else {}
    return {
        **_summary(case),
        "description": case.description,
        "history": [
            {
                "status": c.status,
                "previous": c.previous,
                "note": c.note,
                "actor": _who(c.actor),
                "at": _iso(c.at),
            }
            for c in selectors.status_history(case=case)
        ],
        "criteria": [
            {
                "criterion": row.criterion,
                "label": row.label,
                "judgement": row.judgement.judgement if row.judgement else None,
                "evidence_text": row.judgement.evidence_text if row.judgement else "",
                "evidence": [item.ref for item in row.evidence],
                "hidden_evidence": row.hidden_evidence,
                "at": _iso(row.judgement.at) if row.judgement else None,
            }
            for row in selectors.criteria(case=case, user=user)
        ],
        "signals": [
            {
                "number": s.number,
                "recipient": s.recipient,
                "created_at": _iso(s.created_at),
                "sent_on": _iso(s.sent_on),
                "files": [fmt for fmt in ("pdf", "docx") if getattr(s, fmt)],
            }
            for s in selectors.signals(case=case)
        ],
        "decision": None
        if decision is None
        else {
            "decision": decision.decision,
            "decided_at": _iso(decision.decided_at),
            "decided_by": decision.decided_by,
            "note": decision.note,
            "recorded_by": _who(decision.recorded_by),
            "recorded_at": _iso(decision.recorded_at),
        },
        "decrees": [
            {
                "number": d.number,
                "decree_date": _iso(d.decree_date),
                "term": d.term,
                "ends_on": _iso(d.ends_on),
                "text": d.text,
                "adopted_on": _iso(d.adopted_on),
                "files": [fmt for fmt in ("pdf", "docx") if getattr(d, fmt)],
                "members": [
                    {
                        "candidate": m.candidate_id,
                        "person": m.person_id,
                        "name": m.person.name,
                        "role": m.role,
                        "institution": m.institution.name if m.institution else None,
                    }
                    for m in selectors.decree_members(decree=d)
                ],
            }
            for d in selectors.decrees(case=case)
        ],
        "staffing": _staffing(case),
        "checklist": _checklist(case, hours),
        "operational": None
        if figures is None
        else {
            "decided_at": _iso(figures.decided_at),
            "operational_at": _iso(figures.operational_at),
            "hours": figures.hours,
            "elapsed_hours": round(figures.elapsed_hours, 2),
            "done": figures.done,
            "total": figures.total,
        },
    }


def _staffing(case: ActivationCase) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "agreement": a.agreement_id,
            "ministry": a.agreement.ministry.name,
            "name": a.name,
            "fte": str(a.fte),
            "starts_on": _iso(a.starts_on),
        }
        for a in selectors.assignments(case=case)
    ]


def _checklist(case: ActivationCase, hours: dict[str, float | None]) -> list[dict[str, Any]]:
    return [
        {
            "id": i.pk,
            "title": i.title,
            "done_at": _iso(i.done_at),
            "done_by": _who(i.done_by),
            "note": i.note,
            "hours": hours.get(str(i.pk)),
        }
        for i in selectors.checklist(case=case)
    ]


_AGREEMENT_FIELDS = {
    "id": serializers.IntegerField(),
    "ministry": serializers.DictField(),
    "people": serializers.IntegerField(),
    "fte": serializers.CharField(),
    "lead_time_days": serializers.IntegerField(allow_null=True),
    "available_from": serializers.DateField(allow_null=True),
    "contact": serializers.CharField(),
    "valid_until": serializers.DateField(allow_null=True),
    "expired": serializers.BooleanField(),
    "notes": serializers.CharField(),
    "is_synthetic": serializers.BooleanField(),
}
_AGREEMENT = inline_serializer("SecondmentAgreementRead", _AGREEMENT_FIELDS)
_AGREEMENT_LIST = inline_serializer("SecondmentAgreementList", _AGREEMENT_FIELDS, many=True)
_SUMMARY_FIELDS = {
    "id": serializers.IntegerField(),
    "title": serializers.CharField(),
    "status": serializers.ChoiceField(choices=CaseStatus.choices),
    "status_label": serializers.CharField(),
    "scenario_level": serializers.CharField(),
    "confidentiality": serializers.CharField(),
    "is_synthetic": serializers.BooleanField(),
    "created_at": serializers.DateTimeField(),
}
_SUMMARY_LIST = inline_serializer("ActivationCaseSummary", _SUMMARY_FIELDS, many=True)
_STAFFING_FIELDS = {
    "id": serializers.IntegerField(),
    "agreement": serializers.IntegerField(),
    "ministry": serializers.CharField(),
    "name": serializers.CharField(),
    "fte": serializers.CharField(),
    "starts_on": serializers.DateField(),
}
_STAFFING_LIST = inline_serializer("ActivationStaffing", _STAFFING_FIELDS, many=True)
_CHECKLIST_FIELDS = {
    "id": serializers.IntegerField(),
    "title": serializers.CharField(),
    "done_at": serializers.DateTimeField(allow_null=True),
    "done_by": serializers.CharField(),
    "note": serializers.CharField(),
    "hours": serializers.FloatField(
        allow_null=True, help_text="Uren van het besluit tot afvinken (null: open of geen besluit)"
    ),
}
_CHECKLIST_LIST = inline_serializer("ActivationChecklistItem", _CHECKLIST_FIELDS, many=True)
_DETAIL = inline_serializer(
    "ActivationCaseDetail",
    {
        **_SUMMARY_FIELDS,
        "description": serializers.CharField(),
        "history": serializers.ListField(child=serializers.DictField()),
        "criteria": serializers.ListField(child=serializers.DictField()),
        "signals": serializers.ListField(child=serializers.DictField()),
        "decision": serializers.DictField(allow_null=True),
        "decrees": serializers.ListField(child=serializers.DictField()),
        "staffing": inline_serializer("ActivationStaffing", _STAFFING_FIELDS, many=True),
        "checklist": inline_serializer("ActivationChecklistItem", _CHECKLIST_FIELDS, many=True),
        "operational": serializers.DictField(allow_null=True),
    },
)
_JOB = inline_serializer(
    "ActivationJobStarted", {"job": serializers.CharField(), "status": serializers.CharField()}
)


# --- views ----------------------------------------------------------------------------------------


class _Base(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [SafeJSONParser]
    pagination_class = None

    def _require(self, action_name: str) -> None:
        if not selectors.may(user=self.request.user, action=action_name):
            raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))


class SecondmentAgreementViewSet(_Base):
    """Secondment agreements with ministries (detacheringsafspraken)."""

    queryset = SecondmentAgreement.objects.none()
    serializer_class = SecondmentAgreementSerializer

    def _get(self, pk: Any) -> SecondmentAgreement:
        self._require("view_agreements")
        try:
            found = selectors.agreement_get(pk=int(pk))
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise NotFound(_("Afspraak niet gevonden."))
        return found

    def _data(self, request: Request) -> services.AgreementData:
        data = _parse(SecondmentAgreementSerializer, request.data)
        ministry = Organisation.objects.filter(
            pk=data.pop("ministry"), kind=OrganisationKind.MINISTRY
        ).first()
        if ministry is None:
            raise ValidationError({"ministry": [_("Onbekend ministerie.")]})
        return services.AgreementData(ministry=ministry, **data)

    @extend_schema(responses={200: _AGREEMENT_LIST, **_errors(403)})
    def list(self, request: Request) -> Response:
        self._require("view_agreements")
        return Response([_agreement(row) for row in selectors.agreement_list()])

    @extend_schema(
        request=SecondmentAgreementSerializer, responses={201: _AGREEMENT, **_errors(400, 403)}
    )
    def create(self, request: Request) -> Response:
        self._require("manage")
        row = call_service(services.agreement_create, data=self._data(request), actor=request.user)
        return Response(_agreement(row), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[_ID], responses={200: _AGREEMENT, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(_agreement(self._get(pk)))

    @extend_schema(
        parameters=[_ID],
        request=SecondmentAgreementSerializer,
        responses={200: _AGREEMENT, **_errors(400, 403, 404)},
    )
    def update(self, request: Request, pk: Any = None) -> Response:
        agreement = self._get(pk)
        self._require("manage")
        row = call_service(
            services.agreement_update,
            agreement=agreement,
            data=self._data(request),
            actor=request.user,
        )
        return Response(_agreement(row))

    @extend_schema(parameters=[_ID], responses={204: None, **_errors(400, 403, 404)})
    def destroy(self, request: Request, pk: Any = None) -> Response:
        agreement = self._get(pk)
        self._require("manage")
        call_service(services.agreement_delete, agreement=agreement, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActivationCaseViewSet(_Base):
    """Activation cases: criteria, signal, decision, decree, staffing and checklist."""

    queryset = ActivationCase.objects.none()
    serializer_class = ActivationCaseSerializer

    def _case(self, pk: Any) -> ActivationCase:
        self._require("view")
        try:
            found = selectors.case_get(user=self.request.user, pk=int(pk))
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise NotFound(_("Activeringsdossier niet gevonden."))
        return found

    def _detail(self, case: ActivationCase, code: int = status.HTTP_200_OK) -> Response:
        case.refresh_from_db()
        return Response(_detail(case, self.request.user), status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("open", bool, description="Alleen lopende (true) of afgeronde (false)")
        ],
        responses={200: _SUMMARY_LIST, **_errors(403)},
    )
    def list(self, request: Request) -> Response:
        self._require("view")
        wanted = request.query_params.get("open", "")
        open_only = {"true": True, "false": False}.get(wanted.lower())
        return Response(
            [_summary(c) for c in selectors.case_list(user=request.user, open_only=open_only)]
        )

    @extend_schema(request=ActivationCaseSerializer, responses={201: _DETAIL, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        self._require("manage")
        data = _parse(ActivationCaseSerializer, request.data)
        case = call_service(services.case_create, actor=request.user, **data)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(parameters=[_ID], responses={200: _DETAIL, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._detail(self._case(pk))

    @extend_schema(
        parameters=[_ID],
        request=CriterionJudgementSerializer,
        responses={201: _DETAIL, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def criteria(self, request: Request, pk: Any = None) -> Response:
        """Judge a criterion (appended; the latest judgement per criterion counts)."""
        from paraat.evidence import selectors as evidence_selectors

        case = self._case(pk)
        self._require("manage")
        data = _parse(CriterionJudgementSerializer, request.data)
        try:
            items = evidence_selectors.evidence_by_refs(user=request.user, refs=data["evidence"])
        except DjangoValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from None
        call_service(
            services.criterion_judge,
            case=case,
            criterion=data["criterion"],
            judgement=data["judgement"],
            evidence_text=data["evidence_text"],
            evidence=items,
            actor=request.user,
        )
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[_ID],
        request=ActivationSignalSerializer,
        responses={202: _JOB, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def signal(self, request: Request, pk: Any = None) -> Response:
        """Draft the signal to the Secretary-General as PDF and Word in a background job."""
        from paraat.activation import tasks

        case = self._case(pk)
        self._require("manage")
        data = _parse(ActivationSignalSerializer, request.data)
        job = call_service(tasks.signal_start, case=case, actor=request.user, **data)
        return Response(
            {"job": str(job.pk), "status": reverse("job-detail", args=[job.pk])},
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        parameters=[_ID],
        request=ActivationSignalSentSerializer,
        responses={200: _DETAIL, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="signal/sent")
    def signal_sent(self, request: Request, pk: Any = None) -> Response:
        """Record that the latest signal version was sent (date)."""
        case = self._case(pk)
        self._require("manage")
        data = _parse(ActivationSignalSentSerializer, request.data)
        signal = selectors.signal_latest(case=case)
        if signal is None:
            raise ValidationError({"sent_on": [_("Er is nog geen signaal opgesteld.")]})
        call_service(
            services.signal_record_sent, signal=signal, sent_on=data["sent_on"], actor=request.user
        )
        return self._detail(case)

    @extend_schema(
        parameters=[_ID],
        request=ActivationDecisionSerializer,
        responses={201: _DETAIL, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: Any = None) -> Response:
        """Record the decision of the Minister of SZW (SZW officer or CPO)."""
        case = self._case(pk)
        self._require("decide")
        data = _parse(ActivationDecisionSerializer, request.data)
        call_service(services.decision_record, case=case, actor=request.user, **data)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[_ID],
        request=EstablishmentDecreeSerializer,
        responses={202: _JOB, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decree(self, request: Request, pk: Any = None) -> Response:
        """Draft a decree version from the playbook's template with the chosen candidates
        (PDF and Word in a background job)."""
        from paraat.activation import tasks

        case = self._case(pk)
        self._require("manage")
        data = _parse(EstablishmentDecreeSerializer, request.data)
        members = []
        try:
            from paraat.network import selectors as network_selectors

            visible = network_selectors.candidate_list(user=request.user)
        except ImportError:  # pragma: no cover - network reads missing
            visible = Candidate.objects.none()
        for index, entry in enumerate(data["members"]):
            candidate = visible.filter(pk=entry["candidate"]).select_related("person").first()
            if candidate is None:
                raise ValidationError({f"members.{index}.candidate": [_("Onbekende kandidaat.")]})
            institution = None
            if entry["institution"]:
                institution = Organisation.objects.filter(pk=entry["institution"]).first()
                if institution is None:
                    raise ValidationError(
                        {f"members.{index}.institution": [_("Onbekende organisatie.")]}
                    )
            members.append(
                services.MemberChoice(
                    candidate=candidate, role=entry["role"], institution=institution
                )
            )
        job = call_service(
            tasks.decree_start,
            case=case,
            actor=request.user,
            members=members,
            decree_date=data["decree_date"],
            term=data["term"],
            ends_on=data["ends_on"],
        )
        return Response(
            {"job": str(job.pk), "status": reverse("job-detail", args=[job.pk])},
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        parameters=[_ID],
        request=DecreeAdoptSerializer,
        responses={200: _DETAIL, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="decree/adopt")
    def decree_adopt(self, request: Request, pk: Any = None) -> Response:
        """Record the adoption by the council of ministers: memberships, mode active."""
        case = self._case(pk)
        self._require("manage")
        data = _parse(DecreeAdoptSerializer, request.data)
        decree = selectors.decree_latest(case=case)
        if decree is None:
            raise ValidationError({"adopted_on": [_("Er is nog geen instellingsbesluit.")]})
        call_service(
            services.decree_adopt, decree=decree, adopted_on=data["adopted_on"], actor=request.user
        )
        return self._detail(case)

    @extend_schema(
        methods=["GET"], parameters=[_ID], responses={200: _STAFFING_LIST, **_errors(403, 404)}
    )
    @extend_schema(
        methods=["POST"],
        parameters=[_ID],
        request=SecondmentAssignmentSerializer,
        responses={201: _STAFFING_LIST, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def staffing(self, request: Request, pk: Any = None) -> Response:
        """The seconded staff of the secretariat; POST seconds one more person."""
        case = self._case(pk)
        if request.method == "GET":
            return Response(_staffing(case))
        self._require("manage")
        data = _parse(SecondmentAssignmentSerializer, request.data)
        agreement = selectors.agreement_get(pk=data.pop("agreement"))
        if agreement is None:
            raise ValidationError({"agreement": [_("Onbekende afspraak.")]})
        call_service(
            services.assignment_add, case=case, agreement=agreement, actor=request.user, **data
        )
        return Response(_staffing(case), status=status.HTTP_201_CREATED)

    def _hours(self, case: ActivationCase) -> dict[str, float | None]:
        figures = selectors.operational(case=case)
        return {row.key: row.hours for row in figures.items} if figures else {}

    @extend_schema(
        methods=["GET"], parameters=[_ID], responses={200: _CHECKLIST_LIST, **_errors(403, 404)}
    )
    @extend_schema(
        methods=["POST"],
        parameters=[_ID],
        request=ActivationChecklistAddSerializer,
        responses={201: _CHECKLIST_LIST, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def checklist(self, request: Request, pk: Any = None) -> Response:
        """The operational checklist with hours after the decision; POST adds an item."""
        case = self._case(pk)
        if request.method == "GET":
            return Response(_checklist(case, self._hours(case)))
        self._require("manage")
        data = _parse(ActivationChecklistAddSerializer, request.data)
        call_service(
            services.checklist_item_add, case=case, title=data["title"], actor=request.user
        )
        return Response(_checklist(case, self._hours(case)), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[_ID, _ITEM],
        request=ActivationChecklistDoneSerializer,
        responses={200: _DETAIL, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path=r"checklist/(?P<item>[0-9]{1,9})/done")
    def checklist_done(self, request: Request, pk: Any = None, item: Any = None) -> Response:
        """Mark a checklist item done (now or ``done_at``)."""
        case = self._case(pk)
        self._require("manage")
        row = selectors.checklist(case=case).filter(pk=int(item)).first()
        if row is None:
            raise NotFound(_("Checklistpunt niet gevonden."))
        data = _parse(ActivationChecklistDoneSerializer, request.data)
        call_service(services.checklist_item_done, item=row, actor=request.user, **data)
        return self._detail(case)

    @extend_schema(
        parameters=[_ID],
        request=ActivationCloseSerializer,
        responses={200: _DETAIL, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        case = self._case(pk)
        self._require("manage")
        data = _parse(ActivationCloseSerializer, request.data)
        call_service(services.case_close, case=case, note=data["note"], actor=request.user)
        return self._detail(case)


ROUTES: list[tuple[str, Any, str]] = [
    ("activation/agreements", SecondmentAgreementViewSet, "activation-agreement"),
    ("activation/cases", ActivationCaseViewSet, "activation-case"),
]
URLS: list[URLPattern] = []
