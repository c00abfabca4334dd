"""REST API (v1) for the societal picture: indicators, their series as known on a date,
signals and composite index runs. Read-only; every row comes from the visibility-checked
selectors, so internal and confidential indicators never reach users who may not see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from paraat.indicators import selectors
from paraat.indicators.models import CompositeIndex, Indicator, Signal
from paraat_core.freshness import freshness
from paraat_core.periods import Frequency


class IndicatorSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    domain = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "key",
            "name_nl",
            "name_en",
            "description",
            "domain",
            "unit",
            "polarity",
            "frequency",
            "publication_lag_days",
            "speed",
            "source",
            "source_url",
            "source_table",
            "source_topic",
            "licence",
            "method_note",
            "headline_breakdown",
            "breakdowns",
            "threshold_warning",
            "threshold_alert",
            "is_synthetic",
            "confidentiality",
        ]


class PointSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    value = serializers.FloatField(allow_null=True)
    status = serializers.CharField()
    vintage = serializers.DateTimeField()


class SignalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    indicator = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = Signal
        fields = [
            "id",
            "indicator",
            "kind",
            "breakdown",
            "period_code",
            "period_start",
            "value",
            "severity",
            "worse",
            "explanation",
            "description_nl",
            "description_en",
            "on_provisional",
            "data_vintage",
            "detected_at",
        ]


class CompositeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    latest_run = serializers.SerializerMethodField()

    class Meta:
        model = CompositeIndex
        fields = [
            "key",
            "name_nl",
            "name_en",
            "description",
            "frequency",
            "normalisation",
            "aggregation",
            "missing",
            "reference_period",
            "latest_run",
        ]

    def get_latest_run(self, index: CompositeIndex) -> dict[str, Any] | None:
        run = selectors.composite_latest_run(index=index)
        if run is None:
            return None
        request = self.context.get("request")
        user = request.user if request is not None else AnonymousUser()
        masked = selectors.composite_run_for(user=user, run=run)
        return {
            "as_of": run.as_of.isoformat(),
            "created_at": run.created_at.isoformat(),
            "spec": masked["spec"],
            "result": masked["result"],
        }


def _as_of(request: Request) -> dt.datetime | None:
    raw = request.query_params.get("as_of", "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise ValidationError({"as_of": "geen geldige datum (JJJJ-MM-DD)"}) from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


_SERIES_PARAMETERS = [
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="known at the end of this day"),
    OpenApiParameter("breakdown", OpenApiTypes.STR, description="breakdown (default: headline)"),
    OpenApiParameter("first_known", OpenApiTypes.BOOL, description="figures as first published"),
]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Indicators of the societal picture (maatschappelijk beeld)."""

    serializer_class = IndicatorSerializer
    lookup_field = "key"
    queryset = Indicator.objects.none()

    def get_queryset(self) -> QuerySet[Indicator]:
        rows = selectors.indicators_visible(user=self.request.user)  # type: ignore[arg-type]
        domain = self.request.query_params.get("domain")
        if domain:
            rows = rows.filter(domain__key=domain)
        return rows.order_by("key")

    @extend_schema(parameters=_SERIES_PARAMETERS, responses=PointSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def observations(self, request: Request, key: str | None = None) -> Response:
        """One series as known on a date, with status and vintage of each figure."""
        indicator = self.get_object()
        breakdown = request.query_params.get("breakdown")
        points = selectors.series_as_of(
            indicator=indicator,
            breakdown=breakdown[:500] if breakdown is not None else None,
            as_of=_as_of(request),
            first_known=request.query_params.get("first_known") in ("1", "true"),
        )
        return Response(
            [
                {
                    "period": p.period.code,
                    "label": p.period.label("en" if request.LANGUAGE_CODE == "en" else "nl"),
                    "start": p.period.start.isoformat(),
                    "end": p.period.end.isoformat(),
                    "value": p.value,
                    "status": p.status,
                    "vintage": p.vintage.isoformat(),
                }
                for p in points
            ]
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def freshness(self, request: Request, key: str | None = None) -> Response:
        """Latest period, last update and whether the series is overdue against its rhythm."""
        indicator = self.get_object()
        points = selectors.series_as_of(indicator=indicator)
        latest = points[-1] if points else None
        state = freshness(
            frequency=Frequency(indicator.frequency),
            lag_days=indicator.publication_lag_days,
            latest_period=latest.period if latest else None,
            today=timezone.localdate(),
            calendar=list(indicator.releases.values_list("expected_on", flat=True)),
        )
        return Response(
            {
                "status": state.status,
                "latest_period": latest.period.code if latest else None,
                "last_updated": max(p.vintage for p in points).isoformat() if points else None,
                "expected_period": state.expected_period.code if state.expected_period else None,
                "next_release": state.next_release.isoformat() if state.next_release else None,
                "days_overdue": state.days_overdue,
                "reason": state.reason,
                "speed": indicator.speed,
            }
        )


class SignalViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Signals raised by the rules, newest period first; each explains itself."""

    serializer_class = SignalSerializer
    queryset = Signal.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", OpenApiTypes.STR),
            OpenApiParameter("severity", OpenApiTypes.STR, enum=["info", "warning", "alert"]),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Signal]:
        rows = selectors.signals_visible(user=self.request.user)  # type: ignore[arg-type]
        params = self.request.query_params
        if params.get("indicator"):
            rows = rows.filter(indicator__key=params["indicator"])
        if params.get("severity"):
            rows = rows.filter(severity=params["severity"])
        return rows


class CompositeViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Composite indices with their latest run: the number, its 5–95 % band and its parts."""

    serializer_class = CompositeSerializer
    lookup_field = "key"
    queryset = CompositeIndex.objects.none()

    def get_queryset(self) -> QuerySet[CompositeIndex]:
        return selectors.composite_indices_visible(user=self.request.user)  # type: ignore[arg-type]

    def get_object(self) -> CompositeIndex:
        index = self.get_queryset().filter(key=self.kwargs.get("key", "")).first()
        if index is None:
            raise Http404
        return index
