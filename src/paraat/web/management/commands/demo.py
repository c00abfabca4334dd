"""``paraat demo``: migrate, load the demo data and (with --serve) start the site and worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat.measures.selectors import jurisdiction_netherlands
from paraat.web.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_load


class Command(BaseCommand):
    help = "Set up the demo site: migrate, load demo data; with --serve also run it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", metavar="ADDR", help="start the site on ADDR (host:port)")
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="folder with oxcgrt/ and coronadashboard/ (default: shared data)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = options["data_dir"] or settings.PARAAT_SHARED_DATA_DIR
        if not (data_dir / "oxcgrt").exists():
            raise CommandError(f"No OxCGRT data in {data_dir}; pass --data-dir.")
        call_command("migrate", interactive=False, verbosity=0)
        if jurisdiction_netherlands() is None:
            self.stdout.write("Loading demo data (once) ...")
            summary = demo_load(data_dir=data_dir)
            self.stdout.write(f"Demo data loaded: {summary}")
        else:
            self.stdout.write("Demo data already present.")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            "Fictional demo accounts (password '{}'): {}".format(
                DEMO_PASSWORD, ", ".join(f"{u} ({r})" for u, _f, _l, _o, r in DEMO_PEOPLE)
            )
        )
        if not options["serve"]:
            return
        worker = subprocess.Popen(
            [sys.executable, "-m", "paraat.cli", "db_worker", "--interval", "0.5"]
        )
        try:
            self.stdout.write(f"Open http://{options['serve']}/ (Ctrl+C stops site and worker)")
            call_command("runserver", options["serve"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
