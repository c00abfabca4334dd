"""The composite index computed from stored series, per group, with band and parts."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.utils import timezone

from paraat.indicators.models import CompositeRun
from paraat.indicators.services import (
    ObservationInput,
    composite_compute,
    composite_index_save,
    observations_store,
)
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.taxonomies.services import taxonomy_seed
from paraat_core.periods import parse_period

pytestmark = pytest.mark.django_db

VINTAGE = timezone.make_aware(dt.datetime(2020, 6, 1))


def _monthly(indicator, values, breakdown=""):  # type: ignore[no-untyped-def]
    codes = ["2020MM01", "2020MM02", "2020MM03", "2020MM04"]
    observations_store(
        indicator=indicator,
        rows=[
            ObservationInput(period=parse_period(c), value=v, breakdown=breakdown)
            for c, v in zip(codes, values, strict=True)
        ],
        vintage=VINTAGE,
    )


@pytest.fixture
def index():  # type: ignore[no-untyped-def]
    taxonomy_seed()
    unemployment = IndicatorFactory(key="werkloosheid", polarity="higher_worse")
    satisfaction = IndicatorFactory(key="tevredenheid", polarity="higher_better")
    _monthly(unemployment, [4.0, 5.0, 6.0, 5.0])
    _monthly(satisfaction, [7.8, 7.6, 7.4, 7.5])
    _monthly(unemployment, [8.0, 10.0, 12.0, 11.0], breakdown="group=young-people")
    _monthly(satisfaction, [7.5, 7.0, 6.8, 6.9], breakdown="group=young-people")
    return composite_index_save(
        key="welzijn",
        name_nl="Maatschappelijke index",
        start_period="2020MM01",
        members=[("werkloosheid", 1.0), ("tevredenheid", 1.0)],
        group_keys=["young-people"],
    )


def test_run_has_the_number_its_band_and_its_parts(index) -> None:  # type: ignore[no-untyped-def]
    run = composite_compute(
        index=index, as_of=timezone.make_aware(dt.datetime(2020, 6, 5)), draws=400
    )
    result = run.result
    assert result["periods"] == [f"2020MM0{m}" for m in range(1, 7)]
    assert result["_all"]["central"][4:] == [None, None]  # May and June: no figures yet
    whole = result["_all"]
    assert whole["reference_period"] == "2020MM01"
    assert whole["central"][0] == 100.0  # the reference period is 100 on the common scale
    # both indicators worsen to March and recover a little in April
    assert whole["central"][2] < whole["central"][1] < 100.0 < 100.0001
    assert whole["central"][3] > whole["central"][2]
    for low, mid, high in zip(whole["p05"][:4], whole["median"][:4], whole["p95"][:4], strict=True):
        assert low <= mid <= high
    parts = whole["contributions"]
    assert (parts["start"], parts["end"]) == ("2020MM03", "2020MM04")
    assert math.isclose(sum(v for _k, v in parts["parts"]), parts["change"], abs_tol=1e-3)
    assert set(whole["sensitivity"]) >= {"weights", "normalisation", "aggregation"}
    assert "young-people" in result
    assert result["young-people"]["central"][0] == 100.0
    assert run.spec["draws"] == 400 and run.spec["indicators"][0]["key"] == "werkloosheid"
    assert CompositeRun.objects.count() == 1


def test_only_figures_known_at_the_date_count(index) -> None:  # type: ignore[no-untyped-def]
    early = composite_compute(
        index=index, as_of=timezone.make_aware(dt.datetime(2020, 5, 1)), draws=50
    )
    assert all(v is None for v in early.result["_all"]["central"])  # nothing known before June


def test_an_indicator_without_direction_cannot_join(index) -> None:  # type: ignore[no-untyped-def]
    IndicatorFactory(key="neutraal", polarity="neutral")
    neutral = composite_index_save(
        key="neutraal-index",
        name_nl="Neutraal",
        start_period="2020MM01",
        members=[("neutraal", 1.0)],
    )
    with pytest.raises(ValueError, match="zonder richting"):
        composite_compute(index=neutral, draws=10)
