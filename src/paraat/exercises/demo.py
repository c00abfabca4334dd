"""Demo data of paraat.exercises."""

from __future__ import annotations


def exercises_demo_load() -> dict[str, object]:
    return {}
