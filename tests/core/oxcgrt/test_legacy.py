"""Legacy stringency index and the legacy-format (pre-July 2022) file layout.

Formula: "Legacy stringency index", OxCGRT index methodology (equations 3-4 in
v3.6): SI_legacy = (I_C1 + I_C2 + max(I_C3, I_C4) + I_C5 + max(I_C6, I_C7) +
I_C8 + I_H1) / 7 with I = 100 (v + f) / (N + 1) and I_C8 = 100 v / N_C8.

N_C8 is 4 (the current 0-4 scale): in OxCGRT's 2023 legacy file, Chongqing on
1 Jan 2023 (C1 = 1 general, C2 = 1 general, C8 = 3, H1 = 2 general, the rest
0) has a legacy index of 39.29 = (50 + 50 + 75 + 100) / 7, so I_C8 = 75 = 3/4.
(Very early files, April 2020, used 100 v / 5; that version is not reproduced.)
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from paraat_core.oxcgrt import compute_file, day_indices, legacy_sub_index, read_policy_table

from ._paths import CHN_LEGACY
from .test_day_indices import EXAMPLE


def test_legacy_sub_index() -> None:
    assert legacy_sub_index("C1", 2, 1) == 75.0
    assert legacy_sub_index("C3", 2, 0) == pytest.approx(200 / 3)
    assert legacy_sub_index("C8", 3) == 75.0
    assert legacy_sub_index("C1", 0) == 0.0
    with pytest.raises(ValueError):
        legacy_sub_index("H2", 1)


def test_worked_example_legacy() -> None:
    """The 2023 codebook's example table also lists a legacy index of 48.81.

    With the published formula the example gives
    (75 + 0 + max(66.67, 40) + 0 + max(25, 66.67) + 75 + 66.67) / 7 = 350 / 7 = 50.00;
    48.81 (= 341.67 / 7) matches no reading of the formula, while the formula
    reproduces every published legacy value in OxCGRT's 2023 legacy file
    (test_legacy_file_reproduced below).  We follow the data: 50.00.
    """
    assert day_indices(EXAMPLE)["StringencyLegacyIndex"] == 50.0


def test_published_rows() -> None:
    bj = day_indices(
        {
            "C1": (2, 1),
            "C2": (1, 1),
            "C3": (1, 1),
            "C4": 0,
            "C5": 0,
            "C6": (2, 0),
            "C7": (1, 1),
            "C8": 3,
            "H1": (2, 1),
        }
    )
    assert bj["StringencyLegacyIndex"] == 61.90  # CHN_BJ 2023-01-01, as published
    cq = day_indices(
        {
            "C1": (1, 1),
            "C2": (1, 1),
            "C3": 0,
            "C4": 0,
            "C5": 0,
            "C6": 0,
            "C7": 0,
            "C8": 3,
            "H1": (2, 1),
        }
    )
    assert cq["StringencyLegacyIndex"] == 39.29  # CHN_CQ 2023-01-01, as published


LEGACY_TO_OURS = {
    "StringencyIndex": "StringencyIndex_NonVaccinated",
    "StringencyIndexForDisplay": "StringencyIndex_NonVaccinated_ForDisplay",
    "GovernmentResponseIndex": "GovernmentResponseIndex_NonVaccinated",
    "GovernmentResponseIndexForDisplay": "GovernmentResponseIndex_NonVaccinated_ForDisplay",
    "ContainmentHealthIndex": "ContainmentHealthIndex_NonVaccinated",
    "ContainmentHealthIndexForDisplay": "ContainmentHealthIndex_NonVaccinated_ForDisplay",
    "EconomicSupportIndex": "EconomicSupportIndex",
    "EconomicSupportIndexForDisplay": "EconomicSupportIndex_ForDisplay",
    "StringencyLegacyIndex": "StringencyLegacyIndex",
    "StringencyLegacyIndexForDisplay": "StringencyLegacyIndexForDisplay",
}


def test_legacy_file_reproduced(tmp_path: Path) -> None:
    """Every index and display column of the 2023 legacy excerpt, cell for cell.

    The excerpt has blank indicators: Anhui lacks most of them (all indices
    rejected), Beijing lacks E1/E2 on some days (economic support rejected,
    government response still published), and every province has trailing
    days without any data (never filled in the display columns).
    """
    out = tmp_path / "indices.csv"
    n = compute_file(CHN_LEGACY, out, extra_columns=True)
    with open(CHN_LEGACY, newline="", encoding="utf-8") as fh:
        published = list(csv.DictReader(fh))
    with open(out, newline="", encoding="utf-8") as fh:
        ours = list(csv.DictReader(fh))
    assert n == len(published) == len(ours) == 236
    blanks = 0
    for pub, mine in zip(published, ours, strict=True):
        assert (pub["CountryCode"], pub["RegionCode"], pub["Date"]) == (
            mine["CountryCode"],
            mine["RegionCode"],
            mine["Date"],
        )
        for theirs, column in LEGACY_TO_OURS.items():
            assert mine[column] == pub[theirs], (pub["RegionCode"], pub["Date"], theirs)
        blanks += pub["GovernmentResponseIndex"] == ""
    assert blanks > 100  # the excerpt really exercises the rejection rules
    assert read_policy_table(CHN_LEGACY).source == "single"
