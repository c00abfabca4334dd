"""Activation (activering): from the criteria to a staffed, operational secretariat.

In standby the CPO keeps ``SecondmentAgreement`` rows ready: which ministry can second how
many people and fte, at what lead time.  An ``ActivationCase`` follows the path of the
playbook: ``CriterionJudgement`` rows (append-only; the latest per criterion counts) judge the
activation criteria with their evidence → an ``ActivationSignal`` to the Secretary-General of
SZW (PDF + DOCX, then recorded as sent) → the minister's ``ActivationDecision`` → an
``EstablishmentDecree`` (instellingsbesluit, from the playbook's template, with the chosen
``DecreeMember`` rows; versions appended, the adopted one creates the memberships and switches
the mode to active) → ``SecondmentAssignment`` rows staff the secretariat and the
``ChecklistItem`` rows measure the time to operational.  Every move of the case is an appended
``ActivationStatusChange``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import ConfidentialityMixin
from paraat.evidence.models import EvidenceItem
from paraat.measures.models import ScenarioLevel
from paraat.network.models import Candidate, CommitteeRole, Organisation, Person

_USER = settings.AUTH_USER_MODEL


class SecondmentAgreement(models.Model):
    """A standing agreement with a ministry to second staff to the secretariat when the
    committee is established (kept ready in standby)."""

    ministry = models.ForeignKey(
        Organisation,
        verbose_name=_("ministerie"),
        on_delete=models.PROTECT,
        related_name="secondment_agreements",
    )
    people = models.PositiveSmallIntegerField(_("aantal mensen"))
    fte = models.DecimalField(_("fte"), max_digits=5, decimal_places=1)
    lead_time_days = models.PositiveSmallIntegerField(
        _("aanlooptijd (dagen)"),
        null=True,
        blank=True,
        help_text=_("Hoeveel dagen na het verzoek de mensen kunnen beginnen."),
    )
    available_from = models.DateField(_("beschikbaar vanaf"), null=True, blank=True)
    contact = models.CharField(
        _("contactpersoon"),
        max_length=200,
        blank=True,
        help_text=_("Naam of functie en werkadres; geen privégegevens."),
    )
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
    notes = models.TextField(_("notities"), blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ministry__name", "pk"]
        verbose_name = _("detacheringsafspraak")
        verbose_name_plural = _("detacheringsafspraken")

    def __str__(self) -> str:
        return f"{self.ministry.short_name}: {self.people} ({self.fte} fte)"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    SIGNALLED = "signalled", _("gesignaleerd aan de SG van SZW")
    DECIDED = "decided", _("besluit van de minister")
    DECREE = "decree", _("instellingsbesluit opgesteld")
    ACTIVE = "active", _("actief (instellingsbesluit vastgesteld)")
    OPERATIONAL = "operational", _("operationeel")
    CLOSED = "closed", _("gesloten")


class ActivationCase(ConfidentialityMixin):
    """One consideration whether to activate the committee, from criteria to operational."""

    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("aanleiding"), blank=True)
    scenario_level = models.CharField(
        _("scenarioniveau"), max_length=20, choices=ScenarioLevel.choices, blank=True
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activeringsdossier")
        verbose_name_plural = _("activeringsdossiers")
        permissions = [
            ("manage_activation", _("activering voorbereiden en uitvoeren (CPO)")),
            ("decide_activation", _("besluit van de minister over activering vastleggen")),
        ]

    def __str__(self) -> str:
        return self.title


class ActivationStatusChange(models.Model):
    """Append-only history of the case; the latest row is its status."""

    case = models.ForeignKey(ActivationCase, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices)
    previous = models.CharField(
        _("vorige status"), max_length=20, choices=CaseStatus.choices, blank=True
    )
    note = models.TextField(_("toelichting"), blank=True)
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("statuswijziging activering")
        verbose_name_plural = _("statuswijzigingen activering")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


class Criterion(models.TextChoices):
    """The activation criteria of the playbook (evaluation, seed 001 §6.3)."""

    SCALE = "scale", _("omvang van de crisis")
    DURATION = "duration", _("verwachte duur")
    IMPACT = "impact", _("mogelijke impact van maatregelen")
    OMT_ACTIVATED = "omt_activated", _("OMT geactiveerd")
    BINDING_MEASURES = "binding_measures", _("collectief bindende maatregelen overwogen")


class Judgement(models.TextChoices):
    MET = "met", _("voldaan")
    NOT_MET = "not_met", _("niet voldaan")
    UNKNOWN = "unknown", _("onbekend")


class CriterionJudgement(models.Model):
    """A judgement of one criterion (append-only: the latest per criterion counts)."""

    case = models.ForeignKey(ActivationCase, on_delete=models.CASCADE, related_name="judgements")
    criterion = models.CharField(_("criterium"), max_length=20, choices=Criterion.choices)
    judgement = models.CharField(_("oordeel"), max_length=10, choices=Judgement.choices)
    evidence_text = models.TextField(_("onderbouwing"), blank=True)
    evidence = models.ManyToManyField(
        EvidenceItem,
        blank=True,
        related_name="+",
        verbose_name=_("items uit de kennisbibliotheek"),
    )
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("oordeel over een criterium")
        verbose_name_plural = _("oordelen over criteria")

    def __str__(self) -> str:
        return f"{self.case_id} {self.criterion}: {self.judgement}"


class ActivationSignal(models.Model):
    """The signal to the Secretary-General of SZW (versions appended; one is sent)."""

    case = models.ForeignKey(ActivationCase, on_delete=models.CASCADE, related_name="signals")
    number = models.PositiveIntegerField(_("versie"))
    recipient = models.CharField(_("geadresseerde"), max_length=200)
    reasons = models.JSONField(_("redenen (criteria en onderbouwing)"), default=list)
    pdf = models.FileField(_("PDF"), upload_to="activation/%Y/", blank=True)
    docx = models.FileField(_("Word"), upload_to="activation/%Y/", blank=True)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opgesteld op"))
    sent_on = models.DateField(_("verzonden op"), null=True, blank=True)
    sent_recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="activation_signal_number")
        ]
        verbose_name = _("signaal aan de secretaris-generaal")
        verbose_name_plural = _("signalen aan de secretaris-generaal")

    def __str__(self) -> str:
        return f"{self.case_id} v{self.number}"


class Decision(models.TextChoices):
    ESTABLISH = "establish", _("instellen")
    NOT_NOW = "not_now", _("nu niet instellen")


class ActivationDecision(models.Model):
    """The decision of the Minister of SZW (recorded once; append-only)."""

    case = models.OneToOneField(ActivationCase, on_delete=models.CASCADE, related_name="decision")
    decision = models.CharField(_("besluit"), max_length=20, choices=Decision.choices)
    decided_at = models.DateTimeField(_("besloten op"))
    decided_by = models.CharField(
        _("besloten door"), max_length=200, default="Minister van SZW", blank=True
    )
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"))

    class Meta:
        verbose_name = _("besluit van de minister")
        verbose_name_plural = _("besluiten van de minister")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.decision}"


class EstablishmentDecree(models.Model):
    """A version of the establishment decree (instellingsbesluit), rendered from the
    playbook's template; the adopted version made the committee."""

    case = models.ForeignKey(ActivationCase, on_delete=models.CASCADE, related_name="decrees")
    number = models.PositiveIntegerField(_("versie"))
    text = models.TextField(_("tekst"))
    template_text = models.TextField(_("sjabloon"), blank=True)
    decree_date = models.DateField(_("datum van het besluit"))
    term = models.CharField(_("looptijd"), max_length=200)
    ends_on = models.DateField(_("vervalt op"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="activation/%Y/", blank=True)
    docx = models.FileField(_("Word"), upload_to="activation/%Y/", blank=True)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opgesteld op"))
    adopted_on = models.DateField(_("vastgesteld door de ministerraad op"), null=True, blank=True)
    adopted_recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="activation_decree_number")
        ]
        verbose_name = _("instellingsbesluit")
        verbose_name_plural = _("instellingsbesluiten")

    def __str__(self) -> str:
        return f"{self.case_id} v{self.number}"


