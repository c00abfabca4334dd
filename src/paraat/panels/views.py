"""Pages of the citizen panel under ``/burgerpanel/``: parse, call a service, render.

Who sees what (``permissions.py``): the CPO (``manage_panels``) everything; the committee
(``view_panel_results``) results, never panelists; the beheerder (``view_panelist`` /
``delete_panelist``) the panelists, for privacy requests. The answer page behind a link needs no
account, only a valid token.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from paraat.accounts.models import User
from paraat.assessments import selectors as assessment_selectors
from paraat.panels import selectors, services
from paraat.panels.forms import (
    AnswerForm,
    BallotForm,
    PanelForm,
    PanelistForm,
    QuestionForm,
    QuestionnaireForm,
    SessionForm,
)
from paraat.panels.models import LIKERT_LABELS, SessionKind
from paraat.panels.permissions import (
    MANAGE,
    MANAGE_PERM,
    PANELIST_DELETE_PERM,
    PANELIST_VIEW_PERM,
    READ,
    RESULTS_PERM,
)


def _require(request: HttpRequest, *perms: str) -> None:
    if not any(request.user.has_perm(p) for p in perms):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _service_errors(form: Any, exc: ValidationError) -> None:
    """The service's errors alone on a form (the form only renders the questions)."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    _errors(form, exc)


def _errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        form.add_error(key if key in form.fields else None, errors)


def _flags(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {
        "can_manage": user.has_perm(MANAGE_PERM),
        "can_results": user.has_perm(RESULTS_PERM),
        "can_panelists": user.has_perm(PANELIST_VIEW_PERM),
        "can_delete_panelists": user.has_perm(PANELIST_DELETE_PERM),
    }


# --- landing and panels ---------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    _require(request, *MANAGE, *READ, PANELIST_VIEW_PERM)
    flags = _flags(request)
    context: dict[str, Any] = {"panels": list(selectors.panel_list()), **flags}
    if flags["can_results"]:
        context["questionnaires"] = list(selectors.questionnaire_list(user=request.user)[:10])
        context["sessions"] = list(selectors.session_list(user=request.user)[:10])
    return render(request, "panels/index.html", context)


@require_http_methods(["GET", "POST"])
def panel_create(request: HttpRequest) -> HttpResponse:
    _require(request, MANAGE_PERM)
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.panel_create(actor=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Het panel is aangemaakt."))
            return redirect("panels:panel", pk=panel.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "panels/panel_form.html", {"form": form}, status=status)


def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, RESULTS_PERM, PANELIST_VIEW_PERM)
    panel = selectors.panel_get(pk=pk)
    flags = _flags(request)
    context: dict[str, Any] = {"panel": panel, **flags}
    if flags["can_results"]:
        context["questionnaires"] = list(
            selectors.questionnaire_list(user=request.user, panel=panel)
        )
        context["sessions"] = list(selectors.session_list(user=request.user, panel=panel))
    if flags["can_panelists"]:
        context["panelist_count"] = panel.panelists.filter(withdrawn_at__isnull=True).count()
    return render(request, "panels/panel_detail.html", context)


# --- panelists (CPO and beheerder; pseudonyms only) ---------------------------------------------


@require_http_methods(["GET", "POST"])
def panelists(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, PANELIST_VIEW_PERM)
    panel = selectors.panel_get(pk=pk)
    flags = _flags(request)
    form = PanelistForm(request.POST or None) if flags["can_manage"] else None
    status = 200
    if request.method == "POST":
        _require(request, MANAGE_PERM)
        assert form is not None
        if form.is_valid():
            try:
                row = services.panelist_add(panel=panel, data=form.to_data(), actor=_user(request))
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Panellid %(c)s is toegevoegd.") % {"c": row.code})
                return redirect("panels:panelists", pk=panel.pk)
        status = 400
    return render(
        request,
        "panels/panelists.html",
        {"panel": panel, "rows": list(selectors.panelist_list(panel=panel)), "form": form, **flags},
        status=status,
    )


@require_POST
def panelist_withdraw(request: HttpRequest, pk: int, panelist_pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM, PANELIST_DELETE_PERM)
    panel = selectors.panel_get(pk=pk)
    row = selectors.panelist_get(panel=panel, pk=panelist_pk)
    services.panelist_withdraw(panelist=row, actor=_user(request))
    messages.success(request, _("De toestemming van %(c)s is ingetrokken.") % {"c": row.code})
    return redirect("panels:panelists", pk=panel.pk)


@require_http_methods(["GET", "POST"])
def panelist_delete(request: HttpRequest, pk: int, panelist_pk: int) -> HttpResponse:
    _require(request, PANELIST_DELETE_PERM)
    panel = selectors.panel_get(pk=pk)
    row = selectors.panelist_get(panel=panel, pk=panelist_pk)
    if request.method == "POST":
        code = row.code
        services.panelist_delete(panelist=row, actor=_user(request))
        messages.success(request, _("Panellid %(c)s is verwijderd.") % {"c": code})
        return redirect("panels:panelists", pk=panel.pk)
    return render(request, "panels/panelist_delete.html", {"panel": panel, "row": row})


# --- questionnaires ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def questionnaire_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM)
    panel = selectors.panel_get(pk=pk)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.questionnaire_create(
                panel=panel, data=form.to_data(), actor=_user(request)
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("De vragenlijst is aangemaakt; voeg nu vragen toe."))
            return redirect("panels:questionnaire", pk=row.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "panels/questionnaire_form.html", {"form": form, "panel": panel}, status=status
    )


def _questionnaire_page(
    request: HttpRequest, pk: int, question_form: QuestionForm | None = None, status: int = 200
) -> HttpResponse:
    row = selectors.questionnaire_get(user=request.user, pk=pk)
    flags = _flags(request)
    invited, used = selectors.invitation_counts(questionnaire=row)
    return render(
        request,
        "panels/questionnaire_detail.html",
        {
            "q": row,
            "questions": selectors.questions(questionnaire=row),
            "question_form": question_form or (QuestionForm() if flags["can_manage"] else None),
            "has_responses": row.responses.exists(),
            "invited": invited,
            "used": used,
            **flags,
        },
        status=status,
    )


def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, RESULTS_PERM)
    return _questionnaire_page(request, pk)


