"""Writes for the shared taxonomies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

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
    dimension: str = "",
    is_vulnerable: bool = False,
    is_active: bool = True,
) -> TaxonomyTerm:
    """Create or update one taxonomy term by its key (``kind`` is domain, group or sector)."""
    model = _MODELS[kind]
    defaults: dict[str, Any] = {
        "name_nl": name_nl.strip(),
        "name_en": name_en.strip(),
        "description": description.strip(),
        "position": position,
        "is_active": is_active,
    }
    if model is PopulationGroup:
        defaults.update(dimension=dimension, is_vulnerable=is_vulnerable)
    term, _created = model.objects.update_or_create(key=key, defaults=defaults)
    term.full_clean()
    return term


SEED_FILE = Path(__file__).parent / "data" / "taxonomies.json"


@transaction.atomic
def taxonomy_seed(*, path: Path = SEED_FILE) -> dict[str, int]:
    """Create the base impact domains and groups that are missing; never overwrite edits.

    The lists follow broad wellbeing (domains) and PROGRESS-Plus plus the MIT's vulnerable
    groups (groups); beheerders edit them afterwards as data.
    """
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    created = {"domain": 0, "group": 0}
    for kind, section in (("domain", "domains"), ("group", "groups")):
        model = _MODELS[kind]
        for term in data.get(section, []):
            if model.objects.filter(key=term["key"]).exists():
                continue
            term_upsert(
                kind=kind,
                key=term["key"],
                name_nl=term["name_nl"],
                name_en=term.get("name_en", ""),
                description=term.get("description", ""),
                position=int(term.get("position", 0)),
                dimension=term.get("dimension", ""),
                is_vulnerable=bool(term.get("is_vulnerable", False)),
            )
            created[kind] += 1
    return created
