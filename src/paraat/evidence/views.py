"""Pages of the knowledge library. Views parse input, call selectors/services and render."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paraat.evidence import selectors, services
from paraat.evidence.exports import EXPORT_FORMATS, export_items
from paraat.evidence.forms import (
    CellFormSet,
    DossierForm,
    EvidenceForm,
    FicheForm,
    ImportForm,
    LinkForm,
    MergeForm,
    parse_refs,
)
from paraat.evidence.imports import evidence_import_start
from paraat.evidence.models import (
    Certainty,
    Direction,
    DuplicateCandidate,
    DuplicateStatus,
    EvidenceLink,
    EvidenceType,
    GradeDowngrade,
    GradeUpgrade,
    KnowledgeClass,
)
from paraat.evidence.search import RANK_CAP
from paraat.measures.selectors import measure_get, measure_list, package_list
from paraat.web.viewhelpers import add_errors, object_history

PAGE_SIZE = 20


def _int(
    value: str | None, default: int | None = None, *, low: int = 1, high: int = 10_000
) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if low <= number <= high else default


def _slug(value: str) -> str:
    """Keys are slugs; anything else (NUL bytes, markup) is ignored rather than queried."""
    return value if re.fullmatch(r"[-\w]{1,100}", value or "") else ""


def search_filters_from(params: Any) -> selectors.SearchFilters:
    """Parse the facet filters of a search page or API call; unknown values are ignored."""

    def allowed(name: str, values: list[str]) -> list[str]:
        return [v for v in params.getlist(name) if v in values][:20]

    return selectors.SearchFilters(
        item_types=allowed("type", EvidenceType.values),
        knowledge_classes=allowed("class", KnowledgeClass.values),
        certainties=allowed("certainty", [*Certainty.values, selectors.UNGRADED]),
        measure=_slug(params.get("measure", ""))[:100],
        domain=_slug(params.get("domain", ""))[:80],
        group=_slug(params.get("group", ""))[:80],
        year_from=_int(params.get("from"), None, low=1800, high=2200),
        year_to=_int(params.get("to"), None, low=1800, high=2200),
        synthetic=params.get("synthetic", "")
        if params.get("synthetic") in ("real", "synthetic")
        else "",
    )


# --- search and items -------------------------------------------------------------------------


@login_not_required
def evidence_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:300]
    filters = search_filters_from(request.GET)
    page = _int(request.GET.get("page"), 1) or 1
    order = "date" if request.GET.get("order") == "date" else ""
    result = selectors.evidence_search(
        user=request.user, query=query, filters=filters, page=page, page_size=PAGE_SIZE, order=order
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "evidence/evidence_list.html",
        {
            "result": result,
            "query": query,
            "filters": filters,
            "order": order,
            "querystring": params.urlencode(),
            "start": (result.page - 1) * result.page_size + 1,
            "rank_cap": RANK_CAP,
            "export_formats": EXPORT_FORMATS,
            "can_add": request.user.has_perm("evidence.add_evidenceitem"),
            "can_import": request.user.has_perm("evidence.import_evidence"),
            "selected": {
                "type": filters.item_types,
                "class": filters.knowledge_classes,
                "certainty": filters.certainties,
                "measure": [filters.measure],
                "domain": [filters.domain],
                "group": [filters.group],
                "year": [str(filters.year_from)]
                if filters.year_from and filters.year_from == filters.year_to
                else [],
            },
        },
    )


def export_response(request: HttpRequest, params: Any, file_format: str) -> HttpResponse:
    """A search result (query and facet filters in ``params``) as a file of ``file_format``.

    Shared by the web page and the API; only items the user may see are in it.
    """
    spec = EXPORT_FORMATS[file_format]
    items = selectors.evidence_for_export(
        user=request.user,
        query=params.get("q", "")[:300],
        filters=search_filters_from(params),
    )
    response = HttpResponse(export_items(items, file_format), content_type=spec.content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = content_disposition_header(
        True, f"paraat-kennisbibliotheek-{stamp}.{spec.extension}"
    )
    return response


@login_not_required
def evidence_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in EXPORT_FORMATS:
        raise Http404
    return export_response(request, request.GET, file_format)


@login_not_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.evidence_get(user=request.user, pk=pk)
    if item is None:
        raise Http404
    if item.merged_into_id:
        target = selectors.evidence_get(user=request.user, pk=item.merged_into_id)
        if target is not None:
            messages.info(request, _("Dit item is samengevoegd; u ziet het item dat bleef."))
            return redirect("evidence:detail", pk=target.pk)
    can_link = request.user.has_perm("evidence.add_evidencelink")
    link_form = (
        LinkForm(
            measures=measure_list(user=request.user),
            packages=package_list(user=request.user),
        )
        if can_link
        else None
    )
    return render(
        request,
        "evidence/evidence_detail.html",
        {
            "item": item,
            "links": selectors.evidence_links(item=item, user=request.user),
            "provenance": selectors.evidence_provenance(item),
            "interests": selectors.evidence_interests(item),
            "cited_in": selectors.evidence_cited_in(item=item, user=request.user),
            "downgrades": [
                GradeDowngrade(r).label
                for r in item.certainty_downgrades
                if r in GradeDowngrade.values
            ],
            "upgrades": [
                GradeUpgrade(r).label for r in item.certainty_upgrades if r in GradeUpgrade.values
            ],
            "link_form": link_form,
            "can_edit": request.user.has_perm("evidence.change_evidenceitem"),
            "can_unlink": request.user.has_perm("evidence.delete_evidencelink"),
            "history": object_history(request, item),
        },
    )


@login_not_required
def evidence_by_ref(request: HttpRequest, ref: str) -> HttpResponse:
    item = selectors.evidence_get_by_ref(user=request.user, ref=ref)
    if item is None:
        raise Http404
    return redirect("evidence:detail", pk=item.pk)


def _evidence_form_view(request: HttpRequest, pk: int | None) -> HttpResponse:
    item = selectors.evidence_get(user=request.user, pk=pk) if pk else None
    if pk and item is None:
        raise Http404
    initial = EvidenceForm.initial_from(item) if item else None
    form = EvidenceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("attachment")
        try:
            content = upload.read() if upload else None
            if content is not None:
                services.pdf_extract_text(content=content, file_name=upload.name or "bijlage.pdf")
            if item is None:
                item = services.evidence_create(data=form.to_data(), submitted_by=request.user)  # type: ignore[arg-type]
                messages.success(request, _("Het item is toegevoegd."))
            else:
                item = services.evidence_update(item=item, data=form.to_data())
                messages.success(request, _("Het item is opgeslagen."))
            if content is not None:
                services.evidence_attach_pdf(
                    item=item, content=content, file_name=upload.name or ""
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("evidence:detail", pk=item.pk)
    return render(request, "evidence/evidence_form.html", {"form": form, "item": item})


@permission_required("evidence.add_evidenceitem", raise_exception=True)
def evidence_create(request: HttpRequest) -> HttpResponse:
    return _evidence_form_view(request, None)


@permission_required("evidence.change_evidenceitem", raise_exception=True)
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _evidence_form_view(request, pk)


@login_not_required
def evidence_attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.evidence_get(user=request.user, pk=pk)
    if item is None or not item.attachment:
        raise Http404
    try:
        handle = item.attachment.open("rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=f"{item.ref}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@permission_required("evidence.add_evidencelink", raise_exception=True)
def evidence_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.evidence_get(user=request.user, pk=pk)
    if item is None:
        raise Http404
    form = LinkForm(
        request.POST,
        measures=measure_list(user=request.user),
        packages=package_list(user=request.user),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_link_create(
                item=item,
                data=services.LinkData(
                    measure=data["measure"],
                    package=data["package"],
                    domain=data["domain"],
                    group=data["group"],
                    direction=data["direction"],
                    size=data["size"],
                    horizon=data["horizon"],
                    note=data["note"],
                ),
                user=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De koppeling is toegevoegd."))
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors))
    return redirect("evidence:detail", pk=item.pk)


@require_POST
@permission_required("evidence.delete_evidencelink", raise_exception=True)
def evidence_link_delete(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    item = selectors.evidence_get(user=request.user, pk=pk)
    link = EvidenceLink.objects.filter(pk=link_id, item_id=pk).first()
    if item is None or link is None:
        raise Http404
    services.evidence_link_delete(link=link)
    messages.success(request, _("De koppeling is verwijderd."))
    return redirect("evidence:detail", pk=item.pk)


# --- import, duplicates, merge ----------------------------------------------------------------


@permission_required("evidence.import_evidence", raise_exception=True)
def evidence_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = evidence_import_start(
            upload=form.cleaned_data["file"],
            file_format=form.cleaned_data["file_format"] or None,
            confidentiality=form.cleaned_data["confidentiality"],
            user=request.user,  # type: ignore[arg-type]
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "evidence/import.html",
        {"form": form, "batches": selectors.import_batch_list()},
    )


@permission_required("evidence.import_evidence", raise_exception=True)
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_batch_get(pk=pk)
    if batch is None:
        raise Http404
    return render(request, "evidence/import_report.html", {"batch": batch, "report": batch.report})


@permission_required("evidence.import_evidence", raise_exception=True)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evidence/duplicate_list.html",
        {"candidates": selectors.duplicate_candidates_open(user=request.user)},
    )


@permission_required("evidence.import_evidence", raise_exception=True)
def duplicate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = DuplicateCandidate.objects.filter(pk=pk, status=DuplicateStatus.OPEN).first()
    if candidate is None:
        raise Http404
    item = selectors.evidence_get(user=request.user, pk=candidate.item_id)
    other = selectors.evidence_get(user=request.user, pk=candidate.other_id)
    if item is None or other is None:
        raise Http404
    form = MergeForm(request.POST or None, item=item, other=other, initial={"keep": str(other.pk)})
    if request.method == "POST":
        if "dismiss" in request.POST:
            services.duplicate_dismiss(candidate=candidate, user=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Gemarkeerd als geen dubbel."))
            return redirect("evidence:duplicates")
        if form.is_valid():
            keep, remove = (
                (item, other) if form.cleaned_data["keep"] == str(item.pk) else (other, item)
            )
            try:
                services.evidence_merge(
                    keep=keep,
                    remove=remove,
                    take_fields=form.cleaned_data["take_fields"],
                    user=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("De items zijn samengevoegd."))
                return redirect("evidence:detail", pk=keep.pk)
    rows = [
        (label, getattr(item, name), getattr(other, name))
        for name, label in form.fields["take_fields"].choices  # type: ignore[attr-defined]
    ]
    return render(
        request,
        "evidence/duplicate_merge.html",
        {"candidate": candidate, "item": item, "other": other, "form": form, "rows": rows},
    )


# --- fiches -----------------------------------------------------------------------------------


@login_not_required
def fiche_list(request: HttpRequest) -> HttpResponse:
    fiches = selectors.fiche_list(user=request.user)
    mine = []
    if request.user.is_authenticated:
        mine = [f for f in fiches if f.needs_review and f.reviewer_id == request.user.pk]
    return render(
        request,
        "evidence/fiche_list.html",
        {
            "fiches": fiches,
            "mine": mine,
            "can_create": request.user.has_perm("evidence.add_fiche"),
            "measures_without": selectors.measures_without_fiche(user=request.user)
            if request.user.has_perm("evidence.add_fiche")
            else [],
        },
    )


def _fiche_or_404(request: HttpRequest, key: str) -> Any:
    fiche = selectors.fiche_for_measure(user=request.user, measure_key=key)
    if fiche is None:
        raise Http404
    return fiche


def _version_or_404(fiche: Any, raw: str | None) -> Any:
    number = _int(raw, None, low=1, high=1_000_000) if raw else None
    if raw and number is None:
        raise Http404
    version = selectors.fiche_version(fiche=fiche, number=number)
    if version is None:
        raise Http404
    return version


@login_not_required
def fiche_detail(request: HttpRequest, key: str) -> HttpResponse:
    fiche = _fiche_or_404(request, key)
    version = _version_or_404(fiche, request.GET.get("versie"))
    latest = selectors.fiche_version(fiche=fiche)
    document = selectors.fiche_document(fiche=fiche, version=version, user=request.user)
    user = request.user
    can_review = user.is_authenticated and (
        user.has_perm("evidence.review_fiche") or fiche.reviewer_id == user.pk
    )
    return render(
        request,
        "evidence/fiche_detail.html",
        {
            "fiche": fiche,
            "version": version,
            "is_latest": latest is not None and latest.pk == version.pk,
            "doc": document,
            "matrix": selectors.fiche_matrix(document),
            "unused": selectors.fiche_unused_evidence(fiche=fiche, version=version, user=user)
            if user.is_authenticated
            else [],
            "events": selectors.fiche_events(fiche=fiche) if user.is_authenticated else [],
            "versions": selectors.fiche_versions(fiche=fiche),
            "can_edit": selectors.can_edit_fiche(user=user, fiche=fiche),
            "can_review": can_review,
            "directions": Direction.choices,
        },
    )


@login_not_required
def fiche_download(request: HttpRequest, key: str, file_format: str) -> HttpResponse:
    from paraat.evidence import documents

    fiche = _fiche_or_404(request, key)
    version = _version_or_404(fiche, request.GET.get("versie"))
    document = selectors.fiche_document(fiche=fiche, version=version, user=request.user)
    suffix = "openbaar" if document["audience"] == "public" else "intern"
    name = f"fiche-{fiche.measure.key}-v{version.number}-{suffix}"
    if file_format == "pdf":
        content, content_type = documents.fiche_pdf(document), "application/pdf"
    elif file_format == "docx":
        content = documents.fiche_docx(document)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
    return response


@login_not_required
def fiche_diff(request: HttpRequest, key: str) -> HttpResponse:
    from paraat.evidence import documents

    fiche = _fiche_or_404(request, key)
    new = _version_or_404(fiche, request.GET.get("naar"))
    old_number = _int(request.GET.get("van"), None, low=1, high=1_000_000)
    if old_number is None:
        old_number = new.number - 1
    old = selectors.fiche_version(fiche=fiche, number=old_number) if old_number >= 1 else None
    new_doc = selectors.fiche_document(fiche=fiche, version=new, user=request.user)
    old_doc = selectors.fiche_document(fiche=fiche, version=old, user=request.user) if old else None
    return render(
        request,
        "evidence/fiche_diff.html",
        {
            "fiche": fiche,
            "old": old,
            "new": new,
            "changes": documents.fiche_diff(old_doc, new_doc),
            "versions": selectors.fiche_versions(fiche=fiche),
        },
    )


def _fiche_content(
    user: Any, data: dict[str, Any], cells: list[dict[str, Any]]
) -> services.FicheContent:
    """Turn the fiche form's input into content; citation keys must name visible items."""
    return services.FicheContent(
        summary=data["summary"],
        mitigations=data["mitigations"],
        knowledge_gaps=data["knowledge_gaps"],
        key_evidence=tuple(
            selectors.evidence_by_refs(user=user, refs=parse_refs(data["key_evidence"]))
        ),
        cells=tuple(
            services.CellData(
                domain=cell["domain"],
                group=cell["group"],
                direction=cell["direction"],
                size=cell["size"],
                certainty=cell["certainty"],
                horizon=cell["horizon"],
                note=cell["note"],
                evidence=tuple(
                    selectors.evidence_by_refs(user=user, refs=parse_refs(cell["evidence"]))
                ),
                confidentiality=cell["confidentiality"],
            )
            for cell in cells
            if cell.get("domain")
        ),
    )


