"""Admin for activation: read-only inspection, except the default checklist items.

Every write of the path goes through ``activation.services`` (status history, judgements,
signals, decisions and decree versions are appended, never edited). The default items of the
operational checklist (``ChecklistDefault``) are editable data: the CPO keeps them here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from paraat.activation.models import (
    ActivationCase,
    ActivationDecision,
    ActivationSignal,
    ActivationStatusChange,
    ChecklistDefault,
    ChecklistItem,
    CriterionJudgement,
    EstablishmentDecree,
    SecondmentAgreement,
    SecondmentAssignment,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SecondmentAgreement)
class SecondmentAgreementAdmin(ReadOnlyAdmin):
    list_display = ("ministry", "people", "fte", "lead_time_days", "valid_until", "is_synthetic")
    list_filter = ("is_synthetic",)


@admin.register(ActivationCase)
class ActivationCaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "scenario_level", "confidentiality", "is_synthetic", "created_at")
    list_filter = ("confidentiality", "is_synthetic")
    search_fields = ("title",)


@admin.register(ActivationStatusChange)
class ActivationStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("case", "status", "previous", "actor", "at")
    list_filter = ("status",)


@admin.register(CriterionJudgement)
class CriterionJudgementAdmin(ReadOnlyAdmin):
    list_display = ("case", "criterion", "judgement", "actor", "at")


@admin.register(ActivationSignal)
class ActivationSignalAdmin(ReadOnlyAdmin):
    list_display = ("case", "number", "recipient", "created_at", "sent_on")


@admin.register(ActivationDecision)
class ActivationDecisionAdmin(ReadOnlyAdmin):
    list_display = ("case", "decision", "decided_at", "recorded_by")


@admin.register(EstablishmentDecree)
class EstablishmentDecreeAdmin(ReadOnlyAdmin):
    list_display = ("case", "number", "decree_date", "term", "adopted_on")


@admin.register(SecondmentAssignment)
class SecondmentAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("case", "agreement", "name", "fte", "starts_on")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ("case", "title", "done_at")


@admin.register(ChecklistDefault)
class ChecklistDefaultAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The items a new case's checklist starts with (editable; no deletes: deactivate)."""

    list_display = ("title", "order", "is_active")
    list_editable = ("order", "is_active")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
