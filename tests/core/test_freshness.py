"""Freshness of indicator series: current, due, overdue, no data.

Worked examples (computed by hand, see docs/methodology/periods-and-freshness.md):

* monthly series, lag 30 days: April 2020 ends 30 April, so it is due on
  30 April + 30 days = 30 May 2020;
* weekly series (CBS weeks), lag 10 days: week 14 of 2020 ends Sunday 5 April,
  due on 15 April; the two-day week 2019W153 (30-31 December) is due on
  10 January 2020;
* quarterly series driven by a release calendar modelled on CBS's flash GDP
  estimates (about 45 days after the quarter: 14 February, 15 May, 14 August,
  13 November 2020).  Q3 2020 is announced for 13 November, a day before its
  45-day deadline of 14 November: with the calendar the series is overdue on
  14 November, without it the series would merely be due.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paraat_core.freshness import (
    STATUSES,
    Freshness,
    expected_latest_period,
    freshness,
    release_date,
)
from paraat_core.periods import Frequency, next_period, parse_period, period_containing

D = dt.date
MONTH, WEEK, QUARTER = Frequency.MONTH, Frequency.WEEK, Frequency.QUARTER
GDP_CALENDAR = (D(2020, 2, 14), D(2020, 5, 15), D(2020, 8, 14), D(2020, 11, 13))


def monthly(today: dt.date, latest: str | None = "2020-03", grace: int = 0) -> Freshness:
    return freshness(
        frequency=MONTH,
        lag_days=30,
        latest_period=parse_period(latest) if latest else None,
        today=today,
        grace_days=grace,
    )


# ------------------------------------------------------------------------------------------
# Monthly, lag 30 days
# ------------------------------------------------------------------------------------------


def test_release_date_is_end_plus_lag() -> None:
    assert release_date(parse_period("2020-04"), lag_days=30) == D(2020, 5, 30)
    assert release_date(parse_period("2020MM02"), lag_days=30) == D(2020, 3, 30)
    assert release_date(parse_period("2020-04"), lag_days=0) == D(2020, 4, 30)


@pytest.mark.parametrize(
    ("today", "code"),
    [
        (D(2020, 5, 29), "2020-03"),
        (D(2020, 5, 30), "2020-03"),  # April is due today, not yet expected
        (D(2020, 5, 31), "2020-04"),
        (D(2020, 6, 30), "2020-04"),
        (D(2020, 7, 1), "2020-05"),
    ],
)
def test_expected_latest_period_monthly(today: dt.date, code: str) -> None:
    period = expected_latest_period(frequency=MONTH, lag_days=30, today=today)
    assert period is not None and period.code == code


def test_expected_latest_period_in_cbs_codes() -> None:
    period = expected_latest_period(frequency=MONTH, lag_days=30, today=D(2020, 6, 1), cbs=True)
    assert period == parse_period("2020MM04")


def test_monthly_current_before_the_release_date() -> None:
    result = monthly(D(2020, 5, 29))
    assert result.status == "current"
    assert result.latest_period == parse_period("2020-03")
    assert result.expected_period == parse_period("2020-03")
    assert result.next_release == D(2020, 5, 30)
    assert result.days_overdue == 0
    assert result.reason == (
        "up to date with 2020 March; next: 2020 April expected by 2020-05-30 (lag 30 days)"
    )


def test_monthly_due_on_the_release_date() -> None:
    result = monthly(D(2020, 5, 30))
    assert result.status == "due"
    assert result.days_overdue == 0
    assert result.reason == "2020 April expected by 2020-05-30 (lag 30 days): due today"


def test_monthly_overdue_the_day_after() -> None:
    result = monthly(D(2020, 5, 31))
    assert result.status == "overdue"
    assert result.expected_period == parse_period("2020-04")
    assert result.next_release == D(2020, 5, 30)
    assert result.days_overdue == 1
    assert result.reason == "2020 April expected by 2020-05-30 (lag 30 days): 1 day overdue"


def test_monthly_grace_days() -> None:
    assert monthly(D(2020, 6, 2), grace=3).status == "due"
    assert monthly(D(2020, 6, 2), grace=3).reason.endswith("3 days late, within 3 days grace")
    late = monthly(D(2020, 6, 3), grace=3)
    assert (late.status, late.days_overdue) == ("overdue", 4)
    assert "(grace 3 days)" in late.reason


def test_monthly_several_periods_missing() -> None:
    result = monthly(D(2020, 7, 15))
    assert result.status == "overdue"
    assert result.expected_period == parse_period("2020-05")
    assert result.days_overdue == 46  # since 30 May
    assert result.reason.endswith("46 days overdue; 2 periods missing up to 2020 May")


def test_published_ahead_of_schedule_is_current() -> None:
    result = monthly(D(2020, 5, 10), latest="2020-04")
    assert result.status == "current"
    assert result.next_release == D(2020, 6, 30)


def test_no_data() -> None:
    result = monthly(D(2020, 5, 31), latest=None)
    assert result.status == "no_data"
    assert result.latest_period is None
    assert result.expected_period == parse_period("2020-04")
    assert result.next_release == D(2020, 6, 30)  # May, the first release from today on
    assert result.days_overdue == 0
    assert result.reason == (
        "no data published yet; 2020 April expected by 2020-05-30 (lag 30 days)"
    )


# ------------------------------------------------------------------------------------------
# Weekly (CBS weeks), lag 10 days
# ------------------------------------------------------------------------------------------


def weekly(today: dt.date, latest: str) -> Freshness:
    return freshness(frequency=WEEK, lag_days=10, latest_period=parse_period(latest), today=today)


def test_weekly_week_14_of_2020() -> None:
    assert weekly(D(2020, 4, 14), "2020W113").status == "current"
    assert weekly(D(2020, 4, 15), "2020W113").status == "due"
    result = weekly(D(2020, 4, 16), "2020W113")
    assert result.status == "overdue"
    assert result.expected_period == parse_period("2020W114")
    assert result.days_overdue == 1
    assert result.reason == "2020 week 14 expected by 2020-04-15 (lag 10 days): 1 day overdue"


def test_weekly_across_the_year_boundary_keeps_cbs_weeks() -> None:
    result = weekly(D(2020, 1, 11), "2019W152")
    assert result.status == "overdue"
    assert result.expected_period == parse_period("2019W153")
    assert result.next_release == D(2020, 1, 10)
    assert result.reason.startswith("2019 week 53 (partial) expected by 2020-01-10")
    result = weekly(D(2020, 1, 15), "2019W153")
    assert (result.status, result.next_release) == ("due", D(2020, 1, 15))


def test_weekly_iso_weeks() -> None:
    """ISO week 2020-W01 runs 30 December 2019 - 5 January 2020: due 15 January."""
    assert weekly(D(2020, 1, 14), "2019-W52").status == "current"
    result = weekly(D(2020, 1, 16), "2019-W52")
    assert result.status == "overdue"
    assert result.expected_period == parse_period("2020-W01")
    assert result.next_release == D(2020, 1, 15)
    assert result.days_overdue == 1


# ------------------------------------------------------------------------------------------
# Quarterly, release calendar
# ------------------------------------------------------------------------------------------


def quarterly(
    today: dt.date, latest: str | None, calendar: tuple[dt.date, ...] = GDP_CALENDAR
) -> Freshness:
    return freshness(
        frequency=QUARTER,
        lag_days=45,
        latest_period=parse_period(latest) if latest else None,
        today=today,
        calendar=calendar,
    )


def test_calendar_release_dates() -> None:
    assert release_date(parse_period("2020KW03"), lag_days=45, calendar=GDP_CALENDAR) == D(
        2020, 11, 13
    )
    assert release_date(parse_period("2020KW03"), lag_days=45) == D(2020, 11, 14)
    # outside the calendar: the lag rule
    assert release_date(parse_period("2020KW04"), lag_days=45, calendar=GDP_CALENDAR) == D(
        2021, 2, 14
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2020, 8, 14), "2020-Q1"),
        (D(2020, 8, 15), "2020-Q2"),
        (D(2020, 11, 13), "2020-Q2"),
        (D(2020, 11, 14), "2020-Q3"),
        (D(2021, 2, 14), "2020-Q3"),  # calendar exhausted: Q4 by the lag rule on 14 Feb
        (D(2021, 2, 15), "2020-Q4"),
        (D(2020, 1, 10), "2019-Q3"),  # before the calendar starts
    ],
)
def test_expected_latest_period_with_calendar(today: dt.date, expected: str) -> None:
    period = expected_latest_period(
        frequency=QUARTER, lag_days=45, today=today, calendar=list(reversed(GDP_CALENDAR))
    )
    assert period is not None and period.code == expected


def test_calendar_makes_the_series_late_against_its_own_rhythm() -> None:
    result = quarterly(D(2020, 11, 14), "2020KW02")
    assert result.status == "overdue"
    assert result.expected_period == parse_period("2020KW03")
    assert result.next_release == D(2020, 11, 13)
    assert result.days_overdue == 1
    assert result.reason == (
        "2020 3rd quarter expected by 2020-11-13 (release calendar): 1 day overdue"
    )
    assert quarterly(D(2020, 11, 14), "2020KW02", calendar=()).status == "due"


def test_calendar_series_far_behind() -> None:
    result = quarterly(D(2020, 11, 14), "2020KW01")
    assert result.status == "overdue"
    assert result.next_release == D(2020, 8, 14)
    assert result.days_overdue == 92
    assert result.reason.endswith("2 periods missing up to 2020 3rd quarter")


def test_calendar_current_and_due() -> None:
    assert quarterly(D(2020, 8, 13), "2020KW01").status == "current"
    due = quarterly(D(2020, 8, 14), "2020KW01")
    assert (due.status, due.next_release) == ("due", D(2020, 8, 14))
    after = quarterly(D(2020, 8, 20), "2020KW02")
    assert (after.status, after.next_release) == ("current", D(2020, 11, 13))


def test_calendar_no_data_next_release_is_the_next_calendar_date() -> None:
    result = quarterly(D(2020, 8, 20), None)
    assert result.status == "no_data"
    assert result.expected_period == parse_period("2020-Q2")
    assert result.next_release == D(2020, 11, 13)


def test_combined_release_covers_both_periods() -> None:
    """A calendar that skips Q2 (published together with Q3 on 13 November)."""
    calendar = (D(2020, 5, 15), D(2020, 11, 13))
    assert release_date(parse_period("2020-Q2"), lag_days=45, calendar=calendar) == D(2020, 11, 13)
    result = quarterly(D(2020, 9, 1), "2020-Q1", calendar=calendar)
    assert result.status == "current"


# ------------------------------------------------------------------------------------------
# Validation and properties
# ------------------------------------------------------------------------------------------


def test_validation() -> None:
    with pytest.raises(ValueError, match="lag_days"):
        freshness(frequency=MONTH, lag_days=-1, latest_period=None, today=D(2020, 1, 1))
    with pytest.raises(ValueError, match="grace_days"):
        monthly(D(2020, 1, 1), grace=-2)
    with pytest.raises(ValueError, match="2020-Q1"):
        freshness(
            frequency=MONTH,
            lag_days=30,
            latest_period=parse_period("2020-Q1"),
            today=D(2020, 1, 1),
        )


frequencies = st.sampled_from(list(Frequency))
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))


@settings(max_examples=300)
@given(frequencies, st.integers(0, 120), days, days, st.booleans(), st.integers(0, 10))
def test_properties(
    freq: Frequency, lag: int, today: dt.date, day: dt.date, cbs: bool, grace: int
) -> None:
    latest = period_containing(day, freq, cbs=cbs)
    result = freshness(
        frequency=freq, lag_days=lag, latest_period=latest, today=today, grace_days=grace
    )
    assert result.status in STATUSES
    expected = result.expected_period
    assert expected is not None
    # the expected period's release date has passed, the next one's has not
    assert expected.end + dt.timedelta(days=lag) < today
    assert next_period(expected).end + dt.timedelta(days=lag) >= today
    assert result.next_release == next_period(latest).end + dt.timedelta(days=lag)
    late = (today - result.next_release).days
    if result.status == "overdue":
        assert result.days_overdue == late > grace
        assert expected.start > latest.start
    else:
        assert result.days_overdue == 0
        assert (result.status == "current") == (late < 0)
        assert expected.start <= next_period(latest).start
