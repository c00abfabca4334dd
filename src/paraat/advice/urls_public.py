"""Public pages of published advice under ``/adviezen/`` (namespace ``advice_public``).

No login needed; only published advice (after the embargo) is ever shown.
"""

from django.urls import path

from paraat.advice import views_public

app_name = "advice_public"
urlpatterns = [
    path("", views_public.advice_list, name="list"),
    path("tijdlijn/", views_public.advice_timeline, name="timeline"),
    path("<slug:key>/", views_public.advice_detail, name="detail"),
    path("<slug:key>/<str:fmt>/", views_public.advice_file, name="file"),
]
