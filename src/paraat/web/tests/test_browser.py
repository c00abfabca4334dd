"""Browser tests in a real headless Chromium (skipped with a reason when it is absent)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.indicators.services import ObservationInput, indicator_upsert, observations_store
from paraat.measures.models import IndexValue
from paraat.measures.tests.factories import (
    JurisdictionFactory,
    MeasureFactory,
    PackageFactory,
    PackageItemFactory,
    TimelineEventFactory,
)
from paraat_core.periods import Frequency, period_containing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def timeline_data() -> None:
    roles_sync()
    UserFactory(username="analist", roles=[roles.ANALYST])
    nl = JurisdictionFactory()
    start = dt.date(2020, 3, 1)
    IndexValue.objects.bulk_create(
        IndexValue(
            jurisdiction=nl,
            date=start + dt.timedelta(days=i),
            index="StringencyIndex_Average",
            source="published",
            value=float(min(80, i)),
        )
        for i in range(120)
    )
    hospital = indicator_upsert(
        key="nice-hospital-admissions-7d",
        name_nl="Ziekenhuisopnames 7d",
        name_en="Hospital 7d",
        source="Coronadashboard (NICE)",
    )
    observations_store(
        indicator=hospital,
        rows=[
            ObservationInput(
                period=period_containing(start + dt.timedelta(days=i), Frequency.DAY),
                value=float(i),
            )
            for i in range(120)
        ],
        vintage=timezone.now(),
    )
    package = PackageFactory(
        key="intelligente-lockdown",
        name_nl="Intelligente lockdown",
        start_date=dt.date(2020, 3, 23),
        end_date=dt.date(2020, 5, 10),
    )
    PackageItemFactory(
        package=package,
        measure=MeasureFactory(
            key="scholen-dicht", name_nl="Scholen dicht", oxcgrt_indicator="C1", level=3
        ),
    )
    PackageItemFactory(
        package=package,
        measure=MeasureFactory(
            key="thuiswerken", name_nl="Thuiswerken", oxcgrt_indicator="C2", level=2
        ),
    )
    TimelineEventFactory(jurisdiction=nl, date=dt.date(2020, 3, 23), title_nl="Persconferentie")


def _page(browser, live_server):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    return context, context.new_page()


def test_login_open_timeline_and_pick_a_day(chromium_browser, live_server, timeline_data) -> None:
    context, page = _page(chromium_browser, live_server)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill("een-lang-testwachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Tijdlijn Nederland").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tijdlijn Nederland")
    assert page.locator("#series-chart").is_visible()
    # The chart is drawn (Chart.js attaches itself to the canvas) without CSP errors.
    assert page.evaluate("() => typeof Chart !== 'undefined' && !!Chart.getChart('series-chart')")
    page.get_by_label("Dag", exact=True).fill("2020-04-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Toon maatregelen op deze dag").click()
    table = page.locator("#in-force-table")
    assert "Scholen dicht" in table.inner_text() and "Thuiswerken" in table.inner_text()
    assert "Intelligente lockdown" in page.locator("#in-force").inner_text()
    # Clicking in the chart picks a day too.
    box = page.locator("#series-chart").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.wait_for_url("**day=*")
    assert "day=20" in page.url
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


def test_keyboard_skip_link_landmarks_and_language_switch(
    chromium_browser, live_server, timeline_data
) -> None:
    context, page = _page(chromium_browser, live_server)
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Direct naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    for selector in ("header", "nav", "main", "footer"):
        assert page.locator(selector).count() >= 1, selector
    assert page.evaluate("() => document.documentElement.lang") == "nl"
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert page.get_by_role("link", name="Accessibility").is_visible()
    # Every form control on the timeline page has a label.
    page.goto("/tijdlijn/")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.name)"""
    )
    assert unlabelled == []
    context.close()


def test_phone_width_has_no_horizontal_scroll(chromium_browser, live_server, timeline_data) -> None:
    context = chromium_browser.new_context(
        viewport={"width": 375, "height": 800}, base_url=live_server.url
    )
    page = context.new_page()
    for url in ("/", "/maatregelen/", "/tijdlijn/?day=2020-04-01"):
        page.goto(url)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, url
    context.close()
