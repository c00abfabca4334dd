"""Signal rules: worked examples computed by hand, validation and properties.

Hand computations (also in docs/methodology/signals.md):

* baseline, trailing window 5: 100, 102, 98, 101, 99 -> mean 100,
  sd = sqrt((0 + 4 + 4 + 1 + 1) / 4) = sqrt(2.5) = 1.5811; 110 -> z = 6.3246.
* baseline, seasonal: deaths in week 14 of 2020 were 5,073 (CBS figure as
  reported in the press, May 2020); against illustrative previous-year values
  2,900, 3,000, 3,100, 2,950, 3,050 (mean 3,000, sd sqrt(25,000 / 4) = 79.057)
  z = 2,073 / 79.057 = 26.22.
* Chow test, window 4: 10, 12, 11, 13 | 20, 22, 21, 23: SSE 1.8 + 1.8 = 3.6,
  pooled SSE 210 - 88**2 / 42 = 25.619; F = (22.019 / 2) / (3.6 / 4) = 12.233,
  p = (4 / (4 + 2F))**2 = 0.01975.
* two-proportion z-test: 60 % of 1,000 vs 55 % of 1,000: pooled 0.575,
  SE = sqrt(0.575 * 0.425 * 0.002) = 0.022108, z = 2.2616, p = 0.0237.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from paraat_core.periods import Period, next_period, parse_period, periods_between
from paraat_core.signals import (
    Backtest,
    Signal,
    SurveyTest,
    backtest,
    baseline_signals,
    chow_test,
    survey_change_signals,
    survey_change_test,
    threshold_signals,
    trend_break_signals,
    year_on_year_signals,
)

HIGHER_IS_WORSE = -1
HIGHER_IS_BETTER = +1


def months(first: str, values: list[float | None]) -> list[tuple[Period, float | None]]:
    """Consecutive periods from ``first`` (any frequency, despite the name) with ``values``."""
    periods = [parse_period(first)]
    while len(periods) < len(values):
        periods.append(next_period(periods[-1]))
    return list(zip(periods, values, strict=False))


def codes(signals: list[Signal]) -> list[str]:
    return [s.period.code for s in signals]


# ------------------------------------------------------------------------------------------
# threshold
# ------------------------------------------------------------------------------------------


def test_threshold_higher_is_worse() -> None:
    series = months("2020-01", [4.8, 5.0, 6.3, 5.5])
    signals = threshold_signals(series, warning=5.0, alert=6.0, polarity=HIGHER_IS_WORSE)
    assert [(s.period.code, s.severity, s.worse) for s in signals] == [
        ("2020-02", "warning", True),
        ("2020-03", "alert", True),
        ("2020-04", "warning", True),
    ]
    first = signals[0].explanation
    assert first == {
        "level": 5.0,
        "level_name": "warning",
        "warning": 5.0,
        "alert": 6.0,
        "polarity": -1.0,
        "crossing": "yes",
        "previous_value": 4.8,
        "previous_period": "2020-01",
    }
    assert signals[1].describe() == (
        "Alarm voor 2020 maart: de waarde 6,3 ligt op of boven de alarmgrens van 6 "
        "(hoger is slechter)."
    )
    assert signals[1].describe("en") == (
        "Alert for 2020 March: the value 6.3 is at or above the alert level of 6 (higher is worse)."
    )


def test_threshold_only_crossings() -> None:
    series = months("2020-01", [4.8, 5.0, 6.3, 5.5, 4.0, 5.2])
    signals = threshold_signals(
        series, warning=5.0, alert=6.0, polarity=HIGHER_IS_WORSE, only_crossings=True
    )
    assert codes(signals) == ["2020-02", "2020-03", "2020-06"]


def test_threshold_higher_is_better() -> None:
    """Share of people who trust the government's approach (%): lower is worse."""
    series = months("2020-01", [72.0, 55.0, None, 38.0, 50.0])
    signals = threshold_signals(series, warning=50.0, alert=40.0, polarity=HIGHER_IS_BETTER)
    assert [(s.period.code, s.severity) for s in signals] == [
        ("2020-04", "alert"),
        ("2020-05", "warning"),
    ]
    assert signals[0].explanation["previous_period"] == "2020-02"  # skips the missing month
    assert "op of onder de alarmgrens van 40 (lager is slechter)" in signals[0].describe()
    only_warning = threshold_signals(series, warning=60.0, alert=None, polarity=1)
    assert codes(only_warning) == ["2020-02", "2020-04", "2020-05"]


