"""Pages of the measures catalog. Views parse input, call selectors/services and render."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from paraat.measures import selectors, services, timeline
from paraat.measures.forms import (
    DayForm,
    MeasureForm,
    OxcgrtUploadForm,
    PackageForm,
    PackageItemFormSet,
    TimelineEventForm,
    VaccinatedShareForm,
)
from paraat.measures.models import MeasureCategory, PackageKind
from paraat.measures.services import PackageData
from paraat.measures.whatif import package_what_if
from paraat.taxonomies.selectors import group_list, sector_list
from paraat.web.viewhelpers import add_errors, object_history
from paraat_core.oxcgrt.indicators import INDICATORS, level_description


@login_not_required
def measure_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "query": request.GET.get("q", "").strip()[:200],
        "category": request.GET.get("category", ""),
        "indicator": request.GET.get("indicator", ""),
        "group": request.GET.get("group", ""),
        "sector": request.GET.get("sector", ""),
    }
    measures = selectors.measure_list(user=request.user, **filters)
    return render(
        request,
        "measures/measure_list.html",
        {
            "measures": measures,
            "filters": filters,
            "categories": MeasureCategory.choices,
            "indicators": [(c, i.name) for c, i in INDICATORS.items()],
            "groups": group_list(),
            "sectors": sector_list(),
        },
    )


def _level_description(spec: Any, level: int | None) -> str:
    if spec is None or level is None:
        return ""
    try:
        return level_description(spec.code, level)
    except ValueError:
        return ""


@login_not_required
def measure_detail(request: HttpRequest, key: str) -> HttpResponse:
    measure = selectors.measure_get(user=request.user, key=key)
    if measure is None:
        raise Http404
    spec = INDICATORS.get(measure.oxcgrt_indicator) if measure.oxcgrt_indicator else None
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "spec": spec,
            "level_description": _level_description(spec, measure.level),
            "packages": selectors.packages_for_measure(user=request.user, measure=measure),
            "history": object_history(request, measure),
        },
    )


def _measure_form_view(request: HttpRequest, key: str | None) -> HttpResponse:
    measure = selectors.measure_get(user=request.user, key=key) if key else None
    if key and measure is None:
        raise Http404
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            if measure is None:
                measure = services.measure_create(data=form.to_data())
                messages.success(request, _("De maatregel is toegevoegd."))
            else:
                measure = services.measure_update(measure=measure, data=form.to_data())
                messages.success(request, _("De maatregel is opgeslagen."))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("measures:measure_detail", key=measure.key)
    return render(request, "measures/measure_form.html", {"form": form, "measure": measure})


@permission_required("measures.add_measure", raise_exception=True)
def measure_create(request: HttpRequest) -> HttpResponse:
    return _measure_form_view(request, None)


@permission_required("measures.change_measure", raise_exception=True)
def measure_edit(request: HttpRequest, key: str) -> HttpResponse:
    return _measure_form_view(request, key)


@login_not_required
def package_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()[:200]
    packages = selectors.package_list(user=request.user, kind=kind, query=query)
    return render(
        request,
        "measures/package_list.html",
        {"packages": packages, "kinds": PackageKind.choices, "kind": kind, "query": query},
    )


@login_not_required
def package_detail(request: HttpRequest, key: str) -> HttpResponse:
    package = selectors.package_get(user=request.user, key=key)
    if package is None:
        raise Http404
    items = list(package.items.all())  # the selector keeps only measures the user may see
    vaccinated_form = VaccinatedShareForm(request.GET or None)
    share = vaccinated_form.cleaned_data["vaccinated"] if vaccinated_form.is_valid() else None
    return render(
        request,
        "measures/package_detail.html",
        {
            "package": package,
            "items": items,
            "vaccinated_form": vaccinated_form,
            "whatif": package_what_if(
                package=package, items=items, vaccinated_percent=share or 0.0
            ),
            "history": object_history(request, package),
        },
    )


def _package_form_view(request: HttpRequest, key: str | None) -> HttpResponse:
    package = selectors.package_get(user=request.user, key=key) if key else None
    if key and package is None:
        raise Http404
    initial_items = [
        {
            "measure": item.measure,
            "level": item.level,
            "geographic_scope": item.geographic_scope,
            "applies_to": item.applies_to,
            "note": item.note,
        }
        for item in (package.items.all() if package else [])
    ]
    form = PackageForm(request.POST or None, instance=package)
    formset = PackageItemFormSet(
        request.POST or None,
        initial=initial_items,
        prefix="items",
        form_kwargs={"measures": selectors.measure_list(user=request.user)},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = tuple(
            data
            for item_form in formset.forms
            if not item_form.cleaned_data.get("DELETE")
            and (data := item_form.to_data()) is not None
        )
        d = form.cleaned_data
        data = PackageData(
            key=d["key"],
            name_nl=d["name_nl"],
            name_en=d["name_en"],
            description_nl=d["description_nl"],
            description_en=d["description_en"],
            kind=d["kind"],
            jurisdiction=d["jurisdiction"],
            scope=d["scope"],
            vaccination_differentiation=d["vaccination_differentiation"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            scenario_level=d["scenario_level"],
            sector_key=d["sector"].key if d["sector"] else "",
            source=d["source"],
            confidentiality=d["confidentiality"],
            is_synthetic=d["is_synthetic"],
            items=items,
        )
        try:
            if package is None:
                package = services.package_create(data=data)
            else:
                package = services.package_update(package=package, data=data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Het pakket is opgeslagen."))
            return redirect("measures:package_detail", key=package.key)
    return render(
        request,
        "measures/package_form.html",
        {"form": form, "formset": formset, "package": package},
    )


@permission_required("measures.add_package", raise_exception=True)
def package_create(request: HttpRequest) -> HttpResponse:
    return _package_form_view(request, None)


@permission_required("measures.change_package", raise_exception=True)
def package_edit(request: HttpRequest, key: str) -> HttpResponse:
    return _package_form_view(request, key)


def _parse_day(raw: str | None) -> dt.date | None:
    form = DayForm({"day": raw or ""})
    if form.is_valid():
        return form.cleaned_data["day"]
    return None


@login_not_required
def timeline_page(request: HttpRequest) -> HttpResponse:
    raw_day = request.GET.get("day")
    day = _parse_day(raw_day)
    day_error = bool(raw_day) and day is None
    data = timeline.netherlands_timeline(user=request.user, day=day)
    return render(
        request,
        "measures/timeline.html",
        {"timeline": data, "day_error": day_error, "raw_day": raw_day or ""},
    )


@login_not_required
def timeline_csv(request: HttpRequest) -> HttpResponse:
    data = timeline.netherlands_timeline(user=request.user, day=None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="paraat-tijdlijn-nederland.csv"'
    writer = csv.writer(response)
    writer.writerow(timeline.CSV_HEADER)
    for row in data.rows:
        writer.writerow(row.as_csv())
    return response


@permission_required("measures.import_oxcgrt", raise_exception=True)
def oxcgrt_import(request: HttpRequest) -> HttpResponse:
    from paraat.measures.imports import oxcgrt_import_start

    form = OxcgrtUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = oxcgrt_import_start(upload=form.cleaned_data["file"], user=request.user)  # type: ignore[arg-type]
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "measures/oxcgrt_import.html", {"form": form})


@login_not_required
def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measures/jurisdiction_list.html",
        {"summaries": selectors.jurisdiction_summaries()},
    )


@login_not_required
def jurisdiction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    jurisdiction = selectors.jurisdiction_get(pk=pk)
    if jurisdiction is None:
        raise Http404
    raw_day = request.GET.get("day")
    view = timeline.jurisdiction_timeline(
        jurisdiction=jurisdiction,
        index=request.GET.get("index", ""),
        day=_parse_day(raw_day),
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True,
            filename=slugify(f"paraat-{jurisdiction.code}-{view.index}") + ".csv",
        )
        writer = csv.writer(response)
        writer.writerow(["date", *[f"{view.index} ({source})" for source in view.sources]])
        for day, values in view.rows:
            writer.writerow([day.isoformat(), *["" if v is None else f"{v:g}" for v in values]])
        return response
    return render(
        request,
        "measures/jurisdiction_detail.html",
        {"view": view, "day_error": bool(raw_day) and view.day is None, "raw_day": raw_day or ""},
    )


@permission_required("measures.add_timelineevent", raise_exception=True)
def timeline_event_create(request: HttpRequest) -> HttpResponse:
    jurisdiction = selectors.jurisdiction_netherlands()
    if jurisdiction is None:
        raise Http404
    form = TimelineEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.timeline_event_create(jurisdiction=jurisdiction, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("De gebeurtenis is toegevoegd aan de tijdlijn."))
            return redirect(f"{reverse('measures:timeline')}?day={event.date.isoformat()}#in-force")
    return render(request, "measures/timeline_event_form.html", {"form": form})
