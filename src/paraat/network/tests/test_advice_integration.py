"""The advice process's request for input picks a pool expert or a practice circle from the
network: name, e-mail and organisation come from the network record; the circle's committed
response time is shown next to the deadline.  The free-entry fields keep working."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.advice import selectors as advice_selectors
from paraat.advice.tests.factories import committee, request_make
from paraat.network.tests.factories import (
    CircleFactory,
    DisciplineFactory,
    InstitutionFactory,
    PersonFactory,
    PoolExpertFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> dict[str, Any]:
    people = committee()
    advice = request_make(actor=people["szw"])
    client = Client()
    client.force_login(people["cpo"])
    cpb = InstitutionFactory(name="Centraal Planbureau", abbreviation="CPB")
    expert = PoolExpertFactory(
        person=PersonFactory(name="Karin Geldrop", email="karin@example.org", organisation=cpb),
        disciplines=[DisciplineFactory(key="t-economie", name_nl="economie")],
    )
    circle = CircleFactory(
        name="Praktijkkring ouderen (fictief)",
        response_hours=72,
        contact=PersonFactory(name="Otje Ouderling", email="otje@example.org"),
    )
    return {
        "people": people,
        "advice": advice,
        "client": client,
        "expert": expert,
        "circle": circle,
    }


def deadline(hours: int) -> str:
    moment = timezone.localtime(timezone.now() + dt.timedelta(hours=hours))
    return moment.strftime("%Y-%m-%dT%H:%M")


def url(setup: dict[str, Any]) -> str:
    return reverse("advice:inputs", kwargs={"key": setup["advice"].key})


def test_form_offers_the_network(setup: dict[str, Any]) -> None:
    page = setup["client"].get(url(setup)).content.decode()
    assert "Karin Geldrop (CPB; economie)" in page
    assert "Praktijkkring ouderen (fictief) (toegezegde reactietijd: 72 uur)" in page
    assert "Praktijkkring ouderen (fictief): 72 uur" in page  # beside the deadline field


def test_pick_a_circle_fills_its_contact_and_shows_response_time(
    setup: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = setup["client"].post(
            url(setup),
            {
                "recipient_kind": "member",
                "network_circle": setup["circle"].pk,
                "question": "Wat horen jullie van ouderen?",
                "deadline": deadline(24),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = advice_selectors.input_requests(request=setup["advice"]).get()
    assert (row.recipient_kind, row.recipient_name, row.recipient_email, row.organisation) == (
        "practice_circle",
        "Otje Ouderling",
        "otje@example.org",
        "Praktijkkring ouderen (fictief)",
    )
    page = setup["client"].get(url(setup)).content.decode()
    assert "toegezegde reactietijd kring: 72 uur" in page
    assert "korter dan de toegezegde reactietijd" in page  # 24 hours asked, 72 committed


def test_pick_a_pool_expert(setup: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = setup["client"].post(
            url(setup),
            {
                "recipient_kind": "member",
                "network_expert": setup["expert"].pk,
                "question": "Wat zijn de economische effecten?",
                "deadline": deadline(12),
            },
        )
    assert response.status_code == 302
    row = advice_selectors.input_requests(request=setup["advice"]).get()
    assert (row.recipient_kind, row.recipient_email, row.organisation) == (
        "pool_expert",
        "karin@example.org",
        "Centraal Planbureau",
    )
    page = setup["client"].get(url(setup)).content.decode()
    assert "toegezegde reactietijd kring" not in page


def test_both_picks_or_a_circle_without_contact_is_400(setup: dict[str, Any]) -> None:
    both = setup["client"].post(
        url(setup),
        {
            "recipient_kind": "member",
            "network_expert": setup["expert"].pk,
            "network_circle": setup["circle"].pk,
            "question": "?",
            "deadline": deadline(12),
        },
    )
    assert both.status_code == 400
    assert "niet allebei" in both.content.decode()
    lonely = CircleFactory(contact=None)
    response = setup["client"].post(
        url(setup),
        {
            "recipient_kind": "member",
            "network_circle": lonely.pk,
            "question": "?",
            "deadline": deadline(12),
        },
    )
    assert response.status_code == 400
    assert "geen contactpersoon" in response.content.decode()
    assert not advice_selectors.input_requests(request=setup["advice"]).exists()


def test_free_entry_still_works(
    setup: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = setup["client"].post(
            url(setup),
            {
                "recipient_kind": "practice_circle",
                "recipient_name": "Kring zonder netwerk",
                "recipient_email": "kring@example.org",
                "organisation": "Losse kring",
                "question": "Signalen?",
                "deadline": deadline(12),
            },
        )
    assert response.status_code == 302
    row = advice_selectors.input_requests(request=setup["advice"]).get()
    assert row.organisation == "Losse kring"
