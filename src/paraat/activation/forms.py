"""Forms of the activation pages. Forms only parse and validate input;
``activation.services`` decides and writes. Moments are entered with
``<input type="datetime-local">`` in the current time zone (Europe/Amsterdam)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality
from paraat.activation import services
from paraat.activation.models import Criterion, Decision, Judgement, SecondmentAgreement
from paraat.measures.models import ScenarioLevel
from paraat.network.models import Candidate, CommitteeRole, Organisation

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _in_years(value: Any) -> None:
    low, high = services.YEARS
    if value is not None and not low <= value.year <= high:
        raise forms.ValidationError(
            _("Geef een datum tussen %(a)s en %(b)s."), params={"a": low, "b": high}
        )


def date_field(*, label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        validators=[_in_years],
    )


def moment_field(*, label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        validators=[_in_years],
    )


class MinistryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AgreementForm(forms.Form):
    ministry = MinistryChoiceField(label=_("Ministerie"), queryset=Organisation.objects.none())
    people = forms.IntegerField(label=_("Aantal mensen"), min_value=1, max_value=500)
    fte = forms.DecimalField(
        label=_("fte"), min_value=0.1, max_value=500, max_digits=5, decimal_places=1
    )
    lead_time_days = forms.IntegerField(
        label=_("Aanlooptijd (dagen)"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("Hoeveel dagen na het verzoek de mensen kunnen beginnen."),
    )
    available_from = date_field(label=_("Beschikbaar vanaf"), required=False)
    contact = forms.CharField(
        label=_("Contactpersoon"),
        max_length=200,
        required=False,
        help_text=_("Naam of functie en werkadres; geen privégegevens."),
    )
    valid_until = date_field(label=_("Geldig tot"), required=False)
    notes = forms.CharField(
        label=_("Notities"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    is_synthetic = forms.BooleanField(label=_("Synthetisch (demo)"), required=False)

    def __init__(self, *args: Any, ministries: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = ministries  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, agreement: SecondmentAgreement) -> dict[str, Any]:
        return {
            "ministry": agreement.ministry_id,
            "people": agreement.people,
            "fte": agreement.fte,
            "lead_time_days": agreement.lead_time_days,
            "available_from": agreement.available_from,
            "contact": agreement.contact,
            "valid_until": agreement.valid_until,
            "notes": agreement.notes,
            "is_synthetic": agreement.is_synthetic,
        }

    def data_object(self) -> services.AgreementData:
        return services.AgreementData(**self.cleaned_data)


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(
        label=_("Aanleiding"), required=False, max_length=20_000, widget=forms.Textarea({"rows": 4})
    )
    scenario_level = forms.ChoiceField(
        label=_("Scenarioniveau"),
        required=False,
        choices=[("", "—"), *ScenarioLevel.choices],
        help_text=_("Het niveau waarmee de modus op actief gaat als de commissie er komt."),
    )
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )
    is_synthetic = forms.BooleanField(label=_("Synthetisch (demo of oefening)"), required=False)


class JudgementForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Criterium"), choices=Criterion.choices)
    judgement = forms.ChoiceField(
        label=_("Oordeel"), choices=Judgement.choices, widget=forms.RadioSelect
    )
    evidence_text = forms.CharField(
        label=_("Onderbouwing"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Welke feiten en bronnen het oordeel dragen."),
    )
    evidence_refs = forms.CharField(
        label=_("Items uit de kennisbibliotheek"),
        required=False,
        max_length=2000,
        help_text=_("Citeersleutels van items, gescheiden door komma's of spaties."),
    )

    def refs(self) -> list[str]:
        raw = self.cleaned_data.get("evidence_refs", "") or ""
        return [part for part in raw.replace(",", " ").split() if part][:20]


class SignalForm(forms.Form):
    recipient = forms.CharField(
        label=_("Geadresseerde"),
        max_length=200,
        required=False,
        help_text=_("Leeg: de secretaris-generaal van het ministerie van SZW."),
    )


class SignalSentForm(forms.Form):
    sent_on = date_field(label=_("Verzonden op"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit van de minister"), choices=Decision.choices, widget=forms.RadioSelect
    )
    decided_at = moment_field(label=_("Besloten op"))
    decided_by = forms.CharField(
        label=_("Besloten door"), max_length=200, required=False, initial=_("Minister van SZW")
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea({"rows": 3}),
    )


_ROLE_CHOICES = [
    ("", _("— niet in de commissie —")),
    (CommitteeRole.CHAIR.value, CommitteeRole.CHAIR.label),
    (CommitteeRole.MEMBER.value, CommitteeRole.MEMBER.label),
    (CommitteeRole.EXPERT_MEMBER.value, CommitteeRole.EXPERT_MEMBER.label),
]


class DecreeForm(forms.Form):
    """The decree's date and term, and per candidate of the card index a committee role."""

    decree_date = date_field(label=_("Datum van het besluit"))
    term = forms.CharField(
        label=_("Looptijd"),
        max_length=200,
        help_text=_("Bijvoorbeeld: twee jaar, tot en met 31 december 2027."),
    )
    ends_on = date_field(label=_("Vervalt op"), required=False)

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for candidate in candidates:
            self.fields[f"role_{candidate.pk}"] = forms.ChoiceField(
                label=str(candidate.person.name),
                choices=_ROLE_CHOICES,
                required=False,
            )

    def candidate_rows(self) -> list[tuple[Candidate, Any]]:
        return [(c, self[f"role_{c.pk}"]) for c in self.candidates]

    def members(self) -> list[services.MemberChoice]:
        return [
            services.MemberChoice(candidate=c, role=self.cleaned_data[f"role_{c.pk}"])
            for c in self.candidates
            if self.cleaned_data.get(f"role_{c.pk}")
        ]


class DecreeAdoptForm(forms.Form):
    adopted_on = date_field(label=_("Vastgesteld door de ministerraad op"))


class AgreementChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.ministry.short_name}: {obj.people} × / {obj.fte} fte"


class AssignmentForm(forms.Form):
    agreement = AgreementChoiceField(
        label=_("Detacheringsafspraak"), queryset=SecondmentAgreement.objects.none()
    )
    name = forms.CharField(label=_("Naam"), max_length=200)
    fte = forms.DecimalField(
        label=_("fte"), min_value=0.1, max_value=1, max_digits=3, decimal_places=1
    )
    starts_on = date_field(label=_("Begint op"))

    def __init__(
        self, *args: Any, agreements: QuerySet[SecondmentAgreement], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]


class ChecklistAddForm(forms.Form):
    title = forms.CharField(label=_("Nieuw checklistpunt"), max_length=300)


class ChecklistDoneForm(forms.Form):
    done_at = moment_field(label=_("Gereed op"), required=False)
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Reden van sluiten"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )
