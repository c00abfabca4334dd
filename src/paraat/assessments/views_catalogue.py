"""Pages for the rights catalogue: the fundamental rights and the rights questions.

Both are editable data (beheerder and CPO secretariat). Everyone who may read assessments sees
the lists; adding and changing need the model permissions. Rows are never deleted: deactivating
takes them out of the choices for new answers while what already uses them keeps them.
Views parse input, call ``assessments.services`` / ``selectors`` and render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
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


def _catalogue_form(
    request: HttpRequest,
    *,
    form: forms.Form,
    instance: Any,
    name: str,
    save: Callable[[dict[str, Any]], object],
    template: str,
    saved_message: str,
    list_url: str,
) -> HttpResponse:
    """Create or edit one catalogue row: on a valid POST save, report and go to the list.

    ``save`` gets the cleaned data and calls the service; its ``ValidationError`` is shown on
    the form. Otherwise the form page renders with ``instance`` under ``name`` and its history.
    """
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, saved_message)
            return redirect(list_url)
    return render(
        request,
        template,
        {
            "form": form,
            name: instance,
            "history": object_history(request, instance) if instance is not None else [],
        },
    )


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


def _right_form(
    request: HttpRequest,
    form: FundamentalRightForm,
    right: FundamentalRight | None,
    saved_message: str,
) -> HttpResponse:
    def save(data: dict[str, Any]) -> FundamentalRight:
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

    return _catalogue_form(
        request,
        form=form,
        instance=right,
        name="right",
        save=save,
        template="assessments/catalogue/right_form.html",
        saved_message=saved_message,
        list_url="assessments:catalogue_rights",
    )


@permission_required(ADD_RIGHT, raise_exception=True)
def right_create(request: HttpRequest) -> HttpResponse:
    form = FundamentalRightForm(_posted(request))
    return _right_form(request, form, None, _("Het grondrecht is toegevoegd."))


@permission_required(CHANGE_RIGHT, raise_exception=True)
def right_edit(request: HttpRequest, right_key: str) -> HttpResponse:
    right = selectors.fundamental_right_get(key=right_key)
    initial = {name: getattr(right, name) for name in FundamentalRightForm.base_fields}
    form = FundamentalRightForm(_posted(request), initial=initial, editing=True)
    return _right_form(request, form, right, _("Het grondrecht is opgeslagen."))


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


def _question_form(
    request: HttpRequest,
    form: RightsQuestionForm,
    question: RightsQuestion | None,
    saved_message: str,
) -> HttpResponse:
    def save(data: dict[str, Any]) -> RightsQuestion:
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

    return _catalogue_form(
        request,
        form=form,
        instance=question,
        name="question",
        save=save,
        template="assessments/catalogue/question_form.html",
        saved_message=saved_message,
        list_url="assessments:catalogue_questions",
    )


@permission_required(ADD_QUESTION, raise_exception=True)
def question_create(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("soort", "")
    initial = {"kind": kind} if kind in RightsQuestion.Kind.values else None
    form = RightsQuestionForm(_posted(request), initial=initial)
    return _question_form(request, form, None, _("De vraag is toegevoegd."))


@permission_required(CHANGE_QUESTION, raise_exception=True)
def question_edit(request: HttpRequest, kind: str, question_key: str) -> HttpResponse:
    if kind not in RightsQuestion.Kind.values:
        raise Http404
    question = selectors.rights_question_get(kind=kind, key=question_key)
    initial = {name: getattr(question, name) for name in RightsQuestionForm.base_fields}
    form = RightsQuestionForm(_posted(request), initial=initial, editing=True)
    return _question_form(request, form, question, _("De vraag is opgeslagen."))
