"""Services and selectors of the citizen panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from paraat.assessments.tests.factories import AssessmentFactory, filled_assessment, option_make
from paraat.evidence.models import EvidenceType, KnowledgeClass
from paraat.panels import selectors, services
from paraat.panels.models import Invitation, Panelist, QuestionKind, SessionKind
from paraat.panels.tests.factories import answers_for, panel_make, questionnaire_make, tokens_for

pytestmark = pytest.mark.django_db


def _session(panel: Any, assessment: Any, **kw: Any) -> Any:
    now = timezone.now()
    return services.session_create(
        panel=panel,
        data=services.SessionData(
            title=kw.pop("title", "Domeinen rangschikken (test)"),
            kind=kw.pop("kind", SessionKind.RANK_DOMAINS),
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=3),
            assessment=assessment,
            **kw,
        ),
        actor=None,
    )


def test_panelist_add_validates_and_generates_a_pseudonym() -> None:
    panel = panel_make(panelists=0)
    today = timezone.localdate()
    row = services.panelist_add(
        panel=panel,
        data=services.PanelistData(
            consent_on=today, consent_text="Ja", retention_until=today + dt.timedelta(days=1)
        ),
        actor=None,
    )
    assert row.code.startswith("P-") and len(row.code) == 8 and row.email == ""
    with pytest.raises(ValidationError) as exc:
        services.panelist_add(
            panel=panel,
            data=services.PanelistData(
                consent_on=today + dt.timedelta(days=1),
                consent_text=" ",
                retention_until=today,
                email="geen-adres",
                code=row.code,
            ),
            actor=None,
        )
    assert set(exc.value.message_dict) == {
        "consent_on",
        "consent_text",
        "retention_until",
        "email",
        "code",
    }


def test_questionnaire_answer_once_and_results() -> None:
    panel = panel_make(panelists=4)
    q = questionnaire_make(panel=panel)
    tokens = tokens_for(q)
    assert len(tokens) == 4
    inv = Invitation.objects.get(panelist=tokens[0][0])
    assert (
        inv.token_hash == services.token_hash(tokens[0][1]) and tokens[0][1] not in inv.token_hash
    )
    services.response_submit(token=tokens[0][1], data=answers_for(q, "5", "Leren", "Meer uitleg"))
    services.response_submit(token=tokens[1][1], data=answers_for(q, "4", "Gezondheid"))
    services.response_submit(token=tokens[2][1], data=answers_for(q, "2", "Leren"))
    assert services.invitation_by_token(tokens[0][1])[1] == services.LinkState.USED
    with pytest.raises(ValidationError) as exc:
        services.response_submit(token=tokens[0][1], data=answers_for(q))
    assert "token" in exc.value.message_dict
    results = selectors.questionnaire_results(questionnaire=q, with_open=True)
    assert results.responses == 3 and results.invited == 4 and results.used == 3
    likert, choice, open_q = results.questions
    assert likert.likert is not None and likert.likert.median == 4.0
    assert likert.likert.counts == (0, 1, 0, 1, 1)
    shares = {s.key: s for s in choice.shares}
    assert shares["Leren"].count == 2 and shares["Leren"].share == pytest.approx(2 / 3)
    assert 0 < shares["Leren"].low < 2 / 3 < shares["Leren"].high < 1
    assert shares["Werk"].count == 0 and shares["Werk"].low == 0
    assert open_q.open_answers == ["Meer uitleg"]
    assert selectors.questionnaire_results(questionnaire=q).questions[2].open_answers == []


def test_answers_parse_errors_by_field() -> None:
    q = questionnaire_make(panel=panel_make(panelists=0))
    rows = list(q.questions.order_by("position"))
    with pytest.raises(ValidationError) as exc:
        services.answers_parse(
            questions=rows,
            data={
                services.field_name(rows[0]): "6",
                services.field_name(rows[1]): "Iets anders",
                services.field_name(rows[2]): "x" * (services.MAX_TEXT + 1),
            },
        )
    assert set(exc.value.message_dict) == {f"q{r.pk}" for r in rows}
    with pytest.raises(ValidationError) as exc:
        services.answers_parse(questions=rows, data={})
    assert f"q{rows[0].pk}" in exc.value.message_dict  # required


def test_link_states() -> None:
    panel = panel_make(panelists=2)
    now = timezone.now()
    later = questionnaire_make(
        panel=panel, opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=2)
    )
    closed = questionnaire_make(
        panel=panel, opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(minutes=1)
    )
    (_p0, t_later), _ = tokens_for(later)
    (_p, t_closed), (p2, t_revoked) = tokens_for(closed)
    assert services.invitation_by_token(t_later)[1] == services.LinkState.NOT_OPEN
    closed.closes_at = now - dt.timedelta(minutes=1)
    closed.save()
    assert services.invitation_by_token(t_closed)[1] == services.LinkState.CLOSED
    services.panelist_withdraw(panelist=p2, actor=None)
    assert services.invitation_by_token(t_revoked)[1] == services.LinkState.REVOKED
    assert services.invitation_by_token("nonsense")[1] == services.LinkState.UNKNOWN
    assert services.invitation_by_token("")[1] == services.LinkState.UNKNOWN
    assert services.invitation_by_token("x" * 500)[1] == services.LinkState.UNKNOWN
    p2.refresh_from_db()
    assert p2.email == "" and p2.withdrawn_at is not None


def test_invitations_mail_only_those_with_an_address(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    panel = panel_make(panelists=3)
    Panelist.objects.filter(code="T-02").update(email="")
    q = questionnaire_make(panel=panel)
    with pytest.raises(ValueError):
        services.invitations_send(actor=None)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        run = services.invitations_send(questionnaire=q, actor=None)
    assert (run.sent, run.skipped_no_email, run.already) == (2, 1, 0)
    assert len(mail.outbox) == 2
    assert "/burgerpanel/antwoord/" in mail.outbox[0].body
    again = services.invitations_send(questionnaire=q, actor=None)
    assert again.sent == 0 and again.already == 2


def test_question_changes_refused_after_answers() -> None:
    panel = panel_make(panelists=1)
    q = questionnaire_make(panel=panel)
    ((_p, token),) = tokens_for(q)
    services.response_submit(token=token, data=answers_for(q))
    with pytest.raises(ValidationError):
        services.question_add(questionnaire=q, kind=QuestionKind.OPEN, text="Nog iets?", actor=None)
    with pytest.raises(ValidationError):
        services.question_delete(question=q.questions.first(), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.question_add(
            questionnaire=questionnaire_make(panel=panel),
            kind=QuestionKind.CHOICE,
            text="Kies",
            choices=["één"],
            actor=None,
        )
    assert "choices" in exc.value.message_dict


def test_publish_questionnaire_as_evidence() -> None:
    panel = panel_make(panelists=2)
    q = questionnaire_make(panel=panel)
    with pytest.raises(ValidationError):
        services.questionnaire_publish_evidence(questionnaire=q, actor=None)
    (_p, token), _rest = tokens_for(q)
    services.response_submit(token=token, data=answers_for(q, text="Geheim open antwoord"))
    item = services.questionnaire_publish_evidence(questionnaire=q, actor=None)
    assert item.item_type == EvidenceType.CITIZEN_PANEL
    assert item.knowledge_class == KnowledgeClass.EXPERIENTIAL
    assert item.confidentiality == "internal"
    assert "n = 1" in item.summary and panel.name in item.summary
    assert "Geheim open antwoord" not in item.summary
    q.refresh_from_db()
    assert q.evidence_item == item


def test_rank_session_results_distribution_and_evidence() -> None:
    assessment = AssessmentFactory()
    panel = panel_make(panelists=3)
    session = _session(panel, assessment, offer_weights=True)
    items = services.session_items(session)
    assert sorted(items) == ["economy", "mental-health"]
    (_a, t1), (_b, t2), (_c, t3) = tokens_for(session)
    services.ballot_submit(token=t1, data={"ranking": ["mental-health", "economy"]})
    services.ballot_submit(token=t2, data={"rank_mental-health": "1", "rank_economy": "2"})
    services.ballot_submit(token=t3, data={"ranking": ["economy", "mental-health"]})
    res = selectors.session_results(session=session)
    assert res.ballots == 3
    top = res.ranking[0]
    assert top.key == "mental-health" and top.mean_weight == pytest.approx((0.75 * 2 + 0.25) / 3)
    dist = selectors.session_weight_distribution(session=session)
    assert dist is not None and dist.participants == 3
    assert [d.session_pk for d in selectors.weight_distributions_for(assessment=assessment)] == [
        session.pk
    ]
    item = services.session_publish_evidence(session=session, actor=None)
    assert item.knowledge_class == KnowledgeClass.EXPERIENTIAL and "n = 3" in item.summary


def test_ballot_parse_errors() -> None:
    assessment = AssessmentFactory()
    session = _session(panel_make(panelists=0), assessment)
    with pytest.raises(ValidationError) as exc:
        services.ballot_parse(
            session=session, data={"rank_mental-health": "1", "rank_economy": "1"}
        )
    assert "ranking" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.ballot_parse(session=session, data={"rank_economy": "9"})
    assert {"rank_economy", "rank_mental-health"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        services.ballot_parse(session=session, data={"ranking": ["economy", "economy"]})


def test_choice_session() -> None:
    assessment = AssessmentFactory()
    option_make(assessment, key="masks")
    panel = panel_make(panelists=3)
    session = _session(panel, assessment, kind=SessionKind.CHOOSE_OPTION)
    assert len(services.session_items(session)) == 2
    (_a, t1), (_b, t2), (_c, t3) = tokens_for(session)
    services.ballot_submit(token=t1, data={"option": "masks"})
    services.ballot_submit(token=t2, data={"option": "masks"})
    with pytest.raises(ValidationError):
        services.ballot_submit(token=t3, data={"option": "bestaat-niet"})
    res = selectors.session_results(session=session)
    masks = next(c for c in res.choices if c.key == "masks")
    assert masks.count == 2 and masks.share == 1.0 and masks.high == 1.0 and masks.low < 1.0
    with pytest.raises(ValidationError) as exc:
        _session(panel, None, kind=SessionKind.CHOOSE_OPTION)
    assert "assessment" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _session(panel, assessment, kind=SessionKind.CHOOSE_OPTION, offer_weights=True)
    assert "offer_weights" in exc.value.message_dict


def test_session_needs_two_domains() -> None:
    with pytest.raises(ValidationError) as exc:
        _session(panel_make(panelists=0), None, domain_keys=("onbekend",))
    assert "domain_keys" in exc.value.message_dict


def test_panelist_delete_and_retention_keep_anonymous_answers() -> None:
    panel = panel_make(panelists=2)
    q = questionnaire_make(panel=panel)
    (p1, token), (p2, _t) = tokens_for(q)
    services.response_submit(token=token, data=answers_for(q))
    services.panelist_delete(panelist=p1, actor=None)
    assert q.responses.count() == 1
    assert not Invitation.objects.filter(panelist_id=p1.pk).exists()
    Panelist.objects.filter(pk=p2.pk).update(
        retention_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert services.panelists_retention_apply() == 1
    assert not Panelist.objects.filter(pk=p2.pk).exists()


def test_weight_distribution_feeds_the_assessment() -> None:
    """End to end: a ranking session offered to an assessment → its analysis shows both."""
    from paraat.assessments import selectors as a_selectors
    from paraat.assessments import services as a_services

    assessment = filled_assessment()
    panel = panel_make(panelists=2)
    session = _session(panel, assessment, offer_weights=True)
    (_a, t1), (_b, t2) = tokens_for(session)
    services.ballot_submit(token=t1, data={"ranking": ["mental-health", "economy"]})
    services.ballot_submit(token=t2, data={"ranking": ["economy", "mental-health"]})
    version = a_services.assessment_analyse(actor=None, assessment=assessment, samples=500, seed=3)
    rows = a_selectors.version_weight_scenarios(version=version)
    assert len(rows) == 1 and rows[0].participants == 2
    assert rows[0].source == f"panels.session:{session.pk}"
    cmp = a_selectors.weight_scenario_comparison(result=version.result, scenario=rows[0])
    assert {r["id"] for r in cmp["rows"]} == {"zero", "masks"}
    for r in cmp["rows"]:
        assert sum(r["citizens_acceptability"]) == pytest.approx(1.0)
        assert r["uniform_first"] is not None
    assert isinstance(cmp["holds"], bool) and isinstance(cmp["close"], bool)
    # both participants together weigh the two domains equally: (¾ + ¼) / 2 each
    assert {name for name, _w in cmp["mean_weights"]} == {"Mentale gezondheid", "Economie"}
    assert [w for _n, w in cmp["mean_weights"]] == [pytest.approx(0.5), pytest.approx(0.5)]


def test_retention_command() -> None:
    from io import StringIO

    from django.core.management import call_command

    panel = panel_make(panelists=2)
    Panelist.objects.filter(panel=panel, code="T-00").update(
        retention_until=timezone.localdate() - dt.timedelta(days=1)
    )
    out = StringIO()
    call_command("panels", "retention", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert list(panel.panelists.values_list("code", flat=True)) == ["T-01"]


def test_weight_scenario_refuses_a_distribution_missing_a_domain() -> None:
    from paraat.assessments import services as a_services

    assessment = filled_assessment()
    version = a_services.assessment_analyse(actor=None, assessment=assessment, samples=200, seed=1)
    with pytest.raises(ValidationError) as exc:
        a_services.weight_scenario_run(
            actor=None,
            version=version,
            source="test",
            label="Alleen economie",
            items=["economy", "education"],
            vectors=[[0.75, 0.25]],
        )
    assert "mental-health" in exc.value.message_dict["weights"][0]
    extra = a_services.weight_scenario_run(
        actor=None,
        version=version,
        source="test",
        label="Met een extra domein",
        items=["economy", "mental-health", "education"],
        vectors=[[0.5, 0.25, 0.25]],
    )
    assert extra.weights["domains"] == ["mental-health", "economy"]
    assert extra.weights["vectors"] == [[pytest.approx(1 / 3), pytest.approx(2 / 3)]]
    assert extra.result["ignored_items"] == ["education"]
