"""Forms for editing the shared taxonomies (impact domains, groups, sectors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from paraat.taxonomies.models import ProgressPlus


class TermForm(forms.Form):
    key = forms.SlugField(
        label=_("Sleutel"),
        max_length=80,
        help_text=_("Vast na aanmaken: koppelingen en imports verwijzen ernaar."),
    )
    name_nl = forms.CharField(label=_("Naam (Nederlands)"), max_length=200)
    name_en = forms.CharField(label=_("Naam (Engels)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    position = forms.IntegerField(label=_("Volgorde"), min_value=0, max_value=100_000, initial=0)
    is_active = forms.BooleanField(
        label=_("Actief (uit: niet meer te kiezen; bestaande koppelingen blijven)"),
        required=False,
        initial=True,
    )


class GroupForm(TermForm):
    dimension = forms.ChoiceField(
        label=_("PROGRESS-Plus-dimensie"),
        choices=[("", "–"), *ProgressPlus.choices],
        required=False,
    )
    is_vulnerable = forms.BooleanField(label=_("Kwetsbare groep (MIT)"), required=False)


def form_for(kind: str) -> type[TermForm]:
    return GroupForm if kind == "group" else TermForm
