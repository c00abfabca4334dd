"""Reading and writing OxCGRT CSV files with the standard :mod:`csv` module.

Supported inputs
----------------
* Daily files, one row per jurisdiction-day: ``compact``, ``fullwithnotes``,
  ``raw`` and the legacy (pre-July-2022) format, national or subnational.
  Columns are found by header name; unknown columns are ignored, so notes,
  confirmed cases, vaccine breakdowns and published indices do no harm.
  Indicator headers are read by their code prefix (the text before the first
  ``_``): ``C1E_…``/``C1NV_…``/``C1V_…`` are the everyone / non-vaccinated /
  vaccinated versions, ``C1_…`` (legacy format) counts as everyone, and a file
  that only has the majority versions (``C1M_…``, ``C8EV_…``, as the compact
  files do) is read with the majority policy standing in for everyone.  When
  E/NV/V columns exist, M and EV columns are only range-checked.
* Wide ``timeseries`` files (one row per jurisdiction, one column per date).

Row numbers in errors count CSV records as a spreadsheet shows them: the
header is row 1, the first data row is row 2, and a quoted note spanning
several physical lines is still one row.

Performance: rows are read in chunks, only the needed cells are picked with
:func:`operator.itemgetter`, and each cell string is converted through a
per-column memo dictionary, so each distinct string is parsed once and the
per-cell work stays in C.  Nothing is kept per row except numpy arrays and
references to interned key strings.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import itertools
import math
import operator
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TextIO, TypeVar

import numpy as np
from numpy.typing import NDArray

from .indicators import DIFFERENTIATED, INDEX_INDICATORS, INDICATORS
from .indices import (
    ALL_COLUMNS,
    INDEX_COLUMNS,
    IndexTable,
    PolicyColumns,
    compute_indices,
)

CHUNK_ROWS: Final = 8192
KEY_COLUMNS: Final = ("CountryCode", "RegionCode", "Jurisdiction", "Date")
_OPTIONAL_KEYS: Final = ("RegionCode", "CityCode", "Jurisdiction")
_PV_COLUMN: Final = "PopulationVaccinated"
_PREFIX_RE: Final = re.compile(r"^([CEHV]\d)(E|NV|V|M|EV)?$")
_DATE_RE: Final = re.compile(r"^\d{8}$")
_TS_DATE_RE: Final = re.compile(r"^(\d{2})([A-Z][a-z]{2})(\d{4})$")
_MONTHS: Final = {
    m: i + 1
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    )
}
_OUT_OF_RANGE: Final = 127  # int8 code for an integral value too large for any scale
_WEIGHT_CATEGORIES: Final = frozenset({"under 50%", "over 50%", "under 50%*", "over 50%*"})


class OxcgrtFormatError(ValueError):
    """A malformed OxCGRT file.

    ``row`` is 1-based with the header as row 1 (``None`` for file-level
    problems); ``column`` is the header name (``None`` when not about a cell).
    """

    def __init__(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


_T = TypeVar("_T")


class _BadCell(Exception):
    """Raised inside the memo dictionaries for a string that does not parse."""


class _Memo(dict[str, _T]):
    """``dict`` whose missing keys are parsed once by ``parse`` and cached."""

    def __init__(self, parse: Callable[[str], _T]) -> None:
        super().__init__()
        self._parse = parse

    def __missing__(self, key: str) -> _T:
        value = self._parse(key)
        self[key] = value
        return value


def _parse_ordinal(s: str) -> int:
    if s == "":
        return -1
    try:
        x = float(s)
    except ValueError:
        raise _BadCell(f"{s!r} is not a number") from None
    if not math.isfinite(x) or x != int(x):
        raise _BadCell(f"{s!r} is not a whole number")
    if x < 0:
        raise _BadCell(f"{s!r} is negative")
    return min(int(x), _OUT_OF_RANGE)


def _parse_flag(s: str) -> int:
    if s == "":
        return -1
    try:
        x = float(s)
    except ValueError:
        raise _BadCell(f"flag {s!r} is not 0 or 1") from None
    if x not in (0.0, 1.0):
        raise _BadCell(f"flag {s!r} is not 0 or 1")
    return int(x)


def _parse_date(s: str) -> int:
    if not _DATE_RE.match(s):
        raise _BadCell(f"date {s!r} is not YYYYMMDD")
    try:
        return dt.date(int(s[:4]), int(s[4:6]), int(s[6:])).toordinal()
    except ValueError:
        raise _BadCell(f"date {s!r} does not exist") from None


def _parse_weight(s: str) -> float:
    """Percentage vaccinated; NaN for blank, +inf for an 'Over/Under 50%' category."""
    if s == "":
        return math.nan
    if s.strip().lower() in _WEIGHT_CATEGORIES:
        return math.inf
    try:
        x = float(s)
    except ValueError:
        raise _BadCell(f"{s!r} is not a percentage") from None
    if not math.isfinite(x) or not 0.0 <= x <= 100.0:
        raise _BadCell(f"{s!r} is not a percentage between 0 and 100")
    return x


def _parse_key(s: str) -> str:
    return s


def _local_groups(
    key_columns: list[list[str]], n: int
) -> tuple[list[tuple[str, str, str, str]], NDArray[np.int32]]:
    """Number the jurisdictions of a chunk.  Key strings are interned by the
    reader's memo, so equal keys are the same object and consecutive rows can
    be compared by identity; only rows where a key changes are hashed."""
    change = np.zeros(n, dtype=bool)
    if n:
        change[0] = True
    for col in key_columns:
        if n > 1:
            change[1:] |= np.fromiter(
                map(operator.is_not, col[1:], col[:-1]), dtype=bool, count=n - 1
            )
    local: dict[tuple[str, str, str, str], int] = {}
    starts = np.flatnonzero(change)
    ids = np.array(
        [
            local.setdefault(
                (key_columns[0][i], key_columns[1][i], key_columns[2][i], key_columns[3][i]),
                len(local),
            )
            for i in starts.tolist()
        ],
        dtype=np.int32,
    )
    segment = np.cumsum(change) - 1
    return list(local), ids[segment] if n else np.zeros(0, dtype=np.int32)


def _fast_weights(cells: Sequence[str]) -> NDArray[np.float64] | None:
    """PopulationVaccinated when every cell is a plain percentage; else ``None``."""
    try:
        w = np.fromiter(map(float, cells), dtype=np.float64, count=len(cells))
    except ValueError:
        return None
    if not (np.isfinite(w).all() and (w >= 0).all() and (w <= 100).all()):
        return None
    return w


def _fast_block(
    picked: Sequence[tuple[str, ...]], width: int
) -> tuple[NDArray[np.int8], NDArray[np.bool_]]:
    """Vectorised parse of the first ``width`` cells of every picked row.

    Cells shaped ``""``, ``"3"``, ``"3.0"`` or ``"3.00"`` become ``-1`` (blank)
    or their digit.  Returns the ``(rows, width)`` matrix and, per column,
    whether every cell had one of those shapes; other columns are parsed cell
    by cell by the caller.  The cells are joined with NUL, which the csv module
    never lets into a field, and inspected as bytes.
    """
    n = len(picked)
    ok = np.zeros(width, dtype=bool)
    if n == 0 or width == 0:
        return np.full((n, width), -1, dtype=np.int8), np.ones(width, dtype=bool)
    head = operator.itemgetter(slice(0, width))
    text = "\x00".join(map("\x00".join, map(head, picked)))
    buf = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    sep = np.flatnonzero(buf == 0)
    if sep.shape[0] != n * width - 1:  # pragma: no cover - NUL cannot occur in csv fields
        return np.full((n, width), -1, dtype=np.int8), ok
    starts = np.empty(n * width, dtype=np.int64)
    starts[0] = 0
    starts[1:] = sep + 1
    ends = np.empty(n * width, dtype=np.int64)
    ends[:-1] = sep
    ends[-1] = buf.shape[0]
    lens = (ends - starts).reshape(n, width)
    padded = np.concatenate((buf, np.zeros(4, dtype=np.uint8)))
    at = starts.reshape(n, width)
    digit = padded[at].astype(np.int16) - 48
    filled = lens > 0
    good = (lens == 0) | (((lens == 1) | (lens == 3) | (lens == 4)) & (digit >= 0) & (digit <= 9))
    long = lens >= 3
    good &= ~long | ((padded[at + 1] == 46) & (padded[at + 2] == 48))
    good &= (lens != 4) | (padded[at + 3] == 48)
    ok = good.all(axis=0)
    return np.where(filled, digit, -1).astype(np.int8), ok


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True, slots=True)
class _IndicatorColumns:
    value: int  # header index
    flag: int | None


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which header positions hold what."""

    width: int
    header: tuple[str, ...]
    keys: dict[str, int | None]  # CountryCode/RegionCode/CityCode/Jurisdiction/Date
    population_vaccinated: int | None
    # (code, population) -> columns; population in {"E", "NV", "V"}
    policy: dict[tuple[str, str], _IndicatorColumns]
    checked_only: dict[tuple[str, str], _IndicatorColumns]  # M/EV when E/NV/V exist
    source: str  # "E/NV/V", "single" or "majority"
    notes: dict[str, int] = field(default_factory=dict)


