"""Demo data of paraat.exercises (idempotent; fictional people, synthetic values labelled).

* the ready scenario “Najaar 2020” from the shared data (real admissions and measures; one
  synthetic advice request and one synthetic parliamentary question), with a planned run that
  the demo CPO can start;
* a short synthetic scenario “Nieuwe variant” and one finished run of it, evaluated, whose
  two lessons are playbook actions (so the yearly report has an exercise to show).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from paraat.accounts.models import User
from paraat.exercises import selectors, services
from paraat.exercises.models import ExerciseRun

VARIANT_KEY = "nieuwe-variant-synthetisch"
PLANNED_TITLE = "Oefening najaar 2020 (demo)"
DONE_TITLE = "Oefening nieuwe variant (demo, synthetisch)"


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _variant_scenario() -> object:
    existing = selectors.scenario_by_key(key=VARIANT_KEY)
    if existing is not None:
        return existing
    scenario = services.scenario_create(
        data=services.ScenarioData(
            key=VARIANT_KEY,
            title="Nieuwe variant (synthetisch)",
            description=(
                "Synthetisch oefenscenario: een nieuwe variant, stijgende opnames en een "
                "spoedadviesaanvraag met een termijn van 48 uur."
            ),
            is_synthetic=True,
            source_note="Synthetisch: verzonnen voor de demo.",
        ),
        actor=None,
    )
    for offset, kind, title, content, payload in (
        (0, "variant", "WHO meldt een nieuwe zorgwekkende variant", "Synthetisch bericht.", {}),
        (
            30,
            "indicator",
            "Ziekenhuisopnames stijgen (synthetisch)",
            "Synthetisch: 7-daags gemiddelde 120 (week eerder 80).",
            {"hospital_admissions_7d_avg": 120, "week_before": 80},
        ),
        (
            60,
            "advice_request",
            "Spoedadviesaanvraag over avondklok (synthetisch)",
            "Synthetisch: advies binnen 48 uur.",
            {
                "title": "Maatschappelijke impact van een avondklok (synthetisch)",
                "question": "Welke maatschappelijke gevolgen heeft een avondklok, voor wie?",
                "kind": "urgent",
                "deadline_hours": 48,
            },
        ),
        (90, "media", "Talkshow over draagvlak (synthetisch)", "Synthetisch mediabericht.", {}),
    ):
        services.inject_create(
            scenario=scenario,  # type: ignore[arg-type]
            data=services.InjectData(
                offset_minutes=offset,
                kind=kind,
                title=title,
                content=content,
                payload=payload,
                is_synthetic=True,
                source_note="Synthetisch",
            ),
            actor=None,
        )
    return scenario


def exercises_demo_load() -> dict[str, object]:
    summary: dict[str, object] = {}
    cpo = _user("cpo")
    try:
        autumn = services.scenario_autumn_2020_create(actor=None)
        summary["autumn_2020_injects"] = autumn.injects.count()
    except ValidationError:
        autumn = None  # no shared data: the ready scenario is made later (paraat exercises)
        summary["autumn_2020_injects"] = 0
    variant = _variant_scenario()
    if cpo is None:
        return summary
    people = [
        (name, role)
        for name, role in (
            ("voorzitter", "chair"),
            ("lid", "member"),
            ("expert", "expert"),
            ("beheer", "observer"),
        )
        if _user(name) is not None
    ]
    if autumn is not None and not ExerciseRun.objects.filter(title=PLANNED_TITLE).exists():
        run = services.run_create(scenario=autumn, title=PLANNED_TITLE, actor=cpo)
        for name, role in people:
            services.participant_add(run=run, user=_user(name), role=role, actor=cpo)  # type: ignore[arg-type]
    if not ExerciseRun.objects.filter(title=DONE_TITLE).exists():
        run = services.run_create(
            scenario=variant,  # type: ignore[arg-type]
            title=DONE_TITLE,
            speed_factor=1,
            actor=cpo,
        )
        for name, role in people:
            services.participant_add(run=run, user=_user(name), role=role, actor=cpo)  # type: ignore[arg-type]
        start = timezone.now() - dt.timedelta(days=30)
        services.run_start(run=run, actor=cpo, at=start)
        for minutes in (30, 60, 90):
            services.run_tick(run=run, now=start + dt.timedelta(minutes=minutes))
        services.run_end(run=run, actor=cpo, at=start + dt.timedelta(minutes=120))
        evaluation = services.evaluation_save(
            run=run,
            went_well="Synthetisch: de uitvraag aan de praktijkkringen stond binnen een uur uit.",
            went_badly="Synthetisch: onduidelijk wie namens het ministerie de vraag toelichtte.",
            actor=cpo,
        )
        services.lesson_add(
            evaluation=evaluation,
            title="Contactpersoon ministerie vastleggen in het draaiboek (synthetisch)",
            description="Wie licht een spoedadviesvraag toe, en hoe is die bereikbaar?",
            playbook_element="minister",
            actor=cpo,
        )
        services.lesson_add(
            evaluation=evaluation,
            title="Sjabloon spoedadvies klaarzetten (synthetisch)",
            actor=cpo,
        )
    summary["runs"] = ExerciseRun.objects.count()
    return summary
