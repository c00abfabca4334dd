"""Composite index (samengestelde index): the societal counterpart of the R-value.

Follows the OECD/JRC *Handbook on Constructing Composite Indicators:
Methodology and User Guide* (2008, ISBN 978-92-64-04345-9): imputation of
missing data, normalisation, weighting, aggregation and uncertainty and
sensitivity analysis (Saisana, Saltelli & Tarantola 2005).  The reasoning
behind every choice is in ``docs/methodology/composite-index.md``; this
docstring gives the formulas.

Input
-----
``values`` is a matrix ``x[t, k]`` (periods × indicators), NaN = missing,
``p[k]`` the polarity (+1 higher is better, -1 higher is worse) and ``w[k]``
the weights (equal by default), normalised to sum 1 over the indicators kept.
An indicator without any value in the matrix is *dropped* (named in
``CompositeResult.dropped``, with a note), which is how a group's smaller
matrix works.

Coverage and reference period
-----------------------------
``coverage[t] = sum of w[k] over the indicators observed in t`` (observed
values only, whatever the missing-data method).  A period with coverage 0 or
below ``min_coverage`` gets no index (NaN).  The reference period ``r`` is the
first period that passes this rule unless the caller names one.

Missing data (imputation, step 3 of the handbook)
-------------------------------------------------
``available``: no imputation; every period is aggregated over the indicators
it has, with the weights re-normalised over them ("available-case").
``mean``: a missing value is the indicator's mean over the window.
``carry_forward``: a missing value is the indicator's last earlier value
(values before the first observation stay missing), then ``available``.

The *reference value* of indicator ``k`` is its value in period ``r``; when
that is missing, the value of the nearest period with a value (the earlier one
on a tie), and a note says so.

Normalisation (step 5), polarity included: a higher score is always better
--------------------------------------------------------------------------
Over the whole window, per indicator (``lo``/``hi`` its minimum/maximum):

* ``minmax``:    ``s = 100 (x - lo) / (hi - lo)``, or ``100 (hi - x) / (hi - lo)`` if ``p = -1``;
* ``zscore``:    ``s = p (x - mean) / sd`` (population standard deviation);
* ``reference``: ``s = 100 + p · 100 · (x - x_ref) / d`` with ``d = |x_ref|``
  when all the indicator's values have one sign (so ``s = 100 x / x_ref`` for
  a positive indicator with ``p = +1``: "percent of the reference level"),
  and ``d = hi - lo`` (the difference to the reference relative to the
  observed range) when the values include zero or both signs.

An indicator that is constant over the window carries no information about
change and is dropped too (noted), unless no indicator with a positive weight
varies: then all are kept with a neutral score (50, 0 or 100) and ``I = 100``.

Common score scale
------------------
Each normalisation's scores then go through one affine map, the same for all
indicators: ``q = 1 + 99 (s - L) / (H - L)`` with ``L``/``H`` the lowest/highest
score of any indicator in any period.  ``q`` lies in [1, 100], so the geometric
mean is defined, and the relative spreads of the indicators (which is what
distinguishes the normalisation methods) are kept.  For min-max this is simply
``q = 1 + 0.99 s``.

Aggregation (step 6) and the index scale
----------------------------------------
For period ``t`` with basket ``B_t`` (indicators with a score) the weights are
``v[t, k] = w[k] / sum(w over B_t)``.  The composite ``C_t`` and the reference
composite ``R_t`` (the same basket at its reference values ``q_ref``) are

* arithmetic: ``C_t = sum v q[t]``,          ``R_t = sum v q_ref``;
* geometric:  ``C_t = prod q[t] ** v``,      ``R_t = prod q_ref ** v``.

The index is expressed on one scale for every method:

    I_t = 100 + 100 · (C_t - R_t) / S,        S = C(best) - C(worst)

where ``C(best)``/``C(worst)`` aggregate every indicator's highest/lowest
score in the window (all weights).  So ``I = 100`` in the reference period,
and 100 points are the composite's observed span: the all-worst profile lies
``100 · (R - C(worst)) / S`` points below the reference.  For the arithmetic
mean the scale is invariant to any affine change of the scores, so the [1, 100]
map does not matter there; with all indicators constant ``I = 100``.

Contributions ("which indicators drive a change")
-------------------------------------------------
Between periods ``a`` and ``b`` (``L(x, y) = (y - x) / ln(y / x)`` the
logarithmic mean):

* arithmetic: ``c_k = 100/S · (v[b,k] (q[b,k] - q_ref,k) - v[a,k] (q[a,k] - q_ref,k))``;
* geometric:  ``c_k = 100/S · (L(C_a, C_b) (v[b,k] ln q[b,k] - v[a,k] ln q[a,k])
  - L(R_a, R_b) (v[b,k] - v[a,k]) ln q_ref,k)`` (log-mean decomposition);

both sum exactly to ``I_b - I_a``; with the same basket in ``a`` and ``b``
they reduce to ``100/S · v_k Δq_k`` and ``100/S · L(C_a, C_b) v_k Δ ln q_k``.

Uncertainty and sensitivity analysis (step 7)
---------------------------------------------
Each Monte Carlo draw takes weights from a Dirichlet distribution with
``alpha_k = τ · n+ · w_k`` (``n+`` the number of positive weights; with equal
weights every ``alpha_k = τ`` and each weight's coefficient of variation is
about ``1/sqrt(τ)``, 25 % for the default ``τ = 16``; ``τ = inf`` keeps the
weights fixed), a normalisation, an aggregation and optionally a missing-data
method, each option equally often (balanced, randomly assigned).  All draws
with the same method combination are evaluated at once (matrix products), so
10,000 draws are a handful of numpy operations; OpenBLAS is held to one thread
meanwhile (faster and steadier for these small products on a busy machine).
Per period the result gives the median and the 5th and 95th percentiles,
and first-order sensitivity shares ``S_i = Var(E[I | X_i]) / Var(I)``: for a
discrete factor the variance of the conditional means over its options
(correlation ratio); for the weight vector the adjusted R² of the linear
regression of ``I`` on the drawn weights.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from threadpoolctl import threadpool_limits

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]
IntArray: TypeAlias = NDArray[np.intp]

NORMALISATIONS: Final[tuple[str, ...]] = ("minmax", "zscore", "reference")
AGGREGATIONS: Final[tuple[str, ...]] = ("arithmetic", "geometric")
MISSING_METHODS: Final[tuple[str, ...]] = ("available", "mean", "carry_forward")
#: Uncertain input factors of the Monte Carlo analysis, in output order.
FACTORS: Final[tuple[str, ...]] = ("weights", "normalisation", "aggregation", "missing")

REFERENCE_LEVEL: Final = 100.0
"""Index value of the reference period (and 100 points = the observed span)."""
SCORE_MIN: Final = 1.0
SCORE_MAX: Final = 100.0
DEFAULT_DRAWS: Final = 10_000
DEFAULT_WEIGHT_CONCENTRATION: Final = 16.0
"""Dirichlet concentration τ: each equal weight varies by about 1/sqrt(τ) = 25 %."""
BAND_PERCENTILES: Final = (5.0, 50.0, 95.0)

_NEUTRAL: Final = {"minmax": 50.0, "zscore": 0.0, "reference": 100.0}
_COVERAGE_TOLERANCE: Final = 1e-12
_CHUNK_CELLS: Final = 4_000_000  # draws × periods evaluated at once (about 32 MB per array)


# --------------------------------------------------------------------------- spec


def _check_method(kind: str, name: object, allowed: Sequence[str]) -> str:
    if not isinstance(name, str) or name not in allowed:
        raise ValueError(f"unknown {kind} {name!r}: choose one of {', '.join(allowed)}")
    return name


@dataclass(frozen=True, slots=True)
class CompositeSpec:
    """How to build the index: indicators, polarity, weights and method choices.

    ``polarity[k]`` is +1 when a higher value of indicator ``k`` is better for
    wellbeing and -1 when it is worse.  ``weights`` (``None`` = equal) are
    non-negative, not all zero, one per indicator; they are normalised to sum
    1.  ``reference`` names the reference period (row number or period label);
    ``None`` takes the first period with enough data.  Validated on creation.
    """

    indicators: tuple[str, ...]
    polarity: tuple[int, ...]
    weights: tuple[float, ...] | None = None
    normalisation: str = "minmax"
    aggregation: str = "arithmetic"
    missing: str = "available"
    min_coverage: float = 0.5
    reference: int | str | None = None

    def __post_init__(self) -> None:
        codes = tuple(self.indicators)
        if not codes:
            raise ValueError("indicators: at least one indicator is needed")
        for code in codes:
            if not isinstance(code, str) or not code:
                raise ValueError(f"indicators: every code must be a non-empty string, got {code!r}")
        seen: set[str] = set()
        for code in codes:
            if code in seen:
                raise ValueError(f"indicators: {code!r} appears more than once")
            seen.add(code)
        object.__setattr__(self, "indicators", codes)

        pol = tuple(self.polarity)
        if len(pol) != len(codes):
            raise ValueError(f"polarity has {len(pol)} values for {len(codes)} indicators")
        checked: list[int] = []
        for code, p in zip(codes, pol, strict=True):
            if isinstance(p, bool) or not isinstance(p, int | float) or p not in (1, -1):
                raise ValueError(
                    f"polarity of indicator {code!r} must be +1 (higher is better) "
                    f"or -1 (higher is worse), got {p!r}"
                )
            checked.append(int(p))
        object.__setattr__(self, "polarity", tuple(checked))

        if self.weights is not None:
            ws = tuple(self.weights)
            if len(ws) != len(codes):
                raise ValueError(f"weights has {len(ws)} values for {len(codes)} indicators")
            out: list[float] = []
            for code, wk in zip(codes, ws, strict=True):
                if isinstance(wk, bool) or not isinstance(wk, int | float):
                    raise ValueError(f"weight of indicator {code!r} must be a number, got {wk!r}")
                if not math.isfinite(wk) or wk < 0:
                    raise ValueError(
                        f"weight of indicator {code!r} must be finite and non-negative, got {wk!r}"
                    )
                out.append(float(wk))
            if sum(out) <= 0:
                raise ValueError("weights: all weights are zero; at least one must be positive")
            object.__setattr__(self, "weights", tuple(out))

        _check_method("normalisation", self.normalisation, NORMALISATIONS)
        _check_method("aggregation", self.aggregation, AGGREGATIONS)
        _check_method("missing-data method", self.missing, MISSING_METHODS)
        mc = self.min_coverage
        if isinstance(mc, bool) or not isinstance(mc, int | float) or not 0.0 <= mc <= 1.0:
            raise ValueError(f"min_coverage must be a share between 0 and 1, got {mc!r}")
        ref = self.reference
        bad_row = isinstance(ref, bool) or not isinstance(ref, int) or ref < 0
        if ref is not None and not isinstance(ref, str) and bad_row:
            raise ValueError(
                f"reference must be a period label, a row number >= 0 or None, got {ref!r}"
            )

    def normalised_weights(self) -> FloatArray:
        """The weights as an array summing to 1 (equal weights when ``weights`` is None)."""
        n = len(self.indicators)
        w = np.ones(n) if self.weights is None else np.asarray(self.weights, dtype=np.float64)
        out: FloatArray = w / w.sum()
        return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class CompositeResult:
    """The index for one spec: the number, its coverage and its parts.

    ``index[t]`` is on the common scale (100 = reference period, NaN = no
    index).  ``scores[t, k]`` is the [1, 100] score of indicator ``k`` that
    entered period ``t`` (NaN when it did not), ``weights`` the normalised
    weights (0 for dropped indicators), ``reference_scores[k]`` the reference
    score, ``span`` the composite's observed span ``S`` (0 when nothing
    varies).  Arrays are aligned with ``indicators`` (all codes of the spec).
    """

    spec: CompositeSpec
    periods: tuple[str, ...]
    indicators: tuple[str, ...]
    index: FloatArray
    coverage: FloatArray
    scores: FloatArray
    weights: FloatArray
    reference_scores: FloatArray
    reference: int | None
    span: float
    dropped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def reference_period(self) -> str | None:
        """Label of the reference period (None when no period has enough data)."""
        return None if self.reference is None else self.periods[self.reference]

    def value(self, period: int | str) -> float:
        """The index of one period (row number or label); NaN when it has none."""
        return float(self.index[_period_row(self.periods, period, "period")])


@dataclass(frozen=True, slots=True)
class UncertaintyResult:
    """Monte Carlo band and first-order sensitivity shares per period.

    ``central`` is the index of the spec itself, ``median``/``p05``/``p95`` the
    band over the draws.  ``sensitivity[factor][t]`` is the share of the
    variance of period ``t``'s index explained by that factor alone (0 for a
    factor that was held fixed, NaN where the index does not vary, e.g. in the
    reference period).  ``samples`` (periods × draws) only with ``keep_draws``.
    """

    periods: tuple[str, ...]
    central: FloatArray
    median: FloatArray
    p05: FloatArray
    p95: FloatArray
    sensitivity: Mapping[str, FloatArray]
    draws: int
    seed: int | None
    weight_concentration: float
    normalisations: tuple[str, ...]
    aggregations: tuple[str, ...]
    missing_methods: tuple[str, ...]
    composite: CompositeResult
    samples: FloatArray | None = field(default=None, repr=False)

    @property
    def factors(self) -> tuple[str, ...]:
        """The factors that actually varied in this analysis."""
        varied = {
            "weights": math.isfinite(self.weight_concentration),
            "normalisation": len(self.normalisations) > 1,
            "aggregation": len(self.aggregations) > 1,
            "missing": len(self.missing_methods) > 1,
        }
        return tuple(f for f in FACTORS if varied[f])

    @property
    def interactions(self) -> FloatArray:
        """``1 - sum of first-order shares``: variance left to interactions (and noise)."""
        total = sum((self.sensitivity[f] for f in FACTORS), np.zeros(len(self.periods)))
        out: FloatArray = 1.0 - total
        return out

    def band(self, period: int | str) -> tuple[float, float, float]:
        """``(p05, median, p95)`` of one period (row number or label)."""
        t = _period_row(self.periods, period, "period")
        return float(self.p05[t]), float(self.median[t]), float(self.p95[t])


@dataclass(frozen=True, slots=True)
class Contributions:
    """Each indicator's contribution (index points) to ``index[end] - index[start]``."""

    start: str
    end: str
    indicators: tuple[str, ...]
    values: FloatArray
    change: float
    aggregation: str
    dropped: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, float]:
        return {code: float(v) for code, v in zip(self.indicators, self.values, strict=True)}

    def ranked(self, limit: int | None = None) -> list[tuple[str, float]]:
        """Indicators by absolute contribution, largest first (dropped ones left out)."""
        rows = [
            (code, float(v))
            for code, v in zip(self.indicators, self.values, strict=True)
            if code not in self.dropped
        ]
        rows.sort(key=lambda item: -abs(item[1]))
        return rows if limit is None else rows[: max(limit, 0)]


