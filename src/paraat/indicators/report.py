"""The periodic 'maatschappelijk beeld' report for briefings: PDF and DOCX.

:func:`report_data` assembles plain dataclasses (:class:`Report`) from the figures *as known
at the peildatum* (``as_of``: every figure is the latest vintage up to that moment, later
revisions are left out), for one reader: the report holds only what that reader may see, and
with ``public=True`` only public material whatever the reader may see. :func:`report_pdf`
(WeasyPrint, template ``indicators/report_print.html``) and :func:`report_docx` (python-docx)
render the same content; neither touches the database.

What the report holds
---------------------
* per domain (taxonomy order) every visible indicator with its latest period known at the
  peildatum: value and unit, provisional or not, the change since the previous period and
  since the same period a year earlier, the direction of the medium-term trend and the
  judgement by the indicator's polarity, freshness measured on the peildatum, source and
  licence, and a "synthetisch" label for demo values (tiles of
  :func:`paraat.indicators.dashboard.dashboard` with ``today`` = the peildatum);
* the signals raised on figures known at the peildatum (``data_vintage <= as_of``; one per
  rule, series and period: the one on the latest figures), with their explanation;
* each visible composite index, from the run computed *for exactly this as_of* (reused when
  one exists, else computed now with :data:`COMPOSITE_DRAWS` draws and stored): its latest
  value is never shown without its 5–95 % band, the largest contributions to its latest
  change, its members with their weights, and its method choices. Members the reader may not
  see are named "niet-openbare indicator";
* a short methods section, the sources and a colophon (generated when, by whom, "cijfers
  zoals bekend op <datum>").
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality, User
from paraat.accounts.selectors import AnyUser
from paraat.indicators.models import (
    Aggregation,
    CompositeIndex,
    CompositeRun,
    MissingData,
    Normalisation,
    Polarity,
    Severity,
    Signal,
    SignalKind,
)
from paraat.indicators.selectors import composite_indices_visible, masked_parts, signals_visible
from paraat_core.periods import PeriodError, parse_period

__all__ = [
    "COMPOSITE_DRAWS",
    "Report",
    "report_data",
    "report_docx",
    "report_filename",
    "report_html",
    "report_pdf",
]

from paraat.web.printing import (
    FONT_DIR,  # noqa: F401 (the tests read it here)
    docx_a4_document,
    docx_table,
    font_url_fetcher,
    pdf_render_fonts_only,
)

TEMPLATE = "indicators/report_print.html"
#: Monte Carlo draws when the composite index has to be computed for the report's peildatum.
COMPOSITE_DRAWS = 2000
#: At most this many signals (newest period first); the report says how many were left out.
MAX_SIGNALS = 40
#: The largest contributions to the composite's latest change that the report names.
TOP_PARTS = 5


# --- the report as plain data -----------------------------------------------------------------


@dataclass
class IndicatorLine:
    key: str
    name: str
    unit: str
    period: str  # label of the latest period known ("" without figures)
    period_code: str
    value: float | None
    value_display: str
    is_provisional: bool
    status_label: str
    change_previous: str
    change_previous_against: str
    change_year: str
    change_year_against: str
    direction: str
    judgement: str
    polarity: str
    freshness: str
    freshness_reason: str
    speed: str
    source: str
    source_url: str
    licence: str
    is_synthetic: bool
    is_public: bool

    @property
    def value_with_unit(self) -> str:
        if self.value is None:
            return self.value_display
        unit = self.unit.strip()
        if not unit:
            return self.value_display
        return f"{self.value_display}{'' if unit == '%' else ' '}{unit}"


@dataclass
class DomainSection:
    name: str
    indicators: list[IndicatorLine]


@dataclass
class SignalLine:
    indicator: str
    period: str
    severity: str
    severity_label: str
    kind_label: str
    description: str
    on_provisional: bool
    is_synthetic: bool


@dataclass
class CompositePart:
    name: str
    value_display: str
    visible: bool


@dataclass
class CompositeMember:
    name: str
    weight_display: str
    share_display: str
    polarity: str
    visible: bool


@dataclass
class CompositeSection:
    key: str
    name: str
    description: str
    available: bool
    note: str = ""
    period: str = ""
    value: float | None = None
    p05: float | None = None
    p95: float | None = None
    value_display: str = ""
    band_display: str = ""
    coverage_display: str = ""
    change_display: str = ""
    change_from: str = ""
    parts: list[CompositePart] = field(default_factory=list)
    members: list[CompositeMember] = field(default_factory=list)
    methods: list[tuple[str, str]] = field(default_factory=list)
    sensitivity: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    run_line: str = ""
    is_public: bool = True


@dataclass
class SourceLine:
    indicator: str
    source: str
    licence: str
    url: str
    is_synthetic: bool


@dataclass
class Report:
    title: str
    subtitle: str
    peildatum: dt.date
    peildatum_label: str
    as_of: dt.datetime
    lang: str
    public: bool
    audience_label: str
    has_restricted: bool
    generated_at: dt.datetime
    generated_at_label: str
    generated_by: str
    sections: list[DomainSection]
    signals: list[SignalLine]
    signals_omitted: int
    composites: list[CompositeSection]
    methods: list[tuple[str, str]]
    sources: list[SourceLine]
    has_synthetic: bool
    colophon: list[str]

    @property
    def indicator_count(self) -> int:
        return sum(len(section.indicators) for section in self.sections)

    @property
    def doc_title(self) -> str:
        return f"{self.title} — {self.peildatum_label}"


# --- helpers ----------------------------------------------------------------------------------


def _number(value: float | None, decimals: int) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    rounded = round(value, decimals) + 0.0  # no "-0,0"
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True)


def _signed(value: float | None, decimals: int) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if round(value, decimals) == 0:
        return _number(0.0, decimals)
    return ("+" if value > 0 else "−") + _number(abs(value), decimals)


def _day(value: dt.date) -> str:
    return formats.date_format(value, "j F Y", use_l10n=True)


def _moment(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return formats.date_format(local, "j F Y, H:i", use_l10n=True)


def _period_label(code: str, lang: str) -> str:
    try:
        return parse_period(code).label(lang)
    except (PeriodError, ValueError):
        return code


def _nbsp(text: str) -> str:
    """Keep a number and its per cent sign on one line."""
    return text.replace(" %", "\u00a0%")


def _lang(language: str | None) -> str:
    text = (language or translation.get_language() or "nl").lower()
    return "en" if text.startswith("en") else "nl"


def _person(user: AnyUser | User | None) -> str:
    if user is None or not user.is_authenticated:
        return _("onbekend")
    assert isinstance(user, User)
    return user.get_full_name() or user.get_username()


def report_as_of(day: dt.date) -> dt.datetime:
    """The moment a report for peildatum ``day`` looks at: the end of that day (local time),
    or now when that is still to come."""
    end = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    return min(end, timezone.now())


# --- indicators -------------------------------------------------------------------------------


def _indicator_lines(
    viewer: AnyUser | User, as_of: dt.datetime, today: dt.date
) -> list[DomainSection]:
    """The dashboard's tiles as known at ``as_of``, freshness judged on ``today``."""
    from paraat.indicators.dashboard import dashboard
    from paraat.indicators.models import ObservationStatus

    board = dashboard(viewer, as_of=as_of, today=today)
    statuses = dict(ObservationStatus.choices)
    polarities = dict(Polarity.choices)
    sections: list[DomainSection] = []
    for section in board.sections:
        lines = []
        for tile in section.tiles:
            ind = tile.indicator
            latest = (
                tile.latest if tile.latest is not None and tile.latest.value is not None else None
            )
            cp, cy = tile.change_previous, tile.change_year
            lines.append(
                IndicatorLine(
                    key=ind.key,
                    name=ind.name,
                    unit=ind.unit,
                    period=tile.latest_label if latest else "",
                    period_code=latest.period.code if latest else "",
                    value=latest.value if latest else None,
                    value_display=tile.value_display if latest else "–",
                    is_provisional=tile.is_provisional,
                    status_label=str(statuses.get(latest.status, latest.status)) if latest else "",
                    change_previous=_nbsp(cp.text) if cp else "–",
                    change_previous_against=cp.against_label if cp else "",
                    change_year=_nbsp(cy.text) if cy else "–",
                    change_year_against=cy.against_label if cy else "",
                    direction=tile.trend.label if tile.trend else _("geen trend"),
                    judgement=tile.judgement_label,
                    polarity=str(polarities.get(ind.polarity, "")),
                    freshness=tile.freshness_label,
                    freshness_reason=tile.freshness_reason,
                    speed=tile.speed_label,
                    source=ind.source,
                    source_url=ind.source_url,
                    licence=ind.licence,
                    is_synthetic=ind.is_synthetic,
                    is_public=ind.confidentiality == Confidentiality.PUBLIC,
                )
            )
        sections.append(DomainSection(name=section.name, indicators=lines))
    return sections


