"""The exercise clock: elapsed exercise time, which injects are due, and real dates compressed.

An exercise run has an append-only clock history of ``(action, moment)`` pairs with action
``start``, ``pause``, ``resume`` or ``end``.  The clock runs between ``start``/``resume`` and
the next ``pause``/``end`` (or ``now``); exercise time is real running time times the speed
factor (1: real time; 60: one exercise hour per real minute).  An inject is due once the
exercise time has reached its offset (minutes from the start); due injects are delivered in
the order of their offsets.  A scenario that replays a real period maps each real date onto
the exercise timeline at ``minutes_per_day`` exercise minutes per real day.

Worked example (docs/methodology/exercise-clock.md): started 10:00, paused 10:20, resumed
10:30, now 10:45 with speed factor 2 → running 20 + 15 = 35 real minutes → 70 exercise minutes;
of injects at 0, 60, 90 minutes the first two are due and the third comes in 20 exercise
minutes, i.e. 10 real minutes.  Replaying 18 September 2020 to 14 December 2020 at 2 minutes
per day puts 28 September at minute 20 and 14 December at minute 174.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

START: Final = "start"
PAUSE: Final = "pause"
RESUME: Final = "resume"
END: Final = "end"
ACTIONS: Final = (START, PAUSE, RESUME, END)

MINUTE: Final = dt.timedelta(minutes=1)


class ClockError(ValueError):
    """A clock history that is not a valid sequence of moves."""


# The moves the clock allows: from state (None: not started) by action to the new state.
_MOVES: Final[dict[tuple[str | None, str], str]] = {
    (None, START): "running",
    ("running", PAUSE): "paused",
    ("paused", RESUME): "running",
    ("running", END): "ended",
    ("paused", END): "ended",
}


def next_state(state: str | None, action: str) -> str:
    """The clock's state after ``action`` from ``state`` (``None``: not started)."""
    try:
        return _MOVES[(state, action)]
    except KeyError:
        raise ClockError(f"cannot {action} a clock that is {state or 'not started'}") from None


def _aware(moment: dt.datetime, what: str) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
        raise ClockError(f"{what} must be a timezone-aware datetime, not {moment!r}")
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True)
class Clock:
    state: str
    """``not_started``, ``running``, ``paused`` or ``ended``."""
    real_running: dt.timedelta
    """Real time the clock ran."""
    exercise_minutes: float
    """Exercise time: running time × speed factor, in minutes."""


def clock(
    history: Sequence[tuple[str, dt.datetime]], *, now: dt.datetime, speed: float = 1.0
) -> Clock:
    """The clock after ``history`` at ``now`` (moments before the previous one are refused)."""
    if not speed > 0:
        raise ClockError(f"speed must be positive, not {speed!r}")
    now = _aware(now, "now")
    state: str | None = None
    running_since: dt.datetime | None = None
    total = dt.timedelta(0)
    previous: dt.datetime | None = None
    for index, (action, at) in enumerate(history):
        at = _aware(at, f"history[{index}]")
        if previous is not None and at < previous:
            raise ClockError(f"history[{index}] ({action}) lies before the move before it")
        previous = at
        state = next_state(state, action)
        if state == "running":
            running_since = at
        elif running_since is not None:
            total += at - running_since
            running_since = None
    if running_since is not None:
        total += max(now - running_since, dt.timedelta(0))
    return Clock(
        state=state or "not_started",
        real_running=total,
        exercise_minutes=total / MINUTE * speed,
    )


def due(offsets: Sequence[int], *, elapsed_minutes: float) -> list[int]:
    """Indexes of the offsets that are due at ``elapsed_minutes``, in delivery order
    (by offset, ties in their given order)."""
    order = sorted(range(len(offsets)), key=lambda i: (offsets[i], i))
    return [i for i in order if offsets[i] <= elapsed_minutes]


def next_due_in(
    offsets: Sequence[int], *, elapsed_minutes: float, speed: float = 1.0
) -> tuple[float, float] | None:
    """``(exercise minutes, real minutes)`` until the next inject, ``None`` when none left."""
    if not speed > 0:
        raise ClockError(f"speed must be positive, not {speed!r}")
    later = [offset for offset in offsets if offset > elapsed_minutes]
    if not later:
        return None
    wait = min(later) - elapsed_minutes
    return wait, wait / speed


def compress(day: dt.date, *, first: dt.date, minutes_per_day: float) -> int:
    """Exercise minute of real date ``day`` when ``first`` is minute 0 (never negative)."""
    if not minutes_per_day > 0:
        raise ClockError(f"minutes_per_day must be positive, not {minutes_per_day!r}")
    return max(0, round((day - first).days * minutes_per_day))
