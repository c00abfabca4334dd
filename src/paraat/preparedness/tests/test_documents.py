"""The playbook and the yearly report as PDF and Word, and the evaluation export, made by
background jobs and read back (pypdf, python-docx, zipfile)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from paraat.jobs.models import JobStatus
from paraat.preparedness import documents, reports, services, tasks
from paraat.preparedness.tests.factories import PersonFactory, close_response, meeting_make, moment

pytestmark = pytest.mark.django_db

MARKUP = '<b>vet</b> & <script>alert("x")</script>'


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def standby(people: dict[str, Any]) -> dict[str, Any]:
    """A year of standby: mode, a held meeting with attendance, playbook, an action, budget."""
    cpo = people["cpo"]
    year = timezone.localdate().year
    services.mode_set(
        mode="standby", reason="Waakstand", actor=cpo, at=moment(dt.date(2024, 9, 1), 0)
    )
    owner = PersonFactory(name="Chris Paraat (fictief)")
    services.playbook_section_create(
        element="minister",
        title="Verantwoordelijke minister",
        owner=owner,
        review_due_on=dt.date(2020, 1, 1),
        text=f"De minister van SZW.\n\nTweede alinea {MARKUP}.",
        actor=cpo,
    )
    services.playbook_section_create(
        element="decree_template",
        title="Model-instellingsbesluit",
        text="Voorzitter: {{ voorzitter }}",
        actor=cpo,
    )
    services.playbook_action_create(
        title="Stappenplan kwartiermaker", description="", source="Oefening", actor=cpo
    )
    meeting = meeting_make(actor=cpo, title="Jaarlijks overleg", when=moment(dt.date(year, 1, 15)))
    services.meeting_status_set(meeting=meeting, status="held", actor=cpo)
    services.attendance_record(
        meeting=meeting, person=owner, presence="present", role="cpo", actor=cpo
    )
    services.attendance_record(
        meeting=meeting, person=PersonFactory(), presence="remote", role="member", actor=cpo
    )
    stream = services.funding_stream_create(
        name="Taken MIT in waakstand", funder="SZW", purpose="Taken", actor=cpo
    )
    services.budget_line_create(stream=stream, year=year, amount="70000", actor=cpo)
    services.realisation_create(
        stream=stream,
        amount="12345.67",
        date=dt.date(year, 1, 2),
        description="Kwartaal",
        actor=cpo,
        is_synthetic=True,
    )
    return {"year": year, "meeting": meeting}


def test_playbook_pdf_and_docx_read_back(people: dict[str, Any], standby: dict[str, Any]) -> None:
    name, pdf = documents.playbook_document(fmt="pdf")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "Draaiboek" in text and "Verantwoordelijke minister" in text
    assert "De minister van SZW." in text and "herziening te laat" in text
    assert "<script>" in text  # literal text, never markup
    assert "Chris Paraat (fictief)" in text and "Stappenplan kwartiermaker" in text
    name, docx = documents.playbook_document(fmt="docx")
    assert name.endswith(".docx")
    text = _docx_text(docx)
    assert "Model-instellingsbesluit" in text and "{{ voorzitter }}" in text
    assert MARKUP in text and "herziening te laat" in text
    with pytest.raises(ValueError):
        documents.playbook_document(fmt="html")


def test_yearly_report_read_back(people: dict[str, Any], standby: dict[str, Any]) -> None:
    year = standby["year"]
    data = reports.yearly_report_data(year=year, user=people["cpo"])
    assert data["meetings_held"] == 1 and data["attendance_total"] == 2
    assert data["playbook_overdue"] == 1 and len(data["actions_open"]) == 1
    assert (
        data["budget"][0]["budgeted"] == 70000 and str(data["budget"][0]["realised"]) == "12345.67"
    )
    assert data["synthetic"]
    assert (
        not data["coverage_error"] and not data["exercises_error"] and not data["activations_error"]
    )
    for fmt, read in (("pdf", _pdf_text), ("docx", _docx_text)):
        name, content = documents.yearly_report_document(data=data, fmt=fmt)
        assert name == f"jaarverslag-waakstand-{year}.{fmt}"
        text = read(content)
        for expected in (
            f"Jaarverslag {year}",
            "Jaarlijks overleg",
            "Vergaderfrequentie",
            "Verantwoordelijke minister",
            "Stappenplan kwartiermaker",
            "Taken MIT in waakstand",
            "€ 70.000,00",
            "€ 12.345,67",
            "Netwerk",
            "Oefeningen",
            "Activeringen",
            "Adviezen en opvolging",
        ):
            assert expected in text, (fmt, expected)


def test_euro_formatting() -> None:
    assert documents.euro(70000) == "€ 70.000,00"
    assert documents.euro("-1234.5") == "-€ 1.234,50"
    assert documents.euro(0) == "€ 0,00"


def test_report_job_with_progress_and_download(
    people: dict[str, Any],
    standby: dict[str, Any],
    media: Path,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    cpo = people["cpo"]
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.report_start(user=cpo, year=standby["year"], fmt="docx")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.percent == 100 and job.progress_total == 3
    assert job.result["name"] == f"jaarverslag-waakstand-{standby['year']}.docx"
    client.force_login(cpo)
    response = client.get(job.result["url"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    close_response(response)
    assert "Jaarlijks overleg" in _docx_text(content)
    client.force_login(people["member"])  # no report permission
    assert client.get(job.result["url"]).status_code == 404
    client.logout()
    assert client.get(job.result["url"]).status_code in (302, 404)


def test_playbook_job_for_readers(
    people: dict[str, Any],
    standby: dict[str, Any],
    media: Path,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.playbook_start(user=people["member"], fmt="pdf")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    client.force_login(people["member"])
    response = client.get(job.result["url"])
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    close_response(response)
    assert "Verantwoordelijke minister" in _pdf_text(content)
    client.force_login(people["analyst"])
    assert client.get(job.result["url"]).status_code == 404


def test_job_start_refuses_bad_input(people: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        tasks.report_start(user=people["cpo"], year=1999, fmt="pdf")
    assert "year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        tasks.report_start(user=people["cpo"], year=2025, fmt="exe")
    assert "fmt" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        tasks.export_start(user=people["cpo"], start=dt.date(2026, 1, 1), end=dt.date(2025, 1, 1))
    assert "end" in exc.value.message_dict


def test_evaluation_export_zip(
    people: dict[str, Any],
    standby: dict[str, Any],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    year = standby["year"]
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.export_start(
            user=people["cpo"], start=dt.date(2024, 1, 1), end=dt.date(year, 12, 31)
        )
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    found = tasks.job_file_for(job, people["cpo"])
    assert found is not None
    path, name, content_type = found
    assert name.endswith(".zip") and content_type == "application/zip"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert "README.txt" in names
        for subject in reports.EXPORT_FILES:
            assert {f"{subject}.csv", f"{subject}.json"} <= names
        readme = archive.read("README.txt").decode()
        assert "vijfjaarlijkse evaluatie" in readme and "meetings.csv" in readme
        meetings = json.loads(archive.read("meetings.json"))
        assert [m["title"] for m in meetings] == ["Jaarlijks overleg"]
        assert meetings[0]["attended"] == 2
        rows = list(csv.DictReader(io.StringIO(archive.read("attendance.csv").decode())))
        assert {r["presence"] for r in rows} == {"present", "remote"}
        modes = json.loads(archive.read("mode_changes.json"))
        assert modes[0]["mode"] == "standby"
        budget = json.loads(archive.read("budget.json"))
        assert budget[0]["budgeted"] == "70000.00"
        sections = list(csv.DictReader(io.StringIO(archive.read("playbook_sections.csv").decode())))
        assert {s["element"] for s in sections} == {"minister", "decree_template"}
    assert tasks.job_file_for(job, people["member"]) is None


def test_plain_rows_of_other_apps() -> None:
    import dataclasses

    @dataclasses.dataclass
    class Row:
        title: str
        when: dt.date
        items: list[str]

    assert reports.plain(Row("a", dt.date(2026, 1, 2), ["x"])) == {
        "title": "a",
        "when": "2026-01-02",
        "items": ["x"],
    }
    assert reports.plain({"n": 1}) == {"n": 1}
    assert reports.plain(3) == {"item": "3"}
