"""Period codes (CBS StatLine and ISO 8601) and period arithmetic.

Worked examples: CBS table 70895ned (deaths per week) writes 30-31 December
2019 as ``2019W153`` (2 days) and 1-5 January 2020 as ``2020W101`` (5 days);
CBS's weekly mortality press releases of April 2020 date week 14 as
"30 maart tot en met 5 april".  ISO 8601: week 1 is the week with the year's first Thursday.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paraat_core.periods import (
    Frequency,
    Period,
    PeriodError,
    next_period,
    parse_period,
    period_containing,
    periods_between,
    previous_period,
    same_period_previous_year,
)

D = dt.date


@pytest.mark.parametrize(
    ("code", "start", "end", "frequency", "partial"),
    [
        ("2020JJ00", D(2020, 1, 1), D(2020, 12, 31), Frequency.YEAR, False),
        ("2020HJ01", D(2020, 1, 1), D(2020, 6, 30), Frequency.HALF_YEAR, False),
        ("2020HJ02", D(2020, 7, 1), D(2020, 12, 31), Frequency.HALF_YEAR, False),
        ("2020KW01", D(2020, 1, 1), D(2020, 3, 31), Frequency.QUARTER, False),
        ("2020KW04", D(2020, 10, 1), D(2020, 12, 31), Frequency.QUARTER, False),
        ("2020MM02", D(2020, 2, 1), D(2020, 2, 29), Frequency.MONTH, False),
        ("2021MM02", D(2021, 2, 1), D(2021, 2, 28), Frequency.MONTH, False),
        ("2020MM12", D(2020, 12, 1), D(2020, 12, 31), Frequency.MONTH, False),
        # CBS press releases, April 2020: "week 14 (30 maart tot en met 5 april)"
        ("2020W114", D(2020, 3, 30), D(2020, 4, 5), Frequency.WEEK, False),
        ("2020W113", D(2020, 3, 23), D(2020, 3, 29), Frequency.WEEK, False),
        # 70895ned: the ISO week of 30-12-2019 .. 5-1-2020 is split over two years
        ("2019W153", D(2019, 12, 30), D(2019, 12, 31), Frequency.WEEK, True),
        ("2020W101", D(2020, 1, 1), D(2020, 1, 5), Frequency.WEEK, True),
        # 2020 has 53 ISO weeks; ISO week 53 runs to Sunday 3-1-2021
        ("2020W153", D(2020, 12, 28), D(2020, 12, 31), Frequency.WEEK, True),
        ("2021X000", D(2021, 1, 1), D(2021, 1, 3), Frequency.WEEK, True),
        ("2021W101", D(2021, 1, 4), D(2021, 1, 10), Frequency.WEEK, False),
        ("2021W152", D(2021, 12, 27), D(2021, 12, 31), Frequency.WEEK, True),
        # 2018 starts on a Monday: no week 0, week 1 complete, 31-12-2018 alone in week 53
        ("2018W101", D(2018, 1, 1), D(2018, 1, 7), Frequency.WEEK, False),
        ("2018W153", D(2018, 12, 31), D(2018, 12, 31), Frequency.WEEK, True),
        # 2017 ends on a Sunday: week 52 is complete and the last one
        ("2017W152", D(2017, 12, 25), D(2017, 12, 31), Frequency.WEEK, False),
        ("2020-03-01", D(2020, 3, 1), D(2020, 3, 1), Frequency.DAY, False),
        ("2020-W14", D(2020, 3, 30), D(2020, 4, 5), Frequency.WEEK, False),
        ("2020-W01", D(2019, 12, 30), D(2020, 1, 5), Frequency.WEEK, False),
        ("2020-W53", D(2020, 12, 28), D(2021, 1, 3), Frequency.WEEK, False),
        ("2020-03", D(2020, 3, 1), D(2020, 3, 31), Frequency.MONTH, False),
        ("2020-Q2", D(2020, 4, 1), D(2020, 6, 30), Frequency.QUARTER, False),
        ("2020-H1", D(2020, 1, 1), D(2020, 6, 30), Frequency.HALF_YEAR, False),
        ("2020", D(2020, 1, 1), D(2020, 12, 31), Frequency.YEAR, False),
    ],
)
def test_parse_worked_examples(
    code: str, start: dt.date, end: dt.date, frequency: Frequency, partial: bool
) -> None:
    period = parse_period(code)
    assert (period.start, period.end, period.frequency, period.partial) == (
        start,
        end,
        frequency,
        partial,
    )
    assert period.code == code
    assert parse_period(f"  {code.lower()}\n") == period


def test_cbs_and_iso_codes_of_the_same_days_differ_only_in_code() -> None:
    cbs, iso = parse_period("2020MM04"), parse_period("2020-04")
    assert cbs != iso
    assert cbs.same_span(iso)
    assert cbs.is_cbs and not iso.is_cbs
    assert parse_period("2020W114").same_span(parse_period("2020-W14"))


@pytest.mark.parametrize(
    ("code", "nl", "en"),
    [
        ("2020MM04", "2020 april", "2020 April"),
        ("2020-04", "2020 april", "2020 April"),
        ("2020KW01", "2020 1e kwartaal", "2020 1st quarter"),
        ("2020-Q3", "2020 3e kwartaal", "2020 3rd quarter"),
        ("2020HJ02", "2020 2e halfjaar", "2020 2nd half"),
        ("2020W114", "2020 week 14", "2020 week 14"),
        ("2021X000", "2021 week 0 (deels)", "2021 week 0 (partial)"),
        ("2019W153", "2019 week 53 (deels)", "2019 week 53 (partial)"),
        ("2020-W01", "2020 week 1", "2020 week 1"),
        ("2020JJ00", "2020", "2020"),
        ("2020", "2020", "2020"),
        ("2020-03-01", "1 maart 2020", "1 March 2020"),
    ],
)
def test_labels(code: str, nl: str, en: str) -> None:
    period = parse_period(code)
    assert period.label() == nl
    assert period.label("nl") == nl
    assert period.label("en") == en
    assert period.label("en-GB") == en


def test_label_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="'de'"):
        parse_period("2020").label("de")


@pytest.mark.parametrize(
    "code",
    [
        "",
        "   ",
        "2020MM13",
        "2020MM00",
        "2020KW05",
        "2020KW00",
        "2020HJ03",
        "2020JJ01",
        "2020W154",
        "2019W154",
        "2020W100",
        "2020X000",  # 1-1-2020 is in ISO week 1: no week 0
        "2018X000",  # 1-1-2018 is a Monday
        "2020-W54",
        "2019-W53",
        "2020-W00",
        "2020-13",
        "2020-00",
        "2020-02-30",
        "2020-Q5",
        "2020-H3",
        "0000",
        "0000JJ00",
        "20200",
        "2020MM4",
        "2020-4",
        "2020W14",
        "april 2020",
        "２０２０",  # full-width digits
        "9999-W52",  # would end in the year 10000
    ],
)
def test_invalid_codes_raise_period_error_naming_the_code(code: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(code)
    assert repr(code) in str(info.value)


def test_non_string_raises_period_error() -> None:
    with pytest.raises(PeriodError):
        parse_period(2020)  # type: ignore[arg-type]


def test_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(PeriodError, match="X"):
        Period(D(2020, 1, 2), D(2020, 1, 1), Frequency.DAY, "X")


def test_period_containing_cbs_and_iso_weeks() -> None:
    assert period_containing(D(2021, 1, 2), Frequency.WEEK, cbs=True).code == "2021X000"
    assert period_containing(D(2021, 1, 2), Frequency.WEEK).code == "2020-W53"
    assert period_containing(D(2019, 12, 31), Frequency.WEEK, cbs=True).code == "2019W153"
    assert period_containing(D(2019, 12, 31), Frequency.WEEK).code == "2020-W01"
    assert period_containing(D(2020, 4, 5), Frequency.WEEK, cbs=True).code == "2020W114"
    assert period_containing(D(2020, 5, 17), Frequency.MONTH, cbs=True).code == "2020MM05"
    assert period_containing(D(2020, 5, 17), Frequency.QUARTER).code == "2020-Q2"
    assert period_containing(D(2020, 7, 1), Frequency.HALF_YEAR, cbs=True).code == "2020HJ02"
    assert period_containing(D(2020, 7, 1), Frequency.YEAR).code == "2020"
    assert period_containing(D(2020, 7, 1), Frequency.DAY, cbs=True).code == "2020-07-01"
    assert period_containing(D(2020, 7, 1), "month").code == "2020-07"  # type: ignore[arg-type]


def test_next_and_previous_across_the_year_boundary() -> None:
    codes = ["2019W152", "2019W153", "2020W101", "2020W102"]
    periods = [parse_period(c) for c in codes]
    for before, after in itertools.pairwise(periods):
        assert next_period(before) == after
        assert previous_period(after) == before
    assert next_period(parse_period("2020W153")).code == "2021X000"
    assert next_period(parse_period("2021X000")).code == "2021W101"
    assert next_period(parse_period("2020-W53")).code == "2021-W01"
    assert next_period(parse_period("2020KW04")).code == "2021KW01"
    assert previous_period(parse_period("2020-H1")).code == "2019-H2"
    assert next_period(parse_period("2020-02-28")).code == "2020-02-29"


def test_arithmetic_at_the_edges_of_the_calendar() -> None:
    with pytest.raises(PeriodError, match="9999"):
        next_period(parse_period("9999"))
    with pytest.raises(PeriodError, match="0001"):
        previous_period(parse_period("0001-01"))
    with pytest.raises(PeriodError, match="0001"):
        same_period_previous_year(parse_period("0001KW01"))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2020-04", "2019-04"),
        ("2020MM04", "2019MM04"),
        ("2020KW02", "2019KW02"),
        ("2020-H2", "2019-H2"),
        ("2020JJ00", "2019JJ00"),
        ("2020W114", "2019W114"),
        ("2020-W14", "2019-W14"),
        ("2020-03-01", "2019-03-01"),
        ("2024-02-29", "2023-02-28"),
        ("2020W153", "2019W153"),  # 2019 has a (2-day) week 53 too
        ("2021-W52", "2020-W52"),
        ("2020-W53", "2019-W52"),  # ISO 2019 has 52 weeks: nearest week
        ("2024W153", "2023W152"),  # CBS 2023 ends with week 52
        ("2021X000", "2020W101"),  # 2020 has no week 0: first days of January
        ("2022X000", "2021X000"),
    ],
)
def test_same_period_previous_year(code: str, expected: str) -> None:
    assert same_period_previous_year(parse_period(code)).code == expected


def test_periods_between() -> None:
    first, last = parse_period("2019W151"), parse_period("2020W102")
    assert [p.code for p in periods_between(first, last)] == [
        "2019W151",
        "2019W152",
        "2019W153",
        "2020W101",
        "2020W102",
    ]
    assert periods_between(last, first) == []
    assert periods_between(first, first) == [first]
    assert len(periods_between(parse_period("2020-01-01"), parse_period("2020-12-31"))) == 366
    with pytest.raises(PeriodError, match="2020-Q1"):
        periods_between(parse_period("2020-Q1"), parse_period("2020-05"))


def test_weeks_of_a_cbs_year_partition_the_year() -> None:
    for year in range(1995, 2031):
        weeks = periods_between(
            period_containing(D(year, 1, 1), Frequency.WEEK, cbs=True),
            period_containing(D(year, 12, 31), Frequency.WEEK, cbs=True),
        )
        assert weeks[0].start == D(year, 1, 1)
        assert weeks[-1].end == D(year, 12, 31)
        assert sum(w.days for w in weeks) == (D(year, 12, 31) - D(year, 1, 1)).days + 1
        assert all(w.days == 7 or w.partial for w in weeks)
        assert weeks[-1].code[-2:] in ("52", "53")


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------

days = st.dates(min_value=D(1800, 1, 1), max_value=D(2200, 12, 31))
frequencies = st.sampled_from(list(Frequency))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    return period_containing(draw(days), draw(frequencies), cbs=draw(st.booleans()))


@settings(max_examples=400)
@given(periods())
def test_round_trip(period: Period) -> None:
    assert parse_period(period.code) == period
    assert parse_period(f" {period.code.lower()} ") == period
    assert period.label("nl") and period.label("en")


@settings(max_examples=300)
@given(days, frequencies, st.booleans())
def test_period_containing_contains_the_day(day: dt.date, freq: Frequency, cbs: bool) -> None:
    period = period_containing(day, freq, cbs=cbs)
    assert period.start <= day <= period.end
    assert period.frequency is freq
    if freq is Frequency.WEEK and not cbs:
        assert period.days == 7 and period.start.isoweekday() == 1
    if freq is Frequency.WEEK and cbs:
        assert period.start.year == period.end.year == day.year
        assert period.partial == (period.days != 7)


@settings(max_examples=300)
@given(periods())
def test_next_and_previous_are_inverse_and_contiguous(period: Period) -> None:
    following = next_period(period)
    assert following.start == period.end + dt.timedelta(days=1)
    assert previous_period(following) == period
    assert next_period(previous_period(period)) == period
    assert following.is_cbs == period.is_cbs or period.frequency is Frequency.DAY


@settings(max_examples=300)
@given(periods())
def test_same_period_previous_year_is_about_a_year_back(period: Period) -> None:
    before = same_period_previous_year(period)
    assert before.frequency is period.frequency
    assert before.is_cbs == period.is_cbs or period.frequency is Frequency.DAY
    assert 358 <= (period.start - before.start).days <= 373


@settings(max_examples=1000)
@given(st.text(max_size=20))
def test_fuzz_only_period_error(text: str) -> None:
    try:
        period = parse_period(text)
    except PeriodError as exc:
        assert repr(text) in str(exc)
    else:
        assert parse_period(period.code) == period


@settings(max_examples=1000)
@given(
    st.from_regex(
        r"\A[0-9]{4}(JJ[0-9]{2}|HJ[0-9]{2}|KW[0-9]{2}|MM[0-9]{2}|W[0-9]{3}|X[0-9]{3}"
        r"|-[0-9]{2}|-[0-9]{2}-[0-9]{2}|-W[0-9]{2}|-Q[0-9]|-H[0-9])?\Z"
    )
)
def test_fuzz_code_shaped_text(text: str) -> None:
    try:
        period = parse_period(text)
    except PeriodError as exc:
        assert repr(text) in str(exc)
    else:
        assert period.code == text
        assert parse_period(period.code) == period
