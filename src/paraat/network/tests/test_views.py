"""Pages of the network per role: CPO, beheerder, committee member, analyst, anonymous."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.network.models import (
    Candidate,
    CommitteeRole,
    ErasureRecord,
    Membership,
    Person,
    PracticeCircle,
)
from paraat.network.tests.factories import (
    CandidateFactory,
    CircleFactory,
    DisciplineFactory,
    InstitutionFactory,
    OrganisationFactory,
    PersonFactory,
    PoolExpertFactory,
    in_two_years,
)
from paraat.taxonomies.tests.factories import PopulationGroupFactory

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "geheim.adres@example.org"
SECRET_PHONE = "+31 6 12345678"


@pytest.fixture
def world() -> dict[str, Any]:
    law = DisciplineFactory(key="t-recht", name_nl="recht (test)")
    person = PersonFactory(name="Kandidaat Fictief", email=SECRET_EMAIL, phone=SECRET_PHONE)
    candidate = CandidateFactory(person=person, disciplines=[law])
    expert = PoolExpertFactory(disciplines=[law], person=PersonFactory(email=SECRET_EMAIL))
    member = PersonFactory(name="Lid Fictief", email=SECRET_EMAIL)
    membership = Membership.objects.create(
        person=member, role=CommitteeRole.MEMBER, starts_on=dt.date(2024, 9, 1)
    )
    circle = CircleFactory(
        name="Praktijkkring ouderen (fictief)",
        contact=PersonFactory(name="Contact Fictief", email=SECRET_EMAIL, phone=SECRET_PHONE),
        groups=[PopulationGroupFactory(key="t-ouderen", is_vulnerable=True)],
    )
    return {
        "law": law,
        "person": person,
        "candidate": candidate,
        "expert": expert,
        "member": member,
        "membership": membership,
        "circle": circle,
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pages(world: dict[str, Any]) -> dict[str, str]:
    return {
        "index": reverse("network:index"),
        "people": reverse("network:people"),
        "person": reverse("network:person", args=[world["person"].pk]),
        "privacy": reverse("network:person-privacy", args=[world["person"].pk]),
        "committee": reverse("network:committee"),
        "pool": reverse("network:pool"),
        "candidates": reverse("network:candidates"),
        "circles": reverse("network:circles"),
        "circle": reverse("network:circle", args=[world["circle"].pk]),
        "coverage": reverse("network:coverage"),
        "disciplines": reverse("network:disciplines"),
        "organisations": reverse("network:organisations"),
        "erasures": reverse("network:erasures"),
        "candidate-create": reverse("network:candidate-create"),
        "person-create": reverse("network:person-create"),
    }


EXPECTED = {
    # page: (cpo, admin, member, analyst)
    "index": (200, 200, 200, 403),
    "people": (200, 200, 403, 403),
    "person": (200, 200, 403, 403),
    "privacy": (200, 200, 403, 403),
    "committee": (200, 200, 200, 403),
    "pool": (200, 403, 403, 403),
    "candidates": (200, 403, 403, 403),
    "circles": (200, 200, 200, 403),
    "circle": (200, 200, 200, 403),
    "coverage": (200, 200, 200, 403),
    "disciplines": (200, 200, 200, 403),
    "organisations": (200, 200, 200, 403),
    "erasures": (200, 200, 403, 403),
    "candidate-create": (200, 403, 403, 403),
    "person-create": (200, 403, 403, 403),
}


def test_role_matrix(people: dict[str, Any], world: dict[str, Any]) -> None:
    clients = [client_for(people[r]) for r in ("cpo", "admin", "member", "analyst")]
    for name, url in pages(world).items():
        got = tuple(client.get(url).status_code for client in clients)
        assert got == EXPECTED[name], (name, got)


def test_anonymous_is_sent_to_login(world: dict[str, Any]) -> None:
    for url in pages(world).values():
        response = Client().get(url)
        assert response.status_code == 302, url
        assert "/accounts/inloggen/" in response["Location"]


def test_contact_details_never_shown_to_committee(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    for role in ("member", "chair", "expert"):
        client = client_for(people[role])
        for url in (
            reverse("network:committee"),
            reverse("network:circles"),
            reverse("network:circle", args=[world["circle"].pk]),
            reverse("network:coverage"),
            reverse("network:index"),
        ):
            body = client.get(url).content.decode()
            assert SECRET_EMAIL not in body and SECRET_PHONE not in body, (role, url)
    body = client_for(people["member"]).get(reverse("network:circle", args=[world["circle"].pk]))
    assert "Contact Fictief" in body.content.decode()
    cpo_body = client_for(people["cpo"]).get(reverse("network:circle", args=[world["circle"].pk]))
    assert SECRET_EMAIL in cpo_body.content.decode()


def test_candidate_list_shows_declarations_and_stale_flag_in_text(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    candidate = world["candidate"]
    candidate.availability_confirmed_on = dt.date(2020, 1, 1)
    candidate.save()
    world["person"].interest_declarations.create(
        text="Adviseur van een fonds", declared_on=dt.date(2025, 1, 1)
    )
    body = client_for(people["cpo"]).get(reverse("network:candidates")).content.decode()
    assert "Adviseur van een fonds" in body
    assert "verouderd" in body


def test_cpo_registers_a_candidate(people: dict[str, Any], world: dict[str, Any]) -> None:
    client = client_for(people["cpo"])
    url = reverse("network:candidate-create")
    bad = client.post(url, {"name": "", "retention_until": "", "disciplines": []})
    assert bad.status_code == 400
    assert "Dit veld is verplicht" in bad.content.decode() or "verplicht" in bad.content.decode()
    response = client.post(
        url,
        {
            "name": "Nieuwe Kandidaat",
            "email": "nieuw@example.org",
            "retention_until": in_two_years().isoformat(),
            "consent_on": "2026-01-01",
            "consent_scope": "kaartenbak",
            "disciplines": [world["law"].pk],
            "availability_confirmed_on": "2026-01-02",
            "declaration": "Geen nevenfuncties.",
            "is_fictional": "on",
        },
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get(person__name="Nieuwe Kandidaat")
    assert candidate.person.interest_declarations.get().text == "Geen nevenfuncties."


def test_confirm_availability_action(people: dict[str, Any], world: dict[str, Any]) -> None:
    candidate = world["candidate"]
    client = client_for(people["cpo"])
    response = client.post(reverse("network:candidate-confirm", args=[candidate.pk]))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.availability_confirmed_on == timezone.localdate()
    assert client.get(reverse("network:candidate-confirm", args=[candidate.pk])).status_code == 405
    member = client_for(people["member"])
    assert member.post(reverse("network:candidate-confirm", args=[candidate.pk])).status_code == 403
    expert = world["expert"]
    assert client.post(reverse("network:pool-confirm", args=[expert.pk])).status_code == 302


def test_membership_form_requires_institution_for_expert_member(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    client = client_for(people["cpo"])
    person = PersonFactory()
    url = reverse("network:membership-add")
    response = client.post(
        url, {"person": person.pk, "role": "expert_member", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "kies het instituut" in response.content.decode()
    scp = InstitutionFactory(abbreviation="SCP")
    response = client.post(
        url,
        {
            "person": person.pk,
            "role": "expert_member",
            "starts_on": "2026-01-01",
            "institution": scp.pk,
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(person=person).institution == scp


def test_committee_on_date(people: dict[str, Any], world: dict[str, Any]) -> None:
    client = client_for(people["member"])
    url = reverse("network:committee")
    assert "Lid Fictief" in client.get(url, {"op": "2025-01-01"}).content.decode()
    assert "Lid Fictief" not in client.get(url, {"op": "2023-01-01"}).content.decode()
    garbage = client.get(url, {"op": "31-02-2025<script>"})
    assert garbage.status_code == 200
    assert "Onbekende datum" in garbage.content.decode()


def test_membership_end(people: dict[str, Any], world: dict[str, Any]) -> None:
    client = client_for(people["cpo"])
    url = reverse("network:membership-end", args=[world["membership"].pk])
    assert client.post(url, {"ends_on": "2020-01-01"}).status_code == 400
    assert client.post(url, {"ends_on": "2025-12-31"}).status_code == 302
    world["membership"].refresh_from_db()
    assert world["membership"].ends_on == dt.date(2025, 12, 31)


def test_people_filters_on_the_page(people: dict[str, Any], world: dict[str, Any]) -> None:
    client = client_for(people["cpo"])
    url = reverse("network:people")
    body = client.get(url, {"role": "member"}).content.decode()
    assert "Lid Fictief" in body and "Kandidaat Fictief" not in body
    body = client.get(url, {"discipline": world["law"].pk, "role": "candidate"}).content.decode()
    assert "Kandidaat Fictief" in body and "Lid Fictief" not in body
    for junk in ({"discipline": "x'"}, {"organisation": "-1"}, {"role": "<b>"}, {"stale": "ja"}):
        assert client.get(url, junk).status_code == 200


def test_beheerder_manages_disciplines_and_privacy(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    client = client_for(people["admin"])
    response = client.post(
        reverse("network:discipline-create"),
        {"name_nl": "Digitale weerbaarheid", "position": 20, "is_active": "on"},
    )
    assert response.status_code == 302
    response = client.post(reverse("network:discipline-create"), {"name_nl": "", "position": 1})
    assert response.status_code == 400
    # The beheerder may not add candidates but may erase a person on request.
    assert client.get(reverse("network:candidate-create")).status_code == 403
    person = world["person"]
    url = reverse("network:person-privacy", args=[person.pk])
    body = client.get(url).content.decode()
    assert SECRET_EMAIL in body and "Kaartenbak" in body
    assert client.post(url, {"reason": "request"}).status_code == 400  # not confirmed
    response = client.post(url, {"reason": "request", "confirm": "on"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert ErasureRecord.objects.filter(person_ref=person.pk, action="deleted").exists()
    log = client.get(reverse("network:erasures")).content.decode()
    assert f"#{person.pk}" in log and "Kandidaat Fictief" not in log


def test_member_cannot_write(people: dict[str, Any], world: dict[str, Any]) -> None:
    client = client_for(people["member"])
    for url, data in (
        (reverse("network:person-create"), {"name": "x"}),
        (reverse("network:membership-add"), {}),
        (reverse("network:circle-create"), {}),
        (reverse("network:discipline-create"), {"name_nl": "x"}),
        (reverse("network:person-privacy", args=[world["person"].pk]), {"confirm": "on"}),
        (reverse("network:declaration-add", args=[world["person"].pk]), {"text": "x"}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert Person.objects.filter(pk=world["person"].pk).exists()


def test_cpo_edits_person_circle_and_declares(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    client = client_for(people["cpo"])
    person = world["person"]
    edit = reverse("network:person-edit", args=[person.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"name": "Andere Naam", "retention_until": "2020-01-01x", "email": SECRET_EMAIL},
    )
    assert response.status_code == 400
    response = client.post(
        edit, {"name": "Andere Naam", "retention_until": in_two_years().isoformat()}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Andere Naam"
    declare = reverse("network:declaration-add", args=[person.pk])
    assert client.post(declare, {"text": ""}).status_code == 400
    assert client.post(declare, {"text": "Lid van een raad"}).status_code == 302
    lead = OrganisationFactory()
    response = client.post(
        reverse("network:circle-create"),
        {
            "name": "Kring nieuw",
            "lead_organisation": lead.pk,
            "response_hours": 24,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    circle = PracticeCircle.objects.get(name="Kring nieuw")
    edit_circle = reverse("network:circle-edit", args=[circle.pk])
    assert client.get(edit_circle).status_code == 200
    assert client.post(edit_circle, {"name": "Kring nieuw", "response_hours": 0}).status_code == 400
    assert client.post(reverse("network:circle-confirm", args=[circle.pk])).status_code == 302
    pool_add = reverse("network:person-pool-add", args=[world["member"].pk])
    assert client.post(pool_add, {"disciplines": [world["law"].pk]}).status_code == 302
    org = reverse("network:organisation-create")
    assert client.post(org, {"name": "Nieuwe org", "kind": "other"}).status_code == 302
    assert client.post(org, {"name": "Nieuwe org", "kind": "other"}).status_code == 400


def test_coverage_page_flags_in_text(people: dict[str, Any], world: dict[str, Any]) -> None:
    body = client_for(people["admin"]).get(reverse("network:coverage")).content.decode()
    assert "gemarkeerd" in body
    assert "te weinig actuele contacten" in body
    flagged = client_for(people["admin"]).get(reverse("network:coverage"), {"gemarkeerd": "1"})
    assert flagged.status_code == 200


def test_unknown_objects_are_404(people: dict[str, Any]) -> None:
    client = client_for(people["cpo"])
    for name in (
        "person",
        "person-edit",
        "person-privacy",
        "circle",
        "candidate-edit",
        "pool-edit",
    ):
        assert client.get(reverse(f"network:{name}", args=[999999])).status_code == 404
