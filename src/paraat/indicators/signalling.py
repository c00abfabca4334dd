"""How a stored signal rule runs: its parameters handed to the core rule of
:mod:`paraat_core.signals`, with the indicator's polarity and thresholds. No database writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from paraat.indicators.models import Indicator, Polarity, SignalKind, SignalRule
from paraat_core import signals as core_signals
from paraat_core.periods import Period

Series = Sequence[tuple[Period, float | None]]
RuleFunction = Callable[..., list[core_signals.Signal]]

RULE_PARAMS: dict[str, set[str]] = {
    "threshold": {"warning", "alert", "only_crossings"},
    "year_on_year": {"warning_pct", "alert_pct"},
    "baseline": {"window", "seasonal", "warning_z", "alert_z", "min_points"},
    "trend_break": {"window", "warning_p", "alert_p", "min_points"},
    "survey_change": {"n", "alpha", "alert_alpha", "percent"},
}


def polarity_of(indicator: Indicator) -> int:
    """The core's polarity: +1 higher is better; -1 higher is worse (and for neutral series,
    so that a rise is what a rule reports as the notable direction)."""
    return 1 if indicator.polarity == Polarity.HIGHER_BETTER else -1


def _survey(series: Series, *, size: int, **params: Any) -> list[core_signals.Signal]:
    waves = [(period, value, size) for period, value in series if value is not None]
    return core_signals.survey_change_signals(waves, **params)


def rule_function(rule: SignalRule) -> tuple[RuleFunction, dict[str, Any]]:
    """The core rule of ``rule`` and its keyword parameters (polarity and defaults included).

    ``function(series, **params)`` gives the signals; the pair is what
    :func:`paraat_core.signals.backtest` needs. A ValueError names a bad parameter.
    """
    indicator = rule.indicator
    params = dict(rule.params)
    unknown = set(params) - RULE_PARAMS[rule.kind]
    if unknown:
        raise ValueError(f"onbekende parameter(s) voor {rule.kind}: {', '.join(sorted(unknown))}")
    params["polarity"] = polarity_of(indicator)
    if rule.kind == SignalKind.THRESHOLD:
        params.setdefault("warning", indicator.threshold_warning)
        params.setdefault("alert", indicator.threshold_alert)
        return core_signals.threshold_signals, params
    if rule.kind == SignalKind.YEAR_ON_YEAR:
        return core_signals.year_on_year_signals, params
    if rule.kind == SignalKind.BASELINE:
        params.setdefault("seasonal", False)
        params.setdefault("window", 8)
        return core_signals.baseline_signals, params
    if rule.kind == SignalKind.TREND_BREAK:
        params.setdefault("window", 6)
        return core_signals.trend_break_signals, params
    size = params.pop("n", None)
    if isinstance(size, bool) or not isinstance(size, int) or size < 2:
        raise ValueError("survey_change: geef de steekproefomvang per meting als 'n'")
    return partial(_survey, size=size), params


def signal_rule_apply(*, rule: SignalRule, series: Sequence[Any]) -> list[core_signals.Signal]:
    """Run ``rule`` over ``series`` (points with ``period`` and ``value``)."""
    function, params = rule_function(rule)
    return function([(point.period, point.value) for point in series], **params)
