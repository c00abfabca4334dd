from __future__ import annotations

import datetime as dt

from paraat.accounts.models import User
from paraat.accounts.selectors import AnyUser, filter_visible
from paraat.indicators.models import Indicator, Observation


def indicator_get(*, key: str, user: AnyUser | User) -> Indicator | None:
    return filter_visible(user=user, queryset=Indicator.objects.filter(key=key)).first()


def observation_series(
    *, indicator: Indicator, start: dt.date | None = None, end: dt.date | None = None
) -> dict[dt.date, float | None]:
    """The latest vintage of each period's value (later recordings override earlier ones)."""
    qs = Observation.objects.filter(indicator=indicator, breakdown="").order_by(
        "period_start", "recorded_at", "pk"
    )
    if start:
        qs = qs.filter(period_start__gte=start)
    if end:
        qs = qs.filter(period_start__lte=end)
    series: dict[dt.date, float | None] = {}
    for period, value in qs.values_list("period_start", "value"):
        series[period] = value
    return series
