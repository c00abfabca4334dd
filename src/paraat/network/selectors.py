"""Reads for the network.  Other apps use these (and ``services``), never the models' managers.

Contact details (e-mail, phone) are only for users with ``network.view_contact_details`` (CPO,
secretariat, beheerder); ``can_see_contact`` says so and the templates and serializers ask it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
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


def _reference_rows(*, person: Person) -> list[tuple[str, str, int]]:
    """(model label, verbose name in the plural, number of rows) of every model elsewhere that
    points at the person, relations this app clears on erasure left out."""
    rows: list[tuple[str, str, int]] = []
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
            rows.append((related._meta.label_lower, str(related._meta.verbose_name_plural), number))
    return rows


def person_references(*, person: Person) -> dict[str, int]:
    """Rows elsewhere that point at the person (memberships, attendance, playbook owner, …),
    by the verbose name of their model; relations this app clears on erasure are left out."""
    counts: dict[str, int] = {}
    for _label, name, number in _reference_rows(person=person):
        counts[name] = counts.get(name, 0) + number
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
    sections: list[DataSection] = field(default_factory=list)
    """Every category of stored data, the same list the export holds (``person_export``)."""


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
        sections=person_data_sections(person=person),
    )


# --- personal data per person: one source for the privacy page and the export ------------------


def _plain(value: Any) -> Any:
    """A value as plain JSON data: dates and times in ISO 8601, everything else as is."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class DataSection:
    """One category of what paraat stores about a person, as plain data.

    ``fields`` are the columns (key, label); each record maps the keys to plain values
    (strings, numbers, booleans, ``None``, lists of strings; dates as ISO 8601 text).
    ``covers`` names the models (``app_label.model``) whose rows pointing at the person this
    section lists, so that nothing referring to the person is left unaccounted for.
    """

    key: str
    title: str
    source: str
    fields: tuple[tuple[str, str], ...]
    records: tuple[dict[str, Any], ...]
    covers: tuple[str, ...] = ()
    note: str = ""

    def rows(self) -> list[list[str]]:
        """The records as text for a page (``—`` for nothing, ja/nee for a flag)."""
        out = []
        for record in self.records:
            row = []
            for key, _label in self.fields:
                value = record.get(key)
                if value is None or value == "" or value == []:
                    row.append("—")
                elif isinstance(value, bool):
                    row.append(_("ja") if value else _("nee"))
                elif isinstance(value, list | tuple):
                    row.append(", ".join(str(v) for v in value))
                else:
                    row.append(str(value))
            out.append(row)
        return out

    def labelled(self) -> list[list[tuple[str, str]]]:
        """Per record the (label, text) pairs: for a one-record section shown as a list."""
        return [
            [(label, text) for (_key, label), text in zip(self.fields, row, strict=True)]
            for row in self.rows()
        ]

    def as_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "source": self.source,
            "fields": dict(self.fields),
            "records": [{k: _plain(v) for k, v in r.items()} for r in self.records],
            **({"note": self.note} if self.note else {}),
        }


DataProvider = Callable[..., Iterable[DataSection]]
"""Called as ``provider(person=person)``; returns the app's sections about the person."""
_DATA_PROVIDERS: list[DataProvider] = []


def export_provider_register(provider: DataProvider) -> None:
    """Let another app add what it stores about a network person to the privacy overview and
    the export (e.g. standby: meeting attendance).  Like the erasure hooks
    (``services.erasure_hook_register``), an app registers its provider in its
    ``AppConfig.ready``; the network app itself knows no other app."""
    if provider not in _DATA_PROVIDERS:
        _DATA_PROVIDERS.append(provider)


def _names(rows: Iterable[Any]) -> list[str]:
    return [str(row.name) for row in rows]


