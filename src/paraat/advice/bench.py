"""``paraat bench dossier``: assembling the dossier, and 30 concurrent users losing no update.

Targets (issue 6): the dossier of a request whose options hold 10 measures, with 5,000
evidence items and 40 indicators, is assembled in at most 2 s; 30 simulated concurrent users
commenting, voting and saving the advice text lose no update.

The parent runs one child process per database (a fresh SQLite file; a scratch PostgreSQL
database ``paraat_bench_<pid>``, dropped afterwards), as the other benchmarks do
(``web.benchtools``).  A child migrates and builds, all synthetic:

* 10 measures in one option package, one fiche per measure;
* 5,000 evidence items (``bulk_create``; 70 % public, 20 % internal, 10 % confidential), each
  linked to one of the measures, every tenth also to the package;
* an assessment over six impact domains, four groups and four options (the package's
  measures), analysed once (200 SMAA samples), so the dossier has a ladder and domains;
* 40 indicators in those six domains, 60 monthly figures each;
* the committee: the CPO, a chair and ``users − 1`` members (``users`` people with voting
  rights), and a request with the package and the assessment.

**Dossier.**  ``dossier.dossier_build`` as the CPO (who may see everything), one warm-up run
and then ``runs`` timed runs; ``dossier_s`` is the **slowest** timed run (the median and the
cold first run are reported beside it).

**Concurrency.**  ``users`` people with voting rights act at once, each in a thread of its own
with its own database connection, in two phases as in the process.  While the text is a draft
every user adds ``comments − 1`` comments (``services.comment_add``) and saves the advice text
``saves`` times (``services.advice_revision_save``): it reads the latest version, appends a line
with a unique marker to a section (two users per section at a time, so edits of one section
collide), and saves with that version as the base; a ``RevisionConflict`` is a *detected*
conflict, not a lost update: the user re-reads and saves again (up to 10 tries).  Then the
secretariat opens the vote and every user casts one vote (``services.vote_cast``), tries a
second one (which must be refused: votes are immutable) and adds its last comment.  On SQLite
the users run one after another by default (``serial``): in each round of saves every user
first reads its base version and then all save, so the merges and conflicts of concurrent
editing still happen, but the database never sees two writers at once; ``--sqlite-mode
threads`` runs threads on SQLite too (its database lock then serialises the writers).

**Lost updates** are counted afterwards from the database: comments expected − stored, votes
expected − stored (plus any second vote that got stored), version numbers that are not
1…n without gaps, and for every successful save: its marker missing from the version it
returned, or missing from a later version although nobody saved that section from a base
that already held it (a change that a merge silently dropped); and any error a user met.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paraat.web.benchtools import postgres_scratch, run_child

DOMAINS = ("mental-health", "education", "work-income", "poverty", "social-relations", "trust")
GROUPS = ("young-people", "elderly", "low-income", "pupils-students")
SAVE_TRIES = 10


@dataclass(frozen=True)
class Sizes:
    measures: int = 10
    evidence: int = 5_000
    indicators: int = 40
    users: int = 30
    comments: int = 3
    saves: int = 2
    runs: int = 10


@dataclass
class Log:
    """What the simulated users did (appended from several threads: guarded by a lock)."""

    saves: list[dict[str, Any]] = field(default_factory=list)
    conflicts: int = 0
    comments: int = 0
    votes: int = 0
    second_votes_refused: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


# --- building the data --------------------------------------------------------------------------


def build(sizes: Sizes, *, seed: int = 2023) -> dict[str, Any]:
    """Create the synthetic data in the current database; returns the request and people."""
    from django.utils import timezone

    from paraat.accounts import roles
    from paraat.accounts.models import Confidentiality
    from paraat.accounts.services import roles_sync, user_create
    from paraat.advice import services
    from paraat.assessments import services as assessment_services
    from paraat.evidence import services as evidence_services
    from paraat.evidence.models import EvidenceItem, EvidenceLink
    from paraat.indicators.services import ObservationInput, indicator_upsert, observations_store
    from paraat.measures import services as measure_services
    from paraat.measures.models import PackageKind
    from paraat.taxonomies.services import taxonomy_seed
    from paraat_core.assessment.bench import synthetic_document
    from paraat_core.periods import Frequency, period_containing, periods_between

    rng = random.Random(seed)
    roles_sync()
    taxonomy_seed()
    password = "bench-wachtwoord-lang-genoeg"  # noqa: S105 - scratch database

    def person(username: str, role: str) -> Any:
        return user_create(
            username=username,
            email=f"{username}@example.org",
            password=password,
            roles=[role],
            is_fictional=True,
        )

    cpo = person("bench-cpo", roles.CPO)
    committee = [person("bench-voorzitter", roles.CHAIR)]
    committee += [person(f"bench-lid-{n:02d}", roles.MEMBER) for n in range(1, sizes.users)]

    netherlands = measure_services.jurisdiction_get_or_create(
        country_code="NLD", kind="NAT_TOTAL", name="Nederland"
    )
    measures = [
        measure_services.measure_create(
            data=measure_services.MeasureData(
                key=f"bench-maatregel-{n:02d}",
                name_nl=f"Benchmarkmaatregel {n} (synthetisch)",
                is_synthetic=True,
            )
        )
        for n in range(sizes.measures)
    ]
    package = measure_services.package_create(
        data=measure_services.PackageData(
            key="bench-pakket",
            name_nl="Benchmarkpakket (synthetisch)",
            jurisdiction=netherlands,
            kind=PackageKind.OPTION,
            is_synthetic=True,
            items=tuple(measure_services.PackageItemData(measure_key=m.key) for m in measures),
        )
    )
    for measure in measures:
        evidence_services.fiche_create(
            measure=measure,
            reviewer=None,
            user=cpo,
            is_synthetic=True,
            content=evidence_services.FicheContent(
                summary="Synthetische fiche.", mitigations="Synthetische mitigatie."
            ),
        )

    levels = ["public"] * 7 + ["internal"] * 2 + ["confidential"]
    types = ["peer_reviewed", "report", "dataset", "expert_note", "practice_signal", "media"]
    items = [
        EvidenceItem(
            ref=f"bench-dossier-{n}",
            item_type=rng.choice(types),
            title=f"Benchmarkbron {n} (synthetisch)",
            organisation="Benchmark (synthetisch)",
            published_on=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650)),
            summary="Synthetische samenvatting.",
            knowledge_class=rng.choice(["scientific", "practice", "experiential"]),
            certainty=rng.choice(["high", "moderate", "low", "very_low", ""]),
            confidentiality=rng.choice(levels),
            is_synthetic=True,
        )
        for n in range(sizes.evidence)
    ]
    EvidenceItem.objects.bulk_create(items, batch_size=2_000)
    ids = list(
        EvidenceItem.objects.filter(ref__startswith="bench-dossier-").values_list("pk", flat=True)
    )
    links = [
        EvidenceLink(item_id=pk, measure=measures[n % len(measures)], direction="negative")
        for n, pk in enumerate(ids)
    ]
    links += [
        EvidenceLink(item_id=pk, package=package, direction="mixed")
        for n, pk in enumerate(ids)
        if n % 10 == 0
    ]
    EvidenceLink.objects.bulk_create(links, batch_size=2_000)

    document = synthetic_document(options=4, domains=len(DOMAINS), groups=len(GROUPS), seed=seed)
    rename = {f"d{k}": key for k, key in enumerate(DOMAINS)}
    rename.update({f"g{k}": key for k, key in enumerate(GROUPS)})
    document["id"] = "bench-dossier"
    document["domains"] = [{"key": key, "name": key} for key in DOMAINS]
    document["groups"] = [
        {**g, "key": rename[g["key"]], "name": rename[g["key"]]} for g in document["groups"]
    ]
    for number, option in enumerate(document["options"]):
        if not option.get("zero"):
            option["measures"] = [measures[(number + k) % len(measures)].key for k in range(3)]
    for judgement in document["judgements"]:
        judgement["domain"] = rename[judgement["domain"]]
        judgement["group"] = rename[judgement["group"]]
    assessment = assessment_services.assessment_import(actor=cpo, document=document)
    assessment_services.assessment_analyse(actor=cpo, assessment=assessment, samples=200, seed=1)

    periods = periods_between(
        period_containing(dt.date(2019, 1, 1), Frequency.MONTH),
        period_containing(dt.date(2023, 12, 1), Frequency.MONTH),
    )
    for n in range(sizes.indicators):
        indicator = indicator_upsert(
            key=f"bench-dossier-{n:02d}",
            name_nl=f"Benchmarkindicator {n} (synthetisch)",
            unit="%",
            frequency=Frequency.MONTH,
            domain_key=DOMAINS[n % len(DOMAINS)],
            source="synthetisch (benchmark)",
            is_synthetic=True,
            confidentiality=Confidentiality.PUBLIC,
        )
        observations_store(
            indicator=indicator,
            rows=[
                ObservationInput(period=p, value=round(50 + 10 * rng.random(), 2)) for p in periods
            ],
            vintage=timezone.make_aware(dt.datetime(2024, 1, 15)),
        )

    request = services.advice_request_create(
        data=services.RequestData(
            key="bench-dossier",
            title="Benchmark (synthetisch)",
            question="Synthetische vraag voor de benchmark.",
            requester="own_initiative",
            kind="urgent",
            options=[package],
            assessment=assessment,
            is_synthetic=True,
        ),
        actor=cpo,
    )
    return {"request": request, "cpo": cpo, "committee": committee}


# --- timing the dossier ---------------------------------------------------------------------------


def dossier_timing(*, request: Any, user: Any, runs: int) -> dict[str, Any]:
    from paraat.advice import dossier

    started = time.perf_counter()
    built = dossier.dossier_build(request=request, user=user)
    cold = time.perf_counter() - started
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        built = dossier.dossier_build(request=request, user=user)
        timings.append(time.perf_counter() - started)
    return {
        "dossier_s": round(max(timings), 3),
        "dossier_median_s": round(statistics.median(timings), 3),
        "dossier_cold_s": round(cold, 3),
        "dossier_runs": runs,
        "dossier_measures": built.measure_count,
        "dossier_evidence": len(built.evidence),
        "dossier_indicators": len(built.indicators),
        "dossier_ladder": len(built.assessment["ladder"]) if built.assessment else 0,
    }


# --- the concurrent users -----------------------------------------------------------------------


def _comments(request: Any, user: Any, numbers: range, log: Log, sections: tuple[str, ...]) -> None:
    from paraat.advice import services

    for k in numbers:
        services.comment_add(
            request=request,
            actor=user,
            section=sections[k % len(sections)],
            body=f"Opmerking [{user.username}-c{k}]",
        )
        with log.lock:
            log.comments += 1


def _vote(round_: Any, user: Any, log: Log) -> None:
    from django.core.exceptions import ValidationError

    from paraat.advice import services

    choice = "disagree" if user.username.endswith(("3", "7")) else "agree"
    services.vote_cast(round_=round_, voter=user, answers=[services.Answer(choice, "bench")])
    with log.lock:
        log.votes += 1
    try:
        services.vote_cast(round_=round_, voter=user, answers=[services.Answer("abstain")])
    except ValidationError:
        with log.lock:
            log.second_votes_refused += 1


def _read_base(request: Any) -> tuple[int, dict[str, str]]:
    from paraat.advice import selectors

    latest = selectors.revision_latest(request=request)
    assert latest is not None
    return latest.number, dict(latest.sections)


def _save(
    request: Any,
    user: Any,
    section: str,
    marker: str,
    log: Log,
    base: tuple[int, dict[str, str]] | None = None,
) -> None:
    """Append ``marker`` to ``section`` and save; on a conflict re-read and try again."""
    from paraat.advice import services

    for _ in range(SAVE_TRIES):
        number, sections = base or _read_base(request)
        base = None
        mine = {**sections, section: (sections.get(section, "") + "\n" + marker).strip()}
        try:
            revision = services.advice_revision_save(
                request=request, sections=mine, base_number=number, actor=user
            )
        except services.RevisionConflict:
            with log.lock:
                log.conflicts += 1
            continue
        with log.lock:
            log.saves.append(
                {
                    "number": revision.number,
                    "base": number,
                    "section": section,
                    "marker": marker,
                }
            )
        return
    with log.lock:
        log.errors.append(f"{user.username}: {SAVE_TRIES} conflicts in a row for {marker}")


def _together(
    committee: list[Any], work: Callable[[int, Any], None], *, threaded: bool, log: Log
) -> None:
    """``work(index, user)`` for every user: all at once in threads (each thread has its own
    database connection, closed at its end), or one after another."""
    from django.db import connections

    if not threaded:
        for index, user in enumerate(committee):
            work(index, user)
        return
    barrier = threading.Barrier(len(committee))

    def user_run(index: int, user: Any) -> None:
        try:
            barrier.wait()
            work(index, user)
        except Exception as exc:  # reported, and counted as a failure
            with log.lock:
                log.errors.append(f"{user.username}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=user_run, args=(i, u)) for i, u in enumerate(committee)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def simulate(
    *, request: Any, cpo: Any, committee: list[Any], sizes: Sizes, threaded: bool, seed: int = 1
) -> dict[str, Any]:
    """Run the users (threads, or one after another), then count the lost updates.

    Two phases, as in the process: while the text is a draft everybody comments and edits;
    then the secretariat opens the vote and everybody votes (and comments once more)."""
    from paraat.advice import services
    from paraat.advice.models import Comment, Vote

    sections = services.SECTION_KEYS
    services.advice_revision_save(
        request=request,
        sections={key: f"Begintekst {key}." for key in sections},
        base_number=None,
        actor=cpo,
    )
    log = Log()
    first = max(1, sizes.comments - 1)
    started = time.perf_counter()

    def drafting(index: int, user: Any) -> None:
        rng = random.Random(seed * 1000 + index)
        _comments(request, user, range(first), log, sections)
        for k in range(sizes.saves):
            time.sleep(rng.random() / 100)
            marker = f"[{user.username}-s{k}]"
            _save(request, user, sections[(index // 2 + k) % len(sections)], marker, log)

    if threaded:
        _together(committee, drafting, threaded=True, log=log)
    else:
        for user in committee:
            _comments(request, user, range(first), log, sections)
        for k in range(sizes.saves):
            # Every user reads first, then everybody saves: the bases are as stale as when
            # all edit at once.
            bases = [_read_base(request) for _ in committee]
            for index, user in enumerate(committee):
                marker = f"[{user.username}-s{k}]"
                section = sections[(index // 2 + k) % len(sections)]
                _save(request, user, section, marker, log, base=bases[index])
    services.advice_transition(request=request, to="final_draft", actor=cpo)
    round_ = services.decision_round_open(request=request, actor=cpo)

    def deciding(index: int, user: Any) -> None:
        _vote(round_, user, log)
        _comments(request, user, range(first, sizes.comments), log, sections)

    _together(committee, deciding, threaded=threaded, log=log)
    elapsed = time.perf_counter() - started

    expected_comments = len(committee) * sizes.comments
    stored_comments = Comment.objects.filter(request=request).count()
    stored_bodies = set(Comment.objects.filter(request=request).values_list("body", flat=True))
    missing_comments = sum(
        1
        for user in committee
        for k in range(sizes.comments)
        if f"Opmerking [{user.username}-c{k}]" not in stored_bodies
    )
    stored_votes = Vote.objects.filter(round=round_).count()
    voters = set(Vote.objects.filter(round=round_).values_list("voter_id", flat=True))
    missing_votes = sum(1 for user in committee if user.pk not in voters)
    extra_votes = max(0, stored_votes - len(committee))
    revisions = {r.number: r.sections for r in request.revisions.all()}
    numbers = sorted(revisions)
    gaps = 0 if numbers == list(range(1, len(numbers) + 1)) else 1
    lost_saves = _lost_saves(log.saves, revisions)
    lost = (
        max(0, expected_comments - stored_comments)
        + missing_comments
        + missing_votes
        + extra_votes
        + gaps
        + lost_saves
        + len(log.errors)
    )
    return {
        "users": len(committee),
        "lost_updates": lost,
        "concurrency": "threads" if threaded else "serial",
        "simulation_s": round(elapsed, 2),
        "comments_expected": expected_comments,
        "comments_stored": stored_comments,
        "votes_expected": len(committee),
        "votes_stored": stored_votes,
        "second_votes_refused": log.second_votes_refused,
        "saves": len(log.saves),
        "saves_expected": len(committee) * sizes.saves,
        "conflicts_detected": log.conflicts,
        "merged_versions": sum(1 for s in log.saves if s["base"] != s["number"] - 1),
        "versions": len(numbers),
        "lost_saves": lost_saves,
        "errors": log.errors[:5],
    }


def _lost_saves(saves: list[dict[str, Any]], revisions: dict[int, dict[str, str]]) -> int:
    """Saves whose text is missing from their own version, or dropped later by a save that
    did not start from a version holding it (a silent overwrite)."""
    lost = 0
    by_number = {s["number"]: s for s in saves}
    for save in saves:
        own = revisions.get(save["number"], {})
        if save["marker"] not in own.get(save["section"], ""):
            lost += 1
            continue
        for number in sorted(n for n in revisions if n > save["number"]):
            writer = by_number.get(number)
            if (
                writer is not None
                and writer["section"] == save["section"]
                and writer["base"] >= save["number"]
            ):
                break  # a later save that had seen this text may change the section
            if save["marker"] not in revisions[number].get(save["section"], ""):
                lost += 1
                break
    return lost


# --- one database: the child process ------------------------------------------------------------


def measure(sizes: Sizes, *, seed: int, threaded: bool) -> dict[str, Any]:
    """Build, time and simulate in the current database (migrated and empty)."""
    from django.db import connection

    started = time.perf_counter()
    data = build(sizes, seed=seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result: dict[str, Any] = {"vendor": connection.vendor}
    result["build_s"] = round(time.perf_counter() - started, 1)
    result.update(dossier_timing(request=data["request"], user=data["cpo"], runs=sizes.runs))
    result.update(
        simulate(
            request=data["request"],
            cpo=data["cpo"],
            committee=data["committee"],
            sizes=sizes,
            threaded=threaded,
            seed=seed,
        )
    )
    return result


def child(arguments: list[str]) -> dict[str, Any]:
    """Run inside a process whose DATABASE_URL points at an empty scratch database."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paraat.conf.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    numbers = [int(a) for a in arguments[:8]]
    sizes = Sizes(*numbers[:7])
    mode = arguments[8] if len(arguments) > 8 else "auto"
    call_command("migrate", verbosity=0, interactive=False)
    threaded = mode == "threads" or (mode == "auto" and connection.vendor == "postgresql")
    return measure(sizes, seed=numbers[7], threaded=threaded)


