from __future__ import annotations

import pytest
from django.test import Client

from paraat.ops import health


@pytest.mark.django_db
def test_liveness_is_public_and_cache_free(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_reports_each_check_without_details(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "storage", "tasks", "cache"}
    assert all(value.startswith("ok") for value in body["checks"].values())
    assert body["checks"]["cache"] == "ok: per process"


@pytest.mark.django_db
def test_an_unreachable_shared_cache_is_reported_but_ready(client: Client, settings) -> None:
    from django.core.cache import caches

    # nothing listens on port 9 (discard): the Redis client fails at once
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    try:
        response = client.get("/readyz")
    finally:
        caches["default"].close()
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok: unreachable"


@pytest.mark.django_db
def test_readiness_fails_with_503_when_a_check_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        health, "check_migrations", lambda: health.Check("migrations", False, "3 not applied")
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failing: 3 not applied"


@pytest.mark.django_db
def test_readiness_stops_at_an_unreachable_database(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "check_database", lambda: health.Check("database", False, "x"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert list(response.json()["checks"]) == ["database"]


@pytest.mark.django_db
def test_probes_refuse_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_security_txt_follows_rfc_9116(client: Client, settings) -> None:
    settings.PARAAT_SECURITY_CONTACT = "mailto:security@example.org"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@example.org"
    assert fields["Expires"].endswith("Z")
    assert fields["Canonical"].endswith("/.well-known/security.txt")
    assert "nl" in fields["Preferred-Languages"]


@pytest.mark.django_db
def test_a_foreign_host_header_is_a_clean_400(client: Client) -> None:
    """Scanners send any Host: refused before authentication, the error page must still render."""
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_probes_are_exempt_from_the_https_redirect(client: Client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\ninjected")
    assert forged["X-Request-ID"] != "x\ninjected"
