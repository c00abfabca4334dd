"""Demo data for the advice process: the January 2023 request on travellers from China
replayed through the services, and one synthetic request that is still running.

**The China replay (published, with the cabinet's response and follow-up).** Real, from the
evaluation of the MIT (AEF 2024, par. 3.3.2 and 4.1.1, seed 001): on 4 January 2023 the
ministry of SZW asked the MIT for advice on two measures for travellers from China (a face mask
on flights between the EU and China, a pre-departure test); the same question went to the OMT;
the MIT gathered information for two days (studies, media, the cabinet's long-term policy, the
WRR's handreiking); its advice 'EU-Maatregelen voor reizigers vanuit China' is dated 5 January
2023 and went to parliament on 6 January 2023 with the letter holding the cabinet's decision,
which adopted it (EU harmonisation; the measures concern all travellers from China, not a
population group); the OMT saw limited epidemiological added value; the measures ended on 24
February 2023 (letter of 23 February 2023, from the catalog's sources). Everything else is
**synthetic** and labelled so: the hours within those days, the wording of the request and the
advice text, the input of the fictional expert member and practice circle, the comments, the
votes and the minority position, the expert member's reflection and the parliamentary
questions. The request is ``is_synthetic`` and its title ends in "(synthetisch)", so the
library item its publication creates is labelled too.

**The running request ("Sluiting scholen bij variant X (synthetisch)").**  Wholly invented,
timed relative to the moment of loading: received 38 hours earlier (10 hours left of its 48),
input answered, a merged concurrent edit, an open task, and an open rapid vote in which two of
the four people with voting rights have not yet voted, so the staff pages, the countdown and
``paraat advice remind`` have something to show.

**Times.**  The replay runs on a *replay clock*: while it runs, ``django.utils.timezone.now``
returns the moment of the step being replayed, so the status history, votes, versions,
dispatch and publication carry consistent historic times and the timeline shows where the
hours went.  The audit trail is not affected (django-auditlog stamps its rows with the real
time).  The replay sends no advice e-mail: the people are fictional (the knowledge library
still flags a fiche for review when a new signal concerns its measure, and says so by mail).
The clock is patched for the duration of the call only; load the demo from a command
(``paraat demo``), not from a running web process.

Idempotent: a request whose key exists is left alone.  Needs the demo people
(``paraat.web.demo.DEMO_PEOPLE``); uses the taxonomies, the NL catalog (without it the requests
have no options), the example assessments and the knowledge library when loaded (``paraat
demo`` loads them first).  The dispatch renders the signed version with
``advice.documents.revision_document`` (PDF and Word), as the dispatch job does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from paraat.accounts.models import Confidentiality, User
from paraat.advice import dossier, notifications, services
from paraat.advice.models import AdviceRequest, DecisionMode, RecipientKind, Section
from paraat.assessments.models import Assessment
from paraat.evidence import services as evidence_services
from paraat.evidence.models import EvidenceItem
from paraat.measures import selectors as measure_selectors
from paraat.measures import services as measure_services
from paraat.measures.models import Package, PackageKind
from paraat.taxonomies.models import PopulationGroup

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CHINA_KEY = "eu-maatregelen-reizigers-china-2023"
SCHOOLS_KEY = "sluiting-scholen-variant-x"
PEOPLE = ("cpo", "voorzitter", "lid", "lid2", "lid3", "expert", "extern", "kring", "szw")
SYNTHETIC = " (synthetisch)"
AEF = "AEF (2024), Evaluatie Maatschappelijk Impact Team, par. 3.3.2 en 4.1.1"


def _jan(day: int, hour: int, minute: int = 0, month: int = 1) -> dt.datetime:
    return dt.datetime(2023, month, day, hour, minute, tzinfo=AMSTERDAM)


# --- the replay clock ---------------------------------------------------------------------------


class ReplayClock:
    """The moment the replay is at; it only moves forward."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def at(self, moment: dt.datetime) -> dt.datetime:
        if moment < self.now:
            raise ValueError(f"the replay clock cannot go back from {self.now} to {moment}")
        self.now = moment
        return moment


