"""REST API (v1) for the measures catalog. Serializers parse; services write; selectors read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from paraat.accounts.models import Confidentiality
from paraat.measures import selectors, services, timeline
from paraat.measures.models import (
    AppliesTo,
    GeographicScope,
    IndexSource,
    Jurisdiction,
    Measure,
    MeasureCategory,
    Package,
    PackageItem,
    PackageKind,
    ScenarioLevel,
)
from paraat.measures.whatif import package_what_if
from paraat_core.oxcgrt.indicators import INDICATORS


class MeasureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.SlugField(max_length=100)
    name_nl = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description_nl = serializers.CharField(required=False, allow_blank=True, default="")
    description_en = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=MeasureCategory.choices)
    oxcgrt_indicator = serializers.ChoiceField(
        choices=[("", "")] + [(c, c) for c in INDICATORS],
        required=False,
        allow_blank=True,
        default="",
    )
    level = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    geographic_scope = serializers.ChoiceField(
        choices=[("", ""), *list(GeographicScope.choices)],
        required=False,
        allow_blank=True,
        default="",
    )
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    coding_note = serializers.CharField(required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, required=False, default=Confidentiality.INTERNAL
    )
    is_synthetic = serializers.BooleanField(required=False, default=False)
    groups = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    sectors = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Measure) -> dict[str, Any]:
        return {
            "key": instance.key,
            "name_nl": instance.name_nl,
            "name_en": instance.name_en,
            "description_nl": instance.description_nl,
            "description_en": instance.description_en,
            "category": instance.category,
            "oxcgrt_indicator": instance.oxcgrt_indicator,
            "level": instance.level,
            "geographic_scope": instance.geographic_scope,
            "legal_basis": instance.legal_basis,
            "coding_note": instance.coding_note,
            "confidentiality": instance.confidentiality,
            "is_synthetic": instance.is_synthetic,
            "groups": [g.key for g in instance.groups.all()],
            "sectors": [s.key for s in instance.sectors.all()],
            "updated_at": instance.updated_at.isoformat() if instance.updated_at else None,
        }

    def to_data(self) -> services.MeasureData:
        d = dict(self.validated_data)
        d["groups"] = tuple(d.get("groups", ()))
        d["sectors"] = tuple(d.get("sectors", ()))
        return services.MeasureData(**d)


class MeasureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Measures (maatregelen). Reading is public for public measures; writing needs rights."""

    serializer_class = MeasureSerializer
    lookup_field = "key"
    queryset = Measure.objects.none()  # for permissions; rows come from selectors

    def get_queryset(self) -> QuerySet[Measure]:
        params = self.request.query_params
        return selectors.measure_list(
            user=self.request.user,  # type: ignore[arg-type]
            query=params.get("q", ""),
            category=params.get("category", ""),
            indicator=params.get("indicator", ""),
            group=params.get("group", ""),
            sector=params.get("sector", ""),
        )

    def perform_create(self, serializer: MeasureSerializer) -> None:
        serializer.instance = services.measure_create(data=serializer.to_data())

    def perform_update(self, serializer: MeasureSerializer) -> None:
        assert isinstance(serializer.instance, Measure)
        data = serializer.to_data()
        serializer.instance = services.measure_update(measure=serializer.instance, data=data)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("partial", None)  # PATCH is a full validation as well: one path for writes
        return super().get_serializer(*args, **kwargs)


class PackageItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    measure = serializers.SlugField()
    level = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    geographic_scope = serializers.ChoiceField(
        choices=GeographicScope.choices, default=GeographicScope.GENERAL
    )
    applies_to = serializers.ChoiceField(choices=AppliesTo.choices, default=AppliesTo.EVERYONE)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PackageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.SlugField(max_length=100)
    name_nl = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description_nl = serializers.CharField(required=False, allow_blank=True, default="")
    description_en = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=PackageKind.choices, default=PackageKind.PLAN)
    jurisdiction = serializers.PrimaryKeyRelatedField(queryset=selectors.jurisdiction_list())
    scope = serializers.ChoiceField(
        choices=GeographicScope.choices, default=GeographicScope.GENERAL
    )
    vaccination_differentiation = serializers.BooleanField(default=False)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    scenario_level = serializers.ChoiceField(
        choices=[("", ""), *list(ScenarioLevel.choices)],
        required=False,
        allow_blank=True,
        default="",
    )
    sector = serializers.SlugField(required=False, allow_blank=True, default="")
    source = serializers.CharField(required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    is_synthetic = serializers.BooleanField(default=False)
    items = PackageItemSerializer(many=True, required=False, default=list)

    def to_representation(self, instance: Package) -> dict[str, Any]:
        return {
            "key": instance.key,
            "name_nl": instance.name_nl,
            "name_en": instance.name_en,
            "description_nl": instance.description_nl,
            "description_en": instance.description_en,
            "kind": instance.kind,
            "jurisdiction": instance.jurisdiction_id,
            "scope": instance.scope,
            "vaccination_differentiation": instance.vaccination_differentiation,
            "start_date": instance.start_date.isoformat() if instance.start_date else None,
            "end_date": instance.end_date.isoformat() if instance.end_date else None,
            "scenario_level": instance.scenario_level,
            "sector": instance.sector.key if instance.sector else "",
            "source": instance.source,
            "confidentiality": instance.confidentiality,
            "is_synthetic": instance.is_synthetic,
            "items": [
                {
                    "measure": item.measure.key,
                    "level": item.level,
                    "geographic_scope": item.geographic_scope,
                    "applies_to": item.applies_to,
                    "note": item.note,
                }
                for item in instance.items.all()  # visible measures only (selector)
            ],
        }

    def to_data(self) -> services.PackageData:
        d = dict(self.validated_data)
        items = tuple(
            services.PackageItemData(
                measure_key=i["measure"],
                level=i.get("level"),
                geographic_scope=i["geographic_scope"],
                applies_to=i["applies_to"],
                note=i.get("note", ""),
            )
            for i in d.pop("items", [])
        )
        d["sector_key"] = d.pop("sector", "")
        return services.PackageData(items=items, **d)


_WHATIF = inline_serializer(
    "PackageIndices",
    fields={
        "package": serializers.CharField(),
        "indices": serializers.DictField(child=serializers.FloatField(allow_null=True)),
        "differentiated": serializers.BooleanField(),
    },
)


class PackageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Packages of measures (maatregelenpakketten) with a what-if index computation."""

    serializer_class = PackageSerializer
    lookup_field = "key"
    queryset = Package.objects.none()

    def get_queryset(self) -> QuerySet[Package]:
        params = self.request.query_params
        day = None
        if params.get("day"):
            try:
                day = dt.date.fromisoformat(params["day"])
            except ValueError:
                raise serializers.ValidationError({"day": "Use YYYY-MM-DD."}) from None
        return selectors.package_list(
            user=self.request.user,  # type: ignore[arg-type]
            kind=params.get("kind", ""),
            query=params.get("q", ""),
            day=day,
        )

    def perform_create(self, serializer: PackageSerializer) -> None:
        package = services.package_create(data=serializer.to_data())
        serializer.instance = self._reread(package)

    def perform_update(self, serializer: PackageSerializer) -> None:
        assert isinstance(serializer.instance, Package)
        package = services.package_update(package=serializer.instance, data=serializer.to_data())
        serializer.instance = self._reread(package)

    def _reread(self, package: Package) -> Package | None:
        """Read back through the selector so the response shows only visible items."""
        return selectors.package_get(user=self.request.user, key=package.key)  # type: ignore[arg-type]

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("partial", None)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        responses=_WHATIF,
        parameters=[OpenApiParameter("vaccinated_percent", float, description="0–100")],
    )
    @action(detail=True, methods=["get"])
    def indices(self, request: Request, key: str | None = None) -> Response:
        """OxCGRT indices of this package as if it were in force (what-if)."""
        package = self.get_object()
        try:
            percent = float(request.query_params.get("vaccinated_percent", "0"))
        except ValueError:
            raise serializers.ValidationError({"vaccinated_percent": "Not a number."}) from None
        if not 0 <= percent <= 100:
            raise serializers.ValidationError({"vaccinated_percent": "Must be within 0–100."})
        items: list[PackageItem] = list(package.items.all())  # visible measures only
        result = package_what_if(package=package, items=items, vaccinated_percent=percent)
        return Response(
            {
                "package": package.key,
                "indices": result.values,
                "differentiated": result.differentiated,
            }
        )


class JurisdictionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Jurisdiction
        fields = ["id", "country_code", "region_code", "kind", "name"]


_SERIES = inline_serializer(
    "IndexSeries",
    fields={
        "jurisdiction": serializers.IntegerField(),
        "index": serializers.CharField(),
        "source": serializers.CharField(),
        "values": serializers.ListField(child=serializers.ListField()),
    },
)


class JurisdictionViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Jurisdictions with daily OxCGRT index series."""

    serializer_class = JurisdictionSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Jurisdiction]:
        return selectors.jurisdiction_list()

    @extend_schema(
        responses=_SERIES,
        parameters=[
            OpenApiParameter("index", str, description="e.g. StringencyIndex_Average"),
            OpenApiParameter("source", str, enum=[s for s, _l in IndexSource.choices]),
        ],
    )
    @action(detail=True, methods=["get"])
    def indices(self, request: Request, pk: str | None = None) -> Response:
        """A daily index series: [[date, value], ...]."""
        jurisdiction = self.get_object()
        index = request.query_params.get("index", timeline.STRINGENCY)
        source = request.query_params.get("source", IndexSource.PUBLISHED)
        if source not in IndexSource.values:
            raise serializers.ValidationError({"source": "Unknown source."})
        series = selectors.index_series(jurisdiction=jurisdiction, index=index, source=source)
        return Response(
            {
                "jurisdiction": jurisdiction.pk,
                "index": index,
                "source": source,
                "values": [[day.isoformat(), value] for day, value in series.items()],
            }
        )


