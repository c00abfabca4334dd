"""Admin for the advice process: read-only, for inspection.

Every write goes through ``advice.services``, which checks the process (who may move a
request, what the status allows) and keeps the history append-only: status changes,
revisions, votes, decisions, sign-offs, dispatches, publications, cabinet responses and the
statuses per recommendation are never edited or deleted, so the admin offers no add, change
or delete for any of them.  The other models are read-only too, because editing them here
would bypass the services' checks (a sent advice does not change; a token link is issued,
not typed).  The OMT documents are not in the admin at all: they are readable only with a
grant for one request, and every read is logged (``selectors.omt_documents``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from paraat.advice.models import (
    AdviceRequest,
    AdviceRevision,
    AdviceStatusChange,
    Assignment,
    CabinetResponse,
    Comment,
    Decision,
    DecisionRound,
    Dispatch,
    FollowUp,
    InformationItem,
    InputRequest,
    InputResponse,
    OmtAccessLog,
    Publication,
    Recommendation,
    RecommendationStatus,
    Reflection,
    SignOff,
    Vote,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable with the model's view permission; never added, changed or deleted here."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdviceRequest)
class AdviceRequestAdmin(ReadOnlyAdmin):
    list_display = ["key", "title", "requester", "kind", "received_at", "deadline", "is_synthetic"]
    list_filter = ["requester", "kind", "confidentiality", "is_synthetic"]
    search_fields = ["key", "title"]
    date_hierarchy = "received_at"


@admin.register(AdviceStatusChange)
class AdviceStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["request", "previous", "status", "actor", "at"]
    list_filter = ["status"]
    search_fields = ["request__key", "request__title"]


@admin.register(InformationItem)
class InformationItemAdmin(ReadOnlyAdmin):
    list_display = ["request", "title", "received_at", "added_by"]
    search_fields = ["title", "request__key"]


@admin.register(OmtAccessLog)
class OmtAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["briefing", "user", "at"]


@admin.register(InputRequest)
class InputRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "request",
        "recipient_kind",
        "recipient_name",
        "organisation",
        "deadline",
        "sent_at",
        "reminders",
        "revoked_at",
    ]
    list_filter = ["recipient_kind"]
    search_fields = ["recipient_name", "organisation", "request__key"]
    exclude = ["token_hash"]


@admin.register(InputResponse)
class InputResponseAdmin(ReadOnlyAdmin):
    list_display = ["input_request", "severity", "interests_status", "evidence", "submitted_at"]
    list_filter = ["severity", "interests_status"]


@admin.register(AdviceRevision)
class AdviceRevisionAdmin(ReadOnlyAdmin):
    list_display = ["request", "number", "base_number", "merged", "author", "created_at"]
    search_fields = ["request__key"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["request", "section", "kind", "author", "created_at"]
    list_filter = ["section", "kind"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["request", "task", "section", "assignee", "due", "done_at"]


@admin.register(DecisionRound)
class DecisionRoundAdmin(ReadOnlyAdmin):
    list_display = ["request", "mode", "quorum", "eligible", "closes_at", "opened_at"]
    list_filter = ["mode"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["round", "statement", "voter", "choice", "counted", "cast_at"]
    list_filter = ["choice", "counted"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["round", "outcome", "closed_by", "closed_at"]
    list_filter = ["outcome"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ["request", "revision", "chair", "at"]


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ["request", "recipient", "sent_at", "embargo_until", "sent_by"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["request", "published_at", "url", "published_by"]


@admin.register(Reflection)
class ReflectionAdmin(ReadOnlyAdmin):
    list_display = ["request", "institution", "author", "submitted_at"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["request", "number", "text"]


@admin.register(CabinetResponse)
class CabinetResponseAdmin(ReadOnlyAdmin):
    list_display = ["request", "date", "title", "recorded_by", "recorded_at"]


@admin.register(RecommendationStatus)
class RecommendationStatusAdmin(ReadOnlyAdmin):
    list_display = ["response", "recommendation", "status"]
    list_filter = ["status"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["request", "kind", "title", "reference", "date"]
    list_filter = ["kind"]