def _network_sections(*, person: Person) -> list[DataSection]:
    pool = PoolExpert.objects.filter(person=person).prefetch_related("disciplines").first()
    candidate = Candidate.objects.filter(person=person).prefetch_related("disciplines").first()
    memberships = person.memberships.select_related("institution").order_by("starts_on", "pk")
    entry_fields = (
        ("disciplines", _("Disciplines")),
        ("availability_confirmed_on", _("Beschikbaarheid bevestigd op")),
        ("is_active", _("Actief")),
        ("created_at", _("Opgenomen op")),
    )
    return [
        DataSection(
            key="person",
            title=_("Persoonsgegevens"),
            source="network",
            fields=(
                ("name", _("Naam")),
                ("email", _("E-mailadres (werk)")),
                ("phone", _("Telefoon (werk)")),
                ("organisation", _("Organisatie")),
                ("function_title", _("Functie")),
                ("account", _("Gekoppeld account")),
                ("consent_on", _("Toestemming gegeven op")),
                ("consent_scope", _("Reikwijdte toestemming")),
                ("retention_until", _("Bewaren tot")),
                ("is_fictional", _("Fictief persoon (demo)")),
                ("anonymised_on", _("Geanonimiseerd op")),
                ("created_at", _("Vastgelegd op")),
                ("updated_at", _("Laatst gewijzigd op")),
            ),
            records=(
                {
                    "name": person.name,
                    "email": person.email,
                    "phone": person.phone,
                    "organisation": str(person.organisation) if person.organisation else None,
                    "function_title": person.function_title,
                    "account": person.user.get_username() if person.user else None,
                    "consent_on": _plain(person.consent_on),
                    "consent_scope": person.consent_scope,
                    "retention_until": _plain(person.retention_until),
                    "is_fictional": person.is_fictional,
                    "anonymised_on": _plain(person.anonymised_on),
                    "created_at": _plain(person.created_at),
                    "updated_at": _plain(person.updated_at),
                },
            ),
        ),
        DataSection(
            key="memberships",
            title=_("Lidmaatschappen van de commissie"),
            source="network",
            fields=(
                ("role", _("Rol")),
                ("institution", _("Namens instituut")),
                ("starts_on", _("Begint op")),
                ("ends_on", _("Eindigt op")),
                ("source", _("Bron")),
            ),
            records=tuple(
                {
                    "role": m.get_role_display(),
                    "institution": str(m.institution) if m.institution else None,
                    "starts_on": _plain(m.starts_on),
                    "ends_on": _plain(m.ends_on),
                    "source": m.source,
                }
                for m in memberships
            ),
            covers=("network.membership",),
        ),
        DataSection(
            key="pool",
            title=_("Expertpool"),
            source="network",
            fields=entry_fields,
            records=()
            if pool is None
            else (
                {
                    "disciplines": _names(pool.disciplines.all()),
                    "availability_confirmed_on": _plain(pool.availability_confirmed_on),
                    "is_active": pool.is_active,
                    "created_at": _plain(pool.created_at),
                },
            ),
            covers=("network.poolexpert",),
        ),
        DataSection(
            key="card_index",
            title=_("Kaartenbak"),
            source="network",
            fields=(*entry_fields, ("notes", _("Notities"))),
            records=()
            if candidate is None
            else (
                {
                    "disciplines": _names(candidate.disciplines.all()),
                    "availability_confirmed_on": _plain(candidate.availability_confirmed_on),
                    "is_active": candidate.is_active,
                    "created_at": _plain(candidate.created_at),
                    "notes": candidate.notes,
                },
            ),
            covers=("network.candidate",),
        ),
        DataSection(
            key="declarations",
            title=_("Belangenverklaringen"),
            source="network",
            fields=(
                ("declared_on", _("Verklaard op")),
                ("text", _("Verklaring")),
                ("recorded_at", _("Vastgelegd op")),
            ),
            records=tuple(
                {
                    "declared_on": _plain(d.declared_on),
                    "text": d.text,
                    "recorded_at": _plain(d.recorded_at),
                }
                for d in person.interest_declarations.order_by("declared_on", "pk")
            ),
            covers=("network.interestdeclaration",),
        ),
        DataSection(
            key="circles",
            title=_("Praktijkkringen (contactpersoon)"),
            source="network",
            fields=(
                ("name", _("Praktijkkring")),
                ("contact_confirmed_on", _("Contactpersoon laatst bevestigd op")),
                ("is_active", _("Actief")),
            ),
            records=tuple(
                {
                    "name": c.name,
                    "contact_confirmed_on": _plain(c.contact_confirmed_on),
                    "is_active": c.is_active,
                }
                for c in PracticeCircle.objects.filter(contact=person).order_by("name")
            ),
            covers=("network.practicecircle",),
        ),
    ]


def person_data_sections(*, person: Person) -> list[DataSection]:
    """Everything paraat stores about a network person, per category: the network's own records
    and, through the registered providers, the other apps' records; last, any other rows that
    point at the person and no section lists (counted per kind, so nothing stays hidden).

    The privacy page and the export (``person_export``) both read this one list."""
    sections = _network_sections(person=person)
    for provider in list(_DATA_PROVIDERS):
        sections.extend(provider(person=person))
    covered = {label for section in sections for label in section.covers}
    rest = [
        {"kind": name, "number": number}
        for label, name, number in _reference_rows(person=person)
        if label not in covered
    ]
    sections.append(
        DataSection(
            key="elsewhere",
            title=_("Elders in paraat"),
            source="network",
            fields=(("kind", _("Soort gegeven")), ("number", _("Aantal"))),
            records=tuple(rest),
            note=_("Verwijzingen naar de persoon die geen onderdeel hierboven toont."),
        )
    )
    return sections


EXPORT_FORMAT = "paraat-person-export/1"


def person_export(*, person: Person, now: dt.datetime | None = None) -> dict[str, Any]:
    """The export of one person's data (the right of access): plain data, ready for JSON.
    Holds exactly the sections of the privacy page; names the person by internal number."""
    moment = now or timezone.now()
    return {
        "format": EXPORT_FORMAT,
        "generated_at": moment.isoformat(),
        "person_ref": person.pk,
        "sections": [section.as_data() for section in person_data_sections(person=person)],
    }


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
