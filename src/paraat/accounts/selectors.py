"""Reads for accounts, and the one visibility check used by pages, API, exports and search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from paraat.accounts.models import AccessGrant, AccountErasure, Confidentiality, User
from paraat.accounts.roles import ROLES_BY_KEY

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser


def user_role_keys(*, user: AnyUser) -> list[str]:
    if not user.is_authenticated:
        return []
    return [name for name in user.groups.values_list("name", flat=True) if name in ROLES_BY_KEY]


def _active_grants(*, user: User, content_type: ContentType) -> QuerySet[AccessGrant]:
    now = timezone.now()
    return AccessGrant.objects.filter(
        content_type=content_type,
        revoked_at__isnull=True,
    ).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now),
        Q(grantee_user=user) | Q(grantee_group__in=user.groups.all()),
    )


def visible_levels(*, user: AnyUser) -> list[str]:
    if not user.is_authenticated or not user.is_active:
        return [Confidentiality.PUBLIC]
    if user.is_superuser or user.has_perm("accounts.view_confidential"):
        return [Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.CONFIDENTIAL]
    if user_role_keys(user=user):
        return [Confidentiality.PUBLIC, Confidentiality.INTERNAL]
    # Logged in without any role (e.g. a deactivated role): like the public.
    return [Confidentiality.PUBLIC]


def filter_visible(*, user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Restrict a queryset of a model with a ``confidentiality`` field to what ``user`` may see."""
    levels = visible_levels(user=user)
    condition = Q(confidentiality__in=levels)
    if user.is_authenticated and Confidentiality.CONFIDENTIAL not in levels:
        assert isinstance(user, User)
        content_type = ContentType.objects.get_for_model(queryset.model)
        granted: list[Any] = list(
            _active_grants(user=user, content_type=content_type).values_list("object_id", flat=True)
        )
        if granted:
            pk_field = queryset.model._meta.pk
            assert pk_field is not None
            condition |= Q(pk__in=[pk_field.to_python(value) for value in granted])
    return queryset.filter(condition)


def can_view(*, user: AnyUser, obj: models.Model) -> bool:
    level = getattr(obj, "confidentiality", Confidentiality.INTERNAL)
    if level in visible_levels(user=user):
        return True
    if not user.is_authenticated:
        return False
    assert isinstance(user, User)
    content_type = ContentType.objects.get_for_model(obj)
    return (
        _active_grants(user=user, content_type=content_type).filter(object_id=str(obj.pk)).exists()
    )


def user_get(*, username: str) -> User | None:
    """The active account called ``username`` (``None`` if there is none)."""
    return User.objects.filter(username=username, is_active=True).first()


def api_token_exists(*, user: User) -> bool:
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).exists()


def can_view_history(*, user: AnyUser) -> bool:
    """Change histories may hold earlier, more confidential versions: only for trusted roles."""
    return user.is_authenticated and (
        user.has_perm("accounts.view_confidential") or user.has_perm("accounts.view_audit")
    )


def access_grant_list(*, obj: models.Model) -> QuerySet[AccessGrant]:
    content_type = ContentType.objects.get_for_model(obj)
    return AccessGrant.objects.filter(
        content_type=content_type, object_id=str(obj.pk)
    ).select_related("grantee_user", "grantee_group", "granted_by", "revoked_by")


# --- What paraat stores about an account ("Mijn gegevens", export, erasure) --------------------

RECENT_AUDIT_ENTRIES = 10
RECENT_LOGINS = 10
EXPORT_FORMAT = "paraat-account-export/1"

# Relations to the account that the overview shows on their own (or that hold secrets and are
# shown without them); every other model pointing at the account is counted per kind.
_SHOWN_APART = frozenset(
    {
        "auditlog.logentry",
        "authtoken.token",
        "authtoken.tokenproxy",
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "accounts.accessgrant",
        "accounts.accounterasure",
    }
)


def _plain(value: Any) -> Any:
    """Plain JSON data: dates and times as ISO 8601 text, also inside lists and dicts."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class AccountData:
    """Everything paraat stores about one account (no secrets); ``as_data`` gives it as JSON data:
    the page "Mijn gegevens", its JSON export and the beheerder's page read this one record.

    Never in it: the password hash, the two-factor secrets and backup codes, the API token's
    key, session keys."""

    account: dict[str, Any]
    roles: list[dict[str, str]]
    two_factor_devices: list[dict[str, Any]]
    api_token: dict[str, Any] | None
    sessions: list[dict[str, Any]]
    logins: list[dict[str, Any]]
    audit: dict[str, Any]
    access_grants: list[dict[str, Any]]
    records: list[dict[str, Any]]
    erased: bool

    def as_data(self, *, now: dt.datetime | None = None) -> dict[str, Any]:
        """The export: the same record as plain JSON data."""
        return _plain(
            {
                "format": EXPORT_FORMAT,
                "generated_at": now or timezone.now(),
                "account_ref": self.account["id"],
                "account": self.account,
                "roles": self.roles,
                "two_factor_devices": self.two_factor_devices,
                "api_token": self.api_token,
                "sessions": self.sessions,
                "logins": self.logins,
                "audit": self.audit,
                "access_grants": self.access_grants,
                "records": self.records,
            }
        )


def _account_fields(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": user.organisation,
        "is_active": user.is_active,
        "is_fictional": user.is_fictional,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "deactivated_at": user.deactivated_at,
    }


def _two_factor_devices(user: User) -> list[dict[str, Any]]:
    """Names and kinds only: never the key, never a backup code."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    rows: list[dict[str, Any]] = []
    for model, kind in (
        (TOTPDevice, "Authenticator-app (TOTP)"),
        (StaticDevice, "Back-upcodes"),
    ):
        for device in model.objects.filter(user=user).order_by("pk"):
            rows.append(
                {
                    "type": kind,
                    "name": device.name,
                    "confirmed": device.confirmed,
                    "created_at": device.created_at,
                    "last_used_at": device.last_used_at,
                }
            )
    return rows


