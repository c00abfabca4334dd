"""Pages of paraat.preparedness under ``/paraatheid/`` (namespace ``preparedness``)."""

from django.urls import URLPattern, URLResolver, path

from paraat.preparedness import views

app_name = "preparedness"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("modus/", views.mode_set, name="mode-set"),
    path("vergaderingen/", views.meetings, name="meetings"),
    path("vergaderingen/nieuw/", views.meeting_create, name="meeting-create"),
    path("vergaderingen/plannen/", views.meetings_plan, name="meetings-plan"),
    path("vergaderingen/aanwezigheid.csv", views.attendance_csv, name="attendance-csv"),
    path("vergaderingen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("vergaderingen/<int:pk>/bewerken/", views.meeting_edit, name="meeting-edit"),
    path("vergaderingen/<int:pk>/status/", views.meeting_status, name="meeting-status"),
    path("vergaderingen/<int:pk>/stukken/", views.meeting_document_add, name="document-add"),
    path("vergaderingen/<int:pk>/stukken/<int:doc>/", views.meeting_document, name="document"),
    path("vergaderingen/<int:pk>/verslag/", views.minutes_save, name="minutes-save"),
    path(
        "vergaderingen/<int:pk>/verslag/vaststellen/",
        views.minutes_approve,
        name="minutes-approve",
    ),
    path("vergaderingen/<int:pk>/aanwezigheid/", views.attendance_record, name="attendance"),
    path(
        "vergaderingen/<int:pk>/aanwezigheid/<int:row>/verwijderen/",
        views.attendance_remove,
        name="attendance-remove",
    ),
    path("draaiboek/", views.playbook, name="playbook"),
    path("draaiboek/nieuw/", views.section_create, name="section-create"),
    path("draaiboek/export/", views.playbook_export, name="playbook-export"),
    path("draaiboek/<int:pk>/", views.section_detail, name="section"),
    path("draaiboek/<int:pk>/opslaan/", views.section_save, name="section-save"),
    path("draaiboek/<int:pk>/instellingen/", views.section_settings, name="section-settings"),
    path("draaiboek/<int:pk>/versies/<int:number>/", views.section_version, name="section-version"),
    path("acties/", views.actions, name="actions"),
    path("acties/nieuw/", views.action_create, name="action-create"),
    path("acties/<int:pk>/status/", views.action_status, name="action-status"),
    path("begroting/", views.budget, name="budget"),
    path("begroting/stromen/", views.stream_create, name="stream-create"),
    path("begroting/regels/", views.line_create, name="line-create"),
    path("begroting/realisaties/", views.realisation_create, name="realisation-create"),
    path("verantwoording/", views.reports, name="reports"),
    path("verantwoording/jaarverslag/", views.report_start, name="report-start"),
    path("verantwoording/export/", views.export_start, name="export-start"),
    path("bestanden/<uuid:job_id>/", views.job_download, name="job-download"),
]
