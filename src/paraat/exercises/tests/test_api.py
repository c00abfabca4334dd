"""API of the exercises (/api/v1/exercises/…): scenarios and injects, runs and their clock,
evaluation and lessons; roles and bad input as on the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from paraat.exercises import services
from paraat.exercises.models import InjectDelivery
from paraat.exercises.tests.factories import ADVICE_PAYLOAD, minutes_ago, run_make, scenario_make

pytestmark = pytest.mark.django_db

BASE = "/api/v1/exercises"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_and_outsiders_are_refused(people: dict[str, Any]) -> None:
    assert Client().get(f"{BASE}/scenarios/").status_code in (401, 403)
    assert _client(people["szw"]).get(f"{BASE}/scenarios/").status_code == 403
    assert _client(people["szw"]).get(f"{BASE}/runs/").status_code == 403


def test_scenarios_and_injects(people: dict[str, Any]) -> None:
    api = _client(people["cpo"])
    bad = api.post(f"{BASE}/scenarios/", {"title": ""}, content_type="application/json")
    assert bad.status_code == 400 and "title" in bad.json()
    made = api.post(
        f"{BASE}/scenarios/",
        {"title": "API-scenario", "is_synthetic": True},
        content_type="application/json",
    )
    assert made.status_code == 201
    key = made.json()["key"]
    inject = api.post(
        f"{BASE}/scenarios/{key}/injects/",
        {"offset_minutes": 60, "kind": "advice_request", "title": "Vraag", "payload": {}},
        content_type="application/json",
    )
    assert inject.status_code == 400 and "question" in inject.json()
    inject = api.post(
        f"{BASE}/scenarios/{key}/injects/",
        {
            "offset_minutes": 60,
            "kind": "advice_request",
            "title": "Vraag",
            "payload": ADVICE_PAYLOAD,
        },
        content_type="application/json",
    )
    assert inject.status_code == 201
    pk = inject.json()["id"]
    assert api.post(
        f"{BASE}/scenarios/{key}/injects/",
        {"offset_minutes": -5, "kind": "nonsense", "title": "x"},
        content_type="application/json",
    ).json().keys() >= {"offset_minutes", "kind"}
    changed = api.put(
        f"{BASE}/scenarios/{key}/injects/{pk}/",
        {"offset_minutes": 10, "kind": "media", "title": "Krant"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["kind"] == "media"
    detail = api.get(f"{BASE}/scenarios/{key}/").json()
    assert [i["title"] for i in detail["injects"]] == ["Krant"]
    assert api.delete(f"{BASE}/scenarios/{key}/injects/{pk}/").status_code == 204
    assert (
        api.put(
            f"{BASE}/scenarios/{key}/",
            {"title": "API-scenario 2"},
            content_type="application/json",
        ).json()["title"]
        == "API-scenario 2"
    )
    member = _client(people["members"][0])
    assert member.get(f"{BASE}/scenarios/{key}/").status_code == 200
    assert (
        member.post(
            f"{BASE}/scenarios/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert api.delete(f"{BASE}/scenarios/{key}/").status_code == 204
    assert api.get(f"{BASE}/scenarios/{key}/").status_code == 404


def test_run_lifecycle_through_the_api(people: dict[str, Any]) -> None:
    api = _client(people["cpo"])
    scenario = scenario_make(actor=people["cpo"])
    unknown = api.post(f"{BASE}/runs/", {"scenario": "geen"}, content_type="application/json")
    assert unknown.status_code == 400 and "scenario" in unknown.json()
    too_fast = api.post(
        f"{BASE}/runs/",
        {"scenario": scenario.key, "speed_factor": "5000"},
        content_type="application/json",
    )
    assert too_fast.status_code == 400 and "speed_factor" in too_fast.json()
    made = api.post(
        f"{BASE}/runs/",
        {"scenario": scenario.key, "title": "API-oefening"},
        content_type="application/json",
    )
    assert made.status_code == 201
    run_id = made.json()["id"]
    assert made.json()["state"] == "not_started" and made.json()["exercise"] is True
    part = api.post(
        f"{BASE}/runs/{run_id}/participants/",
        {"username": people["chair"].username, "role": "chair"},
        content_type="application/json",
    )
    assert part.status_code == 201
    nobody = api.post(
        f"{BASE}/runs/{run_id}/participants/",
        {"username": "niemand", "role": "chair"},
        content_type="application/json",
    )
    assert nobody.status_code == 400
    assert api.post(f"{BASE}/runs/{run_id}/pause/").status_code == 400
    started = api.post(f"{BASE}/runs/{run_id}/start/").json()
    assert started["state"] == "running" and started["delivered"] == 1
    chair = _client(people["chair"])
    assert chair.get(f"{BASE}/runs/{run_id}/").status_code == 200
    assert chair.post(f"{BASE}/runs/{run_id}/end/").status_code == 403
    assert _client(people["members"][0]).get(f"{BASE}/runs/{run_id}/").status_code == 404
    # let 61 minutes pass: the tick delivers the indicator and the advice request
    from paraat.exercises.models import ClockEvent

    ClockEvent.objects.filter(run_id=run_id).update(at=minutes_ago(61))
    ticked = api.post(f"{BASE}/runs/{run_id}/tick/").json()
    assert len(ticked["delivered_now"]) == 2
    assert ticked["advice_requests"][0]["title"].startswith("OEFENING")
    assert api.post(f"{BASE}/runs/{run_id}/pause/").json()["state"] == "paused"
    assert api.post(f"{BASE}/runs/{run_id}/resume/").json()["state"] == "running"
    assert (
        api.put(
            f"{BASE}/runs/{run_id}/evaluation/", {"went_well": "x"}, content_type="application/json"
        ).status_code
        == 400
    )  # not ended
    assert api.post(f"{BASE}/runs/{run_id}/end/").json()["state"] == "ended"
    assert (
        api.post(
            f"{BASE}/runs/{run_id}/lessons/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 400
    )  # no evaluation yet
    evaluation = api.put(
        f"{BASE}/runs/{run_id}/evaluation/",
        {"went_well": "Snel", "went_badly": "Traag besluit"},
        content_type="application/json",
    )
    assert evaluation.status_code == 200 and evaluation.json()["recorded"]
    assert evaluation.json()["advice_timings"][0]["sent_at"] is None
    lesson = api.post(
        f"{BASE}/runs/{run_id}/lessons/",
        {"title": "Besluitvorming versnellen", "playbook_element": "organisation"},
        content_type="application/json",
    )
    assert lesson.status_code == 201
    assert lesson.json()["playbook_action"]["source"] == f"oefening: {scenario.title}"
    bad_lesson = api.post(
        f"{BASE}/runs/{run_id}/lessons/",
        {"title": "x", "playbook_element": "nonsense"},
        content_type="application/json",
    )
    assert bad_lesson.status_code == 400 and "playbook_element" in bad_lesson.json()
    assert len(chair.get(f"{BASE}/runs/{run_id}/lessons/").json()) == 1
    assert chair.get(f"{BASE}/runs/{run_id}/evaluation/").json()["went_well"] == "Snel"
    listed = api.get(f"{BASE}/runs/").json()
    assert [r["id"] for r in listed] == [run_id]
    assert api.get(f"{BASE}/runs/abc/").status_code == 404
    assert InjectDelivery.objects.filter(run_id=run_id).count() == 3


def test_admin_reads_everything_writes_nothing(people: dict[str, Any]) -> None:
    run = run_make(actor=people["cpo"])
    services.run_start(run=run, actor=people["cpo"])
    admin = _client(people["admin"])
    assert admin.get(f"{BASE}/runs/{run.pk}/").status_code == 200
    assert admin.post(f"{BASE}/runs/{run.pk}/pause/").status_code == 403
    assert admin.post(f"{BASE}/scenarios/autumn-2020/").status_code == 403


@pytest.mark.parametrize(
    "payload", [{"note": "a\x00b"}, {"a\x00": 1}, {"list": [{"deep": ["\x00"]}]}]
)
def test_a_nul_character_in_the_payload_is_a_400_naming_it(
    people: dict[str, Any], payload: dict[str, Any]
) -> None:
    """PostgreSQL stores no NUL in ``jsonb``: the payload is refused by field, never a 500."""
    from paraat.exercises.models import Inject

    api = _client(people["cpo"])
    key = api.post(
        f"{BASE}/scenarios/",
        {"title": "NUL", "is_synthetic": True},
        content_type="application/json",
    ).json()["key"]
    response = api.post(
        f"{BASE}/scenarios/{key}/injects/",
        {"offset_minutes": 5, "kind": "media", "title": "Krant", "payload": payload},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["payload"]
    assert not Inject.objects.filter(scenario__key=key).exists()
