"""Demo data of paraat.preparedness."""

from __future__ import annotations


def preparedness_demo_load() -> dict[str, object]:
    return {}
