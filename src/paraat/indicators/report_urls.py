"""URLs of the maatschappelijk-beeld report (filled in by the report work)."""

from django.urls import URLPattern

app_name = "indicator_reports"
urlpatterns: list[URLPattern] = []
