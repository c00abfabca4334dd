from __future__ import annotations

import datetime as dt

import factory

from paraat.accounts.models import Confidentiality
from paraat.measures.models import (
    Jurisdiction,
    Measure,
    MeasureCategory,
    Package,
    PackageItem,
    PackageKind,
    TimelineEvent,
)


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("country_code", "region_code", "kind")

    country_code = "NLD"
    region_code = ""
    kind = "NAT_TOTAL"
    name = "Nederland"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"maatregel-{n}")
    name_nl = factory.Sequence(lambda n: f"Maatregel {n}")
    name_en = factory.Sequence(lambda n: f"Measure {n}")
    category = MeasureCategory.CONTAINMENT
    oxcgrt_indicator = "C1"
    level = 3
    geographic_scope = "general"
    confidentiality = Confidentiality.PUBLIC


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"pakket-{n}")
    name_nl = factory.Sequence(lambda n: f"Pakket {n}")
    kind = PackageKind.ENACTED
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    start_date = dt.date(2020, 3, 16)
    end_date = dt.date(2020, 5, 10)
    confidentiality = Confidentiality.PUBLIC


class PackageItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageItem

    package = factory.SubFactory(PackageFactory)
    measure = factory.SubFactory(MeasureFactory)
    level = factory.LazyAttribute(lambda o: o.measure.level)
    geographic_scope = "general"
    applies_to = "everyone"


class TimelineEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    date = dt.date(2020, 3, 23)
    title_nl = "Intelligente lockdown"
    title_en = "Intelligent lockdown"
    kind = "press_conference"
    confidentiality = Confidentiality.PUBLIC