# --- signals ----------------------------------------------------------------------------------


def _signal_lines(
    viewer: AnyUser | User, as_of: dt.datetime, lang: str
) -> tuple[list[SignalLine], int]:
    """Signals on figures known at ``as_of``: per rule, series and period the latest one."""
    rows = (
        signals_visible(user=viewer)
        .filter(data_vintage__lte=as_of)
        .order_by("-period_start", "-data_vintage", "-detected_at", "-pk")
    )
    seen: set[tuple[Any, ...]] = set()
    chosen: list[Signal] = []
    for signal in rows:
        key = (
            signal.indicator_id,
            signal.rule_id,
            signal.kind,
            signal.breakdown,
            signal.period_code,
        )
        if key in seen:
            continue
        seen.add(key)
        chosen.append(signal)
    severities = dict(Severity.choices)
    kinds = dict(SignalKind.choices)
    lines = [
        SignalLine(
            indicator=signal.indicator.name,
            period=_period_label(signal.period_code, lang),
            severity=signal.severity,
            severity_label=str(severities.get(signal.severity, signal.severity)),
            kind_label=str(kinds.get(signal.kind, signal.kind)),
            description=(signal.description_en if lang == "en" and signal.description_en else "")
            or signal.description_nl,
            on_provisional=signal.on_provisional,
            is_synthetic=signal.indicator.is_synthetic,
        )
        for signal in chosen[:MAX_SIGNALS]
    ]
    return lines, max(0, len(chosen) - MAX_SIGNALS)


