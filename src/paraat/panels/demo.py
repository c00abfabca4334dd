"""Demo data of paraat.panels."""

from __future__ import annotations


def panels_demo_load() -> dict[str, object]:
    return {}
