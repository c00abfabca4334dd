"""Pages of the activation path: the landing page (secondment agreements, open and closed
cases), the agreement forms, and the case page that shows the whole path with its timestamps
and the forms of the next steps.

Views parse, call ``activation.services`` / ``activation.selectors`` and render. A case the
user may not see is a 404; an action the role does not allow is a 403. Forms that a service
refuses show the page again with the messages on their fields (status 400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from paraat.accounts.models import User
from paraat.activation import forms, selectors, services
from paraat.activation.models import (
    ActivationCase,
    CaseStatus,
    ChecklistItem,
    Decision,
)
from paraat.evidence import selectors as evidence_selectors
from paraat.network.models import Candidate, Organisation, OrganisationKind

FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# --- helpers --------------------------------------------------------------------------------------


def _may(request: HttpRequest, action: str) -> bool:
    return selectors.may(user=request.user, action=action)


def _require(request: HttpRequest, *actions: str) -> None:
    if not any(_may(request, a) for a in actions):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _case(request: HttpRequest, pk: int) -> ActivationCase:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        if not _may(request, "view"):
            raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
        raise Http404
    return case


def _detail_url(case: ActivationCase) -> str:
    return reverse("activation:detail", kwargs={"pk": case.pk})


def _form_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        name = key if key in form.fields and not form.fields[key].widget.is_hidden else None
        form.add_error(name, errors)


def _ministries() -> Any:
    return Organisation.objects.filter(kind=OrganisationKind.MINISTRY).order_by("name")


def _candidates(request: HttpRequest) -> list[Candidate]:
    try:
        from paraat.network import selectors as network_selectors
    except ImportError:  # the network app's reads are not there (yet)
        return []
    return list(
        network_selectors.candidate_list(user=request.user).select_related("person__organisation")
    )


# --- landing page ---------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    _require(request, "view", "view_agreements")
    today = timezone.localdate()
    agreements = []
    if _may(request, "view_agreements"):
        agreements = [
            {"agreement": a, "expired": selectors.agreement_expired(agreement=a, today=today)}
            for a in selectors.agreement_list()
        ]
    rows = []
    for case in selectors.case_list(user=request.user):
        status = selectors.status_of(case)
        rows.append(
            {
                "case": case,
                "status": status,
                "status_label": CaseStatus(status).label,
                "open": status in selectors.OPEN_STATUSES,
                "operational": selectors.operational(case=case),
            }
        )
    return render(
        request,
        "activation/index.html",
        {
            "agreements": agreements,
            "show_agreements": _may(request, "view_agreements"),
            "open_cases": [r for r in rows if r["open"]],
            "done_cases": [r for r in rows if not r["open"]],
            "can_manage": _may(request, "manage"),
            "can_view_cases": _may(request, "view"),
        },
    )


# --- agreements -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    _require(request, "manage")
    form = forms.AgreementForm(
        request.POST if request.method == "POST" else None, ministries=_ministries()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_create(data=form.data_object(), actor=_user(request))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("De detacheringsafspraak is vastgelegd."))
            return redirect("activation:index")
    return render(
        request,
        "activation/agreement_form.html",
        {"form": form, "agreement": None},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "manage")
    agreement = selectors.agreement_get(pk=pk)
    if agreement is None:
        raise Http404
    if request.method == "POST":
        form = forms.AgreementForm(request.POST, ministries=_ministries())
        if form.is_valid():
            try:
                services.agreement_update(
                    agreement=agreement, data=form.data_object(), actor=_user(request)
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("De detacheringsafspraak is bijgewerkt."))
                return redirect("activation:index")
        status = 400
    else:
        form = forms.AgreementForm(
            initial=forms.AgreementForm.initial_of(agreement), ministries=_ministries()
        )
        status = 200
    return render(
        request,
        "activation/agreement_form.html",
        {"form": form, "agreement": agreement},
        status=status,
    )


@require_POST
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "manage")
    agreement = selectors.agreement_get(pk=pk)
    if agreement is None:
        raise Http404
    try:
        services.agreement_delete(agreement=agreement, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De detacheringsafspraak is verwijderd."))
    return redirect("activation:index")


# --- cases ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    _require(request, "manage")
    form = forms.CaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Het activeringsdossier is geopend."))
            return redirect(_detail_url(case))
    return render(
        request,
        "activation/case_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _context(request: HttpRequest, case: ActivationCase, **forms_given: Any) -> dict[str, Any]:
    status = selectors.status_of(case)
    manage = _may(request, "manage")
    decide = _may(request, "decide")
    closed = status == CaseStatus.CLOSED
    decision = selectors.decision_of(case=case)
    established = decision is not None and decision.decision == Decision.ESTABLISH
    sent = selectors.signal_sent(case=case)
    latest_signal = selectors.signal_latest(case=case)
    latest_decree = selectors.decree_latest(case=case)
    adopted = selectors.decree_adopted(case=case)
    figures = selectors.operational(case=case)
    items = list(selectors.checklist(case=case))
    per_item = {}
    if figures is not None:
        per_item = {row.key: row.hours for row in figures.items}
    context: dict[str, Any] = {
        "case": case,
        "status": status,
        "status_label": CaseStatus(status).label,
        "closed": closed,
        "history": selectors.status_history(case=case),
        "criteria": selectors.criteria(case=case, user=request.user),
        "signals": selectors.signals(case=case),
        "signal_sent": sent,
        "signal_latest": latest_signal,
        "signal_job": selectors.signal_job_latest(case=case),
        "decision": decision,
        "decrees": [
            {"decree": d, "members": selectors.decree_members(decree=d)}
            for d in selectors.decrees(case=case)
        ],
        "decree_latest": latest_decree,
        "decree_adopted": adopted,
        "decree_job": selectors.decree_job_latest(case=case),
        "assignments": selectors.assignments(case=case),
        "staffing": selectors.staffing(case=case),
        "staffing_totals": selectors.staffing_totals(case=case),
        "checklist": [{"item": i, "hours": per_item.get(str(i.pk))} for i in items],
        "figures": figures,
        "can_manage": manage,
        "can_decide": decide,
    }
    if manage and not closed:
        if status == CaseStatus.OPEN:
            context["judge_form"] = forms_given.get("judge_form") or forms.JudgementForm()
            context["signal_form"] = forms_given.get("signal_form") or forms.SignalForm()
            if latest_signal is not None and sent is None and latest_signal.pdf:
                context["sent_form"] = forms_given.get("sent_form") or forms.SignalSentForm(
                    initial={"sent_on": timezone.localdate()}
                )
        if established and status in (CaseStatus.DECIDED, CaseStatus.DECREE):
            candidates = _candidates(request)
            context["decree_form"] = forms_given.get("decree_form") or forms.DecreeForm(
                candidates=candidates,
                initial={"decree_date": timezone.localdate()},
            )
            if status == CaseStatus.DECREE and latest_decree is not None and latest_decree.pdf:
                context["adopt_form"] = forms_given.get("adopt_form") or forms.DecreeAdoptForm(
                    initial={"adopted_on": timezone.localdate()}
                )
        if established and status != CaseStatus.OPERATIONAL:
            context["assignment_form"] = forms_given.get("assignment_form") or forms.AssignmentForm(
                agreements=selectors.agreement_list(include_expired=False)
            )
            context["checklist_form"] = (
                forms_given.get("checklist_form") or forms.ChecklistAddForm()
            )
            context["can_tick"] = True
        if status not in (CaseStatus.OPERATIONAL,):
            context["close_form"] = forms_given.get("close_form") or forms.CloseForm()
    if decide and not closed and status == CaseStatus.SIGNALLED and decision is None:
        context["decision_form"] = forms_given.get("decision_form") or forms.DecisionForm(
            initial={"decided_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
    return context


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(request, "activation/detail.html", _context(request, case))


def _again(request: HttpRequest, case: ActivationCase, **given: Any) -> HttpResponse:
    """The case page again (400) with the refused form; when that form is not on the page
    any more (the case moved on), its messages are shown above the page."""
    context = _context(request, case, **given)
    errors: list[str] = []
    for key, form in given.items():
        if context.get(key) is not form:
            errors.extend(str(m) for messages_ in form.errors.values() for m in messages_)
    context["errors"] = errors
    return render(request, "activation/detail.html", context, status=400)


@require_POST
def judge(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    form = forms.JudgementForm(request.POST)
    if form.is_valid():
        try:
            items = evidence_selectors.evidence_by_refs(user=request.user, refs=form.refs())
            services.criterion_judge(
                case=case,
                criterion=form.cleaned_data["criterion"],
                judgement=form.cleaned_data["judgement"],
                evidence_text=form.cleaned_data["evidence_text"],
                evidence=items,
                actor=_user(request),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                exc = ValidationError({"evidence_refs": exc.messages})
            _form_errors(form, exc)
        else:
            messages.success(request, _("Het oordeel is vastgelegd."))
            return redirect(_detail_url(case) + "#h-criteria")
    return _again(request, case, judge_form=form)


@require_POST
def signal_start(request: HttpRequest, pk: int) -> HttpResponse:
    from paraat.activation import tasks

    case = _case(request, pk)
    _require(request, "manage")
    form = forms.SignalForm(request.POST)
    if form.is_valid():
        try:
            job = tasks.signal_start(
                case=case, actor=_user(request), recipient=form.cleaned_data["recipient"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Het signaal wordt opgesteld (PDF en Word)."))
            return redirect(reverse("jobs:detail", args=[job.pk]))
    return _again(request, case, signal_form=form)


@require_POST
def signal_sent(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    form = forms.SignalSentForm(request.POST)
    signal = selectors.signal_latest(case=case)
    if form.is_valid():
        try:
            if signal is None:
                raise ValidationError({"sent_on": _("Er is nog geen signaal opgesteld.")})
            services.signal_record_sent(
                signal=signal, sent_on=form.cleaned_data["sent_on"], actor=_user(request)
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Het signaal is als verzonden vastgelegd."))
            return redirect(_detail_url(case) + "#h-signal")
    return _again(request, case, sent_form=form)


@require_POST
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "decide")
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(case=case, actor=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Het besluit van de minister is vastgelegd."))
            return redirect(_detail_url(case) + "#h-decision")
    return _again(request, case, decision_form=form)


@require_POST
def decree_start(request: HttpRequest, pk: int) -> HttpResponse:
    from paraat.activation import tasks

    case = _case(request, pk)
    _require(request, "manage")
    form = forms.DecreeForm(request.POST, candidates=_candidates(request))
    if form.is_valid():
        try:
            job = tasks.decree_start(
                case=case,
                actor=_user(request),
                members=form.members(),
                decree_date=form.cleaned_data["decree_date"],
                term=form.cleaned_data["term"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Het instellingsbesluit wordt opgesteld (PDF en Word)."))
            return redirect(reverse("jobs:detail", args=[job.pk]))
    return _again(request, case, decree_form=form)


@require_POST
def decree_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    form = forms.DecreeAdoptForm(request.POST)
    decree = selectors.decree_latest(case=case)
    if form.is_valid():
        try:
            if decree is None:
                raise ValidationError({"adopted_on": _("Er is nog geen instellingsbesluit.")})
            services.decree_adopt(
                decree=decree, adopted_on=form.cleaned_data["adopted_on"], actor=_user(request)
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Het instellingsbesluit is vastgesteld: de leden zijn benoemd en de modus "
                    "is actief."
                ),
            )
            return redirect(_detail_url(case) + "#h-decree")
    return _again(request, case, adopt_form=form)


@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    form = forms.AssignmentForm(
        request.POST, agreements=selectors.agreement_list(include_expired=False)
    )
    if form.is_valid():
        try:
            services.assignment_add(case=case, actor=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("De gedetacheerde is toegevoegd."))
            return redirect(_detail_url(case) + "#h-staffing")
    return _again(request, case, assignment_form=form)


@require_POST
def assignment_remove(request: HttpRequest, pk: int, assignment: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    row = selectors.assignments(case=case).filter(pk=assignment).first()
    if row is None:
        raise Http404
    try:
        services.assignment_remove(assignment=row, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De gedetacheerde is verwijderd."))
    return redirect(_detail_url(case) + "#h-staffing")


@require_POST
def checklist_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    form = forms.ChecklistAddForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(
                case=case, title=form.cleaned_data["title"], actor=_user(request)
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Het checklistpunt is toegevoegd."))
            return redirect(_detail_url(case) + "#h-checklist")
    return _again(request, case, checklist_form=form)


def _item(case: ActivationCase, item: int) -> ChecklistItem:
    row = selectors.checklist(case=case).filter(pk=item).first()
    if row is None:
        raise Http404
    return row


@require_POST
def checklist_done(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    row = _item(case, item)
    form = forms.ChecklistDoneForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_done(
                item=row,
                actor=_user(request),
                done_at=form.cleaned_data["done_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("‘%(t)s’ is gereed.") % {"t": row.title})
    else:
        messages.error(request, _("Ongeldig moment."))
    return redirect(_detail_url(case) + "#h-checklist")


@require_POST
def checklist_reopen(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    row = _item(case, item)
    try:
        services.checklist_item_reopen(item=row, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("‘%(t)s’ staat weer open.") % {"t": row.title})
    return redirect(_detail_url(case) + "#h-checklist")


@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    _require(request, "manage")
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(case=case, note=form.cleaned_data["note"], actor=_user(request))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Het activeringsdossier is gesloten."))
            return redirect(_detail_url(case))
    return _again(request, case, close_form=form)


# --- documents ------------------------------------------------------------------------------------


def _file(stored: Any, filename: str, fmt: str) -> FileResponse:
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=FILE_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def signal_file(request: HttpRequest, pk: int, number: int, fmt: str) -> FileResponse:
    case = _case(request, pk)
    signal = selectors.signal_get(case=case, number=number)
    if signal is None or fmt not in FILE_TYPES:
        raise Http404
    return _file(getattr(signal, fmt), f"signaal-activering-{case.pk}-v{signal.number}.{fmt}", fmt)


def decree_file(request: HttpRequest, pk: int, number: int, fmt: str) -> FileResponse:
    case = _case(request, pk)
    decree = selectors.decree_get(case=case, number=number)
    if decree is None or fmt not in FILE_TYPES:
        raise Http404
    return _file(getattr(decree, fmt), f"instellingsbesluit-{case.pk}-v{decree.number}.{fmt}", fmt)
