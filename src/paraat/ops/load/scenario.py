"""``paraat loadtest setup``: the fictional accounts and advice requests of the load scenario,
made through the services in the stack's database.

* the secretariat (role CPO/secretariaat, one API token each), the members (role
  commissielid), the importers (role CPO/secretariaat: they may import references) and one
  chair, all ``is_fictional`` and named ``loadtest-…`` / "Fictief …";
* one request in draft with a first version of its text: the secretariat edits it;
* ``rounds`` requests with an open decision round each: the members are among its voters
  (rounds count the people with voting rights when they open, so the members come first);
* one published advice (voted, signed, sent, published), so ``/adviezen/`` has a page.

The manifest (JSON, readable by its owner only) tells the locustfile who logs in with what.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from paraat.ops.load.plan import PREFIX, Plan, totp

SECTIONS_START = {
    "summary": "Samenvatting (synthetisch, belastingtest).",
    "advice": "1. Eerste aanbeveling (synthetisch).\n2. Tweede aanbeveling (synthetisch).",
    "reasoning": "Onderbouwing (synthetisch).",
    "groups": "Per groep (synthetisch).",
    "mitigation": "Mitigerende maatregelen (synthetisch).",
    "dilemmas": "Dilemma's (synthetisch).",
    "minority": "",
}


class SetupError(Exception):
    pass


def draft_key() -> str:
    return f"{PREFIX}-concept"


def round_key(number: int) -> str:
    return f"{PREFIX}-stemming-{number:02d}"


def published_key() -> str:
    return f"{PREFIX}-gepubliceerd"


def _person(username: str, role: str, password: str, last_name: str) -> Any:
    """An account with an authenticator app set up, as its owner would (the roles of the
    scenario must give a code at login in production)."""
    from paraat.accounts.services import otp_device_confirm, otp_device_create, user_create

    user = user_create(
        username=username,
        password=password,
        first_name="Fictief",
        last_name=last_name,
        organisation="Belastingtest (fictief)",
        roles=[role],
        is_fictional=True,
    )
    device = otp_device_create(user=user)
    # The previous step's code (within the device's tolerance): a login in the current step
    # is then never refused as a replay of the code used here.
    otp_device_confirm(device=device, token=totp(device.key, at=time.time() - device.step))
    user.loadtest_totp_key = device.key
    return user


def _account(user: Any, **extra: str) -> dict[str, str]:
    return {"username": user.username, "totp_key": user.loadtest_totp_key, **extra}


def _request(key: str, title: str, actor: Any) -> Any:
    from paraat.advice import services

    return services.advice_request_create(
        data=services.RequestData(
            key=key,
            title=f"{title} (synthetisch)",
            question="Synthetische vraag voor de belastingtest.",
            requester="own_initiative",
            kind="urgent",
            is_synthetic=True,
        ),
        actor=actor,
    )


def _publish(request: Any, *, cpo: Any, chair: Any) -> None:
    """Through the whole process: vote (the chair alone, quorum 0), close, align, sign, send
    (without documents: the dispatch job would render them) and publish."""
    from paraat.advice import services

    services.advice_revision_save(
        request=request, sections=SECTIONS_START, base_number=None, actor=cpo
    )
    services.advice_transition(request=request, to="final_draft", actor=cpo)
    round_ = services.decision_round_open(request=request, actor=cpo, quorum=0.0)
    services.vote_cast(
        round_=round_, voter=chair, answers=[services.Answer("agree", "Belastingtest.")]
    )
    services.decision_round_close(round_=round_, actor=cpo)
    services.advice_transition(request=request, to="alignment", actor=cpo)
    services.advice_sign_off(request=request, actor=chair)
    services.advice_dispatch(request=request, actor=chair, recipient="Fictieve ontvanger")
    services.advice_publish(request=request, actor=cpo)


@transaction.atomic
def setup(plan: Plan) -> dict[str, Any]:
    """Create everything; refuses when the scenario's data is already there."""
    from paraat.accounts import roles
    from paraat.accounts.models import User
    from paraat.accounts.services import api_token_regenerate, roles_sync
    from paraat.advice import selectors, services

    if User.objects.filter(username__startswith=f"{PREFIX}-").exists():
        raise SetupError("the load-test data is already here (use a fresh database)")
    roles_sync()
    password = secrets.token_urlsafe(18)
    secretariat = [
        _person(f"{PREFIX}-secretariaat-{n:02d}", roles.CPO, password, f"Secretariaat {n:02d}")
        for n in range(1, plan.secretariat + 1)
    ]
    members = [
        _person(f"{PREFIX}-lid-{n:03d}", roles.MEMBER, password, f"Lid {n:03d}")
        for n in range(1, plan.members + 1)
    ]
    importers = [
        _person(f"{PREFIX}-import-{n:02d}", roles.CPO, password, f"Importeur {n:02d}")
        for n in range(1, plan.importers + 1)
    ]
    chair = _person(f"{PREFIX}-voorzitter", roles.CHAIR, password, "Voorzitter")
    tokens = {user.username: api_token_regenerate(user=user).key for user in secretariat}
    cpo = secretariat[0]

    draft = _request(draft_key(), "Belastingtest: concepttekst", cpo)
    services.advice_revision_save(
        request=draft, sections=SECTIONS_START, base_number=None, actor=cpo
    )
    rounds = []
    for number in range(1, plan.rounds + 1):
        request = _request(round_key(number), f"Belastingtest: stemming {number}", cpo)
        services.advice_revision_save(
            request=request, sections=SECTIONS_START, base_number=None, actor=cpo
        )
        services.advice_transition(request=request, to="final_draft", actor=cpo)
        round_ = services.decision_round_open(
            request=request,
            actor=cpo,
            closes_at=timezone.now() + dt.timedelta(days=2),
        )
        missing = {m.pk for m in members} - set(round_.voter_ids)
        if missing:
            raise SetupError(f"round {number}: members missing from the voters")
        rounds.append(request.key)
    publication = _request(published_key(), "Belastingtest: gepubliceerd advies", cpo)
    _publish(publication, cpo=cpo, chair=chair)
    published = [advice.key for advice in selectors.public_list()]
    return {
        "plan": plan.as_dict(),
        "password": password,
        "secretariat": [_account(u, token=tokens[u.username]) for u in secretariat],
        "members": [_account(u) for u in members],
        "importers": [_account(u) for u in importers],
        "draft": draft.key,
        "draft_revisions_before": draft.revisions.count(),
        "rounds": rounds,
        "published": published,
        "created_at": timezone.now().isoformat(),
    }


def write_manifest(manifest: dict[str, Any], path: Path) -> None:
    """Owner-only: the manifest holds the password and the API tokens."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1)
