"""What the importers share: the error naming file, row and field, and storing a parsed file.

Every importer parses its whole input first (no database access) and only then writes, inside
one transaction, through :func:`paraat.indicators.services.observations_store`: a file that does
not read leaves nothing behind, a row that does not read is rejected on its own and listed in
the report.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone

from paraat.indicators.errors import Rejection, rejection_dicts
from paraat.indicators.services import ObservationInput, breakdowns_merge, store_rows

__all__ = ["breakdowns_merge", "rejection_dicts", "store_rows"]  # writes live in services.py


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
