"""Test data for the citizen panel, made through the services (as in production)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.models import User
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.panels import services
from paraat.panels.models import DilemmaSession, Panel, Panelist, QuestionKind, Questionnaire


def people() -> dict[str, Any]:
    """Fictional users in the roles that matter here (roles synchronised first)."""
    roles_sync()
    return {
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
        "member": UserFactory(username="lid1", roles=[roles.MEMBER]),
        "chair": UserFactory(username="voorzitter", roles=[roles.CHAIR]),
        "admin": UserFactory(username="beheerder", roles=[roles.ADMIN]),
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "szw": UserFactory(username="szw", roles=[roles.SZW_OFFICER]),
    }


def panel_make(*, actor: User | None = None, panelists: int = 3, **kw: Any) -> Panel:
    panel = services.panel_create(name=kw.pop("name", "Testpanel (fictief)"), actor=actor, **kw)
    today = timezone.localdate()
    for i in range(panelists):
        services.panelist_add(
            panel=panel,
            data=services.PanelistData(
                code=f"T-{i:02d}",
                email=f"p{i}@example.org",
                consent_on=today - dt.timedelta(days=10),
                consent_text="Ik doe mee (test).",
                retention_until=today + dt.timedelta(days=365),
                is_fictional=True,
            ),
            actor=actor,
        )
    return panel


def questionnaire_make(
    *, panel: Panel, actor: User | None = None, open_now: bool = True, **kw: Any
) -> Questionnaire:
    now = timezone.now()
    q = services.questionnaire_create(
        panel=panel,
        data=services.QuestionnaireData(
            title=kw.pop("title", "Scholen open? (test)"),
            opens_at=kw.pop("opens_at", now - dt.timedelta(days=1)),
            closes_at=kw.pop("closes_at", now + dt.timedelta(days=(7 if open_now else -0.5))),
            **kw,
        ),
        actor=actor,
    )
    services.question_add(
        questionnaire=q,
        kind=QuestionKind.LIKERT,
        text="Scholen moeten open blijven.",
        required=True,
        actor=actor,
    )
    services.question_add(
        questionnaire=q,
        kind=QuestionKind.CHOICE,
        text="Wat weegt het zwaarst?",
        choices=["Leren", "Gezondheid", "Werk"],
        actor=actor,
    )
    services.question_add(
        questionnaire=q, kind=QuestionKind.OPEN, text="Wat wilt u nog kwijt?", actor=actor
    )
    return q


def tokens_for(target: Questionnaire | DilemmaSession) -> list[tuple[Panelist, str]]:
    """Invite without mail and return the links' tokens (never stored)."""
    if isinstance(target, Questionnaire):
        return services.invitations_send(questionnaire=target, actor=None, mail=False).tokens
    return services.invitations_send(session=target, actor=None, mail=False).tokens


def answers_for(
    q: Questionnaire, likert: str = "4", choice: str = "Leren", text: str = ""
) -> dict[str, str]:
    rows = list(q.questions.order_by("position"))
    data = {services.field_name(rows[0]): likert, services.field_name(rows[1]): choice}
    if text:
        data[services.field_name(rows[2])] = text
    return data


def close_response(response: Any) -> None:
    close = getattr(response, "close", None)
    if callable(close):
        close()
