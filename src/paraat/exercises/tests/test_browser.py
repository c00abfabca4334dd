"""The CPO plans and starts an exercise in a real headless Chromium and sees injects arrive.

The run goes at 60 exercise minutes per real minute, so the injects at minutes 1 and 2 arrive a
second or two after the start; the run page polls its panel (htmx, every 3 seconds) and shows
them, including the link to the exercise advice request (OEFENING). The exercise advice request
opens in the advice pages, labelled, and is absent from the real advice list.

Skipped with a reason when Chromium is absent (see the ``chromium_browser`` fixture).
"""

from __future__ import annotations

from typing import Any

import pytest

from paraat.advice.tests.factories import committee
from paraat.exercises import services
from paraat.exercises.tests.factories import ADVICE_PAYLOAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-testwachtwoord"


@pytest.fixture
def scenario() -> Any:
    people = committee()
    made = services.scenario_create(
        data=services.ScenarioData(title="Browseroefening (synthetisch)", is_synthetic=True),
        actor=people["cpo"],
    )
    for offset, kind, title, payload in (
        (0, "variant", "Nieuwe variant gemeld (synthetisch)", {}),
        (1, "indicator", "Opnames stijgen (synthetisch)", {}),
        (2, "advice_request", "Spoedadviesaanvraag (synthetisch)", ADVICE_PAYLOAD),
    ):
        services.inject_create(
            scenario=made,
            data=services.InjectData(
                offset_minutes=offset, kind=kind, title=title, payload=payload, is_synthetic=True
            ),
            actor=people["cpo"],
        )
    return made


def test_cpo_starts_a_run_and_sees_injects_arrive(
    chromium_browser: Any, live_server: Any, scenario: Any
) -> None:
    context = chromium_browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto("/accounts/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("cpo")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")

        page.goto("/oefeningen/")
        assert page.locator("h1").inner_text() == "Oefeningen"
        page.get_by_role("link", name="Browseroefening (synthetisch)").click()
        page.get_by_label("Titel van de oefening").fill("Browsertest")
        page.get_by_label("Tempo (oefenminuten per echte minuut)").fill("60")
        with page.expect_navigation(url="**/oefeningen/oefening/*/"):
            page.get_by_role("button", name="Oefening plannen").click()
        assert "OEFENING" in page.locator("h1").inner_text()
        assert page.locator("#run-panel").get_attribute("data-state") == "not_started"

        with page.expect_navigation(url="**/oefeningen/oefening/*/"):
            page.get_by_role("button", name="Oefening starten").click()
        injects = page.locator("#run-injects li[data-inject]")
        assert injects.first.inner_text().startswith("Nieuwe variant gemeld")
        # The panel refreshes itself: the next injects arrive without reloading the page.
        injects.nth(2).wait_for(timeout=20_000)
        assert "Opnames stijgen (synthetisch)" in injects.nth(1).inner_text()
        link = page.get_by_role("link", name="Open de adviesaanvraag (OEFENING)")
        assert link.count() == 1
        with page.expect_navigation(url="**/adviesproces/oefening-*/"):
            link.click()
        assert "OEFENING" in page.locator("h1").inner_text()

        page.goto("/adviesproces/")
        assert "OEFENING" not in page.locator("#advice-table").inner_text()
        assert errors == []
    finally:
        context.close()
