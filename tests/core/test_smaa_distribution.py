"""SMAA-2 with an empirical weight distribution (``weight_distribution`` /
``row_weight_distribution``): each sample takes the weight vector of one participant drawn
uniformly with replacement (docs/methodology/smaa.md, "Empirical weight distribution")."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paraat_core.smaa import smaa, smaa_grid

AB = ("A", "B")
XY = ("x", "y")


def test_worked_example_two_of_three_participants() -> None:
    """A = (+3, −3), B = (−3, +3); participants (1, 0), (1, 0), (0, 1): A first with P = 2/3."""
    r = smaa(
        AB,
        XY,
        [[3, -3], [-3, 3]],
        weight_distribution=[[1, 0], [1, 0], [0, 1]],
        samples=30_000,
        seed=1,
    )
    assert r.rank_acceptability[0, 0] == pytest.approx(2 / 3, abs=0.01)
    assert r.rank_acceptability[1, 0] == pytest.approx(1 / 3, abs=0.01)
    assert r.central_weights[0] == pytest.approx([1.0, 0.0])
    assert r.acceptance == 1.0


def test_rows_are_normalised() -> None:
    a = smaa(AB, XY, [[3, -3], [-3, 3]], weight_distribution=[[2, 0], [0, 5]], samples=2000, seed=3)
    b = smaa(AB, XY, [[3, -3], [-3, 3]], weight_distribution=[[1, 0], [0, 1]], samples=2000, seed=3)
    assert np.array_equal(a.rank_acceptability, b.rank_acceptability)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=3, max_size=3),
    st.integers(min_value=0, max_value=2**31),
)
def test_one_participant_equals_fixed_weights(w: list[float], seed: int) -> None:
    rng = np.random.default_rng(seed)
    lo = rng.uniform(-3, 0, size=(3, 3))
    hi = lo + rng.uniform(0, 3, size=(3, 3))
    opts, crits = ("A", "B", "C"), ("x", "y", "z")
    fixed = smaa(opts, crits, lo, None, hi, weights=w, samples=500, seed=seed)
    dist = smaa(opts, crits, lo, None, hi, weight_distribution=[w], samples=500, seed=seed)
    assert np.array_equal(fixed.rank_acceptability, dist.rank_acceptability)
    assert np.array_equal(fixed.winning, dist.winning)


def test_grid_one_participant_equals_fixed_row_weights() -> None:
    rng = np.random.default_rng(5)
    lo = rng.uniform(-3, 0, size=(3, 2, 2))
    hi = lo + 1.0
    kw = {"samples": 800, "seed": 11, "col_ordinal": [(0, 1)]}
    fixed = smaa_grid(("A", "B", "C"), XY, ("g", "h"), lo, None, hi, row_weights=[0.7, 0.3], **kw)
    dist = smaa_grid(
        ("A", "B", "C"), XY, ("g", "h"), lo, None, hi, row_weight_distribution=[[0.7, 0.3]], **kw
    )
    assert np.array_equal(fixed.rank_acceptability, dist.rank_acceptability)
    assert np.allclose(dist.central_rows[~np.isnan(dist.central_rows[:, 0])], [0.7, 0.3])


def test_grid_distribution_reproducible_and_sums() -> None:
    lo = np.zeros((2, 2, 1))
    lo[0, 0, 0], lo[1, 1, 0] = 3, 3
    dist = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]
    a = smaa_grid(AB, XY, ("g",), lo, row_weight_distribution=dist, samples=3000, seed=2)
    b = smaa_grid(AB, XY, ("g",), lo, row_weight_distribution=dist, samples=3000, seed=2)
    assert np.array_equal(a.rank_acceptability, b.rank_acceptability)
    assert a.rank_acceptability.sum(axis=1) == pytest.approx([1, 1])
    assert a.rank_acceptability[0, 0] == pytest.approx(2 / 3, abs=0.03)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weight_distribution": [[1, 0, 0]]}, "shape"),
        ({"weight_distribution": [[-1, 2]]}, "non-negative"),
        ({"weight_distribution": [[0, 0]]}, "only zero"),
        ({"weight_distribution": [[np.nan, 1]]}, "finite"),
        ({"weight_distribution": [[1, 0]], "weights": [1, 1]}, "not two"),
        ({"weight_distribution": [[1, 0]], "ordinal": [(0, 1)]}, "not two"),
        ({"weight_distribution": "abc"}, "numeric"),
    ],
)
def test_bad_distribution(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        smaa(AB, XY, [[3, -3], [-3, 3]], samples=10, seed=0, **kwargs)  # type: ignore[arg-type]


def test_grid_bad_distribution() -> None:
    with pytest.raises(ValueError, match="rows"):
        smaa_grid(
            AB,
            XY,
            ("g",),
            np.zeros((2, 2, 1)),
            row_weight_distribution=[[1, 0]],
            row_weights=[1, 1],
            samples=10,
            seed=0,
        )
