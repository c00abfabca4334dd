"""Knowledge library: evidence items, their links, fiches per measure and knowledge dossiers.

Histories are appended, never edited: fiche and dossier content lives in numbered versions,
review flags and merges are events. The search index (SQLite FTS5 table or PostgreSQL tsvector
column) is created by migration 0002 for the database in use; see ``search.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import ConfidentialityMixin
from paraat.measures.models import Measure, Package
from paraat.taxonomies.models import Domain, PopulationGroup


class EvidenceType(models.TextChoices):
    PEER_REVIEWED = "peer_reviewed", _("wetenschappelijke studie (peer-reviewed)")
    SYSTEMATIC_REVIEW = "systematic_review", _("systematische review")
    REPORT = "report", _("rapport (planbureau, adviesraad, inspectie)")
    DATASET = "dataset", _("statistiek of dataset")
    EXPERT_NOTE = "expert_note", _("kennisnotitie (expertlid)")
    PRACTICE_SIGNAL = "practice_signal", _("praktijksignaal")
    CITIZEN_PANEL = "citizen_panel", _("resultaat burgerpanel")
    POLICY_DOCUMENT = "policy_document", _("beleidsdocument")
    MEDIA = "media", _("media-item")


class KnowledgeClass(models.TextChoices):
    SCIENTIFIC = "scientific", _("wetenschappelijke kennis")
    PRACTICE = "practice", _("praktijkkennis")
    EXPERIENTIAL = "experiential", _("ervaringskennis")
    ADMINISTRATIVE = "administrative", _("administratieve data")


class Certainty(models.TextChoices):
    """GRADE certainty of evidence. Empty means: not (yet) graded."""

    HIGH = "high", _("hoog")
    MODERATE = "moderate", _("redelijk")
    LOW = "low", _("laag")
    VERY_LOW = "very_low", _("zeer laag")


class GradeDowngrade(models.TextChoices):
    RISK_OF_BIAS = "risk_of_bias", _("risico op vertekening")
    INCONSISTENCY = "inconsistency", _("inconsistentie")
    INDIRECTNESS = "indirectness", _("indirectheid")
    IMPRECISION = "imprecision", _("onnauwkeurigheid")
    PUBLICATION_BIAS = "publication_bias", _("publicatiebias")


class GradeUpgrade(models.TextChoices):
    LARGE_EFFECT = "large_effect", _("groot effect")
    DOSE_RESPONSE = "dose_response", _("dosis-responsrelatie")
    PLAUSIBLE_CONFOUNDING = "plausible_confounding", _("plausibele confounding")


class InterestsStatus(models.TextChoices):
    DECLARED = "declared", _("belangen verklaard")
    NONE = "none", _("geen belangen verklaard")
    UNKNOWN = "unknown", _("niet gevraagd of onbekend")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("jaar")
    MONTH = "month", _("maand")
    DAY = "day", _("dag")


class Direction(models.TextChoices):
    POSITIVE = "positive", _("positief")
    NEGATIVE = "negative", _("negatief")
    MIXED = "mixed", _("gemengd")
    NONE = "none", _("geen effect")
    UNKNOWN = "unknown", _("onbekend")


class EffectSize(models.TextChoices):
    SMALL = "small", _("klein")
    MODERATE = "moderate", _("middelgroot")
    LARGE = "large", _("groot")


class Horizon(models.TextChoices):
    SHORT = "short", _("korte termijn")
    LONG = "long", _("lange termijn")
    BOTH = "both", _("korte en lange termijn")


class EvidenceItem(ConfidentialityMixin):
    """One source of knowledge: a study, report, data set, expert note, practice signal, ..."""

    ref = models.SlugField(
        _("citeersleutel"),
        max_length=120,
        unique=True,
        help_text=_("Korte sleutel om het item te citeren, bijvoorbeeld [@mit-2021-jongeren]."),
    )
    item_type = models.CharField(_("soort"), max_length=30, choices=EvidenceType.choices)
    title = models.CharField(_("titel"), max_length=500)
    authors = models.JSONField(_("auteurs"), default=list, blank=True)
    organisation = models.CharField(_("organisatie"), max_length=300, blank=True)
    published_on = models.DateField(_("datum"), null=True, blank=True)
    date_precision = models.CharField(
        _("precisie van de datum"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    doi = models.CharField(_("DOI"), max_length=200, blank=True, db_index=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    language = models.CharField(_("taal"), max_length=10, blank=True, default="nl")
    container_title = models.CharField(_("tijdschrift of reeks"), max_length=300, blank=True)
    publisher = models.CharField(_("uitgever"), max_length=300, blank=True)
    keywords = models.JSONField(_("trefwoorden"), default=list, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    full_text = models.TextField(_("volledige tekst"), blank=True)
    attachment = models.FileField(_("bijlage (PDF)"), upload_to="evidence/%Y/%m/", blank=True)
    extracted_text = models.TextField(_("tekst uit de bijlage"), blank=True)
    licence = models.CharField(_("licentie"), max_length=200, blank=True)
    knowledge_class = models.CharField(
        _("kennissoort"), max_length=20, choices=KnowledgeClass.choices
    )
    certainty = models.CharField(
        _("zekerheid van het bewijs (GRADE)"), max_length=10, choices=Certainty.choices, blank=True
    )
    certainty_downgrades = models.JSONField(_("redenen voor afwaarderen"), default=list, blank=True)
    certainty_upgrades = models.JSONField(_("redenen voor opwaarderen"), default=list, blank=True)
    certainty_note = models.TextField(_("toelichting op de zekerheid"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingebracht door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_submitted",
    )
    submitted_by_name = models.CharField(
        _("ingebracht door (naam)"),
        max_length=200,
        blank=True,
        help_text=_("Als de inbrenger geen account heeft, of bij een import."),
    )
    on_behalf_of = models.CharField(_("namens"), max_length=300, blank=True)
    interests_status = models.CharField(
        _("belangen"),
        max_length=10,
        choices=InterestsStatus.choices,
        default=InterestsStatus.UNKNOWN,
    )
    declared_interests = models.TextField(_("verklaarde belangen"), blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd met"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_items",
    )
    import_batch = models.ForeignKey(
        "ImportBatch",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("kennisitem")
        verbose_name_plural = _("kennisitems")
        permissions = [("import_evidence", _("Mag kennisitems importeren en samenvoegen"))]
        indexes = [
            models.Index(fields=["item_type"]),
            models.Index(fields=["knowledge_class"]),
            models.Index(fields=["certainty"]),
            models.Index(fields=["published_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def author_line(self) -> str:
        names = [str(a) for a in self.authors]
        if len(names) > 3:
            return (
                f"{names[0]} e.a."
                if (get_language() or "nl").startswith("nl")
                else (f"{names[0]} et al.")
            )
        return "; ".join(names) or self.organisation

    @property
    def date_display(self) -> str:
        if self.published_on is None:
            return ""
        if self.date_precision == DatePrecision.YEAR:
            return str(self.published_on.year)
        if self.date_precision == DatePrecision.MONTH:
            return self.published_on.strftime("%Y-%m")
        return self.published_on.isoformat()

    @property
    def is_practice(self) -> bool:
        return self.knowledge_class in (KnowledgeClass.PRACTICE, KnowledgeClass.EXPERIENTIAL)


class EvidenceLink(models.Model):
    """What an item says about a measure or package, for an impact domain and/or group."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="links")
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("maatregel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_links",
    )
    package = models.ForeignKey(
        Package,
        verbose_name=_("pakket"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_links",
    )
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("impactdomein"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_links",
    )
    group = models.ForeignKey(
        PopulationGroup,
        verbose_name=_("groep"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_links",
    )
    direction = models.CharField(
        _("richting van het effect"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.UNKNOWN,
    )
    size = models.CharField(_("omvang"), max_length=10, choices=EffectSize.choices, blank=True)
    horizon = models.CharField(_("termijn"), max_length=10, choices=Horizon.choices, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "id"]
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(measure__isnull=False)
                    | models.Q(package__isnull=False)
                    | models.Q(domain__isnull=False)
                    | models.Q(group__isnull=False)
                ),
                name="evidencelink_links_something",
            )
        ]

    def __str__(self) -> str:
        parts = [str(p) for p in (self.measure, self.package, self.domain, self.group) if p]
        return " × ".join(parts)


