"""Editing indicator definitions and their release calendar on the management pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.indicators.manage_forms import release_calendar_parse, release_calendar_text
from paraat.indicators.models import Indicator, ReleaseDate
from paraat.indicators.services import (
    ObservationInput,
    indicator_definition_save,
    observations_store,
    release_calendar_set,
)
from paraat.indicators.tests.factories import IndicatorFactory, ReleaseDateFactory
from paraat.taxonomies.tests.factories import DomainFactory
from paraat_core.periods import parse_period

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/inloggen/"
LIST = "/maatschappelijk-beeld/beheer/indicatoren/"
NEW = "/maatschappelijk-beeld/beheer/indicatoren/nieuw/"


def _edit(key: str) -> str:
    return reverse("indicator_manage:indicator_edit", args=[key])


@pytest.fixture
def users():  # type: ignore[no-untyped-def]
    roles_sync()
    # An analyst who may change indicators but not see confidential ones.
    editor = UserFactory(username="redacteur", roles=[roles.ANALYST])
    editor.user_permissions.add(
        Permission.objects.get(codename="change_indicator", content_type__app_label="indicators")
    )
    return {
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
        "admin": UserFactory(username="beheer", roles=[roles.ADMIN]),
        "editor": editor,
    }


def _status(client, user, url: str, method: str = "get", data=None) -> int | str:  # type: ignore[no-untyped-def]
    """The status code, or "login" for a redirect to the login page."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and response.url.startswith(LOGIN + "?next="):
        return "login"
    return response.status_code


