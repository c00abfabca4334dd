from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request


class ModelPermissionsOrReadOnly(permissions.DjangoModelPermissions):
    """Reads are open (each view filters to what the user may see); writes need model perms."""

    anonymous_read = True  # the OpenAPI document marks reads as open (``api.schema``)

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return False
        return super().has_permission(request, view)
