"""Pages of paraat.activation under ``/activering/`` (namespace ``activation``)."""

from django.urls import URLPattern, URLResolver

app_name = "activation"
urlpatterns: list[URLPattern | URLResolver] = []
