"""Live refresh of a Statistics Netherlands (CBS) StatLine table through ``cbsodata``.

``cbsodata`` (https://github.com/J535D165/cbsodata) reads the OData v3 feed of StatLine:
``get_meta(table, name)`` returns the rows of one metadata set (``TableInfos``,
``DataProperties``, ``Perioden``, every other dimension by its key) as a list of dicts, and
``get_data(table)`` returns the data rows. ``get_data`` replaces every dimension key by its
*title* (``"NL01  "`` becomes ``"Nederland"``, ``"2020HJ01"`` becomes ``"1e halfjaar 2020"``),
so the titles are mapped back to keys with ``get_meta(table, <dimension>)``; the period keys
and their status (Definitief, Voorlopig, NaderVoorlopig) come from ``get_meta(table,
'Perioden')``. A title that two keys of one dimension share cannot be mapped back and refuses
the refresh.

Everything fetched is written, in a temporary folder, in the layout of a StatLine export
(``TableInfos.csv``, ``DataProperties.csv``, one CSV per dimension, ``data.csv``) and imported
with :func:`paraat.indicators.services.cbs_table_import`: one import path for exports and live
tables, the same indicators, breakdowns, statuses and vintage (``TableInfos.Modified``).

All downloads happen before the database is touched; a network failure or an answer that is not
a StatLine table raises :class:`CbsLiveError` (Dutch message) and nothing is stored.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, cast

from django.db import transaction

from paraat.accounts.models import User
from paraat.indicators.cbs import DIMENSION_TYPES, CbsFormatError
from paraat.indicators.models import ImportBatch
from paraat.indicators.services import ImportReport, cbs_table_import

Progress = Callable[[int, int], None]
TABLE_ID = re.compile(r"[A-Za-z0-9_]{1,40}")


class CbsClient(Protocol):
    """The part of the ``cbsodata`` module used here (a fake in tests)."""

    def get_meta(self, table_id: str, name: str) -> list[dict[str, Any]]: ...

    def get_data(self, table_id: str) -> list[dict[str, Any]]: ...


class CbsLiveError(Exception):
    """The table could not be fetched or is not a StatLine table; nothing was stored."""

    def __init__(self, table: str, message: str) -> None:
        self.table, self.message = table, message
        super().__init__(f"StatLine-tabel {table}: {message}")


def _fetch(table: str, what: str, call: Callable[[], Any]) -> list[dict[str, Any]]:
    try:
        rows = call()
    except OSError as error:  # requests' errors are OSErrors: connection, time-out, HTTP status
        raise CbsLiveError(table, f"ophalen van {what} mislukt ({error})") from error
    except (ValueError, KeyError) as error:  # an answer that is not OData JSON
        raise CbsLiveError(table, f"onleesbaar antwoord voor {what} ({error})") from error
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise CbsLiveError(table, f"onverwacht antwoord voor {what}: geen lijst van rijen")
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write(path: Path, rows: list[dict[str, Any]], first: tuple[str, ...] = ()) -> None:
    columns = list(dict.fromkeys([*first, *(name for row in rows for name in row)]))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(name)) for name in columns])


def _key_of(table: str, dimension: str, meta: list[dict[str, Any]]) -> Callable[[Any, int], str]:
    """Maps what ``get_data`` wrote in ``dimension`` (a title, or a key it left) to the key."""
    by_title: dict[str, list[str]] = {}
    keys: set[str] = set()
    for row in meta:
        key = _cell(row.get("Key"))
        keys.add(key)
        by_title.setdefault(_cell(row.get("Title")), []).append(key)
    stripped = {title.strip(): found for title, found in by_title.items()}

    def key_of(value: Any, number: int) -> str:
        text = _cell(value)
        found = by_title.get(text) or stripped.get(text.strip())
        if found and len(found) == 1:
            return found[0]
        if found:
            raise CbsLiveError(
                table,
                f"get_data, rij {number}, veld '{dimension}': titel {text!r} hoort bij meer dan "
                f"één sleutel ({', '.join(k.strip() for k in found)}) en is niet terug te vertalen",
            )
        if text in keys:  # cbsodata leaves a value it cannot find in the metadata as it is
            return text
        raise CbsLiveError(
            table,
            f"get_data, rij {number}, veld '{dimension}': {text[:60]!r} staat niet in "
            f"get_meta({table!r}, {dimension!r})",
        )

    return key_of


def _client(client: CbsClient | None) -> CbsClient:
    if client is not None:
        return client
    import cbsodata  # the network client, loaded only when used

    return cast(CbsClient, cbsodata)


def cbs_live_folder(*, table: str, directory: Path, client: CbsClient | None = None) -> None:
    """Fetch ``table`` with ``client`` (default: ``cbsodata``) into ``directory`` as a StatLine
    export folder that :func:`paraat.indicators.cbs.read_table` reads. Touches no database."""
    if not TABLE_ID.fullmatch(table):
        raise CbsLiveError(table[:40], "geen geldige tabelcode (bv. 83262NED)")
    client = _client(client)
    infos = _fetch(table, "TableInfos", lambda: client.get_meta(table, "TableInfos"))
    if not infos:
        raise CbsLiveError(table, "TableInfos is leeg: bestaat de tabel?")
    properties = _fetch(table, "DataProperties", lambda: client.get_meta(table, "DataProperties"))
    dimensions = [
        _cell(row.get("Key")).strip()
        for row in properties
        if _cell(row.get("Type")).strip() in DIMENSION_TYPES and _cell(row.get("Key")).strip()
    ]
    topics = [
        _cell(row.get("Key")).strip()
        for row in properties
        if _cell(row.get("Type")).strip() == "Topic" and _cell(row.get("Key")).strip()
    ]
    metas = {
        dimension: _fetch(table, dimension, lambda d=dimension: client.get_meta(table, d))
        for dimension in dimensions
    }
    data = _fetch(table, "de data (get_data)", lambda: client.get_data(table))

    mappers = {dimension: _key_of(table, dimension, meta) for dimension, meta in metas.items()}
    rows = []
    for number, row in enumerate(data, start=1):
        keyed = dict(row)
        for dimension, key_of in mappers.items():
            if dimension not in keyed:
                raise CbsLiveError(
                    table, f"get_data, rij {number}: dimensie {dimension!r} ontbreekt"
                )
            keyed[dimension] = key_of(keyed[dimension], number)
        rows.append(keyed)

    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / "TableInfos.csv", infos[:1], ("Identifier", "Title"))
    _write(directory / "DataProperties.csv", properties, ("ID", "Type", "Key", "Title"))
    for dimension, meta in metas.items():
        _write(directory / f"{dimension}.csv", meta, ("Key", "Title"))
    _write(directory / "data.csv", rows, (*dimensions, *topics))  # columns even without rows


def cbs_live_refresh(
    *,
    table: str,
    user: User | None = None,
    client: CbsClient | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Fetch StatLine table ``table`` live (``cbsodata``) and import it like an export folder.

    ``client`` defaults to the ``cbsodata`` module. Raises :class:`CbsLiveError` when the table
    cannot be fetched or does not read as a table; nothing is stored then. Revised figures are
    appended (see :func:`paraat.indicators.services.observations_store`).
    """
    if not TABLE_ID.fullmatch(table):
        raise CbsLiveError(table[:40], "geen geldige tabelcode (bv. 83262NED)")
    with tempfile.TemporaryDirectory(prefix="paraat-cbs-live-") as folder:
        directory = Path(folder) / table
        cbs_live_folder(table=table, directory=directory, client=client)
        try:
            with transaction.atomic():
                report = cbs_table_import(directory=directory, user=user, progress=progress)
                for rejection in report.rejected:
                    if rejection["file"] == "data.csv":  # row 2 of data.csv is get_data row 1
                        rejection["file"], rejection["row"] = "get_data", rejection["row"] - 1
                batch = ImportBatch.objects.get(pk=report.batch_id)
                batch.source_kind = "cbs-live"
                batch.name = f"{batch.name} (live)"[:255]
                batch.report = report.as_dict()
                batch.save(update_fields=["source_kind", "name", "report"])
        except CbsFormatError as error:
            raise CbsLiveError(table, f"het antwoord is geen leesbare tabel ({error})") from error
    return report
