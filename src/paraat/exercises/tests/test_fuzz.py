"""Odd input to the exercises API (huge numbers, negative or unknown values, odd payloads,
far-off dates, non-UTF-8) is a 4xx naming the field, never a 500; the run page (which
delivers due injects on view) survives whatever the API accepted (security review, issue 7)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.exercises.models import Inject
from paraat.exercises.tests.factories import run_make, scenario_make

pytestmark = pytest.mark.django_db

BASE = "/api/v1/exercises"

_ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "-5", "1e9999", "advice_request"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
_INJECT_KEYS = ["offset_minutes", "kind", "title", "content", "payload", "real_date", "x"]
_PAYLOAD_KEYS = ["title", "question", "kind", "deadline_hours", "x"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.dictionaries(st.sampled_from(_INJECT_KEYS), _ODD, max_size=6),
    payload=st.dictionaries(st.sampled_from(_PAYLOAD_KEYS), _ODD, max_size=5),
)
def test_inject_input_is_never_a_500(
    people: dict[str, Any], body: dict[str, Any], payload: dict[str, Any]
) -> None:
    cpo = people["cpo"]
    scenario = scenario_make(actor=cpo, title="Fuzz (synthetisch)")
    api = _client(cpo)
    body = {"kind": "advice_request", "title": "t", "offset_minutes": 0, **body}
    body.setdefault("payload", payload)
    response = api.post(
        f"{BASE}/scenarios/{scenario.key}/injects/",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code in (201, 400), response.content
    if response.status_code == 201:
        # whatever was accepted can be delivered: the run page ticks and renders
        run = run_make(actor=cpo, scenario=scenario, speed=1000)
        assert api.post(f"/oefeningen/oefening/{run.pk}/klok/start/").status_code == 302
        Inject.objects.filter(scenario=scenario).update(offset_minutes=0)
        assert api.get(f"/oefeningen/oefening/{run.pk}/").status_code == 200


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.dictionaries(st.sampled_from(["scenario", "title", "speed_factor", "x"]), _ODD),
    raw=st.binary(max_size=20),
)
def test_run_input_is_never_a_500(people: dict[str, Any], body: dict[str, Any], raw: bytes) -> None:
    api = _client(people["cpo"])
    response = api.post(f"{BASE}/runs/", json.dumps(body), content_type="application/json")
    assert response.status_code in (201, 400, 404), response.content
    response = api.post(f"{BASE}/runs/", b"\xff\xfe" + raw, content_type="application/json")
    assert response.status_code in (400, 415), response.content
