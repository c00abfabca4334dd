"""Forms of the standby pages. Forms only parse and validate input; ``services`` decides and
writes. Moments are entered with ``<input type="datetime-local">`` in Dutch time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality
from paraat.measures.models import ScenarioLevel
from paraat.preparedness.models import (
    AttendanceRole,
    MeetingKind,
    MeetingStatus,
    Mode,
    PlaybookActionStatus,
    PlaybookElement,
    Presence,
)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
YEARS = (1990, 2200)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _in_years(value: Any) -> None:
    if value is not None and not YEARS[0] <= value.year <= YEARS[1]:
        raise forms.ValidationError(
            _("Geef een datum tussen %(a)s en %(b)s."), params={"a": YEARS[0], "b": YEARS[1]}
        )


def moment_field(*, label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        validators=[_in_years],
    )


def date_field(*, label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        validators=[_in_years],
    )


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        organisation = getattr(obj, "organisation", None)
        return f"{obj.name} ({organisation.short_name})" if organisation else str(obj.name)


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("Modus"), choices=Mode.choices, widget=forms.RadioSelect)
    scenario_level = forms.ChoiceField(
        label=_("Scenarioniveau"),
        choices=[("", _("geen (waakstand)")), *ScenarioLevel.choices],
        required=False,
        help_text=_(
            "Naar de WRR/KNAW-scenario's; alleen bij actief. Het niveau bepaalt hoe vaak de "
            "commissie minstens vergadert."
        ),
    )
    reason = forms.CharField(label=_("Reden"), widget=_textarea(3), max_length=4000)
    at = moment_field(
        label=_("Met ingang van"),
        required=False,
        help_text=_("Leeg: nu. Niet in de toekomst en niet vóór de vorige wijziging."),
    )


class PlanForm(forms.Form):
    until = date_field(
        label=_("Plannen tot en met"),
        required=False,
        help_text=_(
            "Leeg: een jaar vooruit in waakstand, drie maanden als de commissie actief is."
        ),
    )
    location = forms.CharField(label=_("Locatie"), max_length=300, required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    kind = forms.ChoiceField(label=_("Soort"), choices=MeetingKind.choices)
    starts_at = moment_field(label=_("Begint om"))
    ends_at = moment_field(label=_("Eindigt om"), required=False)
    location = forms.CharField(label=_("Locatie"), max_length=300, required=False)
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
        help_text=_("Vertrouwelijke vergaderingen ziet de commissie niet zonder toegang."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=_textarea(6),
        required=False,
        max_length=20_000,
        help_text=_("Eén agendapunt per regel; ‘titel: toelichting’ houdt een toelichting."),
    )

    def agenda_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("agenda", "").splitlines() if line.strip()]


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300, required=False)
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("PDF, DOCX, ODT of platte tekst; gecontroleerd op inhoud."),
    )


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Verslag"), widget=_textarea(12), max_length=200_000)
    note = forms.CharField(label=_("Toelichting bij deze versie"), max_length=300, required=False)
    base_number = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ApproveForm(forms.Form):
    approved_on = date_field(label=_("Vastgesteld op"))
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class AttendanceForm(forms.Form):
    person = PersonField(label=_("Persoon"), queryset=None)
    presence = forms.ChoiceField(
        label=_("Aanwezigheid"), choices=Presence.choices, widget=forms.RadioSelect
    )
    role = forms.ChoiceField(label=_("Rol"), choices=AttendanceRole.choices)
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class SectionTextForm(forms.Form):
    text = forms.CharField(
        label=_("Tekst"), widget=_textarea(16), max_length=200_000, required=False
    )
    note = forms.CharField(label=_("Wat is er veranderd?"), max_length=300, required=False)
    review_due_on = date_field(
        label=_("Volgende herziening uiterlijk op"),
        required=False,
        help_text=_("Leeg: de herziendatum blijft staan."),
    )
    base_number = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    owner = PersonField(label=_("Eigenaar"), queryset=None, required=False)
    review_due_on = date_field(label=_("Herzien uiterlijk op"), required=False)

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class SectionCreateForm(SectionForm):
    element = forms.ChoiceField(label=_("Onderdeel"), choices=PlaybookElement.choices)
    field_order = ["element", "title", "owner", "review_due_on"]


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(label=_("Omschrijving"), widget=_textarea(3), required=False)
    source = forms.CharField(
        label=_("Bron"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld de oefening of evaluatie waar de les uit komt."),
    )
    section = forms.ModelChoiceField(label=_("Sectie"), queryset=None, required=False)
    due_on = date_field(label=_("Gereed uiterlijk op"), required=False)

    def __init__(self, *args: Any, sections: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=PlaybookActionStatus.choices)
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class FundingStreamForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    funder = forms.CharField(label=_("Financier"), max_length=200)
    recipient = forms.CharField(label=_("Ontvanger"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Doel"), widget=_textarea(2))
    starts_on = date_field(label=_("Vanaf"), required=False)
    ends_on = date_field(label=_("Tot en met"), required=False)
    source = forms.CharField(label=_("Bron (afspraak)"), max_length=300, required=False)


class BudgetLineForm(forms.Form):
    stream = forms.ModelChoiceField(label=_("Financieringsstroom"), queryset=None)
    year = forms.IntegerField(label=_("Jaar"), min_value=YEARS[0], max_value=YEARS[1])
    amount = forms.DecimalField(
        label=_("Begroot bedrag (euro)"), min_value=0, max_digits=12, decimal_places=2
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=300, required=False)

    def __init__(self, *args: Any, streams: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stream"].queryset = streams  # type: ignore[attr-defined]


class RealisationForm(forms.Form):
    stream = forms.ModelChoiceField(label=_("Financieringsstroom"), queryset=None)
    date = date_field(label=_("Datum"))
    amount = forms.DecimalField(
        label=_("Bedrag (euro)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Een negatief bedrag corrigeert een eerdere realisatie."),
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=300)

    def __init__(self, *args: Any, streams: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stream"].queryset = streams  # type: ignore[attr-defined]


FORMAT_CHOICES = [("pdf", "PDF"), ("docx", "Word (DOCX)")]


class FormatForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Formaat"), choices=FORMAT_CHOICES, initial="pdf")


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2022, max_value=2200)
    fmt = forms.ChoiceField(label=_("Formaat"), choices=FORMAT_CHOICES, initial="pdf")


class ExportForm(forms.Form):
    start = date_field(label=_("Van"))
    end = date_field(label=_("Tot en met"))
