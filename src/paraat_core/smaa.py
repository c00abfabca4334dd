"""SMAA-2: robustness of an impact ladder without pretending to weigh.

Stochastic multicriteria acceptability analysis (SMAA-2) after Lahdelma, R. &
Salminen, P. (2001), "SMAA-2: Stochastic multicriteria acceptability analysis
for group decision making", *Operations Research* 49(3), 444–454.  Instead of
asking a committee for one set of weights, SMAA-2 looks at *all* weights (and
at the uncertainty in the judgements) and reports how often each option comes
out where.  The reasoning is in ``docs/methodology/smaa.md``; this docstring
gives the formulas.

Input
-----
``m`` options (e.g. the measures on the ladder, including the zero option)
and ``n`` criteria (e.g. domain × group cells).  Each cell ``(i, k)`` holds a
judgement of the option's societal burden or benefit on the **judgement
scale** ``[s_lo, s_hi]`` (default −3 … +3: −3 large negative effect, 0 no
effect, +3 large positive effect), so **higher = better = less burden**.  The
judgement is given as ``low ≤ mode ≤ high`` (arrays options × criteria) and
sampled from

* ``triangular`` (default): the triangular distribution on ``[low, high]``
  with peak ``mode`` (``mode`` omitted = the midpoint); a point value when
  ``low == high``;
* ``uniform``: uniform on ``[low, high]`` (``mode`` is ignored).

Unknown cells (NaN in ``low``, ``mode`` and ``high``) are sampled
**uniformly over the full scale** ``[s_lo, s_hi]``: "we do not know" is
treated as "anything on the scale is possible", which widens the results
instead of silently treating the cell as "no effect".

Value and utility
-----------------
Each sampled judgement ``x`` is normalised over the scale,
``v = (x − s_lo) / (s_hi − s_lo)`` ∈ [0, 1], and an option's utility under
weights ``w`` (``w_k ≥ 0``, ``Σ w_k = 1``) is the weighted sum
``u_i(w) = Σ_k w_k v_ik``.

Weights
-------
Without preference information the weights are uniform on the simplex
(Dirichlet(1, …, 1), drawn as normalised standard exponentials).  Ordinal
constraints ``(i, j)`` mean ``w_i ≥ w_j``; they are imposed by **rejection
sampling** (draws violating any constraint are discarded), which keeps the
distribution uniform on the constrained region.  When fewer than
``MIN_ACCEPTANCE`` (0.1 %) of the draws are accepted a ValueError says so.
With explicit ``weights`` every sample uses those fixed weights (the
"explicit weights" view): only the judgement uncertainty remains.

Ranks and ties
--------------
In each sample the options are ranked by utility, rank 1 = highest utility =
least burden.  Utilities within ``TIE_TOLERANCE`` of each other are tied; a
tie of ``g`` options over ranks ``r … r+g−1`` gives each of them ``1/g`` of
each of those ranks, so every sample distributes exactly one unit per option
and one unit per rank, and the results do not depend on the option order.

Outputs (over ``S`` samples)
----------------------------
* rank acceptability ``b_i^r`` = share of samples in which option ``i`` takes
  rank ``r`` (rows and columns sum to 1);
* central weight vector ``w_i^c`` = mean weight vector over the samples in
  which ``i`` ranks first (weighted by its rank-1 share; NaN when never first);
* confidence factor ``p_i^c`` = share of the judgement samples in which ``i``
  ranks first when the weights are fixed at ``w_i^c`` (NaN when never first);
* pairwise winning index ``c_ij`` = share of samples with ``u_i > u_j``
  (strictly, beyond the tie tolerance; ``c_ij + c_ji = 1 − P(tie)``);
* holistic acceptability ``a_i = Σ_r α_r b_i^r`` with meta-weights
  ``1 = α_1 ≥ … ≥ α_m ≥ 0``: ``linear`` (default) ``α_r = (m − r)/(m − 1)``;
  ``inverse`` ``α_r = 1/r``; ``centroid`` ``α_r = Σ_{q≥r} 1/q / Σ_q 1/q``.

Worked example (2 options × 2 criteria, exact judgements, no constraints)
-------------------------------------------------------------------------
A = (+3, −3), B = (−3, +3), so ``v_A = (1, 0)`` and ``v_B = (0, 1)``.  With
``w = (t, 1 − t)`` and ``t ~ U(0, 1)`` (Dirichlet(1, 1)): ``u_A = t``,
``u_B = 1 − t``, so A is first iff ``t > ½``: ``b_A^1 = b_B^1 = ½``.  The
central weights are ``E[w | t > ½] = (¾, ¼)`` for A and ``(¼, ¾)`` for B;
under ``(¾, ¼)`` A scores ¾ against ¼, so both confidence factors are 1.
Winning indices ``c_AB = c_BA = ½``; linear meta-weights ``(1, 0)`` give
``a_A = a_B = ½``.  With the constraint ``w_1 ≥ w_2``: ``t ~ U(½, 1)``, so A
is always first (``b_A^1 = 1``, central weights of A ``(¾, ¼)``, B's NaN).

Performance
-----------
Everything is vectorised over the samples (batched matrix products, in
chunks of at most ``_CHUNK_CELLS`` sampled cells); 10,000 samples × 5
options × 60 criteria take about 0.08 s on a development laptop (see
``benchmark``; ``tests/core/test_smaa.py`` asserts < 1 s).  Value samples are
drawn per chunk from seeds spawned off ``seed``, so a seed reproduces the
results exactly (for this chunk size); with more than one chunk the value
samples are drawn again, from the same seeds, for the confidence factors.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.intp]

DISTRIBUTIONS: Final[tuple[str, ...]] = ("triangular", "uniform")
META_WEIGHTS: Final[tuple[str, ...]] = ("linear", "inverse", "centroid")
DEFAULT_SCALE: Final = (-3.0, 3.0)
"""The judgement scale: −3 large negative … 0 none … +3 large positive effect."""
DEFAULT_SAMPLES: Final = 10_000
MIN_ACCEPTANCE: Final = 1e-3
"""Lowest share of weight draws the ordinal constraints may accept."""
TIE_TOLERANCE: Final = 1e-12
"""Utilities (in [0, 1]) closer than this are tied."""

_CHUNK_CELLS: Final = 4_000_000  # samples × options × criteria per chunk (32 MB)
_PILOT_DRAWS: Final = 10_000


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class SmaaResult:
    """SMAA-2 indices of one analysis; arrays are aligned with ``options``.

    ``rank_acceptability[i, r]`` is ``b_i^{r+1}`` (column 0 = rank 1 = least
    burden), ``central_weights[i]`` aligned with ``criteria`` (NaN row when
    option ``i`` never ranks first), ``confidence[i]`` the confidence factor
    (NaN when never first), ``winning[i, j]`` = P(``i`` strictly better than
    ``j``), ``holistic[i]`` the holistic acceptability index with
    ``meta_weights``.  ``acceptance`` is the share of weight draws kept by the
    ordinal constraints (1.0 without constraints).
    """

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    rank_acceptability: FloatArray
    central_weights: FloatArray
    confidence: FloatArray
    winning: FloatArray
    holistic: FloatArray
    meta_weights: FloatArray
    samples: int
    seed: int | None
    distribution: str
    meta: str
    acceptance: float
    fixed_weights: FloatArray | None = field(default=None, repr=False)

    def acceptability(self, option: str) -> dict[int, float]:
        """``{rank: b}`` for one option (rank 1 = least burden)."""
        i = _index(self.options, option, "option")
        return {r + 1: float(b) for r, b in enumerate(self.rank_acceptability[i])}

    def ranked(self) -> list[tuple[str, float]]:
        """Options by holistic acceptability, highest first (stable on ties)."""
        rows = [(o, float(a)) for o, a in zip(self.options, self.holistic, strict=True)]
        rows.sort(key=lambda item: -item[1])
        return rows


@dataclass(frozen=True, slots=True)
class ExplicitRanking:
    """A ranking under explicit weights, with every option's parts.

    ``contributions[i, k] = w_k · v_ik`` (normalised value times weight) sums
    over ``k`` to ``utility[i]``; ``ranks[i]`` is 1 + the number of options
    with a strictly higher utility (beyond ``TIE_TOLERANCE``), ``order`` the
    option names best first (stable on ties).
    """

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    weights: FloatArray
    contributions: FloatArray
    utility: FloatArray
    ranks: IntArray
    order: tuple[str, ...]

    def explain(self, option: str) -> list[tuple[str, float]]:
        """One option's contributions per criterion, largest first."""
        i = _index(self.options, option, "option")
        rows = [(c, float(x)) for c, x in zip(self.criteria, self.contributions[i], strict=True)]
        rows.sort(key=lambda item: -item[1])
        return rows


