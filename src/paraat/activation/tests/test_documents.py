"""The signal and decree documents (PDF and Word, read back) and their background jobs: the
reasons and evidence in the signal, text never interpreted as markup, and a failing job that
keeps nothing (no row, no file)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from paraat.accounts.models import Confidentiality
from paraat.activation import documents, services, tasks
from paraat.activation.models import ActivationSignal, EstablishmentDecree
from paraat.activation.tests import factories
from paraat.evidence.tests.factories import EvidenceItemFactory
from paraat.jobs.models import JobStatus

pytestmark = pytest.mark.django_db


def _pdf(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _docx(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_signal_document_names_reasons_and_evidence(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo, description="Aanleiding <script>alert(1)</script>")
    item = EvidenceItemFactory(ref="opnames-2026", title="Opnames stijgen")
    services.criterion_judge(
        case=case,
        criterion="scale",
        judgement="met",
        evidence_text="- Alle regio's\n- Snelle groei",
        evidence=[item],
        actor=cpo,
    )
    signal = services.signal_create(case=case, actor=cpo)
    name, pdf = documents.signal_document(signal=signal, fmt="pdf")
    assert name == f"signaal-activering-{case.pk}-v1.pdf"
    text = _pdf(pdf)
    assert "Omvang van de crisis" in text and "Oordeel: voldaan." in text
    assert "Alle regio's" in text and "opnames-2026" in text
    assert "<script>alert(1)</script>" in text  # escaped, shown as text
    assert "Verwachte duur" in text and "Oordeel: onbekend." in text
    name, docx = documents.signal_document(signal=signal, fmt="docx")
    words = _docx(docx)
    assert "Alle regio's" in words and "opnames-2026 — Opnames stijgen" in words
    assert "Synthetisch voorbeeld" in words
    with pytest.raises(ValueError):
        documents.signal_document(signal=signal, fmt="html")


def test_public_case_leaves_non_public_evidence_out_of_the_signal(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo, confidentiality=Confidentiality.PUBLIC)
    secret = EvidenceItemFactory(ref="geheim-item", confidentiality=Confidentiality.CONFIDENTIAL)
    public = EvidenceItemFactory(ref="open-item", confidentiality=Confidentiality.PUBLIC)
    services.criterion_judge(
        case=case, criterion="scale", judgement="met", evidence=[secret, public], actor=cpo
    )
    signal = services.signal_create(case=case, actor=cpo)
    words = _docx(documents.signal_document(signal=signal, fmt="docx")[1])
    assert "open-item" in words and "geheim-item" not in words


def test_decree_document_sections(people: dict[str, Any]) -> None:
    cpo = people["cpo"]
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    chair = factories.CandidateFactory(person__name="Mr. <b>Vet</b> (fictief)")
    decree = services.decree_create(
        case=case,
        members=[services.MemberChoice(candidate=chair, role="chair")],
        decree_date=timezone.localdate(),
        term="een jaar",
        actor=cpo,
    )
    text = _pdf(documents.decree_document(decree=decree, fmt="pdf")[1])
    assert "Artikel 2. Samenstelling" in text and "Mr. <b>Vet</b> (fictief)" in text
    assert "Ontwerp, versie 1." in text
    words = _docx(documents.decree_document(decree=decree, fmt="docx")[1])
    assert "Artikel 3. Looptijd" in words and "Dit besluit geldt een jaar." in words


def test_failing_render_keeps_nothing(
    people: dict[str, Any],
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    cpo = people["cpo"]
    case = factories.judged(factories.case_make(actor=cpo), actor=cpo)
    real = documents.signal_document

    def docx_fails(*, signal: ActivationSignal, fmt: str) -> tuple[str, bytes]:
        if fmt == "docx":
            raise RuntimeError("kapot")
        return real(signal=signal, fmt=fmt)

    monkeypatch.setattr(documents, "signal_document", docx_fails)
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.signal_start(case=case, actor=cpo)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "DOCX" in job.error
    assert not ActivationSignal.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_decree_job_refuses_when_the_case_moved_on(
    people: dict[str, Any], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    cpo = people["cpo"]
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    chair = factories.CandidateFactory()
    members = [services.MemberChoice(candidate=chair, role="chair")]
    job = tasks.decree_start(
        case=case, actor=cpo, members=members, decree_date=timezone.localdate(), term="x"
    )
    # Before the job runs the case is closed: the job fails with the service's message.
    services.case_close(case=case, note="Toch niet.", actor=cpo)
    job = tasks.decree_job(job=job)
    assert job.status == JobStatus.FAILED and "gesloten" in job.error
    assert not EstablishmentDecree.objects.exists()
    assert [p for p in media.rglob("instellingsbesluit*") if p.is_file()] == []
