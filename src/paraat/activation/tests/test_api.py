"""The activation API: the role matrix, the path through the API (signal and decree as
background jobs, 202), and validation errors as 400 by field, never a 500."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from paraat.activation import selectors
from paraat.activation.models import ActivationCase, CaseStatus, SecondmentAgreement
from paraat.activation.tests import factories
from paraat.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db
BASE = "/api/v1/activation"


def api_as(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def case(people: dict[str, Any]) -> ActivationCase:
    return factories.case_make(actor=people["cpo"])


# who, list agreements, list cases, view case, create case, judge, decide (on a signalled case)
MATRIX = [
    ("cpo", 200, 200, 200, 201, 201, 201),
    ("szw", 403, 200, 200, 403, 403, 201),
    ("member", 200, 200, 200, 403, 403, 403),
    ("chair", 200, 200, 200, 403, 403, 403),
    ("admin", 200, 200, 200, 403, 403, 403),
    ("analyst", 403, 403, 403, 403, 403, 403),
    (None, 401, 401, 401, 401, 401, 401),
]


@pytest.mark.parametrize(
    ("who", "agreements", "cases", "view", "create", "judge", "decide"), MATRIX
)
def test_role_matrix(
    people: dict[str, Any],
    case: ActivationCase,
    who: str | None,
    agreements: int,
    cases: int,
    view: int,
    create: int,
    judge: int,
    decide: int,
) -> None:
    client = api_as(people[who] if who else None)
    assert client.get(f"{BASE}/agreements/").status_code == agreements
    assert client.get(f"{BASE}/cases/").status_code == cases
    assert client.get(f"{BASE}/cases/{case.pk}/").status_code == view
    response = client.post(f"{BASE}/cases/", {"title": "Via API"}, format="json")
    assert response.status_code == create
    response = client.post(
        f"{BASE}/cases/{case.pk}/criteria/",
        {"criterion": "scale", "judgement": "met"},
        format="json",
    )
    assert response.status_code == judge
    signalled = factories.signalled(factories.case_make(actor=people["cpo"]), actor=people["cpo"])
    response = client.post(
        f"{BASE}/cases/{signalled.pk}/decision/",
        {"decision": "establish", "decided_at": timezone.now().isoformat()},
        format="json",
    )
    assert response.status_code == decide, response.content


def test_unknown_and_invisible_cases_are_404(people: dict[str, Any]) -> None:
    secret = factories.case_make(actor=people["cpo"], confidentiality="confidential")
    client = api_as(people["member"])
    assert client.get(f"{BASE}/cases/{secret.pk}/").status_code == 404
    assert client.get(f"{BASE}/cases/999999/").status_code == 404
    assert secret.pk not in [row["id"] for row in client.get(f"{BASE}/cases/").json()]
    assert api_as(people["cpo"]).get(f"{BASE}/cases/{secret.pk}/").status_code == 200


def test_agreements_crud_and_validation(people: dict[str, Any]) -> None:
    client = api_as(people["cpo"])
    szw = factories.ministry("SZW")
    response = client.post(
        f"{BASE}/agreements/",
        {"ministry": szw.pk, "people": 3, "fte": "2.5", "valid_until": "2030-12-31"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["ministry"]["name"] == szw.name
    bad = client.post(
        f"{BASE}/agreements/", {"ministry": szw.pk, "people": 0, "fte": "x"}, format="json"
    )
    assert bad.status_code == 400 and {"people", "fte"} <= set(bad.json())
    other = factories.OrganisationFactory(name="Stichting (test)", kind="other")
    bad = client.post(
        f"{BASE}/agreements/", {"ministry": other.pk, "people": 1, "fte": "1"}, format="json"
    )
    assert bad.status_code == 400 and "ministry" in bad.json()
    bad = client.put(
        f"{BASE}/agreements/{pk}/",
        {
            "ministry": szw.pk,
            "people": 2,
            "fte": "1",
            "available_from": "2030-01-02",
            "valid_until": "2030-01-01",
        },
        format="json",
    )
    assert bad.status_code == 400 and "valid_until" in bad.json()
    ok = client.put(
        f"{BASE}/agreements/{pk}/", {"ministry": szw.pk, "people": 2, "fte": "1"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["people"] == 2
    assert api_as(people["member"]).delete(f"{BASE}/agreements/{pk}/").status_code == 403
    assert client.delete(f"{BASE}/agreements/{pk}/").status_code == 204
    assert not SecondmentAgreement.objects.exists()
    assert client.get(f"{BASE}/agreements/{pk}/").status_code == 404


def test_the_path_through_the_api(
    people: dict[str, Any], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    cpo, szw = people["cpo"], people["szw"]
    client = api_as(cpo)
    case = client.post(
        f"{BASE}/cases/", {"title": "API-dossier", "scenario_level": "mild"}, format="json"
    ).json()
    pk = case["id"]
    assert case["status"] == "open" and case["checklist"]
    assert client.post(f"{BASE}/cases/{pk}/signal/", {}, format="json").status_code == 400
    response = client.post(
        f"{BASE}/cases/{pk}/criteria/",
        {"criterion": "scale", "judgement": "met", "evidence": ["onbekend-item"]},
        format="json",
    )
    assert response.status_code == 400 and "evidence" in response.json()
    client.post(
        f"{BASE}/cases/{pk}/criteria/",
        {"criterion": "scale", "judgement": "met", "evidence_text": "Groot."},
        format="json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/cases/{pk}/signal/", {}, format="json")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job"])
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert response.json()["status"].endswith(f"/jobs/{job.pk}/")
    response = client.post(
        f"{BASE}/cases/{pk}/signal/sent/",
        {"sent_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "signalled"
    response = api_as(szw).post(
        f"{BASE}/cases/{pk}/decision/",
        {
            "decision": "establish",
            "decided_at": (timezone.now() - dt.timedelta(minutes=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["decision"]["decision"] == "establish"
    chair = factories.CandidateFactory(person__name="API Voorzitter (fictief)")
    response = client.post(
        f"{BASE}/cases/{pk}/decree/",
        {
            "decree_date": timezone.localdate().isoformat(),
            "term": "een jaar",
            "members": [{"candidate": 999999, "role": "chair"}],
        },
        format="json",
    )
    assert response.status_code == 400 and "members.0.candidate" in response.json()
    response = client.post(
        f"{BASE}/cases/{pk}/decree/",
        {
            "decree_date": timezone.localdate().isoformat(),
            "term": "een jaar",
            "members": [{"candidate": chair.pk, "role": "member"}],
        },
        format="json",
    )
    assert response.status_code == 400 and "members" in response.json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{BASE}/cases/{pk}/decree/",
            {
                "decree_date": timezone.localdate().isoformat(),
                "term": "een jaar",
                "members": [{"candidate": chair.pk, "role": "chair"}],
            },
            format="json",
        )
    assert response.status_code == 202
    response = client.post(
        f"{BASE}/cases/{pk}/decree/adopt/",
        {"adopted_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "active" and body["decrees"][0]["members"][0]["role"] == "chair"
    agreement = factories.agreement_make(actor=cpo)
    response = client.post(
        f"{BASE}/cases/{pk}/staffing/",
        {
            "agreement": agreement.pk,
            "name": "S. Secretaris",
            "fte": "1.0",
            "starts_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()[0]["name"] == "S. Secretaris"
    assert api_as(people["member"]).get(f"{BASE}/cases/{pk}/staffing/").status_code == 200
    response = client.post(f"{BASE}/cases/{pk}/checklist/", {"title": ""}, format="json")
    assert response.status_code == 400 and "title" in response.json()
    items = client.get(f"{BASE}/cases/{pk}/checklist/").json()
    assert (
        client.post(f"{BASE}/cases/{pk}/checklist/999999/done/", {}, format="json").status_code
        == 404
    )
    for item in items:
        response = client.post(f"{BASE}/cases/{pk}/checklist/{item['id']}/done/", {}, format="json")
        assert response.status_code == 200
    body = response.json()
    assert body["status"] == "operational"
    assert body["operational"]["hours"] is not None and body["operational"]["done"] == len(items)
    assert all(row["hours"] is not None for row in body["checklist"])
    assert [h["status"] for h in body["history"]] == [
        "open",
        "signalled",
        "decided",
        "decree",
        "active",
        "operational",
    ]


def test_close_and_list_filter(people: dict[str, Any], case: ActivationCase) -> None:
    client = api_as(people["cpo"])
    assert client.post(f"{BASE}/cases/{case.pk}/close/", {}, format="json").status_code == 400
    response = client.post(f"{BASE}/cases/{case.pk}/close/", {"note": "Klaar."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert [r["id"] for r in client.get(f"{BASE}/cases/?open=false").json()] == [case.pk]
    assert client.get(f"{BASE}/cases/?open=true").json() == []
    assert selectors.status_of(case) == CaseStatus.CLOSED


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.dictionaries(
        st.sampled_from(["criterion", "judgement", "evidence", "evidence_text", "x"]),
        st.one_of(st.none(), st.integers(), st.text(max_size=30), st.lists(st.text(max_size=5))),
    )
)
def test_bad_input_is_never_a_500(
    people: dict[str, Any], case: ActivationCase, payload: dict[str, Any]
) -> None:
    client = api_as(people["cpo"])
    for path in ("criteria/", "decision/", "decree/", "staffing/", "signal/sent/", "close/"):
        response = client.post(f"{BASE}/cases/{case.pk}/{path}", payload, format="json")
        assert response.status_code in (200, 201, 400, 403, 404), (path, response.content)