@contextmanager
def replay_clock(start: dt.datetime) -> Iterator[ReplayClock]:
    """``timezone.now()`` returns the clock's moment, and no advice e-mail is sent, inside."""
    clock = ReplayClock(start)
    real_now: Callable[[], dt.datetime] = timezone.now
    real_send = notifications._send

    def no_mail(subject: str, body: str, recipients: Any) -> None:
        return None

    timezone.now = lambda: clock.now  # type: ignore[assignment]
    notifications._send = no_mail  # type: ignore[assignment]
    try:
        yield clock
    finally:
        timezone.now = real_now  # type: ignore[assignment]
        notifications._send = real_send  # type: ignore[assignment]


# --- helpers ------------------------------------------------------------------------------------


def _people() -> dict[str, User]:
    found = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    missing = [name for name in PEOPLE if name not in found]
    if missing:
        raise RuntimeError(
            "the advice demo needs the demo people (paraat.web.demo.demo_users_create); "
            f"missing: {', '.join(missing)}"
        )
    return found


def _option_package(
    *, actor: User, key: str, name: str, description: str, measures: list[str], **kw: Any
) -> Package | None:
    """An option package of catalog measures (created once; ``None`` without the catalog)."""
    existing = measure_selectors.package_get(user=actor, key=key)
    if existing is not None:
        return existing
    netherlands = measure_selectors.jurisdiction_netherlands()
    known = set(
        measure_selectors.measure_list(user=actor)
        .filter(key__in=measures)
        .values_list("key", flat=True)
    )
    if netherlands is None or known != set(measures):
        return None
    return measure_services.package_create(
        data=measure_services.PackageData(
            key=key,
            name_nl=name,
            jurisdiction=netherlands,
            description_nl=description,
            kind=PackageKind.OPTION,
            items=tuple(measure_services.PackageItemData(measure_key=m) for m in measures),
            **kw,
        )
    )


def _assessment(key: str) -> Assessment | None:
    return Assessment.objects.filter(key=key).first()


def _groups(*keys: str) -> list[PopulationGroup]:
    return list(PopulationGroup.objects.filter(key__in=keys))


def _evidence(ref: str) -> EvidenceItem | None:
    return EvidenceItem.objects.filter(ref=ref).first()


def _label_synthetic(item: EvidenceItem | None) -> None:
    """Library items made from synthetic input say so in their title, like the rest of the
    demo library (``input_response_submit`` names the request but adds no label)."""
    if item is None or not item.is_synthetic or item.title.endswith(SYNTHETIC.strip()):
        return
    data = evidence_services.evidence_data_from_item(item)
    evidence_services.evidence_update(
        item=item, data=dataclasses.replace(data, title=(item.title[:480] + SYNTHETIC))
    )


def _ask(
    *,
    request: AdviceRequest,
    actor: User,
    kind: str,
    person: User,
    organisation: str,
    question: str,
    deadline: dt.datetime,
) -> Any:
    row, _token = services.input_request_create(
        request=request,
        data=services.InputRequestData(
            recipient_kind=kind,
            recipient=person,
            recipient_name=person.get_full_name() or person.username,
            recipient_email=person.email or f"{person.username}@example.org",
            organisation=organisation,
            question=question,
            deadline=deadline,
        ),
        actor=actor,
    )
    return row


def _answer(*, input_request: Any, user: User, **fields: Any) -> None:
    response = services.input_response_submit(
        input_request=input_request, data=services.ResponseData(**fields), user=user
    )
    _label_synthetic(response.evidence)


def _documents(request: AdviceRequest, *, embargo_until: dt.datetime, note: str) -> dict[str, Any]:
    """PDF and Word of the signed version, as the dispatch page makes them."""
    from paraat.advice.documents import revision_document

    sign_off = request.sign_offs.order_by("-at").first()
    assert sign_off is not None, "the chair signs before the dispatch"
    return {
        fmt: revision_document(
            request=request,
            revision=sign_off.revision,
            fmt=fmt,
            embargo_until=embargo_until,
            embargo_note=note,
        )
        for fmt in ("pdf", "docx")
    }


