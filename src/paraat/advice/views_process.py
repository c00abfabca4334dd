"""Pages of the advice process: the requests, their status and timeline, the requests for
input with their secure answer form, the confidential OMT information and the register.

Views parse input, call ``advice.services`` / ``advice.selectors`` and render. A request
the user may not see is a 404 (its existence is not revealed); an action the user's role
does not allow is a 403. The advice request is called ``advice`` in template contexts,
because ``request`` is the HTTP request there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from paraat.accounts.selectors import access_grant_list, visible_levels
from paraat.advice import selectors, services, workflow
from paraat.advice.forms_process import (
    InformationItemForm,
    InputRequestForm,
    InputResponseForm,
    OmtDocumentForm,
    OmtGrantForm,
    RequestForm,
    TransitionForm,
)
from paraat.advice.models import AdviceRequest, AdviceStatus, RecipientKind
from paraat.advice.views_common import (
    advice_or_404,
    csv_response,
    form_action,
    form_errors,
    may,
    require,
    user_of,
)
from paraat.assessments.selectors import assessment_list, assessment_visible
from paraat.evidence import selectors as evidence_selectors
from paraat.measures.selectors import package_list
from paraat.network import selectors as network_selectors
from paraat.taxonomies.selectors import group_list
from paraat_core import phases

S = AdviceStatus

_READ_LOG_SHOWN = 200


# --- helpers ------------------------------------------------------------------------------------


def _status(value: str) -> AdviceStatus:
    return S(value) if value in S.values else S.RECEIVED


def _detail_url(advice: AdviceRequest) -> str:
    return reverse("advice:detail", kwargs={"key": advice.key})


def _request_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> RequestForm:
    return RequestForm(
        data,
        packages=package_list(user=request.user),
        assessments=assessment_list(user=request.user),
        levels=visible_levels(user=request.user),
        **kwargs,
    )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- list and register -------------------------------------------------------------------------


def advice_list(request: HttpRequest) -> HttpResponse:
    require(request, "view")
    status = request.GET.get("status", "")
    if status not in S.values:
        status = ""
    query = request.GET.get("q", "").strip()[:200]
    now = timezone.now()
    rows = []
    for advice in selectors.advice_list(user=request.user, status=status, query=query):
        current = _status(selectors.status_of(advice))
        rows.append(
            {
                "advice": advice,
                "status": current,
                "countdown": selectors.deadline_countdown(request=advice, status=current, now=now),
            }
        )
    return render(
        request,
        "advice/list.html",
        {
            "rows": rows,
            "status": status,
            "query": query,
            "status_choices": S.choices,
            "overdue": sum(1 for row in rows if row["countdown"] and row["countdown"].overdue),
            "can_create": may(request, "create"),
        },
    )


_REGISTER_HEADER = (
    gettext_lazy("naam"),
    gettext_lazy("gevraagd of ongevraagd"),
    gettext_lazy("soort"),
    gettext_lazy("ontvangen"),
    gettext_lazy("deadline"),
    gettext_lazy("verzonden"),
    gettext_lazy("gepubliceerd"),
    gettext_lazy("kabinetsreactie"),
    gettext_lazy("status"),
)


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _register_csv(rows: list[dict[str, Any]]) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    return csv_response(
        f"paraat-adviesregister-{stamp}.csv",
        [str(label) for label in _REGISTER_HEADER],
        [
            [
                row["request"].title,
                _("gevraagd") if row["asked"] else _("ongevraagd"),
                row["request"].get_kind_display(),
                _local(row["received_at"]),
                _local(row["deadline"]),
                _local(row["sent_at"]),
                _local(row["published_at"]),
                row["cabinet_response"].date.isoformat() if row["cabinet_response"] else "",
                str(_status(row["status"]).label),
            ]
            for row in rows
        ],
    )


def advice_register(request: HttpRequest) -> HttpResponse:
    require(request, "view")
    rows = selectors.register_rows(user=request.user, public=False)
    if request.GET.get("format") == "csv":
        return _register_csv(rows)
    for row in rows:
        row["status_label"] = _status(row["status"])
    return render(request, "advice/register.html", {"rows": rows})


# --- create and edit ----------------------------------------------------------------------------


def advice_create(request: HttpRequest) -> HttpResponse:
    require(request, "create")
    form = _request_form(request, _posted(request), initial={"received_at": timezone.now()})
    if request.method == "POST":
        done = form_action(
            request,
            form,
            lambda _data: services.advice_request_create(
                data=form.to_data(), actor=user_of(request)
            ),
            success=_("De adviesaanvraag is geregistreerd."),
            to=_detail_url,
        )
        return done or render(
            request, "advice/request_form.html", {"form": form, "advice": None}, status=400
        )
    return render(request, "advice/request_form.html", {"form": form, "advice": None})


def advice_edit(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "manage")
    form = _request_form(
        request,
        _posted(request),
        initial=RequestForm.initial_for(advice, option_ids=selectors.option_ids(request=advice)),
    )
    if request.method == "POST":
        done = form_action(
            request,
            form,
            lambda _data: services.advice_request_update(
                request=advice,
                data=form.to_data(
                    keep_options=selectors.options_hidden(request=advice, user=request.user)
                ),
                actor=user_of(request),
            ),
            success=_("De adviesaanvraag is bijgewerkt."),
            to=_detail_url,
        )
        return done or render(
            request, "advice/request_form.html", {"form": form, "advice": advice}, status=400
        )
    return render(request, "advice/request_form.html", {"form": form, "advice": advice})


# --- detail and status ------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    advice: AdviceRequest,
    *,
    status_code: int = 200,
    transition_form: TransitionForm | None = None,
    info_form: InformationItemForm | None = None,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    current = _status(selectors.status_of(advice))
    allowed = {action: may(request, action) for action in workflow.ACTIONS}
    moves = workflow.moves(user=user, current=current)
    hints = [
        str(workflow.action_hint(to))
        for to in workflow.NEXT.get(current, ())
        if to in workflow.ACTION_ONLY and workflow.action_hint(to)
    ]
    dispatch = selectors.dispatch_of(request=advice)
    context = {
        "advice": advice,
        "status": current,
        "countdown": selectors.deadline_countdown(request=advice, status=current, now=now),
        "history": list(selectors.status_history(request=advice)),
        "moves": [S(to) for to in moves],
        "hints": hints,
        "transition_form": transition_form or TransitionForm(),
        "may": allowed,
        "options": list(selectors.options_visible(request=advice, user=user)),
        "assessment": advice.assessment
        if advice.assessment is not None
        and assessment_visible(user=user, assessment=advice.assessment)
        else None,
        "information": selectors.information_items(request=advice, user=user),
        "info_form": (info_form or InformationItemForm()) if allowed["manage"] else None,
        "inputs": selectors.input_overview(request=advice, now=now)
        if allowed["view_drafts"]
        else None,
        "dispatch": dispatch,
        "after_dispatch": current in workflow.AFTER_DISPATCH and dispatch is not None,
        "published": current in workflow.PUBLIC,
        "omt_link": allowed["view_drafts"] or allowed["grant_omt"],
    }
    return render(request, "advice/detail.html", context, status=status_code)


def advice_detail(request: HttpRequest, key: str) -> HttpResponse:
    return _detail(request, advice_or_404(request, key))


@require_POST
def advice_transition(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key)
    form = TransitionForm(request.POST)
    done = form_action(
        request,
        form,
        lambda data: services.advice_transition(
            request=advice, to=data["to"], actor=user_of(request), note=data["note"]
        ),
        success=lambda _moved: (
            _("De status is nu: %(status)s.") % {"status": _status(form.cleaned_data["to"]).label}
        ),
        to=_detail_url(advice),
    )
    return done or _detail(request, advice, status_code=400, transition_form=form)


@require_POST
def information_add(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "manage")
    form = InformationItemForm(request.POST)

    def add(data: dict[str, Any]) -> Any:
        evidence = None
        if data["evidence"]:
            evidence = evidence_selectors.evidence_get(user=request.user, pk=data["evidence"])
            if evidence is None:
                raise ValidationError({"evidence": _("Geen item met dit nummer dat u mag inzien.")})
        return services.information_item_add(
            request=advice,
            actor=user_of(request),
            title=data["title"],
            url=data["url"],
            evidence=evidence,
            received_at=data["received_at"],
        )

    done = form_action(
        request,
        form,
        add,
        success=_("Het stuk is aan het informatiepakket toegevoegd."),
        to=_detail_url(advice),
    )
    return done or _detail(request, advice, status_code=400, info_form=form)


def advice_timeline(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key)
    now = timezone.now()
    line = selectors.timeline(request=advice, now=now)
    longest = max((stay.hours for stay in line.phases), default=0.0) or 1.0
    rows = []
    counting = True
    for stay in line.phases:
        if stay.phase == S.SENT:
            counting = False
        rows.append(
            {
                "status": _status(stay.phase),
                "start": stay.start,
                "end": stay.end,
                "hours": stay.hours,
                "counts": counting,
            }
        )
    dispatch = selectors.dispatch_of(request=advice)
    allowed_hours = (advice.deadline - advice.received_at) / phases.HOUR
    return render(
        request,
        "advice/timeline.html",
        {
            "advice": advice,
            "status": _status(selectors.status_of(advice)),
            "line": line,
            "rows": rows,
            "longest": longest,
            "per_phase": [(_status(key), hours) for key, hours in line.hours.items()],
            "allowed_hours": allowed_hours,
            "sent_at": dispatch.sent_at if dispatch else None,
            "countdown": line.countdown,
        },
    )


# --- OMT information ----------------------------------------------------------------------------


def _omt_url(advice: AdviceRequest) -> str:
    return reverse("advice:omt", kwargs={"key": advice.key})


def _omt_page(
    request: HttpRequest,
    advice: AdviceRequest,
    *,
    status_code: int = 200,
    document_form: OmtDocumentForm | None = None,
    grant_form: OmtGrantForm | None = None,
) -> HttpResponse:
    documents = selectors.omt_documents(request=advice, user=request.user)
    if documents is None:
        return render(request, "advice/omt.html", {"advice": advice, "no_access": True}, status=403)
    briefing = selectors.omt_briefing(request=advice)
    services.omt_read_log(briefing=briefing, user=user_of(request))
    can_grant = may(request, "grant_omt")
    context: dict[str, Any] = {"advice": advice, "no_access": False, "documents": documents}
    if can_grant:
        context.update(
            {
                "can_grant": True,
                "document_form": document_form or OmtDocumentForm(),
                "grant_form": grant_form or OmtGrantForm(grantees=selectors.drafts_readers()),
                "grants": list(access_grant_list(obj=briefing)),
                "reads": list(selectors.omt_reads(briefing=briefing)[:_READ_LOG_SHOWN]),
                "reads_shown": _READ_LOG_SHOWN,
                "now": timezone.now(),
            }
        )
    return render(request, "advice/omt.html", context, status=status_code)


def advice_omt(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "view_drafts", "grant_omt")
    return _omt_page(request, advice)


@require_POST
def omt_grant(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "grant_omt")
    form = OmtGrantForm(request.POST, grantees=selectors.drafts_readers())
    done = form_action(
        request,
        form,
        lambda data: services.omt_access_grant(
            request=advice,
            actor=user_of(request),
            grantee=data["grantee"],
            reason=data["reason"],
            valid_until=data["valid_until"],
        ),
        success=lambda grant: (
            _("%(who)s heeft toegang tot de OMT-informatie van dit advies.")
            % {"who": grant.grantee_user}
        ),
        to=_omt_url(advice),
    )
    return done or _omt_page(request, advice, status_code=400, grant_form=form)


@require_POST
def omt_add(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "grant_omt")
    form = OmtDocumentForm(request.POST)
    done = form_action(
        request,
        form,
        lambda data: services.omt_document_add(
            request=advice, actor=user_of(request), title=data["title"], body=data["body"]
        ),
        success=_("Het OMT-stuk is toegevoegd."),
        to=_omt_url(advice),
    )
    return done or _omt_page(request, advice, status_code=400, document_form=form)


# --- requests for input -----------------------------------------------------------------------


def _inputs_url(advice: AdviceRequest) -> str:
    return reverse("advice:inputs", kwargs={"key": advice.key})


def _suggested_deadline(advice: AdviceRequest, now: dt.datetime) -> dt.datetime | None:
    """A day from now, but not after the advice's own deadline."""
    if advice.deadline <= now:
        return None
    return min(now + dt.timedelta(hours=24), advice.deadline)


