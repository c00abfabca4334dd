"""REST API v1 of the assessment framework: visibility as the selectors, writes need the
editor's permissions, bad input is a 400 naming the field or JSON path (never a 500), and
confidential effectiveness never leaks."""

from __future__ import annotations

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.assessments import services
from paraat.assessments.models import Assessment, AssessmentVersion, Judgement
from paraat.assessments.tests.factories import AssessmentFactory, option_make, rights_fixture

pytestmark = pytest.mark.django_db

BASE = "/api/v1/assessments/"
SECRET_SOURCE = "OMT-advies vertrouwelijk (synthetisch) X7Q"
SECRET_ESTIMATE = -0.0731


@pytest.fixture
def people():
    roles_sync()
    return {
        "member": UserFactory(username="lid-api", roles=[roles.MEMBER]),
        "analyst": UserFactory(username="analist-api", roles=[roles.ANALYST]),
        "cpo": UserFactory(username="cpo-api", roles=[roles.CPO]),
    }


def api_as(user=None, *, token: bool = False) -> APIClient:
    client = APIClient()
    if user is not None and token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    elif user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def assessment():
    """An internal assessment whose option "masks" has confidential effectiveness."""
    assessment = AssessmentFactory(key="china")
    option = option_make(assessment, key="masks")
    for opt, effect in ((assessment.options.get(is_zero=True), "none"), (option, "small_negative")):
        for domain in ("mental-health", "economy"):
            for group in ("young-people", "travellers"):
                services.judgement_set(
                    actor=None,
                    option=opt,
                    domain_key=domain,
                    group_key=group,
                    effect=effect,
                    certainty="low",
                )
    services.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source=SECRET_SOURCE,
        estimate=SECRET_ESTIMATE,
        low=-0.1,
        high=0.0,
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    return assessment


def test_reading_follows_visibility(people, assessment):
    AssessmentFactory(key="openbaar", confidentiality=Confidentiality.PUBLIC)
    anonymous = api_as()
    assert [a["key"] for a in anonymous.get(BASE).json()] == ["openbaar"]
    assert anonymous.get(f"{BASE}china/").status_code == 404
    assert anonymous.get(f"{BASE}china/document/").status_code == 404
    assert anonymous.get(f"{BASE}china/versions/").status_code == 404
    member = api_as(people["member"], token=True)
    assert {a["key"] for a in member.get(BASE).json()} == {"china", "openbaar"}
    detail = member.get(f"{BASE}china/").json()
    assert detail["status"] == "draft"
    assert [o["key"] for o in detail["options"]] == ["zero", "masks"]
    assert detail["options"][0]["zero"] is True
    assert detail["domains"] == ["mental-health", "economy"]
    assert detail["needs_review"] == []
    assert member.get(f"{BASE}bestaat-niet/").status_code == 404


def test_put_judgement_needs_edit_rights_and_validates(people, assessment):
    cell = {
        "option": "masks",
        "domain": "economy",
        "group": "travellers",
        "effect": "moderate_negative",
        "low": "large_negative",
        "reach_share": 0.05,
        "certainty": "low",
        "rationale": "Weinig reizigers",
    }
    url = f"{BASE}china/judgements/"
    assert api_as().put(url, cell, format="json").status_code in (401, 403)
    assert api_as(people["member"]).put(url, cell, format="json").status_code == 403
    response = api_as(people["analyst"]).put(url, cell, format="json")
    assert response.status_code == 200, response.content
    judgement = Judgement.objects.get(
        option__key="masks", domain__key="economy", group__key="travellers"
    )
    assert (judgement.effect, judgement.reach_share) == ("moderate_negative", 0.05)
    assert judgement.updated_by == people["analyst"]
    bad = [
        ({"effect": "enorm"}, "effect"),
        ({"low": "none"}, "low"),
        ({"reach_share": 3}, "reach_share"),
        ({"option": "onbekend"}, "option"),
        ({"domain": "onderwijs"}, "domain"),
        ({"evidence": ["bestaat-niet"]}, "evidence"),
        ({"reach_people": 10}, "reach_share"),  # both people and share
    ]
    client = api_as(people["analyst"])
    for change, field in bad:
        response = client.put(url, cell | change, format="json")
        assert response.status_code == 400, (change, response.content)
        assert field in response.json(), (change, response.json())
    assert client.put(url, "geen json", content_type="application/json").status_code == 400
    assert client.put(url, [1, 2], format="json").status_code == 400


