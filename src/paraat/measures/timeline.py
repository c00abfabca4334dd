"""The Netherlands timeline: the stringency index 2020–2022 beside covid hospital and ICU
admissions, with the measures in force on a chosen day and annotation events (read-only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from paraat.accounts.selectors import AnyUser
from paraat.indicators.selectors import indicator_get, observation_series
from paraat.measures import selectors
from paraat.measures.models import IndexSource, Jurisdiction, PolicyRecord, TimelineEvent
from paraat.measures.whatif import WhatIf, items_what_if
from paraat.web.charts import ChartSeries, chart_payload

START = dt.date(2020, 1, 1)
END = dt.date(2022, 12, 31)
STRINGENCY = "StringencyIndex_Average"
HOSPITAL_KEYS = {
    "hospital": "nice-hospital-admissions",
    "hospital_7d": "nice-hospital-admissions-7d",
    "ic": "nice-ic-admissions",
    "ic_7d": "nice-ic-admissions-7d",
}
CSV_HEADER = [
    "date",
    "stringency_index_oxcgrt",
    "hospital_admissions",
    "hospital_admissions_7d_avg",
    "ic_admissions",
    "ic_admissions_7d_avg",
]


@dataclass
class TimelineRow:
    date: dt.date
    stringency: float | None
    hospital: float | None
    hospital_7d: float | None
    ic: float | None
    ic_7d: float | None

    def as_csv(self) -> list[str]:
        def fmt(value: float | None) -> str:
            if value is None:
                return ""
            return f"{value:g}"

        return [
            self.date.isoformat(),
            fmt(self.stringency),
            fmt(self.hospital),
            fmt(self.hospital_7d),
            fmt(self.ic),
            fmt(self.ic_7d),
        ]


@dataclass
class Timeline:
    available: bool
    start: dt.date = START
    end: dt.date = END
    day: dt.date | None = None
    rows: list[TimelineRow] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    in_force: selectors.InForce | None = None
    day_row: TimelineRow | None = None
    reconstructed: WhatIf | None = None
    hospital_source: str = ""
    hospital_available: bool = False

    def chart_data(self) -> dict[str, Any]:
        return chart_payload(
            dates=[row.date for row in self.rows],
            series=[
                ChartSeries(
                    _("Stringency-index (OxCGRT)"),
                    [r.stringency for r in self.rows],
                    color="#154273",
                    width=2.5,
                    stepped=True,
                ),
                ChartSeries(
                    _("Ziekenhuisopnames (7-daags gemiddelde)"),
                    [r.hospital_7d for r in self.rows],
                    axis="y2",
                    color="#ca005d",
                    dash=(6, 3),
                ),
                ChartSeries(
                    _("IC-opnames (7-daags gemiddelde)"),
                    [r.ic_7d for r in self.rows],
                    axis="y2",
                    color="#8b4a00",
                    dash=(2, 2),
                ),
            ],
            axes={"y": (_("Index (0–100)"), 100), "y2": (_("Opnames per dag"), None)},
            events=self.events,
            selected=self.day,
        )


def netherlands_timeline(*, user: AnyUser, day: dt.date | None) -> Timeline:
    jurisdiction = selectors.jurisdiction_netherlands()
    if jurisdiction is None:
        return Timeline(available=False)
    if day is not None and not START <= day <= END:
        day = min(max(day, START), END)
    stringency = selectors.index_series(
        jurisdiction=jurisdiction,
        index=STRINGENCY,
        source=IndexSource.PUBLISHED,
        start=START,
        end=END,
    )
    series: dict[str, dict[dt.date, float | None]] = {}
    hospital_source = ""
    for name, key in HOSPITAL_KEYS.items():
        indicator = indicator_get(key=key, user=user)
        if indicator is None:
            series[name] = {}
            continue
        hospital_source = indicator.source
        series[name] = observation_series(indicator=indicator, start=START, end=END)
    rows = []
    current = START
    while current <= END:
        rows.append(
            TimelineRow(
                date=current,
                stringency=stringency.get(current),
                hospital=series["hospital"].get(current),
                hospital_7d=series["hospital_7d"].get(current),
                ic=series["ic"].get(current),
                ic_7d=series["ic_7d"].get(current),
            )
        )
        current += dt.timedelta(days=1)
    timeline = Timeline(
        available=True,
        day=day,
        rows=rows,
        events=list(
            selectors.timeline_events(user=user, jurisdiction=jurisdiction, start=START, end=END)
        ),
        hospital_source=hospital_source,
        hospital_available=any(series["hospital"].values()),
    )
    if day is not None:
        timeline.in_force = selectors.measures_in_force(
            user=user, jurisdiction=jurisdiction, day=day
        )
        timeline.day_row = rows[(day - START).days]
        timeline.reconstructed = items_what_if(items=timeline.in_force.items)
    return timeline


@dataclass
class JurisdictionTimeline:
    """The daily index series of one jurisdiction, as published and as computed by paraat."""

    jurisdiction: Jurisdiction
    index: str
    indices: list[str]
    sources: list[str]
    rows: list[tuple[dt.date, list[float | None]]]
    day: dt.date | None
    records: list[PolicyRecord]

    def chart_data(self) -> dict[str, Any]:
        labels = {
            IndexSource.PUBLISHED: _("gepubliceerd door OxCGRT"),
            IndexSource.COMPUTED: _("berekend door paraat"),
        }
        styles = {IndexSource.PUBLISHED: ("#154273", ()), IndexSource.COMPUTED: ("#ca005d", (6, 3))}
        return chart_payload(
            dates=[day for day, _values in self.rows],
            series=[
                ChartSeries(
                    f"{self.index} ({labels.get(source, source)})",
                    [values[i] for _day, values in self.rows],
                    color=styles.get(source, ("#000", ()))[0],
                    dash=styles.get(source, ("#000", ()))[1],
                    stepped=True,
                )
                for i, source in enumerate(self.sources)
            ],
            axes={"y": (_("Index (0–100)"), 100)},
            selected=self.day,
        )


def jurisdiction_timeline(
    *, jurisdiction: Jurisdiction, index: str, day: dt.date | None
) -> JurisdictionTimeline:
    available = selectors.index_names(jurisdiction=jurisdiction)
    names = sorted({name for name, _source in available})
    if index not in names:
        preferred = [n for n in (STRINGENCY, "StringencyIndex_WeightedAverage") if n in names]
        index = preferred[0] if preferred else (names[0] if names else STRINGENCY)
    sources = sorted({source for name, source in available if name == index}, reverse=True)
    series = [
        selectors.index_series(jurisdiction=jurisdiction, index=index, source=source)
        for source in sources
    ]
    dates = sorted(set().union(*[s.keys() for s in series])) if series else []
    rows = [(d, [s.get(d) for s in series]) for d in dates]
    records = selectors.policy_records_on(jurisdiction=jurisdiction, day=day) if day else []
    return JurisdictionTimeline(
        jurisdiction=jurisdiction,
        index=index,
        indices=names,
        sources=sources,
        rows=rows,
        day=day,
        records=records,
    )
