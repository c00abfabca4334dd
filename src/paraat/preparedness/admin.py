"""Admin for standby: read-only, for inspection.

Every write goes through ``preparedness.services``, which keeps the histories append-only (mode
changes, playbook versions, minutes and their approval, action statuses, realisations), so the
admin offers no add, change or delete. Meeting documents and minutes are not in the admin:
they are read on the meeting's page, within its confidentiality level.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from paraat.preparedness.models import (
    BudgetLine,
    FundingStream,
    Meeting,
    ModeChange,
    PlaybookAction,
    PlaybookSection,
    PlaybookSectionVersion,
    Realisation,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Viewable with the model's view permission; never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ModeChange)
class ModeChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "mode", "scenario_level", "actor", "is_synthetic"]
    list_filter = ["mode", "scenario_level"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "status", "confidentiality", "is_synthetic"]
    list_filter = ["kind", "status", "confidentiality", "is_synthetic"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"


@admin.register(PlaybookSection)
class PlaybookSectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "element", "owner", "review_due_on", "is_synthetic"]
    list_filter = ["element"]


@admin.register(PlaybookSectionVersion)
class PlaybookSectionVersionAdmin(ReadOnlyAdmin):
    list_display = ["section", "number", "author", "created_at", "note"]


@admin.register(PlaybookAction)
class PlaybookActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "section", "status", "due_on", "source", "is_synthetic"]
    list_filter = ["status"]
    search_fields = ["title", "source"]


@admin.register(FundingStream)
class FundingStreamAdmin(ReadOnlyAdmin):
    list_display = ["name", "funder", "recipient", "starts_on", "ends_on", "is_synthetic"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["stream", "year", "amount", "description", "is_synthetic"]
    list_filter = ["year"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ["stream", "date", "amount", "description", "is_synthetic"]
    date_hierarchy = "date"
