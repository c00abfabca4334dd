"""Read-side assembly of the public societal picture (maatschappelijk beeld).

Nothing here writes. The pages in ``views.py`` call :func:`dashboard`,
:func:`indicator_detail` and :func:`composite_detail` and render what they return.

What a tile shows, per indicator (headline series, figures known at the peildatum)
-------------------------------------------------------------------------------
* the latest period with a figure, its value and unit, and whether it is provisional
  (voorlopig: status ``provisional`` or ``revised_provisional``);
* the change since the previous period and since the same period a year earlier
  (``previous_period`` and ``same_period_previous_year`` of :mod:`paraat_core.periods`):
  ``absolute = v_t - v_ref`` and ``percent = 100 * (v_t - v_ref) / |v_ref|`` (none when
  ``v_ref = 0``); no comparison when the reference period has no figure;
* the medium-term trend (:func:`medium_term_trend`): the *direction of the values*
  (stijgend / dalend / stabiel), shown with an arrow and a word;
* separately, the *judgement* for wellbeing (beter / slechter / onveranderd / geen oordeel)
  from the direction and the indicator's polarity — a rise is "better" when higher is
  better and "worse" when higher is worse; indicators without a polarity get no judgement.
  This follows the CBS broad-wellbeing monitor (Monitor Brede Welvaart), which shows the
  direction of a trend apart from whether that direction is good or bad;
* freshness (:func:`paraat_core.freshness.freshness` with the indicator's frequency,
  publication lag, latest period and release calendar), fast/slow data, synthetic values;
* a sparkline of the last periods (:data:`SPARK_PERIODS`) with provisional periods shaded,
  and the latest value of each population group (breakdown ``group=<key>``).

Medium-term trend
-----------------
The formula is :func:`paraat_core.trend.trend` (methodology: docs/methodology/trend.md).
Ordinary least squares through the values of the last ``W`` periods (:data:`TREND_PERIODS`:
28 days, 13 weeks, 12 months, 8 quarters, 6 half-years, 8 years), ``x`` = the position of
the period in that window, so a missing period leaves a gap rather than shifting the line.
At least ``max(3, ceil(W / 2))`` values are needed, otherwise there is no trend.
With slope ``b`` and ``x_first``/``x_last`` the first/last position with a value, the change
along the line is ``Δ = b · (x_last - x_first)``. The residual standard deviation
``s = sqrt(Σ e² / (n - 2))`` (e: distance of each value to the line) measures how much the
series moves around its own trend. The trend is *stabiel* when ``|Δ| < 2 s`` (the change
along the line is within the series' own noise; for 8 to 12 equally spaced values this is
close to a two-sided t-test of the slope at the 5–10 % level), or when ``Δ`` is zero up to
rounding; otherwise *stijgend* (``Δ > 0``) or *dalend* (``Δ < 0``). Worked example: the
quarterly values 7.0, 7.2, 7.0, 7.2, 7.0, 7.2, 7.0, 7.2 give ``b = 0.4 / 42``,
``Δ = 0.067`` and ``s = 0.113``: stabiel (see ``tests/test_dashboard.py``).

Performance
-----------
The dashboard finds the latest headline period of every indicator with one correlated
subquery on the indicator list (it walks the series index backwards), then reads the recent
windows of all indicators, with the year-earlier periods of daily and weekly series, in one
query, and the latest group figures in one more. Period codes are parsed once.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from paraat.accounts.selectors import AnyUser
from paraat.indicators.models import (
    CompositeIndex,
    CompositeRun,
    Indicator,
    Observation,
    ObservationStatus,
    Polarity,
    ReleaseDate,
    Signal,
    Speed,
)
from paraat.indicators.selectors import (
    PROVISIONAL_STATUSES,
    RuleBacktest,
    SeriesPoint,
    composite_indices_visible,
    composite_latest_run,
    indicator_get,
    indicators_visible,
    masked_parts,
    series_as_of,
    signal_backtests,
    signals_visible,
    vintages_of,
)
from paraat.taxonomies.models import Domain
from paraat.taxonomies.selectors import group_list
from paraat.web.charts import ChartSeries, chart_payload
from paraat_core.freshness import Freshness, freshness
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
from paraat_core.trend import trend as core_trend

#: Periods in a tile's sparkline, per frequency.
SPARK_PERIODS: dict[str, int] = {
    "day": 28,
    "week": 26,
    "month": 24,
    "quarter": 16,
    "half_year": 12,
    "year": 12,
}
#: Periods of the medium-term trend, per frequency (see the module docstring).
TREND_PERIODS: dict[str, int] = {
    "day": 28,
    "week": 13,
    "month": 12,
    "quarter": 8,
    "half_year": 6,
    "year": 8,
}
#: The trend is "stable" when the change along the line is below this many residual SDs.
DEAD_BAND_SDS = 2.0
GROUP_PREFIX = "group="
SIGNALS_ON_DASHBOARD = 8
REVISION_PERIODS = 6
REVISION_VINTAGES = 6
MAX_BREAKDOWNS = 40

_parse = functools.lru_cache(maxsize=16384)(parse_period)


def _language() -> str:
    return "en" if (get_language() or "nl").lower().startswith("en") else "nl"


def _separator() -> str:
    return str(formats.get_format("DECIMAL_SEPARATOR", use_l10n=True))


def _number(value: float | None, decimals: int, separator: str | None = None) -> str:
    """``value`` with ``decimals`` decimals and the interface language's decimal separator."""
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # no "-0,0"
    separator = _separator() if separator is None else separator
    return text.replace(".", separator) if separator != "." else text


def _signed(value: float | None, decimals: int) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if round(value, decimals) == 0:
        return _number(0.0, decimals)
    sign = "+" if value > 0 else "−"
    return sign + _number(abs(value), decimals)


def _decimals(values: Iterable[float | None]) -> int:
    """Decimals needed to show the values as stored (at most 3)."""
    needed = 0
    for value in values:
        if value is None or not math.isfinite(value):
            continue
        text = f"{abs(value):.3f}".rstrip("0")
        needed = max(needed, len(text.split(".")[1]) if "." in text else 0)
        if needed == 3:
            break
    return needed


def _day(value: dt.date | None) -> str:
    if value is None:
        return "–"
    return formats.date_format(value, "j F Y", use_l10n=True)


@functools.lru_cache(maxsize=4096)
def _back_cached(period: Period, count: int) -> tuple[Period, ...]:
    periods = [period]
    for _i in range(count - 1):
        try:
            periods.append(previous_period(periods[-1]))
        except PeriodError:
            break
    periods.reverse()
    return tuple(periods)


def _back(period: Period, count: int) -> list[Period]:
    """The ``count`` periods ending with ``period``, oldest first (memoised: tiles share them)."""
    return list(_back_cached(period, count))


# --- trend, changes, judgement ------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """The medium-term direction of a series (see the module docstring for the method)."""

    direction: str  # "rising", "falling" or "stable"
    slope: float  # per period
    change: float  # along the line, first to last value in the window
    spread: float  # residual standard deviation
    values: int
    window: int
    first: Period
    last: Period

    @property
    def label(self) -> str:
        return {"rising": _("stijgend"), "falling": _("dalend"), "stable": _("stabiel")}[
            self.direction
        ]

    @property
    def arrow(self) -> str:
        return {"rising": "↗", "falling": "↘", "stable": "→"}[self.direction]

    def description(self, decimals: int) -> str:
        return _(
            "Lijn door de %(n)d waarden van %(first)s tot en met %(last)s: verandering langs de "
            "lijn %(change)s, spreiding rond de lijn %(spread)s. Stabiel als de verandering "
            "kleiner is dan tweemaal die spreiding."
        ) % {
            "n": self.values,
            "first": self.first.label(_language()),
            "last": self.last.label(_language()),
            "change": _signed(self.change, decimals + 1),
            "spread": _number(self.spread, decimals + 1),
        }


