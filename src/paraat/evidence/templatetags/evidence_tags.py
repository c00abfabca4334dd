"""Small template helpers for the knowledge library pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

DIRECTION_SYMBOLS = {
    "positive": "▲",
    "negative": "▼",
    "mixed": "◆",
    "none": "○",
    "unknown": "?",
}


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, [])


@register.filter
def direction_symbol(direction: str) -> str:
    """A symbol next to the word, so the direction never depends on colour alone."""
    return DIRECTION_SYMBOLS.get(direction, "")


@register.filter
def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


@register.filter
def provenance(item: Any) -> str:
    """Who brought the item in, on whose behalf (shown wherever an item is cited)."""
    from paraat.evidence.selectors import evidence_provenance

    return evidence_provenance(item)


@register.filter
def interests(item: Any) -> str:
    from paraat.evidence.selectors import evidence_interests

    return evidence_interests(item)
