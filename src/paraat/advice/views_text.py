"""Pages of the advice text: the dossier, the editor with comments and tasks, the versions
with their differences, and a version as PDF or DOCX for the committee.

Every page needs the request to be visible (``selectors.advice_get``: 404 otherwise) and
the drafts to be readable (``view_drafts``: 403 otherwise). Writes go through
``advice.services``; their ``ValidationError`` becomes errors on the page (400), a
concurrent edit of the same section a 409 with both texts side by side.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paraat.advice import documents, selectors, services, workflow
from paraat.advice import dossier as dossier_module
from paraat.advice.documents import FORMATS
from paraat.advice.forms_text import AssignmentForm, CommentForm, ReplyForm, TextForm
from paraat.advice.models import AdviceRequest, AdviceRevision, AdviceStatus, Section
from paraat.advice.views_common import advice_or_404, form_action, form_errors, require, user_of
from paraat.evidence.models import Certainty, EvidenceType, InterestsStatus, KnowledgeClass

EVIDENCE_SHOWN = 200
"""The dossier lists this many evidence items; the rest are reached through the library."""


# --- helpers ----------------------------------------------------------------------------------


def _advice(request: HttpRequest, key: str) -> AdviceRequest:
    """The request if the user may see it (else 404) and read its drafts (else 403)."""
    return advice_or_404(request, key, "view_drafts")


def _text_url(key: str, anchor: str = "") -> str:
    return reverse("advice:text", kwargs={"key": key}) + (f"#{anchor}" if anchor else "")


def _status(advice: AdviceRequest) -> str:
    return selectors.status_of(advice)


def _person(user: Any) -> str:
    if user is None:
        return _("onbekend")
    return str(user.get_full_name() or user.get_username())


def _sections(revision: AdviceRevision | None) -> dict[str, str]:
    stored = revision.sections if revision is not None else {}
    return {key: str(stored.get(key, "")) for key in Section.values}


# --- dossier ----------------------------------------------------------------------------------


def _robustness_labels() -> dict[str, str]:
    return {
        "robust": _("robuust"),
        "fairly_robust": _("redelijk robuust"),
        "depends_on_weights": _("hangt af van de weging"),
    }


def _advice_type_labels() -> dict[str, str]:
    return {
        "for": _("positief advies"),
        "conditional_for": _("voorwaardelijk positief advies"),
        "conditional_against": _("voorwaardelijk negatief advies"),
        "against": _("negatief advies"),
        "none": _("geen advies mogelijk"),
        "": _("nog geen advies"),
    }


def _evidence_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    types = dict(EvidenceType.choices)
    classes = dict(KnowledgeClass.choices)
    certainties = dict(Certainty.choices)
    interests = dict(InterestsStatus.choices)
    return [
        {
            **row,
            "type_label": types.get(row["item_type"], row["item_type"]),
            "class_label": classes.get(row["knowledge_class"], row["knowledge_class"]),
            "certainty_label": certainties.get(row["certainty"] or "", "") or _("niet gegradeerd"),
            "interests_label": interests.get(row["interests_status"], row["interests_status"]),
        }
        for row in rows
    ]


def _assessment_view(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    advice_labels = _advice_type_labels()
    return {
        **entry,
        "ladder": [
            {
                **row,
                "rank1_percent": round(row["rank1_share"] * 100)
                if isinstance(row.get("rank1_share"), int | float)
                else None,
            }
            for row in entry.get("ladder", [])
        ],
        "robustness_label": _robustness_labels().get(
            str(entry.get("robustness") or ""), entry.get("robustness") or ""
        ),
        "etd_rows": [
            {"option": option, "advice": advice_labels.get(str(kind or ""), str(kind))}
            for option, kind in (entry.get("etd") or {}).items()
        ],
    }


def dossier_page(request: HttpRequest, key: str) -> HttpResponse:
    advice = _advice(request, key)
    dossier = dossier_module.dossier_build(request=advice, user=request.user)
    if dossier.omt is not None:
        services.omt_read_log(
            briefing=selectors.omt_briefing(request=advice), user=user_of(request)
        )
    total = len(dossier.evidence)
    type_labels = dict(EvidenceType.choices)
    counts = Counter(row["item_type"] for row in dossier.evidence)
    measures = {m["key"]: m["name"] for o in dossier.options for m in o["measures"]}
    severities = {"info": _("ter informatie"), "warning": _("waarschuwing"), "alert": _("alarm")}
    context = {
        "advice": advice,
        "status": _status(advice),
        "status_label": AdviceStatus(_status(advice)).label,
        "dossier": dossier,
        "evidence": _evidence_rows(dossier.evidence[:EVIDENCE_SHOWN]),
        "evidence_total": total,
        "evidence_shown": min(total, EVIDENCE_SHOWN),
        "evidence_capped": total >= dossier_module.EVIDENCE_LIMIT,
        "evidence_counts": [
            {"type": type_labels.get(kind, kind), "count": n} for kind, n in counts.most_common()
        ],
        "library_links": [
            {"name": name, "url": reverse("evidence:list") + "?measure=" + mkey}
            for mkey, name in sorted(measures.items(), key=lambda kv: str(kv[1]))
        ],
        "assessment": _assessment_view(dossier.assessment),
        "signals": [
            {**s, "severity_label": severities.get(s["severity"], s["severity"])}
            for s in dossier.signals
        ],
    }
    return render(request, "advice/dossier.html", context)


# --- the editor -------------------------------------------------------------------------------


def _thread_forms(
    advice: AdviceRequest, threads: list[dict[str, Any]], bound: ReplyForm | None
) -> None:
    bound_pk = bound.thread_pk() if bound is not None else None
    for thread in threads:
        pk = thread["comment"].pk
        thread["reply_form"] = (
            bound
            if bound is not None and bound_pk == pk
            else ReplyForm(advice=advice, auto_id=f"reply-{pk}-%s", initial={"thread": pk})
        )


def _text_page(
    request: HttpRequest,
    advice: AdviceRequest,
    *,
    form: TextForm | None = None,
    conflict: dict[str, Any] | None = None,
    comment_form: CommentForm | None = None,
    reply_form: ReplyForm | None = None,
    assignment_form: AssignmentForm | None = None,
    skeleton_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    latest = selectors.revision_latest(request=advice)
    current = _status(advice)
    frozen = current in workflow.TEXT_FROZEN
    can_edit = selectors.may(user=user, action="edit_text") and not frozen
    can_comment = selectors.may(user=user, action="comment")
    can_manage = selectors.may(user=user, action="manage")
    if form is None and can_edit:
        form = TextForm(
            initial={**_sections(latest), "base_number": latest.number if latest else None}
        )
    threads = selectors.comment_threads(request=advice)
    orphan_errors: list[str] = []
    if can_comment:
        _thread_forms(advice, threads, reply_form)
    if reply_form is not None and reply_form.thread_pk() not in {t["comment"].pk for t in threads}:
        orphan_errors = [e for errors in reply_form.errors.values() for e in errors]
    per_section = [
        {
            "key": key,
            "label": label,
            "threads": [t for t in threads if t["comment"].section == key],
        }
        for key, label in Section.choices
    ]
    now = timezone.now()
    assignments = [
        {
            "assignment": a,
            "overdue": a.done_at is None and a.due is not None and a.due < now,
            "can_done": a.done_at is None and (can_manage or a.assignee_id == user.pk),
            "section_label": Section(a.section).label if a.section else "",
        }
        for a in selectors.assignments(request=advice)
    ]
    context = {
        "advice": advice,
        "status": current,
        "status_label": AdviceStatus(current).label,
        "latest": latest,
        "latest_sections": [
            {"key": key, "label": label, "text": _sections(latest)[key]}
            for key, label in Section.choices
        ],
        "frozen": frozen,
        "can_edit": can_edit,
        "form": form if can_edit or (form is not None and form.is_bound) else None,
        "conflict": conflict,
        "can_comment": can_comment and latest is not None,
        "comment_form": comment_form or CommentForm(advice=advice),
        "threads": per_section,
        "thread_count": len(threads),
        "open_thread_count": sum(1 for t in threads if not t["resolved"]),
        "can_manage": can_manage,
        "assignments": assignments,
        "assignment_form": assignment_form or (AssignmentForm() if can_manage else None),
        "skeleton_errors": skeleton_errors or [],
        "comment_errors": orphan_errors,
    }
    return render(request, "advice/text.html", context, status=status)


def _conflict_response(
    request: HttpRequest, advice: AdviceRequest, form: TextForm, exc: services.RevisionConflict
) -> HttpResponse:
    latest = exc.latest
    labels = dict(Section.choices)
    prefill = dict(exc.merged)
    rows = []
    for key, texts in exc.conflicts.items():
        prefill[key] = texts["mine"]
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "theirs": texts["theirs"],
                "mine": texts["mine"],
            }
        )
    data = {**prefill, "base_number": str(latest.number), "note": form.cleaned_data.get("note")}
    new_form = TextForm(data=data)
    new_form.is_valid()
    return _text_page(
        request,
        advice,
        form=new_form,
        conflict={
            "latest": latest,
            "author": _person(latest.author),
            "rows": rows,
            "messages": exc.messages,
        },
        status=409,
    )


def text_page(request: HttpRequest, key: str) -> HttpResponse:
    """The advice text: read (``view_drafts``) and save a new version (``edit_text``)."""
    advice = _advice(request, key)
    if request.method != "POST":
        return _text_page(request, advice)
    require(request, "edit_text")
    form = TextForm(request.POST)
    if not form.is_valid():
        return _text_page(request, advice, form=form, status=400)
    before = selectors.revision_latest(request=advice)
    try:
        revision = services.advice_revision_save(
            request=advice,
            sections=form.sections(),
            base_number=form.cleaned_data.get("base_number"),
            actor=user_of(request),
            note=form.cleaned_data.get("note") or "",
        )
    except services.RevisionConflict as exc:
        return _conflict_response(request, advice, form, exc)
    except ValidationError as exc:
        form_errors(form, exc)
        return _text_page(request, advice, form=form, status=400)
    if before is not None and revision.pk == before.pk:
        messages.info(request, _("Er was niets gewijzigd; er is geen nieuwe versie gemaakt."))
    elif revision.merged:
        messages.success(
            request,
            _(
                "Opgeslagen als versie %(n)s. Iemand anders had intussen andere secties "
                "gewijzigd; die wijzigingen zijn behouden."
            )
            % {"n": revision.number},
        )
    else:
        messages.success(request, _("Opgeslagen als versie %(n)s.") % {"n": revision.number})
    return redirect(_text_url(key))


@require_POST
def skeleton_create(request: HttpRequest, key: str) -> HttpResponse:
    """The first version, built from the dossier (facts with references, no prose)."""
    advice = _advice(request, key)
    require(request, "edit_text")
    if selectors.revision_latest(request=advice) is not None:
        return _text_page(
            request,
            advice,
            skeleton_errors=[
                _("Er is al een versie; een opzet maakt u alleen bij een lege tekst.")
            ],
            status=400,
        )
    try:
        revision = services.advice_revision_save(
            request=advice,
            sections=dossier_module.skeleton_for(request=advice, user=request.user),
            base_number=None,
            actor=user_of(request),
            note=_("Opzet uit het dossier"),
        )
    except ValidationError as exc:
        return _text_page(request, advice, skeleton_errors=exc.messages, status=400)
    messages.success(
        request,
        _("De opzet uit het dossier is opgeslagen als versie %(n)s.") % {"n": revision.number},
    )
    return redirect(_text_url(key))


# --- comments and assignments -----------------------------------------------------------------


@require_POST
def comment_add(request: HttpRequest, key: str) -> HttpResponse:
    """A new comment, a reply in a thread, or closing a thread."""
    advice = _advice(request, key)
    require(request, "comment")
    pk = ReplyForm.parse_pk(request.POST.get("thread"))
    form: CommentForm
    if pk is not None:
        form = ReplyForm(request.POST, advice=advice, auto_id=f"reply-{pk}-%s")
    else:
        form = CommentForm(request.POST, advice=advice)
    done = form_action(
        request,
        form,
        lambda data: services.comment_add(
            request=advice,
            actor=user_of(request),
            section=data["section"],
            body=data.get("body") or "",
            thread=data.get("thread"),
            resolve=bool(data.get("resolve")),
        ),
        success=lambda comment: (
            _("De draad is afgehandeld.")
            if form.cleaned_data.get("resolve")
            else _("Uw opmerking is geplaatst.")
        ),
        to=_text_url(key, "opmerkingen"),
    )
    if done:
        return done
    if isinstance(form, ReplyForm):
        return _text_page(request, advice, reply_form=form, status=400)
    return _text_page(request, advice, comment_form=form, status=400)


@require_POST
def assignment_add(request: HttpRequest, key: str) -> HttpResponse:
    advice = _advice(request, key)
    require(request, "manage")
    form = AssignmentForm(request.POST)
    done = form_action(
        request,
        form,
        lambda data: services.assignment_create(
            request=advice,
            actor=user_of(request),
            assignee=data["assignee"],
            task=data["task"],
            section=data.get("section") or "",
            due=data.get("due"),
        ),
        success=_("De taak is toegewezen."),
        to=_text_url(key, "taken"),
    )
    return done or _text_page(request, advice, assignment_form=form, status=400)


@require_POST
def assignment_done(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    advice = _advice(request, key)
    assignment = selectors.assignment_get(request=advice, pk=pk)
    if assignment is None:
        raise Http404
    try:
        services.assignment_done(assignment=assignment, actor=user_of(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De taak is gereed gemeld."))
    return redirect(_text_url(key, "taken"))


# --- versions ---------------------------------------------------------------------------------


def revision_list(request: HttpRequest, key: str) -> HttpResponse:
    advice = _advice(request, key)
    rows = list(selectors.revisions(request=advice))
    rows.reverse()
    return render(
        request,
        "advice/revisions.html",
        {
            "advice": advice,
            "status_label": AdviceStatus(_status(advice)).label,
            "revisions": rows,
        },
    )


def _number(raw: str | None) -> int | None:
    """``?tegen=N`` as a version number; anything else that is given is a 404."""
    if raw is None or raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise Http404 from None
    if number < 1 or number > 2**31:
        raise Http404
    return number


def revision_detail(request: HttpRequest, key: str, number: int) -> HttpResponse:
    advice = _advice(request, key)
    revision = selectors.revision_get(request=advice, number=number)
    if revision is None:
        raise Http404
    against = _number(request.GET.get("tegen"))
    old: AdviceRevision | None
    if against is not None:
        old = selectors.revision_get(request=advice, number=against)
        if old is None:
            raise Http404
    else:
        old = selectors.revision_get(request=advice, number=number - 1) if number > 1 else None
    diff = selectors.revision_diff(old=old, new=revision)
    texts = _sections(revision)
    return render(
        request,
        "advice/revision.html",
        {
            "advice": advice,
            "status_label": AdviceStatus(_status(advice)).label,
            "revision": revision,
            "old": old,
            "sections": [
                {"key": key, "label": label, "text": texts[key]} for key, label in Section.choices
            ],
            "diff": diff,
            "changed_count": sum(1 for row in diff if row["changed"]),
            "versions": list(selectors.revisions(request=advice)),
            "formats": list(FORMATS),
        },
    )


def revision_document(request: HttpRequest, key: str, number: int, fmt: str) -> HttpResponse:
    """One version as PDF or DOCX for the committee (``view_drafts``)."""
    advice = _advice(request, key)
    if fmt not in FORMATS:
        raise Http404
    revision = selectors.revision_get(request=advice, number=number)
    if revision is None:
        raise Http404
    filename, content = documents.revision_document(request=advice, revision=revision, fmt=fmt)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"  # a draft: never in a shared cache
    return response
