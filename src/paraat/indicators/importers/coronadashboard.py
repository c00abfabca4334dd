"""The national coronadashboard (coronadashboard.rijksoverheid.nl): NICE admissions and sewage.

Two layouts are read, both daily:

* the CSV files in the shared data (``nl_hospital_admissions_nice.csv``: ``date``,
  ``hospital_admissions``, ``hospital_admissions_7d_avg``, ``ic_admissions``,
  ``ic_admissions_7d_avg``; ``nl_sewer_rna_daily.csv``: ``date``, ``rna_per_100k_average``);
  any CSV with a ``date`` column and one or more of these columns reads;
* the dashboard's national JSON (``NL.json``), whose metrics hold ``values`` (and a
  ``last_value``): ``hospital_nice`` and ``intensive_care_nice`` with ``date_unix``,
  ``admissions_on_date_of_admission`` and ``admissions_on_date_of_admission_moving_average``
  (the trailing 7-day mean; null in the last days while reports come in), and ``sewer`` with
  ``date_unix`` and ``average`` (RNA particles per 100,000 inhabitants, in units of 100 billion).
  ``date_unix`` is read as a day in Europe/Amsterdam. Other metrics are ignored.

Each column or metric goes to a fixed indicator (``COLUMNS``, ``METRICS``); the keys are those
the demo data and the timeline use. A missing indicator is created with its source and licence.
Empty values (the 7-day mean of the first six days, the last days still coming in) are not
stored. The vintage is the JSON's ``last_generated`` (else its latest ``date_of_insertion_unix``),
for the CSV files, which carry no publication time, the moment of import.

A file that does not read raises :class:`CoronadashboardError` naming file, row and field and
nothing is stored; a single bad date or value is rejected on its own and listed in the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from paraat.accounts.models import Confidentiality, User
from paraat.indicators.errors import ImportFormatError, Rejection
from paraat.indicators.importers._common import (
    DuplicateGuard,
    ParsedRow,
    aware,
    finite,
    store_rows,
)
from paraat.indicators.models import Frequency, Indicator, Polarity, Speed
from paraat.indicators.services import ImportReport, ObservationInput, indicator_upsert
from paraat_core.periods import Frequency as CoreFrequency
from paraat_core.periods import period_containing

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_BYTES = 200 * 1024 * 1024
DATE_COLUMN = "date"
FILES = ("nl_hospital_admissions_nice.csv", "nl_sewer_rna_daily.csv", "NL.json")

NICE_SOURCE = (
    "Coronadashboard, Rijksoverheid (RIVM, Stichting NICE): ziekenhuis- en IC-opnames "
    "(NICE-registratie), open data"
)
SEWER_SOURCE = "Coronadashboard, Rijksoverheid (RIVM): rioolwatermonitoring, open data"
# data.overheid.nl lists RIVM's NICE and sewage open data as "Publiek domein".
LICENCE = "Publiek domein (RIVM open data, data.overheid.nl)"
SOURCE_URL = "https://coronadashboard.rijksoverheid.nl/"


@dataclass(frozen=True)
class IndicatorSpec:
    name_nl: str
    name_en: str
    unit: str
    source: str
    description: str = ""


INDICATORS: dict[str, IndicatorSpec] = {
    "nice-hospital-admissions": IndicatorSpec(
        "Covid-ziekenhuisopnames per dag",
        "Covid hospital admissions per day",
        "opnames per dag",
        NICE_SOURCE,
        "Nieuwe covid-ziekenhuisopnames per opnamedatum (NICE-registratie).",
    ),
    "nice-hospital-admissions-7d": IndicatorSpec(
        "Covid-ziekenhuisopnames, 7-daags gemiddelde",
        "Covid hospital admissions, 7-day average",
        "opnames per dag",
        NICE_SOURCE,
        "Gemiddelde van de opnames per opnamedatum over de laatste zeven dagen.",
    ),
    "nice-ic-admissions": IndicatorSpec(
        "Covid-IC-opnames per dag",
        "Covid ICU admissions per day",
        "opnames per dag",
        NICE_SOURCE,
        "Nieuwe covid-opnames op de intensive care per opnamedatum (NICE-registratie).",
    ),
    "nice-ic-admissions-7d": IndicatorSpec(
        "Covid-IC-opnames, 7-daags gemiddelde",
        "Covid ICU admissions, 7-day average",
        "opnames per dag",
        NICE_SOURCE,
        "Gemiddelde van de IC-opnames per opnamedatum over de laatste zeven dagen.",
    ),
    "sewage-rna-per-100k": IndicatorSpec(
        "Rioolwater: virusdeeltjes per 100.000 inwoners",
        "Sewage: virus particles per 100,000 inhabitants",
        "virusdeeltjes per 100.000 inwoners (× 100 miljard)",
        SEWER_SOURCE,
        "Gemiddeld aantal coronavirusdeeltjes (RNA) per 100.000 inwoners per dag, gemeten in "
        "de rioolwaterzuiveringsinstallaties.",
    ),
}

COLUMNS = {
    "hospital_admissions": "nice-hospital-admissions",
    "hospital_admissions_7d_avg": "nice-hospital-admissions-7d",
    "ic_admissions": "nice-ic-admissions",
    "ic_admissions_7d_avg": "nice-ic-admissions-7d",
    "rna_per_100k_average": "sewage-rna-per-100k",
}
METRICS: dict[str, dict[str, str]] = {
    "hospital_nice": {
        "admissions_on_date_of_admission": "nice-hospital-admissions",
        "admissions_on_date_of_admission_moving_average": "nice-hospital-admissions-7d",
    },
    "intensive_care_nice": {
        "admissions_on_date_of_admission": "nice-ic-admissions",
        "admissions_on_date_of_admission_moving_average": "nice-ic-admissions-7d",
    },
    "sewer": {"average": "sewage-rna-per-100k"},
}


class CoronadashboardError(ImportFormatError):
    """A coronadashboard file that cannot be imported; names the file, row and field."""


@dataclass
class ParsedFile:
    name: str
    rows: list[ParsedRow]
    rejected: list[Rejection]
    published: dt.datetime | None = None


# --- parsing (no database) ----------------------------------------------------------------


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise CoronadashboardError(path.name, None, "", "bestand ontbreekt")
    if path.stat().st_size > MAX_BYTES:
        raise CoronadashboardError(path.name, None, "", "bestand is te groot")
    return path.read_bytes()


def csv_parse(data: bytes, file_name: str) -> ParsedFile:
    """Read a coronadashboard CSV file (``date`` plus known columns, see ``COLUMNS``)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CoronadashboardError(file_name, None, "", "geen UTF-8-tekst") from None
    try:
        return _csv_rows(text, file_name)
    except csv.Error as error:
        raise CoronadashboardError(file_name, None, "", f"geen geldige CSV ({error})") from None


