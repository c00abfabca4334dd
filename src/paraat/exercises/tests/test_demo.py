"""The demo of the exercises, on top of the demo users and the playbook it relies on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paraat.accounts.services import roles_sync
from paraat.advice import selectors as advice_selectors
from paraat.exercises.demo import DONE_TITLE, PLANNED_TITLE, exercises_demo_load
from paraat.exercises.models import ExerciseRun, Lesson
from paraat.web.demo import demo_users_create

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_labelled(shared_data: Path, settings: Any) -> None:
    settings.PARAAT_SHARED_DATA_DIR = shared_data
    roles_sync()
    demo_users_create()
    first = exercises_demo_load()
    second = exercises_demo_load()
    assert first == second
    assert first["autumn_2020_injects"] == 12
    planned = ExerciseRun.objects.get(title=PLANNED_TITLE)
    assert planned.participations.count() == 5 and not planned.clock_events.exists()
    done = ExerciseRun.objects.get(title=DONE_TITLE)
    assert done.scenario.is_synthetic and done.evaluation.went_well.startswith("Synthetisch")
    lessons = Lesson.objects.filter(evaluation__run=done)
    assert lessons.count() == 2
    assert all(lesson.playbook_action and lesson.playbook_action.is_synthetic for lesson in lessons)
    # the demo's exercise advice request stays out of the real lists
    cpo = planned.created_by
    assert all(not r.exercise_run_id for r in advice_selectors.advice_list(user=cpo))
    assert advice_selectors.exercise_requests(user=cpo, run=done).count() == 1
