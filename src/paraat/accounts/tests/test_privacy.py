"""Privacy of accounts: "Mijn gegevens", its export, erasure on request and the retention run."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from paraat.accounts import roles, selectors, services
from paraat.accounts.admin import UserAdmin
from paraat.accounts.models import AccessGrant, AccountErasure, User
from paraat.accounts.tests.factories import UserFactory
from paraat.accounts.tests.two_factor_helpers import device_setup

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-testwachtwoord"
SECRET_EMAIL = "jan.fictief@example.org"


@pytest.fixture(autouse=True)
def _roles(settings) -> None:
    services.roles_sync()
    settings.PARAAT_REQUIRE_2FA = False


def _client(user: User) -> Client:
    """Logged in, and past the second step when the account has an authenticator app."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def subject() -> User:
    """An account with something in every category: 2FA app and backup codes, an API token,
    a session, logins, audit entries, an access grant, a record elsewhere."""
    user = UserFactory(
        username="jan",
        email=SECRET_EMAIL,
        first_name="Jan",
        last_name="Fictief",
        organisation="Gemeente (fictief)",
        roles=[roles.ANALYST],
    )
    device_setup(user)
    services.api_token_regenerate(user=user)
    AccessLog.objects.create(
        username="jan",
        ip_address="192.0.2.7",
        user_agent="Testbrowser/1.0",
        http_accept="text/html",
        path_info="/accounts/inloggen/",
    )
    AccessAttempt.objects.create(
        username="jan",
        ip_address="192.0.2.7",
        user_agent="Testbrowser/1.0",
        http_accept="text/html",
        path_info="/accounts/inloggen/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    granter = UserFactory(username="cpo-verlener", roles=[roles.CPO])
    AccessGrant.objects.create(
        content_type_id=_user_type_id(),
        object_id=str(granter.pk),
        grantee_user=user,
        granted_by=granter,
        reason="test",
    )
    # An audit entry made by the account: changing another account's organisation.
    other = UserFactory(username="ander")
    from auditlog.context import set_actor

    with set_actor(user):
        other.organisation = "Elders (fictief)"
        other.save()
    return user


def _user_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(User).pk


def _secrets(user: User) -> list[str]:
    """Every secret paraat holds for the account: none may appear in the overview or export."""
    secrets = [user.password]
    secrets += [d.key for d in TOTPDevice.objects.filter(user=user)]
    secrets += list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    secrets += list(Token.objects.filter(user=user).values_list("key", flat=True))
    secrets += [
        s.session_key
        for s in Session.objects.all()
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    return [s for s in secrets if s]


# --- the overview and the export ---------------------------------------------------------------


def test_account_data_has_every_category_and_no_secret(subject: User) -> None:
    client = _client(subject)  # a session of the account
    data = selectors.account_data(user=subject).as_data()
    assert data["format"] == "paraat-account-export/1"
    assert data["account"]["email"] == SECRET_EMAIL
    assert data["account"]["organisation"] == "Gemeente (fictief)"
    assert [r["key"] for r in data["roles"]] == [roles.ANALYST]
    assert {d["type"] for d in data["two_factor_devices"]} == {
        "Authenticator-app (TOTP)",
        "Back-upcodes",
    }
    assert set(data["two_factor_devices"][0]) == {
        "type",
        "name",
        "confirmed",
        "created_at",
        "last_used_at",
    }
    assert set(data["api_token"]) == {"created"}
    assert len(data["sessions"]) == 1
    assert "192.0.2.7" in {login["ip_address"] for login in data["logins"]}
    assert data["audit"]["entries_made"] >= 1
    assert data["audit"]["recent"][0]["kind"] == "gebruiker"
    assert "object_repr" not in data["audit"]["recent"][0]
    assert data["access_grants"][0]["kind"] == "gebruiker"
    assert {"access_grants", "records", "sessions", "logins"} <= set(data)
    dumped = json.dumps(data)
    secrets = _secrets(subject)
    assert len(secrets) >= 13  # password, app key, ten backup codes, token, session
    for secret in secrets:
        assert secret not in dumped
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_account_references_count_records_elsewhere(subject: User) -> None:
    from paraat.network.tests.factories import PersonFactory

    PersonFactory(user=subject)
    records = selectors.account_references(user=subject)
    assert {"app": "Netwerk", "kind": "personen", "model": "network.person", "number": 1} in [
        {k: str(v) for k, v in r.items()} | {"number": r["number"]} for r in records
    ]
    # Shown on their own, not counted twice.
    assert not {r["model"] for r in records} & {"auditlog.logentry", "accounts.accessgrant"}


def test_my_data_page_shows_only_the_own_account(subject: User) -> None:
    other = UserFactory(username="piet", email="piet.fictief@example.org")
    page = _client(other).get(reverse("accounts:my_data"), {"pk": subject.pk, "user": "jan"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "piet.fictief@example.org" in body and SECRET_EMAIL not in body
    assert 'href="/accounts/mijn-gegevens/download/"' in body
    for secret in _secrets(subject) + _secrets(other):
        assert secret not in body
    # Another account's pages are the beheerder's only: 403, not the data.
    for name in ("accounts:user_data", "accounts:user_data_export"):
        response = _client(other).get(reverse(name, args=[subject.pk]))
        assert response.status_code == 403
        assert SECRET_EMAIL not in response.content.decode()
    assert Client().get(reverse("accounts:my_data")).status_code == 302  # to the login page


def test_my_data_export_is_a_download_and_is_audited(subject: User) -> None:
    response = _client(subject).get(reverse("accounts:my_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="paraat-account-{subject.pk}.json"'
    )
    assert "jan" not in response["Content-Disposition"].lower().replace("json", "")
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    data = json.loads(response.content)
    assert data["account_ref"] == subject.pk and data["account"]["username"] == "jan"
    for secret in _secrets(subject):
        assert secret not in response.content.decode()
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=subject).get()
    assert entry.object_pk == str(subject.pk)
    assert entry.object_repr == f"#{subject.pk}"
    assert "Fictief" not in json.dumps(entry.changes)


def test_beheerder_sees_and_exports_another_account(subject: User) -> None:
    admin = UserFactory(username="beheer-test", roles=[roles.ADMIN])
    client = _client(admin)
    page = client.get(reverse("accounts:user_data", args=[subject.pk]))
    assert page.status_code == 200
    assert SECRET_EMAIL in page.content.decode()
    assert "confirm" in page.content.decode()  # the erase form
    download = client.get(reverse("accounts:user_data_export", args=[subject.pk]))
    assert download["Content-Disposition"].endswith(f'paraat-account-{subject.pk}.json"')
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=admin, object_pk=str(subject.pk)
    ).exists()
    assert client.get(reverse("accounts:user_data", args=[999_999])).status_code == 404


# --- erasure on request ------------------------------------------------------------------------


def test_beheerder_erases_an_account_on_request(subject: User) -> None:
    admin = UserFactory(username="beheer-test", roles=[roles.ADMIN])
    _client(subject)  # a live session of the account
    entries_before = list(LogEntry.objects.filter(actor=subject).values_list("pk", flat=True))
    assert entries_before
    newest_before = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    client = _client(admin)
    url = reverse("accounts:user_data", args=[subject.pk])
    assert client.post(url, {"reason": "request"}).status_code == 400  # not confirmed
    assert User.objects.get(pk=subject.pk).username == "jan"
    response = client.post(url, {"reason": "request", "confirm": "on"})
    assert response.status_code == 302

    erased = User.objects.get(pk=subject.pk)
    assert erased.username == f"verwijderd-{subject.pk}"
    assert (erased.first_name, erased.last_name, erased.email, erased.organisation) == (
        "",
        "",
        "",
        "",
    )
    assert not erased.is_active and not erased.has_usable_password()
    assert erased.deactivated_at is not None
    assert not erased.groups.exists()
    # Nothing left that lets anyone in, and no login history.
    assert not TOTPDevice.objects.filter(user=erased).exists()
    assert not StaticDevice.objects.filter(user=erased).exists()
    assert not StaticToken.objects.filter(device__user_id=subject.pk).exists()
    assert not Token.objects.filter(user=erased).exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(subject.pk)
    ]
    assert not AccessLog.objects.filter(username="jan").exists()
    assert not AccessAttempt.objects.filter(username="jan").exists()
    assert authenticate(RequestFactory().post("/"), username="jan", password=PASSWORD) is None
    login = Client().post(
        reverse("accounts:login"), {"username": erased.username, "password": PASSWORD}
    )
    assert login.status_code == 200  # the form again, not a redirect into the site
    # The audit trail is intact: the same entries, now pointing at the pseudonymised account.
    assert (
        list(
            LogEntry.objects.filter(pk__in=entries_before, actor_id=subject.pk).values_list(
                "pk", flat=True
            )
        )
        == entries_before
    )
    new_entries = LogEntry.objects.filter(pk__gt=newest_before)
    assert new_entries.exists()
    for entry in new_entries:
        text = f"{entry.object_repr} {json.dumps(entry.changes)}"
        for personal in (SECRET_EMAIL, "Fictief", "Gemeente", "jan@"):
            assert personal not in text, text
    record = AccountErasure.objects.get(user_ref=subject.pk)
    assert (record.reason, record.actor) == ("request", admin)
    assert "jan" not in str(record).lower()
    # The page says it is done and offers no second erasure.
    page = client.get(url).content.decode()
    assert "is verwijderd" in page and 'name="confirm"' not in page


def test_account_erase_refusals(subject: User) -> None:
    admin = UserFactory(username="beheer-test", roles=[roles.ADMIN])
    cpo = UserFactory(username="cpo-test", roles=[roles.CPO])
    with pytest.raises(PermissionDenied):
        services.account_erase(user=subject, reason="request", actor=cpo)
    with pytest.raises(ValidationError):
        services.account_erase(user=admin, reason="request", actor=admin)
    root = UserFactory(username="root-test", is_superuser=True)
    with pytest.raises(ValidationError):
        services.account_erase(user=root, reason="request", actor=admin)
    with pytest.raises(ValidationError):
        services.account_erase(user=subject, reason="zomaar", actor=admin)
    services.account_erase(user=subject, reason="request", actor=admin)
    with pytest.raises(ValidationError):
        services.account_erase(user=subject, reason="request", actor=admin)
    # A role without the permission gets a 403 on the POST too.
    response = _client(cpo).post(
        reverse("accounts:user_data", args=[admin.pk]), {"reason": "request", "confirm": "on"}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=admin.pk).is_active


# --- retention ---------------------------------------------------------------------------------


def _idle_world() -> dict[str, User]:
    now = timezone.now()
    old = now - dt.timedelta(days=365 * 3)
    users = {
        "active": UserFactory(username="actief"),
        "idle": UserFactory(username="stil"),
        "never": UserFactory(username="nooit"),
        "gone": UserFactory(username="weg", email="weg@example.org"),
        "by_hand": UserFactory(username="handmatig"),
    }
    User.objects.filter(pk=users["active"].pk).update(last_login=now - dt.timedelta(days=30))
    User.objects.filter(pk=users["idle"].pk).update(last_login=old)
    User.objects.filter(pk=users["never"].pk).update(last_login=None, date_joined=old)
    User.objects.filter(pk=users["gone"].pk).update(
        is_active=False, deactivated_at=now - dt.timedelta(days=30 * 25), last_login=old
    )
    User.objects.filter(pk=users["by_hand"].pk).update(is_active=False, deactivated_at=None)
    return users


def _state() -> list[tuple[object, ...]]:
    return list(
        User.objects.order_by("pk").values_list(
            "pk", "username", "email", "is_active", "deactivated_at"
        )
    )


def test_retention_dry_run_changes_nothing(settings) -> None:
    settings.PARAAT_ACCOUNT_RETENTION_MONTHS = 24
    users = _idle_world()
    before = _state()
    log_before = LogEntry.objects.count()
    out = StringIO()
    call_command("accounts", "retention", "--dry-run", stdout=out)
    assert _state() == before
    assert LogEntry.objects.count() == log_before
    assert not AccountErasure.objects.exists()
    text = out.getvalue()
    assert f"[proef] account #{users['idle'].pk} zou worden gedeactiveerd" in text
    assert f"[proef] account #{users['never'].pk} zou worden gedeactiveerd" in text
    assert f"[proef] account #{users['gone'].pk} zou worden verwijderd" in text
    assert f"#{users['active'].pk} " not in text and f"#{users['by_hand'].pk} " not in text
    assert "stil" not in text and "weg@" not in text  # internal numbers only


def test_retention_deactivates_idle_and_erases_long_deactivated(settings) -> None:
    settings.PARAAT_ACCOUNT_RETENTION_MONTHS = 24
    users = _idle_world()
    out = StringIO()
    call_command("accounts", "retention", stdout=out)
    fresh = {key: User.objects.get(pk=user.pk) for key, user in users.items()}
    assert fresh["active"].is_active and fresh["active"].deactivated_at is None
    for key in ("idle", "never"):
        assert not fresh[key].is_active and fresh[key].deactivated_at is not None
        assert fresh[key].username == users[key].username  # deactivated, not erased yet
    assert fresh["gone"].username == f"verwijderd-{users['gone'].pk}"
    assert fresh["gone"].email == ""
    erasure = AccountErasure.objects.get()
    assert (erasure.user_ref, erasure.reason, erasure.actor) == (
        users["gone"].pk,
        "retention",
        None,
    )
    # Deactivated by hand without a date: the period starts now.
    assert not fresh["by_hand"].is_active and fresh["by_hand"].deactivated_at is not None
    assert fresh["by_hand"].username == "handmatig"
    # The deactivation is in the audit trail, by the system.
    entry = LogEntry.objects.filter(object_pk=str(users["idle"].pk), actor=None).latest("pk")
    assert "is_active" in entry.changes
    assert "1 verwijderd" in out.getvalue() and "2 gedeactiveerd" in out.getvalue()
    # A second run does nothing more.
    assert services.account_retention_run() == []


def test_retention_period_comes_from_the_setting(settings) -> None:
    settings.PARAAT_ACCOUNT_RETENTION_MONTHS = 48
    users = _idle_world()
    outcomes = services.account_retention_run(dry_run=True)
    assert outcomes == []  # three years idle is within 48 months
    assert users["idle"].is_active


# --- admin: the beheerder manages accounts, not their own rights --------------------------------


def test_admin_superuser_flag_is_read_only_for_a_beheerder() -> None:
    from django.contrib import admin as django_admin

    beheer = UserFactory(username="beheer-admin", roles=[roles.ADMIN])
    User.objects.filter(pk=beheer.pk).update(is_staff=True)
    beheer.refresh_from_db()
    request = RequestFactory().get("/beheer/")
    request.user = beheer
    model_admin = UserAdmin(User, django_admin.site)
    assert {"is_superuser", "user_permissions"} <= set(model_admin.get_readonly_fields(request))
    root = UserFactory(username="root-admin", is_superuser=True, is_staff=True)
    request.user = root
    assert "is_superuser" not in model_admin.get_readonly_fields(request)
    # The beheerder opens the admin's user list with the role's permissions only.
    response = _client(beheer).get("/beheer/accounts/user/")
    assert response.status_code == 200


def test_user_create_staff_without_superuser() -> None:
    user = services.user_create(username="staf", roles=[roles.ADMIN], is_staff=True)
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("accounts.erase_user") and user.has_perm("accounts.change_user")
    assert not user.has_perm("advice.view_advicerevision")


def test_beheerder_works_in_the_admin_without_being_a_superuser() -> None:
    """What the beheerder does in the admin (docs/guide): users and their roles, resetting
    two-factor authentication, the login throttling, the default checklist, the taxonomies."""
    beheer = services.user_create(username="beheer-staf", roles=[roles.ADMIN], is_staff=True)
    analyst = UserFactory(username="analist-admin", roles=[roles.ANALYST])
    device_setup(analyst)
    client = _client(beheer)
    for url in (
        "/beheer/",
        "/beheer/accounts/user/",
        f"/beheer/accounts/user/{analyst.pk}/change/",
        "/beheer/accounts/user/add/",
        "/beheer/accounts/accounterasure/",
        "/beheer/axes/accessattempt/",
        "/beheer/axes/accesslog/",
        "/beheer/activation/checklistdefault/",
        "/beheer/taxonomies/domain/",
    ):
        assert client.get(url).status_code == 200, url
    change = client.get(f"/beheer/accounts/user/{analyst.pk}/change/").content.decode()
    assert reverse("accounts:user_data", args=[analyst.pk]) in change
    # The two-factor reset action works with the role's "change user" permission.
    response = client.post(
        "/beheer/accounts/user/",
        {"action": "two_factor_reset", "_selected_action": [analyst.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    # Not superuser things: the groups themselves, other models' admin without permission.
    assert client.get("/beheer/auth/group/").status_code == 403
    assert client.get("/beheer/advice/vote/").status_code == 403