def _form(**changes: Any) -> dict[str, Any]:
    """A complete POST of the indicator form."""
    data: dict[str, Any] = {
        "key": "werkloosheid",
        "name_nl": "Werkloosheid",
        "name_en": "Unemployment",
        "description": "Werkloze beroepsbevolking als deel van de beroepsbevolking.",
        "domain": "werk-en-inkomen",
        "unit": "%",
        "polarity": "higher_worse",
        "frequency": "month",
        "publication_lag_days": "15",
        "speed": "fast",
        "source": "CBS",
        "source_url": "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/80590ned",
        "source_table": "80590ned",
        "source_topic": "Werkloosheidspercentage_12",
        "licence": "CC BY 4.0",
        "method_note": "Seizoengecorrigeerd.",
        "breakdowns": '{"Geslacht": {"title": "Geslacht", "values": {"T001038": "Totaal"}}}',
        "headline_breakdown": "Geslacht=T001038",
        "threshold_warning": "5",
        "threshold_alert": "6,5",
        "confidentiality": "public",
        "release_calendar": (
            "2021-03-15 2021MM02 werkloosheid februari\n"
            "\n"
            "2021-04-15 2021mm03\n"
            "2021-05-17 - 3 maanden na de lockdown\n"
            "2021-06-15 juni-cijfers\n"
        ),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def domain():  # type: ignore[no-untyped-def]
    return DomainFactory(key="werk-en-inkomen", name_nl="Werk en inkomen")


# --- who may do what ----------------------------------------------------------------------------


def test_pages_by_role(client, users) -> None:  # type: ignore[no-untyped-def]
    IndicatorFactory(key="werkloosheid")
    assert reverse("indicator_manage:indicator_list") == LIST
    assert reverse("indicator_manage:indicator_create") == NEW
    assert _edit("werkloosheid") == LIST + "werkloosheid/bewerken/"
    pages = [LIST, NEW, _edit("werkloosheid")]
    for url in pages:
        assert _status(client, None, url) == "login", url
        assert _status(client, None, url, "post", _form(name_nl="Anders")) == "login", url
        assert _status(client, users["analyst"], url) == 403, url
        assert _status(client, users["analyst"], url, "post", _form(name_nl="Anders")) == 403
        assert _status(client, users["cpo"], url) == 200, url
        assert _status(client, users["admin"], url) == 200, url
    assert Indicator.objects.get().name_nl != "Anders"
    # May change but not add: the list and the edit page, not the new page.
    assert _status(client, users["editor"], LIST) == 200
    assert _status(client, users["editor"], _edit("werkloosheid")) == 200
    assert _status(client, users["editor"], NEW) == 403
    assert _status(client, users["cpo"], _edit("bestaat-niet")) == 404


def test_overview_links_to_the_list(client, users) -> None:  # type: ignore[no-untyped-def]
    client.force_login(users["cpo"])
    page = client.get(reverse("indicator_manage:overview")).content.decode()
    assert f'href="{LIST}"' in page
    client.force_login(users["admin"])
    page = client.get(LIST).content.decode()
    assert f'href="{NEW}"' in page and "Nieuwe indicator" in page


# --- create and edit ----------------------------------------------------------------------------


def test_create_and_edit_round_trip_with_the_calendar(client, users, domain) -> None:  # type: ignore[no-untyped-def]
    client.force_login(users["cpo"])
    response = client.post(NEW, _form())
    assert response.status_code == 302 and response.url == LIST
    indicator = Indicator.objects.get(key="werkloosheid")
    assert (indicator.name_nl, indicator.name_en, indicator.unit) == (
        "Werkloosheid",
        "Unemployment",
        "%",
    )
    assert indicator.domain == domain
    assert (indicator.polarity, indicator.frequency, indicator.speed) == (
        "higher_worse",
        "month",
        "fast",
    )
    assert indicator.publication_lag_days == 15
    assert indicator.source_table == "80590ned" and indicator.licence == "CC BY 4.0"
    assert indicator.source_url.endswith("80590ned") and indicator.method_note
    assert indicator.breakdowns == {
        "Geslacht": {"title": "Geslacht", "values": {"T001038": "Totaal"}}
    }
    assert indicator.headline_breakdown == "Geslacht=T001038"
    assert (indicator.threshold_warning, indicator.threshold_alert) == (5.0, 6.5)
    assert indicator.confidentiality == Confidentiality.PUBLIC and not indicator.is_synthetic
    releases = list(indicator.releases.values_list("expected_on", "period_code", "note"))
    assert releases == [
        (dt.date(2021, 3, 15), "2021MM02", "werkloosheid februari"),
        (dt.date(2021, 4, 15), "2021MM03", ""),  # the canonical code
        (dt.date(2021, 5, 17), "", "3 maanden na de lockdown"),
        (dt.date(2021, 6, 15), "", "juni-cijfers"),
    ]
    listing = client.get(LIST).content.decode()
    assert "werkloosheid" in listing and "2021-06-15" in listing and "Werk en inkomen" in listing
    assert f'href="{_edit("werkloosheid")}"' in listing

    # The edit page shows what was saved; the calendar reads back to the same entries.
    page = client.get(_edit("werkloosheid")).content.decode()
    assert "2021-03-15 2021MM02 werkloosheid februari" in page
    assert "2021-05-17 - 3 maanden na de lockdown" in page
    assert 'name="key"' not in page and 'value="Werkloosheid"' in page
    assert '<option value="werk-en-inkomen" selected>' in page

    # Edit: other lag and name, one release moved, one changed, one removed; the code stays.
    response = client.post(
        _edit("werkloosheid"),
        _form(
            key="iets-anders",
            name_nl="Werkloosheid (15-75 jaar)",
            publication_lag_days="20",
            domain="",
            threshold_alert="",
            release_calendar=(
                "2021-03-15 2021MM02 februari\n2021-04-16 2021MM03\n2021-06-15 2021MM05\n"
            ),
        ),
    )
    assert response.status_code == 302
    assert not Indicator.objects.filter(key="iets-anders").exists()
    indicator = Indicator.objects.get(key="werkloosheid")
    assert indicator.name_nl == "Werkloosheid (15-75 jaar)"
    assert indicator.publication_lag_days == 20
    assert indicator.domain is None and indicator.threshold_alert is None
    assert list(indicator.releases.values_list("expected_on", "period_code", "note")) == [
        (dt.date(2021, 3, 15), "2021MM02", "februari"),
        (dt.date(2021, 4, 16), "2021MM03", ""),
        (dt.date(2021, 6, 15), "2021MM05", ""),
    ]
    listing = client.get(LIST).content.decode()
    assert "2021-06-15" in listing and "Werkloosheid (15-75 jaar)" in listing

    # An empty calendar clears it.
    client.post(_edit("werkloosheid"), _form(release_calendar=""))
    assert not ReleaseDate.objects.exists()
    assert "geen kalender" in client.get(LIST).content.decode()


def test_the_calendar_text_reads_back() -> None:
    releases = [
        ReleaseDate(expected_on=dt.date(2021, 3, 15), period_code="2021MM02", note="feb"),
        ReleaseDate(expected_on=dt.date(2021, 4, 15), period_code="", note="2e publicatie"),
        ReleaseDate(expected_on=dt.date(2021, 5, 15), period_code="", note="- los"),
        ReleaseDate(expected_on=dt.date(2021, 6, 15), period_code="", note="juni"),
        ReleaseDate(expected_on=dt.date(2021, 7, 15), period_code="2021KW02", note=""),
    ]
    text = release_calendar_text(releases)
    assert release_calendar_parse(text) == [
        (r.expected_on, r.period_code, r.note) for r in releases
    ]


@pytest.mark.parametrize(
    ("calendar", "expected"),
    [
        (
            "2021-03-15 2021MM02\nmaart 2021 2021MM03\n",
            "regel 2: geen datum aan het begin van de regel; schrijf JJJJ-MM-DD",
        ),
        ("2021-03-15\n\n2021-02-30 2021MM01\n", "regel 3: 2021-02-30 is geen bestaande datum."),
        (
            "2021-03-15 2021MM02\n2021-04-15 2021MM03\n2021-05-15 2021MM13 mei\n",
            "regel 3: 2021MM13 is geen periodecode",
        ),
        ("2021-03-15 2021MM02\n2021-03-15 2021MM03\n", "regel 2: 2021-03-15 staat ook op regel 1."),
        ("0001-01-01\n", "regel 1: kies een datum tussen 1900 en 2199."),
        ("2021-03-15 - " + "x" * 201 + "\n", "regel 1: de toelichting is langer dan 200 tekens."),
    ],
)
def test_a_bad_calendar_line_is_a_form_error_naming_the_line(  # type: ignore[no-untyped-def]
    client, users, domain, calendar, expected
) -> None:
    indicator = IndicatorFactory(key="werkloosheid", name_nl="Werkloosheid")
    ReleaseDateFactory(indicator=indicator, expected_on=dt.date(2020, 12, 15))
    client.force_login(users["cpo"])
    response = client.post(
        _edit("werkloosheid"), _form(name_nl="Gewijzigd", release_calendar=calendar)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page
    assert "Het formulier bevat fouten; niets is opgeslagen." in page
    assert 'href="#id_release_calendar"' in page  # the error summary links to the field
    indicator.refresh_from_db()
    assert indicator.name_nl == "Werkloosheid"
    assert list(indicator.releases.values_list("expected_on", flat=True)) == [dt.date(2020, 12, 15)]
    # The same for a new indicator: nothing is created.
    response = client.post(NEW, _form(key="nieuw", release_calendar=calendar))
    assert response.status_code == 200 and expected in response.content.decode()
    assert not Indicator.objects.filter(key="nieuw").exists()


def test_other_bad_input_gives_form_errors(client, users, domain) -> None:  # type: ignore[no-untyped-def]
    IndicatorFactory(key="geheim", confidentiality=Confidentiality.CONFIDENTIAL, name_nl="Geheim")
    client.force_login(users["cpo"])
    cases = [
        (_form(key="geheim"), "key", "Er bestaat al een indicator met deze code"),
        (_form(key="Niet goed!"), "key", ""),
        (_form(name_nl=""), "name_nl", ""),
        (_form(polarity="omhoog"), "polarity", ""),
        (_form(domain="bestaat-niet"), "domain", ""),
        (_form(publication_lag_days="-1"), "publication_lag_days", ""),
        (_form(threshold_warning="veel"), "threshold_warning", ""),
        (_form(threshold_warning="inf"), "threshold_warning", ""),
        (_form(source_url="geen adres"), "source_url", ""),
        (_form(confidentiality="geheim"), "confidentiality", ""),
        (_form(breakdowns="{niet: json}"), "breakdowns", "Geen geldige JSON"),
        (_form(breakdowns='{"Geslacht": ["T001038"]}'), "breakdowns", "Geef per dimensie"),
    ]
    for data, field, expected in cases:
        response = client.post(NEW, data)
        assert response.status_code == 200, data
        page = response.content.decode()
        assert f'id="id_{field}_error"' in page and f'href="#id_{field}"' in page, field
        assert expected in page, expected
    geheim = Indicator.objects.get()
    assert geheim.name_nl == "Geheim" and geheim.confidentiality == Confidentiality.CONFIDENTIAL


def test_the_services_validate_and_save_together(domain) -> None:  # type: ignore[no-untyped-def]
    indicator = IndicatorFactory(key="werkloosheid", name_nl="Werkloosheid")
    ReleaseDateFactory(indicator=indicator, expected_on=dt.date(2020, 12, 15), note="oud")
    with pytest.raises(ValidationError) as error:
        release_calendar_set(
            indicator=indicator,
            entries=[
                (dt.date(2021, 1, 15), "2020MM12", ""),
                (dt.date(2021, 2, 15), "2021MM13", ""),
                (dt.date(2021, 1, 15), "", "dubbel"),
            ],
        )
    messages = error.value.message_dict["release_calendar"]
    assert messages[0].startswith("regel 2: '2021MM13' is geen periodecode")
    assert messages[1] == "regel 3: 2021-01-15 staat ook op regel 1"
    assert indicator.releases.get().note == "oud"

    # The calendar fails after the definition was written: the definition is rolled back.
    with pytest.raises(ValidationError):
        indicator_definition_save(
            key="werkloosheid",
            definition={"name_nl": "Anders", "frequency": "month"},
            release_calendar=[(dt.date(2021, 2, 15), "geen-code", "")],
        )
    indicator.refresh_from_db()
    assert indicator.name_nl == "Werkloosheid"
    with pytest.raises(ValidationError) as error:
        indicator_definition_save(
            key="werkloosheid",
            definition={"name_nl": "Anders"},
            release_calendar=[],
            create=True,
        )
    assert "key" in error.value.message_dict

    assert (
        release_calendar_set(
            indicator=indicator,
            entries=[(dt.date(2020, 12, 15), "2020-11", "nieuw"), (dt.date(2021, 1, 15), "", "")],
        )
        == 2
    )
    assert list(indicator.releases.values_list("expected_on", "period_code", "note")) == [
        (dt.date(2020, 12, 15), "2020-11", "nieuw"),
        (dt.date(2021, 1, 15), "", ""),
    ]


# --- confidentiality ----------------------------------------------------------------------------


def test_an_indicator_the_user_may_not_see_is_not_found(client, users, domain) -> None:  # type: ignore[no-untyped-def]
    IndicatorFactory(key="geheim", name_nl="Geheim", confidentiality=Confidentiality.CONFIDENTIAL)
    IndicatorFactory(key="intern", name_nl="Intern", confidentiality=Confidentiality.INTERNAL)
    editor = users["editor"]
    assert _status(client, editor, _edit("geheim")) == 404
    assert _status(client, editor, _edit("geheim"), "post", _form(name_nl="Gelekt")) == 404
    assert Indicator.objects.get(key="geheim").name_nl == "Geheim"
    listing = client.get(LIST).content.decode()
    assert "<code>intern</code>" in listing and "<code>geheim</code>" not in listing
    assert _edit("geheim") not in listing
    # They cannot make an indicator confidential (it would vanish from their sight).
    page = client.get(_edit("intern")).content.decode()
    assert 'value="confidential"' not in page
    response = client.post(_edit("intern"), _form(confidentiality="confidential"))
    assert response.status_code == 200
    assert 'id="id_confidentiality_error"' in response.content.decode()
    assert Indicator.objects.get(key="intern").confidentiality == Confidentiality.INTERNAL
    # Someone who may see confidential items edits it.
    assert _status(client, users["cpo"], _edit("geheim")) == 200


# --- freshness against the new calendar ---------------------------------------------------------


def test_freshness_uses_the_calendar_from_the_form(client, users) -> None:  # type: ignore[no-untyped-def]
    """A yearly series, two years behind, published 400 days after the year: by the lag rule
    last year is due early next year; the calendar announces it on 15 January instead."""
    year = timezone.localdate().year
    indicator = IndicatorFactory(
        key="armoede",
        name_nl="Armoede",
        frequency="year",
        publication_lag_days=400,
        confidentiality=Confidentiality.PUBLIC,
    )
    observations_store(
        indicator=indicator,
        rows=[ObservationInput(period=parse_period(f"{year - 2}JJ00"), value=5.0)],
        vintage=timezone.now(),
    )
    api = APIClient()
    url = "/api/v1/indicators/armoede/freshness/"
    before = api.get(url).json()
    deadline = dt.date(year - 1, 12, 31) + dt.timedelta(days=400)
    assert before["latest_period"] == f"{year - 2}JJ00"
    assert before["status"] == "current" and before["next_release"] == deadline.isoformat()

    client.force_login(users["cpo"])
    release = dt.date(year + 1, 1, 15)
    response = client.post(
        _edit("armoede"),
        _form(
            key=None,
            name_nl="Armoede",
            domain="",
            frequency="year",
            publication_lag_days="400",
            breakdowns="",
            headline_breakdown="",
            release_calendar=f"{release.isoformat()} {year - 1}JJ00 armoede {year - 1}\n",
        ),
    )
    assert response.status_code == 302
    after = api.get(url).json()
    assert after["status"] == "current"
    assert after["next_release"] == release.isoformat()
    assert "release calendar" in after["reason"]
