"""Reads of the knowledge library. Every read goes through ``filter_visible`` first."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, Prefetch, Q, QuerySet, Value
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality
from paraat.accounts.selectors import AnyUser, can_view, filter_visible, visible_levels
from paraat.evidence import search
from paraat.evidence.models import (
    Certainty,
    DossierVersion,
    DuplicateCandidate,
    DuplicateStatus,
    EvidenceItem,
    EvidenceLink,
    EvidenceType,
    Fiche,
    FicheCell,
    FicheVersion,
    ImportBatch,
    KnowledgeClass,
    KnowledgeDossier,
)
from paraat.measures.models import Measure
from paraat.taxonomies.models import Domain, PopulationGroup

UNGRADED = "ungraded"


def evidence_visible(*, user: AnyUser) -> QuerySet[EvidenceItem]:
    """Items the user may see, merged-away duplicates left out."""
    return filter_visible(user=user, queryset=EvidenceItem.objects.filter(merged_into__isnull=True))


def evidence_get(*, user: AnyUser, pk: int) -> EvidenceItem | None:
    item = EvidenceItem.objects.select_related("submitted_by", "merged_into").filter(pk=pk).first()
    if item is None or not can_view(user=user, obj=item):
        return None
    return item


def evidence_get_by_ref(*, user: AnyUser, ref: str) -> EvidenceItem | None:
    item = EvidenceItem.objects.filter(ref=ref).first()
    if item is None or not can_view(user=user, obj=item):
        return None
    return item


def evidence_links(*, item: EvidenceItem, user: AnyUser) -> list[EvidenceLink]:
    links = item.links.select_related("measure", "package", "domain", "group")
    return [
        link
        for link in links
        if (link.measure is None or can_view(user=user, obj=link.measure))
        and (link.package is None or can_view(user=user, obj=link.package))
    ]


@dataclass
class SearchFilters:
    item_types: list[str] = field(default_factory=list)
    knowledge_classes: list[str] = field(default_factory=list)
    certainties: list[str] = field(default_factory=list)  # may contain UNGRADED
    measure: str = ""
    domain: str = ""
    group: str = ""
    year_from: int | None = None
    year_to: int | None = None
    synthetic: str = ""  # "", "real", "synthetic"

    def as_query(self) -> dict[str, Any]:
        return {
            "type": self.item_types,
            "class": self.knowledge_classes,
            "certainty": self.certainties,
            "measure": self.measure,
            "domain": self.domain,
            "group": self.group,
            "from": self.year_from or "",
            "to": self.year_to or "",
            "synthetic": self.synthetic,
        }


def _apply_filters(
    queryset: QuerySet[EvidenceItem], filters: SearchFilters
) -> QuerySet[EvidenceItem]:
    if filters.item_types:
        queryset = queryset.filter(item_type__in=filters.item_types)
    if filters.knowledge_classes:
        queryset = queryset.filter(knowledge_class__in=filters.knowledge_classes)
    if filters.certainties:
        levels = [c for c in filters.certainties if c != UNGRADED]
        condition = Q(certainty__in=levels)
        if UNGRADED in filters.certainties:
            condition |= Q(certainty="")
        queryset = queryset.filter(condition)
    if filters.measure:
        queryset = queryset.filter(
            pk__in=EvidenceLink.objects.filter(measure__key=filters.measure).values("item_id")
        )
    if filters.domain:
        queryset = queryset.filter(
            pk__in=EvidenceLink.objects.filter(domain__key=filters.domain).values("item_id")
        )
    if filters.group:
        queryset = queryset.filter(
            pk__in=EvidenceLink.objects.filter(group__key=filters.group).values("item_id")
        )
    if filters.year_from:
        queryset = queryset.filter(published_on__gte=dt.date(filters.year_from, 1, 1))
    if filters.year_to:
        queryset = queryset.filter(published_on__lte=dt.date(filters.year_to, 12, 31))
    if filters.synthetic == "real":
        queryset = queryset.filter(is_synthetic=False)
    elif filters.synthetic == "synthetic":
        queryset = queryset.filter(is_synthetic=True)
    return queryset


@dataclass
class SearchResult:
    query: str
    hits: list[search.Hit]
    total: int
    page: int
    page_size: int
    facets: list[search.Facet]
    total_exact: bool = True  # False: ``total`` is a lower bound ("more than total - 1")

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


FacetCounts = tuple[dict[str, Counter[str]], dict[str, dict[int, int]]]


def _facet_counts_orm(queryset: QuerySet[EvidenceItem], user: AnyUser) -> FacetCounts:
    """Counts per attribute value and per linked measure/domain/group, in two queries."""
    counters: dict[str, Counter[str]] = {
        k: Counter() for k in ("type", "class", "certainty", "year")
    }
    rows = (
        queryset.order_by()
        .annotate(year=ExtractYear("published_on"))
        .values_list("item_type", "knowledge_class", "certainty", "year")
        .annotate(n=Count("pk"))
    )
    for item_type, knowledge_class, certainty, year, n in rows:
        counters["type"][item_type] += n
        counters["class"][knowledge_class] += n
        counters["certainty"][certainty or UNGRADED] += n
        if year:
            counters["year"][str(year)] += n
    links = EvidenceLink.objects.filter(item_id__in=queryset.order_by().values("pk"))
    per_kind = [
        links.filter(**{f"{kind}__isnull": False})
        .values_list(Value(kind, output_field=CharField()), f"{kind}_id")
        .annotate(n=Count("item_id", distinct=True))
        .order_by()
        for kind in ("measure", "domain", "group")
    ]
    link_counts: dict[str, dict[int, int]] = {"measure": {}, "domain": {}, "group": {}}
    for kind, pk, n in per_kind[0].union(per_kind[1], per_kind[2], all=True):
        link_counts[kind][pk] = n
    return counters, link_counts


def _facet_counts_fts(tokens: Counter[str]) -> FacetCounts:
    """The same counts from the attribute tokens of the FTS5 index (SQLite fast path)."""
    token = search.meta_token
    counters: dict[str, Counter[str]] = {
        k: Counter() for k in ("type", "class", "certainty", "year")
    }
    for key, prefix, values in (
        ("type", "t", EvidenceType.values),
        ("class", "k", KnowledgeClass.values),
        ("certainty", "g", [*Certainty.values, UNGRADED]),
    ):
        for value in values:
            if tokens[token(prefix, value)]:
                counters[key][value] = tokens[token(prefix, value)]
    link_counts: dict[str, dict[int, int]] = {"measure": {}, "domain": {}, "group": {}}
    kinds = {"y": "year", "m": "measure", "d": "domain", "p": "group"}
    for name, n in tokens.items():
        kind = kinds.get(name[2:3])
        if kind and name[3:].isdigit():
            if kind == "year":
                counters["year"][name[3:]] = n
            else:
                link_counts[kind][int(name[3:])] = n
    return counters, link_counts


def _facets(counts: FacetCounts, user: AnyUser) -> list[search.Facet]:
    counters, link_counts = counts

    def choice_facet(key: str, label: str, choices: Any) -> search.Facet:
        return search.Facet(
            key,
            label,
            [
                (value, str(text), counters[key][value])
                for value, text in choices
                if counters[key][value]
            ],
        )

    facets = [
        choice_facet("type", _("Soort"), EvidenceType.choices),
        choice_facet("class", _("Kennissoort"), KnowledgeClass.choices),
        choice_facet(
            "certainty",
            _("Zekerheid (GRADE)"),
            [*Certainty.choices, (UNGRADED, _("niet gegradeerd"))],
        ),
    ]
    english = (get_language() or "nl").startswith("en")
    measures = filter_visible(
        user=user, queryset=Measure.objects.filter(pk__in=link_counts["measure"])
    ).only("key", "name_nl", "name_en")
    measure_values = sorted(
        (
            (
                m.key,
                (m.name_en if english and m.name_en else m.name_nl),
                link_counts["measure"][m.pk],
            )
            for m in measures
        ),
        key=lambda v: (-v[2], v[1]),
    )[:25]
    facets.append(search.Facet("measure", _("Maatregel"), measure_values))
    for key, label, model in (
        ("domain", _("Impactdomein"), Domain),
        ("group", _("Groep"), PopulationGroup),
    ):
        terms = model.objects.filter(pk__in=link_counts[key])
        facets.append(
            search.Facet(key, label, [(t.key, t.name, link_counts[key][t.pk]) for t in terms])
        )
    facets.append(
        search.Facet(
            "year",
            _("Jaar"),
            sorted(((y, y, n) for y, n in counters["year"].items()), reverse=True),
        )
    )
    return facets


def _meta_groups(*, user: AnyUser, filters: SearchFilters) -> list[list[str]] | None:
    """Visibility and facet filters as FTS5 attribute-token groups; None when they cannot be
    expressed that way (per-object grants, long year ranges): then the slower join path runs."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from paraat.accounts.models import AccessGrant, User

    levels = visible_levels(user=user)
    if user.is_authenticated and Confidentiality.CONFIDENTIAL not in levels:
        assert isinstance(user, User)
        if (
            AccessGrant.objects.filter(content_type=ContentType.objects.get_for_model(EvidenceItem))
            .filter(Q(grantee_user=user) | Q(grantee_group__in=user.groups.all()))
            .exists()
        ):
            return None
    token = search.meta_token
    groups = [[token("c", level) for level in levels]]
    groups.append([token("t", v) for v in filters.item_types] or [])
    groups.append([token("k", v) for v in filters.knowledge_classes] or [])
    groups.append([token("g", v) for v in filters.certainties] or [])
    groups = [groups[0], *[g for g in groups[1:] if g]]
    for kind, key, model in (
        ("m", filters.measure, filter_visible(user=user, queryset=Measure.objects.all())),
        ("d", filters.domain, Domain.objects.all()),
        ("p", filters.group, PopulationGroup.objects.all()),
    ):
        if key:
            pk = model.filter(key=key).values_list("pk", flat=True).first()
            groups.append([token(kind, pk)] if pk is not None else [])
    if filters.year_from or filters.year_to:
        last = timezone.localdate().year + 1
        first_year, last_year = filters.year_from or 1900, min(filters.year_to or last, last)
        if last_year - first_year > 60:
            return None
        groups.append([token("y", y) for y in range(first_year, last_year + 1)])
    if filters.synthetic:
        groups.append([token("s", 1 if filters.synthetic == "synthetic" else 0)])
    return groups


