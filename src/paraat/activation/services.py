"""Writes of the activation path. Every function checks the actor's permission, validates and
appends history; nothing is edited that the path relies on (judgements, status changes,
signals, decisions and decree versions are appended).

The path (``CaseStatus``): open → signalled (the signal recorded as sent) → decided (the
minister: establish, or not now → closed) → decree (a decree version drafted) → active (the
decree adopted: memberships made, mode active) → operational (the last checklist item done).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality, User
from paraat.accounts.selectors import can_view
from paraat.activation.models import (
    ActivationCase,
    ActivationDecision,
    ActivationSignal,
    ActivationStatusChange,
    CaseStatus,
    ChecklistDefault,
    ChecklistItem,
    Criterion,
    CriterionJudgement,
    Decision,
    DecreeMember,
    EstablishmentDecree,
    Judgement,
    SecondmentAgreement,
    SecondmentAssignment,
)
from paraat.evidence.models import EvidenceItem
from paraat.measures.models import ScenarioLevel
from paraat.network.models import Candidate, CommitteeRole, Organisation, OrganisationKind

TEXT_MAX = 20_000
MANAGE_PERM = "activation.manage_activation"
DECIDE_PERM = "activation.decide_activation"
YEARS = (2000, 2100)


# --- helpers --------------------------------------------------------------------------------------


def _require(actor: User, perm: str) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(perm)):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))


def _text(value: str, *, field: str, required: bool = False, max_length: int = TEXT_MAX) -> str:
    cleaned = (value or "").replace("\x00", "").strip()
    if required and not cleaned:
        raise ValidationError({field: _("Vul dit veld in.")})
    if len(cleaned) > max_length:
        raise ValidationError({field: _("Ten hoogste %(n)s tekens.") % {"n": max_length}})
    return cleaned


def _date_in_range(value: dt.date | None, *, field: str) -> None:
    if value is not None and not YEARS[0] <= value.year <= YEARS[1]:
        raise ValidationError(
            {field: _("Geef een datum tussen %(a)s en %(b)s.") % {"a": YEARS[0], "b": YEARS[1]}}
        )


def _locked(case: ActivationCase) -> ActivationCase:
    return ActivationCase.objects.select_for_update().get(pk=case.pk)


def status_current(case: ActivationCase) -> str:
    latest = case.statuses.order_by("-at", "-pk").values_list("status", flat=True).first()
    return latest or CaseStatus.OPEN


def _append_status(
    *, case: ActivationCase, status: str, actor: User | None, note: str = ""
) -> None:
    previous = status_current(case)
    ActivationStatusChange.objects.create(
        case=case, status=status, previous=previous, note=note, actor=actor, at=timezone.now()
    )


def _not_closed(case: ActivationCase) -> str:
    current = status_current(case)
    if current == CaseStatus.CLOSED:
        raise ValidationError({"case": _("Dit activeringsdossier is gesloten.")})
    return current


def _decimal(value: Any, *, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except Exception:
        raise ValidationError({field: _("Geef een getal.")}) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(
            {field: _("Geef een getal van %(a)s tot en met %(b)s.") % {"a": low, "b": high}}
        )
    return number


# --- secondment agreements ------------------------------------------------------------------------


@dataclass
class AgreementData:
    ministry: Organisation
    people: int
    fte: Decimal | float | str
    lead_time_days: int | None = None
    available_from: dt.date | None = None
    contact: str = ""
    valid_until: dt.date | None = None
    notes: str = ""
    is_synthetic: bool = False


def _agreement_values(data: AgreementData) -> dict[str, Any]:
    if data.ministry is None or data.ministry.kind != OrganisationKind.MINISTRY:
        raise ValidationError({"ministry": _("Kies een ministerie.")})
    if not isinstance(data.people, int) or not 1 <= data.people <= 500:
        raise ValidationError({"people": _("Geef een aantal van 1 tot en met 500.")})
    fte = _decimal(data.fte, field="fte", low=Decimal("0.1"), high=Decimal("500"))
    if data.lead_time_days is not None and not 0 <= data.lead_time_days <= 365:
        raise ValidationError({"lead_time_days": _("Geef 0 tot en met 365 dagen.")})
    _date_in_range(data.available_from, field="available_from")
    _date_in_range(data.valid_until, field="valid_until")
    if data.available_from and data.valid_until and data.valid_until < data.available_from:
        raise ValidationError({"valid_until": _("Geldig tot ligt vóór ‘beschikbaar vanaf’.")})
    return {
        "ministry": data.ministry,
        "people": data.people,
        "fte": fte,
        "lead_time_days": data.lead_time_days,
        "available_from": data.available_from,
        "contact": _text(data.contact, field="contact", max_length=200),
        "valid_until": data.valid_until,
        "notes": _text(data.notes, field="notes"),
        "is_synthetic": bool(data.is_synthetic),
    }


@transaction.atomic
def agreement_create(*, data: AgreementData, actor: User) -> SecondmentAgreement:
    """Record a secondment agreement with a ministry (kept ready in standby)."""
    _require(actor, MANAGE_PERM)
    return SecondmentAgreement.objects.create(**_agreement_values(data), created_by=actor)


@transaction.atomic
def agreement_update(
    *, agreement: SecondmentAgreement, data: AgreementData, actor: User
) -> SecondmentAgreement:
    _require(actor, MANAGE_PERM)
    values = _agreement_values(data)
    agreement = SecondmentAgreement.objects.select_for_update().get(pk=agreement.pk)
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.save()
    return agreement


@transaction.atomic
def agreement_delete(*, agreement: SecondmentAgreement, actor: User) -> None:
    """Remove an agreement nobody has been seconded under (else it is history: refused)."""
    _require(actor, MANAGE_PERM)
    if agreement.assignments.exists():
        raise ValidationError(
            {"agreement": _("Onder deze afspraak zijn mensen gedetacheerd; zij blijft bewaard.")}
        )
    agreement.delete()


# --- the case -------------------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    title: str,
    actor: User,
    description: str = "",
    scenario_level: str = "",
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
) -> ActivationCase:
    """Open a case; its operational checklist starts from the default items."""
    _require(actor, MANAGE_PERM)
    if scenario_level and scenario_level not in ScenarioLevel.values:
        raise ValidationError({"scenario_level": _("Onbekend scenarioniveau.")})
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Onbekende vertrouwelijkheid.")})
    case = ActivationCase.objects.create(
        title=_text(title, field="title", required=True, max_length=300),
        description=_text(description, field="description"),
        scenario_level=scenario_level,
        confidentiality=confidentiality,
        is_synthetic=is_synthetic,
        created_by=actor,
    )
    ActivationStatusChange.objects.create(
        case=case, status=CaseStatus.OPEN, actor=actor, at=timezone.now()
    )
    for default in ChecklistDefault.objects.filter(is_active=True):
        ChecklistItem.objects.create(case=case, title=default.title, order=default.order)
    return case


@transaction.atomic
def case_close(*, case: ActivationCase, note: str, actor: User) -> ActivationCase:
    """Close the case (e.g. criteria not met, or the crisis is over)."""
    _require(actor, MANAGE_PERM)
    case = _locked(case)
    _not_closed(case)
    _append_status(
        case=case,
        status=CaseStatus.CLOSED,
        actor=actor,
        note=_text(note, field="note", required=True, max_length=2000),
    )
    return case


@transaction.atomic
def criterion_judge(
    *,
    case: ActivationCase,
    criterion: str,
    judgement: str,
    actor: User,
    evidence_text: str = "",
    evidence: Sequence[EvidenceItem] = (),
) -> CriterionJudgement:
    """Judge one criterion (appended: the latest judgement of a criterion counts). Evidence
    items must be visible to the actor; they stay visible only to those who may see them."""
    _require(actor, MANAGE_PERM)
    case = _locked(case)
    _not_closed(case)
    if criterion not in Criterion.values:
        raise ValidationError({"criterion": _("Onbekend criterium.")})
    if judgement not in Judgement.values:
        raise ValidationError({"judgement": _("Kies voldaan, niet voldaan of onbekend.")})
    items = list(dict.fromkeys(evidence))
    if len(items) > 20:
        raise ValidationError({"evidence": _("Ten hoogste 20 items.")})
    for item in items:
        if not can_view(user=actor, obj=item):
            raise ValidationError({"evidence": _("Onbekend item in de kennisbibliotheek.")})
    row = CriterionJudgement.objects.create(
        case=case,
        criterion=criterion,
        judgement=judgement,
        evidence_text=_text(evidence_text, field="evidence_text"),
        actor=actor,
        at=timezone.now(),
    )
    row.evidence.set(items)
    return row


# --- the signal -----------------------------------------------------------------------------------


def signal_check(*, case: ActivationCase, actor: User) -> None:
    """May a signal be drafted now? Raises ``PermissionDenied`` / ``ValidationError``."""
    _require(actor, MANAGE_PERM)
    current = _not_closed(case)
    if current != CaseStatus.OPEN or case.signals.filter(sent_on__isnull=False).exists():
        raise ValidationError({"case": _("Het signaal is al verzonden.")})
    if not case.judgements.exists():
        raise ValidationError(
            {"case": _("Beoordeel eerst de criteria: het signaal noemt ze als redenen.")}
        )


def signal_reasons(*, case: ActivationCase) -> list[dict[str, Any]]:
    """The criteria as they stand (latest judgement each) with their evidence, as stored
    in the signal. Evidence items are named by reference and title with their
    confidentiality; the document leaves out items that are not public when the case is."""
    latest: dict[str, CriterionJudgement] = {}
    for row in case.judgements.order_by("at", "pk").prefetch_related("evidence"):
        latest[row.criterion] = row
    reasons = []
    for key, label in Criterion.choices:
        row = latest.get(key)
        reasons.append(
            {
                "criterion": key,
                "label": str(label),
                "judgement": row.judgement if row else Judgement.UNKNOWN,
                "judgement_label": str(Judgement(row.judgement).label)
                if row
                else str(Judgement.UNKNOWN.label),
                "evidence_text": row.evidence_text if row else "",
                "evidence": [
                    {
                        "ref": item.ref,
                        "title": item.title,
                        "confidentiality": item.confidentiality,
                    }
                    for item in (row.evidence.all() if row else [])
                ],
            }
        )
    return reasons


def _store(obj: Any, documents: Mapping[str, tuple[str, bytes]] | None) -> list[Any]:
    from django.core.files.base import ContentFile

    unknown = set(documents or {}) - {"pdf", "docx"}
    if unknown:
        raise ValidationError({"documents": _("Alleen PDF en Word (pdf, docx).")})
    stored: list[Any] = []
    try:
        for kind, (name, content) in (documents or {}).items():
            field = getattr(obj, kind)
            field.save(name, ContentFile(content), save=False)
            stored.append(field)
    except Exception:
        for field in stored:
            field.storage.delete(field.name)
        raise
    return stored


@transaction.atomic
def signal_create(*, case: ActivationCase, actor: User, recipient: str = "") -> ActivationSignal:
    """A new version of the signal with the criteria as its reasons (documents follow with
    ``documents_attach``; the background job does both in one transaction)."""
    signal_check(case=case, actor=actor)
    case = _locked(case)
    number = (case.signals.aggregate(n=Max("number"))["n"] or 0) + 1
    return ActivationSignal.objects.create(
        case=case,
        number=number,
        recipient=_text(recipient, field="recipient", max_length=200)
        or _("Secretaris-generaal van het ministerie van SZW"),
        reasons=signal_reasons(case=case),
        created_by=actor,
        created_at=timezone.now(),
    )


@transaction.atomic
def documents_attach(
    *,
    obj: ActivationSignal | EstablishmentDecree,
    documents: Mapping[str, tuple[str, bytes]],
    actor: User,
) -> ActivationSignal | EstablishmentDecree:
    """Store the PDF and Word file of a signal or decree version (once); when the save fails
    the stored files are removed again."""
    _require(actor, MANAGE_PERM)
    if obj.pdf or obj.docx:
        raise ValidationError({"documents": _("Deze versie heeft haar documenten al.")})
    stored = _store(obj, documents)
    try:
        obj.save(update_fields=["pdf", "docx"])
    except Exception:
        for field in stored:
            field.storage.delete(field.name)
        raise
    return obj


@transaction.atomic
def signal_record_sent(
    *, signal: ActivationSignal, sent_on: dt.date, actor: User
) -> ActivationSignal:
    """Record that this version was sent to the Secretary-General (the case: signalled)."""
    _require(actor, MANAGE_PERM)
    case = _locked(signal.case)
    _not_closed(case)
    _date_in_range(sent_on, field="sent_on")
    if case.signals.filter(sent_on__isnull=False).exists():
        raise ValidationError({"sent_on": _("Het signaal is al als verzonden vastgelegd.")})
    latest = case.signals.order_by("-number").first()
    if latest is None or latest.pk != signal.pk:
        raise ValidationError({"signal": _("Alleen de laatste versie kan worden verzonden.")})
    if not signal.pdf:
        raise ValidationError({"signal": _("Deze versie heeft nog geen document.")})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("Een verzenddatum ligt niet in de toekomst.")})
    if sent_on < timezone.localtime(signal.created_at).date():
        raise ValidationError({"sent_on": _("Het signaal is verzonden na het opstellen ervan.")})
    signal.sent_on = sent_on
    signal.sent_recorded_by = actor
    signal.sent_recorded_at = timezone.now()
    signal.save(update_fields=["sent_on", "sent_recorded_by", "sent_recorded_at"])
    _append_status(
        case=case,
        status=CaseStatus.SIGNALLED,
        actor=actor,
        note=_("Signaal versie %(n)s verzonden aan %(who)s op %(date)s.")
        % {"n": signal.number, "who": signal.recipient, "date": sent_on.isoformat()},
    )
    return signal


# --- the minister's decision ----------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    case: ActivationCase,
    decision: str,
    decided_at: dt.datetime,
    actor: User,
    decided_by: str = "",
    note: str = "",
) -> ActivationDecision:
    """Record the decision of the Minister of SZW (by the SZW officer or the CPO). ``not_now``
    closes the case; ``establish`` starts the clock of the time to operational."""
    _require(actor, DECIDE_PERM)
    case = _locked(case)
    current = _not_closed(case)
    if ActivationDecision.objects.filter(case=case).exists():
        raise ValidationError({"decision": _("Het besluit is al vastgelegd.")})
    if current != CaseStatus.SIGNALLED:
        raise ValidationError(
            {"decision": _("Het besluit volgt op het signaal aan de secretaris-generaal.")}
        )
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Kies instellen of nu niet instellen.")})
    if timezone.is_naive(decided_at):
        raise ValidationError({"decided_at": _("Geef een moment met tijdzone.")})
    if not YEARS[0] <= decided_at.year <= YEARS[1]:
        raise ValidationError({"decided_at": _("Geef een moment tussen 2000 en 2100.")})
    if decided_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"decided_at": _("Het besluit ligt niet in de toekomst.")})
    sent = case.signals.filter(sent_on__isnull=False).first()
    if sent is not None and sent.sent_on and timezone.localtime(decided_at).date() < sent.sent_on:
        raise ValidationError(
            {"decided_at": _("Het besluit ligt vóór de verzending van het signaal.")}
        )
    row = ActivationDecision.objects.create(
        case=case,
        decision=decision,
        decided_at=decided_at,
        decided_by=_text(decided_by, field="decided_by", max_length=200) or _("Minister van SZW"),
        note=_text(note, field="note"),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    label = str(Decision(decision).label)
    _append_status(case=case, status=CaseStatus.DECIDED, actor=actor, note=label)
    if decision == Decision.NOT_NOW:
        _append_status(
            case=case,
            status=CaseStatus.CLOSED,
            actor=actor,
            note=_("De minister besloot de commissie nu niet in te stellen."),
        )
    return row


# --- the establishment decree ---------------------------------------------------------------------


@dataclass(frozen=True)
class MemberChoice:
    candidate: Candidate
    role: str
    institution: Organisation | None = None


DECREE_ROLES = (CommitteeRole.CHAIR, CommitteeRole.MEMBER, CommitteeRole.EXPERT_MEMBER)

#: Used when the playbook has no decree template (yet).
DEFAULT_DECREE_TEMPLATE = "\n".join(
    (
        "Besluit van de Minister van Sociale Zaken en Werkgelegenheid van {{ datum }} tot",
        "instelling van het Maatschappelijk Impact Team",
        "",
        "Artikel 1. Instelling",
        "Er is een Maatschappelijk Impact Team (MIT) dat gevraagd en ongevraagd adviseert over",
        "de maatschappelijke en economische effecten van crisismaatregelen.",
        "",
        "Artikel 2. Samenstelling",
        "Voorzitter: {{ voorzitter }}",
        "",
        "Leden met stemrecht:",
        "{{ leden }}",
        "",
        "Expertleden (namens hun instituut, zonder stemrecht):",
        "{{ expertleden }}",
        "",
        "Artikel 3. Looptijd",
        "Dit besluit geldt {{ looptijd }}.",
        "",
    )
)

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
PLACEHOLDERS = (
    "voorzitter",
    "leden",
    "expertleden",
    "datum",
    "looptijd",
    "einddatum",
    "secretariaat",
    "aanleiding",
    "minister",
    "titel",
    "scenarioniveau",
)


def _member_name(choice: MemberChoice) -> str:
    person = choice.candidate.person
    org = choice.institution or person.organisation
    return f"{person.name} ({org.short_name})" if org else person.name


def _secretariat(case: ActivationCase) -> str:
    """The seconded staff so far, else the agreements that can staff the secretariat."""
    rows = case.assignments.select_related("agreement__ministry").order_by("starts_on", "pk")
    if rows.exists():
        return "\n".join(
            f"- {row.name} ({row.agreement.ministry.short_name}, {row.fte} fte)" for row in rows
        )
    today = timezone.localdate()
    agreements = SecondmentAgreement.objects.select_related("ministry").exclude(
        valid_until__lt=today
    )
    return "\n".join(
        f"- {a.ministry.name}: {a.people} ({a.fte} fte)" for a in agreements.order_by("pk")
    )


def decree_values(
    *,
    case: ActivationCase,
    members: Sequence[MemberChoice],
    decree_date: dt.date,
    term: str,
    ends_on: dt.date | None = None,
) -> dict[str, str]:
    """The values of the placeholders (plain text; nothing in them is interpreted)."""
    chairs = [_member_name(m) for m in members if m.role == CommitteeRole.CHAIR]
    voting = [f"- {_member_name(m)}" for m in members if m.role == CommitteeRole.MEMBER]
    experts = [f"- {_member_name(m)}" for m in members if m.role == CommitteeRole.EXPERT_MEMBER]
    return {
        "voorzitter": ", ".join(chairs),
        "leden": "\n".join(voting),
        "expertleden": "\n".join(experts),
        "datum": formats.date_format(decree_date, "j F Y"),
        "looptijd": term,
        "einddatum": formats.date_format(ends_on, "j F Y") if ends_on else "",
        "secretariaat": _secretariat(case),
        "aanleiding": case.description.strip() or case.title,
        "titel": case.title,
        "scenarioniveau": str(ScenarioLevel(case.scenario_level).label)
        if case.scenario_level in ScenarioLevel.values
        else "",
        "minister": _("de Minister van Sociale Zaken en Werkgelegenheid"),
    }


def decree_render(template: str, values: Mapping[str, str]) -> str:
    """Fill the ``{{ name }}`` placeholders of ``template`` with ``values``: a plain
    substitution, no template language (no tags, filters or attribute lookups), so a template
    cannot reach anything but these values. Unknown placeholders stay as written."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _PLACEHOLDER.sub(replace, template)


