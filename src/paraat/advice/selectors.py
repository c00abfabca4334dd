"""Reads for the advice process; every read applies the role and confidentiality checks.

Staff pages: a request is visible to roles with ``advice.view_advicerequest`` within the
confidentiality rules; drafts, votes and comments only to the committee
(``advice.view_advicerevision``); the OMT information only with a grant for this request.
Public pages read only what ``public_*`` selectors return: published advice (after the
embargo) and nothing of its drafts, votes or dossier.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality, User
from paraat.accounts.selectors import AnyUser, can_view, filter_visible
from paraat.advice import workflow
from paraat.advice.models import (
    AdviceRequest,
    AdviceRevision,
    AdviceStatus,
    AdviceStatusChange,
    Assignment,
    CabinetResponse,
    Comment,
    Decision,
    DecisionRound,
    Dispatch,
    FollowUp,
    InformationItem,
    InputRequest,
    OmtAccessLog,
    OmtBriefing,
    OmtDocument,
    Publication,
    RapidStatement,
    Recommendation,
    RecommendationStatus,
    Reflection,
    Section,
    SignOff,
    Vote,
)
from paraat.evidence import selectors as evidence_selectors
from paraat.jobs import selectors as job_selectors
from paraat.jobs.models import Job
from paraat.measures.models import Package
from paraat.taxonomies.models import PopulationGroup
from paraat_core import phases, voting

S = AdviceStatus


def _latest_status() -> Subquery:
    return Subquery(
        AdviceStatusChange.objects.filter(request=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("status")[:1]
    )


def _with_status(queryset: QuerySet[AdviceRequest]) -> QuerySet[AdviceRequest]:
    return queryset.annotate(current_status=_latest_status())


def may_view(*, user: AnyUser) -> bool:
    return bool(user.is_authenticated) and workflow.allowed(user, "view")  # type: ignore[arg-type]


def may(*, user: AnyUser, action: str) -> bool:
    return bool(user.is_authenticated) and workflow.allowed(user, action)  # type: ignore[arg-type]


def _visible(*, user: AnyUser) -> QuerySet[AdviceRequest]:
    """Every request ``user`` may see, real and exercise ones (none without the role)."""
    if not may_view(user=user):
        return _with_status(AdviceRequest.objects.none())
    return _with_status(filter_visible(user=user, queryset=AdviceRequest.objects.all()))


def is_exercise(request: AdviceRequest) -> bool:
    """A request of an exercise run (exercise mode, labelled OEFENING)."""
    return request.exercise_run_id is not None


def advice_list(*, user: AnyUser, status: str = "", query: str = "") -> QuerySet[AdviceRequest]:
    """Real requests ``user`` may see in the staff pages (none without the role).

    Requests of an exercise (``exercise_run`` set) never appear here, nor in anything built
    on it (register, CSV/JSON, start page, timeline): they are reached from their exercise
    (:func:`exercise_requests`) and opened with :func:`advice_get`."""
    qs = _visible(user=user).filter(exercise_run__isnull=True)
    if status:
        qs = qs.filter(current_status=status)
    if query:
        qs = qs.filter(title__icontains=query)
    return qs.order_by("-received_at")


def advice_get(*, user: AnyUser, key: str) -> AdviceRequest | None:
    """One request by key, real or of an exercise (its pages run the same process)."""
    return _visible(user=user).filter(key=key).first()


def exercise_requests(*, user: AnyUser, run: Any) -> QuerySet[AdviceRequest]:
    """The requests of exercise ``run`` that ``user`` may see, oldest first."""
    return _visible(user=user).filter(exercise_run=run).order_by("received_at", "pk")


def exercise_request_timings(*, request: AdviceRequest) -> dict[str, dt.datetime | None]:
    """When an exercise request was received and sent (``None`` while not sent)."""
    dispatch = Dispatch.objects.filter(request=request).only("sent_at").first()
    return {"received_at": request.received_at, "sent_at": dispatch.sent_at if dispatch else None}


def advice_by_key(*, key: str) -> AdviceRequest | None:
    """A request by its key without any role check: for operator commands only."""
    return _with_status(AdviceRequest.objects.filter(key=key)).first()


def status_of(request: AdviceRequest) -> str:
    return workflow.status_of(request)


def status_history(*, request: AdviceRequest) -> QuerySet[AdviceStatusChange]:
    return request.status_changes.select_related("actor").order_by("at", "pk")


# --- the adopted version ------------------------------------------------------------------


def adopted_revision(*, request: AdviceRequest) -> AdviceRevision | None:
    """The version the latest round adopted (consensus or majority), provided it is still the
    latest version: a version saved after a vote needs a new vote."""
    last = request.decision_rounds.order_by("-opened_at", "-pk").select_related("revision").first()
    if last is None:
        return None
    decision = getattr(last, "decision", None)
    latest = request.revisions.order_by("-number").values_list("pk", flat=True).first()
    if decision is None or last.revision_id != latest:
        return None
    if decision.outcome not in (voting.CONSENSUS, voting.MAJORITY):
        return None
    return last.revision


def signed_adopted(*, request: AdviceRequest) -> SignOff | None:
    """The chair's signature on the adopted version: the only version that may be sent."""
    revision = adopted_revision(request=request)
    if revision is None:
        return None
    return (
        request.sign_offs.filter(revision=revision).select_related("chair").order_by("-at").first()
    )


