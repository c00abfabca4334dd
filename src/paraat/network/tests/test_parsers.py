"""Query-parameter parsers of the network pages and API: never raise, only plausible values."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from paraat.network.forms import DATE_MAX, DATE_MIN, parse_date, parse_pk


def test_parse_date_examples() -> None:
    assert parse_date("2026-03-15") == dt.date(2026, 3, 15)
    assert parse_date(" 15-03-2026 ") == dt.date(2026, 3, 15)
    for bad in (
        "",
        "2026-02-30",
        "1900-01-01",
        "9999-12-31",
        "gisteren",
        None,
        20260315,
        "2026-3-15x",
    ):
        assert parse_date(bad) is None, bad


def test_parse_pk_examples() -> None:
    assert parse_pk("12") == 12
    for bad in ("0", "-1", "1.5", "١٢", "²", "", None, "9" * 13, " 1"):
        assert parse_pk(bad) is None, bad


@given(st.text(max_size=40))
def test_parse_date_never_raises(text: str) -> None:
    day = parse_date(text)
    assert day is None or DATE_MIN <= day <= DATE_MAX


@given(st.dates(min_value=DATE_MIN, max_value=DATE_MAX))
def test_parse_date_round_trips(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d-%m-%Y")) == day


@given(st.text(max_size=20))
def test_parse_pk_never_raises(text: str) -> None:
    pk = parse_pk(text)
    assert pk is None or (pk > 0 and str(pk) == text.lstrip("0"))


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_parse_pk_round_trips(number: int) -> None:
    assert parse_pk(str(number)) == number
