"""Forms of the management pages of the societal picture: they validate, services write."""

from __future__ import annotations

import json
import zipfile
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from paraat.indicators.importers.csvmap import PERIOD_FORMATS, CsvMapping
from paraat.indicators.models import Indicator, Severity, SignalKind
from paraat.taxonomies.models import Domain

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
        raw = (self.cleaned_data.get("params") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError) as error:
            raise forms.ValidationError(
                _("Geen geldige JSON: %(error)s"), params={"error": str(error)[:200]}
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(
                _('Geef de parameters als JSON-object, bijvoorbeeld {"window": 8}.')
            )
        return value


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
