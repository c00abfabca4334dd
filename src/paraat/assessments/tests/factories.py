"""Factories for the assessment framework. Assessments are made through the services, so the
zero option and the first status exist exactly as in production."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import factory
from django.utils import timezone

from paraat.accounts.models import Confidentiality
from paraat.assessments import services
from paraat.assessments.models import Assessment, FundamentalRight, Option, RightsQuestion
from paraat.indicators.models import Frequency, Indicator, Observation
from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory
from paraat_core.assessment.model import CHECKLIST, TESTS

#: A tiny rights catalogue and question list for tests (the real ones are in ``data/``).
RIGHTS = [
    {
        "key": "evrm-8",
        "instrument": "echr",
        "article": "8",
        "title_nl": "Recht op eerbiediging van privé-, familie- en gezinsleven",
        "title_en": "Right to respect for private and family life",
        "absolute": False,
        "url": "https://www.echr.coe.int/",
        "position": 1,
    },
    {
        "key": "grondwet-1",
        "instrument": "constitution",
        "article": "1",
        "title_nl": "Gelijke behandeling en verbod op discriminatie",
        "title_en": "Equal treatment",
        "absolute": False,
        "url": "https://wetten.overheid.nl/",
        "position": 2,
    },
]
QUESTIONS = [
    {"key": key, "kind": "test", "text_nl": f"Toets {key}?", "position": n}
    for n, key in enumerate(TESTS)
] + [
    {"key": key, "kind": "checklist", "text_nl": f"Vraag {key}?", "position": n}
    for n, key in enumerate(CHECKLIST)
]


def rights_fixture(tmp_path: Path) -> int:
    """Seed the tiny rights fixture (files written under ``tmp_path``)."""
    rights, questions = tmp_path / "rights.json", tmp_path / "rights_questions.json"
    rights.write_text(json.dumps(RIGHTS), encoding="utf-8")
    questions.write_text(json.dumps(QUESTIONS), encoding="utf-8")
    return services.rights_seed(rights_path=rights, questions_path=questions)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment with domains and groups (made by ``assessment_create``)."""

    class Meta:
        model = Assessment

    key = factory.Sequence(lambda n: f"afweging-{n}")
    title = factory.Sequence(lambda n: f"Afweging {n} (synthetisch)")
    question = "Welke maatregel legt de minste last op de samenleving?"
    assessed_on = dt.date(2023, 1, 5)
    confidentiality = Confidentiality.INTERNAL
    is_synthetic = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Assessment:
        domains = kwargs.pop("domains", None)
        groups = kwargs.pop("groups", None)
        if domains is None:
            domains = [
                DomainFactory(key="mental-health", name_nl="Mentale gezondheid"),
                DomainFactory(key="economy", name_nl="Economie"),
            ]
        if groups is None:
            groups = [
                PopulationGroupFactory(key="young-people", name_nl="Jongeren"),
                PopulationGroupFactory(key="travellers", name_nl="Reizigers"),
            ]
        return services.assessment_create(
            actor=kwargs.pop("actor", None),
            domain_keys=[d.key for d in domains],
            group_keys=[g.key for g in groups],
            **kwargs,
        )


def option_make(
    assessment: Assessment, name: str = "Mondkapjes in het vliegtuig", **kw: Any
) -> Option:
    return services.option_create(actor=None, assessment=assessment, name=name, **kw)


def filled_assessment(**kwargs: Any) -> Assessment:
    """An assessment with a second option and a judgement in every cell (ready to analyse)."""
    assessment = AssessmentFactory(**kwargs)
    option_make(assessment, key="masks")
    for option, effect in zip(
        assessment.options.order_by("position"), ("none", "small_negative"), strict=True
    ):
        for domain in assessment.domains.all():
            for group in assessment.groups.all():
                services.judgement_set(
                    actor=None,
                    option=option,
                    domain_key=domain.domain.key,
                    group_key=group.group.key,
                    effect=effect,
                    certainty="moderate",
                )
    return assessment


__all__ = [
    "QUESTIONS",
    "RIGHTS",
    "AssessmentFactory",
    "FundamentalRight",
    "RightsQuestion",
    "filled_assessment",
    "option_make",
    "rights_fixture",
]


def observation_make(
    indicator: Indicator, value: float, *, month: int = 1, **extra: Any
) -> Observation:
    """A monthly figure of ``indicator`` for ``month`` of 2023, known now."""
    return Observation.objects.create(
        indicator=indicator,
        period_code=f"2023-{month:02d}",
        period_start=dt.date(2023, month, 1),
        frequency=Frequency.MONTH,
        value=value,
        vintage=timezone.now(),
        **extra,
    )