# --- composite index --------------------------------------------------------------------------


def _composite_run(
    index: CompositeIndex, as_of: dt.datetime, user: AnyUser | User | None
) -> tuple[CompositeRun | None, bool]:
    """The run of ``index`` for exactly ``as_of`` (reused, or computed and stored now)."""
    from paraat.indicators.services import composite_compute

    run = index.runs.filter(as_of=as_of).order_by("-created_at", "-pk").first()
    if run is not None:
        return run, False
    by = user if user is not None and user.is_authenticated else None
    try:
        return composite_compute(index=index, as_of=as_of, draws=COMPOSITE_DRAWS, user=by), True  # type: ignore[arg-type]
    except ValueError:
        return None, False


def _last_filled(entry: dict[str, Any]) -> int | None:
    central = entry.get("central") or []
    for t in range(len(central) - 1, -1, -1):
        if central[t] is not None and (entry.get("p05") or [None] * (t + 1))[t] is not None:
            return t
    return None


def _at(entry: dict[str, Any], series: str, t: int) -> float | None:
    values = entry.get(series) or []
    value = values[t] if t < len(values) else None
    return float(value) if value is not None else None


def _composite_section(
    index: CompositeIndex,
    *,
    as_of: dt.datetime,
    user: AnyUser | User | None,
    visible_keys: set[str],
    lang: str,
) -> CompositeSection:
    section = CompositeSection(
        key=index.key,
        name=index.name,
        description=index.description,
        available=False,
        is_public=index.confidentiality == Confidentiality.PUBLIC,
    )
    run, computed = _composite_run(index, as_of, user)
    if run is None:
        section.note = _("De index kon voor deze peildatum niet worden berekend.")
        return section
    hidden_name = _("niet-openbare indicator")
    names: dict[str, tuple[str, bool]] = {}
    members_spec = list(run.spec.get("indicators") or [])
    total_weight = sum(float(m.get("weight") or 0) for m in members_spec) or 1.0
    polarities = dict(Polarity.choices)
    for member in members_spec:
        key = str(member.get("key", ""))
        visible = key in visible_keys
        name = str(member.get("name") or key) if visible else hidden_name
        names[key] = (name, visible)
        weight = float(member.get("weight") or 0)
        section.members.append(
            CompositeMember(
                name=name,
                weight_display=_number(weight, 2),
                share_display=_number(100 * weight / total_weight, 1) + " %",
                polarity=str(polarities.get(str(member.get("polarity", "")), "")),
                visible=visible,
            )
        )
    normalisations = dict(Normalisation.choices)
    aggregations = dict(Aggregation.choices)
    missing = dict(MissingData.choices)
    spec = run.spec
    entry = run.result.get("_all") or {}
    reference = str(spec.get("reference_period") or entry.get("reference_period") or "")
    section.methods = [
        (
            _("Normalisatie"),
            str(normalisations.get(spec.get("normalisation"), spec.get("normalisation", ""))),
        ),
        (
            _("Aggregatie"),
            str(aggregations.get(spec.get("aggregation"), spec.get("aggregation", ""))),
        ),
        (_("Ontbrekende waarden"), str(missing.get(spec.get("missing"), spec.get("missing", "")))),
        (
            _("Referentieperiode"),
            _period_label(reference, lang) if reference else "–",
        ),
        (_("Minimale dekking"), _number(100 * float(spec.get("min_coverage") or 0), 0) + " %"),
        (_("Monte-Carlotrekkingen"), str(spec.get("draws", ""))),
        (
            _("Spreiding gewichten (Dirichlet-concentratie)"),
            _number(float(spec.get("weight_concentration") or 0), 1),
        ),
    ]
    when = _moment(run.as_of)
    if computed:
        section.run_line = _(
            "Voor dit rapport berekend op de cijfers zoals bekend op %(when)s."
        ) % {"when": when}
    else:
        section.run_line = _(
            "Berekening van %(created)s op de cijfers zoals bekend op %(when)s."
        ) % {"created": _moment(run.created_at), "when": when}
    t = _last_filled(entry)
    if t is None:
        section.note = _("Op deze peildatum zijn er te weinig cijfers voor de index.")
        return section
    periods = run.result.get("periods") or []
    section.available = True
    section.period = _period_label(str(periods[t]), lang) if t < len(periods) else ""
    section.value = _at(entry, "central", t)
    section.p05 = _at(entry, "p05", t)
    section.p95 = _at(entry, "p95", t)
    section.value_display = _number(section.value, 1)
    section.band_display = f"{_number(section.p05, 1)} – {_number(section.p95, 1)}"
    coverage = _at(entry, "coverage", t)
    section.coverage_display = _number(100 * coverage, 0) + " %" if coverage is not None else "–"
    contributions = entry.get("contributions") or {}
    if contributions:
        section.change_display = _signed(float(contributions.get("change") or 0), 1)
        section.change_from = _period_label(str(contributions.get("start", "")), lang)
        shown = {key for key, (_name, visible) in names.items() if visible}
        for key, value in masked_parts(contributions.get("parts") or [], shown)[:TOP_PARTS]:
            name = names[key][0] if key is not None else _("niet-openbare indicatoren samen")
            section.parts.append(
                CompositePart(name=name, value_display=_signed(value, 2), visible=key is not None)
            )
    factor_labels = {
        "weights": _("gewichten"),
        "normalisation": _("normalisatie"),
        "aggregation": _("aggregatie"),
        "missing": _("ontbrekende waarden"),
    }
    for factor, values in (entry.get("sensitivity") or {}).items():
        share = (values or [None] * (t + 1))[t] if t < len(values or []) else None
        if share is None:
            continue
        section.sensitivity.append(
            (str(factor_labels.get(factor, factor)), _number(100 * float(share), 0) + " %")
        )
    hidden_keys = [key for key, (_name, visible) in names.items() if not visible and key]
    for note in entry.get("notes") or []:
        text = str(note)
        for key in hidden_keys:
            text = text.replace(key, hidden_name)
        section.notes.append(text)
    return section


