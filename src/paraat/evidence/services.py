"""Writes for the knowledge library. Every function is atomic, keyword-only and validates input.

Fiche and dossier content is never edited in place: each change appends a numbered version.
Review flags, reviews and merges are appended as events.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process, utils

from paraat.accounts.models import Confidentiality, User
from paraat.evidence import formats, search
from paraat.evidence.models import (
    Certainty,
    DatePrecision,
    Direction,
    DossierVersion,
    DuplicateCandidate,
    DuplicateStatus,
    EffectSize,
    EvidenceItem,
    EvidenceLink,
    EvidenceType,
    Fiche,
    FicheCell,
    FicheEvent,
    FicheVersion,
    GradeDowngrade,
    GradeUpgrade,
    Horizon,
    ImportBatch,
    InterestsStatus,
    KnowledgeClass,
    KnowledgeDossier,
    MergeRecord,
)
from paraat.measures.models import Measure, Package
from paraat.taxonomies.models import Domain, PopulationGroup

logger = logging.getLogger(__name__)

TITLE_DUPLICATE_THRESHOLD = 92.0
PDF_MAX_BYTES = 25 * 1024 * 1024
CITATION = re.compile(r"\[@([a-z0-9][a-z0-9_-]*)\]")


# --- evidence items ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceData:
    """The editable fields of an evidence item (everything but provenance and links)."""

    item_type: str
    title: str
    knowledge_class: str
    authors: tuple[str, ...] = ()
    organisation: str = ""
    published_on: dt.date | None = None
    date_precision: str = DatePrecision.DAY
    doi: str = ""
    url: str = ""
    language: str = "nl"
    container_title: str = ""
    publisher: str = ""
    keywords: tuple[str, ...] = ()
    summary: str = ""
    full_text: str = ""
    licence: str = ""
    certainty: str = ""
    certainty_downgrades: tuple[str, ...] = ()
    certainty_upgrades: tuple[str, ...] = ()
    certainty_note: str = ""
    on_behalf_of: str = ""
    interests_status: str = InterestsStatus.UNKNOWN
    declared_interests: str = ""
    confidentiality: str = Confidentiality.INTERNAL
    is_synthetic: bool = False


def _validate_evidence_data(data: EvidenceData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Geef een titel.")
    if data.item_type not in EvidenceType.values:
        errors["item_type"] = _("Onbekende soort: %(v)s") % {"v": data.item_type}
    if data.knowledge_class not in KnowledgeClass.values:
        errors["knowledge_class"] = _("Onbekende kennissoort: %(v)s") % {"v": data.knowledge_class}
    if data.certainty and data.certainty not in Certainty.values:
        errors["certainty"] = _("Onbekend GRADE-niveau: %(v)s") % {"v": data.certainty}
    bad = [r for r in data.certainty_downgrades if r not in GradeDowngrade.values]
    bad += [r for r in data.certainty_upgrades if r not in GradeUpgrade.values]
    if bad:
        errors["certainty_downgrades"] = _("Onbekende GRADE-reden: %(v)s") % {"v": ", ".join(bad)}
    if (data.certainty_downgrades or data.certainty_upgrades) and not data.certainty:
        errors["certainty"] = _("Redenen voor af- of opwaarderen horen bij een GRADE-niveau.")
    if data.interests_status == InterestsStatus.DECLARED and not data.declared_interests.strip():
        errors["declared_interests"] = _("Beschrijf de verklaarde belangen.")
    if data.confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Onbekend vertrouwelijkheidsniveau.")
    if data.doi and not formats.normalize_doi(data.doi):
        errors["doi"] = _("Een DOI begint met 10. (bijvoorbeeld 10.1000/xyz123).")
    if errors:
        raise ValidationError(errors)


def evidence_ref_generate(
    *,
    title: str,
    authors: Sequence[str],
    organisation: str,
    year: int | None,
    wanted: str = "",
    confidential: bool = False,
) -> str:
    """A readable, unique citation key: ``wanted`` if free, else author-year-title words.

    A ``confidential`` item's key names neither its authors nor its title: the key stays when
    the item is reclassified later, and it is shown wherever the item is cited."""
    if wanted:
        base = slugify(wanted)[:100]
    elif confidential:
        base = f"vertrouwelijk-{year or 'zj'}-{secrets.token_hex(3)}"
    else:
        who = (authors[0].split(",")[0] if authors else organisation) or "item"
        title_words = [w for w in slugify(title).split("-") if len(w) > 3][:2]
        base = "-".join([slugify(who)[:30] or "item", str(year or "zj"), *title_words])[:100]
    base = base.strip("-") or "item"
    ref = base
    counter = 2
    while EvidenceItem.objects.filter(ref=ref).exists():
        ref = f"{base}-{counter}"
        counter += 1
    return ref


def _item_fields(data: EvidenceData) -> dict[str, Any]:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    for name in ("authors", "keywords", "certainty_downgrades", "certainty_upgrades"):
        values[name] = [str(v).strip() for v in values[name] if str(v).strip()]
    values["doi"] = formats.normalize_doi(data.doi)
    values["title"] = data.title.strip()
    return values


@transaction.atomic
def evidence_create(
    *,
    data: EvidenceData,
    submitted_by: User | None,
    submitted_by_name: str = "",
    ref: str = "",
    import_batch: ImportBatch | None = None,
) -> EvidenceItem:
    _validate_evidence_data(data)
    values = _item_fields(data)
    item = EvidenceItem(
        ref=evidence_ref_generate(
            title=data.title,
            authors=data.authors,
            organisation=data.organisation,
            year=data.published_on.year if data.published_on else None,
            wanted=ref,
            confidential=data.confidentiality == Confidentiality.CONFIDENTIAL,
        ),
        submitted_by=submitted_by,
        submitted_by_name=submitted_by_name,
        import_batch=import_batch,
        **values,
    )
    item.full_clean()
    item.save()
    search.search_index_update(item_ids=[item.pk])
    return item


@transaction.atomic
def evidence_update(*, item: EvidenceItem, data: EvidenceData) -> EvidenceItem:
    _validate_evidence_data(data)
    for name, value in _item_fields(data).items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    search.search_index_update(item_ids=[item.pk])
    return item


def pdf_extract_text(*, content: bytes, file_name: str) -> str:
    """Text of a PDF for search; refuses files that are not PDFs by their content."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not content.startswith(b"%PDF-"):
        raise ValidationError(
            {
                "attachment": _("%(name)s is geen PDF-bestand (gecontroleerd op inhoud).")
                % {"name": file_name}
            }
        )
    if len(content) > PDF_MAX_BYTES:
        raise ValidationError(
            {"attachment": _("%(name)s is groter dan 25 MB.") % {"name": file_name}}
        )
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ValidationError(
                {
                    "attachment": _("%(name)s is versleuteld; lever een onbeveiligde PDF.")
                    % {"name": file_name}
                }
            )
        return "\n".join((page.extract_text() or "") for page in reader.pages)[:2_000_000]
    except ValidationError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    ) as exc:
        raise ValidationError(
            {
                "attachment": _("%(name)s kon niet als PDF worden gelezen (%(error)s).")
                % {"name": file_name, "error": type(exc).__name__}
            }
        ) from exc


