"""Login required everywhere except pages marked public and the token-authenticated API; the
second step (two-factor authentication) for users who must give a code."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's middleware, leaving ``/api/`` to the API's own authentication and permissions."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Any,
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class TwoFactorMiddleware:
    """Keeps a logged-in user who must give a code (or set up an app) on those pages.

    Runs after django-otp's ``OTPMiddleware``. A user with a confirmed device who has not given
    a code in this session, or whose role requires 2FA (``PARAAT_2FA_REQUIRED_ROLES``, when
    ``PARAAT_REQUIRE_2FA`` is on) and who has no device yet, reaches only the code page, the
    setup page, logout and the language switch; everything else redirects there. Session calls
    to ``/api/`` get a 403 with a message; token-authenticated calls are left to the API (only
    verified users can make a token).
    """

    _ALWAYS_OPEN = ("/static/", "/healthz", "/readyz", "/.well-known/", "/favicon")

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        blocked = self._blocked(request)
        return blocked if blocked is not None else self.get_response(request)

    def _blocked(self, request: HttpRequest) -> HttpResponseBase | None:
        from paraat.accounts.two_factor import verification_needed

        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        path = request.path
        if path.startswith(self._ALWAYS_OPEN):
            return None
        needed = verification_needed(request)
        if needed is None:
            return None
        if path.startswith("/api/"):
            if request.META.get("HTTP_AUTHORIZATION"):
                return None  # token authentication: DRF decides, the session is not used
            return JsonResponse(
                {
                    "detail": _(
                        "Tweestapsverificatie vereist: geef eerst de code uit uw "
                        "authenticator-app in de website, of gebruik een API-token."
                    )
                },
                status=403,
            )
        verify_url = reverse("accounts:two_factor_verify")
        setup_url = reverse("accounts:two_factor_setup")
        open_paths = {
            verify_url,
            setup_url,
            reverse("accounts:logout"),
            reverse("set_language"),
        }
        if path in open_paths:
            return None
        target = verify_url if needed == "verify" else setup_url
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
