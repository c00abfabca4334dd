"""Writes for indicators and their observations."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from paraat.accounts.models import Confidentiality
from paraat.indicators.models import Frequency, Indicator, Observation


class ObservationImportError(ValueError):
    def __init__(self, file: str, row: int, field: str, message: str) -> None:
        self.file, self.row, self.field = file, row, field
        super().__init__(f"{file}, rij {row}, veld '{field}': {message}")


@transaction.atomic
def indicator_upsert(
    *,
    key: str,
    name_nl: str,
    name_en: str,
    unit: str = "",
    frequency: str = Frequency.DAILY,
    source: str = "",
    licence: str = "",
    description: str = "",
    is_synthetic: bool = False,
    confidentiality: str = Confidentiality.INTERNAL,
) -> Indicator:
    fields = {
        "name_nl": name_nl,
        "name_en": name_en,
        "unit": unit,
        "frequency": frequency,
        "source": source,
        "licence": licence,
        "description": description,
        "is_synthetic": is_synthetic,
        "confidentiality": confidentiality,
    }
    indicator = Indicator.objects.filter(key=key).first() or Indicator(key=key)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()  # validate before writing
    indicator.save()
    return indicator


def _parse_rows(
    path: Path, date_column: str, value_column: str
) -> list[tuple[dt.date, float | None]]:
    rows: list[tuple[dt.date, float | None]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        for column in (date_column, value_column):
            if column not in fields:
                raise ObservationImportError(path.name, 1, column, "kolom ontbreekt in de kop")
        for number, row in enumerate(reader, start=2):
            raw_date = (row.get(date_column) or "").strip()
            try:
                day = dt.date.fromisoformat(raw_date)
            except ValueError:
                raise ObservationImportError(
                    path.name, number, date_column, f"geen geldige datum: {raw_date!r}"
                ) from None
            raw_value = (row.get(value_column) or "").strip()
            if raw_value == "":
                rows.append((day, None))
                continue
            try:
                rows.append((day, float(raw_value)))
            except ValueError:
                raise ObservationImportError(
                    path.name, number, value_column, f"geen getal: {raw_value!r}"
                ) from None
    return rows


@transaction.atomic
def observations_import_csv(
    *, indicator: Indicator, path: Path, date_column: str, value_column: str
) -> int:
    """Import one column of a daily CSV as observations. All rows or none."""
    rows = _parse_rows(path, date_column, value_column)
    Observation.objects.bulk_create(
        [Observation(indicator=indicator, period_start=day, value=value) for day, value in rows],
        batch_size=2000,
    )
    return len(rows)
