"""Standby (waakstand): mode and scenario level, meetings, the playbook and the budget.

Since September 2024 the MIT is in standby at SCP (seed 003). The mode (standby / active) and
the scenario level (after the WRR/KNAW scenarios) are an append-only history of
``ModeChange`` rows; the latest row is the current mode. The level sets the meeting cadence
(``paraat_core.cadence``). ``Meeting`` rows have an agenda, documents (checked by content),
minutes (append-only versions, approved by an appended ``MinutesApproval``) and attendance per
person. The playbook (draaiboek) is a set of ``PlaybookSection`` rows, one per element, whose
text lives in append-only ``PlaybookSectionVersion`` rows; ``PlaybookAction`` rows are the
improvements to make (lessons of exercises and evaluations), each status change appended.
``FundingStream``, ``BudgetLine`` and ``Realisation`` make the finances traceable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import ConfidentialityMixin
from paraat.measures.models import ScenarioLevel
from paraat.network.models import Person

_USER = settings.AUTH_USER_MODEL

__all__ = [
    "Attendance",
    "AttendanceRole",
    "BudgetLine",
    "FundingStream",
    "Meeting",
    "MeetingDocument",
    "MeetingKind",
    "MeetingStatus",
    "Minutes",
    "MinutesApproval",
    "Mode",
    "ModeChange",
    "PlaybookAction",
    "PlaybookActionStatus",
    "PlaybookActionStatusChange",
    "PlaybookElement",
    "PlaybookSection",
    "PlaybookSectionVersion",
    "Presence",
    "Realisation",
    "ScenarioLevel",
]


class Mode(models.TextChoices):
    STANDBY = "standby", _("waakstand")
    ACTIVE = "active", _("actief")


class ModeChange(models.Model):
    """Append-only history of the mode and scenario level; the latest row is current."""

    mode = models.CharField(_("modus"), max_length=20, choices=Mode.choices)
    scenario_level = models.CharField(
        _("scenarioniveau"), max_length=20, choices=ScenarioLevel.choices, blank=True
    )
    reason = models.TextField(_("reden"))
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("met ingang van"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("moduswijziging")
        verbose_name_plural = _("moduswijzigingen")
        permissions = [
            ("report_preparedness", _("jaarverslag en evaluatie-export maken")),
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.scenario_level} @ {self.at:%Y-%m-%d}"


# --- meetings ---------------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    STANDBY = "standby", _("waakstandoverleg")
    COMMITTEE = "committee", _("commissievergadering")
    EXPERTS = "experts", _("overleg met experts")
    EXERCISE = "exercise", _("oefening of simulatie")
    OTHER = "other", _("overig")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    HELD = "held", _("gehouden")
    CANCELLED = "cancelled", _("vervallen")


class Meeting(ConfidentialityMixin):
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("soort"), max_length=20, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"), null=True, blank=True)
    location = models.CharField(_("locatie"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    planned_by_cadence = models.BooleanField(
        _("gepland volgens de vergaderfrequentie"), default=False
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("agendapunt"), max_length=300)
    description = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class MeetingDocument(models.Model):
    """A meeting document, accepted only as PDF, DOCX, ODT or plain text (checked by content)
    and always served as a download (never inline)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titel"), max_length=300)
    file = models.FileField(_("bestand"), upload_to="preparedness/meetings/%Y/")
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_format = models.CharField(_("formaat"), max_length=10)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("vergaderstuk")
        verbose_name_plural = _("vergaderstukken")

    def __str__(self) -> str:
        return self.title


