from __future__ import annotations

from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from paraat.accounts import selectors, services, two_factor
from paraat.accounts.forms import AccountEraseForm, CodeForm
from paraat.accounts.models import User
from paraat.accounts.oidc import oidc_enabled
from paraat.accounts.roles import ROLES_BY_KEY
from paraat.accounts.selectors import api_token_exists, user_role_keys


class LoginView(auth_views.LoginView):
    """The password step. A user with a confirmed two-factor device is not logged in yet: the
    session keeps a pending login and the code page completes it (ADR 0021)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor.has_confirmed_device(user):
            two_factor.pending_set(self.request, user=user, next_url=self.get_success_url())
            return redirect("accounts:two_factor_verify")
        return super().form_valid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_enabled()
        return context


def _safe_next(request: HttpRequest, fallback: str = "") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or fallback
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _profile_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "roles": [ROLES_BY_KEY[key] for key in user_role_keys(user=user)],
        "has_token": api_token_exists(user=user),  # type: ignore[arg-type]
        "two_factor_device": two_factor.totp_device(user),  # type: ignore[arg-type]
        "two_factor_required": two_factor.role_requires_two_factor(user),  # type: ignore[arg-type]
        "two_factor_sso": bool(request.session.get(two_factor.SSO_SESSION_KEY)),
    }


def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", _profile_context(request))


@require_POST
def token_regenerate(request: HttpRequest) -> HttpResponse:
    # Only a user who has given a code (when they must) makes a token: a token skips the code.
    if two_factor.verification_needed(request) is not None:
        raise PermissionDenied(_("Geef eerst de code van uw tweestapsverificatie."))
    token = services.api_token_regenerate(user=request.user)  # type: ignore[arg-type]
    # The token is shown once, on this response only; it is never put in a message or a log.
    return render(
        request,
        "accounts/profile.html",
        {**_profile_context(request), "has_token": True, "new_token": token.key},
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


# --- Two-factor authentication (ADR 0021) ------------------------------------------------------


@login_not_required
@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponseBase:
    """The second step: a code from the app or a backup code.

    Serves a pending login (password right, not logged in yet) and a logged-in session that has
    not given a code. Wrong codes count as failed logins for django-axes (same user name and
    address) and for django-otp's own throttling of the device.
    """
    pending = two_factor.pending_get(request)
    if pending is not None:
        user, data = pending
        next_url = _safe_next(request, data.get("next", ""))
    elif request.user.is_authenticated:
        next_url = _safe_next(request)
        needed = two_factor.verification_needed(request)
        if needed is None:
            return redirect(next_url)
        if needed == "setup":
            return redirect("accounts:two_factor_setup")
        user = request.user  # type: ignore[assignment]
    else:
        messages.info(request, _("Log eerst in met uw gebruikersnaam en wachtwoord."))
        return redirect("accounts:login")

    credentials = {"username": user.get_username()}
    wait = 0
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        form = CodeForm(request.POST)
        if form.is_valid():
            device = services.otp_verify(user=user, token=form.cleaned_data["code"])
            if device is not None:
                if pending is not None:
                    two_factor.pending_clear(request)
                    auth_login(request, user, backend=pending[1]["backend"])
                django_otp.login(request, device)
                if isinstance(device, StaticDevice):
                    messages.warning(
                        request,
                        _(
                            "U heeft een back-upcode gebruikt; er zijn er nog %(n)d. "
                            "Maak nieuwe codes aan als u er bijna geen meer heeft."
                        )
                        % {"n": two_factor.backup_codes_left(user)},
                    )
                return redirect(next_url)
            # A wrong code is a failed login for django-axes (AXES_FAILURE_LIMIT): after too
            # many, the AxesMiddleware answers with the lock-out page.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            wait = services.otp_throttle_wait(user=user)
            form.add_error("code", _("De code klopt niet."))
    else:
        form = CodeForm()
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url, "wait": wait, "pending": pending is not None},
    )


@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponseBase:
    """Set up an authenticator app (QR code and key as text, confirmed with a first code), or,
    with one set up, manage it: new backup codes, remove the app."""
    user = request.user
    needed = two_factor.verification_needed(request)
    if needed == "verify":
        return redirect("accounts:two_factor_verify")
    next_url = _safe_next(request)
    if two_factor.totp_device(user) is not None:  # type: ignore[arg-type]
        return _manage_page(request)
    device = two_factor.totp_device(user, confirmed=False)  # type: ignore[arg-type]
    if request.method == "POST":
        if device is None:
            return redirect("accounts:two_factor_setup")
        form = CodeForm(request.POST, allow_backup=False)
        if form.is_valid():
            try:
                codes = services.otp_device_confirm(device=device, token=form.cleaned_data["code"])
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("code", message)
            else:
                django_otp.login(request, device)
                return render(
                    request,
                    "accounts/two_factor_backup_codes.html",
                    {"codes": codes, "next": next_url, "first_setup": True},
                )
    else:
        if device is None:
            device = services.otp_device_create(user=user)  # type: ignore[arg-type]
        form = CodeForm(allow_backup=False)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": two_factor.qr_code_data_uri(device.config_url),
            "secret": two_factor.secret_for_display(device),
            "required": needed == "setup",
        },
    )


def _manage_page(
    request: HttpRequest,
    *,
    codes_form: CodeForm | None = None,
    remove_form: CodeForm | None = None,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/two_factor_manage.html",
        {
            "device": two_factor.totp_device(user),  # type: ignore[arg-type]
            "codes_left": two_factor.backup_codes_left(user),  # type: ignore[arg-type]
            "codes_form": codes_form or CodeForm(prefix="codes"),
            "remove_form": remove_form or CodeForm(prefix="remove"),
            "required": two_factor.role_requires_two_factor(user),  # type: ignore[arg-type]
        },
    )


@require_POST
@never_cache
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST, prefix="codes")
    if form.is_valid():
        try:
            codes = services.otp_backup_codes_regenerate(
                user=request.user,  # type: ignore[arg-type]
                token=form.cleaned_data["code"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("code", message)
        else:
            return render(
                request,
                "accounts/two_factor_backup_codes.html",
                {"codes": codes, "next": reverse("accounts:two_factor_setup")},
            )
    return _manage_page(request, codes_form=form)


@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST, prefix="remove")
    if form.is_valid():
        try:
            services.otp_device_remove(
                user=request.user,  # type: ignore[arg-type]
                token=form.cleaned_data["code"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("code", message)
        else:
            messages.success(request, _("Uw authenticator-app en back-upcodes zijn verwijderd."))
            return redirect("accounts:profile")
    return _manage_page(request, remove_form=form)


# --- Privacy: "Mijn gegevens", export, erasure on request (docs/privacy.md) ---------------------

VIEW_ACCOUNTS = "accounts.view_user"


def _export_response(request: HttpRequest, subject: User) -> HttpResponse:
    data = selectors.account_data(user=subject).as_data()
    services.account_export_record(user=subject, actor=request.user)  # type: ignore[arg-type]
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    # Named by internal number, never by name (file names end up in download folders and logs).
    response["Content-Disposition"] = f'attachment; filename="paraat-account-{subject.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@never_cache
def my_data(request: HttpRequest) -> HttpResponse:
    """What paraat stores about the logged-in user's own account (there is no id in the URL:
    nobody reaches another account's data here)."""
    user = request.user
    assert isinstance(user, User)
    data = selectors.account_data(user=user, current_session_key=request.session.session_key)
    return render(request, "accounts/my_data.html", {"data": data, "subject": user})


