"""Signal rules on stored series, re-evaluation, back-testing data and the e-mail digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.indicators.models import Signal, SignalSubscription
from paraat.indicators.selectors import series_as_of, signals_visible
from paraat.indicators.services import (
    ObservationInput,
    observations_store,
    signal_digest_send,
    signal_rule_create,
    signals_evaluate,
)
from paraat.indicators.tests.factories import IndicatorFactory
from paraat_core.periods import parse_period

pytestmark = pytest.mark.django_db

MONTHS = ["2020MM01", "2020MM02", "2020MM03", "2020MM04"]


def _store(indicator, values, *, vintage, status="final"):  # type: ignore[no-untyped-def]
    return observations_store(
        indicator=indicator,
        rows=[
            ObservationInput(period=parse_period(code), value=value, status=status)
            for code, value in zip(MONTHS, values, strict=False)
        ],
        vintage=vintage,
    )


def _at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day))


def test_threshold_rule_uses_the_indicators_levels_and_explains_itself() -> None:
    """Unemployment (higher is worse), warning 5.0, alert 6.0; 4.8, 5.0, 6.3, 5.5 → warning,
    alert, warning in February, March and April (the core's worked example)."""
    unemployment = IndicatorFactory(threshold_warning=5.0, threshold_alert=6.0)
    _store(unemployment, [4.8, 5.0, 6.3, 5.5], vintage=_at("2020-05-15"))
    signal_rule_create(indicator=unemployment, kind="threshold")
    created = signals_evaluate(indicator=unemployment)
    assert [(s.period_code, s.severity) for s in sorted(created, key=lambda s: s.period_start)] == [
        ("2020MM02", "warning"),
        ("2020MM03", "alert"),
        ("2020MM04", "warning"),
    ]
    march = Signal.objects.get(period_code="2020MM03")
    assert march.explanation["level"] == 6.0
    assert "6" in march.description_nl and march.description_en
    assert march.worse is True
    assert signals_evaluate(indicator=unemployment) == []  # re-running stores nothing new


def test_signals_on_provisional_figures_are_marked_and_a_revision_signals_again() -> None:
    indicator = IndicatorFactory(threshold_warning=5.0, threshold_alert=None)
    _store(indicator, [4.0, 4.5, 5.2], vintage=_at("2020-04-10"), status="provisional")
    signal_rule_create(indicator=indicator, kind="threshold")
    [first] = signals_evaluate(indicator=indicator)
    assert first.on_provisional and first.period_code == "2020MM03"
    _store(indicator, [4.0, 4.5, 5.4], vintage=_at("2020-05-10"), status="final")
    [second] = signals_evaluate(indicator=indicator)
    assert second.value == 5.4 and not second.on_provisional
    assert Signal.objects.count() == 2  # the first signal is kept: history is appended


def test_as_of_evaluation_sees_only_what_was_known() -> None:
    indicator = IndicatorFactory(threshold_warning=5.0, threshold_alert=None)
    _store(indicator, [4.0, 4.2, 4.4], vintage=_at("2020-04-10"))
    _store(indicator, [4.0, 4.2, 5.5], vintage=_at("2020-06-01"))  # March revised upwards
    signal_rule_create(indicator=indicator, kind="threshold")
    assert signals_evaluate(indicator=indicator, as_of=_at("2020-05-01")) == []
    known_then = series_as_of(indicator=indicator, as_of=_at("2020-05-01"))
    assert [p.value for p in known_then] == [4.0, 4.2, 4.4]
    assert [p.value for p in series_as_of(indicator=indicator)] == [4.0, 4.2, 5.5]
    first_published = series_as_of(indicator=indicator, first_known=True)
    assert [p.value for p in first_published] == [4.0, 4.2, 4.4]


def test_bad_rule_parameters_are_refused_with_a_message() -> None:
    indicator = IndicatorFactory()
    with pytest.raises(ValidationError, match="window"):
        signal_rule_create(indicator=indicator, kind="baseline", params={"window": 1})
    with pytest.raises(ValidationError, match="onbekende parameter"):
        signal_rule_create(indicator=indicator, kind="baseline", params={"venster": 4})
    with pytest.raises(ValidationError, match="steekproefomvang"):
        signal_rule_create(indicator=indicator, kind="survey_change")
    with pytest.raises(ValidationError):
        signal_rule_create(indicator=indicator, kind="astrologie")


def test_survey_rule_signals_only_significant_changes() -> None:
    """60 % then 55 % of 1,000 respondents: z = 2.26, p = 0.024 — significant at 95 %;
    55 % then 54 %: not significant, no signal."""
    support = IndicatorFactory(polarity="higher_better", unit="%")
    _store(support, [60.0, 55.0, 54.0], vintage=_at("2020-04-10"))
    signal_rule_create(indicator=support, kind="survey_change", params={"n": 1000})
    [signal] = signals_evaluate(indicator=support)
    assert signal.period_code == "2020MM02"
    assert signal.worse is True
    assert round(signal.explanation["p_value"], 3) == 0.024


def test_confidential_signals_stay_with_those_allowed() -> None:
    roles_sync()
    secret = IndicatorFactory(
        confidentiality=Confidentiality.CONFIDENTIAL, threshold_warning=1.0, threshold_alert=None
    )
    _store(secret, [2.0], vintage=_at("2020-02-10"))
    signal_rule_create(indicator=secret, kind="threshold")
    signals_evaluate()
    analyst = UserFactory(roles=[roles.ANALYST])
    cpo = UserFactory(roles=[roles.CPO])
    assert not signals_visible(user=analyst).exists()
    assert signals_visible(user=cpo).count() == 1
    for user in (analyst, cpo):
        SignalSubscription.objects.create(user=user, min_severity="info")
    mail.outbox.clear()
    assert signal_digest_send(now=timezone.now() + dt.timedelta(minutes=1)) == 1
    [message] = mail.outbox
    assert message.to == [cpo.email]
    assert secret.name_nl in message.body and "2020MM01" in message.body
    # a second digest has nothing new
    assert signal_digest_send(now=timezone.now() + dt.timedelta(minutes=2)) == 0


def test_back_test_of_fast_figures_against_the_finals() -> None:
    """Threshold 10 (higher is worse) on weeks 11–16 of 2020. First published (provisional):
    5, 11, 12, 13, 9, 5 → alarms in weeks 12, 13, 14. Final: 5, 9, 12, 13, 11, 5 → alarms in
    weeks 13, 14, 15. Hits 13 and 14, false alarm 12, miss 15: hit rate 2 / 3."""
    from paraat.indicators.selectors import signal_backtests

    weekly = IndicatorFactory(frequency="week", threshold_warning=10.0, threshold_alert=None)
    weeks = [f"2020-W{w}" for w in range(11, 17)]

    def store(values, status, day):  # type: ignore[no-untyped-def]
        observations_store(
            indicator=weekly,
            rows=[
                ObservationInput(period=parse_period(code), value=value, status=status)
                for code, value in zip(weeks, values, strict=True)
            ],
            vintage=_at(day),
        )

    store([5.0, 11.0, 12.0, 13.0, 9.0, 5.0], "provisional", "2020-04-20")
    signal_rule_create(indicator=weekly, kind="threshold")
    [pending] = signal_backtests(indicator=weekly)
    assert pending.periods == 0 and pending.result is None  # no final figures yet
    store([5.0, 9.0, 12.0, 13.0, 11.0, 5.0], "final", "2020-06-01")
    [test] = signal_backtests(indicator=weekly)
    assert test.periods == 6
    result = test.result
    assert result is not None
    assert [p.code for p in result.hits] == ["2020-W13", "2020-W14"]
    assert [p.code for p in result.false_alarms] == ["2020-W12"]
    assert [p.code for p in result.misses] == ["2020-W15"]
    assert result.hit_rate == pytest.approx(2 / 3)


def test_the_indicator_page_shows_the_back_test(client) -> None:  # type: ignore[no-untyped-def]
    weekly = IndicatorFactory(
        key="wekelijks", frequency="week", threshold_warning=10.0, threshold_alert=None
    )
    weeks = [f"2020-W{w}" for w in range(11, 17)]
    for values, status, day in (
        ([5.0, 11.0, 12.0, 13.0, 9.0, 5.0], "provisional", "2020-04-20"),
        ([5.0, 9.0, 12.0, 13.0, 11.0, 5.0], "final", "2020-06-01"),
    ):
        observations_store(
            indicator=weekly,
            rows=[
                ObservationInput(period=parse_period(c), value=v, status=status)
                for c, v in zip(weeks, values, strict=True)
            ],
            vintage=_at(day),
        )
    signal_rule_create(indicator=weekly, kind="threshold")
    page = client.get("/maatschappelijk-beeld/indicatoren/wekelijks/").content.decode()
    assert "Terugtoets" in page and "67 %" in page


def test_one_period_keeps_one_code_across_sources() -> None:
    """April 2020 stored as CBS ``2020MM04``, then arriving as ISO ``2020-04`` (an SDMX or CSV
    import): a revision of the same period, stored under the code the indicator already has."""
    indicator = IndicatorFactory()
    first = observations_store(
        indicator=indicator,
        rows=[ObservationInput(period=parse_period("2020MM04"), value=4.0)],
        vintage=_at("2020-05-20"),
    )
    second = observations_store(
        indicator=indicator,
        rows=[ObservationInput(period=parse_period("2020-04"), value=4.2)],
        vintage=_at("2020-06-20"),
    )
    assert (first.added, second.added, second.revised) == (1, 0, 1)
    assert [p.period.code for p in series_as_of(indicator=indicator)] == ["2020MM04"]
    assert series_as_of(indicator=indicator)[0].value == 4.2


def test_revision_table_keeps_every_intermediate_vintage() -> None:
    """March 2020 published as 4.0 (provisional), 4.3 (revised provisional), 4.1 (final): the
    revisions on the indicator page show all three, in order."""
    from django.contrib.auth.models import AnonymousUser

    from paraat.indicators.dashboard import indicator_detail

    indicator = IndicatorFactory(key="herzien")
    for value, status, day in (
        (4.0, "provisional", "2020-04-10"),
        (4.3, "revised_provisional", "2020-05-10"),
        (4.1, "final", "2020-06-10"),
    ):
        observations_store(
            indicator=indicator,
            rows=[ObservationInput(period=parse_period("2020MM03"), value=value, status=status)],
            vintage=_at(day),
        )
    detail = indicator_detail(AnonymousUser(), "herzien")
    assert detail is not None
    [row] = detail.revisions.rows
    assert row.values == [4.0, 4.3, 4.1]
    assert detail.revisions.vintages == [_at(d) for d in ("2020-04-10", "2020-05-10", "2020-06-10")]


def test_an_older_export_loaded_later_fills_in_the_history() -> None:
    """The final June figure (4.1) is loaded first, then the April export (4.0, provisional)
    and the May export (4.1, revised provisional). Each is compared with what was known at its
    own date, so both are stored as history; loading them again changes nothing; "as known
    on" each date shows that date's figure, and the latest stays the final 4.1."""
    indicator = IndicatorFactory()
    march = parse_period("2020MM03")

    def load(value, status, day):  # type: ignore[no-untyped-def]
        return observations_store(
            indicator=indicator,
            rows=[ObservationInput(period=march, value=value, status=status)],
            vintage=_at(day),
        )

    assert load(4.1, "final", "2020-06-10").added == 1
    assert load(4.0, "provisional", "2020-04-10").revised == 1
    assert load(4.1, "revised_provisional", "2020-05-10").revised == 1
    assert load(4.0, "provisional", "2020-04-10").unchanged == 1
    assert load(4.1, "final", "2020-06-10").unchanged == 1
    known = {
        day: series_as_of(indicator=indicator, as_of=_at(day))[0].value
        for day in ("2020-04-30", "2020-05-30", "2020-06-30")
    }
    assert known == {"2020-04-30": 4.0, "2020-05-30": 4.1, "2020-06-30": 4.1}
    assert series_as_of(indicator=indicator)[0].status == "final"


def test_a_signal_is_known_from_when_its_inputs_were_known() -> None:
    """February (5.5, beyond the threshold 5.0) was published on 10 March, March on 10 April:
    the February signal rests on January and February only, so a peildatum of 1 April shows
    it, even when the rules ran after March was in."""
    indicator = IndicatorFactory(threshold_warning=5.0, threshold_alert=None)
    for code, value, day in (
        ("2020MM01", 4.0, "2020-02-10"),
        ("2020MM02", 5.5, "2020-03-10"),
        ("2020MM03", 5.8, "2020-04-10"),
    ):
        observations_store(
            indicator=indicator,
            rows=[ObservationInput(period=parse_period(code), value=value)],
            vintage=_at(day),
        )
    signal_rule_create(indicator=indicator, kind="threshold")
    signals_evaluate()
    february = Signal.objects.get(period_code="2020MM02")
    march = Signal.objects.get(period_code="2020MM03")
    assert february.data_vintage == _at("2020-03-10")
    assert march.data_vintage == _at("2020-04-10")
