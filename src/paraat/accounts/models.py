"""Users, confidentiality levels and per-object access grants."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Roles are Django groups (see ``paraat.accounts.roles``)."""

    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    is_fictional = models.BooleanField(
        _("fictief (demo)"),
        default=False,
        help_text=_("Demo-personen zijn fictief en worden zo getoond."),
    )
    deactivated_at = models.DateTimeField(
        _("gedeactiveerd op"),
        null=True,
        blank=True,
        help_text=_(
            "Sinds wanneer het account niet actief is; na de bewaartermijn wordt het "
            "gepseudonimiseerd (paraat accounts retention)."
        ),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        permissions = [
            ("view_confidential", _("Mag alle vertrouwelijke items zien")),
            ("view_audit", _("Mag de audittrail inzien")),
            ("erase_user", _("Mag accounts op verzoek verwijderen (pseudonimiseren)")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Confidentiality(models.TextChoices):
    """How widely a record may be shown. One check decides visibility everywhere."""

    PUBLIC = "public", _("openbaar")
    INTERNAL = "internal", _("intern")
    CONFIDENTIAL = "confidential", _("vertrouwelijk")


class ConfidentialityMixin(models.Model):
    confidentiality = models.CharField(
        _("vertrouwelijkheid"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
        db_index=True,
    )

    class Meta:
        abstract = True


class AccessGrant(models.Model):
    """Grants a person or a role access to one confidential record, by whom, why, until when.

    Grants are never edited: revoking appends ``revoked_at``/``revoked_by``.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    grantee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="access_grants",
    )
    grantee_group = models.ForeignKey(
        Group, verbose_name=_("rol"), null=True, blank=True, on_delete=models.CASCADE
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verleend door"),
        on_delete=models.PROTECT,
        related_name="access_grants_given",
    )
    reason = models.TextField(_("reden"))
    granted_at = models.DateTimeField(_("verleend op"), auto_now_add=True)
    valid_until = models.DateTimeField(_("geldig tot"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_grants_revoked",
    )

    class Meta:
        verbose_name = _("toegangsverlening")
        verbose_name_plural = _("toegangsverleningen")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(grantee_user__isnull=False, grantee_group__isnull=True)
                    | models.Q(grantee_user__isnull=True, grantee_group__isnull=False)
                ),
                name="accessgrant_exactly_one_grantee",
            )
        ]

    def __str__(self) -> str:
        who = self.grantee_user or self.grantee_group
        return f"{who} → {self.content_type.model}#{self.object_id}"


class AccountErasureReason(models.TextChoices):
    REQUEST = "request", _("op verzoek van de gebruiker")
    RETENTION = "retention", _("bewaartermijn verstreken")


class AccountErasure(models.Model):
    """Deletion log of accounts: that an account was pseudonymised, when and why — without any
    personal data (the account itself is then called ``verwijderd-<user_ref>``)."""

    user_ref = models.PositiveBigIntegerField(_("intern nummer account"), unique=True)
    reason = models.CharField(_("reden"), max_length=20, choices=AccountErasureReason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("verwijderd account")
        verbose_name_plural = _("verwijderde accounts")

    def __str__(self) -> str:
        return f"#{self.user_ref} ({self.reason})"
