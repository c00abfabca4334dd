"""Writes of standby: histories appended, bad input refused by field, uploads by content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from paraat.preparedness import selectors, services
from paraat.preparedness.models import (
    Meeting,
    MeetingStatus,
    Minutes,
    ModeChange,
    PlaybookActionStatus,
    PlaybookActionStatusChange,
    PlaybookSectionVersion,
)
from paraat.preparedness.tests.factories import (
    PersonFactory,
    docx_bytes,
    meeting_make,
    moment,
    odt_bytes,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, Any]:
    return exc.value.message_dict


# --- mode --------------------------------------------------------------------------------------


def test_mode_defaults_to_standby_without_history() -> None:
    state = selectors.current_mode()
    assert (state.mode, state.scenario_level, state.since) == ("standby", "", None)


def test_mode_set_appends_history(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    first = services.mode_set(
        mode="standby",
        reason="Instellingsbesluit afgelopen",
        actor=cpo,
        at=moment(dt.date(2024, 9, 1), 0),
    )
    second = services.mode_set(
        mode="active", scenario_level="mild", reason="Nieuwe variant", actor=cpo
    )
    third = services.mode_set(
        mode="active", scenario_level="flu_plus", reason="Opschaling", actor=cpo
    )
    assert ModeChange.objects.count() == 3
    state = selectors.current_mode()
    assert (state.mode, state.scenario_level, state.reason) == ("active", "flu_plus", "Opschaling")
    assert state.since == third.at
    assert list(selectors.mode_history()) == [third, second, first]
    first.refresh_from_db()
    assert first.mode == "standby"  # never edited


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mode": "sleeping", "reason": "x"}, "mode"),
        ({"mode": "active", "scenario_level": "apocalypse", "reason": "x"}, "scenario_level"),
        ({"mode": "standby", "scenario_level": "mild", "reason": "x"}, "scenario_level"),
        ({"mode": "active", "reason": "  "}, "reason"),
    ],
)
def test_mode_set_refuses_bad_input(
    people: dict[str, Any], kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.mode_set(actor=people["cpo"], **kwargs)
    assert field in _errors(exc)


def test_mode_set_refuses_future_past_and_repeat(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    with pytest.raises(ValidationError) as exc:
        services.mode_set(
            mode="active", reason="x", actor=cpo, at=timezone.now() + dt.timedelta(days=2)
        )
    assert "at" in _errors(exc)
    services.mode_set(mode="standby", reason="start", actor=cpo, at=moment(dt.date(2025, 1, 1)))
    with pytest.raises(ValidationError) as exc:
        services.mode_set(mode="active", reason="x", actor=cpo, at=moment(dt.date(2024, 1, 1)))
    assert "at" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.mode_set(mode="standby", reason="again", actor=cpo)
    assert "mode" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.mode_set(mode="active", reason="x", actor=cpo, at=dt.datetime(2025, 2, 1))  # naive
    assert "at" in _errors(exc)


# --- meetings ----------------------------------------------------------------------------------


def test_meeting_create_with_agenda_and_status(people: dict[str, Any]) -> None:
    meeting = meeting_make(actor=people["cpo"], agenda=["Opening", "Draaiboek: herziening", ""])
    items = selectors.agenda(meeting=meeting)
    assert [(i.order, i.title, i.description) for i in items] == [
        (1, "Opening", ""),
        (2, "Draaiboek", "herziening"),
    ]
    services.meeting_status_set(meeting=meeting, status=MeetingStatus.HELD, actor=people["cpo"])
    assert Meeting.objects.get(pk=meeting.pk).status == "held"
    with pytest.raises(ValidationError):
        services.meeting_status_set(meeting=meeting, status=MeetingStatus.HELD, actor=people["cpo"])


def test_meeting_in_future_cannot_be_held(people: dict[str, Any]) -> None:
    meeting = meeting_make(actor=people["cpo"], when=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        services.meeting_status_set(meeting=meeting, status=MeetingStatus.HELD, actor=people["cpo"])
    assert "status" in _errors(exc)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "party"}, "kind"),
        ({"starts_at": dt.datetime(2026, 1, 1, 10)}, "starts_at"),
        ({"ends_at": moment(dt.date(2020, 1, 1))}, "ends_at"),
        ({"confidentiality": "secret"}, "confidentiality"),
    ],
)
def test_meeting_refuses_bad_input(
    people: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        meeting_make(actor=people["cpo"], **overrides)
    assert field in _errors(exc)


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (pdf_bytes(), "pdf"),
        (docx_bytes(), "docx"),
        (odt_bytes(), "odt"),
        ("Agenda\nPunt één".encode(), "txt"),
    ],
)
def test_document_accepted_by_content(people: dict[str, Any], content: bytes, fmt: str) -> None:
    meeting = meeting_make(actor=people["cpo"])
    document = services.meeting_document_add(
        meeting=meeting, title="", content=content, file_name="stuk.bin", actor=people["cpo"]
    )
    try:
        assert document.file_format == fmt
        assert document.file_name == f"stuk.{fmt}"
        assert document.size == len(content)
        with document.file.open("rb") as handle:
            assert handle.read() == content
    finally:
        document.file.delete(save=False)


def _zip(entries: dict[str, str]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><script>alert(1)</script></html>",
        b"  <svg onload=alert(1)></svg>",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"MZ\x90\x00\x03\x00",  # a Windows executable
        b"\xff\xfe\x00b\x00a\x00d",  # not UTF-8
        b"PK\x03\x04 broken zip",
        _zip(
            {
                "[Content_Types].xml": "vnd.ms-word.document.macroEnabled.main+xml vbaProject",
                "word/document.xml": "<w/>",
            }
        ),
        _zip({"evil.exe": "MZ"}),
    ],
)
def test_document_refused_by_content(people: dict[str, Any], content: bytes) -> None:
    meeting = meeting_make(actor=people["cpo"])
    with pytest.raises(ValidationError) as exc:
        services.meeting_document_add(
            meeting=meeting, title="x", content=content, file_name="stuk.pdf", actor=people["cpo"]
        )
    assert "file" in _errors(exc)
    assert meeting.documents.count() == 0


@override_settings(PARAAT_MEETING_DOCUMENT_MAX_MB=1)
def test_document_refused_above_size_limit(people: dict[str, Any]) -> None:
    meeting = meeting_make(actor=people["cpo"])
    with pytest.raises(ValidationError) as exc:
        services.meeting_document_add(
            meeting=meeting,
            title="x",
            content=b"a" * (1024 * 1024 + 1),
            file_name="groot.txt",
            actor=people["cpo"],
        )
    assert "1 MB" in str(_errors(exc)["file"])


def test_minutes_versions_and_approval(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    meeting = meeting_make(actor=cpo)
    v1 = services.minutes_save(meeting=meeting, text="Concept", actor=cpo)
    v2 = services.minutes_save(meeting=meeting, text="Concept, aangevuld", base_number=1, actor=cpo)
    assert (v1.number, v2.number) == (1, 2)
    with pytest.raises(ValidationError):  # stale base
        services.minutes_save(meeting=meeting, text="Iets anders", base_number=1, actor=cpo)
    with pytest.raises(ValidationError):  # unchanged
        services.minutes_save(meeting=meeting, text="Concept, aangevuld", actor=cpo)
    with pytest.raises(ValidationError):  # only the latest version
        services.minutes_approve(minutes=v1, approved_on=timezone.localdate(), actor=cpo)
    with pytest.raises(ValidationError) as exc:  # not in the future
        services.minutes_approve(
            minutes=v2, approved_on=timezone.localdate() + dt.timedelta(days=1), actor=cpo
        )
    assert "approved_on" in _errors(exc)
    approval = services.minutes_approve(minutes=v2, approved_on=timezone.localdate(), actor=cpo)
    assert selectors.minutes_approval(meeting=meeting) == approval
    with pytest.raises(ValidationError):  # approved minutes are final
        services.minutes_save(meeting=meeting, text="Na vaststelling", actor=cpo)
    assert Minutes.objects.get(pk=v1.pk).text == "Concept"


def test_attendance_record_and_counts(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    meeting = meeting_make(actor=cpo)
    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    services.attendance_record(meeting=meeting, person=a, presence="present", role="cpo", actor=cpo)
    services.attendance_record(
        meeting=meeting, person=b, presence="remote", role="expert_member", actor=cpo
    )
    services.attendance_record(
        meeting=meeting, person=c, presence="present", role="member", actor=cpo
    )
    # a correction replaces the person's row
    services.attendance_record(
        meeting=meeting, person=c, presence="absent", role="member", actor=cpo
    )
    assert selectors.attendance_counts(meeting=meeting) == {
        "present": 1,
        "remote": 1,
        "absent": 1,
        "attended": 2,
    }
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            meeting=meeting, person=a, presence="asleep", role="boss", actor=cpo
        )
    assert {"presence", "role"} <= set(_errors(exc))


# --- cadence planning --------------------------------------------------------------------------


def test_meetings_plan_from_cadence(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    with pytest.raises(ValidationError):  # no mode yet
        services.meetings_plan(actor=cpo)
    today = timezone.localdate()
    services.mode_set(
        mode="active",
        scenario_level="mild",
        reason="x",
        actor=cpo,
        at=moment(today - dt.timedelta(days=3)),
    )
    created = services.meetings_plan(actor=cpo, until=today + dt.timedelta(days=75))
    assert len(created) == 2  # monthly from the change: +1 and +2 months
    assert all(m.planned_by_cadence and m.status == "planned" for m in created)
    assert services.meetings_plan(actor=cpo, until=today + dt.timedelta(days=75)) == []  # covered
    with pytest.raises(ValidationError) as exc:
        services.meetings_plan(actor=cpo, until=today - dt.timedelta(days=1))
    assert "until" in _errors(exc)


def test_cadence_state_follows_held_meetings(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    services.mode_set(mode="standby", reason="x", actor=cpo, at=moment(dt.date(2024, 9, 1), 0))
    meeting = meeting_make(actor=cpo, when=moment(dt.date(2025, 6, 12)))
    services.meeting_status_set(meeting=meeting, status="held", actor=cpo)
    state = selectors.cadence_now(today=dt.date(2026, 7, 1))
    assert state is not None
    assert (state.next_due, state.overdue, state.days_overdue) == (dt.date(2026, 6, 12), True, 19)


@override_settings(PARAAT_PREPAREDNESS_CADENCE="standby=6m")
def test_cadence_intervals_overridable(people: dict[str, Any]) -> None:
    services.mode_set(
        mode="standby", reason="x", actor=people["cpo"], at=moment(dt.date(2024, 9, 1), 0)
    )
    state = selectors.cadence_now(today=dt.date(2024, 10, 1))
    assert state is not None and state.next_due == dt.date(2025, 3, 1)


# --- playbook ----------------------------------------------------------------------------------


def test_playbook_section_versions_and_diff(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    owner = PersonFactory(name="Fictieve Eigenaar")
    section = services.playbook_section_create(
        element="minister", title="Minister", owner=owner, text="De minister van SZW.", actor=cpo
    )
    assert selectors.playbook_section_for(element="minister") == section
    assert selectors.section_text(section=section) == "De minister van SZW."
    v2 = services.playbook_section_save(
        section=section,
        text="De minister van SZW besluit.",
        note="besluit toegevoegd",
        base_number=1,
        review_due_on=dt.date(2027, 1, 1),
        actor=cpo,
    )
    assert (
        v2.number == 2 and selectors.section_text(section=section) == "De minister van SZW besluit."
    )
    section.refresh_from_db()
    assert section.review_due_on == dt.date(2027, 1, 1)
    ops = selectors.section_diff(
        old=selectors.section_version_get(section=section, number=1), new=v2
    )
    assert ("delete", "SZW.") in ops and ("insert", "SZW besluit.") in ops
    with pytest.raises(ValidationError) as exc:  # somebody else saved in between
        services.playbook_section_save(section=section, text="Anders", base_number=1, actor=cpo)
    assert "versie 2" in str(_errors(exc)["text"])
    with pytest.raises(ValidationError):  # unchanged
        services.playbook_section_save(
            section=section, text="De minister van SZW besluit.", actor=cpo
        )
    assert PlaybookSectionVersion.objects.filter(section=section).count() == 2
    with pytest.raises(ValidationError) as exc:  # one section per named element
        services.playbook_section_create(element="minister", title="Nog een", actor=cpo)
    assert "element" in _errors(exc)
    assert selectors.playbook_section_for(element="decree_template") is None


def test_playbook_defaults_and_overdue(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    created = services.playbook_defaults_ensure(actor=cpo)
    elements = {s.element for s in created}
    assert {
        "minister",
        "organisation",
        "quartermaster",
        "housing",
        "fixed_experts",
        "legal_construct",
        "decree_template",
        "secondments",
    } <= elements
    assert services.playbook_defaults_ensure(actor=cpo) == []
    section = selectors.playbook_section_for(element="housing")
    assert section is not None and selectors.section_text(section=section) == ""
    services.playbook_section_update(
        section=section,
        title=section.title,
        owner=None,
        review_due_on=dt.date(2020, 1, 1),
        actor=cpo,
    )
    assert [s.pk for s in selectors.sections_overdue()] == [section.pk]
    assert selectors.missing_elements() == []


def test_playbook_action_create_and_status_history(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    section = services.playbook_section_create(
        element="secondments", title="Detachering", actor=cpo
    )
    action = services.playbook_action_create(
        title="Contactpersonen bevestigen",
        description="Les uit de oefening",
        source="Oefening najaar 2020",
        section=section,
        actor=cpo,
    )
    assert action.status == PlaybookActionStatus.OPEN
    services.playbook_action_status_set(action=action, status="in_progress", actor=cpo)
    services.playbook_action_status_set(action=action, status="done", note="klaar", actor=cpo)
    history = [
        c.status for c in PlaybookActionStatusChange.objects.filter(action=action).order_by("pk")
    ]
    assert history == ["open", "in_progress", "done"]
    with pytest.raises(ValidationError):
        services.playbook_action_status_set(action=action, status="done", actor=cpo)
    with pytest.raises(ValidationError) as exc:
        services.playbook_action_create(title="", description="", source="", actor=cpo)
    assert "title" in _errors(exc)
    assert list(selectors.action_list(open_only=True)) == []


# --- budget ------------------------------------------------------------------------------------


def test_budget_against_realisation(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    stream = services.funding_stream_create(
        name="Taken", funder="SZW", purpose="Waakstand", actor=cpo
    )
    other = services.funding_stream_create(
        name="Kennisbasis OCW", funder="OCW", purpose="Kennisbasis", actor=cpo
    )
    services.budget_line_create(stream=stream, year=2025, amount="70000", actor=cpo)
    services.budget_line_create(stream=other, year=2025, amount=50000, actor=cpo)
    services.realisation_create(
        stream=stream, amount="30000.50", date=dt.date(2025, 3, 1), description="Q1", actor=cpo
    )
    services.realisation_create(
        stream=stream, amount="45000", date=dt.date(2025, 9, 1), description="Q3", actor=cpo
    )
    services.realisation_create(
        stream=stream,
        amount="-500.50",
        date=dt.date(2025, 10, 1),
        description="correctie",
        actor=cpo,
    )
    services.realisation_create(
        stream=other, amount="1000", date=dt.date(2026, 1, 5), description="2026", actor=cpo
    )
    rows = {(r.stream.name, r.year): r for r in selectors.budget_overview()}
    taken = rows[("Taken", 2025)]
    assert (taken.budgeted, taken.realised, taken.remaining) == (
        Decimal("70000.00"),
        Decimal("74500.00"),
        Decimal("-4500.00"),
    )
    assert taken.over_budget and taken.share == pytest.approx(74500 / 70000)
    assert rows[("Kennisbasis OCW", 2025)].realised == 0
    assert (
        rows[("Kennisbasis OCW", 2026)].budgeted == 0
        and rows[("Kennisbasis OCW", 2026)].share is None
    )
    assert len(selectors.budget_overview(year=2025)) == 2
    totals = selectors.budget_totals(selectors.budget_overview(year=2025))
    assert totals[2025] == {"budgeted": Decimal("120000.00"), "realised": Decimal("74500.00")}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": "abc", "date": dt.date(2025, 1, 1), "description": "x"}, "amount"),
        ({"amount": "0", "date": dt.date(2025, 1, 1), "description": "x"}, "amount"),
        ({"amount": "NaN", "date": dt.date(2025, 1, 1), "description": "x"}, "amount"),
        ({"amount": "10", "date": dt.date(2999, 1, 1), "description": "x"}, "date"),
        ({"amount": "10", "date": dt.date(2025, 1, 1), "description": " "}, "description"),
    ],
)
def test_realisation_refuses_bad_input(
    people: dict[str, Any], kwargs: dict[str, Any], field: str
) -> None:
    stream = services.funding_stream_create(
        name="S", funder="SZW", purpose="p", actor=people["cpo"]
    )
    with pytest.raises(ValidationError) as exc:
        services.realisation_create(stream=stream, actor=people["cpo"], **kwargs)
    assert field in _errors(exc)


def test_budget_line_and_stream_refuse_bad_input(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    with pytest.raises(ValidationError) as exc:
        services.funding_stream_create(
            name="",
            funder="",
            purpose="",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2024, 1, 1),
            actor=cpo,
        )
    assert {"name", "funder", "purpose", "ends_on"} <= set(_errors(exc))
    stream = services.funding_stream_create(name="S", funder="SZW", purpose="p", actor=cpo)
    with pytest.raises(ValidationError) as exc:
        services.budget_line_create(stream=stream, year=1800, amount="-1", actor=cpo)
    assert {"year", "amount"} <= set(_errors(exc))