def test_threshold_validation() -> None:
    series = months("2020-01", [1.0])
    with pytest.raises(ValueError, match="warning level, an alert level or both"):
        threshold_signals(series, warning=None, alert=None, polarity=-1)
    with pytest.raises(ValueError, match=r"alert level .* above the warning level"):
        threshold_signals(series, warning=6.0, alert=5.0, polarity=-1)
    with pytest.raises(ValueError, match="below the warning level"):
        threshold_signals(series, warning=40.0, alert=50.0, polarity=1)
    with pytest.raises(ValueError, match="warning must be a finite number"):
        threshold_signals(series, warning=math.inf, alert=None, polarity=1)


# ------------------------------------------------------------------------------------------
# year on year
# ------------------------------------------------------------------------------------------


def test_year_on_year() -> None:
    series = [
        (parse_period("2019MM04"), 100.0),
        (parse_period("2019MM05"), 100.0),
        (parse_period("2019MM06"), 100.0),
        (parse_period("2019MM07"), 0.0),
        (parse_period("2020MM04"), 85.0),
        (parse_period("2020MM05"), 120.0),
        (parse_period("2020MM06"), 130.0),
        (parse_period("2020MM07"), 5.0),
    ]
    signals = year_on_year_signals(series, polarity=HIGHER_IS_WORSE, warning_pct=10, alert_pct=25)
    assert [(s.period.code, s.severity, s.worse) for s in signals] == [
        ("2020MM04", "info", False),
        ("2020MM05", "warning", True),
        ("2020MM06", "alert", True),
    ]  # July: previous value 0, relative change undefined
    may = signals[1]
    assert may.explanation == {
        "change_pct": pytest.approx(20.0),
        "previous_value": 100.0,
        "previous_period": "2019MM05",
        "warning_pct": 10.0,
        "alert_pct": 25.0,
        "polarity": -1.0,
    }
    assert may.describe() == (
        "Waarschuwing voor 2020 mei: 120 is 20 % hoger dan in 2019 mei (100), een verslechtering."
    )
    assert may.describe("en") == (
        "Warning for 2020 May: 120 is 20% higher than in 2019 May (100), a deterioration."
    )
    assert (
        signals[0]
        .describe("en")
        .endswith("85 is 15% lower than in 2019 April (100), an improvement.")
    )


def test_year_on_year_negative_previous_value_uses_its_magnitude() -> None:
    series = [(parse_period("2019-Q1"), -50.0), (parse_period("2020-Q1"), -25.0)]
    (signal,) = year_on_year_signals(series, polarity=1, warning_pct=10, alert_pct=60)
    assert signal.explanation["change_pct"] == pytest.approx(50.0)  # rose by half of |-50|
    assert signal.worse is False


def test_year_on_year_week_53_against_week_52() -> None:
    series = [(parse_period("2019-W52"), 100.0), (parse_period("2020-W53"), 150.0)]
    (signal,) = year_on_year_signals(series, polarity=-1, warning_pct=10, alert_pct=25)
    assert signal.explanation["previous_period"] == "2019-W52"


def test_year_on_year_validation() -> None:
    series = months("2020-01", [1.0])
    with pytest.raises(ValueError, match="warning_pct must be > 0"):
        year_on_year_signals(series, polarity=1, warning_pct=0, alert_pct=5)
    with pytest.raises(ValueError, match="alert_pct"):
        year_on_year_signals(series, polarity=1, warning_pct=10, alert_pct=5)


# ------------------------------------------------------------------------------------------
# baseline
# ------------------------------------------------------------------------------------------


