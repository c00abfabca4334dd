"""A path under /api/ that names no endpoint is a JSON 404 like every other API error."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/measures/a.b/"),  # a key the route's pattern refuses
        ("get", "/api/v1/advice/requests/x%0Ay/assignments/2/done/"),  # a newline in a key
        ("post", "/api/v1/no-such-thing/"),  # no CSRF token needed to be told so
        ("delete", "/api/nope/"),
    ],
)
def test_unknown_api_path_is_a_json_404(method: str, path: str) -> None:
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


@pytest.mark.django_db
def test_a_path_without_slash_is_still_redirected() -> None:
    response = Client().get("/api/v1/measures")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/measures/")


@pytest.mark.django_db
def test_the_site_keeps_its_html_404() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code in (302, 404)
    assert not response["Content-Type"].startswith("application/json")
