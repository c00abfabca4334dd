"""Anonymity by design: nothing in the database links an answer to a panelist."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import models

from paraat.assessments.tests.factories import AssessmentFactory
from paraat.panels import services
from paraat.panels.models import Answer, Ballot, Invitation, Panelist, Response
from paraat.panels.tests.factories import answers_for, panel_make, questionnaire_make, tokens_for

pytestmark = pytest.mark.django_db

_PERSON_MODELS = {Panelist, Invitation, apps.get_model("accounts", "User")}


def _related(model: type[models.Model]) -> set[type[models.Model]]:
    return {
        f.related_model
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model is not None
    }


@pytest.mark.parametrize("model", [Response, Answer, Ballot])
def test_answer_models_have_no_link_to_a_person_and_no_time(model: type[models.Model]) -> None:
    assert not (_related(model) & _PERSON_MODELS)
    times = [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.DateField | models.DateTimeField | models.TimeField)
    ]
    assert times == []
    # random keys: a sequence would reveal the order of submission
    assert isinstance(model._meta.pk, models.UUIDField)


def test_invitation_records_only_a_date_and_no_answer() -> None:
    fields = {f.name for f in Invitation._meta.get_fields()}
    assert "response" not in fields and "ballot" not in fields
    assert isinstance(Invitation._meta.get_field("used_on"), models.DateField)
    assert not isinstance(Invitation._meta.get_field("used_on"), models.DateTimeField)


def test_stored_rows_and_audit_log_cannot_link_answer_and_panelist() -> None:
    panel = panel_make(panelists=2)
    q = questionnaire_make(panel=panel)
    (p1, t1), (_p2, _t2) = tokens_for(q)
    services.response_submit(token=t1, data=answers_for(q, text="Mijn eigen verhaal"))
    response = Response.objects.get()
    row = {f.attname: getattr(response, f.attname) for f in Response._meta.concrete_fields}
    assert set(row) == {"id", "questionnaire_id", "is_synthetic"}
    # the audit log has nothing of the answers (their creation time would link them)
    for model in (Response, Answer, Ballot):
        assert not LogEntry.objects.get_for_model(model).exists()
    # the panelist's address is not copied into the log
    for entry in LogEntry.objects.get_for_model(Panelist):
        assert "email" not in (entry.changes_dict or {})
    # nothing of the answer text sits on the invitation or the panelist
    inv = Invitation.objects.get(panelist=p1)
    assert inv.used_on is not None
    values = [str(v) for v in Invitation.objects.values().get(pk=inv.pk).values()]
    assert not any("verhaal" in v for v in values)


def test_ballot_rows_are_anonymous() -> None:
    assessment = AssessmentFactory()
    import datetime as dt

    from django.utils import timezone

    session = services.session_create(
        panel=panel_make(panelists=1),
        data=services.SessionData(
            title="Sessie",
            kind="rank_domains",
            opens_at=timezone.now() - dt.timedelta(hours=1),
            closes_at=timezone.now() + dt.timedelta(hours=1),
            assessment=assessment,
        ),
        actor=None,
    )
    ((_p, token),) = tokens_for(session)
    services.ballot_submit(token=token, data={"ranking": ["economy", "mental-health"]})
    ballot = Ballot.objects.get()
    row = {f.attname for f in Ballot._meta.concrete_fields}
    assert row == {"id", "session_id", "ranking", "option_id", "is_synthetic"}
    assert ballot.ranking == ["economy", "mental-health"]
