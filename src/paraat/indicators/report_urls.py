"""URLs of the periodic 'maatschappelijk beeld' report (mounted at
``maatschappelijk-beeld/rapport/``)."""

from django.urls import path

from paraat.indicators import report_views

app_name = "indicator_reports"
urlpatterns = [
    path("", report_views.report_request, name="request"),
    path("<uuid:job_id>/download/", report_views.report_download, name="download"),
]
