"""Security review of the citizen panel (issue 7): far-off moments are a 400, not a 500, and a
session's weights never reach an assessment less confidential than the session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from paraat.accounts.models import Confidentiality
from paraat.assessments.tests.factories import filled_assessment
from paraat.panels import selectors, services
from paraat.panels.models import DilemmaSession, Questionnaire, SessionKind
from paraat.panels.tests.factories import panel_make, tokens_for

pytestmark = pytest.mark.django_db

FAR_OFF = ["0001-01-01", "0001-01-01T00:00:00", "1899-12-31T23:00:00+01:00", "9999-12-31T23:59"]


@pytest.mark.parametrize("moment", FAR_OFF)
def test_api_far_off_moments_are_a_400_naming_the_field(
    people: dict[str, Any], moment: str
) -> None:
    panel = panel_make(actor=people["cpo"])
    api = APIClient()
    api.force_authenticate(people["cpo"])
    for path, body in (
        ("/api/v1/panels/questionnaires/", {"panel": panel.pk, "title": "Vragenlijst"}),
        (
            "/api/v1/panels/sessions/",
            {"panel": panel.pk, "title": "Sessie", "kind": "rank_domains"},
        ),
    ):
        response = api.post(
            path, {**body, "opens_at": moment, "closes_at": "2026-01-01T00:00"}, format="json"
        )
        assert response.status_code == 400, response.content
        assert "opens_at" in response.json()
    assert not Questionnaire.objects.exists() and not DilemmaSession.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "1000-05-05T10:00", "2101-01-01T00:00"])
def test_form_far_off_moments_are_a_400_with_a_message(people: dict[str, Any], moment: str) -> None:
    panel = panel_make(actor=people["cpo"])
    client = Client()
    client.force_login(people["cpo"])
    response = client.post(
        reverse("panels:questionnaire_create", kwargs={"pk": panel.pk}),
        {
            "title": "Vragenlijst",
            "opens_at": moment,
            "closes_at": "2099-01-02T00:00",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 400
    assert "2000" in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_service_refuses_moments_outside_the_years() -> None:
    panel = panel_make()
    start = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
    with pytest.raises(services.ValidationError) as err:
        services.questionnaire_create(
            panel=panel,
            data=services.QuestionnaireData(
                title="t", opens_at=start, closes_at=timezone.now() + dt.timedelta(days=1)
            ),
            actor=None,
        )
    assert "opens_at" in err.value.message_dict


def _ranked_session(assessment: Any, confidentiality: str) -> DilemmaSession:
    now = timezone.now()
    session = services.session_create(
        panel=panel_make(panelists=1, name=f"Panel {confidentiality}"),
        data=services.SessionData(
            title=f"Geheime sessie {confidentiality}",
            kind=SessionKind.RANK_DOMAINS,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=3),
            assessment=assessment,
            offer_weights=True,
            confidentiality=confidentiality,
        ),
        actor=None,
    )
    ((_p, token),) = tokens_for(session)
    services.ballot_submit(token=token, data={"ranking": services.session_items(session)})
    return session


def test_weights_of_a_more_confidential_session_stay_out_of_the_assessment() -> None:
    assessment = filled_assessment()
    assert assessment.confidentiality == Confidentiality.INTERNAL
    internal = _ranked_session(assessment, Confidentiality.INTERNAL)
    _ranked_session(assessment, Confidentiality.CONFIDENTIAL)
    offered = selectors.weight_distributions_for(assessment=assessment)
    assert [d.session_pk for d in offered] == [internal.pk]
    assessment.confidentiality = Confidentiality.CONFIDENTIAL
    assessment.save()
    assert len(selectors.weight_distributions_for(assessment=assessment)) == 2
