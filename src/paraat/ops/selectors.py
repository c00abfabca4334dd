"""Reads of paraat.ops."""

from __future__ import annotations

from django.db.models import Count, Min

from paraat.ops.models import MailStatus, OutboundMail


def mail_queue_summary() -> dict[str, object]:
    counts = dict(
        OutboundMail.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    oldest = OutboundMail.objects.filter(status=MailStatus.PENDING).aggregate(m=Min("created_at"))
    return {
        "pending": counts.get(MailStatus.PENDING, 0),
        "sent": counts.get(MailStatus.SENT, 0),
        "failed": counts.get(MailStatus.FAILED, 0),
        "oldest_pending": oldest["m"].isoformat() if oldest["m"] else None,
    }
