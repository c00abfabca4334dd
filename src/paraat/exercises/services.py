"""Writes of paraat.exercises: scenarios and injects, runs and their clock, the delivery of
injects (the sandbox), the evaluation and its lessons (which become playbook actions).

Every write checks ``exercises.manage_exercises`` unless noted; the delivery of due injects
(:func:`run_tick`) is the one service both the cron (``paraat exercises tick``) and the run page
call.  An advice-request inject creates the request through ``paraat.advice.services`` with
``exercise_run`` set: exercise mode (docs/adr/0020-exercise-sandbox.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from paraat.accounts.models import User
from paraat.exercises import selectors
from paraat.exercises.models import (
    ClockAction,
    ClockEvent,
    Evaluation,
    ExerciseRole,
    ExerciseRun,
    Inject,
    InjectDelivery,
    InjectKind,
    Lesson,
    Participant,
    Scenario,
)
from paraat_core import injects as core

TEXT_MAX = 20_000
OFFSET_MAX = 60 * 24 * 365  # a year of exercise minutes
SPEED_RANGE = (Decimal("0.1"), Decimal("1000"))
DEFAULT_DEADLINE_HOURS = 48


def _now() -> dt.datetime:
    return timezone.now()


def _require(actor: User | None) -> None:
    if actor is None or not selectors.may_manage(user=actor):
        raise PermissionDenied(_("Uw rol staat het leiden van oefeningen niet toe."))


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _required(errors: dict[str, str], name: str, value: str, message: str) -> None:
    if not (value or "").strip():
        errors[name] = message


def _too_long(errors: dict[str, str], name: str, value: str, limit: int) -> None:
    if len(value or "") > limit:
        errors[name] = _("Maximaal %(n)s tekens.") % {"n": limit}


# --- scenarios -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioData:
    title: str
    description: str = ""
    is_synthetic: bool = False
    source_note: str = ""
    key: str = ""


def _validate_scenario(data: ScenarioData) -> None:
    errors: dict[str, str] = {}
    _required(errors, "title", data.title, _("Geef een titel."))
    _too_long(errors, "title", data.title, 300)
    _too_long(errors, "description", data.description, TEXT_MAX)
    _too_long(errors, "source_note", data.source_note, TEXT_MAX)
    _raise(errors)


def _unique_key(wanted: str, title: str) -> str:
    base = slugify(wanted or title)[:90].strip("-") or "scenario"
    if base in {"nieuw", "runs", "oefening"}:
        base = f"scenario-{base}"
    key, counter = base, 2
    while Scenario.objects.filter(key=key).exists():
        key = f"{base}-{counter}"
        counter += 1
    return key


@transaction.atomic
def scenario_create(*, data: ScenarioData, actor: User | None) -> Scenario:
    """A new scenario script (``actor`` ``None``: the demo and the operator command)."""
    if actor is not None:
        _require(actor)
    _validate_scenario(data)
    return Scenario.objects.create(
        key=_unique_key(data.key, data.title),
        title=data.title.strip(),
        description=data.description.strip(),
        is_synthetic=data.is_synthetic,
        source_note=data.source_note.strip(),
        created_by=actor,
    )


@transaction.atomic
def scenario_update(*, scenario: Scenario, data: ScenarioData, actor: User) -> Scenario:
    _require(actor)
    _validate_scenario(data)
    scenario.title = data.title.strip()
    scenario.description = data.description.strip()
    scenario.is_synthetic = data.is_synthetic
    scenario.source_note = data.source_note.strip()
    scenario.save()
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: Scenario, actor: User) -> None:
    """Delete a scenario that was never run (runs keep their scenario)."""
    _require(actor)
    if scenario.runs.exists():
        raise ValidationError({"scenario": _("Dit scenario is al gespeeld en blijft bewaard.")})
    scenario.delete()


@dataclass(frozen=True)
class InjectData:
    offset_minutes: int
    kind: str
    title: str
    content: str = ""
    payload: dict[str, Any] | None = None
    is_synthetic: bool = False
    source_note: str = ""
    real_date: dt.date | None = None


ADVICE_KINDS = ("urgent", "long_term")


def _clean_payload(errors: dict[str, str], data: InjectData) -> dict[str, Any]:
    if data.payload is not None and not isinstance(data.payload, dict):
        errors["payload"] = _("De gegevens zijn een JSON-object.")
        return {}
    payload = dict(data.payload or {})
    if data.kind != InjectKind.ADVICE_REQUEST:
        return payload
    title = str(payload.get("title", "") or data.title).strip()
    question = str(payload.get("question", "") or "").strip()
    kind = str(payload.get("kind", "") or "urgent")
    if not question:
        errors["question"] = _("Geef de adviesvraag van de adviesaanvraag.")
    if kind not in ADVICE_KINDS:
        errors["advice_kind"] = _("Kies spoedadvies of advies voor de langere termijn.")
    try:
        hours = int(payload.get("deadline_hours", DEFAULT_DEADLINE_HOURS))
    except (TypeError, ValueError):
        hours = -1
    if not 1 <= hours <= 24 * 365:
        errors["deadline_hours"] = _("Geef de termijn in uren (1 tot 8760).")
    return {"title": title[:300], "question": question, "kind": kind, "deadline_hours": hours}


def _validate_inject(data: InjectData) -> dict[str, Any]:
    errors: dict[str, str] = {}
    _required(errors, "title", data.title, _("Geef een titel."))
    _too_long(errors, "title", data.title, 300)
    _too_long(errors, "content", data.content, TEXT_MAX)
    _too_long(errors, "source_note", data.source_note, 500)
    if data.kind not in InjectKind.values:
        errors["kind"] = _("Kies een soort inject.")
    if not isinstance(data.offset_minutes, int) or not 0 <= data.offset_minutes <= OFFSET_MAX:
        errors["offset_minutes"] = _("Geef het moment in minuten na de start (0 tot %(n)s).") % {
            "n": OFFSET_MAX
        }
    payload = _clean_payload(errors, data)
    _raise(errors)
    return payload


@transaction.atomic
def inject_create(*, scenario: Scenario, data: InjectData, actor: User | None) -> Inject:
    if actor is not None:
        _require(actor)
    payload = _validate_inject(data)
    return Inject.objects.create(
        scenario=scenario,
        offset_minutes=data.offset_minutes,
        kind=data.kind,
        title=data.title.strip(),
        content=data.content.strip(),
        payload=payload,
        is_synthetic=data.is_synthetic,
        source_note=data.source_note.strip(),
        real_date=data.real_date,
    )


def _delivered(inject: Inject) -> bool:
    return inject.deliveries.exists()


@transaction.atomic
def inject_update(*, inject: Inject, data: InjectData, actor: User) -> Inject:
    """Edit an inject that was never delivered (a delivered one is part of a run's record)."""
    _require(actor)
    if _delivered(inject):
        raise ValidationError({"title": _("Deze inject is al afgeleverd en verandert niet meer.")})
    payload = _validate_inject(data)
    inject.offset_minutes = data.offset_minutes
    inject.kind = data.kind
    inject.title = data.title.strip()
    inject.content = data.content.strip()
    inject.payload = payload
    inject.is_synthetic = data.is_synthetic
    inject.source_note = data.source_note.strip()
    inject.real_date = data.real_date
    inject.save()
    return inject


@transaction.atomic
def inject_delete(*, inject: Inject, actor: User) -> None:
    _require(actor)
    if _delivered(inject):
        raise ValidationError({"title": _("Deze inject is al afgeleverd en blijft bewaard.")})
    inject.delete()


# --- runs ------------------------------------------------------------------------------------


def _speed(value: object) -> Decimal:
    try:
        speed = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"speed_factor": _("Geef het tempo als getal.")}) from None
    if not speed.is_finite() or not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
        raise ValidationError(
            {
                "speed_factor": _("Het tempo ligt tussen %(a)s en %(b)s.")
                % {"a": SPEED_RANGE[0], "b": SPEED_RANGE[1]}
            }
        )
    return speed.quantize(Decimal("0.01"))