# --- methods, sources, colophon ---------------------------------------------------------------


def _methods(peildatum: str, has_synthetic: bool) -> list[tuple[str, str]]:
    methods = [
        (
            _("Cijfers zoals bekend op de peildatum"),
            _(
                "Elk cijfer is de laatste versie die op %(date)s bekend was. Latere herzieningen "
                "en later gepubliceerde perioden staan niet in dit rapport; een rapport voor een "
                "latere peildatum kan dus andere cijfers tonen."
            )
            % {"date": peildatum},
        ),
        (
            _("Veranderingen"),
            _(
                "De verandering is het verschil met de vorige periode en met dezelfde periode een "
                "jaar eerder, absoluut en in procenten van het eerdere cijfer; bij percentages is "
                "het absolute verschil in procentpunten."
            ),
        ),
        (
            _("Richting en oordeel"),
            _(
                "De richting (stijgend, dalend, stabiel) volgt uit een rechte lijn door de "
                "laatste perioden: stabiel als de verandering langs de lijn kleiner is dan "
                "tweemaal de spreiding rond de lijn. Het oordeel (beter, slechter, onveranderd) "
                "weegt die richting met de polariteit van de indicator: bij 'hoger is slechter' is "
                "een stijging slechter. Indicatoren zonder polariteit krijgen geen oordeel."
            ),
        ),
        (
            _("Voorlopig en actualiteit"),
            _(
                "Voorlopige cijfers kunnen nog worden herzien. De actualiteit (actueel, verwacht, "
                "achterstallig) is beoordeeld op de peildatum, met de publicatievertraging en de "
                "publicatiekalender van elke bron."
            ),
        ),
        (
            _("Signalen"),
            _(
                "Signalen komen uit vaste regels (drempels, verandering ten opzichte van een jaar "
                "eerder, afwijking van de basislijn, trendbreuk, significante verandering in een "
                "peiling) op de cijfers die op de peildatum bekend waren. Een signaal is een "
                "aanleiding om te kijken, geen oordeel."
            ),
        ),
        (
            _("Samengestelde index"),
            _(
                "De index normaliseert de indicatoren, weegt ze en middelt ze (methode volgens "
                "het OECD/JRC-handboek voor samengestelde indicatoren). De band van 5 tot 95 % "
                "laat zien hoe de index verschuift bij andere gewichten en methodekeuzes (Monte "
                "Carlo). Lees het getal nooit zonder die band en de bijdragen van de onderdelen."
            ),
        ),
    ]
    if has_synthetic:
        methods.append(
            (
                _("Synthetische waarden"),
                _(
                    "Indicatoren met het label 'synthetisch' bevatten demowaarden, geen echte "
                    "cijfers. Gebruik ze niet voor besluiten."
                ),
            )
        )
    return methods