def test_baseline_trailing_worked_example() -> None:
    series = months("2020-01", [100, 102, 98, 101, 99, 110])
    (signal,) = baseline_signals(series, polarity=HIGHER_IS_WORSE, window=5, seasonal=False)
    assert signal.period.code == "2020-06"
    assert signal.severity == "alert" and signal.worse is True
    ex = signal.explanation
    assert ex["baseline_mean"] == pytest.approx(100.0)
    assert ex["baseline_sd"] == pytest.approx(math.sqrt(2.5))
    assert ex["z"] == pytest.approx(6.32456, abs=1e-5)
    assert ex["band_low"] == pytest.approx(96.8377, abs=1e-4)
    assert ex["band_high"] == pytest.approx(103.1623, abs=1e-4)
    assert ex["alert_high"] == pytest.approx(104.7434, abs=1e-4)
    assert (ex["baseline"], ex["baseline_first"], ex["baseline_last"]) == (
        "trailing",
        "2020-01",
        "2020-05",
    )
    assert signal.describe() == (
        "Alarm voor 2020 juni: 110 ligt 6,32 standaarddeviaties boven het gemiddelde van de "
        "5 voorgaande perioden (100; band 96,84 tot 103,16), een verslechtering."
    )
    assert signal.describe("en") == (
        "Alert for 2020 June: 110 is 6.32 standard deviations above the mean of the previous "
        "5 periods (100; band 96.84 to 103.16), a deterioration."
    )


def test_baseline_warning_and_info() -> None:
    series = months("2020-01", [100, 102, 98, 101, 99, 104])  # z = 2.53
    (signal,) = baseline_signals(series, polarity=HIGHER_IS_WORSE, window=5, seasonal=False)
    assert signal.severity == "warning"
    (better,) = baseline_signals(series, polarity=HIGHER_IS_BETTER, window=5, seasonal=False)
    assert (better.severity, better.worse) == ("info", False)


def test_baseline_min_points_and_missing_values() -> None:
    series = months("2020-01", [100, 102, None, 101, 99, 110])
    assert baseline_signals(series, polarity=-1, window=5, seasonal=False) == []
    (signal,) = baseline_signals(series, polarity=-1, window=5, seasonal=False, min_points=4)
    assert signal.explanation["points"] == 4.0
    assert signal.explanation["baseline_mean"] == pytest.approx(100.5)


def test_baseline_seasonal_deaths_week_14() -> None:
    previous = {"2015": 2900.0, "2016": 3000.0, "2017": 3100.0, "2018": 2950.0, "2019": 3050.0}
    series: list[tuple[Period, float | None]] = [
        (parse_period(f"{year}W114"), value) for year, value in previous.items()
    ]
    series.append((parse_period("2020W114"), 5073.0))
    (signal,) = baseline_signals(series, polarity=HIGHER_IS_WORSE, window=5, seasonal=True)
    ex = signal.explanation
    assert signal.period.code == "2020W114"
    assert ex["baseline_mean"] == pytest.approx(3000.0)
    assert ex["baseline_sd"] == pytest.approx(79.0569, abs=1e-4)
    assert ex["z"] == pytest.approx(26.2217, abs=1e-4)
    assert (ex["baseline_first"], ex["baseline_last"]) == ("2015W114", "2019W114")
    assert signal.describe() == (
        "Alarm voor 2020 week 14: 5.073 ligt 26,22 standaarddeviaties boven het gemiddelde van "
        "dezelfde periode in de 5 voorgaande jaren (3.000; band 2.841,89 tot 3.158,11), "
        "een verslechtering."
    )
    assert "the same period in the previous 5 years (3,000; band 2,841.89" in signal.describe("en")


def test_baseline_without_spread_is_silent() -> None:
    series = months("2020-01", [100, 100, 100, 100, 100, 500])
    assert baseline_signals(series, polarity=-1, window=5, seasonal=False) == []


def test_baseline_validation() -> None:
    series = months("2020-01", [1.0, 2.0])
    with pytest.raises(ValueError, match="window must be a whole number >= 2"):
        baseline_signals(series, polarity=-1, window=1, seasonal=False)
    with pytest.raises(ValueError, match="min_points"):
        baseline_signals(series, polarity=-1, window=3, seasonal=False, min_points=4)
    with pytest.raises(ValueError, match="alert_z"):
        baseline_signals(series, polarity=-1, window=3, seasonal=False, warning_z=3, alert_z=2)


