"""Pages for the rights catalogue: the fundamental rights and the rights questions.

Both are editable data (beheerder and CPO secretariat). Everyone who may read assessments sees
the lists; adding and changing need the model permissions. Rows are never deleted: deactivating
takes them out of the choices for new answers while what already uses them keeps them.
Views parse input, call ``assessments.services`` / ``selectors`` and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from paraat.assessments import selectors, services
from paraat.assessments.forms_catalogue import FundamentalRightForm, RightsQuestionForm
from paraat.assessments.models import FundamentalRight, RightsQuestion
from paraat.assessments.permissions import VIEW_PERM
from paraat.web.viewhelpers import add_errors, object_history

ADD_RIGHT = "assessments.add_fundamentalright"
CHANGE_RIGHT = "assessments.change_fundamentalright"
ADD_QUESTION = "assessments.add_rightsquestion"
CHANGE_QUESTION = "assessments.change_rightsquestion"

#: The permissions that make a user an editor of the catalogue (for links on other pages).
CATALOGUE_EDIT_PERMS = (ADD_RIGHT, CHANGE_RIGHT, ADD_QUESTION, CHANGE_QUESTION)


def can_edit_catalogue(user: Any) -> bool:
    """Whether ``user`` may add or change anything in the rights catalogue."""
    return any(user.has_perm(perm) for perm in CATALOGUE_EDIT_PERMS)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- fundamental rights -----------------------------------------------------------------------


@permission_required(VIEW_PERM, raise_exception=True)
def right_list(request: HttpRequest) -> HttpResponse:
    rights = list(selectors.rights_catalogue_all())
    sections = []
    for value, label in FundamentalRight.Instrument.choices:
        rows = [right for right in rights if right.instrument == value]
        if rows:
            sections.append({"instrument": value, "label": label, "rights": rows})
    return render(
        request,
        "assessments/catalogue/rights.html",
        {
            "sections": sections,
            "can_add": request.user.has_perm(ADD_RIGHT),
            "can_change": request.user.has_perm(CHANGE_RIGHT),
        },
    )


def _right_save(
    request: HttpRequest, form: FundamentalRightForm, right: FundamentalRight | None
) -> FundamentalRight | None:
    data = form.cleaned_data
    try:
        return services.fundamental_right_save(
            actor=request.user,
            key=right.key if right is not None else data["key"],
            instrument=data["instrument"],
            article=data["article"],
            title_nl=data["title_nl"],
            title_en=data["title_en"],
            absolute=data["absolute"],
            url=data["url"],
            position=data["position"],
            is_active=data["is_active"],
            right=right,
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return None


def _right_page(
    request: HttpRequest, form: FundamentalRightForm, right: FundamentalRight | None
) -> HttpResponse:
    return render(
        request,
        "assessments/catalogue/right_form.html",
        {
            "form": form,
            "right": right,
            "history": object_history(request, right) if right is not None else [],
        },
    )


@permission_required(ADD_RIGHT, raise_exception=True)
def right_create(request: HttpRequest) -> HttpResponse:
    form = FundamentalRightForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        saved = _right_save(request, form, None)
        if saved is not None:
            messages.success(request, _("Het grondrecht is toegevoegd."))
            return redirect("assessments:catalogue_rights")
    return _right_page(request, form, None)


@permission_required(CHANGE_RIGHT, raise_exception=True)
def right_edit(request: HttpRequest, right_key: str) -> HttpResponse:
    right = selectors.fundamental_right_get(key=right_key)
    initial = {name: getattr(right, name) for name in FundamentalRightForm.base_fields}
    form = FundamentalRightForm(_posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        saved = _right_save(request, form, right)
        if saved is not None:
            messages.success(request, _("Het grondrecht is opgeslagen."))
            return redirect("assessments:catalogue_rights")
    return _right_page(request, form, right)


# --- rights questions -------------------------------------------------------------------------


@permission_required(VIEW_PERM, raise_exception=True)
def question_list(request: HttpRequest) -> HttpResponse:
    sections = [
        {
            "kind": value,
            "label": label,
            "questions": list(selectors.rights_questions_all(kind=value)),
        }
        for value, label in RightsQuestion.Kind.choices
    ]
    return render(
        request,
        "assessments/catalogue/questions.html",
        {
            "sections": sections,
            "can_add": request.user.has_perm(ADD_QUESTION),
            "can_change": request.user.has_perm(CHANGE_QUESTION),
        },
    )


def _question_save(
    request: HttpRequest, form: RightsQuestionForm, question: RightsQuestion | None
) -> RightsQuestion | None:
    data = form.cleaned_data
    try:
        return services.rights_question_save(
            actor=request.user,
            kind=question.kind if question is not None else data["kind"],
            key=question.key if question is not None else data["key"],
            text_nl=data["text_nl"],
            text_en=data["text_en"],
            help_nl=data["help_nl"],
            help_en=data["help_en"],
            position=data["position"],
            is_active=data["is_active"],
            question=question,
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return None


def _question_page(
    request: HttpRequest, form: RightsQuestionForm, question: RightsQuestion | None
) -> HttpResponse:
    return render(
        request,
        "assessments/catalogue/question_form.html",
        {
            "form": form,
            "question": question,
            "history": object_history(request, question) if question is not None else [],
        },
    )


@permission_required(ADD_QUESTION, raise_exception=True)
def question_create(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("soort", "")
    initial = {"kind": kind} if kind in RightsQuestion.Kind.values else None
    form = RightsQuestionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _question_save(request, form, None)
        if saved is not None:
            messages.success(request, _("De vraag is toegevoegd."))
            return redirect("assessments:catalogue_questions")
    return _question_page(request, form, None)


@permission_required(CHANGE_QUESTION, raise_exception=True)
def question_edit(request: HttpRequest, kind: str, question_key: str) -> HttpResponse:
    if kind not in RightsQuestion.Kind.values:
        raise Http404
    question = selectors.rights_question_get(kind=kind, key=question_key)
    initial = {name: getattr(question, name) for name in RightsQuestionForm.base_fields}
    form = RightsQuestionForm(_posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        saved = _question_save(request, form, question)
        if saved is not None:
            messages.success(request, _("De vraag is opgeslagen."))
            return redirect("assessments:catalogue_questions")
    return _question_page(request, form, question)
