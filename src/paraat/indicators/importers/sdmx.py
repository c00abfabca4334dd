"""SDMX data messages (SDMX-ML 2.1 generic or structure-specific, SDMX-JSON) via ``sdmx1``.

Every observation of every series in the message becomes an observation of one indicator:

* the series key, less the time dimension and ``FREQ`` (the period already says how often),
  becomes the breakdown ``DIM=value;…`` in the order of the key;
* ``TIME_PERIOD`` is read by :func:`paraat_core.periods.parse_period`, which takes the ISO forms
  SDMX uses (``2020``, ``2020-Q1``, ``2020-03``, ``2020-W14``, ``2020-03-01``); the SDMX
  reporting periods ``2020-S1`` (semester, stored as ``2020-H1``), ``2020-A1`` (year) and
  ``2020-M03`` (month) are translated first;
* ``OBS_VALUE`` is the value; an observation without one (``NaN``) is a figure that is not
  there and is skipped;
* ``OBS_STATUS`` (SDMX code list CL_OBS_STATUS) or, from Eurostat, ``OBS_FLAG`` gives the
  status, mapped as in :data:`SDMX_STATUS` and :data:`EUROSTAT_FLAGS` below.

Status map (SDMX CL_OBS_STATUS, upper case): ``A`` normal, ``B`` time-series break, ``D``
definition differs, ``J`` derogation, ``K``/``W`` included in or including another category,
``N`` not significant, ``S`` strike or special event, ``U`` low reliability, ``_U`` unknown →
*final*; ``P`` provisional, ``E`` estimated, ``F`` forecast, ``G`` experimental, ``I`` imputed,
``V`` unvalidated → *provisional*; ``H``, ``L``, ``M``, ``O``, ``Q`` (kinds of missing value)
→ not stored. Eurostat flags (lower case, possibly combined such as ``bp``): ``p`` provisional,
``e`` estimated, ``s`` Eurostat estimate, ``f`` forecast → *provisional*; otherwise ``r``
revised → *revised*; ``b``, ``d``, ``u``, ``n`` → *final*; ``c`` confidential and ``z`` not
applicable → not stored. No status is *final*. Any other marking rejects the observation.

A message that does not read (not SDMX, a structure or error message instead of data, a
document type declaration) raises :class:`SdmxImportError` naming the file, and nothing is
stored; a single observation that does not read is rejected on its own (row: the number of the
observation in the message). The vintage is the header's ``Prepared`` time, else the import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from paraat.accounts.models import User
from paraat.indicators.errors import ImportFormatError, Rejection
from paraat.indicators.importers._common import (
    DuplicateGuard,
    ParsedRow,
    aware,
    breakdowns_merge,
    store_rows,
)
from paraat.indicators.models import Indicator, ObservationStatus
from paraat.indicators.services import ImportReport, ObservationInput
from paraat_core.periods import Period, PeriodError, parse_period

MAX_BYTES = 200 * 1024 * 1024
TIME_DIMENSION = "TIME_PERIOD"
LEFT_OUT = {"FREQ", "FREQUENCY"}
STATUS_ATTRIBUTES = ("OBS_STATUS", "OBS_FLAG")
MISSING = "missing"

SDMX_STATUS: dict[str, str] = {
    **dict.fromkeys(("A", "B", "D", "J", "K", "N", "S", "U", "W", "_U"), ObservationStatus.FINAL),
    **dict.fromkeys(("P", "E", "F", "G", "I", "V"), ObservationStatus.PROVISIONAL),
    **dict.fromkeys(("H", "L", "M", "O", "Q"), MISSING),
}
EUROSTAT_FLAGS: dict[str, str] = {
    **dict.fromkeys("pesf", ObservationStatus.PROVISIONAL),
    "r": ObservationStatus.REVISED,
    **dict.fromkeys("bdun", ObservationStatus.FINAL),
    **dict.fromkeys("cz", MISSING),
}

_REPORTING_PERIODS = (
    (re.compile(r"([0-9]{4})-S([12])"), r"\1-H\2"),
    (re.compile(r"([0-9]{4})-A1"), r"\1"),
    (re.compile(r"([0-9]{4})-M([0-9]{2})"), r"\1-\2"),
)


class SdmxImportError(ImportFormatError):
    """An SDMX message that cannot be imported at all; names the file, row and field."""


@dataclass
class ParsedSdmx:
    rows: list[ParsedRow]
    rejected: list[Rejection]
    prepared: dt.datetime | None
    observations: int


def sdmx_period(text: str) -> Period:
    """The period of an SDMX ``TIME_PERIOD``; raises PeriodError naming the text."""
    raw = text.strip().upper()
    for pattern, replacement in _REPORTING_PERIODS:
        if pattern.fullmatch(raw):
            raw = pattern.sub(replacement, raw)
            break
    return parse_period(raw)


def sdmx_status(marking: str) -> str:
    """The observation status for an OBS_STATUS code or Eurostat flag (see the module)."""
    text = marking.strip()
    if not text:
        return ObservationStatus.FINAL
    if text in SDMX_STATUS:
        return SDMX_STATUS[text]
    if text.isalpha() and text.islower() and all(flag in EUROSTAT_FLAGS for flag in text):
        found = {EUROSTAT_FLAGS[flag] for flag in text}
        for status in (
            MISSING,
            ObservationStatus.PROVISIONAL,
            ObservationStatus.REVISED,
            ObservationStatus.FINAL,
        ):
            if status in found:
                return str(status)
    raise ValueError(f"onbekende status {text[:20]!r}")


def _text(value: Any) -> str:
    """The code or text of a key or attribute value (a ``Code`` or a string)."""
    return str(getattr(value, "id", value) if value is not None else "")


def _message(data: bytes, file_name: str) -> Any:
    import sdmx as sdmx1  # loads pandas: only when a message is read

    if len(data) > MAX_BYTES:
        raise SdmxImportError(file_name, None, "", "bestand is te groot")
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head:
        raise SdmxImportError(file_name, None, "", "leeg bestand")
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise SdmxImportError(file_name, None, "", "een documenttypedeclaratie is niet toegestaan")
    kind = "JSON" if head[:1] in (b"{", b"[") else "XML" if head[:1] == b"<" else None
    if kind is None:
        raise SdmxImportError(file_name, None, "", "geen SDMX-ML (XML) of SDMX-JSON")
    try:
        # sdmx1 prints its parser stacks to stdout when a message does not read: keep them out
        # of the output of commands (e.g. a JSON last line).
        with contextlib.redirect_stdout(io.StringIO()):
            message = sdmx1.read_sdmx(io.BytesIO(data), format=kind)
    except Exception as error:  # a third-party parser: any failure means "unreadable"
        cause = error.__cause__ or error
        text = str(cause).strip() or str(error).strip()
        detail = text.splitlines()[0][:200] if text else type(cause).__name__
        raise SdmxImportError(
            file_name, None, "", f"geen leesbaar SDMX-bericht ({detail})"
        ) from None
    if not isinstance(message, sdmx1.message.DataMessage):
        raise SdmxImportError(
            file_name, None, "", f"geen SDMX-databericht maar {type(message).__name__}"
        )
    return message


def sdmx_read(data: bytes, file_name: str) -> ParsedSdmx:
    """Read an SDMX data message (see the module docstring). Touches no database."""
    message = _message(data, file_name)
    prepared = getattr(getattr(message, "header", None), "prepared", None)
    parsed = ParsedSdmx(
        rows=[],
        rejected=[],
        prepared=prepared if isinstance(prepared, dt.datetime) else None,
        observations=0,
    )
    guard = DuplicateGuard()
    number = 0
    try:
        for dataset in message.data:
            for observation in dataset.obs:
                number += 1
                result = _observation(observation, number, file_name)
                if isinstance(result, Rejection):
                    parsed.rejected.append(result)
                elif result is not None:
                    duplicate = guard.check(result)
                    if duplicate is not None:
                        parsed.rejected.append(duplicate)
                    else:
                        parsed.rows.append(result)
    except (AttributeError, TypeError, KeyError, ValueError) as error:
        raise SdmxImportError(
            file_name, number or None, "", f"onverwachte opbouw van het bericht ({error})"
        ) from None
    parsed.observations = number
    return parsed


def sdmx_parse(path: Path) -> ParsedSdmx:
    """Read the data message in the file at ``path``. Touches no database."""
    path = Path(path)
    if not path.is_file():
        raise SdmxImportError(path.name, None, "", "bestand ontbreekt")
    if path.stat().st_size > MAX_BYTES:
        raise SdmxImportError(path.name, None, "", "bestand is te groot")
    return sdmx_read(path.read_bytes(), path.name)


def _observation(observation: Any, number: int, file_name: str) -> ParsedRow | Rejection | None:
    key = observation.key
    values = dict(key.values) if key is not None else {}
    time_id = TIME_DIMENSION
    if time_id not in values:
        dimension = observation.dimension
        own = list(dimension.values) if dimension is not None else []
        if len(own) != 1:
            return Rejection(file_name, number, TIME_DIMENSION, "geen tijddimensie")
        time_id = own[0]
    parts = [
        (dim, _text(value.value))
        for dim, value in values.items()
        if dim != time_id and dim.upper() not in LEFT_OUT
    ]
    series = ";".join(f"{dim}={code}" for dim, code in parts)
    where = f" (reeks {series[:80]})" if series else ""

    raw_period = _text(values[time_id].value)
    try:
        period = sdmx_period(raw_period)
    except PeriodError as error:
        return Rejection(file_name, number, time_id, f"{error}{where}")

    raw_value = observation.value
    if raw_value is None:
        return None
    if isinstance(raw_value, bool) or not isinstance(raw_value, int | float):
        text = _text(raw_value).strip()
        if text == "" or text.lower() == "nan":
            return None
        try:
            raw_value = float(text)
        except ValueError:
            return Rejection(file_name, number, "OBS_VALUE", f"geen getal: {text[:40]!r}{where}")
    value = float(raw_value)
    if math.isnan(value):
        return None
    if math.isinf(value):
        return Rejection(file_name, number, "OBS_VALUE", f"geen eindig getal{where}")

    status: str = ObservationStatus.FINAL
    attributes = dict(getattr(observation, "attached_attribute", None) or {})
    series_key = getattr(observation, "series_key", None)
    series_attributes = dict(getattr(series_key, "attrib", None) or {}) if series_key else {}
    for name in STATUS_ATTRIBUTES:
        attribute = attributes.get(name) or series_attributes.get(name)
        if attribute is None:
            continue
        try:
            status = sdmx_status(_text(attribute.value))
        except ValueError as error:
            return Rejection(file_name, number, name, f"{error}{where}")
        break
    if status == MISSING:
        return None

    for dim, code in parts:
        if ";" in code or "=" in code:
            message = f"';' en '=' kunnen niet in een code: {code[:40]!r}"
            return Rejection(file_name, number, dim, message)
    if len(series) > 500:
        return Rejection(file_name, number, "", "reekssleutel langer dan 500 tekens")
    return ParsedRow(
        indicator="",
        observation=ObservationInput(period=period, value=value, status=status, breakdown=series),
        file=file_name,
        row=number,
        field="OBS_VALUE",
    )


@transaction.atomic
def sdmx_import(*, path: Path, indicator_key: str, user: User | None = None) -> ImportReport:
    """Import every observation of the SDMX data message at ``path`` into ``indicator_key``.

    The indicator must exist. Raises :class:`SdmxImportError` for a message that does not read
    or an unknown indicator; nothing is stored then.
    """
    path = Path(path)
    parsed = sdmx_parse(path)
    indicator = Indicator.objects.filter(key=indicator_key).first()
    if indicator is None:
        raise SdmxImportError(
            path.name, None, "indicator_key", f"indicator {indicator_key!r} bestaat niet"
        )
    rows = [
        ParsedRow(
            indicator=indicator.key,
            observation=r.observation,
            file=r.file,
            row=r.row,
            field=r.field,
        )
        for r in parsed.rows
    ]
    breakdowns_merge(indicator=indicator, breakdowns=[r.observation.breakdown for r in rows])
    return store_rows(
        source_kind="sdmx",
        name=path.name,
        source=path.name,
        rows=rows,
        indicators={indicator.key: indicator},
        rejected=parsed.rejected,
        vintage=aware(parsed.prepared),
        user=user,
    )