class Minutes(models.Model):
    """One saved version of a meeting's minutes (append-only); ``number`` counts from 1."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveIntegerField(_("versie"))
    text = models.TextField(_("verslag"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    author = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_version_unique")
        ]
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.number}"


class MinutesApproval(models.Model):
    """The approval of one version of the minutes (appended, never edited)."""

    minutes = models.OneToOneField(Minutes, on_delete=models.PROTECT, related_name="approval")
    approved_on = models.DateField(_("vastgesteld op"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vaststelling verslag")
        verbose_name_plural = _("vaststellingen verslag")

    def __str__(self) -> str:
        return f"{self.minutes_id} {self.approved_on}"


class Presence(models.TextChoices):
    PRESENT = "present", _("aanwezig")
    REMOTE = "remote", _("op afstand")
    ABSENT = "absent", _("afwezig")


class AttendanceRole(models.TextChoices):
    CHAIR = "chair", _("voorzitter")
    MEMBER = "member", _("lid")
    EXPERT_MEMBER = "expert_member", _("expertlid")
    SECRETARIAT = "secretariat", _("secretariaat")
    CPO = "cpo", _("CPO")
    INVITED_EXPERT = "invited_expert", _("genodigde expert")
    GUEST = "guest", _("gast")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        Person, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="+"
    )
    presence = models.CharField(_("aanwezigheid"), max_length=10, choices=Presence.choices)
    role = models.CharField(_("rol"), max_length=20, choices=AttendanceRole.choices)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")
        ]
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.presence}"


# --- playbook (draaiboek) ---------------------------------------------------------------------


class PlaybookElement(models.TextChoices):
    """The elements of the playbook the evaluation names (seed 001 §5.1, §6.3), and more."""

    MINISTER = "minister", _("verantwoordelijke minister en ministerie")
    ORGANISATION = "organisation", _("organisatie (commissie, expertleden, secretariaat)")
    QUARTERMASTER = "quartermaster", _("kwartiermakersorganisatie")
    HOUSING = "housing", _("huisvesting en bedrijfsvoering")
    FIXED_EXPERTS = "fixed_experts", _("vaste expertleden")
    LEGAL_CONSTRUCT = "legal_construct", _("juridische constructie")
    DECREE_TEMPLATE = "decree_template", _("model-instellingsbesluit")
    SECONDMENTS = "secondments", _("detacheringsafspraken met ministeries")
    ACTIVATION = "activation", _("activeringscriteria en signaal")
    COMMUNICATION = "communication", _("communicatie en publicatie")
    OTHER = "other", _("overig")


class PlaybookSection(models.Model):
    element = models.CharField(_("onderdeel"), max_length=30, choices=PlaybookElement.choices)
    title = models.CharField(_("titel"), max_length=300)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("eigenaar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_due_on = models.DateField(_("herzien uiterlijk op"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["element"],
                condition=~models.Q(element="other"),
                name="playbook_element_unique",
            )
        ]
        verbose_name = _("draaiboeksectie")
        verbose_name_plural = _("draaiboeksecties")

    def __str__(self) -> str:
        return self.title


class PlaybookSectionVersion(models.Model):
    """One saved text of a section (append-only); ``number`` counts from 1."""

    section = models.ForeignKey(PlaybookSection, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    text = models.TextField(_("tekst"), blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    author = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="playbook_version_unique")
        ]
        verbose_name = _("versie draaiboeksectie")
        verbose_name_plural = _("versies draaiboeksectie")

    def __str__(self) -> str:
        return f"{self.section_id} v{self.number}"


class PlaybookActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in uitvoering")
    DONE = "done", _("afgerond")
    DROPPED = "dropped", _("vervallen")


class PlaybookAction(models.Model):
    """An improvement of the playbook (a lesson of an exercise, an evaluation finding)."""

    section = models.ForeignKey(
        PlaybookSection,
        verbose_name=_("sectie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlaybookActionStatus.choices,
        default=PlaybookActionStatus.OPEN,
    )
    due_on = models.DateField(_("gereed uiterlijk op"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("draaiboekactie")
        verbose_name_plural = _("draaiboekacties")

    def __str__(self) -> str:
        return self.title


class PlaybookActionStatusChange(models.Model):
    """Append-only history of an action's status (the action keeps the latest)."""

    action = models.ForeignKey(
        PlaybookAction, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=20, choices=PlaybookActionStatus.choices)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("statuswijziging actie")
        verbose_name_plural = _("statuswijzigingen actie")

    def __str__(self) -> str:
        return f"{self.action_id}: {self.status}"


# --- budget -----------------------------------------------------------------------------------


class FundingStream(models.Model):
    """An agreement under which a funder pays for part of the standby function."""

    name = models.CharField(_("naam"), max_length=200)
    funder = models.CharField(_("financier"), max_length=200)
    recipient = models.CharField(_("ontvanger"), max_length=200, blank=True)
    purpose = models.TextField(_("doel"))
    starts_on = models.DateField(_("vanaf"), null=True, blank=True)
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("financieringsstroom")
        verbose_name_plural = _("financieringsstromen")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("begroot bedrag (euro)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stream", "year", "pk"]
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begrotingsregels")

    def __str__(self) -> str:
        return f"{self.stream_id} {self.year}: {self.amount}"


class Realisation(models.Model):
    """Money actually spent under a funding stream (appended; corrections are new rows)."""

    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="realisations")
    amount = models.DecimalField(_("bedrag (euro)"), max_digits=12, decimal_places=2)
    date = models.DateField(_("datum"))
    description = models.CharField(_("omschrijving"), max_length=300)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("realisatie")
        verbose_name_plural = _("realisaties")

    def __str__(self) -> str:
        return f"{self.stream_id} {self.date}: {self.amount}"
