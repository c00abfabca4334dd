"""REST API (v1) of the assessment framework under ``/api/v1/assessments/``.

Serializers parse; services write; selectors read. Every response comes from the selectors, so
what a reader sees is exactly what the pages show: invisible assessments are 404, confidential
effectiveness is masked, evidence a reader may not see is left out. Bad input is a 400 naming the
field (for an imported file: the JSON path), never a 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from paraat.accounts.models import Confidentiality
from paraat.api.exceptions import validation_detail
from paraat.assessments import permissions, selectors, services, tasks
from paraat.assessments.forms import judgement_values
from paraat.assessments.models import (
    Assessment,
    AssessmentStatus,
    Compensability,
    Duration,
    Effect,
    Horizon,
    Reversibility,
)
from paraat.evidence.models import Certainty


def _blank(choices: Any) -> list[Any]:
    return [("", ""), *choices]


def _summary(assessment: Assessment) -> dict[str, Any]:
    latest = selectors.assessment_latest_version(assessment=assessment)
    return {
        "key": assessment.key,
        "title": assessment.title,
        "question": assessment.question,
        "assessed_on": assessment.assessed_on.isoformat(),
        "scenario_level": assessment.scenario_level,
        "status": selectors.assessment_status(assessment=assessment),
        "confidentiality": assessment.confidentiality,
        "is_synthetic": assessment.is_synthetic,
        "options": [
            {"key": option.key, "name": option.name, "zero": option.is_zero}
            for option in selectors.assessment_options(assessment=assessment)
        ],
        "latest_version": latest.number if latest else None,
    }


_OPTION = inline_serializer(
    "AssessmentOptionSummary",
    {
        "key": serializers.CharField(),
        "name": serializers.CharField(),
        "zero": serializers.BooleanField(),
    },
    many=True,
)
_SUMMARY_FIELDS = {
    "key": serializers.CharField(),
    "title": serializers.CharField(),
    "question": serializers.CharField(),
    "assessed_on": serializers.DateField(),
    "scenario_level": serializers.CharField(),
    "status": serializers.ChoiceField(choices=AssessmentStatus.choices),
    "confidentiality": serializers.ChoiceField(choices=Confidentiality.choices),
    "is_synthetic": serializers.BooleanField(),
    "options": _OPTION,
    "latest_version": serializers.IntegerField(allow_null=True),
}
_SUMMARY = inline_serializer("AssessmentSummary", _SUMMARY_FIELDS)
_SUMMARY_LIST = inline_serializer("AssessmentSummaryList", _SUMMARY_FIELDS, many=True)
_DETAIL = inline_serializer(
    "Assessment",
    {
        **_SUMMARY_FIELDS,
        "context": serializers.CharField(),
        "problem": serializers.CharField(),
        "goal": serializers.CharField(),
        "preferred_option": serializers.CharField(allow_null=True),
        "preferred_rationale": serializers.CharField(),
        "domains": serializers.ListField(child=serializers.CharField()),
        "groups": serializers.ListField(child=serializers.CharField()),
        "status_history": serializers.ListField(child=serializers.DictField()),
        "needs_review": serializers.ListField(child=serializers.DictField()),
    },
)
_FILE = OpenApiTypes.OBJECT
_RESULT = OpenApiTypes.OBJECT
_VERSION = inline_serializer(
    "AssessmentVersionSummary",
    many=True,
    fields={
        "number": serializers.IntegerField(),
        "created_at": serializers.DateTimeField(),
        "created_by": serializers.CharField(),
        "samples": serializers.IntegerField(),
        "seed": serializers.IntegerField(),
        "note": serializers.CharField(),
    },
)


class JudgementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One cell of the matrix (option × domain × group)."""

    option = serializers.SlugField()
    domain = serializers.SlugField()
    group = serializers.SlugField()
    effect = serializers.ChoiceField(choices=Effect.choices)
    # The range uses the effect scale without "unknown" (checked by the service).
    low = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20, help_text="Effectniveau"
    )
    high = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20, help_text="Effectniveau"
    )
    reach_people = serializers.IntegerField(
        min_value=0, max_value=services.MAX_PEOPLE, required=False, allow_null=True, default=None
    )
    reach_share = serializers.FloatField(
        min_value=0, max_value=1, required=False, allow_null=True, default=None
    )
    duration = serializers.ChoiceField(choices=_blank(Duration.choices), required=False, default="")
    reversibility = serializers.ChoiceField(
        choices=_blank(Reversibility.choices), required=False, default=""
    )
    compensability = serializers.ChoiceField(
        choices=_blank(Compensability.choices), required=False, default=""
    )
    horizon = serializers.ChoiceField(choices=_blank(Horizon.choices), required=False, default="")
    certainty = serializers.ChoiceField(
        choices=_blank(Certainty.choices), required=False, default=""
    )
    evidence = serializers.ListField(
        child=serializers.SlugField(max_length=120), required=False, default=list, max_length=200
    )
    fiche_cells = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        required=False,
        default=list,
        max_length=200,
    )
    rationale = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20_000
    )