@require_GET
@never_cache
def my_data_export(request: HttpRequest) -> HttpResponse:
    """The same as a JSON download; the download is written to the audit trail."""
    user = request.user
    assert isinstance(user, User)
    return _export_response(request, user)


def _subject_or_404(request: HttpRequest, pk: int) -> User:
    if not request.user.has_perm(VIEW_ACCOUNTS):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
    subject = selectors.account_get(pk=pk)
    if subject is None:
        raise Http404
    return subject


@require_http_methods(["GET", "POST"])
@never_cache
def user_data(request: HttpRequest, pk: int) -> HttpResponse:
    """A beheerder's view of an account's data (to answer an access request, also for an
    account that can no longer log in) and erasure on request (``accounts.erase_user``)."""
    subject = _subject_or_404(request, pk)
    erased = selectors.account_erasure_exists(user=subject)
    may_erase = request.user.has_perm(services.ERASE_PERM) and not erased
    form = None
    if may_erase:
        form = AccountEraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
        if form.is_valid():
            try:
                outcome = services.account_erase(
                    user=subject,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("Het account is verwijderd: het heet nu %(name)s.")
                    % {"name": services.pseudonym(outcome.user_ref)},
                )
                return redirect("accounts:user_data", pk=outcome.user_ref)
    return render(
        request,
        "accounts/user_data.html",
        {
            "data": selectors.account_data(user=subject),
            "subject": subject,
            "form": form,
            "erased": erased,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@never_cache
def user_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The account's data as a JSON download for the beheerder (an access request of someone
    who cannot log in any more); written to the audit trail."""
    return _export_response(request, _subject_or_404(request, pk))
