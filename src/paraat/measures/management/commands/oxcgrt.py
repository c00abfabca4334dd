"""``paraat oxcgrt indices IN -o OUT`` and ``paraat oxcgrt import FILE [FILE ...]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat_core.oxcgrt.csvio import OxcgrtFormatError, compute_file


class Command(BaseCommand):
    help = "OxCGRT tools: recompute indices of a file, or import files into the timelines."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        indices = sub.add_parser("indices", help="recompute the OxCGRT indices of a CSV file")
        indices.add_argument("input", type=Path)
        indices.add_argument("-o", "--output", type=Path, required=True)
        indices.add_argument(
            "--extra",
            action="store_true",
            help="also write the _ForDisplay variants and the legacy stringency index",
        )
        imp = sub.add_parser("import", help="import OxCGRT files into the timelines")
        imp.add_argument("files", type=Path, nargs="+")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "indices":
            self._indices(options["input"], options["output"], options["extra"])
        else:
            self._import(options["files"])

    def _indices(self, source: Path, target: Path, extra: bool) -> None:
        # The same code as `paraat oxcgrt indices`, which runs it without starting Django.
        if not source.is_file():
            raise CommandError(f"{source}: file not found")
        try:
            rows = compute_file(source, target, extra_columns=extra)
        except OxcgrtFormatError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{source} → {target}: {rows} rows")

    def _import(self, files: list[Path]) -> None:
        from paraat.measures.imports import OxcgrtImportError, oxcgrt_import_file

        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: file not found")
            try:
                result = oxcgrt_import_file(path=path, progress=self._progress)
            except OxcgrtImportError as exc:
                raise CommandError(str(exc)) from None
            sys.stderr.write("\n")
            self.stdout.write(f"{path.name}: {result}")

    def _progress(self, current: int, total: int, message: str) -> None:
        if total:
            sys.stderr.write(f"\r{message} {current}/{total}")
