"""Where the hours went (``paraat_core.phases``): hours per phase and the deadline countdown.

Worked example (the module docstring; the January 2023 request on travellers from China,
evaluation of the MIT, seed 001: the advice "EU-Maatregelen voor reizigers vanuit China" of
5 January 2023): received Tuesday 3 January 2023 09:00 Europe/Amsterdam, input requested
10:00, draft Wednesday 4 January 09:00, decision 15:00, sent Thursday 5 January 09:00 →

    received 1 h, input requested 23 h, draft 6 h, decision 18 h; 48 h in all.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.phases import HOUR, Countdown, PhaseError, countdown, phase_durations, phases

AMS = ZoneInfo("Europe/Amsterdam")


def ams(day: int, hour: int, minute: int = 0, month: int = 1) -> dt.datetime:
    return dt.datetime(2023, month, day, hour, minute, tzinfo=AMS)


CHINA = [
    ("received", ams(3, 9)),
    ("input_requested", ams(3, 10)),
    ("draft", ams(4, 9)),
    ("decision", ams(4, 15)),
    ("sent", ams(5, 9)),
]


# ------------------------------------------------------------------------------------------
# The worked example
# ------------------------------------------------------------------------------------------


def test_worked_example_hours_per_phase() -> None:
    assert ams(3, 9).strftime("%A") == "Tuesday"
    hours = phase_durations(CHINA, now=ams(9, 12), until="sent")
    assert hours == {"received": 1.0, "input_requested": 23.0, "draft": 6.0, "decision": 18.0}
    assert list(hours) == ["received", "input_requested", "draft", "decision"]  # first visit
    assert sum(hours.values()) == 48.0


def test_worked_example_stays() -> None:
    now = ams(5, 12)
    stays = phases(CHINA, now=now)
    assert [s.phase for s in stays] == [p for p, _ in CHINA]
    assert [s.hours for s in stays] == [1.0, 23.0, 6.0, 18.0, 3.0]
    assert [s.start for s in stays] == [at for _, at in CHINA]
    assert [s.end for s in stays] == [ams(3, 10), ams(4, 9), ams(4, 15), ams(5, 9), None]


def test_without_until_the_current_phase_runs_to_now() -> None:
    hours = phase_durations(CHINA, now=ams(5, 21))
    assert hours["sent"] == 12.0
    assert sum(hours.values()) == 60.0


def test_until_stops_the_clock_at_the_first_visit() -> None:
    history = [*CHINA, ("embargo", ams(5, 9, 30)), ("published", ams(6, 9))]
    hours = phase_durations(history, now=ams(20, 0), until="sent")
    assert set(hours) == {"received", "input_requested", "draft", "decision"}
    assert sum(hours.values()) == 48.0
    # an ``until`` never reached: the clock runs to now
    running = phase_durations(CHINA[:3], now=ams(4, 12), until="sent")
    assert running == {"received": 1.0, "input_requested": 23.0, "draft": 3.0}


def test_a_phase_visited_twice_adds_up() -> None:
    history = [
        ("draft", ams(3, 9)),
        ("feedback", ams(3, 12)),  # draft 3 h
        ("draft", ams(3, 14)),  # feedback 2 h
        ("feedback", ams(3, 18)),  # draft 4 h
        ("final_draft", ams(3, 19)),  # feedback 1 h
        ("sent", ams(3, 21)),  # final draft 2 h
    ]
    hours = phase_durations(history, now=ams(4, 0), until="sent")
    assert hours == {"draft": 7.0, "feedback": 3.0, "final_draft": 2.0}
    assert list(hours) == ["draft", "feedback", "final_draft"]


DST_BUG = (
    "paraat_core.phases subtracts aware datetimes directly; Python ignores the UTC offsets "
    "when both share one tzinfo (e.g. ZoneInfo('Europe/Amsterdam')), so a stay across a "
    "daylight-saving change counts wall-clock hours. Fix: convert to UTC in _aware()."
)


def test_daylight_saving_time_in_utc_is_real_hours() -> None:
    """On 26 March 2023 the clocks in Amsterdam jumped from 02:00 to 03:00: 00:00 to 12:00
    local time is 11 hours (moments as Django hands them over: in UTC)."""
    start = dt.datetime(2023, 3, 26, 0, tzinfo=AMS).astimezone(dt.UTC)
    now = dt.datetime(2023, 3, 26, 12, tzinfo=AMS).astimezone(dt.UTC)
    assert phase_durations([("received", start)], now=now) == {"received": 11.0}
    assert countdown(deadline=now, now=start).hours_left == 11.0


def test_daylight_saving_time_in_local_time_is_real_hours() -> None:
    """The same stay given in Amsterdam time (one shared tzinfo) must also be 11 hours."""
    history = [("received", dt.datetime(2023, 3, 26, 0, tzinfo=AMS))]
    hours = phase_durations(history, now=dt.datetime(2023, 3, 26, 12, tzinfo=AMS))
    assert hours == {"received": 11.0}


def test_countdown_across_daylight_saving_in_local_time() -> None:
    """29 October 2023: clocks go back from 03:00 to 02:00, so 00:00 to 12:00 is 13 hours."""
    left = countdown(
        deadline=dt.datetime(2023, 10, 29, 12, tzinfo=AMS),
        now=dt.datetime(2023, 10, 29, 0, tzinfo=AMS),
    )
    assert left.hours_left == 13.0


def test_now_before_the_last_change_gives_zero_not_negative() -> None:
    stays = phases(CHINA, now=ams(4, 12))
    assert stays[-1].hours == 0.0
    assert all(s.hours >= 0 for s in stays)


def test_empty_history() -> None:
    assert phases([], now=ams(3, 9)) == []
    assert phase_durations([], now=ams(3, 9), until="sent") == {}


def test_equal_moments_are_allowed() -> None:
    history = [("received", ams(3, 9)), ("input_requested", ams(3, 9)), ("draft", ams(3, 11))]
    assert phase_durations(history, now=ams(3, 12)) == {
        "received": 0.0,
        "input_requested": 2.0,
        "draft": 1.0,
    }


# ------------------------------------------------------------------------------------------
# Refusals
# ------------------------------------------------------------------------------------------


def test_naive_now_is_refused() -> None:
    with pytest.raises(PhaseError, match="now"):
        phases(CHINA, now=dt.datetime(2023, 1, 5, 9))


def test_naive_moment_in_the_history_is_refused() -> None:
    history = [("received", ams(3, 9)), ("draft", dt.datetime(2023, 1, 3, 10))]
    with pytest.raises(PhaseError, match=r"history\[1\]"):
        phases(history, now=ams(5, 9))
    with pytest.raises(PhaseError):
        phase_durations([("received", dt.datetime(2023, 1, 3, 9))], now=ams(5, 9))


def test_a_date_is_not_a_moment() -> None:
    with pytest.raises(PhaseError):
        phases([("received", dt.date(2023, 1, 3))], now=ams(5, 9))  # type: ignore[list-item]


def test_out_of_order_history_is_refused() -> None:
    history = [("received", ams(3, 9)), ("draft", ams(4, 9)), ("input_requested", ams(3, 10))]
    with pytest.raises(PhaseError, match="before"):
        phases(history, now=ams(5, 9))
    with pytest.raises(PhaseError):
        phase_durations(history, now=ams(5, 9), until="sent")


# ------------------------------------------------------------------------------------------
# Countdown
# ------------------------------------------------------------------------------------------


def test_countdown_of_the_48_hours() -> None:
    deadline = ams(5, 9)
    start = countdown(deadline=deadline, now=ams(3, 9))
    assert start == Countdown(hours_left=48.0, overdue=False, warning=False)


@pytest.mark.parametrize(
    ("left", "overdue", "warning"),
    [
        (dt.timedelta(hours=12), False, False),  # exactly the warning window: not yet
        (dt.timedelta(hours=12) - dt.timedelta(seconds=1), False, True),
        (dt.timedelta(hours=1), False, True),
        (dt.timedelta(0), False, True),  # at the deadline: still on time
        (-dt.timedelta(seconds=1), True, False),  # overdue, not "warning"
        (-dt.timedelta(days=3), True, False),
    ],
)
def test_countdown_boundaries(left: dt.timedelta, overdue: bool, warning: bool) -> None:
    deadline = ams(5, 9)
    result = countdown(deadline=deadline, now=deadline - left)
    assert result.hours_left == pytest.approx(left / HOUR)
    assert (result.overdue, result.warning) == (overdue, warning)


def test_countdown_warn_hours_is_configurable() -> None:
    deadline = ams(5, 9)
    assert countdown(deadline=deadline, now=ams(4, 9), warn_hours=24).warning is False
    assert countdown(deadline=deadline, now=ams(4, 9, 1), warn_hours=24).warning is True
    assert countdown(deadline=deadline, now=ams(5, 8), warn_hours=0).warning is False


def test_countdown_across_time_zones() -> None:
    utc = dt.datetime(2023, 1, 5, 7, tzinfo=dt.UTC)  # 08:00 in Amsterdam (CET, UTC+1)
    assert countdown(deadline=ams(5, 9), now=utc).hours_left == 1.0


def test_countdown_refuses_naive_moments() -> None:
    with pytest.raises(PhaseError, match="deadline"):
        countdown(deadline=dt.datetime(2023, 1, 5, 9), now=ams(3, 9))
    with pytest.raises(PhaseError, match="now"):
        countdown(deadline=ams(5, 9), now=dt.datetime(2023, 1, 3, 9))


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------

NAMES = st.sampled_from(["received", "input_requested", "draft", "feedback", "decision", "sent"])
START = dt.datetime(2023, 1, 3, 8, tzinfo=dt.UTC)
gaps = st.integers(min_value=0, max_value=7 * 24 * 60)  # minutes between changes


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, dt.datetime]]:
    names = draw(st.lists(NAMES, min_size=1, max_size=12))
    moment, history = START, []
    for name in names:
        moment += dt.timedelta(minutes=draw(gaps))
        history.append((name, moment))
    return history


@given(histories(), gaps)
def test_durations_add_up_to_the_elapsed_time(
    history: list[tuple[str, dt.datetime]], after: int
) -> None:
    now = history[-1][1] + dt.timedelta(minutes=after)
    hours = phase_durations(history, now=now)
    assert all(value >= 0 for value in hours.values())
    assert sum(hours.values()) == pytest.approx((now - history[0][1]) / HOUR)
    assert list(hours) == list(dict.fromkeys(name for name, _ in history))


@given(histories(), gaps, NAMES)
def test_until_adds_up_to_the_first_visit(
    history: list[tuple[str, dt.datetime]], after: int, until: str
) -> None:
    now = history[-1][1] + dt.timedelta(minutes=after)
    hours = phase_durations(history, now=now, until=until)
    reached = next((at for name, at in history if name == until), None)
    stop = now if reached is None else reached
    assert until not in hours
    assert all(value >= 0 for value in hours.values())
    assert sum(hours.values()) == pytest.approx((stop - history[0][1]) / HOUR)


@given(histories(), st.integers(min_value=-30 * 24 * 60, max_value=30 * 24 * 60))
def test_stays_are_never_negative(history: list[tuple[str, dt.datetime]], offset: int) -> None:
    now = history[-1][1] + dt.timedelta(minutes=offset)
    stays = phases(history, now=now)
    assert len(stays) == len(history)
    assert all(s.hours >= 0 for s in stays)
    assert all(s.end is not None for s in stays[:-1]) and stays[-1].end is None