def _ranked(
    *,
    query: str,
    groups: list[list[str]] | None,
    base: QuerySet[EvidenceItem],
    limit: int,
    offset: int,
    cap: int | None = None,
) -> tuple[int, list[tuple[int, float]], bool]:
    """Total, ranked ids and whether the total is exact, for a text query.

    SQLite: inside the FTS5 index when the filters are attribute tokens (``groups``), else the
    join path. PostgreSQL: ``pg_page``. The caller fetches the hits through ``base`` again.
    """
    if connection.vendor == "postgresql":
        return search.pg_page(queryset=base, query=query, limit=limit, offset=offset, cap=cap)
    if groups is not None:
        total, ranked = search.fts_page(
            query=query, meta_groups=groups, limit=limit, offset=offset, cap=cap
        )
    else:
        total, ranked = search.join_page(queryset=base, query=query, limit=limit, offset=offset)
    return total, ranked, True


def evidence_search(
    *,
    user: AnyUser,
    query: str = "",
    filters: SearchFilters | None = None,
    page: int = 1,
    page_size: int = 20,
    with_facets: bool = True,
    order: str = "",
) -> SearchResult:
    """Search the items ``user`` may see. Without a query: newest first, all visible items.

    Ranking is by relevance; when more than ``search.RANK_CAP`` items match, relevance ranks
    the most recently added ``RANK_CAP`` of them and the rest follow newest first.
    """
    filters = filters or SearchFilters()
    query = query.strip()[: search.MAX_QUERY_LENGTH]
    base = _apply_filters(evidence_visible(user=user), filters)
    page = max(1, page)
    offset = (page - 1) * page_size
    text_query = bool(query and search.parse_query(query))
    stems = search.query_stems(query) if text_query else set()
    # The attribute-token form of the filters (SQLite), worked out once for ranking and facets.
    groups = (
        _meta_groups(user=user, filters=filters)
        if text_query and connection.vendor == "sqlite"
        else None
    )
    total: int | None = None
    total_exact = True
    if text_query:
        matched = search.matching_ids_subquery(base, query)
        if order == "date":
            ranked = [
                (pk, 0.0)
                for pk in matched.order_by("-published_on", "pk").values_list("pk", flat=True)[
                    offset : offset + page_size
                ]
            ]
        else:
            total, ranked, total_exact = _ranked(
                query=query, groups=groups, base=base, limit=page_size, offset=offset
            )
    else:
        matched = base if not query else base.none()
        ranked = [
            (pk, 0.0)
            for pk in matched.order_by("-published_on", "title", "pk").values_list("pk", flat=True)[
                offset : offset + page_size
            ]
        ]
    # Fetched through ``base``: an id the index offers but the ORM check refuses is dropped.
    items = base.in_bulk([pk for pk, _score in ranked])
    hits = []
    for pk, score in ranked:
        item = items.get(pk)
        if item is None:
            continue
        texts = [
            ("summary", item.summary),
            ("full_text", item.full_text),
            ("extracted_text", item.extracted_text),
        ]
        hits.append(
            search.Hit(
                item=item,
                score=round(score, 4),
                title_html=search.highlight(item.title, stems),
                snippet=search.snippet(texts, stems),
            )
        )
    facets: list[search.Facet] = []
    if with_facets:
        if groups is not None:
            counts = _facet_counts_fts(search.fts_facet_tokens(query=query, meta_groups=groups))
        else:
            counts = _facet_counts_orm(matched, user)
        facets = _facets(counts, user)
        if total is None or not total_exact:  # the facets counted every match: exact
            total, total_exact = sum(counts[0]["type"].values()), True
    elif total is None:
        total = matched.count()
    return SearchResult(query, hits, total, page, page_size, facets, total_exact)


