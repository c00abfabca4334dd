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
  ``low == high`` (drawn as described under *Sampling*);
* ``uniform``: uniform on ``[low, high]`` (``mode`` is ignored).

Unknown cells (NaN in ``low``, ``mode`` and ``high``) are sampled
**uniformly over the full scale** ``[s_lo, s_hi]``: "we do not know" is
treated as "anything on the scale is possible", which widens the results
instead of silently treating the cell as "no effect".  A cell with a known
range but no mode (``mode`` NaN, ``low``/``high`` given) is sampled uniformly
on that range: an unknown effect of known reach (see ``paraat_core.assessment``).

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

Empirical weight distribution
-----------------------------
``weight_distribution`` (``smaa``) or ``row_weight_distribution`` /
``col_weight_distribution`` (``smaa_grid``) give a finite set of ``K`` weight
vectors ``W_1 … W_K`` (a K × n matrix; each row is normalised to sum 1), e.g.
the rank-order-centroid weights of the ``K`` participants of a citizens'
dilemma session (``paraat_core.panels``).  Sample ``s`` then uses the weight
vector ``W_{J_s}`` of a participant drawn uniformly **with replacement**,
``J_s ~ U{1, …, K}`` independently per sample (``Generator.integers`` on the
weight stream of ``seed``); the judgements are drawn exactly as without it.
The rank acceptabilities are then the share of (participant, judgement)
draws in which an option takes each rank: "under the weights of a randomly
chosen participant".  With ``K = 1`` this is the explicit-weights view with
that participant's weights (identical results for the same seed).  Cannot be
combined with ordinal constraints or fixed weights on the same level.
Worked example: the 2 × 2 example below with participants ``(1, 0)``,
``(1, 0)`` and ``(0, 1)`` gives ``b_A^1 = 2/3`` in expectation (A first exactly
when a participant of the first kind is drawn).

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

