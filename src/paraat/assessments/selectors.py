"""Reads for the assessment framework.

Every read that shows an assessment, its evidence or its effectiveness goes through the one
visibility check (``paraat.accounts.selectors.filter_visible`` / ``can_view``), so pages, the
API, exports and the assessment file show the same records. ``assessment_document`` turns the
rows into the assessment file (``paraat-assessment/1``, see ``docs/schema/README.md``);
``version_result`` masks what a reader may not see in a stored result.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality
from paraat.accounts.selectors import AnyUser, can_view, filter_visible, visible_levels
from paraat.assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    Effect,
    Effectiveness,
    FundamentalRight,
    Judgement,
    Option,
    RightsQuestion,
    WeightScenario,
)
from paraat.assessments.permissions import VIEW_PERM
from paraat.evidence.models import EvidenceItem, Fiche, FicheCell, FicheEvent, FicheVersion
from paraat.indicators.models import Indicator, Observation
from paraat.measures.models import Measure, Package

SCHEMA = "paraat-assessment/1"

#: The effect scale in order, most negative first (``unknown`` is not on it).
EFFECT_ORDER: tuple[str, ...] = (
    Effect.LARGE_NEGATIVE,
    Effect.MODERATE_NEGATIVE,
    Effect.SMALL_NEGATIVE,
    Effect.NONE,
    Effect.SMALL_POSITIVE,
    Effect.MODERATE_POSITIVE,
    Effect.LARGE_POSITIVE,
)

#: Cell states in the matrix editor and the distribution.
ASSESSED = "assessed"
UNKNOWN = "unknown"
NOT_ASSESSED = "not_assessed"


# --- assessments ------------------------------------------------------------------------------


def _reads_non_public(user: AnyUser) -> bool:
    """Whether ``user``'s role may read assessments that are not public (``VIEW_PERM``)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_PERM))


def assessment_visible(*, user: AnyUser, assessment: Assessment) -> bool:
    """The one check for reading an assessment (see ``permissions``): a public assessment is
    open to everyone who reaches it; any other needs ``VIEW_PERM`` *and* the confidentiality
    rules (its level, or an access grant)."""
    if assessment.confidentiality != Confidentiality.PUBLIC and not _reads_non_public(user):
        return False
    return can_view(user=user, obj=assessment)


def assessment_list(*, user: AnyUser) -> QuerySet[Assessment]:
    """The assessments ``user`` may see, newest first, with their options."""
    assessments = filter_visible(user=user, queryset=Assessment.objects.all())
    if not _reads_non_public(user):
        assessments = assessments.filter(confidentiality=Confidentiality.PUBLIC)
    return assessments.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "id")),
        "status_changes",
    )


def assessment_get(*, user: AnyUser, key: str) -> Assessment:
    """One assessment by key; ``Http404`` when it does not exist or ``user`` may not see it
    (so its existence is not revealed, as elsewhere in paraat)."""
    assessment = Assessment.objects.filter(key=key).first()
    if assessment is None or not assessment_visible(user=user, assessment=assessment):
        raise Http404
    return assessment


def assessment_status(*, assessment: Assessment) -> str:
    """The current status: the latest row of the append-only history (draft when none)."""
    latest = assessment.status_changes.order_by("-created_at", "-id").first()
    return latest.status if latest else AssessmentStatus.DRAFT


def assessment_versions(*, assessment: Assessment) -> QuerySet[AssessmentVersion]:
    return assessment.versions.select_related("created_by").order_by("-number")


def assessment_latest_version(*, assessment: Assessment) -> AssessmentVersion | None:
    return assessment_versions(assessment=assessment).first()


def assessment_version_get(*, assessment: Assessment, number: int) -> AssessmentVersion:
    version = assessment.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def assessment_options(*, assessment: Assessment) -> QuerySet[Option]:
    return assessment.options.order_by("position", "id").select_related("package")


def option_package_label(*, option: Option, user: AnyUser) -> str:
    """The name of the option's package for ``user``: "" without one, a neutral text when
    ``user`` may not see it."""
    if not option.package_id or option.package is None:
        return ""
    if not can_view(user=user, obj=option.package):
        return _("(niet zichtbaar)")
    return str(option.package.name_nl)


