"""The decision and what follows it (namespace ``advice``): the vote, sign-off and dispatch,
publication, reflections, the cabinet response and follow-up.

Included by ``paraat.advice.urls`` after the request and text pages.
"""

from django.urls import path

from paraat.advice import views_decision as views

urlpatterns: list = [
    path("<slug:key>/stemming/", views.vote, name="vote"),
    path("<slug:key>/stemming/openen/", views.vote_open, name="vote-open"),
    path("<slug:key>/stemming/stemmen/", views.vote_cast, name="vote-cast"),
    path("<slug:key>/stemming/sluiten/", views.vote_close, name="vote-close"),
    path("<slug:key>/ondertekenen/", views.sign_off, name="sign-off"),
    path("<slug:key>/verzenden/", views.dispatch, name="dispatch"),
    path("<slug:key>/publiceren/", views.publish, name="publish"),
    path("<slug:key>/reflectie/", views.reflection_add, name="reflection-add"),
    path("<slug:key>/kabinetsreactie/", views.cabinet_response, name="cabinet-response"),
    path("<slug:key>/opvolging/", views.follow_up_add, name="follow-up-add"),
    path("<slug:key>/verzonden/<str:fmt>/", views.dispatch_file, name="dispatch-file"),
]
