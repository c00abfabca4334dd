"""Aggregating a citizen panel (``paraat_core.panels``): worked examples from published sources
and properties (docs/methodology/citizen-panel.md).

Wilson intervals: Newcombe, R. G. (1998), "Two-sided confidence intervals for the single
proportion: comparison of seven methods", *Statistics in Medicine* 17, 857–872 (its worked
examples, method 3: the score interval without continuity correction).  Rank-order-centroid
weights: Barron, F. H. & Barrett, B. E. (1996), *Management Science* 42(11), 1515–1523.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core.panels import (
    ballot_weights,
    likert_summary,
    ranking_summary,
    restrict,
    roc_weights,
    share,
    shares,
    wilson_interval,
)

# --------------------------------------------------------------------------- worked examples


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_newcombe_1998(x: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson_interval(x, n)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_roc_barron_barrett_n3() -> None:
    assert roc_weights(3) == pytest.approx([0.6111, 0.2778, 0.1111], abs=5e-5)
    assert roc_weights(3) == pytest.approx([11 / 18, 5 / 18, 2 / 18])
    assert roc_weights(1) == [1.0]


def test_ballot_weights_aligned_with_items() -> None:
    w = ballot_weights(["c", "a", "b"], ["a", "b", "c"])
    assert w == pytest.approx([5 / 18, 2 / 18, 11 / 18])


def test_likert_worked_example() -> None:
    s = likert_summary([2, 3, 5, 6, 4])
    assert s.n == 20
    assert s.median == 3.5
    assert s.agree.count == 10 and s.agree.share == 0.5
    assert [x.share for x in s.shares] == pytest.approx([0.1, 0.15, 0.25, 0.3, 0.2])
    assert likert_summary([0, 0, 3, 0, 0]).median == 3.0
    assert likert_summary([1, 0, 0, 0, 1]).median == 3.0
    assert likert_summary([0, 0, 0, 0, 0]).median is None


def test_ranking_summary_worked_example() -> None:
    """Three ballots over a, b, c: a>b>c, a>c>b, b>a>c."""
    r = ranking_summary(["a", "b", "c"], [["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"]])
    rows = {row.key: row for row in r.rows}
    assert r.ballots == 3
    assert rows["a"].mean_weight == pytest.approx((11 + 11 + 5) / 54)
    assert rows["b"].mean_weight == pytest.approx((5 + 2 + 11) / 54)
    assert rows["c"].mean_weight == pytest.approx((2 + 5 + 2) / 54)
    assert rows["a"].mean_rank == pytest.approx(4 / 3)
    assert (rows["a"].borda, rows["b"].borda, rows["c"].borda) == (5, 3, 1)
    assert rows["a"].first == 2 and rows["b"].first == 1
    assert [row.key for row in r.items_by_weight()] == ["a", "b", "c"]
    assert len(r.weights) == 3 and r.weights[0] == pytest.approx((11 / 18, 5 / 18, 2 / 18))


def test_restrict_renormalises() -> None:
    out = restrict([[0.5, 0.3, 0.2]], ["a", "b", "c"], ["c", "a"])
    assert out == [pytest.approx([0.2 / 0.7, 0.5 / 0.7])]
    with pytest.raises(ValueError, match="not ranked"):
        restrict([[1.0]], ["a"], ["z"])
    with pytest.raises(ValueError, match="no weight"):
        restrict([[1.0, 0.0]], ["a", "b"], ["b"])


def test_shares_and_empty() -> None:
    rows = shares({"ja": 3, "nee": 1})
    assert [r.share for r in rows] == [0.75, 0.25]
    assert share("x", 0, 0) == share("x", 0, 0)
    assert share("x", 0, 0).low == 0.0 and share("x", 0, 0).high == 0.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: wilson_interval(3, 2),
        lambda: wilson_interval(-1, 2),
        lambda: wilson_interval(1, 2, z=0),
        lambda: wilson_interval(True, 2),
        lambda: likert_summary([1, 2, 3]),
        lambda: roc_weights(0),
        lambda: ballot_weights(["a", "a"], ["a", "b"]),
        lambda: ballot_weights(["a"], ["a", "b"]),
        lambda: ranking_summary([], []),
        lambda: ranking_summary(["a", "a"], []),
    ],
)
def test_bad_input_is_a_value_error(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


# --------------------------------------------------------------------------- properties


@given(st.integers(min_value=1, max_value=60))
def test_roc_sums_to_one_and_decreases(n: int) -> None:
    w = roc_weights(n)
    assert math.isclose(sum(w), 1.0, abs_tol=1e-12)
    assert all(a > b for a, b in itertools.pairwise(w))
    assert all(x > 0 for x in w)


@given(
    st.integers(min_value=1, max_value=5000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_wilson_contains_share_within_unit_interval(pair: tuple[int, int]) -> None:
    x, n = pair
    lo, hi = wilson_interval(x, n)
    assert 0.0 <= lo <= x / n <= hi <= 1.0
    assert hi - lo > 0


@given(st.permutations(["a", "b", "c", "d", "e"]))
def test_ballot_weights_follow_the_ranking(ranking: list[str]) -> None:
    items = ["a", "b", "c", "d", "e"]
    w = ballot_weights(ranking, items)
    assert math.isclose(sum(w), 1.0)
    ordered = [w[items.index(k)] for k in ranking]
    assert ordered == sorted(ordered, reverse=True)


@given(st.lists(st.permutations(["a", "b", "c", "d"]), min_size=1, max_size=30))
def test_ranking_summary_mean_weights_sum_to_one(ballots: list[list[str]]) -> None:
    r = ranking_summary(["a", "b", "c", "d"], ballots)
    assert math.isclose(sum(row.mean_weight for row in r.rows), 1.0)
    assert sum(row.first for row in r.rows) == len(ballots)
    assert math.isclose(sum(row.mean_rank for row in r.rows), 1 + 2 + 3 + 4)
    for row in r.rows:
        assert row.p10 <= row.mean_weight + 1e-12 or row.p90 >= row.mean_weight - 1e-12


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=5, max_size=5))
def test_likert_median_within_answers(counts: list[int]) -> None:
    s = likert_summary(counts)
    if s.n == 0:
        assert s.median is None
        return
    answered = [i + 1 for i, c in enumerate(counts) if c]
    assert s.median is not None and min(answered) <= s.median <= max(answered)
    assert math.isclose(sum(x.share for x in s.shares), 1.0)
    expanded = sorted(v for i, c in enumerate(counts) for v in [i + 1] * c)
    mid = len(expanded) // 2
    expected = expanded[mid] if len(expanded) % 2 else (expanded[mid - 1] + expanded[mid]) / 2
    assert s.median == expected
