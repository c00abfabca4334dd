"""Shared fixtures of the activation tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paraat.activation.tests import factories


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Stored documents go to a temporary folder (no files left behind)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def people(db: Any, media: Path) -> dict[str, Any]:
    return factories.people()
