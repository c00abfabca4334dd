"""In a real headless Chromium: the CPO records a change of mode (first with an error on the
field, then correctly) and edits a playbook section, which becomes a new version whose word
diff is shown. Every page has one h1 and one main; no console errors other than the expected
400. Skipped with a reason when Chromium is absent (the ``chromium_browser`` fixture)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from paraat.preparedness import selectors, services
from paraat.preparedness.tests.factories import moment, team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-testwachtwoord"


def landmarks(page: Any) -> None:
    assert page.locator("h1").count() == 1, page.url
    assert page.locator("main").count() == 1, page.url


def test_cpo_changes_mode_and_edits_playbook(chromium_browser: Any, live_server: Any) -> None:
    people = team()
    cpo = people["cpo"]
    services.mode_set(
        mode="standby",
        reason="Instellingsbesluit afgelopen",
        actor=cpo,
        at=moment(dt.date(2024, 9, 1), 0),
    )
    section = services.playbook_section_create(
        element="decree_template",
        title="Model-instellingsbesluit",
        text="Voorzitter: {{ voorzitter }}",
        actor=cpo,
    )
    context = chromium_browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("/accounts/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("cpo")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")

        # The landing page: standby since 1 September 2024.
        page.goto("/paraatheid/")
        landmarks(page)
        assert page.locator("#current-mode").inner_text() == "waakstand"
        assert "1 september 2024" in page.locator("#mode-facts").inner_text()

        # A level with standby is refused on the field; the page says so.
        form = page.locator("#mode-form")
        form.get_by_label("waakstand", exact=True).check()
        form.get_by_label("Scenarioniveau").select_option("mild")
        form.get_by_label("Reden").fill("Oefening met een fout")
        with page.expect_navigation():
            form.get_by_role("button", name="Wijziging vastleggen").click()
        landmarks(page)
        assert "In waakstand geldt geen scenarioniveau" in page.locator("#mode-form").inner_text()

        # Now correctly: active, flu-plus.
        form = page.locator("#mode-form")
        form.get_by_label("actief", exact=True).check()
        form.get_by_label("Scenarioniveau").select_option("flu_plus")
        form.get_by_label("Reden").fill("Nieuwe variant met snelle verspreiding (fictief)")
        with page.expect_navigation(url="**/paraatheid/"):
            form.get_by_role("button", name="Wijziging vastleggen").click()
        landmarks(page)
        assert page.locator("#current-mode").inner_text() == "actief"
        assert page.locator("#current-level").inner_text() == "griep-plus"
        assert (
            "twee weken"
            in page.locator("#h-cadence + p, section[aria-labelledby=h-cadence]").first.inner_text()
        )
        assert "Nieuwe variant" in page.locator("#mode-history").inner_text()
        assert selectors.current_mode().scenario_level == "flu_plus"

        # The playbook section: edit the text, a new version with its diff.
        page.goto(f"/paraatheid/draaiboek/{section.pk}/")
        landmarks(page)
        assert "{{ voorzitter }}" in page.locator("#section-help").inner_text()
        edit = page.locator("#section-form")
        edit.get_by_label("Tekst", exact=True).fill(
            "Voorzitter: {{ voorzitter }}\nLeden: {{ leden }}"
        )
        edit.get_by_label("Wat is er veranderd?").fill("leden toegevoegd")
        with page.expect_navigation(url=f"**/paraatheid/draaiboek/{section.pk}/"):
            edit.get_by_role("button", name="Opslaan als nieuwe versie").click()
        landmarks(page)
        assert "Leden: {{ leden }}" in page.locator("#section-text").inner_text()
        assert page.locator("#section-version").inner_text().startswith("2")
        page.get_by_role("link", name="Versie 2").click()
        page.wait_for_url(f"**/draaiboek/{section.pk}/versies/2/")
        landmarks(page)
        assert "{{ leden }}" in page.locator("#diff ins").all_inner_texts()[-1]
        assert selectors.section_text(section=section).endswith("Leden: {{ leden }}")
    finally:
        context.close()
    assert [e for e in errors if "status of 400" not in e] == []
