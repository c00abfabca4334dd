from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

import paraat
from paraat.indicators.permissions import MANAGE_PERMS as MANAGE_INDICATOR_PERMS


def site(request: HttpRequest) -> dict[str, Any]:
    # Error pages for requests refused before authentication (e.g. a bad Host header) have no
    # user yet: they must render, not fail again.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "paraat_version": paraat.__version__,
        # The demo runs with 2FA enforcement off (PARAAT_REQUIRE_2FA=0); the header says so.
        "two_factor_off": not settings.PARAAT_REQUIRE_2FA,
        "can_edit_catalog": user.is_authenticated and user.has_perm("measures.change_measure"),
        "can_import": user.is_authenticated and user.has_perm("measures.import_oxcgrt"),
        "can_view_audit": user.is_authenticated and user.has_perm("accounts.view_audit"),
        "can_edit_taxonomies": user.is_authenticated and user.has_perm("taxonomies.change_domain"),
        "can_manage_indicators": user.is_authenticated
        and any(user.has_perm(perm) for perm in MANAGE_INDICATOR_PERMS),
    }
