"""Login with a government account through OpenID Connect (mozilla-django-oidc).

Active only when ``PARAAT_OIDC_ISSUER``, ``PARAAT_OIDC_CLIENT_ID`` and
``PARAAT_OIDC_CLIENT_SECRET`` are set (``settings.PARAAT_OIDC_ENABLED``). A person is matched to
an existing account by e-mail address; without one, an account is made without any role (a
beheerder gives the roles). With ``PARAAT_OIDC_TRUST_MFA`` (default on) an SSO login counts as
two-factor verified: the identity provider does the second factor. See ADR 0021.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from paraat.accounts import services, two_factor
from paraat.accounts.models import User

logger = logging.getLogger(__name__)


def oidc_enabled() -> bool:
    return bool(getattr(settings, "PARAAT_OIDC_ENABLED", False))


class ParaatOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Matches by e-mail address (any letter case); creates accounts without roles."""

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks signature and nonce; paraat also checks issuer and audience."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        issuer = settings.PARAAT_OIDC_ISSUER
        if issuer and "iss" in payload and str(payload["iss"]).rstrip("/") != issuer:
            raise SuspiciousOperation("OIDC token from another issuer")
        audience = payload.get("aud")
        if audience is not None:
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("OIDC token for another client")
        return payload

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        # Inactive accounts are matched too (and then refused): never a second account.
        return User.objects.filter(email__iexact=email)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not (claims.get("email") or "").strip():
            return False
        # An address the identity provider says it has not verified is not trusted.
        return claims.get("email_verified", True) is not False

    def create_user(self, claims: dict[str, Any]) -> User:
        email = claims["email"].strip()
        return services.user_create(
            username=_free_username(claims.get("preferred_username") or email.split("@")[0]),
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            roles=[],
        )

    def get_user(self, user_id: Any) -> User | None:
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _free_username(wanted: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", wanted)[:140] or "sso-gebruiker"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _only_when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404(_("Inloggen met een Rijksoverheid-account is hier niet ingesteld."))
        return view(request, *args, **kwargs)

    return wrapped


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
        except requests.RequestException as exc:
            # The identity provider is unreachable or refused the code: a message, not a 500.
            logger.warning("OIDC login failed: %s", type(exc).__name__)
            return self.login_failure()
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _("Inloggen met uw Rijksoverheid-account is niet gelukt. Probeer het opnieuw."),
        )
        return HttpResponseRedirect(reverse("accounts:login"))

    def login_success(self) -> HttpResponse:
        two_factor.pending_clear(self.request)
        response = super().login_success()
        if settings.PARAAT_OIDC_TRUST_MFA:
            self.request.session[two_factor.SSO_SESSION_KEY] = True
        return response


oidc_start = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
oidc_callback = _only_when_enabled(CallbackView.as_view())
