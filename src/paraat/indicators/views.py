"""Pages of the public societal picture (maatschappelijk beeld).

Views parse input (the optional ``?peildatum=YYYY-MM-DD``), call :mod:`paraat.indicators.dashboard`
and render. Every page is public; the selectors show each user only what they may see, so the
public sees public indicators only.
"""

from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paraat.indicators import dashboard as board
from paraat.indicators.models import Severity
from paraat.web.public_cache import public_fragment

EARLIEST = dt.date(1900, 1, 1)


class PeildatumForm(forms.Form):
    peildatum = forms.DateField(
        label=gettext_lazy("Peildatum"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Toon wat er op die dag bekend was (leeg: vandaag)."),
        error_messages={"invalid": gettext_lazy("Vul een geldige datum in (jjjj-mm-dd).")},
    )

    def clean_peildatum(self) -> dt.date | None:
        day = self.cleaned_data.get("peildatum")
        if day is None:
            return None
        if day > timezone.localdate():
            raise forms.ValidationError(_("De peildatum ligt in de toekomst."))
        if day < EARLIEST:
            raise forms.ValidationError(_("Kies een peildatum na 1900."))
        return day


class DayForm(forms.Form):
    day = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


def _peildatum(request: HttpRequest) -> tuple[PeildatumForm, dt.datetime | None, dt.date | None]:
    """The form and, when it is valid and filled in, the end of that day (as_of) and the day."""
    raw = request.GET.get("peildatum", "")
    form = PeildatumForm({"peildatum": raw[:20]} if raw else None)
    if not raw or not form.is_valid() or form.cleaned_data["peildatum"] is None:
        return form, None, None
    day: dt.date = form.cleaned_data["peildatum"]
    as_of = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    return form, as_of, day


def _keep(day: dt.date | None) -> str:
    """The query string that carries the peildatum to the next page ('' without one)."""
    return "?" + urlencode({"peildatum": day.isoformat()}) if day else ""


def _csv_response(filename: str, header: list[str], rows: list[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@login_not_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form, as_of, day = _peildatum(request)

    def body() -> str:
        data = board.dashboard(request.user, as_of=as_of, today=day)
        context = {"board": data, "peildatum_form": form, "peildatum": day, "keep": _keep(day)}
        return render_to_string("indicators/_dashboard_body.html", context, request=request)

    if request.user.is_authenticated or "peildatum" in request.GET:
        html = mark_safe(body())  # noqa: S308 -- the template's escaped output
    else:  # the picture of today as the public sees it: the same for every visitor
        html = public_fragment(name="indicators:dashboard", parts=(), render=body)
    return render(request, "indicators/dashboard.html", {"body": html})


def _bad_peildatum() -> HttpResponse:
    return HttpResponse(
        _("Ongeldige peildatum: vul een datum in als jjjj-mm-dd, niet in de toekomst."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@login_not_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    _form, as_of, day = _peildatum(request)
    if request.GET.get("peildatum") and day is None:
        return _bad_peildatum()
    data = board.dashboard(request.user, as_of=as_of, today=day)
    stamp = (day or timezone.localdate()).isoformat()
    return _csv_response(
        f"paraat-maatschappelijk-beeld-{stamp}.csv", board.DASHBOARD_CSV_HEADER, data.csv_rows()
    )


def _day(request: HttpRequest) -> tuple[dt.date | None, bool]:
    raw = request.GET.get("day", "")
    if not raw:
        return None, False
    form = DayForm({"day": raw[:20]})
    if form.is_valid() and form.cleaned_data["day"] is not None:
        return form.cleaned_data["day"], False
    return None, True


@login_not_required
def indicator_detail(request: HttpRequest, key: str) -> HttpResponse:
    form, as_of, peildatum = _peildatum(request)
    day, day_error = _day(request)
    detail = board.indicator_detail(
        request.user,
        key,
        as_of=as_of,
        today=peildatum,
        day=day,
    )
    if detail is None:
        raise Http404
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "detail": detail,
            "tile": detail.tile,
            "indicator": detail.indicator,
            "peildatum_form": form,
            "peildatum": peildatum,
            "keep": _keep(peildatum),
            "day_error": day_error,
        },
    )


@login_not_required
def indicator_csv(request: HttpRequest, key: str) -> HttpResponse:
    _form, as_of, peildatum = _peildatum(request)
    if request.GET.get("peildatum") and peildatum is None:
        return HttpResponse(
            _("Ongeldige peildatum: vul een datum in als jjjj-mm-dd, niet in de toekomst."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    detail = board.indicator_detail(request.user, key, as_of=as_of, today=peildatum)
    if detail is None:
        raise Http404
    suffix = f"-{peildatum.isoformat()}" if peildatum else ""
    return _csv_response(
        f"paraat-{detail.indicator.key}{suffix}.csv", board.DETAIL_CSV_HEADER, detail.csv_rows()
    )


@login_not_required
def composite_page(request: HttpRequest, key: str) -> HttpResponse:
    form, as_of, peildatum = _peildatum(request)
    detail = board.composite_detail(request.user, key, as_of=as_of)
    if detail is None:
        raise Http404
    return render(
        request,
        "indicators/composite_detail.html",
        {
            "detail": detail,
            "summary": detail.summary,
            "peildatum_form": form,
            "peildatum": peildatum,
            "keep": _keep(peildatum),
        },
    )


COMPOSITE_CSV_HEADER = [
    "index",
    "population",
    "period",
    "central",
    "median",
    "p05",
    "p95",
    "coverage",
]


@login_not_required
def composite_csv(request: HttpRequest, key: str) -> HttpResponse:
    _form, as_of, day = _peildatum(request)
    if request.GET.get("peildatum") and day is None:
        return _bad_peildatum()
    detail = board.composite_detail(request.user, key, as_of=as_of)
    if detail is None:
        raise Http404
    return _csv_response(
        f"paraat-index-{detail.index.key}.csv", COMPOSITE_CSV_HEADER, detail.csv_rows()
    )


@login_not_required
def signal_list(request: HttpRequest) -> HttpResponse:
    form, as_of, peildatum = _peildatum(request)
    severity = request.GET.get("ernst", "")
    rows = board.signal_list(user=request.user, as_of=as_of)
    if severity in Severity.values:
        rows = rows.filter(severity=severity)
    else:
        severity = ""
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/signal_list.html",
        {
            "page": page,
            "signals": board.label_signals(page.object_list),
            "severity": severity,
            "severities": Severity.choices,
            "peildatum_form": form,
            "peildatum": peildatum,
            "keep": _keep(peildatum),
        },
    )


@login_not_required
def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/methodology.html",
        {
            "trend_periods": board.TREND_PERIODS,
            "spark_periods": board.SPARK_PERIODS,
            "dead_band": board.DEAD_BAND_SDS,
        },
    )
