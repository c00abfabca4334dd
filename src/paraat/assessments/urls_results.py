"""Result, report and methodology pages of the assessment framework (``/afwegingen/``).

Included by ``paraat.assessments.urls`` in the ``assessments`` namespace. ``methode/`` is one
path segment, like an assessment key: these patterns must come before the editing pages'
``<slug:key>/`` in that module.
"""

from django.urls import path

from paraat.assessments import views_results as views

urlpatterns: list = [
    path("methode/", views.methodology, name="methodology"),
    path("<slug:key>/resultaten/", views.results, name="results"),
    path("<slug:key>/versies/", views.versions, name="versions"),
    path("<slug:key>/analyse/", views.analyse, name="analyse"),
    path("<slug:key>/burgergewichten/", views.citizen_weights, name="citizen_weights"),
    path("<slug:key>/rapport/", views.report, name="report"),
    path("<slug:key>/rapport/<uuid:job_id>/", views.report_download, name="report_download"),
]
