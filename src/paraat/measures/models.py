"""Measures catalog: measures, packages, jurisdictions, daily OxCGRT records and index values."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality, ConfidentialityMixin
from paraat.taxonomies.models import BilingualNameMixin, PopulationGroup, Sector
from paraat_core.oxcgrt.indicators import INDICATORS


def _indicator_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {ind.name}") for code, ind in INDICATORS.items()]


class MeasureCategory(models.TextChoices):
    CONTAINMENT = "containment", _("inperking en sluiting")
    ECONOMIC_SUPPORT = "economic_support", _("economische steun")
    HEALTH_SYSTEM = "health_system", _("gezondheidszorg")
    VACCINATION = "vaccination", _("vaccinatie")
    OTHER = "other", _("overig")


class GeographicScope(models.TextChoices):
    """OxCGRT's flag: 1 = general (whole jurisdiction), 0 = targeted."""

    GENERAL = "general", _("algemeen")
    TARGETED = "targeted", _("gericht")


class AppliesTo(models.TextChoices):
    EVERYONE = "everyone", _("iedereen")
    NON_VACCINATED = "non_vaccinated", _("niet-gevaccineerden")
    VACCINATED = "vaccinated", _("gevaccineerden")


class ScenarioLevel(models.TextChoices):
    """Scenario levels after the WRR/KNAW scenarios."""

    MILD = "mild", _("mild")
    FLU_PLUS = "flu_plus", _("griep-plus")
    PERSISTENT = "persistent", _("aanhoudende strijd")
    WORST_CASE = "worst_case", _("worstcase")


class PackageKind(models.TextChoices):
    ENACTED = "enacted", _("ingevoerd (historisch)")
    PLAN = "plan", _("plan of scenario")
    OPTION = "option", _("optie in afweging")


class BilingualTextMixin(BilingualNameMixin):
    description_nl = models.TextField(_("omschrijving (Nederlands)"), blank=True)
    description_en = models.TextField(_("omschrijving (Engels)"), blank=True)

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        if (get_language() or "nl").startswith("en") and self.description_en:
            return self.description_en
        return self.description_nl


class Measure(BilingualTextMixin, ConfidentialityMixin):
    key = models.SlugField(_("sleutel"), max_length=100, unique=True)
    category = models.CharField(_("categorie"), max_length=30, choices=MeasureCategory.choices)
    oxcgrt_indicator = models.CharField(
        _("OxCGRT-indicator"), max_length=3, choices=_indicator_choices(), blank=True
    )
    level = models.PositiveSmallIntegerField(_("niveau (ordinaal)"), null=True, blank=True)
    geographic_scope = models.CharField(
        _("reikwijdte"), max_length=10, choices=GeographicScope.choices, blank=True
    )
    legal_basis = models.TextField(_("wettelijke grondslag"), blank=True)
    coding_note = models.TextField(_("toelichting codering"), blank=True)
    groups = models.ManyToManyField(
        PopulationGroup, verbose_name=_("groepen die het eerst geraakt worden"), blank=True
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectoren die het eerst geraakt worden"), blank=True
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["oxcgrt_indicator", "level", "name_nl"]
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")


class Jurisdiction(models.Model):
    country_code = models.CharField(_("landcode"), max_length=3)
    region_code = models.CharField(_("regiocode"), max_length=20, blank=True)
    kind = models.CharField(_("soort"), max_length=20, default="NAT_TOTAL")
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        ordering = ["country_code", "region_code"]
        verbose_name = _("jurisdictie")
        verbose_name_plural = _("jurisdicties")
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "region_code", "kind"], name="jurisdiction_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return self.region_code or self.country_code


