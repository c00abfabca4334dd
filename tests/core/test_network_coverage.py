"""Coverage of the network (docs/methodology/network-coverage.md).

Worked example (by hand, from the methodology page): on 15 March 2026 with
``min_contacts = 2`` and ``stale_months = 12`` the cutoff is 15 March 2025.

* discipline "gedrag" with three experts confirmed on 1 February 2026, 15 March 2025 (exactly
  on the cutoff: current) and 14 March 2025 (a day too early: stale): contacts 3, stale 1,
  current 2 → flagged for "stale" only;
* discipline "recht" with one expert confirmed on 1 January 2026: contacts 1, stale 0,
  current 1 < 2 → flagged "too_few";
* discipline "sport" with two experts, one never confirmed: contacts 2, stale 1, current 1 →
  flagged "too_few" and "stale";
* discipline "zorg" with two experts confirmed in 2026: not flagged.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.network_coverage import (
    STALE,
    TOO_FEW,
    coverage_of,
    is_stale,
    months_before,
)

D = dt.date
TODAY = D(2026, 3, 15)


def cov(*dates: dt.date | None) -> tuple[int, int, int, bool, tuple[str, ...]]:
    c = coverage_of(list(dates), today=TODAY, min_contacts=2, stale_months=12)
    return c.contacts, c.stale, c.current, c.flagged, c.reasons


def test_worked_example() -> None:
    assert cov(D(2026, 2, 1), D(2025, 3, 15), D(2025, 3, 14)) == (3, 1, 2, True, (STALE,))
    assert cov(D(2026, 1, 1)) == (1, 0, 1, True, (TOO_FEW,))
    assert cov(D(2026, 1, 1), None) == (2, 1, 1, True, (TOO_FEW, STALE))
    assert cov(D(2026, 1, 1), D(2026, 3, 1)) == (2, 0, 2, False, ())
    assert cov() == (0, 0, 0, True, (TOO_FEW,))


def test_months_before_clamps_the_day() -> None:
    assert months_before(D(2026, 5, 31), 3) == D(2026, 2, 28)
    assert months_before(D(2024, 5, 31), 3) == D(2024, 2, 29)
    assert months_before(D(2026, 1, 15), 1) == D(2025, 12, 15)
    assert months_before(D(2026, 3, 15), 12) == D(2025, 3, 15)
    assert months_before(D(2026, 3, 15), 0) == D(2026, 3, 15)
    assert months_before(D(1, 1, 1), 1) == dt.date.min
    with pytest.raises(ValueError):
        months_before(TODAY, -1)
    with pytest.raises(ValueError):
        coverage_of([], today=TODAY, min_contacts=-1, stale_months=12)


def test_never_confirmed_is_stale() -> None:
    assert is_stale(None, today=TODAY, stale_months=12)
    assert not is_stale(TODAY, today=TODAY, stale_months=0)
    assert is_stale(TODAY - dt.timedelta(days=1), today=TODAY, stale_months=0)


dates = st.one_of(st.none(), st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)))


@given(
    st.lists(dates, max_size=20),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)),
    st.integers(0, 10),
    st.integers(0, 60),
)
def test_properties(
    confirmations: list[dt.date | None], today: dt.date, minimum: int, months: int
) -> None:
    c = coverage_of(confirmations, today=today, min_contacts=minimum, stale_months=months)
    assert c.contacts == len(confirmations)
    assert 0 <= c.stale <= c.contacts
    assert c.current == c.contacts - c.stale
    assert (TOO_FEW in c.reasons) == (c.current < minimum)
    assert (STALE in c.reasons) == (c.stale > 0)
    assert c.flagged == bool(c.reasons)
    # Confirming everyone today never makes coverage worse.
    fresh = coverage_of(
        [today] * len(confirmations), today=today, min_contacts=minimum, stale_months=months
    )
    assert fresh.stale == 0 and fresh.current >= c.current


@given(st.dates(min_value=D(2, 1, 1)), st.integers(0, 240))
def test_months_before_properties(day: dt.date, months: int) -> None:
    before = months_before(day, months)
    assert before <= day
    assert before.day <= day.day
    # More months back is never later.
    assert months_before(day, months + 1) <= before
