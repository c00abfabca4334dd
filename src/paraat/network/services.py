"""Writes for the network. Keyword-only, typed, one transaction each.

Bad input raises Django's ``ValidationError`` naming the field.  Permissions are checked by
the views and the API (``paraat.network.permissions``); these functions decide and write.
Declarations of interest are appended, never edited.  Erasure (on request or when the retention
date passed) anonymises a person who is referenced anywhere and deletes one who is not; either
way an ``ErasureRecord`` without personal data is written and one log line without personal
data is emitted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from paraat.accounts.models import User
from paraat.network import selectors
from paraat.network.models import (
    Candidate,
    CommitteeRole,
    Discipline,
    ErasureAction,
    ErasureReason,
    ErasureRecord,
    InterestDeclaration,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    PoolExpert,
    PracticeCircle,
)
from paraat.taxonomies.models import PopulationGroup

logger = logging.getLogger("paraat.network")

TEXT_MAX = 20_000
"""Longest notes or declaration accepted (characters)."""
RESPONSE_HOURS_MAX = 24 * 60
"""Longest committed response time of a practice circle (60 days, in hours)."""
EARLIEST = dt.date(1990, 1, 1)
"""Dates before this are refused (typing errors); the MIT dates from 2022."""


def _today() -> dt.date:
    return timezone.localdate()


def _required(errors: dict[str, str], name: str, value: str, message: str) -> None:
    if not (value or "").strip():
        errors[name] = message


def _choice(errors: dict[str, str], name: str, value: str, allowed: Iterable[str]) -> None:
    if value not in set(allowed):
        errors[name] = _("Onbekende waarde: %(v)s") % {"v": value}


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _date(errors: dict[str, str], name: str, value: dt.date | None, *, future: bool) -> None:
    """A plausible date: not before ``EARLIEST``; not after today unless ``future``."""
    if value is None:
        return
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[name] = _("Geef een datum.")
    elif value < EARLIEST:
        errors[name] = _("Geef een datum na %(d)s.") % {"d": EARLIEST.isoformat()}
    elif not future and value > _today():
        errors[name] = _("Deze datum ligt niet in de toekomst.")
    elif value.year > 2200:
        errors[name] = _("Geef een datum vóór 2200.")


def _long(errors: dict[str, str], name: str, value: str, limit: int = TEXT_MAX) -> None:
    if len(value or "") > limit:
        errors[name] = _("Te lang: hoogstens %(n)s tekens.") % {"n": limit}


def _not_anonymised(person: Person, field: str = "person") -> None:
    if person.anonymised_on is not None:
        raise ValidationError({field: _("Deze persoon is geanonimiseerd.")})


# --- organisations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationData:
    name: str
    abbreviation: str = ""
    kind: str = OrganisationKind.OTHER
    website: str = ""
    is_synthetic: bool = False


def _validate_organisation(data: OrganisationData, *, instance: Organisation | None) -> None:
    errors: dict[str, str] = {}
    _required(errors, "name", data.name, _("Geef de naam van de organisatie."))
    _long(errors, "name", data.name, 300)
    _long(errors, "abbreviation", data.abbreviation, 40)
    _choice(errors, "kind", data.kind, OrganisationKind.values)
    if data.website:
        try:
            URLValidator(schemes=["http", "https"])(data.website)
        except ValidationError:
            errors["website"] = _("Geef een geldig webadres (https://…).")
    clash = Organisation.objects.filter(name__iexact=data.name.strip())
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if data.name.strip() and clash.exists():
        errors["name"] = _("Er is al een organisatie met deze naam.")
    _raise(errors)


@transaction.atomic
def organisation_create(*, data: OrganisationData, actor: User | None) -> Organisation:
    _validate_organisation(data, instance=None)
    return Organisation.objects.create(
        name=data.name.strip(),
        abbreviation=data.abbreviation.strip(),
        kind=data.kind,
        website=data.website.strip(),
        is_synthetic=data.is_synthetic,
    )


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, data: OrganisationData, actor: User | None
) -> Organisation:
    _validate_organisation(data, instance=organisation)
    organisation.name = data.name.strip()
    organisation.abbreviation = data.abbreviation.strip()
    organisation.kind = data.kind
    organisation.website = data.website.strip()
    organisation.is_synthetic = data.is_synthetic
    organisation.save()
    return organisation


# --- people --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    name: str
    retention_until: dt.date | None
    email: str = ""
    phone: str = ""
    organisation: Organisation | None = None
    function_title: str = ""
    user: User | None = None
    consent_on: dt.date | None = None
    consent_scope: str = ""
    is_fictional: bool = False


PHONE_CHARACTERS = frozenset("0123456789+-() ")


def _validate_person(data: PersonData, *, instance: Person | None) -> None:
    errors: dict[str, str] = {}
    _required(errors, "name", data.name, _("Geef de naam."))
    _long(errors, "name", data.name, 200)
    _long(errors, "function_title", data.function_title, 200)
    _long(errors, "consent_scope", data.consent_scope, 500)
    if data.email:
        try:
            validate_email(data.email.strip())
        except ValidationError:
            errors["email"] = _("Geef een geldig e-mailadres.")
    phone = (data.phone or "").strip()
    if phone and (len(phone) > 40 or not set(phone) <= PHONE_CHARACTERS):
        errors["phone"] = _("Een telefoonnummer bestaat uit cijfers, spaties en + - ( ).")
    _date(errors, "consent_on", data.consent_on, future=False)
    _date(errors, "retention_until", data.retention_until, future=True)
    if data.retention_until is None:
        errors["retention_until"] = _(
            "Geef een bewaartermijn: tot wanneer mogen de gegevens worden bewaard?"
        )
    if data.consent_on and not data.consent_scope.strip():
        errors["consent_scope"] = _("Geef aan waarvoor de toestemming geldt.")
    if data.consent_scope.strip() and not data.consent_on:
        errors["consent_on"] = _("Geef de datum waarop de toestemming is gegeven.")
    if (
        "retention_until" not in errors
        and "consent_on" not in errors
        and data.consent_on
        and data.retention_until
        and data.retention_until < data.consent_on
    ):
        errors["retention_until"] = _("De bewaartermijn eindigt na de datum van toestemming.")
    if data.user is not None:
        linked = Person.objects.filter(user=data.user)
        if instance is not None:
            linked = linked.exclude(pk=instance.pk)
        if linked.exists():
            errors["user"] = _("Dit account is al aan een andere persoon gekoppeld.")
    _raise(errors)


def _apply_person(person: Person, data: PersonData) -> None:
    person.name = data.name.strip()
    person.email = data.email.strip().lower() if data.email else ""
    person.phone = (data.phone or "").strip()
    person.organisation = data.organisation
    person.function_title = data.function_title.strip()
    person.user = data.user
    person.consent_on = data.consent_on
    person.consent_scope = data.consent_scope.strip()
    person.retention_until = data.retention_until
    person.is_fictional = data.is_fictional


@transaction.atomic
def person_create(*, data: PersonData, actor: User | None) -> Person:
    _validate_person(data, instance=None)
    person = Person()
    _apply_person(person, data)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent link of the same account
        raise ValidationError({"user": _("Dit account is al gekoppeld.")}) from exc
    return person


@transaction.atomic
def person_update(*, person: Person, data: PersonData, actor: User | None) -> Person:
    _not_anonymised(person, "name")
    _validate_person(data, instance=person)
    _apply_person(person, data)
    person.save()
    return person


# --- erasure (delete on request, retention) ------------------------------------------------------


@dataclass(frozen=True)
class ErasureOutcome:
    person_ref: int
    action: str
    reason: str


def _erasure_action(person: Person) -> str:
    return (
        ErasureAction.ANONYMISED
        if selectors.person_references(person=person)
        else ErasureAction.DELETED
    )


ErasureHook = Callable[..., object]
"""Called as ``hook(person=person)`` inside the erasure's transaction."""
_ERASURE_HOOKS: list[ErasureHook] = []


