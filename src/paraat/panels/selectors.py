"""Reads of paraat.panels: lists, the results of questionnaires and sessions, and the citizens'
weight distributions that the assessments' robustness analysis can use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from paraat.accounts.selectors import can_view, filter_visible
from paraat.assessments.models import Assessment
from paraat.panels.models import (
    LIKERT_LABELS,
    Answer,
    DilemmaSession,
    Invitation,
    Panel,
    Panelist,
    Question,
    QuestionKind,
    Questionnaire,
    SessionKind,
)
from paraat.taxonomies.models import Domain
from paraat_core import panels as core

AnyUser = Any


# --- lists --------------------------------------------------------------------------------------


def panel_list() -> QuerySet[Panel]:
    return Panel.objects.annotate(
        active_panelists=Count("panelists", filter=Q(panelists__withdrawn_at__isnull=True))
    ).order_by("name")


def panel_get(*, pk: int) -> Panel:
    panel = Panel.objects.filter(pk=pk).first()
    if panel is None:
        raise Http404
    return panel


def panelist_list(*, panel: Panel) -> QuerySet[Panelist]:
    return panel.panelists.annotate(
        invited=Count("invitations"),
        used=Count("invitations", filter=Q(invitations__used_on__isnull=False)),
    ).order_by("code")


def panelist_get(*, panel: Panel, pk: int) -> Panelist:
    row = panel.panelists.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def questionnaire_list(*, user: AnyUser, panel: Panel | None = None) -> QuerySet[Questionnaire]:
    qs = Questionnaire.objects.select_related("panel").annotate(n_responses=Count("responses"))
    if panel is not None:
        qs = qs.filter(panel=panel)
    return filter_visible(user=user, queryset=qs).order_by("-opens_at", "title")


def questionnaire_get(*, user: AnyUser, pk: int) -> Questionnaire:
    row = Questionnaire.objects.select_related("panel", "evidence_item").filter(pk=pk).first()
    if row is None or not can_view(user=user, obj=row):
        raise Http404
    return row


def session_list(*, user: AnyUser, panel: Panel | None = None) -> QuerySet[DilemmaSession]:
    qs = DilemmaSession.objects.select_related("panel", "assessment").annotate(
        n_ballots=Count("ballots")
    )
    if panel is not None:
        qs = qs.filter(panel=panel)
    return filter_visible(user=user, queryset=qs).order_by("-opens_at", "title")


def session_get(*, user: AnyUser, pk: int) -> DilemmaSession:
    row = (
        DilemmaSession.objects.select_related("panel", "assessment", "evidence_item")
        .filter(pk=pk)
        .first()
    )
    if row is None or not can_view(user=user, obj=row):
        raise Http404
    return row


def questions(*, questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.order_by("position", "id"))


def invitation_counts(
    *, questionnaire: Questionnaire | None = None, session: DilemmaSession | None = None
) -> tuple[int, int]:
    """(invited, used) for one questionnaire or session."""
    qs = Invitation.objects.filter(questionnaire=questionnaire, session=session)
    return qs.count(), qs.filter(used_on__isnull=False).count()


# --- questionnaire results -----------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    n: int
    shares: list[core.Share] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    likert: core.LikertSummary | None = None
    open_answers: list[str] = field(default_factory=list)


@dataclass
class QuestionnaireResults:
    questionnaire: Questionnaire
    responses: int
    invited: int
    used: int
    questions: list[QuestionResult]


def questionnaire_results(
    *, questionnaire: Questionnaire, with_open: bool = False
) -> QuestionnaireResults:
    """Counts per option, Likert distribution with median, shares with Wilson 95 % intervals.

    Shares are of the people who answered that question (``n`` per question). Open answers are
    only listed with ``with_open`` (the CPO), sorted alphabetically so their order says nothing
    about who answered when.
    """
    rows: list[QuestionResult] = []
    for q in questions(questionnaire=questionnaire):
        answers = Answer.objects.filter(question=q)
        n = answers.count()
        result = QuestionResult(question=q, n=n)
        if q.kind == QuestionKind.LIKERT:
            counts = dict(
                answers.values_list("likert").annotate(c=Count("id")).values_list("likert", "c")
            )
            summary = core.likert_summary([int(counts.get(p, 0)) for p in range(1, 6)])
            result.likert = summary
            result.shares = list(summary.shares)
            result.labels = {str(i + 1): f"{i + 1} {LIKERT_LABELS[i]}" for i in range(5)}
        elif q.kind == QuestionKind.CHOICE:
            counts = dict(
                answers.values_list("choice").annotate(c=Count("id")).values_list("choice", "c")
            )
            result.shares = core.shares({c: int(counts.get(c, 0)) for c in q.choices}, n=n)
            result.labels = {c: c for c in q.choices}
        elif with_open:
            result.open_answers = sorted(answers.values_list("text", flat=True), key=str.casefold)
        rows.append(result)
    invited, used = invitation_counts(questionnaire=questionnaire)
    return QuestionnaireResults(
        questionnaire=questionnaire,
        responses=questionnaire.responses.count(),
        invited=invited,
        used=used,
        questions=rows,
    )


# --- session results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    key: str
    label: str
    mean_weight: float
    sd_weight: float
    p10: float
    p90: float
    mean_rank: float
    borda: int
    first: int


@dataclass(frozen=True)
class ChoiceRow:
    key: str
    label: str
    count: int
    share: float
    low: float
    high: float


@dataclass
class SessionResults:
    session: DilemmaSession
    ballots: int
    invited: int
    used: int
    items: list[str]
    ranking: list[RankRow] | None = None
    choices: list[ChoiceRow] = field(default_factory=list)
    weights: list[list[float]] = field(default_factory=list)


def item_labels(session: DilemmaSession) -> dict[str, str]:
    if session.kind == SessionKind.RANK_DOMAINS:
        return {d.key: d.name for d in session.domains.all()}
    return {o.key: o.name for o in session.options.all()}


def session_results(*, session: DilemmaSession) -> SessionResults:
    """Rankings: ROC weights per ballot, their mean and spread, mean rank and Borda count;
    choices: counts with shares and Wilson intervals (``paraat_core.panels``)."""
    from paraat.panels.services import session_items

    items = session_items(session)
    labels = item_labels(session)
    invited, used = invitation_counts(session=session)
    ballots = list(session.ballots.order_by("id").values_list("ranking", "option__key"))
    out = SessionResults(
        session=session, ballots=len(ballots), invited=invited, used=used, items=items
    )
    if session.kind == SessionKind.RANK_DOMAINS:
        rankings = [list(r) for r, _o in ballots if sorted(r or []) == sorted(items)]
        summary = core.ranking_summary(items, rankings)
        out.ranking = [
            RankRow(
                key=r.key,
                label=labels.get(r.key, r.key),
                mean_weight=r.mean_weight,
                sd_weight=r.sd_weight,
                p10=r.p10,
                p90=r.p90,
                mean_rank=r.mean_rank,
                borda=r.borda,
                first=r.first,
            )
            for r in summary.items_by_weight()
        ]
        out.weights = [list(w) for w in summary.weights]
        out.ballots = summary.ballots
    else:
        counts = dict.fromkeys(items, 0)
        for _r, key in ballots:
            if key in counts:
                counts[key] += 1
        out.choices = [
            ChoiceRow(s.key, labels.get(s.key, s.key), s.count, s.share, s.low, s.high)
            for s in core.shares(counts)
        ]
    return out


# --- weight distributions for the assessments ---------------------------------------------


@dataclass(frozen=True)
class WeightDistribution:
    """The participants' ROC weight vectors over ``items`` (domain keys) of one session."""

    source: str  # "panels.session:<pk>"
    label: str
    session_pk: int
    items: tuple[str, ...]
    vectors: tuple[tuple[float, ...], ...]
    opens_on: str
    closes_on: str
    is_synthetic: bool

    @property
    def participants(self) -> int:
        return len(self.vectors)


