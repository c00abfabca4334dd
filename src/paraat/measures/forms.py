"""Forms only parse and validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality
from paraat.measures.models import (
    AppliesTo,
    GeographicScope,
    Measure,
    Package,
)
from paraat.measures.services import MeasureData, PackageItemData
from paraat.taxonomies.models import PopulationGroup, Sector


class MeasureForm(forms.ModelForm):  # type: ignore[type-arg]
    groups = forms.ModelMultipleChoiceField(
        queryset=PopulationGroup.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Groepen die het eerst geraakt worden"),
    )
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sectoren die het eerst geraakt worden"),
    )

    class Meta:
        model = Measure
        fields = [
            "key",
            "name_nl",
            "name_en",
            "description_nl",
            "description_en",
            "category",
            "oxcgrt_indicator",
            "level",
            "geographic_scope",
            "legal_basis",
            "coding_note",
            "confidentiality",
            "is_synthetic",
            "groups",
            "sectors",
        ]
        widgets = {
            "description_nl": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "coding_note": forms.Textarea(attrs={"rows": 2}),
        }

    def to_data(self) -> MeasureData:
        d = self.cleaned_data
        return MeasureData(
            key=d["key"],
            name_nl=d["name_nl"],
            name_en=d["name_en"],
            description_nl=d["description_nl"],
            description_en=d["description_en"],
            category=d["category"],
            oxcgrt_indicator=d["oxcgrt_indicator"],
            level=d["level"],
            geographic_scope=d["geographic_scope"],
            legal_basis=d["legal_basis"],
            coding_note=d["coding_note"],
            confidentiality=d["confidentiality"],
            is_synthetic=d["is_synthetic"],
            groups=tuple(g.key for g in d["groups"]),
            sectors=tuple(s.key for s in d["sectors"]),
        )


class PackageForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Package
        fields = [
            "key",
            "name_nl",
            "name_en",
            "description_nl",
            "description_en",
            "kind",
            "jurisdiction",
            "scope",
            "vaccination_differentiation",
            "start_date",
            "end_date",
            "scenario_level",
            "sector",
            "source",
            "confidentiality",
            "is_synthetic",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description_nl": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }


class PackageItemForm(forms.Form):
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.none(), label=_("Maatregel"), required=False
    )
    level = forms.IntegerField(label=_("Niveau"), min_value=0, max_value=5, required=False)
    geographic_scope = forms.ChoiceField(
        label=_("Reikwijdte"), choices=GeographicScope.choices, initial=GeographicScope.GENERAL
    )
    applies_to = forms.ChoiceField(
        label=_("Geldt voor"), choices=AppliesTo.choices, initial=AppliesTo.EVERYONE
    )
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)

    def __init__(self, *args: Any, measures: Any = None, **kwargs: Any) -> None:
        """``measures``: the measures the user may choose (from the measures selector)."""
        super().__init__(*args, **kwargs)
        if measures is not None:
            self.fields["measure"].queryset = measures  # type: ignore[attr-defined]

    def to_data(self) -> PackageItemData | None:
        d: dict[str, Any] = self.cleaned_data
        if not d.get("measure"):
            return None
        return PackageItemData(
            measure_key=d["measure"].key,
            level=d.get("level"),
            geographic_scope=d["geographic_scope"],
            applies_to=d["applies_to"],
            note=d.get("note", ""),
        )


PackageItemFormSet = formset_factory(PackageItemForm, extra=3, can_delete=True)


class OxcgrtUploadForm(forms.Form):
    file = forms.FileField(
        label=_("OxCGRT-bestand (CSV)"),
        help_text=_(
            "Een volledig OxCGRT-bestand (compact of full-with-notes, landelijk of subnationaal) "
            "of een tijdreeksbestand van een index."
        ),
    )

    def clean_file(self) -> Any:
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("Alleen CSV-bestanden (.csv) kunnen worden geïmporteerd."))
        if upload.size > settings.MAX_IMPORT_UPLOAD_BYTES:
            raise ValidationError(
                _("Het bestand is te groot: hoogstens %(mb)s MB.")
                % {"mb": f"{settings.MAX_IMPORT_UPLOAD_BYTES / (1024 * 1024):g}"}
            )
        return upload


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("Dag"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class VaccinatedShareForm(forms.Form):
    vaccinated = forms.FloatField(
        label=_("Aandeel volledig gevaccineerden (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Voor het populatiegewogen gemiddelde (WeightedAverage); leeg = 0%."),
    )


class TimelineEventForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    title_nl = forms.CharField(label=_("Titel (Nederlands)"), max_length=300)
    title_en = forms.CharField(label=_("Titel (Engels)"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[
            ("press_conference", _("persconferentie")),
            ("decision", _("besluit")),
            ("law", _("wet of regeling")),
            ("advice", _("advies")),
            ("other", _("overig")),
        ],
    )
    source = forms.CharField(
        label=_("Bron"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PUBLIC,
    )