def erasure_hook_register(hook: ErasureHook) -> None:
    """Let another app release or scrub its own references to a person when the person is
    erased (e.g. standby unsets playbook ownership and clears attendance notes).  Hooks run in
    :func:`person_erase`'s transaction after this app's own clean-up and before it decides
    between anonymising and deleting; an app registers its hook in its ``AppConfig.ready``.
    The network app itself knows no other app."""
    if hook not in _ERASURE_HOOKS:
        _ERASURE_HOOKS.append(hook)


def anonymised_name(person_ref: int) -> str:
    return _("Geanonimiseerd persoon #%(n)s") % {"n": person_ref}


@transaction.atomic
def person_erase(*, person: Person, reason: str, actor: User | None) -> ErasureOutcome:
    """Erase a person's data: anonymise when anything refers to them (a membership keeps an
    anonymised name, so committee history and attendance stay complete), delete otherwise.

    Always removed: contact details, the organisation, the account link, consent, the pool and
    card-index entries, what other apps release through their erasure hooks
    (:func:`erasure_hook_register`) and the declarations of interest — except that the
    declarations of someone who served in the committee stay (they belong to the
    accountability of the advice they took part in).
    """
    errors: dict[str, str] = {}
    _choice(errors, "reason", reason, ErasureReason.values)
    _raise(errors)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_on is not None:
        raise ValidationError({"person": _("Deze persoon is al geanonimiseerd.")})
    ref = person.pk
    served = person.memberships.exists()
    PoolExpert.objects.filter(person=person).delete()
    Candidate.objects.filter(person=person).delete()
    if not served:
        InterestDeclaration.objects.filter(person=person).delete()
    PracticeCircle.objects.filter(contact=person).update(contact=None)
    for hook in list(_ERASURE_HOOKS):
        hook(person=person)
    action = _erasure_action(person)
    if action == ErasureAction.DELETED:
        person.delete()
    else:
        action = ErasureAction.ANONYMISED
        person.name = anonymised_name(ref)
        person.email = ""
        person.phone = ""
        person.organisation = None  # with role and period it would point at the person
        person.function_title = ""
        person.user = None
        person.consent_on = None
        person.consent_scope = ""
        person.retention_until = None
        person.anonymised_on = _today()
        person.save()
    ErasureRecord.objects.create(
        person_ref=ref, action=action, reason=reason, actor=actor, at=timezone.now()
    )
    logger.info("network erasure: person #%s %s (reason: %s)", ref, action, reason)
    return ErasureOutcome(person_ref=ref, action=str(action), reason=reason)


