"""The demo indicator set of the societal picture (``demo_data/indicators.json``).

Every definition names its real source (organisation, table, topic, licence), so that a live
refresh can take over where a network is available. Values are real where the shared data has
them — covid hospital and ICU admissions (NICE), sewage RNA and the OxCGRT stringency index — and
keep that source and licence. All other values are synthetic: generated deterministically
(a numpy Generator with a fixed seed per indicator) over 2019–2022 with a covid-period shape
driven by the real stringency index or the real hospital admissions, marked ``is_synthetic`` and
named "(synthetisch)", their method note starting with "Synthetische demowaarden".

Observations get the vintage a reader would have seen them at: the end of the period plus the
publication lag (some indicators are first published provisional and revised later), not the
moment of loading, so that "what was known on date X" works on the demo data. Loading twice adds
nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import math
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction

from paraat.accounts.models import Confidentiality
from paraat.indicators.models import (
    Frequency,
    ImportBatch,
    Indicator,
    ObservationStatus,
    Polarity,
    Speed,
)
from paraat.indicators.services import (
    ObservationInput,
    indicator_upsert,
    observations_plan,
    observations_write,
)
from paraat_core.periods import Frequency as CoreFrequency
from paraat_core.periods import Period, next_period, period_containing

DEMO_FILE = Path(__file__).parent / "demo_data" / "indicators.json"
SEED = 20200315
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SYNTHETIC_NOTE = (
    "Synthetische demowaarden, geen echte cijfers: de definitie en de bron zijn echt, de waarden "
    "zijn voor de demo gegenereerd."
)
SYNTHETIC_SUFFIX_NL = " (synthetisch)"
SYNTHETIC_SUFFIX_EN = " (synthetic)"
GROUP_DIMENSION = "group"
GROUP_SAMPLE_SHARE = 0.15  # each group is this share of a survey wave
COVID_START = dt.date(2020, 3, 15)  # effects fade (adaptation) from the first lockdown on
DRIVER_START = dt.date(2018, 1, 1)
DRIVER_END = dt.date(2023, 12, 31)
NOMINAL_DAYS = {
    "day": 1.0,
    "week": 7.0,
    "month": 30.4375,
    "quarter": 91.3125,
    "half_year": 182.625,
    "year": 365.25,
}
NICE_FILE = ("coronadashboard", "nl_hospital_admissions_nice.csv")
SEWAGE_FILE = ("coronadashboard", "nl_sewer_rna_daily.csv")
STRINGENCY_FILE = ("oxcgrt", "OxCGRT_timeseries_StringencyIndex_v1_selection.csv")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}


def indicator_definitions(*, path: Path = DEMO_FILE) -> list[dict[str, Any]]:
    """The demo definitions as written in the JSON file (survey wave sizes included)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return list(data["indicators"])


# --- reading the shared data -------------------------------------------------------------------


def _daily_column(path: Path, column: str) -> dict[dt.date, float]:
    """One column of a coronadashboard CSV (``date`` + value columns); empty cells are left out."""
    values: dict[dt.date, float] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            raise ValueError(f"{path.name}: kolom {column!r} ontbreekt")
        for row in reader:
            raw = (row.get(column) or "").strip()
            if raw:
                values[dt.date.fromisoformat(row["date"].strip())] = float(raw)
    return values


def _oxcgrt_day(text: str) -> dt.date:
    """``01Jan2020`` (OxCGRT column heads; parsed without the locale)."""
    return dt.date(int(text[5:9]), _MONTHS[text[2:5]], int(text[:2]))


