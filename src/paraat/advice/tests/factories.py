"""Test data for the advice process. Requests are made through the services, so the first
status and the OMT briefing exist exactly as in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.models import User
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.advice import services
from paraat.advice.models import AdviceRequest, RecipientKind
from paraat.measures.tests.factories import PackageFactory


def committee() -> dict[str, Any]:
    """Fictional people in every role of the process (roles synchronised first)."""
    roles_sync()
    return {
        "cpo": UserFactory(username="cpo", roles=[roles.CPO], email="cpo@example.org"),
        "chair": UserFactory(username="voorzitter", roles=[roles.CHAIR], email="vz@example.org"),
        "members": [
            UserFactory(username=f"lid{i}", roles=[roles.MEMBER], email=f"lid{i}@example.org")
            for i in range(1, 4)
        ],
        "expert": UserFactory(
            username="expertlid",
            roles=[roles.EXPERT_MEMBER],
            email="expert@example.org",
            organisation="SCP",
        ),
        "szw": UserFactory(username="szw", roles=[roles.SZW_OFFICER], email="szw@example.org"),
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "admin": UserFactory(username="beheerder", roles=[roles.ADMIN]),
    }


def request_make(*, actor: User, **overrides: Any) -> AdviceRequest:
    values: dict[str, Any] = {
        "title": "Reizigers uit China (synthetisch)",
        "question": "Welke maatregelen voor reizigers uit China zijn proportioneel?",
        "requester": "sg_szw",
        "kind": "urgent",
        "options": [PackageFactory()],
        "is_synthetic": True,
    }
    values.update(overrides)
    return services.advice_request_create(data=services.RequestData(**values), actor=actor)


def input_make(
    *, request: AdviceRequest, actor: User, kind: str = RecipientKind.PRACTICE_CIRCLE, **kw: Any
) -> tuple[Any, str]:
    data = {
        "recipient_kind": kind,
        "recipient_name": "Kring reizen en toerisme",
        "recipient_email": "kring@example.org",
        "question": "Welke signalen ziet u bij reizigers?",
        "deadline": timezone.now() + dt.timedelta(hours=20),
        "organisation": "Praktijkkring reizen (fictief)",
    }
    data.update(kw)
    return services.input_request_create(
        request=request, data=services.InputRequestData(**data), actor=actor
    )


SECTIONS = {
    "summary": "Samenvatting.",
    "advice": "1. Geen inreisverbod.\n2. Wel een test vóór vertrek.",
    "reasoning": "Onderbouwing.",
}


def decided(*, request: AdviceRequest, people: dict[str, Any]) -> AdviceRequest:
    """Bring ``request`` to the chairs' alignment: text, a vote by consensus."""
    services.advice_revision_save(
        request=request, sections=SECTIONS, base_number=None, actor=people["cpo"]
    )
    services.advice_transition(request=request, to="final_draft", actor=people["cpo"])
    round_ = services.decision_round_open(request=request, actor=people["cpo"])
    for voter in [people["chair"], *people["members"]]:
        services.vote_cast(round_=round_, voter=voter, answers=[services.Answer("agree")])
    services.decision_round_close(round_=round_, actor=people["chair"])
    services.advice_transition(request=request, to="alignment", actor=people["chair"])
    return request


def close_response(response: Any) -> None:
    """Close a streamed test response (its file) without ending the test's database
    connection: ``response.close()`` sends ``request_finished``, whose handler would close a
    connection that is inside the test transaction (as Django's test client avoids too)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
