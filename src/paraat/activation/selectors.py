"""Reads of the activation path. A case is seen by users with ``view_activationcase`` whose
confidentiality level (or a grant) allows it; evidence items behind the criteria are shown only
to those who may see them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from paraat.accounts.selectors import AnyUser, can_view, filter_visible
from paraat.activation.models import (
    ActivationCase,
    ActivationDecision,
    ActivationSignal,
    ActivationStatusChange,
    CaseStatus,
    ChecklistItem,
    Criterion,
    CriterionJudgement,
    DecreeMember,
    EstablishmentDecree,
    SecondmentAgreement,
    SecondmentAssignment,
)
from paraat.jobs import selectors as job_selectors
from paraat.jobs.models import Job
from paraat_core.operational import Operational, time_to_operational

SIGNAL_KIND = "activation_signal"
DECREE_KIND = "activation_decree"

#: What a role may do, by permission.
ACTIONS = {
    "view": "activation.view_activationcase",
    "view_agreements": "activation.view_secondmentagreement",
    "manage": "activation.manage_activation",
    "decide": "activation.decide_activation",
}

OPEN_STATUSES = (
    CaseStatus.OPEN,
    CaseStatus.SIGNALLED,
    CaseStatus.DECIDED,
    CaseStatus.DECREE,
    CaseStatus.ACTIVE,
)


def may(*, user: AnyUser, action: str) -> bool:
    perm = ACTIONS.get(action)
    return bool(perm and user.is_authenticated and user.has_perm(perm))


# --- agreements -----------------------------------------------------------------------------------


def agreement_list(*, include_expired: bool = True) -> QuerySet[SecondmentAgreement]:
    rows = SecondmentAgreement.objects.select_related("ministry")
    if not include_expired:
        today = timezone.localdate()
        rows = rows.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return rows


def agreement_get(*, pk: int) -> SecondmentAgreement | None:
    return SecondmentAgreement.objects.select_related("ministry").filter(pk=pk).first()


def agreement_expired(*, agreement: SecondmentAgreement, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return agreement.valid_until is not None and agreement.valid_until < today


# --- cases ----------------------------------------------------------------------------------------


def status_of(case: ActivationCase) -> str:
    latest = case.statuses.order_by("-at", "-pk").values_list("status", flat=True).first()
    return latest or CaseStatus.OPEN


def status_history(*, case: ActivationCase) -> QuerySet[ActivationStatusChange]:
    return case.statuses.select_related("actor").order_by("at", "pk")


def case_list(*, user: AnyUser, open_only: bool | None = None) -> list[ActivationCase]:
    """The cases the user may see, newest first; ``open_only`` True/False filters on
    closed/operational (done) versus still on the path."""
    if not may(user=user, action="view"):
        return []
    rows = list(filter_visible(user=user, queryset=ActivationCase.objects.all()))
    if open_only is None:
        return rows
    return [case for case in rows if (status_of(case) in OPEN_STATUSES) == open_only]


def case_get(*, user: AnyUser, pk: int) -> ActivationCase | None:
    if not may(user=user, action="view"):
        return None
    case = ActivationCase.objects.filter(pk=pk).first()
    if case is None or not can_view(user=user, obj=case):
        return None
    return case


@dataclass
class CriterionRow:
    criterion: str
    label: str
    judgement: CriterionJudgement | None
    evidence: list[Any] = field(default_factory=list)
    hidden_evidence: int = 0
    history: list[CriterionJudgement] = field(default_factory=list)


def criteria(*, case: ActivationCase, user: AnyUser) -> list[CriterionRow]:
    """Each criterion with its latest judgement, the evidence items the user may see (and how
    many are hidden), and earlier judgements."""
    by_criterion: dict[str, list[CriterionJudgement]] = {}
    for row in (
        case.judgements.select_related("actor").prefetch_related("evidence").order_by("at", "pk")
    ):
        by_criterion.setdefault(row.criterion, []).append(row)
    result = []
    for key, label in Criterion.choices:
        rows = by_criterion.get(key, [])
        latest = rows[-1] if rows else None
        items = list(latest.evidence.all()) if latest else []
        visible = [item for item in items if can_view(user=user, obj=item)]
        result.append(
            CriterionRow(
                criterion=key,
                label=str(label),
                judgement=latest,
                evidence=visible,
                hidden_evidence=len(items) - len(visible),
                history=list(reversed(rows[:-1])),
            )
        )
    return result


def signals(*, case: ActivationCase) -> QuerySet[ActivationSignal]:
    return case.signals.select_related("created_by", "sent_recorded_by").order_by("number")


def signal_latest(*, case: ActivationCase) -> ActivationSignal | None:
    return case.signals.order_by("-number").first()


def signal_sent(*, case: ActivationCase) -> ActivationSignal | None:
    return case.signals.filter(sent_on__isnull=False).first()


def signal_get(*, case: ActivationCase, number: int) -> ActivationSignal | None:
    return case.signals.filter(number=number).first()


def decision_of(*, case: ActivationCase) -> ActivationDecision | None:
    return ActivationDecision.objects.filter(case=case).select_related("recorded_by").first()


def decrees(*, case: ActivationCase) -> QuerySet[EstablishmentDecree]:
    return case.decrees.select_related("created_by", "adopted_recorded_by").order_by("number")


def decree_latest(*, case: ActivationCase) -> EstablishmentDecree | None:
    return case.decrees.order_by("-number").first()


def decree_adopted(*, case: ActivationCase) -> EstablishmentDecree | None:
    return case.decrees.filter(adopted_on__isnull=False).first()


def decree_get(*, case: ActivationCase, number: int) -> EstablishmentDecree | None:
    return case.decrees.filter(number=number).first()


def decree_members(*, decree: EstablishmentDecree) -> QuerySet[DecreeMember]:
    return decree.members.select_related("person__organisation", "institution").order_by("pk")


def assignments(*, case: ActivationCase) -> QuerySet[SecondmentAssignment]:
    return case.assignments.select_related("agreement__ministry").order_by("starts_on", "pk")


@dataclass(frozen=True)
class StaffingRow:
    agreement: SecondmentAgreement
    people: int
    fte: Decimal
    first_start: dt.date | None


def staffing(*, case: ActivationCase) -> list[StaffingRow]:
    """Per agreement used: how many people and fte are seconded, and from when."""
    rows: dict[int, list[SecondmentAssignment]] = {}
    agreements: dict[int, SecondmentAgreement] = {}
    for row in assignments(case=case):
        rows.setdefault(row.agreement_id, []).append(row)
        agreements[row.agreement_id] = row.agreement
    return [
        StaffingRow(
            agreement=agreements[pk],
            people=len(items),
            fte=sum((item.fte for item in items), Decimal("0")),
            first_start=min(item.starts_on for item in items),
        )
        for pk, items in rows.items()
    ]


def staffing_totals(*, case: ActivationCase) -> dict[str, Any]:
    total = case.assignments.aggregate(fte=Sum("fte"))
    return {"people": case.assignments.count(), "fte": total["fte"] or Decimal("0")}


def checklist(*, case: ActivationCase) -> QuerySet[ChecklistItem]:
    return case.checklist.select_related("done_by").order_by("order", "pk")


def operational(*, case: ActivationCase, now: dt.datetime | None = None) -> Operational | None:
    """The time to operational (``paraat_core.operational``), from the minister's decision to
    establish; ``None`` before such a decision."""
    decision = decision_of(case=case)
    if decision is None or decision.decision != "establish":
        return None
    items = [(str(item.pk), item.done_at) for item in checklist(case=case)]
    return time_to_operational(decision.decided_at, items, now=now or timezone.now())


def signal_job_latest(*, case: ActivationCase) -> Job | None:
    return job_selectors.job_latest(kind=SIGNAL_KIND, params={"case": case.pk})


def signal_job_running(*, case: ActivationCase) -> bool:
    return job_selectors.job_active_exists(kind=SIGNAL_KIND, params={"case": case.pk})


def decree_job_latest(*, case: ActivationCase) -> Job | None:
    return job_selectors.job_latest(kind=DECREE_KIND, params={"case": case.pk})


def decree_job_running(*, case: ActivationCase) -> bool:
    return job_selectors.job_active_exists(kind=DECREE_KIND, params={"case": case.pk})


# --- the yearly report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivationSummary:
    """One case for the yearly report."""

    pk: int
    title: str
    status: str
    is_synthetic: bool
    created_at: dt.datetime
    signal_sent_on: dt.date | None
    decision: str
    """``establish``, ``not_now`` or "" (no decision yet)."""
    decided_at: dt.datetime | None
    decree_adopted_on: dt.date | None
    people: int
    fte: Decimal
    operational_at: dt.datetime | None
    hours_to_operational: float | None
    checklist_done: int
    checklist_total: int


def activation_list_between(
    *, start: dt.date, end: dt.date, user: AnyUser | None = None
) -> list[ActivationSummary]:
    """Cases with any step (opened, signal sent, decision, decree adopted, operational) on a
    day from ``start`` to ``end`` inclusive, oldest first, with their time to operational
    (titles and figures only, never the evidence). With ``user``, only the cases that reader
    may see (a confidential case stays out of a report made by someone without access)."""
    base = ActivationCase.objects.all()
    if user is not None:
        if not may(user=user, action="view"):
            return []
        base = filter_visible(user=user, queryset=base)
    cases = (
        base.filter(
            Q(created_at__date__range=(start, end))
            | Q(signals__sent_on__range=(start, end))
            | Q(decision__decided_at__date__range=(start, end))
            | Q(decrees__adopted_on__range=(start, end))
            | Q(statuses__at__date__range=(start, end))
        )
        .distinct()
        .order_by("created_at", "pk")
    )
    result = []
    for case in cases:
        sent = signal_sent(case=case)
        decision = decision_of(case=case)
        adopted = decree_adopted(case=case)
        figures = operational(case=case)
        totals = staffing_totals(case=case)
        result.append(
            ActivationSummary(
                pk=case.pk,
                title=case.title,
                status=status_of(case),
                is_synthetic=case.is_synthetic,
                created_at=case.created_at,
                signal_sent_on=sent.sent_on if sent else None,
                decision=decision.decision if decision else "",
                decided_at=decision.decided_at if decision else None,
                decree_adopted_on=adopted.adopted_on if adopted else None,
                people=totals["people"],
                fte=totals["fte"],
                operational_at=figures.operational_at if figures else None,
                hours_to_operational=figures.hours if figures else None,
                checklist_done=figures.done if figures else 0,
                checklist_total=figures.total if figures else checklist(case=case).count(),
            )
        )
    return result
