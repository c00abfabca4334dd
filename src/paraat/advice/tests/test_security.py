"""Regression tests from the security review of the advice process: no confidential title in
the library, no confidential material in a skeleton every committee member reads, only the
signed adopted version is sent, odd moments are refused (not a 500), links expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from paraat.accounts.models import Confidentiality
from paraat.advice import dossier, selectors, services, tasks
from paraat.advice.models import RecipientKind
from paraat.advice.tests.factories import SECTIONS, decided, input_make, request_make
from paraat.assessments.tests.factories import AssessmentFactory
from paraat.evidence.models import EvidenceItem
from paraat.evidence.selectors import evidence_visible

pytestmark = pytest.mark.django_db

SECRET = "GEHEIME-TITEL lockdown"


def _answer(row: Any) -> Any:
    return services.input_response_submit(
        input_request=row,
        data=services.ResponseData(signal="Signaal", severity="high", interests_status="none"),
    )


def test_an_answer_to_a_confidential_request_is_confidential_and_does_not_name_it(
    people: dict[str, Any],
) -> None:
    request = request_make(
        actor=people["cpo"], title=SECRET, confidentiality=Confidentiality.CONFIDENTIAL
    )
    row, _token = input_make(request=request, actor=people["cpo"])
    item = _answer(row).evidence
    assert item.confidentiality == Confidentiality.CONFIDENTIAL
    assert SECRET not in item.title and "vertrouwelijke adviesaanvraag" in item.title
    for who in ("analyst", "szw"):
        assert not evidence_visible(user=people[who]).filter(pk=item.pk).exists()
    assert not evidence_visible(user=people["members"][0]).filter(pk=item.pk).exists()


def test_an_answer_to_an_internal_request_stays_internal(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"])
    row, _token = input_make(request=request, actor=people["cpo"])
    item = _answer(row).evidence
    assert item.confidentiality == Confidentiality.INTERNAL
    assert request.title in item.title


def test_the_skeleton_of_an_internal_request_holds_nothing_confidential(
    people: dict[str, Any],
) -> None:
    assessment = AssessmentFactory(
        title="GEHEIME-AFWEGING (synthetisch)", confidentiality=Confidentiality.CONFIDENTIAL
    )
    request = request_make(actor=people["cpo"], assessment=assessment)
    # The CPO (who may see confidential items) sees the assessment in the dossier ...
    assert dossier.dossier_build(request=request, user=people["cpo"]).assessment is not None
    # ... but the skeleton, read by every committee member, never holds it.
    text = "\n".join(dossier.skeleton_for(request=request, user=people["cpo"]).values())
    assert "GEHEIME-AFWEGING" not in text
    # A confidential request's drafts are read only by those who may see confidential items.
    secret = request_make(
        actor=people["cpo"],
        assessment=assessment,
        confidentiality=Confidentiality.CONFIDENTIAL,
        title="Vertrouwelijk verzoek (synthetisch)",
    )
    text = "\n".join(dossier.skeleton_for(request=secret, user=people["cpo"]).values())
    assert "GEHEIME-AFWEGING" in text


def test_only_the_signed_adopted_version_is_sent(people: dict[str, Any]) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    services.advice_sign_off(request=request, actor=people["chair"])
    # Back to the final draft, a new version, adopted again: the old signature is not enough.
    services.advice_transition(request=request, to="final_draft", actor=people["cpo"])
    services.advice_revision_save(
        request=request,
        sections={**SECTIONS, "summary": "Nieuwe samenvatting."},
        base_number=1,
        actor=people["cpo"],
    )
    round_ = services.decision_round_open(request=request, actor=people["cpo"])
    for voter in [people["chair"], *people["members"]]:
        services.vote_cast(round_=round_, voter=voter, answers=[services.Answer("agree")])
    services.decision_round_close(round_=round_, actor=people["chair"])
    services.advice_transition(request=request, to="alignment", actor=people["chair"])
    assert selectors.signed_adopted(request=request) is None
    with pytest.raises(ValidationError):
        tasks.dispatch_start(request=request, actor=people["chair"])
    with pytest.raises(ValidationError):
        services.advice_dispatch(request=request, actor=people["chair"])
    signed = services.advice_sign_off(request=request, actor=people["chair"])
    dispatch = services.advice_dispatch(request=request, actor=people["chair"])
    assert dispatch.revision == signed.revision == round_.revision
    assert dispatch.revision.sections["summary"] == "Nieuwe samenvatting."


def test_a_new_version_after_a_vote_needs_a_new_vote_before_alignment(
    people: dict[str, Any],
) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    services.advice_transition(request=request, to="final_draft", actor=people["cpo"])
    services.advice_revision_save(
        request=request, sections={**SECTIONS, "summary": "Anders."}, base_number=1,
        actor=people["cpo"],
    )  # fmt: skip
    services.advice_transition(request=request, to="decision", actor=people["cpo"])
    with pytest.raises(ValidationError):
        services.advice_transition(request=request, to="alignment", actor=people["chair"])


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("advice:create", {"received_at": "0001-01-01T00:00"}),
        ("advice:create", {"received_at": "9999-12-31T23:59"}),
        ("advice:edit", {"received_at": "0001-01-01T00:00"}),
        ("advice:information-add", {"title": "Stuk", "received_at": "0001-01-01T00:00"}),
        ("advice:assignment-add", {"task": "Taak", "due": "0001-01-01"}),
    ],
)
def test_moments_out_of_range_are_refused_not_a_500(
    client: Any, people: dict[str, Any], url_name: str, data: dict[str, str]
) -> None:
    request = request_make(actor=people["cpo"])
    services.advice_revision_save(
        request=request, sections=SECTIONS, base_number=None, actor=people["cpo"]
    )
    client.force_login(people["cpo"])
    base = {
        "title": "Aanvraag (synthetisch)",
        "question": "Vraag?",
        "requester": "sg_szw",
        "kind": "urgent",
        "confidentiality": "internal",
    }
    kwargs = {} if url_name == "advice:create" else {"key": request.key}
    if url_name == "advice:assignment-add":
        base = {"assignee": str(people["members"][0].pk)}
    response = client.post(reverse(url_name, kwargs=kwargs), {**base, **data})
    assert response.status_code == 400  # the field error on the page, nothing stored


def test_services_refuse_moments_out_of_range_and_a_future_receipt(
    people: dict[str, Any],
) -> None:
    far = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    for field, value in (("received_at", far), ("deadline", far)):
        with pytest.raises(ValidationError) as exc:
            request_make(actor=people["cpo"], **{field: value})
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        request_make(actor=people["cpo"], received_at=timezone.now() + dt.timedelta(days=2))
    assert "received_at" in exc.value.message_dict


def test_input_links_expire_some_days_after_their_deadline(people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"])
    row, token = input_make(request=request, actor=people["cpo"])
    assert services.input_request_by_token(token) is not None
    row.deadline = timezone.now() - services.INPUT_GRACE - dt.timedelta(minutes=1)
    row.save(update_fields=["deadline"])
    assert services.input_request_by_token(token) is None


def test_services_keep_tasks_grants_and_requests_within_the_roles(
    people: dict[str, Any],
) -> None:
    request = request_make(actor=people["cpo"])
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            request=request, actor=people["cpo"], assignee=people["analyst"], task="Lezen"
        )
    assert "assignee" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.omt_access_grant(
            request=request, actor=people["cpo"], grantee=people["analyst"], reason="Nodig"
        )
    assert "grantee" in exc.value.message_dict
    # The SZW officer may register requests, but not one above what the officer may see.
    with pytest.raises(ValidationError) as exc:
        request_make(actor=people["szw"], confidentiality=Confidentiality.CONFIDENTIAL)
    assert "confidentiality" in exc.value.message_dict


def test_reflections_wait_for_the_dispatch(people: dict[str, Any]) -> None:
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    with pytest.raises(ValidationError):
        services.reflection_add(request=request, actor=people["expert"], body="Te vroeg")
    with pytest.raises(PermissionDenied):
        services.reflection_add(request=request, actor=people["members"][0], body="Geen expert")
    assert not EvidenceItem.objects.filter(title__contains="Te vroeg").exists()


def test_the_input_token_api_is_never_cached(client: Any, people: dict[str, Any]) -> None:
    request = request_make(actor=people["cpo"])
    _row, token = input_make(request=request, actor=people["cpo"], kind=RecipientKind.POOL_EXPERT)
    response = client.get(f"/api/v1/advice/input/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