def option_links(*, option: Option, user: AnyUser) -> dict[str, Any]:
    """What the option page shows of the option's catalogue and indicator links, for ``user``:
    ``package`` (label), ``measures`` (the ones ``user`` may see), ``support_indicator``
    (label) and ``acceptability_source`` (neutral when it rests on a hidden indicator)."""
    indicator = option.support_indicator if option.support_indicator_id else None
    hidden = indicator is not None and not can_view(user=user, obj=indicator)
    return {
        "package": option_package_label(option=option, user=user),
        "measures": list(filter_visible(user=user, queryset=option.measures.order_by("key"))),
        "support_indicator": indicator_label(user=user, indicator=indicator),
        "acceptability_source": indicator_hidden_source()
        if hidden
        else option.acceptability_source,
    }


def assessment_group_rows(*, assessment: Assessment, user: AnyUser) -> list[dict[str, Any]]:
    """The groups of the matrix with their size for ``user``: ``group``, ``size``,
    ``size_as_of``, ``indicator`` (label, masked) and ``source`` (neutral when it rests on an
    indicator ``user`` may not see)."""
    rows = []
    for row in assessment.groups.select_related("group", "size_indicator").order_by(
        "position", "id"
    ):
        indicator = row.size_indicator
        hidden = indicator is not None and not can_view(user=user, obj=indicator)
        rows.append(
            {
                "group": row.group,
                "size": row.size,
                "size_as_of": row.size_as_of,
                "indicator": indicator_label(user=user, indicator=indicator),
                "source": indicator_hidden_source() if hidden else row.size_source,
            }
        )
    return rows


# --- visibility helpers -----------------------------------------------------------------------


def effectiveness_visible(*, user: AnyUser | None, effectiveness: Effectiveness) -> bool:
    """Whether ``user`` (``None``: the system, e.g. an analysis) may see an effectiveness."""
    return user is None or can_view(user=user, obj=effectiveness)


def _sees_confidential_of(*, user: AnyUser, effectiveness: Effectiveness | None) -> bool:
    """Whether ``user`` may see effectiveness that was confidential when a version was made:
    the confidential level, or an active grant on the effectiveness record."""
    return _sees_recorded_level(
        user=user, level=Confidentiality.CONFIDENTIAL, effectiveness=effectiveness
    )


def _sees_recorded_level(*, user: AnyUser, level: str, effectiveness: Effectiveness | None) -> bool:
    """Whether ``user`` may see effectiveness recorded at ``level`` in a version: the level is
    one ``user`` sees, or ``user`` holds an active grant on the current record."""
    if level in visible_levels(user=user):
        return True
    if effectiveness is None:
        return False
    probe = copy.copy(effectiveness)
    probe.confidentiality = Confidentiality.CONFIDENTIAL  # only a grant opens it
    return can_view(user=user, obj=probe)


# --- the assessment file ----------------------------------------------------------------------


def indicator_hidden_source() -> str:
    """The source shown instead of a text that may name an indicator the reader may not see."""
    return _("Indicator uit het maatschappelijk beeld")


def indicator_label(*, user: AnyUser, indicator: Indicator | None) -> str:
    """The name of ``indicator`` for ``user``, or a neutral text when hidden ("" for none)."""
    if indicator is None:
        return ""
    if not can_view(user=user, obj=indicator):
        return _("(niet zichtbaar)")
    return str(indicator.name)


#: Knowledge classes of the library → the file's ``knowledge_class``.
KNOWLEDGE_CLASS_TO_FILE = {
    "scientific": "scientific",
    "practice": "practice",
    "experiential": "experiential",
    "administrative": "administrative",
}


def _evidence_entry(item: EvidenceItem) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ref": item.ref,
        "title": item.title,
        "type": item.item_type,
        "knowledge_class": KNOWLEDGE_CLASS_TO_FILE.get(item.knowledge_class, item.knowledge_class),
        "certainty": item.certainty,
    }
    if item.published_on:
        entry["year"] = item.published_on.year
    if item.url:
        entry["url"] = item.url
    return entry


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in ("", None)}


def _effectiveness_entry(effectiveness: Effectiveness) -> dict[str, Any]:
    entry: dict[str, Any] = {"outcome": effectiveness.outcome}
    for name in ("estimate", "low", "high"):
        value = getattr(effectiveness, name)
        if value is not None:
            entry[name] = value
    if effectiveness.unit:
        entry["unit"] = effectiveness.unit
    entry["source"] = effectiveness.source
    entry["confidential"] = effectiveness.confidentiality == Confidentiality.CONFIDENTIAL
    entry["confidentiality"] = effectiveness.confidentiality
    if effectiveness.note:
        entry["note"] = effectiveness.note
    return entry


