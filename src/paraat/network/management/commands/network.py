"""``paraat network …``: scheduled work of the network.

* ``retention [--dry-run] [--today YYYY-MM-DD]`` — anonymise or delete people whose retention
  date has passed (``network.services.retention_run``).  A person anything refers to (a
  membership, attendance, a playbook section) is anonymised, so nothing referenced is lost;
  others are deleted.  Each erasure is written to the deletion log and one log line without
  personal data; the output names people only by their internal number.

Meant to run daily from cron or a systemd timer (``docs/guide/network.md``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat.network import services


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"geen datum (JJJJ-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Network: apply the retention dates (anonymise or delete people)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        retention = sub.add_parser(
            "retention", help="anonymise or delete people whose retention date has passed"
        )
        retention.add_argument("--dry-run", action="store_true", help="only show what would happen")
        retention.add_argument("--today", type=_day, help="act as if it is this date")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retention":
            outcomes = services.retention_run(
                today=options.get("today"), dry_run=options["dry_run"], actor=None
            )
            prefix = "[proef] " if options["dry_run"] else ""
            for outcome in outcomes:
                verb = "zou worden" if options["dry_run"] else "is"
                action = "geanonimiseerd" if outcome.action == "anonymised" else "verwijderd"
                self.stdout.write(f"{prefix}persoon #{outcome.person_ref} {verb} {action}")
            anonymised = sum(1 for o in outcomes if o.action == "anonymised")
            self.stdout.write(
                f"{prefix}{len(outcomes)} personen met verstreken bewaartermijn: "
                f"{anonymised} geanonimiseerd, {len(outcomes) - anonymised} verwijderd"
            )
