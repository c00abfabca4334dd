"""SMAA-2: worked examples by hand, properties, validation (speed: ``paraat bench assess``).

Formulas: Lahdelma, R. & Salminen, P. (2001), "SMAA-2: Stochastic
multicriteria acceptability analysis for group decision making", *Operations
Research* 49(3), 444–454 (rank acceptability indices, central weight vectors,
confidence factors, holistic acceptability with meta-weights).  paraat's
choices (judgement scale −3..+3, triangular judgements, unknown = full scale,
fractional ties) are documented in docs/methodology/smaa.md.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paraat_core import smaa as smaa_module
from paraat_core.smaa import (
    META_WEIGHTS,
    dominance,
    explicit_ranking,
    smaa,
    smaa_grid,
)

NAN = math.nan
AB = ("A", "B")
XY = ("x", "y")
XYZ = ("x", "y", "z")


# --------------------------------------------------------------------------- worked examples


def test_worked_example_two_by_two() -> None:
    """A = (+3, −3), B = (−3, +3) on the −3..+3 scale; weights uniform on the simplex.

    Normalised v = (x + 3) / 6: v_A = (1, 0), v_B = (0, 1).  With w = (t, 1 − t),
    t ~ U(0, 1): u_A = t, u_B = 1 − t, so A is first iff t > ½.
      b_A^1 = b_B^1 = P(t > ½) = ½;  b_A^2 = b_B^2 = ½.
      Central weights: E[t | t > ½] = ¾ -> A: (¾, ¼);  E[t | t < ½] = ¼ -> B: (¼, ¾).
      Confidence: under (¾, ¼) u_A = ¾ > u_B = ¼ always (exact judgements) -> 1; B alike.
      Winning: c_AB = P(t > ½) = ½ = c_BA.  Linear meta-weights (1, 0): a = b^1 = ½.
    """
    r = smaa(AB, XY, [[3, -3], [-3, 3]], samples=20_000, seed=1)
    np.testing.assert_allclose(r.rank_acceptability, [[0.5, 0.5], [0.5, 0.5]], atol=0.015)
    np.testing.assert_allclose(r.central_weights, [[0.75, 0.25], [0.25, 0.75]], atol=0.01)
    np.testing.assert_allclose(r.confidence, [1.0, 1.0])
    assert r.winning[0, 1] + r.winning[1, 0] == pytest.approx(1.0)
    assert r.winning[0, 1] == pytest.approx(0.5, abs=0.015)
    np.testing.assert_allclose(r.meta_weights, [1.0, 0.0])
    np.testing.assert_allclose(r.holistic, r.rank_acceptability[:, 0])
    assert r.acceptance == 1.0
    assert set(r.acceptability("A")) == {1, 2}


def test_worked_example_asymmetric_and_ordinal_constraints() -> None:
    """A = (+3, 0), B = (−3, +3): v_A = (1, ½), v_B = (0, 1), w = (t, 1 − t).

    u_A = t + (1 − t)/2 = ½ + t/2,  u_B = 1 − t;  A first iff 3t/2 > ½, i.e. t > ⅓.
    No constraints (t ~ U(0, 1)):  b_A^1 = ⅔;  central weights
      A: E[t | t > ⅓] = ⅔ -> (⅔, ⅓);   B: E[t | t < ⅓] = ⅙ -> (⅙, ⅚).
    w_x ≥ w_y (t ~ U(½, 1)):  A always first: b_A^1 = 1, acceptance ½, B never first (NaN).
    w_y ≥ w_x (t ~ U(0, ½)):  b_A^1 = (½ − ⅓) / ½ = ⅓.
    """
    values = [[3, 0], [-3, 3]]
    free = smaa(AB, XY, values, samples=20_000, seed=2)
    assert free.rank_acceptability[0, 0] == pytest.approx(2 / 3, abs=0.015)
    np.testing.assert_allclose(free.central_weights, [[2 / 3, 1 / 3], [1 / 6, 5 / 6]], atol=0.01)

    x_first = smaa(AB, XY, values, samples=20_000, seed=2, ordinal=[("x", "y")])
    np.testing.assert_allclose(x_first.rank_acceptability, [[1.0, 0.0], [0.0, 1.0]])
    assert x_first.acceptance == pytest.approx(0.5, abs=0.02)
    assert x_first.central_weights[0] == pytest.approx([0.75, 0.25], abs=0.01)
    assert np.isnan(x_first.central_weights[1]).all()
    assert x_first.confidence[0] == 1.0 and math.isnan(x_first.confidence[1])

    y_first = smaa(AB, XY, values, samples=20_000, seed=2, ordinal=[(1, 0)])
    assert y_first.rank_acceptability[0, 0] == pytest.approx(1 / 3, abs=0.015)


def test_dominating_option() -> None:
    """A ≥ B ≥ C on every criterion, strictly somewhere: A is always first.

    b_A^1 = 1, confidence 1; B always second, C always third; A's central
    weights are the mean of the whole simplex, (⅓, ⅓, ⅓); B and C never first.
    Interval judgements that do not overlap give the same.
    """
    opts = ("A", "B", "C")
    crits = ("x", "y", "z")
    low = [[2, 1, 0], [1, 1, -1], [0, 0, -2]]
    r = smaa(opts, crits, low, samples=20_000, seed=3)
    np.testing.assert_allclose(r.rank_acceptability, np.eye(3))
    assert r.confidence[0] == 1.0
    assert np.isnan(r.confidence[1:]).all()
    assert r.central_weights[0] == pytest.approx([1 / 3] * 3, abs=0.01)
    np.testing.assert_allclose(r.holistic, [1.0, 0.5, 0.0])
    assert r.ranked()[0] == ("A", 1.0)
    assert dominance(opts, low) == (("A", "B"), ("A", "C"), ("B", "C"))

    lo = np.array([[2.5, 2, 1], [0.5, 0.5, -1], [-3, -3, -3]])
    hi = lo + 0.5
    r2 = smaa(opts, crits, lo, None, hi, samples=5_000, seed=3)
    np.testing.assert_allclose(r2.rank_acceptability, np.eye(3))
    assert dominance(opts, lo, hi) == (("A", "B"), ("A", "C"), ("B", "C"))


def test_dominance_points_intervals_and_unknown() -> None:
    # Equal everywhere: no dominance either way; one strict criterion is enough.
    assert dominance(AB, [[1, 1], [1, 1]]) == ()
    assert dominance(AB, [[1, 2], [1, 1]]) == (("A", "B"),)
    assert dominance(AB, [[0, 2], [1, 1]]) == ()
    # Intervals: overlapping ranges give no certain dominance.
    assert dominance(AB, [[1.0, 1.0], [0.0, 0.0]], [[2.0, 2.0], [1.5, 1.0]]) == ()
    assert dominance(AB, [[1.0, 1.0], [0.0, 0.0]], [[2.0, 2.0], [1.0, 0.5]]) == (("A", "B"),)
    # Unknown cell: no claim.
    assert dominance(AB, [[1.0, NAN], [0.0, 0.0]]) == ()
    with pytest.raises(ValueError, match="low 2 > high 1"):
        dominance(AB, [[2, 0], [0, 0]], [[1, 0], [0, 0]])


def test_triangular_uniform_and_unknown_sampling() -> None:
    """One criterion; B fixed at 1.5, so c_AB = P(X_A > 1.5).

    Triangular(low 0, mode 0, high 3): F(x) = 1 − (3 − x)²/9 -> P(X > 1.5) = 2.25/9 = ¼.
    Uniform on [0, 3]: P = ½.  Unknown (NaN): uniform on the scale [−3, 3]: P = 1.5/6 = ¼.
    """
    crit = ("x",)
    low, mode, high = [[0.0], [1.5]], [[0.0], [1.5]], [[3.0], [1.5]]
    tri = smaa(AB, crit, low, mode, high, samples=40_000, seed=4)
    assert tri.winning[0, 1] == pytest.approx(0.25, abs=0.01)
    uni = smaa(AB, crit, low, mode, high, samples=40_000, seed=4, distribution="uniform")
    assert uni.winning[0, 1] == pytest.approx(0.5, abs=0.01)
    unknown = smaa(AB, crit, [[NAN], [1.5]], samples=40_000, seed=4)
    assert unknown.winning[0, 1] == pytest.approx(0.25, abs=0.01)
    # Triangular with the mode omitted = symmetric on [0, 3]: P(X > 1.5) = ½.
    sym = smaa(AB, crit, [[0.0], [1.5]], None, [[3.0], [1.5]], samples=40_000, seed=4)
    assert sym.winning[0, 1] == pytest.approx(0.5, abs=0.01)


def test_fixed_weights_view() -> None:
    # w = (¼, ¾): u_A = ½ + ¼/2 = ⅝ (A = (3, 0)), u_B = ¾ -> B first in every sample.
    r = smaa(AB, XY, [[3, 0], [-3, 3]], weights=[1, 3], samples=500, seed=5)
    np.testing.assert_allclose(r.rank_acceptability, [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(r.central_weights[1], [0.25, 0.75])
    assert r.fixed_weights is not None
    np.testing.assert_allclose(r.fixed_weights, [0.25, 0.75])


def test_ties_share_ranks() -> None:
    # Identical options: each takes rank 1 and rank 2 half of the time, in every sample.
    r = smaa(AB, XY, [[1, 2], [1, 2]], samples=100, seed=6)
    np.testing.assert_allclose(r.rank_acceptability, [[0.5, 0.5], [0.5, 0.5]])
    np.testing.assert_allclose(r.winning, 0.0)
    np.testing.assert_allclose(r.confidence, [0.5, 0.5])


def test_meta_weights() -> None:
    """m = 3: linear (1, ½, 0); inverse (1, ½, ⅓); centroid tails of 1/r normalised:
    (11/6, 5/6, 2/6) / (11/6) = (1, 5/11, 2/11)."""
    expected = {
        "linear": [1.0, 0.5, 0.0],
        "inverse": [1.0, 0.5, 1 / 3],
        "centroid": [1.0, 5 / 11, 2 / 11],
    }
    assert set(expected) == set(META_WEIGHTS)
    for meta, alpha in expected.items():
        r = smaa(("A", "B", "C"), ("x",), [[1], [0], [-1]], samples=10, seed=0, meta=meta)
        np.testing.assert_allclose(r.meta_weights, alpha)
        np.testing.assert_allclose(r.holistic, alpha)


def test_reproducible_with_seed() -> None:
    low = [[-1, 0, 2], [0, 1, -2], [1, -1, 0]]
    high = [[1, 2, 3], [1, 2, 0], [2, 0, 1]]
    kwargs = {"samples": 3_000, "ordinal": [(0, 1)]}
    a = smaa(("A", "B", "C"), XYZ, low, None, high, seed=7, **kwargs)  # type: ignore[arg-type]
    b = smaa(("A", "B", "C"), XYZ, low, None, high, seed=7, **kwargs)  # type: ignore[arg-type]
    c = smaa(("A", "B", "C"), XYZ, low, None, high, seed=8, **kwargs)  # type: ignore[arg-type]
    for name in ("rank_acceptability", "central_weights", "confidence", "winning", "holistic"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.rank_acceptability, c.rank_acceptability)


def test_explicit_ranking_worked_example() -> None:
    """Weights (3, 1) -> (¾, ¼); v_A = (1, 0), v_B = (½, ½), v_C = (0, 1).

    Contributions w·v: A (¾, 0), B (⅜, ⅛), C (0, ¼); utilities ¾, ½, ¼ -> A, B, C.
    """
    r = explicit_ranking(("A", "B", "C"), XY, [[3, -3], [0, 0], [-3, 3]], [3, 1])
    np.testing.assert_allclose(r.weights, [0.75, 0.25])
    np.testing.assert_allclose(r.contributions, [[0.75, 0], [0.375, 0.125], [0, 0.25]])
    np.testing.assert_allclose(r.utility, [0.75, 0.5, 0.25])
    assert r.ranks.tolist() == [1, 2, 3]
    assert r.order == ("A", "B", "C")
    assert r.explain("B") == [("x", 0.375), ("y", 0.125)]
    tied = explicit_ranking(AB, XY, [[1, 1], [1, 1]], [1, 1])
    assert tied.ranks.tolist() == [1, 1] and tied.order == AB


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"options": ("A", "A")}, "options: 'A' appears more than once"),
        ({"criteria": ()}, "criteria: at least one"),
        ({"low": [[0, 0]]}, r"low must have shape \(2, 2\)"),
        ({"low": [[4, 0], [0, 0]]}, "option 'A', criterion 'x': need values within the scale"),
        ({"high": [[-1, 0], [0, 0]]}, "option 'A', criterion 'x': need low <= mode <= high"),
        ({"high": [[NAN, 0], [0, 0]]}, "both known or both NaN"),
        ({"distribution": "normal"}, "unknown distribution 'normal'"),
        ({"meta": "cubic"}, "unknown meta-weights 'cubic'"),
        ({"samples": 0}, "samples must be a positive whole number"),
        ({"ordinal": [("x", "q")]}, "unknown criterion in ordinal constraint 'q'"),
        ({"ordinal": [(0, 5)]}, r"criterion 5 out of range"),
        ({"ordinal": [("x", "y"), ("y", "x")]}, "cycle"),
        ({"ordinal": [("x", "x")]}, "with itself"),
        ({"weights": [1, -1]}, "weight of criterion 'y' must be finite and non-negative"),
        ({"weights": [1]}, "weights has 1 values for 2 criteria"),
        ({"weights": [1, 1], "ordinal": [(0, 1)]}, "not both"),
        ({"scale": (3, -3)}, "scale must be finite"),
    ],
)
def test_validation(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "options": AB,
        "criteria": XY,
        "low": [[0, 0], [0, 0]],
        "high": None,
        "samples": 10,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        smaa(**args)  # type: ignore[arg-type]


def test_rejection_sampling_gives_up_clearly() -> None:
    # A full chain over 10 criteria keeps 1/10! ≈ 0.00003 of the draws.
    crits = tuple(f"c{k}" for k in range(10))
    chain = [(k, k + 1) for k in range(9)]
    with pytest.raises(ValueError, match="accept only"):
        smaa(AB, crits, np.zeros((2, 10)), ordinal=chain, samples=100, seed=0)


def test_explicit_ranking_validation() -> None:
    with pytest.raises(ValueError, match="option 'B', criterion 'y' is unknown"):
        explicit_ranking(AB, XY, [[0.0, 0.0], [0.0, NAN]], [1, 1])
    with pytest.raises(ValueError, match="outside the scale"):
        explicit_ranking(AB, XY, [[0, 5], [0, 0]], [1, 1])
    with pytest.raises(ValueError, match="all weights are zero"):
        explicit_ranking(AB, XY, [[0, 0], [0, 0]], [0, 0])


# --------------------------------------------------------------------------- properties

judgement = st.integers(-3, 3).map(float)


@st.composite
def problems(draw: st.DrawFn) -> tuple[int, int, np.ndarray, np.ndarray]:
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    a = np.array(draw(st.lists(judgement, min_size=m * n, max_size=m * n))).reshape(m, n)
    b = np.array(draw(st.lists(judgement, min_size=m * n, max_size=m * n))).reshape(m, n)
    return m, n, np.minimum(a, b), np.maximum(a, b)


def names(prefix: str, k: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(k))


@settings(max_examples=40, deadline=None)
@given(problems(), st.integers(0, 2**16))
def test_rank_acceptability_rows_and_columns_sum_to_one(
    problem: tuple[int, int, np.ndarray, np.ndarray], seed: int
) -> None:
    m, n, lo, hi = problem
    r = smaa(names("O", m), names("C", n), lo, None, hi, samples=200, seed=seed)
    np.testing.assert_allclose(r.rank_acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(r.rank_acceptability.sum(axis=0), 1.0)
    assert ((r.winning + r.winning.T) <= 1.0 + 1e-12).all()
    assert ((r.holistic >= -1e-12) & (r.holistic <= 1 + 1e-12)).all()
    first = r.rank_acceptability[:, 0] > 0
    np.testing.assert_allclose(r.central_weights[first].sum(axis=1), 1.0)
    assert np.isnan(r.central_weights[~first]).all()


@settings(max_examples=40, deadline=None)
@given(problems(), st.randoms(use_true_random=False), st.integers(0, 2**16))
def test_permuting_options_permutes_results(
    problem: tuple[int, int, np.ndarray, np.ndarray], rnd: object, seed: int
) -> None:
    m, n, values, _ = problem  # exact judgements: the value draws do not depend on order
    perm = list(range(m))
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    opts = names("O", m)
    base = smaa(opts, names("C", n), values, samples=200, seed=seed)
    moved = smaa(tuple(opts[i] for i in perm), names("C", n), values[perm], samples=200, seed=seed)
    np.testing.assert_allclose(moved.rank_acceptability, base.rank_acceptability[perm])
    np.testing.assert_allclose(moved.central_weights, base.central_weights[perm])
    np.testing.assert_allclose(moved.confidence, base.confidence[perm])
    np.testing.assert_allclose(moved.winning, base.winning[np.ix_(perm, perm)])
    np.testing.assert_allclose(moved.holistic, base.holistic[perm])


@settings(max_examples=40, deadline=None)
@given(
    problems(),
    st.lists(st.integers(0, 3), min_size=4, max_size=4),
    st.integers(0, 3),
    st.integers(0, 2**16),
)
def test_dominated_option_never_ranks_above_its_dominator(
    problem: tuple[int, int, np.ndarray, np.ndarray],
    drops: list[int],
    strict: int,
    seed: int,
) -> None:
    m, n, values, _ = problem
    # Add option D = option 0 lowered on every criterion (strictly on one).
    gap = np.array(drops[:n], dtype=np.float64)
    gap[strict % n] = max(gap[strict % n], 1.0)
    dominated = np.maximum(values[0] - gap, -3.0)
    if np.array_equal(dominated, values[0]):  # already at the bottom: raise option 0 instead
        return
    x = np.vstack([values, dominated])
    opts = (*names("O", m), "D")
    assert ("O0", "D") in dominance(opts, x)
    r = smaa(opts, names("C", n), x, samples=300, seed=seed)
    assert r.winning[m, 0] == 0.0  # D is never strictly better than O0
    # In rank terms: D's chance of reaching the top r ranks never exceeds O0's.
    cum = np.cumsum(r.rank_acceptability, axis=1)
    assert (cum[m] <= cum[0] + 1e-12).all()


def test_many_chunks_give_consistent_indices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small chunks (values re-drawn for the confidence pass) still agree with the theory."""
    monkeypatch.setattr(smaa_module, "_CHUNK_CELLS", 40)  # 10 samples per chunk
    r = smaa(AB, XY, [[3.0, -3.0], [-3.0, 3.0]], None, [[3.0, -2.0], [-2.0, 3.0]], seed=9)
    again = smaa(AB, XY, [[3.0, -3.0], [-3.0, 3.0]], None, [[3.0, -2.0], [-2.0, 3.0]], seed=9)
    np.testing.assert_array_equal(r.confidence, again.confidence)
    np.testing.assert_allclose(r.rank_acceptability.sum(axis=0), 1.0)
    assert r.rank_acceptability[0, 0] == pytest.approx(0.5, abs=0.03)
    assert ((r.confidence > 0.9) & (r.confidence <= 1.0)).all()