def _circle_response(row: Any, circle_hours: dict[str, int]) -> dict[str, Any]:
    """The committed response time (hours) of the practice circle a request for input went to
    (a circle's name is recorded as the organisation), and whether the deadline given was
    shorter than that."""
    if row.recipient_kind != RecipientKind.PRACTICE_CIRCLE:
        return {}
    hours = circle_hours.get(row.organisation)
    if hours is None:
        return {}
    return {
        "response_hours": hours,
        "shorter_than_committed": row.deadline - row.sent_at < dt.timedelta(hours=hours),
    }


@require_http_methods(["GET", "POST"])
def advice_inputs(request: HttpRequest, key: str) -> HttpResponse:
    advice = advice_or_404(request, key, "view_drafts")
    can_manage = may(request, "manage")
    if request.method == "POST":
        require(request, "manage")
    now = timezone.now()
    current = _status(selectors.status_of(advice))
    form = None
    status_code = 200
    if can_manage:
        form = InputRequestForm(
            _posted(request),
            recipients=selectors.input_recipients(),
            initial={"deadline": _suggested_deadline(advice, now)},
        )
    if request.method == "POST" and form is not None:
        done = form_action(
            request,
            form,
            lambda _data: services.input_request_create(
                request=advice, data=form.to_data(), actor=user_of(request)
            )[0],
            success=lambda row: (
                _("De uitvraag is verstuurd aan %(name)s (%(email)s).")
                % {"name": row.recipient_name, "email": row.recipient_email}
            ),
            to=_inputs_url(advice),
        )
        if done:
            return done
        status_code = 400
    circle_hours = network_selectors.circle_response_hours()
    rows = [
        {
            "input": row,
            "state": selectors.input_state(input_request=row, now=now),
            **_circle_response(row, circle_hours),
        }
        for row in selectors.input_requests(request=advice)
    ]
    return render(
        request,
        "advice/inputs.html",
        {
            "advice": advice,
            "status": current,
            "rows": rows,
            "overview": selectors.input_overview(request=advice, now=now),
            "form": form,
            "input_closed": current in workflow.INPUT_CLOSED,
            "can_manage": can_manage,
        },
        status=status_code,
    )