def decree_unknown_placeholders(template: str) -> list[str]:
    return sorted({m.group(1) for m in _PLACEHOLDER.finditer(template)} - set(PLACEHOLDERS))


def decree_template() -> str:
    """The decree template of the playbook, or the built-in default when there is none."""
    try:
        from paraat.preparedness import selectors as preparedness_selectors

        section = preparedness_selectors.playbook_section_for(element="decree_template")
        text = preparedness_selectors.section_text(section=section) if section else ""
    except ImportError:  # the preparedness app is not there (yet)
        text = ""
    return text if text.strip() else DEFAULT_DECREE_TEMPLATE


def decree_check(
    *,
    case: ActivationCase,
    members: Sequence[MemberChoice],
    decree_date: dt.date,
    term: str,
    actor: User,
    ends_on: dt.date | None = None,
) -> None:
    """May a decree version with these members be drafted now?"""
    _require(actor, MANAGE_PERM)
    current = _not_closed(case)
    decision = ActivationDecision.objects.filter(case=case).first()
    if decision is None or decision.decision != Decision.ESTABLISH:
        raise ValidationError({"case": _("Eerst besluit de minister de commissie in te stellen.")})
    if current not in (CaseStatus.DECIDED, CaseStatus.DECREE):
        raise ValidationError({"case": _("Het instellingsbesluit is al vastgesteld.")})
    _date_in_range(decree_date, field="decree_date")
    _date_in_range(ends_on, field="ends_on")
    if ends_on is not None and ends_on <= decree_date:
        raise ValidationError({"ends_on": _("Het besluit vervalt na de datum van het besluit.")})
    _text(term, field="term", required=True, max_length=200)
    if not members:
        raise ValidationError({"members": _("Kies de leden uit de kaartenbak.")})
    seen: set[int] = set()
    for choice in members:
        if choice.role not in DECREE_ROLES:
            raise ValidationError({"members": _("Kies voorzitter, lid of expertlid.")})
        if (
            choice.role == CommitteeRole.EXPERT_MEMBER
            and choice.institution is None
            and choice.candidate.person.organisation is None
        ):
            raise ValidationError(
                {
                    "members": _("Een expertlid zit namens een instituut: %(n)s heeft er geen.")
                    % {"n": choice.candidate.person.name}
                }
            )
        if choice.candidate.pk in seen:
            raise ValidationError({"members": _("Iemand staat twee keer in de lijst.")})
        seen.add(choice.candidate.pk)
    if sum(1 for m in members if m.role == CommitteeRole.CHAIR) != 1:
        raise ValidationError({"members": _("Kies precies één voorzitter.")})


