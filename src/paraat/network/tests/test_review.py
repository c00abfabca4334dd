"""Findings of the security and quality review of the network (issue 7), each pinned by a
test: erasure hooks of other apps, the organisation cleared on anonymisation, odd query and
form values that used to give a 500, and a leap day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from paraat.network import selectors, services
from paraat.network.models import PoolExpert
from paraat.network.tests.factories import (
    DisciplineFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_erasure_runs_registered_hooks_before_deciding(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    monkeypatch.setattr(services, "_ERASURE_HOOKS", [])
    services.erasure_hook_register(lambda *, person: seen.append(person.pk))
    hook = services._ERASURE_HOOKS[0]
    services.erasure_hook_register(hook)  # registering twice runs it once
    person = PersonFactory()
    services.person_erase(person=person, reason="request", actor=people["cpo"])
    assert seen == [person.pk]


def test_anonymisation_clears_the_organisation(people: dict[str, Any]) -> None:
    """Name gone but organisation kept would, with role and period, still point at someone."""
    person = PersonFactory(organisation=OrganisationFactory(name="Heel Klein Bureau"))
    services.membership_start(
        person=person, role="member", starts_on=dt.date(2024, 1, 1), actor=people["cpo"]
    )
    outcome = services.person_erase(person=person, reason="request", actor=people["cpo"])
    person.refresh_from_db()
    assert outcome.action == "anonymised"
    assert person.organisation is None and person.email == "" and person.phone == ""


def test_nul_in_the_search_is_ignored(client: Any, people: dict[str, Any]) -> None:
    """PostgreSQL refuses NUL in a text parameter: the search used to give a 500 there."""
    PersonFactory(name="Zoekbaar Persoon")
    client.force_login(people["cpo"])
    response = client.get(reverse("network:people"), {"q": "Zoek\x00baar"})
    assert response.status_code == 200
    assert list(selectors.person_list(user=people["cpo"], q="\x00")) != []


def test_leap_day_suggests_a_retention_date(
    client: Any, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 29 February the suggested retention (two years on) used to raise ValueError."""
    monkeypatch.setattr(
        "paraat.network.forms.timezone.localdate", lambda *a, **k: dt.date(2028, 2, 29)
    )
    client.force_login(people["cpo"])
    for name in ("network:person-create", "network:candidate-create"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'value="2030-02-28"' in response.content.decode()
    assert selectors.years_later(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert selectors.years_later(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "1.5", "²", "abc"])
def test_odd_keys_in_multiple_choices_are_form_errors(
    client: Any, people: dict[str, Any], value: str
) -> None:
    """SQLite raises OverflowError on a huge integer in an ``IN`` list (a 500)."""
    DisciplineFactory(key="recht")
    person = PersonFactory()
    lead = OrganisationFactory()
    client.force_login(people["cpo"])
    response = client.post(
        reverse("network:person-pool-add", args=[person.pk]), {"disciplines": [value]}
    )
    assert response.status_code == 400
    assert not PoolExpert.objects.exists()
    response = client.post(
        reverse("network:circle-create"),
        {
            "name": "Kring",
            "lead_organisation": lead.pk,
            "response_hours": 48,
            "member_organisations": [value],
            "groups": [value],
        },
    )
    assert response.status_code == 400


def test_api_person_search_and_coverage_with_odd_values(people: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(people["cpo"])
    for params in ({"q": "\x00"}, {"organisation": "99999999999999999999"}, {"role": "x" * 500}):
        assert api.get("/api/v1/network/persons/", params).status_code == 200
    for day in ("0000-00-00", "0001-01-01", "9999-12-31", "²"):
        assert api.get("/api/v1/network/coverage/", {"today": day}).status_code == 400
        assert api.get("/api/v1/network/memberships/", {"on": day}).status_code == 400


# --- every role, every page and endpoint -------------------------------------------------------

ALL_ROLES = [
    "beheerder",
    "cpo-secretariaat",
    "voorzitter",
    "commissielid",
    "expertlid",
    "externe-expert",
    "praktijkkring-trekker",
    "szw-beleidsmedewerker",
    "analist",
]
COMMITTEE = {"voorzitter", "commissielid", "expertlid"}
# page → roles that may open it (the CPO may open all)
PAGES = {
    "": {"beheerder", *COMMITTEE},
    "organisaties/": {"beheerder", *COMMITTEE},
    "commissie/": {"beheerder", *COMMITTEE},
    "disciplines/": {"beheerder", *COMMITTEE},
    "praktijkkringen/": {"beheerder", *COMMITTEE},
    "praktijkkringen/{c}/": {"beheerder", *COMMITTEE},
    "dekking/": {"beheerder", *COMMITTEE},
    "personen/": {"beheerder"},
    "personen/{p}/": {"beheerder"},
    "personen/{p}/privacy/": {"beheerder"},
    "verwijderlog/": {"beheerder"},
    "personen/nieuw/": set(),
    "expertpool/": set(),
    "kaartenbak/": set(),
    "kaartenbak/nieuw/": set(),
}
API = {
    "persons/": {"beheerder"},
    "persons/{p}/": {"beheerder"},
    "memberships/": {"beheerder", *COMMITTEE},
    "circles/": {"beheerder", *COMMITTEE},
    "coverage/": {"beheerder", *COMMITTEE},
    "pool/": set(),
    "candidates/": set(),
}


@pytest.mark.parametrize("role", [*ALL_ROLES, None])
def test_role_matrix_of_the_network(role: str | None) -> None:
    from paraat.accounts.services import roles_sync
    from paraat.accounts.tests.factories import UserFactory
    from paraat.network.tests.factories import CircleFactory

    roles_sync()
    user = UserFactory(username="wie", roles=[role]) if role else None
    circle = CircleFactory(contact=PersonFactory(email="kring@example.org", phone="+31 70 1"))
    person = circle.contact
    services.membership_start(
        person=person, role="member", starts_on=dt.date(2024, 1, 1), actor=None
    )
    client, api = Client(), APIClient()
    if user is not None:
        client.force_login(user)
        api.force_authenticate(user)

    def expect(allowed: set[str]) -> set[int]:
        if user is None:
            return {302, 401}
        return {200} if role == "cpo-secretariaat" or role in allowed else {403}

    for page, allowed in PAGES.items():
        response = client.get("/netwerk/" + page.format(p=person.pk, c=circle.pk))
        assert response.status_code in expect(allowed), (role, page, response.status_code)
        contact = b"kring@example.org" in response.content or b"+31 70 1" in response.content
        if contact:  # contact details only with network.view_contact_details
            assert role in ("beheerder", "cpo-secretariaat"), (role, page)
    for path, allowed in API.items():
        response = api.get("/api/v1/network/" + path.format(p=person.pk))
        assert response.status_code in expect(allowed), (role, path, response.status_code)
        if b"kring@example.org" in response.content:
            assert role in ("beheerder", "cpo-secretariaat"), (role, path)
    writes = [
        ("persons/", {"name": "x", "retention_until": "2030-01-01"}),
        ("organisations/", {"name": "Nieuwe organisatie"}),
        ("memberships/", {"person": person.pk, "role": "chair", "starts_on": "2025-01-01"}),
        (f"persons/{person.pk}/erase/", {"reason": "request"}),  # last: it anonymises
    ]
    for path, body in writes:
        status = api.post("/api/v1/network/" + path, body, format="json").status_code
        may = role == "cpo-secretariaat" or (role == "beheerder" and "erase" in path)
        assert status in ({200, 201} if may else {401, 403}), (role, path, status)
