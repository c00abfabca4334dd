"""``paraat jobs recover|status``: recover jobs whose worker died; show the job queue."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paraat.jobs.selectors import jobs_summary
from paraat.jobs.services import jobs_recover


class Command(BaseCommand):
    help = (
        "Background jobs: 'recover' queues again (or fails) running jobs whose worker died; "
        "'status' counts jobs per status and lists the abandoned ones. Prints one JSON line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["recover", "status"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "recover":
            result: dict[str, Any] = jobs_recover().as_dict()
        else:
            result = jobs_summary()
        self.stdout.write(json.dumps(result))
