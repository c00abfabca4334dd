"""The ready scenario “Najaar 2020”: autumn 2020 in the Netherlands, replayed from real data.

Read directly from the files, each with its source and licence (the exercise needs the figures
on the real dates, whether or not the demo data were loaded):

* daily hospital admissions (NICE), ``coronadashboard/nl_hospital_admissions_nice.csv`` in the
  shared data folder (``PARAAT_SHARED_DATA_DIR``) — Coronadashboard, Rijksoverheid (RIVM,
  Stichting NICE), public domain;
* the Dutch stringency index, ``oxcgrt/OxCGRT_timeseries_StringencyIndex_v1_selection.csv`` —
  Oxford COVID-19 Government Response Tracker, Blavatnik School of Government, CC BY 4.0;
* the measures and press conferences, the historical catalogue of the measures app
  (``paraat/measures/demo_data/nl_measures.json``, not synthetic; own summaries of public
  sources, a source per event).

Real dates from 18 September to 14 December 2020 are compressed onto the exercise timeline at
``MINUTES_PER_DAY`` exercise minutes per real day (``paraat_core.injects.compress``).  One
inject is synthetic and labelled so: an urgent advice request with a 48-hour deadline (the MIT
did not exist in 2020), and a synthetic parliamentary question.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from paraat_core import injects as core

KEY = "najaar-2020"
FIRST_DAY = dt.date(2020, 9, 18)
MINUTES_PER_DAY = 2
ADMISSIONS_FILE = ("coronadashboard", "nl_hospital_admissions_nice.csv")
STRINGENCY_FILE = ("oxcgrt", "OxCGRT_timeseries_StringencyIndex_v1_selection.csv")
MEASURES_FILE = (
    Path(__file__).resolve().parent.parent / "measures" / "demo_data" / "nl_measures.json"
)

NICE_SOURCE = (
    "Coronadashboard, Rijksoverheid (RIVM, Stichting NICE): ziekenhuisopnames per dag "
    "(NICE-registratie); publiek domein — https://coronadashboard.rijksoverheid.nl/"
)
OXCGRT_SOURCE = (
    "Oxford COVID-19 Government Response Tracker (OxCGRT), Blavatnik School of Government, "
    "University of Oxford: stringency index Nederland; CC BY 4.0"
)
MEASURES_SOURCE = (
    "Catalogus coronamaatregelen Nederland 2020–2022 (paraat, measures/demo_data/"
    "nl_measures.json): eigen samenvattingen van openbare overheids- en nieuwsbronnen"
)

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}


class ScenarioDataError(ValueError):
    """The shared data needed for the scenario are missing or unreadable."""


@dataclass(frozen=True)
class Admissions:
    daily: dict[dt.date, int]
    avg7: dict[dt.date, float]


def read_admissions(path: Path) -> Admissions:
    daily: dict[dt.date, int] = {}
    avg7: dict[dt.date, float] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                day = dt.date.fromisoformat(row["date"].strip())
                if (row.get("hospital_admissions") or "").strip():
                    daily[day] = int(float(row["hospital_admissions"]))
                if (row.get("hospital_admissions_7d_avg") or "").strip():
                    avg7[day] = float(row["hospital_admissions_7d_avg"])
    except (OSError, KeyError, ValueError) as error:
        raise ScenarioDataError(f"{path}: {error}") from error
    return Admissions(daily=daily, avg7=avg7)


def read_stringency(path: Path, country: str = "NLD") -> dict[dt.date, float]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            head = next(reader)
            column = head.index("Jurisdiction")
            for row in reader:
                if row[0] == country and row[column] == "NAT_TOTAL":
                    return {
                        dt.date(int(day[5:9]), _MONTHS[day[2:5]], int(day[:2])): float(value)
                        for day, value in zip(head[column + 1 :], row[column + 1 :], strict=False)
                        if value.strip()
                    }
    except (OSError, ValueError, KeyError, StopIteration) as error:
        raise ScenarioDataError(f"{path}: {error}") from error
    raise ScenarioDataError(f"{path}: no national row for {country}")


def read_measures(path: Path = MEASURES_FILE) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ScenarioDataError(f"{path}: {error}") from error
    return data


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


@dataclass(frozen=True)
class InjectSpec:
    day: dt.date
    kind: str
    title: str
    content: str
    payload: dict[str, Any]
    source_note: str
    is_synthetic: bool = False

    @property
    def offset_minutes(self) -> int:
        return core.compress(self.day, first=FIRST_DAY, minutes_per_day=MINUTES_PER_DAY)


def build(data_dir: Path | None = None) -> list[InjectSpec]:
    """The injects of the scenario, from the files (raises :class:`ScenarioDataError`)."""
    base = Path(data_dir or settings.PARAAT_SHARED_DATA_DIR)
    admissions = read_admissions(base.joinpath(*ADMISSIONS_FILE))
    stringency = read_stringency(base.joinpath(*STRINGENCY_FILE))
    catalogue = read_measures()
    packages = {p["key"]: p for p in catalogue["packages"]}
    events = {(e["date"], e["kind"]): e for e in catalogue["events"]}

    def admission_inject(day: dt.date, title: str, compare_days: int = 7) -> InjectSpec:
        before = day - dt.timedelta(days=compare_days)
        now_avg, then_avg = admissions.avg7.get(day), admissions.avg7.get(before)
        if now_avg is None or then_avg is None:
            raise ScenarioDataError(f"no 7-day admissions for {day} or {before}")
        change = (now_avg - then_avg) / then_avg * 100
        content = (
            f"Ziekenhuisopnames (NICE) op {day:%d-%m-%Y}: {admissions.daily.get(day, 0)} op de "
            f"dag, 7-daags gemiddelde {_fmt(now_avg)} ({compare_days} dagen eerder "
            f"{_fmt(then_avg)}: {'+' if change >= 0 else ''}{_fmt(change)}%)."
        )
        return InjectSpec(
            day=day,
            kind="indicator",
            title=title,
            content=content,
            payload={
                "date": day.isoformat(),
                "hospital_admissions": admissions.daily.get(day),
                "hospital_admissions_7d_avg": now_avg,
                "hospital_admissions_7d_avg_before": then_avg,
                "compare_days": compare_days,
                "change_percent": round(change, 1),
            },
            source_note=NICE_SOURCE,
        )

    def measures_inject(
        day: dt.date, package_key: str, event_kind: str = "press_conference", extra: str = ""
    ) -> InjectSpec:
        package = packages[package_key]
        event = events.get((day.isoformat(), event_kind))
        start = dt.date.fromisoformat(package["start"])
        index_before = stringency.get(day - dt.timedelta(days=1))
        index_after = stringency.get(start)
        title = event["title_nl"] if event else package["name_nl"]
        content = package["description_nl"] + (f" {extra}" if extra else "")
        if index_before is not None and index_after is not None:
            content += (
                f" OxCGRT-stringency index Nederland: {_fmt(index_before)} op "
                f"{day - dt.timedelta(days=1):%d-%m}, {_fmt(index_after)} op {start:%d-%m}."
            )
        source = MEASURES_SOURCE + (f"; {event['source']}" if event else "")
        return InjectSpec(
            day=day,
            kind="measures",
            title=title,
            content=content,
            payload={
                "date": day.isoformat(),
                "package": package_key,
                "package_start": package["start"],
                "stringency_before": index_before,
                "stringency_after": index_after,
            },
            source_note=(source + "; " + OXCGRT_SOURCE)[:500],
        )

    specs = [
        measures_inject(dt.date(2020, 9, 18), "2020-09-20-regional-measures"),
        admission_inject(dt.date(2020, 9, 28), "Ziekenhuisopnames stijgen snel"),
        measures_inject(dt.date(2020, 9, 28), "2020-09-29-national-tightening"),
        admission_inject(dt.date(2020, 10, 13), "Opnames verdubbeld in twee weken", 14),
        measures_inject(dt.date(2020, 10, 13), "2020-10-14-partial-lockdown"),
        InjectSpec(
            day=dt.date(2020, 10, 20),
            kind="parliament",
            title="Kamervragen over de gevolgen van de gedeeltelijke lockdown (synthetisch)",
            content=(
                "Synthetische inject: Kamerleden vragen hoe het kabinet de gevolgen van de "
                "sluiting van de horeca voor jongeren, ondernemers en eenzame ouderen weegt."
            ),
            payload={},
            source_note="Synthetisch (oefenstof)",
            is_synthetic=True,
        ),
        InjectSpec(
            day=dt.date(2020, 10, 27),
            kind="advice_request",
            title="Spoedadviesaanvraag: verdere aanscherping (synthetisch)",
            content=(
                "Synthetische inject: de secretaris-generaal van SZW vraagt binnen 48 uur een "
                "advies over de maatschappelijke impact van een verdere aanscherping."
            ),
            payload={
                "title": "Maatschappelijke impact van een verdere aanscherping (synthetisch)",
                "question": (
                    "Welke maatschappelijke gevolgen heeft het tijdelijk sluiten van alle publiek "
                    "toegankelijke locaties en het beperken van bezoek thuis tot twee personen, "
                    "voor welke groepen, en welke flankerende maatregelen adviseert u?"
                ),
                "kind": "urgent",
                "deadline_hours": 48,
            },
            source_note="Synthetisch (oefenstof); de MIT bestond in 2020 nog niet",
            is_synthetic=True,
        ),
        admission_inject(dt.date(2020, 11, 2), "Opnames op het hoogste punt van de tweede golf"),
        measures_inject(dt.date(2020, 11, 3), "2020-11-04-temporary-tightening"),
        measures_inject(dt.date(2020, 12, 1), "2020-12-01-twm-mask-duty", event_kind="law"),
        admission_inject(dt.date(2020, 12, 14), "Opnames stijgen opnieuw"),
        measures_inject(
            dt.date(2020, 12, 14),
            "2020-12-15-lockdown",
            extra=packages["2020-12-16-schools-closed"]["description_nl"],
        ),
    ]
    return specs