# --------------------------------------------------------------------------- internals


def _period_row(periods: tuple[str, ...], period: int | str, what: str) -> int:
    if isinstance(period, str):
        try:
            return periods.index(period)
        except ValueError:
            raise ValueError(f"unknown {what} {period!r}") from None
    if isinstance(period, bool) or not isinstance(period, int | np.integer):
        raise ValueError(f"{what} must be a period label or a row number, got {period!r}")
    row = int(period)
    if not 0 <= row < len(periods):
        raise ValueError(f"{what} {row} is out of range (0..{len(periods) - 1})")
    return row


def _as_matrix(
    values: ArrayLike, spec: CompositeSpec, periods: Sequence[str] | None
) -> tuple[FloatArray, tuple[str, ...]]:
    try:
        x = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"values must be a numeric matrix (periods × indicators): {exc}") from None
    if x.ndim != 2:
        raise ValueError(f"values must be a 2-D matrix (periods × indicators), got shape {x.shape}")
    n_periods, n_indicators = x.shape
    if n_indicators != len(spec.indicators):
        raise ValueError(
            f"values has {n_indicators} columns but the spec names {len(spec.indicators)} "
            f"indicators ({', '.join(spec.indicators)})"
        )
    if n_periods == 0:
        raise ValueError("values has no periods (0 rows)")
    if periods is None:
        labels = tuple(str(i) for i in range(n_periods))
    else:
        labels = tuple(str(p) for p in periods)
        if len(labels) != n_periods:
            raise ValueError(f"periods has {len(labels)} labels but values has {n_periods} rows")
        if len(set(labels)) != len(labels):
            dup = next(p for p in labels if labels.count(p) > 1)
            raise ValueError(f"periods: label {dup!r} appears more than once")
    bad = np.isinf(x)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"indicator {spec.indicators[col]!r}, period {labels[row]!r}: value {x[row, col]} "
            "is not finite (use NaN for a missing value)"
        )
    return x, labels


