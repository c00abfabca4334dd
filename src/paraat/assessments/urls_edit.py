"""The editing pages of the assessment framework (``assessments`` namespace, ``/afwegingen/``)."""

from django.urls import path

from paraat.assessments import views_edit as views

_OPTION = "<slug:key>/opties/<slug:option_key>/"
_CELL = _OPTION + "matrix/<slug:domain_key>/<slug:group_key>/"

urlpatterns: list = [
    path("", views.assessment_list, name="list"),
    path("nieuw/", views.assessment_create, name="create"),
    # The results routes (``methode/``) come first in urls.py; the services refuse reserved keys.
    path("<slug:key>/", views.assessment_detail, name="detail"),
    path("<slug:key>/bewerken/", views.assessment_edit, name="edit"),
    path("<slug:key>/beleidskompas/", views.assessment_compass, name="compass"),
    path("<slug:key>/domeinen-en-groepen/", views.assessment_terms, name="terms"),
    path("<slug:key>/groepen/<slug:group_key>/omvang/", views.group_size, name="group_size"),
    path("<slug:key>/gewichten/", views.assessment_weights, name="weights"),
    path("<slug:key>/status/", views.assessment_status_change, name="status"),
    path("<slug:key>/bronnen-zoeken/", views.evidence_search, name="evidence_search"),
    path("<slug:key>/opties/nieuw/", views.option_create, name="option_create"),
    path(_OPTION, views.option_detail, name="option"),
    path(_OPTION + "verwijderen/", views.option_delete, name="option_delete"),
    path(_OPTION + "matrix/", views.matrix, name="matrix"),
    path(_CELL, views.cell_edit, name="cell"),
    path(_OPTION + "<slug:section>/", views.option_section, name="option_section"),
]