def session_weight_distribution(*, session: DilemmaSession) -> WeightDistribution | None:
    """The weight distribution of a domain-ranking session (None without ballots)."""
    if session.kind != SessionKind.RANK_DOMAINS:
        return None
    results = session_results(session=session)
    if not results.weights:
        return None
    return WeightDistribution(
        source=f"panels.session:{session.pk}",
        label=f"{session.panel.name}: {session.title}",
        session_pk=session.pk,
        items=tuple(results.items),
        vectors=tuple(tuple(w) for w in results.weights),
        opens_on=session.opens_at.date().isoformat(),
        closes_on=session.closes_at.date().isoformat(),
        is_synthetic=session.is_synthetic,
    )


_LEVELS_UP_TO: dict[str, tuple[str, ...]] = {
    "public": ("public",),
    "internal": ("public", "internal"),
    "confidential": ("public", "internal", "confidential"),
}


def weight_distributions_for(*, assessment: Assessment) -> list[WeightDistribution]:
    """Every distribution offered to this assessment: domain-ranking sessions linked to it with
    ``offer_weights`` and at least one ballot (newest session first).

    Only sessions no more confidential than the assessment: the analysis (label, weights,
    results) is stored on the assessment's version and shown to whoever may see the
    assessment, who may not see a more confidential session."""
    sessions = (
        DilemmaSession.objects.select_related("panel")
        .filter(assessment=assessment, kind=SessionKind.RANK_DOMAINS, offer_weights=True)
        .filter(confidentiality__in=_LEVELS_UP_TO.get(assessment.confidentiality, ("public",)))
        .order_by("-closes_at", "-id")
    )
    out = []
    for session in sessions:
        dist = session_weight_distribution(session=session)
        if dist is not None:
            out.append(dist)
    return out


def domain_choices() -> QuerySet[Domain]:
    return Domain.objects.filter(is_active=True).order_by("position", "name_nl")
