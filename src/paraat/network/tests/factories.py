"""Test data for the network.  Fictional people and organisations only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.network.models import (
    Candidate,
    Discipline,
    Organisation,
    OrganisationKind,
    Person,
    PoolExpert,
    PracticeCircle,
)

TODAY = dt.date(2026, 3, 15)


def in_two_years() -> dt.date:
    from paraat.network.selectors import years_later

    return years_later(timezone.localdate(), 2)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n} (fictief)")
    abbreviation = ""
    kind = OrganisationKind.CIVIL_SOCIETY
    is_synthetic = True


class InstitutionFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Instituut {n}")
    abbreviation = factory.Sequence(lambda n: f"I{n}")
    kind = OrganisationKind.INSTITUTION
    is_synthetic = False


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Fictief Persoon {n}")
    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    phone = "+31 6 00000000"
    consent_on = dt.date(2025, 1, 1)
    consent_scope = "expertpool en kaartenbak (test)"
    retention_until = factory.LazyFunction(in_two_years)
    is_fictional = True


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discipline
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"discipline-{n}")
    name_nl = factory.LazyAttribute(lambda o: o.key.replace("-", " "))


class PoolExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoolExpert
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    availability_confirmed_on = dt.date(2026, 1, 1)

    @factory.post_generation
    def disciplines(self, create: bool, extracted: Any, **kwargs: object) -> None:
        if create and extracted:
            self.disciplines.set(extracted)


class CandidateFactory(PoolExpertFactory):
    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    notes = ""


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeCircle
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Praktijkkring {n} (fictief)")
    lead_organisation = factory.SubFactory(OrganisationFactory)
    contact = factory.SubFactory(PersonFactory)
    response_hours = 48
    contact_confirmed_on = dt.date(2026, 1, 1)
    is_synthetic = True

    @factory.post_generation
    def groups(self, create: bool, extracted: Any, **kwargs: object) -> None:
        if create and extracted:
            self.groups.set(extracted)


def cast() -> dict[str, Any]:
    """Fictional accounts in the roles the network pages distinguish (roles synchronised)."""
    roles_sync()
    return {
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
        "admin": UserFactory(username="beheerder", roles=[roles.ADMIN]),
        "chair": UserFactory(username="voorzitter", roles=[roles.CHAIR]),
        "member": UserFactory(username="lid", roles=[roles.MEMBER]),
        "expert": UserFactory(username="expertlid", roles=[roles.EXPERT_MEMBER]),
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "szw": UserFactory(username="szw", roles=[roles.SZW_OFFICER]),
        "external": UserFactory(username="extern", roles=[roles.EXTERNAL_EXPERT]),
    }
