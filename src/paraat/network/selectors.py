"""Reads for the network.  Other apps use these (and ``services``), never the models' managers.

Contact details (e-mail, phone) are only for users with ``network.view_contact_details`` (CPO,
secretariat, beheerder); ``can_see_contact`` says so and the templates and serializers ask it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from paraat.accounts.models import User
from paraat.network import permissions as perms
from paraat.network.models import (
    Candidate,
    CommitteeRole,
    Discipline,
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
from paraat_core import network_coverage

AnyUser = Any  # User or AnonymousUser

ROLE_ORDER = [
    CommitteeRole.CHAIR,
    CommitteeRole.MEMBER,
    CommitteeRole.EXPERT_MEMBER,
    CommitteeRole.CPO,
    CommitteeRole.SECRETARIAT,
]


def _role_rank() -> Case:
    return Case(
        *[When(role=role, then=Value(rank)) for rank, role in enumerate(ROLE_ORDER)],
        output_field=IntegerField(),
    )


def min_contacts() -> int:
    return int(getattr(settings, "PARAAT_NETWORK_MIN_CONTACTS", 2))


def stale_months() -> int:
    return int(getattr(settings, "PARAAT_NETWORK_STALE_MONTHS", 12))


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def stale_cutoff(*, today: dt.date) -> dt.date:
    """Confirmations before this date are stale."""
    return network_coverage.months_before(today, stale_months())


def can_see_contact(*, user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(perms.VIEW_CONTACT))


# --- people and organisations --------------------------------------------------------------------


def person_list(
    *,
    user: AnyUser,
    role: str = "",
    discipline: Discipline | None = None,
    organisation: Organisation | None = None,
    stale: bool = False,
    q: str = "",
    today: dt.date | None = None,
) -> QuerySet[Person]:
    """People the user may see (nobody without ``network.view_person``), filtered by a current
    committee role (or ``pool`` / ``candidate``), a discipline of their pool or card-index entry,
    an organisation, or being stale (pool or card-index entry not confirmed within the period)."""
    if not (user.is_authenticated and user.has_perm(perms.VIEW_PEOPLE)):
        return Person.objects.none()
    rows = Person.objects.select_related("organisation", "user").order_by("name", "pk")
    day = today or timezone.localdate()
    if role == "pool":
        rows = rows.filter(pool_expert__is_active=True)
    elif role == "candidate":
        rows = rows.filter(candidate__is_active=True)
    elif role == "anonymised":
        rows = rows.filter(anonymised_on__isnull=False)
    elif role in CommitteeRole.values:
        rows = rows.filter(
            Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=day),
            memberships__role=role,
            memberships__starts_on__lte=day,
        )
    if discipline is not None:
        rows = rows.filter(
            Q(pool_expert__disciplines=discipline) | Q(candidate__disciplines=discipline)
        )
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if stale:
        cutoff = stale_cutoff(today=day)
        old_pool = Q(pool_expert__is_active=True) & (
            Q(pool_expert__availability_confirmed_on__isnull=True)
            | Q(pool_expert__availability_confirmed_on__lt=cutoff)
        )
        old_candidate = Q(candidate__is_active=True) & (
            Q(candidate__availability_confirmed_on__isnull=True)
            | Q(candidate__availability_confirmed_on__lt=cutoff)
        )
        rows = rows.filter(old_pool | old_candidate)
    q = q.replace("\x00", "").strip()  # PostgreSQL refuses NUL in a text parameter
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(organisation__name__icontains=q))
    return rows.distinct()


def person_get(*, user: AnyUser, pk: int) -> Person | None:
    return person_list(user=user).filter(pk=pk).first()


def person_for_user(*, user: AnyUser) -> Person | None:
    """The network record linked to an account (None for anonymous users or unlinked)."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


# Relations this app clears itself before deciding between anonymising and deleting.
_OWN_RELATIONS = frozenset({"pool_expert", "candidate", "interest_declarations", "circles"})


