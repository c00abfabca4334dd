"""Staff pages of the decision and what follows it: the vote, sign-off and dispatch, the
embargo and publication, expert members' reflections, the cabinet response and follow-up.

Views parse input, call ``advice.services`` / ``advice.selectors`` / ``advice.tasks`` and
render. A request the user may not see is a 404 (``selectors.advice_get``); an action their
role does not allow is a 403; a refused write comes back on the form (status 400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from paraat.advice import selectors, services, tasks, workflow
from paraat.advice.documents import FORMATS, document_filename
from paraat.advice.forms_decision import (
    CabinetResponseForm,
    DispatchForm,
    FollowUpForm,
    PublishForm,
    RapidVoteForm,
    ReflectionForm,
    RoundCloseForm,
    RoundOpenForm,
    VoteForm,
)
from paraat.advice.models import (
    AdviceRequest,
    AdviceStatus,
    DecisionMode,
    DecisionOutcome,
    DecisionRound,
    Vote,
)
from paraat.advice.views_common import (
    advice_or_404,
    file_response,
    form_action,
    form_errors,
    label,
    require,
    user_of,
)

S = AdviceStatus
RESPONSE_STATUSES = frozenset({S.PUBLISHED, S.CABINET_RESPONSE, S.FOLLOW_UP})


# --- the vote -------------------------------------------------------------------------------------


def _vote_url(advice: AdviceRequest) -> str:
    return reverse("advice:vote", kwargs={"key": advice.key})


def _tally_rows(round_: DecisionRound, tally: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per question: the whole version, or each judgement of a rapid round."""
    if "statements" not in tally:
        return [{"statement": None, "tally": tally, "outcome": _outcome(tally)}]
    statements = {str(s.order): s for s in selectors.round_statements(round_=round_)}
    return [
        {"statement": statements.get(order), "tally": entry, "outcome": _outcome(entry)}
        for order, entry in sorted(tally["statements"].items(), key=lambda kv: int(kv[0]))
    ]


def _outcome(tally: dict[str, Any]) -> str:
    return label(DecisionOutcome, str(tally.get("outcome", "")))


def _ballots(round_: DecisionRound) -> tuple[list[Vote], list[Vote]]:
    """(counted ballots, expert members' positions) of a round, in order of casting."""
    rows = list(selectors.round_votes(round_=round_))
    return [v for v in rows if v.counted], [v for v in rows if not v.counted]


def _round_view(round_: DecisionRound, *, tally: dict[str, Any] | None) -> dict[str, Any]:
    decision = getattr(round_, "decision", None)
    return {
        "round": round_,
        "rapid": round_.mode == DecisionMode.RAPID,
        "statements": selectors.round_statements(round_=round_),
        "decision": decision,
        "outcome": label(DecisionOutcome, decision.outcome) if decision else "",
        "tally_rows": _tally_rows(round_, tally) if tally is not None else [],
    }


def _vote_form(
    request: HttpRequest, round_: DecisionRound, data: Any = None
) -> VoteForm | RapidVoteForm:
    if round_.mode == DecisionMode.RAPID:
        return RapidVoteForm(
            data, statements=selectors.round_statements(round_=round_), prefix="vote"
        )
    return VoteForm(data, prefix="vote")


