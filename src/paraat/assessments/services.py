"""Writes for the assessment framework: assessments, options, judgements, rights, analyses.

Every service is keyword-only, runs in one transaction and raises Django's ``ValidationError``
naming the field (for an imported file: the JSON path). The formulas live in
``paraat_core.assessment``; ``assessment_analyse`` hands it the assessment file built by
``selectors.assessment_document`` and stores the file and the result as an append-only
``AssessmentVersion``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality, User
from paraat.accounts.selectors import AnyUser, can_view, filter_visible
from paraat.assessments import selectors
from paraat.assessments.models import (
    AdviceType,
    Assessment,
    AssessmentDomain,
    AssessmentGroup,
    AssessmentStatus,
    AssessmentStatusChange,
    AssessmentVersion,
    Compensability,
    Duration,
    Effect,
    Effectiveness,
    FundamentalRight,
    HistoryEntry,
    Horizon,
    Judgement,
    Option,
    Outcome,
    Reversibility,
    RightsAnswer,
    RightsQuestion,
    RightTouched,
    WeightScenario,
)
from paraat.evidence.models import (
    Certainty,
    EvidenceItem,
    EvidenceType,
    FicheCell,
    FicheVersion,
    KnowledgeClass,
)
from paraat.indicators.models import Indicator
from paraat.jsonwalk import has_nul, json_string_path
from paraat.measures.models import Measure, Package, ScenarioLevel
from paraat.taxonomies.models import Domain, PopulationGroup

DATA_DIR = Path(__file__).parent / "data"
RIGHTS_FILE = DATA_DIR / "rights.json"
QUESTIONS_FILE = DATA_DIR / "rights_questions.json"

Actor = User | None
Progress = Callable[[float, str], None]

MAX_SAMPLES = 200_000
#: The largest number of people a group size or a reach may name (the form's bound too).
MAX_PEOPLE = 10**11
#: The largest explicit weight of one domain or group.
MAX_WEIGHT = 1000
#: The largest position of an option in its assessment.
MAX_POSITION = 100_000


RESERVED_KEYS = frozenset({"nieuw", "methode", "grondrechten", "grondrechtenvragen"})
"""Keys that are page paths under ``/afwegingen/`` and so cannot name an assessment."""


def _actor(actor: AnyUser | None) -> User | None:
    return actor if isinstance(actor, User) else None


def _sees(actor: AnyUser | None, obj: Any) -> bool:
    return actor is None or can_view(user=actor, obj=obj)


def _links_set(actor: AnyUser | None, related: Any, chosen: Sequence[Any]) -> None:
    """Set a many-to-many link to ``chosen``; linked rows the actor may not see stay linked (the
    actor could not have removed them)."""
    kept = [row for row in related.all() if not _sees(actor, row)]
    related.set([*chosen, *kept])


def _hidden_sources(actor: AnyUser | None, judgements: QuerySet[Judgement]) -> bool:
    """Whether ``judgements`` cite evidence items or fiche cells ``actor`` may not see."""
    if actor is None:
        return False
    items = EvidenceItem.objects.filter(
        pk__in=Judgement.evidence.through.objects.filter(judgement__in=judgements).values(
            "evidenceitem_id"
        )
    )
    if items.exclude(pk__in=filter_visible(user=actor, queryset=items).values("pk")).exists():
        return True
    cells = FicheCell.objects.filter(
        pk__in=Judgement.fiche_cells.through.objects.filter(judgement__in=judgements).values(
            "fichecell_id"
        )
    )
    return cells.exclude(pk__in=filter_visible(user=actor, queryset=cells).values("pk")).exists()


def _indicator_source(indicator: Indicator, as_of: dt.date | None = None) -> str:
    """The source text stored for a figure taken from an indicator.

    Stored free text is shown to every reader of the assessment, so it never names the
    indicator: a neutral text, or the indicator's own ``source`` when the indicator is public.
    The indicator itself stays linked and is shown (masked per reader) where it is read.
    """
    text = _("Indicator uit het maatschappelijk beeld")
    if indicator.confidentiality == Confidentiality.PUBLIC and indicator.source.strip():
        text = indicator.source.strip()
    if as_of is not None:
        text = f"{text}, {as_of.isoformat()}"
    return text[:300]


def _choice(field: str, value: str, choices: Iterable[str], *, blank: bool = True) -> str:
    value = value or ""
    if value == "" and blank:
        return ""
    if value not in set(choices):
        raise ValidationError({field: _("Onbekende waarde: %(v)s") % {"v": value}})
    return value


# --- base data --------------------------------------------------------------------------------


@transaction.atomic
def rights_seed(*, rights_path: Path = RIGHTS_FILE, questions_path: Path = QUESTIONS_FILE) -> int:
    """Add the fundamental rights and rights questions that are missing; never overwrite edits.

    Returns the number of rows added. Missing files add nothing.
    """
    added = 0
    if rights_path.exists():
        for raw in json.loads(rights_path.read_text(encoding="utf-8")):
            if FundamentalRight.objects.filter(key=raw["key"]).exists():
                continue
            right = FundamentalRight(
                key=raw["key"],
                instrument=raw["instrument"],
                article=str(raw["article"]),
                title_nl=raw["title_nl"],
                title_en=raw.get("title_en", ""),
                absolute=bool(raw.get("absolute", False)),
                url=raw.get("url", ""),
                position=int(raw.get("position", 0)),
            )
            right.full_clean()
            right.save()
            added += 1
    if questions_path.exists():
        for raw in json.loads(questions_path.read_text(encoding="utf-8")):
            if RightsQuestion.objects.filter(kind=raw["kind"], key=raw["key"]).exists():
                continue
            question = RightsQuestion(
                key=raw["key"],
                kind=raw["kind"],
                text_nl=raw["text_nl"],
                text_en=raw.get("text_en", ""),
                help_nl=raw.get("help_nl", ""),
                help_en=raw.get("help_en", ""),
                position=int(raw.get("position", 0)),
            )
            question.full_clean()
            question.save()
            added += 1
    return added


# --- assessments ------------------------------------------------------------------------------


def _terms(model: Any, keys: Sequence[str], field: str) -> list[Any]:
    keys = list(keys)
    if len(set(keys)) != len(keys):
        raise ValidationError({field: _("Een sleutel staat er meer dan eens in.")})
    found = {term.key: term for term in model.objects.filter(key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise ValidationError(
            {field: _("Onbekende sleutel(s): %(keys)s") % {"keys": ", ".join(missing)}}
        )
    return [found[key] for key in keys]


def _status_append(assessment: Assessment, status: str, note: str, actor: Actor) -> None:
    AssessmentStatusChange.objects.create(
        assessment=assessment, status=status, note=note, actor=actor
    )


@transaction.atomic
def assessment_create(
    *,
    actor: AnyUser | None,
    key: str,
    title: str,
    question: str,
    assessed_on: dt.date,
    context: str = "",
    scenario_level: str = "",
    confidentiality: str = Confidentiality.INTERNAL,
    domain_keys: Sequence[str] | None = None,
    group_keys: Sequence[str] | None = None,
    zero_option_name: str | None = None,
    is_synthetic: bool = False,
) -> Assessment:
    """A new assessment with its zero option and a first (draft) status."""
    key = (key or "").strip()
    if not key or slugify(key) != key:
        raise ValidationError(
            {"key": _("Gebruik kleine letters, cijfers en streepjes (bijvoorbeeld china-2023).")}
        )
    if key in RESERVED_KEYS:
        raise ValidationError(
            {"key": _("Deze sleutel is gereserveerd voor een pagina; kies een andere.")}
        )
    if Assessment.objects.filter(key=key).exists():
        raise ValidationError({"key": _("Er is al een afweging met deze sleutel.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Geef een titel.")})
    if not (question or "").strip():
        raise ValidationError({"question": _("Geef de adviesvraag.")})
    if not isinstance(assessed_on, dt.date):
        raise ValidationError({"assessed_on": _("Geef een datum.")})
    _choice("scenario_level", scenario_level, ScenarioLevel.values)
    _choice("confidentiality", confidentiality, Confidentiality.values, blank=False)
    user = _actor(actor)
    assessment = Assessment(
        key=key,
        title=title.strip(),
        question=question.strip(),
        context=context or "",
        scenario_level=scenario_level or "",
        assessed_on=assessed_on,
        confidentiality=confidentiality,
        is_synthetic=is_synthetic,
        created_by=user,
    )
    assessment.full_clean(exclude=["preferred_option"])
    assessment.save()
    if domain_keys:
        assessment_domains_set(actor=actor, assessment=assessment, domain_keys=domain_keys)
    if group_keys:
        assessment_groups_set(actor=actor, assessment=assessment, group_keys=group_keys)
    Option.objects.create(
        assessment=assessment,
        key="zero",
        name=zero_option_name or _("Geen nieuwe maatregel (huidig beleid)"),
        is_zero=True,
        position=0,
    )
    _status_append(assessment, AssessmentStatus.DRAFT, "", user)
    return assessment


_TEXT_FIELDS = ("title", "question", "context", "problem", "goal", "preferred_rationale")
_UPDATE_FIELDS = frozenset(
    {
        *_TEXT_FIELDS,
        "scenario_level",
        "assessed_on",
        "preferred_option_key",
        "weights",
        "constraints",
        "parameters",
        "samples",
        "confidentiality",
        "is_synthetic",
    }
)


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def weights_validate(*, assessment: Assessment, weights: Any) -> dict[str, Any]:
    """``{"domains": {key: w}, "groups": {key: w}}`` with known keys, w ≥ 0, positive sums."""
    if weights in (None, ""):
        return {}
    if not isinstance(weights, dict):
        raise ValidationError({"weights": _("Gewichten moeten een object zijn.")})
    known = {
        "domains": set(assessment.domains.values_list("domain__key", flat=True)),
        "groups": set(assessment.groups.values_list("group__key", flat=True)),
    }
    clean: dict[str, Any] = {}
    for level, values in weights.items():
        if level not in known:
            raise ValidationError({"weights": _("Onbekend niveau: %(l)s") % {"l": level}})
        if not isinstance(values, dict):
            raise ValidationError({f"weights.{level}": _("Geef gewichten per sleutel.")})
        for key, value in values.items():
            if key not in known[level]:
                raise ValidationError(
                    {
                        f"weights.{level}.{key}": _("Hoort niet bij deze afweging: %(k)s")
                        % {"k": key}
                    }
                )
            if not _number(value) or not 0 <= value <= MAX_WEIGHT:
                raise ValidationError(
                    {
                        f"weights.{level}.{key}": _(
                            "Een gewicht is een eindig getal van 0 tot en met %(max)s."
                        )
                        % {"max": MAX_WEIGHT}
                    }
                )
        total = sum(float(v) for v in values.values())
        if values and (not math.isfinite(total) or total <= 0):
            raise ValidationError({f"weights.{level}": _("De gewichten tellen op tot 0.")})
        if values:
            clean[level] = dict(values)
    return clean


def constraints_validate(*, assessment: Assessment, constraints: Any) -> list[dict[str, str]]:
    """``[{"level": "domain"|"group", "more": key, "less": key}]`` with known, distinct keys."""
    if constraints in (None, ""):
        return []
    if not isinstance(constraints, list):
        raise ValidationError({"constraints": _("Ordeningen moeten een lijst zijn.")})
    known = {
        "domain": set(assessment.domains.values_list("domain__key", flat=True)),
        "group": set(assessment.groups.values_list("group__key", flat=True)),
    }
    clean = []
    for index, raw in enumerate(constraints):
        path = f"constraints[{index}]"
        if not isinstance(raw, dict) or set(raw) != {"level", "more", "less"}:
            raise ValidationError({path: _("Geef level, more en less.")})
        level, more, less = raw["level"], raw["more"], raw["less"]
        if level not in known:
            raise ValidationError({f"{path}.level": _("Kies domain of group.")})
        for name, value in (("more", more), ("less", less)):
            if value not in known[level]:
                raise ValidationError(
                    {f"{path}.{name}": _("Hoort niet bij deze afweging: %(k)s") % {"k": value}}
                )
        if more == less:
            raise ValidationError({path: _("Een sleutel kan niet boven zichzelf staan.")})
        clean.append({"level": level, "more": more, "less": less})
    return clean


@transaction.atomic
def assessment_update(
    *, actor: AnyUser | None, assessment: Assessment, **fields: Any
) -> Assessment:
    """Change the assessment's own fields (see ``_UPDATE_FIELDS``)."""
    unknown = set(fields) - _UPDATE_FIELDS
    if unknown:
        raise ValidationError({name: _("Dit veld bestaat niet.") for name in sorted(unknown)})
    for name in _TEXT_FIELDS:
        if name in fields:
            setattr(assessment, name, (fields[name] or "").strip())
    for name in ("title", "question"):
        if name in fields and not getattr(assessment, name):
            raise ValidationError({name: _("Dit veld is verplicht.")})
    if "scenario_level" in fields:
        assessment.scenario_level = _choice(
            "scenario_level", fields["scenario_level"], ScenarioLevel.values
        )
    if "assessed_on" in fields:
        if not isinstance(fields["assessed_on"], dt.date):
            raise ValidationError({"assessed_on": _("Geef een datum.")})
        assessment.assessed_on = fields["assessed_on"]
    if "confidentiality" in fields:
        assessment.confidentiality = _choice(
            "confidentiality", fields["confidentiality"], Confidentiality.values, blank=False
        )
    if "is_synthetic" in fields:
        assessment.is_synthetic = bool(fields["is_synthetic"])
    if "preferred_option_key" in fields:
        key = fields["preferred_option_key"] or ""
        if key:
            option = assessment.options.filter(key=key).first()
            if option is None:
                raise ValidationError(
                    {"preferred_option_key": _("Onbekende optie: %(k)s") % {"k": key}}
                )
            assessment.preferred_option = option
        else:
            assessment.preferred_option = None
    if "weights" in fields:
        assessment.weights = weights_validate(assessment=assessment, weights=fields["weights"])
    if "constraints" in fields:
        assessment.constraints = constraints_validate(
            assessment=assessment, constraints=fields["constraints"]
        )
    if "parameters" in fields:
        parameters = fields["parameters"] or {}
        if not isinstance(parameters, dict):
            raise ValidationError({"parameters": _("Parameters moeten een object zijn.")})
        assessment.parameters = parameters
    if "samples" in fields:
        samples = fields["samples"]
        if not isinstance(samples, int) or not 100 <= samples <= MAX_SAMPLES:
            raise ValidationError(
                {"samples": _("Kies tussen 100 en %(max)s trekkingen.") % {"max": MAX_SAMPLES}}
            )
        assessment.samples = samples
    assessment.full_clean(exclude=["preferred_option"])
    assessment.save()
    return assessment


