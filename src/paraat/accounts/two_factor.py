"""Two-factor authentication policy: who must give a code, and what a session has shown.

Writes (devices, backup codes) are in ``services.py``; this module only reads and decides. See
ADR 0021 for the design: the password step does not log a user with a device in yet (the
session keeps a *pending* login until the code is right), TOTP devices and backup codes come
from django-otp, and an SSO login counts as verified when ``PARAAT_OIDC_TRUST_MFA`` is on.
"""

from __future__ import annotations

import base64
import io
import time
from binascii import unhexlify
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from paraat.accounts.models import User

# Session keys: a login waiting for its code, and "verified by the identity provider (SSO)".
PENDING_SESSION_KEY = "paraat_2fa_pending"
SSO_SESSION_KEY = "paraat_2fa_sso"
# A pending login (password right, code not yet given) expires after this many seconds.
PENDING_MAX_AGE = 300

BACKUP_CODE_COUNT = 10


def required_roles() -> set[str]:
    return {role.strip() for role in settings.PARAAT_2FA_REQUIRED_ROLES if role.strip()}


def role_requires_two_factor(user: User) -> bool:
    """Whether the user's roles require 2FA (and the master switch is on)."""
    if not settings.PARAAT_REQUIRE_2FA:
        return False
    return user.groups.filter(name__in=required_roles()).exists()


def has_confirmed_device(user: User) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def totp_device(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-pk").first()


def backup_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def is_verified(request: HttpRequest) -> bool:
    """The session's user gave a code in this session, or logged in by SSO trusted for MFA."""
    user = request.user
    if not user.is_authenticated:
        return False
    if getattr(user, "otp_device", None) is not None:
        return True
    return bool(settings.PARAAT_OIDC_TRUST_MFA and request.session.get(SSO_SESSION_KEY))


def verification_needed(request: HttpRequest) -> str | None:
    """``"verify"`` (give a code), ``"setup"`` (set up a device first) or ``None`` (nothing)."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    if has_confirmed_device(user):  # type: ignore[arg-type]
        return "verify"
    if role_requires_two_factor(user):  # type: ignore[arg-type]
        return "setup"
    return None


def pending_set(request: HttpRequest, *, user: User, next_url: str) -> None:
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "next": next_url,
        "since": time.time(),
    }


def pending_get(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The user whose password was right and who still has to give a code (or ``None``)."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("since", 0)) > PENDING_MAX_AGE:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user = User.objects.filter(pk=data.get("user_id"), is_active=True).first()
    if user is None:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    return user, data


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def secret_for_display(device: TOTPDevice) -> str:
    """The device key in base32, in groups of four characters, for typing into an app."""
    secret = base64.b32encode(unhexlify(device.key.encode())).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(text: str) -> str:
    """``text`` as a QR code in an SVG data URI (allowed by the CSP's ``img-src data:``)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=8,
        border=4,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
