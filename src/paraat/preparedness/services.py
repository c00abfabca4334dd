"""Writes for standby (waakstand). Keyword-only, typed, one transaction each.

Mode changes, minutes, their approval, playbook versions, action statuses and realisations are
appended, never edited. Bad input raises Django's ``ValidationError`` naming the field. The
services do not check roles: the pages, the API and the other apps' services that call them
(activation, exercises) do (see ``permissions.py``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality, User
from paraat.measures.models import ScenarioLevel
from paraat.network.models import Person
from paraat.preparedness import selectors
from paraat.preparedness.models import (
    AgendaItem,
    Attendance,
    AttendanceRole,
    BudgetLine,
    FundingStream,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesApproval,
    Mode,
    ModeChange,
    PlaybookAction,
    PlaybookActionStatus,
    PlaybookActionStatusChange,
    PlaybookElement,
    PlaybookSection,
    PlaybookSectionVersion,
    Presence,
    Realisation,
)
from paraat_core import cadence

TEXT_MAX = 200_000
"""Longest playbook or minutes text accepted (characters)."""
CLOCK_SKEW = dt.timedelta(minutes=5)
YEARS = (1990, 2200)


def _now() -> dt.datetime:
    return timezone.now()


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _required(errors: dict[str, str], name: str, value: str, message: str) -> None:
    if not (value or "").strip():
        errors[name] = message


def _choice(errors: dict[str, str], name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in set(allowed):
        errors[name] = _("Onbekende waarde: %(v)s") % {"v": value}


def _aware(errors: dict[str, str], name: str, value: dt.datetime | None) -> bool:
    """Record an error for a moment without timezone or outside ``YEARS``."""
    if value is None:
        return True
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        errors[name] = _("Geef een moment met tijdzone.")
        return False
    if not YEARS[0] <= value.year <= YEARS[1]:
        errors[name] = _("Geef een moment tussen %(a)s en %(b)s.") % {"a": YEARS[0], "b": YEARS[1]}
        return False
    return True


def _date_ok(errors: dict[str, str], name: str, value: dt.date | None) -> bool:
    if value is None:
        return True
    if not isinstance(value, dt.date) or not YEARS[0] <= value.year <= YEARS[1]:
        errors[name] = _("Geef een datum tussen %(a)s en %(b)s.") % {"a": YEARS[0], "b": YEARS[1]}
        return False
    return True


# --- mode and scenario level ------------------------------------------------------------------


@transaction.atomic
def mode_set(
    *,
    mode: str,
    scenario_level: str = "",
    reason: str,
    actor: User | None,
    at: dt.datetime | None = None,
    is_synthetic: bool = False,
) -> ModeChange:
    """Append a change of mode and/or scenario level (standby has no level).

    ``at`` (default now) is when the change takes effect; it may not lie in the future nor
    before the latest change. Setting the current mode and level again is refused."""
    errors: dict[str, str] = {}
    _choice(errors, "mode", mode, Mode.values)
    if scenario_level:
        _choice(errors, "scenario_level", scenario_level, ScenarioLevel.values)
        if mode == Mode.STANDBY:
            errors["scenario_level"] = _("In waakstand geldt geen scenarioniveau.")
    _required(errors, "reason", reason, _("Geef de reden van de wijziging."))
    moment = at or _now()
    if _aware(errors, "at", moment) and "at" not in errors and moment > _now() + CLOCK_SKEW:
        errors["at"] = _("De ingangsdatum ligt niet in de toekomst.")
    _raise(errors)
    latest = ModeChange.objects.select_for_update().order_by("-at", "-pk").first()
    if latest is not None:
        if moment < latest.at:
            raise ValidationError(
                {
                    "at": _("De ingangsdatum ligt niet vóór de vorige wijziging (%(d)s).")
                    % {"d": timezone.localtime(latest.at).strftime("%d-%m-%Y %H:%M")}
                }
            )
        if latest.mode == mode and latest.scenario_level == scenario_level:
            raise ValidationError(
                {"mode": _("Deze modus en dit scenarioniveau gelden al; er is niets gewijzigd.")}
            )
    return ModeChange.objects.create(
        mode=mode,
        scenario_level=scenario_level,
        reason=reason.strip(),
        actor=actor,
        at=moment,
        is_synthetic=is_synthetic,
    )


# --- meetings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingData:
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    location: str = ""
    confidentiality: str = Confidentiality.INTERNAL
    agenda: Sequence[str] = ()
    """Agenda items, one title each (a line "title: description" keeps a description)."""
    is_synthetic: bool = False


def _validate_meeting(data: MeetingData) -> None:
    errors: dict[str, str] = {}
    _required(errors, "title", data.title, _("Geef een titel."))
    _choice(errors, "kind", data.kind, MeetingKind.values)
    _choice(errors, "confidentiality", data.confidentiality, Confidentiality.values)
    if data.starts_at is None:
        errors["starts_at"] = _("Geef datum en tijd.")
    starts_ok = _aware(errors, "starts_at", data.starts_at)
    ends_ok = _aware(errors, "ends_at", data.ends_at)
    if starts_ok and ends_ok and data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        errors["ends_at"] = _("De vergadering eindigt na het begin.")
    if len(data.agenda) > 100:
        errors["agenda"] = _("Ten hoogste 100 agendapunten.")
    _raise(errors)


def _agenda_set(meeting: Meeting, items: Sequence[str]) -> None:
    meeting.agenda_items.all().delete()
    order = 0
    for raw in items:
        line = (raw or "").strip()
        if not line:
            continue
        order += 1
        title, _sep, description = line.partition(": ")
        AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=title.strip()[:300],
            description=description.strip(),
        )


@transaction.atomic
def meeting_create(
    *, data: MeetingData, actor: User | None, planned_by_cadence: bool = False
) -> Meeting:
    _validate_meeting(data)
    meeting = Meeting.objects.create(
        title=data.title.strip(),
        kind=data.kind,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        location=data.location.strip(),
        confidentiality=data.confidentiality,
        planned_by_cadence=planned_by_cadence,
        is_synthetic=data.is_synthetic,
        created_by=actor,
    )
    _agenda_set(meeting, data.agenda)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: MeetingData, actor: User | None) -> Meeting:
    """Change a meeting's particulars and agenda (its minutes and attendance stay)."""
    _validate_meeting(data)
    meeting.title = data.title.strip()
    meeting.kind = data.kind
    meeting.starts_at = data.starts_at
    meeting.ends_at = data.ends_at
    meeting.location = data.location.strip()
    meeting.confidentiality = data.confidentiality
    meeting.save()
    _agenda_set(meeting, data.agenda)
    return meeting