@transaction.atomic
def person_export_record(*, person: Person, actor: User) -> None:
    """Write to the audit trail that ``actor`` downloaded everything stored about ``person``
    (``selectors.person_export``).  The entry names the person by internal number only."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        person,
        action=LogEntry.Action.ACCESS,
        changes={"export": ["", "persoonsgegevens gedownload (JSON)"]},
        actor=actor,
        object_repr=f"#{person.pk}",
    )


def retention_due(*, today: dt.date) -> list[Person]:
    """People whose retention date has passed and who are not yet anonymised."""
    return list(
        Person.objects.filter(retention_until__lt=today, anonymised_on__isnull=True).order_by("pk")
    )


def retention_run(
    *, today: dt.date | None = None, dry_run: bool = False, actor: User | None = None
) -> list[ErasureOutcome]:
    """Erase everyone whose retention date passed; with ``dry_run`` only say what would happen.
    Each person is erased in a transaction of its own, so one failure leaves the others done."""
    day = today or _today()
    outcomes: list[ErasureOutcome] = []
    for person in retention_due(today=day):
        if dry_run:
            outcomes.append(
                ErasureOutcome(
                    person_ref=person.pk,
                    action=str(_erasure_action(person)),
                    reason=ErasureReason.RETENTION,
                )
            )
            continue
        outcomes.append(person_erase(person=person, reason=ErasureReason.RETENTION, actor=actor))
    return outcomes


# --- committee -----------------------------------------------------------------------------------


@transaction.atomic
def membership_start(
    *,
    person: Person,
    role: str,
    starts_on: dt.date,
    institution: Organisation | None = None,
    source: str = "",
    actor: User | None,
) -> Membership:
    """Start a role in the committee.  An expert member sits on behalf of an institution."""
    errors: dict[str, str] = {}
    _choice(errors, "role", role, CommitteeRole.values)
    if starts_on is None:
        errors["starts_on"] = _("Geef de begindatum.")
    else:
        _date(errors, "starts_on", starts_on, future=True)
    _long(errors, "source", source, 300)
    if role == CommitteeRole.EXPERT_MEMBER and institution is None:
        errors["institution"] = _(
            "Een expertlid zit namens een instituut (CPB, SCP, PBL, SER, RIVM): kies het instituut."
        )
    if person.anonymised_on is not None:
        errors["person"] = _("Deze persoon is geanonimiseerd.")
    _raise(errors)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    overlapping = Membership.objects.filter(person=person, role=role).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if overlapping.exists():
        raise ValidationError(
            {"starts_on": _("Deze persoon heeft deze rol al in deze periode; beëindig die eerst.")}
        )
    return Membership.objects.create(
        person=person,
        role=role,
        institution=institution,
        starts_on=starts_on,
        source=source.strip(),
        created_by=actor,
    )


@transaction.atomic
def membership_end(*, membership: Membership, ends_on: dt.date, actor: User | None) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    errors: dict[str, str] = {}
    if membership.ends_on is not None:
        errors["ends_on"] = _("Dit lidmaatschap is al beëindigd.")
    elif ends_on is None:
        errors["ends_on"] = _("Geef de einddatum.")
    else:
        _date(errors, "ends_on", ends_on, future=True)
        if "ends_on" not in errors and ends_on < membership.starts_on:
            errors["ends_on"] = _("De einddatum ligt niet vóór de begindatum.")
    _raise(errors)
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    return membership


# --- disciplines ---------------------------------------------------------------------------------


SEED_DISCIPLINES: tuple[tuple[str, str, str], ...] = (
    ("public-order-safety", "openbare orde en veiligheid", "public order and safety"),
    ("human-rights", "mensenrechten", "human rights"),
    ("public-health-lifestyle", "publieke gezondheid en leefstijl", "public health and lifestyle"),
    ("mental-health", "mentale gezondheid", "mental health"),
    ("care", "zorg", "care"),
    ("education", "onderwijs", "education"),
    (
        "innovation-entrepreneurship",
        "innovatie en ondernemerschap",
        "innovation and entrepreneurship",
    ),
    ("sport", "sport", "sport"),
    ("culture", "cultuur", "culture"),
    ("media", "media", "media"),
    ("international", "internationaal", "international"),
    ("economics", "economie", "economics"),
    ("behaviour", "gedrag", "behaviour"),
    ("law", "recht", "law"),
)
"""The disciplines issue 7 names (also seeded by migration ``network/0002_disciplines``)."""


@transaction.atomic
def discipline_seed() -> int:
    """Create the named disciplines that are missing (never overwrites edits); returns how
    many were created."""
    created = 0
    for position, (key, name_nl, name_en) in enumerate(SEED_DISCIPLINES, start=1):
        _row, made = Discipline.objects.get_or_create(
            key=key, defaults={"name_nl": name_nl, "name_en": name_en, "position": position}
        )
        created += int(made)
    return created


@dataclass(frozen=True)
class DisciplineData:
    name_nl: str
    name_en: str = ""
    description: str = ""
    position: int = 0
    is_active: bool = True


def _validate_discipline(data: DisciplineData, *, instance: Discipline | None) -> None:
    errors: dict[str, str] = {}
    _required(errors, "name_nl", data.name_nl, _("Geef de naam."))
    _long(errors, "name_nl", data.name_nl, 200)
    _long(errors, "name_en", data.name_en, 200)
    _long(errors, "description", data.description)
    if not 0 <= data.position <= 10_000:
        errors["position"] = _("Geef een volgorde tussen 0 en 10000.")
    clash = Discipline.objects.filter(name_nl__iexact=data.name_nl.strip())
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if data.name_nl.strip() and clash.exists():
        errors["name_nl"] = _("Er is al een discipline met deze naam.")
    _raise(errors)


@transaction.atomic
def discipline_create(*, data: DisciplineData, actor: User | None) -> Discipline:
    _validate_discipline(data, instance=None)
    base = slugify(data.name_nl)[:70] or "discipline"
    key, counter = base, 2
    while Discipline.objects.filter(key=key).exists():
        key = f"{base}-{counter}"
        counter += 1
    return Discipline.objects.create(
        key=key,
        name_nl=data.name_nl.strip(),
        name_en=data.name_en.strip(),
        description=data.description.strip(),
        position=data.position,
        is_active=data.is_active,
    )


@transaction.atomic
def discipline_update(
    *, discipline: Discipline, data: DisciplineData, actor: User | None
) -> Discipline:
    _validate_discipline(data, instance=discipline)
    discipline.name_nl = data.name_nl.strip()
    discipline.name_en = data.name_en.strip()
    discipline.description = data.description.strip()
    discipline.position = data.position
    discipline.is_active = data.is_active
    discipline.save()
    return discipline


# --- expert pool and card index ------------------------------------------------------------------


def _validate_entry(
    errors: dict[str, str], disciplines: Sequence[Discipline], confirmed: dt.date | None
) -> None:
    if not disciplines:
        errors["disciplines"] = _("Kies ten minste één discipline.")
    _date(errors, "availability_confirmed_on", confirmed, future=False)


@transaction.atomic
def pool_expert_add(
    *,
    person: Person,
    disciplines: Sequence[Discipline],
    availability_confirmed_on: dt.date | None = None,
    actor: User | None,
) -> PoolExpert:
    _not_anonymised(person)
    errors: dict[str, str] = {}
    _validate_entry(errors, disciplines, availability_confirmed_on)
    if PoolExpert.objects.filter(person=person).exists():
        errors["person"] = _("Deze persoon staat al in de expertpool.")
    _raise(errors)
    expert = PoolExpert.objects.create(
        person=person, availability_confirmed_on=availability_confirmed_on
    )
    expert.disciplines.set(disciplines)
    return expert


@transaction.atomic
def pool_expert_update(
    *,
    expert: PoolExpert,
    disciplines: Sequence[Discipline],
    availability_confirmed_on: dt.date | None,
    is_active: bool,
    actor: User | None,
) -> PoolExpert:
    errors: dict[str, str] = {}
    _validate_entry(errors, disciplines, availability_confirmed_on)
    _raise(errors)
    expert.availability_confirmed_on = availability_confirmed_on
    expert.is_active = is_active
    expert.save()
    expert.disciplines.set(disciplines)
    return expert


@transaction.atomic
def candidate_add(
    *,
    person: Person,
    disciplines: Sequence[Discipline],
    availability_confirmed_on: dt.date | None = None,
    notes: str = "",
    actor: User | None,
) -> Candidate:
    _not_anonymised(person)
    errors: dict[str, str] = {}
    _validate_entry(errors, disciplines, availability_confirmed_on)
    _long(errors, "notes", notes)
    if Candidate.objects.filter(person=person).exists():
        errors["person"] = _("Deze persoon staat al in de kaartenbak.")
    _raise(errors)
    candidate = Candidate.objects.create(
        person=person, availability_confirmed_on=availability_confirmed_on, notes=notes.strip()
    )
    candidate.disciplines.set(disciplines)
    return candidate


@transaction.atomic
def candidate_register(
    *,
    person_data: PersonData,
    disciplines: Sequence[Discipline],
    availability_confirmed_on: dt.date | None = None,
    notes: str = "",
    declaration: str = "",
    actor: User | None,
) -> Candidate:
    """A new person straight into the card index, with their first declaration of interests —
    all or nothing."""
    errors: dict[str, str] = {}
    try:
        _validate_person(person_data, instance=None)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    _validate_entry(errors, disciplines, availability_confirmed_on)
    _long(errors, "notes", notes)
    _long(errors, "declaration", declaration)
    _raise(errors)
    person = person_create(data=person_data, actor=actor)
    candidate = candidate_add(
        person=person,
        disciplines=disciplines,
        availability_confirmed_on=availability_confirmed_on,
        notes=notes,
        actor=actor,
    )
    if declaration.strip():
        interest_declaration_add(
            person=person,
            text=declaration,
            declared_on=availability_confirmed_on or _today(),
            actor=actor,
        )
    return candidate


@transaction.atomic
def candidate_update(
    *,
    candidate: Candidate,
    disciplines: Sequence[Discipline],
    availability_confirmed_on: dt.date | None,
    notes: str,
    is_active: bool,
    actor: User | None,
) -> Candidate:
    errors: dict[str, str] = {}
    _validate_entry(errors, disciplines, availability_confirmed_on)
    _long(errors, "notes", notes)
    _raise(errors)
    candidate.availability_confirmed_on = availability_confirmed_on
    candidate.notes = notes.strip()
    candidate.is_active = is_active
    candidate.save()
    candidate.disciplines.set(disciplines)
    return candidate


@transaction.atomic
def availability_confirm(
    *, entry: Candidate | PoolExpert, on: dt.date | None = None, actor: User | None
) -> Candidate | PoolExpert:
    """Record that the person confirmed (again) that they are available."""
    day = on or _today()
    errors: dict[str, str] = {}
    _date(errors, "availability_confirmed_on", day, future=False)
    _raise(errors)
    _not_anonymised(entry.person)
    entry.availability_confirmed_on = day
    entry.save(update_fields=["availability_confirmed_on"])
    return entry


@transaction.atomic
def interest_declaration_add(
    *, person: Person, text: str, declared_on: dt.date | None = None, actor: User | None
) -> InterestDeclaration:
    """Append a declaration of interests (earlier ones stay as they were)."""
    _not_anonymised(person)
    errors: dict[str, str] = {}
    _required(errors, "text", text, _("Geef de verklaring."))
    _long(errors, "text", text)
    _date(errors, "declared_on", declared_on, future=False)
    _raise(errors)
    return InterestDeclaration.objects.create(
        person=person, text=text.strip(), declared_on=declared_on or _today(), recorded_by=actor
    )


# --- practice circles ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CircleData:
    name: str
    lead_organisation: Organisation | None
    response_hours: int
    description: str = ""
    contact: Person | None = None
    member_organisations: Sequence[Organisation] = ()
    groups: Sequence[PopulationGroup] = ()
    contact_confirmed_on: dt.date | None = None
    is_active: bool = True
    is_synthetic: bool = False


def _validate_circle(data: CircleData, *, instance: PracticeCircle | None) -> None:
    errors: dict[str, str] = {}
    _required(errors, "name", data.name, _("Geef de naam van de kring."))
    _long(errors, "name", data.name, 300)
    _long(errors, "description", data.description)
    if data.lead_organisation is None:
        errors["lead_organisation"] = _("Kies de organisatie die de kring trekt.")
    if not isinstance(data.response_hours, int) or not 1 <= data.response_hours <= (
        RESPONSE_HOURS_MAX
    ):
        errors["response_hours"] = _("Geef een reactietijd tussen 1 en %(n)s uur.") % {
            "n": RESPONSE_HOURS_MAX
        }
    if data.contact is not None and data.contact.anonymised_on is not None:
        errors["contact"] = _("Deze persoon is geanonimiseerd.")
    _date(errors, "contact_confirmed_on", data.contact_confirmed_on, future=False)
    clash = PracticeCircle.objects.filter(name__iexact=data.name.strip())
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if data.name.strip() and clash.exists():
        errors["name"] = _("Er is al een kring met deze naam.")
    _raise(errors)


def _apply_circle(circle: PracticeCircle, data: CircleData) -> None:
    assert data.lead_organisation is not None
    circle.name = data.name.strip()
    circle.description = data.description.strip()
    circle.lead_organisation = data.lead_organisation
    circle.contact = data.contact
    circle.response_hours = data.response_hours
    circle.contact_confirmed_on = data.contact_confirmed_on
    circle.is_active = data.is_active
    circle.is_synthetic = data.is_synthetic


@transaction.atomic
def practice_circle_create(*, data: CircleData, actor: User | None) -> PracticeCircle:
    _validate_circle(data, instance=None)
    circle = PracticeCircle()
    _apply_circle(circle, data)
    circle.save()
    circle.member_organisations.set(data.member_organisations)
    circle.groups.set(data.groups)
    return circle


@transaction.atomic
def practice_circle_update(
    *, circle: PracticeCircle, data: CircleData, actor: User | None
) -> PracticeCircle:
    _validate_circle(data, instance=circle)
    _apply_circle(circle, data)
    circle.save()
    circle.member_organisations.set(data.member_organisations)
    circle.groups.set(data.groups)
    return circle


@transaction.atomic
def practice_circle_confirm(
    *, circle: PracticeCircle, on: dt.date | None = None, actor: User | None
) -> PracticeCircle:
    """Record that the circle confirmed its contact person and response time."""
    day = on or _today()
    errors: dict[str, str] = {}
    _date(errors, "contact_confirmed_on", day, future=False)
    _raise(errors)
    circle.contact_confirmed_on = day
    circle.save(update_fields=["contact_confirmed_on"])
    return circle
