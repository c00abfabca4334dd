"""Reporting periods: parsing CBS StatLine and ISO 8601 period codes, and period arithmetic.

A :class:`Period` is a closed range of calendar days ``[start, end]`` with a
:class:`Frequency` and a canonical ``code``.  Two code systems are understood:

**CBS StatLine** (Statistics Netherlands, the ``Perioden`` dimension of every
StatLine table), eight characters, year first:

==============  ==========================================  ===================
code            meaning                                     label (nl)
==============  ==========================================  ===================
``2020JJ00``    year                                        ``2020``
``2020HJ01``    first half-year (``HJ02``: second)          ``2020 1e halfjaar``
``2020KW02``    second quarter (``KW01`` .. ``KW04``)       ``2020 2e kwartaal``
``2020MM04``    April (``MM01`` .. ``MM12``)                ``2020 april``
``2020W114``    week 14: ``W1`` + two-digit week number     ``2020 week 14``
``2021X000``    week 0: 1-3 January 2021                    ``2021 week 0 (deels)``
==============  ==========================================  ===================

CBS weeks (table 70895ned, deaths per week, and all weekly StatLine tables) are
ISO 8601 weeks *clipped to the calendar year*.  Let ``m1`` be the Monday of ISO
week 1 of year ``Y`` (between 29 December of ``Y-1`` and 4 January of ``Y``).
CBS week ``n >= 1`` of ``Y`` is::

    [max(m1 + 7(n-1), 1 January Y),  min(m1 + 7(n-1) + 6, 31 December Y)]

and week 0 is ``[1 January Y, m1 - 1]`` when ``m1`` falls after 1 January (so
only in years starting on a Friday, Saturday or Sunday).  The last week runs up
to 31 December, so the days of late December that ISO 8601 counts as week 1 of
the next year stay in year ``Y``: ``2019W153`` is 30-31 December 2019 (two
days) and ``2020W101`` is 1-5 January 2020 (five days).  A week that is clipped
is *partial* (``Period.partial``); all other weeks run Monday to Sunday.

**ISO 8601 and other sources**: ``2020-03-01`` (day), ``2020-W14`` (ISO week,
*not* clipped: ``2020-W01`` is 30 December 2019 - 5 January 2020), ``2020-03``
(month), ``2020-Q2`` (quarter), ``2020-H1`` (half-year), ``2020`` (year).

Parsing ignores surrounding white space and letter case; the canonical code of
a parsed period is the CBS code for CBS input and the ISO form otherwise, so
``parse_period(p.code) == p`` always holds.  Arithmetic (:func:`next_period`,
:func:`previous_period`, :func:`same_period_previous_year`,
:func:`periods_between`) stays within the code system of its argument.

Sources: CBS StatLine open data (OData ``Perioden`` keys, e.g. table 70895ned
"Overledenen; geslacht en leeftijd, per week"); ISO 8601-1:2019 (week dates,
week 1 is the week containing the year's first Thursday).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

__all__ = [
    "Frequency",
    "Period",
    "PeriodError",
    "next_period",
    "parse_period",
    "period_containing",
    "periods_between",
    "previous_period",
    "same_period_previous_year",
]

_ONE_DAY: Final = dt.timedelta(days=1)


class Frequency(StrEnum):
    """How often a series has a value; the values are stable identifiers."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


class PeriodError(ValueError):
    """A period code that cannot be parsed, or arithmetic beyond years 1-9999."""