def person_references(*, person: Person) -> dict[str, int]:
    """Rows elsewhere that point at the person (memberships, attendance, playbook owner, …),
    by the verbose name of their model; relations this app clears on erasure are left out."""
    counts: dict[str, int] = {}
    # Hidden relations too (``related_name="+"``, e.g. attendance and playbook owners):
    # ``_meta.related_objects`` leaves those out, and a person referenced only there would
    # otherwise be deleted, which a protecting foreign key refuses.
    relations = [
        f
        for f in person._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one or f.many_to_many)
    ]
    for relation in relations:
        accessor = relation.get_accessor_name()  # type: ignore[union-attr]
        if accessor in _OWN_RELATIONS:
            continue
        related = relation.related_model
        field = relation.field.name  # type: ignore[union-attr]
        number = related._default_manager.filter(**{field: person}).count()
        if number:
            counts[str(related._meta.verbose_name_plural)] = number
    return counts


def organisation_list(*, kind: str = "") -> QuerySet[Organisation]:
    rows = Organisation.objects.all().order_by("name")
    return rows.filter(kind=kind) if kind else rows


def institution_list() -> QuerySet[Organisation]:
    """Organisations an expert member can sit for (planning bureaus and institutes)."""
    return organisation_list(kind=OrganisationKind.INSTITUTION)


def organisation_get(*, pk: int) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).first()


def user_choices() -> QuerySet[User]:
    """Active accounts that may be linked to a person."""
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")


@dataclass(frozen=True)
class PrivacyOverview:
    """What is stored about a person and where it is used."""

    person: Person
    stored: list[tuple[str, str]]
    memberships: list[Membership]
    pool: PoolExpert | None
    candidate: Candidate | None
    circles: list[PracticeCircle]
    declarations: list[InterestDeclaration]
    elsewhere: dict[str, int]
    retention_passed: bool


def privacy_overview(*, person: Person, today: dt.date | None = None) -> PrivacyOverview:
    day = today or timezone.localdate()
    stored = [
        (_("Naam"), person.name),
        (_("E-mailadres (werk)"), person.email or "—"),
        (_("Telefoon (werk)"), person.phone or "—"),
        (_("Organisatie"), str(person.organisation) if person.organisation else "—"),
        (_("Functie"), person.function_title or "—"),
        (_("Gekoppeld account"), person.user.get_username() if person.user else "—"),
        (
            _("Toestemming"),
            f"{person.consent_on.isoformat()} — {person.consent_scope}"
            if person.consent_on
            else _("niet vastgelegd"),
        ),
        (
            _("Bewaren tot"),
            person.retention_until.isoformat() if person.retention_until else "—",
        ),
    ]
    elsewhere = {
        name: number
        for name, number in person_references(person=person).items()
        if name != str(Membership._meta.verbose_name_plural)
    }
    return PrivacyOverview(
        person=person,
        stored=stored,
        memberships=list(person.memberships.select_related("institution").order_by("starts_on")),
        pool=PoolExpert.objects.filter(person=person).first(),
        candidate=Candidate.objects.filter(person=person).first(),
        circles=list(PracticeCircle.objects.filter(contact=person)),
        declarations=list(person.interest_declarations.all()),
        elsewhere=elsewhere,
        retention_passed=bool(person.retention_until and person.retention_until < day),
    )


def erasure_list() -> QuerySet[ErasureRecord]:
    return ErasureRecord.objects.select_related("actor").order_by("-at", "-pk")


# --- committee -----------------------------------------------------------------------------------


def committee_on(*, on: dt.date) -> QuerySet[Membership]:
    """The committee on a date: memberships begun on or before it and not ended before it,
    chair first, then members, expert members, CPO and secretariat."""
    return (
        Membership.objects.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("person", "person__organisation", "institution")
        .annotate(role_rank=_role_rank())
        .order_by("role_rank", "person__name", "pk")
    )


def membership_list(*, person: Person | None = None) -> QuerySet[Membership]:
    rows = Membership.objects.select_related("person", "institution").annotate(
        role_rank=_role_rank()
    )
    if person is not None:
        rows = rows.filter(person=person)
    return rows.order_by("-starts_on", "role_rank", "pk")


