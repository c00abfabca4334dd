from __future__ import annotations

import factory

from paraat.taxonomies.models import Domain, PopulationGroup, Sector


class PopulationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationGroup
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"groep-{n}")
    name_nl = factory.Sequence(lambda n: f"Groep {n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"sector-{n}")
    name_nl = factory.Sequence(lambda n: f"Sector {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"domein-{n}")
    name_nl = factory.Sequence(lambda n: f"Domein {n}")
