"""Exact, vectorised OxCGRT index engine (index methodology v4.0, July 2022).

Everything is computed in integer arithmetic and rounded once, half-to-even,
to hundredths, which reproduces the values OxCGRT publishes (see
``docs/methodology/oxcgrt-indices.md`` for the evidence and the decisions).

Integer representation
----------------------
A sub-index is ``I = 100 * (v - 0.5 * (F - f)) / N`` (``I = 0`` when ``v = 0``).
Multiplying by 120/100 turns every possible sub-index into an integer number
of *units* ``u = (2v - F + f) * 60 / N`` (``N`` is 2, 3, 4 or 5, so ``60 / N``
is integral); ``u`` runs from 0 to 120.  An index over ``k`` indicators is
``100 * U / (120 k)`` with ``U`` the sum of units, so it is exactly
``250 U / (3 k)`` hundredths.  The legacy stringency index works the same way
with 60 units per sub-index.

Arrays use ``-1`` for "no data" (blank cell) in value and flag columns, and
``-1`` in the returned hundredths for "no value" (index rejected).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

import numpy as np
from numpy.typing import NDArray

from .indicators import (
    CONTAINMENT_HEALTH,
    DIFFERENTIATED,
    ECONOMIC_SUPPORT,
    GOVERNMENT_RESPONSE,
    INDEX_INDICATORS,
    INDEX_MEMBERS,
    INDICATORS,
    STRINGENCY,
    STRINGENCY_LEGACY,
)

Int8Array: TypeAlias = NDArray[np.int8]
IntArray: TypeAlias = NDArray[np.signedinteger[Any]]
FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]

MISSING: Final = -1
"""Marker for a blank value/flag cell and for a rejected index value."""

VARIANTS: Final = ("NonVaccinated", "Vaccinated", "SimpleAverage", "WeightedAverage")
MAIN_INDICES: Final = (STRINGENCY, GOVERNMENT_RESPONSE, CONTAINMENT_HEALTH)

#: The 13 index columns of OxCGRT's full files, in OxCGRT's order.
INDEX_COLUMNS: Final[tuple[str, ...]] = (
    *(f"{name}_{variant}" for name in MAIN_INDICES for variant in VARIANTS),
    ECONOMIC_SUPPORT,
)
DISPLAY_SUFFIX: Final = "_ForDisplay"
LEGACY_COLUMN: Final = STRINGENCY_LEGACY
LEGACY_DISPLAY_COLUMN: Final = "StringencyLegacyIndexForDisplay"
#: ``_ForDisplay`` twins of the 13 columns, then the legacy index and its display twin.
EXTRA_COLUMNS: Final[tuple[str, ...]] = (
    *(c + DISPLAY_SUFFIX for c in INDEX_COLUMNS),
    LEGACY_COLUMN,
    LEGACY_DISPLAY_COLUMN,
)
ALL_COLUMNS: Final[tuple[str, ...]] = INDEX_COLUMNS + EXTRA_COLUMNS

#: Length of the recent-data window, in calendar days, ending on the last date
#: of each jurisdiction's series (both ends included).
RECENT_WINDOW_DAYS: Final = 7

#: Legacy stringency index: seven slots; a slot with two codes takes the larger
#: legacy sub-index of the pair.
LEGACY_SLOTS: Final[tuple[tuple[str, ...], ...]] = (
    ("C1",),
    ("C2",),
    ("C3", "C4"),
    ("C5",),
    ("C6", "C7"),
    ("C8",),
    ("H1",),
)

#: Members whose presence is counted for the missing-data rule.  The
#: methodology says k - 1 of all k members, but OxCGRT's published data show
#: the government response index published with both E1 and E2 blank (valued
#: as zero): its presence test looks at the containment and health members
#: only, so it is rejected exactly when the containment and health index is.
PRESENCE_MEMBERS: Final[dict[str, tuple[str, ...]]] = {
    STRINGENCY: INDEX_MEMBERS[STRINGENCY],
    CONTAINMENT_HEALTH: INDEX_MEMBERS[CONTAINMENT_HEALTH],
    GOVERNMENT_RESPONSE: INDEX_MEMBERS[CONTAINMENT_HEALTH],
    ECONOMIC_SUPPORT: INDEX_MEMBERS[ECONOMIC_SUPPORT],
}

_UNITS_PER_SUBINDEX: Final = 120
_LEGACY_UNITS: Final = 60


class IndicatorValueError(ValueError):
    """An indicator value or flag outside its codebook range.

    ``row`` is the 0-based position in the input arrays.
    """

    def __init__(self, code: str, variant: str, row: int, message: str) -> None:
        self.code = code
        self.variant = variant
        self.row = row
        self.detail = message
        where = f"{code}" + (f" ({variant})" if variant else "")
        super().__init__(f"{where}, row {row}: {message}")


@dataclass(frozen=True, slots=True)
class PolicyColumns:
    """Per-indicator integer columns for one population (E, NV or V).

    ``values[code]`` holds the ordinal value per row, ``flags[code]`` the flag;
    ``-1`` means blank.  An indicator absent from ``values`` is blank on every
    row.  Flags of indicators without a flag are ignored.
    """

    values: Mapping[str, NDArray[np.integer]]
    flags: Mapping[str, NDArray[np.integer]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IndexTable:
    """Result of :func:`compute_indices`: one int32 array of hundredths per column.

    ``-1`` marks a rejected (empty) value.  Rows are in input order.
    """

    hundredths: Mapping[str, NDArray[np.int32]]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.hundredths)

    def values(self, column: str) -> FloatArray:
        """Column as floats (hundredths / 100), NaN where there is no value."""
        h = self.hundredths[column]
        out = h.astype(np.float64) / 100.0
        out[h < 0] = np.nan
        return out

    def __len__(self) -> int:
        for h in self.hundredths.values():
            return int(h.shape[0])
        return 0


# --------------------------------------------------------------------------- scalars


def _check_scalar(code: str, value: int | None, flag: int | None) -> tuple[int, int]:
    ind = INDICATORS.get(code)
    if ind is None or ind.max_value is None or code not in INDEX_INDICATORS:
        raise ValueError(f"{code!r} is not an ordinal indicator used in the OxCGRT indices")
    if value is None:
        raise ValueError("value is None")
    if isinstance(value, bool) or int(value) != value or not 0 <= value <= ind.max_value:
        raise ValueError(f"{code} value {value!r} outside 0..{ind.max_value}")
    if flag is not None and (isinstance(flag, bool) or flag not in (0, 1)):
        raise ValueError(f"{code} flag {flag!r} is not 0 or 1")
    return int(value), (0 if flag is None else int(flag))


def sub_index(code: str, value: int | None, flag: int | None = None) -> float | None:
    """OxCGRT sub-index score ``I = 100 (v - 0.5 (F - f)) / N``, unrounded.

    ``None`` when ``value`` is ``None`` (no data).  ``I = 0`` when ``v = 0``.
    A missing flag on an indicator that has one counts as ``f = 0`` (targeted).
    """
    if value is None:
        return None
    v, f = _check_scalar(code, value, flag)
    if v == 0:
        return 0.0
    ind = INDICATORS[code]
    penalty = (1 - f) if ind.has_flag else 0
    assert ind.max_value is not None
    return 100.0 * (2 * v - penalty) / (2 * ind.max_value)


def legacy_sub_index(code: str, value: int | None, flag: int | None = None) -> float | None:
    """Legacy stringency sub-index: ``100 (v + f) / (N + 1)``; C8: ``100 v / N``."""
    if value is None:
        return None
    v, f = _check_scalar(code, value, flag)
    if code not in {c for slot in LEGACY_SLOTS for c in slot}:
        raise ValueError(f"{code} is not part of the legacy stringency index")
    if v == 0:
        return 0.0
    ind = INDICATORS[code]
    assert ind.max_value is not None
    if not ind.has_flag:
        return 100.0 * v / ind.max_value
    return 100.0 * (v + f) / (ind.max_value + 1)


def _scalar_columns(policies: Mapping[str, object], allowed: Iterable[str]) -> PolicyColumns:
    allowed_set = set(allowed)
    values: dict[str, Int8Array] = {}
    flags: dict[str, Int8Array] = {}
    for raw_code, policy in policies.items():
        code = raw_code.upper()
        if code not in allowed_set:
            raise ValueError(f"{raw_code!r} is not accepted here")
        if policy is None:
            value, flag = None, None
        elif isinstance(policy, tuple):
            if len(policy) != 2:
                raise ValueError(f"{code}: expected (value, flag), got {policy!r}")
            value, flag = policy
        else:
            value, flag = policy, None
        if value is not None:
            _check_scalar(code, value, flag)
        values[code] = np.array([MISSING if value is None else value], dtype=np.int8)
        flags[code] = np.array([MISSING if flag is None else flag], dtype=np.int8)
    return PolicyColumns(values, flags)


def day_indices(
    everyone: Mapping[str, object],
    *,
    non_vaccinated: Mapping[str, object] | None = None,
    vaccinated: Mapping[str, object] | None = None,
    population_vaccinated: float | None = None,
) -> dict[str, float | None]:
    """All index variants for a single country-day (the "what-if" facade).

    Each mapping goes from indicator code to ``value``, ``(value, flag)`` or
    ``None`` (no data).  ``everyone`` holds the policies that apply to all
    (and the non-differentiated indicators); ``non_vaccinated``/``vaccinated``
    hold differentiated policies (only C1-C8, H6, H8), which replace the
    ``everyone`` value for that population.  ``population_vaccinated`` is the
    percentage fully vaccinated (``None`` counts as 0 %).

    Returns the 13 OxCGRT index columns plus ``StringencyLegacyIndex``,
    rounded to 2 decimals, ``None`` for an index rejected for missing data
    (fewer than ``k - 1`` indicators, or either economic indicator missing).
    """
    e = _scalar_columns(everyone, INDEX_INDICATORS)
    nv = None if non_vaccinated is None else _scalar_columns(non_vaccinated, DIFFERENTIATED)
    v = None if vaccinated is None else _scalar_columns(vaccinated, DIFFERENTIATED)
    pv = None
    if population_vaccinated is not None:
        if not 0.0 <= population_vaccinated <= 100.0:
            raise ValueError("population_vaccinated must be a percentage between 0 and 100")
        pv = np.array([population_vaccinated], dtype=np.float64)
    table = compute_indices(e, non_vaccinated=nv, vaccinated=v, population_vaccinated=pv, n_rows=1)
    out: dict[str, float | None] = {}
    for column in (*INDEX_COLUMNS, LEGACY_COLUMN):
        h = int(table.hundredths[column][0])
        out[column] = None if h < 0 else h / 100
    return out


# --------------------------------------------------------------------------- arrays


def simple_average_hundredths(nv: IntArray, vv: IntArray) -> IntArray:
    """OxCGRT's ``_SimpleAverage`` from the published two-decimal NV and V values.

    OxCGRT averages the two-decimal values in single precision (float32) and rounds the result
    to two decimals; this reproduces every published value, including the ties (x.xx5) that an
    exact mean would round the other way (tests/core/oxcgrt/test_csvio.py).
    """
    hundred = np.float32(100)
    mean32 = (nv.astype(np.float32) / hundred + vv.astype(np.float32) / hundred) / np.float32(2)
    rounded = np.round(mean32.astype(np.float64), 2)
    return np.rint(rounded * 100).astype(np.int32)


def round_half_even_div(num: IntArray, den: int | IntArray) -> IntArray:
    """``num / den`` rounded half-to-even, for non-negative integers."""
    q, r = np.divmod(num, den)
    twice = 2 * r
    up = (twice > den) | ((twice == den) & (q % 2 == 1))
    out: IntArray = q + up.astype(np.int64)
    return out


def _as_int_column(
    arr: NDArray[np.integer], n: int, what: str, dtype: type[np.integer] = np.int64
) -> IntArray:
    a = np.asarray(arr)
    if a.shape != (n,):
        raise ValueError(f"{what}: expected shape ({n},), got {a.shape}")
    if not np.issubdtype(a.dtype, np.integer):
        raise ValueError(f"{what}: expected an integer array, got {a.dtype}")
    if dtype is not np.int64 and (a.min(initial=0) < -1 or a.max(initial=0) > 127):
        dtype = np.int64  # out of range anyway: keep the value for the error message
    return a.astype(dtype, copy=False)


def _validated(
    cols: PolicyColumns, code: str, variant: str, n: int
) -> tuple[IntArray, IntArray] | None:
    if code not in cols.values:
        return None
    ind = INDICATORS[code]
    assert ind.max_value is not None
    v = _as_int_column(cols.values[code], n, f"{code} {variant} values", np.int16)
    bad = (v < MISSING) | (v > ind.max_value)
    if bad.any():
        row = int(np.argmax(bad))
        raise IndicatorValueError(
            code, variant, row, f"value {int(v[row])} outside 0..{ind.max_value}"
        )
    f_raw = cols.flags.get(code)
    if f_raw is None or not ind.has_flag:
        f = np.full(n, MISSING, dtype=np.int16)
    else:
        f = _as_int_column(f_raw, n, f"{code} {variant} flags", np.int16)
        bad = (f < MISSING) | (f > 1)
        if bad.any():
            row = int(np.argmax(bad))
            raise IndicatorValueError(code, variant, row, f"flag {int(f[row])} is not 0 or 1")
    return v, f


def _units(code: str, v: IntArray, f: IntArray) -> IntArray:
    """Sub-index in 1/120ths of 100; blank flag counts as 0; -1 where no data."""
    ind = INDICATORS[code]
    assert ind.max_value is not None
    scale = (_UNITS_PER_SUBINDEX // 2) // ind.max_value
    u = (2 * v - 1 + np.maximum(f, 0)) * scale if ind.has_flag else 2 * v * scale
    u[v == 0] = 0
    u[v < 0] = MISSING
    return u.astype(np.int16, copy=False)


def _sum_units(columns: list[IntArray], n: int) -> tuple[IntArray, IntArray]:
    """Sum of the present units and the number of present indicators per row."""
    total = np.zeros(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    for u in columns:
        present = u >= 0
        count += present
        total += np.where(present, u, 0)
    return total, count


def _legacy_units(code: str, v: IntArray, f: IntArray) -> IntArray:
    """Legacy sub-index in 1/60ths of 100; -1 where no data."""
    ind = INDICATORS[code]
    assert ind.max_value is not None
    if ind.has_flag:
        u = (v + np.maximum(f, 0)) * (_LEGACY_UNITS // (ind.max_value + 1))
    else:
        u = v * (_LEGACY_UNITS // ind.max_value)
    u = np.where(v > 0, u, 0)
    return np.where(v >= 0, u, MISSING)


@dataclass(frozen=True, slots=True)
class _Order:
    """Rows sorted by (group, day) plus per-row group bounds, for the time rules."""

    order: IntArray  # sorted position -> input row
    start: IntArray  # per sorted row: sorted index of its group's first row
    group_of: IntArray  # per sorted row: group number 0..G-1
    starts: IntArray  # per group: sorted index of first row
    in_window: BoolArray  # per sorted row: within the recent window of its group
    fillable: BoolArray  # in_window and the row has at least one indicator value


def _make_order(
    groups: IntArray | None, days: IntArray | None, has_data: BoolArray, n: int
) -> _Order | None:
    if days is None or n == 0:
        return None
    g = np.zeros(n, dtype=np.int64) if groups is None else groups
    order = np.lexsort((days, g)).astype(np.int64)
    gs = g[order]
    ds = days[order]
    new_group = np.ones(n, dtype=bool)
    if n > 1:
        new_group[1:] = gs[1:] != gs[:-1]
        dup = ~new_group[1:] & (ds[1:] == ds[:-1])
        if dup.any():
            i = int(np.argmax(dup))
            a, b = sorted((int(order[i]), int(order[i + 1])))
            raise ValueError(f"rows {a} and {b} have the same jurisdiction and date")
    starts = np.flatnonzero(new_group).astype(np.int64)
    group_of = np.cumsum(new_group) - 1
    start = starts[group_of]
    ends = np.append(starts[1:], n) - 1
    last_day = ds[ends][group_of]
    in_window = ds > last_day - RECENT_WINDOW_DAYS
    # Display smoothing fills only recent rows that carry some indicator data.
    fillable = in_window & has_data[order]
    return _Order(order, start, group_of, starts, in_window, fillable)


def _ffill_index(valid: BoolArray, start: IntArray) -> IntArray:
    """For each sorted row, index of the last valid row at or before it in its group."""
    idx = np.where(valid, np.arange(valid.shape[0], dtype=np.int64), -1)
    np.maximum.accumulate(idx, out=idx)
    return np.where(idx >= start, idx, -1)


def _apply_rules(
    h: IntArray, count: IntArray, min_present: int, order: _Order | None
) -> tuple[IntArray, IntArray]:
    """Rejection rules and display smoothing; returns (raw, display) hundredths."""
    raw = np.where(count >= min_present, h, MISSING)
    if order is None:
        return raw, raw.copy()
    o = order.order
    raw_s = raw[o]
    count_s = count[o]
    # Recent window: reject days with fewer indicators than another recent day.
    windowed = np.where(order.in_window, count_s, -1)
    window_max = np.maximum.reduceat(windowed, order.starts)[order.group_of]
    raw_s = np.where(order.in_window & (count_s < window_max), MISSING, raw_s)
    # Display: inside the window, fill gaps with the last good value.
    src = _ffill_index(raw_s >= 0, order.start)
    filled = np.where(src >= 0, raw_s[np.maximum(src, 0)], MISSING)
    disp_s = np.where(order.fillable & (raw_s < 0), filled, raw_s)
    raw_out = np.empty_like(raw)
    disp_out = np.empty_like(raw)
    raw_out[o] = raw_s
    disp_out[o] = disp_s
    return raw_out, disp_out


def _display_only(raw: IntArray, order: _Order | None) -> IntArray:
    """Display twin for a column whose raw values are already final."""
    if order is None:
        return raw.copy()
    o = order.order
    raw_s = raw[o]
    src = _ffill_index(raw_s >= 0, order.start)
    filled = np.where(src >= 0, raw_s[np.maximum(src, 0)], MISSING)
    disp_s = np.where(order.fillable & (raw_s < 0), filled, raw_s)
    out = np.empty_like(raw)
    out[o] = disp_s
    return out


def _carry_forward_weight(pv: FloatArray | None, n: int, order: _Order | None) -> IntArray:
    """Population vaccinated in hundredths of a percent, carried forward, 0 before data."""
    if pv is None:
        return np.zeros(n, dtype=np.int64)
    a = np.asarray(pv, dtype=np.float64)
    if a.shape != (n,):
        raise ValueError(f"population_vaccinated: expected shape ({n},), got {a.shape}")
    present = ~np.isnan(a)
    if ((a[present] < 0) | (a[present] > 100)).any():
        row = int(np.argmax(present & ((a < 0) | (a > 100))))
        raise ValueError(f"population_vaccinated, row {row}: {a[row]} outside 0..100")
    w = np.where(present, np.rint(np.where(present, a, 0.0) * 100.0), MISSING).astype(np.int64)
    if order is None:
        return np.maximum(w, 0)
    o = order.order
    w_s = w[o]
    src = _ffill_index(w_s >= 0, order.start)
    w_s = np.where(src >= 0, w_s[np.maximum(src, 0)], 0)
    out = np.empty_like(w)
    out[o] = w_s
    return out


def compute_indices(
    everyone: PolicyColumns,
    *,
    non_vaccinated: PolicyColumns | None = None,
    vaccinated: PolicyColumns | None = None,
    population_vaccinated: FloatArray | None = None,
    weighted_available: BoolArray | None = None,
    groups: NDArray[np.integer] | None = None,
    days: NDArray[np.integer] | None = None,
    n_rows: int | None = None,
) -> IndexTable:
    """Compute all OxCGRT index columns for a table of country-days.

    ``everyone`` holds the E (or undifferentiated) columns of every index
    indicator; ``non_vaccinated``/``vaccinated`` the NV/V columns of the ten
    differentiated indicators (a blank NV/V cell falls back to E).
    ``population_vaccinated`` is the percentage fully vaccinated per row (NaN
    = blank; carried forward within a jurisdiction, 0 before the first value).
    ``weighted_available`` (default all true) marks rows whose vaccination
    figure is a category such as "Over 50%" rather than a number: their
    weighted averages are left empty, as OxCGRT does.
    ``groups`` labels each row's jurisdiction and ``days`` gives its date as a
    day number (e.g. ``date.toordinal()``); rows may come in any order, the
    output keeps the input order.  Without ``days`` the recent-window rules and
    display smoothing are skipped (each row stands alone).

    Raises :class:`IndicatorValueError` for values or flags outside the
    codebook range and ``ValueError`` for malformed arrays or duplicate
    (jurisdiction, date) rows.
    """
    n = _infer_rows(everyone, non_vaccinated, vaccinated, n_rows)
    g = None if groups is None else _as_int_column(groups, n, "groups")
    d = None if days is None else _as_int_column(days, n, "days")

    blank = np.full(n, MISSING, dtype=np.int16)
    e_cols: dict[str, tuple[IntArray, IntArray]] = {}
    for code in INDEX_INDICATORS:
        got = _validated(everyone, code, "E", n)
        e_cols[code] = got if got is not None else (blank, blank)
    for cols, label in ((non_vaccinated, "NV"), (vaccinated, "V")):
        if cols is not None:
            extra = set(cols.values) - set(DIFFERENTIATED)
            if extra:
                raise ValueError(f"{label} columns given for non-differentiated {sorted(extra)}")

    def select(cols: PolicyColumns | None, label: str) -> dict[str, tuple[IntArray, IntArray]]:
        chosen = dict(e_cols)
        if cols is None:
            return chosen
        for code in DIFFERENTIATED:
            got = _validated(cols, code, label, n)
            if got is None:
                continue
            v, f = got
            ev, ef = e_cols[code]
            has = v >= 0
            chosen[code] = (np.where(has, v, ev), np.where(has, f, ef))
        return chosen

    populations = {"NonVaccinated": select(non_vaccinated, "NV")}
    populations["Vaccinated"] = (
        populations["NonVaccinated"]
        if non_vaccinated is None and vaccinated is None
        else select(vaccinated, "V")
    )
    units = {
        pop: {code: _units(code, v, f) for code, (v, f) in chosen.items()}
        for pop, chosen in populations.items()
    }
    has_data = np.zeros(n, dtype=bool)
    for chosen in populations.values():
        for v, _f in chosen.values():
            has_data |= v >= 0
    order = _make_order(g, d, has_data, n)
    weight = _carry_forward_weight(population_vaccinated, n, order)
    wa_ok = None
    if weighted_available is not None:
        wa_ok = np.asarray(weighted_available, dtype=bool)
        if wa_ok.shape != (n,):
            raise ValueError(f"weighted_available: expected shape ({n},), got {wa_ok.shape}")

    out: dict[str, IntArray] = {}
    display: dict[str, IntArray] = {}
    for name in MAIN_INDICES:
        members = INDEX_MEMBERS[name]
        k = len(members)
        sums: dict[str, IntArray] = {}
        counted = PRESENCE_MEMBERS[name]
        for pop in ("NonVaccinated", "Vaccinated"):
            total, count = _sum_units([units[pop][c] for c in members], n)
            if counted != members:
                _, count = _sum_units([units[pop][c] for c in counted], n)
            sums[pop] = total
            h = round_half_even_div(250 * total, 3 * k)
            col = f"{name}_{pop}"
            out[col], display[col] = _apply_rules(h, count, len(counted) - 1, order)
        nv, vv = out[f"{name}_NonVaccinated"], out[f"{name}_Vaccinated"]
        both = (nv >= 0) & (vv >= 0)
        simple = simple_average_hundredths(nv, vv)
        weighted = round_half_even_div(vv * weight + nv * (10000 - weight), 10000)
        for variant, h in (("SimpleAverage", simple), ("WeightedAverage", weighted)):
            col = f"{name}_{variant}"
            ok = both if variant == "SimpleAverage" or wa_ok is None else both & wa_ok
            out[col] = np.where(ok, h, MISSING)
            display[col] = _display_only(out[col], order)

    es_total, es_count = _sum_units(
        [units["NonVaccinated"][c] for c in INDEX_MEMBERS[ECONOMIC_SUPPORT]], n
    )
    out[ECONOMIC_SUPPORT], display[ECONOMIC_SUPPORT] = _apply_rules(
        round_half_even_div(250 * es_total, 6), es_count, 2, order
    )

    legacy_total = np.zeros(n, dtype=np.int64)
    legacy_count = np.zeros(n, dtype=np.int64)
    for slot in LEGACY_SLOTS:
        slot_units = np.stack(
            [_legacy_units(c, *populations["NonVaccinated"][c]) for c in slot]
        ).max(axis=0)
        legacy_count += slot_units >= 0
        legacy_total += np.maximum(slot_units, 0)
    k_legacy = len(LEGACY_SLOTS)
    legacy_raw, legacy_disp = _apply_rules(
        round_half_even_div(10000 * legacy_total, _LEGACY_UNITS * k_legacy),
        legacy_count,
        k_legacy - 1,
        order,
    )

    result: dict[str, NDArray[np.int32]] = {}
    for col in INDEX_COLUMNS:
        result[col] = out[col].astype(np.int32)
    for col in INDEX_COLUMNS:
        result[col + DISPLAY_SUFFIX] = display[col].astype(np.int32)
    result[LEGACY_COLUMN] = legacy_raw.astype(np.int32)
    result[LEGACY_DISPLAY_COLUMN] = legacy_disp.astype(np.int32)
    return IndexTable(result)


def _infer_rows(
    everyone: PolicyColumns,
    nv: PolicyColumns | None,
    v: PolicyColumns | None,
    n_rows: int | None,
) -> int:
    if n_rows is not None:
        return int(n_rows)
    for cols in (everyone, nv, v):
        if cols is not None:
            for arr in cols.values.values():
                return int(np.asarray(arr).shape[0])
    raise ValueError("cannot infer the number of rows: pass n_rows")


__all__ = [
    "ALL_COLUMNS",
    "DISPLAY_SUFFIX",
    "EXTRA_COLUMNS",
    "INDEX_COLUMNS",
    "LEGACY_COLUMN",
    "LEGACY_DISPLAY_COLUMN",
    "MISSING",
    "RECENT_WINDOW_DAYS",
    "VARIANTS",
    "IndexTable",
    "IndicatorValueError",
    "PolicyColumns",
    "compute_indices",
    "day_indices",
    "legacy_sub_index",
    "round_half_even_div",
    "sub_index",
]