def membership_get(*, pk: int) -> Membership | None:
    return Membership.objects.select_related("person", "institution").filter(pk=pk).first()


def voting_members_on(*, on: dt.date) -> QuerySet[Membership]:
    return committee_on(on=on).filter(role__in=[CommitteeRole.CHAIR, CommitteeRole.MEMBER])


# --- disciplines, pool, card index ---------------------------------------------------------------


def discipline_list(*, active_only: bool = True) -> QuerySet[Discipline]:
    rows = Discipline.objects.all().order_by("position", "name_nl")
    return rows.filter(is_active=True) if active_only else rows


def discipline_get(*, pk: int) -> Discipline | None:
    return Discipline.objects.filter(pk=pk).first()


def pool_expert_list(*, discipline: Discipline | None = None) -> QuerySet[PoolExpert]:
    """Active experts of the pool (anonymised people excluded), optionally of one discipline."""
    rows = (
        PoolExpert.objects.filter(is_active=True, person__anonymised_on__isnull=True)
        .select_related("person", "person__organisation")
        .prefetch_related("disciplines")
        .order_by("person__name", "pk")
    )
    if discipline is not None:
        rows = rows.filter(disciplines=discipline)
    return rows


def pool_expert_get(*, pk: int) -> PoolExpert | None:
    return PoolExpert.objects.select_related("person").filter(pk=pk).first()


def candidate_list(*, user: AnyUser, include_inactive: bool = False) -> QuerySet[Candidate]:
    """The card index (kaartenbak), for users with ``network.view_candidate`` (CPO, secretariat);
    empty for everyone else.  Each candidate's declarations are prefetched, newest first."""
    if not (user.is_authenticated and user.has_perm(perms.VIEW_CANDIDATES)):
        return Candidate.objects.none()
    rows = (
        Candidate.objects.filter(person__anonymised_on__isnull=True)
        .select_related("person", "person__organisation")
        .prefetch_related(
            "disciplines",
            Prefetch(
                "person__interest_declarations",
                queryset=InterestDeclaration.objects.order_by("-declared_on", "-pk"),
            ),
        )
        .order_by("person__name", "pk")
    )
    return rows if include_inactive else rows.filter(is_active=True)


def candidate_get(*, user: AnyUser, pk: int) -> Candidate | None:
    return candidate_list(user=user, include_inactive=True).filter(pk=pk).first()


def declaration_list(*, person: Person) -> QuerySet[InterestDeclaration]:
    return person.interest_declarations.select_related("recorded_by").order_by(
        "-declared_on", "-pk"
    )


# --- practice circles ----------------------------------------------------------------------------


def practice_circle_list(*, active_only: bool = True) -> QuerySet[PracticeCircle]:
    rows = (
        PracticeCircle.objects.select_related("lead_organisation", "contact")
        .prefetch_related("groups", "member_organisations")
        .order_by("name")
    )
    return rows.filter(is_active=True) if active_only else rows


def practice_circle_get(*, pk: int) -> PracticeCircle | None:
    return practice_circle_list(active_only=False).filter(pk=pk).first()


def circle_response_hours() -> dict[str, int]:
    """Committed response time (hours) of each active circle, by its name (the advice process
    records a circle's name as the organisation of a request for input)."""
    return dict(PracticeCircle.objects.filter(is_active=True).values_list("name", "response_hours"))


def population_group_list() -> QuerySet[PopulationGroup]:
    return PopulationGroup.objects.filter(is_active=True).order_by("position", "name_nl")


# --- coverage ------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    kind: str  # "discipline" | "group"
    key: str
    name: str
    contacts: int
    stale: int
    flagged: bool
    reasons: list[str]
    current: int = 0
    codes: list[str] = field(default_factory=list)


def _reason_texts(result: network_coverage.Coverage, minimum: int, months: int) -> list[str]:
    texts = []
    if network_coverage.TOO_FEW in result.reasons:
        texts.append(
            _("te weinig actuele contacten: %(current)s, minimaal %(min)s")
            % {"current": result.current, "min": minimum}
        )
    if network_coverage.STALE in result.reasons:
        texts.append(
            _("%(n)s contact(en) niet bevestigd in de laatste %(months)s maanden")
            % {"n": result.stale, "months": months}
        )
    return texts


