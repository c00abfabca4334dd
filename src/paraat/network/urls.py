"""Pages of paraat.network under ``/netwerk/`` (namespace ``network``)."""

from django.urls import URLPattern, URLResolver, path

from paraat.network import views

app_name = "network"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("personen/", views.person_list, name="people"),
    path("personen/nieuw/", views.person_create, name="person-create"),
    path("personen/<int:pk>/", views.person_detail, name="person"),
    path("personen/<int:pk>/bewerken/", views.person_edit, name="person-edit"),
    path("personen/<int:pk>/privacy/", views.person_privacy, name="person-privacy"),
    path("personen/<int:pk>/privacy/download/", views.person_export, name="person-export"),
    path("personen/<int:pk>/verklaring/", views.declaration_add, name="declaration-add"),
    path("personen/<int:pk>/expertpool/", views.person_pool_add, name="person-pool-add"),
    path("personen/<int:pk>/kaartenbak/", views.person_candidate_add, name="person-candidate-add"),
    path("verwijderlog/", views.erasure_log, name="erasures"),
    path("organisaties/", views.organisation_list, name="organisations"),
    path("organisaties/nieuw/", views.organisation_form, name="organisation-create"),
    path("organisaties/<int:pk>/bewerken/", views.organisation_form, name="organisation-edit"),
    path("commissie/", views.committee, name="committee"),
    path("commissie/lidmaatschap/", views.membership_add, name="membership-add"),
    path("commissie/<int:pk>/beeindigen/", views.membership_end, name="membership-end"),
    path("disciplines/", views.discipline_list, name="disciplines"),
    path("disciplines/nieuw/", views.discipline_form, name="discipline-create"),
    path("disciplines/<int:pk>/bewerken/", views.discipline_form, name="discipline-edit"),
    path("expertpool/", views.pool, name="pool"),
    path("expertpool/<int:pk>/bewerken/", views.pool_edit, name="pool-edit"),
    path("expertpool/<int:pk>/bevestigen/", views.pool_confirm, name="pool-confirm"),
    path("kaartenbak/", views.candidates, name="candidates"),
    path("kaartenbak/nieuw/", views.candidate_create, name="candidate-create"),
    path("kaartenbak/<int:pk>/bewerken/", views.candidate_edit, name="candidate-edit"),
    path("kaartenbak/<int:pk>/bevestigen/", views.candidate_confirm, name="candidate-confirm"),
    path("praktijkkringen/", views.circles, name="circles"),
    path("praktijkkringen/nieuw/", views.circle_form, name="circle-create"),
    path("praktijkkringen/<int:pk>/", views.circle_detail, name="circle"),
    path("praktijkkringen/<int:pk>/bewerken/", views.circle_form, name="circle-edit"),
    path("praktijkkringen/<int:pk>/bevestigen/", views.circle_confirm, name="circle-confirm"),
    path("dekking/", views.coverage, name="coverage"),
]
