"""URLs of the management pages of the societal picture (mounted at
``maatschappelijk-beeld/beheer/``)."""

from django.urls import path

from paraat.indicators import manage_views

app_name = "indicator_manage"
urlpatterns = [
    path("", manage_views.overview, name="overview"),
    path("verversen/", manage_views.refresh, name="refresh"),
    path("import/", manage_views.indicator_import, name="import"),
    path("import/<int:batch_id>/", manage_views.import_report, name="import_report"),
    path(
        "index/<slug:key>/herberekenen/",
        manage_views.composite_recompute,
        name="composite_recompute",
    ),
    path("signaalregels/nieuw/", manage_views.rule_create, name="rule_create"),
    path("signaalregels/<int:pk>/actief/", manage_views.rule_set_active, name="rule_set_active"),
    path("abonnement/", manage_views.subscription, name="subscription"),
    path("indicatoren/", manage_views.indicator_list, name="indicator_list"),
    path("indicatoren/nieuw/", manage_views.indicator_create, name="indicator_create"),
    path("indicatoren/<slug:key>/bewerken/", manage_views.indicator_edit, name="indicator_edit"),
]
