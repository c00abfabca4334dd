"""Reports of an analysed assessment: HTML, PDF, Word (DOCX), Markdown and JSON.

:func:`render` takes the assessment file (``paraat-assessment/1``) and the result of its
analysis (``paraat-assessment-result/1``, see ``docs/schema/README.md``) and returns the report
as bytes. Nothing here touches the database, so the ``paraat assess`` command (no database
rows) and the background job (a stored version, for one reader) share it.

Confidentiality: the caller passes a result that is already masked for the reader
(``selectors.version_result``). The medical effectiveness is read **only** from the result
(``matrix`` and ``options[].effectiveness``), never from the file, so a masked result can
not leak through the file. :func:`report_data` builds plain data (dicts and lists) that the
print template, the Word and Markdown writers and the results page all read.

What a committee member reads first is the **summary** (pages 1–2 of the PDF, the top of the
results page): question and date (and the synthetic label above it); the impact ladder with the
magnitude of the differences (:func:`magnitude`, the rule is on the methodology page), the
robustness in words (:func:`robustness_statements`) and dominance; the effectiveness × societal
impact matrix (an SVG scatter with ranges, drawn here, and a table); the advice type per option
(evidence to decision); the groups flagged in the stacking; the fundamental rights (touched,
absolute, open questions, tests answered "no"); and what drives the uncertainty (unknown and
not-assessed cells and their share of the weight, from the engine's warnings). Then the
**annex** ("Bijlagen", a new page in PDF and Word): context and options, the distribution per
option and the full stacking, the explanation, rank acceptability and robustness per group, the
sensitivity, the full rights and values, the evidence to decision per option, the evidence, the
parameters and the warnings.

HTML and PDF come from the templates ``assessments/report/_summary.html`` and ``_annex.html``
(the results page includes the same two); Word and Markdown from :func:`report_blocks`, which
follows the same order. All of them read :func:`report_data` only.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from paraat.web.printing import docx_a4_document, docx_table, pdf_render_fonts_only
from paraat_core.assessment.model import EFFECT_LEVELS

__all__ = [
    "FORMATS",
    "METHODOLOGY_PATH",
    "ReportError",
    "effect_symbol",
    "magnitude",
    "matrix_svg",
    "md_escape",
    "render",
    "report_blocks",
    "report_data",
    "report_filename",
    "robustness_statements",
    "warning_text",
]

#: Formats and their content types.
FORMATS: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
TEMPLATE = "assessments/report/report_print.html"
#: The methodology page in the interface (also written out in reports, which are offline).
METHODOLOGY_PATH = "/afwegingen/methode/"
#: Share of samples from which an order counts as holding "under every plausible weighting".
ROBUST_SHARE = 0.95
#: Share from which an order holds "under most weightings".
MOSTLY_SHARE = 0.75
#: Contributing cells named per option in the explanation.
TOP_CELLS = 5
#: Group statements in the robustness section at most.
MAX_GROUP_STATEMENTS = 12


class ReportError(ValueError):
    """The report can not be made (unknown format, result without the fields a report needs)."""


# --- labels ----------------------------------------------------------------------------------


def _effect_labels() -> dict[str, str]:
    return {
        "large_negative": _("groot negatief"),
        "moderate_negative": _("middelgroot negatief"),
        "small_negative": _("klein negatief"),
        "none": _("geen effect"),
        "small_positive": _("klein positief"),
        "moderate_positive": _("middelgroot positief"),
        "large_positive": _("groot positief"),
        "unknown": _("onbekend"),
    }


def _certainty_labels() -> dict[str, str]:
    return {
        "high": _("hoog"),
        "moderate": _("redelijk"),
        "low": _("laag"),
        "very_low": _("zeer laag"),
        "": _("niet gegradeerd"),
    }


def _advice_labels() -> dict[str, str]:
    return {
        "for": _("positief advies"),
        "conditional_for": _("voorwaardelijk positief advies"),
        "conditional_against": _("voorwaardelijk negatief advies"),
        "against": _("negatief advies"),
        "none": _("geen advies mogelijk"),
        "": _("nog geen advies"),
    }


def _outcome_labels() -> dict[str, str]:
    return {
        "transmission": _("verspreiding (transmissie)"),
        "hospital_admissions": _("ziekenhuisopnames"),
        "icu_admissions": _("IC-opnames"),
        "deaths": _("sterfte"),
        "other": _("anders"),
    }


def _answer_labels() -> dict[str, str]:
    return {
        "yes": _("ja"),
        "partly": _("deels"),
        "no": _("nee"),
        "unknown": _("onbekend"),
        "not_applicable": _("niet van toepassing"),
        "": _("niet beantwoord"),
    }


def _test_labels() -> dict[str, str]:
    return {
        "legitimate_aim": _("Legitiem doel"),
        "suitability": _("Geschiktheid"),
        "necessity": _("Noodzakelijkheid"),
        "proportionality": _("Proportionaliteit"),
        "subsidiarity": _("Subsidiariteit"),
        "non_discrimination": _("Non-discriminatie"),
        "time_limit": _("Tijdelijkheid"),
    }


def _checklist_labels() -> dict[str, str]:
    return {
        "at_stake": _("Is een grondrecht in het geding?"),
        "within_scope": _("Valt het binnen de reikwijdte van het grondrecht?"),
        "restricted": _("Wordt het grondrecht beperkt?"),
        "absolute": _("Is het een absoluut recht?"),
        "provided_by_law": _("Is de beperking bij wet voorzien?"),
        "legitimate_aim": _("Dient de beperking een legitiem doel?"),
        "necessary": _("Is de beperking noodzakelijk in een democratische samenleving?"),
    }


def _lens_labels() -> dict[str, str]:
    return {
        "justice": _("Rechtvaardigheid"),
        "solidarity": _("Solidariteit"),
        "equal_opportunities": _("Gelijke kansen"),
        "future_generations": _("Toekomstige generaties"),
    }


def _etd_labels() -> dict[str, str]:
    return {
        "desirable": _("Gewenste effecten"),
        "undesirable": _("Ongewenste effecten"),
        "certainty": _("Zekerheid van het bewijs"),
        "equity": _("Gelijkheid"),
        "acceptability": _("Aanvaardbaarheid"),
        "feasibility": _("Uitvoerbaarheid"),
    }


def _knowledge_labels() -> dict[str, str]:
    return {
        "science": _("wetenschappelijke kennis"),
        "scientific": _("wetenschappelijke kennis"),
        "practice": _("praktijkkennis"),
        "citizen": _("ervaringskennis van burgers"),
        "experiential": _("ervaringskennis"),
        "policy": _("beleidskennis"),
        "administrative": _("administratieve data"),
        "media": _("media"),
        "": _("niet ingedeeld"),
    }


def _level_labels() -> dict[str, str]:
    return {
        "robust": _("robuust"),
        "fairly_robust": _("redelijk robuust"),
        "depends_on_weights": _("hangt af van de weging"),
    }


def effect_symbol(effect: str, state: str = "assessed") -> str:
    """A symbol per cell so that no information rests on colour alone."""
    if state == "not_assessed":
        return "·"
    if state == "unknown" or effect == "unknown":
        return "?"
    level = EFFECT_LEVELS.get(effect)
    if level is None:
        return "?"
    if level == 0:
        return "○"
    return ("▼" if level < 0 else "▲") * abs(level)


# --- number formatting -----------------------------------------------------------------------


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _num(value: Any, decimals: int = 2) -> str:
    number = _finite(value)
    if number is None:
        return "–"
    rounded = round(number, decimals) + 0.0
    text = formats.number_format(abs(rounded), decimal_pos=decimals, use_l10n=True)
    return ("−" + text) if rounded < 0 else text


def _pct(value: Any) -> str:
    number = _finite(value)
    if number is None:
        return "–"
    return formats.number_format(round(100 * number), decimal_pos=0, use_l10n=True) + "\u00a0%"


def _range(low: Any, high: Any, decimals: int = 2) -> str:
    if _finite(low) is None and _finite(high) is None:
        return "–"
    return f"{_num(low, decimals)} – {_num(high, decimals)}"


def _join(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " " + _("en") + " " + names[-1]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --- robustness in words ---------------------------------------------------------------------


def _share(matrix: Any, i: int, j: int) -> float | None:
    try:
        return _finite(matrix[i][j])
    except (IndexError, KeyError, TypeError):
        return None


def robustness_statements(result: Mapping[str, Any]) -> dict[str, Any]:
    """The robustness of the ladder in words, generated from ``robustness``, ``winning`` and
    ``group_winning``: ``{"level", "level_label", "headline", "pairs": [...], "groups": [...]}``.

    * an order that holds in at least 95 % of the samples is stated as holding "under every
      plausible weighting" (overall along the ladder, and per group);
    * an order that does not is said to depend on a value choice, naming the decisive domains.
    """
    options = list(result.get("options") or [])
    ids = [str(o.get("id")) for o in options]
    index = {oid: i for i, oid in enumerate(ids)}
    names = {str(o.get("id")): str(o.get("name") or o.get("id")) for o in options}
    domain_names = {
        str(d.get("key")): str(d.get("name") or d.get("key")) for d in _list(result, "domains")
    }
    robustness = result.get("robustness") or {}
    level = str(robustness.get("level") or "")
    decisive = [domain_names.get(str(k), str(k)) for k in robustness.get("decisive_domains") or []]
    ladder = _ladder_entries(result)
    winning = result.get("winning")
    thresholds = (result.get("parameters") or {}).get("thresholds") or {}
    robust_share = _finite(thresholds.get("robust")) or ROBUST_SHARE
    mostly_share = _finite(thresholds.get("fairly_robust")) or MOSTLY_SHARE

    pairs: list[str] = []
    for upper, lower in itertools.pairwise(ladder):
        a, b = str(upper.get("option")), str(lower.get("option"))
        share = None
        if a in index and b in index:
            share = _share(winning, index[a], index[b])
        if share is None:
            share = _finite(upper.get("beats_next"))
        if share is None:
            continue
        values = {"a": names.get(a, a), "b": names.get(b, b), "share": _pct(share)}
        if share >= robust_share:
            pairs.append(
                _(
                    "Onder elke aannemelijke weging belast %(a)s de samenleving minder dan "
                    "%(b)s (in %(share)s van de trekkingen)."
                )
                % values
            )
        elif share >= mostly_share:
            pairs.append(
                _(
                    "Onder de meeste wegingen belast %(a)s de samenleving minder dan %(b)s "
                    "(in %(share)s van de trekkingen), maar niet onder elke weging."
                )
                % values
            )
        elif decisive:
            pairs.append(
                _(
                    "De volgorde van %(a)s en %(b)s hangt af van een waardekeuze: het gewicht "
                    "van %(domains)s (%(a)s belast minder in %(share)s van de trekkingen)."
                )
                % {**values, "domains": _join(decisive)}
            )
        else:
            pairs.append(
                _(
                    "De volgorde van %(a)s en %(b)s hangt af van een waardekeuze (%(a)s belast "
                    "minder in %(share)s van de trekkingen)."
                )
                % values
            )

    if level == "robust":
        headline = _(
            "De volgorde van de impactladder is robuust: zij verandert niet onder aannemelijke "
            "wegingen en binnen de onzekerheid van de oordelen."
        )
    elif level == "fairly_robust":
        headline = _(
            "De volgorde van de impactladder is redelijk robuust: de meeste aannemelijke "
            "wegingen geven dezelfde volgorde, maar niet alle."
        )
    elif level == "depends_on_weights":
        if decisive:
            headline = _(
                "De volgorde hangt af van een waardekeuze: vooral het gewicht van %(domains)s "
                "bepaalt welke optie het minst belast. Die keuze is aan het bestuur, niet aan "
                "het MIT."
            ) % {"domains": _join(decisive)}
        else:
            headline = _(
                "De volgorde hangt af van een waardekeuze: verschillende aannemelijke wegingen "
                "geven een andere volgorde. Die keuze is aan het bestuur, niet aan het MIT."
            )
    else:
        headline = _("Over de robuustheid van de volgorde is niets bekend.")

    groups_out: list[str] = []
    group_winning = result.get("group_winning") or {}
    groups = sorted(_list(result, "groups"), key=lambda g: not g.get("vulnerable"))
    for group in groups:
        key = str(group.get("key"))
        matrix = group_winning.get(key)
        if not matrix:
            continue
        found: list[tuple[float, str, str]] = []
        for a in ids:
            for b in ids:
                if a == b:
                    continue
                share = _share(matrix, index[a], index[b])
                if share is not None and share >= robust_share:
                    found.append((share, a, b))
        found.sort(key=lambda item: (-item[0], index[item[1]], index[item[2]]))
        for share, a, b in found:
            groups_out.append(
                _(
                    "Onder elke aannemelijke weging belast %(a)s %(group)s minder dan %(b)s "
                    "(in %(share)s van de trekkingen)."
                )
                % {
                    "a": names[a],
                    "b": names[b],
                    "group": str(group.get("name") or key).lower(),
                    "share": _pct(share),
                }
            )
    omitted = max(0, len(groups_out) - MAX_GROUP_STATEMENTS)
    return {
        "level": level,
        "level_label": _level_labels().get(level, level or "–"),
        "headline": headline,
        "pairs": pairs,
        "groups": groups_out[:MAX_GROUP_STATEMENTS],
        "groups_omitted": omitted,
        "decisive": decisive,
    }


def _list(mapping: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = mapping.get(key) or []
    return [item for item in value if isinstance(item, dict)]


def _ladder_entries(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return sorted(_list(result, "ladder"), key=lambda e: _finite(e.get("position")) or 0)


# --- the matrix as SVG -----------------------------------------------------------------------


def _short(text: str, limit: int = 42) -> str:
    """A label for the chart: long names are cut (the table next to it has them in full)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def matrix_svg(rows: Sequence[Mapping[str, Any]], *, width: int = 640, height: int = 380) -> str:
    """The effectiveness × societal impact scatter as an SVG string (drawn here, no script).

    ``rows`` are the report's matrix rows (``name``, ``impact``, ``impact_low``,
    ``impact_high``, ``effect``, ``effect_low``, ``effect_high``). Options without a visible
    effect are left out of the drawing (the table next to it says why). Ranges are drawn as
    whiskers in both directions; each point carries its option's name, so nothing rests on
    colour. Returns "" when no option has both values."""
    points = [
        r
        for r in rows
        if _finite(r.get("impact")) is not None and _finite(r.get("effect")) is not None
    ]
    if not points:
        return ""
    left, right, top, bottom = 70, 24, 20, 56
    pw, ph = width - left - right, height - top - bottom
    x_min, x_max = -3.0, 3.0
    ys = []
    for r in points:
        for key in ("effect", "effect_low", "effect_high"):
            value = _finite(r.get(key))
            if value is not None:
                ys.append(value)
    y_min, y_max = min([*ys, 0.0]), max([*ys, 0.0])
    if y_max - y_min < 1e-9:
        y_min, y_max = y_min - 1, y_max + 1
    pad = (y_max - y_min) * 0.1
    y_min, y_max = y_min - pad, y_max + pad

    def sx(v: float) -> float:
        return left + (min(max(v, x_min), x_max) - x_min) / (x_max - x_min) * pw

    def sy(v: float) -> float:
        return top + (y_max - v) / (y_max - y_min) * ph

    title = _("Effectiviteit tegenover maatschappelijke impact")
    desc = _(
        "Spreidingsdiagram: horizontaal de gewogen maatschappelijke impact (−3 tot +3, rechts "
        "is minder belasting), verticaal de verwachte effectiviteit; lijnen tonen de "
        "onzekerheidsmarges. Dezelfde gegevens staan in de tabel."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="matrix-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="matrix-svg-title matrix-svg-desc">',
        f'<title id="matrix-svg-title">{escape(title)}</title>',
        f'<desc id="matrix-svg-desc">{escape(desc)}</desc>',
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#ffffff" '
        f'stroke="#6b7b8c" stroke-width="1"/>',
    ]
    for tick in range(-3, 4):
        x = sx(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#d5dde6" '
            f'stroke-width="{1.5 if tick == 0 else 0.6}"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{top + ph + 16}" font-size="11" text-anchor="middle" '
            f'fill="#1a1a1a">{escape(_num(tick, 0))}</text>'
        )
    for k in range(5):
        value = y_min + (y_max - y_min) * k / 4
        y = sy(value)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#eef2f6" '
            f'stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#1a1a1a">{escape(_num(value, 2))}</text>'
        )
    if y_min < 0 < y_max:
        y0 = sy(0)
        out.append(
            f'<line x1="{left}" y1="{y0:.1f}" x2="{left + pw}" y2="{y0:.1f}" stroke="#6b7b8c" '
            f'stroke-width="1" stroke-dasharray="4 3"/>'
        )
    x_label = _("Maatschappelijke impact (gewogen; rechts = minder belasting)")
    units = {str(r.get("unit") or "") for r in points} - {""}
    y_label = _("Effectiviteit")
    if len(units) == 1:
        y_label += f" ({_short(units.pop(), 50)})"
    out.append(
        f'<text x="{left + pw / 2:.1f}" y="{height - 14}" font-size="12" text-anchor="middle" '
        f'fill="#1a1a1a">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="16" y="{top + ph / 2:.1f}" font-size="12" text-anchor="middle" '
        f'fill="#1a1a1a" transform="rotate(-90 16 {top + ph / 2:.1f})">{escape(y_label)}</text>'
    )
    for r in points:
        x, y = sx(float(r["impact"])), sy(float(r["effect"]))
        lo, hi = _finite(r.get("impact_low")), _finite(r.get("impact_high"))
        if lo is not None and hi is not None:
            out.append(
                f'<line x1="{sx(lo):.1f}" y1="{y:.1f}" x2="{sx(hi):.1f}" y2="{y:.1f}" '
                f'stroke="#10294a" stroke-width="1.5"/>'
            )
        lo, hi = _finite(r.get("effect_low")), _finite(r.get("effect_high"))
        if lo is not None and hi is not None:
            out.append(
                f'<line x1="{x:.1f}" y1="{sy(lo):.1f}" x2="{x:.1f}" y2="{sy(hi):.1f}" '
                f'stroke="#10294a" stroke-width="1.5"/>'
            )
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#1f4e79" stroke="#ffffff" '
            f'stroke-width="1"/>'
        )
        anchor = "end" if x > left + pw * 0.5 else "start"
        dx = -8 if anchor == "end" else 8
        out.append(
            f'<text x="{x + dx:.1f}" y="{y - 8:.1f}" font-size="11" text-anchor="{anchor}" '
            f'fill="#10294a">{escape(_short(str(r.get("name", ""))))}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


# --- the report as plain data ----------------------------------------------------------------


def _lang(language: str | None) -> str:
    text = (language or "nl").lower()
    return "en" if text.startswith("en") else "nl"


def _switch_point(point: Any, names: Mapping[str, str]) -> str:
    """A switch point of the sensitivity view in words (a weight, or where two options swap)."""
    if not isinstance(point, dict):
        return _num(point, 3)
    up, down = str(point.get("up") or ""), str(point.get("down") or "")
    if up and down:
        return _("bij gewicht %(w)s komt %(up)s boven %(down)s") % {
            "w": _num(point.get("weight"), 3),
            "up": names.get(up, up),
            "down": names.get(down, down),
        }
    return _num(point.get("weight"), 3)


def _lens_labels_facts() -> dict[str, str]:
    return {
        "vulnerable_groups_negative": _("kwetsbare groepen met een negatief effect"),
        "negative_cells_vulnerable": _("negatieve cellen bij kwetsbare groepen"),
        "groups_net_negative": _("groepen die per saldo last dragen"),
        "groups_net_positive": _("groepen die per saldo baat hebben"),
        "domains": _("domeinen van deze lens"),
        "cells": _("cellen"),
    }


def _lens_facts(
    lens: Any, domain_names: Mapping[str, str], group_names: Mapping[str, str]
) -> list[tuple[str, str]]:
    """What the engine computed for one value lens, in words (the note is the text itself)."""
    if not isinstance(lens, dict):
        return []
    labels = _lens_labels_facts()
    facts = []
    for key, value in lens.items():
        if key == "note" or value in (None, ""):
            continue
        label = labels.get(key, key.replace("_", " "))
        if isinstance(value, list):
            if key == "cells" or any(isinstance(v, dict) for v in value):
                text = str(len(value))
            else:
                text = ", ".join(
                    group_names.get(str(v)) or domain_names.get(str(v)) or str(v) for v in value
                ) or _("geen")
        elif isinstance(value, float):
            text = _num(value)
        else:
            text = _text(value)
        facts.append((label, text))
    return facts


# --- the summary (the part a committee member reads first) ---------------------------------

#: The differences between the options' explicit scores are called "small" when their spread
#: (highest minus lowest) is below this share of the typical width of the options' 5–95 % bands
#: (the median of p95 − p05), "large" from ``LARGE_RATIO`` on, and "of the same order as the
#: uncertainty" in between. Documented on the methodology page (#samenvatting).
SMALL_RATIO = 0.5
LARGE_RATIO = 1.0
#: Group statements of the robustness shown in the summary (all of them are in the annex).
SUMMARY_GROUP_STATEMENTS = 4


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _signed(value: float) -> str:
    """A whole number on the scale with its sign (−3, 0, +3)."""
    return ("+" if value > 0 else "") + _num(value, 0)


def magnitude(result: Mapping[str, Any]) -> dict[str, Any]:
    """How large the differences between the options are, in one sentence.

    ``{"verdict": "small" | "moderate" | "large" | "", "sentence", "low", "high", "spread",
    "band"}``: ``low``/``high`` are the lowest and highest explicit score, ``spread`` their
    difference and ``band`` the median width of the 5–95 % bands (None when no option has one).
    The verdict follows :data:`SMALL_RATIO` and :data:`LARGE_RATIO`; without bands, or with fewer
    than two scored options, there is no verdict."""
    scale = (result.get("parameters") or {}).get("scale") or [-3, 3]
    scale_low = _finite(scale[0]) if scale else -3.0
    scale_high = _finite(scale[-1]) if scale else 3.0
    scores: list[float] = []
    widths: list[float] = []
    for option in _list(result, "options"):
        score = option.get("score") or {}
        explicit = _finite(score.get("explicit"))
        if explicit is None:
            continue
        scores.append(explicit)
        p05, p95 = _finite(score.get("p05")), _finite(score.get("p95"))
        if p05 is not None and p95 is not None:
            widths.append(max(0.0, p95 - p05))
    if len(scores) < 2:
        return {
            "verdict": "",
            "sentence": "",
            "low": None,
            "high": None,
            "spread": None,
            "band": None,
        }
    low, high = min(scores), max(scores)
    spread = high - low
    band = _median(widths) if widths else None
    values = {
        "low": _num(low),
        "high": _num(high),
        "scale_low": _signed(scale_low if scale_low is not None else -3.0),
        "scale_high": _signed(scale_high if scale_high is not None else 3.0),
        "spread": _num(spread),
        "band": _num(band),
    }
    if band is None:
        verdict = ""
    elif spread < SMALL_RATIO * band or (band == 0 and spread == 0):
        verdict = "small"
    elif spread < LARGE_RATIO * band:
        verdict = "moderate"
    else:
        verdict = "large"
    lead = (
        _(
            "Alle opties liggen tussen %(low)s en %(high)s op een schaal van %(scale_low)s tot "
            "%(scale_high)s"
        )
        % values
    )
    if verdict == "small":
        sentence = (
            lead
            + ": "
            + _(
                "de verschillen zijn klein. Het verschil tussen de hoogste en de laagste score "
                "(%(spread)s) is minder dan de helft van de gebruikelijke breedte van de "
                "onzekerheidsband van 5 tot 95 %% (%(band)s)."
            )
            % values
        )
    elif verdict == "moderate":
        sentence = (
            lead
            + ": "
            + _(
                "de verschillen zijn van dezelfde orde als de onzekerheid. Het verschil tussen de "
                "hoogste en de laagste score (%(spread)s) is kleiner dan de gebruikelijke breedte "
                "van de onzekerheidsband van 5 tot 95 %% (%(band)s)."
            )
            % values
        )
    elif verdict == "large":
        sentence = (
            lead
            + ": "
            + _(
                "de verschillen zijn groot ten opzichte van de onzekerheid. Het verschil tussen de "
                "hoogste en de laagste score (%(spread)s) is minstens de gebruikelijke breedte van "
                "de onzekerheidsband van 5 tot 95 %% (%(band)s)."
            )
            % values
        )
    else:
        sentence = lead + "."
    return {
        "verdict": verdict,
        "sentence": sentence,
        "low": low,
        "high": high,
        "spread": spread,
        "band": band,
    }


def _warning_dict(warning: Any) -> dict[str, Any]:
    if isinstance(warning, dict):
        return warning
    return {"code": "", "message": _text(warning), "params": {}}


def warning_text(warning: Any, names: Mapping[str, str] | None = None) -> str:
    """A warning of the engine in the report's language (by ``code`` and ``params``; the
    engine's own message for a code this module does not know)."""
    w = _warning_dict(warning)
    code = str(w.get("code") or "")
    raw = w.get("params")
    params: dict[str, Any] = raw if isinstance(raw, dict) else {}
    names = names or {}
    option = str(params.get("option") or "")
    if code == "explicit_unknown":
        return _(
            "In de score van %(option)s tellen onbekende en niet-beoordeelde cellen mee als het "
            "midden van de schaal (0); zij dragen %(share)s van het gewicht."
        ) % {"option": names.get(option, option), "share": _pct(params.get("weight_share"))}
    if code == "not_assessed":
        return _(
            "%(count)s van de %(total)s cellen zijn niet beoordeeld; SMAA laat ze over de hele "
            "schaal variëren."
        ) % {"count": _text(params.get("count")), "total": _text(params.get("total"))}
    if code == "reach_assumed":
        return _(
            "%(count)s beoordeelde cellen geven geen bereik; dan is aangenomen dat de hele groep "
            "geraakt wordt."
        ) % {"count": _text(params.get("count"))}
    if code == "reach_capped":
        return _(
            "%(count)s cellen bereiken meer mensen dan de groep telt; het bereik is afgekapt op "
            "de hele groep."
        ) % {"count": _text(params.get("count"))}
    if code == "constraints_strict":
        return _(
            "De ordeningen van de gewichten laten maar %(share)s van de getrokken wegingen toe."
        ) % {"share": _pct(params.get("acceptance"))}
    if code == "synthetic":
        return _("De afweging bevat synthetische demowaarden, geen echte oordelen.")
    return _text(w.get("message"))


def _summary(
    result: Mapping[str, Any],
    *,
    ids: Sequence[str],
    names: Mapping[str, str],
    by_id: Mapping[str, Mapping[str, Any]],
    domain_names: Mapping[str, str],
    robustness: Mapping[str, Any],
    stacking: Sequence[Mapping[str, Any]],
    rights: Sequence[Mapping[str, Any]],
    etd: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The facts of the summary: magnitude, advice per option, flagged groups, rights and what
    drives the uncertainty. Everything else of the summary (ladder, robustness, matrix) is the
    same data as in the annex."""
    certainty_labels = _certainty_labels()
    groups = list(robustness.get("groups") or [])
    advice = [
        {
            "name": e["name"],
            "advice": e["advice"],
            "advice_key": e["advice_key"],
            "certainty": e["certainty_computed"] or "–",
        }
        for e in etd
    ]
    flagged = [s for s in stacking if s.get("flag")]
    rights_rows = []
    for r in rights:
        absolute = [t["title"] for t in r["touched"] if t["absolute"]]
        failed = [t["question"] for t in r["tests"] if t.get("answer_key") == "no"]
        rights_rows.append(
            {
                "name": r["name"],
                "touched": len(r["touched"]),
                "absolute": ", ".join(absolute) or _("geen"),
                "absolute_any": bool(absolute),
                "open_questions": _text(r["open_questions"]) or "0",
                "failed": ", ".join(failed) or "–",
            }
        )
    warnings = [_warning_dict(w) for w in result.get("warnings") or []]
    shares: dict[str, float] = {}
    for w in warnings:
        raw = w.get("params")
        params: dict[str, Any] = raw if isinstance(raw, dict) else {}
        share = _finite(params.get("weight_share"))
        if w.get("code") == "explicit_unknown" and share is not None:
            shares[str(params.get("option"))] = share
    uncertainty_rows = []
    for oid in ids:
        option = by_id.get(oid, {})
        cells = option.get("cells") or {}
        uncertainty_rows.append(
            {
                "name": names.get(oid, oid),
                "unknown": _text(cells.get("unknown", 0)),
                "not_assessed": _text(cells.get("not_assessed", 0)),
                "share": _pct(shares[oid])
                if oid in shares
                else (
                    _pct(0.0) if not cells.get("unknown") and not cells.get("not_assessed") else "–"
                ),
                "certainty": certainty_labels.get(
                    str(option.get("certainty") or ""), _text(option.get("certainty"))
                ),
            }
        )
    notes = [
        warning_text(w, names)
        for w in warnings
        if w.get("code") in ("not_assessed", "reach_assumed", "reach_capped", "constraints_strict")
    ]
    decisive = list(robustness.get("decisive") or [])
    if decisive:
        notes.insert(
            0,
            _("Het gewicht van %(domains)s bepaalt de volgorde het meest (beslissende domeinen).")
            % {"domains": _join(decisive)},
        )
    return {
        "magnitude": magnitude(result),
        "groups": groups[:SUMMARY_GROUP_STATEMENTS],
        "groups_more": max(0, len(groups) - SUMMARY_GROUP_STATEMENTS)
        + int(robustness.get("groups_omitted") or 0),
        "advice": advice,
        "flagged": flagged,
        "rights": rights_rows,
        "uncertainty": uncertainty_rows,
        "uncertainty_notes": notes,
    }


def report_data(
    document: Mapping[str, Any],
    result: Mapping[str, Any],
    *,
    language: str = "nl",
    version: int | None = None,
    methodology_url: str = METHODOLOGY_PATH,
) -> dict[str, Any]:
    """Everything the report shows, as plain data (see the module docstring)."""
    if not isinstance(result, Mapping) or not isinstance(result.get("options"), list):
        raise ReportError(_("Het resultaat heeft geen opties: is de analyse gedraaid?"))
    lang = _lang(language)
    with translation.override(lang):
        return _report_data(document or {}, result, lang, version, methodology_url)


def _report_data(
    document: Mapping[str, Any],
    result: Mapping[str, Any],
    lang: str,
    version: int | None,
    methodology_url: str,
) -> dict[str, Any]:
    effect_labels = _effect_labels()
    certainty_labels = _certainty_labels()
    meta = result.get("assessment") or {}
    options = _list(result, "options")
    ids = [str(o.get("id")) for o in options]
    by_id = {str(o.get("id")): o for o in options}
    names = {oid: str(by_id[oid].get("name") or oid) for oid in ids}
    domains = _list(result, "domains")
    groups = _list(result, "groups")
    domain_names = {str(d.get("key")): str(d.get("name") or d.get("key")) for d in domains}
    group_names = {str(g.get("key")): str(g.get("name") or g.get("key")) for g in groups}
    doc_options = {
        str(o.get("id")): o for o in document.get("options") or [] if isinstance(o, dict)
    }
    synthetic = bool(meta.get("synthetic") or document.get("synthetic"))

    # the ladder
    ladder = []
    for entry in _ladder_entries(result):
        oid = str(entry.get("option"))
        option = by_id.get(oid, {})
        score = option.get("score") or {}
        cells = option.get("cells") or {}
        ladder.append(
            {
                "position": entry.get("position"),
                "id": oid,
                "name": names.get(oid, oid),
                "zero": bool(option.get("zero")),
                "score": _num(entry.get("score", score.get("explicit"))),
                "band": _range(score.get("p05"), score.get("p95")),
                "rank1": _pct(entry.get("rank1_share")),
                "beats_next": _pct(entry.get("beats_next"))
                if entry.get("beats_next") is not None
                else "",
                "expected_rank": _num(option.get("expected_rank"), 1),
                "explicit_rank": _text(option.get("explicit_rank")) or "–",
                "certainty": certainty_labels.get(
                    str(option.get("certainty") or ""), _text(option.get("certainty"))
                ),
                "cells": _("%(a)s beoordeeld, %(u)s onbekend, %(n)s niet beoordeeld")
                % {
                    "a": cells.get("assessed", 0),
                    "u": cells.get("unknown", 0),
                    "n": cells.get("not_assessed", 0),
                },
            }
        )

    # rank acceptability
    m = len(options)
    rank_rows = []
    for option in sorted(options, key=lambda o: _finite(o.get("expected_rank")) or 0):
        shares = list(option.get("rank_acceptability") or [])
        rank_rows.append(
            {
                "name": names[str(option.get("id"))],
                "shares": [_pct(s) for s in shares] + ["–"] * max(0, m - len(shares)),
                "expected_rank": _num(option.get("expected_rank"), 1),
                "confidence": _pct(option.get("confidence"))
                if option.get("confidence") is not None
                else "–",
                "holistic": _num(option.get("holistic"), 2),
            }
        )

    # the matrix: effectiveness from the result only (masked for the reader)
    outcome_labels = _outcome_labels()
    matrix_rows = []
    masked_any = False
    for row in _list(result, "matrix"):
        oid = str(row.get("option"))
        option = by_id.get(oid, {})
        masked = bool(row.get("masked"))
        masked_any = masked_any or masked
        effectiveness = option.get("effectiveness") or {}
        has_effect = not masked and _finite(row.get("effect")) is not None
        if masked:
            effect_text = _("vertrouwelijk (niet zichtbaar voor u)")
        elif has_effect:
            effect_text = _num(row.get("effect"))
        else:
            effect_text = _("niet opgegeven")
        matrix_rows.append(
            {
                "id": oid,
                "name": names.get(oid, oid),
                "impact": row.get("impact"),
                "impact_low": row.get("impact_low"),
                "impact_high": row.get("impact_high"),
                "impact_text": _num(row.get("impact")),
                "impact_range": _range(row.get("impact_low"), row.get("impact_high")),
                "effect": None if masked else row.get("effect"),
                "effect_low": None if masked else row.get("effect_low"),
                "effect_high": None if masked else row.get("effect_high"),
                "effect_text": effect_text,
                "effect_range": "–"
                if masked
                else _range(row.get("effect_low"), row.get("effect_high")),
                "outcome": ""
                if masked
                else outcome_labels.get(str(row.get("outcome") or ""), _text(row.get("outcome"))),
                "unit": "" if masked else _text(row.get("unit")),
                "source": "" if masked else _text(row.get("source")),
                "masked": masked,
                "confidential": bool(effectiveness.get("confidential")) and not masked,
            }
        )
        last = matrix_rows[-1]
        last["impact_full"] = (
            f"{last['impact_text']} ({last['impact_range']})"
            if last["impact_range"] != "–"
            else last["impact_text"]
        )
        last["effect_full"] = (
            f"{effect_text} ({last['effect_range']})"
            if has_effect and last["effect_range"] != "–"
            else effect_text
        )
        last["outcome_full"] = ", ".join(t for t in (last["outcome"], last["unit"]) if t) or "–"
    svg = matrix_svg(matrix_rows)

    # the distribution: domains × groups per option
    distribution = []
    dist = result.get("distribution") or {}
    for oid in ids:
        grid = dist.get(oid)
        if not isinstance(grid, list):
            continue
        rows = []
        for d_index, domain in enumerate(domains):
            line = grid[d_index] if d_index < len(grid) and isinstance(grid[d_index], list) else []
            cells = []
            for g_index, _group in enumerate(groups):
                cell = (
                    line[g_index] if g_index < len(line) and isinstance(line[g_index], dict) else {}
                )
                state = str(cell.get("state") or "not_assessed")
                effect = str(cell.get("effect") or "")
                if state == "not_assessed":
                    text, css = _("niet beoordeeld"), "cell-na"
                elif state == "unknown" or effect == "unknown":
                    text, css = _("onbekend"), "cell-unknown"
                else:
                    text = effect_labels.get(effect, effect or _num(cell.get("value")))
                    level = EFFECT_LEVELS.get(effect, 0)
                    css = f"cell-{'n' if level < 0 else 'p'}{abs(level)}"
                certainty = str(cell.get("certainty") or "")
                detail = ""
                if state == "assessed":
                    detail = _("waarde %(v)s (%(r)s)") % {
                        "v": _num(cell.get("value")),
                        "r": _range(cell.get("low"), cell.get("high")),
                    }
                cells.append(
                    {
                        "symbol": effect_symbol(effect, state),
                        "text": text,
                        "css": css,
                        "state": state,
                        "certainty": certainty_labels.get(certainty, certainty)
                        if state == "assessed"
                        else "",
                        "detail": detail,
                    }
                )
            rows.append({"domain": domain_names.get(str(domain.get("key")), ""), "cells": cells})
        distribution.append({"id": oid, "name": names[oid], "rows": rows})

    # stacking per group
    reason_labels = {
        "vulnerable_multiple_domains": _("kwetsbare groep, negatief in meerdere domeinen"),
        "cumulative_grows": _("de last stapelt op eerdere pakketten"),
    }
    stacking_option = ""
    stacking = []
    for row in _list(result, "stacking"):
        key = str(row.get("group"))
        stacking_option = stacking_option or names.get(str(row.get("option") or ""), "")
        negative = row.get("negative_domains")
        if isinstance(negative, list):
            negative_text = ", ".join(domain_names.get(str(k), str(k)) for k in negative) or "–"
        else:
            negative_text = _text(negative) or "–"
        by_option = row.get("burden_by_option") or {}
        history = [
            f"{_text(h.get('label'))}: {_num(h.get('burden'))}"
            for h in row.get("history") or []
            if isinstance(h, dict)
        ]
        stacking.append(
            {
                "group": group_names.get(key, key),
                "vulnerable": bool(row.get("vulnerable")),
                "negative_domains": negative_text,
                "burden": _num(row.get("burden")),
                "by_option": [_num(by_option.get(oid)) for oid in ids],
                "history": "; ".join(history) or "–",
                "cumulative": _num(row.get("cumulative")),
                "flag": bool(row.get("flag")),
                "reasons": "; ".join(
                    reason_labels.get(str(r), _text(r)) for r in row.get("reasons") or []
                ),
            }
        )

    # dominance
    dominance = []
    for row in _list(result, "dominance"):
        values = {
            "a": names.get(str(row.get("better")), _text(row.get("better"))),
            "b": names.get(str(row.get("worse")), _text(row.get("worse"))),
        }
        if row.get("certain"):
            dominance.append(
                _(
                    "%(a)s is voor elk domein en elke groep niet slechter dan %(b)s, ook binnen "
                    "de onzekerheidsmarges: %(b)s valt af, welke weging ook wordt gekozen."
                )
                % values
            )
        else:
            dominance.append(
                _(
                    "%(a)s is voor elk domein en elke groep niet slechter dan %(b)s op de "
                    "meest waarschijnlijke oordelen (niet zeker binnen de marges)."
                )
                % values
            )

    # explanation
    explanation = []
    expl = result.get("explanation") or {}
    for oid in ids:
        entries = [
            e
            for e in expl.get(oid) or []
            if isinstance(e, dict) and (_finite(e.get("contribution")) or 0.0) != 0.0
        ]
        entries.sort(key=lambda e: -abs(_finite(e.get("contribution")) or 0.0))
        explanation.append(
            {
                "name": names[oid],
                "cells": [
                    {
                        "domain": domain_names.get(str(e.get("domain")), _text(e.get("domain"))),
                        "group": group_names.get(str(e.get("group")), _text(e.get("group"))),
                        "value": _num(e.get("value")),
                        "weight": _num(e.get("weight"), 3),
                        "contribution": _num(e.get("contribution"), 3),
                    }
                    for e in entries[:TOP_CELLS]
                ],
            }
        )

    # sensitivity
    sensitivity = []
    for row in _list(result, "sensitivity"):
        weights = list(row.get("weights") or [])
        orders = list(row.get("orders") or [])
        steps = []
        previous = None
        for w, order in zip(weights, orders, strict=False):
            text = " > ".join(names.get(str(o), str(o)) for o in order or [])
            if text != previous:
                steps.append(_("vanaf gewicht %(w)s: %(order)s") % {"w": _num(w), "order": text})
                previous = text
        sensitivity.append(
            {
                "domain": domain_names.get(str(row.get("domain")), _text(row.get("domain"))),
                "current": _num(row.get("current"), 3),
                "steps": steps,
                "switch_points": ", ".join(
                    _switch_point(p, names) for p in row.get("switch_points") or []
                )
                or _("geen"),
            }
        )

    # rights and values
    answer_labels = _answer_labels()
    test_labels = _test_labels()
    checklist_labels = _checklist_labels()
    catalogue = {
        str(r.get("key")): r for r in document.get("rights_catalogue") or [] if isinstance(r, dict)
    }
    rights = []
    rights_result = result.get("rights") or {}
    for oid in ids:
        entry = rights_result.get(oid) or {}
        doc_rights = (doc_options.get(oid) or {}).get("rights") or {}

        def answers(kind: str, labels: Mapping[str, str]) -> list[dict[str, str]]:
            given = entry.get(kind) or doc_rights.get(kind) or {}  # noqa: B023
            return [
                {
                    "question": label,
                    "answer": answer_labels.get(
                        str((given.get(key) or {}).get("answer") or ""),
                        _text((given.get(key) or {}).get("answer")),
                    ),
                    "answer_key": str((given.get(key) or {}).get("answer") or ""),
                    "note": _text((given.get(key) or {}).get("note")),
                }
                for key, label in labels.items()
            ]

        touched = []
        for item in entry.get("touched") or doc_rights.get("touched") or []:
            if not isinstance(item, dict):
                continue
            key = str(item.get("right") or item.get("key") or "")
            known = catalogue.get(key) or {}
            title = item.get("title") or known.get("title") or key
            article = item.get("article") or known.get("article") or ""
            instrument = item.get("instrument") or known.get("instrument") or ""
            source = f"{str(instrument).upper()} art. {article}" if article else ""
            touched.append(
                {
                    "title": _text(title),
                    "source": source,
                    "absolute": bool(item.get("absolute") or known.get("absolute")),
                    "note": _text(item.get("note")),
                }
            )
        rights.append(
            {
                "name": names[oid],
                "tests": answers("tests", test_labels),
                "checklist": answers("checklist", checklist_labels),
                "touched": touched,
                "open_questions": entry.get("open_questions", 0),
            }
        )
    lens_labels = _lens_labels()
    lenses = []
    lens_result = result.get("lenses") or {}
    for oid in ids:
        values = (doc_options.get(oid) or {}).get("values") or {}
        computed = lens_result.get(oid) or {}
        items = []
        for key, label in lens_labels.items():
            lens = computed.get(key)
            text = _text(values.get(key)) or (
                _text(lens.get("note")) if isinstance(lens, dict) else ""
            )
            items.append(
                {
                    "label": label,
                    "text": text,
                    "facts": _lens_facts(lens, domain_names, group_names),
                }
            )
        lenses.append({"name": names[oid], "lenses": items})

    # evidence to decision
    advice_labels = _advice_labels()
    etd_labels = _etd_labels()
    etd = []
    etd_result = result.get("etd") or {}
    for oid in ids:
        entry = {**((doc_options.get(oid) or {}).get("etd") or {}), **(etd_result.get(oid) or {})}
        advice = str(entry.get("advice") or "")
        etd.append(
            {
                "name": names[oid],
                "rows": [
                    {"label": label, "text": _text(entry.get(key)) or "–"}
                    for key, label in etd_labels.items()
                ],
                "certainty_computed": certainty_labels.get(
                    str(entry.get("certainty_computed") or ""),
                    _text(entry.get("certainty_computed")),
                ),
                "advice": advice_labels.get(advice, advice),
                "advice_key": advice,
                "rationale": _text(entry.get("rationale")),
            }
        )

    # evidence
    knowledge_labels = _knowledge_labels()
    evidence = [
        {
            "ref": _text(e.get("ref")),
            "title": _text(e.get("title")),
            "certainty": certainty_labels.get(
                str(e.get("certainty") or ""), _text(e.get("certainty"))
            ),
            "knowledge_class": knowledge_labels.get(
                str(e.get("knowledge_class") or ""), _text(e.get("knowledge_class"))
            ),
            "cells": _text(e.get("cells")) or "0",
        }
        for e in _list(result, "evidence")
    ]

    # parameters
    params = result.get("parameters") or {}
    weights = params.get("weights") or {}

    def weight_text(level: Mapping[str, Any], labels: Mapping[str, str]) -> str:
        if not level:
            return _("gelijke gewichten")
        return ", ".join(f"{labels.get(str(k), str(k))} {_num(v, 3)}" for k, v in level.items())

    constraint_texts = []
    for c in params.get("constraints") or []:
        if not isinstance(c, dict):
            continue
        labels = domain_names if c.get("level") == "domain" else group_names
        constraint_texts.append(
            _("%(more)s weegt minstens zo zwaar als %(less)s")
            % {
                "more": labels.get(str(c.get("more")), _text(c.get("more"))),
                "less": labels.get(str(c.get("less")), _text(c.get("less"))),
            }
        )
    scale = params.get("scale") or [-3, 3]
    spread = params.get("certainty_spread") or {}
    parameters = [
        (_("Trekkingen (SMAA-2)"), _text(params.get("samples")) or "–"),
        (_("Seed"), _text(params.get("seed")) or "–"),
        (_("Verdeling van de oordelen"), _text(params.get("distribution")) or "–"),
        (_("Schaal"), f"{_num(scale[0], 0)} … {_num(scale[-1], 0)}" if scale else "–"),
        (
            _("Marge per zekerheid"),
            ", ".join(
                f"{certainty_labels.get(str(k), str(k))} ±{_num(v, 1)}" for k, v in spread.items()
            )
            or "–",
        ),
        (
            _("Herkomst van de gewichten"),
            {"equal": _("gelijke gewichten"), "explicit": _("opgegeven in de afweging")}.get(
                str(params.get("weights_source") or ""), _text(params.get("weights_source")) or "–"
            ),
        ),
        (
            _("Gewichten domeinen (expliciete weergave)"),
            weight_text(weights.get("domains") or {}, domain_names),
        ),
        (
            _("Gewichten groepen (expliciete weergave)"),
            weight_text(weights.get("groups") or {}, group_names),
        ),
        (_("Ordeningen van gewichten"), "; ".join(constraint_texts) or _("geen")),
        (
            _("Aanvaarde trekkingen"),
            _pct(params.get("acceptance")) if params.get("acceptance") is not None else "–",
        ),
    ]

    beleidskompas = document.get("beleidskompas") or {}
    preferred = str(beleidskompas.get("preferred_option") or "")
    title = _text(meta.get("title") or document.get("title"))
    date = _text(meta.get("date") or document.get("date"))
    robustness = robustness_statements(result)
    summary = _summary(
        result,
        ids=ids,
        names=names,
        by_id=by_id,
        domain_names=domain_names,
        robustness=robustness,
        stacking=stacking,
        rights=rights,
        etd=etd,
    )
    return {
        "lang": lang,
        "title": title,
        "doc_title": _("Afweging: %(title)s") % {"title": title},
        "id": _text(meta.get("id") or document.get("id")),
        "question": _text(meta.get("question") or document.get("question")),
        "context": _text(document.get("context")),
        "date": date,
        "scenario_level": _text(meta.get("scenario_level") or document.get("scenario_level")),
        "version": version,
        "synthetic": synthetic,
        "problem": _text(beleidskompas.get("problem")),
        "goal": _text(beleidskompas.get("goal")),
        "preferred": names.get(preferred, preferred),
        "preferred_rationale": _text(beleidskompas.get("preferred_rationale")),
        "option_names": [names[oid] for oid in ids],
        "option_ids": ids,
        "descriptions": [
            {
                "name": names[oid],
                "zero": bool(by_id[oid].get("zero")),
                "text": _text((doc_options.get(oid) or {}).get("description")),
            }
            for oid in ids
        ],
        "ladder": ladder,
        "robustness": robustness,
        "ranks": list(range(1, m + 1)),
        "rank_rows": rank_rows,
        "matrix": matrix_rows,
        "matrix_svg": mark_safe(svg),  # noqa: S308 - built here with escaped text only
        "masked_any": masked_any,
        "group_names": [group_names[str(g.get("key"))] for g in groups],
        "group_vulnerable": [bool(g.get("vulnerable")) for g in groups],
        "distribution": distribution,
        "stacking": stacking,
        "stacking_option": stacking_option,
        "dominance": dominance,
        "explanation": explanation,
        "sensitivity": sensitivity,
        "rights": rights,
        "lenses": lenses,
        "etd": etd,
        "evidence": evidence,
        "parameters": parameters,
        "summary": summary,
        "warnings": [warning_text(w, names) for w in result.get("warnings") or []],
        "methodology_url": methodology_url,
        "legend": [
            (effect_symbol(key), label) for key, label in effect_labels.items() if key != "unknown"
        ]
        + [("?", _("onbekend (wel bekeken)")), ("·", _("niet beoordeeld"))],
    }


# --- writers ---------------------------------------------------------------------------------


def report_filename(data_or_result: Mapping[str, Any], fmt: str, version: int | None = None) -> str:
    """``afweging-<id>[-v<n>].<fmt>``."""
    meta = data_or_result.get("assessment") or data_or_result
    slug = "".join(
        ch if ch.isalnum() or ch in "-_" else "-" for ch in str(meta.get("id") or "afweging")
    )[:80]
    suffix = f"-v{version}" if version else ""
    return f"afweging-{slug}{suffix}.{fmt}"


def render_html(data: Mapping[str, Any]) -> str:
    """The report as one standalone HTML document (styles inline, nothing linked)."""
    with translation.override(data["lang"]):
        return render_to_string(TEMPLATE, {"report": data})


def render_pdf(data: Mapping[str, Any]) -> bytes:
    """The report as a tagged A4 PDF (WeasyPrint); fetches nothing but the vendored fonts."""
    html = render_html(data)
    return pdf_render_fonts_only(html, what="assessment report PDF")


# --- Markdown escaping -------------------------------------------------------------------------
#
# Every text that reaches the Markdown writer (names, titles, rationales, notes and the generated
# sentences that quote them) is literal text: :func:`md_escape` makes sure no Markdown or HTML in
# it is interpreted. The structure (headings, emphasis, lists, tables) is added by the writer
# around escaped text only. Characters are escaped in two ways:
#
# * always: the characters that open inline markup or raw HTML anywhere in a line. Backslash
#   escapes for ``\ ` * _ { } [ ] # !`` (every Markdown dialect, CommonMark and Python-Markdown
#   alike, reads those), numeric or named entities for ``& < > | ~`` (``\<`` and ``\|`` are not
#   escapes in every dialect; ``&#124;`` never splits a table cell). With ``[`` and ``]``
#   escaped there is no link, image or link reference, so ``(`` and ``)`` need no escape there.
# * at the start of a line only: what would make the line a list item, a heading underline or a
#   thematic break (``-``, ``+``, ``=``, ``1.``, ``1)``); ``#``, ``>``, ``*``, ``_``, `` ` ``
#   and ``~`` are already escaped everywhere. Lines are stripped, so no indented code block.

_MD_ALWAYS = str.maketrans(
    {
        **{char: "\\" + char for char in "\\`*_{}[]#!"},
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
        "~": "&#126;",
    }
)
_MD_LEADING = re.compile(r"^(?:(\d+)([.)])|([-+=]))")
_MD_LEADING_ESCAPES = {"-": "\\-", "+": "\\+", "=": "&#61;", ".": "\\.", ")": "\\)"}


_MD_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # Markdown's whitespace (keeps no-break spaces)
_MD_NEWLINE = re.compile(r"\r\n|\r|\n")


def _md_escape_line(line: str) -> str:
    escaped = _MD_SPACE.sub(" ", line).strip(" ").translate(_MD_ALWAYS)

    def leading(match: re.Match[str]) -> str:
        if match.group(3):
            return _MD_LEADING_ESCAPES[match.group(3)]
        return match.group(1) + _MD_LEADING_ESCAPES[match.group(2)]

    return _MD_LEADING.sub(leading, escaped, count=1)


def md_escape(value: Any, *, block: bool = False) -> str:
    """``value`` as literal Markdown text: nothing in it is read as Markdown or HTML.

    Inline (headings, list items, table cells, emphasis): all on one line. ``block=True``
    (paragraphs): line breaks are kept, blank lines separate paragraphs."""
    text = _text(value)
    if not block:
        return _md_escape_line(text)
    paragraphs: list[list[str]] = [[]]
    for line in _MD_NEWLINE.split(text):
        if _MD_SPACE.sub("", line):
            paragraphs[-1].append(_md_escape_line(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _h in header) + "|")
    for row in rows:
        lines.append("| " + " | ".join(md_escape(c) for c in row) + " |")
    return [*lines, ""]


# The Word and Markdown reports are written from one list of blocks, in the order of the print
# template: ("h", level, text), ("p", text), ("strong", text), ("notice", text),
# ("labelled", label, text), ("bullets", [text]), ("table", caption, header, rows).
Block = tuple[Any, ...]


def _ladder_blocks(d: Mapping[str, Any]) -> list[Block]:
    s = d["summary"]
    rob = d["robustness"]
    blocks: list[Block] = [
        ("h", 3, _("Impactladder")),
        (
            "p",
            _(
                "Minst belastende optie bovenaan. Score op een schaal van −3 tot +3 (hoger is "
                "minder belasting), met de band van het 5e tot het 95e percentiel over alle "
                "trekkingen."
            ),
        ),
        (
            "table",
            _("Impactladder, minst belastende optie eerst"),
            [
                _("Plaats"),
                _("Optie"),
                _("Score"),
                _("Band 5–95 %"),
                _("Kans op plaats 1"),
                _("Zekerheid"),
            ],
            [
                [
                    e["position"],
                    e["name"] + (" (" + _("nuloptie") + ")" if e["zero"] else ""),
                    e["score"],
                    e["band"],
                    e["rank1"],
                    e["certainty"],
                ]
                for e in d["ladder"]
            ],
        ),
    ]
    if s["magnitude"]["sentence"]:
        blocks.append(("labelled", _("Grootte van de verschillen"), s["magnitude"]["sentence"]))
    blocks.append(
        ("labelled", _("Robuustheid (%(level)s)") % {"level": rob["level_label"]}, rob["headline"])
    )
    if rob["pairs"]:
        blocks.append(("bullets", list(rob["pairs"])))
    if s["groups"]:
        blocks.append(("strong", _("Per groep")))
        groups = list(s["groups"])
        if s["groups_more"]:
            groups.append(
                _("Nog %(n)s uitspraken per groep in de bijlage.") % {"n": s["groups_more"]}
            )
        blocks.append(("bullets", groups))
    blocks.append(("strong", _("Dominantie")))
    blocks.append(("bullets", list(d["dominance"]) or [_("Geen optie domineert een andere.")]))
    return blocks


def _summary_blocks(d: Mapping[str, Any]) -> list[Block]:
    s = d["summary"]
    blocks: list[Block] = [("h", 2, _("Samenvatting"))]
    meta = f"{_('Datum')}: {d['date'] or '–'}"
    if d["version"]:
        meta += f" · {_('Versie')}: {d['version']}"
    if d["scenario_level"]:
        meta += f" · {_('Scenario')}: {d['scenario_level']}"
    blocks += [("labelled", _("Adviesvraag"), d["question"]), ("p", meta)]
    blocks += _ladder_blocks(d)
    blocks += [
        ("h", 3, _("Effectiviteit en maatschappelijke impact")),
        (
            "table",
            _("Effectiviteit (medisch, overgenomen) tegenover maatschappelijke impact (gewogen)"),
            [
                _("Optie"),
                _("Maatschappelijke impact (band)"),
                _("Effectiviteit (marge)"),
                _("Uitkomst en eenheid"),
                _("Bron"),
            ],
            [
                [r["name"], r["impact_full"], r["effect_full"], r["outcome_full"], r["source"]]
                for r in d["matrix"]
            ],
        ),
        ("h", 3, _("Soort advies per optie")),
        (
            "table",
            _("Van bewijs naar besluit: het soort advies"),
            [_("Optie"), _("Advies"), _("Berekende zekerheid")],
            [[a["name"], a["advice"], a["certainty"]] for a in s["advice"]],
        ),
        ("h", 3, _("Gesignaleerde groepen (stapeling)")),
    ]
    if s["flagged"]:
        blocks.append(
            (
                "table",
                _("Groepen met een signaal voor stapeling van lasten"),
                [_("Groep"), _("Kwetsbaar"), _("Negatieve domeinen"), _("Cumulatief"), _("Reden")],
                [
                    [
                        f["group"],
                        _("ja") if f["vulnerable"] else _("nee"),
                        f["negative_domains"],
                        f["cumulative"],
                        f["reasons"] or "–",
                    ]
                    for f in s["flagged"]
                ],
            )
        )
    else:
        blocks.append(("p", _("Geen groep heeft een signaal voor stapeling.")))
    blocks += [
        ("h", 3, _("Grondrechten")),
        (
            "table",
            _("Grondrechten per optie"),
            [
                _("Optie"),
                _("Geraakte grondrechten"),
                _("Absolute rechten geraakt"),
                _("Open vragen"),
                _("Toetsen met ‘nee’"),
            ],
            [
                [r["name"], r["touched"], r["absolute"], r["open_questions"], r["failed"]]
                for r in s["rights"]
            ],
        ),
        ("h", 3, _("Wat de onzekerheid bepaalt")),
        (
            "p",
            _(
                "Onbekende en niet-beoordeelde cellen tellen in de score als 0; ‘gewicht in de "
                "score’ is hun aandeel in het gewicht."
            ),
        ),
        (
            "table",
            _("Onbekende en niet-beoordeelde cellen per optie"),
            [
                _("Optie"),
                _("Onbekend"),
                _("Niet beoordeeld"),
                _("Gewicht in de score"),
                _("Zekerheid"),
            ],
            [
                [u["name"], u["unknown"], u["not_assessed"], u["share"], u["certainty"]]
                for u in s["uncertainty"]
            ],
        ),
    ]
    if s["uncertainty_notes"]:
        blocks.append(("bullets", list(s["uncertainty_notes"])))
    return blocks


def _annex_blocks(d: Mapping[str, Any]) -> list[Block]:
    rob = d["robustness"]
    blocks: list[Block] = [
        ("h", 2, _("Bijlagen")),
        ("p", _("De details achter de samenvatting.")),
        ("h", 3, _("Context en opties")),
    ]
    if d["context"]:
        blocks.append(("p", d["context"]))
    if d["problem"]:
        blocks.append(("labelled", _("Probleem"), d["problem"]))
    if d["goal"]:
        blocks.append(("labelled", _("Beoogd doel"), d["goal"]))
    if d["preferred"]:
        text = d["preferred"] + (
            ": " + d["preferred_rationale"] if d["preferred_rationale"] else ""
        )
        blocks.append(("labelled", _("Voorkeursoptie"), text))
    blocks.append(
        (
            "bullets",
            [
                o["name"]
                + (" (" + _("nuloptie") + ")" if o["zero"] else "")
                + (": " + o["text"] if o["text"] else "")
                for o in d["descriptions"]
            ],
        )
    )
    blocks += [
        ("h", 3, _("Verdeling over domeinen en groepen")),
        ("p", _("Legenda") + ": " + "; ".join(f"{s} {label}" for s, label in d["legend"])),
    ]
    for option in d["distribution"]:
        blocks.append(
            (
                "table",
                _("Verdeling: %(name)s") % {"name": option["name"]},
                [_("Domein"), *list(d["group_names"])],
                [
                    [row["domain"]] + [f"{c['symbol']} {c['text']}" for c in row["cells"]]
                    for row in option["rows"]
                ],
            )
        )
    if d["stacking"]:
        blocks.append(("h", 4, _("Stapeling per groep")))
        if d["stacking_option"]:
            blocks.append(
                (
                    "p",
                    _("Negatieve domeinen, cumulatieve last en signaal gelden voor: %(name)s.")
                    % {"name": d["stacking_option"]},
                )
            )
        blocks.append(
            (
                "table",
                _("Last per groep over opties en eerdere pakketten"),
                [
                    _("Groep"),
                    _("Kwetsbaar"),
                    _("Negatieve domeinen"),
                    *list(d["option_names"]),
                    _("Eerdere pakketten"),
                    _("Cumulatief"),
                    _("Signaal"),
                ],
                [
                    [
                        s["group"],
                        _("ja") if s["vulnerable"] else _("nee"),
                        s["negative_domains"],
                        *s["by_option"],
                        s["history"],
                        s["cumulative"],
                        ("⚠ " + _("stapeling") + (": " + s["reasons"] if s["reasons"] else ""))
                        if s["flag"]
                        else "",
                    ]
                    for s in d["stacking"]
                ],
            )
        )
    blocks.append(("h", 3, _("Uitleg: grootste bijdragen")))
    for option in d["explanation"]:
        blocks.append(
            (
                "table",
                option["name"],
                [_("Domein"), _("Groep"), _("Waarde"), _("Gewicht"), _("Bijdrage")],
                [
                    [c["domain"], c["group"], c["value"], c["weight"], c["contribution"]]
                    for c in option["cells"]
                ],
            )
        )
    blocks += [
        ("h", 3, _("Kansen op elke plaats (SMAA-2)")),
        (
            "table",
            _("Aandeel van de trekkingen waarin een optie op een plaats staat"),
            [_("Optie")]
            + [_("plaats %(r)s") % {"r": r} for r in d["ranks"]]
            + [_("Verwachte plaats"), _("Betrouwbaarheid")],
            [
                [r["name"], *r["shares"], r["expected_rank"], r["confidence"]]
                for r in d["rank_rows"]
            ],
        ),
    ]
    if rob["groups"]:
        blocks.append(("h", 4, _("Robuustheid per groep")))
        blocks.append(("bullets", list(rob["groups"])))
    if d["sensitivity"]:
        blocks.append(("h", 3, _("Gevoeligheid voor gewichten")))
        for s in d["sensitivity"]:
            blocks.append(
                (
                    "labelled",
                    f"{s['domain']} ({_('huidig gewicht')} {s['current']})",
                    "; ".join(s["steps"]) + f" ({_('omslagpunten')}: {s['switch_points']})",
                )
            )
    blocks.append(("h", 3, _("Grondrechten en waarden")))
    for r in d["rights"]:
        blocks.append(("h", 4, r["name"]))
        blocks.append(
            (
                "table",
                _("Toetsen: %(name)s") % {"name": r["name"]},
                [_("Toets"), _("Antwoord"), _("Toelichting")],
                [[t["question"], t["answer"], t["note"]] for t in r["tests"]],
            )
        )
        if r["touched"]:
            blocks.append(("strong", _("Geraakte grondrechten")))
            blocks.append(
                (
                    "bullets",
                    [
                        t["title"]
                        + (f" ({t['source']})" if t["source"] else "")
                        + (" — " + _("absoluut recht") if t["absolute"] else "")
                        + (": " + t["note"] if t["note"] else "")
                        for t in r["touched"]
                    ],
                )
            )
    for lens in d["lenses"]:
        blocks.append(("h", 4, _("Waarden: %(name)s") % {"name": lens["name"]}))
        for item in lens["lenses"]:
            facts = "; ".join(f"{k}: {v}" if k else v for k, v in item["facts"])
            blocks.append(
                (
                    "labelled",
                    item["label"],
                    (item["text"] or "–") + (f" ({facts})" if facts else ""),
                )
            )
    blocks.append(("h", 3, _("Van bewijs naar besluit")))
    for e in d["etd"]:
        blocks.append(("h", 4, f"{e['name']}: {e['advice']}"))
        blocks += [("labelled", row["label"], row["text"]) for row in e["rows"]]
        blocks.append(("labelled", _("Berekende zekerheid"), e["certainty_computed"] or "–"))
        if e["rationale"]:
            blocks.append(("labelled", _("Onderbouwing"), e["rationale"]))
    blocks += [
        ("h", 3, _("Bewijs")),
        (
            "table",
            _("Bewijs met zekerheid en kennissoort"),
            [_("Referentie"), _("Titel"), _("Zekerheid"), _("Kennissoort"), _("Cellen")],
            [
                [e["ref"], e["title"], e["certainty"], e["knowledge_class"], e["cells"]]
                for e in d["evidence"]
            ],
        ),
        ("h", 3, _("Parameters")),
    ]
    blocks += [("labelled", label, value) for label, value in d["parameters"]]
    blocks.append(
        ("p", _("Uitleg van elke formule en parameter: %(url)s") % {"url": d["methodology_url"]})
    )
    if d["warnings"]:
        blocks += [("h", 4, _("Waarschuwingen")), ("bullets", list(d["warnings"]))]
    return blocks


def report_blocks(d: Mapping[str, Any]) -> list[Block]:
    """The whole report as blocks: title, synthetic label, the summary, then the annex."""
    blocks: list[Block] = [("h", 1, d["doc_title"])]
    if d["synthetic"]:
        blocks.append(
            (
                "notice",
                _("Synthetisch: demowaarden, geen echte oordelen. Niet gebruiken voor besluiten."),
            )
        )
    return blocks + _summary_blocks(d) + _annex_blocks(d)


def render_markdown(data: Mapping[str, Any]) -> str:
    """The report as plain Markdown (the same content as the PDF, tables instead of charts)."""
    with translation.override(data["lang"]):
        return "\n".join(_markdown_lines(report_blocks(data))) + "\n"


def _markdown_lines(blocks: Iterable[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out += ["#" * block[1] + " " + md_escape(block[2]), ""]
        elif kind == "p":
            out += [md_escape(block[1], block=True), ""]
        elif kind in ("strong", "notice"):
            out += [f"**{md_escape(block[1])}**", ""]
        elif kind == "labelled":
            out += [f"**{md_escape(block[1])}:** {md_escape(block[2], block=True)}", ""]
        elif kind == "bullets":
            out += [f"- {md_escape(item)}" for item in block[1]] + [""]
        elif kind == "table":
            out += [f"*{md_escape(block[1])}*", ""]
            out += _md_table(block[2], block[3])
    return out


def _docx_table(
    doc: Any, caption: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Any:
    return docx_table(doc, caption, header, rows, font_size=8, text=_text)


def render_docx(data: Mapping[str, Any]) -> bytes:
    """The report as a Word document with the content of the PDF (tables instead of the SVG);
    the annex starts on a new page."""
    from docx.enum.text import WD_BREAK
    from docx.shared import RGBColor

    d = data
    with translation.override(d["lang"]):
        doc = docx_a4_document(
            lang=d["lang"],
            title=d["doc_title"],
            subject=d["question"][:250],
            keywords="afweging, impactladder",
            header=d["doc_title"] + (" · " + _("synthetisch") if d["synthetic"] else ""),
        )
        annex = _("Bijlagen")

        for block in report_blocks(d):
            kind = block[0]
            if kind == "h":
                if block[1] == 2 and block[2] == annex:
                    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                doc.add_heading(_text(block[2]), level=block[1])
            elif kind == "p":
                doc.add_paragraph(_text(block[1]))
            elif kind == "strong":
                doc.add_paragraph().add_run(_text(block[1])).bold = True
            elif kind == "notice":
                run = doc.add_paragraph().add_run(_text(block[1]))
                run.bold = True
                run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
            elif kind == "labelled":
                para = doc.add_paragraph()
                para.add_run(_text(block[1]) + ": ").bold = True
                para.add_run(_text(block[2]))
            elif kind == "bullets":
                for item in block[1]:
                    doc.add_paragraph(_text(item), style="List Bullet")
            elif kind == "table":
                _docx_table(doc, block[1], block[2], block[3])
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def render(
    document: Mapping[str, Any],
    result: Mapping[str, Any],
    *,
    fmt: str,
    language: str = "nl",
    version: int | None = None,
    methodology_url: str = METHODOLOGY_PATH,
) -> bytes:
    """The report in ``fmt`` (html, pdf, docx, md, json) as bytes.

    ``json`` is the result itself (UTF-8, indented). ``result`` must already be masked for the
    reader; the effectiveness is taken from it only."""
    if fmt not in FORMATS:
        raise ReportError(
            _("Onbekend formaat %(fmt)s; kies uit %(choices)s.")
            % {"fmt": fmt, "choices": ", ".join(FORMATS)}
        )
    if fmt == "json":
        return (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    data = report_data(
        document, result, language=language, version=version, methodology_url=methodology_url
    )
    if fmt == "html":
        return render_html(data).encode("utf-8")
    if fmt == "md":
        return render_markdown(data).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(data)
    return render_docx(data)
