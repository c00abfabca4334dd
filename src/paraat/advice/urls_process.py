"""Routes of the request, its status, input and OMT information (``advice`` namespace,
under ``/adviesproces/``). The fixed paths come before ``<slug:key>/``."""

from django.urls import path

from paraat.advice import views_process as views

urlpatterns: list = [
    path("", views.advice_list, name="list"),
    path("nieuw/", views.advice_create, name="create"),
    path("register/", views.advice_register, name="register"),
    path("input/<str:token>/", views.input_respond, name="input-respond"),
    path("<slug:key>/", views.advice_detail, name="detail"),
    path("<slug:key>/bewerken/", views.advice_edit, name="edit"),
    path("<slug:key>/status/", views.advice_transition, name="transition"),
    path("<slug:key>/tijdlijn/", views.advice_timeline, name="timeline"),
    path("<slug:key>/informatiepakket/", views.information_add, name="information-add"),
    path("<slug:key>/omt/", views.advice_omt, name="omt"),
    path("<slug:key>/omt/toegang/", views.omt_grant, name="omt-grant"),
    path("<slug:key>/omt/stuk/", views.omt_add, name="omt-add"),
    path("<slug:key>/uitvraag/", views.advice_inputs, name="inputs"),
    path("<slug:key>/uitvraag/<int:pk>/intrekken/", views.input_revoke, name="input-revoke"),
]
