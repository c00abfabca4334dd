"""The rights catalogue pages (``assessments`` namespace, ``/afwegingen/``).

``grondrechten/`` and ``grondrechtenvragen/`` are one path segment, like an assessment key:
these patterns must come before the editing pages' ``<slug:key>/`` in ``urls.py``.
"""

from django.urls import path

from paraat.assessments import views_catalogue as views

urlpatterns: list = [
    path("grondrechten/", views.right_list, name="catalogue_rights"),
    path("grondrechten/nieuw/", views.right_create, name="catalogue_right_create"),
    path(
        "grondrechten/<slug:right_key>/bewerken/",
        views.right_edit,
        name="catalogue_right_edit",
    ),
    path("grondrechtenvragen/", views.question_list, name="catalogue_questions"),
    path("grondrechtenvragen/nieuw/", views.question_create, name="catalogue_question_create"),
    path(
        "grondrechtenvragen/<slug:kind>/<slug:question_key>/bewerken/",
        views.question_edit,
        name="catalogue_question_edit",
    ),
]