# ------------------------------------------------------------------------------------------
# trend break
# ------------------------------------------------------------------------------------------


def test_chow_worked_example() -> None:
    f_stat, p_value, df2 = chow_test([0, 1, 2, 3], [10, 12, 11, 13], [4, 5, 6, 7], [20, 22, 21, 23])
    assert df2 == 4
    assert f_stat == pytest.approx((1076 / 42 - 3.6) / 2 / 0.9)
    assert f_stat == pytest.approx(12.2328, abs=1e-4)
    assert p_value == pytest.approx((4 / (4 + 2 * f_stat)) ** 2)
    assert p_value == pytest.approx(0.019746, abs=1e-6)


def test_chow_p_value_matches_the_f_distribution() -> None:
    """Upper 5 % point of F(2, 10) is 4.10 (standard F tables)."""
    d = 10
    assert (d / (d + 2 * 4.10)) ** (d / 2) == pytest.approx(0.05, abs=5e-4)


def test_trend_break_worked_example() -> None:
    series = months("2020-01", [10, 12, 11, 13, 20, 22, 21, 23])
    (signal,) = trend_break_signals(series, window=4, polarity=HIGHER_IS_WORSE)
    ex = signal.explanation
    assert signal.period.code == "2020-08"
    assert (signal.severity, signal.worse) == ("warning", True)
    assert ex["F"] == pytest.approx(12.2328, abs=1e-4)
    assert ex["p_value"] == pytest.approx(0.019746, abs=1e-6)
    assert (ex["df1"], ex["df2"]) == (2.0, 4.0)
    assert ex["slope_before"] == pytest.approx(0.8)
    assert ex["slope_after"] == pytest.approx(0.8)
    assert ex["shift"] == pytest.approx(6.8)
    assert ex["expected_from_trend"] == pytest.approx(15.9)
    assert ex["break_at"] == "2020-05"
    assert signal.describe() == (
        "Waarschuwing voor 2020 augustus: trendbreuk vanaf 2020 mei; de helling gaat van 0,8 "
        "naar 0,8 per periode en de waarden liggen 6,8 boven de doorgetrokken trend "
        "(Chow-toets F = 12,23, p = 0,02), een verslechtering."
    )
    assert signal.describe("en").startswith("Warning for 2020 August: trend break from 2020 May")
    (better,) = trend_break_signals(series, window=4, polarity=HIGHER_IS_BETTER)
    assert (better.severity, better.worse) == ("info", False)


def test_trend_break_slope_change_is_an_alert() -> None:
    noise = [0.3, -0.2, 0.1, -0.3, 0.2, -0.1]
    before = [50 + n for n in noise]
    after = [50 - 4 * (i + 1) + n for i, n in enumerate(noise)]
    series = months("2019-01", before + after)
    signals = trend_break_signals(series, window=6, polarity=HIGHER_IS_BETTER)
    (signal,) = signals
    assert signal.severity == "alert" and signal.worse is True
    assert signal.explanation["slope_after"] == pytest.approx(-4, abs=0.2)


def test_trend_break_on_a_straight_line_is_silent() -> None:
    series = months("2019-01", [3.0 + 0.7 * i for i in range(30)])
    assert trend_break_signals(series, window=5, polarity=1) == []


def test_trend_break_noise_free_kink_signals() -> None:
    series = months("2019-01", [1, 1, 1, 1, 2, 3, 4, 5])
    (signal,) = trend_break_signals(series, window=4, polarity=-1)
    assert signal.severity == "alert"
    assert signal.explanation["p_value"] < 1e-6
    assert math.isfinite(float(signal.explanation["F"]))


def test_trend_break_validation() -> None:
    series = months("2020-01", [1.0, 2.0])
    with pytest.raises(ValueError, match="window must be a whole number >= 3"):
        trend_break_signals(series, window=2, polarity=1)
    with pytest.raises(ValueError, match="alert_p"):
        trend_break_signals(series, window=3, polarity=1, warning_p=0.01, alert_p=0.05)
    with pytest.raises(ValueError, match="at least 3"):
        chow_test([0, 1], [1, 2], [2, 3, 4], [1, 2, 3])


