"""In a real headless Chromium: the CPO adds a candidate to the card index (first forgetting
the name: the error sits on the field), and the beheerder sees on the coverage page that the
candidate's discipline is flagged — in text, not only by colour.  Fictional people only.

Skipped with a reason when Chromium is absent (see the ``chromium_browser`` fixture).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.network.tests.factories import DisciplineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-testwachtwoord"
NAME = "Nina Kandidaat (fictief)"


@pytest.fixture
def cast() -> None:
    roles_sync()
    UserFactory(username="cpo", roles=[roles.CPO])
    UserFactory(username="beheerder", roles=[roles.ADMIN])
    DisciplineFactory(key="behaviour", name_nl="gedrag", position=1)
    DisciplineFactory(key="law", name_nl="recht", position=2)


@pytest.fixture
def contexts(chromium_browser: Any) -> Iterator[list[Any]]:
    opened: list[Any] = []
    yield opened
    for context in opened:
        context.close()


def login(browser: Any, live_server: Any, contexts: list[Any], username: str) -> Any:
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    contexts.append(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def landmarks(page: Any) -> None:
    assert page.locator("h1").count() == 1, page.url
    assert page.locator("main").count() == 1, page.url


def test_cpo_adds_candidate_and_beheerder_sees_the_flag(
    chromium_browser: Any, live_server: Any, cast: None, contexts: list[Any]
) -> None:
    cpo = login(chromium_browser, live_server, contexts, "cpo")
    cpo.goto("/netwerk/")
    landmarks(cpo)
    cpo.get_by_role("link", name="Kaartenbak").first.click()
    cpo.wait_for_url("**/netwerk/kaartenbak/")
    landmarks(cpo)
    cpo.get_by_role("link", name="Nieuwe kandidaat").click()
    cpo.wait_for_url("**/netwerk/kaartenbak/nieuw/")
    landmarks(cpo)

    # Forgetting the name: a 400 with the error on the field and in the summary.
    cpo.get_by_label("gedrag").check()
    with cpo.expect_navigation():
        cpo.get_by_role("button", name="Toevoegen aan de kaartenbak").click()
    landmarks(cpo)
    assert cpo.locator("#field-name .errorlist").is_visible()
    assert cpo.locator(".utrecht-alert--error a[href='#id_name']").count() == 1

    stale = timezone.localdate() - dt.timedelta(days=800)
    cpo.locator("#id_name").fill(NAME)
    cpo.locator("#id_email").fill("nina@example.org")
    cpo.locator("#id_availability_confirmed_on").fill(stale.isoformat())
    cpo.locator("#id_declaration").fill("Lid raad van toezicht (fictief).")
    cpo.locator("#id_is_fictional").check()
    assert cpo.get_by_label("gedrag").is_checked()  # kept from the first attempt
    with cpo.expect_navigation(url="**/netwerk/kaartenbak/"):
        cpo.get_by_role("button", name="Toevoegen aan de kaartenbak").click()
    landmarks(cpo)
    assert "staat in de kaartenbak" in cpo.locator(".paraat-messages").inner_text()
    row = cpo.locator("#candidate-table tbody tr", has_text=NAME)
    assert "verouderd" in row.inner_text()
    assert "Lid raad van toezicht (fictief)." in row.inner_text()

    admin = login(chromium_browser, live_server, contexts, "beheerder")
    admin.goto("/netwerk/dekking/")
    landmarks(admin)
    behaviour = admin.locator("#coverage-disciplines tbody tr", has_text="gedrag")
    text = " ".join(behaviour.inner_text().split())
    assert "gemarkeerd" in text
    assert "te weinig actuele contacten: 0, minimaal 2" in text
    assert "1 contact(en) niet bevestigd in de laatste 12 maanden" in text
    # The beheerder sees no card index (contact details of candidates stay with the CPO).
    assert admin.goto("/netwerk/kaartenbak/").status == 403
    assert not cpo.errors and not admin.errors  # type: ignore[attr-defined]
