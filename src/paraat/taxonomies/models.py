"""Shared taxonomies: impact domains, population groups and sectors (editable data)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """Name in Dutch and English; ``name`` follows the active interface language."""

    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "nl").startswith("en") and self.name_en:
            return self.name_en
        return self.name_nl


class TaxonomyTerm(BilingualNameMixin):
    key = models.SlugField(_("sleutel"), max_length=80, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name_nl"]


class Domain(TaxonomyTerm):
    """Impact domain (mental health, education, work and income, ...)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("impactdomein")
        verbose_name_plural = _("impactdomeinen")


class ProgressPlus(models.TextChoices):
    """PROGRESS-Plus dimensions of health equity (O'Neill et al. 2014, Cochrane Equity)."""

    PLACE = "place", _("woonplaats")
    RACE_ETHNICITY = "race_ethnicity", _("herkomst, cultuur en taal")
    OCCUPATION = "occupation", _("beroep")
    GENDER = "gender", _("gender en geslacht")
    RELIGION = "religion", _("religie")
    EDUCATION = "education", _("opleiding")
    SOCIOECONOMIC = "socioeconomic", _("sociaaleconomische positie")
    SOCIAL_CAPITAL = "social_capital", _("sociaal kapitaal")
    AGE = "age", _("leeftijd")
    DISABILITY = "disability", _("beperking en gezondheid")
    SEXUAL_ORIENTATION = "sexual_orientation", _("seksuele oriëntatie")
    OTHER = "other", _("overige kenmerken (Plus)")


class PopulationGroup(TaxonomyTerm):
    """A group of people (young people, low income, chronically ill, ...)."""

    dimension = models.CharField(
        _("PROGRESS-Plus-dimensie"), max_length=30, choices=ProgressPlus.choices, blank=True
    )
    is_vulnerable = models.BooleanField(
        _("kwetsbare groep (MIT)"),
        default=False,
        help_text=_("Een van de groepen waar het MIT in het bijzonder op let."),
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")


class Sector(TaxonomyTerm):
    """A sector of society or the economy (education, hospitality, culture, ...)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectoren")
