from __future__ import annotations

from django.db.models import QuerySet

from paraat.taxonomies.models import Domain, PopulationGroup, Sector


def group_list() -> QuerySet[PopulationGroup]:
    return PopulationGroup.objects.filter(is_active=True)


def sector_list() -> QuerySet[Sector]:
    return Sector.objects.filter(is_active=True)


def domain_list() -> QuerySet[Domain]:
    return Domain.objects.filter(is_active=True)


def term_exists(*, kind: str, key: str) -> bool:
    model = {"domain": Domain, "group": PopulationGroup, "sector": Sector}[kind]
    return model.objects.filter(key=key).exists()


TAXONOMY_KINDS = {"domain": Domain, "group": PopulationGroup, "sector": Sector}


def term_list_all(*, kind: str) -> QuerySet[Domain] | QuerySet[PopulationGroup] | QuerySet[Sector]:
    """All terms of a kind, inactive ones included (for the editing pages)."""
    return TAXONOMY_KINDS[kind].objects.all()


def term_get(*, kind: str, key: str) -> Domain | PopulationGroup | Sector | None:
    return TAXONOMY_KINDS[kind].objects.filter(key=key).first()