@transaction.atomic
def decree_create(
    *,
    case: ActivationCase,
    members: Sequence[MemberChoice],
    decree_date: dt.date,
    term: str,
    actor: User,
    ends_on: dt.date | None = None,
) -> EstablishmentDecree:
    """A new version of the decree from the playbook's template with the chosen members."""
    decree_check(
        case=case,
        members=members,
        decree_date=decree_date,
        term=term,
        actor=actor,
        ends_on=ends_on,
    )
    case = _locked(case)
    term = _text(term, field="term", required=True, max_length=200)
    template = decree_template()
    number = (case.decrees.aggregate(n=Max("number"))["n"] or 0) + 1
    decree = EstablishmentDecree.objects.create(
        case=case,
        number=number,
        template_text=template,
        text=decree_render(
            template,
            decree_values(
                case=case, members=members, decree_date=decree_date, term=term, ends_on=ends_on
            ),
        ),
        decree_date=decree_date,
        term=term,
        ends_on=ends_on,
        created_by=actor,
        created_at=timezone.now(),
    )
    for choice in members:
        institution = choice.institution
        if institution is None and choice.role == CommitteeRole.EXPERT_MEMBER:
            institution = choice.candidate.person.organisation
        DecreeMember.objects.create(
            decree=decree,
            person=choice.candidate.person,
            candidate=choice.candidate,
            role=choice.role,
            institution=institution,
        )
    if status_current(case) == CaseStatus.DECIDED:
        _append_status(
            case=case,
            status=CaseStatus.DECREE,
            actor=actor,
            note=_("Instellingsbesluit versie %(n)s opgesteld.") % {"n": number},
        )
    return decree


