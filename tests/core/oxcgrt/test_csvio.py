"""Reading and writing OxCGRT files; reproduction of published index columns."""

from __future__ import annotations

import csv
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from paraat_core.oxcgrt import (
    INDEX_COLUMNS,
    OxcgrtFormatError,
    compute_file,
    csvio,
    format_hundredths,
    read_policy_table,
)
from paraat_core.oxcgrt.bench import make_synthetic_file

from ._paths import GBR_DIFFERENTIATED


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_gbr_2020_all_13_columns_reproduced(gbr_2020: Path, tmp_path: Path) -> None:
    """OxCGRT_fullwithnotes_GBR_national_2020.csv: every row, all 13 columns, as text."""
    out = tmp_path / "indices.csv"
    assert compute_file(gbr_2020, out) == 366
    published = read_rows(gbr_2020)
    ours = read_rows(out)
    assert list(ours[0]) == ["CountryCode", "RegionCode", "Jurisdiction", "Date", *INDEX_COLUMNS]
    assert len(ours) == len(published) == 366
    for pub, mine in zip(published, ours, strict=True):
        for key in ("CountryCode", "RegionCode", "Jurisdiction", "Date"):
            assert mine[key] == pub[key]
        for column in INDEX_COLUMNS:
            assert mine[column] == pub[column], (pub["Date"], column)


def test_gbr_differentiated_period(tmp_path: Path) -> None:
    """UK and nations, Sep 2021 - Feb 2022, with NV/V policies (final dataset).

    NonVaccinated, Vaccinated and EconomicSupport match on every row.
    WeightedAverage matches on all rows but one: GBR 2021-12-23, government
    response, (49.48 * 70 + 45.83 * 30) / 100 = 46.925 exactly, which we round
    half to even (46.92) and OxCGRT published as 46.93 - its PopulationVaccinated
    has more decimals than the 70.00 it publishes.
    SimpleAverage matches on every row: OxCGRT averages the two-decimal NV and
    V values in single precision (float32) and rounds to two decimals; the
    exactly rounded mean would differ by 0.01 on 148 of the 2430 values.
    """
    out = tmp_path / "indices.csv"
    compute_file(GBR_DIFFERENTIATED, out)
    published = read_rows(GBR_DIFFERENTIATED)
    ours = read_rows(out)
    assert len(ours) == len(published) == 810
    off: dict[str, list[tuple[str, str]]] = {c: [] for c in INDEX_COLUMNS}
    for pub, mine in zip(published, ours, strict=True):
        for column in INDEX_COLUMNS:
            if mine[column] != pub[column]:
                assert abs(float(mine[column]) - float(pub[column])) == pytest.approx(0.01)
                off[column].append((pub["RegionCode"], pub["Date"]))
    assert off["GovernmentResponseIndex_WeightedAverage"] == [("", "20211223")]
    exact = [c for c in INDEX_COLUMNS if "WeightedAverage" not in c]
    assert all(not off[c] for c in exact)
    assert not off["StringencyIndex_WeightedAverage"]
    assert not off["ContainmentHealthIndex_WeightedAverage"]
    table = read_policy_table(GBR_DIFFERENTIATED)
    assert table.source == "E/NV/V"
    assert table.non_vaccinated is not None
    assert (table.non_vaccinated.values["C2"] >= 0).any()


def test_formatting() -> None:
    assert format_hundredths(10000) == "100.00"
    assert format_hundredths(556) == "5.56"
    assert format_hundredths(0) == "0.00"
    assert format_hundredths(-1) == ""


HEADER = (
    "CountryName,CountryCode,RegionName,RegionCode,Jurisdiction,Date,"
    "C1_School closing,C1_Flag,C1_Notes,C2_Workplace closing,C2_Flag,C3_Cancel public events,"
    "C3_Flag,C4_Restrictions on gatherings,C4_Flag,C5_Close public transport,C5_Flag,"
    "C6_Stay at home requirements,C6_Flag,C7_Restrictions on internal movement,C7_Flag,"
    "C8_International travel controls,E1_Income support,E1_Flag,E2_Debt/contract relief,"
    "H1_Public information campaigns,H1_Flag,H2_Testing policy,H3_Contact tracing,"
    "H6_Facial Coverings,H6_Flag,H7_Vaccination policy,H7_Flag,"
    "H8_Protection of elderly people,H8_Flag,PopulationVaccinated,Extra column"
)


