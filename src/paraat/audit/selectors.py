"""Reads of the append-only audit trail (django-auditlog's LogEntry, see ADR 0006)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet


def audit_event_list(
    *,
    model: str = "",
    actor: str = "",
    action: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[LogEntry]:
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if model:
        app_label, _dot, model_name = model.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    if actor:
        qs = qs.filter(actor__username=actor)
    if action is not None:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(timestamp__date__gte=since)
    if until:
        qs = qs.filter(timestamp__date__lte=until)
    return qs


def audit_event_for_object(*, obj: models.Model) -> QuerySet[LogEntry]:
    content_type = ContentType.objects.get_for_model(obj)
    return (
        LogEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk))
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )


def audit_models() -> list[tuple[str, str]]:
    pairs = (
        LogEntry.objects.values_list("content_type__app_label", "content_type__model")
        .distinct()
        .order_by("content_type__app_label", "content_type__model")
    )
    return [(f"{app}.{name}", f"{app}.{name}") for app, name in pairs]


def audit_changes(entry: LogEntry) -> list[dict[str, Any]]:
    """The entry's changes as rows of field, before, after."""
    changes = entry.changes_dict or {}
    rows = []
    for field, change in changes.items():
        if isinstance(
            change, dict
        ):  # m2m changes: {"type": ..., "objects": [...], "operation": ...}
            rows.append(
                {
                    "field": field,
                    "before": "",
                    "after": "{}: {}".format(
                        change.get("operation", ""), ", ".join(map(str, change.get("objects", [])))
                    ),
                }
            )
        else:
            before, after = ([*list(change), "", ""])[:2]
            rows.append({"field": field, "before": before, "after": after})
    return rows
