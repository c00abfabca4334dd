"""Forms of the advice process pages (request, status, information package, OMT, input).

Forms only parse and validate input; ``advice.services`` decides and writes. Moments are
entered with ``<input type="datetime-local">`` and read in the current time zone
(Europe/Amsterdam), so the services receive timezone-aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality, User
from paraat.advice import services
from paraat.advice.models import AdviceRequest, RecipientKind, Requester, RequestKind, Severity
from paraat.assessments.models import Assessment
from paraat.evidence.models import Direction, InterestsStatus
from paraat.measures.models import Package
from paraat.network import selectors as network_selectors
from paraat.taxonomies.models import PopulationGroup

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
NOTE_MAX = 2_000
"""Longest note with a status change (characters)."""


class DateTimeLocalInput(forms.DateTimeInput):
    """``<input type="datetime-local">``, shown and read in the current time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def in_years(value: Any) -> None:
    """Refuse moments outside ``services.YEARS`` (date arithmetic on them would fail)."""
    low, high = services.YEARS
    if value is not None and not low <= value.year <= high:
        raise forms.ValidationError(
            _("Geef een moment tussen %(a)s en %(b)s."), params={"a": low, "b": high}
        )


def moment_field(*, label: Any, required: bool, help_text: Any = "") -> forms.DateTimeField:
    """A date and time in Dutch time (``datetime-local``), within ``services.YEARS``."""
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=[
            DATETIME_LOCAL,
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%d-%m-%Y %H:%M",
            "%Y-%m-%d",
        ],
        validators=[in_years],
    )


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _person_label(user: User) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name} ({user.organisation})" if user.organisation else name


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _person_label(obj)


# --- the request ---------------------------------------------------------------------------------


