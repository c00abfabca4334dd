"""The outgoing mail queue: nothing lost while the mail server is down, nothing sent twice."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from paraat.ops import services
from paraat.ops.models import MailStatus, OutboundMail
from paraat.ops.selectors import mail_queue_summary

pytestmark = pytest.mark.django_db


class DownBackend(LocmemBackend):
    """A mail server that refuses connections (as SMTP does when it is down)."""

    def open(self) -> bool:
        raise ConnectionRefusedError(111, "Connection refused")


class FlakyBackend(LocmemBackend):
    """Accepts the connection, fails on the first message it is given, then works."""

    calls = 0

    def send_messages(self, messages: Any) -> int:
        type(self).calls += 1
        if type(self).calls == 1:
            raise OSError("temporary failure")
        return super().send_messages(messages)


@pytest.fixture
def outbox(settings) -> None:
    settings.EMAIL_BACKEND = "paraat.ops.mail.OutboxBackend"
    settings.PARAAT_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PARAAT_MAIL_MAX_ATTEMPTS = 3
    settings.PARAAT_MAIL_RETRY_MAX_MINUTES = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_send_mail_is_queued_then_delivered(
    outbox: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Onderwerp", "Tekst", None, ["a@example.org", "b@example.org"])
    # The immediate task backend of the tests delivered it on commit.
    row = OutboundMail.objects.get()
    assert row.status == MailStatus.SENT
    assert row.recipients == 2
    assert [m.subject for m in mail.outbox] == ["Onderwerp"]
    assert mail.outbox[0].to == ["a@example.org", "b@example.org"]


def test_a_rolled_back_change_sends_nothing(outbox: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Onderwerp", "Tekst", None, ["a@example.org"])
        raise RuntimeError("the change fails")
    assert not OutboundMail.objects.exists()
    assert mail.outbox == []


def test_html_alternatives_and_headers_survive_the_queue(outbox: None, settings) -> None:
    settings.PARAAT_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = mail.EmailMultiAlternatives(
        "Onderwerp", "platte tekst", "x@example.org", ["a@example.org"], headers={"X-Paraat": "1"}
    )
    message.attach_alternative("<p>html</p>", "text/html")
    services.mail_enqueue(messages=[message])
    assert services.mail_deliver_due()["sent"] == 1
    sent = mail.outbox[-1]
    assert sent.alternatives[0][0] == "<p>html</p>"
    assert sent.extra_headers["X-Paraat"] == "1"


def test_mail_server_down_queues_and_retries_with_growing_waits(outbox: None, settings) -> None:
    settings.PARAAT_EMAIL_DELIVERY_BACKEND = f"{__name__}.DownBackend"
    services.mail_enqueue(messages=[EmailMessage("S", "B", None, ["a@example.org"])])
    first = services.mail_deliver_due()
    assert first == {"sent": 0, "deferred": 1, "failed": 0}
    row = OutboundMail.objects.get()
    assert row.status == MailStatus.PENDING
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > timezone.now()
    # Not due yet: nothing is tried.
    assert services.mail_deliver_due() == {"sent": 0, "deferred": 0, "failed": 0}
    # The server is back once the wait is over.
    OutboundMail.objects.update(next_attempt_at=timezone.now())
    settings.PARAAT_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.mail_deliver_due()["sent"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MailStatus.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_a_real_smtp_connection_refused_keeps_the_mail(outbox: None, settings) -> None:
    """The SMTP backend against a closed port on loopback: the mail waits in the queue."""
    settings.PARAAT_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()
    settings.EMAIL_TIMEOUT = 2
    services.mail_enqueue(messages=[EmailMessage("S", "B", None, ["a@example.org"])])
    assert services.mail_deliver_due()["deferred"] == 1
    assert OutboundMail.objects.get().status == MailStatus.PENDING


def test_gives_up_after_the_maximum_attempts(outbox: None, settings, caplog) -> None:
    settings.PARAAT_EMAIL_DELIVERY_BACKEND = f"{__name__}.DownBackend"
    services.mail_enqueue(messages=[EmailMessage("S", "B", None, ["a@example.org"])])
    for _ in range(3):
        OutboundMail.objects.update(next_attempt_at=timezone.now())
        services.mail_deliver_due()
    row = OutboundMail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.FAILED, 3)
    assert "given up" in caplog.text
    assert "a@example.org" not in caplog.text  # no addresses in the log


def test_one_failing_message_does_not_hold_up_the_others(outbox: None, settings) -> None:
    FlakyBackend.calls = 0
    settings.PARAAT_EMAIL_DELIVERY_BACKEND = f"{__name__}.FlakyBackend"
    services.mail_enqueue(
        messages=[EmailMessage(f"S{i}", "B", None, ["a@example.org"]) for i in range(3)]
    )
    assert services.mail_deliver_due() == {"sent": 2, "deferred": 1, "failed": 0}


@pytest.mark.parametrize(("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60)])
def test_retry_delay_doubles_up_to_the_cap(outbox: None, attempts: int, minutes: int) -> None:
    assert services.retry_delay(attempts) == dt.timedelta(minutes=minutes)


def test_attachments_are_refused(outbox: None) -> None:
    message = EmailMessage("S", "B", None, ["a@example.org"])
    message.attach("x.txt", "inhoud", "text/plain")
    with pytest.raises(ValueError, match="attachments"):
        services.mail_enqueue(messages=[message])


def test_command_delivers_reports_and_prunes(outbox: None, settings, capsys) -> None:
    services.mail_enqueue(messages=[EmailMessage("S", "B", None, ["a@example.org"])])
    call_command("mail", "status")
    assert '"pending": 1' in capsys.readouterr().out
    call_command("mail", "deliver")
    assert '"sent": 1' in capsys.readouterr().out
    OutboundMail.objects.update(sent_at=timezone.now() - dt.timedelta(days=40))
    settings.PARAAT_MAIL_KEEP_DAYS = 30
    call_command("mail", "prune")
    assert '"deleted": 1' in capsys.readouterr().out
    assert mail_queue_summary()["sent"] == 0
