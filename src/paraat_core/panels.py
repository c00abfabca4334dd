"""Aggregating a citizen panel's answers: shares, Likert scales, rankings and choices.

Pure Python + numpy; the reasoning is in ``docs/methodology/citizen-panel.md``.

Shares with Wilson score intervals
----------------------------------
For ``x`` of ``n`` answers the share is ``p = x/n`` and its 95 % interval the Wilson (1927)
score interval (Newcombe 1998, method 3, without continuity correction)::

    centre = (p + z²/(2n)) / (1 + z²/n)
    half   = z / (1 + z²/n) · sqrt(p(1 − p)/n + z²/(4n²))
    [centre − half, centre + half]

with ``z = 1.959964`` (the 97.5 % normal quantile).  It never leaves [0, 1], is not degenerate at
``x = 0`` or ``x = n`` and keeps close to its nominal coverage for small ``n`` (Newcombe 1998;
Brown, Cai & DasGupta 2001), unlike the textbook ``p ± z·sqrt(p(1 − p)/n)``.
Worked examples (Newcombe, R. G. (1998), "Two-sided confidence intervals for the single
proportion: comparison of seven methods", *Statistics in Medicine* 17, 857–872, worked examples,
method 3): 81/263 → 0.2553 … 0.3662; 15/148 → 0.0624 … 0.1605; 0/20 → 0 … 0.1611;
1/29 → 0.0061 … 0.1718.

Likert (5-point)
----------------
Counts ``c_1 … c_5`` of the answers 1 (strongly disagree) … 5 (strongly agree): shares
``c_s / n``, each with its Wilson interval, the **median** (the middle answer; for even ``n`` the
mean of the two middle answers, so 3.5 means "between neutral and agree") and the share that
agrees (4 or 5).  No mean: the points are ordered, not equally spaced.  Worked example: counts
(2, 3, 5, 6, 4), ``n = 20``: the 10th and 11th answers are 3 and 4, median 3.5; agree 10/20.

Rank-order-centroid weights
---------------------------
A ranking of ``n`` items (1 = most important) gives the item at rank ``k`` the weight
``w_k = (1/n) Σ_{j=k}^{n} 1/j`` (Barron, F. H. & Barrett, B. E. (1996), "Decision quality using
ranked attribute weights", *Management Science* 42(11), 1515–1523): the centroid of the weight
simplex region ``w_1 ≥ w_2 ≥ … ≥ w_n ≥ 0``.  Worked example ``n = 3``: ``(1 + ½ + ⅓)/3 =
0.6111``, ``(½ + ⅓)/3 = 0.2778``, ``(⅓)/3 = 0.1111``.  The weights sum to 1 and decrease.

Aggregating a session's rankings
--------------------------------
Per item: the mean ROC weight over the ``K`` ballots and its spread (sample standard deviation
and the 10th/90th percentiles), the **mean rank** and the **Borda count** ``Σ (n − rank)``
(Borda 1781; with complete rankings the Borda order is the mean-rank order).  The set of ``K``
weight vectors is the session's **weight distribution** for SMAA (``paraat_core.smaa``,
``weight_distribution``).

Option choices
--------------
Counts per option with shares and Wilson intervals (as above).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

Z95: Final = 1.959963984540054
"""The 97.5 % quantile of the standard normal distribution (two-sided 95 %)."""
LIKERT_POINTS: Final = 5


@dataclass(frozen=True, slots=True)
class Share:
    """``count`` of ``n`` with its share and Wilson 95 % interval (all 0 when ``n`` is 0)."""

    key: str
    count: int
    n: int
    share: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class LikertSummary:
    n: int
    counts: tuple[int, ...]  # answers 1 … 5
    shares: tuple[Share, ...]  # per point, key "1" … "5"
    median: float | None  # None when nobody answered
    agree: Share  # 4 or 5


@dataclass(frozen=True, slots=True)
class ItemWeight:
    key: str
    mean_weight: float
    sd_weight: float
    p10: float
    p90: float
    mean_rank: float
    borda: int
    first: int  # ballots that put the item first


@dataclass(frozen=True, slots=True)
class RankingSummary:
    """The aggregate of ``ballots`` complete rankings of ``items``; ``items_by_weight`` is sorted
    by mean weight (highest first, ties in item order); ``weights`` is the K × n distribution."""

    items: tuple[str, ...]
    ballots: int
    rows: tuple[ItemWeight, ...]
    weights: tuple[tuple[float, ...], ...]

    def items_by_weight(self) -> list[ItemWeight]:
        return sorted(self.rows, key=lambda r: -r.mean_weight)


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"{what} must be a whole number of 0 or more, got {value!r}")
    return int(value)


def wilson_interval(successes: int, n: int, *, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``successes`` of ``n`` (``(0, 0)`` when ``n`` is 0)."""
    x = _count(successes, "successes")
    total = _count(n, "n")
    if x > total:
        raise ValueError(f"successes ({x}) cannot exceed n ({total})")
    if not (math.isfinite(z) and z > 0):
        raise ValueError(f"z must be a positive number, got {z!r}")
    if total == 0:
        return 0.0, 0.0
    p = x / total
    z2 = z * z
    denom = 1.0 + z2 / total
    centre = (p + z2 / (2 * total)) / denom
    half = z / denom * math.sqrt(p * (1.0 - p) / total + z2 / (4.0 * total * total))
    low = 0.0 if x == 0 else max(0.0, centre - half)
    high = 1.0 if x == total else min(1.0, centre + half)
    return low, high


