"""The JSON a time-series chart page hands to ``static/paraat/series-chart.js``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _


class Annotation(Protocol):
    date: dt.date

    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class ChartSeries:
    label: str
    values: Sequence[float | None]
    axis: str = "y"
    color: str = "#154273"
    dash: tuple[int, ...] = ()
    width: float = 2
    stepped: bool = False


def chart_payload(
    *,
    dates: Sequence[dt.date],
    series: Iterable[ChartSeries],
    axes: dict[str, tuple[str, float | None]],
    events: Iterable[Annotation] = (),
    selected: dt.date | None = None,
    click_param: str = "day",
) -> dict[str, Any]:
    return {
        "dates": [day.isoformat() for day in dates],
        "series": [
            {
                "label": s.label,
                "values": list(s.values),
                "axis": s.axis,
                "color": s.color,
                "dash": list(s.dash),
                "width": s.width,
                "stepped": s.stepped,
            }
            for s in series
        ],
        "axes": {key: {"title": title, "max": top} for key, (title, top) in axes.items()},
        "events": [{"date": e.date.isoformat(), "title": e.title} for e in events],
        "selected": selected.isoformat() if selected else None,
        "selectedLabel": _("Gekozen dag"),
        "clickParam": click_param,
    }
