from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paraat.accounts import services
from paraat.accounts.roles import ROLES_BY_KEY
from paraat.accounts.selectors import api_token_exists, user_role_keys


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def profile(request: HttpRequest) -> HttpResponse:
    roles = [ROLES_BY_KEY[key] for key in user_role_keys(user=request.user)]
    has_token = api_token_exists(user=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/profile.html", {"roles": roles, "has_token": has_token})


@require_POST
def token_regenerate(request: HttpRequest) -> HttpResponse:
    token = services.api_token_regenerate(user=request.user)  # type: ignore[arg-type]
    # The token is shown once, on this response only; it is never put in a message or a log.
    roles = [ROLES_BY_KEY[key] for key in user_role_keys(user=request.user)]
    return render(
        request,
        "accounts/profile.html",
        {"roles": roles, "has_token": True, "new_token": token.key},
    )


@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    services.api_token_revoke(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Uw API-token is ingetrokken."))
    return redirect("accounts:profile")


password_reset = auth_views.PasswordResetView.as_view(
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
