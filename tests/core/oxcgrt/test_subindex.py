"""Sub-index formula: the methodology's worked example and hypothesis properties.

Worked example: "Example index calculation" in the OxCGRT index methodology
(v3.6, documentation/index_methodology.md in OxCGRT/covid-policy-tracker; the
same table is in documentation_and_codebook.md of OxCGRT/covid-policy-dataset,
June 2023).  The published table writes H8 as 66.66; the formula gives
66.666..., i.e. 66.67 when rounded (the table truncates that one value).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.oxcgrt import INDEX_INDICATORS, INDICATORS, sub_index

# (value, flag) -> sub-index as printed in the methodology's example table.
WORKED_EXAMPLE = {
    "C1": ((2, 1), 66.67),
    "C2": ((None, None), None),  # "no data" in v3.6; "0 / null" in the 2023 text
    "C3": ((2, 0), 75.00),
    "C4": ((2, 0), 37.50),
    "C5": ((0, None), 0.00),
    "C6": ((1, 0), 16.67),
    "C7": ((1, 1), 50.00),
    "C8": ((3, None), 75.00),
    "E1": ((2, 0), 75.00),
    "E2": ((2, None), 100.00),
    "H1": ((2, 0), 75.00),
    "H2": ((3, None), 100.00),
    "H3": ((2, None), 100.00),
    "H6": ((2, 0), 37.50),
    "H7": ((2, 1), 40.00),
    "H8": ((2, 1), 66.67),  # printed as 66.66 (truncated); 100 * 2 / 3
}


@pytest.mark.parametrize("code", sorted(WORKED_EXAMPLE))
def test_worked_example_sub_indices(code: str) -> None:
    (value, flag), expected = WORKED_EXAMPLE[code]
    got = sub_index(code, value, flag)
    if expected is None:
        assert got is None  # no data: counts as 0 in the mean, see test_day_indices
    else:
        assert got is not None
        assert round(got, 2) == expected


def test_exact_values() -> None:
    assert sub_index("H8", 2, 1) == pytest.approx(200 / 3)
    assert sub_index("C6", 1, 0) == pytest.approx(50 / 3)
    assert sub_index("C8", 4) == 100.0
    assert sub_index("H7", 5, 0) == 90.0  # top of the scale, targeted: a half step down


def test_missing_flag_counts_as_targeted() -> None:
    assert sub_index("C1", 3, None) == sub_index("C1", 3, 0)


@pytest.mark.parametrize(
    ("code", "value", "flag"),
    [("C1", 4, 1), ("C1", -1, 0), ("C8", 5, None), ("C1", 2, 2), ("E3", 1, None), ("C1", 1.5, 1)],
)
def test_rejects_out_of_range(code: str, value: float, flag: int | None) -> None:
    with pytest.raises(ValueError):
        sub_index(code, value, flag)  # type: ignore[arg-type]


codes = st.sampled_from(INDEX_INDICATORS)


@st.composite
def policies(draw: st.DrawFn) -> tuple[str, int, int]:
    code = draw(codes)
    top = INDICATORS[code].max_value
    assert top is not None
    return code, draw(st.integers(0, top)), draw(st.integers(0, 1))


@given(policies())
def test_bounded(p: tuple[str, int, int]) -> None:
    code, value, flag = p
    score = sub_index(code, value, flag)
    assert score is not None
    assert 0.0 <= score <= 100.0
    if value == 0:
        assert score == 0.0


@given(policies())
def test_monotone_in_value(p: tuple[str, int, int]) -> None:
    code, value, flag = p
    top = INDICATORS[code].max_value
    assert top is not None
    if value < top:
        lower, higher = sub_index(code, value, flag), sub_index(code, value + 1, flag)
        assert lower is not None and higher is not None
        assert higher > lower


@given(policies())
def test_general_flag_never_lowers(p: tuple[str, int, int]) -> None:
    code, value, _ = p
    general, targeted = sub_index(code, value, 1), sub_index(code, value, 0)
    assert general is not None and targeted is not None
    assert general >= targeted
    if INDICATORS[code].has_flag and value > 0:
        # a targeted policy is half a step below the general one
        top = INDICATORS[code].max_value
        assert top is not None
        assert general - targeted == pytest.approx(50.0 / top)
    else:
        assert general == targeted