Two-level weights (``smaa_grid``)
---------------------------------
When the criteria are the cells of a grid (an assessment's domains × groups), the
cell weight is ``w_dg = a_d · b_g`` with ``a`` uniform on the row simplex and ``b``
uniform on the column simplex, each with its own ordinal constraints (or fixed).
Utilities, ranks and winning indices are as above; central weights are reported
per level (mean ``a`` and mean ``b`` over the samples in which ``i`` is first), the
confidence factor fixes the cell weights at their product, and the per-column
winning index compares ``q_ig = Σ_d a_d v_idg``.  ``smaa`` is the one-column case
of the same code path (``_run``).

Sampling
--------
Triangular judgements are drawn after Stein, W. E. & Keblis, M. F. (2009), "A new
method to simulate the triangular distribution", *Mathematical and Computer
Modelling* 49, 1143–1147: ``low + (high − low)·((1 − c)·min(U₁, U₂) + c·max(U₁, U₂))``
with ``c = (mode − low)/(high − low)``.  The uniforms are 16-bit
(``(k + ½)/65536``, four per 64-bit draw), a resolution of 1/65536 of a
judgement's range; point judgements are exact.

Performance
-----------
Everything is vectorised over the samples (batched matrix products, in
chunks of at most ``_CHUNK_CELLS`` sampled cells, small enough to stay in the
processor's cache), and the chunks run on up to ``_WORKERS`` threads (numpy
releases the GIL while it computes; per-chunk results are summed in chunk
order, so a seed reproduces the results exactly for this chunk size).
10,000 samples × 5 options × 60 criteria take a few hundredths of a second
(``benchmark``), 10,000 samples ×
12 options × 12 × 15 grid cells about 0.3 s on 2 cores (``paraat bench
assess``).  Value samples are drawn per chunk from seeds spawned off
``seed``; with more than one chunk they are drawn again, from the same seeds,
for the confidence factors (cheaper than keeping every sample in memory).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias, TypeVar

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

_CHUNK_CELLS: Final = 250_000  # samples × options × criteria per chunk (2 MB: stays in cache)
_PILOT_DRAWS: Final = 10_000
_U16: Final = 65536.0
_WORKERS: Final = max(1, min(4, os.cpu_count() or 1))
"""Threads for the chunks of one analysis (numpy releases the GIL while it computes)."""


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
    nan_lo, nan_md, nan_hi = np.isnan(lo), np.isnan(md), np.isnan(hi)
    partial = (nan_lo != nan_hi) | (nan_lo & ~nan_md)
    if partial.any():
        i, k = np.argwhere(partial)[0]
        raise ValueError(
            f"option {options[i]!r}, criterion {criteria[k]!r}: low and high must be both "
            "known or both NaN (unknown), and a mode needs its range"
        )
    known = ~nan_lo
    pointed = known & ~nan_md
    for what, bad in (
        ("low <= mode <= high", (pointed & ((lo > md) | (md > hi))) | (known & (lo > hi))),
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
    # mode NaN: sampled uniformly on [low, high] — the whole scale for unknown cells, a
    # bounded range for an unknown effect whose reach is known (``mode`` NaN, range given).
    return lo, md, hi


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


def _distribution(weights: ArrayLike, criteria: tuple[str, ...]) -> FloatArray:
    """A validated empirical weight distribution: K × n, rows normalised to sum 1."""
    try:
        w = np.array(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"weight distribution must be a numeric matrix: {exc}") from None
    if w.ndim == 1 and w.shape[0] == len(criteria):
        w = w[None, :]
    if w.ndim != 2 or w.shape[0] < 1 or w.shape[1] != len(criteria):
        raise ValueError(
            f"weight distribution must have shape (K, {len(criteria)}) with K >= 1 vectors, "
            f"got {w.shape}"
        )
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weight distribution: every weight must be finite and non-negative")
    sums = w.sum(axis=1)
    if (sums <= 0).any():
        row = int(np.argmax(sums <= 0))
        raise ValueError(f"weight distribution: vector {row} has only zero weights")
    out: FloatArray = w / sums[:, None]
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


@dataclass(frozen=True, slots=True)
class _Sampler:
    """Per-cell coefficients that turn uniform draws into *normalised* judgement samples.

    Triangular cells use Stein & Keblis (2009): with ``U₁, U₂ ~ U(0, 1)`` independent and
    ``c = (mode − low)/(high − low)``, ``low + (high − low)·((1 − c)·min(U₁, U₂) + c·max(U₁, U₂))``
    is triangular on ``[low, high]`` with peak ``mode`` (no square roots).  Uniform cells
    (``distribution="uniform"`` or unknown) use ``low + (high − low)·U₁``.  The uniforms are
    16-bit, ``U = (k + ½)/65536`` with ``k`` uniform on 0 … 65535 (four per 64-bit draw of the
    generator): a resolution of 1/65536 of a judgement's range, far below any judgement's
    precision, at a quarter of the random bits.  The coefficients are divided by the scale's
    span, so a sample is ``v`` ∈ [0, 1]; point judgements (``low == high``) are exact.
    """

    base: FloatArray  # normalised low, plus the ½/65536 offsets of the 16-bit uniforms
    w_min: NDArray[np.float32]
    w_max: NDArray[np.float32]
    w_uni: NDArray[np.float32]
    triangular: bool
    uniform: bool

    def draw(
        self, rng: np.random.Generator, size: int, work: dict[str, NDArray[Any]] | None = None
    ) -> FloatArray:
        """``size`` samples (size × cells), float64.

        ``work`` (a dict kept by the caller) reuses the buffers of the previous call with the
        same size: the result is then overwritten by the next call.
        """
        shape = (size, *self.base.shape)
        cells = math.prod(shape)
        k = 2 if self.triangular else 1
        raw = rng.bit_generator.random_raw((k * cells + 3) // 4)
        u = raw.view(np.uint16)[: k * cells].reshape(k, *shape)
        buf = {} if work is None else work
        if buf.get("out") is None or buf["out"].shape != shape:
            buf.update(
                out=np.empty(shape),
                step=np.empty(shape, dtype=np.float32),
                part=np.empty(shape, dtype=np.float32),
                lo16=np.empty(shape, dtype=np.uint16),
            )
        step, part, lo16, out = buf["step"], buf["part"], buf["lo16"], buf["out"]
        if self.triangular:
            np.minimum(u[0], u[1], out=lo16)
            np.multiply(lo16, self.w_min, out=step)
            np.maximum(u[0], u[1], out=lo16)
            np.multiply(lo16, self.w_max, out=part)
            step += part
            if self.uniform:
                np.multiply(u[0], self.w_uni, out=part)
                step += part
        else:
            np.multiply(u[0], self.w_uni, out=step)
        np.add(step, self.base, out=out)
        return out


def _sampler(
    lo: FloatArray, md: FloatArray, hi: FloatArray, distribution: str, scale: tuple[float, float]
) -> _Sampler:
    """Coefficients for ``_Sampler.draw`` (``md`` NaN = unknown cell, sampled uniformly)."""
    s_lo, s_hi = scale
    span = s_hi - s_lo
    width = hi - lo
    uniform = np.isnan(md) | (distribution == "uniform")
    c = np.divide(np.where(uniform, 0.0, md) - lo, width, out=np.zeros_like(width), where=width > 0)
    tri = np.where(uniform, 0.0, width / span)
    w_uni = np.where(uniform, width / span, 0.0)
    w_min, w_max = tri * (1.0 - c), tri * c
    half = 0.5 * (w_min + w_max + w_uni)  # U = (k + ½)/65536: the ½ goes into the base
    return _Sampler(
        base=(lo - s_lo) / span + half / _U16,
        w_min=(w_min / _U16).astype(np.float32),
        w_max=(w_max / _U16).astype(np.float32),
        w_uni=(w_uni / _U16).astype(np.float32),
        triangular=bool((tri > 0).any()),
        uniform=bool((w_uni > 0).any()),
    )


def _sample_values(
    rng: np.random.Generator,
    size: int,
    lo: FloatArray,
    md: FloatArray,
    hi: FloatArray,
    distribution: str,
    scale: tuple[float, float] = DEFAULT_SCALE,
) -> FloatArray:
    """``size`` samples of the judgements (size × options × criteria) on the judgement scale."""
    s_lo, s_hi = scale
    v = _sampler(lo, md, hi, distribution, scale).draw(rng, size)
    out: FloatArray = s_lo + v * (s_hi - s_lo)
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


_T = TypeVar("_T")


def _map_chunks(func: Callable[[int], _T], count: int) -> list[_T]:
    """``[func(0), …, func(count − 1)]``, on up to ``_WORKERS`` threads (numpy releases the
    GIL in its array work); results come back in chunk order, so sums stay reproducible."""
    workers = min(_WORKERS, count)
    if workers <= 1:
        return [func(c) for c in range(count)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, range(count)))


def _ordered_sum(parts: Sequence[NDArray[Any]]) -> FloatArray:
    total = np.zeros(parts[0].shape)
    for p in parts:
        total += p
    return total


# --------------------------------------------------------------------------- the engine


@dataclass(frozen=True, slots=True)
class GridResult:
    """SMAA-2 indices on a grid of criteria with two weight levels (rows × columns).

    The criteria of ``smaa_grid`` are the cells ``(d, g)`` of a ``D × G`` grid (for an
    assessment: domains × groups).  A cell's weight is ``a_d · b_g`` with ``a`` on the row
    simplex and ``b`` on the column simplex.  ``central_rows[i]`` / ``central_cols[i]`` are the
    mean ``a`` / ``b`` over the samples in which option ``i`` ranks first (NaN rows when never
    first); the confidence factor fixes the cell weights at their product.  ``group_winning``
    (when asked for) is ``[g, i, j]`` = P(``Σ_d a_d v_idg > Σ_d a_d v_jdg``), the winning index
    within column ``g`` with only the row weights applied.  ``utilities`` (when asked for) are
    the sampled utilities ``u_i`` ∈ [0, 1] (samples × options).
    """

    rank_acceptability: FloatArray
    central_rows: FloatArray
    central_cols: FloatArray
    confidence: FloatArray
    winning: FloatArray
    holistic: FloatArray
    meta_weights: FloatArray
    group_winning: FloatArray | None
    utilities: FloatArray | None
    acceptance: float
    samples: int


@dataclass(frozen=True, slots=True)
class _Level:
    size: int
    pairs: list[tuple[int, int]]
    fixed: FloatArray | None
    empirical: FloatArray | None = None  # K × size weight vectors, each summing to 1


def _level_weights(
    seq: np.random.SeedSequence, samples: int, level: _Level
) -> tuple[FloatArray, float]:
    if level.fixed is not None:
        return np.broadcast_to(level.fixed, (samples, level.size)), 1.0
    if level.empirical is not None:
        # one participant's vector per sample, drawn uniformly with replacement
        pick = np.random.default_rng(seq).integers(0, level.empirical.shape[0], size=samples)
        drawn: FloatArray = level.empirical[pick]
        return drawn, 1.0
    if level.size == 1:
        return np.ones((samples, 1)), 1.0
    return _sample_weights(np.random.default_rng(seq), samples, level.size, level.pairs)


def _run(
    lo: FloatArray,
    md: FloatArray,
    hi: FloatArray,
    *,
    rows: _Level,
    cols: _Level,
    scale: tuple[float, float],
    distribution: str,
    samples: int,
    seed: int | None,
    meta: str,
    keep_utilities: bool = False,
    group_winning: bool = False,
) -> GridResult:
    """One code path for flat (``cols.size == 1``) and two-level SMAA-2.

    ``lo, md, hi``: validated judgements, options × rows × columns, unknown cells already set to
    the whole scale with ``md`` NaN.
    """
    m, n_rows, n_cols = lo.shape
    n = n_rows * n_cols
    root = np.random.SeedSequence(seed)
    weight_seq, value_seq = root.spawn(2)
    row_seq, col_seq = weight_seq.spawn(2)
    a_all, acc_a = _level_weights(row_seq, samples, rows)
    b_all, acc_b = _level_weights(col_seq, samples, cols)

    sampler = _sampler(lo, md, hi, distribution, scale)
    chunk = max(1, _CHUNK_CELLS // (m * n))
    starts = list(range(0, samples, chunk))
    chunk_seeds = value_seq.spawn(len(starts))
    cache: dict[int, FloatArray] = {}
    local = threading.local()  # per-thread buffers, reused from chunk to chunk

    def values(c: int) -> FloatArray:
        """Chunk ``c``'s samples; the confidence pass draws them again from the same seed."""
        if c in cache:  # one chunk: keep its samples for the confidence pass
            return cache[c]
        size = min(chunk, samples - starts[c])
        if not hasattr(local, "work"):
            local.work = {}
        v = sampler.draw(np.random.default_rng(chunk_seeds[c]), size, local.work)
        if len(starts) == 1:
            cache[c] = v
        return v

    utilities = np.empty((samples, m)) if keep_utilities else None

    def chunk_stats(c: int) -> tuple[NDArray[Any], ...]:
        v = values(c)
        start = starts[c]
        size = v.shape[0]
        a = a_all[start : start + size]
        b = b_all[start : start + size]
        # per-column utility q[s, i, g] = Σ_d a_d v_idg, then u = Σ_g b_g q_ig
        q = np.matmul(a[:, None, None, :], v)[:, :, 0, :]
        util = np.matmul(q, b[:, :, None])[:, :, 0]
        if utilities is not None:
            utilities[start : start + size] = util
        greater, ties = _rank_shares(util)
        first = np.where(greater == 0, 1.0 / ties, 0.0)  # rank-1 share per sample × option
        out = [
            _rank_counts(greater, ties, m),
            np.add.reduce(
                util[:, :, None] - util[:, None, :] > TIE_TOLERANCE, axis=0, dtype=np.int32
            ),
            first.T @ a,
            first.T @ b,
        ]
        if group_winning:
            out.append(
                np.add.reduce(
                    q[:, :, None, :] - q[:, None, :, :] > TIE_TOLERANCE, axis=0, dtype=np.int32
                ).transpose(2, 0, 1)
            )
        return tuple(out)

    parts = _map_chunks(chunk_stats, len(starts))
    counts = _ordered_sum([p[0] for p in parts])
    wins = _ordered_sum([p[1] for p in parts]).astype(np.float64)
    first_a = _ordered_sum([p[2] for p in parts])
    first_b = _ordered_sum([p[3] for p in parts])
    g_wins = _ordered_sum([p[4] for p in parts]).astype(np.float64) if group_winning else None

    b_acc = counts / samples
    first_total = counts[:, 0]
    ever = first_total[:, None] > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        central_a = np.where(ever, first_a / first_total[:, None], np.nan)
        central_b = np.where(ever, first_b / first_total[:, None], np.nan)

    confidence = np.full(m, np.nan)
    ever_first = np.flatnonzero(first_total > 0)
    if ever_first.size:
        # cell weights under each candidate's central weights: n × candidates
        wc = (
            (central_a[ever_first][:, :, None] * central_b[ever_first][:, None, :])
            .reshape(ever_first.size, n)
            .T
        )
        cols_k = np.arange(ever_first.size)

        def chunk_hits(c: int) -> NDArray[Any]:
            v = values(c)
            util_c = v.reshape(v.shape[0], m, n) @ wc  # samples × options × candidates
            top = util_c.max(axis=1, keepdims=True)
            at_top = util_c >= top - TIE_TOLERANCE
            alone: NDArray[Any] = (at_top[:, ever_first, cols_k] / at_top.sum(axis=1)).sum(axis=0)
            return alone

        hits = _ordered_sum(_map_chunks(chunk_hits, len(starts)))
        confidence[ever_first] = hits / samples

    alpha = _meta_weights(meta, m)
    return GridResult(
        rank_acceptability=b_acc,
        central_rows=central_a,
        central_cols=central_b,
        confidence=confidence,
        winning=wins / samples,
        holistic=b_acc @ alpha,
        meta_weights=alpha,
        group_winning=None if g_wins is None else g_wins / samples,
        utilities=utilities,
        acceptance=acc_a * acc_b,
        samples=samples,
    )


def _check_run(samples: object, seed: object, distribution: str, meta: str) -> None:
    _check_choice("distribution", distribution, DISTRIBUTIONS)
    _check_choice("meta-weights", meta, META_WEIGHTS)
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise ValueError(f"samples must be a positive whole number, got {samples!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise ValueError(f"seed must be a whole number or None, got {seed!r}")


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
    weight_distribution: ArrayLike | None = None,
) -> SmaaResult:
    """Run SMAA-2 on judgements ``low ≤ mode ≤ high`` (options × criteria).

    ``high`` omitted = ``low`` (point judgements); ``mode`` omitted = the
    midpoint.  ``ordinal`` pairs ``(i, j)`` (criterion names or indices) mean
    ``w_i ≥ w_j``; ``weights`` fixes the weights instead (cannot be combined
    with ``ordinal``).  ``weight_distribution`` (K × criteria) draws every sample's weights
    from these K vectors instead (uniformly, with replacement).  See the module docstring for
    the formulas.
    """
    opts = _names(options, "options")
    crits = _names(criteria, "criteria")
    s_lo, s_hi = _scale(scale)
    _check_run(samples, seed, distribution, meta)
    lo, md, hi = _judgements(opts, crits, low, mode, high, (s_lo, s_hi))
    pairs = _constraints(ordinal, crits)
    fixed = None if weights is None else _fixed(weights, crits)
    if fixed is not None and pairs:
        raise ValueError("give either explicit weights or ordinal constraints, not both")
    empirical = None if weight_distribution is None else _distribution(weight_distribution, crits)
    if empirical is not None and (fixed is not None or pairs):
        raise ValueError(
            "give a weight distribution, explicit weights or ordinal constraints, not two of them"
        )
    r = _run(
        lo[:, :, None],
        md[:, :, None],
        hi[:, :, None],
        rows=_Level(len(crits), pairs, fixed, empirical),
        cols=_Level(1, [], None),
        scale=(s_lo, s_hi),
        distribution=distribution,
        samples=int(samples),
        seed=None if seed is None else int(seed),
        meta=meta,
    )
    return SmaaResult(
        options=opts,
        criteria=crits,
        rank_acceptability=r.rank_acceptability,
        central_weights=r.central_rows,
        confidence=r.confidence,
        winning=r.winning,
        holistic=r.holistic,
        meta_weights=r.meta_weights,
        samples=r.samples,
        seed=None if seed is None else int(seed),
        distribution=distribution,
        meta=meta,
        acceptance=r.acceptance,
        fixed_weights=fixed,
    )


def smaa_grid(
    options: Sequence[str],
    rows: Sequence[str],
    cols: Sequence[str],
    low: ArrayLike,
    mode: ArrayLike | None = None,
    high: ArrayLike | None = None,
    *,
    scale: tuple[float, float] = DEFAULT_SCALE,
    distribution: str = "triangular",
    row_ordinal: Sequence[tuple[int | str, int | str]] = (),
    col_ordinal: Sequence[tuple[int | str, int | str]] = (),
    row_weights: ArrayLike | None = None,
    col_weights: ArrayLike | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    meta: str = "linear",
    keep_utilities: bool = False,
    group_winning: bool = False,
    row_weight_distribution: ArrayLike | None = None,
    col_weight_distribution: ArrayLike | None = None,
) -> GridResult:
    """Two-level SMAA-2: judgements options × rows × columns, cell weight ``a_row · b_col``.

    Row weights are uniform on the row simplex and column weights on the column simplex,
    each with its own ordinal constraints (``(i, j)`` = ``w_i ≥ w_j``, names or indices) or
    fixed by ``row_weights`` / ``col_weights``, or drawn from an empirical distribution
    (``row_weight_distribution`` / ``col_weight_distribution``, K × level size: each sample
    takes one of the K vectors, uniformly with replacement).  NaN cells are unknown (whole
    scale).
    """
    opts = _names(options, "options")
    r_names = _names(rows, "rows")
    c_names = _names(cols, "columns")
    s_lo, s_hi = _scale(scale)
    _check_run(samples, seed, distribution, meta)
    m, nr, nc = len(opts), len(r_names), len(c_names)
    cells = tuple(f"{r}/{c}" for r in r_names for c in c_names)

    def flat(x: ArrayLike | None, name: str) -> FloatArray | None:
        if x is None:
            return None
        arr = np.asarray(x, dtype=np.float64)
        if arr.shape != (m, nr, nc):
            raise ValueError(f"{name} must have shape {(m, nr, nc)}, got {arr.shape}")
        return arr.reshape(m, nr * nc)

    lo_f = flat(low, "low")
    assert lo_f is not None
    lo, md, hi = _judgements(
        opts, cells, lo_f, flat(mode, "mode"), flat(high, "high"), (s_lo, s_hi)
    )
    levels = []
    for names, ordinal, fixed_in, dist_in, what in (
        (r_names, row_ordinal, row_weights, row_weight_distribution, "rows"),
        (c_names, col_ordinal, col_weights, col_weight_distribution, "columns"),
    ):
        pairs = _constraints(ordinal, names)
        fixed = None if fixed_in is None else _fixed(fixed_in, names)
        if fixed is not None and pairs:
            raise ValueError(f"{what}: give either explicit weights or ordinal constraints")
        empirical = None if dist_in is None else _distribution(dist_in, names)
        if empirical is not None and (fixed is not None or pairs):
            raise ValueError(
                f"{what}: give a weight distribution, explicit weights or ordinal constraints, "
                "not two of them"
            )
        levels.append(_Level(len(names), pairs, fixed, empirical))
    return _run(
        lo.reshape(m, nr, nc),
        md.reshape(m, nr, nc),
        hi.reshape(m, nr, nc),
        rows=levels[0],
        cols=levels[1],
        scale=(s_lo, s_hi),
        distribution=distribution,
        samples=int(samples),
        seed=None if seed is None else int(seed),
        meta=meta,
        keep_utilities=keep_utilities,
        group_winning=group_winning,
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