# --- the China replay ---------------------------------------------------------------------------

CHINA_QUESTION = (
    "Welke sociaal-maatschappelijke en economische gevolgen hebben de maatregelen voor reizigers "
    "vanuit China die in EU-verband worden besproken (een mondneusmasker op vluchten tussen de "
    "EU en China en een testverplichting vóór vertrek vanuit China naar Nederland, ook voor wie "
    "gevaccineerd of recent hersteld is), en wat adviseert het MIT? (Parafrase, synthetisch: de "
    "letterlijke adviesvraag staat niet in de bron.)"
)
CHINA_NOTE = (
    "Nagebouwd voorbeeld (synthetisch). Echt zijn de data en de hoofdlijn (" + AEF + "): de "
    "vraag van SZW op 4 januari 2023, het advies van 5 januari, de verzending aan de Kamer met "
    "het kabinetsbesluit op 6 januari en de doorwerking. De formulering, de tijdstippen, de "
    "inbreng, de stemmen en het minderheidsstandpunt zijn verzonnen."
)
CHINA_ADVICE = (
    "1. Voer de reismaatregelen voor reizigers vanuit China (een mondneusmasker op vluchten "
    "tussen de EU en China en een test vóór vertrek) in, in het kader van EU-harmonisatie.\n"
    "2. Mitigeer negatieve beeldvorming over en uitsluiting van Chinese en Aziatische "
    "Nederlanders: maak duidelijk dat de maatregelen alle reizigers vanuit China betreffen, niet "
    "een bevolkingsgroep."
)
CHINA_REASONING = (
    "Het MIT beoordeelt beide maatregelen als relatief licht. Het woog:\n"
    "- de maatregelen raken slechts een kleine groep reizigers;\n"
    "- goederenvervoer valt erbuiten, dus de economische schade is beperkt;\n"
    "- zonder de maatregelen nemen andere EU-landen ze wel en wijken reizigers mogelijk uit naar "
    "Nederland, met onrust en negatieve beeldvorming als gevolg;\n"
    "- invoering kan de diplomatieke relatie met China verslechteren;\n"
    "- invoering kan leiden tot negatieve beeldvorming en uitsluiting van Chinese en Aziatische "
    "Nederlanders.\n\n"
    "Het OMT ziet vanuit epidemiologisch perspectief beperkte meerwaarde; het belang van "
    "geharmoniseerd EU-beleid weegt voor het MIT zwaarder. Bronnen: onderzoek, media, het "
    "langetermijnbeleid van het kabinet en de handreiking van de WRR [@wrr-2022-coronascenarios-"
    "doordacht]."
)
CHINA_MINORITY = (
    "Eén lid (fictief) vindt dat de beperkte epidemiologische meerwaarde zwaarder moet wegen dan "
    "EU-harmonisatie en adviseert de maatregelen niet in te voeren (synthetisch)."
)