_TIMELINE = inline_serializer(
    "NetherlandsTimeline",
    fields={
        "rows": serializers.ListField(child=serializers.DictField()),
        "events": serializers.ListField(child=serializers.DictField()),
        "day": serializers.DictField(allow_null=True),
        "sources": serializers.ListField(child=serializers.CharField()),
    },
)


class NetherlandsTimelineView(APIView):
    """The Netherlands 2020–2022: stringency index with hospital/ICU admissions per day."""

    permission_classes = [AllowAny]

    @extend_schema(responses=_TIMELINE, parameters=[OpenApiParameter("day", dt.date)])
    def get(self, request: Request) -> Response:
        day = None
        if request.query_params.get("day"):
            try:
                day = dt.date.fromisoformat(request.query_params["day"])
            except ValueError:
                raise serializers.ValidationError({"day": "Use YYYY-MM-DD."}) from None
        data = timeline.netherlands_timeline(user=request.user, day=day)  # type: ignore[arg-type]
        if not data.available:
            raise Http404
        day_block = None
        if data.day and data.in_force is not None:
            day_block = {
                "date": data.day.isoformat(),
                "packages": [p.key for p in data.in_force.packages],
                "measures": [
                    {
                        "measure": item.measure.key,
                        "name": item.measure.name,
                        "oxcgrt_indicator": item.measure.oxcgrt_indicator,
                        "level": item.level,
                        "geographic_scope": item.geographic_scope,
                        "applies_to": item.applies_to,
                    }
                    for item in data.in_force.items
                ],
                "reconstructed_indices": data.reconstructed.values if data.reconstructed else {},
            }
        return Response(
            {
                "rows": [
                    dict(zip(timeline.CSV_HEADER, row.as_csv(), strict=True)) for row in data.rows
                ],
                "events": [
                    {
                        "date": e.date.isoformat(),
                        "title": e.title,
                        "kind": e.kind,
                        "source": e.source,
                    }
                    for e in data.events
                ],
                "day": day_block,
                "sources": [
                    "Oxford COVID-19 Government Response Tracker, Blavatnik School of Government, "
                    "University of Oxford (CC BY 4.0)",
                    data.hospital_source or "Coronadashboard (Rijksoverheid, RIVM, Stichting NICE)",
                ],
            }
        )