@transaction.atomic
def run_create(
    *, scenario: Scenario, title: str = "", speed_factor: object = 1, actor: User
) -> ExerciseRun:
    """Plan a run of ``scenario``; the actor takes part as exercise lead."""
    _require(actor)
    errors: dict[str, str] = {}
    _too_long(errors, "title", title, 300)
    _raise(errors)
    speed = _speed(speed_factor)
    run = ExerciseRun.objects.create(
        scenario=scenario,
        title=title.strip() or _("Oefening: %(t)s") % {"t": scenario.title},
        speed_factor=speed,
        created_by=actor,
    )
    Participant.objects.create(run=run, user=actor, role=ExerciseRole.LEAD)
    return run


@transaction.atomic
def participant_add(*, run: ExerciseRun, user: User, role: str, actor: User) -> Participant:
    _require(actor)
    if role not in ExerciseRole.values:
        raise ValidationError({"role": _("Kies een rol in de oefening.")})
    if not user.is_active:
        raise ValidationError({"user": _("Dit account is niet actief.")})
    if selectors.run_clock(run=run).state == "ended":
        raise ValidationError({"user": _("De oefening is afgelopen.")})
    try:
        with transaction.atomic():
            return Participant.objects.create(run=run, user=user, role=role)
    except IntegrityError:
        raise ValidationError({"user": _("Deze persoon doet al mee.")}) from None


@transaction.atomic
def participant_remove(*, participant: Participant, actor: User) -> None:
    _require(actor)
    participant.delete()


