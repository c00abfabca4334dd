"""Two-factor authentication in a real headless Chromium: set up an app, log in with a code."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from paraat.accounts import roles, two_factor
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.accounts.tests.two_factor_helpers import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_user(settings):
    settings.PARAAT_REQUIRE_2FA = True
    roles_sync()
    return UserFactory(username="beheer", roles=[roles.ADMIN])


def _log_in_with_password(page, live_server) -> None:
    page.goto("/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("beheer")
    page.get_by_label("Wachtwoord").fill("een-lang-testwachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")


def test_set_up_totp_then_log_in_with_a_code(chromium_browser, live_server, admin_user) -> None:
    context = chromium_browser.new_context(locale="nl-NL", base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # A beheerder without an app is sent to the setup page and cannot go elsewhere.
    _log_in_with_password(page, live_server)
    assert "/accounts/tweestapsverificatie/" in page.url
    page.goto("/accounts/profiel/")
    assert "/accounts/tweestapsverificatie/" in unquote(page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Tweestapsverificatie instellen"

    # The QR code is an image with a text alternative, shown under the strict CSP.
    qr = page.get_by_role("img", name=re.compile("QR-code"))
    assert qr.is_visible()
    assert page.evaluate("() => document.querySelector('.paraat-qr img').naturalWidth") > 0
    # The key is readable as text and matches the device.
    secret_text = page.locator("#otp-secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=admin_user)
    assert secret_text == two_factor.secret_for_display(device).replace(" ", "")

    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "Uw back-upcodes"
    codes = page.locator(".paraat-backup-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    page.wait_for_load_state("load")
    assert "tweestapsverificatie" not in page.url

    # Log out and in again: after the password, paraat asks for the code.
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state("load")
    _log_in_with_password(page, live_server)
    assert page.url.endswith("/accounts/inloggen/code/")
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/accounts/profiel/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn profiel"
    assert secret_text not in page.content()

    # And once with a backup code.
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state("load")
    _log_in_with_password(page, live_server)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "nog 9" in page.content()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