def medium_term_trend(points: Sequence[SeriesPoint], frequency: str) -> Trend | None:
    """The trend of the last :data:`TREND_PERIODS` periods ending at the latest point
    (the formula is :func:`paraat_core.trend.trend`)."""
    valued = [p for p in points if p.value is not None and math.isfinite(p.value)]
    if not valued:
        return None
    window = TREND_PERIODS.get(frequency, 8)
    periods = _back(valued[-1].period, window)
    position = {p.start: i for i, p in enumerate(periods)}
    pairs = [
        (position[p.period.start], float(p.value)) for p in valued if p.period.start in position
    ]
    found = core_trend(pairs, window=window, dead_band=DEAD_BAND_SDS)
    if found is None:
        return None
    return Trend(
        direction=found.direction,
        slope=found.slope,
        change=found.change,
        spread=found.spread,
        values=found.values,
        window=window,
        first=periods[found.first],
        last=periods[found.last],
    )


JUDGEMENTS = ("better", "worse", "unchanged", "none")


def judgement(polarity: str, trend: Trend | None) -> str:
    """better / worse / unchanged / none: the trend judged by the indicator's polarity."""
    if trend is None or polarity == Polarity.NEUTRAL:
        return "none"
    if trend.direction == "stable":
        return "unchanged"
    rising = trend.direction == "rising"
    if polarity == Polarity.HIGHER_BETTER:
        return "better" if rising else "worse"
    return "worse" if rising else "better"


def judgement_label(value: str) -> str:
    return {
        "better": _("beter"),
        "worse": _("slechter"),
        "unchanged": _("onveranderd"),
        "none": _("geen oordeel"),
    }[value]


def judgement_mark(value: str) -> str:
    return {"better": "+", "worse": "−", "unchanged": "=", "none": "·"}[value]


@dataclass(frozen=True)
class Change:
    against: Period
    reference: float
    absolute: float
    percent: float | None
    decimals: int
    percent_unit: bool

    @property
    def against_label(self) -> str:
        return self.against.label(_language())

    @property
    def absolute_display(self) -> str:
        return _signed(self.absolute, self.decimals)

    @property
    def unit_display(self) -> str:
        return _("procentpunt") if self.percent_unit else ""

    @property
    def percent_display(self) -> str:
        if self.percent is None:
            return ""
        return _signed(self.percent, 1) + " %"

    @property
    def text(self) -> str:
        parts = [self.absolute_display]
        if self.unit_display:
            parts.append(self.unit_display)
        if self.percent is not None:
            parts.append(f"({self.percent_display})")
        return " ".join(parts)


def change_between(
    current: SeriesPoint, reference: SeriesPoint | None, *, decimals: int, unit: str
) -> Change | None:
    if reference is None or reference.value is None or current.value is None:
        return None
    absolute = current.value - reference.value
    percent = 100.0 * absolute / abs(reference.value) if reference.value else None
    return Change(
        against=reference.period,
        reference=reference.value,
        absolute=absolute,
        percent=percent,
        decimals=decimals,
        percent_unit=unit.strip() == "%",
    )


# --- freshness in words ----------------------------------------------------------------------


def freshness_label(status: str) -> str:
    return {
        "current": _("actueel"),
        "due": _("verwacht"),
        "overdue": _("achterstallig"),
        "no_data": _("geen gegevens"),
    }.get(status, _("geen gegevens"))


def freshness_reason(state: Freshness | None) -> str:
    """The verdict of :func:`paraat_core.freshness.freshness` in one sentence of the UI language."""
    lang = _language()
    if state is None or state.status == "no_data" or state.latest_period is None:
        if state is not None and state.next_release is not None:
            return _(
                "Nog geen cijfers gepubliceerd; de eerste publicatie wordt verwacht op %(date)s."
            ) % {"date": _day(state.next_release)}
        return _("Nog geen cijfers gepubliceerd.")
    pending = next_period(state.latest_period)
    values = {
        "latest": state.latest_period.label(lang),
        "next": pending.label(lang),
        "date": _day(state.next_release),
        "days": state.days_overdue,
    }
    if state.status == "current":
        return _("Bijgewerkt tot en met %(latest)s; %(next)s wordt verwacht op %(date)s.") % values
    if state.status == "due":
        return _("%(next)s werd verwacht op %(date)s en is nog niet binnen.") % values
    text = _("%(next)s had op %(date)s moeten verschijnen: %(days)d dagen te laat.") % values
    expected = state.expected_period
    if expected is not None and expected.start > pending.start:
        text += " " + _("Inmiddels wordt al %(expected)s verwacht.") % {
            "expected": expected.label(lang)
        }
    return text


def speed_label(speed: str) -> str:
    return _("snel") if speed == Speed.FAST else _("traag")


def speed_description(speed: str) -> str:
    if speed == Speed.FAST:
        return _("Snelle data: binnen dagen of weken beschikbaar, vaak voorlopig.")
    return _("Trage data: officiële statistiek, maanden na de periode beschikbaar.")


# --- sparkline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sparkline:
    """A small line of the last periods; drawn as inline SVG by the template (no script)."""

    periods: list[Period]
    values: list[float | None]
    provisional: list[bool]
    decimals: int
    width: int = 160
    height: int = 40
    pad: int = 3

    def _x(self, i: int) -> float:
        if len(self.periods) <= 1:
            return self.width / 2
        return self.pad + i * (self.width - 2 * self.pad) / (len(self.periods) - 1)

    @functools.cached_property
    def _range(self) -> tuple[float, float]:
        known = [v for v in self.values if v is not None]
        low, high = min(known), max(known)
        if high == low:
            low, high = low - 1, high + 1
        return low, high

    def _y(self, value: float) -> float:
        low, high = self._range
        return self.height - self.pad - (value - low) * (self.height - 2 * self.pad) / (high - low)

    @functools.cached_property
    def path(self) -> str:
        """SVG path data; a missing value breaks the line."""
        parts: list[str] = []
        pen_down = False
        for i, value in enumerate(self.values):
            if value is None:
                pen_down = False
                continue
            parts.append(f"{'L' if pen_down else 'M'}{self._x(i):.1f} {self._y(value):.1f}")
            pen_down = True
        return " ".join(parts)

    @property
    def last_point(self) -> tuple[float, float] | None:
        for i in range(len(self.values) - 1, -1, -1):
            value = self.values[i]
            if value is not None:
                return (round(self._x(i), 1), round(self._y(value), 1))
        return None

    @functools.cached_property
    def shades(self) -> list[tuple[float, float]]:
        """``(x, width)`` of the shaded bands behind provisional periods."""
        if len(self.periods) <= 1:
            return [(0.0, float(self.width))] if any(self.provisional) else []
        step = (self.width - 2 * self.pad) / (len(self.periods) - 1)
        bands = []
        for i, flag in enumerate(self.provisional):
            if flag:
                left = max(0.0, self._x(i) - step / 2)
                right = min(float(self.width), self._x(i) + step / 2)
                bands.append((round(left, 1), round(right - left, 1)))
        return bands

    @functools.cached_property
    def text(self) -> str:
        lang = _language()
        known = [(p, v) for p, v in zip(self.periods, self.values, strict=True) if v is not None]
        first, last = known[0], known[-1]
        values = [v for _p, v in known]
        text = _(
            "Verloop van %(first)s tot en met %(last)s: van %(from)s naar %(to)s; "
            "laagste %(low)s, hoogste %(high)s."
        ) % {
            "first": first[0].label(lang),
            "last": last[0].label(lang),
            "from": _number(first[1], self.decimals),
            "to": _number(last[1], self.decimals),
            "low": _number(min(values), self.decimals),
            "high": _number(max(values), self.decimals),
        }
        count = sum(self.provisional)
        if count:
            text += " " + ngettext(
                "%(n)d voorlopige periode gearceerd.", "%(n)d voorlopige perioden gearceerd.", count
            ) % {"n": count}
        return text