def evidence_for_export(
    *, user: AnyUser, query: str = "", filters: SearchFilters | None = None, limit: int = 10_000
) -> list[EvidenceItem]:
    """All items of a search (up to ``limit``), in result order, for CSV/RIS/CSL-JSON export."""
    filters = filters or SearchFilters()
    base = _apply_filters(evidence_visible(user=user), filters)
    if query.strip() and search.parse_query(query):
        groups = _meta_groups(user=user, filters=filters) if connection.vendor == "sqlite" else None
        _total, ranked, _exact = _ranked(
            query=query, groups=groups, base=base, limit=limit, offset=0, cap=limit
        )
        items = base.in_bulk([pk for pk, _ in ranked])
        return [items[pk] for pk, _ in ranked if pk in items]
    return list(base.order_by("-published_on", "title", "pk")[:limit])


# --- imports and duplicates -------------------------------------------------------------------


def import_batch_list() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("created_by")[:50]


def duplicate_candidates_open(*, user: AnyUser) -> list[DuplicateCandidate]:
    candidates = DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).select_related(
        "item", "other"
    )
    return [
        c
        for c in candidates
        if c.item.merged_into_id is None
        and c.other.merged_into_id is None
        and can_view(user=user, obj=c.item)
        and can_view(user=user, obj=c.other)
    ]


