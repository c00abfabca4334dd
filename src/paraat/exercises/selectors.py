"""Reads of paraat.exercises; every read applies the role checks.

* ``exercises.manage_exercises`` (CPO / secretariat) and ``exercises.view_exerciserun``
  (beheerder) see every run; ``exercises.view_scenario`` (committee) sees the scenarios and the
  runs the user takes part in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from paraat.accounts.selectors import AnyUser
from paraat.exercises import permissions as perms
from paraat.exercises.models import (
    ClockEvent,
    Evaluation,
    ExerciseRun,
    Inject,
    InjectDelivery,
    InjectKind,
    Lesson,
    Participant,
    Scenario,
)
from paraat_core import injects as core


def may_manage(*, user: AnyUser) -> bool:
    return bool(user.is_authenticated) and user.has_perm(perms.MANAGE_EXERCISES)


def may_view(*, user: AnyUser) -> bool:
    """May see the exercises pages at all (scenarios)."""
    return bool(user.is_authenticated) and (
        user.has_perm(perms.VIEW_SCENARIOS) or may_manage(user=user)
    )


def may_view_all_runs(*, user: AnyUser) -> bool:
    return bool(user.is_authenticated) and (
        user.has_perm(perms.VIEW_ALL_RUNS) or may_manage(user=user)
    )


# --- scenarios -------------------------------------------------------------------------------


def scenario_list(*, user: AnyUser) -> QuerySet[Scenario]:
    if not may_view(user=user):
        return Scenario.objects.none()
    return Scenario.objects.annotate(inject_count=Count("injects")).order_by("title", "pk")


def scenario_get(*, user: AnyUser, key: str) -> Scenario | None:
    return scenario_list(user=user).filter(key=key).first()


def scenario_by_key(*, key: str) -> Scenario | None:
    """A scenario by key without a role check: for operator commands and the demo."""
    return Scenario.objects.filter(key=key).first()


def injects(*, scenario: Scenario) -> QuerySet[Inject]:
    return scenario.injects.order_by("offset_minutes", "pk")


def inject_get(*, scenario: Scenario, pk: int) -> Inject | None:
    return injects(scenario=scenario).filter(pk=pk).first()


# --- runs ------------------------------------------------------------------------------------


def run_list(*, user: AnyUser) -> QuerySet[ExerciseRun]:
    """Runs ``user`` may see: all for managers and the beheerder, else those taken part in."""
    qs = ExerciseRun.objects.select_related("scenario").annotate(
        participant_count=Count("participations", distinct=True)
    )
    if may_view_all_runs(user=user):
        return qs.order_by("-created_at", "-pk")
    if not may_view(user=user):
        return qs.none()
    return qs.filter(participations__user_id=user.pk).order_by("-created_at", "-pk")


def run_get(*, user: AnyUser, pk: int) -> ExerciseRun | None:
    return run_list(user=user).filter(pk=pk).first()


def run_by_pk(*, pk: int) -> ExerciseRun | None:
    """A run without a role check: for the tick command."""
    return ExerciseRun.objects.select_related("scenario").filter(pk=pk).first()


def runs_to_tick() -> QuerySet[ExerciseRun]:
    """Runs whose clock was started and not ended (the cron's tick delivers their injects)."""
    started = ClockEvent.objects.filter(action="start").values("run_id")
    ended = ClockEvent.objects.filter(action="end").values("run_id")
    return ExerciseRun.objects.filter(pk__in=started).exclude(pk__in=ended).order_by("pk")


def participants(*, run: ExerciseRun) -> QuerySet[Participant]:
    return run.participations.select_related("user").order_by("role", "pk")


def is_participant(*, run: ExerciseRun, user: AnyUser) -> bool:
    return bool(user.is_authenticated) and run.participations.filter(user_id=user.pk).exists()


def clock_history(*, run: ExerciseRun) -> list[tuple[str, dt.datetime]]:
    return [(e.action, e.at) for e in run.clock_events.order_by("at", "pk")]


def clock_events(*, run: ExerciseRun) -> QuerySet[ClockEvent]:
    return run.clock_events.select_related("actor").order_by("at", "pk")


def run_clock(*, run: ExerciseRun, now: dt.datetime | None = None) -> core.Clock:
    return core.clock(
        clock_history(run=run), now=now or timezone.now(), speed=float(run.speed_factor)
    )


def deliveries(*, run: ExerciseRun) -> QuerySet[InjectDelivery]:
    return run.deliveries.select_related("inject", "advice_request").order_by(
        "due_minutes", "inject__pk", "pk"
    )


@dataclass(frozen=True)
class RunState:
    run: ExerciseRun
    clock: core.Clock
    delivered: list[InjectDelivery]
    pending: int
    next_inject: Inject | None
    next_in: tuple[float, float] | None
    """(exercise minutes, real minutes) until the next inject."""
    total: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> str:
        return self.clock.state

    @property
    def next_in_seconds(self) -> int | None:
        return None if self.next_in is None else max(0, round(self.next_in[1] * 60))


def run_state(*, run: ExerciseRun, now: dt.datetime | None = None) -> RunState:
    """The clock, what was delivered and what comes next (read after a tick)."""
    clock = run_clock(run=run, now=now)
    delivered = list(deliveries(run=run))
    done = {d.inject_id for d in delivered}
    remaining = [i for i in injects(scenario=run.scenario) if i.pk not in done]
    next_in = None
    next_inject = None
    if clock.state in ("not_started", "running", "paused") and remaining:
        next_inject = remaining[0]
        next_in = core.next_due_in(
            [i.offset_minutes for i in remaining],
            elapsed_minutes=clock.exercise_minutes,
            speed=float(run.speed_factor),
        )
    return RunState(
        run=run,
        clock=clock,
        delivered=delivered,
        pending=len(remaining),
        next_inject=next_inject,
        next_in=next_in,
        total=len(delivered) + len(remaining),
    )


def started_at(*, run: ExerciseRun) -> dt.datetime | None:
    return run.clock_events.filter(action="start").values_list("at", flat=True).first()


def ended_at(*, run: ExerciseRun) -> dt.datetime | None:
    return run.clock_events.filter(action="end").values_list("at", flat=True).first()


# --- evaluation ------------------------------------------------------------------------------


def evaluation_of(*, run: ExerciseRun) -> Evaluation | None:
    return Evaluation.objects.filter(run=run).first()


def lessons(*, evaluation: Evaluation) -> QuerySet[Lesson]:
    return evaluation.lessons.select_related("playbook_action").order_by("created_at", "pk")


@dataclass(frozen=True)
class AdviceTiming:
    delivery: InjectDelivery
    request_key: str
    request_title: str
    received_at: dt.datetime
    deadline: dt.datetime
    sent_at: dt.datetime | None
    hours_to_dispatch: float | None
    exercise_hours_to_dispatch: float | None
    met_deadline: bool | None


def advice_timings(*, run: ExerciseRun) -> list[AdviceTiming]:
    """Per advice-request inject: from its delivery to the dispatch of the exercise advice
    (real hours and exercise hours at the run's speed), and whether the deadline was met."""
    from paraat.advice import selectors as advice_selectors

    rows = []
    speed = float(run.speed_factor)
    for delivery in deliveries(run=run).filter(
        inject__kind=InjectKind.ADVICE_REQUEST, advice_request__isnull=False
    ):
        request = delivery.advice_request
        assert request is not None
        times = advice_selectors.exercise_request_timings(request=request)
        sent = times["sent_at"]
        hours = None if sent is None else (sent - delivery.delivered_at).total_seconds() / 3600
        rows.append(
            AdviceTiming(
                delivery=delivery,
                request_key=request.key,
                request_title=request.title,
                received_at=request.received_at,
                deadline=request.deadline,
                sent_at=sent,
                hours_to_dispatch=hours,
                exercise_hours_to_dispatch=None if hours is None else hours * speed,
                met_deadline=None if sent is None else sent <= request.deadline,
            )
        )
    return rows


# --- for the yearly report -------------------------------------------------------------------


@dataclass(frozen=True)
class LessonRow:
    title: str
    description: str
    playbook_action_id: int | None
    playbook_action_title: str
    playbook_action_status: str


@dataclass(frozen=True)
class ExerciseRow:
    run_id: int
    title: str
    scenario: str
    scenario_is_synthetic: bool
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    participants: int
    evaluated: bool
    went_well: str
    went_badly: str
    lessons: list[LessonRow]


def exercise_list_between(*, start: dt.date, end: dt.date) -> list[ExerciseRow]:
    """Runs started between ``start`` and ``end`` (inclusive, local dates), each with its
    scenario, participants count, evaluation and lessons with their playbook actions."""
    starts = {
        e.run_id: e.at
        for e in ClockEvent.objects.filter(action="start").only("run_id", "at")
        if start <= timezone.localdate(e.at) <= end
    }
    ends = dict(
        ClockEvent.objects.filter(action="end", run_id__in=starts).values_list("run_id", "at")
    )
    runs = (
        ExerciseRun.objects.filter(pk__in=starts)
        .select_related("scenario")
        .annotate(participant_count=Count("participations", distinct=True))
        .prefetch_related(
            Prefetch(
                "evaluation__lessons",
                queryset=Lesson.objects.select_related("playbook_action").order_by(
                    "created_at", "pk"
                ),
            )
        )
    )
    rows = []
    for run in runs:
        evaluation = getattr(run, "evaluation", None) if _has_evaluation(run) else None
        lesson_rows = []
        if evaluation is not None:
            for lesson in evaluation.lessons.all():
                action = lesson.playbook_action
                lesson_rows.append(
                    LessonRow(
                        title=lesson.title,
                        description=lesson.description,
                        playbook_action_id=action.pk if action else None,
                        playbook_action_title=action.title if action else "",
                        playbook_action_status=action.status if action else "",
                    )
                )
        rows.append(
            ExerciseRow(
                run_id=run.pk,
                title=run.title,
                scenario=run.scenario.title,
                scenario_is_synthetic=run.scenario.is_synthetic,
                started_at=starts[run.pk],
                ended_at=ends.get(run.pk),
                participants=run.participant_count,  # type: ignore[attr-defined]
                evaluated=evaluation is not None,
                went_well=evaluation.went_well if evaluation else "",
                went_badly=evaluation.went_badly if evaluation else "",
                lessons=lesson_rows,
            )
        )
    rows.sort(key=lambda r: (r.started_at or timezone.now(), r.run_id))
    return rows


def _has_evaluation(run: ExerciseRun) -> bool:
    try:
        run.evaluation  # noqa: B018
    except Evaluation.DoesNotExist:
        return False
    return True
