"""What standby stores about a network person, for the network's privacy overview and export
(``paraat.network.selectors.export_provider_register``, registered in ``apps.py``).

Attendance rows stay when a person is erased (they count for fees and the meeting history) and
point at the anonymised person; erasure clears their notes and the playbook sections' owner
(``services.person_references_release``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from paraat.network.models import Person
from paraat.network.selectors import DataSection
from paraat.preparedness.models import Attendance, PlaybookSection


def person_data(*, person: Person) -> list[DataSection]:
    attendance = (
        Attendance.objects.filter(person=person)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    sections = PlaybookSection.objects.filter(owner=person).order_by("order", "pk")
    return [
        DataSection(
            key="meeting_attendance",
            title=_("Aanwezigheid bij vergaderingen"),
            source="preparedness",
            fields=(
                ("meeting", _("Vergadering")),
                ("starts_at", _("Begint om")),
                ("kind", _("Soort")),
                ("confidentiality", _("Vertrouwelijkheid")),
                ("role", _("Rol")),
                ("presence", _("Aanwezigheid")),
                ("note", _("Toelichting")),
            ),
            records=tuple(
                {
                    "meeting": row.meeting.title,
                    "starts_at": row.meeting.starts_at.isoformat(),
                    "kind": row.meeting.get_kind_display(),
                    "confidentiality": row.meeting.get_confidentiality_display(),
                    "role": row.get_role_display(),
                    "presence": row.get_presence_display(),
                    "note": row.note,
                }
                for row in attendance
            ),
            covers=("preparedness.attendance",),
            note=_(
                "Genodigde experts en gasten staan hier ook, met hun rol. Na verwijdering blijven "
                "de rijen (zonder toelichting) bij de geanonimiseerde persoon."
            ),
        ),
        DataSection(
            key="playbook_owner",
            title=_("Eigenaar van draaiboeksecties"),
            source="preparedness",
            fields=(
                ("section", _("Sectie")),
                ("review_due_on", _("Herzien uiterlijk op")),
            ),
            records=tuple(
                {
                    "section": section.title,
                    "review_due_on": section.review_due_on.isoformat()
                    if section.review_due_on
                    else None,
                }
                for section in sections
            ),
            covers=("preparedness.playbooksection",),
        ),
    ]
