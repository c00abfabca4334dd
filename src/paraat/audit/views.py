from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paraat.audit.selectors import audit_changes, audit_event_list, audit_models


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@permission_required("accounts.view_audit", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    try:
        action: int | None = int(request.GET.get("action", ""))
    except ValueError:
        action = None
    entries = audit_event_list(
        model=request.GET.get("model", ""),
        actor=request.GET.get("actor", ""),
        action=action,
        since=_date(request.GET.get("since")),
        until=_date(request.GET.get("until")),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [{"entry": entry, "changes": audit_changes(entry)} for entry in page]
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": rows,
            "models": audit_models(),
            "actions": LogEntry.Action.choices,
            "filters": request.GET,
        },
    )