@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM)
    row = selectors.questionnaire_get(user=request.user, pk=pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.question_add(
                questionnaire=row,
                kind=d["kind"],
                text=d["text"],
                choices=(d.get("choices") or "").splitlines(),
                required=bool(d.get("required")),
                actor=_user(request),
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("De vraag is toegevoegd."))
            return redirect(reverse("panels:questionnaire", kwargs={"pk": pk}) + "#vragen")
    return _questionnaire_page(request, pk, question_form=form, status=400)


@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM)
    row = selectors.questionnaire_get(user=request.user, pk=pk)
    question = row.questions.filter(pk=question_pk).first()
    if question is not None:
        try:
            services.question_delete(question=question, actor=_user(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De vraag is verwijderd."))
    return redirect(reverse("panels:questionnaire", kwargs={"pk": pk}) + "#vragen")


def _invited_message(request: HttpRequest, run: services.InvitationRun) -> None:
    messages.success(
        request,
        _(
            "%(n)s uitnodiging(en) verstuurd; %(s)s panellid(en) zonder e-mailadres overgeslagen; "
            "%(a)s al eerder uitgenodigd."
        )
        % {"n": run.sent, "s": run.skipped_no_email, "a": run.already},
    )


@require_POST
def questionnaire_invite(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM)
    row = selectors.questionnaire_get(user=request.user, pk=pk)
    try:
        run = services.invitations_send(questionnaire=row, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _invited_message(request, run)
    return redirect("panels:questionnaire", pk=pk)


def questionnaire_results(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, RESULTS_PERM)
    row = selectors.questionnaire_get(user=request.user, pk=pk)
    flags = _flags(request)
    results = selectors.questionnaire_results(questionnaire=row, with_open=flags["can_manage"])
    return render(
        request, "panels/questionnaire_results.html", {"q": row, "results": results, **flags}
    )


@require_POST
def questionnaire_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM)
    row = selectors.questionnaire_get(user=request.user, pk=pk)
    try:
        item = services.questionnaire_publish_evidence(questionnaire=row, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("De resultaten staan als kennisitem %(r)s in de bibliotheek.") % {"r": item.ref},
        )
    return redirect("panels:questionnaire_results", pk=pk)


# --- dilemma sessions ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM)
    panel = selectors.panel_get(pk=pk)
    assessments = list(assessment_selectors.assessment_list(user=request.user))
    form = SessionForm(request.POST or None, assessments=assessments)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.session_create(panel=panel, data=form.to_data(), actor=_user(request))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("De dilemmasessie is aangemaakt."))
            return redirect("panels:session", pk=row.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "panels/session_form.html", {"form": form, "panel": panel}, status=status
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, RESULTS_PERM)
    row = selectors.session_get(user=request.user, pk=pk)
    flags = _flags(request)
    return render(
        request,
        "panels/session_detail.html",
        {
            "s": row,
            "results": selectors.session_results(session=row),
            "assessment_visible": row.assessment is not None
            and assessment_selectors.assessment_visible(
                user=request.user, assessment=row.assessment
            ),
            **flags,
        },
    )


@require_POST
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM)
    row = selectors.session_get(user=request.user, pk=pk)
    try:
        run = services.invitations_send(session=row, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _invited_message(request, run)
    return redirect("panels:session", pk=pk)


@require_POST
def session_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE_PERM)
    row = selectors.session_get(user=request.user, pk=pk)
    try:
        item = services.session_publish_evidence(session=row, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("De resultaten staan als kennisitem %(r)s in de bibliotheek.") % {"r": item.ref},
        )
    return redirect("panels:session", pk=pk)


