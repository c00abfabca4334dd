"""Writes for the measures catalog. Every function is atomic and validates its input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality
from paraat.measures.models import (
    AppliesTo,
    GeographicScope,
    IndexSource,
    IndexValue,
    Jurisdiction,
    Measure,
    MeasureCategory,
    Package,
    PackageItem,
    PackageKind,
    PolicyRecord,
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
    confidentiality: str = Confidentiality.INTERNAL
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
    confidentiality: str = Confidentiality.INTERNAL
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
    confidentiality: str = Confidentiality.INTERNAL,
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


# --- OxCGRT timelines (parsed by measures.imports, stored here) ---------------------------

OXCGRT_BATCH = 5000


@dataclass(frozen=True)
class JurisdictionRef:
    country_code: str
    region_code: str
    kind: str
    name: str


@dataclass(frozen=True)
class PolicyRow:
    row: int  # index into DailyImport.jurisdictions / dates
    indicator: str
    applies_to: str
    value: int | None
    flag: int | None


@dataclass(frozen=True)
class IndexRow:
    row: int
    index: str
    source: str
    value: float


@dataclass
class DailyImport:
    jurisdictions: list[JurisdictionRef]
    dates: list[dt.date]
    policies: list[PolicyRow]
    indices: list[IndexRow]
    published_columns: list[str]


@dataclass
class TimeseriesImport:
    index: str
    dates: list[dt.date]
    rows: list[tuple[JurisdictionRef, list[tuple[dt.date, float]]]]


def _resolve_jurisdictions(refs: Iterable[JurisdictionRef]) -> dict[JurisdictionRef, Jurisdiction]:
    resolved: dict[JurisdictionRef, Jurisdiction] = {}
    for ref in refs:
        if ref not in resolved:
            resolved[ref] = jurisdiction_get_or_create(
                country_code=ref.country_code,
                region_code=ref.region_code,
                kind=ref.kind,
                name=ref.name,
            )
    return resolved


@transaction.atomic
def oxcgrt_daily_store(*, data: DailyImport) -> dict[str, Any]:
    """Store a parsed daily OxCGRT file, replacing what it covers, in one transaction.

    Replaced: the daily records and the computed indices of the file's jurisdictions over the
    file's period, and the published values of the index columns the file holds. Published
    values from other files (e.g. time series) stay.
    """
    jurisdictions = _resolve_jurisdictions(data.jurisdictions)
    if data.dates:
        first, last = min(data.dates), max(data.dates)
        for jurisdiction in set(jurisdictions.values()):
            PolicyRecord.objects.filter(
                jurisdiction=jurisdiction, date__range=(first, last)
            ).delete()
            IndexValue.objects.filter(jurisdiction=jurisdiction, date__range=(first, last)).filter(
                Q(source=IndexSource.COMPUTED)
                | Q(source=IndexSource.PUBLISHED, index__in=data.published_columns)
            ).delete()
    per_row = [jurisdictions[ref] for ref in data.jurisdictions]
    PolicyRecord.objects.bulk_create(
        (
            PolicyRecord(
                jurisdiction=per_row[p.row],
                date=data.dates[p.row],
                indicator=p.indicator,
                applies_to=p.applies_to,
                value=p.value,
                flag=p.flag,
            )
            for p in data.policies
        ),
        batch_size=OXCGRT_BATCH,
    )
    IndexValue.objects.bulk_create(
        (
            IndexValue(
                jurisdiction=per_row[r.row],
                date=data.dates[r.row],
                index=r.index,
                source=r.source,
                value=r.value,
            )
            for r in data.indices
        ),
        batch_size=OXCGRT_BATCH,
    )
    return {
        "kind": "daily",
        "rows": len(data.dates),
        "jurisdictions": len(jurisdictions),
        "policy_records": len(data.policies),
        "index_values": len(data.indices),
        "published_columns": len(data.published_columns),
    }


@transaction.atomic
def oxcgrt_timeseries_store(*, data: TimeseriesImport) -> dict[str, Any]:
    """Store a parsed OxCGRT time-series file (published values of one index)."""
    jurisdictions = _resolve_jurisdictions(ref for ref, _values in data.rows)
    count = 0
    for ref, values in data.rows:
        jurisdiction = jurisdictions[ref]
        IndexValue.objects.filter(
            jurisdiction=jurisdiction,
            index=data.index,
            source=IndexSource.PUBLISHED,
            date__in=data.dates,
        ).delete()
        IndexValue.objects.bulk_create(
            (
                IndexValue(
                    jurisdiction=jurisdiction,
                    date=day,
                    index=data.index,
                    source=IndexSource.PUBLISHED,
                    value=value,
                )
                for day, value in values
            ),
            batch_size=OXCGRT_BATCH,
        )
        count += len(values)
    return {
        "kind": "timeseries",
        "index": data.index,
        "jurisdictions": len(jurisdictions),
        "rows": count,
    }