_MONTHS_NL: Final = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTHS_EN: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ORDINAL_EN: Final = ("1st", "2nd", "3rd", "4th")


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A closed range of days with a frequency and a canonical code.

    Periods sort by ``start`` (then ``end``).  ``partial`` is true only for a
    CBS week clipped to the calendar year (week 0 and some first/last weeks).
    Two periods are equal only when their code is equal too: ``2020MM04`` and
    ``2020-04`` cover the same days but come from different sources; use
    :meth:`same_span` to compare the days only.
    """

    start: dt.date
    end: dt.date
    frequency: Frequency
    code: str
    partial: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"{self.code}: period ends ({self.end}) before it starts ({self.start})"
            )

    @property
    def days(self) -> int:
        """Number of days in the period (1-7 for a CBS week, 7 for an ISO week)."""
        return (self.end - self.start).days + 1

    @property
    def is_cbs(self) -> bool:
        """True when the code is a CBS StatLine code (``2020MM04``), false for ISO forms."""
        return len(self.code) == 8 and "-" not in self.code

    def same_span(self, other: Period) -> bool:
        """True when both periods have the same frequency and cover the same days."""
        return (self.frequency, self.start, self.end) == (other.frequency, other.start, other.end)

    def label(self, language: str = "nl") -> str:
        """Human label as CBS StatLine writes it: ``2020 april``, ``2020 1e kwartaal``, ...

        English (``language="en"``): ``2020 April``, ``2020 1st quarter``,
        ``2020 1st half``, ``2020 week 14``, ``2021 week 0 (partial)``, ``2020``.
        Days: ``1 maart 2020`` / ``1 March 2020``.
        """
        english = _language_is_english(language)
        year, index = _year_and_index(self)
        freq = self.frequency
        if freq is Frequency.YEAR:
            return f"{year:04d}"
        if freq is Frequency.DAY:
            months = _MONTHS_EN if english else _MONTHS_NL
            return f"{self.start.day} {months[self.start.month - 1]} {self.start.year:04d}"
        if freq is Frequency.MONTH:
            months = _MONTHS_EN if english else _MONTHS_NL
            return f"{year:04d} {months[index - 1]}"
        if freq is Frequency.QUARTER:
            if english:
                return f"{year:04d} {_ORDINAL_EN[index - 1]} quarter"
            return f"{year:04d} {index}e kwartaal"
        if freq is Frequency.HALF_YEAR:
            if english:
                return f"{year:04d} {_ORDINAL_EN[index - 1]} half"
            return f"{year:04d} {index}e halfjaar"
        text = f"{year:04d} week {index}"
        if self.partial:
            text += " (partial)" if english else " (deels)"
        return text


def _language_is_english(language: str) -> bool:
    lang = language.strip().lower().replace("_", "-").split("-", 1)[0]
    if lang not in ("nl", "en"):
        raise ValueError(f"unsupported language {language!r}: use 'nl' or 'en'")
    return lang == "en"


# --------------------------------------------------------------------------------------------
# Building periods from (system, year, index)
# --------------------------------------------------------------------------------------------


def _iso_week1_monday(year: int) -> dt.date:
    """Monday of ISO week 1 of ``year`` (the week with the year's first Thursday)."""
    jan4 = dt.date(year, 1, 4)
    return jan4 - dt.timedelta(days=jan4.isoweekday() - 1)


def _cbs_last_week(year: int) -> int:
    """Number of the CBS week containing 31 December of ``year`` (52 or 53)."""
    m1 = _iso_week1_monday(year)
    return (dt.date(year, 12, 31) - m1).days // 7 + 1


def _cbs_has_week0(year: int) -> bool:
    return _iso_week1_monday(year) > dt.date(year, 1, 1)


def _iso_weeks_in_year(year: int) -> int:
    return dt.date(year, 12, 28).isocalendar()[1]


def _month_range(year: int, first_month: int, months: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, first_month, 1)
    last_month = first_month + months - 1
    if last_month == 12:
        return start, dt.date(year, 12, 31)
    return start, dt.date(year, last_month + 1, 1) - _ONE_DAY


def _day(day: dt.date) -> Period:
    return Period(day, day, Frequency.DAY, day.isoformat())


def _build(frequency: Frequency, year: int, index: int, cbs: bool) -> Period:
    """The period ``index`` (1-based; CBS week 0 allowed) of ``year``; raises on bad input.

    For ISO weeks ``year`` is the ISO week-numbering year.  Raises ValueError or
    OverflowError for impossible combinations (the callers turn these into
    PeriodError naming the code).
    """
    y = f"{year:04d}"
    if frequency is Frequency.YEAR:
        if index != 1:
            raise ValueError("year index must be 1")
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return Period(start, end, frequency, f"{y}JJ00" if cbs else y)
    if frequency is Frequency.HALF_YEAR:
        if not 1 <= index <= 2:
            raise ValueError("half-year must be 1 or 2")
        start, end = _month_range(year, 6 * index - 5, 6)
        return Period(start, end, frequency, f"{y}HJ0{index}" if cbs else f"{y}-H{index}")
    if frequency is Frequency.QUARTER:
        if not 1 <= index <= 4:
            raise ValueError("quarter must be 1 to 4")
        start, end = _month_range(year, 3 * index - 2, 3)
        return Period(start, end, frequency, f"{y}KW0{index}" if cbs else f"{y}-Q{index}")
    if frequency is Frequency.MONTH:
        if not 1 <= index <= 12:
            raise ValueError("month must be 1 to 12")
        start, end = _month_range(year, index, 1)
        return Period(start, end, frequency, f"{y}MM{index:02d}" if cbs else f"{y}-{index:02d}")
    if frequency is Frequency.WEEK:
        if cbs:
            return _cbs_week(year, index)
        if not 1 <= index <= _iso_weeks_in_year(year):
            raise ValueError(f"ISO year {y} has weeks 1 to {_iso_weeks_in_year(year)}")
        start = dt.date.fromisocalendar(year, index, 1)
        return Period(start, start + dt.timedelta(days=6), frequency, f"{y}-W{index:02d}")
    raise ValueError(f"frequency {frequency} has no numbered periods")


def _cbs_week(year: int, week: int) -> Period:
    y = f"{year:04d}"
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    m1 = _iso_week1_monday(year)
    if week == 0:
        if not _cbs_has_week0(year):
            raise ValueError(f"{y} has no week 0 (ISO week 1 starts on {m1.isoformat()})")
        return Period(jan1, m1 - _ONE_DAY, Frequency.WEEK, f"{y}X000", partial=True)
    last = _cbs_last_week(year)
    if not 1 <= week <= last:
        raise ValueError(f"{y} has CBS weeks 0/1 to {last}")
    monday = m1 + dt.timedelta(days=7 * (week - 1))
    start = max(monday, jan1)
    if week == last:
        end = dec31
        partial = start != monday or (dec31 - monday).days != 6
    else:
        end = monday + dt.timedelta(days=6)
        partial = start != monday
    return Period(start, end, Frequency.WEEK, f"{y}W1{week:02d}", partial=partial)


def _year_and_index(period: Period) -> tuple[int, int]:
    """(year, index) of a period built by this module, read from its code."""
    code = period.code
    freq = period.frequency
    if freq is Frequency.DAY:
        return period.start.year, period.start.timetuple().tm_yday
    year = int(code[:4])
    if freq is Frequency.YEAR:
        return year, 1
    if period.is_cbs:
        return year, int(code[-2:])
    # ISO forms: 2020-H1, 2020-Q2, 2020-03, 2020-W14
    tail = code[5:]
    return year, int(tail[1:] if tail[:1].isalpha() else tail)


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------

_CBS_RE: Final = re.compile(
    r"(?P<year>[0-9]{4})(?:(?P<jj>JJ00)|HJ(?P<hj>[0-9]{2})|KW(?P<kw>[0-9]{2})"
    r"|MM(?P<mm>[0-9]{2})|W1(?P<w>[0-9]{2})|(?P<x>X000))"
)
_ISO_RE: Final = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?:(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?"
    r"|W(?P<week>[0-9]{2})|Q(?P<quarter>[0-9])|H(?P<half>[0-9])))?"
)


def parse_period(code: str) -> Period:
    """Parse a CBS StatLine or ISO 8601 period code (see the module docstring).

    >>> parse_period("2020W114").start, parse_period("2020W114").end
    (datetime.date(2020, 3, 30), datetime.date(2020, 4, 5))
    >>> parse_period("2020-Q2").label()
    '2020 2e kwartaal'

    Raises :class:`PeriodError` naming the code for anything else (month 13,
    week 54, ``2020KW05``, an empty string, a week 0 in a year without one, ...).
    """
    if not isinstance(code, str):
        raise PeriodError(f"period code must be a string, got {type(code).__name__}")
    text = code.strip().upper()
    if not text:
        raise PeriodError(f"{code!r}: empty period code")
    try:
        period = _parse(text)
    except (ValueError, OverflowError) as exc:
        raise PeriodError(f"{code!r}: not a valid period code ({exc})") from None
    if period is None:
        raise PeriodError(
            f"{code!r}: not a period code (expected e.g. 2020MM04, 2020KW02, 2020W114, "
            "2020JJ00, 2020-04, 2020-Q2, 2020-W14, 2020-04-01 or 2020)"
        )
    return period


def _parse(text: str) -> Period | None:
    match = _CBS_RE.fullmatch(text)
    if match is not None:
        year = _year(match["year"])
        if match["jj"]:
            return _build(Frequency.YEAR, year, 1, cbs=True)
        if match["x"]:
            return _build(Frequency.WEEK, year, 0, cbs=True)
        for group, freq in (
            ("hj", Frequency.HALF_YEAR),
            ("kw", Frequency.QUARTER),
            ("mm", Frequency.MONTH),
        ):
            if match[group]:
                return _build(freq, year, int(match[group]), cbs=True)
        week = int(match["w"])
        if week == 0:
            raise ValueError("CBS writes week 0 as X000")
        return _build(Frequency.WEEK, year, week, cbs=True)
    match = _ISO_RE.fullmatch(text)
    if match is None:
        return None
    year = _year(match["year"])
    if match["day"]:
        return _day(dt.date(year, int(match["month"]), int(match["day"])))
    if match["month"]:
        return _build(Frequency.MONTH, year, int(match["month"]), cbs=False)
    if match["week"]:
        return _build(Frequency.WEEK, year, int(match["week"]), cbs=False)
    if match["quarter"]:
        return _build(Frequency.QUARTER, year, int(match["quarter"]), cbs=False)
    if match["half"]:
        return _build(Frequency.HALF_YEAR, year, int(match["half"]), cbs=False)
    return _build(Frequency.YEAR, year, 1, cbs=False)


def _year(text: str) -> int:
    year = int(text)
    if year < 1:
        raise ValueError("year 0000 does not exist")
    return year


# --------------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------------


def period_containing(day: dt.date, frequency: Frequency, *, cbs: bool = False) -> Period:
    """The period of ``frequency`` that contains ``day``.

    ``cbs=True`` gives CBS codes (``2020MM04``) and CBS weeks (clipped to the
    calendar year, week 0 for early January); the default gives ISO forms and
    ISO weeks.  Days have only the ISO form (``2020-04-01``) in both systems.

    >>> period_containing(dt.date(2021, 1, 2), Frequency.WEEK, cbs=True).code
    '2021X000'
    >>> period_containing(dt.date(2021, 1, 2), Frequency.WEEK).code
    '2020-W53'
    """
    frequency = Frequency(frequency)
    try:
        if frequency is Frequency.DAY:
            return _day(day)
        if frequency is Frequency.WEEK:
            if cbs:
                m1 = _iso_week1_monday(day.year)
                week = 0 if day < m1 else (day - m1).days // 7 + 1
                return _cbs_week(day.year, week)
            iso = day.isocalendar()
            return _build(Frequency.WEEK, iso[0], iso[1], cbs=False)
        index = {
            Frequency.MONTH: day.month,
            Frequency.QUARTER: (day.month + 2) // 3,
            Frequency.HALF_YEAR: (day.month + 5) // 6,
            Frequency.YEAR: 1,
        }[frequency]
        return _build(frequency, day.year, index, cbs=cbs)
    except (ValueError, OverflowError) as exc:
        raise PeriodError(f"{day.isoformat()}: no {frequency} period ({exc})") from None


def next_period(period: Period) -> Period:
    """The period that follows ``period`` (same frequency and code system).

    >>> next_period(parse_period("2019W152")).code, next_period(parse_period("2019W153")).code
    ('2019W153', '2020W101')
    """
    try:
        following = period.end + _ONE_DAY
    except OverflowError:
        raise PeriodError(f"{period.code}: no period after the year 9999") from None
    return period_containing(following, period.frequency, cbs=period.is_cbs)


def previous_period(period: Period) -> Period:
    """The period that precedes ``period`` (same frequency and code system)."""
    try:
        preceding = period.start - _ONE_DAY
    except OverflowError:
        raise PeriodError(f"{period.code}: no period before the year 1") from None
    return period_containing(preceding, period.frequency, cbs=period.is_cbs)


def same_period_previous_year(period: Period) -> Period:
    """The same period one year earlier: ``2020-04`` -> ``2019-04``, ``2020W114`` -> ``2019W114``.

    Weeks keep their number (ISO weeks within the ISO year, CBS weeks within the
    calendar year).  When the previous year has no such week, the nearest
    existing week is used: week 53 -> the last week (52) of the previous year;
    CBS week 0 -> week 1 of the previous year (the first days of January).
    29 February -> 28 February.
    """
    year, index = _year_and_index(period)
    if year <= 1:
        raise PeriodError(f"{period.code}: no period before the year 1")
    prev = year - 1
    freq = period.frequency
    if freq is Frequency.DAY:
        day = period.start
        if day.month == 2 and day.day == 29:
            return _day(dt.date(prev, 2, 28))
        return _day(day.replace(year=prev))
    if freq is Frequency.WEEK:
        if period.is_cbs:
            if index == 0 and not _cbs_has_week0(prev):
                index = 1
            index = min(index, _cbs_last_week(prev))
            return _cbs_week(prev, index)
        return _build(freq, prev, min(index, _iso_weeks_in_year(prev)), cbs=False)
    return _build(freq, prev, index, cbs=period.is_cbs)


def periods_between(first: Period, last: Period) -> list[Period]:
    """All periods from ``first`` to ``last`` inclusive (same frequency; empty when last < first).

    The periods follow the code system of ``first``.
    """
    if first.frequency is not last.frequency:
        raise PeriodError(
            f"{first.code} ({first.frequency}) and {last.code} ({last.frequency}) "
            "have different frequencies"
        )
    result: list[Period] = []
    current = first
    while current.start <= last.start:
        result.append(current)
        if current.end >= last.end:
            break
        current = next_period(current)
    return result
