from __future__ import annotations

import datetime as dt

import factory

from paraat.accounts.models import Confidentiality
from paraat.indicators.models import Frequency, Indicator, Polarity, ReleaseDate


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"indicator-{n}")
    name_nl = factory.Sequence(lambda n: f"Indicator {n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "%"
    frequency = Frequency.MONTH
    polarity = Polarity.HIGHER_WORSE
    publication_lag_days = 30
    source = "synthetisch"
    is_synthetic = True
    confidentiality = Confidentiality.PUBLIC


class ReleaseDateFactory(factory.django.DjangoModelFactory):
    """An announced publication date in an indicator's release calendar."""

    class Meta:
        model = ReleaseDate

    indicator = factory.SubFactory(IndicatorFactory)
    expected_on = factory.Sequence(lambda n: dt.date(2020, 1, 1) + dt.timedelta(days=30 * n))
