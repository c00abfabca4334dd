"""Importing OxCGRT files into the timelines (CLI and background job).

Two stages. *Parse* (this module, no database writes): read and check the whole file with the
core reader, compute every index, and collect plain rows, reporting progress as it goes — that
progress is visible at once because nothing is inside a transaction yet. *Store*
(``services.oxcgrt_daily_store`` / ``oxcgrt_timeseries_store``): one transaction that replaces
the stored rows, so a file is imported whole or not at all.

Daily files (full-with-notes or compact, national or subnational) become ``PolicyRecord`` and
computed ``IndexValue`` rows (plus the published index values the file holds);
``OxCGRT_timeseries_<Index>_*`` files become published ``IndexValue`` rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.core.files.uploadedfile import UploadedFile

from paraat.accounts.models import User
from paraat.jobs.models import Job
from paraat.jobs.services import JobInputError, job_run_upload, job_start_for_upload
from paraat.measures import services
from paraat.measures.models import AppliesTo, IndexSource
from paraat.measures.services import (
    DailyImport,
    IndexRow,
    JurisdictionRef,
    PolicyRow,
    TimeseriesImport,
)
from paraat_core.oxcgrt.csvio import (
    TIMESERIES_KEY_COLUMNS,
    JurisdictionKey,
    OxcgrtFormatError,
    read_policy_table,
    read_timeseries,
)
from paraat_core.oxcgrt.indices import INDEX_COLUMNS

Progress = Callable[[int, int, str], None]
TIMESERIES_HEADER = list(TIMESERIES_KEY_COLUMNS)
_TIMESERIES_NAME = re.compile(r"OxCGRT_timeseries_([A-Za-z]+Index)", re.IGNORECASE)
_KNOWN_TIMESERIES = {
    "stringencyindex": "StringencyIndex",
    "containmenthealthindex": "ContainmentHealthIndex",
    "governmentresponseindex": "GovernmentResponseIndex",
    "economicsupportindex": "EconomicSupportIndex",
    "stringencylegacyindex": "StringencyLegacyIndex",
}
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_CODE = re.compile(r"^[A-Za-z0-9_\-]{0,20}$")
PARSE_SHARE = 70  # percent of the progress bar for parsing; storing takes the rest


class OxcgrtImportError(JobInputError):
    """The file cannot be imported; the message names file, row and column."""


def _noop(current: int, total: int, message: str) -> None:
    return None


def _header(path: Path, display_name: str) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise OxcgrtImportError(
            f"{display_name}, rij 1: het bestand is geen leesbare CSV ({exc})."
        ) from None


def _timeseries_index(display_name: str) -> str:
    match = _TIMESERIES_NAME.search(display_name)
    name = _KNOWN_TIMESERIES.get(match.group(1).lower()) if match else None
    if name is None:
        raise OxcgrtImportError(
            f"{display_name}: tijdreeksbestand, maar uit de bestandsnaam blijkt niet welke index "
            "het is (verwacht: OxCGRT_timeseries_StringencyIndex…, …ContainmentHealthIndex…, "
            "…GovernmentResponseIndex… of …EconomicSupportIndex…)."
        )
    # OxCGRT's simple files call their default (weighted, else simple average) "_Average".
    return name if name == "EconomicSupportIndex" else f"{name}_Average"


def _reference(key: JurisdictionKey, name: str, display_name: str, row: int) -> JurisdictionRef:
    """Check a jurisdiction's codes (they end up in URLs, file names and the database)."""
    checks = (
        ("CountryCode", key.country_code, _COUNTRY, "drie hoofdletters (ISO 3166-1 alpha-3)"),
        ("RegionCode", key.region_code or key.city_code, _CODE, "hoogstens 20 letters/cijfers"),
        ("Jurisdiction", key.jurisdiction or "NAT_TOTAL", _CODE, "hoogstens 20 letters/cijfers"),
    )
    for column, value, pattern, expected in checks:
        if not pattern.match(value):
            raise OxcgrtImportError(
                f"{display_name}, rij {row}, kolom '{column}': {value[:40]!r} is geen geldige "
                f"code ({expected})."
            )
    return JurisdictionRef(
        country_code=key.country_code,
        region_code=key.region_code or key.city_code,
        kind=key.jurisdiction or "NAT_TOTAL",
        name=name[:200],
    )


def _format_error(exc: OxcgrtFormatError, display_name: str) -> OxcgrtImportError:
    return OxcgrtImportError(str(exc).replace(exc.file, display_name, 1) if exc.file else str(exc))


def parse_timeseries(path: Path, display_name: str, progress: Progress) -> TimeseriesImport:
    index = _timeseries_index(display_name)
    try:
        series = read_timeseries(path)
    except OxcgrtFormatError as exc:
        raise _format_error(exc, display_name) from None
    rows: list[tuple[JurisdictionRef, list[tuple[dt.date, float]]]] = []
    total = len(series.jurisdictions)
    for number, (who, values) in enumerate(
        zip(series.jurisdictions, series.values, strict=True), start=2
    ):
        name = who.region_name or who.city_name or who.country_name
        reference = _reference(who.key, name, display_name, number)
        rows.append(
            (
                reference,
                [
                    (day, value)
                    for day, value in zip(series.dates, values, strict=True)
                    if value is not None
                ],
            )
        )
        progress(number - 1, total, f"{display_name}: {name}")
    return TimeseriesImport(index=index, dates=list(series.dates), rows=rows)