def test_import_creates_an_assessment_and_reports_json_paths(people, tmp_path):
    rights_fixture(tmp_path)
    from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

    DomainFactory(key="mental-health")
    PopulationGroupFactory(key="young-people")
    document = {
        "schema": "paraat-assessment/1",
        "id": "via-api",
        "title": "Via de API (synthetisch)",
        "question": "Wat doen we?",
        "date": "2023-01-05",
        "domains": [{"key": "mental-health", "name": "Mentale gezondheid"}],
        "groups": [{"key": "young-people", "name": "Jongeren"}],
        "options": [{"id": "zero", "name": "Niets", "zero": True}, {"id": "a", "name": "A"}],
        "judgements": [
            {"option": "a", "domain": "mental-health", "group": "young-people", "effect": "none"}
        ],
    }
    url = f"{BASE}import/"
    assert api_as(people["member"]).post(url, document, format="json").status_code == 403
    client = api_as(people["analyst"])
    response = client.post(url, document, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["key"] == "via-api"
    assert Assessment.objects.get(key="via-api").confidentiality == "internal"
    again = client.post(url, document, format="json")
    assert again.status_code == 400 and "id" in again.json()
    broken = json.loads(json.dumps(document)) | {"id": "kapot"}
    broken["judgements"][0]["effect"] = "enorm"
    broken["domains"][0]["key"] = "Geen Slug"
    response = client.post(url, broken, format="json")
    assert response.status_code == 400
    assert any(path.startswith("judgements[0]") for path in response.json())
    unknown = json.loads(json.dumps(document)) | {"id": "onbekend"}
    unknown["groups"][0]["key"] = "bestaat-niet"
    unknown["judgements"][0]["group"] = "bestaat-niet"
    response = client.post(url, unknown, format="json")
    assert response.status_code == 400 and "groups[0].key" in response.json()
    for body in ([1, 2, 3], "tekst", {"schema": "iets anders"}):
        assert client.post(url, body, format="json").status_code == 400
    response = client.post(url, "{kapot", content_type="application/json")
    assert response.status_code == 400
    response = client.post(f"{url}?confidentiality=geheim", document, format="json")
    assert response.status_code == 400 and "confidentiality" in response.json()
    assert not Assessment.objects.filter(key__in=["kapot", "onbekend"]).exists()


def test_analyse_creates_versions_and_results_are_masked_per_user(people, assessment):
    url = f"{BASE}china/analyse/"
    assert api_as(people["member"]).post(url, {}, format="json").status_code == 403
    client = api_as(people["analyst"])
    response = client.post(url, {"samples": 300, "seed": 11, "note": "eerste"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1
    row = next(r for r in body["result"]["matrix"] if r["option"] == "masks")
    assert row["masked"] is True and row["effect"] is None  # the analyst may not see it
    assert client.post(url, {"samples": 5}, format="json").status_code == 400
    assert client.post(url, {"seed": -1}, format="json").status_code == 400
    versions = api_as(people["member"]).get(f"{BASE}china/versions/").json()
    assert [(v["number"], v["seed"], v["note"]) for v in versions] == [(1, 11, "eerste")]
    cpo_result = api_as(people["cpo"]).get(f"{BASE}china/versions/1/result/").json()
    row = next(r for r in cpo_result["matrix"] if r["option"] == "masks")
    assert row["effect"] == pytest.approx(SECRET_ESTIMATE) and not row["masked"]
    assert api_as(people["cpo"]).get(f"{BASE}china/versions/9/result/").status_code == 404
    assert api_as().get(f"{BASE}china/versions/1/result/").status_code == 404


def test_confidential_effectiveness_never_leaks_through_the_api(people, assessment):
    services.assessment_analyse(actor=None, assessment=assessment, samples=200, seed=3)
    assert SECRET_SOURCE in json.dumps(AssessmentVersion.objects.get().document)
    client = api_as(people["member"])
    for url in (
        BASE,
        f"{BASE}china/",
        f"{BASE}china/document/",
        f"{BASE}china/versions/",
        f"{BASE}china/versions/1/result/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert SECRET_SOURCE not in text, url
        assert str(SECRET_ESTIMATE) not in text, url
    # with the level (CPO) it is there
    text = api_as(people["cpo"]).get(f"{BASE}china/document/").content.decode()
    assert SECRET_SOURCE in text


def test_bad_urls_and_methods_are_never_a_500(people, assessment):
    client = api_as(people["analyst"])
    for method, url in (
        ("get", f"{BASE}china/versions/abc/result/"),
        ("get", f"{BASE}china/versions/99999999999999/result/"),
        ("delete", f"{BASE}china/"),
        ("post", f"{BASE}china/document/"),
        ("get", f"{BASE}china/judgements/"),
        ("get", f"{BASE}%00/"),
    ):
        response = getattr(client, method)(url)
        assert 400 <= response.status_code < 500, (method, url, response.status_code)


# --- review findings (regressions) ------------------------------------------------------------


def test_roles_without_the_view_permission_read_only_public_assessments(people, assessment):
    AssessmentFactory(key="openbaar", confidentiality=Confidentiality.PUBLIC)
    expert = api_as(UserFactory(username="expert-api", roles=[roles.EXTERNAL_EXPERT]))
    assert [a["key"] for a in expert.get(BASE).json()] == ["openbaar"]
    for url in (f"{BASE}china/", f"{BASE}china/document/", f"{BASE}china/versions/"):
        assert expert.get(url).status_code == 404, url
    assert expert.get(f"{BASE}openbaar/").status_code == 200


@pytest.mark.parametrize("people_count", [10**30, 2**63, 2**64 + 7, 10**11 + 1])
def test_huge_reach_is_a_400_not_a_500(people, assessment, people_count):
    services.assessment_group_size_set(
        actor=None, assessment=assessment, group_key="travellers", size=1000
    )
    cell = {
        "option": "masks",
        "domain": "economy",
        "group": "travellers",
        "effect": "none",
        "reach_people": people_count,
    }
    response = api_as(people["analyst"]).put(f"{BASE}china/judgements/", cell, format="json")
    assert response.status_code == 400, response.content
    assert "reach_people" in response.json()
    assert not Judgement.objects.filter(reach_people__isnull=False).exists()


def test_reach_in_people_without_a_group_size_is_a_400(people, assessment):
    cell = {
        "option": "masks",
        "domain": "economy",
        "group": "travellers",
        "effect": "none",
        "reach_people": 10,
    }
    response = api_as(people["analyst"]).put(f"{BASE}china/judgements/", cell, format="json")
    assert response.status_code == 400
    assert "reach_people" in response.json()


def test_analysis_errors_of_the_core_are_a_400(people, assessment, monkeypatch):
    from paraat_core import assessment as core

    def boom(*args, **kwargs):
        raise ValueError("weights: all weights are zero; at least one must be positive")

    monkeypatch.setattr(core, "analyse", boom)
    response = api_as(people["analyst"]).post(
        f"{BASE}china/analyse/", {"samples": 100, "seed": 1}, format="json"
    )
    assert response.status_code == 400, response.content
    assert not AssessmentVersion.objects.exists()


@pytest.mark.parametrize("depth", [5000, 100])
def test_deeply_nested_json_is_a_400_on_every_endpoint(people, assessment, depth):
    body = "[" * depth + "]" * depth
    client = api_as(people["analyst"])
    for method, url in (
        ("post", f"{BASE}import/"),
        ("put", f"{BASE}china/judgements/"),
        ("post", f"{BASE}china/analyse/"),
    ):
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
    nested = '{"a":' * depth + "1" + "}" * depth
    response = client.post(f"{BASE}import/", nested, content_type="application/json")
    assert response.status_code == 400
    assert not Assessment.objects.exclude(key="china").exists()


def test_import_with_a_second_zero_option_is_a_400_naming_the_path(people, tmp_path):
    from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

    DomainFactory(key="economy", name_nl="Economie")
    PopulationGroupFactory(key="travellers", name_nl="Reizigers")
    document = {
        "schema": "paraat-assessment/1",
        "id": "twee-nul",
        "title": "Twee nulopties (synthetisch)",
        "question": "?",
        "date": "2023-01-05",
        "domains": [{"key": "economy", "name": "Economie"}],
        "groups": [{"key": "travellers", "name": "Reizigers"}],
        "options": [
            {"id": "zero", "name": "Niets", "zero": True},
            {"id": "zero-2", "name": "Ook niets", "zero": True},
        ],
    }
    response = api_as(people["analyst"]).post(f"{BASE}import/", document, format="json")
    assert response.status_code == 400, response.content
    assert "options[1].zero" in response.json()
    assert not Assessment.objects.filter(key="twee-nul").exists()


def test_large_analyses_run_as_a_background_job(
    people, assessment, django_capture_on_commit_callbacks
):
    """More than SYNC_MAX_SAMPLES samples: 202 with the job; the job stores the version."""
    from paraat.assessments.api import SYNC_MAX_SAMPLES

    client = api_as(people["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{BASE}china/analyse/",
            {"samples": SYNC_MAX_SAMPLES + 1, "seed": 5, "note": "groot"},
            format="json",
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == f"/api/v1/jobs/{body['job']}/"
    job = client.get(body["status"]).json()
    assert job["status"] == "succeeded", job
    version = AssessmentVersion.objects.get()
    assert (version.samples, version.seed, version.note) == (SYNC_MAX_SAMPLES + 1, 5, "groot")
