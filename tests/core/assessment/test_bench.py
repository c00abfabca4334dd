"""The ``assess`` benchmark: output shape (speed is measured by ``paraat bench assess``)."""

from __future__ import annotations

import pytest

from paraat_core.assessment import analyse, load
from paraat_core.assessment.bench import run, synthetic_document


def test_bench_reports_the_four_figures() -> None:
    pytest.importorskip("pymcdm", reason="pymcdm is not installed")
    lines: list[str] = []
    result = run(samples=500, options=4, domains=3, groups=2, repeat=1, loop_samples=50,
                 log=lines.append)  # fmt: skip
    assert list(result) == ["samples", "seconds", "pymcdm_loop_seconds", "speedup"]
    assert result["samples"] == 500 and result["seconds"] > 0
    # The figures are rounded (seconds to 4 decimals, the loop to 3, the speedup to 1), so the
    # speedup must lie within what those roundings allow -- on a fast machine ``seconds`` is a
    # few ten-thousandths and its rounding alone moves the ratio by several per cent.
    loop, secs = result["pymcdm_loop_seconds"], result["seconds"]
    low = max(loop - 0.0005, 0.0) / (secs + 0.00005) - 0.05
    high = (loop + 0.0005) / max(secs - 0.00005, 1e-9) + 0.05
    assert low <= result["speedup"] <= high
    assert any("extrapolated linearly" in line for line in lines)


def test_synthetic_document_is_valid_and_labelled() -> None:
    doc = synthetic_document(options=3, domains=2, groups=2)
    a = load(doc)
    assert a.synthetic and "synthetisch" in a.title
    assert len(a.judgements) == 3 * 2 * 2


def test_full_size_analysis_runs() -> None:
    """12 options × 12 domains × 15 groups at full size gives a complete result (the speed
    target is checked by ``paraat bench assess``, never by a timed test)."""
    r = analyse(load(synthetic_document()), samples=2_000, seed=1)
    assert len(r["options"]) == 12
    assert all(len(o["rank_acceptability"]) == 12 for o in r["options"])
    assert len(r["domains"]) == 12 and len(r["groups"]) == 15
