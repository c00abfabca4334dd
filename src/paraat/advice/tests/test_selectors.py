"""Reads of the advice process (``advice.selectors``): who sees which request, the timeline of
where the hours went, overdue requests, diffs, comment threads, the input overview, and what
the public sees (only published advice)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import access_grant_create
from paraat.accounts.tests.factories import UserFactory
from paraat.advice import selectors, services
from paraat.advice.models import AdviceStatus, Section
from paraat.advice.tests.factories import SECTIONS, decided, input_make, request_make

pytestmark = pytest.mark.django_db

S = AdviceStatus
H = dt.timedelta(hours=1)


def now() -> dt.datetime:
    return timezone.now()


def send(request: Any, people: dict[str, Any]) -> Any:
    services.advice_sign_off(request=request, actor=people["chair"])
    dispatch = services.advice_dispatch(request=request, actor=people["chair"])
    request.refresh_from_db()  # the instance may hold "no dispatch" from before (audit log)
    return dispatch


def publish(request: Any, people: dict[str, Any], at: dt.datetime | None = None) -> Any:
    send(request, people)
    return services.advice_publish(request=request, actor=people["cpo"], at=at)


# --- visibility ---------------------------------------------------------------------------------


@pytest.fixture
def three(people: dict[str, Any]) -> dict[str, Any]:
    cpo = people["cpo"]
    t0 = now() - dt.timedelta(days=3)
    return {
        "public": request_make(
            actor=cpo, title="Openbaar", confidentiality=Confidentiality.PUBLIC, received_at=t0
        ),
        "internal": request_make(actor=cpo, title="Intern", received_at=t0 + H),
        "confidential": request_make(
            actor=cpo,
            title="Vertrouwelijk",
            confidentiality=Confidentiality.CONFIDENTIAL,
            received_at=t0 + 2 * H,
        ),
    }


def titles(user: Any) -> list[str]:
    return [r.title for r in selectors.advice_list(user=user)]


def test_list_per_role(people: dict[str, Any], three: dict[str, Any]) -> None:
    everything = ["Vertrouwelijk", "Intern", "Openbaar"]  # newest receipt first
    assert titles(people["cpo"]) == everything
    assert titles(people["admin"]) == []  # a technical role: nothing of the process
    for who in ("chair", "expert", "szw"):
        assert titles(people[who]) == ["Intern", "Openbaar"], who
    assert titles(people["members"][0]) == ["Intern", "Openbaar"]
    external = UserFactory(username="externe-expert", roles=[roles.EXTERNAL_EXPERT])
    circle = UserFactory(username="kringtrekker", roles=[roles.CIRCLE_LEAD])
    for user in (people["analyst"], external, circle, AnonymousUser()):
        assert titles(user) == [], user
        assert selectors.advice_get(user=user, key=three["public"].key) is None


def test_a_grant_opens_one_confidential_request(
    people: dict[str, Any], three: dict[str, Any]
) -> None:
    member, secret = people["members"][0], three["confidential"]
    assert selectors.advice_get(user=member, key=secret.key) is None
    # access to the OMT information is no access to the request itself
    services.omt_access_grant(request=secret, actor=people["cpo"], grantee=member, reason="r")
    assert selectors.advice_get(user=member, key=secret.key) is None
    access_grant_create(
        target=secret, granted_by=people["cpo"], reason="Meelezen", grantee_user=member
    )
    assert selectors.advice_get(user=member, key=secret.key) == secret
    assert selectors.advice_get(user=people["members"][1], key=secret.key) is None


def test_list_filters_by_status_and_title(people: dict[str, Any], three: dict[str, Any]) -> None:
    cpo = people["cpo"]
    services.advice_transition(request=three["internal"], to=S.DRAFT, actor=cpo)
    drafts = selectors.advice_list(user=cpo, status=S.DRAFT)
    assert [r.title for r in drafts] == ["Intern"]
    assert drafts[0].current_status == S.DRAFT  # type: ignore[attr-defined]
    assert [r.title for r in selectors.advice_list(user=cpo, query="trouw")] == ["Vertrouwelijk"]
    assert selectors.advice_get(user=cpo, key="bestaat-niet") is None


def test_may(people: dict[str, Any]) -> None:
    assert selectors.may(user=people["members"][0], action="view_drafts")
    assert not selectors.may(user=people["szw"], action="view_drafts")
    assert not selectors.may(user=AnonymousUser(), action="view")
    assert selectors.may_view(user=people["szw"])
    assert not selectors.may_view(user=people["analyst"])


# --- timeline -----------------------------------------------------------------------------------


def test_timeline_shows_where_the_hours_went(people: dict[str, Any]) -> None:
    cpo, chair = people["cpo"], people["chair"]
    t0 = (now() - 47 * H).replace(microsecond=0)
    request = request_make(actor=cpo, received_at=t0)  # deadline t0 + 48 h
    steps = [
        (S.INPUT_REQUESTED, 1, cpo),
        (S.DRAFT, 24, cpo),
        (S.FINAL_DRAFT, 30, cpo),
        (S.DECISION, 31, cpo),
    ]
    for status, hours, actor in steps:
        if status == S.DECISION:
            services.advice_revision_save(
                request=request, sections=SECTIONS, base_number=None, actor=cpo
            )
        services.advice_transition(request=request, to=status, actor=actor, at=t0 + hours * H)
    round_ = services.decision_round_open(request=request, actor=cpo)
    for voter in [chair, *people["members"]]:
        services.vote_cast(round_=round_, voter=voter, answers=[services.Answer("agree")])
    services.decision_round_close(round_=round_, actor=chair)
    services.advice_transition(request=request, to=S.ALIGNMENT, actor=chair, at=t0 + 40 * H)

    before = selectors.timeline(request=request, now=t0 + 45 * H)
    assert before.hours == {
        S.RECEIVED: 1.0,
        S.INPUT_REQUESTED: 23.0,
        S.DRAFT: 6.0,
        S.FINAL_DRAFT: 1.0,
        S.DECISION: 9.0,
        S.ALIGNMENT: 5.0,
    }
    assert before.total_hours == 45.0
    assert before.countdown is not None
    assert before.countdown.hours_left == 3.0
    assert before.countdown.warning and not before.countdown.overdue
    assert before.met_deadline is None
    assert [p.phase for p in before.phases][-1] == S.ALIGNMENT

    send(request, people)
    after = selectors.timeline(request=request, now=now() + 100 * H)
    assert after.countdown is None  # the deadline no longer runs
    assert after.met_deadline is True
    assert S.SENT not in after.hours and S.EMBARGO not in after.hours  # the clock stopped
    assert after.hours[S.DECISION] == 9.0
    sent_at = request.dispatch.sent_at
    assert after.total_hours == pytest.approx((sent_at - t0) / H)
    assert after.hours[S.ALIGNMENT] == pytest.approx((sent_at - t0) / H - 40)


def test_timeline_of_a_late_advice(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"], received_at=now() - 50 * H)
    running = selectors.timeline(request=request)
    assert running.countdown is not None and running.countdown.overdue
    assert running.countdown.hours_left == pytest.approx(-2.0, abs=0.01)
    decided(request=request, people=people)
    send(request, people)
    assert selectors.timeline(request=request).met_deadline is False


def test_timeline_of_a_withdrawn_request(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"])
    services.advice_transition(request=request, to=S.WITHDRAWN, actor=people["cpo"])
    line = selectors.timeline(request=request)
    assert line.countdown is None and line.met_deadline is None


def test_overdue_requests(people: dict[str, Any]) -> None:
    cpo, member = people["cpo"], people["members"][0]
    late = request_make(actor=cpo, title="Te laat", received_at=now() - 50 * H)
    request_make(actor=cpo, title="Op tijd")
    secret = request_make(
        actor=cpo,
        title="Te laat en vertrouwelijk",
        received_at=now() - 60 * H,
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    withdrawn = request_make(actor=cpo, title="Ingetrokken", received_at=now() - 50 * H)
    services.advice_transition(request=withdrawn, to=S.WITHDRAWN, actor=cpo)
    sent_late = decided(
        request=request_make(actor=cpo, title="Laat verzonden", received_at=now() - 50 * H),
        people=people,
    )
    send(sent_late, people)
    assert {r.title for r in selectors.overdue_requests(user=cpo)} == {late.title, secret.title}
    assert [r.title for r in selectors.overdue_requests(user=member)] == [late.title]
    assert selectors.overdue_requests(user=people["analyst"]) == []
    future = now() + 100 * H
    assert {r.title for r in selectors.overdue_requests(user=cpo, now=future)} == {
        late.title,
        secret.title,
        "Op tijd",
    }


def test_status_history_is_ordered(people: dict[str, Any]) -> None:
    t0 = now() - 10 * H
    request = request_make(actor=people["cpo"], received_at=t0)
    services.advice_transition(request=request, to=S.DRAFT, actor=people["cpo"], at=t0 + 2 * H)
    services.advice_transition(request=request, to=S.FEEDBACK, actor=people["cpo"], at=t0 + 2 * H)
    history = list(selectors.status_history(request=request))
    assert [c.status for c in history] == [S.RECEIVED, S.DRAFT, S.FEEDBACK]
    assert selectors.status_of(request) == S.FEEDBACK


# --- text, diffs and comments ---------------------------------------------------------------------


def test_text_diff_marks_words() -> None:
    ops = selectors.text_diff(
        "Geen inreisverbod voor reizigers.", "Wel een inreisverbod voor reizigers."
    )
    assert ops[0] == ("delete", "Geen")
    assert ("insert", "Wel een") in ops
    assert ("equal", " inreisverbod voor reizigers.") in ops
    assert selectors.text_diff("gelijk", "gelijk") == [("equal", "gelijk")]
    assert selectors.text_diff("", "nieuw") == [("insert", "nieuw")]
    assert selectors.text_diff("weg", "") == [("delete", "weg")]


words = st.lists(
    st.sampled_from(["de", "het", "reizigers", "test", "China", "\n", "  ", "masker", "."]),
    max_size=30,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words, words)
def test_text_diff_rebuilds_both_texts(old_words: list[str], new_words: list[str]) -> None:
    old, new = " ".join(old_words), " ".join(new_words)
    ops = selectors.text_diff(old, new)
    assert {op for op, _ in ops} <= {"equal", "delete", "insert"}
    assert "".join(t for op, t in ops if op != "insert") == old
    assert "".join(t for op, t in ops if op != "delete") == new


def test_revision_diff_per_section(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"])
    one = services.advice_revision_save(
        request=request, sections=SECTIONS, base_number=None, actor=people["cpo"]
    )
    two = services.advice_revision_save(
        request=request,
        sections={**SECTIONS, "summary": "Nieuwe samenvatting."},
        base_number=1,
        actor=people["cpo"],
    )
    rows = selectors.revision_diff(old=one, new=two)
    assert [r["key"] for r in rows] == list(Section.values)
    changed = {r["key"]: r["changed"] for r in rows}
    assert changed == {key: key == "summary" for key in Section.values}
    summary = rows[0]
    assert ("delete", "Samenvatting.") in summary["ops"] and summary["label"] == "samenvatting"
    assert all(r["ops"] == [] for r in rows if not r["changed"])
    first = selectors.revision_diff(old=None, new=one)
    assert {r["key"] for r in first if r["changed"]} == {k for k, v in SECTIONS.items() if v}
    assert [r.number for r in selectors.revisions(request=request)] == [1, 2]
    assert selectors.revision_latest(request=request) == two
    assert selectors.revision_get(request=request, number=1) == one
    assert selectors.revision_get(request=request, number=9) is None


def test_comment_threads_with_replies_and_resolved_flag(people: dict[str, Any]) -> None:
    cpo, member = people["cpo"], people["members"][0]
    request = request_make(actor=cpo)
    services.advice_revision_save(request=request, sections=SECTIONS, base_number=None, actor=cpo)
    first = services.comment_add(request=request, actor=member, section="advice", body="Eén")
    second = services.comment_add(request=request, actor=member, section="summary", body="Twee")
    reply = services.comment_add(
        request=request, actor=cpo, section="advice", body="Antwoord", thread=first
    )
    done = services.comment_add(
        request=request, actor=cpo, section="advice", body="", thread=first, resolve=True
    )
    threads = selectors.comment_threads(request=request)
    assert [t["comment"] for t in threads] == [first, second]
    assert threads[0]["replies"] == [reply, done] and threads[0]["resolved"] is True
    assert threads[1]["replies"] == [] and threads[1]["resolved"] is False


# --- input --------------------------------------------------------------------------------------


def test_input_overview_counts(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    request = request_make(actor=cpo)
    answered, _t1 = input_make(request=request, actor=cpo)
    revoked, _t2 = input_make(request=request, actor=cpo)
    input_make(request=request, actor=cpo, deadline=now() + 2 * H)  # late in 3 hours' time
    input_make(request=request, actor=cpo, deadline=now() + 40 * H)  # still open then
    services.input_response_submit(
        input_request=answered,
        data=services.ResponseData(signal="S", severity="low", interests_status="none"),
    )
    services.input_request_revoke(input_request=revoked, actor=cpo)
    assert selectors.input_overview(request=request) == {
        "asked": 4,
        "answered": 1,
        "open": 2,
        "late": 0,
        "revoked": 1,
    }
    later = selectors.input_overview(request=request, now=now() + 3 * H)
    assert later == {"asked": 4, "answered": 1, "open": 2, "late": 1, "revoked": 1}
    rows = list(selectors.input_requests(request=request))
    assert [r.deadline for r in rows] == sorted(r.deadline for r in rows)


# --- decision -----------------------------------------------------------------------------------


def test_rounds_and_votes(people: dict[str, Any]) -> None:
    cpo, chair = people["cpo"], people["chair"]
    request = request_make(actor=cpo)
    services.advice_revision_save(request=request, sections=SECTIONS, base_number=None, actor=cpo)
    services.advice_transition(request=request, to=S.FINAL_DRAFT, actor=cpo)
    assert selectors.round_open(request=request) is None
    round_ = services.decision_round_open(request=request, actor=cpo)
    assert selectors.round_open(request=request) == round_
    assert not selectors.has_voted(round_=round_, user=chair)
    services.vote_cast(round_=round_, voter=chair, answers=[services.Answer("agree")])
    assert selectors.has_voted(round_=round_, user=chair)
    assert not selectors.has_voted(round_=round_, user=AnonymousUser())
    assert [v.voter for v in selectors.round_votes(round_=round_)] == [chair]
    services.decision_round_close(round_=round_, actor=chair)  # 1 of 4: no quorum
    assert selectors.round_open(request=request) is None
    assert list(selectors.decision_rounds(request=request)) == [round_]


# --- public -------------------------------------------------------------------------------------


def test_public_only_after_publication(people: dict[str, Any]) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    assert selectors.public_get(key=request.key) is None
    send(request, people)
    assert selectors.public_get(key=request.key) is None  # under embargo
    assert list(selectors.public_list()) == []
    services.advice_publish(request=request, actor=people["cpo"])
    assert selectors.public_get(key=request.key) == request
    services.cabinet_response_record(
        request=request,
        actor=people["szw"],
        data=services.CabinetResponseData(date=dt.date(2023, 1, 6), title="Brief"),
    )
    services.follow_up_add(
        request=request, actor=people["szw"], kind="motion", title="Motie", date=dt.date(2023, 1, 9)
    )
    assert [r.key for r in selectors.public_list()] == [request.key]


def test_public_view_shows_the_sent_text_and_reflections(people: dict[str, Any]) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    publish(request, people)
    services.reflection_add(request=request, actor=people["expert"], body="Reflectie van het SCP.")
    view = selectors.public_view(request=request)
    assert [s["key"] for s in view["sections"]] == ["summary", "advice", "reasoning"]
    assert view["sections"][1]["text"] == SECTIONS["advice"]
    assert [r.number for r in view["recommendations"]] == [1, 2]
    assert [r.body for r in view["reflections"]] == ["Reflectie van het SCP."]
    assert view["decision"] is not None and view["decision"].outcome == "consensus"
    assert view["responses"] == [] and view["follow_ups"] == []


def test_register_rows(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    asked = decided(request=request_make(actor=cpo, title="Gevraagd"), people=people)
    publication = publish(asked, people)
    response = services.cabinet_response_record(
        request=asked,
        actor=people["szw"],
        data=services.CabinetResponseData(date=dt.date(2023, 1, 6), title="Brief"),
    )
    request_make(actor=cpo, title="Ongevraagd", requester="own_initiative", kind="long_term")
    public = selectors.register_rows(user=AnonymousUser(), public=True)
    assert [r["request"].title for r in public] == ["Gevraagd"]
    row = public[0]
    assert row["status"] == S.CABINET_RESPONSE and row["asked"] is True
    assert row["sent_at"] == asked.dispatch.sent_at
    assert row["published_at"] == publication.published_at
    assert row["cabinet_response"] == response
    staff = {r["request"].title: r for r in selectors.register_rows(user=cpo, public=False)}
    assert set(staff) == {"Gevraagd", "Ongevraagd"}
    own = staff["Ongevraagd"]
    assert own["asked"] is False and own["sent_at"] is None and own["published_at"] is None
    assert own["status"] == S.RECEIVED and own["cabinet_response"] is None
    assert selectors.register_rows(user=people["analyst"], public=False) == []


def test_milestones(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    received = dt.datetime(2023, 1, 3, 9, tzinfo=dt.UTC)
    asked = request_make(actor=cpo, title="China", received_at=received)
    decided(request=asked, people=people)
    publish(asked, people)
    services.cabinet_response_record(
        request=asked,
        actor=people["szw"],
        data=services.CabinetResponseData(date=dt.date(2099, 1, 6), title="Brief"),
    )
    request_make(actor=cpo, title="Nog bezig", received_at=received + H)
    today = timezone.localdate()
    public = [(m["request"].title, m["kind"], m["date"]) for m in selectors.milestones(public=True)]
    assert public == [
        ("China", "received", dt.date(2023, 1, 3)),
        ("China", "sent", today),
        ("China", "published", today),
        ("China", "cabinet_response", dt.date(2099, 1, 6)),
    ]
    staff = selectors.milestones(public=False, user=cpo)
    assert ("Nog bezig", "received") in {(m["request"].title, m["kind"]) for m in staff}
    assert [m["date"] for m in staff] == sorted(m["date"] for m in staff)
    assert selectors.milestones(public=False) == []  # anonymous staff view: nothing


def test_confidential(people: dict[str, Any]) -> None:
    secret = request_make(actor=people["cpo"], confidentiality=Confidentiality.CONFIDENTIAL)
    assert selectors.confidential(secret)
    assert not selectors.confidential(request_make(actor=people["cpo"], title="Intern"))
