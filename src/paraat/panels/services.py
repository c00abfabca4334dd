"""Writes of paraat.panels: panels, panelists, questionnaires, dilemma sessions, invitations,
anonymous answers and publishing results as evidence.

Anonymity (ADR 0017): an answer is stored as a ``Response``/``Answer`` or ``Ballot`` row with no
foreign key to the panelist or the invitation and no timestamp; the invitation only gets a
``used_on`` date. Responses, answers and ballots are not in the audit log (settings).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from paraat.accounts.models import Confidentiality, User
from paraat.assessments.models import Assessment, Option
from paraat.evidence.models import EvidenceItem, EvidenceType, KnowledgeClass
from paraat.panels.models import (
    LIKERT_LABELS,
    Answer,
    Ballot,
    DilemmaSession,
    Invitation,
    Panel,
    Panelist,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    SessionKind,
)
from paraat.taxonomies.models import Domain

MAX_CHOICES = 12
MAX_TEXT = 4000
MAX_QUESTIONS = 40


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _raise(errors: Mapping[str, Any]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- panels and panelists ---------------------------------------------------------------------


@transaction.atomic
def panel_create(
    *,
    name: str,
    description: str = "",
    recruitment: str = "",
    is_synthetic: bool = False,
    actor: User | None,
) -> Panel:
    if not name.strip():
        raise ValidationError({"name": _("Geef het panel een naam.")})
    return Panel.objects.create(
        name=name.strip()[:200],
        description=description.strip(),
        recruitment=recruitment.strip(),
        is_synthetic=is_synthetic,
        created_by=actor,
    )


@transaction.atomic
def panel_update(
    *, panel: Panel, name: str, description: str, recruitment: str, is_active: bool
) -> Panel:
    if not name.strip():
        raise ValidationError({"name": _("Geef het panel een naam.")})
    panel.name = name.strip()[:200]
    panel.description = description.strip()
    panel.recruitment = recruitment.strip()
    panel.is_active = is_active
    panel.save()
    return panel


def panelist_code_generate(*, panel: Panel) -> str:
    """A fresh pseudonym such as ``P-7K3Q9D`` (no name, nothing derived from the person)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    while True:
        code = "P-" + "".join(secrets.choice(alphabet) for _ in range(6))
        if not Panelist.objects.filter(panel=panel, code=code).exists():
            return code


@dataclass(frozen=True)
class PanelistData:
    consent_on: dt.date
    consent_text: str
    retention_until: dt.date
    email: str = ""
    code: str = ""
    is_fictional: bool = False


@transaction.atomic
def panelist_add(*, panel: Panel, data: PanelistData, actor: User | None) -> Panelist:
    """Add a person who consented; only a pseudonym, optionally an e-mail address."""
    errors: dict[str, str] = {}
    if not data.consent_text.strip():
        errors["consent_text"] = _("Leg de tekst vast waarmee toestemming is gegeven.")
    if data.consent_on > _today():
        errors["consent_on"] = _("De toestemming kan niet in de toekomst zijn gegeven.")
    if data.retention_until <= data.consent_on:
        errors["retention_until"] = _("De bewaartermijn eindigt na de datum van toestemming.")
    email = data.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Geef een geldig e-mailadres (of laat het leeg).")
    code = data.code.strip()[:40] or panelist_code_generate(panel=panel)
    if Panelist.objects.filter(panel=panel, code=code).exists():
        errors["code"] = _("Dit pseudoniem bestaat al in dit panel.")
    _raise(errors)
    return Panelist.objects.create(
        panel=panel,
        code=code,
        email=email,
        consent_on=data.consent_on,
        consent_text=data.consent_text.strip(),
        retention_until=data.retention_until,
        is_fictional=data.is_fictional,
    )


@transaction.atomic
def panelist_withdraw(*, panelist: Panelist, actor: User | None) -> Panelist:
    """Consent withdrawn: no more invitations, the e-mail address is erased, open links stop."""
    if panelist.withdrawn_at is None:
        panelist.withdrawn_at = _now()
    panelist.email = ""
    panelist.save()
    panelist.invitations.filter(used_on__isnull=True, revoked_on__isnull=True).update(
        revoked_on=_today()
    )
    return panelist


