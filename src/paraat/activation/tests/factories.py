"""Test data for activation: fictional people in every role, ministries, candidates in the card
index, and helpers that walk a case along the path through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.activation import services
from paraat.activation.models import ActivationCase, ActivationSignal, SecondmentAgreement
from paraat.network.models import Candidate, Organisation, OrganisationKind, Person


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Ministerie van Voorbeeldzaken {n}")
    abbreviation = factory.Sequence(lambda n: f"MVZ{n}")
    kind = OrganisationKind.MINISTRY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Fictieve Kandidaat {n}")
    email = factory.Sequence(lambda n: f"kandidaat{n}@example.org")
    is_fictional = True


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    person = factory.SubFactory(PersonFactory)
    availability_confirmed_on = factory.LazyFunction(timezone.localdate)


def people() -> dict[str, Any]:
    """Fictional users in every role that matters here (roles synchronised first)."""
    roles_sync()
    return {
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
        "szw": UserFactory(username="szw", roles=[roles.SZW_OFFICER]),
        "member": UserFactory(username="lid", roles=[roles.MEMBER]),
        "chair": UserFactory(username="voorzitter", roles=[roles.CHAIR]),
        "admin": UserFactory(username="beheerder", roles=[roles.ADMIN]),
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
    }


def ministry(abbreviation: str = "SZW", name: str = "") -> Organisation:
    return OrganisationFactory(
        name=name or f"Ministerie {abbreviation} (test)", abbreviation=abbreviation
    )


def agreement_make(*, actor: Any, **overrides: Any) -> SecondmentAgreement:
    values: dict[str, Any] = {
        "ministry": ministry(),
        "people": 3,
        "fte": Decimal("2.4"),
        "lead_time_days": 5,
        "contact": "Afdeling HR (fictief)",
        "valid_until": timezone.localdate() + dt.timedelta(days=365),
        "is_synthetic": True,
    }
    values.update(overrides)
    return services.agreement_create(data=services.AgreementData(**values), actor=actor)


def case_make(*, actor: Any, **overrides: Any) -> ActivationCase:
    values: dict[str, Any] = {
        "title": "Nieuw virus (synthetisch)",
        "description": "Een synthetisch scenario voor de test.",
        "scenario_level": "flu_plus",
        "is_synthetic": True,
    }
    values.update(overrides)
    return services.case_create(actor=actor, **values)


def judged(case: ActivationCase, *, actor: Any) -> ActivationCase:
    for criterion in ("scale", "duration", "impact", "omt_activated", "binding_measures"):
        services.criterion_judge(
            case=case,
            criterion=criterion,
            judgement="met",
            evidence_text=f"Onderbouwing van {criterion} (synthetisch).",
            actor=actor,
        )
    return case


def signalled(case: ActivationCase, *, actor: Any) -> ActivationCase:
    """Judge, create a signal version with (fake) documents and record it as sent today."""
    judged(case, actor=actor)
    signal = services.signal_create(case=case, actor=actor)
    services.documents_attach(
        obj=signal, documents={"pdf": ("s.pdf", b"%PDF-1.4 fake")}, actor=actor
    )
    # Drafted three days ago and sent two days ago, so a decision can lie in the past.
    ActivationSignal.objects.filter(pk=signal.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    signal.refresh_from_db()
    services.signal_record_sent(
        signal=signal, sent_on=timezone.localdate() - dt.timedelta(days=2), actor=actor
    )
    return case


def established(case: ActivationCase, *, cpo: Any, szw: Any) -> ActivationCase:
    signalled(case, actor=cpo)
    services.decision_record(
        case=case,
        decision="establish",
        decided_at=timezone.now() - dt.timedelta(hours=30),
        actor=szw,
    )
    return case


def close_response(response: Any) -> None:
    """Close a streamed test response without closing the test's database connection."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
