"""Reading a Statistics Netherlands (CBS) StatLine table in the OData v3 export layout.

A table is a folder holding ``TableInfos.csv`` (title, modification date, frequency),
``DataProperties.csv`` (dimensions, topic groups and topics with unit and decimals), one file per
dimension named after its key (``Perioden.csv`` with each period's status, ``RegioS.csv``, …) and
``data.csv`` (one row per combination of dimension keys, one column per topic). Everything is
taken from the metadata, so any StatLine table in this layout reads; nothing here touches the
database. ``read_table`` refuses a folder whose structure is broken (a missing file or column, a
key that no dimension file lists, a period code that is not one) with a :class:`CbsFormatError`
naming the file, row and field; a single cell that is not a number and not one of CBS's symbols
is rejected on its own (``CbsTable.rejected``) without stopping the rest.

CBS symbols in cells: ``.`` figure unknown, ``x`` secret, empty: not published — none of them is
stored; ``-`` nil, stored as 0. Period status: ``Definitief`` final, ``Voorlopig`` provisional,
``NaderVoorlopig`` revised provisional ("nader voorlopig").
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from paraat.indicators.errors import ImportFormatError, Rejection
from paraat_core.periods import Period, PeriodError, parse_period

REQUIRED_FILES = ("TableInfos.csv", "DataProperties.csv", "data.csv")
DIMENSION_TYPES = {"Dimension", "GeoDimension", "TimeDimension", "GeoDetail"}
MISSING_SYMBOLS = {"", ".", "x", "?"}
STATUSES = {
    "definitief": "final",
    "voorlopig": "provisional",
    "nadervoorlopig": "revised_provisional",
}
MAX_FILE_BYTES = 200 * 1024 * 1024


class CbsFormatError(ImportFormatError):
    """The folder is not a readable StatLine table; names the file, row and field."""


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    unit: str
    decimals: int | None
    description: str
    group_path: tuple[str, ...] = ()

    @property
    def full_title(self) -> str:
        return " › ".join([*self.group_path, self.title])


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    kind: str  # Dimension, GeoDimension, TimeDimension
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cell:
    row: int
    topic: str
    period: Period
    status: str  # final | provisional | revised_provisional
    breakdown: tuple[
        tuple[str, str], ...
    ]  # (dimension key, value key), the time dimension left out
    value: float


@dataclass
class CbsTable:
    identifier: str
    title: str
    modified: dt.datetime | None
    frequency: str
    source: str
    summary: str
    topics: dict[str, Topic]
    dimensions: dict[str, Dimension]
    time_dimension: str
    period_status: dict[str, tuple[Period, str]]
    directory: Path
    rejected: list[Rejection] = field(default_factory=list)
    # Period keys listed in the period file that paraat cannot read: (row there, reason).
    unreadable_periods: dict[str, tuple[int, str]] = field(default_factory=dict)

    def cells(self) -> Iterator[Cell]:
        """Every numeric cell of ``data.csv``; cells that are not numbers land in ``rejected``."""
        path = self.directory / "data.csv"
        try:
            yield from self._cells(path)
        except UnicodeDecodeError:
            raise CbsFormatError(path.name, None, "", "geen UTF-8-tekst") from None
        except csv.Error as error:
            raise CbsFormatError(path.name, None, "", f"geen geldige CSV ({error})") from None

    def _cells(self, path: Path) -> Iterator[Cell]:
        with _open(path) as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            if not header:
                raise CbsFormatError(path.name, 1, "", "de kop ontbreekt")
            index = {name: number for number, name in enumerate(header)}
            for name in [*self.dimensions, *self.topics]:
                if name not in index:
                    raise CbsFormatError(path.name, 1, name, "kolom ontbreekt in de kop")
            dims = [d for d in self.dimensions if d != self.time_dimension]
            time_col = index[self.time_dimension]
            dim_cols = [(d, index[d]) for d in dims]
            topic_cols = [(t, index[t]) for t in self.topics]
            for row_number, row in enumerate(reader, start=2):
                if len(row) != len(header):
                    raise CbsFormatError(
                        path.name,
                        row_number,
                        "",
                        f"{len(row)} kolommen, de kop heeft er {len(header)}",
                    )
                period_key = row[time_col].strip()
                if period_key in self.unreadable_periods:
                    source_row, reason = self.unreadable_periods[period_key]
                    self.rejected.append(
                        Rejection(
                            path.name,
                            row_number,
                            self.time_dimension,
                            f"{reason} ({self.time_dimension}.csv, rij {source_row}); "
                            "de cijfers van deze rij zijn niet opgeslagen",
                        )
                    )
                    continue
                if period_key not in self.period_status:
                    raise CbsFormatError(
                        path.name,
                        row_number,
                        self.time_dimension,
                        f"periode {period_key!r} staat niet in {self.time_dimension}.csv",
                    )
                period, status = self.period_status[period_key]
                breakdown = []
                for dim, col in dim_cols:
                    key = row[col].strip()
                    labels = self.dimensions[dim].labels
                    if labels and key not in labels:
                        raise CbsFormatError(
                            path.name, row_number, dim, f"sleutel {key!r} staat niet in {dim}.csv"
                        )
                    breakdown.append((dim, key))
                for topic, col in topic_cols:
                    raw = row[col].strip()
                    if raw in MISSING_SYMBOLS:
                        continue
                    if raw == "-":
                        value = 0.0
                    else:
                        try:
                            value = float(raw)
                        except ValueError:
                            self.rejected.append(
                                Rejection(path.name, row_number, topic, f"geen getal: {raw[:40]!r}")
                            )
                            continue
                        if value != value or value in (float("inf"), float("-inf")):
                            self.rejected.append(
                                Rejection(path.name, row_number, topic, f"geen getal: {raw[:40]!r}")
                            )
                            continue
                    yield Cell(
                        row=row_number,
                        topic=topic,
                        period=period,
                        status=status,
                        breakdown=tuple(breakdown),
                        value=value,
                    )


def _open(path: Path) -> TextIO:
    if not path.is_file():
        raise CbsFormatError(path.name, None, "", "bestand ontbreekt")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CbsFormatError(path.name, None, "", "bestand is te groot")
    return path.open(newline="", encoding="utf-8-sig")


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with _open(path) as handle:
            reader = csv.DictReader(handle)
            fields = reader.fieldnames or []
            for name in required:
                if name not in fields:
                    raise CbsFormatError(path.name, 1, name, "kolom ontbreekt in de kop")
            rows = []
            for number, row in enumerate(reader, start=2):
                if None in row or any(value is None for value in row.values()):
                    raise CbsFormatError(path.name, number, "", "aantal kolommen klopt niet")
                rows.append((number, {k: (v or "") for k, v in row.items()}))
            return rows
    except UnicodeDecodeError:
        raise CbsFormatError(path.name, None, "", "geen UTF-8-tekst") from None
    except csv.Error as error:
        raise CbsFormatError(path.name, None, "", f"geen geldige CSV ({error})") from None


def _int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def _modified(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def read_table(directory: Path) -> CbsTable:
    """Read the metadata of the table in ``directory``; ``cells()`` then streams the data."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CbsFormatError(directory.name, None, "", "geen map")
    for name in REQUIRED_FILES:
        if not (directory / name).is_file():
            raise CbsFormatError(name, None, "", "bestand ontbreekt in de tabelmap")

    infos = _rows(directory / "TableInfos.csv", ("Identifier", "Title"))
    if not infos:
        raise CbsFormatError("TableInfos.csv", 2, "", "geen tabelgegevens")
    info = infos[0][1]
    identifier = info["Identifier"].strip()
    if not identifier:
        raise CbsFormatError("TableInfos.csv", 2, "Identifier", "leeg")

    properties = _rows(directory / "DataProperties.csv", ("ID", "Type", "Key", "Title"))
    by_id: dict[str, dict[str, str]] = {}
    for _number, row in properties:
        by_id[row["ID"].strip()] = row

    def group_path(row: dict[str, str]) -> tuple[str, ...]:
        path: list[str] = []
        parent = (row.get("ParentID") or "").strip()
        seen: set[str] = set()
        while parent and parent in by_id and parent not in seen:
            seen.add(parent)
            group = by_id[parent]
            path.insert(0, group["Title"].strip())
            parent = (group.get("ParentID") or "").strip()
        return tuple(path)

    topics: dict[str, Topic] = {}
    dimensions: dict[str, Dimension] = {}
    time_dimension = ""
    for number, row in properties:
        kind, key = row["Type"].strip(), row["Key"].strip()
        if kind == "Topic":
            if not key:
                raise CbsFormatError(
                    "DataProperties.csv", number, "Key", "onderwerp zonder sleutel"
                )
            topics[key] = Topic(
                key=key,
                title=row["Title"].strip(),
                unit=(row.get("Unit") or "").strip(),
                decimals=_int(row.get("Decimals") or ""),
                description=(row.get("Description") or "").strip(),
                group_path=group_path(row),
            )
        elif kind in DIMENSION_TYPES:
            if not key:
                raise CbsFormatError("DataProperties.csv", number, "Key", "dimensie zonder sleutel")
            if kind == "TimeDimension":
                time_dimension = key
            dimensions[key] = Dimension(key=key, title=row["Title"].strip(), kind=kind)
    if not time_dimension:
        raise CbsFormatError("DataProperties.csv", None, "Type", "de tabel heeft geen tijddimensie")
    if not topics:
        raise CbsFormatError("DataProperties.csv", None, "Type", "de tabel heeft geen onderwerpen")

    for key in list(dimensions):
        if key == time_dimension:
            continue
        path = directory / f"{key}.csv"
        rows = _rows(path, ("Key", "Title"))
        dimensions[key] = Dimension(
            key=key,
            title=dimensions[key].title,
            kind=dimensions[key].kind,
            labels={row["Key"].strip(): row["Title"].strip() for _n, row in rows},
        )

    period_status: dict[str, tuple[Period, str]] = {}
    unreadable: dict[str, tuple[int, str]] = {}
    period_file = f"{time_dimension}.csv"
    for number, row in _rows(directory / period_file, ("Key", "Title")):
        key = row["Key"].strip()
        try:
            period = parse_period(key)
        except PeriodError as error:
            # One period paraat cannot place (an unusual code) does not block the table: its
            # cells are rejected row by row, naming this row.
            unreadable[key] = (number, str(error))
            continue
        raw_status = (row.get("Status") or "Definitief").strip().lower().replace(" ", "")
        if raw_status not in STATUSES:
            raise CbsFormatError(period_file, number, "Status", f"onbekende status {raw_status!r}")
        period_status[key] = (period, STATUSES[raw_status])

    with _open(directory / "data.csv") as handle:
        try:
            header = next(csv.reader(handle), [])
        except (csv.Error, UnicodeDecodeError):
            raise CbsFormatError("data.csv", 1, "", "geen geldige CSV-kop") from None
    for name in [*dimensions, *topics]:
        if name not in header:
            raise CbsFormatError("data.csv", 1, name, "kolom ontbreekt in de kop")

    return CbsTable(
        identifier=identifier,
        title=info["Title"].strip(),
        modified=_modified(info.get("Modified") or ""),
        frequency=(info.get("Frequency") or "").strip(),
        source=(info.get("Source") or "CBS").strip().rstrip(".") or "CBS",
        summary=(info.get("Summary") or "").strip(),
        topics=topics,
        dimensions=dimensions,
        time_dimension=time_dimension,
        period_status=period_status,
        directory=directory,
        unreadable_periods=unreadable,
    )