class Package(BilingualTextMixin, ConfidentialityMixin):
    key = models.SlugField(_("sleutel"), max_length=100, unique=True)
    kind = models.CharField(
        _("soort"), max_length=20, choices=PackageKind.choices, default=PackageKind.ENACTED
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdictie"), on_delete=models.PROTECT
    )
    scope = models.CharField(
        _("reikwijdte"),
        max_length=10,
        choices=GeographicScope.choices,
        default=GeographicScope.GENERAL,
    )
    vaccination_differentiation = models.BooleanField(
        _("onderscheid gevaccineerd / niet-gevaccineerd"), default=False
    )
    start_date = models.DateField(_("begindatum"), null=True, blank=True)
    end_date = models.DateField(
        _("einddatum"), null=True, blank=True, help_text=_("Laatste dag in werking.")
    )
    scenario_level = models.CharField(
        _("scenarioniveau"), max_length=20, choices=ScenarioLevel.choices, blank=True
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT
    )
    source = models.TextField(_("bron"), blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    measures = models.ManyToManyField(Measure, through="PackageItem", related_name="packages")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name_nl"]
        verbose_name = _("maatregelenpakket")
        verbose_name_plural = _("maatregelenpakketten")
        permissions = [("import_oxcgrt", _("Mag OxCGRT-bestanden importeren"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="package_end_after_start",
            )
        ]


class PackageItem(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey(Measure, verbose_name=_("maatregel"), on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)
    geographic_scope = models.CharField(
        _("reikwijdte"),
        max_length=10,
        choices=GeographicScope.choices,
        default=GeographicScope.GENERAL,
    )
    applies_to = models.CharField(
        _("geldt voor"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.EVERYONE
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["measure__oxcgrt_indicator", "measure__name_nl"]
        verbose_name = _("pakketonderdeel")
        verbose_name_plural = _("pakketonderdelen")
        constraints = [
            models.UniqueConstraint(
                fields=["package", "measure", "applies_to"], name="packageitem_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.level})"


class PolicyRecord(models.Model):
    """One day's OxCGRT value of one indicator in one jurisdiction (E, NV or V policy)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE)
    date = models.DateField()
    indicator = models.CharField(max_length=3)
    applies_to = models.CharField(max_length=20, choices=AppliesTo.choices)
    value = models.FloatField(null=True, blank=True)
    flag = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "date", "indicator", "applies_to"],
                name="policyrecord_unique",
            )
        ]
        indexes = [models.Index(fields=["jurisdiction", "date"])]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id} {self.date} {self.indicator}/{self.applies_to}={self.value}"


class IndexSource(models.TextChoices):
    COMPUTED = "computed", _("berekend door paraat")
    PUBLISHED = "published", _("gepubliceerd door OxCGRT")


class IndexValue(models.Model):
    """A daily index value (e.g. ``StringencyIndex_WeightedAverage``) per jurisdiction."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE)
    date = models.DateField()
    index = models.CharField(max_length=60)
    source = models.CharField(max_length=20, choices=IndexSource.choices)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "date", "index", "source"], name="indexvalue_unique"
            )
        ]
        indexes = [models.Index(fields=["jurisdiction", "index", "date"])]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id} {self.date} {self.index} ({self.source})={self.value}"


class TimelineEvent(ConfidentialityMixin):
    """An annotation on a timeline (press conference, decision, later: advice milestones)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE)
    date = models.DateField(_("datum"))
    title_nl = models.CharField(_("titel (Nederlands)"), max_length=300)
    title_en = models.CharField(_("titel (Engels)"), max_length=300, blank=True)
    kind = models.CharField(_("soort"), max_length=30, default="other")
    source = models.TextField(_("bron"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")

    @property
    def title(self) -> str:
        if (get_language() or "nl").startswith("en") and self.title_en:
            return self.title_en
        return self.title_nl

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


__all__ = [
    "AppliesTo",
    "Confidentiality",
    "GeographicScope",
    "IndexSource",
    "IndexValue",
    "Jurisdiction",
    "Measure",
    "MeasureCategory",
    "Package",
    "PackageItem",
    "PackageKind",
    "PolicyRecord",
    "ScenarioLevel",
    "TimelineEvent",
]
