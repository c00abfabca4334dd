"""Demo data of paraat.panels: a fictional citizen panel with synthetic answers.

* a panel of 40 fictional panelists (pseudonyms ``DEMO-01`` …, ``example.org`` addresses);
* one closed questionnaire (Likert, multiple choice, open) with synthetic responses;
* one closed dilemma session in which the panel ranked the impact domains of the synthetic
  school-closure assessment (``paraat.assessments.demo``), with synthetic ballots, offered to
  that assessment: its latest version is analysed again under the citizens' weights, so its
  results page shows uniform and citizens' weights side by side.

Every row is marked synthetic or fictional. Idempotent: a panel of this name is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from paraat.accounts.models import User
from paraat.panels import services
from paraat.panels.models import Panel, QuestionKind, SessionKind

DEMO_PANEL = "Demopanel burgerperspectief (fictief)"
DEMO_ASSESSMENT = "school-closure-synthetic"
DEMO_SEED = 7
PANELISTS = 40
RESPONSES = 31
BALLOTS = 36

#: The synthetic "public's" leaning: a larger number = ranked higher on average.
_DOMAIN_LEANING = {
    "education": 2.0,
    "mental-health": 1.8,
    "physical-health": 1.6,
    "poverty": 1.2,
    "social-relations": 1.0,
    "work-income": 0.9,
    "safety": 0.6,
    "trust": 0.4,
    "economy": 0.3,
}


def _actor() -> User | None:
    return User.objects.filter(username="cpo").first()


@transaction.atomic
def panels_demo_load() -> dict[str, object]:
    if Panel.objects.filter(name=DEMO_PANEL).exists():
        return {"panels": 0}
    rng = random.Random(DEMO_SEED)
    actor = _actor()
    now = timezone.now()
    today = timezone.localdate()
    panel = services.panel_create(
        name=DEMO_PANEL,
        description="Een fictief burgerpanel met synthetische antwoorden, om de werking te tonen.",
        recruitment="Fictief: geen echte werving. In werkelijkheid: een steekproef uit een "
        "bestaand onderzoekspanel, gestratificeerd naar leeftijd, opleiding en regio.",
        is_synthetic=True,
        actor=actor,
    )
    for i in range(1, PANELISTS + 1):
        services.panelist_add(
            panel=panel,
            data=services.PanelistData(
                code=f"DEMO-{i:02d}",
                email=f"panellid{i:02d}@example.org" if i % 4 else "",
                consent_on=today - dt.timedelta(days=120),
                consent_text="Fictieve toestemming (demo).",
                retention_until=today + dt.timedelta(days=600),
                is_fictional=True,
            ),
            actor=actor,
        )
    # -- questionnaire (closed, with synthetic answers)
    questionnaire = services.questionnaire_create(
        panel=panel,
        data=services.QuestionnaireData(
            title="Scholen dicht bij een nieuwe golf? (synthetisch)",
            intro="Korte vragenlijst over het sluiten van scholen (demo, synthetische antwoorden).",
            opens_at=now - dt.timedelta(days=30),
            closes_at=now - dt.timedelta(days=16),
            is_synthetic=True,
        ),
        actor=actor,
    )
    likert = services.question_add(
        questionnaire=questionnaire,
        kind=QuestionKind.LIKERT,
        text="Scholen moeten zo lang mogelijk open blijven, ook als de besmettingen stijgen.",
        required=True,
        actor=actor,
    )
    choice = services.question_add(
        questionnaire=questionnaire,
        kind=QuestionKind.CHOICE,
        text="Wat weegt voor u het zwaarst bij het sluiten van scholen?",
        choices=[
            "Leerachterstand",
            "Mentale gezondheid van kinderen",
            "Besmettingen",
            "Werk ouders",
        ],
        required=True,
        actor=actor,
    )
    open_q = services.question_add(
        questionnaire=questionnaire,
        kind=QuestionKind.OPEN,
        text="Wat moet het kabinet volgens u anders doen dan in 2020?",
        actor=actor,
    )
    texts = [
        "Eerst naar de kinderen kijken, dan naar de rest.",
        "Betere ventilatie in scholen regelen.",
        "Duidelijker uitleggen waarom iets wordt besloten.",
        "Ouders met vitale beroepen eerder ondersteunen.",
        "Hybride onderwijs beter voorbereiden.",
    ]
    likert_weights = [2, 4, 6, 11, 8]
    choice_weights = [9, 12, 6, 4]
    for n in range(RESPONSES):
        data = {
            services.field_name(likert): str(rng.choices(range(1, 6), likert_weights)[0]),
            services.field_name(choice): rng.choices(choice.choices, choice_weights)[0],
        }
        if n % 3 == 0:
            data[services.field_name(open_q)] = texts[n % len(texts)]
        answers = services.answers_parse(questions=[likert, choice, open_q], data=data)
        services.response_store(questionnaire=questionnaire, answers=answers, is_synthetic=True)
    summary: dict[str, object] = {"panels": 1, "panelists": PANELISTS, "responses": RESPONSES}

    # -- dilemma session over the domains of the synthetic school-closure assessment
    from paraat.assessments import selectors as assessment_selectors
    from paraat.assessments import services as assessment_services

    assessment = (
        assessment_selectors.assessment_list(user=actor).filter(key=DEMO_ASSESSMENT).first()
        if actor is not None
        else None
    )
    if assessment is None:
        return summary
    session = services.session_create(
        panel=panel,
        data=services.SessionData(
            title="Welke gevolgen van schoolsluiting wegen het zwaarst? (synthetisch)",
            intro="Rangschik de impactdomeinen van 1 (weegt het zwaarst) tot het laatste.",
            kind=SessionKind.RANK_DOMAINS,
            opens_at=now - dt.timedelta(days=14),
            closes_at=now - dt.timedelta(days=2),
            assessment=assessment,
            offer_weights=True,
            is_synthetic=True,
        ),
        actor=actor,
    )
    items = services.session_items(session)
    for _n in range(BALLOTS):
        noisy = {k: _DOMAIN_LEANING.get(k, 0.5) + rng.gauss(0.0, 0.8) for k in items}
        ranking = sorted(items, key=lambda k: -noisy[k])
        services.ballot_store(
            session=session, ballot=services.ParsedBallot(ranking=ranking), is_synthetic=True
        )
    summary["ballots"] = BALLOTS
    version = assessment_selectors.assessment_latest_version(assessment=assessment)
    if version is not None:
        rows = assessment_services.weight_scenarios_refresh(actor=actor, version=version)
        summary["weight_scenarios"] = len(rows)
    return summary