# --- deadlines and the timeline --------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    phases: list[phases.Phase]
    hours: dict[str, float]
    """Hours per phase from receipt until dispatch (or now)."""
    total_hours: float
    countdown: phases.Countdown | None
    """``None`` once the advice has been sent (the deadline no longer runs)."""
    met_deadline: bool | None
    """Sent on time? ``None`` while not sent."""


def timeline(*, request: AdviceRequest, now: dt.datetime | None = None) -> Timeline:
    moment = now or timezone.now()
    history = [(c.status, c.at) for c in status_history(request=request)]
    stays = phases.phases(history, now=moment)
    hours = phases.phase_durations(history, now=moment, until=S.SENT)
    sent = next((at for status, at in history if status == S.SENT), None)
    return Timeline(
        phases=stays,
        hours=hours,
        total_hours=sum(hours.values()),
        countdown=deadline_countdown(
            request=request, status=history[-1][0] if history else None, now=moment
        ),
        met_deadline=None if sent is None else sent <= request.deadline,
    )


def deadline_countdown(
    *, request: AdviceRequest, status: str | None = None, now: dt.datetime | None = None
) -> phases.Countdown | None:
    """The deadline countdown while the advice has not been sent (or withdrawn); ``status``
    is the request's status when the caller already has it."""
    current = workflow.status_of(request) if status is None else status
    if current in workflow.AFTER_DISPATCH:
        return None
    return phases.countdown(deadline=request.deadline, now=now or timezone.now())


def open_with_countdown(
    *, user: AnyUser, now: dt.datetime | None = None, limit: int = 10
) -> list[dict[str, Any]]:
    """Requests still running (not yet sent or withdrawn), the most urgent first, each with
    its deadline countdown: for the start page of the secretariat and the committee."""
    moment = now or timezone.now()
    rows = []
    for r in _running(user=user).order_by("deadline")[:limit]:
        status = workflow.status_of(r)
        rows.append(
            {
                "request": r,
                "status": status,
                "countdown": deadline_countdown(request=r, status=status, now=moment),
            }
        )
    return rows


def _running(*, user: AnyUser) -> QuerySet[AdviceRequest]:
    """Requests whose deadline still runs: not yet sent, not withdrawn."""
    return advice_list(user=user).exclude(current_status__in=list(workflow.AFTER_DISPATCH))


def overdue_requests(*, user: AnyUser, now: dt.datetime | None = None) -> list[AdviceRequest]:
    return list(_running(user=user).filter(deadline__lt=now or timezone.now()))


# --- text, diffs, comments -------------------------------------------------------------------


def revisions(*, request: AdviceRequest) -> QuerySet[AdviceRevision]:
    return request.revisions.select_related("author").order_by("number")


def revision_latest(*, request: AdviceRequest) -> AdviceRevision | None:
    return request.revisions.order_by("-number").first()


def revision_get(*, request: AdviceRequest, number: int) -> AdviceRevision | None:
    return request.revisions.filter(number=number).first()


