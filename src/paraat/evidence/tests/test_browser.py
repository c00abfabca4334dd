"""The knowledge library in a real headless Chromium (skipped with a reason when it is absent)."""

from __future__ import annotations

import os

import pytest

from paraat.accounts.models import Confidentiality
from paraat.evidence import services
from paraat.evidence.tests.factories import EvidenceItemFactory, fiche_create
from paraat.measures.tests.factories import MeasureFactory
from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis", "pgsql"))
SEARCH_LABEL = "Zoek in titels, samenvattingen en volledige teksten"


@pytest.fixture
def library() -> None:
    schools = EvidenceItemFactory(
        title="Sluiting van scholen en leerachterstanden",
        summary="Kinderen liepen een achterstand op tijdens de lockdown.",
        item_type="report",
        knowledge_class="scientific",
        confidentiality=Confidentiality.PUBLIC,
    )
    EvidenceItemFactory(
        title="Ventilatie in scholen",
        summary="Metingen van CO2 in klaslokalen.",
        item_type="dataset",
        knowledge_class="administrative",
        confidentiality=Confidentiality.PUBLIC,
    )
    EvidenceItemFactory(
        title="Avondklok en jongeren",
        summary="Jongeren bleven vaker thuis.",
        item_type="peer_reviewed",
        confidentiality=Confidentiality.PUBLIC,
    )
    EvidenceItemFactory(
        title="Interne notitie over scholen",
        summary="Alleen voor het secretariaat.",
        confidentiality=Confidentiality.INTERNAL,
    )
    education = DomainFactory(key="onderwijs", name_nl="Onderwijs", position=1)
    income = DomainFactory(key="inkomen", name_nl="Inkomen en werk", position=2)
    young = PopulationGroupFactory(key="jongeren", name_nl="Jongeren", position=1)
    fiche_create(
        MeasureFactory(key="scholen-dicht", name_nl="Scholen dicht"),
        summary="Basisscholen geven geen fysiek onderwijs.",
        key_evidence=(schools,),
        cells=(
            services.CellData(
                domain=education,
                direction="negative",
                size="large",
                certainty="moderate",
                evidence=(schools,),
            ),
            services.CellData(domain=education, group=young, direction="unknown"),
            services.CellData(domain=income, direction="none"),
        ),
    )


def _page(browser, live_server):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_anonymous_search_highlight_and_facet(chromium_browser, live_server, library) -> None:
    context, page = _page(chromium_browser, live_server)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/kennisbibliotheek/")
    page.get_by_label(SEARCH_LABEL).fill("school")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Zoeken", exact=True).click()
    assert navigation.value.status == 200
    assert "q=school" in page.url
    heading = page.locator("#results-title").inner_text()
    assert heading == "2 resultaten voor “school”", heading
    hits = page.locator(".paraat-hit__title")
    assert hits.count() == 2
    titles = hits.all_inner_texts()
    assert "Sluiting van scholen en leerachterstanden" in titles
    assert "Ventilatie in scholen" in titles
    assert not [t for t in titles if "Interne notitie" in t or "Avondklok" in t]
    marks = [m.lower() for m in page.locator(".paraat-hit__title mark").all_inner_texts()]
    assert marks and set(marks) == {"scholen"}

    # Tick a facet checkbox (by its label) and apply the filters.
    page.get_by_label("rapport (planbureau, adviesraad, inspectie)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Filters toepassen").click()
    assert "type=report" in page.url and "q=school" in page.url
    assert page.locator("#results-title").inner_text() == "1 resultaat voor “school”"
    assert page.locator(".paraat-hit__title").all_inner_texts() == [
        "Sluiting van scholen en leerachterstanden"
    ]
    assert page.get_by_label("rapport (planbureau, adviesraad, inspectie)").is_checked()
    assert page.locator(".paraat-hit__title mark").first.inner_text().lower() == "scholen"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


def test_open_fiche_read_matrix_and_download_pdf(chromium_browser, live_server, library) -> None:
    context, page = _page(chromium_browser, live_server)
    page.goto("/kennisbibliotheek/")
    with page.expect_navigation():
        page.get_by_role("link", name="Fiches per maatregel").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Scholen dicht").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fiche: Scholen dicht"
    matrix = page.get_by_role("table", name="Impact per domein en groep")
    assert matrix.is_visible()
    header = matrix.locator("thead th").all_inner_texts()
    assert header == ["Domein", "Hele bevolking", "Jongeren"]
    rows = {
        row.locator("th").inner_text(): [
            " ".join(t.split()) for t in row.locator("td").all_inner_texts()
        ]
        for row in matrix.locator("tbody tr").all()
    }
    education, income = rows["Onderwijs"], rows["Inkomen en werk"]
    # Text labels, not only colours or symbols.
    assert "negatief, groot" in education[0] and "zekerheid: redelijk" in education[0]
    assert "onbekend" in education[1]
    assert "geen effect" in income[0]
    assert income[1] == "niet beoordeeld"
    # The symbols are decoration for screen readers; the text carries the meaning.
    assert matrix.locator('.paraat-cell__direction [aria-hidden="true"]').count() == 3

    link = page.get_by_role("link", name="Download PDF")
    href = link.get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "fiche-scholen-dicht-v1-openbaar.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    context.close()


def test_search_box_is_reachable_by_keyboard_and_labelled(
    chromium_browser, live_server, library
) -> None:
    context, page = _page(chromium_browser, live_server)
    page.goto("/kennisbibliotheek/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "q":
            break
    else:
        pytest.fail("the search box is not reachable with Tab")
    label = page.evaluate(
        "() => [...document.activeElement.labels].map(l => l.textContent.trim()).join(' ')"
    )
    assert label == SEARCH_LABEL
    described = page.evaluate("() => document.activeElement.getAttribute('aria-describedby')")
    assert described and page.locator(f"#{described}").inner_text().startswith("Alle woorden")
    assert page.get_by_role("search").count() == 1
    # Every form control on the library page has a label.
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.name)"""
    )
    assert unlabelled == []
    page.keyboard.type("scholen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=scholen" in page.url
    context.close()
