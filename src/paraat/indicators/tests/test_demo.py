"""The demo indicator set: real values where the shared data has them, labelled synthetic else."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.db.models import Count, F, Min

from paraat.indicators.demo import (
    SYNTHETIC_NOTE,
    indicator_definitions,
    indicators_demo_load,
)
from paraat.indicators.models import ImportBatch, Indicator, Observation, ObservationStatus
from paraat.indicators.selectors import observation_series, series_as_of
from paraat.measures.timeline import HOSPITAL_KEYS
from paraat.taxonomies.models import Domain

pytestmark = pytest.mark.django_db

REAL_KEYS = {
    "nice-hospital-admissions",
    "nice-hospital-admissions-7d",
    "nice-ic-admissions",
    "nice-ic-admissions-7d",
    "sewage-rna",
    "oxcgrt-stringency-nl",
}


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+01:00")


def test_demo_set_loads_real_and_labelled_synthetic_indicators(shared_data: Path) -> None:
    summary = indicators_demo_load(data_dir=shared_data)

    indicators = Indicator.objects.select_related("domain")
    assert summary["indicators"] == indicators.count() >= 25
    covered = {indicator.domain.key for indicator in indicators if indicator.domain}
    assert len(set(Domain.objects.values_list("key", flat=True)) - covered) <= 2

    real = indicators.filter(is_synthetic=False)
    assert set(real.values_list("key", flat=True)) == REAL_KEYS
    assert summary["real"] == len(REAL_KEYS)
    for indicator in real:
        assert indicator.source and indicator.licence, indicator.key
        assert "synthet" not in f"{indicator.name_nl} {indicator.method_note}".lower()
    assert real.get(key="oxcgrt-stringency-nl").licence == "CC BY 4.0"

    synthetic = indicators.filter(is_synthetic=True)
    assert synthetic.count() == summary["synthetic"] >= 19
    for indicator in synthetic:
        assert indicator.name_nl.endswith("(synthetisch)"), indicator.key
        assert indicator.name_en.endswith("(synthetic)"), indicator.key
        assert indicator.method_note.startswith(SYNTHETIC_NOTE), indicator.key
        assert indicator.source and indicator.licence, indicator.key
        assert indicator.observations.exists(), indicator.key
    assert set(synthetic.values_list("speed", flat=True)) == {"fast", "slow"}

    # The keys the measures timeline reads hold the real NICE figures, as in the shared file.
    with (shared_data / "coronadashboard" / "nl_hospital_admissions_nice.csv").open() as handle:
        first_wave = next(row for row in csv.DictReader(handle) if row["date"] == "2020-04-01")
    for name, key in HOSPITAL_KEYS.items():
        column = {
            "hospital": "hospital_admissions",
            "hospital_7d": "hospital_admissions_7d_avg",
            "ic": "ic_admissions",
            "ic_7d": "ic_admissions_7d_avg",
        }[name]
        series = observation_series(indicator=Indicator.objects.get(key=key))
        assert series[dt.date(2020, 4, 1)] == float(first_wave[column])
    stringency = observation_series(indicator=real.get(key="oxcgrt-stringency-nl"))
    assert stringency[dt.date(2021, 2, 1)] > 70  # curfew: one of the strictest periods
    assert max(observation_series(indicator=real.get(key="sewage-rna")).values()) > 1000


def test_group_breakdowns_provisional_figures_and_realistic_vintages(shared_data: Path) -> None:
    indicators_demo_load(data_dir=shared_data)

    unemployment = Indicator.objects.get(key="unemployment-rate")
    assert unemployment.breakdowns["group"]["values"]["young-people"] == "Jongeren"
    youth = observation_series(indicator=unemployment, start=dt.date(2020, 1, 1))
    rows = Observation.objects.filter(indicator=unemployment, breakdown="group=young-people")
    young = {o.period_start: o.value for o in rows}
    assert all(young[day] > 1.5 * value for day, value in youth.items())
    with_groups = Indicator.objects.filter(observations__breakdown__startswith="group=").distinct()
    assert with_groups.count() >= 15
    for indicator in with_groups:
        assert indicator.headline_breakdown == ""
        assert indicator.observations.filter(breakdown="").exists()
        groups = set(indicator.breakdowns["group"]["values"])
        stored = {
            b.removeprefix("group=")
            for b in indicator.observations.exclude(breakdown="")
            .values_list("breakdown", flat=True)
            .distinct()
        }
        assert stored == groups, indicator.key

    # Recent periods are provisional; CBS codes are used for CBS tables so a live refresh
    # lines up with the demo periods.
    last = Observation.objects.filter(indicator=unemployment, breakdown="").latest("period_start")
    assert (last.period_code, last.status) == ("2022MM12", ObservationStatus.PROVISIONAL)
    assert Observation.objects.filter(
        indicator__key="weekly-deaths", period_code="2020W115", breakdown=""
    ).exists()
    provisional = Observation.objects.filter(status=ObservationStatus.PROVISIONAL)
    assert provisional.values("indicator").distinct().count() >= 20

    # Vintages follow the period end plus the publication lag, never the moment of loading.
    first = Observation.objects.values(
        "indicator__key", "indicator__publication_lag_days", "period_end"
    ).annotate(first=Min("vintage"))
    for row in first:
        lag = (row["first"].date() - row["period_end"]).days
        assert abs(lag - row["indicator__publication_lag_days"]) <= 1, row
    assert not Observation.objects.filter(vintage__lt=F("period_end")).exists()
    assert (
        not Observation.objects.filter(vintage__year__gt=2023)
        .exclude(indicator__key__in=REAL_KEYS)
        .exists()
    )

    # Survey waves of the RIVM behavioural unit carry their wave size in the definition.
    surveys = [d for d in indicator_definitions() if d["key"].startswith("rivm-")]
    assert len(surveys) == 12
    assert all(d["data"]["synthetic"]["survey_n"] >= 100 for d in surveys)
    curfew = observation_series(indicator=Indicator.objects.get(key="rivm-compliance-curfew"))
    assert min(curfew) >= dt.date(2021, 1, 18) and max(curfew) <= dt.date(2021, 4, 28)


def test_revisions_change_what_was_known_and_a_second_load_adds_nothing(
    shared_data: Path,
) -> None:
    summary = indicators_demo_load(data_dir=shared_data)
    assert summary["revised"] > 0

    gdp = Indicator.objects.get(key="gdp-growth")
    revised = (
        Observation.objects.filter(indicator=gdp, breakdown="")
        .values("period_code")
        .annotate(vintages=Count("id"))
        .filter(vintages=2)
    )
    assert revised.count() >= 10
    # Q2 2020: the first estimate (mid-August 2020) was revised at the second (end of September).
    known_in_september = series_as_of(indicator=gdp, as_of=_at("2020-09-01"))
    known_later = series_as_of(indicator=gdp, as_of=_at("2021-01-01"))
    early = {p.period.code: p for p in known_in_september}
    later = {p.period.code: p for p in known_later}
    assert "2020KW03" not in early and "2020KW03" in later
    assert early["2020KW02"].is_provisional and not later["2020KW02"].is_provisional
    assert any(early[code].value != later[code].value for code in early)

    counts = (
        Observation.objects.count(),
        Indicator.objects.count(),
        ImportBatch.objects.count(),
    )
    again = indicators_demo_load(data_dir=shared_data)
    assert (again["added"], again["revised"]) == (0, 0)
    assert again["unchanged"] == summary["added"] + summary["revised"]
    assert counts == (
        Observation.objects.count(),
        Indicator.objects.count(),
        ImportBatch.objects.count(),
    )
