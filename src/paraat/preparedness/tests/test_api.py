"""API of standby under /api/v1/preparedness/: the page rules, 400 by field, 202 for jobs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from paraat.preparedness import selectors, services
from paraat.preparedness.tests.factories import PersonFactory, meeting_make, moment, pdf_bytes

pytestmark = pytest.mark.django_db
BASE = "/api/v1/preparedness"


def api_as(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def standby(people: dict[str, Any]) -> dict[str, Any]:
    cpo = people["cpo"]
    services.mode_set(
        mode="standby", reason="Waakstand", actor=cpo, at=moment(dt.date(2024, 9, 1), 0)
    )
    section = services.playbook_section_create(
        element="decree_template", title="Model", text="{{ voorzitter }}", actor=cpo
    )
    internal = meeting_make(actor=cpo, title="Intern")
    secret = meeting_make(actor=cpo, title="Geheim", confidentiality="confidential")
    return {"section": section, "internal": internal, "secret": secret}


def test_mode_get_and_post(people: dict[str, Any], standby: dict[str, Any]) -> None:
    response = api_as(people["member"]).get(f"{BASE}/mode/")
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "standby" and body["cadence"]["interval"] == "12m"
    assert body["history"][0]["reason"] == "Waakstand"
    assert (
        api_as(people["member"])
        .post(f"{BASE}/mode/", {"mode": "active", "reason": "x"})
        .status_code
        == 403
    )
    assert api_as(people["analyst"]).get(f"{BASE}/mode/").status_code == 403
    assert api_as().get(f"{BASE}/mode/").status_code in (401, 403)
    cpo = api_as(people["cpo"])
    response = cpo.post(
        f"{BASE}/mode/",
        {"mode": "active", "scenario_level": "worst_case", "reason": "Pandemie"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["scenario_level"] == "worst_case"
    response = cpo.post(
        f"{BASE}/mode/", {"mode": "standby", "scenario_level": "mild", "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "scenario_level" in response.json()
    response = cpo.post(f"{BASE}/mode/", {"mode": "nope"}, format="json")
    assert response.status_code == 400 and {"mode", "reason"} <= set(response.json())


def test_meetings_visibility_and_writes(
    people: dict[str, Any], standby: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    member = api_as(people["member"])
    titles = [m["title"] for m in member.get(f"{BASE}/meetings/").json()]
    assert "Intern" in titles and "Geheim" not in titles
    assert member.get(f"{BASE}/meetings/{standby['secret'].pk}/").status_code == 404
    assert (
        api_as(people["admin"]).get(f"{BASE}/meetings/{standby['secret'].pk}/").status_code == 200
    )
    assert member.post(f"{BASE}/meetings/", {}).status_code == 403
    cpo = api_as(people["cpo"])
    start = (timezone.now() + dt.timedelta(days=5)).isoformat()
    response = cpo.post(
        f"{BASE}/meetings/",
        {
            "title": "Via API",
            "kind": "committee",
            "starts_at": start,
            "agenda": ["Opening", "Rondvraag"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    meeting_id = response.json()["id"]
    assert [a["title"] for a in response.json()["agenda"]] == ["Opening", "Rondvraag"]
    assert (
        cpo.post(
            f"{BASE}/meetings/", {"title": "", "kind": "x", "starts_at": "nu"}, format="json"
        ).status_code
        == 400
    )
    pk = standby["internal"].pk
    person = PersonFactory()
    response = cpo.post(
        f"{BASE}/meetings/{pk}/attendance/",
        {"person": person.pk, "presence": "present", "role": "member"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["attendance"]["attended"] == 1
    assert (
        cpo.post(
            f"{BASE}/meetings/{pk}/attendance/",
            {"person": 999999, "presence": "present", "role": "member"},
            format="json",
        ).status_code
        == 400
    )
    assert (
        cpo.post(f"{BASE}/meetings/{pk}/status/", {"status": "held"}, format="json").status_code
        == 200
    )
    assert (
        cpo.post(
            f"{BASE}/meetings/{meeting_id}/status/", {"status": "held"}, format="json"
        ).status_code
        == 400
    )  # future
    assert (
        cpo.post(f"{BASE}/meetings/{pk}/minutes/", {"text": "Verslag"}, format="json").status_code
        == 201
    )
    response = cpo.post(
        f"{BASE}/meetings/{pk}/minutes/approve/",
        {"approved_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 201 and response.json()["minutes"]["approved_on"]
    bad = SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>")
    response = cpo.post(
        f"{BASE}/meetings/{pk}/documents/", {"title": "x", "file": bad}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()
    good = SimpleUploadedFile("x.pdf", pdf_bytes())
    response = cpo.post(
        f"{BASE}/meetings/{pk}/documents/", {"title": "Stuk", "file": good}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["documents"][0]["format"] == "pdf"
    response = cpo.post(
        f"{BASE}/meetings/plan/",
        {"until": (timezone.localdate() + dt.timedelta(days=500)).isoformat()},
        format="json",
    )
    assert response.status_code == 201


def test_playbook_versions_and_actions(people: dict[str, Any], standby: dict[str, Any]) -> None:
    section = standby["section"]
    member = api_as(people["member"])
    rows = member.get(f"{BASE}/playbook/").json()
    assert rows[0]["element"] == "decree_template" and "{{ voorzitter }}" in rows[0]["help"]
    assert (
        member.post(
            f"{BASE}/playbook/{section.pk}/versions/", {"text": "x"}, format="json"
        ).status_code
        == 403
    )
    cpo = api_as(people["cpo"])
    response = cpo.post(
        f"{BASE}/playbook/{section.pk}/versions/",
        {"text": "Voorzitter: {{ voorzitter }}", "base_number": 1},
        format="json",
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    assert ["insert", "Voorzitter: "] in response.json()["diff"]
    assert (
        cpo.post(
            f"{BASE}/playbook/{section.pk}/versions/",
            {"text": "z", "base_number": 1},
            format="json",
        ).status_code
        == 400
    )
    versions = member.get(f"{BASE}/playbook/{section.pk}/versions/").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert member.get(f"{BASE}/playbook/99999/").status_code == 404
    response = cpo.post(
        f"{BASE}/actions/",
        {"title": "Les", "source": "Oefening", "section": section.pk},
        format="json",
    )
    assert response.status_code == 201
    action_id = response.json()["id"]
    assert (
        cpo.post(f"{BASE}/actions/", {"title": "Les", "section": 99999}, format="json").status_code
        == 400
    )
    assert (
        cpo.post(f"{BASE}/actions/{action_id}/status/", {"status": "done"}, format="json").json()[
            "status"
        ]
        == "done"
    )
    assert member.get(f"{BASE}/actions/?status=done").json()[0]["id"] == action_id
    assert member.post(f"{BASE}/actions/", {"title": "x"}, format="json").status_code == 403
    assert api_as(people["analyst"]).get(f"{BASE}/playbook/").status_code == 403


def test_budget_api(people: dict[str, Any], standby: dict[str, Any]) -> None:
    cpo = api_as(people["cpo"])
    response = cpo.post(
        f"{BASE}/budget/streams/",
        {"name": "Taken", "funder": "SZW", "purpose": "Waakstand"},
        format="json",
    )
    assert response.status_code == 201
    stream = response.json()["id"]
    assert (
        cpo.post(
            f"{BASE}/budget/lines/",
            {"stream": stream, "year": 2025, "amount": "70000"},
            format="json",
        ).status_code
        == 201
    )
    assert (
        cpo.post(
            f"{BASE}/budget/realisations/",
            {"stream": stream, "date": "2025-02-01", "amount": "100.50", "description": "Q1"},
            format="json",
        ).status_code
        == 201
    )
    assert (
        cpo.post(
            f"{BASE}/budget/realisations/",
            {"stream": 99999, "date": "2025-02-01", "amount": "1", "description": "x"},
            format="json",
        ).status_code
        == 400
    )
    body = cpo.get(f"{BASE}/budget/").json()
    assert body["overview"][0] == {
        "stream": stream,
        "year": 2025,
        "budgeted": "70000.00",
        "realised": "100.50",
        "remaining": "69899.50",
        "synthetic": False,
    }
    assert api_as(people["member"]).get(f"{BASE}/budget/").status_code == 403
    assert (
        api_as(people["admin"])
        .post(f"{BASE}/budget/streams/", {"name": "x"}, format="json")
        .status_code
        == 403
    )


def test_job_endpoints(people: dict[str, Any], standby: dict[str, Any]) -> None:
    cpo = api_as(people["cpo"])
    response = cpo.post(
        f"{BASE}/yearly-report/",
        {"year": timezone.localdate().year, "format": "pdf"},
        format="json",
    )
    assert response.status_code == 202 and response.json()["job"]
    assert cpo.post(f"{BASE}/yearly-report/", {"year": 1999}, format="json").status_code == 400
    response = cpo.post(
        f"{BASE}/evaluation-export/", {"start": "2024-01-01", "end": "2026-12-31"}, format="json"
    )
    assert response.status_code == 202
    assert (
        cpo.post(
            f"{BASE}/evaluation-export/",
            {"start": "2026-01-01", "end": "2024-12-31"},
            format="json",
        ).status_code
        == 400
    )
    assert (
        api_as(people["member"])
        .post(f"{BASE}/playbook-export/", {"format": "docx"}, format="json")
        .status_code
        == 202
    )
    assert (
        api_as(people["member"])
        .post(f"{BASE}/yearly-report/", {"year": 2025}, format="json")
        .status_code
        == 403
    )
    assert selectors.current_mode().mode == "standby"
