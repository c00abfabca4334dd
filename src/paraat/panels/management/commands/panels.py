"""``paraat panels retention``: delete the panelists whose retention date has passed (daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paraat.panels import services


class Command(BaseCommand):
    help = "Citizen panel upkeep: 'retention' deletes members whose retention date has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["retention"])

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.panelists_retention_apply()
        self.stdout.write(f"{count} panellid(en) verwijderd na de bewaartermijn.")
