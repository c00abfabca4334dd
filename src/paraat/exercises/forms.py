"""Forms of the exercises pages: parse and check input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import User
from paraat.exercises.models import ExerciseRole, InjectKind
from paraat.exercises.services import ADVICE_KINDS, OFFSET_MAX, SPEED_RANGE


class ScenarioForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(
        label=_("Beschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    source_note = forms.CharField(
        label=_("Bronnen en licenties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waar de gegevens van de injects vandaan komen, met hun licentie."),
    )
    is_synthetic = forms.BooleanField(label=_("Synthetisch scenario (verzonnen)"), required=False)


class InjectForm(forms.Form):
    offset_hours = forms.IntegerField(
        label=_("Uren na de start"), min_value=0, max_value=OFFSET_MAX // 60, initial=0
    )
    offset_minutes = forms.IntegerField(
        label=_("Minuten na de start (bovenop de uren)"), min_value=0, max_value=59, initial=0
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=InjectKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=300)
    content = forms.CharField(
        label=_("Inhoud"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    source_note = forms.CharField(label=_("Bron"), max_length=500, required=False)
    real_date = forms.DateField(
        label=_("Werkelijke datum (bij een naspeelscenario)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_synthetic = forms.BooleanField(label=_("Synthetisch (verzonnen)"), required=False)
    question = forms.CharField(
        label=_("Adviesvraag (alleen bij een adviesaanvraag)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    advice_kind = forms.ChoiceField(
        label=_("Soort advies (alleen bij een adviesaanvraag)"),
        choices=[
            (ADVICE_KINDS[0], _("spoedadvies")),
            (ADVICE_KINDS[1], _("advies voor de langere termijn")),
        ],
        required=False,
    )
    deadline_hours = forms.IntegerField(
        label=_("Termijn in oefenuren (alleen bij een adviesaanvraag)"),
        min_value=1,
        max_value=24 * 365,
        initial=48,
        required=False,
    )

    def field_for(self, key: str) -> str | None:
        return "offset_hours" if key == "offset_minutes" else key

    def offset(self) -> int:
        data = self.cleaned_data
        return int(data["offset_hours"]) * 60 + int(data["offset_minutes"])

    def payload(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        data = self.cleaned_data
        if data["kind"] != InjectKind.ADVICE_REQUEST:
            keep = dict(existing or {})
            for key in ("question", "kind", "deadline_hours"):
                keep.pop(key, None)
            return keep
        return {
            "title": data["title"],
            "question": data.get("question") or "",
            "kind": data.get("advice_kind") or "urgent",
            "deadline_hours": data.get("deadline_hours") or 48,
        }


class RunForm(forms.Form):
    title = forms.CharField(label=_("Titel van de oefening"), max_length=300, required=False)
    speed_factor = forms.DecimalField(
        label=_("Tempo (oefenminuten per echte minuut)"),
        min_value=SPEED_RANGE[0],
        max_value=SPEED_RANGE[1],
        decimal_places=2,
        initial=Decimal("1"),
        help_text=_("1 is echte tijd; 10 laat tien oefenminuten in één minuut verlopen."),
    )


class ParticipantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Deelnemer"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Rol in de oefening"), choices=ExerciseRole.choices)

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["user"].queryset = users  # type: ignore[attr-defined]


class EvaluationForm(forms.Form):
    went_well = forms.CharField(
        label=_("Wat ging goed"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    went_badly = forms.CharField(
        label=_("Wat ging niet goed"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    notes = forms.CharField(
        label=_("Overige opmerkingen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Les"), max_length=300)
    description = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    playbook_element = forms.ChoiceField(label=_("Onderdeel van het draaiboek"), required=False)

    def __init__(self, *args: Any, elements: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["playbook_element"].choices = [("", _("(geen bepaald onderdeel)")), *elements]  # type: ignore[attr-defined]
