from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat.ops.backup import BackupError, export_import


class Command(BaseCommand):
    help = "Load an export archive into this empty, migrated database (SQLite or PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            report = export_import(
                archive_path=archive, log=lambda m: self.stderr.write(f"import: {m}")
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"import failed: {exc}") from exc
        self.stdout.write(
            json.dumps({"vendor": report.vendor, "rows": report.rows, "files": report.files})
        )