# --- fiches -----------------------------------------------------------------------------------


def fiche_list(*, user: AnyUser) -> QuerySet[Fiche]:
    measures = filter_visible(user=user, queryset=Measure.objects.all())
    return (
        filter_visible(user=user, queryset=Fiche.objects.all())
        .filter(measure__in=measures)
        .select_related("measure", "reviewer")
        .annotate(version_count=Count("versions"))
    )


def fiche_for_measure(*, user: AnyUser, measure_key: str) -> Fiche | None:
    fiche = (
        Fiche.objects.select_related("measure", "reviewer").filter(measure__key=measure_key).first()
    )
    if (
        fiche is None
        or not can_view(user=user, obj=fiche)
        or not can_view(user=user, obj=fiche.measure)
    ):
        return None
    return fiche


def fiche_version(*, fiche: Fiche, number: int | None = None) -> FicheVersion | None:
    versions = fiche.versions.select_related("created_by", "reviewed_by")
    if number is None:
        return versions.order_by("-number").first()
    return versions.filter(number=number).first()


def fiche_versions(*, fiche: Fiche) -> QuerySet[FicheVersion]:
    return fiche.versions.select_related("created_by", "reviewed_by").order_by("-number")


def cited_visible(*, user: AnyUser) -> QuerySet[EvidenceItem]:
    """Items a reader may see when cited: merged-away items included (they keep their page)."""
    return filter_visible(user=user, queryset=EvidenceItem.objects.all())


