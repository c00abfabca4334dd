"""Forms of the citizen panel pages. They parse; the services validate and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality
from paraat.panels import services
from paraat.panels.models import LIKERT_LABELS, Question, QuestionKind, SessionKind
from paraat.taxonomies.models import Domain


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        return super().format_value(value)


def _moment(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        error_messages={
            "required": _("Vul datum en tijd in."),
            "invalid": _("Vul een geldige datum en tijd in."),
        },
    )


class PanelForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    description = forms.CharField(label=_("Omschrijving"), widget=forms.Textarea, required=False)
    recruitment = forms.CharField(
        label=_("Werving en samenstelling"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Hoe de deelnemers zijn geworven; nodig om de resultaten te kunnen wegen."),
    )


class PanelistForm(forms.Form):
    code = forms.CharField(
        label=_("Pseudoniem"),
        max_length=40,
        required=False,
        help_text=_("Leeg laten: paraat kiest een willekeurige code. Gebruik geen naam."),
    )
    email = forms.CharField(
        label=_("E-mailadres (optioneel)"),
        max_length=254,
        required=False,
        help_text=_("Alleen om uitnodigingen te sturen."),
    )
    consent_on = forms.DateField(
        label=_("Toestemming gegeven op"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    consent_text = forms.CharField(
        label=_("Tekst van de toestemming"),
        widget=forms.Textarea,
        initial=_(
            "Ik doe vrijwillig mee aan het burgerpanel van het Maatschappelijk Impact Team. Mijn "
            "antwoorden worden anoniem opgeslagen. Ik mag mijn toestemming altijd intrekken en "
            "vragen mijn gegevens te verwijderen."
        ),
    )
    retention_until = forms.DateField(
        label=_("Bewaren tot"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )

    def to_data(self) -> services.PanelistData:
        d = self.cleaned_data
        return services.PanelistData(
            consent_on=d["consent_on"],
            consent_text=d["consent_text"],
            retention_until=d["retention_until"],
            email=d.get("email") or "",
            code=d.get("code") or "",
        )


_CONFIDENTIALITY = [
    (Confidentiality.INTERNAL.value, Confidentiality.INTERNAL.label),
    (Confidentiality.CONFIDENTIAL.value, Confidentiality.CONFIDENTIAL.label),
]


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    intro = forms.CharField(label=_("Inleiding"), widget=forms.Textarea, required=False)
    opens_at = _moment(_("Open vanaf"))
    closes_at = _moment(_("Sluit op"))
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"), choices=_CONFIDENTIALITY, initial="internal"
    )

    def to_data(self) -> services.QuestionnaireData:
        d = self.cleaned_data
        return services.QuestionnaireData(
            title=d["title"],
            intro=d.get("intro") or "",
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            confidentiality=d["confidentiality"],
        )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort vraag"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Vraag of stelling"), widget=forms.Textarea(attrs={"rows": 2}))
    choices = forms.CharField(
        label=_("Antwoordmogelijkheden (bij meerkeuze, één per regel)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    required = forms.BooleanField(label=_("Verplicht"), required=False)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    intro = forms.CharField(
        label=_("Het dilemma (inleiding)"), widget=forms.Textarea, required=False
    )
    kind = forms.ChoiceField(label=_("Soort sessie"), choices=SessionKind.choices)
    assessment = forms.ChoiceField(label=_("Afweging"), required=False)
    domains = forms.MultipleChoiceField(
        label=_("Impactdomeinen (bij rangschikken zonder afweging)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offer_weights = forms.BooleanField(
        label=_("Gewichten aanbieden aan de robuustheidsanalyse van de afweging"), required=False
    )
    opens_at = _moment(_("Open vanaf"))
    closes_at = _moment(_("Sluit op"))
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"), choices=_CONFIDENTIALITY, initial="internal"
    )

    def __init__(self, *args: Any, assessments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessments = {a.key: a for a in assessments}
        self.fields["assessment"].choices = [
            ("", _("geen")),
            *((a.key, a.title) for a in assessments),
        ]
        self.fields["domains"].choices = [
            (d.key, d.name) for d in Domain.objects.filter(is_active=True).order_by("position")
        ]

    def to_data(self) -> services.SessionData:
        d = self.cleaned_data
        return services.SessionData(
            title=d["title"],
            intro=d.get("intro") or "",
            kind=d["kind"],
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            assessment=self.assessments.get(d.get("assessment") or ""),
            domain_keys=tuple(d.get("domains") or ()),
            offer_weights=bool(d.get("offer_weights")),
            confidentiality=d["confidentiality"],
        )


class AnswerForm(forms.Form):
    """The questionnaire as a form, for rendering and errors; ``services.answers_parse`` checks
    the submitted values (``q<id>``)."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            name = services.field_name(q)
            if q.kind == QuestionKind.LIKERT:
                field: forms.Field = forms.ChoiceField(
                    choices=[(str(i + 1), f"{i + 1} – {LIKERT_LABELS[i]}") for i in range(5)],
                    widget=forms.RadioSelect,
                )
            elif q.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in q.choices], widget=forms.RadioSelect
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), max_length=services.MAX_TEXT
                )
            field.label = q.text
            field.required = q.required
            self.fields[name] = field


class BallotForm(forms.Form):
    """A ranking (a place 1 … n per domain, keyboard friendly) or the choice of one option."""

    def __init__(self, *args: Any, kind: str, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == SessionKind.CHOOSE_OPTION:
            self.fields["option"] = forms.ChoiceField(
                label=_("Welke optie kiest u?"), choices=items, widget=forms.RadioSelect
            )
            return
        places = [("", "–"), *((str(i), str(i)) for i in range(1, len(items) + 1))]
        for key, name in items:
            self.fields[f"rank_{key}"] = forms.ChoiceField(
                label=_("Plaats voor %(d)s") % {"d": name}, choices=places
            )
