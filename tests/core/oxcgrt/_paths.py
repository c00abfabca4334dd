"""Where the test data live."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
#: ``../shared/data`` next to the repository root (read-only real data).
SHARED_DATA = REPO / ".." / "shared" / "data"
OXCGRT_DATA = SHARED_DATA / "oxcgrt"
#: Small excerpts of OxCGRT files kept with the tests (see data/README.md).
FIXTURES = Path(__file__).resolve().parent / "data"
GBR_DIFFERENTIATED = (
    FIXTURES / "OxCGRT_fullwithnotes_GBR_v1_2021-09-20_2022-02-28_notes_removed.csv"
)
CHN_LEGACY = FIXTURES / "OxCGRT_withnotes_2023_legacy_CHN_selection.csv"