@transaction.atomic
def meeting_status_set(*, meeting: Meeting, status: str, actor: User | None) -> Meeting:
    """Record that a meeting was held (not before it began) or cancelled."""
    errors: dict[str, str] = {}
    _choice(errors, "status", status, MeetingStatus.values)
    _raise(errors)
    if status == MeetingStatus.HELD and meeting.starts_at > _now() + CLOCK_SKEW:
        raise ValidationError({"status": _("Een vergadering in de toekomst is nog niet gehouden.")})
    if meeting.status == status:
        raise ValidationError({"status": _("De vergadering heeft deze status al.")})
    meeting.status = status
    meeting.save(update_fields=["status"])
    return meeting


def _cadence_periods() -> list[cadence.Period]:
    return selectors.cadence_periods()


@transaction.atomic
def meetings_plan(
    *,
    actor: User | None,
    until: dt.date | None = None,
    today: dt.date | None = None,
    location: str = "",
) -> list[Meeting]:
    """Create planned meetings from the cadence rule up to ``until`` (default: a year ahead in
    standby, three months when active); meetings already planned count. Returns the new
    meetings (none when the cadence is already covered)."""
    day = today or timezone.localdate()
    state = selectors.cadence_now(today=day)
    if state is None:
        raise ValidationError(
            {"until": _("Leg eerst de modus vast; zonder modus is er geen vergaderfrequentie.")}
        )
    horizon = until or cadence.default_horizon(state.key, day)
    if horizon < day:
        raise ValidationError({"until": _("Plan tot een datum vanaf vandaag.")})
    if horizon > cadence.add_interval(day, cadence.Interval(months=24)):
        raise ValidationError({"until": _("Plan ten hoogste twee jaar vooruit.")})
    dates = cadence.plan_dates(
        periods=_cadence_periods(),
        held=selectors.held_meeting_dates(),
        planned=selectors.planned_meeting_dates(),
        today=day,
        until=horizon,
        intervals=selectors.cadence_intervals(),
    )
    kind = MeetingKind.STANDBY if state.key == cadence.STANDBY else MeetingKind.COMMITTEE
    title = _("Overleg MIT in waakstand") if kind == MeetingKind.STANDBY else _("Vergadering MIT")
    tz = timezone.get_current_timezone()
    created = []
    for day_ in dates:
        start = dt.datetime.combine(day_, dt.time(10, 0), tzinfo=tz)
        created.append(
            meeting_create(
                data=MeetingData(
                    title=title,
                    kind=kind,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=2),
                    location=location,
                ),
                actor=actor,
                planned_by_cadence=True,
            )
        )
    return created