def _stringency(path: Path, country: str = "NLD") -> dict[dt.date, float]:
    """The national stringency index of ``country``: one row per jurisdiction, a column per day."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        head = next(reader)
        first_day = head.index("Jurisdiction") + 1
        for row in reader:
            if row[0] == country and row[head.index("Jurisdiction")] == "NAT_TOTAL":
                return {
                    _oxcgrt_day(day): float(value)
                    for day, value in zip(head[first_day:], row[first_day:], strict=False)
                    if value.strip()
                }
    raise ValueError(f"{path.name}: geen landelijke rij voor {country}")


@dataclass
class SharedData:
    """The shared data folder, each series read once."""

    data_dir: Path
    _cache: dict[tuple[str, str], dict[dt.date, float]] = field(default_factory=dict)

    def series(self, kind: str, detail: str) -> dict[dt.date, float]:
        key = (kind, detail)
        if key not in self._cache:
            if kind in ("nice-hospital", "nice-ic"):
                self._cache[key] = _daily_column(self.data_dir.joinpath(*NICE_FILE), detail)
            elif kind == "sewage":
                self._cache[key] = _daily_column(self.data_dir.joinpath(*SEWAGE_FILE), detail)
            elif kind == "stringency":
                self._cache[key] = _stringency(self.data_dir.joinpath(*STRINGENCY_FILE), detail)
            else:
                raise ValueError(f"onbekende echte reeks: {kind!r}")
        return self._cache[key]

    def driver(self, name: str) -> np.ndarray:
        """A covid-pressure driver per day from DRIVER_START (gaps carried forward, 0 before)."""
        if name == "stringency":
            daily, scale = self.series("stringency", "NLD"), 100.0
        elif name in ("hospital", "hospital_relative"):
            daily = self.series("nice-hospital", "hospital_admissions_7d_avg")
            scale = max(daily.values()) if name == "hospital_relative" else 1.0
        else:
            raise ValueError(f"onbekende covid-driver: {name!r}")
        values = np.zeros((DRIVER_END - DRIVER_START).days + 1)
        last = 0.0
        for offset in range(len(values)):
            day = DRIVER_START + dt.timedelta(days=offset)
            last = daily[day] / scale if day in daily else last
            values[offset] = last
        return values


# --- synthetic series ----------------------------------------------------------------------------


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _periods(spec: dict[str, Any], frequency: str, cbs: bool) -> list[Period]:
    start, end = _date(spec["start"]), _date(spec["end"])
    period = period_containing(start, CoreFrequency(frequency), cbs=cbs)
    result = []
    while period.start <= end:
        result.append(period)
        period = next_period(period)
    every = int(spec.get("every", 1))
    return result[::every]


def _ema(values: np.ndarray, memory_days: float) -> np.ndarray:
    if memory_days <= 1:
        return values
    out = np.empty_like(values)
    level, weight = 0.0, 1.0 / memory_days
    for index, value in enumerate(values):
        level += (value - level) * weight
        out[index] = level
    return out


def _covid_shape(spec: dict[str, Any], shared: SharedData) -> np.ndarray:
    """The covid pressure per day (from DRIVER_START) that ``covid_effect`` multiplies."""
    shape = _ema(
        shared.driver(spec.get("covid_driver", "stringency")),
        float(spec.get("covid_memory_days", 0)),
    )
    adaptation = spec.get("covid_adaptation_days")
    if adaptation:
        offsets = np.arange(len(shape)) - (COVID_START - DRIVER_START).days
        shape = shape * np.exp(-np.clip(offsets, 0, None) / float(adaptation))
    if spec.get("covid_mode", "level") == "yoy":
        shifted = np.concatenate([np.zeros(365), shape[:-365]])
        shape = shape - shifted
    return shape


def _bump(day: dt.date, bump: dict[str, Any]) -> float:
    start, peak, end = _date(bump["start"]), _date(bump["peak"]), _date(bump["end"])
    if day <= start or day >= end:
        return 0.0
    if day <= peak:
        return float(bump["size"]) * (day - start).days / max((peak - start).days, 1)
    return float(bump["size"]) * (end - day).days / max((end - peak).days, 1)


def _true_value(spec: dict[str, Any], period: Period, shape: np.ndarray, frequency: str) -> float:
    """The noiseless value of a period: mean over its days of level, season, covid and bumps."""
    start = _date(spec["start"])
    days = [period.start + dt.timedelta(days=n) for n in range(period.days)]
    middle = period.start + (period.end - period.start) / 2
    value = float(spec["base"]) + float(spec.get("trend", 0)) * (middle - start).days / 365.25
    season = float(spec.get("season", 0))
    if season:
        month, day_of_month = (int(part) for part in spec.get("season_peak", "01-15").split("-"))
        peak = dt.date(2001, month, day_of_month).timetuple().tm_yday
        value += season * float(
            np.mean([math.cos(2 * math.pi * (d.timetuple().tm_yday - peak) / 365.25) for d in days])
        )
    effect = float(spec.get("covid_effect", 0))
    if effect:
        first = (period.start - DRIVER_START).days
        value += effect * float(shape[first : first + period.days].mean())
    for bump in spec.get("bumps", []):
        value += float(np.mean([_bump(d, bump) for d in days]))
    if spec.get("aggregation") == "sum":
        value *= period.days / NOMINAL_DAYS[frequency]
    return value


def _finish(spec: dict[str, Any], value: float) -> float:
    low, high = spec.get("clip", (-math.inf, math.inf))
    return round(min(max(value, low), high), int(spec.get("decimals", 1)))


def _noisy(
    spec: dict[str, Any], rng: np.random.Generator, value: float, multiplier: float, group: bool
) -> float:
    survey_n = spec.get("survey_n")
    if survey_n:
        n = max(int(survey_n * (GROUP_SAMPLE_SHARE if group else 1.0)), 2)
        share = min(max(value / 100.0, 0.01), 0.99)
        return 100.0 * rng.binomial(n, share) / n
    return value + float(rng.normal(0.0, float(spec.get("noise", 0)) * abs(multiplier)))


def _vintage(day: dt.date, lag_days: int, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=lag_days), dt.time(hour), AMSTERDAM)


def _synthetic_rows(
    definition: dict[str, Any], shared: SharedData
) -> list[tuple[dt.datetime, ObservationInput]]:
    """Headline (``""``) and group rows with their vintages; revisions get a second vintage."""
    spec = definition["data"]["synthetic"]
    frequency = definition["frequency"]
    periods = _periods(spec, frequency, cbs=definition.get("period_codes") == "cbs")
    shape = _covid_shape(spec, shared) if spec.get("covid_effect") else np.zeros(0)
    rng = np.random.default_rng([SEED, zlib.crc32(definition["key"].encode())])
    breakdowns = [("", 1.0)] + [
        (f"{GROUP_DIMENSION}={group}", float(multiplier))
        for group, multiplier in sorted(spec.get("groups", {}).items())
    ]
    provisional_from = len(periods) - int(spec.get("provisional_periods", 0))
    revision = spec.get("revision")
    lag = int(definition["publication_lag_days"])
    rows: list[tuple[dt.datetime, ObservationInput]] = []
    for index, period in enumerate(periods):
        true = _true_value(spec, period, shape, frequency)
        published = _vintage(period.end, lag)
        for breakdown, multiplier in breakdowns:
            value = _finish(spec, _noisy(spec, rng, true * multiplier, multiplier, bool(breakdown)))

            if index >= provisional_from:
                versions = [(published, value, ObservationStatus.PROVISIONAL)]
            elif revision:
                shift = float(revision.get("bias", 0)) * abs(multiplier) + float(
                    rng.normal(0.0, float(revision["sd"]) * abs(multiplier))
                )
                versions = [
                    (published, _finish(spec, value + shift), ObservationStatus.PROVISIONAL),
                    (
                        _vintage(period.end, int(revision["lag_days"])),
                        value,
                        ObservationStatus.FINAL,
                    ),
                ]
            else:
                versions = [(published, value, ObservationStatus.FINAL)]
            rows.extend(
                (vintage, ObservationInput(period, figure, status, breakdown))
                for vintage, figure, status in versions
            )
    return rows


def _real_rows(
    definition: dict[str, Any], shared: SharedData
) -> list[tuple[dt.datetime, ObservationInput]]:
    data = definition["data"]
    kind = data["real"]
    series = shared.series(
        kind, data.get("country", "NLD") if kind == "stringency" else data["column"]
    )
    lag = int(definition["publication_lag_days"])
    hour = 12 if kind == "stringency" else 16
    return [
        (
            _vintage(day, lag, hour),
            ObservationInput(period=period_containing(day, CoreFrequency.DAY), value=value),
        )
        for day, value in sorted(series.items())
    ]


# --- storing ---------------------------------------------------------------------------------


def _check(
    definition: dict[str, Any], domains: set[str], groups: dict[str, str], file: str
) -> None:
    key = definition.get("key", "?")

    def fail(message: str) -> None:
        raise ValueError(f"{file}, indicator {key!r}: {message}")

    if definition.get("domain") not in domains:
        fail(f"onbekend domein {definition.get('domain')!r}")
    for name, choices in (
        ("frequency", Frequency.values),
        ("polarity", Polarity.values),
        ("speed", Speed.values),
    ):
        if definition.get(name) not in choices:
            fail(f"{name} {definition.get(name)!r} is niet een van {choices}")
    listed = definition.get("groups", [])
    unknown = [group for group in listed if group not in groups]
    if unknown:
        fail(f"onbekende groep(en) {unknown}")
    data = definition.get("data", {})
    if ("real" in data) == ("synthetic" in data):
        fail("data moet precies één van 'real' en 'synthetic' hebben")
    if "synthetic" in data and sorted(data["synthetic"].get("groups", {})) != sorted(listed):
        fail("de groepen in data.synthetic.groups moeten gelijk zijn aan 'groups'")


def _upsert(definition: dict[str, Any], group_names: dict[str, str]) -> Indicator:
    """Define a demo indicator once; a later load leaves the definition as an editor left it
    (for example a changed confidentiality or threshold)."""
    existing = Indicator.objects.filter(key=definition["key"]).first()
    if existing is not None:
        return existing
    synthetic = "synthetic" in definition["data"]
    name_nl, name_en = definition["name_nl"], definition["name_en"]
    method_note = definition["method_note"]
    if synthetic:
        name_nl += SYNTHETIC_SUFFIX_NL
        name_en += SYNTHETIC_SUFFIX_EN
        method_note = f"{SYNTHETIC_NOTE} {method_note}"
    indicator = indicator_upsert(
        key=definition["key"],
        name_nl=name_nl,
        name_en=name_en,
        unit=definition["unit"],
        frequency=definition["frequency"],
        polarity=definition["polarity"],
        speed=definition["speed"],
        publication_lag_days=int(definition["publication_lag_days"]),
        source=definition["source"],
        source_url=definition.get("source_url", ""),
        source_table=definition.get("source_table", ""),
        source_topic=definition.get("source_topic", ""),
        licence=definition["licence"],
        method_note=method_note,
        domain_key=definition["domain"],
        headline_breakdown="",
        threshold_warning=definition.get("threshold_warning"),
        threshold_alert=definition.get("threshold_alert"),
        is_synthetic=synthetic,
        confidentiality=Confidentiality.PUBLIC,
    )
    groups = definition.get("groups", [])
    breakdowns = (
        {GROUP_DIMENSION: {"title": "Groep", "values": {g: group_names[g] for g in groups}}}
        if groups
        else {}
    )
    if indicator.breakdowns != breakdowns:
        indicator.breakdowns = breakdowns
        indicator.save(update_fields=["breakdowns"])
    return indicator


@transaction.atomic
def indicators_demo_load(*, data_dir: Path, path: Path = DEMO_FILE) -> dict[str, int]:
    """Define the demo indicators and store their observations (real and synthetic); idempotent.

    ``data_dir`` is the shared data folder (``coronadashboard/`` and ``oxcgrt/``). Returns the
    number of indicators (``real``, ``synthetic``) and of observations ``added``, ``revised``
    (later vintages of a period) and ``unchanged`` (already stored).
    """
    from paraat.taxonomies.models import Domain, PopulationGroup
    from paraat.taxonomies.services import taxonomy_seed

    taxonomy_seed()
    domains = set(Domain.objects.values_list("key", flat=True))
    group_names = dict(PopulationGroup.objects.values_list("key", "name_nl"))
    definitions = indicator_definitions(path=path)
    for definition in definitions:
        _check(definition, domains, group_names, path.name)
    keys = [definition["key"] for definition in definitions]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path.name}: dubbele indicatorcodes")
    shared = SharedData(data_dir=data_dir)
    summary = {"indicators": 0, "real": 0, "synthetic": 0, "added": 0, "revised": 0, "unchanged": 0}
    batch: ImportBatch | None = None
    for definition in definitions:
        indicator = _upsert(definition, group_names)
        synthetic = "synthetic" in definition["data"]
        rows = (_synthetic_rows if synthetic else _real_rows)(definition, shared)
        counts, pending = observations_plan(
            indicator=indicator,
            rows=[dataclasses.replace(row, vintage=when) for when, row in rows],
        )
        if pending:
            if batch is None:  # only a load that stores something leaves an import record
                batch = ImportBatch.objects.create(
                    source_kind="demo", name="Demo-indicatoren (echt en synthetisch)"
                )
            observations_write(pending=pending, batch=batch)
        summary["indicators"] += 1
        summary["synthetic" if synthetic else "real"] += 1
        summary["added"] += counts.added
        summary["revised"] += counts.revised
        summary["unchanged"] += counts.unchanged
    if batch is not None:
        # As the import services do: the report lists the indicators' keys.
        batch.report = {"source": "demo", **summary, "indicators": keys}
        batch.save(update_fields=["report"])
    summary.update(demo_signals_and_index())
    return summary


# Signal rules of the demo: which rule watches which indicator (thresholds come from the
# definitions); survey rules use each wave's sample size from the definition.
DEMO_RULES: list[tuple[str, str, dict[str, Any]]] = [
    ("weekly-deaths", "baseline", {"window": 8, "seasonal": False}),
    ("unemployment-rate", "trend_break", {"window": 6}),
    ("bankruptcies", "year_on_year", {"warning_pct": 25.0, "alert_pct": 50.0}),
    ("registered-crime", "year_on_year", {"warning_pct": 15.0, "alert_pct": 30.0}),
    ("retail-turnover", "year_on_year", {"warning_pct": 10.0, "alert_pct": 20.0}),
]
DEMO_RUNS_UNTIL = dt.datetime(2023, 4, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))
DEMO_INDEX = {
    "key": "maatschappelijke-index",
    "name_nl": "Maatschappelijke index (synthetische demo)",
    "name_en": "Societal index (synthetic demo)",
    "description": (
        "Demonstratie van de samengestelde index op synthetische demowaarden: geen echt beeld "
        "van Nederland."
    ),
    "start_period": "2019MM01",
    "frequency": "month",
    "missing": "carry_forward",
    "members": [
        ("unemployment-rate", 1.0),
        ("unemployment-benefits", 1.0),
        ("social-assistance", 1.0),
        ("inflation-cpi", 1.0),
        ("consumer-confidence", 1.0),
        ("bankruptcies", 1.0),
        ("registered-crime", 1.0),
        ("gp-referrals", 1.0),
        ("sickness-absence", 1.0),
        ("trust-in-government", 1.0),
    ],
    "group_keys": ["young-people"],
}


def demo_signals_and_index() -> dict[str, int]:
    """Rules on the demo indicators, their signals, and the demo composite index with one run.

    Idempotent: rules and the index are defined once; evaluating again stores no signal twice;
    runs (one per quarter, 2,000 draws each) are computed only when the index has none.
    """
    from paraat.indicators.models import CompositeIndex, SignalRule
    from paraat.indicators.services import (
        composite_compute,
        composite_index_save,
        signal_rule_create,
        signals_evaluate,
    )

    indicators = {i.key: i for i in Indicator.objects.all()}
    wanted: list[tuple[str, str, dict[str, Any]]] = [
        (key, "threshold", {"only_crossings": True})  # a crossing, not every day beyond
        for key, indicator in indicators.items()
        if indicator.threshold_warning is not None or indicator.threshold_alert is not None
    ]
    wanted += DEMO_RULES
    definitions = {d["key"]: d for d in indicator_definitions(path=DEMO_FILE)}
    for key, definition in definitions.items():
        size = definition["data"].get("synthetic", {}).get("survey_n")
        if size:
            wanted.append((key, "survey_change", {"n": int(size)}))
    rules = 0
    for key, kind, params in wanted:
        indicator = indicators.get(key)
        if indicator is None or SignalRule.objects.filter(indicator=indicator, kind=kind).exists():
            continue
        signal_rule_create(indicator=indicator, kind=kind, params=params)
        rules += 1
    signals = len(signals_evaluate())
    index = CompositeIndex.objects.filter(key=DEMO_INDEX["key"]).first()
    if index is None:
        index = composite_index_save(**DEMO_INDEX)  # type: ignore[arg-type]
    # One run per quarter of the demo period, so every peildatum shows the index as computed then.
    runs = 0
    if not index.runs.exists():
        for year in range(2019, 2024):
            for month in (1, 4, 7, 10):
                as_of = dt.datetime(year, month, 1, tzinfo=AMSTERDAM)
                if dt.datetime(2019, 4, 1, tzinfo=AMSTERDAM) <= as_of <= DEMO_RUNS_UNTIL:
                    composite_compute(index=index, as_of=as_of, draws=2000)
                    runs += 1
    return {"rules": rules, "signals": signals, "composite_runs": runs}