def _fiche_form_view(request: HttpRequest, key: str, *, create: bool) -> HttpResponse:
    user = request.user
    if create:
        measure = measure_get(user=user, key=key)
        if measure is None:
            raise Http404
        if selectors.fiche_for_measure(user=user, measure_key=key) is not None:
            return redirect("evidence:fiche_edit", key=key)
        fiche, version = None, None
        initial: dict[str, Any] = {
            "confidentiality": "internal",
            "change_note": _("Eerste versie."),
        }
        cells_initial: list[dict[str, Any]] = []
    else:
        fiche = _fiche_or_404(request, key)
        measure = fiche.measure
        version = selectors.fiche_version(fiche=fiche)
        if not selectors.can_edit_fiche(user=user, fiche=fiche):
            raise PermissionDenied
        document = selectors.fiche_document(fiche=fiche, version=version, user=user)
        initial = {
            "summary": version.summary,
            "mitigations": version.mitigations,
            "knowledge_gaps": version.knowledge_gaps,
            "key_evidence": ", ".join(
                e["ref"] for e in document["evidence"] if e["number"] in document["key_evidence"]
            ),
            "reviewer": fiche.reviewer_id,
            "confidentiality": fiche.confidentiality,
        }
        cells_initial = selectors.fiche_cells_initial(document)
    form = FicheForm(request.POST or None, initial=initial)
    formset = CellFormSet(request.POST or None, initial=cells_initial, prefix="cells")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            content = _fiche_content(
                user,
                form.cleaned_data,
                [
                    f.cleaned_data
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ],
            )
            reviewed_on = timezone.localdate() if form.cleaned_data["reviewed"] else None
            if fiche is None:
                fiche = services.fiche_create(
                    measure=measure,
                    reviewer=form.cleaned_data["reviewer"],
                    user=user,  # type: ignore[arg-type]
                    confidentiality=form.cleaned_data["confidentiality"],
                    content=content,
                    change_note=form.cleaned_data["change_note"],
                )
            else:
                services.fiche_edit(
                    fiche=fiche,
                    reviewer=form.cleaned_data["reviewer"],
                    confidentiality=form.cleaned_data["confidentiality"],
                    content=content,
                    user=user,  # type: ignore[arg-type]
                    change_note=form.cleaned_data["change_note"],
                    reviewed_on=reviewed_on,
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("De fiche is opgeslagen als nieuwe versie."))
            return redirect("evidence:fiche_detail", key=measure.key)
    return render(
        request,
        "evidence/fiche_form.html",
        {"form": form, "formset": formset, "fiche": fiche, "measure": measure, "version": version},
    )


