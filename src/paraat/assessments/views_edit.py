"""Editing pages of the assessment framework and the keyboard matrix editor (htmx).

Views parse input, call ``assessments.services`` / ``selectors`` and render. Every page works
without JavaScript; with it, ``static/assessments/editor.js`` and htmx make the matrix editor
a keyboard grid whose cell forms open in a dialog and save without a page load.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paraat.accounts.selectors import can_view
from paraat.assessments import selectors, services
from paraat.assessments.forms import (
    EFFECT_SYMBOLS,
    JUDGEMENT_VALUES,
    NOT_ASSESSED_SYMBOL,
    SLUG,
    AcceptabilityForm,
    AssessmentForm,
    CompassForm,
    EffectivenessForm,
    EtdForm,
    GroupSizeForm,
    JudgementForm,
    OptionForm,
    RightsForm,
    StatusForm,
    TermsForm,
    ValuesForm,
    WeightsForm,
    judgement_values,
)
from paraat.assessments.models import Assessment, AssessmentStatus, Effect, Judgement, Option
from paraat.evidence.models import Certainty
from paraat.indicators.selectors import indicators_visible
from paraat.measures.selectors import measure_list, package_list
from paraat.taxonomies.selectors import domain_list, group_list
from paraat.web.viewhelpers import add_errors

EDIT = "assessments.change_assessment"
ADD = "assessments.add_assessment"


# --- helpers ------------------------------------------------------------------------------------


def _posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even when empty, e.g. all boxes unticked), else ``None``."""
    return request.POST if request.method == "POST" else None


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _assessment(request: HttpRequest, key: str) -> Assessment:
    """The assessment ``key`` if ``request.user`` may see it (404 / 403 from the selector)."""
    return selectors.assessment_get(user=request.user, key=key)


def _option(assessment: Assessment, option_key: str) -> Option:
    option = selectors.assessment_options(assessment=assessment).filter(key=option_key).first()
    if option is None:
        raise Http404
    return option


def _results_links(assessment: Assessment) -> dict[str, str]:
    """Links to the results pages of another module, when those exist."""
    links = {}
    for name in ("results", "analyse", "report"):
        try:
            links[name] = reverse(f"assessments:{name}", args=[assessment.key])
        except NoReverseMatch:
            continue
    return links


def _status_label(status: str) -> str:
    try:
        return str(AssessmentStatus(status).label)
    except ValueError:
        return status


def _term_choices(queryset: Any) -> list[tuple[str, str]]:
    return [(term.key, term.name) for term in queryset]


def _assessment_domains(assessment: Assessment) -> list[tuple[str, str]]:
    return [
        (row.domain.key, row.domain.name) for row in assessment.domains.select_related("domain")
    ]


def _assessment_groups(assessment: Assessment) -> list[tuple[str, str]]:
    return [(row.group.key, row.group.name) for row in assessment.groups.select_related("group")]


def _indicator_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [(i.key, f"{i.name} ({i.key})") for i in indicators_visible(user=request.user)]


#: Service field names that the cell form calls differently.
_JUDGEMENT_FIELDS = {
    "evidence": "evidence_refs",
    "fiche_cells": "fiche_cell_ids",
    "domain_key": "__all__",
    "group_key": "__all__",
}


def _add_judgement_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = _JUDGEMENT_FIELDS.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def _effectiveness(option: Option) -> Any:
    try:
        return option.effectiveness
    except ObjectDoesNotExist:
        return None


# --- list, create, overview -------------------------------------------------------------------


def assessment_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for assessment in selectors.assessment_list(user=request.user):
        rows.append(
            {
                "assessment": assessment,
                "status": _status_label(selectors.assessment_status(assessment=assessment)),
                "options": len(assessment.options.all()),
                "version": selectors.assessment_latest_version(assessment=assessment),
                "review": selectors.assessment_review_state(
                    assessment=assessment, user=request.user
                ),
            }
        )
    return render(
        request,
        "assessments/edit/list.html",
        {"rows": rows, "can_add": request.user.has_perm(ADD)},
    )


