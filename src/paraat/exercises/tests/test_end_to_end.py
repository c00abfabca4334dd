"""An exercise from the first inject to the evaluation (issue 7, “done when”).

The clock is patched (``django.utils.timezone.now``) and moved forward: the run starts, injects
arrive in order as time passes, the advice-request inject creates an exercise request, which goes
through the real advice process (input, text, vote, sign-off, dispatch) in exercise mode, the run
ends, is evaluated, and its lessons become playbook actions.  Throughout, nothing appears in the
real advice lists or the knowledge library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from paraat.advice import selectors as advice_selectors
from paraat.advice import services as advice_services
from paraat.advice.tests import factories as advice_factories
from paraat.evidence.models import EvidenceItem
from paraat.exercises import selectors, services
from paraat.exercises.tests.factories import scenario_make
from paraat.preparedness.models import PlaybookAction

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    fake = Clock(timezone.now().replace(microsecond=0) - dt.timedelta(days=3))
    with mock.patch("django.utils.timezone.now", fake):
        yield fake


def test_exercise_from_first_inject_to_evaluation(
    clock: Clock, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    people = advice_factories.committee()
    cpo, chair = people["cpo"], people["chair"]
    evidence_before = EvidenceItem.objects.count()

    scenario = scenario_make(actor=cpo, title="Nieuwe variant, eind-tot-eind (synthetisch)")
    run = services.run_create(scenario=scenario, title="E2E-oefening", actor=cpo)
    services.participant_add(run=run, user=chair, role="chair", actor=cpo)
    for member in people["members"]:
        services.participant_add(run=run, user=member, role="member", actor=cpo)
    services.participant_add(run=run, user=people["expert"], role="expert", actor=cpo)

    # Start: the inject at minute 0 arrives at once.
    start = clock.now
    services.run_start(run=run, actor=cpo)
    assert [d.due_minutes for d in selectors.deliveries(run=run)] == [0]

    clock.advance(minutes=10)
    assert services.run_tick(run=run) == []
    state = selectors.run_state(run=run)
    assert state.next_inject is not None and state.next_in_seconds == 20 * 60

    clock.advance(minutes=21)  # minute 31
    assert [d.inject.title for d in services.run_tick(run=run)] == ["Opnames stijgen"]

    clock.advance(minutes=30)  # minute 61: the advice request arrives
    assert services.runs_tick() == 1
    delivery = selectors.deliveries(run=run).get(inject__kind="advice_request")
    request = delivery.advice_request
    assert request is not None and request.exercise_run_id == run.pk
    assert request.title.startswith("OEFENING")
    assert request.received_at == clock.now
    assert request.deadline == clock.now + dt.timedelta(hours=48)
    assert advice_selectors.advice_list(user=cpo).count() == 0

    clock.advance(minutes=30)  # minute 91: the last inject
    services.run_tick(run=run)
    deliveries = list(selectors.deliveries(run=run))
    assert [d.due_minutes for d in deliveries] == [0, 30, 60, 90]
    assert [d.delivered_at for d in deliveries] == sorted(d.delivered_at for d in deliveries)
    assert selectors.run_state(run=run).next_inject is None

    # The real advice process, in exercise mode.
    clock.advance(hours=1)
    advice_services.advice_transition(request=request, to="input_requested", actor=cpo)
    row, _token = advice_factories.input_make(
        request=request, actor=cpo, deadline=clock.now + dt.timedelta(hours=12)
    )
    clock.advance(hours=3)
    response = advice_services.input_response_submit(
        input_request=row,
        data=advice_services.ResponseData(
            signal="Horeca en jongeren worden hard geraakt.",
            severity="high",
            interests_status="none",
        ),
    )
    assert response.evidence is None
    clock.advance(hours=10)
    advice_factories.decided(request=request, people=people)
    clock.advance(hours=2)
    advice_services.advice_sign_off(request=request, actor=chair)
    dispatch = advice_services.advice_dispatch(request=request, actor=chair)
    sent_at = dispatch.sent_at
    assert advice_selectors.status_of(request) == "embargo"

    clock.advance(minutes=15)
    services.run_end(run=run, actor=cpo)
    assert selectors.run_clock(run=run).state == "ended"

    # Evaluation with the time figures.
    timings = selectors.advice_timings(run=run)
    assert len(timings) == 1
    assert timings[0].sent_at == sent_at
    assert timings[0].hours_to_dispatch == pytest.approx(
        (sent_at - delivery.delivered_at).total_seconds() / 3600
    )
    assert timings[0].hours_to_dispatch == pytest.approx(16.5)
    assert timings[0].met_deadline is True
    evaluation = services.evaluation_save(
        run=run,
        went_well="Uitvraag stond binnen een uur uit; advies ruim binnen 48 uur verzonden.",
        went_badly="Onduidelijk wie het ministerie vertegenwoordigde.",
        actor=cpo,
    )
    lesson = services.lesson_add(
        evaluation=evaluation,
        title="Contactpersoon ministerie in het draaiboek",
        playbook_element="minister",
        actor=cpo,
    )
    action = PlaybookAction.objects.get(pk=lesson.playbook_action_id)
    assert action.source == f"oefening: {scenario.title}" and action.status == "open"

    # The yearly report sees the exercise with its lesson and action.
    rows = selectors.exercise_list_between(
        start=timezone.localdate(start), end=timezone.localdate(clock.now)
    )
    assert [(r.title, r.participants, r.evaluated) for r in rows] == [("E2E-oefening", 6, True)]
    assert rows[0].lessons[0].playbook_action_id == action.pk

    # The sandbox held: no real list, register or library item came from the exercise.
    assert EvidenceItem.objects.count() == evidence_before
    assert advice_selectors.advice_list(user=cpo).count() == 0
    assert advice_selectors.register_rows(user=cpo, public=False) == []
    assert list(advice_selectors.public_list()) == []
    with pytest.raises(ValidationError, match="oefening"):
        advice_services.advice_publish(request=request, actor=cpo)
