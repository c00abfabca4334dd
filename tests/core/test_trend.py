"""Medium-term trend: least squares with a dead band of two residual standard deviations."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.trend import minimum_values, trend


def test_worked_example() -> None:
    """10, 11, 13, 12, 14, 15 at positions 0–5 (window 6).

    x̄ = 2.5, ȳ = 75 / 6 = 12.5; Sxx = 6.25 + 2.25 + 0.25 + 0.25 + 2.25 + 6.25 = 17.5;
    Sxy = (−2.5)(−2.5) + (−1.5)(−1.5) + (−0.5)(0.5) + (0.5)(−0.5) + (1.5)(1.5) + (2.5)(2.5)
        = 6.25 + 2.25 − 0.25 − 0.25 + 2.25 + 6.25 = 16.5;
    b = 16.5 / 17.5 = 0.942857; Δ = 5 b = 4.714286;
    fitted 10.142857, 11.085714, 12.028571, 12.971429, 13.914286, 14.857143;
    residuals −0.142857, −0.085714, 0.971429, −0.971429, 0.085714, 0.142857;
    Σe² = 0.020408 + 0.007347 + 0.943673 + 0.943673 + 0.007347 + 0.020408 = 1.942857;
    s = sqrt(1.942857 / 4) = 0.696932; 2 s = 1.393864 < Δ: rising.
    """
    result = trend(list(enumerate([10.0, 11.0, 13.0, 12.0, 14.0, 15.0])), window=6)
    assert result is not None
    assert result.direction == "rising"
    assert result.slope == pytest.approx(0.942857, abs=1e-6)
    assert result.change == pytest.approx(4.714286, abs=1e-6)
    assert result.spread == pytest.approx(0.696932, abs=1e-6)
    assert (result.values, result.first, result.last) == (6, 0, 5)


def test_noise_without_direction_is_stable_and_gaps_are_allowed() -> None:
    result = trend([(0, 5.0), (1, 6.0), (3, 5.0), (4, 6.0), (6, 5.0), (7, 6.0)], window=8)
    assert result is not None and result.direction == "stable"
    assert trend([(0, 1.0), (7, 2.0)], window=8) is None  # fewer than 4 values
    assert minimum_values(8) == 4 and minimum_values(3) == 3


def test_validation() -> None:
    with pytest.raises(ValueError, match="window"):
        trend([], window=2)
    with pytest.raises(ValueError, match="outside the window"):
        trend([(0, 1.0), (1, 2.0), (9, 3.0)], window=4)
    with pytest.raises(ValueError, match="same position"):
        trend([(0, 1.0), (0, 2.0), (1, 3.0)], window=4)


values = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=4, max_size=12
)


@given(values, st.floats(min_value=0.01, max_value=1000))
def test_scaling_keeps_the_direction(ys: list[float], factor: float) -> None:
    points = list(enumerate(ys))
    a = trend(points, window=len(ys))
    b = trend([(x, y * factor) for x, y in points], window=len(ys))
    assert a is not None and b is not None
    if a.direction != "stable" and abs(a.change) > 2.001 * a.spread + 1e-6 * max(map(abs, ys)):
        assert a.direction == b.direction


@given(values)
def test_mirroring_swaps_rising_and_falling(ys: list[float]) -> None:
    points = list(enumerate(ys))
    a = trend(points, window=len(ys))
    b = trend([(x, -y) for x, y in points], window=len(ys))
    assert a is not None and b is not None
    assert math.isclose(a.change, -b.change, abs_tol=1e-6 * (1 + max(map(abs, ys))))
    swap = {"rising": "falling", "falling": "rising", "stable": "stable"}
    if abs(abs(a.change) - 2 * a.spread) > 1e-6 * (1 + max(map(abs, ys))):
        assert b.direction == swap[a.direction]


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(3, 12))
def test_a_constant_series_is_stable(value: float, window: int) -> None:
    result = trend([(x, value) for x in range(window)], window=window)
    assert result is not None and result.direction == "stable"
