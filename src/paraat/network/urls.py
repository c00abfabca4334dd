"""Pages of paraat.network under ``/netwerk/`` (namespace ``network``)."""

from django.urls import URLPattern, URLResolver

app_name = "network"
urlpatterns: list[URLPattern | URLResolver] = []
