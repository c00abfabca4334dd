"""What the importers share: the error naming file, row and field, and storing a parsed file.

Every importer parses its whole input first (no database access) and only then writes, inside
one transaction, through :func:`paraat.indicators.services.observations_store`: a file that does
not read leaves nothing behind, a row that does not read is rejected on its own and listed in
the report.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from paraat.accounts.models import User
from paraat.indicators.errors import Rejection
from paraat.indicators.models import ImportBatch, Indicator
from paraat.indicators.services import ImportReport, ObservationInput, observations_store


@dataclass(frozen=True)
class ParsedRow:
    """One figure read from a file, before it is stored."""

    indicator: str  # indicator key
    observation: ObservationInput
    file: str
    row: int
    field: str


class DuplicateGuard:
    """Refuses a second figure for the same indicator, period and breakdown within one file.

    Two figures for one period in one file would otherwise be stored as a revision of each
    other with the same vintage; the later one is rejected instead, naming the earlier row.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], tuple[str, int]] = {}

    def check(self, row: ParsedRow) -> Rejection | None:
        key = (row.indicator, row.observation.period.code, row.observation.breakdown)
        first = self._seen.get(key)
        if first is not None:
            which = f", uitsplitsing {row.observation.breakdown!r}" if key[2] else ""
            where = f"rij {first[1]}" if first[0] == row.file else f"{first[0]}, rij {first[1]}"
            return Rejection(
                row.file,
                row.row,
                row.field,
                f"dubbel: {key[0]} periode {key[1]}{which} staat al op {where}",
            )
        self._seen[key] = (row.file, row.row)
        return None


def finite(value: float) -> bool:
    return not (math.isnan(value) or math.isinf(value))


def aware(moment: dt.datetime | None) -> dt.datetime:
    """``moment`` as an aware datetime (naive means the project time zone); now when None."""
    if moment is None:
        return timezone.now()
    if timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def rejection_dicts(rejected: Iterable[Rejection]) -> list[dict[str, object]]:
    return [{"file": r.file, "row": r.row, "field": r.field, "reason": r.message} for r in rejected]


def breakdowns_merge(*, indicator: Indicator, breakdowns: Iterable[str]) -> None:
    """Record the dimensions and codes seen in ``breakdowns`` (``DIM=code;…``) on the indicator.

    Codes already labelled keep their label, new ones are labelled with the code itself. When
    the indicator has no headline series and all figures share one breakdown, that becomes it.
    """
    known = {dim: dict(spec) for dim, spec in (indicator.breakdowns or {}).items()}
    seen: set[str] = set()
    for breakdown in breakdowns:
        seen.add(breakdown)
        for part in breakdown.split(";") if breakdown else []:
            dim, _sep, code = part.partition("=")
            spec = known.setdefault(dim, {"title": dim, "values": {}})
            values = dict(spec.get("values") or {})
            values.setdefault(code, code)
            spec["values"] = values
    fields = []
    if known != (indicator.breakdowns or {}):
        indicator.breakdowns = known
        fields.append("breakdowns")
    if not indicator.headline_breakdown and len(seen) == 1 and next(iter(seen)):
        indicator.headline_breakdown = next(iter(seen))
        fields.append("headline_breakdown")
    if fields:
        indicator.save(update_fields=fields)


def store_rows(
    *,
    source_kind: str,
    name: str,
    source: str,
    rows: Iterable[ParsedRow],
    indicators: dict[str, Indicator],
    rejected: list[Rejection],
    vintage: dt.datetime,
    user: User | None,
) -> ImportReport:
    """Store parsed rows per indicator in one new batch; the caller holds the transaction."""
    report = ImportReport(source=source)
    batch = ImportBatch.objects.create(source_kind=source_kind, name=name[:255], created_by=user)
    grouped: dict[str, list[ObservationInput]] = {}
    for row in rows:
        grouped.setdefault(row.indicator, []).append(row.observation)
    for key, observations in grouped.items():
        report.indicators.append(key)
        report.counts += observations_store(
            indicator=indicators[key], rows=observations, vintage=vintage, batch=batch
        )
    report.rejected = rejection_dicts(rejected)
    report.batch_id = batch.pk
    batch.report = report.as_dict()
    batch.save(update_fields=["report"])
    return report
