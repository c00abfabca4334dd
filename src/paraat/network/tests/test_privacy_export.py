"""The export of everything stored about a network person (right of access), and the privacy page
that lists the same categories."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.network import selectors
from paraat.network.models import CommitteeRole, InterestDeclaration, Membership, Person
from paraat.network.tests.factories import (
    CandidateFactory,
    CircleFactory,
    DisciplineFactory,
    InstitutionFactory,
    PersonFactory,
    PoolExpertFactory,
)

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "geheim.adres@example.org"
NETWORK_KEYS = ["person", "memberships", "pool", "card_index", "declarations", "circles"]
OTHER_KEYS = ["meeting_attendance", "playbook_owner", "decree_members", "secondments"]


@pytest.fixture
def person() -> Person:
    """A person with a record in every category the platform holds."""
    from paraat.activation.models import (
        ActivationCase,
        DecreeMember,
        EstablishmentDecree,
        SecondmentAgreement,
        SecondmentAssignment,
    )
    from paraat.preparedness.models import Attendance, Meeting, PlaybookSection

    law = DisciplineFactory(key="t-recht", name_nl="recht (test)")
    person = PersonFactory(name="Kandidaat Fictief", email=SECRET_EMAIL)
    PoolExpertFactory(person=person, disciplines=[law])
    CandidateFactory(person=person, disciplines=[law], notes="Belt liever niet op vrijdag.")
    institution = InstitutionFactory()
    Membership.objects.create(
        person=person,
        role=CommitteeRole.EXPERT_MEMBER,
        institution=institution,
        starts_on=dt.date(2024, 9, 1),
    )
    InterestDeclaration.objects.create(
        person=person, text="Geen nevenfuncties (test).", declared_on=dt.date(2025, 1, 1)
    )
    CircleFactory(name="Praktijkkring test (fictief)", contact=person)
    meeting = Meeting.objects.create(
        title="Waakstandoverleg (synthetisch)", kind="standby", starts_at=timezone.now()
    )
    Attendance.objects.create(
        meeting=meeting, person=person, presence="present", role="guest", note="Te laat."
    )
    PlaybookSection.objects.create(element="housing", title="Huisvesting (test)", owner=person)
    case = ActivationCase.objects.create(title="Activering (synthetisch)")
    decree = EstablishmentDecree.objects.create(
        case=case,
        number=1,
        text="Besluit (synthetisch)",
        decree_date=dt.date(2026, 1, 1),
        term="twee jaar",
        created_at=timezone.now(),
    )
    DecreeMember.objects.create(decree=decree, person=person, role=CommitteeRole.MEMBER)
    agreement = SecondmentAgreement.objects.create(
        ministry=InstitutionFactory(), people=2, fte=2, is_synthetic=True
    )
    SecondmentAssignment.objects.create(
        case=case,
        agreement=agreement,
        name="Kandidaat Fictief",
        person=person,
        fte=1,
        starts_on=dt.date(2026, 2, 1),
    )
    return person


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_export_holds_every_category(person: Person) -> None:
    data = selectors.person_export(person=person)
    assert data["format"] == "paraat-person-export/1"
    assert data["person_ref"] == person.pk
    by_key = {section["key"]: section for section in data["sections"]}
    assert list(by_key) == [*NETWORK_KEYS, *OTHER_KEYS, "elsewhere"]
    for key in [*NETWORK_KEYS, *OTHER_KEYS]:
        assert by_key[key]["records"], key
    # Nothing refers to the person that no section shows.
    assert by_key["elsewhere"]["records"] == []
    assert by_key["person"]["records"][0]["email"] == SECRET_EMAIL
    assert by_key["pool"]["records"][0]["disciplines"] == ["recht (test)"]
    assert by_key["card_index"]["records"][0]["notes"] == "Belt liever niet op vrijdag."
    assert by_key["meeting_attendance"]["records"][0]["role"] == "gast"
    assert by_key["meeting_attendance"]["records"][0]["note"] == "Te laat."
    assert by_key["decree_members"]["records"][0]["decree_version"] == 1
    assert by_key["memberships"]["records"][0]["starts_on"] == "2024-09-01"
    assert by_key["meeting_attendance"]["source"] == "preparedness"
    # Plain data: it serialises as it is.
    assert json.loads(json.dumps(data)) == data


def test_an_unprovided_reference_is_counted_not_hidden(
    person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reference from an app without a provider still shows, counted per kind."""
    monkeypatch.setattr(selectors, "_DATA_PROVIDERS", [])
    sections = {s.key: s for s in selectors.person_data_sections(person=person)}
    assert "meeting_attendance" not in sections
    kinds = {r["kind"]: r["number"] for r in sections["elsewhere"].records}
    assert kinds["aanwezigheid"] == 1
    assert kinds["leden in het instellingsbesluit"] == 1


def test_privacy_page_lists_the_same_categories_as_the_export(
    people: dict[str, Any], person: Person
) -> None:
    body = _client(people["admin"]).get(reverse("network:person-privacy", args=[person.pk]))
    text = body.content.decode()
    assert body.status_code == 200
    export = selectors.person_export(person=person)
    for section in export["sections"]:
        if section["records"]:
            assert f'id="data-{section["key"]}"' in text, section["key"]
            assert section["title"] in text
    assert SECRET_EMAIL in text and "Te laat." in text and "Huisvesting (test)" in text
    assert reverse("network:person-export", args=[person.pk]) in text


def test_export_download_headers_permission_and_audit(
    people: dict[str, Any], person: Person
) -> None:
    url = reverse("network:person-export", args=[person.pk])
    for role in ("admin", "cpo"):
        response = _client(people[role]).get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/json"
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="paraat-persoon-{person.pk}.json"'
        )
        assert "Kandidaat" not in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
        assert json.loads(response.content)["person_ref"] == person.pk
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(person.pk))
    assert {e.actor for e in entries} == {people["admin"], people["cpo"]}
    for entry in entries:
        assert "Kandidaat" not in entry.object_repr + json.dumps(entry.changes)
    # The same permission as the privacy page: no contact details, no export.
    for role in ("member", "analyst"):
        assert _client(people[role]).get(url).status_code == 403, role
    assert Client().get(url).status_code == 302  # to the login page
    assert (
        _client(people["admin"]).get(reverse("network:person-export", args=[999_999])).status_code
        == 404
    )
    assert _client(people["admin"]).post(url).status_code == 405


def test_export_of_an_anonymised_person_holds_no_personal_data(
    people: dict[str, Any], person: Person
) -> None:
    from paraat.network import services

    services.person_erase(person=person, reason="request", actor=people["admin"])
    data = selectors.person_export(person=Person.objects.get(pk=person.pk))
    dumped = json.dumps(data)
    assert SECRET_EMAIL not in dumped
    assert "Belt liever niet" not in dumped and "Te laat." not in dumped
    by_key = {section["key"]: section for section in data["sections"]}
    assert by_key["pool"]["records"] == [] and by_key["card_index"]["records"] == []
    assert by_key["playbook_owner"]["records"] == []
    # Attendance and committee history stay, pointing at the anonymised person.
    assert by_key["meeting_attendance"]["records"][0]["note"] == ""
    assert by_key["memberships"]["records"]