# --- tiles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupValue:
    key: str
    breakdown: str
    label: str
    value: float | None
    is_provisional: bool


@dataclass
class Tile:
    indicator: Indicator
    latest: SeriesPoint | None
    decimals: int
    change_previous: Change | None
    change_year: Change | None
    trend: Trend | None
    judgement: str
    freshness: Freshness | None
    sparkline: Sparkline | None
    provisional_periods: list[Period] = field(default_factory=list)
    groups: list[GroupValue] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.indicator.key

    @functools.cached_property
    def latest_label(self) -> str:
        return self.latest.period.label(_language()) if self.latest else ""

    @functools.cached_property
    def value_display(self) -> str:
        return _number(self.latest.value if self.latest else None, self.decimals)

    @property
    def is_provisional(self) -> bool:
        return bool(self.latest and self.latest.is_provisional)

    @property
    def freshness_status(self) -> str:
        return self.freshness.status if self.freshness else "no_data"

    @property
    def freshness_label(self) -> str:
        return freshness_label(self.freshness_status)

    @functools.cached_property
    def freshness_reason(self) -> str:
        return freshness_reason(self.freshness)

    @property
    def judgement_label(self) -> str:
        return judgement_label(self.judgement)

    @property
    def judgement_mark(self) -> str:
        return judgement_mark(self.judgement)

    @property
    def speed_label(self) -> str:
        return speed_label(self.indicator.speed)

    @functools.cached_property
    def speed_description(self) -> str:
        return speed_description(self.indicator.speed)

    @functools.cached_property
    def trend_text(self) -> str:
        return self.trend.description(self.decimals) if self.trend else ""

    @property
    def breakdown_titles(self) -> list[str]:
        """Titles of the breakdown dimensions the source offers (from the indicator's metadata)."""
        titles = []
        for key, meta in (self.indicator.breakdowns or {}).items():
            title = meta.get("title") if isinstance(meta, dict) else None
            titles.append(str(title or key))
        return titles

    def csv_row(self) -> list[str]:
        ind = self.indicator
        latest = self.latest

        def num(value: float | None) -> str:
            return "" if value is None else f"{value:g}"

        cp, cy = self.change_previous, self.change_year
        return [
            ind.key,
            ind.name_nl,
            ind.domain.key if ind.domain else "",
            ind.unit,
            ind.frequency,
            ind.speed,
            latest.period.code if latest else "",
            latest.period.label("nl") if latest else "",
            num(latest.value) if latest else "",
            latest.status if latest else "",
            latest.vintage.isoformat() if latest else "",
            cp.against.code if cp else "",
            num(cp.absolute) if cp else "",
            num(round(cp.percent, 4)) if cp and cp.percent is not None else "",
            cy.against.code if cy else "",
            num(cy.absolute) if cy else "",
            num(round(cy.percent, 4)) if cy and cy.percent is not None else "",
            self.trend.direction if self.trend else "",
            self.judgement,
            self.freshness_status,
            "1" if ind.is_synthetic else "0",
            ind.source,
            ind.licence,
            ind.source_url,
        ]


DASHBOARD_CSV_HEADER = [
    "indicator",
    "name",
    "domain",
    "unit",
    "frequency",
    "speed",
    "period",
    "period_label",
    "value",
    "status",
    "vintage",
    "previous_period",
    "change_previous",
    "change_previous_pct",
    "year_earlier_period",
    "change_year",
    "change_year_pct",
    "trend",
    "judgement",
    "freshness",
    "synthetic",
    "source",
    "licence",
    "source_url",
]


def build_tile(
    *,
    indicator: Indicator,
    points: Sequence[SeriesPoint],
    today: dt.date,
    calendar: Sequence[dt.date] = (),
    groups: Sequence[GroupValue] = (),
) -> Tile:
    """One tile from the headline points (oldest first; at least the recent window)."""
    frequency = indicator.frequency
    valued = [p for p in points if p.value is not None]
    latest = valued[-1] if valued else (points[-1] if points else None)
    try:
        state: Freshness | None = freshness(
            frequency=Frequency(frequency),
            lag_days=int(indicator.publication_lag_days),
            latest_period=latest.period if latest else None,
            today=today,
            calendar=list(calendar),
        )
    except ValueError:
        state = None
    if latest is None or latest.value is None:
        return Tile(
            indicator=indicator,
            latest=latest,
            decimals=0,
            change_previous=None,
            change_year=None,
            trend=None,
            judgement="none",
            freshness=state,
            sparkline=None,
        )
    by_start = {p.period.start: p for p in points}
    spark_periods = _back(latest.period, SPARK_PERIODS.get(frequency, 24))
    spark_points = [by_start.get(p.start) for p in spark_periods]
    values = [p.value if p else None for p in spark_points]
    decimals = _decimals(values)
    provisional = [bool(p and p.is_provisional) for p in spark_points]
    try:
        previous = by_start.get(previous_period(latest.period).start)
        year_earlier = by_start.get(same_period_previous_year(latest.period).start)
    except PeriodError:
        previous = year_earlier = None
    trend = medium_term_trend(points, frequency)
    return Tile(
        indicator=indicator,
        latest=latest,
        decimals=decimals,
        change_previous=change_between(latest, previous, decimals=decimals, unit=indicator.unit),
        change_year=change_between(latest, year_earlier, decimals=decimals, unit=indicator.unit),
        trend=trend,
        judgement=judgement(indicator.polarity, trend),
        freshness=state,
        sparkline=Sparkline(
            periods=spark_periods, values=values, provisional=provisional, decimals=decimals
        ),
        provisional_periods=[p for p, flag in zip(spark_periods, provisional, strict=True) if flag],
        groups=list(groups),
    )


# --- fetching the recent windows ------------------------------------------------------------


def _window_need(frequency: str) -> int:
    return max(SPARK_PERIODS.get(frequency, 24), TREND_PERIODS.get(frequency, 8))


def _series_rows(condition: Q, as_of: dt.datetime | None) -> dict[int, dict[str, SeriesPoint]]:
    """Latest vintage (up to ``as_of``) per indicator and period code, for rows matching."""
    rows = Observation.objects.filter(condition)
    if as_of is not None:
        rows = rows.filter(vintage__lte=as_of)
    found: dict[int, dict[str, tuple[float | None, str, dt.datetime]]] = {}
    # sorted here rather than by the database: a sort tempts PostgreSQL into a parallel plan
    # whose start-up costs more than the whole query
    ordered = sorted(
        rows.order_by().values_list(
            "vintage", "pk", "indicator_id", "period_code", "value", "status"
        )
    )
    for vintage, _pk, indicator_id, code, value, status in ordered:
        found.setdefault(indicator_id, {})[code] = (value, status, vintage)
    out: dict[int, dict[str, SeriesPoint]] = {}
    for indicator_id, codes in found.items():
        series = out.setdefault(indicator_id, {})
        for code, (value, status, vintage) in codes.items():
            try:
                period = _parse(code)
            except PeriodError:
                continue
            series[code] = SeriesPoint(period=period, value=value, status=status, vintage=vintage)
    return out


def with_latest_period(
    indicators: QuerySet[Indicator], *, as_of: dt.datetime | None
) -> QuerySet[Indicator]:
    """Annotate ``latest_code``: the latest headline period with a figure known at ``as_of``.

    A correlated subquery per indicator that walks the series index backwards, so the whole
    list costs one query however long the series are.
    """
    rows = Observation.objects.filter(
        indicator=OuterRef("pk"),
        breakdown=OuterRef("headline_breakdown"),
        frequency=OuterRef("frequency"),
        value__isnull=False,
    )
    if as_of is not None:
        rows = rows.filter(vintage__lte=as_of)
    latest = rows.order_by("-period_start", "-vintage").values("period_code")[:1]
    return indicators.annotate(latest_code=Subquery(latest))


