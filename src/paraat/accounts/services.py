"""Writes for accounts: roles, users, access grants, API tokens and two-factor devices."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from paraat.accounts.models import AccessGrant, User
from paraat.accounts.roles import ROLES, ROLES_BY_KEY


@transaction.atomic
def roles_sync() -> list[Group]:
    """Create or update one group per role with exactly the role's permissions."""
    groups = []
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.key)
        permissions = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            try:
                permissions.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist as exc:
                raise ValidationError(
                    f"Role {role.key}: permission {dotted} does not exist (run migrate first)."
                ) from exc
        group.permissions.set(permissions)
        groups.append(group)
    return groups


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    organisation: str = "",
    roles: list[str] | None = None,
    is_fictional: bool = False,
    is_superuser: bool = False,
) -> User:
    unknown = [key for key in roles or [] if key not in ROLES_BY_KEY]
    if unknown:
        raise ValidationError(_("Onbekende rol(len): %(roles)s") % {"roles": ", ".join(unknown)})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        is_fictional=is_fictional,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    if roles:
        user.groups.set(Group.objects.filter(name__in=roles))
    return user


@transaction.atomic
def access_grant_create(
    *,
    target: models.Model,
    granted_by: User,
    reason: str,
    grantee_user: User | None = None,
    grantee_group: Group | None = None,
    valid_until: datetime | None = None,
) -> AccessGrant:
    if (grantee_user is None) == (grantee_group is None):
        raise ValidationError(_("Kies precies één persoon of één rol."))
    if not reason.strip():
        raise ValidationError(_("Een reden is verplicht."))
    if valid_until is not None and valid_until <= timezone.now():
        raise ValidationError(_("De einddatum ligt in het verleden."))
    return AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        grantee_user=grantee_user,
        grantee_group=grantee_group,
        granted_by=granted_by,
        reason=reason.strip(),
        valid_until=valid_until,
    )


@transaction.atomic
def access_grant_revoke(*, grant: AccessGrant, revoked_by: User) -> AccessGrant:
    if grant.revoked_at is not None:
        raise ValidationError(_("Deze toegang is al ingetrokken."))
    grant.revoked_at = timezone.now()
    grant.revoked_by = revoked_by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant


@transaction.atomic
def api_token_regenerate(*, user: User) -> Token:
    """Replace the user's API token with a new one (the old one stops working at once)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


# --- Two-factor authentication (ADR 0021) ------------------------------------------------------
# The device and backup-code tables are not tracked by the audit log (their rows hold the
# secrets); every change is written as one explicit entry on the user, without any secret.

_TOTP_NAME = "Authenticator-app"
_BACKUP_NAME = "Back-upcodes"


def _two_factor_audit(*, user: User, actor: User | None, event: str) -> None:
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        user,
        action=LogEntry.Action.UPDATE,
        changes={"tweestapsverificatie": ["", event]},
        actor=actor or user,
    )


def _clean_token(token: str) -> str:
    return "".join(token.split()).lower()


def otp_verify(*, user: User, token: str) -> Device | None:
    """The confirmed device of ``user`` that accepts ``token`` (a TOTP code or a backup code).

    Not one transaction with the caller's writes: a wrong code must stay counted by
    django-otp's throttling even when the caller then refuses. A six-digit code is checked
    against the authenticator app only, anything else against the backup codes only, so a
    right code for one never counts as a failure for the other.
    """
    token = _clean_token(token)
    if not token:
        return None
    model: type[Device] = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True).order_by("pk"):
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                if isinstance(locked, StaticDevice):
                    _two_factor_audit(user=user, actor=user, event="back-upcode gebruikt")
                return locked
    return None


def otp_throttle_wait(*, user: User) -> int:
    """Seconds until django-otp accepts a code again for the user's app (0 when it does)."""
    wait = 0
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            wait = max(wait, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return wait


@transaction.atomic
def otp_device_create(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device for ``user``: the key to show once as QR code and text.

    An earlier unconfirmed device (a setup that was not finished) is replaced; a confirmed one
    must be removed first (``otp_device_remove``).
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("U heeft al een authenticator-app ingesteld."))
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_TOTP_NAME, confirmed=False)


def otp_device_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm ``device`` with a first code from the app; returns the new backup codes.

    The codes are returned once, to be shown once; only django-otp's table keeps them.
    """
    if device.confirmed:
        raise ValidationError(_("Deze app is al bevestigd."))
    token = _clean_token(token)
    # Verified outside the transaction below: a wrong code stays counted (throttling).
    if not (token.isdigit() and device.verify_token(token)):
        raise ValidationError({"code": _("De code klopt niet. Probeer de volgende code.")})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _backup_codes_replace(user=device.user)
        _two_factor_audit(user=device.user, actor=device.user, event="authenticator-app ingesteld")
    return codes


def _backup_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_BACKUP_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < 10:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def otp_backup_codes_regenerate(*, user: User, token: str) -> list[str]:
    """Ten new backup codes (the old ones stop working); needs a current code."""
    if otp_verify(user=user, token=token) is None:
        raise ValidationError({"code": _("De code klopt niet.")})
    with transaction.atomic():
        codes = _backup_codes_replace(user=user)
        _two_factor_audit(user=user, actor=user, event="back-upcodes vernieuwd")
    return codes


def otp_device_remove(*, user: User, token: str) -> None:
    """Remove the user's app and backup codes; needs a current code."""
    if otp_verify(user=user, token=token) is None:
        raise ValidationError({"code": _("De code klopt niet.")})
    otp_devices_reset(user=user, actor=user)


@transaction.atomic
def otp_devices_reset(*, user: User, actor: User) -> int:
    """Remove every two-factor device of ``user`` (a beheerder, when a phone is lost).

    The user sets up a new app at the next login when the role requires it.
    """
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _detail = model.objects.filter(user=user).delete()
        removed += count
    if removed:
        _two_factor_audit(user=user, actor=actor, event="tweestapsverificatie verwijderd")
    return removed
