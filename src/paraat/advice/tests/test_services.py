"""Writes of the advice process (``advice.services``): every service, its happy path and its
refusals (by role: ``PermissionDenied``; by the process or bad input: ``ValidationError``).

All people and requests are fictional. Mail goes to Django's locmem outbox and only after the
transaction commits; files land in ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.models import AccessGrant, Confidentiality, User
from paraat.accounts.tests.factories import UserFactory
from paraat.advice import selectors, services, workflow
from paraat.advice.models import (
    AdviceRevision,
    AdviceStatus,
    AdviceStatusChange,
    CabinetResponse,
    Comment,
    Decision,
    DecisionMode,
    Dispatch,
    FollowUp,
    InputRequest,
    InputResponse,
    OmtAccessLog,
    OmtBriefing,
    Publication,
    RapidStatement,
    RecipientKind,
    Recommendation,
    RecommendationStatus,
    Reflection,
    SignOff,
    Vote,
)
from paraat.advice.tests.factories import (
    SECTIONS,
    committee,
    decided,
    input_make,
    request_make,
)
from paraat.evidence.models import EvidenceItem, EvidenceLink
from paraat.measures.tests.factories import PackageFactory
from paraat.taxonomies.tests.factories import PopulationGroupFactory

pytestmark = pytest.mark.django_db

S = AdviceStatus
SITE = "http://localhost:8000"
LINK = re.compile(r"/adviesproces/input/([A-Za-z0-9_\-]+)/")


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.PARAAT_SITE_URL = SITE


@pytest.fixture(scope="class")
def people(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The committee (roles synchronised), made once per class inside a transaction that is
    rolled back afterwards; every test runs in its own savepoint within it. The concurrency
    tests at the end are module functions and make their own people (committed)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield committee()
        transaction.set_rollback(True)


@pytest.fixture
def request_(people: dict[str, Any]) -> Any:
    return request_make(actor=people["cpo"])


def now() -> dt.datetime:
    return timezone.now()


def message(exc: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(exc.value.message_dict[field])


def save(request: Any, actor: Any, base: int | None = None, **sections: str) -> AdviceRevision:
    return services.advice_revision_save(
        request=request, sections={**SECTIONS, **sections}, base_number=base, actor=actor
    )


def to_final_draft(request: Any, people: dict[str, Any]) -> AdviceRevision:
    revision = save(request, people["cpo"])
    services.advice_transition(request=request, to=S.FINAL_DRAFT, actor=people["cpo"])
    return revision


def vote_all(round_: Any, voters: list[Any], choice: str = "agree", reason: str = "") -> None:
    for voter in voters:
        services.vote_cast(round_=round_, voter=voter, answers=[services.Answer(choice, reason)])


def voters_of(people: dict[str, Any]) -> list[Any]:
    return [people["chair"], *people["members"]]


def dispatched(people: dict[str, Any], **kw: Any) -> Any:
    request = decided(request=request_make(actor=people["cpo"], **kw), people=people)
    services.advice_sign_off(request=request, actor=people["chair"])
    services.advice_dispatch(request=request, actor=people["chair"])
    return request


def published(people: dict[str, Any], **kw: Any) -> Any:
    request = dispatched(people, **kw)
    services.advice_publish(request=request, actor=people["cpo"])
    return request


class TestRequest:
    """The request, its moves through the process, its information and the OMT's."""

    def test_urgent_request_gets_48_hours_from_receipt(self, people: dict[str, Any]) -> None:
        received = dt.datetime(2023, 1, 3, 9, tzinfo=dt.UTC)
        request = request_make(actor=people["szw"], received_at=received)
        assert request.deadline == received + dt.timedelta(hours=48)
        assert request.received_at == received
        change = request.status_changes.get()
        assert (change.status, change.actor, change.at) == (S.RECEIVED, people["szw"], received)
        assert request.omt_briefing.confidentiality == Confidentiality.CONFIDENTIAL
        assert request.omt_briefing.documents.count() == 0
        assert request.options.count() == 1 and request.created_by == people["szw"]

    def test_long_term_request_gets_28_days(self, people: dict[str, Any]) -> None:
        before = now()
        request = request_make(actor=people["cpo"], kind="long_term")
        assert request.deadline - request.received_at == dt.timedelta(days=28)
        assert before <= request.received_at <= now()

    def test_settings_change_the_default_deadlines(
        self, people: dict[str, Any], settings: Any
    ) -> None:
        settings.PARAAT_ADVICE_URGENT_HOURS = 24
        request = request_make(actor=people["cpo"])
        assert request.deadline - request.received_at == dt.timedelta(hours=24)

    def test_an_explicit_deadline_is_kept(self, people: dict[str, Any]) -> None:
        received = dt.datetime(2023, 1, 3, 9, tzinfo=dt.UTC)
        deadline = dt.datetime(2023, 1, 5, 12, tzinfo=dt.UTC)
        request = request_make(actor=people["cpo"], received_at=received, deadline=deadline)
        assert request.deadline == deadline

    @pytest.mark.parametrize("field", ["received_at", "deadline"])
    def test_naive_moments_are_refused(self, people: dict[str, Any], field: str) -> None:
        with pytest.raises(ValidationError) as exc:
            request_make(actor=people["cpo"], **{field: dt.datetime(2023, 1, 3, 9)})
        assert field in exc.value.message_dict

    def test_one_naive_and_one_aware_moment_is_a_validation_error(
        self, people: dict[str, Any]
    ) -> None:
        with pytest.raises(ValidationError) as exc:
            request_make(
                actor=people["cpo"],
                received_at=dt.datetime(2023, 1, 3, 9, tzinfo=dt.UTC),
                deadline=dt.datetime(2023, 1, 5, 9),
            )
        assert "deadline" in exc.value.message_dict

    @pytest.mark.parametrize("hours", [0, -1])
    def test_deadline_not_after_receipt_is_refused(
        self, people: dict[str, Any], hours: int
    ) -> None:
        received = dt.datetime(2023, 1, 3, 9, tzinfo=dt.UTC)
        with pytest.raises(ValidationError) as exc:
            request_make(
                actor=people["cpo"],
                received_at=received,
                deadline=received + dt.timedelta(hours=hours),
            )
        assert "deadline" in exc.value.message_dict

    def test_bad_particulars_are_refused_by_field(self, people: dict[str, Any]) -> None:
        with pytest.raises(ValidationError) as exc:
            request_make(
                actor=people["cpo"],
                title="  ",
                question="",
                requester="minister",
                kind="someday",
                confidentiality="secret",
            )
        assert set(exc.value.message_dict) == {
            "title",
            "question",
            "requester",
            "kind",
            "confidentiality",
        }

    def test_keys_are_unique_and_readable(self, people: dict[str, Any]) -> None:
        keys = [
            request_make(actor=people["cpo"], title="Reizigers uit China").key for _ in range(3)
        ]
        assert keys == ["reizigers-uit-china", "reizigers-uit-china-2", "reizigers-uit-china-3"]
        wanted = request_make(actor=people["cpo"], key="China 2023!")
        assert wanted.key == "china-2023"
        assert request_make(actor=people["cpo"], title="???").key == "advies"

    def test_update_changes_the_particulars(self, people: dict[str, Any], request_: Any) -> None:
        other = PackageFactory()
        data = services.RequestData(
            title="Nieuwe titel",
            question="Nieuwe vraag?",
            requester="own_initiative",
            kind="long_term",
            options=[other],
            confidentiality=Confidentiality.CONFIDENTIAL,
            omt_reference=" OMT-advies 140 ",
        )
        deadline = request_.deadline
        updated = services.advice_request_update(request=request_, data=data, actor=people["cpo"])
        updated.refresh_from_db()
        assert (updated.title, updated.kind, updated.requester) == (
            "Nieuwe titel",
            "long_term",
            "own_initiative",
        )
        assert updated.deadline == deadline  # not given: kept
        assert updated.omt_reference == "OMT-advies 140"
        assert list(updated.options.all()) == [other]
        assert updated.confidentiality == Confidentiality.CONFIDENTIAL
        assert workflow.status_of(updated) == S.RECEIVED  # statuses are not touched

    def test_update_needs_the_secretariat(self, people: dict[str, Any], request_: Any) -> None:
        data = services.RequestData(title="X", question="Y", requester="sg_szw", kind="urgent")
        for who in (people["szw"], people["chair"], people["members"][0]):
            with pytest.raises(PermissionDenied):
                services.advice_request_update(request=request_, data=data, actor=who)

    def test_update_is_refused_after_dispatch(self, people: dict[str, Any]) -> None:
        request = dispatched(people)
        data = services.RequestData(title="Anders", question="Y", requester="sg_szw", kind="urgent")
        with pytest.raises(ValidationError) as exc:
            services.advice_request_update(request=request, data=data, actor=people["cpo"])
        assert "title" in exc.value.message_dict
        request.refresh_from_db()
        assert request.title != "Anders"

    def test_update_keeps_the_deadline_after_receipt(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        later = request_.deadline + dt.timedelta(days=1)
        data = services.RequestData(
            title="X", question="Y", requester="sg_szw", kind="urgent", received_at=later
        )
        with pytest.raises(ValidationError):
            services.advice_request_update(request=request_, data=data, actor=people["cpo"])

    # --- transitions ------------------------------------------------------------------------------

    def test_transition_appends_who_and_when(self, people: dict[str, Any], request_: Any) -> None:
        change = services.advice_transition(
            request=request_, to=S.INPUT_REQUESTED, actor=people["cpo"], note=" start "
        )
        assert (change.status, change.previous, change.actor) == (
            S.INPUT_REQUESTED,
            S.RECEIVED,
            people["cpo"],
        )
        assert change.note == " start " or change.note == "start"
        assert workflow.status_of(request_) == S.INPUT_REQUESTED

    @pytest.mark.parametrize(
        ("who", "to"),
        [
            ("members", S.DRAFT),
            ("expert", S.DRAFT),
            ("szw", S.INPUT_REQUESTED),
            ("chair", S.DRAFT),
            ("analyst", S.WITHDRAWN),
            ("admin", S.WITHDRAWN),
        ],
    )
    def test_transition_is_refused_to_the_wrong_role(
        self, people: dict[str, Any], request_: Any, who: str, to: str
    ) -> None:
        actor = people[who][0] if who == "members" else people[who]
        with pytest.raises(PermissionDenied):
            services.advice_transition(request=request_, to=to, actor=actor)
        assert request_.status_changes.count() == 1

    @pytest.mark.parametrize(
        "to", [S.FINAL_DRAFT, S.DECISION, S.PUBLISHED, S.FOLLOW_UP, "nonsense"]
    )
    def test_transition_outside_the_table_is_refused(
        self, people: dict[str, Any], request_: Any, to: str
    ) -> None:
        with pytest.raises(ValidationError) as exc:
            services.advice_transition(request=request_, to=to, actor=people["cpo"])
        assert "to" in exc.value.message_dict
        assert workflow.status_of(request_) == S.RECEIVED

    def test_no_move_out_of_withdrawn(self, people: dict[str, Any], request_: Any) -> None:
        services.advice_transition(request=request_, to=S.WITHDRAWN, actor=people["cpo"])
        for to in (S.RECEIVED, S.DRAFT, S.INPUT_REQUESTED):
            with pytest.raises(ValidationError):
                services.advice_transition(request=request_, to=to, actor=people["cpo"])

    def test_decision_needs_a_text(self, people: dict[str, Any], request_: Any) -> None:
        services.advice_transition(request=request_, to=S.DRAFT, actor=people["cpo"])
        services.advice_transition(request=request_, to=S.FINAL_DRAFT, actor=people["cpo"])
        with pytest.raises(ValidationError) as exc:
            services.advice_transition(request=request_, to=S.DECISION, actor=people["cpo"])
        assert "adviestekst" in message(exc, "to")
        save(request_, people["cpo"])
        services.advice_transition(request=request_, to=S.DECISION, actor=people["cpo"])
        assert workflow.status_of(request_) == S.DECISION

    def test_alignment_needs_an_adopted_decision(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        to_final_draft(request_, people)
        round_ = services.decision_round_open(request=request_, actor=people["cpo"])
        with pytest.raises(ValidationError) as exc:  # round still open
            services.advice_transition(request=request_, to=S.ALIGNMENT, actor=people["chair"])
        assert "besluit" in message(exc, "to")
        vote_all(round_, voters_of(people))
        services.decision_round_close(round_=round_, actor=people["chair"])
        services.advice_transition(request=request_, to=S.ALIGNMENT, actor=people["chair"])
        assert workflow.status_of(request_) == S.ALIGNMENT

    def test_history_is_append_only_and_ordered(self, people: dict[str, Any]) -> None:
        t0 = now() - dt.timedelta(hours=30)
        request = request_make(actor=people["cpo"], received_at=t0)
        cpo = people["cpo"]
        steps = [(S.INPUT_REQUESTED, 1), (S.DRAFT, 5), (S.FEEDBACK, 7), (S.DRAFT, 9)]
        for status, hours in steps:
            services.advice_transition(
                request=request, to=status, actor=cpo, at=t0 + dt.timedelta(hours=hours)
            )
        history = list(selectors.status_history(request=request))
        assert [c.status for c in history] == [S.RECEIVED, *(s for s, _ in steps)]
        assert [c.previous for c in history] == [
            "",
            S.RECEIVED,
            S.INPUT_REQUESTED,
            S.DRAFT,
            S.FEEDBACK,
        ]
        assert [c.at for c in history] == sorted(c.at for c in history)
        first_rows = list(AdviceStatusChange.objects.filter(request=request).values())
        with pytest.raises(ValidationError) as exc:  # before the last change: refused
            services.advice_transition(
                request=request, to=S.FINAL_DRAFT, actor=cpo, at=t0 + dt.timedelta(hours=8)
            )
        assert "at" in exc.value.message_dict
        services.advice_transition(request=request, to=S.FINAL_DRAFT, actor=cpo)
        rows = list(AdviceStatusChange.objects.filter(request=request).values())
        assert rows[: len(first_rows)] == first_rows  # earlier rows unchanged
        assert len(rows) == len(first_rows) + 1

    # --- information package and OMT --------------------------------------------------------------

    def test_information_item_add(self, people: dict[str, Any], request_: Any) -> None:
        item = services.information_item_add(
            request=request_,
            actor=people["cpo"],
            title=" Notitie VWS ",
            url=" https://example.org/a ",
        )
        assert (item.title, item.url, item.added_by) == (
            "Notitie VWS",
            "https://example.org/a",
            people["cpo"],
        )
        assert item.received_at is not None
        with pytest.raises(ValidationError) as exc:
            services.information_item_add(request=request_, actor=people["cpo"], title=" ")
        assert "title" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.information_item_add(request=request_, actor=people["members"][0], title="X")

    def test_omt_document_needs_the_grant_permission(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        doc = services.omt_document_add(
            request=request_, actor=people["cpo"], title="OMT-advies 141", body="Vertrouwelijk."
        )
        assert doc.briefing == request_.omt_briefing and doc.added_by == people["cpo"]
        with pytest.raises(ValidationError):
            services.omt_document_add(request=request_, actor=people["cpo"], title="", body="x")
        for who in (people["chair"], people["szw"], people["members"][0]):
            with pytest.raises(PermissionDenied):
                services.omt_document_add(request=request_, actor=who, title="T", body="x")

    def test_omt_grant_needs_a_reason_and_a_future_end(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        member = people["members"][0]
        with pytest.raises(ValidationError) as exc:
            services.omt_access_grant(
                request=request_, actor=people["cpo"], grantee=member, reason=" "
            )
        assert "reason" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.omt_access_grant(
                request=request_,
                actor=people["cpo"],
                grantee=member,
                reason="Spoedoverleg",
                valid_until=now() - dt.timedelta(minutes=1),
            )
        assert "valid_until" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.omt_access_grant(
                request=request_, actor=people["chair"], grantee=member, reason="Spoedoverleg"
            )
        assert AccessGrant.objects.count() == 0

    def test_omt_grant_naive_end_is_a_validation_error(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        with pytest.raises(ValidationError):
            services.omt_access_grant(
                request=request_,
                actor=people["cpo"],
                grantee=people["members"][0],
                reason="Spoedoverleg",
                valid_until=dt.datetime(2099, 1, 1, 9),
            )

    def test_omt_grant_opens_one_request_only(self, people: dict[str, Any]) -> None:
        cpo, member = people["cpo"], people["members"][0]
        one = request_make(actor=cpo, title="Verzoek een")
        two = request_make(actor=cpo, title="Verzoek twee")
        for request in (one, two):
            services.omt_document_add(request=request, actor=cpo, title="OMT-stuk", body="geheim")
        assert not services.can_read_omt(user=member, request=one)
        assert selectors.omt_documents(request=one, user=member) is None
        grant = services.omt_access_grant(
            request=one, actor=cpo, grantee=member, reason="Vergadering 4 januari"
        )
        assert grant.content_type == ContentType.objects.get_for_model(OmtBriefing)
        assert grant.object_id == str(one.omt_briefing.pk) and grant.granted_by == cpo
        assert services.can_read_omt(user=member, request=one)
        assert [d.title for d in selectors.omt_documents(request=one, user=member) or []] == [
            "OMT-stuk"
        ]
        # ... but not the OMT information of the other request, nor for another member
        assert not services.can_read_omt(user=member, request=two)
        assert selectors.omt_documents(request=two, user=member) is None
        assert selectors.omt_documents(request=one, user=people["members"][1]) is None

    def test_omt_read_log_appends(self, people: dict[str, Any], request_: Any) -> None:
        briefing = request_.omt_briefing
        services.omt_read_log(briefing=briefing, user=people["cpo"])
        services.omt_read_log(briefing=briefing, user=people["cpo"])
        assert OmtAccessLog.objects.filter(briefing=briefing, user=people["cpo"]).count() == 2


class TestInput:
    """Requests for input (uitvraag), responses and reminders."""

    def test_input_request_mails_a_link_after_commit(
        self,
        people: dict[str, Any],
        request_: Any,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            row, token = input_make(request=request_, actor=people["cpo"])
            assert mailoutbox == []  # not before the commit
        assert callbacks  # the mail waits for the commit
        assert len(mailoutbox) == 1
        mail = mailoutbox[0]
        assert mail.to == ["kring@example.org"]
        assert f"{SITE}/adviesproces/input/{token}/" in mail.body
        assert request_.title in mail.body
        assert workflow.status_of(request_) == S.INPUT_REQUESTED
        assert row.sent_at is not None and row.created_by == people["cpo"]

    def test_input_request_refused_rolls_back_without_mail(
        self,
        people: dict[str, Any],
        request_: Any,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(ValidationError) as exc,
        ):
            input_make(request=request_, actor=people["cpo"], recipient_email="geen-adres")
        assert "recipient_email" in exc.value.message_dict
        assert mailoutbox == [] and InputRequest.objects.count() == 0

    def test_input_request_token_is_stored_only_as_its_hash(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        row, token = input_make(request=request_, actor=people["cpo"])
        assert len(token) >= 40
        stored = InputRequest.objects.filter(pk=row.pk).values().get()
        assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
        assert all(token not in str(value) for value in stored.values())
        assert services.input_request_by_token(token) == row

    def test_input_request_for_a_confidential_request_hides_the_title(
        self,
        people: dict[str, Any],
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        request = request_make(
            actor=people["cpo"],
            title="Geheime titel X9",
            confidentiality=Confidentiality.CONFIDENTIAL,
        )
        with django_capture_on_commit_callbacks(execute=True):
            input_make(request=request, actor=people["cpo"])
        body = mailoutbox[0].body + mailoutbox[0].subject
        assert "Geheime titel X9" not in body
        assert "vertrouwelijke adviesaanvraag" in body

    def test_input_request_validation(self, people: dict[str, Any], request_: Any) -> None:
        with pytest.raises(ValidationError) as exc:
            input_make(
                request=request_,
                actor=people["cpo"],
                kind="neighbour",
                recipient_name=" ",
                recipient_email="",
                question="",
                deadline=now() - dt.timedelta(minutes=1),
            )
        assert set(exc.value.message_dict) == {
            "recipient_kind",
            "recipient_name",
            "recipient_email",
            "question",
            "deadline",
        }
        with pytest.raises(PermissionDenied):
            input_make(request=request_, actor=people["members"][0])
        assert workflow.status_of(request_) == S.RECEIVED

    def test_input_request_naive_deadline_is_a_validation_error(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        with pytest.raises(ValidationError):
            input_make(request=request_, actor=people["cpo"], deadline=dt.datetime(2099, 1, 1, 9))

    def test_second_input_request_does_not_move_again(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        input_make(request=request_, actor=people["cpo"])
        input_make(request=request_, actor=people["cpo"], recipient_email="ander@example.org")
        assert request_.status_changes.filter(status=S.INPUT_REQUESTED).count() == 1

    def test_input_by_token_only_while_open(self, people: dict[str, Any]) -> None:
        cpo = people["cpo"]
        request = request_make(actor=cpo)
        revoked, t_revoked = input_make(request=request, actor=cpo)
        answered, t_answered = input_make(request=request, actor=cpo)
        _open, t_open = input_make(request=request, actor=cpo)
        services.input_request_revoke(input_request=revoked, actor=cpo)
        services.input_response_submit(
            input_request=answered,
            data=services.ResponseData(signal="Signaal", severity="low", interests_status="none"),
        )
        assert services.input_request_by_token(t_revoked) is None
        assert services.input_request_by_token(t_answered) is None
        assert services.input_request_by_token(t_open) is not None
        assert services.input_request_by_token("") is None
        assert services.input_request_by_token("x" * 201) is None
        assert services.input_request_by_token("onbekend") is None
        # closed: once the decision is under way no input is taken
        save(request, cpo)
        services.advice_transition(request=request, to=S.FINAL_DRAFT, actor=cpo)
        services.advice_transition(request=request, to=S.DECISION, actor=cpo)
        assert services.input_request_by_token(t_open) is None

    def test_revoke_needs_the_secretariat_and_is_idempotent(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        row, _token = input_make(request=request_, actor=people["cpo"])
        with pytest.raises(PermissionDenied):
            services.input_request_revoke(input_request=row, actor=people["members"][0])
        services.input_request_revoke(input_request=row, actor=people["cpo"])
        first = row.revoked_at
        services.input_request_revoke(input_request=row, actor=people["cpo"])
        row.refresh_from_db()
        assert row.revoked_at == first is not None

    @pytest.mark.parametrize(
        ("kind", "item_type", "knowledge_class"),
        [
            (RecipientKind.PRACTICE_CIRCLE, "practice_signal", "practice"),
            (RecipientKind.MEMBER, "expert_note", "practice"),
            (RecipientKind.EXPERT_MEMBER, "expert_note", "scientific"),
            (RecipientKind.POOL_EXPERT, "expert_note", "scientific"),
        ],
    )
    def test_input_response_becomes_evidence_with_provenance(
        self, people: dict[str, Any], kind: str, item_type: str, knowledge_class: str
    ) -> None:
        package = PackageFactory()
        request = request_make(actor=people["cpo"], options=[package])
        row, _token = input_make(request=request, actor=people["cpo"], kind=kind)
        groups = [PopulationGroupFactory(), PopulationGroupFactory()]
        response = services.input_response_submit(
            input_request=row,
            data=services.ResponseData(
                signal=" Reizigers uit China ervaren stigma. ",
                severity="high",
                interests_status="declared",
                declared_interests="Lid van een reisbrancheorganisatie",
                groups=groups,
                direction="negative",
                source="Gesprekken in de kring",
            ),
        )
        item = response.evidence
        assert isinstance(item, EvidenceItem)
        assert (item.item_type, item.knowledge_class) == (item_type, knowledge_class)
        assert item.submitted_by_name == "Kring reizen en toerisme"
        assert item.on_behalf_of == "Praktijkkring reizen (fictief)"
        assert item.interests_status == "declared"
        assert item.declared_interests == "Lid van een reisbrancheorganisatie"
        assert item.confidentiality == Confidentiality.INTERNAL
        assert item.summary == "Reizigers uit China ervaren stigma."
        assert "Gesprekken in de kring" in item.full_text
        assert item.is_synthetic is True
        links = EvidenceLink.objects.filter(item=item)
        assert {lk.group_id for lk in links if lk.group_id} == {g.pk for g in groups}
        assert {lk.package_id for lk in links if lk.package_id} == {package.pk}
        assert {lk.direction for lk in links} == {"negative"}
        assert set(response.groups.all()) == set(groups)
        assert response.signal == "Reizigers uit China ervaren stigma."
        assert workflow.status_of(request) == S.CONTRIBUTIONS
        change = request.status_changes.order_by("-at", "-pk").first()
        assert change is not None and change.actor is None

    def test_input_response_records_the_user_who_submitted(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        expert = people["expert"]
        row, _token = input_make(
            request=request_,
            actor=people["cpo"],
            kind=RecipientKind.EXPERT_MEMBER,
            recipient=expert,
        )
        response = services.input_response_submit(
            input_request=row,
            data=services.ResponseData(
                signal="Notitie", severity="moderate", interests_status="none"
            ),
        )
        assert response.evidence is not None and response.evidence.submitted_by == expert

    def test_input_response_mails_the_secretariat(
        self,
        people: dict[str, Any],
        request_: Any,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        row, _token = input_make(request=request_, actor=people["cpo"])
        with django_capture_on_commit_callbacks(execute=True):
            services.input_response_submit(
                input_request=row,
                data=services.ResponseData(signal="S", severity="low", interests_status="none"),
            )
        assert [m.to for m in mailoutbox] == [["cpo@example.org"]]

    def test_input_response_twice_or_after_revoke_is_refused(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        data = services.ResponseData(signal="Eerste", severity="low", interests_status="none")
        row, _token = input_make(request=request_, actor=people["cpo"])
        services.input_response_submit(input_request=row, data=data)
        with pytest.raises(ValidationError) as exc:
            services.input_response_submit(input_request=row, data=data)
        assert "signal" in exc.value.message_dict
        assert InputResponse.objects.count() == 1
        revoked, _t = input_make(request=request_, actor=people["cpo"])
        services.input_request_revoke(input_request=revoked, actor=people["cpo"])
        with pytest.raises(ValidationError):
            services.input_response_submit(input_request=revoked, data=data)
        assert EvidenceItem.objects.count() == 1

    def test_input_response_validation(self, people: dict[str, Any], request_: Any) -> None:
        row, _token = input_make(request=request_, actor=people["cpo"])
        with pytest.raises(ValidationError) as exc:
            services.input_response_submit(
                input_request=row,
                data=services.ResponseData(
                    signal=" ", severity="enorm", interests_status="declared", direction="up"
                ),
            )
        assert set(exc.value.message_dict) == {
            "signal",
            "severity",
            "direction",
            "declared_interests",
        }
        assert EvidenceItem.objects.count() == 0
        assert workflow.status_of(request_) == S.INPUT_REQUESTED

    # --- reminders --------------------------------------------------------------------------------

    def test_input_reminder_once_in_the_window_with_a_new_link(
        self,
        people: dict[str, Any],
        request_: Any,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        row, old_token = input_make(request=request_, actor=people["cpo"])  # deadline: now + 20 h
        start = now()
        assert services.input_reminders_send(now=start) == 0  # 20 h left: outside the 12 h window
        later = start + dt.timedelta(hours=10)  # 10 h left
        with django_capture_on_commit_callbacks(execute=True):
            assert services.input_reminders_send(now=later) == 1
        assert len(mailoutbox) == 1
        match = LINK.search(mailoutbox[0].body)
        assert match is not None
        new_token = match.group(1)
        assert new_token != old_token
        row.refresh_from_db()
        assert (row.reminders, row.last_reminded_at) == (1, later)
        assert services.input_request_by_token(old_token) is None  # the old link stops working
        assert services.input_request_by_token(new_token) == row
        # once per window
        assert services.input_reminders_send(now=later + dt.timedelta(hours=1)) == 0
        # past the deadline: no reminder
        assert services.input_reminders_send(now=start + dt.timedelta(hours=21)) == 0

    def test_no_input_reminder_after_a_response_or_revoke_or_close(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        cpo = people["cpo"]
        answered, _t1 = input_make(request=request_, actor=cpo)
        revoked, _t2 = input_make(request=request_, actor=cpo)
        services.input_response_submit(
            input_request=answered,
            data=services.ResponseData(signal="S", severity="low", interests_status="none"),
        )
        services.input_request_revoke(input_request=revoked, actor=cpo)
        assert services.input_reminders_send(now=now() + dt.timedelta(hours=10)) == 0
        other = request_make(actor=cpo, title="Gesloten")
        input_make(request=other, actor=cpo)
        services.advice_transition(request=other, to=S.WITHDRAWN, actor=cpo)
        assert services.input_reminders_send(now=now() + dt.timedelta(hours=10)) == 0


class TestText:
    """The advice text: versions, merges, conflicts, comments and assignments."""

    def test_first_save_moves_to_draft_and_numbers_increase(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        one = save(request_, people["cpo"])
        assert one.number == 1 and one.base_number is None and not one.merged
        assert workflow.status_of(request_) == S.DRAFT
        two = save(request_, people["members"][0], base=1, summary="Tweede samenvatting.")
        three = save(request_, people["chair"], base=2, summary="Derde samenvatting.")
        assert [two.number, three.number] == [2, 3]
        assert (two.base_number, three.base_number) == (1, 2)
        assert three.author == people["chair"]
        assert request_.status_changes.filter(status=S.DRAFT).count() == 1
        assert set(one.sections) == set(services.SECTION_KEYS)

    def test_identical_save_makes_no_version(self, people: dict[str, Any], request_: Any) -> None:
        one = save(request_, people["cpo"])
        again = save(request_, people["cpo"], base=1)
        assert again.pk == one.pk and request_.revisions.count() == 1
        crlf = save(
            request_, people["cpo"], base=1, summary=SECTIONS["summary"].replace("\n", "\r\n")
        )
        assert crlf.pk == one.pk

    def test_changes_to_different_sections_are_merged(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        save(request_, people["cpo"])
        theirs = save(request_, people["members"][0], base=1, summary="Samenvatting van lid 1.")
        mine = save(request_, people["members"][1], base=1, reasoning="Onderbouwing van lid 2.")
        assert mine.number == 3 and mine.merged and not theirs.merged
        assert mine.sections["summary"] == "Samenvatting van lid 1."
        assert mine.sections["reasoning"] == "Onderbouwing van lid 2."
        assert mine.sections["advice"] == SECTIONS["advice"]

    def test_same_section_conflict_raises_and_saves_nothing(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        save(request_, people["cpo"])
        save(request_, people["members"][0], base=1, summary="Versie van lid 1.")
        with pytest.raises(services.RevisionConflict) as exc:
            save(request_, people["members"][1], base=1, summary="Versie van lid 2.")
        assert isinstance(exc.value, ValidationError)
        assert exc.value.latest.number == 2
        assert exc.value.conflicts == {
            "summary": {
                "base": SECTIONS["summary"],
                "theirs": "Versie van lid 1.",
                "mine": "Versie van lid 2.",
            }
        }
        assert "sections" in exc.value.message_dict
        assert request_.revisions.count() == 2
        latest = selectors.revision_latest(request=request_)
        assert latest is not None and latest.sections["summary"] == "Versie van lid 1."
        # the same change made twice is no conflict
        same = save(request_, people["members"][1], base=1, summary="Versie van lid 1.")
        assert same.number == 2

    def test_base_number_must_exist(self, people: dict[str, Any], request_: Any) -> None:
        with pytest.raises(ValidationError) as exc:
            save(request_, people["cpo"], base=3)
        assert "base_number" in exc.value.message_dict
        save(request_, people["cpo"])
        for base in (None, 7):
            with pytest.raises(ValidationError) as exc:
                save(request_, people["cpo"], base=base, summary="Nieuw")
            assert "base_number" in exc.value.message_dict

    @pytest.mark.parametrize(
        ("sections", "field"),
        [
            ({"preamble": "x"}, "sections"),
            ({"summary": 5}, "sections.summary"),
            ({"advice": ["a"]}, "sections.advice"),
            ({"summary": "x" * (services.TEXT_MAX + 1)}, "sections.summary"),
        ],
    )
    def test_bad_sections_are_refused(
        self, people: dict[str, Any], request_: Any, sections: dict[str, Any], field: str
    ) -> None:
        with pytest.raises(ValidationError) as exc:
            services.advice_revision_save(
                request=request_, sections=sections, base_number=None, actor=people["cpo"]
            )
        assert field in exc.value.message_dict
        assert request_.revisions.count() == 0
        assert workflow.status_of(request_) == S.RECEIVED

    def test_who_may_edit_the_text(self, people: dict[str, Any], request_: Any) -> None:
        for who in (people["expert"], people["szw"], people["analyst"], people["admin"]):
            with pytest.raises(PermissionDenied):
                save(request_, who)
        assert save(request_, people["members"][0]).number == 1

    def test_text_is_frozen_from_the_alignment(self, people: dict[str, Any], request_: Any) -> None:
        decided(request=request_, people=people)
        with pytest.raises(ValidationError) as exc:
            save(request_, people["cpo"], base=1, summary="Te laat.")
        assert "sections" in exc.value.message_dict
        assert request_.revisions.count() == 1

    # --- comments and assignments -----------------------------------------------------------------

    def test_comments_thread_reply_and_resolve(self, people: dict[str, Any], request_: Any) -> None:
        with pytest.raises(ValidationError):  # no text yet
            services.comment_add(request=request_, actor=people["cpo"], section="summary", body="x")
        save(request_, people["cpo"])
        first = services.comment_add(
            request=request_, actor=people["members"][0], section="advice", body=" Te stellig. "
        )
        assert (first.body, first.section, first.thread, first.kind) == (
            "Te stellig.",
            "advice",
            None,
            Comment.Kind.COMMENT,
        )
        assert first.revision.number == 1
        reply = services.comment_add(
            request=request_, actor=people["expert"], section="summary", body="Eens.", thread=first
        )
        assert reply.thread == first and reply.section == "advice"  # the thread's section
        resolved = services.comment_add(
            request=request_,
            actor=people["cpo"],
            section="advice",
            body="",
            thread=first,
            resolve=True,
        )
        assert resolved.kind == Comment.Kind.RESOLVE and resolved.body == "Afgehandeld."
        assert list(first.replies.order_by("pk")) == [reply, resolved]

    def test_comment_refusals(self, people: dict[str, Any], request_: Any) -> None:
        save(request_, people["cpo"])
        other = request_make(actor=people["cpo"], title="Ander verzoek")
        save(other, people["cpo"])
        top = services.comment_add(
            request=request_, actor=people["cpo"], section="advice", body="A"
        )
        reply = services.comment_add(
            request=request_, actor=people["cpo"], section="advice", body="B", thread=top
        )
        elsewhere = services.comment_add(
            request=other, actor=people["cpo"], section="advice", body="C"
        )
        cases: list[tuple[dict[str, Any], str]] = [
            ({"section": "preamble", "body": "x"}, "section"),
            ({"section": "advice", "body": "  "}, "body"),
            ({"section": "advice", "body": "x", "thread": reply}, "thread"),  # no reply to a reply
            ({"section": "advice", "body": "x", "thread": elsewhere}, "thread"),
            ({"section": "advice", "body": "", "resolve": True}, "thread"),
        ]
        for kwargs, field in cases:
            with pytest.raises(ValidationError) as exc:
                services.comment_add(request=request_, actor=people["cpo"], **kwargs)
            assert field in exc.value.message_dict, kwargs
        for who in (people["analyst"], people["szw"], people["admin"]):
            with pytest.raises(PermissionDenied):
                services.comment_add(request=request_, actor=who, section="advice", body="x")
        assert Comment.objects.filter(request=request_).count() == 2

    def test_assignment_mails_the_assignee_and_can_be_done(
        self,
        people: dict[str, Any],
        request_: Any,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        member = people["members"][0]
        due = now() + dt.timedelta(hours=6)
        with django_capture_on_commit_callbacks(execute=True):
            task = services.assignment_create(
                request=request_,
                actor=people["cpo"],
                assignee=member,
                task=" Schrijf de sectie per groep ",
                section="groups",
                due=due,
            )
        assert (task.task, task.section, task.due, task.done_at) == (
            "Schrijf de sectie per groep",
            "groups",
            due,
            None,
        )
        assert [m.to for m in mailoutbox] == [[member.email]]
        assert "Schrijf de sectie per groep" in mailoutbox[0].body
        with pytest.raises(PermissionDenied):
            services.assignment_done(assignment=task, actor=people["members"][1])
        services.assignment_done(assignment=task, actor=member)
        done_at = task.done_at
        assert done_at is not None
        services.assignment_done(assignment=task, actor=people["cpo"])
        task.refresh_from_db()
        assert task.done_at == done_at

    def test_assignment_refusals(self, people: dict[str, Any], request_: Any) -> None:
        member = people["members"][0]
        with pytest.raises(ValidationError) as exc:
            services.assignment_create(
                request=request_, actor=people["cpo"], assignee=member, task=" ", section="preamble"
            )
        assert set(exc.value.message_dict) == {"task", "section"}
        with pytest.raises(PermissionDenied):
            services.assignment_create(
                request=request_, actor=people["chair"], assignee=member, task="Taak"
            )


class TestDecision:
    """Decision rounds, votes, the count and the closing."""

    def test_opening_a_round_moves_to_decision_and_mails_the_voters(
        self,
        people: dict[str, Any],
        request_: Any,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
        settings: Any,
    ) -> None:
        settings.PARAAT_ADVICE_QUORUM = 0.6
        revision = to_final_draft(request_, people)
        with django_capture_on_commit_callbacks(execute=True):
            round_ = services.decision_round_open(request=request_, actor=people["cpo"])
        assert workflow.status_of(request_) == S.DECISION
        assert round_.revision == revision and round_.mode == DecisionMode.REGULAR
        assert round_.eligible == workflow.voters().count() == 4
        assert round_.quorum == 0.6
        assert round_.closes_at == request_.deadline  # the deadline lies ahead
        assert sorted(mailoutbox[0].to) == sorted(u.email for u in voters_of(people))

    def test_round_closes_a_day_later_when_the_deadline_has_passed(
        self, people: dict[str, Any]
    ) -> None:
        received = now() - dt.timedelta(days=3)
        request = request_make(actor=people["cpo"], received_at=received)
        to_final_draft(request, people)
        before = now()
        round_ = services.decision_round_open(request=request, actor=people["cpo"], quorum=0.0)
        assert before + dt.timedelta(hours=24) <= round_.closes_at <= now() + dt.timedelta(hours=24)
        assert round_.quorum == 0.0

    def test_rapid_round_needs_statements(self, people: dict[str, Any], request_: Any) -> None:
        to_final_draft(request_, people)
        with pytest.raises(ValidationError) as exc:
            services.decision_round_open(
                request=request_, actor=people["cpo"], mode="rapid", statements=["", "  "]
            )
        assert "statements" in exc.value.message_dict
        round_ = services.decision_round_open(
            request=request_,
            actor=people["cpo"],
            mode="rapid",
            statements=[" Geen inreisverbod. ", "", "Wel een test vóór vertrek."],
        )
        assert [(s.order, s.text) for s in round_.statements.all()] == [
            (1, "Geen inreisverbod."),
            (2, "Wel een test vóór vertrek."),
        ]

    def test_round_refusals(self, people: dict[str, Any], request_: Any) -> None:
        cpo = people["cpo"]
        with pytest.raises(ValidationError) as exc:  # no text yet
            services.decision_round_open(request=request_, actor=cpo)
        save(request_, cpo)
        with pytest.raises(ValidationError) as exc:  # draft → decision is not in the table
            services.decision_round_open(request=request_, actor=cpo)
        assert "mode" in exc.value.message_dict
        assert workflow.status_of(request_) == S.DRAFT
        services.advice_transition(request=request_, to=S.FINAL_DRAFT, actor=cpo)
        for quorum in (1.0, -0.1, 2):
            with pytest.raises(ValidationError) as exc:
                services.decision_round_open(request=request_, actor=cpo, quorum=quorum)
            assert "quorum" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.decision_round_open(
                request=request_, actor=cpo, closes_at=now() - dt.timedelta(minutes=1)
            )
        assert "closes_at" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.decision_round_open(request=request_, actor=cpo, mode="lottery")
        assert "mode" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.decision_round_open(request=request_, actor=people["chair"])
        services.decision_round_open(request=request_, actor=cpo)
        with pytest.raises(ValidationError) as exc:  # one open round at a time
            services.decision_round_open(request=request_, actor=cpo)
        assert "mode" in exc.value.message_dict
        assert request_.decision_rounds.count() == 1

    @pytest.fixture
    def round_(self, people: dict[str, Any], request_: Any) -> Any:
        to_final_draft(request_, people)
        return services.decision_round_open(request=request_, actor=people["cpo"])

    def test_a_vote_is_immutable(self, people: dict[str, Any], round_: Any) -> None:
        member = people["members"][0]
        (vote,) = services.vote_cast(
            round_=round_, voter=member, answers=[services.Answer("agree")]
        )
        assert vote.counted and vote.choice == "agree" and vote.voter == member
        with pytest.raises(ValidationError) as exc:
            services.vote_cast(
                round_=round_, voter=member, answers=[services.Answer("disagree", "Toch niet.")]
            )
        assert "choice" in exc.value.message_dict
        assert list(Vote.objects.filter(round=round_).values_list("choice", flat=True)) == ["agree"]

    def test_voting_rights_are_fixed_when_the_round_opens(
        self, people: dict[str, Any], round_: Any
    ) -> None:
        assert sorted(round_.voter_ids) == sorted(u.pk for u in voters_of(people))
        newcomer = UserFactory(username="nieuw-lid", roles=[roles.MEMBER])
        with pytest.raises(PermissionDenied):  # appointed after the opening: no vote here
            services.vote_cast(round_=round_, voter=newcomer, answers=[services.Answer("agree")])
        leaver = User.objects.get(pk=people["members"][0].pk)
        leaver.groups.clear()
        with pytest.raises(PermissionDenied):  # lost the voting right since
            services.vote_cast(round_=round_, voter=leaver, answers=[services.Answer("agree")])
        assert round_.votes.count() == 0
        round_.refresh_from_db()
        assert round_.eligible == 4

    def test_disagree_needs_a_reason(self, people: dict[str, Any], round_: Any) -> None:
        with pytest.raises(ValidationError) as exc:
            services.vote_cast(
                round_=round_, voter=people["chair"], answers=[services.Answer("disagree", "  ")]
            )
        assert "answers.0.reason" in exc.value.message_dict
        (vote,) = services.vote_cast(
            round_=round_,
            voter=people["chair"],
            answers=[services.Answer("disagree", " Te zwaar voor reizigers. ")],
        )
        assert vote.reason == "Te zwaar voor reizigers."

    def test_expert_position_is_shown_not_counted(
        self, people: dict[str, Any], round_: Any
    ) -> None:
        (position,) = services.vote_cast(
            round_=round_, voter=people["expert"], answers=[services.Answer("disagree", "CPB: nee")]
        )
        assert position.counted is False
        vote_all(round_, voters_of(people)[:3])
        counted = services.round_tally(round_=round_)
        assert counted["outcome"] == "consensus"
        assert (counted["positions"], counted["disagree"], counted["cast"]) == (1, 0, 3)

    @pytest.mark.parametrize("who", ["analyst", "cpo", "szw", "admin"])
    def test_who_may_not_vote(self, people: dict[str, Any], round_: Any, who: str) -> None:
        with pytest.raises(PermissionDenied):
            services.vote_cast(round_=round_, voter=people[who], answers=[services.Answer("agree")])
        assert round_.votes.count() == 0

    def test_regular_vote_refusals(self, people: dict[str, Any], round_: Any) -> None:
        chair = people["chair"]
        cases: list[tuple[list[services.Answer], str]] = [
            ([], "choice"),
            ([services.Answer("maybe")], "answers.0.choice"),
            ([services.Answer("dont_know")], "answers.0.choice"),
            ([services.Answer("agree"), services.Answer("abstain")], "choice"),
            ([services.Answer("agree", "", statement=RapidStatement(pk=1))], "answers.0.statement"),
            ([services.Answer("agree", "x" * (services.TEXT_MAX + 1))], "answers.0.reason"),
        ]
        for answers, field in cases:
            with pytest.raises(ValidationError) as exc:
                services.vote_cast(round_=round_, voter=chair, answers=answers)
            assert field in exc.value.message_dict, answers
        assert round_.votes.count() == 0

    def test_rapid_round_answers_per_statement(self, people: dict[str, Any], request_: Any) -> None:
        to_final_draft(request_, people)
        round_ = services.decision_round_open(
            request=request_,
            actor=people["cpo"],
            mode="rapid",
            statements=["Oordeel 1", "Oordeel 2"],
        )
        s1, s2 = round_.statements.all()
        member = people["members"][0]
        with pytest.raises(ValidationError) as exc:
            services.vote_cast(
                round_=round_, voter=member, answers=[services.Answer("agree_reservations", "", s1)]
            )
        assert "answers.0.choice" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.vote_cast(round_=round_, voter=member, answers=[services.Answer("agree")])
        assert "answers.0.statement" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.vote_cast(
                round_=round_,
                voter=member,
                answers=[services.Answer("agree", "", s1), services.Answer("dont_know", "", s1)],
            )
        assert "answers.1.statement" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.vote_cast(
                round_=round_, voter=member, answers=[services.Answer("disagree", "", s2)]
            )
        assert "answers.0.reason" in exc.value.message_dict
        votes = services.vote_cast(
            round_=round_,
            voter=member,
            answers=[services.Answer("agree", "", s1), services.Answer("dont_know", "", s2)],
        )
        assert [(v.statement, v.choice) for v in votes] == [(s1, "agree"), (s2, "dont_know")]
        with pytest.raises(ValidationError):  # again for s1 (and s2): refused, nothing added
            services.vote_cast(
                round_=round_, voter=member, answers=[services.Answer("agree", "", s2)]
            )
        assert round_.votes.count() == 2

    def test_rapid_answer_to_a_statement_of_another_round_is_refused(
        self,
        people: dict[str, Any],
    ) -> None:
        cpo = people["cpo"]
        rounds = []
        for title in ("Een", "Twee"):
            request = request_make(actor=cpo, title=title)
            to_final_draft(request, people)
            rounds.append(
                services.decision_round_open(
                    request=request, actor=cpo, mode="rapid", statements=["A"]
                )
            )
        foreign = rounds[1].statements.get()
        with pytest.raises(ValidationError) as exc:
            services.vote_cast(
                round_=rounds[0],
                voter=people["chair"],
                answers=[services.Answer("agree", "", foreign)],
            )
        assert "answers.0.statement" in exc.value.message_dict

    def test_rapid_tally_takes_the_weakest_statement(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        to_final_draft(request_, people)
        round_ = services.decision_round_open(
            request=request_, actor=people["cpo"], mode="rapid", statements=["A", "B"]
        )
        s1, s2 = round_.statements.all()
        for i, voter in enumerate(voters_of(people)):
            second = (
                services.Answer("disagree", "nee", s2)
                if i == 0
                else services.Answer("agree", "", s2)
            )
            services.vote_cast(
                round_=round_, voter=voter, answers=[services.Answer("agree", "", s1), second]
            )
        counted = services.round_tally(round_=round_)
        assert counted["statements"]["1"]["outcome"] == "consensus"
        assert counted["statements"]["2"]["outcome"] == "majority"
        assert counted["outcome"] == "majority"
        with pytest.raises(ValidationError):
            services.decision_round_close(round_=round_, actor=people["chair"])
        decision = services.decision_round_close(
            round_=round_, actor=people["chair"], minority_position="Lid vindt B te zwaar."
        )
        assert decision.outcome == "majority" and decision.tally == counted

    def test_closing_a_majority_needs_the_minority_position(
        self, people: dict[str, Any], request_: Any, round_: Any
    ) -> None:
        chair, *members = voters_of(people)
        vote_all(round_, [chair, members[0], members[1]])
        services.vote_cast(
            round_=round_, voter=members[2], answers=[services.Answer("disagree", "Te zwaar.")]
        )
        with pytest.raises(ValidationError) as exc:
            services.decision_round_close(round_=round_, actor=chair, minority_position=" ")
        assert "minority_position" in exc.value.message_dict
        assert not Decision.objects.exists()
        decision = services.decision_round_close(
            round_=round_, actor=chair, minority_position=" Lid 3 vindt de test te zwaar. "
        )
        assert decision.outcome == "majority"
        assert decision.minority_position == "Lid 3 vindt de test te zwaar."
        assert decision.tally["disagree"] == 1 and decision.closed_by == chair
        assert workflow.status_of(request_) == S.DECISION
        with pytest.raises(ValidationError) as exc:  # closed once
            services.decision_round_close(round_=round_, actor=chair, minority_position="x")
        assert "round" in exc.value.message_dict
        with pytest.raises(ValidationError):  # no votes in a closed round
            services.vote_cast(
                round_=round_, voter=people["expert"], answers=[services.Answer("agree")]
            )

    @pytest.mark.parametrize(
        ("choices", "outcome"),
        [
            (["agree", "disagree"], "no_quorum"),  # 2 of 4: not more than half
            (["agree", "agree", "disagree", "disagree"], "rejected"),
            (["abstain", "abstain", "abstain"], "no_votes"),
        ],
    )
    def test_not_adopted_goes_back_to_the_final_draft(
        self, people: dict[str, Any], request_: Any, round_: Any, choices: list[str], outcome: str
    ) -> None:
        for voter, choice in zip(voters_of(people), choices, strict=False):
            services.vote_cast(
                round_=round_, voter=voter, answers=[services.Answer(choice, "reden")]
            )
        decision = services.decision_round_close(round_=round_, actor=people["cpo"])
        assert decision.outcome == outcome
        assert workflow.status_of(request_) == S.FINAL_DRAFT
        change = request_.status_changes.order_by("-at", "-pk").first()
        assert change is not None and outcome in change.note
        with pytest.raises(ValidationError):
            services.advice_transition(request=request_, to=S.ALIGNMENT, actor=people["chair"])
        # a new round on the final draft is possible
        services.decision_round_open(request=request_, actor=people["cpo"])
        assert workflow.status_of(request_) == S.DECISION

    def test_naive_closing_moment_is_a_validation_error(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        to_final_draft(request_, people)
        with pytest.raises(ValidationError):
            services.decision_round_open(
                request=request_, actor=people["cpo"], closes_at=dt.datetime(2099, 1, 1, 9)
            )

    def test_closing_a_round_does_not_revive_a_withdrawn_request(
        self, people: dict[str, Any], request_: Any, round_: Any
    ) -> None:
        services.advice_transition(request=request_, to=S.WITHDRAWN, actor=people["cpo"])
        decision = services.decision_round_close(round_=round_, actor=people["chair"])
        assert decision.outcome == "no_quorum"
        assert workflow.status_of(request_) == S.WITHDRAWN  # no move out of withdrawn

    def test_alignment_needs_a_vote_on_the_latest_text(
        self, people: dict[str, Any], request_: Any, round_: Any
    ) -> None:
        cpo, chair = people["cpo"], people["chair"]
        vote_all(round_, voters_of(people))
        services.decision_round_close(round_=round_, actor=chair)  # consensus on v1
        services.advice_transition(request=request_, to=S.FINAL_DRAFT, actor=cpo)
        save(request_, cpo, base=1, advice="1. Een heel ander advies.")
        services.advice_transition(request=request_, to=S.DECISION, actor=cpo)
        with pytest.raises(ValidationError):
            services.advice_transition(request=request_, to=S.ALIGNMENT, actor=chair)

    def test_closing_needs_the_chair_or_secretariat(
        self, people: dict[str, Any], round_: Any
    ) -> None:
        for who in (people["members"][0], people["expert"], people["szw"]):
            with pytest.raises(PermissionDenied):
                services.decision_round_close(round_=round_, actor=who)

    def test_vote_reminders_before_the_round_closes(
        self,
        people: dict[str, Any],
        request_: Any,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        to_final_draft(request_, people)
        closes = now() + dt.timedelta(hours=30)
        round_ = services.decision_round_open(
            request=request_, actor=people["cpo"], closes_at=closes
        )
        services.vote_cast(round_=round_, voter=people["chair"], answers=[services.Answer("agree")])
        nobody_mail = UserFactory(username="lid-zonder-mail", roles=[roles.MEMBER], email="")
        assert services.vote_reminders_send(now=now()) == 0  # 30 h ahead: not yet
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.vote_reminders_send(now=closes - dt.timedelta(hours=2))
        assert sent == 3
        assert sorted(mailoutbox[0].to) == sorted(m.email for m in people["members"])
        assert nobody_mail.email not in mailoutbox[0].to
        assert services.vote_reminders_send(now=closes + dt.timedelta(minutes=1)) == 0
        vote_all(round_, people["members"])
        services.decision_round_close(round_=round_, actor=people["chair"])
        assert services.vote_reminders_send(now=closes - dt.timedelta(hours=2)) == 0

    def test_vote_reminder_once_per_window(self, people: dict[str, Any], request_: Any) -> None:
        to_final_draft(request_, people)
        closes = now() + dt.timedelta(hours=30)
        services.decision_round_open(request=request_, actor=people["cpo"], closes_at=closes)
        assert services.vote_reminders_send(now=closes - dt.timedelta(hours=3)) == 4
        assert services.vote_reminders_send(now=closes - dt.timedelta(hours=2, minutes=45)) == 0


class TestAfterDecision:
    """Sign-off, dispatch, embargo, publication, reflections, cabinet response."""

    def test_sign_off_only_by_the_chair_in_the_alignment(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        to_final_draft(request_, people)
        round_ = services.decision_round_open(request=request_, actor=people["cpo"])
        vote_all(round_, voters_of(people))
        services.decision_round_close(round_=round_, actor=people["chair"])
        with pytest.raises(ValidationError):  # still in decision
            services.advice_sign_off(request=request_, actor=people["chair"])
        services.advice_transition(request=request_, to=S.ALIGNMENT, actor=people["chair"])
        for who in (people["cpo"], people["members"][0], people["szw"], people["expert"]):
            with pytest.raises(PermissionDenied):
                services.advice_sign_off(request=request_, actor=who)
        sign_off = services.advice_sign_off(request=request_, actor=people["chair"])
        assert sign_off.revision == round_.revision and sign_off.chair == people["chair"]
        assert list(SignOff.objects.filter(request=request_)) == [sign_off]

    def test_dispatch_needs_a_sign_off(self, people: dict[str, Any], request_: Any) -> None:
        decided(request=request_, people=people)
        with pytest.raises(ValidationError):
            services.advice_dispatch(request=request_, actor=people["chair"])
        services.advice_sign_off(request=request_, actor=people["chair"])
        with pytest.raises(PermissionDenied):
            services.advice_dispatch(request=request_, actor=people["cpo"])
        with pytest.raises(ValidationError) as exc:
            services.advice_dispatch(
                request=request_, actor=people["chair"], embargo_until=dt.datetime(2099, 1, 1)
            )
        assert "embargo_until" in exc.value.message_dict
        assert not Dispatch.objects.exists()

    def test_dispatch_sends_files_and_metadata_under_embargo(
        self,
        people: dict[str, Any],
        request_: Any,
        tmp_path: Any,
        settings: Any,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        settings.MEDIA_ROOT = tmp_path
        decided(request=request_, people=people)
        services.advice_sign_off(request=request_, actor=people["chair"])
        until = now() + dt.timedelta(days=2)
        with django_capture_on_commit_callbacks(execute=True):
            dispatch = services.advice_dispatch(
                request=request_,
                actor=people["chair"],
                embargo_until=until,
                documents={"pdf": ("advies.pdf", b"%PDF-1.4 test"), "docx": ("advies.docx", b"PK")},
            )
        assert dispatch.recipient == "Secretaris-generaal van SZW"
        assert dispatch.embargo_until == until and dispatch.embargo_note
        assert dispatch.revision.number == 1 and dispatch.sent_by == people["chair"]
        meta = dispatch.metadata
        assert meta["key"] == request_.key and meta["title"] == request_.title
        assert meta["version"] == 1 and meta["kind"] == "urgent" and meta["requester"] == "sg_szw"
        assert meta["signed_by"] == people["chair"].get_full_name()
        assert dt.datetime.fromisoformat(meta["sent_at"]) == dispatch.sent_at
        assert dt.datetime.fromisoformat(meta["deadline"]) == request_.deadline
        for field, content in (("pdf", b"%PDF-1.4 test"), ("docx", b"PK")):
            stored = getattr(dispatch, field)
            assert str(stored.path).startswith(str(tmp_path))
            with stored.open("rb") as handle:
                assert handle.read() == content
        statuses = list(request_.status_changes.values_list("status", flat=True))
        assert statuses[-2:] == [S.SENT, S.EMBARGO]
        assert [r.text for r in request_.recommendations.all()] == [
            "Geen inreisverbod.",
            "Wel een test vóór vertrek.",
        ]
        assert [m.to for m in mailoutbox] == [["cpo@example.org"]]
        with pytest.raises(ValidationError):  # a second dispatch
            services.advice_dispatch(request=request_, actor=people["chair"])
        assert Dispatch.objects.count() == 1

    def test_recommendations_are_the_numbered_and_bulleted_lines(
        self, people: dict[str, Any], request_: Any
    ) -> None:
        advice = "\n".join(
            [
                "Het MIT adviseert:",
                "1) Eerste",
                "- Tweede",
                "* Derde",
                "• Vierde",
                "   12. Vijfde  ",
                "Geen aanbeveling 3.",
                "-Geen spatie",
                "",
            ]
        )
        services.advice_revision_save(
            request=request_,
            sections={**SECTIONS, "advice": advice},
            base_number=None,
            actor=people["cpo"],
        )
        services.advice_transition(request=request_, to=S.FINAL_DRAFT, actor=people["cpo"])
        round_ = services.decision_round_open(request=request_, actor=people["cpo"])
        vote_all(round_, voters_of(people))
        services.decision_round_close(round_=round_, actor=people["chair"])
        services.advice_transition(request=request_, to=S.ALIGNMENT, actor=people["chair"])
        services.advice_sign_off(request=request_, actor=people["chair"])
        services.advice_dispatch(request=request_, actor=people["chair"])
        assert list(
            Recommendation.objects.filter(request=request_).values_list("number", "text")
        ) == [
            (1, "Eerste"),
            (2, "Tweede"),
            (3, "Derde"),
            (4, "Vierde"),
            (5, "Vijfde"),
        ]

    # --- publication ------------------------------------------------------------------------------

    def test_publish_creates_a_public_evidence_item(self, people: dict[str, Any]) -> None:
        request = dispatched(people)
        assert selectors.public_get(key=request.key) is None
        with pytest.raises(PermissionDenied):
            services.advice_publish(request=request, actor=people["chair"])
        moment = now()
        publication = services.advice_publish(
            request=request, actor=people["cpo"], url=" https://example.org/advies ", at=moment
        )
        assert isinstance(publication, Publication)
        assert (
            publication.published_at == moment and publication.url == "https://example.org/advies"
        )
        item = publication.evidence
        assert item is not None
        assert item.confidentiality == Confidentiality.PUBLIC and item.item_type == "report"
        assert item.title == request.title and item.summary == SECTIONS["summary"]
        assert SECTIONS["reasoning"] in item.full_text
        assert workflow.status_of(request) == S.PUBLISHED
        assert selectors.public_get(key=request.key) == request
        with pytest.raises(ValidationError):  # published once
            services.advice_publish(request=request, actor=people["cpo"])

    def test_publish_only_after_dispatch(self, people: dict[str, Any], request_: Any) -> None:
        decided(request=request_, people=people)
        with pytest.raises(ValidationError):
            services.advice_publish(request=request_, actor=people["cpo"])
        assert not Publication.objects.exists()

    def test_embargoes_release_only_past_their_date(self, people: dict[str, Any]) -> None:
        moments = {"past": now() - dt.timedelta(hours=1), "future": now() + dt.timedelta(days=3)}
        requests = {}
        for name, until in (*moments.items(), ("none", None)):
            request = decided(request=request_make(actor=people["cpo"], title=name), people=people)
            services.advice_sign_off(request=request, actor=people["chair"])
            services.advice_dispatch(request=request, actor=people["chair"], embargo_until=until)
            requests[name] = request
        released = services.embargoes_release()
        assert [p.request for p in released] == [requests["past"]]
        assert released[0].published_by is None
        assert workflow.status_of(requests["future"]) == S.EMBARGO
        assert workflow.status_of(requests["none"]) == S.EMBARGO
        assert services.embargoes_release() == []  # once
        later = services.embargoes_release(now=moments["future"] + dt.timedelta(minutes=1))
        assert [p.request for p in later] == [requests["future"]]

    def test_reflection_only_by_expert_members(self, people: dict[str, Any], request_: Any) -> None:
        for who in (people["members"][0], people["chair"], people["cpo"]):
            with pytest.raises(PermissionDenied):
                services.reflection_add(request=request_, actor=who, body="Reflectie")
        # A reflection is on the advice as sent: not on a draft.
        with pytest.raises(ValidationError) as exc:
            services.reflection_add(request=request_, actor=people["expert"], body="Te vroeg")
        assert "body" in exc.value.message_dict
        decided(request=request_, people=people)
        services.advice_sign_off(request=request_, actor=people["chair"])
        services.advice_dispatch(request=request_, actor=people["chair"])
        with pytest.raises(ValidationError) as exc:
            services.reflection_add(request=request_, actor=people["expert"], body=" ")
        assert "body" in exc.value.message_dict
        reflection = services.reflection_add(
            request=request_, actor=people["expert"], body=" Het SCP ziet meer effecten. "
        )
        assert (reflection.institution, reflection.body) == ("SCP", "Het SCP ziet meer effecten.")
        other = services.reflection_add(
            request=request_, actor=people["expert"], body="Tweede", institution="CPB"
        )
        assert other.institution == "CPB"
        assert Reflection.objects.count() == 2

    # --- cabinet response and follow-up -----------------------------------------------------------

    def test_cabinet_response_records_a_status_per_recommendation(
        self,
        people: dict[str, Any],
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        request = published(people)
        data = services.CabinetResponseData(
            date=dt.date(2023, 1, 6),
            title=" Kamerbrief ",
            statuses={2: ("not_adopted", " Niet uitvoerbaar. ")},
        )
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = services.cabinet_response_record(
                request=request, actor=people["szw"], data=data
            )
        assert response.title == "Kamerbrief" and response.recorded_by == people["szw"]
        rows = list(
            RecommendationStatus.objects.filter(response=response)
            .order_by("recommendation__number")
            .values_list("recommendation__number", "status", "justification")
        )
        assert rows == [(1, "no_response", ""), (2, "not_adopted", "Niet uitvoerbaar.")]
        assert workflow.status_of(request) == S.CABINET_RESPONSE
        recipients = set(mailoutbox[0].to)
        assert "cpo@example.org" in recipients and "vz@example.org" in recipients
        second = services.cabinet_response_record(
            request=request,
            actor=people["cpo"],
            data=services.CabinetResponseData(
                date=dt.date(2023, 2, 1), title="Tweede brief", statuses={1: ("adopted", "")}
            ),
        )
        assert CabinetResponse.objects.filter(request=request).count() == 2
        assert second.statuses.get(recommendation__number=1).status == "adopted"
        assert response.statuses.get(recommendation__number=1).status == "no_response"  # unchanged
        assert request.status_changes.filter(status=S.CABINET_RESPONSE).count() == 1

    def test_cabinet_response_refusals(self, people: dict[str, Any]) -> None:
        request = dispatched(people)
        ok = services.CabinetResponseData(date=dt.date(2023, 1, 6), title="Brief")
        with pytest.raises(ValidationError):  # under embargo: not yet
            services.cabinet_response_record(request=request, actor=people["szw"], data=ok)
        services.advice_publish(request=request, actor=people["cpo"])
        for who in (people["members"][0], people["chair"], people["expert"]):
            with pytest.raises(PermissionDenied):
                services.cabinet_response_record(request=request, actor=who, data=ok)
        bad = services.CabinetResponseData(
            date=dt.date(2023, 1, 6),
            title=" ",
            statuses={1: ("partly", " "), 2: ("maybe", ""), 9: ("adopted", "")},
        )
        with pytest.raises(ValidationError) as exc:
            services.cabinet_response_record(request=request, actor=people["szw"], data=bad)
        assert set(exc.value.message_dict) == {"title", "statuses.1", "statuses.2", "statuses.9"}
        assert not CabinetResponse.objects.exists()
        assert workflow.status_of(request) == S.PUBLISHED

    def test_follow_up_moves_to_follow_up(self, people: dict[str, Any]) -> None:
        request = published(people)
        services.cabinet_response_record(
            request=request,
            actor=people["szw"],
            data=services.CabinetResponseData(date=dt.date(2023, 1, 6), title="Brief"),
        )
        with pytest.raises(ValidationError) as exc:
            services.follow_up_add(
                request=request,
                actor=people["szw"],
                kind="tweet",
                title=" ",
                date=dt.date(2023, 1, 9),
            )
        assert set(exc.value.message_dict) == {"kind", "title"}
        with pytest.raises(PermissionDenied):
            services.follow_up_add(
                request=request,
                actor=people["members"][0],
                kind="motion",
                title="Motie",
                date=dt.date(2023, 1, 9),
            )
        item = services.follow_up_add(
            request=request,
            actor=people["szw"],
            kind="motion",
            title=" Motie over reizigers ",
            reference="36 200-XV nr. 12",
            date=dt.date(2023, 1, 9),
        )
        assert (item.title, item.kind, item.reference) == (
            "Motie over reizigers",
            "motion",
            "36 200-XV nr. 12",
        )
        assert workflow.status_of(request) == S.FOLLOW_UP
        services.follow_up_add(
            request=request,
            actor=people["cpo"],
            kind="questions",
            title="Kamervragen",
            date=dt.date(2023, 1, 10),
        )
        assert FollowUp.objects.filter(request=request).count() == 2
        assert request.status_changes.filter(status=S.FOLLOW_UP).count() == 1

    def test_follow_up_only_after_publication(self, people: dict[str, Any]) -> None:
        request = dispatched(people)
        with pytest.raises(ValidationError):
            services.follow_up_add(
                request=request,
                actor=people["szw"],
                kind="motion",
                title="M",
                date=dt.date(2023, 1, 9),
            )
        assert not FollowUp.objects.exists()


# --- concurrency (PostgreSQL: real row locks and parallel connections) ---------------------------


def _in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in ``count`` threads started together; results (or exceptions) by i."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # collected and checked by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def _comments_all_stored(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"], title="Opmerkingen")
    save(request, people["cpo"])
    authors = [people["cpo"], people["chair"], *people["members"], people["expert"]]

    def work(i: int) -> None:
        for n in range(5):
            services.comment_add(
                request=request,
                actor=authors[i % len(authors)],
                section="advice",
                body=f"opmerking {i}-{n}",
            )

    assert _in_threads(10, work) == [None] * 10
    bodies = sorted(Comment.objects.filter(request=request).values_list("body", flat=True))
    assert bodies == sorted(f"opmerking {i}-{n}" for i in range(10) for n in range(5))


def _votes_unique(people: dict[str, Any], voters: list[Any]) -> None:
    request = request_make(actor=people["cpo"], title="Stemmen")
    to_final_draft(request, people)
    round_ = services.decision_round_open(request=request, actor=people["cpo"])
    assert round_.eligible == len(voters) == 10

    def cast_twice(i: int) -> list[str]:
        outcomes = []
        for choice in ("agree", "disagree"):
            try:
                services.vote_cast(
                    round_=round_, voter=voters[i], answers=[services.Answer(choice, "reden")]
                )
                outcomes.append("ok")
            except ValidationError:
                outcomes.append("refused")
        return outcomes

    assert _in_threads(10, cast_twice) == [["ok", "refused"]] * 10
    rows = Vote.objects.filter(round=round_)
    assert sorted(rows.values_list("voter_id", flat=True)) == sorted(v.pk for v in voters)
    assert set(rows.values_list("choice", flat=True)) == {"agree"}
    assert services.round_tally(round_=round_)["agree"] == 10

    # ten threads for one voter in a fresh round: one vote, nine refusals
    services.decision_round_close(round_=round_, actor=people["chair"])
    services.advice_transition(request=request, to=S.FINAL_DRAFT, actor=people["cpo"])
    second = services.decision_round_open(request=request, actor=people["cpo"])

    def same_voter(i: int) -> str:
        try:
            services.vote_cast(round_=second, voter=voters[0], answers=[services.Answer("agree")])
        except ValidationError:
            return "refused"
        return "ok"

    assert sorted(_in_threads(10, same_voter)) == ["ok"] + ["refused"] * 9  # type: ignore[type-var]
    assert Vote.objects.filter(round=second).count() == 1


def _same_section_conflicts(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"], title="Zelfde sectie")
    save(request, people["cpo"])
    editors = [people["cpo"], people["chair"], *people["members"]]

    def work(i: int) -> object:
        return save(request, editors[i % len(editors)], base=1, summary=f"Tekst van schrijver {i}")

    results = _in_threads(10, work)
    saved = [r for r in results if isinstance(r, AdviceRevision)]
    conflicts = [r for r in results if isinstance(r, services.RevisionConflict)]
    assert len(saved) == 1 and len(conflicts) == 9, results
    assert list(request.revisions.order_by("number").values_list("number", flat=True)) == [1, 2]
    winner = results.index(saved[0])
    assert request.revisions.get(number=2).sections["summary"] == f"Tekst van schrijver {winner}"


def _different_sections_merge(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"], title="Andere secties")
    save(request, people["cpo"])
    keys = services.SECTION_KEYS  # seven sections, one writer each

    def work(i: int) -> object:
        return save(request, people["cpo"], base=1, **{keys[i]: f"Nieuw in {keys[i]}"})

    results = _in_threads(len(keys), work)
    assert all(isinstance(r, AdviceRevision) for r in results), results
    numbers = list(request.revisions.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(keys) + 2))  # no gaps, no duplicates
    latest = request.revisions.order_by("-number").first()
    assert latest is not None and latest.merged
    assert latest.sections == {key: f"Nieuw in {key}" for key in keys}


@pytest.mark.postgres
def test_concurrent_writers_lose_nothing(transactional_db: None) -> None:
    """Ten threads, each with its own database connection, comment, vote and save at once:
    every comment is stored, every vote once, versions are numbered without gaps, and a
    conflicting save raises instead of overwriting. (One test: every transactional test
    empties the database afterwards, which is slow on PostgreSQL.)"""
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL's row locks (SQLite serialises writes)")
    people = committee()
    more = [UserFactory(username=f"extra-lid{i}", roles=[roles.MEMBER], email="") for i in range(6)]
    _comments_all_stored(people)
    _votes_unique(people, [people["chair"], *people["members"], *more])  # 10 voters, as the MIT
    _same_section_conflicts(people)
    _different_sections_merge(people)