def _option_entry(
    option: Option, *, user: AnyUser | None, include_confidential: bool
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": option.key, "name": option.name, "zero": option.is_zero}
    if option.description:
        entry["description"] = option.description
    if option.package is not None and (
        include_confidential or user is None or can_view(user=user, obj=option.package)
    ):
        entry["package"] = option.package.key
    measures = option.measures.order_by("key")
    if user is not None and not include_confidential:
        measures = filter_visible(user=user, queryset=measures)
    keys = list(measures.values_list("key", flat=True))
    if keys:
        entry["measures"] = keys
    effectiveness = Effectiveness.objects.filter(option=option).first()
    if effectiveness is not None and (
        include_confidential or effectiveness_visible(user=user, effectiveness=effectiveness)
    ):
        entry["effectiveness"] = _effectiveness_entry(effectiveness)
    acceptability_source = option.acceptability_source
    if (
        option.support_indicator_id
        and user is not None
        and not include_confidential
        and not can_view(user=user, obj=option.support_indicator)
    ):
        acceptability_source = indicator_hidden_source()
    acceptability = _drop_empty(
        {
            "support": option.support,
            "support_low": option.support_low,
            "support_high": option.support_high,
            "compliance": option.compliance,
            "source": acceptability_source,
            "effect_on_effectiveness": option.effect_on_effectiveness,
        }
    )
    if acceptability:
        entry["acceptability"] = acceptability
    rights: dict[str, Any] = {"tests": {}, "checklist": {}, "touched": []}
    for answer in option.rights_answers.select_related("question"):
        section = "tests" if answer.question.kind == RightsQuestion.Kind.TEST else "checklist"
        rights[section][answer.question.key] = _drop_empty(
            {"answer": answer.answer, "note": answer.note}
        )
    for touched in option.rights_touched.select_related("right"):
        rights["touched"].append(_drop_empty({"right": touched.right.key, "note": touched.note}))
    if any(rights.values()):
        entry["rights"] = {key: value for key, value in rights.items() if value}
    values = _drop_empty(
        {
            "justice": option.justice,
            "solidarity": option.solidarity,
            "equal_opportunities": option.equal_opportunities,
            "future_generations": option.future_generations,
        }
    )
    if values:
        entry["values"] = values
    etd = _drop_empty(
        {
            "desirable": option.etd_desirable,
            "undesirable": option.etd_undesirable,
            "certainty": option.etd_certainty,
            "equity": option.etd_equity,
            "acceptability": option.etd_acceptability,
            "feasibility": option.etd_feasibility,
            "advice": option.advice,
            "rationale": option.advice_rationale,
        }
    )
    if etd:
        entry["etd"] = etd
    return entry


def _judgement_entry(
    judgement: Judgement, *, visible_evidence: set[int] | None, visible_cells: set[int] | None
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "option": judgement.option.key,
        "domain": judgement.domain.key,
        "group": judgement.group.key,
        "effect": judgement.effect,
    }
    if judgement.low:
        entry["low"] = judgement.low
    if judgement.high:
        entry["high"] = judgement.high
    if judgement.reach_people is not None:
        entry["reach"] = {"people": judgement.reach_people}
    elif judgement.reach_share is not None:
        entry["reach"] = {"share": judgement.reach_share}
    for name in ("duration", "reversibility", "compensability", "horizon", "certainty"):
        value = getattr(judgement, name)
        if value:
            entry[name] = value
    refs = [
        item.ref
        for item in judgement.evidence.all()
        if visible_evidence is None or item.pk in visible_evidence
    ]
    if refs:
        entry["evidence"] = sorted(refs)
    cells = []
    for cell in judgement.fiche_cells.all():
        if visible_cells is not None and cell.pk not in visible_cells:
            continue
        cell_entry: dict[str, Any] = {
            "measure": cell.version.fiche.measure.key,
            "domain": cell.domain.key,
        }
        if cell.group is not None:
            cell_entry["group"] = cell.group.key
        cell_entry["version"] = cell.version.number
        cells.append(cell_entry)
    if cells:
        entry["fiche_cells"] = cells
    if judgement.rationale:
        entry["rationale"] = judgement.rationale
    return entry


def assessment_judgements(*, assessment: Assessment) -> QuerySet[Judgement]:
    return (
        Judgement.objects.filter(option__assessment=assessment)
        .select_related("option", "domain", "group")
        .prefetch_related(
            "evidence",
            Prefetch(
                "fiche_cells",
                queryset=FicheCell.objects.select_related(
                    "version__fiche__measure", "domain", "group"
                ),
            ),
        )
        .order_by("option__position", "option_id", "domain__position", "group__position", "id")
    )


def assessment_document(
    *, assessment: Assessment, user: AnyUser | None = None, include_confidential: bool = False
) -> dict[str, Any]:
    """The assessment as an assessment file (``paraat-assessment/1``).

    With ``include_confidential`` (for an analysis, never for a reader) everything is included.
    Otherwise effectiveness ``user`` may not see is left out, and so are evidence items and
    fiche cells ``user`` may not see (``user=None`` then means: the public).
    """
    from django.contrib.auth.models import AnonymousUser

    reader: AnyUser | None = None if include_confidential else (user or AnonymousUser())
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "id": assessment.key,
        "title": assessment.title,
        "question": assessment.question,
    }
    if assessment.context:
        document["context"] = assessment.context
    if assessment.scenario_level:
        document["scenario_level"] = assessment.scenario_level
    document["date"] = assessment.assessed_on.isoformat()
    document["synthetic"] = assessment.is_synthetic
    compass = _drop_empty(
        {
            "problem": assessment.problem,
            "goal": assessment.goal,
            "preferred_option": assessment.preferred_option.key
            if assessment.preferred_option_id and assessment.preferred_option
            else "",
            "preferred_rationale": assessment.preferred_rationale,
        }
    )
    if compass:
        document["beleidskompas"] = compass
    document["domains"] = [
        {"key": row.domain.key, "name": row.domain.name_nl}
        for row in assessment.domains.select_related("domain").order_by("position", "id")
    ]
    groups = []
    for row in assessment.groups.select_related("group", "size_indicator").order_by(
        "position", "id"
    ):
        entry: dict[str, Any] = {
            "key": row.group.key,
            "name": row.group.name_nl,
            "vulnerable": row.group.is_vulnerable,
        }
        if row.size is not None:
            entry["size"] = row.size
        size_source = row.size_source
        if (
            row.size_indicator is not None
            and reader is not None
            and not can_view(user=reader, obj=row.size_indicator)
        ):
            size_source = indicator_hidden_source()
        if size_source:
            entry["size_source"] = size_source
        if row.size_as_of:
            entry["size_as_of"] = row.size_as_of.isoformat()
        groups.append(entry)
    document["groups"] = groups

    options = list(assessment_options(assessment=assessment))
    option_entries = [
        _option_entry(option, user=reader, include_confidential=include_confidential)
        for option in options
    ]
    touched_keys = {
        touched["right"]
        for entry in option_entries
        for touched in entry.get("rights", {}).get("touched", [])
    }
    document["rights_catalogue"] = [
        _drop_empty(
            {
                "key": right.key,
                "instrument": right.instrument,
                "article": right.article,
                "title": right.title_nl,
                "title_en": right.title_en,
                "absolute": right.absolute,
                "url": right.url,
            }
        )
        | {"absolute": right.absolute}
        for right in FundamentalRight.objects.filter(key__in=touched_keys).order_by(
            "position", "key"
        )
    ]

    judgements = list(assessment_judgements(assessment=assessment))
    items = {item.pk: item for j in judgements for item in j.evidence.all()}
    cells = {cell.pk: cell for j in judgements for cell in j.fiche_cells.all()}
    visible_evidence: set[int] | None = None
    visible_cells: set[int] | None = None
    if reader is not None:
        visible_evidence = set(
            filter_visible(
                user=reader, queryset=EvidenceItem.objects.filter(pk__in=items)
            ).values_list("pk", flat=True)
        )
        visible_cells = set(
            filter_visible(user=reader, queryset=FicheCell.objects.filter(pk__in=cells))
            .filter(version__fiche__in=filter_visible(user=reader, queryset=Fiche.objects.all()))
            .values_list("pk", flat=True)
        )
    document["evidence"] = [
        _evidence_entry(item)
        for item in sorted(items.values(), key=lambda i: i.ref)
        if visible_evidence is None or item.pk in visible_evidence
    ]
    document["options"] = option_entries
    document["judgements"] = [
        _judgement_entry(j, visible_evidence=visible_evidence, visible_cells=visible_cells)
        for j in judgements
    ]
    if assessment.weights:
        document["weights"] = assessment.weights
    if assessment.constraints:
        document["constraints"] = assessment.constraints
    history = [
        _drop_empty({"label": entry.label, "date": entry.date.isoformat() if entry.date else ""})
        | {"burden": entry.burden}
        for entry in assessment.history.order_by("date", "id")
    ]
    if history:
        document["history"] = history
    if assessment.parameters:
        document["parameters"] = assessment.parameters
    return document


