"""Login with a government account (OpenID Connect), the whole callback flow without network.

The identity provider's token, userinfo and key (JWKS) endpoints are replaced by mocks of
``requests`` in mozilla-django-oidc; the ID token is a real RS256-signed JWT.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from unittest import mock
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from mozilla_django_oidc import auth as oidc_auth

from paraat.accounts import roles, two_factor
from paraat.accounts.models import User
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://sso.rijk.example/realms/rijk"
CLIENT_ID = "paraat"
BACKEND = "paraat.accounts.oidc.ParaatOIDCBackend"
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_JWK = {**jwt.algorithms.RSAAlgorithm.to_jwk(_KEY.public_key(), as_dict=True), "kid": "k1"}
_JWK["alg"] = "RS256"


@pytest.fixture
def oidc(settings):
    roles_sync()
    settings.PARAAT_REQUIRE_2FA = True
    settings.PARAAT_OIDC_ENABLED = True
    settings.PARAAT_OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "geheim-voor-de-test"
    base = f"{ISSUER}/protocol/openid-connect"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/certs"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    return settings


def _response(data: dict, status: int = 200) -> mock.Mock:
    response = mock.Mock(status_code=status, headers={"content-type": "application/json"})
    response.json.return_value = data
    response.raise_for_status.return_value = None
    return response


def _id_token(**overrides) -> str:
    claims = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "abc-123",
        "iat": int(time.time()),
        "exp": int(time.time()) + 300,
        **overrides,
    }
    return jwt.encode(claims, _KEY, algorithm="RS256", headers={"kid": "k1"})


@contextmanager
def _provider(settings, userinfo: dict, *, token_status: int = 200, **token_claims):
    """Mocks the provider's endpoints; the ID token carries the nonce of the login started."""
    state: dict = {}

    def post(url, data=None, **kwargs):
        assert url == settings.OIDC_OP_TOKEN_ENDPOINT
        assert data["code"] == "de-code" and data["client_secret"] == "geheim-voor-de-test"
        assert data.get("code_verifier")  # PKCE
        if token_status != 200:
            raise requests.HTTPError("token endpoint down")
        claims = {"nonce": state["nonce"], **token_claims}
        return _response({"id_token": _id_token(**claims), "access_token": "at"})

    def get(url, **kwargs):
        if url == settings.OIDC_OP_JWKS_ENDPOINT:
            return _response({"keys": [_JWK]})
        assert url == settings.OIDC_OP_USER_ENDPOINT
        assert kwargs["headers"]["Authorization"] == "Bearer at"
        return _response(userinfo)

    with (
        mock.patch.object(oidc_auth.requests, "post", side_effect=post) as post_mock,
        mock.patch.object(oidc_auth.requests, "get", side_effect=get),
    ):
        yield state, post_mock


def _start(client, next_url: str = "") -> dict:
    url = reverse("accounts:oidc_start") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}".endswith("/auth")
    params = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert params["client_id"] == CLIENT_ID and params["code_challenge_method"] == "S256"
    return params


def _sso_login(client, settings, userinfo: dict, next_url: str = "", **token_claims):
    params = _start(client, next_url)
    with _provider(settings, userinfo, **token_claims) as (state, _post):
        state["nonce"] = params["nonce"]
        return client.get(
            reverse("accounts:oidc_callback"), {"code": "de-code", "state": params["state"]}
        )


def test_disabled_when_not_configured(client, settings) -> None:
    assert settings.PARAAT_OIDC_ENABLED is False
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404
    assert "Rijksoverheid-account" not in client.get(reverse("accounts:login")).content.decode()


def test_login_page_offers_sso_when_enabled(client, oidc) -> None:
    body = client.get(reverse("accounts:login")).content.decode()
    assert "Inloggen met Rijksoverheid-account (SSO)" in body
    assert reverse("accounts:oidc_start") in body


def test_callback_creates_an_account_without_roles(client, oidc) -> None:
    response = _sso_login(
        client,
        oidc,
        {
            "email": "Nieuwe.Collega@minszw.example",
            "given_name": "Nieuwe",
            "family_name": "Collega",
            "preferred_username": "ncollega",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    user = User.objects.get(email__iexact="nieuwe.collega@minszw.example")
    assert user.username == "ncollega"
    assert (user.first_name, user.last_name) == ("Nieuwe", "Collega")
    assert not user.groups.exists()
    assert not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[two_factor.SSO_SESSION_KEY] is True
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_callback_matches_an_existing_account_by_email(client, oidc) -> None:
    user = UserFactory(username="beheer", email="Beheer@Rijk.example", roles=[roles.ADMIN])
    response = _sso_login(
        client, oidc, {"email": "beheer@rijk.example"}, next_url="/accounts/profiel/"
    )
    assert response["Location"] == "/accounts/profiel/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert User.objects.count() == 1
    # The identity provider did the second factor: no setup or code asked.
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get("/api/v1/jobs/").status_code == 200


def test_sso_not_trusted_for_mfa_still_needs_paraats_second_step(client, oidc) -> None:
    oidc.PARAAT_OIDC_TRUST_MFA = False
    UserFactory(username="cpo", email="cpo@rijk.example", roles=[roles.CPO])
    _sso_login(client, oidc, {"email": "cpo@rijk.example"})
    response = client.get(reverse("accounts:profile"))
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_state_mismatch_is_refused(client, oidc) -> None:
    params = _start(client)
    with _provider(oidc, {"email": "x@rijk.example"}) as (state, post):
        state["nonce"] = params["nonce"]
        response = client.get(
            reverse("accounts:oidc_callback"), {"code": "de-code", "state": "verzonnen"}
        )
    assert response.status_code == 400
    assert not post.called
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_callback_without_a_started_login_is_refused(client, oidc) -> None:
    response = client.get(reverse("accounts:oidc_callback"), {"code": "de-code", "state": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_token_for_another_client_or_nonce_is_refused(client, oidc) -> None:
    response = _sso_login(client, oidc, {"email": "a@rijk.example"}, aud="ander-systeem")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    response = _sso_login(client, oidc, {"email": "a@rijk.example"}, nonce="oud")
    assert response.status_code == 400
    response = _sso_login(client, oidc, {"email": "a@rijk.example"}, iss="https://ander.example")
    assert response.status_code == 400
    assert not User.objects.exists()


def test_inactive_or_unverified_accounts_are_refused(client, oidc) -> None:
    UserFactory(username="weg", email="weg@rijk.example", is_active=False)
    response = _sso_login(client, oidc, {"email": "weg@rijk.example"})
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    response = _sso_login(client, oidc, {"email": "nieuw@rijk.example", "email_verified": False})
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.count() == 1


def test_provider_unreachable_gives_a_message_not_an_error(client, oidc) -> None:
    params = _start(client)
    with _provider(oidc, {}, token_status=500) as (state, _post):
        state["nonce"] = params["nonce"]
        response = client.get(
            reverse("accounts:oidc_callback"), {"code": "de-code", "state": params["state"]}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    page = client.get(reverse("accounts:login")).content.decode()
    assert "niet gelukt" in page
