"""Pages of paraat.panels under ``/burgerpanel/`` (namespace ``panels``)."""

from django.urls import URLPattern, URLResolver, path

from paraat.panels import views

app_name = "panels"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("nieuw/", views.panel_create, name="panel_create"),
    path("antwoord/<str:token>/", views.answer, name="answer"),
    path("panel/<int:pk>/", views.panel_detail, name="panel"),
    path("panel/<int:pk>/leden/", views.panelists, name="panelists"),
    path(
        "panel/<int:pk>/leden/<int:panelist_pk>/intrekken/",
        views.panelist_withdraw,
        name="panelist_withdraw",
    ),
    path(
        "panel/<int:pk>/leden/<int:panelist_pk>/verwijderen/",
        views.panelist_delete,
        name="panelist_delete",
    ),
    path("panel/<int:pk>/vragenlijst/", views.questionnaire_create, name="questionnaire_create"),
    path("panel/<int:pk>/sessie/", views.session_create, name="session_create"),
    path("vragenlijst/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("vragenlijst/<int:pk>/vraag/", views.question_add, name="question_add"),
    path(
        "vragenlijst/<int:pk>/vraag/<int:question_pk>/verwijderen/",
        views.question_delete,
        name="question_delete",
    ),
    path(
        "vragenlijst/<int:pk>/uitnodigen/", views.questionnaire_invite, name="questionnaire_invite"
    ),
    path(
        "vragenlijst/<int:pk>/resultaten/",
        views.questionnaire_results,
        name="questionnaire_results",
    ),
    path(
        "vragenlijst/<int:pk>/publiceren/",
        views.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path("sessie/<int:pk>/", views.session_detail, name="session"),
    path("sessie/<int:pk>/uitnodigen/", views.session_invite, name="session_invite"),
    path("sessie/<int:pk>/publiceren/", views.session_publish, name="session_publish"),
]
