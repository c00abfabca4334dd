"""Forms of the assessment editor: they parse and validate input; services do the writing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import Confidentiality
from paraat.assessments.models import (
    AdviceType,
    AssessmentStatus,
    Compensability,
    Duration,
    Effect,
    Horizon,
    Outcome,
    Reversibility,
    RightsAnswer,
)
from paraat.evidence.models import Certainty
from paraat.measures.models import ScenarioLevel

SLUG = re.compile(r"[-a-z0-9_]{1,100}")

#: The largest number of people a group size or a reach may name (as ``services.MAX_PEOPLE``).
MAX_PEOPLE = 10**11

# Symbols shown next to the text of an effect (never colour alone).
EFFECT_SYMBOLS = {
    Effect.LARGE_NEGATIVE: "−−−",
    Effect.MODERATE_NEGATIVE: "−−",
    Effect.SMALL_NEGATIVE: "−",
    Effect.NONE: "0",
    Effect.SMALL_POSITIVE: "+",
    Effect.MODERATE_POSITIVE: "++",
    Effect.LARGE_POSITIVE: "+++",
    Effect.UNKNOWN: "?",
}
NOT_ASSESSED_SYMBOL = "—"


def _blank(choices: Any, label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


def effect_choices_with_symbols() -> list[tuple[str, str]]:
    return [(value, f"{EFFECT_SYMBOLS[value]} {label}") for value, label in Effect.choices]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class AssessmentForm(forms.Form):
    """The question and context of an assessment (create and edit)."""

    key = forms.SlugField(
        label=_("Sleutel"),
        max_length=100,
        help_text=_("Kleine letters, cijfers en streepjes; wordt deel van het webadres."),
    )
    title = forms.CharField(label=_("Titel"), max_length=300)
    question = forms.CharField(label=_("Adviesvraag"), widget=_textarea(4))
    context = forms.CharField(label=_("Context"), required=False, widget=_textarea(4))
    scenario_level = forms.ChoiceField(
        label=_("Scenario"), choices=_blank(ScenarioLevel.choices), required=False
    )
    assessed_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["key"]

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if not SLUG.fullmatch(key):
            raise ValidationError(_("Gebruik alleen kleine letters, cijfers en streepjes."))
        return key


class CompassForm(forms.Form):
    """Beleidskompas steps 1, 2 and 5: problem, goal and preferred option."""

    problem = forms.CharField(label=_("1. Probleem"), required=False, widget=_textarea(4))
    goal = forms.CharField(label=_("2. Beoogd doel"), required=False, widget=_textarea(4))
    preferred_option_key = forms.ChoiceField(
        label=_("5. Voorkeursoptie"), required=False, choices=()
    )
    preferred_rationale = forms.CharField(
        label=_("Onderbouwing voorkeursoptie"), required=False, widget=_textarea(4)
    )

    def __init__(self, *args: Any, options: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["preferred_option_key"].choices = _blank(list(options), _("nog geen voorkeur"))


class TermsForm(forms.Form):
    """The impact domains and population groups of the matrix."""

    domain_keys = forms.MultipleChoiceField(
        label=_("Impactdomeinen"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    group_keys = forms.MultipleChoiceField(
        label=_("Groepen"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        domains: list[tuple[str, str]] = (),  # type: ignore[assignment]
        groups: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain_keys"].choices = list(domains)
        self.fields["group_keys"].choices = list(groups)


class _IndicatorChoiceForm(forms.Form):
    """A form with one optional choice of an indicator of the picture (``indicator_field``);
    the caller passes the indicators the user may see."""

    indicator_field = ""

    def __init__(
        self,
        *args: Any,
        indicators: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.indicator_field].choices = _blank(list(indicators), _("geen indicator"))


class GroupSizeForm(_IndicatorChoiceForm):
    """The size of one group: a number with its source, or an indicator of the picture."""

    size = forms.IntegerField(
        label=_("Omvang (personen)"), required=False, min_value=1, max_value=MAX_PEOPLE
    )
    size_source = forms.CharField(label=_("Bron van de omvang"), max_length=300, required=False)
    size_as_of = forms.DateField(
        label=_("Omvang per"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    size_indicator_key = forms.ChoiceField(
        label=_("Of: indicator uit het maatschappelijk beeld"),
        required=False,
        choices=(),
        help_text=_("Met een indicator wordt de laatst bekende waarde en haar bron gebruikt."),
    )
    indicator_field = "size_indicator_key"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("size") is not None and data.get("size_indicator_key"):
            raise ValidationError(
                {"size_indicator_key": _("Kies een getal of een indicator, niet allebei.")}
            )
        return data


WEIGHT_LEVELS = (("domain", _("domeinen")), ("group", _("groepen")))


class WeightsForm(forms.Form):
    """Explicit weights per domain and group plus ordinal constraints (one per line)."""

    constraints = forms.CharField(
        label=_("Ordeningen van gewichten"),
        required=False,
        widget=_textarea(4),
        help_text=_(
            "Eén per regel: ‘X weegt minstens zo zwaar als Y’, met de sleutels van domeinen "
            "of groepen, bijvoorbeeld ‘mentale-gezondheid weegt minstens zo zwaar als economie’."
        ),
    )

    def __init__(
        self,
        *args: Any,
        domains: list[tuple[str, str]] = (),  # type: ignore[assignment]
        groups: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.domain_keys = [k for k, _n in domains]
        self.group_keys = [k for k, _n in groups]
        for level, terms in (("domain", domains), ("group", groups)):
            for key, name in terms:
                self.fields[f"w_{level}_{key}"] = forms.DecimalField(
                    label=name,
                    required=False,
                    min_value=0,
                    max_value=1000,
                    max_digits=8,
                    decimal_places=3,
                )

    def weight_fields(self, level: str) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith(f"w_{level}_")]

    @property
    def domain_weight_fields(self) -> list[Any]:
        return self.weight_fields("domain")

    @property
    def group_weight_fields(self) -> list[Any]:
        return self.weight_fields("group")

    def clean_constraints(self) -> list[dict[str, str]]:
        text = self.cleaned_data.get("constraints", "")
        result = []
        pattern = re.compile(r"^\s*([-\w]+)\s+weegt minstens zo zwaar als\s+([-\w]+)\s*$")
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = pattern.match(line)
            if not match:
                raise ValidationError(
                    _("Regel %(n)s: schrijf ‘X weegt minstens zo zwaar als Y’."),
                    params={"n": number},
                )
            more, less = match.groups()
            if more in self.domain_keys and less in self.domain_keys:
                level = "domain"
            elif more in self.group_keys and less in self.group_keys:
                level = "group"
            else:
                raise ValidationError(
                    _(
                        "Regel %(n)s: ‘%(more)s’ en ‘%(less)s’ moeten allebei domeinen of "
                        "allebei groepen van deze afweging zijn."
                    ),
                    params={"n": number, "more": more, "less": less},
                )
            if more == less:
                raise ValidationError(
                    _("Regel %(n)s: kies twee verschillende termen."), params={"n": number}
                )
            result.append({"level": level, "more": more, "less": less})
        return result

    def weights(self) -> dict[str, dict[str, float]]:
        result: dict[str, dict[str, float]] = {"domains": {}, "groups": {}}
        for level, target in (("domain", "domains"), ("group", "groups")):
            for name, value in self.cleaned_data.items():
                if name.startswith(f"w_{level}_") and value is not None:
                    result[target][name[len(f"w_{level}_") :]] = float(value)
        return {k: v for k, v in result.items() if v}

    @staticmethod
    def initial_from(weights: dict[str, Any], constraints: list[dict[str, Any]]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "constraints": "\n".join(
                f"{c.get('more', '')} weegt minstens zo zwaar als {c.get('less', '')}"
                for c in constraints or []
            )
        }
        for level, source in (("domain", "domains"), ("group", "groups")):
            for key, value in (weights or {}).get(source, {}).items():
                initial[f"w_{level}_{key}"] = value
        return initial


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=AssessmentStatus.choices)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=_textarea(2))


class OptionForm(forms.Form):
    """A new option: a catalog package, measures, or free text."""

    name = forms.CharField(label=_("Naam"), max_length=300)
    key = forms.SlugField(
        label=_("Sleutel"),
        max_length=100,
        required=False,
        help_text=_("Leeg laten: wordt gemaakt uit de naam."),
    )
    description = forms.CharField(label=_("Omschrijving"), required=False, widget=_textarea(3))
    package_key = forms.ChoiceField(label=_("Pakket uit de catalogus"), required=False, choices=())
    measure_keys = forms.MultipleChoiceField(
        label=_("Maatregelen uit de catalogus"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(
        self,
        *args: Any,
        packages: list[tuple[str, str]] = (),  # type: ignore[assignment]
        measures: list[tuple[str, str]] = (),  # type: ignore[assignment]
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package_key"].choices = _blank(list(packages), _("geen pakket"))
        self.fields["measure_keys"].choices = list(measures)
        if editing:
            del self.fields["key"]


class EffectivenessForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=Outcome.choices)
    estimate = forms.FloatField(label=_("Verwacht effect"), required=False)
    low = forms.FloatField(label=_("Ondergrens"), required=False)
    high = forms.FloatField(label=_("Bovengrens"), required=False)
    unit = forms.CharField(label=_("Eenheid"), max_length=100, required=False)
    source = forms.CharField(
        label=_("Bron"), max_length=500, help_text=_("Bijvoorbeeld een OMT-advies met datum.")
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=_textarea(2))
    confidentiality = forms.ChoiceField(
        label=_("Vertrouwelijkheid"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high, estimate = data.get("low"), data.get("high"), data.get("estimate")
        if low is not None and high is not None and low > high:
            raise ValidationError({"high": _("De bovengrens is kleiner dan de ondergrens.")})
        if estimate is not None:
            if low is not None and estimate < low:
                raise ValidationError(
                    {"estimate": _("Het verwachte effect ligt onder de ondergrens.")}
                )
            if high is not None and estimate > high:
                raise ValidationError(
                    {"estimate": _("Het verwachte effect ligt boven de bovengrens.")}
                )
        return data


def _share(label: Any, **kwargs: Any) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, min_value=0, max_value=1, **kwargs)


class AcceptabilityForm(_IndicatorChoiceForm):
    support = _share(_("Verwacht draagvlak (aandeel 0–1)"))
    support_low = _share(_("Draagvlak, ondergrens"))
    support_high = _share(_("Draagvlak, bovengrens"))
    compliance = _share(_("Verwachte naleving (aandeel 0–1)"))
    support_indicator_key = forms.ChoiceField(
        label=_("Of: draagvlak uit een indicator van het maatschappelijk beeld"),
        required=False,
        choices=(),
    )
    acceptability_source = forms.CharField(
        label=_("Bron draagvlak en gedrag"), max_length=500, required=False
    )
    effect_on_effectiveness = forms.CharField(
        label=_("Wat draagvlak en naleving betekenen voor de effectiviteit"),
        required=False,
        widget=_textarea(3),
    )
    indicator_field = "support_indicator_key"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high, mid = data.get("support_low"), data.get("support_high"), data.get("support")
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"support_high": _("De bovengrens is kleiner dan de ondergrens.")}
            )
        if mid is not None and (
            (low is not None and mid < low) or (high is not None and mid > high)
        ):
            raise ValidationError({"support": _("Het draagvlak ligt buiten de bandbreedte.")})
        return data


class ValuesForm(forms.Form):
    justice = forms.CharField(
        label=_("Rechtvaardigheid"),
        required=False,
        widget=_textarea(3),
        help_text=_("Wie draagt de lasten, en zijn zij al kwetsbaar (stapeling in de tijd)?"),
    )
    solidarity = forms.CharField(
        label=_("Solidariteit"),
        required=False,
        widget=_textarea(3),
        help_text=_("Wie draagt kosten ten bate van wie?"),
    )
    equal_opportunities = forms.CharField(
        label=_("Gelijke kansen"),
        required=False,
        widget=_textarea(3),
        help_text=_("Blijvende gevolgen voor kansen in onderwijs en werk."),
    )
    future_generations = forms.CharField(
        label=_("Toekomstige generaties"),
        required=False,
        widget=_textarea(3),
        help_text=_("Gevolgen op lange termijn en onomkeerbare gevolgen."),
    )


class EtdForm(forms.Form):
    """GRADE evidence to decision, ending in the type of advice."""

    etd_desirable = forms.CharField(
        label=_("Gewenste effecten"), required=False, widget=_textarea()
    )
    etd_undesirable = forms.CharField(
        label=_("Ongewenste effecten"), required=False, widget=_textarea()
    )
    etd_certainty = forms.CharField(
        label=_("Zekerheid van het bewijs"), required=False, widget=_textarea()
    )
    etd_equity = forms.CharField(label=_("Gelijkheid"), required=False, widget=_textarea())
    etd_acceptability = forms.CharField(
        label=_("Aanvaardbaarheid"), required=False, widget=_textarea()
    )
    etd_feasibility = forms.CharField(
        label=_("Uitvoerbaarheid"), required=False, widget=_textarea()
    )
    advice = forms.ChoiceField(
        label=_("Soort advies"), required=False, choices=_blank(AdviceType.choices, _("nog niet"))
    )
    advice_rationale = forms.CharField(
        label=_("Onderbouwing van het advies"), required=False, widget=_textarea()
    )


class RightsForm(forms.Form):
    """Answers to the seven tests and the checklist, and the rights touched."""

    def __init__(
        self,
        *args: Any,
        questions: list[Any] = (),  # type: ignore[assignment]
        rights: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            prefix = f"{question.kind}__{question.key}"
            self.fields[f"{prefix}__answer"] = forms.ChoiceField(
                label=question.text_nl,
                required=False,
                choices=_blank(RightsAnswer.Answer.choices, _("nog niet beantwoord")),
                help_text=question.help_nl,
            )
            self.fields[f"{prefix}__note"] = forms.CharField(
                label=_("Toelichting"), required=False, widget=_textarea(2)
            )
        self.fields["touched"] = forms.MultipleChoiceField(
            label=_("Geraakte grondrechten"),
            required=False,
            choices=list(rights),
            widget=forms.CheckboxSelectMultiple,
        )

    def question_rows(self, kind: str) -> list[tuple[Any, Any, Any]]:
        return [
            (q, self[f"{q.kind}__{q.key}__answer"], self[f"{q.kind}__{q.key}__note"])
            for q in self.questions
            if q.kind == kind
        ]

    @property
    def test_rows(self) -> list[tuple[Any, Any, Any]]:
        return self.question_rows("test")

    @property
    def checklist_rows(self) -> list[tuple[Any, Any, Any]]:
        return self.question_rows("checklist")

    @property
    def touched_fields(self) -> list[Any]:
        return [self["touched"]]

    def all_answers(self) -> list[tuple[str, str, str, str]]:
        """(kind, key, answer, note) for every question asked; an empty answer removes one."""
        result = []
        for q in self.questions:
            prefix = f"{q.kind}__{q.key}"
            answer = self.cleaned_data.get(f"{prefix}__answer", "")
            note = self.cleaned_data.get(f"{prefix}__note", "") if answer else ""
            result.append((q.kind, q.key, answer, note))
        return result

    def answers(self) -> list[tuple[str, str, str, str]]:
        """(kind, key, answer, note) for every answered question."""
        result = []
        for q in self.questions:
            prefix = f"{q.kind}__{q.key}"
            answer = self.cleaned_data.get(f"{prefix}__answer", "")
            if answer:
                result.append((q.kind, q.key, answer, self.cleaned_data.get(f"{prefix}__note", "")))
        return result


#: The details of one cell of the matrix (the form shows them after effect and certainty).
JUDGEMENT_DETAIL = (
    "low",
    "high",
    "reach_people",
    "reach_share",
    "duration",
    "reversibility",
    "compensability",
    "horizon",
)
#: Every value of one cell besides its links to evidence and fiche cells.
JUDGEMENT_VALUES = ("effect", *JUDGEMENT_DETAIL, "certainty", "rationale")


def judgement_values(
    data: Mapping[str, Any], *, evidence: str = "evidence_refs", fiche_cells: str = "fiche_cell_ids"
) -> dict[str, Any]:
    """The keyword arguments of ``services.judgement_set`` for one cell from parsed input
    (``JudgementForm.cleaned_data`` or the API's validated data; ``evidence`` and
    ``fiche_cells`` name the fields that hold the evidence refs and fiche cell ids)."""
    values = {name: data[name] for name in JUDGEMENT_VALUES}
    values["evidence_refs"] = tuple(data[evidence])
    values["fiche_cell_ids"] = tuple(data[fiche_cells])
    return values


class JudgementForm(forms.Form):
    """One cell of the matrix: all fields of a judgement."""

    effect = forms.ChoiceField(
        label=_("Effect"), choices=(), widget=forms.RadioSelect, required=True
    )
    certainty = forms.ChoiceField(
        label=_("Zekerheid (GRADE)"),
        required=False,
        widget=forms.RadioSelect,
        choices=_blank(Certainty.choices, _("niet gegradeerd")),
    )
    low = forms.ChoiceField(label=_("Effect, ondergrens (optioneel)"), required=False, choices=())
    high = forms.ChoiceField(label=_("Effect, bovengrens (optioneel)"), required=False, choices=())
    reach_people = forms.IntegerField(
        label=_("Bereik (personen)"), required=False, min_value=0, max_value=MAX_PEOPLE
    )
    reach_share = forms.FloatField(
        label=_("Of: bereik als aandeel van de groep (0–1)"),
        required=False,
        min_value=0,
        max_value=1,
    )
    duration = forms.ChoiceField(label=_("Duur"), required=False, choices=_blank(Duration.choices))
    reversibility = forms.ChoiceField(
        label=_("Omkeerbaarheid"), required=False, choices=_blank(Reversibility.choices)
    )
    compensability = forms.ChoiceField(
        label=_("Compenseerbaarheid in geld"),
        required=False,
        choices=_blank(Compensability.choices),
    )
    horizon = forms.ChoiceField(label=_("Termijn"), required=False, choices=_blank(Horizon.choices))
    evidence_refs = forms.MultipleChoiceField(
        label=_("Onderbouwing uit de kennisbibliotheek"),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    fiche_cell_ids = forms.TypedMultipleChoiceField(
        label=_("Ficheregels van de maatregelen van deze optie"),
        required=False,
        choices=(),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    rationale = forms.CharField(label=_("Toelichting"), required=False, widget=_textarea(3))

    def __init__(
        self,
        *args: Any,
        evidence: list[tuple[str, str]] = (),  # type: ignore[assignment]
        fiche_cells: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        levels = effect_choices_with_symbols()
        self.fields["effect"].choices = levels
        ranged = [c for c in levels if c[0] != Effect.UNKNOWN]
        self.fields["low"].choices = _blank(ranged, _("geen (standaard uit de zekerheid)"))
        self.fields["high"].choices = _blank(ranged, _("geen (standaard uit de zekerheid)"))
        # Refs submitted by the picker are accepted as choices here; the service checks that
        # the items exist and that the user may see them.
        submitted = self.data.getlist("evidence_refs") if hasattr(self.data, "getlist") else []
        known = dict(evidence)
        for ref in submitted:
            if SLUG.fullmatch(ref) and ref not in known:
                known[ref] = ref
        self.fields["evidence_refs"].choices = list(known.items())
        self.fields["fiche_cell_ids"].choices = list(fiche_cells)

    DETAIL = JUDGEMENT_DETAIL

    @property
    def primary_fields(self) -> list[Any]:
        return [self["effect"], self["certainty"]]

    @property
    def detail_fields(self) -> list[Any]:
        return [self[name] for name in self.DETAIL]

    @property
    def closing_fields(self) -> list[Any]:
        return [self["fiche_cell_ids"], self["rationale"]]

    @property
    def has_detail_errors(self) -> bool:
        return any(name in self.errors for name in self.DETAIL)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        order = [v for v, _l in Effect.choices if v != Effect.UNKNOWN]
        effect, low, high = data.get("effect"), data.get("low"), data.get("high")
        if effect == Effect.UNKNOWN and (low or high):
            raise ValidationError({"low": _("Een onbekend effect heeft geen bandbreedte.")})
        if effect and effect != Effect.UNKNOWN:
            position = order.index(effect)
            if low and order.index(low) > position:
                raise ValidationError({"low": _("De ondergrens ligt boven het effect.")})
            if high and order.index(high) < position:
                raise ValidationError({"high": _("De bovengrens ligt onder het effect.")})
        if data.get("reach_people") is not None and data.get("reach_share") is not None:
            raise ValidationError(
                {
                    "reach_share": _(
                        "Geef het bereik als aantal personen of als aandeel, niet allebei."
                    )
                }
            )
        return data
