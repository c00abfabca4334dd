"""Pages of the exercises per role: the CPO prepares, runs and evaluates; the committee sees the
scenarios and the runs it takes part in; the beheerder sees everything and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from paraat.exercises import selectors, services
from paraat.exercises.models import InjectDelivery, Lesson, Scenario
from paraat.exercises.tests.factories import minutes_ago, run_make, scenario_make

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(people: dict[str, Any]) -> None:
    response = Client().get(reverse("exercises:index"))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_roles_on_the_landing_page(people: dict[str, Any]) -> None:
    run = run_make(actor=people["cpo"], title="Oefening voor rollen")
    services.participant_add(run=run, user=people["chair"], role="chair", actor=people["cpo"])
    cpo = _client(people["cpo"]).get(reverse("exercises:index"))
    assert cpo.status_code == 200
    html = cpo.content.decode()
    assert "Oefening voor rollen" in html and "Nieuw scenario" in html and "OEFENING" in html
    chair = _client(people["chair"]).get(reverse("exercises:index")).content.decode()
    assert "Oefening voor rollen" in chair and "Nieuw scenario" not in chair
    member = _client(people["members"][0]).get(reverse("exercises:index")).content.decode()
    assert "Oefening voor rollen" not in member and run.scenario.title in member
    admin = _client(people["admin"]).get(reverse("exercises:index")).content.decode()
    assert "Oefening voor rollen" in admin and "Nieuw scenario" not in admin
    assert _client(people["szw"]).get(reverse("exercises:index")).status_code == 403


def test_run_page_per_role(people: dict[str, Any]) -> None:
    run = run_make(actor=people["cpo"])
    services.participant_add(run=run, user=people["chair"], role="chair", actor=people["cpo"])
    url = reverse("exercises:run", args=[run.pk])
    assert _client(people["chair"]).get(url).status_code == 200
    assert _client(people["admin"]).get(url).status_code == 200
    assert _client(people["members"][0]).get(url).status_code == 404
    start = reverse("exercises:run_clock", args=[run.pk, "start"])
    assert _client(people["chair"]).post(start).status_code == 403
    assert _client(people["admin"]).post(start).status_code == 403
    assert selectors.run_clock(run=run).state == "not_started"


def test_scenario_crud_through_the_pages(people: dict[str, Any]) -> None:
    client = _client(people["cpo"])
    bad = client.post(reverse("exercises:scenario_create"), {"title": ""})
    assert bad.status_code == 400 and "utrecht-alert--error" in bad.content.decode()
    response = client.post(
        reverse("exercises:scenario_create"),
        {"title": "Paginascenario", "description": "Via de pagina", "is_synthetic": "on"},
    )
    scenario = Scenario.objects.get(title="Paginascenario")
    assert response.status_code == 302 and scenario.is_synthetic
    edit = client.post(
        reverse("exercises:scenario_edit", args=[scenario.key]),
        {"title": "Paginascenario 2", "description": "", "source_note": "Bron X"},
    )
    assert edit.status_code == 302
    scenario.refresh_from_db()
    assert scenario.title == "Paginascenario 2" and scenario.source_note == "Bron X"
    add = reverse("exercises:inject_create", args=[scenario.key])
    missing_question = client.post(
        add,
        {
            "offset_hours": 1,
            "offset_minutes": 15,
            "kind": "advice_request",
            "title": "Vraag",
            "deadline_hours": 48,
        },
    )
    assert missing_question.status_code == 400
    assert "Geef de adviesvraag" in missing_question.content.decode()
    ok = client.post(
        add,
        {
            "offset_hours": 1,
            "offset_minutes": 15,
            "kind": "advice_request",
            "title": "Vraag",
            "question": "Wat is de impact?",
            "advice_kind": "urgent",
            "deadline_hours": 48,
        },
    )
    assert ok.status_code == 302
    inject = scenario.injects.get()
    assert inject.offset_minutes == 75 and inject.payload["question"] == "Wat is de impact?"
    edited = client.post(
        reverse("exercises:inject_edit", args=[scenario.key, inject.pk]),
        {"offset_hours": 0, "offset_minutes": 5, "kind": "media", "title": "Krant"},
    )
    assert edited.status_code == 302
    inject.refresh_from_db()
    assert inject.kind == "media" and "question" not in inject.payload
    page = client.get(reverse("exercises:scenario", args=[scenario.key])).content.decode()
    assert "Krant" in page and "5 min" in page
    client.post(reverse("exercises:inject_delete", args=[scenario.key, inject.pk]))
    assert not scenario.injects.exists()
    client.post(reverse("exercises:scenario_delete", args=[scenario.key]))
    assert not Scenario.objects.filter(pk=scenario.pk).exists()
    assert _client(people["chair"]).get(reverse("exercises:scenario_create")).status_code == 403


def test_running_an_exercise_through_the_pages(people: dict[str, Any]) -> None:
    client = _client(people["cpo"])
    scenario = scenario_make(actor=people["cpo"])
    bad = client.post(reverse("exercises:run_create", args=[scenario.key]), {"speed_factor": "0"})
    assert bad.status_code == 400
    response = client.post(
        reverse("exercises:run_create", args=[scenario.key]),
        {"title": "Paginaoefening", "speed_factor": "1"},
    )
    run = scenario.runs.get()
    assert response["Location"] == reverse("exercises:run", args=[run.pk])
    added = client.post(
        reverse("exercises:participant_add", args=[run.pk]),
        {"user": people["chair"].pk, "role": "chair"},
    )
    assert added.status_code == 302 and selectors.is_participant(run=run, user=people["chair"])
    client.post(reverse("exercises:run_clock", args=[run.pk, "start"]))
    page = client.get(reverse("exercises:run", args=[run.pk])).content.decode()
    assert "Nieuwe variant gemeld" in page and 'data-state="running"' in page
    # Opening the page delivers what is due: move the start back 65 minutes.
    run.clock_events.update(at=minutes_ago(65))
    panel = client.get(reverse("exercises:run_panel", args=[run.pk])).content.decode()
    assert "Opnames stijgen" in panel and "Open de adviesaanvraag (OEFENING)" in panel
    assert InjectDelivery.objects.filter(run=run).count() == 3
    assert client.post(reverse("exercises:run_clock", args=[run.pk, "bogus"])).status_code == 404
    client.post(reverse("exercises:run_clock", args=[run.pk, "pause"]))
    client.post(reverse("exercises:run_clock", args=[run.pk, "resume"]))
    end = client.post(reverse("exercises:run_clock", args=[run.pk, "end"]))
    assert end["Location"] == reverse("exercises:evaluation", args=[run.pk])
    evaluation_url = reverse("exercises:evaluation", args=[run.pk])
    assert client.post(evaluation_url, {"went_well": "", "went_badly": ""}).status_code == 400
    saved = client.post(evaluation_url, {"went_well": "Vlot", "went_badly": "Rollen"})
    assert saved.status_code == 302
    lesson = client.post(
        reverse("exercises:lesson_add", args=[run.pk]),
        {"title": "Rollen vastleggen", "playbook_element": "organisation"},
    )
    assert lesson.status_code == 302
    row = Lesson.objects.get(title="Rollen vastleggen")
    assert row.playbook_action is not None
    page = client.get(evaluation_url).content.decode()
    assert "Rollen vastleggen" in page and f"oefening: {scenario.title}" in page
    assert "niet verzonden" in page  # the exercise advice was not sent
    chair_page = _client(people["chair"]).get(evaluation_url)
    assert chair_page.status_code == 200 and "Les toevoegen" not in chair_page.content.decode()
    assert _client(people["chair"]).post(evaluation_url, {"went_well": "x"}).status_code == 403


def test_participant_remove_and_unknowns(people: dict[str, Any]) -> None:
    client = _client(people["cpo"])
    run = run_make(actor=people["cpo"])
    row = services.participant_add(
        run=run, user=people["expert"], role="expert", actor=people["cpo"]
    )
    client.post(reverse("exercises:participant_remove", args=[run.pk, row.pk]))
    assert not selectors.is_participant(run=run, user=people["expert"])
    assert client.get(reverse("exercises:run", args=[run.pk + 999])).status_code == 404
    assert client.get(reverse("exercises:scenario", args=["bestaat-niet"])).status_code == 404
    bad = client.post(reverse("exercises:participant_add", args=[run.pk]), {"user": "x"})
    assert bad.status_code == 302  # message, no change
    early = client.post(reverse("exercises:lesson_add", args=[run.pk]), {"title": "x"})
    assert early.status_code == 302 and not Lesson.objects.filter(title="x").exists()
    assert run.clock_events.count() == 0
