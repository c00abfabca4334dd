"""URLs of the public societal picture (mounted at ``maatschappelijk-beeld/``)."""

from django.urls import URLPattern

app_name = "indicators"
urlpatterns: list[URLPattern] = []
