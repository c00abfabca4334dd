from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Put a backup archive into this empty database (same engine) and restore its files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            report = backup_restore(
                archive_path=archive, log=lambda m: self.stderr.write(f"restore: {m}")
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        self.stdout.write(
            json.dumps({"vendor": report.vendor, "rows": report.rows, "files": report.files})
        )