@transaction.atomic
def panelist_delete(*, panelist: Panelist, actor: User | None) -> None:
    """Delete a panelist on request (or after the retention date), with the invitations.

    The anonymous answers stay: nothing links them to the person.
    """
    panelist.delete()


@transaction.atomic
def panelists_retention_apply(*, today: dt.date | None = None) -> int:
    """Delete every panelist whose retention date has passed; returns how many."""
    expired = Panelist.objects.filter(retention_until__lt=today or _today())
    count = expired.count()
    expired.delete()
    return count


# --- questionnaires ---------------------------------------------------------------------------


YEARS = (2000, 2100)
"""Opening and closing moments must lie in these years (far-off moments overflow date
arithmetic and the database's time-zone conversion)."""


def _window(errors: dict[str, str], opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        errors["opens_at"] = _("Geef datum en tijd met tijdzone.")
        return
    for name, moment in (("opens_at", opens_at), ("closes_at", closes_at)):
        if not YEARS[0] <= moment.year <= YEARS[1]:
            errors[name] = _("Geef een moment tussen %(a)s en %(b)s.") % {
                "a": YEARS[0],
                "b": YEARS[1],
            }
    if "opens_at" in errors or "closes_at" in errors:
        return
    if closes_at <= opens_at:
        errors["closes_at"] = _("De sluitingsdatum ligt na de openingsdatum.")


@dataclass(frozen=True)
class QuestionnaireData:
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    intro: str = ""
    confidentiality: str = Confidentiality.INTERNAL
    is_synthetic: bool = False


def _check_questionnaire(data: QuestionnaireData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Geef een titel.")
    if data.confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Onbekend vertrouwelijkheidsniveau.")
    _window(errors, data.opens_at, data.closes_at)
    _raise(errors)


@transaction.atomic
def questionnaire_create(
    *, panel: Panel, data: QuestionnaireData, actor: User | None
) -> Questionnaire:
    _check_questionnaire(data)
    return Questionnaire.objects.create(
        panel=panel,
        title=data.title.strip()[:300],
        intro=data.intro.strip(),
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        confidentiality=data.confidentiality,
        is_synthetic=data.is_synthetic,
        created_by=actor,
    )


@transaction.atomic
def questionnaire_update(
    *, questionnaire: Questionnaire, data: QuestionnaireData, actor: User | None
) -> Questionnaire:
    _check_questionnaire(data)
    questionnaire.title = data.title.strip()[:300]
    questionnaire.intro = data.intro.strip()
    questionnaire.opens_at = data.opens_at
    questionnaire.closes_at = data.closes_at
    questionnaire.confidentiality = data.confidentiality
    questionnaire.save()
    return questionnaire


def _clean_choices(raw: Sequence[str]) -> list[str]:
    out: list[str] = []
    for item in raw:
        text = str(item).strip()[:300]
        if text and text not in out:
            out.append(text)
    return out


@transaction.atomic
def question_add(
    *,
    questionnaire: Questionnaire,
    kind: str,
    text: str,
    choices: Sequence[str] = (),
    required: bool = False,
    actor: User | None,
) -> Question:
    """Add a question; only while nobody has answered (answers must match their questions)."""
    errors: dict[str, str] = {}
    if questionnaire.responses.exists():
        errors["text"] = _("Er zijn al antwoorden; vragen kunnen niet meer worden gewijzigd.")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Kies een soort vraag.")
    if not text.strip():
        errors["text"] = _("Geef de vraag.")
    cleaned = _clean_choices(choices)
    if kind == QuestionKind.CHOICE and not 2 <= len(cleaned) <= MAX_CHOICES:
        errors["choices"] = _("Geef 2 tot %(n)s antwoordmogelijkheden, één per regel.") % {
            "n": MAX_CHOICES
        }
    if questionnaire.questions.count() >= MAX_QUESTIONS:
        errors["text"] = _("Een korte vragenlijst heeft hoogstens %(n)s vragen.") % {
            "n": MAX_QUESTIONS
        }
    _raise(errors)
    position = (
        questionnaire.questions.order_by("-position").values_list("position", flat=True).first()
        or 0
    ) + 1
    return Question.objects.create(
        questionnaire=questionnaire,
        position=position,
        kind=kind,
        text=text.strip(),
        choices=cleaned if kind == QuestionKind.CHOICE else [],
        required=required,
    )


@transaction.atomic
def question_delete(*, question: Question, actor: User | None) -> None:
    if question.questionnaire.responses.exists():
        raise ValidationError(
            {"question": _("Er zijn al antwoorden; vragen kunnen niet meer worden verwijderd.")}
        )
    question.delete()


# --- answers: parsing --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedAnswer:
    question: Question
    likert: int | None = None
    choice: str = ""
    text: str = ""


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _one(raw: object) -> str:
    """One submitted value as text (a list takes its last value, like a QueryDict)."""
    if isinstance(raw, list | tuple):
        raw = raw[-1] if raw else ""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(int(raw))
    if isinstance(raw, int | float | str):
        if isinstance(raw, float) and not math.isfinite(raw):
            return "?"
        return str(raw)
    return "?"  # anything else (a dict, ...) is invalid


def answers_parse(*, questions: Sequence[Question], data: Mapping[str, Any]) -> list[ParsedAnswer]:
    """Check submitted answers (``q<id>`` → value) against the questions; errors by field.

    Likert: a whole number 1 … 5; multiple choice: exactly one of the question's choices; open:
    text up to ``MAX_TEXT`` characters. Unanswered optional questions are left out.
    """
    errors: dict[str, str] = {}
    out: list[ParsedAnswer] = []
    for q in questions:
        name = field_name(q)
        value = _one(data.get(name)).strip()
        if "\x00" in value:
            errors[name] = _("Het antwoord bevat ongeldige tekens.")
            continue
        if not value:
            if q.required:
                errors[name] = _("Deze vraag is verplicht.")
            continue
        if q.kind == QuestionKind.LIKERT:
            if value not in {"1", "2", "3", "4", "5"}:
                errors[name] = _("Kies een van de vijf antwoorden.")
                continue
            out.append(ParsedAnswer(q, likert=int(value)))
        elif q.kind == QuestionKind.CHOICE:
            if value not in q.choices:
                errors[name] = _("Kies een van de antwoordmogelijkheden.")
                continue
            out.append(ParsedAnswer(q, choice=value))
        else:
            if len(value) > MAX_TEXT:
                errors[name] = _("Het antwoord is te lang (hoogstens %(n)s tekens).") % {
                    "n": MAX_TEXT
                }
                continue
            out.append(ParsedAnswer(q, text=value))
    if not errors and not out:
        errors["answers"] = _("Beantwoord minstens één vraag.")
    _raise(errors)
    return out


@transaction.atomic
def response_store(
    *, questionnaire: Questionnaire, answers: Sequence[ParsedAnswer], is_synthetic: bool = False
) -> Response:
    """Store checked answers as one anonymous response, without an invitation (the token path
    is ``response_submit``); for synthetic demo data and for entering paper questionnaires."""
    response = Response.objects.create(questionnaire=questionnaire, is_synthetic=is_synthetic)
    Answer.objects.bulk_create(
        Answer(
            response=response, question=a.question, likert=a.likert, choice=a.choice, text=a.text
        )
        for a in answers
    )
    return response


# --- dilemma sessions --------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    title: str
    kind: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    intro: str = ""
    assessment: Assessment | None = None
    domain_keys: tuple[str, ...] = ()
    option_keys: tuple[str, ...] = ()
    offer_weights: bool = False
    confidentiality: str = Confidentiality.INTERNAL
    is_synthetic: bool = False


@transaction.atomic
def session_create(*, panel: Panel, data: SessionData, actor: User | None) -> DilemmaSession:
    """A dilemma session. Ranking domains: the given domains, or all domains of the assessment;
    choosing: options of the assessment (all when none given). At least two items either way."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Geef een titel.")
    if data.kind not in SessionKind.values:
        errors["kind"] = _("Kies een soort sessie.")
    if data.confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Onbekend vertrouwelijkheidsniveau.")
    _window(errors, data.opens_at, data.closes_at)
    domains: list[Domain] = []
    options: list[Option] = []
    if data.kind == SessionKind.RANK_DOMAINS:
        keys = list(data.domain_keys)
        if not keys and data.assessment is not None:
            keys = list(
                data.assessment.domains.order_by("position", "id").values_list(
                    "domain__key", flat=True
                )
            )
        found = {d.key: d for d in Domain.objects.filter(key__in=keys)}
        unknown = [k for k in keys if k not in found]
        if unknown:
            errors["domain_keys"] = _("Onbekend impactdomein: %(k)s") % {"k": ", ".join(unknown)}
        domains = [found[k] for k in dict.fromkeys(keys) if k in found]
        if len(domains) < 2 and "domain_keys" not in errors:
            errors["domain_keys"] = _("Kies minstens twee impactdomeinen om te rangschikken.")
        if data.offer_weights and data.assessment is None:
            errors["offer_weights"] = _("Gewichten aanbieden kan alleen bij een afweging.")
    elif data.kind == SessionKind.CHOOSE_OPTION:
        if data.assessment is None:
            errors["assessment"] = _("Kiezen tussen opties kan alleen bij een afweging.")
        else:
            qs = data.assessment.options.order_by("position", "id")
            if data.option_keys:
                qs = qs.filter(key__in=data.option_keys)
            options = list(qs)
            if len(options) < 2:
                errors["option_keys"] = _("Kies minstens twee opties van de afweging.")
        if data.offer_weights:
            errors["offer_weights"] = _("Alleen een rangschikking van domeinen geeft gewichten.")
    _raise(errors)
    session = DilemmaSession.objects.create(
        panel=panel,
        title=data.title.strip()[:300],
        intro=data.intro.strip(),
        kind=data.kind,
        assessment=data.assessment,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        offer_weights=data.offer_weights,
        confidentiality=data.confidentiality,
        is_synthetic=data.is_synthetic,
        created_by=actor,
    )
    session.domains.set(domains)
    session.options.set(options)
    return session


@dataclass(frozen=True)
class ParsedBallot:
    ranking: list[str] = field(default_factory=list)
    option: Option | None = None


def session_items(session: DilemmaSession) -> list[str]:
    """The keys participants rank or choose from, in the session's order."""
    if session.kind == SessionKind.RANK_DOMAINS:
        return list(session.domains.order_by("position", "name_nl").values_list("key", flat=True))
    return list(session.options.order_by("position", "id").values_list("key", flat=True))


def ballot_parse(*, session: DilemmaSession, data: Mapping[str, Any]) -> ParsedBallot:
    """Check a ballot. Ranking: ``rank_<key>`` = 1 … n, each number once (or ``ranking``: a
    list of every key, most important first); choice: ``option`` = one option key."""
    items = session_items(session)
    if session.kind == SessionKind.CHOOSE_OPTION:
        value = _one(data.get("option")).strip()
        option = session.options.filter(key=value).first() if value in items else None
        if option is None:
            raise ValidationError({"option": _("Kies een van de opties.")})
        return ParsedBallot(option=option)
    given = data.get("ranking")
    if isinstance(given, list | tuple) and given:
        ranking = [_one(v).strip() for v in given]
        if sorted(ranking) != sorted(items):
            raise ValidationError({"ranking": _("Zet elk domein precies één keer in de volgorde.")})
        return ParsedBallot(ranking=ranking)
    errors: dict[str, str] = {}
    ranks: dict[str, int] = {}
    allowed = {str(i) for i in range(1, len(items) + 1)}
    for key in items:
        value = _one(data.get(f"rank_{key}")).strip()
        if value not in allowed:
            errors[f"rank_{key}"] = _("Geef een plaats van 1 tot %(n)s.") % {"n": len(items)}
        else:
            ranks[key] = int(value)
    if not errors and len(set(ranks.values())) != len(items):
        errors["ranking"] = _("Geef elk domein een andere plaats (elke plaats één keer).")
    _raise(errors)
    return ParsedBallot(ranking=sorted(items, key=lambda k: ranks[k]))


@transaction.atomic
def ballot_store(
    *, session: DilemmaSession, ballot: ParsedBallot, is_synthetic: bool = False
) -> Ballot:
    """Store a checked ballot anonymously, without an invitation (``ballot_submit`` is the token
    path); for synthetic demo data and for entering ballots of a session held on paper."""
    return Ballot.objects.create(
        session=session, ranking=ballot.ranking, option=ballot.option, is_synthetic=is_synthetic
    )


# --- invitations and the token link --------------------------------------------------------------


class LinkState(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    USED = "used"
    REVOKED = "revoked"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


def _target_window(inv: Invitation) -> tuple[dt.datetime, dt.datetime]:
    target = inv.questionnaire if inv.questionnaire_id else inv.session
    assert target is not None
    return target.opens_at, target.closes_at


def invitation_by_token(token: str) -> tuple[Invitation | None, LinkState]:
    """The invitation behind a link and whether it can be used now."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None, LinkState.UNKNOWN
    inv = (
        Invitation.objects.select_related("questionnaire", "session")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if inv is None:
        return None, LinkState.UNKNOWN
    if inv.used_on is not None:
        return inv, LinkState.USED
    if inv.revoked_on is not None:
        return inv, LinkState.REVOKED
    opens, closes = _target_window(inv)
    now = _now()
    if now < opens:
        return inv, LinkState.NOT_OPEN
    if now > closes:
        return inv, LinkState.CLOSED
    return inv, LinkState.OK


def link_error(state: LinkState) -> ValidationError:
    messages = {
        LinkState.UNKNOWN: _("Deze link is onbekend."),
        LinkState.USED: _("Met deze link is al geantwoord; u kunt maar één keer antwoorden."),
        LinkState.REVOKED: _("Deze uitnodiging is ingetrokken."),
        LinkState.NOT_OPEN: _("Deze vragenlijst of sessie is nog niet geopend."),
        LinkState.CLOSED: _("Deze vragenlijst of sessie is gesloten."),
    }
    return ValidationError({"token": messages.get(state, _("Deze link werkt niet."))})


def _invitation_lock(token: str) -> Invitation:
    """The invitation of a usable link, locked for this transaction (one answer per link)."""
    inv, state = invitation_by_token(token)
    if inv is None or state != LinkState.OK:
        raise link_error(state)
    locked = Invitation.objects.select_for_update().get(pk=inv.pk)
    if locked.used_on is not None:
        raise link_error(LinkState.USED)
    return inv


@transaction.atomic
def response_submit(*, token: str, data: Mapping[str, Any]) -> Response:
    """Answer a questionnaire through its link, anonymously, once."""
    inv = _invitation_lock(token)
    if inv.questionnaire is None:
        raise link_error(LinkState.UNKNOWN)
    questions = list(inv.questionnaire.questions.all())
    answers = answers_parse(questions=questions, data=data)
    Invitation.objects.filter(pk=inv.pk).update(used_on=_today())
    return response_store(questionnaire=inv.questionnaire, answers=answers)


@transaction.atomic
def ballot_submit(*, token: str, data: Mapping[str, Any]) -> Ballot:
    """Answer a dilemma session through its link, anonymously, once."""
    inv = _invitation_lock(token)
    if inv.session is None:
        raise link_error(LinkState.UNKNOWN)
    ballot = ballot_parse(session=inv.session, data=data)
    Invitation.objects.filter(pk=inv.pk).update(used_on=_today())
    return ballot_store(session=inv.session, ballot=ballot)


def answer_url(token: str) -> str:
    base = str(getattr(settings, "PARAAT_BASE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('panels:answer', kwargs={'token': token})}"


@dataclass(frozen=True)
class InvitationRun:
    sent: int
    skipped_no_email: int
    already: int
    tokens: list[tuple[Panelist, str]]


def _invite(
    *,
    panel: Panel,
    questionnaire: Questionnaire | None,
    session: DilemmaSession | None,
    title: str,
    closes_at: dt.datetime,
    mail: bool,
) -> InvitationRun:
    if _now() > closes_at:
        raise ValidationError({"closes_at": _("Deze is al gesloten; uitnodigen kan niet meer.")})
    already = skipped = 0
    tokens: list[tuple[Panelist, str]] = []
    invited = set(
        Invitation.objects.filter(questionnaire=questionnaire, session=session).values_list(
            "panelist_id", flat=True
        )
    )
    for p in panel.panelists.filter(withdrawn_at__isnull=True).order_by("code"):
        if p.pk in invited:
            already += 1
            continue
        if mail and not p.email:
            skipped += 1
            continue
        token = secrets.token_urlsafe(32)
        Invitation.objects.create(
            panelist=p,
            questionnaire=questionnaire,
            session=session,
            token_hash=token_hash(token),
            sent_on=_today(),
        )
        tokens.append((p, token))
        if mail:
            url = answer_url(token)
            email = p.email

            def send(url: str = url, email: str = email) -> None:
                send_mail(
                    subject=_("Uitnodiging burgerpanel: %(t)s") % {"t": title},
                    message=_(
                        "U bent lid van een burgerpanel van het Maatschappelijk Impact Team en "
                        "wordt uitgenodigd om mee te doen aan: %(t)s.\n\nUw persoonlijke link "
                        "(één keer te gebruiken, tot %(d)s):\n%(u)s\n\nUw antwoorden worden "
                        "anoniem opgeslagen: ze zijn niet te herleiden tot u. Stuurt u deze link "
                        "niet door."
                    )
                    % {
                        "t": title,
                        "d": timezone.localtime(closes_at).strftime("%d-%m-%Y"),
                        "u": url,
                    },
                    from_email=None,
                    recipient_list=[email],
                    fail_silently=True,
                )

            transaction.on_commit(send)
    return InvitationRun(len(tokens), skipped, already, tokens)


@transaction.atomic
def invitations_send(
    *,
    questionnaire: Questionnaire | None = None,
    session: DilemmaSession | None = None,
    actor: User | None,
    mail: bool = True,
) -> InvitationRun:
    """Invite every active panelist not yet invited. ``mail`` (default) e-mails the links (after
    commit) to panelists with an address and skips the others; without it the links are only
    returned (for a demo, a test or handing out otherwise) and never stored."""
    if (questionnaire is None) == (session is None):
        raise ValueError("invite to one questionnaire or one session")
    if questionnaire is not None:
        if not questionnaire.questions.exists():
            raise ValidationError({"questions": _("Voeg eerst vragen toe.")})
        return _invite(
            panel=questionnaire.panel,
            questionnaire=questionnaire,
            session=None,
            title=questionnaire.title,
            closes_at=questionnaire.closes_at,
            mail=mail,
        )
    assert session is not None
    return _invite(
        panel=session.panel,
        questionnaire=None,
        session=session,
        title=session.title,
        closes_at=session.closes_at,
        mail=mail,
    )


# --- results as evidence -----------------------------------------------------------------------


def _evidence_publish(
    *,
    title: str,
    summary: str,
    keywords: tuple[str, ...],
    confidentiality: str,
    is_synthetic: bool,
    published_on: dt.date,
    actor: User | None,
) -> EvidenceItem:
    from paraat.evidence import services as evidence_services

    return evidence_services.evidence_create(
        data=evidence_services.EvidenceData(
            item_type=EvidenceType.CITIZEN_PANEL,
            title=title,
            knowledge_class=KnowledgeClass.EXPERIENTIAL,
            organisation=_("Maatschappelijk Impact Team (burgerpanel)"),
            published_on=published_on,
            keywords=keywords,
            summary=summary,
            confidentiality=confidentiality,
            is_synthetic=is_synthetic,
        ),
        submitted_by=actor,
    )


@transaction.atomic
def questionnaire_publish_evidence(
    *, questionnaire: Questionnaire, actor: User | None
) -> EvidenceItem:
    """The results as an evidence item (experiential knowledge, citizen-panel result), with
    provenance (panel, questionnaire, n, dates); as confidential as the questionnaire (internal
    by default). Publishing again appends a new item and points the questionnaire at it."""
    from paraat.panels import selectors

    results = selectors.questionnaire_results(questionnaire=questionnaire)
    if results.responses == 0:
        raise ValidationError({"questionnaire": _("Er zijn nog geen antwoorden.")})
    lines = [
        _("Burgerpanel: %(p)s. Vragenlijst: %(q)s.")
        % {"p": questionnaire.panel.name, "q": questionnaire.title},
        _("n = %(n)s ingevulde vragenlijsten van %(i)s uitnodigingen; open van %(a)s tot %(b)s.")
        % {
            "n": results.responses,
            "i": results.invited,
            "a": timezone.localtime(questionnaire.opens_at).date().isoformat(),
            "b": timezone.localtime(questionnaire.closes_at).date().isoformat(),
        },
        _("Aandelen met 95%-betrouwbaarheidsinterval (Wilson). Antwoorden zijn anoniem."),
        "",
    ]
    for row in results.questions:
        lines.append(f"- {row.question.text} (n = {row.n})")
        if row.likert is not None:
            lines.append(
                "  "
                + _("mediaan %(m)s; eens of helemaal eens %(s)s (%(lo)s–%(hi)s)")
                % {
                    "m": _fmt(row.likert.median),
                    "s": _pct(row.likert.agree.share),
                    "lo": _pct(row.likert.agree.low),
                    "hi": _pct(row.likert.agree.high),
                }
            )
        for s in row.shares:
            label = row.labels.get(s.key, s.key)
            lines.append(f"  {label}: {s.count} ({_pct(s.share)}; {_pct(s.low)}–{_pct(s.high)})")
        if row.question.kind == QuestionKind.OPEN:
            lines.append("  " + _("%(n)s open antwoorden (in paraat in te zien)") % {"n": row.n})
    if questionnaire.is_synthetic:
        lines.insert(0, _("SYNTHETISCHE DEMODATA."))
    item = _evidence_publish(
        title=_("Burgerpanel: %(t)s") % {"t": questionnaire.title},
        summary="\n".join(lines),
        keywords=("burgerpanel", "vragenlijst"),
        confidentiality=questionnaire.confidentiality,
        is_synthetic=questionnaire.is_synthetic,
        published_on=timezone.localtime(questionnaire.closes_at).date(),
        actor=actor,
    )
    questionnaire.evidence_item = item
    questionnaire.save(update_fields=["evidence_item"])
    return item


@transaction.atomic
def session_publish_evidence(*, session: DilemmaSession, actor: User | None) -> EvidenceItem:
    """The session's results as an evidence item (experiential knowledge), with provenance."""
    from paraat.panels import selectors

    results = selectors.session_results(session=session)
    if results.ballots == 0:
        raise ValidationError({"session": _("Er zijn nog geen antwoorden.")})
    lines = [
        _("Burgerpanel: %(p)s. Dilemmasessie: %(s)s.")
        % {"p": session.panel.name, "s": session.title},
        _("n = %(n)s deelnemers van %(i)s uitnodigingen; open van %(a)s tot %(b)s.")
        % {
            "n": results.ballots,
            "i": results.invited,
            "a": timezone.localtime(session.opens_at).date().isoformat(),
            "b": timezone.localtime(session.closes_at).date().isoformat(),
        },
        "",
    ]
    if results.ranking is not None:
        lines.append(
            _(
                "Gemiddeld rangorde-zwaartepuntgewicht (ROC, Barron & Barrett 1996), spreiding "
                "(sd) en gemiddelde plaats:"
            )
        )
        for row in results.ranking:
            lines.append(
                f"- {row.label}: {row.mean_weight:.3f} (sd {row.sd_weight:.3f}); "
                + _("gemiddelde plaats %(r)s; Borda %(b)s")
                % {"r": f"{row.mean_rank:.2f}", "b": row.borda}
            )
    for s in results.choices:
        lines.append(f"- {s.label}: {s.count} ({_pct(s.share)}; {_pct(s.low)}–{_pct(s.high)})")
    if session.is_synthetic:
        lines.insert(0, _("SYNTHETISCHE DEMODATA."))
    item = _evidence_publish(
        title=_("Burgerpanel: %(t)s") % {"t": session.title},
        summary="\n".join(lines),
        keywords=("burgerpanel", "dilemmasessie"),
        confidentiality=session.confidentiality,
        is_synthetic=session.is_synthetic,
        published_on=timezone.localtime(session.closes_at).date(),
        actor=actor,
    )
    session.evidence_item = item
    session.save(update_fields=["evidence_item"])
    return item


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


def likert_label(point: int) -> str:
    return str(LIKERT_LABELS[point - 1])
