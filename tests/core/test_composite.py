"""Composite index: worked examples by hand, properties, Monte Carlo, validation.

Formulas: OECD/JRC (2008), *Handbook on Constructing Composite Indicators:
Methodology and User Guide* (ISBN 978-92-64-04345-9), step 5 "Normalisation"
(min-max, standardisation/z-scores, distance to a reference) and step 6
"Weighting and aggregation" (linear and geometric aggregation); step 7
"Uncertainty and sensitivity analysis" with Saisana, Saltelli & Tarantola
(2005).  paraat's common index scale (100 = reference period, 100 points = the
composite's observed span) is documented in docs/methodology/composite-index.md.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from paraat_core.composite import (
    AGGREGATIONS,
    FACTORS,
    MISSING_METHODS,
    NORMALISATIONS,
    CompositeSpec,
    benchmark,
    composite,
    contributions,
    synthetic_matrix,
    uncertainty,
)

NAN = math.nan
PERIODS = ("P1", "P2", "P3")

# The worked example: three indicators, three periods.
EXAMPLE = np.array(
    [
        # A (higher is better), B (higher is better), C (higher is worse)
        [50.0, 100.0, 5.0],
        [40.0, 80.0, 10.0],
        [60.0, 80.0, 5.0],
    ]
)


def example_spec(**kwargs: object) -> CompositeSpec:
    return CompositeSpec(indicators=("A", "B", "C"), polarity=(1, 1, -1), **kwargs)  # type: ignore[arg-type]


def codes(k: int) -> tuple[str, ...]:
    return tuple(f"X{i}" for i in range(k))


# --------------------------------------------------------------------------- worked examples


def test_worked_example_minmax_arithmetic() -> None:
    """Min-max normalisation, equal weights, arithmetic mean (computed by hand).

    Data (periods P1..P3):  A = 50, 40, 60 (+1);  B = 100, 80, 80 (+1);  C = 5, 10, 5 (-1).

    1. Min-max over the window, polarity applied (handbook, step 5):
       A: lo 40, hi 60, s = 100 (x - 40) / 20      ->  50,   0, 100
       B: lo 80, hi 100, s = 100 (x - 80) / 20     -> 100,   0,   0
       C: lo 5, hi 10, s = 100 (10 - x) / 5        -> 100,   0, 100
    2. Common score scale q = 1 + 99 (s - L) / (H - L) with L = 0, H = 100,
       i.e. q = 1 + 0.99 s:
       A: 50.5, 1, 100     B: 100, 1, 1     C: 100, 1, 100
    3. Reference period P1 (the first with data): q_ref = (50.5, 100, 100).
    4. Arithmetic mean, weights 1/3 each (handbook, step 6, linear aggregation):
       C(P1) = (50.5 + 100 + 100) / 3 = 83.5 = R
       C(P2) = (1 + 1 + 1) / 3        = 1
       C(P3) = (100 + 1 + 100) / 3    = 67
       C(best) = 100, C(worst) = 1, span S = 99.
    5. Index I = 100 + 100 (C - R) / S:
       I(P1) = 100
       I(P2) = 100 + 100 (1 - 83.5) / 99  = 100 - 83.3333 = 16.6667  (= 100/6)
       I(P3) = 100 + 100 (67 - 83.5) / 99 = 100 - 16.6667 = 83.3333  (= 500/6)
    6. Contributions P1 -> P3 = 100/S · w · (q(P3) - q(P1)):
       A: 100/99 · 1/3 · (100 - 50.5) = +16.6667
       B: 100/99 · 1/3 · (1 - 100)    = -33.3333
       C: 100/99 · 1/3 · (100 - 100)  =   0
       sum = -16.6667 = I(P3) - I(P1).
    """
    result = composite(EXAMPLE, example_spec(), PERIODS)
    assert result.reference_period == "P1"
    assert result.dropped == ()
    assert result.notes == ()
    np.testing.assert_allclose(
        result.scores,
        [[50.5, 100.0, 100.0], [1.0, 1.0, 1.0], [100.0, 1.0, 100.0]],
        rtol=0,
        atol=1e-12,
    )
    np.testing.assert_allclose(result.reference_scores, [50.5, 100.0, 100.0], atol=1e-12)
    np.testing.assert_allclose(result.weights, [1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(result.coverage, [1.0, 1.0, 1.0])
    assert result.span == pytest.approx(99.0, abs=1e-12)
    np.testing.assert_allclose(result.index, [100.0, 100 / 6, 500 / 6], rtol=0, atol=1e-10)
    assert np.round(result.index, 4).tolist() == [100.0, 16.6667, 83.3333]

    parts = contributions(result, "P1", "P3")
    assert parts.as_dict() == pytest.approx({"A": 50 / 3, "B": -100 / 3, "C": 0.0}, abs=1e-10)
    assert parts.change == pytest.approx(-50 / 3, abs=1e-10)
    assert float(parts.values.sum()) == pytest.approx(parts.change, abs=1e-10)
    assert [code for code, _ in parts.ranked()] == ["B", "A", "C"]
    (top,) = parts.ranked(1)
    assert top[0] == "B" and top[1] == pytest.approx(-100 / 3)


def test_worked_example_minmax_geometric() -> None:
    """The same data and scores, geometric mean (computed by hand).

    Scores q as in the arithmetic example (all >= 1, so the geometric mean is defined):
       A: 50.5, 1, 100     B: 100, 1, 1     C: 100, 1, 100,   q_ref = (50.5, 100, 100).
    1. Geometric mean, weights 1/3 (handbook, step 6, geometric aggregation):
       C(P1) = (50.5 · 100 · 100)^(1/3) = 505000^(1/3) = 79.6337 = R
       C(P2) = (1 · 1 · 1)^(1/3)        = 1
       C(P3) = (100 · 1 · 100)^(1/3)    = 10000^(1/3)  = 21.5443
       C(best) = 100, C(worst) = 1, S = 99.
    2. Index I = 100 + 100 (C - R) / S:
       I(P1) = 100
       I(P2) = 100 + 100 (1 - 79.6337) / 99       = 20.5720
       I(P3) = 100 + 100 (21.5443 - 79.6337) / 99 = 41.3238
       (the geometric mean punishes B at its worst in P3: 41.3 against 83.3).
    3. Contributions P1 -> P3, log-mean decomposition:
       ln(C(P3) / C(P1)) = -1.307324,  L = (21.5443 - 79.6337) / -1.307324 = 44.43380
       A: 100/99 · 44.43380 · 1/3 · ln(100 / 50.5) [=  0.683197] = +10.2212
       B: 100/99 · 44.43380 · 1/3 · ln(1 / 100)    [= -4.605170] = -68.8974
       C: 0;  sum = -58.6762 = I(P3) - I(P1).
    """
    result = composite(EXAMPLE, example_spec(aggregation="geometric"), PERIODS)
    r = 505_000 ** (1 / 3)
    c3 = 10_000 ** (1 / 3)
    expected = [100.0, 100 + 100 * (1 - r) / 99, 100 + 100 * (c3 - r) / 99]
    assert result.span == pytest.approx(99.0, abs=1e-9)
    np.testing.assert_allclose(result.index, expected, rtol=0, atol=1e-9)
    assert np.round(result.index, 4).tolist() == [100.0, 20.572, 41.3238]

    parts = contributions(result, "P1", "P3")
    log_mean = (c3 - r) / math.log(c3 / r)
    assert log_mean == pytest.approx(44.43380, abs=1e-5)
    assert parts.as_dict() == pytest.approx(
        {
            "A": 100 / 99 * log_mean * math.log(100 / 50.5) / 3,
            "B": 100 / 99 * log_mean * math.log(1 / 100) / 3,
            "C": 0.0,
        },
        abs=1e-9,
    )
    assert np.round(parts.values, 4).tolist() == [10.2212, -68.8974, 0.0]
    assert float(parts.values.sum()) == pytest.approx(expected[2] - 100, abs=1e-9)


def test_worked_example_reference_normalisation() -> None:
    """Distance to the reference period (ratio variant), arithmetic mean.

    A (+1) = 100, 90, 110;  B (-1) = 50, 60, 50;  reference P1.
    1. s = 100 + p · 100 (x - x_ref) / |x_ref|  (all values positive: ratio variant)
       A: 100 x / 100                  -> 100, 90, 110
       B: 100 - 100 (x - 50) / 50      -> 100, 80, 100
    2. q = 1 + 99 (s - 80) / (110 - 80):
       A: 67, 34, 100     B: 67, 1, 67          q_ref = (67, 67)
    3. Spans: A 100 - 34 = 66, B 67 - 1 = 66; S = (66 + 66) / 2 = 66.
       I(P2) = 100 + 100 · ((34 - 67) + (1 - 67)) / 2 / 66 = 100 - 75 = 25
       I(P3) = 100 + 100 · ((100 - 67) + 0) / 2 / 66      = 100 + 25 = 125
       Check in the original units: -(10 % + 20 %) / 2 over a mean span of
       (20 % + 20 %) / 2 gives -75; +(10 % + 0) / 2 over 20 % gives +25.
    """
    x = np.array([[100.0, 50.0], [90.0, 60.0], [110.0, 50.0]])
    spec = CompositeSpec(("A", "B"), (1, -1), normalisation="reference")
    result = composite(x, spec, PERIODS)
    np.testing.assert_allclose(result.scores, [[67, 67], [34, 1], [100, 67]], atol=1e-12)
    assert result.span == pytest.approx(66.0)
    np.testing.assert_allclose(result.index, [100.0, 25.0, 125.0], atol=1e-10)


def test_reference_normalisation_difference_variant_is_noted() -> None:
    """Values through zero: difference to the reference relative to the range."""
    x = np.array([[100.0, -2.0], [90.0, 0.0], [110.0, 2.0]])
    result = composite(x, CompositeSpec(("A", "G"), (1, 1), normalisation="reference"), PERIODS)
    # A: 100, 90, 110; G: 100 + 100 (x + 2) / 4 = 100, 150, 200.  L = 90, H = 200.
    s = np.array([[100, 100], [90, 150], [110, 200]], dtype=float)
    q = 1 + 99 * (s - 90) / 110
    np.testing.assert_allclose(result.scores, q, atol=1e-12)
    assert any("relative to the observed range" in n and "G" in n for n in result.notes)
    # In percent terms: A moves -10 % and G +50 % of its range, over spans 20 % and 100 %.
    np.testing.assert_allclose(result.index[1], 100 + 100 * (-10 + 50) / (20 + 100), atol=1e-10)


# --------------------------------------------------------------------------- missing data


MISSING_X = np.array([[0.0, 0.0], [NAN, 10.0], [10.0, 10.0]])


@pytest.mark.parametrize(
    ("missing", "expected_p2"),
    [
        # B alone in P2: q goes 1 -> 100, a full span: 100 + 100 · 99 / 99.
        ("available", 200.0),
        # A imputed with its mean 5 (score 50.5): 100 + 100 · (49.5 + 99) / 2 / 99.
        ("mean", 175.0),
        # A carried forward from P1 (score 1): 100 + 100 · (0 + 99) / 2 / 99.
        ("carry_forward", 150.0),
    ],
)
def test_missing_data_methods(missing: str, expected_p2: float) -> None:
    spec = CompositeSpec(("A", "B"), (1, 1), missing=missing)
    result = composite(MISSING_X, spec, PERIODS)
    assert result.coverage.tolist() == [1.0, 0.5, 1.0]
    np.testing.assert_allclose(result.index, [100.0, expected_p2, 200.0], atol=1e-10)
    # Coverage is judged on observed values, whatever the method.
    strict = CompositeSpec(("A", "B"), (1, 1), missing=missing, min_coverage=0.6)
    assert np.isnan(composite(MISSING_X, strict, PERIODS).index[1])


def test_period_without_data_is_nan_and_reference_skips_it() -> None:
    x = np.array([[NAN, NAN], [1.0, 2.0], [2.0, 1.0], [NAN, NAN]])
    for missing in MISSING_METHODS:
        result = composite(x, CompositeSpec(("A", "B"), (1, 1), missing=missing, min_coverage=0))
        assert result.reference == 1
        assert np.isnan(result.index[[0, 3]]).all()
        assert result.index[1] == 100.0
        assert any("periods below min_coverage" in n for n in result.notes)


def test_reference_value_from_nearest_period_is_noted() -> None:
    x = np.array([[NAN, 1.0, 5.0], [4.0, 2.0, 5.5], [8.0, 3.0, 7.0]])
    result = composite(x, CompositeSpec(("A", "B", "C"), (1, 1, 1), min_coverage=0.5))
    assert result.reference == 0
    assert any("nearest period" in n and "A (1)" in n for n in result.notes)
    assert result.reference_scores[0] == result.scores[1, 0]


def test_reference_by_label_and_row() -> None:
    by_label = composite(EXAMPLE, example_spec(reference="P3"), PERIODS)
    by_row = composite(EXAMPLE, example_spec(reference=2), PERIODS)
    np.testing.assert_array_equal(by_label.index, by_row.index)
    assert by_label.index[2] == 100.0
    assert by_label.reference_period == "P3"


# --------------------------------------------------------------------------- groups


def test_group_matrix_with_an_all_nan_indicator() -> None:
    x = np.array([[3.0, NAN, 1.0], [2.0, NAN, 4.0], [5.0, NAN, 2.0], [4.0, NAN, NAN]])
    spec = CompositeSpec(("A", "B", "C"), (1, -1, 1), weights=(1.0, 5.0, 1.0))
    for aggregation in AGGREGATIONS:
        for normalisation in NORMALISATIONS:
            kw = {"aggregation": aggregation, "normalisation": normalisation}
            group = composite(x, CompositeSpec(**{**_fields(spec), **kw}))  # type: ignore[arg-type]
            alone = composite(x[:, [0, 2]], CompositeSpec(("A", "C"), (1, 1), **kw))  # type: ignore[arg-type]
            assert group.dropped == ("B",)
            assert any("no data" in n and "B" in n for n in group.notes)
            assert group.weights.tolist() == [0.5, 0.0, 0.5]
            assert np.isnan(group.scores[:, 1]).all()
            np.testing.assert_allclose(group.index, alone.index, rtol=1e-12, equal_nan=True)
    parts = contributions(composite(x, spec), 0, 2)
    assert parts.values[1] == 0.0
    assert "B" not in [code for code, _ in parts.ranked()]


def _fields(spec: CompositeSpec) -> dict[str, object]:
    return {name: getattr(spec, name) for name in CompositeSpec.__dataclass_fields__}


def test_constant_indicator_is_dropped_with_a_note() -> None:
    x = np.array([[1.0, 7.0, 3.0], [2.0, 7.0, 1.0], [4.0, 7.0, 2.0]])
    for aggregation in AGGREGATIONS:
        full = composite(x, CompositeSpec(("A", "K", "B"), (1, 1, -1), aggregation=aggregation))
        alone = composite(x[:, [0, 2]], CompositeSpec(("A", "B"), (1, -1), aggregation=aggregation))
        assert full.dropped == ("K",)
        assert any("constant" in n and "K" in n for n in full.notes)
        np.testing.assert_allclose(full.index, alone.index, rtol=1e-12)


def test_nothing_varies_gives_100_and_no_data_gives_nan() -> None:
    flat = composite(
        np.array([[2.0, 3.0], [2.0, NAN], [2.0, 3.0]]), CompositeSpec(("A", "B"), (1, 1))
    )
    assert flat.index.tolist() == [100.0, 100.0, 100.0]
    assert flat.span == 0.0
    assert any("index is 100" in n for n in flat.notes)
    single = composite(np.array([[4.0, 9.0]]), CompositeSpec(("A", "B"), (1, -1)))
    assert single.index.tolist() == [100.0]
    empty = composite(np.full((3, 2), NAN), CompositeSpec(("A", "B"), (1, 1)))
    assert np.isnan(empty.index).all()
    assert empty.reference is None and empty.dropped == ("A", "B")
    band = uncertainty(np.full((3, 2), NAN), CompositeSpec(("A", "B"), (1, 1)), draws=10)
    assert np.isnan(band.median).all()


# --------------------------------------------------------------------------- hypothesis

tenths = st.integers(1, 10_000).map(lambda v: v / 10)
signed_tenths = st.integers(-10_000, 10_000).map(lambda v: v / 10)
gap = st.sampled_from([False, False, False, False, True])


@st.composite
def matrices(
    draw: st.DrawFn,
    *,
    positive: bool = True,
    with_gaps: bool = True,
    max_periods: int = 6,
    max_indicators: int = 5,
) -> tuple[np.ndarray, tuple[int, ...]]:
    t = draw(st.integers(2, max_periods))
    k = draw(st.integers(1, max_indicators))
    cell = tenths if positive else signed_tenths
    x = np.array(draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=t, max_size=t)))
    if with_gaps:
        mask = draw(st.lists(st.lists(gap, min_size=k, max_size=k), min_size=t, max_size=t))
        x[np.array(mask)] = NAN
    polarity = tuple(draw(st.lists(st.sampled_from([1, -1]), min_size=k, max_size=k)))
    return x, polarity


methods = st.tuples(
    st.sampled_from(NORMALISATIONS), st.sampled_from(AGGREGATIONS), st.sampled_from(MISSING_METHODS)
)


def spec_for(
    polarity: tuple[int, ...], method: tuple[str, str, str], **kw: object
) -> CompositeSpec:
    n, a, m = method
    return CompositeSpec(
        codes(len(polarity)),
        polarity,
        normalisation=n,
        aggregation=a,
        missing=m,
        **kw,  # type: ignore[arg-type]
    )


def same(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-7, equal_nan=True)


MONOTONE = [("minmax", "arithmetic"), ("reference", "arithmetic"), ("minmax", "geometric")]


@settings(max_examples=250, deadline=None)
@given(
    case=matrices(positive=True),
    method=st.sampled_from(MONOTONE),
    missing=st.sampled_from(MISSING_METHODS),
    raw=st.lists(st.integers(0, 5), min_size=5, max_size=5),
    data=st.data(),
)
def test_monotone_in_a_higher_is_better_value(
    case: tuple[np.ndarray, tuple[int, ...]],
    method: tuple[str, str],
    missing: str,
    raw: list[int],
    data: st.DataObject,
) -> None:
    """Raising a 'higher is better' value never lowers that period's index, when:

    * min-max normalisation with the arithmetic or the geometric mean, or
      distance to the reference (ratio variant: the indicator's values stay
      positive) with the arithmetic mean; any missing-data method, any weights;
    * the raised indicator is observed in the reference period (its reference
      value is neither imputed nor borrowed from another period, so it cannot be
      the raised cell) and the period has an index before the change;
    * for the reference normalisation, the indicator varies over the window
      before the change (a constant indicator is left out; bringing it into a
      partial basket can lower the index: see the counterexample below).

    Not guaranteed for z-scores nor for the reference normalisation with the
    geometric mean (counterexamples below).  Proofs in
    docs/methodology/composite-index.md, section "Monotonicity".
    """
    x, polarity = case
    weights = tuple(float(w) for w in raw[: len(polarity)])
    assume(sum(weights) > 0)
    normalisation, aggregation = method
    spec = CompositeSpec(
        codes(len(polarity)),
        polarity,
        weights=weights,
        normalisation=normalisation,
        aggregation=aggregation,
        missing=missing,
        min_coverage=0.0,
    )
    before = composite(x, spec)
    assume(before.reference is not None)
    ref = before.reference
    assert ref is not None
    cells = [
        (int(t), int(k))
        for t, k in np.argwhere(~np.isnan(x))
        if polarity[k] == 1
        and not np.isnan(x[ref, k])
        and np.isfinite(before.index[t])
        and (normalisation == "minmax" or spec.indicators[k] not in before.dropped)
    ]
    assume(cells)
    t, k = data.draw(st.sampled_from(cells))
    raised = x.copy()
    raised[t, k] += data.draw(tenths)
    after = composite(raised, spec)
    assert after.index[t] >= before.index[t] - 1e-9


@pytest.mark.parametrize(
    ("x", "weights", "normalisation", "aggregation", "cell"),
    [
        # z-scores: raising X2 in P2 widens its standard deviation, which re-weights it.
        (
            [[0.1, 0.1, 0.5], [0.1, 0.1, NAN], [0.1, 0.1, 0.1], [0.1, 0.1, NAN], [0.1, 0.2, 0.4]],
            (0.0, 1.0, 1.0),
            "zscore",
            "arithmetic",
            (2, 2),
        ),
        # Reference normalisation: X3 is constant (left out); raising it in P3 brings it
        # into P3's partial basket (X0 is missing there) with a smaller relative change.
        (
            [
                [0.1, 0.1, 0.1, 0.1],
                [0.1, 0.1, 0.1, 0.1],
                [0.2, 0.1, 0.1, NAN],
                [NAN, 0.1, 0.3, 0.1],
            ],
            (1.0, 0.0, 1.0, 1.0),
            "reference",
            "arithmetic",
            (3, 3),
        ),
    ],
)
def test_monotonicity_counterexamples(
    x: list[list[float]],
    weights: tuple[float, ...],
    normalisation: str,
    aggregation: str,
    cell: tuple[int, int],
) -> None:
    """Where monotonicity is not guaranteed, it can fail (found by hypothesis)."""
    values = np.array(x)
    spec = CompositeSpec(
        codes(len(weights)),
        (1,) * len(weights),
        weights=weights,
        normalisation=normalisation,
        aggregation=aggregation,
        min_coverage=0.0,
    )
    raised = values.copy()
    raised[cell] += 0.1
    t = cell[0]
    assert composite(raised, spec).index[t] < composite(values, spec).index[t] - 0.1


@settings(max_examples=120, deadline=None)
@given(
    case=matrices(),
    method=methods,
    raw=st.lists(st.integers(0, 9), min_size=5, max_size=5),
    factor=st.floats(1e-3, 1e3),
)
def test_weights_scale_invariance(
    case: tuple[np.ndarray, tuple[int, ...]],
    method: tuple[str, str, str],
    raw: list[int],
    factor: float,
) -> None:
    x, polarity = case
    weights = tuple(float(w) for w in raw[: len(polarity)])
    assume(sum(weights) > 0)
    scaled = tuple(w * factor for w in weights)
    a = composite(x, spec_for(polarity, method, weights=weights))
    b = composite(x, spec_for(polarity, method, weights=scaled))
    same(a.index, b.index)


@settings(max_examples=120, deadline=None)
@given(case=matrices(), method=methods, data=st.data())
def test_equal_weights_permutation_invariance(
    case: tuple[np.ndarray, tuple[int, ...]], method: tuple[str, str, str], data: st.DataObject
) -> None:
    x, polarity = case
    perm = data.draw(st.permutations(range(len(polarity))))
    a = composite(x, spec_for(polarity, method))
    b = composite(x[:, perm], spec_for(tuple(polarity[i] for i in perm), method))
    same(a.index, b.index)
    same(a.scores[:, perm], b.scores)


@settings(max_examples=150, deadline=None)
@given(case=matrices(positive=False), method=methods, data=st.data())
def test_polarity_flip_equals_negation(
    case: tuple[np.ndarray, tuple[int, ...]], method: tuple[str, str, str], data: st.DataObject
) -> None:
    """Flipping an indicator's polarity and negating its values changes nothing.

    Holds for every normalisation (the reference variant depends on the sign
    pattern, which negation preserves), aggregation and missing-data method.
    """
    x, polarity = case
    k = data.draw(st.integers(0, len(polarity) - 1))
    flipped = list(polarity)
    flipped[k] = -flipped[k]
    negated = x.copy()
    negated[:, k] = -negated[:, k]
    a = composite(x, spec_for(polarity, method))
    b = composite(negated, spec_for(tuple(flipped), method))
    same(a.index, b.index)


@settings(max_examples=150, deadline=None)
@given(case=matrices(positive=False), method=methods, data=st.data())
def test_contributions_sum_to_the_change(
    case: tuple[np.ndarray, tuple[int, ...]], method: tuple[str, str, str], data: st.DataObject
) -> None:
    x, polarity = case
    result = composite(x, spec_for(polarity, method, min_coverage=0.3))
    rows = [int(t) for t in np.flatnonzero(np.isfinite(result.index))]
    assume(rows)
    a = data.draw(st.sampled_from(rows))
    b = data.draw(st.sampled_from(rows))
    parts = contributions(result, a, b)
    assert parts.change == pytest.approx(result.index[b] - result.index[a], abs=1e-9)
    assert float(parts.values.sum()) == pytest.approx(parts.change, rel=1e-9, abs=1e-8)
    ranked = [abs(v) for _, v in parts.ranked()]
    assert ranked == sorted(ranked, reverse=True)


@settings(max_examples=40, deadline=None)
@given(case=matrices(), method=methods, seed=st.integers(0, 2**32 - 1))
def test_monte_carlo_band_is_ordered(
    case: tuple[np.ndarray, tuple[int, ...]], method: tuple[str, str, str], seed: int
) -> None:
    x, polarity = case
    spec = spec_for(polarity, method)
    band = uncertainty(
        x, spec, draws=64, seed=seed, missing_methods=MISSING_METHODS, keep_draws=True
    )
    ok = np.isfinite(band.median)
    np.testing.assert_array_equal(ok, np.isfinite(band.central))
    assert (band.p05[ok] <= band.median[ok]).all()
    assert (band.median[ok] <= band.p95[ok]).all()
    assert band.samples is not None and band.samples.shape == (len(x), 64)
    assert (band.p05[ok] >= band.samples[ok].min(axis=1)).all()
    assert (band.p95[ok] <= band.samples[ok].max(axis=1)).all()
    for factor in FACTORS:
        share = band.sensitivity[factor][ok]
        assert ((share >= 0) & (share <= 1) | np.isnan(share)).all()


@settings(max_examples=40, deadline=None)
@given(case=matrices(), method=methods)
def test_single_method_without_weight_spread_collapses(
    case: tuple[np.ndarray, tuple[int, ...]], method: tuple[str, str, str]
) -> None:
    x, polarity = case
    spec = spec_for(polarity, method)
    band = uncertainty(
        x,
        spec,
        draws=16,
        weight_concentration=math.inf,
        normalisations=(spec.normalisation,),
        aggregations=(spec.aggregation,),
    )
    same(band.central, composite(x, spec).index)
    for edge in (band.p05, band.median, band.p95):
        same(edge, band.central)
    assert band.factors == ()


# --------------------------------------------------------------------------- Monte Carlo


def small_case() -> tuple[np.ndarray, CompositeSpec, tuple[str, ...]]:
    return synthetic_matrix(periods=12, indicators=6, seed=3)


def test_sensitivity_of_a_single_factor() -> None:
    x, spec, labels = small_case()
    only_agg = uncertainty(
        x, spec, labels, draws=400, weight_concentration=math.inf, normalisations=("minmax",)
    )
    rest = np.flatnonzero(np.isfinite(only_agg.sensitivity["aggregation"]))
    assert rest.size == len(labels) - 1  # not the reference period: it is always 100
    assert np.isnan(only_agg.sensitivity["aggregation"][only_agg.composite.reference])
    np.testing.assert_allclose(only_agg.sensitivity["aggregation"][rest], 1.0, atol=1e-9)
    for factor in ("weights", "normalisation", "missing"):
        assert (only_agg.sensitivity[factor][rest] == 0).all()
    assert only_agg.factors == ("aggregation",)

    only_norm = uncertainty(
        x, spec, labels, draws=300, weight_concentration=math.inf, aggregations=("arithmetic",)
    )
    np.testing.assert_allclose(only_norm.sensitivity["normalisation"][rest], 1.0, atol=1e-9)

    only_weights = uncertainty(
        x, spec, labels, draws=2000, normalisations=("reference",), aggregations=("arithmetic",)
    )
    assert only_weights.factors == ("weights",)
    assert (only_weights.sensitivity["weights"][rest] > 0.9).all()
    assert (only_weights.sensitivity["normalisation"][rest] == 0).all()
    assert (np.abs(only_weights.interactions[rest]) < 0.1).all()


def test_default_draws_on_a_small_matrix() -> None:
    x, spec, labels = small_case()
    began = time.perf_counter()
    band = uncertainty(x, spec, labels)
    assert time.perf_counter() - began < 5.0
    assert band.draws == 10_000 and band.seed == 0
    assert band.factors == ("weights", "normalisation", "aggregation")
    assert band.normalisations == NORMALISATIONS and band.aggregations == AGGREGATIONS
    assert band.missing_methods == (spec.missing,)
    assert band.samples is None
    ok = np.isfinite(band.median)
    assert ok.all()
    assert band.band(0) == (100.0, 100.0, 100.0)
    assert (band.p05 <= band.median).all() and (band.median <= band.p95).all()
    assert (band.p95[1:] > band.p05[1:]).all()
    # Reproducible with the same seed, different with another.
    again = uncertainty(x, spec, labels)
    np.testing.assert_array_equal(band.median, again.median)
    other = uncertainty(x, spec, labels, seed=1)
    assert not np.array_equal(band.median, other.median)
    from_generator = uncertainty(x, spec, labels, seed=np.random.default_rng(0))
    np.testing.assert_array_equal(band.median, from_generator.median)
    assert from_generator.seed is None


def test_blas_thread_setting_is_restored() -> None:
    from threadpoolctl import threadpool_info

    from paraat_core import composite as module

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before = blas_threads()
    if not before:
        pytest.skip("numpy reports no BLAS thread pool here: nothing to limit")
    with module._single_threaded_blas():
        assert set(blas_threads()) == {1}
        uncertainty(GOOD, SPEC, draws=10)  # nested use keeps the limit until the outer ends
        assert set(blas_threads()) == {1}
    assert blas_threads() == before
    uncertainty(GOOD, SPEC, draws=10)
    assert blas_threads() == before


def test_benchmark_returns_the_figures() -> None:
    figures = benchmark(draws=200, indicators=5, periods=10, repeat=1)
    assert figures["composite_s"] > 0
    assert figures["draws"] == 200 and figures["indicators"] == 5 and figures["periods"] == 10


# --------------------------------------------------------------------------- validation


def _spec_error(match: str, **kwargs: object) -> None:
    base: dict[str, object] = {"indicators": ("A", "B"), "polarity": (1, -1)}
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        CompositeSpec(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"indicators": ()}, "at least one indicator"),
        ({"indicators": ("A", "A")}, "'A' appears more than once"),
        ({"indicators": ("A", "")}, "non-empty string"),
        ({"polarity": (1,)}, "polarity has 1 values for 2 indicators"),
        ({"polarity": (1, 0)}, "polarity of indicator 'B' must be \\+1"),
        ({"polarity": (1, 2)}, "indicator 'B'"),
        ({"polarity": (True, -1)}, "indicator 'A'"),
        ({"weights": (1.0,)}, "weights has 1 values for 2 indicators"),
        ({"weights": (1.0, -0.5)}, "weight of indicator 'B' must be finite and non-negative"),
        ({"weights": (math.nan, 1.0)}, "weight of indicator 'A'"),
        ({"weights": (0.0, 0.0)}, "all weights are zero"),
        ({"normalisation": "rank"}, "unknown normalisation 'rank'"),
        ({"aggregation": "median"}, "unknown aggregation 'median'"),
        ({"missing": "hot_deck"}, "unknown missing-data method 'hot_deck'"),
        ({"min_coverage": 1.5}, "min_coverage"),
        ({"reference": -1}, "reference must be"),
    ],
)
def test_spec_validation(kwargs: dict[str, object], match: str) -> None:
    _spec_error(match, **kwargs)


SPEC = CompositeSpec(("A", "B"), (1, -1))
GOOD = np.array([[1.0, 2.0], [2.0, 1.0]])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: composite(np.ones(2), SPEC), "2-D matrix"),
        (lambda: composite(np.ones((2, 3)), SPEC), "3 columns but the spec names 2 indicators"),
        (lambda: composite(np.ones((0, 2)), SPEC), "no periods"),
        (lambda: composite([["a", "b"]], SPEC), "numeric matrix"),
        (lambda: composite(GOOD, SPEC, ["x"]), "periods has 1 labels but values has 2 rows"),
        (lambda: composite(GOOD, SPEC, ["x", "x"]), "label 'x' appears more than once"),
        (
            lambda: composite(np.array([[1.0, 2.0], [math.inf, 1.0]]), SPEC, ["p", "q"]),
            "indicator 'A', period 'q': value inf is not finite",
        ),
        (
            lambda: composite(GOOD, CompositeSpec(("A", "B"), (1, 1), reference="z")),
            "unknown reference period 'z'",
        ),
        (
            lambda: composite(GOOD, CompositeSpec(("A", "B"), (1, 1), reference=5)),
            "reference period 5 is out of range",
        ),
        (
            lambda: composite(
                np.array([[1.0, NAN], [2.0, 1.0], [3.0, 2.0]]),
                CompositeSpec(("A", "B"), (1, 1), reference=0, min_coverage=0.8),
            ),
            "reference period '0' has coverage 0.5, below min_coverage 0.8",
        ),
        (lambda: uncertainty(GOOD, SPEC, draws=0), "draws must be a whole number >= 1"),
        (lambda: uncertainty(GOOD, SPEC, draws=2.5), "draws"),  # type: ignore[arg-type]
        (lambda: uncertainty(GOOD, SPEC, weight_concentration=0), "weight_concentration"),
        (lambda: uncertainty(GOOD, SPEC, normalisations=("minmax", "ranks")), "'ranks'"),
        (lambda: uncertainty(GOOD, SPEC, normalisations=()), "at least one option"),
        (lambda: uncertainty(GOOD, SPEC, aggregations=("harmonic",)), "'harmonic'"),
        (lambda: uncertainty(GOOD, SPEC, missing_methods=("mean", "mean")), "more than once"),
        (lambda: uncertainty(GOOD, SPEC, seed="x"), "seed"),  # type: ignore[arg-type]
        (lambda: contributions(composite(GOOD, SPEC), 0, 9), "end period 9 is out of range"),
        (lambda: contributions(composite(GOOD, SPEC), "nope", 0), "unknown start period"),
        (
            lambda: contributions(
                composite(
                    np.array([[1.0, 2.0], [NAN, 1.0], [3.0, 3.0]]),
                    CompositeSpec(("A", "B"), (1, 1), min_coverage=0.9),
                ),
                0,
                1,
            ),
            "period '1' has no index value",
        ),
    ],
)
def test_validation_errors(call: object, match: str) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match=match):
        call()
