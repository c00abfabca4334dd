"""The exercise clock (``paraat_core.injects``): elapsed exercise time, due injects, compression.

Worked example (module docstring and docs/methodology/exercise-clock.md): started 10:00, paused
10:20, resumed 10:30, now 10:45, speed 2 → 35 real minutes running → 70 exercise minutes; of
injects at 0, 60 and 90 minutes the first two are due, the third in 20 exercise minutes (10
real minutes).  Autumn 2020 at 2 minutes per day from 18 September: 28 September is minute 20,
14 December minute 174 (real dates of the Dutch press conferences, NL measures catalogue).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.injects import (
    ClockError,
    clock,
    compress,
    due,
    next_due_in,
    next_state,
)

AMS = ZoneInfo("Europe/Amsterdam")


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 10, hour, minute, tzinfo=AMS)


HISTORY = [("start", at(10)), ("pause", at(10, 20)), ("resume", at(10, 30))]


def test_worked_example() -> None:
    state = clock(HISTORY, now=at(10, 45), speed=2)
    assert state.state == "running"
    assert state.real_running == dt.timedelta(minutes=35)
    assert state.exercise_minutes == pytest.approx(70)
    assert due([0, 60, 90], elapsed_minutes=70) == [0, 1]
    assert next_due_in([90], elapsed_minutes=70, speed=2) == pytest.approx((20, 10))


def test_autumn_2020_compression() -> None:
    first = dt.date(2020, 9, 18)
    assert compress(dt.date(2020, 9, 28), first=first, minutes_per_day=2) == 20
    assert compress(dt.date(2020, 10, 14), first=first, minutes_per_day=2) == 52
    assert compress(dt.date(2020, 12, 14), first=first, minutes_per_day=2) == 174
    assert compress(dt.date(2020, 9, 1), first=first, minutes_per_day=2) == 0


def test_paused_and_ended_clocks_stand_still() -> None:
    paused = clock([*HISTORY[:2]], now=at(12), speed=1)
    assert paused.state == "paused" and paused.exercise_minutes == pytest.approx(20)
    ended = clock([*HISTORY, ("end", at(10, 40))], now=at(15), speed=1)
    assert ended.state == "ended" and ended.exercise_minutes == pytest.approx(30)
    assert clock([], now=at(12)).state == "not_started"


def test_invalid_histories_are_refused() -> None:
    with pytest.raises(ClockError):
        clock([("pause", at(10))], now=at(11))
    with pytest.raises(ClockError):
        clock([("start", at(10)), ("start", at(11))], now=at(12))
    with pytest.raises(ClockError):
        clock([("start", at(10)), ("pause", at(9))], now=at(12))
    with pytest.raises(ClockError):
        clock([("start", dt.datetime(2026, 1, 1, 10))], now=at(12))  # naive
    with pytest.raises(ClockError):
        clock(HISTORY, now=at(11), speed=0)
    with pytest.raises(ClockError):
        next_state("ended", "resume")
    with pytest.raises(ClockError):
        compress(dt.date(2020, 1, 1), first=dt.date(2020, 1, 1), minutes_per_day=0)
    with pytest.raises(ClockError):
        next_due_in([1], elapsed_minutes=0, speed=-1)


def test_due_orders_by_offset_then_given_order() -> None:
    assert due([30, 0, 30, 10], elapsed_minutes=30) == [1, 3, 0, 2]
    assert next_due_in([0, 10], elapsed_minutes=10) is None


# --- properties ------------------------------------------------------------------------------

_minutes = st.integers(min_value=0, max_value=10_000)
_speeds = st.floats(min_value=0.1, max_value=1000, allow_nan=False)


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, dt.datetime]]:
    """Valid clock histories: start, then pause/resume pairs, maybe an end."""
    moment = at(8)
    out = [("start", moment)]
    state = "running"
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        moment += dt.timedelta(minutes=draw(_minutes))
        action = "pause" if state == "running" else "resume"
        out.append((action, moment))
        state = "paused" if state == "running" else "running"
    if draw(st.booleans()):
        moment += dt.timedelta(minutes=draw(_minutes))
        out.append(("end", moment))
    return out


@given(histories(), _minutes, _speeds)
def test_exercise_time_is_running_time_times_speed(history, extra, speed) -> None:
    now = history[-1][1] + dt.timedelta(minutes=extra)
    state = clock(history, now=now, speed=speed)
    real = clock(history, now=now, speed=1)
    assert state.exercise_minutes == pytest.approx(real.exercise_minutes * speed)
    total = (now - history[0][1]) / dt.timedelta(minutes=1)
    assert 0 <= real.exercise_minutes <= total + 1e-9


@given(histories(), _minutes, _minutes)
def test_clock_never_runs_backwards(history, later, more) -> None:
    first = history[-1][1] + dt.timedelta(minutes=later)
    second = first + dt.timedelta(minutes=more)
    assert clock(history, now=second).exercise_minutes >= clock(history, now=first).exercise_minutes


@given(st.lists(_minutes, max_size=30), st.floats(min_value=0, max_value=20_000))
def test_due_is_exactly_the_reached_offsets_in_order(offsets, elapsed) -> None:
    chosen = due(offsets, elapsed_minutes=elapsed)
    assert sorted(chosen) == [i for i, o in enumerate(offsets) if o <= elapsed]
    assert [offsets[i] for i in chosen] == sorted(offsets[i] for i in chosen)
    wait = next_due_in(offsets, elapsed_minutes=elapsed)
    if wait is None:
        assert all(o <= elapsed for o in offsets)
    else:
        assert wait[0] > 0 and min(o for o in offsets if o > elapsed) == pytest.approx(
            elapsed + wait[0]
        )


@given(st.integers(min_value=-400, max_value=4000), st.integers(min_value=1, max_value=60))
def test_compress_is_monotone_and_never_negative(days, per_day) -> None:
    first = dt.date(2020, 9, 18)
    day = first + dt.timedelta(days=days)
    minute = compress(day, first=first, minutes_per_day=per_day)
    assert minute >= 0
    assert compress(day + dt.timedelta(days=1), first=first, minutes_per_day=per_day) >= minute
