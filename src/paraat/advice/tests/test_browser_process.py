"""The key steps of the January 2023 request on travellers from China, replayed in a real
headless Chromium through the advice pages, each step by the role that takes it.

SZW registers an urgent request (the deadline runs two days) → the CPO asks a practice circle
for input → the circle answers through the secure link in its e-mail, without an account →
the CPO builds the skeleton from the dossier and writes two numbered recommendations → final
draft → a vote: one member disagrees (first without the required reason: the error sits on
the field), the chair and two members agree, the expert member gives a position that is not
counted → the chair closes with a minority position, aligns, signs and sends (a background
job) → under embargo nothing is public → the CPO publishes → the public page shows the
minority position and no voter → SZW records the cabinet response per recommendation → the
public page shows those statuses.

Every page has one ``h1`` and one ``main``; no page logs a console error other than the
expected 400 and 404 responses; two forms are sent with the keyboard only (Tab to the
button, Enter). The event is real, everything else is fictional. The test settings use the
locmem mail backend (the outbox is shared with the live server's thread) and django-tasks'
immediate backend (the dispatch job has run when its page opens).

Skipped with a reason when Chromium is absent (see the ``chromium_browser`` fixture).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.tests.factories import UserFactory
from paraat.advice.models import Dispatch
from paraat.advice.tasks import DISPATCH_KIND
from paraat.advice.tests.factories import committee
from paraat.jobs.models import Job, JobStatus
from paraat.measures.tests.factories import MeasureFactory, PackageFactory, PackageItemFactory
from paraat.taxonomies.tests.factories import PopulationGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-testwachtwoord"
TITLE = "Maatregelen voor reizigers uit China (naspeling, fictief)"
CIRCLE = "Praktijkkring reizen en toerisme (fictief)"
CIRCLE_EMAIL = "kring-reizen@example.org"
SIGNAL = "Reisbureaus melden annuleringen en stigmatisering van reizigers (fictief)."
RECOMMENDATIONS = (
    "Voer een mondkapjesplicht in op vluchten uit China (fictief).",
    "Vraag een negatieve test vóór vertrek, met uitzondering voor kinderen (fictief).",
)
DISSENT = "De test vóór vertrek treft studenten onevenredig (fictief)."
POSITION = "SCP: zie de notitie over familiebezoek (fictief)."
MINORITY = "Eén lid acht de test vóór vertrek niet proportioneel voor studenten (fictief)."
JUSTIFICATION = "Europese afstemming gaat voor (fictief)."
LINK = re.compile(r"/adviesproces/input/[A-Za-z0-9_-]+/")


@pytest.fixture
def cast(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path  # the dispatched PDF and DOCX
    people = committee()
    people["circle"] = UserFactory(
        username="kringtrekker",
        roles=[roles.CIRCLE_LEAD],
        email=CIRCLE_EMAIL,
        first_name="Noor",
        last_name="Vermeulen (fictief)",
    )
    masks = PackageFactory(
        key="mondkapjesplicht-china", name_nl="Mondkapjesplicht vluchten uit China"
    )
    PackageItemFactory(
        package=masks,
        measure=MeasureFactory(key="mondkapje-vlucht", name_nl="Mondkapje aan boord", level=2),
    )
    test = PackageFactory(key="test-voor-vertrek", name_nl="Test vóór vertrek")
    PackageItemFactory(
        package=test,
        measure=MeasureFactory(key="negatieve-test", name_nl="Negatieve test vóór vertrek"),
    )
    PopulationGroupFactory(key="travellers", name_nl="Reizigers", name_en="Travellers")
    return people


class Visitor:
    """One person in their own browser context (logged in through the login page, or
    anonymous), whose console errors are collected."""

    def __init__(self, browser: Any, live_server: Any, username: str | None = None) -> None:
        self.base = live_server.url
        self.context = browser.new_context(locale="nl-NL", base_url=self.base)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[tuple[str, str]] = []
        self.page.on(
            "console",
            lambda m: (
                self.errors.append((m.text, m.location.get("url", "")))
                if m.type == "error"
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.errors.append((str(e), "")))
        if username is not None:
            self.page.goto("/accounts/inloggen/")
            self.page.get_by_label("Gebruikersnaam").fill(username)
            self.page.get_by_label("Wachtwoord").fill(PASSWORD)
            self.page.get_by_role("button", name="Inloggen").click()
            self.page.wait_for_url(f"{self.base}/")

    def goto(self, path: str, status: int = 200) -> Any:
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response)
        landmarks(self.page)
        return response

    def unexpected_errors(self, expected: set[tuple[int, str]]) -> list[tuple[str, str]]:
        """Console errors other than the browser's note about an expected error status."""
        return [
            (text, url)
            for text, url in self.errors
            if not any(
                f"status of {code}" in text and url.endswith(path) for code, path in expected
            )
        ]