# ------------------------------------------------------------------------------------------
# survey change
# ------------------------------------------------------------------------------------------


def test_survey_change_test_worked_example() -> None:
    test = survey_change_test(0.60, 1000, 0.55, 1000)
    assert isinstance(test, SurveyTest)
    assert test.pooled == pytest.approx(0.575)
    assert test.standard_error == pytest.approx(math.sqrt(0.575 * 0.425 * 0.002))
    assert test.z == pytest.approx(2.2617, abs=1e-4)
    assert test.p_value == pytest.approx(0.0237, abs=1e-4)
    assert test.significant
    assert test.difference == pytest.approx(0.05)
    assert not survey_change_test(0.60, 1000, 0.55, 1000, alpha=0.01).significant


def test_survey_change_test_smaller_samples_are_not_significant() -> None:
    """The same 5 points with 300 respondents each.

    SE = sqrt(0.575 * 0.425 * 2 / 300) = 0.040363, z = 0.05 / 0.040363 = 1.2388, p = 0.2154.
    """
    test = survey_change_test(0.60, 300, 0.55, 300)
    assert test.z == pytest.approx(1.2388, abs=1e-4)
    assert test.p_value == pytest.approx(0.2154, abs=1e-4)
    assert not test.significant


def test_survey_change_test_degenerate_and_invalid() -> None:
    assert survey_change_test(0.0, 10, 0.0, 20) == SurveyTest(0.0, 1.0, False, 0.0, 0.0, 0.0, 0.05)
    assert survey_change_test(1.0, 10, 1.0, 20).p_value == 1.0
    with pytest.raises(ValueError, match="p1 must be a proportion"):
        survey_change_test(60, 1000, 0.55, 1000)
    with pytest.raises(ValueError, match="n2"):
        survey_change_test(0.6, 1000, 0.55, 0)
    with pytest.raises(ValueError, match="alpha"):
        survey_change_test(0.6, 1000, 0.55, 1000, alpha=1.5)


def test_survey_change_signals() -> None:
    """Share of people who keep 1.5 m distance (higher is better), waves of ~1,000."""
    waves = [
        (parse_period("2020-W20"), 80.0, 1000),
        (parse_period("2020-W23"), 78.0, 1000),  # -2 points: not significant
        (parse_period("2020-W27"), 60.0, 1000),  # -18: significant, p < 0.001
        (parse_period("2020-W30"), 55.0, 1000),  # -5: z = 2.26, p = 0.024
        (parse_period("2020-W33"), 60.0, 1000),  # +5: an improvement
    ]
    signals = survey_change_signals(waves, polarity=HIGHER_IS_BETTER)
    assert [(s.period.code, s.severity, s.worse) for s in signals] == [
        ("2020-W27", "alert", True),
        ("2020-W30", "warning", True),
        ("2020-W33", "info", False),
    ]
    week30 = signals[1]
    assert week30.explanation["z"] == pytest.approx(-2.2617, abs=1e-4)
    assert week30.explanation["p_value"] == pytest.approx(0.0237, abs=1e-4)
    assert week30.explanation["difference"] == pytest.approx(-5.0)
    assert week30.explanation["previous_period"] == "2020-W27"
    assert week30.describe() == (
        "Waarschuwing voor 2020 week 30: 55% tegen 60% in de vorige meting (2020 week 27); "
        "het verschil van 5 procentpunt is significant (z = -2,26, p = 0,024), "
        "een verslechtering."
    )
    assert week30.describe("en") == (
        "Warning for 2020 week 30: 55% against 60% in the previous wave (2020 week 27); "
        "the difference of 5 percentage points is significant (z = -2.26, p = 0.024), "
        "a deterioration."
    )
    assert "p = < 0,001" in signals[0].describe()