def _api_token(user: User) -> dict[str, Any] | None:
    """When the token was made: never its key (the key is the secret itself)."""
    from rest_framework.authtoken.models import Token

    created = Token.objects.filter(user=user).values_list("created", flat=True).first()
    return None if created is None else {"created": created}


def _sessions(user: User, *, current_key: str | None) -> list[dict[str, Any]]:
    """The account's unexpired sessions: expiry and whether it is this browser — no keys."""
    from django.contrib.sessions.models import Session

    rows = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).order_by("expire_date"):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            rows.append(
                {
                    "expires_at": session.expire_date,
                    "current": bool(current_key) and session.session_key == current_key,
                }
            )
    return rows


def _logins(user: User) -> list[dict[str, Any]]:
    """The latest logins the login throttling (django-axes) recorded: time, address, browser."""
    from axes.models import AccessLog

    rows = AccessLog.objects.filter(username=user.get_username()).order_by("-attempt_time")
    return [
        {
            "at": row.attempt_time,
            "logout_at": row.logout_time,
            "ip_address": row.ip_address,
            "user_agent": row.user_agent,
        }
        for row in rows[:RECENT_LOGINS]
    ]


def _audit(user: User) -> dict[str, Any]:
    """How many audit entries the account made, and the latest few: when, what kind of change,
    which kind of record and its number — not the record's name or the values (they may be
    other people's data or confidential)."""
    from auditlog.models import LogEntry

    made = LogEntry.objects.filter(actor=user)
    content_type = ContentType.objects.get_for_model(User)
    about = LogEntry.objects.filter(content_type=content_type, object_pk=str(user.pk)).count()
    recent = made.select_related("content_type").order_by("-timestamp", "-pk")
    actions = dict(LogEntry.Action.choices)
    return {
        "entries_made": made.count(),
        "entries_about_account": about,
        "recent": [
            {
                "at": entry.timestamp,
                "action": str(actions.get(entry.action, entry.action)),
                "kind": _kind(entry.content_type),
                "object_id": entry.object_pk,
            }
            for entry in recent[:RECENT_AUDIT_ENTRIES]
        ],
    }


def _kind(content_type: ContentType | None) -> str:
    model = content_type.model_class() if content_type is not None else None
    if model is None:
        return content_type.model if content_type is not None else ""
    return str(model._meta.verbose_name)


def _access_grants(user: User) -> list[dict[str, Any]]:
    rows = AccessGrant.objects.filter(grantee_user=user).select_related("content_type")
    return [
        {
            "kind": _kind(grant.content_type),
            "object_id": grant.object_id,
            "granted_at": grant.granted_at,
            "valid_until": grant.valid_until,
            "revoked_at": grant.revoked_at,
        }
        for grant in rows.order_by("granted_at", "pk")
    ]


def account_references(*, user: User) -> list[dict[str, Any]]:
    """Rows elsewhere in paraat that point at the account (made by, recorded by, participant,
    linked network person, …), counted per kind of record — one query per kind."""
    by_model: dict[type[models.Model], list[str]] = {}
    for relation in User._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model
        if related is None or related._meta.label_lower in _SHOWN_APART:
            continue
        if related._meta.proxy:
            continue
        by_model.setdefault(related, []).append(relation.field.name)  # type: ignore[union-attr]
    rows = []
    for related, names in by_model.items():
        condition = Q()
        for name in names:
            condition |= Q(**{name: user})
        number = related._default_manager.filter(condition).count()
        if number:
            rows.append(
                {
                    "app": str(related._meta.app_config.verbose_name),
                    "kind": str(related._meta.verbose_name_plural),
                    "model": related._meta.label_lower,
                    "number": number,
                }
            )
    return sorted(rows, key=lambda row: (row["app"].lower(), row["kind"].lower()))


def account_data(*, user: User, current_session_key: str | None = None) -> AccountData:
    """What paraat stores about ``user`` (see :class:`AccountData`)."""
    groups = list(user.groups.values_list("name", flat=True))
    return AccountData(
        account=_account_fields(user),
        roles=[
            {"key": key, "name": str(ROLES_BY_KEY[key].name) if key in ROLES_BY_KEY else key}
            for key in sorted(groups)
        ],
        two_factor_devices=_two_factor_devices(user),
        api_token=_api_token(user),
        sessions=_sessions(user, current_key=current_session_key),
        logins=_logins(user),
        audit=_audit(user),
        access_grants=_access_grants(user),
        records=account_references(user=user),
        erased=AccountErasure.objects.filter(user_ref=user.pk).exists(),
    )


def account_get(*, pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def account_erasure_exists(*, user: User) -> bool:
    return AccountErasure.objects.filter(user_ref=user.pk).exists()