def _layout(header: Sequence[str], file: str) -> _Layout:
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen:
            raise OxcgrtFormatError(file, 1, name, "column name appears twice")
        seen[name] = i
    if "CountryCode" not in seen:
        raise OxcgrtFormatError(file, 1, None, "no CountryCode column")
    if "Date" not in seen:
        raise OxcgrtFormatError(file, 1, None, "no Date column")
    keys: dict[str, int | None] = {
        "CountryCode": seen["CountryCode"],
        "Date": seen["Date"],
        **{k: seen.get(k) for k in _OPTIONAL_KEYS},
    }
    found: dict[tuple[str, str], dict[str, int]] = {}
    notes: dict[str, int] = {}
    for i, name in enumerate(header):
        prefix, sep, rest = name.partition("_")
        if not sep:
            continue
        m = _PREFIX_RE.match(prefix)
        if m is None:
            continue
        code, variant = m.group(1), m.group(2) or ""
        if rest == "Notes":
            if code in INDICATORS:
                notes[code] = i
            continue
        if code not in INDEX_INDICATORS:
            continue
        if variant and code not in DIFFERENTIATED:
            continue
        slot = found.setdefault((code, variant), {})
        slot["flag" if rest == "Flag" else "value"] = i
    policy: dict[tuple[str, str], _IndicatorColumns] = {}
    checked: dict[tuple[str, str], _IndicatorColumns] = {}

    def cols(key: tuple[str, str]) -> _IndicatorColumns | None:
        slot = found.get(key)
        if slot is None:
            return None
        if "value" not in slot:
            raise OxcgrtFormatError(
                file, 1, header[slot["flag"]], "flag column without its value column"
            )
        flag = slot.get("flag") if INDICATORS[key[0]].has_flag else None
        return _IndicatorColumns(slot["value"], flag)

    sources: set[str] = set()
    for code in INDEX_INDICATORS:
        if code not in DIFFERENTIATED:
            c = cols((code, ""))
            if c is not None:
                policy[(code, "E")] = c
            continue
        majority = "EV" if code == "C8" else "M"
        split = {v: cols((code, v)) for v in ("E", "NV", "V")}
        plain = cols((code, ""))
        maj = cols((code, majority))
        if any(c is not None for c in split.values()):
            sources.add("E/NV/V")
            for v, c in split.items():
                if c is not None:
                    policy[(code, v)] = c
            for other in (plain, maj):
                if other is not None:
                    checked[(code, majority if other is maj else "")] = other
        elif plain is not None:
            sources.add("single")
            policy[(code, "E")] = plain
            if maj is not None:
                checked[(code, majority)] = maj
        elif maj is not None:
            sources.add("majority")
            policy[(code, "E")] = maj
    if not policy:
        raise OxcgrtFormatError(file, 1, None, "no OxCGRT indicator columns found")
    source = (
        "E/NV/V" if "E/NV/V" in sources else ("majority" if "majority" in sources else "single")
    )
    return _Layout(
        width=len(header),
        header=tuple(header),
        keys=keys,
        population_vaccinated=seen.get(_PV_COLUMN),
        policy=policy,
        checked_only=checked,
        source=source,
        notes=notes,
    )


