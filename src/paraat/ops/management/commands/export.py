from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat.ops.backup import BackupError, export_create
from paraat.ops.management.commands._archive import default_output


class Command(BaseCommand):
    help = "Write every record (JSON) and every file to a ZIP archive in an open format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="archive path (default: DATA_DIR/backups/…)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or default_output("paraat-export", ".zip")
        try:
            path = export_create(output=output, log=lambda m: self.stderr.write(f"export: {m}"))
        except (BackupError, OSError) as exc:
            raise CommandError(f"export failed: {exc}") from exc
        self.stdout.write(str(path))