def legacy_row(
    date: str, c1: str = "3.00", c1_flag: str = "1", note: str = "", pv: str = ""
) -> str:
    quoted = '"' + note.replace('"', '""') + '"'
    return (
        f"Testland,TST,,,NAT_TOTAL,{date},{c1},{c1_flag},{quoted},2.00,0,2,1,4,1,1,1,2,0,2,1,"
        f"3,2,1,2,2,1,3,2,3,0,5,1,3,1,{pv},whatever"
    )


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_small_legacy_file_with_awkward_notes(tmp_path: Path) -> None:
    note = 'Closed, then "reopened",\nsee https://example.org/a,b'
    src = write(
        tmp_path / "in.csv",
        [HEADER, legacy_row("20210101", note=note), legacy_row("20210102", "2", "0", pv="12.5")],
    )
    out = tmp_path / "out.csv"
    assert compute_file(src, out, extra_columns=True) == 2
    rows = read_rows(out)
    assert [r["Date"] for r in rows] == ["20210101", "20210102"]
    assert rows[0]["StringencyIndex_NonVaccinated"] != ""
    assert rows[1]["StringencyLegacyIndexForDisplay"] != ""
    assert set(os.listdir(tmp_path)) == {"in.csv", "out.csv"}


def test_over_50_percent_category_blanks_weighted_average(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", [HEADER, legacy_row("20210101", pv="Over 50%")])
    compute_file(src, tmp_path / "out.csv")
    row = read_rows(tmp_path / "out.csv")[0]
    assert row["StringencyIndex_WeightedAverage"] == ""
    assert row["StringencyIndex_SimpleAverage"] != ""


@pytest.mark.parametrize(
    ("mutate", "row", "column", "message"),
    [
        (lambda r: r.replace(",3.00,1,", ",x,1,", 1), 3, "C1_School closing", "not a number"),
        (lambda r: r.replace(",3.00,1,", ",2.5,1,", 1), 3, "C1_School closing", "whole"),
        (lambda r: r.replace(",3.00,1,", ",4.00,1,", 1), 3, "C1_School closing", "outside"),
        (lambda r: r.replace(",3.00,1,", ",3.00,7,", 1), 3, "C1_Flag", "0 or 1"),
        (lambda r: r.replace("20210102", "20210231"), 3, "Date", "does not exist"),
        (lambda r: r.replace("20210102", "2021-01-02"), 3, "Date", "YYYYMMDD"),
        (lambda r: r + ",one too many", 3, None, "columns"),
        (lambda r: r.rsplit(",", 1)[0], 3, None, "columns"),
        (
            lambda r: r.replace(",,whatever", ",-3,whatever"),
            3,
            "PopulationVaccinated",
            "percentage",
        ),
    ],
)
def test_malformed_rows(
    tmp_path: Path, mutate: object, row: int, column: str | None, message: str
) -> None:
    """Row numbers count the header as row 1; the multi-line note in row 2
    does not shift them."""
    assert callable(mutate)
    note = "line one\nline two, with a comma"
    lines = [HEADER, legacy_row("20210101", note=note), mutate(legacy_row("20210102"))]
    src = write(tmp_path / "bad.csv", lines)
    out = tmp_path / "out.csv"
    with pytest.raises(OxcgrtFormatError) as err:
        compute_file(src, out)
    assert err.value.file == "bad.csv"
    assert err.value.row == row
    assert err.value.column == column
    assert message in err.value.message
    assert not out.exists()
    assert os.listdir(tmp_path) == ["bad.csv"]


def test_duplicate_date_is_a_format_error(tmp_path: Path) -> None:
    src = write(tmp_path / "dup.csv", [HEADER, legacy_row("20210101"), legacy_row("20210101")])
    with pytest.raises(OxcgrtFormatError) as err:
        compute_file(src, tmp_path / "out.csv")
    assert err.value.row == 3


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ("", 1),
        ("Date,C1_School closing\n20200101,1\n", 1),  # no CountryCode
        ("CountryCode,Date,Notes only\nAAA,20200101,x\n", 1),  # no indicator columns
        ("CountryCode,Date,C1_Flag\nAAA,20200101,1\n", 1),  # flag without value
        ("CountryCode,CountryCode,Date,C1_School closing\n", 1),
    ],
)
def test_bad_headers(tmp_path: Path, text: str, row: int) -> None:
    src = tmp_path / "h.csv"
    src.write_text(text, encoding="utf-8")
    with pytest.raises(OxcgrtFormatError) as err:
        read_policy_table(src)
    assert err.value.row == row