class DecreeMember(models.Model):
    """A member named in a decree version, chosen from the card index."""

    decree = models.ForeignKey(
        EstablishmentDecree, on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("persoon"),
        on_delete=models.PROTECT,
        related_name="decree_memberships",
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("kandidaat (kaartenbak)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leeg als de kandidaat later uit de kaartenbak is verwijderd."),
    )
    role = models.CharField(_("rol"), max_length=20, choices=CommitteeRole.choices)
    institution = models.ForeignKey(
        Organisation,
        verbose_name=_("instituut"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["decree", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decree", "person"], name="activation_decree_person")
        ]
        verbose_name = _("lid in het instellingsbesluit")
        verbose_name_plural = _("leden in het instellingsbesluit")

    def __str__(self) -> str:
        return f"{self.person_id} ({self.role})"


class SecondmentAssignment(models.Model):
    """A person seconded to the secretariat under an agreement."""

    case = models.ForeignKey(ActivationCase, on_delete=models.CASCADE, related_name="assignments")
    agreement = models.ForeignKey(
        SecondmentAgreement,
        verbose_name=_("detacheringsafspraak"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    name = models.CharField(_("naam"), max_length=200)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fte = models.DecimalField(_("fte"), max_digits=4, decimal_places=1)
    starts_on = models.DateField(_("begint op"))
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "starts_on", "pk"]
        verbose_name = _("gedetacheerde")
        verbose_name_plural = _("gedetacheerden")

    def __str__(self) -> str:
        return f"{self.name} ({self.fte} fte)"


class ChecklistDefault(models.Model):
    """An item every new case's operational checklist starts with (editable data)."""

    title = models.CharField(_("omschrijving"), max_length=300, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("standaard checklistpunt")
        verbose_name_plural = _("standaard checklistpunten")

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    """An item of a case's operational checklist; its completion time is measured."""

    case = models.ForeignKey(ActivationCase, on_delete=models.CASCADE, related_name="checklist")
    title = models.CharField(_("omschrijving"), max_length=300)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    done_at = models.DateTimeField(_("gereed op"), null=True, blank=True)
    done_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["case", "order", "pk"]
        verbose_name = _("checklistpunt")
        verbose_name_plural = _("operationele checklist")

    def __str__(self) -> str:
        return self.title
