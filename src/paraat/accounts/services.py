"""Writes for accounts: roles, users, access grants and API tokens."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
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
