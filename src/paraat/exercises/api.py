"""API of paraat.exercises under ``/api/v1/exercises/``.

* ``scenarios/`` (lookup: key): scenarios with their injects; ``scenarios/{key}/injects/`` to
  add, ``scenarios/{key}/injects/{pk}/`` to change or delete one (never after delivery);
  ``scenarios/autumn-2020/`` makes the ready scenario “Najaar 2020”.
* ``runs/``: exercise runs; ``runs/{pk}/start|pause|resume|end|tick/`` move the clock or deliver
  what is due; ``runs/{pk}/participants/``; ``runs/{pk}/evaluation/`` (GET, PUT) and
  ``runs/{pk}/lessons/`` (GET, POST: a lesson becomes a playbook action).

Reads follow the pages: the committee sees scenarios and the runs it takes part in (others are
a 404); writes need ``exercises.manage_exercises`` (403).  Bad input is a 400 by field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import URLPattern
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from paraat.accounts.models import User
from paraat.api.exceptions import call_service
from paraat.api.parsers import json_has_nul
from paraat.exercises import selectors, services
from paraat.exercises.models import (
    ExerciseRole,
    ExerciseRun,
    Inject,
    InjectKind,
    Scenario,
)
from paraat.exercises.services import OFFSET_MAX, SPEED_RANGE, TEXT_MAX

KEY_REGEX = "[-a-zA-Z0-9_]+"


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parse(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- serializers (input) ---------------------------------------------------------------------


class ScenarioInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    source_note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    is_synthetic = serializers.BooleanField(required=False, default=False)
    key = serializers.SlugField(max_length=100, required=False, allow_blank=True)


class InjectInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    offset_minutes = serializers.IntegerField(min_value=0, max_value=OFFSET_MAX)
    kind = serializers.ChoiceField(choices=InjectKind.choices)
    title = serializers.CharField(max_length=300)
    content = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    payload = serializers.DictField(
        required=False,
        default=dict,
        help_text="Bij een adviesaanvraag: title, question, kind (urgent/long_term), "
        "deadline_hours (standaard 48)",
    )
    is_synthetic = serializers.BooleanField(required=False, default=False)
    source_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    real_date = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_payload(self, value: dict[str, Any]) -> dict[str, Any]:
        if json_has_nul(value):
            raise serializers.ValidationError(_("De gegevens bevatten een NUL-teken."))
        return value


class RunInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    scenario = serializers.SlugField(max_length=100, help_text="Sleutel van het scenario")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    speed_factor = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=SPEED_RANGE[0],
        max_value=SPEED_RANGE[1],
        required=False,
        default=1,
    )


class ParticipantInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=ExerciseRole.choices)


class EvaluationInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    went_well = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    went_badly = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


class LessonInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    playbook_element = serializers.CharField(max_length=40, required=False, allow_blank=True)


# --- rendering -------------------------------------------------------------------------------


def _inject(inject: Inject) -> dict[str, Any]:
    return {
        "id": inject.pk,
        "offset_minutes": inject.offset_minutes,
        "kind": inject.kind,
        "title": inject.title,
        "content": inject.content,
        "payload": inject.payload,
        "is_synthetic": inject.is_synthetic,
        "source_note": inject.source_note,
        "real_date": _iso(inject.real_date),
    }


def _scenario(scenario: Scenario, *, injects: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": scenario.key,
        "title": scenario.title,
        "description": scenario.description,
        "is_synthetic": scenario.is_synthetic,
        "source_note": scenario.source_note,
    }
    if injects:
        row["injects"] = [_inject(i) for i in selectors.injects(scenario=scenario)]
    return row


def _run(run: ExerciseRun, user: Any, *, detail: bool = False) -> dict[str, Any]:
    state = selectors.run_state(run=run)
    row: dict[str, Any] = {
        "id": run.pk,
        "title": run.title,
        "exercise": True,
        "scenario": run.scenario.key,
        "speed_factor": str(run.speed_factor),
        "state": state.state,
        "exercise_minutes": round(state.clock.exercise_minutes, 2),
        "delivered": len(state.delivered),
        "total_injects": state.total,
        "next_inject": state.next_inject.pk if state.next_inject else None,
        "next_in_exercise_minutes": round(state.next_in[0], 2) if state.next_in else None,
        "next_in_real_seconds": state.next_in_seconds,
    }
    if detail:
        from paraat.advice import selectors as advice_selectors

        row["deliveries"] = [
            {
                "inject": d.inject_id,
                "title": d.inject.title,
                "kind": d.inject.kind,
                "due_minutes": d.due_minutes,
                "delivered_at": _iso(d.delivered_at),
                "exercise_minutes": d.exercise_minutes,
                "advice_request": d.advice_request.key if d.advice_request else None,
            }
            for d in state.delivered
        ]
        row["participants"] = [
            {"username": p.user.get_username(), "name": p.user.get_full_name(), "role": p.role}
            for p in selectors.participants(run=run)
        ]
        row["clock"] = [
            {"action": action_, "at": _iso(at)} for action_, at in selectors.clock_history(run=run)
        ]
        row["advice_requests"] = [
            {"key": a.key, "title": a.title, "deadline": _iso(a.deadline)}
            for a in advice_selectors.exercise_requests(user=user, run=run)
        ]
    return row


def _evaluation(run: ExerciseRun) -> dict[str, Any]:
    evaluation = selectors.evaluation_of(run=run)
    return {
        "run": run.pk,
        "went_well": evaluation.went_well if evaluation else "",
        "went_badly": evaluation.went_badly if evaluation else "",
        "notes": evaluation.notes if evaluation else "",
        "recorded": evaluation is not None,
        "started_at": _iso(selectors.started_at(run=run)),
        "ended_at": _iso(selectors.ended_at(run=run)),
        "advice_timings": [
            {
                "advice_request": t.request_key,
                "received_at": _iso(t.received_at),
                "deadline": _iso(t.deadline),
                "sent_at": _iso(t.sent_at),
                "hours_to_dispatch": None
                if t.hours_to_dispatch is None
                else round(t.hours_to_dispatch, 2),
                "exercise_hours_to_dispatch": None
                if t.exercise_hours_to_dispatch is None
                else round(t.exercise_hours_to_dispatch, 2),
                "met_deadline": t.met_deadline,
            }
            for t in selectors.advice_timings(run=run)
        ],
        "lessons": [_lesson(lesson) for lesson in selectors.lessons(evaluation=evaluation)]
        if evaluation
        else [],
    }


def _lesson(lesson: Any) -> dict[str, Any]:
    action_ = lesson.playbook_action
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "description": lesson.description,
        "playbook_element": lesson.playbook_element,
        "playbook_action": None
        if action_ is None
        else {
            "id": action_.pk,
            "title": action_.title,
            "source": action_.source,
            "status": action_.status,
        },
    }


# --- response schemas (what the rendering functions above return) ---------------------------
# Classes, not ``inline_serializer``: a schema used in two places must be one class. Kinds and
# roles are plain strings here (their values are documented by the input serializers' enums).

_KIND_HELP = "Soort inject (zie InjectInKindEnum)"


class ExerciseInjectSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    offset_minutes = serializers.IntegerField()
    kind = serializers.CharField(help_text=_KIND_HELP)
    title = serializers.CharField()
    content = serializers.CharField()
    payload = serializers.DictField()
    is_synthetic = serializers.BooleanField()
    source_note = serializers.CharField()
    real_date = serializers.DateField(allow_null=True)


class ExerciseScenarioSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    is_synthetic = serializers.BooleanField()
    source_note = serializers.CharField()


class ExerciseScenarioDetailSerializer(ExerciseScenarioSerializer):
    injects = ExerciseInjectSerializer(many=True)


class ExerciseRunSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    exercise = serializers.BooleanField(help_text="Altijd true: een oefening")
    scenario = serializers.CharField(help_text="Sleutel van het scenario")
    speed_factor = serializers.CharField()
    state = serializers.CharField(help_text="not_started, running, paused of ended")
    exercise_minutes = serializers.FloatField()
    delivered = serializers.IntegerField()
    total_injects = serializers.IntegerField()
    next_inject = serializers.IntegerField(allow_null=True)
    next_in_exercise_minutes = serializers.FloatField(allow_null=True)
    next_in_real_seconds = serializers.IntegerField(allow_null=True)


class ExerciseDeliverySerializer(serializers.Serializer):  # type: ignore[type-arg]
    inject = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text=_KIND_HELP)
    due_minutes = serializers.IntegerField()
    delivered_at = serializers.DateTimeField()
    exercise_minutes = serializers.IntegerField()
    advice_request = serializers.CharField(allow_null=True)


class ExerciseParticipantSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(help_text="Rol in de oefening (zie ParticipantInRoleEnum)")


class ExerciseClockMoveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    action = serializers.CharField()
    at = serializers.DateTimeField()


class ExerciseAdviceRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    title = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)


class ExerciseRunDetailSerializer(ExerciseRunSerializer):
    deliveries = ExerciseDeliverySerializer(many=True)
    participants = ExerciseParticipantSerializer(many=True)
    clock = ExerciseClockMoveSerializer(many=True)
    advice_requests = ExerciseAdviceRequestSerializer(many=True)


class ExerciseRunTickSerializer(ExerciseRunDetailSerializer):
    delivered_now = serializers.ListField(
        child=serializers.IntegerField(), help_text="De nu afgeleverde injects (id)"
    )


class ExercisePlaybookActionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    source = serializers.CharField()
    status = serializers.CharField()


class ExerciseLessonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    playbook_element = serializers.CharField()
    playbook_action = ExercisePlaybookActionSerializer(allow_null=True)


class ExerciseAdviceTimingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    advice_request = serializers.CharField()
    received_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    hours_to_dispatch = serializers.FloatField(allow_null=True)
    exercise_hours_to_dispatch = serializers.FloatField(allow_null=True)
    met_deadline = serializers.BooleanField(allow_null=True)


class ExerciseEvaluationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    run = serializers.IntegerField()
    went_well = serializers.CharField()
    went_badly = serializers.CharField()
    notes = serializers.CharField()
    recorded = serializers.BooleanField()
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    advice_timings = ExerciseAdviceTimingSerializer(many=True)
    lessons = ExerciseLessonSerializer(many=True)


_INJECT_OUT = ExerciseInjectSerializer
_SCENARIO_LIST = ExerciseScenarioSerializer(many=True)
_SCENARIO_DETAIL = ExerciseScenarioDetailSerializer
_RUN_LIST = ExerciseRunSerializer(many=True)
_RUN_DETAIL = ExerciseRunDetailSerializer
_RUN_TICK = ExerciseRunTickSerializer
_LESSON = ExerciseLessonSerializer
_LESSON_LIST = ExerciseLessonSerializer(many=True)
_EVALUATION = ExerciseEvaluationSerializer
_INJECT = OpenApiParameter("inject_pk", int, OpenApiParameter.PATH)


class _Base(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    @property
    def user(self) -> Any:
        return self.request.user

    def _view(self) -> None:
        if not selectors.may_view(user=self.user):
            raise PermissionDenied(_("Uw rol geeft geen toegang tot de oefeningen."))

    def _manage(self) -> None:
        if not selectors.may_manage(user=self.user):
            raise PermissionDenied(_("Uw rol staat het leiden van oefeningen niet toe."))


class ScenarioViewSet(_Base):
    """Exercise scenarios (oefenscenario's) and their injects."""

    queryset = Scenario.objects.none()
    serializer_class = ScenarioInSerializer
    lookup_field = "key"
    lookup_value_regex = KEY_REGEX

    def _get(self, key: str | None) -> Scenario:
        self._view()
        scenario = selectors.scenario_get(user=self.user, key=key or "")
        if scenario is None:
            raise NotFound(_("Scenario niet gevonden."))
        return scenario

    @extend_schema(responses={200: _SCENARIO_LIST})
    def list(self, request: Request) -> Response:
        """The scenarios (without their injects)."""
        self._view()
        return Response([_scenario(s) for s in selectors.scenario_list(user=self.user)])

    @extend_schema(responses={200: _SCENARIO_DETAIL})
    def retrieve(self, request: Request, key: str | None = None) -> Response:
        """A scenario with its injects, in order."""
        return Response(_scenario(self._get(key), injects=True))

    @extend_schema(request=ScenarioInSerializer, responses={201: _SCENARIO_DETAIL})
    def create(self, request: Request) -> Response:
        self._manage()
        data = _parse(ScenarioInSerializer, request.data)
        scenario = call_service(
            services.scenario_create,
            data=services.ScenarioData(
                title=data["title"],
                description=data.get("description", ""),
                source_note=data.get("source_note", ""),
                is_synthetic=data["is_synthetic"],
                key=data.get("key", ""),
            ),
            actor=self.user,
        )
        return Response(_scenario(scenario, injects=True), status=status.HTTP_201_CREATED)

    @extend_schema(request=ScenarioInSerializer, responses={200: _SCENARIO_DETAIL})
    def update(self, request: Request, key: str | None = None) -> Response:
        self._manage()
        scenario = self._get(key)
        data = _parse(ScenarioInSerializer, request.data)
        call_service(
            services.scenario_update,
            scenario=scenario,
            data=services.ScenarioData(
                title=data["title"],
                description=data.get("description", ""),
                source_note=data.get("source_note", ""),
                is_synthetic=data["is_synthetic"],
            ),
            actor=self.user,
        )
        return Response(_scenario(scenario, injects=True))

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, key: str | None = None) -> Response:
        self._manage()
        scenario = self._get(key)
        call_service(services.scenario_delete, scenario=scenario, actor=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=InjectInSerializer, responses={201: _INJECT_OUT})
    @action(detail=True, methods=["post"], url_path="injects")
    def injects(self, request: Request, key: str | None = None) -> Response:
        """Add an inject."""
        self._manage()
        scenario = self._get(key)
        inject = call_service(
            services.inject_create,
            scenario=scenario,
            data=_inject_data(_parse(InjectInSerializer, request.data)),
            actor=self.user,
        )
        return Response(_inject(inject), status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PUT"],
        parameters=[_INJECT],
        request=InjectInSerializer,
        responses={200: _INJECT_OUT},
    )
    @extend_schema(methods=["DELETE"], parameters=[_INJECT], responses={204: None})
    @action(detail=True, methods=["put", "delete"], url_path=r"injects/(?P<inject_pk>[0-9]+)")
    def inject(self, request: Request, key: str | None = None, inject_pk: str = "") -> Response:
        """Change or delete an inject that was never delivered."""
        self._manage()
        scenario = self._get(key)
        inject = selectors.inject_get(scenario=scenario, pk=int(inject_pk))
        if inject is None:
            raise NotFound(_("Inject niet gevonden."))
        if request.method == "DELETE":
            call_service(services.inject_delete, inject=inject, actor=self.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _parse(InjectInSerializer, request.data)
        call_service(
            services.inject_update, inject=inject, data=_inject_data(data), actor=self.user
        )
        return Response(_inject(inject))

    @extend_schema(request=None, responses={201: _SCENARIO_DETAIL})
    @action(detail=False, methods=["post"], url_path="autumn-2020")
    def autumn_2020(self, request: Request) -> Response:
        """Make the ready scenario “Najaar 2020” from the real data (idempotent)."""
        self._manage()
        scenario = call_service(services.scenario_autumn_2020_create, actor=self.user)
        return Response(_scenario(scenario, injects=True), status=status.HTTP_201_CREATED)


def _inject_data(data: dict[str, Any]) -> services.InjectData:
    return services.InjectData(
        offset_minutes=data["offset_minutes"],
        kind=data["kind"],
        title=data["title"],
        content=data.get("content", ""),
        payload=dict(data.get("payload") or {}),
        is_synthetic=data["is_synthetic"],
        source_note=data.get("source_note", ""),
        real_date=data.get("real_date"),
    )


class RunViewSet(_Base):
    """Exercise runs (oefeningen): clock, injects delivered, participants, evaluation."""

    queryset = ExerciseRun.objects.none()
    serializer_class = RunInSerializer

    def _get(self, pk: str | None) -> ExerciseRun:
        self._view()
        try:
            number = int(pk or "")
        except ValueError:
            raise NotFound(_("Oefening niet gevonden.")) from None
        run = selectors.run_get(user=self.user, pk=number)
        if run is None:
            raise NotFound(_("Oefening niet gevonden."))
        return run

    @extend_schema(responses={200: _RUN_LIST})
    def list(self, request: Request) -> Response:
        self._view()
        return Response([_run(r, self.user) for r in selectors.run_list(user=self.user)])

    @extend_schema(responses={200: _RUN_DETAIL})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """A run after delivering what is due (as the run page does)."""
        run = self._get(pk)
        services.run_tick(run=run)
        return Response(_run(run, self.user, detail=True))

    @extend_schema(request=RunInSerializer, responses={201: _RUN_DETAIL})
    def create(self, request: Request) -> Response:
        self._manage()
        data = _parse(RunInSerializer, request.data)
        scenario = selectors.scenario_get(user=self.user, key=data["scenario"])
        if scenario is None:
            raise serializers.ValidationError({"scenario": [_("Onbekend scenario.")]})
        run = call_service(
            services.run_create,
            scenario=scenario,
            title=data["title"],
            speed_factor=data["speed_factor"],
            actor=self.user,
        )
        return Response(_run(run, self.user, detail=True), status=status.HTTP_201_CREATED)

    def _clock(self, pk: str | None, service: Any) -> Response:
        self._manage()
        run = self._get(pk)
        call_service(service, run=run, actor=self.user)
        return Response(_run(run, self.user, detail=True))

    @extend_schema(request=None, responses={200: _RUN_DETAIL})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._clock(pk, services.run_start)

    @extend_schema(request=None, responses={200: _RUN_DETAIL})
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        return self._clock(pk, services.run_pause)

    @extend_schema(request=None, responses={200: _RUN_DETAIL})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        return self._clock(pk, services.run_resume)

    @extend_schema(request=None, responses={200: _RUN_DETAIL})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        return self._clock(pk, services.run_end)

    @extend_schema(request=None, responses={200: _RUN_TICK})
    @action(detail=True, methods=["post"])
    def tick(self, request: Request, pk: str | None = None) -> Response:
        """Deliver the injects that are due; returns the run with the new deliveries."""
        run = self._get(pk)
        delivered = services.run_tick(run=run)
        body = _run(run, self.user, detail=True)
        body["delivered_now"] = [d.inject_id for d in delivered]
        return Response(body)

    @extend_schema(request=ParticipantInSerializer, responses={201: _RUN_DETAIL})
    @action(detail=True, methods=["post"])
    def participants(self, request: Request, pk: str | None = None) -> Response:
        self._manage()
        run = self._get(pk)
        data = _parse(ParticipantInSerializer, request.data)
        user = User.objects.filter(username=data["username"], is_active=True).first()
        if user is None:
            raise serializers.ValidationError({"username": [_("Onbekend actief account.")]})
        call_service(
            services.participant_add, run=run, user=user, role=data["role"], actor=self.user
        )
        return Response(_run(run, self.user, detail=True), status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: _EVALUATION})
    @extend_schema(methods=["PUT"], request=EvaluationInSerializer, responses={200: _EVALUATION})
    @action(detail=True, methods=["get", "put"])
    def evaluation(self, request: Request, pk: str | None = None) -> Response:
        """The evaluation with its time figures and lessons; PUT records it (ended runs)."""
        run = self._get(pk)
        if request.method == "PUT":
            self._manage()
            data = _parse(EvaluationInSerializer, request.data)
            call_service(
                services.evaluation_save,
                run=run,
                went_well=data.get("went_well", ""),
                went_badly=data.get("went_badly", ""),
                notes=data.get("notes", ""),
                actor=self.user,
            )
        return Response(_evaluation(run))

    @extend_schema(methods=["GET"], responses={200: _LESSON_LIST})
    @extend_schema(methods=["POST"], request=LessonInSerializer, responses={201: _LESSON})
    @action(detail=True, methods=["get", "post"])
    def lessons(self, request: Request, pk: str | None = None) -> Response:
        """The lessons; POST adds one, which becomes a playbook action."""
        run = self._get(pk)
        evaluation = selectors.evaluation_of(run=run)
        if request.method == "GET":
            rows = selectors.lessons(evaluation=evaluation) if evaluation else []
            return Response([_lesson(lesson) for lesson in rows])
        self._manage()
        if evaluation is None:
            raise serializers.ValidationError({"title": [_("Leg eerst de evaluatie vast.")]})
        data = _parse(LessonInSerializer, request.data)
        lesson = call_service(
            services.lesson_add,
            evaluation=evaluation,
            title=data["title"],
            description=data.get("description", ""),
            playbook_element=data.get("playbook_element", ""),
            actor=self.user,
        )
        return Response(_lesson(lesson), status=status.HTTP_201_CREATED)


ROUTES: list[tuple[str, Any, str]] = [
    ("exercises/scenarios", ScenarioViewSet, "exercise-scenario"),
    ("exercises/runs", RunViewSet, "exercise-run"),
]
URLS: list[URLPattern] = []
