"""Pages of the advice process: list, request form, detail and status, timeline, OMT
information, input requests with the secure answer form, and the register."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.tests.factories import UserFactory
from paraat.advice import selectors, services, workflow
from paraat.advice.models import AdviceRequest, InputResponse, OmtAccessLog
from paraat.advice.tests.factories import committee, decided, input_make, request_make
from paraat.evidence.models import EvidenceItem
from paraat.measures.tests.factories import PackageFactory
from paraat.taxonomies.tests.factories import PopulationGroupFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
OMT_TITLE = "Geheime OMT-modellering variant XBB (fictief)"


@pytest.fixture
def people() -> dict[str, Any]:
    people = committee()
    people["external"] = UserFactory(username="poolexpert", roles=[roles.EXTERNAL_EXPERT])
    return people


@pytest.fixture
def advice(people: dict[str, Any]) -> AdviceRequest:
    return request_make(actor=people["szw"])


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, advice: AdviceRequest | None = None, **kwargs: Any) -> str:
    if advice is not None:
        kwargs["key"] = advice.key
    return reverse(f"advice:{name}", kwargs=kwargs)


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["cpo", "chair", "expert", "szw"])
def test_list_and_register_render_for_roles_that_view_advice(people, advice, role):
    client = _client(people[role])
    page = client.get(_url("list"))
    assert page.status_code == 200
    assert advice.title in page.content.decode()
    assert client.get(_url("register")).status_code == 200
    assert client.get(_url("detail", advice)).status_code == 200
    assert client.get(_url("timeline", advice)).status_code == 200


@pytest.mark.parametrize("role", ["analyst", "external"])
def test_roles_without_advice_are_refused(people, advice, role):
    client = _client(people[role])
    assert client.get(_url("list")).status_code == 403
    assert client.get(_url("register")).status_code == 403
    assert client.get(_url("create")).status_code == 403
    for name in ("detail", "edit", "timeline", "omt", "inputs"):
        response = client.get(_url(name, advice))
        assert response.status_code == 404, name
        assert advice.title not in response.content.decode()
    assert client.post(_url("transition", advice), {"to": "draft"}).status_code == 404


def test_anonymous_is_sent_to_login(advice):
    client = _client()
    for url in (_url("list"), _url("create"), _url("register"), _url("detail", advice)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_staff_pages_render_for_the_secretariat(people, advice):
    client = _client(people["cpo"])
    for name in ("detail", "edit", "timeline", "omt", "inputs"):
        assert client.get(_url(name, advice)).status_code == 200, name
    assert client.get(_url("create")).status_code == 200
    page = client.get(_url("list")).content.decode()
    assert reverse("advice:create") in page


def test_main_menu_shows_advice_to_those_who_may_see_it(people):
    staff_item = 'class="paraat-nav__link" href="/adviesproces/"'
    public_item = f'class="paraat-nav__link" href="{reverse("advice_public:list")}"'
    home = reverse("web:accessibility")
    cpo = _client(people["cpo"]).get(home).content.decode()
    assert staff_item in cpo and public_item in cpo
    analyst = _client(people["analyst"]).get(home).content.decode()
    assert staff_item not in analyst and public_item in analyst
    anonymous = _client().get(home).content.decode()
    assert staff_item not in anonymous and public_item in anonymous


def test_szw_officer_sees_particulars_but_never_drafts(people, advice):
    client = _client(people["szw"])
    page = client.get(_url("detail", advice)).content.decode()
    assert advice.question in page
    assert _url("timeline", advice) in page
    assert _url("inputs", advice) not in page
    assert _url("omt", advice) not in page
    for name in ("text", "dossier", "revisions", "vote"):
        assert _url(name, advice) not in page
    assert client.get(_url("inputs", advice)).status_code == 403
    assert client.get(_url("omt", advice)).status_code == 403
    assert client.get(_url("edit", advice)).status_code == 403
    # SZW may register a request (action "create") ...
    assert client.get(_url("create")).status_code == 200
    # ... but not move it along the process.
    assert client.post(_url("transition", advice), {"to": "draft"}).status_code == 403
    assert workflow.status_of(advice) == "received"


def test_committee_member_sees_the_links_to_the_drafts(people, advice):
    page = _client(people["members"][0]).get(_url("detail", advice)).content.decode()
    assert _url("inputs", advice) in page
    assert _url("omt", advice) in page
    assert _url("text", advice) in page
    assert 'name="to"' not in page  # members do not move the process


def test_after_dispatch_szw_gets_the_sent_files_not_the_drafts(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    advice = decided(request=request_make(actor=people["szw"]), people=people)
    services.advice_sign_off(request=advice, actor=people["chair"])
    services.advice_dispatch(
        request=advice,
        actor=people["chair"],
        documents={"pdf": ("advies.pdf", b"%PDF-1.4"), "docx": ("advies.docx", b"PK")},
    )
    page = _client(people["szw"]).get(_url("detail", advice)).content.decode()
    assert _url("dispatch-file", advice, fmt="pdf") in page
    assert _url("dispatch-file", advice, fmt="docx") in page
    assert _url("cabinet-response", advice) in page
    for name in ("text", "dossier", "revisions", "vote", "inputs", "omt"):
        assert _url(name, advice) not in page
    cpo = _client(people["cpo"]).get(_url("detail", advice)).content.decode()
    assert _url("edit", advice) not in cpo  # a sent advice is not edited
    assert 'name="to"' not in cpo  # embargo and publication go through their own actions
    assert "Embargo opheffen en publiceren" in cpo
    timeline = _client(people["szw"]).get(_url("timeline", advice)).content.decode()
    assert "ja, op tijd verzonden" in timeline


# --- list ---------------------------------------------------------------------------------------


def test_list_filters_and_flags_overdue_in_text(people):
    late = request_make(
        actor=people["cpo"],
        title="Te late aanvraag (synthetisch)",
        received_at=timezone.now() - dt.timedelta(hours=60),
    )
    on_time = request_make(actor=people["cpo"], title="Tijdige aanvraag (synthetisch)")
    services.advice_transition(request=on_time, to="draft", actor=people["cpo"])
    client = _client(people["cpo"])
    page = client.get(_url("list")).content.decode()
    assert "te laat" in page
    assert "1 advies is over de deadline" in page
    assert "te laat: deadline 12 uur geleden verstreken" in page
    assert "nog 48 uur" in page  # the new urgent request
    filtered = client.get(_url("list"), {"status": "draft"}).content.decode()
    assert on_time.title in filtered and late.title not in filtered
    searched = client.get(_url("list"), {"q": "late"}).content.decode()
    assert late.title in searched and on_time.title not in searched
    assert client.get(_url("list"), {"status": "<script>"}).status_code == 200


# --- create and edit --------------------------------------------------------------------------


def test_create_through_the_form_urgent_default_deadline(people):
    package = PackageFactory()
    response = _client(people["szw"]).post(
        _url("create"),
        {
            "title": "Reizigers uit China",
            "question": "Welke maatregelen zijn proportioneel?",
            "requester": "sg_szw",
            "requester_name": "SG SZW",
            "kind": "urgent",
            "received_at": "2023-01-03T09:00",
            "deadline": "",
            "options": [package.pk],
            "omt_reference": "OMT-advies 143",
            "omt_url": "https://example.org/omt-143",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 302
    advice = AdviceRequest.objects.get(title="Reizigers uit China")
    assert response["Location"] == _url("detail", advice)
    assert advice.received_at == dt.datetime(2023, 1, 3, 9, 0, tzinfo=AMS)
    assert advice.deadline - advice.received_at == dt.timedelta(hours=48)
    assert list(advice.options.all()) == [package]
    assert advice.created_by == people["szw"]
    assert workflow.status_of(advice) == "received"


def test_create_with_bad_input_is_400_with_field_errors(people):
    client = _client(people["cpo"])
    response = client.post(
        _url("create"),
        {
            "title": "",
            "question": "?",
            "requester": "x",
            "kind": "urgent",
            "received_at": "gisteren",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_title_error"' in page
    assert 'id="id_received_at_error"' in page
    assert 'aria-invalid="true"' in page
    # The service's own check (deadline after receipt) lands on the deadline field.
    response = client.post(
        _url("create"),
        {
            "title": "T",
            "question": "V",
            "requester": "sg_szw",
            "kind": "urgent",
            "received_at": "2023-01-03T09:00",
            "deadline": "2023-01-02T09:00",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 400
    assert "De deadline ligt na het moment van ontvangst." in response.content.decode()
    assert 'id="id_deadline_error"' in response.content.decode()
    # A moment that does not exist in Amsterdam (the spring DST gap) is a field error too.
    response = client.post(
        _url("create"),
        {
            "title": "T",
            "question": "V",
            "requester": "sg_szw",
            "kind": "urgent",
            "received_at": "2023-03-26T02:30",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 400
    assert 'id="id_received_at_error"' in response.content.decode()
    assert not AdviceRequest.objects.exists()


def test_edit_needs_manage_and_keeps_the_history(people, advice):
    client = _client(people["cpo"])
    data = {
        "title": "Nieuwe titel",
        "question": advice.question,
        "requester": "sg_szw",
        "kind": "long_term",
        "received_at": timezone.localtime(advice.received_at).strftime("%Y-%m-%dT%H:%M"),
        "deadline": "",
        "options": [p.pk for p in advice.options.all()],
        "confidentiality": "internal",
    }
    response = client.post(_url("edit", advice), data)
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.title == "Nieuwe titel" and advice.kind == "long_term"
    assert _client(people["chair"]).post(_url("edit", advice), data).status_code == 403


# --- detail and transitions -------------------------------------------------------------------


def test_transition_allowed_and_recorded_with_note(people, advice):
    client = _client(people["cpo"])
    page = client.get(_url("detail", advice)).content.decode()
    assert 'name="to" value="draft"' in page
    response = client.post(_url("transition", advice), {"to": "draft", "note": "Direct schrijven"})
    assert response.status_code == 302
    assert workflow.status_of(advice) == "draft"
    change = selectors.status_history(request=advice).last()
    assert change.actor == people["cpo"] and change.note == "Direct schrijven"
    page = client.get(_url("detail", advice)).content.decode()
    assert "Direct schrijven" in page


def test_transition_refused_shows_the_reason_with_400(people, advice):
    client = _client(people["cpo"])
    response = client.post(_url("transition", advice), {"to": "decision"})
    assert response.status_code == 400
    assert "kan het advies niet naar" in response.content.decode()
    response = client.post(_url("transition", advice), {"to": "nonsense"})
    assert response.status_code == 400
    assert "Onbekende status" in response.content.decode()
    response = client.post(_url("transition", advice), {"to": ""})
    assert response.status_code == 400
    assert workflow.status_of(advice) == "received"
    assert client.get(_url("transition", advice)).status_code == 405


def test_information_package_add(people, advice):
    client = _client(people["cpo"])
    response = client.post(
        _url("information-add", advice),
        {"title": "Notitie RIVM over varianten", "url": "https://example.org/notitie"},
    )
    assert response.status_code == 302
    page = _client(people["szw"]).get(_url("detail", advice)).content.decode()
    assert "Notitie RIVM over varianten" in page
    response = client.post(_url("information-add", advice), {"title": "", "url": "geen adres"})
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    assert 'id="id_url_error"' in response.content.decode()
    response = client.post(_url("information-add", advice), {"title": "T", "evidence": "999999"})
    assert response.status_code == 400
    assert 'id="id_evidence_error"' in response.content.decode()
    assert advice.information_items.count() == 1
    assert (
        _client(people["szw"]).post(_url("information-add", advice), {"title": "X"}).status_code
        == 403
    )


# --- timeline -----------------------------------------------------------------------------------


def test_timeline_shows_hours_per_phase(people):
    start = timezone.now() - dt.timedelta(hours=10)
    advice = request_make(actor=people["cpo"], received_at=start)
    services.advice_transition(
        request=advice, to="draft", actor=people["cpo"], at=start + dt.timedelta(hours=2.5)
    )
    page = _client(people["szw"]).get(_url("timeline", advice)).content.decode()
    assert 'id="timeline-table"' in page
    assert "2,5" in page  # hours received, one decimal (Dutch notation)
    assert "7,5" in page  # hours in draft until now
    assert "nog 38 uur" in page
    assert "style=" not in page.split('id="main"')[1]  # no inline styles (CSP)


# --- OMT information ------------------------------------------------------------------------------


def test_omt_no_grant_no_titles_then_grant_and_read_is_logged(people, advice):
    services.omt_document_add(
        request=advice, actor=people["cpo"], title=OMT_TITLE, body="Vertrouwelijke inhoud."
    )
    chair = people["chair"]
    refused = _client(chair).get(_url("omt", advice))
    assert refused.status_code == 403
    assert OMT_TITLE not in refused.content.decode()
    assert "Geen toegang" in refused.content.decode()
    assert not OmtAccessLog.objects.filter(user=chair).exists()

    cpo = _client(people["cpo"])
    page = cpo.get(_url("omt", advice)).content.decode()
    assert OMT_TITLE in page
    assert f'value="{chair.pk}"' in page
    assert f'value="{people["szw"].pk}"' not in page  # only people who may read drafts
    missing = cpo.post(_url("omt-grant", advice), {"grantee": chair.pk, "reason": ""})
    assert missing.status_code == 400
    assert 'id="id_reason_error"' in missing.content.decode()
    wrong = cpo.post(_url("omt-grant", advice), {"grantee": people["szw"].pk, "reason": "x"})
    assert wrong.status_code == 400
    granted = cpo.post(
        _url("omt-grant", advice), {"grantee": chair.pk, "reason": "Voorzitter bereidt advies voor"}
    )
    assert granted.status_code == 302

    seen = _client(chair).get(_url("omt", advice))
    assert seen.status_code == 200
    assert OMT_TITLE in seen.content.decode()
    assert OmtAccessLog.objects.filter(briefing=advice.omt_briefing, user=chair).count() == 1
    assert "Voorzitter bereidt advies voor" not in seen.content.decode()  # grants: grant_omt only
    log = cpo.get(_url("omt", advice)).content.decode()
    assert "Voorzitter bereidt advies voor" in log
    assert 'id="read-log"' in log
    # The chair may read, not grant or add.
    assert _client(chair).post(_url("omt-add", advice), {"title": "X"}).status_code == 403
    assert (
        _client(chair).post(_url("omt-grant", advice), {"grantee": chair.pk, "reason": "x"})
    ).status_code == 403


def test_omt_document_add(people, advice):
    client = _client(people["cpo"])
    assert client.post(_url("omt-add", advice), {"title": ""}).status_code == 400
    assert client.post(_url("omt-add", advice), {"title": OMT_TITLE}).status_code == 302
    assert OMT_TITLE in client.get(_url("omt", advice)).content.decode()


# --- requests for input -----------------------------------------------------------------------


def _token_from(mail: Any) -> str:
    match = re.search(r"/adviesproces/input/([^/\s]+)/", mail.body)
    assert match, mail.body
    return match.group(1)


def test_input_request_through_the_form_mails_a_link_and_can_be_revoked(
    people, advice, mailoutbox, django_capture_on_commit_callbacks
):
    client = _client(people["cpo"])
    expert = people["expert"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("inputs", advice),
            {
                "recipient_kind": "expert_member",
                "recipient": expert.pk,
                "question": "Wat weet het SCP over reizigers?",
                "deadline": timezone.localtime(timezone.now() + dt.timedelta(hours=12)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            },
        )
    assert response.status_code == 302
    row = selectors.input_requests(request=advice).get()
    assert row.recipient_email == expert.email and row.organisation == "SCP"
    assert mailoutbox[-1].to == [expert.email]
    token = _token_from(mailoutbox[-1])
    assert workflow.status_of(advice) == "input_requested"
    page = client.get(_url("inputs", advice)).content.decode()
    assert "Wat weet het SCP over reizigers?" in page and "open" in page
    assert token not in page
    assert _client(people["members"][0]).get(_url("inputs", advice)).status_code == 200
    assert (
        _client(people["members"][0]).post(_url("input-revoke", advice, pk=row.pk)).status_code
        == 403
    )
    assert client.post(_url("input-revoke", advice, pk=row.pk)).status_code == 302
    assert "ingetrokken" in client.get(_url("inputs", advice)).content.decode()
    assert Client().get(_url("input-respond", token=token)).status_code == 404


def test_input_request_bad_input_is_400(people, advice):
    response = _client(people["cpo"]).post(
        _url("inputs", advice),
        {
            "recipient_kind": "practice_circle",
            "recipient_name": "",
            "recipient_email": "geen",
            "question": "",
            "deadline": "2000-01-01T10:00",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_recipient_email_error"' in page and 'id="id_question_error"' in page
    assert not advice.input_requests.exists()
    # The deadline in the past is refused by the service, on its field.
    response = _client(people["cpo"]).post(
        _url("inputs", advice),
        {
            "recipient_kind": "practice_circle",
            "recipient_name": "Kring",
            "recipient_email": "k@example.org",
            "question": "V?",
            "deadline": "2000-01-01T10:00",
        },
    )
    assert response.status_code == 400
    assert "De deadline ligt in de toekomst." in response.content.decode()


def test_input_respond_unknown_token_is_a_404_without_details(advice):
    response = Client().get(_url("input-respond", token="onbekend-token"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "onbekend, verlopen, ingetrokken of al gebruikt" in page
    assert advice.title not in page
    assert "no-store" in response["Cache-Control"]


def test_input_respond_stores_the_answer_as_evidence_once(
    people, advice, mailoutbox, django_capture_on_commit_callbacks
):
    group = PopulationGroupFactory()
    with django_capture_on_commit_callbacks(execute=True):
        row, token = input_make(request=advice, actor=people["cpo"])
    url = _url("input-respond", token=token)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert advice.title in body and row.question in body and row.recipient_name in body
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "strict-origin"  # never the path with the token
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    data = {
        "csrfmiddlewaretoken": csrf,
        "signal": "Reizigers ervaren stigma bij aankomst.",
        "groups": [group.pk],
        "direction": "negative",
        "severity": "high",
        "source": "Meldingen bij de kring",
        "interests_status": "none",
    }
    # Without the CSRF token the post is refused.
    assert client.post(url, {**data, "csrfmiddlewaretoken": ""}).status_code == 403
    # As a browser over HTTPS sends it (the same origin, allowed by ``strict-origin``).
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, data, secure=True, headers={"origin": "https://testserver"})
    assert done.status_code == 200
    assert "Dank voor uw input" in done.content.decode()
    response = InputResponse.objects.get(input_request=row)
    assert response.severity == "high" and list(response.groups.all()) == [group]
    item = EvidenceItem.objects.get(pk=response.evidence_id)
    assert item.item_type == "practice_signal"
    assert item.declared_interests == "" and item.interests_status == "none"
    assert workflow.status_of(advice) == "contributions"
    again = Client().get(url)
    assert again.status_code == 404
    assert advice.title not in again.content.decode()
    # The staff overview links the answer to the knowledge library.
    page = _client(people["cpo"]).get(_url("inputs", advice)).content.decode()
    assert reverse("evidence:detail", args=[item.pk]) in page
    assert "beantwoord" in page


def test_input_respond_bad_input_is_400_with_field_errors(people, advice):
    token = input_make(request=advice, actor=people["cpo"])[1]
    response = Client().post(
        _url("input-respond", token=token),
        {
            "signal": "",
            "severity": "extreme",
            "interests_status": "declared",
            "direction": "negative",
            "groups": ["abc"],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("signal", "severity", "declared_interests", "groups"):
        assert f'id="id_{field}_error"' in page, field
    assert not InputResponse.objects.exists()
    assert services.input_request_by_token(token) is not None  # still usable


def test_confidential_title_never_on_the_input_form_or_in_the_mail(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    secret = request_make(
        actor=people["cpo"], title="Geheime aanvraag lockdown Kerst", confidentiality="confidential"
    )
    with django_capture_on_commit_callbacks(execute=True):
        token = input_make(request=secret, actor=people["cpo"])[1]
    mail = mailoutbox[-1]
    assert secret.title not in mail.body and secret.title not in mail.subject
    page = Client().get(_url("input-respond", token=token)).content.decode()
    assert secret.title not in page
    assert "Een vertrouwelijke adviesaanvraag" in page
    assert "Welke signalen ziet u bij reizigers?" in page


# --- register ---------------------------------------------------------------------------------


def test_register_csv_for_staff_without_confidential_titles_for_szw(people, advice):
    secret = request_make(
        actor=people["cpo"], title="Geheim register-item", confidentiality="confidential"
    )
    response = _client(people["cpo"]).get(_url("register"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "naam",
        "gevraagd of ongevraagd",
        "soort",
        "ontvangen",
        "deadline",
        "verzonden",
        "gepubliceerd",
        "kabinetsreactie",
        "status",
    ]
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title[advice.title][1] == "gevraagd"
    assert by_title[advice.title][2] == "spoedadvies"
    assert by_title[advice.title][8] == "ontvangen"
    assert secret.title in by_title
    szw = _client(people["szw"]).get(_url("register"), {"format": "csv"}).content.decode()
    assert advice.title in szw and secret.title not in szw
    page = _client(people["szw"]).get(_url("register")).content.decode()
    assert advice.title in page and secret.title not in page


def test_register_csv_cells_are_not_formulas(people):
    request_make(actor=people["cpo"], title='=HYPERLINK("x")')
    body = _client(people["cpo"]).get(_url("register"), {"format": "csv"}).content.decode()
    assert "'=HYPERLINK" in body
