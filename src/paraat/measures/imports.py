"""Importing OxCGRT files into the timelines (CLI and background job).

Daily files (full-with-notes or compact, national or subnational) become ``PolicyRecord`` rows
and computed ``IndexValue`` rows (plus the published index values when the file has them);
``OxCGRT_timeseries_<Index>_*`` files become published ``IndexValue`` rows. A file is imported
whole or not at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from paraat.accounts.models import User
from paraat.jobs.models import Job
from paraat.jobs.services import JobInputError, job_create, job_run
from paraat.measures.models import AppliesTo, IndexSource, IndexValue, Jurisdiction, PolicyRecord
from paraat.measures.services import jurisdiction_get_or_create
from paraat_core.oxcgrt.csvio import (
    TIMESERIES_KEY_COLUMNS,
    JurisdictionKey,
    OxcgrtFormatError,
    PolicyTable,
    iter_policy_records,
    read_policy_table,
    read_timeseries,
)
from paraat_core.oxcgrt.indices import INDEX_COLUMNS

Progress = Callable[[int, int, str], None]
BATCH = 5000
TIMESERIES_HEADER = list(TIMESERIES_KEY_COLUMNS)
_TIMESERIES_NAME = re.compile(r"OxCGRT_timeseries_([A-Za-z]+Index)", re.IGNORECASE)
_KNOWN_TIMESERIES = {
    "stringencyindex": "StringencyIndex",
    "containmenthealthindex": "ContainmentHealthIndex",
    "governmentresponseindex": "GovernmentResponseIndex",
    "economicsupportindex": "EconomicSupportIndex",
    "stringencylegacyindex": "StringencyLegacyIndex",
}


class OxcgrtImportError(JobInputError):
    """The file cannot be imported; the message names file, row and column."""


def _noop(current: int, total: int, message: str) -> None:
    return None


def _header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise OxcgrtImportError(
            f"{path.name}, rij 1: het bestand is geen leesbare CSV ({exc})."
        ) from None


def _timeseries_index(path: Path, display_name: str) -> str:
    match = _TIMESERIES_NAME.search(display_name) or _TIMESERIES_NAME.search(path.name)
    name = _KNOWN_TIMESERIES.get(match.group(1).lower()) if match else None
    if name is None:
        raise OxcgrtImportError(
            f"{display_name}: tijdreeksbestand, maar uit de bestandsnaam blijkt niet welke index "
            "het is (verwacht: OxCGRT_timeseries_StringencyIndex…, …ContainmentHealthIndex…, "
            "…GovernmentResponseIndex… of …EconomicSupportIndex…)."
        )
    # OxCGRT's simple files call their default (weighted, else simple average) "_Average".
    return name if name == "EconomicSupportIndex" else f"{name}_Average"


def _jurisdiction(
    cache: dict[JurisdictionKey, Jurisdiction], key: JurisdictionKey, name: str = ""
) -> Jurisdiction:
    found = cache.get(key)
    if found is None:
        found = jurisdiction_get_or_create(
            country_code=key.country_code,
            region_code=key.region_code or key.city_code,
            kind=key.jurisdiction or "NAT_TOTAL",
            name=name,
        )
        cache[key] = found
    return found


def _format_error(exc: OxcgrtFormatError, display_name: str) -> OxcgrtImportError:
    return OxcgrtImportError(str(exc).replace(exc.file, display_name, 1) if exc.file else str(exc))


def _import_timeseries(path: Path, display_name: str, progress: Progress) -> dict[str, Any]:
    index = _timeseries_index(path, display_name)
    try:
        series = read_timeseries(path)
    except OxcgrtFormatError as exc:
        raise _format_error(exc, display_name) from None
    cache: dict[JurisdictionKey, Jurisdiction] = {}
    total = len(series.jurisdictions)
    count = 0
    for number, (who, row) in enumerate(zip(series.jurisdictions, series.values, strict=True)):
        name = who.region_name or who.city_name or who.country_name
        jurisdiction = _jurisdiction(cache, who.key, name)
        IndexValue.objects.filter(
            jurisdiction=jurisdiction,
            index=index,
            source=IndexSource.PUBLISHED,
            date__in=series.dates,
        ).delete()
        IndexValue.objects.bulk_create(
            [
                IndexValue(
                    jurisdiction=jurisdiction,
                    date=day,
                    index=index,
                    source=IndexSource.PUBLISHED,
                    value=value,
                )
                for day, value in zip(series.dates, row, strict=True)
                if value is not None
            ],
            batch_size=BATCH,
        )
        count += sum(value is not None for value in row)
        progress(number + 1, total, f"{name}: {index}")
    return {"kind": "timeseries", "index": index, "jurisdictions": total, "rows": count}


def _published_columns(path: Path, header: list[str]) -> dict[str, list[float | None]]:
    present = [name for name in INDEX_COLUMNS if name in header]
    if not present:
        return {}
    out: dict[str, list[float | None]] = {name: [] for name in present}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        positions = [(name, header.index(name)) for name in present]
        for line, row in enumerate(reader, start=2):
            for name, position in positions:
                raw = row[position].strip() if position < len(row) else ""
                try:
                    out[name].append(float(raw) if raw not in ("", "NA") else None)
                except ValueError:
                    raise OxcgrtImportError(
                        f"{path.name}, rij {line}, kolom '{name}': {raw!r} is geen getal."
                    ) from None
    return out


def _import_daily(
    path: Path, display_name: str, header: list[str], progress: Progress
) -> dict[str, Any]:
    try:
        table = read_policy_table(path)
        computed = table.compute()
    except OxcgrtFormatError as exc:
        raise _format_error(exc, display_name) from None
    _clear_daily(table)
    published = _published_columns(path, header)
    n = table.n_rows
    cache: dict[JurisdictionKey, Jurisdiction] = {}
    jurisdictions: list[Jurisdiction] = []
    policy_rows: list[PolicyRecord] = []
    written_policies = 0
    try:
        for i, record in enumerate(iter_policy_records(path)):
            jurisdiction = _jurisdiction(cache, record.jurisdiction)
            jurisdictions.append(jurisdiction)
            for code, policy in record.policies.items():
                variants = [(AppliesTo.EVERYONE, policy.everyone)]
                if policy.non_vaccinated is not None:
                    variants.append((AppliesTo.NON_VACCINATED, policy.non_vaccinated))
                if policy.vaccinated is not None:
                    variants.append((AppliesTo.VACCINATED, policy.vaccinated))
                for applies_to, (value, flag) in variants:
                    if value is None and flag is None:
                        continue
                    policy_rows.append(
                        PolicyRecord(
                            jurisdiction=jurisdiction,
                            date=record.date,
                            indicator=code,
                            applies_to=applies_to,
                            value=value,
                            flag=flag,
                        )
                    )
            if len(policy_rows) >= BATCH:
                written_policies += _flush(policy_rows)
            if i % 1000 == 0:
                progress(i, n, f"{display_name}: dagrecords")
    except OxcgrtFormatError as exc:
        raise _format_error(exc, display_name) from None
    written_policies += _flush(policy_rows)
    days = [dt.date.fromordinal(int(d)) for d in table.days.tolist()]
    values: list[IndexValue] = []
    for name in INDEX_COLUMNS:
        column = computed.values(name)
        found = {
            IndexSource.COMPUTED: (
                (i, float(column[i])) for i in np.flatnonzero(~np.isnan(column)).tolist()
            ),
            IndexSource.PUBLISHED: (
                (i, v) for i, v in enumerate(published.get(name, [])) if v is not None
            ),
        }
        values.extend(
            IndexValue(
                jurisdiction=jurisdictions[i], date=days[i], index=name, source=source, value=value
            )
            for source, pairs in found.items()
            for i, value in pairs
        )
    IndexValue.objects.bulk_create(values, batch_size=BATCH)
    progress(n, n, f"{display_name}: klaar")
    return {
        "kind": "daily",
        "rows": n,
        "jurisdictions": len(cache),
        "policy_records": written_policies,
        "index_values": len(values),
        "published_columns": len(published),
    }


def _flush(rows: list[PolicyRecord]) -> int:
    count = len(rows)
    PolicyRecord.objects.bulk_create(rows, batch_size=BATCH)
    rows.clear()
    return count


def _clear_daily(table: PolicyTable) -> None:
    """Remove stored records that the file will replace (same jurisdictions, same period)."""
    if not len(table.days):
        return
    first = dt.date.fromordinal(int(table.days.min()))
    last = dt.date.fromordinal(int(table.days.max()))
    keys = set(
        zip(
            table.keys["CountryCode"],
            table.keys["RegionCode"],
            table.keys["CityCode"],
            table.keys["Jurisdiction"],
            strict=True,
        )
    )
    for country, region, city, kind in keys:
        found = Jurisdiction.objects.filter(
            country_code=country, region_code=region or city, kind=kind or "NAT_TOTAL"
        ).first()
        if found is not None:
            PolicyRecord.objects.filter(jurisdiction=found, date__range=(first, last)).delete()
            IndexValue.objects.filter(jurisdiction=found, date__range=(first, last)).delete()


def oxcgrt_import_file(
    *, path: Path, progress: Progress | None = None, display_name: str | None = None
) -> dict[str, Any]:
    """Import one OxCGRT file in one transaction; raises OxcgrtImportError on bad input."""
    progress = progress or _noop
    display_name = display_name or path.name
    header = _header(path)
    with transaction.atomic():
        if header[: len(TIMESERIES_HEADER)] == TIMESERIES_HEADER and "Date" not in header:
            return _import_timeseries(path, display_name, progress)
        if "Date" not in header or "CountryCode" not in header:
            raise OxcgrtImportError(
                f"{display_name}, rij 1: geen OxCGRT-bestand (kolommen 'CountryCode' en 'Date' "
                "of de kolommen van een tijdreeks ontbreken)."
            )
        return _import_daily(path, display_name, header, progress)


# --- background job -------------------------------------------------------------------------


def _upload_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def oxcgrt_import_start(*, upload: UploadedFile, user: User) -> Job:
    """Store the upload, create a job and enqueue the import task."""
    from paraat.measures.tasks import oxcgrt_import_task

    stored = _upload_dir() / f"{uuid.uuid4().hex}.csv"
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job = job_create(
        kind="oxcgrt_import",
        title=f"OxCGRT-import: {upload.name}",
        params={"path": str(stored), "name": upload.name},
        created_by=user,
    )
    transaction.on_commit(lambda: oxcgrt_import_task.enqueue(job_id=str(job.pk)))
    return job


def oxcgrt_import_run(*, job: Job) -> Job:
    """Run the import of a stored upload for ``job``; the stored file is removed afterwards."""
    path = Path(job.params["path"])
    try:
        return job_run(
            job=job,
            work=lambda progress: oxcgrt_import_file(
                path=path, progress=progress, display_name=job.params.get("name", path.name)
            ),
        )
    finally:
        path.unlink(missing_ok=True)