# --------------------------------------------------------------------------- chunks


@dataclass(slots=True)
class _Chunk:
    first_row: int  # spreadsheet row number of the chunk's first record
    keys: dict[str, list[str]]
    days: NDArray[np.int64]
    values: dict[tuple[str, str], NDArray[np.int8]]
    flags: dict[tuple[str, str], NDArray[np.int8]]
    weight: NDArray[np.float64] | None
    notes: dict[str, list[str]] | None
    group_keys: list[tuple[str, str, str, str]]  # distinct jurisdictions in this chunk
    group_local: NDArray[np.int32]  # per row: index into group_keys


class _Reader:
    """Streams validated column chunks out of one daily OxCGRT file."""

    def __init__(self, path: str | os.PathLike[str], *, with_notes: bool = False) -> None:
        self.path = Path(path)
        self.file = self.path.name
        self.with_notes = with_notes
        self._ordinal = _Memo(_parse_ordinal)
        self._flag = _Memo(_parse_flag)
        self._date = _Memo(_parse_date)
        self._weight = _Memo(_parse_weight)
        self._key = _Memo(_parse_key)
        self.rows_seen = 0
        self.trailing_blank = False

    def _decode_error(self, exc: UnicodeDecodeError) -> OxcgrtFormatError:
        """Locate the first byte that is not UTF-8 (text is decoded in blocks,
        so the reader's position does not tell which record holds it)."""
        try:
            data = self.path.read_bytes()
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            data.decode("utf-8")
        except UnicodeDecodeError as found:
            before = data[: found.start].decode("utf-8")
            records = sum(1 for _ in csv.reader(io.StringIO(before, newline="")))
            fresh = before == "" or before.endswith("\n")
            row = records + 1 if fresh else records
            return OxcgrtFormatError(self.file, max(row, 1), None, f"not UTF-8 text: {found}")
        except (OSError, csv.Error):
            pass
        return OxcgrtFormatError(self.file, None, None, f"not UTF-8 text: {exc}")

    def _fail(self, row: int | None, column: int | None, message: str, layout: _Layout) -> None:
        name = None if column is None else layout.header[column]
        raise OxcgrtFormatError(self.file, row, name, message)

    def _convert(
        self,
        memo: _Memo[Any],
        cells: Sequence[str],
        column: int,
        first_row: int,
        layout: _Layout,
        dtype: type[np.generic],
    ) -> NDArray[Any]:
        try:
            return np.fromiter(map(memo.__getitem__, cells), dtype=dtype, count=len(cells))
        except _BadCell:
            for i, cell in enumerate(cells):
                try:
                    memo[cell]
                except _BadCell as exc:
                    self._fail(first_row + i, column, str(exc), layout)
            raise  # pragma: no cover - the loop always finds the bad cell

    def chunks(self) -> Iterator[tuple[_Layout, _Chunk]]:
        try:
            fh: TextIO = open(self.path, newline="", encoding="utf-8-sig")  # noqa: SIM115
        except OSError as exc:
            raise OxcgrtFormatError(self.file, None, None, f"cannot open: {exc}") from exc
        with fh:
            reader = csv.reader(fh, strict=True)
            try:
                header = next(reader, None)
            except csv.Error as exc:
                raise OxcgrtFormatError(self.file, 1, None, f"CSV syntax error: {exc}") from exc
            except UnicodeDecodeError as exc:
                raise self._decode_error(exc) from exc
            if header is None:
                raise OxcgrtFormatError(self.file, 1, None, "empty file: no header row")
            layout = _layout(header, self.file)
            yield from self._chunks(reader, layout)

    def _chunks(
        self, reader: Iterator[list[str]], layout: _Layout, next_row: int = 2
    ) -> Iterator[tuple[_Layout, _Chunk]]:
        """Chunks of well-formed records; ``next_row`` numbers the first one.

        Afterwards ``self.rows_seen`` holds the number of records read
        (blank ones included) and ``self.trailing_blank`` whether the input
        ended with blank records.
        """
        wanted: list[int] = []
        slots: dict[str, int] = {}

        def want(tag: str, index: int | None) -> None:
            if index is not None:
                slots[tag] = len(wanted)
                wanted.append(index)

        for (code, pop), c in itertools.chain(layout.policy.items(), layout.checked_only.items()):
            want(f"v:{code}:{pop}", c.value)
            if (code, pop) in layout.policy:
                want(f"f:{code}:{pop}", c.flag)
        small = len(wanted)  # ordinal values and flags come first
        for k, i in layout.keys.items():
            want("key:" + k, i)
        want("pv", layout.population_vaccinated)
        if self.with_notes:
            for code, i in layout.notes.items():
                want("n:" + code, i)
        getter = operator.itemgetter(*wanted)  # at least CountryCode and Date: tuples
        width = layout.width
        first_of_all = next_row
        blank_at: int | None = None  # first blank record seen (allowed only at the end)

        def records(first: int) -> Iterator[list[str]]:
            # Streams one chunk of well-formed records; rows are dropped as soon
            # as the wanted cells are picked, so few objects stay alive.
            nonlocal blank_at
            number = first
            rows = itertools.islice(reader, CHUNK_ROWS)
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise OxcgrtFormatError(
                        self.file, number, None, f"CSV syntax error: {exc}"
                    ) from exc
                except UnicodeDecodeError as exc:
                    raise self._decode_error(exc) from exc
                if not row:
                    if blank_at is None:
                        blank_at = number
                    number += 1
                    continue
                if blank_at is not None:
                    self._fail(blank_at, None, "empty row in the middle of the file", layout)
                if len(row) != width:
                    self._fail(
                        number, None, f"has {len(row)} columns, the header has {width}", layout
                    )
                number += 1
                yield row
            counted[0] = number - first

        counted = [0]
        while True:
            first_row = next_row
            counted[0] = 0
            picked = list(map(getter, records(first_row)))
            next_row += counted[0]
            self.rows_seen = next_row - first_of_all
            self.trailing_blank = blank_at is not None
            if not counted[0]:
                return
            if not picked:
                continue
            yield layout, self._chunk(picked, small, slots, first_row, layout)
            del picked

    def _chunk(
        self,
        picked: list[tuple[str, ...]],
        small: int,
        slots: dict[str, int],
        first_row: int,
        layout: _Layout,
    ) -> _Chunk:
        n = len(picked)

        def column(slot: int) -> list[str]:
            return list(map(operator.itemgetter(slot), picked))

        block, fast_ok = _fast_block(picked, small)
        keys: dict[str, list[str]] = {}
        for k, i in layout.keys.items():
            if k == "Date":
                continue
            if i is None:
                keys[k] = [""] * n
            else:
                keys[k] = list(map(self._key.__getitem__, column(slots["key:" + k])))
        date_cells = column(slots["key:Date"])
        days = self._convert(
            self._date, date_cells, layout.keys["Date"] or 0, first_row, layout, np.int64
        )
        keys["Date"] = list(map(self._key.__getitem__, date_cells))
        weight = None
        if layout.population_vaccinated is not None:
            weight = _fast_weights(column(slots["pv"]))
        if layout.population_vaccinated is not None and weight is None:
            weight = self._convert(
                self._weight,
                column(slots["pv"]),
                layout.population_vaccinated,
                first_row,
                layout,
                np.float64,
            )

        def small_column(slot: int, memo: _Memo[int], header_index: int) -> NDArray[np.int8]:
            if fast_ok[slot]:
                return block[:, slot]
            converted: NDArray[np.int8] = self._convert(
                memo, column(slot), header_index, first_row, layout, np.int8
            )
            return converted

        values: dict[tuple[str, str], NDArray[np.int8]] = {}
        flags: dict[tuple[str, str], NDArray[np.int8]] = {}
        for (code, pop), c in itertools.chain(layout.policy.items(), layout.checked_only.items()):
            slot = slots[f"v:{code}:{pop}"]
            v = small_column(slot, self._ordinal, c.value)
            top = INDICATORS[code].max_value
            assert top is not None
            bad = v > top
            if bad.any():
                i = int(np.argmax(bad))
                cell = picked[i][slot]
                self._fail(first_row + i, c.value, f"{cell!r} is outside {code}'s 0..{top}", layout)
            if (code, pop) in layout.checked_only:
                continue
            values[(code, pop)] = np.ascontiguousarray(v)
            if c.flag is not None:
                fslot = slots[f"f:{code}:{pop}"]
                flag = small_column(fslot, self._flag, c.flag)
                if (flag > 1).any():  # the fast path accepts any digit: locate the culprit
                    self._convert(self._flag, column(fslot), c.flag, first_row, layout, np.int8)
                flags[(code, pop)] = np.ascontiguousarray(flag)
        notes = None
        if self.with_notes:
            notes = {code: column(slots["n:" + code]) for code in layout.notes}
        group_keys, group_local = _local_groups(
            [keys[k] for k in ("CountryCode", "RegionCode", "CityCode", "Jurisdiction")], n
        )
        return _Chunk(first_row, keys, days, values, flags, weight, notes, group_keys, group_local)


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class PolicyTable:
    """The index-relevant content of a daily OxCGRT file, column-wise.

    ``keys`` maps ``CountryCode``, ``RegionCode``, ``CityCode``,
    ``Jurisdiction`` and ``Date`` to lists of strings (``""`` where the file
    has no such column).  ``days`` are ``date.toordinal()`` numbers and
    ``groups`` number the distinct jurisdictions.  ``source`` says how the
    differentiated indicators were read: ``"E/NV/V"``, ``"single"`` (legacy
    format, treated as everyone) or ``"majority"`` (compact files: the majority
    policy stands in for everyone, so the NV and V indices coincide).
    """

    file: str
    n_rows: int
    keys: dict[str, list[str]]
    days: NDArray[np.int64]
    groups: NDArray[np.int64]
    everyone: PolicyColumns
    non_vaccinated: PolicyColumns | None
    vaccinated: PolicyColumns | None
    population_vaccinated: NDArray[np.float64] | None
    weighted_available: NDArray[np.bool_] | None
    source: str

    def compute(self) -> IndexTable:
        """Run the index engine on this table (raises OxcgrtFormatError on bad data)."""
        try:
            return compute_indices(
                self.everyone,
                non_vaccinated=self.non_vaccinated,
                vaccinated=self.vaccinated,
                population_vaccinated=self.population_vaccinated,
                weighted_available=self.weighted_available,
                groups=self.groups,
                days=self.days,
                n_rows=self.n_rows,
            )
        except ValueError as exc:
            match = re.search(r"rows (\d+) and (\d+)", str(exc))
            row = int(match.group(2)) + 2 if match else None
            raise OxcgrtFormatError(self.file, row, None, str(exc)) from exc


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of short-lived strings
    and tuples are created (none of them form cycles); halves the read time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: Files at least this large are parsed by several processes (see :func:`read_policy_table`).
