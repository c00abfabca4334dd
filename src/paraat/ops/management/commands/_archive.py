"""Shared parts of the backup, restore, export and import commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings


def default_output(prefix: str, suffix: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"{prefix}-{stamp}{suffix}"
