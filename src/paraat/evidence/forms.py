"""Forms of the knowledge library: they parse and validate input; services do the writing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality, User
from paraat.evidence.models import (
    Certainty,
    DatePrecision,
    Direction,
    EffectSize,
    EvidenceItem,
    EvidenceType,
    GradeDowngrade,
    GradeUpgrade,
    Horizon,
    InterestsStatus,
    KnowledgeClass,
)
from paraat.evidence.services import EvidenceData
from paraat.measures.models import Measure, Package
from paraat.taxonomies.models import Domain, PopulationGroup

_REF = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _blank(choices: Any, label: str) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class EvidenceForm(forms.Form):
    item_type = forms.ChoiceField(label=_("Soort"), choices=EvidenceType.choices)
    title = forms.CharField(label=_("Titel"), max_length=500)
    authors = forms.CharField(
        label=_("Auteurs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén per regel, als ‘Achternaam, Voornaam’."),
    )
    organisation = forms.CharField(label=_("Organisatie"), max_length=300, required=False)
    published_on = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Bij alleen een jaar: 1 januari van dat jaar, met precisie ‘jaar’."),
    )
    date_precision = forms.ChoiceField(
        label=_("Precisie van de datum"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    doi = forms.CharField(label=_("DOI"), max_length=200, required=False)
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")
    language = forms.CharField(label=_("Taal (ISO-code)"), max_length=10, initial="nl")
    container_title = forms.CharField(
        label=_("Tijdschrift of reeks"), max_length=300, required=False
    )
    publisher = forms.CharField(label=_("Uitgever"), max_length=300, required=False)
    keywords = forms.CharField(
        label=_("Trefwoorden"), required=False, help_text=_("Gescheiden door komma’s.")
    )
    summary = forms.CharField(
        label=_("Samenvatting"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    full_text = forms.CharField(
        label=_("Volledige tekst"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachment = forms.FileField(
        label=_("Bijlage (PDF)"),
        required=False,
        help_text=_("De tekst wordt eruit gehaald voor het zoeken. Maximaal 25 MB."),
    )
    licence = forms.CharField(label=_("Licentie"), max_length=200, required=False)
    knowledge_class = forms.ChoiceField(label=_("Kennissoort"), choices=KnowledgeClass.choices)
    certainty = forms.ChoiceField(
        label=_("Zekerheid van het bewijs (GRADE)"),
        choices=_blank(Certainty.choices, _("niet gegradeerd")),
        required=False,
    )
    certainty_downgrades = forms.MultipleChoiceField(
        label=_("Redenen voor afwaarderen"),
        choices=GradeDowngrade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    certainty_upgrades = forms.MultipleChoiceField(
        label=_("Redenen voor opwaarderen"),
        choices=GradeUpgrade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    certainty_note = forms.CharField(
        label=_("Toelichting op de zekerheid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    on_behalf_of = forms.CharField(label=_("Ingebracht namens"), max_length=300, required=False)
    interests_status = forms.ChoiceField(
        label=_("Belangen"), choices=InterestsStatus.choices, initial=InterestsStatus.UNKNOWN
    )
    declared_interests = forms.CharField(
        label=_("Verklaarde belangen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )
    is_synthetic = forms.BooleanField(label=_("Synthetisch (demo)"), required=False)

    @classmethod
    def initial_from(cls, item: EvidenceItem) -> dict[str, Any]:
        return {
            **{name: getattr(item, name) for name in cls.base_fields if hasattr(item, name)},
            "authors": "\n".join(item.authors),
            "keywords": ", ".join(item.keywords),
            "attachment": None,
        }

    def to_data(self) -> EvidenceData:
        data = self.cleaned_data
        return EvidenceData(
            item_type=data["item_type"],
            title=data["title"],
            knowledge_class=data["knowledge_class"],
            authors=tuple(a.strip() for a in data["authors"].splitlines() if a.strip()),
            organisation=data["organisation"],
            published_on=data["published_on"],
            date_precision=data["date_precision"],
            doi=data["doi"],
            url=data["url"],
            language=data["language"],
            container_title=data["container_title"],
            publisher=data["publisher"],
            keywords=tuple(k.strip() for k in data["keywords"].split(",") if k.strip()),
            summary=data["summary"],
            full_text=data["full_text"],
            licence=data["licence"],
            certainty=data["certainty"],
            certainty_downgrades=tuple(data["certainty_downgrades"]),
            certainty_upgrades=tuple(data["certainty_upgrades"]),
            certainty_note=data["certainty_note"],
            on_behalf_of=data["on_behalf_of"],
            interests_status=data["interests_status"],
            declared_interests=data["declared_interests"],
            confidentiality=data["confidentiality"],
            is_synthetic=data["is_synthetic"],
        )


class LinkForm(forms.Form):
    measure = forms.ModelChoiceField(
        label=_("Maatregel"), queryset=Measure.objects.none(), required=False
    )
    package = forms.ModelChoiceField(
        label=_("Pakket"), queryset=Package.objects.none(), required=False
    )
    domain = forms.ModelChoiceField(
        label=_("Impactdomein"), queryset=Domain.objects.filter(is_active=True), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Groep"), queryset=PopulationGroup.objects.filter(is_active=True), required=False
    )
    direction = forms.ChoiceField(
        label=_("Richting van het effect"), choices=Direction.choices, initial=Direction.UNKNOWN
    )
    size = forms.ChoiceField(
        label=_("Omvang"), choices=_blank(EffectSize.choices, _("onbekend")), required=False
    )
    horizon = forms.ChoiceField(
        label=_("Termijn"), choices=_blank(Horizon.choices, _("onbekend")), required=False
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=2000)

    def __init__(self, *args: Any, measures: Any, packages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures  # type: ignore[attr-defined]
        self.fields["package"].queryset = packages  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("measure", "package", "domain", "group")):
            raise ValidationError(_("Kies ten minste een maatregel, pakket, domein of groep."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "RIS, BibTeX, CSL-JSON (bijvoorbeeld een Zotero-export) of CSV; maximaal 20 MB."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Formaat"),
        choices=[
            ("", _("automatisch herkennen")),
            ("ris", "RIS"),
            ("bibtex", "BibTeX"),
            ("csljson", "CSL-JSON"),
            ("csv", "CSV"),
        ],
        required=False,
    )
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid van de nieuwe items"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("Het bestand is groter dan 20 MB."))
        return upload


def parse_refs(value: str) -> list[str]:
    """Citation keys from free text: ``a, b`` or ``[@a] [@b]``."""
    return list(_REF.findall(value.lower()))


class RefsField(forms.CharField):
    """Evidence items entered by citation key; resolved against the items the user may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Citeersleutels van items, gescheiden door komma’s (bijv. mit-2021-jongeren)."),
        )
        super().__init__(**kwargs)