# --------------------------------------------------------------------------- two-level grid


def test_grid_with_one_column_is_the_flat_analysis() -> None:
    """``smaa`` and ``smaa_grid`` share one code path: one column = the flat case, same seed."""
    rng = np.random.default_rng(4)
    lo = rng.uniform(-3, 0, (3, 4))
    hi = lo + rng.uniform(0, 3, (3, 4))
    flat = smaa(XYZ, ("a", "b", "c", "d"), lo, None, hi, samples=2_000, seed=8)
    grid = smaa_grid(
        XYZ, ("a", "b", "c", "d"), ("all",), lo[:, :, None], None, hi[:, :, None],
        samples=2_000, seed=8,
    )  # fmt: skip
    np.testing.assert_array_equal(flat.rank_acceptability, grid.rank_acceptability)
    np.testing.assert_array_equal(flat.central_weights, grid.central_rows)
    np.testing.assert_array_equal(flat.confidence, grid.confidence)
    assert (grid.central_cols[~np.isnan(grid.central_cols)] == 1.0).all()


def test_grid_fixed_weights_and_validation() -> None:
    v = np.array([[[3.0, -3.0]], [[-3.0, 3.0]]])  # 2 options × 1 row × 2 columns
    r = smaa_grid(AB, ("r",), XY, v, col_weights=[3, 1], samples=100, seed=1)
    np.testing.assert_allclose(r.rank_acceptability, [[1, 0], [0, 1]])
    assert r.group_winning is None and r.utilities is None
    r = smaa_grid(AB, ("r",), XY, v, samples=100, seed=1, keep_utilities=True, group_winning=True)
    assert r.utilities is not None and r.utilities.shape == (100, 2)
    assert r.group_winning is not None and r.group_winning.shape == (2, 2, 2)
    np.testing.assert_allclose(r.group_winning[0], [[0, 1], [0, 0]])  # column x: A wins
    with pytest.raises(ValueError, match="shape"):
        smaa_grid(AB, ("r",), XY, v[:, :, :1])
    with pytest.raises(ValueError, match="columns: give either"):
        smaa_grid(AB, ("r",), XY, v, col_weights=[1, 1], col_ordinal=[("x", "y")])
    with pytest.raises(ValueError, match="cycle"):
        smaa_grid(AB, ("r",), XY, v, col_ordinal=[("x", "y"), ("y", "x")])


