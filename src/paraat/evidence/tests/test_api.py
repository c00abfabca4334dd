"""REST API v1 of the knowledge library: items, links, fiches, dossiers and exports.

Writes need model permissions; reads show only what the reader may see (404 otherwise).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.evidence import services
from paraat.evidence.models import EvidenceItem, Fiche, FicheEvent
from paraat.evidence.selectors import evidence_search
from paraat.evidence.tests.factories import EvidenceItemFactory, fiche_create
from paraat.measures.tests.factories import MeasureFactory, PackageFactory, PackageItemFactory
from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/evidence/"


def detail(pk: int) -> str:
    return f"/api/v1/evidence/{pk}/"


@pytest.fixture
def people():
    roles_sync()
    return {
        "analyst": UserFactory(username="analist-api", roles=[roles.ANALYST]),
        "expert": UserFactory(username="expert-api", roles=[roles.EXPERT_MEMBER]),
        "cpo": UserFactory(username="cpo-api", roles=[roles.CPO]),
    }


def api_as(user=None, *, token: bool = False) -> APIClient:
    client = APIClient()
    if user is not None and token:
        key = Token.objects.create(user=user).key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    elif user is not None:
        client.force_login(user)
    return client


NEW_ITEM = {
    "item_type": "report",
    "title": "Mentale gezondheid van studenten tijdens de lockdown",
    "knowledge_class": "scientific",
    "authors": ["Jansen, Anna", "Pietersen, Bram"],
    "organisation": "Trimbos-instituut",
    "published_on": "2021-04-01",
    "date_precision": "month",
    "doi": "https://doi.org/10.1234/Studenten.2021",
    "keywords": ["studenten", "eenzaamheid"],
    "summary": "Studenten voelden zich vaker eenzaam tijdens de lockdown.",
    "full_text": "Volledige tekst over somberheid bij studenten.",
    "certainty": "low",
    "certainty_downgrades": ["risk_of_bias"],
    "confidentiality": "public",
}


# --- items: list and detail -------------------------------------------------------------------


@pytest.fixture
def items():
    return {
        "public": EvidenceItemFactory(
            title="Openbaar rapport over avondklok", confidentiality=Confidentiality.PUBLIC
        ),
        "internal": EvidenceItemFactory(
            title="Interne notitie over avondklok", confidentiality=Confidentiality.INTERNAL
        ),
        "confidential": EvidenceItemFactory(
            title="Vertrouwelijk advies over avondklok",
            confidentiality=Confidentiality.CONFIDENTIAL,
        ),
    }


def test_list_shape_and_visibility(people, items) -> None:
    payload = api_as().get(LIST).json()
    assert set(payload) == {"count", "page", "pages", "results", "facets"}
    assert payload["count"] == 1 and payload["page"] == 1 and payload["pages"] == 1
    (row,) = payload["results"]
    assert set(row) == {
        "id",
        "ref",
        "title",
        "type",
        "knowledge_class",
        "certainty",
        "published_on",
        "is_synthetic",
        "score",
        "snippet_html",
    }
    assert row["title"] == "Openbaar rapport over avondklok"
    assert row["published_on"] == "2021-03-01"
    assert {r["title"] for r in api_as(people["analyst"]).get(LIST).json()["results"]} == {
        "Openbaar rapport over avondklok",
        "Interne notitie over avondklok",
    }
    assert api_as(people["cpo"], token=True).get(LIST).json()["count"] == 3


def test_list_pages_hold_fifty(people) -> None:
    for n in range(51):
        EvidenceItemFactory(title=f"Item {n}")
    first = api_as().get(LIST).json()
    second = api_as().get(LIST, {"page": 2}).json()
    assert first["count"] == 51 and first["pages"] == 2
    assert len(first["results"]) == 50 and len(second["results"]) == 1
    # nonsense page numbers fall back to the first page
    for page in ("0", "-1", "abc", "999999999"):
        response = api_as().get(LIST, {"page": page})
        assert response.status_code == 200 and response.json()["page"] == 1


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("anonymous", {"public"}),
        ("analyst", {"public", "internal"}),
        ("cpo", {"public", "internal", "confidential"}),
    ],
)
def test_detail_is_404_for_items_the_reader_may_not_see(people, items, who, visible) -> None:
    client = api_as(None if who == "anonymous" else people[who])
    for level, item in items.items():
        response = client.get(detail(item.pk))
        if level in visible:
            assert response.status_code == 200
            assert response.json()["title"] == item.title
        else:
            assert response.status_code == 404
            assert item.title.encode() not in response.content
    assert client.get(detail(999_999)).status_code == 404


def test_detail_fields_and_links_to_hidden_measures(people, items) -> None:
    secret_measure = MeasureFactory(
        key="geheime-maatregel", confidentiality=Confidentiality.CONFIDENTIAL
    )
    public_measure = MeasureFactory(key="openbare-maatregel")
    item = items["internal"]
    for measure in (secret_measure, public_measure):
        services.evidence_link_create(
            item=item, data=services.LinkData(measure=measure, direction="negative"), user=None
        )
    as_analyst = api_as(people["analyst"]).get(detail(item.pk)).json()
    assert [link["measure"] for link in as_analyst["links"]] == ["openbare-maatregel"]
    assert "geheime-maatregel" not in json.dumps(as_analyst)
    as_cpo = api_as(people["cpo"]).get(detail(item.pk)).json()
    assert {link["measure"] for link in as_cpo["links"]} == {
        "openbare-maatregel",
        "geheime-maatregel",
    }
    assert as_cpo["provenance"] and as_cpo["interests"]
    assert "full_text" not in as_cpo  # write-only


# --- items: create and update -----------------------------------------------------------------


@pytest.mark.parametrize("token", [True, False], ids=["token", "session"])
def test_create_with_permission(people, token) -> None:
    client = api_as(people["cpo"], token=token)
    response = client.post(LIST, NEW_ITEM, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    item = EvidenceItem.objects.get(pk=body["id"])
    assert item.title == NEW_ITEM["title"] and body["ref"] == item.ref
    assert item.submitted_by == people["cpo"]
    assert item.doi == "10.1234/studenten.2021"  # normalised
    assert item.authors == ["Jansen, Anna", "Pietersen, Bram"]
    assert item.published_on == dt.date(2021, 4, 1) and item.date_precision == "month"
    assert item.confidentiality == Confidentiality.PUBLIC
    assert body["provenance"].endswith(str(people["cpo"]))
    # the new item is searchable at once, also on words only in its full text
    found = evidence_search(user=AnonymousUser(), query="somberheid", with_facets=False)
    assert [hit.item.pk for hit in found.hits] == [item.pk]
    assert api_as().get(detail(item.pk)).status_code == 200


def test_create_defaults_to_internal(people) -> None:
    data = {"item_type": "expert_note", "title": "Kennisnotitie", "knowledge_class": "practice"}
    response = api_as(people["expert"]).post(LIST, data, format="json")
    assert response.status_code == 201, response.content
    item = EvidenceItem.objects.get(pk=response.json()["id"])
    assert item.confidentiality == Confidentiality.INTERNAL
    assert api_as().get(detail(item.pk)).status_code == 404


def test_create_without_permission(people) -> None:
    before = EvidenceItem.objects.count()
    anonymous = api_as().post(LIST, NEW_ITEM, format="json")
    assert anonymous.status_code in (401, 403)
    assert api_as(people["analyst"]).post(LIST, NEW_ITEM, format="json").status_code == 403
    assert (
        api_as(people["analyst"], token=True).post(LIST, NEW_ITEM, format="json").status_code == 403
    )
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert bad_token.post(LIST, NEW_ITEM, format="json").status_code == 401
    assert EvidenceItem.objects.count() == before


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"title": ""}, {"title"}),
        ({"title": None}, {"title"}),
        ({"item_type": "blog"}, {"item_type"}),
        ({"knowledge_class": "gut_feeling"}, {"knowledge_class"}),
        ({"certainty": "certain"}, {"certainty"}),
        ({"published_on": "2021-02-30"}, {"published_on"}),
        ({"published_on": "vorig jaar"}, {"published_on"}),
        ({"url": "geen url"}, {"url"}),
        ({"authors": "Jansen, Anna"}, {"authors"}),
        ({"confidentiality": "geheim"}, {"confidentiality"}),
        ({"certainty_downgrades": ["vibes"]}, {"certainty_downgrades"}),
        ({"title": "x" * 501}, {"title"}),
        # checked by the service, not the serializer: still 400 with the field name
        ({"doi": "niet-een-doi"}, {"doi"}),
        ({"certainty": "", "certainty_downgrades": ["imprecision"]}, {"certainty"}),
        ({"interests_status": "declared", "declared_interests": " "}, {"declared_interests"}),
        ({"title": "   "}, {"title"}),
    ],
)
def test_create_validation_errors_are_400_with_field_names(people, change, fields) -> None:
    before = EvidenceItem.objects.count()
    data = {**NEW_ITEM, **change}
    response = api_as(people["cpo"]).post(LIST, data, format="json")
    assert response.status_code == 400, response.content
    assert fields <= set(response.json())
    assert EvidenceItem.objects.count() == before


def test_create_with_missing_fields_and_broken_json(people) -> None:
    client = api_as(people["cpo"])
    response = client.post(LIST, {}, format="json")
    assert response.status_code == 400
    assert {"item_type", "title", "knowledge_class"} <= set(response.json())
    response = client.post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post(LIST, [1, 2], format="json")
    assert response.status_code == 400


def test_update_needs_change_permission_and_visibility(people, items) -> None:
    item = items["public"]
    data = {**NEW_ITEM, "title": "Nieuwe titel over de avondklok"}
    assert api_as(people["analyst"]).put(detail(item.pk), data, format="json").status_code == 403
    # the expert member may add items but not change them
    assert api_as(people["expert"]).put(detail(item.pk), data, format="json").status_code == 403
    response = api_as(people["cpo"]).put(detail(item.pk), data, format="json")
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.title == "Nieuwe titel over de avondklok"
    response = api_as(people["cpo"]).put(detail(item.pk), {**data, "doi": "x"}, format="json")
    assert response.status_code == 400 and "doi" in response.json()


def test_partial_update(people, items) -> None:
    item = items["public"]
    response = api_as(people["cpo"]).patch(
        detail(item.pk), {"title": "Alleen de titel"}, format="json"
    )
    assert response.status_code == 200, response.content[:500]
    item.refresh_from_db()
    assert item.title == "Alleen de titel"
    assert item.confidentiality == Confidentiality.PUBLIC


# --- links ------------------------------------------------------------------------------------


@pytest.fixture
def fiche_setup(people):
    measure = MeasureFactory(key="scholen-dicht", name_nl="Scholen dicht")
    fiche = fiche_create(measure, summary="Basisscholen dicht.", reviewer=people["cpo"])
    item = EvidenceItemFactory(title="Leerachterstanden na de sluiting")
    return {"measure": measure, "fiche": fiche, "item": item}


def links_url(item) -> str:
    return f"/api/v1/evidence/{item.pk}/links/"


def test_link_flags_the_fiche_for_review(people, fiche_setup) -> None:
    fiche, item = fiche_setup["fiche"], fiche_setup["item"]
    domain = DomainFactory(key="onderwijs", name_nl="Onderwijs")
    group = PopulationGroupFactory(key="kinderen", name_nl="Kinderen")
    assert not Fiche.objects.get(pk=fiche.pk).needs_review
    response = api_as(people["cpo"], token=True).post(
        links_url(item),
        {
            "measure": "scholen-dicht",
            "domain": "onderwijs",
            "group": "kinderen",
            "direction": "negative",
            "size": "moderate",
            "horizon": "long",
            "note": "Vooral in groep 8.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["measure"] == "scholen-dicht" and body["direction"] == "negative"
    link = item.links.get()
    assert body["id"] == link.pk
    assert (link.measure, link.domain, link.group) == (fiche_setup["measure"], domain, group)
    assert link.created_by == people["cpo"]
    fiche.refresh_from_db()
    assert fiche.needs_review
    event = FicheEvent.objects.get(fiche=fiche)
    assert event.kind == FicheEvent.Kind.FLAGGED and event.link == link
    # the fiche document (API) says so too
    document = api_as(people["cpo"]).get("/api/v1/fiches/scholen-dicht/").json()
    assert document["needs_review"] is True
    assert [f for f in api_as().get("/api/v1/fiches/").json() if f["needs_review"]]


def test_link_to_a_package_flags_the_fiches_of_its_measures(people, fiche_setup) -> None:
    package = PackageFactory(key="lockdown-maart")
    PackageItemFactory(package=package, measure=fiche_setup["measure"])
    response = api_as(people["cpo"]).post(
        links_url(fiche_setup["item"]), {"package": "lockdown-maart"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Fiche.objects.get(pk=fiche_setup["fiche"].pk).needs_review


def test_link_permissions(people, fiche_setup) -> None:
    item = fiche_setup["item"]
    data = {"measure": "scholen-dicht"}
    assert api_as().post(links_url(item), data, format="json").status_code in (401, 403)
    assert api_as(people["analyst"]).post(links_url(item), data, format="json").status_code == 403
    # may add items, but not links
    assert api_as(people["expert"]).post(links_url(item), data, format="json").status_code == 403
    assert not item.links.exists()
    assert not Fiche.objects.get(pk=fiche_setup["fiche"].pk).needs_review
    # GET is not allowed on the links action
    assert api_as(people["cpo"]).get(links_url(item)).status_code == 405


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "measure"),  # links nothing
        ({"measure": "bestaat-niet"}, "measure"),
        ({"package": "bestaat-niet"}, "package"),
        ({"domain": "bestaat-niet"}, "domain"),
        ({"group": "bestaat-niet"}, "group"),
        ({"measure": "scholen-dicht", "direction": "omhoog"}, "direction"),
        ({"measure": "scholen-dicht", "size": "enorm"}, "size"),
        ({"measure": "scholen-dicht", "horizon": "ooit"}, "horizon"),
        ({"measure": "geen slug!"}, "measure"),
    ],
)
def test_link_validation_errors(people, fiche_setup, data, field) -> None:
    response = api_as(people["cpo"]).post(links_url(fiche_setup["item"]), data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not fiche_setup["item"].links.exists()
    assert not Fiche.objects.get(pk=fiche_setup["fiche"].pk).needs_review


def test_link_to_a_measure_the_user_may_not_see_is_unknown(people, fiche_setup) -> None:
    MeasureFactory(key="geheim", confidentiality=Confidentiality.CONFIDENTIAL)
    roles_sync()
    # a beheerder-like user without view_confidential does not exist among the roles, so use
    # an analyst with the link permission granted directly
    from django.contrib.auth.models import Permission

    user = people["analyst"]
    user.user_permissions.add(
        Permission.objects.get(codename="add_evidenceitem"),
        Permission.objects.get(codename="add_evidencelink"),
    )
    response = api_as(user).post(links_url(fiche_setup["item"]), {"measure": "geheim"}, "json")
    assert response.status_code == 400 and "measure" in response.json()
    secret_item = EvidenceItemFactory(confidentiality=Confidentiality.CONFIDENTIAL)
    response = api_as(user).post(links_url(secret_item), {"measure": "scholen-dicht"}, "json")
    assert response.status_code == 404
    assert not secret_item.links.exists()


# --- fiches -----------------------------------------------------------------------------------


@pytest.fixture
def fiches(people):
    measure = MeasureFactory(key="avondklok", name_nl="Avondklok")
    mental = DomainFactory(key="mentale-gezondheid", name_nl="Mentale gezondheid", position=1)
    income = DomainFactory(key="inkomen", name_nl="Inkomen", position=2)
    young = PopulationGroupFactory(key="jongeren", name_nl="Jongeren")
    public_item = EvidenceItemFactory(
        title="Openbare studie JONGEREN-OPENBAAR", ref="studie-openbaar"
    )
    internal_item = EvidenceItemFactory(
        title="Interne analyse INKOMEN-INTERN",
        ref="analyse-intern",
        confidentiality=Confidentiality.INTERNAL,
    )
    fiche_create(
        measure,
        summary="Niemand mag 's avonds naar buiten.",
        key_evidence=(public_item, internal_item),
        cells=(
            services.CellData(
                domain=mental,
                group=young,
                direction="negative",
                size="moderate",
                certainty="low",
                note="Openbare toelichting",
                evidence=(public_item,),
            ),
            services.CellData(
                domain=income,
                direction="negative",
                size="small",
                note="Interne toelichting CEL-INTERN",
                evidence=(internal_item,),
                confidentiality=Confidentiality.INTERNAL,
            ),
        ),
    )
    fiche_create(MeasureFactory(key="interne-fiche"), confidentiality=Confidentiality.INTERNAL)
    fiche_create(MeasureFactory(key="geheime-fiche"), confidentiality=Confidentiality.CONFIDENTIAL)
    fiche_create(
        MeasureFactory(key="geheime-maatregel", confidentiality=Confidentiality.CONFIDENTIAL)
    )
    return {"public_item": public_item, "internal_item": internal_item}


def test_fiche_list_per_reader(people, fiches) -> None:
    def keys(client) -> set[str]:
        return {f["measure"] for f in client.get("/api/v1/fiches/").json()}

    assert keys(api_as()) == {"avondklok"}
    assert keys(api_as(people["analyst"])) == {"avondklok", "interne-fiche"}
    assert keys(api_as(people["cpo"])) == {
        "avondklok",
        "interne-fiche",
        "geheime-fiche",
        "geheime-maatregel",
    }
    row = next(f for f in api_as().get("/api/v1/fiches/").json() if f["measure"] == "avondklok")
    assert row["versions"] == 1 and row["name"] == "Avondklok"


def test_fiche_document_for_the_public(people, fiches) -> None:
    response = api_as().get("/api/v1/fiches/avondklok/")
    assert response.status_code == 200
    document = response.json()
    assert document["audience"] == "public"
    assert document["measure"]["key"] == "avondklok"
    assert document["version"]["number"] == 1
    assert [(c["domain"], c["group"]) for c in document["cells"]] == [
        ("mentale-gezondheid", "jongeren")
    ]
    assert [e["title"] for e in document["evidence"]] == [fiches["public_item"].title]
    assert document["cells"][0]["evidence"] == [1] and document["key_evidence"] == [1]
    assert [d["key"] for d in document["domains"]] == ["mentale-gezondheid"]
    for secret in (b"INKOMEN-INTERN", b"CEL-INTERN", b"analyse-intern", b"Interne toelichting"):
        assert secret not in response.content


def test_fiche_document_for_an_analyst(people, fiches) -> None:
    document = api_as(people["analyst"]).get("/api/v1/fiches/avondklok/").json()
    assert document["audience"] == "internal"
    assert {c["domain"] for c in document["cells"]} == {"mentale-gezondheid", "inkomen"}
    assert {e["ref"] for e in document["evidence"]} == {"studie-openbaar", "analyse-intern"}
    numbers = {e["ref"]: e["number"] for e in document["evidence"]}
    income = next(c for c in document["cells"] if c["domain"] == "inkomen")
    assert income["evidence"] == [numbers["analyse-intern"]]
    assert sorted(document["key_evidence"]) == sorted(numbers.values())


def test_fiche_detail_not_found(people, fiches) -> None:
    for key in ("interne-fiche", "geheime-fiche", "geheime-maatregel", "bestaat-niet"):
        assert api_as().get(f"/api/v1/fiches/{key}/").status_code == 404
    for key in ("geheime-fiche", "geheime-maatregel"):
        assert api_as(people["analyst"]).get(f"/api/v1/fiches/{key}/").status_code == 404
        assert api_as(people["cpo"]).get(f"/api/v1/fiches/{key}/").status_code == 200
    assert api_as().get("/api/v1/fiches/avondklok/", {"version": 1}).status_code == 200
    assert api_as().get("/api/v1/fiches/avondklok/", {"version": 2}).status_code == 404
    # a nonsense version means the newest
    assert api_as().get("/api/v1/fiches/avondklok/", {"version": "x"}).status_code == 200


def test_fiches_are_read_only(people, fiches) -> None:
    client = api_as(people["cpo"])
    assert client.post("/api/v1/fiches/", {}, format="json").status_code in (403, 405)
    assert client.delete("/api/v1/fiches/avondklok/").status_code in (403, 405)


# --- dossiers ---------------------------------------------------------------------------------


@pytest.fixture
def dossier(people):
    public_item = EvidenceItemFactory(title="Openbare bron DOSSIER-OPENBAAR", ref="bron-openbaar")
    internal_item = EvidenceItemFactory(
        title="Interne bron DOSSIER-INTERN",
        ref="bron-intern",
        confidentiality=Confidentiality.INTERNAL,
    )
    secret_item = EvidenceItemFactory(
        title="Geheime bron DOSSIER-GEHEIM",
        ref="bron-geheim",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    secret_measure = MeasureFactory(key="geheime-dossiermaatregel", confidentiality="confidential")
    services.dossier_save(
        dossier=None,
        key="eenzaamheid",
        title_nl="Eenzaamheid tijdens de pandemie",
        title_en="Loneliness during the pandemic",
        measures=[MeasureFactory(key="bezoekverbod"), secret_measure],
        reviewer=None,
        confidentiality=Confidentiality.PUBLIC,
        synthesis=(
            "Ouderen waren eenzamer [@bron-openbaar].\n\n"
            "Intern onderzoek bevestigt dit [@bron-intern] en [@bron-geheim]."
        ),
        open_questions="Hoe lang duurt het effect?\nWie herstelt het snelst?",
        items=[public_item, internal_item, secret_item],
        change_note="Eerste versie",
        user=people["cpo"],
    )
    services.dossier_create(
        key="intern-dossier", title_nl="Intern dossier", confidentiality="internal"
    )
    return {"public": public_item, "internal": internal_item, "secret": secret_item}


def test_dossier_for_the_public_blanks_hidden_citations(people, dossier) -> None:
    response = api_as().get("/api/v1/dossiers/eenzaamheid/")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Eenzaamheid tijdens de pandemie" and body["version"] == 1
    assert body["synthesis"] == (
        "Ouderen waren eenzamer [@bron-openbaar].\n\n"
        "Intern onderzoek bevestigt dit [niet openbaar] en [niet openbaar]."
    )
    assert [i["ref"] for i in body["items"]] == ["bron-openbaar"]
    assert body["measures"] == ["bezoekverbod"]
    assert body["open_questions"] == ["Hoe lang duurt het effect?", "Wie herstelt het snelst?"]
    for secret in (b"bron-intern", b"bron-geheim", b"DOSSIER-INTERN", b"DOSSIER-GEHEIM"):
        assert secret not in response.content
    assert b"geheime-dossiermaatregel" not in response.content


def test_dossier_for_an_analyst_and_the_cpo(people, dossier) -> None:
    body = api_as(people["analyst"]).get("/api/v1/dossiers/eenzaamheid/").json()
    assert "[@bron-intern]" in body["synthesis"] and "[niet openbaar]" in body["synthesis"]
    assert "bron-geheim" not in body["synthesis"]
    assert {i["ref"] for i in body["items"]} == {"bron-openbaar", "bron-intern"}
    assert body["measures"] == ["bezoekverbod"]
    body = api_as(people["cpo"]).get("/api/v1/dossiers/eenzaamheid/").json()
    assert "[niet openbaar]" not in body["synthesis"]
    assert {i["ref"] for i in body["items"]} == {"bron-openbaar", "bron-intern", "bron-geheim"}
    assert set(body["measures"]) == {"bezoekverbod", "geheime-dossiermaatregel"}


def test_dossier_list_and_not_found(people, dossier) -> None:
    assert [d["key"] for d in api_as().get("/api/v1/dossiers/").json()] == ["eenzaamheid"]
    keys = {d["key"] for d in api_as(people["analyst"]).get("/api/v1/dossiers/").json()}
    assert keys == {"eenzaamheid", "intern-dossier"}
    assert api_as().get("/api/v1/dossiers/intern-dossier/").status_code == 404
    assert api_as().get("/api/v1/dossiers/bestaat-niet/").status_code == 404
    # a dossier without any version yet
    assert api_as(people["analyst"]).get("/api/v1/dossiers/intern-dossier/").status_code == 404


# --- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["", "pdf", "CSV", "bibtex", "ris "])
def test_export_with_bad_format_is_400(people, export_format) -> None:
    response = api_as().get("/api/v1/evidence/export/", {"export_format": export_format})
    assert response.status_code == 400
    assert "export_format" in response.json()


def test_export_without_format_is_400() -> None:
    response = APIClient().get("/api/v1/evidence/export/")
    assert response.status_code == 400 and "export_format" in response.json()


@pytest.mark.parametrize(
    ("export_format", "content_type", "extension"),
    [
        ("csv", "text/csv", "csv"),
        ("ris", "application/x-research-info-systems", "ris"),
        ("csljson", "application/vnd.citationstyles.csl+json", "json"),
    ],
)
def test_export_formats(people, items, export_format, content_type, extension) -> None:
    response = api_as().get(
        "/api/v1/evidence/export/", {"export_format": export_format, "q": "avondklok"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Disposition"].rstrip('"').endswith(f".{extension}")
    content = response.content.decode()
    assert "Openbaar rapport over avondklok" in content
    assert "Interne notitie" not in content and "Vertrouwelijk advies" not in content