SYNC_MAX_SAMPLES = 20_000
"""Analyses with more samples than this run as a background job (long work never blocks)."""


class AnalyseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    samples = serializers.IntegerField(
        min_value=100, max_value=services.MAX_SAMPLES, required=False, allow_null=True, default=None
    )
    seed = serializers.IntegerField(
        min_value=0, max_value=2**62, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class AssessmentViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Assessments (afwegingen). Reading shows only what the user may see."""

    queryset = Assessment.objects.none()  # for permissions; rows come from selectors
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    serializer_class = JudgementSerializer

    def _assessment(self, key: str | None) -> Assessment:
        return selectors.assessment_get(user=self.request.user, key=key or "")  # type: ignore[arg-type]

    def _require(self, perm: str) -> None:
        user = self.request.user
        if not user or not user.is_authenticated or not user.has_perm(perm):
            raise PermissionDenied

    @extend_schema(responses=_SUMMARY_LIST)
    def list(self, request: Request) -> Response:
        return Response(
            [_summary(a) for a in selectors.assessment_list(user=request.user)]  # type: ignore[arg-type]
        )

    @extend_schema(responses=_DETAIL)
    def retrieve(self, request: Request, key: str | None = None) -> Response:
        assessment = self._assessment(key)
        data = _summary(assessment)
        data.update(
            {
                "context": assessment.context,
                "problem": assessment.problem,
                "goal": assessment.goal,
                "preferred_option": assessment.preferred_option.key
                if assessment.preferred_option
                else None,
                "preferred_rationale": assessment.preferred_rationale,
                "domains": list(
                    assessment.domains.order_by("position", "id").values_list(
                        "domain__key", flat=True
                    )
                ),
                "groups": list(
                    assessment.groups.order_by("position", "id").values_list(
                        "group__key", flat=True
                    )
                ),
                "status_history": [
                    {
                        "status": change.status,
                        "note": change.note,
                        "at": change.created_at.isoformat(),
                    }
                    for change in assessment.status_changes.order_by("-created_at", "-id")
                ],
                "needs_review": [
                    {**entry, "changed_at": entry["changed_at"].isoformat()}
                    for entry in selectors.assessment_review_state(
                        assessment=assessment,
                        user=request.user,  # type: ignore[arg-type]
                    )
                ],
            }
        )
        return Response(data)

    @extend_schema(responses={(200, "application/json"): _FILE})
    @action(detail=True, methods=["get"])
    def document(self, request: Request, key: str | None = None) -> Response:
        """The assessment file (``paraat-assessment/1``) as the user may see it."""
        assessment = self._assessment(key)
        return Response(
            selectors.assessment_document(assessment=assessment, user=request.user)  # type: ignore[arg-type]
        )

    @extend_schema(
        request=_FILE,
        parameters=[
            OpenApiParameter(
                "confidentiality", str, enum=Confidentiality.values, description="Standaard: intern"
            )
        ],
        responses={201: _SUMMARY},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request: Request) -> Response:
        """A new assessment from an assessment file (400 with errors by JSON path)."""
        self._require(permissions.IMPORT_PERM)
        confidentiality = request.query_params.get("confidentiality", Confidentiality.INTERNAL)
        try:
            assessment = services.assessment_import(
                actor=request.user,  # type: ignore[arg-type]
                document=request.data,
                confidentiality=confidentiality,
            )
        except DjangoValidationError as exc:
            raise ValidationError(validation_detail(exc)) from exc
        return Response(_summary(assessment), status=status.HTTP_201_CREATED)

    @extend_schema(request=JudgementSerializer, responses={200: JudgementSerializer})
    @action(detail=True, methods=["put"])
    def judgements(self, request: Request, key: str | None = None) -> Response:
        """Set one cell of the matrix."""
        self._require(permissions.CHANGE_PERM)
        assessment = self._assessment(key)
        serializer = JudgementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        option = assessment.options.filter(key=data["option"]).first()
        if option is None:
            raise ValidationError({"option": [f"Onbekende optie: {data['option']}"]})
        try:
            services.judgement_set(
                actor=request.user,  # type: ignore[arg-type]
                option=option,
                domain_key=data["domain"],
                group_key=data["group"],
                **judgement_values(data, evidence="evidence", fiche_cells="fiche_cells"),
            )
        except DjangoValidationError as exc:
            raise ValidationError(validation_detail(exc)) from exc
        return Response(serializer.data)

    @extend_schema(
        request=AnalyseSerializer,
        responses={
            201: inline_serializer(
                "AssessmentAnalysis",
                {"number": serializers.IntegerField(), "result": serializers.DictField()},
            ),
            202: inline_serializer(
                "AssessmentAnalysisJob",
                {"job": serializers.CharField(), "status": serializers.CharField()},
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def analyse(self, request: Request, key: str | None = None) -> Response:
        """Analyse the assessment; stores a new version.

        Up to ``SYNC_MAX_SAMPLES`` samples (about half a second) the analysis runs in the request
        and the answer is the new version's (masked) result (201). More samples run as a
        background job (202): follow ``status`` (the job in ``/api/v1/jobs/``), whose result
        names the new version.
        """
        self._require(permissions.ANALYSE_PERM)
        assessment = self._assessment(key)
        serializer = AnalyseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if (data["samples"] or assessment.samples) > SYNC_MAX_SAMPLES:
            job = tasks.analyse_start(
                user=request.user,  # type: ignore[arg-type]
                assessment=assessment,
                samples=data["samples"],
                seed=data["seed"],
                note=data["note"],
            )
            return Response(
                {"job": str(job.pk), "status": reverse("job-detail", args=[job.pk])},
                status=status.HTTP_202_ACCEPTED,
            )
        try:
            version = services.assessment_analyse(
                actor=request.user,  # type: ignore[arg-type]
                assessment=assessment,
                samples=data["samples"],
                seed=data["seed"],
                note=data["note"],
            )
        except DjangoValidationError as exc:
            raise ValidationError(validation_detail(exc)) from exc
        return Response(
            {
                "number": version.number,
                "result": selectors.version_result(version=version, user=request.user),  # type: ignore[arg-type]
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={200: _VERSION})
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request: Request, key: str | None = None) -> Response:
        assessment = self._assessment(key)
        return Response(
            [
                {
                    "number": version.number,
                    "created_at": version.created_at.isoformat(),
                    "created_by": str(version.created_by) if version.created_by else "",
                    "samples": version.samples,
                    "seed": version.seed,
                    "note": version.note,
                }
                for version in selectors.assessment_versions(assessment=assessment)
            ]
        )

    @extend_schema(
        parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH)],
        responses={(200, "application/json"): _RESULT},
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]{1,9})/result")
    def version_result(
        self, request: Request, key: str | None = None, number: str | None = None
    ) -> Response:
        """The result of one version (``paraat-assessment-result/1``), masked for the user."""
        assessment = self._assessment(key)
        version = selectors.assessment_version_get(assessment=assessment, number=int(number or 0))
        return Response(selectors.version_result(version=version, user=request.user))  # type: ignore[arg-type]
