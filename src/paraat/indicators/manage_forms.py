"""Forms of the management pages of the societal picture: they validate, services write."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality
from paraat.indicators.importers.csvmap import PERIOD_FORMATS, CsvMapping
from paraat.indicators.models import (
    Frequency,
    Indicator,
    Polarity,
    ReleaseDate,
    Severity,
    SignalKind,
    Speed,
)
from paraat.indicators.services import (
    CALENDAR_FIRST,
    CALENDAR_LAST,
    CALENDAR_MAX_ENTRIES,
    CALENDAR_NOTE_MAX,
)
from paraat.taxonomies.models import Domain
from paraat_core.periods import PeriodError, parse_period

MAX_UPLOAD_BYTES = 100 * 1024 * 1024

IMPORT_KIND_CHOICES = [
    ("statline", _("StatLine-tabel (ZIP van de OData-exportmap)")),
    ("csv", _("CSV met kolomindeling")),
    ("sdmx", _("SDMX-databericht (SDMX-ML of SDMX-JSON)")),
    ("coronadashboard", _("Coronadashboard (CSV of JSON)")),
]

PERIOD_FORMAT_LABELS = {
    "auto": _("automatisch herkennen"),
    "cbs": _("CBS-codes (2020MM04, 2020KW02, 2020JJ00)"),
    "iso": _("ISO (2020-04-01, 2020-W14, 2020-04, 2020-Q2, 2020)"),
    "date": _("dag (2020-04-01 of 1-4-2020)"),
}

# The parameters each rule reads (signalling.RULE_PARAMS), for the help text.
RULE_HELP = [
    (
        SignalKind.THRESHOLD,
        "warning, alert, only_crossings",
        _(
            "drempels in de eenheid van de indicator (standaard de drempels van de indicator); "
            "only_crossings true: alleen de eerste periode voorbij een drempel"
        ),
        '{"warning": 5.0, "alert": 6.0}',
    ),
    (
        SignalKind.YEAR_ON_YEAR,
        "warning_pct, alert_pct",
        _("verandering in procenten t.o.v. dezelfde periode een jaar eerder"),
        '{"warning_pct": 10, "alert_pct": 25}',
    ),
    (
        SignalKind.BASELINE,
        "window, seasonal, warning_z, alert_z, min_points",
        _(
            "z-score t.o.v. de vorige window perioden (seasonal true: dezelfde periode in de "
            "vorige window jaren); standaard window 8, warning_z 2, alert_z 3"
        ),
        '{"window": 8, "warning_z": 2, "alert_z": 3}',
    ),
    (
        SignalKind.TREND_BREAK,
        "window, warning_p, alert_p, min_points",
        _(
            "Chow-toets tussen twee aansluitende vensters van window perioden; standaard "
            "window 6, warning_p 0,05, alert_p 0,01"
        ),
        '{"window": 6, "warning_p": 0.05, "alert_p": 0.01}',
    ),
    (
        SignalKind.SURVEY_CHANGE,
        "n, alpha, alert_alpha, percent",
        _(
            "significante verandering tussen twee peilingen; n (verplicht) is de "
            "steekproefomvang per meting; standaard alpha 0,05, alert_alpha 0,001"
        ),
        '{"n": 1000, "alpha": 0.05}',
    ),
]


def _json_object(raw: str | None, not_an_object: Any) -> dict[str, Any]:
    """A JSON text field as an object ({} when empty); a form error naming what is wrong."""
    raw = (raw or "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise forms.ValidationError(
            _("Geen geldige JSON: %(error)s"), params={"error": str(error)[:200]}
        ) from None
    if not isinstance(value, dict):
        raise forms.ValidationError(not_an_object)
    return value


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.key})"


class IndicatorImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort bestand"), choices=IMPORT_KIND_CHOICES)
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "StatLine: een ZIP met TableInfos.csv, DataProperties.csv, de dimensiebestanden en "
            "data.csv. Maximaal 100 MB."
        ),
    )
    indicator = IndicatorChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.none(),
        to_field_name="key",
        required=False,
        help_text=_("Verplicht voor CSV en SDMX: de indicator waar de cijfers bij horen."),
    )
    period_column = forms.CharField(label=_("Kolom met de periode"), max_length=200, required=False)
    value_column = forms.CharField(label=_("Kolom met de waarde"), max_length=200, required=False)
    period_format = forms.ChoiceField(
        label=_("Periodenotatie"),
        choices=[(f, PERIOD_FORMAT_LABELS[f]) for f in PERIOD_FORMATS],
        initial="auto",
        required=False,
    )
    status_column = forms.CharField(
        label=_("Kolom met de status (optioneel)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld * voor voorlopig en ** voor nader voorlopig, zoals CBS."),
    )
    breakdown_columns = forms.CharField(
        label=_("Kolommen met uitsplitsingen (optioneel)"),
        max_length=1000,
        required=False,
        help_text=_("Kolomnamen gescheiden door komma's, bijvoorbeeld: leeftijd, geslacht."),
    )
    decimal_comma = forms.BooleanField(label=_("Decimale komma (3,5 en 1.234,5)"), required=False)

    def __init__(self, *args: Any, indicators: QuerySet[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 100 MB."))
        return upload

    def clean_breakdown_columns(self) -> list[str]:
        raw = self.cleaned_data.get("breakdown_columns") or ""
        columns = [c.strip() for c in raw.split(",") if c.strip()]
        if len(set(columns)) != len(columns):
            raise forms.ValidationError(_("Noem elke kolom één keer."))
        return columns

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        upload = data.get("file")
        if kind in ("csv", "sdmx") and not data.get("indicator"):
            self.add_error("indicator", _("Kies de indicator voor dit bestand."))
        if kind == "csv":
            for name in ("period_column", "value_column"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Vul de kolomnaam in (zoals in de kop van de CSV)."))
            if not self.errors:
                try:
                    CsvMapping(**self._csv_mapping(data))
                except ValueError as error:
                    self.add_error(None, str(error))
        if upload is not None and kind == "statline":
            position = upload.tell()
            is_zip = zipfile.is_zipfile(upload)
            upload.seek(position)
            if not is_zip:
                self.add_error("file", _("Een StatLine-tabel uploadt u als ZIP-bestand."))
        if upload is not None and kind == "coronadashboard":
            suffix = PurePosixPath(upload.name or "").suffix.lower()
            if suffix not in (".csv", ".json"):
                self.add_error("file", _("Een coronadashboardbestand eindigt op .csv of .json."))
        return data

    @staticmethod
    def _csv_mapping(data: dict[str, Any]) -> dict[str, Any]:
        indicator = data.get("indicator")
        return {
            "indicator_key": indicator.key if indicator is not None else "",
            "period_column": (data.get("period_column") or "").strip(),
            "value_column": (data.get("value_column") or "").strip(),
            "period_format": data.get("period_format") or "auto",
            "status_column": (data.get("status_column") or "").strip() or None,
            "breakdown_columns": data.get("breakdown_columns") or [],
            "decimal_comma": bool(data.get("decimal_comma")),
        }

    def options(self) -> dict[str, Any]:
        """The job's options (JSON), after validation."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == "csv":
            mapping = self._csv_mapping(data)
            mapping["indicator"] = mapping.pop("indicator_key")
            return mapping
        if kind == "sdmx":
            return {"indicator": data["indicator"].key}
        return {}


