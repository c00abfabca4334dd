"""``analyse``: an ``Assessment`` → the ``paraat-assessment-result/1`` result (plain JSON data).

Every formula and parameter is documented in ``docs/methodology/assessment.md``.  In short:

* cell value ``x_idg = level × reach share`` on the judgement scale −3 … +3 (higher = less
  burden); its range comes from ``low``/``high`` or ``level ± certainty_spread[certainty]``
  (clipped to the scale, then times the reach share); not-assessed cells, and unknown cells
  without a reach, range over the whole scale; an unknown cell with a reach over ±3 × reach
  share (uniformly: its effect is unknown, but it reaches only that share of the group);
* cell weight ``w_dg = a_d · b_g`` (domain weight × group weight);
* explicit view: ``a``, ``b`` from ``weights`` (equal when absent), score ``Σ w_dg x_idg``;
* SMAA-2 (``paraat_core.smaa.smaa_grid``): ``a`` uniform on the domain simplex, ``b`` on the
  group simplex (each with its ordinal constraints), judgements sampled within their ranges.
"""

from __future__ import annotations

import itertools
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from paraat_core import smaa as smaa_engine
from paraat_core.assessment.model import (
    CERTAINTIES,
    CHECKLIST,
    EFFECT_LEVELS,
    ETD_FIELDS,
    TESTS,
    Assessment,
    AssessmentError,
    Judgement,
    Option,
    Problem,
)

RESULT_SCHEMA_ID: Final = "paraat-assessment-result/1"
SCALE: Final = (-3.0, 3.0)
SENSITIVITY_STEPS: Final = 11
"""Domain weight 0, 0.1, …, 1 in the one-at-a-time sensitivity."""
ROBUST: Final = 0.95
FAIRLY_ROBUST: Final = 0.75
DECISIVE_DOMAINS: Final = 3
DECISIVE_MIN_DIFFERENCE: Final = 0.02
NOT_ASSESSED_WARNING: Final = 0.25
"""Warn when more than this share of all cells is not assessed."""

NOT_ASSESSED, UNKNOWN, ASSESSED = 0, 1, 2
STATES: Final = ("not_assessed", "unknown", "assessed")
LONG_DURATIONS: Final = frozenset({"years", "lasting"})

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class _Grid:
    """Options × domains × groups arrays of one assessment."""

    state: NDArray[np.int8]
    x: FloatArray  # point value (NaN unless assessed)
    lo: FloatArray  # range on the scale (whole scale unless assessed)
    hi: FloatArray
    share: FloatArray  # reach share (NaN unless assessed or unknown with a reach)
    bounded: NDArray[np.bool_]  # unknown effect with a known reach: range ± 3 × reach
    cells: dict[tuple[int, int, int], Judgement]
    reach_assumed: int
    reach_capped: int


def _grid(a: Assessment) -> _Grid:
    oi = {o.id: i for i, o in enumerate(a.options)}
    di = {d.key: i for i, d in enumerate(a.domains)}
    gi = {g.key: i for i, g in enumerate(a.groups)}
    sizes = {g.key: g.size for g in a.groups}
    shape = (len(oi), len(di), len(gi))
    state = np.zeros(shape, dtype=np.int8)
    x = np.full(shape, np.nan)
    lo = np.full(shape, SCALE[0])
    hi = np.full(shape, SCALE[1])
    share = np.full(shape, np.nan)
    bounded = np.zeros(shape, dtype=bool)
    cells: dict[tuple[int, int, int], Judgement] = {}
    spread = a.parameters.certainty_spread
    assumed = capped = 0
    for j in a.judgements:
        idx = (oi[j.option], di[j.domain], gi[j.group])
        cells[idx] = j
        if j.known:
            state[idx] = ASSESSED
            level = float(EFFECT_LEVELS[j.effect])
            if j.low or j.high:
                l_lo = float(EFFECT_LEVELS[j.low]) if j.low else level
                l_hi = float(EFFECT_LEVELS[j.high]) if j.high else level
            else:
                s = float(spread.get(j.certainty, spread.get("", 1.0)))
                l_lo, l_hi = max(SCALE[0], level - s), min(SCALE[1], level + s)
        else:
            # Unknown effect: anything on the scale, but no more than its reach allows.
            state[idx] = UNKNOWN
            level, (l_lo, l_hi) = math.nan, SCALE
            if j.reach_share is None and j.reach_people is None:
                continue
        if j.reach_share is not None:
            r = j.reach_share
        elif j.reach_people is not None:
            size = sizes[j.group] or 0
            r = j.reach_people / size if size else 1.0
            if r > 1.0:
                r, capped = 1.0, capped + 1
        else:
            r, assumed = 1.0, assumed + 1
        x[idx], lo[idx], hi[idx], share[idx] = level * r, l_lo * r, l_hi * r, r
        if state[idx] == UNKNOWN:
            bounded[idx] = True
    return _Grid(state, x, lo, hi, share, bounded, cells, assumed, capped)