@transaction.atomic
def decree_adopt(
    *, decree: EstablishmentDecree, adopted_on: dt.date, actor: User
) -> EstablishmentDecree:
    """Record that the council of ministers adopted this (latest) version: the members get
    their memberships from ``adopted_on`` and the mode switches to active with the case's
    scenario level."""
    from paraat.network import services as network_services
    from paraat.preparedness import services as preparedness_services

    _require(actor, MANAGE_PERM)
    case = _locked(decree.case)
    current = _not_closed(case)
    _date_in_range(adopted_on, field="adopted_on")
    if current != CaseStatus.DECREE or case.decrees.filter(adopted_on__isnull=False).exists():
        raise ValidationError({"adopted_on": _("Het instellingsbesluit is al vastgesteld.")})
    latest = case.decrees.order_by("-number").first()
    if latest is None or latest.pk != decree.pk:
        raise ValidationError({"decree": _("Alleen de laatste versie kan worden vastgesteld.")})
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("De vaststelling ligt niet in de toekomst.")})
    decision = ActivationDecision.objects.get(case=case)
    if adopted_on < timezone.localtime(decision.decided_at).date():
        raise ValidationError({"adopted_on": _("De vaststelling ligt vóór het besluit.")})
    decree.adopted_on = adopted_on
    decree.adopted_recorded_by = actor
    decree.adopted_recorded_at = timezone.now()
    decree.save(update_fields=["adopted_on", "adopted_recorded_by", "adopted_recorded_at"])
    source = _("Instellingsbesluit ‘%(title)s’ versie %(n)s, vastgesteld op %(date)s") % {
        "title": case.title[:150],
        "n": decree.number,
        "date": adopted_on.isoformat(),
    }
    for member in decree.members.select_related("person", "institution"):
        network_services.membership_start(
            person=member.person,
            role=member.role,
            starts_on=adopted_on,
            institution=member.institution,
            source=source[:300],
            actor=actor,
        )
    preparedness_services.mode_set(
        mode="active",
        scenario_level=case.scenario_level,
        reason=source,
        actor=actor,
    )
    _append_status(case=case, status=CaseStatus.ACTIVE, actor=actor, note=source)
    _operational_check(case=case, actor=actor)
    return decree


