"""Pages of paraat.exercises under ``/oefeningen/`` (namespace ``exercises``)."""

from django.urls import URLPattern, URLResolver, path

from paraat.exercises import views

app_name = "exercises"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("scenario/nieuw/", views.scenario_create, name="scenario_create"),
    path("scenario/najaar-2020/aanmaken/", views.scenario_autumn_2020, name="scenario_autumn"),
    path("scenario/<slug:key>/", views.scenario_detail, name="scenario"),
    path("scenario/<slug:key>/bewerken/", views.scenario_edit, name="scenario_edit"),
    path("scenario/<slug:key>/verwijderen/", views.scenario_delete, name="scenario_delete"),
    path("scenario/<slug:key>/injects/nieuw/", views.inject_create, name="inject_create"),
    path("scenario/<slug:key>/injects/<int:pk>/", views.inject_edit, name="inject_edit"),
    path(
        "scenario/<slug:key>/injects/<int:pk>/verwijderen/",
        views.inject_delete,
        name="inject_delete",
    ),
    path("scenario/<slug:key>/oefening/", views.run_create, name="run_create"),
    path("oefening/<int:pk>/", views.run_detail, name="run"),
    path("oefening/<int:pk>/klok/", views.run_panel, name="run_panel"),
    path("oefening/<int:pk>/klok/<str:action>/", views.run_clock, name="run_clock"),
    path("oefening/<int:pk>/deelnemers/", views.participant_add, name="participant_add"),
    path(
        "oefening/<int:pk>/deelnemers/<int:participant>/verwijderen/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("oefening/<int:pk>/evaluatie/", views.evaluation, name="evaluation"),
    path("oefening/<int:pk>/evaluatie/lessen/", views.lesson_add, name="lesson_add"),
]