def _vote_page(
    request: HttpRequest,
    advice: AdviceRequest,
    *,
    open_form: RoundOpenForm | None = None,
    vote_form: VoteForm | RapidVoteForm | None = None,
    close_form: RoundCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    current = selectors.round_open(request=advice)
    can_vote = workflow.can_vote(user)  # type: ignore[arg-type]
    takes_position = not can_vote and workflow.may_take_position(user)  # type: ignore[arg-type]
    context: dict[str, Any] = {
        "advice": advice,
        "status": label(AdviceStatus, selectors.status_of(advice)),
        "current": None,
        "can_vote": can_vote,
        "takes_position": takes_position,
        "open_form": None,
        "vote_form": None,
        "close_form": None,
        "my_votes": [],
        "show_tally": False,
        "positions": [],
    }
    if current is not None:
        sees_tally = selectors.may(user=user, action="close_vote")
        tally = services.round_tally(round_=current) if sees_tally else None
        context["current"] = _round_view(current, tally=tally)
        context["show_tally"] = sees_tally
        if sees_tally:
            context["positions"] = _ballots(current)[1]
        context["my_votes"] = selectors.votes_of(round_=current, user=user)
        if not context["my_votes"] and (can_vote or takes_position):
            context["vote_form"] = vote_form or _vote_form(request, current)
        if sees_tally:
            context["close_form"] = close_form or RoundCloseForm(prefix="close")
    elif selectors.may(user=user, action="manage") and selectors.status_of(advice) in (
        S.FINAL_DRAFT,
        S.DECISION,
    ):
        context["open_form"] = open_form or RoundOpenForm(prefix="open", deadline=advice.deadline)
    past = []
    for round_ in selectors.rounds_decided(request=advice):
        view = _round_view(round_, tally=round_.decision.tally or {})
        view["ballots"], view["round_positions"] = _ballots(round_)
        past.append(view)
    context["past"] = list(reversed(past))
    return render(request, "advice/vote.html", context, status=status)


@require_GET
def vote(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "view_drafts")
    return _vote_page(request, advice)


@require_POST
def vote_open(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "manage")
    form = RoundOpenForm(request.POST, prefix="open", deadline=advice.deadline)
    done = form_action(
        request,
        form,
        lambda data: services.decision_round_open(
            request=advice,
            actor=user_of(request),
            mode=data["mode"],
            closes_at=data["closes_at"],
            statements=form.statement_lines(),
            quorum=data["quorum"],
        ),
        success=_("De stemming is geopend."),
        to=_vote_url(advice),
    )
    return done or _vote_page(request, advice, open_form=form, status=400)


def _answers(form: VoteForm | RapidVoteForm) -> list[services.Answer]:
    if isinstance(form, RapidVoteForm):
        return [
            services.Answer(choice, reason, statement)
            for statement, choice, reason in form.answers()
        ]
    return [services.Answer(form.cleaned_data["choice"], form.cleaned_data["reason"])]


@require_POST
def vote_cast(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "view_drafts")
    current = selectors.round_open(request=advice)
    if current is None:
        messages.error(request, _("Er loopt geen stemming."))
        return redirect(_vote_url(advice))
    form = _vote_form(request, current, request.POST)
    done = form_action(
        request,
        form,
        lambda _data: services.vote_cast(
            round_=current, voter=user_of(request), answers=_answers(form)
        ),
        success=_("Uw stem is vastgelegd.")
        if workflow.can_vote(user_of(request))
        else _("Uw standpunt is vastgelegd (het telt niet mee in de uitslag)."),
        to=_vote_url(advice),
    )
    if done:
        return done
    if selectors.has_voted(round_=current, user=request.user):
        # Already voted: the ballot stands; show it with the refusal, not a new form.
        for error in form.errors.values():
            for message in error:
                messages.error(request, message)
        return _vote_page(request, advice, status=400)
    return _vote_page(request, advice, vote_form=form, status=400)


@require_POST
def vote_close(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "close_vote")
    current = selectors.round_open(request=advice)
    if current is None:
        messages.error(request, _("Er loopt geen stemming."))
        return redirect(_vote_url(advice))
    form = RoundCloseForm(request.POST, prefix="close")
    done = form_action(
        request,
        form,
        lambda data: services.decision_round_close(
            round_=current,
            actor=user_of(request),
            minority_position=data["minority_position"],
        ),
        success=lambda decision: (
            _("De stemming is gesloten. Uitkomst: %(o)s.")
            % {"o": label(DecisionOutcome, decision.outcome)}
        ),
        to=_vote_url(advice),
    )
    return done or _vote_page(request, advice, close_form=form, status=400)


# --- sign-off, dispatch, publication, reflections -------------------------------------------------


def _dispatch_url(advice: AdviceRequest) -> str:
    return reverse("advice:dispatch", kwargs={"key": advice.key})


def _dispatch_page(
    request: HttpRequest,
    advice: AdviceRequest,
    *,
    dispatch_form: DispatchForm | None = None,
    publish_form: PublishForm | None = None,
    reflection_form: ReflectionForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    current = selectors.status_of(advice)
    dispatch = selectors.dispatch_of(request=advice)
    # Before dispatch: the signature on the adopted version (a signature on an earlier
    # version does not count); after it: the signature that was sent.
    sign_off = (
        selectors.sign_off_latest(request=advice)
        if dispatch is not None
        else selectors.signed_adopted(request=advice)
    )
    may_sign = selectors.may(user=user, action="sign_off")
    context: dict[str, Any] = {
        "advice": advice,
        "status": label(AdviceStatus, current),
        "status_key": current,
        "sign_off": sign_off,
        "dispatch": dispatch,
        "publication": selectors.publication_of(request=advice),
        "can_view_drafts": selectors.may(user=user, action="view_drafts"),
        "can_sign": may_sign and current == S.ALIGNMENT and sign_off is None,
        "dispatch_form": None,
        "publish_form": None,
        "reflection_form": None,
        "reflections": list(selectors.reflections(request=advice)),
        "job": selectors.dispatch_job_latest(request=advice) if may_sign else None,
        "files": [],
        "errors": errors or [],
    }
    if dispatch is None and may_sign and current == S.ALIGNMENT and sign_off is not None:
        context["dispatch_form"] = dispatch_form or DispatchForm(prefix="dispatch")
    if dispatch is not None:
        context["files"] = [
            {"fmt": fmt, "label": fmt.upper()} for fmt in FORMATS if getattr(dispatch, fmt)
        ]
        if current == S.EMBARGO and selectors.may(user=user, action="manage"):
            context["publish_form"] = publish_form or PublishForm(prefix="publish")
    if workflow.may_take_position(user) and current != S.WITHDRAWN:  # type: ignore[arg-type]
        context["reflection_form"] = reflection_form or ReflectionForm(
            prefix="reflection",
            initial={"institution": getattr(user, "organisation", "")},
        )
    return render(request, "advice/dispatch.html", context, status=status)


@require_POST
def sign_off(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "view")
    try:
        services.advice_sign_off(request=advice, actor=user_of(request))
    except ValidationError as exc:
        return _dispatch_page(request, advice, errors=list(exc.messages), status=400)
    messages.success(request, _("Het advies is ondertekend; het kan nu worden verzonden."))
    return redirect(_dispatch_url(advice))


@require_http_methods(["GET", "POST"])
def dispatch(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "view")
    if request.method != "POST":
        return _dispatch_page(request, advice)
    require(request, "sign_off")
    form = DispatchForm(request.POST, prefix="dispatch")
    if form.is_valid():
        data = form.cleaned_data
        try:
            job = tasks.dispatch_start(
                request=advice,
                actor=user_of(request),
                recipient=data["recipient"],
                embargo_until=data["embargo_until"],
                embargo_note=data["embargo_note"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect("jobs:detail", job_id=job.pk)
    return _dispatch_page(request, advice, dispatch_form=form, status=400)


@require_GET
def dispatch_file(request: HttpRequest, key: str, fmt: str) -> FileResponse:
    """The sent PDF or DOCX as a private attachment, for whoever may see the request."""
    advice = advice_or_404(request, key, "view")
    dispatch = selectors.dispatch_of(request=advice)
    if dispatch is None or fmt not in FORMATS:
        raise Http404
    return file_response(
        getattr(dispatch, fmt),
        filename=document_filename(request=advice, revision=dispatch.revision, fmt=fmt),
        content_type=FORMATS[fmt],
        private=True,
    )


@require_POST
def publish(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "manage")
    form = PublishForm(request.POST, prefix="publish")
    done = form_action(
        request,
        form,
        lambda data: services.advice_publish(
            request=advice, actor=user_of(request), url=data["url"]
        ),
        success=_("Het embargo is opgeheven; het advies is openbaar."),
        to=_dispatch_url(advice),
    )
    return done or _dispatch_page(request, advice, publish_form=form, status=400)


@require_POST
def reflection_add(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "view")
    if not workflow.may_take_position(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Alleen expertleden schrijven een reflectie."))
    form = ReflectionForm(request.POST, prefix="reflection")
    done = form_action(
        request,
        form,
        lambda data: services.reflection_add(
            request=advice,
            actor=user_of(request),
            body=data["body"],
            institution=data["institution"],
        ),
        success=_("Uw reflectie is toegevoegd."),
        to=_dispatch_url(advice),
    )
    return done or _dispatch_page(request, advice, reflection_form=form, status=400)


# --- cabinet response and follow-up ---------------------------------------------------------------


def _cabinet_url(advice: AdviceRequest) -> str:
    return reverse("advice:cabinet-response", kwargs={"key": advice.key})


def _response_form(advice: AdviceRequest, data: Any = None) -> CabinetResponseForm:
    return CabinetResponseForm(
        data, recommendations=list(selectors.recommendations(request=advice)), prefix="response"
    )


def _cabinet_page(
    request: HttpRequest,
    advice: AdviceRequest,
    *,
    response_form: CabinetResponseForm | None = None,
    follow_up_form: FollowUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    current = selectors.status_of(advice)
    may_record = selectors.may(user=request.user, action="cabinet_response")
    open_for_response = current in RESPONSE_STATUSES
    context = {
        "advice": advice,
        "status": label(AdviceStatus, current),
        "open_for_response": open_for_response,
        "recommendations": list(selectors.recommendations(request=advice)),
        "responses": selectors.cabinet_responses(request=advice),
        "follow_ups": list(selectors.follow_ups(request=advice)),
        "response_form": (response_form or _response_form(advice))
        if may_record and open_for_response
        else None,
        "follow_up_form": (follow_up_form or FollowUpForm(prefix="follow"))
        if may_record and open_for_response
        else None,
    }
    return render(request, "advice/cabinet_response.html", context, status=status)


@require_http_methods(["GET", "POST"])
def cabinet_response(request: HttpRequest, key: str) -> HttpResponse:
    if request.method != "POST":
        return _cabinet_page(request, advice_or_404(request, key, "view"))
    advice = advice_or_404(request, key, "cabinet_response")
    form = _response_form(advice, request.POST)
    done = form_action(
        request,
        form,
        lambda data: services.cabinet_response_record(
            request=advice,
            actor=user_of(request),
            data=services.CabinetResponseData(
                date=data["date"],
                title=data["title"],
                url=data["url"],
                summary=data["summary"],
                statuses=form.statuses(),
            ),
        ),
        success=_("De kabinetsreactie is vastgelegd."),
        to=_cabinet_url(advice),
    )
    return done or _cabinet_page(request, advice, response_form=form, status=400)


@require_POST
def follow_up_add(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "cabinet_response")
    form = FollowUpForm(request.POST, prefix="follow")
    done = form_action(
        request,
        form,
        lambda data: services.follow_up_add(
            request=advice,
            actor=user_of(request),
            kind=data["kind"],
            title=data["title"],
            date=data["date"],
            reference=data["reference"],
            url=data["url"],
            note=data["note"],
        ),
        success=_("De opvolging is vastgelegd."),
        to=_cabinet_url(advice),
    )
    return done or _cabinet_page(request, advice, follow_up_form=form, status=400)
