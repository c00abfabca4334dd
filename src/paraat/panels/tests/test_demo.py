"""The panels demo: a fictional panel with synthetic answers, one questionnaire with results and
a dilemma session over the synthetic school-closure assessment whose results page then shows the
citizens' weights beside uniform weights; a second load adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from paraat.accounts.models import User
from paraat.accounts.services import roles_sync
from paraat.assessments.models import WeightScenario
from paraat.panels import selectors
from paraat.panels.demo import BALLOTS, DEMO_ASSESSMENT, RESPONSES, panels_demo_load
from paraat.panels.models import Panel, Panelist, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def prerequisites(settings: object, tmp_path: Path) -> None:
    """What ``paraat demo`` loads before the panels (the assessments with few samples)."""
    from paraat.assessments.demo import assessments_demo_load
    from paraat.evidence.demo import knowledge_load
    from paraat.measures.demo import nl_catalog_load
    from paraat.taxonomies.services import taxonomy_seed
    from paraat.web.demo import demo_users_create

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    roles_sync()
    demo_users_create()
    taxonomy_seed()
    nl_catalog_load()
    knowledge_load()
    assessments_demo_load(samples=200)


def test_demo_loads_panel_questionnaire_session_and_weights(prerequisites: None) -> None:
    summary = panels_demo_load()
    assert summary["responses"] == RESPONSES and summary["ballots"] == BALLOTS
    assert summary["weight_scenarios"] == 1
    panel = Panel.objects.get()
    assert panel.is_synthetic
    assert not Panelist.objects.filter(is_fictional=False).exists()
    assert not Response.objects.filter(is_synthetic=False).exists()
    cpo = User.objects.get(username="cpo")
    q = selectors.questionnaire_list(user=cpo).get()
    results = selectors.questionnaire_results(questionnaire=q)
    assert results.responses == RESPONSES and results.questions[0].likert is not None
    session = selectors.session_list(user=cpo).get()
    assert session.assessment is not None and session.assessment.key == DEMO_ASSESSMENT
    assert session.is_synthetic and session.offer_weights
    scenario = WeightScenario.objects.get()
    assert scenario.is_synthetic and scenario.participants == BALLOTS
    client = Client()
    client.force_login(cpo)
    page = client.get(reverse("assessments:results", args=[DEMO_ASSESSMENT]))
    assert page.status_code == 200 and b"Kans eerste plaats (burgers)" in page.content
    assert client.get(reverse("panels:session", args=[session.pk])).status_code == 200
    assert client.get(reverse("panels:questionnaire_results", args=[q.pk])).status_code == 200
    assert panels_demo_load() == {"panels": 0}
