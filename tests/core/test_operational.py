"""Time to operational (``paraat_core.operational``): from the minister's decision to the last
operational checklist item done.

Worked example (docs/methodology/time-to-operational.md; illustrative times, the kind of
checklist the playbook keeps for a fast secretariat, seed 001 §6.3): decision Monday
6 January 2025 10:00 Europe/Amsterdam; housing Tue 7 Jan 10:00, IT accounts Tue 7 Jan 16:00,
secure mail Wed 8 Jan 10:00, first meeting planned Mon 6 Jan 15:30 →

    per item 24, 30, 48 and 5.5 hours; operational Wed 8 Jan 10:00, 48 hours in all.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.operational import OperationalError, time_to_operational

AMS = ZoneInfo("Europe/Amsterdam")


def ams(day: int, hour: int, minute: int = 0, month: int = 1, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


DECISION = ams(6, 10)
ITEMS = [
    ("housing", ams(7, 10)),
    ("it_accounts", ams(7, 16)),
    ("secure_mail", ams(8, 10)),
    ("first_meeting", ams(6, 15, 30)),
]


def test_worked_example() -> None:
    assert DECISION.strftime("%A") == "Monday"
    result = time_to_operational(DECISION, ITEMS, now=ams(20, 12))
    assert [i.hours for i in result.items] == [24.0, 30.0, 48.0, 5.5]
    assert [i.key for i in result.items] == [
        "housing",
        "it_accounts",
        "secure_mail",
        "first_meeting",
    ]
    assert result.operational_at == ams(8, 10)
    assert result.hours == 48.0
    assert result.elapsed_hours == 48.0
    assert result.complete and (result.done, result.total) == (4, 4)


def test_open_item_keeps_the_clock_running() -> None:
    items = [*ITEMS[:3], ("first_meeting", None)]
    result = time_to_operational(DECISION, items, now=ams(9, 10))
    assert result.operational_at is None and result.hours is None and not result.complete
    assert result.elapsed_hours == 72.0
    assert result.items[-1].hours is None
    assert (result.done, result.total) == (3, 4)


def test_no_items_is_not_operational() -> None:
    result = time_to_operational(DECISION, [], now=ams(6, 12))
    assert result.operational_at is None and result.total == 0
    assert result.elapsed_hours == 2.0


def test_item_done_before_the_decision_counts_zero() -> None:
    result = time_to_operational(DECISION, [("housing", ams(1, 9))], now=ams(6, 12))
    assert result.items[0].hours == 0.0
    assert result.hours == 0.0


def test_daylight_saving_counts_real_hours() -> None:
    # The clocks go forward on Sunday 30 March 2025 at 02:00: 23 real hours in that day.
    decided = ams(29, 12, month=3)
    result = time_to_operational(decided, [("housing", ams(30, 12, month=3))], now=decided)
    assert result.hours == 23.0


def test_naive_moments_are_refused() -> None:
    with pytest.raises(OperationalError):
        time_to_operational(dt.datetime(2025, 1, 6, 10), [], now=DECISION)
    with pytest.raises(OperationalError):
        time_to_operational(DECISION, [("x", dt.datetime(2025, 1, 7))], now=DECISION)


moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(dt.UTC)
)


@given(
    decided=moments,
    done=st.lists(st.one_of(st.none(), moments), max_size=12),
    now=moments,
)
def test_properties(decided: dt.datetime, done: list[dt.datetime | None], now: dt.datetime) -> None:
    items = [(f"item{i}", at) for i, at in enumerate(done)]
    result = time_to_operational(decided, items, now=now)
    assert result.total == len(items)
    assert result.done == sum(1 for at in done if at is not None)
    assert all(i.hours is None or i.hours >= 0 for i in result.items)
    assert result.elapsed_hours >= 0
    if result.complete:
        assert result.total > 0 and result.done == result.total
        # The total is the largest per-item time: the last item done makes it operational.
        assert result.hours == max(i.hours or 0.0 for i in result.items)
    else:
        assert result.hours is None
        assert result.total == 0 or None in done