class RequestForm(forms.Form):
    """The particulars of an advice request (create and edit)."""

    title = forms.CharField(label=_("Titel"), max_length=300)
    question = forms.CharField(label=_("Adviesvraag"), widget=_textarea(6))
    requester = forms.ChoiceField(
        label=_("Aanvrager"), choices=Requester.choices, initial=Requester.SG_SZW
    )
    requester_name = forms.CharField(
        label=_("Naam aanvrager"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld de naam van de secretaris-generaal of de afdeling."),
    )
    kind = forms.ChoiceField(
        label=_("Soort advies"), choices=RequestKind.choices, initial=RequestKind.URGENT
    )
    received_at = moment_field(
        label=_("Ontvangen op"),
        required=False,
        help_text=_("Datum en tijd (Nederlandse tijd). Leeg: nu."),
    )
    deadline = moment_field(label=_("Deadline"), required=False)
    options = forms.ModelMultipleChoiceField(
        label=_("Opties (maatregelenpakketten)"),
        queryset=Package.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assessment = forms.ModelChoiceField(
        label=_("Afweging"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("— geen afweging —"),
    )
    omt_reference = forms.CharField(
        label=_("Parallelle OMT-adviesaanvraag"),
        max_length=300,
        required=False,
        help_text=_("Kenmerk of titel van de adviesaanvraag aan het OMT over dezelfde vraag."),
    )
    omt_url = forms.URLField(
        label=_("Adres OMT-adviesaanvraag"), max_length=500, required=False, assume_scheme="https"
    )
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )
    is_synthetic = forms.BooleanField(
        label=_("Synthetisch (oefening of demo)"),
        required=False,
        help_text=_(
            "Voor een oefening of simulatie: de aanvraag en alles wat eruit voortkomt "
            "(ook de items in de kennisbibliotheek) worden als synthetisch gemarkeerd."
        ),
    )

    def __init__(
        self,
        *args: Any,
        packages: QuerySet[Package],
        assessments: QuerySet[Assessment],
        levels: Sequence[str] = tuple(Confidentiality.values),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["options"].queryset = packages  # type: ignore[attr-defined]
        self.fields["assessment"].queryset = assessments  # type: ignore[attr-defined]
        self.fields["confidentiality"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Confidentiality.choices if value in levels
        ]
        self.fields["deadline"].help_text = _(
            "Datum en tijd (Nederlandse tijd). Leeg: een spoedadvies %(hours)s uur na "
            "ontvangst, een advies voor de langere termijn %(days)s dagen na ontvangst."
        ) % {
            "hours": settings.PARAAT_ADVICE_URGENT_HOURS,
            "days": settings.PARAAT_ADVICE_LONG_TERM_DAYS,
        }

    @staticmethod
    def initial_for(advice: AdviceRequest, *, option_ids: Iterable[int]) -> dict[str, Any]:
        """The form's initial values for editing ``advice``; ``option_ids`` are its options
        (``selectors.option_ids``)."""
        return {
            "title": advice.title,
            "question": advice.question,
            "requester": advice.requester,
            "requester_name": advice.requester_name,
            "kind": advice.kind,
            "received_at": advice.received_at,
            "deadline": advice.deadline,
            "options": list(option_ids),
            "assessment": advice.assessment_id,
            "omt_reference": advice.omt_reference,
            "omt_url": advice.omt_url,
            "confidentiality": advice.confidentiality,
            "is_synthetic": advice.is_synthetic,
        }

    def to_data(self, *, keep_options: Iterable[Package] = ()) -> services.RequestData:
        """The service's input; ``keep_options`` are packages already linked that this user
        cannot see (and so cannot untick): they stay linked."""
        data = self.cleaned_data
        chosen = list(data["options"])
        chosen_pks = {package.pk for package in chosen}
        chosen += [package for package in keep_options if package.pk not in chosen_pks]
        return services.RequestData(
            title=data["title"],
            question=data["question"],
            requester=data["requester"],
            requester_name=data["requester_name"],
            kind=data["kind"],
            received_at=data["received_at"],
            deadline=data["deadline"],
            options=chosen,
            assessment=data["assessment"],
            omt_reference=data["omt_reference"],
            omt_url=data["omt_url"],
            confidentiality=data["confidentiality"],
            is_synthetic=data["is_synthetic"],
        )


class TransitionForm(forms.Form):
    to = forms.CharField(label=_("Nieuwe status"), max_length=30)
    note = forms.CharField(
        label=_("Toelichting bij de statuswijziging (optioneel)"),
        max_length=NOTE_MAX,
        required=False,
        widget=_textarea(2),
    )


class InformationItemForm(forms.Form):
    """A document of the information package that both the MIT and the OMT received."""

    title = forms.CharField(label=_("Titel van het stuk"), max_length=300)
    url = forms.URLField(
        label=_("Adres (optioneel)"), max_length=500, required=False, assume_scheme="https"
    )
    evidence = forms.IntegerField(
        label=_("Nummer in de kennisbibliotheek (optioneel)"),
        required=False,
        min_value=1,
        help_text=_(
            "Het nummer in het adres van het item, bijvoorbeeld 42 in /kennisbibliotheek/42/."
        ),
    )
    received_at = moment_field(
        label=_("Ontvangen op (optioneel)"), required=False, help_text=_("Leeg: nu.")
    )


# --- OMT information -------------------------------------------------------------------------


class OmtDocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel van het OMT-stuk"), max_length=300)
    body = forms.CharField(
        label=_("Inhoud of samenvatting"), required=False, widget=_textarea(6), max_length=200_000
    )


class OmtGrantForm(forms.Form):
    grantee = PersonChoiceField(
        label=_("Persoon"),
        queryset=User.objects.none(),
        empty_label=_("— kies een persoon —"),
        help_text=_("Alleen actieve personen die concepten van adviezen mogen lezen."),
    )
    reason = forms.CharField(label=_("Reden van de toegang"), widget=_textarea(3), max_length=2_000)
    valid_until = moment_field(
        label=_("Geldig tot (optioneel)"),
        required=False,
        help_text=_("Datum en tijd (Nederlandse tijd). Leeg: tot de toegang wordt ingetrokken."),
    )

    def __init__(self, *args: Any, grantees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grantee"].queryset = grantees  # type: ignore[attr-defined]


# --- requests for input ------------------------------------------------------------------------


class PoolExpertChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        person = obj.person
        disciplines = ", ".join(d.name for d in obj.disciplines.all())
        organisation = person.organisation.short_name if person.organisation else ""
        parts = [part for part in (organisation, disciplines) if part]
        return f"{person.name} ({'; '.join(parts)})" if parts else str(person.name)


class CircleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("%(name)s (toegezegde reactietijd: %(hours)s uur)")
            % {"name": obj.name, "hours": obj.response_hours}
        )


class InputRequestForm(forms.Form):
    """A question to one recipient; the link is mailed to them after saving.

    The recipient can be picked from the network (an expert of the pool, or a practice circle
    through its contact person): name, e-mail address and organisation are then taken from the
    network record where they are left empty, and the kind of recipient follows the pick.
    """

    recipient_kind = forms.ChoiceField(label=_("Soort ontvanger"), choices=RecipientKind.choices)
    network_expert = PoolExpertChoiceField(
        label=_("Expert uit de pool (netwerk, optioneel)"),
        queryset=network_selectors.pool_expert_list(),
        required=False,
        empty_label=_("— geen —"),
    )
    network_circle = CircleChoiceField(
        label=_("Praktijkkring (netwerk, optioneel)"),
        queryset=network_selectors.practice_circle_list(),
        required=False,
        empty_label=_("— geen —"),
        help_text=_(
            "De uitvraag gaat naar de contactpersoon van de kring. Houd bij de deadline "
            "rekening met de toegezegde reactietijd van de kring."
        ),
    )
    recipient = PersonChoiceField(
        label=_("Account van de ontvanger (optioneel)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— geen account —"),
        help_text=_("Naam en e-mailadres worden dan van het account genomen als ze leeg zijn."),
    )
    recipient_name = forms.CharField(label=_("Naam ontvanger"), max_length=200, required=False)
    recipient_email = forms.EmailField(label=_("E-mailadres"), required=False)
    organisation = forms.CharField(label=_("Organisatie of kring"), max_length=300, required=False)
    question = forms.CharField(label=_("Vraag"), widget=_textarea(4), max_length=20_000)
    deadline = moment_field(
        label=_("Deadline"), required=True, help_text=_("Datum en tijd (Nederlandse tijd).")
    )

    def __init__(self, *args: Any, recipients: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]
        self.fields["network_expert"].queryset = network_selectors.pool_expert_list()  # type: ignore[attr-defined]
        self.fields["network_circle"].queryset = network_selectors.practice_circle_list()  # type: ignore[attr-defined]

    def _from_network(self, data: dict[str, Any]) -> None:
        """Fill name, e-mail and organisation from the picked pool expert or circle."""
        expert, circle = data.get("network_expert"), data.get("network_circle")
        if expert is not None and circle is not None:
            self.add_error(
                "network_circle", _("Kies een expert of een praktijkkring, niet allebei.")
            )
            return
        if expert is None and circle is None:
            return
        if circle is not None:
            person = circle.contact
            if person is None:
                self.add_error(
                    "network_circle",
                    _("Deze kring heeft nog geen contactpersoon; vul naam en e-mailadres in."),
                )
                person_name = person_email = ""
            else:
                person_name, person_email = person.name, person.email
            organisation = circle.name
            data["recipient_kind"] = RecipientKind.PRACTICE_CIRCLE
        else:
            person = expert.person
            person_name, person_email = person.name, person.email
            organisation = person.organisation.name if person.organisation else ""
            data["recipient_kind"] = RecipientKind.POOL_EXPERT
        if not data.get("recipient_name"):
            data["recipient_name"] = person_name
        if not data.get("recipient_email") and "recipient_email" not in self.errors:
            data["recipient_email"] = person_email
        if not data.get("organisation"):
            data["organisation"] = organisation
        recipients = self.fields["recipient"].queryset  # type: ignore[attr-defined]
        if (
            data.get("recipient") is None
            and person is not None
            and person.user_id is not None
            and recipients.filter(pk=person.user_id).exists()
        ):
            data["recipient"] = recipients.get(pk=person.user_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._from_network(data)
        account = data.get("recipient")
        if account is not None:
            if not data.get("recipient_name"):
                data["recipient_name"] = account.get_full_name() or account.get_username()
            if not data.get("recipient_email") and "recipient_email" not in self.errors:
                data["recipient_email"] = account.email
            if not data.get("organisation"):
                data["organisation"] = account.organisation
        return data

    def to_data(self) -> services.InputRequestData:
        data = self.cleaned_data
        return services.InputRequestData(
            recipient_kind=data["recipient_kind"],
            recipient_name=data.get("recipient_name") or "",
            recipient_email=data.get("recipient_email") or "",
            question=data["question"],
            deadline=data["deadline"],
            organisation=data.get("organisation") or "",
            recipient=data.get("recipient"),
        )


class InputResponseForm(forms.Form):
    """The structured answer behind the secure link (signal, groups, severity, source,
    declared interests)."""

    signal = forms.CharField(
        label=_("Signaal"),
        widget=_textarea(8),
        max_length=services.TEXT_MAX,
        help_text=_(
            "Wat ziet of hoort u? Beschrijf het effect en bij wie het optreedt. Noem geen "
            "namen of andere persoonsgegevens."
        ),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Geraakte groepen"),
        queryset=PopulationGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    direction = forms.ChoiceField(
        label=_("Richting van het effect"),
        choices=Direction.choices,
        initial=Direction.UNKNOWN,
        widget=forms.RadioSelect,
    )
    severity = forms.ChoiceField(
        label=_("Ernst"), choices=Severity.choices, widget=forms.RadioSelect
    )
    source = forms.CharField(
        label=_("Bron"),
        required=False,
        widget=_textarea(3),
        max_length=20_000,
        help_text=_("Waar komt het signaal vandaan: eigen waarneming, meldingen, een onderzoek?"),
    )
    interests_status = forms.ChoiceField(
        label=_("Belangen"), choices=InterestsStatus.choices, widget=forms.RadioSelect
    )
    declared_interests = forms.CharField(
        label=_("Verklaarde belangen"),
        required=False,
        widget=_textarea(3),
        max_length=20_000,
        help_text=_(
            "Verplicht als u belangen verklaart: welke belangen heeft u of uw organisatie?"
        ),
    )

    def __init__(self, *args: Any, groups: QuerySet[PopulationGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("interests_status") == InterestsStatus.DECLARED
            and not (data.get("declared_interests") or "").strip()
        ):
            self.add_error("declared_interests", _("Beschrijf de verklaarde belangen."))
        return data

    def to_data(self) -> services.ResponseData:
        data = self.cleaned_data
        return services.ResponseData(
            signal=data["signal"],
            severity=data["severity"],
            interests_status=data["interests_status"],
            groups=list(data["groups"]),
            direction=data["direction"],
            source=data["source"],
            declared_interests=data["declared_interests"],
        )