def fiche_cells(*, version: FicheVersion, user: AnyUser) -> list[FicheCell]:
    cells = filter_visible(user=user, queryset=version.cells.all()).select_related(
        "domain", "group"
    )
    return list(
        cells.prefetch_related(
            Prefetch("evidence", queryset=cited_visible(user=user).order_by("pk"))
        )
    )


def fiche_unused_evidence(
    *, fiche: Fiche, version: FicheVersion | None, user: AnyUser
) -> list[EvidenceItem]:
    """Items linked to the measure that the fiche does not cite yet (input for the reviewer)."""
    linked = evidence_visible(user=user).filter(links__measure=fiche.measure).distinct()
    if version is None:
        return list(linked)
    cited = set(version.key_evidence.values_list("pk", flat=True)) | set(
        FicheCell.objects.filter(version=version).values_list("evidence__pk", flat=True)
    )
    return [item for item in linked if item.pk not in cited]


def fiche_dossiers(*, fiche: Fiche, user: AnyUser) -> list[KnowledgeDossier]:
    return list(
        filter_visible(user=user, queryset=KnowledgeDossier.objects.filter(measures=fiche.measure))
    )


def fiche_events(*, fiche: Fiche) -> QuerySet[Any]:
    return fiche.events.select_related("actor", "link__item", "version")[:50]


# --- dossiers ---------------------------------------------------------------------------------


def dossier_list(*, user: AnyUser) -> QuerySet[KnowledgeDossier]:
    return filter_visible(user=user, queryset=KnowledgeDossier.objects.all()).select_related(
        "reviewer"
    )


def dossier_get(*, user: AnyUser, key: str) -> KnowledgeDossier | None:
    dossier = KnowledgeDossier.objects.filter(key=key).first()
    if dossier is None or not can_view(user=user, obj=dossier):
        return None
    return dossier


def dossier_version(*, dossier: KnowledgeDossier, number: int | None = None) -> Any:
    versions = dossier.versions.select_related("created_by")
    if number is None:
        return versions.order_by("-number").first()
    return versions.filter(number=number).first()


def is_public_audience(*, user: AnyUser) -> bool:
    return visible_levels(user=user) == [Confidentiality.PUBLIC]


# --- the fiche as plain data (pages, PDF, DOCX, diff, API) ------------------------------------


def _citation(item: EvidenceItem) -> str:
    who = item.author_line or item.organisation
    year = item.published_on.year if item.published_on else _("z.j.")
    parts = [f"{who} ({year})." if who else f"({year}).", f"{item.title}."]
    if item.container_title:
        parts.append(f"{item.container_title}.")
    if item.publisher and item.publisher != who:
        parts.append(f"{item.publisher}.")
    if item.doi:
        parts.append(f"https://doi.org/{item.doi}")
    return " ".join(parts)


def evidence_provenance(item: EvidenceItem) -> str:
    who = str(item.submitted_by) if item.submitted_by else item.submitted_by_name
    if who and item.on_behalf_of:
        return _("Ingebracht door %(who)s namens %(org)s") % {"who": who, "org": item.on_behalf_of}
    if who:
        return _("Ingebracht door %(who)s") % {"who": who}
    if item.on_behalf_of:
        return _("Ingebracht namens %(org)s") % {"org": item.on_behalf_of}
    return _("Herkomst niet vastgelegd")


def evidence_interests(item: EvidenceItem) -> str:
    if item.interests_status == "declared":
        return _("Verklaarde belangen: %(text)s") % {"text": item.declared_interests}
    if item.interests_status == "none":
        return _("Geen belangen verklaard")
    return _("Belangen niet gevraagd of onbekend")


