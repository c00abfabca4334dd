"""Reads for standby (waakstand): the mode, the meeting cadence, meetings, the playbook and
the budget. Meetings are filtered by the confidentiality rules of ``paraat.accounts``; the
pages and the API check the role (``permissions.py``) before they read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from paraat.accounts.selectors import AnyUser, filter_visible
from paraat.preparedness import permissions as perms
from paraat.preparedness.models import (
    Attendance,
    BudgetLine,
    FundingStream,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Minutes,
    Mode,
    ModeChange,
    PlaybookAction,
    PlaybookActionStatus,
    PlaybookElement,
    PlaybookSection,
    PlaybookSectionVersion,
    Presence,
    Realisation,
)
from paraat_core import cadence

# --- roles -------------------------------------------------------------------------------------


def may(*, user: AnyUser, perm: str) -> bool:
    return bool(user.is_authenticated) and user.has_perm(perm)


def may_any(*, user: AnyUser) -> bool:
    """Whether ``user`` may open the standby pages at all."""
    return may(user=user, perm=perms.VIEW_MODE)


# --- mode --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModeState:
    """The current mode: ``since`` is None when no mode was ever recorded (then standby)."""

    mode: str
    scenario_level: str
    since: dt.datetime | None
    reason: str

    @property
    def is_active(self) -> bool:
        return self.mode == Mode.ACTIVE


def current_mode() -> ModeState:
    latest = ModeChange.objects.order_by("-at", "-pk").first()
    if latest is None:
        return ModeState(mode=Mode.STANDBY, scenario_level="", since=None, reason="")
    return ModeState(
        mode=latest.mode,
        scenario_level=latest.scenario_level,
        since=latest.at,
        reason=latest.reason,
    )


def mode_history() -> QuerySet[ModeChange]:
    """All changes, newest first."""
    return ModeChange.objects.select_related("actor").order_by("-at", "-pk")


# --- cadence -----------------------------------------------------------------------------------


def cadence_intervals() -> dict[str, cadence.Interval]:
    """The cadence per key: the defaults overridden by ``PARAAT_PREPAREDNESS_CADENCE``."""
    return cadence.parse_intervals(str(getattr(settings, "PARAAT_PREPAREDNESS_CADENCE", "")))


def cadence_periods() -> list[cadence.Period]:
    return [
        cadence.Period(
            timezone.localtime(row.at).date(), cadence.cadence_key(row.mode, row.scenario_level)
        )
        for row in ModeChange.objects.order_by("at", "pk")
    ]


def _meeting_dates(status: str) -> list[dt.date]:
    return sorted(
        {
            timezone.localtime(moment).date()
            for moment in Meeting.objects.filter(status=status).values_list("starts_at", flat=True)
        }
    )


def held_meeting_dates() -> list[dt.date]:
    return _meeting_dates(MeetingStatus.HELD)


def planned_meeting_dates() -> list[dt.date]:
    return _meeting_dates(MeetingStatus.PLANNED)


def cadence_now(*, today: dt.date | None = None) -> cadence.CadenceState | None:
    return cadence.state(
        periods=cadence_periods(),
        held=held_meeting_dates(),
        today=today or timezone.localdate(),
        intervals=cadence_intervals(),
    )


def cadence_compliance(*, until: dt.date | None = None) -> list[cadence.DueCheck]:
    return cadence.compliance(
        periods=cadence_periods(),
        held=held_meeting_dates(),
        until=until or timezone.localdate(),
        intervals=cadence_intervals(),
    )


# --- meetings ----------------------------------------------------------------------------------


def meeting_list(*, user: AnyUser, year: int | None = None, status: str = "") -> QuerySet[Meeting]:
    """Meetings ``user`` may see (none without the role), newest first."""
    if not may(user=user, perm=perms.VIEW_MEETINGS):
        return Meeting.objects.none()
    qs = filter_visible(user=user, queryset=Meeting.objects.all())
    if year:
        qs = qs.filter(starts_at__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        present_count=Count("attendance", filter=Q(attendance__presence__in=_PRESENT)),
    ).order_by("-starts_at", "pk")


_PRESENT = (Presence.PRESENT, Presence.REMOTE)


def meeting_get(*, user: AnyUser, pk: int) -> Meeting | None:
    return meeting_list(user=user).filter(pk=pk).first()


def meeting_next(*, user: AnyUser, now: dt.datetime | None = None) -> Meeting | None:
    """The first planned meeting from now on that ``user`` may see."""
    moment = now or timezone.now()
    return (
        meeting_list(user=user, status=MeetingStatus.PLANNED)
        .filter(starts_at__gte=moment - dt.timedelta(hours=12))
        .order_by("starts_at", "pk")
        .first()
    )


def agenda(*, meeting: Meeting) -> list[Any]:
    return list(meeting.agenda_items.order_by("order", "pk"))


def documents(*, meeting: Meeting) -> QuerySet[MeetingDocument]:
    return meeting.documents.select_related("uploaded_by").order_by("uploaded_at", "pk")


def document_get(*, meeting: Meeting, pk: int) -> MeetingDocument | None:
    return meeting.documents.filter(pk=pk).first()


def minutes_versions(*, meeting: Meeting) -> QuerySet[Minutes]:
    return meeting.minutes.select_related("author").order_by("-number")


def minutes_latest(*, meeting: Meeting) -> Minutes | None:
    return meeting.minutes.select_related("author").order_by("-number").first()


def minutes_approval(*, meeting: Meeting) -> Any:
    minutes = meeting.minutes.filter(approval__isnull=False).select_related("approval").first()
    return minutes.approval if minutes is not None else None


def attendance(*, meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendance.select_related("person", "person__organisation").order_by(
        "person__name", "pk"
    )


def attendance_get(*, meeting: Meeting, pk: int) -> Attendance | None:
    return meeting.attendance.filter(pk=pk).first()


def attendance_counts(*, meeting: Meeting) -> dict[str, int]:
    """Present in the room, remote, absent, and ``attended`` (present + remote: the count the
    administration uses for attendance fees)."""
    counts = dict.fromkeys(Presence.values, 0)
    for row in meeting.attendance.values("presence").annotate(n=Count("pk")):
        counts[row["presence"]] = row["n"]
    counts["attended"] = counts[Presence.PRESENT] + counts[Presence.REMOTE]
    return counts


def attendance_rows(*, user: AnyUser, year: int) -> list[dict[str, Any]]:
    """One row per person per meeting of ``year`` (for fees): meeting, date, person, role,
    presence and whether it counts as attended."""
    meetings = meeting_list(user=user, year=year).exclude(status=MeetingStatus.CANCELLED)
    rows = []
    for row in (
        Attendance.objects.filter(meeting__in=meetings)
        .select_related("meeting", "person", "person__organisation")
        .order_by("meeting__starts_at", "meeting__pk", "person__name", "pk")
    ):
        rows.append(
            {
                "meeting": row.meeting,
                "date": timezone.localtime(row.meeting.starts_at).date(),
                "person": row.person,
                "organisation": row.person.organisation.name if row.person.organisation else "",
                "role": row.get_role_display(),
                "presence": row.presence,
                "presence_label": row.get_presence_display(),
                "attended": row.presence in _PRESENT,
            }
        )
    return rows


def meeting_years(*, user: AnyUser) -> list[int]:
    return sorted(
        {d.year for d in meeting_list(user=user).values_list("starts_at", flat=True)}, reverse=True
    )


# --- playbook ----------------------------------------------------------------------------------


def section_list() -> QuerySet[PlaybookSection]:
    latest = Prefetch(
        "versions",
        queryset=PlaybookSectionVersion.objects.select_related("author").order_by("-number"),
        to_attr="versions_desc",
    )
    return (
        PlaybookSection.objects.select_related("owner")
        .prefetch_related(latest)
        .order_by("order", "pk")
    )


def section_get(*, pk: int) -> PlaybookSection | None:
    return section_list().filter(pk=pk).first()


def playbook_section_for(*, element: str) -> PlaybookSection | None:
    """The section of a playbook element (e.g. ``decree_template``), None when there is none."""
    return PlaybookSection.objects.filter(element=element).order_by("pk").first()


def section_latest(*, section: PlaybookSection) -> PlaybookSectionVersion | None:
    return section.versions.select_related("author").order_by("-number").first()


def section_text(*, section: PlaybookSection) -> str:
    """The latest version's text ("" when there is none)."""
    latest = section.versions.order_by("-number").values_list("text", flat=True).first()
    return latest or ""