# --- results ----------------------------------------------------------------------------------


def _hidden_effectiveness(*, version: AssessmentVersion, user: AnyUser) -> set[str]:
    """Option ids whose effectiveness in ``version`` ``user`` may not see."""
    current = {
        eff.option.key: eff
        for eff in Effectiveness.objects.filter(
            option__assessment_id=version.assessment_id
        ).select_related("option")
    }
    hidden = set()
    for option in version.document.get("options", []):
        if not isinstance(option, dict):
            continue
        key = option.get("id", "")
        if not _recorded_effectiveness_visible(
            user=user, recorded=option.get("effectiveness"), current=current.get(key)
        ):
            hidden.add(key)
    return hidden


def _recorded_effectiveness_visible(
    *, user: AnyUser, recorded: Any, current: Effectiveness | None
) -> bool:
    """Whether ``user`` may see the effectiveness a version recorded for one option.

    The version carries the level it had (``confidentiality``; older versions only the
    ``confidential`` flag). It is shown only when that level is one ``user`` sees, or ``user``
    holds a grant on the current record, and ``user`` may also see the current record when
    there still is one. Without a recorded level (an older version) the current record
    decides, and without that too the entry counts as confidential; an unknown level counts as
    confidential as well (fail closed).
    """
    if recorded is None:
        return True
    if not isinstance(recorded, dict):
        return False
    level = recorded.get("confidentiality")
    if recorded.get("confidential") or (level is not None and level not in Confidentiality.values):
        level = Confidentiality.CONFIDENTIAL
    if level is None:  # a version from before the level was recorded
        if current is not None:
            return can_view(user=user, obj=current)
        level = Confidentiality.CONFIDENTIAL  # nothing left to go by: the strictest level
    if not _sees_recorded_level(user=user, level=level, effectiveness=current):
        return False
    return current is None or can_view(user=user, obj=current)