def share(key: str, count: int, n: int) -> Share:
    """``count`` of ``n`` as a ``Share`` with its Wilson interval."""
    low, high = wilson_interval(count, n)
    return Share(key, int(count), int(n), count / n if n else 0.0, low, high)


def shares(counts: Mapping[str, int], n: int | None = None) -> list[Share]:
    """Shares of each key's count out of ``n`` (default: the sum of the counts)."""
    total = sum(_count(c, f"count of {k!r}") for k, c in counts.items()) if n is None else n
    return [share(k, c, total) for k, c in counts.items()]


def likert_summary(counts: Sequence[int]) -> LikertSummary:
    """Shares, median and agreement of a 5-point Likert question from its counts (1 … 5)."""
    if len(counts) != LIKERT_POINTS:
        raise ValueError(f"a Likert summary needs {LIKERT_POINTS} counts, got {len(counts)}")
    c = tuple(_count(v, "count") for v in counts)
    n = sum(c)
    median: float | None = None
    if n:
        cum = np.cumsum(c)
        # the ``k``-th answer (1-based) is the first point whose cumulative count reaches k
        lower = int(np.searchsorted(cum, (n + 1) // 2)) + 1
        upper = int(np.searchsorted(cum, n // 2 + 1)) + 1
        median = (lower + upper) / 2.0
    return LikertSummary(
        n=n,
        counts=c,
        shares=tuple(share(str(i + 1), v, n) for i, v in enumerate(c)),
        median=median,
        agree=share("agree", c[3] + c[4], n),
    )


def roc_weights(n: int) -> list[float]:
    """Rank-order-centroid weights of ranks 1 … ``n`` (Barron & Barrett 1996)."""
    size = _count(n, "n")
    if size < 1:
        raise ValueError("n must be at least 1")
    tail = 0.0
    out = [0.0] * size
    for k in range(size, 0, -1):
        tail += 1.0 / k
        out[k - 1] = tail / size
    return out


def _check_ranking(ranking: Sequence[str], items: Sequence[str]) -> None:
    if len(ranking) != len(items) or set(ranking) != set(items) or len(set(ranking)) != len(items):
        raise ValueError(
            f"a ballot must rank every item exactly once: items {list(items)}, got {list(ranking)}"
        )


def ballot_weights(ranking: Sequence[str], items: Sequence[str]) -> list[float]:
    """ROC weights of one complete ranking (most important first), aligned with ``items``."""
    _check_ranking(ranking, items)
    roc = roc_weights(len(items))
    position = {key: k for k, key in enumerate(ranking)}
    return [roc[position[key]] for key in items]


def ranking_summary(items: Sequence[str], ballots: Sequence[Sequence[str]]) -> RankingSummary:
    """Aggregate complete rankings of ``items``: weights, spread, mean rank and Borda count."""
    keys = tuple(items)
    if not keys or len(set(keys)) != len(keys):
        raise ValueError("items must be distinct and at least one")
    n = len(keys)
    vectors = [ballot_weights(b, keys) for b in ballots]
    k = len(vectors)
    w = np.array(vectors, dtype=np.float64).reshape(k, n)
    ranks = np.zeros((k, n))
    first = [0] * n
    for b, ranking in enumerate(ballots):
        for r, key in enumerate(ranking):
            ranks[b, keys.index(key)] = r + 1
        first[keys.index(ranking[0])] += 1
    rows = []
    for i, key in enumerate(keys):
        col = w[:, i]
        rows.append(
            ItemWeight(
                key=key,
                mean_weight=float(col.mean()) if k else 0.0,
                sd_weight=float(col.std(ddof=1)) if k > 1 else 0.0,
                p10=float(np.quantile(col, 0.1)) if k else 0.0,
                p90=float(np.quantile(col, 0.9)) if k else 0.0,
                mean_rank=float(ranks[:, i].mean()) if k else 0.0,
                borda=round(float((n - ranks[:, i]).sum())),
                first=first[i],
            )
        )
    return RankingSummary(
        items=keys,
        ballots=k,
        rows=tuple(rows),
        weights=tuple(tuple(float(x) for x in row) for row in w),
    )


def restrict(
    weights: Sequence[Sequence[float]], items: Sequence[str], keep: Sequence[str]
) -> list[list[float]]:
    """The weight vectors on the ``keep`` items only (in ``keep`` order), renormalised to sum 1.

    Every kept item must be one of ``items``; a vector whose kept weights are all zero is an
    error (it cannot be renormalised).
    """
    index = {key: i for i, key in enumerate(items)}
    missing = [key for key in keep if key not in index]
    if missing:
        raise ValueError(f"not ranked in the session: {', '.join(missing)}")
    out: list[list[float]] = []
    for vec in weights:
        part = [float(vec[index[key]]) for key in keep]
        total = sum(part)
        if total <= 0:
            raise ValueError("a weight vector has no weight on the kept items")
        out.append([x / total for x in part])
    return out