def test_blank_lines_only_at_the_end(tmp_path: Path) -> None:
    ok = write(tmp_path / "ok.csv", [HEADER, legacy_row("20210101"), "", ""])
    assert read_policy_table(ok).n_rows == 1
    bad = write(tmp_path / "bad.csv", [HEADER, legacy_row("20210101"), "", legacy_row("20210102")])
    with pytest.raises(OxcgrtFormatError) as err:
        read_policy_table(bad)
    assert err.value.row == 3


def test_not_utf8(tmp_path: Path) -> None:
    src = tmp_path / "latin1.csv"
    src.write_bytes(
        (HEADER + "\n").encode() + legacy_row("20210101", note="café").encode("latin-1")
    )
    with pytest.raises(OxcgrtFormatError) as err:
        read_policy_table(src)
    assert err.value.row == 2


def test_majority_only_file(tmp_path: Path) -> None:
    """Compact files only have C1M_... and C8EV_...: read as the everyone policy."""
    src = write(
        tmp_path / "compact.csv",
        [
            "CountryCode,Date,C1M_School closing,C1M_Flag,C8EV_International travel controls",
            "AAA,20220101,3.00,1,4.00",
        ],
    )
    table = read_policy_table(src)
    assert table.source == "majority"
    assert table.everyone.values["C1"].tolist() == [3]
    assert table.everyone.values["C8"].tolist() == [4]


def test_majority_columns_checked_but_not_used(tmp_path: Path) -> None:
    header = "CountryCode,Date,C1E_School closing,C1E_Flag,C1M_School closing,C1M_Flag"
    ok = write(tmp_path / "ok.csv", [header, "AAA,20220101,2.00,0,3.00,1"])
    assert read_policy_table(ok).everyone.values["C1"].tolist() == [2]
    bad = write(tmp_path / "bad.csv", [header, "AAA,20220101,2.00,0,9.00,1"])
    with pytest.raises(OxcgrtFormatError) as err:
        read_policy_table(bad)
    assert err.value.column == "C1M_School closing"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "OxCGRT_fullwithnotes_synthetic.csv"
    make_synthetic_file(path, 4000, seed=3)
    return path


def test_parallel_and_serial_reads_agree(synthetic: Path) -> None:
    serial = read_policy_table(synthetic, workers=1)
    parallel = read_policy_table(synthetic, workers=2)
    assert serial.keys == parallel.keys
    assert np.array_equal(serial.days, parallel.days)
    for pop in ("everyone", "non_vaccinated", "vaccinated"):
        a, b = getattr(serial, pop), getattr(parallel, pop)
        assert a.values.keys() == b.values.keys()
        for code in a.values:
            assert np.array_equal(a.values[code], b.values[code])
        assert a.flags.keys() == b.flags.keys()
        for code in a.flags:
            assert np.array_equal(a.flags[code], b.flags[code])
    s, p = serial.compute(), parallel.compute()
    for column in s.hundredths:
        assert np.array_equal(s.hundredths[column], p.hundredths[column])


def test_parallel_path_really_runs(synthetic: Path) -> None:
    if threading.active_count() != 1:  # e.g. after browser tests in the same process
        pytest.skip("parallel reading forks only from a single-threaded process")
    done = csvio._parallel_chunks(synthetic, 2, with_notes=False)
    assert done is not None
    _layout, parts = done
    assert sum(len(p.days) for p in parts) == 4000
    assert parts[-1].first_row + len(parts[-1].days) - 1 == 4001


def test_parallel_error_has_the_serial_row_number(synthetic: Path, tmp_path: Path) -> None:
    with open(synthetic, newline="", encoding="utf-8") as fh:
        records = list(csv.reader(fh))
    records[3501][records[0].index("Date")] = "2O200101"  # data record 3501 = row 3502
    broken = tmp_path / "broken.csv"
    with open(broken, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(records)
    with pytest.raises(OxcgrtFormatError) as serial:
        read_policy_table(broken, workers=1)
    with pytest.raises(OxcgrtFormatError) as parallel:
        read_policy_table(broken, workers=2)
    assert (serial.value.row, serial.value.column) == (3502, "Date")
    assert (parallel.value.row, parallel.value.column) == (3502, "Date")


def test_header_only_file(tmp_path: Path) -> None:
    src = write(tmp_path / "empty.csv", [HEADER])
    out = tmp_path / "out.csv"
    assert compute_file(src, out, extra_columns=True) == 0
    assert out.read_text(encoding="utf-8").count("\n") == 1