def _latest_code(indicator: Indicator, as_of: dt.datetime | None) -> str | None:
    if hasattr(indicator, "latest_code"):
        return indicator.latest_code  # type: ignore[no-any-return]
    rows = Observation.objects.filter(
        indicator=indicator,
        breakdown=indicator.headline_breakdown,
        frequency=indicator.frequency,
        value__isnull=False,
    )
    if as_of is not None:
        rows = rows.filter(vintage__lte=as_of)
    return rows.order_by("-period_start").values_list("period_code", flat=True).first()


def recent_windows(
    indicators: Sequence[Indicator], *, as_of: dt.datetime | None
) -> dict[int, list[SeriesPoint]]:
    """The recent headline points of every indicator (oldest first): the periods the sparkline
    and the trend need up to the latest period, and the same period a year earlier.

    One query for all indicators (plus one per indicator not annotated by
    :func:`with_latest_period`).
    """
    condition = Q()
    wanted = False
    limits: dict[int, tuple[Frequency | None, dt.date]] = {}
    for ind in indicators:
        code = _latest_code(ind, as_of)
        if not code:
            continue
        try:
            latest = _parse(code)
            start = _back(latest, _window_need(ind.frequency) + 1)[0].start
            earlier: Period | None = same_period_previous_year(latest)
        except PeriodError:
            continue
        # the frequency and the upper end are checked below, which keeps the SQL short
        condition |= Q(
            indicator_id=ind.pk, breakdown=ind.headline_breakdown, period_start__gte=start
        )
        if earlier is not None and earlier.start < start:
            condition |= Q(
                indicator_id=ind.pk, breakdown=ind.headline_breakdown, period_start=earlier.start
            )
        limits[ind.pk] = (Frequency(ind.frequency), latest.start)
        wanted = True
    found = _series_rows(condition, as_of) if wanted else {}
    windows = {}
    for ind in indicators:
        frequency, last = limits.get(ind.pk, (None, dt.date.max))
        points = [
            p
            for p in found.get(ind.pk, {}).values()
            if p.period.frequency is frequency and p.period.start <= last
        ]
        windows[ind.pk] = sorted(points, key=lambda p: p.period.start)
    return windows


def group_labels() -> dict[str, str]:
    """``group=<key>`` → the group's name (active population groups)."""
    return {f"{GROUP_PREFIX}{g.key}": g.name for g in group_list()}


def latest_group_values(
    indicators: Sequence[Indicator],
    latest: dict[int, Period],
    *,
    as_of: dt.datetime | None,
    labels: dict[str, str],
) -> dict[int, list[GroupValue]]:
    """Each indicator's group figures for its latest headline period (one query)."""
    if not latest or not labels:
        return {}
    frequency = {ind.pk: ind.frequency for ind in indicators}
    condition = Q()
    for indicator_id, period in latest.items():
        condition |= Q(indicator_id=indicator_id, period_start=period.start)
    rows = Observation.objects.filter(condition, breakdown__in=list(labels))
    if as_of is not None:
        rows = rows.filter(vintage__lte=as_of)
    chosen: dict[int, dict[str, tuple[float | None, str]]] = {}
    for _vintage, _pk, indicator_id, breakdown, start, freq, value, status in sorted(
        rows.order_by().values_list(
            "vintage",
            "pk",
            "indicator_id",
            "breakdown",
            "period_start",
            "frequency",
            "value",
            "status",
        )
    ):
        if latest[indicator_id].start != start or frequency.get(indicator_id) != freq:
            continue
        chosen.setdefault(indicator_id, {})[breakdown] = (value, status)
    order = list(labels)
    return {
        indicator_id: [
            GroupValue(
                key=breakdown[len(GROUP_PREFIX) :],
                breakdown=breakdown,
                label=labels[breakdown],
                value=value,
                is_provisional=status in PROVISIONAL_STATUSES,
            )
            for breakdown, (value, status) in sorted(
                values.items(), key=lambda item: order.index(item[0])
            )
        ]
        for indicator_id, values in chosen.items()
    }


# --- composite index summary ----------------------------------------------------------------


def composite_run_as_of(index: CompositeIndex, as_of: dt.datetime | None) -> CompositeRun | None:
    """The latest run of ``index``; with a peildatum the latest run on figures known then."""
    return composite_latest_run(index=index, as_of=as_of)


@dataclass(frozen=True)
class Part:
    key: str
    name: str
    value: float
    visible: bool

    @property
    def display(self) -> str:
        return _signed(self.value, 2)


def _member_names(run: CompositeRun, visible_keys: set[str]) -> dict[str, tuple[str, bool]]:
    names: dict[str, tuple[str, bool]] = {}
    for member in run.spec.get("indicators", []):
        key = str(member.get("key", ""))
        if key in visible_keys:
            names[key] = (str(member.get("name") or key), True)
        else:
            names[key] = (_("niet-openbare indicator"), False)
    return names


def _parts(entry: dict[str, Any], names: dict[str, tuple[str, bool]]) -> list[Part]:
    """The contributions, members the reader may not see summed into one part."""
    visible_keys = {key for key, (_name, visible) in names.items() if visible}
    parts = []
    for key, value in masked_parts(
        (entry.get("contributions") or {}).get("parts", []), visible_keys
    ):
        if key is None:
            parts.append(
                Part(key="", name=_("niet-openbare indicatoren samen"), value=value, visible=False)
            )
        else:
            parts.append(Part(key=key, name=names[key][0], value=value, visible=True))
    return parts


def _last_filled(entry: dict[str, Any]) -> int | None:
    central = entry.get("central") or []
    for t in range(len(central) - 1, -1, -1):
        if central[t] is not None:
            return t
    return None


def _period_label(code: str) -> str:
    try:
        return _parse(code).label(_language())
    except PeriodError:
        return code


@dataclass
class CompositeSummary:
    index: CompositeIndex
    run: CompositeRun | None
    period: str = ""
    value: float | None = None
    p05: float | None = None
    p95: float | None = None
    coverage: float | None = None
    change: float | None = None
    change_from: str = ""
    parts: list[Part] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return _period_label(self.period) if self.period else ""

    @property
    def change_from_label(self) -> str:
        return _period_label(self.change_from) if self.change_from else ""

    @property
    def value_display(self) -> str:
        return _number(self.value, 1)

    @property
    def band_display(self) -> str:
        return f"{_number(self.p05, 1)} – {_number(self.p95, 1)}"

    @property
    def change_display(self) -> str:
        return _signed(self.change, 1)

    @property
    def top_parts(self) -> list[Part]:
        return sorted(self.parts, key=lambda p: -abs(p.value))[:3]


def composite_summary(
    index: CompositeIndex, *, as_of: dt.datetime | None, visible_keys: set[str]
) -> CompositeSummary:
    run = composite_run_as_of(index, as_of)
    if run is None:
        return CompositeSummary(index=index, run=None)
    names = _member_names(run, visible_keys)
    members = [name for name, _visible in names.values()]
    entry = run.result.get("_all") or {}
    t = _last_filled(entry)
    if t is None:
        return CompositeSummary(index=index, run=run, members=members)
    contributions = entry.get("contributions") or {}
    return CompositeSummary(
        index=index,
        run=run,
        period=run.result["periods"][t],
        value=entry["central"][t],
        p05=(entry.get("p05") or [None] * (t + 1))[t],
        p95=(entry.get("p95") or [None] * (t + 1))[t],
        coverage=(entry.get("coverage") or [None] * (t + 1))[t],
        change=contributions.get("change"),
        change_from=contributions.get("start", ""),
        parts=_parts(entry, names),
        members=members,
    )


# --- the dashboard --------------------------------------------------------------------------