def _sources(sections: list[DomainSection]) -> list[SourceLine]:
    lines = []
    for section in sections:
        for line in section.indicators:
            lines.append(
                SourceLine(
                    indicator=line.name,
                    source=line.source or _("bron niet opgegeven"),
                    licence=line.licence or _("licentie niet opgegeven"),
                    url=line.source_url,
                    is_synthetic=line.is_synthetic,
                )
            )
    return lines


# --- assembling -------------------------------------------------------------------------------


def report_data(
    *,
    user: AnyUser | User | None,
    as_of: dt.datetime,
    public: bool = False,
    language: str | None = None,
    generated_at: dt.datetime | None = None,
) -> Report:
    """The report for ``user`` on the figures known at ``as_of`` (see the module docstring).

    ``public=True`` keeps only public material whatever ``user`` may see. A composite index
    without a run for exactly ``as_of`` is computed now and that run is stored (attributed to
    ``user``), so the same report can be made again.
    """
    if timezone.is_naive(as_of):
        as_of = timezone.make_aware(as_of)
    lang = _lang(language)
    viewer: AnyUser | User = AnonymousUser() if public or user is None else user
    generated_at = generated_at or timezone.now()
    with translation.override(lang):
        peildatum = timezone.localdate(as_of)
        peildatum_label = _day(peildatum)
        sections = _indicator_lines(viewer, as_of, peildatum)
        signals, omitted = _signal_lines(viewer, as_of, lang)
        visible_keys = {line.key for section in sections for line in section.indicators}
        composites = [
            _composite_section(index, as_of=as_of, user=user, visible_keys=visible_keys, lang=lang)
            for index in composite_indices_visible(user=viewer).order_by("key")
        ]
        has_restricted = any(
            not line.is_public for section in sections for line in section.indicators
        ) or any(not c.is_public for c in composites)
        has_synthetic = any(line.is_synthetic for s in sections for line in s.indicators)
        if public:
            audience = _("Openbare versie: alleen openbare gegevens")
        elif has_restricted:
            audience = _("Bevat niet-openbare gegevens — niet verspreiden")
        else:
            audience = _("Bevat alleen openbare gegevens")
        generated_label = _moment(generated_at)
        by = _person(user)
        colophon = [
            _("Cijfers zoals bekend op %(date)s.") % {"date": peildatum_label},
            _("Gegenereerd op %(when)s door %(who)s met paraat.")
            % {"when": generated_label, "who": by},
            audience,
            _(
                "Dit rapport bevat alleen wat de aanvrager mag zien; het kan daardoor "
                "indicatoren missen die anderen wel zien."
            )
            if not public
            else _("Interne en vertrouwelijke indicatoren zijn weggelaten."),
        ]
        if has_synthetic:
            colophon.append(
                _("Bevat synthetische demowaarden; die zijn gemarkeerd als 'synthetisch'.")
            )
        return Report(
            title=_("Maatschappelijk beeld"),
            subtitle=_("Peildatum %(date)s") % {"date": peildatum_label},
            peildatum=peildatum,
            peildatum_label=peildatum_label,
            as_of=as_of,
            lang=lang,
            public=public,
            audience_label=audience,
            has_restricted=has_restricted,
            generated_at=generated_at,
            generated_at_label=generated_label,
            generated_by=by,
            sections=sections,
            signals=signals,
            signals_omitted=omitted,
            composites=composites,
            methods=_methods(peildatum_label, has_synthetic),
            sources=_sources(sections),
            has_synthetic=has_synthetic,
            colophon=colophon,
        )