@require_POST
def input_revoke(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    advice = advice_or_404(request, key, "manage")
    row = selectors.input_request_get(request=advice, pk=pk)
    if row is None:
        raise Http404
    services.input_request_revoke(input_request=row, actor=user_of(request))
    messages.success(
        request,
        _("De uitvraag aan %(name)s is ingetrokken; de link werkt niet meer.")
        % {"name": row.recipient_name},
    )
    return redirect(_inputs_url(advice))


def _private(response: HttpResponse) -> HttpResponse:
    """Headers for pages whose address carries a secret token: never cached, never indexed,
    and the address never leaves the site in a ``Referer`` header. ``strict-origin`` (the
    origin only, never the path) rather than ``no-referrer``: under ``no-referrer`` browsers
    send ``Origin: null`` with the form's POST and Django's CSRF check refuses it."""
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def input_respond(request: HttpRequest, token: str) -> HttpResponse:
    """The secure link: anyone holding it may answer once, no login needed."""
    row = services.input_request_by_token(token)
    if row is None:
        return _private(render(request, "advice/input_respond.html", {"unknown": True}, status=404))
    advice = row.request
    form = InputResponseForm(_posted(request), groups=group_list())
    status_code = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            try:
                services.input_response_submit(
                    input_request=row,
                    data=form.to_data(),
                    user=user if user is not None and user.pk == row.recipient_id else None,
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                return _private(
                    render(request, "advice/input_done.html", {"recipient": row.recipient_name})
                )
        status_code = 400
    return _private(
        render(
            request,
            "advice/input_respond.html",
            {
                "unknown": False,
                "input": row,
                "title": None if selectors.confidential(advice) else advice.title,
                "form": form,
            },
            status=status_code,
        )
    )
