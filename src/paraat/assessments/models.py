"""The assessment framework (afwegingskader): assessments, options, judgements, rights and values.

An assessment is edited as a draft (its rows below); every analysis stores an append-only
``AssessmentVersion`` holding the assessment file (``paraat-assessment/1``, see
``docs/schema/``) it was run on and the result, so every published ladder is reproducible.
The fundamental rights and the rights questions (the seven proportionality tests and the
Beleidskompas checklist) are editable data, seeded from ``data/``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import ConfidentialityMixin
from paraat.evidence.models import Certainty, EvidenceItem, FicheCell
from paraat.indicators.models import Indicator
from paraat.measures.models import Measure, Package, ScenarioLevel
from paraat.taxonomies.models import Domain, PopulationGroup


class Effect(models.TextChoices):
    """Direction and size of an effect on the judgement scale (−3 … +3), or unknown."""

    LARGE_NEGATIVE = "large_negative", _("groot negatief")
    MODERATE_NEGATIVE = "moderate_negative", _("middelgroot negatief")
    SMALL_NEGATIVE = "small_negative", _("klein negatief")
    NONE = "none", _("geen effect")
    SMALL_POSITIVE = "small_positive", _("klein positief")
    MODERATE_POSITIVE = "moderate_positive", _("middelgroot positief")
    LARGE_POSITIVE = "large_positive", _("groot positief")
    UNKNOWN = "unknown", _("onbekend")


class Duration(models.TextChoices):
    DAYS = "days", _("dagen")
    WEEKS = "weeks", _("weken")
    MONTHS = "months", _("maanden")
    YEARS = "years", _("jaren")
    LASTING = "lasting", _("blijvend")


class Reversibility(models.TextChoices):
    REVERSIBLE = "reversible", _("omkeerbaar")
    PARTLY = "partly", _("deels omkeerbaar")
    IRREVERSIBLE = "irreversible", _("onomkeerbaar")


class Compensability(models.TextChoices):
    FULL = "full", _("volledig te compenseren")
    PARTIAL = "partial", _("deels te compenseren")
    NONE = "none", _("niet te compenseren")


class Horizon(models.TextChoices):
    SHORT = "short", _("korte termijn")
    LONG = "long", _("lange termijn")
    BOTH = "both", _("korte en lange termijn")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    IN_REVIEW = "in_review", _("in review")
    FINAL = "final", _("vastgesteld")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class AdviceType(models.TextChoices):
    """GRADE evidence-to-decision: the type of advice per option."""

    FOR = "for", _("positief advies")
    CONDITIONAL_FOR = "conditional_for", _("voorwaardelijk positief advies")
    CONDITIONAL_AGAINST = "conditional_against", _("voorwaardelijk negatief advies")
    AGAINST = "against", _("negatief advies")
    NONE = "none", _("geen advies mogelijk")


class Outcome(models.TextChoices):
    TRANSMISSION = "transmission", _("verspreiding (transmissie)")
    HOSPITAL = "hospital_admissions", _("ziekenhuisopnames")
    ICU = "icu_admissions", _("IC-opnames")
    DEATHS = "deaths", _("sterfte")
    OTHER = "other", _("anders")


class Assessment(ConfidentialityMixin):
    """One advice question weighed over its options. Reads along the Beleidskompas steps."""

    key = models.SlugField(_("sleutel"), max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    question = models.TextField(_("adviesvraag"))
    context = models.TextField(_("context"), blank=True)
    scenario_level = models.CharField(
        _("scenario"), max_length=20, choices=ScenarioLevel.choices, blank=True
    )
    assessed_on = models.DateField(_("datum"))
    # Beleidskompas: problem, goal, (options), (consequences), preferred option.
    problem = models.TextField(_("probleem"), blank=True)
    goal = models.TextField(_("beoogd doel"), blank=True)
    preferred_option = models.ForeignKey(
        "Option",
        verbose_name=_("voorkeursoptie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    preferred_rationale = models.TextField(_("onderbouwing voorkeursoptie"), blank=True)
    # Weights and SMAA settings, as in the assessment file (``weights``, ``constraints``,
    # ``parameters``): plain JSON, validated by the core on every analysis.
    weights = models.JSONField(_("gewichten"), default=dict, blank=True)
    constraints = models.JSONField(_("ordeningen van gewichten"), default=list, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    samples = models.PositiveIntegerField(_("aantal trekkingen (SMAA)"), default=10_000)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-assessed_on", "title"]
        verbose_name = _("afweging")
        verbose_name_plural = _("afwegingen")

    def __str__(self) -> str:
        return self.title


class AssessmentStatusChange(models.Model):
    """Append-only status history of an assessment; the latest row is its status."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices)
    note = models.TextField(_("toelichting"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "-created_at", "-id"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_status_display()}"


class AssessmentDomain(models.Model):
    """An impact domain in the assessment's matrix, in its order."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domains")
    domain = models.ForeignKey(Domain, verbose_name=_("impactdomein"), on_delete=models.PROTECT)
    position = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["assessment_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="assessmentdomain_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.domain}"


class AssessmentGroup(models.Model):
    """A population group in the matrix, with its size (from the societal picture or entered)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="groups")
    group = models.ForeignKey(PopulationGroup, verbose_name=_("groep"), on_delete=models.PROTECT)
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    size = models.PositiveBigIntegerField(_("omvang (personen)"), null=True, blank=True)
    size_source = models.CharField(_("bron van de omvang"), max_length=300, blank=True)
    size_as_of = models.DateField(_("omvang per"), null=True, blank=True)
    size_indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator voor de omvang"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["assessment_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "group"], name="assessmentgroup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.group}"