_WORDS = re.compile(r"\s+|[^\s]+")


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff as (op, text) with op ``equal``, ``delete`` or ``insert``."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("insert", "".join(b[j1:j2])))
    return out


def revision_diff(*, old: AdviceRevision | None, new: AdviceRevision) -> list[dict[str, Any]]:
    """Per section: its label, whether it changed, and the word diff."""
    rows = []
    for key, label in Section.choices:
        before = str((old.sections if old else {}).get(key, ""))
        after = str(new.sections.get(key, ""))
        rows.append(
            {
                "key": key,
                "label": label,
                "changed": before != after,
                "ops": text_diff(before, after) if before != after else [],
            }
        )
    return rows


def comment_threads(*, request: AdviceRequest) -> list[dict[str, Any]]:
    """Threads per section, oldest first, with their replies and whether they are resolved."""
    rows = list(
        Comment.objects.filter(request=request)
        .select_related("author", "revision")
        .order_by("created_at", "pk")
    )
    threads: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row.thread_id is None:
            threads[row.pk] = {"comment": row, "replies": [], "resolved": False}
        elif row.thread_id in threads:
            threads[row.thread_id]["replies"].append(row)
            if row.kind == Comment.Kind.RESOLVE:
                threads[row.thread_id]["resolved"] = True
    return list(threads.values())


def assignments(*, request: AdviceRequest) -> QuerySet[Assignment]:
    """The request's tasks, open ones first."""
    return request.assignments.select_related("assignee", "created_by")


def assignment_get(*, request: AdviceRequest, pk: int) -> Assignment | None:
    return assignments(request=request).filter(pk=pk).first()


def comment_thread_starts(*, request: AdviceRequest) -> QuerySet[Comment]:
    """The first comments of the request's threads (what a reply or a resolve points to)."""
    return Comment.objects.filter(request=request, thread__isnull=True)


def comment_thread_get(*, request: AdviceRequest, pk: int) -> Comment | None:
    """The thread of ``request`` that starts with comment ``pk`` (``None``: no such thread)."""
    return comment_thread_starts(request=request).filter(pk=pk).first()