def _csv_rows(text: str, file_name: str) -> ParsedFile:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    if DATE_COLUMN not in header:
        raise CoronadashboardError(file_name, 1, DATE_COLUMN, "kolom ontbreekt in de kop")
    known = [(name, header.index(name)) for name in COLUMNS if name in header]
    if not known:
        expected = ", ".join(COLUMNS)
        raise CoronadashboardError(
            file_name, 1, "", f"geen bekende kolom in de kop (verwacht een van {expected})"
        )
    date_at = header.index(DATE_COLUMN)
    parsed = ParsedFile(name=file_name, rows=[], rejected=[])
    guard = DuplicateGuard()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            message = f"{len(cells)} kolommen, de kop heeft er {len(header)}"
            parsed.rejected.append(Rejection(file_name, number, "", message))
            continue
        raw_date = cells[date_at].strip()
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            parsed.rejected.append(
                Rejection(file_name, number, DATE_COLUMN, f"geen geldige datum: {raw_date[:40]!r}")
            )
            continue
        period = period_containing(day, CoreFrequency.DAY)
        for column, at in known:
            raw = cells[at].strip()
            if raw == "":
                continue
            try:
                value = float(raw)
            except ValueError:
                value = float("nan")
            if not finite(value):
                parsed.rejected.append(
                    Rejection(file_name, number, column, f"geen getal: {raw[:40]!r}")
                )
                continue
            row = ParsedRow(
                indicator=COLUMNS[column],
                observation=ObservationInput(period=period, value=value),
                file=file_name,
                row=number,
                field=column,
            )
            duplicate = guard.check(row)
            if duplicate is not None:
                parsed.rejected.append(duplicate)
            else:
                parsed.rows.append(row)
    return parsed


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and finite(float(value))


def _unix_day(value: Any) -> dt.date | None:
    if not _is_number(value):
        return None
    try:
        return dt.datetime.fromtimestamp(value, tz=AMSTERDAM).date()
    except (OverflowError, OSError, ValueError):
        return None


