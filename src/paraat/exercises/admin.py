"""Admin for the exercises: read-only, for inspection (writes go through ``services``; the
clock history and the delivery log are append-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from paraat.exercises.models import (
    ClockEvent,
    Evaluation,
    ExerciseRun,
    Inject,
    InjectDelivery,
    Lesson,
    Participant,
    Scenario,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ["key", "title", "is_synthetic", "created_at"]
    search_fields = ["key", "title"]


@admin.register(Inject)
class InjectAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "offset_minutes", "kind", "title", "is_synthetic"]
    list_filter = ["kind", "is_synthetic"]


@admin.register(ExerciseRun)
class ExerciseRunAdmin(ReadOnlyAdmin):
    list_display = ["title", "scenario", "speed_factor", "created_at"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["run", "user", "role"]


@admin.register(ClockEvent)
class ClockEventAdmin(ReadOnlyAdmin):
    list_display = ["run", "action", "at", "actor"]


@admin.register(InjectDelivery)
class InjectDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["run", "inject", "due_minutes", "delivered_at", "advice_request"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["run", "created_at", "updated_at"]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "title", "playbook_action"]