def section_versions(*, section: PlaybookSection) -> QuerySet[PlaybookSectionVersion]:
    return section.versions.select_related("author").order_by("-number")


def section_version_get(*, section: PlaybookSection, number: int) -> PlaybookSectionVersion | None:
    return section.versions.select_related("author").filter(number=number).first()


def section_diff(
    *, old: PlaybookSectionVersion | None, new: PlaybookSectionVersion
) -> list[tuple[str, str]]:
    """Word diff from ``old`` (None: empty) to ``new`` as (op, text), op ``equal``,
    ``delete`` or ``insert`` — the advice process's diff."""
    from paraat.advice.selectors import text_diff

    return text_diff(old.text if old else "", new.text)


def is_overdue(section: PlaybookSection, *, today: dt.date | None = None) -> bool:
    day = today or timezone.localdate()
    return section.review_due_on is not None and section.review_due_on < day


def sections_overdue(*, today: dt.date | None = None) -> list[PlaybookSection]:
    day = today or timezone.localdate()
    return list(section_list().filter(review_due_on__lt=day))


def playbook_rows(*, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Each section with its latest version, whether its review is overdue, the number of
    open actions and the element's help text."""
    day = today or timezone.localdate()
    open_counts = dict(
        PlaybookAction.objects.filter(status__in=OPEN_STATUSES, section__isnull=False)
        .values_list("section")
        .annotate(n=Count("pk"))
        .values_list("section", "n")
    )
    rows = []
    for section in section_list():
        versions = section.versions_desc  # type: ignore[attr-defined]
        rows.append(
            {
                "section": section,
                "latest": versions[0] if versions else None,
                "overdue": is_overdue(section, today=day),
                "open_actions": open_counts.get(section.pk, 0),
                "help": ELEMENT_HELP.get(section.element, ""),
            }
        )
    return rows


def missing_elements() -> list[tuple[str, str]]:
    """Named elements (not ``other``) without a section: (value, label)."""
    present = set(PlaybookSection.objects.values_list("element", flat=True))
    return [
        (value, str(label))
        for value, label in PlaybookElement.choices
        if value != PlaybookElement.OTHER and value not in present
    ]


OPEN_STATUSES = (PlaybookActionStatus.OPEN, PlaybookActionStatus.IN_PROGRESS)


def action_list(*, status: str = "", open_only: bool = False) -> QuerySet[PlaybookAction]:
    qs = PlaybookAction.objects.select_related("section", "created_by")
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("due_on", "created_at", "pk")


def action_get(*, pk: int) -> PlaybookAction | None:
    return action_list().filter(pk=pk).first()


def action_history(*, action: PlaybookAction) -> list[Any]:
    return list(action.status_changes.select_related("actor").order_by("at", "pk"))


def action_overdue(action: PlaybookAction, *, today: dt.date | None = None) -> bool:
    day = today or timezone.localdate()
    return action.status in OPEN_STATUSES and action.due_on is not None and action.due_on < day


# The placeholders of the establishment-decree template that the activation helper fills in.
DECREE_PLACEHOLDERS: Mapping[str, str] = {
    "datum": "de datum van het besluit (bijvoorbeeld 1 oktober 2026)",
    "minister": "de verantwoordelijke minister (uit het onderdeel verantwoordelijke minister)",
    "voorzitter": "naam van de voorzitter",
    "leden": "de leden met stemrecht, één per regel",
    "expertleden": "de expertleden met hun instituut, één per regel",
    "secretariaat": "het secretariaat (uit de detacheringsafspraken)",
    "looptijd": "de looptijd van de commissie (bijvoorbeeld twee jaar)",
    "einddatum": "de datum waarop het besluit vervalt",
    "aanleiding": "de aanleiding (het signaal aan de SG van SZW)",
    "titel": "de titel van de activering",
    "scenarioniveau": "het scenarioniveau (WRR/KNAW) bij instelling",
}

ELEMENT_HELP: Mapping[str, str] = {
    PlaybookElement.MINISTER: "Welke minister en welk ministerie opdrachtgever zijn en wie de "
    "adviezen ontvangt (de SG van SZW).",
    PlaybookElement.ORGANISATION: "De commissie (voorzitter, leden met stemrecht), de "
    "expertleden namens CPB, SCP, PBL, SER en RIVM en het secretariaat: samenstelling en taken.",
    PlaybookElement.QUARTERMASTER: "Wie de commissie opbouwt (kwartiermaker), met welke "
    "stappen en in welke volgorde.",
    PlaybookElement.HOUSING: "Huisvesting, ICT, vergaderfaciliteiten, archief en financiën.",
    PlaybookElement.FIXED_EXPERTS: "De vaste expertleden per instituut en hun rol (adviseren "
    "zonder stem).",
    PlaybookElement.LEGAL_CONSTRUCT: "De juridische grondslag (Kaderwet adviescolleges of "
    "anders), vergoedingen, geheimhouding en belangenverklaringen.",
    PlaybookElement.DECREE_TEMPLATE: "De tekst van het model-instellingsbesluit. Bij activering "
    "vult paraat de plaatshouders in: "
    + ", ".join(f"{{{{ {key} }}}} ({text})" for key, text in DECREE_PLACEHOLDERS.items())
    + ".",
    PlaybookElement.SECONDMENTS: "Afspraken met ministeries over detachering naar het "
    "secretariaat: ministerie, mensen, fte, ingangsdatum.",
    PlaybookElement.ACTIVATION: "De criteria om te activeren en hoe het signaal aan de SG van "
    "SZW gaat.",
    PlaybookElement.COMMUNICATION: "Communicatie, publicatie van adviezen (Woo) en embargo.",
}


# --- budget ------------------------------------------------------------------------------------


def funding_streams() -> QuerySet[FundingStream]:
    return FundingStream.objects.order_by("name", "pk")


def funding_stream_get(*, pk: int) -> FundingStream | None:
    return FundingStream.objects.filter(pk=pk).first()


def budget_lines(*, stream: FundingStream | None = None) -> QuerySet[BudgetLine]:
    qs = BudgetLine.objects.select_related("stream")
    if stream is not None:
        qs = qs.filter(stream=stream)
    return qs.order_by("stream__name", "year", "pk")


def realisations(
    *, stream: FundingStream | None = None, year: int | None = None
) -> QuerySet[Realisation]:
    qs = Realisation.objects.select_related("stream", "recorded_by")
    if stream is not None:
        qs = qs.filter(stream=stream)
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("date", "pk")


@dataclass
class BudgetRow:
    """Budget against realisation of one funding stream in one year."""

    stream: FundingStream
    year: int
    budgeted: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    synthetic: bool = False
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.budgeted - self.realised

    @property
    def share(self) -> float | None:
        """Realised as a share of the budget (None without a budget)."""
        if not self.budgeted:
            return None
        return float(self.realised / self.budgeted)

    @property
    def over_budget(self) -> bool:
        return self.realised > self.budgeted


def budget_overview(
    *, year: int | None = None, start: int | None = None, end: int | None = None
) -> list[BudgetRow]:
    """Per funding stream and year: the budgeted total, the realised total and the rest.
    ``year`` (or the range ``start``..``end``) limits the years."""
    rows: dict[tuple[int, int], BudgetRow] = {}
    streams = {s.pk: s for s in funding_streams()}

    def row(stream_id: int, y: int) -> BudgetRow:
        key = (stream_id, y)
        if key not in rows:
            rows[key] = BudgetRow(stream=streams[stream_id], year=y)
        return rows[key]

    def wanted(y: int) -> bool:
        if year is not None:
            return y == year
        return (start is None or y >= start) and (end is None or y <= end)

    for line in BudgetLine.objects.order_by("year", "pk"):
        if wanted(line.year):
            target = row(line.stream_id, line.year)
            target.budgeted += line.amount
            target.lines.append(line)
            target.synthetic = target.synthetic or line.is_synthetic
    for real in Realisation.objects.order_by("date", "pk"):
        if wanted(real.date.year):
            target = row(real.stream_id, real.date.year)
            target.realised += real.amount
            target.synthetic = target.synthetic or real.is_synthetic
    return sorted(rows.values(), key=lambda r: (r.year, r.stream.name, r.stream.pk))


def budget_totals(rows: list[BudgetRow]) -> dict[int, dict[str, Decimal]]:
    """Totals per year of :func:`budget_overview` rows."""
    totals: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"budgeted": Decimal(0), "realised": Decimal(0)}
    )
    for r in rows:
        totals[r.year]["budgeted"] += r.budgeted
        totals[r.year]["realised"] += r.realised
    return dict(totals)