_MASKED_MATRIX_FIELDS = ("effect", "effect_low", "effect_high", "outcome", "unit", "source")


def version_result(*, version: AssessmentVersion, user: AnyUser) -> dict[str, Any]:
    """The stored result of ``version`` as ``user`` may see it.

    Effectiveness the user may not see is masked: in the matrix its effect fields are null and
    ``masked`` is true, in the options ``effectiveness`` is null. Evidence items the user may not
    see are left out of the evidence list.
    """
    result = copy.deepcopy(version.result)
    hidden = _hidden_effectiveness(version=version, user=user)
    for option in result.get("options", []):
        if option.get("id") in hidden:
            option["effectiveness"] = None
    for row in result.get("matrix", []):
        if row.get("option") in hidden:
            for name in _MASKED_MATRIX_FIELDS:
                row[name] = None
            row["masked"] = True
    for option_key, etd in (result.get("etd") or {}).items():
        if option_key in hidden and isinstance(etd, dict) and "effectiveness" in etd:
            etd["effectiveness"] = None
    evidence = result.get("evidence")
    if isinstance(evidence, list):
        refs = [entry.get("ref") for entry in evidence if isinstance(entry, dict)]
        visible = set(
            filter_visible(
                user=user, queryset=EvidenceItem.objects.filter(ref__in=refs)
            ).values_list("ref", flat=True)
        )
        result["evidence"] = [
            entry for entry in evidence if isinstance(entry, dict) and entry.get("ref") in visible
        ]
    return result


# --- needs review -----------------------------------------------------------------------------


