"""Writes for indicators and their observations.

Every importer ends in :func:`observations_store`, which appends: a figure that is new for its
period and breakdown is *added*, a figure that differs from the latest known value or status
is stored as a *revision* (a new row with its own vintage), an identical figure is *unchanged*
and not stored again. Each import runs in one transaction: a file that does not read leaves
nothing behind.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from paraat.accounts.models import Confidentiality, User
from paraat.indicators import cbs
from paraat.indicators.errors import Rejection, rejection_dicts
from paraat.indicators.models import (
    CompositeIndex,
    CompositeMember,
    CompositeRun,
    Frequency,
    ImportBatch,
    Indicator,
    Observation,
    ObservationStatus,
    Polarity,
    ReleaseDate,
    Severity,
    Signal,
    SignalKind,
    SignalRule,
    SignalSubscription,
    Speed,
)
from paraat.indicators.selectors import SeriesPoint, series_as_of
from paraat.indicators.signalling import signal_rule_apply
from paraat.taxonomies.models import Domain
from paraat_core.periods import Frequency as CoreFrequency
from paraat_core.periods import Period, parse_period, period_containing

Progress = Callable[[int, int], None]


class ObservationImportError(ValueError):
    def __init__(self, file: str, row: int, field: str, message: str) -> None:
        self.file, self.row, self.field = file, row, field
        super().__init__(f"{file}, rij {row}, veld '{field}': {message}")


@dataclass
class StoreCounts:
    added: int = 0
    revised: int = 0
    unchanged: int = 0

    @property
    def stored(self) -> int:
        return self.added + self.revised

    def __iadd__(self, other: StoreCounts) -> StoreCounts:
        self.added += other.added
        self.revised += other.revised
        self.unchanged += other.unchanged
        return self


@dataclass(frozen=True)
class ObservationInput:
    period: Period
    value: float | None
    status: str = ObservationStatus.FINAL
    breakdown: str = ""
    vintage: dt.datetime | None = None  # when the figure became known (default: the import's)


@dataclass
class ImportReport:
    source: str
    counts: StoreCounts = field(default_factory=StoreCounts)
    indicators: list[str] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    batch_id: int | None = None
    # Topics of a table without a single figure in the file: no indicator is made for them.
    empty_topics: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "added": self.counts.added,
            "revised": self.counts.revised,
            "unchanged": self.counts.unchanged,
            "rejected": self.rejected,
            "indicators": self.indicators,
            "empty_topics": self.empty_topics,
        }


@transaction.atomic
def indicator_upsert(
    *,
    key: str,
    name_nl: str,
    name_en: str = "",
    unit: str = "",
    frequency: str = Frequency.DAY,
    polarity: str = Polarity.NEUTRAL,
    speed: str = Speed.SLOW,
    publication_lag_days: int = 0,
    source: str = "",
    source_url: str = "",
    source_table: str = "",
    source_topic: str = "",
    licence: str = "",
    description: str = "",
    method_note: str = "",
    domain_key: str | None = None,
    headline_breakdown: str | None = None,
    threshold_warning: float | None = None,
    threshold_alert: float | None = None,
    is_synthetic: bool = False,
    confidentiality: str = Confidentiality.INTERNAL,
) -> Indicator:
    """Create or update the indicator with code ``key`` (validated before writing)."""
    fields: dict[str, Any] = {
        "name_nl": name_nl[:200],
        "name_en": name_en[:200],
        "unit": unit[:100],
        "frequency": frequency,
        "polarity": polarity,
        "speed": speed,
        "publication_lag_days": publication_lag_days,
        "source": source[:500],
        "source_url": source_url,
        "source_table": source_table,
        "source_topic": source_topic,
        "licence": licence,
        "description": description,
        "method_note": method_note,
        "threshold_warning": threshold_warning,
        "threshold_alert": threshold_alert,
        "is_synthetic": is_synthetic,
        "confidentiality": confidentiality,
    }
    if headline_breakdown is not None:
        fields["headline_breakdown"] = headline_breakdown
    if domain_key is not None:
        fields["domain"] = Domain.objects.filter(key=domain_key).first()
    indicator = Indicator.objects.filter(key=key).first() or Indicator(key=key)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    return indicator


OBSERVATION_COLUMNS = (
    "indicator_id",
    "period_code",
    "period_start",
    "period_end",
    "frequency",
    "breakdown",
    "value",
    "status",
    "vintage",
    "recorded_at",
    "batch_id",
)


@dataclass(frozen=True)
class PendingObservation:
    """A figure to append (the plan's output); written by :func:`observations_write`."""

    indicator_id: int
    row: ObservationInput
    vintage: dt.datetime

    def as_row(self, *, recorded_at: dt.datetime, batch_id: int | None) -> tuple[Any, ...]:
        period = self.row.period
        return (
            self.indicator_id,
            period.code,
            period.start,
            period.end,
            str(period.frequency),
            self.row.breakdown,
            self.row.value,
            self.row.status,
            self.vintage,
            recorded_at,
            batch_id,
        )


def observations_plan(
    *,
    indicator: Indicator,
    rows: Iterable[ObservationInput],
    vintage: dt.datetime | None = None,
) -> tuple[StoreCounts, list[PendingObservation]]:
    """Compare ``rows`` with what is known and return the counts and the figures to append.

    Nothing is written. A row's own ``vintage`` wins over the call's; rows are taken in vintage
    order. A figure new for its period and breakdown is *added*; one that differs in value or
    status from what was known at its own vintage is a *revision*; an identical one is
    *unchanged*, and so is a row already stored with the same vintage (a first publication that
    was later revised, met again when the same history is loaded twice). An older export
    loaded after a newer one therefore fills in the history instead of counting as news.
    """
    # Per period and breakdown, every stored figure in vintage order.
    history: dict[tuple[str, str], list[tuple[dt.datetime, float | None, str]]] = {}
    # One code per period: a figure for April 2020 arriving as ``2020-04`` (ISO, e.g. SDMX or
    # CSV) for an indicator that already writes ``2020MM04`` (CBS) is the same period.
    codes: dict[tuple[str, dt.date, dt.date], str] = {}
    known = (
        Observation.objects.filter(indicator=indicator)
        .order_by("vintage", "pk")
        .values_list(
            "period_code",
            "breakdown",
            "vintage",
            "value",
            "status",
            "frequency",
            "period_start",
            "period_end",
        )
    )
    for code, breakdown, known_vintage, value, status, frequency, start, end in known.iterator(
        chunk_size=20000
    ):
        history.setdefault((code, breakdown), []).append((known_vintage, value, status))
        codes.setdefault((frequency, start, end), code)
    counts = StoreCounts()
    pending: list[PendingObservation] = []
    dated = []
    for row in rows:
        when = row.vintage or vintage
        if when is None:
            raise ValueError(f"{row.period.code}: geen vintage (moment van bekendwording)")
        period = row.period
        code = codes.setdefault((str(period.frequency), period.start, period.end), period.code)
        if code != period.code:
            row = dataclasses.replace(row, period=parse_period(code))
        dated.append((when, row))
    dated.sort(key=lambda item: item[0])
    for when, row in dated:
        key = (row.period.code, row.breakdown)
        entries = history.get(key)
        if entries is None:
            counts.added += 1
            history[key] = [(when, row.value, row.status)]
        else:
            # Compare with what was known at this figure's own vintage (an older export loaded
            # after a newer one fills in history rather than revising the newest figure).
            if when >= entries[-1][0]:
                position = len(entries)
            else:
                position = bisect.bisect_right([entry[0] for entry in entries], when)
            before = entries[position - 1] if position else None
            if (before is not None and before[1:] == (row.value, row.status)) or (
                when,
                row.value,
                row.status,
            ) in entries:
                counts.unchanged += 1
                continue
            counts.revised += 1
            entries.insert(position, (when, row.value, row.status))
        pending.append(PendingObservation(indicator_id=indicator.pk, row=row, vintage=when))
    return counts, pending


def observations_write(
    *, pending: Iterable[PendingObservation], batch: ImportBatch | None = None
) -> int:
    """Append planned figures in bulk: PostgreSQL ``COPY``, elsewhere one ``executemany``.

    The ORM's ``bulk_create`` spends most of its time preparing each value; a million figures
    (``paraat bench indicators``) need this direct path. Called inside the caller's transaction.
    """
    from django.db import connection

    recorded_at = timezone.now()
    batch_id = batch.pk if batch is not None else None
    rows = (p.as_row(recorded_at=recorded_at, batch_id=batch_id) for p in pending)
    table = Observation._meta.db_table
    columns = ", ".join(OBSERVATION_COLUMNS)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        ops = connection.ops
        # Many rows share a vintage and a period: adapt each distinct value once.
        adapt_date = functools.lru_cache(maxsize=65536)(ops.adapt_datefield_value)
        adapt_moment = functools.lru_cache(maxsize=4096)(ops.adapt_datetimefield_value)
        marks = ", ".join(["%s"] * len(OBSERVATION_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(
                (
                    *row[:2],
                    adapt_date(row[2]),
                    adapt_date(row[3]),
                    *row[4:8],
                    adapt_moment(row[8]),
                    adapt_moment(row[9]),
                    row[10],
                )
            )
            if len(chunk) >= 20000:
                cursor.executemany(sql, chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            written += len(chunk)
    return written


@transaction.atomic
def observations_store(
    *,
    indicator: Indicator,
    rows: Iterable[ObservationInput],
    vintage: dt.datetime | None = None,
    batch: ImportBatch | None = None,
) -> StoreCounts:
    """Append the figures in ``rows`` that are new or differ from what is known (see
    :func:`observations_plan`)."""
    counts, pending = observations_plan(indicator=indicator, rows=rows, vintage=vintage)
    observations_write(pending=pending, batch=batch)
    return counts


# --- daily CSV (coronadashboard layout) --------------------------------------------------------


def _parse_rows(path: Path, date_column: str, value_column: str) -> list[ObservationInput]:
    rows: list[ObservationInput] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        for column in (date_column, value_column):
            if column not in fields:
                raise ObservationImportError(path.name, 1, column, "kolom ontbreekt in de kop")
        for number, row in enumerate(reader, start=2):
            raw_date = (row.get(date_column) or "").strip()
            try:
                day = dt.date.fromisoformat(raw_date)
            except ValueError:
                raise ObservationImportError(
                    path.name, number, date_column, f"geen geldige datum: {raw_date!r}"
                ) from None
            period = period_containing(day, CoreFrequency.DAY)
            raw_value = (row.get(value_column) or "").strip()
            if raw_value == "":
                rows.append(ObservationInput(period=period, value=None))
                continue
            try:
                rows.append(ObservationInput(period=period, value=float(raw_value)))
            except ValueError:
                raise ObservationImportError(
                    path.name, number, value_column, f"geen getal: {raw_value!r}"
                ) from None
    return rows


@transaction.atomic
def observations_import_csv(
    *, indicator: Indicator, path: Path, date_column: str, value_column: str
) -> int:
    """Import one column of a daily CSV as observations. All rows or none."""
    rows = _parse_rows(path, date_column, value_column)
    counts = observations_store(indicator=indicator, rows=rows, vintage=timezone.now())
    return counts.stored


# --- Statistics Netherlands (CBS) StatLine tables ------------------------------------------


def _breakdown_key(parts: Iterable[tuple[str, str]]) -> str:
    return ";".join(f"{dimension}={key}" for dimension, key in parts)


def _headline(table: cbs.CbsTable) -> str:
    """The all-totals combination of the table's dimensions (CBS keys ``T00…``, "Totaal …")."""
    parts = []
    for key, dimension in table.dimensions.items():
        if key == table.time_dimension or not dimension.labels:
            continue
        totals = [
            value
            for value, label in dimension.labels.items()
            if value.startswith("T00") or label.lower().startswith(("totaal", "nederland"))
        ]
        parts.append((key, totals[0] if totals else next(iter(dimension.labels))))
    return _breakdown_key(parts)


def _present_headline(table: cbs.CbsTable, rows: list[ObservationInput]) -> str:
    """The all-totals series when the data hold it; otherwise the series with the most figures
    (an export may be a selection of the table without its totals)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.breakdown] = counts.get(row.breakdown, 0) + 1
    preferred = _headline(table)
    if preferred in counts or not counts:
        return preferred
    return max(counts, key=lambda key: (counts[key], -list(counts).index(key)))


def _finest_frequency(rows: list[ObservationInput]) -> str:
    """The finest frequency among a topic's figures (a table may mix months, quarters, years
    while a topic has figures for only some of them)."""
    present = {str(row.period.frequency) for row in rows}
    order = ("day", "week", "month", "quarter", "half_year", "year")
    return next((f for f in order if f in present), "year")


def _cbs_indicator(
    table: cbs.CbsTable, topic: cbs.Topic, headline: str, frequency: str
) -> Indicator:
    """The indicator defined for this table and topic, or a new public one from the metadata."""
    configured = Indicator.objects.filter(
        source_table__iexact=table.identifier, source_topic=topic.key
    ).first()
    breakdowns = {
        key: {"title": dimension.title, "values": dimension.labels}
        for key, dimension in table.dimensions.items()
        if key != table.time_dimension and dimension.labels
    }
    if configured is not None:
        configured.breakdowns = breakdowns
        if not configured.headline_breakdown:
            configured.headline_breakdown = headline
        configured.save(update_fields=["breakdowns", "headline_breakdown"])
        return configured
    indicator = indicator_upsert(
        key=slugify(f"cbs-{table.identifier}-{topic.key}")[:100],
        name_nl=topic.full_title,
        name_en="",
        unit=topic.unit,
        frequency=frequency,
        source=f"{table.source}, StatLine {table.identifier}: {table.title}",
        source_url=f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table.identifier}",
        source_table=table.identifier,
        source_topic=topic.key,
        licence="CC BY 4.0",
        description=topic.description,
        headline_breakdown=headline,
        confidentiality=Confidentiality.PUBLIC,
    )
    indicator.breakdowns = breakdowns
    indicator.save(update_fields=["breakdowns"])
    return indicator


def _grouped_cells(table: cbs.CbsTable) -> Iterator[tuple[str, list[ObservationInput]]]:
    by_topic: dict[str, list[ObservationInput]] = {key: [] for key in table.topics}
    for cell in table.cells():
        by_topic[cell.topic].append(
            ObservationInput(
                period=cell.period,
                value=cell.value,
                status=cell.status,
                breakdown=_breakdown_key(cell.breakdown),
            )
        )
    yield from by_topic.items()


@transaction.atomic
def cbs_table_import(
    *, directory: Path, user: User | None = None, progress: Progress | None = None
) -> ImportReport:
    """Import a StatLine table folder (OData v3 export layout): every numeric cell, per topic.

    Raises :class:`paraat.indicators.cbs.CbsFormatError` (naming file, row and field) when the
    folder does not read; nothing is stored then. Cells that are not numbers are rejected one by
    one and listed in the report.
    """
    table = cbs.read_table(directory)
    modified = table.modified
    if modified is not None and timezone.is_naive(modified):
        modified = timezone.make_aware(modified)
    vintage = modified or timezone.now()
    report = ImportReport(source=table.identifier)
    batch = ImportBatch.objects.create(
        source_kind="cbs", name=f"{table.identifier} {table.title}"[:255], created_by=user
    )
    grouped = list(_grouped_cells(table))
    for done, (topic_key, rows) in enumerate(grouped, start=1):
        if not rows:
            report.empty_topics.append(topic_key)
            continue
        indicator = _cbs_indicator(
            table, table.topics[topic_key], _present_headline(table, rows), _finest_frequency(rows)
        )
        report.indicators.append(indicator.key)
        report.counts += observations_store(
            indicator=indicator, rows=rows, vintage=vintage, batch=batch
        )
        if progress:
            progress(done, len(grouped))
    report.rejected = rejection_dicts(table.rejected)
    report.batch_id = batch.pk
    batch.report = report.as_dict()
    batch.save(update_fields=["report"])
    return report


# --- signals ----------------------------------------------------------------------------------


@transaction.atomic
def signal_rule_create(
    *,
    indicator: Indicator,
    kind: str,
    params: dict[str, Any] | None = None,
    breakdown: str = "",
) -> SignalRule:
    """Add a rule, after trying it on the indicator's series (bad parameters are refused)."""
    if kind not in SignalKind.values:
        raise ValidationError({"kind": f"onbekende regel: {kind!r}"})
    rule = SignalRule(indicator=indicator, kind=kind, params=params or {}, breakdown=breakdown)
    try:
        signal_rule_apply(rule=rule, series=[])
    except (TypeError, ValueError) as error:
        raise ValidationError({"params": str(error)}) from None
    rule.save()
    return rule


@transaction.atomic
def signals_evaluate(
    *, indicator: Indicator | None = None, as_of: dt.datetime | None = None
) -> list[Signal]:
    """Run every active rule on the figures known at ``as_of``; store the new signals.

    A signal that was already raised for the same rule, series, period, severity and value is
    not stored again, so re-running is harmless; a revised figure that still signals is stored
    as a new signal (with the later data vintage). A signal's data vintage is the latest vintage
    of the figures it rests on (the flagged period and the earlier ones the rule read), so a
    peildatum view never shows it before all of its inputs were known. A rule that
    fails on its data (for example a survey rule on values outside 0–100) is skipped and
    logged; the other rules still run.
    """
    import logging

    rules = SignalRule.objects.filter(is_active=True).select_related("indicator")
    if indicator is not None:
        rules = rules.filter(indicator=indicator)
    created: list[Signal] = []
    for rule in rules:
        # An empty breakdown on the rule means the indicator's headline series.
        breakdown = rule.breakdown or rule.indicator.headline_breakdown
        series = series_as_of(indicator=rule.indicator, breakdown=breakdown, as_of=as_of)
        if not series:
            continue
        by_code = {point.period.code: point for point in series}
        known = set(
            Signal.objects.filter(rule=rule, breakdown=breakdown).values_list(
                "period_code", "severity", "value"
            )
        )
        try:
            found_signals = signal_rule_apply(rule=rule, series=series)
        except (TypeError, ValueError) as error:
            logging.getLogger(__name__).warning(
                "signal rule %s (%s, %s) skipped: %s", rule.pk, rule.indicator.key, rule.kind, error
            )
            continue
        for found in found_signals:
            key = (found.period.code, found.severity, float(found.value))
            if key in known:
                continue
            known.add(key)
            point = by_code.get(found.period.code)
            created.append(
                Signal(
                    indicator=rule.indicator,
                    rule=rule,
                    kind=rule.kind,
                    breakdown=breakdown,
                    period_code=found.period.code,
                    period_start=found.period.start,
                    value=float(found.value),
                    severity=found.severity,
                    worse=found.worse,
                    explanation=dict(found.explanation),
                    description_nl=found.describe("nl"),
                    description_en=found.describe("en"),
                    on_provisional=bool(point and point.is_provisional),
                    data_vintage=_inputs_vintage(series, found.period),
                )
            )
    Signal.objects.bulk_create(created)
    return created


def _inputs_vintage(series: list[SeriesPoint], period: Period) -> dt.datetime:
    """When everything a signal for ``period`` rests on was known: every rule reads the flagged
    period and earlier ones only (a trailing or seasonal baseline, the year before, the windows
    before it, the previous wave), so the latest vintage among those."""
    return max(point.vintage for point in series if point.period.start <= period.start)


# --- signal digest ----------------------------------------------------------------------------

SEVERITY_ORDER = {"info": 0, "warning": 1, "alert": 2}


def signal_digest_send(*, now: dt.datetime | None = None, site_url: str | None = None) -> int:
    """E-mail each active subscriber the new signals they may see; returns the e-mails sent.

    "New" is detected since the subscriber's previous digest (the first digest covers seven
    days). Internal and confidential indicators only reach subscribers allowed to see them.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from paraat.indicators.models import SignalSubscription
    from paraat.indicators.selectors import signals_visible

    now = now or timezone.now()
    base = (site_url or getattr(settings, "PARAAT_SITE_URL", "")).rstrip("/")
    sent = 0
    subscriptions = SignalSubscription.objects.filter(
        is_active=True, user__is_active=True
    ).select_related("user")
    for subscription in subscriptions:
        user = subscription.user
        since = subscription.last_sent_at or now - dt.timedelta(days=7)
        signals = signals_visible(user=user).filter(detected_at__gt=since, detected_at__lte=now)
        domains = list(subscription.domains.all())
        if domains:
            signals = signals.filter(indicator__domain__in=domains)
        minimum = SEVERITY_ORDER[subscription.min_severity]
        chosen = [s for s in signals if SEVERITY_ORDER[s.severity] >= minimum]
        with transaction.atomic():
            SignalSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
            if not chosen or not user.email:
                continue
            with translation.override(getattr(user, "language", "") or "nl"):
                body = render_to_string(
                    "indicators/email/digest.txt",
                    {"user": user, "signals": chosen, "since": since, "base": base},
                )
                subject = translation.gettext("paraat: %(n)d nieuwe signalen") % {"n": len(chosen)}
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent


# --- composite index --------------------------------------------------------------------------

_FREQUENCY_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half_year": 4, "year": 5}


def _composite_periods(index: CompositeIndex, as_of: dt.datetime) -> list[Period]:
    from paraat_core.periods import parse_period, periods_between

    first = parse_period(index.start_period)
    last = period_containing(timezone.localdate(as_of), CoreFrequency(index.frequency))
    if last.start < first.start:
        raise ValueError("de eerste periode ligt na de peildatum")
    return periods_between(first, last)


def _column(
    *,
    indicator: Indicator,
    breakdown: str,
    periods: list[Period],
    frequency: str,
    as_of: dt.datetime,
) -> list[float]:
    """One indicator's values on the index's periods: finer data averaged per period, coarser
    data placed in the period holding its start (and carried forward only if the spec says so)."""
    import math

    slots: dict[dt.date, list[float]] = {}
    target = CoreFrequency(frequency)
    for point in series_as_of(indicator=indicator, breakdown=breakdown, as_of=as_of):
        if point.value is None or not math.isfinite(point.value):
            continue
        slot = period_containing(point.period.start, target).start
        slots.setdefault(slot, []).append(point.value)
    return [
        sum(slots[p.start]) / len(slots[p.start]) if p.start in slots else float("nan")
        for p in periods
    ]


def _series_json(values: Any) -> list[float | None]:
    import math

    return [None if not math.isfinite(float(v)) else round(float(v), 4) for v in values]


def composite_compute(
    *,
    index: CompositeIndex,
    as_of: dt.datetime | None = None,
    user: User | None = None,
    draws: int | None = None,
    progress: Progress | None = None,
) -> CompositeRun:
    """Compute the index, its 5–95 % Monte Carlo band, sensitivity and parts; store a run.

    Whole population (headline series) and each of the index's groups (``group=<key>``
    breakdowns). Uses only the figures known at ``as_of`` (default: now).
    """
    import numpy as np

    from paraat_core import composite as core

    as_of = as_of or timezone.now()
    members = list(index.members.select_related("indicator"))
    if not members:
        raise ValueError("de index heeft geen indicatoren")
    for member in members:
        if member.indicator.polarity == Polarity.NEUTRAL:
            raise ValueError(
                f"indicator {member.indicator.key}: zonder richting (hoger beter of slechter) "
                "kan hij niet in een index"
            )
    periods = _composite_periods(index, as_of)
    codes = [p.code for p in periods]
    spec = core.CompositeSpec(
        indicators=tuple(m.indicator.key for m in members),
        polarity=tuple(
            1 if m.indicator.polarity == Polarity.HIGHER_BETTER else -1 for m in members
        ),
        weights=tuple(m.weight for m in members),
        normalisation=index.normalisation,
        aggregation=index.aggregation,
        missing=index.missing,
        min_coverage=index.min_coverage,
        reference=index.reference_period or None,
    )
    populations: list[tuple[str, str, str]] = [("", "", index.name)]
    populations += [(g.key, f"group={g.key}", g.name) for g in index.groups.all()]
    draws = index.draws if draws is None else draws
    outcome: dict[str, Any] = {}
    for done, (key, suffix, name) in enumerate(populations, start=1):
        columns = [
            _column(
                indicator=m.indicator,
                breakdown=suffix if key else m.indicator.headline_breakdown,
                periods=periods,
                frequency=index.frequency,
                as_of=as_of,
            )
            for m in members
        ]
        matrix = np.array(columns, dtype=float).T
        band = core.uncertainty(
            matrix,
            spec,
            codes,
            draws=draws,
            seed=index.seed,
            weight_concentration=index.weight_concentration,
        )
        result = band.composite
        entry: dict[str, Any] = {
            "name": name,
            "central": _series_json(band.central),
            "median": _series_json(band.median),
            "p05": _series_json(band.p05),
            "p95": _series_json(band.p95),
            "coverage": _series_json(result.coverage),
            "reference_period": result.reference_period,
            "dropped": list(result.dropped),
            "notes": list(result.notes),
            "sensitivity": {f: _series_json(v) for f, v in band.sensitivity.items()},
            "scores": {
                code: _series_json(result.scores[:, k]) for k, code in enumerate(spec.indicators)
            },
        }
        filled = [t for t, v in enumerate(result.index) if np.isfinite(v)]
        if len(filled) >= 2:
            parts = core.contributions(result, filled[-2], filled[-1])
            entry["contributions"] = {
                "start": parts.start,
                "end": parts.end,
                "change": round(float(parts.change), 4),
                "parts": [[code, round(value, 4)] for code, value in parts.ranked()],
            }
        outcome[key or "_all"] = entry
        if progress:
            progress(done, len(populations))
    return _composite_run_store(
        index=index,
        as_of=as_of,
        user=user,
        spec={
            "indicators": [
                {
                    "key": m.indicator.key,
                    "name": m.indicator.name_nl,
                    "weight": m.weight,
                    "polarity": m.indicator.polarity,
                }
                for m in members
            ],
            "normalisation": index.normalisation,
            "aggregation": index.aggregation,
            "missing": index.missing,
            "min_coverage": index.min_coverage,
            "reference_period": index.reference_period,
            "frequency": index.frequency,
            "draws": draws,
            "seed": index.seed,
            "weight_concentration": index.weight_concentration,
            "normalisations": list(core.NORMALISATIONS),
            "aggregations": list(core.AGGREGATIONS),
        },
        result={"periods": codes, "labels": [p.label("nl") for p in periods], **outcome},
    )


@transaction.atomic
def _composite_run_store(
    *,
    index: CompositeIndex,
    as_of: dt.datetime,
    user: User | None,
    spec: dict[str, Any],
    result: dict[str, Any],
) -> CompositeRun:
    return CompositeRun.objects.create(
        index=index, as_of=as_of, created_by=user, spec=spec, result=result
    )


@transaction.atomic
def composite_index_save(
    *,
    key: str,
    name_nl: str,
    name_en: str = "",
    start_period: str,
    members: list[tuple[str, float]],
    frequency: str = Frequency.MONTH,
    normalisation: str = "minmax",
    aggregation: str = "arithmetic",
    missing: str = "available",
    reference_period: str = "",
    group_keys: list[str] | None = None,
    description: str = "",
    confidentiality: str = Confidentiality.PUBLIC,
) -> CompositeIndex:
    """Create or replace a composite index definition (members as ``(indicator key, weight)``)."""
    from paraat.taxonomies.models import PopulationGroup
    from paraat_core.periods import PeriodError, parse_period

    try:
        parse_period(start_period)
        if reference_period:
            parse_period(reference_period)
    except PeriodError as error:
        raise ValidationError({"start_period": str(error)}) from None
    index = CompositeIndex.objects.filter(key=key).first() or CompositeIndex(key=key)
    for name, value in {
        "name_nl": name_nl,
        "name_en": name_en,
        "start_period": start_period,
        "frequency": frequency,
        "normalisation": normalisation,
        "aggregation": aggregation,
        "missing": missing,
        "reference_period": reference_period,
        "description": description,
        "confidentiality": confidentiality,
    }.items():
        setattr(index, name, value)
    index.full_clean()
    index.save()
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=[k for k, _w in members])}
    missing_keys = [k for k, _w in members if k not in indicators]
    if missing_keys:
        raise ValidationError({"members": f"onbekende indicatoren: {', '.join(missing_keys)}"})
    index.members.all().delete()
    CompositeMember.objects.bulk_create(
        [CompositeMember(index=index, indicator=indicators[k], weight=w) for k, w in members]
    )
    index.groups.set(PopulationGroup.objects.filter(key__in=group_keys or []))
    return index


# --- signal rules and subscriptions ----------------------------------------------------------


@transaction.atomic
def signal_rule_set_active(*, rule: SignalRule, active: bool) -> SignalRule:
    """Switch a rule on or off (its signals stay); recorded in the audit trail."""
    if rule.is_active != active:
        rule.is_active = active
        rule.save(update_fields=["is_active"])
    return rule


@transaction.atomic
def signal_subscription_save(
    *, user: User, is_active: bool, min_severity: str, domains: list[Domain]
) -> SignalSubscription:
    """Create or update ``user``'s digest subscription (no domains: all domains)."""
    if min_severity not in Severity.values:
        raise ValidationError({"min_severity": f"onbekende ernst: {min_severity!r}"})
    subscription = SignalSubscription.objects.filter(user=user).first()
    if subscription is None:
        subscription = SignalSubscription(user=user)
    subscription.is_active = is_active
    subscription.min_severity = min_severity
    subscription.save()
    subscription.domains.set(domains)
    return subscription


# --- indicator definitions and their release calendar ----------------------------------------

#: Dates a release calendar accepts (the freshness arithmetic needs room around each date).
CALENDAR_FIRST = dt.date(1900, 1, 1)
CALENDAR_LAST = dt.date(2199, 12, 31)
CALENDAR_NOTE_MAX = 200  # ReleaseDate.note
CALENDAR_MAX_ENTRIES = 1000


@transaction.atomic
def release_calendar_set(*, indicator: Indicator, entries: list[tuple[dt.date, str, str]]) -> int:
    """Make ``indicator``'s release calendar exactly ``entries``: (date, period code or "", note).

    The release calendar is planning data, not history: past and future entries alike are
    replaced by what is given (the figures keep their own vintages, so nothing that was known
    is lost). An entry whose date stays is updated in place, the others are added or removed,
    each with its own ``save()`` or ``delete()`` so the audit trail records the change.

    Each period code is checked with :func:`paraat_core.periods.parse_period` and stored in its
    canonical form; a date may occur only once. Anything wrong raises one ValidationError on
    ``release_calendar`` naming each entry ("regel 3: …", counting from 1) and writes nothing.
    Returns the number of entries.
    """
    from paraat_core.periods import PeriodError, parse_period

    errors: list[str] = []
    if len(entries) > CALENDAR_MAX_ENTRIES:
        errors.append(f"hooguit {CALENDAR_MAX_ENTRIES} regels, niet {len(entries)}")
    wanted: dict[dt.date, tuple[str, str]] = {}
    line_of: dict[dt.date, int] = {}
    for line, (day, raw_code, raw_note) in enumerate(entries, start=1):
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            errors.append(f"regel {line}: geen datum: {day!r}")
            continue
        if not CALENDAR_FIRST <= day <= CALENDAR_LAST:
            errors.append(
                f"regel {line}: {day.isoformat()} ligt niet tussen "
                f"{CALENDAR_FIRST.year} en {CALENDAR_LAST.year}"
            )
            continue
        code = (raw_code or "").strip()
        if code:
            try:
                code = parse_period(code).code
            except PeriodError:
                errors.append(f"regel {line}: {code!r} is geen periodecode")
                continue
        note = " ".join((raw_note or "").split())
        if len(note) > CALENDAR_NOTE_MAX:
            errors.append(f"regel {line}: de toelichting is langer dan {CALENDAR_NOTE_MAX} tekens")
            continue
        if day in wanted:
            errors.append(f"regel {line}: {day.isoformat()} staat ook op regel {line_of[day]}")
            continue
        wanted[day] = (code, note)
        line_of[day] = line
    if errors:
        raise ValidationError({"release_calendar": errors})
    existing = {release.expected_on: release for release in indicator.releases.all()}
    for day, release in existing.items():
        if day not in wanted:
            release.delete()
    for day, (code, note) in sorted(wanted.items()):
        release = existing.get(day)
        if release is None:
            ReleaseDate(indicator=indicator, expected_on=day, period_code=code, note=note).save()
        elif (release.period_code, release.note) != (code, note):
            release.period_code, release.note = code, note
            release.save(update_fields=["period_code", "note"])
    return len(wanted)


def _breakdowns_check(breakdowns: Any) -> None:
    """The shape the pages read: ``{dimension: {"title": str, "values": {code: label}}}``."""
    if not isinstance(breakdowns, dict):
        raise ValidationError({"breakdowns": "geen object met een sleutel per dimensie"})
    for dimension, spec in breakdowns.items():
        values = spec.get("values", {}) if isinstance(spec, dict) else None
        if (
            not isinstance(spec, dict)
            or not isinstance(spec.get("title", ""), str)
            or not isinstance(values, dict)
            or not all(isinstance(label, str) for label in values.values())
        ):
            raise ValidationError(
                {"breakdowns": f'{dimension}: verwacht {{"title": …, "values": {{code: label}}}}'}
            )


def indicator_definition_save(
    *,
    key: str,
    definition: dict[str, Any],
    release_calendar: list[tuple[dt.date, str, str]],
    breakdowns: dict[str, Any] | None = None,
    create: bool = False,
) -> Indicator:
    """Save an indicator's definition and its release calendar together, or neither.

    ``definition`` holds the keyword arguments of :func:`indicator_upsert` (all but ``key``);
    ``release_calendar`` goes to :func:`release_calendar_set`; ``breakdowns`` (``None``: keep)
    replaces the titles and labels of the breakdowns. With ``create`` an existing code is
    refused, also one of an indicator the caller cannot see: a new indicator never overwrites
    another. Raises ValidationError keyed by field; nothing is written then.
    """
    with transaction.atomic():
        if create and Indicator.objects.filter(key=key).exists():
            raise ValidationError({"key": "er bestaat al een indicator met deze code"})
        indicator = indicator_upsert(key=key, **definition)
        if breakdowns is not None and breakdowns != indicator.breakdowns:
            _breakdowns_check(breakdowns)
            indicator.breakdowns = breakdowns
            indicator.save(update_fields=["breakdowns"])
        release_calendar_set(indicator=indicator, entries=release_calendar)
    return indicator


# --- storing what an importer parsed (CSV mapping, SDMX, coronadashboard) ------------------


@transaction.atomic
def breakdowns_merge(*, indicator: Indicator, breakdowns: Iterable[str]) -> None:
    """Record the dimensions and codes seen in ``breakdowns`` (``DIM=code;…``) on the indicator.

    Codes already labelled keep their label, new ones are labelled with the code itself. When
    the indicator has no headline series and all figures share one breakdown, that becomes it.
    """
    known = {dim: dict(spec) for dim, spec in (indicator.breakdowns or {}).items()}
    seen: set[str] = set()
    for breakdown in breakdowns:
        seen.add(breakdown)
        for part in breakdown.split(";") if breakdown else []:
            dim, _sep, code = part.partition("=")
            spec = known.setdefault(dim, {"title": dim, "values": {}})
            values = dict(spec.get("values") or {})
            values.setdefault(code, code)
            spec["values"] = values
    fields = []
    if known != (indicator.breakdowns or {}):
        indicator.breakdowns = known
        fields.append("breakdowns")
    if not indicator.headline_breakdown and len(seen) == 1 and next(iter(seen)):
        indicator.headline_breakdown = next(iter(seen))
        fields.append("headline_breakdown")
    if fields:
        indicator.save(update_fields=fields)


def store_rows(
    *,
    source_kind: str,
    name: str,
    source: str,
    rows: Iterable[Any],  # importers._common.ParsedRow
    indicators: dict[str, Indicator],
    rejected: list[Rejection],
    vintage: dt.datetime,
    user: User | None,
) -> ImportReport:
    """Store parsed rows per indicator in one new batch; the caller holds the transaction."""
    report = ImportReport(source=source)
    batch = ImportBatch.objects.create(source_kind=source_kind, name=name[:255], created_by=user)
    grouped: dict[str, list[ObservationInput]] = {}
    for row in rows:
        grouped.setdefault(row.indicator, []).append(row.observation)
    for key, observations in grouped.items():
        report.indicators.append(key)
        report.counts += observations_store(
            indicator=indicators[key], rows=observations, vintage=vintage, batch=batch
        )
    report.rejected = rejection_dicts(rejected)
    report.batch_id = batch.pk
    batch.report = report.as_dict()
    batch.save(update_fields=["report"])
    return report
