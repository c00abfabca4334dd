"""REST API (v1) for the knowledge library. Serializers parse; services write; selectors read.

Every response is built from selectors that apply the one visibility check, so internal and
confidential items never appear for users who may not see them (lists, search, facets, exports).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from paraat.accounts.models import Confidentiality
from paraat.accounts.selectors import filter_visible
from paraat.api.exceptions import validation_detail
from paraat.evidence import selectors, services
from paraat.evidence.exports import EXPORT_FORMATS
from paraat.evidence.models import (
    Certainty,
    DatePrecision,
    Direction,
    EffectSize,
    EvidenceItem,
    EvidenceType,
    Fiche,
    GradeDowngrade,
    GradeUpgrade,
    Horizon,
    InterestsStatus,
    KnowledgeClass,
    KnowledgeDossier,
)
from paraat.evidence.views import export_response, search_filters_from
from paraat.measures.selectors import measure_get, package_get
from paraat.taxonomies.models import Domain, PopulationGroup


def _blank(choices: Any) -> list[Any]:
    return [("", ""), *choices]


class EvidenceLinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    measure = serializers.SlugField(required=False, allow_blank=True, default="")
    package = serializers.SlugField(required=False, allow_blank=True, default="")
    domain = serializers.SlugField(required=False, allow_blank=True, default="")
    group = serializers.SlugField(required=False, allow_blank=True, default="")
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.UNKNOWN)
    size = serializers.ChoiceField(choices=_blank(EffectSize.choices), required=False, default="")
    horizon = serializers.ChoiceField(choices=_blank(Horizon.choices), required=False, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class EvidenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    ref = serializers.SlugField(read_only=True)
    item_type = serializers.ChoiceField(choices=EvidenceType.choices)
    title = serializers.CharField(max_length=500)
    authors = serializers.ListField(child=serializers.CharField(max_length=300), default=list)
    organisation = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    doi = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=10, required=False, allow_blank=True, default="nl")
    container_title = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    publisher = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    keywords = serializers.ListField(child=serializers.CharField(max_length=100), default=list)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    full_text = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    licence = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    knowledge_class = serializers.ChoiceField(choices=KnowledgeClass.choices)
    certainty = serializers.ChoiceField(
        choices=_blank(Certainty.choices), required=False, default=""
    )
    certainty_downgrades = serializers.ListField(
        child=serializers.ChoiceField(choices=GradeDowngrade.choices), default=list
    )
    certainty_upgrades = serializers.ListField(
        child=serializers.ChoiceField(choices=GradeUpgrade.choices), default=list
    )
    certainty_note = serializers.CharField(required=False, allow_blank=True, default="")
    on_behalf_of = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    interests_status = serializers.ChoiceField(
        choices=InterestsStatus.choices, default=InterestsStatus.UNKNOWN
    )
    declared_interests = serializers.CharField(required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    is_synthetic = serializers.BooleanField(default=False)
    provenance = serializers.CharField(read_only=True)
    interests = serializers.CharField(read_only=True)
    links = EvidenceLinkSerializer(many=True, read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: EvidenceItem) -> dict[str, Any]:
        user = self.context["request"].user
        return {
            "id": instance.pk,
            "ref": instance.ref,
            "item_type": instance.item_type,
            "title": instance.title,
            "authors": instance.authors,
            "organisation": instance.organisation,
            "published_on": instance.published_on.isoformat() if instance.published_on else None,
            "date_precision": instance.date_precision,
            "doi": instance.doi,
            "url": instance.url,
            "language": instance.language,
            "container_title": instance.container_title,
            "publisher": instance.publisher,
            "keywords": instance.keywords,
            "summary": instance.summary,
            "licence": instance.licence,
            "knowledge_class": instance.knowledge_class,
            "certainty": instance.certainty,
            "certainty_downgrades": instance.certainty_downgrades,
            "certainty_upgrades": instance.certainty_upgrades,
            "certainty_note": instance.certainty_note,
            "on_behalf_of": instance.on_behalf_of,
            "interests_status": instance.interests_status,
            "declared_interests": instance.declared_interests,
            "confidentiality": instance.confidentiality,
            "is_synthetic": instance.is_synthetic,
            "provenance": selectors.evidence_provenance(instance),
            "interests": selectors.evidence_interests(instance),
            "links": [
                {
                    "id": link.pk,
                    "measure": link.measure.key if link.measure else "",
                    "package": link.package.key if link.package else "",
                    "domain": link.domain.key if link.domain else "",
                    "group": link.group.key if link.group else "",
                    "direction": link.direction,
                    "size": link.size,
                    "horizon": link.horizon,
                    "note": link.note,
                }
                for link in selectors.evidence_links(item=instance, user=user)
            ],
            "updated_at": instance.updated_at.isoformat() if instance.updated_at else None,
        }

    def to_data(self, base: services.EvidenceData | None = None) -> services.EvidenceData:
        """The item's data; on a partial update the fields not sent keep ``base``'s values."""
        data = dict(self.validated_data)
        for name in ("authors", "keywords", "certainty_downgrades", "certainty_upgrades"):
            if name in data:
                data[name] = tuple(data[name])
        if base is not None:
            return dataclasses.replace(base, **data)
        return services.EvidenceData(**data)


_SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q", str, description='Zoekvraag (Nederlandse woordstammen; "woordgroep", OR, -woord)'
    ),
    OpenApiParameter("type", str, many=True, enum=EvidenceType.values),
    OpenApiParameter("class", str, many=True, enum=KnowledgeClass.values),
    OpenApiParameter("certainty", str, many=True, enum=[*Certainty.values, selectors.UNGRADED]),
    OpenApiParameter("measure", str, description="Sleutel van een maatregel"),
    OpenApiParameter("domain", str, description="Sleutel van een impactdomein"),
    OpenApiParameter("group", str, description="Sleutel van een groep"),
    OpenApiParameter("from", int, description="Vanaf jaar"),
    OpenApiParameter("to", int, description="Tot en met jaar"),
    OpenApiParameter("page", int),
]

_SEARCH_RESPONSE = inline_serializer(
    "EvidenceSearchResult",
    {
        "count": serializers.IntegerField(),
        "page": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "results": serializers.ListField(child=serializers.DictField()),
        "facets": serializers.DictField(),
    },
)


class EvidenceViewSet(
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Evidence items (kennisitems). Reading shows only what the user may see."""

    serializer_class = EvidenceSerializer
    # The search list pages itself (``page``, ``pages``); the other answers are single items.
    pagination_class = None
    queryset = EvidenceItem.objects.none()  # for permissions; rows come from selectors

    def get_queryset(self) -> QuerySet[EvidenceItem]:
        return selectors.evidence_visible(user=self.request.user)  # type: ignore[arg-type]

    @extend_schema(parameters=_SEARCH_PARAMETERS, responses=_SEARCH_RESPONSE)
    def list(self, request: Request) -> Response:
        page = request.query_params.get("page", "1")
        result = selectors.evidence_search(
            user=request.user,  # type: ignore[arg-type]
            query=request.query_params.get("q", "")[:300],
            filters=search_filters_from(request.query_params),
            page=int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1,
            page_size=50,
        )
        return Response(
            {
                "count": result.total,
                "page": result.page,
                "pages": result.pages,
                "results": [
                    {
                        "id": hit.item.pk,
                        "ref": hit.item.ref,
                        "title": hit.item.title,
                        "type": hit.item.item_type,
                        "knowledge_class": hit.item.knowledge_class,
                        "certainty": hit.item.certainty,
                        "published_on": hit.item.published_on.isoformat()
                        if hit.item.published_on
                        else None,
                        "is_synthetic": hit.item.is_synthetic,
                        "score": hit.score,
                        "snippet_html": str(hit.snippet.html),
                    }
                    for hit in result.hits
                ],
                "facets": {
                    facet.key: [
                        {"value": value, "label": label, "count": n}
                        for value, label, n in facet.values
                    ]
                    for facet in result.facets
                },
            }
        )

    def perform_create(self, serializer: EvidenceSerializer) -> None:
        try:
            serializer.instance = services.evidence_create(
                data=serializer.to_data(),
                submitted_by=self.request.user,  # type: ignore[arg-type]
            )
        except DjangoValidationError as exc:
            raise ValidationError(validation_detail(exc)) from exc

    def perform_update(self, serializer: EvidenceSerializer) -> None:
        assert serializer.instance is not None
        try:
            base = services.evidence_data_from_item(serializer.instance)
            serializer.instance = services.evidence_update(
                item=serializer.instance,
                data=serializer.to_data(base if serializer.partial else None),
            )
        except DjangoValidationError as exc:
            raise ValidationError(validation_detail(exc)) from exc

    @extend_schema(request=EvidenceLinkSerializer, responses={201: EvidenceLinkSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk: str | None = None) -> Response:
        """Link the item to a measure, package, domain and/or group (flags the fiche)."""
        if not request.user.has_perm("evidence.add_evidencelink"):
            raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
        item = self.get_object()
        serializer = EvidenceLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        measure = measure_get(user=user, key=data["measure"]) if data["measure"] else None  # type: ignore[arg-type]
        package = package_get(user=user, key=data["package"]) if data["package"] else None  # type: ignore[arg-type]
        domain = Domain.objects.filter(key=data["domain"]).first() if data["domain"] else None
        group = PopulationGroup.objects.filter(key=data["group"]).first() if data["group"] else None
        for name, given, found in (
            ("measure", data["measure"], measure),
            ("package", data["package"], package),
            ("domain", data["domain"], domain),
            ("group", data["group"], group),
        ):
            if given and found is None:
                raise ValidationError({name: [f"Onbekende sleutel: {given}"]})
        try:
            link = services.evidence_link_create(
                item=item,
                data=services.LinkData(
                    measure=measure,
                    package=package,
                    domain=domain,
                    group=group,
                    direction=data["direction"],
                    size=data["size"],
                    horizon=data["horizon"],
                    note=data["note"],
                ),
                user=user,  # type: ignore[arg-type]
            )
        except DjangoValidationError as exc:
            raise ValidationError(validation_detail(exc)) from exc
        return Response({"id": link.pk, **serializer.data}, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("export_format", str, enum=[*EXPORT_FORMATS], required=True),
            *_SEARCH_PARAMETERS[:-1],
        ],
        responses={
            (200, spec.content_type.split(";")[0]): (
                # CSL-JSON is a JSON array of items; CSV and RIS are text.
                {"type": "array", "items": {"type": "object", "additionalProperties": {}}}
                if "json" in spec.content_type
                else OpenApiTypes.STR
            )
            for spec in EXPORT_FORMATS.values()
        },
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        """A search result as CSV, RIS or CSL-JSON (only items the user may see)."""
        file_format = request.query_params.get("export_format", "")
        if file_format not in EXPORT_FORMATS:
            raise ValidationError({"export_format": [f"Kies uit: {', '.join(EXPORT_FORMATS)}"]})
        return export_response(request, request.query_params, file_format)


_FICHE_RESPONSE = inline_serializer(
    "FicheDocument",
    {
        "measure": serializers.DictField(),
        "version": serializers.DictField(),
        "needs_review": serializers.BooleanField(),
        "is_synthetic": serializers.BooleanField(),
        "audience": serializers.CharField(),
        "summary": serializers.CharField(),
        "domains": serializers.ListField(child=serializers.DictField()),
        "groups": serializers.ListField(child=serializers.DictField()),
        "cells": serializers.ListField(child=serializers.DictField()),
        "evidence": serializers.ListField(child=serializers.DictField()),
        "key_evidence": serializers.ListField(child=serializers.IntegerField()),
        "mitigations": serializers.CharField(),
        "knowledge_gaps": serializers.CharField(),
        "dossiers": serializers.ListField(child=serializers.DictField()),
    },
)


class FicheViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Fiches per measure, as the user may see them (read-only; edit in the web interface)."""

    queryset = Fiche.objects.none()
    pagination_class = None  # the list is returned whole
    lookup_field = "measure_key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(
        responses=inline_serializer(
            "FicheSummary",
            {
                "measure": serializers.CharField(),
                "name": serializers.CharField(),
                "needs_review": serializers.BooleanField(),
                "versions": serializers.IntegerField(),
                "confidentiality": serializers.CharField(),
                "is_synthetic": serializers.BooleanField(),
            },
            many=True,
        )
    )
    def list(self, request: Request) -> Response:
        return Response(
            [
                {
                    "measure": fiche.measure.key,
                    "name": fiche.measure.name,
                    "needs_review": fiche.needs_review,
                    "versions": fiche.version_count,
                    "confidentiality": fiche.confidentiality,
                    "is_synthetic": fiche.is_synthetic,
                }
                for fiche in selectors.fiche_list(user=request.user)  # type: ignore[arg-type]
            ]
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="Versienummer (standaard: nieuwste)")
        ],
        responses=_FICHE_RESPONSE,
    )
    def retrieve(self, request: Request, measure_key: str | None = None) -> Response:
        fiche = selectors.fiche_for_measure(user=request.user, measure_key=measure_key or "")  # type: ignore[arg-type]
        if fiche is None:
            raise Http404
        raw = request.query_params.get("version", "")
        number = int(raw) if raw.isdigit() and int(raw) < 1_000_000 else None
        version = selectors.fiche_version(fiche=fiche, number=number)
        if version is None:
            raise Http404
        return Response(selectors.fiche_document(fiche=fiche, version=version, user=request.user))  # type: ignore[arg-type]


class DossierViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Knowledge dossiers (kennisdossiers), latest version, as the user may see them."""

    queryset = KnowledgeDossier.objects.none()
    pagination_class = None  # the list is returned whole
    lookup_field = "key"

    @extend_schema(
        responses=inline_serializer(
            "DossierSummary",
            {"key": serializers.CharField(), "title": serializers.CharField()},
            many=True,
        )
    )
    def list(self, request: Request) -> Response:
        return Response(
            [
                {"key": d.key, "title": d.title, "confidentiality": d.confidentiality}
                for d in selectors.dossier_list(user=request.user)  # type: ignore[arg-type]
            ]
        )

    @extend_schema(
        responses=inline_serializer(
            "Dossier",
            {
                "key": serializers.CharField(),
                "title": serializers.CharField(),
                "version": serializers.IntegerField(),
                "synthesis": serializers.CharField(),
                "open_questions": serializers.ListField(child=serializers.CharField()),
                "items": serializers.ListField(child=serializers.DictField()),
                "measures": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def retrieve(self, request: Request, key: str | None = None) -> Response:
        user = request.user
        dossier = selectors.dossier_get(user=user, key=key or "")  # type: ignore[arg-type]
        if dossier is None:
            raise Http404
        version = selectors.dossier_version(dossier=dossier)
        if version is None:
            raise Http404
        view = selectors.dossier_view(dossier=dossier, version=version, user=user)  # type: ignore[arg-type]
        visible = {item.ref for _n, item in view["cited"]} | {i.ref for i in view["other_items"]}
        return Response(
            {
                "key": dossier.key,
                "title": dossier.title,
                "version": version.number,
                "synthesis": selectors.synthesis_for_reader(version.synthesis, visible),
                "open_questions": view["open_questions"],
                "items": [
                    {"ref": item.ref, "title": item.title, "id": item.pk}
                    for item in [*[i for _n, i in view["cited"]], *view["other_items"]]
                ],
                "measures": list(
                    filter_visible(user=user, queryset=dossier.measures.all()).values_list(  # type: ignore[arg-type]
                        "key", flat=True
                    )
                ),
            }
        )