def _option_measures(*, assessment: Assessment) -> QuerySet[Measure]:
    options = assessment.options.all()
    return Measure.objects.filter(
        Q(pk__in=Option.measures.through.objects.filter(option__in=options).values("measure_id"))
        | Q(packageitem__package__in=Package.objects.filter(pk__in=options.values("package_id")))
    ).distinct()


def assessment_review_state(
    *, assessment: Assessment, user: AnyUser | None = None
) -> list[dict[str, Any]]:
    """What the assessment rests on that changed after its latest version ("needs review").

    Evidence items cited by its judgements (edited after the version), fiches of its options'
    measures and of the cited fiche cells (a newer fiche version, or flagged for review), and the
    indicators behind group sizes and support (new observations). Each entry: ``kind``
    (evidence / fiche / indicator), ``key``, ``label``, ``changed_at`` and ``reason``. With
    ``user``, records that user may not see are left out altogether (not even that a hidden
    source changed is revealed); without ``user`` (the system) the list is complete.
    Empty when there is no version yet.
    """
    version = assessment_latest_version(assessment=assessment)
    if version is None:
        return []
    since: dt.datetime = version.created_at
    found: list[dict[str, Any]] = []

    def sees(*objs: Any) -> bool:
        return user is None or all(can_view(user=user, obj=obj) for obj in objs)

    items = EvidenceItem.objects.filter(
        pk__in=Judgement.evidence.through.objects.filter(
            judgement__option__assessment=assessment
        ).values("evidenceitem_id"),
        updated_at__gt=since,
    ).order_by("ref")
    for item in items:
        if not sees(item):
            continue
        found.append(
            {
                "kind": "evidence",
                "key": item.ref,
                "label": item.title,
                "changed_at": item.updated_at,
                "reason": _("gewijzigd na versie %(n)s") % {"n": version.number},
            }
        )
    cited_fiches = FicheCell.objects.filter(
        pk__in=Judgement.fiche_cells.through.objects.filter(
            judgement__option__assessment=assessment
        ).values("fichecell_id")
    ).values("version__fiche_id")
    fiches = Fiche.objects.filter(
        Q(measure__in=_option_measures(assessment=assessment)) | Q(pk__in=cited_fiches)
    ).select_related("measure")
    for fiche in fiches.order_by("measure__key"):
        if not sees(fiche, fiche.measure):
            continue
        newer = (
            FicheVersion.objects.filter(fiche=fiche, created_at__gt=since)
            .order_by("-number")
            .first()
        )
        flagged = (
            FicheEvent.objects.filter(
                fiche=fiche, kind=FicheEvent.Kind.FLAGGED, created_at__gt=since
            )
            .order_by("-created_at")
            .first()
        )
        name = fiche.measure.name_nl
        if newer is not None:
            found.append(
                {
                    "kind": "fiche",
                    "key": fiche.measure.key,
                    "label": name,
                    "changed_at": newer.created_at,
                    "reason": _("nieuwe ficheversie %(n)s") % {"n": newer.number},
                }
            )
        if flagged is not None:
            found.append(
                {
                    "kind": "fiche",
                    "key": fiche.measure.key,
                    "label": name,
                    "changed_at": flagged.created_at,
                    "reason": _("fiche gemarkeerd voor review"),
                }
            )
    indicator_ids = set(
        assessment.groups.filter(size_indicator__isnull=False).values_list(
            "size_indicator_id", flat=True
        )
    ) | set(
        assessment.options.filter(support_indicator__isnull=False).values_list(
            "support_indicator_id", flat=True
        )
    )
    for indicator in Indicator.objects.filter(pk__in=indicator_ids).order_by("key"):
        if not sees(indicator):
            continue
        latest = (
            Observation.objects.filter(indicator=indicator, recorded_at__gt=since)
            .order_by("-recorded_at")
            .first()
        )
        if latest is not None:
            found.append(
                {
                    "kind": "indicator",
                    "key": indicator.key,
                    "label": indicator.name_nl,
                    "changed_at": latest.recorded_at,
                    "reason": _("nieuwe cijfers"),
                }
            )
    return found


# --- the matrix editor ------------------------------------------------------------------------


def cell_state(judgement: Judgement | None) -> str:
    if judgement is None:
        return NOT_ASSESSED
    return UNKNOWN if judgement.effect == Effect.UNKNOWN else ASSESSED