@dataclass(frozen=True, slots=True)
class _Setup:
    """Validated input restricted to the kept indicators (those with any data)."""

    spec: CompositeSpec
    labels: tuple[str, ...]
    x: FloatArray  # periods × kept indicators, raw
    kept: IntArray  # column numbers of the kept indicators in the spec
    polarity: FloatArray
    weights: FloatArray  # normalised over the kept indicators
    coverage: FloatArray
    valid: BoolArray
    reference: int | None
    dropped: tuple[str, ...]
    notes: tuple[str, ...]


def _setup(values: ArrayLike, spec: CompositeSpec, periods: Sequence[str] | None) -> _Setup:
    x_all, labels = _as_matrix(values, spec, periods)
    observed_all = ~np.isnan(x_all)
    has_data = observed_all.any(axis=0)
    constant = np.zeros_like(has_data)
    if has_data.any():
        with np.errstate(invalid="ignore"):
            lo = np.nanmin(np.where(has_data, x_all, 0.0), axis=0)
            hi = np.nanmax(np.where(has_data, x_all, 0.0), axis=0)
        constant = has_data & (hi == lo)
    # A constant indicator carries no information about change: leave it out, unless
    # nothing with a positive weight varies (then the index is 100 wherever defined).
    varying = has_data & ~constant
    kept_mask = varying if (varying & (spec.normalised_weights() > 0)).any() else has_data
    kept = np.flatnonzero(kept_mask)
    no_data = tuple(spec.indicators[i] for i in np.flatnonzero(~has_data))
    left_out = tuple(spec.indicators[i] for i in np.flatnonzero(has_data & ~kept_mask))
    dropped = tuple(spec.indicators[i] for i in np.flatnonzero(~kept_mask))
    notes: list[str] = []
    if no_data:
        notes.append(f"dropped (no data in any period): {', '.join(no_data)}")
    if left_out:
        notes.append(
            f"dropped (constant over the window, no information about change): "
            f"{', '.join(left_out)}"
        )
    raw_w = spec.normalised_weights()[kept]
    total = float(raw_w.sum())
    weights = raw_w / total if total > 0 else np.zeros_like(raw_w)
    if total <= 0:
        notes.append("no indicator with a positive weight has data: no index")
    x = x_all[:, kept]
    coverage = (~np.isnan(x)).astype(np.float64) @ weights
    valid = (coverage > 0) & (coverage >= spec.min_coverage - _COVERAGE_TOLERANCE)
    n_short = int((~valid).sum())
    if n_short:
        notes.append(
            f"{n_short} of {len(labels)} periods below min_coverage {spec.min_coverage:g} "
            "(or without data): no index"
        )
    if spec.reference is not None:
        reference: int | None = _period_row(labels, spec.reference, "reference period")
        assert reference is not None
        if not valid[reference]:
            raise ValueError(
                f"reference period {labels[reference]!r} has coverage "
                f"{coverage[reference]:.3g}, below min_coverage {spec.min_coverage:g}"
            )
    elif valid.any():
        reference = int(np.argmax(valid))
    else:
        reference = None
    polarity = np.asarray(spec.polarity, dtype=np.float64)[kept]
    return _Setup(
        spec, labels, x, kept, polarity, weights, coverage, valid, reference, dropped, tuple(notes)
    )


