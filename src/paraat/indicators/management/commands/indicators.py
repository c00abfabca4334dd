"""``paraat indicators …``: imports, the scheduled refresh, signals, digest, composite index.

* ``import-cbs DIR [--json]`` — a StatLine table folder (OData v3 export layout)
* ``refresh [--background]`` — live StatLine refresh, then signals and composite indices
* ``signals [--as-of DATE]`` — evaluate the signal rules
* ``digest`` — e-mail subscribers their new signals
* ``composite KEY [--as-of DATE] [--draws N] [--json]`` — compute a composite index run
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paraat.accounts.models import User


def _date(text: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


class Command(BaseCommand):
    help = "Societal picture: import indicator data, refresh, signals, digest, composite index."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        cbs = sub.add_parser(
            "import-cbs", help="import a CBS StatLine table folder (OData v3 export layout)"
        )
        cbs.add_argument("directory", type=Path)
        cbs.add_argument("--user", help="username recorded with the import")
        cbs.add_argument(
            "--json",
            action="store_true",
            help='end with {"table", "observations", "rejected"} as one JSON line',
        )
        refresh = sub.add_parser(
            "refresh", help="refresh the StatLine tables live, then signals and indices"
        )
        refresh.add_argument(
            "--background", action="store_true", help="enqueue as a background job and return"
        )
        signals = sub.add_parser("signals", help="evaluate the signal rules")
        signals.add_argument("--as-of", type=_date, help="use the figures known on this date")
        sub.add_parser("digest", help="e-mail subscribers the signals since their last digest")
        composite = sub.add_parser("composite", help="compute a composite index run")
        composite.add_argument("key")
        composite.add_argument("--as-of", type=_date)
        composite.add_argument("--draws", type=int)
        composite.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"unknown or inactive user: {username}")
        return user

    def _import_cbs(self, options: dict[str, Any]) -> None:
        from paraat.indicators.cbs import CbsFormatError
        from paraat.indicators.services import cbs_table_import

        directory: Path = options["directory"]
        try:
            report = cbs_table_import(directory=directory, user=self._user(options["user"]))
        except CbsFormatError as exc:
            raise CommandError(f"{directory}: {exc} — nothing was imported") from None
        counts = report.counts
        self.stdout.write(
            f"{report.source}: {counts.added} added, {counts.revised} revised, "
            f"{counts.unchanged} unchanged, {len(report.rejected)} rejected "
            f"({len(report.indicators)} indicators)"
        )
        for rejection in report.rejected[:50]:
            self.stdout.write(
                f"  rejected: {rejection['file']}, row {rejection['row']}, "
                f"field '{rejection['field']}': {rejection['reason']}"
            )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "table": report.source,
                        "observations": counts.stored,
                        "rejected": len(report.rejected),
                    }
                )
            )

    def _refresh(self, options: dict[str, Any]) -> None:
        from paraat.indicators.refresh import indicators_refresh_start, refresh_run

        if options["background"]:
            job = indicators_refresh_start(user=None)
            self.stdout.write(f"job {job.pk} queued (run `paraat db_worker` to process it)")
            return

        def progress(current: int, total: int, message: str) -> None:
            self.stdout.write(f"[{current}/{total}] {message}")

        result = refresh_run(progress=progress)
        self.stdout.write(result["message"])
        for failure in result["failures"]:
            self.stderr.write(f"failed: {failure['source']}: {failure['error']}")

    def _signals(self, options: dict[str, Any]) -> None:
        from paraat.indicators.services import signals_evaluate

        for signal in signals_evaluate(as_of=options["as_of"]):
            self.stdout.write(
                f"[{signal.severity}] {signal.indicator.key} {signal.period_code}: "
                f"{signal.description_nl}"
            )

    def _digest(self, options: dict[str, Any]) -> None:
        from paraat.indicators.services import signal_digest_send

        self.stdout.write(f"{signal_digest_send()} digest e-mails sent")

    def _composite(self, options: dict[str, Any]) -> None:
        from paraat.indicators.models import CompositeIndex
        from paraat.indicators.services import composite_compute

        index = CompositeIndex.objects.filter(key=options["key"]).first()
        if index is None:
            raise CommandError(f"unknown composite index: {options['key']}")
        try:
            run = composite_compute(index=index, as_of=options["as_of"], draws=options["draws"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        whole = run.result["_all"]
        periods = run.result["periods"]
        filled = [t for t, v in enumerate(whole["central"]) if v is not None]
        if not filled:
            self.stdout.write("no period has enough data for the index")
        else:
            t = filled[-1]
            self.stdout.write(
                f"{index.key} {periods[t]}: {whole['central'][t]:.1f} "
                f"(5–95 %: {whole['p05'][t]:.1f}–{whole['p95'][t]:.1f}; "
                f"reference {whole['reference_period']} = 100)"
            )
        if options["json"]:
            self.stdout.write(json.dumps({"run": run.pk, **run.result["_all"]}))
