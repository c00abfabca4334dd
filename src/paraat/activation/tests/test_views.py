"""Pages of activation per role: CPO (everything), SZW officer (cases, the decision), committee
member (cases, read only), beheerder (view), analist and anonymous (nothing)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from paraat.activation import selectors
from paraat.activation.models import ActivationCase, CaseStatus, SecondmentAgreement
from paraat.activation.tests import factories
from paraat.network.models import Membership

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def case(people: dict[str, Any]) -> ActivationCase:
    return factories.case_make(actor=people["cpo"])


@pytest.mark.parametrize(
    ("who", "index", "detail", "agreements"),
    [
        ("cpo", 200, 200, True),
        ("szw", 200, 200, False),
        ("member", 200, 200, True),
        ("chair", 200, 200, True),
        ("admin", 200, 200, True),
        ("analyst", 403, 403, False),
    ],
)
def test_pages_per_role(
    people: dict[str, Any],
    case: ActivationCase,
    who: str,
    index: int,
    detail: int,
    agreements: bool,
) -> None:
    factories.agreement_make(actor=people["cpo"])
    client = _client(people[who])
    response = client.get(reverse("activation:index"))
    assert response.status_code == index
    if index == 200:
        html = response.content.decode()
        assert case.title in html
        assert ("agreements-table" in html) is agreements
        assert ("Nieuw activeringsdossier" in html) is (who == "cpo")
    response = client.get(reverse("activation:detail", args=[case.pk]))
    assert response.status_code == detail
    if detail == 200:
        html = response.content.decode()
        assert (
            ('action="' + reverse("activation:judge", args=[case.pk])) in html
            if who == "cpo"
            else (reverse("activation:judge", args=[case.pk]) not in html)
        )


def test_anonymous_is_sent_to_login(case: ActivationCase) -> None:
    for url in (reverse("activation:index"), reverse("activation:detail", args=[case.pk])):
        response = _client().get(url)
        assert response.status_code == 302 and "inloggen" in response["Location"]


@pytest.mark.parametrize("who", ["szw", "member", "admin", "analyst"])
def test_writes_are_refused_to_other_roles(
    people: dict[str, Any], case: ActivationCase, who: str
) -> None:
    client = _client(people[who])
    posts = {
        reverse("activation:case-create"): {"title": "X", "confidentiality": "internal"},
        reverse("activation:agreement-create"): {},
        reverse("activation:judge", args=[case.pk]): {"criterion": "scale", "judgement": "met"},
        reverse("activation:signal", args=[case.pk]): {},
        reverse("activation:close", args=[case.pk]): {"note": "x"},
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code in (403, 404), url
    assert selectors.status_of(case) == CaseStatus.OPEN


def test_confidential_case_is_404_for_a_member(people: dict[str, Any]) -> None:
    secret = factories.case_make(actor=people["cpo"], confidentiality="confidential")
    response = _client(people["member"]).get(reverse("activation:detail", args=[secret.pk]))
    assert response.status_code == 404
    assert (
        secret.title
        not in _client(people["member"]).get(reverse("activation:index")).content.decode()
    )


def test_cpo_manages_agreements(people: dict[str, Any]) -> None:
    client = _client(people["cpo"])
    szw = factories.ministry("SZW")
    url = reverse("activation:agreement-create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"ministry": szw.pk, "people": "0", "fte": "1"})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    response = client.post(
        url,
        {
            "ministry": szw.pk,
            "people": "3",
            "fte": "2.5",
            "lead_time_days": "5",
            "valid_until": "2030-12-31",
            "is_synthetic": "on",
        },
    )
    assert response.status_code == 302
    agreement = SecondmentAgreement.objects.get()
    assert (agreement.people, str(agreement.fte), agreement.is_synthetic) == (3, "2.5", True)
    edit = reverse("activation:agreement-edit", args=[agreement.pk])
    assert "2.5" in client.get(edit).content.decode()
    response = client.post(
        edit,
        {
            "ministry": szw.pk,
            "people": "4",
            "fte": "3.0",
            "available_from": "2030-01-02",
            "valid_until": "2030-01-01",
        },
    )
    assert response.status_code == 400 and "Geldig tot" in response.content.decode()
    response = client.post(edit, {"ministry": szw.pk, "people": "4", "fte": "3.0"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.people == 4
    client.post(reverse("activation:agreement-delete", args=[agreement.pk]))
    assert not SecondmentAgreement.objects.exists()


def test_cpo_walks_the_path_in_the_pages(
    people: dict[str, Any], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    cpo, szw = people["cpo"], people["szw"]
    client = _client(cpo)
    response = client.post(
        reverse("activation:case-create"),
        {"title": "", "confidentiality": "internal"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("activation:case-create"),
        {
            "title": "Testdossier (synthetisch)",
            "scenario_level": "mild",
            "confidentiality": "internal",
            "is_synthetic": "on",
        },
    )
    case = ActivationCase.objects.get(title="Testdossier (synthetisch)")
    assert response["Location"] == reverse("activation:detail", args=[case.pk])
    judge = reverse("activation:judge", args=[case.pk])
    response = client.post(
        judge, {"criterion": "scale", "judgement": "met", "evidence_refs": "bestaat-niet"}
    )
    assert response.status_code == 400 and "bestaat-niet" in response.content.decode()
    response = client.post(
        judge, {"criterion": "scale", "judgement": "met", "evidence_text": "Groot."}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activation:signal", args=[case.pk]), {"recipient": ""})
    assert response.status_code == 302 and "/taken/" in response["Location"]
    signal = selectors.signal_latest(case=case)
    assert signal is not None and signal.pdf
    # Files, read back.
    response = client.get(reverse("activation:signal-file", args=[case.pk, 1, "docx"]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    factories.close_response(response)
    assert "Groot." in "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert (
        client.get(reverse("activation:signal-file", args=[case.pk, 1, "exe"])).status_code == 404
    )
    assert (
        client.get(reverse("activation:signal-file", args=[case.pk, 9, "pdf"])).status_code == 404
    )
    response = client.post(
        reverse("activation:signal-sent", args=[case.pk]),
        {"sent_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    client.post(
        reverse("activation:signal-sent", args=[case.pk]),
        {"sent_on": timezone.localdate().isoformat()},
    )
    assert selectors.status_of(case) == CaseStatus.SIGNALLED

    # The SZW officer sees the decision form and records the decision.
    szw_client = _client(szw)
    html = szw_client.get(reverse("activation:detail", args=[case.pk])).content.decode()
    assert reverse("activation:decision", args=[case.pk]) in html
    assert reverse("activation:judge", args=[case.pk]) not in html
    decided = timezone.localtime() - dt.timedelta(minutes=5)
    response = szw_client.post(
        reverse("activation:decision", args=[case.pk]),
        {"decision": "establish", "decided_at": decided.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert selectors.decision_of(case=case).recorded_by == szw  # type: ignore[union-attr]

    # Decree with candidates from the card index; adoption.
    chair = factories.CandidateFactory(person__name="Vera Voorzitter (fictief)")
    html = client.get(reverse("activation:detail", args=[case.pk])).content.decode()
    assert "Vera Voorzitter (fictief)" in html and f'name="role_{chair.pk}"' in html
    response = client.post(
        reverse("activation:decree", args=[case.pk]),
        {"decree_date": timezone.localdate().isoformat(), "term": "een jaar"},
    )
    assert response.status_code == 400 and "voorzitter" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("activation:decree", args=[case.pk]),
            {
                "decree_date": timezone.localdate().isoformat(),
                "term": "een jaar",
                f"role_{chair.pk}": "chair",
            },
        )
    assert response.status_code == 302
    response = client.get(reverse("activation:decree-file", args=[case.pk, 1, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    factories.close_response(response)
    client.post(
        reverse("activation:decree-adopt", args=[case.pk]),
        {"adopted_on": timezone.localdate().isoformat()},
    )
    assert selectors.status_of(case) == CaseStatus.ACTIVE
    assert Membership.objects.filter(person=chair.person, role="chair").exists()

    # Staffing and checklist.
    agreement = factories.agreement_make(actor=cpo)
    response = client.post(
        reverse("activation:assignment-add", args=[case.pk]),
        {
            "agreement": agreement.pk,
            "name": "Sam Secretaris",
            "fte": "1.5",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    client.post(
        reverse("activation:assignment-add", args=[case.pk]),
        {
            "agreement": agreement.pk,
            "name": "Sam Secretaris",
            "fte": "1.0",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert selectors.staffing_totals(case=case)["people"] == 1
    client.post(reverse("activation:checklist-add", args=[case.pk]), {"title": "Extra punt"})
    for item in selectors.checklist(case=case):
        client.post(reverse("activation:checklist-done", args=[case.pk, item.pk]), {})
    assert selectors.status_of(case) == CaseStatus.OPERATIONAL
    html = client.get(reverse("activation:detail", args=[case.pk])).content.decode()
    assert 'id="time-to-operational"' in html and " uur" in html
    assert html.count("activation-step--done") == 6
    assert client.get(reverse("activation:index")).status_code == 200


def test_a_refused_step_shows_why_when_its_form_is_gone(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo)
    client = _client(cpo)
    client.post(reverse("activation:close", args=[case.pk]), {"note": "Niet nodig."})
    response = client.post(
        reverse("activation:judge", args=[case.pk]), {"criterion": "scale", "judgement": "met"}
    )
    assert response.status_code == 400
    assert "Dit activeringsdossier is gesloten." in response.content.decode()
    # Unknown checklist items and assignments are 404, never a 500.
    assert (
        client.post(reverse("activation:checklist-done", args=[case.pk, 999999])).status_code == 404
    )
    assert (
        client.post(reverse("activation:assignment-remove", args=[case.pk, 999999])).status_code
        == 404
    )
    assert client.get(reverse("activation:detail", args=[999999])).status_code == 404
    assert client.get(reverse("activation:agreement-edit", args=[999999])).status_code == 404
