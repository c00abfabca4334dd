"""The indicator catalogue against the OxCGRT codebook and index methodology.

Source: OxCGRT codebook and "Calculation of policy indices" (index methodology
v4.0, July 2022), documentation_and_codebook.md in OxCGRT/covid-policy-dataset.
"""

from __future__ import annotations

import dataclasses

import pytest

from paraat_core.oxcgrt import (
    DIFFERENTIATED,
    INDEX_INDICATORS,
    INDEX_MEMBERS,
    INDICATORS,
    indicator,
    level_description,
)

# Methodology table "Max value (N_j) / Flag? (F_j)".
METHODOLOGY_TABLE = {
    "C1": (3, True),
    "C2": (3, True),
    "C3": (2, True),
    "C4": (4, True),
    "C5": (2, True),
    "C6": (3, True),
    "C7": (2, True),
    "C8": (4, False),
    "E1": (2, True),
    "E2": (2, False),
    "H1": (2, True),
    "H2": (3, False),
    "H3": (2, False),
    "H6": (4, True),
    "H7": (5, True),
    "H8": (3, True),
}


def test_every_indicator_is_catalogued() -> None:
    expected = {f"C{i}" for i in range(1, 9)} | {f"E{i}" for i in range(1, 5)}
    expected |= {f"H{i}" for i in range(1, 9)} | {f"V{i}" for i in range(1, 5)}
    assert set(INDICATORS) == expected


@pytest.mark.parametrize(("code", "expected"), sorted(METHODOLOGY_TABLE.items()))
def test_maxima_and_flags_match_methodology(code: str, expected: tuple[int, bool]) -> None:
    ind = indicator(code)
    assert (ind.max_value, ind.has_flag) == expected
    assert ind.kind == "ordinal"


def test_index_indicators_are_the_sixteen() -> None:
    assert set(INDEX_INDICATORS) == set(METHODOLOGY_TABLE)


def test_monetary_indicators_are_not_ordinal() -> None:
    for code in ("E3", "E4", "H4", "H5"):
        assert INDICATORS[code].max_value is None
        assert not INDICATORS[code].indices


def test_differentiated_are_the_ten() -> None:
    assert DIFFERENTIATED == ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "H6", "H8")


def test_index_composition() -> None:
    assert len(INDEX_MEMBERS["StringencyIndex"]) == 9
    assert len(INDEX_MEMBERS["ContainmentHealthIndex"]) == 14
    assert len(INDEX_MEMBERS["GovernmentResponseIndex"]) == 16
    assert INDEX_MEMBERS["EconomicSupportIndex"] == ("E1", "E2")
    for name, members in INDEX_MEMBERS.items():
        for code in members:
            assert name in INDICATORS[code].indices


def test_levels_cover_each_ordinal_scale() -> None:
    for code in INDEX_INDICATORS:
        ind = INDICATORS[code]
        assert [lv.value for lv in ind.levels] == list(range((ind.max_value or 0) + 1))
        assert all(lv.description for lv in ind.levels)
    assert level_description("C6", 3) == "Require not leaving the house, with minimal exceptions"
    with pytest.raises(ValueError):
        level_description("C3", 3)
    with pytest.raises(KeyError):
        indicator("X9")


def test_entries_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        INDICATORS["C1"].max_value = 4  # type: ignore[misc]
