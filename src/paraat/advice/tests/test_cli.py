"""``paraat advice remind|release|status``: the scheduled work and the status check."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from paraat.advice import services, workflow
from paraat.advice.tests.factories import SECTIONS, committee, decided, input_make, request_make

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("advice", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def people() -> dict[str, Any]:
    return committee()


def test_remind_sends_input_and_vote_reminders_once(
    people: dict[str, Any], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    soon = timezone.now() + dt.timedelta(hours=6)
    with django_capture_on_commit_callbacks(execute=True):
        asking = request_make(actor=people["cpo"])
        input_make(request=asking, actor=people["cpo"], deadline=soon)
        input_make(
            request=asking,
            actor=people["cpo"],
            recipient_email="later@example.org",
            deadline=timezone.now() + dt.timedelta(days=3),
        )
        voting = request_make(actor=people["cpo"], title="Stemming (synthetisch)")
        services.advice_revision_save(
            request=voting, sections=SECTIONS, base_number=None, actor=people["cpo"]
        )
        services.advice_transition(request=voting, to="final_draft", actor=people["cpo"])
        round_ = services.decision_round_open(request=voting, actor=people["cpo"], closes_at=soon)
        services.vote_cast(round_=round_, voter=people["chair"], answers=[services.Answer("agree")])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        lines = run("remind")
    # One input request is due (the other has days left); three members have not voted yet.
    assert lines == ["herinneringen uitvraag: 1", "herinneringen stemming: 3"]
    to = sorted(address for mail in mailoutbox for address in mail.to)
    assert to == ["kring@example.org", "lid1@example.org", "lid2@example.org", "lid3@example.org"]
    # The input reminder is not repeated within the window (votes are reminded each run).
    with django_capture_on_commit_callbacks(execute=True):
        assert run("remind")[0] == "herinneringen uitvraag: 0"


def test_remind_now_in_the_past_finds_nothing_due(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"])
    input_make(
        request=request, actor=people["cpo"], deadline=timezone.now() + dt.timedelta(hours=6)
    )
    assert run("remind", "--now", "2020-01-01T12:00") == [
        "herinneringen uitvraag: 0",
        "herinneringen stemming: 0",
    ]


def test_release_publishes_after_the_embargo_only(people: dict[str, Any]) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    services.advice_sign_off(request=request, actor=people["chair"])
    until = timezone.now() + dt.timedelta(hours=2)
    services.advice_dispatch(request=request, actor=people["chair"], embargo_until=until)

    assert run("release") == ["geen embargo verlopen"]
    assert workflow.status_of(request) == "embargo"
    later = (until + dt.timedelta(minutes=1)).isoformat()
    assert run("release", "--now", later) == [f"gepubliceerd: {request.key}"]
    assert workflow.status_of(request) == "published"
    assert run("release", "--now", later) == ["geen embargo verlopen"]  # published once


def test_status_prints_deadline_hours_left_and_phases(people: dict[str, Any]) -> None:
    received = timezone.now() - dt.timedelta(hours=10)
    request = request_make(actor=people["cpo"], received_at=received)
    services.advice_transition(
        request=request, to="draft", actor=people["cpo"], at=received + dt.timedelta(hours=4)
    )
    lines = run("status", request.key)
    assert lines[0] == f"{request.key}: {request.title}"
    assert lines[1] == "status: concept"
    assert lines[2].startswith("deadline: ") and lines[2].endswith(("CET", "CEST"))
    hours_left = float(lines[3].removeprefix("uren over: ").split()[0])
    assert 37.5 < hours_left < 38.5  # 48 hours from receipt, 10 have passed
    assert lines[4] == "uren per fase (tot verzending):"
    assert lines[5] == "  ontvangen: 4.0"
    assert lines[6].startswith("  concept: 6.0")
    assert lines[-1].startswith("  totaal: 10.0")


def test_status_of_a_sent_request_says_whether_it_was_on_time(people: dict[str, Any]) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    services.advice_sign_off(request=request, actor=people["chair"])
    services.advice_dispatch(request=request, actor=people["chair"])
    lines = run("status", request.key)
    assert "verzonden: op tijd" in lines
    assert not any(line.startswith("uren over") for line in lines)


def test_status_of_an_unknown_key_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="onbekende adviesaanvraag: 'bestaat-niet'"):
        call_command("advice", "status", "bestaat-niet")


def test_a_bad_moment_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="geen moment"):
        call_command("advice", "release", "--now", "gisteren")
