from django.urls import path

from paraat.taxonomies import views

app_name = "taxonomies"
urlpatterns = [
    path("", views.taxonomy_index, name="index"),
    path("<str:segment>/nieuw/", views.term_edit, name="create"),
    path("<str:segment>/<slug:key>/", views.term_edit, name="edit"),
]
