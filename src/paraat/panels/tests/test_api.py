"""API /api/v1/panels/…: roles, writes, results and the anonymous answer endpoint."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from paraat.assessments.tests.factories import AssessmentFactory, option_make
from paraat.panels.models import Ballot, Response
from paraat.panels.tests.factories import panel_make, questionnaire_make, tokens_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/panels"


def _api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _window() -> dict[str, str]:
    now = timezone.now()
    return {
        "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=2)).isoformat(),
    }


def test_cpo_builds_and_reads_results(people: dict[str, Any]) -> None:
    api = _api(people["cpo"])
    panel = api.post(f"{BASE}/panels/", {"name": "API-panel"}, format="json")
    assert panel.status_code == 201
    panel_make(panelists=0)  # another panel
    created = api.post(
        f"{BASE}/questionnaires/",
        {"panel": panel.data["id"], "title": "Via de API", **_window()},
        format="json",
    )
    assert created.status_code == 201, created.data
    qid = created.data["id"]
    bad = api.post(
        f"{BASE}/questionnaires/{qid}/questions/",
        {"kind": "choice", "text": "Kies", "choices": ["één"]},
        format="json",
    )
    assert bad.status_code == 400 and "choices" in bad.data
    added = api.post(
        f"{BASE}/questionnaires/{qid}/questions/",
        {"kind": "likert", "text": "Eens?", "required": True},
        format="json",
    )
    assert added.status_code == 201 and added.data["field"].startswith("q")
    detail = api.get(f"{BASE}/questionnaires/{qid}/")
    assert detail.status_code == 200 and len(detail.data["questions"]) == 1
    results = api.get(f"{BASE}/questionnaires/{qid}/results/")
    assert results.status_code == 200 and results.data["responses"] == 0
    assert api.post(f"{BASE}/questionnaires/{qid}/publish/").status_code == 400
    assert api.get(f"{BASE}/questionnaires/999999/").status_code == 404
    assert api.get(f"{BASE}/questionnaires/abc/").status_code == 404
    missing = api.post(f"{BASE}/questionnaires/", {"title": ""}, format="json")
    assert missing.status_code == 400 and {"panel", "title", "opens_at"} <= set(missing.data)


@pytest.mark.parametrize("kind", ["questionnaires", "sessions"])
@pytest.mark.parametrize("panel_id", [999_999, 2**31 - 1, 2**31])
def test_unknown_panel_in_the_body_is_a_400_naming_the_field(
    people: dict[str, Any], kind: str, panel_id: int
) -> None:
    """The URL names the collection, which exists; an unknown panel in the body is invalid
    input (400 with a message under ``panel``), not a 404, and nothing is created."""
    from paraat.panels.models import DilemmaSession, Questionnaire

    body = {"panel": panel_id, "title": "Spookpanel", "kind": "rank_domains", **_window()}
    response = _api(people["cpo"]).post(f"{BASE}/{kind}/", body, format="json")
    assert response.status_code == 400, response.data
    assert list(response.data) == ["panel"] and response.data["panel"]
    assert not Questionnaire.objects.exists() and not DilemmaSession.objects.exists()


def test_committee_reads_but_cannot_write(people: dict[str, Any]) -> None:
    q = questionnaire_make(panel=panel_make(panelists=0))
    api = _api(people["member"])
    assert api.get(f"{BASE}/questionnaires/").status_code == 200
    assert api.get(f"{BASE}/questionnaires/{q.pk}/results/").status_code == 200
    assert api.post(f"{BASE}/panels/", {"name": "x"}, format="json").status_code == 403
    assert api.post(f"{BASE}/questionnaires/{q.pk}/invite/").status_code == 403
    assert _api(people["szw"]).get(f"{BASE}/questionnaires/").status_code == 403
    assert _api().get(f"{BASE}/panels/").status_code in (401, 403)
    # the beheerder sees panels (privacy work) but no results
    admin = _api(people["admin"])
    assert admin.get(f"{BASE}/panels/").status_code == 200
    assert admin.get(f"{BASE}/questionnaires/").status_code == 403


def test_sessions_and_answer_endpoint(people: dict[str, Any]) -> None:
    assessment = AssessmentFactory()
    option_make(assessment, key="masks")
    panel = panel_make(panelists=3)
    api = _api(people["cpo"])
    created = api.post(
        f"{BASE}/sessions/",
        {
            "panel": panel.pk,
            "title": "Rangschik",
            "kind": "rank_domains",
            "assessment": assessment.key,
            "offer_weights": True,
            **_window(),
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    assert sorted(created.data["items"]) == ["economy", "mental-health"]
    unknown = api.post(
        f"{BASE}/sessions/",
        {
            "panel": panel.pk,
            "title": "X",
            "kind": "choose_option",
            "assessment": "nee",
            **_window(),
        },
        format="json",
    )
    assert unknown.status_code == 400 and "assessment" in unknown.data
    from paraat.panels.models import DilemmaSession

    session = DilemmaSession.objects.get(pk=created.data["id"])
    (_a, t1), (_b, _t2), (_c, _t3) = tokens_for(session)
    anon = _api()
    form = anon.get(f"{BASE}/answer/{t1}/")
    assert form.status_code == 200 and form.data["kind"] == "rank_domains"
    assert form["Cache-Control"].startswith("max-age=0") or "no-store" in form["Cache-Control"]
    bad = anon.post(f"{BASE}/answer/{t1}/", {"ranking": ["economy"]}, format="json")
    assert bad.status_code == 400 and "ranking" in bad.data
    listed = anon.post(f"{BASE}/answer/{t1}/", ["x"], format="json")
    assert listed.status_code == 400
    ok = anon.post(f"{BASE}/answer/{t1}/", {"ranking": ["economy", "mental-health"]}, format="json")
    assert ok.status_code == 201
    again = anon.post(
        f"{BASE}/answer/{t1}/", {"ranking": ["economy", "mental-health"]}, format="json"
    )
    assert again.status_code == 410 and again.data["state"] == "used"
    assert anon.get(f"{BASE}/answer/onzin/").status_code == 404
    assert Ballot.objects.filter(session=session).count() == 1
    results = api.get(f"{BASE}/sessions/{session.pk}/results/")
    assert results.status_code == 200 and results.data["ballots"] == 1
    assert results.data["weights"] == [[pytest.approx(0.25), pytest.approx(0.75)]] or results.data[
        "weights"
    ] == [[pytest.approx(0.75), pytest.approx(0.25)]]
    published = api.post(f"{BASE}/sessions/{session.pk}/publish/")
    assert published.status_code == 201 and published.data["evidence_ref"]


def test_questionnaire_answer_endpoint(people: dict[str, Any]) -> None:
    q = questionnaire_make(panel=panel_make(panelists=1))
    ((_p, token),) = tokens_for(q)
    anon = _api()
    form = anon.get(f"{BASE}/answer/{token}/")
    assert form.status_code == 200 and len(form.data["questions"]) == 3
    fields = [row["field"] for row in form.data["questions"]]
    bad = anon.post(f"{BASE}/answer/{token}/", {fields[0]: "7"}, format="json")
    assert bad.status_code == 400 and fields[0] in bad.data
    ok = anon.post(
        f"{BASE}/answer/{token}/",
        {fields[0]: 4, fields[1]: "Werk", fields[2]: "Tekst"},
        format="json",
    )
    assert ok.status_code == 201
    assert Response.objects.get(questionnaire=q).answers.count() == 3
    hostile = anon.post(f"{BASE}/answer/{token}/", "[" * 5000, content_type="application/json")
    assert hostile.status_code in (400, 410)