def test_survey_change_signals_fractions_and_validation() -> None:
    waves = [(parse_period("2020-05"), 0.60, 1000), (parse_period("2020-06"), 0.55, 1000)]
    (signal,) = survey_change_signals(waves, polarity=1, percent=False)
    assert signal.explanation["unit"] == ""
    with pytest.raises(ValueError, match="not a percentage"):
        survey_change_signals([(parse_period("2020-05"), 160.0, 10)], polarity=1)
    with pytest.raises(ValueError, match="sample size"):
        survey_change_signals([(parse_period("2020-05"), 60.0, 0)], polarity=1)
    with pytest.raises(ValueError, match="not sorted"):
        survey_change_signals(list(reversed(waves)), polarity=1, percent=False)


# ------------------------------------------------------------------------------------------
# backtest
# ------------------------------------------------------------------------------------------


def test_backtest_worked_example() -> None:
    weeks = [parse_period(f"2020W1{w}") for w in range(11, 16)]
    fast = list(zip(weeks, [90.0, 105.0, 110.0, 101.0, 95.0], strict=True))
    final = list(zip(weeks, [90.0, 99.0, 112.0, 104.0, 102.0], strict=True))
    params = {"warning": 100.0, "alert": 110.0, "polarity": HIGHER_IS_WORSE}
    fast_signals = threshold_signals(fast, **params)
    result = backtest(fast_signals, final, threshold_signals, **params)
    assert isinstance(result, Backtest)
    assert result.rule == "threshold"
    assert [p.code for p in result.fast] == ["2020W112", "2020W113", "2020W114"]
    assert [p.code for p in result.final] == ["2020W113", "2020W114", "2020W115"]
    assert [p.code for p in result.hits] == ["2020W113", "2020W114"]
    assert [p.code for p in result.false_alarms] == ["2020W112"]
    assert [p.code for p in result.misses] == ["2020W115"]
    assert result.hit_rate == pytest.approx(2 / 3)
    assert len(result.final_signals) == 3
    assert result.explanation == (
        "rule threshold: 3 alarms on the fast figures, 3 on the final figures; hits "
        "[2020W113, 2020W114], false alarms [2020W112], misses [2020W115]; hit rate 0.667"
    )
    assert result.describe() == (
        "Terugtoets van regel threshold: 3 signalen op de voorlopige cijfers, 3 op de "
        "definitieve cijfers; 2 terecht, 1 vals alarm, 1 gemist (trefkans 66,7 %)."
    )
    assert "hit rate 66.7%" in result.describe("en")


def test_backtest_ignores_info_and_handles_no_fast_alarms() -> None:
    series = months("2020-01", [100, 102, 98, 101, 99, 90])  # an improvement: info only
    params = {"polarity": HIGHER_IS_WORSE, "window": 5, "seasonal": False}
    fast = baseline_signals(series, **params)
    assert [s.severity for s in fast] == ["info"]
    result = backtest(fast, series, baseline_signals, **params)
    assert result.hit_rate is None
    assert result.fast == result.final == result.hits == ()


def test_backtest_rejects_mixed_rules() -> None:
    series = months("2020-01", [4.8, 6.3])
    fast = threshold_signals(series, warning=5.0, alert=None, polarity=-1)
    other = [Signal("baseline", fast[0].period, 1.0, "warning", True, {})]
    with pytest.raises(ValueError, match="several rules"):
        backtest(fast + other, series, threshold_signals, warning=5.0, alert=None, polarity=-1)
    with pytest.raises(ValueError, match="rule baseline"):
        backtest(other, series, threshold_signals, warning=5.0, alert=None, polarity=-1)


# ------------------------------------------------------------------------------------------
# series validation
# ------------------------------------------------------------------------------------------


RULE_CALLS = [
    lambda s, pol: threshold_signals(s, warning=1.0, alert=None, polarity=pol),
    lambda s, pol: year_on_year_signals(s, polarity=pol, warning_pct=10, alert_pct=20),
    lambda s, pol: baseline_signals(s, polarity=pol, window=3, seasonal=False),
    lambda s, pol: baseline_signals(s, polarity=pol, window=3, seasonal=True),
    lambda s, pol: trend_break_signals(s, window=3, polarity=pol),
]


