"""Shared fixtures for the pure-Python core tests (no Django needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_SRC = Path(__file__).resolve().parents[2] / "src"
if str(_SRC) not in sys.path:  # works before the package is installed, too
    sys.path.insert(0, str(_SRC))

from .oxcgrt._paths import OXCGRT_DATA  # noqa: E402


@pytest.fixture
def oxcgrt_shared() -> Path:
    """The shared OxCGRT data directory, or skip when it is not on this machine."""
    if not OXCGRT_DATA.is_dir():
        pytest.skip(f"shared OxCGRT data not found at {OXCGRT_DATA.resolve()}")
    return OXCGRT_DATA


@pytest.fixture
def gbr_2020(oxcgrt_shared: Path) -> Path:
    """OxCGRT_fullwithnotes_GBR_national_2020.csv from the shared data."""
    path = oxcgrt_shared / "OxCGRT_fullwithnotes_GBR_national_2020.csv"
    if not path.is_file():
        pytest.skip(f"{path.name} not found in {oxcgrt_shared.resolve()}")
    return path
