"""Every upload in paraat refuses a file that is too large or of the wrong type, clearly (issue 8).

The uploads (``grep FileField/request.FILES/MultiPartParser src/paraat``):

* knowledge library item form, PDF attachment (``evidence:create``; limit 25 MB, by content);
* knowledge library import (``evidence:import``; 20 MB; the format is checked by the import job);
* OxCGRT import (``measures:oxcgrt_import``; ``PARAAT_MAX_IMPORT_MB``; .csv, then the job);
* societal-picture import (``indicator_manage:import``; 100 MB; the job reads the file);
* meeting documents, page and API (``preparedness:document-add``, ``/api/v1/preparedness/
  meetings/<pk>/documents/``; ``PARAAT_MEETING_DOCUMENT_MAX_MB``; by content).

For each: too large → a message naming the limit (a form error or 413, never a 500); wrong type
by content (HTML or SVG renamed .pdf, a Windows program renamed .docx, …) → refused with a
message, at once or by the import job, which stores nothing. Stored uploads are served as
attachments with ``nosniff``. Requests over Django's own limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``,
``DATA_UPLOAD_MAX_NUMBER_FIELDS``) get a 413 that names the limit, a page or JSON for the API.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from paraat.accounts.tests.factories import UserFactory
from paraat.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"
GENERIC_FAILURE = "Onverwachte fout"


@pytest.fixture
def boss(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return UserFactory(username="beheerder-uploads", is_superuser=True, is_staff=True)


@pytest.fixture
def meeting(boss: Any) -> Any:
    from paraat.preparedness.tests.factories import meeting_make

    return meeting_make(actor=boss, title="Overleg met stukken")


def _item_form() -> dict[str, object]:
    return {
        "item_type": "report",
        "title": "Rapport met bijlage",
        "authors": "Jansen, Els",
        "published_on": "2021-05-01",
        "date_precision": "month",
        "language": "nl",
        "keywords": "",
        "summary": "",
        "knowledge_class": "scientific",
        "interests_status": "unknown",
        "confidentiality": "internal",
    }


@dataclass(frozen=True)
class Upload:
    """One upload endpoint: how to post a file to it."""

    name: str
    field: str

    def post(self, client: Any, upload: SimpleUploadedFile, context: dict[str, Any]) -> Any:
        if self.name == "evidence-item":
            return client.post(reverse("evidence:create"), {**_item_form(), "attachment": upload})
        if self.name == "evidence-import":
            data = {"file": upload, "file_format": "", "confidentiality": "internal"}
            return client.post(reverse("evidence:import"), data)
        if self.name == "oxcgrt-import":
            return client.post(reverse("measures:oxcgrt_import"), {"file": upload})
        if self.name == "indicators-import":
            data = {"kind": "statline", "file": upload, "period_format": "auto"}
            return client.post(reverse("indicator_manage:import"), data)
        if self.name == "meeting-document":
            url = reverse("preparedness:document-add", args=[context["meeting"].pk])
            return client.post(url, {"title": "Stuk", "file": upload})
        if self.name == "meeting-document-api":
            api = APIClient()
            api.force_authenticate(context["user"])
            url = f"/api/v1/preparedness/meetings/{context['meeting'].pk}/documents/"
            return api.post(url, {"title": "Stuk", "file": upload}, format="multipart")
        raise AssertionError(self.name)


def _refusal(response: Any) -> str:
    """The text of an immediate refusal (a form page or an API error); fails on a 500."""
    assert response.status_code in (200, 400, 413), response.status_code
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _job_refusal(response: Any) -> str:
    """An upload accepted for a background import: its job must fail with a clear message."""
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED, (job.status, job.result)
    assert job.error and GENERIC_FAILURE not in job.error, job.error
    return job.error


# (endpoint, file name, content, what the refusal must say)
TOO_LARGE = [
    pytest.param(Upload("evidence-item", "attachment"), "groot.pdf", 25, "25 MB", id="item-pdf"),
    pytest.param(Upload("evidence-import", "file"), "groot.ris", 20, "20 MB", id="import-ris"),
    pytest.param(
        Upload("oxcgrt-import", "file"),
        "groot.csv",
        1,
        "1 MB",
        id="oxcgrt",
    ),
    pytest.param(Upload("indicators-import", "file"), "groot.zip", 1, "100 MB", id="indicators"),
    pytest.param(Upload("meeting-document", "file"), "groot.pdf", 1, "1 MB", id="meeting"),
    pytest.param(Upload("meeting-document-api", "file"), "groot.pdf", 1, "1 MB", id="meeting-api"),
]


@pytest.mark.parametrize(("upload", "name", "megabytes", "says"), TOO_LARGE)
def test_too_large_is_refused_naming_the_limit(
    upload: Upload,
    name: str,
    megabytes: int,
    says: str,
    boss: Any,
    meeting: Any,
    client: Any,
    settings: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Limits from settings are lowered to 1 MB; fixed limits are exceeded for real.
    settings.MAX_IMPORT_UPLOAD_BYTES = 1 * MB
    settings.PARAAT_MEETING_DOCUMENT_MAX_MB = 1
    monkeypatch.setattr("paraat.indicators.manage_forms.MAX_UPLOAD_BYTES", 1 * MB)
    content = b"%PDF-1.7\n" + b"0" * (megabytes * MB)
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload.post(
            client, SimpleUploadedFile(name, content), {"meeting": meeting, "user": boss}
        )
    assert not Job.objects.exists(), "a file over the limit must not start an import"
    assert says in _refusal(response)


ITEM = Upload("evidence-item", "attachment")
IMPORT = Upload("evidence-import", "file")
OXCGRT = Upload("oxcgrt-import", "file")
CBS = Upload("indicators-import", "file")
MEETING = Upload("meeting-document", "file")
MEETING_API = Upload("meeting-document-api", "file")

# (endpoint, file name, content, what the refusal must say, refused at once or by the job)
WRONG_TYPE = [
    pytest.param(ITEM, "x.pdf", HTML, "geen PDF", True, id="item-html"),
    pytest.param(ITEM, "x.pdf", SVG, "geen PDF", True, id="item-svg"),
    pytest.param(IMPORT, "x.ris", EXE, "x.ris", False, id="import-exe"),
    pytest.param(
        IMPORT, "x.bib", HTML, "x.bib", False, id="import-html",
    ),
    pytest.param(OXCGRT, "x.docx", EXE, "CSV", True, id="oxcgrt-exe"),
    pytest.param(OXCGRT, "x.csv", HTML, "x.csv", False, id="oxcgrt-html"),
    pytest.param(CBS, "x.zip", HTML, "ZIP-bestand", True, id="cbs-html"),
    pytest.param(MEETING, "x.pdf", SVG, "inhoud", True, id="meeting-svg"),
    pytest.param(MEETING, "x.docx", EXE, "inhoud", True, id="meeting-exe"),
    pytest.param(MEETING_API, "x.pdf", HTML, "inhoud", True, id="api-html"),
]  # fmt: skip


@pytest.mark.parametrize(("upload", "name", "content", "says", "at_once"), WRONG_TYPE)
def test_wrong_type_by_content_is_refused(
    upload: Upload,
    name: str,
    content: bytes,
    says: str,
    at_once: bool,
    boss: Any,
    meeting: Any,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload.post(
            client, SimpleUploadedFile(name, content), {"meeting": meeting, "user": boss}
        )
    if at_once:
        assert not Job.objects.exists()
        assert says in _refusal(response)
    else:
        assert says in _job_refusal(response)
    from paraat.evidence.models import EvidenceItem
    from paraat.preparedness.models import MeetingDocument

    assert not EvidenceItem.objects.exists() and not MeetingDocument.objects.exists()


def test_stored_uploads_are_served_as_attachments_with_nosniff(
    boss: Any, meeting: Any, client: Any
) -> None:
    from paraat.preparedness.tests.factories import close_response, pdf_bytes

    client.force_login(boss)
    pdf = pdf_bytes()
    item_form = {**_item_form(), "attachment": SimpleUploadedFile("b.pdf", pdf)}
    assert client.post(reverse("evidence:create"), item_form).status_code == 302
    document = {"title": "Stuk", "file": SimpleUploadedFile("stuk.pdf", pdf)}
    url = reverse("preparedness:document-add", args=[meeting.pk])
    assert client.post(url, document).status_code == 302
    from paraat.evidence.models import EvidenceItem
    from paraat.preparedness.models import MeetingDocument

    downloads = [
        reverse("evidence:attachment", args=[EvidenceItem.objects.get().pk]),
        reverse("preparedness:document", args=[meeting.pk, MeetingDocument.objects.get().pk]),
    ]
    for download in downloads:
        response = client.get(download)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment"), download
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        close_response(response)


def test_request_over_django_limits_is_a_clean_413(boss: Any, client: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * MB
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    client.force_login(boss)

    # A form whose fields (no files) exceed the body limit: a page that names the limit.
    response = client.post(reverse("evidence:import"), {"confidentiality": "x" * (MB + 10)})
    assert response.status_code == 413
    page = response.content.decode()
    assert "1 MB" in page and "Traceback" not in page
    # Too many fields.
    response = client.post(reverse("evidence:import"), {f"f{n}": "1" for n in range(60)})
    assert response.status_code == 413 and "50" in response.content.decode()

    # The API: a JSON body over the limit is a JSON 413.
    api = APIClient()
    api.force_authenticate(boss)
    response = api.post(
        "/api/v1/preparedness/meetings/plan/",
        data=json.dumps({"until": "2030-01-01", "padding": "x" * (MB + 10)}),
        content_type="application/json",
    )
    assert response.status_code == 413, response.content[:300]
    assert response.json()["code"] == "request_too_large" and "1 MB" in response.json()["detail"]