class Option(models.Model):
    """An option under assessment: a catalog package or measures, or the zero option."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("sleutel"), max_length=100)
    name = models.CharField(_("naam"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    is_zero = models.BooleanField(
        _("nuloptie"), default=False, help_text=_("Geen nieuwe maatregel / huidig beleid.")
    )
    package = models.ForeignKey(
        Package,
        verbose_name=_("pakket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("maatregelen"), blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    # Acceptability and behaviour.
    support = models.FloatField(_("verwacht draagvlak (aandeel)"), null=True, blank=True)
    support_low = models.FloatField(_("draagvlak, ondergrens"), null=True, blank=True)
    support_high = models.FloatField(_("draagvlak, bovengrens"), null=True, blank=True)
    compliance = models.FloatField(_("verwachte naleving (aandeel)"), null=True, blank=True)
    support_indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator voor het draagvlak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acceptability_source = models.CharField(
        _("bron draagvlak en gedrag"), max_length=500, blank=True
    )
    effect_on_effectiveness = models.TextField(
        _("wat draagvlak en naleving betekenen voor de effectiviteit"), blank=True
    )
    # The four values of the MIT's work programme, as lenses.
    justice = models.TextField(_("rechtvaardigheid"), blank=True)
    solidarity = models.TextField(_("solidariteit"), blank=True)
    equal_opportunities = models.TextField(_("gelijke kansen"), blank=True)
    future_generations = models.TextField(_("toekomstige generaties"), blank=True)
    # GRADE evidence to decision.
    etd_desirable = models.TextField(_("gewenste effecten"), blank=True)
    etd_undesirable = models.TextField(_("ongewenste effecten"), blank=True)
    etd_certainty = models.TextField(_("zekerheid van het bewijs"), blank=True)
    etd_equity = models.TextField(_("gelijkheid"), blank=True)
    etd_acceptability = models.TextField(_("aanvaardbaarheid"), blank=True)
    etd_feasibility = models.TextField(_("uitvoerbaarheid"), blank=True)
    advice = models.CharField(
        _("soort advies"), max_length=30, choices=AdviceType.choices, blank=True
    )
    advice_rationale = models.TextField(_("onderbouwing van het advies"), blank=True)

    class Meta:
        ordering = ["assessment_id", "position", "id"]
        verbose_name = _("optie")
        verbose_name_plural = _("opties")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="option_unique_key")
        ]

    def __str__(self) -> str:
        return self.name


class Effectiveness(ConfidentialityMixin):
    """The medical side's expected effect of an option (e.g. from an OMT advice). Recorded only."""

    option = models.OneToOneField(Option, on_delete=models.CASCADE, related_name="effectiveness")
    outcome = models.CharField(_("uitkomst"), max_length=30, choices=Outcome.choices)
    estimate = models.FloatField(_("verwacht effect"), null=True, blank=True)
    low = models.FloatField(_("ondergrens"), null=True, blank=True)
    high = models.FloatField(_("bovengrens"), null=True, blank=True)
    unit = models.CharField(_("eenheid"), max_length=100, blank=True)
    source = models.CharField(_("bron"), max_length=500)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("effectiviteit")
        verbose_name_plural = _("effectiviteit")


