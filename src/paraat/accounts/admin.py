from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from paraat.accounts import services
from paraat.accounts.models import AccessGrant, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("paraat", {"fields": ("organisation", "is_fictional")}),
    )
    list_display = ["username", "email", "first_name", "last_name", "organisation", "is_active"]
    actions = ["two_factor_reset"]

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
