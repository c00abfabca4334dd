"""Forms of the rights catalogue pages: they parse and validate input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from paraat.assessments.models import FundamentalRight, RightsQuestion


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class _KeyFixedOnEdit(forms.Form):
    """Shows the key (and for questions the kind) read-only when editing an existing row."""

    fixed_on_edit: tuple[str, ...] = ("key",)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in self.fixed_on_edit:
                field = self.fields[name]
                field.disabled = True
                field.help_text = _("Ligt vast: afwegingen en afwegingsbestanden verwijzen ernaar.")


class FundamentalRightForm(_KeyFixedOnEdit):
    key = forms.SlugField(
        label=_("Sleutel"),
        max_length=60,
        help_text=_(
            "Kleine letters, cijfers en streepjes, bijvoorbeeld evrm-8. "
            "Ligt vast zodra het grondrecht is opgeslagen."
        ),
    )
    instrument = forms.ChoiceField(label=_("Bron"), choices=FundamentalRight.Instrument.choices)
    article = forms.CharField(
        label=_("Artikel"), max_length=40, help_text=_("Bijvoorbeeld 8 of 2 Protocol 4.")
    )
    title_nl = forms.CharField(label=_("Omschrijving (Nederlands)"), max_length=300)
    title_en = forms.CharField(label=_("Omschrijving (Engels)"), max_length=300, required=False)
    absolute = forms.BooleanField(
        label=_("Absoluut recht (mag onder geen voorwaarde worden beperkt)"), required=False
    )
    url = forms.URLField(
        label=_("Bronadres"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Webadres van de wettekst of het verdrag."),
    )
    position = forms.IntegerField(label=_("Volgorde"), min_value=0, initial=0)
    is_active = forms.BooleanField(
        label=_("Actief (kiesbaar bij nieuwe afwegingen)"), required=False, initial=True
    )


class RightsQuestionForm(_KeyFixedOnEdit):
    fixed_on_edit = ("kind", "key")

    kind = forms.ChoiceField(label=_("Soort"), choices=RightsQuestion.Kind.choices)
    key = forms.SlugField(
        label=_("Sleutel"),
        max_length=60,
        help_text=_(
            "Kleine letters, cijfers, streepjes en liggende streepjes, bijvoorbeeld "
            "legitimate_aim. Ligt vast zodra de vraag is opgeslagen."
        ),
    )
    text_nl = forms.CharField(label=_("Vraag (Nederlands)"), widget=_textarea(3))
    text_en = forms.CharField(label=_("Vraag (Engels)"), widget=_textarea(3), required=False)
    help_nl = forms.CharField(
        label=_("Toelichting (Nederlands)"), widget=_textarea(4), required=False
    )
    help_en = forms.CharField(label=_("Toelichting (Engels)"), widget=_textarea(4), required=False)
    position = forms.IntegerField(label=_("Volgorde"), min_value=0, initial=0)
    is_active = forms.BooleanField(
        label=_("Actief (wordt gesteld bij nieuwe antwoorden)"), required=False, initial=True
    )
