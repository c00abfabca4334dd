"""Pages of the exercises (``/oefeningen/``): parse, call the services, render.

Opening a run page delivers the injects that are due (``services.run_tick``), as the cron does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paraat.accounts.models import User
from paraat.exercises import selectors, services
from paraat.exercises.forms import (
    EvaluationForm,
    InjectForm,
    LessonForm,
    ParticipantForm,
    RunForm,
    ScenarioForm,
)
from paraat.exercises.models import ExerciseRun, Inject, Scenario


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _require_view(request: HttpRequest) -> None:
    if not selectors.may_view(user=request.user):
        raise PermissionDenied(_("Uw rol geeft geen toegang tot de oefeningen."))


def _require_manage(request: HttpRequest) -> None:
    if not selectors.may_manage(user=request.user):
        raise PermissionDenied(_("Uw rol staat het leiden van oefeningen niet toe."))


def _scenario(request: HttpRequest, key: str) -> Scenario:
    _require_view(request)
    scenario = selectors.scenario_get(user=request.user, key=key)
    if scenario is None:
        raise Http404
    return scenario


def _run(request: HttpRequest, pk: int) -> ExerciseRun:
    _require_view(request)
    run = selectors.run_get(user=request.user, pk=pk)
    if run is None:
        raise Http404
    return run


def _inject(scenario: Scenario, pk: int) -> Inject:
    inject = selectors.inject_get(scenario=scenario, pk=pk)
    if inject is None:
        raise Http404
    return inject


def _errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    mapper = getattr(form, "field_for", None)
    for key, errors in exc.message_dict.items():
        name = mapper(key) if mapper else key
        if name not in form.fields:
            name = None
        form.add_error(name, errors)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, bad: bool
) -> HttpResponse:
    return render(request, template, context, status=400 if bad else 200)


# --- landing ---------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    user = request.user
    from paraat.exercises import autumn2020

    return render(
        request,
        "exercises/index.html",
        {
            "scenarios": selectors.scenario_list(user=user),
            "runs": selectors.run_list(user=user),
            "can_manage": selectors.may_manage(user=user),
            "autumn_missing": selectors.scenario_by_key(key=autumn2020.KEY) is None,
        },
    )


@require_POST
def scenario_autumn_2020(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    try:
        scenario = services.scenario_autumn_2020_create(actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exercises:index")
    messages.success(request, _("Het scenario ‘%(t)s’ staat klaar.") % {"t": scenario.title})
    return redirect("exercises:scenario", key=scenario.key)


# --- scenarios -------------------------------------------------------------------------------


def _scenario_data(form: ScenarioForm) -> services.ScenarioData:
    data = form.cleaned_data
    return services.ScenarioData(
        title=data["title"],
        description=data["description"],
        source_note=data["source_note"],
        is_synthetic=data["is_synthetic"],
    )


def scenario_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(data=_scenario_data(form), actor=_user(request))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Scenario aangemaakt."))
            return redirect("exercises:scenario", key=scenario.key)
    return _page(
        request,
        "exercises/scenario_form.html",
        {"form": form, "scenario": None},
        bad=request.method == "POST",
    )


def scenario_edit(request: HttpRequest, key: str) -> HttpResponse:
    _require_manage(request)
    scenario = _scenario(request, key)
    initial = {
        "title": scenario.title,
        "description": scenario.description,
        "source_note": scenario.source_note,
        "is_synthetic": scenario.is_synthetic,
    }
    form = ScenarioForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_update(
                scenario=scenario, data=_scenario_data(form), actor=_user(request)
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Scenario opgeslagen."))
            return redirect("exercises:scenario", key=scenario.key)
    return _page(
        request,
        "exercises/scenario_form.html",
        {"form": form, "scenario": scenario},
        bad=request.method == "POST",
    )


@require_POST
def scenario_delete(request: HttpRequest, key: str) -> HttpResponse:
    _require_manage(request)
    scenario = _scenario(request, key)
    try:
        services.scenario_delete(scenario=scenario, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exercises:scenario", key=key)
    messages.success(request, _("Scenario verwijderd."))
    return redirect("exercises:index")


def scenario_detail(request: HttpRequest, key: str) -> HttpResponse:
    scenario = _scenario(request, key)
    can_manage = selectors.may_manage(user=request.user)
    return render(
        request,
        "exercises/scenario.html",
        {
            "scenario": scenario,
            "injects": selectors.injects(scenario=scenario),
            "runs": selectors.run_list(user=request.user).filter(scenario=scenario),
            "can_manage": can_manage,
            "run_form": RunForm() if can_manage else None,
        },
    )


def _inject_data(form: InjectForm, existing: dict[str, Any] | None = None) -> services.InjectData:
    data = form.cleaned_data
    return services.InjectData(
        offset_minutes=form.offset(),
        kind=data["kind"],
        title=data["title"],
        content=data["content"],
        payload=form.payload(existing),
        is_synthetic=data["is_synthetic"],
        source_note=data["source_note"],
        real_date=data["real_date"],
    )


def inject_create(request: HttpRequest, key: str) -> HttpResponse:
    _require_manage(request)
    scenario = _scenario(request, key)
    form = InjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inject_create(scenario=scenario, data=_inject_data(form), actor=_user(request))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Inject toegevoegd."))
            return redirect("exercises:scenario", key=scenario.key)
    return _page(
        request,
        "exercises/inject_form.html",
        {"form": form, "scenario": scenario, "inject": None},
        bad=request.method == "POST",
    )


def inject_edit(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    _require_manage(request)
    scenario = _scenario(request, key)
    inject = _inject(scenario, pk)
    payload = inject.payload or {}
    initial = {
        "offset_hours": inject.offset_minutes // 60,
        "offset_minutes": inject.offset_minutes % 60,
        "kind": inject.kind,
        "title": inject.title,
        "content": inject.content,
        "source_note": inject.source_note,
        "real_date": inject.real_date,
        "is_synthetic": inject.is_synthetic,
        "question": payload.get("question", ""),
        "advice_kind": payload.get("kind", "urgent"),
        "deadline_hours": payload.get("deadline_hours", 48),
    }
    form = InjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.inject_update(
                inject=inject, data=_inject_data(form, payload), actor=_user(request)
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Inject opgeslagen."))
            return redirect("exercises:scenario", key=scenario.key)
    return _page(
        request,
        "exercises/inject_form.html",
        {"form": form, "scenario": scenario, "inject": inject},
        bad=request.method == "POST",
    )


@require_POST
def inject_delete(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    _require_manage(request)
    scenario = _scenario(request, key)
    inject = _inject(scenario, pk)
    try:
        services.inject_delete(inject=inject, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Inject verwijderd."))
    return redirect("exercises:scenario", key=scenario.key)


# --- runs ------------------------------------------------------------------------------------


@require_POST
def run_create(request: HttpRequest, key: str) -> HttpResponse:
    _require_manage(request)
    scenario = _scenario(request, key)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = services.run_create(
                scenario=scenario,
                title=form.cleaned_data["title"],
                speed_factor=form.cleaned_data["speed_factor"],
                actor=_user(request),
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Oefening aangemaakt. Voeg deelnemers toe en start."))
            return redirect("exercises:run", pk=run.pk)
    return _page(
        request,
        "exercises/scenario.html",
        {
            "scenario": scenario,
            "injects": selectors.injects(scenario=scenario),
            "runs": selectors.run_list(user=request.user).filter(scenario=scenario),
            "can_manage": True,
            "run_form": form,
        },
        bad=True,
    )


def _run_context(request: HttpRequest, run: ExerciseRun) -> dict[str, Any]:
    from paraat.advice import selectors as advice_selectors

    services.run_tick(run=run)  # opening the page delivers what is due (as the cron does)
    state = selectors.run_state(run=run)
    return {
        "run": run,
        "state": state,
        "can_manage": selectors.may_manage(user=request.user),
        "advice_requests": list(advice_selectors.exercise_requests(user=request.user, run=run)),
        "panel_url": reverse("exercises:run_panel", kwargs={"pk": run.pk}),
    }


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    context = _run_context(request, run)
    can_manage = context["can_manage"]
    from paraat.accounts.models import User as UserModel

    context.update(
        {
            "participants": selectors.participants(run=run),
            "participant_form": ParticipantForm(
                users=UserModel.objects.filter(is_active=True, groups__isnull=False)
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
            if can_manage
            else None,
            "clock_events": selectors.clock_events(run=run),
            "evaluation": selectors.evaluation_of(run=run),
        }
    )
    return render(request, "exercises/run.html", context)


def run_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The clock and the injects of a run (htmx polls this while the run page is open)."""
    run = _run(request, pk)
    return render(request, "exercises/_run_panel.html", _run_context(request, run))