class ImportBatch(models.Model):
    """One imported file and its report (added, merged, possible duplicates, rejected)."""

    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_format = models.CharField(_("formaat"), max_length=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(_("importverslag"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.file_name


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("open")
    MERGED = "merged", _("samengevoegd")
    DISMISSED = "dismissed", _("geen dubbel")


class DuplicateCandidate(models.Model):
    """Two items that may be the same source (same DOI or a near-identical title)."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("overeenkomst"))
    reason = models.CharField(_("reden"), max_length=20)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    status = models.CharField(
        max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mogelijk dubbel item")
        verbose_name_plural = _("mogelijk dubbele items")

    def __str__(self) -> str:
        return f"{self.item_id} ~ {self.other_id} ({self.score:.0f})"


class MergeRecord(models.Model):
    """Append-only record of a merge: ``merged`` now points at ``kept``."""

    kept = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    fields_taken = models.JSONField(default=list)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class Fiche(ConfidentialityMixin):
    """The factsheet of one measure. Its content is in numbered, append-only versions."""

    measure = models.OneToOneField(
        Measure, verbose_name=_("maatregel"), on_delete=models.PROTECT, related_name="fiche"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fiches_to_review",
    )
    needs_review = models.BooleanField(_("review nodig"), default=False)
    is_synthetic = models.BooleanField(
        _("synthetisch (demo)"),
        default=False,
        help_text=_("Demo-fiche: de oordelen zijn illustratief, niet door het MIT vastgesteld."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure__name_nl"]
        verbose_name = _("fiche")
        verbose_name_plural = _("fiches")
        permissions = [("review_fiche", _("Mag fiches reviewen"))]

    def __str__(self) -> str:
        return str(self.measure)


class FicheVersion(models.Model):
    """One saved state of a fiche. Never edited; a change makes a new version."""

    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    summary = models.TextField(_("wat de maatregel is"), blank=True)
    mitigations = models.TextField(_("mitigerende en flankerende maatregelen"), blank=True)
    knowledge_gaps = models.TextField(_("kennislacunes"), blank=True)
    key_evidence = models.ManyToManyField(
        EvidenceItem, verbose_name=_("belangrijkste bronnen"), blank=True, related_name="+"
    )
    change_note = models.CharField(_("toelichting op de wijziging"), max_length=500, blank=True)
    reviewed_on = models.DateField(_("gereviewd op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fiche_id", "-number"]
        verbose_name = _("fiche-versie")
        verbose_name_plural = _("fiche-versies")
        constraints = [
            models.UniqueConstraint(fields=["fiche", "number"], name="ficheversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.fiche} v{self.number}"


class FicheCell(ConfidentialityMixin):
    """Impact of the measure on one domain (× group) in one fiche version."""

    version = models.ForeignKey(FicheVersion, on_delete=models.CASCADE, related_name="cells")
    domain = models.ForeignKey(Domain, verbose_name=_("impactdomein"), on_delete=models.PROTECT)
    group = models.ForeignKey(
        PopulationGroup,
        verbose_name=_("groep"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leeg: de hele bevolking."),
    )
    direction = models.CharField(_("richting"), max_length=10, choices=Direction.choices)
    size = models.CharField(_("omvang"), max_length=10, choices=EffectSize.choices, blank=True)
    certainty = models.CharField(
        _("zekerheid (GRADE)"), max_length=10, choices=Certainty.choices, blank=True
    )
    horizon = models.CharField(_("termijn"), max_length=10, choices=Horizon.choices, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    evidence = models.ManyToManyField(
        EvidenceItem, verbose_name=_("onderbouwing"), blank=True, related_name="fiche_cells"
    )

    class Meta:
        ordering = ["domain__position", "group__position", "id"]
        verbose_name = _("ficheregel")
        verbose_name_plural = _("ficheregels")


class FicheEvent(models.Model):
    """Append-only history of a fiche's review state: flagged, reviewed, reviewer assigned."""

    class Kind(models.TextChoices):
        FLAGGED = "flagged", _("review nodig")
        REVIEWED = "reviewed", _("gereviewd")
        REVIEWER = "reviewer", _("reviewer toegewezen")

    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(blank=True)
    link = models.ForeignKey(
        EvidenceLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.ForeignKey(
        FicheVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.fiche_id}: {self.kind}"


class KnowledgeDossier(ConfidentialityMixin):
    """A curated, versioned collection of evidence around a theme, with a synthesis."""

    key = models.SlugField(_("sleutel"), max_length=100, unique=True)
    title_nl = models.CharField(_("titel (Nederlands)"), max_length=300)
    title_en = models.CharField(_("titel (Engels)"), max_length=300, blank=True)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("maatregelen"), blank=True, related_name="dossiers"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers_to_review",
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title_nl"]
        verbose_name = _("kennisdossier")
        verbose_name_plural = _("kennisdossiers")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "nl").startswith("en") and self.title_en:
            return self.title_en
        return self.title_nl


class DossierVersion(models.Model):
    """One saved state of a dossier; the synthesis cites items as [@ref]."""

    dossier = models.ForeignKey(KnowledgeDossier, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    synthesis = models.TextField(_("synthese"))
    open_questions = models.TextField(_("open vragen"), blank=True)
    items = models.ManyToManyField(EvidenceItem, verbose_name=_("items"), related_name="+")
    change_note = models.CharField(_("toelichting op de wijziging"), max_length=500, blank=True)
    reviewed_on = models.DateField(_("gereviewd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "number"], name="dossierversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.number}"