def smaa_inputs(assessment: Assessment) -> dict[str, Any]:
    """The keyword arguments ``analyse`` passes to ``paraat_core.smaa.smaa_grid`` (no samples,
    seed or options): judgement ranges options × domains × groups (NaN = unknown or not
    assessed), constraints and the sampling distribution."""
    a = assessment
    grid = _grid(a)
    known = grid.state == ASSESSED
    ranged = known | grid.bounded
    return {
        "options": [o.id for o in a.options],
        "rows": [d.key for d in a.domains],
        "cols": [g.key for g in a.groups],
        "low": np.where(ranged, grid.lo, np.nan),
        "mode": np.where(known, grid.x, np.nan),
        "high": np.where(ranged, grid.hi, np.nan),
        "scale": SCALE,
        "distribution": a.parameters.distribution,
        "row_ordinal": [(c.more, c.less) for c in a.constraints if c.level == "domain"],
        "col_ordinal": [(c.more, c.less) for c in a.constraints if c.level == "group"],
    }


def _weights(
    keys: Sequence[str], given: Mapping[str, float] | None
) -> tuple[FloatArray, list[str]]:
    """Normalised weights in ``keys`` order and the keys the map left out (weight 0)."""
    if given is None:
        return np.full(len(keys), 1.0 / len(keys)), []
    w = np.array([float(given.get(k, 0.0)) for k in keys])
    missing = [k for k in keys if k not in given]
    return w / w.sum(), missing


def _keys(standard: Sequence[str], given: Mapping[str, Any]) -> list[str]:
    return [*standard, *(k for k in given if k not in standard)]


def _lowest_certainty(cells: Sequence[Judgement]) -> str:
    graded = [c.certainty for c in cells if c.certainty]
    if not graded:
        return ""
    return max(graded, key=CERTAINTIES.index)


