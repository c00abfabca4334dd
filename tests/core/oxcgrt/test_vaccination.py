"""Vaccination-differentiated indices (NV, V, simple and weighted averages).

Methodology: "Non-vaccinated and Vaccinated Indices", "Simple Average" and
"Weighted Average Indices" (OxCGRT index methodology v4.0; codebook section
"Differentiation of policies by vaccine status").
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.oxcgrt import (
    DIFFERENTIATED,
    INDEX_INDICATORS,
    INDICATORS,
    PolicyColumns,
    compute_indices,
    day_indices,
)

ALL_ZERO = dict.fromkeys(INDEX_INDICATORS, 0)


def test_worked_differentiated_case() -> None:
    """Everything 0 except school closing, which differs by vaccination status.

    NV: C1 = 3 general -> sub-index 100;  V: C1 = 1 general -> 33.33.
    Stringency (k=9):  NV = 100/9 = 11.11,  V = 33.33/9 = 3.70,
      simple average of the two-decimal values in float32:
      (11.11 + 3.70) / 2 = 7.405 (float32 7.40499...) -> 7.40,
      weighted (75 % vaccinated) from the published two-decimal values:
      (3.70 * 75 + 11.11 * 25) / 100 = 5.5525 -> 5.55
      (from the unrounded values it would be 5.56: OxCGRT weights the
      rounded NV and V indices, see docs/methodology/oxcgrt-indices.md).
    Government response (k=16): NV 6.25, V 2.08, SA (8.33 / 2 in float32) 4.16,
      WA = (2.08 * 75 + 6.25 * 25) / 100 = 3.1225 -> 3.12.
    Containment and health (k=14): NV 7.14, V 2.38, SA 4.76,
      WA = (2.38 * 75 + 7.14 * 25) / 100 = 3.57.
    """
    everyone = {**ALL_ZERO, "C1": None}
    got = day_indices(
        everyone,
        non_vaccinated={"C1": (3, 1)},
        vaccinated={"C1": (1, 1)},
        population_vaccinated=75.0,
    )
    assert got["StringencyIndex_NonVaccinated"] == 11.11
    assert got["StringencyIndex_Vaccinated"] == 3.70
    # (11.11 + 3.70) / 2 = 7.405 in single precision is 7.40499..., so 7.40 (the exact mean of
    # the unrounded indices, 7.407, would give 7.41): OxCGRT's float32 simple average.
    assert got["StringencyIndex_SimpleAverage"] == 7.40
    assert got["StringencyIndex_WeightedAverage"] == 5.55
    assert got["GovernmentResponseIndex_NonVaccinated"] == 6.25
    assert got["GovernmentResponseIndex_Vaccinated"] == 2.08
    assert got["GovernmentResponseIndex_SimpleAverage"] == 4.16
    assert got["GovernmentResponseIndex_WeightedAverage"] == 3.12
    assert got["ContainmentHealthIndex_NonVaccinated"] == 7.14
    assert got["ContainmentHealthIndex_Vaccinated"] == 2.38
    assert got["ContainmentHealthIndex_SimpleAverage"] == 4.76
    assert got["ContainmentHealthIndex_WeightedAverage"] == 3.57
    assert got["EconomicSupportIndex"] == 0.0
    # The legacy index follows the non-vaccinated (strictest) policy.
    assert got["StringencyLegacyIndex"] == round(100 / 7, 2)


def test_everyone_value_used_where_not_differentiated() -> None:
    got = day_indices({**ALL_ZERO, "C2": (3, 1)}, non_vaccinated={}, vaccinated={})
    assert got["StringencyIndex_NonVaccinated"] == got["StringencyIndex_Vaccinated"] == 11.11


def test_no_vaccination_data_means_zero_percent() -> None:
    got = day_indices({**ALL_ZERO, "C1": None}, non_vaccinated={"C1": (3, 1)}, vaccinated={"C1": 0})
    assert got["StringencyIndex_WeightedAverage"] == got["StringencyIndex_NonVaccinated"]


def test_population_vaccinated_carried_forward() -> None:
    n = 4
    nv = {"C1": np.array([3, 3, 3, 3], dtype=np.int8)}
    v = {"C1": np.array([0, 0, 0, 0], dtype=np.int8)}
    everyone = {c: np.zeros(n, dtype=np.int8) for c in INDEX_INDICATORS}
    everyone["C1"] = np.full(n, -1, dtype=np.int8)
    pv = np.array([np.nan, 50.0, np.nan, 100.0])
    table = compute_indices(
        PolicyColumns(everyone, {}),
        non_vaccinated=PolicyColumns(nv, {c: np.ones(n, dtype=np.int8) for c in nv}),
        vaccinated=PolicyColumns(v, {}),
        population_vaccinated=pv,
        days=np.arange(n),
    )
    wa = table.values("StringencyIndex_WeightedAverage")
    assert list(wa) == [11.11, 5.56, 5.56, 0.0]  # 0 % before data, 50 % carried


def test_simple_average_needs_both() -> None:
    n = 2
    everyone = {c: np.zeros(n, dtype=np.int8) for c in INDEX_INDICATORS}
    everyone["C1"][:] = -1
    everyone["C2"][:] = -1
    nv = {"C1": np.array([1, 1], dtype=np.int8), "C2": np.array([1, 1], dtype=np.int8)}
    v = {"C1": np.array([1, -1], dtype=np.int8), "C2": np.array([1, -1], dtype=np.int8)}
    table = compute_indices(
        PolicyColumns(everyone, {}),
        non_vaccinated=PolicyColumns(nv, {}),
        vaccinated=PolicyColumns(v, {}),
    )
    assert table.hundredths["StringencyIndex_Vaccinated"][1] == -1  # 7 of 9
    assert table.hundredths["StringencyIndex_SimpleAverage"][1] == -1
    assert table.hundredths["StringencyIndex_WeightedAverage"][1] == -1
    assert table.hundredths["StringencyIndex_NonVaccinated"][1] >= 0


def test_weighted_average_can_be_marked_unavailable() -> None:
    everyone = {c: np.zeros(1, dtype=np.int8) for c in INDEX_INDICATORS}
    table = compute_indices(PolicyColumns(everyone, {}), weighted_available=np.array([False]))
    assert table.hundredths["StringencyIndex_WeightedAverage"][0] == -1
    assert table.hundredths["StringencyIndex_SimpleAverage"][0] == 0


@st.composite
def differentiated_day(draw: st.DrawFn) -> tuple[dict, dict, dict, float]:
    def pol(code: str) -> tuple[int, int]:
        top = INDICATORS[code].max_value
        assert top is not None
        return draw(st.integers(0, top)), draw(st.integers(0, 1))

    everyone = {c: pol(c) for c in INDEX_INDICATORS}
    split = draw(st.lists(st.sampled_from(DIFFERENTIATED), unique=True))
    nv = {c: pol(c) for c in split}
    v = {c: pol(c) for c in split}
    return everyone, nv, v, draw(st.floats(0, 100).map(lambda x: round(x, 2)))


@given(differentiated_day())
def test_averages_lie_between_nv_and_v(case: tuple[dict, dict, dict, float]) -> None:
    everyone, nv, v, pv = case
    got = day_indices(everyone, non_vaccinated=nv, vaccinated=v, population_vaccinated=pv)
    for name in ("StringencyIndex", "GovernmentResponseIndex", "ContainmentHealthIndex"):
        a, b = got[f"{name}_NonVaccinated"], got[f"{name}_Vaccinated"]
        assert a is not None and b is not None
        lo, hi = min(a, b), max(a, b)
        for variant in ("SimpleAverage", "WeightedAverage"):
            x = got[f"{name}_{variant}"]
            assert x is not None
            assert lo - 0.01 <= x <= hi + 0.01
        sa = got[f"{name}_SimpleAverage"]
        assert sa == pytest.approx((a + b) / 2, abs=0.0101)