def landmarks(page: Any) -> None:
    """One h1 and one main on every page."""
    assert page.locator("h1").count() == 1, (page.url, page.locator("h1").all_inner_texts())
    assert page.locator("main").count() == 1, page.url


def tab_to_button(page: Any, label: str, limit: int = 80) -> None:
    """Press Tab until the focus is on the button ``label``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.tagName, document.activeElement.textContent.trim()]"
        )
        if focused == ["BUTTON", label]:
            return
    raise AssertionError(f"no button {label!r} reached with Tab on {page.url}")


def alert_text(page: Any) -> str:
    return " ".join(page.locator(".paraat-messages").inner_text().split())


def submit(page: Any, button: str, url_glob: Any) -> None:
    """Click ``button`` and wait for the page it leads to (often the same address)."""
    with page.expect_navigation(url=url_glob):
        page.get_by_role("button", name=button, exact=True).click()
    landmarks(page)


def press_enter(page: Any, url_glob: str) -> None:
    with page.expect_navigation(url=url_glob):
        page.keyboard.press("Enter")
    landmarks(page)


def vote(visitor: Visitor, key: str, choice: str, reason: str = "", position: bool = False) -> None:
    """Cast a ballot (or, for an expert member, give a position) on the vote page."""
    page = visitor.page
    visitor.goto(f"/adviesproces/{key}/stemming/")
    page.get_by_label(choice, exact=True).check()
    if reason:
        page.get_by_label("Toelichting", exact=True).fill(reason)
    submit(page, "Standpunt geven" if position else "Stem uitbrengen", "**/stemming/")
    expected = "Uw standpunt is vastgelegd" if position else "Uw stem is vastgelegd."
    assert expected in alert_text(page)


@pytest.fixture
def visitors() -> Iterator[list[tuple[Visitor, set[tuple[int, str]]]]]:
    """The people of the test with the error statuses they expect; their browser contexts
    are closed afterwards, also when the test fails."""
    crowd: list[tuple[Visitor, set[tuple[int, str]]]] = []
    yield crowd
    for visitor, _expected in crowd:
        visitor.context.close()


def test_china_2023_replay_in_the_browser(
    chromium_browser: Any,
    live_server: Any,
    cast: dict[str, Any],
    mailoutbox: Any,
    visitors: list[tuple[Visitor, set[tuple[int, str]]]],
) -> None:

    def person(username: str | None, *expected: tuple[int, str]) -> Visitor:
        visitor = Visitor(chromium_browser, live_server, username)
        visitors.append((visitor, set(expected)))
        return visitor

    # 1. The SZW officer registers the urgent request; the deadline defaults to two days.
    szw = person("szw")
    page = szw.page
    page.get_by_role("link", name="Adviezen", exact=True).click()
    page.wait_for_url("**/adviesproces/")
    landmarks(page)
    page.get_by_role("link", name="Nieuwe adviesaanvraag").click()
    page.wait_for_url("**/adviesproces/nieuw/")
    landmarks(page)
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Adviesvraag").fill(
        "Welke maatregelen voor reizigers uit China zijn vanuit maatschappelijk perspectief "
        "proportioneel? (adviesvraag van 3 januari 2023)"
    )
    page.get_by_label("Naam aanvrager").fill("Secretaris-generaal van SZW")
    assert page.get_by_label("Soort advies").input_value() == "urgent"
    assert page.get_by_label("Deadline").input_value() == ""  # empty: the default applies
    page.get_by_label("Mondkapjesplicht vluchten uit China").check()
    page.get_by_label("Test vóór vertrek").check()
    page.get_by_label("Parallelle OMT-adviesaanvraag").fill(
        "OMT-adviesaanvraag reizigers uit China, 3 januari 2023"
    )
    submit(page, "Registreren", "**/adviesproces/*/")
    key = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert "De adviesaanvraag is geregistreerd." in alert_text(page)
    meta = " ".join(page.locator("main .paraat-meta").first.inner_text().split())
    assert "Status: ontvangen" in meta, meta
    assert "(nog 48 uur)" in meta, meta  # received just now, due in two days
    assert "spoedadvies" in page.locator(".paraat-dl").inner_text()
    detail = f"/adviesproces/{key}/"

    # 2. The CPO asks the practice circle for input; the circle gets a mail with its link.
    cpo = person("cpo")
    cpo.goto(detail)
    page = cpo.page
    page.get_by_role("link", name="Uitvraag en bijdragen").click()
    page.wait_for_url(f"**{detail}uitvraag/")
    landmarks(page)
    page.get_by_label("Soort ontvanger").select_option(label="praktijkkring")
    page.get_by_label("Naam ontvanger").fill("Noor Vermeulen (fictief)")
    page.get_by_label("E-mailadres").fill(CIRCLE_EMAIL)
    page.get_by_label("Organisatie of kring").fill(CIRCLE)
    page.get_by_label("Vraag", exact=False).first.fill(
        "Welke gevolgen verwacht u van een testplicht of mondkapjesplicht? (fictief)"
    )
    assert page.get_by_label("Deadline").input_value()  # a suggested deadline is filled in
    # Keyboard only: from the question to the send button, then Enter.
    page.locator("#id_question").focus()
    tab_to_button(page, "Versturen")
    press_enter(page, f"**{detail}uitvraag/")
    assert f"De uitvraag is verstuurd aan Noor Vermeulen (fictief) ({CIRCLE_EMAIL})." in (
        alert_text(page)
    )
    assert "open" in page.locator("#input-table tbody").inner_text()
    mailed = [m for m in mailoutbox if CIRCLE_EMAIL in m.to]
    assert len(mailed) == 1, [m.to for m in mailoutbox]
    found = LINK.search(mailed[0].body)
    assert found, mailed[0].body
    link = found.group(0)

    # 3. The circle answers through the secure link, without an account (keyboard only).
    circle = person(None, (404, link))
    circle.goto(link)
    page = circle.page
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Uw input voor het Maatschappelijk Impact Team"
    )
    assert TITLE in page.locator(".paraat-dl").inner_text()
    page.get_by_label("Signaal").fill(SIGNAL)
    page.get_by_label("Reizigers", exact=True).check()
    page.get_by_label("negatief", exact=True).check()
    page.get_by_label("ernstig", exact=True).check()
    page.get_by_label("Bron").fill("Ronde langs de kring (fictief)")
    page.get_by_label("belangen verklaard", exact=True).check()
    page.get_by_label("Verklaarde belangen").fill(
        "De kring wordt mede gefinancierd door reisorganisaties (fictief)."
    )
    page.get_by_label("Verklaarde belangen").focus()
    tab_to_button(page, "Reactie versturen")
    press_enter(page, f"**{link}")
    assert page.get_by_role("heading", level=1).inner_text() == "Dank voor uw input"
    circle.goto(link, status=404)  # used once: the link no longer works
    assert page.get_by_role("heading", level=1).inner_text() == "Deze link werkt niet"

    cpo.goto(f"{detail}uitvraag/")
    answered = cpo.page.locator("#input-table tbody").inner_text()
    assert "beantwoord" in answered and "Reisbureaus melden annuleringen" in answered

    # 4. The CPO builds the skeleton from the dossier, then writes two recommendations.
    page = cpo.page
    cpo.goto(detail)
    page.get_by_role("link", name="Adviestekst").click()
    page.wait_for_url(f"**{detail}tekst/")
    landmarks(page)
    submit(page, "Opzet uit dossier maken", f"**{detail}tekst/")
    assert "De opzet uit het dossier is opgeslagen als versie 1." in alert_text(page)
    assert (
        "Mondkapjesplicht vluchten uit China"
        in page.get_by_label("Samenvatting", exact=True).input_value()
    )
    page.get_by_label("Advies", exact=True).fill(
        "\n".join(f"{n}. {text}" for n, text in enumerate(RECOMMENDATIONS, start=1))
    )
    page.get_by_label("Toelichting bij deze versie (optioneel)").fill("Aanbevelingen")
    submit(page, "Opslaan als nieuwe versie", f"**{detail}tekst/")
    assert "Opgeslagen als versie 2." in alert_text(page)
    assert page.get_by_label("Advies", exact=True).input_value().startswith("1. Voer een")

    # 5. Final draft (the button on the detail page), then the CPO opens a vote.
    cpo.goto(detail)
    submit(page, "eindconcept", f"**{detail}")
    assert "De status is nu: eindconcept." in alert_text(page)
    page.get_by_role("link", name="Besluitvorming en stemming").click()
    page.wait_for_url(f"**{detail}stemming/")
    landmarks(page)
    assert page.get_by_label("Quorum (deel van de stemgerechtigden)").input_value() == "0.5"
    submit(page, "Stemming openen", f"**{detail}stemming/")
    assert "De stemming is geopend." in alert_text(page)

    # 6. A member disagrees without a reason: refused, the error is on the field.
    member3 = person("lid3", (400, f"{detail}stemming/stemmen/"))
    member3.goto(f"{detail}stemming/")
    page = member3.page
    page.get_by_label("oneens", exact=True).check()
    submit(page, "Stem uitbrengen", f"**{detail}stemming/stemmen/")
    error = page.locator("#id_vote-reason_error")
    assert error.is_visible() and error.inner_text().strip(), page.content()[:3000]
    reason = page.get_by_label("Toelichting", exact=True)
    assert "id_vote-reason_error" in (reason.get_attribute("aria-describedby") or "").split()
    assert reason.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("oneens", exact=True).is_checked()  # the choice is kept
    reason.focus()
    assert page.evaluate("() => document.activeElement.id") == "id_vote-reason"
    # With the reason, sent with the keyboard.
    page.keyboard.type(DISSENT)
    tab_to_button(page, "Stem uitbrengen")
    press_enter(page, f"**{detail}stemming/")
    assert "Uw stem is vastgelegd." in alert_text(page)
    assert DISSENT in page.locator("main").inner_text()

    # The chair and two members agree; the expert member gives a position (not counted).
    chair = person("voorzitter")
    vote(chair, key, "eens")
    for username in ("lid1", "lid2"):
        vote(person(username), key, "eens")
    expert = person("expertlid")
    vote(expert, key, "eens met voorbehoud", POSITION, position=True)

    # 7. The chair closes with a minority position, aligns, signs and sends.
    page = chair.page
    chair.goto(f"{detail}stemming/")
    tally = page.get_by_role("table", name="Telling").locator("tbody td").all_inner_texts()
    # agree, with reservations, disagree, abstain, cast, quorum, standing, positions
    assert tally[:5] == ["3", "0", "1", "0", "4 van 4"], tally
    assert tally[6:] == ["meerderheid, met minderheidsstandpunt", "1"], tally
    page.get_by_label("Minderheidsstandpunt", exact=True).fill(MINORITY)
    submit(page, "Stemming sluiten", f"**{detail}stemming/")
    assert "Uitkomst: meerderheid, met minderheidsstandpunt." in alert_text(page)
    chair.goto(detail)
    submit(page, "afstemming voorzitters (OMT, responsteam, MIT)", f"**{detail}")
    assert "Status: afstemming voorzitters" in page.locator("main .paraat-meta").first.inner_text()
    page.get_by_role("link", name="Ondertekenen, verzenden en publiceren").click()
    page.wait_for_url(f"**{detail}verzenden/")
    landmarks(page)
    submit(page, "Advies ondertekenen", f"**{detail}verzenden/")
    assert "Het advies is ondertekend" in alert_text(page)
    assert page.get_by_label("Geadresseerde").input_value() == "Secretaris-generaal van SZW"
    submit(page, "Verzenden", "**/taken/**")
    job = Job.objects.get(kind=DISPATCH_KIND)
    assert page.url.endswith(f"/{job.pk}/")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert page.locator("#job").get_attribute("data-finished") == "1"
    assert page.locator("#job-progress").get_attribute("value") == "100"
    assert Dispatch.objects.filter(request__key=key).exists()
    chair.goto(detail)
    assert "Status: onder embargo" in page.locator("main .paraat-meta").first.inner_text()

    # 8. Under embargo nothing is public.
    public = person(None, (404, f"/adviezen/{key}/"))
    public.goto("/adviezen/")
    assert "Er zijn nog geen gepubliceerde adviezen." in public.page.locator("main").inner_text()
    assert TITLE not in public.page.content()
    public.goto(f"/adviezen/{key}/", status=404)

    # 9. The expert member reflects; the CPO lifts the embargo and publishes.
    page = expert.page
    expert.goto(f"{detail}verzenden/")
    page.get_by_role("textbox", name="Reflectie").fill("Reflectie van het SCP (fictief).")
    submit(page, "Reflectie toevoegen", f"**{detail}verzenden/")
    assert "Uw reflectie is toegevoegd." in alert_text(page)
    page = cpo.page
    cpo.goto(f"{detail}verzenden/")
    submit(page, "Embargo opheffen en publiceren", f"**{detail}verzenden/")
    assert "Het embargo is opgeheven; het advies is openbaar." in alert_text(page)

    # 10. The public page: the advice, the majority with the minority position; no voters.
    page = public.page
    public.goto("/adviezen/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/adviezen/{key}/")
    landmarks(page)
    text = page.locator("main").inner_text()
    assert "bij meerderheid vastgesteld" in text and MINORITY in text
    advice_items = page.locator("#section-advice + ol li").all_inner_texts()
    assert advice_items == list(RECOMMENDATIONS), advice_items
    assert "Reflectie van het SCP (fictief)." in text
    html = page.content()
    for secret in (DISSENT, POSITION, "voorzitter", "lid1", "lid2", "lid3", "expertlid"):
        assert secret not in html, secret
    for person_ in (cast["chair"], *cast["members"], cast["expert"]):
        assert person_.get_full_name() not in html, person_.username

    # 11. SZW records the cabinet's response per recommendation.
    page = szw.page
    szw.goto(detail)
    page.get_by_role("link", name="Kabinetsreactie en opvolging").click()
    page.wait_for_url(f"**{detail}kabinetsreactie/")
    landmarks(page)
    form = page.get_by_role("form", name="Kabinetsreactie vastleggen")
    form.get_by_label("Datum").fill(timezone.localdate().isoformat())
    form.get_by_label("Document").fill("Kamerbrief over reizigers uit China (fictief)")
    form.get_by_label("Status van aanbeveling 1").select_option(label="overgenomen")
    form.get_by_label("Status van aanbeveling 2").select_option(label="niet overgenomen")
    form.get_by_label("Motivering bij aanbeveling 2").fill(JUSTIFICATION)
    submit(page, "Kabinetsreactie vastleggen", f"**{detail}kabinetsreactie/")
    assert "De kabinetsreactie is vastgelegd." in alert_text(page)

    # 12. The public page shows the status of each recommendation.
    page = public.page
    public.goto(f"/adviezen/{key}/")
    rows = [
        [" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()]
        for row in page.get_by_role("table", name="Status per aanbeveling")
        .locator("tbody tr")
        .all()
    ]
    assert rows == [
        ["1", RECOMMENDATIONS[0], "overgenomen", "–"],
        ["2", RECOMMENDATIONS[1], "niet overgenomen", JUSTIFICATION],
    ], rows
    assert "kabinetsreactie ontvangen" in page.locator(".paraat-dl").inner_text()

    for visitor, expected in visitors:
        assert visitor.unexpected_errors(expected) == [], visitor.errors