PARALLEL_MIN_BYTES: Final = 32 * 1024 * 1024


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _record_split(data: bytes, start: int, target: int) -> int | None:
    """First offset >= target that starts a CSV record (after a newline outside quotes)."""
    odd = data.count(b'"', start, target) & 1
    pos = target
    while True:
        nl = data.find(b"\n", pos)
        if nl < 0:
            return None
        odd ^= data.count(b'"', pos, nl) & 1
        if not odd:
            return nl + 1
        pos = nl + 1


def _segment_worker(
    path: str, start: int, end: int, header: list[str], with_notes: bool
) -> tuple[list[_Chunk], int, bool] | None:
    """Parse bytes [start, end) of a file (whole records); ``None`` on any error."""
    reader = _Reader(path, with_notes=with_notes)
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            segment = io.BytesIO(fh.read(end - start))
        layout = _layout(header, reader.file)
        text = io.TextIOWrapper(segment, encoding="utf-8", newline="")
        with _gc_paused():
            rows = csv.reader(text, strict=True)
            chunks = [chunk for _, chunk in reader._chunks(rows, layout)]
    except (OxcgrtFormatError, UnicodeDecodeError, OSError):
        return None
    return chunks, reader.rows_seen, reader.trailing_blank


def _parallel_chunks(
    path: Path, workers: int, with_notes: bool
) -> tuple[_Layout, list[_Chunk]] | None:
    """Parse a large file in ``workers`` forked processes; ``None`` means "do it serially".

    The file is cut after newlines that lie outside quoted fields (an even
    number of double quotes before them), so no record is split.  Any problem
    in any segment makes the caller fall back to the serial reader, which then
    reports the error with its exact row number.
    """
    data = path.read_bytes()
    body = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    header_end = _record_split(data, body, body)
    if header_end is None:
        return None
    try:
        header = next(csv.reader([data[body:header_end].decode("utf-8")], strict=True))
    except (csv.Error, UnicodeDecodeError, StopIteration):
        return None
    layout = _layout(header, path.name)
    bounds = [header_end]
    size = len(data)
    for i in range(1, workers):
        cut = _record_split(
            data, bounds[-1], max(bounds[-1], header_end + (size - header_end) * i // workers)
        )
        if cut is None or cut >= size:
            break
        bounds.append(cut)
    bounds.append(size)
    del data
    if len(bounds) < 3:
        return None
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # Only "fork" starts workers cheaply and without re-importing the caller's
    # main module; forking is only safe while this process runs a single thread
    # (a threaded web server therefore reads serially).
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() != 1:
        return None
    segments = list(itertools.pairwise(bounds))
    try:
        with ProcessPoolExecutor(
            max_workers=len(segments) - 1, mp_context=multiprocessing.get_context("fork")
        ) as pool:
            futures = [
                pool.submit(_segment_worker, str(path), a, b, header, with_notes)
                for a, b in segments[1:]
            ]
            # This process parses the first segment meanwhile.
            first = _segment_worker(str(path), *segments[0], header, with_notes)
            results = [first, *(f.result() for f in futures)]
    except Exception:  # any pool trouble: read serially instead
        return None
    parts: list[_Chunk] = []
    offset = 0
    for i, result in enumerate(results):
        if result is None:
            return None
        chunks, rows_seen, trailing_blank = result
        if trailing_blank and any(r is not None and r[1] for r in results[i + 1 :]):
            return None  # a blank line in the middle: let the serial reader say where
        for chunk in chunks:
            chunk.first_row += offset
            parts.append(chunk)
        offset += rows_seen
    return layout, parts


def read_policy_table(path: str | os.PathLike[str], *, workers: int | None = None) -> PolicyTable:
    """Read and validate a daily OxCGRT file into a :class:`PolicyTable`.

    Files of :data:`PARALLEL_MIN_BYTES` or more are parsed by up to
    ``workers`` processes (default: the CPUs available, at most 4); pass
    ``workers=1`` to stay in this process.
    """
    reader = _Reader(path)
    layout: _Layout | None = None
    parts: list[_Chunk] = []
    if workers is None:
        try:
            big = os.path.getsize(reader.path) >= PARALLEL_MIN_BYTES
        except OSError:
            big = False
        workers = min(_cpu_count(), 4) if big else 1
    done = None
    if workers > 1:
        done = _parallel_chunks(reader.path, workers, with_notes=False)
    if done is not None:
        layout, parts = done
    else:
        with _gc_paused():
            for layout, chunk in reader.chunks():  # noqa: B007 - layout is used below
                parts.append(chunk)
    if layout is None:
        # Header only: build an empty layout-driven table.
        with open(reader.path, newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh), None)
        if header is None:
            raise OxcgrtFormatError(reader.file, 1, None, "empty file: no header row")
        layout = _layout(header, reader.file)
    n = sum(len(p.days) for p in parts)

    def cat8(arrays: list[NDArray[np.int8]]) -> NDArray[np.int8]:
        return np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int8)

    keys: dict[str, list[str]] = {}
    for k in ("CountryCode", "RegionCode", "CityCode", "Jurisdiction", "Date"):
        keys[k] = list(itertools.chain.from_iterable(p.keys[k] for p in parts))
    days = np.concatenate([p.days for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    group_ids: dict[tuple[str, str, str, str], int] = {}
    group_parts = []
    for p in parts:
        remap = np.array(
            [group_ids.setdefault(key, len(group_ids)) for key in p.group_keys], dtype=np.int64
        )
        group_parts.append(remap[p.group_local] if len(remap) else np.zeros(0, np.int64))
    groups = np.concatenate(group_parts) if group_parts else np.zeros(0, dtype=np.int64)
    pops: dict[str, tuple[dict[str, NDArray[np.int8]], dict[str, NDArray[np.int8]]]] = {
        p: ({}, {}) for p in ("E", "NV", "V")
    }
    for code, pop in layout.policy:
        pops[pop][0][code] = cat8([c.values[(code, pop)] for c in parts])
        if layout.policy[(code, pop)].flag is not None:
            pops[pop][1][code] = cat8([c.flags[(code, pop)] for c in parts])
    weight = None
    available = None
    if layout.population_vaccinated is not None:
        w = np.concatenate([p.weight for p in parts if p.weight is not None]) if parts else None
        if w is not None:
            category = np.isinf(w)
            available = ~category
            weight = np.where(category, np.nan, w)

    def columns(pop: str) -> PolicyColumns | None:
        vals, fls = pops[pop]
        if pop != "E" and not vals:
            return None
        return PolicyColumns(vals, fls)

    everyone = columns("E")
    assert everyone is not None
    return PolicyTable(
        file=reader.file,
        n_rows=n,
        keys=keys,
        days=days,
        groups=groups,
        everyone=everyone,
        non_vaccinated=columns("NV"),
        vaccinated=columns("V"),
        population_vaccinated=weight,
        weighted_available=available,
        source=layout.source,
    )


_LINE: Final = "{}\n"
_NEEDS_QUOTING: Final = re.compile(r'[",\r\n]|^\s|\s$')


def _plain_keys(table: PolicyTable) -> bool:
    """True when no key cell needs quoting (checked on the distinct values only)."""
    return not any(_NEEDS_QUOTING.search(v) for k in KEY_COLUMNS for v in set(table.keys[k]))


def _formatted(h: NDArray[np.int32]) -> list[str]:
    return _FORMAT_TABLE.take(h.astype(np.int64) + 1).tolist()  # type: ignore[no-any-return]


def _build_format_table() -> NDArray[np.object_]:
    table = np.empty(10002, dtype=object)
    table[0] = ""
    for h in range(10001):
        table[h + 1] = f"{h // 100}.{h % 100:02d}"
    return table


_FORMAT_TABLE: Final = _build_format_table()


def format_hundredths(h: int) -> str:
    """Format like OxCGRT's daily files: two decimals (``"100.00"``), ``""`` for no value."""
    return "" if h < 0 else f"{h // 100}.{h % 100:02d}"


def compute_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    extra_columns: bool = False,
) -> int:
    """Compute the OxCGRT indices of a daily file and write them as CSV.

    Writes one row per input row, in input order: ``CountryCode``,
    ``RegionCode``, ``Jurisdiction``, ``Date`` and the 13 index columns under
    OxCGRT's names, with two decimals like OxCGRT's daily files and an empty
    cell for a rejected index.  With ``extra_columns`` the ``_ForDisplay``
    columns and ``StringencyLegacyIndex``/``StringencyLegacyIndexForDisplay``
    follow.  The whole input is read and checked before anything is written,
    and the output appears atomically; on :class:`OxcgrtFormatError` no
    output file is created.  Returns the number of data rows written.
    """
    table = read_policy_table(input_path)
    result = table.compute()
    with _gc_paused():
        _write_indices(table, result, output_path, extra_columns)
    return table.n_rows


def _write_indices(
    table: PolicyTable, result: IndexTable, output_path: str | os.PathLike[str], extra: bool
) -> None:
    names = ALL_COLUMNS if extra else INDEX_COLUMNS
    out = Path(output_path)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent or ".")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow((*KEY_COLUMNS, *names))
            columns = [_formatted(result.hundredths[name]) for name in names]
            keys = [table.keys[k] for k in KEY_COLUMNS]
            rows = zip(*keys, *columns, strict=True)
            if _plain_keys(table):
                # No key needs CSV quoting: joining is much faster than the writer.
                fh.write("".join(map(_LINE.format, map(",".join, rows))))
            else:
                writer.writerows(rows)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class JurisdictionKey:
    """Identifies a jurisdiction: ``("GBR", "UK_ENG", "", "STATE_TOTAL")``."""

    country_code: str
    region_code: str
    city_code: str
    jurisdiction: str


