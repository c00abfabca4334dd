"""The outgoing mail queue: store first, deliver after, retry when the server is down.

``OutboxBackend`` is the site's ``EMAIL_BACKEND`` in production: ``send_mail`` and friends
store each message as an ``OutboundMail`` row (in the caller's transaction, so a rolled-back
change sends nothing) and, once the transaction commits, enqueue the delivery task.
``deliver_due`` hands due messages to the real backend (``PARAAT_EMAIL_DELIVERY_BACKEND``,
SMTP by default); a message that fails is retried after 1, 2, 4, … minutes (capped at
``PARAAT_MAIL_RETRY_MAX_MINUTES``) up to ``PARAAT_MAIL_MAX_ATTEMPTS`` attempts, then marked
failed and logged. ``paraat mail deliver`` (from a timer) picks up whatever is due, so mail
queued while no worker ran is sent too. Rows are claimed with ``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL, so several workers never send one message twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from paraat.ops.services import mail_enqueue


class OutboxBackend(BaseEmailBackend):
    """An e-mail backend that queues instead of sending (see the module docstring)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        queued = mail_enqueue(messages=email_messages)
        return len(queued)
