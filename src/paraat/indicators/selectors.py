"""Reads for indicators, their series as known on a date, signals and composite runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from paraat.accounts.models import User
from paraat.accounts.selectors import AnyUser, filter_visible
from paraat.indicators.models import (
    CompositeIndex,
    CompositeRun,
    Indicator,
    Observation,
    ObservationStatus,
    Signal,
    SignalRule,
)
from paraat_core.periods import Frequency, Period, parse_period
from paraat_core.signals import Backtest, backtest

PROVISIONAL_STATUSES = frozenset(
    {ObservationStatus.PROVISIONAL, ObservationStatus.REVISED_PROVISIONAL}
)
FINAL_STATUSES = frozenset({ObservationStatus.FINAL, ObservationStatus.REVISED})


@dataclass(frozen=True)
class SeriesPoint:
    period: Period
    value: float | None
    status: str
    vintage: dt.datetime

    @property
    def is_provisional(self) -> bool:
        return self.status in PROVISIONAL_STATUSES


def indicators_visible(*, user: AnyUser | User) -> QuerySet[Indicator]:
    return filter_visible(user=user, queryset=Indicator.objects.all()).select_related("domain")


def indicator_get(*, key: str, user: AnyUser | User) -> Indicator | None:
    return indicators_visible(user=user).filter(key=key).first()


def series_as_of(
    *,
    indicator: Indicator,
    breakdown: str | None = None,
    as_of: dt.datetime | None = None,
    frequency: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    first_known: bool = False,
) -> list[SeriesPoint]:
    """One series of ``indicator`` as it was known at ``as_of`` (default: now), oldest first.

    Each period takes its latest vintage up to ``as_of`` (with ``first_known``: its earliest,
    i.e. the figure as first published). ``breakdown`` defaults to the headline series and
    ``frequency`` to the indicator's own (a CBS table mixes months, quarters and years).
    """
    rows = Observation.objects.filter(
        indicator=indicator,
        breakdown=indicator.headline_breakdown if breakdown is None else breakdown,
        frequency=frequency or indicator.frequency,
    )
    if as_of is not None:
        rows = rows.filter(vintage__lte=as_of)
    if start is not None:
        rows = rows.filter(period_start__gte=start)
    if end is not None:
        rows = rows.filter(period_start__lte=end)
    order = "-vintage" if first_known else "vintage"
    latest: dict[str, tuple[dt.date, dt.date | None, float | None, str, dt.datetime]] = {}
    for code, period_start, period_end, value, status, vintage in rows.order_by(
        "period_start", order, "-pk" if first_known else "pk"
    ).values_list("period_code", "period_start", "period_end", "value", "status", "vintage"):
        latest[code] = (period_start, period_end, value, status, vintage)
    points = []
    for code, (_start, _end, value, status, vintage) in latest.items():
        points.append(
            SeriesPoint(period=parse_period(code), value=value, status=status, vintage=vintage)
        )
    points.sort(key=lambda point: point.period.start)
    return points


def vintages_of(
    *,
    indicator: Indicator,
    breakdown: str | None = None,
    start: dt.date | None = None,
    as_of: dt.datetime | None = None,
) -> list[dt.datetime]:
    """Every distinct vintage of one series (from ``start`` on, up to ``as_of``), oldest first:
    the moments at which what was known about it changed."""
    rows = Observation.objects.filter(
        indicator=indicator,
        breakdown=indicator.headline_breakdown if breakdown is None else breakdown,
        frequency=indicator.frequency,
    )
    if start is not None:
        rows = rows.filter(period_start__gte=start)
    if as_of is not None:
        rows = rows.filter(vintage__lte=as_of)
    return sorted(set(rows.order_by().values_list("vintage", flat=True).distinct()))


def observation_series(
    *, indicator: Indicator, start: dt.date | None = None, end: dt.date | None = None
) -> dict[dt.date, float | None]:
    """The headline series by period start, latest vintage of each period."""
    return {
        point.period.start: point.value
        for point in series_as_of(indicator=indicator, start=start, end=end)
    }


def breakdowns_of(*, indicator: Indicator) -> list[str]:
    """The breakdown keys that have observations (headline first)."""
    keys = sorted(
        set(
            Observation.objects.filter(indicator=indicator)
            .order_by()
            .values_list("breakdown", flat=True)
            .distinct()
        )
    )
    headline = indicator.headline_breakdown
    return ([headline] if headline in keys else []) + [k for k in keys if k != headline]


def signals_visible(*, user: AnyUser | User) -> QuerySet[Signal]:
    return Signal.objects.filter(indicator__in=indicators_visible(user=user)).select_related(
        "indicator", "indicator__domain"
    )


def composite_indices_visible(*, user: AnyUser | User) -> QuerySet[CompositeIndex]:
    return filter_visible(user=user, queryset=CompositeIndex.objects.all())


def composite_latest_run(
    *, index: CompositeIndex, as_of: dt.datetime | None = None
) -> CompositeRun | None:
    """The run on the most recent figures, known at ``as_of`` when given (a report for an old
    peildatum stores a run with an old ``as_of``; it never becomes the current one)."""
    runs = index.runs.all() if as_of is None else index.runs.filter(as_of__lte=as_of)
    return runs.order_by("-as_of", "-created_at", "-pk").first()


HIDDEN_MEMBER = "niet-openbare indicator"
HIDDEN_PARTS = "niet-openbare indicatoren samen"


def masked_parts(
    parts: list[list[Any]] | list[tuple[str, float]], visible_keys: set[str]
) -> list[tuple[str | None, float]]:
    """Contributions with every member the reader may not see summed into one part
    (``None`` as its key), so no single internal series shows its direction; the parts
    still add up to the change."""
    shown: list[tuple[str | None, float]] = []
    hidden = 0.0
    any_hidden = False
    for key, value in parts:
        if key in visible_keys:
            shown.append((str(key), float(value)))
        else:
            hidden += float(value)
            any_hidden = True
    if any_hidden:
        shown.append((None, hidden))
    return sorted(shown, key=lambda item: -abs(item[1]))


def composite_run_for(*, user: AnyUser | User, run: CompositeRun) -> dict[str, Any]:
    """A run's spec and result with every member ``user`` may not see masked.

    Hidden members keep their weight and contribution (so the parts still add up to the
    change) under a neutral label; their codes, names and scores are left out, also from the
    notes.
    """
    members = [str(m.get("key", "")) for m in run.spec.get("indicators", [])]
    visible = set(
        indicators_visible(user=user).filter(key__in=members).values_list("key", flat=True)
    )
    alias = {
        key: f"{HIDDEN_MEMBER} {number}"
        for number, key in enumerate((k for k in members if k not in visible), start=1)
    }

    def mask(text: str) -> str:
        for key, label in alias.items():
            text = text.replace(key, label)
        return text

    spec = dict(run.spec)
    spec["indicators"] = [
        member
        if member.get("key") in visible
        else {
            "key": alias[str(member.get("key", ""))],
            "name": HIDDEN_MEMBER,
            "weight": member.get("weight"),
            "polarity": member.get("polarity"),
        }
        for member in run.spec.get("indicators", [])
    ]
    result: dict[str, Any] = {}
    for name, entry in run.result.items():
        if not isinstance(entry, dict):
            result[name] = entry
            continue
        entry = dict(entry)
        entry["scores"] = {k: v for k, v in (entry.get("scores") or {}).items() if k in visible}
        entry["dropped"] = [alias.get(k, k) for k in entry.get("dropped", [])]
        entry["notes"] = [mask(str(note)) for note in entry.get("notes", [])]
        if entry.get("contributions"):
            parts = dict(entry["contributions"])
            parts["parts"] = [
                [key if key is not None else HIDDEN_PARTS, value]
                for key, value in masked_parts(parts.get("parts", []), visible)
            ]
            entry["contributions"] = parts
        result[name] = entry
    return {"spec": spec, "result": result}


def core_frequency(value: str) -> Frequency:
    return Frequency(value)


@dataclass(frozen=True)
class RuleBacktest:
    """A rule re-run on the final figures, compared with what it gave on the first published
    (fast, provisional) figures of the same periods."""

    rule: SignalRule
    periods: int  # periods first published as provisional and final by now
    result: Backtest | None  # None when no period has both yet


def signal_backtests(
    *, indicator: Indicator, as_of: dt.datetime | None = None
) -> list[RuleBacktest]:
    """Back-test every active rule of ``indicator`` (see :func:`paraat_core.signals.backtest`).

    Fast figures: each period's first published value, for the periods that were first
    published as provisional and have a final (or revised) figure now. Final figures: the
    latest value of those periods.
    """
    from paraat.indicators.signalling import rule_function

    tests = []
    for rule in indicator.signal_rules.filter(is_active=True).select_related("indicator"):
        breakdown = rule.breakdown or indicator.headline_breakdown
        first = series_as_of(
            indicator=indicator, breakdown=breakdown, as_of=as_of, first_known=True
        )
        latest = {
            p.period.code: p
            for p in series_as_of(indicator=indicator, breakdown=breakdown, as_of=as_of)
        }
        codes = {
            p.period.code
            for p in first
            if p.is_provisional
            and p.period.code in latest
            and latest[p.period.code].status in FINAL_STATUSES
        }
        if not codes:
            tests.append(RuleBacktest(rule=rule, periods=0, result=None))
            continue
        fast = [(p.period, p.value) for p in first if p.period.code in codes]
        final = [(p.period, p.value) for p in latest.values() if p.period.code in codes]
        final.sort(key=lambda item: item[0].start)
        try:
            function, params = rule_function(rule)
            result = backtest(function(fast, **params), final, function, **params)
        except ValueError:
            result = None
        tests.append(RuleBacktest(rule=rule, periods=len(codes), result=result))
    return tests
