"""The advice process (adviesproces): from request to published advice and its follow-up.

An ``AdviceRequest`` moves through the MIT's process (``AdviceStatus``); every move is an
appended ``AdviceStatusChange``.  Input is asked from members, experts and practice circles
(``InputRequest`` with a secure link; each ``InputResponse`` becomes an evidence item).  The
advice text lives in append-only ``AdviceRevision`` rows (one per save, sections as JSON);
``DecisionRound`` and immutable ``Vote`` rows record the decision; ``SignOff``,
``Dispatch``, ``Publication`` and ``CabinetResponse`` the rest.  Confidential information from
the OMT sits in ``OmtDocument`` rows behind a per-request ``OmtBriefing`` to which access is
granted per occasion (``accounts.AccessGrant``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import ConfidentialityMixin
from paraat.assessments.models import Assessment
from paraat.evidence.models import Direction, EvidenceItem, InterestsStatus
from paraat.measures.models import Package
from paraat.taxonomies.models import PopulationGroup

_USER = settings.AUTH_USER_MODEL


class AdviceStatus(models.TextChoices):
    """The MIT's process for a requested advice (evaluation, seed 001 §2.4 and §3.3)."""

    RECEIVED = "received", _("ontvangen")
    INPUT_REQUESTED = "input_requested", _("input uitgevraagd")
    CONTRIBUTIONS = "contributions", _("bijdragen verwerken")
    DRAFT = "draft", _("concept")
    FEEDBACK = "feedback", _("feedbackronde")
    FINAL_DRAFT = "final_draft", _("eindconcept")
    DECISION = "decision", _("besluitvorming")
    ALIGNMENT = "alignment", _("afstemming voorzitters (OMT, responsteam, MIT)")
    SENT = "sent", _("verzonden aan de secretaris-generaal")
    EMBARGO = "embargo", _("onder embargo")
    PUBLISHED = "published", _("gepubliceerd")
    CABINET_RESPONSE = "cabinet_response", _("kabinetsreactie ontvangen")
    FOLLOW_UP = "follow_up", _("opvolging")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class Requester(models.TextChoices):
    SG_SZW = "sg_szw", _("secretaris-generaal van SZW (gevraagd)")
    OWN_INITIATIVE = "own_initiative", _("eigen initiatief van de commissie (ongevraagd)")


class RequestKind(models.TextChoices):
    URGENT = "urgent", _("spoedadvies")
    LONG_TERM = "long_term", _("advies voor de langere termijn")


