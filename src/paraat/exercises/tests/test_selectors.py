"""Selectors of the exercises: who sees what, the run state, the yearly-report rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from paraat.exercises import selectors, services
from paraat.exercises.tests.factories import minutes_ago, run_make, scenario_make

pytestmark = pytest.mark.django_db


def test_visibility_by_role(people: dict[str, Any]) -> None:
    cpo, chair, member = people["cpo"], people["chair"], people["members"][0]
    taking_part = run_make(actor=cpo, title="Met voorzitter")
    services.participant_add(run=taking_part, user=chair, role="chair", actor=cpo)
    other = run_make(actor=cpo, scenario=taking_part.scenario, title="Zonder voorzitter")
    assert set(selectors.run_list(user=cpo)) == {taking_part, other}
    assert set(selectors.run_list(user=people["admin"])) == {taking_part, other}
    assert list(selectors.run_list(user=chair)) == [taking_part]
    assert list(selectors.run_list(user=member)) == []
    assert selectors.run_get(user=member, pk=taking_part.pk) is None
    assert list(selectors.scenario_list(user=member)) == [taking_part.scenario]
    for nobody in (people["szw"], people["analyst"], AnonymousUser()):
        assert not selectors.may_view(user=nobody)
        assert list(selectors.run_list(user=nobody)) == []
        assert list(selectors.scenario_list(user=nobody)) == []
    assert selectors.may_manage(user=cpo) and not selectors.may_manage(user=people["admin"])


def test_run_state_counts_and_next_inject(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo)
    state = selectors.run_state(run=run)
    assert state.state == "not_started" and state.total == 4 and state.pending == 4
    assert state.next_inject is not None and state.next_inject.offset_minutes == 0
    start = minutes_ago(45)
    services.run_start(run=run, actor=cpo, at=start)
    services.run_tick(run=run, now=start + dt.timedelta(minutes=45))
    state = selectors.run_state(run=run, now=start + dt.timedelta(minutes=45))
    assert len(state.delivered) == 2 and state.pending == 2
    assert state.next_inject is not None and state.next_inject.offset_minutes == 60
    assert state.next_in_seconds == 15 * 60
    assert [r.pk for r in selectors.runs_to_tick()] == [run.pk]
    services.run_end(run=run, actor=cpo)
    assert selectors.runs_to_tick().count() == 0
    assert selectors.run_state(run=run).next_in is None


def test_exercise_list_between(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    run = run_make(actor=cpo, title="In de periode")
    services.participant_add(run=run, user=people["chair"], role="chair", actor=cpo)
    services.run_start(run=run, actor=cpo, at=minutes_ago(100))
    services.run_end(run=run, actor=cpo)
    evaluation = services.evaluation_save(run=run, went_well="Goed", went_badly="", actor=cpo)
    services.lesson_add(evaluation=evaluation, title="Les 1", actor=cpo)
    run_make(actor=cpo, scenario=run.scenario, title="Nooit gestart")
    today = timezone.localdate()
    rows = selectors.exercise_list_between(start=today - dt.timedelta(days=1), end=today)
    assert [r.title for r in rows] == ["In de periode"]
    row = rows[0]
    assert row.participants == 2 and row.evaluated and row.went_well == "Goed"
    assert row.scenario == run.scenario.title and row.scenario_is_synthetic
    assert row.ended_at is not None
    assert [(lesson.title, lesson.playbook_action_status) for lesson in row.lessons] == [
        ("Les 1", "open")
    ]
    assert row.lessons[0].playbook_action_id is not None
    assert (
        selectors.exercise_list_between(
            start=today - dt.timedelta(days=30), end=today - dt.timedelta(days=2)
        )
        == []
    )


def test_scenario_lookups(people: dict[str, Any]) -> None:
    scenario = scenario_make(actor=people["cpo"], title="Opzoeken")
    assert selectors.scenario_get(user=people["chair"], key=scenario.key) == scenario
    assert selectors.scenario_get(user=people["szw"], key=scenario.key) is None
    first = selectors.injects(scenario=scenario).first()
    assert first is not None
    assert selectors.inject_get(scenario=scenario, pk=first.pk) == first
    other = scenario_make(actor=people["cpo"], title="Ander")
    assert selectors.inject_get(scenario=other, pk=first.pk) is None
