"""The network API under /api/v1/network/: role matrix, contact details, 400 by field."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from paraat.network.models import CommitteeRole, Membership, Person, PoolExpert
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
BASE = "/api/v1/network"
SECRET = "geheim.adres@example.org"


@pytest.fixture
def world() -> dict[str, Any]:
    law = DisciplineFactory(key="t-recht")
    person = PersonFactory(name="Kandidaat Fictief", email=SECRET)
    candidate = CandidateFactory(person=person, disciplines=[law])
    expert = PoolExpertFactory(disciplines=[law], person=PersonFactory(email=SECRET))
    member = PersonFactory(name="Lid Fictief", email=SECRET)
    membership = Membership.objects.create(
        person=member, role=CommitteeRole.MEMBER, starts_on=dt.date(2024, 9, 1)
    )
    circle = CircleFactory(contact=PersonFactory(email=SECRET))
    return {
        "law": law,
        "person": person,
        "candidate": candidate,
        "expert": expert,
        "member": member,
        "membership": membership,
        "circle": circle,
    }


def api(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


READS = {
    # path: (cpo, admin, member, analyst)
    "persons/": (200, 200, 403, 403),
    "organisations/": (200, 200, 200, 403),
    "memberships/": (200, 200, 200, 403),
    "memberships/?on=2025-01-01": (200, 200, 200, 403),
    "disciplines/": (200, 200, 200, 403),
    "pool/": (200, 403, 403, 403),
    "candidates/": (200, 403, 403, 403),
    "circles/": (200, 200, 200, 403),
    "coverage/": (200, 200, 200, 403),
}


def test_read_role_matrix(people: dict[str, Any], world: dict[str, Any]) -> None:
    for path, expected in READS.items():
        got = tuple(
            api(people[r]).get(f"{BASE}/{path}").status_code
            for r in ("cpo", "admin", "member", "analyst")
        )
        assert got == expected, (path, got)
        assert api(None).get(f"{BASE}/{path}").status_code in (401, 403), path


def test_contact_details_only_for_managing_roles(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    for role in ("member", "chair", "expert"):
        for path in ("memberships/", "circles/", "coverage/", "organisations/"):
            body = api(people[role]).get(f"{BASE}/{path}").content.decode()
            assert SECRET not in body, (role, path)
            assert '"phone"' not in body
    body = api(people["cpo"]).get(f"{BASE}/circles/").json()
    assert body[0]["contact"]["email"] == SECRET
    persons = api(people["admin"]).get(f"{BASE}/persons/").json()
    assert {p["email"] for p in persons} == {SECRET}


def test_write_role_matrix(people: dict[str, Any], world: dict[str, Any]) -> None:
    payload = {"name": "Nieuw", "retention_until": in_two_years().isoformat()}
    for role in ("admin", "member", "analyst"):
        assert api(people[role]).post(f"{BASE}/persons/", payload, format="json").status_code == 403
    assert api(people["cpo"]).post(f"{BASE}/persons/", payload, format="json").status_code == 201
    discipline = {"name_nl": "Digitale weerbaarheid"}
    assert api(people["member"]).post(f"{BASE}/disciplines/", discipline).status_code == 403
    assert api(people["admin"]).post(f"{BASE}/disciplines/", discipline).status_code == 201
    entry = {"person": world["member"].pk, "disciplines": ["t-recht"]}
    assert api(people["admin"]).post(f"{BASE}/pool/", entry, format="json").status_code == 403
    assert api(people["cpo"]).post(f"{BASE}/pool/", entry, format="json").status_code == 201
    assert PoolExpert.objects.filter(person=world["member"]).exists()


def test_bad_input_is_400_by_field(people: dict[str, Any], world: dict[str, Any]) -> None:
    cpo = api(people["cpo"])
    response = cpo.post(f"{BASE}/persons/", {"name": "X", "email": "fout"}, format="json")
    assert response.status_code == 400
    assert "retention_until" in response.json()
    response = cpo.post(
        f"{BASE}/persons/",
        {"name": "X", "retention_until": "2030-01-01", "consent_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "consent_scope" in response.json()
    response = cpo.post(
        f"{BASE}/memberships/",
        {"person": world["member"].pk, "role": "expert_member", "starts_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "institution" in response.json()
    response = cpo.post(
        f"{BASE}/memberships/",
        {"person": 999999, "role": "member", "starts_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "person" in response.json()
    response = cpo.post(
        f"{BASE}/pool/", {"person": world["member"].pk, "disciplines": ["x"]}, format="json"
    )
    assert response.status_code == 400 and "disciplines" in response.json()
    assert cpo.get(f"{BASE}/memberships/?on=gisteren").status_code == 400
    assert cpo.get(f"{BASE}/coverage/?today=2026-02-30").status_code == 400
    response = cpo.post(f"{BASE}/persons/", data="{" * 5000, content_type="application/json")
    assert response.status_code == 400
    assert cpo.get(f"{BASE}/persons/abc/").status_code == 404


def test_committee_membership_via_api(people: dict[str, Any], world: dict[str, Any]) -> None:
    cpo = api(people["cpo"])
    scp = InstitutionFactory(abbreviation="SCP")
    person = PersonFactory()
    response = cpo.post(
        f"{BASE}/memberships/",
        {
            "person": person.pk,
            "role": "expert_member",
            "starts_on": "2025-01-01",
            "institution": scp.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["has_vote"] is False
    on = api(people["member"]).get(f"{BASE}/memberships/?on=2025-06-01").json()
    assert {m["role"] for m in on} == {"member", "expert_member"}
    end = cpo.post(
        f"{BASE}/memberships/{response.json()['id']}/end/", {"ends_on": "2025-12-31"}, format="json"
    )
    assert end.status_code == 200 and end.json()["ends_on"] == "2025-12-31"


def test_candidates_confirm_and_declarations(people: dict[str, Any], world: dict[str, Any]) -> None:
    cpo = api(people["cpo"])
    candidate = world["candidate"]
    response = cpo.post(
        f"{BASE}/candidates/{candidate.pk}/confirm/", {"on": "2026-01-10"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["availability_confirmed_on"] == "2026-01-10"
    declaration = cpo.post(
        f"{BASE}/persons/{candidate.person.pk}/declarations/",
        {"text": "Bestuurslid"},
        format="json",
    )
    assert declaration.status_code == 201
    detail = cpo.get(f"{BASE}/candidates/{candidate.pk}/").json()
    assert detail["declarations"][0]["text"] == "Bestuurslid"
    assert api(people["member"]).get(f"{BASE}/candidates/{candidate.pk}/").status_code == 403


def test_circles_via_api(people: dict[str, Any], world: dict[str, Any]) -> None:
    cpo = api(people["cpo"])
    lead = OrganisationFactory()
    group = PopulationGroupFactory(key="t-jong")
    response = cpo.post(
        f"{BASE}/circles/",
        {
            "name": "Kring API",
            "lead_organisation": lead.pk,
            "response_hours": 24,
            "groups": ["t-jong"],
            "contact": world["member"].pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["groups"] == [group.key]
    bad = cpo.post(
        f"{BASE}/circles/",
        {
            "name": "Kring API 2",
            "lead_organisation": lead.pk,
            "response_hours": 24,
            "groups": ["?"],
        },
        format="json",
    )
    assert bad.status_code == 400 and "groups" in bad.json()
    pk = response.json()["id"]
    update = cpo.put(
        f"{BASE}/circles/{pk}/",
        {"name": "Kring API", "lead_organisation": lead.pk, "response_hours": 12},
        format="json",
    )
    assert update.status_code == 200 and update.json()["response_hours"] == 12


def test_privacy_and_erase_via_api(people: dict[str, Any], world: dict[str, Any]) -> None:
    admin = api(people["admin"])
    member = world["member"]
    overview = admin.get(f"{BASE}/persons/{member.pk}/privacy/").json()
    assert len(overview["memberships"]) == 1
    assert api(people["member"]).post(f"{BASE}/persons/{member.pk}/erase/").status_code == 403
    response = admin.post(
        f"{BASE}/persons/{member.pk}/erase/", {"reason": "request"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["action"] == "anonymised"
    member.refresh_from_db()
    assert member.email == "" and member.anonymised_on is not None
    again = admin.post(f"{BASE}/persons/{member.pk}/erase/", {}, format="json")
    assert again.status_code == 400
    body = json.dumps(admin.get(f"{BASE}/memberships/").json())
    assert "Lid Fictief" not in body
    assert Person.objects.filter(pk=member.pk).exists()


def test_coverage_via_api(people: dict[str, Any], world: dict[str, Any]) -> None:
    body = api(people["member"]).get(f"{BASE}/coverage/?today=2026-03-15").json()
    assert body["today"] == "2026-03-15"
    row = next(r for r in body["rows"] if r["key"] == "t-recht")
    assert (row["contacts"], row["flagged"]) == (2, False)
