"""Reads for the measures catalog. Every list passes the one visibility check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from paraat.accounts.selectors import AnyUser, filter_visible
from paraat.measures.models import (
    IndexSource,
    IndexValue,
    Jurisdiction,
    Measure,
    Package,
    PackageItem,
    PolicyRecord,
    TimelineEvent,
)

NL = {"country_code": "NLD", "region_code": "", "kind": "NAT_TOTAL"}


def measure_list(
    *,
    user: AnyUser,
    query: str = "",
    category: str = "",
    indicator: str = "",
    group: str = "",
    sector: str = "",
) -> QuerySet[Measure]:
    qs = filter_visible(user=user, queryset=Measure.objects.all()).prefetch_related(
        "groups", "sectors"
    )
    if query:
        qs = qs.filter(
            Q(name_nl__icontains=query)
            | Q(name_en__icontains=query)
            | Q(description_nl__icontains=query)
            | Q(description_en__icontains=query)
            | Q(legal_basis__icontains=query)
            | Q(key__icontains=query)
        )
    if category:
        qs = qs.filter(category=category)
    if indicator:
        qs = qs.filter(oxcgrt_indicator=indicator)
    if group:
        qs = qs.filter(groups__key=group)
    if sector:
        qs = qs.filter(sectors__key=sector)
    return qs.distinct()


def measure_get(*, user: AnyUser, key: str) -> Measure | None:
    return measure_list(user=user).filter(key=key).first()


def _items_prefetch(*, user: AnyUser) -> Prefetch[PackageItem]:
    """A package's items, limited to the measures ``user`` may see (also in counts)."""
    visible = filter_visible(user=user, queryset=Measure.objects.all())
    return Prefetch(
        "items",
        queryset=PackageItem.objects.filter(measure__in=visible)
        .select_related("measure")
        .order_by("measure__oxcgrt_indicator", "measure__name_nl"),
    )


def package_list(
    *, user: AnyUser, kind: str = "", query: str = "", day: dt.date | None = None
) -> QuerySet[Package]:
    qs = filter_visible(user=user, queryset=Package.objects.all()).select_related(
        "jurisdiction", "sector"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(
            Q(name_nl__icontains=query) | Q(name_en__icontains=query) | Q(key__icontains=query)
        )
    if day:
        qs = qs.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    return qs.prefetch_related(_items_prefetch(user=user))


def package_get(*, user: AnyUser, key: str) -> Package | None:
    return package_list(user=user).filter(key=key).first()


def packages_for_measure(*, user: AnyUser, measure: Measure) -> QuerySet[Package]:
    return package_list(user=user).filter(items__measure=measure).distinct()


def jurisdiction_netherlands() -> Jurisdiction | None:
    return Jurisdiction.objects.filter(**NL).first()


def jurisdiction_list() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.all()


@dataclass
class InForce:
    day: dt.date
    packages: list[Package] = field(default_factory=list)
    items: list[PackageItem] = field(default_factory=list)


def measures_in_force(*, user: AnyUser, jurisdiction: Jurisdiction, day: dt.date) -> InForce:
    """The enacted packages in force on ``day`` and their items (visible to ``user``)."""
    packages = list(
        package_list(user=user, kind="enacted", day=day).filter(jurisdiction=jurisdiction)
    )
    items = [item for package in packages for item in package.items.all()]
    items.sort(key=lambda item: (item.measure.oxcgrt_indicator or "~", item.measure.name_nl))
    return InForce(day=day, packages=packages, items=items)


def index_series(
    *,
    jurisdiction: Jurisdiction,
    index: str,
    source: str = IndexSource.PUBLISHED,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[dt.date, float | None]:
    qs = IndexValue.objects.filter(jurisdiction=jurisdiction, index=index, source=source)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return dict(qs.order_by("date").values_list("date", "value"))


def index_names(*, jurisdiction: Jurisdiction) -> list[tuple[str, str]]:
    return list(
        IndexValue.objects.filter(jurisdiction=jurisdiction)
        .values_list("index", "source")
        .distinct()
        .order_by("index", "source")
    )


def timeline_events(
    *,
    user: AnyUser,
    jurisdiction: Jurisdiction,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[TimelineEvent]:
    qs = filter_visible(user=user, queryset=TimelineEvent.objects.filter(jurisdiction=jurisdiction))
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs.order_by("date")


@dataclass
class JurisdictionSummary:
    jurisdiction: Jurisdiction
    first: dt.date | None
    last: dt.date | None
    indices: int
    policy_days: int


def jurisdiction_summaries() -> list[JurisdictionSummary]:
    from django.db.models import Count, Max, Min

    index_stats = {
        row["jurisdiction"]: row
        for row in IndexValue.objects.values("jurisdiction").annotate(
            first=Min("date"), last=Max("date"), n=Count("index", distinct=True)
        )
    }
    policy_days = dict(
        PolicyRecord.objects.values("jurisdiction")
        .annotate(n=Count("date", distinct=True))
        .values_list("jurisdiction", "n")
    )
    out = []
    for jurisdiction in Jurisdiction.objects.all():
        stats = index_stats.get(jurisdiction.pk, {})
        out.append(
            JurisdictionSummary(
                jurisdiction=jurisdiction,
                first=stats.get("first"),
                last=stats.get("last"),
                indices=stats.get("n", 0),
                policy_days=policy_days.get(jurisdiction.pk, 0),
            )
        )
    return out


def jurisdiction_get(*, pk: int) -> Jurisdiction | None:
    return Jurisdiction.objects.filter(pk=pk).first()


def policy_records_on(*, jurisdiction: Jurisdiction, day: dt.date) -> list[PolicyRecord]:
    return list(
        PolicyRecord.objects.filter(jurisdiction=jurisdiction, date=day).order_by(
            "indicator", "applies_to"
        )
    )