Policy = tuple[int | None, int | None]
"""(value, flag); ``None`` for a blank cell."""


@dataclass(frozen=True, slots=True)
class IndicatorPolicy:
    """One indicator on one day: policy for everyone and, if differentiated, NV and V."""

    everyone: Policy
    non_vaccinated: Policy | None = None
    vaccinated: Policy | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class PolicyRecord:
    """One row of a daily file, as plain Python data."""

    row: int  # spreadsheet row number (header = 1)
    jurisdiction: JurisdictionKey
    date: dt.date
    policies: dict[str, IndicatorPolicy]
    population_vaccinated: float | None


def _as_list(arr: NDArray[np.int8] | None, blank: list[int]) -> list[int]:
    return blank if arr is None else [int(x) for x in arr.tolist()]


def _pair(value: int, flag: int) -> Policy:
    return (None if value < 0 else value, None if flag < 0 else flag)


def iter_policy_records(
    path: str | os.PathLike[str], *, include_notes: bool = False
) -> Iterator[PolicyRecord]:
    """Yield a :class:`PolicyRecord` per row of a daily OxCGRT file, in file order.

    Only the index indicators (C1-C8, E1, E2, H1-H3, H6-H8) are included.
    Rows are validated chunk by chunk (8192 rows) before they are yielded, so
    an :class:`OxcgrtFormatError` may come after earlier records were
    produced: wrap the import in a transaction.
    """
    reader = _Reader(path, with_notes=include_notes)
    for layout, chunk in reader.chunks():
        n = len(chunk.days)
        blank = [-1] * n
        codes = [
            c
            for c in INDEX_INDICATORS
            if any((c, pop) in layout.policy for pop in ("E", "NV", "V"))
        ]

        per_code = {
            c: {
                pop: (
                    _as_list(chunk.values.get((c, pop)), blank),
                    _as_list(chunk.flags.get((c, pop)), blank),
                )
                for pop in ("E", "NV", "V")
            }
            for c in codes
        }
        split = {c for c in codes if (c, "NV") in layout.policy or (c, "V") in layout.policy}
        weights = None if chunk.weight is None else chunk.weight.tolist()
        for i, day in enumerate(chunk.days.tolist()):
            policies: dict[str, IndicatorPolicy] = {}
            for c in codes:
                cols = per_code[c]
                everyone = _pair(cols["E"][0][i], cols["E"][1][i])
                nv = v = None
                if c in split:
                    nv = _pair(cols["NV"][0][i], cols["NV"][1][i])
                    v = _pair(cols["V"][0][i], cols["V"][1][i])
                note = None
                if chunk.notes is not None and c in chunk.notes:
                    note = chunk.notes[c][i] or None
                policies[c] = IndicatorPolicy(everyone, nv, v, note)
            pv = None
            if weights is not None and math.isfinite(weights[i]):
                pv = weights[i]
            yield PolicyRecord(
                row=chunk.first_row + i,
                jurisdiction=JurisdictionKey(
                    chunk.keys["CountryCode"][i],
                    chunk.keys["RegionCode"][i],
                    chunk.keys["CityCode"][i],
                    chunk.keys["Jurisdiction"][i],
                ),
                date=dt.date.fromordinal(day),
                policies=policies,
                population_vaccinated=pv,
            )


