"""Accountability of the standby function: the data of the yearly report and the export for the
five-yearly evaluation (seed 003: "Het MIT in waakstand legt jaarlijks verantwoording af en het
functioneren wordt 5-jaarlijks geëvalueerd").

Reads only, through this app's selectors and the other apps' selectors: network coverage
(``paraat.network.selectors.coverage``), exercises (``paraat.exercises.selectors
.exercise_list_between``), activations (``paraat.activation.selectors
.activation_list_between``) and the advice register (``paraat.advice.selectors``).
Rows of other apps are turned into plain dictionaries (:func:`plain`), so the report and the
export do not depend on their exact shape.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from paraat.accounts.selectors import AnyUser
from paraat.preparedness import permissions as perms
from paraat.preparedness import selectors
from paraat.preparedness.models import (
    Attendance,
    MeetingStatus,
    Mode,
    ModeChange,
    PlaybookAction,
    PlaybookActionStatus,
    PlaybookActionStatusChange,
    PlaybookSectionVersion,
    ScenarioLevel,
)

logger = logging.getLogger(__name__)


# --- plain values ------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.timedelta):
        return value.isoformat() if isinstance(value, dt.date) else value.total_seconds()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _scalar(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) if _is_record(v) else _scalar(v) for v in value]
    if isinstance(value, models.QuerySet):
        return [plain(v) for v in value]
    if hasattr(value, "all") and callable(value.all):  # a related manager
        try:
            return [str(v) for v in value.all()]
        except Exception:
            return str(value)
    return str(value)


def _is_record(value: Any) -> bool:
    return isinstance(value, dict | models.Model) or dataclasses.is_dataclass(value)


def plain(obj: Any) -> dict[str, Any]:
    """A row of another app (dict, dataclass or model instance) as a dictionary of plain
    values (strings, numbers, booleans, lists); anything else as ``{"item": str(obj)}``."""
    if isinstance(obj, dict):
        return {str(k): _scalar(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _scalar(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, models.Model):
        out: dict[str, Any] = {"id": obj.pk, "item": str(obj)}
        for f in obj._meta.concrete_fields:
            if f.name in ("id",) or f.name.endswith("hash") or f.name == "token":
                continue
            value = getattr(obj, f.name, None)
            out[f.name] = _scalar(value)
        return out
    return {"item": str(obj)}


def _guarded(name: str, read: Callable[[], Iterable[Any]]) -> tuple[list[dict[str, Any]], str]:
    """Rows of another app's selector; an error is reported in the document, not raised."""
    try:
        return [plain(row) for row in read()], ""
    except Exception:
        logger.exception("Yearly report: %s could not be read", name)
        return [], _("Dit onderdeel kon niet worden gelezen (zie log).")


# What a part of the report or export needs the requesting user (its creator) to be allowed:
# the report only holds what that role may see elsewhere in paraat.
PART_PERMS: dict[str, str] = {
    "mode_changes": perms.VIEW_MODE,
    "attendance": perms.VIEW_ATTENDANCE,
    "playbook": perms.VIEW_PLAYBOOK,
    "actions": perms.VIEW_ACTIONS,
    "budget": perms.VIEW_BUDGET,
    "coverage": "network.view_coverage",
    "exercises": "exercises.view_exerciserun",
    "activations": "activation.view_activationcase",
    "advice": "advice.view_advicerequest",
}


def may_see(user: AnyUser, part: str) -> bool:
    """Whether ``user`` may see this part of the report (see ``PART_PERMS``)."""
    return bool(user.is_authenticated and user.has_perm(PART_PERMS[part]))


def _hidden() -> str:
    return _("Niet opgenomen: uw rol mag dit onderdeel niet zien.")


def _coverage(today: dt.date, user: AnyUser) -> tuple[list[dict[str, Any]], str]:
    if not may_see(user, "coverage"):
        return [], _hidden()

    def read() -> Iterable[Any]:
        from paraat.network.selectors import coverage

        return coverage(today=today)

    return _guarded("coverage", read)