def run(
    *,
    sizes: Sizes,
    seed: int,
    postgres_url: str,
    log: Callable[[str], None],
    sqlite_mode: str = "serial",
    child_runner: Callable[[str, str, list[object]], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Both databases; the figures that count are the worse of the two."""
    child_runner = child_runner or run_child
    arguments: list[object] = [
        sizes.measures,
        sizes.evidence,
        sizes.indicators,
        sizes.users,
        sizes.comments,
        sizes.saves,
        sizes.runs,
        seed,
    ]
    per_db: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="paraat-bench-dossier-") as folder:
        log(f"SQLite: building the dossier data in a fresh file database ({sqlite_mode}) …")
        per_db["sqlite"] = child_runner(
            "paraat.advice.bench",
            f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            [*arguments, sqlite_mode],
        )
        log(f"SQLite: {json.dumps(per_db['sqlite'])}")
    scratch = postgres_scratch(postgres_url) if postgres_url else None
    if scratch is None:
        log(f"PostgreSQL not reachable at {postgres_url or '(none)'}: skipped")
    else:
        url, drop = scratch
        try:
            log("PostgreSQL: the same in a scratch database, users in threads …")
            per_db["postgresql"] = child_runner("paraat.advice.bench", url, [*arguments, "threads"])
            log(f"PostgreSQL: {json.dumps(per_db['postgresql'])}")
        finally:
            drop()
    result: dict[str, Any] = {
        "dossier_s": max(r["dossier_s"] for r in per_db.values()),
        "users": sizes.users,
        "lost_updates": sum(int(r["lost_updates"]) for r in per_db.values()),
    }
    for vendor, figures in per_db.items():
        result[f"dossier_s_{vendor}"] = figures["dossier_s"]
        result[f"dossier_median_s_{vendor}"] = figures["dossier_median_s"]
        result[f"lost_updates_{vendor}"] = figures["lost_updates"]
        result[f"conflicts_detected_{vendor}"] = figures["conflicts_detected"]
        result[f"concurrency_{vendor}"] = figures["concurrency"]
    if "postgresql" not in per_db:
        result["dossier_s_postgresql"] = None
    return result


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1:])))
