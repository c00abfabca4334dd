"""The generic answers ``api.schema.ErrorAutoSchema`` documents, in the committed document and
in what the API really answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from paraat.accounts.tests.factories import UserFactory

DOCUMENT = Path(__file__).resolve().parents[4] / "docs" / "openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete")


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    paths = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))["paths"]
    return [
        (method.upper(), path, operation)
        for path, item in paths.items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_operation_documents_the_generic_answers() -> None:
    operations = _operations()
    assert len(operations) > 150
    missing = []
    for method, path, operation in operations:
        codes = set(operation["responses"])
        wanted = {"403", "429"}
        if "requestBody" in operation:
            wanted |= {"400", "413", "415"}
        if {} not in operation.get("security", []):
            wanted.add("401")
        if "{" in path:
            wanted.add("404")
        if not wanted <= codes:
            missing.append(f"{method} {path}: {sorted(wanted - codes)}")
    assert not missing, "\n".join(missing)


def _operation(method: str, path: str) -> dict[str, Any]:
    return next(op for m, p, op in _operations() if (m, p) == (method, path))


@pytest.mark.django_db
def test_unsupported_media_type_is_the_documented_415() -> None:
    user = UserFactory(is_superuser=True)  # allowed to write: what decides is the media type
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.post("/api/v1/measures/", data="naam: x", content_type="application/x-yaml")
    assert response.status_code == 415
    assert set(response.json()) == {"detail"}
    documented = _operation("POST", "/api/v1/measures/")["responses"]["415"]
    assert documented["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiErrorDetail"
    }


@pytest.mark.django_db
def test_anonymous_write_is_the_documented_401_and_reads_are_documented_open() -> None:
    anonymous = APIClient()
    response = anonymous.post("/api/v1/measures/", {"title": "x"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "401" in _operation("POST", "/api/v1/measures/")["responses"]
    # Reads of a ModelPermissionsOrReadOnly view are open: the document says so ({}).
    assert anonymous.get("/api/v1/measures/").status_code == 200
    assert {} in _operation("GET", "/api/v1/measures/")["security"]
    # A view that needs a login is not documented as open.
    assert anonymous.get("/api/v1/jobs/").status_code == 401
    assert {} not in _operation("GET", "/api/v1/jobs/")["security"]


@pytest.mark.django_db
def test_a_body_over_the_limit_is_the_documented_413(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))
    response = client.post("/api/v1/measures/", {"title": "x" * 2048}, format="json")
    assert response.status_code == 413
    assert set(response.json()) == {"detail", "code"}
    documented = _operation("POST", "/api/v1/measures/")["responses"]["413"]
    assert documented["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiRequestTooLarge"
    }
