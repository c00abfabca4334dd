"""Test data for the exercises, made through the services (as in production)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from paraat.accounts.models import User
from paraat.exercises import services
from paraat.exercises.models import ExerciseRun, Scenario

ADVICE_PAYLOAD = {
    "title": "Impact van een avondklok (synthetisch)",
    "question": "Welke maatschappelijke gevolgen heeft een avondklok?",
    "kind": "urgent",
    "deadline_hours": 48,
}


def scenario_make(*, actor: User | None = None, **overrides: Any) -> Scenario:
    """A synthetic scenario with four injects: minutes 0, 30, 60 (advice request), 90."""
    values: dict[str, Any] = {
        "title": "Nieuwe variant (synthetisch)",
        "description": "Synthetisch testscenario.",
        "is_synthetic": True,
    }
    values.update(overrides)
    scenario = services.scenario_create(data=services.ScenarioData(**values), actor=actor)
    for offset, kind, title, payload in (
        (0, "variant", "Nieuwe variant gemeld", {}),
        (30, "indicator", "Opnames stijgen", {"hospital_admissions_7d_avg": 120}),
        (60, "advice_request", "Spoedadviesaanvraag", ADVICE_PAYLOAD),
        (90, "media", "Talkshow", {}),
    ):
        services.inject_create(
            scenario=scenario,
            data=services.InjectData(
                offset_minutes=offset, kind=kind, title=title, payload=payload, is_synthetic=True
            ),
            actor=actor,
        )
    return scenario


def run_make(
    *, actor: User, scenario: Scenario | None = None, speed: object = 1, **kw: Any
) -> ExerciseRun:
    return services.run_create(
        scenario=scenario or scenario_make(actor=actor), speed_factor=speed, actor=actor, **kw
    )


def minutes_ago(n: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=n)
