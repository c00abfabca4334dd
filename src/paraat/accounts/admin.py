from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from paraat.accounts import services
from paraat.accounts.models import AccessGrant, AccountErasure, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("paraat", {"fields": ("organisation", "is_fictional", "deactivated_at", "privacy")}),
    )
    list_display = ["username", "email", "first_name", "last_name", "organisation", "is_active"]
    actions = ["two_factor_reset"]

    @admin.display(description=_("Privacy"))
    def privacy(self, obj: User | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("accounts:user_data", args=[obj.pk]),
            _("Gegevens van dit account, downloaden en verwijderen op verzoek"),
        )

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        readonly = ["deactivated_at", "privacy", "last_login", "date_joined"]
        # Only a superuser makes superusers or gives loose permissions: a beheerder (staff
        # with the role's permissions) manages accounts and their roles, not their own rights.
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # The retention period of a deactivated account counts from its deactivation.
        if "is_active" in form.changed_data:
            obj.deactivated_at = None if obj.is_active else timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(
        description=_("Tweestapsverificatie resetten (telefoon kwijt)"),
        permissions=["change"],
    )
    def two_factor_reset(self, request, queryset):  # type: ignore[no-untyped-def]
        for user in queryset:
            services.otp_devices_reset(user=user, actor=request.user)
        self.message_user(
            request, _("Tweestapsverificatie gereset; stel bij inloggen opnieuw in."), messages.INFO
        )

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Accounts are deactivated, never deleted: the audit trail keeps pointing at them.
        return False


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = [
        "content_type",
        "object_id",
        "grantee_user",
        "grantee_group",
        "granted_by",
        "granted_at",
        "valid_until",
        "revoked_at",
    ]

    # Grants are made and revoked through accounts.services (which checks them), not here.
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AccountErasure)
class AccountErasureAdmin(admin.ModelAdmin):
    """The deletion log of accounts (no personal data); written only by the erasure service."""

    list_display = ["user_ref", "reason", "actor", "at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
