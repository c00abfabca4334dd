"""Demo data of paraat.activation."""

from __future__ import annotations


def activation_demo_load() -> dict[str, object]:
    return {}
