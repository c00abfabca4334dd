"""Forms of the network pages.  Forms only parse and validate input; ``network.services``
decides and writes.  Dates are entered with ``<input type="date">``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paraat.network import selectors, services
from paraat.network.models import CommitteeRole, ErasureReason, OrganisationKind, Person

DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
RETENTION_YEARS = 2
"""Suggested retention for a new person: two years (the evaluation cycle of the standby MIT)."""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(*, label: Any, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
    )


def parse_date(value: object) -> dt.date | None:
    """A date from a query parameter (``2026-03-15`` or ``15-03-2026``), or None when it is
    missing, malformed or outside 1990–2199.  Never raises."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 10:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if DATE_MIN <= day <= DATE_MAX else None
    return None


def parse_pk(value: object) -> int | None:
    """A positive primary key from a query parameter, or None.  Never raises."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > 12:
        return None
    number = int(value)
    return number if number > 0 else None


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PersonLabelField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        organisation = obj.organisation.short_name if obj.organisation else ""
        return f"{obj.name} ({organisation})" if organisation else str(obj.name)


class SafeMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A multiple choice of rows by primary key that refuses anything but a plausible key
    before it reaches the database (SQLite raises ``OverflowError`` — a 500 — on a huge
    integer in an ``IN`` list)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk)
            if not (text.isascii() and text.isdigit() and 0 < len(text) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
        return super()._check_values(value)  # type: ignore[misc]


class DisciplineField(SafeMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# --- people --------------------------------------------------------------------------------------


class PersonFields(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    email = forms.EmailField(label=_("E-mailadres (werk)"), required=False)
    phone = forms.CharField(label=_("Telefoon (werk)"), max_length=40, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=selectors.organisation_list(),
        required=False,
        empty_label=_("— geen —"),
    )
    function_title = forms.CharField(label=_("Functie"), max_length=200, required=False)
    consent_on = date_field(label=_("Toestemming gegeven op"))
    consent_scope = forms.CharField(
        label=_("Reikwijdte toestemming"),
        max_length=500,
        required=False,
        help_text=_("Waarvoor de persoon toestemming gaf, bijv. 'expertpool en kaartenbak'."),
    )
    retention_until = date_field(
        label=_("Bewaren tot"),
        required=True,
        help_text=_("Na deze datum worden de gegevens geanonimiseerd of verwijderd."),
    )
    is_fictional = forms.BooleanField(label=_("Fictief persoon (demo of oefening)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisation_list()  # type: ignore[attr-defined]
        if not self.is_bound and not self.initial.get("retention_until"):
            today = timezone.localdate()
            self.initial["retention_until"] = selectors.years_later(today, RETENTION_YEARS)

    def person_data(self) -> services.PersonData:
        data = self.cleaned_data
        return services.PersonData(
            name=data["name"],
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            organisation=data.get("organisation"),
            function_title=data.get("function_title") or "",
            user=data.get("user"),
            consent_on=data.get("consent_on"),
            consent_scope=data.get("consent_scope") or "",
            retention_until=data.get("retention_until"),
            is_fictional=bool(data.get("is_fictional")),
        )


class PersonForm(PersonFields):
    user = forms.ModelChoiceField(
        label=_("Gekoppeld account (optioneel)"),
        queryset=selectors.user_choices(),
        required=False,
        empty_label=_("— geen account —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.user_choices()  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "organisation": person.organisation_id,
            "function_title": person.function_title,
            "user": person.user_id,
            "consent_on": person.consent_on,
            "consent_scope": person.consent_scope,
            "retention_until": person.retention_until,
            "is_fictional": person.is_fictional,
        }


class EraseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden"), choices=ErasureReason.choices, initial=ErasureReason.REQUEST
    )
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat dit niet ongedaan kan worden gemaakt."), required=True
    )


class DeclarationForm(forms.Form):
    text = forms.CharField(
        label=_("Belangenverklaring"), widget=_textarea(4), max_length=services.TEXT_MAX
    )
    declared_on = date_field(label=_("Verklaard op"), help_text=_("Leeg: vandaag."))


# --- organisations -------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=300)
    abbreviation = forms.CharField(label=_("Afkorting"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Soort"), choices=OrganisationKind.choices)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=500, assume_scheme="https"
    )
    is_synthetic = forms.BooleanField(label=_("Fictieve organisatie (demo)"), required=False)

    def to_data(self) -> services.OrganisationData:
        data = self.cleaned_data
        return services.OrganisationData(
            name=data["name"],
            abbreviation=data.get("abbreviation") or "",
            kind=data["kind"],
            website=data.get("website") or "",
            is_synthetic=bool(data.get("is_synthetic")),
        )


# --- committee -----------------------------------------------------------------------------------


class MembershipForm(forms.Form):
    person = PersonLabelField(label=_("Persoon"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Rol"), choices=CommitteeRole.choices)
    institution = forms.ModelChoiceField(
        label=_("Namens instituut"),
        queryset=selectors.institution_list(),
        required=False,
        empty_label=_("— geen —"),
        help_text=_("Verplicht voor een expertlid (CPB, SCP, PBL, SER, RIVM)."),
    )
    starts_on = date_field(label=_("Begint op"), required=True)
    source = forms.CharField(
        label=_("Bron"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld het instellingsbesluit of de benoemingsbrief."),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["institution"].queryset = selectors.institution_list()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == CommitteeRole.EXPERT_MEMBER and not data.get("institution"):
            self.add_error(
                "institution",
                _(
                    "Een expertlid zit namens een instituut (CPB, SCP, PBL, SER, RIVM): "
                    "kies het instituut."
                ),
            )
        return data


class MembershipEndForm(forms.Form):
    ends_on = date_field(label=_("Eindigt op"), required=True)


# --- disciplines, pool, card index ---------------------------------------------------------------


class DisciplineForm(forms.Form):
    name_nl = forms.CharField(label=_("Naam (Nederlands)"), max_length=200)
    name_en = forms.CharField(label=_("Naam (Engels)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Omschrijving"), widget=_textarea(3), required=False, max_length=services.TEXT_MAX
    )
    position = forms.IntegerField(label=_("Volgorde"), min_value=0, max_value=10_000, initial=0)
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)

    def to_data(self) -> services.DisciplineData:
        data = self.cleaned_data
        return services.DisciplineData(
            name_nl=data["name_nl"],
            name_en=data.get("name_en") or "",
            description=data.get("description") or "",
            position=data.get("position") or 0,
            is_active=bool(data.get("is_active")),
        )


def _disciplines() -> DisciplineField:
    return DisciplineField(label=_("Disciplines"), queryset=selectors.discipline_list())


class EntryForm(forms.Form):
    """Disciplines and availability of a pool or card-index entry."""

    disciplines = _disciplines()
    availability_confirmed_on = date_field(
        label=_("Beschikbaarheid laatst bevestigd op"),
        help_text=_("Wanneer de persoon laatst liet weten beschikbaar te zijn."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].queryset = selectors.discipline_list()  # type: ignore[attr-defined]


class PoolExpertForm(EntryForm):
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)


class CandidateForm(EntryForm):
    notes = forms.CharField(
        label=_("Notities"), widget=_textarea(3), required=False, max_length=services.TEXT_MAX
    )
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)


class CandidateRegisterForm(PersonFields):
    """A new person straight into the card index."""

    disciplines = _disciplines()
    availability_confirmed_on = date_field(
        label=_("Beschikbaarheid laatst bevestigd op"),
        help_text=_("Wanneer de persoon laatst liet weten beschikbaar te zijn."),
    )
    notes = forms.CharField(
        label=_("Notities"), widget=_textarea(3), required=False, max_length=services.TEXT_MAX
    )
    declaration = forms.CharField(
        label=_("Belangenverklaring"),
        widget=_textarea(3),
        required=False,
        max_length=services.TEXT_MAX,
        help_text=_("Nevenfuncties en belangen; later aan te vullen (eerdere blijven bewaard)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].queryset = selectors.discipline_list()  # type: ignore[attr-defined]


# --- practice circles ----------------------------------------------------------------------------


class CircleForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=300)
    description = forms.CharField(
        label=_("Omschrijving"), widget=_textarea(3), required=False, max_length=services.TEXT_MAX
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Trekker (organisatie)"), queryset=selectors.organisation_list()
    )
    member_organisations = SafeMultipleChoiceField(
        label=_("Deelnemende organisaties"),
        queryset=selectors.organisation_list(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    contact = PersonLabelField(
        label=_("Contactpersoon"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— geen —"),
    )
    groups = SafeMultipleChoiceField(
        label=_("Groepen waarvoor de kring spreekt"),
        queryset=selectors.population_group_list(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    response_hours = forms.IntegerField(
        label=_("Toegezegde reactietijd (uren)"),
        min_value=1,
        max_value=services.RESPONSE_HOURS_MAX,
        initial=48,
    )
    contact_confirmed_on = date_field(label=_("Contactpersoon laatst bevestigd op"))
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)
    is_synthetic = forms.BooleanField(label=_("Fictieve kring (demo)"), required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = selectors.organisation_list()
        self.fields["lead_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["member_organisations"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["contact"].queryset = people  # type: ignore[attr-defined]
        self.fields["groups"].queryset = selectors.population_group_list()  # type: ignore[attr-defined]

    def to_data(self) -> services.CircleData:
        data = self.cleaned_data
        return services.CircleData(
            name=data["name"],
            description=data.get("description") or "",
            lead_organisation=data.get("lead_organisation"),
            member_organisations=list(data.get("member_organisations") or []),
            contact=data.get("contact"),
            groups=list(data.get("groups") or []),
            response_hours=data["response_hours"],
            contact_confirmed_on=data.get("contact_confirmed_on"),
            is_active=bool(data.get("is_active")),
            is_synthetic=bool(data.get("is_synthetic")),
        )
