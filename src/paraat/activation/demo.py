"""Demo data of paraat.activation.

* Secondment agreements with four ministries (SZW, VWS, OCW, BZK). The ministries are real
  organisations; the agreements (people, fte, lead times, contacts) are invented and labelled
  synthetic.
* Two synthetic activation cases about an invented new respiratory virus: one signalled to the
  Secretary-General and awaiting the minister's decision (the SZW demo account can record it),
  and one closed earlier because the minister decided not now. The demo does not adopt a
  decree: that would switch the real mode to active and appoint candidates.

Idempotent: a second load adds nothing. Uses the demo account ``cpo`` as the actor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from paraat.accounts.models import User
from paraat.accounts.selectors import user_get
from paraat.activation import documents, selectors, services
from paraat.activation.models import ActivationCase, SecondmentAgreement
from paraat.network import selectors as network_selectors
from paraat.network import services as network_services
from paraat.network.models import Organisation, OrganisationKind

MINISTRIES = (
    ("Ministerie van Sociale Zaken en Werkgelegenheid", "SZW"),
    ("Ministerie van Volksgezondheid, Welzijn en Sport", "VWS"),
    ("Ministerie van Onderwijs, Cultuur en Wetenschap", "OCW"),
    ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "BZK"),
)
# (abbreviation, people, fte, lead time in days, contact, notes)
AGREEMENTS = (
    (
        "SZW",
        3,
        "2.6",
        5,
        "Directie Arbeidsmarkt, HR-adviseur (fictief)",
        "Beleidsmedewerkers en een secretaris.",
    ),
    ("VWS", 2, "1.6", 10, "Directie Publieke Gezondheid (fictief)", "Kennis van de OMT-processen."),
    ("OCW", 1, "0.8", 10, "Directie Kennis (fictief)", "Onderwijs en jongeren."),
    (
        "BZK",
        2,
        "1.4",
        14,
        "Directie Openbaar Bestuur (fictief)",
        "Gemeenten en veiligheidsregio's.",
    ),
)
OPEN_TITLE = "Nieuw luchtwegvirus najaar (synthetisch)"
CLOSED_TITLE = "Griepgolf voorjaar (synthetisch)"
_JUDGEMENTS = {
    OPEN_TITLE: (
        (
            "scale",
            "met",
            "Verspreiding in alle regio's; ziekenhuisopnames stijgen snel (synthetisch).",
        ),
        ("duration", "met", "Verwachte duur langer dan drie maanden (synthetisch)."),
        ("impact", "met", "Sluiting van scholen en horeca wordt voorbereid (synthetisch)."),
        ("omt_activated", "met", "Het OMT is bijeengeroepen (synthetisch)."),
        ("binding_measures", "unknown", "Het kabinet heeft nog niet besloten (synthetisch)."),
    ),
    CLOSED_TITLE: (
        ("scale", "met", "Hoge griepactiviteit (synthetisch)."),
        ("duration", "not_met", "Naar verwachting enkele weken (synthetisch)."),
        ("impact", "not_met", "Geen collectief bindende maatregelen in beeld (synthetisch)."),
        ("omt_activated", "not_met", "Geen OMT (synthetisch)."),
        ("binding_measures", "not_met", "Niet overwogen (synthetisch)."),
    ),
}


def _ministry(name: str, abbreviation: str, actor: User) -> Organisation:
    found = Organisation.objects.filter(name__iexact=name).first()
    if found is None:
        found = (
            network_selectors.organisation_list(kind=OrganisationKind.MINISTRY)
            .filter(abbreviation=abbreviation)
            .first()
        )
    if found is None:
        found = network_services.organisation_create(
            data=network_services.OrganisationData(
                name=name,
                abbreviation=abbreviation,
                kind=OrganisationKind.MINISTRY,
                website="https://www.rijksoverheid.nl",
            ),
            actor=actor,
        )
    return found


def _signal_sent(case: ActivationCase, actor: User) -> None:
    signal = services.signal_create(case=case, actor=actor)
    files = {fmt: documents.signal_document(signal=signal, fmt=fmt) for fmt in ("pdf", "docx")}
    services.documents_attach(obj=signal, documents=files, actor=actor)
    services.signal_record_sent(signal=signal, sent_on=timezone.localdate(), actor=actor)


@transaction.atomic
def activation_demo_load() -> dict[str, object]:
    actor = user_get(username="cpo")
    if actor is None:
        return {"agreements": 0, "cases": 0}
    ministries = {abbr: _ministry(name, abbr, actor) for name, abbr in MINISTRIES}
    valid_until = dt.date(timezone.localdate().year + 1, 12, 31)
    made = 0
    for abbr, people, fte, lead, contact, notes in AGREEMENTS:
        if SecondmentAgreement.objects.filter(
            ministry=ministries[abbr], is_synthetic=True
        ).exists():
            continue
        services.agreement_create(
            data=services.AgreementData(
                ministry=ministries[abbr],
                people=people,
                fte=Decimal(fte),
                lead_time_days=lead,
                contact=contact,
                valid_until=valid_until,
                notes=notes,
                is_synthetic=True,
            ),
            actor=actor,
        )
        made += 1
    cases = 0
    for title in (CLOSED_TITLE, OPEN_TITLE):
        if ActivationCase.objects.filter(title=title).exists():
            continue
        case = services.case_create(
            title=title,
            description="Een verzonnen scenario om het activeringspad te laten zien (synthetisch).",
            scenario_level="flu_plus" if title == OPEN_TITLE else "mild",
            is_synthetic=True,
            actor=actor,
        )
        for criterion, judgement, text in _JUDGEMENTS[title]:
            services.criterion_judge(
                case=case, criterion=criterion, judgement=judgement, evidence_text=text, actor=actor
            )
        _signal_sent(case, actor)
        if title == CLOSED_TITLE:
            services.decision_record(
                case=case,
                decision="not_now",
                decided_at=timezone.now(),
                note="De criteria duur en impact zijn niet voldaan (synthetisch).",
                actor=actor,
            )
        cases += 1
    return {
        "agreements": made,
        "cases": cases,
        "open": len(selectors.case_list(user=actor, open_only=True)),
    }
