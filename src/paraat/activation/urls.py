"""Pages of paraat.activation under ``/activering/`` (namespace ``activation``)."""

from django.urls import URLPattern, URLResolver, path

from paraat.activation import views

app_name = "activation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("afspraken/nieuw/", views.agreement_create, name="agreement-create"),
    path("afspraken/<int:pk>/", views.agreement_edit, name="agreement-edit"),
    path("afspraken/<int:pk>/verwijderen/", views.agreement_delete, name="agreement-delete"),
    path("dossiers/nieuw/", views.case_create, name="case-create"),
    path("dossiers/<int:pk>/", views.case_detail, name="detail"),
    path("dossiers/<int:pk>/criteria/", views.judge, name="judge"),
    path("dossiers/<int:pk>/signaal/", views.signal_start, name="signal"),
    path("dossiers/<int:pk>/signaal/verzonden/", views.signal_sent, name="signal-sent"),
    path(
        "dossiers/<int:pk>/signaal/<int:number>/<str:fmt>/",
        views.signal_file,
        name="signal-file",
    ),
    path("dossiers/<int:pk>/besluit/", views.decision, name="decision"),
    path("dossiers/<int:pk>/instellingsbesluit/", views.decree_start, name="decree"),
    path(
        "dossiers/<int:pk>/instellingsbesluit/vastgesteld/",
        views.decree_adopt,
        name="decree-adopt",
    ),
    path(
        "dossiers/<int:pk>/instellingsbesluit/<int:number>/<str:fmt>/",
        views.decree_file,
        name="decree-file",
    ),
    path("dossiers/<int:pk>/bezetting/", views.assignment_add, name="assignment-add"),
    path(
        "dossiers/<int:pk>/bezetting/<int:assignment>/verwijderen/",
        views.assignment_remove,
        name="assignment-remove",
    ),
    path("dossiers/<int:pk>/checklist/", views.checklist_add, name="checklist-add"),
    path(
        "dossiers/<int:pk>/checklist/<int:item>/gereed/",
        views.checklist_done,
        name="checklist-done",
    ),
    path(
        "dossiers/<int:pk>/checklist/<int:item>/heropenen/",
        views.checklist_reopen,
        name="checklist-reopen",
    ),
    path("dossiers/<int:pk>/sluiten/", views.case_close, name="close"),
]
