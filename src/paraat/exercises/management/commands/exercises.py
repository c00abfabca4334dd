"""``paraat exercises …``: the scheduled delivery of injects, and the ready scenario.

* ``tick`` — deliver the injects that are due in every running exercise (cron, every minute;
  safe to run more often: an inject is delivered once); prints the number delivered
* ``autumn-2020`` — make the ready scenario “Najaar 2020” from the shared data (idempotent)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paraat.exercises import services


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"geen moment (JJJJ-MM-DDTUU:MM): {text!r}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Exercises: deliver due injects (tick) and make the ready scenario (autumn-2020)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        tick = sub.add_parser("tick", help="deliver the injects that are due in running exercises")
        tick.add_argument("--now", type=_moment, help="act as if it is this moment (ISO 8601)")
        sub.add_parser("autumn-2020", help="make the scenario 'Najaar 2020' from the shared data")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "tick":
            count = services.runs_tick(now=options.get("now"))
            self.stdout.write(f"{count} inject(s) afgeleverd")
            return
        try:
            scenario = services.scenario_autumn_2020_create(actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{scenario.key}: {scenario.injects.count()} injects")
