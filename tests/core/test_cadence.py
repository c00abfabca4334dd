"""Meeting cadence of the MIT in standby and when active.

Worked example (by hand, see docs/methodology/cadence.md). Sources: seed 003 (Kamerbrief MIT
in waakstand): the MIT's establishment decree ran until 31 August 2024 and "Het MIT in
waakstand vergadert minimaal 1x per jaar"; issue 7 for the active levels (mild monthly,
flu-plus every two weeks, persistent and worst case weekly). The meeting dates are synthetic.

* standby from 1 September 2024: the first meeting is due on 1 September 2025;
* a (synthetic) meeting held on 12 June 2025 moves the next due date to 12 June 2026;
* on 1 July 2026, without another meeting, the cadence is 19 days overdue;
* the level goes to *mild* on 5 October 2026: a new clock, the next meeting is due on
  5 November 2026 (one month), whatever was held in standby;
* *flu-plus* from 16 November 2026: due 30 November 2026 (14 days).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.cadence import (
    DEFAULT_INTERVALS,
    DueCheck,
    Interval,
    Period,
    add_interval,
    cadence_key,
    compliance,
    default_horizon,
    next_due,
    parse_intervals,
    period_at,
    plan_dates,
    state,
)

D = dt.date
STANDBY_SINCE = D(2024, 9, 1)  # seed 003: instellingsbesluit ran until 31 August 2024
HISTORY = [
    Period(STANDBY_SINCE, "standby"),
    Period(D(2026, 10, 5), "mild"),
    Period(D(2026, 11, 16), "flu_plus"),
]


def test_default_intervals_follow_seed_and_issue() -> None:
    assert DEFAULT_INTERVALS["standby"] == Interval(months=12)
    assert DEFAULT_INTERVALS["mild"] == Interval(months=1)
    assert DEFAULT_INTERVALS["flu_plus"] == Interval(days=14)
    assert DEFAULT_INTERVALS["persistent"] == Interval(days=7)
    assert DEFAULT_INTERVALS["worst_case"] == Interval(days=7)


def test_worked_example_standby() -> None:
    assert next_due(periods=HISTORY, held=[], today=D(2025, 3, 1)) == D(2025, 9, 1)
    held = [D(2025, 6, 12)]
    assert next_due(periods=HISTORY, held=held, today=D(2025, 11, 25)) == D(2026, 6, 12)
    now = state(periods=HISTORY, held=held, today=D(2026, 7, 1))
    assert now is not None
    assert (now.key, now.next_due, now.overdue, now.days_overdue) == (
        "standby",
        D(2026, 6, 12),
        True,
        19,
    )
    assert now.last_held == D(2025, 6, 12)


def test_worked_example_escalation_starts_a_new_clock() -> None:
    held = [D(2025, 6, 12)]
    mild = state(periods=HISTORY, held=held, today=D(2026, 11, 10))
    assert mild is not None
    assert (mild.key, mild.next_due, mild.days_overdue) == ("mild", D(2026, 11, 5), 5)
    flu = state(periods=HISTORY, held=held, today=D(2026, 11, 20))
    assert flu is not None
    assert (flu.key, flu.next_due, flu.overdue, flu.days_until_due) == (
        "flu_plus",
        D(2026, 11, 30),
        False,
        10,
    )
    # a meeting held under flu-plus restarts the two-week clock
    assert next_due(periods=HISTORY, held=[*held, D(2026, 11, 25)], today=D(2026, 11, 26)) == D(
        2026, 12, 9
    )


def test_worked_example_compliance() -> None:
    checks = compliance(
        periods=[Period(STANDBY_SINCE, "standby")], held=[D(2025, 6, 12)], until=D(2026, 12, 31)
    )
    assert checks == [
        DueCheck("standby", D(2025, 9, 1), D(2025, 6, 12), 0),
        DueCheck("standby", D(2026, 6, 12), None, 202),
    ]
    assert checks[0].on_time and not checks[1].on_time


def test_compliance_counts_late_meetings_and_ends_at_next_period() -> None:
    checks = compliance(
        periods=[Period(D(2026, 1, 1), "mild"), Period(D(2026, 3, 20), "standby")],
        held=[D(2026, 2, 10), D(2026, 3, 1)],
        until=D(2026, 4, 30),
    )
    # mild: due 1 Feb, met 10 Feb (9 days late); due 10 March, met 1 March; due 1 April is
    # after standby began on 20 March and is not counted. Standby: first due 20 March 2027.
    assert checks == [
        DueCheck("mild", D(2026, 2, 1), D(2026, 2, 10), 9),
        DueCheck("mild", D(2026, 3, 10), D(2026, 3, 1), 0),
    ]


def test_add_interval_clamps_to_month_end() -> None:
    assert add_interval(D(2024, 1, 31), Interval(months=1)) == D(2024, 2, 29)
    assert add_interval(D(2023, 1, 31), Interval(months=1)) == D(2023, 2, 28)
    assert add_interval(D(2024, 2, 29), Interval(months=12)) == D(2025, 2, 28)
    assert add_interval(D(2024, 12, 20), Interval(months=1, days=14)) == D(2025, 2, 3)


def test_cadence_key() -> None:
    assert cadence_key("standby", "") == "standby"
    assert cadence_key("standby", "mild") == "standby"
    assert cadence_key("active", "worst_case") == "worst_case"
    assert cadence_key("active", "") == "active"


def test_before_first_period_there_is_no_cadence() -> None:
    assert next_due(periods=HISTORY, held=[], today=D(2024, 1, 1)) is None
    assert state(periods=HISTORY, held=[], today=D(2024, 1, 1)) is None
    assert (
        plan_dates(periods=HISTORY, held=[], planned=[], today=D(2024, 1, 1), until=D(2025, 1, 1))
        == []
    )
    assert period_at([], D(2024, 1, 1)) is None


def test_same_day_changes_the_later_wins() -> None:
    periods = [Period(D(2026, 1, 1), "mild"), Period(D(2026, 1, 1), "worst_case")]
    assert next_due(periods=periods, held=[], today=D(2026, 1, 2)) == D(2026, 1, 8)


def test_parse_intervals_overrides() -> None:
    custom = parse_intervals("standby=6m, mild = 21d, flu_plus=1m7d")
    assert custom["standby"] == Interval(months=6)
    assert custom["mild"] == Interval(days=21)
    assert custom["flu_plus"] == Interval(months=1, days=7)
    assert custom["worst_case"] == DEFAULT_INTERVALS["worst_case"]
    assert parse_intervals("") == dict(DEFAULT_INTERVALS)
    assert next_due(
        periods=[Period(STANDBY_SINCE, "standby")], held=[], today=D(2024, 10, 1), intervals=custom
    ) == D(2025, 3, 1)


@pytest.mark.parametrize("bad", ["standby", "standby=", "standby=12y", "unknown=1m", "mild=0d"])
def test_parse_intervals_refuses(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_intervals(bad)


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(ValueError):
        next_due(periods=[Period(D(2026, 1, 1), "tsunami")], held=[], today=D(2026, 2, 1))


def test_plan_dates_worked_example() -> None:
    periods = [Period(D(2026, 10, 5), "mild")]
    dates = plan_dates(
        periods=periods, held=[], planned=[], today=D(2026, 10, 6), until=D(2027, 1, 6)
    )
    assert dates == [D(2026, 11, 5), D(2026, 12, 5), D(2027, 1, 5)]
    # a meeting already planned on 30 October covers the first due date; the clock runs on
    # from it. One planned on 20 November is too late for 5 November but covers 5 December.
    dates = plan_dates(
        periods=periods,
        held=[],
        planned=[D(2026, 10, 30)],
        today=D(2026, 10, 6),
        until=D(2027, 1, 6),
    )
    assert dates == [D(2026, 11, 30), D(2026, 12, 30)]
    dates = plan_dates(
        periods=periods,
        held=[],
        planned=[D(2026, 11, 20)],
        today=D(2026, 10, 6),
        until=D(2027, 1, 6),
    )
    assert dates == [D(2026, 11, 5), D(2026, 12, 20)]
    # overdue: the first meeting is planned today, the next a year later (``until`` counts)
    standby = [Period(STANDBY_SINCE, "standby")]
    assert plan_dates(
        periods=standby, held=[], planned=[], today=D(2025, 11, 25), until=D(2026, 11, 25)
    ) == [D(2025, 11, 25), D(2026, 11, 25)]
    assert default_horizon("standby", D(2025, 11, 25)) == D(2026, 11, 25)
    assert default_horizon("mild", D(2025, 11, 25)) == D(2026, 2, 25)


# --- properties ---------------------------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))
keys = st.sampled_from(sorted(DEFAULT_INTERVALS))
intervals = (
    st.tuples(st.integers(0, 24), st.integers(0, 400))
    .filter(lambda md: md[0] or md[1])
    .map(lambda md: Interval(months=md[0], days=md[1]))
)
histories = st.lists(st.builds(Period, dates, keys), min_size=1, max_size=5)


@given(dates, intervals)
def test_add_interval_moves_forward(day: dt.date, interval: Interval) -> None:
    assert add_interval(day, interval) > day


@given(dates, dates, intervals)
def test_add_interval_is_monotone(a: dt.date, b: dt.date, interval: Interval) -> None:
    if a <= b:
        assert add_interval(a, interval) <= add_interval(b, interval)


@given(histories, st.lists(dates, max_size=8), dates)
def test_a_meeting_today_is_never_overdue(
    periods: list[Period], held: list[dt.date], today: dt.date
) -> None:
    now = state(periods=periods, held=[*held, today], today=today)
    if now is not None:
        assert not now.overdue and now.next_due > today


@given(histories, st.lists(dates, max_size=8), dates, dates)
def test_holding_a_meeting_never_brings_the_due_date_forward(
    periods: list[Period], held: list[dt.date], extra: dt.date, today: dt.date
) -> None:
    before = next_due(periods=periods, held=held, today=today)
    after = next_due(periods=periods, held=[*held, extra], today=today)
    if before is not None:
        assert after is not None and after >= before


@given(histories, st.lists(dates, max_size=6), st.lists(dates, max_size=6), dates)
def test_planned_dates_keep_the_cadence(
    periods: list[Period], held: list[dt.date], planned: list[dt.date], today: dt.date
) -> None:
    current = period_at(periods, today)
    until = add_interval(today, Interval(months=6))
    dates_ = plan_dates(periods=periods, held=held, planned=planned, today=today, until=until)
    assert dates_ == sorted(set(dates_))
    assert all(today <= d <= until for d in dates_)
    if current is None:
        assert dates_ == []
        return
    interval = DEFAULT_INTERVALS[current.key]
    due = next_due(periods=periods, held=held, today=today)
    assert due is not None
    merged = sorted({*dates_, *(d for d in planned if today <= d <= until)})
    if merged:
        assert merged[0] <= max(due, today)
        for a, b in itertools.pairwise(merged):
            assert b <= add_interval(a, interval)
        assert add_interval(merged[-1], interval) > until


@given(histories, st.lists(dates, max_size=8), dates)
def test_compliance_checks_are_consistent(
    periods: list[Period], held: list[dt.date], until: dt.date
) -> None:
    checks = compliance(periods=periods, held=held, until=until)
    for check in checks:
        assert check.due <= until
        assert check.days_late >= 0
        if check.met_on is not None:
            assert check.on_time == (check.met_on <= check.due)
            assert check.met_on in held


@given(st.dictionaries(keys, intervals, min_size=1))
def test_parse_intervals_round_trip(overrides: dict[str, Interval]) -> None:
    text = ",".join(f"{k}={v.label()}" for k, v in overrides.items())
    assert parse_intervals(text) == {**DEFAULT_INTERVALS, **overrides}