@transaction.atomic
def assessment_status_set(
    *, actor: AnyUser | None, assessment: Assessment, status: str, note: str = ""
) -> AssessmentStatusChange:
    """Append a status to the assessment's history (nothing is overwritten)."""
    _choice("status", status, AssessmentStatus.values, blank=False)
    return AssessmentStatusChange.objects.create(
        assessment=assessment, status=status, note=note or "", actor=_actor(actor)
    )


def _prune_weights(assessment: Assessment) -> None:
    domains = set(assessment.domains.values_list("domain__key", flat=True))
    groups = set(assessment.groups.values_list("group__key", flat=True))
    allowed = {"domains": domains, "groups": groups, "domain": domains, "group": groups}
    weights = {
        level: {k: v for k, v in values.items() if k in allowed.get(level, set())}
        for level, values in (assessment.weights or {}).items()
        if isinstance(values, dict)
    }
    assessment.weights = {level: values for level, values in weights.items() if values}
    assessment.constraints = [
        c
        for c in assessment.constraints or []
        if isinstance(c, dict)
        and c.get("more") in allowed.get(c.get("level", ""), set())
        and c.get("less") in allowed.get(c.get("level", ""), set())
    ]
    assessment.save(update_fields=["weights", "constraints", "updated_at"])


def _matrix_terms_set(
    *,
    assessment: Assessment,
    kind: str,
    term_model: Any,
    row_model: Any,
    keys: Sequence[str],
    field: str,
    judged_message: str,
) -> list[Any]:
    """Set the matrix terms of one kind ("domain" or "group"), in this order.

    Terms that still have judgements cannot be removed; kept rows keep their other fields
    (only the position is updated); weights and constraints on removed terms are pruned.
    """
    terms = _terms(term_model, keys, field)
    keep = {term.pk for term in terms}
    judged = (
        Judgement.objects.filter(option__assessment=assessment)
        .exclude(**{f"{kind}_id__in": keep})
        .values_list(f"{kind}__key", flat=True)
        .distinct()
    )
    if judged:
        raise ValidationError({field: judged_message % {"keys": ", ".join(sorted(judged))}})
    row_model.objects.filter(assessment=assessment).exclude(**{f"{kind}_id__in": keep}).delete()
    rows = []
    for position, term in enumerate(terms):
        row, _created = row_model.objects.update_or_create(
            assessment=assessment, **{kind: term}, defaults={"position": position}
        )
        rows.append(row)
    _prune_weights(assessment)
    return rows


