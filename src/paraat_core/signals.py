"""Signal rules (signaalregels): when does an indicator deserve attention, and why.

Every rule is a plain function over a series ``[(Period, value or None), ...]``
sorted by period (``None``, or NaN, marks a missing value), with a *polarity*:
``+1`` when a higher value means better wellbeing, ``-1`` when higher is worse.
Each rule returns a list of :class:`Signal`; a signal carries the numbers the
rule used (``explanation``) and can describe itself in one Dutch or English
sentence (:meth:`Signal.describe`).

Severity: ``"alert"`` (alarm) and ``"warning"`` (waarschuwing) are changes in the
*worse* direction; a change of the same size in the *better* direction gives an
``"info"`` signal with ``worse=False`` (the threshold rule only looks at the
worse side).  Flipping the polarity therefore flips ``worse`` and keeps the
periods that signal.

Rules (formulas and worked examples in ``docs/methodology/signals.md``):

``threshold``
    value at or beyond a level on the worse side: ``value >= level`` when
    higher is worse, ``value <= level`` when higher is better.
``year_on_year``
    ``change% = 100 * (v_t - v_{t-1y}) / |v_{t-1y}|`` against the same period a
    year before (:func:`~paraat_core.periods.same_period_previous_year`);
    signals when ``|change%| >= warning_pct``.
``baseline``
    ``z = (v_t - mean) / sd`` against the previous ``window`` periods (trailing)
    or the same period in the previous ``window`` years (seasonal), sample
    standard deviation (n - 1); band ``mean ± warning_z * sd``.
``trend_break``
    Chow test (Chow 1960) for a change of level and/or slope between the
    ``window`` periods ending at ``t`` and the ``window`` periods before them::

        F = ((SSE_pooled - SSE_1 - SSE_2) / 2) / ((SSE_1 + SSE_2) / (n_1 + n_2 - 4))
        p = P(F(2, n_1 + n_2 - 4) > F) = (d / (d + 2F)) ** (d / 2),  d = n_1 + n_2 - 4

``survey_change``
    two-proportion z-test with pooled proportion against the previous wave::

        p = (p_1 n_1 + p_2 n_2) / (n_1 + n_2)
        z = (p_1 - p_2) / sqrt(p (1 - p) (1/n_1 + 1/n_2)),   p-value = erfc(|z| / sqrt 2)

    Worked example: 60 % of 1,000 against 55 % of 1,000: pooled 0.575,
    SE = sqrt(0.575 * 0.425 * 0.002) = 0.022108, z = 0.05 / 0.022108 = 2.2616,
    two-sided p = 0.0237 < 0.05: significant.

:func:`backtest` re-runs a rule on the final (revised) figures and compares the
periods flagged on the fast (provisional, voorlopig) figures with them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Final

import numpy as np

from .periods import (
    Frequency,
    Period,
    PeriodError,
    parse_period,
    periods_between,
    same_period_previous_year,
)

__all__ = [
    "RULES",
    "SEVERITIES",
    "Backtest",
    "Signal",
    "SurveyTest",
    "backtest",
    "baseline_signals",
    "chow_test",
    "survey_change_signals",
    "survey_change_test",
    "threshold_signals",
    "trend_break_signals",
    "year_on_year_signals",
]

RULES: Final = ("threshold", "year_on_year", "baseline", "trend_break", "survey_change")
SEVERITIES: Final = ("info", "warning", "alert")

Series = Sequence[tuple[Period, float | None]]
Explanation = dict[str, float | str]

#: Relative floor for residual spread in the Chow test: an exactly linear stretch
#: (no noise) is treated as if its residual sd were 1e-9 of the series' size.
_RESIDUAL_FLOOR: Final = 1e-9


# --------------------------------------------------------------------------------------------
# Signal
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    """One flagged period.

    ``worse`` is True when the change means worse wellbeing (taking polarity
    into account), False for an improvement, None when not applicable.
    ``explanation`` holds the numbers the rule used, by name (see each rule).
    """

    rule: str
    period: Period
    value: float
    severity: str
    worse: bool | None
    explanation: Explanation = field(default_factory=dict)

    def describe(self, language: str = "nl") -> str:
        """One plain sentence naming the rule and its numbers, in Dutch (default) or English."""
        english = _english(language)
        describer = _DESCRIBERS.get(self.rule)
        if describer is None:
            head = _head(self, english)
            return f"{head}: {self.rule} {_num(self.value, english)}."
        return describer(self, english)


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


def _check_polarity(polarity: object) -> int:
    if isinstance(polarity, bool) or not isinstance(polarity, Real) or polarity not in (1, -1):
        raise ValueError(
            f"polarity must be +1 (higher is better) or -1 (higher is worse), got {polarity!r}"
        )
    return 1 if polarity == 1 else -1


def _check_number(name: str, value: object, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    number = float(value)
    if positive and number <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number


def _check_window(window: object, minimum: int, rule: str) -> int:
    if isinstance(window, bool) or not isinstance(window, int) or window < minimum:
        raise ValueError(f"{rule}: window must be a whole number >= {minimum}, got {window!r}")
    return window


def _check_periods(periods: Sequence[Period], *, same_frequency: bool = True) -> None:
    for i, period in enumerate(periods):
        if not isinstance(period, Period):
            raise ValueError(f"series item {i}: {period!r} is not a Period")
    for before, after in itertools.pairwise(periods):
        if same_frequency and after.frequency is not before.frequency:
            raise ValueError(
                f"series mixes frequencies: {before.code} ({before.frequency}) and "
                f"{after.code} ({after.frequency})"
            )
        if after.start <= before.end:
            if after.same_span(before):
                raise ValueError(f"series has period {after.code} twice")
            raise ValueError(
                f"series is not sorted by period: {after.code} comes after {before.code}"
            )


def _value(item: object, index: int) -> float | None:
    if item is None:
        return None
    if isinstance(item, bool) or not isinstance(item, Real):
        raise ValueError(f"series item {index}: value {item!r} is not a number or None")
    number = float(item)
    if math.isnan(number):
        return None
    if not math.isfinite(number):
        raise ValueError(f"series item {index}: value {item!r} is not finite")
    return number


def _check_series(series: Series) -> list[tuple[Period, float | None]]:
    items: list[tuple[Period, float | None]] = []
    for i, item in enumerate(series):
        try:
            period, raw = item
        except (TypeError, ValueError):
            raise ValueError(f"series item {i}: expected (Period, value), got {item!r}") from None
        items.append((period, _value(raw, i)))
    _check_periods([p for p, _ in items])
    return items


SpanKey = tuple[Frequency, Any, Any]


def _key(period: Period) -> SpanKey:
    return (period.frequency, period.start, period.end)


class _Indexed:
    """A validated series laid out on its calendar: one slot per period, NaN when missing."""

    def __init__(self, series: Series) -> None:
        self.items = _check_series(series)
        self.values: dict[SpanKey, float] = {_key(p): v for p, v in self.items if v is not None}
        self.periods: list[Period] = []
        self.position: dict[SpanKey, int] = {}
        if self.items:
            self.periods = periods_between(self.items[0][0], self.items[-1][0])
            self.position = {_key(p): i for i, p in enumerate(self.periods)}
            for period, _ in self.items:
                if _key(period) not in self.position:
                    raise ValueError(
                        f"series mixes period systems: {period.code} is not a period of the "
                        f"calendar that starts at {self.items[0][0].code}"
                    )
        self.array = np.full(len(self.periods), np.nan)
        for period, value in self.items:
            if value is not None:
                self.array[self.position[_key(period)]] = value

    def present(self) -> Iterable[tuple[int, Period, float]]:
        for period, value in self.items:
            if value is not None:
                yield self.position[_key(period)], period, value


def _severity(worse: bool, alert: bool) -> str:
    if not worse:
        return "info"
    return "alert" if alert else "warning"


# --------------------------------------------------------------------------------------------
# threshold
# --------------------------------------------------------------------------------------------


def threshold_signals(
    series: Series,
    *,
    warning: float | None,
    alert: float | None,
    polarity: int,
    only_crossings: bool = False,
) -> list[Signal]:
    """Values at or beyond a level on the worse side.

    Higher is worse (polarity -1): signal when ``value >= level``; higher is
    better (+1): when ``value <= level``.  The alert level must lie on the worse
    side of the warning level.  Every period beyond a level signals; with
    ``only_crossings=True`` only the first period beyond it (the previous
    present value was not beyond the same level).

    Explanation: ``level``, ``level_name`` ("warning"/"alert"), ``warning``,
    ``alert`` (when given), ``polarity``, ``crossing`` ("yes"/"no"),
    ``previous_value`` and ``previous_period`` (when there is one).

    Worked example: unemployment (higher is worse) with warning 5.0 and alert
    6.0: the values 4.8, 5.0, 6.3, 5.5 give warning, alert, warning on the last
    three periods.
    """
    sign = _check_polarity(polarity)
    levels = {
        name: _check_number(name, level)
        for name, level in (("warning", warning), ("alert", alert))
        if level is not None
    }
    if not levels:
        raise ValueError("threshold: give a warning level, an alert level or both")
    if (
        "warning" in levels
        and "alert" in levels
        and sign * (levels["alert"] - levels["warning"]) > 0
    ):
        side = "above" if sign < 0 else "below"
        raise ValueError(
            f"threshold: the alert level ({levels['alert']}) must be at or {side} the "
            f"warning level ({levels['warning']}) when polarity is {sign:+d}"
        )
    items = _check_series(series)

    def beyond(value: float, level: float) -> bool:
        return value >= level if sign < 0 else value <= level

    def level_hit(value: float) -> str | None:
        for name in ("alert", "warning"):
            if name in levels and beyond(value, levels[name]):
                return name
        return None

    signals: list[Signal] = []
    previous: tuple[Period, float] | None = None
    for period, value in items:
        if value is None:
            continue
        name = level_hit(value)
        if name is not None:
            level = levels[name]
            crossing = previous is None or not beyond(previous[1], level)
            if crossing or not only_crossings:
                explanation: Explanation = {
                    "level": level,
                    "level_name": name,
                    **levels,
                    "polarity": float(sign),
                    "crossing": "yes" if crossing else "no",
                }
                if previous is not None:
                    explanation["previous_value"] = previous[1]
                    explanation["previous_period"] = previous[0].code
                signals.append(Signal("threshold", period, value, name, True, explanation))
        previous = (period, value)
    return signals


# --------------------------------------------------------------------------------------------
# year on year
# --------------------------------------------------------------------------------------------


def year_on_year_signals(
    series: Series, *, polarity: int, warning_pct: float, alert_pct: float
) -> list[Signal]:
    """Relative change against the same period a year before.

    ``change_pct = 100 * (v_t - v_prev) / |v_prev|`` with ``v_prev`` the value of
    :func:`~paraat_core.periods.same_period_previous_year` (week 53 is compared
    with week 52 when the previous year has no week 53).  A change of at least
    ``warning_pct`` signals: ``alert`` from ``alert_pct`` on when worse,
    ``warning`` when worse, ``info`` when better.  No signal when the previous
    value is missing or zero (the relative change is undefined).

    Explanation: ``change_pct``, ``previous_value``, ``previous_period``,
    ``warning_pct``, ``alert_pct``, ``polarity``.

    Worked example: 120 against 100 a year before is +20 %; with higher worse,
    warning_pct 10 and alert_pct 25 that is a warning.
    """
    sign = _check_polarity(polarity)
    warn = _check_number("warning_pct", warning_pct, positive=True)
    alarm = _check_number("alert_pct", alert_pct, positive=True)
    if alarm < warn:
        raise ValueError(f"alert_pct ({alarm}) must be >= warning_pct ({warn})")
    indexed = _Indexed(series)
    signals: list[Signal] = []
    for _, period, value in indexed.present():
        try:
            before = same_period_previous_year(period)
        except PeriodError:
            continue
        previous = indexed.values.get(_key(before))
        if previous is None or previous == 0:
            continue
        change = 100.0 * (value - previous) / abs(previous)
        if not math.isfinite(change) or abs(change) < warn:
            continue
        worse = sign * change < 0
        signals.append(
            Signal(
                "year_on_year",
                period,
                value,
                _severity(worse, abs(change) >= alarm),
                worse,
                {
                    "change_pct": change,
                    "previous_value": previous,
                    "previous_period": before.code,
                    "warning_pct": warn,
                    "alert_pct": alarm,
                    "polarity": float(sign),
                },
            )
        )
    return signals


# --------------------------------------------------------------------------------------------
# baseline
# --------------------------------------------------------------------------------------------


def baseline_signals(
    series: Series,
    *,
    polarity: int,
    window: int,
    seasonal: bool,
    warning_z: float = 2.0,
    alert_z: float = 3.0,
    min_points: int | None = None,
) -> list[Signal]:
    """z-score against a trailing or seasonal baseline band.

    Baseline of period ``t``: the values of the previous ``window`` periods
    (``seasonal=False``) or of the same period in each of the previous
    ``window`` years (``seasonal=True``, e.g. the same week for deaths per
    week).  At least ``min_points`` of them (default: all ``window``) must be
    present.  With ``m`` their mean and ``s`` their sample standard deviation
    (n - 1)::

        z = (v_t - m) / s,    band = [m - warning_z * s, m + warning_z * s]

    ``|z| >= warning_z`` signals: ``alert`` when worse and ``|z| >= alert_z``,
    ``warning`` when worse, ``info`` when better.  A baseline without spread
    (all values equal) gives no z-score and no signal.

    Explanation: ``z``, ``baseline_mean``, ``baseline_sd``, ``band_low``,
    ``band_high``, ``alert_low``, ``alert_high``, ``points``, ``window``,
    ``baseline`` ("trailing"/"seasonal"), ``baseline_first``, ``baseline_last``
    (period codes), ``warning_z``, ``alert_z``, ``polarity``.

    Worked example (trailing, window 5): 100, 102, 98, 101, 99 then 110:
    m = 100, s = sqrt(10 / 4) = 1.5811, z = 10 / 1.5811 = 6.32: an alert when
    higher is worse; band 96.84-103.16.
    """
    sign = _check_polarity(polarity)
    window = _check_window(window, 2, "baseline")
    warn = _check_number("warning_z", warning_z, positive=True)
    alarm = _check_number("alert_z", alert_z, positive=True)
    if alarm < warn:
        raise ValueError(f"alert_z ({alarm}) must be >= warning_z ({warn})")
    needed = window if min_points is None else min_points
    if isinstance(needed, bool) or not isinstance(needed, int) or not 2 <= needed <= window:
        raise ValueError(f"min_points must be a whole number from 2 to window ({window})")
    indexed = _Indexed(series)
    signals: list[Signal] = []
    for pos, period, value in indexed.present():
        if seasonal:
            refs = _previous_years(period, window)
            points = [(p, indexed.values.get(_key(p))) for p in refs]
        else:
            refs = indexed.periods[max(0, pos - window) : pos]
            points = [(p, indexed.values.get(_key(p))) for p in refs]
        present = [(p, v) for p, v in points if v is not None]
        if len(present) < needed:
            continue
        base = np.array([v for _, v in present])
        if base.max() == base.min():
            continue
        # computed in units of the largest magnitude, so tiny or huge values stay exact
        scale = float(max(np.abs(base).max(), abs(value)))
        unit = base / scale
        sd_unit = float(unit.std(ddof=1))
        if not sd_unit > 0:
            continue
        mean_unit = float(unit.mean())
        z = (value / scale - mean_unit) / sd_unit
        mean, sd = mean_unit * scale, sd_unit * scale
        if abs(z) < warn:
            continue
        worse = sign * z < 0
        ordered = sorted(p for p, _ in present)
        signals.append(
            Signal(
                "baseline",
                period,
                value,
                _severity(worse, abs(z) >= alarm),
                worse,
                {
                    "z": z,
                    "baseline_mean": mean,
                    "baseline_sd": sd,
                    "band_low": mean - warn * sd,
                    "band_high": mean + warn * sd,
                    "alert_low": mean - alarm * sd,
                    "alert_high": mean + alarm * sd,
                    "points": float(len(present)),
                    "window": float(window),
                    "baseline": "seasonal" if seasonal else "trailing",
                    "baseline_first": ordered[0].code,
                    "baseline_last": ordered[-1].code,
                    "warning_z": warn,
                    "alert_z": alarm,
                    "polarity": float(sign),
                },
            )
        )
    return signals


def _previous_years(period: Period, years: int) -> list[Period]:
    result: list[Period] = []
    current = period
    for _ in range(years):
        try:
            current = same_period_previous_year(current)
        except PeriodError:
            break
        result.append(current)
    return result


# --------------------------------------------------------------------------------------------
# trend break (Chow test)
# --------------------------------------------------------------------------------------------


def _fit(
    x: np.ndarray[Any, np.dtype[np.float64]], y: np.ndarray[Any, np.dtype[np.float64]]
) -> tuple[float, float, float]:
    """Least-squares line ``y = a + b x``: (a, b, residual sum of squares)."""
    x_mean = float(x.mean())
    y_mean = float(y.mean())
    dx = x - x_mean
    dy = y - y_mean
    sxx = float(dx @ dx)
    slope = float(dx @ dy) / sxx
    intercept = y_mean - slope * x_mean
    residuals = y - (intercept + slope * x)
    return intercept, slope, float(residuals @ residuals)


def chow_test(
    x1: Sequence[float], y1: Sequence[float], x2: Sequence[float], y2: Sequence[float]
) -> tuple[float, float, int]:
    """Chow (1960) F-test that two stretches share one straight line: (F, p, df2).

    ``F = ((SSE_pooled - SSE_1 - SSE_2) / 2) / ((SSE_1 + SSE_2) / (n_1 + n_2 - 4))``;
    under the null hypothesis F follows F(2, n_1 + n_2 - 4), whose upper tail
    has the closed form ``(d / (d + 2F)) ** (d / 2)``.  Each stretch needs at
    least 3 points and 2 distinct x values.  SSE_1 + SSE_2 is floored at
    ``n * (1e-9 * max|y|) ** 2`` so that noise-free lines give a finite F.
    """
    ax1, ay1 = np.asarray(x1, dtype=float), np.asarray(y1, dtype=float)
    ax2, ay2 = np.asarray(x2, dtype=float), np.asarray(y2, dtype=float)
    n1, n2 = len(ax1), len(ax2)
    if n1 < 3 or n2 < 3 or len(ay1) != n1 or len(ay2) != n2:
        raise ValueError("chow_test: each stretch needs at least 3 (x, y) points")
    if np.ptp(ax1) == 0 or np.ptp(ax2) == 0:
        raise ValueError("chow_test: each stretch needs at least 2 distinct x values")
    df2 = n1 + n2 - 4
    scale = float(max(np.abs(ay1).max(), np.abs(ay2).max()))
    if scale == 0:
        return 0.0, 1.0, df2
    ay1, ay2 = ay1 / scale, ay2 / scale  # F does not depend on the unit of y
    _, _, sse1 = _fit(ax1, ay1)
    _, _, sse2 = _fit(ax2, ay2)
    _, _, sse_pooled = _fit(np.concatenate([ax1, ax2]), np.concatenate([ay1, ay2]))
    sse_separate = max(sse1 + sse2, (n1 + n2) * _RESIDUAL_FLOOR**2)
    f_stat = max(sse_pooled - sse_separate, 0.0) / 2 / (sse_separate / df2)
    p_value = (df2 / (df2 + 2 * f_stat)) ** (df2 / 2)
    return f_stat, p_value, df2


def trend_break_signals(
    series: Series,
    *,
    window: int,
    polarity: int,
    warning_p: float = 0.05,
    alert_p: float = 0.01,
    min_points: int | None = None,
) -> list[Signal]:
    """Change of level and/or slope: Chow test between two adjacent windows.

    For each period ``t`` with a value, the *after* stretch is the ``window``
    periods ending at ``t`` and the *before* stretch the ``window`` periods
    before them (x = position on the period calendar).  The Chow (1960) F-test
    compares one straight line through both stretches with a separate line per
    stretch (see :func:`chow_test`).  ``p < warning_p`` signals, reported at
    ``t`` (the first moment the break could be seen) with ``break_at`` the first
    period of the after stretch; a single break therefore shows as a short run
    of signals.  Direction: ``shift`` is the mean distance of the after values
    from the before line extrapolated; ``worse`` when ``polarity * shift < 0``.
    ``alert`` when worse and ``p < alert_p``, ``warning`` when worse, ``info``
    when better.  Each stretch needs ``min_points`` present values (default
    ``window``, at least 3).

    Explanation: ``F``, ``p_value``, ``df1`` (2), ``df2``, ``slope_before``,
    ``slope_after``, ``shift``, ``expected_from_trend`` (the before line at
    ``t``), ``break_at``, ``window``, ``warning_p``, ``alert_p``, ``polarity``.

    Worked example (window 4): 10, 12, 11, 13 then 20, 22, 21, 23.  Each stretch
    has slope 0.8 and SSE 1.8; the pooled line has SSE 210 - 88**2 / 42 =
    25.619.  F = ((25.619 - 3.6) / 2) / (3.6 / 4) = 12.233 with (2, 4) degrees
    of freedom, p = (4 / (4 + 2 * 12.233)) ** 2 = 0.0197: a warning (higher is
    worse), shift = 6.8 above the extrapolated trend.

    Source: G. C. Chow (1960), "Tests of equality between sets of coefficients
    in two linear regressions", Econometrica 28(3), 591-605.
    """
    sign = _check_polarity(polarity)
    window = _check_window(window, 3, "trend_break")
    warn = _check_number("warning_p", warning_p, positive=True)
    alarm = _check_number("alert_p", alert_p, positive=True)
    if not alarm <= warn < 1:
        raise ValueError(f"need 0 < alert_p ({alarm}) <= warning_p ({warn}) < 1")
    needed = window if min_points is None else min_points
    if isinstance(needed, bool) or not isinstance(needed, int) or not 3 <= needed <= window:
        raise ValueError(f"min_points must be a whole number from 3 to window ({window})")
    indexed = _Indexed(series)
    positions = np.arange(len(indexed.periods), dtype=float)
    signals: list[Signal] = []
    for pos, period, value in indexed.present():
        first = pos - 2 * window + 1
        if first < 0:
            continue
        before = slice(first, first + window)
        after = slice(first + window, pos + 1)
        x1, y1 = positions[before], indexed.array[before]
        x2, y2 = positions[after], indexed.array[after]
        ok1, ok2 = ~np.isnan(y1), ~np.isnan(y2)
        if ok1.sum() < needed or ok2.sum() < needed:
            continue
        x1, y1, x2, y2 = x1[ok1], y1[ok1], x2[ok2], y2[ok2]
        f_stat, p_value, df2 = chow_test(x1, y1, x2, y2)
        if not p_value < warn:
            continue
        a1, b1, _ = _fit(x1, y1)
        _, b2, _ = _fit(x2, y2)
        shift = float(np.mean(y2 - (a1 + b1 * x2)))
        direction = shift if shift != 0 else b2 - b1
        worse: bool | None = None if direction == 0 else sign * direction < 0
        signals.append(
            Signal(
                "trend_break",
                period,
                value,
                _severity(bool(worse), p_value < alarm),
                worse,
                {
                    "F": f_stat,
                    "p_value": p_value,
                    "df1": 2.0,
                    "df2": float(df2),
                    "slope_before": b1,
                    "slope_after": b2,
                    "shift": shift,
                    "expected_from_trend": a1 + b1 * pos,
                    "break_at": indexed.periods[first + window].code,
                    "window": float(window),
                    "warning_p": warn,
                    "alert_p": alarm,
                    "polarity": float(sign),
                },
            )
        )
    return signals


# --------------------------------------------------------------------------------------------
# survey change (two-proportion z-test)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SurveyTest:
    """Result of :func:`survey_change_test` (proportions as fractions 0-1)."""

    z: float
    p_value: float
    significant: bool
    difference: float
    pooled: float
    standard_error: float
    alpha: float


def survey_change_test(
    p1: float, n1: int, p2: float, n2: int, *, alpha: float = 0.05
) -> SurveyTest:
    """Two-proportion z-test with pooled proportion (any statistics textbook).

    ``p1`` and ``p2`` are fractions (0-1) of samples of ``n1`` and ``n2``
    respondents::

        p = (p1 n1 + p2 n2) / (n1 + n2)
        SE = sqrt(p (1 - p) (1/n1 + 1/n2))
        z = (p1 - p2) / SE,   two-sided p-value = erfc(|z| / sqrt 2)

    ``significant`` when p-value < alpha.  When p = 0 or 1 (both samples all
    no or all yes) z = 0 and the p-value is 1.

    >>> t = survey_change_test(0.60, 1000, 0.55, 1000)
    >>> round(t.z, 4), round(t.p_value, 4), t.significant
    (2.2616, 0.0237, True)
    """
    q1 = _check_number("p1", p1)
    q2 = _check_number("p2", p2)
    for name, q in (("p1", q1), ("p2", q2)):
        if not 0 <= q <= 1:
            raise ValueError(f"{name} must be a proportion from 0 to 1, got {q!r}")
    for name, n in (("n1", n1), ("n2", n2)):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"{name} must be a whole number of respondents >= 1, got {n!r}")
    level = _check_number("alpha", alpha, positive=True)
    if level >= 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    m1, m2 = int(n1), int(n2)
    pooled = (q1 * m1 + q2 * m2) / (m1 + m2)
    se = math.sqrt(max(pooled * (1 - pooled), 0.0) * (1 / m1 + 1 / m2))
    if se == 0:
        return SurveyTest(0.0, 1.0, False, q1 - q2, pooled, 0.0, level)
    z = (q1 - q2) / se
    p_value = math.erfc(abs(z) / math.sqrt(2))
    return SurveyTest(z, p_value, p_value < level, q1 - q2, pooled, se, level)


def survey_change_signals(
    series_with_n: Sequence[tuple[Period, float, int]],
    *,
    polarity: int,
    alpha: float = 0.05,
    alert_alpha: float = 0.001,
    percent: bool = True,
) -> list[Signal]:
    """A survey percentage signals only when its change from the previous wave is significant.

    ``series_with_n`` holds ``(period, value, n)`` per survey wave (sorted;
    waves need not be evenly spaced; each is compared with the wave before it).
    Values are percentages (0-100) or, with ``percent=False``, fractions (0-1).
    The change is tested with :func:`survey_change_test` (current wave as
    ``p1``, so ``z > 0`` is a rise); significant at ``alpha`` (95 %, as the
    RIVM behavioural unit reported its survey trends) signals: ``alert`` when
    worse and p < ``alert_alpha``, ``warning`` when worse, ``info`` when better.

    Explanation: ``previous_value``, ``previous_period``, ``n``, ``previous_n``,
    ``difference`` (percentage points or fraction), ``z``, ``p_value``,
    ``pooled``, ``alpha``, ``alert_alpha``, ``unit`` ("%" or ""), ``polarity``.
    """
    sign = _check_polarity(polarity)
    level = _check_number("alpha", alpha, positive=True)
    strict = _check_number("alert_alpha", alert_alpha, positive=True)
    if not strict <= level < 1:
        raise ValueError(f"need 0 < alert_alpha ({strict}) <= alpha ({level}) < 1")
    scale = 100.0 if percent else 1.0
    waves: list[tuple[Period, float, int]] = []
    for i, item in enumerate(series_with_n):
        try:
            period, raw, n = item
        except (TypeError, ValueError):
            raise ValueError(f"wave {i}: expected (Period, value, n), got {item!r}") from None
        value = _value(raw, i)
        if value is None:
            raise ValueError(f"wave {i} ({getattr(period, 'code', period)}): value is missing")
        if not 0 <= value <= scale:
            raise ValueError(
                f"wave {i} ({getattr(period, 'code', period)}): {value} is not a "
                + ("percentage (0-100)" if percent else "proportion (0-1)")
            )
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"wave {i}: sample size {n!r} must be a whole number >= 1")
        waves.append((period, value, int(n)))
    _check_periods([p for p, _, _ in waves], same_frequency=False)
    signals: list[Signal] = []
    for (prev_period, prev_value, prev_n), (period, value, n) in itertools.pairwise(waves):
        test = survey_change_test(value / scale, n, prev_value / scale, prev_n, alpha=level)
        if not test.significant:
            continue
        worse = sign * test.z < 0
        signals.append(
            Signal(
                "survey_change",
                period,
                value,
                _severity(worse, test.p_value < strict),
                worse,
                {
                    "previous_value": prev_value,
                    "previous_period": prev_period.code,
                    "n": float(n),
                    "previous_n": float(prev_n),
                    "difference": value - prev_value,
                    "z": test.z,
                    "p_value": test.p_value,
                    "pooled": test.pooled,
                    "alpha": level,
                    "alert_alpha": strict,
                    "unit": "%" if percent else "",
                    "polarity": float(sign),
                },
            )
        )
    return signals


# --------------------------------------------------------------------------------------------
# backtest
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Backtest:
    """Fast (provisional) signals compared with the same rule on the final figures.

    Only alarms count: signals of severity ``warning`` or ``alert`` (``info``
    signals are improvements, not alarms).  ``hits`` are periods flagged on both,
    ``false_alarms`` flagged only on the fast figures, ``misses`` flagged only on
    the final figures; ``hit_rate = len(hits) / len(fast)`` (None without fast
    alarms).
    """

    rule: str
    fast: tuple[Period, ...]
    final: tuple[Period, ...]
    hits: tuple[Period, ...]
    false_alarms: tuple[Period, ...]
    misses: tuple[Period, ...]
    hit_rate: float | None
    final_signals: tuple[Signal, ...]
    explanation: str

    def describe(self, language: str = "nl") -> str:
        """One sentence with the counts, in Dutch (default) or English."""
        english = _english(language)
        rate = "-" if self.hit_rate is None else _pct(100 * self.hit_rate, english)
        if english:
            return (
                f"Backtest of rule {self.rule}: {len(self.fast)} alarms on the provisional "
                f"figures, {len(self.final)} on the final figures; {len(self.hits)} hits, "
                f"{len(self.false_alarms)} false alarms, {len(self.misses)} misses "
                f"(hit rate {rate})."
            )
        return (
            f"Terugtoets van regel {self.rule}: {len(self.fast)} signalen op de voorlopige "
            f"cijfers, {len(self.final)} op de definitieve cijfers; {len(self.hits)} terecht, "
            f"{len(self.false_alarms)} vals alarm, {len(self.misses)} gemist "
            f"(trefkans {rate})."
        )


_ALARMS: Final = frozenset({"warning", "alert"})


def backtest(
    fast_signals: Sequence[Signal],
    final_series: Series,
    rule: Callable[..., list[Signal]],
    **params: Any,
) -> Backtest:
    """Re-run ``rule(final_series, **params)`` and compare flagged periods with the fast run.

    ``fast_signals`` are the signals the same rule gave on the fast
    (provisional, voorlopig) figures; ``final_series`` the final (revised,
    definitief) figures over the same periods.  Periods are matched by their
    days, so CBS and ISO codes of the same period match.

    Worked example: fast alarms in 2020 weeks 12, 13, 14; final alarms in
    weeks 13, 14, 15: hits 13 and 14, false alarm 12, miss 15, hit rate 2/3.
    """
    fast_rules = {s.rule for s in fast_signals}
    if len(fast_rules) > 1:
        raise ValueError(f"fast signals come from several rules: {sorted(fast_rules)}")
    final_signals = tuple(rule(final_series, **params))
    final_rules = {s.rule for s in final_signals}
    if len(final_rules) > 1:
        raise ValueError(f"the rule returned signals of several rules: {sorted(final_rules)}")
    if fast_rules and final_rules and fast_rules != final_rules:
        raise ValueError(
            f"fast signals come from rule {fast_rules.pop()}, "
            f"the rule re-run gives {final_rules.pop()}"
        )
    name = next(iter(fast_rules or final_rules), getattr(rule, "__name__", "rule"))
    fast = _alarm_periods(fast_signals)
    final = _alarm_periods(final_signals)
    hits = tuple(p for k, p in fast.items() if k in final)
    false_alarms = tuple(p for k, p in fast.items() if k not in final)
    misses = tuple(p for k, p in final.items() if k not in fast)
    hit_rate = len(hits) / len(fast) if fast else None
    codes = ", ".join
    explanation = (
        f"rule {name}: {len(fast)} alarms on the fast figures, {len(final)} on the final "
        f"figures; hits [{codes(p.code for p in hits)}], false alarms "
        f"[{codes(p.code for p in false_alarms)}], misses [{codes(p.code for p in misses)}]; "
        f"hit rate {'-' if hit_rate is None else f'{hit_rate:.3f}'}"
    )
    return Backtest(
        name,
        tuple(fast.values()),
        tuple(final.values()),
        hits,
        false_alarms,
        misses,
        hit_rate,
        final_signals,
        explanation,
    )


def _alarm_periods(signals: Iterable[Signal]) -> dict[SpanKey, Period]:
    periods: dict[SpanKey, Period] = {}
    for signal in sorted(signals, key=lambda s: s.period.start):
        if signal.severity in _ALARMS:
            periods.setdefault(_key(signal.period), signal.period)
    return periods


# --------------------------------------------------------------------------------------------
# describe()
# --------------------------------------------------------------------------------------------

_SEVERITY_WORDS: Final = {
    "nl": {"info": "Info", "warning": "Waarschuwing", "alert": "Alarm"},
    "en": {"info": "Info", "warning": "Warning", "alert": "Alert"},
}


def _english(language: str) -> bool:
    lang = language.strip().lower().replace("_", "-").split("-", 1)[0]
    if lang not in ("nl", "en"):
        raise ValueError(f"unsupported language {language!r}: use 'nl' or 'en'")
    return lang == "en"


def _num(value: float | str, english: bool, digits: int = 2) -> str:
    """``1234.5`` -> ``1,234.5`` (en) / ``1.234,5`` (nl); at most ``digits`` decimals."""
    if isinstance(value, str):
        return value
    if not math.isfinite(value):
        return str(value)
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text if english else text.translate(str.maketrans(",.", ".,"))


def _pct(value: float, english: bool) -> str:
    return _num(value, english, 1) + "%" if english else _num(value, english, 1) + " %"


def _p(value: float | str, english: bool) -> str:
    if isinstance(value, str):
        return value
    if value < 0.001:
        return "< " + _num(0.001, english, 3)
    return _num(value, english, 3)


def _label(code: float | str | None, english: bool) -> str:
    if not isinstance(code, str):
        return "?"
    try:
        return parse_period(code).label("en" if english else "nl")
    except PeriodError:
        return code


def _head(signal: Signal, english: bool) -> str:
    word = _SEVERITY_WORDS["en" if english else "nl"].get(signal.severity, signal.severity)
    label = _label(signal.period.code, english)
    return f"{word} for {label}" if english else f"{word} voor {label}"


def _verdict(signal: Signal, english: bool) -> str:
    if signal.worse is None:
        return ""
    if english:
        return ", a deterioration" if signal.worse else ", an improvement"
    return ", een verslechtering" if signal.worse else ", een verbetering"


def _number(signal: Signal, key: str) -> float:
    value = signal.explanation.get(key, math.nan)
    return value if isinstance(value, float) else math.nan


def _describe_threshold(s: Signal, en: bool) -> str:
    higher_worse = _number(s, "polarity") < 0
    name = s.explanation.get("level_name", "warning")
    level = _num(_number(s, "level"), en)
    value = _num(s.value, en)
    if en:
        side = "at or above" if higher_worse else "at or below"
        rule = "higher is worse" if higher_worse else "lower is worse"
        return f"{_head(s, en)}: the value {value} is {side} the {name} level of {level} ({rule})."
    side = "op of boven" if higher_worse else "op of onder"
    grens = "alarmgrens" if name == "alert" else "waarschuwingsgrens"
    rule = "hoger is slechter" if higher_worse else "lager is slechter"
    return f"{_head(s, en)}: de waarde {value} ligt {side} de {grens} van {level} ({rule})."


def _describe_year_on_year(s: Signal, en: bool) -> str:
    change = _number(s, "change_pct")
    value, prev = _num(s.value, en), _num(_number(s, "previous_value"), en)
    prev_label = _label(s.explanation.get("previous_period"), en)
    pct = _pct(abs(change), en)
    end = _verdict(s, en) + "."
    if en:
        way = "higher" if change > 0 else "lower"
        return f"{_head(s, en)}: {value} is {pct} {way} than in {prev_label} ({prev}){end}"
    way = "hoger" if change > 0 else "lager"
    return f"{_head(s, en)}: {value} is {pct} {way} dan in {prev_label} ({prev}){end}"


def _describe_baseline(s: Signal, en: bool) -> str:
    z = _number(s, "z")
    points = int(_number(s, "points"))
    mean, low, high = (_num(_number(s, k), en) for k in ("baseline_mean", "band_low", "band_high"))
    seasonal = s.explanation.get("baseline") == "seasonal"
    value, size = _num(s.value, en), _num(abs(z), en)
    if en:
        way = "above" if z > 0 else "below"
        ref = (
            f"the same period in the previous {points} years"
            if seasonal
            else f"the previous {points} periods"
        )
        return (
            f"{_head(s, en)}: {value} is {size} standard deviations {way} the mean of {ref} "
            f"({mean}; band {low} to {high}){_verdict(s, en)}."
        )
    way = "boven" if z > 0 else "onder"
    ref = (
        f"dezelfde periode in de {points} voorgaande jaren"
        if seasonal
        else f"de {points} voorgaande perioden"
    )
    return (
        f"{_head(s, en)}: {value} ligt {size} standaarddeviaties {way} het gemiddelde van {ref} "
        f"({mean}; band {low} tot {high}){_verdict(s, en)}."
    )


def _describe_trend_break(s: Signal, en: bool) -> str:
    since = _label(s.explanation.get("break_at"), en)
    before, after = _num(_number(s, "slope_before"), en), _num(_number(s, "slope_after"), en)
    shift = _number(s, "shift")
    size = _num(abs(shift), en)
    f_stat, p = _num(_number(s, "F"), en), _p(_number(s, "p_value"), en)
    if en:
        way = "above" if shift > 0 else "below"
        return (
            f"{_head(s, en)}: trend break from {since}; the slope changes from {before} to "
            f"{after} per period and the values lie {size} {way} the extended trend "
            f"(Chow test F = {f_stat}, p = {p}){_verdict(s, en)}."
        )
    way = "boven" if shift > 0 else "onder"
    return (
        f"{_head(s, en)}: trendbreuk vanaf {since}; de helling gaat van {before} naar {after} "
        f"per periode en de waarden liggen {size} {way} de doorgetrokken trend "
        f"(Chow-toets F = {f_stat}, p = {p}){_verdict(s, en)}."
    )


def _describe_survey(s: Signal, en: bool) -> str:
    percent = s.explanation.get("unit") == "%"
    unit = "%" if percent else ""
    value, prev = _num(s.value, en, 1) + unit, _num(_number(s, "previous_value"), en, 1) + unit
    prev_label = _label(s.explanation.get("previous_period"), en)
    diff = _num(abs(_number(s, "difference")), en, 1 if percent else 3)
    z, p = _num(_number(s, "z"), en), _p(_number(s, "p_value"), en)
    if en:
        what = f"{diff} percentage points" if percent else diff
        return (
            f"{_head(s, en)}: {value} against {prev} in the previous wave ({prev_label}); "
            f"the difference of {what} is significant (z = {z}, p = {p}){_verdict(s, en)}."
        )
    what = f"{diff} procentpunt" if percent else diff
    return (
        f"{_head(s, en)}: {value} tegen {prev} in de vorige meting ({prev_label}); "
        f"het verschil van {what} is significant (z = {z}, p = {p}){_verdict(s, en)}."
    )


_DESCRIBERS: Final[dict[str, Callable[[Signal, bool], str]]] = {
    "threshold": _describe_threshold,
    "year_on_year": _describe_year_on_year,
    "baseline": _describe_baseline,
    "trend_break": _describe_trend_break,
    "survey_change": _describe_survey,
}