def _treat(x: FloatArray, method: str) -> FloatArray:
    """Missing-data treatment of the kept columns (each has at least one value)."""
    if method == "available":
        return x
    missing = np.isnan(x)
    if method == "mean":
        out: FloatArray = np.where(missing, np.nanmean(x, axis=0), x)
        return out
    # carry_forward: the last earlier observation; leading gaps stay missing.
    rows = np.arange(x.shape[0])[:, None]
    idx = np.where(missing, -1, rows)
    np.maximum.accumulate(idx, axis=0, out=idx)
    cols = np.arange(x.shape[1])[None, :]
    carried: FloatArray = np.where(idx >= 0, x[np.maximum(idx, 0), cols], np.nan)
    return carried


def _reference_rows(present: BoolArray, reference: int) -> IntArray:
    """Per indicator, the row of its reference value: the reference period or the nearest."""
    t = np.arange(present.shape[0])
    key = 2 * np.abs(t - reference) + (t > reference)  # ties go to the earlier period
    keys = np.where(present, key[:, None], np.iinfo(np.int64).max)
    rows: IntArray = np.argmin(keys, axis=0)
    return rows


def _native(
    x: FloatArray, polarity: FloatArray, method: str, ref_rows: IntArray
) -> tuple[FloatArray, BoolArray]:
    """Normalised scores, higher = better; also the difference-variant flags (reference)."""
    lo = np.nanmin(x, axis=0)
    hi = np.nanmax(x, axis=0)
    span = hi - lo
    constant = span == 0
    safe_span = np.where(constant, 1.0, span)
    difference = np.zeros(x.shape[1], dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "minmax":
            num = np.where(polarity > 0, x - lo, hi - x)
            s = 100.0 * num / safe_span
        elif method == "zscore":
            mean = np.nanmean(x, axis=0)
            sd = np.nanstd(x, axis=0)
            s = polarity * (x - mean) / np.where(constant | (sd == 0), 1.0, sd)
        else:
            x_ref = x[ref_rows, np.arange(x.shape[1])]
            one_sign = (lo > 0) | (hi < 0)
            difference = ~one_sign
            d = np.where(one_sign, np.abs(x_ref), safe_span)
            s = 100.0 + polarity * 100.0 * (x - x_ref) / d
    s = np.where(constant, _NEUTRAL[method], s)
    out: FloatArray = np.where(np.isnan(x), np.nan, s)
    return out, difference & ~constant


@dataclass(frozen=True, slots=True)
class _Scores:
    """Scores of one (missing-data, normalisation) choice, ready for aggregation."""

    q: FloatArray  # periods × kept, NaN outside the basket
    q_ref: FloatArray
    spread: FloatArray  # q_max - q_min
    # kept × (2 periods): [basket | basket * (q - q_ref)], transposed, for one matrix product
    arithmetic: FloatArray
    # kept × (3 periods): [basket | basket * (ln q - ln q_ref) | basket * ln q_ref]
    geometric: FloatArray
    lq_max: FloatArray
    lq_min: FloatArray
    ref_rows: IntArray
    difference: BoolArray


def _scores(setup: _Setup, missing: str, normalisation: str) -> _Scores:
    assert setup.reference is not None
    treated = _treat(setup.x, missing)
    present = ~np.isnan(treated)
    ref_rows = _reference_rows(present, setup.reference)
    native, difference = _native(treated, setup.polarity, normalisation, ref_rows)
    lo, hi = float(np.nanmin(native)), float(np.nanmax(native))
    if hi > lo:
        q = SCORE_MIN + (SCORE_MAX - SCORE_MIN) * (native - lo) / (hi - lo)
    else:
        q = np.where(present, (SCORE_MIN + SCORE_MAX) / 2, np.nan)
    cols = np.arange(q.shape[1])
    q_ref = q[ref_rows, cols]
    q_min = np.nanmin(q, axis=0)
    q_max = np.nanmax(q, axis=0)
    basket = present & setup.valid[:, None]
    basket_f = basket.astype(np.float64)
    q_in = np.where(basket, q, np.nan)
    filled = np.where(basket, q, q_ref)
    log_q_ref = np.log(q_ref)
    dq = basket_f * (filled - q_ref)
    dlq = basket_f * (np.log(filled) - log_q_ref)
    lq_ref = basket_f * log_q_ref
    return _Scores(
        q=q_in,
        q_ref=q_ref,
        spread=q_max - q_min,
        arithmetic=np.ascontiguousarray(np.concatenate([basket_f, dq]).T),
        geometric=np.ascontiguousarray(np.concatenate([basket_f, dlq, lq_ref]).T),
        lq_max=np.log(q_max),
        lq_min=np.log(q_min),
        ref_rows=ref_rows,
        difference=difference,
    )


def _evaluate(s: _Scores, aggregation: str, w: FloatArray) -> FloatArray:
    """Index (draws × periods) for every row of ``w`` (draws × kept indicators)."""
    n_t = s.q.shape[0]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if aggregation == "arithmetic":
            sums = w @ s.arithmetic
            den = sums[:, :n_t]
            gap = sums[:, n_t:] / den
            span = w @ s.spread
        else:
            sums = w @ s.geometric
            den = sums[:, :n_t]
            diff = sums[:, n_t : 2 * n_t] / den
            log_ref = sums[:, 2 * n_t :] / den
            gap = np.exp(log_ref) * np.expm1(diff)
            span = np.exp(w @ s.lq_max) - np.exp(w @ s.lq_min)
        span = span[:, None]
        index = REFERENCE_LEVEL + REFERENCE_LEVEL * gap / span
    out: FloatArray = np.where(span > 0, index, REFERENCE_LEVEL)
    out[~(den > 0)] = np.nan
    return out


def _span(s: _Scores, aggregation: str, w: FloatArray) -> float:
    if aggregation == "arithmetic":
        return float(s.spread @ w)
    return float(np.exp(s.lq_max @ w) - np.exp(s.lq_min @ w))


def _empty_result(setup: _Setup) -> CompositeResult:
    n_t, n_k = len(setup.labels), len(setup.spec.indicators)
    weights = np.zeros(n_k)
    weights[setup.kept] = setup.weights
    return CompositeResult(
        spec=setup.spec,
        periods=setup.labels,
        indicators=setup.spec.indicators,
        index=np.full(n_t, np.nan),
        coverage=setup.coverage,
        scores=np.full((n_t, n_k), np.nan),
        weights=weights,
        reference_scores=np.full(n_k, np.nan),
        reference=setup.reference,
        span=0.0,
        dropped=setup.dropped,
        notes=setup.notes,
    )


def _usable(setup: _Setup) -> bool:
    return setup.reference is not None and float(setup.weights.sum()) > 0


def _composite(setup: _Setup, scores: _Scores) -> CompositeResult:
    spec = setup.spec
    index = _evaluate(scores, spec.aggregation, setup.weights[None, :])[0]
    n_t, n_k = len(setup.labels), len(spec.indicators)
    full_scores = np.full((n_t, n_k), np.nan)
    full_scores[:, setup.kept] = scores.q
    weights = np.zeros(n_k)
    weights[setup.kept] = setup.weights
    ref_scores = np.full(n_k, np.nan)
    ref_scores[setup.kept] = scores.q_ref
    notes = list(setup.notes)
    codes = [spec.indicators[i] for i in setup.kept]
    assert setup.reference is not None
    moved = [
        f"{codes[j]} ({setup.labels[int(r)]})"
        for j, r in enumerate(scores.ref_rows)
        if int(r) != setup.reference
    ]
    if moved:
        notes.append(
            f"reference value taken from the nearest period with data for: {', '.join(moved)}"
        )
    if spec.normalisation == "reference" and scores.difference.any():
        diff = ", ".join(codes[j] for j in np.flatnonzero(scores.difference))
        notes.append(
            "reference normalisation uses the difference to the reference relative to the "
            f"observed range (values include zero or both signs) for: {diff}"
        )
    span = _span(scores, spec.aggregation, setup.weights)
    if span <= 0:
        notes.append("no indicator with a positive weight varies over the window: index is 100")
    return CompositeResult(
        spec=spec,
        periods=setup.labels,
        indicators=spec.indicators,
        index=index,
        coverage=setup.coverage,
        scores=full_scores,
        weights=weights,
        reference_scores=ref_scores,
        reference=setup.reference,
        span=span,
        dropped=setup.dropped,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- public API


def composite(
    values: ArrayLike, spec: CompositeSpec, periods: Sequence[str] | None = None
) -> CompositeResult:
    """The composite index of ``values`` (periods × indicators, NaN = missing).

    ``periods`` labels the rows (default ``"0"``, ``"1"``, …).  Works the same
    for the whole population and for a group's (smaller) matrix; indicators
    without any data in the matrix are dropped and named in the result.
    Raises ``ValueError`` naming the indicator, period or parameter at fault.
    """
    setup = _setup(values, spec, periods)
    if not _usable(setup):
        return _empty_result(setup)
    return _composite(setup, _scores(setup, spec.missing, spec.normalisation))


# --------------------------------------------------------------------------- BLAS threads


@contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Run the block with the BLAS library limited to one thread (``threadpoolctl``).

    The matrix products of the Monte Carlo analysis are small (tens of
    indicators): a second BLAS thread gains little, and on a busy machine its
    spinning makes the analysis several times slower (0.8 s instead of 0.13 s
    for the benchmark, measured).  The previous setting is restored afterwards.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _balanced(rng: np.random.Generator, draws: int, n_levels: int) -> IntArray:
    levels: IntArray = rng.permutation(np.resize(np.arange(n_levels), draws))
    return levels


def _options(kind: str, given: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    options = tuple(given)
    if not options:
        raise ValueError(f"{kind}: give at least one option")
    for name in options:
        _check_method(f"{kind[:-1] if kind.endswith('s') else kind} in {kind}", name, allowed)
    if len(set(options)) != len(options):
        raise ValueError(f"{kind}: an option appears more than once: {options!r}")
    return options


def _discrete_share(levels: IntArray, n_levels: int, y: FloatArray, var: FloatArray) -> FloatArray:
    """Variance of the conditional means over a discrete factor's options / total variance.

    ``y`` is draws × periods, ``var`` the per-period variance (divided by the draws).
    """
    if n_levels < 2:
        return np.zeros(y.shape[1])
    draws = y.shape[0]
    mean = y.mean(axis=0)
    between = np.zeros(y.shape[1])
    for level in range(n_levels):
        sel = (levels == level).astype(np.float64)
        n = float(sel.sum())
        if n:
            between += n / draws * (sel @ y / n - mean) ** 2
    out: FloatArray = between / var
    return out


def _weights_share(w: FloatArray, y: FloatArray, var: FloatArray) -> FloatArray:
    """Adjusted R² of the linear regression of each period's index on the drawn weights.

    ``w`` is draws × indicators, ``y`` draws × periods.  Normal equations with a
    pseudo-inverse: the weights sum to 1, so one of them is redundant.
    """
    x = w[:, w.std(axis=0) > 0]
    if x.shape[1] == 0:
        return np.zeros(y.shape[1])
    n = x.shape[0]
    xc = x - x.mean(axis=0)
    gram = xc.T @ xc
    cross = xc.T @ y  # xc has zero column means, so y needs no centring
    ss_reg = (cross * (np.linalg.pinv(gram, rcond=1e-10, hermitian=True) @ cross)).sum(axis=0)
    r2 = ss_reg / (var * n)
    rank = int(np.linalg.matrix_rank(gram, hermitian=True))
    dof = n - rank - 1
    if dof > 0:
        r2 = 1.0 - (1.0 - r2) * (n - 1) / dof
    out: FloatArray = np.clip(r2, 0.0, 1.0)
    return out


def uncertainty(
    values: ArrayLike,
    spec: CompositeSpec,
    periods: Sequence[str] | None = None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int | np.random.Generator | None = 0,
    weight_concentration: float = DEFAULT_WEIGHT_CONCENTRATION,
    normalisations: Sequence[str] = NORMALISATIONS,
    aggregations: Sequence[str] = AGGREGATIONS,
    missing_methods: Sequence[str] | None = None,
    keep_draws: bool = False,
) -> UncertaintyResult:
    """Monte Carlo uncertainty band and first-order sensitivity of the index.

    Every draw takes Dirichlet weights around the spec's weights (concentration
    ``weight_concentration``; ``math.inf`` = fixed weights), one of
    ``normalisations``, one of ``aggregations`` and one of ``missing_methods``
    (default: only the spec's own method), each option equally often.
    ``seed`` (an int or a ``numpy.random.Generator``) makes the run
    reproducible.  The reference period and the coverage rule are the spec's
    for every draw.  ``keep_draws`` keeps every draw's index in ``samples``
    (periods × draws, the draws grouped by method combination).
    """
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ValueError(f"draws must be a whole number >= 1, got {draws!r}")
    draws = int(draws)
    wc = weight_concentration
    if isinstance(wc, bool) or not isinstance(wc, int | float) or math.isnan(wc) or wc <= 0:
        raise ValueError(f"weight_concentration must be > 0 (math.inf = fixed weights), got {wc!r}")
    norms = _options("normalisations", normalisations, NORMALISATIONS)
    aggs = _options("aggregations", aggregations, AGGREGATIONS)
    missing = _options(
        "missing_methods",
        (spec.missing,) if missing_methods is None else missing_methods,
        MISSING_METHODS,
    )
    if isinstance(seed, np.random.Generator):
        rng, seed_value = seed, None
    elif seed is None or (
        isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0
    ):
        rng = np.random.default_rng(seed)
        seed_value = None if seed is None else int(seed)
    else:
        raise ValueError(f"seed must be an int >= 0, a numpy Generator or None, got {seed!r}")

    setup = _setup(values, spec, periods)
    with _single_threaded_blas():
        return _monte_carlo(
            setup, draws, rng, seed_value, float(wc), norms, aggs, missing, keep_draws
        )


def _monte_carlo(
    setup: _Setup,
    draws: int,
    rng: np.random.Generator,
    seed_value: int | None,
    wc: float,
    norms: tuple[str, ...],
    aggs: tuple[str, ...],
    missing: tuple[str, ...],
    keep_draws: bool,
) -> UncertaintyResult:
    spec = setup.spec
    n_t, n_k = len(setup.labels), len(setup.kept)
    nan_t = np.full(n_t, np.nan)
    if not _usable(setup):
        central = _empty_result(setup)
        return UncertaintyResult(
            periods=setup.labels,
            central=central.index,
            median=nan_t,
            p05=nan_t.copy(),
            p95=nan_t.copy(),
            sensitivity={f: nan_t.copy() for f in FACTORS},
            draws=draws,
            seed=seed_value,
            weight_concentration=float(wc),
            normalisations=norms,
            aggregations=aggs,
            missing_methods=missing,
            composite=central,
            samples=np.full((n_t, draws), np.nan) if keep_draws else None,
        )

    cache: dict[tuple[str, str], _Scores] = {}

    def scores_for(m: str, n: str) -> _Scores:
        if (m, n) not in cache:
            cache[(m, n)] = _scores(setup, m, n)
        return cache[(m, n)]

    central = _composite(setup, scores_for(spec.missing, spec.normalisation))

    # Weights: Dirichlet(alpha = τ · n+ · w) via normalised gamma variates.
    w0 = setup.weights
    positive = w0 > 0
    w_draws = np.zeros((draws, n_k))
    if math.isinf(wc):
        w_draws[:] = w0
    else:
        alpha = wc * int(positive.sum()) * w0[positive]
        gam = rng.standard_gamma(alpha, size=(draws, alpha.size))
        sums = gam.sum(axis=1, keepdims=True)
        degenerate = sums[:, 0] <= 0  # every gamma variate underflowed: keep the spec's weights
        gam[degenerate] = alpha
        sums[degenerate] = alpha.sum()
        w_draws[:, positive] = gam / sums
    miss_levels = _balanced(rng, draws, len(missing))
    norm_levels = _balanced(rng, draws, len(norms))
    agg_levels = _balanced(rng, draws, len(aggs))
    # Group the draws by method combination (the statistics do not depend on their order),
    # so that each combination is one block of rows evaluated by one matrix product.
    combo = (miss_levels * len(norms) + norm_levels) * len(aggs) + agg_levels
    order = np.argsort(combo, kind="stable")
    combo, w_draws = combo[order], w_draws[order]
    miss_levels, norm_levels, agg_levels = miss_levels[order], norm_levels[order], agg_levels[order]
    bounds = np.searchsorted(combo, np.arange(len(missing) * len(norms) * len(aggs) + 1))

    y = np.empty((draws, n_t))  # draws × periods
    chunk = max(256, _CHUNK_CELLS // (3 * n_t))  # bounds the temporary arrays' memory
    block = 0
    for m in missing:
        for n in norms:
            for a in aggs:
                lo, hi = int(bounds[block]), int(bounds[block + 1])
                block += 1
                for first in range(lo, hi, chunk):
                    last = min(first + chunk, hi)
                    y[first:last] = _evaluate(scores_for(m, n), a, w_draws[first:last])

    p05, median, p95 = nan_t.copy(), nan_t.copy(), nan_t.copy()
    shares = {f: nan_t.copy() for f in FACTORS}
    finite = np.isfinite(y)
    cols = np.flatnonzero(finite.all(axis=0))
    if cols.size:
        yv = y if cols.size == n_t else y[:, cols]
        p05[cols], median[cols], p95[cols] = np.percentile(yv, BAND_PERCENTILES, axis=0)
        var = yv.var(axis=0)
        scale = np.maximum(1.0, np.abs(yv.mean(axis=0)))
        varies = var > (1e-12 * scale) ** 2
        for factor in FACTORS:
            shares[factor][cols] = np.where(varies, 0.0, np.nan)
        if varies.any():
            yr, vr, target = yv[:, varies], var[varies], cols[varies]
            if math.isfinite(wc):
                shares["weights"][target] = _weights_share(w_draws, yr, vr)
            for factor, levels, n_levels in (
                ("normalisation", norm_levels, len(norms)),
                ("aggregation", agg_levels, len(aggs)),
                ("missing", miss_levels, len(missing)),
            ):
                shares[factor][target] = _discrete_share(levels, n_levels, yr, vr)
    partial = np.flatnonzero(finite.any(axis=0) & ~finite.all(axis=0))
    if partial.size:  # draws without a usable basket (weights underflowing to zero)
        p05[partial], median[partial], p95[partial] = np.nanpercentile(
            y[:, partial], BAND_PERCENTILES, axis=0
        )
    return UncertaintyResult(
        periods=setup.labels,
        central=central.index,
        median=median,
        p05=p05,
        p95=p95,
        sensitivity=shares,
        draws=draws,
        seed=seed_value,
        weight_concentration=float(wc),
        normalisations=norms,
        aggregations=aggs,
        missing_methods=missing,
        composite=central,
        samples=y.T if keep_draws else None,
    )


def _log_mean(a: float, b: float) -> float:
    """Logarithmic mean ``(b - a) / ln(b / a)`` of two positive numbers (``a`` when equal)."""
    d = math.log(b) - math.log(a)
    if abs(d) < 1e-12:
        return a
    return a * math.expm1(d) / d


def contributions(result: CompositeResult, start: int | str, end: int | str) -> Contributions:
    """Each indicator's share of the change of the index from ``start`` to ``end``.

    The values sum to ``index[end] - index[start]`` (up to rounding): for the
    arithmetic mean ``weight × change in score``, for the geometric mean the
    log-mean decomposition (see the module docstring).  Periods are row
    numbers or labels; both must have an index value.
    """
    a = _period_row(result.periods, start, "start period")
    b = _period_row(result.periods, end, "end period")
    for t in (a, b):
        if not math.isfinite(float(result.index[t])):
            raise ValueError(
                f"period {result.periods[t]!r} has no index value "
                f"(coverage {result.coverage[t]:.3g}, min_coverage {result.spec.min_coverage:g})"
            )
    n_k = len(result.indicators)
    values = np.zeros(n_k)
    change = float(result.index[b] - result.index[a])
    if result.span > 0:
        basket = ~np.isnan(result.scores)

        def basket_weights(t: int) -> FloatArray:
            wt = np.where(basket[t], result.weights, 0.0)
            out: FloatArray = wt / wt.sum()
            return out

        va, vb = basket_weights(a), basket_weights(b)
        q_ref = np.nan_to_num(result.reference_scores, nan=1.0)
        qa = np.where(basket[a], result.scores[a], q_ref)
        qb = np.where(basket[b], result.scores[b], q_ref)
        factor = REFERENCE_LEVEL / result.span
        if result.spec.aggregation == "arithmetic":
            values = factor * (vb * (qb - q_ref) - va * (qa - q_ref))
        else:
            la, lb, lr = np.log(qa), np.log(qb), np.log(q_ref)
            ca, cb = math.exp(float(va @ la)), math.exp(float(vb @ lb))
            ra, rb = math.exp(float(va @ lr)), math.exp(float(vb @ lr))
            values = factor * (
                _log_mean(ca, cb) * (vb * lb - va * la) - _log_mean(ra, rb) * (vb - va) * lr
            )
    return Contributions(
        start=result.periods[a],
        end=result.periods[b],
        indicators=result.indicators,
        values=values,
        change=change,
        aggregation=result.spec.aggregation,
        dropped=result.dropped,
    )


# --------------------------------------------------------------------------- benchmark


def synthetic_matrix(
    *, periods: int = 120, indicators: int = 30, seed: int = 0, missing_share: float = 0.05
) -> tuple[FloatArray, CompositeSpec, tuple[str, ...]]:
    """A realistic synthetic input: positive random walks with a crisis dip and gaps.

    About 30 % of the indicators have polarity -1 (they rise in the crisis);
    ``missing_share`` of the values after the first period are NaN.  Returns
    ``(values, spec, period labels)``.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(periods, dtype=np.float64)
    polarity = np.where(rng.random(indicators) < 0.3, -1, 1)
    level = rng.uniform(20.0, 200.0, size=indicators)
    effect = rng.uniform(0.05, 0.4, size=indicators)
    dip = np.exp(-0.5 * ((t - 0.4 * periods) / max(0.08 * periods, 1.0)) ** 2)
    walk = np.cumsum(rng.normal(0.0, 0.01, size=(periods, indicators)), axis=0)
    walk -= walk[0]
    values = level * (1.0 + walk - polarity * effect * dip[:, None])
    gaps = rng.random(values.shape) < missing_share
    gaps[0] = False
    values[gaps] = np.nan
    codes = tuple(f"I{k + 1:02d}" for k in range(indicators))
    labels = tuple(f"P{i + 1:03d}" for i in range(periods))
    spec = CompositeSpec(indicators=codes, polarity=tuple(int(p) for p in polarity))
    return values, spec, labels


def benchmark(
    *, draws: int = 10_000, indicators: int = 30, periods: int = 120, seed: int = 0, repeat: int = 3
) -> dict[str, float]:
    """Time the uncertainty analysis on synthetic data (best of ``repeat`` runs).

    Returns ``{"composite_s", "central_s", "draws", "indicators", "periods"}``:
    ``composite_s`` is the Monte Carlo analysis (all normalisations, both
    aggregations, Dirichlet weights), ``central_s`` the single index.
    """
    values, spec, labels = synthetic_matrix(periods=periods, indicators=indicators, seed=seed)

    def best(action: Callable[[], object]) -> float:
        fastest = math.inf
        for _ in range(max(repeat, 1)):
            began = time.perf_counter()
            action()
            fastest = min(fastest, time.perf_counter() - began)
        return fastest

    composite_s = best(lambda: uncertainty(values, spec, labels, draws=draws, seed=seed))
    central_s = best(lambda: composite(values, spec, labels))
    return {
        "composite_s": composite_s,
        "central_s": central_s,
        "draws": float(draws),
        "indicators": float(indicators),
        "periods": float(periods),
    }


__all__ = [
    "AGGREGATIONS",
    "BAND_PERCENTILES",
    "DEFAULT_DRAWS",
    "DEFAULT_WEIGHT_CONCENTRATION",
    "FACTORS",
    "MISSING_METHODS",
    "NORMALISATIONS",
    "REFERENCE_LEVEL",
    "SCORE_MAX",
    "SCORE_MIN",
    "CompositeResult",
    "CompositeSpec",
    "Contributions",
    "UncertaintyResult",
    "benchmark",
    "composite",
    "contributions",
    "synthetic_matrix",
    "uncertainty",
]
