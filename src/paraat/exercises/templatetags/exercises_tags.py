"""Template filters of the exercises pages: exercise time as text."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def exercise_time(minutes: float | int | None) -> str:
    """``95`` → ``1 u 35 min`` (exercise time; never negative)."""
    if minutes is None:
        return "–"
    total = max(0, int(minutes))
    hours, rest = divmod(total, 60)
    if hours:
        return _("%(h)s u %(m)02d min") % {"h": hours, "m": rest}
    return _("%(m)s min") % {"m": rest}


@register.filter
def countdown(seconds: int | None) -> str:
    """Real seconds as ``m:ss`` or ``h:mm:ss``."""
    if seconds is None:
        return "–"
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