@dataclass
class DomainSection:
    domain: Domain | None
    tiles: list[Tile]

    @property
    def name(self) -> str:
        return self.domain.name if self.domain else _("Overige indicatoren")

    @property
    def anchor(self) -> str:
        return f"domein-{self.domain.key}" if self.domain else "domein-overig"


@dataclass
class Dashboard:
    as_of: dt.datetime | None
    today: dt.date
    sections: list[DomainSection]
    signals: list[Signal]
    composites: list[CompositeSummary]

    @property
    def tiles(self) -> list[Tile]:
        return [tile for section in self.sections for tile in section.tiles]

    @property
    def has_synthetic(self) -> bool:
        return any(t.indicator.is_synthetic for t in self.tiles)

    def csv_rows(self) -> list[list[str]]:
        return [tile.csv_row() for tile in self.tiles]


def _signals(user: AnyUser, as_of: dt.datetime | None, indicator: Indicator | None = None) -> Any:
    rows = signals_visible(user=user)
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    if as_of is not None:
        # what the figures known then said (a rule run later on them counts as well)
        rows = rows.filter(data_vintage__lte=as_of)
    return rows.order_by("-period_start", "-detected_at", "-pk")


def signal_list(*, user: AnyUser, as_of: dt.datetime | None = None) -> Any:
    """The signals ``user`` may see (known at ``as_of``), newest period first."""
    return _signals(user, as_of)


def label_signals(signals: Iterable[Signal]) -> list[Signal]:
    """Give each signal a ``period_label`` in the interface language (for the templates)."""
    out = []
    for signal in signals:
        signal.period_label = _period_label(signal.period_code)  # type: ignore[attr-defined]
        out.append(signal)
    return out


def dashboard(
    user: AnyUser, as_of: dt.datetime | None = None, today: dt.date | None = None
) -> Dashboard:
    """The public societal picture as known at ``as_of`` (default: now) for ``user``."""

    if today is None:
        today = timezone.localdate(as_of) if as_of is not None else timezone.localdate()
    indicators = list(with_latest_period(indicators_visible(user=user), as_of=as_of))
    windows = recent_windows(indicators, as_of=as_of)
    calendars: dict[int, list[dt.date]] = {}
    for indicator_id, expected_on in ReleaseDate.objects.filter(
        indicator_id__in=[i.pk for i in indicators]
    ).values_list("indicator_id", "expected_on"):
        calendars.setdefault(indicator_id, []).append(expected_on)
    latest: dict[int, Period] = {}
    for ind in indicators:
        valued = [p for p in windows.get(ind.pk, []) if p.value is not None]
        if valued:
            latest[ind.pk] = valued[-1].period
    groups = latest_group_values(indicators, latest, as_of=as_of, labels=group_labels())
    by_domain: dict[int | None, list[Tile]] = {}
    for ind in indicators:
        tile = build_tile(
            indicator=ind,
            points=windows.get(ind.pk, []),
            today=today,
            calendar=calendars.get(ind.pk, ()),
            groups=groups.get(ind.pk, ()),
        )
        by_domain.setdefault(ind.domain_id, []).append(tile)
    domains = {ind.domain_id: ind.domain for ind in indicators}

    def domain_order(domain_id: int | None) -> tuple[int, int, str]:
        domain = domains[domain_id]
        if domain is None:
            return (1, 0, "")
        return (0, domain.position, domain.name_nl)

    sections = [
        DomainSection(
            domain=domains[domain_id],
            tiles=sorted(tiles, key=lambda t: (t.indicator.name_nl.lower(), t.indicator.key)),
        )
        for domain_id, tiles in sorted(by_domain.items(), key=lambda item: domain_order(item[0]))
    ]
    visible_keys = {ind.key for ind in indicators}
    composites = [
        composite_summary(index, as_of=as_of, visible_keys=visible_keys)
        for index in composite_indices_visible(user=user)
    ]
    return Dashboard(
        as_of=as_of,
        today=today,
        sections=sections,
        signals=label_signals(_signals(user, as_of)[:SIGNALS_ON_DASHBOARD]),
        composites=composites,
    )


# --- one indicator --------------------------------------------------------------------------


@dataclass
class BreakdownSeries:
    breakdown: str
    label: str
    points: list[SeriesPoint]
    is_group: bool

    @property
    def latest(self) -> SeriesPoint | None:
        valued = [p for p in self.points if p.value is not None]
        return valued[-1] if valued else None

    @property
    def latest_label(self) -> str:
        latest = self.latest
        return latest.period.label(_language()) if latest else ""


@dataclass
class RevisionRow:
    period: Period
    values: list[float | None]
    first: SeriesPoint | None
    latest: SeriesPoint | None

    @property
    def label(self) -> str:
        return self.period.label(_language())

    @property
    def revised(self) -> bool:
        return bool(
            self.first
            and self.latest
            and (self.first.value, self.first.status) != (self.latest.value, self.latest.status)
        )


@dataclass
class Revisions:
    vintages: list[dt.datetime]
    rows: list[RevisionRow]


@dataclass(frozen=True)
class _PeriodEvent:
    date: dt.date
    title: str


@dataclass
class ContextLayers:
    """Crisis context over the indicator's span: OxCGRT stringency, hospital admissions,
    the enacted packages of the measures catalog and timeline events."""

    available: bool
    stringency: dict[dt.date, float | None] = field(default_factory=dict)
    hospital: dict[dt.date, float | None] = field(default_factory=dict)
    hospital_source: str = ""
    hospital_licence: str = ""
    packages: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    in_force: Any = None
    day: dt.date | None = None

    @property
    def has_stringency(self) -> bool:
        return any(v is not None for v in self.stringency.values())

    @property
    def has_hospital(self) -> bool:
        return any(v is not None for v in self.hospital.values())


@dataclass
class ChartRow:
    period: Period
    point: SeriesPoint | None
    groups: list[float | None]
    stringency: float | None
    hospital: float | None
    decimals: int = 0
    with_stringency: bool = False
    with_hospital: bool = False

    @property
    def label(self) -> str:
        return self.period.label(_language())

    def html(self, separator: str, language: str, memo: dict[Any, str]) -> str:
        """One row of the data table. Built here, not in the template, because a long daily
        series has tens of thousands of cells; every text is escaped."""
        point = self.point
        provisional = bool(point and point.is_provisional)
        if point is None:
            status = vintage = ""
        else:
            if point.status not in memo:
                memo[point.status] = escape(status_label(point.status))
            status = memo[point.status]
            if provisional:
                status = f'<span class="ind-badge ind-badge--provisional">{status}</span>'
            if point.vintage not in memo:
                memo[point.vintage] = escape(
                    formats.date_format(timezone.localtime(point.vintage), "j F Y")
                )
            vintage = memo[point.vintage]
        numbers = [_number(v, self.decimals, separator) for v in self.groups]
        if self.with_stringency:
            numbers.append(_number(self.stringency, 1, separator))
        if self.with_hospital:
            numbers.append(_number(self.hospital, 1, separator))
        value = _number(point.value if point else None, self.decimals, separator)
        return "".join(
            [
                '<tr class="ind-row--provisional">' if provisional else "<tr>",
                f'<th scope="row">{escape(self.period.label(language))}</th>',
                f'<td class="num">{value}</td><td>{status}</td><td>{vintage}</td>',
                *(f'<td class="num">{text}</td>' for text in numbers),
                "</tr>",
            ]
        )


def status_label(status: str) -> str:
    try:
        return str(ObservationStatus(status).label)
    except ValueError:
        return status