@permission_required("evidence.add_fiche", raise_exception=True)
def fiche_create(request: HttpRequest, key: str) -> HttpResponse:
    return _fiche_form_view(request, key, create=True)


@permission_required("evidence.change_fiche", raise_exception=True)
def fiche_edit(request: HttpRequest, key: str) -> HttpResponse:
    return _fiche_form_view(request, key, create=False)


@require_POST
def fiche_review(request: HttpRequest, key: str) -> HttpResponse:
    fiche = _fiche_or_404(request, key)
    user = request.user
    if not user.is_authenticated or not (
        user.has_perm("evidence.review_fiche") or fiche.reviewer_id == user.pk
    ):
        raise PermissionDenied
    services.fiche_mark_reviewed(fiche=fiche, user=user, note=request.POST.get("note", "")[:500])  # type: ignore[arg-type]
    messages.success(request, _("De review is vastgelegd."))
    return redirect("evidence:fiche_detail", key=key)


# --- dossiers ---------------------------------------------------------------------------------


@login_not_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evidence/dossier_list.html",
        {
            "dossiers": selectors.dossier_list(user=request.user),
            "can_create": request.user.has_perm("evidence.add_knowledgedossier"),
        },
    )


@login_not_required
def dossier_detail(request: HttpRequest, key: str) -> HttpResponse:
    dossier = selectors.dossier_get(user=request.user, key=key)
    if dossier is None:
        raise Http404
    number = _int(request.GET.get("versie"), None, low=1, high=1_000_000)
    version = selectors.dossier_version(dossier=dossier, number=number)
    if version is None:
        raise Http404
    return render(
        request,
        "evidence/dossier_detail.html",
        {
            "dossier": dossier,
            "version": version,
            "view": selectors.dossier_view(dossier=dossier, version=version, user=request.user),
            "versions": dossier.versions.order_by("-number"),
            "can_edit": selectors.can_edit_dossier(user=request.user, dossier=dossier),
            "history": object_history(request, dossier),
        },
    )


