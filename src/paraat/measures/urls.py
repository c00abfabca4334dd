from django.urls import path

from paraat.measures import views

app_name = "measures"
urlpatterns = [
    path("maatregelen/", views.measure_list, name="measure_list"),
    path("maatregelen/nieuw/", views.measure_create, name="measure_create"),
    path("maatregelen/<slug:key>/", views.measure_detail, name="measure_detail"),
    path("maatregelen/<slug:key>/bewerken/", views.measure_edit, name="measure_edit"),
    path("pakketten/", views.package_list, name="package_list"),
    path("pakketten/nieuw/", views.package_create, name="package_create"),
    path("pakketten/<slug:key>/", views.package_detail, name="package_detail"),
    path("pakketten/<slug:key>/bewerken/", views.package_edit, name="package_edit"),
    path("tijdlijn/", views.timeline_page, name="timeline"),
    path("tijdlijn/csv/", views.timeline_csv, name="timeline_csv"),
    path("tijdlijn/gebeurtenis/", views.timeline_event_create, name="timeline_event_create"),
    path("oxcgrt/import/", views.oxcgrt_import, name="oxcgrt_import"),
    path("jurisdicties/", views.jurisdiction_list, name="jurisdiction_list"),
    path("jurisdicties/<int:pk>/", views.jurisdiction_detail, name="jurisdiction_detail"),
]
