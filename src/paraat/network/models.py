"""The network (netwerk): people, organisations, the committee, the expert pool, the card index
(kaartenbak) of candidate committee members and the practice circles (praktijkkringen).

Personal data is kept minimal (name, work e-mail, work phone, organisation) and carries the
consent it rests on (``consent_on``, ``consent_scope``) and a retention date (``retention_until``).
A person can be anonymised on request or when the retention date passes: the row stays (so
memberships, attendance and declarations keep pointing at something) but the name becomes
neutral and contact details are erased.  Every erasure is written to ``ErasureRecord`` without
personal data.  ``InterestDeclaration`` rows are append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.taxonomies.models import PopulationGroup, TaxonomyTerm

_USER = settings.AUTH_USER_MODEL


class OrganisationKind(models.TextChoices):
    INSTITUTION = "institution", _("planbureau of kennisinstituut")
    MINISTRY = "ministry", _("ministerie")
    MUNICIPALITY = "municipality", _("gemeente of koepel van gemeenten")
    CIVIL_SOCIETY = "civil_society", _("maatschappelijke organisatie")
    INTEREST_GROUP = "interest_group", _("belangenorganisatie")
    KNOWLEDGE = "knowledge", _("universiteit of onderzoeksinstelling")
    BUSINESS = "business", _("bedrijf")
    OTHER = "other", _("overig")


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=300, unique=True)
    abbreviation = models.CharField(_("afkorting"), max_length=40, blank=True)
    kind = models.CharField(
        _("soort"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    is_synthetic = models.BooleanField(
        _("fictief (demo)"),
        default=False,
        help_text=_("Een verzonnen organisatie voor demonstratie en oefening."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    @property
    def short_name(self) -> str:
        return self.abbreviation or self.name


class Person(models.Model):
    """A person in the network, with only the personal data the MIT needs."""

    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres (werk)"), blank=True)
    phone = models.CharField(_("telefoon (werk)"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    function_title = models.CharField(_("functie"), max_length=200, blank=True)
    user = models.OneToOneField(
        _USER,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_person",
    )
    consent_on = models.DateField(_("toestemming gegeven op"), null=True, blank=True)
    consent_scope = models.CharField(
        _("reikwijdte toestemming"),
        max_length=500,
        blank=True,
        help_text=_("Waarvoor de persoon toestemming gaf, bijv. 'expertpool en kaartenbak'."),
    )
    retention_until = models.DateField(_("bewaren tot"), null=True, blank=True)
    is_fictional = models.BooleanField(
        _("fictief persoon (demo)"),
        default=False,
        help_text=_("Een verzonnen persoon voor demonstratie en oefening."),
    )
    anonymised_on = models.DateField(_("geanonimiseerd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        permissions = [
            ("view_contact_details", _("contactgegevens van personen zien")),
            ("erase_person", _("persoonsgegevens verwijderen of anonimiseren op verzoek")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_on is not None


class Discipline(TaxonomyTerm):
    """An expertise area of the expert pool and the card index (editable data)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        permissions = [("view_coverage", _("dekking van het netwerk bekijken"))]


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("voorzitter")
    MEMBER = "member", _("lid (met stemrecht)")
    EXPERT_MEMBER = "expert_member", _("expertlid (namens instituut, zonder stem)")
    SECRETARIAT = "secretariat", _("secretariaat")
    CPO = "cpo", _("Chief Preparedness Officer")


VOTING_ROLES = (CommitteeRole.CHAIR.value, CommitteeRole.MEMBER.value)


