"""The dossier of a request, assembled from the other capabilities as the reader may see it,
and the skeleton of the advice text built from it (facts with references, no prose).

Everything is read through the other apps' selectors, so the visibility rules are theirs:
an analyst's dossier lacks what the analyst may not see, the public never gets one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality
from paraat.accounts.selectors import AnyUser
from paraat.advice import selectors
from paraat.advice.models import AdviceRequest, Section
from paraat.assessments import selectors as assessment_selectors
from paraat.evidence import selectors as evidence_selectors
from paraat.indicators import selectors as indicator_selectors
from paraat.measures import selectors as measure_selectors

EVIDENCE_LIMIT = 10_000
Levels = frozenset[str]
ALL_LEVELS: Levels = frozenset(Confidentiality.values)


@dataclass
class Dossier:
    request: AdviceRequest
    built_at: dt.datetime
    options: list[dict[str, Any]] = field(default_factory=list)
    fiches: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    assessment: dict[str, Any] | None = None
    contributions: list[dict[str, Any]] = field(default_factory=list)
    information: list[dict[str, Any]] = field(default_factory=list)
    omt: list[Any] | None = None
    """OMT documents when the reader has a grant for this request, else ``None``."""

    @property
    def measure_count(self) -> int:
        return len({m["key"] for o in self.options for m in o["measures"]})


def _options(request: AdviceRequest, user: AnyUser, levels: Levels) -> list[dict[str, Any]]:
    visible = measure_selectors.package_list(user=user).filter(
        pk__in=request.options.values_list("pk", flat=True), confidentiality__in=levels
    )
    return [
        {
            "key": package.key,
            "name": package.name,
            "measures": [
                {"key": item.measure.key, "name": item.measure.name, "pk": item.measure.pk}
                for item in package.items.all()
                if item.measure.confidentiality in levels
            ],
        }
        for package in visible
    ]


def _fiches(measure_keys: list[str], user: AnyUser, levels: Levels) -> list[dict[str, Any]]:
    rows = []
    for key in measure_keys:
        fiche = evidence_selectors.fiche_for_measure(user=user, measure_key=key)
        if fiche is None or fiche.confidentiality not in levels:
            continue
        version = evidence_selectors.fiche_version(fiche=fiche)
        rows.append(
            {
                "measure": fiche.measure.name,
                "measure_key": key,
                "version": version.number if version else None,
                "summary": version.summary if version else "",
                "mitigations": version.mitigations if version else "",
                "knowledge_gaps": version.knowledge_gaps if version else "",
                "needs_review": fiche.needs_review,
            }
        )
    return rows


def _evidence(
    request: AdviceRequest, measure_pks: list[int], user: AnyUser, levels: Levels
) -> list[dict[str, Any]]:
    packages = list(request.options.values_list("pk", flat=True))
    items = (
        evidence_selectors.evidence_visible(user=user)
        .filter(confidentiality__in=levels)
        .filter(Q(links__measure__in=measure_pks) | Q(links__package__in=packages))
        .distinct()
        .order_by("-published_on", "title")
        .values(
            "ref",
            "title",
            "item_type",
            "knowledge_class",
            "certainty",
            "organisation",
            "published_on",
            "interests_status",
            "on_behalf_of",
        )[:EVIDENCE_LIMIT]
    )
    return list(items)


def _groups(
    request: AdviceRequest, user: AnyUser, levels: Levels, contributions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    assessment = request.assessment
    if (
        assessment is not None
        and assessment.confidentiality in levels
        and assessment_selectors.assessment_visible(user=user, assessment=assessment)
    ):
        for row in assessment_selectors.assessment_group_rows(assessment=assessment, user=user):
            group = row.get("group")
            if group is not None:
                groups[group.key] = {"key": group.key, "name": str(group), "size": row.get("size")}
    for contribution in contributions:
        for key, name in contribution["group_keys"]:
            groups.setdefault(key, {"key": key, "name": name, "size": None})
    return list(groups.values())


def _assessment(request: AdviceRequest, user: AnyUser, levels: Levels) -> dict[str, Any] | None:
    assessment = request.assessment
    if (
        assessment is None
        or assessment.confidentiality not in levels
        or not assessment_selectors.assessment_visible(user=user, assessment=assessment)
    ):
        return None
    version = assessment_selectors.assessment_latest_version(assessment=assessment)
    entry: dict[str, Any] = {
        "key": assessment.key,
        "title": assessment.title,
        "version": version.number if version else None,
        "ladder": [],
        "robustness": None,
        "etd": {},
        "warnings": [],
        "domains": [],
    }
    if version is None:
        return entry
    result = assessment_selectors.version_result(version=version, user=user)
    names = {o["id"]: o["name"] for o in result.get("options", [])}
    entry["ladder"] = [
        {
            "option": names.get(row["option"], row["option"]),
            "position": row["position"],
            "rank1_share": row.get("rank1_share"),
        }
        for row in result.get("ladder", [])
    ]
    entry["robustness"] = assessment_selectors.result_robustness_label(result=result) or None
    entry["etd"] = {
        names.get(key, key): value.get("advice", "")
        for key, value in (result.get("etd") or {}).items()
    }
    entry["warnings"] = [
        text for text in assessment_selectors.result_warning_texts(result=result) if text
    ]
    entry["domains"] = [d["key"] for d in result.get("domains", [])]
    entry["rights_touched"] = {
        names.get(key, key): [
            str(t.get("title") or t.get("right")) if isinstance(t, dict) else str(t)
            for t in value.get("touched") or []
        ]
        for key, value in (result.get("rights") or {}).items()
        if isinstance(value, dict) and value.get("touched")
    }
    return entry


def _indicators(
    assessment: dict[str, Any] | None, user: AnyUser, levels: Levels
) -> tuple[list[Any], list[Any]]:
    domains = (assessment or {}).get("domains") or []
    visible = indicator_selectors.indicators_visible(user=user).filter(confidentiality__in=levels)
    chosen = list(visible.filter(domain__key__in=domains)) if domains else []
    rows = []
    for indicator in chosen:
        value, period = assessment_selectors.indicator_latest(indicator=indicator)
        rows.append(
            {
                "key": indicator.key,
                "name": indicator.name,
                "unit": indicator.unit,
                "domain": indicator.domain.name if indicator.domain else "",
                "value": value,
                "period": period,
                "source": indicator.source,
            }
        )
    signals = [
        {
            "indicator": signal.indicator.name,
            "severity": signal.severity,
            "description": signal.description_nl,
            "period": signal.period_code,
        }
        for signal in indicator_selectors.signals_visible(user=user)
        .filter(indicator__in=chosen)
        .select_related("indicator")
        .order_by("-detected_at")[:50]
    ]
    return rows, signals


def _contributions(request: AdviceRequest, user: AnyUser, levels: Levels) -> list[dict[str, Any]]:
    """Answers to the input requests whose library item the reader may see (the item holds
    the answer: made confidential, it leaves the dossier too). In an exercise the answers make
    no library items (ADR 0020): they share the request's own confidentiality."""
    rows = []
    answered = [
        r for r in selectors.input_requests(request=request) if getattr(r, "response", None)
    ]
    visible = set(
        evidence_selectors.evidence_visible(user=user)
        .filter(confidentiality__in=levels)
        .filter(pk__in=[r.response.evidence_id for r in answered if r.response.evidence_id])
        .values_list("pk", flat=True)
    )
    exercise_answers_shown = (
        request.exercise_run_id is not None and request.confidentiality in levels
    )
    for input_request in answered:
        response = input_request.response
        if response.evidence_id is None:
            if not exercise_answers_shown:
                continue
        elif response.evidence_id not in visible:
            continue
        rows.append(
            {
                "from": input_request.recipient_name,
                "organisation": input_request.organisation,
                "kind": input_request.get_recipient_kind_display(),
                "signal": response.signal,
                "severity": response.get_severity_display(),
                "groups": [str(g) for g in response.groups.all()],
                "group_keys": [(g.key, str(g)) for g in response.groups.all()],
                "interests": response.get_interests_status_display(),
                "declared_interests": response.declared_interests,
                "ref": response.evidence.ref if response.evidence else "",
            }
        )
    return rows


