"""The advice text pages: dossier, editor (versions, conflicts, merges), versions with their
differences, comments, tasks and the version as a document.

Who may read: the CPO secretariat, the chair, members and expert members (``view_drafts``);
an analyst does not see the request (404), an SZW officer sees the request but not its drafts
(403), anonymous visitors are sent to the login page. The dossier never shows what the reader
may not see: OMT documents without a grant, confidential evidence without the right.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.accounts.models import Confidentiality
from paraat.advice import services, views_text
from paraat.advice.models import (
    AdviceRequest,
    AdviceRevision,
    Assignment,
    Comment,
    OmtAccessLog,
    Section,
)
from paraat.advice.tests import factories
from paraat.evidence import services as evidence_services
from paraat.evidence.tests.factories import EvidenceItemFactory
from paraat.measures.tests.factories import MeasureFactory, PackageFactory, PackageItemFactory

pytestmark = pytest.mark.django_db

EMPTY = dict.fromkeys(Section.values, "")


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    people = factories.committee()
    package = PackageFactory(name_nl="Pakket reizigers (synthetisch)")
    measure = MeasureFactory(name_nl="Testplicht voor vertrek (synthetisch)")
    PackageItemFactory(package=package, measure=measure)
    advice = factories.request_make(actor=people["cpo"], options=[package])
    return {**people, "advice": advice, "package": package, "measure": measure}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, advice: AdviceRequest, *args: Any) -> str:
    return reverse(f"advice:{name}", args=[advice.key, *args])


def _save(advice: AdviceRequest, actor: Any, base: int | None, /, **texts: str) -> AdviceRevision:
    return services.advice_revision_save(
        request=advice, sections={**EMPTY, **texts}, base_number=base, actor=actor
    )


def _post_text(client: Client, advice: AdviceRequest, base: int | None, /, **texts: str) -> Any:
    data = {**EMPTY, **texts, "base_number": "" if base is None else str(base), "note": ""}
    return client.post(_url("text", advice), data)


def _html(response: Any) -> str:
    return response.content.decode()


# --- access -------------------------------------------------------------------------------------


def test_committee_reads_the_text_pages(world: dict[str, Any]) -> None:
    advice = world["advice"]
    _save(advice, world["cpo"], None, summary="Eerste samenvatting.")
    readers = [world["cpo"], world["chair"], world["members"][0], world["expert"]]
    for user in readers:
        client = _client(user)
        for name, args in (
            ("dossier", ()),
            ("text", ()),
            ("revisions", ()),
            ("revision", (1,)),
        ):
            response = client.get(_url(name, advice, *args))
            assert response.status_code == 200, (user.username, name)
        assert "Eerste samenvatting." in _html(client.get(_url("text", advice)))


def test_others_cannot_read_the_text_pages(world: dict[str, Any]) -> None:
    advice = world["advice"]
    _save(advice, world["cpo"], None, summary="Geheime conceptzin.")
    pages = [
        _url("dossier", advice),
        _url("text", advice),
        _url("revisions", advice),
        _url("revision", advice, 1),
        _url("revision-document", advice, 1, "docx"),
    ]
    analyst, szw = _client(world["analyst"]), _client(world["szw"])
    anonymous = Client()
    for url in pages:
        assert analyst.get(url).status_code == 404, url
        response = szw.get(url)
        assert response.status_code == 403, url
        assert "Geheime conceptzin." not in _html(response)
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"], url
    # Writing is refused too, and nothing is stored.
    assert _post_text(szw, advice, 1, summary="Van SZW").status_code == 403
    assert szw.post(_url("skeleton", advice)).status_code == 403
    comment = {"section": "summary", "body": "Mag dit?"}
    assert szw.post(_url("comment-add", advice), comment).status_code == 403
    assert analyst.post(_url("comment-add", advice), comment).status_code == 404
    assert advice.revisions.count() == 1 and not Comment.objects.exists()


def test_expert_member_reads_but_does_not_edit(world: dict[str, Any]) -> None:
    advice = world["advice"]
    _save(advice, world["cpo"], None, summary="Tekst.")
    client = _client(world["expert"])
    page = _html(client.get(_url("text", advice)))
    assert 'name="summary"' not in page and "Tekst." in page
    assert _post_text(client, advice, 1, summary="Anders").status_code == 403
    assert advice.revisions.count() == 1


# --- skeleton and saving ---------------------------------------------------------------------


def test_skeleton_builds_version_one_from_the_dossier(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    advice = world["advice"]
    with django_capture_on_commit_callbacks(execute=True):
        input_request, _token = factories.input_make(request=advice, actor=world["cpo"])
        response = services.input_response_submit(
            input_request=input_request,
            data=services.ResponseData(
                signal="Reizigers ervaren stigma bij aankomst.",
                severity="high",
                interests_status="none",
            ),
        )
    ref = response.evidence.ref
    client = _client(world["cpo"])
    page = _html(client.get(_url("text", advice)))
    assert "Opzet uit dossier maken" in page

    result = client.post(_url("skeleton", advice))
    assert result.status_code == 302
    revision = advice.revisions.get()
    assert revision.number == 1 and revision.note == "Opzet uit het dossier"
    assert advice.question in revision.sections["summary"]
    assert f"[@{ref}]" in revision.sections["reasoning"]
    assert "Reizigers ervaren stigma" in revision.sections["reasoning"]
    page = _html(client.get(result["Location"]))
    assert "versie 1" in page and f"[@{ref}]" in page

    # A second skeleton over an existing text is refused, with a message, not a 500.
    again = client.post(_url("skeleton", advice))
    assert again.status_code == 400
    assert "Er is al een versie" in _html(again)
    assert advice.revisions.count() == 1


def test_saving_creates_versions(world: dict[str, Any]) -> None:
    advice = world["advice"]
    client = _client(world["members"][0])
    response = _post_text(client, advice, None, summary="Versie een.", advice="1. Doe A")
    assert response.status_code == 302 and response["Location"].endswith("/tekst/")
    response = _post_text(client, advice, 1, summary="Versie twee.", advice="1. Doe A")
    assert response.status_code == 302
    assert list(advice.revisions.values_list("number", flat=True)) == [1, 2]
    latest = advice.revisions.get(number=2)
    assert latest.sections["summary"] == "Versie twee." and latest.base_number == 1
    assert latest.author == world["members"][0]
    page = _html(client.get(_url("text", advice)))
    assert 'name="base_number" value="2"' in page
    assert "Opgeslagen als versie 2." in page
    # Saving the same text again makes no new version.
    _post_text(client, advice, 2, summary="Versie twee.", advice="1. Doe A")
    assert advice.revisions.count() == 2
    listing = _html(client.get(_url("revisions", advice)))
    assert "Versie 1" in listing and "Versie 2" in listing


def test_bad_input_gives_errors_not_500(world: dict[str, Any]) -> None:
    advice = world["advice"]
    client = _client(world["cpo"])
    _save(advice, world["cpo"], None, summary="Een.")
    # Unknown base version.
    response = _post_text(client, advice, 9, summary="Twee.")
    assert response.status_code == 400 and "Onbekende versie" in _html(response)
    # Not a number.
    response = client.post(_url("text", advice), {**EMPTY, "base_number": "abc"})
    assert response.status_code == 400
    # Too long a note.
    response = client.post(_url("text", advice), {**EMPTY, "base_number": "1", "note": "x" * 400})
    assert response.status_code == 400 and 'aria-describedby="id_note_error"' in _html(response)
    assert advice.revisions.count() == 1


def test_frozen_text_shows_the_reason(world: dict[str, Any]) -> None:
    advice = world["advice"]
    factories.decided(request=advice, people=world)
    client = _client(world["cpo"])
    page = _html(client.get(_url("text", advice)))
    assert "De tekst ligt vast" in page and 'name="summary"' not in page
    response = _post_text(client, advice, 1, summary="Te laat.")
    assert response.status_code == 400
    assert "De tekst ligt vast: het advies is besloten." in _html(response)
    assert advice.revisions.count() == 1


# --- concurrent edits --------------------------------------------------------------------------


def test_same_section_conflict_shows_both_texts_and_saves_nothing(world: dict[str, Any]) -> None:
    advice = world["advice"]
    alice, bob = world["members"][0], world["members"][1]
    _save(advice, world["cpo"], None, summary="Basis.", reasoning="Oude onderbouwing.")
    # Alice saves first, from version 1: summary and reasoning.
    assert (
        _post_text(
            _client(alice),
            advice,
            1,
            summary="Tekst van Alice.",
            reasoning="Nieuwe onderbouwing van Alice.",
        ).status_code
        == 302
    )
    # Bob also started from version 1 and changed the summary only.
    bob_client = _client(bob)
    response = _post_text(
        bob_client, advice, 1, summary="Tekst van Bob.", reasoning="Oude onderbouwing."
    )
    assert response.status_code == 409
    page = _html(response)
    assert advice.revisions.count() == 2
    name = alice.get_full_name()
    assert f"Tekst van versie 2 (door {name})" in page
    assert "Uw tekst" in page
    theirs = re.search(r'data-conflict="theirs">(.*?)</div>', page, re.S)
    mine = re.search(r'data-conflict="mine">(.*?)</div>', page, re.S)
    assert theirs and "Tekst van Alice." in theirs.group(1)
    assert mine and "Tekst van Bob." in mine.group(1)
    # The form holds Bob's text, Alice's untouched reasoning, and is based on version 2.
    assert 'name="base_number" value="2"' in page
    summary_box = re.search(r'<textarea name="summary"[^>]*>(.*?)</textarea>', page, re.S)
    assert summary_box and "Tekst van Bob." in summary_box.group(1)
    reasoning_box = re.search(r'<textarea name="reasoning"[^>]*>(.*?)</textarea>', page, re.S)
    assert reasoning_box and "Nieuwe onderbouwing van Alice." in reasoning_box.group(1)

    # Saving again deliberately (from version 2) keeps Bob's summary and Alice's reasoning.
    response = _post_text(
        bob_client,
        advice,
        2,
        summary="Tekst van Bob.",
        reasoning="Nieuwe onderbouwing van Alice.",
    )
    assert response.status_code == 302
    latest = advice.revisions.get(number=3)
    assert latest.sections["summary"] == "Tekst van Bob."
    assert latest.sections["reasoning"] == "Nieuwe onderbouwing van Alice."


def test_different_sections_merge(world: dict[str, Any]) -> None:
    advice = world["advice"]
    alice, bob = world["members"][0], world["members"][1]
    _save(advice, world["cpo"], None, summary="Basis.", advice="1. Basis")
    assert (
        _post_text(_client(alice), advice, 1, summary="Van Alice.", advice="1. Basis").status_code
        == 302
    )
    bob_client = _client(bob)
    response = _post_text(bob_client, advice, 1, summary="Basis.", advice="1. Van Bob")
    assert response.status_code == 302
    merged = advice.revisions.get(number=3)
    assert merged.merged is True
    assert merged.sections["summary"] == "Van Alice."
    assert merged.sections["advice"] == "1. Van Bob"
    page = _html(bob_client.get(response["Location"]))
    assert "die wijzigingen zijn behouden" in page


# --- versions and differences ----------------------------------------------------------------


def test_revision_page_shows_a_readable_diff(world: dict[str, Any]) -> None:
    advice = world["advice"]
    _save(advice, world["cpo"], None, summary="De scholen blijven open.", reasoning="Gelijk.")
    _save(advice, world["cpo"], 1, summary="De scholen gaan dicht.", reasoning="Gelijk.")
    client = _client(world["members"][0])
    page = _html(client.get(_url("revision", advice, 2)))
    deleted = re.findall(r"<del>(.*?)</del>", page, re.S)
    inserted = re.findall(r"<ins>(.*?)</ins>", page, re.S)
    hidden = '<span class="visually-hidden">%s </span>'
    assert hidden % "verwijderd:" + "blijven" in deleted
    assert hidden % "verwijderd:" + "open." in deleted
    assert hidden % "toegevoegd:" + "gaan" in inserted
    assert hidden % "toegevoegd:" + "dicht." in inserted
    assert "Onderbouwing — ongewijzigd" in page
    assert "1 sectie gewijzigd" in page
    # Against an explicit version, and bad input.
    assert client.get(_url("revision", advice, 2) + "?tegen=1").status_code == 200
    assert client.get(_url("revision", advice, 2) + "?tegen=abc").status_code == 404
    assert client.get(_url("revision", advice, 2) + "?tegen=7").status_code == 404
    assert client.get(_url("revision", advice, 9)).status_code == 404
    first = _html(client.get(_url("revision", advice, 1)))
    assert "Eerste versie" in first and "<ins>" in first


def test_revision_document(world: dict[str, Any]) -> None:
    advice = world["advice"]
    _save(advice, world["cpo"], None, summary="Samenvatting.", advice="1. Doe A")
    client = _client(world["members"][0])
    response = client.get(_url("revision-document", advice, 1, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.content[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]
    assert "advies-" in response["Content-Disposition"]
    response = client.get(_url("revision-document", advice, 1, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(_url("revision-document", advice, 1, "txt")).status_code == 404
    assert client.get(_url("revision-document", advice, 4, "docx")).status_code == 404


# --- comments and tasks ----------------------------------------------------------------------


def test_comments_threads_and_resolve(world: dict[str, Any]) -> None:
    advice = world["advice"]
    member = _client(world["members"][0])
    # No text yet: the error is shown, not a 500.
    response = member.post(_url("comment-add", advice), {"section": "summary", "body": "Vroeg"})
    assert response.status_code == 400 and "Er is nog geen adviestekst" in _html(response)

    _save(advice, world["cpo"], None, summary="Tekst.")
    response = member.post(
        _url("comment-add", advice), {"section": "summary", "body": "Is dit te stellig?"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#opmerkingen")
    thread = Comment.objects.get()
    assert thread.section == "summary" and thread.revision.number == 1

    expert = _client(world["expert"])
    response = expert.post(
        _url("comment-add", advice), {"thread": str(thread.pk), "body": "Ik vind van niet."}
    )
    assert response.status_code == 302
    reply = Comment.objects.get(thread=thread)
    assert reply.section == "summary" and reply.author == world["expert"]

    page = _html(member.get(_url("text", advice)))
    assert "Is dit te stellig?" in page and "Ik vind van niet." in page
    assert "Draad afhandelen" in page

    response = member.post(_url("comment-add", advice), {"thread": str(thread.pk), "resolve": "1"})
    assert response.status_code == 302
    assert Comment.objects.filter(thread=thread, kind="resolve").exists()
    page = _html(member.get(_url("text", advice)))
    assert "Draad afhandelen" not in page and "afgehandeld" in page.lower()

    # Errors: no section, empty reply, unknown thread — shown on the page, status 400.
    response = member.post(_url("comment-add", advice), {"section": "", "body": "Waar?"})
    assert response.status_code == 400 and "Kies een sectie." in _html(response)
    response = member.post(_url("comment-add", advice), {"thread": str(thread.pk), "body": ""})
    assert response.status_code == 400 and "Schrijf een opmerking." in _html(response)
    for bad in ("999999", "abc"):
        response = member.post(_url("comment-add", advice), {"thread": bad, "body": "x"})
        assert response.status_code == 400 and "Onbekende draad." in _html(response)
    assert Comment.objects.count() == 3


def test_assignments_create_and_done(world: dict[str, Any], mailoutbox: Any) -> None:
    advice = world["advice"]
    member, other = world["members"][0], world["members"][1]
    cpo = _client(world["cpo"])
    page = _html(cpo.get(_url("text", advice)))
    assert f'<option value="{member.pk}"' in page
    assert f'<option value="{world["analyst"].pk}"' not in page
    due = timezone.localtime() + dt.timedelta(hours=6)
    response = cpo.post(
        _url("assignment-add", advice),
        {
            "assignee": str(member.pk),
            "task": "Schrijf de sectie per groep",
            "section": "groups",
            "due": due.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#taken")
    assignment = Assignment.objects.get()
    assert assignment.assignee == member and assignment.section == "groups"
    assert assignment.due is not None and abs(assignment.due - due) < dt.timedelta(minutes=1)

    # Errors are shown: an assignee without access to drafts, no task.
    response = cpo.post(
        _url("assignment-add", advice), {"assignee": str(world["analyst"].pk), "task": ""}
    )
    assert response.status_code == 400
    page = _html(response)
    assert "Kies een persoon uit de lijst." in page and "Beschrijf de taak." in page
    # Only the secretariat assigns.
    response = _client(member).post(
        _url("assignment-add", advice), {"assignee": str(member.pk), "task": "Zelf"}
    )
    assert response.status_code == 403

    # The assignee sees the button; somebody else may not mark it done.
    assert "Gereed" in _html(_client(member).get(_url("text", advice)))
    done_url = _url("assignment-done", advice, assignment.pk)
    assert _client(other).post(done_url).status_code == 403
    response = _client(member).post(done_url)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.done_at is not None
    assert _client(member).post(_url("assignment-done", advice, 99999)).status_code == 404


# --- what the dossier shows --------------------------------------------------------------------


def test_dossier_hides_omt_documents_without_a_grant(world: dict[str, Any]) -> None:
    advice, member = world["advice"], world["members"][0]
    services.omt_document_add(
        request=advice, actor=world["cpo"], title="OMT-notitie variant (synthetisch)", body="X"
    )
    page = _html(_client(member).get(_url("dossier", advice)))
    assert "OMT-notitie variant" not in page
    assert "toegang die per gelegenheid wordt verleend" in page
    assert not OmtAccessLog.objects.exists()

    services.omt_access_grant(
        request=advice, actor=world["cpo"], grantee=member, reason="Vergadering 12 januari"
    )
    page = _html(_client(member).get(_url("dossier", advice)))
    assert "OMT-notitie variant" in page
    assert OmtAccessLog.objects.filter(user=member, briefing=advice.omt_briefing).count() == 1


def test_dossier_never_shows_evidence_the_reader_may_not_see(world: dict[str, Any]) -> None:
    advice, measure = world["advice"], world["measure"]
    public = EvidenceItemFactory(title="Openbaar rapport over reizigers")
    secret = EvidenceItemFactory(
        title="Vertrouwelijke analyse grensmaatregelen",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    for item in (public, secret):
        evidence_services.evidence_link_create(
            item=item, data=evidence_services.LinkData(measure=measure), user=None
        )
    page = _html(_client(world["members"][0]).get(_url("dossier", advice)))
    assert "Openbaar rapport over reizigers" in page
    assert "Vertrouwelijke analyse grensmaatregelen" not in page
    assert secret.ref not in page
    assert "1 item in de kennisbibliotheek" in page
    # The secretariat may see confidential items: the link itself is there.
    page = _html(_client(world["cpo"]).get(_url("dossier", advice)))
    assert "Vertrouwelijke analyse grensmaatregelen" in page


def test_dossier_lists_the_first_items_and_links_to_the_library(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    advice, measure = world["advice"], world["measure"]
    monkeypatch.setattr(views_text, "EVIDENCE_SHOWN", 2)
    for n in range(3):
        item = EvidenceItemFactory(
            title=f"Praktijksignaal {n} reizen",
            item_type="practice_signal",
            knowledge_class="practice",
            published_on=dt.date(2022, 1, 1 + n),
        )
        evidence_services.evidence_link_create(
            item=item, data=evidence_services.LinkData(measure=measure), user=None
        )
    page = _html(_client(world["chair"]).get(_url("dossier", advice)))
    rows = re.search(r'<table class="paraat-table" id="evidence-table">(.*?)</table>', page, re.S)
    assert rows and rows.group(1).count("<tr>") == 3  # header and two items
    assert "Praktijksignaal 2 reizen" in page and "Praktijksignaal 0 reizen" not in page
    assert "de nieuwste 2 van 3 items" in page
    assert f"/kennisbibliotheek/?measure={measure.key}" in page
    assert "praktijksignaal" in page  # count per type
    assert advice.question in page and measure.name in page


def test_dossier_shows_every_part(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Fiche (with its review flag), assessment output, indicators, contributions and the
    information package all reach the page, with links to their own pages."""
    import copy

    from paraat.assessments.models import AssessmentVersion
    from paraat.assessments.tests.factories import AssessmentFactory, observation_make
    from paraat.assessments.tests.test_reports import DOCUMENT, RESULT
    from paraat.evidence.tests.factories import fiche_create
    from paraat.indicators.tests.factories import IndicatorFactory
    from paraat.taxonomies.models import Domain

    cpo, measure = world["cpo"], world["measure"]
    assessment = AssessmentFactory(key="afweging-reizigers", title="Afweging reizigers (synth.)")
    result = copy.deepcopy(RESULT)
    result["warnings"] = [{"code": "cell", "message": "Cel masks niet beoordeeld.", "params": {}}]
    AssessmentVersion.objects.create(
        assessment=assessment,
        number=1,
        document=copy.deepcopy(DOCUMENT),
        result=result,
        samples=2000,
        seed=1,
    )
    indicator = IndicatorFactory(
        name_nl="Eenzaamheid (synthetisch)",
        domain=Domain.objects.get(key="mental-health"),
        source="Synthetische bron",
    )
    observation_make(indicator, 12.5, month=3)
    advice = factories.request_make(
        actor=cpo, options=[world["package"]], assessment=assessment, key="met-alles"
    )
    fiche_create(measure, summary="Fiche over de testplicht.")
    linked = EvidenceItemFactory(title="Nieuw rapport testplicht")
    evidence_services.evidence_link_create(
        item=linked, data=evidence_services.LinkData(measure=measure), user=None
    )
    services.information_item_add(
        request=advice, actor=cpo, title="Situatieschets RIVM (synthetisch)", evidence=linked
    )
    with django_capture_on_commit_callbacks(execute=True):
        input_request, _token = factories.input_make(request=advice, actor=cpo)
        services.input_response_submit(
            input_request=input_request,
            data=services.ResponseData(
                signal="Reisbureaus zien annuleringen.",
                severity="moderate",
                interests_status="declared",
                declared_interests="Branchevereniging reizen.",
            ),
        )
    page = _html(_client(world["members"][0]).get(_url("dossier", advice)))
    assert "Fiche over de testplicht." in page
    assert "review nodig" in page
    assert reverse("assessments:results", args=[assessment.key]) in page
    assert "Geen nieuwe maatregel" in page and "70&nbsp;%" in page
    assert "hangt af van de weging" in page
    assert "Cel masks niet beoordeeld." in page
    assert "Eenzaamheid (synthetisch)" in page and "12,5" in page and "Synthetische bron" in page
    assert "Reisbureaus zien annuleringen." in page and "Branchevereniging reizen." in page
    assert "Praktijkkring reizen (fictief)" in page and "merkbaar" in page
    assert "Situatieschets RIVM (synthetisch)" in page
    assert reverse("evidence:by_ref", args=[linked.ref]) in page