class Membership(models.Model):
    """A role in the committee for a period; a person's history is a list of these."""

    person = models.ForeignKey(
        Person, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=20, choices=CommitteeRole.choices)
    institution = models.ForeignKey(
        Organisation,
        verbose_name=_("namens instituut"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_memberships",
    )
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"), null=True, blank=True)
    source = models.CharField(
        _("bron"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld het instellingsbesluit of de benoemingsbrief."),
    )
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @property
    def has_vote(self) -> bool:
        return self.role in VOTING_ROLES


class PoolExpert(models.Model):
    """A person in the expert pool, by discipline."""

    person = models.OneToOneField(
        Person, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="pool_expert"
    )
    disciplines = models.ManyToManyField(
        Discipline, related_name="pool_experts", verbose_name=_("disciplines")
    )
    availability_confirmed_on = models.DateField(
        _("beschikbaarheid bevestigd op"), null=True, blank=True
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__name", "pk"]
        verbose_name = _("expert in de pool")
        verbose_name_plural = _("expertpool")

    def __str__(self) -> str:
        return str(self.person)


class Candidate(models.Model):
    """An entry in the card index (kaartenbak) of candidate committee members."""

    person = models.OneToOneField(
        Person, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="candidate"
    )
    disciplines = models.ManyToManyField(
        Discipline, related_name="candidates", verbose_name=_("expertise")
    )
    availability_confirmed_on = models.DateField(
        _("beschikbaarheid bevestigd op"), null=True, blank=True
    )
    notes = models.TextField(_("notities"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__name", "pk"]
        verbose_name = _("kandidaat (kaartenbak)")
        verbose_name_plural = _("kaartenbak")
        permissions = [("confirm_availability", _("beschikbaarheid bevestigen"))]

    def __str__(self) -> str:
        return str(self.person)


class InterestDeclaration(models.Model):
    """A declaration of interests (append-only: a newer declaration supersedes, never edits)."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("persoon"),
        on_delete=models.CASCADE,
        related_name="interest_declarations",
    )
    text = models.TextField(_("verklaring"))
    declared_on = models.DateField(_("verklaard op"))
    recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("belangenverklaring")
        verbose_name_plural = _("belangenverklaringen")

    def __str__(self) -> str:
        return f"{self.person} ({self.declared_on})"


class PracticeCircle(models.Model):
    """A practice circle (praktijkkring) that gathers signals fast for the groups it speaks for."""

    name = models.CharField(_("naam"), max_length=300, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("trekker"),
        on_delete=models.PROTECT,
        related_name="led_circles",
    )
    member_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="member_of_circles",
        verbose_name=_("deelnemende organisaties"),
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contactpersoon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="circles",
    )
    groups = models.ManyToManyField(
        PopulationGroup,
        blank=True,
        related_name="practice_circles",
        verbose_name=_("groepen waarvoor de kring spreekt"),
    )
    response_hours = models.PositiveIntegerField(_("toegezegde reactietijd (uren)"), default=48)
    contact_confirmed_on = models.DateField(
        _("contactpersoon laatst bevestigd op"),
        null=True,
        blank=True,
        help_text=_(
            "Wanneer de kring laatst bevestigde dat contactpersoon en reactietijd kloppen."
        ),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_synthetic = models.BooleanField(_("fictief (demo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("praktijkkring")
        verbose_name_plural = _("praktijkkringen")

    def __str__(self) -> str:
        return self.name


class ErasureAction(models.TextChoices):
    ANONYMISED = "anonymised", _("geanonimiseerd")
    DELETED = "deleted", _("verwijderd")


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("op verzoek van de persoon")
    RETENTION = "retention", _("bewaartermijn verstreken")


class ErasureRecord(models.Model):
    """Deletion log: that a person was erased, when and why — without any personal data."""

    person_ref = models.PositiveBigIntegerField(_("intern nummer persoon"))
    action = models.CharField(_("actie"), max_length=20, choices=ErasureAction.choices)
    reason = models.CharField(_("reden"), max_length=20, choices=ErasureReason.choices)
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("verwijderlog")
        verbose_name_plural = _("verwijderlog")

    def __str__(self) -> str:
        return f"#{self.person_ref} {self.action} ({self.reason})"
