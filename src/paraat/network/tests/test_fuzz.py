"""Fuzzing the writes of the network (hypothesis): whatever a CPO sends to a page or an API
endpoint — impossible dates, huge numbers, NUL, unknown choices, lists where text belongs —
the answer is a redirect or a 400 naming the problem, never a 500."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from paraat.network import services
from paraat.network.tests.factories import DisciplineFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

TEXT = [
    *("", " ", "\x00", "a\x00b", "a" * 5000, "<script>x</script>", "../../etc/passwd"),
    *("0000-00-00", "2026-02-30", "9999-12-31", "0001-01-01", "2025-06-01", "29-02-2025"),
    *("²²²²", "NaN", "1e400", "-1", "0", "1", "2147483648", "99999999999999999999999"),
    *("chair", "expert_member", "member", "request", "retention", "institution", "x", "on"),
    *("not-an-email", "a@b", "+31 6 1234", "javascript:alert(1)", "https://example.org"),
]
JSON_ONLY = [None, True, 0, -1, 2**63, 10**30, 1.5, [], ["x"], [None], [1], {}, {"a": 1}]
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@pytest.fixture
def env(people: dict[str, Any]) -> dict[str, Any]:
    cpo = people["cpo"]
    person = PersonFactory()
    organisation = OrganisationFactory()
    discipline = DisciplineFactory(key="x")
    membership = services.membership_start(
        person=person, role="member", starts_on=dt.date(2024, 1, 1), actor=cpo
    )
    return {
        "cpo": cpo,
        "p": person.pk,
        "ms": membership.pk,
        "refs": {
            "person": person.pk,
            "contact": person.pk,
            "organisation": organisation.pk,
            "lead_organisation": organisation.pk,
            "institution": organisation.pk,
            "disciplines": discipline.pk,
        },
    }


def _refer(data: dict[str, Any], env: dict[str, Any]) -> dict[str, Any]:
    """Let "1" stand for an existing row in reference fields, so valid paths are reached."""
    refs = env["refs"]
    return {k: (refs[k] if k in refs and v in ("1", 1) else v) for k, v in data.items()}


PERSON = ["name", "email", "phone", "organisation", "consent_on", "consent_scope"]
CIRCLE = [
    *("name", "lead_organisation", "member_organisations", "contact", "groups"),
    *("response_hours", "contact_confirmed_on"),
]
API = [
    ("persons/", [*PERSON, "retention_until", "is_fictional"]),
    ("persons/{p}/declarations/", ["text", "declared_on"]),
    ("persons/{p}/erase/", ["reason"]),
    ("organisations/", ["name", "abbreviation", "kind", "website", "is_synthetic"]),
    ("memberships/", ["person", "role", "institution", "starts_on", "source"]),
    ("memberships/{ms}/end/", ["ends_on"]),
    ("disciplines/", ["name_nl", "name_en", "description", "position", "is_active"]),
    ("pool/", ["person", "disciplines", "availability_confirmed_on"]),
    ("candidates/", ["person", "disciplines", "availability_confirmed_on", "notes"]),
    (
        "circles/",
        CIRCLE,
    ),
]


@pytest.mark.parametrize(("path", "keys"), API)
def test_api_writes_never_500(env: dict[str, Any], path: str, keys: list[str]) -> None:
    url = "/api/v1/network/" + path.format(**env)
    api = APIClient()
    api.force_authenticate(env["cpo"])
    value = st.sampled_from([*TEXT, *JSON_ONLY])

    @SETTINGS
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(keys, value)))
    def run(data: dict[str, Any]) -> None:
        body = json.dumps(_refer(data, env))
        response = api.post(url, body, content_type="application/json")
        assert response.status_code < 500, (data, response.content[:300])

    run()


PAGES = [
    ("/netwerk/personen/nieuw/", [*PERSON, "retention_until", "user"]),
    ("/netwerk/personen/{p}/bewerken/", [*PERSON, "retention_until", "function_title"]),
    ("/netwerk/personen/{p}/verklaring/", ["text", "declared_on"]),
    ("/netwerk/personen/{p}/expertpool/", ["disciplines", "availability_confirmed_on"]),
    ("/netwerk/personen/{p}/kaartenbak/", ["disciplines", "availability_confirmed_on", "notes"]),
    ("/netwerk/organisaties/nieuw/", ["name", "abbreviation", "kind", "website"]),
    ("/netwerk/commissie/lidmaatschap/", ["person", "role", "institution", "starts_on"]),
    ("/netwerk/commissie/{ms}/beeindigen/", ["ends_on"]),
    ("/netwerk/disciplines/nieuw/", ["name_nl", "name_en", "description", "position"]),
    ("/netwerk/kaartenbak/nieuw/", ["name", "email", "retention_until", "disciplines"]),
    (
        "/netwerk/praktijkkringen/nieuw/",
        CIRCLE,
    ),
]


@pytest.mark.parametrize(("path", "keys"), PAGES)
def test_page_forms_never_500(env: dict[str, Any], path: str, keys: list[str]) -> None:
    url = path.format(**env)
    client = Client()
    client.force_login(env["cpo"])
    value = st.sampled_from(TEXT)

    @SETTINGS
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(keys, value)))
    def run(data: dict[str, Any]) -> None:
        response = client.post(url, _refer(data, env))
        assert response.status_code < 500, (data, response.status_code)

    run()


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("/netwerk/personen/", ["role", "discipline", "organisation", "stale", "q"]),
        ("/netwerk/commissie/", ["op"]),
        ("/netwerk/expertpool/", ["discipline"]),
        ("/netwerk/kaartenbak/", ["discipline", "inactief"]),
        ("/netwerk/dekking/", ["gemarkeerd"]),
        ("/api/v1/network/persons/", ["role", "discipline", "organisation", "stale", "q"]),
        ("/api/v1/network/memberships/", ["on"]),
        ("/api/v1/network/coverage/", ["today"]),
        ("/api/v1/network/pool/", ["discipline"]),
        ("/api/v1/network/circles/", ["all"]),
    ],
)
def test_query_parameters_never_500(env: dict[str, Any], path: str, keys: list[str]) -> None:
    client = Client()
    client.force_login(env["cpo"])

    @SETTINGS
    @given(params=st.fixed_dictionaries({}, optional=dict.fromkeys(keys, st.sampled_from(TEXT))))
    def run(params: dict[str, str]) -> None:
        response = client.get(path, params)
        assert response.status_code < 500, (params, response.status_code)

    run()
