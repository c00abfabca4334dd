"""Writes for the measures catalog. Every function is atomic and validates its input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality
from paraat.measures.models import (
    AppliesTo,
    GeographicScope,
    Jurisdiction,
    Measure,
    MeasureCategory,
    Package,
    PackageItem,
    PackageKind,
    TimelineEvent,
)
from paraat.taxonomies.models import PopulationGroup, Sector
from paraat_core.oxcgrt.indicators import INDICATORS


def validate_coding(*, indicator: str, level: int | None, scope: str) -> None:
    """An OxCGRT code, level and scope must fit the codebook (raises ValidationError)."""
    if not indicator:
        if level is not None:
            raise ValidationError({"level": _("Een niveau vraagt om een OxCGRT-indicator.")})
        return
    spec = INDICATORS.get(indicator)
    if spec is None:
        raise ValidationError(
            {"oxcgrt_indicator": _("Onbekende OxCGRT-indicator: %(code)s") % {"code": indicator}}
        )
    if spec.max_value is None:
        if level is not None:
            raise ValidationError(
                {"level": _("%(code)s is geen ordinale indicator.") % {"code": indicator}}
            )
        return
    if level is None:
        raise ValidationError({"level": _("Geef het ordinale niveau op.")})
    if not 0 <= level <= spec.max_value:
        raise ValidationError(
            {
                "level": _("Niveau %(level)s ligt buiten 0–%(max)s voor %(code)s.")
                % {"level": level, "max": spec.max_value, "code": indicator}
            }
        )
    if scope and not spec.has_flag and scope == GeographicScope.TARGETED:
        raise ValidationError(
            {"geographic_scope": _("%(code)s kent geen gerichte variant.") % {"code": indicator}}
        )


@dataclass(frozen=True)
class MeasureData:
    key: str
    name_nl: str
    name_en: str = ""
    description_nl: str = ""
    description_en: str = ""
    category: str = MeasureCategory.CONTAINMENT
    oxcgrt_indicator: str = ""
    level: int | None = None
    geographic_scope: str = ""
    legal_basis: str = ""
    coding_note: str = ""
    confidentiality: str = Confidentiality.PUBLIC
    is_synthetic: bool = False
    groups: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()


def _resolve_terms(model: Any, keys: Iterable[str], field: str) -> list[Any]:
    keys = list(keys)
    found = {term.key: term for term in model.objects.filter(key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise ValidationError({field: _("Onbekend: %(keys)s") % {"keys": ", ".join(missing)}})
    return [found[key] for key in keys]


def _apply_measure_data(measure: Measure, data: MeasureData) -> Measure:
    validate_coding(indicator=data.oxcgrt_indicator, level=data.level, scope=data.geographic_scope)
    for field in (
        "key",
        "name_nl",
        "name_en",
        "description_nl",
        "description_en",
        "category",
        "oxcgrt_indicator",
        "level",
        "geographic_scope",
        "legal_basis",
        "coding_note",
        "confidentiality",
        "is_synthetic",
    ):
        setattr(measure, field, getattr(data, field))
    measure.full_clean()
    measure.save()
    measure.groups.set(_resolve_terms(PopulationGroup, data.groups, "groups"))
    measure.sectors.set(_resolve_terms(Sector, data.sectors, "sectors"))
    return measure


@transaction.atomic
def measure_create(*, data: MeasureData) -> Measure:
    return _apply_measure_data(Measure(), data)


@transaction.atomic
def measure_update(*, measure: Measure, data: MeasureData) -> Measure:
    return _apply_measure_data(measure, data)


@transaction.atomic
def jurisdiction_get_or_create(
    *, country_code: str, region_code: str = "", kind: str = "NAT_TOTAL", name: str = ""
) -> Jurisdiction:
    jurisdiction, created = Jurisdiction.objects.get_or_create(
        country_code=country_code,
        region_code=region_code or "",
        kind=kind or "NAT_TOTAL",
        defaults={"name": name or region_code or country_code},
    )
    if not created and name and jurisdiction.name in (country_code, region_code):
        jurisdiction.name = name
        jurisdiction.save(update_fields=["name"])
    return jurisdiction


@dataclass(frozen=True)
class PackageItemData:
    measure_key: str
    level: int | None = None
    geographic_scope: str = GeographicScope.GENERAL
    applies_to: str = AppliesTo.EVERYONE
    note: str = ""


@dataclass(frozen=True)
class PackageData:
    key: str
    name_nl: str
    jurisdiction: Jurisdiction
    name_en: str = ""
    description_nl: str = ""
    description_en: str = ""
    kind: str = PackageKind.ENACTED
    scope: str = GeographicScope.GENERAL
    vaccination_differentiation: bool = False
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    scenario_level: str = ""
    sector_key: str = ""
    source: str = ""
    confidentiality: str = Confidentiality.PUBLIC
    is_synthetic: bool = False
    items: tuple[PackageItemData, ...] = ()


def _apply_package_data(package: Package, data: PackageData) -> Package:
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
    for field in (
        "key",
        "name_nl",
        "name_en",
        "description_nl",
        "description_en",
        "kind",
        "scope",
        "vaccination_differentiation",
        "start_date",
        "end_date",
        "scenario_level",
        "source",
        "confidentiality",
        "is_synthetic",
        "jurisdiction",
    ):
        setattr(package, field, getattr(data, field))
    package.sector = (
        _resolve_terms(Sector, [data.sector_key], "sector")[0] if data.sector_key else None
    )
    package.full_clean()
    package.save()
    package_set_items(package=package, items=data.items)
    return package


@transaction.atomic
def package_create(*, data: PackageData) -> Package:
    return _apply_package_data(Package(), data)


@transaction.atomic
def package_update(*, package: Package, data: PackageData) -> Package:
    return _apply_package_data(package, data)


@transaction.atomic
def package_set_items(*, package: Package, items: Sequence[PackageItemData]) -> list[PackageItem]:
    """Replace the package's items. Each item's level is checked against the OxCGRT codebook."""
    measures = {m.key: m for m in Measure.objects.filter(key__in=[i.measure_key for i in items])}
    seen: set[tuple[str, str]] = set()
    new_items = []
    for position, item in enumerate(items, start=1):
        measure = measures.get(item.measure_key)
        if measure is None:
            raise ValidationError(
                {
                    "items": _("Onderdeel %(n)s: onbekende maatregel %(key)s")
                    % {"n": position, "key": item.measure_key}
                }
            )
        if (item.measure_key, item.applies_to) in seen:
            raise ValidationError(
                {
                    "items": _("Onderdeel %(n)s: maatregel %(key)s staat er al in")
                    % {"n": position, "key": item.measure_key}
                }
            )
        seen.add((item.measure_key, item.applies_to))
        level = item.level if item.level is not None else measure.level
        try:
            validate_coding(
                indicator=measure.oxcgrt_indicator, level=level, scope=item.geographic_scope
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    "items": _("Onderdeel %(n)s (%(key)s): %(error)s")
                    % {"n": position, "key": item.measure_key, "error": "; ".join(exc.messages)}
                }
            ) from exc
        if item.applies_to not in AppliesTo.values:
            raise ValidationError(
                {"items": _("Onderdeel %(n)s: ongeldige doelgroep") % {"n": position}}
            )
        new_items.append(
            PackageItem(
                package=package,
                measure=measure,
                level=level,
                geographic_scope=item.geographic_scope,
                applies_to=item.applies_to,
                note=item.note,
            )
        )
    package.items.all().delete()
    for new_item in new_items:
        new_item.full_clean(exclude=["package"])
        new_item.save()
    return new_items


@transaction.atomic
def timeline_event_create(
    *,
    jurisdiction: Jurisdiction,
    date: dt.date,
    title_nl: str,
    title_en: str = "",
    kind: str = "other",
    source: str = "",
    confidentiality: str = Confidentiality.PUBLIC,
) -> TimelineEvent:
    event = TimelineEvent(
        jurisdiction=jurisdiction,
        date=date,
        title_nl=title_nl,
        title_en=title_en,
        kind=kind,
        source=source,
        confidentiality=confidentiality,
    )
    event.full_clean()
    event.save()
    return event
