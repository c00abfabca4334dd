"""Indicators of the societal picture and their observations (extended in the indicators issue)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import ConfidentialityMixin
from paraat.taxonomies.models import BilingualNameMixin, Domain


class Frequency(models.TextChoices):
    DAILY = "daily", _("dagelijks")
    WEEKLY = "weekly", _("wekelijks")
    MONTHLY = "monthly", _("maandelijks")
    QUARTERLY = "quarterly", _("per kwartaal")
    YEARLY = "yearly", _("jaarlijks")


class Indicator(BilingualNameMixin, ConfidentialityMixin):
    key = models.SlugField(_("sleutel"), max_length=100, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    domain = models.ForeignKey(
        Domain, verbose_name=_("domein"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.CharField(_("eenheid"), max_length=100, blank=True)
    frequency = models.CharField(
        _("frequentie"), max_length=20, choices=Frequency.choices, default=Frequency.DAILY
    )
    source = models.CharField(_("bron"), max_length=500, blank=True)
    licence = models.CharField(_("licentie"), max_length=200, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        ordering = ["key"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")


class Observation(models.Model):
    """A value of an indicator for a period. Revisions add rows (``recorded_at``)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    period_start = models.DateField()
    breakdown = models.CharField(max_length=200, blank=True, default="")
    value = models.FloatField(null=True)
    is_provisional = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["indicator", "period_start"])]
        ordering = ["indicator", "period_start"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}: {self.value}"
