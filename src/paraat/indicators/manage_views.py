"""Management pages of the societal picture (mounted at ``maatschappelijk-beeld/beheer/``).

Imports (as background jobs with progress and a report), the scheduled refresh on demand,
recomputing a composite index, signal rules, and each user's own signal digest subscription.
Views parse, call the services in :mod:`paraat.indicators.imports` and render. Every page needs
a login (the site's middleware); the management pages need the role permissions of the
societal picture (beheerder, CPO/secretariaat), the subscription page only a login.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paraat.accounts.selectors import visible_levels
from paraat.indicators import imports, services
from paraat.indicators.manage_forms import (
    RULE_HELP,
    IndicatorForm,
    IndicatorImportForm,
    SignalRuleForm,
    SignalSubscriptionForm,
)
from paraat.indicators.models import ImportBatch, Indicator, SignalRule, SignalSubscription
from paraat.indicators.permissions import (
    IMPORT_PERM,
    INDICATOR_ADD_PERM,
    INDICATOR_CHANGE_PERM,
    MANAGE_PERMS,
    RECOMPUTE_PERM,
    RULE_ADD_PERM,
    RULE_CHANGE_PERM,
)
from paraat.indicators.refresh import indicators_refresh_start
from paraat.indicators.selectors import composite_indices_visible, indicators_visible
from paraat.indicators.services import signal_rule_create
from paraat.web.viewhelpers import add_errors

REPORT_MAX_ROWS = 5000  # rejections shown on the report page; the stored report has them all


def _require_any(request: HttpRequest) -> None:
    if not any(request.user.has_perm(perm) for perm in MANAGE_PERMS):
        raise PermissionDenied


def overview(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    user = request.user
    visible = indicators_visible(user=user)  # type: ignore[arg-type]
    indices = composite_indices_visible(user=user).annotate(  # type: ignore[arg-type]
        last_run=Max("runs__created_at")
    )
    rules = SignalRule.objects.filter(indicator__in=visible).select_related("indicator")
    return render(
        request,
        "indicators/manage/overview.html",
        {
            "batches": ImportBatch.objects.select_related("created_by")[:30],
            "indices": indices,
            "rules": rules,
            "can_import": user.has_perm(IMPORT_PERM),
            "can_add_rule": user.has_perm(RULE_ADD_PERM),
            "can_change_rule": user.has_perm(RULE_CHANGE_PERM),
            "can_recompute": user.has_perm(RECOMPUTE_PERM),
        },
    )


@require_POST
@permission_required(IMPORT_PERM, raise_exception=True)
def refresh(request: HttpRequest) -> HttpResponse:
    job = indicators_refresh_start(user=request.user)  # type: ignore[arg-type]
    return redirect("jobs:detail", job_id=job.pk)


@require_POST
@permission_required(RECOMPUTE_PERM, raise_exception=True)
def composite_recompute(request: HttpRequest, key: str) -> HttpResponse:
    index = composite_indices_visible(user=request.user).filter(key=key).first()  # type: ignore[arg-type]
    if index is None:
        raise Http404
    job = imports.composite_recompute_start(index=index, user=request.user)  # type: ignore[arg-type]
    return redirect("jobs:detail", job_id=job.pk)


# --- import -----------------------------------------------------------------------------------


@permission_required(IMPORT_PERM, raise_exception=True)
def indicator_import(request: HttpRequest) -> HttpResponse:
    indicators = indicators_visible(user=request.user)  # type: ignore[arg-type]
    form = IndicatorImportForm(request.POST or None, request.FILES or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        job = imports.indicator_import_start(
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            options=form.options(),
            user=request.user,  # type: ignore[arg-type]
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "indicators/manage/import.html", {"form": form})


@permission_required(IMPORT_PERM, raise_exception=True)
def import_report(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    report: dict[str, Any] = batch.report or {}
    rejected = list(report.get("rejected") or [])
    keys = [str(k) for k in report.get("indicators") or []]
    shown = set(
        indicators_visible(user=request.user)  # type: ignore[arg-type]
        .filter(key__in=keys)
        .values_list("key", flat=True)
    )
    return render(
        request,
        "indicators/manage/import_report.html",
        {
            "batch": batch,
            "report": report,
            "rejected": rejected[:REPORT_MAX_ROWS],
            "rejected_total": len(rejected),
            "rejected_more": max(0, len(rejected) - REPORT_MAX_ROWS),
            "indicators": [k for k in keys if k in shown],
            "hidden": len([k for k in keys if k not in shown]),
        },
    )


# --- signal rules -----------------------------------------------------------------------------


@permission_required(RULE_ADD_PERM, raise_exception=True)
def rule_create(request: HttpRequest) -> HttpResponse:
    indicators = indicators_visible(user=request.user)  # type: ignore[arg-type]
    form = SignalRuleForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            signal_rule_create(
                indicator=form.cleaned_data["indicator"],
                kind=form.cleaned_data["kind"],
                params=form.cleaned_data["params"],
                breakdown=form.cleaned_data["breakdown"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("De signaalregel is toegevoegd."))
            return redirect("indicator_manage:overview")
    return render(
        request, "indicators/manage/rule_form.html", {"form": form, "rule_help": RULE_HELP}
    )


@require_POST
@permission_required(RULE_CHANGE_PERM, raise_exception=True)
def rule_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    visible = indicators_visible(user=request.user)  # type: ignore[arg-type]
    rule = SignalRule.objects.filter(pk=pk, indicator__in=visible).first()
    if rule is None:
        raise Http404
    active = request.POST.get("active") == "1"
    services.signal_rule_set_active(rule=rule, active=active)
    if active:
        messages.success(request, _("De signaalregel staat weer aan."))
    else:
        messages.success(request, _("De signaalregel staat uit; eerdere signalen blijven staan."))
    return redirect("indicator_manage:overview")


# --- the user's own digest subscription -------------------------------------------------------


def subscription(request: HttpRequest) -> HttpResponse:
    current = SignalSubscription.objects.filter(user=request.user).first()
    initial: dict[str, Any] = {"is_active": True, "min_severity": "warning"}
    if current is not None:
        initial = {
            "is_active": current.is_active,
            "min_severity": current.min_severity,
            "domains": list(current.domains.all()),
        }
    form = SignalSubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_subscription_save(
                user=request.user,  # type: ignore[arg-type]
                is_active=form.cleaned_data["is_active"],
                min_severity=form.cleaned_data["min_severity"],
                domains=list(form.cleaned_data["domains"]),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if form.cleaned_data["is_active"]:
                messages.success(request, _("Uw abonnement op signalen is opgeslagen."))
            else:
                messages.success(request, _("U ontvangt geen overzicht van signalen meer."))
            return redirect("indicator_manage:subscription")
    return render(
        request,
        "indicators/manage/subscription.html",
        {"form": form, "subscription": current, "has_email": bool(request.user.email)},  # type: ignore[union-attr]
    )


# --- indicator definitions and their release calendar -----------------------------------------


def indicator_list(request: HttpRequest) -> HttpResponse:
    """The indicators the user may see, with their rhythm and the last date in the calendar."""
    user = request.user
    can_add, can_change = user.has_perm(INDICATOR_ADD_PERM), user.has_perm(INDICATOR_CHANGE_PERM)
    if not (can_add or can_change):
        raise PermissionDenied
    indicators = (
        indicators_visible(user=user)  # type: ignore[arg-type]
        .annotate(last_release=Max("releases__expected_on"))
        .order_by("key")
    )
    return render(
        request,
        "indicators/manage/indicator_list.html",
        {"indicators": indicators, "can_add": can_add, "can_change": can_change},
    )


@permission_required(INDICATOR_ADD_PERM, raise_exception=True)
def indicator_create(request: HttpRequest) -> HttpResponse:
    return _indicator_form(request, None)


@permission_required(INDICATOR_CHANGE_PERM, raise_exception=True)
def indicator_edit(request: HttpRequest, key: str) -> HttpResponse:
    indicator = indicators_visible(user=request.user).filter(key=key).first()  # type: ignore[arg-type]
    if indicator is None:
        raise Http404
    return _indicator_form(request, indicator)


def _indicator_form(request: HttpRequest, indicator: Indicator | None) -> HttpResponse:
    """The definition and release calendar of a new (``None``) or existing indicator."""
    form = IndicatorForm(
        request.POST if request.method == "POST" else None,
        indicator=indicator,
        levels=visible_levels(user=request.user),  # type: ignore[arg-type]
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_definition_save(
                key=indicator.key if indicator is not None else form.cleaned_data["key"],
                definition=form.definition(),
                release_calendar=form.cleaned_data["release_calendar"],
                breakdowns=form.cleaned_data["breakdowns"],
                create=indicator is None,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("De indicator %(name)s en zijn publicatiekalender zijn opgeslagen.")
                % {"name": saved.name},
            )
            return redirect("indicator_manage:indicator_list")
    return render(
        request, "indicators/manage/indicator_form.html", {"form": form, "indicator": indicator}
    )