def _china(people: dict[str, User], clock: ReplayClock) -> AdviceRequest:
    cpo, chair, szw, expert = people["cpo"], people["voorzitter"], people["szw"], people["expert"]
    members = [people["lid"], people["lid2"], people["lid3"]]
    public = {"confidentiality": Confidentiality.PUBLIC, "source": AEF}
    description = "Optie in het MIT-advies van 5 januari 2023 (" + AEF + ")."
    options = [
        _option_package(
            actor=cpo,
            key="china-2023-mondneusmasker",
            name="(a) Mondneusmasker op vluchten tussen de EU en China",
            description=description,
            measures=["masks-flights-eu-china"],
            **public,
        ),
        _option_package(
            actor=cpo,
            key="china-2023-test-voor-vertrek",
            name="(b) Testverplichting voor vertrek vanuit China",
            description=description,
            measures=["pre-departure-test-china"],
            **public,
        ),
        _option_package(
            actor=cpo,
            key="china-2023-pakket",
            name="(c) Mondneusmasker en test vóór vertrek in EU-verband (kabinetsbesluit)",
            description=description,
            measures=["masks-flights-eu-china", "pre-departure-test-china"],
            **public,
        ),
    ]
    request = services.advice_request_create(
        data=services.RequestData(
            key=CHINA_KEY,
            title="EU-maatregelen voor reizigers vanuit China, nagebouwd" + SYNTHETIC,
            question=CHINA_QUESTION,
            requester="sg_szw",
            requester_name="Secretaris-generaal van SZW",
            kind="urgent",
            received_at=clock.at(_jan(4, 9)),
            options=[o for o in options if o is not None],
            assessment=_assessment("china-travel-2023"),
            omt_reference="Adviesaanvraag aan het OMT over reizigers uit China (januari 2023)",
            is_synthetic=True,
        ),
        actor=szw,
    )
    clock.at(_jan(4, 9, 20))
    services.information_item_add(
        request=request,
        actor=cpo,
        title="Adviesaanvraag van SZW aan het MIT en het OMT (nagebouwd, synthetisch)",
        received_at=_jan(4, 9),
    )
    wrr = _evidence("wrr-2022-coronascenarios-doordacht")
    if wrr is not None:
        services.information_item_add(
            request=request, actor=cpo, title=wrr.title, evidence=wrr, received_at=_jan(4, 9, 20)
        )
    clock.at(_jan(4, 9, 40))
    services.omt_document_add(
        request=request,
        actor=cpo,
        title="Oordeel van het OMT, samengevat (nagebouwd, synthetisch)",
        body=(
            "Samenvatting uit de evaluatie, geen OMT-tekst: vanuit epidemiologisch perspectief "
            "beperkte meerwaarde van reismaatregelen, daarom vanuit dat perspectief geen positief "
            "advies; wel het belang van geharmoniseerd EU-beleid (" + AEF + ")."
        ),
    )
    services.omt_access_grant(
        request=request,
        actor=cpo,
        grantee=chair,
        reason="Afstemming van de voorzitters over deze aanvraag (synthetisch)",
        valid_until=_jan(6, 18),
    )
    clock.at(_jan(4, 10))
    ask_expert = _ask(
        request=request,
        actor=cpo,
        kind=RecipientKind.EXPERT_MEMBER,
        person=expert,
        organisation=expert.organisation,
        question="Welke gevolgen verwacht u voor groepen in Nederland, en hoe zeker is dat?",
        deadline=_jan(4, 18),
    )
    ask_circle = _ask(
        request=request,
        actor=cpo,
        kind=RecipientKind.PRACTICE_CIRCLE,
        person=people["kring"],
        organisation="Praktijkkring reizen en ondernemers (fictief)",
        question="Welke signalen ziet u bij reizigers en ondernemers met handel met China?",
        deadline=_jan(4, 18),
    )
    ask_pool = _ask(
        request=request,
        actor=cpo,
        kind=RecipientKind.POOL_EXPERT,
        person=people["extern"],
        organisation=people["extern"].organisation,
        question="Wat weet u over uitwijkgedrag van reizigers bij ongelijke EU-maatregelen?",
        deadline=_jan(4, 18),
    )
    clock.at(_jan(4, 15, 30))
    _answer(
        input_request=ask_circle,
        user=people["kring"],
        signal=(
            "Ondernemers verwachten weinig schade: goederenvervoer valt buiten de maatregelen. "
            "Reizigers vragen vooral duidelijkheid over waar en wanneer zij moeten testen "
            "(synthetisch)."
        ),
        severity="low",
        interests_status="declared",
        declared_interests="De kring spreekt namens ondernemers in reizen en handel (fictief).",
        groups=_groups("travellers", "entrepreneurs"),
        direction="negative",
        source="Rondgang onder aangesloten organisaties (synthetisch)",
    )
    clock.at(_jan(4, 17))
    _answer(
        input_request=ask_expert,
        user=expert,
        signal=(
            "De maatregelen raken weinig mensen direct, maar kunnen negatieve beeldvorming over "
            "Chinese en Aziatische Nederlanders versterken; de zekerheid daarover is laag "
            "(synthetisch)."
        ),
        severity="moderate",
        interests_status="none",
        groups=_groups("ethnic-minorities"),
        direction="negative",
        source="Kennisnotitie van het expertlid (synthetisch)",
    )
    clock.at(_jan(4, 19))
    services.input_request_revoke(input_request=ask_pool, actor=cpo)
    built = dossier.dossier_build(request=request, user=cpo)
    skeleton = dossier.skeleton(built)
    services.advice_revision_save(
        request=request,
        sections=skeleton,
        base_number=None,
        actor=cpo,
        note="Opzet uit het dossier",
    )
    clock.at(_jan(4, 21))
    text = {
        **skeleton,
        Section.SUMMARY: CHINA_NOTE
        + "\n\nHet MIT adviseert de reismaatregelen in te voeren in het kader van "
        "EU-harmonisatie en negatieve beeldvorming en uitsluiting te mitigeren.",
        Section.ADVICE: CHINA_ADVICE,
        Section.REASONING: CHINA_REASONING + "\n\n" + skeleton[Section.REASONING],
    }
    second = services.advice_revision_save(
        request=request, sections=text, base_number=1, actor=cpo, note="Eerste tekst"
    )
    task = services.assignment_create(
        request=request,
        actor=cpo,
        assignee=members[0],
        task="Vul de sectie per groep aan met de signalen uit de kring",
        section=Section.GROUPS,
        due=_jan(4, 23),
    )
    clock.at(_jan(4, 21, 30))
    services.advice_transition(
        request=request, to="feedback", actor=cpo, note="Feedbackronde tot 5 januari 08.00"
    )
    clock.at(_jan(4, 22))
    thread = services.comment_add(
        request=request,
        actor=members[2],
        section=Section.REASONING,
        body="De beperkte epidemiologische meerwaarde weegt voor mij zwaarder (synthetisch).",
    )
    services.comment_add(
        request=request,
        actor=chair,
        section=Section.REASONING,
        thread=thread,
        body="Dan nemen we dit op als minderheidsstandpunt.",
    )
    clock.at(_jan(4, 22, 30))
    services.assignment_done(assignment=task, actor=members[0])
    # Two people edit at once, both from version 2: the section-wise merge keeps both.
    clock.at(_jan(4, 22, 40))
    services.advice_revision_save(
        request=request,
        sections={
            **second.sections,
            Section.GROUPS: skeleton[Section.GROUPS]
            + "\n\nDe kring meldt vooral vragen over testen; ondernemers verwachten weinig schade.",
        },
        base_number=2,
        actor=members[0],
        note="Per groep aangevuld",
    )
    clock.at(_jan(4, 22, 45))
    services.advice_revision_save(
        request=request,
        sections={
            **second.sections,
            Section.DILEMMAS: (
                "EU-harmonisatie tegenover de beperkte epidemiologische meerwaarde (OMT); de "
                "diplomatieke relatie met China."
            ),
            Section.MINORITY: CHINA_MINORITY,
        },
        base_number=2,
        actor=chair,
        note="Dilemma's en minderheidsstandpunt",
    )
    clock.at(_jan(5, 8, 30))
    services.comment_add(
        request=request,
        actor=cpo,
        section=Section.REASONING,
        thread=thread,
        body="Opgenomen in versie 4.",
        resolve=True,
    )
    services.advice_transition(request=request, to="final_draft", actor=cpo)
    clock.at(_jan(5, 9))
    round_ = services.decision_round_open(request=request, actor=cpo, closes_at=_jan(5, 13))
    votes = [
        (chair, "agree", ""),
        (members[0], "agree", ""),
        (members[1], "agree_reservations", "Mits de communicatie vooraf wordt afgestemd."),
        (members[2], "disagree", "De epidemiologische meerwaarde is te beperkt."),
        (expert, "agree_reservations", "De zekerheid over uitwijkgedrag is laag."),
    ]
    for minute, (voter, choice, reason) in enumerate(votes):
        clock.at(_jan(5, 10, minute * 10))
        services.vote_cast(round_=round_, voter=voter, answers=[services.Answer(choice, reason)])
    clock.at(_jan(5, 13))
    services.decision_round_close(round_=round_, actor=chair, minority_position=CHINA_MINORITY)
    clock.at(_jan(5, 13, 30))
    services.advice_transition(
        request=request,
        to="alignment",
        actor=chair,
        note="Afstemming voorzitters OMT, responsteam en MIT (tijdstip synthetisch)",
    )
    clock.at(_jan(5, 15))
    services.advice_sign_off(request=request, actor=chair)
    clock.at(_jan(5, 16))
    embargo_until = _jan(6, 16)
    note = "Tot het ministerie het advies met het kabinetsbesluit aan de Tweede Kamer stuurt."
    services.advice_dispatch(
        request=request,
        actor=chair,
        recipient="Secretaris-generaal van SZW",
        embargo_until=embargo_until,
        embargo_note=note,
        documents=_documents(request, embargo_until=embargo_until, note=note),
    )
    clock.at(_jan(6, 16))
    services.advice_publish(request=request, actor=cpo)
    clock.at(_jan(6, 17))
    services.reflection_add(
        request=request,
        actor=expert,
        body=(
            "De afweging is navolgbaar; de onzekerheid over uitwijkgedrag en beeldvorming had "
            "explicieter gemogen (synthetisch)."
        ),
    )
    clock.at(_jan(6, 18))
    services.cabinet_response_record(
        request=request,
        actor=szw,
        data=services.CabinetResponseData(
            date=dt.date(2023, 1, 6),
            title=(
                "Adviezen en besluitvorming naar aanleiding van de epidemiologische situatie met "
                "betrekking tot het coronavirus in China (Kamerbrief)"
            ),
            summary=(
                "Het kabinet neemt het advies over om reismaatregelen in te voeren in het kader "
                "van EU-harmonisatie, en benadrukt dat de maatregelen alle reizigers vanuit China "
                "betreffen, niet een bevolkingsgroep (" + AEF + ")."
            ),
            statuses={
                1: ("adopted", "Overgenomen in het kabinetsbesluit van 6 januari 2023."),
                2: (
                    "adopted",
                    "Opvolging gegeven: de maatregelen betreffen alle reizigers vanuit China.",
                ),
            },
        ),
    )
    clock.at(_jan(12, 10))
    services.follow_up_add(
        request=request,
        actor=szw,
        kind="questions",
        title="Kamervragen over beeldvorming bij reismaatregelen" + SYNTHETIC,
        date=dt.date(2023, 1, 12),
        note="Verzonnen voorbeeld van opvolging.",
    )
    clock.at(_jan(23, 12, month=2))
    services.follow_up_add(
        request=request,
        actor=szw,
        kind="other",
        title="Kamerbrief: de maatregelen voor reizigers uit China vervallen per 24 februari 2023",
        date=dt.date(2023, 2, 23),
        note="Kamerbrief van de minister van VWS van 23 februari 2023.",
    )
    return request