class FicheForm(forms.Form):
    summary = forms.CharField(
        label=_("Wat de maatregel is"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    mitigations = forms.CharField(
        label=_("Mitigerende en flankerende maatregelen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Eén per regel."),
    )
    knowledge_gaps = forms.CharField(
        label=_("Kennislacunes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén per regel."),
    )
    key_evidence = RefsField(label=_("Belangrijkste bronnen"))
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"), queryset=User.objects.filter(is_active=True), required=False
    )
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid van de fiche"), choices=Confidentiality.choices
    )
    change_note = forms.CharField(label=_("Wat is er veranderd?"), max_length=500)
    reviewed = forms.BooleanField(
        label=_("Ik heb de fiche gereviewd (wist de markering ‘review nodig’)"), required=False
    )


class CellForm(forms.Form):
    domain = forms.ModelChoiceField(
        label=_("Impactdomein"), queryset=Domain.objects.filter(is_active=True)
    )
    group = forms.ModelChoiceField(
        label=_("Groep"),
        queryset=PopulationGroup.objects.filter(is_active=True),
        required=False,
        empty_label=_("hele bevolking"),
    )
    direction = forms.ChoiceField(label=_("Richting"), choices=Direction.choices)
    size = forms.ChoiceField(
        label=_("Omvang"), choices=_blank(EffectSize.choices, "–"), required=False
    )
    certainty = forms.ChoiceField(
        label=_("Zekerheid"),
        choices=_blank(Certainty.choices, _("niet gegradeerd")),
        required=False,
    )
    horizon = forms.ChoiceField(
        label=_("Termijn"), choices=_blank(Horizon.choices, "–"), required=False
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=2000)
    evidence = RefsField(label=_("Onderbouwing"))
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PUBLIC,
    )


CellFormSet = formset_factory(CellForm, extra=3, can_delete=True, max_num=200)


class DossierForm(forms.Form):
    key = forms.SlugField(label=_("Sleutel"), max_length=100)
    title_nl = forms.CharField(label=_("Titel (Nederlands)"), max_length=300)
    title_en = forms.CharField(label=_("Titel (Engels)"), max_length=300, required=False)
    measures = forms.ModelMultipleChoiceField(
        label=_("Maatregelen die het dossier raakt"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"), queryset=User.objects.filter(is_active=True), required=False
    )
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )
    items = RefsField(
        label=_("Items in het dossier"),
        help_text=_(
            "Citeersleutels, gescheiden door komma’s. Items die de synthese citeert, horen erbij."
        ),
    )
    synthesis = forms.CharField(
        label=_("Synthese"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Alinea’s gescheiden door een witregel; elke alinea citeert ten minste één item "
            "als [@sleutel]."
        ),
    )
    open_questions = forms.CharField(
        label=_("Open vragen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    change_note = forms.CharField(label=_("Wat is er veranderd?"), max_length=500)

    def __init__(self, *args: Any, measures: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = measures  # type: ignore[attr-defined]
        if editing:
            self.fields["key"].disabled = True


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Welk item blijft bestaan?"), widget=forms.RadioSelect)
    take_fields = forms.MultipleChoiceField(
        label=_("Velden die van het andere item worden overgenomen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("title", _("Titel")),
            ("authors", _("Auteurs")),
            ("organisation", _("Organisatie")),
            ("published_on", _("Datum")),
            ("doi", _("DOI")),
            ("url", _("URL")),
            ("container_title", _("Tijdschrift of reeks")),
            ("publisher", _("Uitgever")),
            ("summary", _("Samenvatting")),
            ("keywords", _("Trefwoorden")),
            ("licence", _("Licentie")),
        ],
    )

    def __init__(self, *args: Any, item: EvidenceItem, other: EvidenceItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [  # type: ignore[attr-defined]
            (str(item.pk), f"{item.ref}: {item.title}"),
            (str(other.pk), f"{other.ref}: {other.title}"),
        ]