@permission_required(ADD, raise_exception=True)
def assessment_create(request: HttpRequest) -> HttpResponse:
    form = AssessmentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_create(
                actor=request.user,
                key=data["key"],
                title=data["title"],
                question=data["question"],
                context=data["context"],
                scenario_level=data["scenario_level"],
                assessed_on=data["assessed_on"],
                confidentiality=data["confidentiality"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("De afweging is aangemaakt, met een nuloptie."))
            return redirect("assessments:detail", key=assessment.key)
    return render(request, "assessments/edit/form.html", {"form": form, "assessment": None})


def assessment_detail(request: HttpRequest, key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    can_edit = request.user.has_perm(EDIT)
    options = [
        {
            "option": option,
            "package": selectors.option_package_label(option=option, user=request.user),
        }
        for option in selectors.assessment_options(assessment=assessment)
    ]
    return render(
        request,
        "assessments/edit/detail.html",
        {
            "assessment": assessment,
            "status": _status_label(selectors.assessment_status(assessment=assessment)),
            "status_history": list(assessment.status_changes.select_related("actor")),
            "options": options,
            "domains": list(assessment.domains.select_related("domain")),
            "groups": selectors.assessment_group_rows(assessment=assessment, user=request.user),
            "version": selectors.assessment_latest_version(assessment=assessment),
            "review": selectors.assessment_review_state(assessment=assessment, user=request.user),
            "results": _results_links(assessment),
            "constraints": assessment.constraints or [],
            "weights": assessment.weights or {},
            "can_edit": can_edit,
            "status_form": StatusForm() if can_edit else None,
        },
    )


@permission_required(EDIT, raise_exception=True)
def assessment_edit(request: HttpRequest, key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    initial = {
        "title": assessment.title,
        "question": assessment.question,
        "context": assessment.context,
        "scenario_level": assessment.scenario_level,
        "assessed_on": assessment.assessed_on,
        "confidentiality": assessment.confidentiality,
    }
    form = AssessmentForm(_posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                actor=request.user, assessment=assessment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("De afweging is opgeslagen."))
            return redirect("assessments:detail", key=assessment.key)
    return render(request, "assessments/edit/form.html", {"form": form, "assessment": assessment})


def _simple_form_page(
    request: HttpRequest,
    assessment: Assessment,
    form: Any,
    save: Any,
    *,
    title: str,
    intro: str = "",
    template: str = "assessments/edit/section.html",
    back: str | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows ``form``; a valid POST calls ``save(cleaned_data)`` and returns to ``back``
    (by default the assessment's overview)."""
    back = back or reverse("assessments:detail", args=[assessment.key])
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect(back)
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "form": form,
            "title": title,
            "intro": intro,
            "back": back,
            **(extra or {}),
        },
    )


@permission_required(EDIT, raise_exception=True)
def assessment_compass(request: HttpRequest, key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    options = [(o.key, o.name) for o in assessment.options.all()]
    initial = {
        "problem": assessment.problem,
        "goal": assessment.goal,
        "preferred_option_key": assessment.preferred_option.key
        if assessment.preferred_option
        else "",
        "preferred_rationale": assessment.preferred_rationale,
    }
    form = CompassForm(_posted(request), initial=initial, options=options)

    def save(data: dict[str, Any]) -> None:
        services.assessment_update(
            actor=request.user,
            assessment=assessment,
            problem=data["problem"],
            goal=data["goal"],
            preferred_option_key=data["preferred_option_key"] or None,
            preferred_rationale=data["preferred_rationale"],
        )

    return _simple_form_page(
        request,
        assessment,
        form,
        save,
        title=_("Beleidskompas: probleem, doel en voorkeursoptie"),
    )


@permission_required(EDIT, raise_exception=True)
def assessment_terms(request: HttpRequest, key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    initial = {
        "domain_keys": [k for k, _n in _assessment_domains(assessment)],
        "group_keys": [k for k, _n in _assessment_groups(assessment)],
    }
    form = TermsForm(
        _posted(request),
        initial=initial,
        domains=_term_choices(domain_list()),
        groups=_term_choices(group_list()),
    )

    def save(data: dict[str, Any]) -> None:
        services.assessment_terms_set(
            actor=request.user,
            assessment=assessment,
            domain_keys=data["domain_keys"],
            group_keys=data["group_keys"],
        )

    return _simple_form_page(
        request,
        assessment,
        form,
        save,
        title=_("Impactdomeinen en groepen"),
        intro=_(
            "De rijen (domeinen) en kolommen (groepen) van de matrix. Oordelen over een domein "
            "of groep die u weghaalt, tellen niet meer mee."
        ),
    )


@permission_required(EDIT, raise_exception=True)
def group_size(request: HttpRequest, key: str, group_key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    row = next(
        (g for g in assessment.groups.select_related("group") if g.group.key == group_key), None
    )
    if row is None:
        raise Http404
    shown = next(
        r
        for r in selectors.assessment_group_rows(assessment=assessment, user=request.user)
        if r["group"].pk == row.group_id
    )
    indicator_visible = bool(row.size_indicator_id) and can_view(
        user=request.user, obj=row.size_indicator
    )
    initial = {
        "size": row.size,
        "size_source": shown["source"],
        "size_as_of": row.size_as_of,
        "size_indicator_key": row.size_indicator.key if indicator_visible else "",
    }
    form = GroupSizeForm(_posted(request), initial=initial, indicators=_indicator_choices(request))

    def save(data: dict[str, Any]) -> None:
        services.assessment_group_size_set(
            actor=request.user,
            assessment=assessment,
            group_key=group_key,
            size=data["size"],
            size_source=data["size_source"],
            size_as_of=data["size_as_of"],
            size_indicator_key=data["size_indicator_key"] or None,
        )

    return _simple_form_page(
        request,
        assessment,
        form,
        save,
        title=_("Omvang van de groep %(group)s") % {"group": row.group.name},
    )


@permission_required(EDIT, raise_exception=True)
def assessment_weights(request: HttpRequest, key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    domains, groups = _assessment_domains(assessment), _assessment_groups(assessment)
    form = WeightsForm(
        _posted(request),
        initial=WeightsForm.initial_from(assessment.weights, assessment.constraints),
        domains=domains,
        groups=groups,
    )

    def save(data: dict[str, Any]) -> None:
        services.assessment_update(
            actor=request.user,
            assessment=assessment,
            weights=form.weights(),
            constraints=data["constraints"],
        )

    return _simple_form_page(
        request,
        assessment,
        form,
        save,
        title=_("Gewichten en ordeningen"),
        template="assessments/edit/weights.html",
    )


@require_POST
@permission_required(EDIT, raise_exception=True)
def assessment_status_change(request: HttpRequest, key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_status_set(
                actor=request.user,
                assessment=assessment,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De status is gewijzigd."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("assessments:detail", key=assessment.key)


# --- options ------------------------------------------------------------------------------------


def _catalog_choices(request: HttpRequest) -> dict[str, list[tuple[str, str]]]:
    return {
        "packages": [(p.key, p.name_nl) for p in package_list(user=request.user)],
        "measures": [(m.key, m.name_nl) for m in measure_list(user=request.user)],
    }


@permission_required(EDIT, raise_exception=True)
def option_create(request: HttpRequest, key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    form = OptionForm(_posted(request), **_catalog_choices(request))

    def save(data: dict[str, Any]) -> None:
        services.option_create(
            actor=request.user,
            assessment=assessment,
            name=data["name"],
            key=data["key"] or None,
            package_key=data["package_key"] or None,
            measure_keys=tuple(data["measure_keys"]),
            description=data["description"],
        )

    return _simple_form_page(
        request,
        assessment,
        form,
        save,
        title=_("Optie toevoegen"),
        intro=_(
            "Kies een pakket of maatregelen uit de catalogus, of beschrijf de optie in vrije "
            "tekst. De nuloptie (geen nieuwe maatregel) is er altijd al."
        ),
    )


def option_detail(request: HttpRequest, key: str, option_key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    option = _option(assessment, option_key)
    effectiveness = _effectiveness(option)
    effectiveness_visible = effectiveness is not None and can_view(
        user=request.user, obj=effectiveness
    )
    links = selectors.option_links(option=option, user=request.user)
    return render(
        request,
        "assessments/edit/option.html",
        {
            "assessment": assessment,
            "option": option,
            "package_label": links["package"],
            "measures": links["measures"],
            "support_indicator_label": links["support_indicator"],
            "acceptability_source": links["acceptability_source"],
            "effectiveness": effectiveness if effectiveness_visible else None,
            "effectiveness_hidden": effectiveness is not None and not effectiveness_visible,
            "answers": list(option.rights_answers.select_related("question")),
            "touched": list(option.rights_touched.select_related("right")),
            "can_edit": request.user.has_perm(EDIT),
            "results": _results_links(assessment),
        },
    )


@require_POST
@permission_required(EDIT, raise_exception=True)
def option_delete(request: HttpRequest, key: str, option_key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    option = _option(assessment, option_key)
    try:
        services.option_delete(actor=request.user, option=option)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessments:option", key=key, option_key=option_key)
    messages.success(request, _("De optie is verwijderd."))
    return redirect("assessments:detail", key=key)


SECTIONS = {
    "gegevens": _("Naam en omschrijving"),
    "effectiviteit": _("Effectiviteit (medische kant)"),
    "draagvlak": _("Draagvlak en gedrag"),
    "grondrechten": _("Grondrechten"),
    "waarden": _("Waarden"),
    "etd": _("Van bewijs naar besluit (GRADE)"),
}


@permission_required(EDIT, raise_exception=True)
def option_section(request: HttpRequest, key: str, option_key: str, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404
    assessment = _assessment(request, key)
    option = _option(assessment, option_key)
    post = _posted(request)
    form: Any
    extra: dict[str, Any] = {"option": option}
    actor = request.user

    if section == "gegevens":
        links = selectors.option_links(option=option, user=actor)
        package_visible = bool(option.package_id) and can_view(user=actor, obj=option.package)
        form = OptionForm(
            post,
            initial={
                "name": option.name,
                "description": option.description,
                "package_key": option.package.key if package_visible else "",
                "measure_keys": [m.key for m in links["measures"]],
            },
            editing=True,
            **_catalog_choices(request),
        )
        hidden_links = (bool(option.package_id) and not package_visible) or len(
            links["measures"]
        ) < option.measures.count()
        if hidden_links:
            extra["intro"] = _(
                "Deze optie hoort ook bij een pakket of maatregelen die u niet mag zien. "
                "Die blijven gekoppeld als u opslaat."
            )

        def save(data: dict[str, Any]) -> None:
            services.option_update(
                actor=actor,
                option=option,
                name=data["name"],
                description=data["description"],
                package_key=data["package_key"] or None,
                measure_keys=tuple(data["measure_keys"]),
            )

    elif section == "effectiviteit":
        current = _effectiveness(option)
        if current is not None and not can_view(user=actor, obj=current):
            raise Http404
        initial = (
            {
                f: getattr(current, f)
                for f in ("outcome", "estimate", "low", "high", "unit", "source", "note")
            }
            | {"confidentiality": current.confidentiality}
            if current is not None
            else {}
        )
        form = EffectivenessForm(post, initial=initial)
        extra["can_clear"] = current is not None
        if request.method == "POST" and request.POST.get("action") == "clear":
            services.effectiveness_clear(actor=actor, option=option)
            messages.success(request, _("De effectiviteit is gewist."))
            return redirect("assessments:option", key=key, option_key=option_key)

        def save(data: dict[str, Any]) -> None:
            services.effectiveness_set(actor=actor, option=option, **data)

    elif section == "draagvlak":
        fields = (
            "support",
            "support_low",
            "support_high",
            "compliance",
            "acceptability_source",
            "effect_on_effectiveness",
        )
        initial = {f: getattr(option, f) for f in fields}
        links = selectors.option_links(option=option, user=actor)
        initial["acceptability_source"] = links["acceptability_source"]
        initial["support_indicator_key"] = (
            option.support_indicator.key
            if option.support_indicator_id and can_view(user=actor, obj=option.support_indicator)
            else ""
        )
        form = AcceptabilityForm(post, initial=initial, indicators=_indicator_choices(request))

        def save(data: dict[str, Any]) -> None:
            values = dict(data)
            values["support_indicator_key"] = values["support_indicator_key"] or None
            services.option_update(actor=actor, option=option, **values)

    elif section == "waarden":
        fields = ("justice", "solidarity", "equal_opportunities", "future_generations")
        form = ValuesForm(post, initial={f: getattr(option, f) for f in fields})

        def save(data: dict[str, Any]) -> None:
            services.option_update(actor=actor, option=option, **data)

    elif section == "etd":
        fields = tuple(EtdForm.base_fields)
        form = EtdForm(post, initial={f: getattr(option, f) for f in fields})

        def save(data: dict[str, Any]) -> None:
            services.option_update(actor=actor, option=option, **data)

    else:  # grondrechten
        questions = list(selectors.rights_questions())
        # Active rights plus deactivated ones this option already touches (kept on save).
        rights = [(r.key, str(r)) for r in selectors.rights_choices(option=option)]
        answers = {(a.question.kind, a.question.key): a for a in option.rights_answers.all()}
        touched = {t.right.key for t in option.rights_touched.select_related("right")}
        initial: dict[str, Any] = {"touched": sorted(touched)}
        for (kind, qkey), answer in answers.items():
            initial[f"{kind}__{qkey}__answer"] = answer.answer
            initial[f"{kind}__{qkey}__note"] = answer.note
        form = RightsForm(post, initial=initial, questions=questions, rights=rights)
        extra["template_rights"] = True

        def save(data: dict[str, Any]) -> None:
            services.option_rights_set(
                actor=actor,
                option=option,
                answers=form.all_answers(),
                touched_keys=list(data["touched"]),
            )

    return _simple_form_page(
        request,
        assessment,
        form,
        save,
        title=f"{SECTIONS[section]}: {option.name}",
        template="assessments/edit/rights.html"
        if section == "grondrechten"
        else "assessments/edit/section.html",
        back=reverse("assessments:option", args=[key, option.key]),
        extra={"section": section, **extra},
    )


# --- the matrix editor --------------------------------------------------------------------------


def _cell_id(domain_key: str, group_key: str) -> str:
    return f"cell-{domain_key}--{group_key}"


def cell_view(
    *,
    assessment: Assessment,
    option: Option,
    domain: dict[str, str],
    group: dict[str, str],
    judgement: Judgement | None,
) -> dict[str, Any]:
    """What one cell shows: the effect as symbol and text, the certainty, and its state."""
    if judgement is None:
        state, symbol, label = "not_assessed", NOT_ASSESSED_SYMBOL, _("niet beoordeeld")
    elif judgement.effect == Effect.UNKNOWN:
        state, symbol, label = "unknown", EFFECT_SYMBOLS[Effect.UNKNOWN], _("onbekend")
    else:
        state = "assessed"
        symbol = EFFECT_SYMBOLS.get(judgement.effect, "")
        label = judgement.get_effect_display()
    certainty = ""
    if judgement is not None and judgement.effect != Effect.UNKNOWN:
        certainty = (
            Certainty(judgement.certainty).label if judgement.certainty else _("niet gegradeerd")
        )
    tone = "none"
    if state == "assessed" and judgement is not None:
        tone = (
            "negative"
            if "negative" in judgement.effect
            else "positive"
            if "positive" in judgement.effect
            else "none"
        )
    return {
        "id": _cell_id(domain["key"], group["key"]),
        "domain": domain,
        "group": group,
        "state": state,
        "tone": tone if state == "assessed" else state,
        "symbol": symbol,
        "label": label,
        "certainty": certainty,
        "url": reverse(
            "assessments:cell", args=[assessment.key, option.key, domain["key"], group["key"]]
        ),
    }


def _grid(assessment: Assessment, option: Option) -> dict[str, Any]:
    """Domains × groups with one ``cell_view`` each, from ``selectors.option_matrix``."""
    matrix = selectors.option_matrix(option=option)
    groups = [_term(g) for g in matrix["groups"]]
    rows = []
    for row in matrix["rows"]:
        domain = _term(row["domain"])
        rows.append(
            {
                "domain": domain,
                "cells": [
                    cell_view(
                        assessment=assessment,
                        option=option,
                        domain=domain,
                        group=_term(cell["group"]),
                        judgement=cell["judgement"],
                    )
                    for cell in row["cells"]
                ],
            }
        )
    return {
        "domains": [row["domain"] for row in rows],
        "groups": groups,
        "rows": rows,
        "counts": matrix.get("counts", {}),
    }


def _term(term: Any) -> dict[str, str]:
    if isinstance(term, dict):
        return {"key": str(term["key"]), "name": str(term.get("name") or term["key"])}
    return {"key": term.key, "name": term.name}


def matrix(request: HttpRequest, key: str, option_key: str) -> HttpResponse:
    assessment = _assessment(request, key)
    option = _option(assessment, option_key)
    return render(
        request,
        "assessments/edit/matrix.html",
        {
            "assessment": assessment,
            "option": option,
            "options": list(assessment.options.all()),
            "grid": _grid(assessment, option),
            "can_edit": request.user.has_perm(EDIT),
            "csrf_header": json.dumps({"X-CSRFToken": _csrf(request)}),
            "results": _results_links(assessment),
        },
    )


def _csrf(request: HttpRequest) -> str:
    return get_token(request)


def _find_cell(grid: dict[str, Any], domain_key: str, group_key: str) -> dict[str, Any] | None:
    for row in grid["rows"]:
        if row["domain"]["key"] != domain_key:
            continue
        for cell in row["cells"]:
            if cell["group"]["key"] == group_key:
                return cell
    return None


def _evidence_options(request: HttpRequest, query: str) -> list[tuple[str, str]]:
    if not query.strip():
        return []
    items = selectors.evidence_choices(user=request.user, query=query[:200])
    return [(item.ref, f"{item.ref} – {item.title}") for item in list(items)[:20]]


def _fiche_options(request: HttpRequest, option: Option) -> list[tuple[int, str]]:
    choices = []
    for cell in selectors.fiche_cell_choices(option=option, user=request.user):
        parts = [
            cell.version.fiche.measure.name_nl,
            cell.domain.name,
            cell.group.name if cell.group_id else _("alle groepen"),
            cell.get_direction_display(),
        ]
        if cell.size:
            parts.append(cell.get_size_display())
        label = " · ".join(str(p) for p in parts)
        choices.append((cell.pk, f"{label} ({_('versie')} {cell.version.number})"))
    return choices


def _judgement_initial(judgement: Judgement | None, user: Any) -> tuple[dict[str, Any], list]:
    if judgement is None:
        return {}, []
    initial = {f: getattr(judgement, f) for f in JUDGEMENT_VALUES}
    evidence = [item for item in judgement.evidence.all() if can_view(user=user, obj=item)]
    initial["evidence_refs"] = [item.ref for item in evidence]
    initial["fiche_cell_ids"] = [c.pk for c in judgement.fiche_cells.all()]
    return initial, [(item.ref, f"{item.ref} – {item.title}") for item in evidence]


@permission_required(EDIT, raise_exception=True)
def cell_edit(
    request: HttpRequest, key: str, option_key: str, domain_key: str, group_key: str
) -> HttpResponse:
    """GET: the cell form (a partial for htmx, a page without JS). POST: save, clear or search."""
    assessment = _assessment(request, key)
    option = _option(assessment, option_key)
    grid = _grid(assessment, option)
    cell = _find_cell(grid, domain_key, group_key)
    if cell is None:
        raise Http404
    can_edit = True
    judgement = option.judgements.filter(domain__key=domain_key, group__key=group_key).first()
    initial, current_evidence = _judgement_initial(judgement, request.user)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    clear_error = ""
    query = (request.POST.get("evidence_q") or request.GET.get("evidence_q") or "")[:200]
    evidence = dict(current_evidence)
    found = _evidence_options(request, query) if action == "search" or query else []
    evidence.update(found)
    form = JudgementForm(
        request.POST if request.method == "POST" and action != "search" else None,
        initial=initial,
        evidence=list(evidence.items()),
        fiche_cells=_fiche_options(request, option),
    )
    if action == "search":
        # Without JavaScript: keep what was typed and show the search results.
        form = JudgementForm(
            initial={**initial, **_posted_values(request)},
            evidence=list(evidence.items()),
            fiche_cells=_fiche_options(request, option),
        )
    elif action == "clear" and can_edit:
        try:
            services.judgement_clear(
                actor=request.user, option=option, domain_key=domain_key, group_key=group_key
            )
        except ValidationError as exc:
            form = JudgementForm(
                initial=initial,
                evidence=list(evidence.items()),
                fiche_cells=_fiche_options(request, option),
            )
            clear_error = " ".join(exc.messages)
        else:
            return _cell_saved(request, assessment, option, domain_key, group_key, _("Gewist"))
    elif action == "save" and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.judgement_set(
                actor=request.user,
                option=option,
                domain_key=domain_key,
                group_key=group_key,
                **judgement_values(data),
            )
        except ValidationError as exc:
            _add_judgement_errors(form, exc)
        else:
            return _cell_saved(request, assessment, option, domain_key, group_key, _("Opgeslagen"))
    context = {
        "assessment": assessment,
        "option": option,
        "cell": cell,
        "form": form,
        "query": query,
        "found": found,
        "searched": bool(query),
        "can_edit": can_edit,
        "clear_error": clear_error,
        "matrix_url": reverse("assessments:matrix", args=[key, option_key]),
        "search_url": reverse("assessments:evidence_search", args=[key]),
    }
    template = (
        "assessments/edit/_cell_form.html" if _is_htmx(request) else "assessments/edit/cell.html"
    )
    return render(request, template, context)


def _posted_values(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in JudgementForm.base_fields:
        if name in ("evidence_refs", "fiche_cell_ids"):
            values[name] = [v for v in request.POST.getlist(name) if v][:50]
        elif name in request.POST:
            values[name] = request.POST.get(name, "")[:5000]
    return values


def _cell_saved(
    request: HttpRequest,
    assessment: Assessment,
    option: Option,
    domain_key: str,
    group_key: str,
    message: str,
) -> HttpResponse:
    grid = _grid(assessment, option)
    cell = _find_cell(grid, domain_key, group_key)
    assert cell is not None
    announcement = f"{message}: {cell['domain']['name']}, {cell['group']['name']}: {cell['label']}"
    if not _is_htmx(request):
        messages.success(request, announcement)
        return redirect(
            reverse("assessments:matrix", args=[assessment.key, option.key]) + f"#{cell['id']}"
        )
    response = render(request, "assessments/edit/_cell.html", {"cell": cell, "can_edit": True})
    response["HX-Retarget"] = f"#{cell['id']}"
    response["HX-Reswap"] = "outerHTML"
    response["HX-Trigger-After-Settle"] = json.dumps(
        {"paraat:cell-saved": {"cell": cell["id"], "message": announcement}}
    )
    return response


@permission_required(EDIT, raise_exception=True)
def evidence_search(request: HttpRequest, key: str) -> HttpResponse:
    """The evidence picker's results (htmx partial): items the user may see, by ref or title."""
    _assessment(request, key)
    query = request.GET.get("evidence_q", "")[:200]
    chosen = {v for v in request.GET.getlist("evidence_refs") if SLUG.fullmatch(v)}
    found = [(ref, label) for ref, label in _evidence_options(request, query) if ref not in chosen]
    return render(
        request,
        "assessments/edit/_evidence_results.html",
        {"found": found, "query": query, "searched": bool(query.strip())},
    )
