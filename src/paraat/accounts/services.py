"""Writes for accounts: roles, users, access grants, API tokens, two-factor devices, and the
privacy of accounts (export record, erasure on request, retention)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from paraat.accounts.models import AccessGrant, AccountErasure, AccountErasureReason, User
from paraat.accounts.roles import ROLES, ROLES_BY_KEY
from paraat_core.network_coverage import months_before

logger = logging.getLogger("paraat.accounts")


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
    is_staff: bool | None = None,
) -> User:
    """A new account with ``roles``. ``is_staff`` (the Django admin at ``/beheer/``, where it
    shows what the roles' permissions allow) defaults to ``is_superuser``."""
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
        is_staff=is_superuser if is_staff is None else is_staff,
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


# --- Privacy: export, erasure on request, retention (docs/privacy.md) --------------------------
# Accounts are never deleted: the append-only audit trail keeps pointing at them (on PostgreSQL a
# trigger refuses any change to it). Erasure pseudonymises the account instead, with bulk updates
# so that no new audit entry copies the old name or e-mail address into the trail again.

ERASE_PERM = "accounts.erase_user"


@dataclass(frozen=True)
class AccountErasureOutcome:
    user_ref: int
    reason: str


@dataclass(frozen=True)
class AccountRetentionOutcome:
    user_ref: int
    action: str  # "deactivated" or "erased"


def pseudonym(user_ref: int) -> str:
    return f"verwijderd-{user_ref}"


def _free_pseudonym(user_ref: int) -> str:
    name, n = pseudonym(user_ref), 1
    while User.objects.filter(username__iexact=name).exclude(pk=user_ref).exists():
        n += 1
        name = f"{pseudonym(user_ref)}-{n}"
    return name


@transaction.atomic
def account_export_record(*, user: User, actor: User) -> None:
    """Write to the audit trail that ``actor`` downloaded the data of account ``user``
    (``selectors.account_data``); the entry names the account by internal number only."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        user,
        action=LogEntry.Action.ACCESS,
        changes={"export": ["", "accountgegevens gedownload (JSON)"]},
        actor=actor,
        object_repr=f"#{user.pk}",
    )


def _sessions_delete(*, user_pk: int) -> int:
    from django.contrib.sessions.models import Session

    keys = [
        session.session_key
        for session in Session.objects.all().iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_pk)
    ]
    count, _detail = Session.objects.filter(session_key__in=keys).delete()
    return count


def _login_records_delete(*, username: str) -> None:
    """The login throttling's records of the user name (times, addresses, browsers)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=username).delete()


def account_erase(*, user: User, reason: str, actor: User) -> AccountErasureOutcome:
    """Erase an account on request (a beheerder, ``accounts.erase_user``): see
    :func:`_account_erase`. A beheerder cannot erase their own account, nor a superuser's
    unless they are one."""
    if not (actor and actor.is_authenticated and actor.is_active and actor.has_perm(ERASE_PERM)):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
    if user.pk == actor.pk:
        raise ValidationError(
            {"user": _("U kunt uw eigen account niet verwijderen; vraag een andere beheerder.")}
        )
    if user.is_superuser and not actor.is_superuser:
        raise ValidationError({"user": _("Alleen een superuser kan een superuser verwijderen.")})
    return _account_erase(user=user, reason=reason, actor=actor)


@transaction.atomic
def _account_erase(*, user: User, reason: str, actor: User | None) -> AccountErasureOutcome:
    """Deactivate the account and replace user name, name, e-mail address and organisation by
    the pseudonym ``verwijderd-<id>``; delete its two-factor devices, API token, sessions, roles
    and the login throttling's records; write an ``AccountErasure`` without personal data.

    The audit trail stays as it is: its entries keep pointing at the (now pseudonymised)
    account. ``actor`` is ``None`` for the scheduled retention run."""
    from auditlog.models import LogEntry

    if reason not in AccountErasureReason.values:
        raise ValidationError({"reason": _("Kies een reden.")})
    locked = User.objects.select_for_update().get(pk=user.pk)
    if AccountErasure.objects.filter(user_ref=locked.pk).exists():
        raise ValidationError({"user": _("Dit account is al verwijderd.")})
    ref = locked.pk
    now = timezone.now()
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=locked).delete()
    Token.objects.filter(user=locked).delete()
    _sessions_delete(user_pk=ref)
    _login_records_delete(username=locked.get_username())
    User.objects.filter(pk=ref).update(
        username=_free_pseudonym(ref),
        first_name="",
        last_name="",
        email="",
        organisation="",
        password=make_password(None),
        is_active=False,
        is_staff=False,
        is_superuser=False,
        last_login=None,
        deactivated_at=locked.deactivated_at or now,
    )
    locked.refresh_from_db()
    locked.groups.clear()
    locked.user_permissions.clear()
    AccountErasure.objects.create(user_ref=ref, reason=reason, actor=actor, at=now)
    LogEntry.objects.log_create(
        locked,
        action=LogEntry.Action.UPDATE,
        changes={"verwijdering": ["", f"account gepseudonimiseerd ({reason})"]},
        actor=actor,
    )
    logger.info("accounts erasure: account #%s pseudonymised (reason: %s)", ref, reason)
    return AccountErasureOutcome(user_ref=ref, reason=reason)


def retention_months() -> int:
    return int(getattr(settings, "PARAAT_ACCOUNT_RETENTION_MONTHS", 24))


def retention_cutoff(*, now: datetime) -> datetime:
    """The moment ``PARAAT_ACCOUNT_RETENTION_MONTHS`` calendar months before ``now``."""
    today = timezone.localtime(now).date()
    return now - timedelta(days=(today - months_before(today, retention_months())).days)


def account_retention_run(
    *, now: datetime | None = None, dry_run: bool = False
) -> list[AccountRetentionOutcome]:
    """Apply the retention period to accounts; with ``dry_run`` only say what would happen.

    1. An account deactivated by hand (in the admin) without a date gets today's date, and an
       active account loses a date left over from an earlier deactivation.
    2. An active account that has not logged in (or, never logged in, was made) before the
       cut-off is deactivated (an audit entry by the system).
    3. An account deactivated before the cut-off is erased (:func:`_account_erase`), each in a
       transaction of its own.
    """
    moment = now or timezone.now()
    cutoff = retention_cutoff(now=moment)
    erased = AccountErasure.objects.values_list("user_ref", flat=True)
    outcomes: list[AccountRetentionOutcome] = []
    if not dry_run:
        User.objects.filter(is_active=False, deactivated_at__isnull=True).exclude(
            pk__in=erased
        ).update(deactivated_at=moment)
        User.objects.filter(is_active=True, deactivated_at__isnull=False).update(
            deactivated_at=None
        )
    idle = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    for user in idle.order_by("pk"):
        if not dry_run:
            with transaction.atomic():
                user.is_active = False
                user.deactivated_at = moment
                user.save(update_fields=["is_active", "deactivated_at"])
            logger.info("accounts retention: account #%s deactivated", user.pk)
        outcomes.append(AccountRetentionOutcome(user_ref=user.pk, action="deactivated"))
    due = (
        User.objects.filter(is_active=False, deactivated_at__lt=cutoff)
        .exclude(pk__in=erased)
        .order_by("pk")
    )
    for user in due:
        if not dry_run:
            _account_erase(user=user, reason=AccountErasureReason.RETENTION, actor=None)
        outcomes.append(AccountRetentionOutcome(user_ref=user.pk, action="erased"))
    return outcomes
