"""The ready scenario “Najaar 2020”: real admissions and measures on their real dates."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from paraat.exercises import autumn2020, services
from paraat.exercises.models import Scenario

pytestmark = pytest.mark.django_db


def test_build_uses_the_real_figures(shared_data: Path) -> None:
    specs = autumn2020.build(shared_data)
    by_title = {s.title: s for s in specs}
    rising = by_title["Ziekenhuisopnames stijgen snel"]
    # NICE via the coronadashboard: 28 Sept 2020, 115 admissions, 7-day mean 96.6 (61.9 a
    # week before).
    assert rising.day == dt.date(2020, 9, 28) and rising.offset_minutes == 20
    assert rising.payload["hospital_admissions"] == 115
    assert rising.payload["hospital_admissions_7d_avg"] == pytest.approx(96.6)
    assert "96,6" in rising.content and "61,9" in rising.content
    partial = next(s for s in specs if s.payload.get("package") == "2020-10-14-partial-lockdown")
    assert partial.day == dt.date(2020, 10, 13) and partial.kind == "measures"
    assert "Gedeeltelijke lockdown" in partial.title or "gedeeltelijke lockdown" in partial.title
    lockdown = next(s for s in specs if s.payload.get("package") == "2020-12-15-lockdown")
    assert lockdown.offset_minutes == 174
    # OxCGRT stringency for the Netherlands on 15 December 2020.
    assert lockdown.payload["stringency_after"] == pytest.approx(71.3)
    advice = [s for s in specs if s.kind == "advice_request"]
    assert len(advice) == 1 and advice[0].is_synthetic
    assert advice[0].payload["deadline_hours"] == 48 and advice[0].payload["kind"] == "urgent"
    assert all(not s.is_synthetic for s in specs if s.kind in ("indicator", "measures"))
    assert [s.offset_minutes for s in specs] == sorted(s.offset_minutes for s in specs)
    assert all(s.source_note for s in specs)


def test_service_is_idempotent_and_sourced(shared_data: Path, people: dict[str, Any]) -> None:
    scenario = services.scenario_autumn_2020_create(actor=people["cpo"], data_dir=shared_data)
    again = services.scenario_autumn_2020_create(actor=people["cpo"], data_dir=shared_data)
    assert again.pk == scenario.pk and not scenario.is_synthetic
    assert scenario.injects.count() == len(autumn2020.build(shared_data))
    assert "CC BY 4.0" in scenario.source_note and "NICE" in scenario.source_note
    assert scenario.injects.filter(is_synthetic=True).count() == 2


def test_missing_data_is_a_clear_error(tmp_path: Path, people: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        services.scenario_autumn_2020_create(actor=people["cpo"], data_dir=tmp_path)
    assert "nl_hospital_admissions_nice.csv" in str(err.value)
    assert not Scenario.objects.filter(key=autumn2020.KEY).exists()


def test_management_commands(shared_data: Path, settings: Any, people: dict[str, Any]) -> None:
    settings.PARAAT_SHARED_DATA_DIR = shared_data
    out = StringIO()
    call_command("exercises", "autumn-2020", stdout=out)
    assert out.getvalue().startswith(f"{autumn2020.KEY}: ")
    scenario = Scenario.objects.get(key=autumn2020.KEY)
    run = services.run_create(scenario=scenario, actor=people["cpo"])
    services.run_start(
        run=run, actor=people["cpo"], at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=21)
    )
    out = StringIO()
    call_command("exercises", "tick", stdout=out)
    assert out.getvalue().strip() == "2 inject(s) afgeleverd"  # the two of 28 September
