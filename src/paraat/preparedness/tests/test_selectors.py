"""Reads of standby: visibility of meetings, attendance rows for fees, playbook rows, cadence
compliance over a history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from paraat.preparedness import selectors, services
from paraat.preparedness.tests.factories import PersonFactory, meeting_make, moment

pytestmark = pytest.mark.django_db


def test_meeting_list_by_role_and_year(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    a = meeting_make(actor=cpo, title="2025", when=moment(dt.date(2025, 3, 1)))
    b = meeting_make(
        actor=cpo,
        title="2026 geheim",
        when=moment(dt.date(2026, 3, 1)),
        confidentiality="confidential",
    )
    assert set(selectors.meeting_list(user=cpo)) == {a, b}
    assert list(selectors.meeting_list(user=cpo, year=2025)) == [a]
    assert list(selectors.meeting_list(user=people["member"])) == [a]
    assert list(selectors.meeting_list(user=people["analyst"])) == []
    assert list(selectors.meeting_list(user=AnonymousUser())) == []
    assert selectors.meeting_years(user=cpo) == [2026, 2025]


def test_attendance_rows_for_fees(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    held = meeting_make(actor=cpo, title="Overleg", when=moment(dt.date(2025, 6, 12)))
    cancelled = meeting_make(actor=cpo, title="Vervallen", when=moment(dt.date(2025, 9, 1)))
    services.meeting_status_set(meeting=cancelled, status="cancelled", actor=cpo)
    anna, bert = PersonFactory(name="Anna"), PersonFactory(name="Bert")
    services.attendance_record(
        meeting=held, person=anna, presence="present", role="chair", actor=cpo
    )
    services.attendance_record(
        meeting=held, person=bert, presence="absent", role="member", actor=cpo
    )
    services.attendance_record(
        meeting=cancelled, person=anna, presence="present", role="chair", actor=cpo
    )
    rows = selectors.attendance_rows(user=cpo, year=2025)
    assert [(r["person"].name, r["date"], r["attended"]) for r in rows] == [
        ("Anna", dt.date(2025, 6, 12), True),
        ("Bert", dt.date(2025, 6, 12), False),
    ]
    assert selectors.attendance_rows(user=cpo, year=2024) == []
    listed = selectors.meeting_list(user=cpo, year=2025).get(pk=held.pk)
    assert listed.present_count == 1


def test_playbook_rows_and_actions(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    late = services.playbook_section_create(
        element="housing", title="Huisvesting", review_due_on=dt.date(2020, 1, 1), actor=cpo
    )
    fine = services.playbook_section_create(
        element="minister", title="Minister", review_due_on=dt.date(2100, 1, 1), text="x", actor=cpo
    )
    services.playbook_action_create(
        title="A", description="", source="", section=late, actor=cpo, due_on=dt.date(2020, 1, 1)
    )
    rows = {r["section"].pk: r for r in selectors.playbook_rows()}
    assert (
        rows[late.pk]["overdue"]
        and rows[late.pk]["open_actions"] == 1
        and rows[late.pk]["latest"] is None
    )
    assert not rows[fine.pk]["overdue"] and rows[fine.pk]["latest"].number == 1
    assert "SZW" in rows[fine.pk]["help"]
    action = selectors.action_list().get()
    assert selectors.action_overdue(action)
    assert selectors.action_history(action=action)[0].status == "open"


def test_cadence_compliance_over_history(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    services.mode_set(mode="standby", reason="x", actor=cpo, at=moment(dt.date(2024, 9, 1), 0))
    m = meeting_make(actor=cpo, when=moment(dt.date(2025, 6, 12)))
    services.meeting_status_set(meeting=m, status="held", actor=cpo)
    meeting_make(actor=cpo, when=moment(dt.date(2025, 12, 1)))  # planned, not held: does not count
    checks = selectors.cadence_compliance(until=dt.date(2026, 12, 31))
    assert [(c.due, c.met_on, c.on_time) for c in checks] == [
        (dt.date(2025, 9, 1), dt.date(2025, 6, 12), True),
        (dt.date(2026, 6, 12), None, False),
    ]
    assert selectors.planned_meeting_dates() == [dt.date(2025, 12, 1)]