# --------------------------------------------------------------------------- timeseries

TIMESERIES_KEY_COLUMNS: Final = (
    "CountryCode",
    "CountryName",
    "RegionCode",
    "RegionName",
    "CityCode",
    "CityName",
    "Jurisdiction",
)


@dataclass(frozen=True, slots=True)
class TimeseriesJurisdiction:
    """The descriptive columns of one timeseries row."""

    country_code: str
    country_name: str
    region_code: str
    region_name: str
    city_code: str
    city_name: str
    jurisdiction: str

    @property
    def key(self) -> JurisdictionKey:
        return JurisdictionKey(
            self.country_code, self.region_code, self.city_code, self.jurisdiction
        )


@dataclass(frozen=True, slots=True)
class Timeseries:
    """A wide OxCGRT timeseries file as plain data.

    ``values[i][j]`` is the value of ``jurisdictions[i]`` on ``dates[j]``
    (``None`` for a blank cell).
    """

    file: str
    jurisdictions: list[TimeseriesJurisdiction]
    dates: list[dt.date]
    values: list[list[float | None]]

    def records(self) -> Iterator[tuple[TimeseriesJurisdiction, dt.date, float | None]]:
        """Long format: (jurisdiction, date, value) for every cell."""
        for who, row in zip(self.jurisdictions, self.values, strict=True):
            for day, value in zip(self.dates, row, strict=True):
                yield who, day, value

    def series(self, country_code: str, region_code: str = "") -> list[float | None]:
        """Values of the first row matching the codes (``region_code=""`` = national)."""
        for who, row in zip(self.jurisdictions, self.values, strict=True):
            if who.country_code == country_code and who.region_code == region_code:
                return row
        raise KeyError((country_code, region_code))


