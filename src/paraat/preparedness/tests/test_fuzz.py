"""Fuzzing the writes of standby (hypothesis): whatever a CPO sends to a page or an API
endpoint — impossible dates, huge numbers, NUL, unknown choices, lists where text belongs —
the answer is a redirect or a 400 naming the problem, never a 500."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from paraat.preparedness import services
from paraat.preparedness.tests.factories import PersonFactory, meeting_make, moment

pytestmark = pytest.mark.django_db

TEXT = [
    *("", " ", "\x00", "a\x00b", "a" * 5000, "<script>x</script>", "../../etc/passwd"),
    *("0000-00-00", "2026-02-30", "9999-12-31", "0001-01-01", "2025-06-01", "29-02-2025"),
    *("0001-01-01T00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"),
    *("2025-06-01T10:00", "31-12-9999 23:59", "²²²²", "NaN", "Infinity", "1e400", "-1e400"),
    *("-1", "0", "1", "-0.01", "2147483648", "99999999999999999999999", "123456789012.34"),
    *("standby", "active", "mild", "worst_case", "confidential", "present", "guest", "held"),
    *("done", "member", "pdf", "on", "2025", "1990", "2200"),
]
JSON_ONLY = [None, True, 0, -1, 2**63, 10**30, 1.5, [], ["x"], [None], {}, {"a": 1}]
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@pytest.fixture
def env(people: dict[str, Any]) -> dict[str, Any]:
    cpo = people["cpo"]
    services.mode_set(mode="standby", reason="x", actor=cpo, at=moment(dt.date(2024, 9, 1), 0))
    meeting = meeting_make(actor=cpo)
    services.minutes_save(meeting=meeting, text="versie 1", actor=cpo)
    refs = {
        "m": meeting.pk,
        "s": services.playbook_section_create(
            element="minister", title="x", text="t", actor=cpo
        ).pk,
        "a": services.playbook_action_create(title="a", description="", source="", actor=cpo).pk,
        "stream": services.funding_stream_create(name="s", funder="f", purpose="p", actor=cpo).pk,
        "person": PersonFactory().pk,
    }
    return {"cpo": cpo, **refs}


def _refer(data: dict[str, Any], env: dict[str, Any]) -> dict[str, Any]:
    """Let "1" stand for an existing row in reference fields, so valid paths are reached."""
    targets = {
        "person": env["person"],
        "owner": env["person"],
        "stream": env["stream"],
        "section": env["s"],
    }
    return {k: (targets[k] if k in targets and v in ("1", 1) else v) for k, v in data.items()}


API = [
    ("mode/", ["mode", "scenario_level", "reason", "at"]),
    ("meetings/", ["title", "kind", "starts_at", "ends_at", "location", "confidentiality"]),
    ("meetings/plan/", ["until", "location"]),
    ("meetings/{m}/status/", ["status"]),
    ("meetings/{m}/attendance/", ["person", "presence", "role", "note"]),
    ("meetings/{m}/minutes/", ["text", "note", "base_number"]),
    ("meetings/{m}/minutes/approve/", ["approved_on", "note"]),
    ("playbook/{s}/versions/", ["text", "note", "base_number", "review_due_on"]),
    ("actions/", ["title", "description", "source", "section", "due_on"]),
    ("actions/{a}/status/", ["status", "note"]),
    ("budget/streams/", ["name", "funder", "purpose", "starts_on", "ends_on", "source"]),
    ("budget/lines/", ["stream", "year", "amount", "description"]),
    ("budget/realisations/", ["stream", "date", "amount", "description"]),
]


@pytest.mark.parametrize(("path", "keys"), API)
def test_api_writes_never_500(env: dict[str, Any], path: str, keys: list[str]) -> None:
    url = "/api/v1/preparedness/" + path.format(**env)
    api = APIClient()
    api.force_authenticate(env["cpo"])
    value = st.sampled_from([*TEXT, *JSON_ONLY])

    @SETTINGS
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(keys, value)))
    def run(data: dict[str, Any]) -> None:
        body = json.dumps(_refer(data, env))
        response = api.post(url, body, content_type="application/json")
        assert response.status_code < 500, (data, response.content[:300])

    run()


PAGES = [
    ("/paraatheid/modus/", ["mode", "scenario_level", "reason", "at"]),
    ("/paraatheid/vergaderingen/nieuw/", ["title", "kind", "starts_at", "ends_at", "agenda"]),
    ("/paraatheid/vergaderingen/{m}/bewerken/", ["title", "kind", "starts_at", "confidentiality"]),
    ("/paraatheid/vergaderingen/plannen/", ["until", "location"]),
    ("/paraatheid/vergaderingen/{m}/status/", ["status"]),
    ("/paraatheid/vergaderingen/{m}/verslag/", ["text", "note", "base_number"]),
    ("/paraatheid/vergaderingen/{m}/verslag/vaststellen/", ["approved_on", "note"]),
    ("/paraatheid/vergaderingen/{m}/aanwezigheid/", ["person", "presence", "role", "note"]),
    ("/paraatheid/draaiboek/nieuw/", ["element", "title", "owner", "review_due_on"]),
    ("/paraatheid/draaiboek/{s}/opslaan/", ["text", "note", "base_number", "review_due_on"]),
    ("/paraatheid/draaiboek/{s}/instellingen/", ["title", "owner", "review_due_on"]),
    ("/paraatheid/acties/nieuw/", ["title", "description", "source", "section", "due_on"]),
    ("/paraatheid/acties/{a}/status/", ["status", "note"]),
    ("/paraatheid/begroting/stromen/", ["name", "funder", "purpose", "starts_on", "ends_on"]),
    ("/paraatheid/begroting/regels/", ["stream", "year", "amount", "description"]),
    ("/paraatheid/begroting/realisaties/", ["stream", "date", "amount", "description"]),
    ("/paraatheid/verantwoording/export/", ["start", "end"]),
]


@pytest.mark.parametrize(("path", "keys"), PAGES)
def test_page_forms_never_500(env: dict[str, Any], path: str, keys: list[str]) -> None:
    url = path.format(**env)
    client = Client()
    client.force_login(env["cpo"])
    value = st.sampled_from(TEXT)

    @SETTINGS
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(keys, value)))
    def run(data: dict[str, Any]) -> None:
        response = client.post(url, _refer(data, env))
        assert response.status_code < 500, (data, response.status_code)

    run()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    prefix=st.sampled_from([b"", b"%PDF-", b"PK\x03\x04", b"\xef\xbb\xbf", b"<", b"  <svg"]),
    rest=st.binary(max_size=2000),
    name=st.text(max_size=300),
)
def test_document_format_accepts_or_refuses_cleanly(prefix: bytes, rest: bytes, name: str) -> None:
    """Any bytes under any name: one of the four formats, or a ValidationError on ``file``."""
    from django.core.exceptions import ValidationError

    try:
        found = services.document_format(content=prefix + rest, file_name=name)
    except ValidationError as exc:
        assert set(exc.message_dict) == {"file"}
    else:
        assert found in services.DOCUMENT_FORMATS
        if found == "txt":
            text = (prefix + rest).decode("utf-8").lstrip("\ufeff \t\r\n")
            assert not text.startswith("<")


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("/paraatheid/vergaderingen/", ["jaar"]),
        ("/paraatheid/vergaderingen/aanwezigheid.csv", ["jaar"]),
        ("/paraatheid/acties/", ["status"]),
        ("/api/v1/preparedness/meetings/", ["year"]),
        ("/api/v1/preparedness/actions/", ["status"]),
    ],
)
def test_query_parameters_never_500(env: dict[str, Any], path: str, keys: list[str]) -> None:
    client = Client()
    client.force_login(env["cpo"])

    @SETTINGS
    @given(params=st.fixed_dictionaries({}, optional=dict.fromkeys(keys, st.sampled_from(TEXT))))
    def run(params: dict[str, str]) -> None:
        response = client.get(path, params)
        assert response.status_code < 500, (params, response.status_code)

    run()
