"""``paraat assess FILE``: analyse an assessment file and write its result or report.

Needs no database rows: the file is checked and loaded by ``paraat_core.assessment``
(``load_file``), analysed (``analyse``: explicit ranking, SMAA-2, ladder, robustness …) and
rendered by :func:`paraat.assessments.reports.render`.

    paraat assess FILE [--samples N] [--seed S] [--format json|html|pdf|docx|md] [-o OUT]
                       [--language nl|en] [--mask-confidential]

Text formats (json, html, md) go to standard output unless ``-o`` is given; pdf and docx need
``-o``. A file that can not be used stops with every problem, each with its JSON path, and a
non-zero exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paraat.assessments.reports import FORMATS, ReportError, render

BINARY_FORMATS = ("pdf", "docx")
MAX_SAMPLES = 1_000_000


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen geheel getal: {text!r}") from None
    if value < 1 or value > MAX_SAMPLES:
        raise argparse.ArgumentTypeError(f"kies een aantal van 1 tot en met {MAX_SAMPLES}")
    return value


def _seed(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen geheel getal: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("de seed is 0 of groter")
    return value


class Command(BaseCommand):
    help = (
        "Analyseer een afwegingsbestand (paraat-assessment/1) zonder database en schrijf het "
        "resultaat (JSON) of het rapport (HTML, PDF, DOCX, Markdown)."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="het afwegingsbestand (JSON)")
        parser.add_argument(
            "--samples",
            type=_positive,
            default=None,
            help="aantal SMAA-trekkingen (standaard: parameters in het bestand, anders 10000)",
        )
        parser.add_argument(
            "--seed", type=_seed, default=None, help="seed voor reproduceerbare trekkingen"
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=list(FORMATS),
            default="json",
            help="uitvoerformaat (standaard json: het resultaat paraat-assessment-result/1)",
        )
        parser.add_argument(
            "-o", "--output", default=None, help="uitvoerbestand (nodig voor pdf en docx)"
        )
        parser.add_argument(
            "--language", choices=["nl", "en"], default="nl", help="taal van het rapport"
        )
        parser.add_argument(
            "--mask-confidential",
            action="store_true",
            help="laat vertrouwelijke effectiviteit weg (voor een rapport dat verder gaat)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from paraat_core.assessment import AssessmentError, analyse, load_file

        path = str(options["file"])
        fmt = str(options["fmt"])
        output = options.get("output")
        if fmt in BINARY_FORMATS and not output:
            raise CommandError(f"--format {fmt} schrijft een binair bestand: geef -o BESTAND op.")
        try:
            assessment = load_file(path)
        except AssessmentError as exc:
            raise CommandError(_problems(path, exc)) from None
        kwargs: dict[str, Any] = {}
        if options.get("samples") is not None:
            kwargs["samples"] = options["samples"]
        if options.get("seed") is not None:
            kwargs["seed"] = options["seed"]
        if options.get("mask_confidential"):
            kwargs["mask_confidential"] = True
        try:
            result = analyse(assessment, **kwargs)
        except AssessmentError as exc:
            raise CommandError(_problems(path, exc)) from None
        except ValueError as exc:  # e.g. constraints that leave too few weight draws
            raise CommandError(f"{path}: de analyse kan niet worden uitgevoerd: {exc}") from None
        try:
            content = render(
                dict(assessment.document), result, fmt=fmt, language=options["language"]
            )
        except ReportError as exc:
            raise CommandError(f"{path}: {exc}") from None
        if output:
            target = Path(output)
            try:
                target.write_bytes(content)
            except OSError as exc:
                raise CommandError(f"{target}: kan niet schrijven: {exc.strerror}") from None
            self.stderr.write(f"{fmt.upper()} geschreven naar {target} ({len(content)} bytes)")
            return
        self.stdout.write(content.decode("utf-8"), ending="")


def _problems(path: str, exc: Any) -> str:
    """Every problem of the file, each with its JSON path."""
    problems = list(getattr(exc, "problems", ()) or ())
    if not problems:
        return f"{path}: {exc}"
    count = len(problems)
    lines = [f"{path}: {count} {'fout' if count == 1 else 'fouten'} in het afwegingsbestand"]
    for problem in problems:
        where = getattr(problem, "path", "") or "(bestand)"
        lines.append(f"  {where}: {getattr(problem, 'message', problem)}")
    return "\n".join(lines)
