"""URLs of the public societal picture (mounted at ``maatschappelijk-beeld/``)."""

from django.urls import path

from paraat.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("csv/", views.dashboard_csv, name="dashboard_csv"),
    path("indicatoren/<slug:key>/", views.indicator_detail, name="detail"),
    path("indicatoren/<slug:key>/csv/", views.indicator_csv, name="detail_csv"),
    path("index/<slug:key>/", views.composite_page, name="composite"),
    path("index/<slug:key>/csv/", views.composite_csv, name="composite_csv"),
    path("signalen/", views.signal_list, name="signals"),
    path("methode/", views.methodology, name="methodology"),
]
