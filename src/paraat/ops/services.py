"""Writes of paraat.ops: the outgoing mail queue (see ``paraat.ops.mail``)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.utils import timezone

from paraat.ops.models import MailStatus, OutboundMail

logger = logging.getLogger(__name__)


def _serialise(message: EmailMessage) -> dict[str, Any]:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def _message(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def mail_enqueue(*, messages: Sequence[EmailMessage]) -> list[OutboundMail]:
    now = timezone.now()
    rows = []
    for message in messages:
        if message.attachments:
            raise ValueError("the mail queue does not carry attachments: link to the file")
        recipients = message.recipients()
        if not recipients:
            continue
        rows.append(
            OutboundMail(
                message=_serialise(message),
                subject=str(message.subject)[:300],
                recipients=len(recipients),
                next_attempt_at=now,
            )
        )
    created = OutboundMail.objects.bulk_create(rows)
    if created:
        transaction.on_commit(_enqueue_delivery)
    return created


def _enqueue_delivery() -> None:
    from paraat.ops.tasks import mail_deliver_task

    try:
        mail_deliver_task.enqueue()
    except Exception:  # the timer's ``paraat mail deliver`` picks the mail up later
        logger.exception("mail delivery task could not be enqueued")


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4, … minutes, capped."""
    cap = settings.PARAAT_MAIL_RETRY_MAX_MINUTES
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), cap))


def _claim(limit: int) -> list[OutboundMail]:
    due = OutboundMail.objects.filter(
        status=MailStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    return list(due[:limit])


def mail_deliver_due(*, limit: int = 100) -> dict[str, int]:
    """Send what is due; returns how many were sent, deferred and given up."""
    counts = {"sent": 0, "deferred": 0, "failed": 0}
    backend = settings.PARAAT_EMAIL_DELIVERY_BACKEND
    with transaction.atomic():
        claimed = _claim(limit)
        if not claimed:
            return counts
        try:
            transport = get_connection(backend, fail_silently=False)
            transport.open()
        except Exception as exc:  # the server is down: every claimed message waits
            for mail in claimed:
                counts[_failed(mail, exc)] += 1
            return counts
        try:
            for mail in claimed:
                try:
                    transport.send_messages([_message(mail.message)])
                except Exception as exc:
                    counts[_failed(mail, exc)] += 1
                    continue
                mail.status = MailStatus.SENT
                mail.attempts += 1
                mail.sent_at = timezone.now()
                mail.last_error = ""
                mail.save(update_fields=["status", "attempts", "sent_at", "last_error"])
                counts["sent"] += 1
        finally:
            transport.close()
    if counts["deferred"]:
        _schedule_retry()
    return counts


def _failed(mail: OutboundMail, exc: Exception) -> str:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:300]
    if mail.attempts >= settings.PARAAT_MAIL_MAX_ATTEMPTS:
        mail.status = MailStatus.FAILED
        logger.error(
            "mail %s given up after %s attempts: %s", mail.pk, mail.attempts, mail.last_error
        )
    else:
        mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
        logger.warning("mail %s deferred (attempt %s): %s", mail.pk, mail.attempts, mail.last_error)
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    return "failed" if mail.status == MailStatus.FAILED else "deferred"


def _schedule_retry() -> None:
    """Enqueue a delivery run for when the earliest deferred message is due."""
    from paraat.ops.tasks import mail_deliver_task

    earliest = (
        OutboundMail.objects.filter(status=MailStatus.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if earliest is None:
        return

    def enqueue() -> None:
        try:
            mail_deliver_task.using(run_after=earliest).enqueue()
        except Exception:
            logger.exception("mail retry could not be scheduled")

    transaction.on_commit(enqueue)


def mail_prune(*, older_than_days: int) -> int:
    """Delete sent messages older than ``older_than_days`` (their content is kept no longer)."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _ = OutboundMail.objects.filter(status=MailStatus.SENT, sent_at__lt=cutoff).delete()
    return deleted