def _row(
    kind: str, key: str, name: str, confirmations: list[dt.date | None], today: dt.date
) -> CoverageRow:
    minimum, months = min_contacts(), stale_months()
    result = network_coverage.coverage_of(
        confirmations, today=today, min_contacts=minimum, stale_months=months
    )
    return CoverageRow(
        kind=kind,
        key=key,
        name=name,
        contacts=result.contacts,
        stale=result.stale,
        flagged=result.flagged,
        reasons=_reason_texts(result, minimum, months),
        current=result.current,
        codes=list(result.reasons),
    )


def _latest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def coverage(*, today: dt.date) -> list[CoverageRow]:
    """Per active discipline (contacts: distinct people in the pool or the card index) and per
    population group (contacts: distinct contact persons of active practice circles speaking for
    it; vulnerable groups are always listed), how many contacts there are, how many are stale
    and whether that is flagged (``docs/methodology/network-coverage.md``)."""
    rows: list[CoverageRow] = []
    per_discipline: dict[int, dict[int, dt.date | None]] = {}
    for model in (PoolExpert, Candidate):
        entries = model.objects.filter(  # type: ignore[attr-defined]
            is_active=True, person__anonymised_on__isnull=True
        ).values_list("person_id", "availability_confirmed_on", "disciplines")
        for person_id, confirmed, discipline_id in entries:
            if discipline_id is None:
                continue
            people = per_discipline.setdefault(discipline_id, {})
            people[person_id] = _latest(people.get(person_id), confirmed)
    for discipline in discipline_list():
        confirmations = list(per_discipline.get(discipline.pk, {}).values())
        rows.append(_row("discipline", discipline.key, discipline.name, confirmations, today))
    per_group: dict[int, dict[int, dt.date | None]] = {}
    circles = PracticeCircle.objects.filter(
        is_active=True, contact__isnull=False, contact__anonymised_on__isnull=True
    ).values_list("contact_id", "contact_confirmed_on", "groups")
    for contact_id, confirmed, group_id in circles:
        if group_id is None:
            continue
        people = per_group.setdefault(group_id, {})
        people[contact_id] = _latest(people.get(contact_id), confirmed)
    spoken_for = PracticeCircle.objects.filter(is_active=True).values_list("groups", flat=True)
    groups = population_group_list().filter(Q(is_vulnerable=True) | Q(pk__in=spoken_for))
    for group in groups.distinct():
        confirmations = list(per_group.get(group.pk, {}).values())
        rows.append(_row("group", group.key, group.name, confirmations, today))
    return rows


def coverage_summary(*, rows: list[CoverageRow]) -> dict[str, int]:
    return {
        "disciplines": sum(1 for r in rows if r.kind == "discipline"),
        "disciplines_flagged": sum(1 for r in rows if r.kind == "discipline" and r.flagged),
        "groups": sum(1 for r in rows if r.kind == "group"),
        "groups_flagged": sum(1 for r in rows if r.kind == "group" and r.flagged),
    }


def network_counts() -> dict[str, int]:
    """Headline numbers for the landing page (no personal data)."""
    today = timezone.localdate()
    return {
        "committee": committee_on(on=today).count(),
        "pool": pool_expert_list().count(),
        "candidates": Candidate.objects.filter(
            is_active=True, person__anonymised_on__isnull=True
        ).count(),
        "circles": practice_circle_list().count(),
        "organisations": Organisation.objects.count(),
        "people": Person.objects.filter(anonymised_on__isnull=True).count(),
        "retention_due": Person.objects.filter(
            retention_until__lt=today, anonymised_on__isnull=True
        ).count(),
        "disciplines": Discipline.objects.filter(is_active=True).count(),
        "groups_without_circle": population_group_list()
        .filter(is_vulnerable=True)
        .annotate(n=Count("practice_circles", filter=Q(practice_circles__is_active=True)))
        .filter(n=0)
        .count(),
    }
