"""Generic CSV with a column mapping: any table with a period column and a value column.

A :class:`CsvMapping` names the columns: the period, the value, the indicator (one fixed code
for the whole file, or a column holding indicator codes), optional breakdown columns (stored as
``column=value;…`` in the order given) and an optional status column with a map from its
markings to observation statuses. The delimiter (comma, semicolon or tab) is detected unless
given; a decimal comma (``3,5`` and ``1.234,5``) is read when ``decimal_comma`` is set.

Period formats (``period_format``):

``auto``  anything :func:`paraat_core.periods.parse_period` reads (CBS ``2020MM04``, ISO
          ``2020-04``, ``2020-Q2``, ``2020-W14``, ``2020-04-01``, ``2020``) and, besides, a Dutch
          day ``1-4-2020`` / ``01-04-2020``;
``cbs``   CBS StatLine codes only (``2020JJ00``, ``2020KW02``, ``2020MM04``, ``2020W114``, …);
``iso``   ISO forms only (``2020-04-01``, ``2020-W14``, ``2020-04``, ``2020-Q2``, ``2020-H1``,
          ``2020``);
``date``  a day: ``2020-04-01`` or ``1-4-2020``.

Status markings (default map, compared without surrounding spaces and case): empty ``final``,
``*`` ``provisional`` (CBS: voorlopig), ``**`` ``revised_provisional`` (CBS: nader voorlopig),
and the words ``definitief``, ``voorlopig``, ``nader voorlopig``, ``herzien`` and the status
values themselves. Value cells that are empty, ``.``, ``x``, ``?``, ``NA``, ``n/a`` or ``NaN``
are figures that are not there and are skipped; ``-`` is nil (0), as CBS writes it.

A file that does not read as a whole (not UTF-8, not CSV, a mapped column missing from the
header, a fixed indicator that does not exist) raises :class:`CsvImportError` naming file, row
and field, and nothing is stored. A row that does not read (a bad period, a value that is not a
number, an unknown indicator or status, a second figure for the same period) is rejected on its
own and listed in the report.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from paraat.accounts.models import User
from paraat.indicators.errors import ImportFormatError, Rejection
from paraat.indicators.importers._common import (
    DuplicateGuard,
    ParsedRow,
    aware,
    breakdowns_merge,
    finite,
    store_rows,
)
from paraat.indicators.models import Indicator, ObservationStatus
from paraat.indicators.services import ImportReport, ObservationInput
from paraat_core.periods import Frequency, Period, PeriodError, parse_period, period_containing

PERIOD_FORMATS = ("auto", "cbs", "iso", "date")
DELIMITERS = (",", ";", "\t")
MAX_BYTES = 200 * 1024 * 1024
MISSING = {"", ".", "x", "?", "na", "n/a", "nan"}
DEFAULT_STATUS_MAP: dict[str, str] = {
    "": ObservationStatus.FINAL,
    "*": ObservationStatus.PROVISIONAL,
    "**": ObservationStatus.REVISED_PROVISIONAL,
    "definitief": ObservationStatus.FINAL,
    "voorlopig": ObservationStatus.PROVISIONAL,
    "nader voorlopig": ObservationStatus.REVISED_PROVISIONAL,
    "nadervoorlopig": ObservationStatus.REVISED_PROVISIONAL,
    "herzien": ObservationStatus.REVISED,
    **{status.value: status.value for status in ObservationStatus},
}

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_THOUSANDS_COMMA = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]*)?")
_DUTCH_DAY = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")


class CsvImportError(ImportFormatError):
    """The CSV file cannot be imported at all; names the file, row and field."""


def _status_key(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class CsvMapping:
    """Which columns of a CSV file hold what (see the module docstring)."""

    period_column: str
    value_column: str
    indicator_key: str | None = None
    indicator_column: str | None = None
    period_format: str = "auto"
    breakdown_columns: Sequence[str] = ()
    status_column: str | None = None
    status_map: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUS_MAP))
    decimal_comma: bool = False
    delimiter: str | None = None  # None: detect comma, semicolon or tab

    def __post_init__(self) -> None:
        if (self.indicator_key is None) == (self.indicator_column is None):
            raise ValueError("geef óf indicator_key óf indicator_column")
        if self.period_format not in PERIOD_FORMATS:
            raise ValueError(f"period_format moet een van {', '.join(PERIOD_FORMATS)} zijn")
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise ValueError("delimiter is één teken")
        statuses = {status.value for status in ObservationStatus}
        normalised = {}
        for marking, status in self.status_map.items():
            if status not in statuses:
                raise ValueError(f"status_map: {status!r} is geen status ({', '.join(statuses)})")
            normalised[_status_key(marking)] = str(status)
        object.__setattr__(self, "status_map", normalised)
        object.__setattr__(self, "breakdown_columns", tuple(self.breakdown_columns))

    @property
    def columns(self) -> list[str]:
        """The mapped columns, each once, in the order they are checked in the header."""
        names = [self.period_column, self.value_column]
        if self.indicator_column:
            names.append(self.indicator_column)
        names.extend(self.breakdown_columns)
        if self.status_column:
            names.append(self.status_column)
        return list(dict.fromkeys(names))


@dataclass
class ParsedCsv:
    rows: list[ParsedRow]
    rejected: list[Rejection]
    delimiter: str


# --- parsing (no database) ----------------------------------------------------------------


def period_parse(text: str, period_format: str) -> Period:
    """The period in ``text`` read as ``period_format``; raises PeriodError naming the text."""
    raw = text.strip()
    day = _DUTCH_DAY.fullmatch(raw)
    if period_format == "date" or (period_format == "auto" and day):
        if day:
            try:
                date = dt.date(int(day[3]), int(day[2]), int(day[1]))
            except ValueError as error:
                raise PeriodError(f"{raw!r}: geen geldige datum ({error})") from None
            return period_containing(date, Frequency.DAY)
        period = parse_period(raw)
        if period.frequency is not Frequency.DAY:
            raise PeriodError(f"{raw!r}: geen datum (verwacht bv. 2020-04-01 of 1-4-2020)")
        return period
    period = parse_period(raw)
    if period_format == "cbs" and not period.is_cbs:
        raise PeriodError(f"{raw!r}: geen CBS-periodecode (verwacht bv. 2020MM04, 2020KW02)")
    if period_format == "iso" and period.is_cbs:
        raise PeriodError(f"{raw!r}: geen ISO-periode (verwacht bv. 2020-04, 2020-Q2)")
    return period


def value_parse(text: str, *, decimal_comma: bool) -> float | None:
    """The number in ``text``; None for a figure that is not there; ValueError otherwise."""
    raw = text.strip()
    if raw.lower() in MISSING:
        return None
    if raw == "-":
        return 0.0
    compact = raw.replace(" ", "").replace("\u00a0", "")
    if decimal_comma:
        if "." in compact:
            if not _THOUSANDS_COMMA.fullmatch(compact):
                raise ValueError(f"geen getal: {raw[:40]!r} (decimale komma verwacht)")
            compact = compact.replace(".", "")
        compact = compact.replace(",", ".")
    elif "," in compact:
        raise ValueError(f"geen getal: {raw[:40]!r} (decimale komma? zet decimal_comma aan)")
    if not _NUMBER.fullmatch(compact):
        raise ValueError(f"geen getal: {raw[:40]!r}")
    value = float(compact)
    if not finite(value):
        raise ValueError(f"geen eindig getal: {raw[:40]!r}")
    return value


def _header(text: str, delimiter: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    return [name.strip() for name in first]


def _delimiter(text: str, mapping: CsvMapping) -> str:
    if mapping.delimiter:
        return mapping.delimiter
    candidates: list[str] = []
    with contextlib.suppress(csv.Error):
        candidates.append(
            csv.Sniffer().sniff(text[:16384], delimiters="".join(DELIMITERS)).delimiter
        )
    candidates.extend(d for d in DELIMITERS if d not in candidates)
    for delimiter in candidates:
        header = _header(text, delimiter)
        if all(name in header for name in mapping.columns):
            return delimiter
    return candidates[0]  # the header check then names the missing column


def csv_parse(*, data: bytes, file_name: str, mapping: CsvMapping) -> ParsedCsv:
    """Read ``data`` with ``mapping``; raises :class:`CsvImportError` for a file that does not
    read as a whole, rejects single rows (see the module docstring). Touches no database."""
    if len(data) > MAX_BYTES:
        raise CsvImportError(file_name, None, "", "bestand is te groot")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvImportError(file_name, None, "", "geen UTF-8-tekst") from None
    if not text.strip():
        raise CsvImportError(file_name, None, "", "leeg bestand")
    try:
        return _parse(text, file_name, mapping)
    except csv.Error as error:
        raise CsvImportError(file_name, None, "", f"geen geldige CSV ({error})") from None


def _parse(text: str, file_name: str, mapping: CsvMapping) -> ParsedCsv:
    delimiter = _delimiter(text, mapping)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in next(reader, [])]
    index: dict[str, int] = {}
    for number, name in enumerate(header):
        if name in index and name in mapping.columns:
            raise CsvImportError(file_name, 1, name, "kolom staat meer dan één keer in de kop")
        index.setdefault(name, number)
    for name in mapping.columns:
        if name not in index:
            raise CsvImportError(file_name, 1, name, "kolom ontbreekt in de kop")
    width = max(index[name] for name in mapping.columns) + 1

    rows: list[ParsedRow] = []
    rejected: list[Rejection] = []
    guard = DuplicateGuard()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < width:
            rejected.append(
                Rejection(
                    file_name,
                    number,
                    "",
                    f"{len(cells)} kolommen, de kop heeft er {len(header)}",
                )
            )
            continue
        row = _row(cells, index, number, file_name, mapping)
        if isinstance(row, Rejection):
            rejected.append(row)
        elif row is not None:
            duplicate = guard.check(row)
            if duplicate is not None:
                rejected.append(duplicate)
            else:
                rows.append(row)
    return ParsedCsv(rows=rows, rejected=rejected, delimiter=delimiter)


def _row(
    cells: list[str], index: dict[str, int], number: int, file_name: str, mapping: CsvMapping
) -> ParsedRow | Rejection | None:
    def cell(name: str) -> str:
        return cells[index[name]].strip()

    def reject(name: str, message: str) -> Rejection:
        return Rejection(file_name, number, name, message)

    if mapping.indicator_column:
        indicator = cell(mapping.indicator_column)
        if not indicator:
            return reject(mapping.indicator_column, "geen indicatorcode")
    else:
        indicator = mapping.indicator_key or ""
    try:
        period = period_parse(cell(mapping.period_column), mapping.period_format)
    except PeriodError as error:
        return reject(mapping.period_column, str(error))
    try:
        value = value_parse(cell(mapping.value_column), decimal_comma=mapping.decimal_comma)
    except ValueError as error:
        return reject(mapping.value_column, str(error))
    if value is None:
        return None
    parts = []
    for name in mapping.breakdown_columns:
        label = cell(name)
        if ";" in label or "=" in label:
            return reject(name, f"';' en '=' kunnen niet in een uitsplitsing: {label[:40]!r}")
        parts.append(f"{name}={label}")
    breakdown = ";".join(parts)
    if len(breakdown) > 500:
        return reject(mapping.breakdown_columns[-1], "uitsplitsing langer dan 500 tekens")
    status = ObservationStatus.FINAL.value
    if mapping.status_column:
        marking = cell(mapping.status_column)
        found = mapping.status_map.get(_status_key(marking))
        if found is None:
            return reject(mapping.status_column, f"onbekende status {marking[:40]!r}")
        status = found
    return ParsedRow(
        indicator=indicator,
        observation=ObservationInput(
            period=period, value=value, status=status, breakdown=breakdown
        ),
        file=file_name,
        row=number,
        field=mapping.value_column,
    )


# --- service ------------------------------------------------------------------------------


@transaction.atomic
def csv_import(
    *,
    data: bytes,
    file_name: str,
    mapping: CsvMapping,
    user: User | None = None,
    vintage: dt.datetime | None = None,
) -> ImportReport:
    """Import a CSV file with ``mapping``: all readable rows, or nothing for a file that does
    not read (:class:`CsvImportError`). ``vintage`` (default: now) is when the figures became
    known; a figure that differs from the one known is stored as a revision."""
    parsed = csv_parse(data=data, file_name=file_name, mapping=mapping)
    fixed = mapping.indicator_key
    if fixed is not None and not Indicator.objects.filter(key=fixed).exists():
        raise CsvImportError(
            file_name,
            None,
            "indicator_key",
            f"indicator {mapping.indicator_key!r} bestaat niet",
        )
    wanted = {row.indicator for row in parsed.rows}
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=wanted)}
    rows: list[ParsedRow] = []
    rejected = list(parsed.rejected)
    for row in parsed.rows:
        if row.indicator not in indicators:
            rejected.append(
                Rejection(
                    file_name,
                    row.row,
                    mapping.indicator_column or "indicator_key",
                    f"onbekende indicator {row.indicator[:100]!r}",
                )
            )
            continue
        rows.append(row)
    rejected.sort(key=lambda rejection: rejection.row)
    if mapping.breakdown_columns:
        for key, indicator in indicators.items():
            breakdowns_merge(
                indicator=indicator,
                breakdowns=[r.observation.breakdown for r in rows if r.indicator == key],
            )
    return store_rows(
        source_kind="csv",
        name=file_name,
        source=file_name,
        rows=rows,
        indicators=indicators,
        rejected=rejected,
        vintage=aware(vintage),
        user=user,
    )
