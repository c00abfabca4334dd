from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat.ops.backup import BackupError, backup_create
from paraat.ops.management.commands._archive import default_output


class Command(BaseCommand):
    help = "Write a backup archive (database in its own format + files) of this site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="archive path (default: DATA_DIR/backups/…)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or default_output("paraat-backup", ".tar.gz")
        try:
            path = backup_create(output=output, log=lambda m: self.stderr.write(f"backup: {m}"))
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        self.stdout.write(str(path))