def _dossier_form_view(request: HttpRequest, key: str | None) -> HttpResponse:
    user = request.user
    dossier = selectors.dossier_get(user=user, key=key) if key else None
    if key and dossier is None:
        raise Http404
    if dossier is not None and not selectors.can_edit_dossier(user=user, dossier=dossier):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if dossier is not None:
        version = selectors.dossier_version(dossier=dossier)
        initial = {
            "key": dossier.key,
            "title_nl": dossier.title_nl,
            "title_en": dossier.title_en,
            "measures": list(dossier.measures.all()),
            "reviewer": dossier.reviewer_id,
            "confidentiality": dossier.confidentiality,
            "items": ", ".join(version.items.values_list("ref", flat=True)) if version else "",
            "synthesis": version.synthesis if version else "",
            "open_questions": version.open_questions if version else "",
        }
    form = DossierForm(
        request.POST or None,
        initial=initial,
        measures=measure_list(user=user),
        editing=dossier is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            items = selectors.evidence_by_refs(
                user=user,
                refs=[*parse_refs(data["items"]), *services.CITATION.findall(data["synthesis"])],
            )
            dossier = services.dossier_save(
                dossier=dossier,
                key=data["key"] if dossier is None else dossier.key,
                title_nl=data["title_nl"],
                title_en=data["title_en"],
                measures=list(data["measures"]),
                reviewer=data["reviewer"],
                confidentiality=data["confidentiality"],
                synthesis=data["synthesis"],
                open_questions=data["open_questions"],
                items=items,
                change_note=data["change_note"],
                user=user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Het dossier is opgeslagen als nieuwe versie."))
            return redirect("evidence:dossier_detail", key=dossier.key)
    return render(request, "evidence/dossier_form.html", {"form": form, "dossier": dossier})


@permission_required("evidence.add_knowledgedossier", raise_exception=True)
def dossier_create(request: HttpRequest) -> HttpResponse:
    return _dossier_form_view(request, None)


@permission_required("evidence.change_knowledgedossier", raise_exception=True)
def dossier_edit(request: HttpRequest, key: str) -> HttpResponse:
    return _dossier_form_view(request, key)
