from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from paraat.measures import services
from paraat.measures.models import Package
from paraat.measures.selectors import measures_in_force
from paraat.measures.tests.factories import (
    JurisdictionFactory,
    MeasureFactory,
    PackageFactory,
    PackageItemFactory,
)
from paraat.measures.whatif import items_what_if
from paraat.taxonomies.tests.factories import PopulationGroupFactory, SectorFactory

pytestmark = pytest.mark.django_db


def test_measure_create_with_groups_and_sectors() -> None:
    PopulationGroupFactory(key="jongeren")
    SectorFactory(key="onderwijs")
    measure = services.measure_create(
        data=services.MeasureData(
            key="scholen-dicht",
            name_nl="Scholen dicht",
            oxcgrt_indicator="C1",
            level=3,
            geographic_scope="general",
            legal_basis="Wet publieke gezondheid, art. 58j",
            groups=("jongeren",),
            sectors=("onderwijs",),
        )
    )
    assert list(measure.groups.values_list("key", flat=True)) == ["jongeren"]
    assert measure.sectors.get().key == "onderwijs"


@pytest.mark.parametrize(
    ("indicator", "level", "scope", "field"),
    [
        ("C1", 4, "general", "level"),  # C1 max is 3
        ("C8", 5, "", "level"),  # C8 max is 4
        ("C8", 2, "targeted", "geographic_scope"),  # C8 has no flag
        ("Z9", 1, "", "oxcgrt_indicator"),
        ("C1", None, "general", "level"),
        ("", 2, "", "level"),
    ],
)
def test_measure_coding_is_checked_against_the_codebook(indicator, level, scope, field) -> None:
    with pytest.raises(ValidationError) as info:
        services.measure_create(
            data=services.MeasureData(
                key="x",
                name_nl="X",
                oxcgrt_indicator=indicator,
                level=level,
                geographic_scope=scope,
            )
        )
    assert field in info.value.message_dict


def test_unknown_group_is_rejected_and_nothing_is_written() -> None:
    from paraat.measures.models import Measure

    with pytest.raises(ValidationError):
        services.measure_create(
            data=services.MeasureData(
                key="y",
                name_nl="Y",
                oxcgrt_indicator="C2",
                level=1,
                geographic_scope="general",
                groups=("bestaat-niet",),
            )
        )
    assert not Measure.objects.filter(key="y").exists()


def test_package_items_validated_and_atomic() -> None:
    MeasureFactory(key="avondklok", oxcgrt_indicator="C6", level=2)
    nl = JurisdictionFactory()
    data = services.PackageData(
        key="p1",
        name_nl="P1",
        jurisdiction=nl,
        start_date=dt.date(2021, 1, 23),
        end_date=dt.date(2021, 4, 27),
        items=(
            services.PackageItemData(measure_key="avondklok"),
            services.PackageItemData(measure_key="avondklok", level=9, applies_to="vaccinated"),
        ),
    )
    with pytest.raises(ValidationError) as info:
        services.package_create(data=data)
    assert "Onderdeel 2" in str(info.value)
    assert not Package.objects.filter(key="p1").exists()


def test_package_end_before_start_is_rejected() -> None:
    with pytest.raises(ValidationError):
        services.package_create(
            data=services.PackageData(
                key="p2",
                name_nl="P2",
                jurisdiction=JurisdictionFactory(),
                start_date=dt.date(2021, 2, 1),
                end_date=dt.date(2021, 1, 1),
            )
        )


def test_what_if_of_a_package() -> None:
    # Worked example: only C1 = 3 (general) → I_C1 = 100; stringency = 100/9, containment and
    # health = 100/14, government response = 100/16, economic support = 0.
    item = PackageItemFactory(measure=MeasureFactory(oxcgrt_indicator="C1", level=3))
    result = items_what_if(items=[item])
    assert result.get("StringencyIndex_WeightedAverage") == pytest.approx(11.11, abs=0.01)
    assert result.get("ContainmentHealthIndex_WeightedAverage") == pytest.approx(7.14, abs=0.01)
    assert result.get("GovernmentResponseIndex_WeightedAverage") == pytest.approx(6.25, abs=0.01)
    assert result.get("EconomicSupportIndex") == pytest.approx(0.0)


def test_what_if_targeted_is_half_a_step_lower_and_strictest_item_wins() -> None:
    package = PackageFactory()
    PackageItemFactory(
        package=package,
        measure=MeasureFactory(oxcgrt_indicator="C6", level=2),
        geographic_scope="targeted",
    )
    PackageItemFactory(package=package, measure=MeasureFactory(oxcgrt_indicator="C6", level=1))
    result = items_what_if(items=package.items.all())
    # C6 2 targeted → 100·(2−0.5)/3 = 50 beats C6 1 general → 33.3; stringency = 50/9.
    assert result.get("StringencyIndex_NonVaccinated") == pytest.approx(50 / 9, abs=0.01)


def test_what_if_with_vaccination_differentiation() -> None:
    package = PackageFactory(vaccination_differentiation=True)
    m = MeasureFactory(oxcgrt_indicator="C4", level=4)
    PackageItemFactory(package=package, measure=m, applies_to="non_vaccinated", level=4)
    PackageItemFactory(package=package, measure=m, applies_to="vaccinated", level=2)
    result = items_what_if(items=package.items.all(), vaccinated_percent=75)
    nv, v = 100 / 9, 50 / 9
    assert result.get("StringencyIndex_NonVaccinated") == pytest.approx(nv, abs=0.01)
    assert result.get("StringencyIndex_Vaccinated") == pytest.approx(v, abs=0.01)
    assert result.get("StringencyIndex_SimpleAverage") == pytest.approx((nv + v) / 2, abs=0.01)
    assert result.get("StringencyIndex_WeightedAverage") == pytest.approx(
        0.75 * v + 0.25 * nv, abs=0.01
    )
    assert result.differentiated


def test_measures_in_force_on_a_day() -> None:
    from django.contrib.auth.models import AnonymousUser

    nl = JurisdictionFactory()
    early = PackageFactory(
        key="vroeg", start_date=dt.date(2020, 3, 16), end_date=dt.date(2020, 5, 10)
    )
    late = PackageFactory(key="laat", start_date=dt.date(2020, 5, 11), end_date=None)
    PackageItemFactory(package=early, measure=MeasureFactory(key="scholen"))
    PackageItemFactory(
        package=late,
        measure=MeasureFactory(key="anderhalve-meter", oxcgrt_indicator="", level=None),
    )
    day = measures_in_force(user=AnonymousUser(), jurisdiction=nl, day=dt.date(2020, 5, 10))
    assert [p.key for p in day.packages] == ["vroeg"]
    assert [i.measure.key for i in day.items] == ["scholen"]
    day = measures_in_force(user=AnonymousUser(), jurisdiction=nl, day=dt.date(2022, 1, 1))
    assert [p.key for p in day.packages] == ["laat"]
