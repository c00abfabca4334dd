"""Pages of paraat.preparedness under ``/paraatheid/`` (namespace ``preparedness``)."""

from django.urls import URLPattern, URLResolver

app_name = "preparedness"
urlpatterns: list[URLPattern | URLResolver] = []
