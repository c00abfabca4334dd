"""Where the hours went: time spent per phase of a process, and the deadline countdown.

A process (an advice request) moves through phases; each change is recorded with its
moment.  ``phase_durations`` turns that append-only history into the hours spent in
each phase (a phase visited twice — a second feedback round — adds up), and
``countdown`` tells how far a deadline is.  Used for the advice timeline, the yearly
report and the evaluation (``docs/methodology/process-timeline.md``).

Worked example (illustrative times for an urgent request received on a Tuesday morning,
as in the methodology page): received Tue 3 Jan 09:00, input requested 10:00,
draft 4 Jan 09:00, decision 4 Jan 15:00, sent 5 Jan 09:00 → received 1 h, input
requested 23 h, draft 6 h, decision 18 h; 48 h in all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

HOUR: Final = dt.timedelta(hours=1)


class PhaseError(ValueError):
    """A history the durations cannot be computed from."""


@dataclass(frozen=True)
class Phase:
    phase: str
    start: dt.datetime
    end: dt.datetime | None
    """``None`` while the phase is current."""
    hours: float


def _aware(moment: dt.datetime, what: str) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
        raise PhaseError(f"{what} must be a timezone-aware datetime, not {moment!r}")
    # In UTC, so that spans across a daylight-saving change count real hours.
    return moment.astimezone(dt.UTC)


def phases(history: Sequence[tuple[str, dt.datetime]], *, now: dt.datetime) -> list[Phase]:
    """Each stay in a phase, in order: from its change to the next change (or ``now``)."""
    now = _aware(now, "now")
    result: list[Phase] = []
    for index, (phase, start) in enumerate(history):
        start = _aware(start, f"history[{index}]")
        if result and start < result[-1].start:
            raise PhaseError(f"history[{index}] ({phase}) lies before the change before it")
        end: dt.datetime | None = None
        span = max(now - start, dt.timedelta(0))
        if index + 1 < len(history):
            following = _aware(history[index + 1][1], f"history[{index + 1}]")
            end, span = following, following - start
        result.append(Phase(phase=phase, start=start, end=end, hours=span / HOUR))
    return result


def phase_durations(
    history: Sequence[tuple[str, dt.datetime]], *, now: dt.datetime, until: str | None = None
) -> dict[str, float]:
    """Hours per phase, in order of first visit.  With ``until``, the clock stops when that
    phase is first reached (e.g. the 48 hours run from receipt to dispatch)."""
    totals: dict[str, float] = {}
    for stay in phases(history, now=now):
        if until is not None and stay.phase == until:
            break
        totals[stay.phase] = totals.get(stay.phase, 0.0) + stay.hours
    return totals


@dataclass(frozen=True)
class Countdown:
    hours_left: float
    """Negative once the deadline has passed."""
    overdue: bool
    warning: bool
    """Less than ``warn_hours`` left (and not overdue)."""


def countdown(*, deadline: dt.datetime, now: dt.datetime, warn_hours: float = 12.0) -> Countdown:
    left = (_aware(deadline, "deadline") - _aware(now, "now")) / HOUR
    return Countdown(hours_left=left, overdue=left < 0, warning=0 <= left < float(warn_hours))