def _locked(run: ExerciseRun) -> ExerciseRun:
    return ExerciseRun.objects.select_for_update().get(pk=run.pk)


_MESSAGES = {
    ClockAction.START: _("De oefening is al gestart."),
    ClockAction.PAUSE: _("Alleen een lopende oefening kan pauzeren."),
    ClockAction.RESUME: _("Alleen een gepauzeerde oefening kan hervatten."),
    ClockAction.END: _("Alleen een gestarte oefening kan eindigen."),
}


def _clock_move(
    *, run: ExerciseRun, action: str, actor: User, at: dt.datetime | None
) -> ClockEvent:
    _require(actor)
    run = _locked(run)
    history = selectors.clock_history(run=run)
    state = core.clock(history, now=_now(), speed=float(run.speed_factor)).state
    try:
        core.next_state(None if state == "not_started" else state, action)
    except core.ClockError:
        raise ValidationError({"action": str(_MESSAGES[ClockAction(action)])}) from None
    moment = at or _now()
    if history and moment < history[-1][1]:
        raise ValidationError({"at": _("Een klokmoment kan niet vóór het vorige liggen.")})
    return ClockEvent.objects.create(run=run, action=action, at=moment, actor=actor)


@transaction.atomic
def run_start(*, run: ExerciseRun, actor: User, at: dt.datetime | None = None) -> ClockEvent:
    """Start the clock and deliver the injects due at minute 0."""
    event = _clock_move(run=run, action=ClockAction.START, actor=actor, at=at)
    run_tick(run=run, now=event.at)
    return event


@transaction.atomic
def run_pause(*, run: ExerciseRun, actor: User, at: dt.datetime | None = None) -> ClockEvent:
    moment = at or _now()
    run_tick(run=run, now=moment)
    return _clock_move(run=run, action=ClockAction.PAUSE, actor=actor, at=moment)


@transaction.atomic
def run_resume(*, run: ExerciseRun, actor: User, at: dt.datetime | None = None) -> ClockEvent:
    return _clock_move(run=run, action=ClockAction.RESUME, actor=actor, at=at)


@transaction.atomic
def run_end(*, run: ExerciseRun, actor: User, at: dt.datetime | None = None) -> ClockEvent:
    """End the run: what was due is delivered first; what was not stays undelivered."""
    moment = at or _now()
    run_tick(run=run, now=moment)
    return _clock_move(run=run, action=ClockAction.END, actor=actor, at=moment)


@transaction.atomic
def run_tick(*, run: ExerciseRun, now: dt.datetime | None = None) -> list[InjectDelivery]:
    """Deliver, in order, every inject of the run that is due and not yet delivered (needs no
    role: the run page and the cron both call it).  An advice-request inject creates an
    exercise advice request."""
    moment = now or _now()
    run = _locked(run)
    clock = core.clock(selectors.clock_history(run=run), now=moment, speed=float(run.speed_factor))
    if clock.state == "not_started":
        return []
    done = set(run.deliveries.values_list("inject_id", flat=True))
    waiting = [i for i in selectors.injects(scenario=run.scenario) if i.pk not in done]
    order = core.due([i.offset_minutes for i in waiting], elapsed_minutes=clock.exercise_minutes)
    delivered = []
    for index in order:
        inject = waiting[index]
        request = None
        if inject.kind == InjectKind.ADVICE_REQUEST:
            request = _exercise_request(run=run, inject=inject, at=moment)
        delivered.append(
            InjectDelivery.objects.create(
                run=run,
                inject=inject,
                due_minutes=inject.offset_minutes,
                delivered_at=moment,
                exercise_minutes=int(clock.exercise_minutes),
                advice_request=request,
            )
        )
    return delivered


def runs_tick(*, now: dt.datetime | None = None) -> int:
    """Tick every started run that has not ended (the cron); the number of injects delivered."""
    count = 0
    for run in selectors.runs_to_tick():
        count += len(run_tick(run=run, now=now))
    return count


def _exercise_request(*, run: ExerciseRun, inject: Inject, at: dt.datetime) -> Any:
    """The advice request of an inject, in exercise mode.  Its deadline runs in real time:
    ``deadline_hours`` exercise hours at the run's speed."""
    from paraat.accounts.models import Confidentiality
    from paraat.advice import services as advice_services

    payload = inject.payload or {}
    hours = int(payload.get("deadline_hours", DEFAULT_DEADLINE_HOURS))
    real = dt.timedelta(hours=hours) / float(run.speed_factor)
    return advice_services.advice_request_create(
        data=advice_services.RequestData(
            title=str(payload.get("title") or inject.title),
            question=str(payload.get("question") or inject.content or inject.title),
            requester="sg_szw",
            requester_name=_("Secretaris-generaal van SZW (oefening)"),
            kind=str(payload.get("kind") or "urgent"),
            received_at=at,
            deadline=at + real,
            confidentiality=Confidentiality.INTERNAL,
            is_synthetic=inject.is_synthetic or run.scenario.is_synthetic,
            exercise_run=run,
        ),
        actor=None,
    )


