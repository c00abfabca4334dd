"""Missing-data rejection and the ``_ForDisplay`` smoothing.

Source: OxCGRT index methodology, "Dealing with gaps in the data for display
purposes" (v3.6, OxCGRT/covid-policy-tracker), with its example table for
10-22 October 2020.  That table is muddled about k: the text says "the overall
government response index where k=13" while the table's k column says 14.  The
equivalent case below uses the containment and health index, whose k really is
14, with the table's counts of valid indicators per day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from paraat_core.oxcgrt import INDEX_MEMBERS, PolicyColumns, compute_indices, day_indices

CH = INDEX_MEMBERS["ContainmentHealthIndex"]

# date -> number of valid indicators, from the methodology's table
TABLE = [
    (dt.date(2020, 10, 10), 12),
    (dt.date(2020, 10, 11), 13),
    (dt.date(2020, 10, 12), 11),
    (dt.date(2020, 10, 13), 14),
    (dt.date(2020, 10, 14), 11),
    (dt.date(2020, 10, 15), 11),
    (dt.date(2020, 10, 16), 11),
    (dt.date(2020, 10, 17), 14),
    (dt.date(2020, 10, 18), 14),
    (dt.date(2020, 10, 19), 13),
    (dt.date(2020, 10, 20), 13),
    (dt.date(2020, 10, 21), 7),
    (dt.date(2020, 10, 22), 5),  # "today": the last date of the series
]


def table_case(order: list[int] | None = None) -> tuple[list[float | None], list[float | None]]:
    """Raw and display containment and health index for the table's days."""
    n = len(TABLE)
    rows = order or list(range(n))
    values = {c: np.full(n, -1, dtype=np.int8) for c in CH}
    flags = {c: np.full(n, 1, dtype=np.int8) for c in CH}
    for out_row, i in enumerate(rows):
        _, count = TABLE[i]
        for j, code in enumerate(CH[:count]):
            # distinct levels per day so carried values are recognisable
            values[code][out_row] = 1 + (i + j) % 2
    days = np.array([TABLE[i][0].toordinal() for i in rows])
    table = compute_indices(PolicyColumns(values, flags), days=days)
    raw = table.values("ContainmentHealthIndex_NonVaccinated")
    disp = table.values("ContainmentHealthIndex_NonVaccinated_ForDisplay")
    back = np.argsort(np.array(rows))  # back to table order
    return (
        [None if np.isnan(x) else float(x) for x in raw[back]],
        [None if np.isnan(x) else float(x) for x in disp[back]],
    )


def test_methodology_table() -> None:
    raw, disp = table_case()
    valid = [r is not None for r in raw]
    # 11/10 has k-1 but lies outside the last seven days; 13, 17, 18 are complete.
    assert valid == [False, True, False, True, False, False, False, True, True] + [False] * 4
    v11, v13, v17, v18 = raw[1], raw[3], raw[7], raw[8]
    assert len({v11, v13, v17, v18}) > 1
    # Display: gaps inside the last seven days (16-22 Oct) take the last good value;
    # older gaps (10, 12, 14, 15 Oct) stay empty.
    assert disp == [None, v11, None, v13, None, None, v13, v17, v18, v18, v18, v18, v18]


def test_methodology_table_any_row_order() -> None:
    rng = np.random.default_rng(7)
    for _ in range(5):
        order = [int(i) for i in rng.permutation(len(TABLE))]
        assert table_case(order) == table_case()


def test_recent_k_minus_1_kept_when_no_recent_day_is_complete() -> None:
    """19 and 20 Oct are rejected only because 17/18 Oct have all 14."""
    n = 3
    values = {c: np.full(n, 2, dtype=np.int8) for c in CH}
    values["H8"][:] = -1  # every day has 13 of 14
    table = compute_indices(PolicyColumns(values, {}), days=np.array([1, 2, 3]))
    assert (table.hundredths["ContainmentHealthIndex_NonVaccinated"] >= 0).all()


def test_window_is_per_jurisdiction() -> None:
    """Jurisdiction A's window ends on its own last date, not on B's."""
    days = np.array([10, 11, 12, 30, 31])
    groups = np.array([0, 0, 0, 1, 1])
    values = {c: np.full(5, 1, dtype=np.int8) for c in CH}
    values["H8"][[1, 3]] = -1  # A day 11 and B day 30 have 13 of 14
    table = compute_indices(PolicyColumns(values, {}), groups=groups, days=days)
    raw = table.hundredths["ContainmentHealthIndex_NonVaccinated"]
    disp = table.hundredths["ContainmentHealthIndex_NonVaccinated_ForDisplay"]
    assert list(raw >= 0) == [True, False, True, False, True]
    assert disp[1] == raw[0]  # A: filled from day 10
    assert disp[3] < 0  # B: nothing earlier to fill from


def test_trailing_rows_without_data_are_not_filled() -> None:
    """Rows with no indicator at all (not yet coded) stay empty in the display
    columns, as in OxCGRT's 2023 legacy file (see test_legacy.py)."""
    values = {c: np.array([1, 1, -1, -1], dtype=np.int8) for c in CH}
    table = compute_indices(PolicyColumns(values, {}), days=np.array([1, 2, 3, 4]))
    disp = table.hundredths["ContainmentHealthIndex_NonVaccinated_ForDisplay"]
    assert list(disp >= 0) == [True, True, False, False]


def test_worked_example_day_rejected_when_recent() -> None:
    """The methodology's example day (C2 missing) is rejected when it is among
    the last seven days and another recent day has all nine stringency
    indicators; its display value is then the previous day's."""
    from .test_day_indices import EXAMPLE

    complete = {**EXAMPLE, "C2": 0}
    codes = list(EXAMPLE)
    values: dict[str, np.ndarray] = {}
    flags: dict[str, np.ndarray] = {}
    for code in codes:
        pair = []
        for day in (complete, EXAMPLE):
            p = day[code]
            v, f = (p if isinstance(p, tuple) else (p, None)) if p is not None else (None, None)
            pair.append((-1 if v is None else v, -1 if f is None else f))
        values[code] = np.array([p[0] for p in pair], dtype=np.int8)
        flags[code] = np.array([p[1] for p in pair], dtype=np.int8)
    table = compute_indices(PolicyColumns(values, flags), days=np.array([1, 2]))
    si = table.hundredths["StringencyIndex_NonVaccinated"]
    assert si[0] == 4398 and si[1] == -1
    assert table.hundredths["StringencyIndex_NonVaccinated_ForDisplay"][1] == 4398


def test_economic_support_needs_both() -> None:
    assert day_indices({"E1": (1, 1)})["EconomicSupportIndex"] is None
    assert day_indices({"E1": (1, 1), "E2": 0})["EconomicSupportIndex"] == 25.0


def test_duplicate_dates_rejected() -> None:
    values = {"C1": np.array([1, 2], dtype=np.int8)}
    with pytest.raises(ValueError, match="same jurisdiction and date"):
        compute_indices(PolicyColumns(values, {}), days=np.array([5, 5]))