def _information(request: AdviceRequest, user: AnyUser, levels: Levels) -> list[dict[str, Any]]:
    """The information package; the library item of a piece only when ``user`` may see it
    (its citation key is made from its title)."""
    items = list(request.information_items.order_by("received_at", "pk"))
    linked = [i.evidence_id for i in items if i.evidence_id]
    refs = dict(
        evidence_selectors.evidence_visible(user=user)
        .filter(confidentiality__in=levels, pk__in=linked)
        .values_list("pk", "ref")
    )
    return [{"title": i.title, "url": i.url, "ref": refs.get(i.evidence_id, "")} for i in items]


def dossier_build(*, request: AdviceRequest, user: AnyUser, levels: Levels = ALL_LEVELS) -> Dossier:
    """Assemble the dossier as ``user`` may see it (callers check ``view_drafts`` first),
    leaving out anything above ``levels`` (see ``skeleton_for``)."""
    dossier = Dossier(request=request, built_at=timezone.now())
    dossier.options = _options(request, user, levels)
    measures = {m["key"]: m["pk"] for o in dossier.options for m in o["measures"]}
    dossier.fiches = _fiches(sorted(measures), user, levels)
    dossier.evidence = _evidence(request, list(measures.values()), user, levels)
    dossier.assessment = _assessment(request, user, levels)
    dossier.indicators, dossier.signals = _indicators(dossier.assessment, user, levels)
    dossier.contributions = _contributions(request, user, levels)
    dossier.groups = _groups(request, user, levels, dossier.contributions)
    dossier.information = _information(request, user, levels)
    dossier.omt = (
        selectors.omt_documents(request=request, user=user) if levels == ALL_LEVELS else None
    )
    return dossier