def _published_columns(
    path: Path, header: list[str], display_name: str
) -> dict[str, list[float | None]]:
    present = [name for name in INDEX_COLUMNS if name in header]
    out: dict[str, list[float | None]] = {name: [] for name in present}
    if not present:
        return out
    positions = [(name, header.index(name)) for name in present]
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        for line, row in enumerate(reader, start=2):
            for name, position in positions:
                raw = row[position].strip() if position < len(row) else ""
                if raw in ("", "NA"):
                    out[name].append(None)
                    continue
                try:
                    value = float(raw)
                except ValueError:
                    value = math.nan
                if not (math.isfinite(value) and 0 <= value <= 100):
                    raise OxcgrtImportError(
                        f"{display_name}, rij {line}, kolom '{name}': {raw[:40]!r} is geen "
                        "indexwaarde (een getal van 0 tot 100)."
                    )
                out[name].append(value)
    return out


def parse_daily(
    path: Path, display_name: str, header: list[str], progress: Progress
) -> DailyImport:
    try:
        table = read_policy_table(path)
        computed = table.compute()
    except OxcgrtFormatError as exc:
        raise _format_error(exc, display_name) from None
    n = table.n_rows
    progress(0, n, f"{display_name}: gelezen en berekend, dagrecords verzamelen")
    published = _published_columns(path, header, display_name)
    # Everything comes from the table already read (one pass over the file).
    keys = table.keys
    references: dict[JurisdictionKey, JurisdictionRef] = {}
    row_refs: list[JurisdictionRef] = []
    for i, parts in enumerate(
        zip(
            keys["CountryCode"],
            keys["RegionCode"],
            keys["CityCode"],
            keys["Jurisdiction"],
            strict=True,
        )
    ):
        key = JurisdictionKey(*parts)
        reference = references.get(key)
        if reference is None:
            # Row numbers as the core reader counts them: header = 1, one row per record.
            reference = references[key] = _reference(key, "", display_name, i + 2)
        row_refs.append(reference)
    policies: list[PolicyRow] = []
    populations = (
        (AppliesTo.EVERYONE, table.everyone),
        (AppliesTo.NON_VACCINATED, table.non_vaccinated),
        (AppliesTo.VACCINATED, table.vaccinated),
    )
    for applies_to, columns in populations:
        if columns is None:
            continue
        for code, values in columns.values.items():
            flags = columns.flags.get(code)
            present = values >= 0 if flags is None else (values >= 0) | (flags >= 0)
            for i in np.flatnonzero(present).tolist():
                value, flag = int(values[i]), -1 if flags is None else int(flags[i])
                policies.append(
                    PolicyRow(
                        i,
                        code,
                        applies_to,
                        value if value >= 0 else None,
                        flag if flag >= 0 else None,
                    )
                )
    progress(n, n, f"{display_name}: dagrecords verzameld")
    indices: list[IndexRow] = []
    for name in INDEX_COLUMNS:
        column = computed.values(name)
        indices.extend(
            IndexRow(i, name, IndexSource.COMPUTED, float(column[i]))
            for i in np.flatnonzero(~np.isnan(column)).tolist()
        )
        indices.extend(
            IndexRow(i, name, IndexSource.PUBLISHED, value)
            for i, value in enumerate(published.get(name, []))
            if value is not None
        )
    return DailyImport(
        jurisdictions=row_refs,
        dates=[dt.date.fromordinal(int(d)) for d in table.days.tolist()],
        policies=policies,
        indices=indices,
        published_columns=sorted(published),
    )


def oxcgrt_import_file(
    *, path: Path, progress: Progress | None = None, display_name: str | None = None
) -> dict[str, Any]:
    """Import one OxCGRT file; raises OxcgrtImportError (file, row, column) on bad input."""
    progress = progress or _noop
    display_name = display_name or path.name

    def parse_progress(current: int, total: int, message: str) -> None:
        progress(current * PARSE_SHARE // max(total, 1), 100, message)

    header = _header(path, display_name)
    if header[: len(TIMESERIES_HEADER)] == TIMESERIES_HEADER and "Date" not in header:
        prepared_ts = parse_timeseries(path, display_name, parse_progress)
        progress(PARSE_SHARE, 100, f"{display_name}: opslaan in de database")
        return services.oxcgrt_timeseries_store(data=prepared_ts)
    if "Date" not in header or "CountryCode" not in header:
        raise OxcgrtImportError(
            f"{display_name}, rij 1: geen OxCGRT-bestand (kolommen 'CountryCode' en 'Date' "
            "of de kolommen van een tijdreeks ontbreken)."
        )
    prepared = parse_daily(path, display_name, header, parse_progress)
    progress(
        PARSE_SHARE,
        100,
        f"{display_name}: {len(prepared.policies)} dagwaarden en {len(prepared.indices)} "
        "indexwaarden opslaan in de database",
    )
    return services.oxcgrt_daily_store(data=prepared)


# --- background job -------------------------------------------------------------------------


def oxcgrt_import_start(*, upload: UploadedFile, user: User) -> Job:
    """Store the upload, create a job and enqueue the import task."""
    from paraat.measures.tasks import oxcgrt_import_task

    return job_start_for_upload(
        upload=upload,
        kind="oxcgrt_import",
        title="OxCGRT-import: {name}",
        params={},
        created_by=user,
        task=oxcgrt_import_task,
    )


def oxcgrt_import_run(*, job: Job) -> Job:
    """Run the import of a stored upload for ``job``; the stored file is removed afterwards."""
    return job_run_upload(
        job=job,
        work=lambda path, progress: oxcgrt_import_file(
            path=path, progress=progress, display_name=job.params.get("name", path.name)
        ),
    )
