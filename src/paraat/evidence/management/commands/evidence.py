"""``paraat evidence import FILE [--format F]``, ``paraat evidence search "QUERY" [--json]``,
``paraat evidence reindex``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat.accounts.models import Confidentiality, User


class Command(BaseCommand):
    help = "Knowledge library: import reference files, search, rebuild the search index."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a RIS, BibTeX, CSL-JSON or CSV file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--format", choices=["ris", "bibtex", "csljson", "csv"], default=None)
        imp.add_argument(
            "--confidentiality",
            choices=Confidentiality.values,
            default=Confidentiality.INTERNAL,
            help="confidentiality of the new items (default: internal)",
        )
        imp.add_argument("--user", help="username recorded as the submitter")
        imp.add_argument("--json", action="store_true", help="print the import report as JSON")
        search = sub.add_parser("search", help="search the library")
        search.add_argument("query")
        search.add_argument("--json", action="store_true")
        search.add_argument("--limit", type=int, default=20)
        search.add_argument(
            "--user",
            help="search as this user (default: as the public, i.e. public items only)",
        )
        sub.add_parser("reindex", help="rebuild the full-text index (SQLite)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "search":
            self._search(options)
        else:
            from paraat.evidence.search import search_index_rebuild

            self.stdout.write(f"{search_index_rebuild()} items indexed")

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"unknown or inactive user: {username}")
        return user

    def _import(self, options: dict[str, Any]) -> None:
        from paraat.evidence.formats import FormatError
        from paraat.evidence.services import evidence_import

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: file not found")
        try:
            batch = evidence_import(
                data=path.read_bytes(),
                file_name=path.name,
                file_format=options["format"],
                user=self._user(options["user"]),
                confidentiality=options["confidentiality"],
                progress=self._progress,
            )
        except FormatError as exc:
            raise CommandError(f"{exc} — nothing was imported") from None
        except ValidationError as exc:
            raise CommandError(
                f"{path.name}: {' '.join(exc.messages)} — nothing was imported"
            ) from None
        sys.stderr.write("\n")
        report = batch.report
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        counts = report["counts"]
        self.stdout.write(
            f"{path.name}: {counts['added']} added, {counts['merged']} merged, "
            f"{counts['possible_duplicates']} possible duplicates, {counts['rejected']} rejected"
        )
        for rejected in report["rejected"]:
            self.stdout.write(
                f"  line {rejected['line']}: {rejected['field']}: {rejected['message']}"
            )

    def _search(self, options: dict[str, Any]) -> None:
        from paraat.evidence.selectors import evidence_search

        user = self._user(options["user"]) or AnonymousUser()
        result = evidence_search(
            user=user,
            query=options["query"],
            page_size=max(1, min(options["limit"], 1000)),
            with_facets=False,
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "id": hit.item.pk,
                            "title": hit.item.title,
                            "type": hit.item.item_type,
                            "certainty": hit.item.certainty,
                            "score": hit.score,
                        }
                        for hit in result.hits
                    ],
                    ensure_ascii=False,
                )
            )
            return
        count = str(result.total) if result.total_exact else f"more than {result.total - 1}"
        self.stdout.write(f"{count} results for {options['query']!r}")
        for hit in result.hits:
            certainty = hit.item.certainty or "ungraded"
            self.stdout.write(
                f"{hit.score:8.3f}  #{hit.item.pk}  [{hit.item.item_type}, {certainty}]  "
                f"{hit.item.title}"
            )

    def _progress(self, current: int, total: int, message: str) -> None:
        if total:
            sys.stderr.write(f"\r{message}")
