"""An activation from signal to staffed, operational secretariat, through the services and the
background jobs: criteria → signal document → the minister's decision → a decree with chosen
candidates → memberships and active mode → staffing → checklist done → time to operational."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from paraat.activation import selectors, services, tasks
from paraat.activation.models import CaseStatus
from paraat.activation.tests import factories
from paraat.evidence.tests.factories import EvidenceItemFactory
from paraat.jobs.models import JobStatus
from paraat.network.models import Membership, OrganisationKind
from paraat.preparedness import selectors as preparedness_selectors
from paraat.preparedness import services as preparedness_services

pytestmark = pytest.mark.django_db


def _pdf_text(field: Any) -> str:
    with field.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(field: Any) -> str:
    with field.open("rb") as handle:
        return "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)


def test_activation_from_signal_to_staffed_secretariat(
    people: dict[str, Any], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    cpo, szw = people["cpo"], people["szw"]
    # Standby: agreements with ministries, the playbook's decree template, the card index.
    szw_agreement = factories.agreement_make(actor=cpo, ministry=factories.ministry("SZW"))
    vws_agreement = factories.agreement_make(
        actor=cpo, ministry=factories.ministry("VWS"), people=2, fte=Decimal("1.5")
    )
    preparedness_services.playbook_section_create(
        element="decree_template",
        title="Model-instellingsbesluit",
        text=(
            "Besluit van {{ datum }}\n\nArtikel 1. Samenstelling\nVoorzitter: {{ voorzitter }}\n"
            "Leden:\n{{ leden }}\nExpertleden:\n{{ expertleden }}\n\n"
            "Artikel 2. Looptijd\nDit besluit geldt {{ looptijd }}. {{ onbekend }}"
        ),
        actor=cpo,
    )
    scp = factories.OrganisationFactory(
        name="Sociaal en Cultureel Planbureau (test)",
        abbreviation="SCP",
        kind=OrganisationKind.INSTITUTION,
    )
    chair = factories.CandidateFactory(person__name="Anna Voorzitter (fictief)")
    member = factories.CandidateFactory(person__name="Bram Lid (fictief)")
    expert = factories.CandidateFactory(
        person__name="Carla Expert (fictief)", person__organisation=scp
    )
    item = EvidenceItemFactory(title="Ziekenhuisopnames stijgen (synthetisch)")

    # 1. Criteria with evidence.
    case = factories.case_make(actor=cpo)
    assert selectors.status_of(case) == CaseStatus.OPEN
    services.criterion_judge(
        case=case,
        criterion="scale",
        judgement="met",
        evidence_text="Landelijke verspreiding.",
        evidence=[item],
        actor=cpo,
    )
    services.criterion_judge(
        case=case,
        criterion="omt_activated",
        judgement="met",
        evidence_text="OMT bijeen.",
        actor=cpo,
    )

    # 2. The signal as PDF and Word, made by the background job, then recorded as sent.
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.signal_start(case=case, actor=cpo)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    signal = selectors.signal_latest(case=case)
    assert signal is not None and signal.number == 1
    pdf = _pdf_text(signal.pdf)
    assert "Landelijke verspreiding." in pdf and "OMT bijeen." in pdf
    assert "Synthetisch voorbeeld" in pdf
    assert "Landelijke verspreiding." in _docx_text(signal.docx)
    services.signal_record_sent(signal=signal, sent_on=timezone.localdate(), actor=cpo)
    assert selectors.status_of(case) == CaseStatus.SIGNALLED

    # 3. The minister's decision, recorded by the SZW officer.
    decided_at = timezone.now() - dt.timedelta(minutes=1)
    services.decision_record(
        case=case, decision="establish", decided_at=decided_at, note="Instellen.", actor=szw
    )
    assert selectors.status_of(case) == CaseStatus.DECIDED

    # 4. The decree from the playbook's template with the chosen candidates.
    members = [
        services.MemberChoice(candidate=chair, role="chair"),
        services.MemberChoice(candidate=member, role="member"),
        services.MemberChoice(candidate=expert, role="expert_member"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.decree_start(
            case=case,
            actor=cpo,
            members=members,
            decree_date=timezone.localdate(),
            term="twee jaar",
        )
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    decree = selectors.decree_latest(case=case)
    assert decree is not None
    assert "Voorzitter: Anna Voorzitter (fictief)" in decree.text
    assert "- Bram Lid (fictief)" in decree.text
    assert "- Carla Expert (fictief) (SCP)" in decree.text
    assert "geldt twee jaar." in decree.text and "{{ onbekend }}" in decree.text
    assert "Anna Voorzitter (fictief)" in _pdf_text(decree.pdf)
    assert "Artikel 2. Looptijd" in _docx_text(decree.docx)
    assert selectors.status_of(case) == CaseStatus.DECREE

    # 5. Adopted: memberships exist and the mode is active at the case's level.
    services.decree_adopt(decree=decree, adopted_on=timezone.localdate(), actor=cpo)
    roles = dict(
        Membership.objects.filter(
            person__in=[chair.person, member.person, expert.person]
        ).values_list("person__name", "role")
    )
    assert roles == {
        "Anna Voorzitter (fictief)": "chair",
        "Bram Lid (fictief)": "member",
        "Carla Expert (fictief)": "expert_member",
    }
    assert Membership.objects.get(person=expert.person).institution == scp
    mode = preparedness_selectors.current_mode()
    assert (mode.mode, mode.scenario_level) == ("active", "flu_plus")
    assert selectors.status_of(case) == CaseStatus.ACTIVE

    # 6. Staffing from the agreements and the checklist.
    services.assignment_add(
        case=case,
        agreement=szw_agreement,
        name="D. Secretaris (fictief)",
        fte="1.0",
        starts_on=timezone.localdate(),
        actor=cpo,
    )
    services.assignment_add(
        case=case,
        agreement=vws_agreement,
        name="E. Beleid (fictief)",
        fte="0.8",
        starts_on=timezone.localdate(),
        actor=cpo,
    )
    assert selectors.staffing_totals(case=case) == {"people": 2, "fte": Decimal("1.8")}
    items = list(selectors.checklist(case=case))
    assert len(items) >= 6
    for row in items:
        services.checklist_item_done(item=row, actor=cpo)
    assert selectors.status_of(case) == CaseStatus.OPERATIONAL

    # 7. Time to operational: from the decision to the last item.
    figures = selectors.operational(case=case)
    assert figures is not None and figures.complete
    last = max(row.done_at for row in selectors.checklist(case=case))
    assert figures.operational_at == last
    assert figures.hours == pytest.approx((last - decided_at).total_seconds() / 3600)
    assert 0 < figures.hours < 1
    report = selectors.activation_list_between(
        start=timezone.localdate() - dt.timedelta(days=1), end=timezone.localdate()
    )
    assert [r.pk for r in report] == [case.pk]
    assert report[0].hours_to_operational == figures.hours
    assert report[0].signal_sent_on == timezone.localdate()
    assert report[0].decision == "establish" and report[0].people == 2
    # The path has every step with its moment.
    assert [c.status for c in selectors.status_history(case=case)] == [
        "open",
        "signalled",
        "decided",
        "decree",
        "active",
        "operational",
    ]
    assert len([p for p in media.rglob("*") if p.is_file()]) == 4
