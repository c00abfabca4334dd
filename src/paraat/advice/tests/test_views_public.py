"""The public pages of published advice (/adviezen/): register (HTML, CSV, JSON), the page per
advice with its documents, and the timeline against hospital admissions. Nothing is public
before publication, and the public never sees ballots or who cast them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.accounts.models import Confidentiality
from paraat.advice import services
from paraat.advice.models import AdviceRequest
from paraat.advice.tests import factories
from paraat.advice.views_public import REGISTER_COLUMNS, text_blocks
from paraat.indicators.models import Frequency, Observation
from paraat.indicators.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = {"pdf": ("a.pdf", b"%PDF-1.4 test"), "docx": ("a.docx", b"PK test")}


def _list() -> str:
    return reverse("advice_public:list")


def _timeline() -> str:
    return reverse("advice_public:timeline")


def _detail(advice: AdviceRequest) -> str:
    return reverse("advice_public:detail", args=[advice.key])


def _file(advice: AdviceRequest, fmt: str) -> str:
    return reverse("advice_public:file", args=[advice.key, fmt])


@pytest.fixture
def people(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    return factories.committee()


def _embargoed(people: dict[str, Any], **overrides: Any) -> AdviceRequest:
    advice = factories.request_make(actor=people["cpo"], **overrides)
    factories.decided(request=advice, people=people)
    services.advice_sign_off(request=advice, actor=people["chair"])
    services.advice_dispatch(request=advice, actor=people["chair"], documents=DOCUMENTS)
    return advice


def _published(people: dict[str, Any], **overrides: Any) -> AdviceRequest:
    advice = _embargoed(people, **overrides)
    services.advice_publish(request=advice, actor=people["cpo"])
    return advice


def _majority(people: dict[str, Any], **overrides: Any) -> AdviceRequest:
    """Decided by a majority: one member disagrees (with a reason), the expert member takes
    a position; the minority position is recorded."""
    advice = factories.request_make(actor=people["cpo"], **overrides)
    services.advice_revision_save(
        request=advice, sections=factories.SECTIONS, base_number=None, actor=people["cpo"]
    )
    services.advice_transition(request=advice, to="final_draft", actor=people["cpo"])
    round_ = services.decision_round_open(request=advice, actor=people["cpo"])
    chair, first, second, third = people["chair"], *people["members"]
    for voter in (chair, first, second):
        services.vote_cast(round_=round_, voter=voter, answers=[services.Answer("agree")])
    services.vote_cast(
        round_=round_,
        voter=third,
        answers=[services.Answer("disagree", "Geheime stemreden van het lid")],
    )
    services.vote_cast(
        round_=round_,
        voter=people["expert"],
        answers=[services.Answer("disagree", "Positie van het expertlid bij de stemming")],
    )
    services.decision_round_close(
        round_=round_,
        actor=chair,
        minority_position="Een minderheid vindt een test vóór vertrek onvoldoende onderbouwd.",
    )
    services.advice_transition(request=advice, to="alignment", actor=chair)
    services.advice_sign_off(request=advice, actor=chair)
    services.advice_dispatch(request=advice, actor=chair, documents=DOCUMENTS)
    services.advice_publish(request=advice, actor=people["cpo"])
    return advice


def _csv(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def _json(client: Client) -> dict[str, Any]:
    response = client.get(_list(), {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


# --- the register ------------------------------------------------------------------------------


def test_anonymous_sees_the_published_advice_in_the_register(client, people):
    advice = _published(people)
    response = client.get(_list())
    assert response.status_code == 200
    html = response.content.decode()
    assert advice.title in html
    assert _detail(advice) in html
    assert "synthetisch" in html  # demo data is labelled
    assert "gevraagd" in html and "spoedadvies" in html
    assert "gepubliceerd" in html
    # the staff pages are not linked
    assert "/adviesproces/" not in html


def test_register_csv_and_json_have_the_same_columns(client, people):
    advice = _published(people)
    services.cabinet_response_record(
        request=advice,
        actor=people["szw"],
        data=services.CabinetResponseData(
            date=dt.date(2023, 2, 1),
            title="Kabinetsreactie",
            statuses={1: ("adopted", ""), 2: ("not_adopted", "Te duur")},
        ),
    )
    rows = _csv(client, _list())
    assert list(rows[0].keys()) == REGISTER_COLUMNS
    assert len(rows) == 1
    row = rows[0]
    assert row["key"] == advice.key
    assert row["title"] == advice.title
    assert row["url"].endswith(_detail(advice))
    assert row["synthetic"] == "true"
    assert row["asked"] == "true"
    assert row["requester"] == "sg_szw"
    assert row["kind"] == "urgent"
    assert row["status"] == "cabinet_response"
    assert row["status_label"] == "kabinetsreactie ontvangen"
    assert row["cabinet_response_date"] == "2023-02-01"
    assert row["received_at"] and row["sent_at"] and row["published_at"]
    assert dt.datetime.fromisoformat(row["published_at"]).utcoffset() is not None

    data = _json(client)
    assert data["columns"] == REGISTER_COLUMNS
    [item] = data["items"]
    assert list(item.keys()) == REGISTER_COLUMNS
    assert item["asked"] is True and item["synthetic"] is True
    assert {k: str(v).lower() if isinstance(v, bool) else v for k, v in item.items()} == row


def test_unasked_advice_is_labelled_unasked(client, people):
    _published(people, requester="own_initiative", kind="long_term", title="Eigen initiatief")
    [row] = _csv(client, _list())
    assert row["asked"] == "false"
    assert row["kind"] == "long_term"
    html = client.get(_list()).content.decode()
    assert "ongevraagd" in html


def test_csv_cells_are_not_read_as_formulas(client, people):
    _published(people, title="=HYPERLINK(1)")
    [row] = _csv(client, _list())
    assert row["title"] == "'=HYPERLINK(1)"


# --- embargo and confidentiality --------------------------------------------------------------


def test_advice_under_embargo_is_nowhere_public(client, people):
    published = _published(people, title="Openbaar advies")
    hidden = _embargoed(people, title="Advies onder embargo")
    pages = [client.get(_list()), client.get(_timeline())]
    pages.append(client.get(_list(), {"format": "csv"}))
    pages.append(client.get(_list(), {"format": "json"}))
    pages.append(client.get(_timeline(), {"format": "csv"}))
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert published.title in body
        assert hidden.title not in body
        assert hidden.key not in body
    assert client.get(_detail(hidden)).status_code == 404
    assert client.get(_file(hidden, "pdf")).status_code == 404
    assert client.get(_file(hidden, "docx")).status_code == 404
    # staff who are logged in see the public pages as the public does
    client.force_login(people["cpo"])
    assert hidden.title not in client.get(_list()).content.decode()
    assert client.get(_detail(hidden)).status_code == 404
    assert client.get(_file(hidden, "pdf")).status_code == 404


def test_request_that_is_not_sent_is_not_public(client, people):
    advice = factories.request_make(actor=people["cpo"], title="Nog in behandeling")
    assert advice.title not in client.get(_list()).content.decode()
    assert client.get(_detail(advice)).status_code == 404


def test_confidential_title_appears_only_after_publication(client, people):
    title = "Vertrouwelijke aanvraag over grenscontroles"
    advice = _embargoed(people, title=title, confidentiality=Confidentiality.CONFIDENTIAL)
    for url, params in (
        (_list(), {}),
        (_list(), {"format": "csv"}),
        (_list(), {"format": "json"}),
        (_timeline(), {}),
        (_timeline(), {"format": "csv"}),
    ):
        assert title not in client.get(url, params).content.decode()
    assert client.get(_detail(advice)).status_code == 404

    services.advice_publish(request=advice, actor=people["cpo"])
    assert title in client.get(_list()).content.decode()
    assert client.get(_detail(advice)).status_code == 200


# --- the page per advice -----------------------------------------------------------------------


def test_detail_shows_the_sent_text_dates_and_downloads(client, people):
    advice = _published(people)
    response = client.get(_detail(advice))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{advice.title}</h1>" in html
    assert advice.question in html
    assert "Samenvatting." in html and "Onderbouwing." in html
    # the numbered advice lines are a numbered list
    assert "<ol><li>Geen inreisverbod.</li><li>Wel een test vóór vertrek.</li></ol>" in html
    assert "Verzonden aan de secretaris-generaal" in html
    assert _file(advice, "pdf") in html and _file(advice, "docx") in html
    assert "Synthetisch demo-advies" in html
    assert "Er is nog geen kabinetsreactie" in html
    assert "consensus" in html


def test_detail_text_is_escaped(client, people):
    advice = factories.request_make(
        actor=people["cpo"], question="Mag <script>alert(1)</script> hier staan?"
    )
    factories.decided(request=advice, people=people)
    services.advice_sign_off(request=advice, actor=people["chair"])
    services.advice_dispatch(request=advice, actor=people["chair"], documents=DOCUMENTS)
    services.advice_publish(request=advice, actor=people["cpo"])
    html = client.get(_detail(advice)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_documents_are_served_as_attachments(client, people):
    advice = _published(people)
    response = client.get(_file(advice, "pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{advice.key}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    factories.close_response(response)
    response = client.get(_file(advice, "docx"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK test"
    assert "wordprocessingml" in response["Content-Type"]
    factories.close_response(response)
    assert client.get(_file(advice, "exe")).status_code == 404


def test_detail_shows_minority_position_but_no_ballots_or_voters(client, people):
    advice = _majority(people)
    html = client.get(_detail(advice)).content.decode()
    assert "bij meerderheid" in html
    assert "Een minderheid vindt een test vóór vertrek onvoldoende onderbouwd." in html
    assert "Geheime stemreden van het lid" not in html
    assert "Positie van het expertlid bij de stemming" not in html
    everyone = [people["chair"], *people["members"], people["expert"], people["cpo"]]
    for person in everyone:
        assert person.get_full_name() not in html
        assert person.username not in html
    assert "Persoon" not in html
    for word in ("eens met voorbehoud", "onthouding", "oneens"):
        assert word not in html


def test_detail_shows_reflections_beside_the_advice(client, people):
    advice = _embargoed(people)
    services.reflection_add(
        request=advice,
        actor=people["expert"],
        body="Het SCP wijst op de gevolgen voor\n- reizigers\n- hun familie",
    )
    services.advice_publish(request=advice, actor=people["cpo"])
    html = client.get(_detail(advice)).content.decode()
    assert 'aria-labelledby="reflections-heading"' in html
    assert "Reflecties van de expertleden" in html
    aside = html.split('<aside class="advice-public-layout__aside paraat-card"')[1]
    assert ">SCP</h3>" in aside
    assert "Het SCP wijst op de gevolgen voor" in aside
    assert "<li>reizigers</li>" in aside
    assert people["expert"].get_full_name() not in html


def test_detail_shows_cabinet_response_per_recommendation_and_follow_up(client, people):
    advice = _published(people)
    services.cabinet_response_record(
        request=advice,
        actor=people["szw"],
        data=services.CabinetResponseData(
            date=dt.date(2023, 2, 1),
            title="Kabinetsreactie op het advies",
            statuses={1: ("adopted", ""), 2: ("not_adopted", "Te duur voor de luchtvaart")},
        ),
    )
    services.follow_up_add(
        request=advice,
        actor=people["szw"],
        kind="motion",
        title="Motie over reizigers",
        reference="36 200-XV nr. 12",
        date=dt.date(2023, 2, 10),
    )
    html = client.get(_detail(advice)).content.decode()
    assert "Kabinetsreactie op het advies" in html
    assert "Geen inreisverbod." in html
    assert "<td>overgenomen</td>" in html
    assert "<td>niet overgenomen</td>" in html
    assert "Te duur voor de luchtvaart" in html
    assert "Motie over reizigers" in html and "36 200-XV nr. 12" in html
    assert "<td>motie</td>" in html
    assert "opvolging" in html


# --- the timeline ------------------------------------------------------------------------------


def _hospital(*, confidentiality: str = Confidentiality.PUBLIC) -> Any:
    indicator = IndicatorFactory(
        key="nice-hospital-admissions-7d",
        name_nl="Covid-ziekenhuisopnames, 7-daags gemiddelde",
        unit="opnames per dag",
        frequency=Frequency.DAY,
        source="Coronadashboard, Rijksoverheid (RIVM, Stichting NICE)",
        source_url="https://coronadashboard.rijksoverheid.nl/",
        licence="Publiek domein (RIVM open data)",
        is_synthetic=False,
        confidentiality=confidentiality,
    )
    today = timezone.localdate()
    vintage = timezone.now()
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            period_code=(today - dt.timedelta(days=offset)).isoformat(),
            period_start=today - dt.timedelta(days=offset),
            period_end=today - dt.timedelta(days=offset),
            frequency=Frequency.DAY,
            value=40.0 + offset,
            vintage=vintage,
        )
        for offset in range(10)
    )
    return indicator


def test_timeline_without_hospital_indicator_shows_milestones_alone(client, people):
    advice = _published(people)
    response = client.get(_timeline())
    assert response.status_code == 200
    html = response.content.decode()
    assert "geen openbare reeks met ziekenhuisopnames" in html
    assert advice.title in html and _detail(advice) in html
    for label in (
        "Adviesaanvraag ontvangen",
        "Verzonden aan de secretaris-generaal",
        "Gepubliceerd",
    ):
        assert label in html
    assert "public-timeline.js" not in html
    rows = _csv(client, _timeline())
    assert list(rows[0].keys()) == ["date", "hospital_admissions_7d_avg", "milestones"]
    assert any(advice.title in row["milestones"] for row in rows)


def test_timeline_with_hospital_indicator_draws_the_chart_with_source(client, people):
    _hospital()
    advice = _published(people)
    html = client.get(_timeline()).content.decode()
    assert "public-timeline.js" in html and "chart.umd.min.js" in html
    assert 'id="advice-timeline-data"' in html
    assert "Publiek domein (RIVM open data)" in html
    assert "Coronadashboard, Rijksoverheid (RIVM, Stichting NICE)" in html
    assert "Hoogste waarde" in html and "49,0" in html  # 40 + 9 days ago
    assert advice.title in html
    rows = _csv(client, _timeline())
    today = timezone.localdate().isoformat()
    [row] = [r for r in rows if r["date"] == today]
    assert row["hospital_admissions_7d_avg"] == "40"
    assert advice.title in row["milestones"] and "gepubliceerd" in row["milestones"]


def test_timeline_ignores_a_hospital_indicator_that_is_not_public(client, people):
    _hospital(confidentiality=Confidentiality.INTERNAL)
    _published(people)
    client.force_login(people["cpo"])
    html = client.get(_timeline()).content.decode()
    assert "public-timeline.js" not in html
    assert "geen openbare reeks met ziekenhuisopnames" in html


def test_timeline_without_advice(client, db):
    response = client.get(_timeline())
    assert response.status_code == 200
    assert "nog geen gepubliceerde adviezen" in response.content.decode()


# --- plain text --------------------------------------------------------------------------------


def test_text_blocks_paragraphs_bullets_and_numbered_lines():
    blocks = text_blocks(
        "Eerste regel\ntweede regel\n\n- een\n* twee\n  vervolg\n3. drie\n4) vier\n\nslot <b>"
    )
    assert [b.kind for b in blocks] == ["p", "ul", "ol", "p"]
    assert blocks[0].lines == ["Eerste regel", "tweede regel"]
    assert blocks[1].items == ["een", "twee vervolg"]
    assert blocks[2].items == ["drie", "vier"] and blocks[2].start == 3
    assert blocks[3].lines == ["slot <b>"]
    assert text_blocks("") == []
