from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from paraat.accounts import oidc, views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/code/", views.two_factor_verify, name="two_factor_verify"),
    path("inloggen/sso/", login_not_required(oidc.oidc_start), name="oidc_start"),
    path("inloggen/sso/terug/", login_not_required(oidc.oidc_callback), name="oidc_callback"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("profiel/", views.profile, name="profile"),
    path("profiel/token/", views.token_regenerate, name="token_regenerate"),
    path("profiel/token/intrekken/", views.token_revoke, name="token_revoke"),
    path("mijn-gegevens/", views.my_data, name="my_data"),
    path("mijn-gegevens/download/", views.my_data_export, name="my_data_export"),
    path("gebruikers/<int:pk>/gegevens/", views.user_data, name="user_data"),
    path(
        "gebruikers/<int:pk>/gegevens/download/",
        views.user_data_export,
        name="user_data_export",
    ),
    path("tweestapsverificatie/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "tweestapsverificatie/back-upcodes/",
        views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("tweestapsverificatie/verwijderen/", views.two_factor_remove, name="two_factor_remove"),
    path("wachtwoord-vergeten/", views.password_reset, name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", views.password_reset_done, name="password_reset_done"),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
]
