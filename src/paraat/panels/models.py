"""Models of paraat.panels (issue 7): the citizens' perspective (burgerperspectief).

A **panel** of people who consented (``Panelist``: a pseudonymous code, an optional e-mail
address used only to send invitations, the consent and its retention date), **questionnaires**
(Likert, multiple choice, open questions) and **dilemma sessions** (rank impact domains or choose
between options of an assessment).

Anonymity by design: an ``Invitation`` carries the hashed secret token of the link and only
records *that* it was used (a date, no time); the answers (``Response`` + ``Answer``, ``Ballot``)
have **no foreign key** to the panelist or the invitation, no timestamp, random (UUID) primary
keys (a sequence would reveal the order of submission, which the invitations' use could match)
and are excluded from the audit log, so nothing in the database links an answer to a person. See
``docs/methodology/citizen-panel.md`` and ADR 0017.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import ConfidentialityMixin
from paraat.taxonomies.models import Domain


class Panel(models.Model):
    """A citizen panel: people who agreed to be asked for their views now and then."""

    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    recruitment = models.TextField(
        _("werving en samenstelling"),
        blank=True,
        help_text=_("Hoe de deelnemers zijn geworven; nodig om de resultaten te kunnen wegen."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("burgerpanel")
        verbose_name_plural = _("burgerpanels")
        permissions = [
            ("manage_panels", _("Mag burgerpanels, vragenlijsten en sessies beheren")),
            ("view_panel_results", _("Mag resultaten van het burgerpanel inzien")),
        ]

    def __str__(self) -> str:
        return self.name


class Panelist(models.Model):
    """A person in a panel, known by a pseudonymous code. Personal data kept minimal."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="panelists")
    code = models.CharField(_("pseudoniem"), max_length=40)
    email = models.EmailField(
        _("e-mailadres"),
        blank=True,
        help_text=_("Alleen om uitnodigingen te sturen; optioneel."),
    )
    consent_on = models.DateField(_("toestemming gegeven op"))
    consent_text = models.TextField(_("tekst van de toestemming"))
    retention_until = models.DateField(_("bewaren tot"))
    withdrawn_at = models.DateTimeField(_("teruggetrokken op"), null=True, blank=True)
    is_fictional = models.BooleanField(_("fictief (demo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["panel_id", "code"]
        verbose_name = _("panellid")
        verbose_name_plural = _("panelleden")
        constraints = [
            models.UniqueConstraint(fields=["panel", "code"], name="panelist_unique_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Questionnaire(ConfidentialityMixin):
    """A short questionnaire put to a panel between two moments."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="questionnaires")
    title = models.CharField(_("titel"), max_length=300)
    intro = models.TextField(_("inleiding"), blank=True)
    opens_at = models.DateTimeField(_("open vanaf"))
    closes_at = models.DateTimeField(_("sluit op"))
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    evidence_item = models.ForeignKey(
        "evidence.EvidenceItem",
        verbose_name=_("kennisitem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("vragenlijst")
        verbose_name_plural = _("vragenlijsten")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("stelling (5-puntsschaal)")
    CHOICE = "choice", _("meerkeuze")
    OPEN = "open", _("open vraag")


LIKERT_LABELS = (
    _("helemaal oneens"),
    _("oneens"),
    _("neutraal"),
    _("eens"),
    _("helemaal eens"),
)
"""The five points of the Likert scale, 1 … 5."""


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=10, choices=QuestionKind.choices)
    text = models.TextField(_("vraag"))
    choices = models.JSONField(_("antwoordmogelijkheden"), default=list, blank=True)
    required = models.BooleanField(_("verplicht"), default=False)

    class Meta:
        ordering = ["questionnaire_id", "position", "id"]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    def __str__(self) -> str:
        return self.text[:80]


class Response(models.Model):
    """One anonymous filled-in questionnaire: deliberately no link to a panelist or invitation,
    and no timestamp (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        verbose_name = _("ingevulde vragenlijst")
        verbose_name_plural = _("ingevulde vragenlijsten")

    def __str__(self) -> str:
        return f"{self.questionnaire_id}#{self.pk}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    likert = models.PositiveSmallIntegerField(_("score (1-5)"), null=True, blank=True)
    choice = models.CharField(_("keuze"), max_length=300, blank=True)
    text = models.TextField(_("antwoord"), blank=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class SessionKind(models.TextChoices):
    RANK_DOMAINS = "rank_domains", _("impactdomeinen rangschikken")
    CHOOSE_OPTION = "choose_option", _("kiezen tussen opties")


class DilemmaSession(ConfidentialityMixin):
    """A dilemma session: participants rank impact domains or choose between options."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("titel"), max_length=300)
    intro = models.TextField(_("inleiding (het dilemma)"), blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=SessionKind.choices)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("afweging"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    domains = models.ManyToManyField(
        Domain, verbose_name=_("impactdomeinen"), blank=True, related_name="+"
    )
    options = models.ManyToManyField(
        "assessments.Option", verbose_name=_("opties"), blank=True, related_name="+"
    )
    opens_at = models.DateTimeField(_("open vanaf"))
    closes_at = models.DateTimeField(_("sluit op"))
    offer_weights = models.BooleanField(
        _("gewichten aanbieden aan de afweging"),
        default=False,
        help_text=_(
            "De rangschikkingen van de deelnemers worden een gewichtenverdeling die de "
            "robuustheidsanalyse van de afweging naast uniforme gewichten kan gebruiken."
        ),
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    evidence_item = models.ForeignKey(
        "evidence.EvidenceItem",
        verbose_name=_("kennisitem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("dilemmasessie")
        verbose_name_plural = _("dilemmasessies")

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    """One participant's anonymous answer in a dilemma session: a full ranking of the session's
    domains (keys, most important first) or the chosen option. No link to a person, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(DilemmaSession, on_delete=models.CASCADE, related_name="ballots")
    ranking = models.JSONField(_("rangschikking"), default=list, blank=True)
    option = models.ForeignKey(
        "assessments.Option",
        verbose_name=_("gekozen optie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        verbose_name = _("stembiljet")
        verbose_name_plural = _("stembiljetten")

    def __str__(self) -> str:
        return f"{self.session_id}#{self.pk}"


class Invitation(models.Model):
    """An invitation of one panelist to one questionnaire or session, via a secure link.

    Only the SHA-256 hash of the token is stored. ``used_on`` (a date, no time) marks the link
    as used; it is the only trace of taking part and it points at nothing that was answered.
    """

    panelist = models.ForeignKey(Panelist, on_delete=models.CASCADE, related_name="invitations")
    questionnaire = models.ForeignKey(
        Questionnaire, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    session = models.ForeignKey(
        DilemmaSession,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_on = models.DateField(_("verstuurd op"))
    used_on = models.DateField(_("gebruikt op"), null=True, blank=True)
    revoked_on = models.DateField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(questionnaire__isnull=False, session__isnull=True)
                | models.Q(questionnaire__isnull=True, session__isnull=False),
                name="invitation_one_target",
            ),
            models.UniqueConstraint(
                fields=["panelist", "questionnaire"],
                condition=models.Q(questionnaire__isnull=False),
                name="invitation_unique_questionnaire",
            ),
            models.UniqueConstraint(
                fields=["panelist", "session"],
                condition=models.Q(session__isnull=False),
                name="invitation_unique_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panelist_id}: {self.questionnaire_id or self.session_id}"
