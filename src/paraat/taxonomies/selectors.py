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