# --- staffing and the operational checklist -------------------------------------------------------


def _established(case: ActivationCase) -> ActivationDecision:
    decision = ActivationDecision.objects.filter(case=case).first()
    if decision is None or decision.decision != Decision.ESTABLISH:
        raise ValidationError({"case": _("Eerst besluit de minister de commissie in te stellen.")})
    return decision


@transaction.atomic
def assignment_add(
    *,
    case: ActivationCase,
    agreement: SecondmentAgreement,
    name: str,
    fte: Decimal | float | str,
    starts_on: dt.date,
    actor: User,
) -> SecondmentAssignment:
    """Second a person to the secretariat under ``agreement`` (within its people and fte)."""
    _require(actor, MANAGE_PERM)
    case = _locked(case)
    _not_closed(case)
    _established(case)
    agreement = SecondmentAgreement.objects.select_for_update().get(pk=agreement.pk)
    name = _text(name, field="name", required=True, max_length=200)
    amount = _decimal(fte, field="fte", low=Decimal("0.1"), high=Decimal("1.0"))
    _date_in_range(starts_on, field="starts_on")
    if agreement.valid_until and starts_on > agreement.valid_until:
        raise ValidationError(
            {
                "agreement": _("De afspraak is op die datum niet meer geldig (tot %(d)s).")
                % {"d": agreement.valid_until.isoformat()}
            }
        )
    if agreement.available_from and starts_on < agreement.available_from:
        raise ValidationError(
            {
                "starts_on": _("Volgens de afspraak kan men beginnen vanaf %(d)s.")
                % {"d": agreement.available_from.isoformat()}
            }
        )
    used = case.assignments.filter(agreement=agreement)
    if used.count() + 1 > agreement.people:
        raise ValidationError(
            {
                "agreement": _("De afspraak geeft ten hoogste %(n)s mensen.")
                % {"n": agreement.people}
            }
        )
    total = (used.aggregate(s=Sum("fte"))["s"] or Decimal("0")) + amount
    if total > agreement.fte:
        raise ValidationError(
            {"fte": _("Samen meer dan de %(n)s fte van de afspraak.") % {"n": agreement.fte}}
        )
    return SecondmentAssignment.objects.create(
        case=case,
        agreement=agreement,
        name=name,
        fte=amount,
        starts_on=starts_on,
        created_by=actor,
    )


