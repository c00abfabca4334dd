"""Coverage of the network: does each discipline and group have enough current contacts?

The standby MIT must "track the expertise a future committee needs" (evaluation of the MIT,
seed 001 §5.1 and §6.3): for every discipline of the expert pool and the card index, and for
every population group the practice circles speak for, it needs people it can call who recently
confirmed they are available.  For one row (a discipline or a group) with contacts
``c_1 … c_n`` (distinct people), each with the date ``a_i`` on which their availability was last
confirmed (or none)::

    cutoff    = today − stale_months      (calendar months; the day is clamped to the month's
                                            last day, so 31 May − 3 months = 28/29 February)
    stale_i   = a_i is None  or  a_i < cutoff
    contacts  = n
    stale     = #{i : stale_i}
    current   = contacts − stale
    reasons   = ["too_few"]  if current < min_contacts
              + ["stale"]    if stale > 0
    flagged   = reasons ≠ []

A confirmation exactly on the cutoff date is still current.  "too_few" counts only current
contacts: two people nobody has heard from in years do not cover a discipline.

Dutch terms: dekking (coverage), actueel (current), verouderd (stale), te weinig contacten
(too few contacts).  See ``docs/methodology/network-coverage.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["STALE", "TOO_FEW", "Coverage", "coverage_of", "is_stale", "months_before"]

TOO_FEW: Final = "too_few"
STALE: Final = "stale"


@dataclass(frozen=True)
class Coverage:
    contacts: int
    stale: int
    current: int
    flagged: bool
    reasons: tuple[str, ...]


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` minus ``months`` calendar months, the day clamped to the target month's length."""
    if months < 0:
        raise ValueError("months must be >= 0")
    index = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(index, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def is_stale(confirmed_on: dt.date | None, *, today: dt.date, stale_months: int) -> bool:
    """Whether a contact confirmed on ``confirmed_on`` counts as stale on ``today``."""
    if confirmed_on is None:
        return True
    return confirmed_on < months_before(today, stale_months)


def coverage_of(
    confirmations: Sequence[dt.date | None],
    *,
    today: dt.date,
    min_contacts: int,
    stale_months: int,
) -> Coverage:
    """Coverage of one discipline or group, given each distinct contact's last confirmation."""
    if min_contacts < 0:
        raise ValueError("min_contacts must be >= 0")
    contacts = len(confirmations)
    stale = sum(1 for a in confirmations if is_stale(a, today=today, stale_months=stale_months))
    current = contacts - stale
    reasons: list[str] = []
    if current < min_contacts:
        reasons.append(TOO_FEW)
    if stale > 0:
        reasons.append(STALE)
    return Coverage(
        contacts=contacts,
        stale=stale,
        current=current,
        flagged=bool(reasons),
        reasons=tuple(reasons),
    )