def _exercises(start: dt.date, end: dt.date, user: AnyUser) -> tuple[list[dict[str, Any]], str]:
    if not may_see(user, "exercises"):
        return [], _hidden()

    def read() -> Iterable[Any]:
        from paraat.exercises.selectors import exercise_list_between

        return exercise_list_between(start=start, end=end)

    return _guarded("exercises", read)


def _activations(start: dt.date, end: dt.date, user: AnyUser) -> tuple[list[dict[str, Any]], str]:
    if not may_see(user, "activations"):
        return [], _hidden()

    def read() -> Iterable[Any]:
        from paraat.activation.selectors import activation_list_between

        return activation_list_between(start=start, end=end, user=user)

    return _guarded("activations", read)


def _advice(user: AnyUser, start: dt.date, end: dt.date) -> tuple[list[dict[str, Any]], str]:
    """Advice sent in the period (never exercise requests: the register excludes them), with
    the cabinet's latest status per recommendation."""
    if not may_see(user, "advice"):
        return [], _hidden()

    def read() -> Iterable[Any]:
        from paraat.advice import selectors as advice_selectors

        rows = []
        for row in advice_selectors.register_rows(public=False, user=user):
            sent = row["sent_at"]
            if sent is None or not start <= timezone.localdate(sent) <= end:
                continue
            request = row["request"]
            recommendations = []
            for item in advice_selectors.recommendation_history(request=request):
                statuses = item["statuses"]
                latest = statuses[-1] if statuses else None
                recommendations.append(
                    {
                        "number": item["recommendation"].number,
                        "text": item["recommendation"].text,
                        "status": latest.get_status_display() if latest else _("geen reactie"),
                        "status_key": latest.status if latest else "",
                    }
                )
            response = row["cabinet_response"]
            rows.append(
                {
                    "key": request.key,
                    "title": request.title,
                    "asked": row["asked"],
                    "status": str(row["status"]),
                    "received_at": row["received_at"],
                    "sent_at": sent,
                    "published_at": row["published_at"],
                    "cabinet_response": response.date if response else None,
                    "recommendations": recommendations,
                    "is_synthetic": bool(request.is_synthetic),
                }
            )
        return rows

    return _guarded("advice", read)


# --- the yearly report -------------------------------------------------------------------------


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "–"


def _mode_label(mode: str, level: str) -> str:
    text = _label(Mode, mode)
    if level:
        text += f" ({_label(ScenarioLevel, level)})"
    return text


