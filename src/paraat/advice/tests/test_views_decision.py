"""The decision pages, end to end through the browser's requests: the vote (regular and
rapid), closing with the minority position, sign-off, the dispatch job, the embargo (nothing
public, nothing in the knowledge library), publication, reflections, the cabinet response
and follow-up. Refused input comes back on the page (400), refused roles get 403, requests a
user may not see 404; nothing gives a 500."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.advice import selectors, services, workflow
from paraat.advice.models import (
    AdviceRequest,
    CabinetResponse,
    Decision,
    DecisionRound,
    Dispatch,
    FollowUp,
    Reflection,
    SignOff,
    Vote,
)
from paraat.advice.tests import factories
from paraat.evidence import selectors as evidence_selectors
from paraat.evidence.models import EvidenceItem
from paraat.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    people = factories.committee()
    advice = factories.request_make(actor=people["cpo"])
    return {**people, "advice": advice}


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _url(name: str, advice: AdviceRequest, *args: Any) -> str:
    return reverse(f"advice:{name}", args=[advice.key, *args])


def _final_draft(world: dict[str, Any]) -> AdviceRequest:
    advice = world["advice"]
    services.advice_revision_save(
        request=advice, sections=factories.SECTIONS, base_number=None, actor=world["cpo"]
    )
    services.advice_transition(request=advice, to="final_draft", actor=world["cpo"])
    return advice


def _open(client: Client, advice: AdviceRequest, **data: str) -> Any:
    values = {"open-mode": "regular", "open-closes_at": "", "open-quorum": "0.5"}
    values.update({f"open-{k}": v for k, v in data.items()})
    return client.post(_url("vote-open", advice), values)


def _cast(user: Any, advice: AdviceRequest, choice: str, reason: str = "") -> Any:
    return _client(user).post(
        _url("vote-cast", advice), {"vote-choice": choice, "vote-reason": reason}
    )


def _text(response: Any) -> str:
    return response.content.decode()


# --- the regular vote ---------------------------------------------------------------------------


def test_regular_vote_through_the_pages(world: dict[str, Any]) -> None:
    advice = _final_draft(world)
    cpo, chair, members, expert = world["cpo"], world["chair"], world["members"], world["expert"]

    page = _client(cpo).get(_url("vote", advice))
    assert page.status_code == 200 and "Stemming openen" in _text(page)
    assert "Er loopt geen stemming." in _text(_client(members[0]).get(_url("vote", advice)))
    assert _open(_client(members[0]), advice).status_code == 403

    response = _open(_client(cpo), advice)
    assert response.status_code == 302
    round_ = DecisionRound.objects.get(request=advice)
    assert round_.closes_at == advice.deadline  # default: the request's deadline
    assert round_.quorum == 0.5 and round_.eligible == 4
    assert workflow.status_of(advice) == "decision"
    page = _text(_client(members[0]).get(_url("vote", advice)))
    assert "Stem uitbrengen" in page
    assert f'href="{_url("revision", advice, 1)}"' in page
    assert 'name="vote-choice" value="agree_reservations"' in page

    # A disagree without a reason is refused on the field; nothing is stored.
    refused = _cast(members[0], advice, "disagree")
    assert refused.status_code == 400
    assert "Licht toe waarom u het oneens bent." in _text(refused)
    assert 'id="id_vote-reason_error"' in _text(refused)
    assert re.search(r'aria-describedby="[^"]*id_vote-reason_error', _text(refused))
    assert not Vote.objects.exists()

    assert _cast(members[0], advice, "agree").status_code == 302
    mine = _text(_client(members[0]).get(_url("vote", advice)))
    assert "U heeft gestemd" in mine and "Stem uitbrengen" not in mine
    # Votes are immutable: a second ballot is refused, without a 500, the first one stands.
    again = _cast(members[0], advice, "disagree", "Toch niet")
    assert again.status_code == 400
    assert "al gestemd" in _text(again)
    assert list(Vote.objects.filter(voter=members[0]).values_list("choice", flat=True)) == ["agree"]

    assert _cast(chair, advice, "agree_reservations", "Mits tijdelijk").status_code == 302
    assert _cast(members[1], advice, "disagree", "Te streng voor reizigers").status_code == 302

    # The expert member gives a position: shown, never counted.
    expert_page = _text(_client(expert).get(_url("vote", advice)))
    assert "Standpunt (telt niet mee)" in expert_page
    assert _cast(expert, advice, "disagree", "Positie SCP: te weinig bewijs").status_code == 302
    assert Vote.objects.get(voter=expert).counted is False
    tally = services.round_tally(round_=round_)
    assert (tally["cast"], tally["positions"], tally["outcome"]) == (3, 1, "majority")

    # Who sees the count and the ballots while the round is open.
    chair_page = _text(_client(chair).get(_url("vote", advice)))
    assert "Telling tot nu toe" in chair_page
    assert "Positie SCP: te weinig bewijs" in chair_page and "telt niet mee" in chair_page
    cpo_page = _text(_client(cpo).get(_url("vote", advice)))
    assert "Telling tot nu toe" in cpo_page and "U stemt niet mee" in cpo_page
    member_page = _text(_client(members[2]).get(_url("vote", advice)))
    assert "Telling tot nu toe" not in member_page
    assert "Te streng voor reizigers" not in member_page  # no names or reasons before closing
    assert _client(world["szw"]).get(_url("vote", advice)).status_code == 403
    assert _client(world["analyst"]).get(_url("vote", advice)).status_code == 404
    assert _cast(cpo, advice, "agree").status_code == 403  # no vote, no position
    assert _client(members[2]).post(_url("vote-close", advice)).status_code == 403

    # A majority needs the minority position.
    refused = _client(chair).post(_url("vote-close", advice), {"close-minority_position": " "})
    assert refused.status_code == 400
    assert "Leg het minderheidsstandpunt vast" in _text(refused)
    assert 'id="id_close-minority_position_error"' in _text(refused)
    assert not Decision.objects.exists()
    closed = _client(chair).post(
        _url("vote-close", advice),
        {"close-minority_position": "Lid 2 vindt de test te streng voor reizigers."},
    )
    assert closed.status_code == 302
    decision = Decision.objects.get(round=round_)
    assert decision.outcome == "majority"
    assert decision.tally["positions"] == 1 and decision.tally["cast"] == 3

    after = _text(_client(members[2]).get(_url("vote", advice)))
    assert "Gesloten besluitrondes" in after and "meerderheid" in after
    assert "Lid 2 vindt de test te streng voor reizigers." in after
    assert "Te streng voor reizigers" in after  # ballots with reasons after closing
    assert "Positie SCP: te weinig bewijs" in after and "telt niet mee" in after
    assert "Stem uitbrengen" not in after
    assert _cast(members[2], advice, "agree").status_code == 302  # no open round: back
    assert Vote.objects.filter(voter=members[2]).count() == 0


def test_open_round_bad_input_is_a_400(world: dict[str, Any]) -> None:
    advice = _final_draft(world)
    client = _client(world["cpo"])
    response = _open(client, advice, quorum="abc")
    assert response.status_code == 400 and 'id="id_open-quorum_error"' in _text(response)
    past = timezone.localtime(timezone.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = _open(client, advice, closes_at=past)
    assert response.status_code == 400
    assert "Het sluitmoment ligt in de toekomst." in _text(response)
    response = _open(client, advice, mode="ranked")
    assert response.status_code == 400
    assert not DecisionRound.objects.exists()
    assert client.get(_url("vote-open", advice)).status_code == 405


# --- the rapid round ----------------------------------------------------------------------------


def test_rapid_round_with_statements(world: dict[str, Any]) -> None:
    advice = _final_draft(world)
    cpo, chair, members = world["cpo"], world["chair"], world["members"]

    missing = _open(_client(cpo), advice, mode="rapid")
    assert missing.status_code == 400
    assert "vooraf ingevulde oordelen" in _text(missing)
    assert 'id="id_open-statements_error"' in _text(missing)

    tomorrow = timezone.localtime(timezone.now() + dt.timedelta(days=1))
    opened = _open(
        _client(cpo),
        advice,
        mode="rapid",
        statements="Een inreisverbod is niet proportioneel.\n\nEen test vóór vertrek wel.\n",
        closes_at=tomorrow.strftime("%Y-%m-%dT%H:%M"),
        quorum="0.7",
    )
    assert opened.status_code == 302
    round_ = DecisionRound.objects.get(request=advice)
    assert round_.mode == "rapid" and round_.quorum == 0.7
    assert round_.closes_at == tomorrow.replace(second=0, microsecond=0)
    first, second = round_.statements.all()
    assert first.text == "Een inreisverbod is niet proportioneel."

    page = _text(_client(members[0]).get(_url("vote", advice)))
    assert "Een test vóór vertrek wel." in page
    assert f'name="vote-s{first.pk}_choice" value="dont_know"' in page
    assert 'value="agree_reservations"' not in page  # rapid: agree / disagree / don't know

    def answer(user: Any, one: str, two: str, reason: str = "") -> Any:
        return _client(user).post(
            _url("vote-cast", advice),
            {
                f"vote-s{first.pk}_choice": one,
                f"vote-s{first.pk}_reason": reason,
                f"vote-s{second.pk}_choice": two,
                f"vote-s{second.pk}_reason": "",
            },
        )

    refused = answer(members[0], "disagree", "agree")
    assert refused.status_code == 400
    assert f'id="id_vote-s{first.pk}_reason_error"' in _text(refused)
    assert "Licht toe waarom u het oneens bent." in _text(refused)
    incomplete = _client(members[0]).post(
        _url("vote-cast", advice), {f"vote-s{first.pk}_choice": "agree"}
    )
    assert incomplete.status_code == 400  # every judgement is answered
    assert not Vote.objects.exists()

    assert answer(members[0], "agree", "agree").status_code == 302
    assert answer(members[1], "agree", "dont_know").status_code == 302
    assert answer(chair, "agree", "agree").status_code == 302
    assert answer(world["expert"], "disagree", "agree", "Te weinig bewijs").status_code == 302
    assert Vote.objects.filter(round=round_, counted=True).count() == 6
    assert answer(members[0], "disagree", "agree", "Spijt").status_code == 400

    chair_page = _text(_client(chair).get(_url("vote", advice)))
    assert "Telling tot nu toe" in chair_page
    assert _client(chair).post(_url("vote-close", advice), {}).status_code == 302
    decision = Decision.objects.get(round=round_)
    assert decision.outcome == "consensus"  # nobody with a vote disagreed
    assert set(decision.tally["statements"]) == {"1", "2"}
    after = _text(_client(members[2]).get(_url("vote", advice)))
    assert "consensus" in after and "Te weinig bewijs" in after


# --- sign-off, dispatch, embargo, publication -----------------------------------------------------


def _library_titles(user: Any) -> list[str]:
    result = evidence_selectors.evidence_search(user=user, query="Reizigers uit China")
    return [hit.item.title for hit in result.hits]


def _public_titles(client: Client) -> str:
    return _text(client.get(reverse("advice_public:list")))


def test_sign_off_dispatch_embargo_publish(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    advice = world["advice"]
    factories.decided(request=advice, people=world)
    chair, cpo, member, expert = world["chair"], world["cpo"], world["members"][0], world["expert"]

    # Sign-off: the chair only.
    assert _client(member).post(_url("sign-off", advice)).status_code == 403
    assert _client(cpo).post(_url("sign-off", advice)).status_code == 403
    assert _client(world["analyst"]).post(_url("sign-off", advice)).status_code == 404
    page = _text(_client(chair).get(_url("dispatch", advice)))
    assert "Advies ondertekenen" in page
    assert "Advies ondertekenen" not in _text(_client(member).get(_url("dispatch", advice)))
    assert _client(chair).post(_url("sign-off", advice)).status_code == 302
    sign_off = SignOff.objects.get(request=advice)
    assert sign_off.chair == chair and sign_off.revision.number == 1

    page = _text(_client(chair).get(_url("dispatch", advice)))
    assert 'value="Secretaris-generaal van SZW"' in page
    assert "Verzenden aan de secretaris-generaal" in page
    assert _client(member).post(_url("dispatch", advice), {}).status_code == 403

    bad = _client(chair).post(
        _url("dispatch", advice),
        {"dispatch-recipient": "SG", "dispatch-embargo_until": "gisteren"},
    )
    assert bad.status_code == 400 and 'id="id_dispatch-embargo_until_error"' in _text(bad)

    with django_capture_on_commit_callbacks(execute=True):
        response = _client(chair).post(
            _url("dispatch", advice),
            {
                "dispatch-recipient": "Secretaris-generaal van SZW",
                "dispatch-embargo_until": "",
                "dispatch-embargo_note": "Tot de Kamerbrief is verstuurd.",
            },
        )
    job = Job.objects.get(kind="advice_dispatch")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", kwargs={"job_id": job.pk})
    assert job.status == JobStatus.SUCCEEDED
    job_page = _text(_client(chair).get(response["Location"]))
    assert "klaar" in job_page and _url("dispatch", advice) in job_page

    dispatch = Dispatch.objects.get(request=advice)
    assert workflow.status_of(advice) == "embargo"
    assert advice.recommendations.count() == 2
    page = _text(_client(world["szw"]).get(_url("dispatch", advice)))
    assert "onder embargo" in page and "Tot de Kamerbrief is verstuurd." in page
    assert _url("dispatch-file", advice, "pdf") in page

    # The files: for whoever may see the request (the SZW officer too), as attachments.
    got = _client(world["szw"]).get(_url("dispatch-file", advice, "pdf"))
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    assert f"advies-{advice.key}-v1.pdf" in got["Content-Disposition"]
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content).startswith(b"%PDF")
    word = _client(chair).get(_url("dispatch-file", advice, "docx"))
    assert word.status_code == 200 and word["Content-Disposition"].startswith("attachment")
    b"".join(word.streaming_content)
    factories.close_response(word)
    assert _client(chair).get(_url("dispatch-file", advice, "html")).status_code == 404
    assert _client(world["analyst"]).get(_url("dispatch-file", advice, "pdf")).status_code == 404
    anonymous = Client().get(_url("dispatch-file", advice, "pdf"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert dispatch.pdf and dispatch.docx

    # Embargo: nothing public, nothing in the knowledge library.
    assert advice not in selectors.public_list()
    assert selectors.public_get(key=advice.key) is None
    assert advice.title not in _public_titles(Client())
    assert Client().get(reverse("advice_public:detail", args=[advice.key])).status_code == 404
    assert not EvidenceItem.objects.filter(title=advice.title).exists()
    for reader in (AnonymousUser(), cpo):
        assert advice.title not in _library_titles(reader)
    library = Client().get(reverse("evidence:list"), {"q": "Reizigers uit China"})
    assert advice.title not in _text(library)

    # Reflections: expert members only.
    assert (
        _client(member).post(_url("reflection-add", advice), {"reflection-body": "Mag niet"})
    ).status_code == 403
    empty = _client(expert).post(_url("reflection-add", advice), {"reflection-body": ""})
    assert empty.status_code == 400 and 'id="id_reflection-body_error"' in _text(empty)
    assert (
        _client(expert).post(
            _url("reflection-add", advice),
            {"reflection-institution": "", "reflection-body": "Het SCP onderschrijft dit."},
        )
    ).status_code == 302
    reflection = Reflection.objects.get(request=advice)
    assert reflection.institution == "SCP"
    assert "Het SCP onderschrijft dit." in _text(_client(member).get(_url("dispatch", advice)))

    # Publication lifts the embargo.
    assert "Embargo opheffen en publiceren" in _text(_client(cpo).get(_url("dispatch", advice)))
    assert _client(chair).post(_url("publish", advice), {}).status_code == 403
    bad = _client(cpo).post(_url("publish", advice), {"publish-url": "geen adres"})
    assert bad.status_code == 400 and 'id="id_publish-url_error"' in _text(bad)
    published = _client(cpo).post(
        _url("publish", advice), {"publish-url": "https://www.rijksoverheid.nl/advies-china"}
    )
    assert published.status_code == 302
    assert workflow.status_of(advice) == "published"
    assert advice in selectors.public_list()
    assert advice.title in _public_titles(Client())
    assert EvidenceItem.objects.filter(title=advice.title, confidentiality="public").exists()
    assert advice.title in _library_titles(AnonymousUser())
    again = _client(cpo).post(_url("publish", advice), {"publish-url": ""})
    assert again.status_code == 400  # already published: refused on the page


def test_dispatch_page_without_sign_off_and_bad_requests(world: dict[str, Any]) -> None:
    advice = world["advice"]
    page = _client(world["szw"]).get(_url("dispatch", advice))
    assert page.status_code == 200 and "Nog niet ondertekend" in _text(page)
    assert _client(world["szw"]).get(_url("dispatch-file", advice, "pdf")).status_code == 404
    # Sign-off before the alignment: refused on the page, not a 500.
    refused = _client(world["chair"]).post(_url("sign-off", advice))
    assert refused.status_code == 400 and "afstemming" in _text(refused)
    # Dispatch without a sign-off: refused by the job's early check.
    response = _client(world["chair"]).post(
        _url("dispatch", advice), {"dispatch-recipient": "SG", "dispatch-embargo_until": ""}
    )
    assert response.status_code == 400
    assert not Job.objects.exists()
    assert _client(world["chair"]).get(_url("sign-off", advice)).status_code == 405
    assert _client(world["chair"]).get(_url("vote", advice) + "x/").status_code == 404


# --- cabinet response and follow-up ---------------------------------------------------------------


def _published(world: dict[str, Any]) -> AdviceRequest:
    advice = world["advice"]
    factories.decided(request=advice, people=world)
    services.advice_sign_off(request=advice, actor=world["chair"])
    services.advice_dispatch(request=advice, actor=world["chair"])
    services.advice_publish(request=advice, actor=world["cpo"])
    return advice


def test_cabinet_response_and_follow_up(world: dict[str, Any]) -> None:
    szw, member = world["szw"], world["members"][0]
    early = _client(szw).get(_url("cabinet-response", world["advice"]))
    assert early.status_code == 200 and "nog niet gepubliceerd" in _text(early)
    advice = _published(world)
    first = advice.recommendations.get(number=1)

    page = _text(_client(szw).get(_url("cabinet-response", advice)))
    assert "Kabinetsreactie vastleggen" in page and first.text in page
    assert 'name="response-status_2"' in page
    member_page = _client(member).get(_url("cabinet-response", advice))
    assert member_page.status_code == 200
    assert "Kabinetsreactie vastleggen" not in _text(member_page)
    assert _client(member).post(_url("cabinet-response", advice), {}).status_code == 403
    assert _client(world["analyst"]).get(_url("cabinet-response", advice)).status_code == 404

    data = {
        "response-date": "2023-02-10",
        "response-title": "Kabinetsreactie op het advies over reizigers uit China",
        "response-url": "https://www.rijksoverheid.nl/kabinetsreactie",
        "response-summary": "Het kabinet neemt het advies grotendeels over.",
        "response-status_1": "adopted",
        "response-justification_1": "",
        "response-status_2": "not_adopted",
        "response-justification_2": "",
    }
    refused = _client(szw).post(_url("cabinet-response", advice), data)
    assert refused.status_code == 400
    assert "Geef de motivering van het kabinet." in _text(refused)
    assert 'id="id_response-justification_2_error"' in _text(refused)
    assert not CabinetResponse.objects.exists()
    bad_status = _client(szw).post(
        _url("cabinet-response", advice), {**data, "response-status_1": "maybe"}
    )
    assert bad_status.status_code == 400

    data["response-justification_2"] = "Een test vóór vertrek is niet uitvoerbaar."
    assert _client(szw).post(_url("cabinet-response", advice), data).status_code == 302
    response = CabinetResponse.objects.get(request=advice)
    statuses = {
        s.recommendation.number: (s.status, s.justification) for s in response.statuses.all()
    }
    assert statuses == {
        1: ("adopted", ""),
        2: ("not_adopted", "Een test vóór vertrek is niet uitvoerbaar."),
    }
    assert workflow.status_of(advice) == "cabinet_response"
    page = _text(_client(member).get(_url("cabinet-response", advice)))
    assert "niet overgenomen" in page and "Een test vóór vertrek is niet uitvoerbaar." in page

    # Follow-up.
    missing = _client(szw).post(
        _url("follow-up-add", advice), {"follow-kind": "motion", "follow-date": "2023-02-20"}
    )
    assert missing.status_code == 400 and 'id="id_follow-title_error"' in _text(missing)
    assert _client(member).post(_url("follow-up-add", advice), {}).status_code == 403
    added = _client(szw).post(
        _url("follow-up-add", advice),
        {
            "follow-kind": "motion",
            "follow-title": "Motie over testen bij vertrek",
            "follow-reference": "36200-XVI-42",
            "follow-url": "",
            "follow-date": "2023-02-20",
            "follow-note": "",
        },
    )
    assert added.status_code == 302
    assert FollowUp.objects.get(request=advice).reference == "36200-XVI-42"
    assert workflow.status_of(advice) == "follow_up"
    page = _text(_client(member).get(_url("cabinet-response", advice)))
    assert "Motie over testen bij vertrek" in page and "motie" in page


def test_no_500_on_posts_in_the_wrong_state(world: dict[str, Any]) -> None:
    advice = world["advice"]  # just received: nothing to vote on, nothing to respond to
    cpo, szw = world["cpo"], world["szw"]
    assert _open(_client(cpo), advice).status_code == 400
    assert _client(world["chair"]).post(_url("vote-close", advice), {}).status_code == 302
    assert _client(cpo).post(_url("publish", advice), {}).status_code == 400
    response = _client(szw).post(
        _url("cabinet-response", advice),
        {"response-date": "2023-02-10", "response-title": "Te vroeg"},
    )
    assert response.status_code == 400 and "gepubliceerd" in _text(response)
    response = _client(szw).post(
        _url("follow-up-add", advice),
        {"follow-kind": "motion", "follow-title": "Te vroeg", "follow-date": "2023-02-10"},
    )
    assert response.status_code == 400
    assert re.search(r"gepubliceerd advies", _text(response))
