"""What activation stores about a network person, for the network's privacy overview and export
(``paraat.network.selectors.export_provider_register``, registered in ``apps.py``): the
establishment decrees that name the person as a member, and secondments linked to the person.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from paraat.activation.models import DecreeMember, SecondmentAssignment
from paraat.network.models import Person
from paraat.network.selectors import DataSection


def person_data(*, person: Person) -> list[DataSection]:
    members = (
        DecreeMember.objects.filter(person=person)
        .select_related("decree", "decree__case", "institution")
        .order_by("decree__decree_date", "pk")
    )
    assignments = (
        SecondmentAssignment.objects.filter(person=person)
        .select_related("case", "agreement")
        .order_by("starts_on", "pk")
    )
    return [
        DataSection(
            key="decree_members",
            title=_("Genoemd in instellingsbesluiten"),
            source="activation",
            fields=(
                ("case", _("Activeringsdossier")),
                ("confidentiality", _("Vertrouwelijkheid")),
                ("decree_version", _("Versie besluit")),
                ("decree_date", _("Datum van het besluit")),
                ("adopted_on", _("Vastgesteld op")),
                ("role", _("Rol")),
                ("institution", _("Instituut")),
            ),
            records=tuple(
                {
                    "case": member.decree.case.title,
                    "confidentiality": member.decree.case.get_confidentiality_display(),
                    "decree_version": member.decree.number,
                    "decree_date": member.decree.decree_date.isoformat(),
                    "adopted_on": member.decree.adopted_on.isoformat()
                    if member.decree.adopted_on
                    else None,
                    "role": member.get_role_display(),
                    "institution": str(member.institution) if member.institution else None,
                }
                for member in members
            ),
            covers=("activation.decreemember",),
        ),
        DataSection(
            key="secondments",
            title=_("Detacheringen"),
            source="activation",
            fields=(
                ("case", _("Activeringsdossier")),
                ("name", _("Naam")),
                ("fte", _("fte")),
                ("starts_on", _("Begint op")),
            ),
            records=tuple(
                {
                    "case": row.case.title,
                    "name": row.name,
                    "fte": str(row.fte),
                    "starts_on": row.starts_on.isoformat(),
                }
                for row in assignments
            ),
            covers=("activation.secondmentassignment",),
        ),
    ]
