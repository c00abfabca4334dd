"""In a real headless Chromium: a panelist answers a questionnaire through the link in the
invitation e-mail (no account), keyboard only for the last step; the link then refuses a second
answer with a clear message; the CPO sees the results (n, Likert median, shares, the open
answer) and publishes them as an evidence item. Skipped when Chromium is absent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from paraat.panels import services
from paraat.panels.tests.factories import panel_make, people, questionnaire_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-testwachtwoord"
LINK = re.compile(r"/burgerpanel/antwoord/[A-Za-z0-9_-]+/")
OPEN_ANSWER = "Betere ventilatie in de klas (fictief)."


def _context(browser: Any, live_server: Any) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def test_panelist_answers_and_cpo_sees_results(
    chromium_browser: Any, live_server: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast = people()
    panel = panel_make(actor=cast["cpo"], panelists=1)
    q = questionnaire_make(panel=panel, actor=cast["cpo"], title="Scholen open? (fictief)")
    run = services.invitations_send(questionnaire=q, actor=cast["cpo"])
    assert run.sent == 1 and len(mail.outbox) == 1
    link = LINK.search(mail.outbox[0].body)
    assert link is not None

    # the panelist, without an account
    context, page, errors = _context(chromium_browser, live_server)
    response = page.goto(link.group(0))
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Scholen open? (fictief)"
    assert page.locator("main").count() == 1
    page.get_by_label("4 – eens", exact=True).check()
    page.get_by_label("Gezondheid", exact=True).check()
    page.get_by_label("Wat wilt u nog kwijt?").fill(OPEN_ANSWER)
    page.get_by_label("Wat wilt u nog kwijt?").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Antwoorden versturen":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("#answer-done").wait_for()
    again = page.goto(link.group(0))
    assert again is not None and again.status == 410
    assert "al geantwoord" in page.locator("#link-state").inner_text()
    assert errors == []
    context.close()

    # the CPO
    context, page, errors = _context(chromium_browser, live_server)
    page.goto("/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("cpo")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"/burgerpanel/vragenlijst/{q.pk}/resultaten/")
    assert "1 ingevulde vragenlijsten" in page.locator("#results-n").inner_text()
    assert "mediaan 4" in page.locator("main").inner_text()
    assert OPEN_ANSWER in page.locator(".panels-open").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Resultaten publiceren als kennisitem").click()
    assert "Gepubliceerd als" in page.locator("#publiceren").inner_text()
    q.refresh_from_db()
    assert q.evidence_item is not None and q.evidence_item.knowledge_class == "experiential"
    assert errors == []
    context.close()
