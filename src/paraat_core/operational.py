"""Time to operational: how long a newly established committee took to be able to work.

The clock starts at the minister's decision to establish the committee and stops when the
last item of the operational checklist (housing, IT accounts, secure mail, the first meeting
planned, ...) is done.  ``time_to_operational`` gives the hours in all, the hours from the
decision to each item, and whether the checklist is complete (``docs/methodology/
time-to-operational.md``).

Worked example (the methodology page; illustrative times): decision Monday 6 January 2025
10:00 (Europe/Amsterdam); housing done Tue 7 Jan 10:00 (24 h), IT accounts Tue 7 Jan 16:00
(30 h), secure mail Wed 8 Jan 10:00 (48 h), first meeting planned Mon 6 Jan 15:30 (5.5 h) →
operational Wed 8 Jan 10:00, 48 hours after the decision.  While an item is open the clock
runs: ``elapsed_hours`` counts up to ``now`` and ``hours`` stays ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

HOUR: Final = dt.timedelta(hours=1)


class OperationalError(ValueError):
    """Moments the time to operational cannot be computed from."""


@dataclass(frozen=True)
class ItemTime:
    key: str
    done_at: dt.datetime | None
    hours: float | None
    """Hours from the decision to this item's completion; ``None`` while open."""


@dataclass(frozen=True)
class Operational:
    decided_at: dt.datetime
    items: tuple[ItemTime, ...]
    done: int
    total: int
    operational_at: dt.datetime | None
    """The moment the last item was done; ``None`` while any item is open (or none exist)."""
    hours: float | None
    """Hours from the decision to ``operational_at``; ``None`` while not operational."""
    elapsed_hours: float
    """Hours from the decision to ``operational_at`` or, while open, to ``now``."""

    @property
    def complete(self) -> bool:
        return self.operational_at is not None


def _aware(moment: dt.datetime, what: str) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
        raise OperationalError(f"{what} must be a timezone-aware datetime, not {moment!r}")
    # In UTC, so that spans across a daylight-saving change count real hours.
    return moment.astimezone(dt.UTC)


def _hours(span: dt.timedelta) -> float:
    return span / HOUR


def time_to_operational(
    decided_at: dt.datetime,
    items: Sequence[tuple[str, dt.datetime | None]],
    *,
    now: dt.datetime,
) -> Operational:
    """The time to operational from ``decided_at`` and the checklist ``items`` as
    ``(key, done_at or None)``.  An item done before the decision (prepared in standby)
    counts 0 hours: the committee cannot be operational before it exists."""
    start = _aware(decided_at, "decided_at")
    now = _aware(now, "now")
    rows: list[ItemTime] = []
    last: dt.datetime | None = None
    done = 0
    for index, (key, done_at) in enumerate(items):
        if done_at is None:
            rows.append(ItemTime(key=key, done_at=None, hours=None))
            continue
        moment = max(_aware(done_at, f"items[{index}]"), start)
        done += 1
        last = moment if last is None or moment > last else last
        rows.append(ItemTime(key=key, done_at=moment, hours=_hours(moment - start)))
    total = len(rows)
    operational_at = last if total and done == total else None
    hours = _hours(operational_at - start) if operational_at is not None else None
    elapsed = hours if hours is not None else max(_hours(now - start), 0.0)
    return Operational(
        decided_at=start,
        items=tuple(rows),
        done=done,
        total=total,
        operational_at=operational_at,
        hours=hours,
        elapsed_hours=elapsed,
    )
