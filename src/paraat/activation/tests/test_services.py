"""Services and selectors of activation: permissions, validation, the order of the path,
append-only history, confidentiality of evidence, staffing limits, time to operational and
the yearly-report selector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from paraat.accounts.models import Confidentiality
from paraat.activation import selectors, services
from paraat.activation.models import (
    CaseStatus,
    ChecklistDefault,
    CriterionJudgement,
    SecondmentAgreement,
)
from paraat.activation.tests import factories
from paraat.evidence.tests.factories import EvidenceItemFactory
from paraat.network.models import OrganisationKind

pytestmark = pytest.mark.django_db


# --- agreements -----------------------------------------------------------------------------------


def test_agreement_crud(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    agreement = factories.agreement_make(actor=cpo, fte="2.45")
    assert agreement.fte == Decimal("2.5") and agreement.created_by == cpo
    data = services.AgreementData(
        ministry=factories.ministry("OCW"), people=4, fte=3, notes="Meer mensen."
    )
    updated = services.agreement_update(agreement=agreement, data=data, actor=cpo)
    assert (updated.people, updated.ministry.abbreviation, updated.notes) == (
        4,
        "OCW",
        "Meer mensen.",
    )
    services.agreement_delete(agreement=updated, actor=cpo)
    assert not SecondmentAgreement.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"people": 0}, "people"),
        ({"fte": "0"}, "fte"),
        ({"fte": "abc"}, "fte"),
        ({"lead_time_days": 400}, "lead_time_days"),
        (
            {"available_from": dt.date(2027, 1, 2), "valid_until": dt.date(2027, 1, 1)},
            "valid_until",
        ),
        ({"valid_until": dt.date(1900, 1, 1)}, "valid_until"),
    ],
)
def test_agreement_validation(people: dict[str, Any], change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        factories.agreement_make(actor=people["cpo"], **change)
    assert field in err.value.message_dict


def test_agreement_needs_a_ministry(people: dict[str, Any]) -> None:
    other = factories.OrganisationFactory(name="Een stichting (test)", kind=OrganisationKind.OTHER)
    with pytest.raises(ValidationError) as err:
        factories.agreement_make(actor=people["cpo"], ministry=other)
    assert "ministry" in err.value.message_dict


@pytest.mark.parametrize("who", ["szw", "member", "admin", "analyst"])
def test_only_the_cpo_manages(people: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied):
        factories.agreement_make(actor=people[who])
    with pytest.raises(PermissionDenied):
        factories.case_make(actor=people[who])


def test_agreement_with_assignments_is_kept(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    agreement = factories.agreement_make(actor=cpo)
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    services.assignment_add(
        case=case,
        agreement=agreement,
        name="X",
        fte="0.5",
        starts_on=timezone.localdate(),
        actor=cpo,
    )
    with pytest.raises(ValidationError):
        services.agreement_delete(agreement=agreement, actor=cpo)


# --- the case and its criteria --------------------------------------------------------------------


def test_case_starts_open_with_the_default_checklist(people: dict[str, Any]) -> None:
    ChecklistDefault.objects.create(title="Extra standaardpunt", order=999)
    ChecklistDefault.objects.create(title="Uitgezet punt", order=1000, is_active=False)
    case = factories.case_make(actor=people["cpo"])
    titles = [item.title for item in selectors.checklist(case=case)]
    assert titles[-1] == "Extra standaardpunt" and "Uitgezet punt" not in titles
    assert "Beveiligde e-mail ingericht" in titles
    assert [c.status for c in selectors.status_history(case=case)] == ["open"]


def test_case_validation(people: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        factories.case_make(actor=people["cpo"], title="  ")
    assert "title" in err.value.message_dict
    with pytest.raises(ValidationError):
        factories.case_make(actor=people["cpo"], scenario_level="apocalyps")


def test_judgements_are_appended_and_the_latest_counts(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo)
    services.criterion_judge(case=case, criterion="scale", judgement="unknown", actor=cpo)
    services.criterion_judge(
        case=case, criterion="scale", judgement="met", evidence_text="Nu wel.", actor=cpo
    )
    assert CriterionJudgement.objects.filter(case=case).count() == 2
    rows = {row.criterion: row for row in selectors.criteria(case=case, user=cpo)}
    assert rows["scale"].judgement is not None and rows["scale"].judgement.judgement == "met"
    assert [h.judgement for h in rows["scale"].history] == ["unknown"]
    assert rows["duration"].judgement is None
    with pytest.raises(ValidationError):
        services.criterion_judge(case=case, criterion="weather", judgement="met", actor=cpo)
    with pytest.raises(ValidationError):
        services.criterion_judge(case=case, criterion="scale", judgement="maybe", actor=cpo)


def test_confidential_evidence_is_hidden_from_those_who_may_not_see_it(
    people: dict[str, Any],
) -> None:
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo)
    secret = EvidenceItemFactory(confidentiality=Confidentiality.CONFIDENTIAL)
    public = EvidenceItemFactory(confidentiality=Confidentiality.PUBLIC)
    services.criterion_judge(
        case=case, criterion="scale", judgement="met", evidence=[secret, public], actor=cpo
    )
    cpo_row = selectors.criteria(case=case, user=cpo)[0]
    assert set(cpo_row.evidence) == {secret, public} and cpo_row.hidden_evidence == 0
    member_row = selectors.criteria(case=case, user=people["member"])[0]
    assert member_row.evidence == [public] and member_row.hidden_evidence == 1


def test_evidence_the_actor_cannot_see_is_refused(people: dict[str, Any]) -> None:
    from paraat.accounts import roles
    from paraat.accounts.tests.factories import UserFactory

    # A manager without the confidential level (e.g. a custom role) cannot cite what it cannot see.
    case = factories.case_make(actor=people["cpo"])
    secret = EvidenceItemFactory(confidentiality=Confidentiality.CONFIDENTIAL)
    limited = UserFactory(username="beperkt", roles=[roles.MEMBER])
    from django.contrib.auth.models import Permission

    limited.user_permissions.add(Permission.objects.get(codename="manage_activation"))
    with pytest.raises(ValidationError) as err:
        services.criterion_judge(
            case=case, criterion="scale", judgement="met", evidence=[secret], actor=limited
        )
    assert "evidence" in err.value.message_dict


def test_case_visibility(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    internal = factories.case_make(actor=cpo, title="Intern")
    confidential = factories.case_make(
        actor=cpo, title="Geheim", confidentiality=Confidentiality.CONFIDENTIAL
    )
    assert {c.title for c in selectors.case_list(user=cpo)} == {"Intern", "Geheim"}
    assert {c.title for c in selectors.case_list(user=people["member"])} == {"Intern"}
    assert selectors.case_get(user=people["member"], pk=confidential.pk) is None
    assert selectors.case_get(user=people["szw"], pk=internal.pk) == internal
    assert selectors.case_list(user=people["analyst"]) == []
    assert selectors.case_get(user=people["analyst"], pk=internal.pk) is None


# --- the path -------------------------------------------------------------------------------------


def test_signal_needs_judged_criteria(people: dict[str, Any]) -> None:
    case = factories.case_make(actor=people["cpo"])
    with pytest.raises(ValidationError):
        services.signal_check(case=case, actor=people["cpo"])


def test_signal_reasons_snapshot(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.judged(factories.case_make(actor=cpo), actor=cpo)
    signal = services.signal_create(case=case, actor=cpo)
    assert signal.recipient.startswith("Secretaris-generaal")
    assert [r["criterion"] for r in signal.reasons] == [
        "scale",
        "duration",
        "impact",
        "omt_activated",
        "binding_measures",
    ]
    assert all(r["judgement"] == "met" for r in signal.reasons)
    # A later judgement does not change the stored reasons.
    services.criterion_judge(case=case, criterion="scale", judgement="not_met", actor=cpo)
    signal.refresh_from_db()
    assert signal.reasons[0]["judgement"] == "met"


def test_signal_sent_rules(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.judged(factories.case_make(actor=cpo), actor=cpo)
    first = services.signal_create(case=case, actor=cpo)
    with pytest.raises(ValidationError):  # no document yet
        services.signal_record_sent(signal=first, sent_on=timezone.localdate(), actor=cpo)
    second = services.signal_create(case=case, actor=cpo)
    services.documents_attach(obj=second, documents={"pdf": ("a.pdf", b"%PDF")}, actor=cpo)
    with pytest.raises(ValidationError):  # not the latest version
        services.signal_record_sent(signal=first, sent_on=timezone.localdate(), actor=cpo)
    with pytest.raises(ValidationError):  # in the future
        services.signal_record_sent(
            signal=second, sent_on=timezone.localdate() + dt.timedelta(days=1), actor=cpo
        )
    with pytest.raises(ValidationError):  # documents only once
        services.documents_attach(obj=second, documents={"pdf": ("b.pdf", b"%PDF")}, actor=cpo)
    services.signal_record_sent(signal=second, sent_on=timezone.localdate(), actor=cpo)
    with pytest.raises(ValidationError):
        services.signal_create(case=case, actor=cpo)
    with pytest.raises(ValidationError):
        services.signal_record_sent(signal=second, sent_on=timezone.localdate(), actor=cpo)


def test_decision_rules(people: dict[str, Any]) -> None:
    cpo, szw = people["cpo"], people["szw"]
    case = factories.case_make(actor=cpo)
    with pytest.raises(ValidationError):  # before the signal
        services.decision_record(
            case=case, decision="establish", decided_at=timezone.now(), actor=szw
        )
    factories.signalled(case, actor=cpo)
    for who in ("member", "admin", "analyst"):
        with pytest.raises(PermissionDenied):
            services.decision_record(
                case=case, decision="establish", decided_at=timezone.now(), actor=people[who]
            )
    with pytest.raises(ValidationError) as err:
        services.decision_record(
            case=case, decision="establish", decided_at=dt.datetime(2026, 1, 1), actor=szw
        )
    assert "decided_at" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.decision_record(
            case=case,
            decision="establish",
            decided_at=timezone.now() + dt.timedelta(days=1),
            actor=szw,
        )
    with pytest.raises(ValidationError):
        services.decision_record(case=case, decision="maybe", decided_at=timezone.now(), actor=szw)
    row = services.decision_record(
        case=case, decision="establish", decided_at=timezone.now(), actor=szw
    )
    assert row.decided_by == "Minister van SZW" and row.recorded_by == szw
    with pytest.raises(ValidationError):
        services.decision_record(
            case=case, decision="not_now", decided_at=timezone.now(), actor=cpo
        )


def test_not_now_closes_the_case(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.signalled(factories.case_make(actor=cpo), actor=cpo)
    services.decision_record(case=case, decision="not_now", decided_at=timezone.now(), actor=cpo)
    assert selectors.status_of(case) == CaseStatus.CLOSED
    assert selectors.operational(case=case) is None
    with pytest.raises(ValidationError):
        services.criterion_judge(case=case, criterion="scale", judgement="met", actor=cpo)


def test_decree_checks(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo)
    chair = factories.CandidateFactory()
    member = factories.CandidateFactory()
    expert_without_institution = factories.CandidateFactory()
    today = timezone.localdate()

    def check(members: list[services.MemberChoice], **kw: Any) -> None:
        services.decree_check(
            case=case,
            members=members,
            decree_date=today,
            term=kw.pop("term", "een jaar"),
            actor=cpo,
            **kw,
        )

    with pytest.raises(ValidationError):  # no decision yet
        check([services.MemberChoice(candidate=chair, role="chair")])
    factories.established(case, cpo=cpo, szw=people["szw"])
    with pytest.raises(ValidationError):
        check([])
    with pytest.raises(ValidationError):  # no chair
        check([services.MemberChoice(candidate=member, role="member")])
    with pytest.raises(ValidationError):  # two chairs
        check(
            [
                services.MemberChoice(candidate=chair, role="chair"),
                services.MemberChoice(candidate=member, role="chair"),
            ]
        )
    with pytest.raises(ValidationError):  # twice the same person
        check(
            [
                services.MemberChoice(candidate=chair, role="chair"),
                services.MemberChoice(candidate=chair, role="member"),
            ]
        )
    with pytest.raises(ValidationError):  # the CPO is no member of the decree
        check(
            [
                services.MemberChoice(candidate=chair, role="chair"),
                services.MemberChoice(candidate=member, role="cpo"),
            ]
        )
    with pytest.raises(ValidationError):  # an expert member needs an institution
        check(
            [
                services.MemberChoice(candidate=chair, role="chair"),
                services.MemberChoice(candidate=expert_without_institution, role="expert_member"),
            ]
        )
    with pytest.raises(ValidationError) as err:
        check([services.MemberChoice(candidate=chair, role="chair")], term="")
    assert "term" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        check([services.MemberChoice(candidate=chair, role="chair")], ends_on=today)
    assert "ends_on" in err.value.message_dict
    check([services.MemberChoice(candidate=chair, role="chair")])


def test_decree_template_rendering_is_plain_substitution() -> None:
    template = (
        "{{ voorzitter }} / {{voorzitter}} / {% load static %} / {{ settings.SECRET_KEY }} / "
        "{{ leden|upper }} / {{ onbekend }}"
    )
    out = services.decree_render(template, {"voorzitter": "A <b>", "leden": "x"})
    assert out == (
        "A <b> / A <b> / {% load static %} / {{ settings.SECRET_KEY }} / {{ leden|upper }} / "
        "{{ onbekend }}"
    )
    assert services.decree_unknown_placeholders(template) == ["onbekend"]


def test_decree_template_falls_back_to_the_default(db: Any) -> None:
    assert services.decree_template() == services.DEFAULT_DECREE_TEMPLATE
    assert services.decree_unknown_placeholders(services.DEFAULT_DECREE_TEMPLATE) == []


def test_decree_versions_and_adoption_rules(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    chair = factories.CandidateFactory(person__name="Voorzitter Een (fictief)")
    members = [services.MemberChoice(candidate=chair, role="chair")]
    first = services.decree_create(
        case=case,
        members=members,
        decree_date=timezone.localdate(),
        term="een jaar",
        actor=cpo,
        ends_on=timezone.localdate() + dt.timedelta(days=365),
    )
    assert "Voorzitter: Voorzitter Een (fictief)" in first.text
    second = services.decree_create(
        case=case, members=members, decree_date=timezone.localdate(), term="twee jaar", actor=cpo
    )
    assert second.number == 2
    with pytest.raises(ValidationError):  # only the latest version
        services.decree_adopt(decree=first, adopted_on=timezone.localdate(), actor=cpo)
    with pytest.raises(ValidationError):
        services.decree_adopt(
            decree=second, adopted_on=timezone.localdate() + dt.timedelta(days=1), actor=cpo
        )
    with pytest.raises(PermissionDenied):
        services.decree_adopt(decree=second, adopted_on=timezone.localdate(), actor=people["szw"])
    services.decree_adopt(decree=second, adopted_on=timezone.localdate(), actor=cpo)
    assert selectors.status_of(case) == CaseStatus.ACTIVE
    with pytest.raises(ValidationError):
        services.decree_adopt(decree=second, adopted_on=timezone.localdate(), actor=cpo)
    with pytest.raises(ValidationError):
        services.decree_create(
            case=case, members=members, decree_date=timezone.localdate(), term="x", actor=cpo
        )


# --- staffing and checklist -----------------------------------------------------------------------


def test_staffing_limits(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    today = timezone.localdate()
    agreement = factories.agreement_make(actor=cpo, people=2, fte="1.5")
    case = factories.case_make(actor=cpo)
    with pytest.raises(ValidationError):  # before the decision to establish
        services.assignment_add(
            case=case, agreement=agreement, name="A", fte="1", starts_on=today, actor=cpo
        )
    factories.established(case, cpo=cpo, szw=people["szw"])
    services.assignment_add(
        case=case, agreement=agreement, name="A", fte="1", starts_on=today, actor=cpo
    )
    with pytest.raises(ValidationError) as err:  # more fte than agreed
        services.assignment_add(
            case=case, agreement=agreement, name="B", fte="0.6", starts_on=today, actor=cpo
        )
    assert "fte" in err.value.message_dict
    with pytest.raises(ValidationError):  # fte of one person above 1
        services.assignment_add(
            case=case, agreement=agreement, name="B", fte="1.2", starts_on=today, actor=cpo
        )
    services.assignment_add(
        case=case, agreement=agreement, name="B", fte="0.5", starts_on=today, actor=cpo
    )
    with pytest.raises(ValidationError) as err:  # more people than agreed
        services.assignment_add(
            case=case, agreement=agreement, name="C", fte="0.1", starts_on=today, actor=cpo
        )
    assert "agreement" in err.value.message_dict
    [row] = selectors.staffing(case=case)
    assert (row.people, row.fte, row.first_start) == (2, Decimal("1.5"), today)


def test_staffing_respects_the_agreement_dates(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    today = timezone.localdate()
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    ending = factories.agreement_make(actor=cpo, valid_until=today + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.assignment_add(
            case=case,
            agreement=ending,
            name="A",
            fte="1",
            starts_on=today + dt.timedelta(days=5),
            actor=cpo,
        )
    later = factories.agreement_make(
        actor=cpo, ministry=factories.ministry("BZK"), available_from=today + dt.timedelta(days=3)
    )
    with pytest.raises(ValidationError) as err:
        services.assignment_add(
            case=case, agreement=later, name="A", fte="1", starts_on=today, actor=cpo
        )
    assert "starts_on" in err.value.message_dict


def test_checklist_and_time_to_operational(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    decision = selectors.decision_of(case=case)
    assert decision is not None
    extra = services.checklist_item_add(case=case, title="Pers geïnformeerd", actor=cpo)
    with pytest.raises(ValidationError):
        services.checklist_item_add(case=case, title="pers geïnformeerd", actor=cpo)
    items = list(selectors.checklist(case=case))
    assert items[-1] == extra
    moments = [decision.decided_at + dt.timedelta(hours=2 * (i + 1)) for i in range(len(items))]
    for item, moment in zip(items, moments, strict=True):
        services.checklist_item_done(item=item, done_at=moment, actor=cpo)
    figures = selectors.operational(case=case)
    assert figures is not None and figures.complete
    assert figures.hours == pytest.approx(2.0 * len(items))
    assert [row.hours for row in figures.items] == pytest.approx(
        [2.0 * (i + 1) for i in range(len(items))]
    )
    # Not active yet (no decree adopted): done, but the case is not operational.
    assert selectors.status_of(case) == CaseStatus.DECIDED
    with pytest.raises(ValidationError):
        services.checklist_item_done(item=items[0], actor=cpo)
    services.checklist_item_reopen(item=items[0], actor=cpo)
    assert selectors.operational(case=case).operational_at is None  # type: ignore[union-attr]


def test_checklist_done_validation(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo)
    item = selectors.checklist(case=case).first()
    assert item is not None
    with pytest.raises(ValidationError):  # the clock has not started
        services.checklist_item_done(item=item, actor=cpo)
    factories.established(case, cpo=cpo, szw=people["szw"])
    with pytest.raises(ValidationError):
        services.checklist_item_done(
            item=item, done_at=timezone.now() + dt.timedelta(days=1), actor=cpo
        )
    with pytest.raises(ValidationError):
        services.checklist_item_done(item=item, done_at=dt.datetime(2026, 1, 1, 12), actor=cpo)


def test_close(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo)
    with pytest.raises(ValidationError):
        services.case_close(case=case, note="", actor=cpo)
    services.case_close(case=case, note="Criteria niet voldaan.", actor=cpo)
    assert selectors.status_of(case) == CaseStatus.CLOSED
    with pytest.raises(ValidationError):
        services.case_close(case=case, note="Nogmaals.", actor=cpo)
    assert selectors.case_list(user=cpo, open_only=False) == [case]
    assert selectors.case_list(user=cpo, open_only=True) == []


def test_activation_list_between(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    today = timezone.localdate()
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    other = factories.case_make(actor=cpo, title="Ander dossier")
    rows = selectors.activation_list_between(start=today - dt.timedelta(days=7), end=today)
    assert [r.pk for r in rows] == [case.pk, other.pk]
    first = rows[0]
    assert first.signal_sent_on == today - dt.timedelta(days=2)
    assert first.decision == "establish" and first.hours_to_operational is None
    assert first.checklist_total > 0 and first.checklist_done == 0
    assert rows[1].decision == "" and rows[1].decided_at is None
    assert (
        selectors.activation_list_between(
            start=today - dt.timedelta(days=400), end=today - dt.timedelta(days=300)
        )
        == []
    )


def test_activation_list_between_for_a_reader_leaves_out_what_they_may_not_see(
    people: dict[str, Any],
) -> None:
    """The yearly report passes its maker: a confidential case stays out for a member."""
    cpo = people["cpo"]
    today = timezone.localdate()
    internal = factories.case_make(actor=cpo, title="Intern dossier")
    secret = factories.case_make(actor=cpo, title="Geheim dossier", confidentiality="confidential")
    week = {"start": today - dt.timedelta(days=7), "end": today}
    assert {r.pk for r in selectors.activation_list_between(**week, user=cpo)} == {
        internal.pk,
        secret.pk,
    }
    member_rows = selectors.activation_list_between(**week, user=people["member"])
    assert [r.pk for r in member_rows] == [internal.pk]
    assert selectors.activation_list_between(**week, user=people["analyst"]) == []


def test_a_decree_member_does_not_block_erasure(people: dict[str, Any]) -> None:
    """The network's erasure removes card-index entries; the decree keeps the (anonymised)
    person and loses only the link to the card index."""
    from paraat.network import services as network_services

    cpo = people["cpo"]
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    chair = factories.CandidateFactory(person__name="Te Wissen (fictief)")
    decree = services.decree_create(
        case=case,
        members=[services.MemberChoice(candidate=chair, role="chair")],
        decree_date=timezone.localdate(),
        term="een jaar",
        actor=cpo,
    )
    outcome = network_services.person_erase(person=chair.person, reason="request", actor=cpo)
    assert outcome.action == "anonymised"
    member = selectors.decree_members(decree=decree).get()
    assert member.candidate is None and member.person.name.startswith("Geanonimiseerd")
