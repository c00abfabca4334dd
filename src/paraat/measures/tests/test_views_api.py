from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.measures.models import Measure, Package
from paraat.measures.tests.factories import (
    JurisdictionFactory,
    MeasureFactory,
    PackageFactory,
    PackageItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpo():
    roles_sync()
    return UserFactory(username="cpo-test", roles=[roles.CPO])


@pytest.fixture
def analyst():
    roles_sync()
    return UserFactory(username="analist-test", roles=[roles.ANALYST])


def test_measure_list_filters(client) -> None:
    MeasureFactory(key="scholen", name_nl="Scholen dicht", oxcgrt_indicator="C1", level=3)
    MeasureFactory(key="avondklok", name_nl="Avondklok", oxcgrt_indicator="C6", level=2)
    content = client.get("/maatregelen/?indicator=C6").content.decode()
    assert "Avondklok" in content and "Scholen dicht" not in content
    content = client.get("/maatregelen/?q=scholen").content.decode()
    assert "Scholen dicht" in content and "Avondklok" not in content


def test_measure_edit_through_ui_keeps_history(client, cpo) -> None:
    measure = MeasureFactory(
        key="mondkapjes", name_nl="Mondkapjesplicht", oxcgrt_indicator="H6", level=3
    )
    client.force_login(cpo)
    response = client.post(
        reverse("measures:measure_edit", args=["mondkapjes"]),
        {
            "key": "mondkapjes",
            "name_nl": "Mondkapjesplicht binnen",
            "name_en": "Masks indoors",
            "description_nl": "",
            "description_en": "",
            "category": "containment",
            "oxcgrt_indicator": "H6",
            "level": "3",
            "geographic_scope": "general",
            "legal_basis": "Twm",
            "coding_note": "",
            "confidentiality": "public",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert measure.name_nl == "Mondkapjesplicht binnen"
    entry = LogEntry.objects.get_for_object(measure).filter(action=LogEntry.Action.UPDATE).first()
    assert entry is not None and entry.actor == cpo
    assert entry.changes_dict["name_nl"] == ["Mondkapjesplicht", "Mondkapjesplicht binnen"]
    page = client.get(reverse("measures:measure_detail", args=["mondkapjes"])).content.decode()
    assert "Wijzigingsgeschiedenis" in page and "Mondkapjesplicht binnen" in page


def test_measure_edit_with_bad_level_shows_message_not_500(client, cpo) -> None:
    MeasureFactory(key="evenementen", oxcgrt_indicator="C3", level=2)
    client.force_login(cpo)
    response = client.post(
        reverse("measures:measure_edit", args=["evenementen"]),
        {
            "key": "evenementen",
            "name_nl": "Evenementen",
            "category": "containment",
            "oxcgrt_indicator": "C3",
            "level": "7",
            "geographic_scope": "general",
            "confidentiality": "public",
        },
    )
    assert response.status_code == 200
    assert "buiten 0–2" in response.content.decode()


def test_analyst_cannot_edit(client, analyst) -> None:
    MeasureFactory(key="m1")
    client.force_login(analyst)
    assert client.get(reverse("measures:measure_edit", args=["m1"])).status_code == 403
    assert client.get(reverse("measures:measure_create")).status_code == 403


def test_package_create_through_ui_with_items(client, cpo) -> None:
    MeasureFactory(key="horeca-dicht", oxcgrt_indicator="C2", level=2)
    nl = JurisdictionFactory()
    client.force_login(cpo)
    response = client.post(
        reverse("measures:package_create"),
        {
            "key": "sectorplan-horeca",
            "name_nl": "Sectorplan horeca",
            "kind": "plan",
            "jurisdiction": nl.pk,
            "scope": "general",
            "scenario_level": "flu_plus",
            "confidentiality": "internal",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-measure": Measure.objects.get(key="horeca-dicht").pk,
            "items-0-level": "",
            "items-0-geographic_scope": "general",
            "items-0-applies_to": "everyone",
            "items-1-measure": "",
            "items-1-geographic_scope": "general",
            "items-1-applies_to": "everyone",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    package = Package.objects.get(key="sectorplan-horeca")
    assert package.items.get().level == 2
    page = client.get(reverse("measures:package_detail", args=["sectorplan-horeca"]))
    assert "StringencyIndex_WeightedAverage" in page.content.decode()


def test_api_measure_crud_and_validation(client, cpo) -> None:
    client.force_login(cpo)
    payload = {
        "key": "reisadvies",
        "name_nl": "Negatief reisadvies",
        "category": "containment",
        "oxcgrt_indicator": "C8",
        "level": 3,
    }
    response = client.post("/api/v1/measures/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["level"] == 3
    payload["level"] = 9
    response = client.put("/api/v1/measures/reisadvies/", payload, content_type="application/json")
    assert response.status_code == 400
    assert "level" in response.json()
    response = client.post("/api/v1/measures/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_api_write_requires_rights(client, analyst) -> None:
    payload = {"key": "k", "name_nl": "K", "category": "other"}
    assert client.post(
        "/api/v1/measures/", payload, content_type="application/json"
    ).status_code in (401, 403)
    client.force_login(analyst)
    assert (
        client.post("/api/v1/measures/", payload, content_type="application/json").status_code
        == 403
    )


def test_api_package_with_items_and_indices(client, cpo) -> None:
    MeasureFactory(key="scholen", oxcgrt_indicator="C1", level=3)
    nl = JurisdictionFactory()
    client.force_login(cpo)
    payload = {
        "key": "scholen-pakket",
        "name_nl": "Scholen",
        "jurisdiction": nl.pk,
        "kind": "plan",
        "confidentiality": "public",
        "items": [{"measure": "scholen"}],
    }
    response = client.post("/api/v1/packages/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    data = client.get("/api/v1/packages/scholen-pakket/indices/").json()
    assert data["indices"]["StringencyIndex_NonVaccinated"] == pytest.approx(11.11, abs=0.01)
    bad = client.get("/api/v1/packages/scholen-pakket/indices/?vaccinated_percent=abc")
    assert bad.status_code == 400
    payload["items"] = [{"measure": "bestaat-niet"}]
    response = client.put(
        "/api/v1/packages/scholen-pakket/", payload, content_type="application/json"
    )
    assert response.status_code == 400


def test_timeline_page_and_csv(client) -> None:
    import datetime as dt

    from paraat.measures.models import IndexValue

    nl = JurisdictionFactory()
    IndexValue.objects.create(
        jurisdiction=nl,
        date=dt.date(2020, 3, 23),
        index="StringencyIndex_Average",
        source="published",
        value=79.63,
    )
    package = PackageFactory(start_date=dt.date(2020, 3, 16), end_date=dt.date(2020, 5, 10))
    PackageItemFactory(package=package, measure=MeasureFactory(name_nl="Scholen dicht"))
    page = client.get("/tijdlijn/?day=2020-03-23").content.decode()
    assert "Scholen dicht" in page and "79.63" in page.replace(",", ".")
    assert "Oxford COVID-19 Government Response Tracker" in page
    assert "NICE" in page
    assert client.get("/tijdlijn/?day=kapot").status_code == 200
    csv_text = client.get("/tijdlijn/csv/").content.decode()
    assert csv_text.splitlines()[0].startswith("date,stringency_index_oxcgrt")
    assert "2020-03-23,79.63" in csv_text
    api = client.get("/api/v1/timeline/netherlands/?day=2020-03-23").json()
    assert api["day"]["measures"][0]["name"] == "Scholen dicht"
    assert client.get("/api/v1/timeline/netherlands/?day=2020-13-01").status_code == 400


def test_package_page_what_if_with_vaccinated_share(client) -> None:
    package = PackageFactory(key="ctb", vaccination_differentiation=True)
    measure = MeasureFactory(key="horeca", oxcgrt_indicator="C2", level=2)
    PackageItemFactory(package=package, measure=measure, applies_to="non_vaccinated", level=2)
    PackageItemFactory(package=package, measure=measure, applies_to="vaccinated", level=0)
    # NV: C2 = 2 general → 66.67 → stringency 7.41; V: 0. With 60 % vaccinated: 0.4 · 7.41 = 2.96.
    page = client.get("/pakketten/ctb/?vaccinated=60").content.decode()
    assert "2.96" in page.replace(",", ".")
    bad = client.get("/pakketten/ctb/?vaccinated=150")
    assert bad.status_code == 200 and "100" in bad.content.decode()


def test_add_a_timeline_event(client, cpo, analyst) -> None:
    JurisdictionFactory()
    client.force_login(analyst)
    assert client.get("/tijdlijn/gebeurtenis/").status_code == 403
    client.force_login(cpo)
    response = client.post(
        "/tijdlijn/gebeurtenis/",
        {
            "date": "2021-01-20",
            "title_nl": "Advies MIT over avondklok",
            "kind": "advice",
            "confidentiality": "public",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Advies MIT over avondklok" in page
    bad = client.post("/tijdlijn/gebeurtenis/", {"date": "kapot", "title_nl": "", "kind": "x"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
