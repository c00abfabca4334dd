"""Demo data of paraat.network: the committee (the demo accounts linked as people), the
institutions of the expert members, a small expert pool and card index (some stale, so the
coverage view shows flags) and the practice circles the brief names.

All people are invented (``is_fictional``); the circles' lead and member organisations are
invented too and labelled fictief (``is_synthetic``).  The five institutions and the ministry are
real organisations.  Idempotent: running it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from paraat.accounts.models import User
from paraat.accounts.selectors import user_get
from paraat.network import selectors, services
from paraat.network.models import CommitteeRole, OrganisationKind, Person
from paraat.taxonomies.models import PopulationGroup

INSTITUTIONS = (
    ("Centraal Planbureau", "CPB", "https://www.cpb.nl"),
    ("Sociaal en Cultureel Planbureau", "SCP", "https://www.scp.nl"),
    ("Planbureau voor de Leefomgeving", "PBL", "https://www.pbl.nl"),
    ("Sociaal-Economische Raad", "SER", "https://www.ser.nl"),
    ("RIVM, gedragsunit", "RIVM", "https://www.rivm.nl"),
)
MINISTRY = (
    "Ministerie van Sociale Zaken en Werkgelegenheid",
    "SZW",
    "https://www.rijksoverheid.nl",
)

# (username, committee role, institution abbreviation or "")
COMMITTEE = (
    ("voorzitter", CommitteeRole.CHAIR, ""),
    ("lid", CommitteeRole.MEMBER, ""),
    ("lid2", CommitteeRole.MEMBER, ""),
    ("lid3", CommitteeRole.MEMBER, ""),
    ("expert", CommitteeRole.EXPERT_MEMBER, "SCP"),
    ("cpo", CommitteeRole.CPO, ""),
)
# Fictional people without an account: (name, organisation abbreviation, role or "")
SECRETARIAT = (("Sam Secretaris", "SCP"),)

# Pool: (name, organisation, discipline keys, months since confirmation or None = never)
POOL = (
    ("Erik Sterman", "", ("behaviour", "public-health-lifestyle"), 2),  # demo account "extern"
    ("Fleur Ordeman", "", ("public-order-safety", "law"), 3),
    ("Hamid Rechtop", "", ("human-rights", "law"), 14),
    ("Ilse Zorgvliet", "", ("care", "mental-health"), 1),
    ("Joris Leerdam", "", ("education",), 26),
    ("Karin Geldrop", "CPB", ("economics", "innovation-entrepreneurship"), 5),
    ("Lotte Mediastraat", "", ("media", "culture"), None),
    ("Mo Internationaal", "", ("international",), 8),
)
# Card index: (name, discipline keys, months since confirmation or None, declaration, notes)
CANDIDATES = (
    (
        "Nina Kandidaat",
        ("mental-health", "behaviour"),
        4,
        "Lid raad van toezicht van een (fictieve) ggz-instelling.",
        "Kan binnen een week beginnen.",
    ),
    (
        "Otto Oudenaarde",
        ("economics", "law"),
        18,
        "Geen nevenfuncties.",
        "Eerder lid van een adviescommissie; beschikbaarheid opnieuw navragen.",
    ),
    (
        "Priya Sportel",
        ("sport", "public-health-lifestyle"),
        None,
        "",
        "Aangedragen door een expertlid.",
    ),
    (
        "Quinten Cultuurhuis",
        ("culture", "education"),
        7,
        "Bestuurslid van een (fictief) cultuurfonds.",
        "",
    ),
)
# Practice circles: (name, lead organisation (fictional), group keys, response hours, contact)
CIRCLES = (
    (
        "Praktijkkring werknemers",
        "Werknemersplatform (fictief)",
        ("employees", "vital-sector-workers"),
        48,
        "",
    ),
    (
        "Praktijkkring ondernemers",
        "Ondernemersnetwerk (fictief)",
        ("entrepreneurs", "small-entrepreneurs"),
        48,
        "",
    ),
    ("Praktijkkring zelfstandigen", "Zzp-collectief (fictief)", ("self-employed",), 72, ""),
    (
        "Praktijkkring mensen met een beperking of chronische ziekte",
        "Patiëntenplatform (fictief)",
        ("chronic-illness-disability", "long-covid"),
        72,
        "",
    ),
    (
        "Praktijkkring mensen met psychische problemen",
        "Ggz-cliëntenraad (fictief)",
        ("mental-health",),
        72,
        "",
    ),
    (
        "Praktijkkring mensen in een kwetsbare sociaaleconomische positie",
        "Armoedecoalitie (fictief)",
        ("low-income", "people-with-debts"),
        96,
        "",
    ),
    (
        "Praktijkkring gemeenten",
        "Gemeentenetwerk (fictief)",
        ("deprived-neighbourhoods", "homeless"),
        24,
        "kring",
    ),
    (
        "Praktijkkring jongeren",
        "Jongerenraad (fictief)",
        ("young-people", "pupils-students"),
        48,
        "",
    ),
    ("Praktijkkring ouderen", "Ouderenbond (fictief)", ("elderly", "care-home-residents"), 72, ""),
    ("Praktijkkring mantelzorgers", "Mantelzorgnetwerk (fictief)", ("informal-carers",), 96, ""),
    ("Praktijkkring zorgmedewerkers", "Zorgberoepenplatform (fictief)", ("care-workers",), 48, ""),
)
CIRCLE_CONTACTS = {
    # circle name → (fictional contact name, months since the circle confirmed, or None)
    "Praktijkkring werknemers": ("Wim Werkman", 2),
    "Praktijkkring ondernemers": ("Olga Ondernemer", 15),
    "Praktijkkring mensen met psychische problemen": ("Gijs Gezondheid", 4),
    "Praktijkkring jongeren": ("Yara Jong", 1),
    "Praktijkkring ouderen": ("Otje Ouderling", None),
    "Praktijkkring zorgmedewerkers": ("Zara Zorgkracht", 6),
}
STANDBY_START = dt.date(2024, 9, 1)
SOURCE = "Demo: fictief instellingsbesluit waakstand (synthetisch)"


def _months_ago(today: dt.date, months: int | None) -> dt.date | None:
    if months is None:
        return None
    from paraat_core.network_coverage import months_before

    return months_before(today, months)


def _organisation(name: str, abbreviation: str, kind: str, website: str, synthetic: bool) -> object:
    found = selectors.organisation_list().filter(name=name).first()
    if found is not None:
        return found
    return services.organisation_create(
        data=services.OrganisationData(
            name=name,
            abbreviation=abbreviation,
            kind=kind,
            website=website,
            is_synthetic=synthetic,
        ),
        actor=None,
    )


def _person(
    *,
    name: str,
    organisation: object | None,
    today: dt.date,
    user: User | None = None,
    scope: str = "commissie en netwerk van het MIT (demo)",
) -> Person:
    found = Person.objects.filter(name=name, is_fictional=True).first()
    if found is not None:
        return found
    slug = name.lower().replace(" ", ".")
    return services.person_create(
        data=services.PersonData(
            name=name,
            email=user.email if user is not None and user.email else f"{slug}@example.org",
            organisation=organisation,  # type: ignore[arg-type]
            user=user,
            consent_on=STANDBY_START,
            consent_scope=scope,
            retention_until=selectors.years_later(today, 2),
            is_fictional=True,
        ),
        actor=None,
    )


@transaction.atomic
def network_demo_load() -> dict[str, object]:
    today = timezone.localdate()
    services.discipline_seed()
    disciplines = {d.key: d for d in selectors.discipline_list()}
    institutions = {
        abbr: _organisation(name, abbr, OrganisationKind.INSTITUTION, url, False)
        for name, abbr, url in INSTITUTIONS
    }
    _organisation(MINISTRY[0], MINISTRY[1], OrganisationKind.MINISTRY, MINISTRY[2], False)
    actor = user_get(username="cpo")

    members = 0
    for username, role, institution in COMMITTEE:
        user = user_get(username=username)
        if user is None:
            continue
        person = Person.objects.filter(user=user).first() or _person(
            name=user.get_full_name() or username,
            organisation=institutions.get(institution) if institution else None,
            today=today,
            user=user,
        )
        if not person.memberships.filter(role=role).exists():
            services.membership_start(
                person=person,
                role=role,
                starts_on=STANDBY_START,
                institution=institutions.get(institution) if institution else None,  # type: ignore[arg-type]
                source=SOURCE,
                actor=actor,
            )
        members += 1
    for name, abbr in SECRETARIAT:
        person = _person(name=name, organisation=institutions[abbr], today=today)
        if not person.memberships.exists():
            services.membership_start(
                person=person,
                role=CommitteeRole.SECRETARIAT,
                starts_on=STANDBY_START,
                source=SOURCE,
                actor=actor,
            )

    pool = 0
    for name, abbr, keys, months in POOL:
        user = user_get(username="extern") if name == "Erik Sterman" else None
        if user is not None and Person.objects.filter(user=user).exists():
            person = Person.objects.get(user=user)
        else:
            if user is not None and user.get_full_name() != name:
                user = None
            person = _person(
                name=name,
                organisation=institutions.get(abbr) if abbr else None,
                today=today,
                user=user,
            )
        if not hasattr(person, "pool_expert"):
            services.pool_expert_add(
                person=person,
                disciplines=[disciplines[k] for k in keys if k in disciplines],
                availability_confirmed_on=_months_ago(today, months),
                actor=actor,
            )
        pool += 1

    candidates = 0
    for name, keys, months, declaration, notes in CANDIDATES:
        person = _person(name=name, organisation=None, today=today)
        if not hasattr(person, "candidate"):
            services.candidate_add(
                person=person,
                disciplines=[disciplines[k] for k in keys if k in disciplines],
                availability_confirmed_on=_months_ago(today, months),
                notes=notes,
                actor=actor,
            )
            if declaration:
                services.interest_declaration_add(
                    person=person,
                    text=declaration,
                    declared_on=_months_ago(today, months) or today,
                    actor=actor,
                )
        candidates += 1

    groups = {g.key: g for g in PopulationGroup.objects.all()}
    circles = 0
    for name, lead, keys, hours, contact_username in CIRCLES:
        circle = selectors.practice_circle_list(active_only=False).filter(name=name).first()
        if circle is None:
            lead_org = _organisation(lead, "", OrganisationKind.CIVIL_SOCIETY, "", True)
            contact = None
            confirmed = None
            if contact_username:
                user = user_get(username=contact_username)
                if user is not None:
                    contact = Person.objects.filter(user=user).first() or _person(
                        name=user.get_full_name() or contact_username,
                        organisation=lead_org,
                        today=today,
                        user=user,
                    )
                    confirmed = _months_ago(today, 1)
            elif name in CIRCLE_CONTACTS:
                contact_name, months = CIRCLE_CONTACTS[name]
                contact = _person(name=contact_name, organisation=lead_org, today=today)
                confirmed = _months_ago(today, months)
            services.practice_circle_create(
                data=services.CircleData(
                    name=name,
                    lead_organisation=lead_org,  # type: ignore[arg-type]
                    response_hours=hours,
                    description="Demo: een verzonnen kring met een fictieve trekker (synthetisch).",
                    contact=contact,
                    groups=[groups[k] for k in keys if k in groups],
                    contact_confirmed_on=confirmed,
                    is_synthetic=True,
                ),
                actor=actor,
            )
        circles += 1
    return {
        "committee": members,
        "pool": pool,
        "candidates": candidates,
        "circles": circles,
        "flagged": sum(1 for row in selectors.coverage(today=today) if row.flagged),
    }