def _clean(value: Any) -> Any:
    """Plain JSON data: numpy → Python, NaN/inf → None."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


def _r(value: float, digits: int = 6) -> float:
    return round(float(value), digits) if math.isfinite(value) else math.nan


def _effectiveness(o: Option, mask: bool) -> dict[str, Any] | None:
    e = o.effectiveness
    if e is None:
        return None
    if e.confidential and mask:
        return {"confidential": True, "masked": True}
    return {
        "outcome": e.outcome,
        "estimate": e.estimate,
        "low": e.low,
        "high": e.high,
        "unit": e.unit,
        "source": e.source,
        "confidential": e.confidential,
        "note": e.note,
        "masked": False,
    }


def _acceptability(o: Option) -> dict[str, Any] | None:
    c = o.acceptability
    if c is None:
        return None
    return {
        "support": c.support,
        "support_low": c.support_low,
        "support_high": c.support_high,
        "compliance": c.compliance,
        "source": c.source,
        "effect_on_effectiveness": c.effect_on_effectiveness,
    }


def _sensitivity(
    options: Sequence[str], domains: Sequence[str], per_domain: FloatArray, a: FloatArray
) -> list[dict[str, Any]]:
    """One-at-a-time: domain ``d`` gets weight ``t``, the others share ``1 − t`` in proportion.

    ``per_domain[i, d] = Σ_g b_g x_idg``; the score is linear in ``t``, so the switch points
    (where two options swap) are exact.
    """
    out: list[dict[str, Any]] = []
    steps = np.linspace(0.0, 1.0, SENSITIVITY_STEPS)
    m, n_dom = per_domain.shape
    for d in range(n_dom):
        rest = np.delete(a, d)
        rest = rest / rest.sum() if rest.sum() > 0 else np.full(n_dom - 1, 1.0 / max(n_dom - 1, 1))
        others = np.delete(per_domain, d, axis=1) @ rest if n_dom > 1 else np.zeros(m)
        s0, s1 = others, per_domain[:, d]  # score(t) = (1 − t)·s0 + t·s1
        orders = []
        for t in steps:
            score = np.round((1 - t) * s0 + t * s1, 9)  # ties stay ties (stable order)
            order = np.argsort(-score, kind="stable")
            orders.append([options[i] for i in order])
        switches: list[dict[str, Any]] = []
        for i in range(m):
            for j in range(i + 1, m):
                denom = (s1[i] - s0[i]) - (s1[j] - s0[j])
                if abs(denom) < 1e-9:  # parallel: never swap
                    continue
                t_star = round(float((s0[j] - s0[i]) / denom), 9)  # 1 − 1e-16 is 1
                if 0.0 < t_star < 1.0:
                    up, down = (i, j) if denom > 0 else (j, i)
                    switches.append(
                        {"weight": _r(t_star), "up": options[up], "down": options[down]}
                    )
        switches.sort(key=lambda s: s["weight"])
        out.append(
            {
                "domain": domains[d],
                "current": _r(a[d]),
                "weights": [_r(t) for t in steps],
                "orders": orders,
                "switch_points": switches,
            }
        )
    return out


def analyse(
    assessment: Assessment,
    *,
    samples: int = 10_000,
    seed: int | None = None,
    fixed_weights_override: Mapping[str, Mapping[str, float]] | None = None,
    mask_confidential: bool = False,
) -> dict[str, Any]:
    """The ``paraat-assessment-result/1`` result of one assessment (plain JSON data).

    ``seed`` None draws one (reported in ``parameters.seed``, so the run can be repeated).
    ``fixed_weights_override`` (``{"domains": {...}, "groups": {...}}``, either part optional)
    replaces the file's ``weights`` in the explicit view and its sensitivity; SMAA-2 never uses
    explicit weights.  ``mask_confidential`` hides confidential effectiveness figures.
    Raises ``AssessmentError`` for a bad override or constraints that sampling cannot meet.
    """
    a = assessment
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise AssessmentError([Problem("samples", "samples", "must be a positive whole number")])
    if seed is None:
        seed = secrets.randbits(32)
    opts = [o.id for o in a.options]
    doms = [d.key for d in a.domains]
    grps = [g.key for g in a.groups]
    m, n_dom, n_grp = len(opts), len(doms), len(grps)
    grid = _grid(a)
    warnings: list[dict[str, Any]] = []

    def warn(code: str, message: str, **params: Any) -> None:
        warnings.append({"code": code, "message": message, "params": params})

    # ---------------------------------------------------------------- explicit weights
    given_d, given_g, source = a.domain_weights, a.group_weights, "file"
    if fixed_weights_override is not None:
        problems = _check_override(fixed_weights_override, doms, grps)
        if problems:
            raise AssessmentError(problems)
        given_d = fixed_weights_override.get("domains", given_d)
        given_g = fixed_weights_override.get("groups", given_g)
        source = "override"
    elif given_d is None and given_g is None:
        source = "equal"
    a_e, missing_d = _weights(doms, given_d)
    b_e, missing_g = _weights(grps, given_g)
    for level, missing in (("domains", missing_d), ("groups", missing_g)):
        if missing:
            warn(
                "weights_missing",
                f"the explicit weights leave out {len(missing)} {level}; they weigh 0",
                level=level,
                keys=missing,
            )
    w_cell = np.outer(a_e, b_e)  # D × G

    known = grid.state == ASSESSED
    mid = (SCALE[0] + SCALE[1]) / 2.0
    x_point = np.where(known, grid.x, mid)  # explicit view: unknown → the middle of its range
    contrib = x_point * w_cell[None]
    explicit = contrib.sum(axis=(1, 2))
    ranking = smaa_engine.explicit_ranking(
        opts, [f"{d}/{g}" for d in doms for g in grps], x_point.reshape(m, -1), w_cell.ravel()
    )
    explicit_rank = ranking.ranks
    order = [opts.index(o) for o in ranking.order]
    unknown_weight = np.where(known, 0.0, w_cell[None]).sum(axis=(1, 2))
    for i in range(m):
        if unknown_weight[i] > 0:
            warn(
                "explicit_unknown",
                f"the explicit score of {opts[i]!r} counts unknown and not-assessed cells "
                "as the middle of the scale (0); they carry "
                f"{unknown_weight[i]:.0%} of the weight",
                option=opts[i],
                weight_share=_r(unknown_weight[i]),
            )

    # ---------------------------------------------------------------- SMAA-2
    try:
        res = smaa_engine.smaa_grid(
            **smaa_inputs(a),
            samples=samples,
            seed=seed,
            keep_utilities=True,
            group_winning=True,
        )
    except ValueError as exc:
        raise AssessmentError([Problem("smaa", "constraints", str(exc))]) from None
    assert res.utilities is not None and res.group_winning is not None
    span = SCALE[1] - SCALE[0]
    sampled = SCALE[0] + span * res.utilities
    q05, q50, q95 = np.quantile(sampled, [0.05, 0.5, 0.95], axis=0)
    ranks = np.arange(1, m + 1)
    expected_rank = res.rank_acceptability @ ranks
    if res.acceptance < 0.05:
        warn(
            "constraints_strict",
            f"the ordinal constraints keep only {res.acceptance:.1%} of the weight draws",
            acceptance=_r(res.acceptance),
        )

    # ---------------------------------------------------------------- per option
    option_cells: list[list[Judgement]] = [[] for _ in range(m)]
    for (i, _d, _g), j in grid.cells.items():
        option_cells[i].append(j)
    out_options = []
    for i, o in enumerate(a.options):
        assessed = [j for j in option_cells[i] if j.known]
        never_first = bool(np.isnan(res.central_rows[i]).all())
        out_options.append(
            {
                "id": o.id,
                "name": o.name,
                "zero": o.zero,
                "rank_acceptability": [float(b) for b in res.rank_acceptability[i]],  # exact sums
                "expected_rank": _r(expected_rank[i]),
                "holistic": _r(res.holistic[i]),
                "central_weights": None
                if never_first
                else {
                    "domains": {d: _r(w) for d, w in zip(doms, res.central_rows[i], strict=True)},
                    "groups": {g: _r(w) for g, w in zip(grps, res.central_cols[i], strict=True)},
                },
                "confidence": _r(res.confidence[i]),
                "score": {
                    "explicit": _r(explicit[i]),
                    "p05": _r(q05[i]),
                    "p50": _r(q50[i]),
                    "p95": _r(q95[i]),
                },
                "explicit_rank": int(explicit_rank[i]),
                "cells": {
                    "assessed": int((grid.state[i] == ASSESSED).sum()),
                    "unknown": int((grid.state[i] == UNKNOWN).sum()),
                    "not_assessed": int((grid.state[i] == NOT_ASSESSED).sum()),
                    "ungraded": sum(1 for j in assessed if not j.certainty),
                },
                "certainty": _lowest_certainty(assessed),
                "effectiveness": _effectiveness(o, mask_confidential),
                "acceptability": _acceptability(o),
            }
        )

    # ---------------------------------------------------------------- ladder, robustness
    winning = res.winning
    ladder = []
    for pos, i in enumerate(order):
        nxt = order[pos + 1] if pos + 1 < m else None
        ladder.append(
            {
                "option": opts[i],
                "position": pos + 1,
                "score": _r(explicit[i]),
                "rank1_share": _r(res.rank_acceptability[i, 0]),
                "beats_next": None if nxt is None else _r(winning[i, nxt]),
            }
        )
    pair_shares = [(i, j, float(winning[i, j])) for i, j in itertools.pairwise(order)]
    pairs = [{"better": opts[i], "worse": opts[j], "share": _r(c)} for i, j, c in pair_shares]
    weakest = min((c for _, _, c in pair_shares), default=1.0)
    level = (
        "robust"
        if weakest >= ROBUST
        else "fairly_robust"
        if weakest >= FAIRLY_ROBUST
        else "depends_on_weights"
    )
    decisive = _decisive(order, res.central_rows, res.rank_acceptability, doms)
    point_dom = smaa_engine.dominance(opts, np.where(known, grid.x, np.nan).reshape(m, -1))
    certain_dom = set(
        smaa_engine.dominance(
            opts,
            np.where(known, grid.lo, np.nan).reshape(m, -1),
            np.where(known, grid.hi, np.nan).reshape(m, -1),
        )
    )
    dominance = [{"better": b, "worse": w, "certain": (b, w) in certain_dom} for b, w in point_dom]
    dominated = sorted({w for _, w in point_dom}, key=opts.index)
    leader = order[0]
    robustness = {
        "level": level,
        "statement_facts": {
            "explicit_leader": opts[leader],
            "leader_rank1_share": _r(res.rank_acceptability[leader, 0]),
            "most_often_first": opts[int(np.argmax(res.rank_acceptability[:, 0]))],
            "weakest_pair_share": _r(weakest),
            "thresholds": {"robust": ROBUST, "fairly_robust": FAIRLY_ROBUST},
            "dominated": dominated,
            "samples": samples,
        },
        "pairs": pairs,
        "decisive_domains": decisive,
    }

    # ---------------------------------------------------------------- explanation, sensitivity
    explanation: dict[str, list[dict[str, Any]]] = {}
    for i in range(m):
        rows = []
        for d in range(n_dom):
            for g in range(n_grp):
                rows.append(
                    {
                        "domain": doms[d],
                        "group": grps[g],
                        "state": STATES[grid.state[i, d, g]],
                        "value": _r(x_point[i, d, g]),
                        "weight": _r(w_cell[d, g]),
                        "contribution": _r(contrib[i, d, g]),
                    }
                )
        explanation[opts[i]] = rows
    per_domain = x_point @ b_e  # m × D
    sensitivity = _sensitivity(opts, doms, per_domain, a_e)

    # ---------------------------------------------------------------- matrix, distribution
    matrix = []
    for i, o in enumerate(a.options):
        e = o.effectiveness
        masked = bool(e is not None and e.confidential and mask_confidential)
        show = e is not None and not masked
        matrix.append(
            {
                "option": o.id,
                "impact": _r(explicit[i]),
                "impact_low": _r(q05[i]),
                "impact_high": _r(q95[i]),
                "effect": e.estimate if show and e else None,
                "effect_low": e.low if show and e else None,
                "effect_high": e.high if show and e else None,
                "outcome": e.outcome if show and e else None,
                "unit": e.unit if show and e else None,
                "source": e.source if show and e else None,
                "masked": masked,
            }
        )
    distribution: dict[str, list[list[dict[str, Any]]]] = {}
    for i in range(m):
        table = []
        for d in range(n_dom):
            row = []
            for g in range(n_grp):
                cell = grid.cells.get((i, d, g))
                st = int(grid.state[i, d, g])
                row.append(
                    {
                        "value": _r(grid.x[i, d, g]) if st == ASSESSED else None,
                        "low": _r(grid.lo[i, d, g]),
                        "high": _r(grid.hi[i, d, g]),
                        "reach": _r(grid.share[i, d, g])
                        if st == ASSESSED or grid.bounded[i, d, g]
                        else None,
                        "effect": cell.effect if cell else None,
                        "certainty": cell.certainty if cell else "",
                        "state": STATES[st],
                    }
                )
            table.append(row)
        distribution[opts[i]] = table

    # ---------------------------------------------------------------- stacking, lenses
    neg = np.where(known, np.minimum(grid.x, 0.0), 0.0)  # m × D × G, ≤ 0
    burden = np.einsum("idg,d->ig", neg, a_e)  # m × G
    preferred = a.beleidskompas.get("preferred_option", "")
    non_zero = [i for i in order if not a.options[i].zero]
    focus = opts.index(preferred) if preferred else (non_zero[0] if non_zero else order[0])
    stacking = []
    for g, grp in enumerate(a.groups):
        n_neg = int((known[focus, :, g] & (grid.x[focus, :, g] < 0)).sum())
        earlier_burdens = [float(h.burden.get(grp.key, 0.0)) for h in a.history]
        hist = [
            {"label": h.label, "date": h.date, "burden": b}
            for h, b in zip(a.history, earlier_burdens, strict=True)
        ]
        earlier = sum(earlier_burdens)
        cumulative = earlier + float(burden[focus, g])
        reasons = []
        if grp.vulnerable and n_neg >= 2:
            reasons.append("vulnerable_multiple_domains")
        if burden[focus, g] < 0 and any(b < 0 for b in earlier_burdens):
            reasons.append("cumulative_grows")
        stacking.append(
            {
                "group": grp.key,
                "vulnerable": grp.vulnerable,
                "option": opts[focus],
                "negative_domains": n_neg,
                "burden": _r(burden[focus, g]),
                "burden_by_option": {opts[i]: _r(burden[i, g]) for i in range(m)},
                "history": hist,
                "cumulative": _r(cumulative),
                "flag": bool(reasons),
                "reasons": reasons,
            }
        )

    rights_by_key = {r.key: r for r in a.rights_catalogue}
    rights: dict[str, Any] = {}
    lenses: dict[str, Any] = {}
    etd: dict[str, Any] = {}
    lens_domains = [
        doms.index(k) for k in a.parameters.lens_domains.get("equal_opportunities", ()) if k in doms
    ]
    net = np.einsum("idg,d->ig", np.where(known, grid.x, 0.0), a_e)
    for i, o in enumerate(a.options):
        # The standard questions always (unanswered ones count as open), then any question
        # added as editable data, under its own key.
        tests = {k: _answer(o.rights.tests.get(k)) for k in _keys(TESTS, o.rights.tests)}
        checklist = {
            k: _answer(o.rights.checklist.get(k)) for k in _keys(CHECKLIST, o.rights.checklist)
        }
        touched = []
        for t in o.rights.touched:
            r = rights_by_key[t.right]
            touched.append(
                {
                    "right": r.key,
                    "instrument": r.instrument,
                    "article": r.article,
                    "title": r.title,
                    "absolute": r.absolute,
                    "note": t.note,
                }
            )
        open_q = sum(
            1 for v in (*tests.values(), *checklist.values()) if v["answer"] in ("", "unknown")
        )
        rights[o.id] = {
            "tests": tests,
            "checklist": checklist,
            "touched": touched,
            "open_questions": open_q,
            "absolute_touched": sum(1 for t in touched if t["absolute"]),
        }
        neg_cells = [
            (d, g, grid.cells[(i, d, g)])
            for d in range(n_dom)
            for g in range(n_grp)
            if known[i, d, g] and grid.x[i, d, g] < 0
        ]
        lasting = [
            (d, g, j)
            for d, g, j in neg_cells
            if j.horizon in ("long", "both")
            or j.duration in LONG_DURATIONS
            or j.reversibility == "irreversible"
        ]
        vulnerable_neg = sorted(
            {grps[g] for _, g, _ in neg_cells if a.groups[g].vulnerable}, key=grps.index
        )
        lenses[o.id] = {
            "justice": {
                "vulnerable_groups_negative": vulnerable_neg,
                "negative_cells_vulnerable": sum(
                    1 for _, g, _ in neg_cells if a.groups[g].vulnerable
                ),
                "note": o.values.get("justice", ""),
            },
            "solidarity": {
                "groups_net_negative": [grps[g] for g in range(n_grp) if net[i, g] < 0],
                "groups_net_positive": [grps[g] for g in range(n_grp) if net[i, g] > 0],
                "note": o.values.get("solidarity", ""),
            },
            "equal_opportunities": {
                "domains": [doms[d] for d in lens_domains],
                "cells": [
                    _cell_ref(doms, grps, d, g, j) for d, g, j in lasting if d in lens_domains
                ],
                "note": o.values.get("equal_opportunities", ""),
            },
            "future_generations": {
                "cells": [_cell_ref(doms, grps, d, g, j) for d, g, j in lasting],
                "note": o.values.get("future_generations", ""),
            },
        }
        nonzero = [j for j in option_cells[i] if j.known and EFFECT_LEVELS[j.effect] != 0]
        etd[o.id] = {k: o.etd.get(k, "") for k in ETD_FIELDS} | {
            "certainty_computed": _lowest_certainty(nonzero)
        }

    cites: dict[str, int] = {}
    for j in a.judgements:
        for ref in j.evidence:
            cites[ref] = cites.get(ref, 0) + 1
    evidence = [
        {
            "ref": e.ref,
            "title": e.title,
            "year": e.year,
            "type": e.type,
            "certainty": e.certainty,
            "knowledge_class": e.knowledge_class,
            "url": e.url,
            "cells": cites.get(e.ref, 0),
        }
        for e in a.evidence
    ]

    total = m * n_dom * n_grp
    not_assessed = int((grid.state == NOT_ASSESSED).sum())
    if not_assessed > NOT_ASSESSED_WARNING * total:
        warn(
            "not_assessed",
            f"{not_assessed} of {total} cells are not assessed; SMAA samples them over the "
            "whole scale",
            count=not_assessed,
            total=total,
        )
    if grid.reach_assumed:
        warn(
            "reach_assumed",
            f"{grid.reach_assumed} assessed cells give no reach; the whole group is assumed",
            count=grid.reach_assumed,
        )
    if grid.reach_capped:
        warn(
            "reach_capped",
            f"{grid.reach_capped} cells reach more people than the group has; capped at the "
            "whole group",
            count=grid.reach_capped,
        )
    if a.synthetic:
        warn("synthetic", "the assessment holds synthetic (demo) values, not real ones")
    missing_lens = [
        k for k in a.parameters.lens_domains.get("equal_opportunities", ()) if k not in doms
    ]
    if missing_lens:
        warn(
            "lens_domains_missing",
            "lens domains for equal opportunities not in this assessment: "
            + ", ".join(missing_lens),
            keys=missing_lens,
        )

    result = {
        "schema": RESULT_SCHEMA_ID,
        "assessment": {
            "id": a.id,
            "title": a.title,
            "question": a.question,
            "date": a.date,
            "scenario_level": a.scenario_level,
            "synthetic": a.synthetic,
        },
        "parameters": {
            "samples": samples,
            "seed": int(seed),
            "distribution": a.parameters.distribution,
            "scale": list(SCALE),
            "certainty_spread": dict(a.parameters.certainty_spread),
            "weights": {
                "domains": {d: _r(w) for d, w in zip(doms, a_e, strict=True)},
                "groups": {g: _r(w) for g, w in zip(grps, b_e, strict=True)},
            },
            "weights_source": source,
            "constraints": [
                {"level": c.level, "more": c.more, "less": c.less} for c in a.constraints
            ],
            "acceptance": _r(res.acceptance),
            "meta_weights": "linear",
            "sensitivity_steps": SENSITIVITY_STEPS,
            "thresholds": {"robust": ROBUST, "fairly_robust": FAIRLY_ROBUST},
            "stacking_option": opts[focus],
        },
        "domains": [{"key": d.key, "name": d.name} for d in a.domains],
        "groups": [
            {"key": g.key, "name": g.name, "vulnerable": g.vulnerable, "size": g.size}
            for g in a.groups
        ],
        "options": out_options,
        "ladder": ladder,
        "robustness": robustness,
        "dominance": dominance,
        "winning": [[_r(c) for c in row] for row in winning],
        "group_winning": {
            grps[g]: [[_r(c) for c in row] for row in res.group_winning[g]] for g in range(n_grp)
        },
        "explanation": explanation,
        "sensitivity": sensitivity,
        "matrix": matrix,
        "distribution": distribution,
        "stacking": stacking,
        "rights": rights,
        "lenses": lenses,
        "etd": etd,
        "evidence": evidence,
        "warnings": warnings,
    }
    # The large parts hold Python floats and None only (built with ``_r``); skip walking them.
    big = ("explanation", "distribution", "group_winning", "sensitivity")
    out: dict[str, Any] = _clean({k: v for k, v in result.items() if k not in big})
    out.update({k: result[k] for k in big})
    return {k: out[k] for k in result}


def _answer(answer: Any) -> dict[str, str]:
    if answer is None:
        return {"answer": "", "note": ""}
    return {"answer": answer.answer, "note": answer.note}


def _cell_ref(
    doms: Sequence[str], grps: Sequence[str], d: int, g: int, j: Judgement
) -> dict[str, str]:
    return {
        "domain": doms[d],
        "group": grps[g],
        "effect": j.effect,
        "horizon": j.horizon,
        "duration": j.duration,
        "reversibility": j.reversibility,
    }


def _decisive(
    order: Sequence[int], central: FloatArray, rank_acc: FloatArray, doms: Sequence[str]
) -> list[str]:
    """Domains whose central weights differ most between the two leading options.

    The leading options are the first two rungs of the ladder; when one of them never ranks
    first (no central weights), the two options most often first are used instead.
    """
    lead = [i for i in order[:2] if not np.isnan(central[i]).all()]
    if len(lead) < 2:
        by_first = [int(i) for i in np.argsort(-rank_acc[:, 0], kind="stable")]
        lead = [i for i in by_first if not np.isnan(central[i]).all()][:2]
    if len(lead) < 2:
        return []
    diff = np.abs(central[lead[0]] - central[lead[1]])
    ranked = np.argsort(-diff, kind="stable")[:DECISIVE_DOMAINS]
    return [doms[d] for d in ranked if diff[d] >= DECISIVE_MIN_DIFFERENCE]


def _check_override(
    override: Mapping[str, Mapping[str, float]], doms: Sequence[str], grps: Sequence[str]
) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(override, Mapping):
        return [Problem("type", "weights", "must be an object")]
    for level in override:
        if level not in ("domains", "groups"):
            problems.append(Problem("unknown_field", f"weights.{level}", "is not a field"))
    for level, keys in (("domains", doms), ("groups", grps)):
        wmap = override.get(level)
        if wmap is None:
            continue
        if not isinstance(wmap, Mapping):
            problems.append(Problem("type", f"weights.{level}", "must be an object"))
            continue
        total = 0.0
        for k, v in wmap.items():
            if k not in keys:
                problems.append(
                    Problem("unknown_key", f"weights.{level}.{k}", f"is not a key of {level}")
                )
            elif (
                isinstance(v, bool)
                or not isinstance(v, int | float)
                or not math.isfinite(v)
                or v < 0
            ):
                problems.append(Problem("minimum", f"weights.{level}.{k}", "must be a number ≥ 0"))
            else:
                total += float(v)
        if total <= 0:
            problems.append(
                Problem("weights_zero", f"weights.{level}", "at least one weight must be positive")
            )
    return problems
