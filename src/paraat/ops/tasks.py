"""Background tasks of paraat.ops."""

from __future__ import annotations

from django_tasks import task

from paraat.ops.services import mail_deliver_due


@task()
def mail_deliver_task() -> dict[str, int]:
    return mail_deliver_due()
