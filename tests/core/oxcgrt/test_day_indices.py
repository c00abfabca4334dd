"""Index means for one country-day: the methodology's worked example and properties.

Worked example: "Example index calculation", OxCGRT index methodology v3.6
(OxCGRT/covid-policy-tracker, documentation/index_methodology.md) and the
June 2023 codebook (OxCGRT/covid-policy-dataset, documentation_and_codebook.md).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.oxcgrt import (
    INDEX_INDICATORS,
    INDEX_MEMBERS,
    INDICATORS,
    PolicyColumns,
    compute_indices,
    day_indices,
    sub_index,
)

EXAMPLE: dict[str, object] = {
    "C1": (2, 1),
    "C2": None,  # "no data" in the v3.6 table (C2 = 0 in the 2023 text: same score)
    "C3": (2, 0),
    "C4": (2, 0),
    "C5": 0,
    "C6": (1, 0),
    "C7": (1, 1),
    "C8": 3,
    "E1": (2, 0),
    "E2": 2,
    "H1": (2, 0),
    "H2": 3,
    "H3": 2,
    "H6": (2, 0),
    "H7": (2, 1),
    "H8": (2, 1),
}


def test_worked_example_indices() -> None:
    """The formula part of the example (the published table shows the formula only).

    The methodology prints 57.18 for the government response index; the exact
    mean is 915 / 16 = 57.1875, which rounds to 57.19 (the table truncates).
    OxCGRT's published data round, e.g. the GBR 2020 file reproduced in
    test_csvio.py.  The other three agree with the table.
    """
    got = day_indices(EXAMPLE)
    assert got["StringencyIndex_NonVaccinated"] == 43.98
    assert got["ContainmentHealthIndex_NonVaccinated"] == 52.86
    assert got["EconomicSupportIndex"] == 87.50
    assert got["GovernmentResponseIndex_NonVaccinated"] == 57.19  # table: 57.18
    # No differentiated policy: all four variants coincide.
    for name in ("StringencyIndex", "GovernmentResponseIndex", "ContainmentHealthIndex"):
        values = {got[f"{name}_{v}"] for v in ("NonVaccinated", "Vaccinated", "SimpleAverage")}
        assert len(values) == 1
        assert got[f"{name}_WeightedAverage"] == got[f"{name}_NonVaccinated"]


def test_worked_example_missing_c2_counts_as_zero() -> None:
    """C2 "no data" scores 0 in the mean, like C2 = 0.

    On its own the example day is *not* rejected: the missing-data rule
    tolerates k - 1 indicators.  It would be rejected in production if it were
    among the last seven days of a series in which another recent day has all
    k indicators (see test_rules.py::test_worked_example_day_rejected_when_recent).
    """
    with_zero = day_indices({**EXAMPLE, "C2": 0})
    assert with_zero == day_indices(EXAMPLE)


def test_fewer_than_k_minus_1_rejected() -> None:
    got = day_indices({**EXAMPLE, "C5": None})  # C2 and C5 missing
    assert got["StringencyIndex_NonVaccinated"] is None  # 7 of 9
    assert got["ContainmentHealthIndex_NonVaccinated"] is None  # 12 of 14
    assert got["GovernmentResponseIndex_NonVaccinated"] is None
    assert got["EconomicSupportIndex"] == 87.50
    assert got["StringencyLegacyIndex"] is None  # 5 of 7 slots
    one_economic = day_indices({**EXAMPLE, "E2": None})
    assert one_economic["EconomicSupportIndex"] is None
    assert one_economic["GovernmentResponseIndex_NonVaccinated"] is not None


def test_government_response_tolerates_missing_economic_pair() -> None:
    """Observed in OxCGRT's data (test_legacy.py): GR is published when only
    E1 and E2 are missing, scored as zeros."""
    got = day_indices({**EXAMPLE, "E1": None, "E2": None})
    assert got["EconomicSupportIndex"] is None
    assert got["GovernmentResponseIndex_NonVaccinated"] == round(740 / 16, 2)


def test_input_validation() -> None:
    with pytest.raises(ValueError):
        day_indices({"C1": (4, 1)})
    with pytest.raises(ValueError):
        day_indices({"C1": (1, 3)})
    with pytest.raises(ValueError):
        day_indices({"E3": 1})
    with pytest.raises(ValueError):
        day_indices({}, non_vaccinated={"H2": 1})
    with pytest.raises(ValueError):
        day_indices({}, population_vaccinated=101.0)


@st.composite
def full_day(draw: st.DrawFn) -> dict[str, tuple[int, int]]:
    day = {}
    for code in INDEX_INDICATORS:
        top = INDICATORS[code].max_value
        assert top is not None
        day[code] = (draw(st.integers(0, top)), draw(st.integers(0, 1)))
    return day


@given(full_day())
def test_index_is_the_mean_of_sub_indices(day: dict[str, tuple[int, int]]) -> None:
    got = day_indices(day)
    scores = {c: sub_index(c, *p) for c, p in day.items()}
    for name, members in INDEX_MEMBERS.items():
        column = name if name == "EconomicSupportIndex" else f"{name}_NonVaccinated"
        value = got[column]
        assert value is not None
        member_scores = [scores[c] for c in members]
        assert all(s is not None for s in member_scores)
        mean = sum(s for s in member_scores if s is not None) / len(members)
        assert abs(value - mean) <= 0.005 + 1e-9
        assert min(member_scores) - 0.005 <= value <= max(member_scores) + 0.005  # type: ignore[type-var]


@given(full_day(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(day: dict[str, tuple[int, int]], rnd: object) -> None:
    """Several days of two jurisdictions, shuffled: each row keeps its values."""
    import random

    assert isinstance(rnd, random.Random)
    n = 12
    groups = np.array([i % 2 for i in range(n)])
    days = np.array([100 + i // 2 for i in range(n)])
    tops = {c: (INDICATORS[c].max_value or 0) + 1 for c in day}
    values = {c: np.array([(v + i) % tops[c] for i in range(n)]) for c, (v, _) in day.items()}
    for c in ("C1", "C2"):
        values[c][n - 1] = -1  # a gap in the last day of one jurisdiction
    flags = {c: np.full(n, f) for c, (_, f) in day.items()}
    base = compute_indices(PolicyColumns(values, flags), groups=groups, days=days)
    perm = list(range(n))
    rnd.shuffle(perm)
    p = np.array(perm)
    shuffled = compute_indices(
        PolicyColumns({c: v[p] for c, v in values.items()}, {c: f[p] for c, f in flags.items()}),
        groups=groups[p],
        days=days[p],
    )
    for column, h in base.hundredths.items():
        assert np.array_equal(shuffled.hundredths[column], h[p]), column
