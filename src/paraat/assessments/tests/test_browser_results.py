"""The results page of an analysed assessment in a real headless Chromium.

The China example (``examples/assessments/china-travel-2023.json``) is imported and analysed
(500 samples); an analyst opens its results: the Chart.js scatter draws without console errors
or CSP violations, the table fallback holds the same options, the headings run in order (the
summary first, then the annex), and the analyse form starts a job whose page shows it run to
completion. The test settings use django-tasks' immediate backend, so the job runs while the
form is posted and its page shows the finished state with its progress at 100 %.

Skipped with a reason when Chromium is absent (see the ``chromium_browser`` fixture).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.assessments import services, tasks
from paraat.jobs.models import Job, JobStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-testwachtwoord"
EXAMPLE = (
    Path(__file__).resolve().parents[4] / "examples" / "assessments" / "china-travel-2023.json"
)

#: Collects CSP violations in the page (Playwright's init scripts are not subject to the CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || ''));
});
"""

HEADINGS = """() => [...document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6)')]
    .map(h => ({level: Number(h.tagName[1]), text: h.textContent.trim(), id: h.id}))"""


@pytest.fixture
def analysed() -> str:
    """The China example, imported and analysed once (version 1); returns its key."""
    if not EXAMPLE.exists():
        pytest.skip(f"no example at {EXAMPLE}")
    pytest.importorskip("paraat_core.assessment")
    from paraat.taxonomies.services import taxonomy_seed

    roles_sync()
    taxonomy_seed()
    services.rights_seed()
    UserFactory(username="analist", roles=[roles.ANALYST])
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for option in document["options"]:  # the catalog is not loaded here: no measure links
        option.pop("measures", None)
        option.pop("packages", None)
    assessment = services.assessment_import(
        actor=None, document=document, create_missing_evidence=True
    )
    services.assessment_analyse(actor=None, assessment=assessment, samples=500, seed=1)
    return assessment.key


def _login(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.goto("/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_results_page_chart_table_headings_and_analysis_job(
    chromium_browser, live_server, analysed
) -> None:  # type: ignore[no-untyped-def]
    context, page = _login(chromium_browser, live_server)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"/afwegingen/{analysed}/resultaten/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Resultaten")

    # The Chart.js scatter is drawn: a chart on the canvas with one dataset per visible option,
    # and pixels painted on it.
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('matrix-chart'))"
    )
    drawn = page.evaluate(
        """() => {
            const canvas = document.getElementById('matrix-chart');
            const chart = Chart.getChart(canvas);
            const pixels = canvas.getContext('2d')
                .getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
            return {width: canvas.width, height: canvas.height, painted,
                    labels: chart.data.datasets.map(d => d.label),
                    visible: canvas.getBoundingClientRect().height > 0};
        }"""
    )
    assert drawn["visible"] and drawn["width"] > 0 and drawn["height"] > 0, drawn
    assert drawn["painted"] > 1000, drawn
    assert page.locator("#matrix-chart").get_attribute("role") == "img"
    assert page.locator("#matrix-chart").get_attribute("aria-label")

    # The table fallback names the same options, with their effectiveness.
    table = page.locator("#matrix-table")
    assert table.is_visible()
    assert table.locator("caption").inner_text()
    rows = table.locator("tbody tr th[scope=row]").all_inner_texts()
    assert sorted(rows) == sorted(drawn["labels"]) and len(rows) == 4, (rows, drawn["labels"])
    assert "OMT-advies januari 2023" in table.inner_text()

    # Headings: one h1, levels never skip, the summary before the annex, and the table of
    # contents leads to both.
    headings = page.evaluate(HEADINGS)
    levels = [h["level"] for h in headings]
    assert levels[0] == 1 and levels.count(1) == 1, headings
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), headings
    texts = [h["text"] for h in headings]
    summary, annex = texts.index("Samenvatting"), texts.index("Bijlagen")
    assert summary < annex
    assert levels[summary] == levels[annex] == 2
    for title in (
        "Impactladder",
        "Effectiviteit en maatschappelijke impact",
        "Soort advies per optie",
        "Wat de onzekerheid bepaalt",
    ):
        assert summary < texts.index(title) < annex, title
    for title in ("Verdeling over domeinen en groepen", "Bewijs", "Parameters"):
        assert texts.index(title) > annex, title
    assert "Alle opties liggen tussen" in page.locator("#magnitude").inner_text()
    page.get_by_role("navigation", name="Op deze pagina").get_by_role(
        "link", name="Bijlagen"
    ).click()
    page.wait_for_url("**#bijlagen")

    # The analyse form starts a job; its page shows the progress run to completion.
    form = page.locator("#analyse form")
    form.get_by_label("Aantal trekkingen (SMAA)").fill("500")
    form.get_by_label("Toelichting bij deze versie (optioneel)").fill("browsertest")
    form.get_by_role("button", name="Analyse uitvoeren").click()
    page.wait_for_url("**/taken/**")
    job = Job.objects.get(kind=tasks.ANALYSE_KIND)
    assert page.url.endswith(f"/{job.pk}/")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert page.locator("#job-progress").get_attribute("value") == "100"
    assert page.locator("#job-percent").inner_text() == "100"
    assert page.locator("#job").get_attribute("data-finished") == "1"
    status = page.evaluate(
        "url => fetch(url, {headers: {Accept: 'application/json'}}).then(r => r.json())",
        page.locator("#job").get_attribute("data-status-url"),
    )
    assert status["finished"] is True, status
    page.get_by_role("link", name="Bekijk het verslag").click()
    page.wait_for_url("**/resultaten/?versie=2")
    assert "Versie 2" in page.locator(".paraat-meta").inner_text()
    assert "browsertest" in page.locator(".paraat-meta").inner_text()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('matrix-chart'))"
    )

    violations = page.evaluate("() => window.__cspViolations")
    assert violations == [], violations
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert not errors, errors
    context.close()