@transaction.atomic
def evidence_attach_pdf(*, item: EvidenceItem, content: bytes, file_name: str) -> EvidenceItem:
    text = pdf_extract_text(content=content, file_name=file_name)
    safe_name = (slugify(file_name.rsplit(".", 1)[0])[:80] or "bijlage") + ".pdf"
    if item.attachment:
        item.attachment.delete(save=False)
    item.attachment.save(safe_name, File(io.BytesIO(content)), save=False)
    item.extracted_text = text
    item.save(update_fields=["attachment", "extracted_text", "updated_at"])
    search.search_index_update(item_ids=[item.pk])
    return item


# --- links and fiche review flags -------------------------------------------------------------


@dataclass(frozen=True)
class LinkData:
    measure: Measure | None = None
    package: Package | None = None
    domain: Domain | None = None
    group: PopulationGroup | None = None
    direction: str = Direction.UNKNOWN
    size: str = ""
    horizon: str = ""
    note: str = ""


def _validate_link(data: LinkData) -> None:
    errors: dict[str, str] = {}
    if not any((data.measure, data.package, data.domain, data.group)):
        errors["measure"] = _("Koppel aan een maatregel, pakket, domein of groep.")
    if data.direction not in Direction.values:
        errors["direction"] = _("Onbekende richting.")
    if data.size and data.size not in EffectSize.values:
        errors["size"] = _("Onbekende omvang.")
    if data.horizon and data.horizon not in Horizon.values:
        errors["horizon"] = _("Onbekende termijn.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evidence_link_create(*, item: EvidenceItem, data: LinkData, user: User | None) -> EvidenceLink:
    """Link an item; the fiches of the measures concerned are flagged for review."""
    _validate_link(data)
    link = EvidenceLink.objects.create(
        item=item,
        measure=data.measure,
        package=data.package,
        domain=data.domain,
        group=data.group,
        direction=data.direction,
        size=data.size,
        horizon=data.horizon,
        note=data.note,
        created_by=user,
    )
    search.search_index_update(item_ids=[item.pk])  # links are facet filters in the index
    measures = [data.measure] if data.measure else []
    if data.package is not None:
        measures += list(Measure.objects.filter(packageitem__package=data.package).distinct())
    for measure in measures:
        fiche = Fiche.objects.filter(measure=measure).first()
        if fiche is not None:
            fiche_flag_review(
                fiche=fiche,
                reason=_("Nieuw bewijs gekoppeld aan de maatregel."),
                link=link,
                actor=user,
            )
    return link


@transaction.atomic
def evidence_link_delete(*, link: EvidenceLink) -> None:
    item_id = link.item_id
    link.delete()
    search.search_index_update(item_ids=[item_id])


def _notify_reviewer(fiche: Fiche) -> None:
    reviewer = fiche.reviewer
    if reviewer is None or not reviewer.email:
        return
    url = settings.PARAAT_SITE_URL + reverse("evidence:fiche_detail", args=[fiche.measure.key])
    measure_name = fiche.measure.name_nl
    # No item titles in the message: the new item may be confidential.
    body = _(
        "Er is nieuw bewijs gekoppeld aan de maatregel ‘%(measure)s’. De fiche is gemarkeerd "
        "als ‘review nodig’.\n\nBekijk de fiche (inloggen vereist): %(url)s\n"
    ) % {"measure": measure_name, "url": url}
    subject = _("Fiche ‘%(measure)s’: review nodig") % {"measure": measure_name}

    def send() -> None:
        try:
            send_mail(subject, body, None, [reviewer.email])
        except OSError:
            logger.exception("Review notice for fiche %s could not be sent", fiche.pk)

    transaction.on_commit(send)


@transaction.atomic
def fiche_flag_review(
    *, fiche: Fiche, reason: str, link: EvidenceLink | None = None, actor: User | None = None
) -> FicheEvent:
    was_flagged = fiche.needs_review
    Fiche.objects.filter(pk=fiche.pk).update(needs_review=True)
    fiche.needs_review = True
    event = FicheEvent.objects.create(
        fiche=fiche, kind=FicheEvent.Kind.FLAGGED, reason=reason, link=link, actor=actor
    )
    if not was_flagged:
        _notify_reviewer(fiche)
    return event


@transaction.atomic
def fiche_reviewer_set(*, fiche: Fiche, reviewer: User | None, actor: User | None) -> Fiche:
    Fiche.objects.filter(pk=fiche.pk).update(reviewer=reviewer)
    fiche.reviewer = reviewer
    FicheEvent.objects.create(
        fiche=fiche,
        kind=FicheEvent.Kind.REVIEWER,
        reason=str(reviewer) if reviewer else _("geen reviewer"),
        actor=actor,
    )
    return fiche


# --- fiches -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellData:
    domain: Domain
    direction: str
    group: PopulationGroup | None = None
    size: str = ""
    certainty: str = ""
    horizon: str = ""
    note: str = ""
    evidence: tuple[EvidenceItem, ...] = ()
    confidentiality: str = Confidentiality.PUBLIC


@dataclass(frozen=True)
class FicheContent:
    summary: str = ""
    mitigations: str = ""
    knowledge_gaps: str = ""
    key_evidence: tuple[EvidenceItem, ...] = ()
    cells: tuple[CellData, ...] = field(default_factory=tuple)


def _validate_cells(cells: Sequence[CellData]) -> None:
    seen: set[tuple[int, int | None]] = set()
    for number, cell in enumerate(cells, start=1):
        label = _("Regel %(n)s") % {"n": number}
        if cell.direction not in Direction.values:
            raise ValidationError(_("%(row)s: onbekende richting.") % {"row": label})
        if cell.size and cell.size not in EffectSize.values:
            raise ValidationError(_("%(row)s: onbekende omvang.") % {"row": label})
        if cell.certainty and cell.certainty not in Certainty.values:
            raise ValidationError(_("%(row)s: onbekend GRADE-niveau.") % {"row": label})
        if cell.horizon and cell.horizon not in Horizon.values:
            raise ValidationError(_("%(row)s: onbekende termijn.") % {"row": label})
        if cell.direction in (Direction.NONE, Direction.UNKNOWN) and cell.size:
            raise ValidationError(
                _("%(row)s: ‘geen effect’ of ‘onbekend’ heeft geen omvang.") % {"row": label}
            )
        if cell.confidentiality not in Confidentiality.values:
            raise ValidationError(_("%(row)s: onbekend vertrouwelijkheidsniveau.") % {"row": label})
        key = (cell.domain.pk, cell.group.pk if cell.group else None)
        if key in seen:
            raise ValidationError(
                _("%(row)s: %(domain)s × %(group)s staat er al in.")
                % {
                    "row": label,
                    "domain": cell.domain.name,
                    "group": cell.group.name if cell.group else _("hele bevolking"),
                }
            )
        seen.add(key)
        public_cell = cell.confidentiality == Confidentiality.PUBLIC
        hidden = [e for e in cell.evidence if e.confidentiality != Confidentiality.PUBLIC]
        if public_cell and hidden:
            raise ValidationError(
                _(
                    "%(row)s: een openbare regel kan niet rusten op niet-openbare items "
                    "(%(refs)s); maak de regel intern."
                )
                % {"row": label, "refs": ", ".join(e.ref for e in hidden)}
            )


@transaction.atomic
def fiche_create(
    *,
    measure: Measure,
    reviewer: User | None,
    user: User | None,
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
    content: FicheContent | None = None,
    change_note: str = "",
) -> Fiche:
    if Fiche.objects.filter(measure=measure).exists():
        raise ValidationError(_("Deze maatregel heeft al een fiche."))
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Onbekend vertrouwelijkheidsniveau.")})
    fiche = Fiche.objects.create(
        measure=measure,
        reviewer=reviewer,
        confidentiality=confidentiality,
        is_synthetic=is_synthetic,
    )
    fiche_version_create(
        fiche=fiche,
        content=content or FicheContent(),
        user=user,
        change_note=change_note or _("Eerste versie."),
    )
    return fiche


@transaction.atomic
def fiche_version_create(
    *,
    fiche: Fiche,
    content: FicheContent,
    user: User | None,
    change_note: str = "",
    reviewed_on: dt.date | None = None,
) -> FicheVersion:
    """Append a version. With ``reviewed_on`` it records a review and clears the flag."""
    _validate_cells(content.cells)
    fiche = Fiche.objects.select_for_update().get(pk=fiche.pk)
    last = fiche.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = FicheVersion.objects.create(
        fiche=fiche,
        number=last + 1,
        summary=content.summary.strip(),
        mitigations=content.mitigations.strip(),
        knowledge_gaps=content.knowledge_gaps.strip(),
        change_note=change_note[:500],
        reviewed_on=reviewed_on,
        reviewed_by=user if reviewed_on else None,
        created_by=user,
    )
    version.key_evidence.set(list(content.key_evidence))
    for cell_data in content.cells:
        cell = FicheCell.objects.create(
            version=version,
            domain=cell_data.domain,
            group=cell_data.group,
            direction=cell_data.direction,
            size=cell_data.size,
            certainty=cell_data.certainty,
            horizon=cell_data.horizon,
            note=cell_data.note,
            confidentiality=cell_data.confidentiality,
        )
        cell.evidence.set(list(cell_data.evidence))
    if reviewed_on is not None:
        Fiche.objects.filter(pk=fiche.pk).update(needs_review=False)
        FicheEvent.objects.create(
            fiche=fiche,
            kind=FicheEvent.Kind.REVIEWED,
            reason=change_note[:500],
            version=version,
            actor=user,
        )
    return version


def fiche_content_of(version: FicheVersion) -> FicheContent:
    """The full content of a version (all cells, regardless of the reader), to build upon."""
    return FicheContent(
        summary=version.summary,
        mitigations=version.mitigations,
        knowledge_gaps=version.knowledge_gaps,
        key_evidence=tuple(version.key_evidence.all()),
        cells=tuple(
            CellData(
                domain=cell.domain,
                group=cell.group,
                direction=cell.direction,
                size=cell.size,
                certainty=cell.certainty,
                horizon=cell.horizon,
                note=cell.note,
                evidence=tuple(cell.evidence.all()),
                confidentiality=cell.confidentiality,
            )
            for cell in version.cells.select_related("domain", "group")
        ),
    )


@transaction.atomic
def fiche_mark_reviewed(*, fiche: Fiche, user: User, note: str = "") -> FicheVersion:
    """A review without content changes: a new version with the same content, reviewed today."""
    current = fiche.versions.order_by("-number").first()
    content = fiche_content_of(current) if current else FicheContent()
    return fiche_version_create(
        fiche=fiche,
        content=content,
        user=user,
        change_note=note or _("Gereviewd; inhoud ongewijzigd."),
        reviewed_on=timezone.localdate(),
    )


@transaction.atomic
def fiche_settings_update(
    *, fiche: Fiche, reviewer: User | None, confidentiality: str, actor: User | None
) -> Fiche:
    """Change who reviews the fiche and how widely it may be shown (logged in the audit trail)."""
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Onbekend vertrouwelijkheidsniveau.")})
    if fiche.confidentiality != confidentiality:
        fiche.confidentiality = confidentiality
        fiche.save(update_fields=["confidentiality"])
    if fiche.reviewer_id != (reviewer.pk if reviewer else None):
        fiche_reviewer_set(fiche=fiche, reviewer=reviewer, actor=actor)
    return fiche


@transaction.atomic
def fiche_edit(
    *,
    fiche: Fiche,
    reviewer: User | None,
    confidentiality: str,
    content: FicheContent,
    user: User | None,
    change_note: str,
    reviewed_on: dt.date | None = None,
) -> FicheVersion:
    """Settings and a new version together: all of it is saved, or (on an error) nothing."""
    fiche_settings_update(
        fiche=fiche, reviewer=reviewer, confidentiality=confidentiality, actor=user
    )
    return fiche_version_create(
        fiche=fiche,
        content=content,
        user=user,
        change_note=change_note,
        reviewed_on=reviewed_on,
    )


# --- dossiers ---------------------------------------------------------------------------------


def citations_check(*, synthesis: str, allowed_refs: Iterable[str]) -> list[str]:
    """Refs cited in ``synthesis``; raises if a paragraph cites nothing or cites an unknown ref."""
    allowed = set(allowed_refs)
    cited: list[str] = []
    problems: list[str] = []
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", synthesis) if p.strip()]
    if not paragraphs:
        raise ValidationError({"synthesis": _("Schrijf een synthese.")})
    for number, paragraph in enumerate(paragraphs, start=1):
        refs = CITATION.findall(paragraph)
        if not refs:
            problems.append(
                _("Alinea %(n)s citeert geen item (gebruik [@sleutel]): “%(start)s…”")
                % {"n": number, "start": paragraph[:60]}
            )
        for ref in refs:
            if ref not in allowed:
                problems.append(
                    _("Alinea %(n)s citeert [@%(ref)s], dat niet in het dossier staat.")
                    % {"n": number, "ref": ref}
                )
            elif ref not in cited:
                cited.append(ref)
    if problems:
        raise ValidationError({"synthesis": problems})
    return cited


@transaction.atomic
def dossier_create(
    *,
    key: str,
    title_nl: str,
    title_en: str = "",
    measures: Sequence[Measure] = (),
    reviewer: User | None = None,
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
) -> KnowledgeDossier:
    dossier = KnowledgeDossier(
        key=slugify(key)[:100],
        title_nl=title_nl.strip(),
        title_en=title_en.strip(),
        reviewer=reviewer,
        confidentiality=confidentiality,
        is_synthetic=is_synthetic,
    )
    dossier.full_clean()
    dossier.save()
    dossier.measures.set(list(measures))
    return dossier


@transaction.atomic
def dossier_update(
    *,
    dossier: KnowledgeDossier,
    title_nl: str,
    title_en: str,
    measures: Sequence[Measure],
    reviewer: User | None,
    confidentiality: str,
) -> KnowledgeDossier:
    dossier.title_nl = title_nl.strip()
    dossier.title_en = title_en.strip()
    dossier.reviewer = reviewer
    dossier.confidentiality = confidentiality
    dossier.full_clean()
    dossier.save()
    dossier.measures.set(list(measures))
    return dossier


@transaction.atomic
def dossier_version_create(
    *,
    dossier: KnowledgeDossier,
    synthesis: str,
    items: Sequence[EvidenceItem],
    user: User | None,
    open_questions: str = "",
    change_note: str = "",
    reviewed_on: dt.date | None = None,
) -> DossierVersion:
    """Append a version; every paragraph of the synthesis must cite an item of the dossier."""
    citations_check(synthesis=synthesis, allowed_refs=[item.ref for item in items])
    dossier = KnowledgeDossier.objects.select_for_update().get(pk=dossier.pk)
    last = dossier.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DossierVersion.objects.create(
        dossier=dossier,
        number=last + 1,
        synthesis=synthesis.strip(),
        open_questions=open_questions.strip(),
        change_note=change_note[:500],
        reviewed_on=reviewed_on,
        created_by=user,
    )
    version.items.set(list(items))
    return version


@transaction.atomic
def dossier_save(
    *,
    dossier: KnowledgeDossier | None,
    key: str,
    title_nl: str,
    title_en: str,
    measures: Sequence[Measure],
    reviewer: User | None,
    confidentiality: str,
    synthesis: str,
    open_questions: str,
    items: Sequence[EvidenceItem],
    change_note: str,
    user: User | None,
    is_synthetic: bool = False,
) -> KnowledgeDossier:
    """Create or update a dossier and append a version of its content, all or nothing."""
    if dossier is None:
        if KnowledgeDossier.objects.filter(key=slugify(key)).exists():
            raise ValidationError({"key": _("Er is al een dossier met deze sleutel.")})
        dossier = dossier_create(
            key=key,
            title_nl=title_nl,
            title_en=title_en,
            measures=measures,
            reviewer=reviewer,
            confidentiality=confidentiality,
            is_synthetic=is_synthetic,
        )
    else:
        dossier = dossier_update(
            dossier=dossier,
            title_nl=title_nl,
            title_en=title_en,
            measures=measures,
            reviewer=reviewer,
            confidentiality=confidentiality,
        )
    dossier_version_create(
        dossier=dossier,
        synthesis=synthesis,
        items=items,
        user=user,
        open_questions=open_questions,
        change_note=change_note,
    )
    return dossier


# --- import, duplicates and merge -------------------------------------------------------------


def _reference_to_data(ref: formats.ParsedReference, *, confidentiality: str) -> EvidenceData:
    knowledge_class = ref.knowledge_class or (
        KnowledgeClass.ADMINISTRATIVE if ref.item_type == "dataset" else KnowledgeClass.SCIENTIFIC
    )
    if ref.item_type in ("practice_signal",) and not ref.knowledge_class:
        knowledge_class = KnowledgeClass.PRACTICE
    if ref.item_type in ("citizen_panel",) and not ref.knowledge_class:
        knowledge_class = KnowledgeClass.EXPERIENTIAL
    return EvidenceData(
        item_type=ref.item_type,
        title=ref.title[:500],
        knowledge_class=knowledge_class,
        authors=tuple(ref.authors),
        organisation=ref.organisation[:300],
        published_on=ref.published_on,
        date_precision=ref.date_precision,
        doi=ref.doi[:200],
        url=ref.url[:1000],
        language=ref.language[:10],
        container_title=ref.container_title[:300],
        publisher=ref.publisher[:300],
        keywords=tuple(ref.keywords),
        summary=ref.summary,
        licence=ref.licence[:200],
        certainty=ref.certainty,
        on_behalf_of=ref.on_behalf_of[:300],
        interests_status=(
            InterestsStatus.DECLARED if ref.declared_interests.strip() else InterestsStatus.UNKNOWN
        ),
        declared_interests=ref.declared_interests,
        confidentiality=confidentiality,
    )


MERGE_FIELDS = (
    "organisation",
    "published_on",
    "doi",
    "url",
    "language",
    "container_title",
    "publisher",
    "summary",
    "full_text",
    "licence",
)


def _fill_empty(current: EvidenceData, incoming: EvidenceData) -> tuple[EvidenceData, list[str]]:
    """``current`` with its empty merge fields taken from ``incoming``; the names filled."""
    values: dict[str, Any] = {}
    for name in (*MERGE_FIELDS, "authors", "keywords"):
        value = getattr(incoming, name)
        if value and not getattr(current, name):
            values[name] = value
            if name == "published_on":
                values["date_precision"] = incoming.date_precision
    return replace(current, **values), [n for n in values if n != "date_precision"]


def _reject(report: dict[str, Any], line: int, exc: ValidationError) -> None:
    """Add a record's validation errors to the import report, one row per field."""
    for field_name, messages in exc.message_dict.items():
        report["rejected"].append(
            {"line": line, "field": field_name, "message": "; ".join(messages)}
        )


@dataclass
class TitleIndex:
    """Titles of existing items for near-duplicate detection with rapidfuzz."""

    ids: list[int]
    titles: list[str]

    @classmethod
    def build(cls) -> TitleIndex:
        rows = list(
            EvidenceItem.objects.filter(merged_into__isnull=True).values_list("pk", "title")
        )
        return cls([pk for pk, _t in rows], [utils.default_process(t) for _pk, t in rows])

    def add(self, pk: int, title: str) -> None:
        self.ids.append(pk)
        self.titles.append(utils.default_process(title))

    def best(self, title: str) -> tuple[int, float] | None:
        found = process.extractOne(
            utils.default_process(title),
            self.titles,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=TITLE_DUPLICATE_THRESHOLD,
        )
        if found is None:
            return None
        _choice, score, index = found
        return self.ids[index], float(score)


def evidence_import(
    *,
    data: bytes,
    file_name: str,
    file_format: str | None,
    user: User | None,
    confidentiality: str = Confidentiality.INTERNAL,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportBatch:
    """Import one reference file: all of it or (on a FormatError or any failure) nothing.

    Same DOI as an existing item → merged (empty fields filled in). Near-identical title →
    added and listed as a possible duplicate for the merge screen. Records without a title, with
    a date that is not a date or with unknown codes → rejected with line and reason in the
    report (records without any date are accepted; an invalid DOI is left out).
    """
    parsed = formats.parse(data=data, file_name=file_name, file_format=file_format)
    return _import_store(
        parsed=parsed, user=user, confidentiality=confidentiality, progress=progress
    )


@transaction.atomic
def _import_store(
    *,
    parsed: formats.ParseResult,
    user: User | None,
    confidentiality: str,
    progress: Callable[[int, int, str], None] | None,
) -> ImportBatch:
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Onbekend vertrouwelijkheidsniveau.")})
    batch = ImportBatch.objects.create(
        file_name=parsed.file_name[:255], file_format=parsed.file_format, created_by=user
    )
    report: dict[str, Any] = {
        "file": parsed.file_name,
        "format": parsed.file_format,
        "added": [],
        "merged": [],
        "possible_duplicates": [],
        "rejected": [
            {"line": r.line, "field": r.field, "message": r.message} for r in parsed.rejected
        ],
    }
    titles = TitleIndex.build()
    total = len(parsed.references)
    submitted_name = str(user) if user else _("import via de opdrachtregel")
    for number, ref in enumerate(parsed.references, start=1):
        if progress and (number % 25 == 0 or number == total):
            progress(
                number, total, _("%(n)s van %(total)s verwerkt") % {"n": number, "total": total}
            )
        item_data = _reference_to_data(ref, confidentiality=confidentiality)
        try:
            _validate_evidence_data(item_data)
        except ValidationError as exc:
            _reject(report, ref.line, exc)
            continue
        existing = (
            EvidenceItem.objects.filter(doi=item_data.doi, merged_into__isnull=True).first()
            if item_data.doi
            else None
        )
        if existing is not None:
            merged, filled = _fill_empty(evidence_data_from_item(existing), item_data)
            if filled:
                try:  # through the service: validated and re-indexed like any edit
                    evidence_update(item=existing, data=merged)
                except ValidationError as exc:  # e.g. a URL the model refuses: item unchanged
                    _reject(report, ref.line, exc)
                    continue
            report["merged"].append(
                {"line": ref.line, "title": ref.title[:200], "into": existing.ref, "fields": filled}
            )
            continue
        try:
            item = evidence_create(
                data=item_data,
                submitted_by=user,
                submitted_by_name=submitted_name if user is None else "",
                ref=ref.ref_key,
                import_batch=batch,
            )
        except ValidationError as exc:  # e.g. a URL the model refuses: reject this record only
            _reject(report, ref.line, exc)
            continue
        near = titles.best(item.title)
        if near is not None:
            other_pk, score = near
            DuplicateCandidate.objects.create(
                item=item, other_id=other_pk, score=score, reason="title", batch=batch
            )
            other_ref = (
                EvidenceItem.objects.filter(pk=other_pk).values_list("ref", flat=True).first()
            )
            report["possible_duplicates"].append(
                {"line": ref.line, "ref": item.ref, "other": other_ref, "score": round(score, 1)}
            )
        titles.add(item.pk, item.title)
        report["added"].append({"line": ref.line, "ref": item.ref})
    report["counts"] = {
        key: len(report[key]) for key in ("added", "merged", "possible_duplicates", "rejected")
    }
    batch.report = report
    batch.save(update_fields=["report"])
    return batch


@transaction.atomic
def evidence_merge(
    *, keep: EvidenceItem, remove: EvidenceItem, take_fields: Sequence[str], user: User | None
) -> EvidenceItem:
    """Merge ``remove`` into ``keep``: chosen fields copied, links moved, ``remove`` retired."""
    if keep.pk == remove.pk:
        raise ValidationError(_("Een item kan niet met zichzelf worden samengevoegd."))
    if keep.merged_into_id or remove.merged_into_id:
        raise ValidationError(_("Een van de items is al samengevoegd."))
    allowed = {*MERGE_FIELDS, "title", "authors", "keywords", "certainty", "knowledge_class"}
    unknown = [name for name in take_fields if name not in allowed]
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(unknown)})
    for name in take_fields:
        setattr(keep, name, getattr(remove, name))
    # The stricter confidentiality wins, so merging never publishes something confidential.
    order = [Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.CONFIDENTIAL]
    keep.confidentiality = max(keep.confidentiality, remove.confidentiality, key=order.index)
    keep.full_clean(exclude=["ref"])
    keep.save()
    EvidenceLink.objects.filter(item=remove).update(item=keep)
    remove.merged_into = keep
    remove.save(update_fields=["merged_into", "updated_at"])
    MergeRecord.objects.create(
        kept=keep, merged=remove, fields_taken=list(take_fields), merged_by=user
    )
    DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).filter(
        item__in=[keep, remove], other__in=[keep, remove]
    ).update(status=DuplicateStatus.MERGED, resolved_by=user, resolved_at=timezone.now())
    search.search_index_update(item_ids=[keep.pk, remove.pk])
    return keep


@transaction.atomic
def duplicate_dismiss(*, candidate: DuplicateCandidate, user: User | None) -> DuplicateCandidate:
    candidate.status = DuplicateStatus.DISMISSED
    candidate.resolved_by = user
    candidate.resolved_at = timezone.now()
    candidate.save(update_fields=["status", "resolved_by", "resolved_at"])
    return candidate


def evidence_data_from_item(item: EvidenceItem) -> EvidenceData:
    return EvidenceData(
        **{
            f.name: (
                tuple(getattr(item, f.name))
                if isinstance(getattr(item, f.name), list)
                else getattr(item, f.name)
            )
            for f in fields(EvidenceData)
        }
    )
