"""``paraat accounts …``: scheduled work of the accounts.

* ``retention [--dry-run]`` — apply ``PARAAT_ACCOUNT_RETENTION_MONTHS``
  (``accounts.services.account_retention_run``): deactivate accounts that have not logged in for
  that many months, and pseudonymise accounts deactivated longer than that (name, e-mail address
  and user name replaced by ``verwijderd-<id>``; two-factor devices, API token, sessions and
  roles deleted; the audit trail kept). The output names accounts only by internal number.

Meant to run daily from the retention timer (``deploy/systemd/paraat-retention.service``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paraat.accounts import services


class Command(BaseCommand):
    help = "Accounts: apply the retention period (deactivate idle accounts, erase old ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        retention = sub.add_parser(
            "retention",
            help="deactivate accounts not used within the retention period; erase accounts "
            "deactivated longer than that",
        )
        retention.add_argument("--dry-run", action="store_true", help="only show what would happen")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retention":
            dry_run = options["dry_run"]
            outcomes = services.account_retention_run(dry_run=dry_run)
            prefix = "[proef] " if dry_run else ""
            verb = "zou worden" if dry_run else "is"
            for outcome in outcomes:
                done = "gedeactiveerd" if outcome.action == "deactivated" else "verwijderd"
                self.stdout.write(f"{prefix}account #{outcome.user_ref} {verb} {done}")
            deactivated = sum(1 for o in outcomes if o.action == "deactivated")
            self.stdout.write(
                f"{prefix}bewaartermijn {services.retention_months()} maanden: "
                f"{deactivated} gedeactiveerd, {len(outcomes) - deactivated} verwijderd"
            )