def fiche_document(
    *, fiche: Fiche, version: FicheVersion, user: AnyUser, generated_at: str = ""
) -> dict[str, Any]:
    """The fiche as the reader may see it: plain, display-ready data.

    Cells and items the reader may not see are left out entirely (the public rendering only
    has public cells and public items). Used by the page, PDF, DOCX, the version diff and the API.
    """
    from django.utils import timezone

    cells = fiche_cells(version=version, user=user)
    visible_ids = set(
        cited_visible(user=user)
        .values_list("pk", flat=True)
        .filter(
            Q(pk__in=version.key_evidence.values("pk"))
            | Q(pk__in=FicheCell.objects.filter(version=version).values("evidence__pk"))
        )
    )
    numbering: dict[int, int] = {}
    ordered: list[EvidenceItem] = []

    def number_of(item: EvidenceItem) -> int:
        if item.pk not in numbering:
            numbering[item.pk] = len(numbering) + 1
            ordered.append(item)
        return numbering[item.pk]

    key_items = [i for i in version.key_evidence.all().order_by("pk") if i.pk in visible_ids]
    key_numbers = [number_of(i) for i in key_items]
    cell_rows = []
    for cell in cells:
        cell_rows.append(
            {
                "domain": cell.domain.key,
                "domain_name": cell.domain.name,
                "group": cell.group.key if cell.group else "",
                "group_name": cell.group.name if cell.group else _("Hele bevolking"),
                "direction": cell.direction,
                "direction_label": cell.get_direction_display(),
                "size": cell.size,
                "size_label": cell.get_size_display() if cell.size else "",
                "certainty": cell.certainty,
                "certainty_label": cell.get_certainty_display() if cell.certainty else "",
                "horizon": cell.horizon,
                "horizon_label": cell.get_horizon_display() if cell.horizon else "",
                "note": cell.note,
                "confidentiality": cell.confidentiality,
                "evidence": [number_of(e) for e in cell.evidence.all() if e.pk in visible_ids],
            }
        )
    domain_keys = {c["domain"] for c in cell_rows}
    group_keys = {c["group"] for c in cell_rows}
    domains = [{"key": d.key, "name": d.name} for d in Domain.objects.filter(key__in=domain_keys)]
    groups = [{"key": "", "name": _("Hele bevolking")}] if "" in group_keys else []
    groups += [
        {"key": g.key, "name": g.name}
        for g in PopulationGroup.objects.filter(key__in=group_keys - {""})
    ]
    measure = fiche.measure
    oxcgrt = ""
    if measure.oxcgrt_indicator:
        oxcgrt = measure.oxcgrt_indicator + (
            f" = {measure.level}" if measure.level is not None else ""
        )
    return {
        "measure": {
            "key": measure.key,
            "name": measure.name,
            "description": measure.description,
            "oxcgrt": oxcgrt,
            "legal_basis": measure.legal_basis,
        },
        "version": {
            "number": version.number,
            "created_at": timezone.localtime(version.created_at).strftime("%Y-%m-%d %H:%M"),
            "created_by": str(version.created_by) if version.created_by else "",
            "change_note": version.change_note,
            "reviewed_on": version.reviewed_on.isoformat() if version.reviewed_on else "",
            "reviewer": str(version.reviewed_by) if version.reviewed_by else "",
        },
        "fiche_reviewer": str(fiche.reviewer) if fiche.reviewer else "",
        "last_reviewed_on": _last_review(fiche),
        "needs_review": fiche.needs_review,
        "is_synthetic": fiche.is_synthetic,
        "confidentiality": fiche.confidentiality,
        "audience": "public" if is_public_audience(user=user) else "internal",
        "summary": version.summary,
        "domains": domains,
        "groups": groups,
        "cells": cell_rows,
        "evidence": [
            {
                "number": numbering[item.pk],
                "id": item.pk,
                "ref": item.ref,
                "citation": _citation(item),
                "title": item.title,
                "type": item.item_type,
                "type_label": item.get_item_type_display(),
                "knowledge_class": item.knowledge_class,
                "knowledge_class_label": item.get_knowledge_class_display(),
                "certainty": item.certainty,
                "certainty_label": item.get_certainty_display() if item.certainty else "",
                "provenance": evidence_provenance(item),
                "interests": evidence_interests(item),
                "is_synthetic": item.is_synthetic,
                "confidentiality": item.confidentiality,
                "url": item.url or (f"https://doi.org/{item.doi}" if item.doi else ""),
            }
            for item in ordered
        ],
        "key_evidence": key_numbers,
        "mitigations": version.mitigations,
        "knowledge_gaps": version.knowledge_gaps,
        "dossiers": [
            {"key": d.key, "title": d.title} for d in fiche_dossiers(fiche=fiche, user=user)
        ],
        "generated_at": generated_at
        or timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M"),
        "site_name": "paraat",
        "lang": "en" if (get_language() or "nl").startswith("en") else "nl",
    }


