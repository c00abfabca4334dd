"""REST API v1 of the advice process: who may read and do what (role matrix), confidentiality
and the embargo, the 409 of a concurrent edit, the input link without an account, and bad
input that is a 400 (never a 500)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from paraat.accounts.models import Confidentiality
from paraat.accounts.services import access_grant_create
from paraat.advice import selectors, services, workflow
from paraat.advice.models import (
    AdviceRevision,
    InputResponse,
    OmtAccessLog,
    Vote,
)
from paraat.advice.tests.factories import SECTIONS, committee, decided, input_make, request_make
from paraat.measures.tests.factories import PackageFactory
from paraat.taxonomies.tests.factories import PopulationGroupFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/advice/requests/"
PUBLIC = "/api/v1/advice/published/"
OK = {200, 201}
FUZZ_OK = {200, 201, 400, 403, 404, 409}


@pytest.fixture
def people() -> dict[str, Any]:
    return committee()


def api_as(user: Any = None, *, token: bool = False) -> APIClient:
    client = APIClient()
    if user is not None and token:
        key = Token.objects.get_or_create(user=user)[0].key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    elif user is not None:
        client.force_authenticate(user)
    return client


def roles_of(people: dict[str, Any]) -> dict[str, Any]:
    """The seven roles of the matrix (``None`` is anonymous)."""
    return {
        "anonymous": None,
        "analyst": people["analyst"],
        "szw": people["szw"],
        "member": people["members"][0],
        "expert": people["expert"],
        "chair": people["chair"],
        "cpo": people["cpo"],
    }


def status_by_role(people: dict[str, Any], method: str, url: str, body: Any = None) -> dict:
    out = {}
    for name, user in roles_of(people).items():
        client = api_as(user)
        response = getattr(client, method)(url, body, format="json")
        out[name] = response.status_code
    return out


NEW_REQUEST = {
    "title": "Reizigers uit China (synthetisch)",
    "question": "Welke maatregelen voor reizigers uit China zijn proportioneel?",
    "requester": "sg_szw",
    "kind": "urgent",
    "is_synthetic": True,
}


# --- role matrix ---------------------------------------------------------------------------------


def test_create_is_for_szw_and_the_secretariat(people):
    package = PackageFactory(key="test-voor-vertrek")
    body = {**NEW_REQUEST, "options": [package.key]}
    codes = {}
    for name, user in roles_of(people).items():
        codes[name] = api_as(user).post(BASE, {**body, "key": f"china-{name}"}, format="json")
    statuses = {name: r.status_code for name, r in codes.items()}
    assert statuses["anonymous"] in (401, 403)
    assert {k: statuses[k] for k in ("analyst", "member", "expert", "chair")} == dict.fromkeys(
        ("analyst", "member", "expert", "chair"), 403
    )
    assert statuses["szw"] == 201 and statuses["cpo"] == 201
    created = codes["szw"].json()
    assert created["key"] == "china-szw"
    assert created["status"] == "received"
    assert created["options"] == [{"key": "test-voor-vertrek", "name": package.name}]
    received = dt.datetime.fromisoformat(created["received_at"])
    deadline = dt.datetime.fromisoformat(created["deadline"])
    assert deadline - received == dt.timedelta(hours=48)
    assert 47 < created["hours_left"] <= 48 and created["overdue"] is False
    assert created["status_history"][0]["status"] == "received"
    assert created["moves"] == []  # SZW asks; the secretariat runs the process
    assert created["may"]["cabinet_response"] is True and created["may"]["manage"] is False


def test_reading_follows_role(people):
    request = request_make(actor=people["szw"], key="china")
    url = f"{BASE}china/"
    # The register is refused to whoever has no role that follows advice requests (as the
    # page); the public reads published advice at advice/published/.
    assert status_by_role(people, "get", BASE) == {
        "anonymous": 403,
        "analyst": 403,
        "szw": 200,
        "member": 200,
        "expert": 200,
        "chair": 200,
        "cpo": 200,
    }
    for name in ("szw", "member", "expert", "chair", "cpo"):
        user = roles_of(people)[name]
        assert [row["key"] for row in api_as(user).get(BASE).json()] == ["china"]
    codes = status_by_role(people, "get", url)
    assert codes == {
        "anonymous": 404,
        "analyst": 404,
        "szw": 200,
        "member": 200,
        "expert": 200,
        "chair": 200,
        "cpo": 200,
    }
    cpo_view = api_as(people["cpo"]).get(url).json()
    assert cpo_view["moves"] == ["input_requested", "draft", "withdrawn"]
    assert api_as(people["members"][0]).get(url).json()["moves"] == []
    # Drafts, dossier and votes: the committee, not SZW.
    codes = status_by_role(people, "get", f"{url}dossier/")
    assert codes == {
        "anonymous": 404,
        "analyst": 404,
        "szw": 403,
        "member": 200,
        "expert": 200,
        "chair": 200,
        "cpo": 200,
    }
    for part in ("revisions/", "comments/", "rounds/", "assignments/"):
        assert api_as(people["szw"]).get(f"{url}{part}").status_code == 403, part
        assert api_as(people["members"][0]).get(f"{url}{part}").status_code == 200, part
    # Requests for input: the secretariat.
    codes = status_by_role(people, "get", f"{url}inputs/")
    assert codes["cpo"] == 200
    assert {codes[k] for k in ("szw", "member", "expert", "chair")} == {403}
    assert request.status_changes.count() == 1
    odd = api_as(people["cpo"]).get(f"{BASE}?q=%00China&status=onbekend")
    assert odd.status_code == 200


def test_dossier_shows_omt_only_with_a_grant_and_logs_each_read(people):
    request = request_make(actor=people["cpo"], key="china")
    services.omt_document_add(
        request=request, actor=people["cpo"], title="OMT-advies (synthetisch)", body="Geheim X9"
    )
    member, url = people["members"][0], f"{BASE}china/dossier/"
    dossier = api_as(member).get(url).json()
    assert dossier["omt"] is None
    assert "Geheim X9" not in json.dumps(dossier)
    assert dossier["question"] == request.question
    assert [o["key"] for o in dossier["options"]] == [request.options.get().key]
    assert OmtAccessLog.objects.count() == 0
    services.omt_access_grant(
        request=request, actor=people["cpo"], grantee=member, reason="Besluitvorming"
    )
    dossier = api_as(member).get(url).json()
    assert [d["title"] for d in dossier["omt"]] == ["OMT-advies (synthetisch)"]
    assert OmtAccessLog.objects.filter(user=member).count() == 1


def test_writes_follow_the_process_roles(people):
    request = request_make(actor=people["szw"], key="china")
    url = f"{BASE}china/"
    # Text: the secretariat and members with voting rights write; expert members comment.
    text = {"sections": SECTIONS, "base_number": None}
    assert api_as(people["szw"]).post(f"{url}revisions/", text, format="json").status_code == 403
    assert api_as(people["expert"]).post(f"{url}revisions/", text, format="json").status_code == 403
    assert (
        api_as(people["analyst"]).post(f"{url}revisions/", text, format="json").status_code == 404
    )
    assert api_as().post(f"{url}revisions/", text, format="json").status_code in (401, 403)
    saved = api_as(people["members"][0]).post(f"{url}revisions/", text, format="json")
    assert saved.status_code == 201, saved.content
    assert saved.json()["number"] == 1 and saved.json()["sections"]["summary"] == "Samenvatting."
    assert workflow.status_of(request) == "draft"
    # Moves: the secretariat; a move the process does not allow is a 400 naming "to".
    move = {"to": "final_draft", "note": "Klaar voor besluit"}
    assert api_as(people["members"][0]).post(f"{url}transition/", move).status_code == 403
    assert api_as(people["szw"]).post(f"{url}transition/", move).status_code == 403
    wrong = api_as(people["cpo"]).post(f"{url}transition/", {"to": "published"}, format="json")
    assert wrong.status_code == 400 and "to" in wrong.json()
    moved = api_as(people["cpo"]).post(f"{url}transition/", move, format="json")
    assert moved.status_code == 200
    assert moved.json()["status"] == "final_draft"
    assert moved.json()["status_history"][-1]["note"] == "Klaar voor besluit"
    # Comments: the committee; a reply and a resolution.
    comment = {"section": "advice", "body": "Aanbeveling 2 aanscherpen?"}
    assert api_as(people["szw"]).post(f"{url}comments/", comment).status_code == 403
    first = api_as(people["expert"]).post(f"{url}comments/", comment, format="json")
    assert first.status_code == 201, first.content
    thread = first.json()["id"]
    reply = {"thread": thread, "body": "Eens."}
    assert api_as(people["chair"]).post(f"{url}comments/", reply).status_code == 201
    resolve = {"thread": thread, "resolve": True}
    assert api_as(people["cpo"]).post(f"{url}comments/", resolve).status_code == 201
    threads = api_as(people["members"][1]).get(f"{url}comments/").json()
    assert len(threads) == 1 and threads[0]["resolved"] is True
    assert [r["kind"] for r in threads[0]["replies"]] == ["comment", "resolve"]
    # Assignments: the secretariat assigns; the assignee marks it done.
    task = {"assignee": people["members"][1].username, "task": "Schrijf per groep", "section": ""}
    assert api_as(people["members"][0]).post(f"{url}assignments/", task).status_code == 403
    created = api_as(people["cpo"]).post(f"{url}assignments/", task, format="json")
    assert created.status_code == 201, created.content
    done_url = f"{url}assignments/{created.json()['id']}/done/"
    assert api_as(people["members"][2]).post(done_url).status_code == 403
    done = api_as(people["members"][1]).post(done_url)
    assert done.status_code == 200 and done.json()["done_at"]
    unknown = {"assignee": "niemand", "task": "x"}
    assert api_as(people["cpo"]).post(f"{url}assignments/", unknown).json() == {
        "assignee": ["Onbekende gebruiker."]
    }
    # The cabinet's response: SZW, and only after publication.
    answer = {"date": "2023-01-10", "title": "Kamerbrief (synthetisch)"}
    assert api_as(people["members"][0]).post(f"{url}cabinet-responses/", answer).status_code == 403
    early = api_as(people["szw"]).post(f"{url}cabinet-responses/", answer, format="json")
    assert early.status_code == 400 and "date" in early.json()


def test_create_names_the_field_of_bad_input(people):
    szw = api_as(people["szw"])
    cases = [
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"kind": "spoed"}, "kind"),
        ({"requester": 3}, "requester"),
        ({"options": ["bestaat-niet"]}, "options"),
        ({"options": "geen-lijst"}, "options"),
        ({"assessment": "bestaat-niet"}, "assessment"),
        ({"received_at": "9999-12-31T23:00:00Z"}, "received_at"),
        ({"received_at": "2023-01-03T10:00:00Z", "deadline": "2023-01-02T10:00:00Z"}, "deadline"),
        ({"confidentiality": "geheim"}, "confidentiality"),
        ({"omt_url": "geen adres"}, "omt_url"),
        ({"question": "nul\x00teken"}, "question"),
    ]
    for change, field in cases:
        response = szw.post(BASE, {**NEW_REQUEST, **change}, format="json")
        assert response.status_code == 400, (change, response.content)
        assert field in response.json(), (change, response.json())
    assert szw.post(BASE, [1, 2], format="json").status_code == 400
    assert szw.post(BASE, "[[[[", content_type="application/json").status_code == 400
    infinite = '{"title": "t", "question": "q", "requester": "sg_szw", "kind": Infinity}'
    assert szw.post(BASE, infinite, content_type="application/json").status_code == 400
    lone = '{"title": "\\ud800", "question": "q", "requester": "sg_szw", "kind": "urgent"}'
    assert szw.post(BASE, lone, content_type="application/json").status_code == 400
    assert selectors.advice_list(user=people["szw"]).count() == 0


# --- confidentiality -----------------------------------------------------------------------------


def test_a_confidential_request_needs_a_grant(people):
    request = request_make(
        actor=people["cpo"], key="geheim", confidentiality=Confidentiality.CONFIDENTIAL
    )
    member = people["members"][0]
    client = api_as(member, token=True)
    assert client.get(BASE).json() == []
    assert client.get(f"{BASE}geheim/").status_code == 404
    assert client.get(f"{BASE}geheim/dossier/").status_code == 404
    revision = {"sections": SECTIONS}
    assert client.post(f"{BASE}geheim/revisions/", revision, format="json").status_code == 404
    assert [r["key"] for r in api_as(people["cpo"]).get(BASE).json()] == ["geheim"]
    access_grant_create(
        target=request, granted_by=people["cpo"], reason="Lid van de commissie", grantee_user=member
    )
    assert [r["key"] for r in client.get(BASE).json()] == ["geheim"]
    assert client.get(f"{BASE}geheim/").json()["confidentiality"] == "confidential"
    assert client.get(f"{BASE}geheim/dossier/").status_code == 200
    # Another member still sees nothing.
    assert api_as(people["members"][1]).get(f"{BASE}geheim/").status_code == 404


# --- the text: versions, merge and conflict -------------------------------------------------------


def test_concurrent_edit_is_merged_or_a_409_and_never_lost(people):
    request = request_make(actor=people["cpo"], key="china")
    url = f"{BASE}china/revisions/"
    base = api_as(people["cpo"]).post(url, {"sections": SECTIONS}, format="json")
    assert base.status_code == 201 and base.json()["number"] == 1
    mine = {**SECTIONS, "summary": "Samenvatting volgens lid 1."}
    first = api_as(people["members"][0]).post(
        url, {"sections": mine, "base_number": 1}, format="json"
    )
    assert first.status_code == 201 and first.json()["number"] == 2
    # Another section, from the same base: merged.
    other = {**SECTIONS, "reasoning": "Onderbouwing van de voorzitter."}
    merged = api_as(people["chair"]).post(
        url, {"sections": other, "base_number": 1, "note": "onderbouwing"}, format="json"
    )
    assert merged.status_code == 201
    assert merged.json()["merged"] is True
    assert merged.json()["sections"]["summary"] == "Samenvatting volgens lid 1."
    assert merged.json()["sections"]["reasoning"] == "Onderbouwing van de voorzitter."
    # The same section, differently, from the old base: 409 with both texts; nothing saved.
    theirs = {**SECTIONS, "summary": "Samenvatting volgens lid 2."}
    conflict = api_as(people["members"][1]).post(
        url, {"sections": theirs, "base_number": 1}, format="json"
    )
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["latest"] == 3
    assert body["conflicts"] == {
        "summary": {
            "base": "Samenvatting.",
            "theirs": "Samenvatting volgens lid 1.",
            "mine": "Samenvatting volgens lid 2.",
        }
    }
    assert "samenvatting" in body["detail"]
    assert AdviceRevision.objects.filter(request=request).count() == 3
    # Unchanged text saves nothing new (200, the latest version).
    again = api_as(people["cpo"]).post(
        url, {"sections": merged.json()["sections"], "base_number": 3}, format="json"
    )
    assert again.status_code == 200 and again.json()["number"] == 3
    # Reading: the list, one version, the diff.
    listing = api_as(people["expert"]).get(url).json()
    assert [r["number"] for r in listing] == [1, 2, 3]
    assert api_as(people["expert"]).get(f"{url}2/").json()["sections"]["summary"] == (
        "Samenvatting volgens lid 1."
    )
    assert api_as(people["expert"]).get(f"{url}9/").status_code == 404
    diff = api_as(people["expert"]).get(f"{url}diff/?from=1&to=2").json()
    summary = next(s for s in diff["sections"] if s["key"] == "summary")
    assert summary["changed"] is True
    assert "".join(o["text"] for o in summary["ops"] if o["op"] != "insert") == "Samenvatting."
    assert "".join(o["text"] for o in summary["ops"] if o["op"] != "delete") == mine["summary"]
    assert not next(s for s in diff["sections"] if s["key"] == "advice")["changed"]
    assert api_as(people["expert"]).get(f"{url}diff/?from=x").status_code == 400
    bad = api_as(people["cpo"]).post(url, {"sections": {"inleiding": "x"}}, format="json")
    assert bad.status_code == 400 and "sections" in bad.json()


def test_skeleton_is_built_from_the_dossier(people):
    package = PackageFactory(key="mondkapjes", name_nl="Mondkapjesplicht vluchten uit China")
    request_make(actor=people["cpo"], key="china", options=[package])
    url = f"{BASE}china/revisions/skeleton/"
    assert api_as(people["expert"]).post(url).status_code == 403
    made = api_as(people["cpo"]).post(url, {}, format="json")
    assert made.status_code == 201, made.content
    sections = made.json()["sections"]
    assert "Mondkapjesplicht vluchten uit China" in sections["summary"]
    assert "Welke maatregelen voor reizigers uit China" in sections["summary"]
    assert made.json()["note"] == "Opzet uit het dossier"


# --- requests for input and the token link --------------------------------------------------------


def test_input_requests_and_the_token_link(people, mailoutbox, django_capture_on_commit_callbacks):
    request = request_make(actor=people["cpo"], key="china")
    group = PopulationGroupFactory(key="travellers", name_nl="Reizigers")
    url = f"{BASE}china/inputs/"
    ask = {
        "recipient_kind": "practice_circle",
        "recipient_name": "Kring reizen (fictief)",
        "recipient_email": "kring@example.org",
        "organisation": "Praktijkkring reizen en toerisme (fictief)",
        "question": "Welke signalen ziet u bij reizigers uit China?",
        "deadline": (timezone.now() + dt.timedelta(hours=20)).isoformat(),
    }
    assert api_as(people["members"][0]).post(url, ask, format="json").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        created = api_as(people["cpo"]).post(url, ask, format="json")
    assert created.status_code == 201, created.content
    token = created.json()["token"]
    assert created.json()["respond_url"] == f"/api/v1/advice/input/{token}/"
    assert token in mailoutbox[-1].body
    listing = api_as(people["cpo"]).get(url).json()
    assert "token" not in listing[0] and listing[0]["state"] == "open"
    assert token not in json.dumps(listing)
    assert workflow.status_of(request) == "input_requested"
    link = f"/api/v1/advice/input/{token}/"
    form = api_as().get(link).json()
    assert form["question"] == ask["question"] and form["title"] == request.title
    # Bad answers: 400 naming the field, and the link still works.
    for change, field in [
        ({"severity": "enorm"}, "severity"),
        ({"signal": ""}, "signal"),
        ({"groups": ["bestaat-niet"]}, "groups"),
        ({"interests_status": "declared"}, "declared_interests"),
    ]:
        answer = {"signal": "Stigma", "severity": "high", "interests_status": "none", **change}
        response = api_as().post(link, answer, format="json")
        assert response.status_code == 400 and field in response.json(), (change, response.json())
    answer = {
        "signal": "Reizigers met een Chinese achtergrond melden stigma.",
        "groups": ["travellers"],
        "direction": "negative",
        "severity": "high",
        "source": "Meldingen bij de kring (fictief)",
        "interests_status": "declared",
        "declared_interests": "De kring wordt deels gefinancierd door reisorganisaties.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        sent = api_as().post(link, answer, format="json")
    assert sent.status_code == 201, sent.content
    response = InputResponse.objects.get()
    assert list(response.groups.all()) == [group]
    item = response.evidence
    assert (item.item_type, item.on_behalf_of) == ("practice_signal", ask["organisation"])
    assert item.declared_interests == answer["declared_interests"]
    assert workflow.status_of(request) == "contributions"
    # Used, unknown and revoked links: the same neutral 404.
    used = api_as().post(link, answer, format="json")
    assert used.status_code == 404
    unknown = api_as().post("/api/v1/advice/input/bestaat-niet/", answer, format="json")
    assert unknown.status_code == 404 and unknown.json() == used.json()
    row, other = input_make(request=request, actor=people["cpo"])
    revoke = f"{url}{row.pk}/revoke/"
    assert api_as(people["members"][0]).post(revoke).status_code == 403
    revoked = api_as(people["cpo"]).post(revoke)
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert api_as().get(f"/api/v1/advice/input/{other}/").status_code == 404
    assert api_as(people["cpo"]).post(f"{url}99999/revoke/").status_code == 404
    listing = api_as(people["cpo"]).get(url).json()
    answered = next(r for r in listing if r["state"] == "answered")
    assert answered["response"]["evidence"]["ref"] == item.ref
    assert api_as(people["cpo"]).get(f"{BASE}china/").json()["inputs"] == {
        "asked": 2,
        "answered": 1,
        "open": 0,
        "late": 0,
        "revoked": 1,
    }


# --- decision ------------------------------------------------------------------------------------


def test_vote_tally_only_for_who_closes_and_ballots_never_change(people):
    request = request_make(actor=people["cpo"], key="china")
    services.advice_revision_save(
        request=request, sections=SECTIONS, base_number=None, actor=people["cpo"]
    )
    services.advice_transition(request=request, to="final_draft", actor=people["cpo"])
    url = f"{BASE}china/rounds/"
    assert api_as(people["members"][0]).post(url, {"mode": "regular"}).status_code == 403
    rapid = api_as(people["cpo"]).post(url, {"mode": "rapid"}, format="json")
    assert rapid.status_code == 400 and "statements" in rapid.json()
    opened = api_as(people["cpo"]).post(url, {"mode": "regular", "quorum": 0.5}, format="json")
    assert opened.status_code == 201, opened.content
    assert opened.json()["eligible"] == 4 and opened.json()["open"] is True
    assert workflow.status_of(request) == "decision"
    vote = f"{url}current/vote/"
    agree = {"answers": [{"choice": "agree"}]}
    assert api_as(people["szw"]).post(vote, agree, format="json").status_code == 403
    assert api_as(people["analyst"]).post(vote, agree, format="json").status_code == 404
    no_reason = {"answers": [{"choice": "disagree"}]}
    refused = api_as(people["members"][2]).post(vote, no_reason, format="json")
    assert refused.status_code == 400 and "answers.0.reason" in refused.json()
    for user in (people["chair"], people["members"][0], people["members"][1]):
        assert api_as(user).post(vote, agree, format="json").status_code == 201
    against = {"answers": [{"choice": "disagree", "reason": "Onvoldoende onderbouwd."}]}
    assert api_as(people["members"][2]).post(vote, against, format="json").status_code == 201
    position = api_as(people["expert"]).post(
        vote, {"answers": [{"choice": "agree_reservations", "reason": "SCP"}]}, format="json"
    )
    assert position.status_code == 201 and position.json() == {"votes": 1, "counted": False}
    again = api_as(people["chair"]).post(vote, against, format="json")
    assert again.status_code == 400
    assert Vote.objects.get(voter=people["chair"]).choice == "agree"
    member_view = api_as(people["members"][0]).get(f"{url}current/").json()
    assert member_view["tally"] is None and member_view["votes"] is None
    assert member_view["has_voted"] is True and member_view["votes_cast"] == 5
    chair_view = api_as(people["chair"]).get(f"{url}current/").json()
    assert chair_view["tally"]["outcome"] == "majority"
    assert chair_view["tally"]["positions"] == 1
    assert len(chair_view["votes"]) == 5
    close = f"{url}current/close/"
    assert api_as(people["members"][0]).post(close, {}).status_code == 403
    missing = api_as(people["chair"]).post(close, {}, format="json")
    assert missing.status_code == 400 and "minority_position" in missing.json()
    closed = api_as(people["chair"]).post(
        close, {"minority_position": "Eén lid vindt de onderbouwing te smal."}, format="json"
    )
    assert closed.status_code == 201 and closed.json()["outcome"] == "majority"
    after = api_as(people["members"][0]).get(f"{url}current/").json()
    assert after["open"] is False and after["decision"]["outcome"] == "majority"
    assert len(after["votes"]) == 5
    assert api_as(people["chair"]).post(vote, agree, format="json").status_code == 400


def test_rapid_round_answers_per_statement(people):
    request = request_make(actor=people["cpo"], key="china")
    services.advice_revision_save(
        request=request, sections=SECTIONS, base_number=None, actor=people["cpo"]
    )
    url = f"{BASE}china/rounds/"
    early = api_as(people["cpo"]).post(url, {"mode": "regular"}, format="json")
    assert early.status_code == 400  # from draft, first the final draft
    services.advice_transition(request=request, to="final_draft", actor=people["cpo"])
    body = {
        "mode": "rapid",
        "statements": ["Geen inreisverbod.", "Wel een test vóór vertrek."],
        "closes_at": (timezone.now() + dt.timedelta(hours=6)).isoformat(),
    }
    opened = api_as(people["cpo"]).post(url, body, format="json")
    assert opened.status_code == 201, opened.content
    assert [s["order"] for s in opened.json()["statements"]] == [1, 2]
    vote = f"{url}current/vote/"
    wrong = {"answers": [{"choice": "agree", "statement": 3}]}
    refused = api_as(people["chair"]).post(vote, wrong, format="json")
    assert refused.status_code == 400 and "answers.0.statement" in refused.json()
    regular_choice = {"answers": [{"choice": "abstain", "statement": 1}]}
    assert api_as(people["chair"]).post(vote, regular_choice, format="json").status_code == 400
    both = {
        "answers": [
            {"choice": "agree", "statement": 1},
            {"choice": "dont_know", "statement": 2, "reason": "Geen gegevens."},
        ]
    }
    cast = api_as(people["chair"]).post(vote, both, format="json")
    assert cast.status_code == 201 and cast.json() == {"votes": 2, "counted": True}
    tally = api_as(people["cpo"]).get(f"{url}current/").json()["tally"]
    assert set(tally["statements"]) == {"1", "2"}
    assert Vote.objects.filter(voter=people["chair"]).count() == 2


# --- embargo and publication ---------------------------------------------------------------------


def _dispatched(people: dict[str, Any], key: str = "china") -> Any:
    request = request_make(actor=people["cpo"], key=key)
    decided(request=request, people=people)
    signed = api_as(people["chair"]).post(f"{BASE}{key}/sign-off/")
    assert signed.status_code == 201, signed.content
    services.advice_dispatch(request=request, actor=people["chair"])
    return request


def test_nothing_is_public_before_the_embargo_is_lifted(people):
    request = _dispatched(people)
    assert workflow.status_of(request) == "embargo"
    anonymous = api_as()
    assert anonymous.get(PUBLIC).json() == []
    assert anonymous.get(f"{PUBLIC}china/").status_code == 404
    assert anonymous.get(f"{BASE}china/").status_code == 404
    publish = f"{BASE}china/publish/"
    assert api_as(people["members"][0]).post(publish, {}).status_code == 403
    assert anonymous.post(publish, {}).status_code in (401, 403)
    bad = api_as(people["cpo"]).post(publish, {"url": "geen adres"}, format="json")
    assert bad.status_code == 400 and "url" in bad.json()
    done = api_as(people["cpo"]).post(
        publish, {"url": "https://example.org/mit/china"}, format="json"
    )
    assert done.status_code == 201, done.content
    assert done.json()["public_url"] == f"{PUBLIC}china/"
    assert [row["key"] for row in anonymous.get(PUBLIC).json()] == ["china"]
    page = anonymous.get(f"{PUBLIC}china/")
    assert page.status_code == 200
    body = page.json()
    assert [s["key"] for s in body["sections"]] == ["summary", "advice", "reasoning"]
    assert [r["number"] for r in body["recommendations"]] == [1, 2]
    assert body["decision"] == {
        "outcome": "consensus",
        "minority_position": "",
        "closed_at": body["decision"]["closed_at"],
    }
    text = json.dumps(body)
    for leak in ("votes", "tally", "ballot", "dossier", "omt", "voter"):
        assert leak not in text
    # Publishing twice is refused; the cabinet's response then follows.
    assert api_as(people["cpo"]).post(publish, {}).status_code == 400


def test_cabinet_response_and_follow_up(people):
    request = _dispatched(people)
    services.advice_publish(request=request, actor=people["cpo"])
    url = f"{BASE}china/cabinet-responses/"
    answer = {
        "date": "2023-01-10",
        "title": "Kamerbrief over reizigers uit China (synthetisch)",
        "statuses": [
            {"recommendation": 1, "status": "adopted"},
            {"recommendation": 2, "status": "not_adopted"},
        ],
    }
    missing = api_as(people["szw"]).post(url, answer, format="json")
    assert missing.status_code == 400 and "statuses.2" in missing.json()
    twice = {**answer, "statuses": [answer["statuses"][0], answer["statuses"][0]]}
    assert api_as(people["szw"]).post(url, twice, format="json").status_code == 400
    answer["statuses"][1]["justification"] = "Europese afstemming gaat voor."
    recorded = api_as(people["szw"]).post(url, answer, format="json")
    assert recorded.status_code == 201, recorded.content
    assert [s["status"] for s in recorded.json()["statuses"]] == ["adopted", "not_adopted"]
    assert workflow.status_of(request) == "cabinet_response"
    motion = {"kind": "motion", "title": "Motie over reizigers (fictief)", "date": "2023-01-17"}
    assert api_as(people["members"][0]).post(f"{BASE}china/follow-ups/", motion).status_code == 403
    added = api_as(people["szw"]).post(f"{BASE}china/follow-ups/", motion, format="json")
    assert added.status_code == 201
    assert workflow.status_of(request) == "follow_up"
    recommendations = api_as(people["szw"]).get(f"{BASE}china/recommendations/").json()
    assert [r["statuses"][0]["status"] for r in recommendations] == ["adopted", "not_adopted"]
    public = api_as().get(f"{PUBLIC}china/").json()
    assert [r["status"] for r in public["recommendations"]] == ["adopted", "not_adopted"]
    assert public["follow_ups"][0]["title"] == motion["title"]


def test_reflections_are_for_expert_members(people):
    request = _dispatched(people)
    url = f"{BASE}china/reflections/"
    body = {"body": "Het SCP wijst op de gevolgen voor studenten (fictief)."}
    assert api_as(people["members"][0]).post(url, body, format="json").status_code == 403
    added = api_as(people["expert"]).post(url, body, format="json")
    assert added.status_code == 201 and added.json()["institution"] == "SCP"
    assert api_as(people["szw"]).get(url).status_code == 403
    assert len(api_as(people["chair"]).get(url).json()) == 1
    services.advice_publish(request=request, actor=people["cpo"])
    assert api_as().get(f"{PUBLIC}china/").json()["reflections"][0]["institution"] == "SCP"


def test_dispatch_is_a_background_job(
    people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    request = request_make(actor=people["cpo"], key="china")
    decided(request=request, people=people)
    url = f"{BASE}china/dispatch/"
    assert api_as(people["cpo"]).post(url, {}).status_code == 403
    services.advice_sign_off(request=request, actor=people["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        started = api_as(people["chair"]).post(url, {"recipient": "SG SZW"}, format="json")
    assert started.status_code == 202, started.content
    job = api_as(people["chair"]).get(started.json()["status"]).json()
    assert job["status"] == "succeeded", job
    assert workflow.status_of(request) == "embargo"
    bad = api_as(people["chair"]).post(url, {"embargo_until": "morgen"}, format="json")
    assert bad.status_code == 400 and "embargo_until" in bad.json()


# --- fuzz: bad input is never a 500 --------------------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_json = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def _near(keys: dict[str, Any]) -> Any:
    """Bodies with the right keys and odd values (closer to the code paths than pure noise)."""
    return st.fixed_dictionaries({}, optional=dict(keys))


_REVISION_BODIES = _json | _near(
    {
        "sections": st.dictionaries(
            st.sampled_from(["summary", "advice", "minority", "x"]), _scalars, max_size=3
        )
        | _json,
        "base_number": st.integers(min_value=-2, max_value=5) | st.integers() | _scalars,
        "note": _scalars,
    }
)
_RESPONSE_BODIES = _json | _near(
    {
        "signal": st.text() | _scalars,
        "groups": st.lists(st.text(max_size=10), max_size=3) | _scalars,
        "direction": st.sampled_from(["negative", "x", ""]) | _scalars,
        "severity": st.sampled_from(["high", "laag", ""]) | _scalars,
        "source": _scalars,
        "interests_status": st.sampled_from(["none", "declared", "?"]) | _scalars,
        "declared_interests": _scalars,
    }
)
_FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def fuzz_request(people):
    request = request_make(actor=people["cpo"], key="china")
    services.advice_revision_save(
        request=request, sections=SECTIONS, base_number=None, actor=people["cpo"]
    )
    return request


@_FUZZ
@given(body=_REVISION_BODIES)
def test_fuzz_revision_save(people, fuzz_request, body):
    response = api_as(people["members"][0]).post(f"{BASE}china/revisions/", body, format="json")
    assert response.status_code in FUZZ_OK, (body, response.content)


@_FUZZ
@given(body=_RESPONSE_BODIES)
def test_fuzz_input_response(people, fuzz_request, body):
    _row, token = input_make(request=fuzz_request, actor=people["cpo"])
    response = api_as().post(f"/api/v1/advice/input/{token}/", body, format="json")
    assert response.status_code in FUZZ_OK, (body, response.content)


_ENDPOINTS = [
    "",
    "china/transition/",
    "china/inputs/",
    "china/comments/",
    "china/assignments/",
    "china/rounds/",
    "china/rounds/current/vote/",
    "china/rounds/current/close/",
    "china/revisions/skeleton/",
    "china/dispatch/",
    "china/publish/",
    "china/reflections/",
    "china/cabinet-responses/",
    "china/follow-ups/",
]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(endpoint=st.sampled_from(_ENDPOINTS), body=_json, who=st.sampled_from(["cpo", "chair"]))
def test_fuzz_other_writes(people, fuzz_request, endpoint, body, who):
    response = api_as(people[who]).post(f"{BASE}{endpoint}", body, format="json")
    assert response.status_code in FUZZ_OK | {202}, (endpoint, body, response.content)
