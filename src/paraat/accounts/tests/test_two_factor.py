"""Two-factor authentication: who must give a code, setup, login, throttling, audit (ADR 0021)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from paraat.accounts import roles, services, two_factor
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.accounts.tests.two_factor_helpers import current_code, device_setup, wrong_code

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-testwachtwoord"
REQUIRED = [roles.ADMIN, roles.CPO, roles.CHAIR, roles.MEMBER, roles.EXPERT_MEMBER]
NOT_REQUIRED = [roles.ANALYST, roles.SZW_OFFICER, roles.EXTERNAL_EXPERT, roles.CIRCLE_LEAD]


@pytest.fixture(autouse=True)
def _two_factor_on(settings) -> None:
    roles_sync()
    settings.PARAAT_REQUIRE_2FA = True


def _login(client, username: str, next_url: str = ""):
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": PASSWORD})


def _verify(client, code: str):
    return client.post(reverse("accounts:two_factor_verify"), {"code": code})


@pytest.mark.parametrize("role", REQUIRED)
def test_required_role_without_device_can_only_set_up(client, role) -> None:
    UserFactory(username="gebruiker", roles=[role])
    response = _login(client, "gebruiker")
    assert response.status_code == 302
    setup = reverse("accounts:two_factor_setup")
    for page in (reverse("accounts:profile"), reverse("web:home"), reverse("measures:timeline")):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(setup), page
    # Also a POST elsewhere, e.g. making an API token.
    response = client.post(reverse("accounts:token_regenerate"))
    assert response["Location"].startswith(setup)
    assert not Token.objects.exists()
    response = client.get(setup)
    assert response.status_code == 200
    body = response.content.decode()
    assert "verplicht" in body and 'src="data:image/svg+xml;base64,' in body
    assert 'id="otp-secret"' in body
    # Logging out stays possible.
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.parametrize("role", NOT_REQUIRED)
def test_roles_without_the_requirement_pass(client, role) -> None:
    UserFactory(username="gebruiker", roles=[role])
    assert _login(client, "gebruiker").status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_master_switch_off_lets_required_roles_pass(client, settings) -> None:
    settings.PARAAT_REQUIRE_2FA = False
    UserFactory(username="beheer", roles=[roles.ADMIN])
    _login(client, "beheer")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_required_roles_are_a_setting(client, settings) -> None:
    settings.PARAAT_2FA_REQUIRED_ROLES = [roles.ANALYST]
    UserFactory(username="analist", roles=[roles.ANALYST])
    UserFactory(username="beheer", roles=[roles.ADMIN])
    _login(client, "analist")
    assert client.get(reverse("accounts:profile")).status_code == 302
    client.post(reverse("accounts:logout"))
    _login(client, "beheer")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_setup_confirms_with_a_first_code_and_shows_backup_codes_once(client) -> None:
    user = UserFactory(username="cpo", roles=[roles.CPO])
    _login(client, "cpo")
    setup = reverse("accounts:two_factor_setup")
    body = client.get(setup).content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = two_factor.secret_for_display(device)
    assert secret in body
    # Reloading shows the same key (the unfinished device is reused).
    assert secret in client.get(setup).content.decode()
    # A wrong first code does not confirm the device.
    response = client.post(setup, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()
    response = client.post(setup, {"code": current_code(device)})
    assert response.status_code == 200
    body = response.content.decode()
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in body for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    # The session counts as verified: the rest of paraat opens.
    assert client.get(reverse("accounts:profile")).status_code == 200
    # From now on the page manages the device and shows neither key nor codes.
    body = client.get(setup).content.decode()
    assert "Nieuwe back-upcodes" in body
    assert secret not in body and device.key not in body
    assert not any(code in body for code in codes)


def test_login_with_a_device_asks_for_the_code_before_logging_in(client) -> None:
    user = UserFactory(username="anna", roles=[roles.ANALYST])  # not required, but has a device
    device, _codes = device_setup(user)
    response = _login(client, "anna", next_url=reverse("accounts:profile"))
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert "_auth_user_id" not in client.session  # not logged in yet
    assert client.get(reverse("accounts:profile")).status_code == 302
    page = client.get(reverse("accounts:two_factor_verify"))
    assert page.status_code == 200 and "authenticator-app" in page.content.decode()
    response = _verify(client, current_code(device))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("accounts:profile")).status_code == 200
    user.refresh_from_db()
    assert user.last_login is not None


def test_code_page_without_a_password_step_goes_to_login(client) -> None:
    response = client.get(reverse("accounts:two_factor_verify"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_session_logged_in_otherwise_must_still_give_the_code(client) -> None:
    user = UserFactory(username="voorzitter", roles=[roles.CHAIR])
    device, _codes = device_setup(user)
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    # The setup page does not let an unverified session add a second app.
    setup = client.get(reverse("accounts:two_factor_setup"))
    assert setup["Location"] == reverse("accounts:two_factor_verify")
    response = _verify(client, current_code(device))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_codes_count_as_failed_logins_and_lock_out(client, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # isolate django-axes from django-otp's own throttle
    user = UserFactory(username="bert", roles=[roles.MEMBER])
    device, _codes = device_setup(user)
    _login(client, "bert")
    statuses = [
        _verify(client, wrong_code(device)).status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # Locked: the right code is refused too, and so is the password step.
    response = _verify(client, current_code(device))
    assert response.status_code == 429
    assert "geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(client, "bert").status_code == 429


def test_password_and_code_failures_add_up(client, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(username="carla", roles=[roles.ADMIN])
    device, _codes = device_setup(user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("accounts:login"), {"username": "carla", "password": "fout"})
    # The right password does not reset the count: only a full login does.
    assert _login(client, "carla").status_code == 302
    assert _verify(client, wrong_code(device)).status_code == 429


def test_django_otp_throttles_the_device_after_a_wrong_code(client) -> None:
    user = UserFactory(username="dirk", roles=[roles.EXPERT_MEMBER])
    device, _codes = device_setup(user)
    _login(client, "dirk")
    _verify(client, wrong_code(device))
    _verify(client, wrong_code(device))
    # Even the right code is refused while the device waits (2 s after two failures).
    response = _verify(client, current_code(device))
    assert response.status_code == 200
    assert "probeer het over" in response.content.decode()
    assert "_auth_user_id" not in client.session
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=5)
    )
    assert _verify(client, current_code(device)).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_backup_code_works_once(client) -> None:
    user = UserFactory(username="eva", roles=[roles.ADMIN])
    _device, codes = device_setup(user)
    _login(client, "eva")
    response = _verify(client, codes[0].upper())  # letter case and spaces do not matter
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("nog 9" in m for m in messages)
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("accounts:logout"))
    _login(client, "eva")
    response = _verify(client, codes[0])
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert _verify(client, f"{codes[1][:4]} {codes[1][4:]}").status_code == 302


def test_api_refuses_an_unverified_session_with_a_message(client) -> None:
    user = UserFactory(username="beheer", roles=[roles.ADMIN])
    _login(client, "beheer")  # no device yet: must set one up
    response = client.get("/api/v1/jobs/")
    assert response.status_code == 403
    assert "Tweestapsverificatie" in response.json()["detail"]
    # A user with a device, logged in without giving the code.
    device, _codes = device_setup(user)
    client.force_login(user)
    assert client.get("/api/v1/jobs/").status_code == 403
    _verify(client, current_code(device))
    assert client.get("/api/v1/jobs/").status_code == 200
    # Token authentication is left as it is.
    token = services.api_token_regenerate(user=user)
    other = client.__class__()
    response = other.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_token_is_made_only_by_a_verified_user(client) -> None:
    user = UserFactory(username="frank", roles=[roles.CPO])
    device, _codes = device_setup(user)
    client.force_login(user)
    response = client.post(reverse("accounts:token_regenerate"))
    assert response.status_code == 302
    assert not Token.objects.filter(user=user).exists()
    _verify(client, current_code(device))
    response = client.post(reverse("accounts:token_regenerate"))
    assert response.status_code == 200
    assert Token.objects.filter(user=user).exists()


def test_regenerate_and_remove_need_a_current_code(client) -> None:
    user = UserFactory(username="gert", roles=[roles.ANALYST])
    device, codes = device_setup(user)
    _login(client, "gert")
    _verify(client, current_code(device))
    url = reverse("accounts:two_factor_backup_codes")
    response = client.post(url, {"codes-code": wrong_code(device)})
    assert response.status_code == 200 and "klopt niet" in response.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(url, {"codes-code": current_code(device)})
    new_codes = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new_codes) == 10 and not new_codes & set(codes)
    assert all(code in response.content.decode() for code in new_codes)
    remove = reverse("accounts:two_factor_remove")
    response = client.post(remove, {"remove-code": wrong_code(device)})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=user).exists()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(remove, {"remove-code": current_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    # Not required for an analyst: paraat opens without a code now.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_removing_the_device_of_a_required_role_sends_back_to_setup(client) -> None:
    user = UserFactory(username="hans", roles=[roles.ADMIN])
    device, _codes = device_setup(user)
    _login(client, "hans")
    _verify(client, current_code(device))
    client.post(reverse("accounts:two_factor_remove"), {"remove-code": current_code(device)})
    response = client.get(reverse("accounts:profile"))
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_no_secrets_in_the_audit_log_or_pages_after_setup(client) -> None:
    user = UserFactory(username="ilse", roles=[roles.ADMIN])
    _login(client, "ilse")
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    secret = two_factor.secret_for_display(device).replace(" ", "")
    client.post(reverse("accounts:two_factor_setup"), {"code": current_code(device)})
    codes = list(StaticToken.objects.values_list("token", flat=True))
    client.post(reverse("accounts:two_factor_backup_codes"), {"codes-code": current_code(device)})
    codes += list(StaticToken.objects.values_list("token", flat=True))
    client.post(reverse("accounts:logout"))
    _login(client, "ilse")
    _verify(client, codes[-1])
    client.post(reverse("accounts:two_factor_remove"), {"remove-code": current_code(device)})
    services.otp_devices_reset(user=user, actor=user)

    otp_types = ContentType.objects.filter(app_label__in=["otp_totp", "otp_static"])
    assert not LogEntry.objects.filter(content_type__in=otp_types).exists()
    dumped = json.dumps(
        [
            [e.changes, e.object_repr, e.serialized_data, e.additional_data]
            for e in LogEntry.objects.all()
        ]
    )
    for value in [device.key, secret, secret.lower(), *codes]:
        assert value not in dumped
    events = [
        e.changes["tweestapsverificatie"][1]
        for e in LogEntry.objects.filter(object_pk=str(user.pk)).order_by("pk")
        if e.changes and "tweestapsverificatie" in e.changes
    ]
    assert events == [
        "authenticator-app ingesteld",
        "back-upcodes vernieuwd",
        "back-upcode gebruikt",
        "tweestapsverificatie verwijderd",
    ]
    entry = LogEntry.objects.filter(object_pk=str(user.pk)).order_by("pk").last()
    assert entry.actor == user
    # The audit trail page shows the events, without secrets.
    admin = UserFactory(username="auditor", roles=[roles.ADMIN])
    client.force_login(admin)
    services.otp_devices_reset(user=admin, actor=admin)  # nothing to reset: no entry
    from django.test import override_settings

    with override_settings(PARAAT_REQUIRE_2FA=False):
        body = client.get(reverse("audit:list")).content.decode()
    assert "authenticator-app ingesteld" in body
    for value in [device.key, secret, *codes]:
        assert value not in body


def test_expired_pending_login_starts_again(client) -> None:
    user = UserFactory(username="joost", roles=[roles.ANALYST])
    device, _codes = device_setup(user)
    _login(client, "joost")
    session = client.session
    session[two_factor.PENDING_SESSION_KEY]["since"] -= two_factor.PENDING_MAX_AGE + 1
    session.save()
    response = _verify(client, current_code(device))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_demo_notice_in_the_header_when_enforcement_is_off(client, settings) -> None:
    notice = "Tweestapsverificatie staat uit (demo)"
    assert notice not in client.get(reverse("web:home")).content.decode()
    settings.PARAAT_REQUIRE_2FA = False
    assert notice in client.get(reverse("web:home")).content.decode()


def test_profile_links_to_two_factor_setup(client) -> None:
    user = UserFactory(username="kees", roles=[roles.ANALYST])
    client.force_login(user)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:two_factor_setup") in body
