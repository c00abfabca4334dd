"""Forms of the decision pages: vote, sign-off and dispatch, publication, cabinet response.

The forms only parse input; the rules (a reason on disagree, a minority position with a
majority, a justification when a recommendation is not adopted) are the services' and come
back as ``ValidationError`` on the named field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from paraat.advice.forms_process import moment_field
from paraat.advice.models import (
    AdoptionStatus,
    DecisionMode,
    FollowUpKind,
    RapidStatement,
    Recommendation,
    VoteChoice,
)
from paraat_core import voting

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TEXT_MAX = 20_000


def _datetime_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DateTimeField:
    return moment_field(label=label, required=required, help_text=help_text)


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _labelled(values: Iterable[str]) -> list[tuple[str, Any]]:
    return [(value, VoteChoice(value).label) for value in values]


# --- vote -----------------------------------------------------------------------------------------


class RoundOpenForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Wijze van besluiten"),
        choices=DecisionMode.choices,
        initial=DecisionMode.REGULAR,
        widget=forms.RadioSelect,
        help_text=_(
            "Een stemming: eens, eens met voorbehoud, oneens of onthouding. Een snelle ronde "
            "(spoed): per vooraf ingevuld oordeel eens, oneens of weet niet."
        ),
    )
    closes_at = _datetime_field(
        _("Sluit op"),
        required=False,
        help_text=_("Leeg: de deadline van de adviesaanvraag."),
    )
    quorum = forms.FloatField(
        label=_("Quorum (deel van de stemgerechtigden)"),
        min_value=0,
        max_value=0.99,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "0.99"}),
        help_text=_("Meer dan dit deel van de stemgerechtigden moet stemmen; 0,5 is de helft."),
    )
    statements = forms.CharField(
        label=_("Vooraf ingevulde oordelen (snelle ronde)"),
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(6),
        help_text=_("Eén oordeel per regel; alleen nodig bij een snelle ronde."),
    )

    def __init__(self, *args: Any, deadline: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quorum"].initial = settings.PARAAT_ADVICE_QUORUM
        if deadline is not None:
            self.fields["closes_at"].initial = deadline

    def statement_lines(self) -> list[str]:
        text = self.cleaned_data.get("statements") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class VoteForm(forms.Form):
    """A ballot (or an expert member's position) in a regular round."""

    choice = forms.ChoiceField(
        label=_("Uw oordeel over deze versie"),
        choices=_labelled(voting.CHOICES),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(),
        help_text=_("Verplicht als u het oneens bent."),
    )

    def field_for(self, error_key: str) -> str | None:
        """The field of a service error key (``answers.0.reason`` → ``reason``)."""
        if error_key.startswith("answers."):
            error_key = error_key.rsplit(".", 1)[-1]
        return error_key if error_key in self.fields else None


class RapidVoteForm(forms.Form):
    """One answer per pre-filled judgement of a rapid round (all judgements answered)."""

    def __init__(self, *args: Any, statements: Sequence[RapidStatement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        for statement in self.statements:
            self.fields[f"s{statement.pk}_choice"] = forms.ChoiceField(
                label=_("Uw antwoord op oordeel %(n)s") % {"n": statement.order},
                choices=_labelled(voting.RAPID_CHOICES),
                widget=forms.RadioSelect,
            )
            self.fields[f"s{statement.pk}_reason"] = forms.CharField(
                label=_("Toelichting bij oordeel %(n)s") % {"n": statement.order},
                required=False,
                max_length=TEXT_MAX,
                widget=_textarea(3),
                help_text=_("Verplicht als u het oneens bent."),
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "statement": s,
                "fields": [self[f"s{s.pk}_choice"], self[f"s{s.pk}_reason"]],
            }
            for s in self.statements
        ]

    def answers(self) -> list[tuple[RapidStatement, str, str]]:
        data = self.cleaned_data
        return [
            (s, data.get(f"s{s.pk}_choice", ""), data.get(f"s{s.pk}_reason", ""))
            for s in self.statements
        ]

    def field_for(self, error_key: str) -> str | None:
        """``answers.<i>.<name>`` → the field of the i-th judgement."""
        parts = error_key.split(".")
        if len(parts) == 3 and parts[0] == "answers" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.statements):
                name = "choice" if parts[2] == "statement" else parts[2]
                field = f"s{self.statements[index].pk}_{name}"
                return field if field in self.fields else None
        return None


class RoundCloseForm(forms.Form):
    minority_position = forms.CharField(
        label=_("Minderheidsstandpunt"),
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(5),
        help_text=_(
            "Verplicht als de uitkomst een meerderheid is: het standpunt van wie het oneens is."
        ),
    )


# --- dispatch and publication ---------------------------------------------------------------------


class DispatchForm(forms.Form):
    recipient = forms.CharField(
        label=_("Geadresseerde"),
        max_length=200,
        initial=_("Secretaris-generaal van SZW"),
    )
    embargo_until = _datetime_field(
        _("Embargo tot"),
        required=False,
        help_text=_(
            "Leeg: het embargo loopt tot het secretariaat het advies publiceert, nadat het "
            "ministerie het aan de Tweede Kamer heeft gestuurd."
        ),
    )
    embargo_note = forms.CharField(
        label=_("Toelichting bij het embargo"),
        required=False,
        max_length=300,
    )


class PublishForm(forms.Form):
    url = forms.URLField(
        label=_("Adres van de publicatie"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Bijvoorbeeld de vindplaats op rijksoverheid.nl; mag leeg blijven."),
    )


class ReflectionForm(forms.Form):
    institution = forms.CharField(label=_("Instituut"), required=False, max_length=200)
    body = forms.CharField(label=_("Reflectie"), max_length=TEXT_MAX, widget=_textarea(6))


# --- cabinet response and follow-up ---------------------------------------------------------------


class CabinetResponseForm(forms.Form):
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("Document"), max_length=300)
    url = forms.URLField(label=_("Adres"), required=False, max_length=500, assume_scheme="https")
    summary = forms.CharField(
        label=_("Samenvatting"), required=False, max_length=TEXT_MAX, widget=_textarea(4)
    )

    def __init__(
        self, *args: Any, recommendations: Sequence[Recommendation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        for rec in self.recommendations:
            self.fields[f"status_{rec.number}"] = forms.ChoiceField(
                label=_("Status van aanbeveling %(n)s") % {"n": rec.number},
                choices=AdoptionStatus.choices,
                initial=AdoptionStatus.NO_RESPONSE,
            )
            self.fields[f"justification_{rec.number}"] = forms.CharField(
                label=_("Motivering bij aanbeveling %(n)s") % {"n": rec.number},
                required=False,
                max_length=TEXT_MAX,
                widget=_textarea(3),
                help_text=_("Verplicht bij ‘niet overgenomen’ en ‘deels overgenomen’."),
            )

    def head_fields(self) -> list[Any]:
        return [self[name] for name in ("date", "title", "url", "summary")]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "recommendation": rec,
                "fields": [self[f"status_{rec.number}"], self[f"justification_{rec.number}"]],
            }
            for rec in self.recommendations
        ]

    def statuses(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            rec.number: (
                data.get(f"status_{rec.number}", AdoptionStatus.NO_RESPONSE),
                data.get(f"justification_{rec.number}", ""),
            )
            for rec in self.recommendations
        }

    def field_for(self, error_key: str) -> str | None:
        """``statuses.<n>`` → the justification of recommendation n (the status itself is
        checked by the form already)."""
        if error_key.startswith("statuses."):
            name = f"justification_{error_key.split('.', 1)[1]}"
            return name if name in self.fields else None
        return error_key if error_key in self.fields else None


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=FollowUpKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=300)
    reference = forms.CharField(label=_("Kenmerk"), required=False, max_length=100)
    url = forms.URLField(label=_("Adres"), required=False, max_length=500, assume_scheme="https")
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=TEXT_MAX, widget=_textarea(3)
    )
