"""``paraat setup``: migrate the database and bring the role groups up to date (production)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from paraat.accounts.services import roles_sync
from paraat.assessments.services import rights_seed
from paraat.taxonomies.services import taxonomy_seed


class Command(BaseCommand):
    help = "Migrate the database and synchronise the roles (groups and permissions)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False)
        groups = roles_sync()
        self.stdout.write(self.style.SUCCESS(f"{len(groups)} roles synchronised."))
        created = taxonomy_seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Taxonomies: {created['domain']} impact domains and "
                f"{created['group']} groups added."
            )
        )
        rights = rights_seed()
        self.stdout.write(
            self.style.SUCCESS(f"Assessment framework: {rights} rights and rights questions added.")
        )
