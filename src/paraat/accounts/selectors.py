"""Reads for accounts, and the one visibility check used by pages, API, exports and search."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from paraat.accounts.models import AccessGrant, Confidentiality, User
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