def skeleton_levels(*, request: AdviceRequest) -> Levels:
    """What a first version may draw on: the drafts are read by the whole committee, so
    confidential material only goes in when the request itself is confidential (then every
    reader of its drafts may see confidential items or holds a grant)."""
    if request.confidentiality == Confidentiality.CONFIDENTIAL:
        return ALL_LEVELS
    return frozenset({Confidentiality.PUBLIC, Confidentiality.INTERNAL})


def skeleton_for(*, request: AdviceRequest, user: AnyUser) -> dict[str, str]:
    """The skeleton of ``request`` built from what its drafts' readers may all see, never
    from the (possibly wider) view of the person who asks for it."""
    return skeleton(
        dossier_build(request=request, user=user, levels=skeleton_levels(request=request))
    )


def _cite(ref: str) -> str:
    return f" [@{ref}]" if ref else ""


def skeleton(dossier: Dossier) -> dict[str, str]:
    """A first version of the advice text: the dossier's facts, each with its reference,
    under the section headings. The committee writes the advice; nothing here is prose."""
    request = dossier.request
    summary = [
        _("Adviesvraag: %(q)s") % {"q": request.question},
        "",
        _("Opties:"),
        *(f"- {o['name']}" for o in dossier.options),
    ]
    # No list lines here: at dispatch the numbered and bulleted lines of this section become
    # the recommendations the cabinet responds to, so only the committee writes them.
    advice = [_("Schrijf hier de aanbevelingen, één per regel, genummerd (1., 2., …).")]
    reasoning: list[str] = []
    if dossier.assessment and dossier.assessment["etd"]:
        reasoning.append(_("Adviestype per optie (afweging, bewijs naar besluit):"))
        reasoning += [
            f"- {option}: {kind or _('nog geen adviestype')}"
            for option, kind in dossier.assessment["etd"].items()
        ]
        reasoning.append("")
    if dossier.assessment:
        a = dossier.assessment
        reasoning.append(
            _("Afweging ‘%(t)s’, versie %(v)s (robuustheid: %(r)s):")
            % {"t": a["title"], "v": a["version"] or "–", "r": a["robustness"] or "–"}
        )
        reasoning += [
            f"{row['position']}. {row['option']}"
            + (f" ({row['rank1_share']:.0%})" if isinstance(row["rank1_share"], float) else "")
            for row in a["ladder"]
        ]
        reasoning += [f"- ⚠ {w}" for w in a["warnings"] if w]
        reasoning.append("")
    if dossier.fiches:
        reasoning.append(_("Maatregelfiches:"))
        reasoning += [
            f"- {f['measure']} (" + _("fiche versie %(v)s") % {"v": f["version"] or "–"} + ")"
            for f in dossier.fiches
        ]
        reasoning.append("")
    if dossier.contributions:
        reasoning.append(_("Ingebrachte signalen:"))
        reasoning += [
            f"- {c['organisation'] or c['from']}: {c['signal'][:200]}{_cite(c['ref'])}"
            for c in dossier.contributions
        ]
    groups = []
    for group in dossier.groups:
        groups.append(f"- {group['name']}")
        for c in dossier.contributions:
            if group["name"] in c["groups"]:
                groups.append(f"  - {c['severity']}: {c['signal'][:160]}{_cite(c['ref'])}")
    if dossier.indicators:
        groups.append("")
        groups.append(_("Maatschappelijk beeld:"))
        for row in dossier.indicators:
            value = "–" if row["value"] is None else f"{row['value']:g} {row['unit']}".strip()
            groups.append(f"- {row['name']}: {value} ({row['period'] or '–'}; {row['source']})")
    mitigation = [
        f"- {f['measure']}: {f['mitigations'].strip()[:300]}"
        for f in dossier.fiches
        if f["mitigations"].strip()
    ]
    dilemmas = []
    touched = (dossier.assessment or {}).get("rights_touched") or {}
    if touched:
        dilemmas.append(_("Grondrechten die de opties raken (uit de afweging):"))
        dilemmas += [
            f"- {option}: {', '.join(map(str, rights))}" for option, rights in touched.items()
        ]
    return {
        Section.SUMMARY: "\n".join(summary).strip(),
        Section.ADVICE: "\n".join(advice).strip(),
        Section.REASONING: "\n".join(reasoning).strip(),
        Section.GROUPS: "\n".join(groups).strip(),
        Section.MITIGATION: "\n".join(mitigation).strip(),
        Section.DILEMMAS: "\n".join(dilemmas).strip(),
        Section.MINORITY: "",
    }
