"""Demo data of paraat.network."""

from __future__ import annotations


def network_demo_load() -> dict[str, object]:
    return {}