def _localdate(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def yearly_report_data(*, year: int, user: AnyUser, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the yearly report shows, as plain data (strings, numbers, lists)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    day = today or timezone.localdate()
    as_of = min(day, end)
    changes = [
        row
        for row in (
            ModeChange.objects.order_by("at", "pk")
            if may_see(user, "mode_changes")
            else ModeChange.objects.none()
        )
        if start <= _localdate(row.at) <= end
    ]
    before = ModeChange.objects.filter(at__date__lt=start).order_by("-at", "-pk").first()
    meetings = list(selectors.meeting_list(user=user, year=year).order_by("starts_at", "pk"))
    meeting_rows = []
    for meeting in meetings:
        counts = selectors.attendance_counts(meeting=meeting)
        approval = selectors.minutes_approval(meeting=meeting)
        meeting_rows.append(
            {
                "title": meeting.title,
                "date": _localdate(meeting.starts_at),
                "kind": meeting.get_kind_display(),
                "status": meeting.get_status_display(),
                "status_key": meeting.status,
                "present": counts["present"],
                "remote": counts["remote"],
                "absent": counts["absent"],
                "attended": counts["attended"],
                "minutes_approved": approval.approved_on if approval else None,
                "synthetic": meeting.is_synthetic,
            }
        )
    held = [m for m in meeting_rows if m["status_key"] == MeetingStatus.HELD]
    checks = [c for c in selectors.cadence_compliance(until=as_of) if start <= c.due <= end]
    show_playbook, show_actions = may_see(user, "playbook"), may_see(user, "actions")
    playbook = selectors.playbook_rows(today=as_of) if show_playbook else []
    versions = (
        PlaybookSectionVersion.objects.filter(created_at__year=year).count() if show_playbook else 0
    )
    open_actions = list(selectors.action_list(open_only=True)) if show_actions else []
    actions_done = (
        PlaybookActionStatusChange.objects.filter(
            at__year=year, status=PlaybookActionStatus.DONE
        ).count()
        if show_actions
        else 0
    )
    actions_created = (
        PlaybookAction.objects.filter(created_at__year=year).count() if show_actions else 0
    )
    coverage, coverage_error = _coverage(as_of, user)
    exercises, exercises_error = _exercises(start, end, user)
    activations, activations_error = _activations(start, end, user)
    advice, advice_error = _advice(user, start, end)
    budget = selectors.budget_overview(year=year) if may_see(user, "budget") else []
    activities: list[dict[str, Any]] = []
    for row in changes:
        activities.append(
            {
                "date": _localdate(row.at),
                "kind": _("modus"),
                "text": _("%(mode)s: %(reason)s")
                % {"mode": _mode_label(row.mode, row.scenario_level), "reason": row.reason},
            }
        )
    for m in meeting_rows:
        if m["status_key"] == MeetingStatus.HELD:
            activities.append(
                {
                    "date": m["date"],
                    "kind": _("vergadering"),
                    "text": _("%(title)s (%(n)s aanwezig)")
                    % {"title": m["title"], "n": m["attended"]},
                }
            )
    for version in (
        PlaybookSectionVersion.objects.filter(created_at__year=year).select_related("section")
        if show_playbook
        else PlaybookSectionVersion.objects.none()
    ):
        activities.append(
            {
                "date": _localdate(version.created_at),
                "kind": _("draaiboek"),
                "text": _("%(section)s: versie %(n)s")
                % {"section": version.section.title, "n": version.number},
            }
        )
    for ex in exercises:
        activities.append({"date": _first_date(ex, end), "kind": _("oefening"), "text": _title(ex)})
    for act in activations:
        activities.append(
            {"date": _first_date(act, end), "kind": _("activering"), "text": _title(act)}
        )
    for adv in advice:
        activities.append(
            {
                "date": _localdate(adv["sent_at"])
                if isinstance(adv["sent_at"], dt.datetime)
                else end,
                "kind": _("advies"),
                "text": _("verzonden: %(t)s") % {"t": adv["title"]},
            }
        )
    activities.sort(key=lambda a: (a["date"], a["kind"]))
    return {
        "year": year,
        "start": start,
        "end": end,
        "as_of": as_of,
        "generated": day,
        "mode_at_start": _mode_label(before.mode, before.scenario_level)
        if before
        else _("waakstand"),
        "mode_now": _mode_label(
            selectors.current_mode().mode, selectors.current_mode().scenario_level
        ),
        "mode_changes": [
            {
                "date": _localdate(row.at),
                "mode": _mode_label(row.mode, row.scenario_level),
                "reason": row.reason,
            }
            for row in changes
        ],
        "activities": activities,
        "meetings": meeting_rows,
        "meetings_held": len(held),
        "attendance_total": sum(m["attended"] for m in held),
        "cadence": [
            {
                "due": c.due,
                "key": c.key,
                "met_on": c.met_on,
                "days_late": c.days_late,
                "on_time": c.on_time,
            }
            for c in checks
        ],
        "cadence_met": bool(checks) and all(c.on_time for c in checks),
        "playbook": [
            {
                "title": r["section"].title,
                "element": r["section"].get_element_display(),
                "owner": str(r["section"].owner) if r["section"].owner else "",
                "review_due_on": r["section"].review_due_on,
                "overdue": r["overdue"],
                "version": r["latest"].number if r["latest"] else 0,
                "open_actions": r["open_actions"],
            }
            for r in playbook
        ],
        "playbook_overdue": sum(1 for r in playbook if r["overdue"]),
        "playbook_versions": versions,
        "actions_open": [
            {
                "title": a.title,
                "status": a.get_status_display(),
                "due_on": a.due_on,
                "source": a.source,
                "section": a.section.title if a.section else "",
            }
            for a in open_actions
        ],
        "actions_created": actions_created,
        "actions_done": actions_done,
        "coverage": coverage,
        "coverage_flagged": sum(1 for r in coverage if r.get("flagged")),
        "coverage_error": coverage_error,
        "exercises": exercises,
        "exercises_error": exercises_error,
        "activations": activations,
        "activations_error": activations_error,
        "advice": advice,
        "advice_error": advice_error,
        "budget": [
            {
                "stream": r.stream.name,
                "funder": r.stream.funder,
                "purpose": r.stream.purpose,
                "budgeted": r.budgeted,
                "realised": r.realised,
                "remaining": r.remaining,
                "share": r.share,
                "synthetic": r.synthetic or r.stream.is_synthetic,
            }
            for r in budget
        ],
        "budget_total": {
            "budgeted": sum((r.budgeted for r in budget), Decimal(0)),
            "realised": sum((r.realised for r in budget), Decimal(0)),
        },
        "synthetic": any(m["synthetic"] for m in meeting_rows)
        or any(r.synthetic for r in budget)
        or any(row.is_synthetic for row in changes),
    }


def _first_date(row: dict[str, Any], default: dt.date) -> dt.date:
    """The first date-like value of a plain row (for the list of activities)."""
    for key in ("date", "signal_sent_on", "started_at", "starts_at", "created_at", "at"):
        value = row.get(key)
        if isinstance(value, str) and len(value) >= 10:
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return default


def _title(row: dict[str, Any]) -> str:
    for key in ("title", "name", "scenario", "item"):
        if row.get(key):
            return str(row[key])
    return str(next(iter(row.values()), ""))


# --- the export for the five-yearly evaluation -------------------------------------------------


def _csv(rows: list[dict[str, Any]]) -> bytes:
    header: list[str] = []
    for row in rows:
        for key in row:
            if key not in header:
                header.append(key)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        cells = []
        for key in header:
            value = row.get(key, "")
            if isinstance(value, list | dict):
                value = json.dumps(value, ensure_ascii=False, default=str)
            text = "" if value is None else str(value)
            if text.startswith(("=", "+", "-", "@", "\t", "\r")):
                text = "'" + text  # keep spreadsheets from reading a formula
            cells.append(text)
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


def _in(moment: dt.datetime | dt.date | None, start: dt.date, end: dt.date) -> bool:
    if moment is None:
        return False
    day = _localdate(moment) if isinstance(moment, dt.datetime) else moment
    return start <= day <= end


EXPORT_FILES: dict[str, str] = {
    "mode_changes": "wijzigingen van modus en scenarioniveau",
    "meetings": "vergaderingen met aantallen aanwezigen",
    "attendance": "aanwezigheid per persoon per vergadering",
    "cadence": "vervaldata van de vergaderfrequentie en of ze gehaald zijn",
    "playbook_sections": "draaiboeksecties met eigenaar, herziendatum en laatste versie",
    "playbook_versions": "versies van draaiboeksecties in de periode (met tekst)",
    "playbook_actions": "draaiboekacties met status",
    "budget": "begroting tegenover realisatie per financieringsstroom en jaar",
    "realisations": "realisaties (uitgaven) in de periode",
    "coverage": "dekking van het netwerk op de einddatum",
    "exercises": "oefeningen in de periode",
    "activations": "activeringen in de periode",
    "advice": "verzonden adviezen met de kabinetsreactie per aanbeveling",
}


def evaluation_export(
    *,
    start: dt.date,
    end: dt.date,
    user: AnyUser,
    progress: Callable[[int, int, str], None] | None = None,
) -> bytes:
    """A ZIP with a CSV and a JSON file per subject (``EXPORT_FILES``) and a README.txt: what
    the standby function did from ``start`` to ``end`` (inclusive)."""
    step = progress or (lambda current, total, message: None)
    total = len(EXPORT_FILES) + 1
    tables: dict[str, list[dict[str, Any]]] = {}
    errors: dict[str, str] = {}
    step(0, total, _("gegevens verzamelen"))
    tables["mode_changes"] = [
        {
            "at": _scalar(row.at),
            "mode": row.mode,
            "scenario_level": row.scenario_level,
            "reason": row.reason,
            "synthetic": row.is_synthetic,
        }
        for row in ModeChange.objects.order_by("at", "pk")
        if _in(row.at, start, end) and may_see(user, "mode_changes")
    ]
    meetings = [
        m
        for m in selectors.meeting_list(user=user).order_by("starts_at", "pk")
        if _in(m.starts_at, start, end)
    ]
    tables["meetings"] = []
    for m in meetings:
        counts = selectors.attendance_counts(meeting=m)
        approval = selectors.minutes_approval(meeting=m)
        tables["meetings"].append(
            {
                "id": m.pk,
                "title": m.title,
                "kind": m.kind,
                "starts_at": _scalar(m.starts_at),
                "location": m.location,
                "status": m.status,
                "confidentiality": m.confidentiality,
                "agenda": [a.title for a in selectors.agenda(meeting=m)],
                "documents": selectors.documents(meeting=m).count(),
                "minutes_versions": m.minutes.count(),
                "minutes_approved_on": _scalar(approval.approved_on) if approval else None,
                "present": counts["present"],
                "remote": counts["remote"],
                "absent": counts["absent"],
                "attended": counts["attended"],
                "synthetic": m.is_synthetic,
            }
        )
    tables["attendance"] = [
        {
            "meeting_id": row.meeting_id,
            "meeting": row.meeting.title,
            "date": _scalar(_localdate(row.meeting.starts_at)),
            "person": row.person.name,
            "role": row.role,
            "presence": row.presence,
        }
        for row in Attendance.objects.filter(meeting__in=meetings)
        .select_related("meeting", "person")
        .order_by("meeting__starts_at", "person__name", "pk")
        if may_see(user, "attendance")
    ]
    step(3, total, _("vergaderfrequentie en draaiboek"))
    tables["cadence"] = [
        {
            "due": _scalar(c.due),
            "cadence": c.key,
            "met_on": _scalar(c.met_on),
            "days_late": c.days_late,
            "on_time": c.on_time,
        }
        for c in selectors.cadence_compliance(until=min(end, timezone.localdate()))
        if start <= c.due <= end
    ]
    tables["playbook_sections"] = [
        {
            "id": r["section"].pk,
            "element": r["section"].element,
            "title": r["section"].title,
            "owner": str(r["section"].owner) if r["section"].owner else "",
            "review_due_on": _scalar(r["section"].review_due_on),
            "overdue": r["overdue"],
            "latest_version": r["latest"].number if r["latest"] else 0,
            "open_actions": r["open_actions"],
        }
        for r in (
            selectors.playbook_rows(today=min(end, timezone.localdate()))
            if may_see(user, "playbook")
            else []
        )
    ]
    tables["playbook_versions"] = [
        {
            "section": v.section.title,
            "element": v.section.element,
            "number": v.number,
            "created_at": _scalar(v.created_at),
            "author": str(v.author) if v.author else "",
            "note": v.note,
            "text": v.text,
        }
        for v in PlaybookSectionVersion.objects.select_related("section", "author").order_by(
            "section__order", "number"
        )
        if _in(v.created_at, start, end) and may_see(user, "playbook")
    ]
    tables["playbook_actions"] = [
        {
            "id": a.pk,
            "title": a.title,
            "section": a.section.title if a.section else "",
            "source": a.source,
            "status": a.status,
            "due_on": _scalar(a.due_on),
            "created_at": _scalar(a.created_at),
            "synthetic": a.is_synthetic,
        }
        for a in (selectors.action_list() if may_see(user, "actions") else [])
        if _in(a.created_at, start, end) or a.status in selectors.OPEN_STATUSES
    ]
    step(7, total, _("begroting"))
    tables["budget"] = [
        {
            "funding_stream": r.stream.name,
            "funder": r.stream.funder,
            "year": r.year,
            "budgeted": str(r.budgeted),
            "realised": str(r.realised),
            "remaining": str(r.remaining),
            "synthetic": r.synthetic or r.stream.is_synthetic,
        }
        for r in (
            selectors.budget_overview(start=start.year, end=end.year)
            if may_see(user, "budget")
            else []
        )
    ]
    tables["realisations"] = [
        {
            "funding_stream": r.stream.name,
            "date": _scalar(r.date),
            "amount": str(r.amount),
            "description": r.description,
            "synthetic": r.is_synthetic,
        }
        for r in (selectors.realisations() if may_see(user, "budget") else [])
        if start <= r.date <= end
    ]
    step(9, total, _("netwerk, oefeningen, activeringen en adviezen"))
    tables["coverage"], errors["coverage"] = _coverage(min(end, timezone.localdate()), user)
    tables["exercises"], errors["exercises"] = _exercises(start, end, user)
    tables["activations"], errors["activations"] = _activations(start, end, user)
    for name, part in (
        ("mode_changes", "mode_changes"),
        ("attendance", "attendance"),
        ("playbook_sections", "playbook"),
        ("playbook_versions", "playbook"),
        ("playbook_actions", "actions"),
        ("budget", "budget"),
        ("realisations", "budget"),
    ):
        if not may_see(user, part):
            errors[name] = _hidden()
    tables["advice"], errors["advice"] = _advice(user, start, end)
    step(total - 1, total, _("ZIP maken"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(start, end, tables, errors))
        for name in EXPORT_FILES:
            rows = tables.get(name, [])
            archive.writestr(f"{name}.csv", _csv(rows))
            archive.writestr(
                f"{name}.json",
                json.dumps(rows, ensure_ascii=False, indent=2, default=str).encode("utf-8"),
            )
    step(total, total, _("klaar"))
    return buffer.getvalue()


def _readme(
    start: dt.date, end: dt.date, tables: dict[str, list[dict[str, Any]]], errors: dict[str, str]
) -> str:
    lines = [
        "paraat — export voor de vijfjaarlijkse evaluatie van het MIT in waakstand",
        "",
        f"Periode: {start.isoformat()} t/m {end.isoformat()}",
        f"Gemaakt op: {timezone.localtime().isoformat(timespec='seconds')}",
        "",
        "Bron: seed 003 (Kamerbrief MIT in waakstand): het MIT in waakstand legt jaarlijks",
        "verantwoording af en het functioneren wordt 5-jaarlijks geëvalueerd.",
        "",
        "Elk onderwerp staat twee keer in deze ZIP: als CSV (UTF-8, komma, eerste regel =",
        "kolommen; lijsten als JSON in een cel) en als JSON (een lijst van objecten).",
        "Data: ISO 8601.",
        "Regels met synthetic = true zijn synthetische demogegevens, geen echte cijfers.",
        "Alleen vergaderingen die de maker van de export mocht zien zijn opgenomen.",
        "",
        "Bestanden:",
    ]
    for name, description in EXPORT_FILES.items():
        count = len(tables.get(name, []))
        note = f" — LET OP: {errors[name]}" if errors.get(name) else ""
        lines.append(f"  {name}.csv / {name}.json: {description} ({count} regels){note}")
    lines.append("")
    return "\n".join(lines)
