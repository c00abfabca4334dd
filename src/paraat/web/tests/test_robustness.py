"""No request ends in a 500 for bad input: fuzz the query strings of every public page and API."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.measures.tests.factories import (
    JurisdictionFactory,
    MeasureFactory,
    PackageFactory,
    PackageItemFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/maatregelen/",
    "/maatregelen/m-fuzz/",
    "/pakketten/",
    "/pakketten/p-fuzz/",
    "/tijdlijn/",
    "/tijdlijn/csv/",
    "/jurisdicties/",
    "/api/v1/measures/",
    "/api/v1/packages/",
    "/api/v1/packages/p-fuzz/indices/",
    "/api/v1/jurisdictions/",
    "/api/v1/timeline/netherlands/",
    "/maatschappelijk-beeld/",
    "/maatschappelijk-beeld/csv/",
    "/maatschappelijk-beeld/signalen/",
    "/maatschappelijk-beeld/methode/",
    "/maatschappelijk-beeld/indicatoren/i-fuzz/",
    "/maatschappelijk-beeld/index/c-fuzz/",
    "/api/v1/indicators/",
    "/api/v1/indicators/i-fuzz/observations/",
    "/api/v1/signals/",
    "/api/v1/composite-indices/",
]
PARAMS = [
    "q",
    "day",
    "category",
    "indicator",
    "group",
    "sector",
    "kind",
    "vaccinated",
    "vaccinated_percent",
    "index",
    "source",
    "format",
    "page",
    "peildatum",
    "as_of",
    "breakdown",
    "severity",
]


@pytest.fixture
def catalog() -> None:
    nl = JurisdictionFactory()
    package = PackageFactory(key="p-fuzz", jurisdiction=nl, vaccination_differentiation=True)
    PackageItemFactory(package=package, measure=MeasureFactory(key="m-fuzz"))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    page=st.sampled_from(PAGES),
    params=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=30), max_size=4),
)
def test_public_pages_never_fail_on_odd_query_strings(client, catalog, page, params) -> None:
    response = client.get(f"{page}?{urlencode(params)}")
    assert response.status_code < 500, (page, params)


@pytest.mark.parametrize(
    "path",
    [
        "/maatregelen/%00/",
        "/pakketten/../../etc/passwd/",
        "/jurisdicties/0/",
        "/taken/not-a-uuid/",
        "/api/v1/jobs/x/",
    ],
)
def test_odd_paths_are_not_server_errors(client, path) -> None:
    assert client.get(path).status_code < 500