def drafts_readers() -> QuerySet[User]:
    """Active people who may read the drafts (``view_drafts``): assignees, OMT grantees."""
    perm = Permission.objects.filter(
        content_type__app_label="advice", codename="view_advicerevision"
    ).first()
    condition = Q(is_superuser=True)
    if perm is not None:
        condition |= Q(groups__permissions=perm) | Q(user_permissions=perm)
    return (
        User.objects.filter(is_active=True)
        .filter(condition)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


#: Roles whose people are asked for input (the recipient account of an input request).
INPUT_ROLES = (
    roles.CHAIR,
    roles.MEMBER,
    roles.EXPERT_MEMBER,
    roles.EXTERNAL_EXPERT,
    roles.CIRCLE_LEAD,
)


def input_recipients() -> QuerySet[User]:
    """Active members, expert members, pool experts and practice-circle leads."""
    return (
        User.objects.filter(is_active=True, groups__name__in=INPUT_ROLES)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def information_items(
    *, request: AdviceRequest, user: AnyUser | None = None
) -> list[InformationItem]:
    """The information package that the MIT and the OMT both received. With ``user``, a
    piece's library item is left out (``evidence`` is ``None``) when ``user`` may not see it:
    its title and citation key are not for them."""
    items = list(
        request.information_items.select_related("evidence", "added_by").order_by(
            "received_at", "pk"
        )
    )
    if user is not None:
        linked = [item.evidence_id for item in items if item.evidence_id]
        visible = set(
            evidence_selectors.evidence_visible(user=user)
            .filter(pk__in=linked)
            .values_list("pk", flat=True)
        )
        for item in items:
            if item.evidence_id and item.evidence_id not in visible:
                item.evidence = None  # shown without its library item (never saved)
    return items


def option_ids(*, request: AdviceRequest) -> list[int]:
    """The primary keys of all the request's options (packages), visible or not."""
    return list(request.options.values_list("pk", flat=True))


def options_visible(*, request: AdviceRequest, user: AnyUser) -> QuerySet[Package]:
    """The request's options (packages) that ``user`` may see."""
    from paraat.measures.selectors import package_list

    return package_list(user=user).filter(advice_requests=request)


def options_hidden(*, request: AdviceRequest, user: AnyUser) -> list[Package]:
    """The request's options that ``user`` may not see (an edit by ``user`` keeps them)."""
    from paraat.measures.selectors import package_list

    return list(request.options.exclude(pk__in=package_list(user=user).values("pk")))


def omt_briefing(*, request: AdviceRequest) -> OmtBriefing:
    """The holder of the request's OMT information (what access is granted to and logged
    on); its documents are read only through :func:`omt_documents`."""
    return request.omt_briefing


def omt_reads(*, briefing: OmtBriefing) -> QuerySet[OmtAccessLog]:
    """Who opened the OMT information of a request, newest first."""
    return briefing.reads.select_related("user").order_by("-at", "-pk")


# --- input ----------------------------------------------------------------------------------


def input_requests(*, request: AdviceRequest) -> QuerySet[InputRequest]:
    return (
        request.input_requests.select_related("response", "response__evidence", "recipient")
        .prefetch_related("response__groups")
        .order_by("deadline", "pk")
    )


def input_request_get(*, request: AdviceRequest, pk: int) -> InputRequest | None:
    return input_requests(request=request).filter(pk=pk).first()


def population_groups(*, keys: Iterable[str]) -> list[PopulationGroup]:
    """The population groups with these keys (an answer to a request for input names them)."""
    return list(PopulationGroup.objects.filter(key__in=list(keys)))


def input_state(*, input_request: InputRequest, now: dt.datetime | None = None) -> str:
    """``answered``, ``revoked``, ``late`` (past its deadline) or ``open``."""
    if hasattr(input_request, "response"):
        return "answered"
    if input_request.revoked_at:
        return "revoked"
    if input_request.deadline < (now or timezone.now()):
        return "late"
    return "open"


def input_overview(*, request: AdviceRequest, now: dt.datetime | None = None) -> dict[str, int]:
    moment = now or timezone.now()
    rows = list(input_requests(request=request))
    answered = sum(1 for r in rows if hasattr(r, "response"))
    revoked = sum(1 for r in rows if r.revoked_at and not hasattr(r, "response"))
    late = sum(
        1 for r in rows if not hasattr(r, "response") and not r.revoked_at and r.deadline < moment
    )
    return {
        "asked": len(rows),
        "answered": answered,
        "open": len(rows) - answered - revoked,
        "late": late,
        "revoked": revoked,
    }


# --- decision -------------------------------------------------------------------------------


def decision_rounds(*, request: AdviceRequest) -> QuerySet[DecisionRound]:
    """The request's rounds, oldest first, each with its ``decision`` (once closed)."""
    return request.decision_rounds.select_related("revision", "opened_by", "decision").order_by(
        "opened_at", "pk"
    )


def round_open(*, request: AdviceRequest) -> DecisionRound | None:
    return (
        request.decision_rounds.filter(decision__isnull=True)
        .select_related("revision", "opened_by", "decision")
        .order_by("-opened_at", "-pk")
        .first()
    )


def round_latest(*, request: AdviceRequest) -> DecisionRound | None:
    """The request's most recently opened round, open or closed."""
    return decision_rounds(request=request).order_by("-opened_at", "-pk").first()


def rounds_decided(*, request: AdviceRequest) -> QuerySet[DecisionRound]:
    """The closed rounds (with their ``decision``), oldest first."""
    return decision_rounds(request=request).filter(decision__isnull=False)


def round_statements(*, round_: DecisionRound) -> list[RapidStatement]:
    """The judgements of a rapid round in their order (none in a regular round)."""
    return list(round_.statements.order_by("order"))


def round_votes(*, round_: DecisionRound) -> QuerySet[Vote]:
    return round_.votes.select_related("voter", "statement").order_by("cast_at", "pk")


def votes_of(*, round_: DecisionRound, user: AnyUser) -> list[Vote]:
    """What ``user`` cast in ``round_`` (a ballot, or one per judgement of a rapid round)."""
    if not user.is_authenticated:
        return []
    return list(round_votes(round_=round_).filter(voter_id=user.pk))


def has_voted(*, round_: DecisionRound, user: AnyUser) -> bool:
    return bool(user.is_authenticated) and round_.votes.filter(voter_id=user.pk).exists()


def decision_for_revision(*, revision: AdviceRevision) -> Decision | None:
    """The latest decision taken on this version (a closed round that voted on it)."""
    return (
        Decision.objects.filter(round__revision=revision)
        .select_related("round")
        .order_by("-closed_at", "-pk")
        .first()
    )


def decision_latest(*, request: AdviceRequest) -> Decision | None:
    """The decision of the request's most recently opened closed round."""
    last_round = (
        request.decision_rounds.filter(decision__isnull=False).order_by("-opened_at").first()
    )
    return last_round.decision if last_round else None


# --- sign-off and dispatch -------------------------------------------------------------------

#: The ``jobs`` kind of the background job that sends the advice (``advice.tasks``).
DISPATCH_KIND = "advice_dispatch"


def sign_off_latest(*, request: AdviceRequest) -> SignOff | None:
    """The chair's most recent signature (``None``: not signed)."""
    return request.sign_offs.select_related("chair", "revision").order_by("-at", "-pk").first()


def sign_off_for_revision(*, request: AdviceRequest, revision: AdviceRevision) -> SignOff | None:
    """The chair's most recent signature of this version."""
    return (
        request.sign_offs.filter(revision=revision)
        .select_related("chair")
        .order_by("-at", "-pk")
        .first()
    )


def dispatch_of(*, request: AdviceRequest) -> Dispatch | None:
    """How the advice was sent (its documents, embargo), or ``None`` while not sent."""
    return Dispatch.objects.filter(request=request).select_related("revision").first()


def publication_of(*, request: AdviceRequest) -> Publication | None:
    return Publication.objects.filter(request=request).first()


def dispatch_job_latest(*, request: AdviceRequest) -> Job | None:
    """The most recent dispatch job of ``request`` (shown on the dispatch page)."""
    return job_selectors.job_latest(kind=DISPATCH_KIND, params={"key": request.key})


def dispatch_job_running(*, request: AdviceRequest) -> bool:
    """Whether a dispatch job of ``request`` is queued or running."""
    return job_selectors.job_active_exists(kind=DISPATCH_KIND, params={"key": request.key})


# --- after dispatch: reflections, recommendations, the cabinet's response, follow-up ---------


def reflections(*, request: AdviceRequest) -> QuerySet[Reflection]:
    """Expert members' reflections, oldest first."""
    return request.reflections.select_related("author").order_by("submitted_at", "pk")


def recommendations(*, request: AdviceRequest) -> QuerySet[Recommendation]:
    """The numbered recommendations of the sent advice."""
    return request.recommendations.order_by("number")


def recommendation_statuses(*, response: CabinetResponse) -> list[RecommendationStatus]:
    """A cabinet response's status per recommendation, by recommendation number."""
    return list(
        response.statuses.select_related("recommendation").order_by("recommendation__number")
    )


def cabinet_responses(*, request: AdviceRequest) -> list[dict[str, Any]]:
    """The cabinet's responses, oldest first, each as ``{"response", "statuses"}`` with its
    status per recommendation (by recommendation number)."""
    statuses = Prefetch(
        "statuses",
        queryset=RecommendationStatus.objects.select_related("recommendation").order_by(
            "recommendation__number"
        ),
        to_attr="ordered_statuses",
    )
    rows = (
        request.cabinet_responses.select_related("recorded_by")
        .prefetch_related(statuses)
        .order_by("date", "pk")
    )
    return [{"response": row, "statuses": row.ordered_statuses} for row in rows]  # type: ignore[attr-defined]


def recommendation_history(*, request: AdviceRequest) -> list[dict[str, Any]]:
    """Each recommendation as ``{"recommendation", "statuses"}``: the cabinet's statuses of
    it in the order of their responses (date, then as recorded)."""
    rows = recommendations(request=request).prefetch_related("statuses__response")
    return [
        {
            "recommendation": rec,
            "statuses": sorted(rec.statuses.all(), key=lambda r: (r.response.date, r.response.pk)),
        }
        for rec in rows
    ]


def follow_ups(*, request: AdviceRequest) -> QuerySet[FollowUp]:
    """Parliamentary questions, motions and debates that followed the advice, oldest first."""
    return request.follow_ups.select_related("recorded_by").order_by("date", "pk")


# --- OMT information -------------------------------------------------------------------------


def omt_documents(*, request: AdviceRequest, user: AnyUser) -> list[OmtDocument] | None:
    """The OMT documents if ``user`` has access for this request, else ``None``."""
    briefing = request.omt_briefing
    if not user.is_authenticated or not can_view(user=user, obj=briefing):
        return None
    return list(briefing.documents.all())


# --- public ----------------------------------------------------------------------------------


def public_list() -> QuerySet[AdviceRequest]:
    """Published advice (embargo lifted), for the public register and pages."""
    return (
        _with_status(
            AdviceRequest.objects.filter(publication__isnull=False, exercise_run__isnull=True)
        )
        .filter(current_status__in=list(workflow.PUBLIC))
        .select_related("publication", "dispatch", "dispatch__revision")
        .order_by("-publication__published_at")
    )


def public_get(*, key: str) -> AdviceRequest | None:
    return public_list().filter(key=key).first()


def public_view(*, request: AdviceRequest) -> dict[str, Any]:
    """What the public page shows: the sent text, reflections, the cabinet's response."""
    revision = request.dispatch.revision
    sections = [
        {"key": key, "label": label, "text": str(revision.sections.get(key, ""))}
        for key, label in Section.choices
        if str(revision.sections.get(key, "")).strip()
    ]
    return {
        "request": request,
        "sections": sections,
        "recommendations": list(recommendations(request=request)),
        "reflections": list(reflections(request=request)),
        "responses": cabinet_responses(request=request),
        "follow_ups": list(follow_ups(request=request)),
        "decision": decision_latest(request=request),
    }


def register_rows(*, public: bool, user: AnyUser | None = None) -> list[dict[str, Any]]:
    """The register of all advice: name, asked or unasked, type, the key dates (``user``:
    whose staff register; the public register needs none)."""
    qs = public_list() if public else advice_list(user=user or _anonymous())
    first_response = Prefetch(
        "cabinet_responses",
        queryset=CabinetResponse.objects.order_by("date", "pk"),
        to_attr="responses_by_date",
    )
    rows = []
    for request in qs.select_related("publication", "dispatch").prefetch_related(first_response):
        dispatch = getattr(request, "dispatch", None)
        publication = getattr(request, "publication", None)
        responses = request.responses_by_date  # type: ignore[attr-defined]
        rows.append(
            {
                "request": request,
                "status": workflow.status_of(request),
                "asked": request.requester != "own_initiative",
                "received_at": request.received_at,
                "deadline": request.deadline,
                "sent_at": dispatch.sent_at if dispatch else None,
                "published_at": publication.published_at if publication else None,
                "cabinet_response": responses[0] if responses else None,
            }
        )
    return rows


def milestones(*, public: bool, user: AnyUser | None = None) -> list[dict[str, Any]]:
    """Dated milestones (received, sent, published, cabinet response) for the timeline."""
    rows = register_rows(user=user, public=public)
    out = []
    for row in rows:
        request = row["request"]
        for kind, moment in (
            ("received", row["received_at"]),
            ("sent", row["sent_at"]),
            ("published", row["published_at"]),
        ):
            if moment:
                out.append({"request": request, "kind": kind, "date": timezone.localdate(moment)})
        if row["cabinet_response"]:
            out.append(
                {
                    "request": request,
                    "kind": "cabinet_response",
                    "date": row["cabinet_response"].date,
                }
            )
    out.sort(key=lambda m: (m["date"], m["request"].title))
    return out


def _anonymous() -> AnyUser:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def confidential(request: AdviceRequest) -> bool:
    return request.confidentiality == Confidentiality.CONFIDENTIAL


def request_name(request: AdviceRequest, *, quoted: bool = False) -> str:
    """How mails and items made from a request name it: never a confidential request's
    title (``quoted``: the title between quotes, as in a sentence)."""
    if confidential(request):
        return str(_("een vertrouwelijke adviesaanvraag"))
    return f"‘{request.title}’" if quoted else request.title


# --- the public timeline ---------------------------------------------------------------------

MAX_DAYS = 6 * 366
"""At most this many days in the public timeline (the latest ones)."""

MILESTONE_KINDS = ("received", "sent", "published", "cabinet_response")


def milestone_label(kind: str) -> str:
    labels = {
        "received": _("adviesaanvraag ontvangen"),
        "sent": _("verzonden aan de secretaris-generaal"),
        "published": _("gepubliceerd"),
        "cabinet_response": _("kabinetsreactie"),
    }
    return str(labels.get(kind, kind))


@dataclass
class HospitalSeries:
    name: str
    unit: str
    source: str
    source_url: str
    licence: str
    synthetic: bool
    values: dict[dt.date, float | None]

    @property
    def points(self) -> list[tuple[dt.date, float]]:
        return [
            (day, value)
            for day, value in sorted(self.values.items())
            if value is not None and math.isfinite(value)
        ]

    @property
    def first(self) -> dt.date | None:
        points = self.points
        return points[0][0] if points else None

    @property
    def last(self) -> tuple[dt.date, float] | None:
        points = self.points
        return points[-1] if points else None

    @property
    def peak(self) -> tuple[dt.date, float] | None:
        points = self.points
        return max(points, key=lambda p: (p[1], p[0])) if points else None

    @property
    def low(self) -> tuple[dt.date, float] | None:
        points = self.points
        return min(points, key=lambda p: (p[1], p[0])) if points else None

    @property
    def mean(self) -> float | None:
        points = self.points
        return sum(v for _d, v in points) / len(points) if points else None


@dataclass
class PublicTimeline:
    milestones: list[dict[str, Any]]
    start: dt.date | None
    end: dt.date | None
    hospital: HospitalSeries | None
    hospital_indicator: bool
    """A public hospital indicator exists (it may still have no figures for the period)."""

    @property
    def days(self) -> list[dt.date]:
        if self.start is None or self.end is None:
            return []
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def rows(self) -> list[dict[str, Any]]:
        """One row per day: the admissions and the milestones of that day."""
        by_day: dict[dt.date, list[dict[str, Any]]] = {}
        for milestone in self.milestones:
            by_day.setdefault(milestone["date"], []).append(milestone)
        values = self.hospital.values if self.hospital else {}
        return [
            {"date": day, "hospital": values.get(day), "milestones": by_day.get(day, [])}
            for day in self.days
        ]


def public_timeline(*, margin_days: int = 28) -> PublicTimeline:
    """The milestones of published advice and, around them, the public hospital series:
    ``margin_days`` of admissions before the first and after the last milestone (not beyond
    today), at most :data:`MAX_DAYS` days. Read as an anonymous visitor."""
    from paraat.indicators.selectors import indicator_get, series_as_of
    from paraat.measures.timeline import HOSPITAL_KEYS

    dated = [{**m, "label": milestone_label(m["kind"])} for m in milestones(public=True)]
    if not dated:
        return PublicTimeline(
            milestones=[], start=None, end=None, hospital=None, hospital_indicator=False
        )
    start = dated[0]["date"] - dt.timedelta(days=margin_days)
    last = dated[-1]["date"]
    end = max(last, min(last + dt.timedelta(days=margin_days), timezone.localdate()))
    start = max(start, end - dt.timedelta(days=MAX_DAYS - 1))
    indicator = indicator_get(key=HOSPITAL_KEYS["hospital_7d"], user=_anonymous())
    hospital = None
    if indicator is not None:
        values = {
            point.period.start: point.value
            for point in series_as_of(indicator=indicator, start=start, end=end)
        }
        hospital = HospitalSeries(
            name=indicator.name,
            unit=indicator.unit,
            source=indicator.source,
            source_url=indicator.source_url,
            licence=indicator.licence,
            synthetic=indicator.is_synthetic,
            values=values,
        )
    if hospital is not None:
        for milestone in dated:
            milestone["hospital"] = hospital.values.get(milestone["date"])
    return PublicTimeline(
        milestones=dated,
        start=start,
        end=end,
        hospital=hospital,
        hospital_indicator=indicator is not None,
    )
