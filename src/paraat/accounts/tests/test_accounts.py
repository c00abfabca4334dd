from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token

from paraat.accounts import roles
from paraat.accounts.services import roles_sync, user_create
from paraat.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles() -> None:
    roles_sync()


def test_roles_sync_creates_every_role_with_its_permissions() -> None:
    names = set(Group.objects.values_list("name", flat=True))
    assert {r.key for r in roles.ROLES} <= names
    admin = Group.objects.get(name=roles.ADMIN)
    assert admin.permissions.filter(codename="view_audit").exists()
    analyst = Group.objects.get(name=roles.ANALYST)
    assert not analyst.permissions.filter(codename="change_measure").exists()
    assert analyst.permissions.filter(codename="view_measure").exists()
    # Idempotent: a second run changes nothing.
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    roles_sync()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after


def test_user_create_rejects_unknown_role() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        user_create(username="x", roles=["koning"])


def test_login_and_logout(client) -> None:
    UserFactory(username="anna", roles=[roles.ANALYST])
    response = client.post(
        reverse("accounts:login"), {"username": "anna", "password": "een-lang-testwachtwoord"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302  # back to login


def test_pages_require_login_except_public_ones(client) -> None:
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    for public in ("web:home", "web:accessibility", "measures:timeline", "measures:measure_list"):
        assert client.get(reverse(public)).status_code == 200, public


def test_login_throttling_locks_out_after_repeated_failures(client, settings) -> None:
    UserFactory(username="bert")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "bert", "password": "fout"})
    response = client.post(
        reverse("accounts:login"), {"username": "bert", "password": "een-lang-testwachtwoord"}
    )
    assert response.status_code == 429
    assert "geblokkeerd" in response.content.decode()


def test_password_reset_flow(client) -> None:
    UserFactory(username="carla", email="carla@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "carla@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url,
        {"new_password1": "nieuw-en-lang-genoeg-42", "new_password2": "nieuw-en-lang-genoeg-42"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:login"), {"username": "carla", "password": "nieuw-en-lang-genoeg-42"}
    )
    assert response.status_code == 302


def test_api_token_create_use_and_revoke(client) -> None:
    user = UserFactory(username="dirk", roles=[roles.ANALYST])
    client.force_login(user)
    response = client.post(reverse("accounts:token_regenerate"))
    key = Token.objects.get(user=user).key
    assert key in response.content.decode()  # shown once
    api = client.__class__()
    response = api.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    client.post(reverse("accounts:token_revoke"))
    assert api.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_security_headers_and_cookie_flags(client, settings) -> None:
    response = client.get(reverse("web:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_csrf_is_enforced(client) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    UserFactory(username="eva")
    response = strict.post(
        reverse("accounts:login"), {"username": "eva", "password": "een-lang-testwachtwoord"}
    )
    assert response.status_code == 403
