"""Findings of the security and quality review of standby (issue 7), each pinned by a test:
erasure of a person reaches attendance, playbook ownership and the exports; odd query
values and moments are a 400, not a 500; the yearly report and the evaluation export only
hold what the requesting role may see; uploads are checked by content and served inert."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from paraat.accounts.tests.factories import UserFactory
from paraat.network import selectors as network_selectors
from paraat.network import services as network_services
from paraat.network.models import Organisation, Person
from paraat.preparedness import reports, services
from paraat.preparedness.models import Attendance, MeetingDocument, PlaybookSection
from paraat.preparedness.tests.factories import (
    PersonFactory,
    close_response,
    meeting_make,
    moment,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendee(people: dict[str, Any]) -> dict[str, Any]:
    """A guest at a meeting (not a committee member) who also owns a playbook section."""
    cpo = people["cpo"]
    services.mode_set(mode="standby", reason="Waakstand", actor=cpo, at=moment(dt.date(2024, 9, 1)))
    organisation = Organisation.objects.create(name="Kleine Stichting Fictief")
    person = PersonFactory(
        name="Jantje Gastspreker", email="jantje@example.org", organisation=organisation
    )
    meeting = meeting_make(actor=cpo, title="Overleg met gast")
    services.attendance_record(
        meeting=meeting,
        person=person,
        presence="present",
        role="guest",
        note="Jantje kwam te laat wegens ziekte",
        actor=cpo,
    )
    section = services.playbook_section_create(
        element="housing", title="Huisvesting", owner=person, text="SCP", actor=cpo
    )
    return {"person": person, "meeting": meeting, "section": section}


# --- erasure reaches standby -------------------------------------------------------------------


def test_erasing_a_meeting_guest_anonymises_instead_of_failing(
    people: dict[str, Any], attendee: dict[str, Any]
) -> None:
    """Attendance points at the person through a hidden relation (``related_name="+"``); the
    erasure used to miss it, tried to delete the person and hit the protecting key (a 500)."""
    person = attendee["person"]
    assert "aanwezigheid" in network_selectors.person_references(person=person)
    outcome = network_services.person_erase(person=person, reason="request", actor=people["cpo"])
    assert outcome.action == "anonymised"
    row = Attendance.objects.get(meeting=attendee["meeting"])
    row.person.refresh_from_db()
    assert row.person.name.startswith("Geanonimiseerd persoon")
    assert row.person.organisation is None and row.person.email == ""
    assert row.note == ""  # the note said something about the person
    section = PlaybookSection.objects.get(pk=attendee["section"].pk)
    assert section.owner is None


def test_erasure_through_the_privacy_page_is_not_a_500(
    client: Any, people: dict[str, Any], attendee: dict[str, Any]
) -> None:
    client.force_login(people["admin"])
    person = attendee["person"]
    response = client.post(
        reverse("network:person-privacy", args=[person.pk]),
        {"reason": "request", "confirm": "on"},
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).anonymised_on is not None


def test_erased_person_is_gone_from_every_standby_output(
    client: Any, people: dict[str, Any], attendee: dict[str, Any]
) -> None:
    cpo = people["cpo"]
    network_services.person_erase(person=attendee["person"], reason="request", actor=cpo)
    secrets = ("Jantje", "Kleine Stichting", "jantje@example.org", "ziekte")
    client.force_login(cpo)
    year = attendee["meeting"].starts_at.year
    outputs = [
        client.get(reverse("preparedness:attendance-csv") + f"?jaar={year}").content.decode(),
        client.get(reverse("preparedness:meeting", args=[attendee["meeting"].pk])).content.decode(),
        client.get(reverse("preparedness:playbook")).content.decode(),
        client.get(reverse("preparedness:section", args=[attendee["section"].pk])).content.decode(),
    ]
    api = APIClient()
    api.force_authenticate(cpo)
    outputs.append(api.get(f"/api/v1/preparedness/meetings/{attendee['meeting'].pk}/").content)
    outputs.append(api.get("/api/v1/preparedness/playbook/").content)
    outputs.append(json.dumps(reports.yearly_report_data(year=year, user=cpo), default=str))
    archive = zipfile.ZipFile(
        io.BytesIO(
            reports.evaluation_export(
                start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), user=cpo
            )
        )
    )
    outputs.extend(archive.read(name).decode() for name in archive.namelist())
    for output in outputs:
        text = output.decode() if isinstance(output, bytes) else output
        for secret in secrets:
            assert secret not in text, secret


def test_release_hook_without_references_lets_the_person_be_deleted(
    people: dict[str, Any],
) -> None:
    """Someone who only owned a playbook section is deleted (nothing else refers to them)."""
    cpo = people["cpo"]
    person = PersonFactory()
    section = services.playbook_section_create(
        element="minister", title="Minister", owner=person, actor=cpo
    )
    outcome = network_services.person_erase(person=person, reason="retention", actor=cpo)
    assert outcome.action == "deleted"
    assert not Person.objects.filter(pk=person.pk).exists()
    section.refresh_from_db()
    assert section.owner is None


# --- odd input is a 400, not a 500 -------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "²²²²", "٢٠٢٦x", "-2026", "20266", "1989"])
def test_year_parameters_with_odd_digits(client: Any, people: dict[str, Any], value: str) -> None:
    """``"²".isdigit()`` is true but ``int("²")`` raises: the year filters used to give a 500."""
    client.force_login(people["cpo"])
    assert client.get(reverse("preparedness:meetings"), {"jaar": value}).status_code == 200
    assert client.get(reverse("preparedness:attendance-csv"), {"jaar": value}).status_code == 400
    api = APIClient()
    api.force_authenticate(people["cpo"])
    assert api.get("/api/v1/preparedness/meetings/", {"year": value}).status_code == 200


@pytest.mark.parametrize(
    "moment_text",
    ["0001-01-01", "0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"],
)
def test_api_moments_at_the_edge_of_the_calendar(people: dict[str, Any], moment_text: str) -> None:
    """DRF moves a moment into the time zone before any validator runs; at year 1 or 9999
    that overflowed (a 500)."""
    api = APIClient()
    api.force_authenticate(people["cpo"])
    response = api.post(
        "/api/v1/preparedness/meetings/",
        {"title": "x", "kind": "standby", "starts_at": moment_text},
        format="json",
    )
    assert response.status_code == 400 and "starts_at" in response.json()
    response = api.post(
        "/api/v1/preparedness/mode/",
        {"mode": "active", "scenario_level": "mild", "reason": "x", "at": moment_text},
        format="json",
    )
    assert response.status_code == 400 and "at" in response.json()


# --- the report and the export only hold what the role may see ---------------------------------


def _report_only_user() -> Any:
    """An account that may make the report and see meetings, but nothing else of standby
    (no attendance, budget, playbook, coverage, exercises, activations or advice)."""
    group = Group.objects.create(name="alleen-verantwoording")
    for code in ("report_preparedness", "view_meeting", "view_modechange"):
        group.permissions.add(
            Permission.objects.get(content_type__app_label="preparedness", codename=code)
        )
    user = UserFactory(username="verslaglegger")
    user.groups.add(group)
    return user


def test_report_and_export_leave_out_what_the_role_may_not_see(
    people: dict[str, Any], attendee: dict[str, Any]
) -> None:
    cpo = people["cpo"]
    stream = services.funding_stream_create(name="SZW", funder="SZW", purpose="p", actor=cpo)
    services.budget_line_create(stream=stream, year=2025, amount="1000", actor=cpo)
    public = meeting_make(actor=cpo, title="Openbaar overleg", confidentiality="public")
    services.attendance_record(
        meeting=public, person=attendee["person"], presence="present", role="guest", actor=cpo
    )
    user = _report_only_user()
    year = public.starts_at.year
    data = reports.yearly_report_data(year=year, user=user)
    assert [m["title"] for m in data["meetings"]] == ["Openbaar overleg"]
    assert data["budget"] == [] and data["playbook"] == [] and data["coverage"] == []
    assert data["coverage_error"] and data["exercises_error"] and data["activations_error"]
    archive = zipfile.ZipFile(
        io.BytesIO(
            reports.evaluation_export(
                start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), user=user
            )
        )
    )
    rows = list(csv.reader(io.StringIO(archive.read("attendance.csv").decode())))
    assert rows == [[]]  # header only: attendance is for the CPO and secretariat
    assert json.loads(archive.read("budget.json")) == []
    assert json.loads(archive.read("playbook_sections.json")) == []
    assert "Jantje" not in "".join(archive.read(n).decode() for n in archive.namelist())
    assert "attendance.csv / attendance.json" in archive.read("README.txt").decode()
    assert "uw rol mag dit onderdeel niet zien" in archive.read("README.txt").decode()
    # the CPO gets everything
    full = reports.yearly_report_data(year=year, user=cpo)
    assert full["budget"] == [] or full["budget"][0]["stream"] == "SZW"
    assert full["playbook"] and not full["coverage_error"]


# --- uploads -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("../../etc/passwd.txt", "latin-1 tekst: café".encode("latin-1")),
        ("plaatje.svg", b"<?xml version='1.0'?><svg onload='alert(1)'/>"),
        ("pagina.txt", b"\xef\xbb\xbf  <!DOCTYPE html><script>alert(1)</script>"),
        ("stuk.pdf", "UTF-16 tekst".encode("utf-16")),
        ("leeg.pdf", b""),
    ],
)
def test_uploads_refused_by_content(
    client: Any, people: dict[str, Any], name: str, content: bytes
) -> None:
    meeting = meeting_make(actor=people["cpo"])
    client.force_login(people["cpo"])
    response = client.post(
        reverse("preparedness:document-add", args=[meeting.pk]),
        {"title": "", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert not MeetingDocument.objects.exists()


def test_upload_with_a_traversal_name_is_stored_under_a_random_name_and_served_inert(
    client: Any, people: dict[str, Any]
) -> None:
    meeting = meeting_make(actor=people["cpo"])
    client.force_login(people["cpo"])
    response = client.post(
        reverse("preparedness:document-add", args=[meeting.pk]),
        {"title": "", "file": SimpleUploadedFile("../../../x.html", pdf_bytes())},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert ".." not in document.file.name and "/" not in document.file_name
    assert document.file_name == "x.pdf" and document.file_format == "pdf"
    client.force_login(people["member"])
    response = client.get(reverse("preparedness:document", args=[meeting.pk, document.pk]))
    try:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    finally:
        close_response(response)
        document.file.delete(save=False)


def test_attendance_notes_only_for_who_keeps_the_attendance(
    client: Any, people: dict[str, Any], attendee: dict[str, Any]
) -> None:
    """A note such as "afgemeld wegens ziekte" is personal (even health) data: the committee
    and the beheerder see who attended, not the notes."""
    url = reverse("preparedness:meeting", args=[attendee["meeting"].pk])
    for role in ("member", "chair", "admin"):
        client.force_login(people[role])
        html = client.get(url).content.decode()
        assert "Jantje Gastspreker" in html and "wegens ziekte" not in html, role
    client.force_login(people["cpo"])
    assert "wegens ziekte" in client.get(url).content.decode()


def test_attendance_notes_and_candidate_notes_stay_out_of_the_audit_log(
    people: dict[str, Any], attendee: dict[str, Any]
) -> None:
    """The audit log is append-only (ADR 0006): what erasure must remove may not be copied
    into it in the first place."""
    from auditlog.models import LogEntry

    from paraat.network.models import Candidate

    row = Attendance.objects.get(meeting=attendee["meeting"])
    entries = LogEntry.objects.get_for_object(row)
    assert entries.exists()
    assert all("ziekte" not in json.dumps(e.changes, default=str) for e in entries)
    network_services.candidate_add(
        person=PersonFactory(),
        disciplines=[network_selectors.discipline_list().first()],
        notes="Kandidaat heeft een burn-out gehad",
        actor=people["cpo"],
    )
    for entry in LogEntry.objects.get_for_model(Candidate):
        assert "burn-out" not in json.dumps(entry.changes, default=str)


def test_an_erased_person_cannot_be_recorded_again(
    people: dict[str, Any], attendee: dict[str, Any]
) -> None:
    """The pages only offer people who are not anonymised; the API and the services refuse
    them too, so nothing new is tied to an erased person."""
    cpo = people["cpo"]
    person = attendee["person"]
    network_services.person_erase(person=person, reason="request", actor=cpo)
    person.refresh_from_db()
    api = APIClient()
    api.force_authenticate(cpo)
    other = meeting_make(actor=cpo, title="Later overleg")
    response = api.post(
        f"/api/v1/preparedness/meetings/{other.pk}/attendance/",
        {"person": person.pk, "presence": "present", "role": "guest"},
        format="json",
    )
    assert response.status_code == 400 and "person" in response.json()
    with pytest.raises(ValidationError) as caught:
        services.playbook_section_update(
            section=attendee["section"], title="x", owner=person, review_due_on=None, actor=cpo
        )
    assert "owner" in caught.value.message_dict


# --- every role, every page and endpoint -------------------------------------------------------

ALL_ROLES = [
    "beheerder",
    "cpo-secretariaat",
    "voorzitter",
    "commissielid",
    "expertlid",
    "externe-expert",
    "praktijkkring-trekker",
    "szw-beleidsmedewerker",
    "analist",
]
COMMITTEE = {"voorzitter", "commissielid", "expertlid"}
READ_PAGES = ["", "vergaderingen/", "vergaderingen/{m}/", "draaiboek/", "acties/"]
MANAGE_PAGES = [
    "begroting/",
    "verantwoording/",
    "vergaderingen/aanwezigheid.csv?jaar=2025",
    "vergaderingen/{m}/bewerken/",
    "vergaderingen/nieuw/",
]
READ_API = ["mode/", "meetings/", "meetings/{m}/", "playbook/", "actions/"]
WRITES_API = [
    ("mode/", {"mode": "active", "scenario_level": "mild", "reason": "x"}),
    ("meetings/", {"title": "x", "kind": "standby", "starts_at": "2025-06-01T10:00:00+02:00"}),
    ("meetings/{m}/minutes/", {"text": "verslag"}),
    ("actions/", {"title": "x"}),
    ("budget/streams/", {"name": "x", "funder": "y", "purpose": "z"}),
    ("yearly-report/", {"year": 2025, "format": "pdf"}),
    ("evaluation-export/", {"start": "2024-01-01", "end": "2025-01-01"}),
]


@pytest.mark.parametrize("role", [*ALL_ROLES, None])
def test_role_matrix_of_standby(role: str | None) -> None:
    from paraat.accounts.services import roles_sync

    roles_sync()
    cpo = UserFactory(username="cpo-matrix", roles=["cpo-secretariaat"])
    user = UserFactory(username="wie", roles=[role]) if role else None
    meeting = meeting_make(actor=cpo, title="Intern overleg")
    secret = meeting_make(actor=cpo, title="GEHEIM overleg", confidentiality="confidential")
    client, api = APIClient(), APIClient()
    if user is not None:
        client.force_login(user)
        api.force_authenticate(user)
    reader = role in COMMITTEE or role in ("beheerder", "cpo-secretariaat")
    manager = role == "cpo-secretariaat"
    sees_confidential = role in ("beheerder", "cpo-secretariaat")

    def expect(may: bool) -> set[int]:
        if user is None:
            return {302, 401}
        return {200} if may else {403}

    for page in READ_PAGES:
        status = client.get("/paraatheid/" + page.format(m=meeting.pk)).status_code
        assert status in expect(reader), (role, page, status)
    for page in MANAGE_PAGES:
        status = client.get("/paraatheid/" + page.format(m=meeting.pk)).status_code
        assert status in expect(manager), (role, page, status)
    for path in READ_API:
        status = api.get("/api/v1/preparedness/" + path.format(m=meeting.pk)).status_code
        assert status in expect(reader), (role, path, status)
    for path, body in WRITES_API:
        status = api.post(
            "/api/v1/preparedness/" + path.format(m=meeting.pk), body, format="json"
        ).status_code
        assert status in ({200, 201, 202} if manager else {401, 403}), (role, path, status)
    secret_page = client.get(f"/paraatheid/vergaderingen/{secret.pk}/")
    secret_api = api.get(f"/api/v1/preparedness/meetings/{secret.pk}/")
    listing = (
        client.get("/paraatheid/vergaderingen/").content
        + api.get("/api/v1/preparedness/meetings/").content
    )
    if sees_confidential:
        assert secret_page.status_code == 200 and b"GEHEIM" in listing
    else:
        assert secret_page.status_code in ({404} if reader else {302, 403})
        assert secret_api.status_code in ({404} if reader else {401, 403})
        assert b"GEHEIM" not in listing