# --------------------------------------------------------------------------- validation


def _index(names: tuple[str, ...], name: str, what: str) -> int:
    try:
        return names.index(name)
    except ValueError:
        raise ValueError(f"unknown {what} {name!r}") from None


def _names(names: Sequence[str], what: str) -> tuple[str, ...]:
    out = tuple(names)
    if not out:
        raise ValueError(f"{what}: at least one is needed")
    seen: set[str] = set()
    for name in out:
        if not isinstance(name, str) or not name:
            raise ValueError(f"{what}: every name must be a non-empty string, got {name!r}")
        if name in seen:
            raise ValueError(f"{what}: {name!r} appears more than once")
        seen.add(name)
    return out


def _check_choice(kind: str, name: object, allowed: Sequence[str]) -> str:
    if not isinstance(name, str) or name not in allowed:
        raise ValueError(f"unknown {kind} {name!r}: choose one of {', '.join(allowed)}")
    return name


def _scale(scale: tuple[float, float]) -> tuple[float, float]:
    try:
        lo, hi = (float(s) for s in scale)
    except (TypeError, ValueError):
        raise ValueError(f"scale must be a pair (lowest, highest), got {scale!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"scale must be finite with lowest < highest, got {scale!r}")
    return lo, hi


def _matrix(
    values: ArrayLike, name: str, options: tuple[str, ...], criteria: tuple[str, ...]
) -> FloatArray:
    try:
        x = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric matrix (options × criteria): {exc}") from None
    if x.ndim == 1 and len(criteria) == 1 and x.shape[0] == len(options):
        x = x[:, None]
    shape = (len(options), len(criteria))
    if x.shape != shape:
        raise ValueError(
            f"{name} must have shape {shape} ({len(options)} options × "
            f"{len(criteria)} criteria), got {x.shape}"
        )
    if np.isinf(x).any():
        i, k = np.argwhere(np.isinf(x))[0]
        raise ValueError(
            f"{name}: infinite value for option {options[i]!r}, criterion {criteria[k]!r}"
        )
    return x


def _judgements(
    options: tuple[str, ...],
    criteria: tuple[str, ...],
    low: ArrayLike,
    mode: ArrayLike | None,
    high: ArrayLike | None,
    scale: tuple[float, float],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Validated ``low, mode, high`` with unknown cells set to the full scale (mode NaN)."""
    s_lo, s_hi = scale
    lo = _matrix(low, "low", options, criteria)
    hi = lo.copy() if high is None else _matrix(high, "high", options, criteria)
    md = (lo + hi) / 2.0 if mode is None else _matrix(mode, "mode", options, criteria)
    nan = np.isnan(lo), np.isnan(md), np.isnan(hi)
    partial = (nan[0] | nan[1] | nan[2]) & ~(nan[0] & nan[1] & nan[2])
    if partial.any():
        i, k = np.argwhere(partial)[0]
        raise ValueError(
            f"option {options[i]!r}, criterion {criteria[k]!r}: low, mode and high must be "
            "all known or all NaN (unknown)"
        )
    known = ~nan[0]
    for what, bad in (
        ("low <= mode <= high", known & ((lo > md) | (md > hi))),
        (f"values within the scale [{s_lo:g}, {s_hi:g}]", known & ((lo < s_lo) | (hi > s_hi))),
    ):
        if bad.any():
            i, k = np.argwhere(bad)[0]
            raise ValueError(
                f"option {options[i]!r}, criterion {criteria[k]!r}: need {what}, got "
                f"low={lo[i, k]:g}, mode={md[i, k]:g}, high={hi[i, k]:g}"
            )
    lo = np.where(known, lo, s_lo)
    hi = np.where(known, hi, s_hi)
    return lo, md, hi  # mode stays NaN for unknown cells: sampled uniformly


def _constraints(
    ordinal: Sequence[tuple[int | str, int | str]], criteria: tuple[str, ...]
) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    for pair in ordinal:
        try:
            a, b = pair
        except (TypeError, ValueError):
            raise ValueError(
                f"ordinal: each constraint must be a pair (i, j), got {pair!r}"
            ) from None
        idx: list[int] = []
        for c in (a, b):
            if isinstance(c, str):
                idx.append(_index(criteria, c, "criterion in ordinal constraint"))
            elif isinstance(c, int | np.integer) and not isinstance(c, bool):
                if not 0 <= int(c) < len(criteria):
                    raise ValueError(
                        f"ordinal: criterion {int(c)} out of range (0..{len(criteria) - 1})"
                    )
                idx.append(int(c))
            else:
                raise ValueError(f"ordinal: criterion must be a name or index, got {c!r}")
        if idx[0] == idx[1]:
            raise ValueError(f"ordinal: constraint {pair!r} compares a criterion with itself")
        pairs.append((idx[0], idx[1]))
    # A cycle w_a >= w_b >= ... >= w_a forces equal weights: zero volume, rejection fails.
    graph: dict[int, set[int]] = {}
    for a, b in pairs:
        graph.setdefault(a, set()).add(b)
    state: dict[int, int] = {}

    def visit(node: int) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                raise ValueError(
                    f"ordinal: constraints form a cycle through criterion {criteria[nxt]!r}; "
                    "that forces equal weights, which sampling cannot represent"
                )
            if nxt not in state:
                visit(nxt)
        state[node] = 2

    for node in list(graph):
        if node not in state:
            visit(node)
    return pairs


def _fixed(weights: ArrayLike, criteria: tuple[str, ...]) -> FloatArray:
    try:
        w = np.array(weights, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"weights must be numbers, one per criterion: {exc}") from None
    if w.shape[0] != len(criteria):
        raise ValueError(f"weights has {w.shape[0]} values for {len(criteria)} criteria")
    for c, wk in zip(criteria, w, strict=True):
        if not math.isfinite(wk) or wk < 0:
            raise ValueError(f"weight of criterion {c!r} must be finite and non-negative, got {wk}")
    if w.sum() <= 0:
        raise ValueError("weights: all weights are zero; at least one must be positive")
    out: FloatArray = w / w.sum()
    return out


# --------------------------------------------------------------------------- sampling


def _simplex(rng: np.random.Generator, size: int, n: int) -> FloatArray:
    e = rng.standard_exponential((size, n))
    out: FloatArray = e / e.sum(axis=1, keepdims=True)
    return out


def _sample_weights(
    rng: np.random.Generator, samples: int, n: int, pairs: list[tuple[int, int]]
) -> tuple[FloatArray, float]:
    if not pairs:
        return _simplex(rng, samples, n), 1.0
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    kept: list[FloatArray] = []
    have = drawn = 0
    limit = max(math.ceil(samples / MIN_ACCEPTANCE), _PILOT_DRAWS)
    batch = max(samples, _PILOT_DRAWS)
    while have < samples:
        w = _simplex(rng, batch, n)
        ok = (w[:, a] >= w[:, b]).all(axis=1)
        drawn += batch
        have += int(ok.sum())
        kept.append(w[ok])
        rate = have / drawn
        if rate < MIN_ACCEPTANCE or (have < samples and drawn >= limit):
            raise ValueError(
                f"ordinal: the constraints accept only {rate:.4%} of the weight draws "
                f"(minimum {MIN_ACCEPTANCE:.1%}); use fewer constraints or explicit weights"
            )
        need = samples - have
        batch = min(max(math.ceil(1.2 * need / rate), 1_000), limit)
    return np.concatenate(kept)[:samples], have / drawn


def _sample_values(
    rng: np.random.Generator,
    size: int,
    lo: FloatArray,
    md: FloatArray,
    hi: FloatArray,
    distribution: str,
) -> FloatArray:
    """``size`` samples of the judgements (size × options × criteria), not yet normalised."""
    u = rng.random((size, *lo.shape))
    width = hi - lo
    if distribution == "uniform":
        out: FloatArray = lo + u * width
        return out
    # Inverse CDF of the triangular distribution (one sqrt per cell):
    # x = lo + sqrt(u (hi - lo)(mode - lo)) for u < c, else hi - sqrt((1 - u)(hi - lo)(hi - mode)),
    # with c = (mode - lo) / (hi - lo).  Unknown cells (mode NaN) are sampled uniformly.
    unknown = np.isnan(md)
    mode = np.where(unknown, lo, md)
    left_area = width * (mode - lo)
    right_area = width * (hi - mode)
    c = np.divide(mode - lo, width, out=np.zeros_like(width), where=width > 0)
    is_left = u < c
    root = np.sqrt(np.where(is_left, u * left_area, (1.0 - u) * right_area))
    out = np.where(is_left, lo + root, hi - root)
    if unknown.any():
        out[:, unknown] = lo[unknown] + u[:, unknown] * width[unknown]
    return out


def _rank_shares(util: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per sample and option: ``(greater, ties)`` counts (ties include the option itself)."""
    diff = util[:, None, :] - util[:, :, None]  # [s, i, j] = u_j - u_i
    greater = (diff > TIE_TOLERANCE).sum(axis=2).astype(np.float64)
    ties = (np.abs(diff) <= TIE_TOLERANCE).sum(axis=2).astype(np.float64)
    return greater, ties


def _rank_counts(greater: FloatArray, ties: FloatArray, m: int) -> FloatArray:
    """Sum over samples of each option's (fractional) share of each rank: m × m."""
    counts = np.zeros((m, m))
    opt = np.broadcast_to(np.arange(m), greater.shape)
    g = greater.astype(np.intp)
    t = ties.astype(np.intp)
    share = 1.0 / ties
    for d in range(m):
        sel = t > d
        if not sel.any():
            break
        counts += np.bincount(
            opt[sel] * m + g[sel] + d, weights=share[sel], minlength=m * m
        ).reshape(m, m)
    return counts


def _meta_weights(meta: str, m: int) -> FloatArray:
    r = np.arange(1, m + 1, dtype=np.float64)
    if meta == "linear":
        out: FloatArray = np.ones(1) if m == 1 else (m - r) / (m - 1)
    elif meta == "inverse":
        out = 1.0 / r
    else:
        tail = np.cumsum((1.0 / r)[::-1])[::-1]
        out = tail / tail[0]
    return out


# --------------------------------------------------------------------------- facade


def smaa(
    options: Sequence[str],
    criteria: Sequence[str],
    low: ArrayLike,
    mode: ArrayLike | None = None,
    high: ArrayLike | None = None,
    *,
    scale: tuple[float, float] = DEFAULT_SCALE,
    distribution: str = "triangular",
    ordinal: Sequence[tuple[int | str, int | str]] = (),
    weights: ArrayLike | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    meta: str = "linear",
) -> SmaaResult:
    """Run SMAA-2 on judgements ``low ≤ mode ≤ high`` (options × criteria).

    ``high`` omitted = ``low`` (point judgements); ``mode`` omitted = the
    midpoint.  ``ordinal`` pairs ``(i, j)`` (criterion names or indices) mean
    ``w_i ≥ w_j``; ``weights`` fixes the weights instead (cannot be combined
    with ``ordinal``).  See the module docstring for the formulas.
    """
    opts = _names(options, "options")
    crits = _names(criteria, "criteria")
    s_lo, s_hi = _scale(scale)
    _check_choice("distribution", distribution, DISTRIBUTIONS)
    _check_choice("meta-weights", meta, META_WEIGHTS)
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise ValueError(f"samples must be a positive whole number, got {samples!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise ValueError(f"seed must be a whole number or None, got {seed!r}")
    lo, md, hi = _judgements(opts, crits, low, mode, high, (s_lo, s_hi))
    pairs = _constraints(ordinal, crits)
    fixed = None if weights is None else _fixed(weights, crits)
    if fixed is not None and pairs:
        raise ValueError("give either explicit weights or ordinal constraints, not both")

    m, n = len(opts), len(crits)
    s_count = int(samples)
    root = np.random.SeedSequence(seed)
    weight_seq, value_seq = root.spawn(2)
    if fixed is None:
        w_all, acceptance = _sample_weights(np.random.default_rng(weight_seq), s_count, n, pairs)
    else:
        w_all, acceptance = np.broadcast_to(fixed, (s_count, n)), 1.0

    chunk = max(1, _CHUNK_CELLS // (m * n))
    starts = list(range(0, s_count, chunk))
    chunk_seeds = value_seq.spawn(len(starts))
    span = s_hi - s_lo

    cache: dict[int, FloatArray] = {}

    def values(c: int) -> FloatArray:
        if c in cache:  # one chunk: keep its samples for the confidence pass
            return cache[c]
        size = min(chunk, s_count - starts[c])
        x = _sample_values(np.random.default_rng(chunk_seeds[c]), size, lo, md, hi, distribution)
        v: FloatArray = (x - s_lo) / span
        if len(starts) == 1:
            cache[c] = v
        return v

    counts = np.zeros((m, m))
    wins = np.zeros((m, m))
    first_weight = np.zeros((m, n))
    for c, start in enumerate(starts):
        v = values(c)
        w = w_all[start : start + v.shape[0]]
        util = np.matmul(v, w[:, :, None])[:, :, 0]
        greater, ties = _rank_shares(util)
        counts += _rank_counts(greater, ties, m)
        wins += (util[:, :, None] - util[:, None, :] > TIE_TOLERANCE).sum(axis=0)
        first = np.where(greater == 0, 1.0 / ties, 0.0)  # rank-1 share per sample × option
        first_weight += first.T @ w

    b = counts / s_count
    first_total = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(first_total[:, None] > 0, first_weight / first_total[:, None], np.nan)

    confidence = np.full(m, np.nan)
    ever_first = np.flatnonzero(first_total > 0)
    if ever_first.size:
        hits = np.zeros(m)
        wc = central[ever_first].T  # n × (options ever first)
        for c in range(len(starts)):
            v = values(c)
            util_c = v @ wc  # samples × m options × candidates
            for col, i in enumerate(ever_first):
                u = util_c[:, :, col]
                top = u.max(axis=1, keepdims=True)
                at_top = u >= top - TIE_TOLERANCE
                alone = at_top[:, i] / at_top.sum(axis=1)
                hits[i] += float(alone.sum())
        confidence[ever_first] = hits[ever_first] / s_count

    alpha = _meta_weights(meta, m)
    return SmaaResult(
        options=opts,
        criteria=crits,
        rank_acceptability=b,
        central_weights=central,
        confidence=confidence,
        winning=wins / s_count,
        holistic=b @ alpha,
        meta_weights=alpha,
        samples=s_count,
        seed=None if seed is None else int(seed),
        distribution=distribution,
        meta=meta,
        acceptance=acceptance,
        fixed_weights=fixed,
    )


def dominance(
    options: Sequence[str], low: ArrayLike, high: ArrayLike | None = None
) -> tuple[tuple[str, str], ...]:
    """All pairs ``(A, B)`` in which option A dominates option B.

    Point values (``high`` omitted): A dominates B when A is no worse on every
    criterion and strictly better on at least one (higher = better).
    Intervals: A *certainly* dominates B when ``low_A ≥ high_B`` on every
    criterion and ``low_A > high_B`` on at least one.  A criterion with an
    unknown (NaN) value for A or B rules out dominance between them.  Pairs
    come in option order.
    """
    opts = _names(options, "options")
    crit = tuple(f"#{k}" for k in range(np.asarray(low).reshape(len(opts), -1).shape[1]))
    lo = _matrix(np.asarray(low, dtype=np.float64).reshape(len(opts), -1), "low", opts, crit)
    hi = lo if high is None else _matrix(high, "high", opts, crit)
    if ((lo > hi) & ~np.isnan(lo) & ~np.isnan(hi)).any():
        i, k = np.argwhere(lo > hi)[0]
        raise ValueError(f"option {opts[i]!r}, criterion {k}: low {lo[i, k]:g} > high {hi[i, k]:g}")
    no_worse = lo[:, None, :] >= hi[None, :, :]  # NaN compares False
    better = lo[:, None, :] > hi[None, :, :]
    dom: NDArray[np.bool_] = np.asarray(no_worse.all(axis=2) & better.any(axis=2), dtype=bool)
    np.fill_diagonal(dom, False)
    return tuple((opts[a], opts[b]) for a, b in np.argwhere(dom))


def explicit_ranking(
    options: Sequence[str],
    criteria: Sequence[str],
    values: ArrayLike,
    weights: ArrayLike,
    *,
    scale: tuple[float, float] = DEFAULT_SCALE,
) -> ExplicitRanking:
    """Rank options by ``Σ_k w_k v_ik`` under explicit weights, with the parts.

    ``values`` are point judgements on ``scale`` (options × criteria; no NaN:
    an unknown cell has no defensible contribution, use ``smaa`` for those),
    ``weights`` one non-negative number per criterion (normalised to sum 1).
    """
    opts = _names(options, "options")
    crits = _names(criteria, "criteria")
    s_lo, s_hi = _scale(scale)
    x = _matrix(values, "values", opts, crits)
    if np.isnan(x).any():
        i, k = np.argwhere(np.isnan(x))[0]
        raise ValueError(
            f"values: option {opts[i]!r}, criterion {crits[k]!r} is unknown (NaN); an explicit "
            "ranking needs every value (use smaa() for unknown cells)"
        )
    if ((x < s_lo) | (x > s_hi)).any():
        i, k = np.argwhere((x < s_lo) | (x > s_hi))[0]
        raise ValueError(
            f"values: option {opts[i]!r}, criterion {crits[k]!r} = {x[i, k]:g} is outside "
            f"the scale [{s_lo:g}, {s_hi:g}]"
        )
    w = _fixed(weights, crits)
    parts: FloatArray = w * (x - s_lo) / (s_hi - s_lo)
    util: FloatArray = parts.sum(axis=1)
    ranks: IntArray = 1 + (util[None, :] - util[:, None] > TIE_TOLERANCE).sum(axis=1)
    order = tuple(opts[i] for i in np.argsort(ranks, kind="stable"))
    return ExplicitRanking(
        options=opts,
        criteria=crits,
        weights=w,
        contributions=parts,
        utility=util,
        ranks=ranks,
        order=order,
    )


# --------------------------------------------------------------------------- benchmark


def benchmark(
    *, samples: int = 10_000, options: int = 5, criteria: int = 60, seed: int = 0, repeat: int = 3
) -> dict[str, float]:
    """Best-of-``repeat`` wall time of ``smaa`` on random interval judgements."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(-3.0, 3.0, size=(options, criteria))
    b = rng.uniform(-3.0, 3.0, size=(options, criteria))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    md = lo + rng.random(lo.shape) * (hi - lo)
    opts = [f"O{i}" for i in range(options)]
    crits = [f"C{k}" for k in range(criteria)]
    best = math.inf
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        smaa(opts, crits, lo, md, hi, samples=samples, seed=seed)
        best = min(best, time.perf_counter() - t0)
    return {
        "seconds": best,
        "samples": float(samples),
        "options": float(options),
        "criteria": float(criteria),
    }