@dataclass
class IndicatorDetail:
    indicator: Indicator
    as_of: dt.datetime | None
    tile: Tile
    points: list[SeriesPoint]
    groups: list[BreakdownSeries]
    others: list[BreakdownSeries]
    breakdowns_total: int
    signals: list[Signal]
    revisions: Revisions
    context: ContextLayers
    backtests: list[RuleBacktest] = field(default_factory=list)

    @functools.cached_property
    def periods(self) -> list[Period]:
        if not self.points:
            return []
        first, last = self.points[0].period, self.points[-1].period
        try:
            return periods_between(first, last)
        except PeriodError:
            return [p.period for p in self.points]

    @functools.cached_property
    def rows(self) -> list[ChartRow]:
        by_start = {p.period.start: p for p in self.points}
        group_maps = [{p.period.start: p.value for p in g.points} for g in self.groups]
        stringency, hospital = self.context.has_stringency, self.context.has_hospital
        return [
            ChartRow(
                period=period,
                point=by_start.get(period.start),
                groups=[m.get(period.start) for m in group_maps],
                stringency=_mean_over(self.context.stringency, period) if stringency else None,
                hospital=_mean_over(self.context.hospital, period) if hospital else None,
                decimals=self.tile.decimals,
                with_stringency=stringency,
                with_hospital=hospital,
            )
            for period in self.periods
        ]

    @property
    def decimals(self) -> int:
        return self.tile.decimals

    @property
    def table_body(self) -> SafeString:
        """The rows of the data table (see :meth:`ChartRow.html`)."""
        separator = _separator()
        language = _language()
        memo: dict[Any, str] = {}
        return mark_safe("".join(row.html(separator, language, memo) for row in self.rows))  # noqa: S308

    def chart_data(self) -> dict[str, Any]:
        rows = self.rows
        final: list[float | None] = []
        provisional: list[float | None] = []
        for i, row in enumerate(rows):
            value = row.point.value if row.point else None
            is_prov = bool(row.point and row.point.is_provisional)
            final.append(None if is_prov else value)
            nxt = rows[i + 1].point if i + 1 < len(rows) else None
            joins = not is_prov and nxt is not None and nxt.is_provisional
            provisional.append(value if (is_prov or joins) else None)
        name = self.indicator.name
        series = [ChartSeries(name, final, color="#154273", width=2.5)]
        if any(v is not None for v in provisional):
            series.append(
                ChartSeries(
                    _("%(name)s (voorlopig)") % {"name": name},
                    provisional,
                    color="#154273",
                    dash=(4, 4),
                    width=2.5,
                )
            )
        palette = ["#007bc7", "#8b4a00", "#5b2c83", "#1f5e1f", "#a4000f", "#39870c"]
        dashes = [(8, 3), (2, 2), (10, 3, 2, 3), (5, 5), (1, 3), (12, 4)]
        for i, group in enumerate(self.groups):
            series.append(
                ChartSeries(
                    group.label,
                    [row.groups[i] for row in rows],
                    color=palette[i % len(palette)],
                    dash=dashes[i % len(dashes)],
                    width=1.5,
                )
            )
        axes: dict[str, tuple[str, float | None]] = {
            "y": (self.indicator.unit or _("waarde"), None)
        }
        if self.context.has_stringency:
            series.append(
                ChartSeries(
                    _("Stringency-index (OxCGRT)"),
                    [row.stringency for row in rows],
                    axis="y2",
                    color="#555555",
                    dash=(3, 2),
                    width=1.5,
                    stepped=True,
                )
            )
            axes["y2"] = (_("Stringency-index (0–100)"), 100)
        if self.context.has_hospital:
            series.append(
                ChartSeries(
                    _("Ziekenhuisopnames per dag (gemiddeld)"),
                    [row.hospital for row in rows],
                    axis="y3",
                    color="#ca005d",
                    dash=(6, 3),
                    width=1.5,
                )
            )
            axes["y3"] = (_("Ziekenhuisopnames per dag"), None)
        starts = {row.period.start for row in rows}
        events = []
        for event in self.context.events:
            try:
                start = period_containing(event.date, self.periods[0].frequency).start
            except (PeriodError, IndexError):
                continue
            if start in starts:
                events.append(_PeriodEvent(date=start, title=event.title))
        return chart_payload(
            dates=[row.period.start for row in rows],
            series=series,
            axes=axes,
            events=events,
            selected=self.context.day,
        )

    def csv_rows(self) -> list[list[str]]:
        ind = self.indicator
        out = []
        series = [
            BreakdownSeries(ind.headline_breakdown, _("hoofdreeks"), self.points, False),
            *self.groups,
            *self.others,
        ]
        for s in series:
            for p in s.points:
                out.append(
                    [
                        ind.key,
                        s.breakdown,
                        s.label,
                        p.period.code,
                        p.period.label("nl"),
                        p.period.start.isoformat(),
                        p.period.end.isoformat(),
                        "" if p.value is None else f"{p.value:g}",
                        p.status,
                        p.vintage.isoformat(),
                        "1" if ind.is_synthetic else "0",
                        ind.source,
                        ind.licence,
                        ind.source_url,
                    ]
                )
        return out


DETAIL_CSV_HEADER = [
    "indicator",
    "breakdown",
    "breakdown_label",
    "period",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "status",
    "vintage",
    "synthetic",
    "source",
    "licence",
    "source_url",
]


def _mean_over(daily: dict[dt.date, float | None], period: Period) -> float | None:
    if not daily:
        return None
    values = []
    day = period.start
    while day <= period.end:
        value = daily.get(day)
        if value is not None:
            values.append(value)
        day += dt.timedelta(days=1)
    if not values:
        return None
    return round(sum(values) / len(values), 2)


def breakdown_label(indicator: Indicator, breakdown: str, groups: dict[str, str]) -> str:
    """A readable label for a breakdown key (``Dim=Key;Dim2=Key2`` or ``group=<key>``)."""
    if not breakdown:
        return _("hoofdreeks")
    if breakdown in groups:
        return groups[breakdown]
    meta = indicator.breakdowns or {}
    parts = []
    for piece in breakdown.split(";"):
        dimension, _sep, key = piece.partition("=")
        info = meta.get(dimension) if isinstance(meta, dict) else None
        if isinstance(info, dict):
            title = info.get("title") or dimension
            label = (info.get("values") or {}).get(key, key)
            parts.append(f"{title}: {label}")
        else:
            parts.append(piece)
    return "; ".join(parts)


def breakdown_keys(indicator: Indicator, groups: dict[str, str]) -> list[str]:
    """The indicator's breakdowns other than the headline: groups first (in the taxonomy's
    order), then the others alphabetically. One index-only ``DISTINCT`` query."""
    found = set(
        Observation.objects.filter(indicator=indicator)
        .order_by()
        .values_list("breakdown", flat=True)
        .distinct()
    )
    found.discard(indicator.headline_breakdown)
    order = {key: i for i, key in enumerate(groups)}
    return sorted(
        found,
        key=lambda k: (
            (0, order[k], k) if k in order else (1 if k.startswith(GROUP_PREFIX) else 2, 0, k)
        ),
    )


def all_series(
    indicator: Indicator, breakdowns: Sequence[str], as_of: dt.datetime | None
) -> dict[str, list[SeriesPoint]]:
    """Several series of one indicator as known at ``as_of`` (latest vintage per period, at the
    indicator's frequency), in one query; the same rule as ``selectors.series_as_of``."""
    rows = Observation.objects.filter(
        indicator=indicator, frequency=indicator.frequency, breakdown__in=list(breakdowns)
    )
    if as_of is not None:
        rows = rows.filter(vintage__lte=as_of)
    found: dict[str, dict[str, tuple[float | None, str, dt.datetime]]] = {}
    for vintage, _pk, breakdown, code, value, status in sorted(
        rows.order_by().values_list("vintage", "pk", "breakdown", "period_code", "value", "status")
    ):
        found.setdefault(breakdown, {})[code] = (value, status, vintage)
    out: dict[str, list[SeriesPoint]] = {}
    for breakdown, codes in found.items():
        points = []
        for code, (value, status, vintage) in codes.items():
            try:
                period = _parse(code)
            except PeriodError:
                continue
            points.append(SeriesPoint(period=period, value=value, status=status, vintage=vintage))
        points.sort(key=lambda p: p.period.start)
        out[breakdown] = points
    return out