# Meeting documents: accepted by content, never by name or declared type.
DOCUMENT_FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
}
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ODT_MIME = b"application/vnd.oasis.opendocument.text"
_ZIP_MAX_ENTRIES = 2000
_ZIP_MAX_RATIO = 200  # uncompressed / compressed: more looks like a zip bomb


def document_max_bytes() -> int:
    return int(settings.PARAAT_MEETING_DOCUMENT_MAX_MB) * 1024 * 1024


def _zip_format(content: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
        if len(infos) > _ZIP_MAX_ENTRIES:
            return None
        total = sum(i.file_size for i in infos)
        if total > max(len(content), 1) * _ZIP_MAX_RATIO or total > 10 * document_max_bytes():
            return None
        names = {i.filename for i in infos}
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if _DOCX_MAIN in types and "vbaProject" not in types:
                return "docx"
            return None
        if (
            infos
            and infos[0].filename == "mimetype"
            and archive.read("mimetype").strip() == _ODT_MIME
            and "content.xml" in names
        ):
            return "odt"
        return None
    # zipfile raises NotImplementedError for a compression method it cannot read: not a
    # document we accept either.
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        return None


def _text_format(content: bytes) -> str | None:
    if b"\x00" in content:
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith("<"):  # HTML, SVG, XML: not plain text
        return None
    return "txt"


def document_format(*, content: bytes, file_name: str) -> str:
    """The format of a meeting document by its content (``pdf``, ``docx``, ``odt``, ``txt``);
    anything else, an empty file or one above ``PARAAT_MEETING_DOCUMENT_MAX_MB`` is refused."""
    name = file_name or _("het bestand")
    if not content:
        raise ValidationError({"file": _("%(name)s is leeg.") % {"name": name}})
    if len(content) > document_max_bytes():
        raise ValidationError(
            {
                "file": _("%(name)s is groter dan %(mb)s MB.")
                % {"name": name, "mb": settings.PARAAT_MEETING_DOCUMENT_MAX_MB}
            }
        )
    if content.startswith(b"%PDF-"):
        return "pdf"
    found = _zip_format(content) if content.startswith(b"PK\x03\x04") else _text_format(content)
    if found is None:
        raise ValidationError(
            {
                "file": _(
                    "%(name)s is geen PDF-, DOCX-, ODT- of tekstbestand (gecontroleerd op inhoud)."
                )
                % {"name": name}
            }
        )
    return found


@transaction.atomic
def meeting_document_add(
    *, meeting: Meeting, title: str, content: bytes, file_name: str, actor: User | None
) -> MeetingDocument:
    fmt = document_format(content=content, file_name=file_name)
    clean_name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    stem = clean_name.rsplit(".", 1)[0] if "." in clean_name else clean_name
    document = MeetingDocument(
        meeting=meeting,
        title=(title or stem or _("Vergaderstuk")).strip()[:300],
        file_name=f"{stem or 'document'}.{fmt}",
        file_format=fmt,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    document.file.save(f"{uuid.uuid4().hex}.{fmt}", ContentFile(content), save=False)
    stored = document.file.name
    try:
        document.save()
    except Exception:
        document.file.storage.delete(stored)  # nothing stored when the row is not
        raise
    return document


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    text: str,
    actor: User | None,
    note: str = "",
    base_number: int | None = None,
) -> Minutes:
    """Append a version of the minutes. ``base_number``: the version the author started from;
    a newer version saved in between is refused (no silent overwrite)."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    latest = meeting.minutes.order_by("-number").first()
    errors: dict[str, str] = {}
    _required(errors, "text", text, _("Schrijf het verslag."))
    if len(text or "") > TEXT_MAX:
        errors["text"] = _("Het verslag is te lang.")
    _raise(errors)
    if latest is not None:
        if base_number is not None and base_number != latest.number:
            raise ValidationError(
                {
                    "text": _(
                        "Intussen is versie %(n)s van het verslag opgeslagen; open die en "
                        "breng uw wijziging opnieuw aan."
                    )
                    % {"n": latest.number}
                }
            )
        if latest.text == text.strip():
            raise ValidationError({"text": _("Het verslag is niet gewijzigd.")})
        if hasattr(latest, "approval"):
            raise ValidationError(
                {"text": _("Het verslag is vastgesteld en wordt niet meer gewijzigd.")}
            )
    return Minutes.objects.create(
        meeting=meeting,
        number=(latest.number + 1) if latest else 1,
        text=text.strip(),
        note=note.strip()[:300],
        author=actor,
    )


@transaction.atomic
def minutes_approve(
    *, minutes: Minutes, approved_on: dt.date, actor: User | None, note: str = ""
) -> MinutesApproval:
    """Record that the meeting approved (vastgesteld) this version — only the latest one."""
    errors: dict[str, str] = {}
    if _date_ok(errors, "approved_on", approved_on) and approved_on:
        if approved_on > timezone.localdate():
            errors["approved_on"] = _("De vaststelling ligt niet in de toekomst.")
        if approved_on < timezone.localtime(minutes.meeting.starts_at).date():
            errors["approved_on"] = _("Een verslag wordt vastgesteld na de vergadering.")
    if approved_on is None:
        errors["approved_on"] = _("Geef de datum van vaststelling.")
    _raise(errors)
    latest = minutes.meeting.minutes.order_by("-number").first()
    if latest is None or latest.pk != minutes.pk:
        raise ValidationError({"minutes": _("Alleen de laatste versie kan worden vastgesteld.")})
    if MinutesApproval.objects.filter(minutes__meeting=minutes.meeting).exists():
        raise ValidationError({"minutes": _("Het verslag is al vastgesteld.")})
    return MinutesApproval.objects.create(
        minutes=minutes, approved_on=approved_on, note=note.strip()[:300], approved_by=actor
    )


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    person: Person,
    presence: str,
    role: str,
    actor: User | None,
    note: str = "",
) -> Attendance:
    """Record (or correct) whether ``person`` attended ``meeting`` and in what role."""
    errors: dict[str, str] = {}
    _choice(errors, "presence", presence, Presence.values)
    _choice(errors, "role", role, AttendanceRole.values)
    if person is None:
        errors["person"] = _("Kies een persoon.")
    elif person.anonymised_on is not None:
        errors["person"] = _("Deze persoon is geanonimiseerd.")
    _raise(errors)
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "presence": presence,
            "role": role,
            "note": note.strip()[:300],
            "recorded_by": actor,
        },
    )
    return row


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor: User | None) -> None:
    """Remove a person recorded by mistake (the audit log keeps the row)."""
    attendance.delete()


@transaction.atomic
def person_references_release(*, person: Person) -> None:
    """Erasure hook (``paraat.network.services.erasure_hook_register``): when a person is erased,
    playbook sections they own lose their owner (the review then shows "geen eigenaar") and
    the notes on their attendance rows are cleared (a note may say something about them). The
    attendance rows themselves stay — they count for the fees and the meeting history — and
    point at the anonymised person. Bulk updates, so no personal data is copied into the
    audit log again."""
    PlaybookSection.objects.filter(owner=person).update(owner=None)
    Attendance.objects.filter(person=person).exclude(note="").update(note="")


# --- playbook ----------------------------------------------------------------------------------


def _owner_ok(errors: dict[str, str], owner: Person | None) -> None:
    """An erased (anonymised) person cannot own a section: erasure released their sections."""
    if owner is not None and owner.anonymised_on is not None:
        errors["owner"] = _("Deze persoon is geanonimiseerd.")


@transaction.atomic
def playbook_section_create(
    *,
    element: str,
    title: str,
    actor: User | None,
    owner: Person | None = None,
    review_due_on: dt.date | None = None,
    text: str = "",
    order: int | None = None,
    is_synthetic: bool = False,
) -> PlaybookSection:
    errors: dict[str, str] = {}
    _choice(errors, "element", element, PlaybookElement.values)
    _required(errors, "title", title, _("Geef een titel."))
    _date_ok(errors, "review_due_on", review_due_on)
    _owner_ok(errors, owner)
    _raise(errors)
    if (
        element != PlaybookElement.OTHER
        and PlaybookSection.objects.filter(element=element).exists()
    ):
        raise ValidationError({"element": _("Dit onderdeel heeft al een sectie in het draaiboek.")})
    if order is None:
        order = (list(PlaybookElement.values).index(element) + 1) * 10
    section = PlaybookSection.objects.create(
        element=element,
        title=title.strip(),
        owner=owner,
        review_due_on=review_due_on,
        order=order,
        is_synthetic=is_synthetic,
    )
    if text.strip():
        playbook_section_save(section=section, text=text, note=_("eerste versie"), actor=actor)
    return section


@transaction.atomic
def playbook_section_update(
    *,
    section: PlaybookSection,
    title: str,
    owner: Person | None,
    review_due_on: dt.date | None,
    actor: User | None,
) -> PlaybookSection:
    """Change a section's title, owner and review date (its text is versioned separately)."""
    errors: dict[str, str] = {}
    _required(errors, "title", title, _("Geef een titel."))
    _date_ok(errors, "review_due_on", review_due_on)
    _owner_ok(errors, owner)
    _raise(errors)
    section.title = title.strip()
    section.owner = owner
    section.review_due_on = review_due_on
    section.save(update_fields=["title", "owner", "review_due_on"])
    return section


@transaction.atomic
def playbook_section_save(
    *,
    section: PlaybookSection,
    text: str,
    actor: User | None,
    note: str = "",
    base_number: int | None = None,
    review_due_on: dt.date | None = None,
) -> PlaybookSectionVersion:
    """Append a version of a section's text. ``base_number``: the version the author edited;
    when another version was saved in between the save is refused (nothing is lost: the
    author sees the newer text). ``review_due_on``: the next review date, when given."""
    PlaybookSection.objects.select_for_update().filter(pk=section.pk).first()
    latest = section.versions.order_by("-number").first()
    errors: dict[str, str] = {}
    if len(text or "") > TEXT_MAX:
        errors["text"] = _("De tekst is te lang.")
    _date_ok(errors, "review_due_on", review_due_on)
    _raise(errors)
    cleaned = (text or "").replace("\r\n", "\n").strip()
    if latest is not None:
        if base_number is not None and base_number != latest.number:
            raise ValidationError(
                {
                    "text": _(
                        "Intussen is versie %(n)s van deze sectie opgeslagen; open die en breng "
                        "uw wijziging opnieuw aan."
                    )
                    % {"n": latest.number}
                }
            )
        if latest.text == cleaned:
            raise ValidationError({"text": _("De tekst is niet gewijzigd.")})
    elif not cleaned:
        raise ValidationError({"text": _("Schrijf de tekst van de sectie.")})
    version = PlaybookSectionVersion.objects.create(
        section=section,
        number=(latest.number + 1) if latest else 1,
        text=cleaned,
        note=note.strip()[:300],
        author=actor,
    )
    if review_due_on is not None:
        section.review_due_on = review_due_on
        section.save(update_fields=["review_due_on"])
    return version


@transaction.atomic
def playbook_defaults_ensure(
    *, actor: User | None, is_synthetic: bool = False
) -> list[PlaybookSection]:
    """Create an (empty) section for every named element that has none; returns the new ones."""
    created = []
    for element, label in PlaybookElement.choices:
        if element == PlaybookElement.OTHER:
            continue
        if not PlaybookSection.objects.filter(element=element).exists():
            created.append(
                playbook_section_create(
                    element=element,
                    title=str(label)[:1].upper() + str(label)[1:],
                    actor=actor,
                    is_synthetic=is_synthetic,
                )
            )
    return created


@transaction.atomic
def playbook_action_create(
    *,
    title: str,
    description: str,
    source: str,
    section: PlaybookSection | None = None,
    actor: User | None,
    due_on: dt.date | None = None,
    is_synthetic: bool = False,
) -> PlaybookAction:
    """An improvement of the playbook (status open), e.g. a lesson of an exercise."""
    errors: dict[str, str] = {}
    _required(errors, "title", title, _("Geef een titel."))
    _date_ok(errors, "due_on", due_on)
    _raise(errors)
    action = PlaybookAction.objects.create(
        section=section,
        title=title.strip()[:300],
        description=(description or "").strip(),
        source=(source or "").strip()[:300],
        due_on=due_on,
        is_synthetic=is_synthetic,
        created_by=actor,
    )
    PlaybookActionStatusChange.objects.create(
        action=action, status=PlaybookActionStatus.OPEN, note=_("aangemaakt"), actor=actor
    )
    return action


@transaction.atomic
def playbook_action_status_set(
    *, action: PlaybookAction, status: str, actor: User | None, note: str = ""
) -> PlaybookActionStatusChange:
    errors: dict[str, str] = {}
    _choice(errors, "status", status, PlaybookActionStatus.values)
    _raise(errors)
    if action.status == status:
        raise ValidationError({"status": _("De actie heeft deze status al.")})
    change = PlaybookActionStatusChange.objects.create(
        action=action, status=status, note=note.strip()[:300], actor=actor
    )
    action.status = status
    action.save(update_fields=["status"])
    return change


# --- budget ------------------------------------------------------------------------------------


def _amount(errors: dict[str, str], name: str, value: Decimal | int | str | None) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (decimal.InvalidOperation, ValueError, TypeError):
        errors[name] = _("Geef een bedrag in euro.")
        return Decimal(0)
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        errors[name] = _("Geef een bedrag in euro.")
        return Decimal(0)
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def funding_stream_create(
    *,
    name: str,
    funder: str,
    purpose: str,
    actor: User | None,
    recipient: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    source: str = "",
    is_synthetic: bool = False,
) -> FundingStream:
    errors: dict[str, str] = {}
    _required(errors, "name", name, _("Geef een naam."))
    _required(errors, "funder", funder, _("Geef de financier."))
    _required(errors, "purpose", purpose, _("Geef het doel."))
    _date_ok(errors, "starts_on", starts_on)
    if _date_ok(errors, "ends_on", ends_on) and starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("De einddatum ligt na de begindatum.")
    _raise(errors)
    return FundingStream.objects.create(
        name=name.strip(),
        funder=funder.strip(),
        recipient=recipient.strip(),
        purpose=purpose.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        source=source.strip()[:300],
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def budget_line_create(
    *,
    stream: FundingStream,
    year: int,
    amount: Decimal | int | str,
    actor: User | None,
    description: str = "",
    source: str = "",
    is_synthetic: bool = False,
) -> BudgetLine:
    errors: dict[str, str] = {}
    value = _amount(errors, "amount", amount)
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        errors["year"] = _("Geef een jaar tussen %(a)s en %(b)s.") % {"a": YEARS[0], "b": YEARS[1]}
    if "amount" not in errors and value < 0:
        errors["amount"] = _("Een begroot bedrag is niet negatief.")
    _raise(errors)
    return BudgetLine.objects.create(
        stream=stream,
        year=year,
        amount=value,
        description=description.strip()[:300],
        source=source.strip()[:300],
        is_synthetic=is_synthetic,
        created_by=actor,
    )


@transaction.atomic
def realisation_create(
    *,
    stream: FundingStream,
    amount: Decimal | int | str,
    date: dt.date,
    description: str,
    actor: User | None,
    is_synthetic: bool = False,
) -> Realisation:
    """Record money spent (a negative amount corrects an earlier realisation)."""
    errors: dict[str, str] = {}
    value = _amount(errors, "amount", amount)
    if "amount" not in errors and value == 0:
        errors["amount"] = _("Geef een bedrag dat niet nul is.")
    if date is None:
        errors["date"] = _("Geef de datum.")
    elif _date_ok(errors, "date", date) and date > timezone.localdate():
        errors["date"] = _("Een realisatie ligt niet in de toekomst.")
    _required(errors, "description", description, _("Geef een omschrijving."))
    _raise(errors)
    return Realisation.objects.create(
        stream=stream,
        amount=value,
        date=date,
        description=description.strip()[:300],
        is_synthetic=is_synthetic,
        recorded_by=actor,
    )
