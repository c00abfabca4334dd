"""``paraat advice …``: the scheduled work of the advice process, and a status check.

* ``remind`` — remind recipients of requests for input and voters whose deadline is near
  (``PARAAT_ADVICE_REMIND_HOURS``); prints the counts
* ``release`` — publish advice whose embargo date has passed; prints the released keys
* ``status KEY`` — status, deadline, hours left and the hours per phase of one request

``remind`` and ``release`` are meant to run every 15 minutes from cron or a systemd timer
(``docs/guide/advice.md``); both are safe to run more often: a reminder goes out at most once
per reminder window, and an advice is published once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paraat.advice import selectors, services
from paraat.advice.models import AdviceStatus


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"geen moment (JJJJ-MM-DDTUU:MM): {text!r}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def _label(status: str) -> str:
    try:
        return str(AdviceStatus(status).label)
    except ValueError:
        return status


class Command(BaseCommand):
    help = "Advice process: send reminders, release embargoes, show a request's timeline."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind", help="remind recipients of input requests and voters before a deadline"
        )
        release = sub.add_parser("release", help="publish advice whose embargo has ended")
        for command in (remind, release):
            command.add_argument(
                "--now", type=_moment, help="act as if it is this moment (ISO 8601)"
            )
        status = sub.add_parser("status", help="status, deadline and hours per phase of a request")
        status.add_argument("key", help="the request's key (as in /adviesproces/KEY/)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"])(options)

    def _remind(self, options: dict[str, Any]) -> None:
        now = options.get("now")
        inputs = services.input_reminders_send(now=now)
        votes = services.vote_reminders_send(now=now)
        self.stdout.write(f"herinneringen uitvraag: {inputs}")
        self.stdout.write(f"herinneringen stemming: {votes}")

    def _release(self, options: dict[str, Any]) -> None:
        released = services.embargoes_release(now=options.get("now"))
        if not released:
            self.stdout.write("geen embargo verlopen")
            return
        for publication in released:
            self.stdout.write(f"gepubliceerd: {publication.request.key}")

    def _status(self, options: dict[str, Any]) -> None:
        key = options["key"]
        # An operator's command: no user to filter by.
        request = selectors.advice_by_key(key=key)
        if request is None:
            raise CommandError(
                f"onbekende adviesaanvraag: {key!r} (de sleutel staat in het adres "
                "/adviesproces/SLEUTEL/)"
            )
        now = timezone.now()
        line = selectors.timeline(request=request, now=now)
        self.stdout.write(f"{request.key}: {request.title}")
        self.stdout.write(f"status: {_label(selectors.status_of(request))}")
        self.stdout.write(f"deadline: {_when(request.deadline)}")
        if line.countdown is not None:
            left = line.countdown.hours_left
            note = " (te laat)" if line.countdown.overdue else ""
            note = note or (" (minder dan 12 uur)" if line.countdown.warning else "")
            self.stdout.write(f"uren over: {left:.1f}{note}")
        elif line.met_deadline is not None:
            verdict = "op tijd" if line.met_deadline else "na de deadline"
            self.stdout.write(f"verzonden: {verdict}")
        else:
            self.stdout.write("uren over: – (ingetrokken)")
        self.stdout.write("uren per fase (tot verzending):")
        for phase, hours in line.hours.items():
            self.stdout.write(f"  {_label(phase)}: {hours:.1f}")
        self.stdout.write(f"  totaal: {line.total_hours:.1f}")
