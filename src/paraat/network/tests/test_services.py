"""Writes of the network: validation by field, transactions, append-only declarations, erasure."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from paraat.network import services
from paraat.network.models import (
    Candidate,
    CommitteeRole,
    ErasureRecord,
    InterestDeclaration,
    Membership,
    Person,
    PoolExpert,
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

pytestmark = pytest.mark.django_db


def person_data(**overrides: Any) -> services.PersonData:
    values: dict[str, Any] = {
        "name": "Fictief Persoon",
        "retention_until": in_two_years(),
        "email": "Fictief@Example.org",
        "consent_on": dt.date(2025, 1, 1),
        "consent_scope": "kaartenbak",
        "is_fictional": True,
    }
    values.update(overrides)
    return services.PersonData(**values)


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, Any]:
    return exc.value.message_dict


# --- people --------------------------------------------------------------------------------------


def test_person_create_normalises_and_keeps_consent(people: dict[str, Any]) -> None:
    person = services.person_create(data=person_data(phone=" 070 123 45 67 "), actor=people["cpo"])
    assert person.email == "fictief@example.org"
    assert person.phone == "070 123 45 67"
    assert person.consent_scope == "kaartenbak"
    assert person.retention_until == in_two_years()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"email": "geen-adres"}, "email"),
        ({"phone": "bel me <script>"}, "phone"),
        ({"retention_until": None}, "retention_until"),
        ({"consent_scope": ""}, "consent_scope"),
        ({"consent_on": None}, "consent_on"),
        ({"consent_on": dt.date(2999, 1, 1)}, "consent_on"),
        ({"consent_on": dt.date(1900, 1, 1)}, "consent_on"),
        (
            {"consent_on": dt.date(2025, 6, 1), "retention_until": dt.date(2025, 5, 1)},
            "retention_until",
        ),
    ],
)
def test_person_create_refuses_bad_input_by_field(
    people: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_create(data=person_data(**overrides), actor=people["cpo"])
    assert field in errors_of(exc)
    assert not Person.objects.filter(name="Fictief Persoon").exists()


def test_an_account_links_to_one_person_only(people: dict[str, Any]) -> None:
    services.person_create(data=person_data(user=people["member"]), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.person_create(data=person_data(name="Ander", user=people["member"]), actor=None)
    assert "user" in errors_of(exc)


def test_person_update(people: dict[str, Any]) -> None:
    person = PersonFactory()
    services.person_update(person=person, data=person_data(name="Nieuwe Naam"), actor=None)
    person.refresh_from_db()
    assert person.name == "Nieuwe Naam"


# --- committee -----------------------------------------------------------------------------------


def test_expert_member_needs_an_institution(people: dict[str, Any]) -> None:
    person = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        services.membership_start(
            person=person,
            role=CommitteeRole.EXPERT_MEMBER,
            starts_on=dt.date(2024, 9, 1),
            actor=people["cpo"],
        )
    assert "instituut" in errors_of(exc)["institution"][0]
    scp = InstitutionFactory(name="Sociaal en Cultureel Planbureau", abbreviation="SCP")
    membership = services.membership_start(
        person=person,
        role=CommitteeRole.EXPERT_MEMBER,
        starts_on=dt.date(2024, 9, 1),
        institution=scp,
        source="instellingsbesluit",
        actor=people["cpo"],
    )
    assert membership.institution == scp
    assert not membership.has_vote


def test_membership_refuses_unknown_role_and_overlap(people: dict[str, Any]) -> None:
    person = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        services.membership_start(
            person=person, role="koning", starts_on=dt.date(2024, 1, 1), actor=people["cpo"]
        )
    assert "role" in errors_of(exc)
    first = services.membership_start(
        person=person, role=CommitteeRole.MEMBER, starts_on=dt.date(2024, 1, 1), actor=None
    )
    assert first.has_vote
    with pytest.raises(ValidationError) as exc:
        services.membership_start(
            person=person, role=CommitteeRole.MEMBER, starts_on=dt.date(2025, 1, 1), actor=None
        )
    assert "starts_on" in errors_of(exc)
    services.membership_end(membership=first, ends_on=dt.date(2024, 12, 31), actor=None)
    again = services.membership_start(
        person=person, role=CommitteeRole.MEMBER, starts_on=dt.date(2025, 1, 1), actor=None
    )
    assert Membership.objects.filter(person=person).count() == 2
    with pytest.raises(ValidationError) as exc:
        services.membership_end(membership=again, ends_on=dt.date(2024, 6, 1), actor=None)
    assert "ends_on" in errors_of(exc)
    with pytest.raises(ValidationError):
        services.membership_end(membership=first, ends_on=dt.date(2025, 6, 1), actor=None)


# --- pool, card index, declarations --------------------------------------------------------------


def test_candidate_register_is_all_or_nothing(people: dict[str, Any]) -> None:
    behaviour = DisciplineFactory(key="t-gedrag", name_nl="gedrag (test)")
    with pytest.raises(ValidationError) as exc:
        services.candidate_register(
            person_data=person_data(email="fout"),
            disciplines=[],
            declaration="x" * (services.TEXT_MAX + 1),
            actor=people["cpo"],
        )
    assert {"email", "disciplines", "declaration"} <= set(errors_of(exc))
    assert not Person.objects.filter(name="Fictief Persoon").exists()
    candidate = services.candidate_register(
        person_data=person_data(),
        disciplines=[behaviour],
        availability_confirmed_on=dt.date(2026, 1, 5),
        notes="kan snel beginnen",
        declaration="Geen nevenfuncties.",
        actor=people["cpo"],
    )
    assert list(candidate.disciplines.all()) == [behaviour]
    declaration = InterestDeclaration.objects.get(person=candidate.person)
    assert declaration.declared_on == dt.date(2026, 1, 5)
    assert declaration.recorded_by == people["cpo"]


def test_candidate_register_rolls_back_when_a_later_step_fails(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    behaviour = DisciplineFactory(key="t-gedrag")

    def broken(**kwargs: Any) -> None:
        raise ValidationError({"text": "kapot"})

    monkeypatch.setattr(services, "interest_declaration_add", broken)
    with pytest.raises(ValidationError):
        services.candidate_register(
            person_data=person_data(name="Terug Gedraaid"),
            disciplines=[behaviour],
            declaration="iets",
            actor=None,
        )
    assert not Person.objects.filter(name="Terug Gedraaid").exists()
    assert not Candidate.objects.exists()


def test_pool_and_candidate_entries_are_unique_per_person(people: dict[str, Any]) -> None:
    law = DisciplineFactory(key="t-recht")
    person = PersonFactory()
    services.pool_expert_add(person=person, disciplines=[law], actor=None)
    with pytest.raises(ValidationError) as exc:
        services.pool_expert_add(person=person, disciplines=[law], actor=None)
    assert "person" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.candidate_add(person=person, disciplines=[], actor=None)
    assert "disciplines" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.candidate_add(
            person=person,
            disciplines=[law],
            availability_confirmed_on=timezone.localdate() + dt.timedelta(days=3),
            actor=None,
        )
    assert "availability_confirmed_on" in errors_of(exc)


def test_confirm_availability_sets_today(people: dict[str, Any]) -> None:
    candidate = CandidateFactory(availability_confirmed_on=dt.date(2020, 1, 1))
    services.availability_confirm(entry=candidate, actor=people["cpo"])
    candidate.refresh_from_db()
    assert candidate.availability_confirmed_on == timezone.localdate()
    expert = PoolExpertFactory(availability_confirmed_on=None)
    services.availability_confirm(entry=expert, on=dt.date(2026, 2, 1), actor=None)
    expert.refresh_from_db()
    assert expert.availability_confirmed_on == dt.date(2026, 2, 1)


def test_declarations_are_appended(people: dict[str, Any]) -> None:
    person = PersonFactory()
    first = services.interest_declaration_add(
        person=person, text="Lid raad van toezicht.", declared_on=dt.date(2025, 1, 1), actor=None
    )
    services.interest_declaration_add(person=person, text="Geen nevenfuncties meer.", actor=None)
    first.refresh_from_db()
    assert first.text == "Lid raad van toezicht."
    assert person.interest_declarations.count() == 2
    with pytest.raises(ValidationError) as exc:
        services.interest_declaration_add(person=person, text=" ", actor=None)
    assert "text" in errors_of(exc)


# --- organisations, disciplines, circles ---------------------------------------------------------


def test_organisation_and_discipline_validation(people: dict[str, Any]) -> None:
    services.organisation_create(data=services.OrganisationData(name="Kring BV"), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            data=services.OrganisationData(name="kring bv", kind="sekte", website="ftp://x"),
            actor=None,
        )
    assert {"name", "kind", "website"} <= set(errors_of(exc))
    made = services.discipline_create(
        data=services.DisciplineData(name_nl="Digitale weerbaarheid"), actor=people["admin"]
    )
    assert made.key == "digitale-weerbaarheid"
    with pytest.raises(ValidationError) as exc:
        services.discipline_create(
            data=services.DisciplineData(name_nl="digitale weerbaarheid"), actor=None
        )
    assert "name_nl" in errors_of(exc)
    services.discipline_update(
        discipline=made,
        data=services.DisciplineData(name_nl="Digitale weerbaarheid", is_active=False),
        actor=None,
    )
    made.refresh_from_db()
    assert not made.is_active


def test_circle_validation_and_confirm(people: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        services.practice_circle_create(
            data=services.CircleData(name="", lead_organisation=None, response_hours=0),
            actor=None,
        )
    assert {"name", "lead_organisation", "response_hours"} <= set(errors_of(exc))
    lead = OrganisationFactory()
    member = OrganisationFactory()
    circle = services.practice_circle_create(
        data=services.CircleData(
            name="Kring test",
            lead_organisation=lead,
            response_hours=24,
            member_organisations=[member],
        ),
        actor=None,
    )
    assert list(circle.member_organisations.all()) == [member]
    services.practice_circle_confirm(circle=circle, on=dt.date(2026, 1, 2), actor=None)
    circle.refresh_from_db()
    assert circle.contact_confirmed_on == dt.date(2026, 1, 2)


# --- erasure -------------------------------------------------------------------------------------


def test_erase_unreferenced_person_deletes_everything(
    people: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    law = DisciplineFactory(key="t-recht")
    person = PersonFactory(name="Verwijder Mij", email="weg@example.org")
    PoolExpertFactory(person=person, disciplines=[law])
    CandidateFactory(person=person, disciplines=[law])
    services.interest_declaration_add(person=person, text="Geheim belang", actor=None)
    circle = CircleFactory(contact=person)
    ref = person.pk
    with caplog.at_level(logging.INFO, logger="paraat.network"):
        outcome = services.person_erase(person=person, reason="request", actor=people["admin"])
    assert outcome.action == "deleted"
    assert not Person.objects.filter(pk=ref).exists()
    assert not PoolExpert.objects.filter(person_id=ref).exists()
    assert not InterestDeclaration.objects.filter(person_id=ref).exists()
    circle.refresh_from_db()
    assert circle.contact is None
    record = ErasureRecord.objects.get(person_ref=ref)
    assert (record.action, record.reason, record.actor) == ("deleted", "request", people["admin"])
    assert f"#{ref}" in caplog.text
    assert "Verwijder" not in caplog.text and "weg@example.org" not in caplog.text


def test_erase_member_anonymises_and_keeps_membership(people: dict[str, Any]) -> None:
    person = PersonFactory(name="Oud Lid", email="oud@example.org", user=people["member"])
    membership = services.membership_start(
        person=person, role=CommitteeRole.MEMBER, starts_on=dt.date(2022, 9, 1), actor=None
    )
    services.interest_declaration_add(person=person, text="Hoogleraar", actor=None)
    outcome = services.person_erase(person=person, reason="request", actor=None)
    assert outcome.action == "anonymised"
    person.refresh_from_db()
    assert person.name == f"Geanonimiseerd persoon #{person.pk}"
    assert (person.email, person.phone, person.user, person.consent_on) == ("", "", None, None)
    assert person.anonymised_on == timezone.localdate()
    membership.refresh_from_db()
    assert membership.person == person
    assert person.interest_declarations.count() == 1  # part of the committee's accountability
    with pytest.raises(ValidationError):
        services.person_erase(person=person, reason="request", actor=None)
    with pytest.raises(ValidationError):
        services.person_update(person=person, data=person_data(), actor=None)


def test_erase_refuses_unknown_reason(people: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_erase(person=PersonFactory(), reason="zomaar", actor=None)
    assert "reason" in errors_of(exc)


def test_retention_run(people: dict[str, Any]) -> None:
    today = dt.date(2026, 3, 15)
    expired = PersonFactory(retention_until=dt.date(2026, 3, 14))
    member = PersonFactory(retention_until=dt.date(2025, 1, 1))
    Membership.objects.create(
        person=member, role=CommitteeRole.MEMBER, starts_on=dt.date(2022, 1, 1)
    )
    kept = PersonFactory(retention_until=today)  # the retention date itself still counts
    dry = services.retention_run(today=today, dry_run=True)
    assert {(o.person_ref, o.action) for o in dry} == {
        (expired.pk, "deleted"),
        (member.pk, "anonymised"),
    }
    assert Person.objects.filter(pk=expired.pk).exists()
    assert not ErasureRecord.objects.exists()
    done = services.retention_run(today=today)
    assert {o.reason for o in done} == {"retention"}
    assert not Person.objects.filter(pk=expired.pk).exists()
    assert Person.objects.get(pk=member.pk).anonymised_on is not None
    assert Person.objects.filter(pk=kept.pk, anonymised_on__isnull=True).exists()
    assert services.retention_run(today=today) == []
    assert PracticeCircle.objects.count() == 0