def _unix_moment(value: Any) -> dt.datetime | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not _is_number(value):
        return None
    try:
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def json_parse(data: bytes, file_name: str) -> ParsedFile:
    """Read the coronadashboard's national JSON layout (``hospital_nice``, … see ``METRICS``)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CoronadashboardError(file_name, None, "", "geen UTF-8-tekst") from None
    except (json.JSONDecodeError, RecursionError) as error:
        raise CoronadashboardError(file_name, None, "", f"geen geldige JSON ({error})") from None
    if not isinstance(document, dict):
        raise CoronadashboardError(file_name, None, "", "verwacht een JSON-object")
    metrics = [name for name in METRICS if name in document]
    if not metrics:
        raise CoronadashboardError(
            file_name, None, "", f"geen bekende onderdelen (verwacht een van {', '.join(METRICS)})"
        )
    parsed = ParsedFile(name=file_name, rows=[], rejected=[])
    guard = DuplicateGuard()
    inserted: list[dt.datetime] = []
    for metric in metrics:
        values = document[metric].get("values") if isinstance(document[metric], dict) else None
        if not isinstance(values, list):
            raise CoronadashboardError(file_name, None, f"{metric}.values", "verwacht een lijst")
        for number, item in enumerate(values, start=1):
            for rejection_or_row in _json_item(metric, number, item, file_name, inserted):
                if isinstance(rejection_or_row, Rejection):
                    parsed.rejected.append(rejection_or_row)
                    continue
                duplicate = guard.check(rejection_or_row)
                if duplicate is not None:
                    parsed.rejected.append(duplicate)
                else:
                    parsed.rows.append(rejection_or_row)
    parsed.published = _unix_moment(document.get("last_generated")) or max(inserted, default=None)
    return parsed


def _json_item(
    metric: str, number: int, item: Any, file_name: str, inserted: list[dt.datetime]
) -> Iterator[ParsedRow | Rejection]:
    if not isinstance(item, dict):
        yield Rejection(file_name, number, metric, "verwacht een object")
        return
    moment = _unix_moment(item.get("date_of_insertion_unix"))
    if moment is not None:
        inserted.append(moment)
    day = _unix_day(item.get("date_unix"))
    if day is None:
        start, end = _unix_day(item.get("date_start_unix")), _unix_day(item.get("date_end_unix"))
        if start is not None and start == end:
            day = start
        else:
            yield Rejection(
                file_name, number, f"{metric}.date_unix", "geen dagdatum (Unix-tijd) gevonden"
            )
            return
    period = period_containing(day, CoreFrequency.DAY)
    for name, indicator in METRICS[metric].items():
        value = item.get(name)
        if value is None:
            continue
        if not _is_number(value):
            yield Rejection(
                file_name, number, f"{metric}.{name}", f"geen getal: {str(value)[:40]!r}"
            )
            continue
        yield ParsedRow(
            indicator=indicator,
            observation=ObservationInput(period=period, value=float(value)),
            file=file_name,
            row=number,
            field=f"{metric}.{name}",
        )


def coronadashboard_parse(path: Path) -> list[ParsedFile]:
    """Read ``path``: a coronadashboard CSV or JSON file, or a folder holding them (``FILES``)."""
    path = Path(path)
    if path.is_dir():
        files = [path / name for name in FILES if (path / name).is_file()]
        if not files:
            raise CoronadashboardError(
                path.name, None, "", f"geen coronadashboardbestanden ({', '.join(FILES)})"
            )
    else:
        files = [path]
    parsed = []
    for file in files:
        data = _read(file)
        if file.suffix.lower() == ".json":
            parsed.append(json_parse(data, file.name))
        else:
            parsed.append(csv_parse(data, file.name))
    return parsed


# --- service ------------------------------------------------------------------------------


def _indicator(key: str) -> Indicator:
    existing = Indicator.objects.filter(key=key).first()
    if existing is not None:
        return existing
    spec = INDICATORS[key]
    return indicator_upsert(
        key=key,
        name_nl=spec.name_nl,
        name_en=spec.name_en,
        unit=spec.unit,
        frequency=Frequency.DAY,
        polarity=Polarity.HIGHER_WORSE,
        speed=Speed.FAST,
        source=spec.source,
        source_url=SOURCE_URL,
        licence=LICENCE,
        description=spec.description,
        domain_key="physical-health",
        confidentiality=Confidentiality.PUBLIC,
    )


@transaction.atomic
def coronadashboard_import(*, path: Path, user: User | None = None) -> ImportReport:
    """Import a coronadashboard CSV or JSON file, or a folder of them, as daily observations.

    Creates the indicators of ``INDICATORS`` that are missing (existing ones are left as they
    are). All files are read before anything is stored; a file that does not read raises
    :class:`CoronadashboardError` and nothing is stored. One batch and report for the call.
    """
    parsed = coronadashboard_parse(Path(path))
    guard = DuplicateGuard()  # a day in two files of one folder (a CSV and NL.json): first wins
    rows: list[ParsedRow] = []
    rejected = [rejection for file in parsed for rejection in file.rejected]
    for row in (row for file in parsed for row in file.rows):
        duplicate = guard.check(row)
        if duplicate is None:
            rows.append(row)
        else:
            rejected.append(duplicate)
    keys = list(dict.fromkeys(row.indicator for row in rows))
    indicators = {key: _indicator(key) for key in keys}
    published = [file.published for file in parsed if file.published is not None]
    vintage = aware(max(published)) if len(published) == len(parsed) else aware(None)
    name = ", ".join(file.name for file in parsed)
    return store_rows(
        source_kind="coronadashboard",
        name=f"Coronadashboard: {name}",
        source=name,
        rows=rows,
        indicators=indicators,
        rejected=rejected,
        vintage=vintage,
        user=user,
    )
