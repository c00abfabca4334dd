"""The advice text, its dossier, versions, comments and tasks (namespace ``advice``).

Included by ``paraat.advice.urls`` after the request pages (``urls_process``).
"""

from django.urls import path

from paraat.advice import views_text as views

urlpatterns: list = [
    path("<slug:key>/dossier/", views.dossier_page, name="dossier"),
    path("<slug:key>/tekst/", views.text_page, name="text"),
    path("<slug:key>/tekst/opzet/", views.skeleton_create, name="skeleton"),
    path("<slug:key>/versies/", views.revision_list, name="revisions"),
    path("<slug:key>/versies/<int:number>/", views.revision_detail, name="revision"),
    path(
        "<slug:key>/versies/<int:number>/<str:fmt>/",
        views.revision_document,
        name="revision-document",
    ),
    path("<slug:key>/opmerkingen/", views.comment_add, name="comment-add"),
    path("<slug:key>/taken/", views.assignment_add, name="assignment-add"),
    path("<slug:key>/taken/<int:pk>/gereed/", views.assignment_done, name="assignment-done"),
]
