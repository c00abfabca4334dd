"""Fuzzing the daily-file reader: garbage must give OxcgrtFormatError, nothing else."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat_core.oxcgrt import INDEX_INDICATORS, OxcgrtFormatError, compute_file
from paraat_core.oxcgrt.bench import make_synthetic_file

ROWS = 40


@pytest.fixture(scope="module")
def base_records(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    path = tmp_path_factory.mktemp("fuzz") / "base.csv"
    make_synthetic_file(path, ROWS, seed=11)
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def checked_columns(header: list[str]) -> list[int]:
    """Columns the reader parses: indicator values/flags, Date, PopulationVaccinated."""
    parsed = set(INDEX_INDICATORS)
    return [
        i
        for i, name in enumerate(header)
        if name in ("Date", "PopulationVaccinated")
        or (name.split("_", 1)[0][:2] in parsed and not name.endswith("_Notes"))
    ]


def run(records: list[list[str]], raw_tail: str = "") -> OxcgrtFormatError | None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "fuzz.csv"
        with open(src, "w", newline="", encoding="utf-8", errors="surrogatepass") as fh:
            csv.writer(fh, lineterminator="\n").writerows(records)
            fh.write(raw_tail)
        out = Path(tmp) / "out.csv"
        try:
            compute_file(src, out)
        except OxcgrtFormatError as exc:
            assert not out.exists()
            return exc
        assert out.exists()
        return None


garbage = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12
) | st.sampled_from(["", "1", "9.00", "-1", "1e3", "nan", "inf", "2.50", " 1", "1.000", "x"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_garbage_cell(base_records: list[list[str]], data: st.DataObject) -> None:
    records = [list(r) for r in base_records]
    header = records[0]
    column = data.draw(st.sampled_from(checked_columns(header)))
    row = data.draw(st.integers(1, ROWS))
    records[row][column] = data.draw(garbage)
    err = run(records)
    if err is not None:
        assert err.row is not None
        if err.column is not None:
            assert (err.row, err.column) == (row + 1, header[column])
        else:  # NUL bytes or a duplicated date: still pinned to a row
            assert err.row in (row + 1, row + 2) or "same jurisdiction" in err.message


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_wrong_number_of_cells(base_records: list[list[str]], data: st.DataObject) -> None:
    records = [list(r) for r in base_records]
    row = data.draw(st.integers(1, ROWS))
    if data.draw(st.booleans()):
        del records[row][data.draw(st.integers(0, len(records[row]) - 1))]
    else:
        records[row].insert(data.draw(st.integers(0, len(records[row]))), data.draw(garbage))
    err = run(records)
    assert err is not None
    assert (err.row, err.column) == (row + 1, None)


@settings(max_examples=60, deadline=None)
@given(tail=st.text(min_size=1, max_size=200))
def test_garbage_appended(base_records: list[list[str]], tail: str) -> None:
    err = run([list(r) for r in base_records], raw_tail=tail)
    if err is not None:
        assert err.row is not None and err.row >= ROWS + 2