class Judgement(models.Model):
    """One cell of the matrix: the effect of an option on one domain for one group."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="judgements")
    domain = models.ForeignKey(Domain, verbose_name=_("impactdomein"), on_delete=models.PROTECT)
    group = models.ForeignKey(PopulationGroup, verbose_name=_("groep"), on_delete=models.PROTECT)
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices)
    low = models.CharField(
        _("effect, ondergrens"), max_length=20, choices=Effect.choices, blank=True
    )
    high = models.CharField(
        _("effect, bovengrens"), max_length=20, choices=Effect.choices, blank=True
    )
    reach_people = models.PositiveBigIntegerField(_("bereik (personen)"), null=True, blank=True)
    reach_share = models.FloatField(_("bereik (aandeel van de groep)"), null=True, blank=True)
    duration = models.CharField(_("duur"), max_length=10, choices=Duration.choices, blank=True)
    reversibility = models.CharField(
        _("omkeerbaarheid"), max_length=15, choices=Reversibility.choices, blank=True
    )
    compensability = models.CharField(
        _("compenseerbaarheid in geld"), max_length=10, choices=Compensability.choices, blank=True
    )
    horizon = models.CharField(_("termijn"), max_length=10, choices=Horizon.choices, blank=True)
    certainty = models.CharField(
        _("zekerheid (GRADE)"), max_length=10, choices=Certainty.choices, blank=True
    )
    evidence = models.ManyToManyField(
        EvidenceItem, verbose_name=_("onderbouwing"), blank=True, related_name="+"
    )
    fiche_cells = models.ManyToManyField(
        FicheCell, verbose_name=_("ficheregels"), blank=True, related_name="+"
    )
    rationale = models.TextField(_("toelichting"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["option_id", "domain__position", "group__position"]
        verbose_name = _("oordeel")
        verbose_name_plural = _("oordelen")
        constraints = [
            models.UniqueConstraint(
                fields=["option", "domain", "group"], name="judgement_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.option} × {self.domain} × {self.group}"


class FundamentalRight(models.Model):
    """A fundamental right with its legal source. Editable data, seeded from data/rights.json."""

    class Instrument(models.TextChoices):
        CONSTITUTION = "constitution", _("Grondwet")
        ECHR = "echr", _("EVRM (en protocollen)")
        UNCRC = "uncrc", _("Internationaal Verdrag inzake de Rechten van het Kind")
        ICESCR = (
            "icescr",
            _("Internationaal Verdrag inzake economische, sociale en culturele rechten"),
        )
        OTHER = "other", _("anders")

    key = models.SlugField(_("sleutel"), max_length=60, unique=True)
    instrument = models.CharField(_("bron"), max_length=20, choices=Instrument.choices)
    article = models.CharField(_("artikel"), max_length=40)
    title_nl = models.CharField(_("omschrijving (Nederlands)"), max_length=300)
    title_en = models.CharField(_("omschrijving (Engels)"), max_length=300, blank=True)
    absolute = models.BooleanField(
        _("absoluut recht"), default=False, help_text=_("Mag onder geen voorwaarde worden beperkt.")
    )
    url = models.URLField(_("bronadres"), max_length=500, blank=True)
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["position", "instrument", "key"]
        verbose_name = _("grondrecht")
        verbose_name_plural = _("grondrechten")

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} art. {self.article}: {self.title_nl}"


class RightsQuestion(models.Model):
    """A question of the rights assessment: a proportionality test or a checklist question."""

    class Kind(models.TextChoices):
        TEST = "test", _("toets")
        CHECKLIST = "checklist", _("Beleidskompas-checklist grondrechten")

    key = models.SlugField(_("sleutel"), max_length=60)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    text_nl = models.TextField(_("vraag (Nederlands)"))
    text_en = models.TextField(_("vraag (Engels)"), blank=True)
    help_nl = models.TextField(_("toelichting (Nederlands)"), blank=True)
    help_en = models.TextField(_("toelichting (Engels)"), blank=True)
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["kind", "position", "key"]
        verbose_name = _("grondrechtenvraag")
        verbose_name_plural = _("grondrechtenvragen")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="rightsquestion_unique_key")
        ]

    def __str__(self) -> str:
        return self.text_nl


class RightsAnswer(models.Model):
    """The answer to one rights question for one option."""

    class Answer(models.TextChoices):
        YES = "yes", _("ja")
        PARTLY = "partly", _("deels")
        NO = "no", _("nee")
        UNKNOWN = "unknown", _("onbekend")
        NOT_APPLICABLE = "not_applicable", _("niet van toepassing")

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="rights_answers")
    question = models.ForeignKey(RightsQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("antwoord"), max_length=20, choices=Answer.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["option_id", "question__kind", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["option", "question"], name="rightsanswer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.question.key}"


class RightTouched(models.Model):
    """A fundamental right an option touches, with how."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="rights_touched")
    right = models.ForeignKey(
        FundamentalRight, verbose_name=_("grondrecht"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["option_id", "right__position"]
        constraints = [
            models.UniqueConstraint(fields=["option", "right"], name="righttouched_unique")
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.right}"


class HistoryEntry(models.Model):
    """The burden an earlier package put on groups (for the stacking over time)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="history")
    label = models.CharField(_("omschrijving"), max_length=300)
    date = models.DateField(_("datum"), null=True, blank=True)
    burden = models.JSONField(_("last per groep"), default=dict)
    source_version = models.ForeignKey(
        "AssessmentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assessment_id", "date", "id"]

    def __str__(self) -> str:
        return self.label


class AssessmentVersion(models.Model):
    """An analysed state of an assessment: its file and its result. Never edited."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    document = models.JSONField(_("afwegingsbestand"))
    result = models.JSONField(_("resultaat"))
    samples = models.PositiveIntegerField(_("trekkingen"))
    seed = models.BigIntegerField(_("seed"))
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "-number"]
        verbose_name = _("versie van een afweging")
        verbose_name_plural = _("versies van afwegingen")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="assessmentversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} v{self.number}"


class WeightScenario(models.Model):
    """The robustness analysis of one version under a weight distribution other than uniform
    weights, e.g. the citizens' own weights from a dilemma session (``paraat.panels``).

    ``weights`` keeps the distribution used (a list of ``{domain key: weight}`` vectors, one per
    participant), ``result`` the rank acceptabilities per option under it; both are stored so
    the comparison can be repeated (``seed``). Never edited: a new analysis appends a row.
    """

    version = models.ForeignKey(
        AssessmentVersion, on_delete=models.CASCADE, related_name="weight_scenarios"
    )
    source = models.CharField(_("bron"), max_length=100)
    label = models.CharField(_("omschrijving"), max_length=300)
    participants = models.PositiveIntegerField(_("aantal deelnemers"))
    weights = models.JSONField(_("gewichtenverdeling"))
    result = models.JSONField(_("resultaat"))
    samples = models.PositiveIntegerField(_("trekkingen"))
    seed = models.BigIntegerField(_("seed"))
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version_id", "-created_at", "-id"]
        verbose_name = _("analyse met een gewichtenverdeling")
        verbose_name_plural = _("analyses met een gewichtenverdeling")

    def __str__(self) -> str:
        return f"{self.version}: {self.label}"
