"""Reads of the network: the committee on a date, lists per role, the coverage with worked
numbers (docs/methodology/network-coverage.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from paraat.network import selectors
from paraat.network.models import CommitteeRole, Discipline, Membership
from paraat.network.tests.factories import (
    CandidateFactory,
    CircleFactory,
    DisciplineFactory,
    InstitutionFactory,
    PersonFactory,
    PoolExpertFactory,
)
from paraat.taxonomies.tests.factories import PopulationGroupFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 15)


def test_committee_on_a_date_in_role_order() -> None:
    scp = InstitutionFactory(abbreviation="SCP")
    chair, member, expert, cpo, old = (PersonFactory(name=n) for n in "EDCBA")
    Membership.objects.create(person=cpo, role=CommitteeRole.CPO, starts_on=dt.date(2024, 9, 1))
    Membership.objects.create(
        person=expert,
        role=CommitteeRole.EXPERT_MEMBER,
        institution=scp,
        starts_on=dt.date(2022, 9, 1),
    )
    Membership.objects.create(
        person=member, role=CommitteeRole.MEMBER, starts_on=dt.date(2022, 9, 1)
    )
    Membership.objects.create(person=chair, role=CommitteeRole.CHAIR, starts_on=dt.date(2022, 9, 1))
    Membership.objects.create(
        person=old,
        role=CommitteeRole.MEMBER,
        starts_on=dt.date(2022, 9, 1),
        ends_on=dt.date(2024, 8, 31),
    )
    on_2023 = [m.person for m in selectors.committee_on(on=dt.date(2023, 1, 1))]
    assert on_2023 == [chair, old, member, expert]  # by role, then by name
    on_2025 = [m.person for m in selectors.committee_on(on=dt.date(2025, 1, 1))]
    assert on_2025 == [chair, member, expert, cpo]
    # The last day of a membership still counts; the day after does not.
    assert old in [m.person for m in selectors.committee_on(on=dt.date(2024, 8, 31))]
    assert old not in [m.person for m in selectors.committee_on(on=dt.date(2024, 9, 1))]
    assert selectors.voting_members_on(on=dt.date(2025, 1, 1)).count() == 2


def test_people_and_candidates_only_for_the_managing_roles(people: dict[str, Any]) -> None:
    CandidateFactory()
    PersonFactory()
    assert selectors.person_list(user=people["cpo"]).count() == 2
    assert selectors.person_list(user=people["admin"]).count() == 2
    assert selectors.candidate_list(user=people["cpo"]).count() == 1
    for role in ("member", "chair", "expert", "analyst", "szw", "admin"):
        assert not selectors.candidate_list(user=people[role]).exists(), role
    for role in ("member", "chair", "expert", "analyst", "szw"):
        assert not selectors.person_list(user=people[role]).exists(), role
    assert selectors.can_see_contact(user=people["cpo"])
    assert selectors.can_see_contact(user=people["admin"])
    assert not selectors.can_see_contact(user=people["chair"])


def test_person_list_filters(people: dict[str, Any]) -> None:
    law = DisciplineFactory(key="t-recht")
    care = DisciplineFactory(key="t-zorg")
    org = InstitutionFactory()
    fresh = PoolExpertFactory(disciplines=[law], availability_confirmed_on=dt.date(2026, 1, 1))
    old = CandidateFactory(disciplines=[care], availability_confirmed_on=dt.date(2024, 1, 1))
    chair = PersonFactory(organisation=org, name="Voorzitter Fictief")
    Membership.objects.create(person=chair, role=CommitteeRole.CHAIR, starts_on=dt.date(2022, 1, 1))
    cpo = people["cpo"]

    def names(**kw: Any) -> set[str]:
        return {p.name for p in selectors.person_list(user=cpo, today=TODAY, **kw)}

    assert names(role="chair") == {"Voorzitter Fictief"}
    assert names(role="pool") == {fresh.person.name}
    assert names(role="candidate") == {old.person.name}
    assert names(discipline=care) == {old.person.name}
    assert names(organisation=org) == {"Voorzitter Fictief"}
    assert names(stale=True) == {old.person.name}
    assert names(q="voorzitter") == {"Voorzitter Fictief"}


@override_settings(PARAAT_NETWORK_MIN_CONTACTS=2, PARAAT_NETWORK_STALE_MONTHS=12)
def test_coverage_worked_example() -> None:
    """The worked example of the methodology page, on 15 March 2026 (cutoff 15 March 2025).

    gedrag: pool 1 Feb 2026, candidate on the cutoff (15 Mar 2025), pool 14 Mar 2025 (stale)
            → 3 contacts, 1 stale, 2 current: flagged "stale" only.
    recht:  one pool expert confirmed 1 Jan 2026 → 1 contact: flagged "too few".
    sport:  a person in pool (1 Jan 2026) *and* card index (never) counts once with the later
            date; a second, never confirmed → 2 contacts, 1 stale: "too few" and "stale".
    zorg:   two confirmed in 2026 → not flagged.  Inactive entries and anonymised people are
            not contacts.
    """
    Discipline.objects.all().delete()
    behaviour = DisciplineFactory(key="gedrag", name_nl="gedrag", position=1)
    law = DisciplineFactory(key="recht", name_nl="recht", position=2)
    sport = DisciplineFactory(key="sport", name_nl="sport", position=3)
    care = DisciplineFactory(key="zorg", name_nl="zorg", position=4)
    DisciplineFactory(key="oud", name_nl="oud", is_active=False)
    PoolExpertFactory(disciplines=[behaviour], availability_confirmed_on=dt.date(2026, 2, 1))
    CandidateFactory(disciplines=[behaviour], availability_confirmed_on=dt.date(2025, 3, 15))
    PoolExpertFactory(disciplines=[behaviour], availability_confirmed_on=dt.date(2025, 3, 14))
    PoolExpertFactory(disciplines=[law], availability_confirmed_on=dt.date(2026, 1, 1))
    both = PoolExpertFactory(disciplines=[sport], availability_confirmed_on=dt.date(2026, 1, 1))
    CandidateFactory(person=both.person, disciplines=[sport], availability_confirmed_on=None)
    CandidateFactory(disciplines=[sport], availability_confirmed_on=None)
    PoolExpertFactory(disciplines=[care], availability_confirmed_on=dt.date(2026, 1, 1))
    PoolExpertFactory(disciplines=[care], availability_confirmed_on=dt.date(2026, 3, 1))
    PoolExpertFactory(disciplines=[care], is_active=False)
    CandidateFactory(disciplines=[care], person=PersonFactory(anonymised_on=dt.date(2026, 1, 1)))
    rows = {r.key: r for r in selectors.coverage(today=TODAY) if r.kind == "discipline"}
    assert list(rows) == ["gedrag", "recht", "sport", "zorg"]
    summary = {k: (r.contacts, r.stale, r.current, r.flagged, r.codes) for k, r in rows.items()}
    assert summary == {
        "gedrag": (3, 1, 2, True, ["stale"]),
        "recht": (1, 0, 1, True, ["too_few"]),
        "sport": (2, 1, 1, True, ["too_few", "stale"]),
        "zorg": (2, 0, 2, False, []),
    }
    assert rows["recht"].reasons == ["te weinig actuele contacten: 1, minimaal 2"]
    assert rows["gedrag"].reasons == ["1 contact(en) niet bevestigd in de laatste 12 maanden"]


@override_settings(PARAAT_NETWORK_MIN_CONTACTS=1, PARAAT_NETWORK_STALE_MONTHS=6)
def test_coverage_of_groups_follows_the_settings() -> None:
    Discipline.objects.all().delete()
    elderly = PopulationGroupFactory(key="t-ouderen", name_nl="Ouderen", is_vulnerable=True)
    young = PopulationGroupFactory(key="t-jongeren", name_nl="Jongeren", is_vulnerable=True)
    travellers = PopulationGroupFactory(key="t-reizigers", is_vulnerable=False)
    unlisted = PopulationGroupFactory(key="t-anders", is_vulnerable=False)
    CircleFactory(groups=[elderly, travellers], contact_confirmed_on=dt.date(2026, 1, 1))
    CircleFactory(groups=[young], contact_confirmed_on=dt.date(2025, 9, 14))  # > 6 months
    CircleFactory(groups=[young], contact=None)  # no contact: not a contact
    CircleFactory(groups=[unlisted], is_active=False)
    rows = {r.key: r for r in selectors.coverage(today=TODAY) if r.kind == "group"}
    assert rows["t-ouderen"].flagged is False
    assert rows["t-reizigers"].contacts == 1  # listed because a circle speaks for it
    assert (rows["t-jongeren"].contacts, rows["t-jongeren"].stale) == (1, 1)
    assert rows["t-jongeren"].codes == ["too_few", "stale"]
    assert "t-anders" not in rows


def test_pool_and_circle_lists() -> None:
    law = DisciplineFactory(key="t-recht")
    care = DisciplineFactory(key="t-zorg")
    a = PoolExpertFactory(disciplines=[law])
    PoolExpertFactory(disciplines=[care])
    PoolExpertFactory(disciplines=[law], is_active=False)
    assert list(selectors.pool_expert_list(discipline=law)) == [a]
    assert selectors.pool_expert_list().count() == 2
    active = CircleFactory(response_hours=36)
    CircleFactory(is_active=False)
    assert list(selectors.practice_circle_list()) == [active]
    assert selectors.practice_circle_list(active_only=False).count() == 2
    assert selectors.circle_response_hours() == {active.name: 36}


def test_privacy_overview_lists_every_use(people: dict[str, Any]) -> None:
    law = DisciplineFactory(key="t-recht")
    person = PersonFactory(retention_until=dt.date(2026, 1, 1))
    PoolExpertFactory(person=person, disciplines=[law])
    circle = CircleFactory(contact=person)
    Membership.objects.create(
        person=person, role=CommitteeRole.MEMBER, starts_on=dt.date(2022, 1, 1)
    )
    overview = selectors.privacy_overview(person=person, today=TODAY)
    assert overview.pool is not None and overview.candidate is None
    assert overview.circles == [circle]
    assert len(overview.memberships) == 1
    assert overview.retention_passed
    labels = [label for label, _value in overview.stored]
    assert "E-mailadres (werk)" in labels and "Bewaren tot" in labels
    assert selectors.person_references(person=person) == {"lidmaatschappen": 1}
