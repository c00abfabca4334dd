"""The proof of the advice process: the January 2023 request on travellers from China, replayed
end to end through the REST API only, one client per role.

The event is real: on 3 January 2023 the cabinet asked for advice on measures for travellers
from China, and the MIT advised alongside the OMT within days. Everything else here — the
people, the circle, the signals, the text, the votes, the cabinet's letter and the motion — is
fictional or synthetic and marked so. The replay runs in compressed time: the request arrived
20 hours before the first step, every later step happens within the test, and the deadline is
the urgent one of two days after receipt.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from paraat.accounts import roles
from paraat.accounts.tests.factories import UserFactory
from paraat.advice.tests.factories import committee
from paraat.assessments.tests.factories import AssessmentFactory, option_make
from paraat.measures.tests.factories import MeasureFactory, PackageFactory, PackageItemFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/advice/"
KEY = "reizigers-china-2023"
URL = f"{API}requests/{KEY}/"
PUBLIC = f"{API}published/"
SYNTHETIC = "(naspeling, synthetisch)"
DISSENT = "De aanbevolen test vóór vertrek treft studenten onevenredig (fictief)."
MINORITY = "Eén lid acht de test vóór vertrek niet proportioneel voor studenten (fictief)."


def as_(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ok(response: Any, code: int = 200) -> Any:
    assert response.status_code == code, (response.status_code, response.content[:2000])
    return response.json()


def status_now(client: APIClient) -> str:
    return str(ok(client.get(URL))["status"])


@pytest.fixture
def cast(settings, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path  # the dispatched PDF and DOCX
    people = committee()
    people["circle"] = UserFactory(
        username="kringtrekker",
        roles=[roles.CIRCLE_LEAD],
        email="kring-reizen@example.org",
        first_name="Noor",
        last_name="Vermeulen (fictief)",
    )
    people["expert"].first_name, people["expert"].last_name = "Sanne", "de Wit (fictief)"
    people["expert"].save()
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
    assessment = AssessmentFactory(
        key="reizigers-china-2023", title=f"Reizigers uit China {SYNTHETIC}"
    )
    option_make(assessment, name="Test vóór vertrek", key="test")
    return {"people": people, "packages": [masks, test], "assessment": assessment}


def test_replay_request_on_travellers_from_china(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    people = cast["people"]
    szw, cpo, chair, expert = people["szw"], people["cpo"], people["chair"], people["expert"]
    members = people["members"]
    anonymous = APIClient()

    # 1. SZW registers the urgent request with two options and the assessment.
    received = timezone.now() - dt.timedelta(hours=20)
    created = ok(
        as_(szw).post(
            f"{API}requests/",
            {
                "key": KEY,
                "title": f"Maatregelen voor reizigers uit China {SYNTHETIC}",
                "question": (
                    "Welke maatregelen voor reizigers uit China zijn vanuit maatschappelijk "
                    "perspectief proportioneel? (adviesvraag van 3 januari 2023)"
                ),
                "requester": "sg_szw",
                "requester_name": "Secretaris-generaal van SZW",
                "kind": "urgent",
                "received_at": received.isoformat(),
                "deadline": (received + dt.timedelta(days=2)).isoformat(),
                "options": ["mondkapjesplicht-china", "test-voor-vertrek"],
                "assessment": "reizigers-china-2023",
                "omt_reference": "OMT-adviesaanvraag reizigers uit China, 3 januari 2023",
                "is_synthetic": True,
            },
            format="json",
        ),
        201,
    )
    assert created["status"] == "received" and created["kind"] == "urgent"
    deadline = dt.datetime.fromisoformat(created["deadline"])
    assert deadline - dt.datetime.fromisoformat(created["received_at"]) == dt.timedelta(days=2)
    assert 27 < created["hours_left"] < 28.5 and created["overdue"] is False
    assert [o["name"] for o in created["options"]] == [
        "Mondkapjesplicht vluchten uit China",
        "Test vóór vertrek",
    ]
    assert created["assessment"] == "reizigers-china-2023"
    listed = ok(as_(members[0]).get(f"{API}requests/"))
    assert [(r["key"], r["status"]) for r in listed] == [(KEY, "received")]

    # 2. The CPO asks input from an expert member and a practice circle.
    ask = {
        "question": "Welke gevolgen verwacht u van een testplicht of mondkapjesplicht?",
        "deadline": (timezone.now() + dt.timedelta(hours=8)).isoformat(),
    }
    tokens = {}
    with django_capture_on_commit_callbacks(execute=True):
        for who, body in (
            (
                "expert",
                {
                    "recipient_kind": "expert_member",
                    "recipient": expert.username,
                    "recipient_name": "Sanne de Wit (fictief)",
                    "recipient_email": expert.email,
                    "organisation": "SCP",
                },
            ),
            (
                "circle",
                {
                    "recipient_kind": "practice_circle",
                    "recipient": people["circle"].username,
                    "recipient_name": "Noor Vermeulen (fictief)",
                    "recipient_email": people["circle"].email,
                    "organisation": "Praktijkkring reizen en toerisme (fictief)",
                },
            ),
        ):
            asked = ok(as_(cpo).post(f"{URL}inputs/", {**ask, **body}, format="json"), 201)
            assert asked["state"] == "open"
            tokens[who] = asked["token"]
    assert status_now(as_(cpo)) == "input_requested"
    mailed = {message.to[0]: message.body for message in mailoutbox}
    assert tokens["expert"] in mailed[expert.email]
    assert tokens["circle"] in mailed[people["circle"].email]

    # 3. Both answer through their link, without an account.
    answers = {
        "expert": {
            "signal": "Een testplicht raakt vooral studenten en familiebezoek (fictief).",
            "groups": ["travellers", "young-people"],
            "direction": "negative",
            "severity": "moderate",
            "source": "SCP-notitie (synthetisch)",
            "interests_status": "none",
        },
        "circle": {
            "signal": "Reisbureaus melden annuleringen en stigmatisering (fictief).",
            "groups": ["travellers"],
            "direction": "negative",
            "severity": "high",
            "source": "Ronde langs de kring (fictief)",
            "interests_status": "declared",
            "declared_interests": "De kring wordt mede gefinancierd door reisorganisaties.",
        },
    }
    for who, token in tokens.items():
        link = f"{API}input/{token}/"
        assert ok(anonymous.get(link))["question"] == ask["question"]
        with django_capture_on_commit_callbacks(execute=True):
            ok(anonymous.post(link, answers[who], format="json"), 201)
        assert anonymous.post(link, answers[who], format="json").status_code == 404
    assert status_now(as_(cpo)) == "contributions"

    # The answers are evidence items in the knowledge library, with their provenance.
    rows = ok(as_(cpo).get(f"{URL}inputs/"))
    assert {row["state"] for row in rows} == {"answered"}
    items = {
        row["recipient_kind"]: ok(
            as_(cpo).get(f"/api/v1/evidence/{row['response']['evidence']['id']}/")
        )
        for row in rows
    }
    circle_item, expert_item = items["practice_circle"], items["expert_member"]
    assert circle_item["item_type"] == "practice_signal"
    assert circle_item["on_behalf_of"] == "Praktijkkring reizen en toerisme (fictief)"
    assert "namens Praktijkkring reizen en toerisme" in circle_item["provenance"]
    assert "reisorganisaties" in circle_item["interests"]
    assert {link["group"] for link in circle_item["links"]} >= {"travellers"}
    assert {link["package"] for link in circle_item["links"]} >= {
        "mondkapjesplicht-china",
        "test-voor-vertrek",
    }
    assert expert_item["item_type"] == "expert_note"
    assert expert_item["knowledge_class"] == "scientific"
    assert "SCP" in expert_item["provenance"]
    assert expert_item["is_synthetic"] is True

    # 4. The dossier has the options, the assessment and the contributions; no OMT for members.
    dossier = ok(as_(members[0]).get(f"{URL}dossier/"))
    assert [o["key"] for o in dossier["options"]] == ["mondkapjesplicht-china", "test-voor-vertrek"]
    assert dossier["assessment"]["key"] == "reizigers-china-2023"
    assert len(dossier["contributions"]) == 2 and dossier["omt"] is None

    # 5. The CPO builds the skeleton from the dossier and writes two numbered recommendations.
    skeleton = ok(as_(cpo).post(f"{URL}revisions/skeleton/", {}, format="json"), 201)
    assert skeleton["number"] == 1
    assert "Mondkapjesplicht vluchten uit China" in skeleton["sections"]["summary"]
    assert circle_item["ref"] in skeleton["sections"]["reasoning"]  # cited, not invented
    text = {
        **skeleton["sections"],
        "summary": (
            "Het MIT adviseert geen inreisverbod en een beperkte testplicht "
            f"{SYNTHETIC}.\n\n" + skeleton["sections"]["summary"]
        ),
        "advice": (
            "1. Voer een mondkapjesplicht in op vluchten uit China.\n"
            "2. Vraag een negatieve test vóór vertrek, met uitzondering voor kinderen."
        ),
    }
    draft = ok(
        as_(cpo).post(
            f"{URL}revisions/",
            {"sections": text, "base_number": 1, "note": "Aanbevelingen"},
            format="json",
        ),
        201,
    )
    assert draft["number"] == 2 and status_now(as_(cpo)) == "draft"
    moved = ok(as_(cpo).post(f"{URL}transition/", {"to": "final_draft"}, format="json"))
    assert moved["status"] == "final_draft"

    # 6. A regular vote: chair and two members agree, one disagrees with a reason; the expert
    #    member's position is shown but not counted.
    opened = ok(
        as_(cpo).post(f"{URL}rounds/", {"mode": "regular", "quorum": 0.5}, format="json"), 201
    )
    assert opened["revision"] == 2 and opened["eligible"] == 4
    assert status_now(as_(cpo)) == "decision"
    vote = f"{URL}rounds/current/vote/"
    agree = {"answers": [{"choice": "agree", "reason": ""}]}
    for voter in (chair, members[0], members[1]):
        assert ok(as_(voter).post(vote, agree, format="json"), 201) == {
            "votes": 1,
            "counted": True,
        }
    against = {"answers": [{"choice": "disagree", "reason": DISSENT}]}
    ok(as_(members[2]).post(vote, against, format="json"), 201)
    position = {"answers": [{"choice": "agree_reservations", "reason": "SCP: zie notitie."}]}
    assert ok(as_(expert).post(vote, position, format="json"), 201)["counted"] is False
    standing = ok(as_(chair).get(f"{URL}rounds/current/"))["tally"]
    assert (standing["agree"], standing["disagree"], standing["positions"]) == (3, 1, 1)
    assert ok(as_(members[0]).get(f"{URL}rounds/current/"))["tally"] is None
    decision = ok(
        as_(chair).post(
            f"{URL}rounds/current/close/", {"minority_position": MINORITY}, format="json"
        ),
        201,
    )
    assert decision["outcome"] == "majority"
    assert decision["minority_position"] == MINORITY

    # 7. Chairs' alignment, the chair signs, and the advice is sent (a background job).
    ok(as_(chair).post(f"{URL}transition/", {"to": "alignment"}, format="json"))
    signed = ok(as_(chair).post(f"{URL}sign-off/"), 201)
    assert signed["revision"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        started = ok(
            as_(chair).post(
                f"{URL}dispatch/", {"recipient": "Secretaris-generaal van SZW"}, format="json"
            ),
            202,
        )
    job = ok(as_(chair).get(started["status"]))
    assert job["status"] == "succeeded", job
    detail = ok(as_(cpo).get(URL))
    assert detail["status"] == "embargo"
    assert [h["status"] for h in detail["status_history"]][-2:] == ["sent", "embargo"]
    recommendations = ok(as_(szw).get(f"{URL}recommendations/"))
    assert [r["number"] for r in recommendations] == [1, 2]

    # 8. Under embargo nothing is public.
    assert ok(anonymous.get(PUBLIC)) == []
    assert anonymous.get(f"{PUBLIC}{KEY}/").status_code == 404
    assert anonymous.get(URL).status_code == 404
    assert anonymous.get(f"{URL}dossier/").status_code == 404

    # 9. Publication: the text, the outcome and the minority position; never the ballots.
    ok(as_(expert).post(f"{URL}reflections/", {"body": f"Reflectie van het SCP {SYNTHETIC}."}), 201)
    ok(as_(cpo).post(f"{URL}publish/", {"url": "https://example.org/mit/china-2023"}), 201)
    assert [row["key"] for row in ok(anonymous.get(PUBLIC))] == [KEY]
    page = ok(anonymous.get(f"{PUBLIC}{KEY}/"))
    sections = {s["key"]: s["text"] for s in page["sections"]}
    assert "mondkapjesplicht in op vluchten uit China" in sections["advice"]
    assert page["decision"]["outcome"] == "majority"
    assert page["decision"]["minority_position"] == MINORITY
    assert page["reflections"][0]["institution"] == "SCP"
    published = json.dumps(page)
    for secret in (DISSENT, "SCP: zie notitie.", "tally", "votes", "voter", members[2].username):
        assert secret not in published
    assert page["is_synthetic"] is True

    # 10. SZW records the cabinet's response per recommendation, then a motion follows.
    response = ok(
        as_(szw).post(
            f"{URL}cabinet-responses/",
            {
                "date": timezone.localdate().isoformat(),
                "title": f"Kamerbrief over reizigers uit China {SYNTHETIC}",
                "statuses": [
                    {"recommendation": 1, "status": "adopted"},
                    {
                        "recommendation": 2,
                        "status": "not_adopted",
                        "justification": "Europese afstemming gaat voor (fictief).",
                    },
                ],
            },
            format="json",
        ),
        201,
    )
    assert [(s["recommendation"], s["status"]) for s in response["statuses"]] == [
        (1, "adopted"),
        (2, "not_adopted"),
    ]
    assert status_now(as_(szw)) == "cabinet_response"
    ok(
        as_(szw).post(
            f"{URL}follow-ups/",
            {
                "kind": "motion",
                "title": "Motie over testen van reizigers uit China (fictief)",
                "date": timezone.localdate().isoformat(),
            },
            format="json",
        ),
        201,
    )
    assert status_now(as_(szw)) == "follow_up"
    page = ok(anonymous.get(f"{PUBLIC}{KEY}/"))
    assert [(r["number"], r["status"]) for r in page["recommendations"]] == [
        (1, "adopted"),
        (2, "not_adopted"),
    ]
    assert page["recommendations"][1]["justification"] == "Europese afstemming gaat voor (fictief)."
    assert page["follow_ups"][0]["kind"] == "motion"

    # 11. The timeline: where the hours went, and the deadline met.
    timeline = ok(as_(cpo).get(f"{URL}timeline/"))
    assert timeline["met_deadline"] is True
    assert timeline["hours_left"] is None  # the deadline stopped running at dispatch
    hours = timeline["hours"]
    for phase in (
        "received",
        "input_requested",
        "contributions",
        "draft",
        "final_draft",
        "decision",
        "alignment",
    ):
        assert phase in hours, (phase, hours)
    assert 19.9 < hours["received"] < 20.5
    assert 19.9 < timeline["total_hours"] < 48
    assert [p["phase"] for p in timeline["phases"]][-1] == "follow_up"