@transaction.atomic
def assessment_domains_set(
    *, actor: AnyUser | None, assessment: Assessment, domain_keys: Sequence[str]
) -> list[AssessmentDomain]:
    """Set the impact domains of the matrix, in this order. A domain with judgements stays."""
    return _matrix_terms_set(
        assessment=assessment,
        kind="domain",
        term_model=Domain,
        row_model=AssessmentDomain,
        keys=domain_keys,
        field="domain_keys",
        judged_message=_("Deze domeinen hebben nog oordelen; wis die eerst: %(keys)s"),
    )


@transaction.atomic
def assessment_groups_set(
    *, actor: AnyUser | None, assessment: Assessment, group_keys: Sequence[str]
) -> list[AssessmentGroup]:
    """Set the groups of the matrix, in this order (sizes of kept groups stay)."""
    return _matrix_terms_set(
        assessment=assessment,
        kind="group",
        term_model=PopulationGroup,
        row_model=AssessmentGroup,
        keys=group_keys,
        field="group_keys",
        judged_message=_("Deze groepen hebben nog oordelen; wis die eerst: %(keys)s"),
    )


@transaction.atomic
def assessment_terms_set(
    *,
    actor: AnyUser | None,
    assessment: Assessment,
    domain_keys: Sequence[str],
    group_keys: Sequence[str],
) -> None:
    """Set the domains and the groups of the matrix together: both or neither.

    Problems with the domains and with the groups are reported together.
    """
    problems: dict[str, list[str]] = {}
    for write in (
        lambda: assessment_domains_set(actor=actor, assessment=assessment, domain_keys=domain_keys),
        lambda: assessment_groups_set(actor=actor, assessment=assessment, group_keys=group_keys),
    ):
        try:
            write()
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for field, messages in detail.items():
                problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def assessment_group_size_set(
    *,
    actor: AnyUser | None,
    assessment: Assessment,
    group_key: str,
    size: int | None = None,
    size_source: str = "",
    size_as_of: dt.date | None = None,
    size_indicator_key: str | None = None,
) -> AssessmentGroup:
    """Set a group's size: entered, or the latest value of an indicator as known now."""
    row = assessment.groups.select_related("group").filter(group__key=group_key).first()
    if row is None:
        raise ValidationError({"group_key": _("Deze groep hoort niet bij de afweging.")})
    if size_indicator_key:
        indicator = Indicator.objects.filter(key=size_indicator_key).first()
        if indicator is None or not _sees(actor, indicator):
            raise ValidationError(
                {"size_indicator_key": _("Onbekende indicator: %(k)s") % {"k": size_indicator_key}}
            )
        value, as_of = selectors.indicator_latest(indicator=indicator)
        if value is None or not math.isfinite(value) or not 1 <= value <= MAX_PEOPLE:
            raise ValidationError(
                {"size_indicator_key": _("Deze indicator heeft nog geen bruikbare waarde.")}
            )
        row.size = round(value)
        row.size_as_of = as_of
        row.size_source = size_source or _indicator_source(indicator)
        row.size_indicator = indicator
    else:
        if size is not None and (
            not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_PEOPLE
        ):
            raise ValidationError(
                {
                    "size": _("De omvang is een geheel aantal personen (1 tot en met %(max)s).")
                    % {"max": f"{MAX_PEOPLE:,}".replace(",", ".")}
                }
            )
        if size is None and (
            Judgement.objects.filter(
                option__assessment=assessment, group=row.group, reach_people__isnull=False
            ).exists()
        ):
            raise ValidationError(
                {
                    "size": _(
                        "Oordelen over deze groep geven het bereik in personen; daarvoor is de "
                        "omvang nodig. Geef daar een aandeel of laat de omvang staan."
                    )
                }
            )
        row.size = size
        row.size_source = size_source or ""
        row.size_as_of = size_as_of
        row.size_indicator = None
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def history_entry_add(
    *,
    actor: AnyUser | None,
    assessment: Assessment,
    label: str,
    burden: dict[str, Any],
    date: dt.date | None = None,
    source_version: AssessmentVersion | None = None,
) -> HistoryEntry:
    """Record the burden an earlier package put on groups (for the stacking over time)."""
    if not (label or "").strip():
        raise ValidationError({"label": _("Geef een omschrijving.")})
    if not isinstance(burden, dict):
        raise ValidationError({"burden": _("Geef de last per groep.")})
    groups = set(assessment.groups.values_list("group__key", flat=True))
    for key, value in burden.items():
        if key not in groups:
            raise ValidationError(
                {f"burden.{key}": _("Hoort niet bij deze afweging: %(k)s") % {"k": key}}
            )
        if not _number(value) or not -3 <= value <= 0:
            raise ValidationError({f"burden.{key}": _("De last is een getal van -3 tot en met 0.")})
    return HistoryEntry.objects.create(
        assessment=assessment,
        label=label.strip(),
        date=date,
        burden=dict(burden),
        source_version=source_version,
    )


# --- options ----------------------------------------------------------------------------------