def _last_review(fiche: Fiche) -> str:
    reviewed = (
        fiche.versions.exclude(reviewed_on__isnull=True)
        .order_by("-number")
        .values_list("reviewed_on", flat=True)
        .first()
    )
    return reviewed.isoformat() if reviewed else ""


def evidence_by_refs(*, user: AnyUser, refs: list[str]) -> list[EvidenceItem]:
    """Visible items for citation keys, in the given order; unknown keys raise ValidationError."""
    from django.core.exceptions import ValidationError

    wanted = list(dict.fromkeys(refs))
    found = {i.ref: i for i in evidence_visible(user=user).filter(ref__in=wanted)}
    missing = [ref for ref in wanted if ref not in found]
    if missing:
        raise ValidationError(
            _("Onbekende citeersleutel(s): %(refs)s") % {"refs": ", ".join(missing)}
        )
    return [found[ref] for ref in wanted]


def evidence_cited_in(*, item: EvidenceItem, user: AnyUser) -> dict[str, list[Any]]:
    """Fiches (latest versions) and dossiers that cite the item, as far as the user may see."""
    from django.db.models import OuterRef, Subquery

    newest_fiche = FicheVersion.objects.filter(fiche=OuterRef("pk")).order_by("-number")
    citing_fiche_versions = set(
        FicheVersion.key_evidence.through.objects.filter(evidenceitem=item).values_list(
            "ficheversion_id", flat=True
        )
    ) | set(
        filter_visible(user=user, queryset=FicheCell.objects.filter(evidence=item)).values_list(
            "version_id", flat=True
        )
    )
    fiches = fiche_list(user=user).annotate(newest=Subquery(newest_fiche.values("pk")[:1]))
    newest_dossier = DossierVersion.objects.filter(dossier=OuterRef("pk")).order_by("-number")
    citing_dossier_versions = set(
        DossierVersion.items.through.objects.filter(evidenceitem=item).values_list(
            "dossierversion_id", flat=True
        )
    )
    dossiers = dossier_list(user=user).annotate(newest=Subquery(newest_dossier.values("pk")[:1]))
    return {
        "fiches": [f for f in fiches if f.newest in citing_fiche_versions],
        "dossiers": [d for d in dossiers if d.newest in citing_dossier_versions],
    }


def import_batch_get(*, pk: int) -> ImportBatch | None:
    return ImportBatch.objects.select_related("created_by").filter(pk=pk).first()


def measures_without_fiche(*, user: AnyUser) -> QuerySet[Measure]:
    return filter_visible(user=user, queryset=Measure.objects.filter(fiche__isnull=True))


def can_edit_fiche(*, user: AnyUser, fiche: Fiche) -> bool:
    """Editing rewrites the whole content: only for someone who can see all of it."""
    if not user.has_perm("evidence.change_fiche"):
        return False
    version = fiche_version(fiche=fiche)
    if version is None:
        return True
    all_cells = version.cells.count()
    if filter_visible(user=user, queryset=version.cells.all()).count() != all_cells:
        return False
    cited = EvidenceItem.objects.filter(
        Q(pk__in=version.key_evidence.values("pk"))
        | Q(pk__in=FicheCell.objects.filter(version=version).values("evidence__pk"))
    )
    return _sees_all(user=user, items=cited)