@transaction.atomic
def assignment_remove(*, assignment: SecondmentAssignment, actor: User) -> None:
    _require(actor, MANAGE_PERM)
    _not_closed(assignment.case)
    assignment.delete()


@transaction.atomic
def checklist_item_add(*, case: ActivationCase, title: str, actor: User) -> ChecklistItem:
    _require(actor, MANAGE_PERM)
    case = _locked(case)
    current = _not_closed(case)
    if current == CaseStatus.OPERATIONAL:
        raise ValidationError({"title": _("Het secretariaat is al operationeel.")})
    title = _text(title, field="title", required=True, max_length=300)
    if case.checklist.filter(title__iexact=title).exists():
        raise ValidationError({"title": _("Dit punt staat al op de checklist.")})
    order = (case.checklist.aggregate(n=Max("order"))["n"] or 0) + 10
    return ChecklistItem.objects.create(case=case, title=title, order=order)


@transaction.atomic
def checklist_item_done(
    *,
    item: ChecklistItem,
    actor: User,
    done_at: dt.datetime | None = None,
    note: str = "",
) -> ChecklistItem:
    """Mark an item done (now, or at ``done_at``); the last one makes the case operational."""
    _require(actor, MANAGE_PERM)
    case = _locked(item.case)
    current = _not_closed(case)
    decision = _established(case)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if item.done_at is not None:
        raise ValidationError({"item": _("Dit punt is al gereed.")})
    if current == CaseStatus.OPERATIONAL:
        raise ValidationError({"item": _("Het secretariaat is al operationeel.")})
    moment = done_at or timezone.now()
    if timezone.is_naive(moment):
        raise ValidationError({"done_at": _("Geef een moment met tijdzone.")})
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"done_at": _("Gereed ligt niet in de toekomst.")})
    if moment < decision.decided_at - dt.timedelta(days=365):
        raise ValidationError({"done_at": _("Dat moment ligt te ver vóór het besluit.")})
    item.done_at = moment
    item.done_by = actor
    item.note = _text(note, field="note", max_length=500)
    item.save(update_fields=["done_at", "done_by", "note"])
    _operational_check(case=case, actor=actor)
    return item


@transaction.atomic
def checklist_item_reopen(*, item: ChecklistItem, actor: User) -> ChecklistItem:
    """Undo a mistaken ‘done’ (before the case is operational; the audit trail keeps it)."""
    _require(actor, MANAGE_PERM)
    case = _locked(item.case)
    current = _not_closed(case)
    if current == CaseStatus.OPERATIONAL:
        raise ValidationError({"item": _("Het secretariaat is al operationeel.")})
    item.done_at = None
    item.done_by = None
    item.save(update_fields=["done_at", "done_by"])
    return item


def _operational_check(*, case: ActivationCase, actor: User) -> None:
    """Active and every checklist item done: the case is operational."""
    if status_current(case) != CaseStatus.ACTIVE:
        return
    items = case.checklist.all()
    if items.exists() and not items.filter(done_at__isnull=True).exists():
        last = items.aggregate(m=Max("done_at"))["m"]
        _append_status(
            case=case,
            status=CaseStatus.OPERATIONAL,
            actor=actor,
            note=_("Laatste checklistpunt gereed op %(at)s.")
            % {"at": timezone.localtime(last).strftime("%Y-%m-%d %H:%M")},
        )
