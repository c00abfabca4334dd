"""Test data for standby. Rows are made through the services where a service exists, so the
histories exist exactly as in production; people are fictional."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import factory
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.network.models import Person
from paraat.preparedness import services
from paraat.preparedness.models import Meeting


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Fictief Persoon {n}")
    is_fictional = True
    retention_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))


def team() -> dict[str, Any]:
    """Fictional people in the roles that matter here (roles synchronised first)."""
    roles_sync()
    return {
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
        "admin": UserFactory(username="beheerder", roles=[roles.ADMIN]),
        "member": UserFactory(username="lid1", roles=[roles.MEMBER]),
        "chair": UserFactory(username="voorzitter", roles=[roles.CHAIR]),
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "szw": UserFactory(username="szw", roles=[roles.SZW_OFFICER]),
    }


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def meeting_make(*, actor: Any, when: dt.datetime | None = None, **overrides: Any) -> Meeting:
    values: dict[str, Any] = {
        "title": "Jaarlijks overleg (synthetisch)",
        "kind": "standby",
        "starts_at": when or timezone.now() - dt.timedelta(days=10),
        "location": "SCP",
        "agenda": ["Opening", "Draaiboek: stand van zaken", "Rondvraag"],
        "is_synthetic": True,
    }
    values.update(overrides)
    return services.meeting_create(data=services.MeetingData(**values), actor=actor)


def pdf_bytes() -> bytes:
    """A small valid PDF (made with pypdf)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str = "Vergaderstuk") -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def close_response(response: Any) -> None:
    """Close a streamed test response without ending the test's database connection."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