class SignalRuleForm(forms.Form):
    indicator = IndicatorChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), to_field_name="key"
    )
    kind = forms.ChoiceField(label=_("Signaalregel"), choices=SignalKind.choices)
    breakdown = forms.CharField(
        label=_("Reeks (uitsplitsing, optioneel)"),
        max_length=500,
        required=False,
        help_text=_(
            "Leeg: de hoofdreeks van de indicator. Anders de uitsplitsing zoals opgeslagen, "
            "bijvoorbeeld Geslacht=T001038;RegioS=NL01."
        ),
    )
    params = forms.CharField(
        label=_("Parameters (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            'Een JSON-object, bijvoorbeeld {"warning": 5.0, "alert": 6.0}. '
            "drempel: warning, alert, only_crossings; "
            "verandering t.o.v. een jaar eerder: warning_pct, alert_pct; "
            "basislijn: window, seasonal, warning_z, alert_z, min_points; "
            "trendbreuk: window, warning_p, alert_p, min_points; "
            "peiling: n, alpha, alert_alpha (en percent)."
        ),
    )

    def __init__(self, *args: Any, indicators: QuerySet[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]

    def clean_breakdown(self) -> str:
        return (self.cleaned_data.get("breakdown") or "").strip()

    def clean_params(self) -> dict[str, Any]:
        return _json_object(
            self.cleaned_data.get("params"),
            _('Geef de parameters als JSON-object, bijvoorbeeld {"window": 8}.'),
        )


class SignalSubscriptionForm(forms.Form):
    is_active = forms.BooleanField(
        label=_("Stuur mij het overzicht van nieuwe signalen per e-mail"), required=False
    )
    min_severity = forms.ChoiceField(
        label=_("Vanaf ernst"), choices=Severity.choices, initial=Severity.WARNING
    )
    domains = forms.ModelMultipleChoiceField(
        label=_("Domeinen (geen keuze: alle domeinen)"),
        queryset=Domain.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


# --- indicator definitions and their release calendar -----------------------------------------

CALENDAR_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NO_PERIOD = "-"  # written instead of a period code before a note that starts with a digit

DEFINITION_FIELDS = (
    "name_nl",
    "name_en",
    "description",
    "unit",
    "polarity",
    "frequency",
    "publication_lag_days",
    "speed",
    "source",
    "source_url",
    "source_table",
    "source_topic",
    "licence",
    "method_note",
    "headline_breakdown",
    "threshold_warning",
    "threshold_alert",
    "is_synthetic",
    "confidentiality",
)


def release_calendar_text(releases: Iterable[ReleaseDate]) -> str:
    """The calendar as the textarea shows it: ``JJJJ-MM-DD [periodecode] [toelichting]``."""
    lines = []
    for release in releases:
        parts = [release.expected_on.isoformat()]
        note = release.note.strip()
        if release.period_code:
            parts.append(release.period_code)
        elif note and (note[0].isdigit() or note.split()[0] == NO_PERIOD):
            parts.append(NO_PERIOD)
        if note:
            parts.append(note)
        lines.append(" ".join(parts))
    return "\n".join(lines)


def _first_word(text: str) -> tuple[str, str]:
    """The first word of ``text`` and the rest (both without surrounding whitespace)."""
    parts = text.split(None, 1)
    return (parts[0] if parts else "", parts[1].strip() if len(parts) > 1 else "")


def release_calendar_parse(text: str) -> list[tuple[dt.date, str, str]]:
    """Read the textarea: one expected release a line, empty lines skipped.

    A line is a date (JJJJ-MM-DD), then optionally a period code (a word starting with a
    digit, or ``-`` for none), then optionally a note. Raises one ValidationError with an
    error per wrong line, naming the line.
    """
    entries: list[tuple[dt.date, str, str]] = []
    errors: list[forms.ValidationError] = []
    seen: dict[dt.date, int] = {}
    lines = (text or "").splitlines()
    if len([line for line in lines if line.strip()]) > CALENDAR_MAX_ENTRIES:
        raise forms.ValidationError(
            _("Hooguit %(max)d regels."), code="too_many", params={"max": CALENDAR_MAX_ENTRIES}
        )
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        first, rest = _first_word(line)
        if not CALENDAR_DATE_RE.fullmatch(first):
            errors.append(
                forms.ValidationError(
                    _(
                        "regel %(line)d: geen datum aan het begin van de regel; schrijf "
                        "JJJJ-MM-DD, bijvoorbeeld 2021-03-15."
                    ),
                    code="no_date",
                    params={"line": number},
                )
            )
            continue
        try:
            day = dt.date.fromisoformat(first)
        except ValueError:
            errors.append(
                forms.ValidationError(
                    _("regel %(line)d: %(date)s is geen bestaande datum."),
                    code="bad_date",
                    params={"line": number, "date": first},
                )
            )
            continue
        if not CALENDAR_FIRST <= day <= CALENDAR_LAST:
            errors.append(
                forms.ValidationError(
                    _("regel %(line)d: kies een datum tussen %(first)d en %(last)d."),
                    code="date_range",
                    params={
                        "line": number,
                        "first": CALENDAR_FIRST.year,
                        "last": CALENDAR_LAST.year,
                    },
                )
            )
            continue
        code, note = "", rest
        word, remainder = _first_word(rest)
        if word == NO_PERIOD:
            note = remainder
        elif word[:1].isdigit():
            try:
                code = parse_period(word).code
            except PeriodError:
                errors.append(
                    forms.ValidationError(
                        _(
                            "regel %(line)d: %(code)s is geen periodecode (bijvoorbeeld "
                            "2021MM02, 2021KW01, 2021JJ00, 2021-02 of 2021-W05); begint de "
                            "toelichting met een cijfer, zet er dan - voor."
                        ),
                        code="bad_period",
                        params={"line": number, "code": word},
                    )
                )
                continue
            note = remainder
        note = " ".join(note.split())
        if len(note) > CALENDAR_NOTE_MAX:
            errors.append(
                forms.ValidationError(
                    _("regel %(line)d: de toelichting is langer dan %(max)d tekens."),
                    code="long_note",
                    params={"line": number, "max": CALENDAR_NOTE_MAX},
                )
            )
            continue
        if day in seen:
            errors.append(
                forms.ValidationError(
                    _("regel %(line)d: %(date)s staat ook op regel %(other)d."),
                    code="duplicate",
                    params={"line": number, "date": first, "other": seen[day]},
                )
            )
            continue
        seen[day] = number
        entries.append((day, code, note))
    if errors:
        raise forms.ValidationError(errors)
    return entries


class IndicatorForm(forms.Form):
    """An indicator's definition and release calendar. Validates only: the view saves through
    :func:`paraat.indicators.services.indicator_definition_save`. The code is asked only for a
    new indicator (it is fixed after creation)."""

    key = forms.SlugField(
        label=_("Code"),
        max_length=100,
        help_text=_(
            "Kleine letters, cijfers en streepjes, bijvoorbeeld werkloosheid. Staat vast na het "
            "aanmaken: de code komt in adressen, de API en exports."
        ),
    )
    name_nl = forms.CharField(label=_("Naam (Nederlands)"), max_length=200)
    name_en = forms.CharField(label=_("Naam (Engels)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    domain = forms.ChoiceField(label=_("Domein"), required=False)
    unit = forms.CharField(
        label=_("Eenheid"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld procent, personen of euro."),
    )
    polarity = forms.ChoiceField(
        label=_("Richting"),
        choices=Polarity.choices,
        help_text=_("Of een hogere waarde beter of slechter is; bepaalt het oordeel en de index."),
    )
    frequency = forms.ChoiceField(label=_("Frequentie"), choices=Frequency.choices)
    publication_lag_days = forms.IntegerField(
        label=_("Verwachte publicatievertraging (dagen)"),
        min_value=0,
        max_value=3660,
        initial=0,
        help_text=_(
            "Dagen na het einde van een periode waarop de cijfers verschijnen. Geldt voor "
            "perioden buiten de publicatiekalender."
        ),
    )
    speed = forms.ChoiceField(
        label=_("Snelheid"),
        choices=Speed.choices,
        initial=Speed.SLOW,
        help_text=_(
            "Snelle data volgen de crisis van week tot week, trage data per kwartaal of jaar."
        ),
    )
    source = forms.CharField(label=_("Bron"), max_length=500, required=False)
    source_url = forms.URLField(
        label=_("Bronadres"), max_length=500, required=False, assume_scheme="https"
    )
    source_table = forms.CharField(
        label=_("Brontabel"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld de StatLine-tabel 80590ned; het verversen haalt die op."),
    )
    source_topic = forms.CharField(
        label=_("Onderwerp in de brontabel"), max_length=200, required=False
    )
    licence = forms.CharField(
        label=_("Licentie"), max_length=200, required=False, help_text=_("Bijvoorbeeld CC BY 4.0.")
    )
    method_note = forms.CharField(
        label=_("Methode"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    breakdowns = forms.CharField(
        label=_("Beschikbare uitsplitsingen (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            'Per dimensie de titel en de labels van de sleutels, bijvoorbeeld {"Geslacht": '
            '{"title": "Geslacht", "values": {"T001038": "Totaal"}}}. Een import vult dit aan.'
        ),
    )
    headline_breakdown = forms.CharField(
        label=_("Hoofdreeks"),
        max_length=500,
        required=False,
        help_text=_(
            "De uitsplitsing die het dashboard als hoofdreeks toont, zoals opgeslagen, "
            "bijvoorbeeld Geslacht=T001038. Leeg: de reeks zonder uitsplitsing."
        ),
    )
    threshold_warning = forms.FloatField(
        label=_("Drempel waarschuwing"),
        required=False,
        localize=True,
        help_text=_("In de eenheid van de indicator; leeg: geen drempel."),
    )
    threshold_alert = forms.FloatField(
        label=_("Drempel alarm"),
        required=False,
        localize=True,
        help_text=_("In de eenheid van de indicator; leeg: geen drempel."),
    )
    is_synthetic = forms.BooleanField(label=_("Synthetisch (demo)"), required=False)
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        help_text=_("Wie de indicator, zijn cijfers en signalen mag zien."),
    )
    release_calendar = forms.CharField(
        label=_("Publicatiekalender"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Eén verwachte publicatie per regel: JJJJ-MM-DD, dan eventueel de periodecode en "
            "een toelichting, bijvoorbeeld: 2021-03-15 2021MM02 werkloosheid februari. De "
            "actualiteit van de reeks wordt gemeten tegen deze data; buiten de kalender geldt "
            "de publicatievertraging. Opslaan vervangt de hele kalender."
        ),
    )

    def __init__(
        self,
        *args: Any,
        indicator: Indicator | None = None,
        levels: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(indicator)
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator is not None:
            del self.fields["key"]  # fixed after creation
        domains = list(Domain.objects.filter(is_active=True).order_by("position", "name_nl"))
        current = indicator.domain if indicator is not None else None
        if current is not None and current not in domains:
            domains.append(current)  # an inactive domain stays selectable where it is in use
        self.fields["domain"].choices = [("", _("(geen domein)"))] + [  # type: ignore[attr-defined]
            (domain.key, domain.name) for domain in domains
        ]
        allowed = set(levels)
        if indicator is not None:
            allowed.add(indicator.confidentiality)  # e.g. visible through an access grant
        self.fields["confidentiality"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Confidentiality.choices if value in allowed
        ]
        if indicator is None and Confidentiality.INTERNAL in allowed:
            self.fields["confidentiality"].initial = Confidentiality.INTERNAL

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(indicator, name) for name in DEFINITION_FIELDS}
        initial["domain"] = indicator.domain.key if indicator.domain else ""
        initial["breakdowns"] = (
            json.dumps(indicator.breakdowns, ensure_ascii=False, indent=2)
            if indicator.breakdowns
            else ""
        )
        initial["release_calendar"] = release_calendar_text(indicator.releases.all())
        return initial

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if Indicator.objects.filter(key=key).exists():
            raise forms.ValidationError(
                _("Er bestaat al een indicator met deze code; kies een andere."), code="exists"
            )
        return key

    def clean_breakdowns(self) -> dict[str, Any]:
        shape_error = _(
            'Geef per dimensie een object met "title" (tekst) en "values" (sleutel: '
            "label), zoals in het voorbeeld."
        )
        value = _json_object(self.cleaned_data.get("breakdowns"), shape_error)
        shape_ok = isinstance(value, dict) and all(
            isinstance(spec, dict)
            and isinstance(spec.get("title", ""), str)
            and isinstance(spec.get("values", {}), dict)
            and all(isinstance(label, str) for label in spec.get("values", {}).values())
            for spec in value.values()
        )
        if not shape_ok:
            raise forms.ValidationError(shape_error)
        return value

    def clean_release_calendar(self) -> list[tuple[dt.date, str, str]]:
        return release_calendar_parse(self.cleaned_data.get("release_calendar") or "")

    def definition(self) -> dict[str, Any]:
        """The keyword arguments of ``indicator_upsert`` (all but the code), after validation."""
        data = self.cleaned_data
        values: dict[str, Any] = {name: data[name] for name in DEFINITION_FIELDS}
        values["domain_key"] = data.get("domain") or ""
        return values
