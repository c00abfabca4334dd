"""The CPO's key steps of an activation in a real headless Chromium, with the SZW officer's
decision in between: a secondment agreement → a case → a criterion judged → the signal drafted
(a background job) and recorded as sent → the minister's decision (SZW officer) → a decree with
a candidate from the card index, adopted → a seconded person → every checklist item done →
the time to operational on the case page. One form is sent with the keyboard only.

Every page has one ``h1`` and one ``main``; no console errors other than the expected 400.
Skipped with a reason when Chromium is absent (see the ``chromium_browser`` fixture).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from paraat.activation.models import ActivationCase
from paraat.activation.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "een-lang-testwachtwoord"


@pytest.fixture
def cast(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    # The default checklist comes from a data migration; a transactional test of another app
    # that ran before (live_server) flushed it, so put it back (idempotent).
    from importlib import import_module

    from django.apps import apps

    import_module("paraat.activation.migrations.0002_checklist_defaults").load(apps, None)
    people = factories.people()
    people["ministry"] = factories.ministry("SZW", "Ministerie van Sociale Zaken (test)")
    people["candidate"] = factories.CandidateFactory(person__name="Vera Voorzitter (fictief)")
    return people


class Visitor:
    def __init__(self, browser: Any, live_server: Any, username: str) -> None:
        self.base = live_server.url
        self.context = browser.new_context(locale="nl-NL", base_url=self.base)
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto("/accounts/inloggen/")
        self.page.get_by_label("Gebruikersnaam").fill(username)
        self.page.get_by_label("Wachtwoord").fill(PASSWORD)
        self.page.get_by_role("button", name="Inloggen").click()
        self.page.wait_for_url(f"{self.base}/")

    def goto(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        landmarks(self.page)

    def submit(self, button: str, url_glob: str = "**/dossiers/*/**") -> None:
        with self.page.expect_navigation(url=url_glob):
            self.page.get_by_role("button", name=button, exact=True).click()
        landmarks(self.page)


def landmarks(page: Any) -> None:
    assert page.locator("h1").count() == 1, page.url
    assert page.locator("main").count() == 1, page.url


@pytest.fixture
def visitors() -> Iterator[list[Visitor]]:
    crowd: list[Visitor] = []
    yield crowd
    for visitor in crowd:
        visitor.context.close()


def test_cpo_activates_the_committee_in_the_browser(
    chromium_browser: Any, live_server: Any, cast: dict[str, Any], visitors: list[Visitor]
) -> None:
    cpo = Visitor(chromium_browser, live_server, "cpo")
    visitors.append(cpo)
    page = cpo.page
    today = timezone.localdate().isoformat()

    # A secondment agreement with a ministry.
    cpo.goto("/activering/")
    page.get_by_role("link", name="Nieuwe detacheringsafspraak").click()
    landmarks(page)
    page.get_by_label("Ministerie").select_option(label="Ministerie van Sociale Zaken (test) (SZW)")
    page.get_by_label("Aantal mensen").fill("2")
    page.locator("#id_fte").fill("1.6")
    with page.expect_navigation(url="**/activering/"):
        page.get_by_role("button", name="Opslaan").click()
    assert "Ministerie van Sociale Zaken (test)" in page.locator("#agreements-table").inner_text()

    # A case, then a criterion with a missing judgement (400, error on the field), then right.
    page.get_by_role("link", name="Nieuw activeringsdossier").click()
    page.get_by_label("Titel").fill("Browserdossier (synthetisch)")
    page.get_by_label("Scenarioniveau").select_option("persistent")
    page.get_by_label("Synthetisch (demo of oefening)").check()
    cpo.submit("Dossier openen")
    case = ActivationCase.objects.get(title="Browserdossier (synthetisch)")
    page.locator("#id_criterion").select_option("scale")
    page.get_by_label("Onderbouwing").fill("Verspreiding in het hele land (synthetisch).")
    cpo.submit("Oordeel vastleggen")
    assert page.locator("#field-judgement .errorlist").count() == 1
    page.get_by_label("voldaan", exact=True).check()
    cpo.submit("Oordeel vastleggen")
    assert "Verspreiding in het hele land" in page.locator("#criteria-table").inner_text()

    # The signal as a background job; its page, then back to the case to record it as sent.
    with page.expect_navigation(url="**/taken/**"):
        page.get_by_role("button", name="Signaal opstellen", exact=True).click()
    cpo.goto(f"/activering/dossiers/{case.pk}/")
    assert page.get_by_role("link", name="PDF versie 1").count() == 1
    page.get_by_label("Verzonden op").fill(today)
    cpo.submit("Als verzonden vastleggen")
    assert "gesignaleerd" in page.locator("#case-status").inner_text()

    # The SZW officer records the minister's decision.
    szw = Visitor(chromium_browser, live_server, "szw")
    visitors.append(szw)
    szw.goto(f"/activering/dossiers/{case.pk}/")
    szw.page.get_by_label("instellen", exact=True).check()
    szw.submit("Besluit vastleggen")
    assert "Instellen" in szw.page.locator("#decision").inner_text()

    # The decree with the candidate as chair, drafted in a job; then adopted.
    cpo.goto(f"/activering/dossiers/{case.pk}/")
    page.get_by_label("Looptijd").fill("twee jaar")
    page.get_by_label("Rol van Vera Voorzitter (fictief)").select_option("chair")
    with page.expect_navigation(url="**/taken/**"):
        page.get_by_role("button", name="Instellingsbesluit opstellen", exact=True).click()
    cpo.goto(f"/activering/dossiers/{case.pk}/")
    assert (
        "Vera Voorzitter (fictief)"
        in page.locator("#h-decree + article, section[aria-labelledby=h-decree]").first.inner_text()
    )
    cpo.submit("Als vastgesteld vastleggen")
    assert "actief" in page.locator("#case-status").inner_text()

    # A seconded person, sent with the keyboard only.
    page.get_by_label("Detacheringsafspraak").select_option(index=1)
    page.locator("#id_name").fill("Sam Secretaris (fictief)")
    page.locator("#id_fte").fill("0.8")
    page.get_by_label("Begint op").fill(today)
    page.get_by_label("Begint op").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement.textContent.trim()")
        if label == "Toevoegen":
            break
    with page.expect_navigation(url="**/dossiers/*/**"):
        page.keyboard.press("Enter")
    assert "Sam Secretaris (fictief)" in page.locator("#staffing-table").inner_text()

    # Every checklist item done: operational, with the time to operational.
    assert page.locator("button[data-item]").count() > 0
    while page.locator("button[data-item]").count():
        with page.expect_navigation(url="**/dossiers/*/**"):
            page.locator("button[data-item]").first.click()
    assert "operationeel" in page.locator("#case-status").inner_text()
    assert "uur" in page.locator("#time-to-operational").inner_text()
    assert page.locator("#path li").count() == 6

    for visitor in visitors:
        unexpected = [e for e in visitor.errors if "status of 400" not in e]
        assert unexpected == [], unexpected
