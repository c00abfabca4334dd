from django.urls import path

from paraat.evidence import views

app_name = "evidence"
urlpatterns = [
    path("kennisbibliotheek/", views.evidence_list, name="list"),
    path("kennisbibliotheek/nieuw/", views.evidence_create, name="create"),
    path("kennisbibliotheek/export/<str:file_format>/", views.evidence_export, name="export"),
    path("kennisbibliotheek/import/", views.evidence_import, name="import"),
    path("kennisbibliotheek/import/<int:pk>/", views.import_report, name="import_report"),
    path("kennisbibliotheek/dubbelen/", views.duplicate_list, name="duplicates"),
    path("kennisbibliotheek/dubbelen/<int:pk>/", views.duplicate_merge, name="merge"),
    path("kennisbibliotheek/bron/<slug:ref>/", views.evidence_by_ref, name="by_ref"),
    path("kennisbibliotheek/<int:pk>/", views.evidence_detail, name="detail"),
    path("kennisbibliotheek/<int:pk>/bewerken/", views.evidence_edit, name="edit"),
    path("kennisbibliotheek/<int:pk>/bijlage/", views.evidence_attachment, name="attachment"),
    path("kennisbibliotheek/<int:pk>/koppelingen/", views.evidence_link_add, name="link_add"),
    path(
        "kennisbibliotheek/<int:pk>/koppelingen/<int:link_id>/verwijderen/",
        views.evidence_link_delete,
        name="link_delete",
    ),
    path("fiches/", views.fiche_list, name="fiche_list"),
    path("fiches/<slug:key>/", views.fiche_detail, name="fiche_detail"),
    path("fiches/<slug:key>/nieuw/", views.fiche_create, name="fiche_create"),
    path("fiches/<slug:key>/bewerken/", views.fiche_edit, name="fiche_edit"),
    path("fiches/<slug:key>/review/", views.fiche_review, name="fiche_review"),
    path("fiches/<slug:key>/verschil/", views.fiche_diff, name="fiche_diff"),
    path(
        "fiches/<slug:key>/download.<str:file_format>", views.fiche_download, name="fiche_download"
    ),
    path("kennisdossiers/", views.dossier_list, name="dossier_list"),
    path("kennisdossiers/nieuw/", views.dossier_create, name="dossier_create"),
    path("kennisdossiers/<slug:key>/", views.dossier_detail, name="dossier_detail"),
    path("kennisdossiers/<slug:key>/bewerken/", views.dossier_edit, name="dossier_edit"),
]
