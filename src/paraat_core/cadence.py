"""Meeting cadence of the MIT: how often it must meet, given its mode and scenario level.

Sources:

* Seed 003 (Kamerbrief MIT in waakstand, 2026): "Het MIT in waakstand vergadert minimaal 1x
  per jaar" — in standby the MIT meets at least once a year.
* Issue 7 (the rule of the product): mild monthly, flu-plus every two weeks, persistent
  struggle and worst case weekly (the scenario levels follow the WRR/KNAW scenarios).

The intervals are data (:data:`DEFAULT_INTERVALS`) and can be overridden
(:func:`parse_intervals`, setting ``PARAAT_PREPAREDNESS_CADENCE``).

The rule, with ``interval(k)`` the interval of cadence key ``k`` (the scenario level when
active, ``standby`` in standby, ``active`` when active without a level)::

    anchor   = max(start of the current period, last held meeting on or before today)
    next_due = anchor + interval(key of the current period)
    overdue  = today > next_due

A change of mode or level starts a new period and so a new clock: the first meeting under a
heavier level is due one (shorter) interval after the change, not immediately.  Months are
added on the calendar (31 January + 1 month = 28/29 February); days are days.

:func:`compliance` replays a whole history: per period, every due date, the held meeting that
met it (the first meeting after the previous anchor) and how many days late it was.
:func:`plan_dates` gives the dates to plan from the next due date up to a horizon.

See ``docs/methodology/cadence.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "ACTIVE_WITHOUT_LEVEL",
    "DEFAULT_INTERVALS",
    "STANDBY",
    "CadenceState",
    "DueCheck",
    "Interval",
    "Period",
    "add_interval",
    "cadence_key",
    "compliance",
    "default_horizon",
    "next_due",
    "parse_intervals",
    "period_at",
    "plan_dates",
    "state",
]

STANDBY = "standby"
ACTIVE_WITHOUT_LEVEL = "active"


@dataclass(frozen=True)
class Interval:
    """A calendar interval: ``months`` calendar months plus ``days`` days (both >= 0, > 0 in
    total)."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if self.months < 0 or self.days < 0 or (self.months == 0 and self.days == 0):
            raise ValueError("an interval is a positive number of months and/or days")

    def label(self) -> str:
        parts = []
        if self.months:
            parts.append(f"{self.months}m")
        if self.days:
            parts.append(f"{self.days}d")
        return "".join(parts)


#: The minimum cadence per key (seed 003 for standby; issue 7 for the scenario levels).
#: An active committee without a level meets at least monthly, like the mildest level.
DEFAULT_INTERVALS: Mapping[str, Interval] = {
    STANDBY: Interval(months=12),
    ACTIVE_WITHOUT_LEVEL: Interval(months=1),
    "mild": Interval(months=1),
    "flu_plus": Interval(days=14),
    "persistent": Interval(days=7),
    "worst_case": Interval(days=7),
}

_ITEM = re.compile(r"^\s*([a-z_]+)\s*[=:]\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*d)?\s*$")


def parse_intervals(text: str, base: Mapping[str, Interval] | None = None) -> dict[str, Interval]:
    """``base`` (default :data:`DEFAULT_INTERVALS`) overridden by ``text`` such as
    ``"standby=6m, mild=21d, flu_plus=1m7d"``. Unknown keys and bad items raise ValueError."""
    result = dict(DEFAULT_INTERVALS if base is None else base)
    for raw in text.split(","):
        if not raw.strip():
            continue
        match = _ITEM.match(raw)
        if match is None or (match.group(2) is None and match.group(3) is None):
            raise ValueError(f"cannot read cadence item {raw.strip()!r} (use key=12m or key=14d)")
        key = match.group(1)
        if key not in result:
            raise ValueError(f"unknown cadence key {key!r}")
        result[key] = Interval(months=int(match.group(2) or 0), days=int(match.group(3) or 0))
    return result


def add_interval(day: dt.date, interval: Interval) -> dt.date:
    """``day`` plus ``interval``: calendar months first (the day clamped to the month's
    length), then days."""
    month_index = day.month - 1 + interval.months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last)) + dt.timedelta(days=interval.days)


def cadence_key(mode: str, scenario_level: str) -> str:
    """The key of :data:`DEFAULT_INTERVALS` that applies to a mode and level."""
    if mode == STANDBY:
        return STANDBY
    return scenario_level or ACTIVE_WITHOUT_LEVEL


@dataclass(frozen=True)
class Period:
    """From ``start`` on (until the next period) the cadence ``key`` applies."""

    start: dt.date
    key: str


def _sorted_periods(periods: Iterable[Period]) -> list[Period]:
    ordered: list[Period] = []
    for period in sorted(periods, key=lambda p: p.start):
        if ordered and ordered[-1].start == period.start:
            ordered[-1] = period  # the later change on the same day wins
        else:
            ordered.append(period)
    return ordered


def period_at(periods: Sequence[Period], day: dt.date) -> Period | None:
    """The period that applies on ``day`` (None before the first)."""
    current = None
    for period in _sorted_periods(periods):
        if period.start <= day:
            current = period
    return current


