"""The public societal picture in a real headless Chromium (skipped when it is absent)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.indicators.services import ObservationInput, indicator_upsert, observations_store
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.measures.models import IndexValue
from paraat.measures.tests.factories import (
    JurisdictionFactory,
    MeasureFactory,
    PackageFactory,
    PackageItemFactory,
    TimelineEventFactory,
)
from paraat.taxonomies.models import Domain
from paraat.taxonomies.services import taxonomy_seed
from paraat_core.periods import Frequency, parse_period, period_containing, periods_between

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def picture_data() -> None:
    roles_sync()
    taxonomy_seed()
    vintage = timezone.make_aware(dt.datetime(2020, 6, 1))
    unemployment = IndicatorFactory(
        key="werkloosheid",
        name_nl="Werkloosheid",
        domain=Domain.objects.get(key="work-income"),
        source="CBS, StatLine (synthetische reeks)",
        licence="CC BY 4.0",
    )
    months = periods_between(parse_period("2019MM01"), parse_period("2020MM04"))
    observations_store(
        indicator=unemployment,
        rows=[
            ObservationInput(
                period=p,
                value=round(3.0 + 0.1 * k, 1),
                status="provisional" if k == len(months) - 1 else "final",
            )
            for k, p in enumerate(months)
        ],
        vintage=vintage,
    )
    observations_store(
        indicator=unemployment,
        rows=[
            ObservationInput(
                period=p, value=round(8.0 + 0.2 * k, 1), breakdown="group=young-people"
            )
            for k, p in enumerate(months)
        ],
        vintage=vintage,
    )
    nl = JurisdictionFactory()
    start = dt.date(2020, 1, 1)
    IndexValue.objects.bulk_create(
        IndexValue(
            jurisdiction=nl,
            date=start + dt.timedelta(days=i),
            index="StringencyIndex_Average",
            source="published",
            value=float(min(80, i)),
        )
        for i in range(121)
    )
    hospital = indicator_upsert(
        key="nice-hospital-admissions-7d",
        name_nl="Ziekenhuisopnames 7d",
        source="Coronadashboard (NICE)",
        confidentiality=Confidentiality.PUBLIC,
    )
    observations_store(
        indicator=hospital,
        rows=[
            ObservationInput(
                period=period_containing(start + dt.timedelta(days=i), Frequency.DAY),
                value=float(i % 40),
            )
            for i in range(121)
        ],
        vintage=vintage,
    )
    package = PackageFactory(
        key="intelligente-lockdown",
        name_nl="Intelligente lockdown",
        jurisdiction=nl,
        start_date=dt.date(2020, 3, 23),
        end_date=dt.date(2020, 5, 10),
    )
    PackageItemFactory(
        package=package, measure=MeasureFactory(key="scholen-dicht", name_nl="Scholen dicht")
    )
    TimelineEventFactory(jurisdiction=nl, date=dt.date(2020, 3, 23), title_nl="Persconferentie")


def test_dashboard_tile_drill_down_chart_context_and_csv(
    chromium_browser, live_server, picture_data
) -> None:
    context = chromium_browser.new_context(
        locale="nl-NL", base_url=live_server.url, accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/maatschappelijk-beeld/")
    assert page.get_by_role("heading", level=1).inner_text() == "Maatschappelijk beeld"

    tile = page.get_by_role("article", name="Werkloosheid")
    text = tile.inner_text()
    assert "stijgend" in text and "slechter" in text  # direction and judgement, in words
    assert "voorlopig" in text and "synthetisch" in text and "CC BY 4.0" in text
    # The sparkline is an image whose accessible name describes the line in words.
    sparkline = tile.get_by_role(
        "img", name=re.compile("Verloop van 2019 januari tot en met 2020 april")
    )
    assert sparkline.count() == 1

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de tegels als CSV").click()
    board_csv = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert board_csv.startswith("indicator,name,domain") and "werkloosheid" in board_csv

    with page.expect_navigation():
        tile.get_by_role("link", name="Werkloosheid").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Werkloosheid"
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof Chart !== 'undefined' && !!Chart.getChart('series-chart')")
    table = page.locator("#series-table")
    assert table.is_visible()
    assert "2020 april" in table.inner_text() and "Jongeren" in table.inner_text()
    header = table.locator("thead").inner_text()
    assert "Stringency-index" in header and "Ziekenhuisopnames" in header
    context_section = page.locator("#context")
    assert "Intelligente lockdown" in context_section.inner_text()
    assert "Persconferentie" in context_section.inner_text()

    # Clicking a day in the chart shows the measures in force then (context layer).
    page.locator("#series-chart").scroll_into_view_if_needed()
    box = page.locator("#series-chart").bounding_box()
    x, y = page.evaluate(
        """() => { const c = Chart.getChart('series-chart'), a = c.chartArea;
                   const i = c.data.labels.indexOf('2020-04-01');
                   return [c.scales.x.getPixelForValue(i), (a.top + a.bottom) / 2]; }"""
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r".*day=2020-04-01.*"))
    assert "Scholen dicht" in page.locator("#in-force").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download alle reeksen als CSV").click()
    assert download_info.value.suggested_filename == "paraat-werkloosheid.csv"
    rows = Path(download_info.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("indicator,breakdown,breakdown_label,period")
    assert any(",group=young-people,Jongeren," in row for row in rows)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


def test_dashboard_fits_a_phone_and_every_control_has_a_label(
    chromium_browser, live_server, picture_data
) -> None:
    context = chromium_browser.new_context(
        viewport={"width": 375, "height": 800}, base_url=live_server.url
    )
    page = context.new_page()
    for url in (
        "/maatschappelijk-beeld/",
        "/maatschappelijk-beeld/indicatoren/werkloosheid/",
        "/maatschappelijk-beeld/signalen/",
        "/maatschappelijk-beeld/methode/",
    ):
        page.goto(url)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, url
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select')]
                  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                  .map(el => el.name)"""
        )
        assert unlabelled == [], url
    context.close()