@pytest.mark.parametrize("call", RULE_CALLS)
def test_series_validation(call) -> None:  # type: ignore[no-untyped-def]
    ok = months("2020-01", [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="not sorted by period: 2020-01 comes after 2020-02"):
        call([ok[1], ok[0]], 1)
    with pytest.raises(ValueError, match="2020-01 twice"):
        call([ok[0], ok[0]], 1)
    with pytest.raises(ValueError, match="mixes frequencies"):
        call([ok[0], (parse_period("2020-Q2"), 1.0)], 1)
    with pytest.raises(ValueError, match="not a Period"):
        call([("2020-01", 1.0)], 1)
    with pytest.raises(ValueError, match="not a number"):
        call([(ok[0][0], "1.0")], 1)
    with pytest.raises(ValueError, match="not finite"):
        call([(ok[0][0], math.inf)], 1)
    with pytest.raises(ValueError, match=r"expected \(Period, value\)"):
        call([(ok[0][0],)], 1)
    for polarity in (0, 2, True, "1", 0.5):
        with pytest.raises(ValueError, match="polarity must be"):
            call(ok, polarity)
    assert call([], 1) == []
    assert call([(p, math.nan) for p, _ in ok], -1) == []  # NaN is missing


def test_mixed_period_systems_are_rejected() -> None:
    """CBS and ISO weeks differ around New Year; months with CBS and ISO codes do not."""
    series = [(parse_period("2019W152"), 1.0), (parse_period("2020-W01"), 2.0)]
    with pytest.raises(ValueError, match="mixes period systems"):
        baseline_signals(series, polarity=1, window=2, seasonal=False)
    months_mixed = [(parse_period("2020MM01"), 1.0), (parse_period("2020-02"), 2.0)]
    assert baseline_signals(months_mixed, polarity=1, window=2, seasonal=False) == []


def test_describe_rejects_unknown_language() -> None:
    (signal,) = threshold_signals(months("2020-01", [2.0]), warning=1.0, alert=None, polarity=-1)
    with pytest.raises(ValueError, match="'fr'"):
        signal.describe("fr")


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------

# Realistic magnitudes: zero or 0.001 <= |v| <= 10,000 (no subnormal numbers, whose
# precision is lost when scaled).
magnitudes = st.floats(min_value=1e-3, max_value=1e4)
values = st.one_of(st.just(0.0), magnitudes, magnitudes.map(lambda v: -v))
maybe_values = st.one_of(st.none(), values, values, values)


@st.composite
def monthly_series(draw: st.DrawFn, min_size: int = 12) -> list[tuple[Period, float | None]]:
    data = draw(st.lists(maybe_values, min_size=min_size, max_size=40))
    first = parse_period(f"{draw(st.integers(2000, 2030))}-{draw(st.integers(1, 12)):02d}")
    return months(first.code, data)


def all_rules(series: list[tuple[Period, float | None]], polarity: int) -> list[Signal]:
    return [
        *year_on_year_signals(series, polarity=polarity, warning_pct=5, alert_pct=20),
        *baseline_signals(series, polarity=polarity, window=4, seasonal=False, min_points=3),
        *baseline_signals(series, polarity=polarity, window=2, seasonal=True),
        *trend_break_signals(series, window=4, polarity=polarity, min_points=3),
    ]


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(6, 40))
def test_constant_series_never_signals(constant: float, length: int) -> None:
    series = months("2018-01", [constant] * length)
    assert all_rules(series, 1) == []
    assert all_rules(series, -1) == []


@settings(max_examples=150, deadline=None)
@given(monthly_series(), st.sampled_from([0.25, 0.5, 2.0, 8.0, 1024.0]))
def test_scaling_by_a_power_of_two_changes_nothing(
    series: list[tuple[Period, float | None]], factor: float
) -> None:
    scaled = [(p, None if v is None else v * factor) for p, v in series]
    for original, rescaled in zip(all_rules(series, -1), all_rules(scaled, -1), strict=True):
        assert (original.rule, original.period, original.severity, original.worse) == (
            rescaled.rule,
            rescaled.period,
            rescaled.severity,
            rescaled.worse,
        )
        for key in ("z", "change_pct", "F", "p_value"):
            if key in original.explanation:
                assert original.explanation[key] == rescaled.explanation[key]