class AdviceRequest(ConfidentialityMixin):
    key = models.SlugField(_("sleutel"), max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    question = models.TextField(_("adviesvraag"))
    requester = models.CharField(_("aanvrager"), max_length=20, choices=Requester.choices)
    requester_name = models.CharField(_("naam aanvrager"), max_length=200, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=RequestKind.choices)
    received_at = models.DateTimeField(_("ontvangen op"))
    deadline = models.DateTimeField(_("deadline"))
    options = models.ManyToManyField(
        Package, blank=True, related_name="advice_requests", verbose_name=_("opties (pakketten)")
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("afweging"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advice_requests",
    )
    omt_reference = models.CharField(_("parallelle OMT-adviesaanvraag"), max_length=300, blank=True)
    omt_url = models.URLField(_("adres OMT-adviesaanvraag"), max_length=500, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    # Exercise mode (issue 7): a request created by an inject of an exercise run.  It runs
    # through the real process but every real list, register, public page and the knowledge
    # library exclude it (see ``selectors.real_requests`` and docs/adr/0020-exercise-sandbox.md).
    exercise_run = models.ForeignKey(
        "exercises.ExerciseRun",
        verbose_name=_("oefening"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advice_requests",
    )
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("adviesaanvraag")
        verbose_name_plural = _("adviesaanvragen")
        permissions = [
            ("manage_advice", _("adviesproces voeren (secretariaat)")),
            ("sign_off_advice", _("advies ondertekenen en verzenden (voorzitter)")),
            ("record_cabinet_response", _("kabinetsreactie vastleggen")),
            ("grant_omt_access", _("toegang tot OMT-informatie verlenen")),
        ]

    def __str__(self) -> str:
        return self.title


class AdviceStatusChange(models.Model):
    """Append-only history of the process; the latest row is the request's status."""

    request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=20, choices=AdviceStatus.choices)
    previous = models.CharField(
        _("vorige status"), max_length=20, choices=AdviceStatus.choices, blank=True
    )
    note = models.TextField(_("toelichting"), blank=True)
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("statuswijziging advies")
        verbose_name_plural = _("statuswijzigingen advies")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.status}"


class InformationItem(models.Model):
    """The information package both the MIT and the OMT received with the request."""

    request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, related_name="information_items"
    )
    title = models.CharField(_("titel"), max_length=300)
    url = models.URLField(_("adres"), max_length=500, blank=True)
    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("item in de kennisbibliotheek"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("ontvangen op"))
    added_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("informatiepakketstuk")
        verbose_name_plural = _("informatiepakket")

    def __str__(self) -> str:
        return self.title


class OmtBriefing(ConfidentialityMixin):
    """Holder of the confidential OMT information of one request: access is granted to it,
    per occasion, with ``accounts.AccessGrant`` (``advice.services.omt_access_grant``)."""

    request = models.OneToOneField(
        AdviceRequest, on_delete=models.CASCADE, related_name="omt_briefing"
    )

    class Meta:
        verbose_name = _("OMT-informatie")
        verbose_name_plural = _("OMT-informatie")

    def __str__(self) -> str:
        return f"OMT {self.request_id}"


class OmtDocument(models.Model):
    briefing = models.ForeignKey(OmtBriefing, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titel"), max_length=300)
    body = models.TextField(_("inhoud"), blank=True)
    received_at = models.DateTimeField(_("ontvangen op"))
    added_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("OMT-stuk")
        verbose_name_plural = _("OMT-stukken")

    def __str__(self) -> str:
        return self.title


class OmtAccessLog(models.Model):
    """Every time somebody opened the OMT information of a request (append-only)."""

    briefing = models.ForeignKey(OmtBriefing, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.at:%Y-%m-%d %H:%M}"


# --- requests for input (uitvraag) ------------------------------------------------------------


class RecipientKind(models.TextChoices):
    MEMBER = "member", _("commissielid")
    EXPERT_MEMBER = "expert_member", _("expertlid")
    POOL_EXPERT = "pool_expert", _("expert uit de pool")
    PRACTICE_CIRCLE = "practice_circle", _("praktijkkring")


class Severity(models.TextChoices):
    LOW = "low", _("gering")
    MODERATE = "moderate", _("merkbaar")
    HIGH = "high", _("ernstig")
    VERY_HIGH = "very_high", _("zeer ernstig")


class InputRequest(models.Model):
    """A question to one recipient, answered through a secure link (token, stored hashed)."""

    request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, related_name="input_requests"
    )
    recipient_kind = models.CharField(_("soort"), max_length=20, choices=RecipientKind.choices)
    recipient = models.ForeignKey(
        _USER,
        verbose_name=_("ontvanger (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_name = models.CharField(_("naam ontvanger"), max_length=200)
    recipient_email = models.EmailField(_("e-mailadres"))
    organisation = models.CharField(_("organisatie of kring"), max_length=300, blank=True)
    question = models.TextField(_("vraag"))
    deadline = models.DateTimeField(_("deadline"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("verstuurd op"))
    last_reminded_at = models.DateTimeField(_("laatste herinnering"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("herinneringen"), default=0)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("uitvraag")
        verbose_name_plural = _("uitvragen")

    def __str__(self) -> str:
        return f"{self.recipient_name} ({self.request_id})"


class InputResponse(models.Model):
    input_request = models.OneToOneField(
        InputRequest, on_delete=models.CASCADE, related_name="response"
    )
    signal = models.TextField(_("signaal"))
    groups = models.ManyToManyField(
        PopulationGroup, blank=True, related_name="+", verbose_name=_("geraakte groepen")
    )
    direction = models.CharField(
        _("richting van het effect"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.UNKNOWN,
    )
    severity = models.CharField(_("ernst"), max_length=20, choices=Severity.choices)
    source = models.TextField(_("bron"), blank=True)
    interests_status = models.CharField(
        _("belangen"), max_length=20, choices=InterestsStatus.choices
    )
    declared_interests = models.TextField(_("verklaarde belangen"), blank=True)
    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("item in de kennisbibliotheek"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("inputreactie")
        verbose_name_plural = _("inputreacties")

    def __str__(self) -> str:
        return f"{self.input_request_id}: {self.signal[:40]}"


# --- the advice document ----------------------------------------------------------------------


class Section(models.TextChoices):
    SUMMARY = "summary", _("samenvatting")
    ADVICE = "advice", _("advies")
    REASONING = "reasoning", _("onderbouwing")
    GROUPS = "groups", _("per groep")
    MITIGATION = "mitigation", _("mitigerende maatregelen")
    DILEMMAS = "dilemmas", _("dilemma's")
    MINORITY = "minority", _("minderheidsstandpunten")


class AdviceRevision(models.Model):
    """One saved state of the advice text (append-only); ``number`` counts from 1."""

    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("versie"))
    base_number = models.PositiveIntegerField(_("gebaseerd op versie"), null=True, blank=True)
    sections = models.JSONField(_("secties"), default=dict)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    merged = models.BooleanField(_("samengevoegd met gelijktijdige wijziging"), default=False)
    author = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="advice_revision_unique")
        ]
        verbose_name = _("adviesversie")
        verbose_name_plural = _("adviesversies")

    def __str__(self) -> str:
        return f"{self.request_id} v{self.number}"


class Comment(models.Model):
    """A comment on a section of a revision; replies point to the thread's first comment.
    Closing a thread is a comment of kind ``resolve`` (nothing is edited)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("opmerking")
        RESOLVE = "resolve", _("afgehandeld")

    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(AdviceRevision, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(_("sectie"), max_length=20, choices=Section.choices)
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("opmerking"))
    author = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("opmerking")
        verbose_name_plural = _("opmerkingen")

    def __str__(self) -> str:
        return self.body[:60]


class Assignment(models.Model):
    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="assignments")
    section = models.CharField(_("sectie"), max_length=20, choices=Section.choices, blank=True)
    assignee = models.ForeignKey(
        _USER, verbose_name=_("uitvoerder"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.CharField(_("taak"), max_length=300)
    due = models.DateTimeField(_("gereed op"), null=True, blank=True)
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due", "pk"]
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")

    def __str__(self) -> str:
        return self.task


# --- decision ----------------------------------------------------------------------------------


class DecisionMode(models.TextChoices):
    REGULAR = "regular", _("stemming")
    RAPID = "rapid", _("snelle ronde (spoed)")


class DecisionOutcome(models.TextChoices):
    CONSENSUS = "consensus", _("consensus")
    MAJORITY = "majority", _("meerderheid, met minderheidsstandpunt")
    REJECTED = "rejected", _("niet aangenomen")
    NO_QUORUM = "no_quorum", _("geen quorum")
    NO_VOTES = "no_votes", _("alleen onthoudingen")


class DecisionRound(models.Model):
    request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, related_name="decision_rounds"
    )
    revision = models.ForeignKey(
        AdviceRevision, verbose_name=_("versie"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("wijze"), max_length=10, choices=DecisionMode.choices)
    quorum = models.FloatField(_("quorum (deel van de stemgerechtigden)"))
    eligible = models.PositiveSmallIntegerField(_("stemgerechtigden"))
    voter_ids = models.JSONField(
        _("stemgerechtigden bij opening"),
        default=list,
        help_text=_("Wie bij het openen stemrecht had; alleen hun stemmen tellen."),
    )
    closes_at = models.DateTimeField(_("sluit op"))
    last_reminded_at = models.DateTimeField(_("laatste herinnering"), null=True, blank=True)
    opened_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = _("besluitronde")
        verbose_name_plural = _("besluitrondes")

    def __str__(self) -> str:
        return f"{self.request_id} ({self.mode})"


class RapidStatement(models.Model):
    """A judgement pre-filled by the secretariat that members answer in a rapid round."""

    round = models.ForeignKey(DecisionRound, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(_("oordeel"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="rapid_statement_unique")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("eens")
    AGREE_WITH_RESERVATIONS = "agree_reservations", _("eens met voorbehoud")
    DISAGREE = "disagree", _("oneens")
    ABSTAIN = "abstain", _("onthouding")
    DONT_KNOW = "dont_know", _("weet niet")


class Vote(models.Model):
    """A ballot (counted) or an expert member's position (shown, never counted). Immutable."""

    round = models.ForeignKey(DecisionRound, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(
        RapidStatement, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("keuze"), max_length=20, choices=VoteChoice.choices)
    reason = models.TextField(_("toelichting"), blank=True)
    counted = models.BooleanField(_("telt mee"))
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "voter"],
                condition=models.Q(statement__isnull=True),
                name="vote_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "statement", "voter"],
                condition=models.Q(statement__isnull=False),
                name="vote_once_per_statement",
            ),
        ]
        verbose_name = _("stem")
        verbose_name_plural = _("stemmen")

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.choice}"


class Decision(models.Model):
    """The closing of a round: the outcome as counted, with the minority position."""

    round = models.OneToOneField(DecisionRound, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=DecisionOutcome.choices)
    tally = models.JSONField(_("telling"), default=dict)
    minority_position = models.TextField(_("minderheidsstandpunt"), blank=True)
    closed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")

    def __str__(self) -> str:
        return self.outcome


# --- sign-off, dispatch, publication, cabinet response -----------------------------------------


class SignOff(models.Model):
    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="sign_offs")
    revision = models.ForeignKey(AdviceRevision, on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("ondertekening")
        verbose_name_plural = _("ondertekeningen")

    def __str__(self) -> str:
        return f"{self.request_id} v{self.revision_id}"


class Dispatch(models.Model):
    """Sending the signed advice to the Secretary-General: PDF and DOCX with metadata."""

    request = models.OneToOneField(AdviceRequest, on_delete=models.PROTECT, related_name="dispatch")
    revision = models.ForeignKey(AdviceRevision, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("geadresseerde"), max_length=200)
    metadata = models.JSONField(_("metadata"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="advice/%Y/", blank=True)
    docx = models.FileField(_("Word"), upload_to="advice/%Y/", blank=True)
    embargo_until = models.DateTimeField(_("embargo tot"), null=True, blank=True)
    embargo_note = models.CharField(_("embargo"), max_length=300, blank=True)
    sent_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("verzonden op"))

    class Meta:
        verbose_name = _("verzending")
        verbose_name_plural = _("verzendingen")

    def __str__(self) -> str:
        return f"{self.request_id} → {self.recipient}"


class Publication(models.Model):
    request = models.OneToOneField(
        AdviceRequest, on_delete=models.PROTECT, related_name="publication"
    )
    published_at = models.DateTimeField(_("gepubliceerd op"))
    url = models.URLField(_("adres van de publicatie"), max_length=500, blank=True)
    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("item in de kennisbibliotheek"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")

    def __str__(self) -> str:
        return f"{self.request_id} {self.published_at:%Y-%m-%d}"


class Reflection(models.Model):
    """An expert member's reflection, published beside the advice."""

    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    institution = models.CharField(_("instituut"), max_length=200)
    body = models.TextField(_("reflectie"))
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("reflectie")
        verbose_name_plural = _("reflecties")

    def __str__(self) -> str:
        return self.institution


class Recommendation(models.Model):
    request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("aanbeveling"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="recommendation_unique")
        ]
        verbose_name = _("aanbeveling")
        verbose_name_plural = _("aanbevelingen")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class CabinetResponse(models.Model):
    request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, related_name="cabinet_responses"
    )
    date = models.DateField(_("datum"))
    title = models.CharField(_("document"), max_length=300)
    url = models.URLField(_("adres"), max_length=500, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("kabinetsreactie")
        verbose_name_plural = _("kabinetsreacties")

    def __str__(self) -> str:
        return self.title


class AdoptionStatus(models.TextChoices):
    ADOPTED = "adopted", _("overgenomen")
    PARTLY = "partly", _("deels overgenomen")
    NOT_ADOPTED = "not_adopted", _("niet overgenomen")
    REFERRED = "referred", _("verwezen naar bestaand beleid")
    NO_RESPONSE = "no_response", _("geen reactie")


class RecommendationStatus(models.Model):
    response = models.ForeignKey(CabinetResponse, on_delete=models.CASCADE, related_name="statuses")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="statuses"
    )
    status = models.CharField(_("status"), max_length=20, choices=AdoptionStatus.choices)
    justification = models.TextField(_("motivering"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "recommendation"], name="recommendation_status_unique"
            )
        ]

    def __str__(self) -> str:
        return self.status


class FollowUpKind(models.TextChoices):
    PARLIAMENTARY_QUESTIONS = "questions", _("Kamervragen")
    MOTION = "motion", _("motie")
    DEBATE = "debate", _("debat")
    OTHER = "other", _("overig")


class FollowUp(models.Model):
    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("soort"), max_length=20, choices=FollowUpKind.choices)
    title = models.CharField(_("titel"), max_length=300)
    reference = models.CharField(_("kenmerk"), max_length=100, blank=True)
    url = models.URLField(_("adres"), max_length=500, blank=True)
    date = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("opvolging")
        verbose_name_plural = _("opvolgingen")

    def __str__(self) -> str:
        return self.title
