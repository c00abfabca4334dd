"""Writes for the shared taxonomies."""

from __future__ import annotations

from typing import TypeVar

from django.db import transaction

from paraat.taxonomies.models import Domain, PopulationGroup, Sector, TaxonomyTerm

T = TypeVar("T", bound=TaxonomyTerm)

_MODELS: dict[str, type[TaxonomyTerm]] = {
    "domain": Domain,
    "group": PopulationGroup,
    "sector": Sector,
}


@transaction.atomic
def term_upsert(
    *,
    kind: str,
    key: str,
    name_nl: str,
    name_en: str = "",
    description: str = "",
    position: int = 0,
) -> TaxonomyTerm:
    """Create or update one taxonomy term by its key (``kind`` is domain, group or sector)."""
    model = _MODELS[kind]
    term, _created = model.objects.update_or_create(
        key=key,
        defaults={
            "name_nl": name_nl,
            "name_en": name_en,
            "description": description,
            "position": position,
        },
    )
    term.full_clean()
    return term
