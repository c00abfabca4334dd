"""Pages of the periodic 'maatschappelijk beeld' report: ask for one, download it.

Both pages need a login (the site's default). The report is built in the background
(:func:`paraat.indicators.report_tasks.report_start`); the form sends the user to the job page,
which links to :func:`report_download` once the file is ready.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paraat.indicators.report import report_as_of
from paraat.indicators.report_tasks import REPORT_FORMATS, report_file_for, report_start
from paraat.jobs.files import job_file_download

EARLIEST = dt.date(1900, 1, 1)


class ReportForm(forms.Form):
    peildatum = forms.DateField(
        label=gettext_lazy("Peildatum"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Het rapport toont de cijfers zoals ze aan het eind van die dag bekend waren."
        ),
        error_messages={
            "invalid": gettext_lazy("Vul een geldige datum in (jjjj-mm-dd)."),
            "required": gettext_lazy("Vul een peildatum in."),
        },
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("Formaat"),
        choices=[
            ("pdf", gettext_lazy("PDF (om te lezen en af te drukken)")),
            ("docx", gettext_lazy("Word (DOCX, om verder te bewerken)")),
        ],
        initial="pdf",
    )
    public = forms.BooleanField(
        # no help_text: the shared field template shows none for check boxes
        label=gettext_lazy(
            "Alleen openbare gegevens (laat interne en vertrouwelijke indicatoren weg, ook als "
            "u ze mag zien)"
        ),
        required=False,
    )

    def clean_peildatum(self) -> dt.date:
        day: dt.date = self.cleaned_data["peildatum"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("De peildatum ligt in de toekomst."))
        if day < EARLIEST:
            raise forms.ValidationError(_("Kies een peildatum na 1900."))
        return day

    def clean_fmt(self) -> str:
        value = str(self.cleaned_data["fmt"])
        if value not in REPORT_FORMATS:
            raise forms.ValidationError(_("Kies PDF of Word."))
        return value


def report_request(request: HttpRequest) -> HttpResponse:
    """GET: the form (peildatum default today). POST: start the job, go to its page."""
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            job = report_start(
                user=request.user,  # type: ignore[arg-type]
                as_of=report_as_of(form.cleaned_data["peildatum"]),
                fmt=form.cleaned_data["fmt"],
                public=form.cleaned_data["public"],
                language=getattr(request, "LANGUAGE_CODE", "") or "nl",
            )
            return redirect("jobs:detail", job_id=job.pk)
        status = 400
    else:
        form = ReportForm(initial={"peildatum": timezone.localdate(), "fmt": "pdf"})
        status = 200
    return render(request, "indicators/report_form.html", {"form": form}, status=status)


def report_download(request: HttpRequest, job_id: str) -> HttpResponse:
    """The finished report as an attachment; 404 for anyone who may not have it."""
    return job_file_download(job_id, lambda job: report_file_for(job, request.user))
