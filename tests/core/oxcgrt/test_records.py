"""Per-row policy records for the importer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from paraat_core.oxcgrt import INDEX_INDICATORS, JurisdictionKey, iter_policy_records

from ._paths import GBR_DIFFERENTIATED


def test_gbr_2020_records(gbr_2020: Path) -> None:
    records = list(iter_policy_records(gbr_2020, include_notes=True))
    assert len(records) == 366
    first = records[0]
    assert first.row == 2
    assert first.date == dt.date(2020, 1, 1)
    assert first.jurisdiction == JurisdictionKey("GBR", "", "", "NAT_TOTAL")
    assert list(first.policies) == list(INDEX_INDICATORS)
    assert first.policies["C1"].everyone == (0, None)
    assert first.policies["C1"].non_vaccinated == (None, None)
    assert first.population_vaccinated == 0.0
    lockdown = next(r for r in records if r.date == dt.date(2020, 4, 1))
    assert lockdown.policies["C6"].everyone == (2, 1)
    assert lockdown.policies["C1"].everyone == (3, 1)
    assert lockdown.policies["C8"].everyone == (0, None)
    assert any(r.policies["C1"].notes for r in records)


def test_differentiated_records() -> None:
    records = list(iter_policy_records(GBR_DIFFERENTIATED))
    assert len(records) == 810
    split = [r for r in records if r.policies["C2"].non_vaccinated != (None, None)]
    assert split
    r = split[0]
    assert r.policies["C2"].everyone == (None, None)
    assert r.policies["C2"].vaccinated is not None
    assert r.policies["C2"].vaccinated[0] is not None
    assert r.policies["E1"].non_vaccinated is None  # not a differentiated indicator
    assert r.population_vaccinated is not None and r.population_vaccinated > 50