def _unique_option_key(assessment: Assessment, base: str) -> str:
    base = slugify(base)[:90] or "optie"
    key, n = base, 2
    while assessment.options.filter(key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


def _package(actor: AnyUser | None, key: str | None, field: str = "package_key") -> Package | None:
    if not key:
        return None
    package = Package.objects.filter(key=key).first()
    if package is None or not _sees(actor, package):
        raise ValidationError({field: _("Onbekend pakket: %(k)s") % {"k": key}})
    return package


def _measures(
    actor: AnyUser | None, keys: Iterable[str], field: str = "measure_keys"
) -> list[Measure]:
    measures = _terms(Measure, list(keys), field)
    hidden = [m.key for m in measures if not _sees(actor, m)]
    if hidden:
        raise ValidationError(
            {field: _("Onbekende sleutel(s): %(keys)s") % {"keys": ", ".join(hidden)}}
        )
    return measures


@transaction.atomic
def option_create(
    *,
    actor: AnyUser | None,
    assessment: Assessment,
    name: str,
    key: str | None = None,
    package_key: str | None = None,
    measure_keys: Sequence[str] = (),
    description: str = "",
) -> Option:
    """Add an option: a catalog package and/or measures, or a free description."""
    if not (name or "").strip():
        raise ValidationError({"name": _("Geef de optie een naam.")})
    if key:
        if slugify(key) != key:
            raise ValidationError({"key": _("Gebruik kleine letters, cijfers en streepjes.")})
        if assessment.options.filter(key=key).exists():
            raise ValidationError({"key": _("Deze afweging heeft al een optie met deze sleutel.")})
    else:
        key = _unique_option_key(assessment, name)
    package = _package(actor, package_key)
    measures = _measures(actor, measure_keys)
    position = (assessment.options.aggregate(m=Max("position"))["m"] or 0) + 1
    option = Option(
        assessment=assessment,
        key=key,
        name=name.strip(),
        description=description or "",
        package=package,
        position=position,
    )
    option.full_clean()
    option.save()
    option.measures.set(measures)
    return option


_OPTION_TEXT = (
    "name",
    "description",
    "acceptability_source",
    "effect_on_effectiveness",
    "justice",
    "solidarity",
    "equal_opportunities",
    "future_generations",
    "etd_desirable",
    "etd_undesirable",
    "etd_certainty",
    "etd_equity",
    "etd_acceptability",
    "etd_feasibility",
    "advice_rationale",
)
_OPTION_SHARES = ("support", "support_low", "support_high", "compliance")
_OPTION_FIELDS = frozenset(
    {
        *_OPTION_TEXT,
        *_OPTION_SHARES,
        "advice",
        "package_key",
        "measure_keys",
        "support_indicator_key",
        "position",
    }
)


def _share(field: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if not _number(value) or not 0 <= float(value) <= 1:
        raise ValidationError({field: _("Geef een aandeel tussen 0 en 1.")})
    return float(value)


@transaction.atomic
def option_update(*, actor: AnyUser | None, option: Option, **fields: Any) -> Option:
    """Change an option: acceptability, values, evidence-to-decision, advice, catalog link.

    ``support_indicator_key`` fills the support from the latest value of an indicator of the
    societal picture (a percentage is turned into a share).
    """
    unknown = set(fields) - _OPTION_FIELDS
    if unknown:
        raise ValidationError({name: _("Dit veld bestaat niet.") for name in sorted(unknown)})
    for name in _OPTION_TEXT:
        if name in fields:
            setattr(option, name, (fields[name] or "").strip())
    if "name" in fields and not option.name:
        raise ValidationError({"name": _("Geef de optie een naam.")})
    for name in _OPTION_SHARES:
        if name in fields:
            setattr(option, name, _share(name, fields[name]))
    if "advice" in fields:
        option.advice = _choice("advice", fields["advice"], AdviceType.values)
    if "position" in fields:
        position = fields["position"]
        if (
            not isinstance(position, int)
            or isinstance(position, bool)
            or not 0 <= position <= MAX_POSITION
        ):
            raise ValidationError(
                {
                    "position": _("Geef een volgnummer van 0 tot en met %(max)s.")
                    % {"max": MAX_POSITION}
                }
            )
        option.position = position
    if "package_key" in fields:
        package = _package(actor, fields["package_key"])
        current = option.package if option.package_id else None
        if current is not None and not _sees(actor, current):
            # A package the actor may not see stays: the actor could not have removed it.
            if package is not None and package.pk != current.pk:
                raise ValidationError(
                    {
                        "package_key": _(
                            "Deze optie hoort bij een pakket dat u niet mag zien; "
                            "dat kunt u niet vervangen."
                        )
                    }
                )
        else:
            option.package = package
    if fields.get("support_indicator_key"):
        key = fields["support_indicator_key"]
        indicator = Indicator.objects.filter(key=key).first()
        if indicator is None or not _sees(actor, indicator):
            raise ValidationError(
                {"support_indicator_key": _("Onbekende indicator: %(k)s") % {"k": key}}
            )
        value, as_of = selectors.indicator_latest(indicator=indicator)
        if value is None:
            raise ValidationError(
                {"support_indicator_key": _("Deze indicator heeft nog geen waarde.")}
            )
        share = value / 100 if value > 1 else value
        option.support = _share("support_indicator_key", share)
        option.support_indicator = indicator
        if not fields.get("acceptability_source"):
            option.acceptability_source = _indicator_source(indicator, as_of)
    elif "support_indicator_key" in fields and (
        option.support_indicator_id is None or _sees(actor, option.support_indicator)
    ):
        # An indicator the actor may not see stays linked (the actor could not have removed it).
        option.support_indicator = None
    low, mid, high = option.support_low, option.support, option.support_high
    if low is not None and high is not None and low > high:
        raise ValidationError({"support_low": _("De ondergrens ligt boven de bovengrens.")})
    if mid is not None and ((low is not None and low > mid) or (high is not None and mid > high)):
        raise ValidationError({"support": _("Het draagvlak ligt buiten zijn grenzen.")})
    option.full_clean()
    option.save()
    if "measure_keys" in fields:
        _links_set(actor, option.measures, _measures(actor, fields["measure_keys"] or ()))
    return option


@transaction.atomic
def option_delete(*, actor: AnyUser | None, option: Option) -> None:
    """Remove an option with its judgements; the zero option cannot be removed.

    Nor can an option whose effectiveness, or whose judgements' evidence or fiche cells,
    ``actor`` may not see: that would remove what the actor cannot know about.
    """
    if option.is_zero:
        raise ValidationError({"option": _("De nuloptie hoort bij elke afweging en blijft.")})
    effectiveness = Effectiveness.objects.filter(option=option).first()
    if effectiveness is not None and not _sees(actor, effectiveness):
        raise ValidationError(
            {
                "option": _(
                    "Deze optie heeft een effectiviteit die u niet mag zien. Alleen wie die mag "
                    "zien, kan de optie verwijderen."
                )
            }
        )
    if _hidden_sources(actor, option.judgements.all()):
        raise ValidationError(
            {
                "option": _(
                    "Oordelen van deze optie steunen op bronnen die u niet mag zien. Alleen wie "
                    "die mag zien, kan de optie verwijderen."
                )
            }
        )
    option.delete()


# --- effectiveness ----------------------------------------------------------------------------


@transaction.atomic
def effectiveness_set(
    *,
    actor: AnyUser | None,
    option: Option,
    outcome: str,
    source: str,
    estimate: float | None = None,
    low: float | None = None,
    high: float | None = None,
    unit: str = "",
    note: str = "",
    confidentiality: str = Confidentiality.INTERNAL,
) -> Effectiveness:
    """Record the medical side's expected effect of an option (paraat never computes it)."""
    existing = Effectiveness.objects.filter(option=option).first()
    if existing is not None and not _sees(actor, existing):
        raise ValidationError(
            {"effectiveness": _("U mag de bestaande (vertrouwelijke) effectiviteit niet zien.")}
        )
    _choice("outcome", outcome, Outcome.values, blank=False)
    _choice("confidentiality", confidentiality, Confidentiality.values, blank=False)
    if not (source or "").strip():
        raise ValidationError({"source": _("Noem de bron (bijvoorbeeld een OMT-advies).")})
    for name, value in (("estimate", estimate), ("low", low), ("high", high)):
        if value is not None and not _number(value):
            raise ValidationError({name: _("Geef een getal.")})
    if low is not None and high is not None and low > high:
        raise ValidationError({"low": _("De ondergrens ligt boven de bovengrens.")})
    if estimate is not None and (
        (low is not None and low > estimate) or (high is not None and estimate > high)
    ):
        raise ValidationError({"estimate": _("Het verwachte effect ligt buiten zijn grenzen.")})
    effectiveness = existing or Effectiveness(option=option)
    effectiveness.outcome = outcome
    effectiveness.source = source.strip()
    effectiveness.estimate = estimate
    effectiveness.low = low
    effectiveness.high = high
    effectiveness.unit = unit or ""
    effectiveness.note = note or ""
    effectiveness.confidentiality = confidentiality
    effectiveness.full_clean()
    effectiveness.save()
    return effectiveness


@transaction.atomic
def effectiveness_clear(*, actor: AnyUser | None, option: Option) -> None:
    existing = Effectiveness.objects.filter(option=option).first()
    if existing is None:
        return
    if not _sees(actor, existing):
        raise ValidationError(
            {"effectiveness": _("U mag de bestaande (vertrouwelijke) effectiviteit niet zien.")}
        )
    existing.delete()


# --- judgements -------------------------------------------------------------------------------


def _effect_index(value: str) -> int:
    return selectors.EFFECT_ORDER.index(value)


@transaction.atomic
def judgement_set(
    *,
    actor: AnyUser | None,
    option: Option,
    domain_key: str,
    group_key: str,
    effect: str,
    low: str = "",
    high: str = "",
    reach_people: int | None = None,
    reach_share: float | None = None,
    duration: str = "",
    reversibility: str = "",
    compensability: str = "",
    horizon: str = "",
    certainty: str = "",
    evidence_refs: Sequence[str] = (),
    fiche_cell_ids: Sequence[int] = (),
    rationale: str = "",
) -> Judgement:
    """Set one cell of the matrix (option × domain × group)."""
    assessment = option.assessment
    domain_row = assessment.domains.select_related("domain").filter(domain__key=domain_key).first()
    if domain_row is None:
        raise ValidationError({"domain": _("Dit domein hoort niet bij de afweging.")})
    group_row = assessment.groups.select_related("group").filter(group__key=group_key).first()
    if group_row is None:
        raise ValidationError({"group": _("Deze groep hoort niet bij de afweging.")})
    _choice("effect", effect, Effect.values, blank=False)
    _choice("low", low, selectors.EFFECT_ORDER)
    _choice("high", high, selectors.EFFECT_ORDER)
    if effect == Effect.UNKNOWN:
        if low or high:
            raise ValidationError(
                {
                    "low": _(
                        "Een onbekend effect heeft geen bandbreedte; "
                        "laat onder- en bovengrens leeg."
                    )
                }
            )
    else:
        point = _effect_index(effect)
        if low and _effect_index(low) > point:
            raise ValidationError({"low": _("De ondergrens ligt boven het effect.")})
        if high and _effect_index(high) < point:
            raise ValidationError({"high": _("De bovengrens ligt onder het effect.")})
    if reach_people is not None and reach_share is not None:
        raise ValidationError(
            {"reach_share": _("Geef het bereik als aantal personen óf als aandeel, niet beide.")}
        )
    if reach_people is not None:
        if (
            not isinstance(reach_people, int)
            or isinstance(reach_people, bool)
            or not 0 <= reach_people <= MAX_PEOPLE
        ):
            raise ValidationError(
                {
                    "reach_people": _("Geef een geheel aantal personen (0 tot en met %(max)s).")
                    % {"max": f"{MAX_PEOPLE:,}".replace(",", ".")}
                }
            )
        if group_row.size is None:
            raise ValidationError(
                {
                    "reach_people": _(
                        "Een bereik in personen heeft de omvang van de groep nodig; geef een "
                        "aandeel of vul de omvang van de groep in."
                    )
                }
            )
    reach_share = _share("reach_share", reach_share)
    _choice("duration", duration, Duration.values)
    _choice("reversibility", reversibility, Reversibility.values)
    _choice("compensability", compensability, Compensability.values)
    _choice("horizon", horizon, Horizon.values)
    _choice("certainty", certainty, Certainty.values)
    refs = list(dict.fromkeys(evidence_refs or ()))
    items = {i.ref: i for i in EvidenceItem.objects.filter(ref__in=refs)}
    missing = [ref for ref in refs if ref not in items or not _sees(actor, items[ref])]
    if missing:
        raise ValidationError(
            {"evidence": _("Onbekende citeersleutel(s): %(refs)s") % {"refs": ", ".join(missing)}}
        )
    cells: list[FicheCell] = []
    if fiche_cell_ids:
        allowed = {
            cell.pk: cell for cell in selectors.fiche_cell_choices(option=option, user=actor)
        }
        wrong = [str(pk) for pk in fiche_cell_ids if pk not in allowed]
        if wrong:
            raise ValidationError(
                {
                    "fiche_cells": _(
                        "Deze ficheregels horen niet bij de maatregelen van de optie: %(ids)s"
                    )
                    % {"ids": ", ".join(wrong)}
                }
            )
        cells = [allowed[pk] for pk in dict.fromkeys(fiche_cell_ids)]
    judgement, _created = Judgement.objects.update_or_create(
        option=option,
        domain=domain_row.domain,
        group=group_row.group,
        defaults={
            "effect": effect,
            "low": low or "",
            "high": high or "",
            "reach_people": reach_people,
            "reach_share": reach_share,
            "duration": duration or "",
            "reversibility": reversibility or "",
            "compensability": compensability or "",
            "horizon": horizon or "",
            "certainty": certainty or "",
            "rationale": rationale or "",
            "updated_by": _actor(actor),
        },
    )
    judgement.full_clean()
    _links_set(actor, judgement.evidence, list(items.values()))
    _links_set(actor, judgement.fiche_cells, cells)
    return judgement


@transaction.atomic
def judgement_clear(
    *, actor: AnyUser | None, option: Option, domain_key: str, group_key: str
) -> None:
    """Remove a cell's judgement: it becomes "not assessed" again.

    Refused when the judgement cites evidence or fiche cells ``actor`` may not see.
    """
    judgements = Judgement.objects.filter(
        option=option, domain__key=domain_key, group__key=group_key
    )
    if _hidden_sources(actor, judgements):
        raise ValidationError(
            {
                "judgement": _(
                    "Dit oordeel steunt op bronnen die u niet mag zien. Alleen wie die mag zien, "
                    "kan het wissen."
                )
            }
        )
    judgements.delete()


# --- rights -----------------------------------------------------------------------------------


@transaction.atomic
def rights_answer_set(
    *,
    actor: AnyUser | None,
    option: Option,
    kind: str,
    question_key: str,
    answer: str,
    note: str = "",
    include_inactive: bool = False,
) -> RightsAnswer | None:
    """Answer one rights question for an option (an empty answer removes it).

    Only active questions are asked; ``include_inactive`` (an import of an older file) also
    accepts answers to questions that were deactivated since.
    """
    _choice("kind", kind, RightsQuestion.Kind.values, blank=False)
    questions = RightsQuestion.objects.filter(kind=kind, key=question_key)
    if not include_inactive:
        questions = questions.filter(is_active=True)
    question = questions.first()
    if question is None:
        raise ValidationError({"question_key": _("Onbekende vraag: %(k)s") % {"k": question_key}})
    if not answer:
        RightsAnswer.objects.filter(option=option, question=question).delete()
        return None
    _choice("answer", answer, RightsAnswer.Answer.values, blank=False)
    row, _created = RightsAnswer.objects.update_or_create(
        option=option, question=question, defaults={"answer": answer, "note": note or ""}
    )
    return row


@transaction.atomic
def right_touched_add(
    *, actor: AnyUser | None, option: Option, right_key: str, note: str = ""
) -> RightTouched:
    right = FundamentalRight.objects.filter(key=right_key).first()
    if right is None:
        raise ValidationError({"right_key": _("Onbekend grondrecht: %(k)s") % {"k": right_key}})
    row, _created = RightTouched.objects.update_or_create(
        option=option, right=right, defaults={"note": note or ""}
    )
    return row


@transaction.atomic
def right_touched_remove(*, actor: AnyUser | None, option: Option, right_key: str) -> None:
    RightTouched.objects.filter(option=option, right__key=right_key).delete()


@transaction.atomic
def option_rights_set(
    *,
    actor: AnyUser | None,
    option: Option,
    answers: Sequence[tuple[str, str, str, str]],
    touched_keys: Sequence[str],
) -> None:
    """Save the rights section of an option at once: all of it or nothing.

    ``answers`` holds ``(kind, question key, answer, note)`` for every question asked (an empty
    answer removes a given one); ``touched_keys`` are the rights the option touches: missing
    ones are added, others removed, and the notes of rights that stay are kept. Errors name the
    form's fields (``<kind>__<key>__answer``, ``touched``).
    """
    problems: dict[str, list[str]] = {}
    for kind, question_key, answer, note in answers:
        try:
            rights_answer_set(
                actor=actor,
                option=option,
                kind=kind,
                question_key=question_key,
                answer=answer,
                note=note,
            )
        except ValidationError as exc:
            problems.setdefault(f"{kind}__{question_key}__answer", []).extend(exc.messages)
    wanted = list(dict.fromkeys(touched_keys))
    known = set(FundamentalRight.objects.filter(key__in=wanted).values_list("key", flat=True))
    unknown = [key for key in wanted if key not in known]
    if unknown:
        problems.setdefault("touched", []).append(
            _("Onbekend grondrecht: %(k)s") % {"k": ", ".join(unknown)}
        )
    if problems:
        raise ValidationError(problems)
    current = set(option.rights_touched.values_list("right__key", flat=True))
    for right_key in wanted:
        if right_key not in current:
            right_touched_add(actor=actor, option=option, right_key=right_key)
    RightTouched.objects.filter(option=option).exclude(right__key__in=wanted).delete()


# --- analysis ---------------------------------------------------------------------------------


def core_errors(exc: Exception) -> dict[str, list[str]]:
    """The problems of a ``paraat_core.assessment.AssessmentError`` by JSON path."""
    problems = getattr(exc, "problems", None) or getattr(exc, "errors", None) or []
    errors: dict[str, list[str]] = {}
    for problem in problems:
        if isinstance(problem, dict):
            path, message = problem.get("path", ""), problem.get("message", "")
        else:
            path, message = getattr(problem, "path", ""), getattr(problem, "message", str(problem))
        errors.setdefault(str(path) or "document", []).append(str(message))
    if not errors:
        errors["document"] = [str(exc)]
    return errors


def _core_load(document: Any) -> Any:
    from paraat_core import assessment as core

    # PostgreSQL cannot store NUL: such a file is refused by path, not failed when stored
    where = json_string_path(document, has_nul)
    if where is not None:
        raise ValidationError(
            {where: [_("Dit veld bevat een NUL-teken (\\u0000); dat kan niet worden opgeslagen.")]}
        )
    try:
        return core.load(document)
    except core.AssessmentError as exc:
        raise ValidationError(core_errors(exc)) from exc
    except RecursionError as exc:
        raise ValidationError({"document": [_("Het afwegingsbestand is te diep genest.")]}) from exc


def assessment_analyse(
    *,
    actor: AnyUser | None,
    assessment: Assessment,
    samples: int | None = None,
    seed: int | None = None,
    note: str = "",
    progress: Progress | None = None,
) -> AssessmentVersion:
    """Analyse the assessment as it is now and store file and result as a new version.

    The analysis runs outside a transaction (it may take seconds); only storing the version is
    one. ``progress(fraction, message)`` is called along the way (for a background job).
    """
    from paraat_core import assessment as core

    samples = assessment.samples if samples is None else samples
    if (
        not isinstance(samples, int)
        or isinstance(samples, bool)
        or not 100 <= samples <= MAX_SAMPLES
    ):
        raise ValidationError(
            {"samples": _("Kies tussen 100 en %(max)s trekkingen.") % {"max": MAX_SAMPLES}}
        )
    if seed is None:
        seed = secrets.randbelow(2**31)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise ValidationError({"seed": _("De seed is een geheel getal van 0 of meer.")})
    if progress:
        progress(0.05, _("Afwegingsbestand opbouwen"))
    document = selectors.assessment_document(assessment=assessment, include_confidential=True)
    model = _core_load(document)
    if progress:
        progress(0.2, _("Analyse (SMAA) draait"))
    try:
        result = core.analyse(model, samples=samples, seed=seed)
        stored = json.loads(json.dumps(result, allow_nan=False))
    except core.AssessmentError as exc:
        raise ValidationError(core_errors(exc)) from exc
    except (ValueError, ArithmeticError) as exc:
        raise ValidationError(
            {"document": [_("De analyse kan met deze gegevens niet rekenen: %(m)s") % {"m": exc}]}
        ) from exc
    if progress:
        progress(0.9, _("Resultaat opslaan"))
    version = _version_append(
        assessment=assessment,
        document=document,
        result=stored,
        samples=samples,
        seed=seed,
        note=note,
        actor=actor,
    )
    if progress:
        progress(0.95, _("Analyse met de gewichten van burgers"))
    weight_scenarios_refresh(actor=actor, version=version)
    if progress:
        progress(1.0, _("Klaar"))
    return version


# --- weight distributions (the citizens' own weights; paraat.panels) --------------------------


def weight_scenario_run(
    *,
    actor: AnyUser | None,
    version: AssessmentVersion,
    source: str,
    label: str,
    items: Sequence[str],
    vectors: Sequence[Sequence[float]],
    is_synthetic: bool = False,
) -> WeightScenario:
    """SMAA-2 of one version with the domain weights drawn from an empirical distribution.

    Each draw takes the domain-weight vector of one participant, uniformly with replacement
    (``paraat_core.smaa``, ``row_weight_distribution``); the group level keeps its uniform
    weights and ordinal constraints; the domain-level constraints of the assessment are not
    applied (the participants' weights replace them). The vectors are restricted to the
    version's domains and renormalised; a domain the participants did not rank is an error.
    Same samples and seed as the version, so the judgement draws are identical and only the
    weights differ from the uniform analysis. Appends a ``WeightScenario``.
    """
    import numpy as np

    from paraat_core import panels as core_panels
    from paraat_core import smaa as smaa_engine
    from paraat_core.assessment.analysis import smaa_inputs

    model = _core_load(version.document)
    inputs = smaa_inputs(model)
    domains = list(inputs["rows"])
    if not vectors:
        raise ValidationError({"weights": [_("De gewichtenverdeling is leeg.")]})
    try:
        restricted = core_panels.restrict(vectors, list(items), domains)
    except ValueError:
        missing = [d for d in domains if d not in items]
        raise ValidationError(
            {
                "weights": [
                    _("De deelnemers rangschikten niet alle domeinen van de afweging: %(d)s")
                    % {"d": ", ".join(missing) or "?"}
                ]
            }
        ) from None
    dropped_constraints = len(inputs.pop("row_ordinal"))
    try:
        res = smaa_engine.smaa_grid(
            **inputs,
            samples=version.samples,
            seed=version.seed,
            row_weight_distribution=restricted,
        )
    except ValueError as exc:
        raise ValidationError(
            {"weights": [_("De analyse kan met deze gewichten niet rekenen: %(m)s") % {"m": exc}]}
        ) from exc
    ranks = np.arange(1, len(inputs["options"]) + 1)
    names = {o.id: o.name for o in model.options}
    result = {
        "options": [
            {
                "id": key,
                "name": names.get(key, key),
                "rank_acceptability": [float(b) for b in res.rank_acceptability[i]],
                "expected_rank": round(float(res.rank_acceptability[i] @ ranks), 6),
                "holistic": round(float(res.holistic[i]), 6),
            }
            for i, key in enumerate(inputs["options"])
        ],
        "domains": domains,
        "domain_names": {d.key: d.name for d in model.domains},
        "mean_weights": {
            d: round(sum(v[k] for v in restricted) / len(restricted), 6)
            for k, d in enumerate(domains)
        },
        "ignored_domain_constraints": dropped_constraints,
        "ignored_items": [k for k in items if k not in domains],
    }
    return WeightScenario.objects.create(
        version=version,
        source=source[:100],
        label=label[:300],
        participants=len(restricted),
        weights={"domains": domains, "vectors": restricted},
        result=json.loads(json.dumps(result, allow_nan=False)),
        samples=version.samples,
        seed=version.seed,
        is_synthetic=is_synthetic,
        created_by=_actor(actor),
    )


def weight_scenarios_refresh(
    *, actor: AnyUser | None, version: AssessmentVersion
) -> list[WeightScenario]:
    """Run every weight distribution offered to the version's assessment (``paraat.panels``);
    a distribution that does not fit (e.g. misses a domain) is skipped."""
    from paraat.panels import selectors as panel_selectors

    out = []
    for dist in panel_selectors.weight_distributions_for(assessment=version.assessment):
        try:
            out.append(
                weight_scenario_run(
                    actor=actor,
                    version=version,
                    source=dist.source,
                    label=dist.label,
                    items=dist.items,
                    vectors=dist.vectors,
                    is_synthetic=dist.is_synthetic,
                )
            )
        except ValidationError:
            continue
    return out


def _version_number_next(assessment: Assessment) -> int:
    return (assessment.versions.aggregate(m=Max("number"))["m"] or 0) + 1


def _version_append(
    *,
    assessment: Assessment,
    document: dict[str, Any],
    result: dict[str, Any],
    samples: int,
    seed: int,
    note: str,
    actor: AnyUser | None,
    attempts: int = 3,
) -> AssessmentVersion:
    """Store a new version with the next number.

    The assessment row is locked (``select_for_update``) while the number is chosen, so two
    analyses finishing together queue up instead of taking the same number; a database without
    row locks (SQLite) may still collide, so a taken number is retried.
    """
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
                return AssessmentVersion.objects.create(
                    assessment=assessment,
                    number=_version_number_next(assessment),
                    document=document,
                    result=result,
                    samples=samples,
                    seed=seed,
                    note=(note or "")[:500],
                    created_by=_actor(actor),
                )
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


# --- import -----------------------------------------------------------------------------------

#: The file's evidence types and knowledge classes → the library's (for items the import adds).
_FILE_KNOWLEDGE_CLASS = {
    "science": KnowledgeClass.SCIENTIFIC,
    "scientific": KnowledgeClass.SCIENTIFIC,
    "practice": KnowledgeClass.PRACTICE,
    "citizen": KnowledgeClass.EXPERIENTIAL,
    "experiential": KnowledgeClass.EXPERIENTIAL,
    "policy": KnowledgeClass.ADMINISTRATIVE,
    "administrative": KnowledgeClass.ADMINISTRATIVE,
}


class _Errors:
    """Collects every problem of an import by JSON path, then raises them together."""

    def __init__(self) -> None:
        self.by_path: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.by_path.setdefault(path, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_path:
            raise ValidationError(self.by_path)


def _lookup_keys(
    errors: _Errors, model: Any, wanted: dict[str, str], what: str, actor: AnyUser | None
) -> dict[str, Any]:
    """``wanted`` maps key → first JSON path; unknown (or invisible) keys become errors."""
    found = {row.key: row for row in model.objects.filter(key__in=list(wanted))}
    for key, path in wanted.items():
        row = found.get(key)
        if row is None or (hasattr(row, "confidentiality") and not _sees(actor, row)):
            errors.add(path, _("Onbekende %(what)s: %(key)s") % {"what": what, "key": key})
    return found


def _renamed_errors(paths: dict[str, str], write: Callable[[], Any]) -> Any:
    """Run ``write``; report its field errors under the file's names (``key`` → ``id``)."""
    try:
        return write()
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"document": exc.messages}
        raise ValidationError(
            {paths.get(field, field): messages for field, messages in detail.items()}
        ) from exc


def _evidence_create_from_file(
    entry: dict[str, Any], actor: AnyUser | None, confidentiality: str
) -> EvidenceItem:
    """A library item for a file's evidence entry (as confidential as the imported assessment)."""
    from paraat.evidence import services as evidence_services

    item_type = entry.get("type", "")
    year = entry.get("year")
    return evidence_services.evidence_create(
        data=evidence_services.EvidenceData(
            item_type=item_type if item_type in EvidenceType.values else EvidenceType.REPORT,
            title=entry.get("title") or entry["ref"],
            knowledge_class=_FILE_KNOWLEDGE_CLASS.get(
                entry.get("knowledge_class", ""), KnowledgeClass.PRACTICE
            ),
            published_on=dt.date(int(year), 1, 1) if isinstance(year, int) else None,
            date_precision="year",
            url=entry.get("url", ""),
            summary=entry.get("note", ""),
            certainty=entry.get("certainty", "") or "",
            confidentiality=confidentiality,
        ),
        submitted_by=_actor(actor),
        ref=entry["ref"],
    )


_STRICTNESS = {
    Confidentiality.PUBLIC: 0,
    Confidentiality.INTERNAL: 1,
    Confidentiality.CONFIDENTIAL: 2,
}


def _effectiveness_level(entry: dict[str, Any], assessment_level: str) -> str:
    """The confidentiality of an imported effectiveness: the strictest of the file's level
    (``confidentiality``, or ``confidential: true``) and the imported assessment's."""
    levels = [assessment_level]
    if entry.get("confidential"):
        levels.append(Confidentiality.CONFIDENTIAL)
    given = entry.get("confidentiality")
    if given:
        levels.append(given if given in _STRICTNESS else Confidentiality.CONFIDENTIAL)
    return max(levels, key=lambda level: _STRICTNESS.get(level, 2))


@transaction.atomic
def assessment_import(
    *,
    actor: AnyUser | None,
    document: Any,
    confidentiality: str = Confidentiality.INTERNAL,
    create_missing_evidence: bool = False,
) -> Assessment:
    """Create an assessment from an assessment file, all or nothing.

    The file is validated by ``paraat_core.assessment.load`` first; then its domain, group,
    measure, package, evidence, right and rights-question keys must exist in paraat (and be
    visible to ``actor``). Every problem is reported at once, each under its JSON path. With
    ``create_missing_evidence`` (the demo) the file's evidence entries missing from the
    library are added, as confidential as the assessment.
    """
    _choice("confidentiality", confidentiality, Confidentiality.values, blank=False)
    _core_load(document)
    assert isinstance(document, dict)
    errors = _Errors()
    if document["id"] in RESERVED_KEYS:
        errors.add("id", _("Deze sleutel is gereserveerd voor een pagina; kies een andere."))
    elif Assessment.objects.filter(key=document["id"]).exists():
        errors.add("id", _("Er is al een afweging met deze sleutel: %(k)s") % {"k": document["id"]})

    def collect(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        wanted: dict[str, str] = {}
        for key, path in pairs:
            wanted.setdefault(key, path)
        return wanted

    options = document.get("options", [])
    judgements = document.get("judgements", [])
    zeros = [i for i, o in enumerate(options) if o.get("zero")]
    for i in zeros[1:]:
        errors.add(
            f"options[{i}].zero",
            _("Een afweging heeft precies één nuloptie; dit is de tweede (de eerste: %(p)s).")
            % {"p": f"options[{zeros[0]}]"},
        )
    if not zeros:
        errors.add("options", _("Een afweging heeft precies één nuloptie; geef er een."))
    _lookup_keys(
        errors,
        Domain,
        collect((d["key"], f"domains[{i}].key") for i, d in enumerate(document["domains"])),
        _("impactdomein"),
        actor,
    )
    _lookup_keys(
        errors,
        PopulationGroup,
        collect((g["key"], f"groups[{i}].key") for i, g in enumerate(document["groups"])),
        _("groep"),
        actor,
    )
    _lookup_keys(
        errors,
        Package,
        collect(
            (o["package"], f"options[{i}].package")
            for i, o in enumerate(options)
            if o.get("package")
        ),
        _("pakket"),
        actor,
    )
    _lookup_keys(
        errors,
        Measure,
        collect(
            (key, f"options[{i}].measures[{j}]")
            for i, o in enumerate(options)
            for j, key in enumerate(o.get("measures", []))
        ),
        _("maatregel"),
        actor,
    )
    _lookup_keys(
        errors,
        FundamentalRight,
        collect(
            (t["right"], f"options[{i}].rights.touched[{j}].right")
            for i, o in enumerate(options)
            for j, t in enumerate(o.get("rights", {}).get("touched", []))
        ),
        _("grondrecht"),
        actor,
    )
    # Deactivated questions too: an older export still answers them.
    questions = {(q.kind, q.key): q for q in RightsQuestion.objects.all()}
    for i, option in enumerate(options):
        for section, kind in (("tests", "test"), ("checklist", "checklist")):
            for qkey, answer in option.get("rights", {}).get(section, {}).items():
                if (kind, qkey) not in questions:
                    errors.add(
                        f"options[{i}].rights.{section}.{qkey}",
                        _("Onbekende grondrechtenvraag: %(k)s") % {"k": qkey},
                    )
                elif isinstance(answer, dict) and not answer.get("answer"):
                    errors.add(
                        f"options[{i}].rights.{section}.{qkey}.answer", _("Geef een antwoord.")
                    )
    file_evidence = {e["ref"]: e for e in document.get("evidence", [])}
    library = {i.ref: i for i in EvidenceItem.objects.filter(ref__in=list(file_evidence))}
    for index, ref in enumerate(file_evidence):
        item = library.get(ref)
        if item is not None and not _sees(actor, item):
            errors.add(f"evidence[{index}].ref", _("Onbekende citeersleutel: %(r)s") % {"r": ref})
        elif item is None and not create_missing_evidence:
            errors.add(
                f"evidence[{index}].ref",
                _("Dit item staat niet in de kennisbibliotheek: %(r)s") % {"r": ref},
            )
    # Fiche cells: measure + domain + group + version number must point at one cell.
    cell_refs: dict[tuple[int, int], FicheCell] = {}
    for i, judgement in enumerate(judgements):
        for j, ref in enumerate(judgement.get("fiche_cells", [])):
            measure_key = str(ref.get("measure", ""))
            number = ref.get("version")
            if number is None:  # no version given: the fiche's latest
                number = FicheVersion.objects.filter(fiche__measure__key=measure_key).aggregate(
                    m=Max("number")
                )["m"]
            cells = FicheCell.objects.filter(
                version__fiche__measure__key=measure_key,
                version__number=number,
                domain__key=str(ref.get("domain", "")),
            )
            if ref.get("group"):
                cells = cells.filter(group__key=str(ref["group"]))
            else:
                cells = cells.filter(group__isnull=True)
            cell = cells.select_related("version__fiche").first()
            if cell is None or not _sees(actor, cell):
                errors.add(
                    f"judgements[{i}].fiche_cells[{j}]",
                    _("Deze ficheregel bestaat niet (maatregel, versie, domein, groep)."),
                )
            else:
                cell_refs[(i, j)] = cell
    errors.raise_if_any()

    # Everything checked: write. The services below validate again (and name fields); any
    # problem they find is reported under the JSON path of the entry and undoes the import.
    def at(path: str, write: Callable[[], Any]) -> Any:
        try:
            return write()
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            raise ValidationError(
                {
                    f"{path}.{field}" if field and field != "__all__" else path: messages
                    for field, messages in detail.items()
                }
            ) from exc

    for index, entry in enumerate(document.get("evidence", [])):
        if entry["ref"] not in library:
            library[entry["ref"]] = at(
                f"evidence[{index}]",
                lambda entry=entry: _evidence_create_from_file(entry, actor, confidentiality),
            )
    zero = next(o for o in options if o.get("zero"))
    create_paths = {
        "key": "id",
        "assessed_on": "date",
        "domain_keys": "domains",
        "group_keys": "groups",
        "zero_option_name": "options",
        "name": "options",
    }
    assessment = _renamed_errors(
        create_paths,
        lambda: assessment_create(
            actor=actor,
            key=document["id"],
            title=document["title"],
            question=document["question"],
            assessed_on=dt.date.fromisoformat(document["date"]),
            context=document.get("context", ""),
            scenario_level=document.get("scenario_level", ""),
            confidentiality=confidentiality,
            domain_keys=[d["key"] for d in document["domains"]],
            group_keys=[g["key"] for g in document["groups"]],
            zero_option_name=zero["name"],
            is_synthetic=bool(document.get("synthetic", False)),
        ),
    )
    for i, group in enumerate(document["groups"]):
        if any(name in group for name in ("size", "size_source", "size_as_of")):
            at(
                f"groups[{i}]",
                lambda group=group: assessment_group_size_set(
                    actor=actor,
                    assessment=assessment,
                    group_key=group["key"],
                    size=group.get("size"),
                    size_source=group.get("size_source", ""),
                    size_as_of=dt.date.fromisoformat(group["size_as_of"])
                    if group.get("size_as_of")
                    else None,
                ),
            )
    by_key: dict[str, Option] = {}
    zero_option = assessment.options.get(is_zero=True)
    for i, raw in enumerate(options):
        path = f"options[{i}]"
        if raw is zero:
            option = zero_option
            if raw["id"] != option.key:
                option.key = raw["id"]
                option.save(update_fields=["key"])
            at(
                path,
                lambda raw=raw, option=option: option_update(
                    actor=actor,
                    option=option,
                    description=raw.get("description", ""),
                    package_key=raw.get("package") or None,
                    measure_keys=raw.get("measures", []),
                ),
            )
        else:
            option = at(
                path,
                lambda raw=raw: option_create(
                    actor=actor,
                    assessment=assessment,
                    name=raw["name"],
                    key=raw["id"],
                    package_key=raw.get("package") or None,
                    measure_keys=raw.get("measures", []),
                    description=raw.get("description", ""),
                ),
            )
        by_key[raw["id"]] = option
        acceptability = raw.get("acceptability", {})
        values = raw.get("values", {})
        etd = raw.get("etd", {})
        at(
            path,
            lambda option=option, acceptability=acceptability, values=values, etd=etd, i=i: (
                option_update(
                    actor=actor,
                    option=option,
                    position=i,
                    support=acceptability.get("support"),
                    support_low=acceptability.get("support_low"),
                    support_high=acceptability.get("support_high"),
                    compliance=acceptability.get("compliance"),
                    acceptability_source=acceptability.get("source", ""),
                    effect_on_effectiveness=acceptability.get("effect_on_effectiveness", ""),
                    justice=values.get("justice", ""),
                    solidarity=values.get("solidarity", ""),
                    equal_opportunities=values.get("equal_opportunities", ""),
                    future_generations=values.get("future_generations", ""),
                    etd_desirable=etd.get("desirable", ""),
                    etd_undesirable=etd.get("undesirable", ""),
                    etd_certainty=etd.get("certainty", ""),
                    etd_equity=etd.get("equity", ""),
                    etd_acceptability=etd.get("acceptability", ""),
                    etd_feasibility=etd.get("feasibility", ""),
                    advice=etd.get("advice", ""),
                    advice_rationale=etd.get("rationale", ""),
                )
            ),
        )
        effectiveness = raw.get("effectiveness")
        if effectiveness:
            at(
                f"{path}.effectiveness",
                lambda option=option, e=effectiveness: effectiveness_set(
                    actor=None,
                    option=option,
                    outcome=e["outcome"],
                    source=e.get("source", ""),
                    estimate=e.get("estimate"),
                    low=e.get("low"),
                    high=e.get("high"),
                    unit=e.get("unit", ""),
                    note=e.get("note", ""),
                    confidentiality=_effectiveness_level(e, confidentiality),
                ),
            )
        for section, kind in (("tests", "test"), ("checklist", "checklist")):
            for qkey, answer in raw.get("rights", {}).get(section, {}).items():
                if not isinstance(answer, dict) or not answer.get("answer"):
                    continue
                at(
                    f"{path}.rights.{section}.{qkey}",
                    lambda option=option, kind=kind, qkey=qkey, answer=answer: rights_answer_set(
                        actor=actor,
                        option=option,
                        kind=kind,
                        question_key=qkey,
                        answer=answer["answer"],
                        note=answer.get("note", ""),
                        include_inactive=True,
                    ),
                )
        for j, touched in enumerate(raw.get("rights", {}).get("touched", [])):
            at(
                f"{path}.rights.touched[{j}]",
                lambda option=option, touched=touched: right_touched_add(
                    actor=actor,
                    option=option,
                    right_key=touched["right"],
                    note=touched.get("note", ""),
                ),
            )
    for i, raw in enumerate(judgements):
        reach = raw.get("reach") or {}
        at(
            f"judgements[{i}]",
            lambda raw=raw, reach=reach, i=i: judgement_set(
                actor=None,
                option=by_key[raw["option"]],
                domain_key=raw["domain"],
                group_key=raw["group"],
                effect=raw["effect"],
                low=raw.get("low", ""),
                high=raw.get("high", ""),
                reach_people=reach.get("people"),
                reach_share=reach.get("share"),
                duration=raw.get("duration", ""),
                reversibility=raw.get("reversibility", ""),
                compensability=raw.get("compensability", ""),
                horizon=raw.get("horizon", ""),
                certainty=raw.get("certainty", ""),
                rationale=raw.get("rationale", ""),
            ),
        )
        judgement = Judgement.objects.get(
            option=by_key[raw["option"]], domain__key=raw["domain"], group__key=raw["group"]
        )
        judgement.evidence.set([library[ref] for ref in raw.get("evidence", [])])
        judgement.fiche_cells.set(
            [cell_refs[(i, j)] for j in range(len(raw.get("fiche_cells", [])))]
        )
    compass = document.get("beleidskompas", {})
    at(
        "",
        lambda: assessment_update(
            actor=actor,
            assessment=assessment,
            problem=compass.get("problem", ""),
            goal=compass.get("goal", ""),
            preferred_option_key=compass.get("preferred_option", ""),
            preferred_rationale=compass.get("preferred_rationale", ""),
            weights=document.get("weights") or {},
            constraints=document.get("constraints") or [],
            parameters=document.get("parameters") or {},
        ),
    )
    for i, entry in enumerate(document.get("history", [])):
        at(
            f"history[{i}]",
            lambda entry=entry: history_entry_add(
                actor=actor,
                assessment=assessment,
                label=entry["label"],
                burden=entry.get("burden", {}),
                date=dt.date.fromisoformat(entry["date"]) if entry.get("date") else None,
            ),
        )
    return assessment


def assessment_import_file(
    *,
    actor: AnyUser | None,
    path: Path,
    confidentiality: str = Confidentiality.INTERNAL,
    create_missing_evidence: bool = False,
) -> Assessment:
    """``assessment_import`` for a file on disk; a file that is not JSON names line and column."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError({"file": f"{path.name}: {exc}"}) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            {
                "file": _("%(f)s: geen geldige JSON (regel %(l)s, kolom %(c)s): %(m)s")
                % {"f": path.name, "l": exc.lineno, "c": exc.colno, "m": exc.msg}
            }
        ) from exc
    except RecursionError as exc:
        raise ValidationError(
            {"file": _("%(f)s: de JSON is te diep genest.") % {"f": path.name}}
        ) from exc
    return assessment_import(
        actor=actor,
        document=document,
        confidentiality=confidentiality,
        create_missing_evidence=create_missing_evidence,
    )


# --- the rights catalogue (editable data) -----------------------------------------------------


def _catalogue_clean(row: Any, *, exclude: Sequence[str] = ()) -> None:
    """``full_clean`` with Dutch messages per field; the unique checks are done by the caller.

    Text with a NUL character is refused here too (PostgreSQL cannot store it)."""
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError({field.name: _("De tekst bevat een ongeldig teken (NUL).")})
    row.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


@transaction.atomic
def fundamental_right_save(
    *,
    actor: AnyUser | None,
    key: str,
    instrument: str,
    article: str,
    title_nl: str,
    title_en: str = "",
    absolute: bool = False,
    url: str = "",
    position: int = 0,
    is_active: bool = True,
    right: FundamentalRight | None = None,
) -> FundamentalRight:
    """Add a fundamental right (``right=None``) or change ``right``.

    The key is fixed once the right exists: assessments, their files and stored versions refer
    to it. A right is never deleted; ``is_active=False`` takes it out of the choices for new
    options while options that already touch it keep it.
    """
    key = (key or "").strip()
    if right is None:
        if FundamentalRight.objects.filter(key=key).exists():
            raise ValidationError(
                {"key": _("Er is al een grondrecht met de sleutel %(k)s.") % {"k": key}}
            )
        row = FundamentalRight(key=key)
    else:
        row = FundamentalRight.objects.select_for_update().get(pk=right.pk)
        if key != row.key:
            raise ValidationError(
                {"key": _("De sleutel van een bestaand grondrecht kan niet worden gewijzigd.")}
            )
    _choice("instrument", instrument, FundamentalRight.Instrument.values, blank=False)
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise ValidationError({"position": _("De volgorde is een geheel getal van 0 of meer.")})
    row.instrument = instrument
    row.article = (article or "").strip()
    row.title_nl = (title_nl or "").strip()
    row.title_en = (title_en or "").strip()
    row.absolute = bool(absolute)
    row.url = (url or "").strip()
    row.position = position
    row.is_active = bool(is_active)
    _catalogue_clean(row)
    row.save()
    return row


@transaction.atomic
def rights_question_save(
    *,
    actor: AnyUser | None,
    kind: str,
    key: str,
    text_nl: str,
    text_en: str = "",
    help_nl: str = "",
    help_en: str = "",
    position: int = 0,
    is_active: bool = True,
    question: RightsQuestion | None = None,
) -> RightsQuestion:
    """Add a rights question (``question=None``) or change ``question``.

    Kind and key are fixed once the question exists: answers and assessment files refer to the
    question by them (``rights.tests.<key>`` / ``rights.checklist.<key>``). A question is never
    deleted; ``is_active=False`` stops asking it while the answers given keep pointing at it.
    """
    key = (key or "").strip()
    _choice("kind", kind, RightsQuestion.Kind.values, blank=False)
    if question is None:
        if RightsQuestion.objects.filter(kind=kind, key=key).exists():
            raise ValidationError(
                {"key": _("Er is al een vraag van deze soort met de sleutel %(k)s.") % {"k": key}}
            )
        row = RightsQuestion(kind=kind, key=key)
    else:
        row = RightsQuestion.objects.select_for_update().get(pk=question.pk)
        if kind != row.kind:
            raise ValidationError(
                {"kind": _("De soort van een bestaande vraag kan niet worden gewijzigd.")}
            )
        if key != row.key:
            raise ValidationError(
                {"key": _("De sleutel van een bestaande vraag kan niet worden gewijzigd.")}
            )
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise ValidationError({"position": _("De volgorde is een geheel getal van 0 of meer.")})
    row.text_nl = (text_nl or "").strip()
    row.text_en = (text_en or "").strip()
    row.help_nl = (help_nl or "").strip()
    row.help_en = (help_en or "").strip()
    row.position = position
    row.is_active = bool(is_active)
    _catalogue_clean(row)
    row.save()
    return row