# --- evaluation ------------------------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    *, run: ExerciseRun, went_well: str, went_badly: str, notes: str = "", actor: User
) -> Evaluation:
    """Record (or revise) the evaluation of an ended run."""
    _require(actor)
    if selectors.run_clock(run=run).state != "ended":
        raise ValidationError({"went_well": _("Evalueer een oefening nadat ze is beëindigd.")})
    errors: dict[str, str] = {}
    for name, value in (("went_well", went_well), ("went_badly", went_badly), ("notes", notes)):
        _too_long(errors, name, value, TEXT_MAX)
    if not (went_well.strip() or went_badly.strip()):
        errors["went_well"] = _("Beschrijf wat goed ging of wat niet goed ging.")
    _raise(errors)
    evaluation, _created = Evaluation.objects.get_or_create(run=run, defaults={"created_by": actor})
    evaluation.went_well = went_well.strip()
    evaluation.went_badly = went_badly.strip()
    evaluation.notes = notes.strip()
    evaluation.save()
    return evaluation


@transaction.atomic
def lesson_add(
    *,
    evaluation: Evaluation,
    title: str,
    description: str = "",
    playbook_element: str = "",
    actor: User,
) -> Lesson:
    """A lesson of the evaluation; it becomes a playbook action at once (source
    ``oefening: <scenario title>``), in the playbook section of ``playbook_element`` if any."""
    from paraat.preparedness import selectors as preparedness_selectors
    from paraat.preparedness import services as preparedness_services

    _require(actor)
    errors: dict[str, str] = {}
    _required(errors, "title", title, _("Geef de les."))
    _too_long(errors, "title", title, 300)
    _too_long(errors, "description", description, TEXT_MAX)
    from paraat.preparedness.models import PlaybookElement

    if playbook_element and playbook_element not in PlaybookElement.values:
        errors["playbook_element"] = _("Kies een onderdeel van het draaiboek.")
    _raise(errors)
    section = None
    if playbook_element:
        section = preparedness_selectors.playbook_section_for(element=playbook_element)
    scenario = evaluation.run.scenario
    action = preparedness_services.playbook_action_create(
        title=title.strip(),
        description=description.strip(),
        source=f"oefening: {scenario.title}"[:300],
        section=section,
        actor=actor,
        is_synthetic=scenario.is_synthetic,
    )
    return Lesson.objects.create(
        evaluation=evaluation,
        title=title.strip(),
        description=description.strip(),
        playbook_element=playbook_element,
        playbook_action=action,
        created_by=actor,
    )


# --- the ready scenario ----------------------------------------------------------------------


@transaction.atomic
def scenario_autumn_2020_create(*, actor: User | None = None, data_dir: Any = None) -> Scenario:
    """The ready scenario “Najaar 2020” from the real data (``exercises.autumn2020``);
    idempotent: an existing scenario with its key is returned as it is."""
    from paraat.exercises import autumn2020

    existing = selectors.scenario_by_key(key=autumn2020.KEY)
    if existing is not None:
        return existing
    try:
        specs = autumn2020.build(data_dir)
    except autumn2020.ScenarioDataError as error:
        raise ValidationError({"scenario": str(error)}) from error
    scenario = scenario_create(
        data=ScenarioData(
            key=autumn2020.KEY,
            title=_("Najaar 2020: de tweede golf"),
            description=_(
                "Herbeleeft het najaar van 2020 in Nederland, van de regionale maatregelen "
                "(18 september) tot de aankondiging van de lockdown (14 december), met de echte "
                "ziekenhuisopnames en maatregelen op hun echte data, samengeperst tot %(n)s "
                "oefenminuten per dag. Eén adviesaanvraag (48 uur) en één Kamervraag zijn "
                "synthetisch."
            )
            % {"n": autumn2020.MINUTES_PER_DAY},
            is_synthetic=False,
            source_note="\n".join(
                (autumn2020.NICE_SOURCE, autumn2020.OXCGRT_SOURCE, autumn2020.MEASURES_SOURCE)
            ),
        ),
        actor=actor,
    )
    for spec in specs:
        inject_create(
            scenario=scenario,
            data=InjectData(
                offset_minutes=spec.offset_minutes,
                kind=spec.kind,
                title=spec.title,
                content=spec.content,
                payload=spec.payload,
                is_synthetic=spec.is_synthetic,
                source_note=spec.source_note,
                real_date=spec.day,
            ),
            actor=actor,
        )
    return scenario