_CLOCK = {
    "start": (services.run_start, _("De oefening is gestart.")),
    "pause": (services.run_pause, _("De oefening is gepauzeerd.")),
    "resume": (services.run_resume, _("De oefening is hervat.")),
    "end": (services.run_end, _("De oefening is beëindigd.")),
}


@require_POST
def run_clock(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_manage(request)
    run = _run(request, pk)
    if action not in _CLOCK:
        raise Http404
    service, message = _CLOCK[action]
    try:
        service(run=run, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(message))
    if action == "end":
        return redirect("exercises:evaluation", pk=run.pk)
    return redirect("exercises:run", pk=run.pk)


@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    run = _run(request, pk)
    form = ParticipantForm(request.POST, users=User.objects.filter(is_active=True))
    if not form.is_valid():
        messages.error(request, _("Kies een deelnemer en een rol."))
        return redirect("exercises:run", pk=run.pk)
    try:
        services.participant_add(
            run=run,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            actor=_user(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Deelnemer toegevoegd."))
    return redirect("exercises:run", pk=run.pk)


@require_POST
def participant_remove(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    _require_manage(request)
    run = _run(request, pk)
    row = selectors.participants(run=run).filter(pk=participant).first()
    if row is None:
        raise Http404
    services.participant_remove(participant=row, actor=_user(request))
    messages.success(request, _("Deelnemer verwijderd."))
    return redirect("exercises:run", pk=run.pk)


# --- evaluation ------------------------------------------------------------------------------


def _elements() -> list[tuple[str, str]]:
    from paraat.preparedness.models import PlaybookElement

    return [(value, str(label)) for value, label in PlaybookElement.choices]


def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    can_manage = selectors.may_manage(user=request.user)
    current = selectors.evaluation_of(run=run)
    initial = (
        {"went_well": current.went_well, "went_badly": current.went_badly, "notes": current.notes}
        if current
        else {}
    )
    form = EvaluationForm(request.POST or None, initial=initial)
    bad = False
    if request.method == "POST":
        _require_manage(request)
        if form.is_valid():
            try:
                services.evaluation_save(run=run, actor=_user(request), **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Evaluatie opgeslagen."))
                return redirect("exercises:evaluation", pk=run.pk)
        bad = True
    return _page(
        request,
        "exercises/evaluation.html",
        _evaluation_context(request, run, form=form, lesson_form=None, can_manage=can_manage),
        bad=bad,
    )


def _evaluation_context(
    request: HttpRequest,
    run: ExerciseRun,
    *,
    form: EvaluationForm | None,
    lesson_form: LessonForm | None,
    can_manage: bool,
) -> dict[str, Any]:
    current = selectors.evaluation_of(run=run)
    return {
        "run": run,
        "state": selectors.run_state(run=run),
        "evaluation": current,
        "lessons": selectors.lessons(evaluation=current) if current else [],
        "timings": selectors.advice_timings(run=run),
        "started_at": selectors.started_at(run=run),
        "ended_at": selectors.ended_at(run=run),
        "form": form if can_manage else None,
        "lesson_form": (lesson_form or LessonForm(elements=_elements()))
        if can_manage and current
        else None,
        "can_manage": can_manage,
    }


@require_POST
def lesson_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    run = _run(request, pk)
    current = selectors.evaluation_of(run=run)
    if current is None:
        messages.error(request, _("Leg eerst de evaluatie vast."))
        return redirect("exercises:evaluation", pk=run.pk)
    form = LessonForm(request.POST, elements=_elements())
    if form.is_valid():
        try:
            lesson = services.lesson_add(
                evaluation=current, actor=_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request,
                _("Les vastgelegd; ze staat als actie in het draaiboek: ‘%(t)s’.")
                % {"t": lesson.title},
            )
            return redirect("exercises:evaluation", pk=run.pk)
    return _page(
        request,
        "exercises/evaluation.html",
        _evaluation_context(request, run, form=EvaluationForm(), lesson_form=form, can_manage=True),
        bad=True,
    )
