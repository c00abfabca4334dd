"""Operations models: the outgoing mail queue (outbox)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    PENDING = "pending", _("in de wachtrij")
    SENT = "sent", _("verzonden")
    FAILED = "failed", _("mislukt (opgegeven)")


class OutboundMail(models.Model):
    """One e-mail message waiting for, or past, delivery.

    Every ``send_mail`` of the site lands here through ``paraat.ops.mail.OutboxBackend``;
    ``paraat.ops.mail.deliver_due`` hands it to the real mail backend and retries with growing
    waits when the mail server is unreachable.  ``message`` is the message in plain fields
    (subject, body, sender, recipients, headers, alternatives) — notification mails carry no
    confidential content by design (they link to the page).
    """

    message = models.JSONField(_("bericht"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    recipients = models.PositiveIntegerField(_("aantal ontvangers"))
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), db_index=True)
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.status})"