def _revisions(
    indicator: Indicator, points: list[SeriesPoint], as_of: dt.datetime | None
) -> Revisions:
    recent = list(points)[-REVISION_PERIODS:]
    if not recent:
        return Revisions(vintages=[], rows=[])
    start = recent[0].period.start
    first = {
        p.period.code: p
        for p in series_as_of(indicator=indicator, as_of=as_of, start=start, first_known=True)
    }
    # Every moment the recent periods changed, intermediate revisions included.
    vintages = vintages_of(indicator=indicator, start=start, as_of=as_of)[-REVISION_VINTAGES:]
    known = [
        {p.period.code: p.value for p in series_as_of(indicator=indicator, as_of=v, start=start)}
        for v in vintages
    ]
    rows = [
        RevisionRow(
            period=p.period,
            values=[k.get(p.period.code) for k in known],
            first=first.get(p.period.code),
            latest=p,
        )
        for p in reversed(recent)
    ]
    return Revisions(vintages=vintages, rows=rows)


def context_layers(
    *,
    user: AnyUser,
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime | None,
    day: dt.date | None = None,
) -> ContextLayers:
    """Stringency, hospital admissions, packages and events between ``start`` and ``end``."""
    from paraat.measures import selectors as measures
    from paraat.measures.models import IndexSource
    from paraat.measures.timeline import HOSPITAL_KEYS, STRINGENCY

    layers = ContextLayers(available=False)
    jurisdiction = measures.jurisdiction_netherlands()
    if jurisdiction is not None:
        layers.stringency = measures.index_series(
            jurisdiction=jurisdiction,
            index=STRINGENCY,
            source=IndexSource.PUBLISHED,
            start=start,
            end=end,
        )
        layers.packages = list(
            measures.package_list(user=user, kind="enacted")
            .filter(jurisdiction=jurisdiction, start_date__lte=end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
            .order_by("start_date", "name_nl")
        )
        layers.events = list(
            measures.timeline_events(
                user=user,
                jurisdiction=jurisdiction,
                start=start,
                end=end,
            )
        )
        if day is not None:
            layers.day = day
            layers.in_force = measures.measures_in_force(
                user=user,
                jurisdiction=jurisdiction,
                day=day,
            )
    hospital = indicator_get(key=HOSPITAL_KEYS["hospital_7d"], user=user)
    if hospital is not None:
        layers.hospital = {
            p.period.start: p.value
            for p in series_as_of(indicator=hospital, as_of=as_of, start=start, end=end)
        }
        layers.hospital_source = hospital.source
        layers.hospital_licence = hospital.licence
    layers.available = bool(
        layers.has_stringency or layers.has_hospital or layers.packages or layers.events
    )
    return layers


def indicator_detail(
    user: AnyUser,
    key: str,
    as_of: dt.datetime | None = None,
    *,
    today: dt.date | None = None,
    day: dt.date | None = None,
) -> IndicatorDetail | None:
    """Everything the drill-down page shows; ``None`` when ``user`` may not see ``key``."""

    indicator = indicator_get(key=key, user=user)
    if indicator is None:
        return None
    if today is None:
        today = timezone.localdate(as_of) if as_of is not None else timezone.localdate()
    labels = group_labels()
    keys = breakdown_keys(indicator, labels)
    series_by = all_series(indicator, [indicator.headline_breakdown, *keys[:MAX_BREAKDOWNS]], as_of)
    points = series_by.get(indicator.headline_breakdown, [])
    groups: list[BreakdownSeries] = []
    others: list[BreakdownSeries] = []
    for breakdown in keys[:MAX_BREAKDOWNS]:
        series = series_by.get(breakdown)
        if not series:
            continue
        is_group = breakdown.startswith(GROUP_PREFIX)
        label = breakdown_label(indicator, breakdown, labels)
        (groups if is_group else others).append(
            BreakdownSeries(breakdown=breakdown, label=label, points=series, is_group=is_group)
        )
    latest = [p for p in points if p.value is not None]
    group_values = [
        GroupValue(
            key=g.breakdown[len(GROUP_PREFIX) :],
            breakdown=g.breakdown,
            label=g.label,
            value=point.value,
            is_provisional=point.is_provisional,
        )
        for g in groups
        for point in g.points
        if latest and point.period.start == latest[-1].period.start
    ]
    tile = build_tile(
        indicator=indicator,
        points=points,
        today=today,
        calendar=list(indicator.releases.values_list("expected_on", flat=True)),
        groups=group_values,
    )
    if points:
        context = context_layers(
            user=user,
            start=points[0].period.start,
            end=points[-1].period.end,
            as_of=as_of,
            day=day,
        )
    else:
        context = ContextLayers(available=False)
    return IndicatorDetail(
        indicator=indicator,
        as_of=as_of,
        tile=tile,
        points=points,
        groups=groups,
        others=others,
        breakdowns_total=len(keys),
        signals=label_signals(_signals(user, as_of, indicator)[:50]),
        revisions=_revisions(indicator, points, as_of),
        context=context,
        backtests=signal_backtests(indicator=indicator, as_of=as_of),
    )


# --- one composite index --------------------------------------------------------------------


def factor_label(factor: str) -> str:
    return {
        "weights": _("gewichten"),
        "normalisation": _("normalisatie"),
        "aggregation": _("aggregatie"),
        "missing": _("ontbrekende waarden"),
    }.get(factor, factor)


@dataclass
class Population:
    key: str
    name: str
    entry: dict[str, Any]
    parts: list[Part]

    def at(self, series: str, t: int) -> float | None:
        values = self.entry.get(series) or []
        return values[t] if t < len(values) else None

    @property
    def change_from_label(self) -> str:
        return _period_label(str((self.entry.get("contributions") or {}).get("start", "")))

    @property
    def change_to_label(self) -> str:
        return _period_label(str((self.entry.get("contributions") or {}).get("end", "")))

    @property
    def change_display(self) -> str:
        return _signed((self.entry.get("contributions") or {}).get("change"), 2)


@dataclass
class Member:
    key: str
    name: str
    weight: float
    share: float
    polarity: str
    visible: bool

    @property
    def polarity_label(self) -> str:
        return {
            Polarity.HIGHER_BETTER: _("hoger is beter"),
            Polarity.HIGHER_WORSE: _("hoger is slechter"),
        }.get(self.polarity, _("geen oordeel"))


@dataclass
class CompositeDetail:
    index: CompositeIndex
    run: CompositeRun | None
    summary: CompositeSummary
    periods: list[str] = field(default_factory=list)
    populations: list[Population] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    @property
    def overall(self) -> Population | None:
        return self.populations[0] if self.populations else None

    @property
    def labels(self) -> list[str]:
        return [_period_label(code) for code in self.periods]

    @property
    def last(self) -> int | None:
        return _last_filled(self.overall.entry) if self.overall else None

    @functools.cached_property
    def window(self) -> range:
        """The periods from the first to the last with an index value (whole population or a
        group): the run covers every period up to its as-of date, most of them still empty."""
        filled = [
            t
            for population in self.populations
            for t, value in enumerate(population.entry.get("central") or [])
            if value is not None
        ]
        if not filled:
            return range(0)
        return range(min(filled), max(filled) + 1)

    @property
    def table(self) -> list[dict[str, Any]]:
        overall = self.overall
        if overall is None:
            return []
        labels = self.labels
        return [
            {
                "label": labels[t],
                "code": self.periods[t],
                "central": overall.at("central", t),
                "median": overall.at("median", t),
                "p05": overall.at("p05", t),
                "p95": overall.at("p95", t),
                "coverage": overall.at("coverage", t),
                "groups": [g.at("central", t) for g in self.populations[1:]],
            }
            for t in self.window
        ]

    @property
    def scores(self) -> list[dict[str, Any]]:
        """Per member the normalised score (1–100, higher is better) in the last periods."""
        overall = self.overall
        if overall is None:
            return []
        last = self.last if self.last is not None else len(self.periods) - 1
        first = max(0, last - 5)
        scores = overall.entry.get("scores") or {}

        def values(member: Member) -> list[float | None]:
            series = scores.get(member.key) or [] if member.visible else []
            return [series[t] if t < len(series) else None for t in range(first, last + 1)]

        # the scores of an indicator the user may not see stay hidden; its contribution
        # is still shown (under a neutral name) so that the parts add up to the change
        return [{"member": member, "values": values(member)} for member in self.members]

    @property
    def score_labels(self) -> list[str]:
        last = self.last if self.last is not None else len(self.periods) - 1
        return self.labels[max(0, last - 5) : last + 1]

    @property
    def notes(self) -> list[str]:
        """The run's notes, with the keys of indicators the user may not see masked."""
        overall = self.overall
        if overall is None:
            return []
        hidden = [m.key for m in self.members if not m.visible and m.key]
        out = []
        for note in overall.entry.get("notes") or []:
            text = str(note)
            for key in hidden:
                text = text.replace(key, _("niet-openbare indicator"))
            out.append(text)
        return out

    @property
    def sensitivity(self) -> list[tuple[str, float | None]]:
        overall = self.overall
        if overall is None or self.last is None:
            return []
        shares = overall.entry.get("sensitivity") or {}
        return [
            (factor_label(factor), (values or [None] * (self.last + 1))[self.last])
            for factor, values in shares.items()
        ]

    def chart_data(self) -> dict[str, Any]:
        overall = self.overall
        if overall is None:
            return {}
        window = self.window
        dates = []
        for t in window:
            try:
                dates.append(_parse(self.periods[t]).start)
            except PeriodError:
                dates.append(dt.date.min)

        def cut(population: Population, name: str) -> list[float | None]:
            return [population.at(name, t) for t in window]

        series = [
            ChartSeries(_("Index (centraal)"), cut(overall, "central"), width=2.5),
            ChartSeries(
                _("Ondergrens band (5 %)"),
                cut(overall, "p05"),
                color="#555555",
                dash=(4, 3),
                width=1,
            ),
            ChartSeries(
                _("Bovengrens band (95 %)"),
                cut(overall, "p95"),
                color="#555555",
                dash=(4, 3),
                width=1,
            ),
        ]
        palette = ["#ca005d", "#8b4a00", "#5b2c83", "#1f5e1f", "#007bc7"]
        dashes = [(8, 3), (2, 2), (10, 3, 2, 3), (5, 5), (1, 3)]
        for i, group in enumerate(self.populations[1:]):
            series.append(
                ChartSeries(
                    group.name,
                    cut(group, "central"),
                    color=palette[i % len(palette)],
                    dash=dashes[i % len(dashes)],
                    width=1.5,
                )
            )
        return chart_payload(
            dates=dates, series=series, axes={"y": (_("Index (referentieperiode = 100)"), None)}
        )

    def spec_choices(self) -> list[tuple[str, str]]:
        """Every method choice of the run, in words."""
        if self.run is None:
            return []
        spec = self.run.spec
        names = {
            "minmax": _("min-max (0–100 over het venster)"),
            "zscore": _("z-score"),
            "reference": _("afstand tot de referentieperiode"),
            "arithmetic": _("rekenkundig gemiddelde"),
            "geometric": _("meetkundig gemiddelde"),
            "available": _("gemiddelde over de beschikbare indicatoren"),
            "mean": _("gemiddelde van de indicator invullen"),
            "carry_forward": _("laatste waarde doortrekken"),
        }

        def word(value: Any) -> str:
            return str(names.get(str(value), value))

        ref = spec.get("reference_period") or ""
        return [
            (_("Normalisatie"), word(spec.get("normalisation"))),
            (_("Aggregatie"), word(spec.get("aggregation"))),
            (_("Ontbrekende waarden"), word(spec.get("missing"))),
            (
                _("Minimale dekking"),
                _("%(pct)s %% van het totale gewicht")
                % {"pct": _number(100 * float(spec.get("min_coverage") or 0), 0)},
            ),
            (
                _("Referentieperiode (= 100)"),
                _period_label(ref) if ref else _("de eerste periode met voldoende dekking"),
            ),
            (_("Frequentie"), frequency_label(str(spec.get("frequency", "")))),
            (_("Monte-Carlotrekkingen"), str(spec.get("draws", ""))),
            (
                _("Spreiding van de gewichten (Dirichlet-concentratie)"),
                str(spec.get("weight_concentration", "")),
            ),
            (_("Startwaarde toevalsgenerator"), str(spec.get("seed", ""))),
            (
                _("Alternatieve normalisaties in de onzekerheidsanalyse"),
                ", ".join(word(v) for v in spec.get("normalisations", [])),
            ),
            (
                _("Alternatieve aggregaties in de onzekerheidsanalyse"),
                ", ".join(word(v) for v in spec.get("aggregations", [])),
            ),
        ]

    def csv_rows(self) -> list[list[str]]:
        def num(value: float | None) -> str:
            return "" if value is None else f"{value:g}"

        rows = []
        for population in self.populations:
            for t, code in enumerate(self.periods):
                rows.append(
                    [
                        self.index.key,
                        population.key,
                        code,
                        num(population.at("central", t)),
                        num(population.at("median", t)),
                        num(population.at("p05", t)),
                        num(population.at("p95", t)),
                        num(population.at("coverage", t)),
                    ]
                )
        return rows


def frequency_label(value: str) -> str:
    from paraat.indicators.models import Frequency as FrequencyChoice

    try:
        return str(FrequencyChoice(value).label)
    except ValueError:
        return value


def composite_detail(
    user: AnyUser, key: str, as_of: dt.datetime | None = None
) -> CompositeDetail | None:
    index = composite_indices_visible(user=user).filter(key=key).first()
    if index is None:
        return None
    visible_keys = set(indicators_visible(user=user).values_list("key", flat=True))
    summary = composite_summary(index, as_of=as_of, visible_keys=visible_keys)
    run = summary.run
    if run is None:
        return CompositeDetail(index=index, run=None, summary=summary)
    names = _member_names(run, visible_keys)
    populations = []
    for pkey, entry in run.result.items():
        if pkey in ("periods", "labels") or not isinstance(entry, dict):
            continue
        populations.append(
            Population(
                key=pkey,
                name=index.name if pkey == "_all" else str(entry.get("name") or pkey),
                entry=entry,
                parts=_parts(entry, names),
            )
        )
    populations.sort(key=lambda p: (p.key != "_all", p.name))
    members_spec = run.spec.get("indicators", [])
    total = sum(float(m.get("weight") or 0) for m in members_spec) or 1.0
    members = []
    for m in members_spec:
        member_key = str(m.get("key", ""))
        name, visible = names.get(member_key, (_("niet-openbare indicator"), False))
        weight = float(m.get("weight") or 0)
        members.append(
            Member(
                key=member_key,
                name=name,
                weight=weight,
                share=weight / total,
                polarity=str(m.get("polarity", "")),
                visible=visible,
            )
        )
    return CompositeDetail(
        index=index,
        run=run,
        summary=summary,
        periods=list(run.result.get("periods", [])),
        populations=populations,
        members=members,
    )


__all__ = [
    "DASHBOARD_CSV_HEADER",
    "DETAIL_CSV_HEADER",
    "Dashboard",
    "IndicatorDetail",
    "Tile",
    "composite_detail",
    "dashboard",
    "indicator_detail",
    "medium_term_trend",
    "signal_list",
]
