"""Result pages of an assessment: the analysed version, the version list, starting an analysis
or a report (background jobs), downloading the report, and the methodology page.

Every page reads through the selectors: the assessment only when the user may see it (404
otherwise), the result masked for the user (``selectors.version_result``). The medical
effectiveness on these pages comes only from that masked result.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paraat.assessments import selectors, services, tasks
from paraat.assessments.models import Assessment, AssessmentVersion
from paraat.assessments.permissions import ANALYSE_PERM
from paraat.assessments.reports import ReportError, report_data
from paraat.jobs.files import job_file_download
from paraat.panels import selectors as panel_selectors

MIN_SAMPLES = 100
MAX_SAMPLES = 200_000


class AnalyseForm(forms.Form):
    samples = forms.IntegerField(
        label=gettext_lazy("Aantal trekkingen (SMAA)"),
        min_value=MIN_SAMPLES,
        max_value=MAX_SAMPLES,
        help_text=gettext_lazy(
            "Meer trekkingen geven stabielere kansen maar duren langer; 10.000 is gebruikelijk."
        ),
        error_messages={
            "required": gettext_lazy("Vul het aantal trekkingen in."),
            "invalid": gettext_lazy("Vul een geheel getal in."),
            "min_value": gettext_lazy("Kies minstens %(limit_value)s trekkingen."),
            "max_value": gettext_lazy("Kies hoogstens %(limit_value)s trekkingen."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Toelichting bij deze versie (optioneel)"),
        max_length=500,
        required=False,
    )


class ReportForm(forms.Form):
    fmt = forms.ChoiceField(
        label=gettext_lazy("Formaat"),
        choices=[
            ("pdf", gettext_lazy("PDF (om te lezen en af te drukken)")),
            ("docx", gettext_lazy("Word (DOCX, om verder te bewerken)")),
            ("html", gettext_lazy("HTML (één bestand)")),
            ("md", gettext_lazy("Markdown (platte tekst)")),
            ("json", gettext_lazy("JSON (het resultaat, paraat-assessment-result/1)")),
        ],
        initial="pdf",
        error_messages={"invalid_choice": gettext_lazy("Kies een van de formaten.")},
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _version_number(request: HttpRequest) -> int | None:
    """``?versie=N`` as a number; anything else that is given is a 404 (never a 500)."""
    raw = request.GET.get("versie")
    if raw is None or raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise Http404 from None
    if number < 1 or number > 2**31:
        raise Http404
    return number


def _methodology_url() -> str:
    return reverse("assessments:methodology")


def _chart_data(data: dict[str, Any]) -> dict[str, Any]:
    """The scatter for results.js: only options whose effectiveness the user may see."""
    points = []
    for row in data["matrix"]:
        if row["masked"] or row["effect"] is None or row["impact"] is None:
            continue
        points.append(
            {
                "label": row["name"],
                "x": row["impact"],
                "xmin": row["impact_low"],
                "xmax": row["impact_high"],
                "y": row["effect"],
                "ymin": row["effect_low"],
                "ymax": row["effect_high"],
            }
        )
    return {
        "points": points,
        "axes": {
            "x": _("Maatschappelijke impact (gewogen; rechts = minder belasting)"),
            "y": _("Effectiviteit"),
        },
    }


def _page(
    request: HttpRequest,
    assessment: Assessment,
    version: AssessmentVersion | None,
    *,
    analyse_form: AnalyseForm | None = None,
    report_form: ReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    latest = selectors.assessment_latest_version(assessment=assessment)
    can_analyse = user.has_perm(ANALYSE_PERM)
    context: dict[str, Any] = {
        "assessment": assessment,
        "version": version,
        "latest": latest,
        "is_latest": version is not None and latest is not None and version.pk == latest.pk,
        "can_analyse": can_analyse,
        "analyse_form": analyse_form
        or (AnalyseForm(initial={"samples": assessment.samples}) if can_analyse else None),
        "report": None,
        "review": [],
        "methodology_url": _methodology_url(),
    }
    if version is not None:
        result = selectors.version_result(version=version, user=user)
        try:
            data = report_data(
                tasks.reader_document(version.document),
                result,
                language=getattr(request, "LANGUAGE_CODE", "") or "nl",
                version=version.number,
                methodology_url=_methodology_url(),
            )
        except ReportError:
            data = None
        context["report"] = data
        context["chart_data"] = _chart_data(data) if data else None
        context["report_form"] = report_form or ReportForm(
            initial={"fmt": "pdf", "versie": version.number}
        )
        context["review"] = selectors.assessment_review_state(assessment=assessment, user=user)
        context["weight_comparisons"] = [
            selectors.weight_scenario_comparison(result=result, scenario=row)
            for row in selectors.version_weight_scenarios(version=version)
        ]
        context["weights_offered"] = can_analyse and bool(
            panel_selectors.weight_distributions_for(assessment=assessment)
        )
    return render(request, "assessments/results/results.html", context, status=status)


def results(request: HttpRequest, key: str) -> HttpResponse:
    """The latest analysed version (``?versie=N`` for an older one)."""
    assessment = selectors.assessment_get(user=request.user, key=key)
    number = _version_number(request)
    if number is None:
        version = selectors.assessment_latest_version(assessment=assessment)
    else:
        version = selectors.assessment_version_get(assessment=assessment, number=number)
    return _page(request, assessment, version)


def versions(request: HttpRequest, key: str) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, key=key)
    rows = list(selectors.assessment_versions(assessment=assessment))
    return render(
        request,
        "assessments/results/versions.html",
        {"assessment": assessment, "versions": rows},
    )


def analyse(request: HttpRequest, key: str) -> HttpResponse:
    """POST: start the analysis job and go to its progress page."""
    assessment = selectors.assessment_get(user=request.user, key=key)
    if request.method != "POST":
        return redirect(reverse("assessments:results", kwargs={"key": key}) + "#analyse")
    if not request.user.has_perm(ANALYSE_PERM):
        raise PermissionDenied
    form = AnalyseForm(request.POST)
    if not form.is_valid():
        version = selectors.assessment_latest_version(assessment=assessment)
        return _page(request, assessment, version, analyse_form=form, status=400)
    job = tasks.analyse_start(
        user=request.user,  # type: ignore[arg-type]
        assessment=assessment,
        samples=form.cleaned_data["samples"],
        note=form.cleaned_data.get("note") or "",
    )
    return redirect("jobs:detail", job_id=job.pk)


def citizen_weights(request: HttpRequest, key: str) -> HttpResponse:
    """POST: analyse the latest version again under every weight distribution a citizen panel
    offers to this assessment (SMAA-2 with the same seed; fast, so not a background job)."""
    assessment = selectors.assessment_get(user=request.user, key=key)
    target = reverse("assessments:results", kwargs={"key": key}) + "#burgergewichten"
    if request.method != "POST":
        return redirect(target)
    if not request.user.has_perm(ANALYSE_PERM):
        raise PermissionDenied
    version = selectors.assessment_latest_version(assessment=assessment)
    if version is None:
        raise Http404
    rows = services.weight_scenarios_refresh(actor=request.user, version=version)
    if rows:
        messages.success(
            request, _("Opnieuw berekend met %(n)s gewichtenverdeling(en).") % {"n": len(rows)}
        )
    else:
        messages.warning(request, _("Er is geen bruikbare gewichtenverdeling van een burgerpanel."))
    return redirect(target)


def report(request: HttpRequest, key: str) -> HttpResponse:
    """POST: start the report job for one version and format; go to its progress page."""
    assessment = selectors.assessment_get(user=request.user, key=key)
    if request.method != "POST":
        return redirect(reverse("assessments:results", kwargs={"key": key}) + "#rapport")
    form = ReportForm(request.POST)
    if not form.is_valid():
        number = form.cleaned_data.get("versie") if hasattr(form, "cleaned_data") else None
        version = (
            assessment.versions.filter(number=number).first()
            if number
            else selectors.assessment_latest_version(assessment=assessment)
        )
        return _page(request, assessment, version, report_form=form, status=400)
    version = selectors.assessment_version_get(
        assessment=assessment, number=form.cleaned_data["versie"]
    )
    try:
        job = tasks.report_start(
            user=request.user,  # type: ignore[arg-type]
            version=version,
            fmt=form.cleaned_data["fmt"],
            language=getattr(request, "LANGUAGE_CODE", "") or "nl",
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, assessment, version, report_form=form, status=400)
    return redirect("jobs:detail", job_id=job.pk)


def report_download(request: HttpRequest, key: str, job_id: Any) -> HttpResponse:
    """The finished report as an attachment; 404 for anyone who may not have it."""
    return job_file_download(job_id, lambda job: tasks.report_file_for(job, request.user, key=key))


@login_not_required
def methodology(request: HttpRequest) -> HttpResponse:
    """Every formula and parameter of the analysis, in the interface (public)."""
    return render(
        request,
        "assessments/results/methodology.html",
        {"site_url": settings.PARAAT_SITE_URL},
    )
