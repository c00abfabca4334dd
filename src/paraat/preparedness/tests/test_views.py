"""Pages of standby per role: the CPO does everything; the committee reads mode, meetings
(not confidential ones) and the playbook; the beheerder reads mode, playbook and meetings; an
analyst and the public see nothing. Bad input gives the form again (400), never a 500."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from paraat.preparedness import selectors, services
from paraat.preparedness.models import (
    Attendance,
    MeetingDocument,
    ModeChange,
    PlaybookSectionVersion,
)
from paraat.preparedness.tests.factories import (
    PersonFactory,
    close_response,
    meeting_make,
    moment,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "preparedness:index",
    "preparedness:meetings",
    "preparedness:playbook",
    "preparedness:actions",
    "preparedness:budget",
    "preparedness:reports",
]
# role → pages it may open (others 403)
ALLOWED = {
    "cpo": set(PAGES),
    "member": {
        "preparedness:index",
        "preparedness:meetings",
        "preparedness:playbook",
        "preparedness:actions",
    },
    "chair": {
        "preparedness:index",
        "preparedness:meetings",
        "preparedness:playbook",
        "preparedness:actions",
    },
    "admin": {
        "preparedness:index",
        "preparedness:meetings",
        "preparedness:playbook",
        "preparedness:actions",
    },
    "analyst": set(),
    "szw": set(),
}


@pytest.fixture
def data(people: dict[str, Any]) -> dict[str, Any]:
    cpo = people["cpo"]
    services.mode_set(
        mode="standby",
        reason="Instellingsbesluit afgelopen",
        actor=cpo,
        at=moment(dt.date(2024, 9, 1), 0),
    )
    section = services.playbook_section_create(
        element="minister",
        title="Verantwoordelijke minister",
        text="De minister van SZW.",
        actor=cpo,
        review_due_on=dt.date(2020, 1, 1),
    )
    internal = meeting_make(actor=cpo, title="Intern overleg")
    secret = meeting_make(actor=cpo, title="Geheim overleg", confidentiality="confidential")
    return {"section": section, "internal": internal, "secret": secret}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_pages_per_role(
    client: Any, people: dict[str, Any], data: dict[str, Any], role: str
) -> None:
    client.force_login(people[role])
    for name in PAGES:
        response = client.get(reverse(name))
        expected = 200 if name in ALLOWED[role] else 403
        assert response.status_code == expected, (role, name, response.status_code)


def test_anonymous_is_sent_to_login(client: Any, data: dict[str, Any]) -> None:
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "inloggen" in response["Location"]
    response = client.get(reverse("preparedness:meeting", args=[data["internal"].pk]))
    assert response.status_code == 302


def test_index_shows_mode_cadence_and_overdue(
    client: Any, people: dict[str, Any], data: dict[str, Any]
) -> None:
    client.force_login(people["member"])
    response = client.get(reverse("preparedness:index"))
    html = response.content.decode()
    assert "waakstand" in html and "1 september 2024" in html
    assert "Verantwoordelijke minister" in html and "Herziening te laat" in html
    assert "Instellingsbesluit afgelopen" in html  # history
    assert 'id="mode-form"' not in html  # no change form for the committee
    client.force_login(people["cpo"])
    html = client.get(reverse("preparedness:index")).content.decode()
    assert 'id="mode-form"' in html and "Vergaderingen plannen" in html


def test_cpo_sets_mode_and_committee_cannot(
    client: Any, people: dict[str, Any], data: dict[str, Any]
) -> None:
    url = reverse("preparedness:mode-set")
    client.force_login(people["member"])
    assert (
        client.post(url, {"mode": "active", "scenario_level": "mild", "reason": "x"}).status_code
        == 403
    )
    client.force_login(people["cpo"])
    response = client.post(
        url, {"mode": "active", "scenario_level": "persistent", "reason": "Nieuwe variant"}
    )
    assert response.status_code == 302
    assert selectors.current_mode().scenario_level == "persistent"
    response = client.post(url, {"mode": "standby", "scenario_level": "mild", "reason": ""})
    assert response.status_code == 400
    assert "utrecht-form-field--invalid" in response.content.decode()
    assert ModeChange.objects.count() == 2


def test_confidential_meeting_hidden_from_committee(
    client: Any, people: dict[str, Any], data: dict[str, Any]
) -> None:
    secret = data["secret"]
    client.force_login(people["member"])
    html = client.get(reverse("preparedness:meetings")).content.decode()
    assert "Intern overleg" in html and "Geheim overleg" not in html
    assert client.get(reverse("preparedness:meeting", args=[secret.pk])).status_code == 404
    client.force_login(people["admin"])  # beheerder sees confidential
    assert client.get(reverse("preparedness:meeting", args=[secret.pk])).status_code == 200
    client.force_login(people["cpo"])
    assert client.get(reverse("preparedness:meeting", args=[secret.pk])).status_code == 200


def test_meeting_create_edit_and_errors(
    client: Any, people: dict[str, Any], data: dict[str, Any]
) -> None:
    client.force_login(people["cpo"])
    url = reverse("preparedness:meeting-create")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "", "kind": "nope", "starts_at": "gisteren", "confidentiality": "internal"}
    )
    assert response.status_code == 400
    start = (timezone.localtime() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "title": "Extra overleg",
            "kind": "committee",
            "starts_at": start,
            "location": "SCP",
            "confidentiality": "internal",
            "agenda": "Opening\nDraaiboek: herziening",
        },
    )
    assert response.status_code == 302
    meeting = selectors.meeting_list(user=people["cpo"]).get(title="Extra overleg")
    assert [a.title for a in selectors.agenda(meeting=meeting)] == ["Opening", "Draaiboek"]
    edit = reverse("preparedness:meeting-edit", args=[meeting.pk])
    assert client.get(edit).status_code == 200
    client.force_login(people["member"])
    assert client.get(edit).status_code == 403
    assert client.post(url, {"title": "x"}).status_code == 403


def test_meeting_documents_by_content(
    client: Any, people: dict[str, Any], data: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = data["internal"]
    url = reverse("preparedness:document-add", args=[meeting.pk])
    client.force_login(people["cpo"])
    bad = SimpleUploadedFile(
        "agenda.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(url, {"title": "Vals", "file": bad})
    assert response.status_code == 400
    assert "gecontroleerd op inhoud" in response.content.decode()
    assert MeetingDocument.objects.count() == 0
    good = SimpleUploadedFile("agenda.pdf", pdf_bytes(), content_type="text/html")
    assert client.post(url, {"title": "Agenda", "file": good}).status_code == 302
    document = MeetingDocument.objects.get()
    client.force_login(people["member"])
    response = client.get(reverse("preparedness:document", args=[meeting.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == pdf_bytes()
    close_response(response)
    assert client.post(url, {"title": "x", "file": good}).status_code == 403


def test_minutes_attendance_and_csv(
    client: Any, people: dict[str, Any], data: dict[str, Any]
) -> None:
    meeting = data["internal"]
    person = PersonFactory(name="=Formule Persoon")
    client.force_login(people["cpo"])
    response = client.post(
        reverse("preparedness:minutes-save", args=[meeting.pk]), {"text": "Verslag v1", "note": ""}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("preparedness:minutes-save", args=[meeting.pk]),
        {"text": "Verslag v2", "base_number": "0"},
    )
    assert response.status_code == 400  # stale base
    response = client.post(
        reverse("preparedness:minutes-approve", args=[meeting.pk]),
        {"approved_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("preparedness:attendance", args=[meeting.pk]),
        {"person": person.pk, "presence": "remote", "role": "member"},
    )
    assert response.status_code == 302
    assert Attendance.objects.get().presence == "remote"
    response = client.post(
        reverse("preparedness:attendance", args=[meeting.pk]),
        {"person": "99999", "presence": "x", "role": "y"},
    )
    assert response.status_code == 400
    html = client.get(reverse("preparedness:meeting", args=[meeting.pk])).content.decode()
    assert "Vastgesteld op" in html and "op afstand 1" in html
    year = timezone.localtime(meeting.starts_at).year
    response = client.get(reverse("preparedness:attendance-csv") + f"?jaar={year}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "vergadering,datum,persoon,organisatie,rol,aanwezigheid,aanwezig"
    assert "'=Formule Persoon" in lines[1] and lines[1].endswith("remote,ja")
    assert client.get(reverse("preparedness:attendance-csv") + "?jaar=abc").status_code == 400
    client.force_login(people["member"])
    assert client.get(reverse("preparedness:attendance-csv") + f"?jaar={year}").status_code == 403
    assert (
        client.post(
            reverse("preparedness:minutes-save", args=[meeting.pk]), {"text": "x"}
        ).status_code
        == 403
    )


def test_plan_meetings(client: Any, people: dict[str, Any], data: dict[str, Any]) -> None:
    client.force_login(people["cpo"])
    until = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    response = client.post(reverse("preparedness:meetings-plan"), {"until": until})
    assert response.status_code == 302
    assert selectors.meeting_list(user=people["cpo"]).filter(planned_by_cadence=True).exists()
    response = client.post(reverse("preparedness:meetings-plan"), {"until": "2000-01-01"})
    assert response.status_code == 400


def test_playbook_section_edit_and_versions(
    client: Any, people: dict[str, Any], data: dict[str, Any]
) -> None:
    section = data["section"]
    client.force_login(people["member"])
    html = client.get(reverse("preparedness:section", args=[section.pk])).content.decode()
    assert "De minister van SZW." in html and "herziening te laat" in html
    assert 'id="section-form"' not in html
    assert (
        client.post(
            reverse("preparedness:section-save", args=[section.pk]), {"text": "x"}
        ).status_code
        == 403
    )
    client.force_login(people["cpo"])
    response = client.post(
        reverse("preparedness:section-save", args=[section.pk]),
        {
            "text": "De minister van SZW besluit.",
            "note": "aangevuld",
            "base_number": "1",
            "review_due_on": "2030-01-01",
        },
    )
    assert response.status_code == 302
    assert PlaybookSectionVersion.objects.filter(section=section).count() == 2
    response = client.post(
        reverse("preparedness:section-save", args=[section.pk]),
        {"text": "Botsing", "base_number": "1"},
    )
    assert response.status_code == 400 and "versie 2" in response.content.decode()
    html = client.get(
        reverse("preparedness:section-version", args=[section.pk, 2])
    ).content.decode()
    assert "<ins>" in html and "<del>" in html
    assert (
        client.get(reverse("preparedness:section-version", args=[section.pk, 9])).status_code == 404
    )
    owner = PersonFactory(name="Nieuwe Eigenaar")
    response = client.post(
        reverse("preparedness:section-settings", args=[section.pk]),
        {"title": "Minister", "owner": owner.pk, "review_due_on": "2031-05-01"},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.owner == owner and section.review_due_on == dt.date(2031, 5, 1)
    response = client.post(
        reverse("preparedness:section-create"), {"element": "minister", "title": "Dubbel"}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("preparedness:section-create"), {"element": "housing", "title": "Huisvesting"}
    )
    assert response.status_code == 302


def test_actions_and_budget_pages(
    client: Any, people: dict[str, Any], data: dict[str, Any]
) -> None:
    client.force_login(people["cpo"])
    response = client.post(
        reverse("preparedness:action-create"),
        {"title": "Les uit oefening", "source": "Oefening", "section": data["section"].pk},
    )
    assert response.status_code == 302
    action = selectors.action_list().get()
    assert (
        client.post(
            reverse("preparedness:action-status", args=[action.pk]), {"status": "done"}
        ).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "done"
    assert client.post(reverse("preparedness:action-create"), {"title": ""}).status_code == 400
    assert (
        client.post(
            reverse("preparedness:stream-create"),
            {"name": "Taken", "funder": "SZW", "purpose": "Waakstand"},
        ).status_code
        == 302
    )
    stream = selectors.funding_streams().get()
    assert (
        client.post(
            reverse("preparedness:line-create"),
            {"stream": stream.pk, "year": 2025, "amount": "70000"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("preparedness:realisation-create"),
            {"stream": stream.pk, "date": "2025-03-01", "amount": "1000", "description": "Q1"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("preparedness:realisation-create"), {"stream": stream.pk, "amount": "x"}
        ).status_code
        == 400
    )
    html = client.get(reverse("preparedness:budget")).content.decode()
    assert "Taken" in html and "70.000,00" in html
    client.force_login(people["member"])
    assert client.post(reverse("preparedness:action-create"), {"title": "x"}).status_code == 403
    assert client.post(reverse("preparedness:stream-create"), {"name": "x"}).status_code == 403


def test_report_pages_start_jobs(client: Any, people: dict[str, Any], data: dict[str, Any]) -> None:
    client.force_login(people["cpo"])
    response = client.post(reverse("preparedness:report-start"), {"year": "1999", "fmt": "pdf"})
    assert response.status_code == 400
    response = client.post(
        reverse("preparedness:export-start"), {"start": "2026-01-01", "end": "2025-01-01"}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("preparedness:report-start"), {"year": timezone.localdate().year, "fmt": "pdf"}
    )
    assert (response.status_code == 302 and "/taken/" in response["Location"]) or "job" in response[
        "Location"
    ]
    response = client.post(reverse("preparedness:playbook-export"), {"fmt": "docx"})
    assert response.status_code == 302
    client.force_login(people["member"])
    assert (
        client.post(reverse("preparedness:report-start"), {"year": 2025, "fmt": "pdf"}).status_code
        == 403
    )
    assert client.post(reverse("preparedness:playbook-export"), {"fmt": "pdf"}).status_code == 302