def report_filename(report: Report, fmt: str) -> str:
    """``maatschappelijk-beeld-2020-06-15.pdf`` (``-openbaar`` for the public version)."""
    suffix = "-openbaar" if report.public else ""
    return f"maatschappelijk-beeld-{report.peildatum.isoformat()}{suffix}.{fmt}"


# --- HTML and PDF -----------------------------------------------------------------------------


def report_html(report: Report) -> str:
    """The report as one standalone print HTML document (styles inline, nothing linked)."""
    with translation.override(report.lang):
        return render_to_string(TEMPLATE, {"report": report})


def _url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads only the vendored font files: no network."""
    return font_url_fetcher(what="report PDF")


def report_pdf(report: Report) -> bytes:
    """The report as an A4 PDF (tagged, language and title set, page numbers)."""
    html = report_html(report)
    return pdf_render_fonts_only(html, what="report PDF")


# --- DOCX -------------------------------------------------------------------------------------


def _docx_table(doc: Any, caption: str, header: list[str], rows: list[list[str]]) -> Any:
    """A captioned table with a repeating, bold header row."""
    return docx_table(doc, caption, header, rows, font_size=8.5)


def report_docx(report: Report) -> bytes:
    """The report as a Word document with the content of the PDF: Heading 1 title, Heading 2
    sections, captioned tables, page numbers in the footer, title and language set."""
    from docx.shared import RGBColor

    with translation.override(report.lang):
        doc = docx_a4_document(
            lang=report.lang,
            title=report.doc_title,
            subject=report.subtitle,
            keywords="maatschappelijk beeld",
            header=f"{report.doc_title} · {report.audience_label}",
            comments=report.audience_label,
            footer_prefix=_("Cijfers zoals bekend op %(date)s") % {"date": report.peildatum_label}
            + " · ",
        )

        def notice(text: str) -> None:
            run = doc.add_paragraph().add_run(text)
            run.bold = True
            run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)

        doc.add_heading(report.title, level=1)
        doc.add_paragraph(report.subtitle).runs[0].bold = True
        notice(report.audience_label)
        if report.has_synthetic:
            notice(_("Bevat synthetische demowaarden — geen echte cijfers"))
        doc.add_paragraph(
            _(
                "Indicatoren: %(n)d · signalen: %(s)d · samengestelde indices: %(c)d — zoals "
                "bekend op %(date)s."
            )
            % {
                "n": report.indicator_count,
                "s": len(report.signals),
                "c": len(report.composites),
                "date": report.peildatum_label,
            }
        )

        # Composite indices first: the headline of a briefing.
        doc.add_heading(_("Samengestelde index"), level=2)
        if not report.composites:
            doc.add_paragraph(_("Geen samengestelde index beschikbaar."))
        for comp in report.composites:
            doc.add_heading(comp.name, level=3)
            if comp.description:
                doc.add_paragraph(comp.description)
            if comp.run_line:
                doc.add_paragraph(comp.run_line)
            if not comp.available:
                doc.add_paragraph(comp.note)
                continue
            para = doc.add_paragraph()
            para.add_run(_("Stand %(period)s: ") % {"period": comp.period})
            para.add_run(comp.value_display).bold = True
            para.add_run(
                " " + _("(band 5–95 %%: %(band)s)") % {"band": comp.band_display}
            ).bold = True
            para.add_run(". " + _("Dekking: %(c)s.") % {"c": comp.coverage_display})
            if comp.change_from:
                doc.add_paragraph(
                    _("Verandering sinds %(from)s: %(change)s indexpunten.")
                    % {"from": comp.change_from, "change": comp.change_display}
                )
            if comp.parts:
                _docx_table(
                    doc,
                    _("Grootste bijdragen aan de verandering: %(name)s") % {"name": comp.name},
                    [_("Indicator"), _("Bijdrage (indexpunten)")],
                    [[p.name, p.value_display] for p in comp.parts],
                )
            _docx_table(
                doc,
                _("Onderdelen en gewichten: %(name)s") % {"name": comp.name},
                [_("Indicator"), _("Polariteit"), _("Gewicht"), _("Aandeel")],
                [[m.name, m.polarity, m.weight_display, m.share_display] for m in comp.members],
            )
            _docx_table(
                doc,
                _("Methodekeuzes: %(name)s") % {"name": comp.name},
                [_("Keuze"), _("Waarde")],
                [[label, value] for label, value in comp.methods],
            )
            if comp.sensitivity:
                doc.add_paragraph(
                    _("Aandeel in de onzekerheid: %(parts)s.")
                    % {"parts": ", ".join(f"{label} {value}" for label, value in comp.sensitivity)}
                )
            if comp.notes:
                doc.add_paragraph(_("Opmerkingen bij de berekening") + ":")
            for note in comp.notes:
                doc.add_paragraph(note, style="List Bullet")

        # Indicators per domain
        doc.add_heading(_("Indicatoren per domein"), level=2)
        if not report.sections:
            doc.add_paragraph(_("Geen indicatoren beschikbaar."))
        header = [
            _("Indicator"),
            _("Periode"),
            _("Waarde"),
            _("t.o.v. vorige periode"),
            _("t.o.v. een jaar eerder"),
            _("Richting"),
            _("Oordeel"),
            _("Actualiteit"),
        ]
        for dom in report.sections:
            doc.add_heading(dom.name, level=3)
            rows = []
            for line in dom.indicators:
                name = line.name + (" (" + _("synthetisch") + ")" if line.is_synthetic else "")
                value = line.value_with_unit
                if line.is_provisional:
                    value += " (" + _("voorlopig") + ")"
                rows.append(
                    [
                        name,
                        line.period or "–",
                        value,
                        line.change_previous,
                        line.change_year,
                        line.direction,
                        line.judgement,
                        line.freshness,
                    ]
                )
            _docx_table(doc, _("Indicatoren: %(domain)s") % {"domain": dom.name}, header, rows)
            for line in dom.indicators:
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(line.name + ": ").bold = True
                para.add_run(
                    _("%(freshness)s — %(reason)s Bron: %(source)s (%(licence)s).")
                    % {
                        "freshness": line.freshness,
                        "reason": line.freshness_reason,
                        "source": line.source or _("bron niet opgegeven"),
                        "licence": line.licence or _("licentie niet opgegeven"),
                    }
                )

        # Signals
        doc.add_heading(_("Signalen"), level=2)
        if not report.signals:
            doc.add_paragraph(_("Geen signalen op de cijfers die op de peildatum bekend waren."))
        else:
            _docx_table(
                doc,
                _("Signalen op de cijfers zoals bekend op %(date)s")
                % {"date": report.peildatum_label},
                [_("Indicator"), _("Periode"), _("Ernst"), _("Signaalregel"), _("Uitleg")],
                [
                    [
                        s.indicator + (" (" + _("synthetisch") + ")" if s.is_synthetic else ""),
                        s.period,
                        s.severity_label,
                        s.kind_label,
                        s.description
                        + (" " + _("(op voorlopige cijfers)") if s.on_provisional else ""),
                    ]
                    for s in report.signals
                ],
            )
        if report.signals_omitted:
            doc.add_paragraph(
                _("%(n)d oudere signalen zijn niet opgenomen.") % {"n": report.signals_omitted}
            )

        # Methods and sources
        doc.add_heading(_("Methode"), level=2)
        for title, text in report.methods:
            para = doc.add_paragraph()
            para.add_run(title + ". ").bold = True
            para.add_run(text)
        doc.add_heading(_("Bronnen"), level=2)
        if not report.sources:
            doc.add_paragraph(_("Geen bronnen."))
        for source in report.sources:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(source.indicator + ": ").bold = True
            para.add_run(f"{source.source} ({source.licence})")
            if source.url:
                para.add_run(f" {source.url}")
            if source.is_synthetic:
                para.add_run(" (" + _("synthetisch") + ")").italic = True

        doc.add_heading(_("Colofon"), level=2)
        for line in report.colophon:
            doc.add_paragraph(line)

        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