def test_triangular_sampler_stein_keblis_moments() -> None:
    """(1 − c)·min(U₁, U₂) + c·max(U₁, U₂) is triangular(0, c, 1) (Stein & Keblis 2009).

    On [a, b] with mode m: mean (a + m + b)/3, variance (a² + b² + m² − ab − am − bm)/18,
    P(X ≤ m) = (m − a)/(b − a).
    """
    a, m, b = -2.0, 1.0, 3.0
    lo, md, hi = np.array([[a]]), np.array([[m]]), np.array([[b]])
    x = smaa_module._sample_values(np.random.default_rng(0), 400_000, lo, md, hi, "triangular")
    x = x[:, 0, 0]
    assert x.min() >= a and x.max() <= b
    assert x.mean() == pytest.approx((a + m + b) / 3, abs=0.01)
    var = (a * a + b * b + m * m - a * b - a * m - b * m) / 18
    assert x.var() == pytest.approx(var, rel=0.01)
    assert (x <= m).mean() == pytest.approx((m - a) / (b - a), abs=0.005)
    u = smaa_module._sample_values(np.random.default_rng(0), 200_000, lo, md, hi, "uniform")
    assert u[:, 0, 0].mean() == pytest.approx(0.5, abs=0.01)
    assert u[:, 0, 0].var() == pytest.approx(25 / 12, rel=0.01)


def test_point_judgements_are_sampled_exactly() -> None:
    lo = np.array([[-3.0, 0.0, 1.5]])
    x = smaa_module._sample_values(np.random.default_rng(0), 50, lo, lo, lo, "triangular")
    assert (x == lo).all()
