"""Freshness of an indicator series: is the latest published period the one we should have?

Every indicator has a :class:`~paraat_core.periods.Frequency`, an expected
publication lag ``lag_days`` (days after the end of a period) and optionally a
release calendar (``calendar``: the dates on which the publisher announced a
release).  From these we derive the *release date* of each period:

* **Without a calendar** the release date of period ``P`` is the deadline
  ``P.end + lag_days``.  Publishing on that day is on time.
* **With a calendar** each calendar date ``r`` announces one period: the
  completed period (``P.end < r``) whose deadline ``P.end + lag_days`` lies
  closest to ``r`` (ties: the earlier period).  The release date of ``P`` is the
  first calendar date announcing ``P`` or a later period, so a release that
  combines two periods covers both.  Periods outside the span the calendar
  covers (before its first or after its last date) fall back to the deadline.

  The series is thus measured against its own rhythm: a release date that has
  passed announces the next unpublished period, whatever the date on which the
  last figures were stored.

A period is *expected* once its release date has passed (release date < today).
With ``latest`` the latest published period and ``N`` the period after it::

    late = today - release_date(N)            (in days)
    status = "overdue"  if late > grace_days   (days_overdue = late)
             "due"      if 0 <= late <= grace_days   (released today or within grace)
             "current"  if late < 0            (the next release is still ahead)
             "no_data"  if nothing has been published

Dutch terms: actueel (current), verwacht (due), achterstallig (overdue),
publicatievertraging (lag), publicatiekalender (release calendar).
See ``docs/methodology/periods-and-freshness.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from .periods import (
    Frequency,
    Period,
    _cbs_has_week0,
    _cbs_last_week,
    next_period,
    period_containing,
    previous_period,
)

__all__ = [
    "STATUSES",
    "Freshness",
    "expected_latest_period",
    "freshness",
    "release_date",
]

#: The four statuses, from good to bad (``no_data`` last).
STATUSES: Final = ("current", "due", "overdue", "no_data")


@dataclass(frozen=True, slots=True)
class Freshness:
    """The freshness verdict for one series on one day.

    ``expected_period`` is the latest period whose release date has passed by
    ``today``; ``next_release`` is the release date of the first period not yet
    published (in the past when the series is due or overdue; for a series
    without data, the first release date from today on).  ``days_overdue`` is
    the number of days since that release date when the status is
    ``"overdue"``, else 0.  ``reason`` explains the verdict in one short English
    sentence.
    """

    status: str
    latest_period: Period | None
    expected_period: Period | None
    next_release: dt.date | None
    days_overdue: int
    reason: str


class _Schedule:
    """Release dates of the periods of one series (lag rule plus optional calendar)."""

    def __init__(
        self, frequency: Frequency, lag_days: int, calendar: Sequence[dt.date], cbs: bool
    ) -> None:
        if isinstance(lag_days, bool) or not isinstance(lag_days, int) or lag_days < 0:
            raise ValueError(f"lag_days must be a whole number of days >= 0, got {lag_days!r}")
        self.frequency = Frequency(frequency)
        self.lag = dt.timedelta(days=lag_days)
        self.lag_days = lag_days
        self.cbs = cbs
        self.calendar = sorted(set(calendar))
        self.announced = [self._announced_by(r) for r in self.calendar]

    def _announced_by(self, release: dt.date) -> Period:
        """The period a calendar date announces: completed, deadline nearest to the date."""
        centre = period_containing(release - self.lag, self.frequency, cbs=self.cbs)
        before = previous_period(centre)
        candidates = [previous_period(before), before, centre, next_period(centre)]
        done = [p for p in candidates if p.end < release]
        return min(done, key=lambda p: (abs((self.deadline(p) - release).days), p.start))

    def deadline(self, period: Period) -> dt.date:
        return period.end + self.lag

    def covered(self, period: Period) -> bool:
        return bool(self.calendar) and (
            self.announced[0].start <= period.start <= self.announced[-1].start
        )

    def release(self, period: Period) -> dt.date:
        if self.covered(period):
            for date, announced in zip(self.calendar, self.announced, strict=True):
                if announced.start >= period.start:
                    return date
        return self.deadline(period)

    def describe(self, period: Period) -> str:
        """``2020 April expected by 2020-05-30 (lag 30 days)``."""
        how = "release calendar" if self.covered(period) else f"lag {_days(self.lag_days)}"
        return f"{period.label('en')} expected by {self.release(period).isoformat()} ({how})"

    def expected(self, today: dt.date) -> Period | None:
        """The latest period whose release date is before ``today``."""
        by_lag = self._expected_by_lag(today)
        if not self.calendar:
            return by_lag
        if by_lag is not None and by_lag.start > self.announced[-1].start:
            return by_lag  # the calendar is exhausted: back to the lag rule
        passed = [p for r, p in zip(self.calendar, self.announced, strict=True) if r < today]
        if passed:
            return max(passed, key=lambda p: p.start)
        if by_lag is not None and by_lag.start < self.announced[0].start:
            return by_lag  # before the calendar starts
        return previous_period(self.announced[0])

    def _expected_by_lag(self, today: dt.date) -> Period | None:
        # deadline < today  <=>  end <= today - lag - 1 day
        try:
            last_day = today - self.lag - dt.timedelta(days=1)
        except OverflowError:
            return None
        period = period_containing(last_day, self.frequency, cbs=self.cbs)
        if period.end > last_day:
            try:
                period = previous_period(period)
            except ValueError:
                return None
        return period

    def upcoming(self, today: dt.date) -> dt.date | None:
        """The first release date on or after ``today`` (for a series without data)."""
        expected = self.expected(today)
        candidate = (
            next_period(expected)
            if expected is not None
            else period_containing(today, self.frequency, cbs=self.cbs)
        )
        return self.release(candidate)


def release_date(period: Period, *, lag_days: int, calendar: Sequence[dt.date] = ()) -> dt.date:
    """The date by which ``period`` should be published (see the module docstring).

    >>> from paraat_core.periods import parse_period
    >>> release_date(parse_period("2020-04"), lag_days=30)
    datetime.date(2020, 5, 30)
    """
    return _Schedule(period.frequency, lag_days, calendar, period.is_cbs).release(period)


def expected_latest_period(
    *,
    frequency: Frequency,
    lag_days: int,
    today: dt.date,
    calendar: Sequence[dt.date] = (),
    cbs: bool = False,
) -> Period | None:
    """The latest period that should be published by ``today`` (release date before today).

    ``cbs=True`` returns CBS codes and CBS weeks (see :mod:`paraat_core.periods`).

    >>> expected_latest_period(
    ...     frequency=Frequency.MONTH, lag_days=30, today=dt.date(2020, 5, 31)
    ... ).code
    '2020-04'
    """
    return _Schedule(frequency, lag_days, calendar, cbs).expected(today)


def freshness(
    *,
    frequency: Frequency,
    lag_days: int,
    latest_period: Period | None,
    today: dt.date,
    calendar: Sequence[dt.date] = (),
    grace_days: int = 0,
) -> Freshness:
    """Current, due, overdue or no data (see the module docstring for the rules).

    Worked example (monthly, lag 30 days, latest published March 2020): April
    is due on 2020-04-30 + 30 days = 2020-05-30.  On 2020-05-29 the series is
    ``current``, on 2020-05-30 ``due``, on 2020-06-02 ``overdue`` by 3 days
    (``due`` with ``grace_days=3``).
    """
    if isinstance(grace_days, bool) or not isinstance(grace_days, int) or grace_days < 0:
        raise ValueError(f"grace_days must be a whole number of days >= 0, got {grace_days!r}")
    frequency = Frequency(frequency)
    if latest_period is not None and latest_period.frequency is not frequency:
        raise ValueError(
            f"latest period {latest_period.code} is a {latest_period.frequency}, "
            f"the series is a {frequency} series"
        )
    cbs = latest_period.is_cbs if latest_period is not None else False
    schedule = _Schedule(frequency, lag_days, calendar, cbs)
    expected = schedule.expected(today)

    if latest_period is None:
        if expected is None:
            reason = "no data published yet; no period is expected yet"
        else:
            reason = f"no data published yet; {schedule.describe(expected)}"
        return Freshness("no_data", None, expected, schedule.upcoming(today), 0, reason)

    pending = next_period(latest_period)
    release = schedule.release(pending)
    late = (today - release).days
    what = schedule.describe(pending)
    if late > grace_days:
        missing = ""
        if expected is not None and expected.start > pending.start:
            count = _count(pending, expected)
            missing = f"; {count} periods missing up to {expected.label('en')}"
        grace = f" (grace {_days(grace_days)})" if grace_days else ""
        reason = f"{what}: {_days(late)} overdue{grace}{missing}"
        return Freshness("overdue", latest_period, expected, release, late, reason)
    if late >= 0:
        when = "due today" if late == 0 else f"{_days(late)} late, within {_days(grace_days)} grace"
        return Freshness("due", latest_period, expected, release, 0, f"{what}: {when}")
    reason = f"up to date with {latest_period.label('en')}; next: {what}"
    return Freshness("current", latest_period, expected, release, 0, reason)


_MONTHS_PER: Final = {
    Frequency.MONTH: 1,
    Frequency.QUARTER: 3,
    Frequency.HALF_YEAR: 6,
    Frequency.YEAR: 12,
}


def _count(first: Period, last: Period) -> int:
    """Number of periods from ``first`` to ``last`` inclusive (same frequency and system)."""
    freq = first.frequency
    if freq is Frequency.DAY:
        return (last.start - first.start).days + 1
    if freq is Frequency.WEEK and not first.is_cbs:
        return (last.start - first.start).days // 7 + 1
    if freq in _MONTHS_PER:

        def months(day: dt.date) -> int:
            return day.year * 12 + day.month - 1

        return (months(last.start) - months(first.start)) // _MONTHS_PER[freq] + 1

    # CBS weeks: week 0 (when the year has one), then weeks 1 to 52 or 53
    def position(period: Period) -> int:
        week = int(period.code[-2:])
        return week if _cbs_has_week0(period.start.year) else week - 1

    def weeks(year: int) -> int:
        return _cbs_last_week(year) + (1 if _cbs_has_week0(year) else 0)

    years = range(first.start.year, last.start.year)
    return sum(weeks(y) for y in years) - position(first) + position(last) + 1


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