# --- the answer page behind a link (no account) ---------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """The address carries a secret token: never cached or indexed, never in a Referer."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


_STATE_STATUS = {
    services.LinkState.UNKNOWN: 404,
    services.LinkState.USED: 410,
    services.LinkState.REVOKED: 410,
    services.LinkState.NOT_OPEN: 403,
    services.LinkState.CLOSED: 410,
}


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """Answer a questionnaire or dilemma session once, anonymously, with the link's token."""
    inv, state = services.invitation_by_token(token)
    if inv is None or state != services.LinkState.OK:
        return _private(
            render(
                request,
                "panels/answer_closed.html",
                {"state": state.value},
                status=_STATE_STATUS.get(state, 404),
            )
        )
    data = request.POST if request.method == "POST" else None
    status = 200
    if inv.questionnaire is not None:
        questionnaire = inv.questionnaire
        question_rows = list(questionnaire.questions.order_by("position", "id"))
        form: Any = AnswerForm(data, questions=question_rows)
        if data is not None:
            try:
                services.response_submit(token=token, data=data)
            except ValidationError as exc:
                _service_errors(form, exc)
                status = 400
            else:
                return _private(render(request, "panels/answer_done.html", {}))
        context: dict[str, Any] = {"target": questionnaire, "form": form, "kind": "questionnaire"}
    else:
        session = inv.session
        assert session is not None
        labels = selectors.item_labels(session)
        items = [(k, labels.get(k, k)) for k in services.session_items(session)]
        form = BallotForm(data, kind=session.kind, items=items)
        if data is not None:
            try:
                services.ballot_submit(token=token, data=data)
            except ValidationError as exc:
                _service_errors(form, exc)
                status = 400
            else:
                return _private(render(request, "panels/answer_done.html", {}))
        context = {
            "target": session,
            "form": form,
            "kind": "session",
            "ranking": session.kind == SessionKind.RANK_DOMAINS,
            "count": len(items),
        }
    context["likert_labels"] = LIKERT_LABELS
    return _private(render(request, "panels/answer.html", context, status=status))