def option_matrix(*, option: Option) -> dict[str, Any]:
    """The grid of one option for the editor: domains (rows) × groups (columns).

    ``rows`` holds per domain its ``cells`` in group order, each with ``group``, ``state``
    (assessed / unknown / not_assessed) and ``judgement`` (or ``None``); ``counts`` per state.
    """
    assessment = option.assessment
    domains = list(assessment.domains.select_related("domain").order_by("position", "id"))
    groups = list(assessment.groups.select_related("group").order_by("position", "id"))
    judgements = {
        (j.domain_id, j.group_id): j
        for j in option.judgements.select_related("domain", "group").prefetch_related(
            "evidence", "fiche_cells"
        )
    }
    counts = {ASSESSED: 0, UNKNOWN: 0, NOT_ASSESSED: 0}
    rows = []
    for domain_row in domains:
        cells = []
        for group_row in groups:
            judgement = judgements.get((domain_row.domain_id, group_row.group_id))
            state = cell_state(judgement)
            counts[state] += 1
            cells.append({"group": group_row.group, "state": state, "judgement": judgement})
        rows.append({"domain": domain_row.domain, "cells": cells})
    return {
        "option": option,
        "domains": [row.domain for row in domains],
        "groups": [
            {
                "group": row.group,
                "key": row.group.key,
                "name": row.group.name,
                "vulnerable": row.group.is_vulnerable,
                "size": row.size,
            }
            for row in groups
        ],
        "rows": rows,
        "counts": counts,
    }


def rights_catalogue() -> QuerySet[FundamentalRight]:
    return FundamentalRight.objects.filter(is_active=True).order_by("position", "instrument", "key")


def rights_questions(kind: str | None = None) -> QuerySet[RightsQuestion]:
    questions = RightsQuestion.objects.filter(is_active=True)
    if kind:
        questions = questions.filter(kind=kind)
    return questions.order_by("kind", "position", "key")


def evidence_choices(*, user: AnyUser, query: str, limit: int = 20) -> list[EvidenceItem]:
    """Library items ``user`` may see whose citation key or title contains ``query``."""
    items = filter_visible(
        user=user, queryset=EvidenceItem.objects.filter(merged_into__isnull=True)
    )
    query = query.strip()[:200]
    if query:
        items = items.filter(Q(ref__icontains=query) | Q(title__icontains=query))
    return list(items.order_by("-published_on", "ref")[:limit])


def fiche_cell_choices(*, option: Option, user: AnyUser | None = None) -> list[FicheCell]:
    """Cells of the latest fiche versions of the option's measures (its own and its package's);
    with ``user`` only the fiches and cells that user may see."""
    measures = _option_measures_of(option)
    fiches = Fiche.objects.filter(measure__in=measures)
    if user is not None:
        fiches = filter_visible(user=user, queryset=fiches)
    cells: list[FicheCell] = []
    for fiche in fiches.select_related("measure").order_by("measure__key"):
        latest = fiche.versions.order_by("-number").first()
        if latest is None:
            continue
        rows = latest.cells.select_related("domain", "group", "version__fiche__measure")
        if user is not None:
            rows = filter_visible(user=user, queryset=rows)
        cells.extend(rows)
    return cells


def _option_measures_of(option: Option) -> QuerySet[Measure]:
    query = Q(pk__in=option.measures.values("pk"))
    if option.package_id:
        query |= Q(packageitem__package_id=option.package_id)
    return Measure.objects.filter(query).distinct()


def indicator_latest(*, indicator: Indicator) -> tuple[float | None, dt.date | None]:
    """The latest known value of an indicator's headline series and its period end (or start)."""
    from paraat.indicators.selectors import series_as_of

    points = [p for p in series_as_of(indicator=indicator) if p.value is not None]
    if not points:
        return None, None
    point = points[-1]
    return point.value, point.period.end or point.period.start


# --- the rights catalogue pages ---------------------------------------------------------------


def rights_catalogue_all() -> QuerySet[FundamentalRight]:
    """Every fundamental right, active or not (the catalogue management page)."""
    return FundamentalRight.objects.order_by("instrument", "position", "key")


def fundamental_right_get(*, key: str) -> FundamentalRight:
    right = FundamentalRight.objects.filter(key=key).first()
    if right is None:
        raise Http404
    return right


