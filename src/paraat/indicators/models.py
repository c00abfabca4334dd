"""Indicators of the societal picture (maatschappelijk beeld) and their observations.

Observations are appended, never edited: a revised figure is a new row with a later ``vintage``
(the moment the figure became known: the source's publication time where it states one,
otherwise the import). What was known on a date is the latest vintage up to that date.
Period codes are parsed by ``paraat_core.periods`` (CBS StatLine codes, ISO weeks and days).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import ConfidentialityMixin
from paraat.taxonomies.models import BilingualNameMixin, Domain


class Frequency(models.TextChoices):
    """Same values as ``paraat_core.periods.Frequency``."""

    DAY = "day", _("dagelijks")
    WEEK = "week", _("wekelijks")
    MONTH = "month", _("maandelijks")
    QUARTER = "quarter", _("per kwartaal")
    HALF_YEAR = "half_year", _("per halfjaar")
    YEAR = "year", _("jaarlijks")


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("hoger is beter")
    HIGHER_WORSE = "higher_worse", _("hoger is slechter")
    NEUTRAL = "neutral", _("geen oordeel")


class Speed(models.TextChoices):
    FAST = "fast", _("snelle data")
    SLOW = "slow", _("trage data")


class ObservationStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("voorlopig")
    REVISED_PROVISIONAL = "revised_provisional", _("nader voorlopig")
    FINAL = "final", _("definitief")
    REVISED = "revised", _("herzien")


class Indicator(BilingualNameMixin, ConfidentialityMixin):
    key = models.SlugField(_("code"), max_length=100, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    domain = models.ForeignKey(
        Domain, verbose_name=_("domein"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.CharField(_("eenheid"), max_length=100, blank=True)
    polarity = models.CharField(
        _("richting"), max_length=20, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    frequency = models.CharField(
        _("frequentie"), max_length=20, choices=Frequency.choices, default=Frequency.DAY
    )
    publication_lag_days = models.PositiveIntegerField(
        _("verwachte publicatievertraging (dagen)"), default=0
    )
    speed = models.CharField(
        _("snelheid"), max_length=10, choices=Speed.choices, default=Speed.SLOW
    )
    source = models.CharField(_("bron"), max_length=500, blank=True)
    source_url = models.URLField(_("bronadres"), max_length=500, blank=True)
    source_table = models.CharField(_("brontabel"), max_length=100, blank=True)
    source_topic = models.CharField(_("onderwerp in de brontabel"), max_length=200, blank=True)
    licence = models.CharField(_("licentie"), max_length=200, blank=True)
    method_note = models.TextField(_("methode"), blank=True)
    breakdowns = models.JSONField(
        _("beschikbare uitsplitsingen"),
        default=dict,
        blank=True,
        help_text=_("Per dimensie de titel en de labels van de sleutels."),
    )
    headline_breakdown = models.CharField(
        _("hoofdreeks"),
        max_length=500,
        blank=True,
        help_text=_("De uitsplitsing die het dashboard als hoofdreeks toont (leeg: geen)."),
    )
    threshold_warning = models.FloatField(_("drempel waarschuwing"), null=True, blank=True)
    threshold_alert = models.FloatField(_("drempel alarm"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        ordering = ["key"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")


class ImportBatch(models.Model):
    """One import (a CBS table, a CSV file, an SDMX message, a live refresh) and its report."""

    source_kind = models.CharField(_("soort bron"), max_length=30)
    name = models.CharField(_("naam"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(_("importverslag"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("indicatorimport")
        verbose_name_plural = _("indicatorimports")

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """A value of an indicator for a period and breakdown, as known from ``vintage`` on."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    period_code = models.CharField(max_length=20, default="")
    period_start = models.DateField()
    period_end = models.DateField(null=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAY)
    breakdown = models.CharField(max_length=500, blank=True, default="")
    value = models.FloatField(null=True)
    status = models.CharField(
        max_length=20, choices=ObservationStatus.choices, default=ObservationStatus.FINAL
    )
    vintage = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["indicator", "breakdown", "period_start", "vintage"],
                name="indicators_obs_series",
            )
        ]
        ordering = ["indicator", "period_start", "vintage"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_code}: {self.value}"


class ReleaseDate(models.Model):
    """An expected publication in an indicator's release calendar."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="releases")
    expected_on = models.DateField(_("verwachte publicatie"))
    period_code = models.CharField(_("periode"), max_length=20, blank=True)
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        ordering = ["indicator", "expected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "expected_on"], name="indicators_release_unique"
            )
        ]
        verbose_name = _("publicatiedatum")
        verbose_name_plural = _("publicatiekalender")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.expected_on}"


# --- signals ----------------------------------------------------------------------------------


class SignalKind(models.TextChoices):
    """The rules of ``paraat_core.signals``."""

    THRESHOLD = "threshold", _("drempel")
    YEAR_ON_YEAR = "year_on_year", _("verandering t.o.v. een jaar eerder")
    BASELINE = "baseline", _("afwijking van de basislijn")
    TREND_BREAK = "trend_break", _("trendbreuk")
    SURVEY_CHANGE = "survey_change", _("significante verandering in een peiling")


class Severity(models.TextChoices):
    INFO = "info", _("ter informatie")
    WARNING = "warning", _("waarschuwing")
    ALERT = "alert", _("alarm")


class SignalRule(models.Model):
    """A rule that watches one series of an indicator; its parameters go to the core rule."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="signal_rules")
    kind = models.CharField(_("regel"), max_length=20, choices=SignalKind.choices)
    breakdown = models.CharField(_("reeks"), max_length=500, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "kind", "pk"]
        verbose_name = _("signaalregel")
        verbose_name_plural = _("signaalregels")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.kind}"


