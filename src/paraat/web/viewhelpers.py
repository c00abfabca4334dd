"""Small helpers shared by the pages of several apps (parsing and rendering only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from paraat.accounts.selectors import can_view_history
from paraat.audit.selectors import audit_changes, audit_event_for_object


def object_history(request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
    """The audit entries of ``obj`` for the history table, only for trusted roles."""
    if not can_view_history(user=request.user):
        return []
    return [
        {"entry": entry, "changes": audit_changes(entry)}
        for entry in audit_event_for_object(obj=obj)[:50]
    ]


def add_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where there is one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
