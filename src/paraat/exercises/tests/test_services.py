"""Services of the exercises: scenarios and injects, the clock, delivery, evaluation, lessons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from paraat.advice.models import AdviceRequest
from paraat.exercises import selectors, services
from paraat.exercises.models import ClockEvent, InjectDelivery
from paraat.exercises.tests.factories import minutes_ago, run_make, scenario_make
from paraat.preparedness import services as preparedness_services
from paraat.preparedness.models import PlaybookAction

pytestmark = pytest.mark.django_db


def test_scenario_create_validates_and_makes_unique_keys(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    with pytest.raises(ValidationError) as err:
        services.scenario_create(data=services.ScenarioData(title="  "), actor=cpo)
    assert "title" in err.value.message_dict
    one = services.scenario_create(data=services.ScenarioData(title="Oefening A"), actor=cpo)
    two = services.scenario_create(data=services.ScenarioData(title="Oefening A"), actor=cpo)
    assert one.key == "oefening-a" and two.key == "oefening-a-2"
    reserved = services.scenario_create(data=services.ScenarioData(title="Nieuw"), actor=cpo)
    assert reserved.key == "scenario-nieuw"


def test_only_managers_write(people: dict[str, Any]) -> None:
    for who in ("chair", "admin", "szw"):
        with pytest.raises(PermissionDenied):
            services.scenario_create(data=services.ScenarioData(title="X"), actor=people[who])
    scenario = scenario_make(actor=people["cpo"])
    with pytest.raises(PermissionDenied):
        services.run_create(scenario=scenario, actor=people["members"][0])


def test_inject_validation(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    scenario = scenario_make(actor=cpo)

    def bad(**kw: Any) -> dict[str, list[str]]:
        values: dict[str, Any] = {"offset_minutes": 5, "kind": "other", "title": "T"}
        values.update(kw)
        with pytest.raises(ValidationError) as err:
            services.inject_create(scenario=scenario, data=services.InjectData(**values), actor=cpo)
        return err.value.message_dict

    assert "offset_minutes" in bad(offset_minutes=-1)
    assert "kind" in bad(kind="explosion")
    assert "question" in bad(kind="advice_request", payload={"title": "x"})
    assert "deadline_hours" in bad(
        kind="advice_request", payload={"question": "q", "deadline_hours": "veel"}
    )
    assert "advice_kind" in bad(kind="advice_request", payload={"question": "q", "kind": "x"})
    assert "payload" in bad(payload=["not", "a", "dict"])
    inject = services.inject_create(
        scenario=scenario,
        data=services.InjectData(
            offset_minutes=10, kind="advice_request", title="Vraag", payload={"question": "q"}
        ),
        actor=cpo,
    )
    assert inject.payload == {
        "title": "Vraag",
        "question": "q",
        "kind": "urgent",
        "deadline_hours": 48,
    }


def test_clock_moves_are_checked_and_appended(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo)
    with pytest.raises(ValidationError):
        services.run_pause(run=run, actor=cpo)
    services.run_start(run=run, actor=cpo, at=minutes_ago(50))
    with pytest.raises(ValidationError):
        services.run_start(run=run, actor=cpo)
    with pytest.raises(ValidationError):
        services.run_resume(run=run, actor=cpo)
    services.run_pause(run=run, actor=cpo, at=minutes_ago(40))
    services.run_resume(run=run, actor=cpo, at=minutes_ago(20))
    services.run_end(run=run, actor=cpo, at=minutes_ago(0))
    assert [e.action for e in ClockEvent.objects.filter(run=run)] == [
        "start",
        "pause",
        "resume",
        "end",
    ]
    clock = selectors.run_clock(run=run)
    assert clock.state == "ended"
    assert clock.exercise_minutes == pytest.approx(30, abs=0.2)
    with pytest.raises(ValidationError):
        services.run_resume(run=run, actor=cpo)


def test_tick_delivers_due_injects_once_in_order(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo)
    assert services.run_tick(run=run) == []  # not started: nothing
    start = minutes_ago(200)
    services.run_start(run=run, actor=cpo, at=start)
    assert [d.inject.title for d in selectors.deliveries(run=run)] == ["Nieuwe variant gemeld"]
    delivered = services.run_tick(run=run, now=start + dt.timedelta(minutes=65))
    assert [d.inject.offset_minutes for d in delivered] == [30, 60]
    assert services.run_tick(run=run, now=start + dt.timedelta(minutes=65)) == []
    assert services.runs_tick(now=start + dt.timedelta(minutes=95)) >= 1
    assert InjectDelivery.objects.filter(run=run).count() == 4


def test_speed_factor_compresses_time(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo, speed=10)
    start = minutes_ago(30)
    services.run_start(run=run, actor=cpo, at=start)
    # 3 real minutes at speed 10 = 30 exercise minutes: the inject at minute 30 too.
    delivered = services.run_tick(run=run, now=start + dt.timedelta(minutes=3))
    assert [d.due_minutes for d in delivered] == [30]
    state = selectors.run_state(run=run, now=start + dt.timedelta(minutes=3))
    assert state.next_in == pytest.approx((30, 3))
    with pytest.raises(ValidationError):
        services.run_create(scenario=run.scenario, speed_factor="snel", actor=cpo)
    with pytest.raises(ValidationError):
        services.run_create(scenario=run.scenario, speed_factor=0, actor=cpo)


def test_advice_inject_creates_exercise_request(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo, speed=2)
    start = minutes_ago(40)
    services.run_start(run=run, actor=cpo, at=start)
    services.run_tick(run=run, now=start + dt.timedelta(minutes=30))
    delivery = InjectDelivery.objects.get(run=run, inject__kind="advice_request")
    request = delivery.advice_request
    assert request is not None and request.exercise_run == run
    assert request.title.startswith("OEFENING: ")
    assert request.key.startswith("oefening-")
    assert request.kind == "urgent" and request.is_synthetic
    # 48 exercise hours at speed 2: 24 real hours.
    assert request.deadline - request.received_at == dt.timedelta(hours=24)
    assert AdviceRequest.objects.filter(exercise_run=run).count() == 1


def test_participants(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo)
    assert [p.role for p in selectors.participants(run=run)] == ["lead"]
    services.participant_add(run=run, user=people["chair"], role="chair", actor=cpo)
    with pytest.raises(ValidationError):
        services.participant_add(run=run, user=people["chair"], role="member", actor=cpo)
    with pytest.raises(ValidationError):
        services.participant_add(run=run, user=people["expert"], role="boss", actor=cpo)
    assert selectors.is_participant(run=run, user=people["chair"])
    assert not selectors.is_participant(run=run, user=people["expert"])


def test_delivered_inject_and_played_scenario_are_kept(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo)
    services.run_start(run=run, actor=cpo)
    first = selectors.injects(scenario=run.scenario).first()
    assert first is not None
    with pytest.raises(ValidationError):
        services.inject_update(
            inject=first,
            data=services.InjectData(offset_minutes=1, kind="other", title="Anders"),
            actor=cpo,
        )
    with pytest.raises(ValidationError):
        services.inject_delete(inject=first, actor=cpo)
    with pytest.raises(ValidationError):
        services.scenario_delete(scenario=run.scenario, actor=cpo)
    last = selectors.injects(scenario=run.scenario).last()
    assert last is not None
    services.inject_delete(inject=last, actor=cpo)
    unplayed = scenario_make(actor=cpo, title="Ongespeeld")
    services.scenario_delete(scenario=unplayed, actor=cpo)
    assert selectors.scenario_by_key(key=unplayed.key) is None


def test_evaluation_and_lessons_become_playbook_actions(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    preparedness_services.playbook_defaults_ensure(actor=None)
    run = run_make(actor=cpo)
    with pytest.raises(ValidationError):
        services.evaluation_save(run=run, went_well="x", went_badly="", actor=cpo)
    services.run_start(run=run, actor=cpo, at=minutes_ago(10))
    services.run_end(run=run, actor=cpo)
    with pytest.raises(ValidationError):
        services.evaluation_save(run=run, went_well=" ", went_badly="", actor=cpo)
    evaluation = services.evaluation_save(
        run=run, went_well="Snel gestart.", went_badly="Rollen onduidelijk.", actor=cpo
    )
    again = services.evaluation_save(run=run, went_well="Snel.", went_badly="", actor=cpo)
    assert again.pk == evaluation.pk and again.went_well == "Snel."
    lesson = services.lesson_add(
        evaluation=evaluation,
        title="Contactpersoon ministerie vastleggen",
        description="Wie licht de vraag toe?",
        playbook_element="minister",
        actor=cpo,
    )
    action = PlaybookAction.objects.get(pk=lesson.playbook_action_id)
    assert action.source == f"oefening: {run.scenario.title}"
    assert action.section is not None and action.section.element == "minister"
    assert action.is_synthetic  # the scenario is synthetic
    with pytest.raises(ValidationError):
        services.lesson_add(evaluation=evaluation, title="", actor=cpo)
    with pytest.raises(ValidationError):
        services.lesson_add(
            evaluation=evaluation, title="x", playbook_element="nonsense", actor=cpo
        )
    with pytest.raises(PermissionDenied):
        services.lesson_add(evaluation=evaluation, title="x", actor=people["chair"])


def test_tick_uses_now_by_default(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo)
    services.run_start(run=run, actor=cpo, at=timezone.now() - dt.timedelta(minutes=45))
    services.run_tick(run=run)
    assert selectors.run_state(run=run).pending == 2