def _interval(intervals: Mapping[str, Interval], key: str) -> Interval:
    try:
        return intervals[key]
    except KeyError:
        raise ValueError(f"no cadence interval for {key!r}") from None


def next_due(
    *,
    periods: Sequence[Period],
    held: Iterable[dt.date],
    today: dt.date,
    intervals: Mapping[str, Interval] = DEFAULT_INTERVALS,
) -> dt.date | None:
    """The date by which the next meeting must be held (None before the first period)."""
    current = period_at(periods, today)
    if current is None:
        return None
    past = [d for d in held if d <= today]
    anchor = max([current.start, *past])
    return add_interval(anchor, _interval(intervals, current.key))


@dataclass(frozen=True)
class CadenceState:
    key: str
    interval: Interval
    period_start: dt.date
    last_held: dt.date | None
    next_due: dt.date
    overdue: bool
    days_overdue: int
    days_until_due: int


def state(
    *,
    periods: Sequence[Period],
    held: Iterable[dt.date],
    today: dt.date,
    intervals: Mapping[str, Interval] = DEFAULT_INTERVALS,
) -> CadenceState | None:
    """Where the cadence stands today (None before the first period)."""
    current = period_at(periods, today)
    if current is None:
        return None
    held_list = list(held)
    due = next_due(periods=periods, held=held_list, today=today, intervals=intervals)
    assert due is not None
    past = [d for d in held_list if d <= today]
    late = (today - due).days
    return CadenceState(
        key=current.key,
        interval=_interval(intervals, current.key),
        period_start=current.start,
        last_held=max(past) if past else None,
        next_due=due,
        overdue=late > 0,
        days_overdue=max(0, late),
        days_until_due=max(0, -late),
    )


@dataclass(frozen=True)
class DueCheck:
    """One due date of a period: the held meeting that met it (or None) and its lateness."""

    key: str
    due: dt.date
    met_on: dt.date | None
    days_late: int

    @property
    def on_time(self) -> bool:
        return self.met_on is not None and self.days_late == 0


def compliance(
    *,
    periods: Sequence[Period],
    held: Iterable[dt.date],
    until: dt.date,
    intervals: Mapping[str, Interval] = DEFAULT_INTERVALS,
) -> list[DueCheck]:
    """Every due date up to ``until`` over the history, in order.

    Within a period the clock starts at its start; each due date is met by the first held
    meeting after the clock's anchor and before the next period (late when after the due
    date); the meeting (or, when none, the due date) is the next anchor.  A period ends the
    clock of the one before: a due date at or after the next period's start is not counted.
    """
    ordered = _sorted_periods(periods)
    meetings = sorted(set(held))
    checks: list[DueCheck] = []
    for index, period in enumerate(ordered):
        end = ordered[index + 1].start if index + 1 < len(ordered) else None
        limit = min(end, until + dt.timedelta(days=1)) if end else until + dt.timedelta(days=1)
        interval = _interval(intervals, period.key)
        anchor = period.start
        while True:
            due = add_interval(anchor, interval)
            if due >= limit:
                break
            met = next(
                (d for d in meetings if anchor < d and (end is None or d < end) and d <= until),
                None,
            )
            if met is not None and met <= due:
                checks.append(DueCheck(period.key, due, met, 0))
                anchor = met
            elif met is not None:
                checks.append(DueCheck(period.key, due, met, (met - due).days))
                anchor = met
            else:
                checks.append(DueCheck(period.key, due, None, (until - due).days))
                anchor = due
    return checks


def default_horizon(key: str, today: dt.date) -> dt.date:
    """How far ahead "plan meetings" plans by default: a year in standby, three months when
    active."""
    months = 12 if key == STANDBY else 3
    return add_interval(today, Interval(months=months))


def plan_dates(
    *,
    periods: Sequence[Period],
    held: Iterable[dt.date],
    planned: Iterable[dt.date],
    today: dt.date,
    until: dt.date,
    intervals: Mapping[str, Interval] = DEFAULT_INTERVALS,
) -> list[dt.date]:
    """The dates to add so that the cadence is met from today up to ``until``.

    The first date is the next due date (today when that has passed); each further date is one
    interval after the one before.  Meetings already planned from today on count: a date is
    only added when no planned meeting falls between the previous date and it; the planned
    meeting then becomes the previous date."""
    current = period_at(periods, today)
    if current is None:
        return []
    interval = _interval(intervals, current.key)
    due = next_due(periods=periods, held=held, today=today, intervals=intervals)
    assert due is not None
    upcoming = sorted(d for d in set(planned) if d >= today)
    result: list[dt.date] = []
    candidate = max(due, today)
    previous = today - dt.timedelta(days=1)
    while candidate <= until:
        covered = [d for d in upcoming if previous < d <= candidate]
        if covered:
            previous = covered[-1]
        else:
            result.append(candidate)
            previous = candidate
        candidate = add_interval(previous, interval)
    return result
