"""The advice process as data (``advice.workflow``): which status follows which, who moves it,
who votes and who gives a position."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import now

from paraat.accounts import roles
from paraat.accounts.models import User
from paraat.accounts.tests.factories import UserFactory
from paraat.advice import services, workflow
from paraat.advice.models import AdviceStatus, AdviceStatusChange
from paraat.advice.tests.factories import decided, request_make

pytestmark = pytest.mark.django_db

S = AdviceStatus


def fresh(user: User) -> User:
    """A copy to change, so the shared committee stays as it is."""
    return User.objects.get(pk=user.pk)


# --- the transition table -----------------------------------------------------------------------


def test_table_covers_every_status_and_only_known_ones() -> None:
    assert set(workflow.NEXT) == set(S.values)
    assert tuple(S.values) == workflow.ORDER
    for targets in workflow.NEXT.values():
        assert set(targets) <= set(S.values)
        assert len(set(targets)) == len(targets)


def test_every_status_is_reachable_from_received() -> None:
    seen, queue = {S.RECEIVED.value}, deque([S.RECEIVED.value])
    while queue:
        for to in workflow.NEXT[queue.popleft()]:
            if to not in seen:
                seen.add(to)
                queue.append(to)
    assert seen == set(S.values)


def test_the_main_line_follows_the_process_table() -> None:
    """received → input requested → contributions → draft → feedback → final draft →
    decision → alignment → sent → embargo → published → cabinet response → follow-up."""
    line = [
        S.RECEIVED,
        S.INPUT_REQUESTED,
        S.CONTRIBUTIONS,
        S.DRAFT,
        S.FEEDBACK,
        S.FINAL_DRAFT,
        S.DECISION,
        S.ALIGNMENT,
        S.SENT,
        S.EMBARGO,
        S.PUBLISHED,
        S.CABINET_RESPONSE,
        S.FOLLOW_UP,
    ]
    for here, there in itertools.pairwise(line):
        assert there in workflow.NEXT[here], (here, there)


def test_no_move_out_of_follow_up_or_withdrawn() -> None:
    assert workflow.NEXT[S.FOLLOW_UP] == ()
    assert workflow.NEXT[S.WITHDRAWN] == ()


def test_withdrawing_is_possible_only_before_dispatch() -> None:
    for status in S.values:
        can_withdraw = S.WITHDRAWN in workflow.NEXT[status]
        assert can_withdraw == (status not in workflow.AFTER_DISPATCH), status


def test_action_only_statuses_are_reached_from_their_predecessor_only() -> None:
    assert {S.SENT, S.EMBARGO, S.PUBLISHED, S.CABINET_RESPONSE} == workflow.ACTION_ONLY
    for status in workflow.ACTION_ONLY:
        assert workflow.action_hint(status)
    assert workflow.action_hint(S.DRAFT) == ""


def test_check_move_refuses_unknown_status_and_wrong_role(people: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        workflow.check_move(actor=people["cpo"], current=S.RECEIVED, to="nonsense")
    assert "to" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        workflow.check_move(actor=people["members"][0], current=S.RECEIVED, to=S.DRAFT)
    with pytest.raises(ValidationError) as exc:
        workflow.check_move(actor=people["cpo"], current=S.RECEIVED, to=S.DECISION)
    assert "to" in exc.value.message_dict
    workflow.check_move(actor=people["cpo"], current=S.RECEIVED, to=S.DRAFT)  # no exception


def test_advice_transition_refuses_sending_with_the_hint(people: dict[str, Any]) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    with pytest.raises(ValidationError) as exc:
        services.advice_transition(request=request, to=S.SENT, actor=people["cpo"])
    assert exc.value.message_dict["to"] == [workflow.action_hint(S.SENT)]
    assert workflow.status_of(request) == S.ALIGNMENT


def test_action_only_statuses_after_dispatch_give_their_hint(people: dict[str, Any]) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    services.advice_sign_off(request=request, actor=people["chair"])
    services.advice_dispatch(request=request, actor=people["chair"])
    assert workflow.status_of(request) == S.EMBARGO
    with pytest.raises(ValidationError) as exc:
        services.advice_transition(request=request, to=S.PUBLISHED, actor=people["cpo"])
    assert exc.value.message_dict["to"] == [workflow.action_hint(S.PUBLISHED)]
    services.advice_publish(request=request, actor=people["cpo"])
    with pytest.raises(ValidationError) as exc:
        services.advice_transition(request=request, to=S.CABINET_RESPONSE, actor=people["cpo"])
    assert exc.value.message_dict["to"] == [workflow.action_hint(S.CABINET_RESPONSE)]
    # not in the table from here: the table's message, not a hint
    with pytest.raises(ValidationError) as exc:
        services.advice_transition(request=request, to=S.SENT, actor=people["cpo"])
    assert exc.value.message_dict["to"] != [workflow.action_hint(S.SENT)]
    assert workflow.status_of(request) == S.PUBLISHED


def test_the_embargo_is_reached_by_dispatching_only(people: dict[str, Any]) -> None:
    """``sent`` is never a resting status (dispatch appends ``embargo`` at once); a request
    found there still cannot be moved on by hand."""
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    AdviceStatusChange.objects.create(
        request=request, status=S.SENT, previous=S.ALIGNMENT, at=now()
    )
    with pytest.raises(ValidationError) as exc:
        services.advice_transition(request=request, to=S.EMBARGO, actor=people["cpo"])
    assert exc.value.message_dict["to"] == [workflow.action_hint(S.EMBARGO)]


# --- moves per role -----------------------------------------------------------------------------


def test_moves_of_the_secretariat(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    assert workflow.moves(user=cpo, current=S.RECEIVED) == [
        S.INPUT_REQUESTED,
        S.DRAFT,
        S.WITHDRAWN,
    ]
    assert workflow.moves(user=cpo, current=S.DECISION) == [
        S.ALIGNMENT,
        S.FINAL_DRAFT,
        S.WITHDRAWN,
    ]
    assert workflow.moves(user=cpo, current=S.ALIGNMENT) == [S.FINAL_DRAFT, S.WITHDRAWN]
    assert workflow.moves(user=cpo, current=S.SENT) == []
    assert workflow.moves(user=cpo, current=S.PUBLISHED) == []
    assert workflow.moves(user=cpo, current=S.CABINET_RESPONSE) == [S.FOLLOW_UP]
    assert workflow.moves(user=cpo, current=S.FOLLOW_UP) == []


def test_moves_of_the_chair(people: dict[str, Any]) -> None:
    chair = people["chair"]
    assert workflow.moves(user=chair, current=S.DECISION) == [S.ALIGNMENT]
    for status in S.values:
        if status != S.DECISION:
            assert workflow.moves(user=chair, current=status) == [], status


def test_moves_of_a_member_and_an_expert_member(people: dict[str, Any]) -> None:
    for user in (people["members"][0], people["expert"], people["analyst"], people["admin"]):
        for status in S.values:
            assert workflow.moves(user=user, current=status) == [], (user, status)


def test_moves_of_the_szw_officer(people: dict[str, Any]) -> None:
    szw = people["szw"]
    assert workflow.moves(user=szw, current=S.CABINET_RESPONSE) == [S.FOLLOW_UP]
    for status in S.values:
        if status != S.CABINET_RESPONSE:
            assert workflow.moves(user=szw, current=status) == [], status


def test_moves_never_offer_action_only_statuses(people: dict[str, Any]) -> None:
    for user in (people["cpo"], people["chair"], people["szw"]):
        for status in S.values:
            assert not set(workflow.moves(user=user, current=status)) & workflow.ACTION_ONLY


def test_allowed_per_role(people: dict[str, Any]) -> None:
    table = {
        "cpo": {
            "view",
            "view_drafts",
            "create",
            "manage",
            "edit_text",
            "comment",
            "close_vote",
            "grant_omt",
            "cabinet_response",
        },
        "chair": {"view", "view_drafts", "edit_text", "comment", "close_vote", "sign_off"},
        "expert": {"view", "view_drafts", "comment"},
        "szw": {"view", "create", "cabinet_response"},
        "analyst": set(),
        "admin": set(),  # a technical role: nothing of the process
    }
    for who, actions in table.items():
        got = {a for a in workflow.ACTIONS if workflow.allowed(people[who], a)}
        assert got == actions, who
    member = {a for a in workflow.ACTIONS if workflow.allowed(people["members"][0], a)}
    assert member == {"view", "view_drafts", "edit_text", "comment"}
    assert not any(workflow.allowed(AnonymousUser(), a) for a in workflow.ACTIONS)  # type: ignore[arg-type]


def test_inactive_user_may_do_nothing(people: dict[str, Any]) -> None:
    cpo = fresh(people["cpo"])
    cpo.is_active = False
    cpo.save()
    assert not any(workflow.allowed(cpo, a) for a in workflow.ACTIONS)
    assert workflow.moves(user=cpo, current=S.RECEIVED) == []
    with pytest.raises(PermissionDenied):
        workflow.require(cpo, "manage")


# --- voting rights ------------------------------------------------------------------------------


def test_voters_are_the_active_chair_and_members(people: dict[str, Any]) -> None:
    inactive = UserFactory(username="oud-lid", roles=[roles.MEMBER])
    inactive.is_active = False
    inactive.save()
    both = UserFactory(username="vz-en-lid", roles=[roles.CHAIR, roles.MEMBER])
    expected = {people["chair"].pk, both.pk, *(m.pk for m in people["members"])}
    pks = list(workflow.voters().values_list("pk", flat=True))
    assert set(pks) == expected
    assert len(pks) == len(expected)  # a person with two voting roles counts once


def test_can_vote_and_may_take_position(people: dict[str, Any]) -> None:
    assert workflow.can_vote(people["chair"]) and workflow.can_vote(people["members"][0])
    for who in ("cpo", "expert", "szw", "analyst", "admin"):
        assert not workflow.can_vote(people[who]), who
    assert workflow.may_take_position(people["expert"])
    for who in ("cpo", "chair", "szw", "analyst", "admin"):
        assert not workflow.may_take_position(people[who]), who
    assert not workflow.may_take_position(people["members"][0])
    anonymous = AnonymousUser()
    assert not workflow.can_vote(anonymous)  # type: ignore[arg-type]
    assert not workflow.may_take_position(anonymous)  # type: ignore[arg-type]
    expert = fresh(people["expert"])
    expert.is_active = False
    expert.save()
    assert not workflow.may_take_position(expert)


def test_status_of_is_the_latest_change(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"])
    assert workflow.status_of(request) == S.RECEIVED
    services.advice_transition(request=request, to=S.DRAFT, actor=people["cpo"])
    assert workflow.status_of(request) == S.DRAFT
    request.current_status = S.FEEDBACK  # type: ignore[attr-defined]
    assert workflow.status_of(request) == S.FEEDBACK  # the annotation wins when present