def rights_questions_all(kind: str | None = None) -> QuerySet[RightsQuestion]:
    """Every rights question, active or not (the catalogue management page)."""
    questions = RightsQuestion.objects.all()
    if kind:
        questions = questions.filter(kind=kind)
    return questions.order_by("kind", "position", "key")


def rights_question_get(*, kind: str, key: str) -> RightsQuestion:
    question = RightsQuestion.objects.filter(kind=kind, key=key).first()
    if question is None:
        raise Http404
    return question


def rights_choices(*, option: Option) -> QuerySet[FundamentalRight]:
    """The rights to offer for ``option``: the active catalogue plus the (possibly deactivated)
    rights the option already touches, so a deactivated right stays where it is used."""
    touched = option.rights_touched.values("right_id")
    return FundamentalRight.objects.filter(Q(is_active=True) | Q(pk__in=touched)).order_by(
        "position", "instrument", "key"
    )


# --- texts of a stored result, for other apps (the advice dossier) ------------------------------


def result_robustness_label(*, result: dict[str, Any]) -> str:
    """The robustness level of a result in the reader's language ("" when absent)."""
    from paraat.assessments.reports import _level_labels

    level = str((result.get("robustness") or {}).get("level") or "")
    return str(_level_labels().get(level, level))


def result_warning_texts(*, result: dict[str, Any]) -> list[str]:
    """The engine's warnings of a result in the reader's language, options by name."""
    from paraat.assessments.reports import warning_text

    names = {str(o.get("id")): str(o.get("name")) for o in result.get("options", [])}
    return [warning_text(w, names) for w in result.get("warnings", [])]


# --- weight distributions (the citizens' own weights; paraat.panels) --------------------------


def version_weight_scenarios(*, version: AssessmentVersion) -> list[WeightScenario]:
    """The newest analysis per weight distribution of one version."""
    seen: set[str] = set()
    out = []
    for row in version.weight_scenarios.order_by("-created_at", "-id"):
        if row.source not in seen:
            seen.add(row.source)
            out.append(row)
    return out


CLOSE_SHARE = 0.05
"""Below this difference in the chance of the first place the leader is called a close call."""


def weight_scenario_comparison(
    *, result: dict[str, Any], scenario: WeightScenario
) -> dict[str, Any]:
    """Rank acceptabilities under uniform weights (the version's result) and under a weight
    distribution, side by side per option, with whether the most-often-first option holds."""
    uniform = {o.get("id"): o for o in result.get("options", []) if isinstance(o, dict)}
    rows = []
    for entry in scenario.result.get("options", []):
        base = uniform.get(entry["id"]) or {}
        base_acc = list(base.get("rank_acceptability") or [])
        rows.append(
            {
                "id": entry["id"],
                "name": entry.get("name") or entry["id"],
                "uniform_first": base_acc[0] if base_acc else None,
                "uniform_expected": base.get("expected_rank"),
                "uniform_acceptability": base_acc,
                "citizens_first": entry["rank_acceptability"][0],
                "citizens_expected": entry["expected_rank"],
                "citizens_acceptability": entry["rank_acceptability"],
            }
        )

    def top(key: str) -> dict[str, Any] | None:
        scored = [r for r in rows if r[key] is not None]
        return max(scored, key=lambda r: r[key]) if scored else None

    top_uniform, top_citizens = top("uniform_first"), top("citizens_first")
    runner_up = sorted((r["citizens_first"] for r in rows), reverse=True)[1:2]
    names = scenario.result.get("domain_names") or {}
    weights = scenario.result.get("mean_weights") or {}
    return {
        "scenario": scenario,
        "rows": rows,
        "ranks": list(range(1, len(rows) + 1)),
        "top_uniform": top_uniform,
        "top_citizens": top_citizens,
        "holds": top_uniform is not None
        and top_citizens is not None
        and top_uniform["id"] == top_citizens["id"],
        "close": bool(runner_up)
        and top_citizens is not None
        and top_citizens["citizens_first"] - runner_up[0] < CLOSE_SHARE,
        "mean_weights": sorted(
            ((names.get(k, k), w) for k, w in weights.items()), key=lambda kw: -kw[1]
        ),
        "ignored_domain_constraints": scenario.result.get("ignored_domain_constraints") or 0,
    }
