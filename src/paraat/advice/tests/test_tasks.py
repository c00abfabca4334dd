"""The dispatch job: renders the signed version as PDF and Word and sends it; on any failure
the job fails with a readable message and nothing is kept (no Dispatch row, no files)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from paraat.advice import documents, notifications, services, tasks, workflow
from paraat.advice.models import Dispatch
from paraat.advice.tests import factories
from paraat.jobs.models import JobStatus
from paraat.jobs.services import job_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    people = factories.committee()
    advice = factories.request_make(actor=people["cpo"])
    factories.decided(request=advice, people=people)
    services.advice_sign_off(request=advice, actor=people["chair"])
    return {**people, "advice": advice, "media": tmp_path}


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_dispatch_job_sends_both_documents(
    signed: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    advice, chair = signed["advice"], signed["chair"]
    until = timezone.now() + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.dispatch_start(
            request=advice, actor=chair, embargo_until=until, embargo_note="Tot de Kamerbrief."
        )
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.percent == 100
    assert job.result["url"] == reverse("advice:dispatch", kwargs={"key": advice.key})

    dispatch = Dispatch.objects.get(request=advice)
    assert dispatch.recipient == "Secretaris-generaal van SZW"
    assert dispatch.embargo_until == until
    assert dispatch.embargo_note == "Tot de Kamerbrief."
    assert dispatch.revision == advice.sign_offs.get().revision
    with dispatch.pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert advice.title in text and "Geen inreisverbod." in text
    assert "Onder embargo" in text and "Tot de Kamerbrief." in text
    with dispatch.docx.open("rb") as handle:
        paragraphs = [p.text for p in Document(io.BytesIO(handle.read())).paragraphs]
    assert advice.title in paragraphs
    assert len(_files(signed["media"])) == 2  # exactly the two documents

    assert workflow.status_of(advice) == "embargo"
    assert [r.text for r in advice.recommendations.all()] == [
        "Geen inreisverbod.",
        "Wel een test vóór vertrek.",
    ]
    assert any(advice.title in m.subject or advice.title in m.body for m in mailoutbox)


def test_dispatch_start_checks_early(
    signed: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    advice = signed["advice"]
    with pytest.raises(PermissionDenied):
        tasks.dispatch_start(request=advice, actor=signed["members"][0])
    with pytest.raises(PermissionDenied):
        tasks.dispatch_start(request=advice, actor=signed["cpo"])  # manages, does not sign
    with pytest.raises(ValidationError) as past:
        tasks.dispatch_start(
            request=advice,
            actor=signed["chair"],
            embargo_until=timezone.now() - dt.timedelta(hours=1),
        )
    assert "embargo_until" in past.value.message_dict

    unsigned = factories.request_make(actor=signed["cpo"], title="Nog niet ondertekend")
    factories.decided(request=unsigned, people=signed)
    with pytest.raises(ValidationError) as no_sign_off:
        tasks.dispatch_start(request=unsigned, actor=signed["chair"])
    assert "request" in no_sign_off.value.message_dict

    # A queued job blocks a second start; nothing runs without the commit.
    tasks.dispatch_start(request=advice, actor=signed["chair"])
    with pytest.raises(ValidationError):
        tasks.dispatch_start(request=advice, actor=signed["chair"])
    assert not Dispatch.objects.exists()


def test_already_sent_is_refused(
    signed: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch_start(request=signed["advice"], actor=signed["chair"])
    with pytest.raises(ValidationError):
        tasks.dispatch_start(request=signed["advice"], actor=signed["chair"])


def test_failing_render_leaves_nothing(
    signed: dict[str, Any], django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    real = documents.revision_document

    def broken(**kwargs: Any) -> tuple[str, bytes]:
        if kwargs["fmt"] == "docx":
            raise OSError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(documents, "revision_document", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.dispatch_start(request=signed["advice"], actor=signed["chair"])
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "DOCX" in job.error and "niets verzonden" in job.error
    assert "disk full" not in job.error  # no internals on the page
    assert not Dispatch.objects.exists()
    assert workflow.status_of(signed["advice"]) == "alignment"
    assert not signed["advice"].recommendations.exists()
    assert _files(signed["media"]) == []
    assert tasks.dispatch_job_latest(request=signed["advice"]) == job


def test_failure_after_files_were_stored_removes_them(
    signed: dict[str, Any], django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def boom(**kwargs: Any) -> None:
        raise RuntimeError("mail server gone")

    monkeypatch.setattr(notifications, "advice_dispatched", boom)
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.dispatch_start(request=signed["advice"], actor=signed["chair"])
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error and "mail server" not in job.error
    assert not Dispatch.objects.exists()
    assert workflow.status_of(signed["advice"]) == "alignment"
    assert _files(signed["media"]) == []

    # The failed job does not block a new attempt, which succeeds.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.dispatch_start(request=signed["advice"], actor=signed["chair"])
    again.refresh_from_db()
    assert again.status == JobStatus.SUCCEEDED
    assert len(_files(signed["media"])) == 2


def test_job_of_someone_without_the_right_fails_readably(signed: dict[str, Any]) -> None:
    job = job_create(
        kind=tasks.DISPATCH_KIND,
        title="Verzending",
        params={"key": signed["advice"].key},
        created_by=signed["members"][0],
    )
    job = tasks.dispatch_job(job=job)
    assert job.status == JobStatus.FAILED
    assert "rol" in job.error
    assert not Dispatch.objects.exists()
    assert _files(signed["media"]) == []

    unknown = job_create(
        kind=tasks.DISPATCH_KIND,
        title="Verzending",
        params={"key": "bestaat-niet"},
        created_by=signed["chair"],
    )
    assert "bestaat-niet" in tasks.dispatch_job(job=unknown).error
