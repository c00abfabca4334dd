"""The benchmark helper (the full 200,000-row run is documented, not run here)."""

from __future__ import annotations

import csv
from pathlib import Path

from paraat_core.oxcgrt import compute_file, read_policy_table
from paraat_core.oxcgrt.bench import FULL_WITH_NOTES_HEADER, make_synthetic_file, run


def test_header_is_the_full_with_notes_header(gbr_2020: Path) -> None:
    with open(gbr_2020, newline="", encoding="utf-8") as fh:
        assert tuple(next(csv.reader(fh))) == FULL_WITH_NOTES_HEADER


def test_synthetic_file_is_realistic(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.csv"
    make_synthetic_file(path, 2500, seed=5)
    with open(path, newline="", encoding="utf-8") as fh:
        records = list(csv.reader(fh))
    assert len(records) == 2501
    notes = [c for r in records[1:] for c in r if len(c) > 60]
    assert any("," in c for c in notes)
    assert any('"' in c for c in notes)
    assert any("\n" in c for c in notes)
    table = read_policy_table(path)
    assert table.non_vaccinated is not None
    assert (table.non_vaccinated.values["C1"] >= 0).any()
    assert len(set(table.groups.tolist())) == 3
    assert compute_file(path, tmp_path / "out.csv") == 2500


def test_run_returns_the_figures() -> None:
    figures = run(1500, repeat=1)
    assert set(figures) == {"rows", "command_s", "pandas_read_s", "ratio"}
    assert figures["rows"] == 1500
    assert figures["command_s"] > 0 and figures["pandas_read_s"] > 0
    assert figures["ratio"] == figures["command_s"] / figures["pandas_read_s"]