def _parse_ts_date(s: str) -> dt.date:
    m = _TS_DATE_RE.match(s)
    if m is None or m.group(2) not in _MONTHS:
        raise _BadCell(f"date column {s!r} is not like 01Jan2020")
    try:
        return dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    except ValueError:
        raise _BadCell(f"date column {s!r} does not exist") from None


def _parse_ts_value(s: str) -> float | None:
    if s == "" or s == "NA":
        return None
    try:
        x = float(s)
    except ValueError:
        raise _BadCell(f"{s!r} is not a number") from None
    if not math.isfinite(x):
        raise _BadCell(f"{s!r} is not a finite number")
    return x


def read_timeseries(path: str | os.PathLike[str]) -> Timeseries:
    """Read an ``OxCGRT_timeseries_*`` file (jurisdiction rows x date columns)."""
    p = Path(path)
    file = p.name
    memo = _Memo(_parse_ts_value)
    try:
        fh = open(p, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise OxcgrtFormatError(file, None, None, f"cannot open: {exc}") from exc
    with fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise OxcgrtFormatError(file, 1, None, "empty file: no header row")
            key_idx: dict[str, int] = {}
            dates: list[dt.date] = []
            date_idx: list[int] = []
            for i, name in enumerate(header):
                if name in TIMESERIES_KEY_COLUMNS:
                    if name in key_idx:
                        raise OxcgrtFormatError(file, 1, name, "column name appears twice")
                    key_idx[name] = i
                elif name and name[0].isdigit():
                    try:
                        dates.append(_parse_ts_date(name))
                    except _BadCell as exc:
                        raise OxcgrtFormatError(file, 1, name, str(exc)) from None
                    date_idx.append(i)
            if "CountryCode" not in key_idx:
                raise OxcgrtFormatError(file, 1, None, "no CountryCode column")
            if not dates:
                raise OxcgrtFormatError(file, 1, None, "no date columns")
            if len(set(dates)) != len(dates):
                raise OxcgrtFormatError(file, 1, None, "a date column appears twice")
            pick = operator.itemgetter(*date_idx)
            who: list[TimeseriesJurisdiction] = []
            values: list[list[float | None]] = []
            width = len(header)
            rownum = 1
            while True:
                rownum += 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise OxcgrtFormatError(file, rownum, None, str(exc)) from exc
                if not row:
                    continue
                if len(row) != width:
                    raise OxcgrtFormatError(
                        file, rownum, None, f"has {len(row)} columns, the header has {width}"
                    )
                who.append(
                    TimeseriesJurisdiction(
                        *(row[key_idx[k]] if k in key_idx else "" for k in TIMESERIES_KEY_COLUMNS)
                    )
                )
                cells = pick(row)
                if len(date_idx) == 1:
                    cells = (cells,)
                try:
                    values.append(list(map(memo.__getitem__, cells)))
                except _BadCell:
                    for j, cell in enumerate(cells):
                        try:
                            memo[cell]
                        except _BadCell as exc:
                            raise OxcgrtFormatError(
                                file, rownum, header[date_idx[j]], str(exc)
                            ) from None
                    raise  # pragma: no cover
        except csv.Error as exc:
            raise OxcgrtFormatError(file, 1, None, str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise OxcgrtFormatError(file, None, None, f"not UTF-8 text: {exc}") from exc
    return Timeseries(file, who, dates, values)


__all__ = [
    "KEY_COLUMNS",
    "IndicatorPolicy",
    "JurisdictionKey",
    "OxcgrtFormatError",
    "PolicyRecord",
    "PolicyTable",
    "Timeseries",
    "TimeseriesJurisdiction",
    "compute_file",
    "format_hundredths",
    "iter_policy_records",
    "read_policy_table",
    "read_timeseries",
]
