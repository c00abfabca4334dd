"""Admin for the network: read-only, for inspection.

Every write goes through ``network.services`` (validation, the append-only declarations of
interest, erasure with its deletion log), so the admin offers no add, change or delete.  Contact
details are not listed in the overviews.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from paraat.network.models import (
    Candidate,
    Discipline,
    ErasureRecord,
    InterestDeclaration,
    Membership,
    Organisation,
    Person,
    PoolExpert,
    PracticeCircle,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "abbreviation", "kind", "is_synthetic")
    list_filter = ("kind", "is_synthetic")
    search_fields = ("name", "abbreviation")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "retention_until", "is_fictional", "anonymised_on")
    list_filter = ("is_fictional",)
    search_fields = ("name",)


@admin.register(Discipline)
class DisciplineAdmin(ReadOnlyAdmin):
    list_display = ("name_nl", "key", "position", "is_active")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("person", "role", "institution", "starts_on", "ends_on")
    list_filter = ("role",)


@admin.register(PoolExpert)
class PoolExpertAdmin(ReadOnlyAdmin):
    list_display = ("person", "availability_confirmed_on", "is_active")


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("person", "availability_confirmed_on", "is_active")


@admin.register(InterestDeclaration)
class InterestDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("person", "declared_on")


@admin.register(PracticeCircle)
class PracticeCircleAdmin(ReadOnlyAdmin):
    list_display = ("name", "lead_organisation", "response_hours", "is_active", "is_synthetic")


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ("person_ref", "action", "reason", "at")