# --- the running synthetic request ------------------------------------------------------------


def _schools(people: dict[str, User], clock: ReplayClock, start: dt.datetime) -> AdviceRequest:
    cpo, chair, szw, expert = people["cpo"], people["voorzitter"], people["szw"], people["expert"]
    members = [people["lid"], people["lid2"], people["lid3"]]

    def hours(h: float) -> dt.datetime:
        return clock.at(start + dt.timedelta(hours=h))

    internal = {"confidentiality": Confidentiality.INTERNAL, "is_synthetic": True}
    options = [
        _option_package(
            actor=cpo,
            key="variant-x-scholen-dicht",
            name="Variant X: primair en voortgezet onderwijs dicht" + SYNTHETIC,
            description="Synthetische optie voor de demo van het adviesproces.",
            measures=["primary-schools-closed", "secondary-schools-closed"],
            **internal,
        ),
        _option_package(
            actor=cpo,
            key="variant-x-halve-klassen",
            name="Variant X: halve klassen" + SYNTHETIC,
            description="Synthetische optie voor de demo van het adviesproces.",
            measures=["primary-schools-partial", "secondary-schools-partial"],
            **internal,
        ),
    ]
    request = services.advice_request_create(
        data=services.RequestData(
            key=SCHOOLS_KEY,
            title="Sluiting scholen bij variant X" + SYNTHETIC,
            question=(
                "Welke maatschappelijke gevolgen heeft het sluiten van scholen of lesgeven in "
                "halve klassen bij een nieuwe variant X, en voor welke groepen? (synthetisch)"
            ),
            requester="sg_szw",
            requester_name="Secretaris-generaal van SZW",
            kind="urgent",
            received_at=hours(0),
            options=[o for o in options if o is not None],
            assessment=_assessment("school-closure-synthetic"),
            omt_reference="Parallelle OMT-adviesaanvraag over variant X (synthetisch)",
            is_synthetic=True,
        ),
        actor=szw,
    )
    hours(0.5)
    services.information_item_add(
        request=request, actor=cpo, title="Situatiebeeld variant X" + SYNTHETIC
    )
    services.omt_document_add(
        request=request,
        actor=cpo,
        title="Epidemiologische duiding variant X" + SYNTHETIC,
        body="Verzonnen tekst voor de demo: de variant verspreidt zich snel onder kinderen.",
    )
    services.omt_access_grant(
        request=request,
        actor=cpo,
        grantee=chair,
        reason="Afstemming van de voorzitters over deze aanvraag (synthetisch)",
        valid_until=request.deadline + dt.timedelta(days=7),
    )
    hours(1)
    deadline = start + dt.timedelta(hours=20)
    ask_circle = _ask(
        request=request,
        actor=cpo,
        kind=RecipientKind.PRACTICE_CIRCLE,
        person=people["kring"],
        organisation="Praktijkkring onderwijs en jongeren (fictief)",
        question="Welke signalen ziet u bij leerlingen, ouders en scholen?",
        deadline=deadline,
    )
    ask_expert = _ask(
        request=request,
        actor=cpo,
        kind=RecipientKind.EXPERT_MEMBER,
        person=expert,
        organisation=expert.organisation,
        question="Wat is bekend over leerachterstanden na eerdere sluitingen?",
        deadline=deadline,
    )
    _ask(
        request=request,
        actor=cpo,
        kind=RecipientKind.POOL_EXPERT,
        person=people["extern"],
        organisation=people["extern"].organisation,
        question="Welke gevolgen verwacht u voor ouders met vitale beroepen?",
        deadline=deadline,
    )
    hours(12)
    _answer(
        input_request=ask_circle,
        user=people["kring"],
        signal="Ouders en scholen vrezen opnieuw achterstanden en eenzaamheid (synthetisch).",
        severity="high",
        interests_status="none",
        groups=_groups("pupils-students", "young-people"),
        direction="negative",
    )
    hours(16)
    _answer(
        input_request=ask_expert,
        user=expert,
        signal="Halve klassen beperken de achterstanden ten opzichte van sluiting (synthetisch).",
        severity="moderate",
        interests_status="none",
        groups=_groups("pupils-students"),
        direction="mixed",
    )
    hours(18)
    skeleton = dossier.skeleton(dossier.dossier_build(request=request, user=cpo))
    services.advice_revision_save(
        request=request,
        sections=skeleton,
        base_number=None,
        actor=cpo,
        note="Opzet uit het dossier",
    )
    hours(20)
    second = services.advice_revision_save(
        request=request,
        sections={
            **skeleton,
            Section.SUMMARY: (
                "Synthetisch voorbeeld: het MIT weegt sluiting af tegen halve klassen."
            ),
            Section.ADVICE: (
                "1. Kies bij variant X voor halve klassen in plaats van sluiting.\n"
                "2. Zorg voor noodopvang en extra begeleiding van kwetsbare leerlingen."
            ),
        },
        base_number=1,
        actor=cpo,
        note="Eerste tekst",
    )
    hours(21)
    services.advice_transition(request=request, to="feedback", actor=cpo)
    hours(22)
    thread = services.comment_add(
        request=request,
        actor=members[1],
        section=Section.ADVICE,
        body="Wat betekent dit voor het mbo? (synthetisch)",
    )
    services.comment_add(
        request=request,
        actor=cpo,
        section=Section.ADVICE,
        thread=thread,
        body="Nemen we mee in de volgende versie.",
    )
    hours(24)
    services.advice_revision_save(
        request=request,
        sections={
            **second.sections,
            Section.MITIGATION: "Noodopvang voor ouders met vitale beroepen.",
        },
        base_number=2,
        actor=members[0],
        note="Mitigatie aangevuld",
    )
    hours(24.5)
    services.advice_revision_save(
        request=request,
        sections={**second.sections, Section.SUMMARY: second.sections[Section.SUMMARY] + " (v4)"},
        base_number=2,
        actor=chair,
        note="Samenvatting aangescherpt",
    )
    services.assignment_create(
        request=request,
        actor=cpo,
        assignee=members[2],
        task="Vul de dilemma's aan",
        section=Section.DILEMMAS,
        due=request.deadline - dt.timedelta(hours=6),
    )
    hours(30)
    services.advice_transition(request=request, to="final_draft", actor=cpo)
    hours(31)
    round_ = services.decision_round_open(
        request=request,
        actor=cpo,
        mode=DecisionMode.RAPID,
        closes_at=request.deadline - dt.timedelta(hours=2),
        statements=[
            "Halve klassen hebben minder maatschappelijke schade dan sluiting (synthetisch).",
            "Kwetsbare leerlingen hebben bij elke optie extra begeleiding nodig (synthetisch).",
            "Noodopvang is nodig voor ouders met vitale beroepen (synthetisch).",
        ],
    )
    statements = list(round_.statements.order_by("order"))
    hours(32)
    services.vote_cast(
        round_=round_,
        voter=chair,
        answers=[services.Answer("agree", statement=s) for s in statements],
    )
    hours(34)
    services.vote_cast(
        round_=round_,
        voter=members[0],
        answers=[
            services.Answer("agree", statement=statements[0]),
            services.Answer(
                "disagree", "Eerst de bestaande begeleiding benutten.", statement=statements[1]
            ),
            services.Answer("dont_know", statement=statements[2]),
        ],
    )
    hours(35)
    services.vote_cast(
        round_=round_,
        voter=expert,
        answers=[services.Answer("agree", statement=s) for s in statements],
    )
    return request


# --- the loader -------------------------------------------------------------------------------


@transaction.atomic
def advice_demo_load(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Replay the China request and start the running synthetic one (each once).

    ``now`` is the moment the running request is timed against (default: the real time)."""
    summary = {"requests": 0, "published": 0, "in_progress": 0}
    people = _people()
    moment = now or timezone.now()
    if not AdviceRequest.objects.filter(key=CHINA_KEY).exists():
        with replay_clock(_jan(4, 9)) as clock:
            _china(people, clock)
        summary["requests"] += 1
        summary["published"] += 1
    if not AdviceRequest.objects.filter(key=SCHOOLS_KEY).exists():
        start = moment.replace(second=0, microsecond=0) - dt.timedelta(hours=38)
        with replay_clock(start) as clock:
            _schools(people, clock, start)
        summary["requests"] += 1
        summary["in_progress"] += 1
    return summary
