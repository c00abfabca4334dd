from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from paraat.ops.selectors import mail_queue_summary
from paraat.ops.services import mail_deliver_due, mail_prune


class Command(BaseCommand):
    help = "The outgoing mail queue: deliver what is due, show the queue, prune old sent mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["deliver", "status", "prune"])
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "deliver":
            result = mail_deliver_due(limit=max(1, options["limit"]))
        elif options["action"] == "prune":
            result = {"deleted": mail_prune(older_than_days=settings.PARAAT_MAIL_KEEP_DAYS)}
        else:
            result = mail_queue_summary()
        self.stdout.write(json.dumps(result))