def can_edit_dossier(*, user: AnyUser, dossier: KnowledgeDossier) -> bool:
    """Saving rewrites the item list and synthesis: only for someone who sees all items."""
    if not user.has_perm("evidence.change_knowledgedossier"):
        return False
    version = dossier_version(dossier=dossier)
    if version is None:
        return True
    return _sees_all(user=user, items=version.items.all())


def _sees_all(*, user: AnyUser, items: QuerySet[EvidenceItem]) -> bool:
    """Whether ``user`` may see every one of ``items`` (merged-away items count as cited)."""
    return cited_visible(user=user).filter(pk__in=items.values("pk")).count() == items.count()


def fiche_matrix(document: dict[str, Any]) -> dict[str, Any]:
    """Rows (domains) × columns (groups) of a fiche document, with empty cells marked."""
    by_key = {(c["domain"], c["group"]): c for c in document["cells"]}
    rows = []
    for domain in document["domains"]:
        rows.append(
            {
                "domain": domain,
                "cells": [
                    by_key.get((domain["key"], group["key"])) for group in document["groups"]
                ],
            }
        )
    return {"groups": document["groups"], "rows": rows}


def fiche_cells_initial(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The cells of a fiche document as initial data for the edit formset."""
    refs = {e["number"]: e["ref"] for e in document["evidence"]}
    domains = {d.key: d for d in Domain.objects.all()}
    groups = {g.key: g for g in PopulationGroup.objects.all()}
    return [
        {
            "domain": domains.get(cell["domain"]),
            "group": groups.get(cell["group"]) if cell["group"] else None,
            "direction": cell["direction"],
            "size": cell["size"],
            "certainty": cell["certainty"],
            "horizon": cell["horizon"],
            "note": cell["note"],
            "evidence": ", ".join(refs[n] for n in cell["evidence"]),
            "confidentiality": cell["confidentiality"],
        }
        for cell in document["cells"]
    ]


def dossier_view(*, dossier: KnowledgeDossier, version: Any, user: AnyUser) -> dict[str, Any]:
    """The synthesis as paragraphs with citations resolved to the items the user may see.

    A citation of an item the reader may not see is shown as "[niet openbaar]" (without title).
    """
    import html

    from django.urls import reverse
    from django.utils.safestring import mark_safe

    from paraat.evidence.services import CITATION

    items = list(cited_visible(user=user).filter(pk__in=version.items.values("pk")))
    by_ref = {i.ref: i for i in items}
    numbers: dict[str, int] = {}
    paragraphs = []
    for paragraph in [p.strip() for p in version.synthesis.split("\n\n") if p.strip()]:
        out: list[str] = []
        position = 0
        for found in CITATION.finditer(paragraph):
            out.append(html.escape(paragraph[position : found.start()]))
            ref = found.group(1)
            item = by_ref.get(ref)
            if item is None:
                out.append(f"[{html.escape(_('niet openbaar'))}]")
            else:
                number = numbers.setdefault(ref, len(numbers) + 1)
                url = reverse("evidence:detail", args=[item.pk])
                out.append(f'<a href="{url}" title="{html.escape(item.title)}">[{number}]</a>')
            position = found.end()
        out.append(html.escape(paragraph[position:]))
        paragraphs.append(mark_safe("".join(out)))  # noqa: S308 - every piece is escaped
    cited = sorted(numbers.items(), key=lambda kv: kv[1])
    return {
        "paragraphs": paragraphs,
        "cited": [(n, by_ref[ref]) for ref, n in cited],
        "other_items": [i for i in items if i.ref not in numbers],
        "open_questions": [q.strip() for q in version.open_questions.splitlines() if q.strip()],
        "fiches": list(fiche_list(user=user).filter(measure__in=dossier.measures.all())),
    }


def synthesis_for_reader(synthesis: str, visible_refs: set[str]) -> str:
    """The synthesis text with citations of items the reader may not see blanked out."""
    from paraat.evidence.services import CITATION

    hidden = _("niet openbaar")
    return CITATION.sub(
        lambda m: m.group(0) if m.group(1) in visible_refs else f"[{hidden}]", synthesis
    )
