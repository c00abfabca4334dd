from django.urls import path

from paraat.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("bronnen/", views.sources, name="sources"),
]
