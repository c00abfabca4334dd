"""``paraat bench assess``: SMAA-2 on a synthetic assessment against a pymcdm loop.

The problem: ``options`` options (one zero option), ``domains × groups`` cells, every cell an
interval judgement (random effect level, certainty and reach), ``samples`` SMAA-2 samples.
Timings (best of ``repeat`` runs):

* ``seconds``: the SMAA-2 engine as ``analyse`` calls it (``smaa_grid``: two-level weights,
  rank acceptability, central weights per domain and per group, confidence factors, winning
  and per-group winning indices, the score samples); the whole ``analyse`` (SMAA-2 plus the
  explicit view, sensitivity, ladder and every other part of the result) is printed too;
* ``pymcdm_loop_seconds``: the same SMAA-2 core done the obvious way: per sample, draw the
  weights and judgements with numpy and call ``pymcdm.methods.WSM`` once (normalisation: the
  fixed scale −3…+3 mapped to 0…1, weights = the sampled cell weights), then rank.  Timed on
  ``loop_samples`` samples and extrapolated linearly to ``samples``.

All values are synthetic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from paraat_core.assessment.analysis import analyse, smaa_inputs
from paraat_core.assessment.model import EFFECT_LEVELS, load
from paraat_core.smaa import smaa_grid

_LEVELS = list(EFFECT_LEVELS)
_CERTAINTIES = ["high", "moderate", "low", "very_low"]


def synthetic_document(
    *, options: int = 12, domains: int = 12, groups: int = 15, seed: int = 0
) -> dict[str, Any]:
    """A random but valid ``paraat-assessment/1`` document with every cell judged (synthetic)."""
    rng = np.random.default_rng(seed)
    doc: dict[str, Any] = {
        "schema": "paraat-assessment/1",
        "id": f"bench-{options}x{domains}x{groups}",
        "title": "Benchmark (synthetisch)",
        "question": "Synthetic benchmark question",
        "date": "2023-01-05",
        "synthetic": True,
        "domains": [{"key": f"d{k}", "name": f"Domein {k}"} for k in range(domains)],
        "groups": [
            {"key": f"g{k}", "name": f"Groep {k}", "vulnerable": bool(k % 3 == 0), "size": 100_000}
            for k in range(groups)
        ],
        "options": [{"id": f"o{i}", "name": f"Optie {i}", "zero": i == 0} for i in range(options)],
        "judgements": [],
    }
    for i in range(options):
        for d in range(domains):
            for g in range(groups):
                level = int(rng.integers(0, 7))
                doc["judgements"].append(
                    {
                        "option": f"o{i}",
                        "domain": f"d{d}",
                        "group": f"g{g}",
                        "effect": _LEVELS[level],
                        "certainty": _CERTAINTIES[int(rng.integers(1, 4))],
                        "reach": {"share": round(float(rng.uniform(0.2, 1.0)), 3)},
                    }
                )
    return doc


def pymcdm_loop(
    lo: np.ndarray[Any, Any],
    md: np.ndarray[Any, Any],
    hi: np.ndarray[Any, Any],
    samples: int,
    seed: int = 0,
) -> float:
    """Seconds for ``samples`` SMAA-2 samples with one ``pymcdm`` WSM call per sample."""
    from pymcdm.methods import WSM  # dev dependency

    m, n_dom, n_grp = lo.shape
    n = n_dom * n_grp

    def fixed_scale(x: np.ndarray[Any, Any], cost: bool = False) -> np.ndarray[Any, Any]:
        out: np.ndarray[Any, Any] = (x + 3.0) / 6.0
        return out

    method = WSM(normalization_function=fixed_scale)
    types = np.ones(n)
    rng = np.random.default_rng(seed)
    counts = np.zeros((m, m))
    lo2, md2, hi2 = lo.reshape(m, n), md.reshape(m, n), hi.reshape(m, n)
    t0 = time.perf_counter()
    for _ in range(samples):
        a = rng.dirichlet(np.ones(n_dom))
        b = rng.dirichlet(np.ones(n_grp))
        w = np.outer(a, b).ravel()
        x = rng.triangular(lo2, md2, np.maximum(hi2, lo2 + 1e-12))
        pref = method(x, w, types, validation=False)
        ranks = np.argsort(np.argsort(-pref))
        counts[np.arange(m), ranks] += 1
    return time.perf_counter() - t0


def run(
    *,
    samples: int = 10_000,
    options: int = 12,
    domains: int = 12,
    groups: int = 15,
    seed: int = 0,
    repeat: int = 3,
    loop_samples: int = 1_000,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Time ``analyse`` and the pymcdm loop; the figures for the bench's last line."""
    assessment = load(
        synthetic_document(options=options, domains=domains, groups=groups, seed=seed)
    )
    log(
        f"assess: {options} options × {domains} domains × {groups} groups "
        f"({domains * groups} criteria), {samples} SMAA-2 samples (synthetic); target ≤ 1 s and "
        "≥ 20× faster than calling pymcdm once per sample"
    )
    inputs = smaa_inputs(assessment)
    reps = max(1, repeat)
    best = float("inf")
    for k in range(reps):
        t0 = time.perf_counter()
        smaa_grid(**inputs, samples=samples, seed=seed + k, keep_utilities=True, group_winning=True)
        best = min(best, time.perf_counter() - t0)
    log(
        f"  SMAA-2 engine (rank acceptability, central weights per domain and group, confidence, "
        f"winning and per-group winning indices, score samples): best of {reps}: {best:.3f} s"
    )
    whole = float("inf")
    result: dict[str, Any] = {}
    for k in range(reps):
        t0 = time.perf_counter()
        result = analyse(assessment, samples=samples, seed=seed + k)
        whole = min(whole, time.perf_counter() - t0)
    log(
        f"  whole analyse (SMAA-2 and every other part of the result): best of {reps}: "
        f"{whole:.3f} s"
    )
    lo, md, hi = _ranges(result, options, domains, groups)
    n_loop = max(1, min(loop_samples, samples))
    loop = pymcdm_loop(lo, md, hi, n_loop, seed=seed)
    loop_total = loop * samples / n_loop
    if n_loop < samples:
        log(
            f"  pymcdm loop (one WSM call per sample, rank counts only): {n_loop} samples in "
            f"{loop:.3f} s, extrapolated linearly to {samples} samples: {loop_total:.2f} s"
        )
    else:
        log(f"  pymcdm loop (one WSM call per sample): {samples} samples in {loop_total:.2f} s")
    speedup = loop_total / best
    log(f"  speedup: {speedup:.1f}×")
    return {
        "samples": samples,
        "seconds": round(best, 4),
        "pymcdm_loop_seconds": round(loop_total, 3),
        "speedup": round(speedup, 1),
    }


def _ranges(
    result: dict[str, Any], options: int, domains: int, groups: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The judgement ranges of the result's distribution (options × domains × groups)."""
    lo = np.zeros((options, domains, groups))
    md = np.zeros_like(lo)
    hi = np.zeros_like(lo)
    for i, table in enumerate(result["distribution"].values()):
        for d, row in enumerate(table):
            for g, cell in enumerate(row):
                lo[i, d, g], hi[i, d, g] = cell["low"], cell["high"]
                md[i, d, g] = cell["value"] if cell["value"] is not None else 0.0
    return lo, md, hi
