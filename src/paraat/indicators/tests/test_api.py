"""API v1 for indicators, signals and composite indices: reads filtered by visibility."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.indicators.services import (
    ObservationInput,
    observations_store,
    signal_rule_create,
    signals_evaluate,
)
from paraat.indicators.tests.factories import IndicatorFactory
from paraat_core.periods import parse_period

pytestmark = pytest.mark.django_db


def _store(indicator, values, vintage, status="final"):  # type: ignore[no-untyped-def]
    observations_store(
        indicator=indicator,
        rows=[
            ObservationInput(period=parse_period(code), value=v, status=status)
            for code, v in values.items()
        ],
        vintage=timezone.make_aware(dt.datetime.fromisoformat(vintage)),
    )


@pytest.fixture
def data():  # type: ignore[no-untyped-def]
    roles_sync()
    public = IndicatorFactory(key="werkloosheid", threshold_warning=5.0, threshold_alert=None)
    internal = IndicatorFactory(key="intern-signaal", confidentiality=Confidentiality.INTERNAL)
    secret = IndicatorFactory(
        key="geheim",
        confidentiality=Confidentiality.CONFIDENTIAL,
        threshold_warning=1.0,
        threshold_alert=None,
    )
    _store(public, {"2020MM01": 4.0, "2020MM02": 5.5}, "2020-03-10", status="provisional")
    _store(public, {"2020MM02": 5.7}, "2020-04-10")
    _store(internal, {"2020MM01": 1.0}, "2020-03-10")
    _store(secret, {"2020MM01": 2.0}, "2020-03-10")
    for indicator in (public, secret):
        signal_rule_create(indicator=indicator, kind="threshold")
    signals_evaluate()
    return public


def test_anonymous_sees_only_public_indicators_and_signals(data) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    keys = [row["key"] for row in client.get("/api/v1/indicators/").json()["results"]]
    assert keys == ["werkloosheid"]
    assert client.get("/api/v1/indicators/geheim/").status_code == 404
    assert client.get("/api/v1/indicators/geheim/observations/").status_code == 404
    signals = client.get("/api/v1/signals/").json()["results"]
    assert {s["indicator"] for s in signals} == {"werkloosheid"}
    assert "geheim" not in client.get("/api/v1/signals/?indicator=geheim").content.decode()


def test_analyst_sees_internal_but_not_confidential(data) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(UserFactory(roles=[roles.ANALYST]))
    keys = {row["key"] for row in client.get("/api/v1/indicators/").json()["results"]}
    assert keys == {"werkloosheid", "intern-signaal"}


def test_series_as_known_on_a_date_with_status_and_vintage(data) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    now = client.get("/api/v1/indicators/werkloosheid/observations/").json()
    assert [(p["period"], p["value"], p["status"]) for p in now] == [
        ("2020MM01", 4.0, "provisional"),
        ("2020MM02", 5.7, "final"),
    ]
    then = client.get("/api/v1/indicators/werkloosheid/observations/?as_of=2020-03-31").json()
    assert [p["value"] for p in then] == [4.0, 5.5]
    assert then[1]["label"] == "2020 februari"
    bad = client.get("/api/v1/indicators/werkloosheid/observations/?as_of=gisteren")
    assert bad.status_code == 400 and "as_of" in bad.json()
    fresh = client.get("/api/v1/indicators/werkloosheid/freshness/").json()
    assert fresh["latest_period"] == "2020MM02" and fresh["status"] == "overdue"


def test_the_api_is_read_only(data) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(UserFactory(roles=[roles.CPO]))
    assert client.post("/api/v1/indicators/", {"key": "x"}).status_code in (403, 405)


def test_composite_api_masks_members_the_reader_may_not_see() -> None:
    from paraat.indicators.services import composite_compute, composite_index_save

    roles_sync()
    public = IndicatorFactory(key="openbaar-lid", polarity="higher_worse")
    secret = IndicatorFactory(
        key="geheim-lid",
        name_nl="Geheime reeks",
        polarity="higher_better",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    values = {"2020MM01": 4.0, "2020MM02": 5.0, "2020MM03": 6.0}
    _store(public, values, "2020-04-10")
    _store(secret, {k: 10 - v for k, v in values.items()}, "2020-04-10")
    index = composite_index_save(
        key="index",
        name_nl="Index",
        start_period="2020MM01",
        members=[("openbaar-lid", 1.0), ("geheim-lid", 1.0)],
    )
    composite_compute(index=index, as_of=timezone.make_aware(dt.datetime(2020, 4, 30)), draws=50)
    # A report for an older peildatum stores an older run later; it must not become current.
    composite_compute(index=index, as_of=timezone.make_aware(dt.datetime(2020, 2, 28)), draws=50)
    anonymous = APIClient().get("/api/v1/composite-indices/index/")
    body = anonymous.content.decode()
    assert anonymous.status_code == 200
    assert "geheim-lid" not in body and "Geheime reeks" not in body
    assert "niet-openbare indicator 1" in body
    run = anonymous.json()["latest_run"]
    assert dt.datetime.fromisoformat(run["as_of"]) == timezone.make_aware(dt.datetime(2020, 4, 30))
    assert set(run["result"]["_all"]["scores"]) == {"openbaar-lid"}
    parts = dict(run["result"]["_all"]["contributions"]["parts"])
    assert set(parts) == {"openbaar-lid", "niet-openbare indicatoren samen"}
    client = APIClient()
    client.force_authenticate(UserFactory(roles=[roles.CPO]))
    assert "geheim-lid" in client.get("/api/v1/composite-indices/index/").content.decode()