@settings(max_examples=150, deadline=None)
@given(monthly_series(), st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_by_any_positive_constant_keeps_z_and_relative_change(
    series: list[tuple[Period, float | None]], factor: float
) -> None:
    scaled = [(p, None if v is None else v * factor) for p, v in series]

    def measures(s: list[tuple[Period, float | None]]) -> dict[tuple[str, str], float]:
        found: dict[tuple[str, str], float] = {}
        for sig in year_on_year_signals(s, polarity=1, warning_pct=1e-9, alert_pct=1e-9):
            found["yoy", sig.period.code] = float(sig.explanation["change_pct"])
        for sig in baseline_signals(s, polarity=1, window=4, seasonal=False, warning_z=1e-9):
            found["z", sig.period.code] = float(sig.explanation["z"])
        return found

    before, after = measures(series), measures(scaled)
    for key in before.keys() & after.keys():
        assert after[key] == pytest.approx(before[key], rel=1e-6, abs=1e-6)
    # a period can only drop out or appear through a tiny value at the 1e-9 boundary
    for key in before.keys() ^ after.keys():
        assert abs(before.get(key, after.get(key, 0.0))) < 1e-6


@settings(max_examples=150, deadline=None)
@given(monthly_series())
def test_flipping_polarity_flips_worse(series: list[tuple[Period, float | None]]) -> None:
    up, down = all_rules(series, 1), all_rules(series, -1)
    assert len(up) == len(down)
    for a, b in zip(up, down, strict=True):
        assert (a.rule, a.period, a.explanation.get("z"), a.explanation.get("F")) == (
            b.rule,
            b.period,
            b.explanation.get("z"),
            b.explanation.get("F"),
        )
        if a.worse is None:
            assert b.worse is None
        else:
            assert a.worse is (not b.worse)
            assert (a.severity == "info") == (not a.worse)
            assert (b.severity == "info") == a.worse


@settings(max_examples=150, deadline=None)
@given(monthly_series())
def test_every_signal_describes_itself(series: list[tuple[Period, float | None]]) -> None:
    for signal in all_rules(series, -1):
        assert signal.severity in ("info", "warning", "alert")
        nl, en = signal.describe(), signal.describe("en")
        assert nl.endswith(".") and en.endswith(".")
        assert signal.period.label() in nl and signal.period.label("en") in en


proportions = st.floats(min_value=0, max_value=1)
sizes = st.integers(1, 100_000)


@settings(max_examples=300)
@given(proportions, sizes, proportions, sizes)
def test_survey_test_is_symmetric_with_p_in_0_1(p1: float, n1: int, p2: float, n2: int) -> None:
    forward, backward = survey_change_test(p1, n1, p2, n2), survey_change_test(p2, n2, p1, n1)
    assert 0.0 <= forward.p_value <= 1.0
    assert forward.z == -backward.z
    assert forward.p_value == backward.p_value
    assert forward.significant == backward.significant == (forward.p_value < 0.05)
    if p1 == p2:
        assert forward.z == 0 and forward.p_value == 1.0


@settings(max_examples=150)
@given(
    st.lists(st.tuples(st.floats(min_value=0, max_value=100), st.integers(50, 5000)), max_size=12)
)
def test_survey_signals_flip_with_polarity(waves_data: list[tuple[float, int]]) -> None:
    assume(waves_data)
    periods = periods_between(parse_period("2020-W10"), parse_period("2020-W53"))[::4]
    waves = [(p, v, n) for p, (v, n) in zip(periods, waves_data, strict=False)]
    up = survey_change_signals(waves, polarity=1)
    down = survey_change_signals(waves, polarity=-1)
    assert [s.period for s in up] == [s.period for s in down]
    assert all(a.worse is (not b.worse) for a, b in zip(up, down, strict=True))
    assert all(float(s.explanation["p_value"]) < 0.05 for s in up)
