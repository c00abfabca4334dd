"""The matrix editor in a real headless Chromium, driven by the keyboard only.

Skipped with a reason when Chromium is absent (see the ``chromium_browser`` fixture).
"""

from __future__ import annotations

import pytest

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.assessments.models import Judgement
from paraat.assessments.tests.factories import AssessmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-testwachtwoord"


@pytest.fixture
def editor_data() -> None:
    roles_sync()
    UserFactory(username="analist", roles=[roles.ANALYST])
    # Two domains (rows) × two groups (columns), as the factory makes them.
    AssessmentFactory(key="china", title="Reizigers uit China (synthetisch)")


def _login(browser, live_server):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {cell: el.getAttribute('data-cell'), name: el.name || '',
                    value: el.value || '', text: el.textContent.trim()};
        }"""
    )


def _wait_focus(page, cell: str) -> None:
    """Wait until the focus is on ``cell`` (after an htmx swap the script moves it back a
    moment later; a focus that never arrives fails with Playwright's timeout)."""
    page.wait_for_function(
        "(cell) => document.activeElement?.getAttribute('data-cell') === cell", arg=cell
    )


def _wait_in_dialog(page) -> None:
    """Wait until the script has moved the focus into the opened cell form."""
    page.wait_for_function("() => !!document.activeElement?.closest('#cell-dialog form')")


def _tab_to_button(page, label: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "BUTTON" and (
            page.evaluate("() => document.activeElement.textContent.trim()") == label
        ):
            return
    raise AssertionError(f"no button {label!r} reached with Tab")


def test_keyboard_only_matrix_editing(chromium_browser, live_server, editor_data) -> None:
    context, page = _login(chromium_browser, live_server)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    # The navigation leads to the list, the assessment and its zero option's matrix.
    page.get_by_role("link", name="Afwegingen", exact=True).click()
    page.wait_for_url("**/afwegingen/")
    page.get_by_role("link", name="Reizigers uit China (synthetisch)").click()
    page.get_by_role("link", name="Matrix van Geen nieuwe maatregel").click()
    page.wait_for_url("**/matrix/")
    page.wait_for_function("() => typeof htmx !== 'undefined'")

    # One tab stop: the first cell; the other cells are out of the tab order (roving tabindex).
    tabbable = page.evaluate(
        "() => [...document.querySelectorAll('.paraat-ecell__button')]"
        ".map(b => b.getAttribute('tabindex'))"
    )
    assert tabbable == ["0", "-1", "-1", "-1"], tabbable
    page.locator(".paraat-ecell__button").first.focus()
    _wait_focus(page, "cell-mental-health--young-people")

    # Arrow keys move between cells.
    page.keyboard.press("ArrowRight")
    _wait_focus(page, "cell-mental-health--travellers")
    page.keyboard.press("ArrowDown")
    _wait_focus(page, "cell-economy--travellers")
    page.keyboard.press("ArrowLeft")
    _wait_focus(page, "cell-economy--young-people")
    page.keyboard.press("ArrowUp")
    _wait_focus(page, "cell-mental-health--young-people")
    page.keyboard.press("ArrowUp")  # the edge: stays
    _wait_focus(page, "cell-mental-health--young-people")

    # Enter opens the cell form in a dialog, focus on the first effect choice.
    page.keyboard.press("Enter")
    dialog = page.locator("#cell-dialog")
    dialog.locator("form").wait_for()
    _wait_in_dialog(page)
    assert dialog.evaluate("d => d.open")
    assert dialog.get_by_role("heading", name="Mentale gezondheid × Jongeren").is_visible()
    page.wait_for_function("() => document.activeElement?.name === 'effect'")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('#cell-dialog input:not([type=hidden]),'
                 + ' #cell-dialog select, #cell-dialog textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.name)"""
    )
    assert unlabelled == []
    # Effect: one step down from "groot negatief" is "middelgroot negatief".
    page.keyboard.press("ArrowDown")
    assert _focused(page)["value"] == "moderate_negative"
    # Certainty, the next radio group: "niet gegradeerd" → "hoog" → "redelijk".
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "certainty"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert _focused(page)["value"] == "moderate"
    _tab_to_button(page, "Opslaan")
    page.keyboard.press("Enter")

    # The cell is re-rendered, the dialog closed, the focus back on the cell, and announced.
    cell = page.locator("#cell-mental-health--young-people")
    cell.get_by_text("middelgroot negatief").wait_for()
    assert "−− middelgroot negatief" in " ".join(cell.inner_text().split())
    assert "zekerheid: redelijk" in cell.inner_text()
    page.wait_for_function("() => !document.getElementById('cell-dialog').open")
    page.wait_for_function(
        "() => document.activeElement.getAttribute('data-cell') === "
        "'cell-mental-health--young-people'"
    )
    page.wait_for_function(
        "() => document.getElementById('editor-status').textContent.startsWith('Opgeslagen')"
    )
    assert cell.get_attribute("data-state") == "assessed"
    judgement = Judgement.objects.get()
    assert (judgement.effect, judgement.certainty) == ("moderate_negative", "moderate")
    # Still one tab stop after the swap.
    assert (
        page.evaluate(
            "() => [...document.querySelectorAll('.paraat-ecell__button')]"
            ".filter(b => b.getAttribute('tabindex') === '0').length"
        )
        == 1
    )

    # Escape closes the form without saving; the focus returns to the cell.
    page.keyboard.press("ArrowDown")
    _wait_focus(page, "cell-economy--young-people")
    page.keyboard.press("Space")
    dialog.locator("form").wait_for()
    _wait_in_dialog(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('cell-dialog').open")
    _wait_focus(page, "cell-economy--young-people")
    assert Judgement.objects.count() == 1

    # Mark this cell unknown: the last effect choice ("? onbekend").
    page.keyboard.press("Enter")
    dialog.locator("form").wait_for()
    _wait_in_dialog(page)
    for _ in range(7):
        page.keyboard.press("ArrowDown")
    assert _focused(page)["value"] == "unknown"
    _tab_to_button(page, "Opslaan")
    page.keyboard.press("Enter")
    unknown = page.locator("#cell-economy--young-people")
    page.wait_for_function(
        "() => document.getElementById('cell-economy--young-people').dataset.state === 'unknown'"
    )
    assert "? onbekend" in " ".join(unknown.inner_text().split())
    not_assessed = page.locator("#cell-economy--travellers")
    assert "— niet beoordeeld" in " ".join(not_assessed.inner_text().split())
    assert not_assessed.get_attribute("data-state") == "not_assessed"
    _wait_focus(page, "cell-economy--young-people")

    # A validation error stays in the dialog, next to the field.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    dialog.locator("form").wait_for()
    _wait_in_dialog(page)
    _tab_to_button(page, "Opslaan")
    page.keyboard.press("Enter")
    dialog.locator("#field-effect .errorlist").wait_for()
    assert dialog.evaluate("d => d.open")
    assert Judgement.objects.count() == 2

    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert not errors, errors
    context.close()


def test_without_javascript_cells_are_links(chromium_browser, live_server, editor_data) -> None:
    """Progressive enhancement: with JavaScript off, a cell opens a normal edit page."""
    context = chromium_browser.new_context(
        locale="nl-NL", base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto("/afwegingen/china/opties/zero/matrix/")
    page.get_by_role("link", name="Economie, Reizigers: — niet beoordeeld").click()
    page.wait_for_url("**/matrix/economy/travellers/")
    page.get_by_label("+ klein positief").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/matrix/#cell-economy--travellers")
    cell = page.locator("#cell-economy--travellers")
    assert "+ klein positief" in " ".join(cell.inner_text().split())
    assert Judgement.objects.get().effect == "small_positive"
    context.close()


def test_evidence_picker_searches_the_library(chromium_browser, live_server, editor_data) -> None:
    from paraat.accounts.models import Confidentiality
    from paraat.evidence.tests.factories import EvidenceItemFactory

    EvidenceItemFactory(
        ref="scp-jongeren-2022", title="Jongeren in coronatijd", confidentiality="public"
    )
    EvidenceItemFactory(
        ref="memo-geheim",
        title="Jongeren: geheime notitie",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    context, page = _login(chromium_browser, live_server)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/afwegingen/china/opties/zero/matrix/")
    page.wait_for_function("() => typeof htmx !== 'undefined'")
    page.locator(".paraat-ecell__button").first.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#cell-dialog")
    dialog.locator("form").wait_for()
    _wait_in_dialog(page)
    page.keyboard.press("ArrowDown")  # middelgroot negatief
    search = dialog.get_by_label("Zoek in de kennisbibliotheek (sleutel of titel)")
    search.focus()
    page.keyboard.type("jongeren")
    page.keyboard.press("Enter")  # searches, does not save
    result = dialog.get_by_label("scp-jongeren-2022 – Jongeren in coronatijd")
    # the search is a round trip to the live server; on a loaded CI machine (two test
    # processes and a browser on two cores) it once took longer than the default 10 s
    result.wait_for(timeout=30_000)
    assert "geheime notitie" not in dialog.inner_text()
    assert dialog.evaluate("d => d.open") and not Judgement.objects.exists()
    result.focus()
    page.keyboard.press("Space")
    _tab_to_button(page, "Opslaan")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.getElementById('cell-dialog').open")
    judgement = Judgement.objects.get()
    assert list(judgement.evidence.values_list("ref", flat=True)) == ["scp-jongeren-2022"]
    assert not errors, errors
    context.close()