class Signal(models.Model):
    """A signal a rule raised on the figures known at ``data_vintage``. Appended, never edited."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="signals")
    rule = models.ForeignKey(
        SignalRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    kind = models.CharField(max_length=20, choices=SignalKind.choices)
    breakdown = models.CharField(max_length=500, blank=True)
    period_code = models.CharField(max_length=20)
    period_start = models.DateField()
    value = models.FloatField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    worse = models.BooleanField(null=True)
    explanation = models.JSONField(default=dict)
    description_nl = models.TextField()
    description_en = models.TextField(blank=True)
    on_provisional = models.BooleanField(default=False)
    data_vintage = models.DateTimeField()
    detected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-detected_at", "pk"]
        indexes = [models.Index(fields=["indicator", "kind", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.kind} {self.period_code}"


class SignalSubscription(models.Model):
    """A user's digest of new signals by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signal_subscription"
    )
    domains = models.ManyToManyField(Domain, blank=True, verbose_name=_("domeinen"))
    min_severity = models.CharField(
        _("vanaf ernst"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    is_active = models.BooleanField(_("actief"), default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signaalabonnement")
        verbose_name_plural = _("signaalabonnementen")

    def __str__(self) -> str:
        return str(self.user_id)


# --- composite index --------------------------------------------------------------------------


class Normalisation(models.TextChoices):
    MINMAX = "minmax", _("min-max")
    ZSCORE = "zscore", _("z-score")
    REFERENCE = "reference", _("afstand tot referentieperiode")


class Aggregation(models.TextChoices):
    ARITHMETIC = "arithmetic", _("rekenkundig gemiddelde")
    GEOMETRIC = "geometric", _("meetkundig gemiddelde")


class MissingData(models.TextChoices):
    AVAILABLE = "available", _("over de beschikbare indicatoren")
    MEAN = "mean", _("gemiddelde invullen")
    CARRY_FORWARD = "carry_forward", _("laatste waarde doortrekken")


class CompositeIndex(BilingualNameMixin, ConfidentialityMixin):
    """The societal counterpart of R: indicators, weights and method choices (OECD/JRC)."""

    key = models.SlugField(_("code"), max_length=100, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    frequency = models.CharField(
        _("frequentie"), max_length=20, choices=Frequency.choices, default=Frequency.MONTH
    )
    normalisation = models.CharField(
        _("normalisatie"),
        max_length=20,
        choices=Normalisation.choices,
        default=Normalisation.MINMAX,
    )
    aggregation = models.CharField(
        _("aggregatie"), max_length=20, choices=Aggregation.choices, default=Aggregation.ARITHMETIC
    )
    missing = models.CharField(
        _("ontbrekende waarden"),
        max_length=20,
        choices=MissingData.choices,
        default=MissingData.AVAILABLE,
    )
    min_coverage = models.FloatField(_("minimale dekking"), default=0.5)
    reference_period = models.CharField(_("referentieperiode"), max_length=20, blank=True)
    start_period = models.CharField(_("eerste periode"), max_length=20)
    draws = models.PositiveIntegerField(_("Monte-Carlotrekkingen"), default=10000)
    weight_concentration = models.FloatField(
        _("spreiding gewichten (Dirichlet-concentratie)"), default=50.0
    )
    seed = models.PositiveIntegerField(_("startwaarde toevalsgenerator"), default=20200315)
    groups = models.ManyToManyField(
        "taxonomies.PopulationGroup", blank=True, verbose_name=_("groepen")
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("samengestelde index")
        verbose_name_plural = _("samengestelde indices")


class CompositeMember(models.Model):
    index = models.ForeignKey(CompositeIndex, on_delete=models.CASCADE, related_name="members")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    weight = models.FloatField(_("gewicht"), default=1.0)

    class Meta:
        ordering = ["index", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["index", "indicator"], name="indicators_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.index_id} {self.indicator_id}"


class CompositeRun(models.Model):
    """One computation of a composite index on the figures known at ``as_of``. Appended."""

    index = models.ForeignKey(CompositeIndex, on_delete=models.CASCADE, related_name="runs")
    as_of = models.DateTimeField(_("peildatum"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    spec = models.JSONField(default=dict)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.index_id} {self.as_of:%Y-%m-%d}"
