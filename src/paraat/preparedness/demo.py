"""Demo data of paraat.preparedness.

**Real** (seed 003, Kamerbrief and beslisnota's "MIT in waakstand", 2026): the establishment
decree of the MIT ran from 1 September 2022 to 31 August 2024; the MIT is then in standby at
SCP (so the mode history starts with standby on 1 September 2024); in standby it meets at least
once a year; SZW pays SCP about €70k a year for the standby tasks; SZW, OCW and BZK each pay
€50k a year for the first five years of the knowledge base on societal resilience; the decision
to set up a new committee is the minister of SZW's, after which the council of ministers
adopts the establishment decree. These are the funding streams, their budget amounts and the
playbook's minister element.

**Synthetic** (labelled ``is_synthetic``): the meetings with their agenda, minutes and
attendance, the playbook texts beyond the facts above, the review dates (one overdue on
purpose), the playbook actions and all realisations (spending). The first year of the
knowledge-base streams is not in the seed: 2026 is assumed and the budget lines say so.

Idempotent (every row is looked up before it is made) and fast. People come from the network
demo (``paraat.network.selectors.committee_on``); without them the meetings have no attendance
and the sections no owner.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from paraat.accounts.selectors import user_get
from paraat.network import selectors as network_selectors
from paraat.network.models import Person
from paraat.preparedness import selectors, services
from paraat.preparedness.models import (
    AttendanceRole,
    BudgetLine,
    FundingStream,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ModeChange,
    PlaybookAction,
    PlaybookElement,
    PlaybookSection,
    Presence,
    Realisation,
)

SEED = "seed 003 (Kamerbrief en beslisnota's MIT in waakstand, 2026)"
STANDBY_SINCE = dt.date(2024, 9, 1)
SYNTHETIC = "(synthetisch)"

DECREE_TEMPLATE = "\n".join(
    (
        "Besluit van {{ datum }} tot instelling van de Commissie Maatschappelijk Impact Team",
        "",
        "{{ minister }},",
        "",
        "Gelet op {{ aanleiding }};",
        "",
        "Besluit:",
        "",
        "Artikel 1. Er is een Commissie Maatschappelijk Impact Team (MIT).",
        "",
        "Artikel 2. De commissie adviseert, gevraagd en ongevraagd, over de sociaal-"
        "maatschappelijke en economische gevolgen van crisismaatregelen, parallel aan het OMT.",
        "",
        "Artikel 3. Samenstelling.",
        "Voorzitter: {{ voorzitter }}",
        "Leden:",
        "{{ leden }}",
        "Expertleden (zonder stemrecht):",
        "{{ expertleden }}",
        "",
        "Artikel 4. Het secretariaat wordt gevormd door {{ secretariaat }}.",
        "",
        "Artikel 5. Dit besluit vervalt na {{ looptijd }}, op {{ einddatum }}.",
        "",
        "(Synthetische modeltekst voor de demo; geen vastgestelde tekst.)",
    )
)

# element: (title, owner role, months until review (negative: overdue), text)
SECTIONS: tuple[tuple[str, str, str, int, str], ...] = (
    (
        PlaybookElement.MINISTER,
        "Verantwoordelijke minister en ministerie",
        "cpo",
        8,
        "De minister van SZW is verantwoordelijk; het besluit om een Commissie MIT in te "
        "stellen is altijd aan de minister van SZW, waarna de ministerraad het "
        "instellingsbesluit vaststelt (seed 003). Het MIT in waakstand kan een signaal "
        "overbrengen aan de SG van SZW.",
    ),
    (
        PlaybookElement.ORGANISATION,
        "Organisatie: commissie, expertleden, secretariaat",
        "cpo",
        6,
        "Voorzitter, leden met stemrecht, expertleden namens CPB, SCP, PBL, SER en de "
        "gedragsunit van het RIVM (adviseren zonder stem) en een secretariaat. " + SYNTHETIC,
    ),
    (
        PlaybookElement.QUARTERMASTER,
        "Kwartiermakersorganisatie",
        "secretariat",
        -1,
        "De CPO treedt op als kwartiermaker; stappenplan voor de eerste twee weken. " + SYNTHETIC,
    ),
    (
        PlaybookElement.HOUSING,
        "Huisvesting en bedrijfsvoering",
        "secretariat",
        10,
        "Het MIT in waakstand is ondergebracht bij het SCP (seed 003); huisvesting, ICT en "
        "archief bij activering via het SCP. " + SYNTHETIC,
    ),
    (
        PlaybookElement.FIXED_EXPERTS,
        "Vaste expertleden",
        "cpo",
        11,
        "Eén expertlid per planbureau of instituut, met plaatsvervanger. " + SYNTHETIC,
    ),
    (
        PlaybookElement.LEGAL_CONSTRUCT,
        "Juridische constructie",
        "cpo",
        9,
        "Instelling bij besluit van de minister van SZW, vastgesteld via de ministerraad "
        "(seed 003); looptijd, vergoedingen en geheimhouding in het besluit. " + SYNTHETIC,
    ),
    (
        PlaybookElement.DECREE_TEMPLATE,
        "Model-instellingsbesluit",
        "secretariat",
        12,
        DECREE_TEMPLATE,
    ),
    (
        PlaybookElement.SECONDMENTS,
        "Detacheringsafspraken met ministeries",
        "secretariat",
        5,
        "Afspraken met SZW, OCW en BZK over detachering naar het secretariaat binnen twee "
        "weken na activering. " + SYNTHETIC,
    ),
    (
        PlaybookElement.ACTIVATION,
        "Activeringscriteria en signaal",
        "cpo",
        7,
        "Criteria: schaal, verwachte duur, mogelijke impact van maatregelen, OMT actief, "
        "collectief bindende maatregelen in overweging. " + SYNTHETIC,
    ),
)

MEETINGS: tuple[dict[str, Any], ...] = (
    {
        "title": "Jaarlijks overleg MIT in waakstand 2025 (synthetisch)",
        "date": dt.date(2025, 6, 12),
        "agenda": [
            "Opening en vaststelling agenda",
            "Stand van het draaiboek: eigenaren en herziendata",
            "Expertises voor een toekomstige commissie: de kaartenbak",
            "Oefening najaar: scenario en deelnemers",
            "Jaarverslag en begroting",
        ],
        "minutes": "Synthetisch verslag. De CPO licht de stand van het draaiboek toe; de "
        "sectie kwartiermakersorganisatie wordt herzien. Afgesproken: een oefening in het "
        "najaar en een actualisatie van de kaartenbak.",
        "approved_on": dt.date(2025, 9, 1),
        "presence": {
            "cpo": Presence.PRESENT,
            "secretariat": Presence.PRESENT,
            "expert_member": Presence.REMOTE,
            "chair": Presence.ABSENT,
        },
    },
    {
        "title": "Jaarlijks overleg MIT in waakstand 2026 (synthetisch)",
        "date": dt.date(2026, 5, 20),
        "agenda": [
            "Opening",
            "Kamerbrief MIT in waakstand en bestuurlijke afspraken SZW-SCP",
            "Lessen uit de oefening: acties op het draaiboek",
            "Kennisbasis maatschappelijke weerbaarheid",
        ],
        "minutes": "Synthetisch verslag (concept). De bestuurlijke afspraken worden "
        "besproken; lessen uit de oefening worden acties op het draaiboek.",
        "approved_on": None,
        "presence": {
            "cpo": Presence.PRESENT,
            "secretariat": Presence.PRESENT,
            "expert_member": Presence.PRESENT,
            "chair": Presence.REMOTE,
        },
    },
)

# (name, funder, recipient, purpose, source, [(year, amount, note)])
STREAMS: tuple[tuple[str, str, str, str, str, list[tuple[int, str, str]]], ...] = (
    (
        "MIT in waakstand: taken (SZW)",
        "Ministerie van SZW",
        "SCP",
        "Uitvoering van de taken van het MIT in waakstand: draaiboek, expertises, "
        "vergaderen, oefenen, jaarlijkse verantwoording.",
        SEED + ": 'SZW zal jaarlijks ca. €70k betalen aan het SCP voor het uitvoeren van de "
        "taken.'",
        [(y, "70000", "ca. €70k per jaar (seed 003)") for y in (2025, 2026, 2027, 2028, 2029)],
    ),
    *(
        (
            f"Kennisbasis maatschappelijke weerbaarheid ({ministry})",
            f"Ministerie van {ministry}",
            "SCP",
            "Opbouw van de kennisbasis maatschappelijke weerbaarheid: maatschappelijk beeld "
            "en kennisbibliotheek.",
            SEED + ": 'SZW, OCW en BZK zullen de eerste vijf jaar een deel van deze bredere "
            "kennisbasis bekostigen (€50k per departement per jaar).'",
            [
                (y, "50000", "€50k per jaar (seed 003); startjaar 2026 aangenomen")
                for y in (2026, 2027, 2028, 2029, 2030)
            ],
        )
        for ministry in ("SZW", "OCW", "BZK")
    ),
)

# (stream index, date, amount, description) — all synthetic
REALISATIONS = (
    (0, dt.date(2025, 3, 31), "15250.00", "CPO en secretaris, eerste kwartaal (synthetisch)"),
    (0, dt.date(2025, 6, 30), "17800.00", "CPO en secretaris, tweede kwartaal (synthetisch)"),
    (0, dt.date(2025, 9, 30), "16100.00", "CPO, secretaris en oefening (synthetisch)"),
    (0, dt.date(2025, 12, 31), "19900.00", "Vierde kwartaal en jaarverslag (synthetisch)"),
    (0, dt.date(2026, 3, 31), "16400.00", "CPO en secretaris, eerste kwartaal (synthetisch)"),
    (0, dt.date(2026, 6, 30), "18350.00", "Tweede kwartaal, jaarlijks overleg (synthetisch)"),
    (1, dt.date(2026, 6, 30), "21000.00", "Indicatorenset maatschappelijk beeld (synthetisch)"),
    (2, dt.date(2026, 6, 30), "12500.00", "Kennisbibliotheek: onderwijs (synthetisch)"),
    (3, dt.date(2026, 6, 30), "9800.00", "Kennisbibliotheek: gemeenten (synthetisch)"),
)

ACTIONS = (
    (
        "Kwartiermakersorganisatie: stappenplan eerste twee weken uitwerken",
        PlaybookElement.QUARTERMASTER,
        "Jaarlijks overleg 2025 (synthetisch)",
        3,
    ),
    (
        "Detacheringsafspraken: contactpersonen bij OCW en BZK bevestigen",
        PlaybookElement.SECONDMENTS,
        "Jaarlijks overleg 2026 (synthetisch)",
        -1,
    ),
)


def _add_months(day: dt.date, months: int) -> dt.date:
    from paraat_core.cadence import Interval, add_interval

    if months >= 0:
        return add_interval(day, Interval(months=months))
    return day - dt.timedelta(days=30 * -months)


def _people(today: dt.date) -> dict[str, Person]:
    """The first current person per committee role (``cpo``, ``secretariat``, ``chair`` …)."""
    found: dict[str, Person] = {}
    for membership in network_selectors.committee_on(on=today):
        found.setdefault(membership.role, membership.person)
    return found


@transaction.atomic
def preparedness_demo_load() -> dict[str, object]:
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    actor = user_get(username="cpo")
    people = _people(today)
    summary: dict[str, object] = {}

    if not ModeChange.objects.exists():
        services.mode_set(
            mode="standby",
            reason="Het instellingsbesluit van het MIT liep van 1 september 2022 tot 31 augustus "
            "2024; daarna is het MIT in waakstand gebracht, ondergebracht bij het SCP (seed 003).",
            actor=actor,
            at=dt.datetime.combine(STANDBY_SINCE, dt.time(0, 0), tzinfo=tz),
        )
    summary["mode"] = selectors.current_mode().mode

    sections = 0
    for element, title, owner_role, months, text in SECTIONS:
        if PlaybookSection.objects.filter(element=element).exists():
            continue
        services.playbook_section_create(
            element=element,
            title=title,
            owner=people.get(owner_role),
            review_due_on=_add_months(today, months),
            text=text,
            actor=actor,
            is_synthetic=True,
        )
        sections += 1
    summary["playbook_sections"] = sections

    meetings = 0
    for spec in MEETINGS:
        start = dt.datetime.combine(spec["date"], dt.time(10, 0), tzinfo=tz)
        if spec["date"] > today or Meeting.objects.filter(title=spec["title"]).exists():
            continue
        meeting = services.meeting_create(
            data=services.MeetingData(
                title=spec["title"],
                kind=MeetingKind.STANDBY,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                location="SCP, Den Haag",
                agenda=spec["agenda"],
                is_synthetic=True,
            ),
            actor=actor,
        )
        services.meeting_status_set(meeting=meeting, status=MeetingStatus.HELD, actor=actor)
        minutes = services.minutes_save(meeting=meeting, text=spec["minutes"], actor=actor)
        if spec["approved_on"] is not None and spec["approved_on"] <= today:
            services.minutes_approve(minutes=minutes, approved_on=spec["approved_on"], actor=actor)
        for role, presence in spec["presence"].items():
            person = people.get(role)
            if person is not None:
                services.attendance_record(
                    meeting=meeting,
                    person=person,
                    presence=presence,
                    role=role if role in AttendanceRole.values else AttendanceRole.GUEST,
                    actor=actor,
                )
        meetings += 1
    summary["meetings"] = meetings

    actions = 0
    for title, element, source, months in ACTIONS:
        if PlaybookAction.objects.filter(title=title).exists():
            continue
        services.playbook_action_create(
            title=title,
            description="",
            source=source,
            section=selectors.playbook_section_for(element=element),
            due_on=_add_months(today, months),
            actor=actor,
            is_synthetic=True,
        )
        actions += 1
    summary["actions"] = actions

    streams: list[FundingStream] = []
    for name, funder, recipient, purpose, source, lines in STREAMS:
        stream = FundingStream.objects.filter(name=name).first()
        if stream is None:
            stream = services.funding_stream_create(
                name=name,
                funder=funder,
                recipient=recipient,
                purpose=purpose,
                source=source[:300],
                starts_on=STANDBY_SINCE if "taken" in name else dt.date(2026, 1, 1),
                actor=actor,
            )
        for year, amount, note in lines:
            if not BudgetLine.objects.filter(stream=stream, year=year).exists():
                services.budget_line_create(
                    stream=stream,
                    year=year,
                    amount=Decimal(amount),
                    description=note,
                    source="seed 003",
                    actor=actor,
                )
        streams.append(stream)
    for index, date, amount, description in REALISATIONS:
        if date > today:
            continue
        stream = streams[index]
        if not Realisation.objects.filter(
            stream=stream, date=date, description=description
        ).exists():
            services.realisation_create(
                stream=stream,
                amount=Decimal(amount),
                date=date,
                description=description,
                actor=actor,
                is_synthetic=True,
            )
    summary["funding_streams"] = len(streams)
    return summary
