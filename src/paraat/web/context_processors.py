from __future__ import annotations

from typing import Any

from django.http import HttpRequest

import paraat
from paraat.indicators.permissions import MANAGE_PERMS as MANAGE_INDICATOR_PERMS


def site(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "paraat_version": paraat.__version__,
        "can_edit_catalog": user.is_authenticated and user.has_perm("measures.change_measure"),
        "can_import": user.is_authenticated and user.has_perm("measures.import_oxcgrt"),
        "can_view_audit": user.is_authenticated and user.has_perm("accounts.view_audit"),
        "can_edit_taxonomies": user.is_authenticated and user.has_perm("taxonomies.change_domain"),
        "can_manage_indicators": user.is_authenticated
        and any(user.has_perm(perm) for perm in MANAGE_INDICATOR_PERMS),
    }
