"""Pages per role, the builder, the token answer page (expired, used, invalid → clear message,
never a 500) and the assessment's results page with the citizens' weights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.assessments.tests.factories import filled_assessment
from paraat.panels import services
from paraat.panels.models import Panelist, Question, Questionnaire, Response, SessionKind
from paraat.panels.tests.factories import answers_for, panel_make, questionnaire_make, tokens_for

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(people: dict[str, Any]) -> dict[str, Any]:
    panel = panel_make(actor=people["cpo"], panelists=3)
    q = questionnaire_make(panel=panel, actor=people["cpo"])
    tokens = tokens_for(q)
    services.response_submit(token=tokens[0][1], data=answers_for(q, text="Open antwoord X"))
    return {"panel": panel, "q": q, "tokens": tokens}


def test_cpo_sees_everything(people: dict[str, Any], world: dict[str, Any]) -> None:
    client = _client(people["cpo"])
    panel, q = world["panel"], world["q"]
    assert client.get(reverse("panels:index")).status_code == 200
    assert client.get(reverse("panels:panel", args=[panel.pk])).status_code == 200
    page = client.get(reverse("panels:panelists", args=[panel.pk]))
    assert page.status_code == 200 and b"T-00" in page.content
    assert b"p0@example.org" not in page.content  # the address itself is not shown
    assert client.get(reverse("panels:questionnaire", args=[q.pk])).status_code == 200
    results = client.get(reverse("panels:questionnaire_results", args=[q.pk]))
    assert results.status_code == 200 and b"Open antwoord X" in results.content
    published = client.post(reverse("panels:questionnaire_publish", args=[q.pk]))
    assert published.status_code == 302
    q.refresh_from_db()
    again = client.get(reverse("panels:questionnaire_results", args=[q.pk]))
    assert again.status_code == 200 and q.evidence_item.ref.encode() in again.content


@pytest.mark.parametrize("role", ["member", "chair"])
def test_committee_sees_results_not_panelists(
    people: dict[str, Any], world: dict[str, Any], role: str
) -> None:
    client = _client(people[role])
    panel, q = world["panel"], world["q"]
    index = client.get(reverse("panels:index"))
    assert index.status_code == 200 and b"T-00" not in index.content
    results = client.get(reverse("panels:questionnaire_results", args=[q.pk]))
    assert results.status_code == 200
    assert b"Open antwoord X" not in results.content  # open answers: CPO only
    assert client.get(reverse("panels:panelists", args=[panel.pk])).status_code == 403
    assert client.get(reverse("panels:panel_create")).status_code == 403
    assert client.post(reverse("panels:questionnaire_publish", args=[q.pk])).status_code == 403
    assert client.post(reverse("panels:questionnaire_invite", args=[q.pk])).status_code == 403


def test_admin_handles_privacy_only(people: dict[str, Any], world: dict[str, Any]) -> None:
    client = _client(people["admin"])
    panel, q = world["panel"], world["q"]
    assert client.get(reverse("panels:panelists", args=[panel.pk])).status_code == 200
    assert client.get(reverse("panels:questionnaire_results", args=[q.pk])).status_code == 403
    target = Panelist.objects.get(panel=panel, code="T-01")
    url = reverse("panels:panelist_delete", args=[panel.pk, target.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Panelist.objects.filter(pk=target.pk).exists()
    assert Response.objects.filter(questionnaire=q).count() == 1


def test_roles_without_panels_are_refused(people: dict[str, Any], world: dict[str, Any]) -> None:
    client = _client(people["szw"])
    assert client.get(reverse("panels:index")).status_code == 403
    assert client.get(reverse("panels:questionnaire", args=[world["q"].pk])).status_code == 403
    anonymous = _client()
    response = anonymous.get(reverse("panels:index"))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_builder_flow(people: dict[str, Any]) -> None:
    client = _client(people["cpo"])
    response = client.post(reverse("panels:panel_create"), {"name": "Nieuw panel"})
    assert response.status_code == 302
    panel_pk = int(response["Location"].rstrip("/").split("/")[-1])
    today = timezone.localdate()
    bad = client.post(
        reverse("panels:panelists", args=[panel_pk]),
        {"consent_on": "gisteren", "consent_text": "", "retention_until": ""},
    )
    assert bad.status_code == 400 and b"utrecht-alert--error" in bad.content
    ok = client.post(
        reverse("panels:panelists", args=[panel_pk]),
        {
            "consent_on": today.isoformat(),
            "consent_text": "Ja",
            "retention_until": (today + dt.timedelta(days=30)).isoformat(),
            "email": "a@example.org",
        },
    )
    assert ok.status_code == 302
    now = timezone.localtime()
    created = client.post(
        reverse("panels:questionnaire_create", args=[panel_pk]),
        {
            "title": "Vragen",
            "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "confidentiality": "internal",
        },
    )
    assert created.status_code == 302
    q = Questionnaire.objects.get(title="Vragen")
    bad_q = client.post(
        reverse("panels:question_add", args=[q.pk]),
        {"kind": "choice", "text": "Kies", "choices": "alleen één"},
    )
    assert bad_q.status_code == 400
    assert (
        client.post(
            reverse("panels:question_add", args=[q.pk]),
            {"kind": "choice", "text": "Kies", "choices": "a\nb\nc", "required": "on"},
        ).status_code
        == 302
    )
    question = Question.objects.get(questionnaire=q)
    assert question.choices == ["a", "b", "c"] and question.required
    assert client.post(reverse("panels:questionnaire_invite", args=[q.pk])).status_code == 302
    assert q.invitations.count() == 1
    wrong_window = client.post(
        reverse("panels:questionnaire_create", args=[panel_pk]),
        {
            "title": "X",
            "opens_at": "2026-01-02T10:00",
            "closes_at": "2026-01-01T10:00",
            "confidentiality": "internal",
        },
    )
    assert wrong_window.status_code == 400


def test_session_create_page(people: dict[str, Any]) -> None:
    assessment = filled_assessment()
    panel = panel_make(panelists=1)
    client = _client(people["cpo"])
    now = timezone.localtime()
    response = client.post(
        reverse("panels:session_create", args=[panel.pk]),
        {
            "title": "Rangschikken",
            "kind": SessionKind.RANK_DOMAINS,
            "assessment": assessment.key,
            "offer_weights": "on",
            "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"ranking-table" in page.content
    from paraat.panels.models import DilemmaSession

    session = DilemmaSession.objects.get(title="Rangschikken")
    ((_p, token),) = tokens_for(session)
    services.ballot_submit(token=token, data={"ranking": ["economy", "mental-health"]})
    assert client.post(reverse("panels:session_publish", args=[session.pk])).status_code == 302
    session.refresh_from_db()
    page = client.get(reverse("panels:session", args=[session.pk]))
    assert page.status_code == 200 and session.evidence_item.ref.encode() in page.content
    assert client.post(reverse("panels:session_invite", args=[session.pk])).status_code == 302


def test_answer_page_flow_and_states(people: dict[str, Any], world: dict[str, Any]) -> None:
    q = world["q"]
    anonymous = _client()
    token = world["tokens"][1][1]
    url = reverse("panels:answer", args=[token])
    page = anonymous.get(url)
    assert page.status_code == 200 and b"anoniem" in page.content
    assert "no-store" in page["Cache-Control"] and page["X-Robots-Tag"] == "noindex, nofollow"
    rows = list(q.questions.order_by("position"))
    bad = anonymous.post(url, {f"q{rows[0].pk}": "9"})
    assert bad.status_code == 400 and b"utrecht-alert--error" in bad.content
    done = anonymous.post(url, {f"q{rows[0].pk}": "3", f"q{rows[1].pk}": "Werk"})
    assert done.status_code == 200 and b"answer-done" in done.content
    used = anonymous.get(url)
    assert used.status_code == 410 and b'data-state="used"' in used.content
    unknown = anonymous.get(reverse("panels:answer", args=["onzin"]))
    assert unknown.status_code == 404 and b'data-state="unknown"' in unknown.content
    q.closes_at = timezone.now() - dt.timedelta(minutes=1)
    q.save()
    closed = anonymous.post(reverse("panels:answer", args=[world["tokens"][2][1]]), {})
    assert closed.status_code == 410 and b'data-state="closed"' in closed.content


def test_session_answer_page_ranking(people: dict[str, Any]) -> None:
    assessment = filled_assessment()
    now = timezone.now()
    session = services.session_create(
        panel=panel_make(panelists=1),
        data=services.SessionData(
            title="Sessie",
            kind=SessionKind.RANK_DOMAINS,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(hours=1),
            assessment=assessment,
        ),
        actor=None,
    )
    ((_p, token),) = tokens_for(session)
    client = _client()
    url = reverse("panels:answer", args=[token])
    assert b"rank_economy" in client.get(url).content
    bad = client.post(url, {"rank_economy": "1", "rank_mental-health": "1"})
    assert bad.status_code == 400
    ok = client.post(url, {"rank_economy": "2", "rank_mental-health": "1"})
    assert ok.status_code == 200 and session.ballots.get().ranking == ["mental-health", "economy"]


def test_assessment_results_show_citizens_weights(people: dict[str, Any]) -> None:
    from paraat.assessments import services as a_services

    assessment = filled_assessment(actor=people["cpo"])
    now = timezone.now()
    session = services.session_create(
        panel=panel_make(panelists=2),
        data=services.SessionData(
            title="Burgers wegen",
            kind=SessionKind.RANK_DOMAINS,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(hours=1),
            assessment=assessment,
            offer_weights=True,
        ),
        actor=None,
    )
    for _p, token in tokens_for(session):
        services.ballot_submit(token=token, data={"ranking": ["economy", "mental-health"]})
    a_services.assessment_analyse(actor=None, assessment=assessment, samples=300, seed=1)
    client = _client(people["cpo"])
    url = reverse("assessments:results", args=[assessment.key])
    page = client.get(url)
    assert page.status_code == 200
    assert b"burgergewichten" in page.content and b"Burgers wegen" in page.content
    assert b"Kans eerste plaats (burgers)" in page.content
    refresh = client.post(reverse("assessments:citizen_weights", args=[assessment.key]))
    assert refresh.status_code == 302
    assert assessment.versions.get().weight_scenarios.count() == 2
    member = _client(people["member"])
    assert (
        member.post(reverse("assessments:citizen_weights", args=[assessment.key])).status_code
        == 403
    )
